"""Selectors: codes, prefixes, names, ALL; ruff's "more specific wins"; severities; per-file-ignores."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given, strategies as st

from auditor.findings import Severity
from auditor.selection import (
    Layer,
    PerFileIgnores,
    SelectorError,
    parse_selector,
    resolve_selection,
    resolve_severities,
)


@attrs.frozen
class R:
    code: str
    name: str
    pack: str


RULES = (
    R("SET001", "settlement.available-mismatch", "settlement"),
    R("SET002", "settlement.unspent-mismatch", "settlement"),
    R("SUM001", "summary.total-mismatch", "summary"),
    R("SUM010", "summary.rate-mismatch", "summary"),
    R("BAS001", "basis.formula-mismatch", "basis"),
)
ALL_CODES = frozenset(r.code for r in RULES)


def sel(*layers: Layer) -> set[str]:
    return set(resolve_selection(RULES, layers))


@pytest.mark.parametrize(
    ("text", "kind", "matched"),
    [
        ("ALL", "all", ALL_CODES),
        ("all", "all", ALL_CODES),
        ("SET001", "code", {"SET001"}),
        ("set001", "code", {"SET001"}),
        ("SET", "code-prefix", {"SET001", "SET002"}),
        ("S", "code-prefix", {"SET001", "SET002", "SUM001", "SUM010"}),
        ("SUM01", "code-prefix", {"SUM010"}),
        ("settlement.unspent-mismatch", "name", {"SET002"}),
        ("settlement", "name-prefix", {"SET001", "SET002"}),
        ("settlement.", "name-prefix", {"SET001", "SET002"}),
        ("summary.", "name-prefix", {"SUM001", "SUM010"}),
    ],
)
def test_selector_kinds(text: str, kind: str, matched: set[str]) -> None:
    s = parse_selector(text, RULES)
    assert s.kind == kind
    assert {r.code for r in RULES if s.matches(r.code, r.name, r.pack)} == matched


@pytest.mark.parametrize(
    ("text", "suggestion"),
    [("SET01X", "SET001"), ("setlement", "settlement"), ("summary.total-mismach", "summary.total-mismatch"),
     ("QQQQQQQQ", None),
     # code-like: the nearest family, never a code of another family
     ("NOPE001", None), ("SETT", "SET"), ("SUMM", "SUM"), ("SET0O1", "SET001"), ("BAS01", "BAS001"),
     ("SUM011", "SUM010"), ("BASS", "BAS"), ("ZZZ", None),
     # name-like: names and name families; a lower-case family falls back to the codes
     ("settlment", "settlement"), ("summary.rate-mismach", "summary.rate-mismatch"), ("sumary", "summary"),
     ("bass", "basis"), ("sett", "settlement")],
)
def test_unknown_selector_is_an_error_with_a_suggestion(text: str, suggestion: str | None) -> None:
    with pytest.raises(SelectorError) as e:
        parse_selector(text, RULES, where="auditor.toml: select")
    assert e.value.suggestion == suggestion
    assert f"'{text}'" in str(e.value) and str(e.value).startswith("auditor.toml: select")
    assert (f"did you mean '{suggestion}'" in str(e.value)) is (suggestion is not None)
    assert (f"비슷한 선택자: '{suggestion}'" in e.value.message_ko) is (suggestion is not None)


@given(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-", min_size=1, max_size=12))
def test_suggestion_messages_leave_no_paired_particle(text: str) -> None:
    from auditor.josa import PAIRS

    try:
        parse_selector(text, RULES)
    except SelectorError as e:
        assert not any(pair in e.message_ko for pair in PAIRS), e.message_ko
        if e.suggestion and e.suggestion.isupper() and any(ch.isdigit() for ch in text):
            assert e.suggestion[:3] in {r.code[:3] for r in RULES}


def test_default_is_all() -> None:
    assert sel(Layer(), Layer()) == ALL_CODES


@pytest.mark.parametrize(
    ("layers", "expected"),
    [
        ((Layer(select=("SET",)),), {"SET001", "SET002"}),
        ((Layer(select=("SET",), ignore=("SET002",)),), {"SET001"}),
        # more specific wins, whatever the order of select and ignore
        ((Layer(select=("SET001",), ignore=("SET",)),), {"SET001"}),
        ((Layer(ignore=("S",), extend_select=("SUM",)),), {"SUM001", "SUM010", "BAS001"}),
        # at equal specificity ignore wins within one source
        ((Layer(select=("SET",), ignore=("SET",)),), set()),
        # at equal specificity the command line (later layer) wins over the config
        ((Layer(ignore=("SET001",)), Layer(select=("SET001",))), {"SET001"}),
        ((Layer(select=("SET001",)), Layer(ignore=("SET001",))), set()),
        # a config ignore that is more specific than a CLI select still applies
        ((Layer(ignore=("SET002",)), Layer(select=("SET",))), {"SET001"}),
        ((Layer(select=("ALL",), ignore=("settlement",)),), {"SUM001", "SUM010", "BAS001"}),
        ((Layer(select=("summary.rate-mismatch", "BAS")),), {"SUM010", "BAS001"}),
        ((Layer(select=()), Layer(extend_select=("BAS001",))), {"BAS001"}),
    ],
)
def test_selection_table(layers: tuple[Layer, ...], expected: set[str]) -> None:
    assert sel(*layers) == expected


@given(st.lists(st.sampled_from(["ALL", "S", "SE", "SET", "SET001", "SUM", "BAS001", "settlement", "summary."]),
                max_size=4),
       st.lists(st.sampled_from(["S", "SET", "SET002", "SUM010", "basis", "ALL"]), max_size=3))
def test_ignore_never_adds_and_select_never_exceeds_what_it_matches(select, ignore) -> None:
    with_ignore = sel(Layer(select=tuple(select), ignore=tuple(ignore)))
    without = sel(Layer(select=tuple(select)))
    assert with_ignore <= without
    matched = {r.code for r in RULES for s in select if parse_selector(s, RULES).matches(r.code, r.name, r.pack)}
    assert without == matched


def test_severity_overrides_most_specific_then_latest() -> None:
    got = resolve_severities(
        RULES,
        [{"S": Severity.INFO, "SET001": Severity.ERROR}, {"SET": Severity.WARNING}],
    )
    assert got == {
        "SET001": Severity.ERROR,  # exact code beats the later, less specific SET
        "SET002": Severity.WARNING,  # SET (3) beats S (1)
        "SUM001": Severity.INFO,
        "SUM010": Severity.INFO,
    }
    assert resolve_severities(RULES, [{"SET001": Severity.INFO}, {"SET001": Severity.WARNING}]) == {
        "SET001": Severity.WARNING
    }


def test_severity_with_unknown_selector_fails() -> None:
    with pytest.raises(SelectorError, match="severity"):
        resolve_severities(RULES, [{"XYZ": Severity.INFO}])


@pytest.mark.parametrize(
    ("path", "code", "ignored"),
    [
        ("old/2019.txt", "SET001", True),
        ("old/2019.txt", "SUM001", False),
        ("new/2019.txt", "SET001", False),
        ("drafts/x/y.md", "SUM010", True),
        ("drafts/x/y.md", "BAS001", True),
        ("a/b/scratch.txt", "BAS001", True),
    ],
)
def test_per_file_ignores(path: str, code: str, ignored: bool) -> None:
    pfi = PerFileIgnores.parse(
        {"old/*.txt": ["settlement"], "drafts/**": ["SUM", "basis.formula-mismatch"], "scratch.txt": ["ALL"]},
        RULES,
    )
    name = next(r.name for r in RULES if r.code == code)
    assert pfi.ignores(path, code, name) is ignored


def test_per_file_ignores_unknown_selector_names_the_pattern() -> None:
    with pytest.raises(SelectorError, match="per-file-ignores 'old/\\*'"):
        PerFileIgnores.parse({"old/*": ["NOPE99"]}, RULES)
