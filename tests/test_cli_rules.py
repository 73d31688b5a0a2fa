"""``auditor rules`` and ``auditor rule CODE``, and extra packs given with ``--rules``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from auditor.cli import main

REPO = Path(__file__).resolve().parent.parent
LOCAL_PACK = """\
[pack]
name = "local"
title = { ko = "지역 규칙", en = "Local rules" }
version = 1

[[rule]]
code = "LOC001"
name = "local.available-check"
severity = "warning"
title = { ko = "예산현액 재확인", en = "Available budget, checked again" }
over = "settlement.rows"
actual = "예산현액"
expected = "최종예산 + 전년이월 + 예산변경"
compare = "rounding"
key = "local[{연도}]"
message.ko = "{연도}년 예산현액 확인"
message.en = "{연도}: check the available budget"

[rule.doc]
what = { ko = "예산현액을 다시 검사합니다.", en = "Checks the available budget again." }
why = { ko = "지역 기준입니다.", en = "A local standard." }
"""


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def isolated_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "local.toml").write_text(LOCAL_PACK, encoding="utf-8")
    return tmp_path


def test_rules_table_lists_every_builtin_rule(isolated_cwd: Path) -> None:
    r = invoke("rules")
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    assert lines[0].split()[:4] == ["코드", "이름", "심각도", "팩"]
    for code in ("SET001", "SET002", "SET003", "SET004", "SET005"):
        assert any(line.startswith(code + " ") for line in lines)
    assert "예산현액이 최종예산+전년이월+예산변경과 다름" in r.stdout
    assert "Available budget differs" in invoke("rules", "--lang", "en").stdout


def test_rules_json_with_an_extra_pack(isolated_cwd: Path) -> None:
    r = invoke("rules", "--format", "json", "--rules", "local.toml")
    docs = {d["code"]: d for d in json.loads(r.stdout)}
    assert docs["LOC001"]["severity"] == "warning" and docs["LOC001"]["name"] == "local.available-check"
    assert docs["SET001"]["title_en"].startswith("Available budget")
    assert list(docs) == sorted(docs)


def test_config_rules_are_listed_unless_isolated(isolated_cwd: Path) -> None:
    (isolated_cwd / "auditor.toml").write_text("rules = ['local.toml']\n", encoding="utf-8")
    assert "LOC001" in invoke("rules").stdout
    assert "LOC001" not in invoke("rules", "--isolated").stdout


@pytest.mark.parametrize("query", ["SET001", "set001", "settlement.available-mismatch"])
def test_rule_prints_its_documentation(isolated_cwd: Path, query: str) -> None:
    r = invoke("rule", query)
    assert r.exit_code == 0
    assert r.stdout.startswith("SET001  settlement.available-mismatch  [error]")
    for section in ("## 무엇을 검사하나", "## 왜 문제인가", "## 예", "[통과]", "[지적]"):
        assert section in r.stdout
    en = invoke("rule", query, "--lang", "en").stdout
    assert "## What it does" in en and "## Why is this bad?" in en


@pytest.mark.parametrize(
    ("query", "suggestion"),
    [("SET01", "SET001"), ("SET0001", "SET001"), ("settlement.available-mismach", "settlement.available-mismatch")],
)
def test_unknown_rule_suggests_the_nearest(isolated_cwd: Path, query: str, suggestion: str) -> None:
    r = invoke("rule", query, "--lang", "en")
    assert r.exit_code == 2
    assert f"unknown rule '{query}' (did you mean '{suggestion}'?)" in r.stderr
    ko = invoke("rule", query)
    assert ko.exit_code == 2
    assert f"알 수 없는 규칙 '{query}' (비슷한 규칙: '{suggestion}')" in ko.stderr and "(를)" not in ko.stderr


@pytest.mark.parametrize(("query", "suggestion"), [("SETT", "SET001"), ("NOPE001", None), ("PARS", "PARSE001")])
def test_unknown_rule_suggests_a_rule_of_the_nearest_family(isolated_cwd: Path, query: str, suggestion) -> None:
    r = invoke("rule", query, "--lang", "en")
    assert r.exit_code == 2
    if suggestion is None:
        assert "did you mean" not in r.stderr
    else:
        assert f"(did you mean '{suggestion}'?)" in r.stderr


def test_unknown_rule_without_a_near_one(isolated_cwd: Path) -> None:
    r = invoke("rule", "ZZZZZZZZZZZZZZ")
    assert r.exit_code == 2 and "did you mean" not in r.stderr


def test_extra_pack_rules_run_and_can_be_selected(isolated_cwd: Path) -> None:
    text = (REPO / "examples/sheets/000_c6c48727fbba6ebb.txt").read_text(encoding="utf-8")
    (isolated_cwd / "bad.txt").write_text(
        text.replace("(x-) 7,000\t(x-) 243,800", "(x-) 7,000\t(x-) 243,900"), encoding="utf-8")
    r = invoke("check", "bad.txt", "--rules", "local.toml", "--select", "local.", "--output-format", "concise")
    assert r.exit_code == 0  # LOC001 is a warning; fail-on is error
    assert "LOC001" in r.stdout and "SET001" not in r.stdout
    assert invoke("check", "bad.txt", "--rules", "local.toml", "--select", "LOC", "--fail-on", "warning").exit_code == 1
    assert invoke("rule", "LOC001", "--rules", "local.toml").exit_code == 0


def test_rule_pack_error_in_rules_command(isolated_cwd: Path) -> None:
    (isolated_cwd / "bad.toml").write_text("[[rule]]\ncode = 1\n", encoding="utf-8")
    r = invoke("rules", "--rules", "bad.toml")
    assert r.exit_code == 2 and r.stderr.startswith("auditor: error: ") and "bad.toml:" in r.stderr
