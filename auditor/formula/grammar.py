"""The pyparsing grammar of docs/grammar.md (the grammar of record): formula text to AST, with caret errors.

Most formulas never reach pyparsing's machinery: :mod:`auditor.formula.fast` reads the ones it
accepts with the grammar's own tokens, and everything else (errors above all) is parsed here.
"""

from __future__ import annotations

import functools

from auditor import recache
from auditor.formula.errors import FormulaSyntaxError
from auditor.formula.fast import may_parse, parse_bracketed, parse_flat
from auditor.formula.nodes import BinOp, Neg, Node, Number, Tagged
from auditor.formula.tokens import (
    ADD_CHARS, CLOSE, DIGITS, DIV_CHARS, MONEY_SUFFIXES, MONEY_UNIT, MUL_CHARS, OPEN, SIGN_CHARS, SUB_CHARS,
    TAG, WHITE, Rest, atom_of, fold_left, normalise, number_of, tokens,
)
from auditor.formula.units import on_change
from auditor.josa import attach
from auditor.lazyre import lazy
from auditor.source import MONEY_UNITS
from auditor.memo import CACHE_SIZE

TYPE_CHECKING = False
if TYPE_CHECKING:  # pyparsing is imported when a formula first needs it
    import pyparsing as pp

__all__ = [  # what other modules and the tests take from here
    "ADD_CHARS", "DIGITS", "DIV_CHARS", "MAX_DEPTH", "MAX_DIGITS", "MAX_LENGTH", "MONEY_SUFFIXES", "MONEY_UNIT",
    "MUL_CHARS", "SUB_CHARS", "WHITE", "check_limits", "formula_parser", "may_parse", "normalise", "parse_bracketed",
    "parse_flat", "parse_formula",
]

MAX_LENGTH = 500
MAX_DEPTH = 20
MAX_DIGITS = 30

_DIGIT_RUN = recache.compile(r"[0-9][0-9,]*(?:\.[0-9]+)?")
_BRACKETS = recache.compile(r"[()\[\]]")


def _atom_action(text: str, loc: int, toks: pp.ParseResults) -> Node:
    return atom_of(toks[0])


class _Head:
    """The first operand of a term, with the 경정/기정 tag written before it (``""`` if none)."""

    __slots__ = ("tag", "column", "node")

    def __init__(self, tag: str, column: int, node: Node) -> None:
        self.tag, self.column, self.node = tag, column, node


def _head_action(text: str, loc: int, toks: pp.ParseResults) -> _Head:
    m = toks[0]
    return _Head(m["tag"] or "", m.start() + 1, atom_of(m))


def _bracket_head(text: str, loc: int, toks: pp.ParseResults) -> _Head:
    tag = toks[0] if len(toks) == 2 else ""
    return _Head(tag, loc + 1, toks[-1])


def _pair_action(text: str, loc: int, toks: pp.ParseResults) -> Rest:
    m = toks[0]
    return Rest(m["op"], m.start("op") + 1, atom_of(m))


def _operator(text: str, loc: int, toks: pp.ParseResults) -> Rest:
    return Rest(toks[0], loc + 1)


def _rest(text: str, loc: int, toks: pp.ParseResults) -> Rest:
    op, node = toks
    op.node = node
    return op


def _fold(text: str, loc: int, toks: pp.ParseResults) -> Node:
    return fold_left(toks[0], toks[1:])


def _fast_term(text: str, loc: int, toks: pp.ParseResults) -> Rest:
    """``+ number (* operand)*``: the term after an add-op, folded into one rest."""
    first = toks[0]
    first.node = fold_left(first.node, toks[1:])
    return first


def _signed(text: str, loc: int, toks: pp.ParseResults) -> Node:
    if len(toks) == 1:
        return toks[0]
    sign, operand = toks
    return operand if sign == "+" else Neg(operand, sign, loc + 1)


def _term(text: str, loc: int, toks: pp.ParseResults) -> Node:
    """``head (op operand)*`` folded left; a tag on the head covers the whole product."""
    head = toks[0]
    node = fold_left(head.node, toks[1:])
    return Tagged(head.tag, node, head.column) if head.tag else node


