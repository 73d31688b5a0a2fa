"""Benchmark ``auditor check`` over a directory of generated sheets with --jobs 1 and 2 (prints sheets/s).

    python benchmarks/check.py [--count 1000] [--repeat 3] [--dir DIR]

The sheets are made from the two real sheets in ``examples/sheets/`` by
:func:`generate_sheets` (also used by the end-to-end test): a new title and
every year shifted by the same offset, so their arithmetic stays consistent;
every ``inject_every``-th sheet gets the 예산현액 of its first 결산 row raised
by 100천원, a known error (SET001, SET002) for the rules to find.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SOURCES = sorted((REPO / "examples" / "sheets").glob("*.txt"))
_YEAR = re.compile(r"(?<![\d,.])(20[0-3]\d)(?![\d,])")
#: A 결산 row: year, then 최종예산, 전년이월, 예산변경 and 예산현액 (the 4th amount, group 2).
_SETTLEMENT_ROW = re.compile(r"^(20\d\d\t(?:\(x-\) [\d,]+\t){3}\(x-\) )([\d,]+)", re.MULTILINE)


def perturb(text: str, index: int, *, inject: bool) -> str:
    """One generated sheet: retitled, years shifted by ``index % 5``, optionally one 예산현액 broken."""
    shift = index % 5
    lines = text.split("\n")
    first = next((n for n, line in enumerate(lines) if line.strip()), None)
    if first is not None:  # the title is the first line with text
        lines[first] = f"{lines[first].rstrip()} (생성 {index:04d})"
    out = _YEAR.sub(lambda m: str(int(m.group(1)) + shift), "\n".join(lines))
    if inject:
        out = _SETTLEMENT_ROW.sub(
            lambda m: f"{m.group(1)}{int(m.group(2).replace(',', '')) + 100:,}", out, count=1
        )
    return out


def generate_sheets(directory: Path, count: int, *, inject_every: int = 10) -> list[tuple[Path, bool]]:
    """Write ``count`` sheets under ``directory`` in batches of 100; returns (path, has_injected_error)."""
    texts = [p.read_bytes().decode("utf-8") for p in SOURCES]
    made = []
    for i in range(count):
        inject = inject_every > 0 and i % inject_every == 0
        path = directory / f"batch_{i // 100:02d}" / f"sheet_{i:04d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(perturb(texts[i % len(texts)], i, inject=inject).encode("utf-8"))
        made.append((path, inject))
    return made


def time_check(directory: Path, jobs: int, repeat: int) -> tuple[float, bytes, int]:
    """Best wall time of ``repeat`` runs of ``python -m auditor check`` (json output), its output and exit code."""
    cmd = [sys.executable, "-m", "auditor", "check", str(directory), "--output-format", "json",
           "--isolated", "--jobs", str(jobs), "-q"]
    best, out, code = float("inf"), b"", -1
    for _ in range(repeat):
        start = time.perf_counter()
        proc = subprocess.run(cmd, cwd=REPO, capture_output=True)
        best = min(best, time.perf_counter() - start)
        out, code = proc.stdout, proc.returncode
        if code not in (0, 1):
            sys.exit(f"auditor exited {code}:\n{proc.stderr.decode('utf-8', 'replace')}")
    return best, out, code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--dir", type=Path, default=None, help="generate here (default: a temporary directory)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        directory = args.dir or Path(tmp) / "sheets"
        generate_sheets(directory, args.count)
        outputs = {}
        for jobs in (1, 2):
            seconds, out, code = time_check(directory, jobs, args.repeat)
            outputs[jobs] = out
            print(f"--jobs {jobs}: {args.count} sheets in {seconds:.2f}s = {args.count / seconds:,.0f} sheets/s "
                  f"(exit {code}, best of {args.repeat}, includes interpreter start-up)")
        print("output identical across --jobs:", outputs[1] == outputs[2])


if __name__ == "__main__":
    main()
