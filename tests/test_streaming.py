"""A run reports as it goes: findings kept out of memory, lines kept only where shown, reports in pieces."""

from __future__ import annotations

import io
import json
import pickle
from collections import Counter
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings, strategies as st

from auditor import report
from auditor.discovery import Input
from auditor.engine import load_ruleset
from auditor.findings import Finding, Related, Severity
from auditor.report.base import STREAMED, by_rule, by_severity, dumps_indented, json_chunks, line_chunks
from auditor.result import (
    KEEP_ALL, KEEP_CONTEXT, KEEP_NONE, CheckedFile, CheckResult, FindingStore, SparseLines, retained_lines,
)
from auditor.runner import RulesetSpec, check_one, run

ROOT = Path(__file__).resolve().parent.parent
SHEETS = sorted((ROOT / "examples" / "sheets").glob("*.txt"))


def finding(path: str, line: int, code: str = "SET001", related: tuple = ()) -> Finding:
    return Finding(code=code, name="settlement.available-mismatch", severity=Severity.ERROR, path=path, line=line,
                   column=3, message_ko="다릅니다", message_en="differs", key=f"k{line}", related=related)


# -- FindingStore ---------------------------------------------------------------------------------
def test_a_store_gives_back_its_findings_in_order_however_often_and_however_nested(monkeypatch):
    monkeypatch.setattr(FindingStore, "MEMORY_BYTES", 256)  # spill to disk after a few findings
    batches = [[finding(f"{p}.txt", n) for n in range(1, 30)] for p in "abc"]
    store = FindingStore()
    for batch in batches:
        store.add(batch)
    flat = [f for batch in batches for f in batch]
    assert not isinstance(store._spool.handle, io.BytesIO)  # the findings went to disk (a temporary file)
    assert list(store) == flat and list(store) == flat and len(store) == len(flat)
    pairs = [(outer.line, inner.line) for outer in store for inner in store if inner.path == outer.path == "b.txt"]
    assert len(pairs) == 29 * 29
    moved = store.mapped(lambda f: attrs.evolve(f, path="x/" + f.path))
    assert [f.path for f in moved] == ["x/" + f.path for f in flat] and list(store) == flat


def test_a_store_counts_severities_and_rules_as_reading_every_finding_would(monkeypatch):
    monkeypatch.setattr(FindingStore, "MEMORY_BYTES", 256)
    store = FindingStore()
    for i, code in enumerate(["SET001", "CALC001", "SET001", "REVIEW004"]):
        sev = [Severity.ERROR, Severity.INFO, Severity.WARNING][i % 3]
        store.add([attrs.evolve(finding(f"{i}.txt", n, code=code), severity=sev) for n in range(1, 4 + i)])
    severities, codes = Counter(f.severity for f in store), Counter(f.code for f in store)
    assert store.severities() == severities and list(store.severities()) == list(severities)
    assert store.codes() == codes and list(store.codes()) == list(codes)
    moved = CheckResult(findings=store).with_paths({"1.txt": "../1.txt"}).findings
    assert moved.severities() == severities and moved.codes() == codes  # moving paths keeps the counts
    changed = store.mapped(lambda f: attrs.evolve(f, severity=Severity.INFO))
    assert changed.severities() is None and changed.codes() is None  # a view that may change them does not count
    assert by_severity(CheckResult(findings=changed)) == Counter({Severity.INFO: len(store)})
    assert by_rule(CheckResult(findings=store)) == by_rule(CheckResult(findings=list(store))) == {
        code: codes[code] for code in sorted(codes)}
    counted = store.severities()
    counted[Severity.ERROR] += 100  # a caller's copy
    assert store.severities() == severities


