"""End to end: ``python -m auditor`` in a subprocess over examples/ and over a directory of generated sheets.

The generated directory (``auditor.testing.write_corpus``, one known fault in a tenth of the sheets,
listed in its answer key) has 1,000 sheets on CI (where ``CI`` is set, as ``.ci/run`` runs) and 120
locally, to keep the local run short; ``AUDITOR_E2E_SHEETS=N`` overrides both.
``benchmarks/check.py`` times the same kind of directory. Nothing here is timed.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from auditor.testing import answer_key, detected, write_corpus

REPO = Path(__file__).resolve().parent.parent
COUNT = int(os.environ.get("AUDITOR_E2E_SHEETS", "1000" if os.environ.get("CI") else "120"))


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
    assert json.loads(p.stdout)["summary"]["files"] == 19
    read = [line for line in p.stderr.decode().splitlines() if line.startswith("auditor: examples/")]
    book = [f"auditor: examples/multiyear/{year}/{name}" for year in (2023, 2024, 2025)
            for name in ("0001.txt", "0002.txt", "0003.txt", f"e호조_{year}.csv",
                         *(("추경1회_0002.csv",) if year == 2023 else ()))]
    assert read == [
        "auditor: examples/eho/eho-expenditure-sample.csv", "auditor: examples/eho/eho-yongin-2024-hapbon-excerpt.csv",
        "auditor: examples/eho/eho-yongin-2026-part1.csv", "auditor: examples/eho/eho-yongin-2026-part2.csv",
        *sorted(book),
        "auditor: examples/sheets/000_c6c48727fbba6ebb.txt", "auditor: examples/sheets/002_09ee4b9481a37380.txt",
    ]


def test_explicit_csv_is_read_as_an_eho_export() -> None:
    p = auditor("check", "examples/eho/eho-expenditure-sample.csv", "--isolated", "--output-format", "json")
    assert p.returncode == 0, p.stderr.decode()
    doc = json.loads(p.stdout)
    assert doc["summary"]["files"] == 1
    # its one 추경 row has no 본예산 row in the file: a note, not an error
    assert [(f["rule"], f["severity"]) for f in doc["findings"]] == [("VER003", "info")]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict]]:
    root = tmp_path_factory.mktemp("generated")
    write_corpus(root / "sheets", COUNT, seed=7, inject=0.1)
    key = [{**e, "path": f"sheets/{e['path']}"} for e in answer_key(root / "sheets")]
    return root, key


def test_generated_directory_end_to_end(generated: tuple[Path, list[dict]]) -> None:
    root, key = generated
    p = auditor("check", "sheets", "--isolated", "--output-format", "json", "--jobs", "2", cwd=root)
    assert p.returncode == 1, p.stderr.decode()
    doc = json.loads(p.stdout)
    assert doc["summary"]["files"] == COUNT and doc["errors"] == []
    found = defaultdict(list)
    for f in doc["findings"]:
        found[f["path"]].append((f["rule"], f["line"], f["severity"]))
    faults = {e["path"]: e for e in key if e["rule"]}
    assert faults and len(faults) < COUNT
    missed = [e for e in faults.values() if not detected(e, [(r, line) for r, line, _ in found[e["path"]]])]
    assert missed == []  # every injected fault is found where the answer key says
    accused = sorted(p for p, fs in found.items() if any(s == "error" for *_, s in fs) and p not in faults)
    assert accused == []  # no consistent sheet fails the gate
    for path, e in faults.items():  # and a faulty one fails it with nothing the key does not explain
        errors = {r for r, _, s in found[path] if s == "error"}
        assert errors <= {e["rule"], *e["also"]}, (path, e, errors)


def test_generated_directory_same_output_for_any_jobs(generated: tuple[Path, list[dict]]) -> None:
    root, _ = generated
    one = auditor("check", "sheets", "--isolated", "--output-format", "sarif", "--jobs", "1", cwd=root)
    two = auditor("check", "sheets", "--isolated", "--output-format", "sarif", "--jobs", "2", cwd=root)
    assert one.returncode == two.returncode == 1
    assert one.stdout == two.stdout and one.stdout


def test_progress_bar_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from auditor import config as cfg
    from auditor.pipeline import Request, Run, plan

    write_corpus(tmp_path, 25)
    settings = cfg.resolve(cfg.Options(), isolated=True)
    made = plan(settings)

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    for quiet, tty, count, shown in [(False, True, 25, True), (True, True, 25, False),
                                     (False, False, 25, False), (False, True, 20, False)]:
        err = Terminal() if tty else io.StringIO()
        monkeypatch.setattr(sys, "stderr", err)
        the_run = Run(Request(settings, (str(tmp_path),), quiet=quiet), made)
        inputs = the_run.discover()[:count]
        err.seek(0)
        err.truncate()
        result = the_run.check(inputs)
        assert len(result.files) == count
        assert ("auditor" in err.getvalue()) is shown, (quiet, tty, count)
