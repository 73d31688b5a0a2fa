"""The fault catalogue: for each rule, ways to change one figure (or year, or name) of a consistent sheet so that it fires.

Each way names the rule that must fire, the lines on which it may report (the
changed line and, where the rule reports there, the other side of the identity),
and every other rule that one change necessarily breaks too (``also``): raising a
group's amount breaks its 통계목's B as well, so SUM001 comes with SUM002.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Callable

from auditor.testing import words as W
from auditor.testing.doc import Doc, Site
from auditor.testing.formulas import digits, operands, value, with_operand
from auditor.testing.plan import CONVENTIONS, Plan, rate_value, stated_rate
from auditor.testing.render import num

RATES = ("RATE001", "RATE002", "RATE003")
KO = {"final_budget": "최종예산", "spent": "집행액", "unspent": "집행잔액"}


@dataclass(frozen=True)
class Change:
    """One change to a sheet's text and what it must make the rules say."""

    site: Site
    new: str
    rule: str
    variant: str
    lines: frozenset[int]
    also: frozenset[str]
    description: str


Way = Callable[[Doc, Plan, random.Random], "Change | None"]


def _delta(rng: random.Random) -> int:
    return rng.randint(1, 9) * 10 ** rng.randint(1, 3)


def _moved(rng: random.Random, v: int, floor: int = 1) -> int:
    """``v`` moved up or down by a clear amount, never below ``floor``."""
    d = _delta(rng)
    return v - d if rng.random() < 0.5 and v - d >= floor else v + d


def _signed(v: int | Fraction, places: int = 0) -> str:
    return ("△" if v < 0 else "") + num(v, places)


def _budgets(plan: Plan) -> set[int]:
    return {a.budget for a in plan.activities if a.budget is not None}


def _xref006(plan: Plan, old: int) -> frozenset[str]:
    """XREF006 may fire when the changed figure was the one a 소요예산 named."""
    return frozenset({"XREF006"}) if old in _budgets(plan) else frozenset()


def _pick(rng: random.Random, sites: list[Site]) -> Site | None:
    return rng.choice(sites) if sites else None


def _change(site: Site, new: str, rule: str, variant: str, lines, also, what: str) -> Change:
    return Change(site, new, rule, variant, frozenset({site.line, *lines}), frozenset(also),
                  f"{what}: {site.text} → {new}")


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
                return _change(site, new.digits, "CALC001", "operand", (), (), f"산출근거 '{site.meta['label']}'의 산출식 숫자 {op.text}")
    return None


def calc_stated(doc: Doc, plan: Plan, rng: random.Random) -> Change | None:
    """A formula line's stated amount changed: CALC001, and the sum above it (SUM001 or SUM002)."""
    site = _pick(rng, [s for s in doc.find("basis.amount") if s.meta["formula"] is not None])
    if site is None:
        return None
    old = site.meta["value"]
    new = _moved(rng, old)
    ci, gi = site.meta["cat"], site.meta["group"]
    if site.meta["item"] is None:
        return _change(site, num(new), "CALC001", "stated-group", {doc.marks[f"summary.c{ci}"]},
                       {"SUM002"} | _xref006(plan, old), f"산출근거 ○ '{site.meta['label']}'의 금액")
    return _change(site, num(new), "CALC001", "stated-item", {doc.marks[f"group.{ci}.{gi}"]},
                   {"SUM001"} | _xref006(plan, old), f"산출근거 - '{site.meta['label']}'의 금액")


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
    return _change(site, num(new), "CALC002", name, (), _xref006(plan, site.meta["value"]),
                   f"산출근거 - '{site.meta['label']}'의 금액을 다른 방식({name})으로 맞춤")


# -- SUM -----------------------------------------------------------------------------------------
def sum_group(doc: Doc, plan: Plan, rng: random.Random) -> Change | None:
    site = _pick(rng, [s for s in doc.find("basis.amount", item=None) if s.meta["items"]])
    if site is None:
        return None
    old = site.meta["value"]
    return _change(site, num(_moved(rng, old)), "SUM001", "group", (), {"SUM002"} | _xref006(plan, old),
                   f"- 항목이 있는 ○ '{site.meta['label']}'의 금액")


def sum_lump(doc: Doc, plan: Plan, rng: random.Random) -> Change | None:
    """A ○ group with neither formula nor items: only its 통계목's B disagrees."""
    site = _pick(rng, [s for s in doc.find("basis.amount", item=None)
                       if s.meta["formula"] is None and not s.meta["items"]])
    if site is None:
        return None
    old = site.meta["value"]
    return _change(site, num(_moved(rng, old)), "SUM002", "lump-group", {doc.marks[f"summary.c{site.meta['cat']}"]},
                   _xref006(plan, old), f"산출식 없는 ○ '{site.meta['label']}'의 금액")


