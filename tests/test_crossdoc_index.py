"""Index entries: what a document keeps for the cross pass comes back as the same values, where they were read."""

from __future__ import annotations

import pickle
import random
import struct
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from auditor.crossdoc.index import EXPORT, SHEET, entry_data, entry_from_data, entry_of, index_bytes, rebuild
from auditor.model import BasisGroup, SettlementRow
from auditor.source import Amount
from auditor.readers import iter_sheets, read_bytes
from auditor.testing import generate_sheet
from auditor.testing.eho import RandomDraw, export_bytes, records

REPO = Path(__file__).resolve().parent.parent


def _rows(sheet):
    s = sheet.summary
    return [(r.item, r.previous, r.current, (r.source.line, r.source.column)) for r in (s.total, *s.rows) if r]


def _settlement(sheet):
    return [(r.year, *(getattr(r, c) for c in SettlementRow.COLUMNS), (r.source.line, r.source.column))
            for r in sheet.settlement.rows]


def _line(x):
    return (x.label, x.amount, x.previous, x.budget_kind, (x.source.line, x.source.column))


def _basis(sheet):
    return [(c.name, c.code, c.project, c.department, c.source.line, [(_line(g), [_line(i) for i in g.items])
                                                                      for g in c.groups])
            for c in sheet.basis.categories]


def assert_kept(sheet):
    made = rebuild(entry_of(sheet))
    assert made.path == sheet.path and made.title == sheet.title and made.budget_year == sheet.budget_year
    assert (made.summary.previous_year, made.summary.current_year) == (sheet.summary.previous_year,
                                                                       sheet.summary.current_year)
    assert _rows(made) == _rows(sheet)
    assert _settlement(made) == _settlement(sheet)
    assert _basis(made) == _basis(sheet)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10**6))
def test_a_generated_sheet_keeps_every_figure_the_cross_rules_read(seed):
    assert_kept(read_bytes(generate_sheet(random.Random(seed)).data, f"book/sheet_{seed}.txt"))


