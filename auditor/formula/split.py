"""Find the formula in a 산출근거 item's text, wherever it stands, and the label around it (docs/grammar.md).

:func:`split_item` gives the whole story (where the formula is, its value, what was assumed, other
readings); :func:`split_label` its label and formula; :func:`formula_attempt` what looks like a formula
but cannot be used, for CALC003.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction

from auditor import recache
from auditor.formula.amount import check_amount
from auditor.formula.errors import FormulaError, FormulaEvaluationError, FormulaSyntaxError
from auditor.formula.grammar import MAX_DEPTH, MAX_LENGTH, may_parse, parse_formula
from auditor.formula.nodes import BinOp, Neg, Node, Number, Tagged, exact_value, format_value
from auditor.formula.tokens import CLOSE, DIGITS, LOOSE_UNIT, MONEY_UNIT, NAME, OPEN, normalise
from auditor.formula.units import on_change
from auditor.josa import attach
from auditor.lazyre import lazy
from auditor.memo import CACHE_SIZE
from auditor.plain import Field, Frozen, frozen
from auditor.source import MONEY_UNITS

# The blanks before the ``=`` are added after the search: a leading ``[ \t]*`` in the pattern, like
# two ``[ \t]*`` side by side, would rescan a long run of blanks from each of its positions.
_RHS = lazy(
    rf"(?P<rhs>=[ \t]*(?:[-−△▲Δ∆][ \t]*)?(?:{DIGITS})(?:[ \t]*(?:{MONEY_UNIT}))?)[ \t]*\Z")
# Where a formula may start (in normalised text): at the start of a blank-separated token, a digit,
# a bracket, △/▲/Δ/∆, a dash glued to a digit or bracket (a sign), or 경정/기정; inside a token, a
# digit, △/▲/Δ/∆ or 경정/기정 right after a character that is not a letter, digit, blank, ',' or '.', or a bracket
# right after anything but a blank, a digit, ',' or '.', or right after digits glued to a letter
# (``환경개선2(800,000원*2개)``: :func:`_starts` checks the letter).
_START = recache.compile(
    r"(?:(?<=\s)|^)(?:[0-9(\[△▲Δ∆]|[-−－](?=[0-9(\[])|(?:경정|기정)(?![가-힣]))"
    r"|(?<=[^\w\s,.])(?:[0-9△▲Δ∆]|(?:경정|기정)(?![가-힣]))|(?<=[^\s0-9,.])[(\[]|(?P<glued>(?<=[0-9])[(\[])")
_DIGITS_BEFORE = recache.compile(r"[0-9]+\Z")
# A figure with a money word, loosely: ``[0-9][0-9,.]*[ \t]*[가-힣]*원`` (5만원, 5천만원, 1원씩 …),
# found by :func:`_last_money_figure` one run of figures at a time (that regex, searched, is quadratic
# on a long run of digits).
_FIGURES = recache.compile(r"[0-9,.]+")
_WORD_AFTER = lazy(r"[ \t]*([가-힣]*)")
# An operator that makes a whole text look like a formula (formula_attempt): not the middle dots,
# which in a label list numbers (``1·2차 회의``, ``2·3분기 점검``) far more often than multiply them.
_WHOLE_OPERATOR = lazy(r"[*＊×xX✕✖/÷+＋]")
# What the text before a formula ends with when the formula goes on to its left: an operator, an
# opening bracket, a money figure, a figure (its unit glued to it) glued to a minus, or a bare
# figure before a minus: a minus between numbers, where a dash after a label's words or counts
# stands apart (``운영비(2회) - 3,000원``, ``워크숍 2회 - 5,000원``), or an operand after an operator
# before a minus (``…**Δ0명 - 0원``: the count is the formula's, not a label's); then perhaps
# signs and a 경정/기정 tag (``5,000원**2회*3,000원``, ``(5,000원*2회``, ``5,000원 2회*…``,
# ``5,000원**-2회*…``, ``5,000원*경정 2회*…``, ``5,000원**Δ0명-0원``).
_CONTINUED = recache.compile(
    rf"(?:[*＊×✕✖·∙⋅/÷+＋(\[]|[0-9][0-9,.]*[ \t]*[가-힣]*원[가-힣]*|[0-9](?:%|{LOOSE_UNIT})?[-−－]|[0-9%][ \t]+[-−－]"
    rf"|[*＊×✕✖·∙⋅/÷+＋(\[][ \t]*(?:[-−－△▲Δ∆][ \t]*)*[0-9][0-9,.]*[ \t]*(?:%|{LOOSE_UNIT})?[ \t]*[-−－])"
    r"[ \t]*(?:(?:[-−－△▲Δ∆]|경정|기정)[ \t]*)*\Z")
# The same with the name of an operand last: after an operator (perhaps a tag) or a money figure,
# the formula goes on to its left (``5,000원**항공료 0원``, ``5,000원 항공료 0원``: ``0원`` is the end of
# the broken one); after an opening bracket, only when the formula starts with a number, which the
# words may name (``(본청 보존문서 500원*…`` is one formula; ``서고(상시 방역제(35,000원*…`` is a label's).
_NAME_TAIL = rf"{NAME}[ \t]*(?:[-−－△▲Δ∆][ \t]*)*\Z"
_CONTINUED_NAMED = recache.compile(
    rf"(?:[*＊×✕✖·∙⋅/÷+＋][ \t]*(?:(?:경정|기정)[ \t]*)?|[0-9][0-9,.]*[ \t]*[가-힣]*원[가-힣]*[ \t]+){_NAME_TAIL}")
_BRACKET_NAMED = recache.compile(rf"[(\[][ \t]*(?:(?:경정|기정)[ \t]*)?{_NAME_TAIL}")
#: A formula that starts with a number, perhaps signed: one a name may stand before (not a bracket).
_NUMBER_AT = recache.compile(r"(?:[-−－△▲Δ∆+][ \t]*)?[0-9]")
#: Dashes that separate a label from its formula (``운영비 - 3,000원*2``); never part of either.
SEPARATORS = "-−－–—"
#: The longest description cell whose split is cached (a label and a formula of at most MAX_LENGTH).
CACHED_LENGTH = 4 * MAX_LENGTH
#: The most places tried for one missing closing bracket, when the amount decides where it goes.
MAX_PLACES = 20
_OPERATOR_CHARS = frozenset("*＊×xX✕✖·∙⋅/÷+＋-−－")


_set = object.__setattr__

# Note, Reading and Split are written out (:mod:`auditor.plain`: frozen, slotted, equal, hashed and printed
# as attrs.frozen made them), where attrs.frozen compiled their methods at every start-up (about 2 M
# instructions a class); tests/test_plain.py holds each to its attrs declaration.


class Note(Frozen):
    """What was assumed or chosen to read a formula: a reason in Korean and English, at a column.

    ``column`` is 1-based in the text that was split (the text given to :func:`split_item`).
    """

    __slots__ = ("column", "ko", "en", "__weakref__")
    column: int
    ko: str
    en: str

    def __init__(self, column: int, ko: str, en: str) -> None:
        _set(self, "column", column)
        _set(self, "ko", ko)
        _set(self, "en", en)


class Reading(Frozen):
    """One way to read an item's text: a formula (as read), where it was read from, its label and value.

    The formula is ``text[start:end]`` as written, with any closing bracket it lacks put where it
    was assumed (a note says so); the label is the text before it, with blanks and one separating
    dash removed and the closing brackets after the formula that close the label's own brackets.
    """

    __slots__ = ("formula", "start", "end", "label", "label_end", "value", "notes", "money", "__weakref__")
    formula: str
    start: int
    end: int
    label: str
    #: The end (exclusive) of the label's last character in the text: a closing bracket after the
    #: formula, or the end of the text before it.
    label_end: int
    #: The exact value in 원 (``int`` when whole), or ``None`` when it has none (a division by zero).
    value: int | Fraction | None
    notes: tuple[Note, ...]
    #: Whether the formula holds a money unit (one without is 원 by default: docs/grammar.md, *Values*).
    money: bool

    def __init__(self, formula: str, start: int, end: int, label: str, label_end: int,
                 value: int | Fraction | None, notes: tuple[Note, ...] = (), money: bool = True) -> None:
        _set(self, "formula", formula)
        _set(self, "start", start)
        _set(self, "end", end)
        _set(self, "label", label)
        _set(self, "label_end", label_end)
        _set(self, "value", value)
        _set(self, "notes", notes)
        _set(self, "money", money)


class Split(Frozen):
    """The label and formula of an item's text (:func:`split_item`), with what was assumed or chosen."""

    __slots__ = ("label", "label_start", "label_end", "reading", "notes", "alternatives", "__weakref__")
    label: str
    #: ``text[label_start:label_end]`` holds the label (and, when the formula sits inside it, the formula).
    label_start: int
    label_end: int
    #: The reading taken, or ``None`` when the text holds no formula.
    reading: Reading | None
    #: What was assumed (a closing bracket), chosen (a reading that matches the amount) or left (the
    #: other readings when none matches), in reading order.
    notes: tuple[Note, ...]
    #: The other readings of the text, with values other than the one taken (empty unless an amount
    #: was given and the most likely reading did not match it).
    alternatives: tuple[Reading, ...]

    def __init__(self, label: str, label_start: int, label_end: int, reading: Reading | None = None,
                 notes: tuple[Note, ...] = (), alternatives: tuple[Reading, ...] = ()) -> None:
        _set(self, "label", label)
        _set(self, "label_start", label_start)
        _set(self, "label_end", label_end)
        _set(self, "reading", reading)
        _set(self, "notes", notes)
        _set(self, "alternatives", alternatives)

    @property
    def formula(self) -> str | None:
        return self.reading.formula if self.reading else None

    @property
    def start(self) -> int | None:
        """0-based offset of the formula in the text (``None`` without one)."""
        return self.reading.start if self.reading else None

    @property
    def value(self) -> int | Fraction | None:
        return self.reading.value if self.reading else None


