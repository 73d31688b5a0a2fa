"""The index of a run: for each document read, a compact entry of what the cross rules read, never the sheet.

While ``auditor check`` streams its inputs, every document (a 사업설명서, or one 세부사업 unit of an
e호조 export) gives one :class:`Entry`: its identity (사업명/세부사업명, 부서, 회계, as written), kind,
year and first line, and a projection of the figures the cross rules read, each value with its line,
column and text, packed with :mod:`marshal` into one ``bytes`` in two parts, what the cross rules'
screen reads first (each value and its line) and the rest after it (columns and texts as written; about
4 KB for a generated sheet: see docs/performance.md and :func:`_walk`). A check run makes the first part
alone (``entry_of(..., details=False)``, :func:`_screen_walk`): only a project the screen flags needs the
details, and :class:`auditor.crossdoc.pipeline.Reindex` makes them again from its documents' files (an
e호조 unit's rows read alone). A check run keeps those bytes
in an :class:`IndexStore`, in memory up to 2 MiB and in a temporary file past that, so the index of a
whole city's books takes a few dozen bytes of memory per document. Nothing else of the document is
kept. The cross pass turns an entry back into model objects with :class:`Rebuilt`
(:mod:`auditor.crossdoc.cross`), or into the screen's light documents (:func:`screen_data`,
:mod:`auditor.crossdoc.screen`).

What is kept: the title and 예산연도; 예산 총괄's years, 계 and 통계목 rows (통계목, A, B); 결산's rows
(연도 and the seven columns); 산출근거's year and 통계목 (name, and for an export its code, 세부사업 and
부서) with their ○/Ο groups and -/ο items (label, 금액, and for an export 기정액, 예산구분 and a formula
that restates, ``경정 …``). A row's own source keeps its line and column; every value keeps its text.
"""

from __future__ import annotations

import functools
import json
import marshal
import operator
import os
import struct
import sys
from collections.abc import Iterable
from decimal import Decimal

from auditor.model import (Basis, BasisCategory, BasisGroup, BasisItem, Department, Overview, Schedule, Settlement,
                           SettlementRow, Sheet, Summary, SummaryRow)
from auditor.plain import factory_of, fields as fields_of
from auditor.source import Amount, Source, Text, Year, new_amount

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["Entry", "IndexStore", "SHEET", "EXPORT", "Rebuilt", "entry_of", "entries_of", "rebuild", "is_export",
           "index_bytes"]

#: The two kinds of document.
SHEET, EXPORT = "사업설명서", "e호조"
#: The format of :attr:`Entry.data` (bumped when the projection changes).
FORMAT = 2
_COLUMNS = SettlementRow.COLUMNS


#: :attr:`Entry.stored`'s low 32 bits: the length of the entry's data in its store.
_LENGTH = (1 << 32) - 1
#: The years of the run's entries, one int object each (:meth:`Entry.interned`).
_YEARS: dict[int, int] = {}


class Entry:
    """One document of the run as the cross pass needs it: identity, kind, year, place, and its figures.

    ``name``, ``department`` and ``account`` are as written (the identity normalises and maps them);
    ``line`` is the document's first line (an e호조 unit's first row), ``data`` the packed projection,
    or None once an :class:`IndexStore` holds it (``stored``: its offset and length there, as one int,
    ``offset << 32 | length``: a tuple of two ints took about 110 bytes an entry). ``stored_text``
    says that the data is the projection's JSON text as the results cache kept it (:func:`entry_from_data`),
    checked only when it is unpacked, rather than :mod:`marshal` bytes made in this run.
    """

    __slots__ = ("kind", "path", "name", "department", "account", "year", "line", "data", "store", "stored",
                 "stored_text")

    def __init__(self, kind: str, path: str, name: str, department: str, account: str, year: int | None,
                 line: int, data: bytes | None, stored_text: bool = False) -> None:
        self.kind, self.path, self.name, self.department, self.account = kind, path, name, department, account
        self.year, self.line, self.data, self.stored_text = year, line, data, stored_text
        self.store: IndexStore | None = None
        self.stored = 0

    def __reduce__(self):  # workers hand entries back with their results
        return Entry, (self.kind, self.path, self.name, self.department, self.account, self.year, self.line,
                       self.packed(), self.stored_text)

    def __repr__(self) -> str:
        return f"Entry({self.kind}, {self.path}:{self.line}, {self.name!r}, {self.year}, {self.bytes} bytes)"

    def packed(self) -> bytes:
        """The packed projection, from the store when it holds it."""
        if self.data is not None:
            return self.data
        assert self.store is not None
        stored = self.stored
        return self.store.read(stored >> 32, stored & _LENGTH)

    @property
    def bytes(self) -> int:
        return len(self.data) if self.data is not None else self.stored & _LENGTH

    def interned(self) -> Entry:
        """The same entry with its repeated strings shared (a book names a few 부서 and 회계 many times).
        Its path and name are left as they are: the file's own (:meth:`auditor.crossdoc.pipeline.CrossPass.take`
        shares them with the file's), and each interned string is a slot in the interpreter's table of
        interned strings, which grew with the run."""
        intern = sys.intern
        self.kind, self.department, self.account = intern(self.kind), intern(self.department), intern(self.account)
        if self.year is not None:  # one int object per year (an int past 256 is an object of 28 bytes)
            self.year = _YEARS.setdefault(self.year, self.year)
        return self

    @property
    def size(self) -> int:
        """Bytes of memory this entry holds (its object, its strings, and its data unless a store has it)."""
        held = (self, self.name, self.department, self.account) + ((self.data,) if self.data is not None else ())
        return sum(sys.getsizeof(x) for x in held)


_pread = getattr(os, "pread", None)


class IndexStore:
    """The packed projections of a run's entries: left with their entries up to :data:`MEMORY_BYTES` in
    all, then in a temporary file, one after another (as :class:`auditor.result.FindingStore` keeps
    findings).

    No buffer grows with the index: each entry keeps the bytes it was made with until the index passes
    the mark, when they are written out in order. (A ``SpooledTemporaryFile`` grew one buffer by an
    eighth at a time; where the allocator could not grow it in place it held both copies for a moment,
    so that a 1,000-sheet run's peak moved by 2.5 MiB with where the run's other objects happened to lie.)
    """

    #: Entries stay in memory up to this many bytes, then go to a temporary file (2 MiB is about 870
    #: generated sheets, whose entries hold the screen's part alone: past that, a run's memory stays flat with
    #: its size, issue 13's 1.2x target; 4 MiB, the mark while entries held their details, let a 10,000-sheet
    #: run hold 1,700 sheets' entries where a 1,000-sheet one held its 1,000: 1.26x).
    MEMORY_BYTES = 2 << 20

    def __init__(self) -> None:
        self._file: Any = None
        #: The entries that still hold their data, until the index passes MEMORY_BYTES (then None).
        self._held: list[Entry] | None = []
        self.end = 0
        #: How far the file was flushed when last read (:meth:`read`).
        self._synced = 0

    def keep(self, entry: Entry) -> Entry:
        """Hold ``entry``'s data here (the entry keeps where), or leave it with the entry while the index
        is small."""
        data = entry.packed()
        held = self._held
        if held is not None:
            self.end += len(data)
            if self.end <= self.MEMORY_BYTES:
                entry.data = data
                held.append(entry)
                return entry
            self._spill(held)
        file = self._file
        file.seek(self.end)
        file.write(data)
        entry.store, entry.stored, entry.data = self, self.end << 32 | len(data), None
        self.end += len(data)
        return entry

    def keep_all(self, entries: Iterable[Entry]) -> list[Entry]:
        """Hold the data of each of ``entries`` here, their repeated strings and years shared (as
        :meth:`Entry.interned` shares them, written out here); the entries, in order. What :meth:`keep`
        of each ``interned()`` entry does, for the entries of one file at a time: once the index is in
        its file, with one write for them all."""
        intern, years = sys.intern, _YEARS
        kept = []
        for e in entries:
            e.kind, e.department, e.account = intern(e.kind), intern(e.department), intern(e.account)
            if e.year is not None:
                e.year = years.setdefault(e.year, e.year)
            kept.append(e)
        held = self._held
        if held is not None:  # still in memory: each entry keeps its bytes (keep spills past the mark)
            limit = self.MEMORY_BYTES
            for n, e in enumerate(kept):
                data = e.data
                if data is None or self.end + len(data) > limit:  # kept elsewhere, or past the mark: keep's way
                    keep = self.keep
                    for e in kept[n:]:
                        keep(e)
                    return kept
                self.end += len(data)
                held.append(e)  # (keep of an entry that holds its data, while the index is in memory)
            return kept
        start = end = self.end
        chunks = []
        for e in kept:
            data = e.packed()
            size = len(data)
            e.store, e.stored, e.data = self, end << 32 | size, None
            end += size
            chunks.append(data)
        if chunks:
            file = self._file
            file.seek(start)
            file.write(chunks[0] if len(chunks) == 1 else b"".join(chunks))
        self.end = end
        return kept

    def _spill(self, held: list[Entry]) -> None:
        """The data of the ``held`` entries to a temporary file, in order; from now on every entry's goes there.
        ``tempfile`` is imported here, by the few runs whose index passes its mark: with ``shutil``, ``random``
        and the compressors it brings, it was about 15 M instructions in every process of every run that
        indexes (each process of ``--jobs 2`` after the fork)."""
        import tempfile

        self._file = file = tempfile.TemporaryFile()
        end = 0
        for entry in held:
            data = entry.data
            assert data is not None
            file.write(data)
            entry.store, entry.stored, entry.data = self, end << 32 | len(data), None
            end += len(data)
        self._held, self.end = None, end

    def read(self, offset: int, length: int) -> bytes:
        """``length`` bytes at ``offset``: one ``os.pread`` of the file (a seek and a read of the buffered
        file were about 8,600 instructions an entry, the cross pass reading each entry once), the file's
        buffer flushed first when something was written since the last read."""
        file = self._file
        if self._synced != self.end:
            file.flush()
            self._synced = self.end
        if _pread is None:  # no os.pread (Windows)
            file.seek(offset)
            return file.read(length)
        return _pread(file.fileno(), length, offset)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
        elif self._held is not None:
            self._held.clear()


