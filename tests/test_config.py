"""Configuration: discovery walking up, precedence, validation with suggestions, CLI overrides."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from auditor.config import ConfigError, Options, describe, find_config, parse_options, resolve
from auditor.discovery import DEFAULT_EXCLUDE, DEFAULT_INCLUDE
from auditor.findings import Severity
from auditor.selection import Layer


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_nearest_config_walking_up(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.auditor]\nselect = ['SET']\n")
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert find_config(deep) == tmp_path / "pyproject.toml"
    write(tmp_path / "a" / "auditor.toml", "")
    assert find_config(deep) == tmp_path / "a" / "auditor.toml"


def test_auditor_toml_wins_over_pyproject_in_the_same_directory(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.auditor]\nselect = ['SET']\n")
    write(tmp_path / "auditor.toml", "select = ['SUM']\n")
    assert find_config(tmp_path) == tmp_path / "auditor.toml"
    assert resolve(Options(), cwd=tmp_path).file.select == ("SUM",)


def test_pyproject_without_tool_auditor_is_skipped(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.auditor]\nlang = 'en'\n")
    write(tmp_path / "sub" / "pyproject.toml", "[project]\nname = 'x'\n")
    assert find_config(tmp_path / "sub") == tmp_path / "pyproject.toml"
    s = resolve(Options(), cwd=tmp_path / "sub")
    assert s.lang == "en" and s.root == tmp_path


def test_no_config_means_defaults_and_cwd_root(tmp_path: Path) -> None:
    s = resolve(Options(), cwd=tmp_path)
    assert s.config_path is None and s.root == tmp_path
    assert (s.fail_on, s.lang, s.output_format) == (Severity.ERROR, "ko", None)
    assert s.include == DEFAULT_INCLUDE and s.exclude == DEFAULT_EXCLUDE
    assert s.layers == (Layer(), Layer())


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("selcet = ['SET']", "unknown key 'selcet' (did you mean 'select'?)"),
        ("per_file_ignores = {}", "unknown key 'per_file_ignores' (did you mean 'per-file-ignores'?)"),
        ("zzzzzz = 1", "unknown key 'zzzzzz'"),
        ("select = 'SET'", "'select' must be a list of strings"),
        ("fail-on = 'fatal'", "'fail-on': unknown severity 'fatal'"),
        ("severity = { SET001 = 'loud' }", "'severity.SET001': unknown severity 'loud'"),
        ("lang = 'fr'", "'lang' must be one of ko, en"),
        ("per-file-ignores = { 'old/*' = 'SET' }", "per-file-ignores 'old/*' must be a list of selectors"),
        ("select = [", "invalid TOML"),
    ],
)
def test_bad_config_names_the_file_and_the_problem(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path / "auditor.toml", "# settings\n" + text + "\n")
    with pytest.raises(ConfigError) as e:
        resolve(Options(), cwd=tmp_path)
    assert str(e.value).startswith(f"{path}:2:")  # the bad key is on line 2, after a comment
    assert message in str(e.value)
    assert e.value.message_ko.startswith(f"{path}:2:")


@pytest.mark.parametrize(
    ("name", "text", "line"),
    [
        ("auditor.toml", "fail-on = 'error'\n\nselcet = ['SET']\n", 3),
        ("auditor.toml", "lang = 'ko'\n[severity]\nSET = 'warning'\nSET001 = 'loud'\n", 4),
        ("auditor.toml", "severity = { SET = 'warning', 'SET001' = 'loud' }\n", 1),
        ("auditor.toml", "select = ['SET']\n\n[per-file-ignores]\n'old/*' = 'SET'\n", 4),
        ("pyproject.toml", "[project]\nname = 'x'\n[tool.ruff]\nlang = 3\n\n[tool.auditor]\nselect = ['SET']\nlang = 'fr'\n", 8),
        ("pyproject.toml", "[tool.auditor]\nfail-on = 'error'\n[tool.auditor.severity]\nSET = 'bad'\n", 4),
        ("pyproject.toml", "[tool.other]\nx = 1\n[tool]\nauditor = 3\n", 1),
    ],
)
def test_config_errors_point_at_the_line_of_the_key(tmp_path: Path, name: str, text: str, line: int) -> None:
    path = write(tmp_path / name, text)
    with pytest.raises(ConfigError) as e:
        resolve(Options(), config=path, cwd=tmp_path)
    assert str(e.value).startswith(f"{path}:{line}: "), str(e.value)
    assert e.value.message_ko.startswith(f"{path}:{line}: ")


def test_unknown_key_in_pyproject_table(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.auditor]\nfail_on = 'warning'\n")
    with pytest.raises(ConfigError, match="did you mean 'fail-on'"):
        resolve(Options(), cwd=tmp_path)


def test_all_keys_parse(tmp_path: Path) -> None:
    path = write(
        tmp_path / "conf" / "auditor.toml",
        """
