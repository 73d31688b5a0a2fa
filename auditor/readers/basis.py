"""Read the 산출근거 table into 통계목 → ○ groups → - items, tolerating empty and shifted cells.

Each row is read once: its cells split once, its amount read once, and its description split into
label and formula with the formula's value worked out in the same pass
(:func:`auditor.readers.description.read_description`; the formula package's reference functions
for the shapes that does not read). The result goes on the model as ``calc``, so that no rule
parses the formula again; sources are kept as data until read (``auditor.source.lazy_source``).
"""

from __future__ import annotations

import re

from auditor import recache
from auditor.formula import FormulaError, check_amount, formula_attempt, parse_formula, split_item
from auditor.formula.split import SEPARATORS, _continued
from auditor.formula.tokens import FULL_WIDTH, tokens
from auditor.formula.units import on_change
from auditor.formula.nodes import exact_value
from auditor.lazyre import lazy
from auditor.model import MAKERS, NO_FORMULA, Basis, BasisCategory, BasisGroup, BasisItem, FormulaResult, Text
from auditor.readers import problems as P
from auditor.readers.context import Context
from auditor.readers.description import FLAT_GROUPS, flat_operands, flat_value, formula_value, read_description
from auditor.readers import values as V
from auditor.readers.layout import TABLE_KEYS, Cell, blanks, squash
from auditor.readers.numbers import MAX_DIGITS, read_number
from auditor.source import MONEY_UNITS, Source, Year, draft, new_amount

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_GROUP = lazy(r"^[○◯]\s*")
_ITEM = recache.compile(r"^-\s*(?=\S)")
#: A trailing ``= amount`` inside the description cell: ``○ 홍보 10,000원*2회 = 20천원``.
_INLINE_AMOUNT = recache.compile(r"\s=\s*(?P<amount>[^=]*?)\s*$")
_YEAR = recache.compile(r"(\d{4})\s*년\s*예산내역")
#: A 산출근거 row of the common layouts, whole (``\s`` is what ``str.strip`` strips, ``[^\S\t]`` a blank
#: inside a cell): blanks and empty cells; perhaps a 통계목 cell (no marker, ``※`` or ``=`` first); blanks
#: and empty cells; the description cell, starting with ○/◯ or with a dash and more (a bare signed
#: number is no item: :meth:`BasisReader.fast_row` tells); then either nothing but blanks, or a tab, blanks and empty cells,
#: perhaps an ``=`` (with blanks or empty cells after it), and one amount cell, which no ``=`` starts,
#: and blanks. The cells are those :func:`auditor.readers.layout.content_cells` splits, and what
#: :meth:`BasisReader.row` reads of them is read of these groups.
_ROW = recache.compile(
    r"\s*(?:(?P<category>[^\s○◯\-※=](?:[^\t]*\S)?)[^\S\t]*\t\s*)?"
    r"(?P<desc>[○◯](?:[^\t]*\S)?|-[^\t]*\S)"
    r"(?:[^\S\t]*\t\s*(?:=\s*)?(?P<amount>[^\s=](?:[^\t]*\S)?))?\s*")
