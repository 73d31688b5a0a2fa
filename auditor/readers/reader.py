"""The 사업설명서 text reader: walks the lines once, hands each to the part it belongs to, builds the Sheet.

Each line is classified once (separator, heading, unit note, ※ note, table header, table row or
free text), its cells split once and handed, with the line, to the part that reads it.
"""

from __future__ import annotations

from auditor.model import Department, Prose, Schedule, Settlement, Sheet, Summary
from auditor.readers import problems as P
from auditor.readers.basis import BasisReader
from auditor.readers.context import Context
from auditor.readers.decode import TRIED, Decoded
from auditor.readers.layout import HEADING_FIRST, Cell, heading_of, is_separator, squash, stripped_cells, unit_note
from auditor.readers.numbers import UNITS
from auditor.readers.sections import ActivitiesReader, OverviewReader, achievement
from auditor.readers import mode
from auditor.readers import rows as R
from auditor.readers import tables as T
from auditor.readers.values import cell_text, line_text
from auditor.source import MONEY_UNITS, Text, Year, maker, new_text

PROSE = ("purpose", "legal_basis", "history", "expected_effects")
#: Lines longer than this are not read (PARSE002): a sheet's longest lines, HTML lists of 추진실적,
#: run to a few thousand characters, and every step of the reader then stays cheap.
MAX_LINE_LENGTH = 10_000


#: The first characters of the first cell of a table header (구분, 과목구분, 연도, 사업추진절차, 실·국).
_HEADER_FIRST = frozenset("구과연사실")
_new_cell = tuple.__new__
#: The first characters of 계, 합계 and 총계: a stripped cell that starts otherwise is no total.
_TOTAL_FIRST = frozenset(word[0] for word in T.TOTAL)


def _table_header(row) -> str | None:
    """Which table a header row starts, from its first cell (and the 예산액/최종예산 cells)."""
    if not row:
        return None
    first = squash(row[0].text)
    if first == "구분" and "예산액" in " ".join(c.text for c in row):
        return "summary"
    if first == "과목구분":
        return "basis"
    if first == "연도" and "최종예산" in " ".join(c.text for c in row):
        return "settlement"
    if first == "사업추진절차":
        return "schedule"
    if first in ("실·국", "실국", "실ㆍ국"):
        return "department"
    return None


