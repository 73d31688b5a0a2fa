"""The index of a run: for each document read, a compact entry of what the cross rules read, never the sheet.

While ``auditor check`` streams its inputs, every document (a 사업설명서, or one 세부사업 unit of an
e호조 export) gives one :class:`Entry`: its identity (사업명/세부사업명, 부서, 회계, as written), kind,
year and first line, and a projection of the figures the cross rules read, each value with its line,
column and text, packed with :mod:`marshal` and compressed with :mod:`zlib` (level 1) into one
``bytes``: about 1.7 KB for a generated sheet (docs/performance.md). Nothing else of the document is kept. The cross pass turns an
entry back into model objects with :func:`rebuild` (:mod:`auditor.crossdoc.cross`).

What is kept: the title and 예산연도; 예산 총괄's years, 계 and 통계목 rows (통계목, A, B); 결산's rows
(연도 and the seven columns); 산출근거's year and 통계목 (name, and for an export its code, 세부사업 and
부서) with their ○/Ο groups and -/ο items (label, 금액, and for an export 기정액, 예산구분 and a formula
that restates, ``경정 …``). A row's own source keeps its line and column; every value keeps its text.
"""

from __future__ import annotations

import marshal
import sys
import zlib
from decimal import Decimal
from typing import Any, Iterable

from auditor.model import (Basis, BasisCategory, BasisGroup, BasisItem, Settlement, SettlementRow, Sheet, Summary,
                           SummaryRow)
from auditor.source import Amount, Source, Text, Year

__all__ = ["Entry", "SHEET", "EXPORT", "entry_of", "entries_of", "rebuild", "is_export"]

#: The two kinds of document.
SHEET, EXPORT = "사업설명서", "e호조"
#: The format of :attr:`Entry.data` (bumped when the projection changes).
FORMAT = 1
_COLUMNS = SettlementRow.COLUMNS


class Entry:
    """One document of the run as the cross pass needs it: identity, kind, year, place, and its figures.

    ``name``, ``department`` and ``account`` are as written (the identity normalises and maps them);
    ``line`` is the document's first line (an e호조 unit's first row), ``data`` the packed projection.
    """

    __slots__ = ("kind", "path", "name", "department", "account", "year", "line", "data")

    def __init__(self, kind: str, path: str, name: str, department: str, account: str, year: int | None,
                 line: int, data: bytes) -> None:
        self.kind, self.path, self.name, self.department, self.account = kind, path, name, department, account
        self.year, self.line, self.data = year, line, data

    def __reduce__(self):  # workers hand entries back with their results
        return Entry, (self.kind, self.path, self.name, self.department, self.account, self.year, self.line,
                       self.data)

    def __repr__(self) -> str:
        return f"Entry({self.kind}, {self.path}:{self.line}, {self.name!r}, {self.year}, {len(self.data)} bytes)"

    def interned(self) -> Entry:
        """The same entry with its repeated strings shared (a book names a few 부서 and 회계 many times)."""
        intern = sys.intern
        self.kind, self.path = intern(self.kind), intern(self.path)
        self.name, self.department, self.account = intern(self.name), intern(self.department), intern(self.account)
        return self

    @property
    def size(self) -> int:
        """Bytes this entry holds (its object, its strings and its data), as ``sys.getsizeof`` counts them."""
        return sum(sys.getsizeof(x) for x in (self, self.name, self.department, self.account, self.data))


def is_export(sheet: Sheet) -> bool:
    """Is ``sheet`` a unit of an e호조 export? Its 통계목 carry their 세부사업 or 부서; a 사업설명서's never do."""
    return any(c.project is not None or c.department is not None for c in sheet.basis.categories)


# --- projecting a document ------------------------------------------------------------------------

def _value(v: int | Decimal) -> int | str:
    return v if type(v) is int else str(v)


def _amount(a: Amount | None) -> tuple | None:
    if a is None:
        return None
    s = a.source
    return (_value(a.value), a.unit, s.line, s.column, s.text)