def is_export(sheet: Sheet) -> bool:
    """Is ``sheet`` a unit of an e호조 export? Its 통계목 carry their 세부사업 or 부서; a 사업설명서's never do."""
    return any(c.project is not None or c.department is not None for c in sheet.basis.categories)


# --- projecting a document ------------------------------------------------------------------------

def _value(v: int | Decimal) -> int | str:
    return v if type(v) is int else str(v)


#: The unit of an amount written without one (kept as None: most are in it).
_UNIT = "천원"


def _stored(cls: type, name: str = "source") -> Any:
    """What ``cls.<name>`` holds, without building it: the object, or while it is unread the recipe the
    reader left (:func:`auditor.source.lazy_source`, :func:`~auditor.source.lazy_text`): a tuple."""
    slot = cls.__dict__[name]
    return getattr(slot, "slot", slot).__get__


def _recipe_slot(cls: type, name: str) -> None:
    """Give ``cls`` the attribute ``_recipe_<name>``: what ``cls.<name>`` holds, without building it (as
    :func:`_stored` gives it), read as a plain slot. The packing reads every line's label, place and
    figures' places this way: about 20 ns a read, where calling the slot's ``__get__`` costs about 150."""
    slot = cls.__dict__[name]
    raw = getattr(slot, "slot", slot)
    if type(raw).__name__ == "member_descriptor":
        setattr(cls, f"_recipe_{name}", raw)
    else:  # not a slot (the model's internals changed): the same value, read the slower way
        setattr(cls, f"_recipe_{name}", property(raw.__get__))


for _cls, _names in ((Amount, ("source",)), (Text, ("source",)), (Year, ("source",)),
                     (SummaryRow, ("item", "source")), (SettlementRow, ("source",)), (Basis, ("source",)),
                     (BasisCategory, ("name", "source")), (BasisGroup, ("label", "formula", "source")),
                     (BasisItem, ("label", "formula", "source"))):
    for _name in _names:
        _recipe_slot(_cls, _name)


def _amount(a: Amount | None) -> tuple | None:
    """``(value, unit or None for 천원, line, column, text)``; the value an int, or a decimal's text.
    (The helpers of a projection are written out, not layered: it is made for every document read.)"""
    if a is None:
        return None
    value, unit, source = a.value, a.unit, a._recipe_source
    if type(source) is not tuple:  # else the recipe (path, line, column, text) of a Source not made yet
        source = (None, source.line, source.column, source.text)
    return (value if type(value) is int else str(value), None if unit == _UNIT else unit,
            source[1], source[2], source[3])


def _text(t: Any) -> tuple | None:
    """A Text, or the recipe ``(value, path, line, column, text)`` a lazy Text field holds, as
    ``(value, line, column, text or None when it is the value)``."""
    if t is None:
        return None
    if type(t) is tuple:
        value, line, column, text = t[0], t[2], t[3], t[4]
    else:
        value, source = t.value, t._recipe_source
        if type(source) is tuple:
            line, column, text = source[1], source[2], source[3]
        else:
            line, column, text = source.line, source.column, source.text
    return (value, line, column, None if text == value else text)


def _year(y: Year | None) -> tuple | None:
    if y is None:
        return None
    value, source = y.value, y._recipe_source
    if type(source) is not tuple:
        source = (None, source.line, source.column, source.text)
    text = source[3]
    return (value, source[1], source[2], None if text == str(value) else text)


def _place(source: Any) -> tuple[int, int] | None:
    """``(line, column)`` of a row's Source or of its recipe."""
    if source is None:
        return None
    return (source[1], source[2]) if type(source) is tuple else (source.line, source.column)


def _restating(formula: Any) -> tuple | None:
    """A formula (a Text or its recipe) kept only when it says the row restates an earlier version (``경정 …``)."""
    if formula is None:
        return None
    value = formula[0] if type(formula) is tuple else formula.value
    return _text(formula) if value.lstrip().startswith("경정") else None


def _summary_row(r: SummaryRow | None) -> tuple | None:
    if r is None:
        return None
    return (_text(r._recipe_item), _amount(r.previous), _amount(r.current), _place(r._recipe_source))


_LABEL = {cls: _stored(cls, "label") for cls in (BasisGroup, BasisItem)}
_FORMULA = {cls: _stored(cls, "formula") for cls in (BasisGroup, BasisItem)}
_LINE_AT = {cls: _stored(cls) for cls in (BasisGroup, BasisItem)}


def _lines(cls: type) -> Any:
    """The projection of a 산출근거 line of ``cls``: ``(label, 금액, 기정액, 예산구분, a restating formula,
    (line, column))``."""
    label_of, formula_of, at_of = _LABEL[cls], _FORMULA[cls], _LINE_AT[cls]

    def line(x: Any) -> tuple:
        formula, kind = formula_of(x), x.budget_kind
        return (_text(label_of(x)), _amount(x.amount), _amount(x.previous), None if kind is None else _text(kind),
                None if formula is None else _restating(formula), _place(at_of(x)))

    return line


_group_line, _item_line = _lines(BasisGroup), _lines(BasisItem)
_settlement_amounts = operator.attrgetter(*_COLUMNS)


def _projection(sheet: Sheet) -> tuple:
    """What the index keeps of ``sheet``, as one tuple: the shape :func:`unpack` gives and the results cache
    keeps as JSON, and the reference the packed form is held to (tests/test_crossdoc_index.py)."""
    s, st, b = sheet.summary, sheet.settlement, sheet.basis
    summary = (_year(s.previous_year), _year(s.current_year), _summary_row(s.total),
               tuple([_summary_row(r) for r in s.rows]))
    settlement = tuple([(_year(r.year), tuple(map(_amount, _settlement_amounts(r))), _place(r._recipe_source))
                        for r in st.rows])
    categories = tuple([(_text(c._recipe_name), _text(c.code), _text(c.project), _text(c.department),
                         _place(c._recipe_source), _groups(c.groups))
                        for c in b.categories])
    return (FORMAT, _text(sheet.title), _year(sheet.budget_year), summary, settlement,
            (_year(b.year), _place(b._recipe_source), categories))


def _groups(groups: Iterable[BasisGroup]) -> tuple:
    """The projection of a 통계목's groups, each with its items, one line at a time (the reference)."""
    return tuple([(*_group_line(g), tuple(map(_item_line, g.items))) for g in groups])


def _first_line(sheet: Sheet) -> int:
    for c in sheet.basis.categories:
        place = _place(c._recipe_source)
        if place is not None:
            return place[0]
    return 1


def entry_of(sheet: Sheet, account: str | None = None, details: bool = True) -> Entry:
    """The index entry of one document: a 사업설명서, or a unit of an e호조 export (whose 회계 the
    reader gives as ``account`` when the unit does not carry it). Without ``details``, the entry holds
    the screen's part alone (:func:`_screen_walk`, about three fifths of the cost): what a check run
    without a results cache makes of every document, the details made again from the file for the few
    documents whose project the screen flags (:func:`has_details`, :class:`auditor.crossdoc.pipeline.Reindex`)."""
    for category in sheet.basis.categories:  # is_export(), keeping the first 통계목 that names its 세부사업 or 부서
        if category.project is not None or category.department is not None:
            export = True
            break
    else:
        export = False
    if export:
        name = category.project.value if category.project is not None else ""
        department = category.department.value if category.department is not None else ""
    else:
        name = sheet.title.value if sheet.title is not None else ""
        department = sheet.department.name.value if sheet.department.name is not None else ""
    if account is None:
        account = sheet.overview.account.value if sheet.overview.account is not None else ""
    year = sheet.budget_year.value if sheet.budget_year is not None else None
    return Entry(EXPORT if export else SHEET, sheet.path, name, department, account, year,
                 _first_line(sheet) if export else sheet.first_line, _walk(sheet) if details else _screen_walk(sheet))


# --- the packed form ----------------------------------------------------------------------------------
#
# An entry's data is the projection split in two, each part marshalled: first what the cross rules'
# screen reads (auditor.crossdoc.screen), in the projection's shape with each value as the screen reads
# it, flat (:data:`PACKED`): a text's or a year's value and line, a figure's value, unit (None for 천원) and
# line, a row's place's line, each held in turn in the tuple of the part that holds it, each 산출근거 line
# as one flat tuple of its values and line number (:func:`_parts`); then
# the rest (each value's column and text as written), which only a project the screen flags needs, to
# rebuild its documents as model objects. A 4-byte length leads, so the screen unmarshals the first part
# alone. unpack() joins them into the projection (_projection's shape, the one the results cache keeps
# as JSON); screen_data() gives the first. Both are made in one walk: made for every document.

_HEAD = struct.Struct("<I")

#: The layout of the packed form, the screen's part's first value (:data:`FORMAT` is the projection's):
#: 6, the screen's part holding of each value only what the screen reads and its line, flat in the tuple of
#: the part that holds it (no tuple a value): a text or a year as its value and its line, a figure as its
#: value, its unit (None for 천원) and its line, a row's place as its line (:func:`_flat`; ``(value, line)``
#: pairs, ``(value, unit, line)`` triples and ``(line,)`` places in forms 4 and 5, one tuple each), and the
#: details the columns and texts as written, every figure of the document a whole number in 천원 (the
#: screen reads it as its value times 1,000, with no test of its unit or class) ...
PACKED = 6
#: ... and 7, the same layout for a document with a figure in another unit or not whole as written (a decimal,
#: kept as its text): the screen leaves such a document's project to the model path.
PACKED_AS_WRITTEN = 7
#: The screen part's two forms.
_SCREEN_FORMS = (PACKED, PACKED_AS_WRITTEN)


