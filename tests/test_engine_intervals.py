"""Rounding intervals (XBRL Calculations 1.1 style): half-open intervals, tolerance as a function of N."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.engine.values import Num, from_amount, meets
from auditor.source import Amount, Source

H = Fraction(500)  # half of 1천원, in 원


def thousand(v: int, line: int = 1) -> Num:
    return from_amount(Amount(v, "천원", Source("s.txt", line)))


def total(nums: list[Num]) -> Num:
    out = Num(Fraction(0))
    for n in nums:
        out = out + n
    return out


def test_an_amount_in_thousands_stands_for_a_half_open_interval():
    n = thousand(1523)
    assert n.value == 1_523_000
    assert n.dev.contains(Fraction(-500)) and not n.dev.contains(Fraction(500))


def test_one_term_off_by_exactly_one_unit_fails_and_two_terms_tolerate_it():
    assert not meets(thousand(101), thousand(100))
    assert meets(thousand(101), total([thousand(50), thousand(50)]))
    assert not meets(thousand(102), total([thousand(50), thousand(50)]))


def test_decimal_figures_have_a_finer_interval():
    n = from_amount(Amount(Decimal("1.5"), "천원", Source("s.txt", 1)))
    assert n.value == 1500 and n.dev.hi == 50


@settings(max_examples=300)
@given(st.integers(1, 12), st.lists(st.integers(0, 10**6), min_size=1, max_size=12), st.integers(-8, 8))
def test_tolerance_is_n_plus_one_half_units(n_terms, values, offset):
    terms = [thousand(v) for v in (values * n_terms)[:n_terms]]
    expected = total(terms)
    stated = sum((values * n_terms)[:n_terms]) + offset
    difference = abs(Fraction(offset * 1000))
    assert meets(thousand(stated), expected) == (difference < (n_terms + 1) * H)


@settings(max_examples=300)
@given(st.lists(st.integers(0, 10**5), min_size=1, max_size=6), st.integers(-4000, 4000),
       st.lists(st.fractions(min_value=0, max_value=1), min_size=7, max_size=7))
def test_a_witness_inside_the_intervals_implies_meeting(values, offset_won, picks):
    """Choose true values inside every term's interval; if the total then lands in its own, they meet."""
    stated_thousands = sum(values) + offset_won // 1000
    terms = [thousand(v) for v in values]
    true_terms = [Fraction(v * 1000) - H + 2 * H * p for v, p in zip(values, picks)]
    true_total = sum(true_terms)
    stated = thousand(stated_thousands)
    inside = stated.value - H <= true_total < stated.value + H
    if inside and all(p < 1 for p in picks[: len(values)]):
        assert meets(stated, total(terms))


def test_subtraction_flips_the_open_end():
    a, b = thousand(10), thousand(3)
    d = a - b
    assert (d.dev.lo, d.dev.hi, d.dev.lo_closed, d.dev.hi_closed) == (-1000, 1000, False, False)


def test_exact_terms_compare_exactly():
    exact_seven = Num(Fraction(7_000))
    assert meets(exact_seven, Num(Fraction(7_000)))
    assert not meets(Num(Fraction(7_001)), exact_seven)
