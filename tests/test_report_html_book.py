"""The HTML report at a whole book's scale: the findings index, sheets with findings only, context
lines, the marked cell, and the page size of a generated 2,000-sheet book.

The size test checks 200 generated sheets locally and the full 2,000 when ``CI`` is set (as
``.ci/run`` sets it); ``AUDITOR_HTML_SHEETS=N`` overrides both. The render time is measured by
``benchmarks/html_report.py``, not here.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings, strategies as st

from auditor.cli import main
from auditor.findings import Finding, Severity
from auditor.report import render
from auditor.report.html_format import ORDERS, bad_spans, cells_html
from auditor.result import CheckedFile, CheckResult
from test_report_html import assert_only_our_markup
from test_report_sample import check_results, sample_result

REPO = Path(__file__).resolve().parent.parent
BOOK_SHEETS = int(os.environ.get("AUDITOR_HTML_SHEETS", "2000" if os.environ.get("CI") else "200"))
#: The page of a 2,000-sheet book (about 1,200 findings) stays under this, and smaller books in proportion.
MAX_BYTES_FOR_2000 = 5_000_000


class _Rows(HTMLParser):
    """The text of each row of each table with an id, and every element id on the page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, list[list[str]]] = {}
        self.ids: list[str] = []
        self._table: str | None = None
        self._row: list[str] | None = None
        self._in_cell = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "table" and "id" in attrs:
            self._table = attrs["id"]
            self.tables[self._table] = []
        elif tag == "tr" and self._table:
            self._row = []
        elif tag == "td" and self._row is not None:
            self._row.append("")
            self._in_cell = True

    def handle_endtag(self, tag):
        if tag == "table":
            self._table = None
        elif tag == "tr" and self._row is not None:
            if self._row:
                self.tables[self._table].append(self._row)
            self._row = None
        elif tag == "td":
            self._in_cell = False

    def handle_data(self, data):
        if self._in_cell and self._row is not None:
            self._row[-1] += data


def rows_of(page: str) -> _Rows:
    parser = _Rows()
    parser.feed(page)
    parser.close()
    return parser


RANK = {"오류": 2, "경고": 1, "정보": 0}


# -- the findings index ------------------------------------------------------------------------
def test_the_index_lists_every_finding_in_each_ordering():
    result = sample_result()
    parsed = rows_of(render("html", result))
    for order in ORDERS:
        rows = parsed.tables[f"index-{order}"]
        assert len(rows) == len(result.findings), order
        assert Counter(r[1] for r in rows) == Counter(f.code for f in result.findings)
    severity = [RANK[r[0]] for r in parsed.tables["index-severity"]]
    assert severity == sorted(severity, reverse=True)
    codes = [r[1] for r in parsed.tables["index-rule"]]
    assert codes == sorted(codes)


def test_index_headings_link_to_the_other_orderings():
    page = render("html", sample_result())
    for order in ORDERS:
        table = page[page.index(f'id="index-{order}"'):]
        head = table[:table.index("</thead>")]
        assert head.count('class="sorted"') == 1
        assert {f"#index-{o}" for o in ORDERS if o != order} <= set(re.findall(r'href="(#index-[a-z]+)"', head))


def test_findings_are_sorted_by_department_with_sheets_that_have_none_last():
    lines = ["x"] * 5
    files = [CheckedFile("a.txt", lines, department="나과"), CheckedFile("b.txt", lines, department="가과"),
             CheckedFile("c.txt", lines)]
    findings = [Finding("X1", "x", Severity.INFO, path, 2, f"m {path}", key=path) for path in ("a.txt", "b.txt", "c.txt")]
    rows = rows_of(render("html", CheckResult(files=files, findings=findings))).tables["index-department"]
    assert [(r[2], r[3]) for r in rows] == [("b.txt:2", "가과"), ("a.txt:2", "나과"), ("c.txt:2", "")]


