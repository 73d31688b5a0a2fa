"""The ``markdown`` format: a findings table for pull-request comments and CI job summaries."""

from __future__ import annotations

import re

from auditor.report.base import (
    LINE_BREAK,
    TOOL_NAME,
    by_rule,
    context_text,
    rule_name,
    severity_label,
    sorted_findings,
    summary_line,
    t,
)
from auditor.result import CheckResult

_SPECIAL = re.compile(r"([\\`*_\[\]|~#!])")
_ENTITY = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def cell(text: str | None) -> str:
    """``text`` safe inside a GitHub-flavoured table cell: no markup, no HTML, no row breaks."""
    if text is None:
        return ""
    text = re.sub(r"[&<>]", lambda m: _ENTITY[m.group()], text)
    text = _SPECIAL.sub(r"\\\1", text)
    text = LINE_BREAK.sub("<br>", text)
    return re.sub(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", "\ufffd", text)


def render(result: CheckResult, *, lang: str = "ko", color: bool = False, show_source: bool = True) -> str:
    out = [f"### {TOOL_NAME}: {cell(summary_line(result, lang=lang))}", ""]
    findings = sorted_findings(result)
    if findings:
        head = [t(k, lang) for k in ("location", "code", "severity", "message", "expected", "actual")]
        out += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        for f in findings:
            where = f"{cell(f.path)}:{f.line}"
            related = "".join(f"<br>{cell(t('related', lang))} {cell(r.path)}:{r.line}" for r in f.related)
            if f.context:
                related = f"<br>{cell(context_text(f, lang))}" + related
            row = [where, f"{cell(f.code)} {cell(f.name)}", severity_label(f.severity, lang),
                   cell(f.message(lang)) + related, cell(f.expected), cell(f.actual)]
            out.append("| " + " | ".join(row) + " |")
        out.append("")
        out += [f"| {t('code', lang)} | {t('name', lang)} | {t('count', lang)} |", "|---|---|---:|"]
        for code, count in by_rule(result).items():
            out.append(f"| {cell(code)} | {cell(rule_name(result, code))} | {count} |")
    else:
        out.append(t("no_findings", lang))
    if result.errors:
        out += ["", f"**{t('unreadable', lang)}**", ""]
        out += [f"- {cell(e.path)}: {cell(e.message(lang))}" for e in result.errors]
    return "\n".join(out) + "\n"