EXAMPLES = sorted((REPO / "examples").rglob("*.txt")) + sorted((REPO / "examples").rglob("*.csv"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.relative_to(REPO / "examples").as_posix())
def test_the_examples_keep_every_figure(path):
    for unit in iter_sheets(path, str(path)):
        assert_kept(unit)


def _unbuilt_sources(sheet) -> int:
    """How many of the sheet's 산출근거 amounts still hold their source as a recipe (not yet a Source)."""
    slot = Amount.__dict__["source"].slot
    amounts = [x.amount for c in sheet.basis.categories for g in c.groups for x in (g, *g.items) if x.amount]
    assert amounts
    return sum(type(slot.__get__(a)) is tuple for a in amounts), len(amounts)


def test_indexing_and_rebuilding_leave_sources_to_be_made_when_read():
    """entry_of reads the readers' recipes without making the Sources, and a rebuilt document holds
    recipes too (the model's lazy slots): the cross pass makes a Source only for a finding's line."""
    sheet = read_bytes(generate_sheet(random.Random(7)).data, "book/a.txt")
    before = _unbuilt_sources(sheet)
    entry = entry_of(sheet)
    assert _unbuilt_sources(sheet) == before
    made = rebuild(entry)
    unbuilt, count = _unbuilt_sources(made)
    assert unbuilt == count
    first = made.basis.categories[0].groups[0]
    assert first.amount.source.path == "book/a.txt" and first.source.line >= 1  # made on reading, as written
    assert _unbuilt_sources(made)[0] == count - 1
    assert_kept(sheet)


def test_an_export_unit_is_indexed_as_one_with_its_identity():
    data = export_bytes(list(records(RandomDraw(3), 60)))
    units = list(iter_sheets(data, "e.csv"))
    entries = index_bytes(data, "e.csv")
    assert len(entries) == len(units) > 1
    for unit, entry in zip(units, entries):
        category = unit.basis.categories[0]
        assert (entry.kind, entry.name, entry.department, entry.account, entry.year, entry.line) == (
            EXPORT, category.project.value, category.department.value, "일반회계", unit.budget_year.value,
            category.source.line)


def test_a_sheet_is_indexed_by_its_title_department_and_account():
    path = REPO / "examples" / "sheets" / "000_c6c48727fbba6ebb.txt"
    (entry,) = index_bytes(path.read_bytes(), "x.txt")
    assert (entry.kind, entry.name, entry.department, entry.account, entry.year) == (
        SHEET, "시·자치구간 협력체계 강화", "자치행정과", "일반회계", 2020)


def test_an_entry_travels_between_processes_and_shares_its_strings():
    (entry,) = index_bytes((REPO / "examples" / "sheets" / "000_c6c48727fbba6ebb.txt").read_bytes(), "x.txt")
    back = pickle.loads(pickle.dumps(entry))
    assert (back.kind, back.name, back.data) == (entry.kind, entry.name, entry.data)
    twin = pickle.loads(pickle.dumps(entry)).interned()
    assert twin.interned().department is back.interned().department
    assert twin.name == back.name and twin.name is not back.name  # a document's name is its own
    assert twin.year is back.year and twin.year > 256  # one int object per year, however many entries
    assert 0 < entry.size < 4096


def test_the_store_holds_entries_past_its_memory_in_a_file_and_gives_them_back(monkeypatch):
    from auditor.crossdoc.index import IndexStore, Rebuilt

    monkeypatch.setattr(IndexStore, "MEMORY_BYTES", 4096)
    sheets = [read_bytes(generate_sheet(random.Random(n)).data, f"s{n}.txt") for n in range(6)]
    store = IndexStore()
    made = [entry_of(s) for s in sheets]
    packed = [e.data for e in made]
    entries = [store.keep(e) for e in made]
    assert store._file is not None  # past 4 KiB: a temporary file, with the entries held before it
    assert all(e.data is None and e.bytes > 0 for e in entries)
    assert [e.packed() for e in entries] == packed
    for sheet, entry in zip(sheets, entries):
        assert Rebuilt(entry).sheet().summary == rebuild(entry_of(sheet)).summary
        assert pickle.loads(pickle.dumps(entry)).packed() == entry.packed()  # a worker's entry, or the store's
    store.close()


def test_the_store_leaves_entries_their_data_while_the_index_is_small_and_writes_them_out_in_order(monkeypatch):
    from auditor.crossdoc.index import IndexStore

    sheets = [read_bytes(generate_sheet(random.Random(n)).data, f"s{n}.txt") for n in range(6)]
    made = [entry_of(s) for s in sheets]
    packed = [e.data for e in made]
    monkeypatch.setattr(IndexStore, "MEMORY_BYTES", sum(map(len, packed[:3])))  # the fourth passes it
    store = IndexStore()
    for n, entry in enumerate(made[:3]):
        assert store.keep(entry) is entry
        assert entry.data is packed[n] and entry.store is None and store._file is None  # no copy, no file
    store.keep(made[3])
    assert store._file is not None and all(e.data is None for e in made[:4])
    assert [e.stored for e in made[:4]] == [sum(map(len, packed[:n])) << 32 | len(packed[n]) for n in range(4)]
    assert [e.bytes for e in made[:4]] == list(map(len, packed[:4]))
    store.keep(made[4]), store.keep(made[5])
    assert [e.packed() for e in made] == packed  # in the file's order, read back by offset
    store.close()
    small, alone = IndexStore(), entry_of(sheets[0])
    small.keep(alone)
    small.close()  # no file was made: the entry still holds its data
    assert alone.packed() == packed[0]


@pytest.mark.parametrize("pread", [True, False], ids=["pread", "seek and read"])
def test_the_store_reads_what_was_written_since_its_last_read(monkeypatch, pread):
    """The store reads an entry with one ``os.pread`` of its file (a seek and a read where there is none),
    flushing the file's buffer when something was written since the last read: entries written, read,
    more written and read again all come back as made (a read that did not flush fails here: the entries
    still in the buffer come back short)."""
    from auditor.crossdoc import index

    if not pread:
        monkeypatch.setattr(index, "_pread", None)
    monkeypatch.setattr(index.IndexStore, "MEMORY_BYTES", 0)
    sheets = [read_bytes(generate_sheet(random.Random(n)).data, f"s{n}.txt") for n in range(6)]
    made = [entry_of(s) for s in sheets]
    packed = [e.data for e in made]
    store = index.IndexStore()
    store.keep_all(made[:2])
    assert [e.packed() for e in made[:2]] == packed[:2]
    store.keep(made[2])
    store.keep_all(made[3:])
    assert [e.packed() for e in reversed(made)] == packed[::-1]
    assert [e.packed() for e in made] == packed
    store.close()


def test_the_lines_around_a_cross_finding_are_read_again_from_an_export(tmp_path):
    from auditor.crossdoc.pipeline import read_lines
    from auditor.discovery import Input

    data = export_bytes(list(records(RandomDraw(5), 40)))
    path = tmp_path / "e.csv"
    path.write_bytes(data)
    lines = data.decode("utf-8").splitlines()
    found = read_lines(Input(str(path), "e.csv"), {3, 17, 40})
    assert found == {3: lines[2], 17: lines[16], 40: lines[39]}
    assert read_lines(Input(str(tmp_path / "gone.csv"), "gone.csv"), {1}) == {}


# --- entries as plain data (what the results cache keeps) ---------------------------------------------

def _as_json(entry):
    import json

    return json.loads(json.dumps(entry_data(entry), ensure_ascii=False))


def _same(a, b):
    from auditor.crossdoc.index import unpack

    return ((a.kind, a.path, a.name, a.department, a.account, a.year, a.line, unpack(a))
            == (b.kind, b.path, b.name, b.department, b.account, b.year, b.line, unpack(b)))


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10**6))
def test_an_entry_comes_back_from_json_as_it_was(seed):
    entry = entry_of(read_bytes(generate_sheet(random.Random(seed)).data, "book/a.txt"))
    back = entry_from_data(_as_json(entry), "book/a.txt")
    assert _same(back, entry)
    assert rebuild(back) == rebuild(entry)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.relative_to(REPO / "examples").as_posix())
