"""The ``full`` terminal format: each finding with its sheet lines in context, as ruff shows code."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Mapping

from auditor.findings import Finding
from auditor.report.base import (
    SEVERITY_COLOR,
    HeldLines,
    StreamWriter,
    context_text,
    severity_label,
    single_line,
    summary_line,
    t,
    text_width,
    visible,
)
from auditor.result import CONTEXT_AFTER, CONTEXT_BEFORE, CheckedFile, CheckResult
from auditor.term import style

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

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
    index, end = _underlined(text, column, end_column)
    start = text_width(show_cells(text[:index] + "x")) - 1
    width = text_width(visible(text[index:end].rstrip()))
    return start, max(width, 1)


def _underlined(text: str, column: int, end_column: int | None) -> tuple[int, int]:
    """Where the underline of a finding at ``column`` runs in ``text``: ``(start, end)`` indexes."""
    index = min(max(column - 1, 0), len(text))
    if end_column is not None and end_column > column:
        return index, min(end_column - 1, len(text))
    end = text.find("\t", index)
    return index, len(text) if end == -1 else end


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

    def __call__(self, text: str, **kw) -> str:
        return style(text, **kw) if self.color else text


def _header(f: Finding, lang: str, paint: _Painter) -> str:
    fg = SEVERITY_COLOR[f.severity]
    where = paint(f"{visible(f.path)}:{f.line}:{f.column or 1}:", bold=True)
    code = paint(f.code, fg=fg, bold=True)
    return f"{where} {code} [{severity_label(f.severity, lang)}] {single_line(f.message(lang))}"


class Measured:
    """One sheet line as the report shows it, measured once and then cut and underlined in O(log n).

    :func:`caret_span`, :func:`window_start` and :func:`clip` walk the whole line for each
    finding; a line of a million characters with many findings made the report quadratic
    (20 s of CPU for a 9 KB export with one 4,000-cell row). This gives the same answers from
    the line's cumulative cell widths (a property test holds them equal).
    """

    __slots__ = ("text", "shown", "cells", "source_cells")

    def __init__(self, text: str) -> None:
        self.text = text
        self.shown = show_cells(text)
        #: Cells before each character of ``shown`` (and after the last).
        self.cells = _cumulative(_cell_width(ch) for ch in self.shown)
        #: Cells before each character of ``text`` as shown (a tab as a cell border, a control as ``\\xNN``).
        self.source_cells = _cumulative(_source_width(ch) for ch in text)

    @property
    def width(self) -> int:
        return self.cells[-1]

    def caret_span(self, column: int | None, end_column: int | None = None) -> tuple[int, int]:
        """:func:`caret_span` of the line."""
        text, cells = self.text, self.cells
        if column is None:
            start = len(self.shown) - len(self.shown.lstrip())
            return cells[start], max(cells[-1] - cells[start], 1)
        index, end = _underlined(text, column, end_column)
        kept = text[index:end].rstrip()
        width = self.source_cells[index + len(kept)] - self.source_cells[index] - 3 * kept.count("\t")
        return self.source_cells[index], max(width, 1)

    def window_start(self, caret_start: int, caret_width: int) -> int:
        """:func:`window_start` of the line."""
        cells = self.cells
        if cells[-1] <= MAX_LINE_CELLS:
            return 0
        lead = min(WINDOW_LEAD_CELLS, max(MAX_LINE_CELLS - caret_width, 0))
        wanted = max(caret_start - lead, 0)
        return cells[min(bisect_right(cells, wanted), len(cells)) - 1]

    def clip(self, skip: int, room: int = MAX_LINE_CELLS) -> str:
        """:func:`clip` of the shown line."""
        cells, n = self.cells, len(self.shown)
        first = bisect_left(cells, skip, 0, n)
        if first >= n:
            body = ""
        else:
            stop = max(bisect_right(cells, skip + room, first) - 1, first)
            body = self.shown[first:stop] + (ELLIPSIS if stop < n else "")
        return (ELLIPSIS if skip else "") + body


def _cumulative(widths) -> list[int]:
    out = [0]
    total = 0
    for w in widths:
        total += w
        out.append(total)
    return out


_WIDTHS: dict[str, int] = {}


def _cell_width(ch: str) -> int:
    """Cells of one character, as :func:`text_width` counts them (cached: a line repeats its characters)."""
    w = _WIDTHS.get(ch)
    if w is None:
        w = _WIDTHS[ch] = text_width(ch)
    return w


_SOURCE_WIDTHS: dict[str, int] = {"\t": text_width(CELL_SEPARATOR)}


def _source_width(ch: str) -> int:
    """Cells one character of a sheet line takes once shown: a tab as a cell border, a control as ``\\xNN``."""
    w = _SOURCE_WIDTHS.get(ch)
    if w is None:
        w = _SOURCE_WIDTHS[ch] = text_width(visible(ch))
    return w


def _snippet(f: Finding, source: CheckedFile, paint: _Painter, measured: dict[int, Measured]) -> list[str]:
    first = max(f.line - CONTEXT_BEFORE, 1)
    last = min(f.line + CONTEXT_AFTER, len(source.lines))
    gutter = len(str(last))
    bar = paint(" " * gutter + " |", fg="blue", bold=True)
    out = [bar]

    def line(number: int) -> Measured:
        found = measured.get(number)
        if found is None:
            found = measured[number] = Measured(source.lines[number - 1])
        return found

    target = line(f.line)
    start, width = target.caret_span(f.column, f.end_column)
    skip = target.window_start(start, width)
    for number in range(first, last + 1):
        here = line(number)
        shown = here.shown
        if skip or here.width > MAX_LINE_CELLS:
            shown = here.clip(skip)
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
    for (path, line), labels in related_lines(f).items():  # one note per line, its labels together
        label = f" ({single_line(', '.join(labels))})" if labels else ""
        note = paint(t("note", lang), bold=True)
        out.append(f"  {eq} {note}: {t('related', lang)} {visible(path)}:{line}{label}")
    return out


def related_lines(f: Finding) -> dict[tuple[str, int], list[str]]:
    """``{(path, line): labels}`` of a finding's related lines, in its order."""
    out: dict[tuple[str, int], list[str]] = {}
    for rel in f.related:
        labels = out.setdefault((rel.path, rel.line), [])
        if rel.label and rel.label not in labels:
            labels.append(rel.label)
    return out


