"""Faults in 산출근거 and 예산 총괄: formulas and their amounts (CALC), sums (SUM), change and rate (RATE)."""

from __future__ import annotations

import random
from dataclasses import replace
from fractions import Fraction

from auditor.testing.change import RATES, Change, delta, make, moved, pick, signed, xref006
from auditor.testing.doc import Doc, Site
from auditor.testing.formulas import digits, operands, value, with_operand
from auditor.testing.plan import CONVENTIONS, Plan, rate_value, stated_rate
from auditor.testing.render import num


# -- CALC ----------------------------------------------------------------------------------------
def calc_operand(doc: Doc, plan: Plan, rng: random.Random) -> Change | None:
    """One number of a formula changed: the formula no longer gives its stated amount."""
    sites = doc.find("formula.operand")
    rng.shuffle(sites)
    for site in sites:
        tree, k = site.meta["formula"], site.meta["index"]
        op = operands(tree)[k]
        for step in (1, 2, 3, 5, 10, 20, 50, 100):
            v = op.value + step * (10 if op.unit == "%" else 1)
            new = replace(op, value=v, digits=digits(v, comma="," in op.digits or v >= 1000))
            if abs(value(with_operand(tree, k, new)) - site.meta["amount"] * 1000) >= 2000:
                return make(site, new.digits, "CALC001", "operand", (), (), f"산출근거 '{site.meta['label']}'의 산출식 숫자 {op.text}")
    return None


def calc_stated(doc: Doc, plan: Plan, rng: random.Random) -> Change | None:
    """A formula line's stated amount changed: CALC001, and the sum above it (SUM001 or SUM002)."""
    site = pick(rng, [s for s in doc.find("basis.amount") if s.meta["formula"] is not None])
    if site is None:
        return None
    old = site.meta["value"]
    new = moved(rng, old)
    ci, gi = site.meta["cat"], site.meta["group"]
    if site.meta["item"] is None:
        return make(site, num(new), "CALC001", "stated-group", {doc.marks[f"summary.c{ci}"]},
                       {"SUM002"} | xref006(plan, old), f"산출근거 ○ '{site.meta['label']}'의 금액")
    return make(site, num(new), "CALC001", "stated-item", {doc.marks[f"group.{ci}.{gi}"]},
                   {"SUM001"} | xref006(plan, old), f"산출근거 - '{site.meta['label']}'의 금액")


def _conventions(q: Fraction, stated: int) -> set[str]:
    """The conventions under which ``stated`` 천원 is what a formula of ``q`` 천원 shows (as CALC002 sees them)."""
    found = {name for name, fn in CONVENTIONS.items() if fn(q) == stated}
    return found | {"exact"} if q == stated else found


def calc_mixed(doc: Doc, plan: Plan, rng: random.Random) -> Change | None:
    """One - item rounded another way than the sheet's first formula line: CALC002 (a warning) only.

    The amount moves by one 천원, which the sum of a ○ group of two or more items absorbs (SUM001
    compares under rounding).
    """
    lines = sorted((s for s in doc.find("basis.amount") if s.meta["formula"] is not None), key=lambda s: s.line)
    if not lines:
        return None
    first = lines[0]
    known = _conventions(Fraction(value(first.meta["formula"])) / 1000, first.meta["value"])
    candidates = []
    for site in lines[1:]:
        if site.meta["item"] is None:  # a ○ line's amount is its 통계목's B exactly (SUM002)
            continue
        if len(plan.categories[site.meta["cat"]].groups[site.meta["group"]].items) < 2:
            continue  # one item and its group: one 천원 apart is outside their two half-units
        q = Fraction(value(site.meta["formula"])) / 1000
        for name, fn in CONVENTIONS.items():
            new = fn(q)
            if new != site.meta["value"] and new >= 1 and not _conventions(q, new) & known:
                candidates.append((site, new, name))
    if not candidates:
        return None
    site, new, name = rng.choice(candidates)
    return make(site, num(new), "CALC002", name, (), xref006(plan, site.meta["value"]),
                   f"산출근거 - '{site.meta['label']}'의 금액을 다른 방식({name})으로 맞춤")


# -- SUM -----------------------------------------------------------------------------------------
def sum_group(doc: Doc, plan: Plan, rng: random.Random) -> Change | None:
    site = pick(rng, [s for s in doc.find("basis.amount", item=None) if s.meta["items"]])
    if site is None:
        return None
    old = site.meta["value"]
    return make(site, num(moved(rng, old)), "SUM001", "group", (), {"SUM002"} | xref006(plan, old),
                   f"- 항목이 있는 ○ '{site.meta['label']}'의 금액")


def sum_lump(doc: Doc, plan: Plan, rng: random.Random) -> Change | None:
    """A ○ group with neither formula nor items: only its 통계목's B disagrees."""
    site = pick(rng, [s for s in doc.find("basis.amount", item=None)
                       if s.meta["formula"] is None and not s.meta["items"]])
    if site is None:
        return None
    old = site.meta["value"]
    return make(site, num(moved(rng, old)), "SUM002", "lump-group", {doc.marks[f"summary.c{site.meta['cat']}"]},
                   xref006(plan, old), f"산출식 없는 ○ '{site.meta['label']}'의 금액")


