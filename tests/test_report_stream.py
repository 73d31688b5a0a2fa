"""The text reports are written as the run goes: each file's findings when it is checked, in input order,
the same text as the report of the whole run; progress on standard error, a bar or an occasional line."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from hypothesis import given, settings, strategies as st

from auditor import report
from auditor.findings import Finding, Related, Severity
from auditor.result import CheckedFile, CheckResult, FileError


# -- the writers: written in parts, the same text ------------------------------------------------
@st.composite
def results(draw) -> CheckResult:
    """Files of a few lines with findings on them (every severity, some with values, context, related
    lines), sorted as a run gives them, and perhaps unreadable inputs."""
    paths = draw(st.lists(st.sampled_from(["a.txt", "b/c.txt", "d.csv", "가.txt"]), unique=True, max_size=4))
    files, findings = [], []
    for path in sorted(paths):
        lines = draw(st.lists(st.text(alphabet="가1 \t,x", max_size=12), min_size=1, max_size=6))
        files.append(CheckedFile(path, lines))
        for n in range(draw(st.integers(0, 14))):
            line = draw(st.integers(1, len(lines)))
            findings.append(Finding(
                draw(st.sampled_from(["SET001", "SUM002", "REVIEW004"])), "x.y", draw(st.sampled_from(list(Severity))),
                path, line, f"메시지 {n}", f"message {n}", column=draw(st.none() | st.integers(1, 5)),
                expected=draw(st.none() | st.just("1천원")), actual=draw(st.none() | st.just("2천원")), key=str(n),
                related=draw(st.lists(st.builds(Related, st.just(path), st.integers(1, len(lines))), max_size=1)),
                context=draw(st.sampled_from([(), (("department", "도로과"),)]))))
    errors = [FileError(p, "없음", "missing") for p in draw(st.lists(st.sampled_from(["x.txt", "y.txt"]), max_size=2))]
    return CheckResult(files, sorted(findings, key=Finding.sort_key), errors, fail_on=Severity.WARNING)


def written_in_parts(fmt: str, result: CheckResult, **options) -> str:
    """The report as a run writes it: each file's findings, then the end."""
    writer = report.writer(fmt, **options)
    files = {f.path: f for f in result.files}
    parts = []
    for path in sorted({f.path for f in result.findings}):
        mine = [f for f in result.findings if f.path == path]
        parts += writer.findings(mine, {path: files[path]})
    parts += writer.end(result)
    return "".join(parts)


@pytest.mark.parametrize("fmt", report.STREAMED)
@given(result=results(), color=st.booleans(), summary=st.booleans(), lang=st.sampled_from(["ko", "en"]))
@settings(max_examples=60, deadline=None)
def test_a_report_written_file_by_file_is_the_report_of_the_whole_run(fmt, result, color, summary, lang):
    options = {"lang": lang, "color": color} | ({"summary": summary} if fmt in report.HUMAN_FORMATS else {})
    assert written_in_parts(fmt, result, **options) == report.render(fmt, result, **options)


@given(st.integers(0, 25), st.integers(0, 25), st.integers(0, 25), st.integers(0, 3))
@settings(max_examples=60, deadline=None)
def test_github_annotates_the_first_findings_of_each_kind_as_if_it_knew_the_whole_run(errors, warnings, notes,
                                                                                     unreadable):
    """Written as the run goes, github still uses every place GitHub shows (10 of each kind, the note
    included), on the first findings of each kind in report order, and an unreadable input always has one."""
    levels = [Severity.ERROR] * errors + [Severity.WARNING] * warnings + [Severity.INFO] * notes
    findings = [Finding("B001", "b.x", level, "s.txt", n + 1, f"m{n}", key=str(n)) for n, level in enumerate(levels)]
    gone = [FileError(f"gone{i}.txt", "없음") for i in range(unreadable)]
    text = report.render("github", CheckResult([CheckedFile("s.txt", ["x"] * 80)], findings, gone))
    commands = Counter(re.findall(r"^::(error|warning|notice) ", text, re.MULTILINE))
    annotated = re.findall(r"^::(?:error|warning|notice) file=s\.txt,line=(\d+)", text, re.MULTILINE)
    for kind, level, count in (("error", Severity.ERROR, errors + unreadable), ("warning", Severity.WARNING, warnings),
                               ("notice", Severity.INFO, notes)):
        assert commands[kind] == min(count, 10), kind  # every place used, none too many
        mine = [str(f.line) for f in findings if f.severity is level]
        shown = [line for line in annotated if line in set(mine)]
        assert shown == mine[:len(shown)], "the first of the kind, in report order"
    if unreadable:
        assert "file=gone0.txt" in text
    listed = text.count("\n• ")
    assert len(annotated) + len(re.findall(r"file=gone", text)) + listed == len(findings) + unreadable
