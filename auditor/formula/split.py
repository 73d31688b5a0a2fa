"""Split a 산출근거 description cell into its label and its trailing formula (docs/grammar.md)."""

from __future__ import annotations

import re

from auditor.formula.errors import FormulaSyntaxError
from auditor.formula.grammar import DIGITS, MONEY_UNIT, parse_formula
from auditor.formula.nodes import BinOp, Neg, numbers, walk

_RHS = re.compile(
    rf"[ \t]*(?P<rhs>=[ \t]*[-−△▲Δ∆]?[ \t]*(?:{DIGITS})[ \t]*(?:{MONEY_UNIT})?)[ \t]*\Z")
_TOKEN = re.compile(r"\S+")
_CANDIDATE = re.compile(r"[0-9(\[]|경정|기정")


def split_rhs(text: str) -> tuple[str, str | None]:
    """``(left, right-hand side)``: cut a trailing ``= 4,800천원`` off *text* (``None`` if absent).

    The right-hand side is returned from its ``=`` on, ready for ``parse_amount``.
    """
    match = _RHS.search(text)
    if match is None:
        return text, None
    return text[: match.start()], match["rhs"]


def split_label(text: str) -> tuple[str, str | None]:
    """``(label, formula)`` of a description cell; the formula is ``None`` when there is none.

    The formula is the longest tail of blank-separated tokens that starts with a
    digit, a bracket, 경정 or 기정, parses, and has a money unit (or, when it is
    the whole text, an operator). A trailing ``= amount`` is dropped first.
    """
    left, _ = split_rhs(text)
    for token in _TOKEN.finditer(left):
        if not _CANDIDATE.match(token[0]):
            continue
        start = token.start()
        candidate = left[start:].rstrip()
        try:
            node = parse_formula(candidate)
        except FormulaSyntaxError:
            continue
        has_money = any(n.is_money for n in numbers(node))
        has_operator = any(isinstance(n, (BinOp, Neg)) for n in walk(node))
        if has_money or (has_operator and not left[:start].strip()):
            return left[:start].rstrip(), candidate
    return text.strip(), None
