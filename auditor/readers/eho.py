"""The e호조 expenditure CSV reader: one Sheet per run of rows of one 세부사업, streamed from the lines.

An export holds a whole city's budget, one 산출근거 line per record. The reader reads it one
line at a time and yields a unit, a :class:`~auditor.model.Sheet` for each run of consecutive
records of one 세부사업 and 부서, as soon as the run ends, so that nothing holds every row.
:func:`whole` joins the units of a file into one Sheet for library users and ``auditor parse``.
"""

from __future__ import annotations

import functools
import os
import re
from collections import deque
from collections.abc import Iterator
from fractions import Fraction

from auditor.formula import FormulaError, formula_attempt, parse_formula
from auditor.formula.grammar import MAX_DIGITS, MAX_LENGTH
from auditor.formula.nodes import exact_value
from auditor.formula.tokens import BLANKS, FULL_WIDTH, MUL_CHARS, SIGN_CHARS, tokens
from auditor.formula.units import on_change
from auditor.model import (MAKERS, NO_FORMULA, Basis, BasisCategory, BasisGroup, BasisItem, Department, FormulaResult,
                           Overview, Sheet)
from auditor.readers import problems as P
from auditor.readers.context import Context
from auditor.readers.csvline import split_cells
from auditor.readers.description import read_description
from auditor.readers.eho_columns import HEADER_PREFIX, Columns, is_eho_header, read_header, triples_hold
from auditor.readers.eho_row import (ALL_SHARES, GROUP, Row, RowReader, code_text, is_group_label, value_column,
                                     value_of)
from auditor.readers.eho_versions import Pending, Version, VersionIndex, version_of
from auditor.readers.lines import LineStream
from auditor.plain import NOTHING, Field, Mutable, evolve, frozen
from auditor.source import MONEY_UNITS, Source, Text, Year

__all__ = ["HEADER_PREFIX", "EhoReader", "is_eho_header", "whole"]


#: How many records a header without a 경정/기정/증감 line is checked on before it is trusted.
VERIFY_RECORDS = 200


class _Lookahead:
    """An iterator that can look ahead: :meth:`peek` reads items that iteration then gives again."""

    def __init__(self, items: Iterator) -> None:
        self._items = items
        self._ahead: deque = deque()

    def __iter__(self) -> _Lookahead:
        return self

    def __next__(self):
        return self._ahead.popleft() if self._ahead else next(self._items)

    def peek(self, count: int) -> list:
        while len(self._ahead) < count:
            try:
                self._ahead.append(next(self._items))
            except StopIteration:
                break
        return list(self._ahead)[:count]


class _Category(Mutable):
    """A 통계목 of the unit being read: its name, its fields, its line and its groups so far."""

    __slots__ = ("name", "fields", "source", "groups", "__weakref__")
    name: Text | None
    fields: dict
    source: Source
    groups: list[dict]

    def __init__(self, name: Text | None, fields: dict, source: Source,
                 groups: list[dict] = NOTHING) -> None:  # type: ignore[assignment]
        self.name = name
        self.fields = fields
        self.source = source
        self.groups = [] if groups is NOTHING else groups


#: Written out (auditor.plain), where attrs.define compiled its methods at every import;
#: tests/test_plain.py holds it to its attrs declaration.
frozen(_Category, Field("name"), Field("fields"), Field("source"), Field("groups", factory=list))


class _Unit:
    """The rows of one 세부사업 run as they are read, with the problems met on its lines."""

    def __init__(self, path: str) -> None:
        self.ctx = Context(path)
        self.key: tuple[str, str] | None = None
        self.title: Text | None = None
        self.department: Text | None = None
        #: The 회계명 of the unit's first row (a 세부사업 is in one 회계), for its identity across files.
        self.account: Text | None = None
        self.categories: dict[tuple[str, str], _Category] = {}
        self.group: dict | None = None
        self.first_line: int | None = None
        #: The unit's Ο groups, for the version index once the unit is complete.
        self.pending: list[Pending] = []


