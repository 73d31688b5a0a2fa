"""Generate multi-year books: the same projects' sheets over successive years, with matching e호조 exports.

    python -m auditor.testing.years DIR [--projects 5] [--years 3] [--first-year 2023] [--seed 0] [--inject]

A book is consistent by construction across documents, not only within each: every project keeps
one ledger. Year N's A of a 통계목 is year N−1's B (a 통계목 added in a year starts with A = 0; one
dropped keeps a row with B = 0 for a year, then goes), every 결산 row any sheet shows comes from the
project's one settlement ledger (and its carry-over chain), and each year's e호조 export holds the
same ○/Ο groups and -/ο items, with the same names and amounts, under the same 통계목 (with its code).
Some projects also have a 추경 export of their own for a year, whose rows restate the 본예산 ones.
Some projects are renamed in a year, or move to a reorganised 부서: the book's ``identity`` table
(written as ``auditor.toml``) maps the old names to the new, as a city's configuration would.

With ``inject``, each project gets one cross-document fault (a kind of :data:`KINDS`), every
document staying consistent in itself; ``answer-key.jsonl`` says for each which rule must fire on
which ``path:line`` (any of them), and what else the change breaks (``also``).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import attrs

from auditor.testing import words as W
from auditor.testing.eho import CATEGORIES, HEADER, SOURCES, SUB_HEADER, Record, csv_line
from auditor.testing.formulas import FormulaStyle, render as render_formula
from auditor.testing.plan import (Activity, Basis, Category, Plan, SettlementRow, Step, _funding, _groups, split)
from auditor.testing.render import render

__all__ = ["KINDS", "BookFault", "Book", "generate_book", "write_book", "ANSWER_KEY", "IDENTITY_FILE"]

ANSWER_KEY = "answer-key.jsonl"
IDENTITY_FILE = "auditor.toml"
#: The cross-document faults, by kind: the rule that must fire.
KINDS = {
    "prior-category": "XDOC001",
    "dropped-category": "XDOC002",
    "renamed-category": "XDOC004",
    "settlement-year": "XDOC006",
    "carry-over": "XDOC007",
    "eho-amount": "XDOC008",
    "eho-label": "XDOC012",
    "version-across-files": "XDOC016",
}
_NAMES = {c[3]: c for c in CATEGORIES}  # 통계목명 → (편성목, 편성목명, 통계목 code, 통계목명)
_OWN = SOURCES.index("자체재원")


@dataclass(frozen=True)
class BookFault:
    """One injected fault: the rule that must fire, on one of ``lines`` (``path:line``), and what else fires."""

    project: int
    kind: str
    rule: str
    lines: tuple[str, ...]
    also: tuple[str, ...]
    description: str

    def to_json(self) -> dict:
        return {"project": self.project, "kind": self.kind, "rule": self.rule, "lines": list(self.lines),
                "also": list(self.also), "description": self.description}


@dataclass
class Book:
    """A generated book: its files (relative path → bytes), the identity table it needs, and its faults."""

    files: dict[str, bytes]
    identity: dict[str, dict[str, str]]
    faults: list[BookFault]
    years: tuple[int, ...]

    def identity_toml(self) -> str:
        """The ``[identity]`` table of an ``auditor.toml`` that matches the book's renamed projects."""
        out = ["# The renamed projects and the reorganised 부서 of this generated book (docs/configuration.md).",
               "[identity]"]
        for table in ("projects", "departments"):
            pairs = self.identity.get(table, {})
            if pairs:
                out.append(f"{table} = {{ " + ", ".join(f'"{a}" = "{b}"' for a, b in pairs.items()) + " }")
        return "\n".join(out) + "\n"


@dataclass
class _Project:
    """One project's ledger over the book's years."""

    number: int
    titles: dict[int, str]
    departments: dict[int, tuple[str, str]]
    #: Per year, the 통계목 with a budget (B > 0), and those that end that year (A > 0, B = 0).
    categories: dict[int, list[Category]] = field(default_factory=dict)
    ended: dict[int, list[tuple[str, int]]] = field(default_factory=dict)
    settlement: dict[int, SettlementRow] = field(default_factory=dict)
    #: The settlement years each year's sheet shows.
    windows: dict[int, list[int]] = field(default_factory=dict)
    #: Per year with a 추경 export: (통계목 name, group index, new amount) of each restated group.
    supplementary: dict[int, list[tuple[str, int, int]]] = field(default_factory=dict)
    style: FormulaStyle | None = None


