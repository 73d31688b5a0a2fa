"""The pyparsing grammar of docs/grammar.md: formula text to AST; flat formulas read by its own regexes."""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import TYPE_CHECKING, Iterable
from fractions import Fraction

from auditor.formula.errors import FormulaSyntaxError
from auditor.formula.nodes import BinOp, Neg, Node, Number, Tagged
from auditor.josa import attach
from auditor.source import MONEY_UNITS
from auditor.memo import CACHE_SIZE

if TYPE_CHECKING:  # pyparsing is imported when a formula first needs it (see parse_flat)
    import pyparsing as pp

MAX_LENGTH = 500
MAX_DEPTH = 20
MAX_DIGITS = 30

# --- normalisation (docs/grammar.md, *Normalisation*): one character for one, columns kept ----
#: Full-width digits, brackets and punctuation, read as their ASCII forms (NFKC of each).
FULL_WIDTH = "０１２３４５６７８９（）［］，．／＝"
#: Unicode blanks (category Zs), read as a space.
BLANKS = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_NORMAL = str.maketrans({c: unicodedata.normalize("NFKC", c) for c in FULL_WIDTH} | dict.fromkeys(BLANKS, " "))


def normalise(text: str) -> str:
    """*text* with full-width digits, brackets, ``，．／＝`` and Unicode blanks in ASCII; same length."""
    return text.translate(_NORMAL)


# --- tokens ----------------------------------------------------------------------------------
DIGITS = r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?"
_SCALES = "|".join(sorted((u[:-1] for u in MONEY_UNITS if u != "원"), key=len, reverse=True))
#: A money unit word of MONEY_UNITS (천원, 만원 …), with nothing said about what follows.
MONEY_WORD = rf"(?:{_SCALES})?원"
#: A money unit as a whole word: not followed by a Hangul syllable (stated amounts, split_rhs).
MONEY_UNIT = rf"{MONEY_WORD}(?![가-힣])"
#: Words written after a money unit that leave it a money unit: 5만원씩, 1,000원짜리, 1만원권 …
MONEY_SUFFIXES = ("씩", "짜리", "상당", "권", "꼴", "가량", "정도", "내외")
_SUFFIX = "|".join(sorted(MONEY_SUFFIXES, key=len, reverse=True))
#: Latin and symbol count units (closed list); ``x``/``X`` stay operators.
LATIN_UNITS = ("EA", "Ea", "ea", "SET", "Set", "set", "BOX", "Box", "box", "KG", "Kg", "kg", "km", "cm",
               "mm", "m²", "m³", "m", "g", "L")
COUNT_SYMBOLS = "ℓ㎡㎥㎏㎞㎖㎜㎝"
TAG = r"(?:경정|기정)(?![가-힣])"
# A count unit: a run of Hangul syllables without 원 (so never a money unit, 원씩 or 천만원) and
# not a tag, or a listed Latin unit not followed by a Latin letter other than x/X.
COUNT_UNIT = (rf"(?!{TAG})[가-웏웑-힣{COUNT_SYMBOLS}]+(?![가-힣])"
              rf"|(?:{'|'.join(LATIN_UNITS)})(?![A-WYZa-wyz])")
MUL_CHARS = "*＊×xX✕✖·∙⋅"
DIV_CHARS = "/÷"
ADD_CHARS = "+＋"
SUB_CHARS = "-−－"
SIGN_CHARS = "-−－△▲Δ∆+"
OPEN, CLOSE = "([", ")]"
_OPS = re.escape(MUL_CHARS + DIV_CHARS + ADD_CHARS + SUB_CHARS)
# An annotation: a bracketed group holding a Hangul syllable and no arithmetic (number op number).
_INSIDE = r"[^()\[\]]*"
_ARITH = rf"[0-9][0-9,.]*[ \t]*(?:[가-힣A-Za-z%]+[ \t]*)?[{_OPS}][ \t]*[0-9]"
NOTE = "|".join(rf"\{o}(?={_INSIDE}[가-힣])(?!{_INSIDE}?{_ARITH})(?P<note{i}>{_INSIDE})\{c}"
                for i, (o, c) in enumerate(zip(OPEN, CLOSE)))
NUMBER = (rf"(?P<digits>{DIGITS})"
          rf"(?:[ \t]*(?P<percent>[%％])"
          rf"|[ \t]*(?P<money>{MONEY_WORD})(?P<suffix>{_SUFFIX})?(?![가-힣])"
          rf"|[ \t]*(?P<count>{COUNT_UNIT}))?"
          rf"(?:[ \t]*(?:{NOTE}))?")