def _summary(doc: Doc, role: str, total: bool) -> list[Site]:
    return [s for s in doc.find(role) if (s.meta["row"] == "total") == total]


def sum_row_b(doc: Doc, plan: Plan, rng: random.Random) -> Change | None:
    site = _pick(rng, [s for s in _summary(doc, "summary.B", False) if s.meta["row"].startswith("c")])
    if site is None:
        return None
    old = site.meta["B"]
    return _change(site, num(_moved(rng, old)), "SUM002", "summary-B", (), {"SUM003", *RATES} | _xref006(plan, old),
                   f"예산 총괄 {site.meta['name']}의 B")


def sum_total_b(doc: Doc, plan: Plan, rng: random.Random) -> Change | None:
    site = _summary(doc, "summary.B", True)[0]
    return _change(site, num(_moved(rng, site.meta["B"])), "SUM003", "total-B", (), {*RATES, "XREF001", "XREF002"},
                   "예산 총괄 계의 B")


def sum_total_a(doc: Doc, plan: Plan, rng: random.Random) -> Change | None:
    site = _summary(doc, "summary.A", True)[0]
    return _change(site, num(_moved(rng, site.meta["A"])), "SUM004", "total-A", (), RATES, "예산 총괄 계의 A")


def sum_row_a(doc: Doc, plan: Plan, rng: random.Random) -> Change | None:
    site = _pick(rng, [s for s in _summary(doc, "summary.A", False) if s.meta["A"] > 0])
    if site is None:
        return None
    return _change(site, num(_moved(rng, site.meta["A"])), "SUM004", "row-A", {doc.marks["summary.total"]}, RATES,
                   f"예산 총괄 {site.meta['name']}의 A")


def sum_schedule(doc: Doc, plan: Plan, rng: random.Random) -> Change | None:
    site = _pick(rng, doc.find("schedule.amount"))
    if site is None:
        return None
    old = plan.schedule[site.meta["step"]].amount  # type: ignore[index]
    return _change(site, num(_moved(rng, old)), "SUM005", "schedule-row", {doc.marks["schedule.total"]},
                   _xref006(plan, old), "추진일정 예산집행금액")


# -- RATE ----------------------------------------------------------------------------------------
def rate_change(doc: Doc, plan: Plan, rng: random.Random) -> Change | None:
    """증감 ≠ B − A: a lost △, a sign where there is none, or another figure."""
    site = _pick(rng, doc.find("summary.change"))
    if site is None:
        return None
    v = site.meta["B"] - site.meta["A"]
    if v < 0 and rng.random() < 0.6:
        return _change(site, num(v), "RATE001", "lost-minus", (), (), f"예산 총괄 {site.meta['name']}의 증감 (△ 빠짐)")
    if v > 0 and rng.random() < 0.3:
        return _change(site, "△" + num(v), "RATE001", "added-minus", (), (), f"예산 총괄 {site.meta['name']}의 증감 (△ 붙음)")
    new = v + rng.choice((1, -1)) * _delta(rng)
    return _change(site, _signed(new), "RATE001", "figure", (), (), f"예산 총괄 {site.meta['name']}의 증감")


def rate_rate(doc: Doc, plan: Plan, rng: random.Random) -> Change | None:
    """증감률 ≠ (B-A)*100/A truncated or rounded: off by two or more, or a lost △."""
    site = _pick(rng, doc.find("summary.rate"))
    if site is None:
        return None
    rate: Fraction = site.meta["rate"]
    if rate < 0 and rng.random() < 0.5:
        return _change(site, num(rate, plan.rate_places), "RATE002", "lost-minus", (), (),
                       f"예산 총괄 {site.meta['name']}의 증감률 (△ 빠짐)")
    new = rate + rng.choice((1, -1)) * rng.choice((2, 3, 5, 10, 25))
    return _change(site, _signed(new, plan.rate_places), "RATE002", "figure", (), (), f"예산 총괄 {site.meta['name']}의 증감률")


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
    return _change(site, _signed(new, plan.rate_places), "RATE003", other, (), (),
                   f"예산 총괄 {site.meta['name']}의 증감률을 {'반올림' if other == 'round' else '버림'}")


# -- XREF ----------------------------------------------------------------------------------------
def xref_cost(doc: Doc, plan: Plan, rng: random.Random) -> Change | None:
    site = doc.find("overview.cost")[0]
    funded = any(a is not None for _, a in plan.funding)
    return _change(site, num(_moved(rng, plan.total_b)), "XREF001", "cost", (), {"FUND001"} if funded else (),
                   "사업개요 사업비")


