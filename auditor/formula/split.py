"""Split a 산출근거 description cell into its label and its trailing formula (docs/grammar.md)."""

from __future__ import annotations

import functools
import re

from auditor.formula.errors import FormulaError, FormulaEvaluationError, FormulaSyntaxError
from auditor.formula.grammar import DIGITS, MAX_LENGTH, MONEY_UNIT, may_parse, normalise, parse_formula
from auditor.formula.nodes import BinOp, Neg, evaluate, numbers, walk
from auditor.memo import CACHE_SIZE

# The blanks before the ``=`` are added after the search: a leading ``[ \t]*`` in the pattern, like
# two ``[ \t]*`` side by side, would rescan a long run of blanks from each of its positions.
_RHS = re.compile(
    rf"(?P<rhs>=[ \t]*(?:[-−△▲Δ∆][ \t]*)?(?:{DIGITS})(?:[ \t]*(?:{MONEY_UNIT}))?)[ \t]*\Z")
# Where a formula may start (in normalised text): at the start of a blank-separated token, a digit,
# a bracket, △/▲/Δ/∆, a dash glued to a digit or bracket (a sign), or 경정/기정; inside a token, a
# digit right after a character that is not a letter, digit, blank, ',' or '.', or a bracket
# right after anything but a blank, a digit, ',' or '.'.
_START = re.compile(
    r"(?:(?<=\s)|^)(?:[0-9(\[△▲Δ∆]|[-−－](?=[0-9(\[])|(?:경정|기정)(?![가-힣]))"
    r"|(?<=[^\w\s,.])[0-9]|(?<=[^\s0-9,.])[(\[]")
# A figure with a money word, loosely: ``[0-9][0-9,.]*[ \t]*[가-힣]*원`` (5만원, 5천만원, 1원씩 …),
# found by :func:`_last_money_figure` one run of figures at a time (that regex, searched, is quadratic
# on a long run of digits).
_FIGURES = re.compile(r"[0-9,.]+")
_WORD_AFTER = re.compile(r"[ \t]*([가-힣]*)")
_OPERATOR = re.compile(r"[*＊×xX✕✖·∙⋅/÷+＋]")
# An operator that makes a whole text look like a formula (formula_attempt): not the middle dots,
# which in a label list numbers (``1·2차 회의``, ``2·3분기 점검``) far more often than multiply them.
_WHOLE_OPERATOR = re.compile(r"[*＊×xX✕✖/÷+＋]")
# What the text before a formula ends with when the formula goes on to its left: an operator, an
# opening bracket, a money figure, a figure (its unit glued to it) glued to a minus, or a bare
# figure before a minus: a minus between numbers, where a dash after a label's words or counts
# stands apart (``운영비(2회) - 3,000원``, ``워크숍 2회 - 5,000원``), or an operand after an operator
# before a minus (``…**Δ0명 - 0원``: the count is the formula's, not a label's); then perhaps
# signs and a 경정/기정 tag (``5,000원**2회*3,000원``, ``(5,000원*2회``, ``5,000원 2회*…``,
# ``5,000원**-2회*…``, ``5,000원*경정 2회*…``, ``5,000원**Δ0명-0원``).
_CONTINUED = re.compile(
    r"(?:[*＊×✕✖·∙⋅/÷+＋(\[]|[0-9][0-9,.]*[ \t]*[가-힣]*원[가-힣]*|[0-9](?:%|[가-힣A-Za-z]+)?[-−－]|[0-9%][ \t]+[-−－]"
    r"|[*＊×✕✖·∙⋅/÷+＋(\[][ \t]*(?:[-−－△▲Δ∆][ \t]*)*[0-9][0-9,.]*[ \t]*(?:%|[가-힣A-Za-z]+)?[ \t]*[-−－])"
    r"[ \t]*(?:(?:[-−－△▲Δ∆]|경정|기정)[ \t]*)*\Z")
#: Dashes that separate a label from its formula (``운영비 - 3,000원*2``); never part of either.
SEPARATORS = "-−－–—"
#: The longest description cell whose split is cached (a label and a formula of at most MAX_LENGTH).
CACHED_LENGTH = 4 * MAX_LENGTH


def split_rhs(text: str) -> tuple[str, str | None]:
    """``(left, right-hand side)``: cut a trailing ``= 4,800천원`` off *text* (``None`` if absent).

    The right-hand side is returned from its ``=`` on, ready for ``parse_amount``.
    Unicode blanks and full-width digits count as in the grammar (:func:`normalise`).
    """
    normal = normalise(text)
    match = _RHS.search(normal)
    if match is None:
        return text, None
    start = match.start()
    while start and normal[start - 1] in " \t":
        start -= 1
    return text[:start], text[match.start("rhs"): match.end("rhs")]


def _label(left: str, start: int) -> str:
    """The label before a formula at *start*: blanks and one separating dash removed."""
    label = left[:start].rstrip()
    if label and label[-1] in SEPARATORS:
        label = label[:-1].rstrip()
    return label.lstrip()


def split_label(text: str) -> tuple[str, str | None]:
    """``(label, formula)`` of a description cell; the formula is ``None`` when there is none.

    The formula is the longest tail that starts where a formula may start (docs/grammar.md),
    parses, and has a money unit (or, when it is the whole text, an operator). A trailing
    ``= amount`` is dropped first. The formula is a slice of *text*, as written.
    When a longer tail failed and the text before the formula ends with an operator, an
    opening bracket or a money figure, the formula is only the end of a longer one that does
    not parse (``5,000원**2회*3,000원``): there is then no formula, and :func:`formula_attempt`
    reports the longer one. Cached per distinct text, up to :data:`CACHED_LENGTH` characters.
    """
    if len(text) > CACHED_LENGTH:  # a cell this long is rare: caching it would let junk fill memory
        return _split_label(text)
    return _split_label_cached(text)