frozen(Note, Field("column"), Field("ko"), Field("en"))
frozen(Reading, Field("formula"), Field("start"), Field("end"), Field("label"), Field("label_end"), Field("value"),
       Field("notes", default=()), Field("money", default=True))
frozen(Split, Field("label"), Field("label_start"), Field("label_end"), Field("reading", default=None),
       Field("notes", default=()), Field("alternatives", default=()))


def split_rhs(text: str) -> tuple[str, str | None]:
    """``(left, right-hand side)``: cut a trailing ``= 4,800천원`` off *text* (``None`` if absent).

    The right-hand side is returned from its ``=`` on, ready for ``parse_amount``.
    Unicode blanks and full-width digits count as in the grammar (:func:`normalise`).
    """
    normal = normalise(text)
    start = _rhs_start(normal)
    if start is None:
        return text, None
    match = _RHS.search(normal, start)
    return text[:start], text[match.start("rhs"): match.end("rhs")]


def _rhs_start(normal: str) -> int | None:
    """Where the right-hand side of normalised *normal* begins, blanks before its ``=`` included."""
    match = _RHS.search(normal)
    if match is None:
        return None
    start = match.start()
    while start and normal[start - 1] in " \t":
        start -= 1
    return start


Amount = tuple[int | Decimal | Fraction, str]


