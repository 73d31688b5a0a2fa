"""The cross rules cost a run nothing until it has a second document: their trees stay undecoded in the
pack cache, no document is indexed alone, and the cross pass starts with the second document. A file
that holds one project twice (an e호조 export whose rows of a 세부사업 come in two runs) is a second
document too, and gets the same findings as when every document is indexed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from auditor import runner
from auditor.engine import load_ruleset
from auditor.findings import Finding
from auditor.pipeline import Request, Run, Silent, check_paths, plan
from auditor import config as cfg

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "examples" / "multiyear"
SHEET = ROOT / "examples" / "sheets" / "000_c6c48727fbba6ebb.txt"
#: A cross rule that fires on every export of a project that has two or more exports.
TWICE = '''[pack]
name = "twice"

[[rule]]
code = "TWICE001"
name = "test.project-exported-twice"
severity = "warning"
title = { ko = "t", en = "t" }
over = "sheet"
assert = "count(사업.e호조) < 2"
message.ko = "m"
message.en = "m"
'''


@pytest.fixture
def pack_cache(tmp_path, monkeypatch) -> Path:
    """A pack cache of this test's own, warmed: every load after the first is a hit."""
    directory = tmp_path / "pack-cache"
    monkeypatch.setenv("AUDITOR_CACHE_DIR", str(directory))
    monkeypatch.delenv("AUDITOR_NO_CACHE", raising=False)
    load_ruleset()
    return directory


def export_with_a_project_twice(path: Path) -> Path:
    """The 2023 export of examples/multiyear with its first project's last two rows moved to the end:
    one file, two runs of one 세부사업's rows, so two documents of one project."""
    head, *rows = (BOOK / "2023" / "e호조_2023.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    header, rows = [head, rows[0]], rows[1:]
    first = rows[0].split(",")[9]
    own = [r for r in rows if r.split(",")[9] == first]
    assert len(own) >= 2 and len(own) < len(rows)
    path.write_text("".join(header + own[:2] + [r for r in rows if r not in own] + own[2:]), encoding="utf-8")
    return path


def _run(paths: list[Path], **options) -> tuple[Run, object]:
    settings = cfg.resolve(cfg.Options(no_cache=options.pop("no_cache", True), **options), isolated=True)
    the_run = Run(Request(settings, tuple(str(p) for p in paths), quiet=True), plan(settings), Silent())
    return the_run, the_run.check(the_run.discover())


def _report(findings) -> list[tuple]:
    return [(f.code, f.path, f.line, f.message_en, tuple((r.path, r.line) for r in f.related))
            for f in sorted(findings, key=Finding.sort_key)]


def test_a_deferred_set_knows_its_cross_rules_without_decoding_them_and_completes_to_the_whole_set(pack_cache):
    whole = load_ruleset()
    deferred = load_ruleset(defer_cross=True)
    assert deferred.deferred is not None and deferred.has_cross
    assert deferred.deferred._trees is None  # has_cross read no tree
    assert {r.code for r in deferred.rules if r.cross} == {r.code for r in whole.cross_rules}
    assert [r.code for r in deferred.rules] == [r.code for r in whole.rules]
    assert deferred.docs() == whole.docs()
    assert deferred.complete().rules == whole.rules and deferred.complete() is deferred.complete()
    assert deferred.cross_rules == whole.cross_rules  # asking for the cross rules completes the set


def test_a_deferred_set_keeps_the_severities_and_params_it_was_given(pack_cache):
    from auditor.findings import Severity

    deferred = load_ruleset(defer_cross=True).with_severity({"XDOC006": Severity.INFO})
    whole = load_ruleset().with_severity({"XDOC006": Severity.INFO})
    assert deferred.complete().rules == whole.rules
    assert deferred.get("XDOC006") == whole.get("XDOC006")


def test_a_run_of_one_sheet_never_starts_the_cross_pass_nor_decodes_the_cross_rules(pack_cache):
    the_run, result = _run([SHEET])
    assert the_run.plan.ruleset.has_cross and the_run.cross is None
    assert the_run.plan.ruleset._complete is None  # the cross rules' trees were never decoded
    assert the_run.cross_pass(result) is result and not result.projects


def test_a_run_of_two_documents_runs_the_cross_rules(pack_cache):
    the_run, result = _run([BOOK / "2023" / "0001.txt", BOOK / "2024" / "0001.txt"])
    assert the_run.cross is not None and the_run.plan.ruleset._complete is not None
    result = the_run.cross_pass(result)
    assert len(result.projects) == 1 and any(f.code.startswith("XDOC") for f in result.findings)


@pytest.mark.parametrize("jobs", [1, 2])
def test_one_export_holding_a_project_twice_is_cross_checked_as_when_every_document_is_indexed(
        pack_cache, tmp_path, monkeypatch, jobs):
    pack = tmp_path / "twice.toml"
    pack.write_text(TWICE, encoding="utf-8")
    export = export_with_a_project_twice(tmp_path / "book.csv")
    lazy = check_paths([export], isolated=True, rules=(pack,), jobs=jobs)
    assert lazy.projects and len(lazy.projects[0].documents) == 2
    fired = [f for f in lazy.findings if f.code == "TWICE001"]
    assert len(fired) == 2 and {f.path for f in fired} == {lazy.files[0].path}
    monkeypatch.setattr(runner, "index_for", lambda ruleset, inputs, cache=None: runner.INDEX_ALL)
    eager = check_paths([export], isolated=True, rules=(pack,), jobs=jobs)
    assert _report(lazy.findings) == _report(eager.findings)
    assert [m.as_dict() for m in lazy.projects] == [m.as_dict() for m in eager.projects]


def test_a_single_document_indexed_for_the_results_cache_meets_its_second_document_in_a_later_run(
        pack_cache, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for year in ("2023", "2024"):
        (tmp_path / year).mkdir()
        shutil.copy(BOOK / year / "0001.txt", tmp_path / year / "0001.txt")
    first, second = Path("2023/0001.txt"), Path("2024/0001.txt")
    cache = tmp_path / "results"
    alone = check_paths([first], isolated=True, no_cache=False, cache_dir=cache)
    assert not alone.projects
    cached = check_paths([first, second], isolated=True, no_cache=False, cache_dir=cache)
    fresh = check_paths([first, second], isolated=True)
    assert cached.projects and _report(cached.findings) == _report(fresh.findings)
    assert any(f.code.startswith("XDOC") for f in fresh.findings)
