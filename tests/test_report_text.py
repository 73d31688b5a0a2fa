"""The terminal and CI text formats: full, concise, github, markdown, statistics and the API."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.findings import Finding, Severity
from auditor.report import FORMATS, render, render_statistics, summary_line
from auditor.report.base import text_width, visible
from auditor.report.full import caret_span, show_cells
from auditor.report.github import escape_data, escape_property
from auditor.report.markdown import cell
from auditor.result import CheckedFile, CheckResult
from test_report_sample import SHEET_B, check_results, sample_result

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def test_formats_and_unknown_format():
    assert FORMATS == ("full", "concise", "json", "sarif", "junit", "github", "gitlab", "markdown", "html")
    with pytest.raises(ValueError, match="choose one of: full, concise, json"):
        render("xml", sample_result())


@pytest.mark.parametrize(
    ("counts", "files", "ko", "en"),
    [
        ((2, 1, 0), 3, "오류 2건, 경고 1건, 정보 0건 (파일 3개)", "Found 2 errors, 1 warning, 0 info (3 files)"),
        ((1, 0, 5), 1, "오류 1건, 경고 0건, 정보 5건 (파일 1개)", "Found 1 error, 0 warnings, 5 info (1 file)"),
        ((0, 0, 0), 0, "오류 0건, 경고 0건, 정보 0건 (파일 0개)", "Found 0 errors, 0 warnings, 0 info (0 files)"),
    ],
)
def test_summary_line(counts, files, ko, en):
    severities = [Severity.ERROR] * counts[0] + [Severity.WARNING] * counts[1] + [Severity.INFO] * counts[2]
    findings = [Finding("X1", "x", s, "a.txt", 1, "m", occurrence=i) for i, s in enumerate(severities)]
    result = CheckResult(files=[CheckedFile(f"{i}.txt") for i in range(files)], findings=findings)
    assert summary_line(result, lang="ko") == ko
    assert summary_line(result, lang="en") == en


def test_summary_line_names_unreadable_and_baselined():
    assert summary_line(sample_result()).endswith("; 읽지 못한 파일 1개; 기준선으로 숨긴 2건")


def test_statistics_counts_per_rule_with_hangul_aligned():
    table = render_statistics(sample_result(), lang="ko")
    rows = table.splitlines()[:-1]  # the last line is the summary
    assert [r.split()[0] for r in rows[2:]] == ["B001", "B002", "C001"]
    assert [r.split()[-1] for r in rows[2:]] == ["2", "1", "1"]
    assert "오류" in rows[2] and "경고" in rows[3]
    assert len({text_width(r.rstrip()) for r in rows}) == 1, "columns line up in terminal cells"


def test_color_only_when_asked():
    for fmt in ("full", "concise"):
        assert not ANSI.search(render(fmt, sample_result(), color=False))
        assert ANSI.search(render(fmt, sample_result(), color=True))
    assert ANSI.search(render_statistics(sample_result(), color=True))
    assert not ANSI.search(render_statistics(sample_result(), color=False))
    assert not ANSI.search(render("github", sample_result(), color=True)), "machine formats never colour"


def test_full_shows_context_expected_actual_and_related():
    out = render("full", sample_result())
    block = out.split("\n\n")[0].splitlines()
    assert block[0] == "sheets/000_예산.txt:6:3: B001 [오류] 2019예산액 합계가 항목의 합과 다릅니다"
    assert "6 | 계 │ (x-) 250,600 │ (x-) 235,800" in "\n".join(block)
    assert "  = 기대값: 133,800 / 실제값: 250,600" in block
    assert "  = 참고: 관련 줄 sheets/000_예산.txt:7 (사무관리비)" in block
    assert "sheets/없는<파일>.txt: 읽지 못한 파일: 파일을 찾을 수 없습니다" in out
    assert "\x1b" not in out and "\\x1b[31m" in out, "control characters from input are shown, not sent"


def test_full_without_source_has_no_snippet():
    out = render("full", sample_result(), show_source=False)
    assert " | " not in out.replace("사무관리비 | 총괄", "")
    assert "= 기대값: 133,800" in out


def _column_under_caret(text: str, column: int) -> str:
    """The character of the displayed line that sits above the first caret."""
    start, _ = caret_span(text, column)
    shown, at = show_cells(text), 0
    for ch in shown:
        if at == start:
            return ch
        at += text_width(ch)
    return ""


cells = st.lists(st.text(alphabet="계사무관리비천원가 0123456789,()x-△", min_size=1, max_size=8).map(str.strip)
                 .filter(bool), min_size=1, max_size=5)


@given(cells, st.data())
@settings(max_examples=200, deadline=None)
def test_caret_sits_under_the_cell_it_points_at(parts, data):
    text = "\t".join(parts)
    k = data.draw(st.integers(0, len(parts) - 1))
    column = sum(len(p) + 1 for p in parts[:k]) + 1
    assert _column_under_caret(text, column) == parts[k][0]
    _, width = caret_span(text, column)
    assert width == text_width(parts[k])


def test_concise_is_one_line_per_finding():
    lines = render("concise", sample_result()).splitlines()
    assert lines[0] == "sheets/000_예산.txt:6:3: B001 2019예산액 합계가 항목의 합과 다릅니다"
    assert lines[3] == f"{SHEET_B}:6:3: B001 합계 100%: 줄바꿈⏎둘째 줄, 쉼표: %0A 그대로"
    assert len(lines) == 4 + 1 + 1  # findings, unreadable file, summary


# -- github ------------------------------------------------------------------------------------
def _unescape(text: str) -> str:
    return (text.replace("%2C", ",").replace("%3A", ":").replace("%0A", "\n").replace("%0D", "\r")
            .replace("%25", "%"))


def _parse_command(line: str) -> tuple[str, dict[str, str], str]:
    match = re.fullmatch(r"::(\w+) ([^:]*)::(.*)", line)
    assert match, line
    props = dict(p.split("=", 1) for p in match.group(2).split(","))
    return match.group(1), {k: _unescape(v) for k, v in props.items()}, _unescape(match.group(3))


@pytest.mark.parametrize(
    ("raw", "data", "prop"),
    [
        ("100%", "100%25", "100%25"),
        ("a\nb\r\nc", "a%0Ab%0D%0Ac", "a%0Ab%0D%0Ac"),
        ("x: y, z", "x: y, z", "x%3A y%2C z"),
        ("%0A", "%250A", "%250A"),
        ("\x1b[31m", "\\x1b[31m", "\\x1b[31m"),
    ],
)
def test_github_escaping(raw, data, prop):
    assert escape_data(raw) == data
    assert escape_property(raw) == prop


def test_github_sample_annotations():
    lines = render("github", sample_result()).splitlines()
    level, props, message = _parse_command(lines[3])
    assert level == "error"
    assert props == {"file": SHEET_B, "line": "6", "col": "3", "title": "B001 budget.total-mismatch"}
    assert message.startswith("합계 100%: 줄바꿈\n둘째 줄, 쉼표: %0A 그대로\n")
    assert [_parse_command(line)[0] for line in lines] == ["error", "warning", "notice", "error", "error"]


@given(check_results())
@settings(max_examples=80, deadline=None)
def test_github_one_command_per_finding_and_lossless(result):
    lines = render("github", result).splitlines()
    assert len(lines) == len(result.findings) + len(result.errors)
    parsed = [_parse_command(line) for line in lines]
    findings = sorted(result.findings, key=Finding.sort_key)
    for (level, props, message), f in zip(parsed, findings):
        assert props["file"] == visible(f.path)
        assert int(props["line"]) == f.line
        assert message.startswith(visible(f.message("ko")))


# -- markdown ----------------------------------------------------------------------------------
def _unescaped_pipes(row: str) -> int:
    return len(re.findall(r"(?<!\\)\|", row))


def test_markdown_cell_escaping():
    assert cell("a|b") == "a\\|b"
    assert cell("<img src=x onerror=alert(1)>") == "&lt;img src=x onerror=alert(1)&gt;"
    assert cell("*굵게* [링크](http://x)") == "\\*굵게\\* \\[링크\\](http://x)"
    assert cell("줄\n바꿈") == "줄<br>바꿈"


@given(check_results())
@settings(max_examples=80, deadline=None)
def test_markdown_rows_keep_their_columns(result):
    rows = [r for r in render("markdown", result).splitlines() if r.startswith("| ")]
    table = rows[: len(result.findings) + 1] if result.findings else []
    for row in table:
        assert _unescaped_pipes(row) == 7, row
    body = render("markdown", result).replace("<br>", "")
    assert "<" not in body


@pytest.mark.parametrize("fmt", ["full", "concise"])
def test_human_formats_leave_out_the_summary_line_when_asked(fmt):
    result = sample_result()
    with_summary = render(fmt, result).rstrip("\n").split("\n")
    without = render(fmt, result, summary=False).rstrip("\n").split("\n")
    assert with_summary[-1] == summary_line(result) and summary_line(result) not in without
    assert without == [line for line in with_summary[: len(without)]]


def _long_csv_result(column_of_value: int):
    cells = [f"칸{n}" for n in range(column_of_value)] + ['"15,000"'] + ["0"] * 60
    line = ",".join(cells)
    col = line.index('"15,000"') + 2  # where the number starts, after the quote
    finding = Finding(code="CALC001", name="basis.formula-amount-mismatch", severity=Severity.ERROR,
                      path="e.csv", line=2, column=col, end_column=col + len("15,000"), message_ko="틀림")
    return CheckResult(files=[CheckedFile("e.csv", ("머리,줄", line, "꼬리"))], findings=[finding])


@pytest.mark.parametrize("cells_before", [3, 40, 200])
def test_full_cuts_long_lines_to_a_window_with_the_caret_under_the_value(cells_before):
    from auditor.report.full import ELLIPSIS, MAX_LINE_CELLS, WINDOW_LEAD_CELLS

    out = render("full", _long_csv_result(cells_before)).split("\n")
    [at] = [n for n, line in enumerate(out) if line.startswith("2 | ")]
    shown, caret = out[at], out[at + 1]
    assert text_width(shown) <= len("2 | ") + MAX_LINE_CELLS + 2 * text_width(ELLIPSIS)
    start = caret.index("^")
    assert caret.count("^") == len("15,000")
    # The carets sit exactly under "15,000" (measured in terminal cells).
    prefix_cells = text_width(shown[: shown.index('"15,000"') + 1])
    assert start == prefix_cells
    cut_in_front = shown[len("2 | "):].startswith(ELLIPSIS)
    assert cut_in_front == (text_width(",".join(f"칸{n}" for n in range(cells_before))) + 2 > WINDOW_LEAD_CELLS)
