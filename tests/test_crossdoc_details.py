"""An index entry made in a check run holds the screen's part alone; the details (each value's column and text
as written) are made again from the files for the projects the screen flags (``crossdoc.pipeline.Reindex``).

These tests hold the re-made details to those the same document's entry holds when it is made with them as it
is checked, and the cross findings of a run with re-made details to those of the pass over entries made whole.
"""

from __future__ import annotations

import json
import struct
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from auditor.crossdoc import index
from auditor.crossdoc.cross import cross_check
from auditor.crossdoc.identity import Identity
from auditor.crossdoc.index import (EXPORT, PACKED, PACKED_AS_WRITTEN, NoDetails, entry_data, entry_from_data,
                                    entry_of, has_details, screen_data, unpack)
from auditor.crossdoc import details, pipeline
from auditor.crossdoc.pipeline import CrossPass, Reindex, _from_lines
from auditor.discovery import Input
from auditor.engine import load_ruleset
from auditor.readers import iter_sheets
from auditor.result import KEEP_NONE
from auditor.runner import INDEX_ALL, check_one
from auditor.testing.years import generate_book

RULES = load_ruleset()
REPO = Path(__file__).resolve().parent.parent
SETTINGS = settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
books = st.builds(lambda seed, projects, years: (seed, projects, years),
                  st.integers(0, 10**6), st.integers(2, 4), st.integers(2, 4))


def _inputs(files: dict[str, bytes]) -> dict[str, Input]:
    return {path: Input(path, path, data=data) for path, data in sorted(files.items())}


def _whole_and_lean(sources: dict[str, Input]) -> tuple[list, list]:
    """Each document's entry made with its details as it is checked, and the entry a check run makes."""
    whole, lean = [], []
    for item in sources.values():
        for sheet in iter_sheets(item.data, item.display):
            RULES.check(sheet)  # as a run leaves the values (some Sources made)
            whole.append(entry_of(sheet))
        checked, _ = check_one(item, RULES, KEEP_NONE, INDEX_ALL)
        lean += checked.index
    return whole, lean


def _findings(result) -> list:
    """Every field of each finding: lines, columns, messages (with the texts as written), related lines."""
    return [tuple(getattr(f, name) for name in type(f).__slots__ if name != "__weakref__") for f in result.findings]


def _book_files(seed: int, projects: int, years: int) -> dict[str, bytes]:
    return generate_book(seed, projects=projects, years=years, inject=True).files


def _assert_remade(sources: dict[str, Input]) -> None:
    whole, lean = _whole_and_lean(sources)
    assert [(e.kind, e.path, e.line) for e in whole] == [(e.kind, e.path, e.line) for e in lean]
    reindex = Reindex(sources)
    reindex.want(lean)
    for w, e in zip(whole, lean):
        assert not has_details(e)
        with pytest.raises(NoDetails):
            unpack(e)
        assert screen_data(e) == screen_data(w)
        fresh = reindex(e)
        assert fresh is not None and has_details(fresh)
        assert fresh.packed() == w.packed()  # both parts, byte for byte
        assert unpack(fresh) == unpack(w)


@SETTINGS
@given(books)
def test_the_details_made_again_are_those_made_as_the_document_is_checked(drawn):
    _assert_remade(_inputs(_book_files(*drawn)))


def test_the_details_made_again_on_the_examples():
    files = {p.relative_to(REPO).as_posix(): p.read_bytes()
             for p in sorted((REPO / "examples").rglob("*")) if p.suffix in (".txt", ".csv")}
    _assert_remade(_inputs(files))


def _cross_both(files: dict[str, bytes], identity: Identity) -> tuple[list, list]:
    sources = _inputs(files)
    whole, _ = _whole_and_lean(sources)
    reference = _findings(cross_check(whole, RULES, identity))
    cross = CrossPass(RULES, identity)
    for item in sources.values():
        checked, _ = check_one(item, RULES, KEEP_NONE, INDEX_ALL)
        cross.take(checked)
    cross.run(sources=sources)
    return reference, _findings(cross.result)


@SETTINGS
@given(books)
def test_a_run_with_details_made_again_finds_what_the_whole_entries_find(drawn):
    """Lines, columns, texts and related lines of every cross finding, on a book with a cross fault in every
    project (every project flagged: every document's details made again)."""
    book = generate_book(drawn[0], projects=drawn[1], years=drawn[2], inject=True)
    reference, found = _cross_both(book.files, Identity.from_table(book.identity))
    assert found == reference and reference


