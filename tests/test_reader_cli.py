"""``auditor parse``: text and JSON output, problems on stderr, exit codes, stdin."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from auditor.cli import main

SHEET = Path(__file__).resolve().parent.parent / "examples" / "sheets" / "000_c6c48727fbba6ebb.txt"


def run(*args, input=None):
    return CliRunner().invoke(main, ["parse", *args], input=input)


def test_text_output_shows_numbers_with_their_lines():
    result = run(str(SHEET))
    assert result.exit_code == 0
    assert "243,800" in result.stdout and "2017" in result.stdout and "-14,800" in result.stdout


def test_unreadable_path_exits_2_and_the_other_files_are_still_read(tmp_path):
    result = run("--format", "json", str(tmp_path / "missing.txt"), str(SHEET))
    assert result.exit_code == 2
    assert "missing.txt" in result.stderr and "파일이 없습니다" in result.stderr
    data = json.loads(result.stdout)
    assert len(data["sheets"]) == 1 and data["errors"][0]["message_en"] == "no such file"


def test_problems_go_to_stderr_as_path_line_col_and_exit_1():
    frag = "연도\t최종예산\t전년이월\t예산변경\t예산현액\t집행액\t차년이월\t집행잔액\n2017\t1\t2\t3\t4\t5\t6\n"
    result = run("-", input=frag.encode("cp949"))
    assert result.exit_code == 1
    assert result.stderr.startswith("<stdin>:2:")
    assert "PARSE003" in result.stderr and "집행잔액" in result.stderr


def test_help_names_the_formats_and_exit_codes():
    result = run("--help")
    assert result.exit_code == 0 and "--format" in result.stdout and "Exit status" in result.stdout
