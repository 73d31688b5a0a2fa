"""``auditor check`` through click's CliRunner: inputs, selection, config, outputs and exit codes."""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from auditor import report
from auditor.cli import main
from auditor.cli.check import FORMAT_NAMES

REPO = Path(__file__).resolve().parent.parent
SHEETS = REPO / "examples" / "sheets"
GOOD = SHEETS / "000_c6c48727fbba6ebb.txt"
ROW_2017 = "2017\t(x-) 236,800\t(x-) 0\t(x-) 7,000\t(x-) 243,800"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project root with two good sheets and one whose 2017 예산현액 is 100 too high.

    Its auditor.toml selects the SET rules, whose findings on these sheets are known exactly
    (SET001 and SET002 on bad.txt); the tests are about the command line, not the rule packs.
    """
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    (tmp_path / "auditor.toml").write_text("select = ['SET']\n", encoding="utf-8")
    sheets = tmp_path / "sheets"
    sheets.mkdir()
    for src in SHEETS.glob("*.txt"):
        shutil.copy(src, sheets / src.name)
    text = GOOD.read_text(encoding="utf-8")
    assert ROW_2017 in text
    (sheets / "bad.txt").write_text(text.replace(ROW_2017, ROW_2017[:-7] + "243,900"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def check(*args: str, input: bytes | None = None):
    return CliRunner().invoke(main, ["check", *args], input=input, catch_exceptions=False)


def as_json(text: str) -> dict:
    return json.loads(text)


def test_format_names_match_the_reporters() -> None:
    assert FORMAT_NAMES == report.FORMATS


def test_good_sheets_exit_0(project: Path) -> None:
    r = check("sheets/000_c6c48727fbba6ebb.txt", "sheets/002_09ee4b9481a37380.txt")
    assert r.exit_code == 0, r.output
    assert "오류 0건" in r.stdout and "파일 2개" in r.stdout


def test_finding_exits_1_and_points_at_the_line(project: Path) -> None:
    r = check("sheets", "--output-format", "concise")
    assert r.exit_code == 1
    assert "sheets/bad.txt:112:37: SET001" in r.stdout
    assert "sheets/bad.txt:112:70: SET002" in r.stdout
    assert "000_c6c48727fbba6ebb.txt:" not in r.stdout


@pytest.mark.parametrize(
    ("args", "code"),
    [
        ((), 1),
        (("--exit-zero",), 0),
        (("--ignore", "SET001,SET002"), 0),
        (("--ignore", "SET001", "--ignore", "settlement.unspent-mismatch"), 0),
        (("--select", "SET003"), 0),
        (("--select", "SET00", "--ignore", "SET"), 1),  # more specific select wins
        (("--severity", "SET=warning"), 0),
        (("--severity", "SET=warning", "--fail-on", "warning"), 1),
        (("--severity", "SET=info", "--fail-on", "warning"), 0),
        (("--severity", "SET=info", "--fail-on", "info"), 1),
        (("--severity", "SET=warning", "--severity", "SET001=error"), 1),
    ],
)
def test_exit_code_table(project: Path, args: tuple[str, ...], code: int) -> None:
    assert check("sheets", *args).exit_code == code


def test_severity_override_shows_in_the_report(project: Path) -> None:
    r = check("sheets", "--severity", "SET001=warning", "--output-format", "json")
    found = {f["rule"]: f["severity"] for f in as_json(r.stdout)["findings"]}
    assert found == {"SET001": "warning", "SET002": "error"}


def test_missing_path_exit_2_but_others_checked(project: Path) -> None:
    r = check("nope.txt", "sheets", "--output-format", "json")
    assert r.exit_code == 2
    doc = as_json(r.stdout)
    assert doc["summary"]["files"] == 3 and len(doc["findings"]) == 2
    assert doc["errors"][0]["path"] == "nope.txt"
    assert "auditor: error: nope.txt: 파일이나 디렉터리가 없습니다" in r.stderr
    # --exit-zero does not hide an unreadable input
    assert check("nope.txt", "sheets", "--exit-zero").exit_code == 2


def test_a_directory_named_like_a_sheet_is_recursed_not_an_error(project: Path) -> None:
    (project / "sheets" / "adir.txt").mkdir()
    r = check("sheets/adir.txt", "sheets/bad.txt", "--output-format", "json")
    assert r.exit_code == 1 and as_json(r.stdout)["summary"]["files"] == 1


def test_unreadable_file_is_reported_by_name(project: Path, monkeypatch) -> None:
    import auditor.readers

    real = auditor.readers.iter_sheets

    def locked(source, display=None, **kw):  # as if the file had no read permission
        if str(source).endswith("002_09ee4b9481a37380.txt"):
            raise auditor.readers.InputError(display, "파일을 읽을 권한이 없습니다", "permission denied")
        return real(source, display, **kw)

    monkeypatch.setattr(auditor.readers, "iter_sheets", locked)
    r = check("sheets", "--lang", "en")
    assert r.exit_code == 2
    assert "sheets/002_09ee4b9481a37380.txt:" in r.stdout and "permission denied" in r.stdout
    assert "SET001" in r.stdout


def test_an_internal_error_on_one_file_does_not_stop_the_others(project: Path, monkeypatch) -> None:
    import auditor.readers

    real = auditor.readers.iter_sheets

    def flaky(source, display=None, **kw):
        if str(source).endswith("002_09ee4b9481a37380.txt"):
            raise RuntimeError("boom")
        return real(source, display, **kw)

    monkeypatch.setattr(auditor.readers, "iter_sheets", flaky)
    r = check("sheets", "--output-format", "json", "--lang", "en")
    assert r.exit_code == 2
    doc = as_json(r.stdout)
    assert doc["summary"]["files"] == 2 and len(doc["findings"]) == 2
    assert "RuntimeError: boom" in doc["errors"][0]["message"] or "boom" in json.dumps(doc["errors"])


def test_stdin_and_stdin_filename(project: Path) -> None:
    data = (project / "sheets" / "bad.txt").read_bytes()
    r = check("-", "--output-format", "concise", input=data)
    assert r.exit_code == 1 and "-:112:37: SET001" in r.stdout
    r = check("-", "--stdin-filename", "sheets/piped.txt", "--output-format", "concise", input=data)
    assert "sheets/piped.txt:112:37: SET001" in r.stdout


def test_unexpanded_glob(project: Path) -> None:
    r = check("sheets/b*.txt", "--output-format", "json")
    assert as_json(r.stdout)["summary"]["files"] == 1 and r.exit_code == 1
    r = check("sheets/*.xlsx")
    assert r.exit_code == 2 and "sheets/*.xlsx" in r.stderr + r.stdout


def test_no_paths_means_the_current_directory(project: Path) -> None:
    r = check("--output-format", "json")
    assert as_json(r.stdout)["summary"]["files"] == 3


def test_empty_directory_warns_and_exits_0(project: Path) -> None:
    (project / "empty").mkdir()
    r = check("empty")
    assert r.exit_code == 0 and "no sheets found" in r.stderr


def test_unknown_selector_exit_2_with_suggestion(project: Path) -> None:
    r = check("sheets", "--select", "SET01X", "--lang", "en")
    assert r.exit_code == 2
    assert "command line: select: unknown rule selector 'SET01X' (did you mean 'SET001'?)" in r.stderr


@pytest.mark.parametrize(("selector", "suggestion"), [("SETT", "SET"), ("NOPE001", None), ("settlment", "settlement")])
def test_unknown_selector_suggestion_in_both_languages(project: Path, selector: str, suggestion) -> None:
    en = check("sheets", "--select", selector, "--lang", "en")
    ko = check("sheets", "--select", selector)
    assert en.exit_code == ko.exit_code == 2
    assert f"unknown rule selector '{selector}'" in en.stderr and f"알 수 없는 규칙 선택자 '{selector}'" in ko.stderr
    assert (f"(did you mean '{suggestion}'?)" in en.stderr) is (suggestion is not None)
    assert (f"(비슷한 선택자: '{suggestion}')" in ko.stderr) is (suggestion is not None)
    assert "did you mean" in en.stderr or suggestion is None
    assert "(를)" not in ko.stderr and "뜻했나요" not in ko.stderr


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("selcet = ['SET']", "auditor.toml:2: unknown key 'selcet' (did you mean 'select'?)"),
        ("ignore = ['SET0O1']", "auditor.toml:2: ignore: unknown rule selector 'SET0O1' (did you mean 'SET001'?)"),
        ("ignore = [\n  'SET',\n  'SET0O1',\n]", "auditor.toml:4: ignore: unknown rule selector 'SET0O1'"),
        ("severity = { SETT = 'info' }", "auditor.toml:2: severity: unknown rule selector 'SETT' (did you mean 'SET'?)"),
        ("[per-file-ignores]\n'a/*' = ['NOPE001']", "auditor.toml:3: per-file-ignores 'a/*': unknown rule selector"),
        ("output-format = 'xml'", "auditor.toml:2: output-format: unknown format 'xml'"),
        ("fail-on = 'fatal'", "auditor.toml:2: 'fail-on': unknown severity 'fatal'"),
    ],
)
def test_config_errors_exit_2(project: Path, config: str, message: str) -> None:
    (project / "auditor.toml").write_text("# settings\n" + config + "\n", encoding="utf-8")
    r = check("sheets", "--lang", "en")
    assert r.exit_code == 2
    assert r.stderr.startswith("auditor: error: ") and message in r.stderr


def test_bad_usage_exit_2(project: Path) -> None:
    assert check("sheets", "--output-format", "yaml").exit_code == 2
    assert check("sheets", "--severity", "SET001").exit_code == 2
    assert check("sheets", "--jobs", "-1").exit_code == 2


def test_rule_pack_error_exit_2_before_reading(project: Path, monkeypatch) -> None:
    (project / "broken.toml").write_text('[[rule]]\ncode = "X001"\nname = \n', encoding="utf-8")
    import auditor.readers

    monkeypatch.setattr(auditor.readers, "iter_sheets", lambda *a, **k: pytest.fail("a sheet was read"))
    r = check("sheets", "--rules", "broken.toml")
    assert r.exit_code == 2
    assert re.match(r"auditor: error: \S*broken\.toml:\d+:\d+: ", r.stderr), r.stderr


RUNTIME_BROKEN_PACK = """\
[pack]
name = "local"
title = { ko = "지역", en = "local" }
version = 1

