"""The on-disk cache of loaded rule packs: a hit equals a fresh load, any change misses, damage never fails,
and a planted file runs nothing and changes no rule."""

from __future__ import annotations

import json
import os
import pickle
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
    assert len(list(cache_dir.glob("*.json"))) == 1
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
    for path in cache_dir.glob("*.json"):
        path.write_bytes(b"not a cache file")
    assert findings(load_ruleset()) == findings(load_ruleset())
    assert all(p.read_bytes() != b"not a cache file" for p in cache_dir.glob("*.json"))


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


def _builtin_key() -> str:
    from auditor.engine.packs import builtin_rules_dir, pack_files

    packs, vocabs = pack_files(builtin_rules_dir())
    return cache.cache_key([*vocabs, *packs])


def _reference(monkeypatch) -> list[tuple]:
    """The findings of a load that never touches the cache."""
    monkeypatch.setenv("AUDITOR_NO_CACHE", "1")
    try:
        return findings(load_ruleset())
    finally:
        monkeypatch.delenv("AUDITOR_NO_CACHE")


class _Payload:
    """Unpickling this creates ``marker``: what a planted pickle would do with a shell command."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return exec, (f"open({str(self.marker)!r}, 'w').close()",)


def test_a_planted_pickle_at_the_exact_path_runs_nothing(cache_dir, tmp_path, monkeypatch):
    expected = _reference(monkeypatch)
    marker = tmp_path / "pwned"
    planted = pickle.dumps(_Payload(marker))
    pickle.loads(planted)  # the payload works: unpickling it creates the marker
    assert marker.exists()
    marker.unlink()
    key = _builtin_key()
    cache_dir.mkdir(parents=True, exist_ok=True)
    for name in (f"{key}.json", f"{key}.pickle"):  # where the cache reads, and where it used to
        (cache_dir / name).write_bytes(planted)
    assert findings(load_ruleset()) == expected
    assert findings(load_ruleset()) == expected  # the file written over it is the cache's own
    assert not marker.exists()


def test_a_planted_json_file_runs_nothing_and_weakens_no_rule(cache_dir, tmp_path, monkeypatch):
    import attrs

    expected = _reference(monkeypatch)
    assert any(f[0] == "REVIEW004" for f in expected), "the sheet must give a finding a weakened rule would lose"
    load_ruleset()
    (path,) = cache_dir.glob("*.json")
    mac, _, payload = path.read_bytes().partition(b"\n")
    # The cache's own data with REVIEW004's assertion made to always hold: well-formed, but not signed.
    rules, vocab, warnings, deferred = cache.load_file(payload, path.stem)
    rules = [deferred.complete(r) if r.code in deferred.codes else r for r in rules]
    rules = [attrs.evolve(r, assertion=("const", True)) if r.code == "REVIEW004" else r for r in rules]
    weakened = cache.dump_file(path.stem, (rules, vocab, warnings))
    marker = tmp_path / "pwned"
    forged = json.dumps({"d": [["format", cache.FORMAT], ["key", path.stem], ["value", {"o": [
        "exec", [["source", f"open({str(marker)!r}, 'w').close()"]]]}]]}).encode()
    for data in (mac + b"\n" + weakened, b"0" * 64 + b"\n" + weakened, weakened, forged, mac + b"\n" + forged):
        path.write_bytes(data)
        assert findings(load_ruleset()) == expected
        assert not marker.exists()
    # Signed with the user's own secret, the weakened file would be used: the signature is what refused it.
    path.write_bytes(cache._signature(cache._secret(cache_dir, create=False), weakened) + b"\n" + weakened)
    assert not any(f[0] == "REVIEW004" for f in findings(load_ruleset()))


def test_a_signed_file_naming_anything_but_the_engine_classes_is_a_miss(cache_dir, tmp_path):
    load_ruleset()
    (path,) = cache_dir.glob("*.json")
    secret = cache._secret(cache_dir, create=False)
    marker = tmp_path / "pwned"
    for value in ({"o": ["system", [["command", f"touch {marker}"]]]}, {"o": ["Rule", [["__class__", 1]]]},
                  {"x": 1}, {"t": [1], "d": []}, [1] * 10):
        payload = json.dumps({"d": [["format", cache.FORMAT], ["key", path.stem], ["value", value],
                                    ["cross", {"t": []}]]}).encode() + b"\n{}"
        path.write_bytes(cache._signature(secret, payload) + b"\n" + payload)
        assert cache.load(path.stem) is None
    assert not marker.exists()


def test_a_file_for_another_key_is_a_miss(cache_dir):
    load_ruleset()
    (path,) = cache_dir.glob("*.json")
    other = cache_dir / ("0" * 64 + ".json")
    other.write_bytes(path.read_bytes())  # a genuine file, signed, but stored for another key
    assert cache.load(path.stem) is not None and cache.load(other.stem) is None


def test_what_is_not_a_regular_file_of_bounded_size_is_never_read(cache_dir, monkeypatch):
    load_ruleset()
    (path,) = cache_dir.glob("*.json")
    genuine = path.read_bytes()
    path.unlink()
    os.mkfifo(path)  # a FIFO would block a plain open() forever
    assert cache.load(path.stem) is None
    path.unlink()
    target = cache_dir / "elsewhere"
    target.write_bytes(genuine)
    path.symlink_to(target)
    assert cache.load(path.stem) is None
    path.unlink()
    path.write_bytes(genuine)
    assert cache.load(path.stem) is not None
    monkeypatch.setattr(cache, "MAX_BYTES", len(genuine) - 1)
    assert cache.load(path.stem) is None


def test_without_a_private_secret_outside_the_cache_the_cache_is_off(cache_dir, monkeypatch, tmp_path):
    load_ruleset()
    (path,) = cache_dir.glob("*.json")
    secret = cache.secret_path()
    assert secret.stat().st_mode & 0o777 == 0o600 and not str(secret).startswith(str(cache_dir))
    secret.chmod(0o644)  # readable by others: no longer a secret
    assert cache.load(path.stem) is None
    secret.chmod(0o600)
    assert cache.load(path.stem) is not None
    monkeypatch.setenv("XDG_STATE_HOME", str(cache_dir))  # a secret kept beside what it signs
    for p in cache_dir.glob("*.json"):
        p.unlink()
    load_ruleset()
    assert not list(cache_dir.glob("*.json")) and not (cache_dir / "auditor").exists()


def test_a_hit_holds_exactly_what_a_fresh_load_gives(cache_dir):
    from auditor.engine.loader import load_found
    from auditor.engine.packs import builtin_rules_dir, pack_files

    load_ruleset()
    hit = cache.load(_builtin_key())
    fresh = load_found([pack_files(builtin_rules_dir())])
    assert hit is not None and list(hit[0]) == fresh[0] and hit[1] == fresh[1] and list(hit[2]) == fresh[2]


def test_a_rules_documentation_from_the_cache_is_decoded_when_first_read(cache_dir):
    import attrs

    from auditor.engine.doc import RuleDoc

    fresh = {d.code: d for d in load_ruleset().docs()}
    cached = load_ruleset().docs()
    pending = RuleDoc.__dict__["_recipe"]

    def decoded(doc: RuleDoc) -> bool:
        try:
            pending.__get__(doc, RuleDoc)
        except AttributeError:
            return True
        return False

    assert cached and not any(decoded(d) for d in cached)  # kept as text by the load
    first = cached[0]
    assert first.title_ko == fresh[first.code].title_ko and decoded(first)
    assert first == fresh[first.code] and repr(first) == repr(fresh[first.code])
    second = cached[1]
    assert pickle.loads(pickle.dumps(second)) == fresh[second.code] and decoded(second)
    assert attrs.evolve(cached[2], pack="x") == attrs.evolve(fresh[cached[2].code], pack="x")
    assert hash(cached[3]) == hash(fresh[cached[3].code])
    broken = RuleDoc.later(lambda: cache._rule_doc('{"t": []}', cache._classes()))
    with pytest.raises(ValueError):
        broken.code
