"""Every output format against its reviewed golden file (set AUDITOR_UPDATE_GOLDEN=1 to rewrite)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from auditor import __version__
from auditor.report import FORMATS, render
from test_report_sample import sample_result

GOLDEN = Path(__file__).parent / "golden_report"
EXTENSION = {
    "full": "txt", "concise": "txt", "json": "json", "sarif": "sarif", "junit": "xml",
    "github": "txt", "gitlab": "json", "markdown": "md", "html": "html",
}
CASES = [(fmt, "ko") for fmt in FORMATS] + [("full", "en"), ("html", "en")]


def test_every_format_has_a_golden_case():
    assert {fmt for fmt, _ in CASES} == set(FORMATS) == set(EXTENSION)


@pytest.mark.parametrize(("fmt", "lang"), CASES, ids=[f"{f}-{l}" for f, l in CASES])
def test_matches_golden(fmt, lang):
    # The version changes on every release; the golden files carry a placeholder instead.
    text = render(fmt, sample_result(), lang=lang).replace(__version__, "{VERSION}")
    path = GOLDEN / f"{fmt}.{lang}.{EXTENSION[fmt]}"
    if os.environ.get("AUDITOR_UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    assert path.exists(), f"missing golden file {path}; run with AUDITOR_UPDATE_GOLDEN=1 and review it"
    with path.open(encoding="utf-8", newline="") as golden:
        assert text == golden.read(), f"{fmt} output changed; review and update {path.name}"