# The packed form made in one walk (:func:`_walk`), written out: each value made where the projection
# holds it, in the projection's order, so that each kind's details come in the format's order (a
# sheet's figures: 예산 총괄's rows, then 결산's; its texts: the title, the rows' items, then each 통계목's
# four; its years: 예산연도, 예산 총괄's two, 결산's, then 산출근거's; its places: the rows', 결산's,
# 산출근거's, then each 통계목's). Each value is written out at each place that reads it (the snippets
# below), so that every attribute read there sees one class and is specialized to a slot read.

def _figure_code(src: str, out: str, details: bool = True) -> str:
    """A figure's code: ``out``, ``out_u`` and ``out_l`` its value, unit (None for 천원) and line, each held in its
    part's tuple in turn; its (column, text) to the figures' details (not in the screen's walk: ``details``
    false, the line alone read of its source)."""
    if details:
        read = f"""
    if type(source) is tuple:  # the recipe (path, line, column, text) of a Source not made yet
        _, {out}_l, column, text = source
    else:
        {out}_l, column, text = source.line, source.column, source.text"""
        keep = """
    figure_details.append(column)
    figure_details.append(text)"""
    else:
        read, keep = f"""
    {out}_l = source[1] if type(source) is tuple else source.line""", ""
    return f"""
v = {src}
if v is None:
    {out} = {out}_u = {out}_l = None
else:
    {out}, {out}_u, source = v.value, v.unit, v._recipe_source{read}
    if type({out}) is int and {out}_u == unit_name:  # a whole figure in 천원 (the screen scales it as it reads it)
        {out}_u = None
    else:  # another unit, or a decimal written as its text: the entry says so (PACKED_AS_WRITTEN)
        odd.append({out})
        if type({out}) is not int:
            {out} = str({out})
        if {out}_u == unit_name:
            {out}_u = None{keep}"""


def _text_code(src: str, out: str, details: str = "text_details", recipe: bool = False, year: bool = False) -> str:
    """A text's (or a year's) code: ``out`` and ``out_l`` its value and line, held in its part's tuple in turn; its
    column and text (None when it is the value as written) to ``details``; ``recipe``: a lazy Text field's stored
    value, the recipe ``(value, path, line, column, text)`` while it is unread."""
    read = (f"    if type(v) is tuple:\n        {out}, _, {out}_l, column, text = v\n    else:\n        " if recipe
            else "    ")
    more = "    " if recipe else ""
    same = f"str({out})" if year else out
    return f"""
v = {src}
if v is None:
    {out} = {out}_l = None
else:
{read}{out}, source = v.value, v._recipe_source
{more}    if type(source) is tuple:
{more}        _, {out}_l, column, text = source
{more}    else:
{more}        {out}_l, column, text = source.line, source.column, source.text
    {details}.append(column)
    {details}.append(None if text == {same} else text)"""


def _place_code(src: str, out: str, details: bool = True) -> str:
    """A row's place: ``out`` its line, its column to the places' details (not in the screen's walk: ``details``
    false)."""
    tuple_column, column = (("\n    place_details.append(v[2])", "\n    place_details.append(v.column)") if details
                            else ("", ""))
    return f"""
v = {src}
if v is None:
    {out} = None
elif type(v) is tuple:  # the recipe (path, line, column, text) of a Source not made yet
    {out} = v[1]{tuple_column}
else:
    {out} = v.line{column}"""


#: A 예산 총괄 row in the screen's part: its item and line, each figure's value, unit and line, its place.
_ROW = "item, item_l, previous, previous_u, previous_l, current, current_u, current_l, at"


def _indented(code: str, depth: int) -> str:
    return "\n".join(("    " * depth + line) if line else line for line in code.split("\n"))


def _walk_source(screen: bool = False) -> str:
    """The code of :func:`_walk` (one function: :mod:`auditor.crossdoc.packing` holds it written out); with
    ``screen``, of :func:`_screen_walk` (the same walk by the screen's snippets, making the first part alone)."""
    if screen:
        year, text, figure, place = (_screen_text_code, _screen_text_code, _screen_figure_code, _screen_place_code)
    else:
        year, text, figure, place = (functools.partial(_text_code, details="year_details", year=True), _text_code,
                                     _figure_code, _place_code)
    row = [text("r._recipe_item", "item", recipe=True), figure("r.previous", "previous"),
           figure("r.current", "current"), place("r._recipe_source", "at")]
    settlement = [year("r.year", "y")] + [figure(f"r.{name}", f"a{n}") for n, name in enumerate(_COLUMNS)] + [
        place("r._recipe_source", "at")]
    amounts = ", ".join(f"a{n}, a{n}_u, a{n}_l" for n in range(len(_COLUMNS)))
    category = [text("c._recipe_name", "name", recipe=True), text("c.code", "code"), text("c.project", "project"),
                text("c.department", "department"), place("c._recipe_source", "at")]
    head = ["def screen_walk(sheet):"] if screen else [
        "def walk(sheet):",
        "    figure_details, text_details, year_details, place_details, line_details, odd = [], [], [], [], [], []"]
    if screen:
        head.append("    odd = []")
    lines = "group_heads(c.groups, odd)" if screen else "group_lines(line_details, c.groups, odd)"
    end = ["    return join((HEAD(len(head)), head))"] if screen else [
        "    return join((HEAD(len(head)), head, dumps(",
        "        (figure_details, text_details, year_details, place_details, line_details), VERSION)))"]
    body = "\n".join([
        *head,
        "    s, b = sheet.summary, sheet.basis",
        _indented(text("sheet.title", "title") + year("sheet.budget_year", "budget_year")
                  + year("s.previous_year", "previous_year") + year("s.current_year", "current_year"), 1),
        "    r = s.total",
        "    if r is None:",
        "        total = None",
        "    else:",
        _indented("".join(row), 2),
        f"        total = ({_ROW})",
        "    rows = []",
        "    for r in s.rows:",
        _indented("".join(row), 2),
        f"        rows.append(({_ROW}))",
        "    settlement = []",
        "    for r in sheet.settlement.rows:",
        _indented("".join(settlement), 2),
        f"        settlement.append((y, y_l, {amounts}, at))",
        _indented(year("b.year", "basis_year") + place("b._recipe_source", "basis_at"), 1),
        "    categories = []",
        "    for c in b.categories:",
        _indented("".join(category), 2),
        "        categories.append((name, name_l, code, code_l, project, project_l, department, department_l, at,",
        f"                           {lines}))",
        "    head = dumps((PACKED_AS_WRITTEN if odd else PACKED, title, title_l, budget_year, budget_year_l,",
        "                  (previous_year, previous_year_l, current_year, current_year_l, total, tuple(rows)),",
        "                  tuple(settlement), (basis_year, basis_year_l, basis_at, tuple(categories))), VERSION)",
        *end,
    ])
    return body


def _screen_figure_code(src: str, out: str) -> str:
    """A figure's code in the screen's walk: ``out``, ``out_u`` and ``out_l`` its value, unit (None for 천원) and
    line, no more."""
    return _figure_code(src, out, details=False)


def _screen_text_code(src: str, out: str, recipe: bool = False) -> str:
    """A text's (or a year's) code in the screen's walk: ``out`` and ``out_l`` its value and line; ``recipe`` as for
    :func:`_text_code`."""
    read = f"elif type(v) is tuple:\n    {out}, {out}_l = v[0], v[2]\n" if recipe else ""
    return f"""
v = {src}
if v is None:
    {out} = {out}_l = None
{read}else:
    source = v._recipe_source
    {out}, {out}_l = v.value, source[1] if type(source) is tuple else source.line"""


def _screen_place_code(src: str, out: str) -> str:
    """A row's place in the screen's walk: ``out`` its line."""
    return _place_code(src, out, details=False)


def _screen_walk_source() -> str:
    """The code of :func:`_screen_walk`: :func:`_walk_source`'s walk making the screen's part alone (its
    bytes the first part of what ``walk`` makes, its 4-byte length first; no details part after it)."""
    return _walk_source(screen=True)


def _made_walk() -> Any:
    """``walk(sheet)``: the packed form of ``sheet``'s projection (:func:`pack` of :func:`_projection`'s
    values, each 산출근거 line's rest as :func:`_parts` keeps it), made in one walk of the model with every
    value written out where it is read (:func:`_walk_source`); its lines by :data:`_group_lines` as it is
    when the walk is made. A run's walk is :mod:`auditor.crossdoc.packing`'s, the same text byte-compiled
    (:func:`written_packing`); this one is for tests that break a snippet on purpose."""
    namespace = {**_PACKING_NAMES, "group_lines": _group_lines}
    exec(compile(_walk_source(), "<packed walk>", "exec"), namespace)  # written out once, from the snippets
    return namespace["walk"]


def _made_screen_walk() -> Any:
    """``screen_walk(sheet)`` made from its text (:func:`_screen_walk_source`), its lines by
    :data:`_group_heads` as it is when the walk is made: for tests that break a snippet on purpose."""
    namespace = {**_PACKING_NAMES, "group_heads": _group_heads}
    exec(compile(_screen_walk_source(), "<screen walk>", "exec"), namespace)  # written out once, from the snippets
    return namespace["screen_walk"]


def _screen_parts(items: Any = None) -> Any:
    """``parts(lines)`` of :data:`_SCREEN_PARTS`, each group's items by ``items`` (for tests, as :func:`_parts`)."""
    namespace = {**_PACKING_NAMES, "item_heads": items}
    source = _SCREEN_PARTS.replace("ITEMS", ", item_heads(x.items, odd)" if items is not None else "")
    exec(compile(source, "<screen lines>", "exec"), namespace)
    return namespace["parts"]


#: marshal's format for both parts: 2, with no back-references, so that dumping puts no shared value (a
#: line number, a label) in a hash table first: about 40 k instructions a generated sheet (the current
#: format's references made the screen's part smaller and a little quicker to load, once a cross pass,
#: and only for a project named by more than one document; version 4 for an e호조 unit's, whose rows
#: repeat their 예산구분, measured a loss too).
_VERSION = 2


