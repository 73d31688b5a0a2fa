"""The CI formats' details: SARIF helpUri, unique JUnit test names, GitHub's annotation limits."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings, strategies as st

from auditor.engine import load_ruleset
from auditor.findings import Finding, Severity
from auditor.report import render
from auditor.report.base import INFORMATION_URI
from auditor.report.sarif import rules_doc_uri
from auditor.result import CheckedFile, CheckResult, RuleDoc
from test_report_sample import check_results, sample_result

REPO = Path(__file__).resolve().parent.parent


# -- sarif helpUri -----------------------------------------------------------------------------
def _github_anchors(markdown: str) -> set[str]:
    """The anchors GitHub makes for a page's headings: lower case, spaces to ``-``, punctuation dropped."""
    return {re.sub(r"[^\w\- ]", "", m.group(1).strip().lower()).replace(" ", "-")
            for m in re.finditer(r"^#+ (.+)$", markdown, re.MULTILINE)}


def test_every_built_in_rule_links_to_its_section_of_docs_rules_md():
    ruleset = load_ruleset()
    log = json.loads(render("sarif", CheckResult(rules=ruleset.docs())))
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert len(rules) == len(ruleset.docs()) > 40
    anchors = _github_anchors((REPO / "docs" / "rules.md").read_text(encoding="utf-8"))
    for rule in rules:
        page, _, anchor = rule["helpUri"].partition("#")
        assert page == rules_doc_uri() and page.startswith(INFORMATION_URI + "/blob/")
        assert anchor == rule["id"].lower() and anchor in anchors, rule["id"]


def test_help_uri_names_the_release_tag_or_main():
    assert rules_doc_uri("0.2.0") == f"{INFORMATION_URI}/blob/v0.2.0/docs/rules.md"
    assert rules_doc_uri("0.2.0.dev0") == f"{INFORMATION_URI}/blob/main/docs/rules.md"
    assert rules_doc_uri("1.0.0rc1").endswith("/blob/main/docs/rules.md")


def test_a_rule_from_another_pack_has_no_help_uri(tmp_path):
    doc = RuleDoc("X001", "mine.rule", Severity.ERROR, "제목", pack=str(tmp_path / "mine.toml"))
    log = json.loads(render("sarif", CheckResult(rules=[doc])))
    assert "helpUri" not in log["runs"][0]["tool"]["driver"]["rules"][0]
    assert "helpUri" not in json.dumps(json.loads(render("sarif", sample_result()))), "the sample's packs are not built in"


# -- junit -------------------------------------------------------------------------------------
def _cases(result: CheckResult) -> list[ET.Element]:
    return ET.fromstring(render("junit", result).encode("utf-8")).findall(".//testcase")


def test_junit_names_carry_the_column_and_the_key_and_every_element_has_a_time():
    root = ET.fromstring(render("junit", sample_result()).encode("utf-8"))
    names = [c.get("name") for c in root.iter("testcase")]
    assert "B001 budget.total-mismatch (줄 6:3, summary[2019].계)" in names
    assert "B002 budget.suspicious-text (줄 9, note)" in names, "no column: the line alone"
    for element in (root, *root.iter("testsuite"), *root.iter("testcase")):
        assert element.get("time") == "0", element.tag


def test_junit_names_in_a_suite_are_unique_even_for_the_same_rule_line_column_and_key():
    same = Finding("B001", "budget.x", Severity.ERROR, "a.txt", 3, "합계", column=2, key="k")
    findings = [same, attrs.evolve(same, occurrence=1), attrs.evolve(same, occurrence=2),
                attrs.evolve(same, column=5)]
    names = [c.get("name") for c in _cases(CheckResult(files=[CheckedFile("a.txt", ["x"] * 5)], findings=findings))]
    assert names == ["B001 budget.x (줄 3:2, k)", "B001 budget.x (줄 3:2, k) #2", "B001 budget.x (줄 3:2, k) #3",
                     "B001 budget.x (줄 3:5, k)"]


@given(check_results())
@settings(max_examples=60, deadline=None)
def test_junit_names_are_unique_within_each_suite(result):
    root = ET.fromstring(render("junit", result).encode("utf-8"))
    for suite in root.iter("testsuite"):
        names = Counter(c.get("name") for c in suite.iter("testcase"))
        assert max(names.values()) == 1, names