def test_every_example_document_comes_back_from_json(path):
    for unit in iter_sheets(path, str(path)):
        entry = entry_of(unit)
        assert _same(entry_from_data(_as_json(entry), str(path)), entry)


def _mutations(value, at=()):
    """Every place of ``value`` (nested lists) with a wrong value put there: another type, a position
    before the first, a list cut short, a figure that is no number."""
    if isinstance(value, list):
        yield at, value[:-1]
        yield at, "x"
        for i, v in enumerate(value):
            yield from _mutations(v, at + (i,))
    elif isinstance(value, bool) or value is None:
        yield at, 1.5
    elif isinstance(value, int):
        yield at, 0 if value >= 1 else "1"
        yield at, float(value)
    elif isinstance(value, str):
        yield at, 7
        yield at, ["x"]


def _put(value, at, new):
    if not at:
        return new
    copy = list(value)
    copy[at[0]] = _put(value[at[0]], at[1:], new)
    return copy


def test_an_entry_that_is_not_exactly_what_was_written_is_refused_never_made():
    """Each place of a stored entry, damaged one at a time: refused with ValueError (its identity when it
    is read, its figures when it is unpacked to be rebuilt), or (where the place may hold another value
    of its type, as a name or a figure can) an entry that still rebuilds."""
    import json

    path = REPO / "examples" / "sheets" / "000_c6c48727fbba6ebb.txt"
    (entry,) = index_bytes(path.read_bytes(), "x.txt")
    data = _as_json(entry)
    data[6] = json.loads(data[6])  # the projection's text, as values to damage
    refused = made = 0
    for at, new in _mutations(data):
        damaged = _put(data, at, new)
        if isinstance(damaged, list) and len(damaged) > 6 and at[:1] == (6,):
            damaged[6] = json.dumps(damaged[6], ensure_ascii=False)
        try:
            rebuild(entry_from_data(damaged, "x.txt"))  # whatever is let through is a document the pass can make
        except ValueError:
            refused += 1
            continue
        made += 1
    assert refused > 100 and made < refused
    text = json.dumps(data[6], ensure_ascii=False)
    for bad in (None, [], "x", [*data[:6]], [*data[:6], text, 1], ["공문", *data[1:6], text], [*data[:6], 3]):
        with pytest.raises(ValueError):
            entry_from_data(bad, "x.txt")
    for projection in ("[", "[3" + text[2:], "[" * 5000, json.dumps(_put(data[6], (4,), [[[2023, 1, 1, None],
                                                                               [["NaN", None, 1, 1, "x"]] * 7, [1, 1]]]))):
        with pytest.raises(ValueError):
            rebuild(entry_from_data([*data[:6], projection], "x.txt"))


