"""Baselines through the CLI: adopt the gate on an old book, survive moved lines, work from any cwd."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from auditor.cli import main

REPO = Path(__file__).resolve().parent.parent
GOOD = REPO / "examples" / "sheets" / "000_c6c48727fbba6ebb.txt"
ROW = {2016: "2016\t(x-) 253,000\t(x-) 0\t(x-) 0\t(x-) 253,000", 2017: "2017\t(x-) 236,800\t(x-) 0\t(x-) 7,000\t(x-) 243,800"}


def broken(*years: int, blank_lines_on_top: int = 0) -> str:
    text = GOOD.read_text(encoding="utf-8")
    for y in years:
        text = text.replace(ROW[y], ROW[y][:-7] + f"{int(ROW[y][-7:].replace(',', '')) + 100:,}")
    return "\n" * blank_lines_on_top + text


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    (tmp_path / "pyproject.toml").write_text("[tool.auditor]\nselect = ['SET']\n", encoding="utf-8")
    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "old.txt").write_text(broken(2017), encoding="utf-8")
    shutil.copy(GOOD, tmp_path / "book" / "clean.txt")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def check(*args: str):
    return CliRunner().invoke(main, ["check", *args], catch_exceptions=False)


def test_adopt_the_gate_then_only_new_findings_fail(project: Path) -> None:
    assert check("book").exit_code == 1
    w = check("book", "--write-baseline", "baseline.json")
    assert w.exit_code == 0 and w.stdout == ""
    assert "2건" in w.stderr and "baseline.json" in w.stderr
    doc = json.loads((project / "baseline.json").read_text(encoding="utf-8"))
    assert [(e["code"], e["path"]) for e in doc["findings"]] == [("SET001", "book/old.txt"), ("SET002", "book/old.txt")]

    r = check("book", "--baseline", "baseline.json", "--output-format", "json")
    assert r.exit_code == 0
    out = json.loads(r.stdout)
    assert out["findings"] == [] and out["summary"]["baselined"] == 2

    # lines inserted above the old problem: still accepted
    (project / "book" / "old.txt").write_text(broken(2017, blank_lines_on_top=5), encoding="utf-8")
    r = check("book", "--baseline", "baseline.json", "--output-format", "concise")
    assert r.exit_code == 0, r.stdout
    assert "기준선으로 숨긴 2건" in r.stdout

    # a new problem in the same sheet fails the gate, and only it is shown
    (project / "book" / "old.txt").write_text(broken(2016, 2017, blank_lines_on_top=5), encoding="utf-8")
    r = check("book", "--baseline", "baseline.json", "--output-format", "concise")
    assert r.exit_code == 1
    assert "2016년" in r.stdout and "2017년" not in r.stdout


def test_baseline_matches_from_a_subdirectory(project: Path, monkeypatch) -> None:
    assert check("book", "--write-baseline", "baseline.json").exit_code == 0
    monkeypatch.chdir(project / "book")
    r = check(".", "--baseline", "../baseline.json", "--output-format", "json")
    assert r.exit_code == 0, r.stdout
    assert json.loads(r.stdout)["summary"]["baselined"] == 2


def test_stale_entries_are_listed_with_verbose(project: Path) -> None:
    assert check("book", "--write-baseline", "baseline.json").exit_code == 0
    (project / "book" / "old.txt").write_text(GOOD.read_text(encoding="utf-8"), encoding="utf-8")
    r = check("book", "--baseline", "baseline.json", "-v")
    assert r.exit_code == 0
    assert r.stderr.count("no longer found") == 2 and "book/old.txt SET001" in r.stderr
    assert "no longer found" not in check("book", "--baseline", "baseline.json").stderr


def test_write_baseline_respects_selection_and_keeps_baselined_findings(project: Path) -> None:
    assert check("book", "--ignore", "SET002", "--write-baseline", "b1.json").exit_code == 0
    assert [e["code"] for e in json.loads(Path("b1.json").read_text(encoding="utf-8"))["findings"]] == ["SET001"]
    assert check("book", "--baseline", "b1.json", "--write-baseline", "b2.json").exit_code == 0
    assert len(json.loads(Path("b2.json").read_text(encoding="utf-8"))["findings"]) == 2


@pytest.mark.parametrize("content", [None, "{}", "not json"])
def test_bad_baseline_exit_2(project: Path, content: str | None) -> None:
    if content is not None:
        Path("b.json").write_text(content, encoding="utf-8")
    r = check("book", "--baseline", "b.json", "--lang", "en")
    assert r.exit_code == 2 and r.stderr.startswith("auditor: error: b.json: ")


def test_a_gap_that_grows_on_a_baselined_line_fails_the_gate_again(project: Path) -> None:
    """The issue's case: the gap on an accepted line grows; moving lines alone still passes."""
    assert check("book", "--write-baseline", "baseline.json").exit_code == 0
    entry = json.loads((project / "baseline.json").read_text(encoding="utf-8"))["findings"][0]
    assert entry["expected"] and entry["actual"]
    old = project / "book" / "old.txt"
    old.write_text(broken(2017, blank_lines_on_top=3), encoding="utf-8")
    assert check("book", "--baseline", "baseline.json").exit_code == 0
    old.write_text(old.read_text(encoding="utf-8").replace("243,900", "244,200"), encoding="utf-8")
    r = check("book", "--baseline", "baseline.json", "--output-format", "json", "-v")
    assert r.exit_code == 1
    shown = json.loads(r.stdout)["findings"]
    assert {f["rule"]: f["actual"] for f in shown} == {"SET001": "244,200천원", "SET002": "2,240천원"}
    assert r.stderr.count("no longer found") == 2  # the entries of the smaller gap


