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
from collections.abc import Callable
from decimal import Decimal

from auditor import recache
from auditor.model import MAKERS, ScheduleRow, SettlementRow, SummaryRow
from auditor.readers.context import Context
from auditor.readers.layout import TABLE_KEYS, Cell, squash
from auditor.readers.numbers import MAX_DIGITS, read_number
from auditor.source import MONEY_UNITS, Amount, draft, exact_of, half_of, new_amount, new_year

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

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
_SUMMARY = recache.compile(_FIRST + (r"\t" + _NUMBER) * 4 + _END)
#: 사업추진절차, 추진기간 (perhaps empty), the amount, perhaps 추진내용 (perhaps empty).
_SCHEDULE = recache.compile(_FIRST + r"\t" + _TEXT + r"\t" + _NUMBER + rf"(?:\t{_TEXT})?" + _END)
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


def _summary_row(ctx: Context, no: int, line: str, unit: str, rate_unit: str) -> tuple[str, SummaryRow] | None:
    """``tables.summary_row`` of a line of 통계목 and four numbers (A, B, 증감, 증감률), or None."""
    path = ctx.path
    read = _keyed_row(_SUMMARY, line, 2, path, no, (unit, unit, unit, rate_unit))
    if read is None:
        return None
    m, groups, amounts = read
    item = groups[0]
    column = m.start(1) + 1
    return item, _new_summary_row((item, path, no, column, item), *amounts, (path, no, column, line.strip()))


def _schedule_row(ctx: Context, no: int, line: str, unit: str, period_of) -> tuple[str, ScheduleRow] | None:
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


def _settlement_row(ctx: Context, no: int, line: str, columns: list[str | None], unit: str) -> SettlementRow | None:
    """``tables.settlement_row`` of a line of a year and one number under each of the header's columns
    (each of them known; a column named twice keeps its last number, as there), or None."""
    count = len(columns)
    pattern = _SETTLEMENT.get(count)
    if pattern is None:
        pattern = _SETTLEMENT[count] = recache.compile(_YEAR + (r"\t" + _NUMBER) * count + _END)
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



# --- the plainest rows, in one step -------------------------------------------------------------------------
#
# Most rows of the three tables hold numbers as the books print them most: digits with commas between
# thousands, perhaps a minus sign and one ``(x-)`` marker before them, plain spaces around, no decimals
# and no unit. Such a row is read by a narrower pattern (:data:`_PLAIN`: the cell of :data:`_NUMBER`
# without its decimals and unit, a marker written ``(x-)`` exactly, spaces its only blanks, ASCII digits)
# and a function generated for its table that makes the row's Amounts in straight-line code, each a draft
# filled and made an Amount (``auditor.source.draft``) with its exact value and half step. The narrower
# pattern matches a subset of the lines the full one matches, with the same cells, so it reads them as the
# functions above do; any other line goes to those (and from there, as before, to the reference).

#: A number cell of the plainest form between its tabs. Groups: the cell's text, sign, digits (commas kept).
_PLAIN = r" *((?:\(x-\) *)?(?:([△Δ\-−]) *)?([0-9]{1,3}(?:(?:,[0-9]{3})+|[0-9]*))) *"
#: :data:`_PLAIN` perhaps with decimals (a 증감률 of 예산 총괄: ``△3.1``). A fourth group: the decimals, with their point.
_PLAIN_DECIMAL = _PLAIN.replace(r"[0-9]*))) *", r"[0-9]*))(\.[0-9]+)?) *")
#: Per unit, ``(scale, half)``: an Amount's exact value is its value times the scale, its half step the half
#: (``auditor.source.exact_of`` and ``half_of`` of a whole figure; a unit that is no money counts as 1).
_SCALE = {unit: (scale, half_of(1, unit)) for unit, scale in MONEY_UNITS.items()}
_OTHER_SCALE = (1, half_of(1, ""))


