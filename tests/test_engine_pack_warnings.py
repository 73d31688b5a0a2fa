"""A user's pack that lacks English messages or documentation loads with a warning at its line, or fails when strict."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from auditor.cli import main
from auditor.engine import PackWarning, RulePackError, load_ruleset

COMPLETE = """\
[pack]
name = "city"

[[rule]]
code = "CITY001"
name = "settlement.city-spent-over"
severity = "warning"
title = { ko = "집행액이 예산현액보다 큼", en = "Spent more than available" }
over = "settlement.rows"
assert = "집행액 <= 예산현액"
message.ko = "{연도}년 집행액이 예산현액보다 큽니다."
message.en = "{연도}: spent more than available."

[rule.doc]
what = { ko = "집행액 ≤ 예산현액", en = "spent ≤ available" }
why = { ko = "초과 집행", en = "overspending" }

[[rule.doc.example]]
kind = "pass"
text = "2017	(x-) 1	(x-) 0	(x-) 0	(x-) 1	(x-) 1	(x-) 0	(x-) 0"

[[rule.doc.example]]
kind = "fail"
text = "2017	(x-) 1	(x-) 0	(x-) 0	(x-) 1	(x-) 2	(x-) 0	(x-) -1"
"""


def pack(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "city.toml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_the_built_in_packs_give_no_warning():
    assert load_ruleset().warnings == ()


def test_a_complete_pack_gives_no_warning(tmp_path):
    assert load_ruleset([pack(tmp_path, COMPLETE)]).warnings == ()


@pytest.mark.parametrize(("cut", "missing"), [
    ('message.en = "{연도}: spent more than available."\n', "message.en"),
    ('title = { ko = "집행액이 예산현액보다 큼", en = "Spent more than available" }\n', "title.ko, title.en"),
    (', en = "Spent more than available"', "title.en"),
    (', en = "spent ≤ available"', "doc.what.en"),
    ('why = { ko = "초과 집행", en = "overspending" }\n', "doc.why.ko, doc.why.en"),
    ('[[rule.doc.example]]\nkind = "fail"\n', "doc.example (fail)"),
])
def test_an_incomplete_rule_loads_with_a_warning_at_its_line(tmp_path, cut, missing):
    text = COMPLETE.replace(cut, "" if "example" not in cut else '[[rule.doc.example]]\nkind = "pass"\n')
    path = pack(tmp_path, text)
    rules = load_ruleset([path])
    assert rules.get("CITY001") is not None
    [warning] = rules.warnings
    assert isinstance(warning, PackWarning) and (warning.path, warning.line, warning.column) == (str(path), 4, 1)
    assert str(warning) == f"{path}:4:1: rule CITY001 lacks {missing} (--lang en shows Korean instead, " \
                           "and 'auditor rule CITY001' is incomplete)"
    assert warning.message("ko").startswith(f"{path}:4:1: 규칙 CITY001에 없는 항목: {missing} (")


def test_a_strict_load_refuses_an_incomplete_rule(tmp_path):
    path = pack(tmp_path, COMPLETE.replace('message.en = "{연도}: spent more than available."\n', ""))
    with pytest.raises(RulePackError) as info:
        load_ruleset([path], strict=True)
    assert (info.value.path, info.value.line) == (str(path), 4) and "lacks message.en" in info.value.message


@pytest.fixture
def incomplete(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    (tmp_path / "auditor.toml").write_text("select = ['CITY']\nrules = ['city.toml']\n", encoding="utf-8")
    (tmp_path / "sheet.txt").write_text(
        "5 최근 3년 결산 현황\n\n(단위 : 천원)\n\n연도\t최종예산\t전년이월\t예산변경\t예산현액\t집행액\t차년이월\t집행잔액\n"
        "2017\t(x-) 1\t(x-) 0\t(x-) 0\t(x-) 1\t(x-) 2\t(x-) 0\t(x-) -1\n", encoding="utf-8")
    return pack(tmp_path, COMPLETE.replace('message.en = "{연도}: spent more than available."\n', ""))


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_check_prints_the_warning_on_stderr_and_still_checks(incomplete):
    r = run("check", "sheet.txt", "--output-format", "concise", "--lang", "en")
    assert f"auditor: warning: {incomplete}:4:1: rule CITY001 lacks message.en" in r.stderr
    assert "sheet.txt:6:" in r.stdout and "CITY001" in r.stdout  # English output falls back to Korean
    assert "auditor: warning:" not in run("check", "sheet.txt", "-q").stderr


@pytest.mark.parametrize("how", ["flag", "config"])
def test_strict_rules_makes_it_an_error(incomplete, how):
    if how == "config":
        (incomplete.parent / "auditor.toml").write_text("select = ['CITY']\nrules = ['city.toml']\nstrict-rules = true\n",
                                                        encoding="utf-8")
    r = run("check", "sheet.txt", *(("--strict-rules",) if how == "flag" else ()))
    assert r.exit_code == 2 and r.stderr.startswith(f"auditor: error: {incomplete}:4:1: rule CITY001 lacks message.en")
    assert "strict-rules    = true" in run("check", "--show-settings", "--strict-rules", "--isolated").stdout


def test_strict_rules_must_be_a_truth_value(incomplete):
    (incomplete.parent / "auditor.toml").write_text("strict-rules = 'yes'\n", encoding="utf-8")
    r = run("check", "sheet.txt", "--lang", "en")
    assert r.exit_code == 2 and "auditor.toml:1: 'strict-rules' must be true or false" in r.stderr


def test_the_rule_listing_warns_too(incomplete):
    r = run("rules")
    assert r.exit_code == 0 and "CITY001" in r.stdout
    assert f"auditor: warning: {incomplete}:4:1: 규칙 CITY001에 없는 항목: message.en" in r.stderr


def test_a_cached_load_keeps_its_warnings_and_strictness(tmp_path):
    path = pack(tmp_path, COMPLETE.replace('message.en = "{연도}: spent more than available."\n', ""))
    first, second = load_ruleset([path]).warnings, load_ruleset([path]).warnings  # the second from the cache
    assert first == second and len(first) == 1
    with pytest.raises(RulePackError, match="lacks message.en"):
        load_ruleset([path], strict=True)
