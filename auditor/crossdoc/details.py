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
from itertools import accumulate, repeat
from operator import add

from auditor.crossdoc.index import _HEAD, _VERSION, Entry, _nested, _text, screen_data
from auditor.readers.basis import _marker
from auditor.readers.context import Context
from auditor.readers.layout import blanks, content_cells, squash
from auditor.readers.numbers import MAX_DIGITS, read_number
from auditor.readers.tables import settlement_columns, table_row, _is_year
from auditor.model import SettlementRow
from auditor.readers.eho_columns import read_header
from auditor.readers.eho_row import _BAD, RowReader, _marker as row_marker, _written_lazy, code_text

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


#: Past this, :func:`~auditor.readers.numbers.read_number` reads no figure (more than ``MAX_DIGITS + 1`` digits).
_BOUND = 10 ** (MAX_DIGITS + 1)


def _written(value: int) -> str:
    """A whole number as the books write it: ``336,995``, ``△144,990``."""
    return format(value, ",") if value >= 0 else "△" + format(-value, ",")


#: The ``(x-)`` marker text extraction leaves before many figures, as it is most often written.
_MARK = "(x-) "


def _is_figure(text: str, value: Any) -> bool:
    """Does ``text`` read (:func:`~auditor.readers.numbers.read_number`) to ``value``, as the screen part holds a
    figure (an int, or a decimal's text)? The guard that a value is where its entry says. A whole number
    written as :func:`_written` writes it, perhaps after one ``(x-) `` marker, does (``_CELL``'s marker,
    sign and digits, with no unit or other blank): that is compared as text, without the regular
    expressions; any other text is read by ``read_number`` (``tests/test_crossdoc_details.py`` holds the
    two to each other)."""
    if type(value) is int and -_BOUND < value < _BOUND:
        if (text[5:] if text.startswith(_MARK) else text) == _written(value):
            return True
    return _figure_value(text) == value


def _is_amount(text: str, value: Any) -> bool:
    """:func:`_is_figure` for a 산출근거 amount, which is most often written with its unit (``293천원``,
    ``180 천원``: the same value to ``read_number``)."""
    if type(value) is int and -_BOUND < value < _BOUND:
        written = _written(value)
        if text == written or (text.endswith("천원") and (text[:-2] == written or text[:-3] == written and
                                                          text[-3] == " ")):
            return True
    return _figure_value(text) == value


def sheet_details(entry: Entry, lines: Any) -> bytes | None:
    """``entry``'s packed form with its details, a 사업설명서's, made from ``lines`` (the file's decoded lines,
    line 1 first); None when a value is not found as the reader would have read it."""
    try:
        return _screen_bytes(entry) + marshal.dumps(_sheet(_nested(screen_data(entry)), lines, entry.path), _VERSION)
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

    def place(p: tuple | None) -> None:  # the first cell's column (content_cells' first): its first character's
        if p is not None:
            line = _line(lines, p[0])
            rest = line.lstrip()
            if not rest:
                raise _Unsure
            places.append(len(line) - len(rest) + 1)

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
            while k < len(row) and not _is_figure(row[k].text, figure[0]):
                k += 1
            if k == len(row):
                raise _Unsure
            figures.extend((row[k].column, row[k].text))
            k += 1
        place(at)
    headers: dict[int, list[str | None]] = {}
    for y, amounts, at in settlement:
        n = (y or at)[0] if y is None else y[1]
        line = _line(lines, n)
        row = table_row(line, content_cells(line), _is_year)
        columns = _settlement_header(lines, n, path, headers)
        a_year(y)
        for name, figure in zip(_COLUMNS, amounts):
            if figure is None:
                continue
            if figure[2] != n or name not in columns:
                raise _Unsure
            i = columns.index(name) + 1
            if i >= len(row) or not _is_figure(row[i].text, figure[0]):
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


def _settlement_header(lines: Any, n: int, path: str, headers: dict) -> list[str | None]:
    """The 결산 header's columns (the reader's :func:`settlement_columns`) for the row on line ``n``: the
    nearest line above it whose first cell is 연도 (``headers``: those read, by line)."""
    for k in range(n - 1, 0, -1):
        line = lines[k - 1]
        if line.lstrip()[:1] != "연":
            continue
        columns = headers.get(k)
        if columns is None:
            row = content_cells(line)
            if squash(row[0].text) != "연도":
                continue
            columns = headers[k] = settlement_columns(Context(path), k, row)
        return columns
    raise _Unsure


