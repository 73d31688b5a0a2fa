"""The readers' fast constructors and lazy sources make the same model objects as the public constructors.

A reader builds model objects with :func:`auditor.source.maker` (no validators, no converters) and
keeps a ``source`` as ``(path, line, column, text)`` until it is read (:func:`auditor.source.lazy_source`).
To everything else they are the same objects: equal, with equal hashes and reprs, frozen, picklable,
and ``attrs.evolve``, ``attrs.fields`` and ``walk`` see them as before.
"""

from __future__ import annotations

import pickle
from decimal import Decimal
from fractions import Fraction

import attrs
import pytest
from hypothesis import given, strategies as st

import auditor.model as model
from auditor.model import MAKERS, FormulaResult, walk
from auditor.source import MONEY_UNITS, Amount, Source, Text, Year, new_amount, new_text, new_year

places = st.tuples(st.sampled_from(["a.txt", "b/c.txt"]), st.integers(1, 10**6), st.integers(1, 10**4), st.text(max_size=8))
values = st.one_of(st.integers(-10**12, 10**12), st.decimals(allow_nan=False, allow_infinity=False, places=2))


@given(values, st.sampled_from(["원", "천원", "%"]), places)
def test_a_fast_amount_is_the_amount_the_constructor_makes(value, unit, place):
    fast, public = new_amount(value, unit, place), Amount(value, unit, Source(*place))
    assert fast == public and hash(fast) == hash(public) and repr(fast) == repr(public)
    assert type(fast.source) is Source and fast.source == Source(*place)
    assert fast.source is fast.source, "the Source is made once"
    assert pickle.loads(pickle.dumps(new_amount(value, unit, place))) == public
    assert attrs.evolve(new_amount(value, unit, place), unit="원") == attrs.evolve(public, unit="원")


@given(values, st.sampled_from(["원", "천원", "만원", "백만원", "억원", "%", "명", ""]), places)
def test_a_fast_amount_has_the_exact_value_and_half_step_the_constructor_works_out(value, unit, place):
    """``new_amount`` sets ``exact`` and ``half`` of a whole figure as it makes it; they are what the public
    Amount works out when first read (contract 2), and what they mean: the value in 원 (in its own unit
    when not money), an int when whole; half of one unit of the last printed digit."""
    fast, public = new_amount(value, unit, place), Amount(value, unit, Source(*place))
    scale = MONEY_UNITS.get(unit, 1)
    exact = Fraction(value) * scale
    step = Fraction(1) if type(value) is int else Fraction(10) ** value.as_tuple().exponent
    for amount in (fast, public):
        assert amount.exact == exact and type(amount.exact) is (int if exact.denominator == 1 else Fraction)
        assert amount.half == step * scale / 2 and type(amount.half) is (int if (step * scale / 2).denominator == 1
                                                                          else Fraction)
        assert amount.exact is amount.exact and amount.half is amount.half  # worked out once
    assert pickle.loads(pickle.dumps(fast)).exact == exact
    assert attrs.evolve(fast, value=0).exact == 0


@given(st.text(max_size=10), places, st.integers(1000, 3000))
def test_fast_texts_and_years_are_the_ones_the_constructors_make(value, place, year):
    assert new_text(value, place) == Text(value, Source(*place))
    assert new_year(year, place) == Year(year, Source(*place))
    assert hash(new_text(value, place)) == hash(Text(value, Source(*place)))


def test_fast_objects_stay_frozen():
    amount = new_amount(1, "원", ("a.txt", 1, 1, "1"))
    for name, value in (("value", 2), ("source", None), ("exact", 5), ("half", 1)):
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            setattr(amount, name, value)
    with pytest.raises(AttributeError):
        FormulaResult(1, None).value = 2


def _value_for(field: attrs.Attribute, i: int):
    """A distinct plain value for a field (tuples for tuple fields), so that a misplaced one shows."""
    if "tuple" in str(field.type) and "None" not in str(field.type):
        return (new_text(f"t{i}", ("a.txt", i, 1, "x")),)
    return new_text(f"f{i}", ("a.txt", i + 1, 2, "y"))


