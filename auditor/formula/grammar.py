"""The pyparsing grammar of docs/grammar.md: formula text to AST, cached per distinct text."""

from __future__ import annotations

import functools
import re
from fractions import Fraction

import pyparsing as pp

from auditor.formula.errors import FormulaSyntaxError
from auditor.formula.nodes import BinOp, Neg, Node, Number, Tagged

MAX_LENGTH = 500
MAX_DEPTH = 20
MAX_DIGITS = 30

DIGITS = r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?"
MONEY_UNIT = r"(?:천|백만|억)?원(?![가-힣])"
COUNT_UNIT = r"[가-힣ℓ㎡㎥㎏㎞㎖㎜㎝]+"
NUMBER = (rf"(?P<digits>{DIGITS})"
          rf"(?:(?P<percent>[%％])|[ \t]*(?P<money>{MONEY_UNIT})|(?P<count>{COUNT_UNIT}))?")
MUL_CHARS = "*＊×xX✕✖·∙⋅"
DIV_CHARS = "/÷"
ADD_CHARS = "+＋"
SUB_CHARS = "-−－"
SIGN_CHARS = "-−－△▲Δ∆+"
TAG = r"(?:경정|기정)(?![가-힣])"
OPEN, CLOSE = "([", ")]"

_DIGIT_RUN = re.compile(r"[0-9][0-9,]*(?:\.[0-9]+)?")


class _Op:
    """An operator token as read: canonical op, spelling, 1-based column."""

    __slots__ = ("op", "spelling", "column")

    def __init__(self, op: str, spelling: str, column: int) -> None:
        self.op, self.spelling, self.column = op, spelling, column


def _number(text: str, loc: int, toks: pp.ParseResults) -> Number:
    match = re.fullmatch(NUMBER, toks[0])
    value = Fraction(match["digits"].replace(",", ""))
    unit = "%" if match["percent"] else (match["money"] or match["count"] or "")
    return Number(value, unit, toks[0], loc + 1)


def _operator(canonical: dict[str, str]):
    def action(text: str, loc: int, toks: pp.ParseResults) -> _Op:
        return _Op(canonical[toks[0]], toks[0], loc + 1)
    return action


def _fold(text: str, loc: int, toks: pp.ParseResults) -> Node:
    node = toks[0]
    for i in range(1, len(toks), 2):
        op = toks[i]
        node = BinOp(op.op, node, toks[i + 1], op.spelling, op.column)
    return node


def _signed(text: str, loc: int, toks: pp.ParseResults) -> Node:
    sign, operand = toks
    return operand if sign.op == "+" else Neg(operand, sign.spelling, sign.column)


def _tagged(text: str, loc: int, toks: pp.ParseResults) -> Node:
    return Tagged(toks[0], toks[1], loc + 1)


def _char_op(chars: str, op: str, name: str) -> pp.ParserElement:
    canonical = {c: op for c in chars}
    return pp.Char(chars).set_name(name).set_parse_action(_operator(canonical))


@functools.cache
def formula_parser() -> pp.ParserElement:
    """The ``<formula>`` element, built once (no packrat: the grammar does not need it)."""
    expression = pp.Forward().set_name("expression")
    number = pp.Regex(NUMBER).set_name("number").set_parse_action(_number)
    bracketed = pp.MatchFirst(
        pp.Suppress(o) - expression - pp.Suppress(c).set_name(f"'{c}'")
        for o, c in zip(OPEN, CLOSE)
    ).set_name("bracketed")
    primary = (number | bracketed).set_name("operand")
    sign = pp.Char(SIGN_CHARS).set_name("sign").set_parse_action(
        _operator({c: "+" if c == "+" else "-" for c in SIGN_CHARS}))
    factor = ((sign - primary).set_parse_action(_signed) | primary).set_name("operand")
    mul_op = (_char_op(MUL_CHARS, "*", "mul-op") | _char_op(DIV_CHARS, "/", "div-op")).set_name("mul-op")
    add_op = (_char_op(ADD_CHARS, "+", "add-op") | _char_op(SUB_CHARS, "-", "sub-op")).set_name("add-op")
    product = (factor + pp.ZeroOrMore(mul_op - factor)).set_name("product").set_parse_action(_fold)
    tag = pp.Regex(TAG).set_name("tag")
    term = ((tag - product).set_parse_action(_tagged) | product).set_name("term")
    expression <<= (term + pp.ZeroOrMore(add_op - term)).set_parse_action(_fold)
    return expression.copy().set_name("formula").parse_with_tabs()