_SIGNED = rf"(?:(?P<sign>[{re.escape(SIGN_CHARS)}])[ \t]*)?{NUMBER}"
_MUL_ATOM = rf"(?P<op>[{re.escape(MUL_CHARS + DIV_CHARS)}])[ \t]*{_SIGNED}"
_HEAD = rf"(?:(?P<tag>{TAG})[ \t]*)?{_SIGNED}"
_ADD_ATOM = rf"(?P<op>[{re.escape(ADD_CHARS + SUB_CHARS)}])[ \t]*{_SIGNED}"
_CANONICAL = {c: op for op, chars in (("*", MUL_CHARS), ("/", DIV_CHARS), ("+", ADD_CHARS),
                                      ("-", SUB_CHARS)) for c in chars}
_SIGN_OP = {c: "-" for c in SIGN_CHARS} | {"+": "+"}

_DIGIT_RUN = re.compile(r"[0-9][0-9,]*(?:\.[0-9]+)?")


class _Rest:
    """``op operand`` after the first operand of a product or sum: canonical op, spelling, column."""

    __slots__ = ("op", "spelling", "column", "node")

    def __init__(self, spelling: str, column: int, node: Node | None = None) -> None:
        self.op, self.spelling, self.column, self.node = _CANONICAL.get(spelling, "-"), spelling, column, node


def _number(m: re.Match) -> Number:
    """The Number of one ``number [unit] [note]`` match (of NUMBER, alone or inside a larger token)."""
    end = m.end("digits")
    for group in ("percent", "money", "suffix", "count"):
        if m[group]:
            end = m.end(group)
    unit = "%" if m["percent"] else m["money"] or m["count"] or ""
    note = m["note0"] if m["note0"] is not None else m["note1"] or ""
    written = m["digits"].replace(",", "")
    value = Fraction(written) if "." in written else Fraction(int(written))
    return Number(value, unit, m.string[m.start("digits"):end], m.start("digits") + 1, note.strip())


def _atom(m: re.Match) -> Node:
    """The Number (or Neg of it) of one ``[sign] number [unit] [note]`` match."""
    number = _number(m)
    sign = m["sign"]
    if sign is None or sign == "+":
        return number
    return Neg(number, sign, m.start("sign") + 1)


def _atom_action(text: str, loc: int, toks: pp.ParseResults) -> Node:
    return _atom(toks[0])


class _Head:
    """The first operand of a term, with the 경정/기정 tag written before it (``""`` if none)."""

    __slots__ = ("tag", "column", "node")

    def __init__(self, tag: str, column: int, node: Node) -> None:
        self.tag, self.column, self.node = tag, column, node


def _head_action(text: str, loc: int, toks: pp.ParseResults) -> _Head:
    m = toks[0]
    return _Head(m["tag"] or "", m.start() + 1, _atom(m))


def _bracket_head(text: str, loc: int, toks: pp.ParseResults) -> _Head:
    tag = toks[0] if len(toks) == 2 else ""
    return _Head(tag, loc + 1, toks[-1])


def _pair_action(text: str, loc: int, toks: pp.ParseResults) -> _Rest:
    m = toks[0]
    return _Rest(m["op"], m.start("op") + 1, _atom(m))


def _operator(text: str, loc: int, toks: pp.ParseResults) -> _Rest:
    return _Rest(toks[0], loc + 1)


def _rest(text: str, loc: int, toks: pp.ParseResults) -> _Rest:
    op, node = toks
    op.node = node
    return op


def _fold_left(node: Node, rests: Iterable[_Rest]) -> Node:
    """``node op₁ n₁ op₂ n₂ …`` as left-nested BinOps."""
    for rest in rests:
        node = BinOp(rest.op, node, rest.node, rest.spelling, rest.column)
    return node


def _fold(text: str, loc: int, toks: pp.ParseResults) -> Node:
    return _fold_left(toks[0], toks[1:])


def _fast_term(text: str, loc: int, toks: pp.ParseResults) -> _Rest:
    """``+ number (* operand)*``: the term after an add-op, folded into one rest."""
    first = toks[0]
    first.node = _fold_left(first.node, toks[1:])
    return first


def _signed(text: str, loc: int, toks: pp.ParseResults) -> Node:
    if len(toks) == 1:
        return toks[0]
    sign, operand = toks
    return operand if sign == "+" else Neg(operand, sign, loc + 1)


def _term(text: str, loc: int, toks: pp.ParseResults) -> Node:
    """``head (op operand)*`` folded left; a tag on the head covers the whole product."""
    head = toks[0]
    node = _fold_left(head.node, toks[1:])
    return Tagged(head.tag, node, head.column) if head.tag else node


