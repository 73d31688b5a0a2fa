"""Faults across parts and in the other tables: cross-references (XREF), funding (FUND), settlement (SET)."""

from __future__ import annotations

import random
from collections.abc import Callable

from auditor.testing import words as W
from auditor.testing.change import Change, delta, make, moved, pick, signed
from auditor.testing.doc import Doc, Site
from auditor.testing.plan import Plan
from auditor.testing.render import num

KO = {"final_budget": "최종예산", "spent": "집행액", "unspent": "집행잔액"}


# -- XREF ----------------------------------------------------------------------------------------
def xref_cost(doc: Doc, plan: Plan, rng: random.Random) -> Change | None:
    site = doc.find("overview.cost")[0]
    funded = any(a is not None for _, a in plan.funding)
    return make(site, num(moved(rng, plan.total_b)), "XREF001", "cost", (), {"FUND001"} if funded else (),
                   "사업개요 사업비")


def xref_schedule_total(doc: Doc, plan: Plan, rng: random.Random) -> Change | None:
    site = pick(rng, doc.find("schedule.total"))
    if site is None:
        return None
    return make(site, num(moved(rng, plan.total_b)), "XREF002", "schedule-total", (), {"SUM005"}, "추진일정 계")


def _year(site: Site, rng: random.Random) -> str:
    return str(int(site.text) + rng.choice((-2, -1, 1, 1, 3)))


def xref_basis_year(doc: Doc, plan: Plan, rng: random.Random) -> Change | None:
    site = doc.find("basis.year")[0]
    return make(site, _year(site, rng), "XREF003", "basis-year", (), (), "산출근거 예산내역의 연도")


def xref_schedule_year(doc: Doc, plan: Plan, rng: random.Random) -> Change | None:
    site = pick(rng, doc.find("schedule.year"))
    if site is None:
        return None
    return make(site, _year(site, rng), "XREF004", "schedule-year", (), (), "추진일정 제목의 연도")


def xref_period(doc: Doc, plan: Plan, rng: random.Random) -> Change | None:
    site = pick(rng, doc.find("period.year"))
    if site is None:
        return None
    return make(site, _year(site, rng), "XREF005", "period-year", (), (), "추진기간의 연도")


def xref_required(doc: Doc, plan: Plan, rng: random.Random) -> Change | None:
    site = pick(rng, doc.find("activity.budget"))
    if site is None:
        return None
    known = {g.amount for c in plan.categories for g in c.groups}
    known |= {i.amount for c in plan.categories for g in c.groups for i in g.items}
    known |= {c.current for c in plan.categories} | {s.amount for s in plan.schedule or ()}
    new = moved(rng, site.meta["value"])
    while new in known:
        new += 1
    return make(site, num(new), "XREF006", "required-budget", (), (), "사업내용 소요예산")


def xref_category(doc: Doc, plan: Plan, rng: random.Random) -> Change | None:
    """A 산출근거 통계목 renamed to one that 예산 총괄 does not list (a name, not a figure)."""
    site = pick(rng, doc.find("basis.category"))
    if site is None:
        return None
    used = {c.name for c in plan.categories} | {n for n, _ in plan.ended}
    new = rng.choice([n for n in W.CATEGORIES if n not in used])
    ci = site.meta["cat"]
    return make(site, new, "XREF007", "category-name", {doc.marks[f"summary.c{ci}"]}, {"SUM002"},
                   "산출근거의 통계목 이름")


# -- FUND ----------------------------------------------------------------------------------------
def fund_amount(doc: Doc, plan: Plan, rng: random.Random) -> Change | None:
    site = pick(rng, doc.find("funding.amount"))
    if site is None:
        return None
    old = dict(plan.funding)[site.meta["label"]]
    return make(site, num(moved(rng, old)), "FUND001", "funding", {doc.marks["overview"]}, (),
                   f"재원 [{site.meta['label']}] 금액")


#: Misspelt funding labels, as in a real sheet's [사비] for [시비].
TYPOS = {"시비": "사비", "국비": "국고", "구비": "구예산", "도비": "도지원", "군비": "군예산", "기타": "기타재원"}


def fund_label(doc: Doc, plan: Plan, rng: random.Random) -> Change | None:
    site = pick(rng, doc.find("funding.label"))
    if site is None:
        return None
    return make(site, TYPOS[site.text], "FUND002", "label", (), (), "재원 이름")


# -- SET -----------------------------------------------------------------------------------------
def _row(doc: Doc, field: str, rng: random.Random, where: Callable[[Site], bool] = lambda s: True) -> Site | None:
    return pick(rng, [s for s in doc.find(f"settlement.{field}") if where(s)])


def _settlement_line(doc: Doc, ri: int) -> int:
    return doc.marks[f"settlement.{ri}"]


def set_available(doc: Doc, plan: Plan, rng: random.Random) -> Change | None:
    """최종예산 or 예산변경 changed: 예산현액 no longer adds up (only SET001)."""
    field = rng.choice(("final_budget", "adjustment"))
    site = _row(doc, field, rng)
    if site is None:
        return None
    old = site.meta["value"]
    new = moved(rng, old, floor=0) if field == "final_budget" else old + rng.choice((1, -1)) * delta(rng)
    year = plan.settlement[site.meta["row"]].year
    return make(site, signed(new), "SET001", field, (), (), f"{year}년 {'최종예산' if field == 'final_budget' else '예산변경'}")


def set_unspent(doc: Doc, plan: Plan, rng: random.Random) -> Change | None:
    site = _row(doc, "unspent", rng)
    if site is None:
        return None
    year = plan.settlement[site.meta["row"]].year
    return make(site, num(moved(rng, site.meta["value"], floor=0)), "SET002", "unspent", (), (),
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
    new = moved(rng, site.meta["value"], floor=0)
    return make(site, num(new), "SET003", variant, {_settlement_line(doc, ri + other)}, also,
                   f"{plan.settlement[ri].year}년 {what}")


def set_spent(doc: Doc, plan: Plan, rng: random.Random) -> Change | None:
    site = _row(doc, "spent", rng)
    if site is None:
        return None
    row = plan.settlement[site.meta["row"]]
    return make(site, num(row.available + delta(rng)), "SET004", "spent", (), {"SET002"},
                   f"{row.year}년 집행액이 예산현액({num(row.available)})보다 큼")


def set_negative(doc: Doc, plan: Plan, rng: random.Random) -> Change | None:
    fields = {"unspent": "SET002", "spent": "SET002", "final_budget": "SET001"}
    field = rng.choice(tuple(fields))
    site = _row(doc, field, rng, lambda s: s.meta["value"] > 0)
    if site is None:
        return None
    year = plan.settlement[site.meta["row"]].year
    return make(site, "△" + site.text, "SET005", field, (), {fields[field]}, f"{year}년 {KO[field]}이 음수")


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
    return make(site, str(new), "SET006", "year-order", lines, (), f"결산 {ri + 1}번째 행의 연도")