_EXPECTED = {
    "operand": ("숫자, 여는 괄호 또는 부호", "a number, an opening bracket or a sign"),
    "number": ("숫자", "a number"),
    "term": ("숫자, 괄호 또는 경정/기정", "a number, a bracket, or 경정/기정"),
    "expression": ("숫자, 괄호 또는 경정/기정", "a number, a bracket, or 경정/기정"),
    "product": ("숫자 또는 괄호", "a number or a bracket"),
    "tag": ("숫자, 괄호 또는 경정/기정", "a number, a bracket, or 경정/기정"),
    "end of text": ("연산자(*, ×, /, +, -) 또는 식의 끝", "an operator (*, ×, /, +, -) or the end"),
}


def _found(text: str, index: int) -> tuple[str, str]:
    if index >= len(text):
        return "식의 끝", "the end of the formula"
    return f"'{text[index]}'", f"'{text[index]}'"


def _syntax_error(text: str, exc: pp.ParseBaseException) -> FormulaSyntaxError:
    loc = exc.loc
    while loc < len(text) and text[loc] in " \t":
        loc += 1
    name = str(exc.parser_element) if exc.parser_element is not None else ""
    want_ko, want_en = _EXPECTED.get(name, (name, name))
    found_ko, found_en = _found(text, loc)
    return FormulaSyntaxError(
        text, loc + 1, f"{want_ko}이(가) 필요합니다 (찾은 것: {found_ko})",
        f"expected {want_en}, found {found_en}")


def check_limits(text: str) -> FormulaSyntaxError | None:
    """The first limit of docs/grammar.md that *text* breaks, as an error; ``None`` if none."""
    if len(text) > MAX_LENGTH:
        return FormulaSyntaxError(
            text, MAX_LENGTH + 1, f"산출근거식이 너무 깁니다 (최대 {MAX_LENGTH}자)",
            f"formula too long (at most {MAX_LENGTH} characters)")
    stack: list[int] = []
    for index, char in enumerate(text):
        if char in OPEN:
            stack.append(index)
            if len(stack) > MAX_DEPTH:
                return FormulaSyntaxError(
                    text, index + 1, f"괄호가 너무 깊게 중첩되었습니다 (최대 {MAX_DEPTH}단계)",
                    f"brackets nested too deeply (at most {MAX_DEPTH} levels)")
        elif char in CLOSE:
            if not stack or OPEN.index(text[stack[-1]]) != CLOSE.index(char):
                return FormulaSyntaxError(
                    text, index + 1, f"짝이 맞지 않는 닫는 괄호 '{char}'",
                    f"unmatched closing bracket '{char}'")
            stack.pop()
    if stack:
        return FormulaSyntaxError(
            text, stack[-1] + 1, f"닫히지 않은 괄호 '{text[stack[-1]]}'",
            f"unclosed bracket '{text[stack[-1]]}'")
    for match in _DIGIT_RUN.finditer(text):
        if sum(c.isdigit() for c in match[0]) > MAX_DIGITS:
            return FormulaSyntaxError(
                text, match.start() + 1, f"숫자가 너무 깁니다 (최대 {MAX_DIGITS}자리)",
                f"number too long (at most {MAX_DIGITS} digits)")
    return None


@functools.lru_cache(maxsize=1 << 16)
def _parse_cached(text: str) -> Node | tuple[int, str, str]:
    error = check_limits(text)
    if error is None:
        if not text.strip():
            return (1, "산출근거식이 비어 있습니다", "the formula is empty")
        try:
            return formula_parser().parse_string(text, parse_all=True)[0]
        except pp.ParseBaseException as exc:
            error = _syntax_error(text, exc)
    return (error.column, error.reason, error.reason_en)


def parse_formula(text: str) -> Node:
    """The AST of formula *text*; raises :class:`FormulaSyntaxError`. Cached per distinct text."""
    result = _parse_cached(text)
    if isinstance(result, tuple):
        raise FormulaSyntaxError(text, *result)
    return result
