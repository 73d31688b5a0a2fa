"""An index entry's details made again from only the lines its screen part names.

A check run makes each document's index entry without its details (each value's column and text as
written: :func:`auditor.crossdoc.index.entry_of`); a project the cross screen flags needs them, to be
rebuilt as model objects. The screen part holds every value and its line, so the details of a 사업설명서
are found on those lines alone: each value's place on its line read as the reader reads it (a table's
cells by :func:`~auditor.readers.layout.content_cells`, a 결산 row's by its header's columns, a 산출근거
row's description from its ○/- marker), each figure's text read back by
:func:`~auditor.readers.numbers.read_number` to the value the screen part holds. Anything this reading
is not sure of (a value not found where the reader would have put it, a line of another shape, a
restating formula) gives None: the caller then reads the whole file, as before
(:class:`auditor.crossdoc.pipeline.Reindex`). ``tests/test_crossdoc_details.py`` holds the details made
here to those the walk makes as the document is checked, byte for byte.
"""

from __future__ import annotations

import marshal

from auditor.crossdoc.index import _HEAD, _VERSION, Entry, screen_data
from auditor.readers.basis import _marker
from auditor.readers.context import Context
from auditor.readers.layout import blanks, cells, content_cells, squash
from auditor.readers.numbers import read_number
from auditor.readers.tables import settlement_columns, table_row, _is_year
from auditor.model import SettlementRow

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_COLUMNS = SettlementRow.COLUMNS


class _Unsure(Exception):
    """A value not found where the reader would have put it: the file is read whole instead."""


def _figure_value(text: str) -> Any:
    found = read_number(text) if text else None
    if found is None:
        return None
    value = found[0]
    return value if type(value) is int else str(value)


def sheet_details(entry: Entry, lines: Any) -> bytes | None:
    """``entry``'s packed form with its details, a 사업설명서's, made from ``lines`` (the file's decoded lines,
    line 1 first); None when a value is not found as the reader would have read it."""
    try:
        return _screen_bytes(entry) + marshal.dumps(_sheet(screen_data(entry), lines, entry.path), _VERSION)
    except (_Unsure, IndexError, ValueError):
        return None


def _screen_bytes(entry: Entry) -> bytes:
    """The packed screen part of ``entry`` (made without its details), its 4-byte length first; of one the
    results cache kept as JSON, marshalled from it."""
    if not entry.stored_text:
        return entry.packed()
    head = marshal.dumps(screen_data(entry), _VERSION)
    return _HEAD.pack(len(head)) + head


def _line(lines: Any, n: int | None) -> str:
    if n is None or not 0 < n <= len(lines):
        raise _Unsure
    return lines[n - 1]


