"""A check run never imports click (about 51 M instructions of start-up with what it imports): its arguments
are read by :mod:`auditor.cli.checkargv`, while help, errors and the other commands are still click's.

Each run is a fresh interpreter (``python -m auditor``, as a user starts it) that says, as it ends, which
of click's modules were imported: runs of every format (the terminal's ``full``, ``concise`` and
``--statistics`` too, with the summary line and the messages, written by :mod:`auditor.term` as
``click.echo`` and ``click.style`` write them), ``--jobs 2``, the results cache and a baseline.
``--help`` and a usage error go through click as before.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

#: Runs ``python -m auditor ARGS`` and prints, at exit (``auditor.cli.entry`` runs the ``atexit`` functions
#: before ``os._exit``), which of click's modules were imported.
_PROGRAM = """
import atexit, sys
atexit.register(lambda: print("imported:", sorted(m for m in sys.modules if m.split(".")[0] == "click")))
sys.argv = ["auditor", *sys.argv[1:]]
from auditor.__main__ import run
run()
"""


def _run(*args: str, click_first: bool = False) -> tuple[str, subprocess.CompletedProcess]:
    program = "import click\n" + _PROGRAM if click_first else _PROGRAM
    done = subprocess.run([sys.executable, "-c", program, *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=600)
    lines = [line for line in done.stdout.splitlines() if line.startswith("imported:")]
    assert lines, done.stdout + done.stderr
    return lines[-1], done


def _imported(*args: str) -> str:
    imported, done = _run(*args)
    assert done.returncode in (0, 1), done.stderr
    return imported


@pytest.mark.parametrize("extra", [
    ("--jobs", "1", "--no-cache", "--output-format", "json"),
    ("--jobs", "2", "--no-cache", "--output-format", "sarif"),
    ("-j2", "--no-cache", "--format=junit", "--fail-on", "warning"),
    ("--jobs", "1", "--no-cache", "--output-format", "html", "--html-context", "1"),
    ("--no-cache", "--output-format", "github", "--lang", "en", "--select", "SET,CALC", "--ignore", "SET003"),
    ("--no-cache", "--output-format", "markdown", "--sarif-output", "/dev/null", "--color", "never"),
])
def test_a_check_run_never_imports_click(tmp_path, extra):
    assert _imported("check", str(EXAMPLES), "-q", "-o", str(tmp_path / "report"), *extra) == "imported: []"


def test_a_run_from_the_results_cache_never_imports_click(tmp_path):
    args = ("check", str(EXAMPLES), "-q", "--cache-dir", str(tmp_path / "cache"), "--output-format", "json")
    assert _imported(*args, "-o", str(tmp_path / "first")) == "imported: []"  # written
    assert _imported(*args, "-o", str(tmp_path / "second")) == "imported: []"  # read back
    assert (tmp_path / "first").read_bytes() == (tmp_path / "second").read_bytes()


def test_a_check_run_with_a_baseline_never_imports_click(tmp_path):
    args = ("check", str(EXAMPLES), "-q", "--no-cache", "--output-format", "json", "-o", str(tmp_path / "r.json"))
    assert _imported(*args, "--write-baseline", str(tmp_path / "baseline.json")) == "imported: []"
    assert _imported(*args, "--baseline", str(tmp_path / "baseline.json")) == "imported: []"
    assert '"baselined": 20' in (tmp_path / "r.json").read_text(encoding="utf-8")


def test_help_and_usage_errors_are_still_clicks():
    imported, done = _run("check", "--help")
    assert done.returncode == 0 and "click" in imported and "--output-format, --format FORMAT" in done.stdout
    assert "Usage: " in done.stdout and "종료 코드 / Exit codes:" in done.stdout
    imported, done = _run("check", "--jobs", "-1", str(EXAMPLES))
    assert done.returncode == 2 and "click" in imported
    assert "Error: Invalid value for '-j' / '--jobs': -1 is not in the range x>=0." in done.stderr
    imported, done = _run("check", "--severity", "SET001=loud", str(EXAMPLES))  # refused by the body, not the parser
    assert done.returncode == 2 and "click" in imported
    assert "Error: Invalid value for '--severity': 'SET001=loud'" in done.stderr and "Usage: " in done.stderr
    imported, done = _run("check", "--no-such-option")
    assert done.returncode == 2 and "Error: No such option '--no-such-option'." in done.stderr
    imported, done = _run("--version")
    assert done.returncode == 0 and "auditor" in done.stdout and "click" in imported


@pytest.mark.parametrize("extra", [
    (),  # the full report on standard output (a pipe here), the summary line
    ("--color", "always", "--lang", "en"),
    ("--output-format", "concise", "--color", "always"),
    ("--output-format", "concise", "--color", "never", "--statistics"),
    ("--statistics", "--color", "always", "-o", "/dev/null"),  # the summary on standard error
    ("--output-format", "json", "-o", "/dev/null", "--lang", "en"),  # the summary line, in English
])
def test_a_terminal_report_is_written_as_click_writes_it_without_click(extra):
    """The terminal's reports, the summary line and the messages are written by auditor.term: a run does
    not import click, and writes what it writes when click is imported before it starts (then every
    line goes through click.echo and click.style)."""
    args = ("check", str(EXAMPLES), "--no-cache", *extra)
    imported, ours = _run(*args)
    assert imported == "imported: []", ours.stderr
    imported, theirs = _run(*args, click_first=True)
    assert "click" in imported
    report = [_report(ours.stdout), _report(theirs.stdout)]
    assert (ours.returncode, report[0], ours.stderr) == (theirs.returncode, report[1], theirs.stderr)
    assert ours.returncode in (0, 1) and (report[0] or ours.stderr)


def _report(stdout: str) -> str:
    """Standard output without the line the program adds at its exit (which of click's modules it imported)."""
    head, _, tail = stdout.rpartition("imported: ")
    assert "\n" not in tail.rstrip("\n")
    return head
