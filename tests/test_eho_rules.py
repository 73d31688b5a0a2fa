"""Rules on e호조 exports: the samples are clean; breaking one number fires the rule of its identity there."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from auditor.engine import load_ruleset
from auditor.readers import read_bytes, read_file
from auditor.readers.csvline import split_csv_line

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "examples" / "eho").glob("*.csv"))
SYNTHETIC = (ROOT / "examples" / "eho" / "eho-expenditure-sample.csv").read_text(encoding="utf-8")
RULES = load_ruleset()
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
#: Columns of the export (0-based): 산출근거식, 예산액, 기정액, 비교증감, then 11 funding triples.
FORMULA, AMOUNT, PREVIOUS, CHANGE, FUNDING = 18, 19, 20, 21, 22


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_the_samples_give_no_finding_at_all(path):
    assert RULES.check(read_file(path)) == []


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_the_identities_are_checked_not_skipped(path):
    """Every record has the values FUND003/FUND005/RATE005/CALC001 read, so a clean run means they held."""
    sheet = read_file(path)
    for category in sheet.basis.categories:
        for node in [*category.groups, *(i for g in category.groups for i in g.items)]:
            assert None not in (node.amount, node.previous, node.change) and node.funding
            assert node.amount.value == sum(s.current.value for s in node.funding)


def _cell(value: int) -> str:
    text = f"{value:,}"
    return f'"{text}"' if "," in text else text


def _replace(line: str, index: int, new: str) -> str:
    cell = split_csv_line(line)[index]
    start = cell.column - 1 - cell.quoted
    return line[:start] + new + line[start + len(cell.raw):]


def _number(cell: str) -> int:
    return int(cell.replace(",", ""))


@st.composite
def broken(draw):
    """(text, line, kind): the synthetic sample with one number changed on one line."""
    lines = SYNTHETIC.split("\n")
    n = draw(st.integers(3, len([x for x in lines if x])))
    cells = [c.value for c in split_csv_line(lines[n - 1])]
    kind = draw(st.sampled_from(["amount", "previous", "change", "current", "share-previous", "share-change",
                                 "formula"]))
    delta = draw(st.integers(-5000, 5000).filter(bool))
    if kind == "formula":
        if not cells[FORMULA]:
            kind = "change"  # the one group without a formula: break its change instead
        else:
            factor = draw(st.sampled_from([2, 3, 10]))
            first = re.search(r"\d{1,3}(?:,\d{3})+|\d+", cells[FORMULA])
            formula = cells[FORMULA][:first.start()] + f"{_number(first[0]) * factor:,}" + cells[FORMULA][first.end():]
            return _replaced(lines, n, FORMULA, f'"{formula}"'), n, kind
    source = draw(st.integers(0, 10))
    index = {"amount": AMOUNT, "previous": PREVIOUS, "change": CHANGE, "current": FUNDING + 3 * source,
             "share-previous": FUNDING + 3 * source + 1, "share-change": FUNDING + 3 * source + 2}[kind]
    return _replaced(lines, n, index, _cell(_number(cells[index]) + delta)), n, kind


def _replaced(lines: list[str], n: int, index: int, new: str) -> str:
    out = list(lines)
    out[n - 1] = _replace(lines[n - 1], index, new)
    return "\n".join(out)


#: For each broken number: the rules that must fire on its line, and those that may also fire.
EXPECTED = {
    "amount": ({"FUND003", "RATE005"}, {"CALC001", "CALC002", "SUM001"}),
    "previous": ({"FUND005", "RATE005"}, set()),
    "change": ({"RATE005"}, set()),
    "current": ({"FUND003", "FUND004"}, set()),
    "share-previous": ({"FUND005", "FUND004"}, set()),
    "share-change": ({"FUND004"}, set()),
    "formula": ({"CALC001"}, set()),
}


@SETTINGS
@given(broken())
def test_breaking_one_number_fires_the_rule_of_its_identity_on_that_line_and_nothing_else(case):
    text, line, kind = case
    sheet = read_bytes(text.encode("utf-8"), "broken.csv")
    assert sheet.problems == ()
    findings = RULES.check(sheet)
    must, may = EXPECTED[kind]
    on_line = {f.code for f in findings if f.line == line}
    assert must <= on_line, (kind, line, [(f.code, f.line) for f in findings])
    for f in findings:
        # SUM001 fires on the group of a changed item, hence on another line
        assert f.code in must | may and (f.line == line or f.code == "SUM001"), (kind, line, f.code, f.line)


def test_a_broken_item_fires_sum001_on_its_group():
    lines = SYNTHETIC.split("\n")
    text = _replaced(lines, 6, AMOUNT, _cell(3900))  # ο리플릿 3,600 → 3,900 under ○ 홍보물 제작 (line 5)
    findings = RULES.check(read_bytes(text.encode("utf-8"), "broken.csv"))
    assert sorted((f.code, f.line) for f in findings) == [("CALC001", 6), ("FUND003", 6), ("RATE005", 6), ("SUM001", 5)]


def test_a_non_eho_csv_gives_one_unknown_header_warning():
    findings = RULES.check(read_bytes("이름,금액\n가,1\n".encode(), "other.csv"))
    assert [(f.code, f.severity.value, f.line) for f in findings] == [("PARSE005", "warning", 1)]