def _from_lines_all(sources: dict[str, Input]) -> None:
    """Each file's documents' details made from only the lines their screen parts name (no reader, no
    fallback to it), byte for byte those made as each document is checked."""
    whole, lean = _whole_and_lean(sources)
    made = {(w.path, w.kind, w.line): w.packed() for w in whole}
    for path, item in sources.items():
        mine = [e for e in lean if e.path == path]
        if not mine:
            continue
        got = _from_lines(item, mine)
        assert got is not None, path  # every document of these files made from its lines
        for (kind, line), e in got.items():
            assert e.packed() == made[(path, kind, line)], (path, kind, line)


@SETTINGS
@given(books)
def test_the_details_made_from_the_named_lines_are_those_made_as_the_document_is_checked(drawn):
    """Generated books with a cross fault in every project (sheets, e호조 exports and 추경 exports)."""
    _from_lines_all(_inputs(_book_files(*drawn)))


def test_the_details_made_from_the_named_lines_on_every_example():
    files = {p.relative_to(REPO).as_posix(): p.read_bytes()
             for p in sorted((REPO / "examples").rglob("*")) if p.suffix in (".txt", ".csv")}
    _from_lines_all(_inputs(files))


def _shifted_figure(made: tuple) -> tuple:
    return (made[0], made[1], made[2], made[3], made[4] + 1, *made[5:])  # the amount's column one right


def _text_of_the_next_line(lines):
    def broken(made: tuple) -> tuple:
        n, column, label = made[0], made[1], made[2]
        return (n, column, lines[0][n][column - 1:column + 3], *made[3:])  # the label's text from line n + 1
    return broken


@pytest.mark.parametrize("where, how", [
    ("sheet", "column"), ("sheet", "text"), ("export", "column"), ("export", "text")])
def test_a_detail_made_from_its_lines_wrong_is_caught(monkeypatch, where, how):
    """Broken on purpose in the line reading (a 산출근거 line's amount one column right; its label's text
    taken from the next line): the details differ from those made as each document is checked."""
    book = generate_book(7, projects=3, years=3, inject=True)
    sources = _inputs({p: d for p, d in book.files.items() if p.endswith(".csv" if where == "export" else ".txt")})
    seen: list = [None]
    if where == "sheet":
        original = details._basis_line

        def broken_line(x, lines):
            seen[0] = lines
            made = original(x, lines)
            return _shifted_figure(made) if how == "column" else _text_of_the_next_line(seen)(made)

        monkeypatch.setattr(details, "_basis_line", broken_line)
    else:
        original = details.ExportLines._record

        def broken_record(self, x, cells, line):
            seen[0] = self.lines
            made = original(self, x, cells, line)
            return _shifted_figure(made) if how == "column" else _text_of_the_next_line(seen)(made)

        monkeypatch.setattr(details.ExportLines, "_record", broken_record)
    with pytest.raises(AssertionError):
        _from_lines_all(sources)


def test_a_detail_made_again_wrong_is_caught(monkeypatch):
    """Broken on purpose: the re-made entries' first figure one column to the right (the file read whole by
    the reader, where the details cannot be made from the lines alone)."""
    book = generate_book(7, projects=3, years=3, inject=True)
    right = _cross_both(book.files, Identity.from_table(book.identity))
    assert right[0] == right[1]
    monkeypatch.setattr(pipeline, "_from_lines", lambda source, entries: None)
    made = index.entry_of

    def shifted(sheet, account=None, details=True):
        entry = made(sheet, account, details)
        if details:
            data = entry.data
            (length,) = struct.unpack_from("<I", data)
            import marshal
            figures, texts, years, places, lines = marshal.loads(data[4 + length:])
            if figures:
                figures[0] += 1
            if lines:
                lines[0] = (lines[0][0], lines[0][1] + 1, *lines[0][2:])
            entry.data = data[:4 + length] + marshal.dumps((figures, texts, years, places, lines), 2)
        return entry

    monkeypatch.setattr(index, "entry_of", shifted)
    with pytest.raises(AssertionError):
        _assert_remade(_inputs(book.files))
    wrong = _cross_both(book.files, Identity.from_table(book.identity))
    assert wrong[1] != wrong[0]


