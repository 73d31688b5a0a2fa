"""The fault catalogue: for each rule, ways to change one figure (or year, or name) of a consistent sheet so that it fires.

Each way names the rule that must fire, the lines on which it may report (the
changed line and, where the rule reports there, the other side of the identity),
and every other rule that one change necessarily breaks too (``also``): raising a
group's amount breaks its 통계목's B as well, so SUM001 comes with SUM002. The ways
live in :mod:`auditor.testing.faults_basis` and :mod:`auditor.testing.faults_tables`.
"""

from __future__ import annotations

import random

from auditor.testing.change import Change, Way
from auditor.testing.doc import Doc
from auditor.testing.faults_basis import (
    calc_mixed, calc_operand, calc_stated, rate_change, rate_mixed, rate_rate, sum_group, sum_lump, sum_row_a,
    sum_row_b, sum_schedule, sum_total_a, sum_total_b,
)
from auditor.testing.faults_tables import (
    fund_amount, fund_label, set_available, set_chain, set_negative, set_spent, set_unspent, set_years,
    xref_basis_year, xref_category, xref_cost, xref_period, xref_required, xref_schedule_total,
    xref_schedule_year,
)
from auditor.testing.plan import Plan

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
