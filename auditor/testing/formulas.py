"""산출근거 formulas for generated sheets: small trees that render in every syntax the grammar reads and evaluate exactly in 원.

The value is computed here, independently of :mod:`auditor.formula`, so that a
generated sheet checks the project's grammar and evaluation instead of copying them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from fractions import Fraction

#: 원 per money unit, as written in formulas.
MONEY = {"원": 1, "천원": 1_000, "만원": 10_000, "백만원": 1_000_000, "억원": 100_000_000}
#: Count units as sheets write them (Hangul runs, and the Latin units the grammar lists).
COUNT_UNITS = ("명", "인", "회", "시간", "일", "월", "개월", "대", "개", "개소", "부", "식", "매", "건",
               "권", "종", "박스", "강좌", "회선", "세대", "EA", "set")
#: Multiplication signs that CP949 can encode, and those only UTF-8 can.
MUL_CP949 = ("*", "×", "x", "X", "·", "＊")
MUL_UTF8 = ("✕", "✖", "∙", "⋅")
DIV = ("/", "÷")
BRACKETS = (("(", ")"), ("[", "]"))
#: Words a sheet writes right after a money unit (the grammar's money suffixes), and notes after a count.
SUFFIXES = ("씩", "짜리", "상당")
NOTES = ("(월1회)", "(1박2일)", "(연2회)", "(분기별)", "[부가세 포함]")


@dataclass(frozen=True)
class Operand:
    """One number as written: ``value`` as printed (10.5 for ``10.5%``), its digits, unit and trailing words."""

    value: int | Fraction  # an int when whole: plain int arithmetic is much faster than Fraction's
    digits: str
    unit: str = ""
    after: str = ""  # a money suffix (씩) or a note ((월1회)) glued after the unit
    blank: bool = False  # a blank between the digits and the unit

    @property
    def won(self) -> int | Fraction:
        if self.unit == "%":
            return Fraction(self.value) / 100
        return self.value * MONEY.get(self.unit, 1)

    @property
    def is_money(self) -> bool:
        return self.unit in MONEY

    @property
    def text(self) -> str:
        return self.digits + (" " if self.blank else "") + self.unit + self.after


@dataclass(frozen=True)
class Op:
    """``left op right``; ``kind`` is ``*``, ``/``, ``+`` or ``-`` and ``spelling`` the sign as written."""

    kind: str
    spelling: str
    left: "Node"
    right: "Node"


@dataclass(frozen=True)
class Brackets:
    """A bracketed sub-formula: ``(100,000원+50,000원)`` or ``[...]``."""

    inner: "Node"
    open: str = "("
    close: str = ")"


Node = Operand | Op | Brackets


def value(node: Node) -> int | Fraction:
    """The formula's exact value in 원."""
    if isinstance(node, Operand):
        return node.won
    if isinstance(node, Brackets):
        return value(node.inner)
    left, right = value(node.left), value(node.right)
    if node.kind == "*":
        return left * right
    if node.kind == "/":
        return Fraction(left) / right
    return left + right if node.kind == "+" else left - right


def operands(node: Node) -> list[Operand]:
    """The operands in the order they are written."""
    if isinstance(node, Operand):
        return [node]
    if isinstance(node, Brackets):
        return operands(node.inner)
    return operands(node.left) + operands(node.right)


def with_operand(node: Node, index: int, new: Operand) -> Node:
    """The tree with its ``index``-th operand (in written order) replaced by ``new``."""
    def go(n: Node, at: int) -> tuple[Node, int]:
        if isinstance(n, Operand):
            return (new if at == index else n), at + 1
        if isinstance(n, Brackets):
            inner, at = go(n.inner, at)
            return replace(n, inner=inner), at
        left, at = go(n.left, at)
        right, at = go(n.right, at)
        return replace(n, left=left, right=right), at
    return go(node, 0)[0]


def render(node: Node, spaced: bool) -> tuple[str, list[tuple[int, int]]]:
    """The formula's text, and the span of each operand's digits in it (in written order)."""
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    size = 0

    def put(s: str) -> None:
        nonlocal size
        out.append(s)
        size += len(s)

    def go(n: Node) -> None:
        if isinstance(n, Operand):
            spans.append((size, size + len(n.digits)))
            put(n.text)
        elif isinstance(n, Brackets):
            put(n.open)
            go(n.inner)
            put(n.close)
        else:
            go(n.left)
            put(f" {n.spelling} " if spaced else n.spelling)
            go(n.right)

    go(node)
    return "".join(out), spans


def digits(v: int | Fraction, comma: bool = True) -> str:
    """``1234567`` → ``1,234,567``; a fraction with up to two decimals → ``2.5``."""
    if isinstance(v, Fraction) and v.denominator != 1:
        whole, rest = divmod(v, 1)
        for places in (1, 2):
            if (rest * 10**places).denominator == 1:
                return f"{digits(int(whole), comma)}.{int(rest * 10**places):0{places}d}"
        raise ValueError(f"{v} has more than two decimals")
    return f"{int(v):,}" if comma else str(int(v))