# --- the packed form: made in one walk, equal to the projection ----------------------------------------

def _packed_documents(seed: int):
    """A generated sheet and the units of a generated e호조 export (decimal figures, 기정액, 추경 rows)."""
    yield read_bytes(generate_sheet(random.Random(seed)).data, "book/a.txt")
    yield from iter_sheets(export_bytes(list(records(RandomDraw(seed), 40))), "book/e.csv")


def _packed_equals_projection(sheet) -> None:
    """The entry's packed data unpacks to the reference projection (``_projection``), and its screen part
    is the one :func:`pack` makes of that projection and the one made from it as the results cache keeps
    it (JSON text)."""
    from auditor.crossdoc import index

    entry = entry_of(sheet)
    projection = index._projection(sheet)
    assert index.unpack(entry) == projection
    made = index.Entry(entry.kind, entry.path, "", "", "", entry.year, entry.line, index.pack(projection))
    kept = entry_from_data(_as_json(entry), entry.path)
    assert index.screen_data(entry) == index.screen_data(made) == index.screen_data(kept)


def _in_yuan(value, unit, odd: list):
    """A figure's value as the screen's part holds it (as written), noted in ``odd`` when it is not a whole number
    in 천원 (another unit, or a decimal's text): the document's part is then ``PACKED_AS_WRITTEN`` (written out
    here, apart from the index's own code)."""
    if value is not None and (type(value) is not int or unit is not None):
        odd.append(value)
    return value


def _screen_of(projection):
    """The screen's part as the packed form's layout says it is, from the projection (written out here,
    apart from the index's own code): each text and year ``(value, line)``, each figure ``(value, unit,
    line)``, each row's place ``(line,)``, each 산출근거 line ``(label, 금액, unit, 기정액, unit, 예산구분,
    a restating formula, line)`` and a group's items after it; ``PACKED_AS_WRITTEN`` when a figure is not a
    whole number in 천원."""
    from auditor.crossdoc.index import PACKED, PACKED_AS_WRITTEN

    odd: list = []

    def text(t):
        return None if t is None else (t[0], t[1])

    def figure(a):
        return None if a is None else (_in_yuan(a[0], a[1], odd), a[1], a[2])

    def place(p):
        return None if p is None else (p[0],)

    def row(r):
        return None if r is None else (text(r[0]), figure(r[1]), figure(r[2]), place(r[3]))

    def line(x):
        return (None if x[0] is None else x[0][0], None if x[1] is None else _in_yuan(x[1][0], x[1][1], odd),
                None if x[1] is None else x[1][1], None if x[2] is None else _in_yuan(x[2][0], x[2][1], odd),
                None if x[2] is None else x[2][1], None if x[3] is None else x[3][0],
                None if x[4] is None else x[4][0], None if x[5] is None else x[5][0])

    _, title, year, (previous_year, current_year, total, rows), settlement, (basis_year, at, categories) = projection
    part = (text(title), text(year), (text(previous_year), text(current_year), row(total),
                                      tuple(row(r) for r in rows)),
            tuple((text(y), tuple(figure(a) for a in amounts), place(p)) for y, amounts, p in settlement),
            (text(basis_year), place(at), tuple(
                (*(text(t) for t in c[:4]), place(c[4]), tuple((*line(g), tuple(line(i) for i in g[6])) for g in c[5]))
                for c in categories)))
    return _flattened((PACKED_AS_WRITTEN if odd else PACKED, *part))


