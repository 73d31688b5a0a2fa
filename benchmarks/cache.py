"""Benchmark the results cache: re-checking an unchanged book against checking it the first time.

    python benchmarks/cache.py [--count 2000] [--repeat 3] [--jobs 1]

The corpus generator (:func:`auditor.testing.write_corpus`) writes ``--count`` sheets, one known
fault in a tenth of them. Then, each in a fresh process (``auditor check DIR --isolated
--output-format json -o F -q``, imports and start-up included), best of ``--repeat`` runs, CPU
time (user + system, of the process and its workers) and wall time:

- ``--no-cache``: the run without the cache;
- **first run**: an empty cache folder each time (checks every sheet and writes every entry);
- **unchanged**: the same book again, every sheet a hit (target: under 10% of the first run);
- **one sheet changed**: one sheet edited before each run, so exactly that sheet is checked.

The reports of the first and the unchanged runs must be byte-identical (the script stops if not).
The rule-pack cache is warmed and auditor's modules byte-compiled first, as in benchmarks/check.py.
Numbers are printed; nothing is asserted. Unit tests never time anything.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # run from a checkout without installing

from auditor.testing import write_corpus  # noqa: E402

WRAPPER = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter(); p = subprocess.run(sys.argv[1:], capture_output=True)\n"
    "t = time.perf_counter() - t\n"
    "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "sys.stderr.write(p.stderr.decode('utf-8', 'replace')[-2000:])\n"
    "print(t, u.ru_utime + u.ru_stime, p.returncode)\n"
)


def measured(cmd: list[str], repeat: int, env: dict[str, str], before=None) -> tuple[float, float]:
    """Best wall time and best CPU time (user + system, children included) of ``repeat`` runs; ``before``
    is called before each run (to empty the cache, or to change a sheet)."""
    wall, cpu = float("inf"), float("inf")
    for _ in range(repeat):
        if before is not None:
            before()
        proc = subprocess.run([sys.executable, "-c", WRAPPER, *cmd], cwd=REPO, capture_output=True, text=True, env=env)
        seconds, used, code = proc.stdout.split()
        if int(code) not in (0, 1):
            sys.exit(f"{' '.join(cmd)} exited {code}:\n{proc.stderr}")
        wall, cpu = min(wall, float(seconds)), min(cpu, float(used))
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000, help="sheets in the book (default 2000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure; the best is kept")
    parser.add_argument("--jobs", type=int, default=1, help="--jobs of the runs (default 1)")
    args = parser.parse_args()
    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPYCACHEPREFIX", "AUDITOR_NO_CACHE", "AUDITOR_NO_RESULTS_CACHE", "GITHUB_ACTIONS")}
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "auditor")], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    with tempfile.TemporaryDirectory() as tmp:
        book, cache, out = Path(tmp) / "book", Path(tmp) / "cache", Path(tmp) / "report.json"
        write_corpus(book, args.count, inject=0.1)
        sheets = sorted(book.rglob("*.txt"))
        size = sum(p.stat().st_size for p in sheets)
        print(f"{len(sheets):,} sheets, {size / 2**20:.1f} MiB, --jobs {args.jobs}, best of {args.repeat}")

        def run(*extra: str) -> list[str]:
            return [sys.executable, "-m", "auditor", "check", str(book), "--isolated", "--jobs", str(args.jobs),
                    "--output-format", "json", "-o", str(out), "-q", *extra]

        subprocess.run(run("--no-cache"), cwd=REPO, capture_output=True, env=env)  # warm the rule-pack cache
        figures = {"no cache": measured(run("--no-cache"), args.repeat, env)}
        figures["first run"] = measured(run("--cache-dir", str(cache)), args.repeat, env,
                                        before=lambda: shutil.rmtree(cache, ignore_errors=True))
        first = out.read_bytes()
        figures["unchanged"] = measured(run("--cache-dir", str(cache)), args.repeat, env)
        if out.read_bytes() != first:
            sys.exit("the report from the cache differs from the report of the first run")
        victim = sheets[len(sheets) // 2]
        original = victim.read_bytes()  # the generator writes some sheets in CP949
        edits = iter(range(1, 10**6))

        def change_one() -> None:  # a new blank line at the end each time: a new entry, the same findings
            victim.write_bytes(original + b"\n" * next(edits))

        figures["one sheet changed"] = measured(run("--cache-dir", str(cache)), args.repeat, env, before=change_one)
        packs = sum(1 for _ in (cache / "results-1").glob("*.json"))
        cache_bytes = sum(p.stat().st_size for p in cache.rglob("*") if p.is_file())
        base_wall, base_cpu = figures["first run"]
        for name, (wall, cpu) in figures.items():
            print(f"  {name:18} {wall:6.2f} s wall ({wall / base_wall:6.1%})  {cpu:6.2f} s CPU ({cpu / base_cpu:6.1%})")
        print(f"  cache: {packs:,} packs (one per folder), {cache_bytes / 2**20:.1f} MiB; "
              f"unchanged / first run: {figures['unchanged'][1] / base_cpu:.1%} of the CPU (target under 10%)")


if __name__ == "__main__":
    main()
