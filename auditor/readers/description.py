"""A 산출근거 description in one pass: its label, its formula and the formula's value, for the common shapes.

``split_label`` finds a formula by trying each place one may start, longest tail first, with the
grammar (docs/grammar.md, rule 5), and the rules then parse the formula again for its value. Most
descriptions are a label and one formula with a money unit (``회의 참석수당 150,000원*17명*2회``,
``통역비 [35,000원 + 3,000원] x 9식``), or words only; :func:`read_description` reads those in one
pass and works out the value as it goes. It gives exactly what the reference functions give
(``split_label``; ``exact_value`` of ``parse_formula``; ``formula_attempt``), and returns None for
anything else, which the reader then hands to them:

- words only (no digit) are the label, with no formula and nothing that looks like one;
- otherwise the places where a formula may start are tried left to right (as ``split_label``'s
  starts: a digit after a blank or a sign, a bracket, △, a dash before a digit, 경정/기정). A place
  whose tail cannot parse at all is passed (after operands and operators comes a character that is
  no operator: ``parse_flat``'s steps, or ``may_parse``). The first tail that may parse is the
  formula when it runs to the end of the text, holds a money unit, adds no money to a count, has a
  value, and, after a place that was passed, does not continue a longer formula to its left (the
  split's rule 5, which would make it no formula at all): a flat tail is read and worked out here
  with the grammar's own operand pattern, a tail with brackets, signs or tags by ``parse_formula``
  (whose fast reader reads it; the split finds it cached). Any other tail (no money, a bracket the
  split would close, a named operand, no value) is the split's;
- with every place passed there is no formula, whatever amount is stated (no end of any tail
  parses, so no amount can choose one); the label's attempt is ``formula_attempt``'s own (cached
  per text).

``split_label`` here is :func:`auditor.formula.split_item` without an amount. With a stated amount the
split may choose another reading (one the amount confirms, or a formula without a money unit), so
the reader takes a formula read here only when there is no money amount or the amount confirms it;
otherwise it asks ``split_item`` with the amount (``basis.BasisReader.row``).

``tests/test_reader_description.py`` checks all of it against the reference functions on generated
descriptions of every shape (with and without a confirming amount, and with any amount where no
formula was found), and the corpus test on whole sheets.
"""

from __future__ import annotations

import re
from fractions import Fraction

from auditor import recache
from auditor.formula import FormulaError, formula_attempt, parse_formula
from auditor.formula.fast import _blanks, _skip, may_parse
from auditor.formula.grammar import MAX_DEPTH, MAX_DIGITS, MAX_LENGTH
from auditor.formula.nodes import exact_value
# The split's own steps, so that what is read here is what it reads: where it may start a formula, the
# brackets a tail lacks, a tree's facts (money, a count added to money) and rule 5 (a formula that
# goes on to its left).
from auditor.formula.split import SEPARATORS, _closers, _continued, _facts, is_start
from auditor.formula.tokens import (
    _SUFFIX, ADD_CHARS, BLANKS, DIGITS, DIV_CHARS, FULL_WIDTH, MONEY_WORD, MUL_CHARS, SIGN_CHARS, SUB_CHARS, WHITE,
    normalise, tokens,
)
from auditor.model import NO_FORMULA, FormulaResult
from auditor.readers import mode
from auditor.source import MONEY_UNITS

__all__ = ["flat_operands", "flat_value", "formula_value", "read_description"]

