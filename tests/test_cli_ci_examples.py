"""The CI examples say what the issue asks: the workflow runs the gate and uploads SARIF; the pre-commit hook."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from auditor.cli import main

REPO = Path(__file__).resolve().parent.parent


def test_github_workflow_runs_the_gate_with_one_channel_for_the_findings() -> None:
    """Annotations (the default under GitHub Actions) and no SARIF upload: both would show every finding twice."""
    text = (REPO / "examples" / "ci" / "github-actions.yml").read_text(encoding="utf-8")
    assert "\t" not in text
    steps = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    for needed in ("actions/checkout@v", "actions/setup-python@v", "run: auditor check sheets/",
                   "actions/upload-artifact@v"):
        assert needed in steps, needed
    assert "upload-sarif" not in steps and "--sarif-output" not in steps and "--output-format" not in steps
    assert "security-events: write" not in steps, "no permission beyond reading the repository"
    upload = steps[steps.index("upload-artifact") - 200:]
    assert re.search(r"if: always\(\)", upload)
    comments = text[:text.index("name: auditor")]
    assert "instead" in comments and "twice" in comments and "10 annotations" in comments, "the choice is explained"


def test_the_workflow_command_line_is_valid() -> None:
    text = (REPO / "examples" / "ci" / "github-actions.yml").read_text(encoding="utf-8")
    command = re.search(r"run: (auditor check .*)", text).group(1).split()[2:]
    r = CliRunner().invoke(main, ["check", *command, "--help"])
    assert r.exit_code == 0


def test_pre_commit_hook() -> None:
    text = (REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    entries = dict(re.findall(r"^\s*-?\s*(id|entry|language|files|require_serial):\s*(.+)$", text, re.MULTILINE))
    assert entries == {"id": "auditor", "entry": "auditor check --force-exclude", "language": "python",
                       "files": r"\.(txt|csv)$", "require_serial": "true"}
    assert CliRunner().invoke(main, entries["entry"].split()[1:] + ["--help"]).exit_code == 0
    pattern = re.compile(entries["files"])
    assert pattern.search("sheets/a.txt") and pattern.search("c.csv")
    assert not pattern.search("d.json") and not pattern.search("README.md")