def _flattened(part):
    """The screen's part as it is packed, from its nested form (written out here, apart from the index's own code):
    each text's or year's value and line, each figure's value, unit and line, each place's line held in turn in the
    tuple of the part that holds it (None for each item of a value absent); the 산출근거 lines as they are."""
    def pair(t):
        return (None, None) if t is None else t

    def triple(a):
        return (None, None, None) if a is None else a

    def place(p):
        return None if p is None else p[0]

    def row(r):
        return None if r is None else (*pair(r[0]), *triple(r[1]), *triple(r[2]), place(r[3]))

    form, title, year, (previous_year, current_year, total, rows), settlement, (basis_year, at, categories) = part
    return (form, *pair(title), *pair(year),
            (*pair(previous_year), *pair(current_year), row(total), tuple(row(r) for r in rows)),
            tuple((*pair(y), *(v for a in amounts for v in triple(a)), place(p)) for y, amounts, p in settlement),
            (*pair(basis_year), place(at),
             tuple((*pair(c[0]), *pair(c[1]), *pair(c[2]), *pair(c[3]), place(c[4]), c[5]) for c in categories)))


def test_the_screen_part_holds_each_value_with_its_line_and_no_more():
    """The layout the cross screen (and its code generator) reads: the values and lines only; the
    columns and texts as written are in the details, which only unpack reads."""
    from auditor.crossdoc import index

    figures = []
    for seed in range(6):
        for sheet in _packed_documents(seed):
            screen = index.screen_data(entry_of(sheet))
            assert screen == _screen_of(index._projection(sheet))
            figures += [r[k:k + 3] for r in (screen[5][4], *screen[5][5]) if r for k in (2, 5)]
            figures += [row[k:k + 3] for row in screen[6] for k in range(2, 23, 3)]
    assert figures and all((a[0] is None) == (a[2] is None) and a[1] is None for a in figures)
    assert all(type(a[2]) is int for a in figures if a[0] is not None)



@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10**6))
def test_the_nested_form_by_slices_is_the_tested_one(seed):
    """``_nested`` (slices of a part made in this run: a flagged document's details and rebuilding read it) gives what
    ``_checked_nested`` (each value's items tested) gives, with and without its details, and ``_flat`` of either is
    the part again; on the examples too."""
    from auditor.crossdoc import index

    documents = [*_packed_documents(seed), *(u for path in EXAMPLES for u in iter_sheets(path, str(path)))]
    for sheet in documents:
        for entry in (entry_of(sheet), entry_of(sheet, None, False)):
            part = index.screen_data(entry)
            assert index._nested(part) == index._checked_nested(part)
            assert index._flat(index._nested(part)) == part

@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10**6))
def test_the_packed_entry_holds_exactly_the_projection(seed):
    for sheet in _packed_documents(seed):
        _packed_equals_projection(sheet)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.relative_to(REPO / "examples").as_posix())
def test_every_example_document_packs_to_its_projection(path):
    for unit in iter_sheets(path, str(path)):
        _packed_equals_projection(unit)


def test_a_packed_entry_that_drops_a_figure_is_caught(monkeypatch):
    """The comparison above fails when the one-walk packing loses a line's 기정액 (broken on purpose)."""
    from auditor.crossdoc import index

    item_lines = index._item_lines

    def no_previous(details, lines, odd):
        return tuple((label, amount, unit, None, None, *rest)
                     for label, amount, unit, previous, previous_unit, *rest in item_lines(details, lines, odd))

    monkeypatch.setattr(index, "_group_lines", index._parts(BasisGroup, no_previous))
    monkeypatch.setattr(index, "_walk", index._made_walk())  # the walk calls the group loop it was made with
    with pytest.raises(AssertionError):
        for seed in range(10):
            for sheet in _packed_documents(seed):
                _packed_equals_projection(sheet)


# --- the packed bytes: the walk written out against the format written plainly ---------------------------

