"""Reports: render a CheckResult in one of the output formats (one module per format)."""

from __future__ import annotations

import importlib
from collections.abc import Iterator

from auditor.report.base import summary_line
from auditor.result import CheckResult

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: Each format and its module (imported when first used: a run writes one or two formats).
_MODULES: dict[str, str] = {
    "full": "full", "concise": "concise", "json": "json_format", "sarif": "sarif", "junit": "junit",
    "github": "github", "gitlab": "gitlab", "markdown": "markdown", "html": "html_format",
}
#: Formats written a piece at a time (the others are made whole: they hold the run anyway).
_CHUNKED = frozenset({"full", "concise", "json", "sarif", "github", "gitlab"})


def _module(fmt: str) -> Any:
    try:
        name = _MODULES[fmt]
    except KeyError:
        raise ValueError(f"unknown output format {fmt!r} (choose one of: {', '.join(FORMATS)})") from None
    return importlib.import_module(f"auditor.report.{name}")


#: ``html_context`` not given: the HTML report's own default (a few lines around each finding).
_DEFAULT: Any = object()

FORMATS: tuple[str, ...] = tuple(_MODULES)
#: Formats written for people at a terminal; they end with the summary line.
HUMAN_FORMATS: tuple[str, ...] = ("full", "concise")
#: Formats that can be written as the run goes, each file's findings when the file is checked
#: (:func:`writer`); the others need the whole result (a document, counts first, a summary on top).
STREAMED: tuple[str, ...] = ("full", "concise", "github")

__all__ = ["FORMATS", "HUMAN_FORMATS", "STREAMED", "chunks", "render", "render_statistics", "summary_line", "writer"]


def writer(fmt: str, *, lang: str = "ko", color: bool = False, show_source: bool = True,
           summary: bool = True) -> Any:
    """A :class:`~auditor.report.base.StreamWriter` of a :data:`STREAMED` format: the findings as they
    come, then the end; the same text as :func:`render` of the whole result."""
    if fmt not in STREAMED:
        raise ValueError(f"the {fmt} format is not written as the run goes (choose one of: {', '.join(STREAMED)})")
    options = {"summary": summary} if fmt in HUMAN_FORMATS else {}
    return _module(fmt).Writer(lang=lang, color=color, show_source=show_source, **options)


def chunks(
    fmt: str,
    result: CheckResult,
    *,
    lang: str = "ko",
    color: bool = False,
    show_source: bool = True,
    summary: bool = True,
    html_context: int | None = _DEFAULT,
    rendered: Any = None,
) -> Iterator[str]:
    """``render(fmt, result, …)`` in pieces, to be written as they come (the same text in the end).
    ``rendered``: the ``json`` report's findings' texts made as the run admitted them
    (:class:`auditor.report.json_format.FindingTexts`); the other formats ignore it."""
    if fmt not in _CHUNKED:
        yield render(fmt, result, lang=lang, color=color, show_source=show_source, summary=summary,
                     html_context=html_context)
        return
    writer = _module(fmt).chunks
    if fmt in HUMAN_FORMATS:
        yield from writer(result, lang=lang, color=color, show_source=show_source, summary=summary)
    elif fmt == "json" and rendered is not None:
        yield from writer(result, lang=lang, color=color, show_source=show_source, rendered=rendered)
    else:
        yield from writer(result, lang=lang, color=color, show_source=show_source)


def render(
    fmt: str,
    result: CheckResult,
    *,
    lang: str = "ko",
    color: bool = False,
    show_source: bool = True,
    summary: bool = True,
    html_context: int | None = _DEFAULT,
) -> str:
    """``result`` in the output format ``fmt``; an unknown format raises ``ValueError``.

    ``summary=False`` leaves out the closing summary line of the human formats (for ``-q``).
    ``html_context`` is the lines the ``html`` report shows around each finding (``None``: every
    line of every sheet); the other formats ignore it.
    """
    renderer = _module(fmt).render
    if fmt in HUMAN_FORMATS:
        return renderer(result, lang=lang, color=color, show_source=show_source, summary=summary)
    if fmt == "html" and html_context is not _DEFAULT:
        return renderer(result, lang=lang, color=color, show_source=show_source, context=html_context)
    return renderer(result, lang=lang, color=color, show_source=show_source)


def render_statistics(result: CheckResult, *, lang: str = "ko", color: bool = False) -> str:
    """Finding counts per rule (code, name, severity, count), most frequent first; for e호조 exports also
    by 부서 and by 통계목, and the totals per 부서 and the 세부사업 whose totals do not reconcile."""
    from auditor.report import statistics

    return statistics.render(result, lang=lang, color=color)
