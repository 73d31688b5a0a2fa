"""The HTML report in a real headless Chromium: hostile sheet text stays text, and the page draws."""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from auditor.findings import Finding, Severity
from auditor.report import render
from auditor.result import CheckedFile, CheckResult

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
MISSING = ("headless Chromium is not installed (no `chromium` or `chromium-browser` on PATH); "
           "install Debian's `chromium` package to run the HTML report browser tests")


@pytest.fixture
def chromium() -> str:
    """The browser, or a skip with the reason; a failure instead when ``AUDITOR_REQUIRE_BROWSER`` is set (CI)."""
    if CHROMIUM is None:
        if os.environ.get("AUDITOR_REQUIRE_BROWSER", "0") not in ("", "0"):
            pytest.fail(f"{MISSING}. AUDITOR_REQUIRE_BROWSER is set (as .ci/run sets it), so this is a failure, "
                        "not a skip; .ci/run logs its install attempt in /tmp/auditor-ci-apt.log", pytrace=False)
        pytest.skip(MISSING)
    return CHROMIUM


needs_chromium = pytest.mark.usefixtures("chromium")

TITLE = "사업설명서 검사 보고서 · auditor"
PAYLOADS = (
    "<script>document.title='pwned'</script>",
    "<img src=x onerror=\"document.title='pwned-img'\">",
    "<svg onload=\"document.body.setAttribute('data-pwned','svg')\"></svg>",
    "</td></tr></table><script>document.body.setAttribute('data-pwned','breakout')</script>",
    "<iframe srcdoc=\"<script>parent.document.title='pwned-frame'</script>\"></iframe>",
    "<a href=\"javascript:document.title='pwned-link'\">링크</a><style>body{display:none}</style>",
)


def _hostile_result() -> CheckResult:
    lines = ["구 분\t금액", *(f"비고\t{p}" for p in PAYLOADS), "계\t(x-) 250,600"]
    findings = [
        Finding("B002", PAYLOADS[1], Severity.WARNING, "sheets/<script>x</script>.txt", 2 + i, PAYLOADS[i],
                expected=PAYLOADS[0], actual=PAYLOADS[3], key=str(i))
        for i in range(len(PAYLOADS))
    ]
    return CheckResult(files=[CheckedFile("sheets/<script>x</script>.txt", lines)], findings=findings)


def _chromium(tmp_path: Path, page: Path, *extra: str) -> str:
    command = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--hide-scrollbars", f"--user-data-dir={tmp_path / 'profile'}", *extra, page.as_uri(),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def _dom(tmp_path: Path, html: str, name: str) -> str:
    page = tmp_path / name
    page.write_text(html, encoding="utf-8")
    return _chromium(tmp_path, page, "--dump-dom")


@needs_chromium
def test_the_detector_sees_a_script_that_runs(tmp_path):
    """Control: unescaped, the same payload does run here, so the next test can fail."""
    dom = _dom(tmp_path, f"<html><head><title>t</title></head><body>{PAYLOADS[0]}{PAYLOADS[3]}</body></html>",
               "control.html")
    assert "<title>pwned</title>" in dom and 'data-pwned="breakout"' in dom


@needs_chromium
def test_no_script_from_a_sheet_runs(tmp_path):
    dom = _dom(tmp_path, render("html", _hostile_result()), "report.html")
    assert re.findall(r"<title>(.*?)</title>", dom) == [TITLE], "the title is unchanged"
    assert "data-pwned" not in re.search(r"<body[^>]*>", dom).group(), "the body was not touched"
    assert not re.search(r"<[a-z]+[^>]*\sdata-pwned=", dom), "no element was marked by a payload"
    for tag in ("<script", "<img", "<svg", "<iframe", "<style>body"):
        assert tag not in dom, f"no {tag} element was created by the sheet"
    assert "&lt;script&gt;document.title='pwned'&lt;/script&gt;" in dom, "the payload is shown as text"
    assert dom.count('class="hit sev-warning"') == len(PAYLOADS)