_AFTER_OPERAND = recache.compile(r"(?:[ \t\r\n]*[)\]])*[ \t\r\n]*")
_BLANKS = recache.compile(r"[ \t]*")
#: The first character from which a formula may start (a superset of split_label's starts).
_FIRST = recache.compile(r"[0-9(\[△▲Δ∆]|[-−－](?=[0-9(\[])|경정|기정")
_DIGIT = recache.compile(r"[0-9]")
_DIGITS = frozenset("0123456789")
#: What a digit that starts a formula may follow (``split_label``: a blank, or not a letter, digit, ',' or '.').
_BEFORE_START = recache.compile(r"[^\w,.]")
_MUL, _SUB = frozenset(MUL_CHARS), frozenset(SUB_CHARS)
_ADD = frozenset(ADD_CHARS) | _SUB
_OPERATORS = _MUL | frozenset(DIV_CHARS) | _ADD
_MULDIV = _MUL | frozenset(DIV_CHARS)
_ADD_ONLY = frozenset(ADD_CHARS)
#: A figure that may hold more digits than the grammar allows (MAX_DIGITS).
_LONG_FIGURE = recache.compile(rf"[0-9][0-9,.]{{{MAX_DIGITS},}}")
#: A character that :func:`normalise` changes.
_NOT_NORMAL = recache.compile(f"[{re.escape(FULL_WIDTH + BLANKS)}]")
_PERCENT = Fraction(1, 100)
_NEGATIVE = frozenset(SIGN_CHARS) - {"+"}
_result = tuple.__new__
_CLOSING = frozenset(")]")
#: What may stand before an operand besides its sign (``may_parse``): signs, opening brackets (and tags).
_OPENING = frozenset(SIGN_CHARS + "([")
#: What :func:`_flat_value` gives for a tail that cannot parse, for one only the split can judge, and for
#: one the grammar reads (brackets, signs or tags after an operator).
_NO, _ASK, _PARSE = object(), object(), object()
#: :func:`_parsed` has not asked :func:`_bracketed` yet.
_UNTRIED = object()
#: The deepest brackets :func:`formula_value` reads (the grammar's MAX_DEPTH is deeper).
_NESTED = 4


def read_description(body: str) -> tuple[str, str | None, FormulaResult] | None:
    """``(label, formula, calc)`` of a description (marker and any ``= amount`` cut off), or None.

    None means the text is not of a shape read here: ask ``split_label`` and the formula package.
    ``calc`` is the line's :class:`~auditor.model.FormulaResult`.
    """
    normal = normalise(body) if _NOT_NORMAL.search(body) else body  # translate looks up every character
    end = len(body.rstrip())
    if mode.FAST:
        first = _NOT_WORDS.search(normal)  # words, then a plain flat formula to the end: the loop's first place
        start = first.start() if first is not None else end
        if normal[start:start + 1] in _DIGITS and (not start or _BEFORE_START.match(normal, start - 1) is not None) \
                and end - start <= MAX_LENGTH and (end - start <= MAX_DIGITS or not _LONG_FIGURE.search(normal, start, end)):
            steps = _plain_steps(normal, start, end)
            if steps is not None:
                value = _fold(steps)
                return None if value is _ASK else _taken(body, start, end, value)
    if _DIGIT.search(normal) is None:
        return body.strip(), None, NO_FORMULA
    if "=" in normal:
        return None  # a stated amount inside the text: split_rhs's business
    if normal.count("(") + normal.count("[") != normal.count(")") + normal.count("]"):
        return None  # a bracket left open or closed twice: where the formula ends is the split's guess
    passed = False  # a place that may start a formula was passed
    for first in _FIRST.finditer(normal):
        start = first.start()
        if normal[start] in _DIGITS:
            if start and _BEFORE_START.match(normal, start - 1) is None:
                continue  # inside a word or a number: no formula starts here
            if end - start <= MAX_LENGTH:
                shape = normal[start:end]
                # a run of more digits than the grammar allows is the grammar's to report (may_parse below)
                value = (_flat_value(shape) if len(shape) <= MAX_DIGITS or not _LONG_FIGURE.search(shape)
                         else None)
                if value is _NO:
                    passed = True
                    continue
                if value is _ASK:
                    return None
                if value is _PARSE:
                    return _parsed(body, normal, start, end, passed)
                if value is not None:
                    # An earlier place held a tail that does not parse: this formula may be the end of a
                    # longer, broken one (after an operator, a money figure and words …: docs/grammar.md,
                    # the label rule), which the split reads as no formula at all.
                    if passed and _continued(normal, start):
                        return None
                    return _taken(body, start, end, value)
        if end - start <= MAX_LENGTH:
            shape = normal[start:end]
            if mode.FAST and is_start(normal, start) and (len(shape) <= MAX_DIGITS or not _LONG_FIGURE.search(shape)):
                # the bracketed reader first: where it reads the tail, the tail parses (so may_parse says
                # it may, and its brackets pair), and _parsed would read it the same way
                read = _bracketed(shape)
                if read is not None:
                    return _parsed(body, normal, start, end, passed, read)
            if may_parse(shape):
                if not is_start(normal, start):  # the split never reads a formula from here
                    passed = True
                    continue
                return _parsed(body, normal, start, end, passed, None)
        passed = True
    label = body.strip()
    attempt = formula_attempt(label)
    return label, None, NO_FORMULA if attempt is None else FormulaResult(None, attempt)