def _amounts_code(first: int, count: int, unit_of: Callable[[int], str], slow: str, decimal_last: bool = False) -> list[str]:
    """Lines making ``a0`` … of ``count`` plain number cells whose groups (text, sign, digits) start at group
    ``first`` (1-based; their values unpacked as ``t0, s0, d0``, …), each in the unit named by ``unit_of(i)``;
    a cell of more digits than ``read_number`` is sure to read returns ``slow`` (the full pattern's reader).
    With ``decimal_last`` the last cell is a :data:`_PLAIN_DECIMAL` one (``f<i>``, its decimals, a fourth
    group): with decimals its value is a Decimal, its exact value and half step worked out by ``exact_of`` and ``half_of``."""
    lines = []
    for i in range(count):
        unit, at = unit_of(i), first + 3 * i
        whole = _amount_code(i, unit, at, slow, f"len(d{i})", f"int(d{i}.replace(',', ''))", True)
        if not (decimal_last and i == count - 1):
            lines += whole
            continue
        decimal = _amount_code(i, unit, at, slow, f"len(d{i}) + len(f{i})", f"_Decimal(d{i}.replace(',', '') + f{i})",
                               False)
        lines += [f"    if f{i} is None:", *("    " + line for line in whole), "    else:",
                  *("    " + line for line in decimal)]
    return lines


def _amount_code(i: int, unit: str, at: int, slow: str, length: str, value: str, whole: bool) -> list[str]:
    """Lines making ``a<i>``, the Amount of the plain number cell whose groups start at group ``at``: its
    ``value`` (an expression) when its ``length`` is at most what ``read_number`` is sure to read, else
    ``return slow``; its exact value and half step set, a ``whole`` figure's from its unit's scale."""
    lines = [
        f"    if {length} > {_SURE_DIGITS}:",
        f"        return {slow}",
        f"    v = {value}",
        f"    if s{i}:",
        "        v = -v",
        f"    a{i} = _new(_Draft)",
        f"    a{i}.value = v",
        f"    a{i}.unit = {unit}",
        f"    a{i}.source = (path, no, start({at}) + 1, t{i})",
    ]
    if whole:
        lines += [f"    a{i}.exact = v * {unit}_scale", f"    a{i}.half = {unit}_half"]
    else:
        lines += [f"    a{i}.exact = _exact_of(v, {unit})", f"    a{i}.half = _half_of(v, {unit})"]
    return lines + [f"    a{i}.__class__ = _Amount"]


def _cells(count: int) -> str:
    return ", ".join(f"t{i}, s{i}, d{i}" for i in range(count))


def _units(*names: str) -> list[str]:
    return [f"    {n}_scale, {n}_half = _SCALE.get({n}) or _OTHER" for n in names]


def _made_code(cls: type, values: list[str], indent: str = "    ") -> list[str]:
    """Lines making ``row``, a ``cls`` of its fields' ``values`` (expressions, in field order), as
    ``maker(cls, written=False)`` makes one: a draft filled (``auditor.source.draft``), then made a ``cls``
    (the generated function's scope holds the draft as ``_<cls>Draft`` and the class as ``_<cls>``)."""
    name = cls.__name__
    return [f"{indent}row = _new(_{name}Draft)", *(f"{indent}row.{field} = {value}" for field, value in
                                                  zip(cls._names, values, strict=True)),
            f"{indent}row.__class__ = _{name}"]


def _generated(name: str, lines: list[str], **scope: Any) -> Any:
    """The function ``name`` of the source ``lines``, compiled once (``auditor rows <name>`` in tracebacks)."""
    scope.update({f"_{cls.__name__}Draft": draft(cls) for cls in (SummaryRow, ScheduleRow, SettlementRow)})
    scope.update(_SummaryRow=SummaryRow, _ScheduleRow=ScheduleRow, _SettlementRow=SettlementRow)
    scope.update(_new=object.__new__, _Draft=draft(Amount), _Amount=Amount, _SCALE=_SCALE, _OTHER=_OTHER_SCALE,
                 _exact_of=exact_of, _half_of=half_of,
                 _KEY_FIRST=_KEY_FIRST, _header=_header, _shifted=_shifted)
    exec(compile("\n".join(lines) + "\n", f"<rows {name}>", "exec"), scope)  # noqa: S102 - our own generated code
    return scope[name]


#: A keyed row's first checks (as :func:`_keyed_row`'s): a header's first cell, or a key shifted out of place.
_KEYED = [
    "    if key[0] in _KEY_FIRST and _header(key) or m.start(1) and _shifted(line, m, key):",
    "        return None",
    "    path, start = ctx.path, m.start",
]

