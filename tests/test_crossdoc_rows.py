"""A check run's index as rows: what the cross pass reads of it is what it read of the entries themselves."""

from __future__ import annotations

import pickle
import random
import sys
from pathlib import Path

import pytest

from auditor.crossdoc.index import IndexStore, entry_of
from auditor.crossdoc.pipeline import CrossPass, Index
from auditor.discovery import Input
from auditor.pipeline import _Sources
from auditor.readers import read_bytes
from auditor.plain import evolve
from auditor.result import KEEP_NONE, CheckedFile
from auditor.testing import generate_sheet

REPO = Path(__file__).resolve().parent.parent
FIELDS = ("kind", "path", "name", "department", "account", "year", "line", "stored_text")


def _seen(e) -> tuple:
    return (*(getattr(e, f) for f in FIELDS), e.packed())


def _files(count: int) -> list[CheckedFile]:
    """Checked files of one generated sheet each, their entries as a worker hands them back."""
    out = []
    for n in range(count):
        sheet = read_bytes(generate_sheet(random.Random(n)).data, f"s{n}.txt")
        entry = pickle.loads(pickle.dumps(entry_of(sheet)))
        out.append(CheckedFile(f"s{n}.txt", title=entry.name, index=(entry,)))
    return out


@pytest.mark.parametrize("mark", [0, 9000, 1 << 30], ids=["in the file", "past the mark", "in memory"])
def test_the_index_gives_back_every_entry_as_it_was_taken(monkeypatch, mark):
    monkeypatch.setattr(IndexStore, "MEMORY_BYTES", mark)
    files = _files(7)
    expected = [_seen(pickle.loads(pickle.dumps(f.index[0]))) for f in files]
    cross = CrossPass(ruleset=None)
    for f in files:
        cross.take(f)
    index = cross.entries
    assert len(index) == 7
    assert [_seen(e) for e in index] == [_seen(index[i]) for i in range(7)] == expected
    assert [_seen(e) for e in index[2:5]] == expected[2:5] and _seen(index[-1]) == expected[-1]
    with pytest.raises(IndexError):
        index[7]
    # entries taken once the store writes to its file are rows, not objects
    rows = {0: 7, 9000: 7 - len(index.objects), 1 << 30: 0}[mark]
    assert len(index.kinds) == rows and len(index.objects) == 7 - rows and not index.loose
    if mark == 9000:
        assert 0 < rows < 7
    cross.store.close()


def test_an_entry_that_does_not_fit_a_row_is_kept_as_it_is(monkeypatch):
    monkeypatch.setattr(IndexStore, "MEMORY_BYTES", 0)
    files = _files(3)
    files[1].index[0].line = 1 << 70  # no line is this long, but the index does not drop it
    cross = CrossPass(ruleset=None)
    for f in files:
        cross.take(f)
    assert list(cross.entries.loose) == [1] and cross.entries[1].line == 1 << 70
    assert [e.path for e in cross.entries] == ["s0.txt", "s1.txt", "s2.txt"]
    cross.store.close()


@pytest.mark.parametrize("mark", [0, 9000, 1 << 30], ids=["in the file", "past the mark", "in memory"])
def test_the_projects_are_grouped_over_the_columns_as_over_the_entries(monkeypatch, mark):
    """shared_projects reads a run's index's names, 부서 and 회계 from its columns (Index.name_column and
    written, objects and rows alike): the projects are those it finds over the entries themselves."""
    from auditor.crossdoc.identity import Identity, shared_projects

    monkeypatch.setattr(IndexStore, "MEMORY_BYTES", mark)
    rng = random.Random(16)
    files = _files(24)
    for f in files:  # names, 부서 and 회계 that recur, some written otherwise, some missing
        e = f.index[0]
        e.name = rng.choice(["사업 가", "사업가", "사업 나", "(사업 다)", "사업다", "", "사업ㆍ라", "사업·라"])
        e.department = rng.choice(["", "과 1", "과1", "과2"])
        e.account = rng.choice(["", "일반회계", "일반 회계"])
    expected = [(e.name, e.department, e.account) for f in files for e in f.index]
    cross = CrossPass(ruleset=None)
    for f in files:
        cross.take(CheckedFile(f.path, index=f.index))
    index = cross.entries
    assert list(index.name_column()) == [n for n, _, _ in expected]
    assert [index.written(i) for i in range(len(index))] == expected
    entries = list(index)
    found = shared_projects(index, Identity())
    assert found == shared_projects(entries, Identity()) and len(found) > 2
    cross.store.close()


