"""The stored regular-expression programs: a hit is the very pattern ``re.compile`` makes (equal, and matching
the same on any text), and a tampered, foreign, damaged or mismatched file is a miss that changes nothing."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from auditor import recache, signed
from auditor.readers import read_file

ROOT = Path(__file__).resolve().parent.parent
SHEETS = sorted((ROOT / "examples" / "sheets").glob("*.txt"))


def _readers_patterns() -> list[tuple[str, int]]:
    """Every pattern auditor's readers compile (at import, at first use, and those made per unit list) while
    reading the example sheets."""
    for sheet in SHEETS:
        read_file(sheet)
    return sorted(set(recache._made) | recache._used | set(recache._table or ()))


PATTERNS = _readers_patterns()


@pytest.fixture
def fresh(tmp_path, monkeypatch):
    """An empty cache directory and a process that has read no file yet."""
    monkeypatch.setenv("AUDITOR_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("AUDITOR_NO_CACHE", raising=False)
    _forget(monkeypatch)
    return tmp_path / "cache"


def _forget(monkeypatch) -> None:
    monkeypatch.setattr(recache, "_table", None)
    monkeypatch.setattr(recache, "_made", {})
    monkeypatch.setattr(recache, "_used", set())


def _stored(directory: Path) -> Path:
    (found,) = directory.glob("re-*.json")
    return found


def _round_trip(monkeypatch) -> dict[tuple[str, int], re.Pattern]:
    """The readers' patterns compiled, stored, forgotten and compiled again from the file."""
    for pattern, flags in PATTERNS:
        recache.compile(pattern, flags)
    recache.store()
    _forget(monkeypatch)
    return {(p, f): recache.compile(p, f) for p, f in PATTERNS}


def test_the_readers_patterns_are_many_and_include_the_costly_ones():
    assert len(PATTERNS) >= 60
    assert any("(?P<category>" in p for p, _ in PATTERNS)  # the basis line's, made per unit list


def test_a_hit_is_the_pattern_re_compiles(fresh, monkeypatch):
    made = _round_trip(monkeypatch)
    assert not recache._made and recache._used == set(PATTERNS)  # every one a hit
    for (pattern, flags), cached in made.items():
        fresh_one = re.compile(pattern, flags)
        assert cached == fresh_one  # flags, pattern text and program
        assert (cached.groups, cached.groupindex, cached.flags) == (fresh_one.groups, fresh_one.groupindex,
                                                                     fresh_one.flags)


#: Text of the kind the readers read: figures, Hangul, operators, units, brackets, tabs and blanks.
_TEXT = st.text(st.sampled_from(list("0123456789,.() []\t\n =-+*x×÷/△▲Δ−－○◯※%원천억백만경정기가나다년도"
                                     "예산액산출근거AB\u3000\xa0ℓ㎡")), max_size=40)


_CACHED: dict[tuple[str, int], re.Pattern] = {}


