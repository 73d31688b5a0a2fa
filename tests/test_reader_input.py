"""Reader inputs: encodings, line endings, unreadable files, fragments, and each PARSE problem."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from auditor.readers import InputError, read_bytes, read_file, read_text
from auditor.readers.problems import BY_CODE, KINDS

SHEET = Path(__file__).resolve().parent.parent / "examples" / "sheets" / "000_c6c48727fbba6ebb.txt"
SETTLEMENT = "(단위 : 천원)\n\n연도\t최종예산\t전년이월\t예산변경\t예산현액\t집행액\t차년이월\t집행잔액\n"
SUMMARY = "(단위 : 천원, %)\n구 분\t2019예산액 (A)\t2020예산액 (B)\t증감 (B-A)\t(B-A)*100/A\n"


def codes(sheet):
    return [(p.code, p.source.line) for p in sheet.problems]


@pytest.mark.parametrize(("encoding", "newline", "expected"), [
    ("utf-8", "\n", "utf-8"), ("utf-8-sig", "\n", "utf-8-sig"), ("cp949", "\r\n", "cp949"),
    ("euc-kr", "\n", "cp949"), ("utf-16", "\r\n", "utf-16-le"),
])
def test_encodings_and_line_endings_read_the_same(encoding, newline, expected):
    text = SHEET.read_text(encoding="utf-8")
    sheet = read_bytes(text.replace("\n", newline).encode(encoding), "x.txt")
    assert sheet.encoding == expected and sheet.problems == ()
    assert sheet.lines == read_text(text, "y.txt").lines
    assert sheet.settlement.rows[1].available.value == 243_800


def test_undecodable_bytes_give_parse001_with_the_encodings_tried_and_keep_the_rest():
    data = "계\n".encode() + b"\x80\xff\xfe\n" + "연도\n".encode()
    sheet = read_bytes(data, "bad.txt")
    assert sheet.problems[0].code == "PARSE001" and sheet.problems[0].source.line == 2
    assert "utf-8, cp949" in sheet.problems[0].message_en
    assert len(sheet.lines) == 3 and "\ufffd" in sheet.lines[1]


def test_read_file_never_writes_and_reports_unopenable_paths(tmp_path):
    copy = tmp_path / "s.txt"
    copy.write_bytes(SHEET.read_bytes())
    before = copy.stat().st_mtime_ns
    assert read_file(copy, display_path="shown.txt").path == "shown.txt"
    assert copy.stat().st_mtime_ns == before and copy.read_bytes() == SHEET.read_bytes()
    for path in (tmp_path / "missing.txt", tmp_path):
        with pytest.raises(InputError) as err:
            read_file(path)
        assert err.value.path == os.fspath(path) and err.value.message_ko and err.value.message_en
        assert err.value.message_ko in str(err.value) and err.value.message_en in str(err.value)


def test_a_settlement_fragment_reads_alone_without_problems():
    sheet = read_text(SETTLEMENT + "2017\t(x-) 236,800\t0\t7,000\t243,800\t241,560\t0\t2,240\n", "frag", fragment=True)
    assert sheet.problems == () and sheet.title is None and sheet.summary.total is None
    assert sheet.settlement.rows[0]["집행잔액"].value == 2_240


def test_a_summary_fragment_reads_alone_without_problems():
    sheet = read_text(SUMMARY + "계\t100\t90\t△10\t△10\n", "frag", fragment=True)
    assert sheet.problems == () and sheet.summary.total.change.value == -10
    assert sheet.summary.current_year.value == 2020 and sheet.budget_year.value == 2020


def test_missing_cell_gives_amount_none_and_parse003_at_the_line():
    sheet = read_text(SETTLEMENT + "2017\t1\t2\t3\t4\t5\t6\n", "frag", fragment=True)
    assert sheet.settlement.rows[0].unspent is None
    assert codes(sheet) == [("PARSE003", 4)] and "집행잔액" in sheet.problems[0].message_ko


def test_unreadable_number_gives_parse004():
    sheet = read_text(SUMMARY + "계\t1\t이백\t3\t4\n", "frag", fragment=True)
    assert sheet.summary.total.current is None and codes(sheet) == [("PARSE004", 3)]
    assert sheet.problems[0].source.column == 5


def test_unreadable_year_skips_the_row_with_a_problem():
    sheet = read_text(SETTLEMENT + "20x7\t1\t2\t3\t4\t5\t6\t7\n", "frag", fragment=True)
    assert sheet.settlement.rows == () and codes(sheet) == [("PARSE004", 4)]


def test_line_not_placed_and_unknown_header_and_extra_cell():
    sheet = read_text("제목\n뜬금없는 줄\n□ 알 수 없는 부분\n내용\n" + SETTLEMENT + "2017\t1\t2\t3\t4\t5\t6\t7\t8\n", "f", fragment=True)
    assert codes(sheet) == [("PARSE002", 2), ("PARSE005", 3), ("PARSE006", 8)]
    assert sheet.other_sections[0].lines[0].value == "내용"


def test_basis_item_before_any_group_is_reported():
    sheet = read_text("과목구분\t2020년 예산내역\n사무관리비\t- 낱개 1,000원\t= 1천원\n", "f", fragment=True)
    assert codes(sheet) == [("PARSE002", 2)]


def test_basis_group_without_a_category_gets_none_and_parse003():
    sheet = read_text("과목구분\t2020년 예산내역\n\t○ 회의 1,000원*2회\t=\t2천원\n", "f", fragment=True)
    assert sheet.basis.categories[0].name is None and codes(sheet) == [("PARSE003", 2)]
    assert sheet.basis.categories[0].groups[0].amount.value == 2


def test_truncated_sheet_reads_what_is_there():
    text = SHEET.read_text(encoding="utf-8")
    sheet = read_text(text[: text.index("(x-) 241,560")], "cut")
    assert [r.year.value for r in sheet.settlement.rows] == [2016, 2017]
    assert sheet.settlement.rows[1].spent is None and ("PARSE003", 112) in codes(sheet)


def test_problem_table_is_stable():
    assert [(k.code, k.name) for k in KINDS] == [
        ("PARSE001", "parse.undecodable"), ("PARSE002", "parse.line-not-placed"),
        ("PARSE003", "parse.missing-cell"), ("PARSE004", "parse.unreadable-number"),
        ("PARSE005", "parse.unknown-header"), ("PARSE006", "parse.extra-cell"),
        ("PARSE007", "parse.part-missing"), ("PARSE008", "parse.unknown-budget-kind"),
        ("PARSE009", "parse.formula-reading"),
    ]
    assert all(BY_CODE[k.code] is k for k in KINDS)


def test_cost_row_without_an_amount_is_reported_not_dropped():
    # Found by hypothesis: a file cut right after "사업비" lost that line silently.
    sheet = read_text("□ 사업개요\n\n회 계\t일반회계\t\t\n사업비", "cut", fragment=True)
    assert sheet.overview.cost is None and codes(sheet) == [("PARSE003", 4)]


SHEET_002 = SHEET.with_name("002_09ee4b9481a37380.txt")


@pytest.mark.parametrize(("data", "line", "missing"), [
    (b"", 1, "사업개요(사업비), 예산 총괄, 산출근거 (빈 파일)"),
    (b"\n  \n\t\n", 1, "사업개요(사업비), 예산 총괄, 산출근거 (빈 파일)"),
    ("# 지역균형발전 추진\n".encode(), 1, "사업개요(사업비), 예산 총괄, 산출근거"),
    ("지역균형발전 추진".encode(), 1, "사업개요(사업비), 예산 총괄, 산출근거"),
])
def test_an_empty_or_title_only_file_gives_parse007_naming_the_missing_parts(data, line, missing):
    sheet = read_bytes(data, "x.txt")
    assert codes(sheet) == [("PARSE007", line)]
    assert sheet.problems[0].message_ko.endswith(missing)


def test_a_real_sheet_cut_before_its_basis_gives_parse007_at_the_last_line_read(tmp_path):
    lines = SHEET_002.read_text(encoding="utf-8").split("\n")[:34]
    cut = tmp_path / "cut.txt"
    cut.write_text("\n".join(lines) + "\n\n", encoding="utf-8")
    sheet = read_file(cut)
    assert codes(sheet) == [("PARSE007", 34)]
    assert "산출근거" in sheet.problems[0].message_ko and "예산 총괄" not in sheet.problems[0].message_ko
    assert "basis of calculation" in sheet.problems[0].message_en


def test_whole_sheets_and_fragments_are_not_parse007():
    assert read_file(SHEET).problems == () and read_file(SHEET_002).problems == ()
    assert read_text("# 제목\n", "f", fragment=True).problems == ()
    assert read_bytes(b"", "f", fragment=True).problems == ()
    assert [p.code for p in read_text("# 제목\n", "f").problems] == ["PARSE007"]


def test_a_header_without_rows_is_not_the_part():
    text = SHEET_002.read_text(encoding="utf-8")
    cut = text[: text.index("기간제근로자등보수\t○")]
    assert codes(read_text(cut, "cut")) == [("PARSE007", cut.rstrip().count("\n") + 1)]


def test_a_second_contacts_row_after_a_repeated_header_is_reported_not_overwritten():
    # Found by hypothesis: the second row silently replaced the first.
    header = "실·국\t부서명\t과 장\t팀장\t주무관\n"
    sheet = read_text(header + "행정국\t자치행정과\n" + header + "기획실\t예산과\n", "twice", fragment=True)
    assert sheet.department.name.value == "자치행정과"
    assert codes(sheet) == [("PARSE002", 4)]


def test_the_e_hojo_header_prefix_copy_matches_the_reader_s():
    from auditor.readers.eho_columns import HEADER_PREFIX
    from auditor.readers.opening import EHO_HEADER_PREFIX

    assert EHO_HEADER_PREFIX == HEADER_PREFIX


@pytest.mark.parametrize("how", ["library", "cli"])
def test_one_sheet_is_read_without_importing_the_e_hojo_reader(how, tmp_path):
    import subprocess
    import sys

    run = {
        "library": f"import auditor; auditor.read_file({str(SHEET)!r})",
        "cli": ("from auditor.cli import main; import sys; "
                f"sys.argv = ['auditor', 'check', {str(SHEET)!r}, '-q', '--isolated', '-o', {str(tmp_path / 'r.json')!r}, "
                "'--output-format', 'json']\ntry: main()\nexcept SystemExit: pass"),
    }[how]
    probe = f"{run}\nimport sys; print(sorted(m for m in sys.modules if m.startswith('auditor.readers.eho')))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parent.parent)
    assert out.stdout.strip().splitlines()[-1] == "[]", out.stderr


def _reordered_export() -> bytes:
    """The e호조 sample with its first two columns swapped: an export by its header, though its first
    line does not start as e호조's does."""
    sample = SHEET.parent.parent / "eho" / "eho-expenditure-sample.csv"
    lines = sample.read_text(encoding="utf-8").splitlines()
    swapped = []
    for line in lines:
        cells = line.split(",")
        swapped.append(",".join([cells[1], cells[0], *cells[2:]]))
    return ("\n".join(swapped) + "\n").encode("utf-8")


