"""A project's identity across documents: normalised names, the configuration's mapping, partial keys."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from auditor.crossdoc.identity import Identity, IdentityError, Key, group_keys, keys_of, normal, shared_projects


def test_names_are_compared_as_the_rules_compare_them():
    assert normal(" 시·자치구간  협력체계 강화 ") == normal("시ㆍ자치구간협력체계강화") == "시·자치구간협력체계강화"
    assert normal("(CCTV 관리)") == normal("cctv관리")
    assert normal(None) == normal("") == ""


_BLANKS = "".join(chr(c) for c in range(0x3100) if chr(c).isspace() or chr(c) in "\x1c\x1d\x1e\x1f\x85\xa0")
_NAME_CHARS = st.sampled_from(list(_BLANKS + "ㆍ・‧∙•·[［【(]］】)aAßİΣς가나 시자치구-_.0"))


@given(st.text(_NAME_CHARS, max_size=12) | st.text(max_size=12))
def test_the_folded_name_is_normalize_casefolded(text):
    """identity._folded (what the cross pass keys names by, without normalize()'s cache) is
    ``normalize(text).casefold()`` for any text: every blank ``\\s`` matches, every middle dot, brackets
    around (or only on one side), letters whose case folds to more than one."""
    from auditor.crossdoc.identity import _folded
    from auditor.engine.builtins import normalize

    assert _folded(text) == normalize(text).casefold()


def test_the_blanks_taken_out_are_those_normalize_takes_out():
    """``str.split()`` splits at exactly the characters ``\\s`` matches in ``normalize()``, over every code
    point, so joining what it gives takes out what ``re.sub(r"\\s+", "")`` takes out."""
    import re
    import sys

    every = "".join(map(chr, range(sys.maxunicode + 1)))
    assert set(re.findall(r"\s", every)) == {c for c in every if not "".join(c.split())}


def test_the_mapping_renames_each_part_of_the_key():
    identity = Identity.from_table({"projects": {"청년 일자리": "청년 일자리 지원"}, "departments": {"일자리과": "일자리정책과"},
                                    "accounts": {"일반 회계": "일반회계"}})
    assert identity.key("청년일자리", "일자리과", "일반회계") == identity.key("청년 일자리 지원", "일자리정책과", "일반 회계")
    assert identity.key("청년일자리", "일자리과", "일반회계") == Key("청년일자리지원", "일자리정책과", "일반회계")


def test_a_chain_of_renames_is_followed_to_its_end():
    identity = Identity.from_table({"projects": {"a": "b", "b": "c"}})
    assert identity.key("a").name == identity.key("b").name == identity.key("c").name == "c"


@pytest.mark.parametrize(("table", "message"), [
    ({"projects": {"a": "b", "b": "a"}}, "cycle"),
    ({"project": {"a": "b"}}, "unknown table 'project'"),
    ({"projects": {"a": ""}}, "non-empty"),
    ({"projects": {"a": 1}}, "non-empty"),
    ({"projects": ["a"]}, "table of old = new"),
    ("x", "must be a table"),
])
def test_a_mapping_that_cannot_be_used_is_an_error(table, message):
    with pytest.raises(IdentityError, match=message) as err:
        Identity.from_table(table)
    assert err.value.message_ko


def test_documents_without_a_department_or_an_account_join_the_one_project_of_their_name():
    keys = [Key("a", "d1", "일반"), Key("a", "", "일반"), Key("a", "d1", ""), Key("b", "d1", "일반"), Key("b", "", ""),
            Key("b", "d2", "일반"), Key("", "d1", "일반"), Key("", "d1", "일반")]
    groups = dict(group_keys(keys))
    assert groups[Key("a", "d1", "일반")] == [0, 1, 2]
    assert groups[Key("b", "", "")] == [4]  # two projects named b: it cannot say which
    assert [i for g in groups.values() for i in g if i >= 6] == []  # no name: matches nothing


@given(st.lists(st.tuples(st.sampled_from("abc"), st.sampled_from(["", "d1", "d2"]), st.sampled_from(["", "x"])),
                max_size=12))
def test_grouping_puts_each_named_document_in_exactly_one_project_of_its_name(parts):
    keys = [Key(*p) for p in parts]
    groups = group_keys(keys)
    seen = sorted(i for _, g in groups for i in g)
    assert seen == [i for i, k in enumerate(keys) if k.name]
    for key, members in groups:
        assert all(keys[i].name == key.name for i in members)
        assert all(keys[i] == key or not (keys[i].department and keys[i].account) for i in members)


_documents = st.lists(st.builds(lambda n, d, a: type("Doc", (), {"name": n, "department": d, "account": a}),
                                st.sampled_from(["", " ", "a", "A", "(a)", "b", "b c", "bc", "c", "old"]),
                                st.sampled_from([None, "", "d1", "d 1", "d2", "구과"]),
                                st.sampled_from([None, "", "x", "일반회계"])),
                      max_size=40)


@given(_documents, st.sampled_from([None, 1, 2, 8, 64]))
def test_shared_projects_are_the_groups_of_two_or_more_of_every_document_keyed(documents, width):
    """The lean grouping (keys made only where a name's place in the bit map is shared) gives the groups
    of several documents that keying every document gives, in the same order; a map of one or two bits
    (every name on one place) shows a clash only adds candidates."""
    identity = Identity.from_table({"projects": {"old": "b"}, "departments": {"구과": "d2"}})
    expected = [(key, group) for key, group in group_keys(keys_of(documents, identity)) if len(group) > 1]
    assert shared_projects(documents, identity, width=width) == expected


def test_the_names_of_documents_alone_are_neither_remembered_nor_interned():
    """The bit-map pass normalises every document's name without :func:`normal`'s cache and without
    interning it (each interned name added an entry to the interpreter's table, which at 10,000 documents
    doubled in the cross pass: 1.8 MiB at the end of the run); only the candidates are keyed."""
    import sys

    from auditor.engine.builtins import normalize

    doc = type("Doc", (), {})
    documents = []
    for name in [f"홀로 선 사업 {n} 번" for n in range(300)] + ["함께 하는 사업", "함께하는 사업"]:
        documents.append(doc())
        documents[-1].name, documents[-1].department, documents[-1].account = name, "부서", "일반회계"
    normal.cache_clear()
    found = shared_projects(documents, Identity())
    assert [(key.name, group) for key, group in found] == [("함께하는사업", [300, 301])]
    cached = normal.cache_info().currsize
    assert cached < 60  # the shared name, 부서 and 회계, and the names that clash in the bit map (about 5 % here)
    # a string made afresh equal to a name seen alone is not found among the interned strings, but for
    # the names keyed (which normal() interned and remembers)
    fresh = [normalize(f"홀로 선 사업 {n} 번").casefold() for n in range(300)]
    assert sum(sys.intern(name) is not name for name in fresh) <= cached


_entries = st.lists(st.builds(lambda y, p, n: type("Entry", (), {"year": y, "path": p, "line": n})(),
                              st.sampled_from([None, 2023, 2024]), st.sampled_from(["a.txt", "b.csv"]),
                              st.integers(1, 3)), max_size=12)


@given(_entries, st.booleans())
def test_a_projects_members_are_sorted_as_order_sorts_them(entries, known):
    """cross._members (year, path and line read by attrgetter, _order where a year is None among known
    ones) sorts a project's entries as ``sorted(key=_order)`` does: the same entries in the same order,
    equal keys in the order given."""
    from auditor.crossdoc.cross import _members, _order

    if known:
        entries = [e for e in entries if e.year is not None]
    group = list(range(len(entries)))[::-1]
    expected = sorted([entries[i] for i in group], key=_order)
    assert [id(e) for e in _members(entries, group)] == [id(e) for e in expected]
