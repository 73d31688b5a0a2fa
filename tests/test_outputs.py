"""Outputs are written whole or not at all, never over an input, never two to one file.

The CLI cases run ``auditor check`` in a subprocess with a timeout, as a user would, and hash the
inputs before and after: an input is never written to, and a refused or failed write leaves the
old report exactly as it was, with no temporary file beside it.
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from auditor.outputs import OutputError, Target, atomic_text, check_targets, write_text

SHEETS = Path(__file__).resolve().parent.parent / "examples" / "sheets"
GOOD = (SHEETS / "000_c6c48727fbba6ebb.txt").read_bytes()
TIMEOUT = 120
OLD = "the old report\n"


def digest(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (hidden ones too) and the SHA-256 of its bytes."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.is_symlink()}


def auditor(cwd: Path, *args: str, preexec=None, **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "auditor", "check", *args, "--lang", "en"], cwd=cwd,
                          capture_output=True, text=True, timeout=TIMEOUT, preexec_fn=preexec, **kwargs)
    assert "Traceback" not in done.stderr, done.stderr
    return done


@pytest.fixture
def case(tmp_path: Path) -> Path:
    (tmp_path / "v.txt").write_bytes(GOOD)
    return tmp_path


# -- an output that is an input ------------------------------------------------------------------

@pytest.mark.parametrize("option", ["-o", "--json-output", "--sarif-output", "--junit-output", "--html-output",
                                    "--write-baseline"])
def test_an_output_naming_an_input_is_a_usage_error_and_the_input_is_untouched(case, option):
    before = digest(case)
    done = auditor(case, "v.txt", option, "v.txt")
    assert done.returncode == 2, done.stderr
    assert f"v.txt: the file of {option} is also an input: auditor never writes over an input" in done.stderr
    assert digest(case) == before


@pytest.mark.parametrize("spelling", ["./v.txt", "sub/../v.txt", "{case}/v.txt", "link.txt", "hard.txt"])
def test_an_input_is_recognised_by_identity_not_spelling(case, spelling):
    (case / "sub").mkdir()
    os.symlink("v.txt", case / "link.txt")
    os.link(case / "v.txt", case / "hard.txt")
    before = digest(case)
    done = auditor(case, "v.txt", "-o", spelling.format(case=case))
    assert done.returncode == 2 and "is also an input" in done.stderr, done.stderr
    assert digest(case) == before and os.path.islink(case / "link.txt")


def test_an_output_inside_a_walked_directory_is_not_read_as_an_input(case):
    first = auditor(case, ".", "-o", "report.txt", "--output-format", "concise")
    assert first.returncode == 0, first.stderr
    report = (case / "report.txt").read_text(encoding="utf-8")
    assert "v.txt" in report
    again = auditor(case, ".", "-o", "report.txt", "--output-format", "concise", "-v")
    assert again.returncode == 0, again.stderr
    assert (case / "report.txt").read_text(encoding="utf-8") == report, "the report did not check itself"
    assert "report.txt: skipped: it is an output of this run" in again.stderr


@pytest.mark.parametrize("what, args", [
    ("the configuration file", ("--config", "auditor.toml", "-o", "auditor.toml")),
    ("a rule pack", ("--rules", "pack", "--json-output", "pack/x.toml")),
    ("the baseline", ("--baseline", "base.json", "--html-output", "base.json")),
])
def test_an_output_over_a_configuration_pack_or_baseline_is_refused(case, what, args):
    (case / "auditor.toml").write_text("lang = 'en'\n", encoding="utf-8")
    (case / "pack").mkdir()
    (case / "pack" / "x.toml").write_text('[pack]\nname = "x"\n', encoding="utf-8")
    (case / "base.json").write_text('{"version": 1, "tool": "auditor", "findings": []}\n', encoding="utf-8")
    before = digest(case)
    done = auditor(case, "v.txt", *args)
    assert done.returncode == 2 and f"is also {what}" in done.stderr, done.stderr
    assert digest(case) == before


def test_rewriting_the_baseline_that_is_not_read_is_allowed(case):
    (case / "base.json").write_text('{"version": 1, "tool": "auditor", "findings": []}\n', encoding="utf-8")
    done = auditor(case, "v.txt", "--baseline", "base.json", "--write-baseline", "base.json")
    assert done.returncode == 0, done.stderr
    assert len(json.loads((case / "base.json").read_text(encoding="utf-8"))["findings"]) == 2


# -- two outputs naming one file ----------------------------------------------------------------

@pytest.mark.parametrize("second", ["out.json", "./out.json", "link.json"])
def test_two_outputs_naming_one_file_are_a_usage_error(case, second):
    os.symlink("out.json", case / "link.json")
    done = auditor(case, "v.txt", "-o", "out.json", "--sarif-output", second)
    assert done.returncode == 2, done.stderr
    assert "-o and --sarif-output name the same file" in done.stderr
    assert not (case / "out.json").exists()


def test_check_targets_in_process(tmp_path):
    a, b = str(tmp_path / "a"), str(tmp_path / "b")
    check_targets([Target("-o", a), Target("--json-output", b)], [("an input", str(tmp_path / "c"))])
    with pytest.raises(OutputError, match="name the same file"):
        check_targets([Target("-o", a), Target("--json-output", str(tmp_path / "x" / ".." / "a"))])
    with pytest.raises(OutputError) as err:
        check_targets([Target("-o", a)], [("an input", a)])
    assert err.value.message("ko") == f"{a}: -o의 파일이 입력(검사할 파일)이기도 합니다: 입력은 덮어쓰지 않습니다"


# -- whole or not at all -------------------------------------------------------------------------

def test_an_exception_while_writing_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "r.json"
    target.write_text(OLD, encoding="utf-8")
    os.chmod(target, 0o640)

    def pieces():
        yield "half of a new"
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_text(str(target), pieces())
    assert target.read_text(encoding="utf-8") == OLD and os.listdir(tmp_path) == ["r.json"]
    write_text(str(target), ["new\n"])
    assert target.read_text(encoding="utf-8") == "new\n" and os.listdir(tmp_path) == ["r.json"]
    assert (target.stat().st_mode & 0o777) == 0o640, "the old file's permissions are kept"


def test_a_symlinked_output_keeps_its_link(tmp_path):
    (tmp_path / "real.json").write_text(OLD, encoding="utf-8")
    os.symlink("real.json", tmp_path / "link.json")
    write_text(str(tmp_path / "link.json"), ["new\n"])
    assert os.path.islink(tmp_path / "link.json") and (tmp_path / "real.json").read_text() == "new\n"


def test_a_device_is_written_in_place_and_a_directory_refused(tmp_path):
    write_text(os.devnull, ["nothing\n"])
    assert os.path.exists(os.devnull) and not os.path.isfile(os.devnull)
    with pytest.raises(IsADirectoryError):
        with atomic_text(str(tmp_path)):
            pass


def _file_size_cap(limit: int):
    def preexec() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the cap fails with EFBIG, as a full disk fails
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return preexec


@pytest.mark.parametrize("option", ["-o", "--html-output", "--write-baseline"])
def test_a_full_disk_leaves_the_old_report_untouched(case, option):
    (case / "r.out").write_text(OLD, encoding="utf-8")
    before = digest(case)
    extra = ("--output-format", "html") if option == "-o" else ()
    done = auditor(case, "v.txt", option, "r.out", *extra, preexec=_file_size_cap(300))
    assert done.returncode == 2, done.stderr
    assert "r.out: cannot write (File too large); the file is unchanged" in done.stderr
    assert digest(case) == before


def _slow_report_input(folder: Path) -> None:
    """A sheet whose 60,000 unplaceable lines give as many findings: a JSON report that takes a while."""
    (folder / "many.txt").write_bytes(b"".join(b"? %d\n" % i for i in range(60_000)))


def test_sigterm_while_the_report_is_written_leaves_the_old_report_and_no_temporary(case):
    _slow_report_input(case)
    (case / "r.json").write_text(OLD, encoding="utf-8")
    command = [sys.executable, "-m", "auditor", "check", "many.txt", "-o", "r.json", "--output-format", "json",
               "--max-file-size", "0", "--lang", "en"]
    proc = subprocess.Popen(command, cwd=case, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + TIMEOUT
        while not any(name.startswith(".r.json.") for name in os.listdir(case)):
            assert proc.poll() is None, "the run ended before its report was being written"
            assert time.monotonic() < deadline
            time.sleep(0.001)
        os.kill(proc.pid, signal.SIGSTOP)  # caught while writing: the temporary file exists, the report is old
        assert (case / "r.json").read_text(encoding="utf-8") == OLD
        os.kill(proc.pid, signal.SIGTERM)
        os.kill(proc.pid, signal.SIGCONT)
        _, stderr = proc.communicate(timeout=TIMEOUT)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 143, stderr
    # A run slower than 5 s (a loaded machine) also prints a progress line to stderr: not what is tested here
    said = [line for line in stderr.decode().splitlines() if not line.startswith("auditor: checked ")]
    assert b"Traceback" not in stderr and said == ["auditor: interrupted (SIGTERM)"], stderr
    assert (case / "r.json").read_text(encoding="utf-8") == OLD
    assert sorted(os.listdir(case)) == ["many.txt", "r.json", "v.txt"], "the temporary file is removed"


def test_a_signal_as_the_temporary_file_is_made_leaves_no_temporary(tmp_path, monkeypatch):
    """The signal lands inside the making of the temporary file (``outputs._exclusive``, as mkstemp), after
    the file exists and before its name is returned (the race the SIGTERM test above met under load): it is
    held back until the name is known, then cleaned up."""
    import signal as _signal

    from auditor import outputs

    class Stop(Exception):
        pass

    def raise_stop(signum, frame):
        raise Stop

    real = outputs._exclusive

    def mkstemp_then_signal(*args, **kwargs):
        made = real(*args, **kwargs)
        os.kill(os.getpid(), _signal.SIGTERM)  # without the hold, Stop is raised here and the name is lost
        return made

    target = tmp_path / "r.json"
    target.write_text(OLD, encoding="utf-8")
    old_handler = _signal.signal(_signal.SIGTERM, raise_stop)
    try:
        monkeypatch.setattr(outputs, "_exclusive", mkstemp_then_signal)
        with pytest.raises(Stop):
            with outputs.atomic_text(str(target)) as fh:
                fh.write("new")
    finally:
        _signal.signal(_signal.SIGTERM, old_handler)
    assert sorted(os.listdir(tmp_path)) == ["r.json"]
    assert target.read_text(encoding="utf-8") == OLD


def test_the_temporary_file_is_new_private_and_named_afresh_when_taken(tmp_path, monkeypatch):
    """``outputs._exclusive`` makes files as ``tempfile.mkstemp`` does: new (never an existing one), mode
    0600, a random name with the given prefix and suffix; a name already taken is drawn again."""
    from auditor import outputs

    fd, name = outputs._exclusive(str(tmp_path), ".r.json.", ".tmp")
    os.close(fd)
    assert os.path.basename(name).startswith(".r.json.") and name.endswith(".tmp")
    assert os.stat(name).st_mode & 0o777 == 0o600
    draws = iter([b"\0" * 6, b"\0" * 6, b"\1" * 6])
    monkeypatch.setattr(os, "urandom", lambda n: next(draws))
    first = outputs._exclusive(str(tmp_path), "a", "")
    second = outputs._exclusive(str(tmp_path), "a", "")  # the same name first: drawn again
    os.close(first[0])
    os.close(second[0])
    assert first[1] != second[1] and second[1].endswith("a" + "01" * 6)
