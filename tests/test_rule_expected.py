"""What a finding shows as expected is exact: the values the rule accepts, never a cut decimal (``10.659…%``)."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from auditor.cli import main
from auditor.engine import load_ruleset
from auditor.readers import read_bytes
from tests.test_rule_cases import case_findings

ROOT = Path(__file__).resolve().parents[1]
RULES = load_ruleset()
SUMMARY = """\
□ 예산 총괄

(단위 : 천원, %)

구 분	2019예산액 (A)	2020예산액 (B)	증감 (B-A)	(B-A)*100/A
계	(x-) 122,900	(x-) 136,000	(x-) 13,100	(x-) {total}
사무관리비	(x-) 122,900	(x-) 136,000	(x-) 13,100	(x-) {row}
"""


def _fail_findings():
    for path in sorted((ROOT / "rules" / "cases").glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for case in data["case"]:
            if "documents" in case:  # a cross-document rule's case
                found = case_findings(data["rule"], case, RULES)
            else:
                raw = bytes.fromhex(case["hex"]) if "hex" in case else case["text"].encode("utf-8")
                found = RULES.check(read_bytes(raw, f"{data['rule']}.case.txt", fragment=case.get("fragment", True)))
            for f in found:
                if f.code == data["rule"]:
                    yield f


def test_no_fail_case_shows_a_cut_decimal():
    shown = [(f.code, f.expected, f.actual) for f in _fail_findings()]
    assert shown and not [s for s in shown if "…" in (s[1] or "") + (s[2] or "")]


@pytest.mark.parametrize(("total", "row", "expected"), [
    ("12", "10.5", {6: "10%, 11%", 7: "10.6%, 10.7%"}),  # 13,100 × 100 / 122,900 = 10.659…
    ("11", "10.4", {6: "10%, 11%", 7: "10.6%, 10.7%"}),
])
def test_rate_mismatch_shows_the_truncated_and_rounded_rates_in_json_and_sarif(tmp_path, total, row, expected):
    sheet = tmp_path / "rate.txt"
    sheet.write_text(SUMMARY.format(total=total, row=row), encoding="utf-8")
    run = CliRunner().invoke(main, ["check", str(sheet), "--isolated", "--select", "RATE002", "--output-format",
                                    "json", "--sarif-output", str(tmp_path / "out.sarif")], catch_exceptions=False)
    report = json.loads(run.stdout)
    schema = json.loads((ROOT / "tests" / "data" / "auditor-report-v1.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(report, schema)
    got = {f["line"]: f["expected"] for f in report["findings"]}
    if total == "11":  # 11 is the rounded rate: only the row is wrong
        expected = {7: expected[7]}
    assert got == expected
    sarif = json.loads((tmp_path / "out.sarif").read_text(encoding="utf-8"))
    results = sarif["runs"][0]["results"]
    assert {r["locations"][0]["physicalLocation"]["region"]["startLine"]: r["properties"]["expected"]
            for r in results} == expected


def test_one_accepted_rate_is_shown_once(tmp_path):
    sheet = read_bytes(SUMMARY.format(total="10", row="9").replace("13,100", "12,600").replace("136,000", "135,500")
                       .encode(), "r.txt", fragment=True)
    # 12,600 × 100 / 122,900 = 10.252…: truncated and rounded are both 10
    [found] = [f for f in RULES.check(sheet) if f.code == "RATE002"]
    assert (found.line, found.expected, found.actual) == (7, "10%", "9%")
