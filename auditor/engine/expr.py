"""The rule expression language: a small pyparsing grammar that turns rule text into a tree of typed nodes.

The grammar only builds a tree; it never evaluates (see ``evaluate.py``). The BNF
is written down in ``docs/rule-language.md``. Each node kind is a class here, with
named fields (``Attr(obj, name)``: ``node.obj``, ``node.name``), as the formula
nodes of ``auditor/formula/nodes.py`` are; a node is also a tuple whose first item
names its kind, so ``node[0] == "attr"``, indexing and unpacking read it as well::

    ("num", Fraction)  ("str", str)  ("const", True | False | None)  ("list", items)
    ("name", name)  ("attr", node, name)  ("index", node, node)  ("call", name, args)
    ("neg", node)  ("not", node)  ("bin", op, left, right)

The type checker (``check.py``) and the binding loader (``bindings.py``) add kinds of
their own, declared here too so that every tree is made of these classes only: ``let``,
``filter``, ``kfilter``, ``once``, and the resolved names ``iname``, ``tname``, ``sname``
and ``pname``. Trees hold data only (no code): the pack cache stores them as JSON and
rebuilds them with :func:`make`.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction

TYPE_CHECKING = False
if TYPE_CHECKING:  # imported when an expression is first parsed: a cached pack needs none
    from typing import Any, ClassVar
    import pyparsing as pp

try:  # a named tuple's field reader: a C descriptor that reads one item of any tuple
    from _collections import _tuplegetter
except ImportError:  # pragma: no cover - another Python than CPython: the same by a property
    from operator import itemgetter

    def _tuplegetter(index: int, doc: str) -> Any:  # type: ignore[no-redef]
        return property(itemgetter(index), doc=doc)

__all__ = ["ExprSyntaxError", "check_limits", "parse_expr", "tree_depth", "MAX_LENGTH", "MAX_DEPTH", "MAX_TREE_DEPTH",
           "KEYWORDS", "Node", "NODES", "make", "rebuild", "children", "Num", "Str", "Const", "List", "Name", "Attr",
           "Index", "Call", "Neg", "Not", "Bin", "Let", "Filter", "KFilter", "Once", "IName", "TName", "SName", "PName"]

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


# --- the nodes ---------------------------------------------------------------------------------


class Node(tuple):
    """A node of a rule expression's tree: a tuple ``(kind, *fields)`` with its fields named.

    Each subclass declares its ``kind`` and ``fields``; it is made from its fields, by position
    (``Attr(obj, "금액")``), and reads them by name (``node.obj``) or by position
    (``node[1]``). Equality and hashing are the tuple's: a node equals the plain tuple of its
    items, so trees compare and key dictionaries as the plain tuples they replace did.
    """

    __slots__ = ()
    kind: ClassVar[str] = ""
    fields: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, kind: str = "", fields: tuple[str, ...] = (), **kwargs: Any):
        super().__init_subclass__(**kwargs)
        cls.kind, cls.fields = kind, fields
        # a named tuple's field readers, made as ``collections.namedtuple`` makes them (without its
        # class, whose making compiles a constructor): a field read costs what ``node[i]`` does
        for i, name in enumerate(fields, 1):
            setattr(cls, name, _tuplegetter(i, f"Alias for field number {i}"))
        cls.__new__ = staticmethod(_NEW[len(fields)])  # type: ignore[method-assign]  # its fields, by position
        NODES[kind] = cls

    def __getnewargs__(self) -> tuple:  # copy and pickle make it again from its fields
        return tuple(self)[1:]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(map(repr, self[1:]))})"


#: Every node class, by its kind.
NODES: dict[str, type[Node]] = {}

_tuple = tuple.__new__


def _new1(cls: type, a: Any) -> Any:
    return _tuple(cls, (cls.kind, a))


def _new2(cls: type, a: Any, b: Any) -> Any:
    return _tuple(cls, (cls.kind, a, b))


def _new3(cls: type, a: Any, b: Any, c: Any) -> Any:
    return _tuple(cls, (cls.kind, a, b, c))


def _new4(cls: type, a: Any, b: Any, c: Any, d: Any) -> Any:
    return _tuple(cls, (cls.kind, a, b, c, d))


#: A node class's constructor by its number of fields: made from its fields, by position.
_NEW = {1: _new1, 2: _new2, 3: _new3, 4: _new4}


class Num(Node, kind="num", fields=("value",)):
    """A number as written: an exact ``Fraction``."""
    value: Fraction


class Str(Node, kind="str", fields=("value",)):
    """A quoted string."""
    value: str


class Const(Node, kind="const", fields=("value",)):
    """``true``, ``false`` or ``none`` (``True``, ``False``, ``None``)."""
    value: bool | None


class List(Node, kind="list", fields=("items",)):
    """``[a, b, …]``: ``items`` is a plain tuple of nodes."""
    items: tuple[Node, ...]


class Name(Node, kind="name", fields=("name",)):
    """A name, resolved when the rule runs (see ``evaluate.lookup``)."""
    name: str


class Attr(Node, kind="attr", fields=("obj", "name")):
    """``obj.name``: a field of a model object, or of every item of a list (projected and flattened)."""
    obj: Node
    name: str


class Index(Node, kind="index", fields=("obj", "position")):
    """``obj[position]``: as parsed, a position or a condition; after checking, a position only."""
    obj: Node
    position: Node


class Call(Node, kind="call", fields=("name", "args")):
    """``name(args…)``: a builtin; ``args`` is a plain tuple of nodes."""
    name: str
    args: tuple[Node, ...]


class Neg(Node, kind="neg", fields=("operand",)):
    """``-operand``."""
    operand: Node


class Not(Node, kind="not", fields=("operand",)):
    """``not operand``."""
    operand: Node


class Bin(Node, kind="bin", fields=("op", "left", "right")):
    """``left op right``; ``op`` as written (``not in`` with one space)."""
    op: str
    left: Node
    right: Node


class Let(Node, kind="let", fields=("name", "tree")):
    """A rule's binding in place of its name (``bindings.substitute``), until the checker replaces it by ``tree``."""
    name: str
    tree: Node