def _taken(body: str, start: int, end: int, value: int | Fraction) -> tuple[str, str, FormulaResult]:
    """The reading of ``body[start:end]`` as the formula, its value ``value``: the label is the text
    before it, blanks and one separating dash removed (``split``'s ``_label`` at the end of the text)."""
    label = body[:start].rstrip()
    if label and label[-1] in SEPARATORS:
        label = label[:-1].rstrip()
    return label.lstrip(), body[start:end], _result(FormulaResult, (value, None))


def _parsed(body: str, normal: str, start: int, end: int, passed: bool,
            read: tuple | None | object = _UNTRIED) -> tuple[str, str, FormulaResult] | None:
    """The split's first reading when it is the tail from ``start`` (a place the split tries) to the end
    of the text, read by the grammar (brackets, signs, tags): every earlier place failed, so this
    tail is the first the split tries after them. Taken only when it needs no closing bracket, parses
    (``parse_formula``, whose fast readers read it and which the split then finds cached), holds money,
    adds no money to a count, has a value, and, after a place that failed, does not continue a longer
    formula to its left; anything else (shorter ends, brackets assumed, no money) is the split's.
    ``read``: what :func:`_bracketed` gave for the tail (None: it did not read it), when asked already."""
    shape = normal[start:end]
    if read is _UNTRIED or read is None:
        if end - start > MAX_LENGTH or _closers(shape) != "":
            return None
        if read is _UNTRIED:
            read = _bracketed(shape) if mode.FAST and (len(shape) <= MAX_DIGITS or not _LONG_FIGURE.search(shape)) else None
    if read is not None:  # the grammar's tree, worked out as it is read (:func:`_bracketed`)
        value, money, _, mixed, _ = read
        if not money or mixed or (passed and _continued(normal, start)):
            return None
        if type(value) is Fraction and value.denominator == 1:
            value = value.numerator
        return _taken(body, start, end, value)
    try:
        node = parse_formula(body[start:end])
    except FormulaError:
        return None
    money, _, _, mixed = _facts(node)
    if not money or mixed or (passed and _continued(normal, start)):
        return None
    try:
        value = exact_value(node)
    except FormulaError:
        return None
    return _taken(body, start, end, value)


def _flat_value(shape: str) -> int | Fraction | object:
    """:func:`_operand_value` of ``shape``: read with one pattern where its operands are plain
    (:func:`_plain_steps`), else operand by operand with the grammar's own pattern; :func:`_fold` either way."""
    if mode.FAST:
        steps = _plain_steps(shape, 0, len(shape))
        if steps is not None:
            return _fold(steps)
    return _operand_value(shape)


def _plain_steps(text: str, start: int, end: int) -> list[tuple[str, ...]] | None:
    """``[(step, operator, "", digits, percent, money, count, ""), …]`` of ``text[start:end]`` when it is a
    flat formula of plain operands (:data:`_PLAIN`; no brackets), else None: the steps, matched one after the other from
    ``start`` (empty strings for groups that took no part), must reach ``end``, each but the first with
    its operator. Matching each step where the last ended stops at the first gap, where ``findall``
    would search the rest of the text (a label with a figure in it: ``1차 회의``)."""
    match = (_PLAIN.get(tokens()) or _plain(tokens())).match
    m = match(text, start, end)
    if m is None:
        return None
    step = m.groups("")
    if step[1] or step[2] or step[7]:
        return None
    steps = [step]
    at = m.end()
    while at < end:
        m = match(text, at, end)
        if m is None:
            return None
        step = m.groups("")
        if not step[1] or step[2] or step[7]:
            return None
        steps.append(step)
        at = m.end()
    return steps


