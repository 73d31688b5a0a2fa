"""The summary header's rate formula (``(B-A)*100/A``) is read as the rule language reads it.

``auditor.engine.builtins._formula_tree`` reads it with Python's :mod:`ast` (so a run need not
import pyparsing for it); the reference is the rule language's own grammar (``parse_expr``)
restricted to numbers, A, B, + - * / and unary minus, as the rate rules accept it.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings, strategies as st

from auditor.engine.builtins import _FORMULA_TEXT, _formula_tree, rate_from_formula
from auditor.engine.expr import ExprSyntaxError, parse_expr


def _ok(node: tuple) -> bool:
    if node[0] == "num":
        return True
    if node[0] == "name":
        return node[1] in ("A", "B")
    if node[0] == "neg":
        return _ok(node[1])
    if node[0] == "bin":
        return node[1] in "+-*/" and _ok(node[2]) and _ok(node[3])
    return False


def reference(text: str) -> tuple | None:
    try:
        tree = parse_expr(text.translate(_FORMULA_TEXT).replace("x", "*").replace("X", "*"))
    except ExprSyntaxError:
        return None
    return tree if _ok(tree) else None


PIECES = ("A", "B", "Ａ", "Ｂ", "0", "1", "9", "00", "0100", "1.5", "1.50", ".", "+", "-", "−", "–", "*", "x", "X",
          "×", "/", "÷", "(", ")", " ", "\t", "\n", "**", "//", "1e3", "1_0", "_", "가", "AB", "%", "()", ",",
          "#", "\\", "j", "not ", "and", "==", "[", "]", "'A'", "A.", "(" * 30, "-" * 70)


@st.composite
def arithmetic(draw, depth: int = 0) -> str:
    """A well-formed formula over A, B and numbers, bracketed or not, blanks or not."""
    if depth > 3 or draw(st.booleans()):
        return draw(st.sampled_from(["A", "B", "100", "1.5", "0", "07", "Ａ"]))
    left, right = draw(arithmetic(depth + 1)), draw(arithmetic(depth + 1))
    op = draw(st.sampled_from(["+", "-", "*", "/", "×", "÷", "x", "−"]))
    blank = draw(st.sampled_from(["", " ", "\t"]))
    text = f"{left}{blank}{op}{blank}{right}"
    if draw(st.booleans()):
        text = f"({text})"
    return draw(st.sampled_from(["", "-", "- "])) + text


@settings(max_examples=400, deadline=None)
@given(st.one_of(arithmetic(), st.lists(st.sampled_from(PIECES), max_size=12).map("".join), st.text(max_size=20)))
def test_a_rate_formula_is_read_as_the_rule_language_reads_it(text):
    assert _formula_tree.__wrapped__(text) == reference(text), repr(text)


@pytest.mark.parametrize("text", ["(B-A)*100/A", "(B - A) / A × 100", "(Ｂ-Ａ)x100÷Ａ", "（Ｂ－Ａ）＊100／Ａ", "((B-A)/A)*100", "-(A-B)*100/A"])
def test_the_header_formulas_of_budget_sheets_are_read(text):
    tree = _formula_tree.__wrapped__(text)
    assert tree is not None and tree == reference(text)


def test_the_rate_comes_from_the_tree():
    assert rate_from_formula("(B-A)*100/A", Fraction(200), Fraction(250)) == 25
    assert rate_from_formula("(B-A)/A*100", Fraction(3), Fraction(4)) == Fraction(100, 3)
    assert rate_from_formula("B**A", Fraction(3), Fraction(4)) is None


@pytest.mark.parametrize("text", ["-" * 70 + "A", "A" + "+A" * 70, "(" * 30 + "A" + ")" * 30, "A" * 3000, "()", "A,B"])
def test_past_the_rule_languages_limits_is_no_rate_formula(text):
    assert reference(text) is None and _formula_tree.__wrapped__(text) is None
