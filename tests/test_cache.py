"""The results cache (``auditor.cache``): a hit gives exactly what checking gives, anything it depends on
misses, its files are data only (damaged or planted ones are misses with a warning), it stays bounded,
and it never writes to an input."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings, strategies as st

import auditor.runner as runner
from auditor import cache as results
from auditor.cli import main
from auditor.discovery import Input
from auditor.engine import load_ruleset
from auditor.result import KEEP_ALL, KEEP_CONTEXT, KEEP_NONE
from auditor.testing import write_corpus
from strategies_corpus import consistent_sheets, faulty_sheets

ROOT = Path(__file__).resolve().parent.parent
EHO = ROOT / "examples" / "eho" / "eho-expenditure-sample.csv"
RULESET = load_ruleset()


@pytest.fixture(autouse=True)
def results_cache_on(monkeypatch):
    """conftest turns the results cache off for every other test; here it is what is tested."""
    monkeypatch.delenv("AUDITOR_NO_RESULTS_CACHE", raising=False)
    monkeypatch.delenv("AUDITOR_NO_CACHE", raising=False)


@pytest.fixture
def checks(monkeypatch):
    """The inputs checked (not taken from the cache), by display path, since the fixture was made."""
    seen: list[str] = []
    real = runner.check_one

    def counting(item, ruleset, keep=KEEP_CONTEXT):
        seen.append(item.display)
        return real(item, ruleset, keep)

    monkeypatch.setattr(runner, "check_one", counting)
    return seen


@pytest.fixture
def book(tmp_path, monkeypatch) -> Path:
    """A small book (30 generated sheets, a third with a fault, in one folder) and an e호조 export, in cwd."""
    monkeypatch.chdir(tmp_path)
    write_corpus(tmp_path / "book", 30, inject=0.3)
    (tmp_path / "book" / "eho.csv").write_bytes(EHO.read_bytes())
    return tmp_path / "book"


def check(*args: str, input: bytes | None = None):
    return CliRunner().invoke(main, ["check", "book", "--isolated", *args], input=input, catch_exceptions=False)


def report(fmt: str, *args: str) -> bytes:
    out = Path(f"report.{fmt}")
    done = check("--output-format", fmt, "-o", str(out), "-q", *args)
    assert done.exit_code in (0, 1), done.output
    return out.read_bytes()


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {str(p): (hashlib.sha256(p.read_bytes()).digest(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def packs(cache: Path) -> list[Path]:
    return sorted((cache / results.ENTRIES).glob("*.json"))


# -- a hit is a fresh check -------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["json", "html", "sarif", "full"])
def test_a_second_run_takes_every_file_from_the_cache_and_its_report_is_byte_identical(book, checks, fmt):
    inputs = snapshot(book)
    fresh = report(fmt, "--no-cache")
    assert not Path(".auditor_cache").exists()
    checked_fresh = len(checks)
    assert checked_fresh == 31
    first = report(fmt)
    assert len(checks) == 2 * checked_fresh and Path(".auditor_cache", "CACHEDIR.TAG").is_file()
    second = report(fmt)
    assert len(checks) == 2 * checked_fresh  # every file was a hit
    assert fresh == first == second
    assert snapshot(book) == inputs  # inputs are never written to


def test_the_cache_works_with_jobs_both_ways(book, checks):
    fresh = report("json", "--no-cache")
    assert report("json", "--jobs", "2") == fresh  # misses checked by the workers, recorded here
    before = len(checks)
    assert report("json") == fresh and len(checks) == before
    Path("book", "book_000", "sheet_00003.txt").write_text("바뀐 시트\n", encoding="utf-8")
    changed = report("json", "--jobs", "2")
    assert report("json", "--no-cache") == changed and report("json") == changed


def test_a_changed_sheet_is_checked_again_and_nothing_else(book, checks):
    report("json")
    sheet = Path("book", "book_000", "sheet_00007.txt")
    stamp = sheet.stat()
    text = sheet.read_bytes()
    same_size = text.replace(b"0", b"1", 1)
    assert same_size != text and len(same_size) == len(text)
    sheet.write_bytes(same_size)
    os.utime(sheet, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))  # same size and time: still a miss (content hash)
    del checks[:]
    report("json")
    assert checks == ["book/book_000/sheet_00007.txt"]
    del checks[:]
    os.utime(sheet, ns=(stamp.st_atime_ns, stamp.st_mtime_ns + 10**9))  # touched only: a hit
    report("json")
    assert checks == []


@pytest.mark.parametrize("args", [
    ("--select", "SET"),
    ("--ignore", "REVIEW"),
    ("--severity", "SET001=warning"),
    ("--param", "REVIEW001.min_execution_rate=50"),
    ("--max-file-size", "2MB"),
])
def test_a_setting_that_changes_findings_misses(book, checks, args):
    report("json")
    del checks[:]
    report("json", *args)
    assert len(checks) == 31
    del checks[:]
    report("json", *args)
    assert checks == []


def test_settings_applied_after_checking_still_hit(book, checks):
    report("json")
    del checks[:]
    baseline = Path("base.json")
    check("--write-baseline", str(baseline), "-q")
    check("--baseline", str(baseline), "-q", "--output-format", "json", "-o", "r.json")
    check("--per-file-ignores", "book/book_000/*:SET", "-q", "--output-format", "json", "-o", "r.json")
    check("--fail-on", "info", "--lang", "en", "-q", "--output-format", "json", "-o", "r.json")
    assert checks == []


LOCAL_PACK = """\
[pack]
name = "local"
title = { ko = "지역", en = "local" }
version = 1

