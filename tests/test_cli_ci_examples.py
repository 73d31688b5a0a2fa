"""The CI examples say what the issue asks: the workflow runs the gate and uploads SARIF; the pre-commit hook."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from auditor.cli import main

REPO = Path(__file__).resolve().parent.parent


def test_github_workflow_runs_the_gate_and_always_uploads_sarif() -> None:
    text = (REPO / "examples" / "ci" / "github-actions.yml").read_text(encoding="utf-8")
    assert "\t" not in text
    for needed in ("actions/checkout@v", "actions/setup-python@v", "pip install .",
                   "auditor check sheets/ --sarif-output auditor.sarif", "github/codeql-action/upload-sarif@v",
                   "sarif_file: auditor.sarif", "security-events: write"):
        assert needed in text, needed
    upload = text[text.index("upload-sarif") - 200:]
    assert re.search(r"if: always\(\)", upload)


def test_the_workflow_command_line_is_valid() -> None:
    text = (REPO / "examples" / "ci" / "github-actions.yml").read_text(encoding="utf-8")
    command = re.search(r"run: (auditor check .*)", text).group(1).split()[2:]
    r = CliRunner().invoke(main, ["check", *command, "--help"])
    assert r.exit_code == 0


def test_pre_commit_hook() -> None:
    text = (REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    entries = dict(re.findall(r"^\s*-?\s*(id|entry|language|files):\s*(.+)$", text, re.MULTILINE))
    assert entries == {"id": "auditor", "entry": "auditor check --force-exclude", "language": "python", "files": r"\.(txt|csv)$"}
    assert CliRunner().invoke(main, entries["entry"].split()[1:] + ["--help"]).exit_code == 0
    pattern = re.compile(entries["files"])
    assert pattern.search("sheets/a.txt") and pattern.search("c.csv")
    assert not pattern.search("d.json") and not pattern.search("README.md")
