"""Signals and worker processes: a run that is stopped exits 130 or 143 after cleaning up, and
leaves no worker behind holding its output.

Each case runs ``auditor check`` in a subprocess on enough sheets to be stopped half-way; every
wait has a timeout, so a regression (a worker left holding the pipe, a hang) fails instead of
hanging the suite.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

SHEETS = Path(__file__).resolve().parent.parent / "examples" / "sheets"
GOOD = (SHEETS / "000_c6c48727fbba6ebb.txt").read_bytes()
TIMEOUT = 60
#: The processes ``-j 2`` forks: one; the parent checks files too (auditor.runner._run_parallel).
FORKED = 1


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """3,000 copies of a real sheet: a run of several seconds (at several hundred sheets a second), to be
    stopped while it works. Fewer made the run end before the signal once the rules were compiled."""
    for i in range(3000):
        (tmp_path / f"s{i:04}.txt").write_bytes(GOOD)
    return tmp_path


def _said(err: bytes) -> list[str]:
    """stderr's lines but the progress lines a run slower than 5 s prints (a loaded machine)."""
    return [line for line in err.decode().splitlines() if not line.startswith("auditor: checked ")]


def children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(c) for c in text.split()]


def alive(pid: int) -> bool:
    """Is ``pid`` a live process (not gone, not a zombie waiting for a reaper)?"""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def start(cwd: Path, *args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "auditor", "check", ".", "--lang", "en", *args], cwd=cwd,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs)


def wait_for_workers(proc: subprocess.Popen, count: int) -> list[int]:
    deadline = time.monotonic() + TIMEOUT
    while len(workers := children(proc.pid)) < count:
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the workers never started"
        time.sleep(0.01)
    time.sleep(0.3)  # let them take work
    return workers


def finish(proc: subprocess.Popen) -> tuple[bytes, bytes]:
    """The run's output once every holder of its pipes has closed them (a worker left alive would not)."""
    try:
        return proc.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired as e:
        raise AssertionError(f"no end within {TIMEOUT} s; stderr so far: {e.stderr!r}") from None
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def gone(pids: list[int]) -> bool:
    deadline = time.monotonic() + 10
    while any(alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not any(alive(p) for p in pids)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("signum, code, name", [(signal.SIGTERM, 143, "SIGTERM"), (signal.SIGINT, 130, "SIGINT"),
                                                 (signal.SIGHUP, 129, "SIGHUP")])
def test_a_signal_stops_the_workers_and_exits_128_plus_its_number(corpus, signum, code, name):
    proc = start(corpus, "-j", "2")
    workers = wait_for_workers(proc, FORKED)
    os.kill(proc.pid, signum)
    out, err = finish(proc)
    assert (proc.returncode, err.decode().strip()) == (code, f"auditor: interrupted ({name})")
    # The report is written as each file is checked: the files done before the signal, never its summary.
    assert b"Found " not in out
    assert gone(workers), "every worker ended with the run"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_ctrl_c_to_the_whole_process_group(corpus):
    """A terminal's Ctrl-C reaches the workers too: they leave it to the parent, and print nothing."""
    proc = start(corpus, "-j", "2", start_new_session=True)
    workers = wait_for_workers(proc, FORKED)
    os.killpg(proc.pid, signal.SIGINT)
    out, err = finish(proc)
    assert proc.returncode == 130 and _said(err) == ["auditor: interrupted (SIGINT)"], err
    assert gone(workers)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the kernel's parent-death signal is Linux's")
def test_workers_die_with_a_parent_that_is_killed_outright(corpus):
    proc = start(corpus, "-j", "2")
    workers = wait_for_workers(proc, FORKED)
    os.kill(proc.pid, signal.SIGKILL)
    finish(proc)  # returns only once no worker holds the output pipes
    assert proc.returncode == -signal.SIGKILL
    assert gone(workers)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("how", [{}, {"AUDITOR_POOL": "1"}], ids=["fork", "pool"])
def test_a_worker_that_dies_leaves_its_files_to_the_parent(tmp_path, how):
    """A worker killed half-way (out of memory, say): the parent checks what it had left, and the report
    holds every file, as with one process."""
    for i in range(600):
        (tmp_path / f"s{i:04}.txt").write_bytes(GOOD)
    proc = subprocess.Popen([sys.executable, "-m", "auditor", "check", ".", "-j", "2", "--output-format", "json",
                             "-o", "r.json"], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, **how})
    workers = wait_for_workers(proc, FORKED)
    os.kill(workers[0], signal.SIGKILL)
    out, err = finish(proc)
    assert proc.returncode == 0, err
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert report["summary"]["files"] == 600 and report["summary"]["unreadable"] == 0, report["summary"]
    assert report["summary"]["info"] == 1200, report["summary"]