def test_the_exit_code_comes_from_a_stores_counts_without_reading_its_findings_back(monkeypatch):
    from auditor.pipeline import EXIT_FINDINGS, EXIT_OK, exit_code
    from auditor.result import _Spool

    store = FindingStore()
    store.add([attrs.evolve(finding("a.txt", n), severity=Severity.INFO) for n in range(1, 5)])
    store.add([attrs.evolve(finding("b.txt", 1), severity=Severity.WARNING)])
    listed = CheckResult(findings=list(store))

    def unread(self):
        raise AssertionError("the store was read back")

    monkeypatch.setattr(_Spool, "__iter__", unread)
    for result in (CheckResult(findings=store), CheckResult(findings=store).with_paths({"a.txt": "../a.txt"})):
        assert exit_code(result, Severity.ERROR) == EXIT_OK
        assert exit_code(result, Severity.WARNING) == exit_code(result, Severity.INFO) == EXIT_FINDINGS
        assert exit_code(result, Severity.INFO, exit_zero=True) == EXIT_OK
    for fail_on in Severity:  # a list of findings is read as before, with the same answers
        assert exit_code(listed, fail_on) == exit_code(CheckResult(findings=store), fail_on)


def test_a_finding_pickles_as_its_values_in_field_order_and_reads_back_equal():
    every = Finding(code="SET001", name="n", severity=Severity.WARNING, path="a.txt", line=3, message_ko="가",
                    message_en="a", column=4, end_column=9, related=(Related("b.txt", 2, "계"),), expected="1",
                    actual="2", key="k", occurrence=2, context=(("department", "도로과"),))
    maker, values = every.__reduce__()
    assert maker is Finding and values == tuple(getattr(every, a.name) for a in attrs.fields(Finding))
    for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
        back = pickle.loads(pickle.dumps([every, finding("a.txt", 1)], protocol=protocol))
        assert back == [every, finding("a.txt", 1)] and back[0].fingerprint == every.fingerprint
        assert type(back[0].related[0]) is Related and back[0].related == every.related


def test_a_result_with_a_store_moves_paths_lazily_and_reports_alike():
    store = FindingStore()
    store.add([finding("a.txt", 2, related=(Related("a.txt", 3, "계"),))])
    listed = CheckResult(files=[CheckedFile("a.txt", ["x"] * 5)], findings=list(store))
    stored = CheckResult(files=[CheckedFile("a.txt", ["x"] * 5)], findings=store)
    shown = {"a.txt": "../a.txt"}
    for fmt in report.FORMATS:
        assert report.render(fmt, stored.with_paths(shown)) == report.render(fmt, listed.with_paths(shown)), fmt


# -- what is kept of the lines --------------------------------------------------------------------
def test_retained_lines_keep_the_context_of_each_finding_only():
    lines = tuple(f"line {n}" for n in range(1, 101))
    kept = retained_lines(lines, [finding("a.txt", 50), finding("a.txt", 1)], KEEP_CONTEXT)
    assert len(kept) == 100 and isinstance(kept, SparseLines)
    assert sorted(kept.kept) == [1, 2, 48, 49, 50, 51]
    assert kept[49] == "line 50" and kept[9] == "" and kept[-1] == ""
    assert retained_lines(lines, [], KEEP_ALL) == lines
    assert len(retained_lines(lines, [finding("a.txt", 5)], KEEP_NONE)) == 100
    assert retained_lines(lines, [finding("a.txt", 5)], KEEP_NONE).kept == {}


def test_the_full_report_reads_the_same_from_kept_context_as_from_every_line():
    rules = load_ruleset()
    for path in SHEETS:
        text = path.read_bytes().replace(b"235,800", b"235,900")  # SUM/XREF findings on several lines
        item = Input(path.name, path.name, text)
        whole, found = check_one(item, rules, KEEP_ALL)
        sparse, _ = check_one(item, rules, KEEP_CONTEXT)
        assert found and isinstance(sparse.lines, SparseLines) and len(sparse.lines) == len(whole.lines)
        assert len(sparse.lines.kept) < len(whole.lines)
        for fmt in ("full", "concise"):
            a = report.render(fmt, CheckResult(files=[whole], findings=found))
            b = report.render(fmt, CheckResult(files=[sparse], findings=found))
            assert a == b, fmt


# -- reports in pieces ----------------------------------------------------------------------------
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(max_size=6), json_values, max_size=4), st.lists(json_values, max_size=5),
       st.text(max_size=6))
