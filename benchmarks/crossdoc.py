"""The cross-document pass: what it adds to ``auditor check`` over a multi-year book, and what its index holds.

    python benchmarks/crossdoc.py [--sheets 10000] [--years 4] [--runs 3] [--sizes 1000,2500,5000,10000]
                                  [--index 10000,20000,40000] [--book-dir DIR]

A book is generated with :mod:`auditor.testing.years` (``sheets / years`` projects over ``years``
successive years, each year's e호조 export holding every project's rows, some 추경 exports; consistent,
so nothing fails), once per size, under ``--book-dir`` (default: the system's temporary directory).

auditor's modules are byte-compiled first (``compileall``), as ``benchmarks/check.py`` does.

1. **Cost.** ``auditor check BOOK`` (every rule) against ``auditor check BOOK --ignore XDOC`` (no cross
   rule: no index is made and no cross pass runs), both with ``--no-cache`` (every file checked, as a
   first run checks them), each in a process of its own, alternately,
   ``--runs`` times: the CPU time (user + system) of each, best of the runs, and what the cross pass
   adds in percent. The machine may be shared: CPU time, not wall time, and the best run.
2. **Memory of a run.** The peak resident size of each of those runs, at each of ``--sizes``: a run
   grows no more than linearly with the book.
3. **The index.** In this process, the documents of the largest book are read and checked as
   ``auditor check`` does (``auditor.runner.check_one``), and their entries taken by a
   :class:`~auditor.crossdoc.pipeline.CrossPass`; then copies of them (each with strings and data of
   its own) up to each of ``--index``: the bytes per entry in memory and in the store, and the traced
   peak (``tracemalloc``) of holding them, extrapolated to 100,000 documents with the measured slope.

Never run by the tests: figures go to docs/performance.md with the machine and the method.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# this script's directory, first on the path, holds html.py: the standard library's must win
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

#: Runs a command and prints its CPU time and peak memory, as the kernel counted them for it alone.
LAUNCHER = """
import json, resource, subprocess, sys
p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
u = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"code": p.returncode, "cpu": u.ru_utime + u.ru_stime, "rss_kib": u.ru_maxrss,
                  "stderr": p.stderr.decode()[-500:]}))
