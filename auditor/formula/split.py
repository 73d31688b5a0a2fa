"""Split a 산출근거 description cell into its label and its trailing formula (docs/grammar.md)."""

from __future__ import annotations

import functools
import re

from auditor.formula.errors import FormulaSyntaxError
from auditor.formula.grammar import DIGITS, MONEY_UNIT, normalise, parse_formula
from auditor.formula.nodes import BinOp, Neg, numbers, walk
from auditor.memo import CACHE_SIZE

_RHS = re.compile(
    rf"[ \t]*(?P<rhs>=[ \t]*[-−△▲Δ∆]?[ \t]*(?:{DIGITS})[ \t]*(?:{MONEY_UNIT})?)[ \t]*\Z")
# Where a formula may start (in normalised text): at the start of a blank-separated token, a digit,
# a bracket, △/▲/Δ/∆, a dash glued to a digit or bracket (a sign), or 경정/기정; inside a token, a
# digit right after a character that is not a letter, digit, blank, ',' or '.', or a bracket
# right after anything but a blank, a digit, ',' or '.'.
_START = re.compile(
    r"(?:(?<=\s)|^)(?:[0-9(\[△▲Δ∆]|[-−－](?=[0-9(\[])|(?:경정|기정)(?![가-힣]))"
    r"|(?<=[^\w\s,.])[0-9]|(?<=[^\s0-9,.])[(\[]")
# A figure with a money word, loosely: digits then a Hangul run ending in 원 (5만원, 5천만원, 1원씩 …).
_MONEY_FIGURE = re.compile(r"[0-9][0-9,.]*[ \t]*[가-힣]*원")
_OPERATOR = re.compile(r"[*＊×xX✕✖·∙⋅/÷+＋]")
#: Dashes that separate a label from its formula (``운영비 - 3,000원*2``); never part of either.
SEPARATORS = "-−－–—"


def split_rhs(text: str) -> tuple[str, str | None]:
    """``(left, right-hand side)``: cut a trailing ``= 4,800천원`` off *text* (``None`` if absent).

    The right-hand side is returned from its ``=`` on, ready for ``parse_amount``.
    Unicode blanks and full-width digits count as in the grammar (:func:`normalise`).
    """
    match = _RHS.search(normalise(text))
    if match is None:
        return text, None
    return text[: match.start()], text[match.start("rhs"): match.end("rhs")]


def _label(left: str, start: int) -> str:
    """The label before a formula at *start*: blanks and one separating dash removed."""
    label = left[:start].rstrip()
    if label and label[-1] in SEPARATORS:
        label = label[:-1].rstrip()
    return label.lstrip()


@functools.lru_cache(maxsize=CACHE_SIZE)
def split_label(text: str) -> tuple[str, str | None]:
    """``(label, formula)`` of a description cell; the formula is ``None`` when there is none.

    The formula is the longest tail that starts where a formula may start (docs/grammar.md),
    parses, and has a money unit (or, when it is the whole text, an operator). A trailing
    ``= amount`` is dropped first. The formula is a slice of *text*, as written.
    Cached per distinct text.
    """
    left, _ = split_rhs(text)
    normal = normalise(left)
    for start in _starts(normal):
        whole = not normal[:start].strip()
        if not whole and not _MONEY_FIGURE.search(normal, start):
            break  # no later tail has a money figure either
        candidate = left[start:].rstrip()
        try:
            node = parse_formula(candidate)
        except FormulaSyntaxError:
            continue
        has_money = any(n.is_money for n in numbers(node))
        if has_money or (whole and any(isinstance(n, (BinOp, Neg)) for n in walk(node))):
            return _label(left, start), candidate
    return left.strip(), None


def _starts(normal: str) -> list[int]:
    return [m.start() for m in _START.finditer(normal)]


def formula_attempt(text: str) -> tuple[int, FormulaSyntaxError] | None:
    """``(0-based start, error)`` of what looks like a formula in *text* but does not parse.

    *text* is a formula, or a label in which no formula was found. What looks like a
    formula is a tail that starts where a formula may start and holds a figure with a
    money word (``5천만원``, ``50,000원정``), or the whole text when it starts with a digit
    and holds an operator. Of those that do not parse, the one whose error lies furthest
    right is taken (the others stop early at label words). ``None`` when *text* parses
    or nothing in it looks like a formula.
    """
    try:
        parse_formula(text)
        return None
    except FormulaSyntaxError:
        pass
    normal = normalise(text)
    best: tuple[int, FormulaSyntaxError] | None = None
    for start in _starts(normal):
        whole = start == 0 and normal[:1].isdigit() and _OPERATOR.search(normal)
        if not whole and not _MONEY_FIGURE.search(normal, start):
            break
        try:
            parse_formula(text[start:].rstrip())
            continue
        except FormulaSyntaxError as err:
            if best is None or start + err.column > best[0] + best[1].column:
                best = (start, err)
    return best
