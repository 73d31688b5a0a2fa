"""The e호조 CSV reader on the real and synthetic exports: structure, values at their line and column, damage."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from auditor.model import Sheet, walk
from auditor.readers import InputError, iter_sheets, read_bytes, read_file, read_text
from auditor.source import Source
from auditor.readers.csvline import split_csv_line
from strategies_sheet import placed_lines, values_only

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "examples" / "eho").glob("*.csv"))
SYNTHETIC = ROOT / "examples" / "eho" / "eho-expenditure-sample.csv"
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SOURCES = ["국고보조금", "균특보조금", "기금보조금", "특별교부세", "분권교부세", "광역보조금", "재정보전금",
           "특별조정교부금", "자체재원", "지방채", "기타"]


def records(path: Path) -> list[list[str]]:
    """The data records by the csv module: an oracle independent of the reader's own splitter."""
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))[2:]


def nodes(sheet: Sheet):
    for category in sheet.basis.categories:
        for group in category.groups:
            yield group
            yield from group.items


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_every_record_becomes_one_group_or_item_under_its_project_and_category(path):
    sheet = read_file(path)
    rows = records(path)
    assert sheet.problems == () and sheet.encoding == "utf-8" and sheet.budget_year.value == int(rows[0][0])
    groups = [r for r in rows if r[17].startswith("Ο")]
    items = [r for r in rows if r[17].startswith("  ο")]
    assert len(groups) + len(items) == len(rows)
    assert sum(len(c.groups) for c in sheet.basis.categories) == len(groups)
    assert sum(len(g.items) for c in sheet.basis.categories for g in c.groups) == len(items)
    pairs = list(dict.fromkeys((r[9], r[15]) for r in rows))
    assert [(c.project.value, c.name.value) for c in sheet.basis.categories] == pairs
    assert sheet.title.value == f"e호조 세출 산출근거 ({len({r[9] for r in rows})}개 세부사업)"
    read = sorted(nodes(sheet), key=lambda n: n.source.line)  # a pair met again joins its first category
    assert [n.source.line for n in read] == list(range(3, 3 + len(rows)))
    for node, row in zip(read, rows):
        assert node.label.value == row[17].strip()[1:].strip()
        assert (node.formula.value if node.formula else "") == row[18].strip()
        numbers = [int(x.replace(",", "")) for x in row[19:]]
        assert [node.amount.value, node.previous.value, node.change.value] == numbers[:3]
        triples = [(s.current.value, s.previous.value, s.change.value) for s in node.funding]
        written = [(name, tuple(numbers[3 + 3 * i: 6 + 3 * i])) for i, name in enumerate(SOURCES)]
        used = [(name, t) for name, t in written if t != (0, 0, 0)] or written  # a 0,0,0 source is no share
        assert [s.label for s in node.funding] == [name for name, _ in used]
        assert triples == [t for _, t in used]


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_every_value_is_the_text_at_its_line_and_column_and_every_line_is_placed(path):
    sheet = read_file(path)
    for node in nodes(sheet):
        values = [node.formula, node.amount, node.previous, node.change, node.text]
        values += [a for s in node.funding for a in (s.current, s.previous, s.change)]
        sources = [v.source for v in values if v is not None] + [s.source for s in node.funding]
        for src in sources:
            line = sheet.lines[src.line - 1]
            assert line[src.column - 1:].startswith(src.text.strip() if src.text.strip() else src.text)
    for v in [node.label for node in nodes(sheet)]:
        assert sheet.lines[v.source.line - 1][v.source.column - 1:].startswith(v.value)
    assert placed_lines(sheet) == {n for n, line in enumerate(sheet.lines, 1) if line.strip()}


