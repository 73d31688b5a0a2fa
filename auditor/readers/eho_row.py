"""Read one e호조 record (a CSV line) into the fields of a BasisGroup or BasisItem, each cell with its column.

This is the reader's inner loop, run once per row of a city's export, so it works on plain cell
strings and builds each Amount, Text and FundingShare once with the readers' fast constructors
(``auditor.source.new_amount``, ``new_text``, ``MAKERS``: the values are valid by construction), their
sources kept as ``(path, line, column, text)`` until read (``auditor.source.lazy_source``).
"""

from __future__ import annotations

import re
from operator import itemgetter

from decimal import Decimal

from auditor.model import MAKERS, Derived, FundingShare

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: The key of a row's fields under which a function gives every source's share (see EhoRows.read).
ALL_SHARES = "_all_shares"
from auditor.readers import problems as P
from auditor.readers.context import Context, end_column
from auditor.readers.csvline import split_cells, split_written
from auditor.readers.eho_columns import PARTS, Columns
from auditor.readers.numbers import parse_number, read_number
from auditor.plain import Field, Mutable, frozen
from auditor.source import Amount, Source, Text, exact_of, half_of, new_amount, new_text
# Amount's slot setters, as auditor.source.new_amount sets them (its source kept as data): for _made
from auditor.source import _new_object, _set_exact, _set_half, _set_source, _set_unit, _set_value

__all__ = ["GROUP", "ITEM", "Row", "RowReader", "code_text", "is_group_label", "more_shares", "value_column",
           "value_of"]

GROUP, ITEM = "group", "item"
new_share = MAKERS[FundingShare]
#: A group's marker: Ο (U+039F, as e호조 writes it), ○ or ◯.
_GROUP_MARK = re.compile(r"\s*[Ο○◯]\s*")
#: An item's marker: ο (U+03BF, indented by two spaces in the export) or -.
_ITEM_MARK = re.compile(r"\s*[ο\-]\s*")
#: Other bullets real files use (● ◎ ㅇ): an item when indented, else a group.
_OTHER_MARK = re.compile(r"(\s*)[●◎ㅇ]\s*")
#: Parsed number cells, shared by every row of a file (most figures repeat: 0, 2,700 …).
_CACHE_LIMIT = 1 << 16


class Row(Mutable):
    """A record read: group or item, its node's fields, and its 세부사업/부서/통계목 cells for placing it."""

    __slots__ = ("kind", "fields", "project", "department", "category", "cells", "label_cell", "scope", "__weakref__")
    kind: str
    fields: dict[str, Any]
    project: str
    department: str
    category: tuple[str, str]
    #: ``(values, starts)`` of the record's cells, for the 통계목's Texts when it starts a new one.
    cells: tuple[list[str], list[int]]
    #: Where the 산출근거명 cell's value starts, and the value as written (marker included).
    label_cell: tuple[int, str]
    #: (회계연도, 회계, 부서, 세부사업, 통계목 code, 통계목명): where an item is the same item in every version.
    scope: tuple[str, ...]

    def __init__(self, kind: str, fields: dict[str, Any], project: str, department: str, category: tuple[str, str],
                 cells: tuple[list[str], list[int]], label_cell: tuple[int, str] = (1, ""),
                 scope: tuple[str, ...] = ()) -> None:
        self.kind = kind
        self.fields = fields
        self.project = project
        self.department = department
        self.category = category
        self.cells = cells
        self.label_cell = label_cell
        self.scope = scope


#: Written out (auditor.plain), where attrs.define compiled its methods at every import;
#: tests/test_plain.py holds it to its attrs declaration.
frozen(Row, Field("kind"), Field("fields"), Field("project"), Field("department"), Field("category"), Field("cells"),
       Field("label_cell", default=(1, "")), Field("scope", default=()))


