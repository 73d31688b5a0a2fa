"""auditor as a library: the top-level names work and match their home modules."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

import auditor

SHEET = Path(__file__).resolve().parent.parent / "examples" / "sheets" / "000_c6c48727fbba6ebb.txt"


@pytest.mark.parametrize("name", sorted(auditor._EXPORTS))
def test_each_top_level_name_is_the_object_of_its_home_module(name):
    home = importlib.import_module(auditor._EXPORTS[name])
    assert getattr(auditor, name) is getattr(home, name)


def test_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        auditor.nope  # noqa: B018


def test_the_documented_example_runs_and_finds_the_sheets_known_findings():
    rules = auditor.load_ruleset()
    findings = rules.check(auditor.read_file(SHEET))
    assert {f.code for f in findings} == {"REVIEW004"}
    assert all(f.severity < auditor.Severity.ERROR for f in findings)
    assert auditor.evaluate(auditor.parse_formula("100,000원*4명*12개월")) == 4_800_000


def test_check_paths_gives_what_auditor_check_reports(tmp_path, monkeypatch):
    """The library's run is the CLI's run: the same findings as `auditor check --output-format json`."""
    import json
    import shutil

    from click.testing import CliRunner

    from auditor.cli import main

    sheets = tmp_path / "sheets"
    shutil.copytree(SHEET.parent, sheets)
    broken = sheets / SHEET.name
    broken.write_text(broken.read_text(encoding="utf-8").replace("136,000", "139,000", 1), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = auditor.check_paths(["sheets"], isolated=True)
    cli = CliRunner().invoke(main, ["check", "sheets", "--isolated", "--output-format", "json"])
    reported = json.loads(cli.stdout)["findings"]
    assert [(f.path, f.line, f.code) for f in result.findings] == [(f["path"], f["line"], f["rule"]) for f in reported]
    assert any(f.severity >= auditor.Severity.ERROR for f in result.findings)  # the broken figure is caught
    assert len(result.files) == 2


def test_check_paths_takes_options_and_raises_run_errors(tmp_path):
    only_review = auditor.check_paths([SHEET], isolated=True, select=("REVIEW",))
    assert {f.code for f in only_review.findings} == {"REVIEW004"}
    with pytest.raises(auditor.RunError) as err:
        auditor.check_paths([SHEET], isolated=True, select=("NOPE999",))
    assert "NOPE999" in err.value.message("en")


def test_check_paths_writes_no_cache_unless_asked(tmp_path, monkeypatch):
    """A library call leaves the project as it found it; the results cache is opt-in there."""
    import shutil

    monkeypatch.delenv("AUDITOR_NO_RESULTS_CACHE", raising=False)
    monkeypatch.delenv("AUDITOR_NO_CACHE", raising=False)
    shutil.copytree(SHEET.parent, tmp_path / "sheets")
    monkeypatch.chdir(tmp_path)
    plain = auditor.check_paths(["sheets"], isolated=True)
    assert not (tmp_path / ".auditor_cache").exists()
    cached = auditor.check_paths(["sheets"], isolated=True, cache_dir=tmp_path / "cache")
    assert any((tmp_path / "cache").rglob("*.json"))
    again = auditor.check_paths(["sheets"], isolated=True, cache_dir=tmp_path / "cache")
    assert [f.fingerprint for f in plain.findings] == [f.fingerprint for f in cached.findings] \
        == [f.fingerprint for f in again.findings]
    auditor.check_paths(["sheets"], isolated=True, no_cache=False)
    assert (tmp_path / ".auditor_cache").is_dir()
