"""Exact fast readers of the formula grammar: the trees pyparsing gives, without its machinery, or ``None``.

pyparsing stays the grammar of record (:mod:`auditor.formula.grammar`): its BNF, its caret errors,
its reference. These read the texts they accept with the grammar's own tokens (:mod:`.tokens`), in
the grammar's order, and build the same nodes with the same functions; anything they do not accept
(every error above all) gives ``None``, and pyparsing parses it. ``tests/test_formula_fast.py``
shows that both give equal trees, columns, spellings, notes and names included.
"""

from __future__ import annotations

import re

from auditor import recache
from auditor.formula.nodes import BinOp, Neg, Node, Tagged
from auditor.formula.tokens import (
    ADD_SET, BLANK_RUN, CANONICAL, CLOSE, MUL_CHARS, DIV_CHARS, ADD_CHARS, SUB_CHARS, MUL_SET, OPEN, SIGN_CHARS,
    TAG, TAG_AT, WHITE, Rest, Tokens, atom_of, fold_left, tokens,
)
from auditor.lazyre import lazy

_TAG = lazy(TAG)


def _operand_after(shape: str, loc: int, ops: frozenset[str], signed_at: re.Pattern) -> re.Match | None:
    """``mul_atom`` or ``add_atom`` (by *ops*) at *loc*, as the match of its operand: an operator,
    blanks, then the operand, which cannot start with a blank."""
    if loc >= len(shape) or shape[loc] not in ops:
        return None
    return signed_at.match(shape, BLANK_RUN.match(shape, loc + 1).end())


def _mul_rests(shape: str, loc: int, signed_at: re.Pattern) -> tuple[list[Rest], int]:
    """The ``mul-op operand`` pairs ``mul_atom`` reads from *loc*, and where they stop (blanks skipped)."""
    rests = []
    while True:
        loc = WHITE.match(shape, loc).end()
        m = _operand_after(shape, loc, MUL_SET, signed_at)
        if m is None:
            return rests, loc
        rests.append(Rest(shape[loc], loc + 1, atom_of(m)))
        loc = m.end()


def parse_flat(shape: str) -> Node | None:
    """The tree :func:`~auditor.formula.grammar.formula_parser` gives for a formula of operands and
    operators only, else ``None``.

    Most formulas have no brackets (``100,000원*4명*12개월``). For them the grammar's first choice
    matches at every step: its operand regexes (``head``, then ``mul_atom`` and ``add_atom`` after
    blanks) read the whole text, and the parse actions fold what they read. This reads the text
    with those same regexes, in the same order, and folds it the same way, in one tight loop.
    Anything else (a bracket, a tag after an operator, an error) gives ``None``.
    """
    signed_at = tokens().signed_at
    loc = WHITE.match(shape).end()
    tag = TAG_AT.match(shape, loc)  # ``head``: [tag blanks] operand
    m = signed_at.match(shape, tag.end() if tag else loc)
    if m is None:
        return None
    rests, end = _mul_rests(shape, m.end(), signed_at)
    total = fold_left(atom_of(m), rests)
    if tag:
        total = Tagged(tag[0].rstrip(" \t"), total, loc + 1)
    while end < len(shape):
        m = _operand_after(shape, end, ADD_SET, signed_at)
        if m is None:
            return None
        op, column = shape[end], end + 1
        rests, end = _mul_rests(shape, m.end(), signed_at)
        total = BinOp(CANONICAL[op], total, fold_left(atom_of(m), rests), op, column)
    return total


# --- any formula: brackets, signs before them, tags anywhere ------------------------------------
# Each function mirrors one element of the grammar and returns ``(node, loc)`` or ``None``. The
# grammar is deterministic where a parse succeeds: at each step its first alternative that
# matches is the one taken (a later failure is fatal, after an operator or an opening bracket, or
# fails the parse), so reading the first alternative that matches, and giving up on any failure,
# gives its tree for every text it reads.

_WHITE_CHARS = frozenset(" \t\r\n")


def _skip(s: str, loc: int) -> int:
    """``WHITE.match(s, loc).end()``, without the call when nothing is to be skipped (most places)."""
    return WHITE.match(s, loc).end() if loc < len(s) and s[loc] in _WHITE_CHARS else loc


def _blanks(s: str, loc: int) -> int:
    """``BLANK_RUN.match(s, loc).end()``, likewise."""
    return BLANK_RUN.match(s, loc).end() if loc < len(s) and s[loc] in " \t" else loc


def _signed_bracketed(s: str, loc: int, t: Tokens) -> tuple[Node, int] | None:
    """``[sign] ( "(" sum ")" | "[" sum "]" )``: a Neg at the sign's column (none for ``+``)."""
    at = _skip(s, loc)
    sign = s[at] if at < len(s) and s[at] in SIGN_CHARS else None
    p = _skip(s, at + 1) if sign else at
    if p >= len(s) or s[p] not in OPEN:
        return None
    got = _sum(s, p + 1, t)
    if got is None:
        return None
    node, loc = got
    q = _skip(s, loc)
    if q >= len(s) or s[q] != CLOSE[OPEN.index(s[p])]:
        return None
    return (node if sign is None or sign == "+" else Neg(node, sign, at + 1)), q + 1


