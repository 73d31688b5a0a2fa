"""Every rule's own pass and fail cases (``rules/cases/CODE.toml``), read with the real reader and checked.

A case of a cross-document rule holds several documents; it is indexed and run through the cross pass,
and its ``lines`` name ``path:line``.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from auditor.crossdoc.cross import cross_check
from auditor.crossdoc.index import index_bytes
from auditor.engine import load_ruleset
from auditor.readers import read_bytes

CASES = Path(__file__).resolve().parents[1] / "rules" / "cases"
RULES = load_ruleset()


def _cases() -> list:
    out = []
    for path in sorted(CASES.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for i, case in enumerate(data["case"]):
            out.append(pytest.param(data["rule"], case, id=f"{data['rule']}-{case['kind']}-{i}"))
    return out


def test_every_rule_has_a_pass_case_and_a_fail_case():
    kinds: dict[str, set[str]] = {}
    for path in CASES.glob("*.toml"):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        assert path.stem == data["rule"], f"{path.name} holds cases for {data['rule']}"
        kinds[data["rule"]] = {c["kind"] for c in data["case"]}
    for rule in RULES.rules:
        assert kinds.get(rule.code, set()) >= {"pass", "fail"}, f"{rule.code} needs a pass and a fail case"
    assert set(kinds) <= {r.code for r in RULES.rules}, "cases for a rule that does not exist"


def case_findings(code: str, case: dict, rules=RULES) -> list:
    """The findings of a case that holds several documents (``[[case.documents]]``, each a ``path`` and
    a ``text``): each document read as ``auditor check`` reads it, indexed, and the cross pass run over
    them, with the case's own ``params`` for its rule when it gives some."""
    if case.get("params"):
        rules = rules.with_params({code: case["params"]})
    entries = [e for doc in case["documents"]
               for e in index_bytes(doc["text"].encode("utf-8"), doc["path"], fragment=case.get("fragment", True))]
    return list(cross_check(entries, rules).findings)


@pytest.mark.parametrize("code,case", _cases())
def test_rule_case(code, case):
    if "documents" in case:  # a cross-document rule: lines are "path:line"
        found = sorted(f"{f.path}:{f.line}" for f in case_findings(code, case) if f.code == code)
        if case["kind"] == "pass":
            assert found == [], f"{code} fired on a pass case ({case['name']})"
        else:
            assert found == sorted(case["lines"]), f"{code} on {case['name']}"
        return
    path = f"{code}.case.txt"
    fragment = case.get("fragment", True)  # most cases hold only the part of a sheet their rule reads
    if "hex" in case:
        sheet = read_bytes(bytes.fromhex(case["hex"]), path, fragment=fragment)
    else:  # by content, as read_file does: sheet text, or an e호조 CSV export
        sheet = read_bytes(case["text"].encode("utf-8"), path, fragment=fragment)
    lines = sorted(f.line for f in RULES.check(sheet) if f.code == code)
    if case["kind"] == "pass":
        assert lines == [], f"{code} fired on a pass case ({case['name']})"
    else:
        assert lines == sorted(case["lines"]), f"{code} on {case['name']}"
