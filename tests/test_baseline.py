"""Baselines: written sorted and stable, matched by fingerprint and figures: moved lines and reordered
sheets stay accepted, a changed figure is a new finding."""

from __future__ import annotations

import json
from pathlib import Path

import attrs
import pytest
from hypothesis import given, strategies as st

from auditor.baseline import Baseline, BaselineError, Entry, figures
from auditor.findings import Finding, Severity


def finding(code="SET001", path="sheets/a.txt", line=10, key="settlement[2019].예산현액", occurrence=0, msg="틀림",
            expected=None, actual=None):
    return Finding(code, "settlement.available-mismatch", Severity.ERROR, path, line, msg, key=key,
                   occurrence=occurrence, expected=expected, actual=actual)


def test_round_trip_and_stable_sorted_output(tmp_path: Path) -> None:
    fs = [finding(path="b.txt"), finding(path="a.txt", code="SUM001", key="k"), finding(path="a.txt")]
    out = tmp_path / "baseline.json"
    Baseline.from_findings(fs).write(out)
    text = out.read_text(encoding="utf-8")
    doc = json.loads(text)
    assert doc["version"] == 2 and doc["tool"] == "auditor"
    assert [(e["path"], e["code"]) for e in doc["findings"]] == [("a.txt", "SET001"), ("a.txt", "SUM001"),
                                                                  ("b.txt", "SET001")]
    assert set(doc["findings"][0]) == {"fingerprint", "code", "path", "key", "expected", "actual", "message"}
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
        ('{"tool": "auditor", "version": 3, "findings": []}', "unsupported baseline version 3"),
        ('{"tool": "auditor", "version": true, "findings": []}', "unsupported baseline version True"),
        ('{"tool": "auditor", "version": 1, "findings": [{"code": "X"}]}', "findings[0] has no fingerprint"),
        ('{"tool": "auditor", "version": 2, "findings": [{"fingerprint": "f", "actual": 3}]}',
         "findings[0].actual must be a string or null"),
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


# -- the figures: a changed value is a new finding ------------------------------------------------
def test_the_issue_case_a_gap_that_grew_is_a_new_finding_and_the_old_entry_is_stale() -> None:
    accepted = finding(expected="2,625천원", actual="2,685천원", msg="예산현액(2,685천원)이 …(2,625천원)과 다릅니다 (차이 60천원)")
    grown = attrs.evolve(accepted, line=12, actual="2,995천원", message_ko="예산현액(2,995천원)이 …(2,625천원)과 다릅니다 (차이 370천원)")
    applied = Baseline.from_findings([accepted]).apply([grown])
    assert applied.findings == (grown,) and applied.hidden == 0 and applied.stale == (Entry.from_finding(accepted),)
    assert Baseline.from_findings([accepted]).apply([attrs.evolve(accepted, line=99)]).hidden == 1


def test_a_finding_without_values_is_matched_on_the_figures_of_its_message_not_its_words() -> None:
    note = finding(code="REVIEW002", msg="계의 예산이 1853.3% 늘었습니다 (13,500천원 → 263,698천원, 기준 100%).")
    reworded = attrs.evolve(note, message_ko="계 예산 증가율 1853.3% (13,500천원 → 263,698천원; 기준 100%)")
    grown = attrs.evolve(note, message_ko="계의 예산이 2122.2% 늘었습니다 (13,500천원 → 300,000천원, 기준 100%).")
    base = Baseline.from_findings([note])
    assert base.apply([reworded]).hidden == 1
    assert base.apply([grown]).findings == (grown,)


def test_figures_ignore_separators_and_read_every_minus() -> None:
    assert figures("차이 △1,234.5천원 (2021년), −7, Δ8, -9, 401-01") == ("-1234.5", "2021", "-7", "-8", "-9", "401", "-01")
    assert figures("틀림") == ()


values = st.one_of(st.none(), st.integers(-10**9, 10**9).map(lambda n: f"{n:,}천원"))