class FormulaStyle:
    """The operator spellings one sheet uses: mostly one sign, sometimes another."""

    def __init__(self, rng: random.Random, utf8: bool) -> None:
        self.rng = rng
        pool = MUL_CP949 + (MUL_UTF8 if utf8 else ())
        self.mul = rng.choice(("*", "*", "×", "x", "X") + pool)
        self.pool = pool
        self.div = rng.choice(DIV)
        self.spaced = rng.random() < 0.25

    def times(self) -> str:
        return self.mul if self.rng.random() < 0.85 else self.rng.choice(self.pool)


def _price(rng: random.Random) -> int:
    """A unit price in 원: mostly round figures, sometimes an odd one (so rounding matters)."""
    if rng.random() < 0.3:
        return rng.randrange(1_000, 900_000, rng.choice((10, 100)))
    tenths = rng.choice((10, 12, 15, 20, 25, 30, 35, 40, 45, 50, 60, 70, 75, 80, 90))  # 1.2 → 12
    return tenths * 10 ** rng.randint(2, 5)


def money(rng: random.Random, won: int | None = None) -> Operand:
    """A money operand, written in 원, or in 천원/만원/백만원 when it divides evenly."""
    won = won if won is not None else _price(rng)
    units = ["원"] * 6 + [u for u in ("천원", "만원", "백만원") if won % MONEY[u] == 0]
    unit = rng.choice(units)
    v = won // MONEY[unit]
    after = rng.choice(SUFFIXES) if rng.random() < 0.04 else ""
    return Operand(v, digits(v), unit, after, blank=rng.random() < 0.03)


def count(rng: random.Random, unit: str | None = None, top: int = 40) -> Operand:
    """A count: an integer (sometimes with one decimal) with a count unit, or none."""
    n: int | Fraction = rng.randint(1, top)
    if rng.random() < 0.05:
        n = Fraction(rng.randint(11, 10 * top), 10)
    unit = rng.choice(COUNT_UNITS) if unit is None else unit
    if unit in ("부", "매", "개") and rng.random() < 0.1:  # 6,000원*1,000부
        n = rng.randrange(1000, 5000, 100)
    note = rng.choice(NOTES) if rng.random() < 0.04 and unit else ""
    return Operand(n, digits(n, comma=n >= 1000), unit, note)


def draw_formula(rng: random.Random, style: FormulaStyle) -> Node:
    """One formula of a shape drawn from those real sheets use."""
    t = style.times
    shape = rng.choices(
        ("product", "count-first", "bare", "percent", "fraction", "divide", "bracket-sum",
         "bracket-product", "sum", "man-won", "difference"),
        weights=(40, 6, 10, 6, 6, 4, 5, 5, 5, 3, 2),
    )[0]
    if shape == "bare":
        return money(rng, rng.randrange(1_000_000, 100_000_000, 1000))
    if shape == "count-first":  # 158명*50,000원*12
        return Op("*", t(), Op("*", t(), count(rng, "명", 200), money(rng)), count(rng, "", 12))
    if shape == "percent":  # 3,000,000원*15개소*50% or 756,000천원 × 10.5%
        share = Fraction(rng.choice((500, 800, 900, 105, 300, 700, 125)), 10)  # 50%, 10.5%, 12.5% …
        pct = Operand(share, digits(share), "%")
        return Op("*", t(), Op("*", t(), money(rng), count(rng)), pct)
    if shape == "fraction":  # 100,000원*3명*4/12월
        months = rng.randint(1, 11)
        return Op("/", "/", Op("*", t(), Op("*", t(), money(rng), count(rng, "명")),
                                Operand(months, str(months))), Operand(12, "12", "월"))
    if shape == "divide":  # 1,200,000원÷12월*3개월
        return Op("*", t(), Op("/", style.div, money(rng, 12 * _price(rng)), Operand(12, "12", "월")),
                  count(rng, "개월", 12))
    if shape == "bracket-sum":  # (100,000원+50,000원)*2회
        o, c = rng.choice(BRACKETS)
        return Op("*", t(), Brackets(Op("+", "+", money(rng), money(rng)), o, c), count(rng))
    if shape == "bracket-product":  # (150,000원*7명)*2회
        o, c = rng.choice(BRACKETS)
        return Op("*", t(), Brackets(Op("*", t(), money(rng), count(rng, "명")), o, c), count(rng, "회", 12))
    if shape == "sum":  # 10,000원*10명+5,000원*5명
        return Op("+", "+", Op("*", t(), money(rng), count(rng)), Op("*", t(), money(rng), count(rng)))
    if shape == "difference":  # (150,000원-30,000원)*2회: a price less a discount or a share
        price = _price(rng) * 2
        less = money(rng, price // rng.choice((2, 4, 5, 10)))
        o, c = rng.choice(BRACKETS)
        return Op("*", t(), Brackets(Op("-", "-", money(rng, price), less), o, c), count(rng))
    if shape == "man-won":  # 5만원*10매, 1만원권*100매
        v = rng.randint(1, 50)
        unit_after = rng.choice((("만원", ""), ("만원", "권"), ("천원", "")))
        return Op("*", t(), Operand(v, str(v), *unit_after), count(rng, rng.choice(("매", "개", "부")), 300))
    node: Node = money(rng)
    for k in range(rng.choice((1, 1, 1, 2, 2, 3))):
        node = Op("*", t(), node, count(rng, top=40 if k == 0 else 12))
    return node