@functools.cache
def formula_parser() -> pp.ParserElement:
    """The ``<formula>`` element (ends with ``StringEnd``), built once; no packrat, none needed.

    It reads normalised text (:func:`normalise`); :func:`parse_formula` does that first.
    The common operand, ``[sign] number [unit] [note]``, is one ``Regex``, and so is an
    operator followed by such an operand: most formulas are read by a few regular
    expressions, and the general rules (brackets, tags, error stops) catch the rest.
    """
    import pyparsing as pp

    expression = pp.Forward().set_name("expression")
    atom = pp.Regex(_SIGNED, as_match=True).set_name("operand").set_parse_action(_atom_action)
    bracketed = pp.MatchFirst(
        pp.Suppress(o) - expression - pp.Suppress(c).set_name(f"'{c}'")
        for o, c in zip(OPEN, CLOSE)
    ).set_name("operand")
    sign = pp.Char(SIGN_CHARS).set_name("sign")
    signed_bracketed = (pp.Opt(sign) + bracketed).set_name("operand").set_parse_action(_signed)
    factor = (atom | signed_bracketed).set_name("operand")
    mul_op = pp.Char(MUL_CHARS + DIV_CHARS).set_name("mul-op").set_parse_action(_operator)
    add_op = pp.Char(ADD_CHARS + SUB_CHARS).set_name("add-op").set_parse_action(_operator)
    mul_rest = (pp.Regex(_MUL_ATOM, as_match=True).set_name("mul-op").set_parse_action(_pair_action)
                | (mul_op - factor).set_parse_action(_rest))
    tag = pp.Regex(TAG).set_name("tag")
    head = (pp.Regex(_HEAD, as_match=True).set_name("operand").set_parse_action(_head_action)
            | (pp.Opt(tag) + signed_bracketed).set_name("operand").set_parse_action(_bracket_head))
    term = (head + pp.ZeroOrMore(mul_rest)).set_name("term").set_parse_action(_term)
    add_rest = ((pp.Regex(_ADD_ATOM, as_match=True).set_parse_action(_pair_action)
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
_HANGUL_RUN = re.compile(r"[가-힣]+")


def _found(text: str, index: int) -> tuple[str, str]:
    if index >= len(text):
        return "식의 끝", "the end of the formula"
    return f"'{text[index]}'", f"'{text[index]}'"


def _syntax_error(text: str, normal: str, loc: int, msg: str) -> FormulaSyntaxError:
    """The error of a parse that failed at *loc* with pyparsing's *msg* (``Expected <set_name>``)."""
    while loc < len(normal) and normal[loc] in " \t":
        loc += 1
    word = _HANGUL_RUN.match(normal, loc)
    if word and "원" in word[0]:
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
    for index, char in enumerate(text) if bracketed else ():
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
#: One operand, ``[sign] number [unit] [note]``: the one compiled copy of the grammar's largest regex,
#: which :func:`parse_flat` and :func:`_rebind` share (its Hangul classes make each copy slow to compile).
_SIGNED_AT = re.compile(_SIGNED)
#: pyparsing's default whitespace, skipped before each element of the grammars (this one and amount's).
WHITE = re.compile(r"[ \t\r\n]*")
_BLANKS = re.compile(r"[ \t]*")
_TAG_AT = re.compile(rf"{TAG}[ \t]*")
_MUL_SET, _ADD_SET = frozenset(MUL_CHARS + DIV_CHARS), frozenset(ADD_CHARS + SUB_CHARS)


def _operand_after(shape: str, loc: int, ops: frozenset[str]) -> re.Match | None:
    """``_MUL_ATOM`` or ``_ADD_ATOM`` (by *ops*) at *loc*, as the match of its operand: an
    operator, blanks, then ``_SIGNED``, which cannot start with a blank."""
    if loc >= len(shape) or shape[loc] not in ops:
        return None
    return _SIGNED_AT.match(shape, _BLANKS.match(shape, loc + 1).end())


def _mul_rests(shape: str, loc: int) -> tuple[list[_Rest], int]:
    """The ``mul-op operand`` pairs ``_MUL_ATOM`` reads from *loc*, and where they stop (blanks skipped)."""
    rests = []
    while True:
        loc = WHITE.match(shape, loc).end()
        m = _operand_after(shape, loc, _MUL_SET)
        if m is None:
            return rests, loc
        rests.append(_Rest(shape[loc], loc + 1, _atom(m)))
        loc = m.end()


def parse_flat(shape: str) -> Node | None:
    """The tree :func:`formula_parser` gives for a formula of operands and operators only, else ``None``.

    Most formulas have no brackets (``100,000원*4명*12개월``). For them the grammar's first choice
    matches at every step: its operand regexes (``_HEAD``, then ``_MUL_ATOM`` and ``_ADD_ATOM``
    after blanks) read the whole text, and the parse actions fold what they read. This reads the
    text with those same regexes, in the same order, and folds it the same way, without pyparsing's
    machinery (4 to 6 times faster). Anything else (a bracket, a tag after an operator, an error)
    gives ``None``, and the grammar reads it. ``tests/test_formula_fast.py`` shows the trees are equal,
    columns, spellings and notes included.
    """
    loc = WHITE.match(shape).end()
    tag = _TAG_AT.match(shape, loc)  # ``_HEAD``: [tag blanks] _SIGNED
    m = _SIGNED_AT.match(shape, tag.end() if tag else loc)
    if m is None:
        return None
    rests, end = _mul_rests(shape, m.end())
    total = _fold_left(_atom(m), rests)
    if tag:
        total = Tagged(tag[0].rstrip(" \t"), total, loc + 1)
    while end < len(shape):
        m = _operand_after(shape, end, _ADD_SET)
        if m is None:
            return None
        op, column = shape[end], end + 1
        rests, end = _mul_rests(shape, m.end())
        total = BinOp(_CANONICAL[op], total, _fold_left(_atom(m), rests), op, column)
    return total


# What every formula is, read loosely as a sequence of tokens: operands, each perhaps after tags,
# signs and opening brackets and before closing brackets, with one operator between two of them.
# Brackets need not pair and a tag may stand anywhere before an operand, so the grammar's
# language lies inside this one: text outside it cannot parse. The operand is the grammar's own
# ``_SIGNED``, matched as the grammar matches it (no second compiled copy of it).
_BEFORE_OPERAND = re.compile(rf"(?:(?:{TAG}|[{re.escape(SIGN_CHARS)}(\[])[ \t\r\n]*)*")
_AFTER_OPERAND = re.compile(r"(?:[ \t\r\n]*[)\]])*[ \t\r\n]*")
_ANY_OP = frozenset(MUL_CHARS + DIV_CHARS + ADD_CHARS + SUB_CHARS)


def may_parse(shape: str) -> bool:
    """False when normalised *shape* cannot be a formula: it is not even operands joined by operators.

    A quick first test for a text that is mostly not a formula (the tails of a label that
    :func:`~auditor.formula.split.split_label` tries): True says nothing, and only the grammar
    tells. ``tests/test_formula_fast.py`` shows that nothing the grammar reads is refused.
    """
    loc, end = WHITE.match(shape).end(), len(shape)
    while True:
        operand = _SIGNED_AT.match(shape, _BEFORE_OPERAND.match(shape, loc).end())
        if operand is None:
            return False
        loc = _AFTER_OPERAND.match(shape, operand.end()).end()
        if loc == end:
            return True
        if shape[loc] not in _ANY_OP:
            return False
        loc = WHITE.match(shape, loc + 1).end()


@functools.lru_cache(maxsize=CACHE_SIZE)
def _parse_shape(shape: str) -> Node | tuple[int, str]:
    """The tree pyparsing gives for a normalised shape within the limits, or ``(loc, msg)`` of its
    parse error (the message names the character found, which :func:`_parse_cached` takes from
    the text). Only formulas with brackets, and errors, get here: flat ones are read by parse_flat."""
    import pyparsing as pp

    try:
        return formula_parser().parse_string(shape)[0]  # ends in StringEnd: parse_all
    except pp.ParseBaseException as exc:
        return (exc.loc, exc.msg)


def _rebind(node: Node, normal: str) -> Node:
    """The tree of the shape with each Number read again from the text itself (same columns)."""
    if isinstance(node, Number):
        return _number(_SIGNED_AT.match(normal, node.column - 1))
    if isinstance(node, BinOp):
        return BinOp(node.op, _rebind(node.left, normal), _rebind(node.right, normal), node.spelling, node.column)
    if isinstance(node, Neg):
        return Neg(_rebind(node.operand, normal), node.spelling, node.column)
    return Tagged(node.tag, _rebind(node.expr, normal), node.column)


@functools.lru_cache(maxsize=CACHE_SIZE)
def _parse_cached(text: str) -> Node | tuple[int, str, str]:
    """The tree of *text*, or its error ``(column, reason, reason_en)``.

    A flat formula within the limits is read from the text itself (one pass, as fast as
    rebinding a cached shape); anything else is parsed once per shape, and rebound."""
    normal = normalise(text)
    error = check_limits(normal)  # the limits do not depend on the digits: the shape's are the same
    if error is not None:
        return (error.column, error.reason, error.reason_en)
    if not normal.strip():
        return (1, "산출근거식이 비어 있습니다", "the formula is empty")
    flat = parse_flat(normal)
    if flat is not None:
        return flat
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


parse_formula.cache_info = _parse_cached.cache_info  # type: ignore[attr-defined]
parse_formula.shape_cache_info = _parse_shape.cache_info  # type: ignore[attr-defined]
parse_formula.cache_clear = _cache_clear  # type: ignore[attr-defined]