_new_cell = tuple.__new__
#: A 산출근거 row of :data:`_ROW`'s layout whose description :func:`read_description` reads at once and
#: whose amount is a plain figure (:func:`auditor.readers.numbers.read_number`'s first pattern): after the
#: marker and its blanks, a label of words (no character where a formula may start, no ``=``, no blank
#: but a space or one ``blanks`` reads as a space, nothing that normalising would change; digits only
#: after a letter or digit, where no formula starts, or as a figure with a word after it and another
#: word after blanks, ``1차 회의``, perhaps before a middle dot and such a figure, ``2·3분기 점검``, where the
#: formula the split tries cannot parse; brackets around such words, ``자문료(외부위원)``, which the
#: split tries and passes, so that a formula after them asks rule 5 as after a figure), perhaps a dash
#: and blanks before the formula, then either the formula (from a digit or an opening bracket after no
#: letter, digit, ',' or '.', to the end of the description: :func:`~auditor.readers.description.formula_value`
#: judges it) or nothing; then the amount: in the description after blanks and an ``=`` (``_INLINE_AMOUNT``'s,
#: the only ``=`` of the cell, with nothing after it in the row), or in its own cell (perhaps after
#: ``=``): digits, commas between thousands, and perhaps a unit. Each group is the text of
#: :data:`_ROW`'s group of the same name, which matches every line this matches;
#: :meth:`BasisReader.fast_row` reads such a row in one pass (:meth:`BasisReader._common`). A description
#: of any other text (``other``: no ``=`` in it, the same amount) is read by :meth:`BasisReader._entry`.
#: What ``\s`` matches (``str.isspace``), spelt out: a class that holds a category (``[^\s…]``) is tried
#: member by member, one of characters alone is looked up in a table.
SPACE = "\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
#: Words of a label (:data:`_COMMON_TEXT`): no character where a formula may start, no ``=``, bracket or blank
#: but a space, nothing that normalising or ``blanks`` would change (:data:`_LETTERS`); digits only after
#: a letter or digit.
_LETTERS = rf"[^{SPACE}0-9()\[\]△▲Δ∆\-−－=경기{FULL_WIDTH}]++|[ \xa0\u2009\u3000]++|경(?!정)|기(?!정)"
_WORDS = rf"{_LETTERS}|(?<=\w)[0-9]++"
#: Inside a label's brackets: words, and figures with a word after them and another after blanks
#: (``(15인 이하 사업장)``), where the formula the split tries cannot parse.
_BRACKETED = rf"{_WORDS}|[0-9]++(?=[가-힣]++ ++[가-힣])"
_COMMON_TEXT = (
    rf"\s*(?:(?P<category>[^{SPACE}○◯\-※=](?:[^\t]*\S|))[^\S\t]*\t\s*|)"
    r"(?P<desc>[○◯-] *(?P<body>(?=\S)"
    rf"(?P<label>(?:{_LETTERS}|(?P<passed>(?<=\w)[0-9]++|[0-9]++(?=(?:[·∙⋅][0-9]++)?[가-힣]++ ++[가-힣])"
    rf"|\((?=[^\s)])(?:{_BRACKETED})*\)|\[(?=[^\s\]])(?:{_BRACKETED})*\]))*(?:[-−－] +|))"
    r"(?:(?<![\w,.])(?P<formula>(?P<flat>{flat})|[0-9(\[](?:[^\t=]*\S|))|(?<![ \xa0\u2009\u3000]))|(?=\S)(?P<other>[^\t=]*\S))"
    r"(?: +=[^\S\t]*(?P<inline>(?P<inline_digits>\d{{1,3}}(?:,\d{{3}})++|\d+)(?:[^\S\t]*(?P<inline_unit>백만원|억원|천원|원|%)|))|))"
    r"(?(inline)|[^\S\t]*\t\s*(?:=\s*|)"
    r"(?P<amount>(?P<digits>\d{{1,3}}(?:,\d{{3}})++|\d+)(?:[^\S\t]*(?P<unit>백만원|억원|천원|원|%)|)))\s*"
)
#: :data:`_COMMON_TEXT`'s ``fullmatch`` per unit list (``tokens()``).
_COMMONS: dict = {}
#: Where the groups of :func:`~auditor.readers.description.flat_operands` start in ``match.groups()`` (the
#: groups before them and the seven after them are the same for every unit list).
_FLAT_AT = 7


def _common(t) -> Any:
    """:data:`_COMMONS`' entry for the tokens ``t``, made once."""
    pattern = recache.compile(_COMMON_TEXT.format(flat=flat_operands(t)))
    index = pattern.groupindex
    assert (index["passed"], index["flat"], index["d1"], index["other"], pattern.groups) == (
        5, _FLAT_AT, _FLAT_AT + 1, _FLAT_AT + FLAT_GROUPS + 1, _FLAT_AT + FLAT_GROUPS + 7), index
    _COMMONS[t] = common = pattern.fullmatch
    return common


#: :data:`_COMMONS`' entry for the units in use (``tokens()``), once asked; forgotten when they change.
_NOW: list = []
on_change(_NOW.clear)


def _common_now() -> Any:
    t = tokens()
    _NOW.append(_COMMONS.get(t) or _common(t))
    return _NOW[0]