def _basis_line(x: tuple, lines: Any) -> tuple:
    """A 산출근거 line's details as the walk makes a sheet's line: (label's line, column, text or None;
    the amount's line, column, text; the description's column)."""
    label, amount, unit, previous, _, kind, formula, n = x[:8]
    if label is None or amount is None or previous is not None or kind is not None or formula is not None:
        raise _Unsure  # another shape than a sheet's line as read: the whole file's reading
    line = _line(lines, n)
    # the description: the first cell (as :func:`~auditor.readers.layout.cells` splits and strips them) that
    # starts with a ○/- marker the reader reads as one
    start = 0
    for raw in line.split("\t"):
        stripped = raw.lstrip()
        if stripped[:1] in _MARKS:
            marker = _marker(stripped.rstrip())
            if marker is not None:
                column = start + len(raw) - len(stripped)  # 0-based
                break
        start += len(raw) + 1
    else:
        raise _Unsure
    # the label: the first place it is found after the marker and its blanks (an empty label there), its
    # blanks read as spaces, as the reader reads them
    at = blanks(line).find(label, column + marker.end())
    if at < 0:
        raise _Unsure
    written = line[at:at + len(label)]
    equals = line.rfind("=")
    if equals >= at + len(label):  # the amount after the last =, in the description or a cell of its own
        rest = line[equals + 1:]
        text = rest.strip()
        figure = len(line) - len(rest.lstrip()) + 1
    else:  # the amount alone in the last cell
        rest = line.rstrip()
        tab = rest.rfind("\t")
        text = rest[tab + 1:].strip()
        figure = len(rest) - len(text) + 1
        if tab < column:
            raise _Unsure
    if not _is_amount(text, amount):
        raise _Unsure
    return (n, at + 1, None if written == label else written, n, figure, text, column + 1)


#: The first characters of a description's marker (:func:`auditor.readers.basis._marker`).
_MARKS = frozenset("○◯-")


class ExportLines:
    """An e호조 export's lines and its header read as :class:`~auditor.readers.eho.EhoReader` reads them,
    for the details of its units (:meth:`details`): each record re-read alone by the reader's own
    :meth:`~auditor.readers.eho_row.RowReader.read_written`; None from :meth:`details` where that
    reading does not give the screen part's values."""

    def __init__(self, path: str, lines: Any) -> None:
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
        self.rows = rows = RowReader(path, columns)
        #: The cells read of a record: up to the last of those a unit's details name.
        self.count = 1 + max(i for i in (*rows.fast_at, *(rows.index.get(key) for key in (
            "project", "department", "code", "category"))) if i is not None)
        #: How many first cells a record may share with the one split before it (:meth:`cells`): those before
        #: the cell before its 산출근거명 (the records of one 통계목 write the same 예산구분 … 통계목명).
        self.shared = min(rows.fast_at[1] - 1, self.count - 1) if rows.fast_at[1] is not None else 0
        #: The first :attr:`shared` cells of the record split last, as written (no quote in them), their
        #: values and their starts.
        self.prefix: tuple[str, list[str], list[int]] | None = None

    def details(self, entry: Entry) -> bytes | None:
        """``entry``'s packed form with its details, an e호조 unit's; None when unsure."""
        if self.rows is None:
            return None
        try:
            return _screen_bytes(entry) + marshal.dumps(self._unit(_nested(screen_data(entry))), _VERSION)
        except (_Unsure, IndexError, ValueError):
            return None

    def _unit(self, head: tuple) -> tuple:
        _, title, year, summary, settlement, (basis_year, basis_at, categories) = head
        if summary != (None, None, None, ()) or settlement or year is None or basis_year != year:
            raise _Unsure
        lines, rows = self.lines, self.rows
        # the file's 회계연도 as its first record gives it (EhoReader._year)
        n = year[1]
        line = _line(lines, n)
        cells = self.cells
        first = cells(line)
        at = rows.at["year"]
        if first is None or at is None:
            raise _Unsure
        value = first[0][at]
        text = code_text(value.strip())
        if not (len(text) == 4 and text.isascii() and text.isdigit()) or int(text) != year[0]:
            raise _Unsure
        column = first[1][at] + 1 + line.startswith('"', first[1][at]) + len(value) - len(value.lstrip())
        a_year = (column, None)
        read: dict[int, Any] = {}

        def row(n: int) -> Any:  # the record's first cells, as RowReader.read_written splits them
            got = read.get(n)
            if got is None:
                got = cells(_line(lines, n))
                if got is None or got[0][at] != text:
                    raise _Unsure  # another form than the usual written record's: the reader's whole reading
                read[n] = got
            return got

        def cell_text(t: tuple | None, key: str, out: list) -> None:
            if t is not None:
                n = t[1]
                made = _text(rows.text(n, lines[n - 1], row(n), key))
                if made is None or made[:2] != t:
                    raise _Unsure
                out.extend(made[2:])

        texts: list[Any] = []
        places: list[Any] = []
        out: list[tuple] = []
        cell_text(title, "project", texts)
        if basis_at is not None:
            places.append(1)
        record = self._record
        for c in categories:
            for t, key in zip(c[:4], ("category", "code", "project", "department")):
                cell_text(t, key, texts)
            if c[4] is not None:
                places.append(1)
            for g in c[5]:
                out.append(record(g, row(g[7]), lines[g[7] - 1]))
                for i in g[8]:
                    out.append(record(i, row(i[7]), lines[i[7] - 1]))
        return ([], texts, [*a_year, *a_year], places, out)

    def cells(self, line: str) -> tuple[list[str], list[int]] | None:
        """:func:`_cells_upto` of a record (its first :attr:`count` cells), the same lists: a record that starts
        with the first :attr:`shared` cells of the one split before it (the same text, which holds no quote
        and ends with their last comma) shares their values and starts, and only the rest of it is split."""
        prefix = self.prefix
        if prefix is not None and line.startswith(prefix[0]):
            text, values, starts = prefix
            k = len(text)
            rest = _cells_upto(line[k:], self.count - len(values))
            if rest is None:
                return None
            return values + rest[0], starts + list(map(add, rest[1], repeat(k)))
        got = _cells_upto(line, self.count)
        if got is not None:
            self._keep_prefix(line, got)
        return got

    def _keep_prefix(self, line: str, got: tuple[list[str], list[int]]) -> None:
        shared = self.shared
        if shared > 0:
            end = got[1][shared]  # where cell ``shared`` starts: after the comma that ends the shared cells
            text = line[:end]
            if '"' not in text:
                self.prefix = (text, got[0][:shared], got[1][:shared])

    def _record(self, x: tuple, cells: Any, line: str) -> tuple:
        """A record's details as the walk makes an e호조 row's (:data:`auditor.crossdoc.index._PARTS`), each
        field where :meth:`~auditor.readers.eho_row.RowReader.read_written` puts it."""
        label, amount, unit, previous, previous_unit, kind, formula, n = x[:8]
        rows = self.rows
        values, starts = cells
        _, label_at, formula_at, amount_at, previous_at, change_at, kind_at = rows.fast_at
        cell = values[label_at]
        mark, mark_end = row_marker(cell)
        if mark is None or cell[mark_end:].strip() != label:
            raise _Unsure
        written = rows.written
        a = written.get(values[amount_at]) or rows._written(values[amount_at])
        p = written.get(values[previous_at]) or rows._written(values[previous_at])
        if a is _BAD or p is _BAD or _figure(a) != (amount, unit) or _figure(p) != (previous, previous_unit) or (
                written.get(values[change_at]) or rows._written(values[change_at])) is _BAD:
            raise _Unsure
        if kind_at is None:
            if kind is not None:
                raise _Unsure
            kind_details: tuple = (None, None, None)
        else:
            k = _written_lazy("", n, values[kind_at], starts[kind_at])
            if k is None or k[0] != kind:
                raise _Unsure
            kind_details = (n, k[3], None if k[4] == kind else k[4])
        if formula is None:
            formula_details: tuple = (None, None, None)
        else:
            f = _text(_written_lazy("", n, values[formula_at], starts[formula_at])) if formula_at is not None else None
            if f is None or f[0] != formula:
                raise _Unsure
            formula_details = f[1:]
        return (n, starts[label_at] + 1 + ("," in cell) + mark_end, None if cell == label else cell,
                n, starts[amount_at] + a[3], a[2], n, starts[previous_at] + p[3], p[2], *kind_details,
                *formula_details, 1)