def _style(rng: random.Random) -> FormulaStyle:
    return FormulaStyle(rng, True)


def _title(rng: random.Random, used: set[str], number: int) -> str:
    for _ in range(20):
        title = W.title(rng)
        if title not in used:
            used.add(title)
            return title
    title = f"{W.title(rng)} {number}"
    used.add(title)
    return title


def _draw_groups(rng: random.Random, plan: Plan, name: str) -> list[Basis]:
    groups = _groups(rng, plan, name, rng.choice((0, 1, 1, 2)))
    first = groups[0]
    if first.formula is None and not first.items:  # a sheet has a formula
        from auditor.testing.plan import _leaf

        groups[0] = _leaf(rng, plan, first.label, lump=0)
    return groups


def _probe(rng: random.Random, year: int) -> Plan:
    """A plan only for drawing groups: its style and rounding convention (e호조 rounds up to 천원)."""
    return Plan(year=year, title="", convention="ceil", rate_rule="trunc", rate_places=0, categories=[], ended=[],
                funding=[], schedule=None, settlement=[], activities=[], style=FormulaStyle(rng, True), utf8=True)


def _ledger(rng: random.Random, number: int, years: list[int], used: set[str], renames: dict) -> _Project:
    first, last = years[0], years[-1]
    title = _title(rng, used, number)
    division, department = W.division(rng)
    department = f"{department[:-1]}{number}과" if rng.random() < 0.5 else department
    project = _Project(number, {y: title for y in years}, {y: (division, department) for y in years})
    if len(years) > 1 and rng.random() < 0.25:  # renamed from a year on, through the configuration's mapping
        at = rng.choice(years[1:])
        new = _title(rng, used, number)
        for y in years:
            if y >= at:
                project.titles[y] = new
        renames.setdefault("projects", {})[title] = new
    elif len(years) > 1 and rng.random() < 0.15:  # a 부서 of its own, reorganised (the mapping renames it for all)
        at = rng.choice(years[1:])
        old, new = f"{department[:-1]}{number}과", f"{department[:-1]}정책{number}과"
        for y in years:
            project.departments[y] = (division, new if y >= at else old)
        renames.setdefault("departments", {})[old] = new
    probe = _probe(rng, first)
    names = list(_NAMES)
    active = rng.sample(names, rng.randint(1, 4))
    previous: dict[str, int] = {n: rng.choice((0, rng.randint(1, 900) * 100)) for n in active}
    for y in years:
        if y > first:
            carried = [c.name for c in project.categories[y - 1]]
            ending = [n for n in carried if len(carried) > 1 and rng.random() < 0.15][:1]
            project.ended[y] = [(n, previous[n]) for n in ending]
            active = [n for n in carried if n not in ending]
            if rng.random() < 0.35:
                spare = [n for n in names if n not in carried]
                if spare:
                    new = rng.choice(spare)
                    active.append(new)
                    previous[new] = 0
        else:
            project.ended[y] = []
        probe.year = y
        project.categories[y] = [Category(n, _draw_groups(rng, probe, n), previous.get(n, 0)) for n in active]
        for c in project.categories[y]:
            previous[c.name] = c.current
    _settle(rng, project, years)
    project.style = probe.style
    if rng.random() < 0.5:  # a 추경 export for one year: some formula groups restated
        y = rng.choice(years[:-1] or years)
        restated = []
        for c in project.categories[y]:
            for gi, g in enumerate(c.groups):
                if not g.items and rng.random() < 0.5:
                    restated.append((c.name, gi, max(1, g.amount + rng.randint(-g.amount // 2, g.amount // 2 + 1))))
        if restated:
            project.supplementary[y] = restated
    return project


def _settle(rng: random.Random, project: _Project, years: list[int]) -> None:
    """The settlement ledger from four years before the book, and the years each sheet shows."""
    carried = 0
    for y in range(years[0] - 4, years[-1] - 1):
        if y in project.categories:
            total = sum(c.current for c in project.categories[y])
            final = total + sum(new - g.amount for n, gi, new in project.supplementary.get(y, ())
                                for c in project.categories[y] if c.name == n for g in c.groups[gi:gi + 1])
        else:
            final = rng.randint(20, 2000) * 100
        final = max(final, 100)
        adjustment = rng.choice((0, 0, 0, rng.randint(1, max(1, final // 10))))
        available = final + carried + adjustment
        spent = rng.randint(-(-available * 4 // 5), available)
        over = rng.choice((0, 0, rng.randint(0, available - spent)))
        project.settlement[y] = SettlementRow(y, final, carried, adjustment, spent, over)
        carried = over
    for y in years:
        shown = rng.choice((1, 2, 3, 3, 3))
        project.windows[y] = [s for s in range(y - 1 - shown, y - 1) if s in project.settlement]


def _plan(rng: random.Random, project: _Project, year: int) -> Plan:
    categories = [Category(c.name, list(c.groups), c.previous) for c in project.categories[year]]
    plan = Plan(
        year=year, title=project.titles[year], convention="ceil", rate_rule=rng.choice(("trunc", "round")),
        rate_places=0, categories=categories, ended=list(project.ended[year]), funding=[], schedule=None,
        settlement=[replace(project.settlement[y]) for y in project.windows[year]], activities=[],
        style=project.style or _style(rng), utf8=True, department=project.departments[year], account="일반회계",
        named=True)
    total = plan.total_b
    plan.funding = _funding(rng, total)
    steps = split(rng, total, rng.randint(1, 4))
    plan.schedule = [Step(W.step_name(rng), W.period(rng), amount, W.sentence(rng)) for amount in steps]
    amounts = [g.amount for c in plan.categories for g in c.groups]
    plan.activities = [Activity(W.sentence(rng), W.details(rng), rng.choice(amounts) if rng.random() < 0.5 else None)]
    return plan


# --- e호조 rows ---------------------------------------------------------------------------------------

def _formula(group: Basis, style: FormulaStyle | None) -> str:
    if group.formula is None:
        return f"{group.amount * 1000:,}원"
    return render_formula(group.formula, bool(style and style.spaced))[0]


def _record(year: int, kind: str, title: str, department: str, name: str, label: str, formula: str, amount: int,
            previous: int = 0, previous_own: int | None = None) -> Record:
    funding = [(0, 0, 0)] * len(SOURCES)
    before = previous if previous_own is None else previous_own
    funding[_OWN] = (amount, before, amount - before)
    return Record(year=year, kind=kind, project=title, department=department, grant=False, category=_NAMES[name],
                  label=label, formula=formula, amount=amount, previous=previous, change=amount - previous,
                  funding=tuple(funding))


def _eho_rows(project: _Project, year: int, categories: list[Category], style) -> list[Record]:
    title, (_, department) = project.titles[year], project.departments[year]
    rows = []
    for c in categories:
        for g in c.groups:
            formula = "" if g.items else _formula(g, style)
            rows.append(_record(year, "본예산", title, department, c.name, "Ο" + g.label, formula, g.amount))
            rows += [_record(year, "본예산", title, department, c.name, "  ο" + i.label, _formula(i, style), i.amount)
                     for i in g.items]
    return rows


def _supplementary_rows(project: _Project, year: int, categories: list[Category]) -> list[Record]:
    title, (_, department) = project.titles[year], project.departments[year]
    rows = []
    by_name = {c.name: c for c in categories}
    for name, gi, new in project.supplementary[year]:
        group = by_name[name].groups[gi]
        rows.append(_record(year, "추경1회", title, department, name, "Ο" + group.label, f"경정 {new * 1000:,}원", new,
                            group.amount))
    return rows


# --- the book ---------------------------------------------------------------------------------------

def _sheet_path(project: _Project, year: int) -> str:
    return f"{year}/{project.number:04d}.txt"


def generate_book(seed: int | str = 0, *, projects: int = 5, years: int = 3, first_year: int = 2023,
                  inject: bool | list[str | None] = False, strict: bool = False) -> Book:
    """A consistent multi-year book (see the module docstring); with ``inject`` one fault per project
    (``True``: kinds in turn; a list: those kinds in turn, ``None`` for none), where the project offers
    a place for it, else (unless ``strict``) one of another kind."""
    if years < 2:
        raise ValueError("a multi-year book needs two years or more")
    rng = random.Random(f"years/{seed}")
    span = list(range(first_year, first_year + years))
    used: set[str] = set()
    renames: dict[str, dict[str, str]] = {}
    ledgers = [_ledger(random.Random(rng.getrandbits(64)), n + 1, span, used, renames) for n in range(projects)]
    kinds = list(KINDS) if inject is True else list(inject or [])
    faults: list[BookFault] = []
    sheets: dict[str, tuple[Plan, random.Random]] = {}
    exports: dict[int, list[Record]] = {y: [] for y in span}
    extra: dict[str, list[Record]] = {}
    plans = {(p.number, y): _plan(random.Random(rng.getrandbits(64)), p, y) for p in ledgers for y in span}
    eho_categories = {(p.number, y): [Category(c.name, list(c.groups), c.previous) for c in p.categories[y]]
                      for p in ledgers for y in span}
    pending = []
    for n, project in enumerate(ledgers):
        if kinds:
            kind = kinds[n % len(kinds)]
            frng = random.Random(rng.getrandbits(64))
            if kind is not None:  # None: this project stays consistent
                pending.append((project, kind, frng))
    edits: list = []
    for project, kind, frng in pending:
        edit = _FAULTS[kind](frng, project, span, plans, eho_categories)
        if edit is None and not strict:  # no place for it in this project: try the others in turn
            for other in KINDS:
                edit = _FAULTS[other](frng, project, span, plans, eho_categories)
                if edit is not None:
                    kind = other
                    break
        if edit is not None:
            edits.append((project, kind, edit))
    docs = {}
    for project in ledgers:
        for y in span:
            plan = plans[(project.number, y)]
            doc = render(plan, random.Random(f"{seed}/{project.number}/{y}"))
            docs[(project.number, y)] = doc
            sheets[_sheet_path(project, y)] = ("\n".join(doc.lines) + "\n").encode("utf-8")
            exports[y] += _eho_rows(project, y, eho_categories[(project.number, y)], project.style)
            if y in project.supplementary:
                extra[f"{y}/추경1회_{project.number:04d}.csv"] = _supplementary_rows(
                    project, y, eho_categories[(project.number, y)])
    export_files = {f"{y}/e호조_{y}.csv": rows for y, rows in exports.items()}
    export_files.update(extra)
    for project, kind, edit in edits:
        faults.append(edit(docs, export_files, kind))
    files = dict(sheets)
    for path, rows in export_files.items():
        files[path] = "".join(line + "\n" for line in (HEADER, SUB_HEADER, *(csv_line(r.cells()) for r in rows))
                              ).encode("utf-8")
    return Book(files, renames, faults, tuple(span))


def _row_line(rows: list[Record], record: Record) -> int:
    return 3 + next(i for i, r in enumerate(rows) if r is record)


# --- faults: each changes plans or e호조 rows before they are written, and says where it shows -----------

def _continuing(project: _Project, y: int) -> list[int]:
    """Indexes of year y's 통계목 that year y−1 had too."""
    before = {c.name for c in project.categories.get(y - 1, ())}
    return [i for i, c in enumerate(project.categories[y]) if c.name in before and c.previous > 0]


def _prior_category(rng, project, span, plans, eho):
    choices = [(y, i) for y in span[1:] for i in _continuing(project, y)]
    if not choices:
        return None
    y, i = rng.choice(choices)
    plan = plans[(project.number, y)]
    delta = rng.randint(1, 50) * 10 * rng.choice((1, -1))
    if plan.categories[i].previous + delta <= 0:
        delta = abs(delta)
    plan.categories[i].previous += delta
    name = plan.categories[i].name

    def where(docs, files, kind):
        doc = docs[(project.number, y)]
        path = _sheet_path(project, y)
        return BookFault(project.number, kind, KINDS[kind], (f"{path}:{doc.marks[f'summary.c{i}']}",),
                         ("XDOC002",), f"{path}: {name}'s A is {delta:+,} off {y - 1}'s B")
    return where


def _dropped_category(rng, project, span, plans, eho):
    choices = [(y, j) for y in span[1:] for j, _ in enumerate(plans[(project.number, y)].ended)]
    if not choices:
        return None
    y, j = rng.choice(choices)
    plan = plans[(project.number, y)]
    name, _ = plan.ended.pop(j)

    def where(docs, files, kind):
        path = _sheet_path(project, y)
        line = docs[(project.number, y)].marks['summary.total']
        return BookFault(project.number, kind, KINDS[kind], (f"{path}:{line}",),
                         ("XDOC005",), f"{path}: {name}, ended this year, has no row: the 계's A is short")
    return where


def _renamed_category(rng, project, span, plans, eho):
    choices = [(y, i) for y in span[1:] for i in _continuing(project, y)]
    used = {c.name for yy in span for c in project.categories[yy]} | {n for yy in span for n, _ in project.ended[yy]}
    spare = [n for n in _NAMES if n not in used]
    if not choices or not spare:
        return None
    y, i = rng.choice(choices)
    old, new = project.categories[y][i].name, rng.choice(spare)
    for yy in span:  # the 통계목 is called so from year y on, in the sheets and in the exports
        if yy < y:
            continue
        for c in (*plans[(project.number, yy)].categories, *eho[(project.number, yy)]):
            if c.name == old:
                c.name = new
        plan = plans[(project.number, yy)]
        plan.ended = [(new if n == old else n, a) for n, a in plan.ended]
        if yy in project.supplementary:
            project.supplementary[yy] = [(new if n == old else n, gi, a) for n, gi, a in project.supplementary[yy]]

    def where(docs, files, kind):
        path = _sheet_path(project, y)
        line = docs[(project.number, y)].marks[f'summary.c{i}']
        return BookFault(project.number, kind, KINDS[kind], (f"{path}:{line}",),
                         ("XDOC005",), f"{path}: {y - 1}'s {old} is {new} from {y} on, its A carried over")
    return where


def _shown_in(project: _Project, year: int) -> list[int]:
    return [y for y, window in project.windows.items() if year in window]


def _settlement_year(rng, project, span, plans, eho):
    choices = [(max(_shown_in(project, s)), s) for s in project.settlement if len(_shown_in(project, s)) > 1]
    if not choices:
        return None
    y, s = rng.choice(sorted(choices))
    plan = plans[(project.number, y)]
    k = project.windows[y].index(s)
    row = plan.settlement[k]
    delta = rng.randint(1, max(1, row.unspent)) if row.unspent > 0 else -rng.randint(1, max(1, row.spent))
    row.spent += delta

    def where(docs, files, kind):
        path = _sheet_path(project, y)
        line = docs[(project.number, y)].marks[f'settlement.{k}']
        return BookFault(project.number, kind, KINDS[kind], (f"{path}:{line}",),
                         (), f"{path}: {s}'s 집행액 is {delta:+,} off the earlier sheets' (집행잔액 follows)")
    return where


def _carry_over(rng, project, span, plans, eho):
    choices = []
    for y in span:
        window = project.windows[y]
        if window and any(window[0] - 1 in project.windows[o] for o in span if o != y):
            choices.append(y)
    if not choices:
        return None
    y = rng.choice(choices)
    plan = plans[(project.number, y)]
    row = plan.settlement[0]
    row.carried_in += rng.randint(1, 90) * 10
    s = row.year
    also = ("XDOC006",) if len(_shown_in(project, s)) > 1 else ()

    def where(docs, files, kind):
        path = _sheet_path(project, y)
        line = docs[(project.number, y)].marks['settlement.0']
        return BookFault(project.number, kind, KINDS[kind], (f"{path}:{line}",),
                         also, f"{path}: {s}'s 전년이월 is not {s - 1}'s 차년이월 in the other sheets")
    return where


def _leaf_groups(project: _Project, y: int, eho) -> list[tuple[int, int]]:
    restated = {(n, gi) for n, gi, _ in project.supplementary.get(y, ())}
    return [(i, gi) for i, c in enumerate(eho[(project.number, y)]) for gi, g in enumerate(c.groups)
            if not g.items and (c.name, gi) not in restated]


def _eho_amount(rng, project, span, plans, eho):
    choices = [(y, i, gi) for y in span for i, gi in _leaf_groups(project, y, eho)]
    if not choices:
        return None
    y, i, gi = rng.choice(choices)
    category = eho[(project.number, y)][i]
    group = category.groups[gi]
    delta = rng.randint(1, 40) * 10
    category.groups[gi] = Basis(group.label, None, group.amount + delta)

    def where(docs, files, kind):
        doc = docs[(project.number, y)]
        path = _sheet_path(project, y)
        return BookFault(project.number, kind, KINDS[kind], (f"{path}:{doc.marks[f'summary.c{i}']}",), ("XDOC010",),
                         f"{y}'s e호조 export gives {category.name}'s {group.label} {delta:+,} more than the sheet")
    return where


def _eho_label(rng, project, span, plans, eho):
    choices = [(y, i, gi) for y in span for i, c in enumerate(eho[(project.number, y)]) for gi, _ in enumerate(c.groups)
               if (c.name, gi) not in {(n, g) for n, g, _ in project.supplementary.get(y, ())}]
    if not choices:
        return None
    y, i, gi = rng.choice(choices)
    category = eho[(project.number, y)][i]
    group = category.groups[gi]
    others = {g.label for g in category.groups}
    label = next(f"{group.label} {w}" for w in ("사업비", "경비", "운영비", "추진") if f"{group.label} {w}" not in others)
    category.groups[gi] = Basis(label, group.formula, group.amount, group.items)

    def where(docs, files, kind):
        doc = docs[(project.number, y)]
        path = _sheet_path(project, y)
        return BookFault(project.number, kind, KINDS[kind], (f"{path}:{doc.marks[f'group.{i}.{gi}']}",), ("XDOC014",),
                         f"{y}'s e호조 export names ○ {group.label} '{label}'")
    return where


def _version_across_files(rng, project, span, plans, eho):
    if not project.supplementary:
        return None
    y = rng.choice(sorted(project.supplementary))
    k = rng.randrange(len(project.supplementary[y]))
    delta = rng.randint(1, 50) * 10

    def where(docs, files, kind):
        path = f"{y}/추경1회_{project.number:04d}.csv"
        rows = files[path]
        r = rows[k]
        funding = list(r.funding)
        current, before, _ = funding[_OWN]
        funding[_OWN] = (current, before + delta, current - before - delta)
        rows[k] = attrs.evolve(r, previous=r.previous + delta, change=r.change - delta, funding=tuple(funding))
        return BookFault(project.number, kind, KINDS[kind], (f"{path}:{3 + k}",), (),
                         f"{path}: {r.label}'s 기정액 is {delta:+,} off the 본예산 export's 예산액")
    return where


_FAULTS = {
    "prior-category": _prior_category,
    "dropped-category": _dropped_category,
    "renamed-category": _renamed_category,
    "settlement-year": _settlement_year,
    "carry-over": _carry_over,
    "eho-amount": _eho_amount,
    "eho-label": _eho_label,
    "version-across-files": _version_across_files,
}


def write_book(directory: str | Path, book: Book) -> Path:
    """Write ``book`` under ``directory``: its files, ``auditor.toml`` with its identity table (when it
    renames anything), and ``answer-key.jsonl`` (one line per fault) when it has faults."""
    root = Path(directory)
    for rel, data in book.files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    if book.identity:
        (root / IDENTITY_FILE).write_text(book.identity_toml(), encoding="utf-8")
    if book.faults:
        with (root / ANSWER_KEY).open("w", encoding="utf-8") as key:
            for fault in book.faults:
                key.write(json.dumps(fault.to_json(), ensure_ascii=False) + "\n")
    return root


def faults_of(directory: str | Path) -> Iterator[dict]:
    """The entries of a written book's ``answer-key.jsonl``."""
    with (Path(directory) / ANSWER_KEY).open(encoding="utf-8") as f:
        for line in f:
            yield json.loads(line)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m auditor.testing.years", description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", type=Path, help="where to write the book (created if missing)")
    parser.add_argument("--projects", type=int, default=5, help="how many projects (default 5)")
    parser.add_argument("--years", type=int, default=3, help="how many successive years (default 3)")
    parser.add_argument("--first-year", type=int, default=2023, help="the first budget year (default 2023)")
    parser.add_argument("--seed", default="0", help="the book's seed (default 0): the same seed, the same files")
    parser.add_argument("--inject", nargs="?", const="all", default=None, metavar="KINDS",
                        help="one cross-document fault per project, of these comma-separated kinds in turn "
                             f"('-' for none; default: all: {', '.join(KINDS)}), with answer-key.jsonl")
    args = parser.parse_args(argv)
    inject: bool | list[str | None] = False
    if args.inject is not None:
        inject = True if args.inject == "all" else [None if k.strip() == "-" else k.strip()
                                                      for k in args.inject.split(",") if k.strip()]
        unknown = [k for k in (inject if isinstance(inject, list) else []) if k is not None and k not in KINDS]
        if unknown:
            parser.error(f"unknown fault kinds {unknown} (known: {', '.join(KINDS)})")
    try:
        book = generate_book(args.seed, projects=args.projects, years=args.years, first_year=args.first_year,
                             inject=inject, strict=args.inject not in (None, "all"))
    except ValueError as err:
        parser.error(str(err))
    root = write_book(args.directory, book)
    print(f"wrote {len(book.files)} files ({args.projects} projects, {args.years} years) under {root}"
          + (f"; answer key {root / ANSWER_KEY}" if book.faults else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