#: ``auditor`` started as its console script does (``auditor.__main__.run``), with the import of the
#: command line (``auditor.cli``) interrupted by a SIGINT the process sends itself as the import starts:
#: Ctrl-C while the modules load, wherever a busy machine makes that last long.
LOADING = """
import os, signal, sys, time
class Slow:
    def find_spec(self, name, path=None, target=None):
        if name == "auditor.cli":
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(%d)
        return None
sys.meta_path.insert(0, Slow())
sys.argv = ["auditor", "check", "."] + sys.argv[1:]
from auditor.__main__ import run
run()
""" % TIMEOUT


@pytest.mark.parametrize("lang, said", [(["--lang", "en"], "auditor: interrupted (SIGINT)"),
                                        ([], "auditor: 중단되었습니다 (SIGINT)")], ids=["en", "ko"])
def test_sigint_while_the_modules_load(tmp_path, lang, said):
    """Ctrl-C before the command has put its own handler in place ends the program as an interrupted run
    does (130, one line), not with a traceback out of the import it cut."""
    proc = subprocess.run([sys.executable, "-c", LOADING, *lang], cwd=tmp_path, capture_output=True,
                          timeout=TIMEOUT * 2)
    assert proc.returncode == 130 and _said(proc.stderr) == [said], proc.stderr
    assert proc.stdout == b""


def test_sigint_in_one_process(corpus):
    proc = start(corpus)
    time.sleep(1.5)
    assert proc.poll() is None
    proc.send_signal(signal.SIGINT)
    _, err = finish(proc)
    assert proc.returncode == 130 and _said(err) == ["auditor: interrupted (SIGINT)"], err


#: ``auditor check . -j 2`` in which the first worker to send a result sends only its start (the length
#: header, or the header and half the body), signals the parent and waits: it is then stopped exactly
#: where a worker terminated by chance under load was (the hang of issue 18, seen in py-spy stacks: the
#: pool's manager thread reading a result of 35,976 bytes that would never come, the parent joining it).
CUT_SHORT = """
import os, signal, struct, sys, time
import multiprocessing.connection as mpc

parent, cut = os.getpid(), sys.argv[1]
real = mpc.Connection._send_bytes

def send_bytes(self, buf):
    if os.getpid() == parent:
        return real(self, buf)
    self._send(struct.pack("!i", len(buf)))
    if cut == "body":
        self._send(bytes(memoryview(buf)[: len(buf) // 2]))
    os.kill(parent, signal.SIGINT)
    time.sleep(600)

mpc.Connection._send_bytes = send_bytes
from auditor.cli import main
main(["check", ".", "--lang", "en", "-j", "2"])
"""