def test_exact_values_of_a_supplementary_row_with_their_columns():
    sheet = read_file(SYNTHETIC)
    group = sheet.basis.categories[2].groups[1]
    assert (sheet.basis.categories[2].project.value, sheet.basis.categories[2].name.value) == \
        ("작은도서관 운영 지원", "민간경상사업보조")
    assert group.label.value == "작은도서관 프로그램 지원"
    assert (group.formula.value, group.formula.source.line, group.formula.source.column) == \
        ("경정 2,000,000원*18개소", 11, 124)
    read = [(a.value, a.unit, a.source.column, a.source.text) for a in (group.amount, group.previous, group.change)]
    assert read == [(36000, "천원", 145, "36,000"), (30000, "천원", 154, "30,000"), (6000, "천원", 163, "6,000")]
    national, own = group.funding  # the nine sources with 0,0,0 are no share
    assert (national.label, national.current.value, national.previous.value, national.change.value) == \
        ("국고보조금", 18000, 15000, 3000)
    assert (own.label, own.current.source.column, own.change.source.column) == ("자체재원", 239, 257)


def test_items_sit_under_the_group_before_them_and_a_group_may_have_no_formula():
    group = read_file(SYNTHETIC).basis.categories[0].groups[2]
    assert group.label.value == "홍보물 제작" and group.formula is None and group.amount.value == 5380
    assert [(i.label.value, i.formula.value, i.amount.value, i.source.line) for i in group.items] == \
        [("리플릿", "1,200원*3,000부", 3600, 6), ("현수막", "89,000원*20개", 1780, 7)]
    assert group.items[0].text.value == "ο리플릿" and group.items[0].label.source.column == \
        sheet_line(6).index("ο리플릿") + 2


def sheet_line(n: int) -> str:
    return SYNTHETIC.read_text(encoding="utf-8").split("\n")[n - 1]


def test_negative_changes_are_read_with_their_sign():
    sheet = read_file(ROOT / "examples" / "eho" / "eho-yongin-2026-part2.csv")
    wages = next(g for g in nodes(sheet) if g.label.value == "인건비" and g.previous.value)
    assert (wages.amount.value, wages.previous.value, wages.change.value) == (39474, 39564, -90)
    regional = next(s for s in wages.funding if s.label == "광역보조금")
    assert (regional.current.value, regional.previous.value, regional.change.value) == (19737, 19782, -45)
    assert wages.formula.value == "경정 39,474,000원"


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("encoding,newline", [("cp949", "\n"), ("utf-8-sig", "\r\n"), ("utf-8", "\r\n")])
def test_cp949_bom_and_crlf_copies_read_the_same(path, encoding, newline):
    original = read_file(path)
    text = path.read_text(encoding="utf-8").replace("\n", newline)
    copy = read_bytes(text.encode(encoding), str(path))
    assert copy.encoding == encoding and copy.problems == ()
    assert copy.basis == original.basis and copy.lines == original.lines


def test_splitter_agrees_with_the_csv_module_on_every_sample_line():
    for path in SAMPLES:
        for line in path.read_text(encoding="utf-8").split("\n"):
            if line:
                assert [c.value for c in split_csv_line(line)] == next(csv.reader([line]))


def test_read_text_stays_the_sheet_reader_and_read_bytes_chooses_by_content():
    data = SYNTHETIC.read_bytes()
    assert values_only(read_bytes(data, "same")) == values_only(read_file(SYNTHETIC, display_path="same"))
    assert read_bytes(data, "anything.txt").basis.categories[0].groups[0].amount.value == 14000
    assert read_text(data.decode("utf-8")).basis.categories == ()


def test_a_csv_that_is_not_an_eho_export_is_one_unknown_header_problem():
    sheet = read_bytes("이름,금액\n가,1\n".encode(), "other.csv")
    assert [(p.code, p.source.line) for p in sheet.problems] == [("PARSE005", 1)]
    assert sheet.basis.categories == () and read_bytes(b"", "empty.csv").problems == ()


HEADER = ("회계연도,예산구분,세부사업명,통계목명,산출근거명,산출근거식,예산액,기정액,비교증감,자체재원,,\n"
          ",,,,,,,,,경정,기정,증감\n")