def _text(t: Text | None) -> tuple | None:
    if t is None:
        return None
    s = t.source
    return (t.value, s.line, s.column, None if s.text == t.value else s.text)


def _year(y: Year | None) -> tuple | None:
    if y is None:
        return None
    s = y.source
    return (y.value, s.line, s.column, None if s.text == str(y.value) else s.text)


def _place(source: Source | None) -> tuple[int, int] | None:
    return None if source is None else (source.line, source.column)


def _restating(formula: Text | None) -> tuple | None:
    """A formula kept only when it says the row restates an earlier version (``경정 …``)."""
    return _text(formula) if formula is not None and formula.value.lstrip().startswith("경정") else None


def _summary_row(r: SummaryRow | None) -> tuple | None:
    if r is None:
        return None
    return (_text(r.item), _amount(r.previous), _amount(r.current), _place(r.source))


def _line(x: BasisGroup | BasisItem) -> tuple:
    return (_text(x.label), _amount(x.amount), _amount(x.previous), _text(x.budget_kind), _restating(x.formula),
            _place(x.source))


def _projection(sheet: Sheet) -> tuple:
    s, st, b = sheet.summary, sheet.settlement, sheet.basis
    summary = (_year(s.previous_year), _year(s.current_year), _summary_row(s.total),
               tuple(_summary_row(r) for r in s.rows))
    settlement = tuple((_year(r.year), tuple(_amount(getattr(r, c)) for c in _COLUMNS), _place(r.source))
                       for r in st.rows)
    categories = tuple(
        (_text(c.name), _text(c.code), _text(c.project), _text(c.department), _place(c.source),
         tuple((*_line(g), tuple(_line(i) for i in g.items)) for g in c.groups))
        for c in b.categories)
    return (FORMAT, _text(sheet.title), _year(sheet.budget_year), summary, settlement,
            (_year(b.year), _place(b.source), categories))


def _first_line(sheet: Sheet) -> int:
    for c in sheet.basis.categories:
        if c.source is not None:
            return c.source.line
    return 1


def entry_of(sheet: Sheet, account: str | None = None) -> Entry:
    """The index entry of one document: a 사업설명서, or a unit of an e호조 export (whose 회계 the
    reader gives as ``account`` when the unit does not carry it)."""
    export = is_export(sheet)
    if export:
        category = next(c for c in sheet.basis.categories if c.project is not None or c.department is not None)
        name = category.project.value if category.project is not None else ""
        department = category.department.value if category.department is not None else ""
    else:
        name = sheet.title.value if sheet.title is not None else ""
        department = sheet.department.name.value if sheet.department.name is not None else ""
    if account is None:
        account = sheet.overview.account.value if sheet.overview.account is not None else ""
    year = sheet.budget_year.value if sheet.budget_year is not None else None
    return Entry(EXPORT if export else SHEET, sheet.path, name, department, account, year,
                 _first_line(sheet) if export else 1, zlib.compress(marshal.dumps(_projection(sheet)), 1))


def entries_of(sheets: Iterable[Sheet]) -> list[Entry]:
    """The entries of several documents, in order."""
    return [entry_of(sheet) for sheet in sheets]


# --- rebuilding it ----------------------------------------------------------------------------------

class _Maker:
    """Model objects for one entry's values, every source in the entry's file."""

    def __init__(self, path: str) -> None:
        self.path = path

    def source(self, line: int, column: int, text: str) -> Source:
        return Source.unchecked(self.path, line, column, text)

    def amount(self, a: tuple | None) -> Amount | None:
        if a is None:
            return None
        value, unit, line, column, text = a
        return Amount.unchecked(value if type(value) is int else Decimal(value), unit,
                                Source.unchecked(self.path, line, column, text))

    def text(self, t: tuple | None) -> Text | None:
        if t is None:
            return None
        value, line, column, text = t
        return Text(value, Source.unchecked(self.path, line, column, value if text is None else text))

    def year(self, y: tuple | None) -> Year | None:
        if y is None:
            return None
        value, line, column, text = y
        return Year(value, Source.unchecked(self.path, line, column, str(value) if text is None else text))

    def place(self, p: tuple | None) -> Source | None:
        return None if p is None else Source.unchecked(self.path, p[0], p[1], "")

    def line_fields(self, x: tuple) -> dict[str, Any]:
        """The fields of a group's or an item's line (``budget_kind``, ``previous`` … only when set)."""
        label, amount, previous, kind, formula, place = x[:6]
        fields: dict[str, Any] = {"label": self.text(label), "amount": self.amount(amount), "source": self.place(place)}
        if previous is not None:
            fields["previous"] = self.amount(previous)
        if kind is not None:
            fields["budget_kind"] = self.text(kind)
        if formula is not None:
            fields["formula"] = self.text(formula)
        return fields