def split_item(text: str, *, amount: Amount | None = None) -> Split:
    """The formula in a 산출근거 item's *text* and the label around it (docs/grammar.md, *The label rule*).

    The formula is found wherever it stands: after the label, in the last bracket, in a bracket
    nested in the label, after words inside a bracket, with stray or missing closing brackets at
    the end (a note says what was assumed). *amount* is the item's stated amount as written and its
    money unit (``(4800, "천원")``, as :func:`~auditor.formula.parse_amount` gives it): when the
    most likely reading does not match it and another one does, that one is taken, with a note;
    when none does, the most likely is kept and the others are notes. Without an amount, the most
    likely reading is taken. Cached per distinct text and amount, up to :data:`CACHED_LENGTH` characters.
    """
    if amount is not None:
        value, unit = amount
        amount = (value, unit) if unit in MONEY_UNITS and not isinstance(value, float) else None
    if len(text) > CACHED_LENGTH:  # a cell this long is rare: caching it would let junk fill memory
        return _split_item(text, amount)
    return _split_item_cached(text, amount)


def split_label(text: str, *, amount: Amount | None = None) -> tuple[str, str | None]:
    """``(label, formula)`` of :func:`split_item`; the formula is ``None`` when there is none."""
    found = split_item(text, amount=amount)
    return found.label, found.formula