#: The same for a forked worker (``-j 2`` where processes can be forked: no pool, auditor.runner._run_forked):
#: the worker checks its first chunk and sends only the start of its outcomes, signals the parent and waits.
FORK_CUT_SHORT = """
import os, pickle, signal, sys, time
import auditor.runner as runner

parent, cut = os.getpid(), sys.argv[1]

def serve(work, results, inputs, ruleset, checking):
    reader = os.fdopen(work, "rb")
    (count,) = runner._COUNT.unpack(reader.read(runner._COUNT.size))
    indexes = [i for (i,) in runner._COUNT.iter_unpack(reader.read(runner._COUNT.size * count))]
    data = pickle.dumps(("outcomes", [runner.check_one(inputs[i], ruleset, checking) for i in indexes]))
    os.write(results, runner._LENGTH.pack(len(data)))
    if cut == "body":
        os.write(results, data[: min(len(data) // 2, 32768)])
    os.kill(parent, signal.SIGINT)
    time.sleep(600)

runner._serve = serve
from auditor.cli import main
main(["check", ".", "--lang", "en", "-j", "2"])
"""
#: Each script, and the environment it runs under: the forked workers (the default where processes
#: can be forked) or the process pool (elsewhere; ``AUDITOR_POOL=1`` chooses it here).
CUTS = {"fork": (FORK_CUT_SHORT, {}), "pool": (CUT_SHORT, {"AUDITOR_POOL": "1"})}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("how", sorted(CUTS))
@pytest.mark.parametrize("cut", ["header", "body"])
def test_a_worker_stopped_half_way_through_sending_a_result_does_not_hang_the_run(tmp_path, cut, how):
    """A worker terminated after it began to write a result: the run still ends, 130, workers gone."""
    for i in range(40):
        (tmp_path / f"s{i:02}.txt").write_bytes(GOOD)
    script, env = CUTS[how]
    proc = subprocess.Popen([sys.executable, "-c", script, cut], cwd=tmp_path, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env={**os.environ, **env})
    workers = wait_for_workers(proc, FORKED)
    _, err = finish(proc)
    assert proc.returncode == 130 and _said(err) == ["auditor: interrupted (SIGINT)"], err
    assert gone(workers)


#: What a stranding worker runs first: a process of its own, holding the result pipe open for two minutes.
_HOLDER = """    if os.fork() == 0:
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        os.setsid()
        with open("holder.pid", "w") as fh:
            fh.write(str(os.getpid()))
        time.sleep(120)
        os._exit(0)
"""

#: As :data:`CUT_SHORT`, but the worker first leaves a process of its own holding the result pipe open, so
#: that the pool's manager thread can never read to the end: the run must still end, in bounded time.
STRANDED = CUT_SHORT.replace("    self._send(struct.pack", _HOLDER + "    self._send(struct.pack")


#: As :data:`FORK_CUT_SHORT`, with a process of the worker's own holding the result pipe open.
FORK_STRANDED = FORK_CUT_SHORT.replace("    os.write(results, runner._LENGTH", _HOLDER + "    os.write(results, runner._LENGTH")
STRANDS = {"fork": (FORK_STRANDED, {}), "pool": (STRANDED, {"AUDITOR_POOL": "1"})}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("how", sorted(STRANDS))
def test_a_pool_thread_that_never_ends_does_not_hang_the_run(tmp_path, how):
    """The fallback: a thread of the stopped pool still waiting after the grace period does not keep the
    interpreter from exiting (it would join it for ever); the run still exits 130 with its one line.
    A forked worker's result pipe held open by another process does not hold the run either."""
    assert STRANDED != CUT_SHORT and FORK_STRANDED != FORK_CUT_SHORT
    for i in range(40):
        (tmp_path / f"s{i:02}.txt").write_bytes(GOOD)
    script, env = STRANDS[how]
    proc = subprocess.Popen([sys.executable, "-c", script, "header"], cwd=tmp_path, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env={**os.environ, **env})
    try:
        workers = wait_for_workers(proc, FORKED)
        _, err = finish(proc)
        assert proc.returncode == 130 and _said(err) == ["auditor: interrupted (SIGINT)"], err
        assert gone(workers)
    finally:
        holder = tmp_path / "holder.pid"
        deadline = time.monotonic() + 10
        while not holder.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.1)  # its number fully written
        if holder.exists():
            os.kill(int(holder.read_text()), signal.SIGKILL)