class Filter(Node, kind="filter", fields=("obj", "pred")):
    """``obj[pred]`` where ``pred`` is a condition (settled by the checker): the items for which it holds."""
    obj: Node
    pred: Node


class KFilter(Node, kind="kfilter", fields=("obj", "pred", "key", "probe")):
    """A filter ``obj[key == probe]`` whose ``key`` reads the item and ``probe`` the rule's element:
    looked up in an index of ``obj`` by ``key``, built once per rule and sheet (see ``check._once``)."""
    obj: Node
    pred: Node
    key: Node
    probe: Node


class Once(Node, kind="once", fields=("inner",)):
    """A part the same for every element of the rule: computed once per rule and sheet (see ``check._once``)."""
    inner: Node


class IName(Node, kind="iname", fields=("depth", "name")):
    """A field of an enclosing ``[…]``/``each`` element, ``depth`` 0 the innermost (resolved by the checker)."""
    depth: int
    name: str


class TName(Node, kind="tname", fields=("name",)):
    """A field of the rule's element (resolved by the checker)."""
    name: str


class SName(Node, kind="sname", fields=("name",)):
    """A field of the sheet (resolved by the checker)."""
    name: str


class PName(Node, kind="pname", fields=("name",)):
    """A param of the rule (resolved by the checker)."""
    name: str


def make(items: list | tuple) -> Node:
    """The node whose items (its kind first) are ``items``; ValueError for an unknown kind or a wrong length."""
    cls = NODES.get(items[0]) if items and type(items[0]) is str else None
    if cls is None or len(items) != len(cls.fields) + 1:
        raise ValueError(f"not a rule expression node: {list(items[:1])!r} with {len(items)} items")
    return _tuple(cls, items)


def rebuild(node: tuple, items: Iterable[Any]) -> tuple:
    """A tuple of the same class as ``node`` (a node's class, or a plain tuple) holding ``items``.

    For the walks that rebuild a tree part by part (``bindings.substitute``, the loader's
    interning): a node stays a node of its kind, a tuple of arguments a plain tuple.
    """
    cls = type(node)
    return tuple(items) if cls is tuple else _tuple(cls, items)


