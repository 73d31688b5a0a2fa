"""Benchmark ``auditor check`` end to end over generated sheets: sheets/s, formulas/s, memory, floor ratio.

    python benchmarks/check.py [--counts 1000,10000] [--repeat 3] [--memory-runs 5] [--dir DIR]

For each count, the corpus generator (:func:`auditor.testing.write_corpus`, shared with the
end-to-end and accuracy tests) writes consistent sheets of every size, formula syntax, layout
noise and encoding, with one known fault in a tenth of them. Then, each in its own process:

- ``auditor check DIR --output-format json --output-file F`` with ``--jobs 1`` and ``--jobs 2``:
  best wall time of ``--repeat`` runs (interpreter start-up and imports included), and for
  ``--jobs 1`` the best CPU time (user + system of the run's processes, which another process on
  a shared machine does not inflate), sheets/s, formulas/s (산출근거 lines with a formula, counted
  once beforehand with auditor's reader) and the peak resident memory of the run (``ru_maxrss`` of
  the children, the worker processes included): for ``--jobs 1``, the median of ``--memory-runs``
  runs (the timed runs and as many more as it takes) with the smallest and the largest beside it;
- the ``--jobs 2`` speed-up: ``--rounds`` rounds of one ``--jobs 1`` and one ``--jobs 2`` run back to back
  (in turn which goes first), the figure the median of the rounds' ratios with the quartiles beside it.
  The best of ``--repeat`` runs of each mode, taken minutes apart, compared two states of a host whose
  speed moves by ±10% between minutes (the same code gave 1.75× and 1.83× in one hour, and one run
  1.41×); a round's two runs are seconds apart, and a disturbed run makes one round's ratio an outlier,
  which the median leaves out, rather than moving a best. The best-of figure is printed beside it;
- the floor: one Python process that only reads the same files and finds every number in them
  with one compiled regex. The ratio auditor/floor says how far the tool is from the cost of
  merely looking at the bytes;
- ``auditor check`` on one sheet: wall and CPU time, imports included (target under 0.3 s);
- one file of many sheets run together (0.25, 1 and 4 MiB, ``--max-file-size 0``), read as one
  sheet each (``auditor.readers.book``): CPU time per MiB, which is flat when the time is linear in
  the file's size. Two books: the first generated sheet repeated (one project with as many
  documents of one year, so the cross-document pass compares each with all the others; also shown
  without XDOC) and the corpus's sheets one after another (in UTF-8, as a city's book holds distinct
  projects).

*The memory figure.* The ratio of the peaks at the largest and the smallest count is the median over
the median, with the ratios of the smallest and of the largest peaks beside it. A run's peak is one
draw: each run has its own string hash seed (``PYTHONHASHSEED`` is left as the environment has it),
which moves where the allocator puts things. Until the cross index stopped growing one buffer, a
1,000-sheet run's peak was 37.2 or 39.8 MB by the seed (the buffer copied where it could not grow in
place; docs/performance.md, "Memory: one draw, and what grows"), and this script took the largest of
three runs, so the unlucky draw. Runs now agree within about 0.2 MB, and the median is still the figure.

The rule-pack cache is warmed once before timing (as it is on any machine after the first run),
and auditor's modules are byte-compiled first (``compileall``, into the checkout's ignored
``__pycache__``), as ``pip install`` compiles them: under ``PYTHONDONTWRITEBYTECODE=1`` a checkout
would otherwise compile every module from source in every process.
Numbers are printed; nothing is asserted. Unit tests never time anything.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
#: Every run checks its files afresh: the results cache (.auditor_cache) would answer the repeats from
#: the first run (benchmarks/cache.py measures the cache itself). Inherited by the child processes.
os.environ["AUDITOR_NO_RESULTS_CACHE"] = "1"
sys.path.insert(0, str(REPO))  # run from a checkout without installing

from auditor.readers.decode import decode  # noqa: E402
from auditor.testing import write_corpus  # noqa: E402

FLOOR = r"""
import os, re, sys
number = re.compile(rb"[0-9][0-9,]*")
found = 0
for root, dirs, files in os.walk(sys.argv[1]):
    dirs.sort()
    for name in sorted(files):
        if name.endswith(".txt"):
            with open(os.path.join(root, name), "rb") as f:
                found += len(number.findall(f.read()))