[[rule]]
code = "LOCAL001"
name = "local.low-execution"
severity = "info"
title = { ko = "집행액이 적음", en = "Little spent" }
over = "settlement.rows"
assert = "집행액 >= floor"
message.ko = "집행액 {집행액}"
message.en = "spent {집행액}"
[rule.params]
floor = 0
[rule.doc]
what = { ko = "x", en = "x" }
why = { ko = "x", en = "x" }
"""


def test_a_changed_rule_pack_misses(book, checks, tmp_path):
    pack = tmp_path / "packs" / "local.toml"
    pack.parent.mkdir()
    pack.write_text(LOCAL_PACK, encoding="utf-8")
    report("json", "--rules", str(pack.parent))
    del checks[:]
    report("json", "--rules", str(pack.parent))
    assert checks == []
    pack.write_text(LOCAL_PACK.replace("floor = 0", "floor = 0  # the same rule, other bytes"), encoding="utf-8")
    report("json", "--rules", str(pack.parent))
    assert len(checks) == 31
    del checks[:]
    vocabulary = pack.parent / "vocabulary" / "단위.toml"  # a unit more for 산출근거 formulas
    vocabulary.parent.mkdir()
    vocabulary.write_text('[vocabulary]\nname = "단위"\n[terms]\n"개수" = ["BX"]\n', encoding="utf-8")
    report("json", "--rules", str(pack.parent))
    assert len(checks) == 31


def test_the_run_context_covers_version_sources_packs_and_settings(monkeypatch):
    from auditor import config as cfg
    from auditor.runner import RulesetSpec

    settings = cfg.resolve(cfg.Options(), isolated=True)
    base = results.run_context(settings, RulesetSpec(), KEEP_CONTEXT)
    assert base == results.run_context(settings, RulesetSpec(), KEEP_NONE)  # entries keep context lines for both
    others = {
        results.run_context(settings, RulesetSpec(), KEEP_ALL),
        results.run_context(settings, RulesetSpec(selected=frozenset({"SET001"})), KEEP_CONTEXT),
        results.run_context(settings, RulesetSpec(severities=(("SET001", "warning"),)), KEEP_CONTEXT),
        results.run_context(settings, RulesetSpec(params=(("REVIEW001", "min_execution_rate", 50),)), KEEP_CONTEXT),
    }
    monkeypatch.setattr("auditor.__version__", "0.0.0-other")
    others.add(results.run_context(settings, RulesetSpec(), KEEP_CONTEXT))
    monkeypatch.undo()
    monkeypatch.setenv("AUDITOR_ENGINE", "interpret")
    others.add(results.run_context(settings, RulesetSpec(), KEEP_CONTEXT))
    assert base not in others and len(others) == 6


# -- a differential property: what the cache gives back is what checking gave -------------------------
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sheet=st.one_of(consistent_sheets(), faulty_sheets()), keep=st.sampled_from([KEEP_CONTEXT, KEEP_ALL, KEEP_NONE]),
       cp949=st.booleans())
def test_an_entry_read_back_equals_the_check_it_recorded(sheet, keep, cp949):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp, "s.txt")
        path.write_bytes(sheet.text.encode("cp949" if cp949 else "utf-8", "replace"))
        item = Input(str(path), "book/s.txt")
        fresh = runner.check_one(item, RULESET, keep)
        for _ in range(2):  # recorded, then read back from its pack file by a new run
            cache = results.ResultsCache(Path(tmp, "cache"), "context")
            assert cache.prepare() is None
            cache.begin([item])
            got = runner.checked(item, RULESET, keep, cache)
            cache.end()
            assert got == fresh
            assert json.loads(json.dumps(results.encode(got, item.display))) == results.encode(fresh, item.display)
        assert (cache.hits, cache.misses) == (1, 0) and not cache.damaged


def test_an_unreadable_input_is_not_cached_and_stdin_is_never(book, checks):
    report("json")
    del checks[:]
    done = CliRunner().invoke(main, ["check", "-", "--isolated", "--stdin-filename", "book/x.txt", "-q"],
                              input=Path("book/eho.csv").read_bytes(), catch_exceptions=False)
    assert done.exit_code in (0, 1)
    done = CliRunner().invoke(main, ["check", "-", "--isolated", "-q"], input=b"x", catch_exceptions=False)
    assert len(checks) == 2


# -- data only --------------------------------------------------------------------------------------
def _damage(pack: Path, how: str) -> None:
    if how == "truncated":
        pack.write_bytes(pack.read_bytes()[:500])
    elif how == "binary":
        pack.write_bytes(b"cos\nsystem\n(S'touch pwned'\ntR.")  # a pickle that would run a command in cwd
    elif how == "other shape":
        pack.write_text('{"format": 1, "folder": "book/book_000", "files": []}', encoding="utf-8")
    elif how == "wrong types":
        doc = json.loads(pack.read_text(encoding="utf-8"))
        for entry in doc["files"].values():
            for row in entry["outcome"]["findings"]:
                row[4] = str(row[4])  # a line number as a string
            entry["outcome"]["file"]["lines"] = {"count": 3, "kept": [[9, "outside"]]}
        pack.write_text(json.dumps(doc), encoding="utf-8")
    elif how == "a link":
        target = pack.with_name("elsewhere")
        target.write_bytes(pack.read_bytes())
        pack.unlink()
        pack.symlink_to(target)
    elif how == "a FIFO":
        pack.unlink()
        os.mkfifo(pack)


@pytest.mark.parametrize("how", ["truncated", "binary", "other shape", "wrong types", "a link", "a FIFO"])
def test_a_damaged_cache_file_is_a_miss_with_a_warning_and_the_report_is_unchanged(book, checks, how):
    fresh = report("json", "--no-cache")
    report("json")
    cache = Path(".auditor_cache")
    [pack] = [p for p in packs(cache) if json.loads(p.read_text("utf-8"))["folder"] == "book/book_000"]
    _damage(pack, how)
    del checks[:]
    done = check("--output-format", "json", "-o", "again.json", "--lang", "en")
    assert done.exit_code == 1
    assert Path("again.json").read_bytes() == fresh
    assert f"{pack}: results cache file ignored" in done.output and "Traceback" not in done.output
    assert len(checks) == 30  # the sheets of the damaged pack; the export's pack was fine
    assert not Path("pwned").exists()
    assert pack.is_file() and not pack.is_symlink()  # written anew, whole
    del checks[:]
    assert report("json") == fresh and checks == []
    if how == "a link":
        assert pack.with_name("elsewhere").read_bytes()  # the link was replaced, not written through


def test_a_planted_entry_changes_a_result_and_nothing_else(book):
    """An entry is data: strings stay strings (never evaluated), and only that input's result changes."""
    fresh = json.loads(report("json"))
    cache = Path(".auditor_cache")
    [pack] = [p for p in packs(cache) if json.loads(p.read_text("utf-8"))["folder"] == "book/book_000"]
    doc = json.loads(pack.read_text("utf-8"))
    entry = doc["files"]["sheet_00000.txt"]["outcome"]
    entry["findings"] = [["SET001", "__import__('os').system('touch planted')", "error", "book/book_000/sheet_00000.txt",
                          1, "{0.__class__}", "${{ env }}", None, None, [], None, None, "k", 1, []]]
    pack.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    planted = json.loads(report("json"))
    assert not Path("planted").exists()
    mine = [f for f in planted["findings"] if f["path"] == "book/book_000/sheet_00000.txt"]
    assert [(f["name"], f["message"], f["message_en"]) for f in mine] == [
        ("__import__('os').system('touch planted')", "{0.__class__}", "${{ env }}")]
    rest = lambda r: [f for f in r["findings"] if f["path"] != "book/book_000/sheet_00000.txt"]  # noqa: E731
    assert rest(planted) == rest(fresh)


