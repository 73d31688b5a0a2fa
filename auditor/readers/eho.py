"""The e호조 expenditure CSV reader: one 산출근거 line item per record, with its funding split, into one Sheet."""

from __future__ import annotations

import re

import attrs

from auditor.model import Basis, BasisCategory, BasisGroup, BasisItem, FundingShare, Sheet
from auditor.readers import problems as P
from auditor.readers.context import Context, end_column
from auditor.readers.csvline import CsvCell, split_csv_line
from auditor.readers.decode import TRIED, Decoded
from auditor.readers.numbers import parse_number
from auditor.source import Amount, Source, Text, Year

__all__ = ["HEADER_PREFIX", "EhoReader", "is_eho"]

#: How an e호조 expenditure export's first line starts.
HEADER_PREFIX = "회계연도,예산구분,"
#: The columns read, by the header's own names.
COLUMNS = {
    "year": "회계연도", "project": "세부사업명", "category": "통계목명", "label": "산출근거명",
    "formula": "산출근거식", "amount": "예산액", "previous": "기정액", "change": "비교증감",
}
#: The sub-header under each funding source, in the export's order.
PARTS = ("경정", "기정", "증감")
_GROUP = re.compile(r"\s*[Ο○◯]\s*")  # U+039F, as e호조 writes it; ○ and ◯ are accepted too
_ITEM = re.compile(r"\s*[ο-]\s*")  # U+03BF, indented by two spaces in the export
_YEAR = re.compile(r"\d{4}")


def is_eho(lines: tuple[str, ...]) -> bool:
    """The decoded file starts with the e호조 header."""
    return bool(lines) and lines[0].lstrip("\ufeff").startswith(HEADER_PREFIX)


@attrs.define
class _Category:
    name: Text | None
    project: Text | None
    source: Source
    groups: list[dict] = attrs.field(factory=list)