class RowReader:
    """Reads the records of one export, given its :class:`Columns`."""

    def __init__(self, path: str, columns: Columns) -> None:
        self.path = path
        self.columns = columns
        self.index = index = columns.index
        self.at = {key: index.get(key) for key in (
            "year", "label", "formula", "amount", "previous", "change", "kind", "project", "department",
            "code", "category", "account_code", "account")}
        #: (source, 경정, 기정, 증감 columns, the three columns' names) per funding source.
        self.funding = [(name, *parts, tuple(f"{name} {p}" for p in PARTS)) for name, parts in columns.funding]
        #: The columns that place a row (see :func:`_place`).
        self.place_at = _place(self.at)
        #: (header name, column, source column, unit or None) per derived column.
        self.derived = columns.derived
        wanted = sorted({*index.values(), *(c for _, parts in columns.funding for c in parts),
                         *(c for _, c, _, _ in columns.derived)})
        self.wanted = wanted
        self.last = wanted[-1]
        #: Number cells already read: text → (value, unit, stripped text, leading blanks), or None.
        self.numbers: dict[str, tuple[Any, str, str, int] | None] = {}
        #: The same for :meth:`read_written`: text → (value, unit, stripped text, column offset), or _BAD.
        self.written: dict[str, tuple | object] = {}
        self.fast_at = tuple(self.at[k] for k in ("year", "label", "formula", "amount", "previous", "change", "kind"))
        #: The cells that place a written record (:meth:`read_written`, as wide as the header), all at once.
        self.place_cells = itemgetter(*self.place_at) if None not in self.place_at else None

    def read(self, no: int, line: str, ctx: Context, year_ok) -> Row | None:
        """The record on line ``no``; None (reported) when it cannot be placed at all."""
        values, starts = cells = split_cells(line)
        n = len(values)
        if n > self.columns.width:  # one PARSE006 at the first non-empty cell past the header, quoting them
            extra = [k for k in range(self.columns.width, n) if values[k].strip()]  # (a row of 500,000 cells
            if extra:                                                               # gives one problem)
                first = extra[0]
                quoted = " | ".join(values[k].strip() for k in extra[:P.QUOTE_LENGTH])
                ctx.report(P.EXTRA_CELL, no, value_column(line, starts[first]), _raw(line, starts, first),
                           table="e호조", text=quoted)
        at = self.at
        if n <= self.last:  # a short row: one problem for it, and None for the cells it lacks
            gone = next(i for i in self.wanted if i >= n)
            ctx.report(P.MISSING_CELL, no, end_column(line), table="e호조", column=self.columns.name(gone))
            at = {key: (i if i is not None and i < n else None) for key, i in at.items()}
        label_at = at["label"]
        if not year_ok(no, line, values, starts, at["year"], label_at):
            return None
        if label_at is None:
            return None  # the short row is reported above
        label = values[label_at]
        kind, mark_end = _marker(label)
        label_column = value_column(line, starts[label_at])
        if kind is None:
            ctx.report(P.NOT_PLACED, no, label_column, label,
                       why="산출근거명이 Ο(내역) 또는 ο(세부내역)로 시작하지 않습니다",
                       why_en="the 산출근거명 cell does not start with Ο (group) or ο (item)")
            return None
        path, text, amount = self.path, self._text, self._amount
        fields = dict(
            label=new_text(label[mark_end:].strip(), (path, no, label_column + mark_end, label)),
            formula=text(no, line, values, starts, at["formula"]),
            amount=amount(no, ctx, line, values, starts, at["amount"], "예산액"),
            text=text(no, line, values, starts, label_at),
            source=(path, no, 1, line),
            previous=amount(no, ctx, line, values, starts, at["previous"], "기정액"),
            change=amount(no, ctx, line, values, starts, at["change"], "비교증감"),
            funding=self._funding(no, ctx, line, values, starts),
            budget_kind=text(no, line, values, starts, at["kind"]),
        )
        # Every source's share, made only if a later version's check needs one this row left out (a
        # 추경 row whose 0 share its base funds: eho_versions.VersionIndex.resolve). Popped before the model.
        fields[ALL_SHARES] = lambda labels: self._funding(no, ctx, line, values, starts, only=labels)
        if self.derived:
            fields["derived"] = self._derived(no, ctx, line, values, starts, fields)

        # the cells that place the row, each read once: 회계연도, 회계 (code, else name), 부서, 세부사업, 통계목
        return _row(kind, fields, values, at is self.at and self.place_at or _place(at), cells, (label_column, label))

    def read_written(self, no: int, line: str, year: str | None) -> Row | None:
        """The record on line ``no`` as :meth:`read` reads it, for the usual record only: written as a CSV
        writer writes it (:func:`~auditor.readers.csvline.split_written`), as wide as the header, its
        회계연도 the file's (``year``, as written), marked Ο or ο, every figure a number, no derived
        columns. Else None, having reported nothing: :meth:`read` then reads it (the reference).

        The same fields, made with fewer steps: each cell read once, a figure's Amount made from what
        an earlier cell with the same text gave (its value, unit, column offset, 원 value and half),
        the Texts' sources as data."""
        if self.derived:
            return None
        cells = split_written(line)
        if cells is None:
            return None
        values, starts = cells
        n = len(values)
        if n <= self.last or n > self.columns.width:
            return None
        at_year, label_at, formula_at, amount_at, previous_at, change_at, kind_at = self.fast_at
        if at_year is not None and values[at_year] != year:
            return None
        label = values[label_at]
        kind, mark_end = _marker(label)
        if kind is None:
            return None
        numbers = self.written
        amount = numbers.get(values[amount_at]) or self._written(values[amount_at])
        previous = numbers.get(values[previous_at]) or self._written(values[previous_at])
        change = numbers.get(values[change_at]) or self._written(values[change_at])
        if amount is _BAD or previous is _BAD or change is _BAD:
            return None
        funding = self.funding
        used = [f for f in funding if values[f[1]] != "0" or values[f[2]] != "0" or values[f[3]] != "0"] or funding
        shares = []
        path = self.path
        for name, a, b, c, _ in used:
            current, before, delta = (numbers.get(values[a]) or self._written(values[a]),
                                      numbers.get(values[b]) or self._written(values[b]),
                                      numbers.get(values[c]) or self._written(values[c]))
            if current is _BAD or before is _BAD or delta is _BAD:
                return None
            start = starts[a]
            raw = (line[start:starts[c + 1] - 1] if b == a + 1 and c == b + 1 else
                   ",".join(line[starts[i]:starts[i + 1] - 1] for i in (a, b, c)))
            shares.append(new_share(name, _made(current, path, no, start), _made(before, path, no, starts[b]),
                                    _made(delta, path, no, starts[c]), (path, no, start + 1, raw)))
        label_column = starts[label_at] + 1 + ("," in label)
        # 산출근거명, 산출식 and the cell as written as the model's lazy Texts hold them until read,
        # (value, path, line, column, text) (auditor.source.lazy_text): most are never read
        fields = {
            "label": (label[mark_end:].strip(), path, no, label_column + mark_end, label),
            "formula": _written_lazy(path, no, values[formula_at], starts[formula_at]) if formula_at is not None
            else None,
            "amount": _made(amount, path, no, starts[amount_at]),
            "text": _written_lazy(path, no, label, starts[label_at]),
            "source": (path, no, 1, line),
            "previous": _made(previous, path, no, starts[previous_at]),
            "change": _made(change, path, no, starts[change_at]),
            "funding": shares,
            "budget_kind": _written_text(path, no, values[kind_at], starts[kind_at]) if kind_at is not None else None,
        }
        # (the shares it gives are of sources whose cells are all "0" here: nothing to report); kept as
        # its recipe, which more_shares reads (a closure would make read_written's locals cells)
        fields[ALL_SHARES] = (self, no, line, cells)
        place = self.place_cells
        if place is None:
            return _row(kind, fields, values, self.place_at, cells, (label_column, label))
        year_, account_code, account, department, project, code, category = map(str.strip, place(values))
        if year_.endswith(".0"):
            year_ = code_text(year_)
        if account_code.endswith(".0"):
            account_code = code_text(account_code)
        return Row(kind, fields, project, department, (code, category), cells, (label_column, label),
                   (year_, account_code or account, department, project, code, category))

    def _written(self, value: str) -> tuple | object:
        """What :meth:`read_written` makes a figure's Amount from (see :data:`_BAD`), kept by text."""
        # as _parse reads it (parse_number's reading, without the Number)
        text = value.strip()
        number = read_number(value) if text else None
        if number is None:
            made: tuple | object = _BAD
        else:
            figure, unit = number
            unit = unit or "천원"
            offset = 1 + len(value) - len(value.lstrip()) + ("," in value)
            # what new_amount sets: the 원 value and half a digit
            made = (figure, unit, text, offset, exact_of(figure, unit), half_of(figure, unit))
        if len(self.written) >= _CACHE_LIMIT:
            self.written.clear()
        self.written[value] = made
        return made

    def text(self, no: int, line: str, cells: tuple[list[str], list[int]], key: str) -> Text | None:
        """The Text of column ``key`` on a record (for a new 통계목's project, department, code …); a code
        a tool wrote back as a number (``201.0``) reads as the code (``201``), its source as written."""
        values, starts = cells
        at = self.index.get(key)
        text = self._text(no, line, values, starts, at if at is not None and at < len(values) else None)
        if text is not None and key in _CODES and text.value != code_text(text.value):
            text = Text(code_text(text.value), text.source)
        return text

    def _derived(self, no: int, ctx: Context, line: str, values: list[str], starts: list[int],
                 fields: dict[str, Any]) -> tuple[Derived, ...]:
        """The row's derived columns, each with the Amount of the cell it was derived from (read once)."""
        read = {self.at["amount"]: fields["amount"], self.at["previous"]: fields["previous"],
                self.at["change"]: fields["change"]}
        for share, (_, a, b, c, _) in zip(fields["funding"], (f for f in self.funding if f[0] in
                                                               {s.label for s in fields["funding"]})):
            read.update({a: share.current, b: share.previous, c: share.change})
        out = []
        n = len(values)
        for name, at, of, unit in self.derived:
            if at >= n:
                continue
            value = values[at].strip()
            if not value:
                continue  # an empty cell: a tool's missing value, not a figure
            source = read.get(of, False)
            if source is False:  # a funding part of a source with no figure on the row: 0, read here
                source = self._amount(no, ctx, line, values, starts, of if of < n else None, self.columns.name(of))
            number = _float_text(value)
            column = value_column(line, starts[at])
            if number is None:
                ctx.report(P.BAD_NUMBER, no, column, values[at], table="e호조", column=name, text=value)
                continue
            src = Source.unchecked(self.path, no, column, value)
            out.append(Derived(name, Amount.unchecked(number, unit or (source.unit if source else "천원"), src),
                               source, source=src))
        return tuple(out)

    def _text(self, no: int, line: str, values: list[str], starts: list[int], at: int | None) -> Text | None:
        if at is None:
            return None
        value = values[at]
        stripped = value.strip()
        if not stripped:
            return None
        lead = len(value) - len(value.lstrip()) if value[0].isspace() else 0
        return new_text(stripped, (self.path, no, value_column(line, starts[at]) + lead, value))

    def _amount(self, no: int, ctx: Context, line: str, values: list[str], starts: list[int], at: int | None,
                column: str) -> Amount | None:
        """A 천원 figure; None for a cell past the end of a short row (reported once for the row)."""
        if at is None:
            return None
        value = values[at]
        number = self.numbers.get(value, False)
        if number is False:
            number = self._parse(value)
        start = starts[at]
        if number is None:
            col = value_column(line, start)
            if value.strip():
                ctx.report(P.BAD_NUMBER, no, col, value, table="e호조", column=column, text=value)
            else:
                ctx.report(P.MISSING_CELL, no, col, table="e호조", column=column)
            return None
        figure, unit, text, lead = number
        column_no = start + 2 + lead if line.startswith('"', start) else start + 1 + lead
        return new_amount(figure, unit, (self.path, no, column_no, text))

    def _parse(self, value: str) -> tuple[Any, str, str, int] | None:
        parsed = parse_number(value) if value.strip() else None
        text = value.strip()
        number = None if parsed is None else (parsed.value, parsed.unit or "천원", text,
                                              len(value) - len(value.lstrip()))
        if len(self.numbers) >= _CACHE_LIMIT:
            self.numbers.clear()
        self.numbers[value] = number
        return number

    def _funding(self, no: int, ctx: Context, line: str, values: list[str], starts: list[int],
                 only: frozenset[str] | None = None) -> list[FundingShare]:
        """One share per source with a figure in it; every source when all are 0 (so Σ 경정 is still
        checked). With ``only``, the shares of those sources, whatever their cells hold."""
        n = len(values)
        if only is not None:
            used = [f for f in self.funding if f[0] in only]
        elif n > self.last:
            used = [f for f in self.funding if values[f[1]] != "0" or values[f[2]] != "0" or values[f[3]] != "0"]
        else:
            used = [f for f in self.funding if any(i >= n or values[i] != "0" for i in f[1:4])]
        amount = self._amount
        shares = []
        for name, a, b, c, names in used or self.funding:
            amounts = [amount(no, ctx, line, values, starts, i if i < n else None, column)
                       for i, column in zip((a, b, c), names)]
            present = [i for i in (a, b, c) if i < n]
            if present:
                raw = ",".join(_raw(line, starts, i) for i in present)
                source: tuple = (self.path, no, starts[present[0]] + 1, raw)
            else:
                source = (self.path, no, end_column(line), "")
            shares.append(new_share(name, *amounts, source))
        return shares


