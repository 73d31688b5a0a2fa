"""Read the free-form parts of a sheet: 사업개요 rows, 사업내용 bullets and 추진실적 years."""

from __future__ import annotations

from auditor import recache
from auditor.model import MAKERS, Achievement, Activity, Funding, Overview
from auditor.readers import problems as P
from auditor.readers import values as V
from auditor.readers.context import Context
from auditor.readers.layout import Cell, squash, strip_html
from auditor.readers.numbers import parse_number, read_number
from auditor.plain import NOTHING, Field, Mutable, frozen
from auditor.source import Amount, Text, maker, new_amount, new_text, new_year

OVERVIEW_KEYS = {"회계": "account", "사업기간": "period", "사업내용": "description"}
#: ``[국비]1,000``: a label in brackets (no bracket inside: that would rescan the rest of the cell
#: at every ``[``, quadratic on a long run of them), then its amount up to the next ``[``.
_FUNDING = recache.compile(r"\[([^\[\]]*)\]([^\[]*)")
_ACHIEVEMENT_YEAR = recache.compile(r"^(\d{4})\s*년도?$")
_BUDGET = recache.compile(r"소요\s*예산\s*[:：]\s*(.+)$")
_BULLET = recache.compile(r"^([-○◦·•ㆍ*])\s*")
#: What separates the items of a 추진실적 cell: a line break (a list item's, once the HTML is read) or ○.
_ITEM_BREAK = recache.compile(r"[\n○]")
_new_funding, _new_activity, _new_achievement = MAKERS[Funding], MAKERS[Activity], MAKERS[Achievement]
_new_overview = maker(Overview)
_new_cell = tuple.__new__  # Cell(text, column) without the named tuple's own __new__


