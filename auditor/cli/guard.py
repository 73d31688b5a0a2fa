"""How every ``auditor`` command ends: an exit code that tells what happened, and never a traceback.

- SIGINT (Ctrl-C) exits 130, SIGTERM 143 and SIGHUP 129 (128 + the signal's number, as a shell
  reports a process killed by it). The signal is turned into an exception in the main thread,
  so that every ``finally`` and ``with`` block on the way out runs: worker processes are stopped
  and an output being written is removed (:mod:`auditor.outputs`), leaving the old file as it was.
- Standard output that cannot take the report (closed, a full device, an I/O error) is an error,
  exit 2, since the report is lost; a reader that went away (a broken pipe: ``auditor check |
  head``) ends the run quietly with 141, as git does when SIGPIPE kills it (128 + 13).
- Standard error that cannot be written (full, closed, a broken pipe) is ignored: it carries
  messages, and the exit code still says how the run went.
- Anything else that escapes a command is one line, ``auditor: error: …``, and exit 2
  (``AUDITOR_TRACEBACK=1`` shows the traceback, for a bug report).
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import sys
from collections.abc import Iterator
from operator import attrgetter

from auditor.endsignals import argv_lang
from auditor.term import keeps

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["EXIT_BROKEN_PIPE", "EXIT_SIGNAL", "Interrupted", "OutputLost", "guarded", "set_lang"]

#: A signal ends the run with 128 + its number.
EXIT_SIGNAL = 128
#: A broken pipe on standard output: what a shell shows for a process killed by SIGPIPE (git's way).
EXIT_BROKEN_PIPE = EXIT_SIGNAL + 13
EXIT_ERROR = 2
#: The signals that end a run with clean-up (SIGINT raises KeyboardInterrupt on its own).
_ENDING = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))
#: The message language of the run, once the command knows it (``--lang`` or the configuration).
_lang = ["ko"]


class Interrupted(BaseException):
    """A signal that ends the run, raised where the main thread was, so that clean-up code runs."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


class OutputLost(Exception):
    """Standard output could not take what was written to it; ``err`` says why."""

    def __init__(self, err: OSError) -> None:
        super().__init__(err)
        self.err = err


