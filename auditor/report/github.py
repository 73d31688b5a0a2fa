"""The ``github`` format: GitHub Actions workflow commands that annotate the sheet lines."""

from __future__ import annotations

from typing import Iterator

from auditor.findings import Finding, Severity
from auditor.report.base import context_text, sorted_findings, t, visible
from auditor.result import CheckResult

LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """Escape a command's message as the runner expects (actions/toolkit ``escapeData``).

    Other control characters are shown as ``\\xNN`` so that they cannot colour or rewrite the log.
    """
    return visible(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a command property value (actions/toolkit ``escapeProperty``)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _command(level: str, properties: dict[str, object], message: str) -> str:
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    return f"::{level} {props}::{escape_data(message)}"


def _message(f: Finding, lang: str) -> str:
    text = f.message(lang)
    if f.context:
        text += f"\n{context_text(f, lang)}"
    if f.expected is not None or f.actual is not None:
        text += f"\n{t('expected', lang)}: {f.expected or '-'} / {t('actual', lang)}: {f.actual or '-'}"
    for rel in f.related:
        label = f" ({rel.label})" if rel.label else ""
        text += f"\n{t('related', lang)} {rel.path}:{rel.line}{label}"
    return text


def chunks(result: CheckResult, *, lang: str = "ko", color: bool = False, show_source: bool = True) -> Iterator[str]:
    """One workflow command per line: each finding, then each unreadable input."""
    for f in sorted_findings(result):
        props = {"file": f.path, "line": f.line, "col": f.column or 1, "title": f"{f.code} {f.name}"}
        if f.column and f.end_column and f.end_column > f.column:
            props["endColumn"] = f.end_column
        yield _command(LEVEL[f.severity], props, _message(f, lang)) + "\n"
    for err in result.errors:
        props = {"file": err.path, "title": f"auditor: {t('unreadable', lang)}"}
        yield _command("error", props, err.message(lang)) + "\n"


def render(result: CheckResult, *, lang: str = "ko", color: bool = False, show_source: bool = True) -> str:
    return "".join(chunks(result, lang=lang, color=color, show_source=show_source))
