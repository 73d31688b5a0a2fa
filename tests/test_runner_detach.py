"""A forked worker asks Linux to kill it when its parent dies (``PR_SET_PDEATHSIG``, :func:`auditor.runner._die_with_parent`),
through ``_ctypes``'s own functions, and through :mod:`ctypes` where those are missing. Each case runs in a
forked child, which reads its parent-death signal back with ``prctl(PR_GET_PDEATHSIG)`` and says it on a pipe.
``tests/test_signals.py`` kills a parent outright and sees its workers gone."""

from __future__ import annotations

import os
import signal
import sys

import pytest

from auditor import runner

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the parent-death signal is Linux's")


def _signal_set_in_a_child(prepare=None) -> int:
    """Fork; in the child, ``prepare()`` then :func:`runner._die_with_parent`, and its parent-death signal read back."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            os.close(read)
            if prepare is not None:
                prepare()
            runner._die_with_parent()
            import ctypes

            value = ctypes.c_int(-1)
            ctypes.CDLL(None).prctl(2, ctypes.byref(value))  # PR_GET_PDEATHSIG
            os.write(write, str(value.value).encode())
            code = 0
        finally:
            os._exit(code)
    os.close(write)
    with os.fdopen(read, "rb") as said:
        answer = said.read()
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    return int(answer)


def test_a_worker_is_killed_with_its_parent() -> None:
    assert _signal_set_in_a_child() == signal.SIGKILL


def test_through_ctypes_where_ctypes_own_functions_are_missing() -> None:
    def without_call_function() -> None:
        import _ctypes

        del _ctypes.call_function  # in the child only

    assert _signal_set_in_a_child(without_call_function) == signal.SIGKILL


def test_a_child_that_asks_nothing_has_no_parent_death_signal() -> None:
    """The reading back can fail: a child that does not ask reads 0."""
    saved = runner._die_with_parent
    try:
        runner._die_with_parent = lambda: None
        assert _signal_set_in_a_child() == 0
    finally:
        runner._die_with_parent = saved