class SheetReader:
    """One pass over a decoded sheet. ``section`` follows the headings; ``table`` the last table header.

    ``start`` and ``stop`` (0-based, as a slice) bound the lines read when the file holds several
    sheets run together (:mod:`auditor.readers.book`); line numbers stay the file's.
    """

    def __init__(self, path: str, decoded: Decoded, *, fragment: bool = False, start: int = 0,
                 stop: int | None = None) -> None:
        self.ctx = Context(path)
        self.decoded = decoded
        self.fragment = fragment
        self.start, self.stop = start, stop
        self.last_line = start + 1
        self.section: str | None = None
        self.table: str | None = None
        self.rate_unit = "%"
        self.title: Text | None = None
        self.seen = False
        self.layout: list[Text] = []
        self.notes: list[Text] = []
        self.prose: dict[str, list[Text]] = {k: [] for k in PROSE}
        self.other: list[tuple[Text, list[Text]]] = []
        self.overview = OverviewReader(self.ctx)
        self.activities = ActivitiesReader(self.ctx)
        self.basis = BasisReader(self.ctx)
        self.summary_header = T.SummaryHeader()
        self.summary: dict = {"rows": []}
        self.schedule: dict = {"rows": []}
        self.settlement: dict = {"rows": []}
        self.settlement_columns: list[str | None] = []
        self.department: dict = {}
        self.roles: list[str] = []
        self.achievements: list = []
        #: Table rows are read whole by a compiled pattern where one fits (``AUDITOR_READER=reference``: never).
        self.fast = mode.FAST

    def _text(self, no: int, line: str) -> Text:
        return line_text(self.ctx, no, line)

    def read(self) -> Sheet:
        decoded, start, stop = self.decoded, self.start, self.stop
        if decoded.bad_line is not None and (stop is None or start < decoded.bad_line <= stop):
            how = P.READ_NOTHING if decoded.binary else P.READ_NUL if decoded.nul else P.READ_AS_REPLACEMENT
            self.ctx.report(P.UNDECODABLE, decoded.bad_line, tried=", ".join(("BOM",) + TRIED),
                            how=how[0], how_en=how[1])
            if decoded.binary:
                return self.build()
        lines = decoded.lines if stop is None and not start else decoded.lines[start:stop]
        ctx, classify, last = self.ctx, self.line, None
        basis_row = self.basis.fast_row
        summary_row, schedule_row, settlement_row, add = R.summary_row, R.schedule_row, R.settlement_row, self._add
        # A table row of the common layouts is read whole (no separator, heading, note or header among
        # them: those have a dash run, 단위, or a first cell the row patterns refuse); any other line, and
        # every line with the fast paths off, is classified (:meth:`line`).
        fast = self.fast
        for no, line in enumerate(lines, start=start + 1):
            if not line or line.isspace():  # (not line.strip(), without the copy)
                continue
            if len(line) > MAX_LINE_LENGTH:
                ctx.report(P.NOT_PLACED, no, 1, why=f"줄이 너무 깁니다 ({len(line):,}자, 최대 {MAX_LINE_LENGTH:,}자)",
                           why_en=f"the line is too long ({len(line):,} characters, at most {MAX_LINE_LENGTH:,})")
            else:
                table = self.table
                if table is None or not fast or "---" in line or "단위" in line:
                    classify(no, line)
                elif table == "basis":
                    if not basis_row(no, line):
                        classify(no, line)
                elif table == "summary":
                    read = summary_row(ctx, no, line, ctx.money_unit, self.rate_unit)
                    if read is None:
                        classify(no, line)
                    else:
                        add(self.summary, *read)
                elif table == "schedule":
                    read = schedule_row(ctx, no, line, ctx.money_unit, T.read_period)
                    if read is None:
                        classify(no, line)
                    else:
                        add(self.schedule, *read)
                elif table == "settlement":
                    row = settlement_row(ctx, no, line, self.settlement_columns, ctx.money_unit)
                    if row is None:
                        classify(no, line)
                    else:
                        self.settlement["rows"].append(row)
                else:
                    classify(no, line)
            self.seen = True
            last = no
        if last is not None:
            self.last_line = last
        if not self.fragment:
            self._check_complete()
        return self.build()

    def _check_complete(self) -> None:
        """PARSE007 at the last line read when a core part is missing (at line 1 for an empty file)."""
        present = {
            "overview": self.overview.cost_row,
            "summary": "source" in self.summary and bool(self.summary["rows"] or "total" in self.summary),
            "basis": self.basis.has_rows(),
        }
        missing = [P.CORE_PARTS[k] for k, there in present.items() if not there]
        if missing:
            empty = {} if self.seen else dict(note="빈 파일", note_en="empty file")
            self.ctx.report(P.PART_MISSING, self.last_line, 1, text=", ".join(ko for ko, _ in missing),
                            text_en=", ".join(en for _, en in missing), **empty)

    def line(self, no: int, line: str) -> None:
        """Classify one non-blank line that no table row pattern has read (:meth:`read`), in this order:
        separator, heading, unit note, ※ note, table header, table row, free text; each test is cheap
        for the lines it does not fit."""
        ctx = self.ctx
        if "---" in line and is_separator(line):
            self.layout.append(self._text(no, line))
            return
        stripped = line.strip()
        first = stripped[0]
        # the column of the first character: 1 when the line starts with it (stripped[0] is no blank)
        column = 1 if line[0] == first else len(line) - len(line.lstrip()) + 1
        tabbed = "\t" in stripped
        # a heading holds no tab, and starts with a mark, a digit or a name's first character
        h = heading_of(stripped) if not tabbed and (first in HEADING_FIRST or first.isdecimal()) else None
        if h is not None:
            place = (ctx.path, no, column, stripped)  # the line's Source, made when read
            self.table = None
            if h.kind == "title" and self.title is None and not self.seen:
                self.title = new_text(h.name, place)
                return
            self.layout.append(new_text(stripped, place))
            if h.kind == "part":
                self.section = None
                ctx.money_unit = "천원"  # a unit note governs its own numbered part only
            elif h.kind == "section":
                self.section = h.key or "other"
                if h.key == "schedule" and h.year is not None:
                    digits = str(h.year)
                    self.schedule["year"] = Year(h.year, ctx.source(no, line.find(digits) + 1, digits))
                if h.key is None:
                    ctx.report(P.UNKNOWN_HEADER, no, 1, line.strip(), text=line.strip())
                    self.other.append((new_text(stripped, place), []))
            return
        units = unit_note(line) if "단위" in line else None
        if units is not None:
            self.table = None
            self.layout.append(new_text(stripped, (ctx.path, no, column, stripped)))
            money = [u for u in units if u in MONEY_UNITS]
            if money:
                self.ctx.money_unit = money[0]
            if not money or any(u not in UNITS for u in units):
                ctx.report(P.UNKNOWN_HEADER, no, 1, line.strip(), text=line.strip())
            return
        if first == "※":
            self.notes.append(new_text(stripped, (ctx.path, no, column, stripped)))
            return
        if not tabbed and first not in _HEADER_FIRST and self.table is None and self.section not in (None, "overview"):
            # a line of one cell, outside the tables and the overview: no header, no table row, no overview
            # row, no 추진실적 year (that takes two cells): what _free_line reads of it, at once
            self._text_line(no, stripped, column, line)
            return
        # content_cells(line), from the line stripped once (at once for a line of one cell)
        row = stripped_cells(stripped, column) if tabbed else [_new_cell(Cell, (stripped, column))]
        kind = _table_header(row) if row[0].text[0] in _HEADER_FIRST else None
        if kind is not None:
            self.table = kind
            self.layout.append(new_text(stripped, (ctx.path, no, column, stripped)))
            self._header(no, line, kind, row)
            return
        if self.table is not None:
            self._table_row(no, line, row)
            return
        self._free_line(no, line, row, stripped, column)

    @staticmethod
    def _add(table: dict, key: str, row) -> None:
        """A 예산 총괄 or 추진일정 row: the first 계 row is the table's total, any other row one of its rows."""
        if "total" not in table and key[:1] in _TOTAL_FIRST and T.is_total(key):  # key: a stripped cell
            table["total"] = row
        else:
            table["rows"].append(row)

    def _header(self, no, line, kind, row) -> None:
        source = (self.ctx.path, no, row[0].column, line.strip())  # a Source when read (lazy_source)
        if kind == "summary":
            self.summary_header.read(self.ctx, no, row)
            self.summary.update(source=source, unit=self.ctx.money_unit)
        elif kind == "basis":
            self.basis.header(no, line, row)
        elif kind == "settlement":
            self.settlement_columns = T.settlement_columns(self.ctx, no, row)
            self.settlement.update(source=source, unit=self.ctx.money_unit)
        elif kind == "schedule":
            self.schedule.update(source=source, unit=self.ctx.money_unit)
        elif kind == "department":
            self.roles = [c.text for c in row[2:]]

    def _table_row(self, no: int, line: str, row) -> None:
        ctx, table = self.ctx, self.table
        if table == "summary":
            if T.is_rate_formula(row) and self.summary_header.rate_formula is None:
                self.summary_header.rate_formula = ctx.text(no, next(c for c in row if c.text))
                self.layout.append(self._text(no, line))
                return
            self._add(self.summary, *T.summary_row(ctx, no, line, row, self.ctx.money_unit, self.rate_unit))
        elif table == "basis":
            self.basis.row(no, line, row)
        elif table == "schedule":
            self._add(self.schedule, *T.schedule_row(ctx, no, line, row, self.ctx.money_unit))
        elif table == "settlement":
            r = T.settlement_row(ctx, no, line, row, self.settlement_columns, self.ctx.money_unit)
            if r is not None:
                self.settlement["rows"].append(r)
        elif table == "department":
            self.table = None  # one row only
            if self.department:  # a repeated header brought a second row: keep the first, report this one
                ctx.report(P.NOT_PLACED, no, row[0].column if row else 1, line.strip(),
                           why="사업 담당자 줄이 두 번 나옵니다", why_en="a second 사업 담당자 row")
                return
            get = lambda i: cell_text(ctx, no, row[i]) if i < len(row) and row[i].text else None  # noqa: E731
            self.department = dict(
                division=get(0), name=get(1), contacts=T.contacts(ctx, no, row[2:], self.roles),
                source=(ctx.path, no, row[0].column if row else 1, line.strip()),
            )
            ctx.extra_cells(no, row, 2 + len(self.roles), "department")

    def _free_line(self, no: int, line: str, row, stripped: str, column: int) -> None:
        """A line outside the tables: an overview row, a 추진실적 year, a 사업내용 bullet or prose (``stripped``:
        the line stripped, starting at ``column``)."""
        section = self.section
        if section in (None, "overview") and self.overview.row(no, line, row, section == "overview"):
            return
        found = achievement(self.ctx, no, line, row) if len(row) > 1 else None  # a year, then its cell
        if found is not None:
            self.achievements.append(found)
            return
        self._text_line(no, stripped, column, line)

    def _text_line(self, no: int, stripped: str, column: int, line: str) -> None:
        """A line outside the tables that no part reads by its cells: a 사업내용 bullet, a line of prose or of
        an unknown section, the title, or a line that fits nowhere (``stripped``: the line stripped, starting
        at ``column``)."""
        section = self.section
        if section == "activities":
            self.activities.line(no, line, stripped, column)
        elif section in PROSE:
            self.prose[section].append(new_text(stripped, (self.ctx.path, no, column, stripped)))
        elif section == "other":
            self.other[-1][1].append(new_text(stripped, (self.ctx.path, no, column, stripped)))
        elif self.title is None and not self.seen:
            self.title = new_text(stripped, (self.ctx.path, no, column, stripped))
        else:
            ko, en = P.TABLES.get(section, (section, section)) if section else ("", "")
            self.ctx.report(
                P.NOT_PLACED, no, column, stripped,
                why=f"{ko} 부분에 맞지 않습니다" if section else "어느 제목 아래에도 있지 않습니다",
                why_en=f"it does not fit the {en} section" if section else "it is under no known heading",
            )

    def build(self) -> Sheet:
        """The Sheet, its parts made by :data:`_MAKE` (the fields in order, tuples given as tuples: what
        attrs' ``__init__`` makes of the same values, without its converters)."""
        h, summary, schedule, settlement, department = (
            self.summary_header, self.summary, self.schedule, self.settlement, self.department)
        years = h.years
        current_year = years.get("B")
        made_summary = _new_summary(years.get("A"), current_year, h.change_formula, h.rate_formula,
                                    summary.get("unit", "천원"), summary.get("total"), tuple(summary["rows"]),
                                    summary.get("source"))
        basis = self.basis.build()
        year = schedule.get("year")
        made_schedule = _new_schedule(year, schedule.get("unit", "천원"), schedule.get("total"),
                                      tuple(schedule["rows"]), schedule.get("source"))
        prose = self.prose
        return _make_sheet(
            self.ctx.path, self.title, current_year or basis.year or year, self.overview.build(),
            _new_department(department.get("division"), department.get("name"),
                            tuple(department.get("contacts", ())), department.get("source")),
            made_summary, basis, self.activities.build(), made_schedule, tuple(self.achievements),
            _new_settlement(settlement.get("unit", "천원"), tuple(settlement["rows"]), settlement.get("source")),
            tuple(prose["purpose"]), tuple(prose["legal_basis"]), tuple(prose["history"]),
            tuple(prose["expected_effects"]), tuple(self.notes),
            tuple([_new_prose(t, tuple(lines)) for t, lines in self.other]) if self.other else (),
            tuple(self.layout + self.overview.labels), tuple(self.ctx.problems), self.decoded.lines,
            self.decoded.encoding, self.start + 1,
        )


_new_summary, _new_schedule, _new_settlement = maker(Summary), maker(Schedule), maker(Settlement)
_new_department, _new_prose = maker(Department), maker(Prose)
#: A Sheet of its fields' values in order, each given (each of its proper type).
_make_sheet = maker(Sheet, written=False, defaults=False)