def xref_schedule_total(doc: Doc, plan: Plan, rng: random.Random) -> Change | None:
    site = _pick(rng, doc.find("schedule.total"))
    if site is None:
        return None
    return _change(site, num(_moved(rng, plan.total_b)), "XREF002", "schedule-total", (), {"SUM005"}, "추진일정 계")


def _year(site: Site, rng: random.Random) -> str:
    return str(int(site.text) + rng.choice((-2, -1, 1, 1, 3)))


def xref_basis_year(doc: Doc, plan: Plan, rng: random.Random) -> Change | None:
    site = doc.find("basis.year")[0]
    return _change(site, _year(site, rng), "XREF003", "basis-year", (), (), "산출근거 예산내역의 연도")


def xref_schedule_year(doc: Doc, plan: Plan, rng: random.Random) -> Change | None:
    site = _pick(rng, doc.find("schedule.year"))
    if site is None:
        return None
    return _change(site, _year(site, rng), "XREF004", "schedule-year", (), (), "추진일정 제목의 연도")


def xref_period(doc: Doc, plan: Plan, rng: random.Random) -> Change | None:
    site = _pick(rng, doc.find("period.year"))
    if site is None:
        return None
    return _change(site, _year(site, rng), "XREF005", "period-year", (), (), "추진기간의 연도")


def xref_required(doc: Doc, plan: Plan, rng: random.Random) -> Change | None:
    site = _pick(rng, doc.find("activity.budget"))
    if site is None:
        return None
    known = {g.amount for c in plan.categories for g in c.groups}
    known |= {i.amount for c in plan.categories for g in c.groups for i in g.items}
    known |= {c.current for c in plan.categories} | {s.amount for s in plan.schedule or ()}
    new = _moved(rng, site.meta["value"])
    while new in known:
        new += 1
    return _change(site, num(new), "XREF006", "required-budget", (), (), "사업내용 소요예산")


def xref_category(doc: Doc, plan: Plan, rng: random.Random) -> Change | None:
    """A 산출근거 통계목 renamed to one that 예산 총괄 does not list (a name, not a figure)."""
    site = _pick(rng, doc.find("basis.category"))
    if site is None:
        return None
    used = {c.name for c in plan.categories} | {n for n, _ in plan.ended}
    new = rng.choice([n for n in W.CATEGORIES if n not in used])
    ci = site.meta["cat"]
    return _change(site, new, "XREF007", "category-name", {doc.marks[f"summary.c{ci}"]}, {"SUM002"},
                   "산출근거의 통계목 이름")


# -- FUND ----------------------------------------------------------------------------------------
def fund_amount(doc: Doc, plan: Plan, rng: random.Random) -> Change | None:
    site = _pick(rng, doc.find("funding.amount"))
    if site is None:
        return None
    old = dict(plan.funding)[site.meta["label"]]
    return _change(site, num(_moved(rng, old)), "FUND001", "funding", {doc.marks["overview"]}, (),
                   f"재원 [{site.meta['label']}] 금액")


#: Misspelt funding labels, as in a real sheet's [사비] for [시비].
TYPOS = {"시비": "사비", "국비": "국고", "구비": "구예산", "도비": "도지원", "군비": "군예산", "기타": "기타재원"}


def fund_label(doc: Doc, plan: Plan, rng: random.Random) -> Change | None:
    site = _pick(rng, doc.find("funding.label"))
    if site is None:
        return None
    return _change(site, TYPOS[site.text], "FUND002", "label", (), (), "재원 이름")


# -- SET -----------------------------------------------------------------------------------------
def _row(doc: Doc, field: str, rng: random.Random, where: Callable[[Site], bool] = lambda s: True) -> Site | None:
    return _pick(rng, [s for s in doc.find(f"settlement.{field}") if where(s)])


def _settlement_line(doc: Doc, ri: int) -> int:
    return doc.marks[f"settlement.{ri}"]


def set_available(doc: Doc, plan: Plan, rng: random.Random) -> Change | None:
    """최종예산 or 예산변경 changed: 예산현액 no longer adds up (only SET001)."""
    field = rng.choice(("final_budget", "adjustment"))
    site = _row(doc, field, rng)
    if site is None:
        return None
    old = site.meta["value"]
    new = _moved(rng, old, floor=0) if field == "final_budget" else old + rng.choice((1, -1)) * _delta(rng)
    year = plan.settlement[site.meta["row"]].year
    return _change(site, _signed(new), "SET001", field, (), (), f"{year}년 {'최종예산' if field == 'final_budget' else '예산변경'}")