@pytest.mark.parametrize("row,code,column", [
    ('2027,본예산,사업,사무관리비,Ο회의,"1,000원*2회",2,0,2,2,0', "PARSE003", 44),   # short row: where the cell would be
    ('2027,본예산,사업,사무관리비,Ο회의,"1,000원*2회",,0,2,2,0,2', "PARSE003", 35),  # empty 예산액
    ('2027,본예산,사업,사무관리비,Ο회의,"1,000원*2회",이천,0,2,2,0,2', "PARSE004", 35),
    ('2027,본예산,사업,사무관리비,회의,"1,000원*2회",2,0,2,2,0,2', "PARSE002", 19),  # no Ο/ο marker
    ('2027,본예산,사업,사무관리비,  ο다과,"1,000원*2회",2,0,2,2,0,2', "PARSE002", 19),  # ο before any Ο
    ('2027,본예산,사업,사무관리비,Ο회의,"1,000원*2회",2,0,2,2,0,2,9', "PARSE006", 47),
    ('20x7,본예산,사업,사무관리비,Ο회의,"1,000원*2회",2,0,2,2,0,2', "PARSE004", 1),
])
def test_bad_records_are_problems_at_their_cell(row, code, column):
    sheet = read_bytes((HEADER + row + "\n").encode(), "bad.csv")
    assert [(p.code, p.source.line, p.source.column) for p in sheet.problems] == [(code, 3, column)]


def test_a_record_of_another_year_is_not_placed_and_neither_are_its_items():
    rows = ('2027,본예산,사업,사무관리비,Ο회의,,2,0,2,2,0,2\n'
            '2026,본예산,사업,사무관리비,Ο작년,,2,0,2,2,0,2\n'
            '2027,본예산,사업,사무관리비,  ο다과,"1,000원*2회",2,0,2,2,0,2\n')
    sheet = read_bytes((HEADER + rows).encode(), "years.csv")
    assert sheet.budget_year.value == 2027
    assert [(p.code, p.source.line) for p in sheet.problems] == [("PARSE002", 4), ("PARSE002", 5)]
    assert [g.label.value for g in sheet.basis.categories[0].groups] == ["회의"]


@st.composite
def damaged(draw) -> bytes:
    data = draw(st.sampled_from(SAMPLES)).read_text(encoding="utf-8").encode(draw(st.sampled_from(["utf-8", "cp949"])))
    kind = draw(st.sampled_from(["truncate", "flip", "lines", "cells"]))
    if kind == "truncate":
        return data[: draw(st.integers(0, len(data)))]
    if kind == "flip":
        out = bytearray(data)
        for _ in range(draw(st.integers(1, 20))):
            out[draw(st.integers(0, len(out) - 1))] = draw(st.integers(0, 255))
        return bytes(out)
    text = data.decode("utf-8", errors="replace") if kind else ""
    lines = text.split("\n")
    if kind == "lines":
        picks = draw(st.lists(st.integers(0, len(lines) - 1), max_size=len(lines)))
        return "\n".join(lines[:2] + [lines[i] for i in picks]).encode("utf-8")
    n = draw(st.integers(2, len(lines) - 1))
    cells = lines[n].split(",")
    cells[draw(st.integers(0, len(cells) - 1))] = draw(st.sampled_from(['"', '""', "x", "", '"1,2', "Ο", "  ο", "-"]))
    lines[n] = ",".join(cells)
    return "\n".join(lines).encode("utf-8")


@SETTINGS
@given(damaged())
def test_damaged_exports_never_raise_and_drop_no_line_silently(data):
    sheet = read_bytes(data, "damaged.csv")
    last = max(1, len(sheet.lines))
    for p in sheet.problems:
        assert p.code.startswith("PARSE") and 1 <= p.source.line <= last and p.source.column >= 1
    if not any(p.code == "PARSE005" and p.source.line == 1 for p in sheet.problems):
        accounted = placed_lines(sheet) | {p.source.line for p in sheet.problems}
        assert [n for n, line in enumerate(sheet.lines, 1) if line.strip() and n not in accounted] == []