@pytest.mark.parametrize("name", ["budget.txt", "budget.csv"])
def test_the_size_limit_applies_to_what_is_held_at_once(name, tmp_path):
    """An export streamed from its path may be any size, each record held to the limit; read whole
    (``read_file``, standard input) it is held whole, so the limit applies to all of it."""
    from auditor.readers import iter_sheets

    path = tmp_path / name
    path.write_bytes(_reordered_export())
    longest = max(len(line) for line in path.read_bytes().split(b"\n"))
    limit = longest + 10
    assert path.stat().st_size > limit
    units = list(iter_sheets(path, name, max_size=limit))
    assert units and all(u.basis.categories for u in units)
    with pytest.raises(InputError, match="the file is too large"):
        read_file(path, max_size=limit)
    assert read_file(path, max_size=0).basis.categories
    with pytest.raises(InputError, match=r"line \d+ is too large \(over 100 bytes; at most 100 bytes are held at once"):
        list(iter_sheets(path, name, max_size=100))
    text = tmp_path / "sheet.txt"
    text.write_bytes(SHEET.read_bytes())
    for read in (lambda: read_file(text, max_size=limit), lambda: list(iter_sheets(text, "sheet.txt", max_size=limit))):
        with pytest.raises(InputError, match="too large"):
            read()
