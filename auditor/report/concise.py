"""The ``concise`` format: one line per finding, ``path:line:col: CODE message``."""

from __future__ import annotations

import click

from typing import Iterator

from auditor.report.base import (
    SEVERITY_COLOR, context_text, line_chunks, single_line, sorted_findings, summary_line, t, visible,
)
from auditor.result import CheckResult


def chunks(
    result: CheckResult, *, lang: str = "ko", color: bool = False, show_source: bool = True, summary: bool = True
) -> Iterator[str]:
    return line_chunks(_lines(result, lang, color, summary))


def _lines(result: CheckResult, lang: str, color: bool, summary: bool) -> Iterator[str]:
    def paint(text: str, **style) -> str:
        return click.style(text, **style) if color else text

    for f in sorted_findings(result):
        where = paint(f"{visible(f.path)}:{f.line}:{f.column or 1}:", bold=True)
        code = paint(f.code, fg=SEVERITY_COLOR[f.severity], bold=True)
        context = f" [{context_text(f, lang)}]" if f.context else ""
        yield f"{where} {code} {single_line(f.message(lang))}{context}"
    for err in result.errors:
        where = paint(f"{visible(err.path)}:", bold=True)
        yield f"{where} {t('unreadable', lang)}: {single_line(err.message(lang))}"
    if summary:
        yield summary_line(result, lang=lang)


def render(
    result: CheckResult, *, lang: str = "ko", color: bool = False, show_source: bool = True, summary: bool = True
) -> str:
    return "".join(chunks(result, lang=lang, color=color, show_source=show_source, summary=summary))
