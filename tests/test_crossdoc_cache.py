"""The cross pass with the results cache: a file taken from the cache still gives the cross pass its
documents' index entries, so a cached run reports exactly what a fresh one does, and an edit to one
document of a project changes the cross findings of the next run."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from auditor.cli import main
from auditor.testing.years import generate_book, write_book


from test_cache import checks, results_cache_on  # noqa: F401 - the cache's own fixtures: it is on, checks counted


@pytest.fixture(autouse=True)
def not_on_github(monkeypatch):
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


@pytest.fixture
def projects_checked(monkeypatch):
    """The projects whose documents the cross pass rebuilt and checked (not taken from the cache)."""
    import auditor.crossdoc.cross as cross

    seen: list[str] = []
    real = cross.project_of

    def counting(entries, key, *rest):
        seen.append(str(key))
        return real(entries, key, *rest)

    monkeypatch.setattr(cross, "project_of", counting)
    return seen


@pytest.fixture
def book(tmp_path, monkeypatch) -> Path:
    """Three projects over three years with their e호조 exports, one cross-document fault per project."""
    root = write_book(tmp_path / "book", generate_book(11, projects=3, years=3, inject=True))
    monkeypatch.chdir(root)
    return root


def run(*args: str) -> tuple[int, str]:
    r = CliRunner().invoke(main, ["check", ".", *args], catch_exceptions=False)
    assert r.exit_code in (0, 1), r.output
    return r.exit_code, r.stdout


def cross(report: str) -> list[tuple[str, str, int]]:
    return [(f["rule"], f["path"], f["line"]) for f in json.loads(report)["findings"] if f["rule"].startswith("XDOC")]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_cached_run_gives_the_cross_pass_every_document(book, checks, jobs):
    first = run("--output-format", "json", "--jobs", jobs)
    assert first[0] == 1 and cross(first[1])
    assert len(checks) > 6 or jobs != "1"  # (workers check in processes of their own: not counted here)
    checks.clear()
    again = run("--output-format", "json", "--jobs", jobs)
    assert checks == []  # every file from the cache (looked up in this process, whatever --jobs is)
    assert again == first  # its cross findings, the projects matched and every other byte
    full = run("--output-format", "full", "--jobs", jobs)
    assert checks == [] and full == run("--output-format", "full", "--no-cache")


def test_editing_one_document_changes_the_cross_findings_of_the_next_run(book, checks):
    before = cross(run("--output-format", "json")[1])
    sheet = sorted(book.glob("2024/*.txt"))[0]
    text = sheet.read_text(encoding="utf-8")
    prior = next(line for line in text.splitlines() if line.startswith("계\t"))
    cells = prior.split("\t")
    figure = re.findall(r"[0-9][0-9,]*", cells[1])[-1]  # the 계's A (after any extraction noise)
    cells[1] = cells[1].replace(figure, f"{int(figure.replace(',', '')) + 7:,}")  # now not last year's B
    sheet.write_text(text.replace(prior, "\t".join(cells), 1), encoding="utf-8")
    checks.clear()
    after = cross(run("--output-format", "json")[1])
    assert checks == [sheet.relative_to(book).as_posix()]  # only the edited file is checked again
    assert after == cross(run("--output-format", "json", "--no-cache")[1])
    assert set(after) - set(before)  # the cross pass saw the edit


def test_a_damaged_index_entry_in_the_cache_is_never_a_wrong_report(book, checks, projects_checked):
    """An entry's identity that is damaged makes its file a miss (checked again); a damaged projection is
    found when its project is rebuilt, and the document is read again from its file."""
    first = run("--output-format", "json")
    for identity, name in ((False, "projection"), (True, "identity")):
        for pack in (book / ".auditor_cache").rglob("*.json"):
            doc = json.loads(pack.read_text(encoding="utf-8"))
            for entry_name in list(doc["files"]):
                entry = doc["files"][entry_name]
                if "outcome" not in entry:  # the cross pass's own findings: gone, so every project is rebuilt
                    del doc["files"][entry_name]
                    continue
                for index in entry["outcome"]["file"].get("index", ()):
                    if identity:
                        index[5] = "not a line"
                    else:
                        index[6] = index[6].replace("[", "[[", 1)  # no longer the shape of a projection
            pack.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        checks.clear()
        projects_checked.clear()
        again = run("--output-format", "json")
        assert again == first, name
        assert len(projects_checked) == 3, name
        assert (len(checks) > 6) if identity else (checks == []), name


def test_the_cross_findings_of_a_project_whose_files_did_not_change_come_from_the_cache(book, projects_checked):
    first = run("--output-format", "json")
    assert len(projects_checked) == 3
    projects_checked.clear()
    assert run("--output-format", "json") == first
    assert projects_checked == []  # no project rebuilt or checked again
    sheet = sorted(book.glob("2025/*.txt"))[0]
    sheet.write_bytes(sheet.read_bytes() + b"\n")  # one document of one project changes (its bytes only)
    again = run("--output-format", "json")
    assert len(projects_checked) == 1  # that project only
    assert cross(again[1]) == cross(first[1])


def test_another_identity_mapping_checks_every_project_again(book, projects_checked):
    run("--output-format", "json")
    projects_checked.clear()
    config = book / "auditor.toml"  # the book's own: its last table is [identity]
    text = config.read_text(encoding="utf-8")
    assert text.rstrip().splitlines()[-2] == "[identity]"
    config.write_text(text + 'accounts = { "없는 회계" = "다른 회계" }\n', encoding="utf-8")
    run("--output-format", "json")
    assert len(projects_checked) == 3


def test_a_damaged_cross_entry_is_checked_again(book, projects_checked):
    first = run("--output-format", "json")
    damaged = 0
    for pack in (book / ".auditor_cache").rglob("*.json"):
        doc = json.loads(pack.read_text(encoding="utf-8"))
        for entry in doc["files"].values():
            if "findings" in entry and entry["findings"]:
                entry["findings"][0][4] = "one"  # a line that is no number
                damaged += 1
        pack.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert damaged
    projects_checked.clear()
    r = CliRunner().invoke(main, ["check", ".", "--output-format", "json"], catch_exceptions=False)
    assert len(projects_checked) == damaged and r.stdout == first[1]
    assert "damaged" in r.stderr or "손상" in r.stderr