@functools.cache
def formula_parser() -> pp.ParserElement:
    """The ``<formula>`` element (ends with ``StringEnd``), built once per unit list; no packrat, none needed.

    It reads normalised text (:func:`normalise`); :func:`parse_formula` does that first.
    The common operand, ``[name] [sign] number [unit] [note]``, is one ``Regex``, and so is an
    operator followed by such an operand: most formulas are read by a few regular
    expressions, and the general rules (brackets, tags, error stops) catch the rest.
    """
    import pyparsing as pp

    t = tokens()
    expression = pp.Forward().set_name("expression")
    atom = pp.Regex(t.signed, as_match=True).set_name("operand").set_parse_action(_atom_action)
    bracketed = pp.MatchFirst(
        pp.Suppress(o) - expression - pp.Suppress(c).set_name(f"'{c}'")
        for o, c in zip(OPEN, CLOSE)
    ).set_name("operand")
    sign = pp.Char(SIGN_CHARS).set_name("sign")
    signed_bracketed = (pp.Opt(sign) + bracketed).set_name("operand").set_parse_action(_signed)
    factor = (atom | signed_bracketed).set_name("operand")
    mul_op = pp.Char(MUL_CHARS + DIV_CHARS).set_name("mul-op").set_parse_action(_operator)
    add_op = pp.Char(ADD_CHARS + SUB_CHARS).set_name("add-op").set_parse_action(_operator)
    mul_rest = (pp.Regex(t.mul_atom, as_match=True).set_name("mul-op").set_parse_action(_pair_action)
                | (mul_op - factor).set_parse_action(_rest))
    tag = pp.Regex(TAG).set_name("tag")
    head = (pp.Regex(t.head, as_match=True).set_name("operand").set_parse_action(_head_action)
            | (pp.Opt(tag) + signed_bracketed).set_name("operand").set_parse_action(_bracket_head))
    term = (head + pp.ZeroOrMore(mul_rest)).set_name("term").set_parse_action(_term)
    add_rest = ((pp.Regex(t.add_atom, as_match=True).set_parse_action(_pair_action)
                 + pp.ZeroOrMore(mul_rest)).set_parse_action(_fast_term)
                | (add_op - term).set_parse_action(_rest))
    total = (term + pp.ZeroOrMore(add_rest)).set_name("expression").set_parse_action(_fold)
    expression <<= total
    return (total + pp.StringEnd().set_name("end of text")).set_name("formula").parse_with_tabs()


_TERM = ("숫자, 여는 괄호 또는 경정/기정", "a number, an opening bracket, or 경정/기정")
_EXPECTED = {  # set_name of the element that failed → what to tell people (ko, en)
    "operand": ("숫자 또는 여는 괄호", "a number or an opening bracket"),
    "term": _TERM,
    "expression": _TERM,
    "formula": _TERM,
    "')'": ("닫는 괄호 ')' 또는 연산자", "a closing ')' or an operator"),
    "']'": ("닫는 괄호 ']' 또는 연산자", "a closing ']' or an operator"),
    "end of text": ("연산자(*, ×, /, +, -) 또는 식의 끝", "an operator (*, ×, /, +, -) or the end"),
}
_OTHER = ("연산자 또는 숫자", "an operator or a number")
_HANGUL_RUN = lazy(r"[가-힣]+")


def _found(text: str, index: int) -> tuple[str, str]:
    if index >= len(text):
        return "식의 끝", "the end of the formula"
    return f"'{text[index]}'", f"'{text[index]}'"


def _syntax_error(text: str, normal: str, loc: int, msg: str) -> FormulaSyntaxError:
    """The error of a parse that failed at *loc* with pyparsing's *msg* (``Expected <set_name>``)."""
    while loc < len(normal) and normal[loc] in " \t":
        loc += 1
    word = _HANGUL_RUN.match(normal, loc)
    before = normal[:loc].rstrip(" \t")[-1:]
    if word and "원" in word[0] and before and before in "0123456789":  # where a unit may stand, not a name (지원금)
        units = ", ".join(MONEY_UNITS)
        return FormulaSyntaxError(
            text, loc + 1,
            f"'{word[0]}'" + attach(f"'{word[0]}'", f"은(는) 알 수 없는 금액 단위입니다 (금액 단위: {units}; "
                                   f"뒤에 붙일 수 있는 말: {', '.join(MONEY_SUFFIXES)})"),
            f"'{word[0]}' is not a money unit (money units: {units}; "
            f"words allowed after one: {', '.join(MONEY_SUFFIXES)})")
    name = msg.removeprefix("Expected ")  # the set_name of the element that failed
    want_ko, want_en = _EXPECTED.get(name, _OTHER)
    found_ko, found_en = _found(text, loc)
    return FormulaSyntaxError(
        text, loc + 1, want_ko + attach(want_ko, f"이(가) 필요합니다 (찾은 것: {found_ko})"),
        f"expected {want_en}, found {found_en}")


