"""The rule-expression grammar, one pyparsing element per precedence level, reads exactly what the
``infix_notation`` grammar it replaced read: the same trees, and the same texts refused.

``infix_notation``'s look-ahead made parsing exponential in the nesting of calls and brackets before
pyparsing 3.3.3 (CALC002's binding took minutes to load); the explicit levels are linear on every
version. The reference below is the old grammar, built the old way; it is only fast on pyparsing
3.3.3 and later, so the comparison runs there (the tests that need no reference run everywhere).
"""

from __future__ import annotations

import functools
import re
import tomllib
from pathlib import Path

import pyparsing as pp
import pytest
from hypothesis import given, settings, strategies as st

from auditor.engine import expr as grammar
from auditor.engine.expr import ExprSyntaxError, parse_expr

RULES = Path(__file__).resolve().parent.parent / "rules"
FAST_INFIX = tuple(int(x) for x in re.findall(r"\d+", pp.__version__)[:3]) >= (3, 3, 3)
needs_fast_infix = pytest.mark.skipif(not FAST_INFIX, reason=f"infix_notation is exponential on pyparsing {pp.__version__}")


@functools.lru_cache(maxsize=1)
def reference() -> pp.ParserElement:
    """The grammar as it was built with ``infix_notation`` (auditor/engine/expr.py before the levels),
    operands included, so that nested expressions are read by the reference too."""
    from decimal import Decimal
    from fractions import Fraction

    node = grammar._node
    expr = pp.Forward().set_name("expression")
    number = pp.Regex(r"\d+(\.\d+)?").set_parse_action(lambda t: ("num", Fraction(Decimal(t[0]))))
    string = (pp.QuotedString('"', esc_char="\\") | pp.QuotedString("'", esc_char="\\"))
    string.set_parse_action(lambda t: ("str", t[0]))
    keyword = pp.Regex(r"(true|false|none)(?![\w])")
    keyword.set_parse_action(lambda t: ("const", {"true": True, "false": False, "none": None}[t[0]]))
    ident = pp.Regex(r"(?!(?:%s)(?!\w))[^\W\d]\w*" % "|".join(sorted(grammar.KEYWORDS)))
    lpar, rpar, lbr, rbr = pp.Suppress("("), pp.Suppress(")"), pp.Suppress("["), pp.Suppress("]")
    args = pp.Group(pp.Optional(pp.DelimitedList(expr)))
    call = (ident + lpar - args + rpar).set_parse_action(lambda t: ("call", t[0], tuple(node(a) for a in t[1])))
    name = ident.copy().set_parse_action(lambda t: ("name", t[0]))
    list_lit = (lbr + args + rbr).set_parse_action(lambda t: ("list", tuple(node(a) for a in t[0])))
    atom = number | string | keyword | call | name | list_lit | (lpar + expr + rpar)
    attr = pp.Group(pp.Literal(".") - ident).set_parse_action(lambda t: (t[0][0], t[0][1]))
    index = pp.Group(pp.Literal("[") - expr + rbr).set_parse_action(lambda t: (t[0][0], node(t[0][1])))
    operand = (atom + pp.ZeroOrMore(attr | index)).set_parse_action(grammar._postfix)
    comparison = pp.Regex(r"==|!=|<=|>=|<|>|not\s+in(?!\w)|in(?!\w)")
    comparison.set_parse_action(lambda t: " ".join(t[0].split()))

    def fold(tokens: pp.ParseResults) -> tuple:
        items = tokens[0]
        tree = node(items[0])
        for i in range(1, len(items), 2):
            tree = ("bin", items[i], tree, node(items[i + 1]))
        return tree

    expr <<= pp.infix_notation(operand, [
        (pp.Literal("-"), 1, pp.OpAssoc.RIGHT, lambda t: ("neg", node(t[0][1]))),
        (pp.one_of("* /"), 2, pp.OpAssoc.LEFT, fold),
        (pp.one_of("+ -"), 2, pp.OpAssoc.LEFT, fold),
        (comparison, 2, pp.OpAssoc.LEFT, fold),
        (pp.Keyword("not"), 1, pp.OpAssoc.RIGHT, lambda t: ("not", node(t[0][1]))),
        (pp.Keyword("and"), 2, pp.OpAssoc.LEFT, fold),
        (pp.Keyword("or"), 2, pp.OpAssoc.LEFT, fold),
    ])
    return expr


def read_by_reference(text: str) -> tuple | None:
    """The old grammar's tree of ``text`` with the operands the new one reads, or None if it refuses it."""
    try:
        return grammar._node(reference().parse_string(text, parse_all=True))
    except pp.ParseBaseException:
        return None


def read_by_levels(text: str) -> tuple | None:
    try:
        return grammar._node(grammar._grammar().parse_string(text, parse_all=True))
    except pp.ParseBaseException:
        return None


def pack_expressions() -> list[str]:
    """Every expression of the built-in packs: when, assert, actual, expected, at, show, bindings."""
    found = []
    for path in sorted(RULES.glob("*.toml")):
        for rule in tomllib.loads(path.read_text(encoding="utf-8")).get("rule", []):
            for key in ("when", "assert", "actual", "expected", "at"):
                if isinstance(rule.get(key), str):
                    found.append(rule[key])
            found += [v for v in rule.get("show", {}).values() if isinstance(v, str)]
            found += [v for v in rule.get("let", {}).values() if isinstance(v, str)]
    return found


