"""Parsing once per shape (digits read as 0) gives exactly what parsing each text would give."""

from __future__ import annotations

import attrs
import pyparsing as pp
from hypothesis import given, strategies as st

from auditor.formula import FormulaSyntaxError, parse_formula, render
from auditor.formula.grammar import _syntax_error, check_limits, formula_parser, normalise
from tests.strategies_formula import formula_settings, formulas, junk, styles
from tests.test_formula_real import EXPORT_ROWS, SHEET_LINES

#: Every real formula text: whole 산출근거 descriptions of the sheets and the exports' 산출근거식.
REAL = sorted({p.values[0] for p in SHEET_LINES + EXPORT_ROWS})


def parse_directly(text: str):
    """The grammar on *text* itself, without the shape cache: the tree, or the error's fields."""
    normal = normalise(text)
    error = check_limits(normal)
    if error is None:
        if not normal.strip():
            return ("error", 1, "산출근거식이 비어 있습니다", "the formula is empty")
        try:
            return attrs.asdict(formula_parser().parse_string(normal)[0])
        except pp.ParseBaseException as exc:
            error = _syntax_error(text, normal, exc.loc, exc.msg)
    return ("error", error.column, error.reason, error.reason_en)


def parse_by_shape(text: str):
    try:
        return attrs.asdict(parse_formula(text))
    except FormulaSyntaxError as err:
        return ("error", err.column, err.reason, err.reason_en)


def same_shape_texts(text: str, digits: str) -> str:
    """*text* with its digits replaced, in order, by *digits* (cycled): the same shape, other figures."""
    out, i = [], 0
    for ch in text:
        if ch.isdigit() and ch.isascii():
            out.append(digits[i % len(digits)])
            i += 1
        else:
            out.append(ch)
    return "".join(out)


DIGITS = st.text(alphabet="0123456789", min_size=1, max_size=12)


@formula_settings
@given(formulas(), styles(), DIGITS)
def test_a_rendered_formula_and_its_same_shape_twins_parse_as_if_alone(ast, style, digits):
    text = render(ast, style)
    for candidate in (text, same_shape_texts(text, digits)):
        assert parse_by_shape(candidate) == parse_directly(candidate), candidate


@formula_settings
@given(junk(), DIGITS)
def test_junk_fails_or_parses_by_shape_as_if_alone(text, digits):
    for candidate in (text, same_shape_texts(text, digits)):
        assert parse_by_shape(candidate) == parse_directly(candidate), candidate


@formula_settings
@given(st.sampled_from(REAL), DIGITS)
def test_real_formulas_with_other_figures_parse_as_if_alone(text, digits):
    for candidate in (text, same_shape_texts(text, digits)):
        assert parse_by_shape(candidate) == parse_directly(candidate), candidate


def test_an_error_names_the_digit_found_in_the_text_not_in_its_shape():
    # "100원 5명" stops at the 5: the message must say '5', though the shape read it as '0'
    with_five = parse_by_shape("100원 5명")
    assert with_five == parse_directly("100원 5명") and "'5'" in with_five[3]
