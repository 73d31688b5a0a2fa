"""Exact numbers with provenance and rounding intervals (Arelle-style), as rule expressions see them.

A figure printed in 천원 stands for every 원 amount that rounds to it: the
half-open interval ``[v - ½u, v + ½u)`` where ``u`` is the value of its last
printed digit (1,000원 for an integer 천원 figure). A :class:`Num` keeps its exact
central value and the *deviation* interval of the true value around it. Adding
values adds their deviation intervals; an identity ``actual = expected`` holds
under rounding when ``0`` lies in ``(actual - expected)``'s interval, i.e. when
the intervals of the two sides can meet. For ``actual`` and ``N`` summed terms
on the other side, all with half-unit ``h``, the identity fails exactly when
``|difference| >= (N + 1) * h``.
"""

from __future__ import annotations

import functools

from decimal import Decimal
from fractions import Fraction

from auditor.source import MONEY_UNITS, Amount, Source

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["Dev", "EXACT", "Num", "MISSING", "Missing", "Rational", "divide", "rational", "from_amount", "exact",
           "meets", "format_num"]


Rational = int | Fraction


def rational(x: int | Fraction | Decimal) -> Rational:
    """``x`` as an exact rational: an ``int`` when it is whole (ints are much faster), else a Fraction."""
    if type(x) is int:
        return x
    q = Fraction(x)
    return q.numerator if q.denominator == 1 else q


def divide(a: Rational, b: Rational) -> Rational:
    """``a / b`` exactly, never a float: an ``int`` when it divides evenly."""
    if type(a) is int and type(b) is int:
        q, r = divmod(a, b)
        return q if r == 0 else Fraction(a, b)
    q = Fraction(a) / b
    return q.numerator if q.denominator == 1 else q


class Dev:
    """A deviation interval ``lo .. hi``; each end is closed or open. Immutable by convention.

    A plain slotted class rather than a frozen attrs class: the engine works with many of them,
    and a frozen class's guarded attribute setting is most of what making one costs. Nothing
    assigns to a Dev's fields once it is made. ``EXACT`` is the empty deviation of an exact value.
    (A :class:`Num` keeps its interval's four parts itself.)
    """

    __slots__ = ("lo", "hi", "lo_closed", "hi_closed")

    def __init__(self, lo: Rational = 0, hi: Rational = 0, lo_closed: bool = True, hi_closed: bool = True):
        self.lo = lo
        self.hi = hi
        self.lo_closed = lo_closed
        self.hi_closed = hi_closed

    def _key(self) -> tuple:
        return (self.lo, self.hi, self.lo_closed, self.hi_closed)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Dev):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"Dev(lo={self.lo!r}, hi={self.hi!r}, lo_closed={self.lo_closed}, hi_closed={self.hi_closed})"

    def __reduce__(self):
        return Dev, self._key()

    def __add__(self, other: Dev) -> Dev:
        if other is EXACT:
            return self
        if self is EXACT:
            return other
        return _dev(self.lo + other.lo, self.hi + other.hi,
                    self.lo_closed and other.lo_closed, self.hi_closed and other.hi_closed)

    def __neg__(self) -> Dev:
        if self is EXACT:
            return self
        return _dev(-self.hi, -self.lo, self.hi_closed, self.lo_closed)

    def scale(self, k: Rational) -> Dev:
        if k == 0 or self is EXACT:
            return EXACT
        if k > 0:
            return _dev(self.lo * k, self.hi * k, self.lo_closed, self.hi_closed)
        return _dev(self.hi * k, self.lo * k, self.hi_closed, self.lo_closed)

    @property
    def exact(self) -> bool:
        return self.lo == 0 == self.hi

    def contains(self, x: Rational) -> bool:
        above = self.lo < x or (self.lo_closed and self.lo == x)
        below = x < self.hi or (self.hi_closed and self.hi == x)
        return above and below


_dev = Dev


#: The deviation of an exact value.
EXACT = Dev()


