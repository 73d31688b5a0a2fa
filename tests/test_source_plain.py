"""auditor.source's written-out classes (Source, Amount, Year, Text) against their attrs declarations at
2fa9744: fields, slots, signature, ``__match_args__``, equality, hash, ``repr``, immutability, pickling,
``attrs.evolve``, ``attrs.asdict`` and the validators' errors; and an Amount's ``exact`` and ``half``, now
plain slots set by every constructor (the class's own, the readers' ``new_amount`` and ``unchecked``, the
table rows' generated code, pickling, ``copy`` and ``evolve``), equal to what the declaration's cached
properties worked out when read."""

from __future__ import annotations

import copy
import functools
import inspect
import pickle
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import auditor.source as source
from auditor.plain import Frozen
from auditor.readers import rows
from auditor.readers.context import Context
from auditor.source import MONEY_UNITS, Amount, Source, Text, Year, exact_of, half_of, new_amount
from auditor.plain import NOTHING as plain_nothing


def ref_exact_of(value: int | Decimal, unit: str) -> int | Fraction:
    """source.exact_of at 2fa9744."""
    scale = MONEY_UNITS.get(unit, 1)
    if type(value) is int:
        return value * scale
    exact = Fraction(value) * scale
    return exact.numerator if exact.denominator == 1 else exact


def _as_attrs(default: object) -> object:
    """A written-out ``__init__``'s default as attrs' showed it: :data:`auditor.plain.NOTHING` stands where attrs'
    signature showed ``attrs.NOTHING`` (a check run never imports attrs)."""
    return attrs.NOTHING if default is plain_nothing else default


def ref_half_of(value: int | Decimal, unit: str) -> int | Fraction:
    """source.half_of at 2fa9744."""
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


# --- the reference: auditor.source's attrs declarations at 2fa9744 (module and qualified name set: attrs'
# hash constants are made of them) ---


@attrs.frozen
class RefSource:
    __module__, __qualname__ = "auditor.source", "Source"
    path: str
    line: int = attrs.field(validator=attrs.validators.ge(1))
    column: int = attrs.field(default=1, validator=attrs.validators.ge(1))
    text: str = ""

    @property
    def end_column(self) -> int | None:
        return self.column + len(self.text) if self.text else None

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@attrs.frozen
class RefAmount:
    __module__, __qualname__ = "auditor.source", "Amount"
    value: int | Decimal = attrs.field(validator=attrs.validators.instance_of((int, Decimal)))
    unit: str
    source: Source

    @value.validator
    def _not_bool(self, attribute, value):
        if isinstance(value, bool):
            raise TypeError("Amount.value must be int or Decimal, not bool")

    @property
    def is_money(self) -> bool:
        return self.unit in MONEY_UNITS

    @property
    def won(self) -> int | Fraction:
        scale = MONEY_UNITS.get(self.unit)
        if scale is None:
            raise ValueError(f"{self.unit!r} is not a money unit")
        if type(self.value) is int:
            return self.value * scale
        scaled = Fraction(self.value) * scale
        return int(scaled) if scaled.denominator == 1 else scaled

    @functools.cached_property
    def exact(self) -> int | Fraction:
        return ref_exact_of(self.value, self.unit)

    @functools.cached_property
    def half(self) -> int | Fraction:
        return ref_half_of(self.value, self.unit)


@attrs.frozen
class RefYear:
    __module__, __qualname__ = "auditor.source", "Year"
    value: int = attrs.field(validator=attrs.validators.instance_of(int))
    source: Source

    def __int__(self) -> int:
        return self.value

    __index__ = __int__

    def __str__(self) -> str:
        return str(self.value)


@attrs.frozen
class RefText:
    __module__, __qualname__ = "auditor.source", "Text"
    value: str
    source: Source

    def __str__(self) -> str:
        return self.value


PAIRS = [(Source, RefSource), (Amount, RefAmount), (Year, RefYear), (Text, RefText)]


