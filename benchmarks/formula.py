"""Benchmark the formula grammar on one core: µs per formula by kind, uncached parses/s, then lines/s.

First, the CPU µs of one uncached ``parse_formula`` (every cache cleared before each text, so each
is a shape never seen) for three kinds of formula drawn as generated sheets draw them
(``auditor.testing.formulas``): flat (no bracket), bracketed, and errors (each a bracketed or flat
formula broken by one edit); the best of ``--repeat`` runs, since the machine may be shared.

The realistic stream repeats real lines (a share ``--fresh`` of them with new figures, so the
caches mostly hit); the all-distinct stream gives every line new figures (no text is seen twice,
though shapes repeat, as they do in real budgets: the grammar parses once per shape). The
uncached figures show a parse of new figures in a known shape, and of a shape never seen. Both are printed. Run from the repository root:
``python benchmarks/formula.py [--lines 100000] [--fresh 0.05]``. Figures are CPU seconds
(``time.process_time``), so other processes on the machine disturb them less.
"""

from __future__ import annotations

import argparse
import collections
import csv
import os
import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from auditor.formula import (  # noqa: E402
    CONVENTIONS_KO, FormulaSyntaxError, check_amount, evaluate, parse_amount, parse_formula, split_label,
    split_rhs,
)
from auditor.testing.formulas import FormulaStyle, draw_formula, render  # noqa: E402

#: One edit that breaks a formula: a doubled operator, a lost closing bracket, a word for a unit.
BREAKS = ((r"([*×xX·/÷])", r"\1\1"), (r"\)", ""), (r"원", "원정"), (r"([0-9]) *([*×xX])", r"\1 "))


def real_lines() -> list[tuple[str, str]]:
    """(description cell, right-hand side) of every real formula line: e호조 rows and both sheets."""
    lines = []
    for path in sorted((ROOT / "examples" / "eho").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        name, formula, amount = (rows[0].index(c) for c in ("산출근거명", "산출근거식", "예산액"))
        for row in rows[2:]:
            if row[formula].strip():
                label = row[name].lstrip(" Οο")
                lines.append((f"{label} {row[formula].strip()}", f"= {row[amount]}천원"))
    for path in sorted((ROOT / "examples" / "sheets").glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            match = re.search(r"(?:^|\t)[○ο\-][ \t]*([^\t]*?)[ \t]*\t+(=[ \t]*[0-9,]+천원)", line)
            if match and split_label(match[1])[1]:
                lines.append((match[1], match[2]))
    return lines


def vary(text: str, rng: random.Random) -> str:
    """*text* with its figures redrawn: a distinct formula of the same shape."""
    def redraw(match: re.Match) -> str:
        return f"{rng.randint(1, 10 ** len(match[0].replace(',', ''))):,}"
    return re.sub(r"[0-9][0-9,]*", redraw, text)


def kinds(rng: random.Random, count: int) -> dict[str, list[str]]:
    """*count* distinct texts of each kind: flat formulas, bracketed ones, and broken ones."""
    found: dict[str, dict[str, None]] = {"flat": {}, "bracketed": {}, "error": {}}
    while min(len(texts) for texts in found.values()) < count:
        style = FormulaStyle(rng, utf8=True)
        text = render(draw_formula(rng, style), style.spaced)[0]
        kind = "bracketed" if any(c in text for c in "()[]") else "flat"
        found[kind][text] = None
        pattern, repl = rng.choice(BREAKS)
        broken = re.sub(pattern, repl, text, count=1)
        try:
            parse_formula(broken)
        except FormulaSyntaxError:
            found["error"][broken] = None
    return {kind: list(texts)[:count] for kind, texts in found.items()}


def per_formula(texts: list[str], repeat: int) -> float:
    """The best over *repeat* runs of the CPU µs of one uncached parse_formula of each text."""
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        for text in texts:
            parse_formula.cache_clear()
            try:
                parse_formula(text)
            except FormulaSyntaxError:
                pass
        best = min(best, time.process_time() - start)
    start = time.process_time()
    for text in texts:  # what clearing the caches costs, left out of the figure
        parse_formula.cache_clear()
    return (best - (time.process_time() - start)) / len(texts) * 1e6


def rate(count: int, seconds: float) -> str:
    return f"{count / seconds:>10,.0f}/s  ({count:,} in {seconds:.2f}s)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=100_000, help="lines in each stream")
    parser.add_argument("--distinct", type=int, default=20_000, help="distinct formulas, uncached")
    parser.add_argument("--fresh", type=float, default=0.05,
                        help="share of realistic-stream lines with figures never seen before")
    parser.add_argument("--kinds", type=int, default=2_000, help="formulas of each kind for the µs figures")
    parser.add_argument("--repeat", type=int, default=5, help="runs of the µs figures; the best is shown")
    parser.add_argument("--only-kinds", action="store_true", help="print the µs per kind of formula, and stop")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    rng = random.Random(2026)
    for kind, texts in kinds(random.Random(13), args.kinds).items():
        print(f"parse_formula, uncached, {kind:>9}: {per_formula(texts, args.repeat):7.1f} µs per formula "
              f"(CPU, best of {args.repeat}, {len(texts):,} distinct)")
    if args.only_kinds:
        return
    lines = real_lines()
    formulas = [split_label(split_rhs(d)[0])[1] for d, _ in lines]
    print(f"real formula lines: {len(lines)} ({len(set(formulas))} distinct formulas)")

    seen = collections.Counter()
    for (description, rhs), formula in zip(lines, formulas):
        check = check_amount(evaluate(parse_formula(formula)), *parse_amount(rhs))
        assert check.ok, (description, rhs)
        seen[tuple(CONVENTIONS_KO[c] for c in CONVENTIONS_KO if c in check.conventions)] += 1
    print("conventions seen:", ", ".join(f"{'/'.join(k)}: {v}" for k, v in seen.most_common()))

    distinct = list(dict.fromkeys(vary(rng.choice(formulas), rng) for _ in range(args.distinct)))
    parse_formula.cache_clear()
    start = time.process_time()
    for text in distinct:
        parse_formula(text)
    print(f"parse_formula, distinct texts (real shapes, new figures): "
          f"{rate(len(distinct), time.process_time() - start)}")
    start = time.process_time()
    for text in distinct[:2000]:
        parse_formula.cache_clear()  # every text a shape never seen: the grammar itself
        parse_formula(text)
    print(f"parse_formula, every shape new (no cache at all):         "
          f"{rate(min(len(distinct), 2000), time.process_time() - start)}")

    for fresh in (args.fresh, 1.0):
        stream = [rng.choice(lines) for _ in range(args.lines)]
        stream = [(vary(d, rng), r) if rng.random() < fresh else (d, r) for d, r in stream]
        name = "realistic" if fresh < 1 else "all-distinct"
        for cache in (parse_formula, split_label):
            cache.cache_clear()
        start = time.process_time()
        for description, rhs in stream:
            check_amount(evaluate(parse_formula(split_label(description)[1])), *parse_amount(rhs))
        print(f"full line (split, parse, evaluate, parse_amount, check), {name} stream "
              f"[{fresh:.0%} fresh figures]: {rate(len(stream), time.process_time() - start)}")


if __name__ == "__main__":
    main()
