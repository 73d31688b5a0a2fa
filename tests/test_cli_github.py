"""``auditor check`` under GitHub Actions: capped annotations on stdout, every finding in the job summary."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from auditor.cli import main

SHEETS = Path(__file__).resolve().parent.parent / "examples" / "sheets"
ROW_2017 = "2017\t(x-) 236,800\t(x-) 0\t(x-) 7,000\t(x-) 243,800"


@pytest.fixture
def book(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Twelve copies of a sheet whose 2017 예산현액 is 100 too high: 24 errors (SET001, SET002 each)."""
    text = (SHEETS / "000_c6c48727fbba6ebb.txt").read_text(encoding="utf-8")
    assert ROW_2017 in text
    (tmp_path / "sheets").mkdir()
    for i in range(12):
        (tmp_path / "sheets" / f"bad{i:02}.txt").write_text(text.replace(ROW_2017, ROW_2017[:-7] + "243,900"),
                                                             encoding="utf-8")
    shutil.copy(SHEETS / "002_09ee4b9481a37380.txt", tmp_path / "sheets")
    (tmp_path / "auditor.toml").write_text("select = ['SET']\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path))
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "summary.md"))
    return tmp_path


def test_annotations_are_capped_and_the_job_summary_lists_every_finding(book: Path) -> None:
    r = CliRunner().invoke(main, ["check", "sheets"])
    assert r.exit_code == 1, r.output
    annotations = [line for line in r.stdout.splitlines() if line.startswith("::error file=")]
    assert len(annotations) == 9, "9 findings and the note make GitHub's 10 errors per step"
    assert "::error title=auditor" in r.stdout and "15건" in r.stdout
    summary = (book / "summary.md").read_text(encoding="utf-8")
    rows = [line for line in summary.splitlines() if line.startswith("| sheets/bad")]
    assert len(rows) == 24 and summary.startswith("### auditor: 오류 24건")


def test_the_job_summary_is_appended_to_what_other_steps_wrote(book: Path) -> None:
    (book / "summary.md").write_text("# earlier step\n", encoding="utf-8")
    CliRunner().invoke(main, ["check", "sheets", "--lang", "en"])
    text = (book / "summary.md").read_text(encoding="utf-8")
    assert text.startswith("# earlier step\n### auditor: Found 24 errors")


def test_other_formats_leave_the_job_summary_alone(book: Path) -> None:
    r = CliRunner().invoke(main, ["check", "sheets", "--output-format", "concise"])
    assert r.exit_code == 1 and not (book / "summary.md").exists()


def test_a_job_summary_that_cannot_be_written_is_a_warning_not_a_failed_gate(book: Path, monkeypatch) -> None:
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(book / "no" / "such" / "dir" / "summary.md"))
    r = CliRunner().invoke(main, ["check", "sheets"])
    assert r.exit_code == 1 and "auditor: warning:" in r.stderr and "summary.md" in r.stderr
