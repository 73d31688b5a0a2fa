"""Benchmark reading: CPU time and Python function calls per generated sheet, the bytes already in memory.

    python benchmarks/read.py [--count 300] [--repeat 5]

The corpus generator (:func:`auditor.testing.generate_sheet`, as ``benchmarks/check.py`` uses it)
makes ``--count`` sheets of every size, formula syntax, layout noise and encoding, a tenth of them
with one fault of each kind in turn; their bytes are held in memory, and each run reads them all
with :func:`auditor.readers.read_bytes` (decoding included) in this process. Printed:

- ``cold``: the best CPU time (``time.process_time``, so another process on the same core does not
  count) of ``--repeat`` runs, the formula package's caches cleared before each run, as a fresh
  process meets them; ``warm``: a run right after another, every formula text cached;
- Python function calls per sheet (cProfile's count, C functions included, one cold run), which
  does not depend on the machine's load;
- how many 산출근거 lines the one-pass reader read itself, and how many went to the formula
  package's reference functions (``split_label`` and the grammar), with the time those took;
- how many 산출근거 rows the compiled row pattern read whole (``BasisReader.fast_row``), and how many
  went through the line's classification and cells; and how many 예산 총괄, 추진일정 and 결산 현황
  rows their patterns read whole (:mod:`auditor.readers.rows`).

``AUDITOR_READER=reference`` measures the reader without its fast paths (``auditor.readers.mode``).

Numbers are printed; nothing is asserted. Unit tests never time anything.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import platform
import pstats
import random
import sys
import time
from pathlib import Path

# Run from a checkout without installing; and not from this directory, whose html.py would hide the
# standard library's html package (the reader needs html.parser for cells with markup).
sys.path[0] = str(Path(__file__).resolve().parent.parent)

import auditor.formula as formula  # noqa: E402
from auditor.formula.amount import _parse_amount_cached  # noqa: E402
from auditor.readers import basis, read_bytes, rows  # noqa: E402
from auditor.testing import KINDS, generate_sheet  # noqa: E402


def corpus(count: int) -> list[bytes]:
    kinds = list(KINDS)
    return [generate_sheet(random.Random(f"read/{i}"), fault=kinds[(i // 10) % len(kinds)] if i % 10 == 0 else None).data
            for i in range(count)]


def clear_caches() -> None:
    """The formula package's memo caches, as a fresh process has them (empty)."""
    for cached in (formula.split_label, formula.formula_attempt, formula.parse_formula):
        cached.cache_clear()
    _parse_amount_cached.cache_clear()


def read_all(sheets: list[bytes]) -> None:
    for i, data in enumerate(sheets):
        read_bytes(data, f"sheet_{i:05d}.txt")


def best_of(repeat: int, sheets: list[bytes], cold: bool) -> float:
    best = float("inf")
    for _ in range(repeat):
        if cold:
            clear_caches()
        else:
            read_all(sheets)
        start = time.process_time()
        read_all(sheets)
        best = min(best, time.process_time() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=300, help="generated sheets (default 300)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure; the least CPU time is kept")
    args = parser.parse_args()
    sheets = corpus(args.count)
    n = len(sheets)
    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(f"{n} generated sheets, {sum(map(len, sheets)) / n / 1024:.1f} KiB each on average, read from memory")
    cold = best_of(args.repeat, sheets, cold=True)
    warm = best_of(args.repeat, sheets, cold=False)
    print(f"cold: {cold / n * 1000:.3f} ms CPU per sheet ({n / cold:,.0f} sheets per CPU-second), best of {args.repeat}")
    print(f"warm: {warm / n * 1000:.3f} ms CPU per sheet ({n / warm:,.0f} sheets per CPU-second), best of {args.repeat}")

    clear_caches()
    one_pass = reference = 0
    original = basis.read_description

    def counted(body: str):
        nonlocal one_pass, reference
        found = original(body)
        if found is None:
            reference += 1
        else:
            one_pass += 1
        return found

    whole = by_cells = attempts = 0
    original_row, original_fast_row = basis.BasisReader.row, basis.BasisReader.fast_row

    def row(self, no, line, cells):
        nonlocal by_cells
        by_cells += 1
        return original_row(self, no, line, cells)

    def fast_row(self, no, line):
        nonlocal whole, attempts
        attempts += 1
        read = original_fast_row(self, no, line)
        whole += read
        return read

    tables = {"summary_row": [0, 0], "schedule_row": [0, 0], "settlement_row": [0, 0]}  # read whole, not
    originals = {name: getattr(rows, name) for name in tables}

    def table_reader(name):
        def read(*args):
            found = originals[name](*args)
            tables[name][found is None] += 1
            return found
        return read

    basis.read_description = counted
    basis.BasisReader.row, basis.BasisReader.fast_row = row, fast_row
    for name in tables:
        setattr(rows, name, table_reader(name))
    profile = cProfile.Profile()
    try:
        profile.enable()
        read_all(sheets)
        profile.disable()
    finally:
        basis.read_description = original
        basis.BasisReader.row, basis.BasisReader.fast_row = original_row, original_fast_row
        for name, original_table in originals.items():
            setattr(rows, name, original_table)
    stats = pstats.Stats(profile)
    calls = stats.total_calls - n  # less the counting wrapper's own calls, one per 산출근거 line
    calls -= one_pass + reference
    calls -= by_cells + attempts  # and the row counters' own calls
    calls -= sum(sum(counts) for counts in tables.values())
    by_name = {f"{key[0]}:{key[2]}": value for key, value in stats.stats.items()}
    fallback = sum(v[3] for k, v in by_name.items() if k.endswith(("split.py:split_label", "basis.py:calc_of")))
    total = sum(v[2] for v in by_name.values())
    print(f"calls: {calls / n:,.0f} Python function calls per sheet (cProfile, C functions included)")
    print(f"산출근거 lines: {one_pass / n:.1f} per sheet read in one pass, {reference / n:.1f} by the reference "
          f"functions (split_label and the grammar: {fallback / total:.0%} of the profiled time)")
    print(f"산출근거 rows: {whole / n:.1f} per sheet read whole by the row pattern, {by_cells / n:.1f} through the "
          f"line's cells")
    whole_rows = sum(counts[0] for counts in tables.values())
    print(f"예산 총괄/추진일정/결산 rows: {whole_rows / n:.1f} per sheet read whole by their patterns, "
          f"{sum(counts[1] for counts in tables.values()) / n:.1f} lines tried and left to the line's cells "
          f"(headings and notes among them)")


if __name__ == "__main__":
    main()
