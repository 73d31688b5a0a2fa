"""The rule expression language: a small pyparsing grammar that turns rule text into a tuple AST.

The grammar only builds a tree; it never evaluates (see ``evaluate.py``). The BNF
is written down in ``docs/rule-language.md``. Nodes are plain tuples whose first
element names the node kind::

    ("num", Fraction)  ("str", str)  ("const", True | False | None)  ("list", items)
    ("name", name)  ("attr", node, name)  ("index", node, node)  ("call", name, args)
    ("neg", node)  ("not", node)  ("bin", op, left, right)
"""

from __future__ import annotations

import functools
from decimal import Decimal
from fractions import Fraction

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported when an expression is first parsed: a cached pack needs none
    import pyparsing as pp

__all__ = ["ExprSyntaxError", "check_limits", "parse_expr", "tree_depth", "MAX_LENGTH", "MAX_DEPTH", "MAX_TREE_DEPTH", "KEYWORDS"]

#: Expressions longer than this, or nested deeper in brackets, are refused before parsing.
MAX_LENGTH = 2000
MAX_DEPTH = 24
#: The deepest parsed tree accepted: checking and evaluating recurse once per level, and a chain
#: of operators (``1+1+…``, ``- - - 1``) is as deep as it is long, brackets or not.
MAX_TREE_DEPTH = 64

KEYWORDS = frozenset({"and", "or", "not", "in", "true", "false", "none"})


class ExprSyntaxError(ValueError):
    """An expression that does not parse; ``column`` is 1-based within the expression text."""

    def __init__(self, message: str, column: int, text: str):
        super().__init__(message)
        self.message = message
        self.column = column
        self.text = text


def _node(x: object) -> tuple:
    from pyparsing import ParseResults

    while isinstance(x, ParseResults):
        x = x[0]
    return x  # type: ignore[return-value]


def _fold_left(tokens: pp.ParseResults) -> tuple:
    """``a op b op c`` (the tokens of one precedence level) as ``((a op b) op c)``."""
    node = _node(tokens[0])
    for i in range(1, len(tokens), 2):
        node = ("bin", tokens[i], node, _node(tokens[i + 1]))
    return node


def _level(operand: pp.ParserElement, operator: pp.ParserElement, name: str) -> pp.ParserElement:
    """One binary precedence level: ``operand (operator operand)*``, left-associative."""
    import pyparsing as pp

    # ``-`` stops backtracking once an operator is read: an error points after it, at the missing operand
    return (operand + pp.ZeroOrMore(operator - operand)).set_name(name).set_parse_action(_fold_left)


def _postfix(tokens: pp.ParseResults) -> tuple:
    node = _node(tokens[0])
    for kind, arg in tokens[1:]:
        node = ("attr", node, arg) if kind == "." else ("index", node, arg)
    return node


