"""``--help`` fits the terminal by display width (Hangul is two columns) and never breaks a word."""

from __future__ import annotations

import os
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner
from hypothesis import given, strategies as st

from auditor.cli import main
from auditor.cli.help import display_width, wrap_text, wrap_words

COMMANDS = [[], ["check"], ["parse"], ["rules"], ["rule"]]


def help_text(args: list[str], width: int) -> str:
    r = CliRunner().invoke(main, [*args, "--help"], terminal_width=width)
    assert r.exit_code == 0, r.output
    return r.output


def words_of(command: click.Command) -> set[str]:
    """Every word the command's help is made of: its text, epilog and each option's help."""
    texts = [command.help or "", command.epilog or ""]
    texts += [p.help or "" for p in command.params if isinstance(p, click.Option)]
    return {word for text in texts for word in text.split() if word != "\b"}


@pytest.mark.parametrize("width", [80, 60])
@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a) or "auditor")
def test_help_fits_the_terminal_and_keeps_every_word_whole(args, width):
    text = help_text(args, width)
    too_wide = [line for line in text.splitlines() if display_width(line) > width]
    assert too_wide == []
    command = main if not args else main.commands[args[0]]
    shown = set(text.split())
    assert words_of(command) - shown == set(), "every word of the help is printed whole"


def test_check_help_in_a_real_80_column_terminal():
    env = {**os.environ, "COLUMNS": "80", "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run([sys.executable, "-m", "auditor", "check", "--help"], capture_output=True, env=env,
                          check=True)
    lines = done.stdout.decode("utf-8").splitlines()
    assert max(display_width(line) for line in lines) <= 80 and len(lines) > 40


def test_clicks_own_formatter_runs_past_80_columns_on_this_help():
    """Control: counting a Hangul syllable as one column, as click does, overflows; so the tests above can fail."""
    formatter = click.HelpFormatter(width=80)
    ctx = click.Context(main.commands["check"], info_name="check")
    main.commands["check"].format_help(ctx, formatter)
    assert max(display_width(line) for line in formatter.getvalue().splitlines()) > 80


def test_hangul_takes_two_columns():
    assert display_width("사업설명서") == 10 and display_width("abc") == 3 and display_width("a\u0301") == 1


def test_a_wide_line_of_a_kept_block_continues_indented():
    text = "\b\n  auditor check sheets/ --baseline .auditor-baseline.json   # 새 지적만 / new findings only"
    lines = wrap_text(text, 60).splitlines()
    assert lines[0].startswith("  auditor check") and lines[1].startswith("      ") and len(lines) == 2
    assert all(display_width(line) <= 60 for line in lines)


@given(st.lists(st.text(alphabet="가나다라abc,.·()", min_size=1, max_size=12), min_size=1, max_size=30),
       st.integers(20, 100))
def test_wrapping_keeps_every_word_and_fits_unless_one_word_is_wider(words, width):
    lines = wrap_words(" ".join(words), width, "  ", "  ")
    assert " ".join(lines).split() == words
    for line in lines:
        assert display_width(line) <= width or len(line.split()) == 1
