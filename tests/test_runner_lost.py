"""A pool worker that ends before handing back its result is a lost worker, even where the pool's own
thread never says so (it waits for ever for the rest of a result the worker was killed half-way through
writing): :func:`auditor.runner._result` raises BrokenProcessPool, and the run checks the rest itself."""

from __future__ import annotations

import threading
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from types import SimpleNamespace

import pytest

from auditor import runner


def _pool(*exitcodes):
    return SimpleNamespace(_processes={pid: SimpleNamespace(exitcode=code) for pid, code in enumerate(exitcodes)})


def test_a_result_never_handed_back_by_an_ended_process_is_a_lost_worker():
    with pytest.raises(BrokenProcessPool):
        runner._result(Future(), _pool(None, -9))  # one of two processes killed: the result never comes


def test_a_result_of_a_live_pool_is_waited_for():
    future = Future()
    threading.Timer(1.5, future.set_result, ("made",)).start()  # later than the first wake-up
    assert runner._result(future, _pool(None)) == "made"


def test_a_result_handed_back_before_the_process_ended_is_taken():
    future = Future()
    future.set_result("made")
    assert runner._result(future, _pool(0)) == "made"


def test_the_pools_own_word_is_kept():
    future = Future()
    future.set_exception(BrokenProcessPool("the pool noticed"))
    with pytest.raises(BrokenProcessPool, match="the pool noticed"):
        runner._result(future, _pool(-9))


def test_a_pool_without_processes_is_not_ended():
    assert not runner._ended(SimpleNamespace())
    assert not runner._ended(_pool(None, None))
    assert runner._ended(_pool(None, 1))
