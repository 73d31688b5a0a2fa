"""Benchmark how each report format scales: CPU time at one size and at four times that size.

    python benchmarks/report_scaling.py [--findings 5000] [--line 250000] [--repeat 3]

Two inputs, each rendered in every format at size n and 4n (best CPU time of ``--repeat`` runs,
``time.process_time``, in this process):

- **many findings**: n findings, one per line of a file of n lines;
- **one long line**: 60 findings (three rules, twenty each: the most one line shows) on one line
  of n cells, such as an e호조 row with extra cells.

A format linear in its input shows a ratio near 4 for both; a quadratic one near 16. The
``full`` format was quadratic on the long line (a 9 KB export with one 4,000-cell row took 20 s).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
#: Every run checks its files afresh: the results cache (.auditor_cache) would answer the repeats from
#: the first run (benchmarks/cache.py measures the cache itself). Inherited by the child processes.
os.environ["AUDITOR_NO_RESULTS_CACHE"] = "1"
sys.path.insert(0, str(REPO))

from auditor import report  # noqa: E402
from auditor.findings import Finding, Severity  # noqa: E402
from auditor.result import CheckedFile, CheckResult  # noqa: E402


def finding(line: int, column: int, code: str) -> Finding:
    return Finding(code, "bench.rule", Severity.WARNING, "x.csv", line, "칸을 읽지 않았습니다", "a cell was not read",
                   column=column, key=f"{code}:{line}:{column}", context=(("department", "문화예술과"),))


def many_findings(n: int) -> CheckResult:
    lines = [f"2027,본예산,문화예술과,행 {i},\"3,500,000원*4회\",14,000" for i in range(1, n + 1)]
    return CheckResult([CheckedFile("x.csv", lines)], [finding(i, 5, "PARSE006") for i in range(1, n + 1)])


def one_long_line(cells: int) -> CheckResult:
    text = ",".join(["가"] * cells)
    findings = [finding(2, c, code) for code in ("A001", "B001", "C001") for c in range(1, 2 * cells, 2 * cells // 20)]
    return CheckResult([CheckedFile("x.csv", ["head", text, "tail"])], sorted(findings, key=Finding.sort_key))


def cpu(fmt: str, result: CheckResult, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        for _piece in report.chunks(fmt, result):
            pass
        best = min(best, time.process_time() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--findings", type=int, default=5000)
    parser.add_argument("--line", type=int, default=250_000, help="cells of the long line")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    cases = (("many findings", many_findings, args.findings), ("one long line", one_long_line, args.line))
    print(f"{'format':<10} {'input':<14} {'n':>9} {'cpu n':>8} {'cpu 4n':>8} {'ratio':>6}")
    for fmt in report.FORMATS:
        for name, make, n in cases:
            small, large = cpu(fmt, make(n), args.repeat), cpu(fmt, make(4 * n), args.repeat)
            ratio = large / small if small > 0 else float("nan")
            print(f"{fmt:<10} {name:<14} {n:>9,} {small:>7.3f}s {large:>7.3f}s {ratio:>6.1f}")


if __name__ == "__main__":
    main()
