"""Numbers as printed: markers, the four minus signs, commas, decimals and units."""

from __future__ import annotations

from decimal import Decimal

import pytest

from auditor.readers.numbers import Number, parse_number

CASES = [
    ("(x-) 250,600", Number(250_600, None)),
    ("(x-) △14,800", Number(-14_800, None)),
    ("Δ17,000", Number(-17_000, None)),
    ("-5", Number(-5, None)),
    ("−3,877", Number(-3_877, None)),
    ("(x-)(x-) 0", Number(0, None)),
    ("235,800천원", Number(235_800, "천원")),
    ("55,275 천원", Number(55_275, "천원")),
    ("6,000원", Number(6_000, "원")),
    ("3백만원", Number(3, "백만원")),
    ("2억원", Number(2, "억원")),
    ("1.5억원", Number(Decimal("1.5"), "억원")),
    ("△2.50%", Number(Decimal("-2.50"), "%")),
    ("1853", Number(1853, None)),
    ("12,34", None),
    ("abc", None),
    ("", None),
    ("(x-)", None),
    ("1,000부", None),
    ("= 60,000천원", None),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] or "empty" for c in CASES])
def test_parse_number(text, expected):
    assert parse_number(text) == expected


def test_values_are_never_floats():
    for text, expected in CASES:
        if expected is not None:
            assert type(parse_number(text).value) in (int, Decimal)