class _Text:
    """An item's text as the split sees it: the text (right-hand side cut off), its normal form, bounds."""

    __slots__ = ("left", "normal", "lead", "end", "ends")

    def __init__(self, text: str) -> None:
        normal = normalise(text)
        rhs = _rhs_start(normal)
        self.left, self.normal = (text, normal) if rhs is None else (text[:rhs], normal[:rhs])
        self.end = len(self.left.rstrip())
        self.lead = len(self.normal) - len(self.normal.lstrip())
        self.ends = self._ends()

    def _ends(self) -> list[int]:
        """Where a formula may end: the end of the text, then before each closing bracket at its end."""
        ends, at = [self.end], self.end
        while len(ends) <= MAX_DEPTH and at > 0 and self.normal[at - 1] in CLOSE:
            at = len(self.normal[:at - 1].rstrip(" \t"))
            ends.append(at)
        return ends


def _closers(tail: str) -> str | None:
    """The closing brackets *tail* lacks at its end (``""`` when none); ``None`` when it closes a
    bracket it never opened (that text cannot parse, and nothing is assumed)."""
    stack: list[str] = []
    for char in tail:
        if char in OPEN:
            stack.append(CLOSE[OPEN.index(char)])
        elif char in CLOSE:
            if not stack or stack.pop() != char:
                return None
    return "".join(reversed(stack))


def _value(node: Node) -> int | Fraction | None:
    try:
        return exact_value(node)
    except FormulaEvaluationError:
        return None


def _won(value: int | Fraction | None) -> str:
    if value is None:
        return "값 없음"
    sign = "-" if value < 0 else ""
    exact = Fraction(abs(value))
    try:
        return f"{sign}{format_value(exact)}원"
    except ValueError:  # no finite decimal expansion (a division by 3 …): two decimals, marked as rounded
        return f"≈{sign}{format_value(Fraction(round(exact * 100), 100))}원"


def _won_en(value: int | Fraction | None) -> str:
    return "no value" if value is None else _won(value)


def _matches(value: int | Fraction | None, amount: Amount | None) -> bool:
    return value is not None and amount is not None and check_amount(value, *amount).ok


def _unclosed(normal: str) -> list[int]:
    """The indices of the opening brackets of *normal* that are never closed, outermost first
    (a closing bracket that matches none is passed over)."""
    stack: list[int] = []
    for i, char in enumerate(normal):
        if char in OPEN:
            stack.append(i)
        elif char in CLOSE and stack and CLOSE[OPEN.index(normal[stack[-1]])] == char:
            stack.pop()
    return stack


def _label(t: _Text, start: int, end: int) -> tuple[str, int, list[Note]]:
    """The label of a formula read from ``[start, end)``: the text before it (blanks and one
    separating dash removed), then the closing brackets after it that close the label's own
    brackets; the others are stray, and a note says so."""
    label = t.left[:start].rstrip()
    if label and label[-1] in SEPARATORS:
        label = label[:-1].rstrip()
    label_end = len(label)
    label = label.lstrip()
    if end == t.end:
        return label, label_end, []
    opened = [CLOSE[OPEN.index(t.normal[i])] for i in _unclosed(t.normal[:label_end])]
    notes = []
    for at in range(end, t.end):
        char = t.normal[at]
        if char not in CLOSE:
            continue
        if opened and opened[-1] == char:
            opened.pop()
            label += t.left[at]
            label_end = at + 1
        else:
            notes.append(Note(at + 1, f"짝이 없는 닫는 괄호 '{char}'는 산출식에도 내역에도 넣지 않았습니다",
                              f"the unmatched closing bracket '{char}' was left out of the formula and the label"))
    return label, label_end, notes


