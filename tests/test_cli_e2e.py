"""End to end: ``python -m auditor`` in a subprocess over examples/ and over a directory of generated sheets.

The generated directory has 1,000 sheets on CI (where ``CI`` is set, as ``.ci/run`` runs) and 120
locally, to keep the local run short; ``AUDITOR_E2E_SHEETS=N`` overrides both.
``benchmarks/check.py`` times the same directory. Nothing here is timed.
"""

from __future__ import annotations

import importlib.util
import io
import json
import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
COUNT = int(os.environ.get("AUDITOR_E2E_SHEETS", "1000" if os.environ.get("CI") else "120"))


def _bench():
    spec = importlib.util.spec_from_file_location("bench_check", REPO / "benchmarks" / "check.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def auditor(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "NO_COLOR")}
    env["PYTHONPATH"] = str(REPO)
    return subprocess.run([sys.executable, "-m", "auditor", *args], cwd=cwd, capture_output=True, env=env)


def test_examples_sheets_smoke() -> None:
    p = auditor("check", "examples/sheets", "--isolated")
    assert p.returncode == 0, p.stderr.decode()
    assert "오류 0건" in p.stdout.decode("utf-8") and "파일 2개" in p.stdout.decode("utf-8")


def test_examples_directory_reads_sheets_and_eho_csv_not_readme() -> None:
    p = auditor("check", "examples/", "--isolated", "--output-format", "json", "-v")
    assert p.returncode == 0, p.stderr.decode()
    assert json.loads(p.stdout)["summary"]["files"] == 5
    read = [line for line in p.stderr.decode().splitlines() if line.startswith("auditor: examples/")]
    assert read == [
        "auditor: examples/eho/eho-expenditure-sample.csv", "auditor: examples/eho/eho-yongin-2026-part1.csv",
        "auditor: examples/eho/eho-yongin-2026-part2.csv",
        "auditor: examples/sheets/000_c6c48727fbba6ebb.txt", "auditor: examples/sheets/002_09ee4b9481a37380.txt",
    ]


def test_explicit_csv_is_read_as_an_eho_export() -> None:
    p = auditor("check", "examples/eho/eho-expenditure-sample.csv", "--isolated", "--output-format", "json")
    assert p.returncode == 0, p.stderr.decode()
    doc = json.loads(p.stdout)
    assert doc["summary"]["files"] == 1 and doc["findings"] == []


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, set[str]]:
    root = tmp_path_factory.mktemp("generated")
    made = _bench().generate_sheets(root / "sheets", COUNT)
    return root, {p.relative_to(root).as_posix() for p, injected in made if injected}


def test_generated_directory_end_to_end(generated: tuple[Path, set[str]]) -> None:
    root, injected = generated
    p = auditor("check", "sheets", "--isolated", "--output-format", "json", "--jobs", "2", cwd=root)
    assert p.returncode == 1, p.stderr.decode()
    doc = json.loads(p.stdout)
    assert doc["summary"]["files"] == COUNT and doc["errors"] == []
    errors = defaultdict(set)
    for f in doc["findings"]:
        if f["severity"] == "error":
            errors[f["path"]].add(f["rule"])
    assert set(errors) == injected  # every broken sheet fails the gate, no clean one is accused
    assert all(found == {"SET001", "SET002"} for found in errors.values())


def test_generated_directory_same_output_for_any_jobs(generated: tuple[Path, set[str]]) -> None:
    root, _ = generated
    one = auditor("check", "sheets", "--isolated", "--output-format", "sarif", "--jobs", "1", cwd=root)
    two = auditor("check", "sheets", "--isolated", "--output-format", "sarif", "--jobs", "2", cwd=root)
    assert one.returncode == two.returncode == 1
    assert one.stdout == two.stdout and one.stdout


def test_progress_bar_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from auditor.cli import check as check_module
    from auditor.discovery import discover
    from auditor.engine import load_ruleset
    from auditor.runner import RulesetSpec

    made = _bench().generate_sheets(tmp_path, 25, inject_every=0)
    inputs = discover([str(tmp_path)], root=tmp_path).inputs
    ruleset, spec = load_ruleset(), RulesetSpec()

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    for quiet, tty, count, shown in [(False, True, 25, True), (True, True, 25, False),
                                     (False, False, 25, False), (False, True, 20, False)]:
        err = Terminal() if tty else io.StringIO()
        monkeypatch.setattr(sys, "stderr", err)
        outcomes = list(check_module._outcomes(inputs[:count], ruleset, spec, {"quiet": quiet, "jobs": 1}, "none"))
        assert len(outcomes) == count
        assert ("auditor" in err.getvalue()) is shown, (quiet, tty, count)
    assert len(made) == 25
