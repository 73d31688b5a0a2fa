"""Read the fixed-column tables of a sheet: 예산 총괄, 추진일정, 결산 현황 and 사업 담당자."""

from __future__ import annotations

from collections.abc import Callable

from auditor import recache
from auditor.model import MAKERS, Contact, ScheduleRow, SettlementRow, SummaryRow, korean_names
from auditor.readers import problems as P
from auditor.readers import values as V
from auditor.readers.context import Context, end_column
from auditor.readers.layout import Cell, cells, squash
from auditor.readers.numbers import read_number
from auditor.source import Text, Year, new_text, new_year

_BUDGET_YEAR = recache.compile(r"(\d{4})\s*예산액\s*\(\s*([AB])\s*\)")
_FORMULA = recache.compile(r"^[()AB0-9+\-*/×÷.\s]*A[()AB0-9+\-*/×÷.\s]*$")
#: ``2024.01~2024.12``, ``2024.1~2024.12``, ``2024.03.~2024.12.``, ``2024. 3. ~ 2024. 12.``, ``2023. 3.~12.``.
_PERIOD = recache.compile(
    r"^(\d{4})\s*\.\s*(\d{1,2})\s*\.?\s*[~∼〜-]\s*(?:(\d{4})\s*\.\s*)?(\d{1,2})\s*\.?$")
#: ``2024년 상반기``, ``2024 하반기``, ``2024년 3분기``, ``2024년 연중``: a year and a named part of it.
_YEAR_PART = recache.compile(r"^(\d{4})\s*년?\s*(연중|상반기|하반기|([1-4])\s*분기)$")
_PART_MONTHS = {"연중": (1, 12), "상반기": (1, 6), "하반기": (7, 12)}
#: A period that names a year (``2024``, ``'24``): if it does not read as a period, say so.
_NAMES_A_YEAR = recache.compile(r"\d{4}|['’]\d{2}")
_YEAR = recache.compile(r"^(\d{4})(?:\s*년도?)?$")
_PHONE = recache.compile(r"^(.*?)\s*(\d{2,4}-\d{3,4}(?:-\d{4})?)$")
TOTAL = frozenset({"계", "합계", "총계"})
#: The Korean column name of each SettlementRow amount (``available`` → 예산현액).
_SETTLEMENT_KO = {attr: ko for ko, attr in korean_names(SettlementRow).items()}
_new_summary_row, _new_schedule_row = MAKERS[SummaryRow], MAKERS[ScheduleRow]
_new_settlement_row = MAKERS[SettlementRow]
_new_contact = MAKERS[Contact]
#: The bracketed formula of the 증감 header cell: ``(B-A)``.
_BRACKETED = recache.compile(r"\(.*\)")


def _not_number(text: str) -> bool:
    return read_number(text) is None


def table_row(line: str, row: list[Cell], key_ok: Callable[[str], bool]) -> list[Cell]:
    """A table row's cells without trailing empties; a stray leading tab is dropped when the key follows it.

    ``row`` is the line's :func:`~auditor.readers.layout.content_cells`. Leading empty cells are kept
    (the key cell is then missing) when the first cell that is not empty is no key (a number first).
    """
    start = len(line) - len(line.lstrip())
    if not row or "\t" not in line[:start] or key_ok(row[0].text):
        return row
    full = cells(line)
    while not full[-1].text:
        full.pop()
    return full


def is_rate_formula(row: list[Cell]) -> bool:
    """A header continuation line holding only a formula such as ``(B-A)*100/A``."""
    filled = [c for c in row if c.text]
    return len(filled) == 1 and bool(_FORMULA.match(filled[0].text)) and "/" in filled[0].text


class SummaryHeader:
    """What the 예산 총괄 header says: the years of A and B and its two formulas."""

    def __init__(self) -> None:
        self.years: dict[str, Year] = {}
        self.change_formula: Text | None = None
        self.rate_formula: Text | None = None

    def read(self, ctx: Context, no: int, row: list[Cell]) -> None:
        for cell in row:
            if "예산액" in cell.text:
                for m in _BUDGET_YEAR.finditer(cell.text):
                    self.years[m[2]] = new_year(int(m[1]), (ctx.path, no, cell.column + m.start(1), m[1]))
            if cell.text.startswith("증감"):
                m = _BRACKETED.search(cell.text)
                if m:
                    self.change_formula = new_text(m[0], (ctx.path, no, cell.column + m.start(), m[0]))
            elif "/" in cell.text and _FORMULA.match(cell.text):
                self.rate_formula = V.cell_text(ctx, no, cell)


def summary_row(ctx: Context, no: int, line: str, row: list[Cell], unit: str, rate_unit: str) -> tuple[str, SummaryRow]:
    """``계\t(x-) 250,600\t(x-) 235,800\t(x-) △14,800\t(x-) △5`` → its 통계목 as written and a SummaryRow
    (``row``: the line's content cells)."""
    row = table_row(line, row, _not_number)
    size = len(row)
    at = end_column(line)
    if row and row[0].text:
        item = (row[0].text, ctx.path, no, row[0].column, row[0].text)
    else:
        ctx.report(P.MISSING_CELL, no, 1, table="summary", column="통계목")
        item = ("", ctx.path, no, 1, "")
    ctx.extra_cells(no, row, 5, "summary")
    return item[0], _new_summary_row(
        item,
        V.amount(ctx, no, row[1] if size > 1 else None, unit, "summary", "A", at),
        V.amount(ctx, no, row[2] if size > 2 else None, unit, "summary", "B", at),
        V.amount(ctx, no, row[3] if size > 3 else None, unit, "summary", "증감", at),
        V.amount(ctx, no, row[4] if size > 4 else None, rate_unit, "summary", "증감률", at),
        (ctx.path, no, row[0].column if row else 1, line.strip()),
    )


