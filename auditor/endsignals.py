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
from collections.abc import Iterator

__all__ = ["ENDING", "argv_lang", "held", "interrupted_while_loading"]

#: The signals a run ends on.
ENDING = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


def argv_lang(argv: list[str]) -> str:
    """``--lang`` as given on the command line, for messages printed before the settings are read."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return "en" if argv[i + 1] == "en" else "ko"
        if arg.startswith("--lang="):
            return "en" if arg == "--lang=en" else "ko"
    return "ko"


def interrupted_while_loading(signum: int, frame: object) -> None:
    """The ``auditor`` program's SIGINT handler until a command puts its own in place
    (:func:`auditor.cli.guard.guarded`): Ctrl-C while the modules load ends the process with the line
    and exit code of an interrupted run (130), not a traceback out of whatever import it cut. Nothing
    has been read or written yet, so there is nothing to clean up."""
    import os
    import sys

    en = argv_lang(sys.argv[1:]) == "en"
    message = "auditor: interrupted (SIGINT)\n" if en else "auditor: 중단되었습니다 (SIGINT)\n"
    try:
        os.write(2, message.encode())
    except OSError:  # no standard error to tell: the exit code says it
        pass
    os._exit(128 + signal.SIGINT)


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
