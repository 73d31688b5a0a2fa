"""The ``gitlab`` format: a GitLab Code Quality report (a JSON array of issues)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from auditor.findings import Finding, Severity
from auditor.report.base import STREAMED, context_text, json_chunks, sorted_findings, t
from auditor.result import CheckResult

SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}
#: An unreadable input stops the check of that file entirely, so it outranks any finding.
UNREADABLE_SEVERITY = "blocker"
UNREADABLE_CHECK = "auditor/unreadable-file"


def _description(f: Finding, lang: str) -> str:
    text = f"{f.code} {f.message(lang)}"
    if f.expected is not None or f.actual is not None:
        text += f" ({t('expected', lang)}: {f.expected or '-'}, {t('actual', lang)}: {f.actual or '-'})"
    if f.context:
        text += f" [{context_text(f, lang)}]"
    return text


def issues(result: CheckResult, lang: str = "ko") -> Iterator[dict]:
    """The report's issues, one at a time: each finding, then each unreadable input."""
    for f in sorted_findings(result):
        yield {
            "description": _description(f, lang),
            "check_name": f"{f.code} {f.name}".strip(),
            "fingerprint": f.fingerprint,
            "severity": SEVERITY[f.severity],
            "location": {"path": f.path, "lines": {"begin": f.line}},
        }
    for err in result.errors:
        raw = f"{UNREADABLE_CHECK}\x1f{err.path}".encode()
        yield (
            {
                "description": f"{t('unreadable', lang)}: {err.message(lang)}",
                "check_name": UNREADABLE_CHECK,
                "fingerprint": hashlib.sha256(raw).hexdigest()[:32],
                "severity": UNREADABLE_SEVERITY,
                "location": {"path": err.path, "lines": {"begin": 1}},
            }
        )


def chunks(result: CheckResult, *, lang: str = "ko", color: bool = False, show_source: bool = True) -> Iterator[str]:
    return json_chunks(STREAMED, issues(result, lang))


def render(result: CheckResult, *, lang: str = "ko", color: bool = False, show_source: bool = True) -> str:
    return "".join(chunks(result, lang=lang, color=color, show_source=show_source))
