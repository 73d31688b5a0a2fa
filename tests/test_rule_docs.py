"""Every rule carries its documentation, and docs/rules.md is the current rendering of the packs."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from auditor.engine import load_ruleset

ROOT = Path(__file__).resolve().parents[1]
RULES = load_ruleset().rules


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_has_its_documentation_fields(rule):
    d = rule.doc
    for field in ("title_ko", "title_en", "what_ko", "what_en", "why_ko", "why_en"):
        assert getattr(d, field).strip(), f"{rule.code} lacks doc {field}"
    kinds = {e.kind for e in d.examples}
    assert kinds >= {"pass", "fail"}, f"{rule.code} needs a pass and a fail example"
    assert rule.message_ko.parts and rule.message_en.parts, f"{rule.code} needs messages in Korean and English"
    assert rule.code.rstrip("0123456789") in {"CALC", "SUM", "RATE", "XREF", "FUND", "SET", "REVIEW", "PARSE", "VER", "DER",
                                              "XDOC"}


def _generator():
    spec = importlib.util.spec_from_file_location("gen_rules_doc", ROOT / "scripts" / "gen_rules_doc.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_docs_rules_md_is_up_to_date():
    expected = _generator().render()
    current = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert current == expected, "docs/rules.md is stale: run python scripts/gen_rules_doc.py"


def test_docs_list_every_rule():
    current = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    for rule in RULES:
        assert f"### {rule.code}" in current and rule.name in current
