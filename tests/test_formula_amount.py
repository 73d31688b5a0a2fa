"""Table-driven tests of stated amounts (parse_amount) and the rounding check (check_amount)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction as F

import pytest

from auditor.formula import FormulaSyntaxError, check_amount, parse_amount

AMOUNTS = [
    ("= 4,800천원", 4800, "천원"),
    ("=\t55,275천원", 55275, "천원"),
    ("=   55,275천원  ", 55275, "천원"),
    ("△1,000천원", -1000, "천원"),
    ("Δ 500천원", -500, "천원"),
    ("= ▲17,000천원", -17000, "천원"),
    ("55,275", 55275, ""),
    ("30,000,000원", 30_000_000, "원"),
    ("= 1.5억원", Decimal("1.5"), "억원"),
    ("4.80백만원", Decimal("4.80"), "백만원"),
    ("= 5만원", 5, "만원"),
    ("=\u00a055천원", 55, "천원"),
    ("\u3000=\u20091,000\u00a0천원\u3000", 1000, "천원"),
    ("＝ ５５천원", 55, "천원"),
]


@pytest.mark.parametrize(("text", "value", "unit"), AMOUNTS, ids=[t for t, _, _ in AMOUNTS])
def test_parse_amount(text, value, unit):
    parsed = parse_amount(text)
    assert parsed == (value, unit)
    assert type(parsed[0]) is type(value)


@pytest.mark.parametrize(("text", "column"), [("= x", 3), ("= 4,800명", 8), ("", 1), ("==3", 2),
                                              ("= 4,80천원", 4), ("9" * 200, 101)])
def test_unreadable_amount_points_at_its_column(text, column):
    with pytest.raises(FormulaSyntaxError) as info:
        parse_amount(text)
    assert info.value.column == column


ALL = {"exact", "ceil", "round", "floor"}
# (computed 원, stated value, stated unit, ok, conventions, difference in 원)
CHECKS = [
    (F(4_800_000), 4800, "천원", True, ALL, 0),
    (F(193_723_200), 193_724, "천원", True, {"ceil"}, 800),            # e호조 rounds up
    (F(193_723_200), 193_723, "천원", True, {"round", "floor"}, -200),
    (F(1_660_500), 1661, "천원", True, {"ceil", "round"}, 500),
    (F(1_660_500), 1660, "천원", True, {"floor"}, -500),
    (F(4_799_001), 4800, "천원", True, {"ceil"}, 999),
    (F(4_799_500), 4800, "천원", True, {"ceil", "round"}, 500),
    (F(4_800_999), 4800, "천원", True, {"floor"}, -999),
    (F(4_801_000), 4800, "천원", False, set(), -1000),                  # 1천원 off: an error
    (F(4_799_000), 4800, "천원", False, set(), 1000),
    (F(2_000_000, 3), 667, "천원", True, {"ceil", "round"}, F(1000, 3)),
    (F(1_523_000), 1_523_000, "원", True, ALL, 0),
    (F(1_523_000), 1_523_001, "원", False, set(), 1),                   # 원 means no rounding
    (F(1000, 3), 333, "원", True, {"round", "floor"}, F(-1, 3)),
    (F(1_500_000), 2, "백만원", True, {"ceil", "round"}, 500_000),
    (F(4_850_000), Decimal("4.9"), "백만원", True, {"ceil", "round"}, 50_000),
    (F(4_850_000), Decimal("4.7"), "백만원", False, set(), -150_000),
    (F(-1_500), -2, "천원", True, {"ceil", "round"}, -500),             # on the magnitude
    (F(-1_500), -1, "천원", True, {"floor"}, 500),
    (-1_000_000, -1000, "천원", True, ALL, 0),
]


@pytest.mark.parametrize(("computed", "stated", "unit", "ok", "conventions", "difference"), CHECKS)
def test_check_amount(computed, stated, unit, ok, conventions, difference):
    check = check_amount(computed, stated, unit)
    assert (check.ok, check.conventions, check.difference_won) == (ok, conventions, difference)
    assert check.ok == (check.low < F(computed) < check.high)


def test_conventions_have_korean_names_in_order():
    assert check_amount(1_660_500, 1661, "천원").conventions_ko == ("올림", "반올림")
    assert check_amount(1_660_000, 1660, "천원").conventions_ko == ("정확", "올림", "반올림", "절사")


@pytest.mark.parametrize("unit", ["", "명", "천"])
def test_check_amount_needs_a_money_unit(unit):
    with pytest.raises(ValueError, match="money unit"):
        check_amount(1000, 1, unit)


def test_check_amount_refuses_floats():
    with pytest.raises(ValueError, match="float"):
        check_amount(1000.0, 1, "천원")
