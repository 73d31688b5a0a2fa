"""A hostile environment: standard streams that are closed, full or broken, a deleted working
directory, a full temporary folder. Each ends with the documented exit code and at most one line
on standard error, never a traceback, and never exit 0 with the report lost.
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

SHEETS = Path(__file__).resolve().parent.parent / "examples" / "sheets"
GOOD = (SHEETS / "000_c6c48727fbba6ebb.txt").read_bytes()
TIMEOUT = 90
COMMAND = [sys.executable, "-m", "auditor", "check", "--lang", "en"]


@pytest.fixture
def case(tmp_path: Path) -> Path:
    (tmp_path / "v.txt").write_bytes(GOOD)  # two info findings: exit 0
    (tmp_path / "many.txt").write_bytes(b"".join(b"? %d\n" % i for i in range(60_000)))  # 60,000 PARSE002
    return tmp_path


def clean(stderr: bytes) -> str:
    text = stderr.decode("utf-8", "replace")
    assert "Traceback" not in text and "Exception ignored" not in text, text
    return text


def said(stderr: bytes) -> str:
    """:func:`clean`'s text but the progress lines a run slower than 5 s prints (a loaded machine)."""
    return "".join(line for line in clean(stderr).splitlines(keepends=True) if not line.startswith("auditor: checked "))


def test_a_broken_pipe_ends_quietly_with_141(case):
    proc = subprocess.Popen([*COMMAND, "many.txt", "--max-file-size", "0", "--output-format", "concise"], cwd=case,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert proc.stdout.read(100)  # the reader takes a little, then goes away (`| head -c 100`)
        proc.stdout.close()
        stderr = proc.stderr.read()
        proc.wait(timeout=TIMEOUT)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 141 and said(stderr) == ""


def test_a_full_standard_output_is_exit_2_not_a_lost_report(case):
    with open("/dev/full", "w") as full:
        done = subprocess.run([*COMMAND, "v.txt"], cwd=case, stdout=full, stderr=subprocess.PIPE, timeout=TIMEOUT)
    assert done.returncode == 2
    assert clean(done.stderr).strip() == ("auditor: error: cannot write to standard output (No space left on device);"
                                          " the report is lost")


def test_a_closed_standard_output_is_exit_2_unless_the_report_goes_to_a_file(case):
    done = subprocess.run([*COMMAND, "v.txt"], cwd=case, stderr=subprocess.PIPE, timeout=TIMEOUT,
                          preexec_fn=lambda: os.close(1))
    assert done.returncode == 2
    assert "cannot write to standard output (standard output is closed)" in clean(done.stderr)
    done = subprocess.run([*COMMAND, "v.txt", "-o", "r.txt"], cwd=case, stderr=subprocess.PIPE, timeout=TIMEOUT,
                          preexec_fn=lambda: os.close(1))
    assert done.returncode == 0 and (case / "r.txt").read_text(encoding="utf-8").count(": REVIEW004 [info]") == 2
    clean(done.stderr)


@pytest.mark.parametrize("args, code", [(("v.txt",), 0), (("v.txt", "nope.txt"), 2), (("v.txt", "--fail-on", "info"), 1)])
def test_a_full_standard_error_changes_nothing(case, args, code):
    with open("/dev/full", "w") as full:
        done = subprocess.run([*COMMAND, *args, "--output-format", "json"], cwd=case, stdout=subprocess.PIPE,
                              stderr=full, timeout=TIMEOUT)
    assert done.returncode == code
    assert done.stdout.rstrip().endswith(b"}"), "the report is whole"


def test_a_deleted_working_directory_is_one_line_and_exit_2(case, tmp_path_factory):
    gone = tmp_path_factory.mktemp("gone")

    def enter_and_delete() -> None:
        os.chdir(gone)
        os.rmdir(gone)

    done = subprocess.run([*COMMAND, str(case / "v.txt")], stderr=subprocess.PIPE, timeout=TIMEOUT,
                          preexec_fn=enter_and_delete)
    assert done.returncode == 2
    assert clean(done.stderr).strip() == ("auditor: error: the current directory no longer exists (No such file or "
                                          "directory); run auditor from an existing directory")


def test_a_full_temporary_folder_while_spooling_findings(case):
    def small_files() -> None:  # the findings spool past 1 MB to TMPDIR, where a write now fails as on a full disk
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (1_500_000, 1_500_000))

    done = subprocess.run([*COMMAND, "many.txt", "--max-file-size", "0"], cwd=case, capture_output=True,
                          timeout=TIMEOUT, preexec_fn=small_files)
    assert done.returncode == 2 and done.stdout == b""
    assert "cannot keep the findings in a temporary file in" in clean(done.stderr)
    assert "set TMPDIR to a folder with room" in done.stderr.decode()


def test_an_unexpected_error_is_one_line(case, monkeypatch):
    """A bug anywhere in a command is one line and exit 2, not a traceback (AUDITOR_TRACEBACK=1 shows it)."""
    from click.testing import CliRunner

    from auditor.cli import check as check_module, main

    def boom(**opts):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(check_module, "run_check", boom)
    r = CliRunner().invoke(main, ["check", "--lang", "en"])
    assert r.exit_code == 2
    assert r.stderr.strip() == ("auditor: error: internal error (RuntimeError: kaboom); this is a bug in auditor, "
                                "please report it")
    monkeypatch.setenv("AUDITOR_TRACEBACK", "1")
    with pytest.raises(RuntimeError):
        CliRunner().invoke(main, ["check"], catch_exceptions=False)


def test_a_closed_standard_input_is_an_unreadable_input(case):
    done = subprocess.run([*COMMAND, "-", "v.txt", "--output-format", "concise"], cwd=case, capture_output=True,
                          timeout=TIMEOUT, preexec_fn=lambda: os.close(0))
    assert done.returncode == 2
    assert "-: unreadable file: standard input is closed" in done.stdout.decode()
    assert done.stdout.decode().count(": REVIEW004 ") == 2, "the other input is still checked"
    clean(done.stderr)
