"""The machine-read formats against their schemas: json, sarif (SARIF 2.1.0), gitlab, junit."""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote

import attrs
import jsonschema
import pytest
from hypothesis import given, settings

from auditor import __version__
from auditor.findings import Severity
from auditor.report import render
from auditor.report.base import INFORMATION_URI
from auditor.report.sarif import artifact_uri
from test_report_sample import MISSING, SHEET_A, SHEET_B, check_results, sample_result

DATA = Path(__file__).parent / "data"


def _schema(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


SARIF = jsonschema.Draft4Validator(_schema("sarif-schema-2.1.0.json"))
JSON_V1 = jsonschema.Draft202012Validator(_schema("auditor-report-v1.schema.json"))
GITLAB = jsonschema.Draft202012Validator(_schema("gitlab-codequality.schema.json"))


def test_shipped_schemas_are_valid_schemas():
    jsonschema.Draft4Validator.check_schema(SARIF.schema)
    assert SARIF.schema["id"].endswith("/sarif-schema-2.1.0.json")
    jsonschema.Draft202012Validator.check_schema(JSON_V1.schema)
    jsonschema.Draft202012Validator.check_schema(GITLAB.schema)


def test_the_sarif_schema_rejects_a_broken_log():
    """The validator is live: a result without a message is not SARIF."""
    log = json.loads(render("sarif", sample_result()))
    del log["runs"][0]["results"][0]["message"]
    assert list(SARIF.iter_errors(log))


# -- json --------------------------------------------------------------------------------------
def test_json_sample_matches_the_documented_schema():
    doc = json.loads(render("json", sample_result()))
    JSON_V1.validate(doc)
    assert doc["summary"] == {"errors": 2, "warnings": 1, "info": 1, "files": 2, "unreadable": 1,
                              "baselined": 2, "by_rule": {"B001": 2, "B002": 1, "C001": 1}}
    assert [(f["path"], f["line"]) for f in doc["findings"]] == [(SHEET_A, 6), (SHEET_A, 9), (SHEET_B, 3), (SHEET_B, 6)]
    assert doc["errors"] == [{"path": MISSING, "message": "파일을 찾을 수 없습니다", "message_en": "No such file"}]


def test_json_is_the_same_whatever_the_language():
    assert render("json", sample_result(), lang="en") == render("json", sample_result(), lang="ko")


@given(check_results())
@settings(max_examples=60, deadline=None)
def test_json_always_matches_its_schema_and_round_trips(result):
    doc = json.loads(render("json", result))
    JSON_V1.validate(doc)
    assert len(doc["findings"]) == len(result.findings)
    assert sorted(f["fingerprint"] for f in doc["findings"]) == sorted(f.fingerprint for f in result.findings)
    assert sorted(f["message"] for f in doc["findings"]) == sorted(f.message_ko for f in result.findings)


# -- sarif -------------------------------------------------------------------------------------
def test_sarif_sample_is_valid_and_complete():
    log = json.loads(render("sarif", sample_result()))
    SARIF.validate(log)
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"], driver["informationUri"]) == ("auditor", __version__, INFORMATION_URI)
    rules = driver["rules"]
    assert [r["id"] for r in rules] == ["B001", "B002", "D001", "C001"], "documented rules, then undocumented"
    b001 = rules[0]
    assert b001["defaultConfiguration"]["level"] == "error"
    assert "왜 문제인가요" in b001["help"]["markdown"] and "```" in b001["help"]["markdown"]
    assert rules[2]["defaultConfiguration"]["level"] == "note"
    for res in run["results"]:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        assert len(res["partialFingerprints"]["auditor/v1"]) == 32
    first = run["results"][0]
    assert [r["physicalLocation"]["region"]["startLine"] for r in first["relatedLocations"]] == [7, 8]
    assert first["locations"][0]["physicalLocation"]["region"] == {"startLine": 6, "startColumn": 3}
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert len(notes) == 1 and "파일을 찾을 수 없습니다" in notes[0]["message"]["text"]
    assert run["invocations"][0]["executionSuccessful"] is False


@pytest.mark.parametrize(
    ("path", "uri"),
    [
        ("sheets/a.txt", "sheets/a.txt"),
        # reports carry POSIX paths (as_posix), so a backslash is part of a name: a byte of a name that
        # is not UTF-8 is shown as \xNN (auditor.discovery.printable), and stays that in the URI
        ("sheets\\가.txt", "sheets%5C%EA%B0%80.txt" if os.sep == "/" else "sheets/%EA%B0%80.txt"),
        ("bad\\xff.txt", "bad%5Cxff.txt" if os.sep == "/" else "bad/xff.txt"),
        ("a b/c:d.txt", "a%20b/c%3Ad.txt"),
        ("/abs/가.txt", "file:///abs/%EA%B0%80.txt"),
        ("C:\\x\\y.txt", "file:///C:/x/y.txt"),
    ],
)
def test_sarif_uris(path, uri):
    assert artifact_uri(path) == uri


@given(check_results())
@settings(max_examples=60, deadline=None)
def test_sarif_always_validates_against_the_2_1_0_schema(result):
    log = json.loads(render("sarif", result, lang="en"))
    SARIF.validate(log)
    run = log["runs"][0]
    assert len(run["results"]) == len(result.findings)
    uris = {unquote(a["location"]["uri"]) for a in run["artifacts"]}
    assert {f.path for f in result.files} <= uris


# -- gitlab ------------------------------------------------------------------------------------
def test_gitlab_sample():
    issues = json.loads(render("gitlab", sample_result()))
    GITLAB.validate(issues)
    assert [i["severity"] for i in issues] == ["major", "minor", "info", "major", "blocker"]
    assert issues[-1]["location"] == {"path": MISSING, "lines": {"begin": 1}}


@given(check_results())
@settings(max_examples=60, deadline=None)
def test_gitlab_always_valid_with_one_issue_per_finding_or_error(result):
    issues = json.loads(render("gitlab", result))
    GITLAB.validate(issues)
    assert len(issues) == len(result.findings) + len(result.errors)


# -- junit -------------------------------------------------------------------------------------
def test_junit_structure():
    root = ET.fromstring(render("junit", sample_result()).encode("utf-8"))
    assert root.tag == "testsuites"
    # 4 findings (error, warning, info, error) and 1 unreadable input; the gate is "error"
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("5", "2", "1")
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert list(suites) == [SHEET_A, SHEET_B, MISSING]
    assert [s.get("failures") for s in suites.values()] == ["1", "1", "0"]
    failures = suites[SHEET_B].findall("testcase/failure")
    assert [f.get("type") for f in failures] == ["B001"]
    assert failures[0].get("message") == "합계 100%: 줄바꿈\n둘째 줄, 쉼표: %0A 그대로"
    assert "\\x1b" in failures[0].text, "control characters are shown, not emitted"
    passing = suites[SHEET_B].findall("testcase/system-out")
    assert len(passing) == 1 and passing[0].text.startswith(f"{SHEET_B}:3:17: C001 [정보]")
    assert suites[MISSING].find("testcase/error").get("message") == "파일을 찾을 수 없습니다"


@pytest.mark.parametrize(("fail_on", "failures"), [(Severity.ERROR, 2), (Severity.WARNING, 3), (Severity.INFO, 4)])
def test_junit_failures_follow_the_fail_level(fail_on, failures):
    result = attrs.evolve(sample_result(), fail_on=fail_on)
    root = ET.fromstring(render("junit", result).encode("utf-8"))
    assert root.get("failures") == str(failures) == str(len(root.findall(".//failure")))
    assert len(root.findall(".//testcase/system-out")) == 4 - failures


def test_junit_clean_file_is_a_passing_testcase():
    from auditor.result import CheckedFile, CheckResult

    root = ET.fromstring(render("junit", CheckResult(files=[CheckedFile("a.txt", ["계\t1"])])))
    cases = root.findall("testsuite/testcase")
    assert len(cases) == 1 and not list(cases[0]) and root.get("failures") == "0"


@given(check_results())
@settings(max_examples=60, deadline=None)
def test_junit_is_always_well_formed_and_counts_add_up(result):
    root = ET.fromstring(render("junit", result).encode("utf-8"))
    suites = root.findall("testsuite")
    assert sum(int(s.get("tests")) for s in suites) == int(root.get("tests"))
    failing = [f for f in result.findings if result.fail_on <= f.severity]
    assert len(root.findall(".//failure")) == len(failing) == int(root.get("failures"))
    assert len(root.findall(".//testcase/system-out")) == len(result.findings) - len(failing)
    assert len(root.findall(".//error")) == len(result.errors)
    for suite in suites:
        assert len(suite.findall("testcase")) == int(suite.get("tests"))
