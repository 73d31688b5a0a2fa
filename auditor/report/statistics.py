"""``--statistics``: finding counts per rule, and for e호조 exports by 부서, by 통계목, and the totals
(per 회계연도 and per 예산구분, never one sum across them, and each 부서's latest budget)."""

from __future__ import annotations

from collections import Counter

from tabulate import tabulate

from auditor.report import breakdown as B
from auditor.report.base import SEVERITY_COLOR, rule_name, severity_label, single_line, summary_line, t
from auditor.result import CheckResult
from auditor.term import style

_TEXT: dict[str, tuple[str, str]] = {
    "by_department": ("부서별 지적", "Findings by department"),
    "by_category": ("통계목별 지적", "Findings by 통계목 (expense item)"),
    "department_totals": ("부서별 합계, 회계연도·예산구분마다 (천원)", "Totals by department, per year and version (천원)"),
    "latest": ("부서별 최종 예산 (천원)", "Latest budget by department (천원)"),
    "year": ("회계연도", "year"), "version": ("예산구분", "version"), "versions": ("예산구분", "versions"),
    "original": ("본예산", "original budget"), "latest_budget": ("최종 예산액", "latest amount"),
    "unreconciled": ("합계가 맞지 않는 세부사업 (천원)", "Projects whose totals do not reconcile (천원)"),
    "projects": ("세부사업", "projects"), "rows": ("행", "rows"), "budget": ("예산액", "amount"),
    "previous": ("기정액", "previous"), "change": ("비교증감", "change"), "detail": ("Σ 하위 내역", "Σ rows below"),
    "funding": ("Σ 재원 경정", "Σ funding"), "reconciles": ("합계", "totals"), "ok": ("맞음", "reconcile"),
    "not_ok": ("안 맞음", "do not reconcile"), "first": ("첫 지적", "first finding"),
    "total": ("합계", "total"),
}


def _t(key: str, lang: str) -> str:
    ko, en = _TEXT[key]
    return en if lang == "en" else ko


def _table(rows: list[list], headers: list[str], numeric: range) -> str:
    """A table whose ``numeric`` columns are right-aligned figures (widths in terminal cells)."""
    align = ["right" if i in numeric else "left" for i in range(len(headers))]
    return tabulate(rows, headers=headers, tablefmt="simple", colalign=align, disable_numparse=True)


def by_rule(result: CheckResult, lang: str, color: bool) -> str:
    """One row per rule that fired (code, name, severity, count), most frequent first."""
    counts = Counter(f.code for f in result.findings)
    severity = {f.code: f.severity for f in result.findings}
    rows = []
    for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        label = severity_label(severity[code], lang)
        if color:
            label = style(label, fg=SEVERITY_COLOR[severity[code]])
        rows.append([code, rule_name(result, code), label, count])
    headers = [t(k, lang) for k in ("code", "name", "severity", "count")]
    return tabulate(rows, headers=headers, tablefmt="simple", colalign=("left", "left", "left", "right"))


def _counts(result: CheckResult, key: str, lang: str) -> str:
    rows = [[single_line(value), *(f"{n:,}" for n in counts)] for value, counts in B.findings_by(result, key)]
    headers = [t(key, lang), t("error", lang), t("warning", lang), t("info", lang), _t("total", lang)]
    return _table(rows, headers, range(1, 5))


def _status(ok: bool, lang: str, color: bool) -> str:
    text = _t("ok" if ok else "not_ok", lang)
    return style(text, fg="green" if ok else "red") if color else text


def eho_views(result: CheckResult, lang: str, color: bool) -> list[str]:
    """The sections for e호조 exports: findings by 부서 and 통계목, totals by 부서, and what does not reconcile."""
    out = []
    for key, title in (("department", "by_department"), ("category", "by_category")):
        if B.findings_by(result, key):
            out += [_t(title, lang), _counts(result, key, lang), ""]
    departments = B.departments(result)
    if departments:
        rows = []
        for year, name, version, count, totals in departments:
            status = _status(totals.reconciles, lang, color)
            if not totals.reconciles:
                status += f": {B.failed_text(totals, lang)}"
            rows.append([year or "-", single_line(name) or "-", single_line(version) or "-", f"{count:,}",
                         f"{totals.rows:,}", B.money(totals.budget), B.money(totals.previous),
                         B.money(totals.change), status])
        headers = [_t("year", lang), t("department", lang), _t("version", lang), _t("projects", lang),
                   _t("rows", lang), _t("budget", lang), _t("previous", lang), _t("change", lang),
                   _t("reconciles", lang)]
        out += [_t("department_totals", lang), _table(rows, headers, range(3, 8)), ""]
        rows = [[b.year or "-", single_line(b.department) or "-", single_line(", ".join(v for v in b.versions if v)) or "-",
                 B.money(b.original), B.money(b.budget)] for b in B.latest_budgets(result)]
        headers = [_t("year", lang), t("department", lang), _t("versions", lang), _t("original", lang),
                   _t("latest_budget", lang)]
        out += [_t("latest", lang), _table(rows, headers, range(3, 5)), ""]
    projects = B.projects(result)
    wrong = [p for p in projects if not p.totals.reconciles]
    if wrong:
        first = B.first_findings(result.findings, wrong)
        rows = []
        for p in wrong:
            f = first.get((p.department, p.project))
            where = f"{f.path}:{f.line} {f.code}" if f else f"{t('line', lang)} {p.first_line}"
            rows.append([p.year or "-", single_line(p.department) or "-", single_line(p.project) or "-",
                         single_line(p.version) or "-", B.money(p.totals.budget),
                         B.money(p.totals.detail), B.money(p.totals.funding), B.money(p.totals.previous),
                         B.money(p.totals.change), B.failed_text(p.totals, lang), where])
        headers = [_t("year", lang), t("department", lang), t("project", lang), _t("version", lang),
                   _t("budget", lang), _t("detail", lang), _t("funding", lang), _t("previous", lang),
                   _t("change", lang), _t("reconciles", lang), _t("first", lang)]
        out += [_t("unreconciled", lang), _table(rows, headers, range(4, 9)), ""]
    if projects:
        ok = len(projects) - len(wrong)
        out.append(f"{ok:,} of {len(projects):,} project totals (per year and version) reconcile." if lang == "en"
                   else f"세부사업 합계 {len(projects):,}개(회계연도·예산구분마다) 중 {ok:,}개가 맞습니다.")
    return out


def render(result: CheckResult, *, lang: str = "ko", color: bool = False) -> str:
    """The statistics view, then the summary line."""
    parts = [by_rule(result, lang, color)]
    if B.has_views(result):
        parts += ["", *eho_views(result, lang, color)]
    return "\n".join(parts) + f"\n{summary_line(result, lang=lang)}\n"