class _Stdout:  # written to as what it wraps (auditor.term.keeps, below)
    """Standard output, whose write errors become :class:`OutputLost` (a closed one raises on first use)."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    @property
    def encoding(self) -> str:
        return getattr(self._inner, "encoding", None) or "utf-8"

    @property
    def errors(self) -> str:
        return getattr(self._inner, "errors", None) or "strict"

    def _call(self, name: str, *args: Any) -> Any:
        if self._inner is None:
            raise OutputLost(OSError(errno.EBADF, "standard output is closed"))
        try:
            return getattr(self._inner, name)(*args)
        except OSError as err:
            raise OutputLost(err) from None
        except ValueError as err:  # "I/O operation on closed file"
            raise OutputLost(OSError(errno.EBADF, str(err))) from None

    def write(self, text: str) -> int:
        return self._call("write", text)

    def flush(self) -> None:
        if self._inner is not None:
            self._call("flush")

    def isatty(self) -> bool:
        try:
            return self._inner is not None and self._inner.isatty()
        except (OSError, ValueError):
            return False

    def __getattr__(self, name: str) -> Any:
        if self._inner is None:
            raise AttributeError(name)
        return getattr(self._inner, name)


keeps(_Stdout, attrgetter("_inner"))


class _Stderr(_Stdout):
    """Standard error, whose write errors are ignored: the exit code still tells how the run went."""

    def _call(self, name: str, *args: Any) -> Any:
        try:
            return super()._call(name, *args)
        except OutputLost:
            return len(args[0]) if args else None


keeps(_Stderr, attrgetter("_inner"))


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
def guarded(args: list[str] | None = None) -> Iterator[None]:
    """Run a command so that it ends with an exit code and at most one line on standard error.

    A signal becomes ``SystemExit(128 + signum)`` once clean-up has run; a lost standard output
    exit 2 (141 for a broken pipe); any other exception one line and exit 2. Click's own usage
    errors and exits pass through. ``args`` (else ``sys.argv``) give ``--lang`` for messages
    printed before the command has read its settings.
    """
    handler = _Handlers()
    previous: dict[int, Any] = {}
    try:
        for signum in (signal.SIGINT, *_ENDING):
            previous[signum] = signal.signal(signum, handler)
    except ValueError:  # not the main thread: signals stay as they are
        pass
    streams = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _Stdout(streams[0]), _Stderr(streams[1])
    _lang[0] = argv_lang(sys.argv[1:] if args is None else args)
    try:
        try:
            _check_cwd()
            yield
        except SystemExit:
            sys.stdout.flush()  # what is still buffered must reach its reader before the exit code is final
            raise
        else:
            sys.stdout.flush()
    except KeyboardInterrupt:
        _ending(signal.SIGINT)
    except Interrupted as e:
        _ending(e.signum)
    except OutputLost as e:
        _lost(e.err, streams[0])
    except Exception as e:  # a bug: one line, not a traceback (unless asked for)
        if _of_click(e) or os.environ.get("AUDITOR_TRACEBACK", "").strip() not in ("", "0"):
            raise
        detail = f"{type(e).__name__}: {e}"
        _say(f"error: internal error ({detail}); this is a bug in auditor, please report it"
             if _lang[0] == "en" else f"error: 내부 오류가 났습니다 ({detail}); auditor의 버그이니 알려 주세요")
        sys.exit(EXIT_ERROR)
    finally:
        sys.stdout, sys.stderr = streams
        for signum, old in previous.items():
            signal.signal(signum, old)


def _of_click(e: Exception) -> bool:
    """Whether ``e`` is one of click's usage errors or exits, which click reports itself. Only a command run
    through click raises one, so click is imported wherever one can be; a ``check`` run without click
    (:mod:`auditor.cli.checkargv`) does not import it for this."""
    click = sys.modules.get("click")
    return click is not None and isinstance(
        e, (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort))


def _check_cwd() -> None:
    """A run from a folder that was deleted cannot resolve relative paths: say so, exit 2."""
    try:
        os.getcwd()
    except OSError as err:
        _say("error: the current directory no longer exists (" + (err.strerror or str(err))
             + "); run auditor from an existing directory" if _lang[0] == "en"
             else "error: 현재 디렉터리가 없습니다 (" + (err.strerror or str(err)) + "); 있는 디렉터리에서 실행하세요")
        sys.exit(EXIT_ERROR)


def _lost(err: OSError, stdout: Any) -> None:
    """Standard output failed: quiet 141 for a broken pipe, else one line and exit 2 (the report is lost)."""
    _silence(stdout)  # what is still buffered must not fail again when Python exits
    if err.errno == errno.EPIPE:
        sys.exit(EXIT_BROKEN_PIPE)
    reason = err.strerror or str(err)
    _say(f"error: cannot write to standard output ({reason}); the report is lost" if _lang[0] == "en"
         else f"error: 표준 출력에 쓸 수 없어 ({reason}) 보고서를 내보내지 못했습니다")
    sys.exit(EXIT_ERROR)


def _silence(stdout: Any) -> None:
    """Point file descriptor 1 at /dev/null, if ``stdout`` writes to it."""
    try:
        if stdout is None or stdout.fileno() != 1:
            return
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def _ending(signum: int) -> None:
    name = _name(signum)
    _say(f"interrupted ({name})" if _lang[0] == "en" else f"중단되었습니다 ({name})")
    if _stranded():
        # A stopped worker pool left a thread that did not end (auditor.runner.stranded): the
        # interpreter's exit would join it for ever. Clean-up has run; flush and end here.
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError, AttributeError):
                pass
        os._exit(EXIT_SIGNAL + signum)
    sys.exit(EXIT_SIGNAL + signum)


def _stranded() -> bool:
    runner = sys.modules.get("auditor.runner")  # not imported: no worker pool ran
    return runner is not None and runner.stranded()