# -- columns by name ------------------------------------------------------------------------------

def _reorder(text: str, order: list[int], extra: bool) -> str:
    """The export with its columns in ``order`` (a permutation of the 22 named ones; the funding
    triples keep their place at the end), and, if ``extra``, an unknown column inserted at the front."""
    out = []
    for row in csv.reader(io.StringIO(text)):
        head, funding = row[:22], row[22:]
        cells = [head[i] for i in order] + funding
        if extra:
            cells.insert(0, {0: "사업코드", 1: ""}.get(len(out), f"X{len(out)}"))
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerow(cells)
        out.append(buf.getvalue())
    return "".join(out)


@SETTINGS
@given(order=st.permutations(range(22)), extra=st.booleans(), path=st.sampled_from(SAMPLES))
def test_columns_are_found_by_name_whatever_their_order_and_extra_columns(order, extra, path):
    text = path.read_text(encoding="utf-8")
    moved = read_bytes(_reorder(text, list(order), extra).encode("utf-8"), "moved.csv")
    assert moved.problems == ()
    assert values_only(moved)["basis"] == values_only(read_bytes(text.encode("utf-8"), "moved.csv"))["basis"]


def test_a_missing_required_column_is_named_and_nothing_else_is_read():
    text = SYNTHETIC.read_text(encoding="utf-8").replace("기정액,비교증감", "이전액,비교증감", 1)
    sheet = read_bytes(text.encode("utf-8"), "old.csv")
    [problem] = sheet.problems
    assert (problem.code, problem.source.line) == ("PARSE005", 1)
    assert "필수 열이 없습니다: 기정액" in problem.message_ko and "missing required columns: 기정액" in problem.message_en
    assert sheet.basis.categories == () and len(sheet.lines) == 12


def test_optional_columns_read_as_none_when_the_header_lacks_them():
    sheet = read_bytes((HEADER + '2027,본예산,사업,사무관리비,Ο회의,"1,000원*2회",2,0,2,2,0,2\n').encode(), "short.csv")
    category = sheet.basis.categories[0]
    assert sheet.problems == () and (category.department, category.code, category.object_code) == (None, None, None)
    assert category.groups[0].budget_kind.value == "본예산"


def test_department_codes_and_budget_kind_are_read_with_their_cells():
    sheet = read_file(SYNTHETIC)
    category = sheet.basis.categories[0]
    line = sheet_line(3)
    for text, value in ((category.department, "문화예술과"), (category.code, "201-01"), (category.object_code, "201"),
                        (category.object_name, "일반운영비"), (category.groups[0].budget_kind, "본예산")):
        assert text.value == value and line[text.source.column - 1:].startswith(value)


# -- markers --------------------------------------------------------------------------------------

@pytest.mark.parametrize("group,item", [("●", "  ●"), ("◎", "  ◎"), ("ㅇ", "  ㅇ"), ("○", "  -"), ("Ο", "  ο")])
def test_other_bullets_are_groups_at_the_margin_and_items_when_indented(group, item):
    rows = (f'2027,본예산,사업,사무관리비,{group}회의,,3,0,3,3,0,3\n'
            f'2027,본예산,사업,사무관리비,{item}다과,"1,000원*2회",2,0,2,2,0,2\n'
            f'2027,본예산,사업,사무관리비,{item}자료,"1,000원*1회",1,0,1,1,0,1\n')
    sheet = read_bytes((HEADER + rows).encode(), "bullets.csv")
    [group_read] = sheet.basis.categories[0].groups
    assert sheet.problems == () and group_read.label.value == "회의"
    assert [i.label.value for i in group_read.items] == ["다과", "자료"]


