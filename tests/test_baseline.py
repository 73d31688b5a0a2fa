"""Baselines: written sorted and stable, matched by fingerprint so moved lines stay accepted."""

from __future__ import annotations

import json
from pathlib import Path

import attrs
import pytest
from hypothesis import given, strategies as st

from auditor.baseline import Baseline, BaselineError
from auditor.findings import Finding, Severity


def finding(code="SET001", path="sheets/a.txt", line=10, key="settlement[2019].예산현액", occurrence=0, msg="틀림"):
    return Finding(code, "settlement.available-mismatch", Severity.ERROR, path, line, msg, key=key,
                   occurrence=occurrence)


def test_round_trip_and_stable_sorted_output(tmp_path: Path) -> None:
    fs = [finding(path="b.txt"), finding(path="a.txt", code="SUM001", key="k"), finding(path="a.txt")]
    out = tmp_path / "baseline.json"
    Baseline.from_findings(fs).write(out)
    text = out.read_text(encoding="utf-8")
    doc = json.loads(text)
    assert doc["version"] == 1 and doc["tool"] == "auditor"
    assert [(e["path"], e["code"]) for e in doc["findings"]] == [("a.txt", "SET001"), ("a.txt", "SUM001"),
                                                                  ("b.txt", "SET001")]
    assert set(doc["findings"][0]) == {"fingerprint", "code", "path", "key", "message"}
    assert "예산현액" in text  # readable Korean, not \\u escapes
    # order of findings does not change the file
    Baseline.from_findings(reversed(fs)).write(tmp_path / "again.json")
    assert (tmp_path / "again.json").read_text(encoding="utf-8") == text
    assert Baseline.load(out) == Baseline.from_findings(fs)


def test_line_shift_keeps_the_match_but_a_new_problem_does_not() -> None:
    base = Baseline.from_findings([finding(line=10)])
    moved = finding(line=42)  # lines inserted above it: same fingerprint
    new = finding(key="settlement[2020].예산현액", line=11)
    applied = base.apply([moved, new])
    assert applied.findings == (new,) and applied.hidden == 1 and applied.stale == ()


def test_each_entry_hides_one_finding_and_stale_entries_are_reported() -> None:
    a0, a1 = finding(occurrence=0), finding(occurrence=1)
    gone = finding(code="SUM001", key="summary.total")
    base = Baseline.from_findings([a0, gone])
    applied = base.apply([a0, a0, a1])
    assert applied.findings == (a0, a1) and applied.hidden == 1
    assert [e.code for e in applied.stale] == ["SUM001"]


@given(st.lists(st.tuples(st.sampled_from(["SET001", "SUM001"]), st.sampled_from(["a.txt", "b/c.txt"]),
                          st.text(max_size=5), st.integers(0, 2), st.integers(1, 500)), max_size=12),
       st.integers(0, 400))
def test_a_baseline_of_the_findings_hides_them_all_even_after_lines_move(raw, shift) -> None:
    fs = [finding(code=c, path=p, key=k, occurrence=o, line=line) for c, p, k, o, line in raw]
    base = Baseline.from_findings(fs)
    shifted = [attrs.evolve(f, line=f.line + shift) for f in fs]
    applied = base.apply(shifted)
    assert applied.findings == () and applied.hidden == len(fs) and applied.stale == ()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "baseline file not found"),
        ("{", "not JSON"),
        ('{"tool": "ruff", "findings": []}', "not an auditor baseline"),
        ('{"tool": "auditor", "version": 2, "findings": []}', "unsupported baseline version 2"),
        ('{"tool": "auditor", "version": 1, "findings": [{"code": "X"}]}', "findings[0] has no fingerprint"),
    ],
)
def test_bad_baseline_files_name_the_file(tmp_path: Path, content: str | None, message: str) -> None:
    path = tmp_path / "b.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(BaselineError) as e:
        Baseline.load(path)
    assert str(e.value).startswith(str(path)) and message in str(e.value)
    assert e.value.message_ko.startswith(str(path))
