"""Read one number as printed in a sheet: markers, minus signs, commas, decimals and units."""

from __future__ import annotations

import re
from decimal import Decimal

from auditor import recache
from auditor.lazyre import lazy
from auditor.plain import Field, Frozen, frozen

#: Characters the budget books print for a minus sign.
MINUS_SIGNS = "△Δ-−"  # U+25B3, U+0394, ASCII hyphen-minus, U+2212
#: Units a number may carry, longest first so that ``천원`` wins over ``원``.
UNITS = ("백만원", "억원", "천원", "원", "%")

#: The ``(x-)`` cell marker that text extraction leaves before many numbers.
MARKER = recache.compile(r"\(\s*x\s*-\s*\)\s*")
#: Matched against stripped text, so no blanks at either end (``\s*`` there backtracked quadratically).
_NUMBER = lazy(
    r"""(?P<sign>[△Δ\-−])?\s*
        (?P<digits>\d{1,3}(?:,\d{3})+|\d+)
        (?P<fraction>\.\d+)?
        (?:\s*(?P<unit>백만원|억원|천원|원|%))?""",
    re.VERBOSE,
)
#: The most digits a number may have (as in the formula grammar): more is no amount of money, and
#: Python refuses to convert an integer of more than 4,300 digits.
MAX_DIGITS = 30
#: A whole cell as one number, markers and blanks included: :func:`strip_marker` then ``_NUMBER`` in
#: one match (the sign's blanks follow the sign only, so no two ``\s*`` meet and nothing backtracks
#: more than linearly). ``tests/test_reader_numbers.py`` shows :func:`read_number` agrees with them.
_CELL = recache.compile(
    r"""\s*(?:\(\s*x\s*-\s*\)\s*)*
        (?:(?P<sign>[△Δ\-−])\s*)?
        (?P<digits>\d{1,3}(?:,\d{3})+|\d+)
        (?P<fraction>\.\d+)?
        (?:\s*(?P<unit>백만원|억원|천원|원|%))?\s*""",
    re.VERBOSE,
)
_cell_number = _CELL.fullmatch
#: What most cells hold: digits (commas between thousands) and perhaps a unit, nothing before or after.
#: Where it matches the whole text, :data:`_CELL` matches it with the same digits and unit (no marker,
#: sign or decimals, which this refuses): the same sub-pattern, with nothing else to take the text.
_plain_number = recache.compile(r"(\d{1,3}(?:,\d{3})+|\d+)(?:\s*(백만원|억원|천원|원|%))?").fullmatch


_set = object.__setattr__


class Number(Frozen):
    """A number read from text: exact value with sign, and the unit written after it (or None)."""

    __slots__ = ("value", "unit", "__weakref__")
    value: int | Decimal
    unit: str | None

    def __init__(self, value: int | Decimal, unit: str | None) -> None:
        _set(self, "value", value)
        _set(self, "unit", unit)


frozen(Number, Field("value"), Field("unit"))


def strip_marker(text: str) -> str:
    """The text without leading ``(x-)`` markers."""
    while True:
        m = MARKER.match(text.lstrip())
        if not m:
            return text.strip()
        text = text.lstrip()[m.end():]


def parse_number(text: str) -> Number | None:
    """``"(x-) △14,800"`` → ``Number(-14800, None)``; ``"60,000천원"`` → ``Number(60000, "천원")``.

    Returns None when the whole text is not one number (after any ``(x-)`` marker), or when
    it has more than :data:`MAX_DIGITS` digits (see :func:`too_long`).
    """
    found = read_number(text)
    return None if found is None else Number(*found)


def read_number(text: str) -> tuple[int | Decimal, str | None] | None:
    """``(value, unit or None)`` of what :func:`parse_number` reads, without making a Number; for readers."""
    m = _plain_number(text)
    if m is not None:
        digits, unit = m.groups()
        if "," in digits:
            digits = digits.replace(",", "")
        return None if len(digits) > MAX_DIGITS + 1 else (int(digits), unit)
    m = _cell_number(text)
    if m is None:
        return None
    sign, digits, fraction, unit = m.group("sign", "digits", "fraction", "unit")
    if "," in digits:
        digits = digits.replace(",", "")
    if fraction is None:
        if len(digits) > MAX_DIGITS + 1:
            return None
        value: int | Decimal = int(digits)
    else:
        if len(digits) + len(fraction) > MAX_DIGITS + 1:
            return None
        value = Decimal(digits + fraction)
    return (-value if sign else value), unit



def too_long(text: str) -> bool:
    """Is ``text`` a number but for having more than :data:`MAX_DIGITS` digits?"""
    m = _NUMBER.fullmatch(strip_marker(text))
    return bool(m) and sum(c.isdigit() for c in m[0]) > MAX_DIGITS
