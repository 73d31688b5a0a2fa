"""``auditor parse`` speaks like ``auditor check``: the common error prefix, and ``--lang``."""

from __future__ import annotations

from click.testing import CliRunner

from auditor.cli import main

BROKEN = "결산\n연도\t최종예산\n2020\tx\n"


def parse(*args: str, input: str | None = None):
    return CliRunner().invoke(main, ["parse", *args], input=input)


def test_a_file_that_cannot_be_opened_uses_the_common_prefix_in_each_language(tmp_path):
    missing = str(tmp_path / "missing.txt")
    ko, en = parse(missing), parse(missing, "--lang", "en")
    assert ko.exit_code == en.exit_code == 2
    assert ko.stderr == f"auditor: error: {missing}: 파일이 없습니다\n"
    assert en.stderr == f"auditor: error: {missing}: no such file\n"


def test_reader_problems_are_in_the_chosen_language():
    ko, en = parse("-", input=BROKEN), parse("-", "--lang", "en", input=BROKEN)
    assert ko.exit_code == en.exit_code == 1
    assert "'최종예산' 칸" in ko.stderr or "숫자가 아닙니다" in ko.stderr
    assert "is not a number" in en.stderr and "숫자가 아닙니다" not in en.stderr
    assert all(line.startswith("<stdin>:") for line in en.stderr.splitlines())


def test_an_unknown_language_is_a_usage_error():
    r = parse("-", "--lang", "fr", input=BROKEN)
    assert r.exit_code == 2 and "--lang" in r.output
