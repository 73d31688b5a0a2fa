"""The ``concise`` format: one line per finding, ``path:line:col: CODE message``."""

from __future__ import annotations

import click

from auditor.report.base import SEVERITY_COLOR, context_text, single_line, sorted_findings, summary_line, t, visible
from auditor.result import CheckResult


def render(
    result: CheckResult, *, lang: str = "ko", color: bool = False, show_source: bool = True, summary: bool = True
) -> str:
    def paint(text: str, **style) -> str:
        return click.style(text, **style) if color else text

    out = []
    for f in sorted_findings(result):
        where = paint(f"{visible(f.path)}:{f.line}:{f.column or 1}:", bold=True)
        code = paint(f.code, fg=SEVERITY_COLOR[f.severity], bold=True)
        context = f" [{context_text(f, lang)}]" if f.context else ""
        out.append(f"{where} {code} {single_line(f.message(lang))}{context}")
    for err in result.errors:
        where = paint(f"{visible(err.path)}:", bold=True)
        out.append(f"{where} {t('unreadable', lang)}: {single_line(err.message(lang))}")
    if summary:
        out.append(summary_line(result, lang=lang))
    return "\n".join(out) + "\n" if out else ""