def test_json_chunks_write_exactly_what_one_dump_would(doc, items, key):
    doc = {**doc, key: STREAMED}
    whole = json.dumps({**doc, key: items}, ensure_ascii=False, indent=2) + "\n"
    assert "".join(json_chunks(doc, iter(items))) == whole
    nested = {"runs": [{"a": 1, "results": STREAMED}]}
    assert "".join(json_chunks(nested, iter(items))) == json.dumps(
        {"runs": [{"a": 1, "results": items}]}, ensure_ascii=False, indent=2) + "\n"


class _Label(str):
    """A str subclass: json.dumps writes it as a string; dumps_indented leaves it to json.dumps."""


any_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8)
    | st.text(alphabet="\"\\\n\t\x00\x1f\x7f\u2028가", max_size=4) | st.builds(_Label, st.text(max_size=3)),
    lambda inner: (st.lists(inner, max_size=4) | st.lists(inner, max_size=3).map(tuple)
                   | st.dictionaries(st.text(max_size=5) | st.integers() | st.booleans() | st.none(), inner, max_size=4)),
    max_leaves=14,
)


@settings(max_examples=400, deadline=None)
@given(any_json, st.sampled_from(["\n", "\n  ", "\n      "]))
def test_dumps_indented_writes_exactly_what_json_dumps_writes(value, newline):
    assert dumps_indented(value, newline) == json.dumps(value, ensure_ascii=False, indent=2).replace("\n", newline)


@settings(max_examples=200, deadline=None)
@given(any_json, st.integers(min_value=1, max_value=6))
def test_dumps_indented_joined_in_blocks_writes_what_json_dumps_writes(value, block):
    """A large document is joined a block of pieces at a time (report.base.BLOCK); the blocks, however
    small, join to the same text."""
    import auditor.report.base as base

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(base, "BLOCK", block)
        assert dumps_indented(value) == json.dumps(value, ensure_ascii=False, indent=2)


def test_dumps_indented_writes_a_findings_report_item_without_json_dumps(monkeypatch):
    import auditor.report.base as base
    from auditor.report.json_format import finding_dict

    item = finding_dict(Finding(code="SET001", name="n", severity=Severity.ERROR, path="a.txt", line=3,
                                message_ko="가\n나", related=(Related("b.txt", 2, "계"),), context=(("project", "p"),)))
    expected = json.dumps(item, ensure_ascii=False, indent=2)

    def refused(*args, **kwargs):
        raise AssertionError("the fast path fell through to json.dumps")

    monkeypatch.setattr(base.json, "dumps", refused)
    assert dumps_indented(item) == expected


@given(st.lists(st.text(alphabet="ab \n", max_size=4), max_size=6), st.booleans())
def test_line_chunks_join_lines_as_the_whole_text_would(lines, drop):
    expected = lines[:-1] if drop and lines and lines[-1] == "" else lines
    assert "".join(line_chunks(lines, drop_last_blank=drop)) == ("\n".join(expected) + "\n" if expected else "")


def test_every_format_in_pieces_is_the_format_whole():
    rules = load_ruleset()
    item = Input("a.txt", "a.txt", SHEETS[0].read_bytes().replace(b"235,800", b"235,900"))
    checked, found = check_one(item, rules, KEEP_ALL)
    store = FindingStore()
    store.add(sorted(found, key=Finding.sort_key))
    result = CheckResult(files=[checked], findings=store, rules=rules.docs())
    for fmt in report.FORMATS:
        assert "".join(report.chunks(fmt, result)) == report.render(fmt, result), fmt


# -- the runner yields as it goes -----------------------------------------------------------------
def test_the_runner_yields_each_outcome_before_reading_the_next_input(monkeypatch):
    import auditor.runner as runner

    read: list[str] = []
    real = runner.check_one

    def counting(item, ruleset, keep=KEEP_CONTEXT):
        read.append(item.display)
        return real(item, ruleset, keep)

    monkeypatch.setattr(runner, "check_one", counting)
    inputs = [Input(str(p), f"{i}.txt") for i, p in enumerate(SHEETS * 3)]
    outcomes = run(inputs, load_ruleset(), RulesetSpec(), jobs=1, keep=KEEP_NONE)
    first = next(outcomes)
    assert isinstance(first[0], CheckedFile) and read == ["0.txt"]
    assert len(list(outcomes)) == len(inputs) - 1 and len(read) == len(inputs)