def _node(x: object) -> tuple:
    from pyparsing import ParseResults

    while isinstance(x, ParseResults):
        x = x[0]
    return x  # type: ignore[return-value]


def _fold_left(tokens: pp.ParseResults) -> Node:
    """``a op b op c`` (the tokens of one precedence level) as ``((a op b) op c)``."""
    node = _node(tokens[0])
    for i in range(1, len(tokens), 2):
        node = Bin(tokens[i], node, _node(tokens[i + 1]))
    return node


def _level(operand: pp.ParserElement, operator: pp.ParserElement, name: str) -> pp.ParserElement:
    """One binary precedence level: ``operand (operator operand)*``, left-associative."""
    import pyparsing as pp

    # ``-`` stops backtracking once an operator is read: an error points after it, at the missing operand
    return (operand + pp.ZeroOrMore(operator - operand)).set_name(name).set_parse_action(_fold_left)


def _postfix(tokens: pp.ParseResults) -> Node:
    node = _node(tokens[0])
    for kind, arg in tokens[1:]:
        node = Attr(node, arg) if kind == "." else Index(node, arg)
    return node


@functools.lru_cache(maxsize=1)
def _grammar() -> pp.ParserElement:
    """Build the parser once."""
    import pyparsing as pp

    expr = pp.Forward().set_name("expression")

    number = pp.Regex(r"\d+(\.\d+)?").set_name("number")
    number.set_parse_action(lambda t: Num(Fraction(Decimal(t[0]))))
    string = (pp.QuotedString('"', esc_char="\\") | pp.QuotedString("'", esc_char="\\")).set_name("string")
    string.set_parse_action(lambda t: Str(t[0]))
    keyword = pp.Regex(r"(true|false|none)(?![\w])").set_name("constant")
    keyword.set_parse_action(lambda t: Const({"true": True, "false": False, "none": None}[t[0]]))
    ident = pp.Regex(r"(?!(?:%s)(?!\w))[^\W\d]\w*" % "|".join(sorted(KEYWORDS))).set_name("name")

    lpar, rpar = pp.Suppress("("), pp.Suppress(")")
    lbr, rbr = pp.Suppress("["), pp.Suppress("]")
    args = pp.Group(pp.Optional(pp.DelimitedList(expr)))
    call = (ident + lpar - args + rpar).set_name("call")
    call.set_parse_action(lambda t: Call(t[0], tuple(_node(a) for a in t[1])))
    name = ident.copy().set_parse_action(lambda t: Name(t[0]))
    list_lit = (lbr + args + rbr).set_name("list")
    list_lit.set_parse_action(lambda t: List(tuple(_node(a) for a in t[0])))
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
    negation <<= (pp.Literal("-") + negation).set_parse_action(lambda t: Neg(_node(t[1]))) | operand
    product = _level(negation, pp.one_of("* /"), "product")
    total = _level(product, pp.one_of("+ -"), "sum")
    compared = _level(total, comparison, "comparison")
    inverted = pp.Forward().set_name("comparison")
    inverted <<= (pp.Keyword("not") + inverted).set_parse_action(lambda t: Not(_node(t[1]))) | compared
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


def children(node: tuple) -> tuple:
    """The nodes directly inside ``node`` (of a parsed tree, or of a checked one), in reading order."""
    kind = node[0]
    if kind in ("list", "call"):
        return node[-1]
    if kind == "attr":
        return (node[1],)
    if kind == "let":
        return (node[2],)
    if kind == "bin":
        return (node[2], node[3])
    if kind in ("neg", "not", "once", "index", "filter", "kfilter"):
        return tuple(node[1:])
    return ()


def tree_depth(node: tuple) -> int:
    """The depth of a parsed tree, measured without recursion (a leaf is 1)."""
    deepest, stack = 0, [(node, 1)]
    while stack:
        current, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in children(current))
    return deepest


@functools.lru_cache(maxsize=4096)
def parse_expr(text: str) -> Node:
    """Parse one expression into its tree of nodes; raise :class:`ExprSyntaxError` with a column."""
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