def _layout(cls: type) -> set[str]:
    return {name for klass in cls.__mro__ for name in getattr(klass, "__slots__", ())}


@pytest.mark.parametrize(("ours", "theirs"), PAIRS, ids=lambda c: c.__name__ if isinstance(c, type) else "")
def test_the_class_is_what_attrs_made(ours, theirs):
    assert issubclass(ours, Frozen) and not issubclass(theirs, Frozen)
    for mine, reference in zip(attrs.fields(ours), attrs.fields(theirs), strict=True):
        for slot in attrs.Attribute.__slots__:
            if slot == "validator" and reference.validator is not None:  # Amount's: a function of the class's
                assert repr(mine.validator).split(" at ")[0] == repr(reference.validator).split(" at ")[0] \
                    .replace("RefAmount._not_bool", "_not_bool")
            elif slot != "type":
                assert getattr(mine, slot) == getattr(reference, slot), (mine.name, slot)
    assert _layout(ours) == _layout(theirs)  # Amount's exact and half included
    assert ours.__match_args__ == theirs.__match_args__
    assert [(p.name, p.kind, _as_attrs(p.default)) for p in inspect.signature(ours).parameters.values()] == \
        [(p.name, p.kind, p.default) for p in inspect.signature(theirs).parameters.values()]


_UNIT = st.sampled_from([*MONEY_UNITS, "%", "명", ""])
_VALUE = st.one_of(st.integers(-10**15, 10**15), st.decimals(allow_nan=False, allow_infinity=False, places=3,
                                                             min_value=-10**9, max_value=10**9),
                   st.sampled_from([True, 1.5, "1", None, Decimal("1E+3"), Decimal("-0.0")]))
_PLACE = st.tuples(st.sampled_from(["a.txt", "b.txt"]), st.integers(-1, 3), st.integers(-1, 3),
                   st.sampled_from(["", "x", "1,000"]))


@st.composite
def _made(draw: Any) -> tuple[Any, Any]:
    ours, theirs = draw(st.sampled_from(PAIRS))
    if ours is Source:
        args: tuple = draw(_PLACE)
    else:
        place = draw(st.tuples(st.sampled_from(["a.txt"]), st.integers(1, 2), st.integers(1, 2), st.just("")))
        where = Source(*place)
        if ours is Amount:
            args = (draw(_VALUE), draw(_UNIT), where)
        elif ours is Year:
            args = (draw(st.one_of(st.integers(1990, 2030), st.sampled_from(["2020", 2020.0, True]))), where)
        else:
            args = (draw(st.sampled_from(["", "계", "인건비"])), where)
    try:
        reference = theirs(*args)
    except (TypeError, ValueError) as e:  # a validator's: the written-out class raises the same
        with pytest.raises(type(e)) as raised:
            ours(*args)
        assert raised.value.args[0] == e.args[0]
        assert [getattr(a, "name", a) for a in raised.value.args[1:]] == [getattr(a, "name", a) for a in e.args[1:]]
        return draw(_made())
    return ours(*args), reference


@settings(max_examples=300, deadline=None)
@given(_made(), _made())
def test_instances_behave_as_attrs_made_them(one, other):
    (mine, reference), (other_mine, other_reference) = one, other
    assert (mine == other_mine) == (reference == other_reference)
    assert (mine != other_mine) == (reference != other_reference)
    assert hash(mine) == hash(reference) and repr(mine) == repr(reference) and str(mine) == str(reference)
    assert attrs.asdict(mine, recurse=False) == attrs.asdict(reference, recurse=False)
    assert attrs.evolve(mine) == mine and type(attrs.evolve(mine)) is type(mine)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        mine.value = 1
    assert pickle.loads(pickle.dumps(mine)) == mine and copy.copy(mine) == mine
    if isinstance(mine, Amount):
        _worked_out(mine, reference)
        assert mine.is_money == reference.is_money
        assert (mine.won if mine.is_money else None) == (reference.won if reference.is_money else None)
    elif isinstance(mine, Source):
        assert mine.end_column == reference.end_column
    elif isinstance(mine, Year):
        assert mine.__int__() == reference.__int__() and mine.__index__() == reference.__index__()


