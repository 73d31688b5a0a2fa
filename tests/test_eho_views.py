"""The analysts' views of an e호조 export: every finding names its 부서 and 세부사업 in every format;
--statistics and the HTML report show findings by 부서 and 통계목 and totals that reconcile or visibly do not."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings

from auditor import __version__
from auditor.discovery import Input
from auditor.engine import load_ruleset
from auditor.report import FORMATS, render, render_statistics
from auditor.result import CheckResult
from auditor.runner import check_one
from auditor.testing.eho import export_bytes
from strategies_eho import broken_exports, exports

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "eho" / "eho-expenditure-sample.csv"
GOLDEN = Path(__file__).parent / "golden_report" / "eho"
SCHEMA = jsonschema.Draft202012Validator(
    json.loads((Path(__file__).parent / "data" / "auditor-report-v1.schema.json").read_text(encoding="utf-8")))
RULES = load_ruleset()
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def broken_sample() -> bytes:
    """The synthetic sample with three slips: an item's amount, a share's 경정, a 통계목 code."""
    lines = SAMPLE.read_text(encoding="utf-8").split("\n")
    lines[5] = lines[5].replace('"3,600",0,"3,600"', '"3,900",0,"3,900"', 1)  # ο리플릿 (line 6) under Ο 홍보물 제작
    lines[10] = lines[10].replace('"18,000","15,000","3,000"', '"18,500","15,000","3,500"', 1)  # line 11: 국고 경정
    lines[2] = lines[2].replace(",201-01,사무관리비,", ",201-02,사무관리비,", 1)  # line 3: 201-02 is 공공운영비
    return "\n".join(lines).encode("utf-8")


def result_of(data: bytes, name: str = "budget.csv") -> CheckResult:
    checked, findings = check_one(Input("-", name, data), RULES)
    return CheckResult([checked], findings, (), RULES.docs())


def test_the_broken_sample_is_found_where_it_was_broken():
    findings = result_of(broken_sample()).findings
    assert sorted((f.code, f.line) for f in findings) == [
        ("CALC001", 6), ("FUND003", 6), ("FUND003", 11), ("REVIEW006", 3), ("SUM001", 5), ("SUM007", 5),
        ("VER003", 11)]
    where = (("department", "문화예술과"), ("project", "생활문화 동아리 지원"))
    assert {f.line: f.context for f in findings if f.line in (3, 5)} == {
        3: where + (("category", "201-02 사무관리비"),), 5: where + (("category", "201-01 사무관리비"),)}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_format_names_the_department_and_project_of_each_finding(fmt, lang):
    text = render(fmt, result_of(broken_sample()), lang=lang)
    for name in ("문화예술과", "생활문화 동아리 지원", "작은도서관 운영 지원", "201-02 사무관리비", "민간경상사업보조"):
        assert name in text, (fmt, name)


def test_the_json_report_carries_context_and_totals_and_validates():
    doc = json.loads(render("json", result_of(broken_sample())))
    SCHEMA.validate(doc)
    assert doc["findings"][0]["context"] == {
        "department": "문화예술과", "project": "생활문화 동아리 지원", "category": "201-02 사무관리비"}
    projects = {p["project"]: p for p in doc["totals"]["projects"]}
    assert projects["생활문화 동아리 지원"]["failed"] == ["detail"]
    assert projects["작은도서관 운영 지원"]["failed"] == ["funding"]
    assert doc["totals"]["departments"][0]["department"] == "문화예술과"
    assert not doc["totals"]["departments"][0]["reconciles"]


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    text = text.replace(__version__, "{VERSION}")
    if os.environ.get("AUDITOR_UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    assert path.exists(), f"missing golden file {path}; run with AUDITOR_UPDATE_GOLDEN=1 and review it"
    assert text == path.read_text(encoding="utf-8"), f"{name} changed; review and update it"


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_statistics_by_department_and_category_and_the_totals_that_do_not_reconcile(lang):
    text = render_statistics(result_of(broken_sample()), lang=lang)
    _golden(f"statistics.{lang}.txt", text)
    if lang == "ko":
        for heading in ("부서별 지적", "통계목별 지적", "부서별 합계, 회계연도·예산구분마다 (천원)", "부서별 최종 예산 (천원)",
                        "합계가 맞지 않는 세부사업 (천원)"):
            assert heading in text
        assert "세부사업 합계 3개(회계연도·예산구분마다) 중 1개가 맞습니다." in text and "budget.csv:5 SUM001" in text


@pytest.mark.parametrize("fmt,lang,ext", [("full", "ko", "txt"), ("concise", "en", "txt"), ("html", "ko", "html")])
def test_golden_views_of_the_broken_sample(fmt, lang, ext):
    _golden(f"{fmt}.{lang}.{ext}", render(fmt, result_of(broken_sample()), lang=lang))


def test_the_html_report_shows_only_the_lines_around_findings_of_an_export_read_in_units():
    html = render("html", result_of(broken_sample()))
    assert 'id="s1-L5"' in html and 'id="s1-L4"' in html and 'id="s1-L8"' not in html
    for heading in ("부서별", "통계목별", "부서별 합계, 회계연도·예산구분마다 (천원)", "부서별 최종 예산 (천원)",
                    "세부사업별 합계 (천원)"):
        assert f"<h3>{heading}</h3>" in html


@pytest.mark.parametrize("path", sorted((ROOT / "examples" / "eho").glob("*.csv")), ids=lambda p: p.stem)
def test_totals_per_project_are_the_sums_of_its_parent_rows(path):
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))[2:]
    expected: dict[tuple[str, str, str, str], list[int]] = {}
    number = lambda cell: int(cell.replace(",", "")) * 1000  # noqa: E731
    for row in rows:  # per 회계연도, 부서, 세부사업 and 예산구분: never summed across years or versions
        if row[17].startswith("Ο"):
            sums = expected.setdefault((row[0], row[11], row[9], row[1]), [0, 0, 0, 0])
            funding = sum(number(row[22 + 3 * i]) for i in range(11))
            for i, value in enumerate((number(row[19]), number(row[20]), number(row[21]), funding)):
                sums[i] += value
    checked, findings = check_one(Input(str(path), path.name), RULES)
    got = {p.key: [p.totals.budget, p.totals.previous, p.totals.change, p.totals.funding] for p in checked.totals}
    assert got == expected and all(f.code == "VER003" for f in findings)
    assert all(p.totals.reconciles for p in checked.totals)


@SETTINGS
@given(exports())
def test_a_consistent_export_reconciles_everywhere(rows):
    checked, _ = check_one(Input("-", "gen.csv", export_bytes(rows)), RULES)
    assert checked.totals and all(p.totals.reconciles for p in checked.totals)
    assert {p.project for p in checked.totals} == {r.project for r in rows}


@SETTINGS
@given(broken_exports())
def test_a_total_that_does_not_reconcile_has_a_finding_on_one_of_its_rows(case):
    data, rows, line, kind = case
    checked, findings = check_one(Input("-", "gen.csv", data), RULES)
    wrong = [p for p in checked.totals if not p.totals.reconciles]
    record = rows[line - 3]
    # the totals sum the Ο rows' figures and funding, and each Ο row's ο rows
    if (record.is_group and kind not in ("share-change", "formula")) or kind == "amount":
        assert wrong, "a broken identity must show in the totals"
    for p in wrong:
        assert p.project == record.project
        assert any(f.context_value("project") == p.project and f.context_value("department") == p.department
                   for f in findings), p


def test_a_value_that_cannot_be_read_is_left_out_of_the_totals_and_shown():
    lines = SAMPLE.read_text(encoding="utf-8").split("\n")
    lines[3] = lines[3].replace('"1,500",0,"1,500"', '"1,5OO",0,"1,500"', 1)  # line 4: 예산액 with the letter O
    result = result_of("\n".join(lines).encode("utf-8"))
    [project] = [p for p in result.files[0].totals if p.project == "생활문화 동아리 지원"]
    assert project.totals.unread == 1 and project.totals.failed() == ("funding", "change", "unread")
    assert [(f.code, f.line) for f in result.findings] == [("PARSE004", 4), ("VER003", 11)]
    assert "읽지 못한 값" in render_statistics(result)