def _reading(t: _Text, start: int, end: int, formula: str, node: Node, assumed: list[Note]) -> Reading:
    label, label_end, notes = _label(t, start, end)
    return Reading(formula, start, end, label, label_end, _value(node), tuple(assumed + notes), _facts(node)[0])


def _closed(t: _Text, start: int, end: int, closers: str) -> tuple[str, list[Note]]:
    """The formula text of ``[start, end)`` with the closing brackets it lacks at its end (the most
    likely place, and the documented one), and a note for each bracket so closed."""
    tail = t.left[start:end]
    if not closers:
        return tail, []
    notes = [Note(start + i + 1, f"여는 괄호 '{tail[i]}'의 짝이 없어 산출식 끝에서 닫은 것으로 보았습니다",
                  f"the bracket '{tail[i]}' is not closed: it was taken as closed at the end of the formula")
             for i in _unclosed(t.normal[start:end])]
    return tail + closers, notes


def _places(t: _Text, start: int, end: int, closers: str) -> Iterator[tuple[str, list[Note]]]:
    """The other places of one missing closing bracket: before each operator after the bracket that
    is not closed (``(300,000원+50,000원*6회`` may be ``(300,000원+50,000원)*6회``)."""
    if len(closers) != 1:
        return
    normal, tail = t.normal[start:end], t.left[start:end]
    unclosed = _unclosed(normal)[0]
    operators = [i for i in range(unclosed + 1, len(normal)) if normal[i] in _OPERATOR_CHARS]
    for i in operators[:MAX_PLACES]:
        at = len(normal[:i].rstrip(" \t"))
        yield tail[:at] + closers + tail[at:], [Note(
            start + at + 1, f"여는 괄호 '{tail[unclosed]}'의 짝이 없어 이 자리에서 닫은 것으로 보았습니다",
            f"the bracket '{tail[unclosed]}' is not closed: it was taken as closed here")]


def _qualifies(node: Node, start: int, t: _Text, amount: Amount | None) -> tuple[bool, bool, bool]:
    """``(is a formula, holds money, adds money to a count)``: a formula holds money, or is the whole
    text with an operator or a sign, or (with an amount) has an operator and a value that matches a
    stated amount other than 0."""
    money, _, operated, mixed = _facts(node)
    if money:
        return True, True, mixed
    if start <= t.lead and operated:
        return True, False, mixed
    if operated and amount is not None and amount[0] != 0 and _matches(_value(node), amount):
        return True, False, mixed
    return False, False, mixed


def _readings(t: _Text, amount: Amount | None) -> Iterator[Reading]:
    """The readings of *t*, most likely first (docs/grammar.md, rules 3–5), then the other admissible
    ones: those that do not continue a longer formula to their left.

    Starts are tried left to right (the longest tail first), and for each the ends from the end
    of the text back over its closing brackets.
    """
    failed = first = False
    for start in _reached(t, lambda s: s <= t.lead, wide=amount is not None):
        for end in t.ends:
            if end <= start:
                continue
            closers = _closers(t.normal[start:end])
            if closers is None or end - start + len(closers) > MAX_LENGTH:
                failed = True  # a bracket closed that it never opened, or too long: it cannot parse
                continue
            if not may_parse(t.normal[start:end] + closers):
                failed = True  # not operands joined by operators: it cannot parse
                continue
            formula, assumed = _closed(t, start, end, closers)
            try:
                node = parse_formula(formula)
            except FormulaSyntaxError:
                failed = True
                continue
            qualifies, has_money, mixed = _qualifies(node, start, t, amount)
            if not qualifies:
                continue
            continued = _continued(t.normal, start)
            if not first and failed and continued:
                return  # the end of a longer formula that does not parse: no formula at all
            if has_money and mixed:
                # ``운영비(2회) - 3,000원*2회``: the count belongs to the label, the dash separates; but a
                # shorter tail after an operator (``5,000원 -0명+0원``) is the end of this one
                failed = True
                continue
            if not first:
                first = True
                yield _reading(t, start, end, formula, node, assumed)
                yield from (_reading(t, start, end, text, parse_formula(text), notes)
                            for text, notes in _places(t, start, end, closers) if _parses(text))
            elif not continued:
                yield _reading(t, start, end, formula, node, assumed)


