"""e호조 rows carry ``calc`` (TEAM.md contracts 3 and 4): every item's and group's is what the
reference gives from its own 산출식 and 산출근거명: the formula's exact value as the engine works it
out (``engine.formulas._value``) and ``formula_attempt`` of the formula, or of the label without one;
on the examples' exports and generated ones (flat formulas, brackets, broken ones, none)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from auditor.engine.formulas import _value
from auditor.formula import formula_attempt, render
from auditor.model import FormulaResult
from auditor.readers import iter_sheets
from auditor.source import Source, Text
from auditor.testing.eho import write_export
from tests.strategies_formula import LABELS, formulas, junk, money_plus_count, styles

SRC = Source("export.csv", 2, 1, "")

EXAMPLES = sorted(Path("examples/eho").glob("*.csv"))


def reference(element) -> FormulaResult:
    formula = element.formula.value if element.formula is not None else None
    label = element.label.value if element.label is not None else None
    first = formula if formula is not None else label
    return FormulaResult(None if formula is None else _value(formula),
                         None if first is None else formula_attempt(first))


def elements(path):
    for sheet in iter_sheets(path):
        for category in sheet.basis.categories:
            for group in category.groups:
                yield group
                yield from group.items


def check(path) -> int:
    seen = 0
    for element in elements(path):
        assert element.calc is not None
        expected = reference(element)
        assert element.calc == expected, (element.source, element.formula, element.label)
        assert type(element.calc.value) is type(expected.value)
        seen += 1
    return seen


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_every_row_of_the_example_exports_has_the_reference_calc(path):
    assert check(path) > 0


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10_000))
def test_every_row_of_a_generated_export_has_the_reference_calc(tmp_path_factory, seed):
    path = tmp_path_factory.mktemp("eho") / "export.csv"
    write_export(str(path), 300, seed=seed)
    assert check(path) > 0


@settings(max_examples=1500, deadline=None)
@given(formula=st.one_of(st.none(), formulas(max_leaves=8).flatmap(lambda ast: styles().map(lambda s: render(ast, s))),
                         money_plus_count().map(render), junk()),
       label=st.one_of(st.none(), st.sampled_from(LABELS), junk()))
def test_calc_of_any_formula_and_label_is_the_reference(formula, label):
    """Formulas of every form (brackets, signs, tags, fractions, percentages, every operator spelling),
    money added to a count, junk that fails anywhere in the grammar, and no formula at all."""
    from auditor.readers.eho import _calc

    fields = {"formula": None if not formula or not formula.strip() else Text(formula.strip(), SRC),
              "label": None if not label or not label.strip() else Text(label.strip(), SRC)}
    expected = reference(Element(fields["formula"], fields["label"]))
    found = _calc(fields)
    assert found == expected
    assert type(found.value) is type(expected.value)


class Element:
    def __init__(self, formula, label) -> None:
        self.formula, self.label = formula, label


_OPERAND = st.tuples(st.sampled_from(["", "-", "△", "+"]),
                     st.one_of(st.integers(0, 10**13).map(lambda n: f"{n:,}"), st.integers(0, 10**9).map(str),
                               st.sampled_from(["1.5", "0.25", "1,000.5", "0"])),
                     st.sampled_from(["원", "천원", "만원", "백만원", "억원", "%", "％", "명", "개월", "회", "대", "개소", "ea", "",
                                      "원짜리", "원(월)", "명(2인)", "마리", " 원", "원 "]))


@settings(max_examples=800, deadline=None)
@given(st.lists(_OPERAND, min_size=1, max_size=6),
       st.lists(st.one_of(st.just("*"), st.sampled_from(["×", "x", "X", "·", " * ", "+", "/", "-", "*("])), min_size=5,
                max_size=5))
def test_a_product_of_figures_is_calculated_as_the_description_reader_calculates_it(operands, operators):
    """The export reader's own reading of a product (``_product``, through ``_kept_calc``) gives what
    ``_calc`` gives (the description reader), value and type, on products of figures with and without
    money, percentages, signs, decimals, every multiplication sign, and texts it leaves to ``_calc``."""
    from auditor.readers.eho import _calc, _kept_calc, _product

    text = "".join(sign + digits + unit + (operators[i] if i < len(operands) - 1 else "")
                   for i, (sign, digits, unit) in enumerate(operands)).strip()
    fields = {"formula": Text(text, SRC) if text else None, "label": Text("재료비", SRC)}
    expected = _calc(fields)
    found = _kept_calc(fields, {})
    assert found == expected, text
    assert type(found.value) is type(expected.value)
    if _product(text) is not None:
        assert expected.attempt is None and expected.value == _product(text)


@settings(max_examples=300, deadline=None)
@given(formula=st.one_of(formulas(max_leaves=8).flatmap(lambda ast: styles().map(lambda s: render(ast, s))),
                         money_plus_count().map(render), junk()))
def test_kept_calc_of_any_formula_is_calc(formula):
    from auditor.readers.eho import _calc, _kept_calc

    fields = {"formula": Text(formula.strip(), SRC) if formula.strip() else None, "label": None}
    calcs: dict = {}
    for _ in range(2):  # worked out, then kept
        found = _kept_calc(fields, calcs)
        assert found == _calc(fields)
        assert type(found.value) is type(_calc(fields).value)


#: Pieces of a plain product's factor: figures (commas right and wrong), units of money, counts,
#: suffixes, tags and percentages, as ``_PLAIN`` admits them.
_FACTOR_PARTS = st.lists(st.sampled_from(["0", "7", "12", "1,000", "404,000", "1,00", "10,0000", ",", "원", "천원",
                                          "만원", "억원", "백만원", "원씩", "원짜리", "종", "일", "월", "회", "개월",
                                          "경정", "기정", "%", "%%", "명", "원가", "천", "4원종"]),
                         min_size=1, max_size=4)


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 10**9).map(str) | st.sampled_from(["1,000", "404,000", "1,00", "12"]),
                          _FACTOR_PARTS.map("".join)), min_size=1, max_size=6))
def test_a_plain_product_is_read_as_product_reads_it(factors):
    """``_plain_product`` (each factor read alone, once per distinct text) gives what ``_product`` gives on
    every text ``_PLAIN`` admits: products of figures with money, counts, percentages, suffixes and tags,
    and factors the grammar refuses (a figure run on into a unit, ``1,00``)."""
    from auditor.readers.eho import _FACTORS, _plain_product, _product, plain_patterns

    text = "*".join(digits + unit for digits, unit in factors)
    if not plain_patterns()[0].fullmatch(text):
        return
    _FACTORS.clear()
    for _ in range(2):  # read, then read again from what was kept
        found, expected = _plain_product(text), _product(text)
        assert found == expected, text
        assert type(found) is type(expected), text


def test_a_broken_plain_product_is_caught(monkeypatch):
    """The comparison above fails when the factor reader is wrong (a percentage read as a whole figure)."""
    from auditor.readers import eho

    plain = eho._factor

    def no_percent(piece):
        read = plain(piece)
        return None if read is None else (read[0], 1, read[2])

    monkeypatch.setattr(eho, "_factor", no_percent)
    eho._FACTORS.clear()
    assert eho._plain_product("3,980,000원*3종*90%") != eho._product("3,980,000원*3종*90%")
    eho._FACTORS.clear()


@settings(max_examples=1200, deadline=None)
@given(st.one_of(st.text(alphabet="가나다경기정원비 \t\u3000-+*x/()[]0123456789,.%△", max_size=14),
                 st.sampled_from(LABELS), junk()))
def test_a_label_said_to_hold_no_attempt_holds_none(label):
    """``_no_attempt`` answers True only where ``formula_attempt`` gives None: labels that start with a
    Hangul word, with figures, signs, operators, brackets, 원 and the 경정/기정 tags anywhere."""
    from auditor.readers.eho import _no_attempt

    if _no_attempt(label):
        assert formula_attempt(label) is None, label


def test_a_label_with_money_or_a_tag_is_read_by_formula_attempt():
    from auditor.readers.eho import _no_attempt

    assert _no_attempt("급식비 1-1") and _no_attempt("  회의 참석수당 1-2")
    assert not _no_attempt("급식비 5,000원*2") and not _no_attempt("경정 5,000*2") and not _no_attempt("5,000원*2")
    assert formula_attempt("급식비 5,000원*2명+3명") is not None  # what the 원 leaves to formula_attempt


@settings(max_examples=800, deadline=None)
@given(st.sampled_from(["경정", "기정", "경정 ", "기정  ", "경정\t", "경비 ", "경정가 "]),
       st.lists(st.tuples(st.integers(0, 10**9).map(str) | st.sampled_from(["1,000", "22,198,000", "1,00"]),
                          _FACTOR_PARTS.map("".join)), min_size=1, max_size=5),
       st.integers(0, 3))
def test_a_tagged_product_is_calculated_as_calc_calculates_it(tag, factors, pad):
    """A 추경 row's ``경정 22,198,000원`` (the tag over a plain product, ``_tagged_product``): ``_kept_calc``
    gives what ``_calc`` (the description reader) gives, value and type, and long texts fall back."""
    from auditor.readers.eho import _calc, _kept_calc

    text = tag + "*".join(digits + unit for digits, unit in factors) + "*1" * (pad * 90)
    fields = {"formula": Text(text, SRC), "label": None}
    expected, found = _calc(fields), _kept_calc(fields, {})
    assert found == expected, text
    assert type(found.value) is type(expected.value), text


def test_the_factors_read_are_forgotten_when_the_units_change():
    """The factors ``_plain_product`` keeps were read with the operand pattern of the units then in use."""
    from auditor.formula.units import builtin_units, use_units
    from auditor.readers.eho import _FACTORS, _plain_product

    _plain_product("1,000원*3명")
    assert _FACTORS
    try:
        use_units([*builtin_units(), "zz"])
        assert not _FACTORS
    finally:
        use_units(None)