class EhoReader:
    """Iterate over the units of an e호조 export read from ``lines``.

    After the iteration: ``projects`` (the 세부사업 names met), ``header`` (the Source of line 1)
    and, with ``keep_lines``, ``lines`` (every decoded line, for :func:`whole`). ``versions`` is the
    :class:`~auditor.readers.eho_versions.VersionIndex` the rows' bases are found in (a new one by
    default; pass one filled by another export's reader to find bases in that file too).
    """

    def __init__(self, path: str, lines: LineStream, *, keep_lines: bool = False,
                 versions: VersionIndex | None = None, fast: bool | None = None,
                 numbered: Iterator[tuple[int, str]] | None = None) -> None:
        self.path = path
        #: The lines to read with their numbers, when they are not all of ``lines`` from line 1: the header's
        #: and one unit's, for the cross pass's details of that unit (auditor.crossdoc.pipeline.Reindex);
        #: ``lines`` then has been read whole (its encoding and first undecodable line known).
        self.numbered = numbered
        #: Usual records through RowReader.read_written (the default), else every one through
        #: RowReader.read, the reference (``fast=False``, or AUDITOR_EHO_READER=reference in the environment).
        self.fast = fast if fast is not None else os.environ.get("AUDITOR_EHO_READER") != "reference"
        #: 회계연도 of the file as written on its first record (what RowReader.read_written compares).
        self._year_text: str | None = None
        #: Each formula's calc, by its text (see _group); None for the reference.
        self._calcs: dict[str, FormulaResult] | None = {} if self.fast else None
        self.versions = versions if versions is not None else VersionIndex()
        #: 예산구분 labels met, and the order in which labels of no known version were met.
        self._kinds: dict[str, Version] = {}
        self._unknown_kinds: dict[str, int] = {}
        self.stream = lines
        self.keep_lines = keep_lines
        self.lines: list[str] = []
        self.projects: set[str] = set()
        self.header: Source | None = None
        self.year: Year | None = None
        self.columns: Columns | None = None
        self.rows: RowReader | None = None
        self.layout: list[Text] = []
        self._unit = _Unit(path)
        #: The text of the lines of the unit last yielded and of the one before it (see :meth:`line`).
        self._held: dict[int, str] = {}
        self._before: dict[int, str] = {}
        self._holding: dict[int, str] = {}

    def line(self, no: int) -> str | None:
        """The text of line ``no`` if it belongs to the unit last yielded or the one before it.

        Reports keep the lines around findings; a finding on a unit's first row shows the
        lines before it, which the unit before holds.
        """
        text = self._held.get(no)
        return text if text is not None else self._before.get(no)

    def __iter__(self) -> Iterator[Sheet]:
        stream = self.stream
        header: str | None = None
        scratch = Context(self.path)  # a record's problems, until it is known which unit it opens or joins
        bad_reported = False
        self._ahead = ahead = _Lookahead(enumerate(stream, start=1) if self.numbered is None else self.numbered)
        for no, line in ahead:
            if self.keep_lines:
                self.lines.append(line)
            row = None
            if scratch.problems:
                scratch.problems = []
            if no == 1:
                header = line
            elif self.header is None:  # line 2, or the first line with text after a blank line 1
                if header.strip() or line.strip():  # type: ignore[union-attr]
                    sub = line if header.strip() else None  # type: ignore[union-attr]
                    if self._start(header or "", sub) and (sub is None or self.columns.first_record == 2):  # type: ignore[union-attr]
                        row = self._read(no, line, scratch)
            elif self.rows is not None and line.strip():
                # the usual record in one pass (RowReader.read_written), any other through RowReader.read
                row = self.rows.read_written(no, line, self._year_text) if self.fast else None
                if row is None:
                    row = self._read_any(no, line, scratch)
            if row is not None and row.kind == GROUP and self._unit.key not in (None, (row.project, row.department)):
                yield self._flush()
            unit = self._unit
            if scratch.problems:
                unit.ctx.problems.extend(scratch.problems)
            if not bad_reported and stream.bad_line is not None:
                bad_reported = _report_undecodable(unit.ctx, stream)
            if no <= 2 or self.rows is not None:
                self._holding[no] = line
            if row is not None:
                self._place(no, line, row)
        if not bad_reported and stream.bad_line is not None:  # a binary file: no lines were read
            _report_undecodable(self._unit.ctx, stream)
        if header is not None and self.header is None and header.strip():
            self._start(header, None)  # a file of one line: its header alone
        yield self._flush()

    def _read(self, no: int, line: str, ctx: Context) -> Row | None:
        rows = self.rows
        assert rows is not None
        if self.fast:
            row = rows.read_written(no, line, self._year_text)
            if row is not None:
                return row
        return self._read_any(no, line, ctx)

    def _read_any(self, no: int, line: str, ctx: Context) -> Row | None:
        """The record on line ``no`` through the reference reader (RowReader.read)."""
        rows = self.rows
        assert rows is not None
        return rows.read(no, line, ctx, lambda *args: self._year(ctx, *args))

    def _start(self, header: str, sub: str | None) -> bool:
        """Read the header (once); True when it maps the columns."""
        if self.header is not None:
            return self.columns is not None
        ctx = self._unit.ctx
        self.header = ctx.source(1, 1, header)
        self.columns = columns = read_header(ctx, header, sub)
        if columns is None:
            return False
        if columns.unverified:
            self._verify(ctx, header, columns, [sub] if sub is not None and columns.first_record == 2 else [])
        self.rows = RowReader(self.path, columns)
        self.layout.append(Text(header, ctx.source(1, 1, header)))
        if self.columns.first_record == 3 and sub is not None:
            self.layout.append(Text(sub, ctx.source(2, 1, sub)))
        return True

    def _verify(self, ctx: Context, header: str, columns: Columns, first: list[str]) -> None:
        """Check funding triples read as 경정, 기정, 증감 without a line naming them on the first records;
        when 증감 ≠ 경정 − 기정 on most of them, say so once and read no funding columns at all."""
        lines = first + [line for _, line in self._ahead.peek(VERIFY_RECORDS - len(first))]
        wrong = triples_hold(columns, [split_cells(line)[0] for line in lines if line.strip()])
        if not wrong:
            return
        shown = ", ".join(wrong[:5]) + (" …" if len(wrong) > 5 else "")
        ctx.report(P.UNKNOWN_HEADER, 1, 1, header, text=shown,
                   note=" (경정·기정·증감 줄이 없고, 이 재원 열을 경정·기정·증감 순서로 읽으면 첫 행들에서 증감 = 경정 − 기정이 "
                        "맞지 않습니다: 재원 열은 읽지 않았습니다)",
                   note_en=" (no 경정/기정/증감 line, and read in that order these funding columns give 증감 ≠ 경정 − 기정 "
                           "on most of the first records: no funding column was read)")
        parts = {i for _, triple in columns.funding for i in triple}
        columns.funding = []
        columns.derived = [d for d in columns.derived if d[2] not in parts]

    def _year(self, ctx: Context, no: int, line: str, values: list[str], starts: list[int], at: int | None,
              label_at: int | None) -> bool:
        """Read 회계연도; False (reported) when the record belongs to another year than the file's first."""
        if at is None:
            return True
        value = values[at]
        year = self.year
        if year is not None and value == year.source.text:
            return True
        column = starts[at] + 1 + line.startswith('"', starts[at])
        text = code_text(value.strip())  # 2024, or 2024.0 as a tool that read it as a number wrote it
        if not (len(text) == 4 and text.isascii() and text.isdigit()):
            code = P.BAD_NUMBER if text else P.MISSING_CELL
            ctx.report(code, no, column, value, table="e호조", column="회계연도", text=text)
            return True
        if year is None:
            lead = len(value) - len(value.lstrip())
            self.year = Year(int(text), ctx.source(no, column + lead, text))
            self._year_text = text
        elif int(text) != year.value:
            ctx.report(P.NOT_PLACED, no, column, value,
                       why=f"회계연도 {text}가 이 파일의 회계연도 {year}와 다릅니다 (한 파일은 한 해의 예산입니다)",
                       why_en=f"fiscal year {text} differs from this file's {year} (one file is one year)")
            if label_at is not None and is_group_label(values[label_at]):
                self._unit.group = None  # its ο items must not join the group before it
            return False
        return True

    def _place(self, no: int, line: str, row: Row) -> None:
        unit = self._unit
        if row.kind == GROUP:
            if unit.key is None:
                unit.key = (row.project, row.department)
                unit.first_line = no
                assert self.rows is not None
                unit.title = self.rows.text(no, line, row.cells, "project")
                unit.department = self.rows.text(no, line, row.cells, "department")
                unit.account = self.rows.text(no, line, row.cells, "account")
                self.projects.add(row.project)
            unit.group = row.fields  # (the row's own dict: nothing else holds it)
            unit.group["items"] = []
            self._category(no, line, row).groups.append(unit.group)
            unit.pending.append(Pending(row.scope, self._version(no, row), no, unit.group, unit.group["items"]))
            return
        column, label = row.label_cell
        if unit.group is None:
            unit.ctx.report(P.NOT_PLACED, no, column, label,
                            why="ο 세부내역 앞에 Ο 내역이 없습니다", why_en="an ο item before any Ο group")
        elif (row.project or unit.key[0], row.department or unit.key[1]) != unit.key:  # type: ignore[index]
            unit.ctx.report(P.NOT_PLACED, no, column, label,
                            why="ο 세부내역의 세부사업명·부서명이 그 위 Ο 내역과 다릅니다",
                            why_en="the ο item's 세부사업명 or 부서명 differs from the Ο group above it")
        else:
            unit.group["items"].append(row.fields)

    def _version(self, no: int, row: Row) -> Version:
        """The version of a group's row, by its 예산구분; an unknown label is reported once per file."""
        kind = row.fields.get("budget_kind")
        label = kind.value if kind is not None else "본예산"
        version = self._kinds.get(label)
        if version is None:
            version = self._kinds[label] = version_of(label, self._unknown_kinds)
            if not version.known:
                self._unit.ctx.report(P.UNKNOWN_KIND, no, kind.source.column, kind.source.text, text=label)
        return version

    def _category(self, no: int, line: str, row: Row) -> _Category:
        unit = self._unit
        found = unit.categories.get(row.category)
        if found is None:
            rows = self.rows
            assert rows is not None
            name = rows.text(no, line, row.cells, "category")
            if name is None and rows.index.get("category", 0) < len(row.cells[0]):
                unit.ctx.report(P.MISSING_CELL, no, value_column(line, row.cells[1][rows.index["category"]]), table="e호조",
                                column="통계목명")
            fields = {key: rows.text(no, line, row.cells, column) for key, column in (
                ("project", "project"), ("department", "department"), ("code", "code"),
                ("object_code", "object_code"), ("object_name", "object_name"))}
            found = unit.categories[row.category] = _Category(name, fields, unit.ctx.source(no))
        return found

    def _flush(self) -> Sheet:
        """The unit read so far as a Sheet; the next rows start a new one."""
        unit = self._unit
        self.versions.resolve(self.path, unit.pending)
        calcs = self._calcs
        categories = [BasisCategory(c.name, [_group(g, calcs) for g in c.groups], c.source, **c.fields)
                      for c in unit.categories.values()]
        sheet = Sheet(
            self.path,
            title=unit.title,
            budget_year=self.year,
            overview=Overview(account=unit.account),
            department=Department(name=unit.department),
            basis=Basis(self.year, categories, self.header if self.columns else None),
            layout=self.layout,
            problems=unit.ctx.problems,
            encoding=self.stream.encoding,
        )
        self.layout = []
        self._before, self._held, self._holding = self._held, self._holding, {}
        self._unit = _Unit(self.path)
        return sheet