def _png_pixels(data: bytes, max_rows: int) -> tuple[int, int, set[bytes]]:
    """Width, height, and the distinct colours of the first ``max_rows`` rows of an 8-bit RGB(A) PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, color_type, _, _, interlace = header
    assert depth == 8 and color_type in (2, 6) and interlace == 0, header
    bpp = 3 if color_type == 2 else 4
    raw = zlib.decompressobj().decompress(idat, (width * bpp + 1) * max_rows)
    stride, prev, colors = width * bpp, bytearray(width * bpp), set()
    for row in range(min(max_rows, height)):
        kind, line = raw[row * (stride + 1)], bytearray(raw[row * (stride + 1) + 1:(row + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        colors.update(bytes(line[i:i + 3]) for i in range(0, stride, bpp * 4))
        prev = line
    return width, height, colors


@needs_chromium
def test_screenshot_is_a_drawn_page(tmp_path):
    page = tmp_path / "report.html"
    page.write_text(render("html", _hostile_result()), encoding="utf-8")
    shot = tmp_path / "shot.png"
    _chromium(tmp_path, page, f"--screenshot={shot}", "--window-size=1280,2000")
    width, height, colors = _png_pixels(shot.read_bytes(), max_rows=400)
    assert (width, height) == (1280, 2000)
    assert len(colors) > 20, "text, tables and highlights give many colours; a blank page has one"
    assert b"\xff\xff\xff" in colors, "white background"


# -- layout: figures, codes and headings never wrap ------------------------------------------------
#: Measures, in the page, each element that must stay on one line, and lists those that do not.
#: The test adds it (and drops the page's CSP for it): the report itself never holds a script.
MEASURE = """<script>
const lh = el => parseFloat(getComputedStyle(el).lineHeight) || parseFloat(getComputedStyle(el).fontSize) * 1.3;
const wrapped = [];
for (const el of document.querySelectorAll(%s)) {
  const range = document.createRange(); range.selectNodeContents(el);
  const height = range.getBoundingClientRect().height;
  if (el.matches('.cmp .v') && el.textContent.length > 20) continue;  // a figure, not a sentence
  if (el.textContent.trim() && height > lh(el) * 1.5) wrapped.push(el.tagName + '.' + el.className + ':' + el.textContent.trim());
}
document.body.setAttribute('data-checked', String(document.querySelectorAll(%s).length));
document.body.setAttribute('data-wrapped', JSON.stringify(wrapped));
</script>"""
ONE_LINE = "td.n, .grid th, td.ln, .code, .sev, mark, .index td:nth-child(3), .cmp .v"


def _narrow_result() -> CheckResult:
    big = "1,234,567,890"
    lines = ["구 분\t2019예산액 (A)\t2020예산액 (B)\t증감 (B-A)\t증감률 (B-A)*100/A",
             f"계\t(x-) {big}\t(x-) 2,345,678,901\t(x-) △1,111,111,011\t(x-) △47.37",
             "사무관리비\t○ 회의 참석수당 150,000원*17명*2회\t=\t5,100천원"]
    b, formula = lines[1].index("2,345,678,901") + 1, lines[2].index("150,000원") + 1
    findings = [Finding("SUM003", "summary.total-b-mismatch", Severity.ERROR, "sheets/아주 긴 이름의 시트 파일.txt", 2,
                        "예산 총괄의 계(B)가 통계목 B의 합과 다릅니다", column=b, end_column=b + 13, expected="2,345,678,911",
                        actual="2,345,678,901", key="b"),
                Finding("CALC001", "basis.formula-amount-mismatch", Severity.WARNING, "sheets/아주 긴 이름의 시트 파일.txt",
                        3, "산출식의 결과가 금액과 다릅니다", column=formula, end_column=formula + 18, expected="5,100,000원",
                        actual="5,100천원", key="c")]
    return CheckResult(files=[CheckedFile("sheets/아주 긴 이름의 시트 파일.txt", lines, department="균형발전정책과")],
                       findings=findings)


def _measured(tmp_path: Path, page: str, extra_css: str = "") -> tuple[int, list[str]]:
    page = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page)
    script = MEASURE % (repr(ONE_LINE), repr(ONE_LINE))
    page = page.replace("</body>", f"<style>{extra_css}</style>{script}</body>" if extra_css else f"{script}</body>")
    path = tmp_path / "narrow.html"
    path.write_text(page, encoding="utf-8")
    dom = _chromium(tmp_path, path, "--dump-dom", "--window-size=360,800")
    body = re.search(r"<body[^>]*>", dom).group()
    checked = int(re.search(r'data-checked="(\d+)"', body).group(1))
    import html as _html
    import json

    return checked, json.loads(_html.unescape(re.search(r'data-wrapped="([^"]*)"', body).group(1)))


@needs_chromium
def test_the_measure_sees_a_figure_that_wraps(tmp_path):
    """Control: with wrapping anywhere allowed, as before, figures do break in a narrow window."""
    checked, wrapped = _measured(tmp_path, render("html", _narrow_result()),
                                 "* { white-space: normal !important; overflow-wrap: anywhere !important; }")
    assert checked > 20 and wrapped, "the measure can fail"


@needs_chromium
def test_figures_codes_and_headings_stay_on_one_line_in_a_narrow_window(tmp_path):
    for page in (render("html", _narrow_result()), render("html", _narrow_result(), lang="en"),
                 render("html", _hostile_result())):
        checked, wrapped = _measured(tmp_path, page)
        assert checked > 20 and wrapped == [], wrapped


@needs_chromium
def test_the_book_layout_draws_the_index_and_the_marked_cell(tmp_path):
    dom = _dom(tmp_path, render("html", _narrow_result()), "book.html")
    for order in ("severity", "rule", "sheet", "department"):
        assert f'id="index-{order}"' in dom
    assert "<mark>2,345,678,901</mark>" in dom
    assert dom.count('class="sheet"') == 1


SHOWN = """<script>
addEventListener('load', () => setTimeout(() => document.body.setAttribute('data-shown',
  [...document.querySelectorAll('table.index')].filter(t => getComputedStyle(t).display !== 'none')
  .map(t => t.id).join(' ')), 50));
</script>"""


@needs_chromium
@pytest.mark.parametrize(("fragment", "shown"), [("", "index-severity"), ("#index-rule", "index-rule"),
                                                 ("#index-department", "index-department"),
                                                 ("#index-severity", "index-severity"), ("#s1", "index-severity")])
def test_the_index_shows_the_ordering_the_address_names(tmp_path, fragment, shown):
    page = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", render("html", _narrow_result()))
    path = tmp_path / "index.html"
    path.write_text(page.replace("</body>", SHOWN + "</body>"), encoding="utf-8")
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=5000", "--dump-dom",
               path.as_uri() + fragment]
    dom = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True).stdout
    assert re.search(r'data-shown="([^"]*)"', dom).group(1) == shown
