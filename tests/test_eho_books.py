"""e호조 합본 books: versions in order, 추경 rows checked against their base, completed 추경 groups, pandas-resaved
twins, one-fault books caught on the right row, and totals that never mix years or versions."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from auditor.discovery import Input
from auditor.engine import load_ruleset
from auditor.readers import read_bytes
from auditor.readers.eho import EhoReader
from auditor.readers.eho_versions import VersionIndex, version_of
from auditor.readers.lines import LineStream
from auditor.result import CheckResult
from auditor.runner import check_one
from auditor.report.breakdown import departments, latest_budgets
from auditor.testing.eho import RandomDraw
from auditor.testing.eho_books import Book, book, book_text, faults, twin_text
from strategies_eho import HypothesisDraw

RULES = load_ruleset()
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def books(draw) -> Book:
    return book(HypothesisDraw(draw), year=draw(st.integers(2020, 2030)), rounds=draw(st.integers(1, 3)),
                deemed=draw(st.integers(0, 2)))


def findings(text: str, name: str = "book.csv"):
    _, found = check_one(Input("-", name, text.encode("utf-8")), RULES)
    return list(found)


# -- versions ---------------------------------------------------------------------------------------

def test_versions_are_ordered_본예산_then_추경_then_간주_and_unknown_labels_come_last():
    labels = ["본예산", "추경1회", "제2회 추경", "추경3회", "간주1차", "간주2차"]
    ranks = [version_of(label).rank for label in labels]
    assert ranks == sorted(ranks) and len(set(ranks)) == len(ranks)
    assert version_of("당초예산").rank == version_of("본예산").rank
    assert version_of("1차추경").rank == version_of("추경 1회").rank == version_of("추경1회").rank
    unknown: dict[str, int] = {}
    first, second = version_of("수정예산", unknown), version_of("최종예산", unknown)
    assert not first.known and first.rank > version_of("간주9차").rank and second.rank > first.rank


# -- consistent books -----------------------------------------------------------------------------

@SETTINGS
@given(books())
def test_a_consistent_book_and_its_pandas_twin_give_no_finding(b):
    assert findings(book_text(b.records)) == []
    assert findings(twin_text(b.records), "twin.csv") == []


@SETTINGS
@given(books())
def test_the_twin_reads_as_the_book_does(b):
    """Read by meaning, the pandas twin gives the same rows, figures, funding and bases as the book."""
    def shape(text: str):
        sheet = read_bytes(text.encode("utf-8"), "x.csv")
        out = []
        for c in sheet.basis.categories:
            for g in c.groups:
                for node in (g, *g.items):
                    out.append((c.object_code.value if c.object_code else None, node.label.value, node.amount.value,
                                node.previous.value, [(s.label, s.current.value, s.previous.value) for s in node.funding],
                                node.base.amount.value if node.base else None,
                                [i.label.value for i in getattr(node, "unchanged", ())]))
        return sheet.budget_year.value, out
    assert shape(book_text(b.records)) == shape(twin_text(b.records))


def test_every_revising_row_of_a_book_finds_its_base_and_partial_groups_are_completed():
    b = book(RandomDraw(7), rounds=3, deemed=1)
    sheet = read_bytes(book_text(b.records).encode("utf-8"), "book.csv")
    groups = [g for c in sheet.basis.categories for g in c.groups]
    revised = [g for g in groups if g.previous.value]
    assert revised and all(g.base is not None and g.base.amount.value == g.previous.value for g in revised)
    partial = [g for g in revised if g.items and g.unchanged]
    assert partial
    for g in partial:
        assert g.amount.value == sum(i.amount.value for i in (*g.items, *g.unchanged))
        assert {i.label.value for i in g.items}.isdisjoint(i.label.value for i in g.unchanged)


# -- one fault per book ---------------------------------------------------------------------------

@settings(SETTINGS, max_examples=40)
@given(books(), st.data())
def test_a_fault_is_caught_on_its_row_and_nothing_else_fires(b, data):
    for fault in faults(HypothesisDraw(data.draw), b):
        name = "twin.csv" if fault.kind == "derived" else "book.csv"
        got: dict[int, list[str]] = {}
        for f in findings(fault.text, name):
            got.setdefault(f.line, []).append(f.code)
        assert set(got) == set(fault.must) | set(fault.one_of), (fault.kind, got, fault.must)
        for line, codes in got.items():
            assert fault.must.get(line, frozenset()) <= set(codes), (fault.kind, line, codes)
            alternatives = fault.one_of.get(line, frozenset())
            assert len([c for c in codes if c in alternatives]) == (1 if alternatives else 0), (fault.kind, codes)
            assert set(codes) <= fault.must.get(line, frozenset()) | alternatives, (fault.kind, line, codes)


def test_each_kind_of_fault_is_made_and_caught():
    kinds = set()
    for seed in range(40):
        b = book(RandomDraw(seed))
        for fault in faults(RandomDraw(seed), b):
            kinds.add(fault.kind)
            lines = {f.line for f in findings(fault.text, "twin.csv" if fault.kind == "derived" else "book.csv")}
            assert lines == set(fault.must) | set(fault.one_of), (seed, fault.kind)
    assert kinds == {"previous", "completed", "derived"}


# -- across files: the base of an 추경-only export in that year's 본예산 export ---------------------

def _read(text: str, path: str, index: VersionIndex):
    import io

    raw = io.BytesIO(text.encode("utf-8"))
    return list(EhoReader(path, LineStream(raw, raw.readline()), versions=index))


def test_an_추경_only_export_finds_its_bases_in_the_본예산_export_read_before_it():
    b = book(RandomDraw(11), rounds=1, deemed=0)
    original = [r for r in b.records if r.kind == "본예산"]
    supplementary = [r for r in b.records if r.kind != "본예산"]
    alone = [f.code for f in findings(book_text(supplementary), "supp.csv")]
    assert "VER003" in alone  # read alone, its revising rows cannot be checked
    index = VersionIndex()
    _read(book_text(original), "original.csv", index)
    units = _read(book_text(supplementary), "supp.csv", index)
    revised = [g for u in units for c in u.basis.categories for g in c.groups if g.previous.value]
    assert revised and all(g.base is not None and g.base.source.path == "original.csv" for g in revised)
    assert all(f.code != "VER003" for u in units for f in RULES.check(u))


# -- totals ---------------------------------------------------------------------------------------

def test_totals_never_mix_years_or_versions_and_give_the_latest_budget():
    b = book(RandomDraw(5), year=2024, rounds=2, deemed=1)
    other = book(RandomDraw(6), year=2025, rounds=1, deemed=0)
    files = []
    for year_book, name in ((b, "2024.csv"), (other, "2025.csv")):
        checked, _ = check_one(Input("-", name, book_text(year_book.records).encode("utf-8")), RULES)
        files.append(checked)
    result = CheckResult(files, [], (), RULES.docs())
    lines = departments(result)
    assert {(year, version) for year, _, version, _, _ in lines} == {
        (str(r.year), r.kind) for bk in (b, other) for r in bk.records}
    for year_book in (b, other):
        year = str(year_book.records[0].year)
        latest: dict[tuple, int] = {}
        for r in year_book.records:  # the amount of each Ο row in its latest version
            if r.is_group:
                latest[(r.project, r.category, r.label)] = r.amount
        [budget] = [x for x in latest_budgets(result) if x.year == year]
        assert budget.budget == sum(latest.values()) * 1000
        assert budget.original == sum(r.amount for r in year_book.records if r.is_group and r.kind == "본예산") * 1000
        for _, _, version, _, totals in (line for line in lines if line[0] == year):
            assert totals.reconciles
            assert totals.budget == 1000 * sum(r.amount for r in year_book.records if r.is_group and r.kind == version)


@pytest.mark.parametrize("rounds", [1, 3])
def test_the_json_totals_carry_year_version_and_latest(rounds):
    import json

    from auditor.report import render

    b = book(RandomDraw(rounds), rounds=rounds)
    checked, found = check_one(Input("-", "book.csv", book_text(b.records).encode("utf-8")), RULES)
    doc = json.loads(render("json", CheckResult([checked], found, (), RULES.docs())))
    versions = {d["version"] for d in doc["totals"]["departments"]}
    assert versions == {r.kind for r in b.records}
    assert all(p["year"] == str(b.records[0].year) for p in doc["totals"]["projects"])
    [latest] = doc["totals"]["latest"]
    assert latest["versions"][0] == "본예산" and latest["budget"] == sum(
        d["change"] for d in doc["totals"]["departments"])


def test_memory_stays_flat_bases_further_back_than_the_window_are_dropped_and_noted_not_accused():
    head = ("회계연도,예산구분,세부사업명,통계목명,산출근거명,산출근거식,예산액,기정액,비교증감,자체재원,,\n"
            ",,,,,,,,,경정,기정,증감\n")
    text = head + (
        '2024,본예산,A 사업,사무관리비,Ο소모품,"1,000,000원","1,000",0,"1,000","1,000",0,"1,000"\n'
        '2024,본예산,B 사업,사무관리비,Ο소모품,"2,000,000원","2,000",0,"2,000","2,000",0,"2,000"\n'
        '2024,본예산,C 사업,사무관리비,Ο소모품,"3,000,000원","3,000",0,"3,000","3,000",0,"3,000"\n'
        '2024,추경1회,A 사업,사무관리비,Ο소모품,"경정 1,500,000원","1,500","1,000",500,"1,500","1,000",500\n')
    assert [f.code for f in findings(text)] == []  # A's 본예산 unit is within the default window
    units = _read(text, "x.csv", VersionIndex(window=1))
    assert [f.code for u in units for f in RULES.check(u)] == ["VER003"]  # dropped: a note, never VER001
    assert len(VersionIndex()) == 0