_PARTS = """
def parts(details, lines, odd):
    out = []
    for x in lines:
        t = x._recipe_label
        a = x.amount
        place = x._recipe_source
        formula = x._recipe_formula
        if formula is not None:  # kept only when it restates an earlier version (경정 ...), as _restating keeps it
            value = formula[0] if type(formula) is tuple else formula.value
            formula = text_of(formula) if "경정" in value and value.lstrip().startswith("경정") else None
        previous, kind = x.previous, x.budget_kind
        if previous is None:
            if type(t) is tuple and type(place) is tuple and a is not None and kind is None and formula is None:
                # a sheet's line: its label's recipe (value, path, line, column, text), a figure, its place
                label, _, label_line, label_column, label_text = t
                amount, unit, source = a.value, a.unit, a._recipe_source
                if type(source) is tuple:  # the recipe (path, line, column, text) of a Source not made yet
                    _, amount_line, amount_column, amount_text = source
                else:
                    amount_line, amount_column, amount_text = source.line, source.column, source.text
                details.append((label_line, label_column, None if label_text == label else label_text, amount_line,
                                amount_column, amount_text, place[2]))
                if type(amount) is int and unit == unit_name:  # a whole figure in 천원
                    out.append((label, amount, None, None, None, None, None, place[1]ITEMS))
                    continue
                odd.append(amount)  # another unit, or a decimal written as its text (PACKED_AS_WRITTEN)
                out.append((label, amount if type(amount) is int else str(amount),
                            None if unit == unit_name else unit, None, None, None, None, place[1]ITEMS))
                continue
        elif type(t) is tuple and type(place) is tuple and a is not None and (
                kind is not None and formula is None):
            # an e호조 row as read: its label's recipe, 금액, 기정액 and 예산구분 (a Text), its place's recipe
            label, _, label_line, label_column, label_text = t
            amount, unit, source = a.value, a.unit, a._recipe_source
            if type(source) is tuple:  # the recipe (path, line, column, text) of a Source not made yet
                _, amount_line, amount_column, amount_text = source
            else:
                amount_line, amount_column, amount_text = source.line, source.column, source.text
            previous, previous_unit, source = previous.value, previous.unit, previous._recipe_source
            if type(source) is tuple:
                _, previous_line, previous_column, previous_text = source
            else:
                previous_line, previous_column, previous_text = source.line, source.column, source.text
            if type(kind) is tuple:  # a lazy Text field's recipe (value, path, line, column, text)
                kind, _, kind_line, kind_column, kind_text = kind
            else:
                kind, source = kind.value, kind._recipe_source
                if type(source) is tuple:
                    _, kind_line, kind_column, kind_text = source
                else:
                    kind_line, kind_column, kind_text = source.line, source.column, source.text
            details.append((label_line, label_column, None if label_text == label else label_text, amount_line,
                            amount_column, amount_text, previous_line, previous_column, previous_text, kind_line,
                            kind_column, None if kind_text == kind else kind_text, None, None, None, place[2]))
            if (type(amount) is int and unit == unit_name and type(previous) is int
                    and previous_unit == unit_name):  # whole figures in 천원
                out.append((label, amount, None, previous, None, kind, None, place[1]ITEMS))
                continue
            odd.append(amount)  # another unit, or a decimal written as its text (PACKED_AS_WRITTEN)
            out.append((label, amount if type(amount) is int else str(amount), None if unit == unit_name else unit,
                        previous if type(previous) is int else str(previous),
                        None if previous_unit == unit_name else previous_unit, kind, None, place[1]ITEMS))
            continue
        # a line whose values were made since it was read, or of another shape
        if t is None:
            label = label_line = label_column = label_text = None
        else:
            if type(t) is tuple:  # a lazy Text field's recipe (value, path, line, column, text)
                label, _, label_line, label_column, label_text = t
            else:
                label, source = t.value, t._recipe_source
                if type(source) is tuple:
                    _, label_line, label_column, label_text = source
                else:
                    label_line, label_column, label_text = source.line, source.column, source.text
            if label_text == label:
                label_text = None
        if a is None:
            amount = unit = amount_line = amount_column = amount_text = None
        else:
            amount, unit, source = a.value, a.unit, a._recipe_source
            if type(source) is tuple:
                _, amount_line, amount_column, amount_text = source
            else:
                amount_line, amount_column, amount_text = source.line, source.column, source.text
            if type(amount) is not int or unit != unit_name:  # another unit, or a decimal (PACKED_AS_WRITTEN)
                odd.append(amount)
            if type(amount) is not int:
                amount = str(amount)
            if unit == unit_name:
                unit = None
        # its 기정액 and 예산구분 written out (as _amount and _text keep them): an e호조 row has both
        if previous is None:
            previous = previous_unit = previous_line = previous_column = previous_text = None
        else:
            previous, previous_unit, source = previous.value, previous.unit, previous._recipe_source
            if type(source) is tuple:
                _, previous_line, previous_column, previous_text = source
            else:
                previous_line, previous_column, previous_text = source.line, source.column, source.text
            if type(previous) is not int or previous_unit != unit_name:
                odd.append(previous)
            if type(previous) is not int:
                previous = str(previous)
            if previous_unit == unit_name:
                previous_unit = None
        if kind is None:
            kind = kind_line = kind_column = kind_text = None
        else:
            if type(kind) is tuple:  # a lazy Text field's recipe (value, path, line, column, text)
                kind, _, kind_line, kind_column, kind_text = kind
            else:
                kind, source = kind.value, kind._recipe_source
                if type(source) is tuple:
                    _, kind_line, kind_column, kind_text = source
                else:
                    kind_line, kind_column, kind_text = source.line, source.column, source.text
            if kind_text == kind:
                kind_text = None
        formula = formula or _NONE4
        if place is None:
            line = column = None
        elif type(place) is tuple:
            line, column = place[1], place[2]
        else:
            line, column = place.line, place.column
        details.append((label_line, label_column, label_text, amount_line, amount_column, amount_text,
                        previous_line, previous_column, previous_text, kind_line, kind_column, kind_text,
                        formula[1], formula[2], formula[3], column))
        out.append((label, amount, unit, previous, previous_unit, kind, formula[0], lineITEMS))
    return tuple(out)
"""


_SCREEN_PARTS = """
def parts(lines, odd):
    out = []
    for x in lines:
        t = x._recipe_label
        a = x.amount
        place = x._recipe_source
        formula = x._recipe_formula
        if formula is not None:  # kept only when it restates an earlier version (경정 ...), as _restating keeps it
            value = formula[0] if type(formula) is tuple else formula.value
            formula = value if "경정" in value and value.lstrip().startswith("경정") else None
        previous, kind = x.previous, x.budget_kind
        if previous is None and kind is None and type(t) is tuple and type(place) is tuple and a is not None:
            # a sheet's line as read: its label's recipe (value, path, line, column, text), a figure, its place's
            amount, unit = a.value, a.unit
            if type(amount) is int and unit == unit_name:  # a whole figure in 천원
                out.append((t[0], amount, None, None, None, None, formula, place[1]ITEMS))
                continue
            odd.append(amount)  # another unit, or a decimal written as its text (PACKED_AS_WRITTEN)
            out.append((t[0], amount if type(amount) is int else str(amount), None if unit == unit_name else unit,
                        None, None, None, formula, place[1]ITEMS))
            continue
        if t is not None:
            t = t[0] if type(t) is tuple else t.value
        if a is None:
            amount = unit = None
        else:
            amount, unit = a.value, a.unit
            if type(amount) is not int or unit != unit_name:  # another unit, or a decimal (PACKED_AS_WRITTEN)
                odd.append(amount)
            if type(amount) is not int:
                amount = str(amount)
            if unit == unit_name:
                unit = None
        if previous is None:
            previous_unit = None
        else:
            previous, previous_unit = previous.value, previous.unit
            if type(previous) is not int or previous_unit != unit_name:
                odd.append(previous)
            if type(previous) is not int:
                previous = str(previous)
            if previous_unit == unit_name:
                previous_unit = None
        if kind is not None:
            kind = kind[0] if type(kind) is tuple else kind.value
        if place is not None:
            place = place[1] if type(place) is tuple else place.line
        out.append((t, amount, unit, previous, previous_unit, kind, formula, placeITEMS))
    return tuple(out)
"""


def _parts(cls: type, items: Any = None) -> Any:
    """The packed form of the 산출근거 lines of ``cls``: ``parts(details, lines)`` gives, for each line,
    what the screen reads of it, ``(label, 금액, its unit or None for 천원, 기정액, its unit, 예산구분, a
    restating formula, line)`` (values as :func:`_amount` and :func:`_text` keep them; a group's with the
    tuple ``items(details, group.items)`` gives after it), and appends to the list ``details`` the rest
    of the line: ``(label's line, column, text or None; 금액's line, column, text; 기정액's; 예산구분's; the
    formula's; the line's column)``, None for each part absent, or for a line of a label, a figure in its recipe's
    place and nothing else (a sheet's) ``(label's line, column, text or None; 금액's; the line's column)``
    (a group's rest before its items').

    The loop is made once for each class (from :data:`_PARTS`; a run's are :mod:`auditor.crossdoc.packing`'s
    ``item_lines`` and ``group_lines``, the same text byte-compiled), so that each reads the attributes of one
    class only: the interpreter then reads them as slots (an attribute read that sees two classes in
    turn takes the slower, general lookup, about ten times the instructions). Made for every line of every
    document read: the two shapes the readers give are written out, each tested first by whether the line
    has a 기정액 (a sheet's line: its label's recipe, a figure, its place; an e호조 row as read: its
    label's recipe, 금액, 기정액, 예산구분, its place, no restating formula), every other line (values made
    since they were read, parts absent) takes the general branch, which gives the same values; a
    restating formula (rare) goes through :func:`_text`."""
    namespace = {**_PACKING_NAMES, "items": items}
    source = _PARTS.replace("ITEMS", ", items(details, x.items, odd)" if items is not None else "")
    exec(compile(source, f"<packed {cls.__name__} lines>", "exec"), namespace)  # one code object a class
    return namespace["parts"]