@st.composite
def accepted_findings(draw) -> list[Finding]:
    """Findings of distinct fingerprints, some with values, some with figures only in their message."""
    raw = draw(st.lists(st.tuples(st.sampled_from(["SET001", "SUM001", "REVIEW002"]),
                                  st.sampled_from(["a.txt", "b/c.txt", "d.csv"]), st.text(max_size=4),
                                  st.integers(0, 2), st.integers(1, 500), values, values,
                                  st.integers(0, 10**6)),
                        unique_by=lambda t: t[:4], max_size=12))
    return [finding(code=c, path=p, key=k, occurrence=o, line=line, expected=e, actual=a, msg=f"차이 {n:,}천원")
            for c, p, k, o, line, e, a, n in raw]


@given(accepted_findings(), st.integers(0, 400), st.randoms(use_true_random=False))
def test_moved_lines_and_reordered_sheets_stay_matched(fs, shift, rng) -> None:
    base = Baseline.from_findings(fs)
    moved = [attrs.evolve(f, line=f.line + shift) for f in fs]
    rng.shuffle(moved)  # sheets in another order, findings of a file in another order
    applied = base.apply(moved)
    assert applied.findings == () and applied.hidden == len(fs) and applied.stale == ()


@given(accepted_findings().filter(bool), st.data())
def test_a_changed_figure_brings_back_exactly_that_finding(fs, data) -> None:
    base = Baseline.from_findings(fs)
    i = data.draw(st.integers(0, len(fs) - 1))
    f = fs[i]
    what = data.draw(st.sampled_from(["expected", "actual", "message"]))
    if what == "message":  # a figure of the message: it counts only for a finding without values
        changed = attrs.evolve(f, message_ko=f.message_ko.replace("차이 ", "차이 1"))
        comes_back = f.expected is None and f.actual is None
    else:
        old = getattr(f, what)
        changed = attrs.evolve(f, **{what: "0천원" if old != "0천원" else "1천원"})
        comes_back = True
    after = [*fs[:i], changed, *fs[i + 1:]]
    applied = base.apply(after)
    assert applied.findings == ((changed,) if comes_back else ())
    assert applied.hidden == len(fs) - comes_back and len(applied.stale) == comes_back


@given(accepted_findings(), st.integers(1, 3))
def test_each_entry_hides_one_finding_however_often_it_repeats(fs, times) -> None:
    applied = Baseline.from_findings(fs).apply([f for f in fs for _ in range(times)])
    assert applied.hidden == len(fs) and len(applied.findings) == len(fs) * (times - 1)


# -- version 1 baselines --------------------------------------------------------------------------
def version_1(path: Path, *entries: dict) -> Path:
    path.write_text(json.dumps({"version": 1, "tool": "auditor", "findings": list(entries)}, ensure_ascii=False),
                    encoding="utf-8")
    return path


def test_a_version_1_entry_matches_on_the_figures_of_its_message(tmp_path: Path) -> None:
    f = finding(expected="2,625천원", actual="2,685천원", msg="예산현액(2,685천원)이 합(2,625천원)과 다릅니다 (차이 60천원)")
    old = version_1(tmp_path / "b.json", {"fingerprint": f.fingerprint, "code": f.code, "path": f.path,
                                          "key": f.key, "message": f.message_ko})
    base = Baseline.load(old)
    assert base.version == 1 and base.entries[0].expected is None
    assert base.apply([attrs.evolve(f, line=3)]).hidden == 1
    grown = attrs.evolve(f, actual="2,995천원", message_ko="예산현액(2,995천원)이 합(2,625천원)과 다릅니다 (차이 370천원)")
    assert base.apply([grown]).findings == (grown,)


def test_a_version_1_entry_without_a_message_matches_on_the_fingerprint_alone(tmp_path: Path) -> None:
    f = finding(expected="1", actual="2")
    base = Baseline.load(version_1(tmp_path / "b.json", {"fingerprint": f.fingerprint}))
    applied = base.apply([attrs.evolve(f, actual="3"), f])
    assert applied.hidden == 1 and len(applied.findings) == 1 and applied.stale == ()


def test_rewriting_a_version_1_baseline_gives_version_2_with_the_values(tmp_path: Path) -> None:
    f = finding(expected="1천원", actual="2천원", msg="차이 1천원")
    out = tmp_path / "new.json"
    Baseline.from_findings([f]).write(out)
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["version"] == 2 and doc["findings"][0]["expected"] == "1천원" and doc["findings"][0]["actual"] == "2천원"
    assert Baseline.load(out).apply([f]).hidden == 1
