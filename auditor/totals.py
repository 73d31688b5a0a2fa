"""Totals of an e호조 export per 세부사업 and per 부서, and whether they reconcile, for analysts' views.

Totals are kept apart per 회계연도 and per 예산구분 (version): a 합본 book restates a changed item in
every version that changes it, so one sum across versions would count it several times, and rows of
two years are two budgets. The figure of the latest version, which a reader of a 합본 book wants, is
Σ 비교증감 over every version (a 본예산 row's 비교증감 is its 예산액; a 추경 row's is what it adds to its
base): :func:`latest`.

Every sum is over the parent (Ο) rows, in 원: 예산액, 기정액, 비교증감, and the funding sources'
경정 and 기정. They reconcile when Σ 예산액 equals Σ of the ο rows under each Ο row (or of the Ο row
itself when it is a formula row; a 추경 group that lists only the ο rows it changes adds the rows it
leaves out, ``unchanged``), and equals Σ 재원 경정 (over the rows with funding columns, with the
unchanged rows' too, since the group's funding cells cover only the rows it lists); when Σ 비교증감 = Σ 예산액 − Σ 기정액; when
Σ 재원 기정 = Σ 기정액; and when every one of these values could be read. Each identity also
holds row by row (SUM001/SUM006, FUND003, RATE005, FUND005, PARSE), so a total that does not
reconcile always has a finding on one of its rows: ``first_line`` is where its rows start.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from auditor.model import BasisGroup, Sheet
from auditor.source import MONEY_UNITS, Amount, draft
from auditor.plain import Field, Frozen, fields, frozen

__all__ = ["Totals", "ProjectTotals", "Latest", "project_totals", "merge_projects", "by_department", "latest",
           "version_order", "CAUSES", "CHECKS"]

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


_set = object.__setattr__


class Totals(Frozen):
    """Sums over Ο rows, in 원, and how many values could not be read (left out of the sums)."""

    __slots__ = ("rows", "budget", "detail", "funding", "previous", "funding_previous", "change", "unread", "funded_budget", "funded_previous", "__weakref__")
    rows: int
    budget: int
    detail: int
    funding: int
    previous: int
    funding_previous: int
    change: int
    unread: int
    #: Σ 예산액 and Σ 기정액 of the Ο rows that have funding columns (the funding sums' counterparts).
    funded_budget: int
    funded_previous: int

    def __init__(
        self, rows: int = 0,
        budget: int = 0,
        detail: int = 0,
        funding: int = 0,
        previous: int = 0,
        funding_previous: int = 0,
        change: int = 0,
        unread: int = 0,
        funded_budget: int = 0,
        funded_previous: int = 0,
    ) -> None:
        _set(self, "rows", rows)
        _set(self, "budget", budget)
        _set(self, "detail", detail)
        _set(self, "funding", funding)
        _set(self, "previous", previous)
        _set(self, "funding_previous", funding_previous)
        _set(self, "change", change)
        _set(self, "unread", unread)
        _set(self, "funded_budget", funded_budget)
        _set(self, "funded_previous", funded_previous)

    def __add__(self, other: Totals) -> Totals:
        return new_totals(*[getattr(self, f) + getattr(other, f) for f in _NAMES])

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


frozen(Totals, Field("rows", default=0), Field("budget", default=0), Field("detail", default=0),
       Field("funding", default=0), Field("previous", default=0), Field("funding_previous", default=0),
       Field("change", default=0), Field("unread", default=0), Field("funded_budget", default=0),
       Field("funded_previous", default=0))


class ProjectTotals(Frozen):
    """One 세부사업 of one 부서 in one 회계연도 and one 예산구분: its totals and its first row's line.

    ``kinds`` is ``(version,)`` (kept for the JSON's ``budget_kinds``); ``version`` is ``""`` for rows
    without a 예산구분 column.
    """

    __slots__ = ("department", "project", "totals", "kinds", "first_line", "year", "version", "__weakref__")
    department: str
    project: str
    totals: Totals
    kinds: tuple[str, ...]
    first_line: int
    year: str
    version: str

    def __init__(
        self, department: str,
        project: str,
        totals: Totals,
        kinds: tuple[str, ...] = (),
        first_line: int = 0,
        year: str = "",
        version: str = "",
    ) -> None:
        _set(self, "department", department)
        _set(self, "project", project)
        _set(self, "totals", totals)
        _set(self, "kinds", kinds)
        _set(self, "first_line", first_line)
        _set(self, "year", year)
        _set(self, "version", version)

    @property
    def key(self) -> tuple[str, str, str, str]:
        return self.year, self.department, self.project, self.version


frozen(ProjectTotals, Field("department"), Field("project"), Field("totals"), Field("kinds", default=()),
       Field("first_line", default=0), Field("year", default=""), Field("version", default=""))

# The constructors the run calls for every 세부사업 read and merged (a 4-year book of 1,000 sheets makes
# about 3,200 Totals): a draft filled and made the class (auditor.source.draft), as the readers make their
# values, where the written-out __init__ sets each slot through object.__setattr__ (about 700 more
# instructions a field). Every field is given; tests/test_plain.py holds each to its class's __init__.
_new = object.__new__
_TotalsDraft, _ProjectTotalsDraft = draft(Totals), draft(ProjectTotals)


def new_totals(rows: int, budget: int, detail: int, funding: int, previous: int, funding_previous: int, change: int,
               unread: int, funded_budget: int, funded_previous: int) -> Totals:
    """``Totals(...)`` made the fast way."""
    self = _new(_TotalsDraft)
    self.rows = rows
    self.budget = budget
    self.detail = detail
    self.funding = funding
    self.previous = previous
    self.funding_previous = funding_previous
    self.change = change
    self.unread = unread
    self.funded_budget = funded_budget
    self.funded_previous = funded_previous
    self.__class__ = Totals
    return self


def new_project_totals(department: str, project: str, totals: Totals, kinds: tuple[str, ...], first_line: int,
                       year: str, version: str) -> ProjectTotals:
    """``ProjectTotals(...)`` made the fast way."""
    self = _new(_ProjectTotalsDraft)
    self.department = department
    self.project = project
    self.totals = totals
    self.kinds = kinds
    self.first_line = first_line
    self.year = year
    self.version = version
    self.__class__ = ProjectTotals
    return self


class Latest(Frozen):
    """A 부서's budget in one 회계연도 as of its latest version: Σ 비교증감 over its versions (in 원)."""

    __slots__ = ("year", "department", "versions", "budget", "original", "__weakref__")
    year: str
    department: str
    versions: tuple[str, ...]
    budget: int
    original: int

    def __init__(self, year: str, department: str, versions: tuple[str, ...], budget: int, original: int) -> None:
        _set(self, "year", year)
        _set(self, "department", department)
        _set(self, "versions", versions)
        _set(self, "budget", budget)
        _set(self, "original", original)


frozen(Latest, Field("year"), Field("department"), Field("versions"), Field("budget"), Field("original"))


_NAMES = tuple(f.name for f in fields(Totals))
_FIELDS = len(_NAMES)


def _won(amount: Amount | None) -> int | None:
    """The amount in whole 원, else None: its ``exact`` (``won`` for a money unit, set by the readers)."""
    if amount is None or amount.unit not in MONEY_UNITS:
        return None
    won = amount.exact
    return won if type(won) is int else None


def _add_group(sums: list[int], group: BasisGroup) -> None:
    """Add one Ο row (and its ο rows) to ``sums``, in the order of :class:`Totals`' fields.

    A 추경 group's ``unchanged`` ο rows (its base's rows it does not list) count in its detail and, since
    its funding cells cover only the rows it lists, in its funding: their 경정 is also their 기정."""
    budget, previous, change = _won(group.amount), _won(group.previous), _won(group.change)
    detail = [_won(i.amount) for i in (*group.items, *group.unchanged)] if group.items else [budget]
    kept = [_won(s.current) for i in group.unchanged for s in i.funding] if group.items else []
    current = [_won(s.current) for s in group.funding] + kept
    before = [_won(s.previous) for s in group.funding] + kept
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


def version_order(label: str) -> tuple:
    """Where a 예산구분 label sorts: 본예산, 추경1회 … 간주1차 …, then unknown labels by name."""
    from auditor.readers.eho_versions import version_of

    if not label:  # an export without a 예산구분 column: its one budget
        return (0, 0), ""
    version = version_of(label)
    return version.rank, "" if version.known else label


def project_totals(sheet: Sheet) -> Iterator[ProjectTotals]:
    """The totals of each (회계연도, 부서, 세부사업, 예산구분) of an e호조 Sheet, in order of first
    appearance; none for sheet text."""
    year = str(sheet.budget_year) if sheet.budget_year is not None else ""
    found: dict[tuple[str, str, str], list] = {}
    for category in sheet.basis.categories:
        if category.project is None and category.department is None:
            continue
        department, project = str(category.department or ""), str(category.project or "")
        for group in category.groups:
            version = group.budget_kind.value if group.budget_kind is not None else ""
            entry = found.setdefault((department, project, version), [[0] * _FIELDS, 0])
            _add_group(entry[0], group)
            line = group.source.line if group.source else 0
            entry[1] = min(entry[1], line) if entry[1] else line
    for (department, project, version), (sums, line) in found.items():
        yield new_project_totals(department, project, new_totals(*sums), (version,) if version else (), line, year,
                                 version)


def merge_projects(items: Iterable[ProjectTotals]) -> list[ProjectTotals]:
    """One entry per (회계연도, 부서, 세부사업, 예산구분), summed over the runs it was read in, ordered by
    year, then 부서 and 세부사업 in order of first appearance, then version."""
    merged: dict[tuple, ProjectTotals] = {}
    for p in items:
        old = merged.get(p.key)
        merged[p.key] = p if old is None else new_project_totals(
            old.department, old.project, old.totals + p.totals, old.kinds, old.first_line, old.year, old.version)
    first = {}
    for p in merged.values():
        first.setdefault((p.department, p.project), len(first))
    return sorted(merged.values(), key=lambda p: (p.year, first[(p.department, p.project)], version_order(p.version)))


def by_department(projects: Iterable[ProjectTotals]) -> list[tuple[str, str, str, int, Totals]]:
    """``(회계연도, 부서, 예산구분, number of 세부사업, totals)`` per 부서 and version of each year: never
    one sum across years or versions."""
    out: dict[tuple[str, str, str], list] = {}
    first: dict[tuple[str, str], int] = {}
    for p in projects:
        first.setdefault((p.year, p.department), len(first))
        entry = out.setdefault((p.year, p.department, p.version), [0, Totals()])
        entry[0] += 1
        entry[1] = entry[1] + p.totals
    rows = [(year, name, version, count, totals) for (year, name, version), (count, totals) in out.items()]
    return sorted(rows, key=lambda r: (r[0], first[(r[0], r[1])], version_order(r[2])))


def latest(projects: Iterable[ProjectTotals]) -> list[Latest]:
    """Each 부서's budget per 회계연도 as of its latest version: its 본예산 plus every 추경's 비교증감.

    A 추경 row's 비교증감 is what it adds to the row it restates (and all of a new row's amount), so the
    sum over versions is the latest budget whichever rows each 추경 lists.
    """
    out: dict[tuple[str, str], list] = {}
    for p in projects:
        entry = out.setdefault((p.year, p.department), [{}, 0, 0])
        entry[0][p.version] = None
        entry[1] += p.totals.change
        if version_order(p.version)[0] == (0, 0):
            entry[2] += p.totals.budget
    return [Latest(year, department, tuple(sorted(versions, key=version_order)), budget, original)
            for (year, department), (versions, budget, original) in out.items()]