def more_shares(recipe: Any, labels: frozenset[str]) -> list[FundingShare]:
    """The shares of the sources ``labels`` of a row, whatever its cells hold, from the row's
    ``fields[ALL_SHARES]``: a function of the labels (:meth:`RowReader.read`), or ``(reader, line
    number, line, cells)`` (:meth:`RowReader.read_written`, whose cells report nothing)."""
    if callable(recipe):
        return recipe(labels)
    reader, no, line, (values, starts) = recipe
    return reader._funding(no, Context(reader.path), line, values, starts, only=labels)


#: A cell :meth:`RowReader.read_written` leaves to :meth:`RowReader.read` (not a number, or empty).
_BAD = object()


def _made(number: tuple, path: str, no: int, start: int) -> Amount:
    """The Amount of a figure cell starting at ``start``, from :meth:`RowReader._written`'s tuple: what
    ``new_amount(value, unit, (path, no, column, text))`` makes, its ``exact`` and ``half`` given."""
    figure, unit, text, offset, exact, half = number
    amount = _new_object(Amount)
    _set_value(amount, figure)
    _set_unit(amount, unit)
    _set_source(amount, (path, no, start + offset, text))
    _set_exact(amount, exact)
    _set_half(amount, half)
    return amount


def _written_text(path: str, no: int, value: str, start: int) -> Text | None:
    """:meth:`RowReader._text` of a cell of a written record (quoted exactly when it holds a comma)."""
    recipe = _written_lazy(path, no, value, start)
    return None if recipe is None else new_text(recipe[0], recipe[1:])