def _reference_packed(sheet) -> bytes:
    """The packed bytes of ``sheet`` as the format says they are, written plainly (one helper a value,
    one a 산출근거 line, with the projection's own helpers), apart from the index's written-out walk: each
    kind's details in the projection's order; a line's rest is 7 values (label's line, column, text or
    None; 금액's line, column, text; the line's column) when its label and place are the reader's recipes
    and it has a 금액 and no 기정액, 예산구분 or restating formula, else 16 (None for each part absent)."""
    import marshal
    import struct

    from auditor.crossdoc import index

    figures, texts, years, places, lines, odd = [], [], [], [], [], []

    def source(s):
        return (s[1], s[2], s[3]) if type(s) is tuple else (s.line, s.column, s.text)

    def figure(a):
        if a is None:
            return None
        value, unit, line, column, text = index._amount(a)
        figures.extend((column, text))
        return (_in_yuan(value, unit, odd), unit, line)

    def text(t, kept=texts):
        if t is None:
            return None
        value, line, column, written = index._text(t) if kept is texts else index._year(t)
        kept.extend((column, written))
        return (value, line)

    def place(p):
        if p is None:
            return None
        line, column = index._place(p)
        places.append(column)
        return (line,)

    def line(x, items):
        t, a, at, f = x._recipe_label, x.amount, x._recipe_source, x._recipe_formula
        label, amount, previous, kind = index._text(t), index._amount(a), index._amount(x.previous), index._text(
            x.budget_kind)
        formula, where = index._restating(f), index._place(at)
        if (type(t) is tuple and type(at) is tuple and amount is not None and previous is None and kind is None
                and formula is None):
            lines.append((*label[1:], *amount[2:], where[1]))
        else:
            parts = [(label or (None,) * 4)[1:], (amount or (None,) * 5)[2:], (previous or (None,) * 5)[2:],
                     (kind or (None,) * 4)[1:], (formula or (None,) * 4)[1:], (None if where is None else where[1],)]
            lines.append(tuple(v for part in parts for v in part))
        made = (None if label is None else label[0], *(_in_yuan(*(amount or (None,) * 2)[:2], odd),
                                                         (amount or (None,) * 2)[1]),
                *(_in_yuan(*(previous or (None,) * 2)[:2], odd), (previous or (None,) * 2)[1]),
                None if kind is None else kind[0], None if formula is None else formula[0],
                None if where is None else where[0])
        return (*made, tuple(line(i, False) for i in x.items)) if items else made

    def row(r):
        return None if r is None else (text(r._recipe_item), figure(r.previous), figure(r.current),
                                       place(r._recipe_source))

    s, b = sheet.summary, sheet.basis
    head = (text(sheet.title), text(sheet.budget_year, years),
            (text(s.previous_year, years), text(s.current_year, years), row(s.total), tuple(row(r) for r in s.rows)),
            tuple((text(r.year, years), tuple(figure(getattr(r, c)) for c in SettlementRow.COLUMNS),
                   place(r._recipe_source)) for r in sheet.settlement.rows),
            (text(b.year, years), place(b._recipe_source), tuple(
                (text(c._recipe_name), text(c.code), text(c.project), text(c.department), place(c._recipe_source),
                 tuple(line(g, True) for g in c.groups)) for c in b.categories)))
    head = marshal.dumps(_flattened((index.PACKED_AS_WRITTEN if odd else index.PACKED, *head)), 2)
    return struct.pack("<I", len(head)) + head + marshal.dumps((figures, texts, years, places, lines), 2)


def _packed_as_written(sheet) -> None:
    packed = _reference_packed(sheet)
    assert entry_of(sheet).data == packed
    # made without its details (as a check run makes it): the screen's part alone, the same bytes
    assert entry_of(sheet, None, False).data == packed[:4 + struct.unpack_from("<I", packed)[0]]


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10**6), st.booleans())
def test_the_walk_packs_the_bytes_the_format_says(seed, checked):
    """Byte for byte, on a generated sheet and export as read, or after the rules read them (their
    values' Sources then made, not recipes)."""
    from auditor.engine import load_ruleset

    rules = load_ruleset() if checked else None
    for sheet in _packed_documents(seed):
        if rules is not None:
            rules.check(sheet)
        _packed_as_written(sheet)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.relative_to(REPO / "examples").as_posix())