def _continued(normal: str, start: int) -> bool:
    """The text before *start* ends as a formula that goes on to its left would (rule 5)."""
    if _CONTINUED.search(normal, 0, start) or _CONTINUED_NAMED.search(normal, 0, start):
        return True
    return _NUMBER_AT.match(normal, start) is not None and _BRACKET_NAMED.search(normal, 0, start) is not None


def _parses(text: str) -> bool:
    try:
        parse_formula(text)
    except FormulaSyntaxError:
        return False
    return True


def _split_item(text: str, amount: Amount | None) -> Split:
    t = _Text(text)
    readings = _readings(t, amount)
    most_likely = next(readings, None)
    if most_likely is None:
        return Split(t.left.strip(), t.lead, t.end)
    if amount is None or _matches(most_likely.value, amount):
        return _taken(t, most_likely, most_likely, ())
    others = []
    for other in readings:
        if other.value != most_likely.value and all(other.value != o.value for o in others):
            if _matches(other.value, amount):
                return _taken(t, other, most_likely, ())
            others.append(other)
    return _taken(t, most_likely, most_likely, tuple(others))


def _taken(t: _Text, reading: Reading, most_likely: Reading, others: tuple[Reading, ...]) -> Split:
    """The split of *reading*, with notes on why it was taken over *most_likely*, or on the *others*."""
    notes = list(reading.notes)
    if reading is not most_likely:
        notes.append(Note(
            reading.start + 1,
            f"산출식을 '{reading.formula}'" + attach(f"'{reading.formula}'", "(으)로 읽었습니다: 금액과 맞는 읽기입니다 ")
            + f"(가장 그럴듯한 읽기 '{most_likely.formula}'의 결과는 {_won(most_likely.value)})",
            f"read the formula as '{reading.formula}', the reading that matches the amount (the most likely "
            f"reading, '{most_likely.formula}', gives {_won_en(most_likely.value)})"))
    elif not reading.money and reading.start > t.lead:
        notes.append(Note(
            reading.start + 1, f"산출식 '{reading.formula}'에는 금액 단위가 없지만 결과가 금액과 맞아 원으로 읽었습니다",
            f"the formula '{reading.formula}' has no money unit, but its value matches the amount: read in 원"))
    if others:
        listed = ", ".join(f"'{o.formula}' = {_won(o.value)}" for o in others)
        notes.append(Note(
            reading.start + 1,
            f"금액과 맞는 읽기가 없어 가장 그럴듯한 읽기 '{reading.formula}'" + attach(f"'{reading.formula}'", "을(를) 택했습니다")
            + f"; 다른 읽기: {listed}",
            f"no reading matches the amount: the most likely one, '{reading.formula}', was taken; "
            f"other readings: {listed}"))
    label_start = t.lead if reading.label else reading.start
    return Split(reading.label, label_start, reading.label_end if reading.label else reading.start,
                 reading, tuple(notes), others)


_split_item_cached = functools.lru_cache(maxsize=CACHE_SIZE)(_split_item)
split_item.cache_info = _split_item_cached.cache_info  # type: ignore[attr-defined]
split_item.cache_clear = _split_item_cached.cache_clear  # type: ignore[attr-defined]
split_label.cache_info = _split_item_cached.cache_info  # type: ignore[attr-defined]
split_label.cache_clear = _split_item_cached.cache_clear  # type: ignore[attr-defined]