def set_unspent(doc: Doc, plan: Plan, rng: random.Random) -> Change | None:
    site = _row(doc, "unspent", rng)
    if site is None:
        return None
    year = plan.settlement[site.meta["row"]].year
    return _change(site, num(_moved(rng, site.meta["value"], floor=0)), "SET002", "unspent", (), (),
                   f"{year}년 집행잔액")


def set_chain(doc: Doc, plan: Plan, rng: random.Random) -> Change | None:
    """전년이월 ≠ the year before's 차년이월: one side of the chain changed."""
    n = len(plan.settlement)
    if n < 2:
        return None
    if rng.random() < 0.5:
        site = _row(doc, "carried_in", rng, lambda s: s.meta["row"] >= 1)
        other, also, what, variant = -1, {"SET001"}, "전년이월", "carried-in"
    else:
        site = _row(doc, "carried_over", rng, lambda s: s.meta["row"] < n - 1)
        other, also, what, variant = 1, {"SET002"}, "차년이월", "carried-over"
    assert site is not None
    ri = site.meta["row"]
    new = _moved(rng, site.meta["value"], floor=0)
    return _change(site, num(new), "SET003", variant, {_settlement_line(doc, ri + other)}, also,
                   f"{plan.settlement[ri].year}년 {what}")


def set_spent(doc: Doc, plan: Plan, rng: random.Random) -> Change | None:
    site = _row(doc, "spent", rng)
    if site is None:
        return None
    row = plan.settlement[site.meta["row"]]
    return _change(site, num(row.available + _delta(rng)), "SET004", "spent", (), {"SET002"},
                   f"{row.year}년 집행액이 예산현액({num(row.available)})보다 큼")


def set_negative(doc: Doc, plan: Plan, rng: random.Random) -> Change | None:
    fields = {"unspent": "SET002", "spent": "SET002", "final_budget": "SET001"}
    field = rng.choice(tuple(fields))
    site = _row(doc, field, rng, lambda s: s.meta["value"] > 0)
    if site is None:
        return None
    year = plan.settlement[site.meta["row"]].year
    return _change(site, "△" + site.text, "SET005", field, (), {fields[field]}, f"{year}년 {KO[field]}이 음수")


def set_years(doc: Doc, plan: Plan, rng: random.Random) -> Change | None:
    """A settlement year moved out of order (a warning): the row after it, or itself, comes too early."""
    n = len(plan.settlement)
    if n < 2:
        return None
    ri = rng.randrange(1, n)
    site = doc.find("settlement.year", row=ri)[0]
    if ri < n - 1 and rng.random() < 0.5:  # a middle year moved past the next one
        new = plan.settlement[ri + 1].year + rng.choice((0, 1, 3))
        lines = {_settlement_line(doc, ri + 1)}
    else:  # a year moved before (or onto) the one above it
        new = plan.settlement[ri - 1].year - rng.choice((0, 1, 2))
        lines = set()
    return _change(site, str(new), "SET006", "year-order", lines, (), f"결산 {ri + 1}번째 행의 연도")


#: fault kind (the rule that must fire) → the ways to cause it.
KINDS: dict[str, tuple[Way, ...]] = {
    "CALC001": (calc_operand, calc_operand, calc_stated),
    "CALC002": (calc_mixed,),
    "SUM001": (sum_group,),
    "SUM002": (sum_lump, sum_row_b),
    "SUM003": (sum_total_b,),
    "SUM004": (sum_total_a, sum_row_a),
    "SUM005": (sum_schedule,),
    "RATE001": (rate_change,),
    "RATE002": (rate_rate,),
    "RATE003": (rate_mixed,),
    "XREF001": (xref_cost,),
    "XREF002": (xref_schedule_total,),
    "XREF003": (xref_basis_year,),
    "XREF004": (xref_schedule_year,),
    "XREF005": (xref_period,),
    "XREF006": (xref_required,),
    "XREF007": (xref_category,),
    "FUND001": (fund_amount,),
    "FUND002": (fund_label,),
    "SET001": (set_available,),
    "SET002": (set_unspent,),
    "SET003": (set_chain,),
    "SET004": (set_spent,),
    "SET005": (set_negative,),
    "SET006": (set_years,),
}


def inject(kind: str, doc: Doc, plan: Plan, rng: random.Random) -> Change | None:
    """A change of ``kind`` on this sheet, trying its ways in a random order; None when none applies."""
    ways = list(KINDS[kind])
    rng.shuffle(ways)
    for way in ways:
        change = way(doc, plan, rng)
        if change is not None:
            return change
    return None
