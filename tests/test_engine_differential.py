"""The compiled fast path and the explaining evaluator give the same findings, byte for byte.

Every rule runs as generated Python (``auditor.engine.codegen``); only the elements it does not
pass go to the explaining evaluator, which builds the findings. The reference runs every element
through the explaining evaluator (``RuleSet.reference``, ``AUDITOR_ENGINE=reference``). Both must
give identical findings, compared as the JSON report writes them, on: every rule's pass and fail
cases and documented examples, the generated corpus (consistent and faulty sheets, every fault
kind, all the generator's layout noise), the e호조 samples and the examples, the JSON report of
``auditor check`` itself, and hypothesis's generated sheets. A generator made deliberately wrong
is caught, so these tests can fail. The corpus has a few hundred sheets; on CI (``CI`` set) more
(``AUDITOR_DIFFERENTIAL_SHEETS=N`` overrides both).
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tomllib
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings, strategies as st

from auditor.crossdoc.cross import cross_check
from auditor.crossdoc.index import index_bytes
from auditor.engine import codecalls, codegen, codewriter, load_ruleset
from auditor.readers import read_bytes, read_file
from auditor.report.json_format import finding_dict
from auditor.testing import KINDS, generate_sheet, write_corpus
from tests.strategies_corpus import consistent_sheets, faulty_sheets

REPO = Path(__file__).resolve().parent.parent
CASES = REPO / "rules" / "cases"
SAMPLES = Path("/work/shared/samples")  # the shared e호조 samples, where this machine has them
COUNT = int(os.environ.get("AUDITOR_DIFFERENTIAL_SHEETS", "1000" if os.environ.get("CI") else "300"))
RULES = load_ruleset()
REFERENCE = attrs.evolve(RULES, reference=True)


def report(findings) -> bytes:
    """The findings as the JSON report writes them."""
    return json.dumps([finding_dict(f) for f in findings], ensure_ascii=False, indent=1).encode("utf-8")


def differences(sheet, fast=RULES, reference=REFERENCE) -> list[str]:
    """Why the two paths differ on ``sheet`` (empty when they agree byte for byte)."""
    a, b = fast.check(sheet), reference.check(sheet)
    if report(a) == report(b):
        return []
    only_fast = [(f.code, f.line, f.key) for f in a if f not in b]
    only_reference = [(f.code, f.line, f.key) for f in b if f not in a]
    return [f"{sheet.path}: fast only {only_fast}, reference only {only_reference}"]


def _case_sheets() -> list:
    out = []
    for path in sorted(CASES.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for i, case in enumerate(data["case"]):
            if "documents" in case:
                continue  # a cross-document rule's case: test_cross_rule_cases_and_documented_examples
            raw = bytes.fromhex(case["hex"]) if "hex" in case else case["text"].encode("utf-8")
            out.append(pytest.param(raw, case.get("fragment", True), id=f"{data['rule']}-{case['kind']}-{i}"))
    for rule in RULES.rules:
        for i, example in enumerate(rule.doc.examples):
            if not example.documents:
                out.append(pytest.param(example.text.encode("utf-8"), True, id=f"{rule.code}-doc-{example.kind}-{i}"))
    return out


def _cross_documents() -> list:
    """Every cross-document rule's cases and documented examples, as lists of ``(path, bytes)``."""
    out = []
    for path in sorted(CASES.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for i, case in enumerate(data["case"]):
            if "documents" in case:
                docs = [(d["path"], d["text"].encode("utf-8")) for d in case["documents"]]
                out.append(pytest.param(docs, case.get("params"), data["rule"], id=f"{data['rule']}-{case['kind']}-{i}"))
    for rule in RULES.rules:
        for i, example in enumerate(rule.doc.examples):
            if example.documents:
                docs = [(p, t.encode("utf-8")) for p, t in example.documents]
                out.append(pytest.param(docs, None, rule.code, id=f"{rule.code}-doc-{example.kind}-{i}"))
    return out


def cross_differences(entries, fast=RULES, reference=REFERENCE) -> list[str]:
    """Why the two paths differ on the cross pass over ``entries`` (empty when they agree byte for byte)."""
    a, b = cross_check(entries, fast).findings, cross_check(entries, reference).findings
    if report(a) == report(b):
        return []
    return [f"fast only {[(f.code, f.path, f.line) for f in a if f not in b]}, "
            f"reference only {[(f.code, f.path, f.line) for f in b if f not in a]}"]


@pytest.mark.parametrize("documents,params,code", _cross_documents())
def test_cross_rule_cases_and_documented_examples(documents, params, code):
    entries = [e for path, data in documents for e in index_bytes(data, path, fragment=True)]
    fast, reference = (RULES, REFERENCE) if not params else (
        RULES.with_params({code: params}), REFERENCE.with_params({code: params}))
    assert cross_differences(entries, fast, reference) == []


@pytest.mark.parametrize("raw,fragment", _case_sheets())
def test_rule_cases_and_documented_examples(raw, fragment):
    sheet = read_bytes(raw, "case.txt", fragment=fragment)
    assert differences(sheet) == []


def _generated(count: int, seed: str, faulty: bool):
    kinds = list(KINDS)
    for i in range(count):
        kind = kinds[i % len(kinds)] if faulty else None
        yield read_bytes(generate_sheet(random.Random(f"{seed}/{i}"), fault=kind).data, f"{seed}_{i:05d}.txt")


@pytest.mark.parametrize("faulty", [False, True], ids=["consistent", "faulty"])
def test_the_generated_corpus(faulty):
    found = []
    fired = set()
    for sheet in _generated(COUNT // 2, "differential", faulty):
        found += differences(sheet)
        fired |= {f.code for f in RULES.check(sheet)}
    assert found == []
    if faulty:  # the faults reached the explaining path through the fast one, kind by kind
        assert {k for k in KINDS} <= fired, set(KINDS) - fired


def test_a_file_of_many_sheets_run_together():
    data = generate_sheet(7, fault="SUM002").data
    assert differences(read_bytes(data * 15, "many.txt")) == []


def _samples() -> list[Path]:
    found = sorted((REPO / "examples").rglob("*.txt")) + sorted((REPO / "examples").rglob("*.csv"))
    if SAMPLES.is_dir():
        found += sorted(SAMPLES.glob("*.csv"))
    return [p for p in found if p.name != "README.md"]


@pytest.mark.parametrize("path", _samples(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_the_examples_and_the_eho_samples(path):
    from auditor.readers import iter_sheets

    for sheet in iter_sheets(path, str(path)):  # an e호조 export one 세부사업 at a time, as auditor check reads it
        assert differences(sheet) == []


def _check_json(target: Path, out: Path, reference: bool, jobs: int = 1) -> bytes:
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "NO_COLOR", "AUDITOR_ENGINE")}
    env["PYTHONPATH"] = str(REPO)
    if reference:
        env["AUDITOR_ENGINE"] = "reference"
    p = subprocess.run([sys.executable, "-m", "auditor", "check", str(target), "--isolated", "--jobs", str(jobs),
                        "--output-format", "json", "--output-file", str(out)], cwd=REPO, capture_output=True, env=env)
    assert p.returncode in (0, 1), p.stderr.decode()
    return out.read_bytes()


def test_the_json_report_of_auditor_check_is_byte_identical(tmp_path):
    corpus = write_corpus(tmp_path / "corpus", 60, seed=13, inject=0.5)
    for target in (REPO / "examples", corpus):
        fast = _check_json(target, tmp_path / "fast.json", reference=False, jobs=2)
        reference = _check_json(target, tmp_path / "reference.json", reference=True)
        assert json.loads(fast)["findings"], target  # something to compare
        assert fast == reference, target


@settings(deadline=None)
@given(st.one_of(consistent_sheets(), faulty_sheets()))
def test_generated_sheets_property(generated):
    assert differences(read_bytes(generated.data, "generated.txt")) == []


# --- the test can fail --------------------------------------------------------------------------

def _wrong_exact(gen, rule):
    """The comparison of actual and expected made wrong: ``<=`` where ``==`` is meant."""
    if rule.compare != "exact" or rule.assertion is not None:
        return ORIGINAL_COMPARE(gen, rule)
    actual, expected = gen.emit(rule.actual), gen.emit(rule.expected)
    with gen.block(f"if {actual.x} is None or {expected.x} is None:"):
        gen.line("continue")
    with gen.block(f"if {actual.x} <= {expected.x}:"):
        gen.line("continue")


def _wrong_recipe(self, raw, how, *args, **kw):
    """A text read as its reader left it (``lazy_text``'s recipe) taken from the wrong place: the
    recipe's path where its value is meant."""
    if how != "lazy text":
        return ORIGINAL_CONVERT(self, raw, how, *args, **kw)
    return self.assign(f"None if {raw} is None else ({raw}[1] if {raw}.__class__ is tuple else {raw}.value)",
                       codewriter.STR, owner=kw.get("owner"), attr=kw.get("attr"))


ORIGINAL_COMPARE = codegen._compare
ORIGINAL_CONVERT = codewriter.Writer.convert
MUTATIONS = {
    "exact compare": ("_compare", _wrong_exact),
    "interval meeting": ("Calls.meets", lambda self, a, b: codewriter.V("True", codewriter.BOOL, never_none=True)),
    "== none": ("Writer.e_bin", lambda self, node: ORIGINAL_BIN(self, (
        "bin", {"==": "!=", "!=": "=="}[node[1]], *node[2:]) if node[1] in ("==", "!=") and ("const", None) in node[2:]
        else node)),
    "not dropped": ("Writer.e_not", lambda self, node: self.emit(node[1])),
    "text recipe": ("Writer.convert", _wrong_recipe),
    "quotient order": ("Writer.quotient_order", staticmethod(lambda top, op, bottom, whole: f"{whole} * {bottom} {op} {top}")),
}
#: Mutations the cross rules' cases cannot notice: their documents hold no text as a recipe, and none
#: of their rules orders a quotient against a whole constant.
NOT_CROSS = ("interval meeting", "text recipe", "quotient order")
ORIGINAL_BIN = codewriter.Writer.e_bin


@pytest.mark.parametrize("mutation", list(MUTATIONS))
def test_a_wrong_generator_is_caught(mutation, monkeypatch):
    where, wrong = MUTATIONS[mutation]
    if "." in where:
        cls, name = where.split(".")
        monkeypatch.setattr(codecalls.Calls if cls == "Calls" else codewriter.Writer, name, wrong)
    else:
        monkeypatch.setattr(codegen, where, wrong)
    mutated = load_ruleset()  # fresh rules: each compiles again, with the wrong generator
    found = []
    for param in _case_sheets():
        raw, fragment = param.values
        found += differences(read_bytes(raw, "case.txt", fragment=fragment), fast=mutated)
    for sheet in _generated(30, "mutation", faulty=True):
        found += differences(sheet, fast=mutated)
    assert found, f"the differential test did not notice a wrong {mutation}"
    crossed = []
    for param in _cross_documents():
        documents, params, code = param.values
        entries = [e for path, data in documents for e in index_bytes(data, path, fragment=True)]
        crossed += cross_differences(entries, fast=mutated)
    assert crossed or mutation in NOT_CROSS, f"the cross rules' differential did not notice a wrong {mutation}"