def _cached_once(tmp_path_factory) -> dict[tuple[str, int], re.Pattern]:
    if not _CACHED:
        with pytest.MonkeyPatch.context() as monkeypatch:
            monkeypatch.setenv("AUDITOR_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
            _forget(monkeypatch)
            _CACHED.update(_round_trip(monkeypatch))
            assert not recache._made  # every one made from the file
    return _CACHED


@given(texts=st.lists(_TEXT, min_size=1, max_size=5))
def test_a_hit_matches_as_re_compiles(tmp_path_factory, texts):
    for (pattern, flags), cached in _cached_once(tmp_path_factory).items():
        fresh_one = re.compile(pattern, flags)
        for text in texts:
            for how in ("match", "fullmatch", "search"):
                a, b = getattr(cached, how)(text), getattr(fresh_one, how)(text)
                assert (a and (a.span(), a.groups(), a.groupdict())) == (b and (b.span(), b.groups(), b.groupdict()))
            assert cached.findall(text) == fresh_one.findall(text)


def _payload_and_mac(path: Path) -> tuple[bytes, bytes]:
    mac, _, payload = path.read_bytes().partition(b"\n")
    return mac, payload


def _all_misses(monkeypatch) -> None:
    _forget(monkeypatch)
    for pattern, flags in PATTERNS:
        assert recache.compile(pattern, flags) == re.compile(pattern, flags)
    assert set(recache._made) == set(PATTERNS) and not recache._used


def test_a_tampered_file_is_a_miss(fresh, monkeypatch):
    _round_trip(monkeypatch)
    path = _stored(fresh)
    mac, payload = _payload_and_mac(path)
    stored = json.loads(payload)
    first, second = stored["patterns"][0], stored["patterns"][1]
    first[3], second[3] = second[3], first[3]  # each pattern given the other's program: valid code, wrong matches
    path.write_bytes(mac + b"\n" + json.dumps(stored, ensure_ascii=False).encode())
    _all_misses(monkeypatch)


def test_a_foreign_file_is_a_miss(fresh, monkeypatch):
    """Signed by another secret (another user's, or a CI cache restored without this runner's secret)."""
    _round_trip(monkeypatch)
    path = _stored(fresh)
    _, payload = _payload_and_mac(path)
    path.write_bytes(signed._signature(b"\1" * 32, payload) + b"\n" + payload)
    _all_misses(monkeypatch)


def _resign(path: Path, directory: Path, stored: dict) -> None:
    payload = json.dumps(stored, ensure_ascii=False).encode()
    path.write_bytes(signed._signature(signed._secret(directory, create=False), payload) + b"\n" + payload)


def test_a_program_sre_refuses_is_a_miss_for_that_pattern(fresh, monkeypatch):
    _round_trip(monkeypatch)
    path = _stored(fresh)
    stored = json.loads(_payload_and_mac(path)[1])
    entry = stored["patterns"][0]
    entry[3] = entry[3][:-3] + [999, 999, 999]  # a damaged program, signed as if this user's runs wrote it
    _resign(path, fresh, stored)
    _forget(monkeypatch)
    for pattern, flags in PATTERNS:
        assert recache.compile(pattern, flags) == re.compile(pattern, flags)
    assert set(recache._made) == {(entry[0], entry[1])}


@pytest.mark.parametrize("damage", ["python", "format", "names", "shape", "json"])
def test_a_damaged_or_mismatched_file_is_a_miss(fresh, monkeypatch, damage):
    _round_trip(monkeypatch)
    path = _stored(fresh)
    stored = json.loads(_payload_and_mac(path)[1])
    if damage == "python":
        stored["python"] = "3.11.0 (another build)"
    elif damage == "format":
        stored["format"] = "auditor-regex/0"
    elif damage == "names":  # a group number out of range: refused before _sre sees it
        for entry in stored["patterns"]:
            entry[5] = [["x", 10_000]]
    elif damage == "shape":
        stored["patterns"] = [[1, 2, 3]] * 3
    if damage == "json":
        payload = b"{not json"
        path.write_bytes(signed._signature(signed._secret(fresh, create=False), payload) + b"\n" + payload)
    else:
        _resign(path, fresh, stored)
    _all_misses(monkeypatch)


def test_a_link_is_a_miss(fresh, monkeypatch, tmp_path):
    _round_trip(monkeypatch)
    path = _stored(fresh)
    elsewhere = tmp_path / "elsewhere.json"
    path.rename(elsewhere)
    path.symlink_to(elsewhere)
    _all_misses(monkeypatch)


def test_no_cache_compiles_as_re_and_writes_nothing(fresh, monkeypatch):
    monkeypatch.setenv("AUDITOR_NO_CACHE", "1")
    _all_misses(monkeypatch)
    recache.store()
    assert not fresh.exists() or not list(fresh.glob("re-*.json"))


def test_what_is_not_a_str_pattern_is_re_s_own():
    assert recache.compile(rb"[\x00-\x08]") is re.compile(rb"[\x00-\x08]")
    with pytest.raises(re.error):
        recache.compile("(")
    assert recache.compile("a", re.IGNORECASE) == re.compile("a", re.I)


def test_an_unwritable_directory_is_skipped(fresh, monkeypatch, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("AUDITOR_CACHE_DIR", str(blocker / "cache"))
    _forget(monkeypatch)
    assert recache.compile("(?P<a>[가-힣]+)") == re.compile("(?P<a>[가-힣]+)")
    recache.store()  # nothing raised, nothing written
    assert blocker.is_file() and not list(tmp_path.glob("**/re-*.json"))
