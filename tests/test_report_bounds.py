"""Reports stay linear in their input, and findings are bounded per line and per file.

The ``full`` format measures each line once (``Measured``) instead of walking it for every
finding; a property test holds the measured answers equal to the reference functions. Findings
past 20 of one rule on one line (10,000 in one file) become one finding that says how many.
"""

from __future__ import annotations

from hypothesis import given, strategies as st

from auditor import report
from auditor.digest import Digest
from auditor.findings import MAX_PER_LINE, MORE_KEY, Finding, Severity, cap_per_line
from auditor.report import full
from auditor.result import CheckedFile, CheckResult

CHARS = st.sampled_from(list("ab 1,") + ["\t", "가", "\u0301", "\x1b", "\x85", "\u200b", "…", "\r", "\x00", "Ａ"])
lines = st.lists(CHARS, max_size=400).map("".join)


@given(lines, st.none() | st.integers(-2, 420), st.none() | st.integers(-2, 430), st.integers(0, 300),
       st.integers(0, 200))
def test_a_measured_line_gives_what_the_reference_functions_give(text, column, end_column, skip, room):
    line = full.Measured(text)
    assert line.shown == full.show_cells(text)
    assert line.width == report.base.text_width(line.shown)
    if column is not None and column < 1:
        column = 1
    span = line.caret_span(column, end_column)
    assert span == full.caret_span(text, column, end_column)
    assert line.window_start(*span) == full.window_start(line.shown, *span)
    assert line.clip(skip, room) == full.clip(line.shown, skip, room)


def finding(line: int, column: int, code: str = "PARSE006", path: str = "x.csv") -> Finding:
    return Finding(code, "parse.extra-cell", Severity.WARNING, path, line, "칸", "cell", column=column,
                   key=f"cell {column}")


def test_a_line_of_thousands_of_findings_is_measured_once(monkeypatch):
    """The full report of 60 findings on one line of 40,000 cells measures that line once, not 60 times."""
    text = ",".join(["가"] * 20_000)
    made = []
    original = full.Measured.__init__

    def counting(self, line):
        made.append(len(line))
        original(self, line)

    monkeypatch.setattr(full.Measured, "__init__", counting)
    findings = [finding(2, c, code) for code in ("A001", "B001", "C001") for c in range(1, 40_000, 2000)]
    result = CheckResult([CheckedFile("x.csv", ["head", text, "tail"])], sorted(findings, key=Finding.sort_key))
    out = report.render("full", result)
    assert out.count("^") >= 60 and len(made) == 3, "each of the three lines shown is measured once"


def test_past_20_findings_of_one_rule_on_one_line_one_says_how_many_more():
    many = [finding(4, c) for c in range(1, 1001)] + [finding(4, c, "OTHER01") for c in range(1, 4)] + [finding(5, 1)]
    capped = cap_per_line(many)
    on_line = [f for f in capped if f.line == 4 and f.code == "PARSE006"]
    assert len(on_line) == MAX_PER_LINE + 1
    more = on_line[-1]
    assert more.key == MORE_KEY + "cell 21" and more.column == 21 and more.severity is Severity.WARNING
    assert more.message_en == "980 more PARSE006 findings on this line are not shown (at most 20 of one rule per line)"
    assert "980건" in more.message_ko
    assert [f.code for f in capped if f.line == 4].count("OTHER01") == 3 and any(f.line == 5 for f in capped)
    assert cap_per_line(many[:20]) == sorted(many[:20], key=Finding.sort_key), "at the cap, nothing changes"


class _Stream:
    streamed = True
    path, encoding, title, line_count = "x.csv", "utf-8", "", 50_000

    def line(self, no):
        return f"line {no}"


def test_past_the_file_cap_one_finding_says_how_many_more(monkeypatch):
    import auditor.findings as fmod

    monkeypatch.setattr(fmod, "MAX_PER_FILE", 100)
    digest = Digest(_Stream(), "none")

    class Unit:
        lines = ()
        basis = None

    monkeypatch.setattr("auditor.digest.project_totals", lambda sheet: [])
    for start in range(1, 301, 30):  # ten units of 30 rows, one finding a row
        digest.add(Unit(), [finding(n, 1) for n in range(start, start + 30)])
    _, findings = digest.result()
    assert len(findings) == 101
    assert findings[-1].line == 101 and findings[-1].message_en.startswith("200 more PARSE006 findings in this file")