_NONE4, _NONE5 = (None,) * 4, (None,) * 5
_NONE9 = (None,) * 9


# --- the packed walk, written out in a module -----------------------------------------------------------
#
# The text _walk_source() and _PARTS make is the same at every run; compiling it at import cost about 30 M
# instructions a run (CPython's parser and compiler: the walk 19.6 M, each class's lines loop 5-8 M).
# auditor/crossdoc/packing.py holds it written out (scripts/gen_packing.py writes it from written_packing();
# tests/test_crossdoc_index.py fails when it is stale), so that a run loads its byte-compiled code as it
# loads any module's. _parts() and _made_walk() make the same functions from the text (for tests that break
# a snippet on purpose).

#: The names the packed walk's code reads besides its own functions, given to the module by this one.
_PACKING_NAMES = {"text_of": _text, "unit_name": _UNIT, "_NONE4": _NONE4, "dumps": marshal.dumps,
                  "PACKED": PACKED, "PACKED_AS_WRITTEN": PACKED_AS_WRITTEN, "VERSION": _VERSION, "HEAD": _HEAD.pack, "join": b"".join}


def written_packing() -> str:
    """The text of :mod:`auditor.crossdoc.packing`: the lines' loop for items (``item_lines``) and for groups
    (``group_lines``, each group's items by ``item_lines``), both from :data:`_PARTS`, and ``walk`` from
    :func:`_walk_source`."""
    items = _PARTS.replace("ITEMS", "").replace("def parts(", "def item_lines(", 1)
    groups = _PARTS.replace("ITEMS", ", items(details, x.items, odd)").replace("def parts(", "def group_lines(", 1)
    screen_items = _SCREEN_PARTS.replace("ITEMS", "").replace("def parts(", "def item_heads(", 1)
    screen_groups = _SCREEN_PARTS.replace("ITEMS", ", item_heads(x.items, odd)").replace("def parts(", "def group_heads(", 1)
    return "\n".join([
        '"""The packed walk of an index entry, written out: generated by scripts/gen_packing.py from',
        "auditor/crossdoc/index.py (written_packing: _PARTS and _walk_source), do not edit by hand.",
        "",
        "index.py gives this module the names its code reads besides its own functions (_PACKING_NAMES) and",
        'takes item_lines, group_lines and walk from it; tests/test_crossdoc_index.py holds it to the generator."""',
        "# ruff: noqa",
        items.rstrip("\n"), "", "", "items = item_lines", "",
        groups.rstrip("\n"), "", "", _walk_source(), "", "",
        screen_items.rstrip("\n"), "", "", screen_groups.rstrip("\n"), "", "", _screen_walk_source(), ""])


from auditor.crossdoc import packing as _packing  # noqa: E402 - its code reads the names above

vars(_packing).update(_PACKING_NAMES)
_item_lines, _group_lines, _walk = _packing.item_lines, _packing.group_lines, _packing.walk
_item_heads, _group_heads, _screen_walk = _packing.item_heads, _packing.group_heads, _packing.screen_walk


def _flat(nested: tuple) -> tuple:
    """The screen's part as it is packed, from its nested form (each text or year a ``(value, line)`` pair, each
    figure a ``(value, unit, line)`` triple, each place a ``(line,)``: the shape :func:`_screen_part` works out,
    :func:`_checked_as` checks and :func:`_unpacked` joins with the details): each of those values' items held
    in turn in the tuple of the part that holds it, None for each item of a value absent."""
    form, title, year, (previous_year, current_year, total, rows), settlement, (basis_year, at, categories) = nested

    def row(r: tuple | None) -> tuple | None:
        return None if r is None else (*(r[0] or _NONE2), *(r[1] or _NONE3), *(r[2] or _NONE3),
                                       None if r[3] is None else r[3][0])

    return (form, *(title or _NONE2), *(year or _NONE2),
            (*(previous_year or _NONE2), *(current_year or _NONE2), row(total), tuple([row(r) for r in rows])),
            tuple([(*(y or _NONE2), *[v for a in amounts for v in (a or _NONE3)], None if p is None else p[0])
                   for y, amounts, p in settlement]),
            (*(basis_year or _NONE2), None if at is None else at[0], tuple([
                (*(c[0] or _NONE2), *(c[1] or _NONE2), *(c[2] or _NONE2), *(c[3] or _NONE2),
                 None if c[4] is None else c[4][0], c[5]) for c in categories])))


def _nested(flat: tuple) -> tuple:
    """The screen's part in its nested form (:func:`_flat`'s argument) from the form it is packed in (made in this
    run: a value's items are all None or none of its value and line are), for the paths that read a flagged
    document's values with their lines (the details made again, the entry rebuilt), never for the screen: each
    value's tuple a slice of its part's (about 10 k instructions a sheet; :func:`_checked_nested`, which tests
    every value's items, about 48 k)."""
    form, title, title_line, year, year_line, summary, settlement, (basis_year, basis_year_line, at, categories) = flat
    previous_year, previous_line, current_year, current_line, total, rows = summary
    return (form, None if title is None else (title, title_line), None if year is None else (year, year_line),
            (None if previous_year is None else (previous_year, previous_line),
             None if current_year is None else (current_year, current_line),
             None if total is None else (None if total[0] is None else total[0:2], None if total[2] is None else total[2:5],
                                         None if total[5] is None else total[5:8], None if total[8] is None else total[8:]),
             tuple([None if r is None else (None if r[0] is None else r[0:2], None if r[2] is None else r[2:5],
                                            None if r[5] is None else r[5:8], None if r[8] is None else r[8:])
                    for r in rows])),
            tuple([(None if r[0] is None else r[0:2], tuple([None if r[k] is None else r[k:k + 3] for k in _FIGURES_AT]),
                    None if r[-1] is None else r[-1:]) for r in settlement]),
            (None if basis_year is None else (basis_year, basis_year_line), None if at is None else (at,),
             tuple([(None if c[0] is None else c[0:2], None if c[2] is None else c[2:4], None if c[4] is None else c[4:6],
                     None if c[6] is None else c[6:8], None if c[8] is None else c[8:9], c[9]) for c in categories])))


#: Where a 결산 row of the flat form holds each figure's value (its unit and line after it).
_FIGURES_AT = tuple(range(2, 2 + 3 * len(_COLUMNS), 3))


def _checked_nested(flat: tuple) -> tuple:
    """:func:`_nested` of a part not made in this run (the results cache's), each value's items tested: ValueError
    for a value without its line, a line without its value, or a part of another shape."""
    try:
        (form, title, title_line, year, year_line, summary, settlement,
         (basis_year, basis_year_line, at, categories)) = flat
        previous_year, previous_line, current_year, current_line, total, rows = summary

        def row(r: tuple | None) -> tuple | None:
            if r is None:
                return None
            item, item_line, previous, previous_unit, previous_at, current, current_unit, current_at, line = r
            return (_pair(item, item_line), _triple(previous, previous_unit, previous_at),
                    _triple(current, current_unit, current_at), None if line is None else (line,))

        width = 3 * len(_COLUMNS)
        out_settlement = []
        for r in settlement:
            if len(r) != width + 3:
                raise ValueError("a 결산 row of another length")
            out_settlement.append((_pair(r[0], r[1]), tuple([_triple(*r[k:k + 3]) for k in range(2, 2 + width, 3)]),
                                   None if r[-1] is None else (r[-1],)))
        out_categories = []
        for c in categories:
            name, name_line, code, code_line, project, project_line, department, department_line, place, groups = c
            out_categories.append((_pair(name, name_line), _pair(code, code_line), _pair(project, project_line),
                                   _pair(department, department_line), None if place is None else (place,), groups))
        return (form, _pair(title, title_line), _pair(year, year_line),
                (_pair(previous_year, previous_line), _pair(current_year, current_line), row(total),
                 tuple([row(r) for r in rows])),
                tuple(out_settlement),
                (_pair(basis_year, basis_year_line), None if at is None else (at,), tuple(out_categories)))
    except TypeError:  # a part that is not a sequence
        raise ValueError("an index entry's screen part of another shape") from None


def _pair(value: Any, line: Any) -> tuple | None:
    """A text's or a year's ``(value, line)``: None when both are (absent); ValueError when only one is."""
    if value is None and line is None:
        return None
    if value is None or line is None:
        raise ValueError("a value without its line, or a line without its value")
    return (value, line)


def _triple(value: Any, unit: Any, line: Any) -> tuple | None:
    """A figure's ``(value, unit, line)``: None when all three are (absent); ValueError for a unit or a line
    without a value, or a value without its line."""
    if value is None and unit is None and line is None:
        return None
    if value is None or line is None:
        raise ValueError("a figure without its line, or a line without its figure")
    return (value, unit, line)


_NONE2, _NONE3 = (None,) * 2, (None,) * 3


def _split(x: tuple, details: list, odd: list) -> tuple:
    """A line of the projection in its packed parts (as :func:`_parts` makes them)."""
    label, amount, previous, kind, formula, at = x[:6]
    t, a, p, k, f = (label or _NONE4), (amount or _NONE5), (previous or _NONE5), (kind or _NONE4), (formula or _NONE4)
    details.append((t[1], t[2], t[3], a[2], a[3], a[4], p[2], p[3], p[4], k[1], k[2], k[3], f[1], f[2], f[3],
                    None if at is None else at[1]))
    return (t[0], _noted(a[0], a[1], odd), a[1], _noted(p[0], p[1], odd), p[1], k[0], f[0],
            None if at is None else at[0])


def _noted(value: int | str | None, unit: str | None, odd: list) -> int | str | None:
    """A figure's value as the screen's part holds it (as written), noted in ``odd`` when it is not a whole
    figure in 천원 (another unit, or a decimal's text): the entry is then ``PACKED_AS_WRITTEN``."""
    if value is not None and (value.__class__ is not int or unit is not None):
        odd.append(value)
    return value