# -- where it lives, turning it off, cleaning ---------------------------------------------------------
def test_no_cache_and_the_environment_leave_no_folder(book, monkeypatch):
    report("json", "--no-cache")
    monkeypatch.setenv("AUDITOR_NO_CACHE", "1")
    report("json")
    monkeypatch.delenv("AUDITOR_NO_CACHE")
    monkeypatch.setenv("AUDITOR_NO_RESULTS_CACHE", "1")
    report("json")
    assert not Path(".auditor_cache").exists()


def test_the_config_places_or_turns_off_the_cache_and_show_settings_says_so(book, tmp_path):
    sub = tmp_path / "work"
    sub.mkdir()
    config = tmp_path / "auditor.toml"
    config.write_text('cache-dir = "caches/results"\n', encoding="utf-8")
    os.chdir(sub)
    shown = CliRunner().invoke(main, ["check", "../book", "--show-settings"], catch_exceptions=False).output
    assert f"cache-dir       = {tmp_path / 'caches' / 'results'}" in shown
    CliRunner().invoke(main, ["check", "../book", "-q", "-o", os.devnull], catch_exceptions=False)
    assert packs(tmp_path / "caches" / "results")
    shown = CliRunner().invoke(main, ["check", "../book", "--cache-dir", "here", "--show-settings"]).output
    assert f"cache-dir       = {sub / 'here'}" in shown
    config.write_text("no-cache = true\n", encoding="utf-8")
    shown = CliRunner().invoke(main, ["check", "../book", "--show-settings"]).output
    assert "cache-dir       = (off: no-cache)" in shown
    config.write_text("no-cache = 1\n", encoding="utf-8")
    done = CliRunner().invoke(main, ["check", "../book", "--lang", "en"])
    assert done.exit_code == 2 and "'no-cache' must be true or false" in done.output
    config.write_text('cache-dir = " "\n', encoding="utf-8")
    done = CliRunner().invoke(main, ["check", "../book", "--lang", "en"])
    assert done.exit_code == 2 and "'cache-dir' must name a folder" in done.output