def _group(fields: dict, calcs: dict[str, FormulaResult] | None = None) -> BasisGroup:
    """The BasisGroup of a group's fields and its items' (as the rows gave them, with ``base`` and
    ``unchanged`` from the version index). ``calcs``, when given, keeps each formula's ``calc`` by its
    text, for the file (most exports repeat their formulas); the model objects are then made with the
    readers' constructors (``MAKERS``: the fields are of their proper types, tuples made here)."""
    fields.pop(ALL_SHARES, None)
    if calcs is None:  # the reference
        items = []
        for item in fields.pop("items"):
            item.pop(ALL_SHARES, None)
            items.append(BasisItem(**item, calc=_calc(item)))
        return BasisGroup(**fields, items=items, calc=_calc(fields))
    items = []
    for item in fields.pop("items"):
        item.pop(ALL_SHARES, None)
        item["funding"] = tuple(item["funding"])
        items.append(_new_item(**item, calc=_kept_calc(item, calcs)))
    fields["funding"] = tuple(fields["funding"])
    return _new_group(**fields, items=tuple(items), calc=_kept_calc(fields, calcs))


_new_item, _new_group = MAKERS[BasisItem], MAKERS[BasisGroup]
#: Formulas whose calc a file keeps (a bound on memory: a city's export has tens of thousands).
_CALC_LIMIT = 1 << 14


