"""``--help`` texts: one-line command descriptions, a one-breath summary of ``check``, examples that run."""

from __future__ import annotations

import re
import shlex

from click.testing import CliRunner

from auditor.cli import main

HANGUL = re.compile("[가-힣]")
LATIN_WORD = re.compile("[A-Za-z]{3,}")


def help_of(*args: str) -> str:
    r = CliRunner().invoke(main, [*args, "--help"], terminal_width=100)
    assert r.exit_code == 0, r.output
    return r.output


def test_main_help_lists_each_command_on_one_line_in_both_languages() -> None:
    text = help_of()
    commands = text.split("Commands:\n", 1)[1].split("\n\n", 1)[0].splitlines()
    rows = {line.split()[0]: line for line in commands if line.strip()}
    assert {"check", "parse", "rules", "rule"} <= set(rows)
    for name in ("check", "parse", "rules", "rule"):
        row = rows[name]
        assert HANGUL.search(row) and LATIN_WORD.search(row.split(None, 1)[1]), row
        assert not row.rstrip().endswith("..."), f"{name}: description cut off"
    assert len(commands) == len(rows), "one line per command"


def test_check_help_opens_with_one_paragraph_korean_then_english() -> None:
    lines = help_of("check").splitlines()
    assert lines[0].startswith("Usage:") and lines[1] == ""
    summary = lines[2:lines.index("", 2)]
    assert 1 <= len(summary) <= 4, summary
    text = " ".join(summary)
    assert HANGUL.search(text) and LATIN_WORD.search(text)
    assert HANGUL.search(summary[0]), "Korean first"
    first_english = min(m.start() for m in LATIN_WORD.finditer(text) if m.group() not in ("PATH", "CI"))
    assert HANGUL.search(text[:first_english])


def test_check_help_examples_are_few_and_each_one_is_valid() -> None:
    text = help_of("check")
    block = text.split("Examples:\n", 1)[1].split("\n\n", 1)[0]
    examples = [line.split("#", 1)[0].strip() for line in block.splitlines() if line.strip()]
    assert 4 <= len(examples) <= 5, examples
    assert examples[0] == "auditor check", "the most common invocation comes first"
    for example in examples:
        argv = shlex.split(example)
        assert argv[:2] == ["auditor", "check"]
        r = CliRunner().invoke(main, [*argv[1:], "--help"])
        assert r.exit_code == 0, (example, r.output)