def test_a_document_whose_file_is_gone_keeps_its_values_and_lines():
    """No file to make the details again from: the document is made of its screen part (column 1), its
    cross findings still made on their lines."""
    book = generate_book(11, projects=3, years=3, inject=True)
    identity = Identity.from_table(book.identity)
    reference, _ = _cross_both(book.files, identity)
    cross = CrossPass(RULES, identity)
    for item in _inputs(book.files).values():
        checked, _ = check_one(item, RULES, KEEP_NONE, INDEX_ALL)
        cross.take(checked)
    cross.run(sources={})
    found = _findings(cross.result)
    fields = [n for n in type(cross.result.findings[0]).__slots__ if n != "__weakref__"]
    kept = [fields.index(n) for n in ("code", "path", "line", "key")]
    assert [[f[n] for n in kept] for f in found] == [[f[n] for n in kept] for f in reference]


def test_an_export_is_read_again_once_and_only_its_wanted_units_are_made(monkeypatch):
    book = generate_book(3, projects=4, years=2)
    sources = _inputs(book.files)
    _, lean = _whole_and_lean(sources)
    exports = [e for e in lean if e.kind == EXPORT]
    path = max({e.path for e in exports}, key=lambda p: sum(e.path == p for e in exports))
    units = [e for e in exports if e.path == path]
    assert len(units) > 1
    made, reads = [], []
    original_entry, original_iter = index.entry_of, iter_sheets

    def counting_entry(sheet, *args):
        made.append(sheet)
        return original_entry(sheet, *args)

    def counting_iter(*args, **kwargs):
        reads.append(args[1])
        return original_iter(*args, **kwargs)

    monkeypatch.setattr(index, "entry_of", counting_entry)
    monkeypatch.setattr("auditor.readers.iter_sheets", counting_iter)
    reindex = Reindex(sources)
    reindex.want(units[1:2])
    assert reindex(units[1]) is not None
    assert reindex(units[1]) is not None
    assert reads == [] and made == []  # the unit made from its lines: no reader, no walk
    monkeypatch.setattr(pipeline, "_from_lines", lambda source, entries: None)
    reindex = Reindex(sources)
    reindex.want(units[1:2])
    assert reindex(units[1]) is not None
    assert reads == [] and len(made) == 1  # else read alone, not through the whole file's stream


def _export_files() -> dict[str, bytes]:
    files = {p.relative_to(REPO).as_posix(): p.read_bytes() for p in sorted((REPO / "examples").rglob("*.csv"))}
    for seed in range(3):
        book = generate_book(seed, projects=4, years=2, inject=True)
        files.update({f"book{seed}/{path}": data for path, data in book.files.items() if path.endswith(".csv")})
    return files


def test_each_unit_read_alone_gives_what_the_whole_export_gives():
    """Every unit of every example and generated export, read alone, gives the entry (both parts, byte for
    byte) that reading its whole file gives, with no file read whole for want of it."""
    sources = _inputs(_export_files())
    for path, item in sources.items():
        _, lean = _whole_and_lean({path: item})
        reindex = Reindex({path: item})
        reindex.want(lean)
        alone = reindex._units_alone(item, sorted(e.line for e in lean))
        assert alone is not None, path
        whole = Reindex({path: item})._fresh(path)  # no want(): every document of the file read whole
        assert {k: e.packed() for k, e in alone.items()} == {k: e.packed() for k, e in whole.items()}


def test_a_unit_read_alone_that_differs_from_its_entry_reads_the_file_whole(monkeypatch):
    """Broken on purpose: the unit read alone without the file's first record (its 예산연도 then on another
    line): the screen part differs from the entry's, so the file is read whole, and the details are right."""
    import itertools

    path = "examples/multiyear/2023/e호조_2023.csv"
    sources = _inputs({path: (REPO / path).read_bytes()})
    whole, lean = _whole_and_lean(sources)
    chain = itertools.chain

    def without_first_record(head, rest):
        return chain([x for x in head if x[0] < 3], rest)

    from auditor.crossdoc import pipeline

    monkeypatch.setattr(pipeline, "itertools", type("broken", (), {"chain": staticmethod(without_first_record)}))
    reindex = Reindex(sources)
    reindex.want(lean[1:])  # the first record then read only for the file's 회계연도
    assert reindex._units_alone(sources[path], sorted(e.line for e in lean[1:])) is None
    for w, e in zip(whole[1:], lean[1:]):
        assert reindex(e).packed() == w.packed()