class EhoReader:
    """One pass over a decoded e호조 CSV: maps the header, then reads each record into the Basis tree."""

    def __init__(self, path: str, decoded: Decoded) -> None:
        self.ctx = Context(path)
        self.decoded = decoded
        self.index: dict[str, int] = {}
        self.funding: list[tuple[str, tuple[int, int, int]]] = []
        self.width = 0
        self.year: Year | None = None
        self.categories: dict[tuple[str, str], _Category] = {}
        self.group: dict | None = None
        self.layout: list[Text] = []

    def read(self) -> Sheet:
        lines = self.decoded.lines
        if self.decoded.bad_line is not None:
            self.ctx.report(P.UNDECODABLE, self.decoded.bad_line, tried=", ".join(("BOM",) + TRIED))
        if any(line.strip() for line in lines):
            first = self._header(lines)
            if first is not None:
                for no in range(first, len(lines) + 1):
                    if lines[no - 1].strip():
                        self.row(no, lines[no - 1])
        return self.build()

    def _header(self, lines: tuple[str, ...]) -> int | None:
        """Map the columns from line 1 (and the 경정/기정/증감 line 2); the first data line, or None."""
        header = split_csv_line(lines[0].lstrip("\ufeff"))
        names = [c.value.strip() for c in header]
        for key, name in COLUMNS.items():
            if name in names:
                self.index[key] = names.index(name)
        missing = [name for key, name in COLUMNS.items() if key not in self.index]
        if missing or not lines[0].lstrip("\ufeff").startswith(HEADER_PREFIX):
            shown = lines[0] if len(lines[0]) <= 80 else lines[0][:80] + "…"
            self.ctx.report(P.UNKNOWN_HEADER, 1, 1, lines[0], text=shown)
            return None
        self.width = len(header)
        self.layout.append(Text(lines[0], self.ctx.source(1, 1, lines[0])))
        sub = split_csv_line(lines[1]) if len(lines) > 1 else []
        is_sub = bool(sub) and not sub[0].value.strip() and any(c.value.strip() in PARTS for c in sub)
        for i in range(self.index["change"] + 1, len(names)):
            if names[i]:
                self.funding.append((names[i], self._parts(i, sub if is_sub else [])))
        if not is_sub:
            return 2
        self.layout.append(Text(lines[1], self.ctx.source(2, 1, lines[1])))
        return 3

    def _parts(self, at: int, sub: list[CsvCell]) -> tuple[int, int, int]:
        """Columns of 경정, 기정, 증감 for the source whose header cell is at ``at`` (sub-header order)."""
        words = [sub[i].value.strip() if i < len(sub) else "" for i in range(at, at + 3)]
        if sorted(words) == sorted(PARTS):
            return tuple(at + words.index(p) for p in PARTS)  # type: ignore[return-value]
        if sub and any(words):
            cell = sub[at] if at < len(sub) else sub[-1]
            self.ctx.report(P.UNKNOWN_HEADER, 2, cell.column, cell.raw, text=",".join(words))
        return at, at + 1, at + 2

    def row(self, no: int, line: str) -> None:
        ctx = self.ctx
        cells = split_csv_line(line)
        for cell in cells[self.width:]:
            if cell.value.strip():
                ctx.report(P.EXTRA_CELL, no, cell.column, cell.raw, table="e호조", text=cell.value)
        wanted = [*self.index.values(), *(c for _, parts in self.funding for c in parts)]
        if len(cells) <= max(wanted):
            gone = min(i for i in wanted if i >= len(cells))
            ctx.report(P.MISSING_CELL, no, end_column(line), table="e호조", column=self._name(gone))
        get = lambda key: cells[self.index[key]] if self.index[key] < len(cells) else None  # noqa: E731
        label = get("label")
        if not self._year(no, get("year"), label):
            return
        if label is None:
            return  # the short row is reported above
        group = _GROUP.match(label.value)
        item = None if group else _ITEM.match(label.value)
        if not (group or item) or not label.value[(group or item).end():].strip():
            ctx.report(P.NOT_PLACED, no, label.column, label.value,
                       why="산출근거명이 Ο(내역) 또는 ο(세부내역)로 시작하지 않습니다",
                       why_en="the 산출근거명 cell does not start with Ο (group) or ο (item)")
            return
        marker = group or item
        fields = dict(
            label=Text(label.value[marker.end():].strip(), ctx.source(no, label.column + marker.end(), label.value)),
            formula=self._text(no, get("formula")),
            amount=self._amount(no, get("amount"), "예산액"),
            text=self._text(no, label),
            source=ctx.source(no, 1, line),
            previous=self._amount(no, get("previous"), "기정액"),
            change=self._amount(no, get("change"), "비교증감"),
            funding=[self._share(no, line, cells, name, parts) for name, parts in self.funding],
        )
        if group:
            self.group = dict(fields, items=[])
            self._category(no, get("project"), get("category")).groups.append(self.group)
        elif self.group is None:
            ctx.report(P.NOT_PLACED, no, label.column, label.value,
                       why="ο 세부내역 앞에 Ο 내역이 없습니다", why_en="an ο item before any Ο group")
        else:
            self.group["items"].append(BasisItem(**fields))

    def _name(self, index: int) -> str:
        for key, i in self.index.items():
            if i == index:
                return COLUMNS[key]
        for name, parts in self.funding:
            if index in parts:
                return f"{name} {PARTS[parts.index(index)]}"
        return str(index + 1)

    def _year(self, no: int, cell: CsvCell | None, label: CsvCell | None) -> bool:
        """Read 회계연도; False (reported) when the record belongs to another year than the file's first."""
        if cell is None:
            return True
        text = cell.value.strip()
        if not _YEAR.fullmatch(text):
            code = P.BAD_NUMBER if text else P.MISSING_CELL
            self.ctx.report(code, no, cell.column, cell.value, table="e호조", column="회계연도", text=text)
            return True
        if self.year is None:
            lead = len(cell.value) - len(cell.value.lstrip())
            self.year = Year(int(text), self.ctx.source(no, cell.column + lead, text))
        elif int(text) != self.year.value:
            self.ctx.report(P.NOT_PLACED, no, cell.column, cell.value,
                            why=f"회계연도 {text}가 이 파일의 회계연도 {self.year}와 다릅니다 (한 파일은 한 해의 예산입니다)",
                            why_en=f"fiscal year {text} differs from this file's {self.year} (one file is one year)")
            if label is not None and _GROUP.match(label.value):
                self.group = None  # its ο items must not join the group before it
            return False
        return True

    def _text(self, no: int, cell: CsvCell | None) -> Text | None:
        if cell is None or not cell.value.strip():
            return None
        lead = len(cell.value) - len(cell.value.lstrip())
        return Text(cell.value.strip(), self.ctx.source(no, cell.column + lead, cell.value))

    def _amount(self, no: int, cell: CsvCell | None, column: str) -> Amount | None:
        """A 천원 figure; None for a cell past the end of a short row (reported once for the row)."""
        if cell is None:
            return None
        if not cell.value.strip():
            self.ctx.report(P.MISSING_CELL, no, cell.column, table="e호조", column=column)
            return None
        number = parse_number(cell.value)
        if number is None:
            self.ctx.report(P.BAD_NUMBER, no, cell.column, cell.value, table="e호조", column=column, text=cell.value)
            return None
        lead = len(cell.value) - len(cell.value.lstrip())
        return Amount(number.value, number.unit or "천원", self.ctx.source(no, cell.column + lead, cell.value.strip()))

    def _share(self, no: int, line: str, cells: list[CsvCell], name: str, parts: tuple[int, int, int]) -> FundingShare:
        got = [cells[i] if i < len(cells) else None for i in parts]
        values = [self._amount(no, c, f"{name} {p}") for c, p in zip(got, PARTS)]
        first = next((c for c in got if c is not None), None)
        column = first.column - first.quoted if first else end_column(line)  # at the raw cell, quote included
        source = self.ctx.source(no, column,
                                 ",".join(c.raw for c in got if c is not None))
        return FundingShare(name, *values, source=source)

    def _category(self, no: int, project: CsvCell | None, name: CsvCell | None) -> _Category:
        key = (project.value.strip() if project else "", name.value.strip() if name else "")
        if key not in self.categories:
            if not key[1] and name is not None:
                self.ctx.report(P.MISSING_CELL, no, name.column, table="e호조", column="통계목명")
            self.categories[key] = _Category(self._text(no, name), self._text(no, project), self.ctx.source(no))
        return self.categories[key]

    def build(self) -> Sheet:
        ctx, lines = self.ctx, self.decoded.lines
        categories = [
            BasisCategory(c.name, [BasisGroup(**g) for g in c.groups], c.source, project=c.project)
            for c in self.categories.values()
        ]
        projects = len({key[0] for key in self.categories})
        header = ctx.source(1, 1, lines[0]) if lines else None
        title = Text(f"e호조 세출 산출근거 ({projects}개 세부사업)", header) if header and self.index else None
        return Sheet(
            ctx.path,
            title=title,
            budget_year=self.year,
            basis=Basis(self.year, categories, header if self.index else None),
            layout=self.layout,
            problems=ctx.problems,
            lines=lines,
            encoding=self.decoded.encoding,
        )
