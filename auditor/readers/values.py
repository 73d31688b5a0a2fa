"""Values read from a sheet's cells, each once: Amounts and Texts whose place is kept as data until read.

What :class:`~auditor.readers.context.Context`'s ``amount`` and ``text`` make, made the fast way
(``auditor.source.maker``, ``lazy_source``): the same objects, equal in every field. A cell that is
missing or not a number goes to ``Context.amount`` itself, which reports it.
"""

from __future__ import annotations

from auditor.readers.context import Context
from auditor.readers.layout import Cell
from auditor.readers.numbers import read_number
from auditor.source import Amount, Text, new_amount, new_text

__all__ = ["amount", "cell_text", "line_text"]


def amount(ctx: Context, no: int, cell: Cell | None, unit: str, table: str, column: str, at: int = 1) -> Amount | None:
    """``ctx.amount(no, cell, unit, table=…, column=…, at=…)``: the cell as an Amount (its own unit wins over
    ``unit``), or None with PARSE003/PARSE004."""
    if cell is not None:
        found = read_number(cell[0]) if cell[0] else None
        if found is not None:
            return new_amount(found[0], found[1] or unit, (ctx.path, no, cell[1], cell[0]))
    return ctx.amount(no, cell, unit, table=table, column=column, at=at)


def cell_text(ctx: Context, no: int, cell: Cell, value: str | None = None) -> Text:
    """``ctx.text(no, cell, value)``: a Text for a cell; ``value`` overrides the cell's own text."""
    return new_text(cell.text if value is None else value, (ctx.path, no, cell.column, cell.text))


def line_text(ctx: Context, no: int, line: str) -> Text:
    """The line as a Text: stripped, at the column of its first character."""
    stripped = line.strip()
    return new_text(stripped, (ctx.path, no, len(line) - len(line.lstrip()) + 1, stripped))
