"""Generate e호조 합본 books (본예산 and its 추경 and 간주 rounds), their pandas-resaved twins, and one-fault copies.

A book is consistent by construction. Each 세부사업 has a few 통계목 with Ο groups, some of them
subtotals of ο items. Each 추경 round revises some groups: a formula group gets a ``경정`` row whose
기정액 is the latest amount; a subtotal group lists only the items it changes (a new amount, an item
removed with 예산액 0, a new item with 기정액 0), its 예산액 and 기정액 are the whole group's, its funding
cells cover the listed items only; new groups come in with 기정액 0. 간주 rounds, after the last 추경,
add new groups only. Rows are written as real books write them: each 통계목's 본예산 rows, then its 추경
rows in version order. :func:`faults` gives a copy with one fault and its answer key (the rules that
must fire and where); :func:`pandas_twin` writes the book as pandas re-saves it.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from auditor.testing.eho import (
    CATEGORIES, COLUMNS, HEADER, SOURCES, SUB_HEADER, Draw, Record, _formula, _shares, csv_line,
)

__all__ = ["Book", "Fault", "book", "book_text", "twin_text", "pandas_twin", "faults", "DERIVED"]

#: The columns an analyst appends: (name, the column it is derived from, how).
DERIVED = (("예산액_num", "예산액", "num"), ("기정액_num", "기정액", "num"), ("비교증감_num", "비교증감", "num"),
           *((f"{s}_num", s, "num") for s in SOURCES),
           ("예산액_원", "예산액_num", "won"), ("예산액_억원", "예산액_원", "eok"),
           ("기정액_억원", "기정액_num", "won_eok"), ("비교증감_억원", "비교증감_num", "won_eok"))


@attrs.define
class _Item:
    label: str
    formula: str
    amount: int
    shares: list[int]


@attrs.define
class _Group:
    label: str
    formula: str
    amount: int
    shares: list[int]
    items: list[_Item]
    #: ``[True]`` once a later version restates the row last written for it (a fault on that row would
    #: show again on the later one); a new list for each revision.
    mark: list[bool] = attrs.field(factory=lambda: [False])


@attrs.frozen
class Book:
    """The records of a book, in the book's order, and which of them a later version restates."""

    records: tuple[Record, ...]
    #: Indexes (into ``records``) of the rows that no later version restates, by kind: ``leaf`` a revised
    #: formula group, ``partial`` a 추경 group that lists some of its items.
    final: dict[str, tuple[int, ...]] = attrs.field(factory=dict)


@attrs.frozen
class Fault:
    """A book with one fault, and where the rules must fire: ``{line: {codes}}`` (one of each set of
    alternatives in ``either``: SUM001 outside the rounding tolerance, SUM006 inside it)."""

    text: str
    kind: str
    must: dict[int, frozenset[str]]
    #: ``{line: codes}`` of which exactly one must fire there.
    one_of: dict[int, frozenset[str]] = attrs.field(factory=dict)


def _sum(items: Sequence[_Item]) -> tuple[int, list[int]]:
    shares = [0] * len(SOURCES)
    for i in items:
        shares = [a + b for a, b in zip(shares, i.shares)]
    return sum(i.amount for i in items), shares


def _funding(current: Sequence[int], previous: Sequence[int]) -> tuple[tuple[int, int, int], ...]:
    return tuple((c, p, c - p) for c, p in zip(current, previous))


def book(draw: Draw, *, year: int = 2024, rounds: int = 3, deemed: int = 1) -> Book:
    """A consistent 합본 book of one 부서: 본예산, ``rounds`` 추경 rounds, then ``deemed`` 간주 rounds."""
    department = "공원관리과"
    versions = ["본예산", *(f"추경{r}회" for r in range(1, rounds + 1)), *(f"간주{r}차" for r in range(1, deemed + 1))]
    out: list[Record] = []
    final: dict[str, list[int]] = {"leaf": [], "partial": []}
    for p in range(draw.integer(1, 2)):
        project = f"공원 운영관리 {p + 1}"
        grant = draw.integer(0, 2) == 0
        picks = list(range(len(CATEGORIES)))
        for c in range(draw.integer(1, 2)):
            category = CATEGORIES[picks.pop(draw.integer(0, len(picks) - 1))]
            base = dict(year=year, project=project, department=department, grant=grant, category=category)
            groups: list[_Group] = []
            for g in range(draw.integer(1, 3)):
                groups.append(_new_group(draw, f"내역 {p + 1}-{c + 1}-{g + 1}", grant, draw.choice((0, 2, 3))))
            rows: dict[str, list[tuple[Record, str, list[bool] | None]]] = {v: [] for v in versions}
            for group in groups:
                rows["본예산"] += _rows(group, None, None, {**base, "kind": "본예산"})
            for version in versions[1:]:
                kind = {**base, "kind": version}
                if version.startswith("간주"):
                    if draw.integer(0, 1):
                        group = _new_group(draw, f"성립전 {p + 1}-{c + 1}-{version}", grant, 0)
                        groups.append(group)
                        rows[version] += _rows(group, None, None, kind)
                    continue
                for group in list(groups):
                    if draw.integer(0, 2) == 0:
                        rows[version] += _revise(draw, group, grant, kind)
                if draw.integer(0, 3) == 0:
                    group = _new_group(draw, f"신규 {p + 1}-{c + 1}-{version}", grant, draw.choice((0, 2)))
                    groups.append(group)
                    rows[version] += _rows(group, None, None, kind)
            for version in versions:
                for record, role, mark in rows[version]:
                    if role and mark is not None and not mark[0]:
                        final[role].append(len(out))
                    out.append(record)
    return Book(tuple(out), {k: tuple(v) for k, v in final.items()})