[[rule]]
code = "LOCAL001"
name = "local.adds-text-to-a-number"
severity = "error"
title = { ko = "숫자에 텍스트를 더하는 단언", en = "Assertion that adds text to a number" }
over = "settlement.rows"
assert = "sum(xs) > 0"
message.ko = "x"
message.en = "x"
[rule.params]
xs = [1, "a"]
[rule.doc]
what = { ko = "x", en = "x" }
why = { ko = "x", en = "x" }
[[rule.doc.example]]
kind = "pass"
text = "x"
[[rule.doc.example]]
kind = "fail"
text = "x"
"""


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_rule_failing_at_run_time_is_a_rule_error_not_a_sheet_error(project: Path, jobs: str) -> None:
    # Loads fine (a param list that starts with a number) but adds text: the pack's fault, at its line.
    (project / "local.toml").write_text(RUNTIME_BROKEN_PACK, encoding="utf-8")
    r = check("sheets", "--rules", "local.toml", "--select", "LOCAL001", "--jobs", jobs)
    assert r.exit_code == 2
    assert re.search(r"auditor: error: \S*local\.toml:12:1: 규칙 LOCAL001의 assert .* / rule LOCAL001 \(assert\)", r.stderr), r.stderr
    assert "내부 오류" not in r.output + r.stderr and "bug in auditor" not in r.output + r.stderr


def test_config_file_settings_apply(project: Path) -> None:
    (project / "auditor.toml").write_text(
        "ignore = ['SET002']\nseverity = { SET001 = 'warning' }\nfail-on = 'warning'\n"
        "output-format = 'concise'\nlang = 'en'\n",
        encoding="utf-8",
    )
    r = check("sheets")
    assert r.exit_code == 1
    assert "SET001" in r.stdout and "SET002" not in r.stdout and "does not equal" in r.stdout
    # the command line overrides the file
    assert check("sheets", "--fail-on", "error").exit_code == 0
    assert "SET002" in check("sheets", "--select", "SET002").stdout
    assert check("sheets", "--isolated").exit_code == 1  # isolated: defaults, both rules as errors


def test_per_file_ignores(project: Path) -> None:
    (project / "auditor.toml").write_text("[per-file-ignores]\n'sheets/b*.txt' = ['settlement']\n",
                                          encoding="utf-8")
    assert check("sheets").exit_code == 0
    (project / "auditor.toml").write_text("[per-file-ignores]\n'other/*.txt' = ['ALL']\n", encoding="utf-8")
    assert check("sheets").exit_code == 1


def test_pyproject_config_from_a_subdirectory(project: Path, monkeypatch) -> None:
    (project / "auditor.toml").unlink()
    (project / "pyproject.toml").write_text("[tool.auditor]\nignore = ['SET']\n", encoding="utf-8")
    monkeypatch.chdir(project / "sheets")
    r = check(".", "--output-format", "concise")
    assert r.exit_code == 0, r.output
    r = check(".", "--show-settings")
    assert f"config-file     = {project / 'pyproject.toml'}" in r.stdout


def test_show_settings(project: Path) -> None:
    (project / "auditor.toml").write_text("ignore = ['SET002']\n", encoding="utf-8")
    r = check("--show-settings", "--fail-on", "warning", "--jobs", "2")
    assert r.exit_code == 0
    for expected in ("config-file     = ", "auditor.toml", "ignore          = SET002", "fail-on         = warning",
                     "output-format   = full", "jobs            = 2", "select          = ALL (default)"):
        assert expected in r.stdout
    assert re.search(r"^  SET001 +error +settlement\.available-mismatch +\S", r.stdout, re.MULTILINE)
    assert "SET002" not in r.stdout.split("rules (")[1]


def test_show_settings_without_a_config_file_says_default(project: Path) -> None:
    (project / "auditor.toml").unlink()
    r = check("--show-settings")
    assert r.exit_code == 0 and "config-file     = (none)" in r.stdout
    assert "select          = ALL (default)\n" in r.stdout


def test_github_actions_default_format(project: Path, monkeypatch) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    r = check("sheets")
    assert r.stdout.startswith("::error ") and "file=sheets/bad.txt,line=112" in r.stdout
    assert "오류 2건" in r.stderr  # the summary goes to stderr, not into the annotations
    assert check("sheets", "--output-format", "concise").stdout.startswith("sheets/bad.txt")


def test_output_file_and_extra_outputs(project: Path) -> None:
    r = check("sheets", "-o", "out.txt", "--sarif-output", "a.sarif", "--json-output", "a.json",
              "--junit-output", "a.xml", "--html-output", "a.html")
    assert r.exit_code == 1 and r.stdout == ""
    assert "오류 2건" in r.stderr
    assert "sheets/bad.txt:112:37: SET001" in (project / "out.txt").read_text(encoding="utf-8")
    sarif = json.loads((project / "a.sarif").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0" and len(sarif["runs"][0]["results"]) == 2
    assert len(json.loads((project / "a.json").read_text(encoding="utf-8"))["findings"]) == 2
    assert "<testsuite" in (project / "a.xml").read_text(encoding="utf-8")
    assert "<html" in (project / "a.html").read_text(encoding="utf-8").lower()
    r = check("sheets", "-o", "no/such/dir/out.txt")
    assert r.exit_code == 2 and "no/such/dir/out.txt" in r.stderr


def test_statistics(project: Path) -> None:
    r = check("sheets", "--statistics")
    assert r.exit_code == 1
    assert re.search(r"SET001\s+settlement.available-mismatch\s+\S+\s+1", r.stdout)
    assert "112" not in r.stdout  # counts, not findings


def test_quiet_prints_findings_only(project: Path) -> None:
    r = check("sheets", "-q")
    assert "SET001" in r.stdout and "오류 2건" not in r.stdout + r.stderr
    r = check("sheets", "-q", "--output-format", "json")
    assert r.stderr == ""
    assert check("sheets/000_c6c48727fbba6ebb.txt", "-q").stdout == ""


def test_color(project: Path, monkeypatch) -> None:
    assert ANSI.search(check("sheets", "--color", "always").stdout)
    assert not ANSI.search(check("sheets", "--color", "never").stdout)
    assert not ANSI.search(check("sheets").stdout)  # auto: not a terminal
    monkeypatch.setenv("NO_COLOR", "1")
    assert ANSI.search(check("sheets", "--color", "always").stdout)  # explicit always wins
    from auditor.cli.check import use_color

    class Tty:
        def isatty(self) -> bool:
            return True

    assert use_color("auto", Tty()) is False
    monkeypatch.delenv("NO_COLOR")
    assert use_color("auto", Tty()) is True


def test_lang_en(project: Path) -> None:
    r = check("sheets", "--lang", "en")
    assert "does not equal" in r.stdout and "Found 2 errors" in r.stdout


def test_jobs_output_is_identical(project: Path) -> None:
    for i in range(6):
        shutil.copy(project / "sheets" / "bad.txt", project / "sheets" / f"copy{i}.txt")
    for fmt in ("full", "json", "sarif"):
        one = check("sheets", "--jobs", "1", "--output-format", fmt)
        two = check("sheets", "--jobs", "2", "--output-format", fmt)
        every = check("sheets", "--jobs", "0", "--output-format", fmt)
        assert one.exit_code == two.exit_code == every.exit_code == 1
        assert one.stdout == two.stdout == every.stdout


def test_check_dot_in_a_repo_with_docs_reads_no_markdown(project: Path) -> None:
    (project / "docs").mkdir()
    (project / "docs" / "guide.md").write_text("# Guide\n\nSome prose.\n- a list\n", encoding="utf-8")
    (project / "requirements.txt").write_text("click>=8\nattrs\n", encoding="utf-8")
    r = check("-v", "--select", "ALL")
    assert "PARSE" not in r.stdout, r.stdout
    read = [line.removeprefix("auditor: ") for line in r.stderr.splitlines() if line.startswith("auditor: sheets/")]
    assert len(read) == len(list((project / "sheets").iterdir()))
    assert "guide.md" not in r.stderr and "requirements.txt" not in r.stderr


def test_junit_failures_agree_with_the_exit_code(project: Path) -> None:
    r = check("sheets", "--severity", "SET=info", "--output-format", "junit")
    assert r.exit_code == 0, r.output
    root = ET.fromstring(r.stdout.encode("utf-8"))
    assert root.get("failures") == "0" and len(root.findall(".//system-out")) >= 2
    r = check("sheets", "--severity", "SET=info", "--fail-on", "info", "--output-format", "junit")
    assert r.exit_code == 1
    root = ET.fromstring(r.stdout.encode("utf-8"))
    assert int(root.get("failures")) == len(root.findall(".//failure")) >= 2


@pytest.mark.parametrize(
    ("cwd", "arg", "shown"),
    [(".", "sheets/bad.txt", "sheets/bad.txt"), ("sheets", "bad.txt", "bad.txt"),
     ("sheets", ".", "bad.txt"), ("other", "../sheets/bad.txt", "../sheets/bad.txt")],
)
def test_human_formats_print_paths_from_the_current_directory(project: Path, monkeypatch, cwd, arg, shown) -> None:
    (project / "other").mkdir()
    reference = json.loads(check("sheets/bad.txt", "--output-format", "json").stdout)
    monkeypatch.chdir(project / cwd)
    concise = check(arg, "--output-format", "concise")
    assert f"{shown}:112:" in concise.stdout, concise.stdout
    assert Path(shown).is_file(), "a printed path resolves from where auditor ran"
    full = check(arg)
    assert f"{shown}:112:" in full.stdout
    machine = json.loads(check(arg, "--output-format", "json").stdout)
    bad = [f for f in machine["findings"] if f["path"] == "sheets/bad.txt"]
    assert bad and [f["fingerprint"] for f in bad] == [
        f["fingerprint"] for f in reference["findings"] if f["path"] == "sheets/bad.txt"
    ], "json keeps root-relative paths and the same fingerprints"


def test_github_paths_are_relative_to_the_workspace(project: Path, monkeypatch) -> None:
    monkeypatch.chdir(project / "sheets")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(project.parent))
    r = check("bad.txt", "--output-format", "github")
    assert f"file={project.name}/sheets/bad.txt,line=112" in r.stdout, r.stdout
    monkeypatch.delenv("GITHUB_WORKSPACE")
    r = check("bad.txt", "--output-format", "github")
    assert "file=bad.txt,line=112" in r.stdout


def test_config_error_is_shown_in_the_files_own_language(project: Path) -> None:
    (project / "auditor.toml").write_text('lang = "en"\nselcet = ["SET"]\n', encoding="utf-8")
    r = check("sheets")
    assert r.exit_code == 2 and "auditor.toml:2: unknown key 'selcet' (did you mean 'select'?)" in r.stderr
    r = check("sheets", "--lang", "ko")
    assert "auditor.toml:2: 알 수 없는 키 'selcet' (비슷한 키: 'select')" in r.stderr