def test_the_default_cache_sits_at_the_project_root_and_is_not_an_input(book, tmp_path):
    (tmp_path / "auditor.toml").write_text("", encoding="utf-8")
    Path("book", "sub").mkdir()
    os.chdir("book/sub")
    first = CliRunner().invoke(main, ["check", "..", "-q", "--output-format", "json", "-o", str(tmp_path / "a.json")])
    assert (tmp_path / ".auditor_cache" / "CACHEDIR.TAG").is_file() and not Path(".auditor_cache").exists()
    assert (tmp_path / ".auditor_cache" / ".gitignore").read_text("utf-8").endswith("*\n")
    os.chdir(tmp_path)
    again = CliRunner().invoke(main, ["check", ".", "-q", "--output-format", "json", "-o", "b.json"])
    assert first.exit_code == again.exit_code == 1
    assert json.loads(Path("b.json").read_text("utf-8"))["summary"]["files"] == 31  # .auditor_cache is excluded


def test_clean_removes_the_cache_and_nothing_else(book, tmp_path):
    report("json")
    cache = Path(".auditor_cache")
    (cache / results.ENTRIES / "notes.txt").write_text("mine", encoding="utf-8")
    done = CliRunner().invoke(main, ["clean", "--lang", "en"], catch_exceptions=False)
    assert done.exit_code == 0 and "removed" in done.output
    assert sorted(p.relative_to(cache).as_posix() for p in cache.rglob("*")) == [
        results.ENTRIES, f"{results.ENTRIES}/notes.txt"]
    done = CliRunner().invoke(main, ["clean", "--cache-dir", "book", "--lang", "en"], catch_exceptions=False)
    assert done.exit_code == 2 and "not a results cache" in done.output and Path("book/eho.csv").is_file()
    done = CliRunner().invoke(main, ["clean", "--cache-dir", "nowhere", "--lang", "en"], catch_exceptions=False)
    assert done.exit_code == 0 and "no results cache" in done.output