select = ["SET", "SUM"]
extend-select = ["BAS001"]
ignore = ["SET002"]
per-file-ignores = { "old/*.txt" = ["SET"], "drafts/**" = ["ALL"] }
severity = { SUM = "warning", "SUM001" = "info" }
rules = ["packs/local.toml"]
fail-on = "warning"
output-format = "concise"
lang = "en"
include = ["*.txt"]
exclude = ["archive"]
extend-exclude = ["tmp"]
""",
    )
    o = parse_options(__import__("auditor.config", fromlist=["load_table"]).load_table(path), path)
    assert o.select == ("SET", "SUM") and o.extend_select == ("BAS001",) and o.ignore == ("SET002",)
    assert o.per_file_ignores == (("old/*.txt", ("SET",)), ("drafts/**", ("ALL",)))
    assert o.severity == (("SUM", Severity.WARNING), ("SUM001", Severity.INFO))
    assert o.rules == (tmp_path / "conf" / "packs" / "local.toml",)  # relative to the config file
    assert (o.fail_on, o.output_format, o.lang) == (Severity.WARNING, "concise", "en")
    s = resolve(Options(), cwd=tmp_path / "conf")
    assert s.include == ("*.txt",) and s.exclude == ("archive", "tmp")


def test_cli_overrides_config(tmp_path: Path) -> None:
    write(tmp_path / "auditor.toml", "select = ['SET']\nextend-select = ['BAS']\nignore = ['SET002']\n"
          "fail-on = 'warning'\nlang = 'en'\nexclude = ['a']\nrules = ['p.toml']\n")
    cli = Options(select=("SUM",), ignore=("SUM010",), fail_on=Severity.INFO, lang="ko",
                  extend_exclude=("b",), rules=(Path("/abs/q.toml"),))
    s = resolve(cli, cwd=tmp_path)
    # a CLI --select replaces the config's select and extend-select; the config ignore stays
    assert s.layers == (Layer(None, (), ("SET002",)), Layer(("SUM",), (), ("SUM010",)))
    assert (s.fail_on, s.lang) == (Severity.INFO, "ko")
    assert s.exclude == ("a", "b")
    assert s.rules == (tmp_path / "p.toml", Path("/abs/q.toml"))


def test_isolated_and_explicit_config(tmp_path: Path) -> None:
    write(tmp_path / "auditor.toml", "lang = 'en'\n")
    other = write(tmp_path / "elsewhere" / "pyproject.toml", "[tool.auditor]\nfail-on = 'info'\n")
    assert resolve(Options(), cwd=tmp_path, isolated=True).config_path is None
    s = resolve(Options(), cwd=tmp_path, config=other)
    assert s.config_path == other and s.fail_on == Severity.INFO and s.lang == "ko"
    assert s.root == other.parent
    with pytest.raises(ConfigError, match="config file not found"):
        resolve(Options(), cwd=tmp_path, config=tmp_path / "missing.toml")


def test_describe_lists_what_was_resolved(tmp_path: Path) -> None:
    import attrs

    @attrs.frozen
    class R:
        code: str
        name: str
        severity: Severity

    path = write(tmp_path / "auditor.toml", "ignore = ['SET002']\nseverity = { SET001 = 'warning' }\n")
    text = describe(resolve(Options(fail_on=Severity.WARNING), cwd=tmp_path),
                    [R("SET001", "settlement.available-mismatch", Severity.WARNING)], output_format="json", jobs=2)
    for expected in (f"config-file     = {path}", "ignore          = SET002", "fail-on         = warning",
                     "output-format   = json", "SET001=warning", "rules (1 selected):", "select          = ALL (default)"):
        assert expected in text
    assert re.search(r"^  SET001 +warning +settlement\.available-mismatch$", text, re.MULTILINE)


@pytest.mark.parametrize(
    ("config", "cli", "shown"),
    [(None, None, "ALL (default)"), ("select = ['SET']", None, "SET (config)"),
     ("select = ['SET']", ("SUM", "XREF"), "SUM, XREF (command line)"), (None, ("SUM",), "SUM (command line)"),
     ("ignore = ['SET']", None, "ALL (default)")],
)
def test_describe_says_where_select_came_from(tmp_path: Path, config, cli, shown) -> None:
    if config is not None:
        write(tmp_path / "auditor.toml", config + "\n")
    text = describe(resolve(Options(select=cli), cwd=tmp_path), [], output_format="full", jobs=1)
    assert f"select          = {shown}\n" in text


def test_describe_rule_table_is_aligned_for_long_codes_and_hangul_titles(tmp_path: Path) -> None:
    from wcwidth import wcswidth

    from auditor.engine import load_ruleset

    rules = load_ruleset(()).rules
    assert any(len(r.code) > 8 for r in rules), "REVIEW codes are longer than the others"
    text = describe(resolve(Options(), cwd=tmp_path), rules, output_format="full", jobs=1)
    rows = text.split(" selected):\n", 1)[1].splitlines()
    assert len(rows) == len(rules)
    for column in ("name", "title"):
        starts = set()
        for row, rule in zip(rows, sorted(rules, key=lambda r: r.code)):
            cell = rule.name if column == "name" else rule.doc.title("ko")
            starts.add(wcswidth(row[: row.index(cell)]))  # display cells before the column
        assert len(starts) == 1, (column, starts)


def test_unknown_key_hint_in_korean_has_no_paired_particle(tmp_path: Path) -> None:
    write(tmp_path / "auditor.toml", "selcet = ['SET']\n")
    with pytest.raises(ConfigError) as e:
        resolve(Options(), cwd=tmp_path)
    assert "알 수 없는 키 'selcet' (비슷한 키: 'select')" in e.value.message_ko
    assert "(를)" not in e.value.message_ko