def test_every_example_document_packs_the_bytes_the_format_says(path):
    for unit in iter_sheets(path, str(path)):
        _packed_as_written(unit)


@pytest.mark.parametrize("mark", [0, 4096, 1 << 20], ids=["in the file", "past the mark", "in memory"])
def test_a_files_entries_are_kept_with_one_write_as_each_would_be(monkeypatch, mark):
    """IndexStore.keep_all (what CrossPass.take uses) holds each entry where keep() of each interned()
    entry would, shares its strings as interned() does, and gives the data back: with the index in its
    file from the start, passing the mark on the way, and all in memory."""
    import sys

    from auditor.crossdoc.index import IndexStore

    monkeypatch.setattr(IndexStore, "MEMORY_BYTES", mark)
    sheets = [read_bytes(generate_sheet(random.Random(n)).data, f"s{n}.txt") for n in range(5)]
    data = [entry_of(s).data for s in sheets]
    one, each = IndexStore(), IndexStore()
    # as a worker hands them back: strings not shared with anything
    kept = one.keep_all([entry_of(sheets[0])]) + one.keep_all([pickle.loads(pickle.dumps(entry_of(s)))
                                                              for s in sheets[1:]])
    alone = [each.keep(pickle.loads(pickle.dumps(entry_of(s))).interned()) for s in sheets]
    assert [e.stored for e in kept] == [e.stored for e in alone] and one.end == each.end
    assert [e.packed() for e in kept] == [e.packed() for e in alone] == data
    assert [(e.data is None, e.store is one) for e in kept] == [(e.data is None, e.store is each) for e in alone]
    assert all(e.data is None and e.store is one for e in kept) == (mark < 1 << 20)
    assert all(getattr(e, f) is sys.intern(getattr(e, f)) for e in kept for f in ("kind", "department", "account"))
    # a file's path and a document's name are no other file's: not interned (each was a slot in the table)
    # (a copy of one made afresh, interned, is not it; it would be, had the entry's been interned)
    assert not any(getattr(e, f) is sys.intern("".join(list(getattr(e, f)))) for e in kept for f in ("path", "name"))
    one.close(), each.close()


def _every_value_made(sheet) -> None:
    """Make every lazy value the entry reads (each label, formula and Source), as findings and ``auditor
    parse`` make them: the packing then takes its general branches, where the readers' recipes are gone."""
    s = sheet
    values = [s.title, s.budget_year, s.summary.previous_year, s.summary.current_year, s.basis.year, s.basis]
    for r in (s.summary.total, *s.summary.rows):
        if r is not None:
            values += [r, r.item, r.previous, r.current]
    for r in s.settlement.rows:
        values += [r, r.year, *(getattr(r, c) for c in SettlementRow.COLUMNS)]
    for c in s.basis.categories:
        values += [c, c.name, c.code, c.project, c.department]
        for g in c.groups:
            for x in (g, *g.items):
                values += [x, x.label, x.formula, x.amount, x.previous, x.budget_kind]
    for v in values:
        if v is not None:
            assert v.source is not None or v is s.basis


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10**6))
def test_the_walk_packs_the_bytes_the_format_says_with_every_value_made(seed):
    """Byte for byte when nothing is left as the reader's recipe (a sheet's line then keeps 16 details)."""
    for sheet in _packed_documents(seed):
        _every_value_made(sheet)
        _packed_as_written(sheet)


@pytest.mark.parametrize("broken", [
    ("kind_column, None if kind_text == kind else kind_text, None, None, None, place[2]",
     "kind_column, kind_text, None, None, None, place[2]"),
    ("amount_column, amount_text, previous_line, previous_column, previous_text, kind_line,",
     "amount_column, amount_text, previous_line, previous_text, previous_column, kind_line,"),
], ids=["예산구분's text kept when it is the value", "기정액's column and text swapped"])
def test_an_export_row_packed_wrongly_is_caught(monkeypatch, broken):
    """The bytes held to the format fail when the e호조 rows' branch of the lines' loop is broken on purpose."""
    from auditor.crossdoc import index

    old, new = broken
    assert index._PARTS.count(old) == 1
    monkeypatch.setattr(index, "_PARTS", index._PARTS.replace(old, new))
    items = index._parts(index.BasisItem)
    monkeypatch.setattr(index, "_group_lines", index._parts(BasisGroup, items))
    monkeypatch.setattr(index, "_walk", index._made_walk())
    with pytest.raises(AssertionError):
        for seed in range(5):
            for sheet in _packed_documents(seed):
                _packed_as_written(sheet)


