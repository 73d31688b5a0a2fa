"""Discovery: files, directories, globs and stdin become inputs in a stable order; bad paths become errors."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from auditor.discovery import DEFAULT_EXCLUDE, STDIN, discover, display_path, glob_match


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    for rel in ["b.txt", "a.md", "notes.csv", "data.json", "sub/c.txt", "sub/deeper/d.txt", ".hidden/e.txt",
                "node_modules/f.txt", "sub/.g.txt", "z/y.TXT"]:
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("x", encoding="utf-8")
    return tmp_path


def displays(d) -> list[str]:
    return [i.display for i in d.inputs]


def test_directory_is_recursed_sorted_for_txt_and_csv_files_only(tree: Path) -> None:
    d = discover([str(tree)], root=tree)
    assert displays(d) == ["b.txt", "notes.csv", "sub/c.txt", "sub/deeper/d.txt"]
    assert d.errors == ()


def test_a_folder_outside_the_root_shows_its_files_by_their_path_held_once(tree: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "root"
    elsewhere.mkdir()
    d = discover([str(tree / "sub")], root=elsewhere)
    assert displays(d) == [str(tree / "sub" / "c.txt"), str(tree / "sub" / "deeper" / "d.txt")]
    assert all(item.display is item.path for item in d.inputs)  # one string: the run holds both
    inside = discover([str(tree / "sub")], root=tree)
    assert [(item.path, item.display) for item in inside.inputs] == [
        (str(tree / "sub" / "c.txt"), "sub/c.txt"), (str(tree / "sub" / "deeper" / "d.txt"), "sub/deeper/d.txt")]


def test_markdown_is_read_when_named_or_included(tree: Path) -> None:
    assert displays(discover([str(tree / "a.md")], root=tree)) == ["a.md"]
    d = discover([str(tree)], root=tree, include=("*.txt", "*.md"))
    assert displays(d) == ["a.md", "b.txt", "sub/c.txt", "sub/deeper/d.txt"]


@pytest.mark.parametrize(
    ("name", "walked"),
    [
        ("requirements.txt", False), ("requirements-dev.txt", False), ("constraints.txt", False),
        ("CMakeLists.txt", False), ("robots.txt", False), ("LICENSE.txt", False), ("NOTICE.txt", False),
        ("AUTHORS.txt", False), ("COPYING.txt", False), ("README.txt", False),
        ("2024_사업설명서.txt", True), ("notes.txt", True), ("requirements_analysis.csv", True),
    ],
)
def test_well_known_non_sheet_names_are_excluded_from_a_walk(tmp_path: Path, name: str, walked: bool) -> None:
    (tmp_path / name).write_text("x", encoding="utf-8")
    assert displays(discover([str(tmp_path)], root=tmp_path)) == ([name] if walked else [])
    assert displays(discover([str(tmp_path / name)], root=tmp_path)) == [name]  # named: always read


def test_explicit_file_is_read_whatever_its_extension(tree: Path) -> None:
    d = discover([str(tree / "notes.csv"), str(tree / "node_modules/f.txt")], root=tree)
    assert displays(d) == ["notes.csv", "node_modules/f.txt"]


def test_force_exclude_applies_exclude_to_named_files(tree: Path) -> None:
    named = [str(tree / "node_modules/f.txt"), str(tree / "b.txt"), str(tree / "sub/deeper/d.txt")]
    d = discover(named, root=tree, exclude=(*DEFAULT_EXCLUDE, "deeper"), force_exclude=True)
    assert displays(d) == ["b.txt"] and d.errors == ()


def test_include_and_exclude_globs(tree: Path) -> None:
    d = discover([str(tree)], root=tree, include=("*.csv", "*.txt"), exclude=(*DEFAULT_EXCLUDE, "sub/deeper"))
    assert displays(d) == ["b.txt", "notes.csv", "sub/c.txt"]


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("*.txt", ["b.txt"]),
        ("**/*.txt", ["b.txt", "sub/c.txt", "sub/deeper/d.txt"]),
        ("sub/*", ["sub/c.txt", "sub/deeper/d.txt"]),  # a matched directory is recursed
        ("s?b/c.txt", ["sub/c.txt"]),
    ],
)
def test_globs_are_expanded_when_the_shell_did_not(tree: Path, pattern: str, expected, monkeypatch) -> None:
    monkeypatch.chdir(tree)
    assert displays(discover([pattern], root=tree)) == expected


def test_missing_path_and_empty_glob_are_errors_and_others_still_found(tree: Path, monkeypatch) -> None:
    monkeypatch.chdir(tree)
    d = discover(["nope.txt", "b.txt", "*.xlsx"], root=tree)
    assert displays(d) == ["b.txt"]
    assert [e.path for e in d.errors] == ["nope.txt", "*.xlsx"]
    assert d.errors[0].message("en") == "no such file or directory"
    assert d.errors[0].message("ko") == "파일이나 디렉터리가 없습니다"
    assert "pattern" in d.errors[1].message("en")


def test_each_input_once_first_mention_wins(tree: Path, monkeypatch) -> None:
    monkeypatch.chdir(tree)
    d = discover(["sub/c.txt", "sub", "./sub/c.txt", "-", "-"], root=tree, stdin=b"abc")
    assert displays(d) == ["sub/c.txt", "sub/deeper/d.txt", "-"]
    assert d.inputs[-1].data == b"abc"


def test_stdin_display_name(tree: Path, monkeypatch) -> None:
    monkeypatch.chdir(tree / "sub")
    d = discover(["-"], root=tree, stdin_filename="from-stdin.txt", stdin=b"")
    assert d.inputs[0].path == STDIN and d.inputs[0].display == "sub/from-stdin.txt"
    assert d.inputs[0].data == b""


def test_display_path_is_root_relative_from_any_cwd(tree: Path, monkeypatch) -> None:
    monkeypatch.chdir(tree / "sub")
    assert display_path("deeper/d.txt", tree) == "sub/deeper/d.txt"
    assert display_path(str(tree / "b.txt"), tree) == "b.txt"
    monkeypatch.chdir(tree)
    assert display_path("sub/deeper/d.txt", tree) == "sub/deeper/d.txt"


def test_display_path_outside_root_is_kept_as_given(tree: Path, monkeypatch) -> None:
    monkeypatch.chdir(tree)
    assert display_path("../elsewhere/x.txt", tree / "sub") == "../elsewhere/x.txt"


@pytest.mark.parametrize(
    ("pattern", "path", "hit"),
    [
        ("*.txt", "a.txt", True),
        ("*.txt", "dir/a.txt", True),  # no slash: also matches the basename
        ("dir/*.txt", "dir/a.txt", True),
        ("dir/*.txt", "dir/sub/a.txt", False),  # * stays in one segment
        ("dir/**/*.txt", "dir/sub/x/a.txt", True),
        ("dir/**/*.txt", "dir/a.txt", True),
        ("**/old/*", "x/old/a.md", True),
        ("old/", "old", True),
        ("[ab].txt", "b.txt", True),
        ("[!ab].txt", "b.txt", False),
        ("*.md", "a.txt", False),
    ],
)
def test_glob_match_table(pattern: str, path: str, hit: bool) -> None:
    assert glob_match(pattern, path) is hit


segment = st.text(alphabet="abcxyz가나-_", min_size=1, max_size=6)


@given(st.lists(segment, min_size=1, max_size=4))
def test_double_star_matches_any_depth(parts: list[str]) -> None:
    path = "/".join(parts) + ".txt"
    assert glob_match("**/*.txt", path)
    assert glob_match("*.txt", path)  # basename rule
    assert not glob_match("**/*.md", path)


def test_inputs_are_never_written(tree: Path) -> None:
    before = {p: p.stat().st_mtime_ns for p in tree.rglob("*") if p.is_file()}
    discover([str(tree)], root=tree)
    assert before == {p: p.stat().st_mtime_ns for p in tree.rglob("*") if p.is_file()}
    assert os.access(tree / "b.txt", os.R_OK)


@pytest.mark.parametrize(
    ("target", "base", "expected"),
    [("a/b.txt", ".", "a/b.txt"), ("a/b.txt", "a", "b.txt"), ("a/b.txt", "c", "../a/b.txt"),
     ("a/b.txt", "a/d/e", "../../b.txt")],
)
def test_relative_path_from_a_base_directory(tmp_path: Path, monkeypatch, target, base, expected) -> None:
    from auditor.discovery import relative_path

    monkeypatch.chdir(tmp_path)
    assert relative_path(target, tmp_path / base) == expected
    assert relative_path(tmp_path / target, tmp_path / base) == expected
