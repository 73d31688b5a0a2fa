"""Every formula line of the real sheets and e호조 exports parses and matches its stated amount."""

from __future__ import annotations

import csv
import re
from functools import reduce
from pathlib import Path

import pytest

from auditor.formula import check_amount, evaluate, parse_amount, parse_formula, split_label

ROOT = Path(__file__).resolve().parent.parent
SHEETS = sorted((ROOT / "examples" / "sheets").glob("*.txt"))
EXPORTS = sorted((ROOT / "examples" / "eho").glob("*.csv"))

# A 산출근거 line: a cell that starts with a marker (○, ο or -), then tab(s), then "= N천원".
SHEET_LINE = re.compile(r"(?:^|\t)[○ο\-][ \t]*(?P<description>[^\t]*?)[ \t]*\t+(?P<rhs>=[ \t]*[0-9,]+천원)")


def sheet_lines():
    for path in SHEETS:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            match = SHEET_LINE.search(line)
            if match:
                yield pytest.param(match["description"], match["rhs"], id=f"{path.name}:{number}")


def export_rows():
    for path in EXPORTS:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        header = rows[0]
        formula_at, amount_at = header.index("산출근거식"), header.index("예산액")
        for number, row in enumerate(rows[2:], 3):
            if row[formula_at].strip():
                yield pytest.param(row[formula_at], row[amount_at], id=f"{path.name}:{number}")


SHEET_LINES = list(sheet_lines())
EXPORT_ROWS = list(export_rows())


def test_the_real_data_is_all_found():
    # 21 산출근거 lines in the two sheets (17 with a formula), 373 formulas in the exports (53 in the 합본 excerpt).
    assert len(SHEETS) == 2 and len(SHEET_LINES) == 21
    assert len(EXPORTS) == 4 and len(EXPORT_ROWS) == 373


@pytest.mark.parametrize(("description", "rhs"), SHEET_LINES)
def test_sheet_formula_matches_its_amount(description, rhs):
    label, formula = split_label(description)
    assert label
    value, unit = parse_amount(rhs)
    if formula is None:  # a ○ heading whose amount is the sum of its - items
        assert not re.search(r"[0-9,]+원", description)
        return
    check = check_amount(evaluate(parse_formula(formula)), value, unit)
    assert check.ok, (formula, rhs, check)


def test_sheets_have_17_formulas_and_4_headings():
    formulas = [split_label(p.values[0])[1] for p in SHEET_LINES]
    assert sum(f is not None for f in formulas) == 17


@pytest.mark.parametrize(("formula", "amount"), EXPORT_ROWS)
def test_export_formula_matches_its_budget_amount(formula, amount):
    check = check_amount(evaluate(parse_formula(formula)), int(amount.replace(",", "")), "천원")
    assert check.ok, (formula, amount, check)


def test_exports_round_up_like_eho():
    conventions = [
        check_amount(evaluate(parse_formula(f)), int(a.replace(",", "")), "천원").conventions
        for f, a in (p.values for p in EXPORT_ROWS)
    ]
    rounded = [c for c in conventions if "exact" not in c]
    assert rounded  # the exports do contain lines that needed rounding
    assert reduce(frozenset.intersection, rounded) == {"ceil"}
