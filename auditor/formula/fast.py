"""Exact fast readers of the formula grammar: the trees pyparsing gives, without its machinery, or ``None``.

pyparsing stays the grammar of record (:mod:`auditor.formula.grammar`): its BNF, its caret errors,
its reference. These read the texts they accept with the grammar's own tokens (:mod:`.tokens`), in
the grammar's order, and build the same nodes with the same functions; anything they do not accept
gives ``None``, and pyparsing parses it. ``tests/test_formula_fast.py`` shows that both give equal
trees, columns, spellings, notes and names included.
"""

from __future__ import annotations

import re

from auditor.formula.nodes import BinOp, Node, Tagged
from auditor.formula.tokens import (
    ADD_CHARS, ADD_SET, BLANK_RUN, CANONICAL, DIV_CHARS, MUL_CHARS, MUL_SET, SIGN_CHARS, SUB_CHARS, TAG, TAG_AT,
    WHITE, Rest, atom_of, fold_left, tokens,
)

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


# What every formula is, read loosely as a sequence of tokens: operands, each perhaps after tags,
# signs and opening brackets and before closing brackets, with one operator between two of them.
# Brackets need not pair and a tag may stand anywhere before an operand, so the grammar's
# language lies inside this one: text outside it cannot parse. The operand is the grammar's own,
# matched as the grammar matches it (no second compiled copy of it).
_BEFORE_OPERAND = re.compile(rf"(?:(?:{TAG}|[{re.escape(SIGN_CHARS)}(\[])[ \t\r\n]*)*")
_AFTER_OPERAND = re.compile(r"(?:[ \t\r\n]*[)\]])*[ \t\r\n]*")
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
