"""The 예산 총괄, 추진일정 and 결산 현황 rows of the common layouts, each read whole by one compiled pattern.

:mod:`auditor.readers.tables` reads a row from its cells (``content_cells``, then ``V.amount`` per cell,
``read_number`` trying two patterns); a row of the common layout, every cell in its place, no marker
the reader would classify first, is read here from one ``fullmatch`` of the line, to the same model
objects with the same sources (the differential test holds both to the same ``auditor parse`` JSON).
Each function returns None, having read and reported nothing, for any other line, which the reader
then classifies and reads by its cells: a line that starts with a tab, a cell missing or empty, a
cell past the table's columns, an amount that is no number or has more digits than
:data:`~auditor.readers.numbers.MAX_DIGITS`, a first cell that could start a table header.

In a pattern ``[^\\S\\t]`` is a blank inside a cell and ``\\s`` what ``str.strip`` strips; each cell's
text is its group, from its first to its last character that is no blank, as ``content_cells``
strips it, and its column that group's start.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from auditor.model import MAKERS, ScheduleRow, SettlementRow, SummaryRow
from auditor.readers.context import Context
from auditor.readers.layout import TABLE_KEYS, Cell, squash
from auditor.readers.numbers import MAX_DIGITS, read_number
from auditor.source import new_amount, new_year

__all__ = ["schedule_row", "settlement_row", "summary_row"]

_B = r"[^\S\t]"
#: A cell of one number, as :data:`auditor.readers.numbers._CELL` reads a cell (``(x-)`` markers, a sign, digits
#: with commas, decimals, a unit), between its tabs. Groups: the cell's text, sign, digits, decimals, unit.
_NUMBER = (rf"{_B}*((?:\({_B}*x{_B}*-{_B}*\){_B}*)*(?:([△Δ\-−]){_B}*)?(\d{{1,3}}(?:,\d{{3}})+|\d+)(\.\d+)?"
           rf"(?:{_B}*(백만원|억원|천원|원|%))?){_B}*")
#: A cell of any text, perhaps empty, between its tabs. Group: the cell's text (None when empty).
_TEXT = rf"{_B}*(\S(?:[^\t]*\S)?)?{_B}*"
#: The first cell, perhaps after empty ones (``content_cells`` drops them; see :func:`_shifted`), no ※ note
#: (the reader's ``notes``). Group: the cell's text.
_FIRST = r"\s*([^\s※](?:[^\t]*\S)?)[^\S\t]*"
_END = r"\s*"  # trailing blanks and empty cells, which ``content_cells`` drops
_SUMMARY = re.compile(_FIRST + (r"\t" + _NUMBER) * 4 + _END)
#: 사업추진절차, 추진기간 (perhaps empty), the amount, perhaps 추진내용 (perhaps empty).
_SCHEDULE = re.compile(_FIRST + r"\t" + _TEXT + r"\t" + _NUMBER + rf"(?:\t{_TEXT})?" + _END)
_SETTLEMENT: dict[int, re.Pattern] = {}
#: The 연도 cell of a 결산 row, as ``tables._YEAR`` reads it. Group: the four digits.
_YEAR = rf"\s*((\d{{4}})(?:{_B}*년도?)?){_B}*"
_new_summary_row, _new_schedule_row = MAKERS[SummaryRow], MAKERS[ScheduleRow]
_new_settlement_row = MAKERS[SettlementRow]
#: SettlementRow's amount fields in their order (a header's columns, as ``tables.settlement_columns`` names them).
_IN_ORDER = list(SettlementRow.COLUMNS)
#: The first characters of :data:`~auditor.readers.layout.TABLE_KEYS` (a cell starts with no blank).
_KEY_FIRST = frozenset(key[0] for key in TABLE_KEYS)


def _header(first: str) -> bool:
    """Could this first cell start a table header (``reader._table_header``)? Then the line is the reader's."""
    return first[0] in _KEY_FIRST and squash(first) in TABLE_KEYS


def _shifted(line: str, m: re.Match, first: str) -> bool:
    """Empty cells before a first cell that is a number: ``tables.table_row`` then keeps them (the key
    cell is missing), and the row is the reference's to read."""
    at = m.start(1)
    return at > 0 and "\t" in line[:at] and read_number(first) is not None


#: The most characters a number's digits may have, commas included, and be no longer than
#: ``read_number`` reads whatever the commas (longer ones are counted without their commas).
_SURE_DIGITS = MAX_DIGITS + 1