@pytest.mark.parametrize("mark", [0, 9000, 1 << 30], ids=["in the file", "past the mark", "in memory"])
def test_a_projects_members_are_read_from_the_rows_as_by_index(monkeypatch, mark):
    """Index.members(group) gives the entries [index[i] for i in group] gives (objects and rows alike, a loose
    entry as it is), in the group's order; cross._members over the index sorts them as over a list of them."""
    from auditor.crossdoc.cross import _members

    monkeypatch.setattr(IndexStore, "MEMORY_BYTES", mark)
    rng = random.Random(7)
    files = _files(9)
    files[4].index[0].line = 1 << 70  # kept loose
    for f in files:
        f.index[0].year = rng.choice([2023, 2024, 2025])
    cross = CrossPass(ruleset=None)
    for f in files:
        cross.take(f)
    index = cross.entries
    for group in ([0, 1, 2, 3, 4, 5, 6, 7, 8], [8, 2, 4], [5], [], [3, 0, 7, 4]):
        assert [_seen(e) for e in index.members(group)] == [_seen(index[i]) for i in group]
        assert [_seen(e) for e in _members(index, group)] == [_seen(e) for e in _members([index[i] for i in range(9)], group)]
    with pytest.raises(IndexError):
        index.members([9])
    index.objects and index.objects[0].__setattr__("year", None)  # a year compared with None: sorted by _order
    if index.objects:
        assert [_seen(e) for e in _members(index, [8, 0, 3])] == [_seen(e) for e in _members(list(index), [8, 0, 3])]
    cross.store.close()


def test_a_files_entries_share_its_path_and_title():
    """A file from the results cache (or a worker) may hand entries whose path and name are equal to its
    own but other objects: the pass keeps the file's (neither is interned any more)."""
    (checked,) = _files(1)
    entry = checked.index[0]
    fresh = CheckedFile("".join(list(checked.path)), ("a", "b"), "cp949", "".join(list(checked.title)), ("t",),
                        "과", index=(entry,))
    assert entry.path is not fresh.path and entry.name is not fresh.title
    cross = CrossPass(ruleset=None)
    left = cross.take(fresh)
    # the file as the reports hold it: every field but the entries as it was (the same objects)
    assert type(left) is CheckedFile and left == evolve(fresh, index=()) and left.index == ()
    assert all(getattr(left, name) is getattr(fresh, name) for name in CheckedFile._names if name != "index")
    assert cross.entries[0].path is fresh.path and cross.entries[0].name is fresh.title
    cross.store.close()


def _cross_findings(monkeypatch, mark: int) -> tuple[list, list]:
    from auditor.engine import load_ruleset
    from auditor.runner import INDEX_ALL, check_one

    monkeypatch.setattr(IndexStore, "MEMORY_BYTES", mark)
    ruleset = load_ruleset()
    cross = CrossPass(ruleset)
    sources = {}  # the files, for the details of the entries of a project checked on the model (Reindex)
    for path in sorted((REPO / "examples" / "multiyear").rglob("*.txt")):
        item = Input(str(path), path.relative_to(REPO).as_posix())
        sources[item.display] = item
        checked, _ = check_one(item, ruleset, KEEP_NONE, INDEX_ALL)
        cross.take(checked)
    rows = len(cross.entries.kinds)
    found = cross.run(sources=sources)
    projects = [(m.key, [repr(d) for d in m.documents]) for m in cross.projects]
    return [(f.path, f.line, f.code, f.message_ko, f.message_en, f.fingerprint, [repr(r) for r in f.related]) for f in found], \
        [projects, rows]


def test_the_cross_pass_over_rows_finds_what_it_finds_over_the_entries(monkeypatch):
    """The multi-year examples' cross findings and matched projects, the index all objects, all rows and
    both: the same (a row made again with another line, year or path would move them)."""
    objects, (projects, none) = _cross_findings(monkeypatch, 1 << 30)
    assert objects and projects and none == 0
    for mark in (0, 6000):  # 6,000 bytes: the first eight entries of the examples held, the ninth a row (6,436 in all)
        found, (matched, rows) = _cross_findings(monkeypatch, mark)
        assert 0 < rows < (9 if mark else 10)
        assert found == objects and matched == projects


def test_the_sources_are_made_when_first_asked():
    inputs = (Input("/x/a.txt", "a.txt"), Input("/x/b.txt", "b.txt"))
    sources = _Sources(inputs)
    assert sources.made is None
    assert sources.get("b.txt") is inputs[1] and sources.get("c.txt") is None and sources.get("c", 1) == 1
    assert sources.made == {"a.txt": inputs[0], "b.txt": inputs[1]}


def test_an_index_row_holds_less_than_an_entry(monkeypatch):
    """What the rows are for: about 65 bytes a document where its entry and its place in the store took 160."""
    monkeypatch.setattr(IndexStore, "MEMORY_BYTES", 0)
    files = _files(200)
    cross = CrossPass(ruleset=None)
    for f in files:
        cross.take(f)
    index = cross.entries
    held = sum(sys.getsizeof(x) for x in (index.kinds, index.paths, index.names, index.departments,
                                           index.accounts, index.years, index.lines, index.stored, index.texts))
    one = index[0]
    assert held / 200 < 90 < sys.getsizeof(one) + sys.getsizeof(one.stored)
    cross.store.close()
