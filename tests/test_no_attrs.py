"""A check run never imports attrs (about 64 M instructions of every start-up: auditor.plain).

Each run is a fresh interpreter (``python -m auditor``, as a user starts it) that says, as it ends, whether
``attr`` or ``attrs`` was ever imported; runs with findings (the explaining path), the cross pass, e호조
exports, the results cache, ``--jobs 2`` and every report format. And attrs' own API still works on the
written-out classes once a user imports it (``attrs.fields``, ``attrs.evolve``, ``attrs.has``), while
auditor's stand-ins import it only when asked for attrs itself.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

#: Runs ``python -m auditor ARGS`` and prints, at exit (``auditor.cli.entry`` runs the ``atexit`` functions
#: before ``os._exit``), which of attrs' modules were imported.
_PROGRAM = """
import atexit, sys
atexit.register(lambda: print("imported:", sorted(m for m in sys.modules if m.split(".")[0] in ("attr", "attrs"))))
sys.argv = ["auditor", *sys.argv[1:]]
from auditor.__main__ import run
run()
"""


def _imported(*args: str) -> str:
    done = subprocess.run([sys.executable, "-c", _PROGRAM, *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=600)
    assert done.returncode in (0, 1), done.stderr
    lines = [line for line in done.stdout.splitlines() if line.startswith("imported:")]
    assert lines, done.stdout + done.stderr
    return lines[-1]


@pytest.mark.parametrize("extra", [
    ("--jobs", "1", "--no-cache", "--output-format", "json"),
    ("--jobs", "2", "--no-cache", "--output-format", "sarif"),
    ("--jobs", "1", "--no-cache", "--output-format", "html"),
    ("--jobs", "1", "--no-cache", "--output-format", "full", "--statistics"),
])
def test_a_check_run_never_imports_attrs(tmp_path, extra):
    assert _imported("check", str(EXAMPLES), "-q", "-o", str(tmp_path / "report"), *extra) == "imported: []"


def test_a_run_from_the_results_cache_never_imports_attrs(tmp_path):
    args = ("check", str(EXAMPLES), "-q", "--cache-dir", str(tmp_path / "cache"), "--output-format", "json")
    assert _imported(*args, "-o", str(tmp_path / "first")) == "imported: []"  # written
    assert _imported(*args, "-o", str(tmp_path / "second")) == "imported: []"  # read back
    assert (tmp_path / "first").read_bytes() == (tmp_path / "second").read_bytes()


def test_a_check_run_with_a_baseline_never_imports_attrs(tmp_path):
    args = ("check", str(EXAMPLES), "-q", "--no-cache", "--output-format", "json", "-o", str(tmp_path / "r.json"))
    assert _imported(*args, "--write-baseline", str(tmp_path / "baseline.json")) == "imported: []"
    assert _imported(*args, "--baseline", str(tmp_path / "baseline.json")) == "imported: []"
    assert '"baselined": 20' in (tmp_path / "r.json").read_text(encoding="utf-8")


def test_the_examples_make_findings_cross_documents_and_read_eho_exports(tmp_path):
    """What the runs above go through: findings (the explaining path), e호조 exports and matched projects."""
    import json

    subprocess.run([sys.executable, "-m", "auditor", "check", str(EXAMPLES), "-q", "--no-cache", "--output-format",
                    "json", "-o", str(tmp_path / "r.json")], cwd=ROOT, timeout=600)
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    rules = {f["rule"] for f in report["findings"]}
    assert any(r.startswith("XDOC") for r in rules) and len(rules) > 3 and report["projects"]
    assert any(f["path"].endswith(".csv") for f in report["findings"])


def test_a_check_run_of_faulty_sheets_never_imports_attrs(tmp_path):
    """Sheets with one fault each, of every kind the generator makes: every rule's explaining path."""
    from auditor.testing import write_corpus

    write_corpus(tmp_path / "corpus", 60, seed=3, inject=1.0)
    report = tmp_path / "r.json"
    assert _imported("check", str(tmp_path / "corpus"), "-q", "--no-cache", "--output-format", "json",
                     "-o", str(report)) == "imported: []"
    assert '"severity": "error"' in report.read_text(encoding="utf-8")


def test_attrs_api_still_works_on_the_written_out_classes():
    import attrs

    from auditor.crossdoc.identity import Key
    from auditor.findings import Finding, Severity
    from auditor.model import Sheet

    finding = Finding("X001", "x", Severity.ERROR, "a.txt", 3, "메시지")
    assert attrs.has(Finding) and attrs.has(Key) and attrs.has(Sheet)
    assert attrs.evolve(finding, line=4).line == 4
    assert attrs.fields(Key).name.default is attrs.NOTHING and attrs.fields(Key).department.default == ""
    assert attrs.fields(Sheet).overview.default == attrs.Factory(type(Sheet("a.txt").overview))
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        finding.line = 5  # type: ignore[misc]