def pack(projection: tuple) -> bytes:
    """The packed form of a projection (:func:`_projection`'s shape)."""
    screen, details = _screen_part(projection)
    head = marshal.dumps(screen, _VERSION)
    return _HEAD.pack(len(head)) + head + marshal.dumps(details, _VERSION)


def _screen_part(projection: tuple) -> tuple[tuple, tuple]:
    """The two packed parts of a projection (:func:`_projection`'s shape): the screen's, and the details
    (each kind's columns and texts, and each 산출근거 line's rest: :func:`_split`), as :func:`_walk`
    makes them."""
    form, title, year, summary, settlement, (basis_year, basis_at, categories) = projection
    previous_year, current_year, total, rows = summary
    figures: list[Any] = []
    texts: list[Any] = []
    years: list[Any] = []
    places: list[Any] = []
    lines: list[tuple] = []
    odd: list[Any] = []

    def text(t: tuple | None, kept: list = texts) -> tuple | None:  # a text or a year
        if t is None:
            return None
        kept += (t[2], t[3])
        return (t[0], t[1])

    def figure(a: tuple | None) -> tuple | None:
        if a is None:
            return None
        figures.extend((a[3], a[4]))
        return (_noted(a[0], a[1], odd), a[1], a[2])

    def place(p: tuple | None) -> tuple | None:
        if p is None:
            return None
        places.append(p[1])
        return (p[0],)

    def row(r: tuple | None) -> tuple | None:
        return None if r is None else (text(r[0]), figure(r[1]), figure(r[2]), place(r[3]))

    screen = (text(title), text(year, years),
              (text(previous_year, years), text(current_year, years), row(total), tuple([row(r) for r in rows])),
              tuple([(text(y, years), tuple([figure(a) for a in amounts]), place(at))
                     for y, amounts, at in settlement]),
              (text(basis_year, years), place(basis_at), tuple([
                  (text(c[0]), text(c[1]), text(c[2]), text(c[3]), place(c[4]),
                   tuple([(*_split(g, lines, odd), tuple([_split(i, lines, odd) for i in g[6]])) for g in c[5]]))
                  for c in categories])))
    return _flat((PACKED_AS_WRITTEN if odd else PACKED, *screen)), (figures, texts, years, places, lines)


def _joined(x: tuple, d: tuple) -> tuple:
    """A line of the projection from its packed parts (``x`` the screen's, ``d`` the details: :func:`_parts`)."""
    label, amount, unit, previous, previous_unit, kind, formula, line = x[:8]
    if len(d) == 7:  # a sheet's line: its label, figure and place only
        d = d[:6] + _NONE9 + d[6:]
    return (None if label is None else (label, d[0], d[1], d[2]),
            None if amount is None else (amount, unit, d[3], d[4], d[5]),
            None if previous is None else (previous, previous_unit, d[6], d[7], d[8]),
            None if kind is None else (kind, d[9], d[10], d[11]),
            None if formula is None else (formula, d[12], d[13], d[14]),
            None if line is None else (line, d[15]))


class NoDetails(ValueError):
    """An entry made without its details (``entry_of(..., details=False)``): it is unpacked only once its
    details are made again from its file (:class:`auditor.crossdoc.pipeline.Reindex`)."""


def has_details(entry: Entry) -> bool:
    """Does ``entry`` hold its details (each value's column and text as written), or only the screen's part?"""
    data = entry.packed()
    if entry.stored_text:  # JSON text: the screen's part alone starts with PACKED
        return not (data.startswith(b"[%d," % PACKED) or data.startswith(b"[%d," % PACKED_AS_WRITTEN))
    return len(data) > 4 + _HEAD.unpack_from(data)[0]


def kind_and_line(sheet: Sheet) -> tuple[str, int]:
    """The kind and first line :func:`entry_of` gives ``sheet``'s entry, without making it."""
    if is_export(sheet):
        return EXPORT, _first_line(sheet)
    return SHEET, sheet.first_line


def _unpacked(data: bytes) -> tuple:
    """The projection of packed ``data``; :class:`NoDetails` when it holds the screen's part alone."""
    view = memoryview(data)
    (length,) = _HEAD.unpack_from(view)
    if len(view) <= 4 + length:
        raise NoDetails("an index entry made without its details")
    head = marshal.loads(view[4:4 + length])
    if head[0] != PACKED and head[0] != PACKED_AS_WRITTEN:
        raise ValueError(f"an index entry packed as {head[0]}, not {PACKED}")
    form, title, year, summary, settlement, (basis_year, basis_at, categories) = _nested(head)
    previous_year, current_year, total, rows = summary
    figures, texts, years, places, lines = marshal.loads(view[4 + length:])
    next_figure, next_text, next_year, next_place = (iter(figures).__next__, iter(texts).__next__,
                                                     iter(years).__next__, iter(places).__next__)
    next_line = iter(lines).__next__

    def text(t: tuple | None, kept: Any = next_text) -> tuple | None:  # a text or a year
        return None if t is None else (t[0], t[1], kept(), kept())

    def figure(a: tuple | None) -> tuple | None:
        return None if a is None else (a[0], a[1], a[2], next_figure(), next_figure())

    def place(p: tuple | None) -> tuple | None:
        return None if p is None else (p[0], next_place())

    def row(r: tuple | None) -> tuple | None:
        return None if r is None else (text(r[0]), figure(r[1]), figure(r[2]), place(r[3]))

    return (FORMAT, text(title), text(year, next_year),
            (text(previous_year, next_year), text(current_year, next_year), row(total),
             tuple([row(r) for r in rows])),
            tuple([(text(y, next_year), tuple([figure(a) for a in amounts]), place(at))
                   for y, amounts, at in settlement]),
            (text(basis_year, next_year), place(basis_at), tuple([
                (text(c[0]), text(c[1]), text(c[2]), text(c[3]), place(c[4]),
                 tuple([(*_joined(g, next_line()), tuple([_joined(i, next_line()) for i in g[8]])) for g in c[5]]))
                for c in categories])))


def without_details(entry: Entry) -> bytes:
    """The packed form of ``entry``'s screen part with stand-in details: each value at column 1 of its line,
    written as its value (a figure's text its value's digits). For a document whose details cannot be made
    again (its file gone or unreadable since it was checked, or a pass given no files): its values and
    lines are the entry's, so that its findings are still made, at the start of their lines."""
    head = screen_data(entry)
    _, title, year, summary, settlement, (basis_year, basis_at, categories) = _nested(head)
    previous_year, current_year, total, rows = summary
    figures: list[Any] = []
    texts: list[Any] = []
    years: list[Any] = []
    places: list[Any] = []
    lines: list[tuple] = []

    def text(t: tuple | None, kept: list = texts) -> None:  # a text or a year: column 1, written as its value
        if t is not None:
            kept += (1, None)

    def figure(a: tuple | None) -> None:
        if a is not None:
            figures.extend((1, str(a[0])))

    def place(p: tuple | None) -> None:
        if p is not None:
            places.append(1)

    def line(x: tuple) -> None:
        amount, previous, at = x[1], x[3], x[7]
        n = at if at is not None else 1
        lines.append((n, 1, None, n, 1, None if amount is None else str(amount), n, 1,
                      None if previous is None else str(previous), n, 1, None, n, 1, None, 1))

    def row(r: tuple | None) -> None:
        if r is not None:
            text(r[0])
            figure(r[1])
            figure(r[2])
            place(r[3])

    text(title)
    text(year, years)
    text(previous_year, years)
    text(current_year, years)
    row(total)
    for r in rows:
        row(r)
    for y, amounts, at in settlement:
        text(y, years)
        for a in amounts:
            figure(a)
        place(at)
    text(basis_year, years)
    place(basis_at)
    for c in categories:
        for t in c[:4]:
            text(t)
        place(c[4])
        for g in c[5]:
            line(g)
            for i in g[8]:
                line(i)
    screen = marshal.dumps(head, _VERSION)
    return _HEAD.pack(len(screen)) + screen + marshal.dumps((figures, texts, years, places, lines), _VERSION)


def screen_data(entry: Entry) -> tuple:
    """What the screen reads of ``entry``: the first packed part (of a projection kept by the results cache,
    made from it); ValueError as for :func:`unpack`."""
    if entry.stored_text:
        data = _json_of(entry)
        if type(data) is list and data and data[0] in _SCREEN_FORMS and type(data[0]) is int:  # kept without details
            return _checked_screen(data)
        return _screen_part(_checked_projection(data))[0]
    data = entry.packed()
    (length,) = _HEAD.unpack_from(data)
    head = marshal.loads(memoryview(data)[4:4 + length])
    if head[0] != PACKED and head[0] != PACKED_AS_WRITTEN:
        raise ValueError(f"an index entry packed as {head[0]}, not {PACKED}")
    return head


def entries_of(sheets: Iterable[Sheet]) -> list[Entry]:
    """The entries of several documents, in order."""
    return [entry_of(sheet) for sheet in sheets]


# --- rebuilding it ----------------------------------------------------------------------------------

