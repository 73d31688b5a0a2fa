"""Benchmark the rules alone, in process: CPU time per generated sheet, rule by rule, and Python calls per sheet.

    python benchmarks/rules.py [--count 300] [--repeat 5] [--top 12] [--reference]

The sheets (:func:`auditor.testing.generate_sheet`, a tenth of them with one fault, as
``benchmarks/check.py``'s corpus) are generated and read once, before anything is timed; then:

- all rules, ``RuleSet.check(sheet)`` over every sheet: the best of ``--repeat`` runs of CPU time
  (``time.process_time``), per sheet, twice: *cold*, with the process's memo caches of formula
  values, shapes and names emptied before each run (so the rules compute what the reader did not,
  as in a run over new sheets), and *warm*, each sheet checked once, untimed, just before it is
  timed (so every formula's value and rounding check is already at hand: what the rules cost
  once the reader computes them, as ``BasisItem.calc`` will);
- rule by rule, warm, ``Rule.check`` over every sheet with each sheet's shared element lists made
  beforehand: best of ``--repeat``, per sheet, the costliest first;
- Python function calls per sheet for ``RuleSet.check``, cold and warm (cProfile's count, which
  the load on a shared machine does not change).

``--reference`` runs every element through the explaining evaluator (as before the compiled fast
path), for the before/after comparison. Numbers are printed; nothing is asserted. Unit tests
never time anything.
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

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # run from a checkout without installing

from auditor.engine import load_ruleset  # noqa: E402
from auditor.engine.rule import SheetCache  # noqa: E402
from auditor.readers import read_bytes  # noqa: E402
from auditor.testing import KINDS, generate_sheet  # noqa: E402


def corpus(count: int) -> list:
    """``count`` generated sheets, read: a tenth of them with one fault, cycling through the kinds."""
    kinds, sheets, injected = list(KINDS), [], 0
    for i in range(count):
        faulty = random.Random(f"0/{i}/inject").random() < 0.1
        kind = kinds[injected % len(kinds)] if faulty else None
        injected += faulty
        sheets.append(read_bytes(generate_sheet(random.Random(f"0/{i}"), fault=kind).data, f"sheet_{i:05d}.txt"))
    return sheets


def clear_memos() -> None:
    """Empty auditor's bounded memo caches (formula values and shapes, names …), not its built grammars."""
    for name, module in list(sys.modules.items()):
        if name.split(".")[0] != "auditor":
            continue
        for value in list(vars(module).values()):
            info = getattr(value, "cache_info", None)
            if info is not None and callable(info) and (info().maxsize or 0) > 8:
                value.cache_clear()


def best(repeat: int, run, cold: bool = False) -> float:
    """The least CPU time of ``repeat`` runs of ``run()``; ``cold``: memo caches emptied before each."""
    times = []
    for _ in range(repeat):
        if cold:
            clear_memos()
        start = time.process_time()
        run()
        times.append(time.process_time() - start)
    return min(times)


def warm(repeat: int, items: list, run) -> float:
    """The least, over ``repeat`` runs, of the CPU time of ``run(item)`` for every item, each
    timed right after an untimed ``run(item)``."""
    times = []
    for _ in range(repeat):
        total = 0.0
        for item in items:
            run(item)
            start = time.process_time()
            run(item)
            total += time.process_time() - start
        times.append(total)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=300, help="generated sheets (default 300)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure; the least CPU time is kept")
    parser.add_argument("--top", type=int, default=12, help="rules listed, the costliest first (0: all)")
    parser.add_argument("--reference", action="store_true",
                        help="every element through the explaining evaluator (no fast path)")
    args = parser.parse_args()
    if args.reference:
        os.environ["AUDITOR_ENGINE"] = "reference"
    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    rules = load_ruleset()
    sheets = corpus(args.count)
    n = len(sheets)
    findings = sum(len(rules.check(s)) for s in sheets)  # also warms what is made once per rule set
    print(f"{n} sheets, {findings} findings; engine: {'reference (explaining only)' if args.reference else 'fast path'}")
    cold = best(args.repeat, lambda: [rules.check(s) for s in sheets], cold=True)
    print(f"all rules, cold: {cold / n * 1000:.3f} ms per sheet (CPU, best of {args.repeat})")
    hot = warm(args.repeat, sheets, rules.check)
    print(f"all rules, warm: {hot / n * 1000:.3f} ms per sheet (CPU, best of {args.repeat})")

    shared = [SheetCache(s) for s in sheets]
    checked = [r for r in rules.rules if not r.reader]
    for cache in shared:
        for r in checked:
            for path in r.over:
                cache.elements(path)
    per_rule = []
    for r in checked:
        def run(pair, r=r) -> None:
            r.check(pair[0], rules.vocab, pair[1], reference=args.reference)
        per_rule.append((warm(args.repeat, list(zip(sheets, shared)), run) / n * 1000, r.code))
    per_rule.sort(reverse=True)
    shown = per_rule if args.top == 0 else per_rule[: args.top]
    print(f"rule by rule, warm (ms per sheet, elements listed beforehand; sum {sum(t for t, _ in per_rule):.3f}):")
    for t, code in shown:
        print(f"  {code:<10} {t:.4f}")

    clear_memos()
    profile = cProfile.Profile()
    profile.enable()
    for s in sheets:
        rules.check(s)
    profile.disable()
    calls = pstats.Stats(profile).total_calls  # type: ignore[attr-defined]
    profile = cProfile.Profile()
    for s in sheets:
        rules.check(s)
        profile.enable()
        rules.check(s)
        profile.disable()
    warm_calls = pstats.Stats(profile).total_calls  # type: ignore[attr-defined]
    print(f"Python calls per sheet (RuleSet.check, cProfile): {calls / n:,.0f} cold, {warm_calls / n:,.0f} warm")


if __name__ == "__main__":
    main()