def _split_label(text: str) -> tuple[str, str | None]:
    left, _ = split_rhs(text)
    normal = normalise(left)
    end = len(left.rstrip())
    lead = len(normal) - len(normal.lstrip())
    failed = False
    for start in _reached(normal, lambda s: s <= lead):
        if end - start > MAX_LENGTH:
            failed = True  # longer than any formula may be: it cannot parse
            continue
        candidate = left[start:end]
        if not may_parse(normal[start:end]):
            failed = True  # not operands joined by operators: it cannot parse
            continue
        try:
            node = parse_formula(candidate)
        except FormulaSyntaxError:
            failed = True
            continue
        has_money = any(n.is_money for n in numbers(node))
        if has_money or (start <= lead and any(isinstance(n, (BinOp, Neg)) for n in walk(node))):
            if failed and _CONTINUED.search(normal, 0, start):
                break  # the end of a longer formula that does not parse
            if has_money and adds_money_to_a_count(node):
                # ``운영비(2회) - 3,000원*2회``: the count belongs to the label, the dash separates; but a
                # shorter tail after an operator (``5,000원 -0명+0원``) is the end of this one
                failed = True
                continue
            return _label(left, start), candidate
    return left.strip(), None


_split_label_cached = functools.lru_cache(maxsize=CACHE_SIZE)(_split_label)
split_label.cache_info = _split_label_cached.cache_info  # type: ignore[attr-defined]
split_label.cache_clear = _split_label_cached.cache_clear  # type: ignore[attr-defined]


def adds_money_to_a_count(node) -> bool:
    """A sum or difference of which one term holds money and another is a count: a number with a
    count unit and no money in it (``2회 - 3,000원*2회``; a bare ``3,000`` may be 원 left unwritten).

    Money plus a count means nothing; such a tail reaches into the label, and a shorter one is
    the formula.
    """
    terms: list = []

    def collect(n) -> None:
        if isinstance(n, BinOp) and n.op in "+-":
            collect(n.left)
            collect(n.right)
        elif isinstance(n, Neg):
            collect(n.operand)
        else:
            terms.append(n)

    collect(node)
    money = count = False
    for term in terms:
        found = numbers(term)
        if any(x.is_money for x in found):
            money = True
        elif any(x.unit not in ("", "%") for x in found):
            count = True
    return money and count


def _starts(normal: str) -> list[int]:
    return [m.start() for m in _START.finditer(normal)]


def _last_money_figure(normal: str) -> int:
    """The last index at which a figure with a money word starts (``-1`` if none), in one pass.

    A figure may start at any digit of a run of ``[0-9,.]``, and what follows the run decides
    for all of them: blanks, then a run of Hangul with a 원 in it.
    """
    last = -1
    for run in _FIGURES.finditer(normal):
        digits = run[0].rstrip(",.")  # empty when the run holds no digit
        if digits and "원" in _WORD_AFTER.match(normal, run.end())[1]:
            last = run.start() + len(digits) - 1
    return last


def _reached(normal: str, whole) -> list[int]:
    """The starts a scan from the left tries: up to the first one that is not ``whole`` (the tail is
    the whole text) and has no figure with a money word after it, for then no later one has either."""
    last = _last_money_figure(normal)
    return [start for start in _starts(normal) if whole(start) or start <= last]


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
    if len(text) > CACHED_LENGTH:  # as for split_label: junk must not fill the cache
        return _formula_attempt(text)
    return _formula_attempt_cached(text)


def _formula_attempt(text: str) -> tuple[int, FormulaError] | None:
    normal = normalise(text)
    if len(text) <= MAX_LENGTH and may_parse(normal):  # else it cannot parse: only its tails are tried
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
    end = len(text.rstrip())
    operator = normal[:1].isdigit() and _WHOLE_OPERATOR.search(normal) is not None
    reached = _reached(normal, lambda s: s == 0 and operator)
    # A tail longer than MAX_LENGTH fails at column MAX_LENGTH + 1, so of those the last lies furthest right.
    last_long = max((s for s in reached if end - s > MAX_LENGTH), default=None)
    best: tuple[int, FormulaError] | None = None
    for start in reached:
        if end - start > MAX_LENGTH and start != last_long:
            continue
        try:
            node = parse_formula(text[start:end])
        except FormulaSyntaxError as err:
            if best is None or start + err.column > best[0] + best[1].column:
                best = (start, err)
        else:
            if best is None and adds_money_to_a_count(node):  # parses, but means nothing
                column = node.column if isinstance(node, BinOp) else 1
                return start, FormulaEvaluationError(
                    text[start:end], column, "금액에 수량(단위가 있는 수)을 더하거나 뺄 수 없습니다",
                    "money and a count (a number with a unit) cannot be added or subtracted")
            break  # a shorter tail is a piece of this one: its errors would be the cut's
    return best


_formula_attempt_cached = functools.lru_cache(maxsize=CACHE_SIZE)(_formula_attempt)
formula_attempt.cache_info = _formula_attempt_cached.cache_info  # type: ignore[attr-defined]
formula_attempt.cache_clear = _formula_attempt_cached.cache_clear  # type: ignore[attr-defined]