def _fast(cls: type, names: tuple[str, ...]) -> Any:
    """A constructor of ``cls`` (a frozen, slotted attrs model class) taking ``names`` in that order and
    setting every other field at its default, without the converters, validators and frozen checks of
    ``__init__`` (the index gives only values of the right types, tuples for lists): written once as
    plain Python, as attrs writes ``__init__``, setting each slot through its descriptor. The objects
    are equal to those ``cls(...)`` makes. When ``cls`` is not made of such fields (its internals
    changed), it is an ordinary call of ``cls``."""
    fields = fields_of(cls)
    slots = {f.name: next((k.__dict__[f.name] for k in cls.__mro__ if f.name in k.__dict__), None) for f in fields}
    slots = {name: getattr(d, "slot", d) for name, d in slots.items()}  # a lazy slot holds its member descriptor
    if not set(names) <= set(slots) or any(type(d).__name__ != "member_descriptor" for d in slots.values()):
        return lambda *values: cls(**dict(zip(names, values)))
    namespace: dict[str, Any] = {"new": object.__new__, "cls": cls}
    lines = [f"def make({', '.join(f'v{i}' for i in range(len(names)))}):", "    obj = new(cls)"]
    for n, f in enumerate(fields):
        namespace[f"set{n}"] = slots[f.name].__set__
        if f.name in names:
            value = f"v{names.index(f.name)}"
        elif factory_of(f) is not None:
            namespace[f"factory{n}"] = factory_of(f)
            value = f"factory{n}()"
        else:
            namespace[f"default{n}"] = f.default
            value = f"default{n}"
        lines.append(f"    set{n}(obj, {value})")
    lines.append("    return obj")
    exec(compile("\n".join(lines), f"<fast {cls.__name__}>", "exec"), namespace)  # made here from field names
    return namespace["make"]


_LINE = ("label", "amount", "previous", "budget_kind", "formula", "source", "items", "base", "unchanged")
#: The readers' own constructor of an Amount: it presets the cached slots Amount.exact and .half of a whole
#: figure, which nearly every cross rule reads (worked out on first read otherwise).
_new_amount = new_amount
#: The other constructors of a rebuilt document (:func:`_fast`), made when the first document is rebuilt
#: (:func:`_made_constructors`): each is a ``compile()`` of about 0.7 M instructions, and a run whose
#: cross screen flags no project rebuilds none.
_new_source: Any = None
_new_text = _new_year = _new_group = _new_item = _new_row = _new_settlement_row = _new_category = _new_source
_new_summary = _new_basis = _new_settlement = _new_sheet = _new_source


def _made_constructors() -> None:
    """Make the constructors a rebuilt document needs (once: the first :class:`Rebuilt` asks)."""
    global _new_source, _new_text, _new_year, _new_group, _new_item, _new_row, _new_settlement_row, \
        _new_category, _new_summary, _new_basis, _new_settlement, _new_sheet
    _new_source = _fast(Source, ("path", "line", "column", "text"))
    _new_text = _fast(Text, ("value", "source"))
    _new_year = _fast(Year, ("value", "source"))
    _new_group = _fast(BasisGroup, _LINE)
    _new_item = _fast(BasisItem, _LINE[:6] + ("base",))
    _new_row = _fast(SummaryRow, ("item", "previous", "current", "source"))
    _new_settlement_row = _fast(SettlementRow, ("year", *SettlementRow.COLUMNS, "source"))
    _new_category = _fast(BasisCategory, ("name", "groups", "source", "project", "department", "code"))
    _new_summary = _fast(Summary, ("previous_year", "current_year", "total", "rows"))
    _new_basis = _fast(Basis, ("year", "categories", "source"))
    _new_settlement = _fast(Settlement, ("rows",))
    _new_sheet = _fast(Sheet, ("path", "title", "budget_year", "overview", "department", "summary", "basis",
                               "schedule", "settlement", "lines"))


#: The parts a rebuilt document leaves empty: made once (model objects never change).
_EMPTY = tuple(cls() for cls in (Overview, Department, Schedule))


class Rebuilt:
    """One entry's values as model objects, every source in the entry's file (:func:`rebuild`)."""

    def __init__(self, entry: Entry) -> None:
        if _new_sheet is None:
            _made_constructors()
        self.entry, self.path = entry, entry.path
        self.data = unpack(entry)

    def amount(self, a: tuple | None) -> Amount | None:
        if a is None:
            return None
        value, unit, line, column, text = a
        return _new_amount(value if type(value) is int else Decimal(value), unit or _UNIT,
                           _new_source(self.path, line, column, text))

    def text(self, t: tuple | None) -> Text | None:
        if t is None:
            return None
        value, line, column, text = t
        return _new_text(value, _new_source(self.path, line, column, value if text is None else text))

    def year(self, y: tuple | None) -> Year | None:
        if y is None:
            return None
        value, line, column, text = y
        return _new_year(value, _new_source(self.path, line, column, str(value) if text is None else text))

    def place(self, p: tuple | None) -> Source | None:
        return None if p is None else _new_source(self.path, p[0], p[1], "")

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

    def group_fields(self) -> list[tuple[tuple, dict, list[dict]]]:
        """The document's groups, before their bases are found: ``(category key, group fields, item
        fields)`` for each, in document order; the category key is (통계목 code, 통계목명) as written."""
        out = []
        for name, code, _project, _department, _place, lines in self.data[5][2]:
            key = (code[0] if code else "", name[0] if name else "")
            for g in lines:
                out.append((key, self.line_fields(g), [self.line_fields(i) for i in g[6]]))
        return out

    def versions(self) -> set[str]:
        """The 예산구분 labels of the document's rows (none for a sheet)."""
        return {x[3][0] for c in self.data[5][2] for g in c[5] for x in (g, *g[6]) if x[3] is not None}

    def sheet(self, groups: Iterable[tuple[dict, list[dict]]] | None = None) -> Sheet:
        """The document as a Sheet. ``groups`` are the fields of its groups and their items, as
        :meth:`group_fields` gave them (an export's, with their bases found across files: see
        :func:`auditor.crossdoc.cross.resolve_versions`)."""
        _, title, year, summary, settlement, basis = self.data
        previous_year, current_year, total, rows = summary
        path, new_amount, new_text, decimal = self.path, _new_amount, _new_text, Decimal
        # Every source is given as its recipe (path, line, column, text): the model's lazy source slots
        # make the Source only when something reads it (a finding, a related line), as a reader's are.

        def amount(a: tuple | None) -> Amount | None:
            if a is None:
                return None
            value, unit, line, column, text = a
            return new_amount(value if type(value) is int else decimal(value), unit or _UNIT, (path, line, column, text))

        def text(t: tuple | None) -> Text | None:
            if t is None:
                return None
            value, line, column, written = t
            return new_text(value, (path, line, column, value if written is None else written))

        def recipe(t: tuple | None) -> tuple | None:  # a lazy Text field's (lazy_text): made when read
            if t is None:
                return None
            value, line, column, written = t
            return (value, path, line, column, value if written is None else written)

        def place(p: tuple | None) -> tuple | None:
            return None if p is None else (path, p[0], p[1], "")

        def new_year(y: tuple | None) -> Year | None:
            if y is None:
                return None
            value, line, column, written = y
            return _new_year(value, (path, line, column, str(value) if written is None else written))

        def line(x: tuple) -> tuple:
            return (recipe(x[0]), amount(x[1]), amount(x[2]), text(x[3]), recipe(x[4]), place(x[5]))

        def row(r: tuple | None) -> SummaryRow | None:
            return None if r is None else _new_row(recipe(r[0]), amount(r[1]), amount(r[2]), place(r[3]))

        made = iter(groups) if groups is not None else None
        categories = []
        new_group, new_item = _new_group, _new_item
        for name, code, project, department, at, lines in basis[2]:
            if made is not None:
                category_groups = tuple([_made_group(*next(made)) for _ in lines])
            else:
                category_groups = tuple(
                    [new_group(*line(g), tuple([new_item(*line(i), None) for i in g[6]]), None, ()) for g in lines])
            categories.append(_new_category(recipe(name), category_groups, place(at), text(project), text(department),
                                            text(code)))
        return _new_sheet(
            path, text(title), new_year(year), *_EMPTY[:2],
            _new_summary(new_year(previous_year), new_year(current_year), row(total), tuple([row(r) for r in rows])),
            _new_basis(new_year(basis[0]), tuple(categories), place(basis[1])),
            _EMPTY[2],
            _new_settlement(tuple([_new_settlement_row(new_year(y), *map(amount, amounts), place(at))
                                   for y, amounts, at in settlement])),
            ())


_ITEM_NAMES = _LINE[:6]


def _made_group(fields: dict, items: list[dict]) -> BasisGroup:
    """A group from its fields (and its items'), as :meth:`Rebuilt.group_fields` gave them and the
    version index completed them (``base``, ``unchanged``)."""
    made_items = tuple(_new_item(*(item.get(n) for n in _ITEM_NAMES), item.get("base")) for item in items)
    return _new_group(*(fields.get(n) for n in _ITEM_NAMES), made_items, fields.get("base"),
                      tuple(fields.get("unchanged", ())))


def unpack(entry: Entry) -> tuple:
    """The entry's projection, as :func:`_projection` made it; ValueError for a projection kept by the
    results cache that is not exactly that shape (:func:`entry_from_data`)."""
    if entry.stored_text:
        data = _json_of(entry)
        if type(data) is list and data and data[0] in _SCREEN_FORMS and type(data[0]) is int:
            raise NoDetails("an index entry kept without its details")
        return _checked_projection(data)
    data = _unpacked(entry.packed())
    if data[0] != FORMAT:
        raise ValueError(f"an index entry of format {data[0]}, not {FORMAT}")
    return data


def rebuild(entry: Entry) -> Sheet:
    """The document of ``entry`` as a Sheet with what the index kept (no bases across files: see
    :func:`auditor.crossdoc.cross.project_of`)."""
    return Rebuilt(entry).sheet()


def index_bytes(data: bytes, path: str, *, fragment: bool = False) -> list[Entry]:
    """The entries of one input given as bytes: a 사업설명서 (``fragment``: part of one, as rule cases
    hold), or every unit of an e호조 export. For tests, rule cases and documented examples; a check run
    makes entries as it reads (:mod:`auditor.runner`)."""
    from auditor.readers import iter_sheets, read_bytes
    from auditor.readers.units import is_eho

    if is_eho(data.split(b"\n", 1)[0], path):
        return [entry_of(unit) for unit in iter_sheets(data, path)]
    return [entry_of(read_bytes(data, path, fragment=fragment))]


