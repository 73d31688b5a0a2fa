"""The e호조 totals read an Amount's whole 원 from its ``exact`` (set by the readers): the same as its
``won`` (None for a unit that is not money, or a 원 value that is not whole), for every value and unit."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, strategies as st

from auditor.source import MONEY_UNITS, Amount, Source, new_amount
from auditor.totals import _won

SRC = Source("export.csv", 3, 1, "")
VALUES = st.one_of(st.integers(-10**15, 10**15),
                   st.decimals(min_value=-10**9, max_value=10**9, places=4, allow_nan=False, allow_infinity=False))
UNITS = st.sampled_from([*MONEY_UNITS, "명", "%", "", "개월"])


def by_won(amount: Amount | None) -> int | None:
    """The definition: ``won`` when the unit is money and the 원 value is whole."""
    if amount is None or not amount.is_money:
        return None
    won = amount.won
    return won if isinstance(won, int) else None


@given(VALUES, UNITS, st.booleans())
def test_whole_won_read_from_exact_is_won(value, unit, fast):
    amount = new_amount(value, unit, ("export.csv", 3, 1, "")) if fast else Amount(value, unit, SRC)
    assert _won(amount) == by_won(amount)
    assert type(_won(amount)) is type(by_won(amount))


def test_a_fraction_of_a_won_and_a_count_are_not_summed():
    assert _won(Amount(Decimal("0.0005"), "천원", SRC)) is None
    assert _won(Amount(Decimal("1.5"), "천원", SRC)) == 1500
    assert _won(Amount(3, "명", SRC)) is None and _won(None) is None
