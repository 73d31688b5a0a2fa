"""The fast readers (:func:`auditor.formula.fast.parse_flat` for flat formulas, :func:`parse_bracketed` for
any) give exactly the tree of the pyparsing grammar, or ``None`` where it fails; they are what reads
formulas, and pyparsing what reports their errors.

Trees are compared with every attribute (columns, spellings, written text and notes, which node
equality leaves out), so that a finding's caret lands on the same column whichever path read it.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import attrs
import pytest
from hypothesis import given, strategies as st

from auditor.formula import BinOp, Neg, Number, Tagged, render
from auditor.formula.amount import read_amount
from auditor.formula.grammar import MAX_LENGTH, check_limits, formula_parser, may_parse, normalise, parse_flat
from auditor.formula.fast import parse_bracketed
from auditor.readers import read_file
from auditor.testing import write_corpus
from tests.strategies_formula import FRAGMENTS, formula_settings, formulas, junk, styles

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "sheets"
BRACKETS = "()[]"


def dump(node) -> tuple:
    """The node and all its attributes, recursively, with its class: nothing left out."""
    fields = tuple(dump(v) if isinstance(v, (Number, BinOp, Neg, Tagged)) else v for v in attrs.astuple(node, recurse=False))
    return (type(node).__name__,) + fields


def grammar_tree(text: str):
    """The tree of the pyparsing grammar, or None when it does not parse."""
    import pyparsing as pp

    try:
        return formula_parser().parse_string(text)[0]
    except pp.ParseBaseException:
        return None


def same_as_the_grammar(text: str) -> bool:
    """``parse_flat`` and ``parse_bracketed`` agree with the grammar on *text*, and ``may_parse``
    refuses nothing it reads; True when ``parse_flat`` read it.

    ``parse_bracketed`` reads every text the grammar reads (within the limits, which
    ``parse_formula`` checks first) and nothing else: it is the grammar, by recursive descent.
    """
    shape = normalise(text)
    tree = grammar_tree(shape)
    if not may_parse(shape):
        assert tree is None, f"may_parse refused {text!r}, which the grammar reads"
    if check_limits(shape) is None:
        general = parse_bracketed(shape)
        assert (general is None) == (tree is None), f"parse_bracketed and the grammar disagree on {text!r}"
        assert general is None or dump(general) == dump(tree), text
    fast = parse_flat(shape)
    if fast is None:
        return False
    assert tree is not None, f"the fast path read {text!r}, which the grammar rejects"
    assert dump(fast) == dump(tree), text
    return True


@formula_settings
@given(formulas(), styles())
def test_a_rendered_formula_is_read_as_the_grammar_reads_it(ast, style):
    text = render(ast, style)
    read = same_as_the_grammar(text)
    if not any(c in text for c in BRACKETS) and "경정" not in text and "기정" not in text:
        assert read, f"a formula without brackets or tags fell back to pyparsing: {text!r}"


@formula_settings
@given(formulas(max_leaves=4), styles(), st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=3),
       st.data())
def test_a_formula_with_fragments_spliced_in_is_read_as_the_grammar_reads_it_or_not_at_all(ast, style, pieces, data):
    text = render(ast, style)
    at = data.draw(st.integers(0, len(text)))
    same_as_the_grammar(text[:at] + "".join(pieces) + text[at:])


@formula_settings
@given(junk())
def test_junk_is_read_as_the_grammar_reads_it_or_not_at_all(text):
    same_as_the_grammar(text)


@pytest.mark.parametrize("text", [
    "100,000원*4명*12개월", "  5,000원 x 2회  ", "경정 5,000원*2회 + 기정 3원", "1 - 2*3 - △4", "5원＊3÷2",
    "12월(월1회) * 3,000원", "3,000원\t*\t2", "10% * 5,000원", "1,000원*2EA", "2kg*3,000원"])
def test_common_flat_formulas_take_the_fast_path(text):
    assert same_as_the_grammar(text) or "기정" in text  # a tag after an operator is the grammar's


@pytest.mark.parametrize("text", ["(1+2)*3", "5원*(2+3)", "경정(5원*2)", "5원**2", "5원*", "5원 2회", ""])
def test_brackets_and_errors_are_left_to_the_grammar(text):
    assert parse_flat(normalise(text)) is None


@pytest.mark.parametrize("text", [
    "(1+2)*3", "5원*(2+3)", "경정(5원*2)", "경정 (5원*2) - 기정 [3원]", "-(1원+2원)*△[3]", "(항공료 1,500,000원 + 숙박비 "
    "180,000원 × 4일) × 3명", "((42,000원*50개)+(27,500원*40개))", "5원 * ( 2\n+ 3 )", "1원 + 기정 3원*(2)",
    "(10,000원*10명*12월(월1회))", "[150,000원+5,000,000원] X 8세대", "(18,000원*500ml)*2회", "+(3원)"])
def test_bracketed_formulas_take_the_fast_path(text):
    shape = normalise(text)
    assert parse_bracketed(shape) is not None and dump(parse_bracketed(shape)) == dump(grammar_tree(shape))


@pytest.mark.parametrize("text", ["(1+2)(3)", "5원*(2+)", "(5원", "5원)", "경정(5원*2", "(1 2)", "()", "5원*-(", "(항공료 (1원))"])
def test_errors_with_brackets_are_left_to_the_grammar(text):
    assert parse_bracketed(normalise(text)) is None and grammar_tree(normalise(text)) is None


def _formulas_of(paths) -> list[str]:
    found = []
    for path in paths:
        for category in read_file(path).basis.categories:
            for group in category.groups:
                found += [f.value for f in [group.formula, *(i.formula for i in group.items)] if f is not None]
    return found


def _export_formulas() -> list[str]:
    """The 산출근거식 of every row of the e호조 examples (real exports of 용인시, and a synthetic one)."""
    import csv

    found = []
    for path in sorted((EXAMPLES.parent / "eho").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        at = rows[0].index("산출근거식")
        found += [row[at] for row in rows[2:] if len(row) > at and row[at].strip()]
    return found


def test_every_formula_of_the_examples_and_a_corpus_is_read_by_the_fast_readers(tmp_path):
    from tests.test_formula_forms import FORMS

    write_corpus(tmp_path, 40)
    texts = _formulas_of(sorted(EXAMPLES.glob("*.txt")) + sorted(tmp_path.rglob("*.txt")))
    texts = [t for t in texts if len(t) <= MAX_LENGTH] + _export_formulas() + [f[3] for f in FORMS]
    assert len(texts) > 800
    flat = [t for t in texts if not any(c in t for c in BRACKETS) and grammar_tree(normalise(t)) is not None]
    assert flat and all(same_as_the_grammar(t) for t in flat)
    bracketed = [t for t in texts if any(c in t for c in BRACKETS)]
    assert len(bracketed) > 50 and all(parse_bracketed(normalise(t)) is not None for t in bracketed)
    for text in texts:
        same_as_the_grammar(text)


# -- stated amounts (``= 4,800천원``) -----------------------------------------------------------

AMOUNT_FRAGMENTS = ("=", " ", "\t", "-", "△", "Δ", "▲", "−", "+", "0", "1", "9", ",", ".", "000", "1,000",
                    "원", "천원", "백만원", "억원", "만원", "원씩", "명", "x", "가", "%")


def grammar_amount(text: str):
    import pyparsing as pp

    from auditor.formula.amount import amount_parser

    try:
        result = amount_parser().parse_string(text, parse_all=True)
    except pp.ParseBaseException:
        return None
    written = result["digits"].replace(",", "")
    value = Decimal(written) if "." in written else int(written)
    return (-value if "sign" in result else value), result.get("unit", "")


@formula_settings
@given(st.one_of(st.lists(st.sampled_from(AMOUNT_FRAGMENTS), max_size=8).map("".join), st.text(max_size=12)))
def test_an_amount_is_read_as_the_amount_grammar_reads_it(text):
    text = normalise(text)
    fast, tree = read_amount(text), grammar_amount(text)
    assert fast == tree and (fast is None or type(fast[0]) is type(tree[0])), text


@pytest.mark.parametrize("text", ["= 4,800천원", "=△1,000천원", " = - 12 ", "=1.5 천원"])
def test_common_amounts_take_the_fast_path(text):
    assert read_amount(text) == grammar_amount(text) is not None


# -- the loose test split_label makes first ------------------------------------------------------

@pytest.mark.parametrize("text", ["(5급이하 158명) 100,000원*4명", "대민업무수당 1원 지급", "수당 (1원)", "5원**2", "원*3", "1 2", "*5원"])
def test_may_parse_refuses_what_is_not_operands_joined_by_operators(text):
    assert not may_parse(normalise(text)) and grammar_tree(normalise(text)) is None


@pytest.mark.parametrize("text", ["-" * 400 + "x", "1" + " -" * 200 + " x", "(" * 250 + "1원" + ")" * 249 + "가",
                                  "1,000," * 80 + "x", "1원 " * 120 + "*", "경정 " * 100 + "(", "1(가)" * 90])
def test_may_parse_ends_on_long_hostile_text(text):
    assert not may_parse(normalise(text))  # and it returns: no backtracking without end


# -- whole-number arithmetic -----------------------------------------------------------------------

def _fraction_value(node) -> Fraction:
    """The value in Fractions throughout, as docs/grammar.md defines it: the reference."""
    from auditor.formula.nodes import unit_scale

    if isinstance(node, Number):
        return node.value * unit_scale(node.unit)
    if isinstance(node, BinOp):
        left, right = _fraction_value(node.left), _fraction_value(node.right)
        return {"*": lambda: left * right, "/": lambda: left / right, "+": lambda: left + right,
                "-": lambda: left - right}[node.op]()
    if isinstance(node, Neg):
        return -_fraction_value(node.operand)
    return _fraction_value(node.expr)


@formula_settings
@given(formulas())
def test_exact_value_is_the_fraction_value_and_whole_values_are_ints(ast):
    from auditor.formula import FormulaEvaluationError
    from auditor.formula.nodes import evaluate, exact_value

    try:
        want = _fraction_value(ast)
    except ZeroDivisionError:
        with pytest.raises(FormulaEvaluationError):
            exact_value(ast)
        return
    got = exact_value(ast)
    assert got == want and evaluate(ast) == want and type(evaluate(ast)) is Fraction
    assert type(got) is (int if want.denominator == 1 else Fraction)


@formula_settings
@given(st.integers(-10**15, 10**15), st.integers(-10**12, 10**12), st.sampled_from(["원", "천원", "만원", "백만원", "억원"]))
def test_a_whole_amount_check_is_the_fraction_check(computed, stated, unit):
    from auditor.formula import check_amount

    fast, reference = check_amount(computed, stated, unit), check_amount(Fraction(computed), stated, unit)
    assert attrs.astuple(fast) == attrs.astuple(reference)
    assert all(type(getattr(fast, f)) is Fraction for f in ("difference_won", "computed_won", "stated_won", "scale", "low", "high"))


@formula_settings
@given(st.integers(0, 10**9), st.sampled_from(["천원", "백만원"]), st.integers(-3, 3))
def test_a_whole_amount_check_near_its_rounding_points_is_the_fraction_check(units, unit, offset):
    from auditor.formula import check_amount
    from auditor.source import MONEY_UNITS

    scale = MONEY_UNITS[unit]
    for computed in (units * scale + offset, units * scale + scale // 2 + offset, -units * scale - scale // 2 + offset):
        for stated in (units, units + 1, -units, -units - 1):
            fast, reference = check_amount(computed, stated, unit), check_amount(Fraction(computed), stated, unit)
            assert attrs.astuple(fast) == attrs.astuple(reference), (computed, stated, unit)