# --- entries as plain data (the results cache) --------------------------------------------------------
#
# An entry kept by the results cache (auditor.cache) is JSON: [kind, name, department, account, year,
# line, projection], the projection as JSON text (its tuples as lists). Reading one back checks each part against the
# exact shape _projection makes (types, lengths, positions of at least 1, decimal figures) when it is
# unpacked: anything else is a ValueError (identity fields when the entry is read, and the cache takes
# it as a miss; the projection when a project is rebuilt, and the cross pass reads the file again).
# Nothing is unmarshalled from the file.

from auditor.cache import _int, _str  # noqa: E402 - the cache's strict readers of JSON values (it imports this module lazily)


def _json_of(entry: Entry) -> Any:
    """The JSON data of an entry the results cache kept; ValueError when it is not JSON."""
    try:
        return json.loads(entry.packed().decode("utf-8"))
    except (UnicodeDecodeError, RecursionError) as e:
        raise ValueError(f"an index entry that is not JSON ({e.__class__.__name__})") from None


def entry_data(entry: Entry) -> list[Any]:
    """``entry`` as JSON data (lists, strings, integers and None), for :func:`entry_from_data`: its
    projection as JSON text, so that reading the cache parses one string per document, not its figures;
    of an entry made without its details, the screen's part (:func:`screen_data`, first value
    :data:`PACKED`), its details made again from the file if a later run's screen flags its project."""
    if entry.stored_text:
        text = entry.packed().decode("utf-8")
    else:
        text = json.dumps(_lists(unpack(entry) if has_details(entry) else screen_data(entry)), ensure_ascii=False,
                          separators=(",", ":"))
    return [entry.kind, entry.name, entry.department, entry.account, entry.year, entry.line, text]


def _lists(value: Any) -> Any:
    return [_lists(v) for v in value] if type(value) is tuple else value


def entry_from_data(data: Any, path: str) -> Entry:
    """The entry that :func:`entry_data` gave as data (read back from JSON) for a document of ``path``;
    ValueError for identity fields that are not exactly that shape. The projection's text is kept as it
    is and checked when it is unpacked (:func:`unpack`), which only a project the cross pass rebuilds
    needs: most of an unchanged book's projects take their findings from the cache."""
    kind, name, department, account, year, line, projection = _seq(data, 7)
    if kind not in (SHEET, EXPORT):
        raise ValueError("not a kind of document")
    year = _opt(year, _int)
    return Entry(kind, path, _str(name), _str(department), _str(account), year, _pos(line),
                 _str(projection).encode("utf-8", "surrogatepass"), stored_text=True)


def _seq(value: Any, length: int | None = None) -> list:
    if type(value) not in (list, tuple) or (length is not None and len(value) != length):
        raise ValueError("not a list of the expected length")
    return list(value)


def _pos(value: Any) -> int:
    if _int(value) < 1:
        raise ValueError("a line or column before the first")
    return value


def _opt(value: Any, check: Any) -> Any:
    return None if value is None else check(value)


def _c_text(t: Any) -> tuple:
    value, line, column, written = _seq(t, 4)
    return (_str(value), _pos(line), _pos(column), _opt(written, _str))


def _c_year(y: Any) -> tuple:
    value, line, column, written = _seq(y, 4)
    return (_int(value), _pos(line), _pos(column), _opt(written, _str))


def _c_figure(value: Any) -> int | str:
    if type(value) is int:
        return value
    try:
        if not Decimal(_str(value)).is_finite():
            raise ValueError("not a finite figure")
    except ArithmeticError:
        raise ValueError("not a figure") from None
    return value


def _c_amount(a: Any) -> tuple:
    value, unit, line, column, text = _seq(a, 5)
    return (_c_figure(value), _opt(unit, _str), _pos(line), _pos(column), _str(text))


def _c_place(p: Any) -> tuple:
    line, column = _seq(p, 2)
    return (_pos(line), _pos(column))


def _c_row(r: Any) -> tuple:
    item, previous, current, at = _seq(r, 4)
    return (_opt(item, _c_text), _opt(previous, _c_amount), _opt(current, _c_amount), _opt(at, _c_place))


def _c_line(x: Any, length: int = 6) -> tuple:
    x = _seq(x, length)
    label, amount, previous, kind, formula, at = x[:6]
    return (_opt(label, _c_text), _opt(amount, _c_amount), _opt(previous, _c_amount), _opt(kind, _c_text),
            _opt(formula, _c_text), _opt(at, _c_place))


def _c_group(g: Any) -> tuple:
    return (*_c_line(g, 7), tuple(_c_line(i) for i in _seq(_seq(g, 7)[6])))


def _c_category(c: Any) -> tuple:
    name, code, project, department, at, groups = _seq(c, 6)
    return (*(_opt(t, _c_text) for t in (name, code, project, department)), _opt(at, _c_place),
            tuple(_c_group(g) for g in _seq(groups)))


def _s_text(t: Any) -> tuple:
    value, line = _seq(t, 2)
    return (_str(value), _pos(line))


def _s_year(y: Any) -> tuple:
    value, line = _seq(y, 2)
    return (_int(value), _pos(line))


def _s_figure(a: Any) -> tuple:
    value, unit, line = _seq(a, 3)
    return (_c_figure(value), _opt(unit, _str), _pos(line))


def _s_place(p: Any) -> tuple:
    (line,) = _seq(p, 1)
    return (_pos(line),)


def _s_row(r: Any) -> tuple:
    item, previous, current, at = _seq(r, 4)
    return (_opt(item, _s_text), _opt(previous, _s_figure), _opt(current, _s_figure), _opt(at, _s_place))


def _s_line(x: Any, length: int = 8) -> tuple:
    label, amount, unit, previous, previous_unit, kind, formula, line = _seq(x, length)[:8]
    return (_opt(label, _str), _opt(amount, _c_figure), _opt(unit, _str), _opt(previous, _c_figure),
            _opt(previous_unit, _str), _opt(kind, _str), _opt(formula, _str), _opt(line, _pos))


def _s_category(c: Any) -> tuple:
    name, code, project, department, at, groups = _seq(c, 6)
    return (*(_opt(t, _s_text) for t in (name, code, project, department)), _opt(at, _s_place),
            tuple((*_s_line(g, 9), tuple(_s_line(i) for i in _seq(_seq(g, 9)[8]))) for g in _seq(groups)))


def _checked_screen(data: Any) -> tuple:
    """``data`` (the screen's part as the results cache kept it: :func:`entry_data`) as the tuples
    :func:`screen_data` gives, each part checked; ValueError otherwise."""
    written = type(data) is list and data and data[0] == PACKED_AS_WRITTEN and type(data[0]) is int
    head = _checked_as(_checked_nested(_lists_as_tuples(data)), PACKED_AS_WRITTEN if written else PACKED, _s_text, _s_year,
                       _s_row, _s_figure, _s_place, _s_category)
    if not written and _odd_figures(head):  # the screen would read such a figure as a whole number in 천원
        raise ValueError("an index entry packed as whole figures in 천원 holds another figure")
    return _flat(head)


def _lists_as_tuples(data: Any) -> Any:
    """JSON data of the screen's part (lists) as tuples, the 산출근거 lines left as they are (checked by
    :func:`_s_category`); ValueError for a part of another shape (:func:`_checked_nested` unpacks them)."""
    form, title, title_line, year, year_line, summary, settlement, basis = _seq(data, 8)
    basis = _seq(basis, 4)
    return (form, title, title_line, year, year_line,
            tuple(_seq(summary, 6)[:4]) + (_opt(summary[4], lambda r: tuple(_seq(r, 9))),
                                           tuple(_opt(r, lambda r: tuple(_seq(r, 9))) for r in _seq(summary[5]))),
            tuple(tuple(_seq(r, 3 + 3 * len(_COLUMNS))) for r in _seq(settlement)),
            (*basis[:3], tuple(tuple(_seq(c, 10)) for c in _seq(basis[3]))))


def _odd_figures(head: tuple) -> list:
    """The figures of the screen's part ``head`` that are not whole numbers in 천원, as :data:`PACKED` says they all
    are (each noted by :func:`_noted`, as the walk notes them)."""
    _, _, _, (_, _, total, rows), settlement, (_, _, categories) = head
    odd: list = []
    for r in (total, *rows):
        for f in () if r is None else r[1:3]:
            if f is not None:
                _noted(f[0], f[1], odd)
    for _, amounts, _ in settlement:
        for f in amounts:
            if f is not None:
                _noted(f[0], f[1], odd)
    for c in categories:
        for g in c[5]:
            for x in (g, *g[8]):
                _noted(x[1], x[2], odd)
                _noted(x[3], x[4], odd)
    return odd


def _checked_projection(data: Any) -> tuple:
    """``data`` as the tuples :func:`_projection` makes, each part checked; ValueError otherwise."""
    return _checked_as(data, FORMAT, _c_text, _c_year, _c_row, _c_amount, _c_place, _c_category)


def _checked_as(data: Any, expected: int, text: Any, year: Any, row: Any, figure: Any, place: Any,
                category: Any) -> tuple:
    """``data`` as the tuples of format ``expected`` (the projection's or the screen part's), each leaf
    checked by the given function of its kind; ValueError otherwise."""
    form, title, budget_year, summary, settlement, basis = _seq(data, 6)
    if form != expected or type(form) is not int:
        raise ValueError(f"an index entry of another format ({form!r})")
    previous_year, current_year, total, rows = _seq(summary, 4)
    basis_year, basis_at, categories = _seq(basis, 3)
    return (
        expected, _opt(title, text), _opt(budget_year, year),
        (_opt(previous_year, year), _opt(current_year, year), _opt(total, row), tuple(row(r) for r in _seq(rows))),
        tuple((_opt(y, year), tuple(_opt(a, figure) for a in _seq(amounts, len(_COLUMNS))), _opt(at, place))
              for y, amounts, at in (_seq(s, 3) for s in _seq(settlement))),
        (_opt(basis_year, year), _opt(basis_at, place), tuple(category(c) for c in _seq(categories))),
    )
