"""Where a value came from, and the value objects that carry it: Amount, Year and Text.

Readers keep a value's place as plain data (path, line, column, text) and the :class:`Source`
object is made from it the first time something reads ``.source`` (a finding, a report,
``auditor parse``); the Texts of the most numerous rows are kept the same way: see
:func:`lazy_source`, :func:`lazy_text` and :func:`maker`.
"""

from __future__ import annotations

import functools
from decimal import Decimal
from fractions import Fraction
from typing import Any, Callable

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

        The validators' calls are most of what making a Source costs; readers keep even that
        for the Sources that are read (:func:`lazy_source`).
        """
        return _new_source(path, line, column, text)

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
        return _new_amount(value, unit, source)

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

    @functools.cached_property
    def exact(self) -> int | Fraction:
        """The value as the rules compute with it: in 원 for money, else in its own unit; an
        ``int`` when whole, else a ``Fraction`` (never a float). Worked out once, then a slot
        (readers fill it as they make the Amount: :func:`new_amount`)."""
        return exact_of(self.value, self.unit)

    @functools.cached_property
    def half(self) -> int | Fraction:
        """Half the value of the last printed digit, in the unit of :attr:`exact` (500 for an integer
        천원 figure, 50 for one with one decimal): the figure stands for ``[exact - half, exact + half)``.
        Worked out once, then a slot, as :attr:`exact`."""
        return half_of(self.value, self.unit)


def exact_of(value: int | Decimal, unit: str) -> int | Fraction:
    """:attr:`Amount.exact` of a value in a unit."""
    scale = MONEY_UNITS.get(unit, 1)
    if type(value) is int:
        return value * scale
    exact = Fraction(value) * scale
    return exact.numerator if exact.denominator == 1 else exact


def half_of(value: int | Decimal, unit: str) -> int | Fraction:
    """:attr:`Amount.half` of a value in a unit."""
    if type(value) is int:
        scale = MONEY_UNITS.get(unit, 1)
        return scale >> 1 if not scale & 1 else Fraction(scale, 2)
    step: int | Fraction = 1
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int):
            step = 10**exponent if exponent >= 0 else Fraction(1, 10**-exponent)
    step *= MONEY_UNITS.get(unit, 1)
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


# --- fast construction and lazy provenance (for readers) ---------------------------------------

class _LazySlot:
    """A slot of a frozen attrs class that may hold a recipe, a tuple, until it is first read.

    Reading the attribute builds the value from the tuple (``build(*recipe)``), stores it in
    the slot and returns it, so it is built once; writing (attrs' own ``__init__``,
    ``__setstate__``) stores what it is given. Equality, hashing, ``repr``, ``attrs.evolve`` and
    pickling read attributes, so they see the built value: a class with a lazy slot is the same
    class to everything else. The field's proper values are never tuples.
    """

    __slots__ = ("slot", "build")

    def __init__(self, slot: Any, build: Callable[..., Any]) -> None:
        self.slot, self.build = slot, build

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return self.slot
        value = self.slot.__get__(obj, owner)
        if type(value) is tuple:
            value = self.build(*value)
            self.slot.__set__(obj, value)
        return value

    def __set__(self, obj: Any, value: Any) -> None:
        self.slot.__set__(obj, value)

    def __delete__(self, obj: Any) -> None:
        self.slot.__delete__(obj)


def lazy_source(cls: type, name: str = "source") -> type:
    """Let ``cls.<name>`` (a ``Source`` field of a slotted attrs class) hold ``(path, line, column, text)``
    until it is read; then the Source is made, once. Returns ``cls``."""
    setattr(cls, name, _LazySlot(cls.__dict__[name], Source.unchecked))
    return cls


def draft(cls: type) -> type:
    """The draft class of the frozen slotted class ``cls``: a subclass that adds nothing to its layout and
    takes plain attribute stores, for readers to fill an object field by field and then make it a ``cls``.

    ``cls`` refuses stores (its frozen ``__setattr__``), and a slot's own ``__set__`` costs a call with
    its arguments packed in a tuple; a draft's ``d.value = v`` is the interpreter's slot store. A reader
    makes a draft (``object.__new__``), stores every field and then ``d.__class__ = cls``, which Python
    allows between a class and a subclass of the same layout: from then on it is a ``cls`` like any
    other, equal, hashed, printed, pickled and frozen as one. A lazy slot (:func:`lazy_source`,
    :func:`lazy_text`) is stored under its plain slot, as :func:`maker` stores it. Made once per class.
    """
    made = _DRAFTS.get(cls)
    if made is None:
        namespace: dict[str, Any] = {
            "__slots__": (), "__setattr__": object.__setattr__, "__delattr__": object.__delattr__,
            "__module__": cls.__module__, "__qualname__": f"{cls.__qualname__}.draft",
        }
        for klass in reversed(cls.__mro__):
            namespace.update({name: value.slot for name, value in vars(klass).items() if isinstance(value, _LazySlot)})
        made = _DRAFTS[cls] = type(f"{cls.__name__}Draft", (cls,), namespace)
    return made


_DRAFTS: dict[type, type] = {}


def maker(cls: type, *, written: bool = True, defaults: bool = True) -> Callable[..., Any]:
    """A constructor of the frozen attrs class ``cls`` that stores its slots directly: no validators,
    no converters, no ``__setattr__`` round trip (a :func:`draft` filled and made a ``cls``); for readers,
    which give each field its proper type (tuples for tuple fields) and may give a lazy ``source`` as its
    tuple (:func:`lazy_source`).

    It takes the fields in order, by position or keyword, with the fields' plain defaults
    (a field with a factory default must be given; with ``defaults=False`` every field must be).
    Generated once per class, as attrs generates ``__init__``; a class that has it written out (``_make``
    in its own namespace: the classes of :mod:`auditor.model`) gives that, unless ``written=False``.
    """
    if written and "_make" in cls.__dict__:
        return cls._make  # type: ignore[attr-defined]
    fields = attrs.fields(cls)
    scope: dict[str, Any] = {"_new": object.__new__, "_cls": cls, "_draft": draft(cls)}
    params, body = [], []
    for i, f in enumerate(fields):
        if not defaults or f.default is attrs.NOTHING or isinstance(f.default, attrs.Factory):  # type: ignore[arg-type]
            params.append(f.name)
        else:
            scope[f"_default{i}"] = f.default
            params.append(f"{f.name}=_default{i}")
        body.append(f"    _self.{f.name} = {f.name}")
    source = (f"def make({', '.join(params)}):\n    _self = _new(_draft)\n" + "\n".join(body)
              + "\n    _self.__class__ = _cls\n    return _self\n")
    exec(compile(source, f"<maker {cls.__qualname__}>", "exec"), scope)  # noqa: S102 - our own generated code
    make = scope["make"]
    make.__qualname__ = f"{cls.__qualname__}.make"
    return make


_new_source = maker(Source)
lazy_source(Amount)
lazy_source(Year)
lazy_source(Text)
_set_exact, _set_half = Amount.__dict__["exact"].__set__, Amount.__dict__["half"].__set__
#: :attr:`Amount.half` of a whole figure, by unit (:func:`half_of`); other units have the 원's.
_WHOLE_HALF = {unit: half_of(1, unit) for unit in MONEY_UNITS}
_HALF_ONE = half_of(1, "")


_new_object = object.__new__
_set_value, _set_unit = Amount.__dict__["value"].__set__, Amount.__dict__["unit"].__set__
_set_source = Amount.__dict__["source"].slot.__set__  # the slot under lazy_source's descriptor


_AmountDraft = draft(Amount)


def _new_amount(value: int | Decimal, unit: str, source: Any) -> Amount:
    """An Amount made the fast way (a :func:`draft` filled, as :func:`maker`'s constructor makes it, in the
    same frame), its :attr:`~Amount.exact` and :attr:`~Amount.half` set at once for a whole figure (what
    the rules read of nearly every Amount; one with decimals works them out when read)."""
    self = _new_object(_AmountDraft)
    self.value = value
    self.unit = unit
    self.source = source
    if type(value) is int:
        scale = MONEY_UNITS.get(unit)
        if scale is None:
            self.exact = value
            self.half = _HALF_ONE
        else:
            self.exact = value * scale
            self.half = _WHOLE_HALF[unit]
    self.__class__ = Amount
    return self


#: Fast constructors for readers: ``new_text(value, source)`` etc., ``source`` a Source or its tuple.
new_amount, new_text, new_year = _new_amount, maker(Text), maker(Year)


def _text_of(value: str, path: str, line: int, column: int, text: str) -> Text:
    return new_text(value, (path, line, column, text))


def lazy_text(cls: type, *names: str) -> type:
    """Let each ``cls.<name>`` (a ``Text | None`` field) hold ``(value, path, line, column, text)`` until it
    is read; then the Text is made, once (its Source only when that is read). Returns ``cls``."""
    for name in names:
        setattr(cls, name, _LazySlot(cls.__dict__[name], _text_of))
    return cls