# -- sheets with findings, in context ----------------------------------------------------------
def _book() -> CheckResult:
    text = [f"줄{n}\t{n * 1000:,}" for n in range(1, 41)]
    files = [CheckedFile(f"s{i}.txt", text, department=f"{i}과") for i in range(4)]
    findings = [
        Finding("I1", "i", Severity.INFO, "s0.txt", 20, "정보", key="a"),
        Finding("E1", "e", Severity.ERROR, "s2.txt", 10, "오류", column=5, end_column=10, key="b"),
        Finding("W1", "w", Severity.WARNING, "s3.txt", 1, "경고", key="c"),
        Finding("W1", "w", Severity.WARNING, "s3.txt", 40, "경고", key="d"),
    ]
    return CheckResult(files=files, findings=findings)


def test_sheets_with_findings_come_most_severe_first_and_clean_ones_are_only_named():
    page = render("html", _book())
    order = re.findall(r'<section class="sheet" id="(s\d+)"><h2>(s\d\.txt)', page)
    assert [path for _, path in order] == ["s2.txt", "s3.txt", "s0.txt"]
    assert "s1.txt" in page and "<h2>s1.txt" not in page, "the clean sheet is named, its text not shown"
    assert "발견 사항이 없는 시트 1" in page


def test_a_few_lines_around_each_finding_and_a_gap_for_the_rest():
    page = render("html", _book())
    sid = re.search(r'<section class="sheet" id="(s\d+)"><h2>s2\.txt', page).group(1)
    shown = [int(n) for n in re.findall(rf'<tr id="{sid}-L(\d+)"', page)]
    assert shown == [8, 9, 10, 11, 12]
    assert "줄 1–7 생략" in page and "줄 13–40 생략" in page
    assert "lines 1–7 not shown" in render("html", _book(), lang="en")
    wider = render("html", _book(), html_context=5)
    assert [int(n) for n in re.findall(rf'<tr id="{sid}-L(\d+)"', wider)] == list(range(5, 16))
    none = render("html", _book(), html_context=0)
    assert [int(n) for n in re.findall(rf'<tr id="{sid}-L(\d+)"', none)] == [10]


def test_html_full_shows_every_line_of_every_sheet():
    page = render("html", _book(), html_context=None)
    assert page.count('<section class="sheet"') == 4
    assert len(re.findall(r'<tr id="s\d+-L\d+"', page)) == 4 * 40
    assert "생략" not in page


def test_a_negative_context_is_refused():
    with pytest.raises(ValueError):
        render("html", _book(), html_context=-1)


@given(check_results(), st.integers(0, 3))
@settings(max_examples=60, deadline=None)
def test_every_finding_shows_on_its_line_with_its_context_and_every_link_has_a_target(result, context):
    page = render("html", result, html_context=context)
    assert_only_our_markup(page)  # also: every href points at an id on the page
    parsed = rows_of(page)
    ids = set(parsed.ids)
    sections = dict(re.findall(r'<section class="sheet" id="(s\d+)"><h2>([^<]*)', page))
    by_path = {path: sid for sid, path in sections.items()}
    for f in result.findings:
        assert len(parsed.tables["index-severity"]) == len(result.findings)
        sid = next((sid for sid, shown in sections.items() if shown == _esc(f.path)), None)
        assert sid is not None, "a sheet with a finding has its section"
        count = len(next(c.lines for c in result.files if c.path == f.path))
        for n in range(max(f.line - context, 1), min(f.line + context, count) + 1):
            assert f"{sid}-L{n}" in ids
    findings_paths = {_esc(f.path) for f in result.findings}
    elsewhere = {_esc(r.path) for f in result.findings for r in f.related if r.path != f.path}
    for c in result.files:  # a sheet without findings is shown only for another file's finding's related line
        if _esc(c.path) not in findings_paths:
            assert (_esc(c.path) in by_path) == (_esc(c.path) in elsewhere)


def _esc(text: str) -> str:
    from auditor.report.html_format import esc

    return esc(text)


