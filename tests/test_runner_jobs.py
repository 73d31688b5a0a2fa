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
    before = set(_children())  # another test's, if any
    try:
        outcomes = list(runner.run(inputs, _Rules(), RulesetSpec(), jobs=jobs, keep=KEEP_NONE))
    finally:
        os.close(fd)
    runner.reap()
    assert [o.path for o in outcomes] == [item.display for item in inputs]  # in input order, each once
    assert sorted(log.read_text().split()) == [item.display for item in inputs]  # checked once each
    assert set(_children()) <= before


def test_a_run_leaves_its_workers_to_end_and_reaps_them_after(monkeypatch):
    """The last outcome does not wait for the workers to end (their exit overlaps the reports);
    :func:`auditor.runner.reap` then leaves none, not even a zombie."""
    from auditor.engine import load_ruleset

    inputs = [Input(str(SHEET), f"{i}.txt") for i in range(8)]
    before = set(_children())
    outcomes = list(runner.run(inputs, load_ruleset(), RulesetSpec(), jobs=2, keep=KEEP_NONE))
    assert len(outcomes) == len(inputs)
    assert set(_children()) - before <= set(runner._ending)
    runner.reap()
    assert set(_children()) <= before and not runner._ending


def test_check_paths_with_jobs_leaves_no_worker_behind(tmp_path):
    from auditor.pipeline import check_paths

    before = set(_children())
    for i in range(6):
        (tmp_path / f"s{i}.txt").write_bytes(SHEET.read_bytes())
    result = check_paths([tmp_path], isolated=True, jobs=2)
    assert len(result.files) == 6
    assert set(_children()) <= before and not runner._ending


def test_a_worker_is_given_work_between_the_parents_own_files(monkeypatch):
    """While this process checks a chunk of its own, a worker that has sent its results back gets more
    work after each file rather than waiting for the chunk's end (here the parent's files are slow and
    the worker's instant, so the worker empties its queue during each of the parent's files)."""
    import time

    parent = os.getpid()
    events: list[tuple[str, int]] = []

    def check_one(item, ruleset, keep=KEEP_NONE, index=None):
        if os.getpid() == parent:
            events.append(("own", int(item.display)))
            time.sleep(0.03)
        return FileError(item.display, "", "")

    real_give = runner._Forked.give

    def give(self, entry, indexes):
        events.append(("give", indexes[0]))
        return real_give(self, entry, indexes)

    monkeypatch.setattr(runner, "check_one", check_one)
    monkeypatch.setattr(runner._Forked, "give", give)
    monkeypatch.setattr(runner, "CHUNK", 4)
    monkeypatch.setattr(runner, "AHEAD", 1)
    inputs = [Input(f"in/{i}", f"{i}") for i in range(96)]
    assert len(list(runner.run(inputs, _Rules(), RulesetSpec(), jobs=2, keep=KEEP_NONE))) == len(inputs)
    runner.reap()
    own = [n for n, (kind, _) in enumerate(events) if kind == "own"]
    fed = [(n, m) for n, m in zip(own, own[1:])  # a give between two files of one chunk of the parent's
           if events[m][1] == events[n][1] + 1 and any(kind == "give" for kind, _ in events[n + 1:m])]
    assert fed, events