_new_calc = tuple.__new__
_DIGIT = recache.compile(r"[0-9]")
#: The first characters of :data:`~auditor.readers.layout.TABLE_KEYS` (a cell starts with no blank).
_KEY_FIRST = frozenset(key[0] for key in TABLE_KEYS)
_new_category = MAKERS[BasisCategory]
_new_object, _ItemDraft, _GroupDraft = object.__new__, draft(BasisItem), draft(BasisGroup)


def header_year(ctx: Context, no: int, row: list[Cell]) -> Year | None:
    """``2020년 예산내역`` → Year 2020, its source at the four digits."""
    for cell in row:
        m = _YEAR.search(cell.text)
        if m:
            return Year(int(m[1]), ctx.source(no, cell.column + m.start(1), m[1]))
    return None


def _marker(text: str) -> re.Match | None:
    """The ○ or - marker that starts a (non-empty) description; a bare signed number (``-5,000``) is not an item."""
    first = text[0]
    if first == "○" or first == "◯":
        return _GROUP.match(text)
    if first != "-":
        return None
    if text[1:].lstrip()[:1].isdecimal() and read_number(text) is not None:  # only a digit may follow a sign
        return None
    return _ITEM.match(text)


def calc_of(label: str, formula: str | None) -> FormulaResult:
    """The reference ``calc`` of a line whose description ``split_label`` split into ``label`` and ``formula``:
    the formula's exact value (``exact_value`` of ``parse_formula``, None when it has none) and
    ``formula_attempt`` of the formula, or of the label when there is no formula."""
    if formula is None:
        attempt = formula_attempt(label)
        return NO_FORMULA if attempt is None else FormulaResult(None, attempt)
    try:
        value = exact_value(parse_formula(formula))
    except FormulaError:
        return FormulaResult(None, formula_attempt(formula))
    return FormulaResult(value, None)  # it parses and has a value: formula_attempt gives None


def _calc(split: Any) -> FormulaResult:
    """``calc`` of a line read by :func:`auditor.formula.split_item`: the reading's value (None when there is
    no formula or it has no value) and ``formula_attempt`` of the formula, or of the label without one."""
    formula = split.formula
    value = split.value
    if formula is None:
        attempt = formula_attempt(split.label)
        return NO_FORMULA if attempt is None else FormulaResult(None, attempt)
    if value is None:
        return FormulaResult(None, formula_attempt(formula))
    return FormulaResult(value, None)


def _confirmed(calc: FormulaResult, money: tuple[Any, str]) -> bool:
    """The formula's value is the stated amount under one of the rounding conventions (as the split's choice):
    ``check_amount(value, *money).ok``, which for a whole stated figure is the stated 원 within one unit
    of its last digit (``abs(stated - computed) < scale``, exact for an int or Fraction value), worked
    out here without making the AmountCheck."""
    value = calc.value
    if value is None:
        return False
    stated, unit = money
    if type(stated) is int:  # check_amount's arithmetic for a whole figure: its scale is the unit's
        scale = MONEY_UNITS[unit]
        return abs(stated * scale - value) < scale
    return check_amount(value, stated, unit).ok


class _Category:
    __slots__ = ("name", "source", "groups")

    def __init__(self, name: Text | None, source: Any) -> None:
        self.name, self.source, self.groups = name, source, []