def _written_lazy(path: str, no: int, value: str, start: int) -> tuple | None:
    """The recipe a lazy Text slot holds for a cell of a written record (quoted exactly when it holds a
    comma): ``(value, path, line, column, text)``, or None for a blank cell."""
    stripped = value.strip()
    if not stripped:
        return None
    column = start + 1 + ("," in value)
    if value[0].isspace():
        column += len(value) - len(value.lstrip())
    return stripped, path, no, column, value


def value_of(text: Text | tuple | None) -> str | None:
    """The value of a row's Text field, made or still its lazy recipe (:func:`_written_lazy`)."""
    if text is None:
        return None
    return text[0] if type(text) is tuple else text.value


#: Keys of columns that hold codes (a tool that read them as numbers writes ``100.0``).
_CODES = frozenset({"object_code", "account_code", "code"})
#: A number as a tool writes a float: ``6000.0``, ``-15000``, ``0.0125``, ``1e-05``.
_FLOAT = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def _float_text(text: str) -> int | Decimal | None:
    """A derived cell's exact value: the decimal it prints (never a float), an int when whole."""
    text = text.replace(",", "")
    if not _FLOAT.fullmatch(text):
        return None
    value = Decimal(text)
    return int(value) if value == value.to_integral_value() and "e" not in text.lower() and "." not in text \
        else value