def formula_value(formula: str) -> int | Fraction | None:
    """The value of ``formula``, a description's tail from a digit or an opening bracket to its end, when
    :func:`read_description` takes it at once as a formula of plain operands: a flat one (:func:`_plain_steps`
    reads it whole, and :func:`_fold` gives it a value) or one with brackets around such operands and
    operators (no sign, tag, note or name: :func:`_bracketed` reads it, and it holds money and adds no
    money to a count), at most MAX_LENGTH long, no figure longer than MAX_DIGITS; None for anything else.

    One ``findall`` instead of a match per step: where the steps it finds cover the text, each is the
    match at the place the last one ended, which is what ``_plain_steps`` matches. The caller has made
    sure the tail is where read_description's first place that may parse is (a digit after no letter,
    digit, ',' or '.', or a bracket after a blank or at the start) and that the text is normal."""
    if len(formula) > MAX_LENGTH:
        return None
    steps = (_PLAIN.get(tokens()) or _plain(tokens())).findall(formula)
    covered = 0
    first = True
    brackets = False
    for step in steps:
        if (not step[1]) is not first or len(step[3]) > MAX_DIGITS:  # an operator but first; no figure too long
            return _noted(formula)  # a note's figure, a sign …
        if step[2] or step[7]:
            brackets = True
        first = False
        covered += len(step[0])
    if covered != len(formula):
        return _noted(formula)
    if brackets:
        return _bracketed_steps(steps)
    value = _fold(steps)
    return None if value is _ASK else value


def _noted(formula: str) -> int | Fraction | None:
    """:func:`formula_value` of a tail that its steps do not cover (notes after operands, ``24식(연2회)``,
    ``[부가세 포함]``; signs; named operands inside brackets): read_description's reading of it as the
    first place that may parse, when that takes it. A tail from a digit is read operand by operand
    (:func:`_flat_value`: ``_plain_steps`` read none of it whole), one from a bracket by
    :func:`_bracketed` and taken when it holds money and adds none to a count (:func:`_parsed`); None
    where read_description asks the split or the grammar (brackets that do not pair, an ``=``, a figure
    too long, what the grammar alone reads or what only the split can judge) or passes the place."""
    normal = normalise(formula) if _NOT_NORMAL.search(formula) else formula
    if "=" in normal or normal.count("(") + normal.count("[") != normal.count(")") + normal.count("]"):
        return None  # read_description's: the split's business
    if len(normal) > MAX_DIGITS and _LONG_FIGURE.search(normal):
        return None  # the grammar's to report
    if normal[0] in _DIGITS:
        value = _operand_value(normal)
    else:
        read = _bracketed(normal)
        if read is None:
            return None
        value, money, _, mixed, _ = read
        if not money or mixed:
            return None
        if type(value) is Fraction and value.denominator == 1:
            value = value.numerator
    return value if type(value) is int or type(value) is Fraction else None


def _bracketed_steps(steps: list[tuple[str, ...]]) -> int | Fraction | None:
    """:func:`_bracketed`'s reading of the steps of a formula with brackets, worked out with its own
    :func:`_times` and :func:`_plus` in its order (products left to right, then sums, each bracket a node),
    one frame ``[sum, its operator, product, its operator]`` per open bracket; the value when it holds
    money and adds no money to a count (``_parsed``'s test), else None, as for brackets that do not pair,
    a division by zero, or brackets nested deeper than a few."""
    frames = [[None, "", None, ""]]
    closers = []
    for _, op, opening, digits, percent, money, count, closing in steps:
        frame = frames[-1]
        if op:
            if op in _MULDIV:
                frame[3] = op
            else:
                term = frame[2]
                frame[0] = term if frame[0] is None else _plus(frame[0], frame[1], term)
                frame[1], frame[2] = op, None
        for char in opening:
            if len(closers) >= _NESTED:
                return None
            closers.append(")" if char == "(" else "]")
            frames.append([None, "", None, ""])
        value = _figure(digits, percent, money)
        node: tuple | None = (value, bool(money), bool(money) or bool(count), False, None)  # _operand's
        for char in closing:  # each closing bracket ends the frame's product, then its sum: a node
            if char == " " or char == "\t":
                continue
            frame = frames.pop()
            term = frame[2]
            node = node if term is None else _times(term, frame[3], node)
            if node is None or not closers or closers.pop() != char:
                return None  # a division by zero, or a bracket that does not pair
            node = node if frame[0] is None else _plus(frame[0], frame[1], node)
        frame = frames[-1]  # the operand, or the bracket just closed, is a factor of the product
        term = frame[2]
        node = node if term is None else _times(term, frame[3], node)
        if node is None:
            return None  # a division by zero
        frame[2] = node
    if closers:
        return None
    frame = frames[0]
    value, money, _, mixed, _ = frame[2] if frame[0] is None else _plus(frame[0], frame[1], frame[2])
    if not money or mixed:
        return None
    if type(value) is Fraction and value.denominator == 1:
        return value.numerator
    return value


