"""Property tests: any AST in any surface syntax parses back to its value; junk never crashes."""

from __future__ import annotations

import math
from fractions import Fraction

from hypothesis import given, strategies as st

from auditor.formula import (
    FormulaEvaluationError, FormulaSyntaxError, check_amount, evaluate, numbers, parse_formula,
    render, split_item, split_label,
)
from auditor.formula.split import adds_money_to_a_count
from tests.strategies_formula import formula_settings, formulas, junk, money_plus_count, styles, values

LABEL = "대민업무수당(5급이하 158명)"


@formula_settings
@given(formulas(), styles())
def test_parse_of_render_evaluates_like_the_ast(ast, style):
    text = render(ast, style)
    assert evaluate(parse_formula(text)) == evaluate(ast), text


def _has_money(ast) -> bool:
    return any(n.is_money for n in numbers(ast))


# Money added to a count (``0원+0명``) means nothing, so such a sum is no formula (docs/grammar.md,
# rule 3): the property holds for every other formula with money, and the next test covers those.
def _leading_name(text: str, ast) -> str:
    """The name of the formula's first operand when *text* starts with it: outside a bracket the label
    rule gives it to the label (docs/grammar.md), since a split cannot start a formula at a word."""
    name = numbers(ast)[0].name
    return name if name and text.startswith(name + " ") else ""


@formula_settings
@given(formulas().filter(lambda ast: _has_money(ast) and not adds_money_to_a_count(ast)), styles())
def test_formula_with_money_after_a_label_is_split_off_whole(ast, style):
    text = render(ast, style)
    name = _leading_name(text, ast)
    label, formula = split_label(f"{LABEL} {text}")
    assert (label, formula) == (f"{LABEL} {name}".rstrip(), text[len(name):].lstrip())


@formula_settings
@given(money_plus_count(), styles())
def test_money_added_to_a_count_is_never_the_whole_formula(ast, style):
    assert adds_money_to_a_count(ast)
    text = render(ast, style)
    label, formula = split_label(f"{LABEL} {text}")
    assert formula != text and (formula is None or len(formula) < len(text)), text


@formula_settings
@given(junk())
def test_junk_raises_nothing_but_formula_errors(text):
    try:
        node = parse_formula(text)
    except FormulaSyntaxError as err:
        assert 1 <= err.column <= len(text) + 1
        assert str(err).endswith("^")
        return
    try:
        evaluate(node)
    except FormulaEvaluationError:
        pass


@formula_settings
@given(junk())
def test_split_never_raises_and_returns_a_tail_of_the_text(text):
    found = split_item(text)
    if found.formula is not None:  # the slice it was read from, and only closing brackets it lacks
        written = text[found.reading.start:found.reading.end]
        assert found.formula.startswith(written) and not found.formula[len(written):].strip(")]")
    # the text before the formula, perhaps with closing brackets that stood after it
    assert text.lstrip().startswith(found.label.rstrip(")]"))
    assert split_label(text) == (found.label, found.formula)


def _conventions(computed: Fraction) -> dict[str, int]:
    quotient = computed / 1000
    return {"ceil": math.ceil(quotient), "round": math.floor(quotient + Fraction(1, 2)),
            "floor": math.floor(quotient)}


@formula_settings
@given(values())
def test_amount_rounded_by_any_convention_is_accepted_and_named(computed):
    for convention, stated in _conventions(computed).items():
        check = check_amount(computed, stated, "천원")
        assert check.ok and convention in check.conventions
        assert check.low < computed < check.high


@formula_settings
@given(values(), st.integers(min_value=1, max_value=10**6))
def test_amount_a_whole_unit_or_more_off_is_an_error(computed, off):
    rounded = _conventions(computed)
    for stated in (rounded["ceil"] + off, rounded["floor"] - off):
        check = check_amount(computed, stated, "천원")
        assert not check.ok and not check.conventions
        assert abs(check.difference_won) >= 1000


@formula_settings
@given(values())
def test_negative_amounts_round_like_their_magnitude(computed):
    for stated in set(_conventions(computed).values()):
        assert (check_amount(-computed, -stated, "천원").conventions
                == check_amount(computed, stated, "천원").conventions)