@pytest.mark.parametrize("cls", list(MAKERS), ids=lambda c: c.__name__)
def test_every_maker_builds_what_the_class_builds_field_by_field(cls):
    fields = attrs.fields(cls)
    given_values = {f.name: _value_for(f, i) for i, f in enumerate(fields) if f.name not in ("source", "calc")}
    if "source" in attrs.fields_dict(cls):
        given_values["source"] = ("a.txt", 7, 3, "row")
    fast = MAKERS[cls](**given_values)
    public_values = {k: Source(*v) if k == "source" else v for k, v in given_values.items()}
    public = cls(**public_values)
    assert fast == public and repr(fast) == repr(public)
    for f in fields:
        assert getattr(fast, f.name) == getattr(public, f.name), f.name
    # defaults: only the fields without one given
    required = {f.name: public_values[f.name] for f in fields if f.default is attrs.NOTHING}
    assert MAKERS[cls](**required) == cls(**required)


@pytest.mark.parametrize("cls", [*MAKERS, Amount, Text, Year], ids=lambda c: c.__name__)
def test_a_made_object_is_of_its_class_and_frozen_not_a_draft(cls):
    """A maker fills a draft (``auditor.source.draft``) and makes it a ``cls``: what it gives is a ``cls``
    itself, which refuses stores as one made by the class does."""
    if cls in (Amount, Text, Year):
        place = ("a.txt", 1, 1, "1")
        made = new_amount(1, "원", place) if cls is Amount else new_text("x", place) if cls is Text else new_year(1, place)
    else:
        fields = attrs.fields(cls)
        made = MAKERS[cls](**{f.name: _value_for(f, i) for i, f in enumerate(fields)
                              if f.default is attrs.NOTHING or isinstance(f.default, attrs.Factory)})
    assert type(made) is cls
    for f in attrs.fields(cls):
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            setattr(made, f.name, getattr(made, f.name))
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            delattr(made, f.name)


def test_lazy_sources_are_found_by_walk_and_made_once():
    item = MAKERS[model.BasisItem](new_text("x", ("a.txt", 2, 3, "x")), source=("a.txt", 2, 1, "- x"))
    sources = list(walk(item, Source))
    assert sources == [Source("a.txt", 2, 3, "x"), Source("a.txt", 2, 1, "- x")]
    assert item.source is sources[1]


def test_calc_is_not_walked_and_formula_result_is_a_plain_named_tuple():
    calc = FormulaResult(5, None)
    item = model.BasisItem(Text("x", Source("a.txt", 1)), calc=calc)
    assert list(walk(item, int)) == [1, 1]  # Source.line and Source.column only, not calc.value
    assert calc == (5, None) and calc._replace(value=None) == FormulaResult() and not attrs.has(FormulaResult)
    assert item.calc is calc and Decimal  # noqa: B018 - the import is used by the strategies above


def test_lazy_texts_of_rows_are_made_once_and_equal_the_texts_they_stand_for():
    make = MAKERS[model.BasisItem]
    item = make(("회의", "a.txt", 4, 3, "회의"), ("5원*2", "a.txt", 4, 6, "5원*2"), None,
                ("- 회의 5원*2", "a.txt", 4, 1, "- 회의 5원*2"), ("a.txt", 4, 1, "- 회의 5원*2"))
    public = model.BasisItem(Text("회의", Source("a.txt", 4, 3, "회의")), Text("5원*2", Source("a.txt", 4, 6, "5원*2")),
                             None, Text("- 회의 5원*2", Source("a.txt", 4, 1, "- 회의 5원*2")),
                             Source("a.txt", 4, 1, "- 회의 5원*2"))
    assert item == public and hash(item) == hash(public) and repr(item) == repr(public)
    assert type(item.label) is Text and item.label is item.label and item.label.source is item.label.source
    assert pickle.loads(pickle.dumps(item)) == public