def _unit(t, blank: str = "[ \\t]*", groups: tuple[str, str, str] = ("(", "(", "(")) -> str:
    """An operand's unit, perhaps none, after blanks (``blank``): percent, a money word (perhaps with a
    suffix, no syllable after it) or a count unit of ``t``, the grammar's alternatives in its order, each
    a group opened by ``groups``. The one spelling of :data:`_PLAIN`'s and :func:`flat_operands`'."""
    percent, money, count = groups
    return (rf"(?:{blank}{percent}[%％])|{blank}{money}{MONEY_WORD})(?:{_SUFFIX})?(?![가-힣])"
            rf"|{blank}{count}{t.count_unit}))?")


def _plain(t) -> re.Pattern:
    """The pattern of :data:`_PLAIN` for the tokens ``t``, made once (about 3 ms: its Hangul classes)."""
    unit = _unit(t)
    ops = re.escape(MUL_CHARS + DIV_CHARS + ADD_CHARS + SUB_CHARS)
    _PLAIN[t] = plain = recache.compile(
        rf"([ \t\r\n]*([{ops}])?[ \t]*([(\[]*)[ \t]*(?>({DIGITS}){unit})((?:[ \t]*[)\]])*))")
    return plain


#: How many operands :func:`flat_operands` reads in groups of their own.
FLAT_OPERANDS = 4
#: The groups of :func:`flat_operands`' pattern: per operand its digits, percent, money and count unit,
#: and before each operand but the first its operator.
FLAT_GROUPS = 5 * FLAT_OPERANDS - 1


def flat_operands(t) -> str:
    """A pattern (text) of a flat formula of one to :data:`FLAT_OPERANDS` plain operands of the tokens ``t``
    and operators between them, blanks spaces only: what :data:`_PLAIN`'s steps read of such a formula
    with no tab in it, each operand's groups (digits, percent, money, count) and each operator in a
    group of its own (:data:`FLAT_GROUPS` in all), for :func:`flat_value`. The row pattern
    (``basis._COMMON_TEXT``) reads a formula's operands with it in its own match.

    The operand is :func:`_unit`'s and ``DIGITS``' reading spelt for ``re``'s matcher: the blanks once
    before the unit's alternatives (a blank starts none of them); the money words one by one (the
    words ``MONEY_WORD`` matches: at most one of them starts at a place); and what may be absent as
    an empty alternative (``(?:x|)``, where ``(?:x)?`` makes the matcher save every group so far at
    each try: about half of this pattern's cost in the row pattern's match). The same operands, to
    the same ends, in the same groups (tests/test_reader_basis_common.py)."""
    ops = re.escape(MUL_CHARS + DIV_CHARS + ADD_CHARS + SUB_CHARS)
    digits = DIGITS.replace(r"(?:\.[0-9]+)?", r"(?:\.[0-9]+|)").replace(r"(?:,[0-9]{3})+", r"(?:,[0-9]{3})++")
    text = ""
    for i in range(FLAT_OPERANDS, 0, -1):  # the last operand innermost
        unit = (rf"(?: *(?:(?P<p{i}>[%％])|(?P<m{i}>{_MONEY_WORDS})(?:{_SUFFIX}|)(?![가-힣])"
                rf"|(?P<c{i}>{t.count_unit}))|)")
        text = rf"(?>(?P<d{i}>{digits}){unit})" + (f"(?:{text}|)" if text else "")
        if i > 1:
            text = rf" *(?P<o{i}>[{ops}]) *" + text
    return text


#: Whole figures as written (``150,000``) and their values, as :func:`flat_value` has read them (most repeat:
#: ``2``, ``12``); at most :data:`_FIGURES_KEPT`, forgotten all at once beyond.
_FIGURES: dict[str, int] = {}
_FIGURES_KEPT = 4096
#: The words ``MONEY_WORD`` (``(?:백만|천|만|억)?원``) matches, one by one (:func:`flat_operands`).
_MONEY_WORDS = "원|천원|만원|억원|백만원"


