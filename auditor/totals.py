"""Totals of an e호조 export per 세부사업 and per 부서, and whether they reconcile, for analysts' views.

Every sum is over the parent (Ο) rows, in 원: 예산액, 기정액, 비교증감, and the funding sources'
경정 and 기정. They reconcile when Σ 예산액 equals Σ of the ο rows under each Ο row (or of the Ο row
itself when it is a formula row), and equals Σ 재원 경정 (over the rows with funding columns); when Σ 비교증감 = Σ 예산액 − Σ 기정액; when
Σ 재원 기정 = Σ 기정액; and when every one of these values could be read. Each identity also
holds row by row (SUM001/SUM006, FUND003, RATE005, FUND005, PARSE), so a total that does not
reconcile always has a finding on one of its rows: ``first_line`` is where its rows start.
"""

from __future__ import annotations

from typing import Iterable, Iterator

import attrs

from auditor.model import BasisGroup, Sheet
from auditor.source import Amount

__all__ = ["Totals", "ProjectTotals", "project_totals", "merge_projects", "by_department", "CAUSES", "CHECKS"]

#: The rules that check, row by row, each identity of a total: where to look when it does not reconcile.
CAUSES = {
    "detail": ("SUM001", "SUM006"), "funding": ("FUND003",), "change": ("RATE005",),
    "funding_previous": ("FUND005",), "unread": ("PARSE001", "PARSE003", "PARSE004"),
}
#: The identities a total must meet: (name, Korean, English).
CHECKS = (
    ("detail", "Σ 하위 내역", "Σ of the rows below"),
    ("funding", "Σ 재원 경정", "Σ funding 경정"),
    ("change", "비교증감 = 예산액 − 기정액", "change = amount − previous"),
    ("funding_previous", "Σ 재원 기정", "Σ funding 기정"),
)


@attrs.frozen
class Totals:
    """Sums over Ο rows, in 원, and how many values could not be read (left out of the sums)."""

    rows: int = 0
    budget: int = 0
    detail: int = 0
    funding: int = 0
    previous: int = 0
    funding_previous: int = 0
    change: int = 0
    unread: int = 0
    #: Σ 예산액 and Σ 기정액 of the Ο rows that have funding columns (the funding sums' counterparts).
    funded_budget: int = 0
    funded_previous: int = 0

    def __add__(self, other: Totals) -> Totals:
        return Totals(*(getattr(self, f) + getattr(other, f) for f in _NAMES))

    def failed(self) -> tuple[str, ...]:
        """The names (of :data:`CHECKS`) of the identities that do not hold, plus ``unread`` if any."""
        out = [name for name, ok in (
            ("detail", self.detail == self.budget),
            ("funding", self.funding == self.funded_budget),
            ("change", self.change == self.budget - self.previous),
            ("funding_previous", self.funding_previous == self.funded_previous),
        ) if not ok]
        return tuple(out + (["unread"] if self.unread else []))

    @property
    def reconciles(self) -> bool:
        return not self.failed()


@attrs.frozen
class ProjectTotals:
    """One 세부사업 of one 부서: its totals, which 예산구분 its rows belong to, and its first row's line."""

    department: str
    project: str
    totals: Totals
    kinds: tuple[str, ...] = ()
    first_line: int = 0

    @property
    def key(self) -> tuple[str, str]:
        return self.department, self.project


_NAMES = tuple(f.name for f in attrs.fields(Totals))
_FIELDS = len(_NAMES)


def _won(amount: Amount | None) -> int | None:
    if amount is None or not amount.is_money:
        return None
    won = amount.won
    return won if isinstance(won, int) else None


def _add_group(sums: list[int], group: BasisGroup) -> None:
    """Add one Ο row (and its ο rows) to ``sums``, in the order of :class:`Totals`' fields."""
    budget, previous, change = _won(group.amount), _won(group.previous), _won(group.change)
    detail = [_won(i.amount) for i in group.items] if group.items else [budget]
    current = [_won(s.current) for s in group.funding]
    before = [_won(s.previous) for s in group.funding]
    unread = 0
    for values, at in ((detail, 2), (current, 3), (before, 5)):
        for v in values:
            if v is None:
                unread += 1
            else:
                sums[at] += v
    for v, at in ((budget, 1), (previous, 4), (change, 6)):
        if v is None:
            unread += 1
        else:
            sums[at] += v
    sums[0] += 1 + len(group.items)
    sums[7] += unread - (budget is None and not group.items)  # a formula row's 예산액 is its own detail
    if group.funding:
        sums[8] += budget or 0
        sums[9] += previous or 0


def project_totals(sheet: Sheet) -> Iterator[ProjectTotals]:
    """The totals of each (부서, 세부사업) of an e호조 Sheet, in order of first appearance; none for sheet text."""
    found: dict[tuple[str, str], list] = {}
    for category in sheet.basis.categories:
        if category.project is None and category.department is None:
            continue
        key = (str(category.department or ""), str(category.project or ""))
        entry = found.setdefault(key, [[0] * _FIELDS, {}, 0])
        for group in category.groups:
            _add_group(entry[0], group)
            for node in (group, *group.items):
                if node.budget_kind is not None:
                    entry[1][node.budget_kind.value] = None
            line = group.source.line if group.source else 0
            entry[2] = min(entry[2], line) if entry[2] else line
    for (department, project), (sums, kinds, line) in found.items():
        yield ProjectTotals(department, project, Totals(*sums), tuple(kinds), line)


def merge_projects(items: Iterable[ProjectTotals]) -> list[ProjectTotals]:
    """One entry per (부서, 세부사업), summed over the runs it was read in, in order of first appearance."""
    merged: dict[tuple[str, str], ProjectTotals] = {}
    for p in items:
        old = merged.get(p.key)
        if old is None:
            merged[p.key] = p
        else:
            kinds = tuple(dict.fromkeys(old.kinds + p.kinds))
            merged[p.key] = attrs.evolve(old, totals=old.totals + p.totals, kinds=kinds)
    return list(merged.values())


def by_department(projects: Iterable[ProjectTotals]) -> list[tuple[str, int, Totals]]:
    """``(부서, number of 세부사업, totals)`` per 부서, in order of first appearance."""
    out: dict[str, list] = {}
    for p in projects:
        entry = out.setdefault(p.department, [0, Totals()])
        entry[0] += 1
        entry[1] = entry[1] + p.totals
    return [(name, count, totals) for name, (count, totals) in out.items()]