# -- github: the annotations GitHub shows ------------------------------------------------------
def _many(counts: dict[Severity, int]) -> CheckResult:
    findings = [Finding("B001", "budget.x", severity, f"s{i:03}.txt", n + 1, f"메시지 {n}", key=str(n))
                for i, (severity, count) in enumerate(counts.items()) for n in range(count)]
    files = [CheckedFile(f"s{i:03}.txt", ["x"] * 200) for i in range(len(counts))]
    return CheckResult(files=files, findings=sorted(findings, key=Finding.sort_key))


def _commands(text: str) -> list[str]:
    return [line.split(" ", 1)[0][2:] for line in text.splitlines() if re.match(r"::(error|warning|notice) ", line)]


def test_few_findings_are_each_an_annotation_and_nothing_more():
    text = render("github", _many({Severity.ERROR: 10, Severity.WARNING: 10, Severity.INFO: 10}))
    assert Counter(_commands(text)) == {"error": 10, "warning": 10, "notice": 10}
    assert "::group::" not in text


@pytest.mark.parametrize(("errors", "warnings", "notes"), [(11, 0, 0), (500, 3, 40), (0, 0, 11), (9, 30, 2)])
def test_annotations_stay_within_github_limits_and_one_summary_names_the_rest(errors, warnings, notes):
    result = _many({Severity.ERROR: errors, Severity.WARNING: warnings, Severity.INFO: notes})
    text = render("github", result)
    shown = Counter(_commands(text))
    assert all(n <= 10 for n in shown.values()), shown  # 10 of each kind per step
    assert sum(shown.values()) <= 50  # 50 per job
    summary = [line for line in text.splitlines() if "title=auditor" in line]
    assert len(summary) == 1, "one annotation names what is not shown"
    hidden = errors + warnings + notes - (sum(shown.values()) - 1)
    assert f"{hidden:,}" in summary[0] and "GITHUB_STEP_SUMMARY" not in summary[0]
    # every finding is still in the log: annotated, or listed in the folded group that follows
    listed = re.search(r"::group::.*?\n(.*?)::endgroup::", text, re.S).group(1).splitlines()
    assert len(listed) == hidden
    assert {f"s{i:03}.txt" for i, n in enumerate((errors, warnings, notes)) if n} <= {
        line.split(":", 1)[0] for line in listed} | {m for m in re.findall(r"file=(s\d+\.txt)", text)}


def test_the_most_severe_findings_are_annotated_first():
    text = render("github", _many({Severity.INFO: 30, Severity.ERROR: 30}))
    shown = Counter(_commands(text))
    assert shown["error"] == 10 and shown["notice"] == 10


def test_an_unreadable_input_is_always_annotated():
    result = attrs.evolve(_many({Severity.ERROR: 40}), errors=[
        __import__("auditor.result", fromlist=["FileError"]).FileError("gone.txt", "없음", "missing")])
    text = render("github", result)
    assert "file=gone.txt" in text
    assert Counter(_commands(text))["error"] == 10


@given(st.integers(0, 40), st.integers(0, 40), st.integers(0, 40))
@settings(max_examples=40, deadline=None)
def test_every_finding_is_annotated_or_listed(errors, warnings, notes):
    result = _many({Severity.ERROR: errors, Severity.WARNING: warnings, Severity.INFO: notes})
    text = render("github", result)
    annotated = len(re.findall(r"^::(?:error|warning|notice) file=s", text, re.MULTILINE))
    group = re.search(r"::group::.*?\n(.*?)::endgroup::", text, re.S)
    listed = len(group.group(1).splitlines()) if group else 0
    assert annotated + listed == errors + warnings + notes
    assert all(n <= 10 for n in Counter(_commands(text)).values())


# -- github: the job summary -------------------------------------------------------------------
def test_the_step_summary_is_the_markdown_report_when_it_fits():
    from auditor.report.github import step_summary

    result = _many({Severity.ERROR: 40, Severity.INFO: 5})
    assert step_summary(result) == render("markdown", result)


def test_a_step_summary_over_githubs_limit_is_cut_by_rows_and_says_so():
    from auditor.report.github import step_summary

    result = _many({Severity.ERROR: 300, Severity.WARNING: 20})
    whole = render("markdown", result)
    cut = step_summary(result, limit=8000)
    assert len(cut.encode("utf-8")) <= 8000 < len(whole.encode("utf-8"))
    rows = [line for line in cut.splitlines() if line.startswith("| s")]
    assert rows and all(line in whole.splitlines() for line in rows), "whole rows, as written"
    hidden = 320 - len(rows)
    assert f"{hidden:,}건을 줄였습니다" in cut
    assert "| B001 | budget.x | 320 |" in cut, "the counts per rule stay"