def flat_value(groups: tuple, at: int, formula: str) -> int | Fraction | None:
    """:func:`formula_value` of ``formula``, a flat formula of plain operands read by :func:`flat_operands`'
    pattern, ``groups[at:at + FLAT_GROUPS]`` its groups (None where an operand or operator is absent):
    a product worked out here in integers (a Fraction only for a value that is not whole), any
    other formula by :func:`_fold` from the same groups; a figure longer than the grammar allows, or
    a formula longer than it reads, as formula_value reads it."""
    if len(formula) > MAX_DIGITS:
        if len(formula) > MAX_LENGTH:
            return None
        for k in range(at, at + FLAT_GROUPS, 5):
            digits = groups[k]
            if digits is not None and len(digits) > MAX_DIGITS:
                return formula_value(formula)
    over = under = 1
    money = False
    k = at
    end = at + FLAT_GROUPS
    while True:
        digits = groups[k]
        value = _FIGURES.get(digits)
        if value is not None:
            over *= value
        elif "." in digits:
            whole, _, decimals = digits.replace(",", "").partition(".")
            over *= int(whole + decimals)
            under *= 10 ** len(decimals)
        else:
            if len(_FIGURES) >= _FIGURES_KEPT:
                _FIGURES.clear()
            value = _FIGURES[digits] = int(digits.replace(",", ""))
            over *= value
        unit = groups[k + 2]
        if unit is not None:
            over *= MONEY_UNITS[unit]
            money = True
        elif groups[k + 1] is not None:
            under *= 100
        k += 5
        if k > end:
            break
        op = groups[k - 1]
        if op is None:
            break
        if op not in _MUL:  # a quotient or a sum: _fold's
            steps = [("", "", "", groups[at], groups[at + 1], groups[at + 2], groups[at + 3], "")]
            for k in range(at + 4, end, 5):
                op = groups[k]
                if op is None:
                    break
                steps.append(("", op, "", groups[k + 1], groups[k + 2], groups[k + 3], groups[k + 4], ""))
            value = _fold(steps)
            return None if value is _ASK else value
    if not money:
        return None  # it parses: split_label goes on to the shorter tails
    if under == 1:
        return over
    if over % under == 0:
        return over // under
    return Fraction(over, under)


#: A character that may start a formula (:data:`_FIRST`), or a closing bracket or ``=``: words before the
#: first one hold no place where a formula may start, so when a plain flat formula starts there and
#: runs to the end of the text, it is the first place read_description's loop tries, and its formula.
_NOT_WORDS = recache.compile(r"[0-9()\[\]△▲Δ∆\-−－=]|경정|기정")
#: One step of a flat formula of plain operands: blanks, perhaps an operator, blanks, and an operand of
#: digits and perhaps a unit (the grammar's own alternatives, in its order), no name, sign or note:
#: ``100,000원*4명*12개월``. The grammar's operand pattern reads each such operand to the same end (a
#: name or sign cannot start at a digit, and no note at the blanks and operator or the end that
#: follow), so :func:`_operand_value` reads the same operands and operators; the operand is atomic,
#: as the grammar's match is final once made. Groups: the whole step, the operator, opening brackets
#: before the operand, the digits, percent, money, count, closing brackets after it (and blanks between
#: them): a step with brackets is no step of a flat formula (:func:`_plain_steps` refuses it), but of
#: a bracketed one (:func:`formula_value`).
#: One pattern per unit list (``tokens()``).
_PLAIN: dict = {}


def _fold(steps: list[tuple[str, ...]]) -> int | Fraction | object:
    """The value of a flat formula read as ``steps``, ``[(step, operator, "", digits, percent, money, count, ""),
    …]`` (the step's text and the empty bracket groups unused; the first operator empty; ``digits`` as written, perhaps with commas and a
    leading ``-`` for a minus sign; a unit group empty or None when absent): products worked out left
    to right and summed, as the grammar's left-nested tree is evaluated. :data:`_ASK` when it has no
    value (a division by zero), holds no money, or adds money to a count (only the split can judge
    those). What both readers of a flat formula work out (:func:`_plain_steps` and :func:`_operand_value`).

    Worked out in integers, each term and the sum as a numerator and a denominator (a figure with
    decimals is its digits over a power of ten, a percentage over 100), so that no ``Fraction`` is made
    but for a value that is not whole: the same exact value, an ``int`` when whole."""
    total = 0
    below = 1  # the sum is total / below
    over = under = 0  # the term is over / under
    any_money = term_money = term_count = money_terms = count_terms = False
    sign = 1
    for _, op, _, digits, percent, money, count, _ in steps:
        if "," in digits:
            digits = digits.replace(",", "")
        if "." in digits:
            whole, _, decimals = digits.partition(".")
            value = int(whole + decimals)
            scale = 10 ** len(decimals)
        else:
            value = int(digits)
            scale = 1
        if money:
            value *= MONEY_UNITS[money]
            any_money = True
        elif percent:
            scale *= 100
        if op in _MULDIV:
            term_money = term_money or bool(money)
            term_count = term_count or bool(count)
            if op in _MUL:
                over *= value
                under *= scale
            elif value == 0:
                return _ASK  # no value: formula_attempt has the error
            else:
                over *= scale
                under *= value
        else:  # a new term
            if op:
                if under == below:
                    total += over if sign == 1 else -over
                else:
                    total = total * under + sign * over * below
                    below *= under
                money_terms = money_terms or term_money
                count_terms = count_terms or (term_count and not term_money)
                sign = -1 if op in _SUB else 1
            over, under, term_money, term_count = value, scale, bool(money), bool(count)
    if under == below:
        total += over if sign == 1 else -over
    else:
        total = total * under + sign * over * below
        below *= under
    if not any_money or ((money_terms or term_money) and (count_terms or (term_count and not term_money))):
        return _ASK  # it parses: split_label goes on to the shorter tails
    if below == 1:
        return total
    if total % below == 0:
        return total // below
    return Fraction(total, below)


