"""Views of a whole budget for analysts: findings by 부서 and by 통계목, totals per 부서 and per 세부사업.

They exist for e호조 exports, whose findings carry a context (``Finding.context``) and whose
files carry their totals per 세부사업 (``CheckedFile.totals``); a run over 사업설명서 sheets only
has none of them. Totals are summed over every file of the run, by 부서 and 세부사업 name.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from auditor.findings import Finding, Severity
from auditor.result import CheckResult
from auditor.totals import CAUSES, CHECKS, Latest, ProjectTotals, Totals, by_department, latest, merge_projects

__all__ = ["has_views", "findings_by", "projects", "departments", "first_findings", "money", "failed_text",
           "totals_dict", "latest_budgets"]

_SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.INFO)


def has_views(result: CheckResult) -> bool:
    """Does the run have anything to show here (an e호조 export)?"""
    return any(f.totals for f in result.files) or any(f.context for f in result.findings)


def findings_by(result: CheckResult, key: str) -> list[tuple[str, list[int]]]:
    """``(value, [errors, warnings, info, total])`` per value of context ``key``, most findings first.

    Findings without that context (a header problem, a sheet's findings) are left out.
    """
    counts: dict[str, Counter] = {}
    for f in result.findings:
        value = f.context_value(key)
        if value:
            counts.setdefault(value, Counter())[f.severity] += 1
    rows = [(value, [c[s] for s in _SEVERITIES] + [sum(c.values())]) for value, c in counts.items()]
    return sorted(rows, key=lambda row: (-row[1][3], -row[1][0], row[0]))


def projects(result: CheckResult) -> list[ProjectTotals]:
    """Every 세부사업 of the run's e호조 exports, merged by (부서, 세부사업), in order of first appearance."""
    return merge_projects(p for f in result.files for p in f.totals)


def departments(result: CheckResult) -> list[tuple[str, str, str, int, Totals]]:
    """``(회계연도, 부서, 예산구분, number of 세부사업, totals)`` for every 부서 and version of the run's e호조
    exports: years and versions are never summed together."""
    return by_department(projects(result))


def latest_budgets(result: CheckResult) -> list[Latest]:
    """Each 부서's budget per 회계연도 as of its latest version (Σ 비교증감 over its versions)."""
    return latest(projects(result))


def first_findings(findings: Iterable[Finding], projects: Iterable[ProjectTotals]) -> dict[tuple[str, str], Finding]:
    """For each 세부사업 whose totals do not reconcile, the first finding of a rule that checks what failed
    (``CAUSES``) on one of its rows, else its first finding: where a reviewer starts."""
    wanted: dict[tuple[str, str], set[str]] = {}
    for p in projects:
        if not p.totals.reconciles:
            wanted.setdefault((p.department, p.project), set()).update(
                code for name in p.totals.failed() for code in CAUSES[name])
    best: dict[tuple[str, str], Finding] = {}
    for f in findings:
        key = (f.context_value("department"), f.context_value("project"))
        if key not in wanted:
            continue
        if key not in best or (f.code in wanted[key] and best[key].code not in wanted[key]):
            best[key] = f
    return best


def money(won: int) -> str:
    """An amount in 원 as the export writes it, in 천원 (``1,370,000``); 원 shown when not whole 천원."""
    if won % 1000 == 0:
        return f"{won // 1000:,}"
    return f"{won:,}원"


def failed_text(totals: Totals, lang: str = "ko") -> str:
    """What does not reconcile, in words (``""`` when everything does)."""
    names = {name: (ko, en) for name, ko, en in CHECKS}
    names["unread"] = ("읽지 못한 값", "unread values")
    parts = [names[name][1 if lang == "en" else 0] for name in totals.failed()]
    return ", ".join(parts)


def totals_dict(totals: Totals) -> dict:
    """The totals as JSON: integers in 원, with whether and why they do not reconcile."""
    return {
        "rows": totals.rows, "budget": totals.budget, "detail": totals.detail, "funding": totals.funding,
        "previous": totals.previous, "funding_previous": totals.funding_previous, "change": totals.change,
        "unread": totals.unread, "funded_budget": totals.funded_budget, "funded_previous": totals.funded_previous,
        "reconciles": totals.reconciles, "failed": list(totals.failed()),
    }
