"""The formula AST (frozen nodes), its exact evaluation in 원, and rendering back to text."""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction

from auditor.formula.errors import FormulaEvaluationError
from auditor.plain import Check, Field, Frozen, evolve, frozen, validating, validators
from auditor.source import MONEY_UNITS

TAGS = ("경정", "기정")
PERCENT = "%"
_PERCENT_SCALE = Fraction(1, 100)


def _fraction(instance, attribute, value):
    if not isinstance(value, Fraction):
        raise TypeError(f"{attribute.name} must be a Fraction, not {type(value).__name__}")


_OPERATORS = ("+", "-", "*", "/")
_IS_OPERATOR = Check(lambda: validators().in_(_OPERATORS))
_IS_TAG = Check(lambda: validators().in_(TAGS))
_FRACTION = Check(lambda: _fraction)
_set = object.__setattr__


class Number(Frozen):
    """A number as written, with its unit: ``50,000원`` is ``Number(Fraction(50000), "원")``.

    ``value`` is the figure as written (10.5 for ``10.5%``). ``unit`` is a money
    unit of ``MONEY_UNITS``, ``"%"``, a count unit such as ``"명"``, or ``""``.
    ``text`` and ``column`` say where it was read (the column of its first digit), ``note``
    is an annotation written after it (``12월(월1회)`` has the note ``월1회``), and ``name``
    the words written before it (``항공료 1,500,000원`` has the name ``항공료``); none of them
    takes part in equality or in the value.
    """

    __slots__ = ("value", "unit", "text", "column", "note", "name", "__weakref__")
    value: Fraction
    unit: str
    text: str
    column: int
    note: str
    name: str

    def __init__(self, value: Fraction, unit: str = "", text: str = "", column: int = 1, note: str = "",
                 name: str = "") -> None:
        _set(self, "value", value)
        _set(self, "unit", unit)
        _set(self, "text", text)
        _set(self, "column", column)
        _set(self, "note", note)
        _set(self, "name", name)
        if value.__class__ is not Fraction and validating():
            _FRACTION(self, "value", value)

    @property
    def is_money(self) -> bool:
        return self.unit in MONEY_UNITS


class BinOp(Frozen):
    """``left op right`` with ``op`` one of ``+ - * /``; ``spelling`` is the operator as written."""

    __slots__ = ("op", "left", "right", "spelling", "column", "__weakref__")
    op: str
    left: Node
    right: Node
    spelling: str
    column: int

    def __init__(self, op: str, left: Node, right: Node, spelling: str = "", column: int = 1) -> None:
        _set(self, "op", op)
        _set(self, "left", left)
        _set(self, "right", right)
        _set(self, "spelling", spelling)
        _set(self, "column", column)
        if op not in _OPERATORS and validating():
            _IS_OPERATOR(self, "op", op)


class Neg(Frozen):
    """A negated operand: ``-3``, ``△3``."""

    __slots__ = ("operand", "spelling", "column", "__weakref__")
    operand: Node
    spelling: str
    column: int

    def __init__(self, operand: Node, spelling: str = "-", column: int = 1) -> None:
        _set(self, "operand", operand)
        _set(self, "spelling", spelling)
        _set(self, "column", column)


class Tagged(Frozen):
    """A 경정 (revised) or 기정 (previously approved) term of a supplementary budget."""

    __slots__ = ("tag", "expr", "column", "__weakref__")
    tag: str
    expr: Node
    column: int

    def __init__(self, tag: str, expr: Node, column: int = 1) -> None:
        _set(self, "tag", tag)
        _set(self, "expr", expr)
        _set(self, "column", column)
        if tag not in TAGS and validating():
            _IS_TAG(self, "tag", tag)


Node = Number | BinOp | Neg | Tagged

#: The nodes are written out (auditor.plain), where attrs.frozen compiled their methods at every import;
#: each runs its field's validator as attrs' ``__init__`` did (after every field is set, unless
#: ``attrs.validators.set_disabled(True)``), given the field's ``attrs.Attribute``: attrs' own validator, made
#: and run only when the value is not one that passes it (:class:`auditor.plain.Check`).
#: tests/test_plain.py holds each to its attrs declaration.
frozen(Number, Field("value", validator=_FRACTION), Field("unit", default=""), Field("text", default="", eq=False),
       Field("column", default=1, eq=False), Field("note", default="", eq=False), Field("name", default="", eq=False))
