"""Every rule's fail cases render clean messages in Korean and English, and comparisons show both sides."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from auditor.engine import load_ruleset
from auditor.readers import read_bytes
from tests.test_rule_cases import case_findings

CASES = Path(__file__).resolve().parents[1] / "rules" / "cases"
RULES = load_ruleset()
#: Rules whose check compares two values: each finding must show both, with units where there are any.
PAIRED = {r.code for r in RULES.rules if r.actual is not None or r.show_actual is not None}
#: A paired particle left after a Hangul value (behind closing quotes or brackets) was not resolved.
UNRESOLVED = re.compile(r"[가-힣]['\"’”)\]]*(은\(는\)|는\(은\)|이\(가\)|가\(이\)|을\(를\)|를\(을\)|과\(와\)|와\(과\)|\(으\)로|\(이\)라)")


def _fail_findings() -> list:
    out = []
    for path in sorted(CASES.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for i, case in enumerate(data["case"]):
            if case["kind"] != "fail":
                continue
            if "documents" in case:  # a cross-document rule's case
                found = case_findings(data["rule"], case, RULES)
            else:
                raw = bytes.fromhex(case["hex"]) if "hex" in case else case["text"].encode("utf-8")
                found = RULES.check(read_bytes(raw, f"{data['rule']}.case.txt"))
            for f in found:
                if f.code == data["rule"]:
                    out.append(pytest.param(f, id=f"{data['rule']}-{i}-{f.line}"))
    return out


FINDINGS = _fail_findings()


@pytest.mark.parametrize("finding", FINDINGS)
def test_a_message_has_no_leftover_placeholder(finding):
    for message in (finding.message_ko, finding.message_en):
        assert message.strip(), finding
        for bad in ("%%", "{", "}", "None", "?", "MISSING"):
            assert bad not in message, (bad, message)
        assert not UNRESOLVED.search(message), message


@pytest.mark.parametrize("finding", [p for p in FINDINGS if p.values[0].code in PAIRED])
def test_a_comparison_shows_both_sides_with_their_units(finding):
    assert finding.actual and finding.expected, finding
    for unit in ("천원", "원", "%"):
        if finding.actual.endswith(unit) and re.fullmatch(r"-?[\d,.…]+" + unit, finding.actual):
            assert finding.expected.endswith(unit), (finding.actual, finding.expected)


def test_the_rules_the_reviewer_named_now_show_both_sides():
    assert {"RATE002", "SET004", "SET005", "FUND002", "XREF005", "CALC002", "RATE003", "SET006"} <= PAIRED


def test_a_zero_sum_of_money_carries_its_unit():
    sum002 = [p.values[0] for p in FINDINGS if p.values[0].code == "SUM002"]
    zero = [f for f in sum002 if f.expected == "0천원"]
    assert zero and "합(0천원)" in zero[0].message_ko, sum002


def test_a_negative_settlement_amount_is_named_and_pointed_at():
    text = ("5 최근 3년 결산 현황\n\n(단위 : 천원)\n\n연도\t최종예산\t전년이월\t예산변경\t예산현액\t집행액\t차년이월\t집행잔액\n"
            "2022\t(x-) 13,500\t(x-) 0\t(x-) 1,500\t(x-) 15,000\t(x-) 15,042\t(x-) 0\t(x-) △42\n")
    sheet = read_bytes(text.encode("utf-8"), "s.txt")
    [f] = [f for f in RULES.check(sheet) if f.code == "SET005"]
    row = text.split("\n")[5]
    assert f.line == 6 and row[f.column - 1 :].startswith("(x-) △42")
    assert "집행잔액(-42천원)이 음수" in f.message_ko and f.actual == "-42천원" and f.expected == "0천원"


def test_a_mixed_convention_names_it_in_each_language_and_relates_the_earlier_line():
    text = "\t- 다과 1,236원*100명\t=\t123천원\n\t- 자료 2,375원*100부\t=\t238천원\n"
    sheet = read_bytes(("과목구분\t2020년 예산내역\n사무관리비\t○ 다과\t=\t361천원\n" + text).encode("utf-8"), "c.txt")
    [f] = [f for f in RULES.check(sheet) if f.code == "CALC002"]
    assert f.line == 4 and 3 in {r.line for r in f.related}
    assert "절사(버림)" in f.message_ko and "floor" not in f.message_ko and "truncation" in f.message_en
