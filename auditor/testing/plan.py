"""What a generated sheet says, before it is written as text: every figure, drawn so that every identity holds."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from fractions import Fraction

from auditor.testing import words as W
from auditor.testing.formulas import FormulaStyle, Node, draw_formula, value

#: How a sheet turns a formula's 원 into its stated 천원 (e호조 rounds up; hand-made sheets round or truncate).
CONVENTIONS = {
    "ceil": lambda q: math.ceil(q),
    "round": lambda q: math.floor(q + Fraction(1, 2)),
    "floor": lambda q: math.floor(q),
}


def rate_value(a: int, b: int) -> Fraction:
    """The header formula's rate, (B-A)*100/A; A = 0 shows 100 (or 0) by convention."""
    if a == 0:
        return Fraction(100 if b > 0 else 0)
    return Fraction((b - a) * 100, a)


def stated_rate(rate: Fraction, rule: str, places: int) -> Fraction:
    """The rate as printed: truncated towards zero, or rounded half away from zero, to ``places``."""
    q = Fraction(10) ** places
    magnitude = abs(rate) * q
    kept = math.floor(magnitude) if rule == "trunc" else math.floor(magnitude + Fraction(1, 2))
    return Fraction(kept if rate >= 0 else -kept) / q


@dataclass
class Basis:
    """A 산출근거 ○ group or - item: label, formula (None for a lump sum), stated amount in 천원."""

    label: str
    formula: Node | None
    amount: int
    items: list["Basis"] = field(default_factory=list)


@dataclass
class Category:
    """A 통계목: its name, its ○ groups, and last year's budget A."""

    name: str
    groups: list[Basis]
    previous: int

    @property
    def current(self) -> int:
        return sum(g.amount for g in self.groups)


@dataclass
class Step:
    """A 추진일정 row; ``period`` is text with ``{Y}`` where the budget year is written."""

    name: str
    period: str
    amount: int
    detail: str


@dataclass
class SettlementRow:
    """A 결산 row, in 천원."""

    year: int
    final_budget: int
    carried_in: int
    adjustment: int
    spent: int
    carried_over: int

    @property
    def available(self) -> int:
        return self.final_budget + self.carried_in + self.adjustment

    @property
    def unspent(self) -> int:
        return self.available - self.spent - self.carried_over


@dataclass
class Activity:
    title: str
    details: list[str]
    budget: int | None


@dataclass
class Plan:
    """Every figure of one sheet; the text is rendered from it by :mod:`auditor.testing.render`."""

    year: int
    title: str
    convention: str
    rate_rule: str
    rate_places: int
    categories: list[Category]
    ended: list[tuple[str, int]]  # 통계목 with A > 0 and B = 0 (no 산출근거)
    funding: list[tuple[str, int | None]]
    schedule: list[Step] | None
    settlement: list[SettlementRow]
    activities: list[Activity]
    style: FormulaStyle
    utf8: bool
    #: (실·국, 부서명) and 회계 of a project that keeps them across years (auditor.testing.years);
    #: None draws them (and □ 사업 담당자 is left out of some sheets), as a single sheet does.
    department: tuple[str, str] | None = None
    account: str | None = None
    #: Every 산출근거 line keeps its name (no line written as its formula alone), so that another
    #: document can name it too.
    named: bool = False

    @property
    def total_b(self) -> int:
        return sum(c.current for c in self.categories)

    @property
    def total_a(self) -> int:
        return sum(c.previous for c in self.categories) + sum(a for _, a in self.ended)

    def stated(self, node: Node) -> int:
        return CONVENTIONS[self.convention](Fraction(value(node)) / 1000)


def split(rng: random.Random, total: int, parts: int) -> list[int]:
    """``total`` cut into ``parts`` positive pieces (fewer when ``total`` is too small)."""
    parts = max(1, min(parts, total))
    cuts = sorted(rng.sample(range(1, total), parts - 1)) if parts > 1 else []
    bounds = [0, *cuts, total]
    return [bounds[i + 1] - bounds[i] for i in range(parts)]


def _leaf(rng: random.Random, plan: Plan, label: str, lump: float = 0.04) -> Basis:
    # a lump sum: no formula, nothing to compute (not for a label that starts like one, ``2·3분기 점검``,
    # which CALC003 would read as a broken formula)
    if rng.random() < lump and not label[:1].isdigit():
        return Basis(label, None, rng.randint(1, 400) * 100)
    while True:
        node = draw_formula(rng, plan.style)
        amount = plan.stated(node)
        if 1 <= amount <= 2_000_000:
            return Basis(label, node, amount)