frozen(BinOp, Field("op", validator=_IS_OPERATOR), Field("left"), Field("right"),
       Field("spelling", default="", eq=False), Field("column", default=1, eq=False))
frozen(Neg, Field("operand"), Field("spelling", default="-", eq=False), Field("column", default=1, eq=False))
frozen(Tagged, Field("tag", validator=_IS_TAG), Field("expr"), Field("column", default=1, eq=False))


def unit_scale(unit: str) -> Fraction:
    """How much one of *unit* is worth in the formula's value: 원 per money unit, 1/100 for %, else 1."""
    if unit in MONEY_UNITS:
        return Fraction(MONEY_UNITS[unit])
    if unit == PERCENT:
        return _PERCENT_SCALE
    return Fraction(1)


def evaluate(node: Node) -> Fraction:
    """The exact value of *node* in 원 (see docs/grammar.md, *Values*)."""
    value = exact_value(node)
    return value if type(value) is Fraction else Fraction(value)


#: 원 per unit as an ``int`` where it is whole (money units, counts), else a Fraction (%).
_SCALES: dict[str, int | Fraction] = {}


def _scale(unit: str) -> int | Fraction:
    scale = _SCALES.get(unit)
    if scale is None:
        whole = unit_scale(unit)
        scale = _SCALES[unit] = whole.numerator if whole.denominator == 1 else whole
    return scale


def _whole(x: int | Fraction) -> int | Fraction:
    return x.numerator if type(x) is Fraction and x.denominator == 1 else x


def exact_value(node: Node) -> int | Fraction:
    """:func:`evaluate`, as an ``int`` when every step is whole (most formulas: ints are much
    faster than Fractions), else a Fraction; the same value either way."""
    if isinstance(node, Number):
        value = node.value
        if value.denominator == 1:
            return _whole(value.numerator * _scale(node.unit))
        return _whole(value * _scale(node.unit))
    if isinstance(node, BinOp):
        left, right = exact_value(node.left), exact_value(node.right)
        op = node.op
        if op == "*":
            return _whole(left * right)
        if op == "/":
            if right == 0:
                raise FormulaEvaluationError(
                    "", node.column, "0으로 나눌 수 없습니다", "division by zero")
            if type(left) is int and type(right) is int:
                quotient, rest = divmod(left, right)
                return quotient if rest == 0 else Fraction(left, right)
            return _whole(Fraction(left) / right)
        return _whole(left + right if op == "+" else left - right)
    if isinstance(node, Neg):
        return -exact_value(node.operand)
    if isinstance(node, Tagged):
        return exact_value(node.expr)
    raise TypeError(f"not a formula node: {node!r}")


def walk(node: Node) -> Iterator[Node]:
    """Every node of the tree, parents before children, left to right."""
    yield node
    if isinstance(node, BinOp):
        yield from walk(node.left)
        yield from walk(node.right)
    elif isinstance(node, Neg):
        yield from walk(node.operand)
    elif isinstance(node, Tagged):
        yield from walk(node.expr)


def numbers(node: Node) -> list[Number]:
    """The numbers of the formula, in reading order."""
    return [n for n in walk(node) if isinstance(n, Number)]


def tag_totals(node: Node) -> dict[str, Fraction]:
    """The value of each tagged term, summed per tag and signed as in the formula.

    ``경정 A - 기정 B`` gives ``{"경정": A, "기정": -B}``; an untagged formula gives ``{}``.
    """
    totals: dict[str, Fraction] = {}

    def visit(n: Node, sign: int) -> None:
        if isinstance(n, Tagged):
            totals[n.tag] = totals.get(n.tag, Fraction(0)) + sign * evaluate(n.expr)
        elif isinstance(n, BinOp) and n.op in "+-":
            visit(n.left, sign)
            visit(n.right, sign if n.op == "+" else -sign)
        elif isinstance(n, Neg):
            visit(n.operand, -sign)
        else:
            for child in walk(n):
                if isinstance(child, Tagged):
                    raise FormulaEvaluationError(
                        "", child.column, "경정/기정은 곱셈·나눗셈 안에 올 수 없습니다",
                        "a 경정/기정 term cannot sit inside a product")

    visit(node, 1)
    return totals


