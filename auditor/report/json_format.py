"""The ``json`` format: a stable, versioned document of findings (documented in docs/output.md)."""

from __future__ import annotations

from typing import Any, Iterator

from auditor.findings import Finding, Severity
from auditor.report.base import (
    INFORMATION_URI,
    STREAMED,
    TOOL_NAME,
    TOOL_VERSION,
    by_rule,
    by_severity,
    json_chunks,
    sorted_findings,
)
from auditor.report.breakdown import departments as departments_of, latest_budgets, totals_dict
from auditor.result import CheckResult

#: Bump only on a breaking change to the document; adding a field is not one.
SCHEMA_VERSION = 1


def finding_dict(f: Finding) -> dict:
    return {
        "path": f.path,
        "line": f.line,
        "column": f.column,
        "end_column": f.end_column,
        "rule": f.code,
        "name": f.name,
        "severity": f.severity.value,
        "message": f.message_ko,
        "message_en": f.message("en"),
        "expected": f.expected,
        "actual": f.actual,
        "related": [{"path": r.path, "line": r.line, "label": r.label} for r in f.related],
        "fingerprint": f.fingerprint,
        "key": f.key,
        "context": dict(f.context),
    }


def totals(result: CheckResult) -> dict:
    """e호조 exports' totals (integers in 원): per 세부사업 of each file and per 부서 over the run, each per
    회계연도 and 예산구분, and each 부서's latest budget per year (Σ 비교증감 over its versions)."""
    projects = [
        {"path": f.path, "year": p.year, "department": p.department, "project": p.project, "version": p.version,
         "budget_kinds": list(p.kinds), "first_line": p.first_line, **totals_dict(p.totals)}
        for f in result.files for p in f.totals
    ]
    departments = [{"year": year, "department": name, "version": version, "projects": count, **totals_dict(t)}
                   for year, name, version, count, t in departments_of(result)]
    latest = [{"year": b.year, "department": b.department, "versions": list(b.versions), "original": b.original,
               "budget": b.budget} for b in latest_budgets(result)]
    return {"departments": departments, "projects": projects, "latest": latest}


def document(result: CheckResult, findings: Any = None) -> dict:
    """The report as a dict; ``findings`` stands in for the findings list (see :func:`chunks`)."""
    n = by_severity(result)
    return {
        "version": SCHEMA_VERSION,
        "tool": {"name": TOOL_NAME, "version": TOOL_VERSION, "informationUri": INFORMATION_URI},
        "findings": [finding_dict(f) for f in sorted_findings(result)] if findings is None else findings,
        "errors": [
            {"path": e.path, "message": e.message_ko, "message_en": e.message("en")}
            for e in result.errors
        ],
        "totals": totals(result),
        "projects": [m.as_dict() for m in result.projects],
        "summary": {
            "errors": n[Severity.ERROR],
            "warnings": n[Severity.WARNING],
            "info": n[Severity.INFO],
            "files": len(result.files),
            "unreadable": len(result.errors),
            "baselined": result.baselined,
            "by_rule": by_rule(result),
        },
    }


def chunks(result: CheckResult, *, lang: str = "ko", color: bool = False, show_source: bool = True) -> Iterator[str]:
    """The document, written a finding at a time. ``lang`` does not apply: it carries both languages."""
    return json_chunks(document(result, STREAMED), (finding_dict(f) for f in sorted_findings(result)))


def render(result: CheckResult, *, lang: str = "ko", color: bool = False, show_source: bool = True) -> str:
    return "".join(chunks(result, lang=lang, color=color, show_source=show_source))
