"""Rule params from configuration and ``--param``, and ``--per-file-ignores`` / ``--extend-per-file-ignores``."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from auditor.cli import main
from auditor.config import ConfigError, Options, resolve
from auditor.engine import ParamError, load_ruleset

REPO = Path(__file__).resolve().parent.parent
SHEETS = REPO / "examples" / "sheets"
#: Sheet 000 spent 241,560 of 243,800 in 2017: an execution rate of 99.1% (REVIEW001 at line 112).
LOW_2017 = "000_c6c48727fbba6ebb.txt:112:50: REVIEW001"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    (tmp_path / "auditor.toml").write_text("select = ['REVIEW001', 'FUND002']\n", encoding="utf-8")
    (tmp_path / "sheets" / "old").mkdir(parents=True)
    shutil.copy(SHEETS / "000_c6c48727fbba6ebb.txt", tmp_path / "sheets")
    shutil.copy(SHEETS / "002_09ee4b9481a37380.txt", tmp_path / "sheets" / "old")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def check(*args: str):
    return CliRunner().invoke(main, ["check", "sheets", "--output-format", "concise", *args], catch_exceptions=False)


def config(project: Path, text: str, name: str = "auditor.toml") -> Path:
    path = project / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_threshold_changes_from_auditor_toml(project: Path) -> None:
    assert LOW_2017 not in check().stdout  # 99.1% is not below the default 70%
    config(project, "select = ['REVIEW001']\n\n[params]\nREVIEW001 = { min_execution_rate = 99.5 }\n")
    r = check()
    assert LOW_2017 in r.stdout and "기준 99.5%보다 낮습니다" in r.stdout


def test_a_threshold_changes_from_pyproject(project: Path) -> None:
    (project / "auditor.toml").unlink()
    config(project, "[tool.auditor]\nselect = ['REVIEW001']\n\n[tool.auditor.params.REVIEW001]\n"
                    "min_execution_rate = 99.5\n", "pyproject.toml")
    assert LOW_2017 in check().stdout


def test_the_command_line_param_wins_over_the_file(project: Path) -> None:
    config(project, "select = ['REVIEW001']\n[params]\nREVIEW001 = { min_execution_rate = 99.5 }\n")
    assert LOW_2017 not in check("--param", "REVIEW001.min_execution_rate=99").stdout
    assert LOW_2017 in check("--param", "REVIEW001.min_execution_rate=99.2").stdout
    assert LOW_2017 in check("--isolated", "--select", "REVIEW001", "--param", "review001.min_execution_rate=100").stdout


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_list_param_from_the_command_line_in_every_worker(project: Path, jobs: str) -> None:
    assert "FUND002" in check("--jobs", jobs).stdout  # [사비] in sheet 002
    r = check("--jobs", jobs, "--param", 'FUND002.known_labels=["국비", "시비", "구비", "기타", "사비"]')
    assert r.exit_code == 0 and "FUND002" not in r.stdout, r.output


def test_an_exponent_is_an_exact_number_too(project: Path) -> None:
    assert LOW_2017 in check("--param", "REVIEW001.min_execution_rate=9.95e1").stdout  # Decimal('99.5')


def test_decimal_params_are_exact(project: Path) -> None:
    path = config(project, "[params.REVIEW001]\nmin_execution_rate = 62.5\n")
    s = resolve(Options(), config=path)
    [(code, name, value)] = s.file.params
    assert (code, name, value) == ("REVIEW001", "min_execution_rate", Decimal("62.5")) and type(value) is Decimal
    rules = load_ruleset().with_params(s.params)
    assert rules.get("REVIEW001").params["min_execution_rate"] == Decimal("62.5")
    [(_, _, value)] = resolve(Options(), config=path).file.params  # read twice, the same exact value
    assert value == Decimal("62.5")


@pytest.mark.parametrize(("text", "line", "message"), [
    ("[params]\nREVIEW01 = { min_execution_rate = 60 }\n", 3,
     "params: unknown rule code 'REVIEW01' (did you mean 'REVIEW001'?)"),
    ("[params]\n'settlement.low-execution-rate' = { min_execution_rate = 60 }\n", 3,
     "params: unknown rule code 'settlement.low-execution-rate' (did you mean 'REVIEW001'?)"),
    ("[params]\nREVIEW001 = { min_execution = 60 }\n", 3,
     "params: REVIEW001 has no param 'min_execution'; did you mean 'min_execution_rate'?"),
    ("[params.REVIEW001]\n\nmin_executoin_rate = 60\n", 4, "did you mean 'min_execution_rate'?"),
    ("[params.REVIEW001]\nmin_execution_rate = '60'\n", 3,
     "params: REVIEW001.min_execution_rate must be a number, like its default 70, not text"),
    ("[params.FUND002]\nknown_labels = '국비'\n", 3, "FUND002.known_labels must be a list of text"),
    ("[params.FUND002]\nknown_labels = ['국비', 1]\n", 3, "not a list of mixed items"),
    ("[params]\nREVIEW003 = { x = 1 }\n", 3, "REVIEW003 has no param 'x' (its params: none)"),
])
def test_a_bad_param_names_the_file_and_line_of_its_key(project: Path, text: str, line: int, message: str) -> None:
    path = config(project, "select = ['REVIEW']\n" + text)
    for lang in ("en", "ko"):
        r = check("--lang", lang)
        assert r.exit_code == 2 and r.stderr.startswith(f"auditor: error: {path}:{line}: params: "), r.stderr
    assert message in check("--lang", "en").stderr


def test_a_bad_param_in_pyproject_names_its_line(project: Path) -> None:
    (project / "auditor.toml").unlink()
    path = config(project, "[project]\nname = 'x'\n\n[tool.auditor.params]\nREVIEW001 = { min_execution_rat = 1 }\n",
                  "pyproject.toml")
    r = check("--lang", "en")
    assert r.exit_code == 2 and f"{path}:5: params: REVIEW001 has no param 'min_execution_rat'" in r.stderr


@pytest.mark.parametrize(("text", "message"), [
    ("params = 60\n", "'params' must be a table"),
    ("[params]\nREVIEW001 = 60\n", "params 'REVIEW001' must be a table of the rule's params"),
])
def test_params_must_be_tables_of_tables(project: Path, text: str, message: str) -> None:
    path = config(project, text)
    with pytest.raises(ConfigError, match=message) as e:
        resolve(Options(), config=path)
    assert str(e.value).startswith(f"{path}:")


@pytest.mark.parametrize(("flag", "message"), [
    ("REVIEW001.min_execution_rate=abc", "REVIEW001.min_execution_rate must be a number"),
    ("REVIEW001.min_execution_rate=inf", "not the non-finite number Infinity"),
    ("REVIEW001.min_execution_rate=nan", "not the non-finite number NaN"),
    ("REVIEW009.x=1", "unknown rule code 'REVIEW009'"),
    ("REVIEW001.execution_rate=1", "did you mean 'min_execution_rate'?"),
])
def test_a_bad_command_line_param_is_a_config_error(project: Path, flag: str, message: str) -> None:
    r = check("--lang", "en", "--param", flag)
    assert r.exit_code == 2 and r.stderr.startswith("auditor: error: command line: --param: ") and message in r.stderr


@pytest.mark.parametrize("flag", ["REVIEW001=60", "min_execution_rate=60", "REVIEW001.min_execution_rate"])
def test_a_malformed_param_flag_is_a_usage_error(project: Path, flag: str) -> None:
    r = check("--param", flag)
    assert r.exit_code == 2 and "expected CODE.NAME=VALUE" in r.stderr


def test_show_settings_shows_the_params_and_where_they_came_from(project: Path) -> None:
    config(project, "[params]\nREVIEW001 = { min_execution_rate = 62.5 }\nREVIEW002 = { max_increase_rate = 150 }\n")
    r = check("--show-settings", "--param", "REVIEW002.max_increase_rate=200", "--param",
              'FUND002.known_labels=["국비"]')
    line = next(x for x in r.stdout.splitlines() if x.startswith("params "))
    assert line == ('params          = REVIEW001.min_execution_rate = 62.5 (config), '
                    'REVIEW002.max_increase_rate = 200 (command line), FUND002.known_labels = ["국비"] (command line)')
    assert "params          = -" in check("--show-settings", "--isolated").stdout


def test_with_params_checks_and_leaves_the_original_alone() -> None:
    rules = load_ruleset()
    changed = rules.with_params({"REVIEW001": {"min_execution_rate": 60}})
    assert changed.get("REVIEW001").params == {"min_execution_rate": 60}
    assert rules.get("REVIEW001").params == {"min_execution_rate": 70}
    with pytest.raises(ParamError, match="not a float") as e:
        rules.with_params({"REVIEW001": {"min_execution_rate": 60.5}})
    assert e.value.key == ("REVIEW001", "min_execution_rate") and "부동소수점" in e.value.message_ko


# --- per-file-ignores on the command line -------------------------------------------------------

def test_per_file_ignores_flag_switches_rules_off_for_matching_paths(project: Path) -> None:
    assert "old/002_09ee4b9481a37380.txt" in check().stdout
    r = check("--per-file-ignores", "sheets/old/*:FUND002")
    assert "FUND002" not in r.stdout and r.exit_code == 0


def test_per_file_ignores_flag_replaces_the_config_table(project: Path) -> None:
    config(project, "select = ['REVIEW001', 'FUND002']\n[params]\nREVIEW001 = { min_execution_rate = 99.5 }\n"
                    "[per-file-ignores]\n'sheets/*.txt' = ['REVIEW001']\n")
    assert LOW_2017 not in check().stdout
    r = check("--per-file-ignores", "sheets/old/*:FUND002")
    assert LOW_2017 in r.stdout and "FUND002" not in r.stdout  # the file's table no longer applies
    assert "per-file-ignores= sheets/old/* -> FUND002\n" in check("--show-settings", "--per-file-ignores",
                                                                  "sheets/old/*:FUND002").stdout


def test_extend_per_file_ignores_adds_to_the_config_table(project: Path) -> None:
    config(project, "select = ['REVIEW001', 'FUND002']\n[params]\nREVIEW001 = { min_execution_rate = 99.5 }\n"
                    "[per-file-ignores]\n'sheets/*.txt' = ['REVIEW001']\n")
    r = check("--extend-per-file-ignores", "sheets/old/*:FUND002,sheets/old/*:REVIEW")
    assert LOW_2017 not in r.stdout and "FUND002" not in r.stdout and r.stdout.startswith("오류 0건")
    shown = check("--show-settings", "--extend-per-file-ignores", "sheets/*.txt:FUND,sheets/old/*:FUND002").stdout
    assert "per-file-ignores= sheets/*.txt -> REVIEW001, FUND, sheets/old/* -> FUND002\n" in shown


@pytest.mark.parametrize("flag", ["--per-file-ignores", "--extend-per-file-ignores"])
def test_a_bad_per_file_ignore_flag_exits_2(project: Path, flag: str) -> None:
    r = check(flag, "sheets/old/*FUND002")
    assert r.exit_code == 2 and "expected GLOB:SELECTOR" in r.stderr
    r = check("--lang", "en", flag, "sheets/old/*:FUND02")
    key = flag.removeprefix("--")
    assert r.exit_code == 2 and f"command line: {key} 'sheets/old/*': unknown rule selector 'FUND02'" in r.stderr