def _summary(doc: Doc, role: str, total: bool) -> list[Site]:
    return [s for s in doc.find(role) if (s.meta["row"] == "total") == total]


def sum_row_b(doc: Doc, plan: Plan, rng: random.Random) -> Change | None:
    site = pick(rng, [s for s in _summary(doc, "summary.B", False) if s.meta["row"].startswith("c")])
    if site is None:
        return None
    old = site.meta["B"]
    return make(site, num(moved(rng, old)), "SUM002", "summary-B", (), {"SUM003", *RATES} | xref006(plan, old),
                   f"예산 총괄 {site.meta['name']}의 B")


def sum_total_b(doc: Doc, plan: Plan, rng: random.Random) -> Change | None:
    site = _summary(doc, "summary.B", True)[0]
    return make(site, num(moved(rng, site.meta["B"])), "SUM003", "total-B", (), {*RATES, "XREF001", "XREF002"},
                   "예산 총괄 계의 B")


def sum_total_a(doc: Doc, plan: Plan, rng: random.Random) -> Change | None:
    site = _summary(doc, "summary.A", True)[0]
    return make(site, num(moved(rng, site.meta["A"])), "SUM004", "total-A", (), RATES, "예산 총괄 계의 A")


def sum_row_a(doc: Doc, plan: Plan, rng: random.Random) -> Change | None:
    site = pick(rng, [s for s in _summary(doc, "summary.A", False) if s.meta["A"] > 0])
    if site is None:
        return None
    return make(site, num(moved(rng, site.meta["A"])), "SUM004", "row-A", {doc.marks["summary.total"]}, RATES,
                   f"예산 총괄 {site.meta['name']}의 A")


def sum_schedule(doc: Doc, plan: Plan, rng: random.Random) -> Change | None:
    site = pick(rng, doc.find("schedule.amount"))
    if site is None:
        return None
    old = plan.schedule[site.meta["step"]].amount  # type: ignore[index]
    return make(site, num(moved(rng, old)), "SUM005", "schedule-row", {doc.marks["schedule.total"]},
                   xref006(plan, old), "추진일정 예산집행금액")


# -- RATE ----------------------------------------------------------------------------------------
def rate_change(doc: Doc, plan: Plan, rng: random.Random) -> Change | None:
    """증감 ≠ B − A: a lost △, a sign where there is none, or another figure."""
    site = pick(rng, doc.find("summary.change"))
    if site is None:
        return None
    v = site.meta["B"] - site.meta["A"]
    if v < 0 and rng.random() < 0.6:
        return make(site, num(v), "RATE001", "lost-minus", (), (), f"예산 총괄 {site.meta['name']}의 증감 (△ 빠짐)")
    if v > 0 and rng.random() < 0.3:
        return make(site, "△" + num(v), "RATE001", "added-minus", (), (), f"예산 총괄 {site.meta['name']}의 증감 (△ 붙음)")
    new = v + rng.choice((1, -1)) * delta(rng)
    return make(site, signed(new), "RATE001", "figure", (), (), f"예산 총괄 {site.meta['name']}의 증감")


def rate_rate(doc: Doc, plan: Plan, rng: random.Random) -> Change | None:
    """증감률 ≠ (B-A)*100/A truncated or rounded: off by two or more, or a lost △."""
    site = pick(rng, doc.find("summary.rate"))
    if site is None:
        return None
    rate: Fraction = site.meta["rate"]
    if rate < 0 and rng.random() < 0.5:
        return make(site, num(rate, plan.rate_places), "RATE002", "lost-minus", (), (),
                       f"예산 총괄 {site.meta['name']}의 증감률 (△ 빠짐)")
    new = rate + rng.choice((1, -1)) * rng.choice((2, 3, 5, 10, 25))
    return make(site, signed(new, plan.rate_places), "RATE002", "figure", (), (), f"예산 총괄 {site.meta['name']}의 증감률")


def rate_mixed(doc: Doc, plan: Plan, rng: random.Random) -> Change | None:
    """One rate rounded where the sheet truncates (or the other way): RATE003 (a warning) only."""
    other = "round" if plan.rate_rule == "trunc" else "trunc"
    rows = []
    for site in sorted(doc.find("summary.rate"), key=lambda s: s.line):
        true = rate_value(site.meta["A"], site.meta["B"])
        if stated_rate(true, "trunc", plan.rate_places) != stated_rate(true, "round", plan.rate_places):
            rows.append((site, stated_rate(true, other, plan.rate_places)))
    if len(rows) < 2:  # the first such row sets the sheet's convention; change a later one
        return None
    site, new = rng.choice(rows[1:])
    return make(site, signed(new, plan.rate_places), "RATE003", other, (), (),
                   f"예산 총괄 {site.meta['name']}의 증감률을 {'반올림' if other == 'round' else '버림'}")