# --- rendering -------------------------------------------------------------------------------

class RenderStyle(Frozen):
    """One surface syntax: operator spellings, blanks, brackets, separators."""

    __slots__ = ("mul", "div", "add", "sub", "neg", "spaced", "brackets", "thousands", "__weakref__")
    mul: str
    div: str
    add: str
    sub: str
    neg: str
    spaced: bool
    brackets: tuple[str, ...]
    thousands: bool

    def __init__(self, mul: str = "*", div: str = "/", add: str = "+", sub: str = "-", neg: str = "-",
                 spaced: bool = False, brackets: tuple[str, ...] = ("()",), thousands: bool = True) -> None:
        _set(self, "mul", mul)
        _set(self, "div", div)
        _set(self, "add", add)
        _set(self, "sub", sub)
        _set(self, "neg", neg)
        _set(self, "spaced", spaced)
        _set(self, "brackets", brackets)
        _set(self, "thousands", thousands)


frozen(RenderStyle, Field("mul", default="*"), Field("div", default="/"), Field("add", default="+"),
       Field("sub", default="-"), Field("neg", default="-"), Field("spaced", default=False),
       Field("brackets", default=("()",)), Field("thousands", default=True))


_SUM, _PRODUCT, _UNARY, _ATOM = 1, 2, 3, 4


def format_value(value: Fraction, thousands: bool = True) -> str:
    """*value* (≥ 0, a finite decimal) as digits, with ``,`` every three digits if *thousands*."""
    if value < 0:
        raise ValueError("format_value needs a value ≥ 0; negate with Neg")
    whole, rest = divmod(value, 1)
    digits = f"{int(whole):,}" if thousands else str(int(whole))
    if not rest:
        return digits
    decimals = []
    for _ in range(40):
        rest *= 10
        digit, rest = divmod(rest, 1)
        decimals.append(str(int(digit)))
        if not rest:
            return digits + "." + "".join(decimals)
    raise ValueError(f"{value} has no short decimal expansion")


def render(node: Node, style: RenderStyle = RenderStyle()) -> str:
    """*node* as formula text in *style*; brackets only where the value needs them."""
    return _render(node, style, 0)[0]


def _bracket(text: str, style: RenderStyle, depth: int) -> str:
    pair = style.brackets[depth % len(style.brackets)]
    return pair[0] + text + pair[1]


def _render(node: Node, style: RenderStyle, depth: int) -> tuple[str, int]:
    if isinstance(node, Number):
        written = format_value(node.value, style.thousands) + node.unit
        return (f"{node.name} {written}" if node.name else written), _ATOM
    if isinstance(node, Neg):
        operand = node.operand
        if isinstance(operand, Number) and operand.name:  # the name comes first: 할인 -3,000원
            return f"{operand.name} {style.neg}{_render(evolve(operand, name=''), style, depth + 1)[0]}", _UNARY
        inner, prec = _render(operand, style, depth + 1)
        if prec != _ATOM:
            inner = _bracket(inner, style, depth)
        return style.neg + inner, _UNARY
    if isinstance(node, Tagged):
        inner, prec = _render(node.expr, style, depth + 1)
        if prec < _PRODUCT:
            inner = _bracket(inner, style, depth)
        return f"{node.tag} {inner}", _SUM
    prec = _SUM if node.op in "+-" else _PRODUCT
    left, left_prec = _render(node.left, style, depth + 1)
    right, right_prec = _render(node.right, style, depth + 1)
    if left_prec < prec:
        left = _bracket(left, style, depth)
    right_is_term = isinstance(node.right, Tagged) and prec == _SUM
    if not right_is_term and (right_prec < prec or (right_prec == prec and node.op in "-/")):
        right = _bracket(right, style, depth)
    spelling = {"+": style.add, "-": style.sub, "*": style.mul, "/": style.div}[node.op]
    if style.spaced:
        spelling = f" {spelling} "
    return left + spelling + right, prec
