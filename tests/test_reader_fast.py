"""The reader's per-line fast paths give exactly what the patterns they stand in for give.

Each fast path (a cell's number in one match, a heading told by its first character, cells made
from the stripped line, blanks and line ends without a character-by-character pass, decoding
without the control-character scan) is checked against its reference, written out here as the
reader had it, on generated text that reaches every branch of both.
"""

from __future__ import annotations

import codecs
import sys

import pytest
from hypothesis import given, strategies as st

from auditor.readers.decode import _CONTROL_BYTE, _NEWLINE, _screened, _text, decode, has_control_byte, split_lines
from auditor.readers.layout import (
    _BLANKS, PARTS, SECTIONS, Heading, _parsed_html, _plain_html, blanks, by_patterns, cells, content_cells, heading,
    strip_html,
)
from auditor.readers.numbers import _NUMBER, MAX_DIGITS, Number, parse_number, read_number, strip_marker

# -- numbers ------------------------------------------------------------------------------------

#: What a number cell is made of, the pieces that break one included.
NUMBER_PIECES = ("(x-)", "(x-) ", "( x - )", "(x -)", " ", "\u00a0", "\u3000", "\t", "△", "Δ", "-", "−", "+",
                 "1", "23", "456", ",", ",000", ",12", ".", ".5", "0", "9" * 12, "١٢", "５", "원", "천원", "백만원",
                 "억원", "%", "만원", "명", "x", "a", "(", ")", "=")


def reference_number(text: str) -> Number | None:
    """parse_number as it was: markers stripped in a loop, then one match of the number itself."""
    m = _NUMBER.fullmatch(strip_marker(text))
    if not m:
        return None
    digits = m["digits"].replace(",", "")
    if len(digits) + len(m["fraction"] or "") > MAX_DIGITS + 1:
        return None
    value = __import__("decimal").Decimal(digits + m["fraction"]) if m["fraction"] else int(digits)
    return Number(-value if m["sign"] else value, m["unit"])


number_texts = st.one_of(st.lists(st.sampled_from(NUMBER_PIECES), max_size=12).map("".join), st.text(max_size=30))


@given(number_texts)
def test_a_cell_number_is_read_as_the_marker_loop_and_the_number_pattern_read_it(text):
    expected = reference_number(text)
    assert parse_number(text) == expected
    found = read_number(text)
    assert (found is None) == (expected is None)
    if found is not None:
        assert found == (expected.value, expected.unit) and type(found[0]) is type(expected.value)


def test_a_number_of_more_digits_than_allowed_is_none_either_way():
    # the limit counts the decimal point: one digit more than MAX_DIGITS still reads, as it always did
    for text in ("9" * (MAX_DIGITS + 2), "9" * MAX_DIGITS + ".55", "1" + ",000" * 11, "9" * 5000):
        assert read_number(text) is None and reference_number(text) is None
    assert read_number("9" * (MAX_DIGITS + 1)) == (int("9" * (MAX_DIGITS + 1)), None)


# -- headings, cells, blanks ----------------------------------------------------------------------

def reference_heading(line: str) -> Heading | None:
    """heading as it was: every pattern tried on every line."""
    text = line.strip()
    return None if not text or "\t" in text else by_patterns(text)


HEADING_PIECES = (tuple(SECTIONS) + tuple(PARTS) + ("#", "## ", "□", "□ ", "**3**", "3 ", "12 ", "2020년", "2020년도 ",
                                                   "٢٠٢٠년도 ", "１ ", " ", "\u3000", "\t", "기본 현황", "사업", "내용",
                                                   "추진 일정", "x", "○"))
heading_lines = st.one_of(st.lists(st.sampled_from(HEADING_PIECES), max_size=5).map("".join), st.text(max_size=20))


@given(heading_lines)
def test_a_heading_is_classified_as_by_all_the_patterns(line):
    assert heading(line) == reference_heading(line)


@pytest.mark.parametrize("line", ["사업목적", " 기본 현황 ", "□ 추진일정", "## 3 사업설명", "**3** 사업설명", "2020년도 추진일정",
                                  "２０２０년도 추진일정", "١ 사업목적", "１ 기본 현황", "# 제목", "사업 목적", "사업목적\t",
                                  "○ 사업목적", "12 결산현황"])
def test_headings_in_every_form_including_other_digits(line):
    assert heading(line) == reference_heading(line)
    assert line.strip() in ("○ 사업목적", "# 제목") or heading(line) is not None or "\t" in line


def test_the_marked_heading_cache_is_bounded_as_the_other_memo_caches():
    """Each sheet's own title and prose lines that start with a digit pass through it: a run of 10,000
    sheets holds no more of them than a run of 1,000."""
    from auditor.memo import CACHE_SIZE
    from auditor.readers.layout import _marked_heading

    assert _marked_heading.cache_info().maxsize == CACHE_SIZE
    for n in range(CACHE_SIZE + 50):
        assert heading(f"# 사업 {n}") == Heading("title", None, f"사업 {n}")
    assert _marked_heading.cache_info().currsize == CACHE_SIZE