def _operand_value(shape: str) -> int | Fraction | object:
    """The value of ``shape``, a tail that starts with a digit, read as ``parse_flat`` reads it (an operand;
    then, blanks skipped, an operator, blanks, an operand, and so on to the end), when it is a flat
    formula with money that adds no money to a count and divides by no zero (:func:`_fold`, once
    every operand is read).

    Else :data:`_NO` when the tail cannot parse at all: after operands and operators alone (and perhaps
    closing brackets) comes a character that is no operator, or an operator is followed by
    what starts no operand, not even with a sign, a bracket or a tag before it (``may_parse`` reads
    those operands the same way and stops there too); else :data:`_ASK` (brackets, tags, signs, or
    a formula that parses but is not taken here): only the grammar can tell.
    """
    size = len(shape)
    operand = tokens().signed_at  # ``[name] [sign] number [unit] [note]``, with the units in use (the grammar's copy)
    loc = 0
    op = ""
    steps = []
    while True:
        m = operand.match(shape, loc)
        if m is None:  # after an operator: a bracket, a tag or a second sign may still make an operand
            return _PARSE if shape[loc:loc + 1] in _OPENING or shape.startswith(("경정", "기정"), loc) else _NO
        if m["name"] is not None:
            return _ASK  # a named operand (항공료 1,500,000원): where the label ends is the split's choice
        digits, percent, money, count, negative = m.group("digits", "percent", "money", "count", "sign")
        if negative is not None and negative in _NEGATIVE:
            digits = "-" + digits
        steps.append(("", op, "", digits, percent, money, count, ""))
        loc = m.end()
        if loc < size and shape[loc] in " \t\r\n":
            loc = WHITE.match(shape, loc).end()
        if loc == size:
            break
        op = shape[loc]
        if op not in _OPERATORS:
            if op in _CLOSING:  # as may_parse: closing brackets and blanks, then an operator or the end
                loc = _AFTER_OPERAND.match(shape, loc).end()
                return _PARSE if loc == size or shape[loc] in _OPERATORS else _NO
            return _NO
        loc += 1
        if loc < size and shape[loc] in " \t":
            loc = _BLANKS.match(shape, loc).end()
    return _fold(steps)


# --- a bracketed formula worked out as it is read ----------------------------------------------
# ``parse_formula`` of a formula with brackets reads it with ``auditor.formula.fast.parse_bracketed``,
# and ``_parsed`` then walks the tree twice (``_facts``, ``exact_value``). :func:`_bracketed` reads the
# same text in the same order with the same tokens (each function mirrors its namesake there) and
# works out, for each node it would build, its value and its facts, without building it:
# ``(value, money, count, mixed, terms)``, ``terms`` the facts ``(money, count, mixed)`` of a sum's
# terms (``_facts`` collects them through nested sums), None for any other node. It gives up (None)
# where the tree would hold a Neg or a Tagged (a sign, a tag), on a division by zero, beyond
# MAX_DEPTH brackets, and wherever parse_bracketed gives up; the caller then parses as before.


def _figure(digits: str, percent: str | None, money: str | None) -> int | Fraction:
    """An operand's exact value from its digits, its percent sign and its money unit (a Fraction only
    for a figure with decimals or a percentage): the one reading of :func:`_operand` and
    :func:`_bracketed_steps`."""
    if "," in digits:
        digits = digits.replace(",", "")
    value: int | Fraction = Fraction(digits) if "." in digits else int(digits)
    if money:
        return value * MONEY_UNITS[money]
    if percent:
        return value * _PERCENT
    return value