def _amounts(m: re.Match, groups: tuple, at: int, path: str, no: int, units: tuple) -> list | None:
    """The Amounts of ``len(units)`` number cells whose groups start at group ``at`` (1-based, as ``m.start``
    counts; ``groups`` is ``m.groups()``), each in its own unit else in ``units[i]``; None when one
    has more digits than ``read_number`` reads (the cell is then the reference's to report)."""
    out = []
    start = m.start
    g = at
    for default in units:
        text, sign, digits, fraction, unit = groups[g - 1:g + 4]
        if fraction is None and len(digits) <= _SURE_DIGITS:
            value: Any = int(digits.replace(",", ""))
        else:
            digits = digits.replace(",", "")
            if len(digits) + (0 if fraction is None else len(fraction)) > MAX_DIGITS + 1:
                return None
            value = int(digits) if fraction is None else Decimal(digits + fraction)
        if sign:
            value = -value
        out.append(new_amount(value, unit or default, (path, no, start(g) + 1, text)))
        g += 5
    return out


def _keyed_row(pattern: re.Pattern, line: str, first: int, path, no: int, units: tuple) -> tuple | None:
    """``(match, groups, amounts)`` of a table row whose first cell is a key (a 통계목, a step) that is
    neither a header's nor shifted out of its column, its numbers read from group ``first`` on; None
    for any other line (:func:`summary_row` and :func:`schedule_row` share it)."""
    m = pattern.fullmatch(line) if "\t" in line else None
    if m is None:
        return None
    groups = m.groups()
    key = groups[0]
    if key[0] in _KEY_FIRST and _header(key) or m.start(1) and _shifted(line, m, key):
        return None
    amounts = _amounts(m, groups, first, path, no, units)
    return None if amounts is None else (m, groups, amounts)


def summary_row(ctx: Context, no: int, line: str, unit: str, rate_unit: str) -> tuple[str, SummaryRow] | None:
    """``tables.summary_row`` of a line of 통계목 and four numbers (A, B, 증감, 증감률), or None."""
    path = ctx.path
    read = _keyed_row(_SUMMARY, line, 2, path, no, (unit, unit, unit, rate_unit))
    if read is None:
        return None
    m, groups, amounts = read
    item = groups[0]
    column = m.start(1) + 1
    return item, _new_summary_row((item, path, no, column, item), *amounts, (path, no, column, line.strip()))


def schedule_row(ctx: Context, no: int, line: str, unit: str, period_of) -> tuple[str, ScheduleRow] | None:
    """``tables.schedule_row`` of a line of four cells (사업추진절차, 추진기간, a number, 추진내용), or None;
    ``period_of(ctx, no, cell)`` is ``tables.read_period`` (which may report the period, as there)."""
    path = ctx.path
    read = _keyed_row(_SCHEDULE, line, 3, path, no, (unit,))
    if read is None:
        return None
    m, groups, amounts = read
    step = groups[0]
    column = m.start(1) + 1
    period, note = groups[1], groups[7]
    if period is None:
        start = end = None
    else:
        period_at = m.start(2) + 1
        start, end = period_of(ctx, no, tuple.__new__(Cell, (period, period_at)))
        period = (period, path, no, period_at, period)
    return step, _new_schedule_row(
        (step, path, no, column, step), period, amounts[0],
        None if note is None else (note, path, no, m.start(8) + 1, note), start, end, (path, no, column, line.strip()))


def settlement_row(ctx: Context, no: int, line: str, columns: list[str | None], unit: str) -> SettlementRow | None:
    """``tables.settlement_row`` of a line of a year and one number under each of the header's columns
    (each of them known; a column named twice keeps its last number, as there), or None."""
    count = len(columns)
    pattern = _SETTLEMENT.get(count)
    if pattern is None:
        pattern = _SETTLEMENT[count] = re.compile(_YEAR + (r"\t" + _NUMBER) * count + _END)
    m = pattern.fullmatch(line) if "\t" in line else None
    if m is None or None in columns:
        return None
    groups = m.groups()
    path = ctx.path
    amounts = _amounts(m, groups, 3, path, no, (unit,) * count)
    if amounts is None:
        return None
    column = m.start(1) + 1
    year = groups[1]
    year_read = new_year(int(year), (path, no, column, year))
    if columns == _IN_ORDER:  # the seven columns in the document's order: the fields' own
        return _new_settlement_row(year_read, *amounts, (path, no, column, line.strip()))
    return _new_settlement_row(year=year_read, source=(path, no, column, line.strip()), **dict(zip(columns, amounts)))