@given(heading_lines)
def test_a_line_that_starts_with_no_heading_character_is_no_heading(line):
    """The reader asks heading_of only of a line that starts with a HEADING_FIRST character or a digit."""
    from auditor.readers.layout import HEADING_FIRST

    text = line.strip()
    for candidate in (text, f"# {text}", f"□ {text}", f"**1** {text}"):
        if candidate and "\t" not in candidate and candidate[0] not in HEADING_FIRST and not candidate[0].isdecimal():
            assert reference_heading(candidate) is None
        if candidate and "\t" not in candidate and reference_heading(candidate) is not None:
            assert candidate[0] in HEADING_FIRST or candidate[0].isdecimal()


@pytest.mark.parametrize("name", sorted({*SECTIONS, *PARTS}))
def test_every_section_and_part_name_alone_is_a_heading_as_by_the_patterns(name):
    """The shortcut for unmarked lines (their first character) passes every name, spaced or not."""
    for line in (name, f" {name} ", " ".join(name), f"{name}x"):
        assert heading(line) == reference_heading(line)
    assert heading(name) is not None


CELL_PIECES = ("\t", "\t", " ", "\u00a0", "\u3000", "\x0b", "a", "계", "1,000", "(x-) 5", "○ 회의")


@given(st.lists(st.sampled_from(CELL_PIECES), max_size=14).map("".join))
def test_content_cells_are_the_cells_without_the_empty_ones_at_either_end(line):
    row = cells(line)
    start, end = 0, len(row)
    while end and not row[end - 1].text:
        end -= 1
    while start < end and not row[start].text:
        start += 1
    assert content_cells(line) == row[start:end]


@given(st.text(alphabet=" \u00a0\u2009\u3000\u2002a가1\t", max_size=12))
def test_blanks_reads_the_odd_blanks_as_translate_does(text):
    assert blanks(text) == text.translate(_BLANKS)


HTML_PIECES = ("<ul>", '<ul style="list-style-type: none">', "<li>", "</li>", "</ul>", "<br>", "<br/>", "</br>",
               "<p>", "</p>", '<input checked="" type="checkbox"/>', '<input type="checkbox"/>', "<input checked/>",
               "<span>", "<script>", "<LI>", "<li >", "</li/>", "<ol>", "<div>", "</div>", "<b>", "&amp;", "&",
               "<", ">", " ", "\n", "○ 회의", " : 20회", "x", '"', "'", "<!-- -->", "<li class='a'>")


@given(st.lists(st.sampled_from(HTML_PIECES), max_size=12).map("".join))
def test_plain_markup_is_stripped_as_html_parser_strips_it(text):
    plain = _plain_html(text)
    if plain is not None:
        assert plain == _parsed_html(text)
    assert strip_html(text) == (_parsed_html(text) if "<" in text or "&" in text else (text, None))


def test_the_markup_of_the_sheets_takes_the_plain_path():
    for text in ('<input checked="" type="checkbox"/> 연례반복',
                 '<ul style="list-style-type: none"> <li>○ 시민 의견 수렴 : 23회</li> <li>○ 회의 : 2회</li> </ul>'):
        assert _plain_html(text) == _parsed_html(text) and _plain_html(text)[0].strip()


# -- decoding ---------------------------------------------------------------------------------------

@given(st.text(alphabet="a가\r\n\t\x0b\x1c\u2028", max_size=20))
def test_lines_split_as_the_newline_pattern_splits_them(text):
    lines = _NEWLINE.split(text)
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()
    assert split_lines(text) == tuple(lines)


TEXTS = st.text(alphabet="a가\r\n\t\x00\x01\x1b\x7f\ufffd\u00a0,0-", max_size=40)
ENCODINGS = ("utf-8", "utf-8-sig", "cp949", "utf-16", "utf-16-le", "utf-16-be", "utf-32")
encoded = st.one_of(
    st.binary(max_size=60),
    st.tuples(TEXTS, st.sampled_from(ENCODINGS)).map(lambda t: t[0].encode(t[1], errors="replace")),
    st.tuples(TEXTS, st.binary(max_size=4)).map(lambda t: t[0].encode() + t[1]),
)


@given(encoded)
def test_decoding_without_the_control_scan_gives_what_the_scan_gives(data):
    text, encoding, bad_at = _text(data)
    bad_line = None if bad_at is None else data.count(b"\n", 0, bad_at) + 1
    assert decode(data) == _screened(text, encoding, bad_line)


@given(st.one_of(st.binary(max_size=60), encoded))
def test_a_control_byte_is_found_by_its_scan_as_by_the_pattern(data):
    assert has_control_byte(data) == (_CONTROL_BYTE.search(data) is not None)
    for byte in range(256):  # each byte alone, in and out of the class
        one = data + bytes([byte])
        assert has_control_byte(one) == (_CONTROL_BYTE.search(one) is not None)