def _operand(m: re.Match) -> tuple | None:
    """The facts of one operand match (a Number; None when it is signed: a Neg)."""
    sign = m["sign"]
    if sign is not None and sign != "+":
        return None
    digits, percent, money, count = m.group("digits", "percent", "money", "count")
    return _figure(digits, percent, money), money is not None, money is not None or count is not None, False, None  # _facts of a Number


def _times(left: tuple, op: str, right: tuple) -> tuple | None:
    """``left * right`` or ``left / right`` (None on a division by zero)."""
    a, b = left[0], right[0]
    if op in _MUL:
        value = a * b
    elif b == 0:
        return None
    elif type(a) is int and type(b) is int and a % b == 0:
        value = a // b
    else:
        value = Fraction(a, b)
    return value, left[1] or right[1], left[2] or right[2], left[3] or right[3], None


def _plus(left: tuple, op: str, right: tuple) -> tuple:
    """``left + right`` or ``left - right``: a sum, its terms those of both sides."""
    terms = (left[4] or [left[1:4]]) + (right[4] or [right[1:4]])
    money = counted = count = mixed = False
    for m, c, x in terms:
        money = money or m
        count = count or c
        counted = counted or (c and not m)
        mixed = mixed or x
    value = left[0] + right[0] if op in _ADD_ONLY else left[0] - right[0]
    return value, money, count, (money and counted) or mixed, terms


def _bracket(s: str, loc: int, t, depth: int) -> tuple[tuple, int] | None:
    """``"(" sum ")" | "[" sum "]"`` (a sign before it would make a Neg: given up)."""
    p = _skip(s, loc)
    if p >= len(s) or s[p] not in "([" or depth >= MAX_DEPTH:
        return None
    got = _sum(s, p + 1, t, depth + 1)
    if got is None:
        return None
    node, loc = got
    q = _skip(s, loc)
    if q >= len(s) or s[q] != (")" if s[p] == "(" else "]"):
        return None
    return node, q + 1


def _products(s: str, loc: int, node: tuple, t, depth: int) -> tuple[tuple, int] | None:
    while True:
        at = _skip(s, loc)
        if at >= len(s) or s[at] not in _MULDIV:
            return node, loc
        m = t.signed_at.match(s, _blanks(s, at + 1))
        if m is not None:
            got = _operand(m), m.end()
        else:
            factor_at = _skip(s, at + 1)
            m = t.signed_at.match(s, factor_at)
            got = (_operand(m), m.end()) if m is not None else _bracket(s, factor_at, t, depth)
            if got is None:
                return None
        if got[0] is None:
            return None
        node = _times(node, s[at], got[0])
        if node is None:
            return None
        loc = got[1]


def _term(s: str, loc: int, t, depth: int) -> tuple[tuple, int] | None:
    at = _skip(s, loc)
    if s.startswith(("경정", "기정"), at):
        return None  # perhaps a tag: a Tagged
    m = t.signed_at.match(s, at)
    got = (_operand(m), m.end()) if m is not None else _bracket(s, at, t, depth)
    if got is None or got[0] is None:
        return None
    return _products(s, got[1], got[0], t, depth)


def _sum(s: str, loc: int, t, depth: int) -> tuple[tuple, int] | None:
    got = _term(s, loc, t, depth)
    if got is None:
        return None
    total, loc = got
    while True:
        at = _skip(s, loc)
        if at >= len(s) or s[at] not in _ADD:
            return total, loc
        m = t.signed_at.match(s, _blanks(s, at + 1))
        if m is not None:
            operand = _operand(m)
            got = None if operand is None else _products(s, m.end(), operand, t, depth)
        else:
            got = _term(s, at + 1, t, depth)
        if got is None:
            return None
        term, loc = got
        total = _plus(total, s[at], term)


def _bracketed(shape: str) -> tuple | None:
    """``(value, money, count, mixed, terms)`` of the tree ``parse_bracketed`` gives for normalised
    ``shape`` (within the grammar's limits of length and digits), or None (see above)."""
    got = _sum(shape, 0, tokens(), 0)
    if got is None or _skip(shape, got[1]) != len(shape):
        return None
    return got[0]
