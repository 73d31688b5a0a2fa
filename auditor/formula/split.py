"""Split a 산출근거 description cell into its label and its trailing formula (docs/grammar.md)."""

from __future__ import annotations

import functools
import re

from auditor.formula.errors import FormulaError, FormulaEvaluationError, FormulaSyntaxError
from auditor.formula.grammar import DIGITS, MONEY_UNIT, normalise, parse_formula
from auditor.formula.nodes import BinOp, Neg, evaluate, numbers, walk
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
# What the text before a formula ends with when the formula goes on to its left: an operator, an
# opening bracket or a money figure, then perhaps signs and a 경정/기정 tag (``5,000원**2회*3,000원``,
# ``(5,000원*2회``, ``5,000원 2회*…``, ``5,000원**-2회*…``, ``5,000원*경정 2회*…``).
_CONTINUED = re.compile(
    r"(?:[*＊×✕✖·∙⋅/÷+＋(\[]|[0-9][0-9,.]*[ \t]*[가-힣]*원[가-힣]*)[ \t]*(?:(?:[-−－△▲Δ∆]|경정|기정)[ \t]*)*\Z")
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
    When a longer tail failed and the text before the formula ends with an operator, an
    opening bracket or a money figure, the formula is only the end of a longer one that does
    not parse (``5,000원**2회*3,000원``): there is then no formula, and :func:`formula_attempt`
    reports the longer one. Cached per distinct text.
    """
    left, _ = split_rhs(text)
    normal = normalise(left)
    failed = False
    for start in _starts(normal):
        whole = not normal[:start].strip()
        if not whole and not _MONEY_FIGURE.search(normal, start):
            break  # no later tail has a money figure either
        candidate = left[start:].rstrip()
        try:
            node = parse_formula(candidate)
        except FormulaSyntaxError:
            failed = True
            continue
        has_money = any(n.is_money for n in numbers(node))
        if has_money or (whole and any(isinstance(n, (BinOp, Neg)) for n in walk(node))):
            if failed and _CONTINUED.search(normal, 0, start):
                break  # the end of a longer formula that does not parse
            return _label(left, start), candidate
    return left.strip(), None


def _starts(normal: str) -> list[int]:
    return [m.start() for m in _START.finditer(normal)]


@functools.lru_cache(maxsize=CACHE_SIZE)
def formula_attempt(text: str) -> tuple[int, FormulaError] | None:
    """``(0-based start, error)`` of what looks like a formula in *text* but cannot be used.

    *text* is a formula, or a label in which no formula was found. A formula that parses
    but has no value (a division by zero) gives ``(0, FormulaEvaluationError)`` with
    *text* and the column of the operator. Otherwise, what looks like a formula is a tail
    that starts where a formula may start and holds a figure with a money word
    (``5천만원``, ``50,000원정``), or the whole text when it starts with a digit and holds
    an operator. Of those that do not parse, longest first up to the first that parses, the
    one whose error lies furthest right is taken (the others stop early at label words). ``None`` when *text* parses and
    evaluates, or nothing in it looks like a formula. Cached per distinct text.
    """
    try:
        node = parse_formula(text)
    except FormulaSyntaxError:
        pass
    else:
        try:
            evaluate(node)
        except FormulaEvaluationError as err:
            return 0, FormulaEvaluationError(text, err.column, err.reason, err.reason_en)
        return None
    normal = normalise(text)
    best: tuple[int, FormulaError] | None = None
    for start in _starts(normal):
        whole = start == 0 and normal[:1].isdigit() and _OPERATOR.search(normal)
        if not whole and not _MONEY_FIGURE.search(normal, start):
            break
        try:
            parse_formula(text[start:].rstrip())
        except FormulaSyntaxError as err:
            if best is None or start + err.column > best[0] + best[1].column:
                best = (start, err)
        else:
            break  # a shorter tail is a piece of this one: its errors would be the cut's
    return best