def _figure(made: tuple) -> tuple:
    """(value, unit or None for 천원) of RowReader._written's tuple, as the screen part holds a figure."""
    value, unit = made[0], made[1]
    return (value if type(value) is int else str(value), None if unit == "천원" else unit)


def _cells_upto(line: str, count: int) -> tuple[list[str], list[int]] | None:
    """The first ``count`` cells of a record written as a CSV writer writes it (a cell quoted exactly when
    its value holds a comma, no quote inside a value), as :func:`~auditor.readers.csvline.split_written`
    gives them (values, and each raw cell's start), without reading the cells after them; None for a line
    of another form there, or of fewer cells."""
    quote = line.find('"')
    if quote < 0:
        values = line.split(",", count)
        if len(values) < count:
            return None
        del values[count:]
        return values, list(accumulate(map(add, map(len, values[:-1]), repeat(1)), initial=0))
    # the cells before the first quote at once; from there each quoted value and the cells after it
    values = line[:quote].split(",")
    if values.pop():
        return None  # the quote does not start a cell
    if len(values) >= count:
        del values[count:]
        return values, list(accumulate(map(add, map(len, values[:-1]), repeat(1)), initial=0))
    starts = list(accumulate(map(add, map(len, values), repeat(1)), initial=0))
    starts.pop()
    parts = line[quote + 1:].split('"')
    if len(parts) % 2:
        return None
    at = quote + 1  # where parts[i] starts in the line
    end = len(parts) - 1
    for i, part in enumerate(parts):
        if not i % 2:  # a quoted value, its quote at at - 1: it must hold a comma
            if "," not in part:
                return None
            values.append(part)
            starts.append(at - 1)
            if len(values) == count:
                return values, starts
        elif not part:  # after a quoted value: the line's end
            if i != end:
                return None
            break
        elif part[0] != ",":
            return None
        else:  # a comma, then cells, then (unless at the end) the comma before the next quoted value
            pieces = part[1:].split(",")
            if i != end and pieces.pop():
                return None
            base = at + 1
            for piece in pieces:
                values.append(piece)
                starts.append(base)
                if len(values) == count:
                    return values, starts
                base += len(piece) + 1
        at += len(part) + 1
    return None