class BasisReader:
    """Collects 산출근거 rows, one line at a time, into the Basis tree."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.path = ctx.path
        self.year: Year | None = None
        self.source: Source | None = None
        self.categories: list[_Category] = []

    def header(self, no: int, line: str, row: list[Cell]) -> None:
        self.year = header_year(self.ctx, no, row) or self.year
        self.source = self.source or self.ctx.source(no, row[0].column if row else 1, line.strip())

    def row(self, no: int, line: str, row: list[Cell]) -> None:
        """One 산출근거 row; ``row`` is the line's cells, empty ones at either end left out."""
        ctx, path = self.ctx, self.path
        filled = [c for c in row if c[0]]
        desc_at = 0
        for text, column in filled:
            marker = _marker(text)
            if marker is not None:
                break
            desc_at += 1
        else:
            first = filled[0]
            if len(filled) == 1 and not first.text.startswith("="):
                self.categories.append(_Category((first.text, path, no, first.column, first.text),
                                                 (path, no, first.column, "")))
            else:
                ctx.report(P.NOT_PLACED, no, first.column, line.strip(),
                           why="산출근거 줄에 ○/- 내역이 없습니다", why_en="no ○/- description in a 산출근거 row")
            return
        after = filled[desc_at + 1:]
        if desc_at:
            first = filled[0]
            self.categories.append(_Category((first.text, path, no, first.column, first.text),
                                             (path, no, first.column, "")))
            if desc_at > 1:
                ctx.extra_cells(no, filled[:desc_at], 1, "basis")
        plain = blanks(text)  # same length as text: offsets below hold in both
        inline = _INLINE_AMOUNT.search(plain) if "=" in plain else None
        if inline is not None and read_number(inline["amount"]) is not None:
            at = inline.start("amount")
            amount = V.amount(ctx, no, Cell(text[at:inline.end("amount")], column + at), ctx.money_unit, "basis", "금액")
            if after:
                ctx.extra_cells(no, after, 0, "basis")
            end = inline.start()
        else:
            cell = after[0] if after else None
            if cell is not None and (len(after) > 1 or cell[0][0] == "="):  # else the amount alone in its cell
                cell = self._amount_cell(no, after)
            amount = V.amount(ctx, no, cell, ctx.money_unit, "basis", "금액", len(line.rstrip()) + 1)
            end = len(plain)
        self._entry(no, line, text, column, plain, marker.end(), end, amount)

    def fast_row(self, no: int, line: str) -> bool:
        """Read ``line`` as :meth:`row` reads its cells, when it is a row of the common layouts (:data:`_ROW`:
        perhaps a 통계목 cell, then the ○/- description, then perhaps its amount, after an ``=`` or
        not), and say so; False, having read nothing, for any other line (the caller then
        classifies it and hands it to :meth:`row`). The caller has made sure the line is no
        separator or unit note; a table header's first cell in the 통계목 place is left to it too.
        """
        m = (_NOW[0] if _NOW else _common_now())(line)
        if m is not None and self._common(no, line, m):
            return True
        m = _ROW.fullmatch(line)
        if m is None:
            return False
        category, text, figure = m.group("category", "desc", "amount")
        if text[0] == "-" and text[1:].lstrip()[:1].isdecimal() and _marker(text) is None:
            return False  # a signed number: no item
        if category is not None and category[0] in _KEY_FIRST and squash(category) in TABLE_KEYS:
            return False  # perhaps a table header: the reader's to classify
        plain = blanks(text)
        ctx, path = self.ctx, self.path
        inline = _INLINE_AMOUNT.search(plain) if "=" in plain else None
        if inline is not None and read_number(inline["amount"]) is None:
            inline = None
        if inline is not None and figure is not None:
            return False  # cells past an amount inside the description: PARSE006, the row's to report
        if category is not None:
            at = m.start("category") + 1
            self.categories.append(_Category((category, path, no, at, category), (path, no, at, "")))
        column = m.start("desc") + 1
        if inline is not None:
            at = inline.start("amount")
            amount = V.amount(ctx, no, Cell(text[at:inline.end("amount")], column + at), ctx.money_unit, "basis", "금액")
            end = inline.start()
        else:
            found = None if figure is None else read_number(figure)
            if found is not None:  # V.amount's own fast way, without the Cell
                amount = new_amount(found[0], found[1] or ctx.money_unit, (path, no, m.start("amount") + 1, figure))
            else:
                cell = None if figure is None else _new_cell(Cell, (figure, m.start("amount") + 1))
                amount = V.amount(ctx, no, cell, ctx.money_unit, "basis", "금액", len(line.rstrip()) + 1)
            end = len(plain)
        self._entry(no, line, text, column, plain, len(text) - len(text[1:].lstrip()), end, amount)
        return True

    def _common(self, no: int, line: str, m: re.Match) -> bool:
        """Read the row ``m`` of :data:`_COMMON` matched as :meth:`fast_row`'s reading of :data:`_ROW`'s match
        and :meth:`_entry` would read it, and say so; False, having read nothing, for a signed number,
        a table header's first cell or a figure too long (the caller reads the line otherwise).

        In one pass when :func:`read_description` would read its description at once (words, or a label
        and a formula of plain operands, flat or with brackets:
        :func:`~auditor.readers.description.formula_value`) and the reader would take that reading (no
        money amount, or one that confirms the formula): the label is the formula's ``_taken`` label (or
        the words), at the description's start; the formula runs to the description's end; the amount
        is made as ``V.amount``'s fast way makes it. Any other description (notes after operands, a
        label the split reads otherwise, an amount that does not confirm the formula) is read by
        :meth:`_entry`, as the row pattern's way reads it, with the amount read here."""
        groups = m.groups()
        category, text, body, label, passed, formula, flat = groups[:_FLAT_AT]
        _, inline, inline_digits, inline_unit, figure, digits, unit = groups[-7:]
        if text[0] == "-" and text[1:].lstrip()[:1].isdecimal() and _marker(text) is None:
            return False  # a signed number: no item
        if category is not None and category[0] in _KEY_FIRST and squash(category) in TABLE_KEYS:
            return False  # perhaps a table header: the reader's to classify
        if inline is None:
            figure_at = m.start(_FLAT_AT + FLAT_GROUPS + 5)  # the amount's
        else:
            digits, unit, figure, figure_at = inline_digits, inline_unit, inline, m.start(_FLAT_AT + FLAT_GROUPS + 2)
        if "," in digits:
            digits = digits.replace(",", "")
        if len(digits) > MAX_DIGITS + 1:
            return False
        stated = int(digits)
        unit = unit or self.ctx.money_unit
        taken = label is not None  # else any other description (m["other"]): _entry's
        raw = label
        if taken and ("\u3000" in label or "\xa0" in label or "\u2009" in label):
            label = blanks(label)  # as _entry reads it (no other character of the label normalises)
        # passed: a digit or bracket in the label, perhaps a place the split tries and passes (read_description's loop)
        if not taken:
            pass  # read by _entry below
        elif formula is None:
            formula_text = None
            if passed is None or _DIGIT.search(label) is None:  # no digit: read_description's words
                calc = NO_FORMULA
            else:  # every place passed: the label's attempt, as read_description's loop ends
                attempt = formula_attempt(label)
                calc = NO_FORMULA if attempt is None else _new_calc(FormulaResult, (None, attempt))
        else:
            value = formula_value(formula) if flat is None else flat_value(groups, _FLAT_AT, formula)
            scale = MONEY_UNITS.get(unit)
            # not read at once; perhaps the end of a longer formula, which the split reads as none; or
            # not confirmed (the split chooses with the amount): _entry's
            taken = value is not None and not (
                passed is not None and _continued(body if raw is label else label + formula, len(label))) and (
                scale is None or abs(stated * scale - value) < scale)
            if taken:
                calc = _new_calc(FormulaResult, (value, None))
                label = label.rstrip()
                if label and label[-1] in SEPARATORS:
                    label = label[:-1].rstrip()
        ctx, path = self.ctx, self.path
        if category is not None:
            at = m.start(1) + 1
            self.categories.append(_Category((category, path, no, at, category), (path, no, at, "")))
        column = m.start(2) + 1  # the description's
        amount = new_amount(stated, unit, (path, no, figure_at + 1, figure))
        if not taken:  # _ROW's reading: the description up to the blank before any inline ``=``
            self._entry(no, line, text, column, blanks(text), m.start(3) + 1 - column,
                        len(text) if inline is None else text.rindex("=") - 1, amount)
            return True
        at = m.start(3) + 1  # the body's: the label, then the formula to its end
        label_text = (label, path, no, at, raw if len(raw) == len(label) else raw[:len(label)])
        if formula is not None:
            at += len(raw)
            # read as _entry reads it (a flat formula's blanks are spaces)
            formula_text = (formula if flat is not None else blanks(formula), path, no, at, formula)
        self._place(no, line, text, column, label_text, formula_text, amount, calc)
        return True

    def _entry(self, no: int, line: str, text: str, column: int, plain: str, lead: int, end: int,
               amount: Any) -> None:
        """The ○ group or - item of a row whose description cell ``text`` (``plain``: its blanks read as
        spaces) is at ``column``, its marker and blanks ``lead`` characters long, its description
        ending at ``end`` (before any ``= amount`` inside it), its amount read."""
        ctx, path = self.ctx, self.path
        body = plain[lead:end]
        at = column + lead
        # The stated amount lets the split choose between readings of the text (docs/grammar.md). The
        # one-pass reader takes the common shapes when what it reads cannot be chosen otherwise: no
        # formula (every place where one may start failed to parse, so no amount finds one), a formula
        # whose value the amount confirms, or any reading when there is no money amount.
        money = (amount.value, amount.unit) if amount is not None and amount.is_money else None
        found = read_description(body)
        if found is not None and (money is None or found[1] is None or _confirmed(found[2], money)):
            label, formula, calc = found
            start = body.find(label) if label else 0
            if start < 0:
                start = 0
            label_text = (label, path, no, at + start, text[lead + start:lead + start + len(label)])
            if formula is None:
                formula_text = None
            else:
                start = body.rfind(formula)
                formula_text = (formula, path, no, at + start, text[lead + start:lead + start + len(formula)])
        else:
            split = split_item(body, amount=money)
            label, formula = split.label, split.formula
            label_text = (label, path, no, at + split.label_start, text[lead + split.label_start:lead + split.label_end])
            formula_text = None
            if split.reading is not None:
                formula_text = (formula, path, no, at + split.start, text[lead + split.start:lead + split.reading.end])
            calc = _calc(split)
            for note in split.notes:  # what the split assumed or chose: shown by auditor parse and check
                ctx.report(P.FORMULA_READING, no, at + note.column - 1,
                           formula_text[4] if formula_text is not None else text, why=note.ko, why_en=note.en)
        self._place(no, line, text, column, label_text, formula_text, amount, calc)

    def _place(self, no: int, line: str, text: str, column: int, label_text: tuple, formula_text: tuple | None,
               amount: Any, calc: FormulaResult) -> None:
        """Put the row read as a ○ group under the last 통계목, or a - item under the last group."""
        ctx, path = self.ctx, self.path
        whole = (text, path, no, column, text)
        source = (path, no, column, line.strip())
        categories = self.categories
        if text[0] != "-":
            if not categories:
                ctx.report(P.MISSING_CELL, no, 1, table="basis", column="통계목")
                categories.append(_Category(None, (path, no, 1, "")))
            group = _new_object(_GroupDraft)  # stored as its maker stores it; its items and class at build
            group.label, group.formula, group.amount, group.text, group.source = label_text, formula_text, amount, whole, source
            group.previous = group.change = group.budget_kind = group.base = None
            group.funding = group.unchanged = group.derived = ()
            group.calc = calc
            categories[-1].groups.append((group, []))
        elif not categories or not categories[-1].groups:
            ctx.report(P.NOT_PLACED, no, column, line.strip(),
                       why="- 세부내역 앞에 ○ 내역이 없습니다", why_en="a - item before any ○ group")
        else:  # the item as its maker makes it, its fields stored in this frame (a draft made a BasisItem)
            item = _new_object(_ItemDraft)
            item.label, item.formula, item.amount, item.text, item.source = label_text, formula_text, amount, whole, source
            item.previous = item.change = item.budget_kind = item.base = None
            item.funding = item.unchanged = item.derived = ()
            item.calc = calc
            item.__class__ = BasisItem
            categories[-1].groups[-1][1].append(item)

    def _amount_cell(self, no: int, after: list[Cell]) -> Cell | None:
        """The amount cell after the description: ``= 60,000천원`` in one cell, or ``=`` and ``55,275천원`` in two."""
        cell = None
        rest = after
        if rest and rest[0].text == "=":
            rest = rest[1:]
        if rest:
            cell, rest = rest[0], rest[1:]
            if cell.text.startswith("="):
                body = cell.text[1:].lstrip()
                cell = Cell(body, cell.column + len(cell.text) - len(body)) if body else None
                if cell is None and rest:
                    cell, rest = rest[0], rest[1:]
        if rest:
            self.ctx.extra_cells(no, rest, 0, "basis")
        return cell

    def has_rows(self) -> bool:
        """True when a 산출근거 header and at least one ○ group under it were read."""
        return self.source is not None and any(c.groups for c in self.categories)

    def build(self) -> Basis:
        for c in self.categories:
            for group, items in c.groups:
                if type(group) is _GroupDraft:  # not built yet
                    group.items = tuple(items)
                    group.__class__ = BasisGroup
        return Basis(
            self.year,
            [_new_category(c.name, tuple(group for group, _ in c.groups), c.source) for c in self.categories],
            self.source,
        )
