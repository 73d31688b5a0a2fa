"""Discovery's fast paths against their references: ``DisplayPaths`` is ``display_path``,
``RelativePaths`` is ``relative_path``, ``Patterns`` is ``matches_any``, and a walk's files and
order are those the reference functions give, on a tree with symbolic links (to files, to
directories, dangling, a loop) and on paths of every shape (``.``, ``..``, ``//``, blanks,
Hangul, trailing slashes, absolute and relative, inside and outside the root)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from auditor.discovery import (DEFAULT_EXCLUDE, DEFAULT_INCLUDE, DisplayPaths, Patterns, RelativePaths, _absolute,
                               _walk, discover, display_path, matches_any, relative_path)

FILES = ["a.txt", "b/c.txt", "b/d/e.csv", "b/d/README.txt", "가 나/다.txt", "node_modules/x.txt", "f/.h.txt",
         "f/g.md", "build/y.txt", "requirements-dev.txt"]


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    top = tmp_path_factory.mktemp("fast") / "top"
    for rel in FILES:
        (top / rel).parent.mkdir(parents=True, exist_ok=True)
        (top / rel).write_text("x", encoding="utf-8")
    (top / "link-to-b").symlink_to(top / "b")
    (top / "b" / "d" / "loop").symlink_to(top / "b")
    (top / "link.txt").symlink_to(top / "a.txt")
    (top / "dangling.txt").symlink_to(top / "nowhere.txt")
    (top / "f" / "up").symlink_to("..")
    return top


NAMES = ["a.txt", "b", "c.txt", "d", "e.csv", "가 나", "다.txt", "link-to-b", "link.txt", "dangling.txt",
         "loop", "up", "f", "nowhere", ".", "..", "", "top"]


@st.composite
def paths(draw, tree: Path) -> str:
    parts = draw(st.lists(st.sampled_from(NAMES), max_size=5))
    start = draw(st.sampled_from(["", "/", "//", "///", str(tree) + "/", str(tree.parent) + "/", "./", "../"]))
    return start + "/".join(parts) + draw(st.sampled_from(["", "/", "//"]))


def places(tree: Path) -> list[Path]:
    return [tree, tree / "b", tree / "b" / "d", tree / "link-to-b", tree.parent, tree / "f" / "up"]


@settings(max_examples=400, deadline=None)
@given(data=st.data())
def test_display_paths_are_display_path(tree: Path, data) -> None:
    cwd = data.draw(st.sampled_from(places(tree)))
    root = data.draw(st.sampled_from(places(tree) + [Path("b"), Path("."), Path("../top"), Path("b/../b/d")]))
    path = data.draw(paths(tree))
    here = os.getcwd()
    os.chdir(cwd)
    try:
        assert DisplayPaths(root)(path) == display_path(path, root)
    finally:
        os.chdir(here)


#: Names a directory listing can give (no ``/``, never ``.`` or ``..``), one of them bytes that are not UTF-8.
ENTRY_NAMES = [n for n in NAMES if n not in (".", "..", "")] + ["...", " x ", "\udcff.txt", "가"]


@settings(max_examples=400, deadline=None)
@given(data=st.data())
def test_a_walked_entry_is_shown_as_display_paths_shows_it(tree: Path, data) -> None:
    """A walk's entry shown from its directory's absolute path, worked out once (``DisplayPaths.child``), is
    the path ``DisplayPaths`` and ``display_path`` show for it, from any directory, root and working directory."""
    cwd = data.draw(st.sampled_from(places(tree)))
    root = data.draw(st.sampled_from(places(tree) + [Path("b"), Path("."), Path("../top"), Path("b/../b/d"), Path("/")]))
    directory = data.draw(paths(tree))
    name = data.draw(st.sampled_from(ENTRY_NAMES))
    here = os.getcwd()
    os.chdir(cwd)
    try:
        shown = DisplayPaths(root)
        full = os.path.join(directory, "") + name  # as the walk joins them
        assert shown.child(shown.directory(directory), full, name) == shown(full) == display_path(full, root)
    finally:
        os.chdir(here)


@pytest.mark.parametrize("directory", ["/", "//", "//b", "///b", ".", "", "b/..", "../top", "top/b/"])
def test_a_walked_entry_of_the_edge_directories_is_shown_as_display_path_shows_it(tree: Path, directory: str,
                                                                                   monkeypatch) -> None:
    """The same for the directories whose paths normalise to ``/``, keep a leading ``//`` or climb (rare draws above)."""
    monkeypatch.chdir(tree.parent)
    for root in (Path("/"), tree, Path("."), Path("//")):
        shown = DisplayPaths(root)
        for name in ("x.txt", "\udcff.txt"):
            full = os.path.join(directory, "") + name
            assert shown.child(shown.directory(directory), full, name) == display_path(full, root), (root, full)