print(found)
"""


def _once(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, int, float, int]:
    """One run of ``cmd`` in a fresh child: its wall time, peak RSS (KiB), CPU time (user + system of the run
    and its workers) and minor page faults (of the run and its workers; ``--jobs 2`` pays one for each page
    of the parent's that either process writes after the fork, docs/performance.md).

    ``ru_maxrss`` of RUSAGE_CHILDREN is the largest of all children so far, so each measurement
    runs in its own wrapper process that reports only its own children.
    """
    wrapper = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter(); p = subprocess.run(sys.argv[1:], capture_output=True)\n"
        "t = time.perf_counter() - t\n"
        "sys.stderr.write(p.stderr.decode('utf-8', 'replace')[-2000:])\n"
        "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(t, u.ru_maxrss, p.returncode, u.ru_utime + u.ru_stime, u.ru_minflt)\n"
    )
    proc = subprocess.run([sys.executable, "-c", wrapper, *cmd], cwd=REPO, capture_output=True, text=True, env=env)
    seconds, rss, code, used, faults = proc.stdout.split()
    if int(code) not in (0, 1):
        sys.exit(f"{' '.join(cmd)} exited {code}:\n{proc.stderr}")
    return float(seconds), int(rss), float(used), int(faults)


def measured(cmd: list[str], repeat: int, env: dict[str, str] | None = None,
             memory_runs: int = 0) -> tuple[float, list[int], float]:
    """Best wall time and best CPU time (user + system of the run and its workers) of ``repeat`` runs,
    and the peak RSS (KiB) of each run: of ``max(repeat, memory_runs)`` runs, the ones past ``repeat``
    measuring memory only. Each run is a fresh child (:func:`_once`).
    """
    best, peaks, cpu = float("inf"), [], float("inf")
    for run in range(max(repeat, memory_runs)):
        seconds, rss, used, _ = _once(cmd, env)
        peaks.append(rss)
        if run < repeat:
            best, cpu = min(best, seconds), min(cpu, used)
    return best, peaks, cpu


class Paired:
    """What :func:`paired_ratio` measured: the median wall ratio with its quartiles, the median CPU ratio,
    the median minor page faults of each command, and the load average (1 minute) before and after."""

    def __init__(self, median: float, q1: float, q3: float, cpu: float, faults: tuple[int, int],
                 load: tuple[float, float]) -> None:
        self.median, self.q1, self.q3, self.cpu, self.faults, self.load = median, q1, q3, cpu, faults, load


def paired_ratio(first: list[str], second: list[str], rounds: int, env: dict[str, str] | None = None) -> Paired:
    """The median, first and third quartile of ``rounds`` ratios, each the wall time of ``first`` over that of
    ``second`` run back to back in one round (``second`` first in every other round, so that neither is always
    the one after a pause), and the median of the rounds' CPU ratios, ``second`` over ``first`` (user and
    system time of every process of the run). Each run is a fresh child (:func:`_once`).

    The CPU ratio says where a speed-up short of its model goes: with ``S`` the CPU the parent spends alone
    (before the fork and after the last file), the wall ratio is about ``2 * cpu1 / (cpu2 + S)``; the
    instruction counts put ``cpu2`` at 1.024 ``cpu1`` at 1,000 sheets (docs/performance.md), and what a run
    spends beyond that (page faults after the fork, two processes slowing each other) shows here, with the
    page faults of each beside it. The load average says whether the host had two CPUs to give: a round is
    worth nothing on a host whose other work takes one of them."""
    ratios, cpus, faults = [], [], ([], [])
    load = os.getloadavg()[0]
    for run in range(rounds):
        order = (first, second) if run % 2 == 0 else (second, first)
        wall, cpu, pages = {}, {}, {}
        for cmd in order:
            wall[id(cmd)], _, cpu[id(cmd)], pages[id(cmd)] = _once(cmd, env)
        ratios.append(wall[id(first)] / wall[id(second)])
        cpus.append(cpu[id(second)] / cpu[id(first)])
        faults[0].append(pages[id(first)])
        faults[1].append(pages[id(second)])
    q1, q3 = (statistics.quantiles(ratios, n=4)[::2] if len(ratios) > 1 else (ratios[0], ratios[0]))
    return Paired(statistics.median(ratios), q1, q3, statistics.median(cpus),
                  (round(statistics.median(faults[0])), round(statistics.median(faults[1]))),
                  (load, os.getloadavg()[0]))


def spread(peaks: list[int]) -> str:
    """``peaks`` (KiB) as their median in MiB, with the smallest and the largest and the count of runs."""
    if len(peaks) == 1:
        return f"{peaks[0] / 1024:.1f} MiB (one run)"
    return (f"{statistics.median(peaks) / 1024:.1f} MiB median of {len(peaks)} runs "
            f"({min(peaks) / 1024:.1f}–{max(peaks) / 1024:.1f})")


def count_formulas(directory: Path) -> int:
    """산출근거 lines (groups and items) with a formula, over every sheet, read with auditor's reader."""
    from auditor import read_file

    total = 0
    for path in sorted(directory.rglob("*.txt")):
        for category in read_file(path).basis.categories:
            for group in category.groups:
                total += group.formula is not None
                total += sum(item.formula is not None for item in group.items)
    return total


