"""Globs are matched without backtracking (auditor.globs), and mean what they meant as regexes."""

from __future__ import annotations

import re
import time
import warnings

import pytest
from hypothesis import given, strategies as st

from auditor.discovery import glob_match
from auditor.globs import GlobError, compile_glob


def reference(pattern: str) -> re.Pattern[str]:
    """The backtracking regex a glob used to become (a class never matches ``/``), as the oracle."""
    out, i = [], 0
    while i < len(pattern):
        c = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif c == "*":
            out.append("[^/]*")
            i += 1
        elif c == "?":
            out.append("[^/]")
            i += 1
        elif c == "[" and (end := pattern.find("]", i + 2 + (pattern[i + 1:i + 2] in ("!", "^")))) != -1:
            j = i + 1 + (pattern[i + 1] in "!^")
            body = pattern[j:end].replace("\\", "\\\\").replace("^", "\\^").replace("[", "\\[")
            out.append(f"(?!/)[{'^' if j > i + 1 else ''}{body}]")
            i = end + 1
        else:
            out.append(re.escape(c))
            i += 1
    with warnings.catch_warnings():  # "--" in a class: a possible set difference one day, a range today
        warnings.simplefilter("ignore", FutureWarning)
        return re.compile("".join(out) + r"\Z", re.DOTALL)


patterns = st.text(alphabet="ab/*?[]!-", max_size=10)
paths = st.text(alphabet="ab/-", max_size=12)


@given(patterns, paths)
def test_the_linear_matcher_agrees_with_the_regex_it_replaces(pattern, path):
    try:
        glob = compile_glob(pattern)
    except GlobError:
        return
    try:
        oracle = reference(pattern)
    except re.error:
        return
    assert glob.match(path) == bool(oracle.match(path)), (pattern, path, oracle.pattern)


@pytest.mark.parametrize("pattern", ["*a*a*a*a*a*a*b", "**a**a**a**a**a**a**b", "**/*a*a*a*a*a*a*b",
                                     "*?*?*?*?*?*?*?*b", "[ab]*[ab]*[ab]*[ab]*[ab]*c"])
def test_a_pattern_that_made_the_regex_backtrack_is_matched_at_once(pattern):
    """74 s for one path as a regex. Measured as a count, not a time: the automaton's states stay
    few, and one long path leaves at most one transition per character and state."""
    glob = compile_glob(pattern)
    name = "a" * 5000
    started = time.process_time()
    assert not glob.match(name) and not glob.match("x/" * 1000 + name)
    assert len(glob.transitions) <= 4 * (len(glob.tokens) + 2)
    assert time.process_time() - started < 30, "a generous bound: quadratic or worse would take minutes"


@pytest.mark.parametrize("pattern, reason", [("[z-a]", "bad character range z-a"), ("x/[a-c9-0]", "range 9-0")])
def test_an_invalid_glob_is_an_error(pattern, reason):
    with pytest.raises(GlobError, match=re.escape(reason)):
        compile_glob(pattern)


@pytest.mark.parametrize("pattern, path, hit", [
    ("[a", "[a", True),  # a [ that never closes is a character
    ("x/[]", "x/[]", True),
    ("[!]", "[!]", True),
    ("[]]", "]", True),  # a ] first in a class is a member
    ("[!/]", "/", False),  # a class never matches /
    ("a[\\]]b", "a]b", True),
    ("**", "a/b/c", True),
    ("a/**/b", "a/b", True),
    ("a/**/b", "a/x/y/b", True),
    ("a**b", "a/x/b", True),
])
def test_edges(pattern, path, hit):
    assert glob_match(pattern, path) is hit