class OverviewReader:
    """□ 사업개요: ``회 계``, ``사업기간``, ``사업내용`` and ``사업비 (당해년도)`` with its funding split."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.fields: dict[str, object] = {}
        self.funding: list[Funding] = []
        self.labels: list[Text] = []  # text beside the funding brackets, e.g. 기타 (예산 외)
        self.in_cost = False
        self.cost_row = False  # a 사업비 row was read (the core of the overview, for PARSE007)

    def row(self, no: int, line: str, row: list[Cell], in_section: bool) -> bool:
        """Read the line (``row``: its cells, empty ones at either end left out) if it is an overview row;
        False when it is not one."""
        if not row:
            return False
        key = squash(row[0].text)
        ctx = self.ctx
        if key in OVERVIEW_KEYS:
            self.in_cost = False
            if "source" not in self.fields:
                self.fields["source"] = (ctx.path, no, row[0].column, line.strip())
            value = row[1] if len(row) > 1 else None
            if value is None or not value.text:
                ctx.report(P.MISSING_CELL, no, row[0].column, table="overview", column=row[0].text)
                return True
            if OVERVIEW_KEYS[key] in self.fields:
                ctx.report(P.NOT_PLACED, no, row[0].column, line.strip(),
                           why=f"'{row[0].text}' 줄이 두 번 나옵니다", why_en=f"a second '{row[0].text}' row")
                return True
            text, _ = strip_html(value.text)
            self.fields[OVERVIEW_KEYS[key]] = V.cell_text(ctx, no, value, " ".join(text.split()))
            ctx.extra_cells(no, row, 2, "overview")
            return True
        if key.startswith("사업비"):
            self.in_cost = self.cost_row = True
            if "source" not in self.fields:
                self.fields["source"] = (ctx.path, no, row[0].column, line.strip())
            self._funding_cells(no, row[1:], cost_first=True)
            if "cost" not in self.fields:  # 사업비 with no amount beside it
                ctx.report(P.MISSING_CELL, no, row[0].column, table="overview", column=row[0].text)
            return True
        if (self.in_cost or in_section) and "[" in line:
            self._funding_cells(no, row, cost_first=False)
            return True
        return False

    def _funding_cells(self, no: int, row: list[Cell], cost_first: bool) -> None:
        ctx = self.ctx
        for cell in row:
            if not cell.text:
                continue
            if "[" not in cell.text:
                if cost_first and "cost" not in self.fields:
                    self.fields["cost"] = V.amount(ctx, no, cell, ctx.money_unit, "overview", "사업비")
                else:
                    self.labels.append(V.cell_text(ctx, no, cell))
                continue
            prefix = cell.text[: cell.text.index("[")].strip()
            if prefix:
                self.labels.append(new_text(prefix, (ctx.path, no, cell.column, cell.text)))
            path, column, unit = ctx.path, cell.column, ctx.money_unit
            for m in _FUNDING.finditer(cell.text):
                label, written = m.groups()
                amount = None
                value = written.strip()
                if value:
                    at = column + m.start(2) + len(written) - len(written.lstrip())
                    found = read_number(value)  # V.amount's own first step; it reports a cell that is no number
                    amount = (new_amount(found[0], found[1] or unit, (path, no, at, value)) if found is not None
                              else V.amount(ctx, no, _new_cell(Cell, (value, at)), unit, "overview", f"[{label}]"))
                self.funding.append(_new_funding(label.strip(), amount, (path, no, column + m.start(), m[0].strip())))

    def build(self) -> Overview:
        get = self.fields.get
        return _new_overview(get("account"), get("period"), get("description"), get("cost"), tuple(self.funding),
                             get("source"))


class _Activity(Mutable):
    """One activity while it is read: its title, its details so far and its budget."""

    __slots__ = ("title", "source", "details", "budget", "__weakref__")
    title: Text
    source: tuple
    details: list[Text]
    budget: Amount | None

    def __init__(self, title: Text, source: tuple, details: list[Text] = NOTHING,  # type: ignore[assignment]
                 budget: Amount | None = None) -> None:
        self.title = title
        self.source = source
        self.details = [] if details is NOTHING else details
        self.budget = budget


#: Written out (auditor.plain), where attrs.define compiled its methods at every import;
#: tests/test_plain.py holds it to its attrs declaration.
frozen(_Activity, Field("title"), Field("source"), Field("details", factory=list), Field("budget", default=None))


class ActivitiesReader:
    """사업내용 bullets: a bullet at the margin starts an activity; an indented one is its detail."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.items: list[_Activity] = []

    def line(self, no: int, line: str, stripped: str, column: int) -> None:
        """One line of 사업내용; ``stripped`` is the line stripped, ``column`` where it starts."""
        ctx = self.ctx
        m = _BULLET.match(stripped)
        body = stripped[m.end():] if m else stripped
        source = (ctx.path, no, column, stripped)
        text = new_text(body, source)
        indented = column > 1 and "\t" not in line[: column - 1]
        if not indented or not self.items:
            self.items.append(_Activity(text, source))
            return
        budget = _BUDGET.search(body) if "예산" in body else None  # 소요 예산 holds it
        if budget:
            at = column + (len(stripped) - len(body)) + budget.start(1)
            amount = V.amount(ctx, no, _new_cell(Cell, (budget[1].strip(), at)), ctx.money_unit, "activities", "소요예산")
            if amount is not None and self.items[-1].budget is None:
                self.items[-1].budget = amount
                return
        self.items[-1].details.append(text)

    def build(self) -> tuple[Activity, ...]:
        return tuple([_new_activity(a.title, tuple(a.details), a.budget, a.source) for a in self.items])


def achievement(ctx: Context, no: int, line: str, row: list[Cell]) -> Achievement | None:
    """``2016년도\\t<ul …> <li>○ … : 20회</li> …`` → an Achievement; None when the line is not one."""
    if len(row) < 2:  # row: the line's cells, empty ones at either end left out
        return None
    m = _ACHIEVEMENT_YEAR.match(row[0].text)
    if not m:
        return None
    start = row[1].column - 1
    text, _ = strip_html(line[start:])
    items, cursor = [], start
    for chunk in item_chunks(text):
        chunk = " ".join(chunk.split())
        if not chunk:
            continue
        at = line.find(chunk, cursor)
        if at >= 0:
            cursor = at + len(chunk)
        items.append(new_text(chunk, (ctx.path, no, (at if at >= 0 else start) + 1, chunk)))
    year = new_year(int(m[1]), (ctx.path, no, row[0].column, m[1]))
    return _new_achievement(year, tuple(items), (ctx.path, no, row[0].column, row[0].text))


def item_chunks(text: str) -> list[str]:
    """``_ITEM_BREAK.split(text)``: the text cut at each line break and ○, by ``str.split``
    (``tests/test_reader_fast.py`` compares them)."""
    return (text.replace("○", "\n") if "○" in text else text).split("\n")


def is_number(text: str) -> bool:
    return parse_number(text) is not None
