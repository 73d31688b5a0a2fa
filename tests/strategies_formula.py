"""Hypothesis strategies for formula ASTs and the surface syntaxes they can be written in."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import assume, settings, strategies as st

from auditor.formula import BinOp, Neg, Number, RenderStyle, Tagged, evaluate
from auditor.formula.grammar import ADD_CHARS, DIV_CHARS, MUL_CHARS, SUB_CHARS

#: Shared settings for the formula properties (applied per test, not as a global profile).
formula_settings = settings(max_examples=300, deadline=None)

MONEY_UNITS = ("원", "천원", "백만원", "억원")
COUNT_UNITS = ("명", "인", "회", "시간", "일", "월", "개월", "대", "개", "개소", "톤", "통", "종",
               "박스", "건", "부", "매", "식", "강좌", "회선", "개사", "권", "ℓ", "필지", "세대")
#: Latin and symbol units of the unit vocabulary (rules/vocabulary/단위.toml).
LATIN_UNITS = ("ml", "kg", "m", "km", "L", "ton", "m²", "㎡", "EA", "set", "mL", "㎏", "kWh")
UNITS = ("", "%") + MONEY_UNITS + COUNT_UNITS + LATIN_UNITS
NEG_SIGNS = ("-", "−", "△", "Δ")
#: Names written before an operand (``항공료 1,500,000원``); mostly none.
NAMES = ("", "", "", "", "항공료", "숙박비", "본청 보존문서", "왕복 항공료", "지원금", "강사 수당")


@st.composite
def values(draw) -> Fraction:
    """A figure as people write it: a whole number, or one with one to three decimals."""
    whole = draw(st.integers(min_value=0, max_value=10**12))
    places = draw(st.sampled_from((0, 0, 0, 1, 2, 3)))
    return Fraction(whole, 10**places)


@st.composite
def numbers(draw) -> Number:
    """A number with any unit (money, percent, count, Latin, or none), sometimes with a name before it."""
    return Number(draw(values()), draw(st.sampled_from(UNITS)), name=draw(st.sampled_from(NAMES)))


def _extend(children: st.SearchStrategy) -> st.SearchStrategy:
    return st.one_of(
        st.builds(BinOp, st.sampled_from("+-*"), children, children),
        divisions(children),
        st.builds(Neg, children),
        st.builds(Tagged, st.sampled_from(("경정", "기정")), children),
    )


@st.composite
def divisions(draw, children: st.SearchStrategy) -> BinOp:
    """``left / right`` with a right side that is not zero."""
    right = draw(children)
    assume(evaluate(right) != 0)
    return BinOp("/", draw(children), right)


def formulas(max_leaves: int = 10) -> st.SearchStrategy:
    """Formula ASTs of every node kind, small enough for the grammar's limits."""
    return st.recursive(numbers(), _extend, max_leaves=max_leaves)


@st.composite
def money_plus_count(draw) -> BinOp | Neg:
    """A sum or difference of which one term holds money and another is a count (``3,000원*2회 + 2회``),
    perhaps among more terms: built so, since few :func:`formulas` are (docs/grammar.md, rule 3)."""
    money = st.builds(BinOp, st.just("*"), st.builds(Number, values(), st.sampled_from(MONEY_UNITS)), formulas(4))
    count = st.recursive(st.builds(Number, values(), st.sampled_from(COUNT_UNITS)),
                         lambda c: st.one_of(st.builds(BinOp, st.just("*"), c, c), st.builds(Neg, c)), max_leaves=3)
    terms = [draw(money), draw(count)] + draw(st.lists(formulas(3), max_size=2))
    order = draw(st.permutations(terms))
    node = order[0]
    for term in order[1:]:
        node = BinOp(draw(st.sampled_from("+-")), node, term)
    return Neg(node) if draw(st.booleans()) else node