#: Per size class (small … very large): 통계목, ○ groups per 통계목, and - items per group to draw from.
SIZES = {
    0: ((1, 2), (1, 2), (0, 0, 0, 1, 2, 3)),
    1: ((2, 4), (1, 3), (0, 0, 0, 1, 2, 2, 3, 3)),
    2: ((3, 6), (1, 4), (0, 0, 0, 1, 2, 2, 3, 3, 4, 5)),
    3: ((5, 8), (2, 4), (0, 0, 1, 2, 2, 3, 3, 4, 5)),
    4: ((7, 8), (3, 6), (0, 2, 3, 4, 5, 6, 7, 8)),
}


def _groups(rng: random.Random, plan: Plan, name: str, size: int) -> list[Basis]:
    groups = []
    _, (low, high), item_counts = SIZES[size]
    for label in W.group_labels(rng, name, rng.randint(low, high)):
        n_items = rng.choice(item_counts)
        if n_items == 0:
            groups.append(_leaf(rng, plan, label))
            continue
        items = [_leaf(rng, plan, item) for item in W.item_labels(rng, n_items)]
        groups.append(Basis(label, None, sum(i.amount for i in items), items))
    return groups


def _previous(rng: random.Random, b: int) -> int:
    """Last year's A for this year's B: the same, a little more or less, at most doubling."""
    roll = rng.random()
    if roll < 0.15:
        return b
    if roll < 0.22:
        return 0  # new this year (REVIEW003, an info)
    return max(1, b * rng.randint(55, 160) // 100)


def _settlement(rng: random.Random, year: int, scale: int) -> list[SettlementRow]:
    n = rng.choice((0, 1, 2, 3, 3, 3, 3, 3, 4))
    rows: list[SettlementRow] = []
    carried = rng.choice((0, 0, 0, rng.randint(1, scale)))
    for y in range(year - 1 - n, year - 1):
        final = max(1000, scale * rng.randint(60, 140) // 100)
        adjustment = rng.choice((0, 0, 0, rng.randint(1, final // 10), -rng.randint(1, final // 10)))
        available = final + carried + adjustment
        spent = rng.randint(-(-available * 3 // 4), available)  # at least 75% spent: no REVIEW001
        over = rng.choice((0, 0, 0, rng.randint(0, available - spent)))
        rows.append(SettlementRow(y, final, carried, adjustment, spent, over))
        carried = over
    return rows


def _funding(rng: random.Random, total: int) -> list[tuple[str, int | None]]:
    labels = rng.choice((("국비", "시비", "구비", "기타"), ("국비", "도비", "군비", "기타")))
    if rng.random() < 0.08:
        return [(label, None) for label in labels]  # the split left blank
    chosen = sorted(rng.sample(range(4), rng.choice((1, 1, 2, 2, 3))))
    shares = split(rng, total, len(chosen))
    amounts: list[int | None] = [None] * 4
    for i, share in zip(chosen, shares):
        amounts[i] = share
    return list(zip(labels, amounts))


def draw_plan(rng: random.Random, *, utf8: bool) -> Plan:
    """A consistent sheet's figures: 1–8 통계목, each with ○ groups and - items, and all the tables."""
    size = rng.choices(tuple(SIZES), weights=(20, 40, 25, 10, 5))[0]
    year = rng.randint(2015, 2030)
    plan = Plan(
        year=year, title=W.title(rng), convention=rng.choice(tuple(CONVENTIONS)),
        rate_rule=rng.choice(("trunc", "round")), rate_places=1 if rng.random() < 0.1 else 0,
        categories=[], ended=[], funding=[], schedule=None, settlement=[], activities=[],
        style=FormulaStyle(rng, utf8), utf8=utf8,
    )
    n_categories = rng.randint(*SIZES[size][0])
    names = rng.sample(W.CATEGORIES, n_categories + 1)
    for name in names[:n_categories]:
        groups = _groups(rng, plan, name, size)
        plan.categories.append(Category(name, groups, 0))
    first = plan.categories[0].groups[0]
    if first.formula is None and not first.items:  # every sheet has at least one formula
        plan.categories[0].groups[0] = _leaf(rng, plan, first.label, lump=0)
    for c in plan.categories:
        c.previous = _previous(rng, c.current)
    if rng.random() < 0.12:
        plan.ended.append((names[-1], rng.randint(1, 300) * 100))
    total = plan.total_b
    plan.funding = _funding(rng, total)
    if rng.random() < 0.92:
        steps = split(rng, total, rng.randint(1, 2 + 2 * size))  # up to 10 steps
        plan.schedule = [Step(W.step_name(rng), W.period(rng), amount, W.sentence(rng)) for amount in steps]
    plan.settlement = _settlement(rng, year, max(total, 2000))
    amounts = [g.amount for c in plan.categories for g in c.groups]
    plan.activities = [
        Activity(W.sentence(rng), W.details(rng), rng.choice(amounts) if rng.random() < 0.6 else None)
        for _ in range(rng.randint(1, 4))
    ]
    return plan
