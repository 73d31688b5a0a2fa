"""The on-disk cache of loaded rule packs: a hit equals a fresh load, any change misses, damage never fails."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from auditor.engine import RulePackError, load_ruleset
from auditor.engine import cache
from auditor.readers import read_file

ROOT = Path(__file__).resolve().parent.parent
SHEET = ROOT / "examples" / "sheets" / "000_c6c48727fbba6ebb.txt"
PACK = '''
[pack]
name = "mine"

[[rule]]
code = "MINE001"
name = "mine.settlement-available"
severity = "error"
title = "t"
over = "settlement.rows"
actual = "예산현액"
expected = "최종예산 + 전년이월 + 예산변경 + {extra}"
message.ko = "다릅니다"
message.en = "differs"
'''


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> Path:
    directory = tmp_path / "cache"
    monkeypatch.setenv("AUDITOR_CACHE_DIR", str(directory))
    monkeypatch.delenv("AUDITOR_NO_CACHE", raising=False)
    return directory


def findings(rules) -> list[tuple]:
    return [(f.code, f.line, f.message_ko, f.expected, f.actual) for f in rules.check(read_file(SHEET))]


def test_a_second_load_comes_from_the_cache_and_checks_alike(cache_dir):
    fresh = load_ruleset()
    assert len(list(cache_dir.glob("*.pickle"))) == 1
    cached = load_ruleset()
    assert [r.code for r in cached.rules] == [r.code for r in fresh.rules]
    assert cached.vocab == fresh.vocab and cached.docs() == fresh.docs()
    assert findings(cached) == findings(fresh)


def test_editing_a_pack_is_a_miss_that_loads_the_new_text(cache_dir, tmp_path):
    pack = tmp_path / "mine.toml"
    pack.write_text(PACK.replace("{extra}", "0"), encoding="utf-8")
    assert not [f for f in load_ruleset([pack]).check(read_file(SHEET)) if f.code == "MINE001"]
    pack.write_text(PACK.replace("{extra}", "1000"), encoding="utf-8")  # now every row is off by 1,000천원
    assert [f for f in load_ruleset([pack]).check(read_file(SHEET)) if f.code == "MINE001"]


def test_a_damaged_cache_file_is_a_miss(cache_dir):
    load_ruleset()
    for path in cache_dir.glob("*.pickle"):
        path.write_bytes(b"not a pickle")
    assert findings(load_ruleset()) == findings(load_ruleset())
    assert all(p.read_bytes() != b"not a pickle" for p in cache_dir.glob("*.pickle"))


def test_an_unwritable_cache_directory_never_fails(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("AUDITOR_CACHE_DIR", str(blocker / "below"))  # below a file: cannot be made
    assert len(load_ruleset().rules) > 0


def test_the_cache_can_be_switched_off(cache_dir, monkeypatch):
    monkeypatch.setenv("AUDITOR_NO_CACHE", "1")
    load_ruleset()
    assert not cache_dir.exists()
    assert cache.cache_dir() is None


def test_a_bad_pack_still_fails_at_load_with_its_line(cache_dir, tmp_path):
    pack = tmp_path / "bad.toml"
    pack.write_text(PACK.replace("{extra}", "0").replace("예산현액", "예산현엑"), encoding="utf-8")
    for _ in range(2):  # a load error is never cached
        with pytest.raises(RulePackError) as err:
            load_ruleset([pack])
        assert err.value.path.endswith("bad.toml") and err.value.line == 11