def _book(sheets: list[bytes], size: int) -> bytes:
    """At least ``size`` bytes of whole sheets run together: ``sheets`` one after another, again if need be."""
    out, total = [], 0
    while total < size:
        for sheet in sheets:
            out.append(sheet)
            total += len(sheet)
            if total >= size:
                break
    return b"".join(out)


def _sheets(data: bytes) -> int:
    from auditor.readers.book import split

    return len(split(decode(data))[1])


def check_cmd(target: Path, jobs: int, out: Path) -> list[str]:
    return [sys.executable, "-m", "auditor", "check", str(target), "--isolated", "--jobs", str(jobs),
            "--output-format", "json", "--output-file", str(out), "-q"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", default="1000,10000", help="comma-separated corpus sizes (default 1000,10000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure; the best wall time is kept")
    parser.add_argument("--rounds", type=int, default=15,
                        help="rounds of --jobs 1 then --jobs 2 (in turn) for the speed-up: the median ratio (default 15)")
    parser.add_argument("--memory-runs", type=int, default=5,
                        help="runs of --jobs 1 per count whose peak memory is taken (the median; default 5)")
    parser.add_argument("--dir", type=Path, default=None, help="generate under here (default: a temporary directory)")
    args = parser.parse_args()
    counts = [int(c) for c in args.counts.split(",")]
    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    with tempfile.TemporaryDirectory() as tmp:
        base = args.dir or Path(tmp)
        out = Path(tmp) / "report.json"
        compiled = {k: v for k, v in os.environ.items() if k != "PYTHONPYCACHEPREFIX"}
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "auditor")], env=compiled,
                       check=True, stdout=subprocess.DEVNULL)
        peaks = {}
        for count in counts:
            directory = base / f"corpus-{count}"
            write_corpus(directory, count, inject=0.1)
            formulas = count_formulas(directory)
            size = sum(p.stat().st_size for p in directory.rglob("*.txt"))
            print(f"\n{count:,} sheets, {formulas:,} formulas, {size / 2**20:.1f} MiB")
            first = min(directory.rglob("*.txt"))
            subprocess.run(check_cmd(first, 1, out), cwd=REPO, capture_output=True, env=compiled)  # warm the pack cache
            floor, _, floor_cpu = measured([sys.executable, "-c", FLOOR, str(directory)], args.repeat)
            times, cpu = {}, {}
            for jobs in (1, 2):
                seconds, runs, cpu[jobs] = measured(check_cmd(directory, jobs, out), args.repeat, compiled,
                                                    args.memory_runs if jobs == 1 else 0)
                times[jobs] = seconds
                if jobs == 1:
                    peaks[count] = runs
                print(f"  --jobs {jobs}: {seconds:.2f} s = {count / seconds:,.0f} sheets/s, "
                      f"{formulas / seconds:,.0f} formulas/s, peak RSS {spread(runs)}")
            print(f"  --jobs 1, CPU time: {cpu[1]:.2f} s = {count / cpu[1]:,.0f} sheets per CPU-second (target >= 500)")
            paired = paired_ratio(check_cmd(directory, 1, out), check_cmd(directory, 2, out), args.rounds, compiled)
            print(f"  --jobs 2 speed-up: {paired.median:.3f}x, median of {args.rounds} rounds' ratios (quartiles "
                  f"{paired.q1:.3f}-{paired.q3:.3f}; best of {args.repeat} each {times[1] / times[2]:.2f}x) "
                  f"(target >= 1.8x); CPU of --jobs 2 over --jobs 1 {paired.cpu:.3f}x; minor page faults "
                  f"{paired.faults[0]:,} -> {paired.faults[1]:,}; load average {paired.load[0]:.2f} -> {paired.load[1]:.2f}")
            print(f"  floor (read + one regex): {floor:.2f} s wall, {floor_cpu:.2f} s CPU; auditor --jobs 1 / floor = "
                  f"{times[1] / floor:.1f}x wall, {cpu[1] / floor_cpu:.1f}x CPU (target <= 40x)")
        if len(peaks) > 1:
            low, high = min(peaks), max(peaks)
            median = statistics.median(peaks[high]) / statistics.median(peaks[low])
            print(f"\npeak memory {high:,} / {low:,} sheets, --jobs 1: {median:.2f}x median over median "
                  f"(target <= 1.2x); smallest over smallest {min(peaks[high]) / min(peaks[low]):.2f}x, "
                  f"largest over largest {max(peaks[high]) / max(peaks[low]):.2f}x")
        one = sorted((base / f"corpus-{counts[0]}").rglob("*.txt"))[0]
        single, _, single_cpu = measured(check_cmd(one, 1, out), max(args.repeat, 5), compiled)
        print(f"one sheet: {single:.2f} s wall, {single_cpu:.2f} s CPU, imports included (target < 0.3 s)")
        distinct = ["\n".join(decode(p.read_bytes()).lines).encode("utf-8") + b"\n"
                    for p in sorted((base / f"corpus-{counts[0]}").rglob("*.txt"))]
        for kind, source in (("the first sheet repeated", [one.read_bytes()]), ("the corpus's sheets", distinct)):
            for ignore in ([], ["--ignore", "XDOC"]) if source is not distinct else ([],):
                per_mib, spent = {}, {}
                for size in (256 * 1024, 1024 * 1024, 4 * 1024 * 1024):
                    data = _book(source, size)
                    path = Path(tmp) / f"many-{size // 1024}k.txt"
                    path.write_bytes(data)
                    runs = args.repeat if size < 4 * 1024 * 1024 else min(args.repeat, 2)
                    _, _, used = measured(check_cmd(path, 1, out) + ["--max-file-size", "0", *ignore], runs, compiled)
                    per_mib[size] = used / (len(data) / 2**20)
                    spent[size] = (len(data) / 2**20, used)
                    print(f"one file, {kind}{' (--ignore XDOC)' if ignore else ''}: {len(data) / 2**20:.2f} MiB, "
                          f"{_sheets(data)} sheets, {used:.2f} s CPU = {per_mib[size]:.2f} s per MiB")
                (m1, c1), (m2, c2), (m3, c3) = spent.values()
                first, second = (c2 - c1) / (m2 - m1), (c3 - c2) / (m3 - m2)
                print(f"  CPU per added MiB (start-up left out): 0.25 to 1 MiB {first:.2f} s, 1 to 4 MiB {second:.2f} s: "
                      f"{second / first:.2f}x (1.0x is linear)")
        for real in sorted((REPO / "examples" / "sheets").glob("*.txt")):
            seconds, _, used = measured(check_cmd(real, 1, out), max(args.repeat, 5), compiled)
            print(f"one sheet, {real.name}: {seconds:.2f} s wall, {used:.2f} s CPU")


if __name__ == "__main__":
    main()
