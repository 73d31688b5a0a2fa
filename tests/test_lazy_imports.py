"""A check run whose cross index stays in memory never imports ``tempfile``, and a forked worker never imports
``ctypes``.

``tempfile`` brings ``shutil``, ``random`` and the compressors (about 15 M instructions); the index imports it
only when it passes its mark and writes its entries' data to a temporary file (``IndexStore._spill``). So a
run of a few sheets with the cross rules does not import it, and with ``--jobs 2`` the worker, which never
holds the index, does not import it at 1,000 sheets either, where the parent's index does pass the mark.
``tests/test_crossdoc_rows.py`` runs the index past its mark and in its file. A worker asks for its parent-death
signal through ``_ctypes``'s own functions (``auditor.runner._die_with_parent``; ``tests/test_runner_detach.py``):
importing ``ctypes`` was about 8 M instructions of its start. The caches warm (a run that
writes the pack cache or the patterns' programs writes them through ``tempfile``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from auditor.testing import write_corpus

ROOT = Path(__file__).resolve().parent.parent

#: Checks as ``python -m auditor check`` does (``auditor.cli.entry`` runs the ``atexit`` functions before
#: ``os._exit``), and says at the end whether ``tempfile`` was imported, and by a forked worker (which
#: writes its answer to the file named by the environment, as its standard output is /dev/null).
_CLI = """
import atexit, os, sys
parent = os.getpid()
def said():
    if os.getpid() == parent:
        print("tempfile imported:", "tempfile" in sys.modules)
atexit.register(said)
import auditor.runner as runner
serve = runner._serve
def watched(*args, **kwargs):
    try:
        serve(*args, **kwargs)
    finally:
        with open(os.environ["WORKER_SAYS"], "w") as f:
            f.write(str(("tempfile" in sys.modules, "ctypes" in sys.modules)))
runner._serve = watched
sys.argv = ["auditor", *sys.argv[1:]]
from auditor.__main__ import run
run()
"""


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_run_whose_index_stays_in_memory_imports_no_tempfile_and_its_worker_no_ctypes(tmp_path: Path, jobs: str) -> None:
    corpus = tmp_path / "corpus"
    write_corpus(corpus, 8, inject=0.25)
    worker = tmp_path / "worker.txt"
    env = {**os.environ, "AUDITOR_NO_RESULTS_CACHE": "1", "WORKER_SAYS": str(worker)}
    command = [sys.executable, "-c", _CLI, "check", str(corpus), "--jobs", jobs, "--no-cache", "--format", "json",
               "-o", str(tmp_path / "report.json"), "--exit-zero"]
    for _ in range(2):  # the first run may write the pack and pattern caches (through tempfile): the second is measured
        done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "tempfile imported: False" in done.stdout, done.stdout + done.stderr
    assert (tmp_path / "report.json").stat().st_size > 0
    if jobs == "2":
        assert worker.read_text() == "(False, False)"  # neither tempfile nor ctypes