def _kept_calc(fields: dict, calcs: dict[str, FormulaResult]) -> FormulaResult:
    """:func:`_calc` of a row, kept by the formula's text; a product of figures with money (most of an
    export's formulas: ``90,000원*22건*12월*50%``) worked out by :func:`_product` without the search for
    where a formula starts that a description needs (the column holds the formula alone)."""
    formula = fields.get("formula")
    if formula is None:
        label = fields.get("label")
        if label is not None and _no_attempt(value_of(label)):
            return NO_FORMULA
        return _calc(fields)
    key = value_of(formula)
    found = calcs.get(key)
    if found is None:
        value = (_plain_product(key) if plain_patterns()[0].fullmatch(key) else _tagged_product(key)
                 if key[:1] in _TAG_FIRST else _product(key))
        found = _calc(fields) if value is None else _result(FormulaResult, (value, None))
        if len(calcs) >= _CALC_LIMIT:
            calcs.clear()
        calcs[key] = found
    return found


_result = tuple.__new__
_DIGITS = frozenset("0123456789")
_MUL = frozenset(MUL_CHARS)
_NEGATIVE = frozenset(SIGN_CHARS) - {"+"}
#: What ``read_description`` reads otherwise (a character ``normalise`` changes; a run of digits the grammar
#: may refuse): such a text goes to it.
_NOT_NORMAL = re.compile(f"[{re.escape(FULL_WIDTH + BLANKS)}]")
_LONG_FIGURE = re.compile(rf"[0-9][0-9,.]{{{MAX_DIGITS},}}")