@st.composite
def styles(draw) -> RenderStyle:
    """One surface syntax: every operator spelling, blanks or not, bracket kinds, separators."""
    brackets = draw(st.sampled_from((("()",), ("[]",), ("()", "[]"), ("[]", "()"))))
    return RenderStyle(
        mul=draw(st.sampled_from(tuple(MUL_CHARS))),
        div=draw(st.sampled_from(tuple(DIV_CHARS))),
        add=draw(st.sampled_from(tuple(ADD_CHARS))),
        sub=draw(st.sampled_from(tuple(SUB_CHARS))),
        neg=draw(st.sampled_from(NEG_SIGNS)),
        spaced=draw(st.booleans()),
        brackets=brackets,
        thousands=draw(st.booleans()),
    )


FRAGMENTS = tuple("0123456789,.%()[]{}=*/+-xX×÷·✕△Δ 원천백만억명회월경정기 \tabc가") + (
    "원*", "12월", "경정 ", "기정 ", "1,000", "000", "천원", "(5급이하 158명)", "=\t")


def junk() -> st.SearchStrategy[str]:
    """Text made mostly of formula fragments, so that it often gets deep into the grammar."""
    return st.one_of(
        st.lists(st.sampled_from(FRAGMENTS), max_size=30).map("".join),
        st.text(max_size=40),
    )


#: Labels as items write them: words, a bracket of words or counts, Latin letters, a (구) prefix.
LABELS = ("서고 방역", "문서 전산화", "대민업무수당(5급이하 158명)", "(구)월촌교 보수", "GPR탐사", "국외 연수",
          "환경개선", "약품 구입(정기)")
#: Words written inside a bracket before the formula, or as the label's own bracket.
INNER = ("상시 방역제", "본청 보존문서", "서버 유지관리", "약품 구입", "수시")
#: How an item's text holds its formula (docs/grammar.md, the label rule): ``{label}``, ``{inner}`` and
#: ``{formula}`` are filled in; ``assumed`` says whether a closing bracket is missing (a note says so).
SHAPES = (
    ("{label} {formula}", False),                    # after the label
    ("{label} ({formula})", False),                  # in the last bracket
    ("{label}({formula})", False),                   # in a bracket glued to the label
    ("{label}({inner}({formula}))", False),          # in a bracket nested in the label
    ("{label}({inner} {formula})", False),           # after words inside a bracket
    ("{label}({inner}(수시){formula}))", False),      # a label bracket, the formula, a stray closing bracket
    ("({inner}(수시)({formula}))", False),            # two brackets in a row, the second holding it
    ("{label}2({formula})", False),                  # a digit glued to the bracket
    ("{label} ({formula}", True),                    # a closing bracket missing at the end
    ("{label}({inner} {formula}", True),             # … after words inside the bracket
)


@st.composite
def items(draw, formula: st.SearchStrategy = None) -> tuple[str, object, str, bool]:
    """``(item text, formula AST, formula as rendered, a closing bracket assumed)``: a formula with money,
    rendered in any syntax, inside an item's text in one of :data:`SHAPES`."""
    from auditor.formula import numbers, render
    from auditor.formula.split import adds_money_to_a_count

    ast = draw(formula or formulas(max_leaves=8))
    if not any(n.is_money for n in numbers(ast)):  # a price times it: a formula with money, not filtered out
        ast = BinOp("*", Number(draw(values()), draw(st.sampled_from(MONEY_UNITS))), ast)
    assume(not adds_money_to_a_count(ast))
    style = draw(styles())
    shape, assumed = draw(st.sampled_from(SHAPES))
    rendered = render(ast, style)
    if "{inner} {formula}" in shape and numbers(ast)[0].name and rendered.startswith(numbers(ast)[0].name):
        assume(False)  # two names in a row: the words of both would be one name
    if "){formula}" in shape and rendered[:1] in SUB_CHARS:
        assume(False)  # a dash glued after a bracket separates a label (운영비(2회)-3,000원): no sign
    label = draw(st.sampled_from(LABELS))
    if "2({formula})" in shape and not label[-1].isalpha():
        assume(False)  # ``보수(5급)2(…)``: a digit glued to a bracket after a bracket does not start a formula
    text = shape.format(label=label, inner=draw(st.sampled_from(INNER)), formula=rendered)
    return text, ast, rendered, assumed
#: Text in front of a formula that makes it the end of a longer one that does not parse.
BROKEN_INSIDE = ("5,000원**", "5,000원 ", "3천원*(", "5,000원**항공료 ", "5,000원 항공료 ")