def test_a_version_1_baseline_still_works_with_a_warning(project: Path) -> None:
    assert check("book", "--write-baseline", "baseline.json").exit_code == 0
    doc = json.loads((project / "baseline.json").read_text(encoding="utf-8"))
    doc["version"] = 1
    for entry in doc["findings"]:
        del entry["expected"], entry["actual"]
    (project / "baseline.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    r = check("book", "--baseline", "baseline.json", "--lang", "en")
    assert r.exit_code == 0
    assert "baseline.json: a version 1 baseline" in r.stderr and "--write-baseline" in r.stderr
    assert "version 1" not in check("book", "--baseline", "baseline.json", "-q").stderr


def test_a_baseline_of_an_eho_export_holds_when_its_projects_are_reordered_and_not_when_a_figure_grows(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each 세부사업 of a generated export, some with a wrong 예산액, as blocks in several orders."""
    import random

    import attrs

    from auditor.testing.eho import RandomDraw, export_bytes, records

    rows = list(records(RandomDraw(7), 160))
    wrong = [i for i, r in enumerate(rows) if r.is_group][::5]
    for i in wrong:
        rows[i] = attrs.evolve(rows[i], amount=rows[i].amount + 7)
    blocks: list[list] = []
    for r in rows:
        if not blocks or (blocks[-1][0].department, blocks[-1][0].project) != (r.department, r.project):
            blocks.append([])
        blocks[-1].append(r)
    assert len(blocks) > 10
    monkeypatch.chdir(tmp_path)
    export = tmp_path / "book.csv"
    export.write_bytes(export_bytes(rows))
    assert check("book.csv", "--isolated", "--write-baseline", "b.json").exit_code == 0
    accepted = len(json.loads(Path("b.json").read_text(encoding="utf-8"))["findings"])
    assert accepted >= len(wrong)
    rng = random.Random(3)
    for _ in range(3):
        rng.shuffle(blocks)
        export.write_bytes(export_bytes([r for block in blocks for r in block]))
        r = check("book.csv", "--isolated", "--baseline", "b.json", "--output-format", "json")
        assert r.exit_code == 0, r.stdout
        assert json.loads(r.stdout)["summary"]["baselined"] == accepted
    grown = [r for block in blocks for r in block]
    faulty = {rows[j] for j in wrong}
    i = next(i for i, r in enumerate(grown) if r in faulty)  # its gap grows from 7 to 307 천원
    grown[i] = attrs.evolve(grown[i], amount=grown[i].amount + 300)
    export.write_bytes(export_bytes(grown))
    r = check("book.csv", "--isolated", "--baseline", "b.json", "--output-format", "json")
    assert r.exit_code == 1
    assert {f["line"] for f in json.loads(r.stdout)["findings"]} == {i + 3}