def _sheet(head: tuple, lines: Any, path: str) -> tuple:
    _, title, year, summary, settlement, (basis_year, basis_at, categories) = head
    previous_year, current_year, total, rows = summary
    figures: list[Any] = []
    texts: list[Any] = []
    years: list[Any] = []
    places: list[Any] = []
    out: list[tuple] = []

    def found(value: str, line: str, start: int = 0) -> int:
        at = line.find(value, start)
        if at < 0:
            raise _Unsure
        return at

    def a_year(y: tuple | None) -> None:  # text None: as written, its value's digits
        if y is not None:
            value = str(y[0])
            years.extend((found(value, _line(lines, y[1])) + 1, None))

    def place(p: tuple | None) -> None:  # the first cell's column
        if p is not None:
            filled = content_cells(_line(lines, p[0]))
            if not filled:
                raise _Unsure
            places.append(filled[0].column)

    # the title: the line's text from its first character (a heading's # kept as written)
    if title is not None:
        line = _line(lines, title[1])
        text = line.strip()
        if title[0] not in text:
            raise _Unsure
        texts.extend((len(line) - len(line.lstrip()) + 1, None if text == title[0] else text))
    a_year(year)
    a_year(previous_year)
    a_year(current_year)
    for r in (total, *rows):
        if r is None:
            continue
        item, previous, current, at = r
        n = (item or previous or current or at)[-1] if item is None else item[1]
        line = _line(lines, n)
        row = content_cells(line)
        k = 0
        if item is not None:
            column = found(item[0], line) + 1
            texts.extend((column, None))
            while k < len(row) and row[k].column <= column:
                k += 1
        for figure in (previous, current):
            if figure is None:
                continue
            if figure[2] != n:
                raise _Unsure
            while k < len(row) and _figure_value(row[k].text) != figure[0]:
                k += 1
            if k == len(row):
                raise _Unsure
            figures.extend((row[k].column, row[k].text))
            k += 1
        place(at)
    for y, amounts, at in settlement:
        n = (y or at)[0] if y is None else y[1]
        line = _line(lines, n)
        row = table_row(line, content_cells(line), _is_year)
        columns = _settlement_header(lines, n, path)
        a_year(y)
        for name, figure in zip(_COLUMNS, amounts):
            if figure is None:
                continue
            if figure[2] != n or name not in columns:
                raise _Unsure
            i = columns.index(name) + 1
            if i >= len(row) or _figure_value(row[i].text) != figure[0]:
                raise _Unsure
            figures.extend((row[i].column, row[i].text))
        place(at)
    a_year(basis_year)
    place(basis_at)
    for c in categories:
        for t in c[:4]:
            if t is not None:
                line = _line(lines, t[1])
                column = found(t[0], line) + 1
                texts.extend((column, None))
        place(c[4])
        for g in c[5]:
            out.append(_basis_line(g, lines))
            for i in g[8]:
                out.append(_basis_line(i, lines))
    return (figures, texts, years, places, out)


def _settlement_header(lines: Any, n: int, path: str) -> list[str | None]:
    """The 결산 header's columns (the reader's :func:`settlement_columns`) for the row on line ``n``: the
    nearest line above it whose first cell is 연도."""
    for k in range(n - 1, 0, -1):
        row = content_cells(lines[k - 1])
        if row and squash(row[0].text) == "연도":
            return settlement_columns(Context(path), k, row)
    raise _Unsure


def _basis_line(x: tuple, lines: Any) -> tuple:
    """A 산출근거 line's details as the walk makes a sheet's line: (label's line, column, text or None;
    the amount's line, column, text; the description's column)."""
    label, amount, unit, previous, _, kind, formula, n = x[:8]
    if label is None or amount is None or previous is not None or kind is not None or formula is not None:
        raise _Unsure  # another shape than a sheet's line as read: the whole file's reading
    line = _line(lines, n)
    described = marker = None
    for cell in cells(line):
        if cell.text:
            marker = _marker(cell.text)
            if marker is not None:
                described = cell
                break
    if described is None:
        raise _Unsure
    # the label: the first place it is found after the marker and its blanks (an empty label there), its
    # blanks read as spaces, as the reader reads them
    at = blanks(line).find(label, described.column - 1 + marker.end())
    if at < 0:
        raise _Unsure
    written = line[at:at + len(label)]
    if "=" in line[at:]:
        rest = line[line.rindex("=") + 1:]
        text = rest.strip()
        column = len(line) - len(rest) + len(rest) - len(rest.lstrip()) + 1
    else:
        last = content_cells(line)[-1]
        if last.column <= described.column:
            raise _Unsure
        text, column = last.text, last.column
    found = read_number(text) if text else None
    if found is None or (found[0] if type(found[0]) is int else str(found[0])) != amount:
        raise _Unsure
    return (n, at + 1, None if written == label else written, n, column, text, described.column)