#: The most frames of other files one finding shows (a cross-document finding names another document).
MAX_OTHER_FRAMES = 3


def _other_frames(f: Finding, sources: Mapping[str, CheckedFile], paint: _Painter) -> list[str]:
    """A frame of each related line in another file (the other document of a cross-document finding),
    when the run kept its text: ``::: path:line`` and the lines around it, the line marked."""
    out: list[str] = []
    shown = 0
    for (path, line), labels in related_lines(f).items():
        source = sources.get(path)
        if path == f.path or source is None or not 1 <= line <= len(source.lines) or shown >= MAX_OTHER_FRAMES:
            continue
        shown += 1
        first, last = max(line - CONTEXT_BEFORE, 1), min(line + CONTEXT_AFTER, len(source.lines))
        gutter = len(str(last))
        bar = paint(" " * gutter + " |", fg="blue", bold=True)
        out.append(f"{' ' * gutter}{paint('::: ', fg='blue', bold=True)}{visible(path)}:{line}")
        out.append(bar)
        target = source.lines[line - 1]
        start, width = caret_span(target, None)
        skip = window_start(show_cells(target), start, width)
        for number in range(first, last + 1):
            text = show_cells(source.lines[number - 1])
            if skip or text_width(text) > MAX_LINE_CELLS:
                text = clip(text, skip)
            out.append(f"{paint(f'{number:>{gutter}} |', fg='blue', bold=True)} {text}".rstrip())
            if number == line:
                lead = start - skip + (text_width(ELLIPSIS) if skip else 0)
                marks = paint("-" * max(min(width, MAX_LINE_CELLS - (start - skip)), 1), fg="blue", bold=True)
                out.append(f"{bar} {' ' * lead}{marks} {single_line(', '.join(labels))}".rstrip())
        out.append(bar)
    return out


class Writer(StreamWriter):
    """Each finding with its lines as it comes; then the unreadable inputs and the summary."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.paint = _Painter(self.color)
        self.out = HeldLines()
        #: The lines around the findings of one file, measured once (findings come in line order: keep a few).
        self.measured: dict[int, Measured] = {}
        self.measured_path: str | None = None

    def findings(self, findings: Iterable[Finding], files: Mapping[str, CheckedFile]) -> Iterator[str]:
        return self.out.write(self._lines(findings, files))

    def _lines(self, findings: Iterable[Finding], sources: Mapping[str, CheckedFile]) -> Iterator[str]:
        paint, lang = self.paint, self.lang
        for f in findings:
            yield _header(f, lang, paint)
            source = sources.get(f.path)
            if self.show_source and source is not None and 1 <= f.line <= len(source.lines):
                if f.path != self.measured_path or len(self.measured) > 64:
                    self.measured, self.measured_path = {}, f.path
                yield from _snippet(f, source, paint, self.measured)
            yield from _notes(f, lang, paint)
            if self.show_source:
                yield from _other_frames(f, sources, paint)
            yield ""

    def end(self, result: CheckResult) -> Iterator[str]:
        yield from self.out.write(self._end(result))
        yield from self.out.close(drop_last_blank=not self.summary)

    def _end(self, result: CheckResult) -> Iterator[str]:
        paint, lang = self.paint, self.lang
        for err in result.errors:
            head = paint(f"{visible(err.path)}:", bold=True)
            kind = paint(t("unreadable", lang), fg="red", bold=True)
            yield f"{head} {kind}: {single_line(err.message(lang))}"
        if result.errors:
            yield ""
        if self.summary:
            yield paint(summary_line(result, lang=lang), bold=True)


def chunks(
    result: CheckResult, *, lang: str = "ko", color: bool = False, show_source: bool = True, summary: bool = True
) -> Iterator[str]:
    return Writer(lang=lang, color=color, show_source=show_source, summary=summary).chunks(result)


def render(
    result: CheckResult, *, lang: str = "ko", color: bool = False, show_source: bool = True, summary: bool = True
) -> str:
    return "".join(chunks(result, lang=lang, color=color, show_source=show_source, summary=summary))
