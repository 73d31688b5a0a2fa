"""Split one CSV line into cells that remember their 1-based column, quoted fields with commas included."""

from __future__ import annotations

import _csv
import csv
from itertools import accumulate, repeat
from operator import add

from auditor.plain import Field, Frozen, frozen

_set = object.__setattr__


class CsvCell(Frozen):
    """One cell: its value (quotes removed, ``""`` → ``"``), the column of its first character, and the raw text.

    For a quoted cell, ``column`` is the column just after the opening quote, so that
    ``column + i`` is the column of ``value[i]`` (exact unless the value holds a doubled quote).
    """

    __slots__ = ("value", "column", "raw", "quoted", "__weakref__")
    value: str
    column: int
    raw: str
    quoted: bool

    def __init__(self, value: str, column: int, raw: str, quoted: bool = False) -> None:
        _set(self, "value", value)
        _set(self, "column", column)
        _set(self, "raw", raw)
        _set(self, "quoted", quoted)


#: Written out (auditor.plain), where attrs.frozen compiled its methods at every import;
#: tests/test_plain.py holds it to its attrs declaration.
frozen(CsvCell, Field("value"), Field("column"), Field("raw"), Field("quoted", default=False))


def split_csv_line(line: str) -> list[CsvCell]:
    """``a,"1,000",b`` → three cells at columns 1, 4 and 11. Never raises.

    An unclosed quote runs to the end of the line; text after a closing quote and
    before the next comma is kept in the value (as the csv module does).
    Records never span lines here: e호조 exports write one record per line.
    """
    cells: list[CsvCell] = []
    i, n = 0, len(line)
    while True:
        start = i
        if i < n and line[i] == '"':
            i += 1
            chars: list[str] = []
            while i < n:
                if line[i] == '"':
                    if i + 1 < n and line[i + 1] == '"':
                        chars.append('"')
                        i += 2
                        continue
                    i += 1
                    break
                chars.append(line[i])
                i += 1
            while i < n and line[i] != ",":
                chars.append(line[i])
                i += 1
            cells.append(CsvCell("".join(chars), start + 2, line[start:i], True))
        else:
            end = line.find(",", i)
            i = n if end < 0 else end
            cells.append(CsvCell(line[start:i], start + 1, line[start:i]))
        if i >= n:
            return cells
        i += 1  # the comma


def split_cells(line: str) -> tuple[list[str], list[int]]:
    """The cells' values and where each raw cell starts (0-based), as :func:`split_csv_line` reads them.

    ``starts`` has one more entry, ``len(line) + 1``, so that raw cell ``k`` is
    ``line[starts[k]:starts[k + 1] - 1]``. The usual record goes through ``str.split`` and the
    csv module (strict, so that it refuses what it would read otherwise than the splitter), with
    the starts summed up from the pieces between commas; any other line goes through
    :func:`split_csv_line`, so the two always agree (a test holds them together).
    """
    if '"' not in line:
        pieces = line.split(",")
        return pieces, list(accumulate(map(add, map(len, pieces), repeat(1)), initial=0))
    try:
        values = next(csv.reader((line,), strict=True))
    except (csv.Error, StopIteration):
        cells = split_csv_line(line)
        return [c.value for c in cells], [c.column - 1 - c.quoted for c in cells] + [len(line) + 1]
    starts = _written_starts(line, values)
    if starts is not None:
        return values, starts
    pieces = line.split(",")
    starts = list(accumulate(map(add, map(len, pieces), repeat(1)), initial=0))
    if len(values) == len(pieces):
        return values, starts
    # a quoted cell with commas spans several pieces: cell k starts at piece k + (commas before it)
    first_piece = accumulate(map(add, map(str.count, values, repeat(",")), repeat(1)), initial=0)
    return values, list(map(starts.__getitem__, first_piece))


#: The csv module's strict dialect, made once (``csv.reader(…, strict=True)`` makes one per call).
_STRICT = _csv.Dialect(csv.excel, strict=True)
_reader = _csv.reader


def split_written(line: str) -> tuple[list[str], list[int]] | None:
    """:func:`split_cells` of a line written as a CSV writer writes it (a cell quoted exactly when its
    value holds a comma, no quote inside a value: an e호조 record's usual form), else None. Of such a
    line, a cell's raw text is quoted exactly when its value holds a comma."""
    if '"' not in line:
        pieces = line.split(",")
        return pieces, list(accumulate(map(add, map(len, pieces), repeat(1)), initial=0))
    try:
        values = next(_reader((line,), _STRICT))
    except (csv.Error, StopIteration):
        return None
    starts = _written_starts(line, values)
    return None if starts is None else (values, starts)


def _written_starts(line: str, values: list[str]) -> list[int] | None:
    """The starts of ``values`` (the csv module's strict reading of ``line``) when the line is written as
    a CSV writer writes it: a cell quoted exactly when its value holds a comma, no quote inside a
    value. Else None.

    Each raw cell is at least as long as counted here (``len(value) + 2`` for a value with a comma,
    which an unquoted cell cannot hold; ``len(value)`` for the others); so when the counts add up to
    the line's length, every cell is exactly as counted, and its start is the sum of those before it.
    This is an e호조 record's usual form (``"1,980"`` quoted, the rest bare), read without splitting
    the line twice.
    """
    starts = list(accumulate([len(v) + 3 if "," in v else len(v) + 1 for v in values], initial=0))
    return starts if starts[-1] == len(line) + 1 else None