def schedule_row(ctx: Context, no: int, line: str, row: list[Cell], unit: str) -> tuple[str, ScheduleRow]:
    """``지구 협력…\t2020.01~2020.12\t60,000\t현장시장실…`` → its 사업추진절차 as written and a ScheduleRow
    (``row``: the line's content cells)."""
    row = table_row(line, row, _not_number)
    get = lambda i: row[i] if i < len(row) and row[i].text else None  # noqa: E731
    if get(0):
        step = (row[0].text, ctx.path, no, row[0].column, row[0].text)
    else:
        ctx.report(P.MISSING_CELL, no, 1, table="schedule", column="사업추진절차")
        step = ("", ctx.path, no, 1, "")
    period = (row[1].text, ctx.path, no, row[1].column, row[1].text) if get(1) else None
    start, end = read_period(ctx, no, row[1]) if period else (None, None)
    amount = V.amount(ctx, no, get(2), unit, "schedule", "예산집행금액", end_column(line))
    ctx.extra_cells(no, row, 4, "schedule")
    return step[0], _new_schedule_row(
        step, period, amount, (row[3].text, ctx.path, no, row[3].column, row[3].text) if get(3) else None, start, end,
        (ctx.path, no, row[0].column if row else 1, line.strip()),
    )


def read_period(ctx: Context, no: int, cell: Cell) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """``(start, end)`` as ``(year, month)`` of a 추진기간 cell; a month-only end takes the start's year.

    A period that names no year (``연중``, ``상반기``, ``3~12월``) is the schedule's own year in
    words: it is kept as text, with nothing to check. One that names a year but is in another
    shape, or has a month outside 1–12, gives PARSE004 at the cell and ``(None, None)``.
    """
    part = _YEAR_PART.match(cell.text)
    if part:
        year, quarter = int(part[1]), part[3]
        first, last = (3 * int(quarter) - 2, 3 * int(quarter)) if quarter else _PART_MONTHS[part[2]]
        return (year, first), (year, last)
    m = _PERIOD.match(cell.text)
    if not m and not _NAMES_A_YEAR.search(cell.text):
        return None, None
    if not m:
        ctx.report(P.BAD_NUMBER, no, cell.column, cell.text, table="schedule", column="추진기간", text=cell.text,
                   note="기간은 YYYY.MM~YYYY.MM 꼴이어야 합니다", note_en="a period reads YYYY.MM~YYYY.MM")
        return None, None
    start = (int(m[1]), int(m[2]))
    end = (int(m[3] or m[1]), int(m[4]))
    if not (1 <= start[1] <= 12 and 1 <= end[1] <= 12):
        ctx.report(P.BAD_NUMBER, no, cell.column, cell.text, table="schedule", column="추진기간", text=cell.text,
                   note="월은 1~12여야 합니다", note_en="a month is 1 to 12")
        return None, None
    return start, end


def settlement_columns(ctx: Context, no: int, row: list[Cell]) -> list[str | None]:
    """Map the header's Korean column names to SettlementRow attributes (PARSE005 for unknown ones)."""
    names = korean_names(SettlementRow)
    out: list[str | None] = []
    for cell in row[1:]:
        attr = names.get(squash(cell.text))
        if attr is None or attr == "year":
            ctx.report(P.UNKNOWN_HEADER, no, cell.column, cell.text, text=cell.text)
            attr = None
        out.append(attr)
    return out


def settlement_row(ctx: Context, no: int, line: str, row: list[Cell], columns: list[str | None],
                   unit: str) -> SettlementRow | None:
    """``2017\t(x-) 236,800\t…`` → a SettlementRow (``row``: its content cells); None (with a problem) when
    the year is unreadable."""
    row = table_row(line, row, _is_year)
    first = row[0] if row else Cell("", 1)
    m = _YEAR.match(first.text)
    if not m:
        code = P.BAD_NUMBER if first.text else P.MISSING_CELL
        ctx.report(code, no, first.column, first.text, table="settlement", column="연도", text=first.text)
        return None
    values: dict[str, object] = {}
    at = end_column(line)
    for i, attr in enumerate(columns, start=1):
        if attr is not None:
            values[attr] = V.amount(ctx, no, row[i] if i < len(row) else None, unit, "settlement",
                                    _SETTLEMENT_KO[attr], at)
    ctx.extra_cells(no, row, len(columns) + 1, "settlement")
    year = new_year(int(m[1]), (ctx.path, no, first.column, m[1]))
    return _new_settlement_row(year=year, source=(ctx.path, no, first.column, line.strip()), **values)


def _is_year(text: str) -> bool:
    return bool(_YEAR.match(text))


def contacts(ctx: Context, no: int, row: list[Cell], roles: list[str]) -> list[Contact]:
    """``곽종빈 2133-5800`` cells under the header's roles (과 장, 팀장, 주무관 …)."""
    out = []
    for cell, role in zip(row, roles):
        if not cell.text:
            continue
        m = _PHONE.match(cell.text)
        name, phone = (m[1], m[2]) if m else (cell.text, "")
        out.append(_new_contact(role, name, phone, (ctx.path, no, cell.column, cell.text)))
    return out


def is_total(text: str) -> bool:
    return squash(text) in TOTAL