def _factor_of(m: re.Match) -> tuple[int, int, bool] | None:
    """An operand the grammar's pattern matched, as a factor of a product: (value, denominator, money),
    its sign left to the caller; None for a name or a figure with a decimal point."""
    if m["name"] is not None:
        return None
    digits, percent, unit = m.group("digits", "percent", "money")
    if "." in digits:
        return None
    value = int(digits.replace(",", "") if "," in digits else digits)
    return (value * MONEY_UNITS[unit], 1, True) if unit else (value, 100, False) if percent else (value, 1, False)


def _exact(numerator: int, denominator: int, money: bool) -> int | Fraction | None:
    """A product's value from its folded numerator and denominator: an ``int`` when whole; None when
    no factor had a money unit (not a formula of an amount)."""
    if not money:
        return None
    if denominator == 1:
        return numerator
    whole, rest = divmod(numerator, denominator)
    return whole if not rest else Fraction(numerator, denominator)


def _product(text: str) -> int | Fraction | None:
    """The value :func:`_calc` gives a formula that is figures joined by multiplications only, one with a
    money unit (``90,000원*22건*12월*50%``), each read by the grammar's own operand pattern, with no blank
    between, no decimal point, no name; None for any other text (``_calc`` then reads it as a
    description). ``read_description`` reads such a text from its first character (a digit), as
    ``_flat_value`` does here with Fractions for the percentages: the product is the same rational
    number, an ``int`` when whole. ``tests/test_reader_eho_calc.py`` holds the two together."""
    if not text or text[0] not in _DIGITS or len(text) > MAX_LENGTH or "=" in text or _NOT_NORMAL.search(text) \
            or (len(text) > MAX_DIGITS and _LONG_FIGURE.search(text)):
        return None
    operand = tokens().signed_at
    size, loc = len(text), 0
    numerator, denominator, money = 1, 1, False
    while True:
        m = operand.match(text, loc)
        read = None if m is None else _factor_of(m)
        if read is None:
            return None
        value, below, is_money = read
        sign = m["sign"]
        numerator *= -value if sign is not None and sign in _NEGATIVE else value
        denominator *= below
        money = money or is_money
        loc = m.end()
        if loc == size:
            break
        if text[loc] not in _MUL:
            return None
        loc += 1
    return _exact(numerator, denominator, money)


