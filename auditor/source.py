"""Where a value came from, and the value objects that carry it: Amount, Year and Text."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import attrs

#: Money units and how many 원 one of each is worth.
MONEY_UNITS: dict[str, int] = {"원": 1, "천원": 1_000, "만원": 10_000, "백만원": 1_000_000, "억원": 100_000_000}


@attrs.frozen
class Source:
    """A place in an input file: 1-based line and column, and the text as written there."""

    path: str
    line: int = attrs.field(validator=attrs.validators.ge(1))
    column: int = attrs.field(default=1, validator=attrs.validators.ge(1))
    text: str = ""

    @property
    def end_column(self) -> int | None:
        """1-based column just past ``text`` on its line (exclusive end), or None without text."""
        return self.column + len(self.text) if self.text else None

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@attrs.frozen
class Amount:
    """A number as printed in a sheet: its exact value, its unit, and where it was read.

    ``value`` is the number as written, sign applied (△1,000 → -1000). It is an
    ``int`` unless the text had a decimal point, in which case it is an exact
    ``Decimal``. It is never a float.
    """

    value: int | Decimal = attrs.field(validator=attrs.validators.instance_of((int, Decimal)))
    unit: str
    source: Source

    @value.validator
    def _not_bool(self, attribute, value):  # bool is an int subclass; it is never an amount
        if isinstance(value, bool):
            raise TypeError("Amount.value must be int or Decimal, not bool")

    @property
    def is_money(self) -> bool:
        return self.unit in MONEY_UNITS

    @property
    def won(self) -> int | Fraction:
        """The amount in 원, exactly. Raises ``ValueError`` for a non-money unit."""
        if not self.is_money:
            raise ValueError(f"{self.unit!r} is not a money unit")
        scaled = Fraction(self.value) * MONEY_UNITS[self.unit]
        return int(scaled) if scaled.denominator == 1 else scaled


@attrs.frozen
class Year:
    """A year as written in a sheet (``2020`` of ``2020예산액 (B)``), and where it was read.

    ``source.text`` is the four digits exactly. Equality is attrs' own (value and source), as for
    Amount and Text; ``int(year)`` and ``str(year)`` give the plain number.
    """

    value: int = attrs.field(validator=attrs.validators.instance_of(int))
    source: Source

    def __int__(self) -> int:
        return self.value

    __index__ = __int__

    def __str__(self) -> str:
        return str(self.value)


@attrs.frozen
class Text:
    """A piece of text read from a sheet, with where it was read."""

    value: str
    source: Source

    def __str__(self) -> str:
        return self.value


_new = object.__new__
_set = object.__setattr__


def trusted_source(path: str, line: int, column: int, text: str) -> Source:
    """``Source(path, line, column, text)`` without re-running its validators, for a reader's inner loop.

    For values the caller has already made valid (``line`` and ``column`` at least 1); the result
    equals the validated construction (a test holds the two together, field by field).
    """
    source = _new(Source)
    _set(source, "path", path)
    _set(source, "line", line)
    _set(source, "column", column)
    _set(source, "text", text)
    return source


def trusted_amount(value: int | Decimal, unit: str, source: Source) -> Amount:
    """``Amount(value, unit, source)`` for a value already read as an ``int`` or ``Decimal`` (never a bool)."""
    amount = _new(Amount)
    _set(amount, "value", value)
    _set(amount, "unit", unit)
    _set(amount, "source", source)
    return amount