@settings(max_examples=400, deadline=None)
@given(data=st.data())
def test_relative_paths_are_relative_path(tree: Path, data) -> None:
    cwd = data.draw(st.sampled_from(places(tree)))
    base = data.draw(st.sampled_from(places(tree) + [Path("b"), Path("."), Path("..")]))
    chosen = data.draw(st.lists(paths(tree), min_size=1, max_size=6))
    here = os.getcwd()
    os.chdir(cwd)
    try:
        many = RelativePaths(base)  # one object for many paths: its directory cache in use
        assert [many(p) for p in chosen] == [relative_path(p, base) for p in chosen]
    finally:
        os.chdir(here)


PATTERN_PARTS = ["*", "**", "**/", "?", "[ab]", "[!a]", "a", "b/", ".txt", "x", "/", "./", "가"]


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.lists(st.sampled_from(PATTERN_PARTS), min_size=1, max_size=5).map("".join), max_size=4),
       st.lists(st.sampled_from(["a", "b", "ab.txt", "x.txt", "가.txt", "", "a.txt"]), min_size=1, max_size=4)
       .map("/".join), st.sampled_from(["", "/"]))
def test_patterns_are_matches_any(patterns: list[str], path: str, end: str) -> None:
    assert Patterns(patterns)(path + end) == matches_any(patterns, path + end)


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.lists(st.sampled_from(PATTERN_PARTS), min_size=1, max_size=5).map("".join), max_size=4),
       st.lists(st.sampled_from(["a", "b", "ab.txt", "x.txt", "가.txt", "", "a.txt"]), min_size=1, max_size=4)
       .map("/".join), st.sampled_from(["", "/"]))
def test_patterns_named_is_matches_any(patterns: list[str], path: str, end: str) -> None:
    """The walk's test, given the base name it took once, is matches_any of the path."""
    name = os.path.basename((path + end).rstrip("/"))
    assert Patterns(patterns).named(path + end, name) == matches_any(patterns, path + end)


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_absolute_is_abspath(tree: Path, data) -> None:
    cwd = data.draw(st.sampled_from(places(tree)))
    path = data.draw(paths(tree))
    here = os.getcwd()
    os.chdir(cwd)
    try:
        assert _absolute()(path) == os.path.abspath(path)
    finally:
        os.chdir(here)


@pytest.mark.parametrize("pattern", ["a*a", "ab*ba", "a*.txt", "requirements*.txt", "*", "x*", "*x"])
@pytest.mark.parametrize("name", ["a", "aa", "aba", "abba", "ab.txt", "a.txt", ".txt", "requirements.txt",
                                  "requirements-dev.txt", "requirements", "x", "dir/a.txt", "a/x"])
def test_a_start_and_end_pattern_is_matches_any(pattern: str, name: str) -> None:
    """``START*END`` read as two tests of the base name: a name shorter than both (``a`` for ``a*a``) is no match."""
    assert Patterns([pattern])(name) == matches_any([pattern], name)


def test_the_default_patterns_are_matches_any() -> None:
    for patterns in (DEFAULT_INCLUDE, DEFAULT_EXCLUDE):
        for rel in [*FILES, "x/requirements.txt", "node_modules", "a/build", "README", "a/README.md", "CMakeLists.txt"]:
            assert Patterns(patterns)(rel) == matches_any(patterns, rel), (patterns, rel)


def test_a_pattern_that_cannot_be_read_fails_at_the_first_path_as_glob_match_does() -> None:
    from auditor.globs import GlobError

    bad = Patterns(["[z-a]"])  # nothing read yet: a walk of an empty directory never reads it
    with pytest.raises(GlobError):
        bad("a.txt")


@pytest.mark.parametrize("start", ["top", "top/b", "top/link-to-b", "."])
def test_a_walk_is_the_reference_walk(tree: Path, start: str, monkeypatch) -> None:
    """Files, display paths and their order as display_path, matches_any and Path.parts give them."""
    monkeypatch.chdir(tree.parent)
    for root in (tree, tree.parent, tree / "b"):
        walked = _walk(Path(start), root, DEFAULT_INCLUDE, DEFAULT_EXCLUDE)
        files = [f for f, _ in walked.files]
        assert [d for _, d in walked.files] == [display_path(f, root) for f in files]
        assert files == sorted(files, key=lambda f: Path(f).parts)
        assert all(matches_any(DEFAULT_INCLUDE, d) and not matches_any(DEFAULT_EXCLUDE, d) for _, d in walked.files)
        found = discover([start], root=root)
        assert [(i.path, i.display) for i in found.inputs] == walked.files
