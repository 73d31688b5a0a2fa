"""Where a value came from, and the value objects that carry it: Amount, Year and Text.

Readers keep a value's place as plain data (path, line, column, text) and the :class:`Source`
object is made from it the first time something reads ``.source`` (a finding, a report,
``auditor parse``); the Texts of the most numerous rows are kept the same way: see
:func:`lazy_source`, :func:`lazy_text` and :func:`maker`.

The four classes are written out (:mod:`auditor.plain`: frozen, slotted, equal, hashed and printed as
their attrs declarations made them); an Amount's :attr:`~Amount.exact` and :attr:`~Amount.half` are
plain slots set by every constructor.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from math import gcd

from auditor.plain import NOTHING, Check, Field, Frozen, fields, frozen, validating, validators

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_set = object.__setattr__
#: Money units and how many 원 one of each is worth.
MONEY_UNITS: dict[str, int] = {"원": 1, "천원": 1_000, "만원": 10_000, "백만원": 1_000_000, "억원": 100_000_000}


class Source(Frozen):
    """A place in an input file: 1-based line and column, and the text as written there."""

    __slots__ = ("path", "line", "column", "text", "__weakref__")
    path: str
    line: int
    column: int
    text: str

    def __init__(self, path: str, line: int, column: int = 1, text: str = "") -> None:
        _set(self, "path", path)
        _set(self, "line", line)
        _set(self, "column", column)
        _set(self, "text", text)
        if (line.__class__ is not int or line < 1 or column.__class__ is not int or column < 1) and validating():
            _AT_LEAST_ONE(self, "line", line)
            _AT_LEAST_ONE(self, "column", column)

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


class _Worked(Frozen):
    """The slots of what an :class:`Amount`'s value and unit give the rules, set by every constructor (no
    fields: equality, hashing, ``repr`` and pickling see ``value``, ``unit`` and ``source`` only)."""

    __slots__ = {
        "exact": "The value as the rules compute with it: in 원 for money, else in its own unit; an ``int`` when "
                 "whole, else a ``Fraction`` (never a float): :func:`exact_of`.",
        "half": "Half the value of the last printed digit, in the unit of :attr:`exact` (500 for an integer 천원 "
                "figure, 50 for one with one decimal): the figure stands for ``[exact - half, exact + half)``: "
                ":func:`half_of`.",
    }


class Amount(_Worked):
    """A number as printed in a sheet: its exact value, its unit, and where it was read.

    ``value`` is the number as written, sign applied (△1,000 → -1000). It is an
    ``int`` unless the text had a decimal point, in which case it is an exact
    ``Decimal``. It is never a float. ``exact`` and ``half`` (:func:`exact_of`, :func:`half_of`)
    are worked out as it is made: plain slots, which the compiled rules read about 380 times a sheet.
    """

    __slots__ = ("value", "unit", "source", "__weakref__")
    value: int | Decimal
    unit: str
    source: Source

    def __init__(self, value: int | Decimal, unit: str, source: Source) -> None:
        _set(self, "value", value)
        _set(self, "unit", unit)
        _set(self, "source", source)
        if value.__class__ is not int and value.__class__ is not Decimal and validating():
            _AMOUNT_VALUE(self, "value", value)
        _work_out(self, value, unit)

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

    def __setstate__(self, state: Any) -> None:
        Frozen.__setstate__(self, state)
        _work_out(self, self.value, self.unit)


def _not_bool(instance: Any, attribute: Any, value: Any) -> None:  # bool is an int subclass; it is never an amount
    if isinstance(value, bool):
        raise TypeError("Amount.value must be int or Decimal, not bool")


def exact_of(value: int | Decimal, unit: str) -> int | Fraction:
    """:attr:`Amount.exact` of a value in a unit (a Decimal's by its integer ratio: one Fraction made, or none)."""
    scale = MONEY_UNITS.get(unit, 1)
    if type(value) is int:
        return value * scale
    numerator, denominator = value.as_integer_ratio()  # in lowest terms, as Fraction(value) has them
    common = gcd(scale, denominator)
    numerator *= scale // common
    denominator //= common
    return numerator if denominator == 1 else Fraction(numerator, denominator)


def half_of(value: int | Decimal, unit: str) -> int | Fraction:
    """:attr:`Amount.half` of a value in a unit (a Decimal's by its exponent and the unit, worked out once)."""
    if type(value) is int:
        scale = MONEY_UNITS.get(unit, 1)
        return scale >> 1 if not scale & 1 else Fraction(scale, 2)
    exponent = value.as_tuple().exponent if isinstance(value, Decimal) else None
    key = (exponent, unit)
    half = _DECIMAL_HALF.get(key)
    if half is None:
        half = _half_step(exponent, unit)
        if len(_DECIMAL_HALF) < 256:
            _DECIMAL_HALF[key] = half
    return half


def _half_step(exponent: Any, unit: str) -> int | Fraction:
    """Half the value of a digit at ``exponent`` (a Decimal's; 1 for anything else) in ``unit``."""
    step: int | Fraction = 1
    if isinstance(exponent, int):
        step = 10**exponent if exponent >= 0 else Fraction(1, 10**-exponent)
    step *= MONEY_UNITS.get(unit, 1)
    half = Fraction(step) / 2
    return half.numerator if half.denominator == 1 else half


_DECIMAL_HALF: dict[tuple[Any, str], int | Fraction] = {}


def _work_out(amount: Amount, value: Any, unit: str) -> None:
    """Set ``amount``'s :attr:`~Amount.exact` and :attr:`~Amount.half` (none for a value that is no number:
    an Amount made with the validators off, which then has neither)."""
    try:
        exact, half = exact_of(value, unit), half_of(value, unit)
    except (TypeError, ValueError, AttributeError):
        return
    _set(amount, "exact", exact)
    _set(amount, "half", half)


class Year(Frozen):
    """A year as written in a sheet (``2020`` of ``2020예산액 (B)``), and where it was read.

    ``source.text`` is the four digits exactly. Equality is over value and source, as for
    Amount and Text; ``int(year)`` and ``str(year)`` give the plain number.
    """

    __slots__ = ("value", "source", "__weakref__")
    value: int
    source: Source

    def __init__(self, value: int, source: Source) -> None:
        _set(self, "value", value)
        _set(self, "source", source)
        if value.__class__ is not int and validating():
            _INT(self, "value", value)

    def __int__(self) -> int:
        return self.value

    __index__ = __int__

    def __str__(self) -> str:
        return str(self.value)


class Text(Frozen):
    """A piece of text read from a sheet, with where it was read."""

    __slots__ = ("value", "source", "__weakref__")
    value: str
    source: Source

    def __init__(self, value: str, source: Source) -> None:
        _set(self, "value", value)
        _set(self, "source", source)

    def __str__(self) -> str:
        return self.value


_AT_LEAST_ONE = Check(lambda: validators().ge(1))
_AMOUNT_VALUE = Check(lambda: validators().and_(validators().instance_of((int, Decimal)), _not_bool))
_INT = Check(lambda: validators().instance_of(int))
#: The four classes are written out (:mod:`auditor.plain`), where ``attrs.frozen`` compiled their methods at
#: every import; each runs its fields' validators as attrs' ``__init__`` did (after every field is set,
#: unless ``attrs.validators.set_disabled(True)``): attrs' own, made and run only for a value that is not
#: one it passes (:class:`auditor.plain.Check`). tests/test_source_plain.py holds each to its attrs
#: declaration.
frozen(Source, Field("path"), Field("line", validator=_AT_LEAST_ONE), Field("column", default=1, validator=_AT_LEAST_ONE),
       Field("text", default=""))
frozen(Amount, Field("value", validator=_AMOUNT_VALUE), Field("unit"), Field("source"))
frozen(Year, Field("value", validator=_INT), Field("source"))
frozen(Text, Field("value"), Field("source"))


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


def _no_default(f: Any) -> bool:
    """Whether the constructor must be given field ``f`` (a written-out class's :class:`auditor.plain.Field`,
    an attrs class's ``attrs.Attribute``): it has no default, or one made by a factory."""
    if isinstance(f, Field):
        return f.default is NOTHING or f.factory is not None
    import attrs

    return f.default is attrs.NOTHING or isinstance(f.default, attrs.Factory)  # type: ignore[arg-type]


def maker(cls: type, *, written: bool = True, defaults: bool = True) -> Callable[..., Any]:
    """A constructor of the frozen attrs class ``cls`` that stores its slots directly: no validators,
    no converters, no ``__setattr__`` round trip (a :func:`draft` filled and made a ``cls``); for readers,
    which give each field its proper type (tuples for tuple fields) and may give a lazy ``source`` as its
    tuple (:func:`lazy_source`).

    It takes the fields in order, by position or keyword, with the fields' plain defaults
    (a field with a factory default must be given; with ``defaults=False`` every field must be).
    Generated once per class, as attrs generates ``__init__``; a class that has it written out (``_make``
    in its own namespace: the classes of :mod:`auditor.model` and of this module) gives that, unless
    ``written=False`` (not for :class:`Amount`, whose own, :func:`new_amount`, also sets ``exact`` and ``half``).
    """
    if written and "_make" in cls.__dict__:
        return cls._make  # type: ignore[attr-defined]
    scope: dict[str, Any] = {"_new": object.__new__, "_cls": cls, "_draft": draft(cls)}
    params, body = [], []
    for i, f in enumerate(fields(cls)):
        if not defaults or _no_default(f):
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


lazy_source(Amount)
lazy_source(Year)
lazy_source(Text)
_new_object = object.__new__
_set_exact, _set_half = _Worked.__dict__["exact"].__set__, _Worked.__dict__["half"].__set__
_set_value, _set_unit = Amount.__dict__["value"].__set__, Amount.__dict__["unit"].__set__
_set_source = Amount.__dict__["source"].slot.__set__  # the slot under lazy_source's descriptor
#: :attr:`Amount.half` of a whole figure, by unit (:func:`half_of`); other units have the 원's.
_WHOLE_HALF = {unit: half_of(1, unit) for unit in MONEY_UNITS}
_HALF_ONE = half_of(1, "")
_SourceDraft, _AmountDraft, _YearDraft, _TextDraft = draft(Source), draft(Amount), draft(Year), draft(Text)


def _new_source(path: str, line: int, column: int, text: str) -> Source:
    """A Source made the fast way (:func:`maker`'s way, written out)."""
    self = _new_object(_SourceDraft)
    self.path = path
    self.line = line
    self.column = column
    self.text = text
    self.__class__ = Source
    return self


def _new_amount(value: int | Decimal, unit: str, source: Any) -> Amount:
    """An Amount made the fast way (a :func:`draft` filled, as :func:`maker`'s constructor makes it, in the
    same frame), its :attr:`~Amount.exact` and :attr:`~Amount.half` set at once (a whole figure's from its
    unit's scale, one with decimals by :func:`exact_of` and :func:`half_of`)."""
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
    else:
        self.exact = exact_of(value, unit)
        self.half = half_of(value, unit)
    self.__class__ = Amount
    return self


def _new_text(value: str, source: Any) -> Text:
    self = _new_object(_TextDraft)
    self.value = value
    self.source = source
    self.__class__ = Text
    return self


def _new_year(value: int, source: Any) -> Year:
    self = _new_object(_YearDraft)
    self.value = value
    self.source = source
    self.__class__ = Year
    return self


#: Fast constructors for readers: ``new_text(value, source)`` etc., ``source`` a Source or its tuple
#: (also each class's ``_make``, which :func:`maker` gives).
new_amount, new_text, new_year = _new_amount, _new_text, _new_year
for _cls, _make in ((Source, _new_source), (Amount, _new_amount), (Text, _new_text), (Year, _new_year)):
    _make.__qualname__ = f"{_cls.__qualname__}.make"
    _cls._make = staticmethod(_make)  # type: ignore[attr-defined]


def _text_of(value: str, path: str, line: int, column: int, text: str) -> Text:
    return new_text(value, (path, line, column, text))


def lazy_text(cls: type, *names: str) -> type:
    """Let each ``cls.<name>`` (a ``Text | None`` field) hold ``(value, path, line, column, text)`` until it
    is read; then the Text is made, once (its Source only when that is read). Returns ``cls``."""
    for name in names:
        setattr(cls, name, _LazySlot(cls.__dict__[name], _text_of))
    return cls
