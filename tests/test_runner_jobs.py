"""``--jobs N`` with forked workers: every input checked exactly once and handed over in input order,
whatever the number of inputs, workers and chunk sizes; the workers reaped once the run is over."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import auditor.runner as runner
from auditor.discovery import Input
from auditor.result import KEEP_NONE, FileError
from auditor.runner import RulesetSpec

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="forked workers need os.fork")

SHEET = Path(__file__).resolve().parent.parent / "examples" / "sheets" / "000_c6c48727fbba6ebb.txt"


class _Rules:
    """What the runner asks of a rule set itself (the checking is :func:`check_one`'s, replaced here)."""

    has_cross = False


def _children() -> list[int]:
    """This process's children, zombies included (a child not reaped yet)."""
    found = []
    for task in os.listdir("/proc/self/task"):
        try:
            found += [int(c) for c in Path(f"/proc/self/task/{task}/children").read_text().split()]
        except OSError:
            pass
    return found


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(count=st.integers(1, 70), jobs=st.integers(2, 3), chunk=st.integers(1, 12), ahead=st.integers(1, 3))
def test_every_input_is_checked_once_and_handed_over_in_order(tmp_path, monkeypatch, count, jobs, chunk, ahead):
    log = tmp_path / f"checked-{count}-{jobs}-{chunk}-{ahead}"
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_TRUNC)

    def check_one(item, ruleset, keep=KEEP_NONE, index=None):  # whichever process checks it
        os.write(fd, f"{item.display}\n".encode())
        return FileError(item.display, str(os.getpid()), "checked")

    monkeypatch.setattr(runner, "check_one", check_one)
    monkeypatch.setattr(runner, "CHUNK", chunk)
    monkeypatch.setattr(runner, "AHEAD", ahead)
    inputs = [Input(f"in/{i}", f"{i:03}") for i in range(count)]
    try:
        outcomes = list(runner.run(inputs, _Rules(), RulesetSpec(), jobs=jobs, keep=KEEP_NONE))
    finally:
        os.close(fd)
    runner.reap()
    assert [o.path for o in outcomes] == [item.display for item in inputs]  # in input order, each once
    assert sorted(log.read_text().split()) == [item.display for item in inputs]  # checked once each
    assert not _children()


def test_a_run_leaves_its_workers_to_end_and_reaps_them_after(monkeypatch):
    """The last outcome does not wait for the workers to end (their exit overlaps the reports);
    :func:`auditor.runner.reap` then leaves none, not even a zombie."""
    from auditor.engine import load_ruleset

    inputs = [Input(str(SHEET), f"{i}.txt") for i in range(8)]
    outcomes = list(runner.run(inputs, load_ruleset(), RulesetSpec(), jobs=2, keep=KEEP_NONE))
    assert len(outcomes) == len(inputs)
    assert set(_children()) <= set(runner._ending)
    runner.reap()
    assert not _children() and not runner._ending


def test_check_paths_with_jobs_leaves_no_worker_behind(tmp_path):
    from auditor.pipeline import check_paths

    for i in range(6):
        (tmp_path / f"s{i}.txt").write_bytes(SHEET.read_bytes())
    result = check_paths([tmp_path], isolated=True, jobs=2)
    assert len(result.files) == 6
    assert not _children() and not runner._ending