summary_row = _generated("summary_row", [
    "def summary_row(ctx, no, line, unit, rate_unit):",
    '    """``tables.summary_row`` of a line of 통계목 and four numbers (A, B, 증감, 증감률), or None."""',
    "    m = _plain(line) if '\\t' in line else None",
    "    if m is None:",
    "        return _full(ctx, no, line, unit, rate_unit)",
    f"    key, {_cells(4)}, f3 = m.groups()",
    *_KEYED,
    *_units("unit", "rate_unit"),
    *_amounts_code(2, 4, lambda i: "rate_unit" if i == 3 else "unit", "_full(ctx, no, line, unit, rate_unit)",
                   decimal_last=True),
    "    column = start(1) + 1",
    *_made_code(SummaryRow, ["(key, path, no, column, key)", "a0", "a1", "a2", "a3", "(path, no, column, line.strip())"]),
    "    return key, row",
], _plain=recache.compile(_FIRST + (r"\t" + _PLAIN) * 3 + r"\t" + _PLAIN_DECIMAL + _END).fullmatch, _full=_summary_row,
    _Decimal=Decimal)

schedule_row = _generated("schedule_row", [
    "def schedule_row(ctx, no, line, unit, period_of):",
    '    """``tables.schedule_row`` of a line of four cells (사업추진절차, 추진기간, a number, 추진내용), or None;',
    "    ``period_of(ctx, no, cell)`` is ``tables.read_period`` (which may report the period, as there).\"\"\"",
    "    m = _plain(line) if '\\t' in line else None",
    "    if m is None:",
    "        return _full(ctx, no, line, unit, period_of)",
    f"    key, period, {_cells(1)}, note = m.groups()",
    *_KEYED,
    *_units("unit"),
    *_amounts_code(3, 1, lambda i: "unit", "_full(ctx, no, line, unit, period_of)"),
    "    column = start(1) + 1",
    "    if period is None:",
    "        begin = end = None",
    "    else:",
    "        period_at = start(2) + 1",
    "        begin, end = period_of(ctx, no, _new_cell(_Cell, (period, period_at)))",
    "        period = (period, path, no, period_at, period)",
    *_made_code(ScheduleRow, ["(key, path, no, column, key)", "period", "a0",
                              "None if note is None else (note, path, no, start(6) + 1, note)", "begin", "end",
                              "(path, no, column, line.strip())"]),
    "    return key, row",
], _plain=recache.compile(_FIRST + r"\t" + _TEXT + r"\t" + _PLAIN + rf"(?:\t{_TEXT})?" + _END).fullmatch,
    _full=_schedule_row, _new_cell=tuple.__new__, _Cell=Cell)


def _settlement_reader(count: int) -> Callable[..., SettlementRow | None]:
    """The row reader of a 결산 header of ``count`` columns: its seven amount fields in the document's order
    given by position, any other known columns by keyword (a column named twice keeps its last number)."""
    made = _generated("settlement_row", [
        "def settlement_row(ctx, no, line, columns, unit):",
        "    m = _plain(line) if '\\t' in line else None",
        "    if m is None or None in columns:",
        "        return _full(ctx, no, line, columns, unit)",
        f"    year, digits, {_cells(count)} = m.groups()",
        "    path, start = ctx.path, m.start",
        *_units("unit"),
        *_amounts_code(3, count, lambda i: "unit", "_full(ctx, no, line, columns, unit)"),
        "    column = start(1) + 1",
        "    year = _new_year(int(digits), (path, no, column, digits))",
        *([  # the seven columns in the document's order: the fields' own
            "    if columns == _IN_ORDER:",
            *_made_code(SettlementRow, ["year", *(f"a{i}" for i in range(count)), "(path, no, column, line.strip())"],
                        "        "),
            "        return row",
        ] if count == len(_IN_ORDER) else []),
        f"    return _make(year=year, source=(path, no, column, line.strip()), "
        f"**dict(zip(columns, ({''.join(f'a{i}, ' for i in range(count))}))))",
    ], _plain=recache.compile(_YEAR + (r"\t" + _PLAIN) * count + _END).fullmatch, _full=_settlement_row,
        _make=_new_settlement_row, _new_year=new_year, _IN_ORDER=_IN_ORDER)
    return made


_SETTLEMENT_READERS: dict[int, Callable[..., SettlementRow | None]] = {}


def settlement_row(ctx: Context, no: int, line: str, columns: list[str | None], unit: str) -> SettlementRow | None:
    """``tables.settlement_row`` of a line of a year and one number under each of the header's columns
    (each of them known; a column named twice keeps its last number, as there), or None."""
    count = len(columns)
    read = _SETTLEMENT_READERS.get(count)
    if read is None:
        read = _SETTLEMENT_READERS[count] = _settlement_reader(count)
    return read(ctx, no, line, columns, unit)