def test_an_item_of_another_project_than_its_group_is_not_placed():
    rows = ('2027,본예산,사업,사무관리비,Ο회의,,2,0,2,2,0,2\n'
            '2027,본예산,딴사업,사무관리비,  ο다과,"1,000원*2회",2,0,2,2,0,2\n')
    sheet = read_bytes((HEADER + rows).encode(), "mixed.csv")
    assert [(p.code, p.source.line, p.source.column) for p in sheet.problems] == [("PARSE002", 4, 20)]
    assert "세부사업명" in sheet.problems[0].message_ko and sheet.basis.categories[0].groups[0].items == ()


# -- the stream -----------------------------------------------------------------------------------

class _Source(io.RawIOBase):
    """A file whose bytes come from a list of lines, handed out as asked, recording how many lines it gave."""

    def __init__(self, lines: list[bytes]) -> None:
        self.lines, self.given, self.pending = lines, 0, b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if not self.pending:
            if self.given >= len(self.lines):
                return 0
            self.pending = self.lines[self.given]
            self.given += 1
        n = min(len(buffer), len(self.pending))
        buffer[:n] = self.pending[:n]
        self.pending = self.pending[n:]
        return n


def test_iter_sheets_yields_the_first_project_before_reading_the_rest():
    """The first unit comes after its own rows and the encoding's look-ahead, not after the whole file."""
    from auditor.readers.eho import EhoReader
    from auditor.readers.lines import SNIFF_BYTES, LineStream

    lines = SYNTHETIC.read_bytes().splitlines(keepends=True)
    source = _Source(lines * 400)  # about 1.8 MB: 4,400 records under the first header
    units = iter(EhoReader("big.csv", LineStream(io.BufferedReader(source, buffer_size=64))))
    first = next(units)
    assert first.title.value == "생활문화 동아리 지원" and first.department.name.value == "문화예술과"
    read = sum(len(line) for line in source.lines[:source.given])
    total = sum(len(line) for line in source.lines)
    assert read < SNIFF_BYTES + 2 * max(len(line) for line in lines) < total // 20
    assert [n.source.line for c in first.basis.categories for g in c.groups for n in (g, *g.items)] == \
        [3, 4, 5, 6, 7, 8, 9]
    assert sum(1 for _ in units) == 2 * 400 - 1 and source.given == len(source.lines)


def test_units_hold_only_their_own_rows_and_share_no_row_objects():
    units = list(iter_sheets(SYNTHETIC.read_bytes() + b"", "two.csv"))
    assert [u.title.value for u in units] == ["생활문화 동아리 지원", "작은도서관 운영 지원"]
    lines = [[n.source.line for c in u.basis.categories for g in c.groups for n in (g, *g.items)] for u in units]
    assert lines == [[3, 4, 5, 6, 7, 8, 9], [10, 11, 12]]
    assert all(u.lines == () for u in units) and units[0].layout and not units[1].layout
    whole = read_file(SYNTHETIC)
    nodes_whole = {n.source.line for n in nodes(whole)}
    assert nodes_whole == {line for unit in lines for line in unit}


def test_a_stream_holds_the_lines_of_the_current_unit_and_the_one_before_only():
    lines = SYNTHETIC.read_bytes().split(b"\n")[:-1]
    sheets = iter_sheets(b"\n".join(lines + lines[2:]) + b"\n", "four.csv")  # four units: 3–9, 10–12, 13–19, 20–22
    next(sheets)
    assert sheets.line(3) == sheet_line(3) and sheets.line(10) is None
    next(sheets)
    assert sheets.line(3) == sheet_line(3) and sheets.line(10) == sheet_line(10)
    next(sheets)
    assert sheets.line(3) is None and sheets.line(9) is None and sheets.line(12) == sheet_line(12)
    assert sheets.line(13) == sheet_line(3)
    assert len(list(sheets)) == 1 and (sheets.line_count, sheets.encoding) == (22, "utf-8")
    assert sheets.title == "e호조 세출 산출근거 (2개 세부사업)"


