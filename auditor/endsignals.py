"""The signals that end a run, and holding them back for a few statements.

``auditor check`` ends with clean-up on SIGINT, SIGTERM and SIGHUP (:mod:`auditor.cli.guard` turns
them into exceptions). Some steps must not be cut in two by such an exception: handing work to the
worker pool (its locks), making a report's temporary file (its name). :func:`held` blocks the signals
for such a step; one that came meanwhile is delivered as the step ends, and its exception is raised
after it, in the caller's code.
"""

from __future__ import annotations

import contextlib
import signal
from typing import Iterator

__all__ = ["ENDING", "held"]

#: The signals a run ends on.
ENDING = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


@contextlib.contextmanager
def held() -> Iterator[None]:
    """Block :data:`ENDING` for the calling thread during the block (where the system can)."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, ENDING)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)