@functools.lru_cache(maxsize=1)
def _grammar() -> pp.ParserElement:
    """Build the parser once."""
    import pyparsing as pp

    expr = pp.Forward().set_name("expression")

    number = pp.Regex(r"\d+(\.\d+)?").set_name("number")
    number.set_parse_action(lambda t: ("num", Fraction(Decimal(t[0]))))
    string = (pp.QuotedString('"', esc_char="\\") | pp.QuotedString("'", esc_char="\\")).set_name("string")
    string.set_parse_action(lambda t: ("str", t[0]))
    keyword = pp.Regex(r"(true|false|none)(?![\w])").set_name("constant")
    keyword.set_parse_action(lambda t: ("const", {"true": True, "false": False, "none": None}[t[0]]))
    ident = pp.Regex(r"(?!(?:%s)(?!\w))[^\W\d]\w*" % "|".join(sorted(KEYWORDS))).set_name("name")

    lpar, rpar = pp.Suppress("("), pp.Suppress(")")
    lbr, rbr = pp.Suppress("["), pp.Suppress("]")
    args = pp.Group(pp.Optional(pp.DelimitedList(expr)))
    call = (ident + lpar - args + rpar).set_name("call")
    call.set_parse_action(lambda t: ("call", t[0], tuple(_node(a) for a in t[1])))
    name = ident.copy().set_parse_action(lambda t: ("name", t[0]))
    list_lit = (lbr + args + rbr).set_name("list")
    list_lit.set_parse_action(lambda t: ("list", tuple(_node(a) for a in t[0])))
    atom = (number | string | keyword | call | name | list_lit | (lpar + expr + rpar)).set_name("operand")

    attr = pp.Group(pp.Literal(".") - ident).set_parse_action(lambda t: (t[0][0], t[0][1]))
    index = pp.Group(pp.Literal("[") - expr + rbr).set_parse_action(lambda t: (t[0][0], _node(t[0][1])))
    operand = (atom + pp.ZeroOrMore(attr | index)).set_name("operand")
    operand.set_parse_action(_postfix)

    comparison = pp.Regex(r"==|!=|<=|>=|<|>|not\s+in(?!\w)|in(?!\w)").set_name("comparison")
    comparison.set_parse_action(lambda t: " ".join(t[0].split()))
    # One pyparsing element per precedence level, each ``operand (op operand)*`` folded to the left (unary
    # ``-`` and ``not`` nest to the right), loosest last: the BNF of docs/rule-language.md as written.
    # (``infix_notation`` builds the same trees, but before pyparsing 3.3.3 its look-ahead made the
    # parse exponential in the nesting of calls and brackets: CALC002's binding took minutes.)
    negation = pp.Forward().set_name("operand")
    negation <<= (pp.Literal("-") + negation).set_parse_action(lambda t: ("neg", _node(t[1]))) | operand
    product = _level(negation, pp.one_of("* /"), "product")
    total = _level(product, pp.one_of("+ -"), "sum")
    compared = _level(total, comparison, "comparison")
    inverted = pp.Forward().set_name("comparison")
    inverted <<= (pp.Keyword("not") + inverted).set_parse_action(lambda t: ("not", _node(t[1]))) | compared
    conjunction = _level(inverted, pp.Keyword("and"), "conjunction")
    expr <<= _level(conjunction, pp.Keyword("or"), "expression")
    return expr


def check_limits(text: str) -> None:
    """Raise :class:`ExprSyntaxError` for text over MAX_LENGTH or nested over MAX_DEPTH brackets."""
    if len(text) > MAX_LENGTH:
        raise ExprSyntaxError(f"expression longer than {MAX_LENGTH} characters", 1, text)
    depth = 0
    for i, ch in enumerate(text):
        if ch in "([":
            depth += 1
            if depth > MAX_DEPTH:
                raise ExprSyntaxError(f"expression nested deeper than {MAX_DEPTH}", i + 1, text)
        elif ch in ")]":
            depth -= 1


def _children(node: tuple) -> tuple:
    kind = node[0]
    if kind == "list":
        return node[1]
    if kind in ("attr", "neg", "not"):
        return (node[1],)
    if kind == "index":
        return (node[1], node[2])
    if kind == "call":
        return node[2]
    if kind == "bin":
        return (node[2], node[3])
    return ()


def tree_depth(node: tuple) -> int:
    """The depth of a parsed tree, measured without recursion (a leaf is 1)."""
    deepest, stack = 0, [(node, 1)]
    while stack:
        current, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in _children(current))
    return deepest


@functools.lru_cache(maxsize=4096)
def parse_expr(text: str) -> tuple:
    """Parse one expression into its tuple AST; raise :class:`ExprSyntaxError` with a column."""
    if not isinstance(text, str) or not text.strip():
        raise ExprSyntaxError("empty expression", 1, str(text))
    check_limits(text)
    import pyparsing as pp

    try:
        tree = _node(_grammar().parse_string(text, parse_all=True))
    except pp.ParseBaseException as exc:
        near = repr(text[exc.loc : exc.loc + 12]) if exc.loc < len(text) else "end of expression"
        raise ExprSyntaxError(f"syntax error at {near}: {exc.msg}", exc.loc + 1, text) from None
    except RecursionError:
        raise ExprSyntaxError("expression too deeply nested", 1, text) from None
    if tree_depth(tree) > MAX_TREE_DEPTH:
        raise ExprSyntaxError(f"expression too deep: more than {MAX_TREE_DEPTH} nested operations "
                              "(split a long chain with sum([…]) or into several rules)", 1, text)
    return tree
