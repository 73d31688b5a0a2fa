"""auditor.term writes as click does: :func:`~auditor.term.style` against ``click.style`` and
:func:`~auditor.term.write` against ``click.echo``, on drawn texts (with ANSI codes among them), streams
(a terminal or not) and settings; :func:`~auditor.term.echo` leaves to click what it cannot do exactly."""

from __future__ import annotations

import io
import sys

import click
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor import term
from auditor.cli.guard import _Stderr, _Stdout

COLORS = sorted(term._COLORS)

#: Texts with escape sequences of every shape click strips (and some it does not) among Korean and ASCII.
pieces = st.one_of(
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12),
    st.sampled_from(["\x1b[0m", "\x1b[1m", "\x1b[31m", "\x1b[38;5;200m", "\x1b[?25l", "\x1b[2J", "\x1b[", "\x1b",
                     "\x1b[1;", "\x1b]0;title\x07", "예산", "\n", "\r\n", "  "]),
    st.builds(lambda t, fg, bold: click.style(t, fg=fg, bold=bold), st.text(max_size=5),
              st.sampled_from([None, *COLORS]), st.sampled_from([None, True, False])),
)
texts = st.lists(pieces, max_size=8).map("".join)


class _Bytes(io.BytesIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


def _stream(tty: bool, encoding: str = "utf-8") -> io.TextIOWrapper:
    return io.TextIOWrapper(_Bytes(tty), encoding=encoding, errors="strict", newline="\n")


@given(text=texts, fg=st.sampled_from([None, *COLORS]), bold=st.sampled_from([None, True, False]))
def test_style_is_clicks(text, fg, bold):
    assert term.style(text, fg=fg, bold=bold) == click.style(text, fg=fg, bold=bold)


def test_style_leaves_the_rest_to_click():
    assert term.style("x", fg="blue", underline=True) == click.style("x", fg="blue", underline=True)
    assert term.style("x", fg=(1, 2, 3)) == click.style("x", fg=(1, 2, 3))
    with pytest.raises((TypeError, ValueError)):  # click's refusal of a colour it does not know
        term.style("x", fg="no such colour")


@settings(max_examples=300)
@given(message=texts, nl=st.booleans(), color=st.sampled_from([None, True, False]), tty=st.booleans(),
       err=st.booleans(), wrapper=st.sampled_from([None, _Stdout, _Stderr]))
def test_write_is_click_echo(message, nl, color, tty, err, wrapper):
    """To a text stream, or to the guard's wrappers of one (what a check run writes to)."""
    name = "stderr" if err else "stdout"
    theirs, ours = _stream(tty), _stream(tty)
    if wrapper is not None:
        theirs, ours = wrapper(theirs), wrapper(ours)
    kept = getattr(sys, name)
    setattr(sys, name, theirs)
    try:
        click.echo(message, nl=nl, color=color, err=err)  # no click context here: color is as given
    finally:
        setattr(sys, name, kept)
    term.write(ours, message, nl, color)
    theirs.flush(), ours.flush()
    assert ours.buffer.getvalue() == theirs.buffer.getvalue()
    if wrapper is not None:
        assert term._WRAPPERS[wrapper](ours).__class__ is io.TextIOWrapper


def test_only_a_plain_stream_that_click_keeps_is_written_without_click(monkeypatch):
    utf8, ascii_, text = _stream(False), _stream(False, "ascii"), io.StringIO()
    monkeypatch.setattr(sys, "stdout", utf8)
    monkeypatch.setattr(sys, "stderr", ascii_)
    assert term._plain_stream(False) is None  # click is imported here: a click context may decide the colour
    monkeypatch.delitem(sys.modules, "click")
    assert term._plain_stream(False) is utf8
    assert term._plain_stream(True) is None  # click re-wraps an ASCII stream as UTF-8
    monkeypatch.setattr(sys, "stdout", _Stdout(utf8))
    assert term._plain_stream(False) is sys.stdout  # the guard's wrapper of a text stream: written through
    monkeypatch.setattr(sys, "stderr", _Stderr(ascii_))
    assert term._plain_stream(True) is None
    for other in (text, _Stdout(text), _Stdout(None)):
        monkeypatch.setattr(sys, "stdout", other)
        assert term._plain_stream(False) is None  # not a TextIOWrapper: click decides
    monkeypatch.setattr(term, "_WINDOWS", True)
    monkeypatch.setattr(sys, "stdout", utf8)
    assert term._plain_stream(False) is None  # the Windows console is click's


def test_echo_through_click_where_click_decides(monkeypatch, capsys):
    # click imported (as here): echo is click.echo itself, so a context's colour is honoured
    ctx = click.Context(click.Command("x"), color=True)
    with ctx:
        term.echo(click.style("red", fg="red"))
    assert capsys.readouterr().out == "\x1b[31mred\x1b[0m\n"
    term.echo(click.style("red", fg="red"))
    assert capsys.readouterr().out == "red\n"