# -- the marked cell ---------------------------------------------------------------------------
def test_the_wrong_cell_is_marked_from_column_to_end_column():
    line = "계\t(x-) 250,600\t(x-) 235,800"
    f = Finding("X", "x", Severity.ERROR, "a", 1, "m", column=8, end_column=15)
    assert bad_spans(line, [f]) == [(7, 14)]
    assert cells_html(line, bad_spans(line, [f])) == (
        '<span class="c">계</span><span class="c">(x-) <mark>250,600</mark></span><span class="c">(x-) 235,800</span>')


def test_without_an_end_column_the_mark_runs_to_the_end_of_the_cell_and_without_a_column_there_is_none():
    line = "계\t(x-) 250,600\t(x-) 235,800"
    assert bad_spans(line, [Finding("X", "x", Severity.ERROR, "a", 1, "m", column=3)]) == [(2, 14)]
    assert bad_spans(line, [Finding("X", "x", Severity.ERROR, "a", 1, "m")]) == []
    assert bad_spans(line, [Finding("X", "x", Severity.ERROR, "a", 1, "m", column=99)]) == []


@given(st.text(alphabet="가나12,\t <>&\"'x", max_size=30),
       st.lists(st.tuples(st.integers(1, 32), st.none() | st.integers(1, 34)), max_size=3))
@settings(max_examples=200, deadline=None)
def test_marks_never_change_the_text_and_cover_exactly_their_spans(text, places):
    import html

    findings = [Finding("X", "x", Severity.ERROR, "a", 1, "m", column=c, end_column=e) for c, e in places]
    spans = bad_spans(text, findings)
    out = cells_html(text, spans)
    plain = html.unescape(re.sub(r"<[^>]+>", "", out.replace('</span><span class="c">', "\t")))
    assert plain == text
    marked = [html.unescape(m) for m in re.findall(r"<mark>(.*?)</mark>", out)]
    assert "".join(marked) == "".join(text[a:b].replace("\t", "") for a, b in spans)
    assert all(0 <= a < b <= len(text) for a, b in spans) and spans == sorted(spans)
    assert all(b1 < a2 for (_, b1), (a2, _) in zip(spans, spans[1:])), "merged, never overlapping"


# -- the command line --------------------------------------------------------------------------
def test_html_context_and_html_full_options(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    sheets = REPO / "examples" / "sheets"
    base = ["check", str(sheets), "--isolated", "--output-format", "html", "-o"]
    runner = CliRunner()
    for name, extra in (("default.html", []), ("one.html", ["--html-context", "1"]), ("full.html", ["--html-full"])):
        assert runner.invoke(main, [*base, name, *extra]).exit_code == 0
    count = {name: len(re.findall(r'<tr id="s\d+-L\d+"', (tmp_path / name).read_text(encoding="utf-8")))
             for name in ("default.html", "one.html", "full.html")}
    total = sum(len(p.read_text(encoding="utf-8").splitlines()) for p in sheets.glob("*.txt"))
    assert count["one.html"] < count["default.html"] < count["full.html"] == total
    r = runner.invoke(main, [*base, "x.html", "--html-context", "-1"])
    assert r.exit_code == 2 and "--html-context" in r.output


# -- a whole book ------------------------------------------------------------------------------
def test_the_page_of_a_generated_book_stays_small(tmp_path, monkeypatch):
    from auditor.testing import write_corpus

    write_corpus(tmp_path / "sheets", BOOK_SHEETS, seed=0, inject=0.1)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    r = CliRunner().invoke(main, ["check", "sheets", "--isolated", "--output-format", "json", "-o", "out.json",
                                  "--html-output", "report.html"])
    assert r.exit_code == 1, r.output
    import json

    findings = len(json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))["findings"])
    assert findings > BOOK_SHEETS * 0.4, "a book with findings on many of its sheets, as a real one has"
    size = (tmp_path / "report.html").stat().st_size
    assert size < MAX_BYTES_FOR_2000 * BOOK_SHEETS / 2000, f"{size:,} bytes for {BOOK_SHEETS} sheets"
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert page.count('<section class="sheet"') < BOOK_SHEETS, "clean sheets are not shown"
    assert len(rows_of(page).tables["index-severity"]) == findings