#: A product as generated exports and most real ones write it: figures (digits and commas), each with a
#: Hangul unit word or ``%``, joined by ``*`` (``404,000원*4종*13일*1월``). Of such a text, the operand
#: the grammar reads at a factor's start never reaches past the next ``*`` (no blank, bracket, sign,
#: dot or Latin unit to read across) and looks past its end only for a Hangul syllable or a Latin
#: letter, which neither ``*`` nor the end of the text is: so each factor reads alone as it reads in
#: the product, and :func:`_plain_product` reads each distinct factor once for the file.
_PLAIN = r"[0-9][0-9,가-힣%]*(?:\*[0-9][0-9,가-힣%]*)*"
#: factor text → (value, denominator, money) as :func:`_product` reads it in a product, or None; bounded as
#: ``_CALC_LIMIT``, and emptied when the unit vocabulary (which the operand pattern holds) changes.
_FACTORS: dict[str, tuple[int, int, bool] | None] = {}
on_change(_FACTORS.clear)


def _plain_product(text: str) -> int | Fraction | None:
    """:func:`_product` of a text :data:`_PLAIN` matches, each factor read once per distinct text
    (``tests/test_reader_eho_calc.py`` holds the two together)."""
    if len(text) > MAX_LENGTH or (len(text) > MAX_DIGITS and _LONG_FIGURE.search(text)):
        return None
    factors = _FACTORS
    numerator, denominator, money = 1, 1, False
    for piece in text.split("*"):
        read = factors.get(piece, False)
        if read is False:
            read = _factor(piece)
        if read is None:
            return None
        numerator *= read[0]
        denominator *= read[1]
        money = money or read[2]
    return _exact(numerator, denominator, money)


#: A plain product after a 경정 or 기정 tag (``경정 22,198,000원``: a 추경 row's revised amount), which the
#: grammar reads as the tag over the product: its value is the product's.
_TAGGED = r"(?:경정|기정)[ \t]*([0-9][0-9,가-힣%]*(?:\*[0-9][0-9,가-힣%]*)*)"
_TAG_FIRST = frozenset("경기")


@functools.cache
def plain_patterns() -> tuple[re.Pattern, re.Pattern]:
    """:data:`_PLAIN` and :data:`_TAGGED` compiled, on first use: their Hangul classes take a few
    milliseconds to compile, which an export without formulas (or another input) need not pay."""
    return re.compile(_PLAIN), re.compile(_TAGGED)


def _tagged_product(text: str) -> int | Fraction | None:
    """The value ``_calc`` gives a tagged plain product (:data:`_TAGGED`), else None (``_calc`` reads it)."""
    m = plain_patterns()[1].fullmatch(text)
    if m is None or len(text) > MAX_LENGTH:
        return None
    return _plain_product(m[1])


