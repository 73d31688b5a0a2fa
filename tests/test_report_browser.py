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
