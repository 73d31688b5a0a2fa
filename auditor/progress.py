"""How far a run has got, on standard error: a bar on a terminal, an occasional line in a log.

On a terminal, long runs get click's progress bar. Elsewhere (a CI log, a file) a bar would be one
useless line or a screenful of carriage returns, so a line such as ``auditor: checked 500/2,000
files (25%, 12 s)`` is written at most once every :data:`INTERVAL` seconds, the first only once that
much time has passed: a short run prints none. ``-q`` shows neither.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable, Iterator

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: More files than this, on a terminal, get a progress bar.
BAR_THRESHOLD = 20
#: Seconds between two progress lines in a log (``AUDITOR_PROGRESS_INTERVAL`` changes it; 0 = every file).
INTERVAL = 5.0


def interval() -> float:
    """:data:`INTERVAL`, or ``AUDITOR_PROGRESS_INTERVAL`` when it is a number of seconds (0 or more)."""
    raw = os.environ.get("AUDITOR_PROGRESS_INTERVAL", "").strip()
    try:
        value = float(raw)
    except ValueError:
        return INTERVAL
    return value if value >= 0 and value == value and value != float("inf") else INTERVAL


class Progress:
    """Nothing shown: the base of the two ways to show progress (and what ``-q`` gets)."""

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: Any) -> None:
        pass

    def update(self, done: int) -> None:
        """``done`` more files have been checked."""

    @contextlib.contextmanager
    def paused(self) -> Iterator[None]:
        """Around a write to standard output, which may share the terminal with the bar."""
        yield


class Lines(Progress):
    """An occasional line, ``auditor: checked 500/2,000 files (25%, 12 s)``, for a log."""

    def __init__(self, total: int, lang: str, write: Callable[[str], None], *, every: float | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.total = total
        self.lang = lang
        self.write = write
        self.every = interval() if every is None else every
        self.clock = clock
        self.start = self.last = clock()
        self.done = 0

    def update(self, done: int) -> None:
        self.done += done
        now = self.clock()
        if now - self.last >= self.every:
            self.last = now
            self.write(self.line(now - self.start))

    def line(self, elapsed: float) -> str:
        done, total = self.done, self.total
        percent = done * 100 // total if total else 100
        seconds = int(elapsed)
        if self.lang == "en":
            return f"auditor: checked {done:,}/{total:,} files ({percent}%, {seconds:,} s)"
        return f"auditor: 파일 {total:,}개 중 {done:,}개 검사 ({percent}%, {seconds:,}초)"


class Bar(Progress):
    """click's progress bar on the terminal, cleared while findings are written to the same terminal."""

    def __init__(self, total: int, stream: Any) -> None:
        import click

        self.stream = stream
        self.bar = click.progressbar(length=total, label="auditor", file=stream, show_pos=True)
        self.shared = _isatty(sys.stdout)  # the report goes to the terminal the bar is drawn on

    def __enter__(self) -> Bar:
        self.bar.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.bar.__exit__(*exc)

    def update(self, done: int) -> None:
        self.bar.update(done)

    @contextlib.contextmanager
    def paused(self) -> Iterator[None]:
        if not self.shared:
            yield
            return
        try:
            self.stream.write("\r\x1b[2K")  # erase the bar's line; the findings are written from its start
            self.stream.flush()
        except (OSError, ValueError):
            pass
        yield
        self.bar._last_line = None  # click draws a line only when it changed: draw it again below the findings
        self.bar.render_progress()


def _isatty(stream: Any) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except (OSError, ValueError):
        return False


def for_stderr(total: int, lang: str, write: Callable[[str], None]) -> Progress:
    """A bar when standard error is a terminal and there are more than :data:`BAR_THRESHOLD` files;
    else occasional lines, written with ``write``."""
    stderr = sys.stderr
    if _isatty(stderr):
        return Bar(total, stderr) if total > BAR_THRESHOLD else Progress()
    return Lines(total, lang, write)