def test_the_control_scan_still_finds_binary_files_and_nul_bytes():
    assert decode(b"\x00\x01\x02" * 100).binary
    assert decode(codecs.BOM_UTF16_LE + "a\x00b".encode("utf-16-le")).nul
    assert sys.modules[decode.__module__]._CONTROL_BYTE.search("가\t나\r\n".encode("cp949")) is None


# -- table rows ------------------------------------------------------------------------------------

@given(st.lists(st.sampled_from(("계", "합", "총", " ", "\u3000", "소", "공공운영비", "x")), min_size=1, max_size=5).map("".join))
def test_a_total_row_is_told_by_its_first_character_as_by_the_whole_key(text):
    """reader._add tries ``is_total`` only on a stripped cell that starts as 계, 합계 or 총계 start."""
    from auditor.readers.reader import _TOTAL_FIRST
    from auditor.readers.tables import is_total

    key = text.strip()
    assert (key[:1] in _TOTAL_FIRST and is_total(key)) == is_total(key)


@given(st.text(alphabet="○\n가 a:\r\u2028", max_size=20))
def test_achievement_items_are_cut_as_the_item_pattern_cuts_them(text):
    from auditor.readers.sections import _ITEM_BREAK, item_chunks

    assert item_chunks(text) == _ITEM_BREAK.split(text)


# -- the Sheet and its parts, made by slot setters ----------------------------------------------------

TUPLE_FIELDS = {
    "Sheet": ("activities", "achievements", "purpose", "legal_basis", "history", "expected_effects", "notes",
              "other_sections", "layout", "problems", "lines"),
    "Summary": ("rows",), "Schedule": ("rows",), "Settlement": ("rows",), "Department": ("contacts",),
    "Overview": ("funding",),
}


def _through_init(obj):
    """``obj`` made again by its class's attrs ``__init__`` (validators and converters run) from its fields."""
    import attrs

    return type(obj)(**{f.name: getattr(obj, f.name) for f in attrs.fields(type(obj)) if f.init})


def _built_by_attrs(reader):
    """The Sheet of a reader that has read its lines, made by attrs' ``__init__`` with keywords: the reference
    for ``SheetReader.build``."""
    from auditor.model import Department, Overview, Prose, Schedule, Settlement, Sheet, Summary

    h = reader.summary_header
    summary = Summary(h.years.get("A"), h.years.get("B"), h.change_formula, h.rate_formula, **reader.summary)
    basis = reader.basis.build()
    schedule = Schedule(**reader.schedule)
    overview = reader.overview
    return Sheet(
        reader.ctx.path, title=reader.title, budget_year=summary.current_year or basis.year or schedule.year,
        overview=Overview(funding=overview.funding, **overview.fields), department=Department(**reader.department),
        summary=summary, basis=basis, activities=reader.activities.build(), schedule=schedule,
        achievements=reader.achievements, settlement=Settlement(**reader.settlement), notes=reader.notes,
        other_sections=[Prose(t, lines) for t, lines in reader.other], layout=reader.layout + overview.labels,
        problems=reader.ctx.problems, lines=reader.decoded.lines, encoding=reader.decoded.encoding,
        first_line=reader.start + 1, **reader.prose,
    )


@pytest.mark.parametrize("name", ["examples", "generated"])
def test_the_sheet_made_by_its_slots_is_the_one_attrs_makes(name, tmp_path):
    """``SheetReader.build`` sets the Sheet's slots in field order and its parts' by ``maker``: the Sheet equals
    the one attrs' ``__init__`` makes from the reader's parts by keyword, each part equals what attrs makes of
    its own fields, and every tuple field holds a tuple (a field given out of place, or a list left
    unconverted, fails here)."""
    from pathlib import Path

    from auditor.readers.reader import SheetReader
    from auditor.testing import write_corpus

    if name == "examples":
        paths = sorted(Path(__file__).resolve().parent.parent.joinpath("examples", "sheets").glob("*.txt"))
    else:
        write_corpus(tmp_path, 20, seed=3, inject=0.5)
        paths = sorted(tmp_path.rglob("*.txt"))
    assert paths
    for path in paths:
        reader = SheetReader(str(path), decode(path.read_bytes()))
        sheet = reader.read()
        assert sheet == _built_by_attrs(reader), path
        parts = {"Sheet": sheet, "Summary": sheet.summary, "Schedule": sheet.schedule,
                 "Settlement": sheet.settlement, "Department": sheet.department, "Overview": sheet.overview}
        for kind, part in parts.items():
            assert _through_init(part) == part, (path, kind)
            for field in TUPLE_FIELDS[kind]:
                assert type(getattr(part, field)) is tuple, (path, kind, field)
