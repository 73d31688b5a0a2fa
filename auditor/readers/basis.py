"""Read the 산출근거 table into 통계목 → ○ groups → - items, tolerating empty and shifted cells."""

from __future__ import annotations

import re

import attrs

from auditor.model import Basis, BasisCategory, BasisGroup, BasisItem
from auditor.readers import problems as P
from auditor.readers.context import Context, end_column
from auditor.readers.layout import Cell, blanks, cells
from auditor.readers.numbers import parse_number
from auditor.source import Source, Text, Year

from auditor.formula import split_item

_GROUP = re.compile(r"^[○◯]\s*")
_ITEM = re.compile(r"^-\s*(?=\S)")
#: A trailing ``= amount`` inside the description cell: ``○ 홍보 10,000원*2회 = 20천원``.
_INLINE_AMOUNT = re.compile(r"\s=\s*(?P<amount>[^=]*?)\s*$")
_YEAR = re.compile(r"(\d{4})\s*년\s*예산내역")


def header_year(ctx: Context, no: int, row: list[Cell]) -> Year | None:
    """``2020년 예산내역`` → Year 2020, its source at the four digits."""
    for cell in row:
        m = _YEAR.search(cell.text)
        if m:
            return Year(int(m[1]), ctx.source(no, cell.column + m.start(1), m[1]))
    return None


def _marker(text: str) -> re.Match | None:
    """The ○ or - marker that starts a description; a bare signed number (``-5,000``) is not an item."""
    if _GROUP.match(text):
        return _GROUP.match(text)
    if parse_number(text) is not None:
        return None
    return _ITEM.match(text)


@attrs.define
class _Group:
    row: tuple
    items: list[BasisItem] = attrs.field(factory=list)


@attrs.define
class _Category:
    name: Text | None
    source: Source
    groups: list[_Group] = attrs.field(factory=list)


class BasisReader:
    """Collects 산출근거 rows, one line at a time, into the Basis tree."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.year: Year | None = None
        self.source: Source | None = None
        self.categories: list[_Category] = []

    def header(self, no: int, line: str, row: list[Cell]) -> None:
        self.year = header_year(self.ctx, no, row) or self.year
        self.source = self.source or self.ctx.source(no, row[0].column if row else 1, line.strip())

    def row(self, no: int, line: str) -> None:
        ctx = self.ctx
        filled = [c for c in cells(line) if c.text]
        desc_at = next((i for i, c in enumerate(filled) if _marker(c.text)), None)
        if desc_at is None:
            if len(filled) == 1 and not filled[0].text.startswith("="):
                self.categories.append(_Category(ctx.text(no, filled[0]), ctx.source(no, filled[0].column)))
            else:
                ctx.report(P.NOT_PLACED, no, filled[0].column, line.strip(),
                           why="산출근거 줄에 ○/- 내역이 없습니다", why_en="no ○/- description in a 산출근거 row")
            return
        before, desc, after = filled[:desc_at], filled[desc_at], filled[desc_at + 1:]
        if before:
            self.categories.append(_Category(ctx.text(no, before[0]), ctx.source(no, before[0].column)))
            ctx.extra_cells(no, before, 1, "basis")
        plain = blanks(desc.text)  # same length as desc.text: offsets below hold in both
        inline = _INLINE_AMOUNT.search(plain)
        if inline and parse_number(inline["amount"]) is not None:
            at = desc.column + inline.start("amount")
            amount = ctx.amount(no, Cell(desc.text[inline.start("amount"):inline.end("amount")], at),
                                ctx.money_unit, table="basis", column="금액")
            ctx.extra_cells(no, after, 0, "basis")
            end = inline.start()
        else:
            amount = self._amount(no, line, desc, after)
            end = len(plain)
        marker = _marker(desc.text)
        body = plain[marker.end():end]
        # The stated amount lets the split choose between readings of the text (docs/grammar.md).
        split = split_item(body, amount=(amount.value, amount.unit) if amount is not None and amount.is_money else None)
        label, formula = split.label, split.formula
        col = desc.column + marker.end()

        def piece(value: str, start: int, stop: int) -> Text:
            """A Text whose source is the characters ``body[start:stop]`` it was read from, as written."""
            return Text(value, ctx.source(no, col + start, desc.text[marker.end() + start:marker.end() + stop]))

        label_text = piece(label, split.label_start, split.label_end)
        formula_text = piece(formula, split.start, split.reading.end) if split.reading else None
        for note in split.notes:  # what the split assumed or chose: shown by auditor parse and check
            ctx.report(P.FORMULA_READING, no, col + note.column - 1, formula_text.source.text,
                       why=note.ko, why_en=note.en)
        whole = ctx.text(no, desc)
        source = ctx.source(no, desc.column, line.strip())
        if _GROUP.match(desc.text):
            if not self.categories:
                ctx.report(P.MISSING_CELL, no, 1, table="basis", column="통계목")
                self.categories.append(_Category(None, ctx.source(no)))
            self.categories[-1].groups.append(_Group((label_text, formula_text, amount, whole, source)))
        elif not self.categories or not self.categories[-1].groups:
            ctx.report(P.NOT_PLACED, no, desc.column, line.strip(),
                       why="- 세부내역 앞에 ○ 내역이 없습니다", why_en="a - item before any ○ group")
        else:
            self.categories[-1].groups[-1].items.append(
                BasisItem(label_text, formula_text, amount, whole, source))

    def _amount(self, no: int, line: str, desc: Cell, after: list[Cell]):
        """``= 60,000천원`` in one cell, or ``=`` and ``55,275천원`` in two."""
        cell = None
        rest = list(after)
        if rest and rest[0].text == "=":
            rest.pop(0)
        if rest:
            cell = rest.pop(0)
            if cell.text.startswith("="):
                body = cell.text[1:].lstrip()
                cell = Cell(body, cell.column + len(cell.text) - len(body)) if body else None
                if cell is None and rest:
                    cell = rest.pop(0)
        if rest:
            self.ctx.extra_cells(no, rest, 0, "basis")
        return self.ctx.amount(no, cell, self.ctx.money_unit, table="basis", column="금액", at=end_column(line))

    def has_rows(self) -> bool:
        """True when a 산출근거 header and at least one ○ group under it were read."""
        return self.source is not None and any(c.groups for c in self.categories)

    def build(self) -> Basis:
        return Basis(
            self.year,
            [
                BasisCategory(c.name, [BasisGroup(*g.row[:4], items=g.items, source=g.row[4]) for g in c.groups],
                              c.source)
                for c in self.categories
            ],
            self.source,
        )
