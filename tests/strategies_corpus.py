"""Hypothesis strategies over the corpus generator (``auditor.testing``): a seed, which shrinks towards 0, and a fault kind."""

from __future__ import annotations

from hypothesis import strategies as st

from auditor.testing import KINDS, GeneratedSheet, generate_sheet

#: Sheet seeds; hypothesis shrinks a failure towards seed 0.
seeds = st.integers(min_value=0, max_value=2**32 - 1)


def consistent_sheets() -> st.SearchStrategy[GeneratedSheet]:
    """Generated sheets on which every identity of the built-in rules holds."""
    return st.builds(generate_sheet, seeds)


def faulty_sheets(kinds: list[str] | None = None) -> st.SearchStrategy[GeneratedSheet]:
    """Generated sheets with exactly one fault of a kind drawn from ``kinds`` (default: every kind)."""
    return st.builds(lambda seed, kind: generate_sheet(seed, fault=kind), seeds, st.sampled_from(kinds or list(KINDS)))