def _row(kind: str, fields: dict, values: list[str], place_at: tuple[int | None, ...], cells: Any,
         label: tuple) -> Row:
    """The Row of a record, placed by its cells at ``place_at`` (:func:`_place`): 회계연도, 회계 (code, else
    name), 부서, 세부사업, 통계목, each read once. Both readers (:meth:`RowReader.read` and its fast
    :meth:`RowReader.read_written`) end here, or the fast one does the same with the cells taken at once
    (``RowReader.place_cells``: every column is there)."""
    year, account_code, account, department, project, code, category = [
        values[i].strip() if i is not None else "" for i in place_at]
    if year.endswith(".0"):
        year = code_text(year)
    if account_code.endswith(".0"):
        account_code = code_text(account_code)
    scope = (year, account_code or account, department, project, code, category)
    return Row(kind, fields, project, department, (code, category), cells, label, scope)


def _place(at: dict[str, int | None]) -> tuple[int | None, ...]:
    """The columns of 회계연도, 회계코드, 회계명, 부서명, 세부사업명, 통계목 and 통계목명, by key of ``at``."""
    return tuple(at[k] for k in ("year", "account_code", "account", "department", "project", "code", "category"))


def code_text(text: str) -> str:
    """A code or year as written, or as a tool that read it as a number wrote it back: ``100.0`` → ``100``."""
    if text.endswith(".0") and text[:-2].isdigit():
        return text[:-2]
    return text


def _marker(label: str) -> tuple[str | None, int]:
    """Whether a 산출근거명 is a group or an item, and where its text starts after the marker."""
    mark = _GROUP_MARK.match(label)
    kind = GROUP
    if mark is None:
        mark = _ITEM_MARK.match(label)
        kind = ITEM
    if mark is None:
        mark = _OTHER_MARK.match(label)
        kind = ITEM if mark and len(mark.group(1)) >= 2 else GROUP
    if mark is None or not label[mark.end():].strip():
        return None, 0
    return kind, mark.end()


def is_group_label(label: str) -> bool:
    """A 산출근거명 that starts a group (Ο …, or ● ◎ ㅇ at the margin)."""
    if _GROUP_MARK.match(label):
        return True
    other = _OTHER_MARK.match(label)
    return other is not None and len(other.group(1)) < 2 and not _ITEM_MARK.match(label)


def value_column(line: str, start: int) -> int:
    """The 1-based column of a cell's value: just after its opening quote, if any."""
    return start + 2 if line.startswith('"', start) else start + 1


def _raw(line: str, starts: list[int], k: int) -> str:
    return line[starts[k]:starts[k + 1] - 1]