def test_the_results_cache_keeps_an_entry_without_details_as_its_screen_part():
    files = {p.relative_to(REPO).as_posix(): p.read_bytes() for p in sorted((REPO / "examples" / "multiyear").rglob("*.txt"))}
    sources = _inputs(files)
    whole, lean = _whole_and_lean(sources)
    reindex = Reindex(sources)
    for w, e in zip(whole, lean):
        kept = entry_from_data(json.loads(json.dumps(entry_data(e), ensure_ascii=False)), e.path)
        assert not has_details(kept)
        assert screen_data(kept) == screen_data(e) == screen_data(w)
        with pytest.raises(NoDetails):
            unpack(kept)
        assert unpack(reindex(kept)) == unpack(w)
        wanted = Reindex(sources)  # named before: its details made from the lines its screen part names
        wanted.want([kept])
        assert unpack(wanted(kept)) == unpack(w)


def test_a_file_changed_since_it_was_checked_gives_no_wrong_details():
    """A figure on a line an entry names changed since the file was checked: its details are not made from
    the lines (the value is not there), nor taken from the file read whole (its screen part differs): the
    document is made of its screen part (cross.py). A file gone likewise; a file unchanged gives them."""
    path = "examples/multiyear/2024/0001.txt"
    data = (REPO / path).read_bytes()
    sources = _inputs({path: data})
    whole, lean = _whole_and_lean(sources)
    (e,) = lean
    amount, _, n = screen_data(e)[5][4][5:8]  # the 예산 총괄 합계's B, on line n
    lines = data.split(b"\n")
    written = f"{amount:,}".encode()
    assert written in lines[n - 1]
    lines[n - 1] = lines[n - 1].replace(written, f"{amount + 1:,}".encode())
    changed = b"\n".join(lines)
    for files, right in (({path: changed}, False), ({}, False), ({path: data}, True)):
        reindex = Reindex(_inputs(files))
        reindex.want(lean)
        if files:
            assert (_from_lines(_inputs(files)[path], lean) is not None) == right
        got = reindex(e)
        assert (got is not None and got.packed() == whole[0].packed()) if right else got is None


@pytest.mark.parametrize("bad", [
    lambda d: d.__setitem__(2, 0) if d[1] else d.__setitem__(0, 99),  # a line before the first
    lambda d: d.__setitem__(0, "3"),
    # PACKED says every figure is whole in 천원, which the screen reads times 1,000 without a test: a cached
    # part that says so of a figure in 원, or of a decimal kept as its text, is refused
    lambda d: d[5][4].__setitem__(6, "원"),
    lambda d: d[5][4].__setitem__(5, "1.5"),
    lambda d: d.__setitem__(6, [[None] * (2 + 3 * 6 + 1)]),  # a 결산 row of six columns
    lambda d: d[7][3].append(["x", None, None, None, None, None, None, None, None, []]),  # a name without its line
    lambda d: d[5][4].__setitem__(7, None),  # a figure without its line
    lambda d: d[5].append(None),  # a 예산 총괄 of another length
])
def test_a_damaged_screen_part_in_the_cache_is_a_value_error(bad):
    """Each damaged shape refused; the same figures kept as PACKED_AS_WRITTEN (figures as written) are read."""
    path = REPO / "examples" / "multiyear" / "2024" / "0001.txt"
    (sheet,) = iter_sheets(path.read_bytes(), "a.txt")
    data = entry_data(entry_of(sheet, None, False))
    screen = json.loads(data[6])
    bad(screen)
    kept = entry_from_data([*data[:6], json.dumps(screen, ensure_ascii=False)], "a.txt")
    with pytest.raises(ValueError):
        screen_data(kept)


def test_a_cached_screen_part_as_written_keeps_its_figures():
    """A cached screen part that says its figures are as written (PACKED_AS_WRITTEN) is read with a figure in
    원 or a decimal's text as it holds them (the screen then leaves its project to the model path)."""
    path = REPO / "examples" / "multiyear" / "2024" / "0001.txt"
    (sheet,) = iter_sheets(path.read_bytes(), "a.txt")
    data = entry_data(entry_of(sheet, None, False))
    screen = json.loads(data[6])
    assert screen[0] == PACKED
    screen[0] = PACKED_AS_WRITTEN
    screen[5][4][5], screen[5][4][6] = "1.5", "원"
    kept = entry_from_data([*data[:6], json.dumps(screen, ensure_ascii=False)], "a.txt")
    head = screen_data(kept)
    assert head[0] == PACKED_AS_WRITTEN and head[5][4][5:7] == ("1.5", "원")
