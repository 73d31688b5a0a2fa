"""What every part of the reader shares: the path, the problems found so far, and source-tracked values."""

from __future__ import annotations

from collections.abc import Callable

from auditor.model import Problem
from auditor.readers import problems as P
from auditor.readers.layout import Cell, cells
from auditor.readers.numbers import MAX_DIGITS, parse_number, too_long
from auditor.source import Amount, Source, Text


class Context:
    """Builds sources, Texts and Amounts for one file, and collects the problems met on the way."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []
        #: The money unit of amounts written without one: the governing ``(단위 : …)`` note, else 천원.
        self.money_unit = "천원"

    def source(self, line: int, column: int = 1, text: str = "") -> Source:
        if line < 1:
            raise ValueError(f"line must be 1 or more, not {line}")
        return Source.unchecked(self.path, line, column if column > 1 else 1, text)

    def text(self, line: int, cell: Cell, value: str | None = None) -> Text:
        """A Text for a cell; ``value`` overrides the cell's own text (source keeps the cell's)."""
        return Text(cell.text if value is None else value, self.source(line, cell.column, cell.text))

    def report(self, code: str, line: int, col: int = 1, source_text: str = "", **details: str) -> None:
        """Record a problem at ``line``/``col``; ``details`` fill the message (table=, column=, text=, why=)."""
        self.problems.append(P.make(code, self.source(line, col, source_text), **details))

    def amount(
        self, line: int, cell: Cell | None, unit: str, *, table: str, column: str, at: int = 1,
    ) -> Amount | None:
        """The cell as an Amount (its own unit wins over ``unit``); None with PARSE003/PARSE004 if not."""
        if cell is None or not cell.text:
            self.report(P.MISSING_CELL, line, cell.column if cell else at, table=table, column=column)
            return None
        number = parse_number(cell.text)
        if number is None:
            why = dict(note=f"{MAX_DIGITS}자리보다 깁니다", note_en=f"more than {MAX_DIGITS} digits") if too_long(cell.text) else {}
            self.report(P.BAD_NUMBER, line, cell.column, cell.text, table=table, column=column, text=cell.text, **why)
            return None
        return Amount.unchecked(number.value, number.unit or unit, self.source(line, cell.column, cell.text))

    def extra_cells(self, line: int, row: list[Cell], width: int, table: str) -> None:
        """Report the non-empty cells past the table's ``width`` columns: one PARSE006 at the first,
        quoting them all (a line of thousands of cells gives one problem, not thousands)."""
        extra = [cell for cell in row[width:] if cell.text]
        if extra:
            quoted = " | ".join(c.text for c in extra[:P.QUOTE_LENGTH])
            self.report(P.EXTRA_CELL, line, extra[0].column, extra[0].text, table=table, text=quoted)


def table_row(line: str, key_ok: Callable[[str], bool]) -> list[Cell]:
    """A table row's cells without trailing empties; a stray leading tab is dropped when the key follows it."""
    row = cells(line)
    while row and not row[-1].text:
        row.pop()
    if row and not row[0].text:
        first = next((c for c in row if c.text), None)
        if first is not None and key_ok(first.text):
            row = row[row.index(first):]
    return row


def end_column(line: str) -> int:
    """The column just past the line's last character, where a missing cell would have been."""
    return len(line.rstrip()) + 1