def check_limits(text: str) -> FormulaSyntaxError | None:
    """The first limit of docs/grammar.md that *text* breaks, as an error; ``None`` if none."""
    if len(text) > MAX_LENGTH:
        return FormulaSyntaxError(
            text, MAX_LENGTH + 1, f"산출근거식이 너무 깁니다 (최대 {MAX_LENGTH}자)",
            f"formula too long (at most {MAX_LENGTH} characters)")
    stack: list[int] = []
    bracketed = "(" in text or "[" in text or ")" in text or "]" in text
    for match in _BRACKETS.finditer(text) if bracketed else ():
        index, char = match.start(), match[0]
        if char in OPEN:
            stack.append(index)
            if len(stack) > MAX_DEPTH:
                return FormulaSyntaxError(
                    text, index + 1, f"괄호가 너무 깊게 중첩되었습니다 (최대 {MAX_DEPTH}단계)",
                    f"brackets nested too deeply (at most {MAX_DEPTH} levels)")
        elif not stack or OPEN.index(text[stack[-1]]) != CLOSE.index(char):
            return FormulaSyntaxError(
                text, index + 1, f"짝이 맞지 않는 닫는 괄호 '{char}'",
                f"unmatched closing bracket '{char}'")
        else:
            stack.pop()
    if stack:
        return FormulaSyntaxError(
            text, stack[-1] + 1, f"닫히지 않은 괄호 '{text[stack[-1]]}'",
            f"unclosed bracket '{text[stack[-1]]}'")
    for match in _DIGIT_RUN.finditer(text) if len(text) > MAX_DIGITS else ():
        if sum(c.isdigit() for c in match[0]) > MAX_DIGITS:
            return FormulaSyntaxError(
                text, match.start() + 1, f"숫자가 너무 깁니다 (최대 {MAX_DIGITS}자리)",
                f"number too long (at most {MAX_DIGITS} digits)")
    return None


#: Every digit but 0 read as 0: the *shape* of a formula. The grammar's tokens treat all digits
#: alike (``[0-9]`` classes only), so two texts of one shape parse to trees that differ only in the
#: values of their numbers, at the same columns; and they fail at the same place.
_ZEROS = str.maketrans("123456789", "000000000")
@functools.lru_cache(maxsize=CACHE_SIZE)
def _parse_shape(shape: str) -> Node | tuple[int, str]:
    """The tree pyparsing gives for a normalised shape within the limits, or ``(loc, msg)`` of its
    parse error (the message names the character found, which :func:`_parse_cached` takes from
    the text). Only what the fast readers do not accept gets here: errors, above all."""
    import pyparsing as pp

    try:
        return formula_parser().parse_string(shape)[0]  # ends in StringEnd: parse_all
    except pp.ParseBaseException as exc:
        return (exc.loc, exc.msg)


def _rebind(node: Node, normal: str) -> Node:
    """The tree of the shape with each Number read again from the text itself (same columns)."""
    if isinstance(node, Number):  # a name holds no digit: the shape's is the text's
        number = number_of(tokens().signed_at.match(normal, node.column - 1))
        return number if not node.name else Number(number.value, number.unit, number.text, number.column,
                                                   number.note, node.name)
    if isinstance(node, BinOp):
        return BinOp(node.op, _rebind(node.left, normal), _rebind(node.right, normal), node.spelling, node.column)
    if isinstance(node, Neg):
        return Neg(_rebind(node.operand, normal), node.spelling, node.column)
    return Tagged(node.tag, _rebind(node.expr, normal), node.column)


@functools.lru_cache(maxsize=CACHE_SIZE)
def _parse_cached(text: str) -> Node | tuple[int, str, str]:
    """The tree of *text*, or its error ``(column, reason, reason_en)``.

    A formula within the limits that the fast readers accept is read from the text itself (one
    pass, as fast as rebinding a cached shape); anything else is parsed by pyparsing once per
    shape, and rebound."""
    normal = normalise(text)
    error = check_limits(normal)  # the limits do not depend on the digits: the shape's are the same
    if error is not None:
        return (error.column, error.reason, error.reason_en)
    if not normal.strip():
        return (1, "산출근거식이 비어 있습니다", "the formula is empty")
    fast = parse_flat(normal) if "(" not in normal and "[" not in normal else None
    if fast is None:  # brackets, or a tag after an operator; or an error, which pyparsing reports
        fast = parse_bracketed(normal)
    if fast is not None:
        return fast
    shape = normal.translate(_ZEROS)
    result = _parse_shape(shape)
    if isinstance(result, tuple):
        loc, msg = result
        error = _syntax_error(text, normal, loc, msg)
        return (error.column, error.reason, error.reason_en)
    return result if shape == normal else _rebind(result, normal)


def parse_formula(text: str) -> Node:
    """The AST of formula *text*; raises :class:`FormulaSyntaxError`. Cached per distinct text.

    *text* is normalised first (:func:`normalise`); columns are those of *text*.
    """
    if len(text) > MAX_LENGTH:  # always this error; not cached, so long junk cannot fill the cache
        raise check_limits(text)
    result = _parse_cached(text)
    if isinstance(result, tuple):
        raise FormulaSyntaxError(text, *result)
    return result


def _cache_clear() -> None:
    _parse_cached.cache_clear()
    _parse_shape.cache_clear()


@on_change  # a text reads otherwise with other units: nothing built or cached may outlive them
def _units_changed() -> None:
    _cache_clear()
    formula_parser.cache_clear()


parse_formula.cache_info = _parse_cached.cache_info  # type: ignore[attr-defined]
parse_formula.shape_cache_info = _parse_shape.cache_info  # type: ignore[attr-defined]
parse_formula.cache_clear = _cache_clear  # type: ignore[attr-defined]
