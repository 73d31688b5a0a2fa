"""The HTML report, read with html.parser: escaping, no scripts, working links, both languages."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from hypothesis import given, settings

from auditor.report import render
from auditor.report.base import visible
from auditor.report.html_format import style_hash
from auditor.report.html_style import CSS
from test_report_sample import IMG, SCRIPT, check_results, sample_result

ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "header", "section", "footer", "h1", "h2", "h3",
    "p", "ul", "li", "b", "a", "span", "div", "table", "thead", "tbody", "tr", "th", "td", "code", "pre", "br", "mark",
}
ALLOWED_ATTRS = {"lang", "charset", "http-equiv", "content", "name", "class", "id", "href"}


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parse(page: str) -> _Page:
    parser = _Page()
    parser.feed(page)
    parser.close()
    return parser


def assert_only_our_markup(page: str) -> _Page:
    parsed = parse(page)
    for tag, attrs in parsed.tags:
        assert tag in ALLOWED_TAGS, tag
        assert set(attrs) <= ALLOWED_ATTRS, (tag, attrs)
        href = attrs.get("href")
        assert href is None or re.fullmatch(r"#[A-Za-z0-9-]+", href), href
    ids = [a["id"] for _, a in parsed.tags if "id" in a]
    assert len(ids) == len(set(ids)), "ids are unique"
    for _, attrs in parsed.tags:
        if "href" in attrs:
            assert attrs["href"][1:] in ids, f"link {attrs['href']} has a target"
    return parsed


def test_sample_page_is_only_our_markup_and_shows_hostile_text_as_text():
    page = render("html", sample_result())
    parsed = assert_only_our_markup(page)
    text = "".join(parsed.text)
    assert SCRIPT in text and IMG in text, "the sheet's markup is shown as text"
    assert "<script" not in page.lower().replace("&lt;script", "")
    assert [t for t, _ in parsed.tags].count("style") == 1


def test_csp_forbids_scripts_and_pins_the_style_sheet():
    page = render("html", sample_result())
    csp = next(a["content"] for t, a in parse(page).tags if a.get("http-equiv") == "Content-Security-Policy")
    assert "script-src 'none'" in csp and "default-src 'none'" in csp
    style = re.search(r"<style>(.*?)</style>", page, re.S).group(1)
    assert style == CSS and f"'{style_hash(style)}'" in csp


def test_summary_by_rule_and_by_sheet_and_marked_lines():
    page = render("html", sample_result())
    assert '<html lang="ko">' in page and "사업설명서 검사 보고서" in page
    assert "규칙별" in page and "시트별" in page and "읽지 못한 파일" in page
    assert '<tr id="s1-L6" class="hit sev-error">' in page
    assert '<tr id="s1-L7" class="rel">' in page, "a related line is marked"
    assert '<span class="k">기대값</span><span class="v">133,800</span>' in page
    assert '<span class="k">실제값</span><span class="v">250,600</span>' in page
    assert '<span class="c">사무관리비</span><span class="c">(x-) 122,900</span>' in page, "tabs become cells"
    assert '<span class="c">계</span><span class="c"><mark>(x-) 250,600</mark></span>' in page, "the wrong cell"
    assert 'href="#s1-L7">sheets/000_예산.txt:7</a>' in page


def test_english_page():
    page = render("html", sample_result(), lang="en")
    assert '<html lang="en">' in page and "By rule" in page and "Expected" in page
    assert "The 2019 total differs" in page


@given(check_results())
@settings(max_examples=80, deadline=None)
def test_any_input_yields_only_our_markup(result):
    page = render("html", result, html_context=None)
    parsed = assert_only_our_markup(page)
    text = "".join(parsed.text)
    for f in result.files:
        for line in f.lines:
            for part in line.rstrip("\r\n").split("\t"):
                assert visible(part) in text, "every cell of every line is shown, as text"
