"""Hypothesis strategies for e호조 exports: the builders of auditor.testing.eho, fed by hypothesis's draws."""

from __future__ import annotations

from typing import Sequence, TypeVar

import attrs
from hypothesis import strategies as st

from auditor.testing.eho import SOURCES, Record, export_bytes, records

T = TypeVar("T")

__all__ = ["HypothesisDraw", "exports", "broken_exports", "BREAKS"]


class HypothesisDraw:
    """:class:`auditor.testing.eho.Draw` over hypothesis's ``draw``, so that examples shrink."""

    def __init__(self, draw) -> None:
        self.draw = draw

    def integer(self, low: int, high: int) -> int:
        return self.draw(st.integers(low, high))

    def choice(self, options: Sequence[T]) -> T:
        return self.draw(st.sampled_from(list(options)))


@st.composite
def exports(draw, max_rows: int = 20) -> list[Record]:
    """The records of an export that is consistent by construction (a correct auditor finds nothing)."""
    return list(records(HypothesisDraw(draw), draw(st.integers(1, max_rows)), year=draw(st.integers(2020, 2030))))


#: The numbers one can break on a record, and the rules that must fire on its line.
BREAKS = {
    "amount": {"FUND003", "RATE005"},
    "previous": {"FUND005", "RATE005"},
    "change": {"RATE005"},
    "current": {"FUND003", "FUND004"},
    "share-previous": {"FUND005", "FUND004"},
    "share-change": {"FUND004"},
    "formula": {"CALC001"},
}


def _formula_number(formula: str) -> int:
    """The money figure of a generated formula (``경정 1,000원``, ``1,000원*2명``); 0 when there is none."""
    head = formula.partition("원")[0].removeprefix("경정 ").replace(",", "")
    return int(head) if head.isdigit() else 0


def _break(draw, record: Record, kind: str) -> Record:
    delta = draw(st.integers(-5000, 5000).filter(bool))
    if kind == "amount":
        return attrs.evolve(record, amount=record.amount + delta)
    if kind == "previous":
        return attrs.evolve(record, previous=record.previous + delta)
    if kind == "change":
        return attrs.evolve(record, change=record.change + delta)
    if kind == "formula":
        factor = draw(st.sampled_from([2, 3, 10]))
        head, _, rest = record.formula.partition("원")
        number = _formula_number(record.formula)
        prefix = "경정 " if head.startswith("경정 ") else ""
        return attrs.evolve(record, formula=f"{prefix}{number * factor:,}원{rest}")
    source = draw(st.integers(0, len(SOURCES) - 1))
    part = {"current": 0, "share-previous": 1, "share-change": 2}[kind]
    funding = [list(t) for t in record.funding]
    funding[source][part] += delta
    return attrs.evolve(record, funding=tuple(tuple(t) for t in funding))


@st.composite
def broken_exports(draw, max_rows: int = 20) -> tuple[bytes, list[Record], int, str]:
    """``(data, records, line, kind)``: a consistent export with one number changed on ``line``."""
    rows = draw(exports(max_rows))
    index = draw(st.integers(0, len(rows) - 1))
    # a formula of 0원 (a 추경 that cuts an item to nothing) stays 0 whatever factor breaks it
    kinds = [k for k in BREAKS if k != "formula" or _formula_number(rows[index].formula)]
    kind = draw(st.sampled_from(kinds))
    rows[index] = _break(draw, rows[index], kind)
    return export_bytes(rows), rows, index + 3, kind
