"""Benchmark ``auditor check`` over a directory of generated sheets with --jobs 1 and 2 (prints sheets/s).

    python benchmarks/check.py [--count 1000] [--repeat 3] [--dir DIR]

The sheets come from the corpus generator (:func:`auditor.testing.write_corpus`, also used by
the end-to-end and accuracy tests): consistent sheets of every size, formula syntax, layout noise
and encoding, with one known fault injected into a tenth of them (see ``answer-key.jsonl``).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # run from a checkout without installing

from auditor.testing import write_corpus  # noqa: E402


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
        write_corpus(directory, args.count, inject=0.1)
        outputs = {}
        for jobs in (1, 2):
            seconds, out, code = time_check(directory, jobs, args.repeat)
            outputs[jobs] = out
            print(f"--jobs {jobs}: {args.count} sheets in {seconds:.2f}s = {args.count / seconds:,.0f} sheets/s "
                  f"(exit {code}, best of {args.repeat}, includes interpreter start-up)")
        print("output identical across --jobs:", outputs[1] == outputs[2])


if __name__ == "__main__":
    main()
