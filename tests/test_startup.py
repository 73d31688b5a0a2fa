"""What one ``auditor check`` of one sheet imports: only what that sheet needs (docs/performance.md).

pyparsing is imported only when a formula does not parse (formulas with or without brackets, stated
amounts and the header's rate formula are read without it); the process pool only for
``--jobs`` above one; the cross-document pass (``auditor.crossdoc``) and the rule-pack loader only
when a run has a second document and when the packs are not in the cache. Each probe runs in a
fresh interpreter, and its findings are checked too, so that a lazy import that breaks a path shows here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples" / "sheets").glob("*.txt"))
HEAVY = ("pyparsing", "multiprocessing", "concurrent.futures", "auditor.crossdoc", "auditor.engine.loader")
BOOK = ROOT / "examples" / "multiyear"


@pytest.fixture(autouse=True, scope="module")
def _warm_pack_cache():
    """Compile the rule pack into the disk cache first, as any run after the first finds it
    (compiling a pack parses its expressions, with pyparsing)."""
    subprocess.run([sys.executable, "-m", "auditor", "check", str(EXAMPLES[0]), "--isolated", "-q"],
                   capture_output=True, cwd=ROOT)


def _probe(args: list[str]) -> tuple[set[str], int]:
    code = ("import sys\nfrom auditor.cli import main\n"
            f"sys.argv = ['auditor', *{args!r}]\n"
            "try:\n    main()\nexcept SystemExit as exit:\n    code = exit.code\n"
            f"print(sorted(m for m in sys.modules if any(m == h or m.startswith(h + '.') for h in {list(HEAVY)!r})))\n"
            "print(code)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    *_, modules, code = out.stdout.strip().splitlines()
    return set(eval(modules)), int(code)  # noqa: S307 - our own printed list


@pytest.mark.parametrize("sheet", EXAMPLES, ids=lambda p: p.name)
def test_one_example_sheet_is_checked_without_pyparsing_or_a_process_pool(sheet, tmp_path):
    report = tmp_path / "r.json"
    modules, code = _probe(["check", str(sheet), "--isolated", "--output-format", "json", "-o", str(report)])
    assert not modules, modules
    assert code == 0 and json.loads(report.read_text(encoding="utf-8"))["findings"]


def test_a_run_with_a_second_document_runs_the_cross_pass(tmp_path):
    report = tmp_path / "r.json"
    modules, code = _probe(["check", str(BOOK / "2023" / "0001.txt"), str(BOOK / "2024" / "0001.txt"), "--isolated",
                            "--output-format", "json", "-o", str(report)])
    assert "auditor.crossdoc.pipeline" in modules and "auditor.engine.loader" not in modules
    found = json.loads(report.read_text(encoding="utf-8"))
    assert code == 0 and found["projects"] and any(f["rule"].startswith("XDOC") for f in found["findings"])


@pytest.mark.parametrize(("tail", "grammar"), [(" * (1+0)", False), (" * (1+)", True)], ids=["bracketed", "unreadable"])
def test_only_an_unreadable_formula_imports_the_grammar_and_both_are_checked(tmp_path, tail, grammar):
    text = EXAMPLES[0].read_text(encoding="utf-8")
    line = next(ln for ln in text.splitlines() if "*" in ln and "=" in ln and "원" in ln)
    left, right = line.split("=", 1)
    sheet = tmp_path / "bracket.txt"
    sheet.write_text(text.replace(line, f"{left.rstrip()}{tail} = {right.lstrip()}", 1), encoding="utf-8")
    report = tmp_path / "r.json"
    modules, code = _probe(["check", str(sheet), "--isolated", "--output-format", "json", "-o", str(report)])
    assert ("pyparsing" in modules) == grammar and "multiprocessing" not in modules
    findings = json.loads(report.read_text(encoding="utf-8"))["findings"]
    assert code == (1 if grammar else 0) and findings
    assert any(f["rule"] == "CALC003" for f in findings) == grammar  # the caret comes from pyparsing