def adds_money_to_a_count(node: Node) -> bool:
    """A sum or difference, anywhere in the tree, of which one term holds money and another is a
    count: a number with a count unit and no money in it (``2회 - 3,000원*2회``,
    ``5,000원*(3명 - 2,000원)``; a bare ``3,000`` may be 원 left unwritten).

    Money plus a count means nothing; such a tail reaches into the label, and a shorter one is
    the formula.
    """
    return _facts(node)[3]


def _facts(node: Node) -> tuple[bool, bool, bool, bool]:
    """``(holds money, holds a count, holds an operator or sign, adds money to a count)``, in one walk."""
    if isinstance(node, Number):
        return node.is_money, node.unit not in ("", "%"), False, False
    if isinstance(node, Tagged):
        return _facts(node.expr)
    if isinstance(node, Neg):
        money, count, _, mixed = _facts(node.operand)
        return money, count, True, mixed
    if node.op in "*/":
        left, right = _facts(node.left), _facts(node.right)
        return left[0] or right[0], left[1] or right[1], True, left[3] or right[3]
    terms: list[Node] = []  # the terms of this sum, through its signs

    def collect(n: Node) -> None:
        if isinstance(n, BinOp) and n.op in "+-":
            collect(n.left)
            collect(n.right)
        elif isinstance(n, Neg):
            collect(n.operand)
        else:
            terms.append(n)

    collect(node)
    facts = [_facts(term) for term in terms]
    money = any(f[0] for f in facts)
    counted = any(f[1] and not f[0] for f in facts)  # a term with a count and no money
    return money, any(f[1] for f in facts), True, money and counted or any(f[3] for f in facts)


def _starts(normal: str) -> list[int]:
    return [m.start() for m in _START.finditer(normal)
            if not m["glued"] or normal[:m.start() - len(_DIGITS_BEFORE.search(normal, 0, m.start())[0])][-1:].isalpha()]


def is_start(normal: str, at: int) -> bool:
    """``at in _starts(normal)``, without scanning the rest of the text: every match of ``_START`` is one
    character long but 경정/기정, whose second character starts none, so the places ``finditer`` finds
    are those where ``match`` (whose lookbehinds see the text before ``at``) matches."""
    m = _START.match(normal, at)
    return m is not None and (
        not m["glued"] or normal[:at - len(_DIGITS_BEFORE.search(normal, 0, at)[0])][-1:].isalpha())


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


def _reached(t: _Text, whole, wide: bool = False) -> list[int]:
    """The starts a scan from the left tries: up to the first one that is not ``whole`` (the tail is
    the whole text) and has no figure with a money word after it, for then no later one has either;
    all of them when *wide* (an amount may make a tail without money the formula)."""
    starts = _starts(t.normal)
    if wide:
        return starts
    last = _last_money_figure(t.normal)
    return [start for start in starts if whole(start) or start <= last]


def formula_attempt(text: str) -> tuple[int, FormulaError] | None:
    """``(0-based start, error)`` of what looks like a formula in *text* but cannot be used.

    *text* is a formula, or a label in which no formula was found. A formula that parses
    but has no value (a division by zero) gives ``(0, FormulaEvaluationError)`` with
    *text* and the column of the operator. Otherwise, what looks like a formula is a tail
    that starts where a formula may start and holds a figure with a money word
    (``5천만원``, ``50,000원정``), or the whole text when it starts with a digit and holds
    an operator, or when it is operands joined by operators (:func:`~auditor.formula.grammar.may_parse`)
    with an operator or a sign: whatever the split would take if it parsed, however deep its
    brackets or long its numbers. Each tail is read as the split reads it (closing brackets at
    its end left out, missing ones assumed). Of those that do not parse, longest first up to the
    first that parses, the one whose error lies furthest right is taken (the others stop early at
    label words). ``None`` when *text* parses and evaluates, or nothing in it looks like a formula.
    Cached per distinct text.
    """
    if len(text) > CACHED_LENGTH:  # as for split_label: junk must not fill the cache
        return _formula_attempt(text)
    return _formula_attempt_cached(text)


