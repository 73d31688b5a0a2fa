"""``auditor check`` over several documents: the cross pass, in every output format, with --jobs and a baseline."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from auditor.cli import main
from auditor.testing.years import generate_book, write_book

SHEET = """# 청년 일자리 지원
□ 사업 담당자
실·국\t부서명\t과 장\t팀장\t주무관
경제정책실\t일자리정책과\t김종빈 2133-5800\t이나연 2133-5802\t박승기 2133-5806

구 분\t{a}예산액 (A)\t{b}예산액 (B)\t증감 (B-A)\t(B-A)*100/A
계\t{A}\t{B}\t{C}\t{R}
사무관리비\t{A}\t{B}\t{C}\t{R}
"""


def sheet(year: int, a: int, b: int) -> str:
    return SHEET.format(a=year - 1, b=year, A=f"{a:,}", B=f"{b:,}", C=f"{b - a:,}", R=(b - a) * 100 // a)


@pytest.fixture
def book(tmp_path, monkeypatch) -> Path:
    """Two years of one project; 2024's A of 사무관리비 is not 2023's B, and 2023's sheet has no other finding."""
    (tmp_path / "2023").mkdir()
    (tmp_path / "2024").mkdir()
    (tmp_path / "2023" / "a.txt").write_text(sheet(2023, 100, 120), encoding="utf-8")
    (tmp_path / "2024" / "a.txt").write_text(sheet(2024, 125, 130), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return tmp_path


def check(*args: str):
    return CliRunner().invoke(main, ["check", "--isolated", *args])


def findings(*args: str) -> list[dict]:
    r = check(*args, "--output-format", "json")
    return [f for f in json.loads(r.stdout)["findings"] if f["rule"].startswith("XDOC")]


def test_a_cross_finding_names_both_documents_in_json(book):
    r = check(".", "--output-format", "json", "--select", "XDOC")
    assert r.exit_code == 1, r.output
    doc = json.loads(r.stdout)
    assert [(f["rule"], f["path"], f["line"]) for f in doc["findings"]] == [
        ("XDOC002", "2024/a.txt", 7), ("XDOC001", "2024/a.txt", 8)]
    assert doc["findings"][1]["related"] == [{"path": "2023/a.txt", "line": 8, "label": "B"}]
    (project,) = doc["projects"]
    assert project["key"] == {"name": "청년일자리지원", "department": "일자리정책과", "account": ""}
    assert [(d["kind"], d["path"], d["year"]) for d in project["documents"]] == [
        ("사업설명서", "2023/a.txt", 2023), ("사업설명서", "2024/a.txt", 2024)]


def test_the_full_format_shows_the_other_documents_line_in_a_second_frame(book):
    r = check(".", "--select", "XDOC001", "--color", "never")
    out = r.stdout
    assert "2024/a.txt:8:" in out and "::: 2023/a.txt:8" in out
    frame = out[out.index("::: 2023/a.txt:8"):]
    assert "8 | 사무관리비 │ 100 │ 120" in frame  # 2023's line, read again: that sheet had no finding of its own


def test_sarif_relates_the_other_documents_line(book):
    r = check(".", "--select", "XDOC001", "--output-format", "sarif")
    run = json.loads(r.stdout)["runs"][0]
    (result,) = run["results"]
    (related,) = result["relatedLocations"]
    location = related["physicalLocation"]
    assert location["artifactLocation"]["uri"].endswith("2023/a.txt") and location["region"]["startLine"] == 8
    assert {a["location"]["uri"] for a in run["artifacts"]} >= {"2023/a.txt", "2024/a.txt"}


def test_the_html_report_links_to_the_other_documents_line(book):
    r = check(".", "--select", "XDOC001", "--output-format", "html")
    page = r.stdout
    links = re.findall(r'<a href="#(s\d+-L8)">2023/a.txt:8</a>', page)
    assert links and f'id="{links[0]}"' in page  # a live link: the other sheet is shown around that line


@pytest.mark.parametrize("fmt", ["concise", "github", "gitlab", "junit", "markdown"])
def test_every_other_format_reports_the_cross_finding(book, fmt):
    r = check(".", "--select", "XDOC001", "--output-format", fmt)
    assert r.exit_code == 1 and "XDOC001" in r.stdout and "2024/a.txt" in r.stdout


def test_jobs_give_the_same_report(book):
    one = check(".", "--jobs", "1", "--output-format", "json").stdout
    two = check(".", "--jobs", "2", "--output-format", "json").stdout
    assert one == two and "XDOC001" in one


def test_a_baseline_hides_cross_findings_like_any_other(book):
    assert check(".", "--write-baseline", "base.json").exit_code == 0
    assert "XDOC001" in (book / "base.json").read_text(encoding="utf-8")
    r = check(".", "--baseline", "base.json", "--output-format", "json")
    assert r.exit_code == 0 and json.loads(r.stdout)["summary"]["baselined"] >= 2


def test_selection_and_per_file_ignores_apply_to_cross_rules(book):
    assert findings(".", "--ignore", "XDOC") == []
    assert [f["rule"] for f in findings(".", "--select", "XDOC002")] == ["XDOC002"]
    assert findings(".", "--per-file-ignores", "2024/*:XDOC") == []


def test_documents_of_other_projects_are_checked_alone(book):
    (book / "2024" / "a.txt").write_text(sheet(2024, 125, 130).replace("청년 일자리 지원", "노인 일자리 지원"),
                                        encoding="utf-8")
    r = check(".", "--output-format", "json")
    assert json.loads(r.stdout)["projects"] == [] and findings(".") == []


def test_the_configuration_renames_a_project_and_sets_the_prior_year_basis(book):
    (book / "2024" / "a.txt").write_text(sheet(2024, 125, 130).replace("청년 일자리 지원", "청년 일자리 지원 사업"),
                                        encoding="utf-8")
    config = book / "auditor.toml"
    config.write_text('[identity]\nprojects = { "청년 일자리 지원" = "청년 일자리 지원 사업" }\n', encoding="utf-8")
    r = CliRunner().invoke(main, ["check", ".", "--output-format", "json"])
    assert [f["rule"] for f in json.loads(r.stdout)["findings"] if f["rule"].startswith("XDOC")] == ["XDOC002",
                                                                                                     "XDOC001"]
    config.write_text('prior-year-basis = "최종"\n' + config.read_text(encoding="utf-8"), encoding="utf-8")
    r = CliRunner().invoke(main, ["check", ".", "--output-format", "json"])  # no final budget known: not checked
    assert [f["rule"] for f in json.loads(r.stdout)["findings"] if f["rule"].startswith("XDOC")] == []
    r = CliRunner().invoke(main, ["check", ".", "--show-settings"])
    assert "prior-year-basis= 최종" in r.stdout and "projects: 청년 일자리 지원 -> 청년 일자리 지원 사업" in r.stdout


@pytest.mark.parametrize(("config", "message"), [
    ('[identity]\nprojects = { "a" = "b", "b" = "a" }\n',
     "auditor.toml:2: identity.projects: 'a' is renamed in a cycle"),
    ('[identity]\nproject = { "a" = "b" }\n', "auditor.toml:2: identity: unknown table 'project'"),
    ('prior-year-basis = "final"\n', "auditor.toml:1: 'prior-year-basis' must be one of either, 당초, 최종"),
])
def test_a_bad_identity_or_basis_is_a_configuration_error_at_its_line(book, config, message):
    (book / "auditor.toml").write_text(config, encoding="utf-8")
    r = CliRunner().invoke(main, ["check", ".", "--lang", "en"])
    assert r.exit_code == 2 and message in r.output, r.output


def test_auditor_parse_shows_the_identity(book):
    r = CliRunner().invoke(main, ["parse", "2024/a.txt"])
    assert "식별 identity (사업설명서): 청년일자리지원 · 일자리정책과 · -" in r.stdout
    r = CliRunner().invoke(main, ["parse", "--format", "json", "2024/a.txt"])
    (found,) = json.loads(r.stdout)["identities"]
    assert found["projects"][0]["key"]["name"] == "청년일자리지원"


def test_a_generated_book_with_its_configuration(tmp_path, monkeypatch):
    root = write_book(tmp_path / "book", generate_book(5, projects=3, years=3, inject=True))
    monkeypatch.chdir(root)
    r = CliRunner().invoke(main, ["check", ".", "--output-format", "json", "--jobs", "2"])
    doc = json.loads(r.stdout)
    assert r.exit_code == 1 and len(doc["projects"]) == 3
    found = {(f["rule"], f"{f['path']}:{f['line']}") for f in doc["findings"]}
    for line in (root / "answer-key.jsonl").read_text(encoding="utf-8").splitlines():
        fault = json.loads(line)
        assert any((fault["rule"], at) in found for at in fault["lines"]), fault