class ExportLines:
    """An e호조 export's lines and its header read as :class:`~auditor.readers.eho.EhoReader` reads them,
    for the details of its units (:meth:`details`): each record re-read alone by the reader's own
    :meth:`~auditor.readers.eho_row.RowReader.read_written`; None from :meth:`details` where that
    reading does not give the screen part's values."""

    def __init__(self, path: str, lines: Any) -> None:
        from auditor.readers.eho_columns import read_header
        from auditor.readers.eho_row import RowReader

        self.lines = lines
        self.rows = None
        if len(lines) < 2:
            return
        header, sub = lines[0], lines[1]
        if not header.strip():
            return
        columns = read_header(Context(path), header, sub)
        # a header whose funding parts the reader checks on the data, or with derived columns: read whole
        if columns is None or columns.unverified or columns.derived:
            return
        self.rows = RowReader(path, columns)

    def details(self, entry: Entry) -> bytes | None:
        """``entry``'s packed form with its details, an e호조 unit's; None when unsure."""
        if self.rows is None:
            return None
        try:
            return _screen_bytes(entry) + marshal.dumps(self._unit(screen_data(entry)), _VERSION)
        except (_Unsure, IndexError, ValueError):
            return None

    def _unit(self, head: tuple) -> tuple:
        from auditor.crossdoc.index import _text
        from auditor.readers.csvline import split_written
        from auditor.readers.eho_row import code_text

        _, title, year, summary, settlement, (basis_year, basis_at, categories) = head
        if summary != (None, None, None, ()) or settlement or year is None or basis_year != year:
            raise _Unsure
        lines, rows = self.lines, self.rows
        # the file's 회계연도 as its first record gives it (EhoReader._year)
        n = year[1]
        line = _line(lines, n)
        cells = split_written(line)
        at = rows.at["year"]
        if cells is None or at is None:
            raise _Unsure
        value = cells[0][at]
        text = code_text(value.strip())
        if not (len(text) == 4 and text.isascii() and text.isdigit()) or int(text) != year[0]:
            raise _Unsure
        column = cells[1][at] + 1 + line.startswith('"', cells[1][at]) + len(value) - len(value.lstrip())
        a_year = (column, None)
        read: dict[int, Any] = {}

        def row(n: int) -> Any:
            got = read.get(n)
            if got is None:
                got = read[n] = rows.read_written(n, _line(lines, n), text)
                if got is None:
                    raise _Unsure
            return got

        def cell_text(t: tuple | None, key: str, out: list) -> None:
            if t is not None:
                n = t[1]
                made = rows.text(n, lines[n - 1], row(n).cells, key)
                made = _text(made)
                if made is None or made[:2] != t:
                    raise _Unsure
                out.extend(made[2:])

        texts: list[Any] = []
        places: list[Any] = []
        out: list[tuple] = []
        cell_text(title, "project", texts)
        if basis_at is not None:
            places.append(1)
        for c in categories:
            for t, key in zip(c[:4], ("category", "code", "project", "department")):
                cell_text(t, key, texts)
            if c[4] is not None:
                places.append(1)
            for g in c[5]:
                out.append(self._record(g, row(g[7])))
                for i in g[8]:
                    out.append(self._record(i, row(i[7])))
        return ([], texts, [*a_year, *a_year], places, out)

    @staticmethod
    def _record(x: tuple, got: Any) -> tuple:
        """A record's details as the walk makes an e호조 row's (:data:`auditor.crossdoc.index._PARTS`)."""
        from auditor.crossdoc.index import _text

        label, amount, unit, previous, previous_unit, kind, formula, n = x[:8]
        fields = got.fields
        t = fields["label"]
        a, p, k = fields["amount"], fields["previous"], fields["budget_kind"]
        if t[0] != label or a.value != amount or p.value != previous:
            raise _Unsure
        a, p = a._recipe_source, p._recipe_source
        if k is None:
            if kind is not None:
                raise _Unsure
            kind_details = (None, None, None)
        else:
            k = _text(k)
            if k[0] != kind:
                raise _Unsure
            kind_details = k[1:]
        if formula is None:
            formula_details = (None, None, None)
        else:
            f = _text(fields["formula"])
            if f is None or f[0] != formula:
                raise _Unsure
            formula_details = f[1:]
        return (n, t[3], None if t[4] == label else t[4], a[1], a[2], a[3], p[1], p[2], p[3], *kind_details,
                *formula_details, 1)
