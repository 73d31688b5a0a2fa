"""Benchmark the HTML report of a whole book: page size, and how long headless Chromium takes to draw it.

    python benchmarks/html_report.py [--count 2000] [--repeat 3] [--dir DIR] [--chromium PATH]

The corpus generator (:func:`auditor.testing.write_corpus`, as ``python -m auditor.testing.corpus DIR
--count 2000 --inject 0.1``) writes a book with one known fault in a tenth of its sheets (about
1,200 findings for 2,000 sheets, most of them REVIEW info). ``auditor check`` writes its HTML report
twice: as it is by default (the findings index, then only the sheets with findings, two lines
around each finding) and with ``--html-full`` (every line of every sheet, as the report was before
it had an index). For each page:

- its size in bytes, and the number of table rows;
- the render time: headless Chromium loads the page from disk and takes a 1280×2000 screenshot, which
  waits for the whole document's layout. The figure is the best wall time of ``--repeat`` runs,
  less the best time of the same command on an empty page (the browser's start-up). (The CPU time
  of the browser is not given: its renderer processes are not all reaped by this process, so
  ``RUSAGE_CHILDREN`` misses most of it.) On a shared machine take the best of several runs.

Needs Debian's ``chromium`` (``apt-get install chromium``). Numbers are printed; nothing is asserted.
Unit tests never time anything; the size of the page is tested (tests/test_report_html_book.py).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
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

from auditor.testing import write_corpus  # noqa: E402


def chromium_time(chromium: str, page: Path, work: Path, repeat: int) -> float:
    """Best wall time of a headless screenshot of ``page`` (start-up, load, layout and paint)."""
    walls = []
    for i in range(repeat):
        start = time.perf_counter()
        subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--hide-scrollbars", f"--user-data-dir={work / f'profile{i}'}", "--window-size=1280,2000",
                        f"--screenshot={work / f'shot{i}.png'}", page.as_uri()],
                       check=True, capture_output=True, timeout=600)
        walls.append(time.perf_counter() - start)
        shutil.rmtree(work / f"profile{i}", ignore_errors=True)
    return min(walls)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=2000, help="sheets in the generated book")
    parser.add_argument("--repeat", type=int, default=3, help="browser runs per page (the best is kept)")
    parser.add_argument("--dir", type=Path, help="work directory (default: a temporary one)")
    parser.add_argument("--chromium", default=shutil.which("chromium") or shutil.which("chromium-browser"))
    args = parser.parse_args()
    if not args.chromium:
        sys.exit("benchmarks/html_report.py needs headless Chromium (Debian: apt-get install chromium)")
    work = args.dir or Path(tempfile.mkdtemp(prefix="auditor-html-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs; work in {work}")
    sheets = work / "sheets"
    if not sheets.exists():
        write_corpus(sheets, args.count, seed=0, inject=0.1)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("GITHUB_ACTIONS", None)
    pages = {"default": work / "report.html", "--html-full": work / "report-full.html"}
    for name, page in pages.items():
        extra = ["--html-full"] if name == "--html-full" else []
        done = subprocess.run([sys.executable, "-m", "auditor", "check", str(sheets), "--isolated", "--jobs", "2",
                               "--output-format", "html", "-o", str(page), *extra], env=env, capture_output=True,
                              text=True, check=False)
        if done.returncode not in (0, 1):
            sys.exit(done.stderr)
    print(done.stderr.strip())
    empty = work / "empty.html"
    empty.write_text("<!DOCTYPE html><title>empty</title>", encoding="utf-8")
    start = chromium_time(args.chromium, empty, work, args.repeat)
    print(f"chromium start-up (an empty page): {start:.2f} s")
    print(f"{'page':<12} {'bytes':>12} {'rows':>8} {'render (wall, best)':>20}")
    for name, page in pages.items():
        text = page.read_text(encoding="utf-8")
        wall = chromium_time(args.chromium, page, work, args.repeat)
        print(f"{name:<12} {len(text.encode('utf-8')):>12,} {text.count('<tr'):>8,} {wall - start:>18.2f} s")


if __name__ == "__main__":
    main()
