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

    @classmethod
    def unchecked(cls, path: str, line: int, column: int, text: str) -> Source:
        """A Source without running the validators: for readers, which only make valid positions.

        The reader makes a Source for nearly every cell it reads; the validators' calls are most
        of what that costs.
        """
        source = object.__new__(cls)
        object.__setattr__(source, "path", path)
        object.__setattr__(source, "line", line)
        object.__setattr__(source, "column", column)
        object.__setattr__(source, "text", text)
        return source

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

    @classmethod
    def unchecked(cls, value: int | Decimal, unit: str, source: Source) -> Amount:
        """An Amount without running the validators: for readers, whose number parser only ever
        gives an int or a Decimal (see :class:`Source.unchecked`)."""
        amount = object.__new__(cls)
        object.__setattr__(amount, "value", value)
        object.__setattr__(amount, "unit", unit)
        object.__setattr__(amount, "source", source)
        return amount

    @property
    def is_money(self) -> bool:
        return self.unit in MONEY_UNITS

    @property
    def won(self) -> int | Fraction:
        """The amount in 원, exactly. Raises ``ValueError`` for a non-money unit."""
        scale = MONEY_UNITS.get(self.unit)
        if scale is None:
            raise ValueError(f"{self.unit!r} is not a money unit")
        if type(self.value) is int:
            return self.value * scale
        scaled = Fraction(self.value) * scale
        return int(scaled) if scaled.denominator == 1 else scaled

    @property
    def exact(self) -> int | Fraction:
        """The value as the rules compute with it: in 원 for money, else in its own unit; an
        ``int`` when whole, else a ``Fraction`` (never a float)."""
        value = self.value
        scale = MONEY_UNITS.get(self.unit, 1)
        if type(value) is int:
            return value * scale
        exact = Fraction(value) * scale
        return exact.numerator if exact.denominator == 1 else exact

    @property
    def half(self) -> int | Fraction:
        """Half the value of the last printed digit, in the unit of :attr:`exact` (500 for an integer
        천원 figure, 50 for one with one decimal): the figure stands for ``[exact - half, exact + half)``."""
        value = self.value
        if type(value) is int:
            scale = MONEY_UNITS.get(self.unit, 1)
            return scale >> 1 if not scale & 1 else Fraction(scale, 2)
        step: int | Fraction = 1
        if isinstance(value, Decimal):
            exponent = value.as_tuple().exponent
            if isinstance(exponent, int):
                step = 10**exponent if exponent >= 0 else Fraction(1, 10**-exponent)
        step *= MONEY_UNITS.get(self.unit, 1)
        half = Fraction(step) / 2
        return half.numerator if half.denominator == 1 else half


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
