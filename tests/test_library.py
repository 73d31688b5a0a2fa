"""auditor as a library: the top-level names work and match their home modules."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

import auditor

SHEET = Path(__file__).resolve().parent.parent / "examples" / "sheets" / "000_c6c48727fbba6ebb.txt"


@pytest.mark.parametrize("name", sorted(auditor._EXPORTS))
def test_each_top_level_name_is_the_object_of_its_home_module(name):
    home = importlib.import_module(auditor._EXPORTS[name])
    assert getattr(auditor, name) is getattr(home, name)


def test_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        auditor.nope  # noqa: B018


def test_the_documented_example_runs_and_finds_the_sheets_known_findings():
    rules = auditor.load_ruleset()
    findings = rules.check(auditor.read_file(SHEET))
    assert {f.code for f in findings} == {"REVIEW004"}
    assert all(f.severity < auditor.Severity.ERROR for f in findings)
    assert auditor.evaluate(auditor.parse_formula("100,000원*4명*12개월")) == 4_800_000
