"""Reports: render a CheckResult in one of the output formats (one module per format)."""

from __future__ import annotations

from typing import Callable

from auditor.report import (
    concise,
    full,
    github,
    gitlab,
    html_format,
    json_format,
    junit,
    markdown,
    sarif,
    statistics,
)
from auditor.report.base import summary_line
from auditor.result import CheckResult

_RENDERERS: dict[str, Callable[..., str]] = {
    "full": full.render,
    "concise": concise.render,
    "json": json_format.render,
    "sarif": sarif.render,
    "junit": junit.render,
    "github": github.render,
    "gitlab": gitlab.render,
    "markdown": markdown.render,
    "html": html_format.render,
}
FORMATS: tuple[str, ...] = tuple(_RENDERERS)
#: Formats written for people at a terminal; they end with the summary line.
HUMAN_FORMATS: tuple[str, ...] = ("full", "concise")

__all__ = ["FORMATS", "HUMAN_FORMATS", "render", "render_statistics", "summary_line"]


def render(
    fmt: str,
    result: CheckResult,
    *,
    lang: str = "ko",
    color: bool = False,
    show_source: bool = True,
    summary: bool = True,
) -> str:
    """``result`` in the output format ``fmt``; an unknown format raises ``ValueError``.

    ``summary=False`` leaves out the closing summary line of the human formats (for ``-q``).
    """
    try:
        renderer = _RENDERERS[fmt]
    except KeyError:
        raise ValueError(f"unknown output format {fmt!r} (choose one of: {', '.join(FORMATS)})") from None
    if fmt in HUMAN_FORMATS:
        return renderer(result, lang=lang, color=color, show_source=show_source, summary=summary)
    return renderer(result, lang=lang, color=color, show_source=show_source)


def render_statistics(result: CheckResult, *, lang: str = "ko", color: bool = False) -> str:
    """Finding counts per rule (code, name, severity, count), most frequent first; for e호조 exports also
    by 부서 and by 통계목, and the totals per 부서 and the 세부사업 whose totals do not reconcile."""
    return statistics.render(result, lang=lang, color=color)