class Missing:
    """A value the sheet does not have (the reader reported it): the rule is not applicable."""

    _instance: Missing | None = None

    def __new__(cls) -> Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        raise TypeError("a missing value has no truth value")


MISSING = Missing()


class Num:
    """An exact number: money in 원, anything else in its own unit; never a float. Immutable.

    ``value`` is an ``int``, or a ``Fraction`` when it is not whole. ``dev`` is the deviation
    interval of the true value around it (see the module docstring), kept as its four parts
    ``lo``, ``hi``, ``lo_closed`` and ``hi_closed``. ``unit`` is the display unit (``천원``, ``%`` …,
    ``None`` for a plain number); ``sources`` are the ``(Source, label)`` pairs of every Amount it
    was computed from; ``places`` the decimal places as printed, for a value read from the sheet
    (``None`` once computed). Immutable by convention, like Dev, and for the same reason: every
    arithmetic step of every rule makes one.
    """

    __slots__ = ("value", "lo", "hi", "lo_closed", "hi_closed", "unit", "sources", "places")

    def __init__(self, value: Rational, dev: Dev = EXACT, unit: str | None = None,
                 sources: tuple[tuple[Source, str], ...] = (), places: int | None = None):
        if type(value) is not int and type(value) is not Fraction:
            if isinstance(value, float) or isinstance(value, bool):
                raise TypeError(f"Num needs an exact int or Fraction, not {type(value).__name__}")
            value = rational(value)
        self.value = value
        self.lo, self.hi, self.lo_closed, self.hi_closed = dev.lo, dev.hi, dev.lo_closed, dev.hi_closed
        self.unit = unit
        self.sources = sources
        self.places = places

    @property
    def dev(self) -> Dev:
        if self.lo == 0 == self.hi and self.lo_closed and self.hi_closed:
            return EXACT
        return _dev(self.lo, self.hi, self.lo_closed, self.hi_closed)

    @property
    def exact(self) -> bool:
        """True when the value has no rounding interval."""
        return self.lo == 0 == self.hi

    def _key(self) -> tuple:
        return (self.value, self.dev, self.unit, self.sources, self.places)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Num):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return (f"Num(value={self.value!r}, dev={self.dev!r}, unit={self.unit!r}, "
                f"sources={self.sources!r}, places={self.places!r})")

    def __reduce__(self):
        return Num, self._key()

    def evolve(self, **changes: Any) -> Num:
        """A copy with some fields changed (as ``attrs.evolve``)."""
        fields = dict(value=self.value, dev=self.dev, unit=self.unit, sources=self.sources, places=self.places)
        fields.update(changes)
        return Num(**fields)

    @property
    def is_money(self) -> bool:
        return self.unit in MONEY_UNITS

    def __add__(self, other: Num) -> Num:
        return _make(self.value + other.value, self.lo + other.lo, self.hi + other.hi,
                     self.lo_closed and other.lo_closed, self.hi_closed and other.hi_closed,
                     self.unit or other.unit, self.sources + other.sources, None)

    def __sub__(self, other: Num) -> Num:
        return _make(self.value - other.value, self.lo - other.hi, self.hi - other.lo,
                     self.lo_closed and other.hi_closed, self.hi_closed and other.lo_closed,
                     self.unit or other.unit, self.sources + other.sources, None)

    def __neg__(self) -> Num:
        return _make(-self.value, -self.hi, -self.lo, self.hi_closed, self.lo_closed, self.unit, self.sources, None)

    def __mul__(self, other: Num) -> Num:
        unit = self.unit if self.unit in MONEY_UNITS or other.unit is None else other.unit
        return _num(self.value * other.value, _product_dev(self, other), unit, self.sources + other.sources)

    def __truediv__(self, other: Num) -> Num:
        if other.value == 0:
            raise ZeroDivisionError("division by zero")
        unit = None if self.is_money and other.is_money else self.unit
        if other.exact:
            dev = self.dev.scale(divide(1, other.value))
        else:
            dev = _hull(self, other, lambda a, b: divide(a, b) if b else None)
        return _num(divide(self.value, other.value), dev, unit, self.sources + other.sources)


