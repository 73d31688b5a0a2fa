"""Benchmark ``auditor check`` on generated e호조 exports: rows per CPU second, and peak memory by size.

    python benchmarks/eho.py [--rows 100000] [--sizes 10000,50000,100000] [--encoding utf-8|cp949]
                             [--profile ROWS] [--keep DIR]

Each export is written by :func:`auditor.testing.eho.write_export` (both header lines, the 22
named columns and 11 funding triples, Ο rows with formulas or with ο rows under them, 추경
restatements; consistent by construction, so a correct run finds nothing). Each size is checked
by one child process, ``python -m auditor check FILE --output-format json -o OUT``: reading, every
rule and the JSON report on one core. The figures are that child's own CPU time (user + system,
from ``os.wait4``) and its peak resident memory (``ru_maxrss``); the CPU time of a header-only
export (interpreter start-up and rule loading) is shown beside, and subtracted for rows/s net.

``--profile ROWS`` checks an export of ROWS rows in this process under cProfile and shows which
part of auditor the time goes to: the reader, the rule engine, the formula grammar, the report.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
#: Every run checks its files afresh: the results cache (.auditor_cache) would answer the repeats from
#: the first run (benchmarks/cache.py measures the cache itself). Inherited by the child processes.
os.environ["AUDITOR_NO_RESULTS_CACHE"] = "1"
sys.path.insert(0, str(REPO))

from auditor.testing.eho import write_export  # noqa: E402

#: Which part of auditor a source file belongs to, by path prefix (first match wins).
PARTS = (
    ("reader", "auditor/readers/"),
    ("formula grammar", "auditor/formula/"),
    ("rule engine", "auditor/engine/"),
    ("report", "auditor/report/"),
    ("model values", "auditor/source.py"),
    ("model values", "auditor/model.py"),
    ("runner, totals", "auditor/"),
)


def check_child(path: Path, out: Path) -> tuple[float, int, int]:
    """CPU seconds, peak RSS in KiB, and exit code of one ``auditor check`` child on ``path``."""
    cmd = [sys.executable, "-m", "auditor", "check", str(path), "--output-format", "json", "-o", str(out),
           "--isolated", "-q"]
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    if proc.returncode not in (0, 1):
        sys.exit(f"auditor exited {proc.returncode}:\n{err}")
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss, proc.returncode


def phases(path: Path) -> dict[str, float]:
    """CPU seconds, in this process, of reading alone, of reading and checking, and of the JSON report."""
    from auditor.discovery import Input
    from auditor.engine import load_ruleset
    from auditor.readers import iter_sheets
    from auditor.report import render
    from auditor.result import CheckResult
    from auditor.runner import check_one

    rules = load_ruleset()
    start = time.process_time()
    for _ in iter_sheets(path, path.name):
        pass
    read = time.process_time()
    checked, findings = check_one(Input(str(path), path.name), rules)
    checking = time.process_time()
    render("json", CheckResult([checked], findings, (), rules.docs()))
    return {"read": read - start, "read and check": checking - read, "JSON report": time.process_time() - checking}


def profile(path: Path) -> dict[str, float]:
    """Seconds per part of auditor for reading, checking and rendering JSON for ``path``, under cProfile."""
    from auditor.discovery import Input
    from auditor.engine import load_ruleset
    from auditor.report import render
    from auditor.result import CheckResult
    from auditor.runner import check_one

    rules = load_ruleset()
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    checked, findings = check_one(Input(str(path), path.name), rules)
    render("json", CheckResult([checked], findings, (), rules.docs()))
    profiler.disable()
    return attribute(pstats.Stats(profiler))


def attribute(stats: pstats.Stats) -> dict[str, float]:
    """Each function's own time charged to its part; a function outside auditor (a builtin, pyparsing,
    fractions, attrs …) is charged to the parts that called it, in proportion to the time each call took."""
    raw = stats.stats  # type: ignore[attr-defined]
    root = str(REPO) + os.sep

    def part_of(func: tuple) -> str | None:
        filename = func[0].replace(os.sep, "/")
        if filename.startswith(root.replace(os.sep, "/")):
            relative = filename[len(root):]
            return next((name for name, prefix in PARTS if relative.startswith(prefix)), None)
        return None

    cache: dict[tuple, dict[str, float]] = {}

    def shares(func: tuple, seen: frozenset = frozenset()) -> dict[str, float]:
        """How one second of ``func``'s own time splits between the parts."""
        if func in cache:
            return cache[func]
        part = part_of(func)
        if part is not None:
            result = {part: 1.0}
        else:
            callers = raw[func][4]
            total = sum(t[2] for t in callers.values())
            result = defaultdict(float)
            for caller, (_, _, tt, _) in callers.items():
                if caller in seen or not total:
                    continue
                for name, share in shares(caller, seen | {func}).items():
                    result[name] += share * tt / total
            result = dict(result) or {"other": 1.0}
        cache[func] = result
        return result

    out: dict[str, float] = defaultdict(float)
    for func, (_, _, tottime, _, _) in raw.items():
        for name, share in shares(func).items():
            out[name] += tottime * share
    return dict(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="rows of the export rows/s is measured on")
    parser.add_argument("--sizes", default="10000,50000,100000", help="sizes whose peak memory is shown")
    parser.add_argument("--encoding", default="utf-8", choices=("utf-8", "cp949", "utf-8-sig"))
    parser.add_argument("--profile", type=int, default=0, metavar="ROWS", help="also profile an export of ROWS rows")
    parser.add_argument("--keep", type=Path, default=None, help="write the exports here and keep them")
    args = parser.parse_args()
    sizes = sorted({int(s) for s in args.sizes.split(",") if s} | {args.rows})
    with tempfile.TemporaryDirectory() as tmp:
        directory = args.keep or Path(tmp)
        directory.mkdir(parents=True, exist_ok=True)
        empty = directory / "eho-0.csv"
        write_export(str(empty), 0, encoding=args.encoding)
        base_cpu, base_rss, _ = check_child(empty, directory / "out-0.json")
        print(f"start-up (header only): {base_cpu:.2f} s CPU, peak {base_rss / 1024:.0f} MiB")
        print(f"{'rows':>8}  {'file MiB':>8}  {'CPU s':>7}  {'rows/s':>8}  {'rows/s net':>10}  {'peak MiB':>8}  findings")
        for rows in sizes:
            path = directory / f"eho-{rows}.csv"
            size = write_export(str(path), rows, seed=rows, encoding=args.encoding)
            out = directory / f"out-{rows}.json"
            cpu, rss, code = check_child(path, out)
            found = json.loads(out.read_text(encoding="utf-8"))["summary"]
            net = max(cpu - base_cpu, 1e-9)
            print(f"{rows:>8,}  {size / 2**20:>8.1f}  {cpu:>7.2f}  {rows / cpu:>8,.0f}  {rows / net:>10,.0f}  "
                  f"{rss / 1024:>8.0f}  {found['errors']} errors, {found['warnings']} warnings, {found['info']} info"
                  f" (exit {code})")
        if args.profile:
            path = directory / f"eho-profile-{args.profile}.csv"
            write_export(str(path), args.profile, seed=7, encoding=args.encoding)
            timed = phases(path)
            print(f"phases of {args.profile:,} rows, CPU seconds in one process (no profiler):")
            checking = timed["read and check"]
            print(f"  reading alone      {timed['read']:>7.2f} s  ({args.profile / timed['read']:,.0f} rows/s)")
            print(f"  reading + rules    {checking:>7.2f} s  ({args.profile / checking:,.0f} rows/s; "
                  f"reading is {100 * timed['read'] / checking:.0f} %)")
            print(f"  JSON report        {timed['JSON report']:>7.2f} s")
            spent = profile(path)
            total = sum(spent.values())
            print(f"profile of the same ({total:.1f} s CPU under cProfile, which slows call-heavy code most):")
            for name, seconds in sorted(spent.items(), key=lambda kv: -kv[1]):
                print(f"  {name:<16} {seconds:>7.2f} s  {100 * seconds / total:>5.1f} %")


if __name__ == "__main__":
    main()