def unpack(entry: Entry) -> tuple:
    """The entry's projection, as :func:`_projection` made it."""
    data = marshal.loads(zlib.decompress(entry.data))
    if data[0] != FORMAT:
        raise ValueError(f"an index entry of format {data[0]}, not {FORMAT}")
    return data


def rebuild(entry: Entry, groups: list[BasisGroup] | None = None) -> Sheet:
    """The document of ``entry`` as a Sheet with what the index kept. ``groups`` are its 산출근거
    groups already made (an export's, with their bases found across files: see
    :func:`auditor.crossdoc.cross.resolve_versions`), in the order of :func:`group_fields`."""
    _, title, year, summary, settlement, basis = unpack(entry)
    m = _Maker(entry.path)
    previous_year, current_year, total, rows = summary

    def row(r: tuple | None) -> SummaryRow | None:
        return None if r is None else SummaryRow(m.text(r[0]), m.amount(r[1]), m.amount(r[2]), source=m.place(r[3]))

    made = iter(groups) if groups is not None else None
    categories = []
    for name, code, project, department, place, lines in basis[2]:
        if made is not None:
            category_groups = [next(made) for _ in lines]
        else:
            category_groups = [BasisGroup(**m.line_fields(g), items=[BasisItem(**m.line_fields(i)) for i in g[6]])
                               for g in lines]
        categories.append(BasisCategory(m.text(name), category_groups, m.place(place), project=m.text(project),
                                        department=m.text(department), code=m.text(code)))
    return Sheet(
        entry.path,
        title=m.text(title),
        budget_year=m.year(year),
        summary=Summary(previous_year=m.year(previous_year), current_year=m.year(current_year), total=row(total),
                        rows=[row(r) for r in rows]),
        basis=Basis(m.year(basis[0]), categories, m.place(basis[1])),
        settlement=Settlement(rows=[SettlementRow(m.year(y), source=m.place(place),
                                                  **{c: m.amount(a) for c, a in zip(_COLUMNS, amounts)})
                                    for y, amounts, place in settlement]),
    )


def group_fields(entry: Entry) -> list[tuple[tuple, dict, list[dict]]]:
    """An export's groups, before their bases are found: ``(category key, group fields, item fields)``
    for each, in document order; the category key is (통계목 code, 통계목명) as written."""
    m = _Maker(entry.path)
    out = []
    for name, code, _project, _department, _place, lines in unpack(entry)[5][2]:
        key = (code[0] if code else "", name[0] if name else "")
        for g in lines:
            out.append((key, m.line_fields(g), [m.line_fields(i) for i in g[6]]))
    return out


def index_bytes(data: bytes, path: str, *, fragment: bool = False) -> list[Entry]:
    """The entries of one input given as bytes: a 사업설명서 (``fragment``: part of one, as rule cases
    hold), or every unit of an e호조 export. For tests, rule cases and documented examples; a check run
    makes entries as it reads (:mod:`auditor.runner`)."""
    from auditor.readers import iter_sheets, read_bytes
    from auditor.readers.units import is_eho

    if is_eho(data.split(b"\n", 1)[0], path):
        return [entry_of(unit) for unit in iter_sheets(data, path)]
    return [entry_of(read_bytes(data, path, fragment=fragment))]