def _new_group(draw: Draw, label: str, grant: bool, items: int) -> _Group:
    if not items:
        formula, amount = _formula(draw)
        return _Group(label, formula, amount, _shares(draw, amount, grant), [])
    children = []
    for i in range(items):
        formula, amount = _formula(draw)
        children.append(_Item(f"세부 {label} {i + 1}", formula, amount, _shares(draw, amount, grant)))
    amount, shares = _sum(children)
    return _Group(label, "", amount, shares, children)


def _rows(group: _Group, old: _Group | None, listed: list[tuple[_Item, _Item | None]] | None,
          base: dict) -> list[tuple[Record, str, list[bool] | None]]:
    """The rows of a new group (``old`` None), or of a group revised from ``old`` listing ``listed``."""
    zero = [0] * len(SOURCES)
    if old is None:
        out = [(Record(label="Ο" + group.label, formula=group.formula, amount=group.amount, previous=0,
                       change=group.amount, funding=_funding(group.shares, zero), **base), "", None)]
        out += [(Record(label="  ο" + i.label, formula=i.formula, amount=i.amount, previous=0, change=i.amount,
                        funding=_funding(i.shares, zero), **base), "", None) for i in group.items]
        return out
    if listed is None:  # a formula group, revised whole
        return [(Record(label="Ο" + group.label, formula=group.formula, amount=group.amount, previous=old.amount,
                        change=group.amount - old.amount, funding=_funding(group.shares, old.shares), **base),
                 "leaf", group.mark)]
    new_total, new_shares = _sum([n for n, _ in listed])
    old_total, old_shares = _sum([o for _, o in listed if o is not None])
    out = [(Record(label="Ο" + group.label, formula="", amount=group.amount, previous=old.amount,
                   change=new_total - old_total, funding=_funding(new_shares, old_shares), **base),
            "partial", group.mark)]
    for new, was in listed:
        previous = was.amount if was is not None else 0
        out.append((Record(label="  ο" + new.label, formula=new.formula, amount=new.amount, previous=previous,
                           change=new.amount - previous,
                           funding=_funding(new.shares, was.shares if was is not None else zero), **base), "", None))
    return out


def _revise(draw: Draw, group: _Group, grant: bool, base: dict) -> list[tuple[Record, str, list[bool] | None]]:
    """A 추경's rows for ``group`` (updated in place to the new version)."""
    old = attrs.evolve(group, items=list(group.items), shares=list(group.shares))
    group.mark[0] = True  # the row last written for it is restated here
    group.mark = [False]
    if not group.items:
        amount = max(group.amount + draw.integer(-group.amount, group.amount), 0)
        group.formula, group.amount = f"경정 {amount * 1000:,}원", amount
        group.shares = _shares(draw, amount, grant)
        return _rows(group, old, None, base)
    listed: list[tuple[_Item, _Item | None]] = []
    for n, item in enumerate(group.items):
        if draw.integer(0, 2) == 0 or (n == len(group.items) - 1 and not listed):
            removed = draw.integer(0, 4) == 0
            amount = 0 if removed else max(item.amount + draw.integer(-item.amount, item.amount), 1)
            new = _Item(item.label, f"경정 {amount * 1000:,}원", amount, _shares(draw, amount, grant))
            listed.append((new, item))
            group.items[n] = new
    if draw.integer(0, 3) == 0:
        formula, amount = _formula(draw)
        new = _Item(f"세부 {group.label} 추가 {len(group.items) + 1}", formula, amount, _shares(draw, amount, grant))
        listed.append((new, None))
        group.items.append(new)
    group.amount, group.shares = _sum(group.items)
    return _rows(group, old, listed, base)


def book_text(records: Sequence[Record]) -> str:
    """The book as e호조 writes it: both header lines, one line per record."""
    return "".join(line + "\n" for line in (HEADER, SUB_HEADER, *(csv_line(r.cells()) for r in records)))


