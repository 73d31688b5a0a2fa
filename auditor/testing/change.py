"""A fault as one change to a sheet's text, and the small helpers the fault catalogue shares."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from auditor.testing.doc import Doc, Site
from auditor.testing.plan import Plan
from auditor.testing.render import num

RATES = ("RATE001", "RATE002", "RATE003")


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


def delta(rng: random.Random) -> int:
    return rng.randint(1, 9) * 10 ** rng.randint(1, 3)


def moved(rng: random.Random, v: int, floor: int = 1) -> int:
    """``v`` moved up or down by a clear amount, never below ``floor``."""
    d = delta(rng)
    return v - d if rng.random() < 0.5 and v - d >= floor else v + d


def signed(v: int | Fraction, places: int = 0) -> str:
    return ("△" if v < 0 else "") + num(v, places)


def budgets(plan: Plan) -> set[int]:
    return {a.budget for a in plan.activities if a.budget is not None}


def xref006(plan: Plan, old: int) -> frozenset[str]:
    """XREF006 may fire when the changed figure was the one a 소요예산 named."""
    return frozenset({"XREF006"}) if old in budgets(plan) else frozenset()


def pick(rng: random.Random, sites: list[Site]) -> Site | None:
    return rng.choice(sites) if sites else None


def make(site: Site, new: str, rule: str, variant: str, lines, also, what: str) -> Change:
    return Change(site, new, rule, variant, frozenset({site.line, *lines}), frozenset(also),
                  f"{what}: {site.text} → {new}")
