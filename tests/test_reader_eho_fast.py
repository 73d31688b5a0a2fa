"""The e호조 reader's fast path (RowReader.read_written, the formulas' calc kept by text, the model made with
the readers' constructors) against the reference (``EhoReader(fast=False)``: every record through
RowReader.read, the model through attrs): the same units, values, sources, calc, 원 values and halves,
bases, problems, ``auditor parse`` output and ``auditor check`` report, on the examples and samples, on
generated exports of every generator (plain, 합본 books with 추경 and 간주 rounds, their pandas-saved
twins, one-fault copies), on damaged and noisy records, and on hypothesis's exports."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from auditor.readers.dump import to_data
from auditor.readers.eho import EhoReader, whole
from auditor.readers.lines import LineStream
from auditor.source import Amount
from auditor.testing.eho import RandomDraw, export_bytes, records, write_export
from auditor.testing.eho_books import book, book_text, faults, twin_text
from strategies_eho import exports

ROOT = Path(__file__).resolve().parent.parent
EXPORTS = sorted((ROOT / "examples" / "eho").glob("*.csv")) + sorted(Path("/work/shared/samples").glob("*.csv"))
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def read(data: bytes, fast: bool, path: str = "export.csv", keep_lines: bool = False) -> EhoReader:
    raw = io.BytesIO(data)
    return EhoReader(path, LineStream(raw, raw.readline()), fast=fast, keep_lines=keep_lines)


def amounts(obj, seen: set[int]):
    """Every Amount under a model object, with its 원 value and half (which equality does not compare)."""
    if id(obj) in seen or obj is None or isinstance(obj, (str, int, Decimal, Fraction)):
        return
    seen.add(id(obj))
    if isinstance(obj, Amount):
        yield (obj.value, type(obj.value), obj.unit, obj.source, obj.exact, type(obj.exact), obj.half)
        return
    if isinstance(obj, (tuple, list)):
        for x in obj:
            yield from amounts(x, seen)
        return
    for name in getattr(type(obj), "__attrs_attrs__", ()):
        yield from amounts(getattr(obj, name.name), seen)


def rows(unit):
    for category in unit.basis.categories:
        for group in category.groups:
            yield group
            yield from group.items
            yield from group.unchanged


def facts(unit) -> list:
    """What equality leaves out: each row's calc (value and its type), every Amount's 원 value and half."""
    out = [(r.calc, type(r.calc.value) if r.calc is not None else None) for r in rows(unit)]
    out.extend(amounts(unit, set()))
    return out


def assert_same(data: bytes, path: str = "export.csv") -> int:
    """The fast path and the reference read ``data`` alike, unit by unit and whole; returns the rows read."""
    fast, reference = list(read(data, True, path)), list(read(data, False, path))
    assert fast == reference
    assert [facts(u) for u in fast] == [facts(u) for u in reference]
    assert [u.problems for u in fast] == [u.problems for u in reference]
    as_parsed = [json.dumps(to_data(whole(read(data, f, path, keep_lines=True))), ensure_ascii=False, sort_keys=True)
                 for f in (True, False)]
    assert as_parsed[0] == as_parsed[1]
    return sum(1 for u in fast for _ in rows(u))


def fast_share(data: bytes) -> float:
    """How many of the records the fast path read (the rest fell back to the reference)."""
    reader = read(data, True)
    taken = [0, 0]
    rows_reader = None

    for _ in reader:
        if rows_reader is None and reader.rows is not None:
            rows_reader = reader.rows
            plain = rows_reader.read_written

            def counted(*args):
                found = plain(*args)
                taken[found is not None] += 1
                return found
            rows_reader.read_written = counted
    return taken[1] / max(1, sum(taken))


@pytest.mark.parametrize("path", EXPORTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_the_examples_and_samples_read_alike(path):
    assert assert_same(path.read_bytes(), path.name) > 0


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_generated_exports_read_alike_and_mostly_by_the_fast_path(tmp_path, seed):
    path = tmp_path / "export.csv"
    write_export(str(path), 1500, seed=seed)
    data = path.read_bytes()
    assert assert_same(data) >= 1500
    assert fast_share(data) > 0.95


@pytest.mark.parametrize("encoding", ["cp949", "utf-8-sig"])
def test_other_encodings_read_alike(encoding):
    assert assert_same(export_bytes(list(records(RandomDraw(4), 300)), encoding=encoding, newline="\r\n")) >= 300


@pytest.mark.parametrize("seed", range(6))
def test_books_their_pandas_twins_and_one_fault_copies_read_alike(seed):
    b = book(RandomDraw(seed), year=2024 + seed % 3, rounds=1 + seed % 3, deemed=seed % 2)
    assert assert_same(book_text(b.records).encode("utf-8")) > 0
    assert assert_same(twin_text(b.records).encode("utf-8"), "twin.csv") > 0
    for fault in faults(RandomDraw(seed), b):
        assert_same(fault.text.encode("utf-8"), "fault.csv")


#: Damage and noise a record may carry: each either read by the fast path or left to the reference.
NOISE = {
    "quoted plain cell": lambda cells, draw: _cell(cells, draw, lambda v: f'"{v}"'),
    "blank around a figure": lambda cells, draw: _cell(cells, draw, lambda v: f" {v} "),
    "doubled quote": lambda cells, draw: _cell(cells, draw, lambda v: f'"{v}""x"'),
    "tab": lambda cells, draw: _cell(cells, draw, lambda v: f"\t{v}"),
    "extra cell": lambda cells, draw: cells + [draw(st.sampled_from(["", "x", "1,000"]))],
    "short row": lambda cells, draw: cells[:draw(st.integers(0, len(cells) - 1))],
    "other year": lambda cells, draw: [draw(st.sampled_from(["2025", "2026.0", "20x6", ""]))] + cells[1:],
    "figure as float": lambda cells, draw: _cell(cells, draw, lambda v: f"{v}.0"),
    "minus sign": lambda cells, draw: _cell(cells, draw, lambda v: f"△{v}"),
    "not a number": lambda cells, draw: _cell(cells, draw, lambda v: "12a"),
    "unmarked label": lambda cells, draw: cells[:17] + [cells[17].lstrip(" Οο")] + cells[18:],
    "other marker": lambda cells, draw: cells[:17] + [draw(st.sampled_from(["○", "● ", "  -", "ㅇ", "Ο "])) +
                                                      cells[17].lstrip(" Οο")] + cells[18:],
    "unknown kind": lambda cells, draw: cells[:1] + [draw(st.sampled_from(["추경3회", "제1회 추경", "수정예산"]))] + cells[2:],
    "code as float": lambda cells, draw: cells[:7] + [cells[7] + ".0"] + cells[8:],
    "formula with brackets": lambda cells, draw: (cells[:18] + [f"[{cells[18]}]*2" if cells[18] else "1원*2"]
                                                  + cells[19:]),
    "formula with blanks": lambda cells, draw: cells[:18] + [cells[18].replace("*", " * ")] + cells[19:],
    "empty figure": lambda cells, draw: _cell(cells, draw, lambda v: ""),
}


def _cell(cells: list[str], draw, change) -> list[str]:
    at = draw(st.integers(0, len(cells) - 1))
    return cells[:at] + [change(cells[at])] + cells[at + 1:]


@SETTINGS
@given(st.data(), exports(max_rows=25))
def test_any_export_with_any_noise_reads_alike(data, rows_):
    from auditor.testing.eho import HEADER, SUB_HEADER, csv_line

    lines = [HEADER, SUB_HEADER]
    for record in rows_:
        cells = record.cells()
        for kind in data.draw(st.lists(st.sampled_from(sorted(NOISE)), max_size=2)):
            if len(cells) < 20:  # a short row: the other kinds name cells it lacks
                break
            cells = NOISE[kind](cells, data.draw)
        lines.append(csv_line(cells) if data.draw(st.booleans()) else ",".join(cells))
    assert_same("".join(line + "\n" for line in lines).encode("utf-8"))


@SETTINGS
@given(exports(max_rows=40))
def test_any_generated_export_reads_alike(rows_):
    assert assert_same(export_bytes(rows_)) == len(rows_)


def test_auditor_check_reports_the_same_with_either_reader(tmp_path, monkeypatch):
    """``auditor check``'s JSON report, byte for byte, with the fast path and with the reference."""
    from auditor import check_paths
    from auditor.report import render

    path = tmp_path / "export.csv"
    write_export(str(path), 2000, seed=5)
    b = book(RandomDraw(3), rounds=3, deemed=1)
    (tmp_path / "book.csv").write_text(book_text(b.records), encoding="utf-8")
    (tmp_path / "twin.csv").write_text(twin_text(b.records), encoding="utf-8")
    for fault in faults(RandomDraw(3), b):
        (tmp_path / f"fault-{fault.kind}.csv").write_text(fault.text, encoding="utf-8")
    for example in EXPORTS:
        (tmp_path / f"{example.parent.name}-{example.name}").write_bytes(example.read_bytes())
    monkeypatch.chdir(tmp_path)
    reports = []
    for mode in ("fast", "reference"):
        monkeypatch.setenv("AUDITOR_EHO_READER", mode)
        reports.append(render("json", check_paths(["."], isolated=True)))
    assert reports[0] == reports[1]
    assert '"SUM007": 1' in reports[0] and '"DER001": 1' in reports[0]  # the faults were found
