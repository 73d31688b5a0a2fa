"""The ``full`` terminal format: each finding with its sheet lines in context, as ruff shows code."""

from __future__ import annotations

from typing import Iterator

import click

from auditor.findings import Finding
from auditor.report.base import (
    SEVERITY_COLOR,
    context_text,
    line_chunks,
    severity_label,
    single_line,
    sorted_findings,
    summary_line,
    t,
    text_width,
    visible,
)
from auditor.result import CONTEXT_AFTER, CONTEXT_BEFORE, CheckedFile, CheckResult

#: A tab in a sheet line separates two table cells; show it as a cell border.
CELL_SEPARATOR = " │ "
# CONTEXT_BEFORE and CONTEXT_AFTER (auditor.result): the lines shown around a finding's own,
# which are the lines a check run keeps of each file for this report.
#: Lines wider than this (in terminal cells) are cut to a window around the finding, as an
#: e호조 CSV record can run to several hundred cells.
MAX_LINE_CELLS = 120
#: How much of the line before the finding's column the window keeps.
WINDOW_LEAD_CELLS = 30
ELLIPSIS = "…"


def show_cells(text: str) -> str:
    """A sheet line for the terminal: tabs become cell borders, control characters are visible."""
    return visible(text.rstrip("\t \r\n")).replace("\t", CELL_SEPARATOR)


def caret_span(text: str, column: int | None, end_column: int | None = None) -> tuple[int, int]:
    """Where to underline ``text`` once shown by :func:`show_cells`: (start cell, width in cells).

    With a column, the underline runs from it to ``end_column`` (exclusive) when the finding
    knows where its value ends, else to the end of its table cell; without a column, it
    covers the whole line.
    """
    shown = show_cells(text)
    if column is None:
        start = len(shown) - len(shown.lstrip())
        return text_width(shown[:start]), max(text_width(shown[start:]), 1)
    index = min(max(column - 1, 0), len(text))
    if end_column is not None and end_column > column:
        end = min(end_column - 1, len(text))
    else:
        end = text.find("\t", index)
        end = len(text) if end == -1 else end
    start = text_width(show_cells(text[:index] + "x")) - 1
    width = text_width(visible(text[index:end].rstrip()))
    return start, max(width, 1)


def clip(shown: str, skip: int, room: int = MAX_LINE_CELLS) -> str:
    """``shown`` from cell ``skip`` on, at most ``room`` cells, with ``…`` where it was cut."""
    out: list[str] = []
    cell = 0
    for ch in shown:
        w = text_width(ch)
        if cell >= skip:
            if cell - skip + w > room:
                out.append(ELLIPSIS)
                break
            out.append(ch)
        cell += w
    return (ELLIPSIS if skip else "") + "".join(out)


def window_start(shown: str, caret_start: int, caret_width: int) -> int:
    """First cell to show so that the caret fits in :data:`MAX_LINE_CELLS`; 0 for a short line."""
    if text_width(shown) <= MAX_LINE_CELLS:
        return 0
    lead = min(WINDOW_LEAD_CELLS, max(MAX_LINE_CELLS - caret_width, 0))
    wanted = max(caret_start - lead, 0)
    cell = 0
    for ch in shown:  # start on a character boundary: never inside a double-width character
        w = text_width(ch)
        if cell + w > wanted:
            break
        cell += w
    return cell


class _Painter:
    def __init__(self, color: bool) -> None:
        self.color = color

    def __call__(self, text: str, **style) -> str:
        return click.style(text, **style) if self.color else text


def _header(f: Finding, lang: str, paint: _Painter) -> str:
    fg = SEVERITY_COLOR[f.severity]
    where = paint(f"{visible(f.path)}:{f.line}:{f.column or 1}:", bold=True)
    code = paint(f.code, fg=fg, bold=True)
    return f"{where} {code} [{severity_label(f.severity, lang)}] {single_line(f.message(lang))}"


def _snippet(f: Finding, source: CheckedFile, paint: _Painter) -> list[str]:
    first = max(f.line - CONTEXT_BEFORE, 1)
    last = min(f.line + CONTEXT_AFTER, len(source.lines))
    gutter = len(str(last))
    bar = paint(" " * gutter + " |", fg="blue", bold=True)
    out = [bar]
    target = source.lines[f.line - 1]
    start, width = caret_span(target, f.column, f.end_column)
    skip = window_start(show_cells(target), start, width)
    for number in range(first, last + 1):
        shown = show_cells(source.lines[number - 1])
        if skip or text_width(shown) > MAX_LINE_CELLS:
            shown = clip(shown, skip)
        label = paint(f"{number:>{gutter}} |", fg="blue", bold=True)
        out.append(f"{label} {shown}".rstrip())
        if number == f.line:
            lead = start - skip + (text_width(ELLIPSIS) if skip else 0)
            room = MAX_LINE_CELLS - (start - skip)
            caret = paint("^" * max(min(width, room), 1), fg=SEVERITY_COLOR[f.severity], bold=True)
            out.append(f"{bar} {' ' * lead}{caret} {paint(f.code, fg=SEVERITY_COLOR[f.severity])}")
    out.append(bar)
    return out


def _notes(f: Finding, lang: str, paint: _Painter) -> list[str]:
    out = []
    eq = paint("=", fg="blue", bold=True)
    if f.context:
        out.append(f"  {eq} {paint(t('context', lang), bold=True)}: {context_text(f, lang)}")
    if f.expected is not None or f.actual is not None:
        expected = single_line(f.expected if f.expected is not None else "-")
        actual = single_line(f.actual if f.actual is not None else "-")
        out.append(f"  {eq} {t('expected', lang)}: {expected} / {t('actual', lang)}: {actual}")
    for rel in f.related:
        label = f" ({single_line(rel.label)})" if rel.label else ""
        note = paint(t("note", lang), bold=True)
        out.append(f"  {eq} {note}: {t('related', lang)} {visible(rel.path)}:{rel.line}{label}")
    return out


def chunks(
    result: CheckResult, *, lang: str = "ko", color: bool = False, show_source: bool = True, summary: bool = True
) -> Iterator[str]:
    return line_chunks(_lines(result, lang, color, show_source, summary), drop_last_blank=not summary)


def _lines(result: CheckResult, lang: str, color: bool, show_source: bool, summary: bool) -> Iterator[str]:
    paint = _Painter(color)
    sources = {f.path: f for f in result.files}
    for f in sorted_findings(result):
        yield _header(f, lang, paint)
        source = sources.get(f.path)
        if show_source and source is not None and 1 <= f.line <= len(source.lines):
            yield from _snippet(f, source, paint)
        yield from _notes(f, lang, paint)
        yield ""
    for err in result.errors:
        head = paint(f"{visible(err.path)}:", bold=True)
        kind = paint(t("unreadable", lang), fg="red", bold=True)
        yield f"{head} {kind}: {single_line(err.message(lang))}"
    if result.errors:
        yield ""
    if summary:
        yield paint(summary_line(result, lang=lang), bold=True)


def render(
    result: CheckResult, *, lang: str = "ko", color: bool = False, show_source: bool = True, summary: bool = True
) -> str:
    return "".join(chunks(result, lang=lang, color=color, show_source=show_source, summary=summary))