def pandas_twin(records: Sequence[Record]) -> list[list[str]]:
    """The cells of the book as pandas re-saves it, header row first, emulated by hand.

    What ``df = pd.read_csv(book); df = df[df["회계연도"].notna()]`` (the 경정/기정/증감 line read as a
    data row, then dropped), ``df[c + "_num"] = pd.to_numeric(df[c].astype(str).str.replace(",", ""))``
    for 예산액, 기정액, 비교증감 and each source's first column, ``_원 = _num * 1000``, ``_억원 = _원 / 1e8``
    and ``df.to_csv(out, index=False)`` write (compared with pandas 3.1.1 once, byte for byte):

    - one header line; an empty header cell is ``Unnamed: N`` (N its 0-based index);
    - a named column whose cells are all plain numbers (no thousands comma) was float64 because of
      the empty cell of the dropped line, and is written as a float: ``2024.0``, ``100.0``, ``201.0``,
      ``0.0``; any other column is written as read (``"6,000"``; an empty cell stays empty);
    - ``_num`` of a column read as text is an integer (``6000``), of a float column a float
      (``0.0``); ``_원`` multiplies it by 1000; ``_억원`` divides by 1e8 in floating point and is
      written as Python writes a float (``0.16``, ``1e-05``).
    """
    head = [name if name else f"Unnamed: {i}" for i, name in enumerate(HEADER.split(","))]
    body = [r.cells() for r in records]
    width = len(COLUMNS)
    floats = [i < width and all(_plain(row[i]) for row in body) and any(row[i] for row in body) for i in range(len(head))]
    rows = [[_float_text(cell) if floats[i] and cell else cell for i, cell in enumerate(row)] for row in body]
    at = {name: i for i, name in enumerate(head)}
    out = [head + [name for name, _, _ in DERIVED]]
    for cells, written in zip(body, rows):
        values: dict[str, float | int] = {}
        extra = []
        for name, of, how in DERIVED:
            if how == "num":
                i = at[of]
                values[name] = float(cells[i].replace(",", "")) if floats[i] else int(cells[i].replace(",", ""))
            elif how == "won":
                values[name] = values[of] * 1000
            elif how == "eok":
                values[name] = values[of] / 1e8
            else:  # won_eok: the 원 figure computed in line, then to 억원
                values[name] = values[of] * 1000 / 1e8
            extra.append(_float_text(values[name]) if isinstance(values[name], float) else str(values[name]))
        out.append(written + extra)
    return out


def twin_text(records: Sequence[Record]) -> str:
    """:func:`pandas_twin` as the file pandas writes (LF line ends, minimal quoting)."""
    return "".join(csv_line(row) + "\n" for row in pandas_twin(records))


def _plain(cell: str) -> bool:
    if not cell:
        return True
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _float_text(value: str | float) -> str:
    return repr(float(value))


def faults(draw: Draw, b: Book) -> list[Fault]:
    """One-fault copies of ``b`` (each fault on a row no later version restates), with their answer keys:

    - ``previous``: a revised formula group's 기정액 (with its 비교증감 and a source's 기정 and 증감, so
      the row is consistent in itself) off its base's 예산액: VER001 and VER002 on that row;
    - ``completed``: a partial 추경 group's 예산액 (with its 비교증감 and a source's 경정 and 증감) off
      its listed plus unchanged items: SUM001 or SUM006, and SUM007, on the group's row;
    - ``derived``: in the pandas twin, one row's 예산액_억원 off by ten times: DER001 on its line.
    """
    out = []
    records = list(b.records)
    delta = draw.integer(1, 50) * draw.choice((1, -1))
    if b.final.get("leaf"):
        n = draw.choice(b.final["leaf"])
        r = records[n]
        funding = [list(t) for t in r.funding]
        s = max(range(len(SOURCES)), key=lambda k: abs(funding[k][0]) + abs(funding[k][1]))
        funding[s][1] += delta
        funding[s][2] -= delta
        broken = attrs.evolve(r, previous=r.previous + delta, change=r.change - delta,
                              funding=tuple(tuple(t) for t in funding))
        out.append(Fault(book_text(records[:n] + [broken] + records[n + 1:]), "previous",
                         {n + 3: frozenset({"VER001", "VER002"})}))
    if b.final.get("partial"):
        n = draw.choice(b.final["partial"])
        r = records[n]
        funding = [list(t) for t in r.funding]
        s = max(range(len(SOURCES)), key=lambda k: abs(funding[k][0]))
        funding[s][0] += delta
        funding[s][2] += delta
        broken = attrs.evolve(r, amount=r.amount + delta, change=r.change + delta,
                              funding=tuple(tuple(t) for t in funding))
        out.append(Fault(book_text(records[:n] + [broken] + records[n + 1:]), "completed",
                         {n + 3: frozenset({"SUM007"})}, {n + 3: frozenset({"SUM001", "SUM006"})}))
    rows = pandas_twin(records)
    n = draw.integer(1, len(rows) - 1)
    column = rows[0].index("예산액_억원")
    rows[n][column] = repr(float(rows[n][column]) * 10) if float(rows[n][column]) else "0.5"
    out.append(Fault("".join(csv_line(row) + "\n" for row in rows), "derived", {n + 1: frozenset({"DER001"})}))
    return out

