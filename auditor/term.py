"""Text to the terminal as click writes it, without importing click where that is exact.

A check run reads its arguments without click (:mod:`auditor.cli.checkargv`); its messages, its
terminal report and its summary line are written here, so that such a run does not import click at its
end either (click and what it imports are about 51 M instructions). :func:`echo` is ``click.echo`` and
:func:`style` is ``click.style`` (click 8.x) for what auditor asks of them:

- :func:`echo` writes the text itself only where click would write to the very stream ``sys.stdout`` or
  ``sys.stderr`` is: not on Windows (click's console streams), a plain :class:`io.TextIOWrapper` whose
  encoding is not ASCII (click re-wraps an ASCII stream as UTF-8 with ``errors="replace"``), and only
  while click is not imported (then a click context may carry ``color``: click decides). Otherwise it
  calls ``click.echo``. Like click, it adds the newline, strips ANSI codes unless ``color`` is true or
  (``color`` unset) the stream is a terminal, writes and flushes.
- :func:`style` writes a foreground colour of click's sixteen names and ``bold``; anything else is
  ``click.style``'s.

tests/test_term.py holds both to click on drawn texts, streams and settings.
"""

from __future__ import annotations

import io
import os
import re
import sys
from collections.abc import Callable

#: click's ``_ansi_re``: an ANSI escape sequence.
_ANSI = re.compile(r"\033\[[0-?]*[ -/]*[@-~]")

#: click.termui's ``_ansi_colors``: the foreground code of each colour name.
_COLORS = {
    "black": 30, "red": 31, "green": 32, "yellow": 33, "blue": 34, "magenta": 35, "cyan": 36, "white": 37,
    "reset": 39, "bright_black": 90, "bright_red": 91, "bright_green": 92, "bright_yellow": 93,
    "bright_blue": 94, "bright_magenta": 95, "bright_cyan": 96, "bright_white": 97,
}

#: Wrappers of a standard stream that click keeps as they are when what they wrap is a plain
#: :class:`io.TextIOWrapper` (their class, and how to reach what they wrap): :func:`keeps`.
_WRAPPERS: dict[type, Callable[[object], object]] = {}

#: Encodings already known not to be ASCII (``codecs.lookup(name).name != "ascii"``), by the stream's name.
_NOT_ASCII: set[str] = set()

_WINDOWS = os.name == "nt"


def _plain_stream(err: bool) -> io.TextIOWrapper | None:
    """The standard stream that ``click.echo`` would write to unchanged, or None where click decides."""
    if _WINDOWS or "click" in sys.modules:
        return None
    stream = sys.stderr if err else sys.stdout
    if stream.__class__ is not io.TextIOWrapper:
        inner = _WRAPPERS.get(stream.__class__)
        if inner is None or inner(stream).__class__ is not io.TextIOWrapper:
            return None
    encoding = stream.encoding
    if encoding not in _NOT_ASCII:
        import codecs

        try:
            if codecs.lookup(encoding).name == "ascii":
                return None
        except LookupError:  # click keeps such a stream as it is: it is not ASCII
            pass
        _NOT_ASCII.add(encoding)
    return stream


def keeps(cls: type, inner: Callable[[object], object]) -> type:
    """Writes to an instance of ``cls`` (a wrapper of a standard stream, whose ``inner(instance)`` it
    wraps) as to what it wraps, when that is a plain :class:`io.TextIOWrapper`. The wrapper must
    pass ``write``, ``flush``, ``isatty`` and ``encoding`` on, and have no ``color`` of its own: click then
    treats it as the stream it wraps (``auditor.cli.guard._Stdout``; tests/test_term.py holds it to click)."""
    _WRAPPERS[cls] = inner
    return cls


def _isatty(stream: io.TextIOWrapper) -> bool:
    try:
        return stream.isatty()
    except Exception:  # click's isatty: a stream that cannot say is not a terminal
        return False


def write(stream: io.TextIOWrapper, message: str, nl: bool = True, color: bool | None = None) -> None:
    """``click.echo(message, nl=nl, color=color)`` to ``stream`` (a text stream click keeps as it is, with
    no click context), for a ``str`` message."""
    out = message + "\n" if nl else message
    if not out:
        stream.flush()
        return
    if (not _isatty(stream)) if color is None else not color:
        out = _ANSI.sub("", out)
    stream.write(out)
    stream.flush()


def echo(message: str, err: bool = False, nl: bool = True, color: bool | None = None) -> None:
    """``click.echo(message, err=err, nl=nl, color=color)``, without importing click where that is exact."""
    stream = _plain_stream(err)
    if stream is None:
        import click

        click.echo(message, err=err, nl=nl, color=color)
    else:
        write(stream, message, nl, color)


def style(text: str, fg: str | None = None, bold: bool | None = None, **other: object) -> str:
    """``click.style(text, fg=fg, bold=bold)``: for a colour name of click's and ``bold``, without click."""
    if other or (fg and fg not in _COLORS) or text.__class__ is not str:
        import click

        return click.style(text, fg=fg, bold=bold, **other)  # type: ignore[arg-type]
    bits = []
    if fg:
        bits.append(f"\033[{_COLORS[fg]}m")
    if bold is not None:
        bits.append(f"\033[{1 if bold else 22}m")
    bits.append(text)
    bits.append("\033[0m")
    return "".join(bits)
