"""An unreadable formula always gives CALC003, whatever limit it breaks (issue 18's silent miss).

Each limit of docs/grammar.md (bracket depth, length, digits in one number) is tried at, just under
and just over the limit, in a formula that is a whole cell (as e호조 formula cells and label-less
items are), after a label with a money unit, and through the rules on a sheet: under the limit the
formula is read and checked (CALC001), over it CALC003 points at the first character that broke it.
"""

from __future__ import annotations

import pytest

from auditor.engine import load_ruleset
from auditor.formula import MAX_DEPTH, MAX_DIGITS, MAX_LENGTH, formula_attempt, split_label
from auditor.readers import read_bytes


def nested(depth: int, unit: str = "") -> str:
    return "(" * depth + f"5,000{unit}*2" + ")" * depth


def long_sum(length: int, unit: str = "") -> str:
    """``(1+1+…+1)`` with *unit* after the last figure, exactly *length* characters long."""
    body = "1" + unit
    while len(body) + 4 <= length:
        body += "+1"
    return "(" + body + ")" + " " * (length - len(body) - 2)


def digits(count: int, unit: str = "") -> str:
    return f"({'1' * count}{unit}*2)"


# (formula text, 1-based column at which a broken limit is reported, or None if within the limits)
CASES = [
    *((nested(d, u), MAX_DEPTH + 1 if d > MAX_DEPTH else None) for d in (MAX_DEPTH - 1, MAX_DEPTH, MAX_DEPTH + 1,
                                                                          MAX_DEPTH + 5) for u in ("", "원")),
    *((long_sum(n, u).rstrip(), MAX_LENGTH + 1 if len(long_sum(n, u).rstrip()) > MAX_LENGTH else None)
      for n in (MAX_LENGTH - 1, MAX_LENGTH, MAX_LENGTH + 1, MAX_LENGTH + 9) for u in ("", "원")),
    *((digits(n, u), 2 if n > MAX_DIGITS else None) for n in (MAX_DIGITS - 1, MAX_DIGITS, MAX_DIGITS + 1)
      for u in ("", "원")),
]
IDS = [f"{len(t)}ch-{'bad' if c else 'ok'}-{'원' if '원' in t else 'bare'}" for t, c in CASES]


@pytest.mark.parametrize(("text", "column"), CASES, ids=IDS)
def test_a_formula_cell_is_read_or_reported_at_every_limit(text, column):
    label, formula = split_label(text)
    found = formula_attempt(text)
    if column is None:
        assert (label, formula, found) == ("", text, None)
    else:
        assert formula is None and found is not None, text
        start, err = found
        assert start + err.column == column, (start, err)


@pytest.mark.parametrize(("text", "column"), [c for c in CASES if "원" in c[0]],
                         ids=[i for i, c in zip(IDS, CASES) if "원" in c[0]])
def test_after_a_label_a_money_formula_is_read_or_reported_at_every_limit(text, column):
    item = f"회의비 {text}"
    label, formula = split_label(item)
    if column is None:
        assert (label, formula) == ("회의비", text)
    else:
        start, err = formula_attempt(label)
        assert formula is None and start + err.column == len("회의비 ") + column


RULES = load_ruleset()
HEAD = "산출근거\n\n과목구분\t2025년 예산내역\n사무관리비\t○ 회의\t= 1,000천원\n"


@pytest.mark.parametrize(("text", "column"), CASES, ids=IDS)
def test_the_rules_never_stay_silent_on_a_formula_cell(text, column):
    sheet = read_bytes((HEAD + f"\t- {text}\t= 1,000천원\n").encode("utf-8"), "limits.txt", fragment=True)
    calc = sorted((f.code, f.column) for f in RULES.check(sheet) if f.code.startswith("CALC") and f.line == 5)
    if column is None:  # read: its value (not 1,000천원) is checked
        assert [code for code, _ in calc] == ["CALC001"]
    else:
        assert calc == [("CALC003", len("\t- ") + column)]