def _whole_formula(t: _Text) -> bool:
    """The whole text looks like a formula: it starts with a digit and holds an operator, or it is
    operands joined by operators, with an operator or a sign (``((…(5000*2)…))`` however deep)."""
    whole = t.normal[t.lead:t.end]
    if not whole or _WHOLE_OPERATOR.search(whole) is None and not any(c in whole for c in "-−－△▲Δ∆"):
        return False
    if "0" <= whole[0] <= "9" and _WHOLE_OPERATOR.search(whole):  # an ASCII digit (normalised): ① is none
        return True
    closers = _closers(whole)
    return is_start(t.normal, t.lead) and may_parse(whole + (closers or ""))


def _formula_attempt(text: str) -> tuple[int, FormulaError] | None:
    t = _Text(text)
    if is_start(t.normal, t.lead) and t.end - t.lead <= MAX_LENGTH and may_parse(t.normal):
        try:  # the text is a formula (a formula cell, or what the split took)
            node = parse_formula(text)
        except FormulaSyntaxError:
            pass
        else:
            if adds_money_to_a_count(node):
                return 0, _meaningless(text, node)
            try:
                exact_value(node)
            except FormulaEvaluationError as err:
                return 0, FormulaEvaluationError(text, err.column, err.reason, err.reason_en)
            return None
    if _whole_formula(t):  # a formula cell: its own error, at the first character that stopped it
        try:
            parse_formula(text)
        except FormulaSyntaxError as err:
            return 0, err
    reached = _reached(t, lambda s: False)
    # A tail longer than MAX_LENGTH fails at column MAX_LENGTH + 1: of those, the first (the formula
    # that is too long, rather than a piece of it) is tried.
    first_long = min((s for s in reached if t.end - s > MAX_LENGTH), default=None)
    best: tuple[int, FormulaError] | None = None
    for start in reached:
        if t.end - start > MAX_LENGTH and start != first_long:
            continue
        found = _tail_error(t, start)
        if isinstance(found, FormulaError):
            if best is None or start + found.column > best[0] + best[1].column:
                best = (start, found)
            if found.reason_en.startswith("brackets nested too deeply"):
                break  # a shorter tail starts inside the formula that is too deep: a piece of it
            continue
        if best is None and found is not None and adds_money_to_a_count(found[1]):  # parses, means nothing
            return start, _meaningless(*found)
        break  # a shorter tail is a piece of this one: its errors would be the cut's
    return best


def _meaningless(formula: str, node: Node) -> FormulaEvaluationError:
    """The error of a formula that adds money to a count (:func:`adds_money_to_a_count`)."""
    column = node.column if isinstance(node, BinOp) else 1
    return FormulaEvaluationError(formula, column, "금액에 수량(단위가 있는 수)을 더하거나 뺄 수 없습니다",
                                  "money and a count (a number with a unit) cannot be added or subtracted")


def _tail_error(t: _Text, start: int) -> FormulaError | tuple[str, Node] | None:
    """The tail at *start* as the split reads it: ``(formula, tree)`` at the first end where it parses;
    else the error at the last end (closing brackets at the end of the text left out, as the split
    leaves them out; missing ones assumed), its column in the tail."""
    error = None
    for end in t.ends:
        if end <= start:
            continue
        closers = _closers(t.normal[start:end])
        try:
            return t.left[start:end], parse_formula(t.left[start:end] + (closers or ""))
        except FormulaSyntaxError as err:
            error = err
    return error


_formula_attempt_cached = functools.lru_cache(maxsize=CACHE_SIZE)(_formula_attempt)
formula_attempt.cache_info = _formula_attempt_cached.cache_info  # type: ignore[attr-defined]
formula_attempt.cache_clear = _formula_attempt_cached.cache_clear  # type: ignore[attr-defined]


@on_change
def _cache_clear() -> None:
    _split_item_cached.cache_clear()
    _formula_attempt_cached.cache_clear()
