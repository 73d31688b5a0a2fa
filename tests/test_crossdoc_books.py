"""Generated multi-year books: consistent ones give no error and no warning; each cross-document fault is caught.

Every document of a book is read and checked as ``auditor check`` does (an e호조 export one 세부사업 at
a time), then the cross pass runs over their index entries with the book's identity mapping.
"""

from __future__ import annotations

import json
from dataclasses import replace
import subprocess
import sys
from pathlib import Path

import attrs
from hypothesis import HealthCheck, given, settings, strategies as st

from auditor.crossdoc.cross import cross_check
from auditor.crossdoc.identity import Identity
from auditor.crossdoc.index import entry_of
from auditor.engine import load_ruleset
from auditor.findings import Severity
from auditor.readers import iter_sheets
from auditor.testing.years import ANSWER_KEY, KINDS, generate_book, write_book

RULES = load_ruleset()
REPO = Path(__file__).resolve().parent.parent
SETTINGS = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check_book(book, rules=RULES):
    """Every finding on ``book``: each document's own, then the cross pass's; and the cross result."""
    entries, findings = [], []
    for path, data in sorted(book.files.items()):
        for sheet in iter_sheets(data, path):
            findings += rules.check(sheet)
            entries.append(entry_of(sheet))
    cross = cross_check(entries, rules, Identity.from_table(book.identity))
    return findings + list(cross.findings), cross


books = st.builds(lambda seed, projects, years: (seed, projects, years),
                  st.integers(0, 10**6), st.integers(2, 5), st.integers(3, 4))


@SETTINGS
@given(books)
def test_a_consistent_book_gives_no_error_and_no_warning(drawn):
    seed, projects, years = drawn
    book = generate_book(seed, projects=projects, years=years)
    findings, cross = check_book(book)
    assert [(f.code, f.path, f.line, f.message_en) for f in findings if f.severity != Severity.INFO] == []
    assert len(cross.projects) == projects  # every project matched across its years, renamed ones too


@SETTINGS
@given(books)
def test_each_fault_is_caught_on_one_of_its_lines(drawn):
    seed, projects, years = drawn
    book = generate_book(seed, projects=projects, years=years, inject=True)
    assert book.faults
    findings, _ = check_book(book)
    found = {(f.code, f"{f.path}:{f.line}") for f in findings}
    for fault in book.faults:
        assert any((fault.rule, line) in found for line in fault.lines), fault
    expected = {f.rule for f in book.faults} | {a for f in book.faults for a in f.also}
    assert [(f.code, f.path, f.line) for f in findings if f.severity != Severity.INFO
            and f.code not in expected] == []


def test_every_fault_kind_is_made_and_caught():
    made = set()
    for seed in range(6):
        book = generate_book(seed, projects=len(KINDS), years=3, inject=True)
        findings, _ = check_book(book)
        found = {(f.code, f"{f.path}:{f.line}") for f in findings}
        for fault in book.faults:
            made.add(fault.kind)
            assert any((fault.rule, line) in found for line in fault.lines), fault
    assert made == set(KINDS)


def test_without_the_identity_mapping_a_renamed_project_is_two_projects():
    book = next(b for b in (generate_book(s, projects=4, years=3) for s in range(40)) if b.identity.get("projects"))
    _, mapped = check_book(book)
    _, alone = check_book(replace(book, identity={}))
    assert len(alone.projects) > len(mapped.projects)


def test_the_fast_path_and_the_reference_agree_on_books():
    reference = attrs.evolve(RULES, reference=True)
    for seed in range(3):
        book = generate_book(seed, projects=6, years=3, inject=True)
        _, fast = check_book(book)
        _, slow = check_book(book, reference)
        assert fast.findings and fast.findings == slow.findings


@SETTINGS
@given(books, st.booleans())
def test_the_fast_path_and_the_reference_agree_on_drawn_books(drawn, inject):
    """The cross rules' generated code (one function per collection walked, the values of a parent
    computed once for all its elements and shared between the rules that read them) against the
    explaining evaluator, on books with and without faults."""
    seed, projects, years = drawn
    book = generate_book(seed, projects=projects, years=years, inject=inject)
    _, fast = check_book(book)
    _, slow = check_book(book, attrs.evolve(RULES, reference=True))
    assert fast.findings == slow.findings
    if inject:
        assert fast.findings  # a book with faults has findings to compare


def test_a_book_is_written_with_its_configuration_and_answer_key(tmp_path):
    p = subprocess.run([sys.executable, "-m", "auditor.testing.years", str(tmp_path / "book"), "--projects", "3",
                        "--years", "3", "--seed", "7", "--inject"], cwd=REPO, capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    root = tmp_path / "book"
    keys = [json.loads(line) for line in (root / ANSWER_KEY).read_text(encoding="utf-8").splitlines()]
    assert len(keys) == 3 and all(k["rule"] in KINDS.values() and k["lines"] for k in keys)
    assert sorted(p.name for p in root.iterdir() if p.is_dir()) == ["2023", "2024", "2025"]
    again = generate_book("7", projects=3, years=3, inject=True)
    assert all((root / rel).read_bytes() == data for rel, data in again.files.items())


def test_the_example_book_is_what_its_readme_says_it_is_generated_from():
    book = generate_book("2", projects=3, years=3, inject=["renamed-category", None, None], strict=True)
    root = REPO / "examples" / "multiyear"
    written = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
    assert written == set(book.files) | {"answer-key.jsonl", "README.md"}
    assert all((root / rel).read_bytes() == data for rel, data in book.files.items())
    findings, cross = check_book(book)
    assert sorted((f.code, f.path, f.line) for f in findings if f.severity != Severity.INFO) == [
        ("XDOC004", "2024/0001.txt", 33), ("XDOC005", "2023/0001.txt", 31)]
    assert len(cross.projects) == 3


def test_the_readme_shows_what_auditor_check_prints_on_the_example_book(monkeypatch):
    from click.testing import CliRunner

    from auditor.cli import main

    monkeypatch.chdir(REPO)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    r = CliRunner().invoke(main, ["check", "examples/multiyear", "--select", "XDOC", "--isolated", "--color", "never"])
    assert r.exit_code == 0, r.output  # warnings only: `auditor check examples/` still exits 0
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    shown = readme[readme.index("$ auditor check examples/multiyear --select XDOC"):]
    shown = shown[:shown.index("```")].splitlines()[1:]
    printed = r.stdout.splitlines()
    first = printed[:printed.index("")]
    assert shown[:len(first)] == first and shown[-1] == printed[-1]