"""


def book(sheets: int, years: int, base: Path) -> Path:
    """The consistent book of ``sheets`` sheets (made once, then reused)."""
    from auditor.testing.years import generate_book, write_book

    root = base / f"auditor-crossdoc-book-{sheets}x{years}"
    done = root / ".complete"
    if not done.exists():
        started = time.perf_counter()
        write_book(root, generate_book("bench", projects=max(1, sheets // years), years=years))
        done.write_text("", encoding="utf-8")
        print(f"  generated {root} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return root


def measure(args: list[str], cwd: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "AUDITOR_ENGINE")}
    env["PYTHONPATH"] = str(ROOT)
    out = subprocess.run([sys.executable, "-c", LAUNCHER, sys.executable, "-m", "auditor", *args], cwd=cwd,
                         capture_output=True, text=True, env=env)
    result = json.loads(out.stdout)
    if result["code"] not in (0, 1):
        raise SystemExit(f"auditor {' '.join(args)} failed ({result['code']}): {result['stderr']}")
    return result


def cost(root: Path, runs: int) -> dict:
    """Best CPU and peak memory of ``auditor check`` with and without the cross rules."""
    common = ["check", ".", "--isolated", "--no-cache", "-q", "--output-format", "json", "-o", os.devnull]
    best = {"with": [float("inf"), 0], "without": [float("inf"), 0]}
    for _ in range(runs):
        for name, extra in (("with", []), ("without", ["--ignore", "XDOC"])):
            r = measure(common + extra, root)
            best[name][0] = min(best[name][0], r["cpu"])
            best[name][1] = max(best[name][1], r["rss_kib"])
    cpu_with, cpu_without = best["with"][0], best["without"][0]
    return {"cpu_with": cpu_with, "cpu_without": cpu_without,
            "added_percent": 100 * (cpu_with - cpu_without) / cpu_without,
            "rss_with_mib": best["with"][1] / 1024, "rss_without_mib": best["without"][1] / 1024}


def index_memory(root: Path, sizes: list[int]) -> dict:
    """Bytes per entry, and the traced peak of an index of each of ``sizes`` entries."""
    from auditor.crossdoc.index import Entry
    from auditor.crossdoc.pipeline import CrossPass
    from auditor.discovery import discover
    from auditor.engine import load_ruleset
    from auditor.result import KEEP_NONE
    from auditor.runner import check_one

    rules = load_ruleset()
    found = discover([str(root)], root=root)
    taken = CrossPass(rules)
    started = time.process_time()
    for item in found.inputs:
        outcome = check_one(item, rules, KEEP_NONE)
        taken.take(outcome[0])
    real = list(taken.entries)
    per_entry = sum(e.size for e in real) / len(real)
    data = sum(e.bytes for e in real) / len(real)
    out = {"documents": len(real), "check_seconds": time.process_time() - started,
           "bytes_in_memory_per_entry": per_entry, "bytes_stored_per_entry": data, "peaks": {}}
    for size in sizes:
        tracemalloc.start()
        index = CrossPass(rules)
        for n in range(size):  # copies with strings and data of their own, as distinct documents have
            e = real[n % len(real)]
            copy = Entry(e.kind, f"{e.path}#{n}", e.name + str(n), e.department + str(n), e.account + str(n), e.year,
                         e.line, bytes(bytearray(e.packed())))
            index.entries.extend((index.store.keep(copy),))  # as the pass takes a file's entries (CrossPass.take)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        out["peaks"][size] = peak
        index.store.close()
        del index
    xs = sorted(out["peaks"])
    if len(xs) > 1:
        slope = (out["peaks"][xs[-1]] - out["peaks"][xs[0]]) / (xs[-1] - xs[0])
        out["slope_bytes_per_entry"] = slope
        out["extrapolated_100000_mib"] = (out["peaks"][xs[-1]] + slope * (100_000 - xs[-1])) / 2**20
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sheets", type=int, default=10_000, help="sheets of the book timed (default 10000)")
    parser.add_argument("--years", type=int, default=4, help="successive years (default 4)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each command; the best is kept (default 3)")
    parser.add_argument("--sizes", default="", help="comma-separated book sizes for the memory of a run")
    parser.add_argument("--index", default="10000,20000,40000", help="comma-separated index sizes traced")
    parser.add_argument("--book-dir", type=Path, default=Path(tempfile.gettempdir()), help="where books are kept")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"{platform.platform()}")
    # auditor's modules byte-compiled first, as benchmarks/check.py does (and as ``pip install`` does):
    # under PYTHONDONTWRITEBYTECODE=1 a checkout whose __pycache__ is stale would compile every module
    # from source in every run, which adds the same CPU to both commands and so lowers the share measured.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "auditor")], check=True,
                   env={k: v for k, v in os.environ.items() if k != "PYTHONPYCACHEPREFIX"}, stdout=subprocess.DEVNULL)
    report: dict = {"sheets": args.sheets, "years": args.years}
    sizes = [int(x) for x in args.sizes.split(",") if x] or [args.sheets]
    report["runs"] = {}
    for size in sorted(set(sizes) | {args.sheets}):
        root = book(size, args.years, args.book_dir)
        files = sum(1 for _ in root.rglob("*.*"))
        r = cost(root, args.runs)
        report["runs"][size] = r
        print(f"book of {size:,} sheets ({files:,} files): check {r['cpu_without']:.2f} s CPU without the cross rules, "
              f"{r['cpu_with']:.2f} s with them (+{r['added_percent']:.1f}%); peak RSS {r['rss_without_mib']:.0f} / "
              f"{r['rss_with_mib']:.0f} MiB")
    sizes = [int(x) for x in args.index.split(",") if x]
    if sizes:
        m = index_memory(book(args.sheets, args.years, args.book_dir), sizes)
        report["index"] = m
        print(f"index: {m['documents']:,} documents, {m['bytes_in_memory_per_entry']:.0f} bytes in memory and "
              f"{m['bytes_stored_per_entry']:.0f} bytes stored per entry")
        for size, peak in sorted(m["peaks"].items()):
            print(f"  {size:,} entries: traced peak {peak / 2**20:.1f} MiB")
        if "extrapolated_100000_mib" in m:
            print(f"  slope {m['slope_bytes_per_entry']:.0f} bytes per entry: 100,000 entries ≈ "
                  f"{m['extrapolated_100000_mib']:.0f} MiB")
    print(json.dumps(report, indent=1, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