def _factor(piece: str) -> tuple[int, int, bool] | None:
    """One factor of a :data:`_PLAIN` product as :func:`_product` reads it: (value, denominator, money)."""
    m = tokens().signed_at.match(piece)
    read = _factor_of(m) if m is not None and m.end() == len(piece) else None
    if len(_FACTORS) >= _CALC_LIMIT:
        _FACTORS.clear()
    _FACTORS[piece] = read
    return read


def _no_attempt(label: str) -> bool:
    """True when ``formula_attempt(label)`` is certainly None without reading it: the label starts (after
    blanks) with a Hangul syllable that cannot start a formula (not 경정/기정's), so no formula starts
    where the text does, and holds no 원, so no tail has a figure with a money word; the attempt is then
    None (``formula_attempt``: neither the whole text nor a tail is tried). A label of a group of ο
    rows (``급식비 1-1``) is the usual case. ``tests/test_reader_eho_calc.py`` holds it to formula_attempt."""
    first = label.lstrip()[:1]
    return "가" <= first <= "힣" and first not in "경기" and "원" not in label


def _calc(fields: dict) -> FormulaResult:
    """The row's ``calc`` (TEAM.md contracts 3 and 4): its 산출식's exact value (None without one, or when it
    does not parse or has no value) and ``formula_attempt`` of the 산출식 or, without one, of the
    산출근거명, worked out once here so that no rule parses the formula again. The formula is its own
    column's, taken as written: unlike a 사업설명서 line's, it may parse and still be an attempt (money
    added to a count). ``tests/test_reader_eho_calc.py`` holds it to the engine's own reading."""
    formula, label = fields.get("formula"), fields.get("label")
    if formula is None:
        attempt = None if label is None else formula_attempt(value_of(label))
        return NO_FORMULA if attempt is None else FormulaResult(None, attempt)
    text = value_of(formula)
    # A formula the one-pass description reader reads whole, with a value (a flat one with money that
    # adds no money to a count: most of an export's) is no attempt; its value is the grammar's.
    found = read_description(text)
    if found is not None and not found[0] and found[1] == text and found[2].value is not None:
        return found[2]
    try:
        value = exact_value(parse_formula(text))
    except FormulaError:
        value = None
    return FormulaResult(value, formula_attempt(text))


def whole(reader: EhoReader) -> Sheet:
    """Every unit of ``reader`` (made with ``keep_lines=True``) joined into one Sheet.

    A 세부사업 and 통계목 met again later in the file joins its first category, so each pair is one
    BasisCategory, in order of first appearance.
    """
    categories: dict[tuple, BasisCategory] = {}
    problems, layout = [], []
    for unit in reader:
        problems.extend(unit.problems)
        layout.extend(unit.layout)
        for c in unit.basis.categories:
            key = tuple(t.value if t is not None else "" for t in (c.project, c.department, c.code, c.name))
            if key in categories:
                categories[key] = evolve(categories[key], groups=categories[key].groups + c.groups)
            else:
                categories[key] = c
    header = reader.header
    mapped = reader.columns is not None
    title = Text(f"e호조 세출 산출근거 ({len(reader.projects)}개 세부사업)", header) if header and mapped else None
    return Sheet(
        reader.path,
        title=title,
        budget_year=reader.year,
        basis=Basis(reader.year, list(categories.values()), header if mapped else None),
        layout=layout,
        problems=problems,
        lines=reader.lines,
        encoding=reader.stream.encoding,
    )


def _report_undecodable(ctx: Context, stream: LineStream) -> bool:
    """PARSE001 for the stream's first line that did not decode, saying what was done with it."""
    how = P.READ_NOTHING if stream.binary else P.READ_NUL if stream.nul else P.READ_AS_REPLACEMENT
    ctx.report(P.UNDECODABLE, stream.bad_line, tried=stream.tried, how=how[0], how_en=how[1])
    return True