def _products(s: str, loc: int, t: Tokens) -> tuple[list[Rest], int] | None:
    """``(mul-op factor)*``: an operand after blanks in one token, else the operator, then a factor."""
    rests = []
    while True:
        at = _skip(s, loc)
        if at >= len(s) or s[at] not in MUL_SET:
            return rests, loc
        m = t.signed_at.match(s, _blanks(s, at + 1))
        if m is not None:
            rests.append(Rest(s[at], at + 1, atom_of(m)))
            loc = m.end()
            continue
        factor_at = _skip(s, at + 1)
        m = t.signed_at.match(s, factor_at)
        got = (atom_of(m), m.end()) if m is not None else _signed_bracketed(s, factor_at, t)
        if got is None:
            return None
        rests.append(Rest(s[at], at + 1, got[0]))
        loc = got[1]


def _term(s: str, loc: int, t: Tokens) -> tuple[Node, int] | None:
    """``[tag] product``: the head operand (or bracket), its products, a Tagged over them all."""
    at = _skip(s, loc)
    tagged = TAG_AT.match(s, at)  # ``head``: [tag blanks] operand, as parse_flat reads it (an operand's
    m = t.signed_at.match(s, tagged.end() if tagged else at)  # name never starts with a tag)
    if m is not None:
        tag, node, loc = tagged[0].rstrip(" \t") if tagged else "", atom_of(m), m.end()
    else:
        tagged = _TAG.match(s, at)
        tag = tagged[0] if tagged else ""
        got = _signed_bracketed(s, tagged.end() if tagged else at, t)
        if got is None:
            return None
        node, loc = got
    got_rests = _products(s, loc, t)
    if got_rests is None:
        return None
    rests, loc = got_rests
    node = fold_left(node, rests)
    return (Tagged(tag, node, at + 1) if tag else node), loc


def _sum(s: str, loc: int, t: Tokens) -> tuple[Node, int] | None:
    """``term (add-op term)*``, folded left."""
    got = _term(s, loc, t)
    if got is None:
        return None
    total, loc = got
    while True:
        at = _skip(s, loc)
        if at >= len(s) or s[at] not in ADD_SET:
            return total, loc
        m = t.signed_at.match(s, _blanks(s, at + 1))
        if m is not None:  # ``add_atom`` then its products
            got_rests = _products(s, m.end(), t)
            if got_rests is None:
                return None
            rests, loc = got_rests
            term = fold_left(atom_of(m), rests)
        else:
            got = _term(s, at + 1, t)
            if got is None:
                return None
            term, loc = got
        total = BinOp(CANONICAL[s[at]], total, term, s[at], at + 1)


def parse_bracketed(shape: str) -> Node | None:
    """The tree the grammar gives for *shape* (brackets, signed brackets, tags after operators
    included), read by recursive descent in the grammar's order; ``None`` where it would fail.

    Called within the limits (:func:`~auditor.formula.grammar.check_limits`), so the recursion is
    at most ``MAX_DEPTH`` brackets deep.
    """
    got = _sum(shape, 0, tokens())
    if got is None or _skip(shape, got[1]) != len(shape):
        return None
    return got[0]


# What every formula is, read loosely as a sequence of tokens: operands, each perhaps after tags,
# signs and opening brackets and before closing brackets, with one operator between two of them.
# Brackets need not pair and a tag may stand anywhere before an operand, so the grammar's
# language lies inside this one: text outside it cannot parse. The operand is the grammar's own,
# matched as the grammar matches it (no second compiled copy of it).
_BEFORE_OPERAND = recache.compile(rf"(?:(?:{TAG}|[{re.escape(SIGN_CHARS)}(\[])[ \t\r\n]*)*")
_AFTER_OPERAND = recache.compile(r"(?:[ \t\r\n]*[)\]])*[ \t\r\n]*")
_ANY_OP = frozenset(MUL_CHARS + DIV_CHARS + ADD_CHARS + SUB_CHARS)


def may_parse(shape: str) -> bool:
    """False when normalised *shape* cannot be a formula: it is not even operands joined by operators.

    A quick first test for a text that is mostly not a formula (the tails of a label that
    :func:`~auditor.formula.split.split_label` tries): True says nothing, and only the grammar
    tells. ``tests/test_formula_fast.py`` shows that nothing the grammar reads is refused.
    """
    signed_at = tokens().signed_at
    loc, end = WHITE.match(shape).end(), len(shape)
    while True:
        operand = signed_at.match(shape, _BEFORE_OPERAND.match(shape, loc).end())
        if operand is None:
            return False
        loc = _AFTER_OPERAND.match(shape, operand.end()).end()
        if loc == end:
            return True
        if shape[loc] not in _ANY_OP:
            return False
        loc = WHITE.match(shape, loc + 1).end()
