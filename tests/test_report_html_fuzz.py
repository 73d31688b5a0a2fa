"""The HTML report of arbitrary sheet text, read and checked for real: sheet text is never markup.

``test_report_html`` proves this for hand-made results; here random hostile text goes through the
whole pipeline (reader, rules, report), so findings quote it, expected and actual values come from
it, and its lines are shown. The page is parsed with ``html.parser``: every element and attribute
is the report's own, there is no ``<script>`` at all, no comment, CDATA or processing instruction,
and every line of the sheet is there as text.
"""

from __future__ import annotations

from html.parser import HTMLParser

from hypothesis import given, settings, strategies as st

from auditor.engine import load_ruleset
from auditor.readers import read_bytes
from auditor.report import render
from auditor.report.base import visible
from auditor.report.html_style import CSS
from auditor.result import CheckedFile, CheckResult
from strategies_sheet import REAL
from test_report_html import assert_only_our_markup

RULES = load_ruleset()
MARKUP = (
    "<script>alert(1)</script>", "<SCRIPT SRC=//x>", "<img src=x onerror=alert(1)>", "<svg onload=alert(1)>",
    "<a href=\"javascript:alert(1)\">x</a>", "javascript:alert(1)", "</style><script>x</script>", "<style>",
    "<!--", "-->", "<![CDATA[", "]]>", "<?xml ?>", "<!DOCTYPE x>", "</td></tr></table>", "<iframe srcdoc=x>",
    "\"", "'", "&", "&amp;", "&lt;", "&#x3C;script&#x3E;", "<", ">", "=", "`", "\u202e", "\u0301", "\x00", "\ufeff",
    "<meta http-equiv=refresh content=0;url=x>", "<base href=//x>", "<form><input name=x>", "<math><mi>",
)
#: Text a cell may hold: markup, Unicode, and pieces of real cells (numbers, formulas, labels).
cell = st.lists(st.one_of(st.sampled_from(MARKUP), st.text(max_size=6),
                          st.sampled_from(["(x-) 1,000", "△5", "1,000원*2명", "= 2천원", "계", "○ ", "- "])),
                max_size=5).map("".join)


@st.composite
def hostile_sheet(draw) -> bytes:
    """A real sheet with some cells and lines replaced by hostile text."""
    lines = REAL[draw(st.sampled_from(sorted(REAL)))].split("\n")
    for _ in range(draw(st.integers(1, 10))):
        i = draw(st.integers(0, len(lines) - 1))
        cells = lines[i].split("\t")
        cells[draw(st.integers(0, len(cells) - 1))] = draw(cell)
        lines[i] = "\t".join(cells)
    if draw(st.booleans()):
        lines.insert(draw(st.integers(0, len(lines))), draw(cell))
    return "\n".join(lines).encode("utf-8", errors="replace")


class _Nodes(HTMLParser):
    """Everything but elements and text that a page can hold."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.other: list[str] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)

    def handle_comment(self, data):
        self.other.append(f"comment {data!r}")

    def handle_decl(self, decl):
        if decl.lower() != "doctype html":
            self.other.append(f"declaration {decl!r}")

    def handle_pi(self, data):
        self.other.append(f"processing instruction {data!r}")

    def unknown_decl(self, data):
        self.other.append(f"unknown declaration {data!r}")


@settings(max_examples=50)  # each example reads, checks and renders a whole sheet
@given(hostile_sheet(), st.sampled_from(["ko", "en"]))
def test_sheet_text_is_never_rendered_as_markup(data, lang):
    sheet = read_bytes(data, "sheets/<b>x</b>.txt")
    findings = sorted(RULES.check(sheet), key=lambda f: f.sort_key())
    result = CheckResult(files=[CheckedFile(sheet.path, sheet.lines, sheet.encoding)], findings=findings,
                         rules=RULES.docs())
    page = render("html", result, lang=lang, html_context=None)
    parsed = assert_only_our_markup(page)
    assert "<script" not in page.lower(), "no script element, from the sheet or otherwise"
    for tag, attrs in parsed.tags:
        for name, value in attrs.items():
            assert "javascript:" not in (value or "").lower(), (tag, name, value)
    nodes = _Nodes()
    nodes.feed(page)
    nodes.close()
    assert nodes.other == [], "no comment, CDATA or declaration came from the sheet"
    assert nodes.styles == [CSS], "one style element, the report's own"
    text = "".join(parsed.text)
    for line in sheet.lines:
        for part in line.rstrip("\r\n").split("\t"):
            assert visible(part) in text, "every cell of every line is shown, as text"