_new = object.__new__


def _make(value: Rational, lo: Rational, hi: Rational, lo_closed: bool, hi_closed: bool,
          unit: str | None, sources: tuple, places: int | None) -> Num:
    """A Num from exact parts, made without ``__init__``'s checks (the arithmetic makes many; its
    values are sums, products and :func:`divide` results of ints and Fractions, never floats)."""
    n = _new(Num)
    n.value, n.lo, n.hi, n.lo_closed, n.hi_closed = value, lo, hi, lo_closed, hi_closed
    n.unit, n.sources, n.places = unit, sources, places
    return n


def _num(value: Rational, dev: Dev, unit: str | None, sources: tuple, places: int | None = None) -> Num:
    return _make(value, dev.lo, dev.hi, dev.lo_closed, dev.hi_closed, unit, sources, places)


def _hull(a: Num, b: Num, op: Any) -> Dev:
    """Conservative (open) hull of ``op`` over both intervals, as a deviation from the centre."""
    centre = op(a.value, b.value)
    corners = [op(a.value + x, b.value + y) for x in (a.lo, a.hi) for y in (b.lo, b.hi)]
    if any(c is None for c in corners):
        raise ZeroDivisionError("the divisor's rounding interval contains zero")
    return Dev(min(corners) - centre, max(corners) - centre, False, False)


def _product_dev(a: Num, b: Num) -> Dev:
    if b.exact:
        return a.dev.scale(b.value)
    if a.exact:
        return b.dev.scale(a.value)
    return _hull(a, b, lambda x, y: x * y)


def exact(value: int | Fraction | Decimal, unit: str | None = None) -> Num:
    return _num(rational(value), EXACT, unit, ())


def from_amount(amount: Amount, label: str = "") -> Num:
    """An Amount as a Num: money in exact 원; its interval is ``[v - h, v + h)``.

    Not cached here (a process-wide cache would keep every sheet's Amounts alive): the
    rules checking one sheet share each Amount's Num through the sheet's own cache.
    """
    value = amount.exact
    h = amount.half
    places = 0
    if isinstance(amount.value, Decimal) and isinstance(amount.value.as_tuple().exponent, int):
        places = max(0, -amount.value.as_tuple().exponent)
    return _make(value, -h, h, True, False, amount.unit, ((amount.source, label),), places)


def meets(actual: Num, expected: Num) -> bool:
    """True when the rounding intervals of both sides can meet (XBRL Calculations 1.1 style)."""
    x = expected.value - actual.value  # 0 must lie in (actual - expected)'s interval, i.e. x in its dev
    lo, hi = actual.lo - expected.hi, actual.hi - expected.lo
    above = lo < x or (lo == x and actual.lo_closed and expected.hi_closed)
    below = x < hi or (hi == x and actual.hi_closed and expected.lo_closed)
    return above and below


def _group(n: Rational) -> str:
    sign = "-" if n < 0 else ""
    n = abs(n)
    whole = int(n)
    text = f"{whole:,}"
    rest = n - whole
    if rest:
        digits = format(Decimal(rest.numerator) / Decimal(rest.denominator), ".3f").rstrip("0")
        text += digits[1:] if digits.startswith("0") else digits
        if Fraction(Decimal(digits)) != rest:
            text += "…"
    return sign + text


def format_num(num: Num, unit: str | None = None) -> str:
    """``243800000`` 원 shown in 천원 → ``"243,800천원"``; plain numbers (years) without separators."""
    unit = unit if unit is not None else num.unit
    if unit is None:
        v = num.value
        return str(v.numerator) if v.denominator == 1 else _group(v).replace(",", "")
    if unit in MONEY_UNITS and (num.unit in MONEY_UNITS or num.unit is None):
        return _group(divide(num.value, MONEY_UNITS[unit])) + unit
    return _group(num.value) + unit