def test_the_packed_walk_is_the_module_written_from_the_snippets():
    """auditor/crossdoc/packing.py is what index.written_packing() writes (scripts/gen_packing.py), and the
    entries are made by its functions; the same functions made from the text give the same bytes."""
    from auditor.crossdoc import index, packing

    written = Path(packing.__file__).read_text(encoding="utf-8")
    assert written == index.written_packing(), "auditor/crossdoc/packing.py is stale: run python scripts/gen_packing.py"
    assert (index._walk, index._group_lines, index._item_lines) == (packing.walk, packing.group_lines,
                                                                     packing.item_lines)
    assert (index._screen_walk, index._group_heads, index._item_heads) == (packing.screen_walk, packing.group_heads,
                                                                          packing.item_heads)
    walk, screen_walk = index._made_walk(), index._made_screen_walk()
    for seed in range(3):
        for sheet in _packed_documents(seed):
            assert walk(sheet) == index._walk(sheet) == _reference_packed(sheet)
            assert screen_walk(sheet) == index._screen_walk(sheet) == entry_of(sheet, None, False).data


@pytest.mark.parametrize("broken", [
    ("previous, previous_unit = previous.value, previous.unit", "previous, previous_unit = None, None"),
    ("kind, formula, placeITEMS", "kind, None, placeITEMS"),
    ("kind = kind[0] if type(kind) is tuple else kind.value", "kind = None"),
], ids=["e호조 기정액", "a restating formula", "예산구분"])
def test_a_screen_walk_broken_on_purpose_is_caught(monkeypatch, broken):
    """Entries made without details are held to the format's first part: a line's value dropped from the
    screen's walk (broken on purpose) is caught on generated sheets and exports."""
    from auditor.crossdoc import index

    old, new = broken
    assert index._SCREEN_PARTS.count(old) == 1
    monkeypatch.setattr(index, "_SCREEN_PARTS", index._SCREEN_PARTS.replace(old, new))
    monkeypatch.setattr(index, "_group_heads", index._screen_parts(index._screen_parts()))
    monkeypatch.setattr(index, "_screen_walk", index._made_screen_walk())
    with pytest.raises(AssertionError):
        for seed in range(10):
            for sheet in _packed_documents(seed):
                _packed_as_written(sheet)
        for path in EXAMPLES:  # a restating formula: the e호조 examples
            for unit in iter_sheets(path, str(path)):
                _packed_as_written(unit)


@pytest.mark.parametrize("old, new", [
    ("사무관리비\t(x-) 36,327\t(x-) 50,440", "사무관리비\t(x-) 36,327\t(x-) 50,440.5"),
    ("= 6,294천원", "= 6,294,000원"),
], ids=["a summary figure not whole", "a 산출근거 figure in 원"])
def test_a_figure_not_whole_in_thousands_packs_as_written_by_either_walk(old, new):
    """A figure not a whole number in 천원 makes the screen's part PACKED_AS_WRITTEN (the screen, which reads every
    figure of a PACKED part times 1,000 unchecked, leaves its project to the model), in the entry made with its
    details and in the one a check run makes without them (the screen walk's own snippets): the same bytes."""
    from auditor.crossdoc.index import PACKED_AS_WRITTEN, screen_data

    text = (REPO / "examples" / "multiyear" / "2024" / "0001.txt").read_text(encoding="utf-8")
    assert text.count(old) == 1
    (sheet,) = iter_sheets(text.replace(old, new).encode(), "a.txt")
    _packed_as_written(sheet)
    assert screen_data(entry_of(sheet, None, False))[0] == PACKED_AS_WRITTEN == screen_data(entry_of(sheet))[0]