@pytest.mark.parametrize("repeat", [1, 40])  # the bad line inside, then far beyond, the encoding's look-ahead
def test_a_later_undecodable_line_is_parse001_at_that_line_and_the_rest_is_read(repeat):
    lines = SYNTHETIC.read_bytes().split(b"\n")[:-1]
    data = lines[:2] + lines[2:] * repeat
    bad = len(data) - 2  # a record of 작은도서관 운영 지원, two lines before the end
    data[bad - 1] = data[bad - 1].replace("도서".encode("utf-8"), b"\xff\xfe", 1)  # neither UTF-8 nor CP949
    sheets = iter_sheets(b"\n".join(data) + b"\n", "bad.csv")
    units = list(sheets)
    problems = [p for u in units for p in u.problems]
    assert [(p.code, p.source.line) for p in problems] == [("PARSE001", bad)]
    assert "utf-8" in problems[0].message_ko and sheets.encoding == "utf-8 (replaced)"
    assert sum(len(c.groups) for u in units for c in u.basis.categories) == 8 * repeat


def test_a_nul_byte_in_a_later_line_is_read_as_a_replacement_and_reported_as_parse001():
    lines = SYNTHETIC.read_bytes().split(b"\n")[:-1]
    lines[5] = lines[5].replace(b",", b"\x00,", 1)
    units = list(iter_sheets(b"\n".join(lines) + b"\n", "nul.csv"))
    problems = [p for u in units for p in u.problems]
    [nul] = [p for p in problems if p.code == "PARSE001"]
    assert nul.source.line == 6 and "NUL" in nul.message_en and {p.source.line for p in problems} == {6}
    assert read_bytes(b"\n".join(lines), "nul.csv").lines[5].startswith(lines[5].split(b"\x00")[0].decode() + "\ufffd")


def test_a_binary_csv_is_one_parse001_and_no_lines_and_utf16_without_a_bom_is_read():
    sheet = read_bytes(bytes(range(32)) * 40, "blob.csv")
    assert sheet.lines == () and [(p.code, "binary" in p.message_en) for p in sheet.problems] == [("PARSE001", True)]
    text = SYNTHETIC.read_text(encoding="utf-8")
    assert read_bytes(text.encode("utf-16-le"), "le.csv").lines == tuple(text.splitlines())


@pytest.mark.parametrize("newline", ["\r", "\r\n"])
def test_the_stream_splits_lines_as_the_whole_file_reader_does(newline):
    text = SYNTHETIC.read_text(encoding="utf-8").replace("\n", newline)
    sheets = iter_sheets(text.encode("cp949"), "cr.csv")
    units = list(sheets)
    assert sheets.line_count == 12 and sheets.encoding == "cp949" and all(u.problems == () for u in units)
    assert read_bytes(text.encode("cp949"), "cr.csv").lines == tuple(SYNTHETIC.read_text(encoding="utf-8").splitlines())


def test_iter_sheets_gives_sheet_text_as_one_sheet_and_reports_an_unopenable_file():
    path = ROOT / "examples" / "sheets" / "000_c6c48727fbba6ebb.txt"
    sheets = iter_sheets(path, "000.txt")
    [sheet] = list(sheets)
    assert sheet == read_file(path, display_path="000.txt") and not sheets.streamed
    with pytest.raises(InputError, match="no such file"):
        iter_sheets(ROOT / "missing.csv", "missing.csv")


@SETTINGS
@given(damaged())
def test_damaged_exports_read_in_units_never_raise_and_place_or_report_every_line(data):
    sheets = iter_sheets(data, "damaged.csv")
    units = list(sheets)
    assert units, "every input gives at least one Sheet"
    whole = read_bytes(data, "damaged.csv")
    placed = {s.line for u in units for s in walk(u, Source)}
    reported = {p.source.line for u in units for p in u.problems}
    assert placed == placed_lines(whole) and reported == {p.source.line for p in whole.problems}