def _worked_out(mine: Amount, reference: Any) -> None:
    """``exact`` and ``half`` of ``mine`` as the reference's cached properties work them out, of the same
    type, by every way of making it."""
    for made in (mine, Amount.unchecked(mine.value, mine.unit, mine.source),
                 new_amount(mine.value, mine.unit, ("a.txt", 1, 1, "")), pickle.loads(pickle.dumps(mine)),
                 copy.copy(mine), copy.deepcopy(mine), attrs.evolve(mine)):
        assert type(made) is Amount
        assert (made.exact, type(made.exact)) == (reference.exact, type(reference.exact))
        assert (made.half, type(made.half)) == (reference.half, type(reference.half))


def test_evolve_works_exact_and_half_out_again():
    one = Amount(1, "천원", Source("a", 1))
    two = attrs.evolve(one, value=Decimal("2.5"), unit="%")
    assert (two.exact, two.half) == (Fraction(5, 2), Fraction(1, 20))


def test_an_amount_made_with_the_validators_off_of_no_number_has_no_exact():
    attrs.validators.set_disabled(True)
    try:
        made = Amount("x", "원", Source("a", 1))
    finally:
        attrs.validators.set_disabled(False)
    assert made.value == "x" and not hasattr(made, "exact")


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 10**6), st.integers(0, 3), st.sampled_from(["천원", "원", "백만원"]), st.sampled_from(["%", "천원"]),
       st.booleans())
def test_table_rows_generated_amounts_have_their_exact_and_half(whole, places, unit, rate_unit, negative):
    """The 예산 총괄 row's generated code sets every Amount's exact and half, its decimal 증감률's included."""
    rate = f"{'△' if negative else ''}{whole}" + (f".{'7' * places}" if places else "")
    line = f"인건비\t1,000\t2,000\t1,000\t{rate}"
    key, row = rows.summary_row(Context("a.txt"), 3, line, unit, rate_unit)
    for amount in (row.previous, row.current, row.change, row.rate):
        reference = RefAmount(amount.value, amount.unit, amount.source)
        assert (amount.exact, type(amount.exact)) == (reference.exact, type(reference.exact))
        assert (amount.half, type(amount.half)) == (reference.half, type(reference.half))
    assert row.rate.value == (Decimal(rate.lstrip("△")) * (-1 if negative else 1) if places else
                              (-whole if negative else whole))


def test_the_fast_constructors_are_the_classes_own():
    assert source.maker(Amount) is new_amount and source.maker(Text) is source.new_text
    assert source.maker(Year) is source.new_year and Source.unchecked("a", 1, 2, "x") == Source("a", 1, 2, "x")
    made = source.new_text("계", ("a", 1, 2, "계"))
    assert type(made) is Text and made == Text("계", Source("a", 1, 2, "계"))
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        made.value = "x"


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.integers(-10**20, 10**20), st.decimals(allow_nan=False, allow_infinity=False),
                 st.sampled_from([Decimal("1E+3"), Decimal("-0.00"), Decimal("0E-7"), Decimal("12.500"), True])),
       st.one_of(_UNIT, st.text("원천만%", max_size=3)))
def test_exact_and_half_are_worked_out_as_before(value, unit):
    """exact_of by the integer ratio and half_of by the exponent (kept per exponent and unit) give what
    2fa9744's gave, of the same type, twice over (the second time from what was kept)."""
    for _ in range(2):
        assert (exact_of(value, unit), type(exact_of(value, unit))) == (ref_exact_of(value, unit), type(ref_exact_of(value, unit)))
        assert (half_of(value, unit), type(half_of(value, unit))) == (ref_half_of(value, unit), type(ref_half_of(value, unit)))
