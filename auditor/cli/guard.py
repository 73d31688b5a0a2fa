"""How every ``auditor`` command ends: a signal becomes its exit code after clean-up, never a traceback.

SIGINT (Ctrl-C) exits 130, SIGTERM 143 and SIGHUP 129 (128 + the signal's number, as a shell
reports a process killed by it). The signal is turned into an exception in the main thread, so
that every ``finally`` and ``with`` block on the way out runs: worker processes are stopped and
an output being written is removed (:mod:`auditor.outputs`), leaving the old file as it was.
"""

from __future__ import annotations

import contextlib
import signal
import sys
from typing import Any, Iterator

__all__ = ["EXIT_SIGNAL", "Interrupted", "guarded", "set_lang"]

#: A signal ends the run with 128 + its number.
EXIT_SIGNAL = 128
#: The signals that end a run with clean-up (SIGINT raises KeyboardInterrupt on its own).
_ENDING = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))
#: The message language of the run, once the command knows it (``--lang`` or the configuration).
_lang = ["ko"]


class Interrupted(BaseException):
    """A signal that ends the run, raised where the main thread was, so that clean-up code runs."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def set_lang(lang: str) -> None:
    """The language of the messages printed on the way out."""
    _lang[0] = lang


def _name(signum: int) -> str:
    try:
        return signal.Signals(signum).name
    except ValueError:
        return f"signal {signum}"


class _Handlers:
    """The first ending signal raises; later ones (while cleaning up) are ignored."""

    def __init__(self) -> None:
        self.raised = False

    def __call__(self, signum: int, frame: Any) -> None:
        if self.raised:
            return
        self.raised = True
        if signum == signal.SIGINT:
            raise KeyboardInterrupt
        raise Interrupted(signum)


def _say(message: str) -> None:
    try:
        print(f"auditor: {message}", file=sys.stderr, flush=True)
    except (OSError, ValueError, AttributeError):  # no stderr to tell: the exit code says it
        pass


@contextlib.contextmanager
def guarded() -> Iterator[None]:
    """Run a command; a signal that ends it becomes ``SystemExit(128 + signum)`` once clean-up has run."""
    handler = _Handlers()
    previous: dict[int, Any] = {}
    try:
        for signum in (signal.SIGINT, *_ENDING):
            previous[signum] = signal.signal(signum, handler)
    except ValueError:  # not the main thread: signals stay as they are
        pass
    try:
        yield
    except KeyboardInterrupt:
        _ending(signal.SIGINT)
    except Interrupted as e:
        _ending(e.signum)
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)


def _ending(signum: int) -> None:
    name = _name(signum)
    _say(f"interrupted ({name})" if _lang[0] == "en" else f"중단되었습니다 ({name})")
    sys.exit(EXIT_SIGNAL + signum)