# -- bounded ----------------------------------------------------------------------------------------
def test_prune_removes_the_oldest_packs_past_the_bound_and_stale_files(tmp_path):
    cache = results.ResultsCache(tmp_path / "c", "ctx")
    assert cache.prepare() is None
    now = time.time()
    made = []
    for n in range(10):
        pack = cache.entries / f"{n:064x}.json"
        pack.write_bytes(b"x" * 1000)
        os.utime(pack, (now - 100 + n, now - 100 + n))
        made.append(pack)
    old = cache.entries / f"{99:064x}.json"
    old.write_bytes(b"x")
    os.utime(old, (now - (results.UNUSED_DAYS + 1) * 86400,) * 2)
    temp = cache.entries / ".tmp-1_1.json"
    temp.write_bytes(b"x")
    os.utime(temp, (now - 2 * results.STALE_TEMP_SECONDS,) * 2)
    fresh_temp = cache.entries / ".tmp-2_1.json"
    fresh_temp.write_bytes(b"x")
    other = cache.entries / "keep.me"
    other.write_bytes(b"x" * 100_000)
    cache.prune(limit=5000)
    left = sorted(p.name for p in cache.entries.iterdir())
    assert left == sorted([*(p.name for p in made[-4:]), ".tmp-2_1.json", "keep.me"])


def test_entries_unused_for_a_month_are_dropped_when_their_pack_is_written(book, checks):
    report("json")
    [pack] = [p for p in packs(Path(".auditor_cache")) if json.loads(p.read_text("utf-8"))["folder"] == "book/book_000"]
    doc = json.loads(pack.read_text("utf-8"))
    doc["files"]["gone.txt"] = dict(doc["files"]["sheet_00000.txt"], used=int(time.time() // 86400) - 31)
    pack.write_text(json.dumps(doc), encoding="utf-8")
    Path("book/book_000/sheet_00001.txt").write_text("바뀜\n", encoding="utf-8")  # the pack is written again
    report("json")
    assert "gone.txt" not in json.loads(pack.read_text("utf-8"))["files"]


def test_a_run_into_a_folder_it_cannot_write_warns_and_still_reports(book, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    fresh = report("json", "--no-cache")
    done = check("--cache-dir", str(blocker / "sub"), "--output-format", "json", "-o", "r.json", "--lang", "en")
    assert done.exit_code == 1 and "cannot keep results in the cache" in done.output
    assert Path("r.json").read_bytes() == fresh


# -- concurrent runs --------------------------------------------------------------------------------
def test_concurrent_runs_with_jobs_share_a_cache_safely(book, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("AUDITOR_NO_RESULTS_CACHE", "AUDITOR_NO_CACHE")}
    command = [sys.executable, "-m", "auditor", "check", "book", "--isolated", "--jobs", "2", "--cache-dir", "shared",
               "--output-format", "json", "-q"]
    fresh = report("json", "--no-cache")
    procs = [subprocess.Popen([*command, "-o", f"c{n}.json"], cwd=tmp_path, env=env, stderr=subprocess.PIPE)
             for n in range(3)]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 1 and b"Traceback" not in err and b"warning" not in err, err
    assert all(Path(f"c{n}.json").read_bytes() == fresh for n in range(3))
    assert not list((tmp_path / "shared" / results.ENTRIES).glob(".tmp-*"))
    done = subprocess.run([*command, "-o", "after.json", "-v"], cwd=tmp_path, env=env, capture_output=True, timeout=300)
    assert done.returncode == 1 and b"results cache file ignored" not in done.stderr
    assert Path("after.json").read_bytes() == fresh