@needs_fast_infix
@pytest.mark.parametrize("text", pack_expressions())
def test_every_pack_expression_reads_as_the_reference_read_it(text):
    assert read_by_levels(text) == read_by_reference(text) is not None


NAMES = ("a", "b", "금액", "this", "basis.categories.내역", "x.y")
ATOMS = ("1", "2.5", '"t"', "'u'", "true", "none", *NAMES)


@st.composite
def expressions(draw, depth: int = 3, negatable: bool = True) -> str:
    """Expressions of every operator, precedence, unary chain, call, list, index, filter and bracket.

    ``not x`` stands only where the documented BNF puts it (docs/rule-language.md): alone, after
    ``not``, or as an operand of ``and``/``or``, not as the operand of an arithmetic or comparison
    operator (``1 + not 1``, which ``infix_notation`` on pyparsing 3.3.3 let through, is a syntax error
    by the BNF; write ``1 + (not 1)``)."""
    if depth == 0 or draw(st.integers(0, 3)) == 0:
        return draw(st.sampled_from(ATOMS))
    kinds = ("bin", "bin", "neg", "not", "call", "list", "index", "paren", "attr") if negatable else \
        ("bin", "bin", "neg", "call", "list", "index", "paren", "attr")
    kind = draw(st.sampled_from(kinds))
    sub = lambda negatable=True: draw(expressions(depth - 1, negatable))  # noqa: E731
    if kind == "bin":
        op = draw(st.sampled_from(("+", "-", "*", "/", "==", "!=", "<", "<=", ">", ">=", "in", "not in", "and", "or")))
        # an and/or written unbracketed where `not` may not stand keeps `not` out of its operands too:
        # `1 + (a and not b)` written without its brackets is `1 + a and not b`, whose `not` is fine,
        # but `1 + not a and b` would be the refused `1 + not a`
        logical = op in ("and", "or") and negatable
        return f"{sub(logical)} {op} {sub(logical)}"
    if kind == "neg":
        return f"-{draw(st.sampled_from(('', ' ')))}{sub(False)}"
    if kind == "not":
        return f"not {sub()}"
    if kind == "call":
        return f"{draw(st.sampled_from(('sum', 'first', 'f')))}({', '.join(sub() for _ in range(draw(st.integers(0, 3))))})"
    if kind == "list":
        return f"[{', '.join(sub() for _ in range(draw(st.integers(0, 3))))}]"
    if kind == "index":
        return f"{draw(st.sampled_from(NAMES))}[{sub()}]"
    if kind == "attr":
        return f"({sub()}).{draw(st.sampled_from(('a', '금액')))}"
    return f"({sub()})"


def test_not_as_the_operand_of_an_arithmetic_or_comparison_operator_is_refused_as_the_bnf_says():
    for text in ("1 + not 1", "a == not b", "x < not y"):
        with pytest.raises(ExprSyntaxError):
            parse_expr(text)
    assert parse_expr("a == (not b)") == ("bin", "==", ("name", "a"), ("not", ("name", "b")))


@needs_fast_infix
@settings(max_examples=400, deadline=None)
@given(expressions())
def test_generated_expressions_read_as_the_reference_read_them(text):
    assert read_by_levels(text) == read_by_reference(text)


@needs_fast_infix
@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list("ab1.+-*/()[]=!<>,") + [" and ", " or ", "not ", " in ", "f(", "x["]),
                max_size=20).map("".join))
def test_junk_is_refused_or_read_as_the_reference_does(junk):
    levels = read_by_levels(junk)
    if levels is None and read_by_reference(junk) is not None:
        assert re.search(r"(==|!=|<|>|\bin|[-+*/])\s*(\(\s*)*not\b", junk), junk  # only `x op not y` differs
    else:
        assert levels == read_by_reference(junk)


def test_deeply_nested_calls_parse_in_linear_time():
    """What took minutes under infix_notation before pyparsing 3.3.3 (CALC002's binding) is immediate,
    and nesting ten calls deep costs about ten times one: counted in parse steps, not timed."""
    def count(nesting: int) -> int:
        text = "f(" * nesting + "a[b != none and g(h(c), d) != none]" + ")" * nesting
        steps = [0]
        element = grammar._grammar()
        original = pp.ParserElement._parse

        def counting(self, *args, **kwargs):
            steps[0] += 1
            return original(self, *args, **kwargs)

        pp.ParserElement._parse = counting
        try:
            parse_expr.cache_clear()
            assert element.parse_string(text, parse_all=True)
        finally:
            pp.ParserElement._parse = original
        return steps[0]

    one, ten = count(1), count(10)
    assert ten < 20 * one, (one, ten)  # linear: an exponential grammar multiplies its steps per level


def test_a_syntax_error_still_points_at_its_column():
    with pytest.raises(ExprSyntaxError) as info:
        parse_expr("sum(a +) > 1")
    assert info.value.column == 8
