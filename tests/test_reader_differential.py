"""The sheet reader's fast paths read exactly what its reference code reads, provenance included.

The reader reads the common table rows whole with compiled patterns and flat formulas with one
pattern (``auditor.readers.mode``); ``AUDITOR_READER=reference`` (``mode.FAST = False``) sends every
line through the line-by-line classification, the cells and the part readers, and every formula's
operands through the grammar's own pattern. Both must give the same model: ``auditor parse``'s JSON
(every value, every source, every problem) and every line's ``calc``, compared on the generated
corpus (every seed, fault kind, layout noise and encoding; more on CI), hypothesis's sheets, the
rule cases as fragments and whole, the examples and the real sheets, and on rows spliced from
odd cells. A fast path made deliberately wrong is caught, so these tests can fail.
"""

from __future__ import annotations

import json
import os
import random
import tomllib
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings, strategies as st

from auditor.model import BasisGroup, BasisItem
from auditor.readers import basis, mode, read_bytes
from auditor.readers.dump import to_data
from auditor.testing import KINDS, generate_sheet
from tests.strategies_corpus import consistent_sheets, faulty_sheets
from tests.strategies_formula import FRAGMENTS, formula_settings, formulas, styles

REPO = Path(__file__).resolve().parent.parent
CASES = REPO / "rules" / "cases"
SHARED = Path("/work/shared/sheets")  # the real published sheets, where this machine has them
COUNT = int(os.environ.get("AUDITOR_DIFFERENTIAL_SHEETS", "1000" if os.environ.get("CI") else "300"))


def _calcs(sheet) -> list:
    """Every 산출근거 line's ``calc``, its error spelled out (errors compare by identity)."""
    out = []
    for category in sheet.basis.categories:
        for group in category.groups:
            for node in (group, *group.items):
                calc = node.calc
                attempt = calc.attempt
                if attempt is not None:
                    start, err = attempt
                    attempt = (start, type(err).__name__, err.text, err.column, err.reason, err.reason_en)
                out.append((repr(calc.value), type(calc.value).__name__, attempt))
    return out


def dump(data: bytes, path: str = "sheet.txt", fragment: bool = False) -> str:
    """The sheet as ``auditor parse --format json`` writes it, and every line's calc."""
    sheet = read_bytes(data, path, fragment=fragment)
    return json.dumps([to_data(sheet), _calcs(sheet), list(sheet.lines)], ensure_ascii=False, indent=0)


def both(data: bytes, path: str = "sheet.txt", fragment: bool = False) -> tuple[str, str]:
    """``(fast, reference)`` dumps of one input."""
    fast = dump(data, path, fragment)
    mode.FAST = False
    try:
        reference = dump(data, path, fragment)
    finally:
        mode.FAST = True
    return fast, reference


def assert_same(data: bytes, path: str = "sheet.txt", fragment: bool = False) -> None:
    fast, reference = both(data, path, fragment)
    if fast != reference:
        for a, b in zip(fast.splitlines(), reference.splitlines()):
            assert a == b, path
        assert fast == reference, path


def _generated(count: int, seed: str) -> list:
    kinds = list(KINDS)
    return [pytest.param(i, seed, kinds[i % len(kinds)] if i % 3 == 0 else None, id=f"{seed}-{i}")
            for i in range(count)]


@pytest.mark.parametrize("chunk", range(10))
def test_the_generated_corpus_reads_the_same(chunk):
    kinds = list(KINDS)
    for i in range(chunk, COUNT, 10):
        sheet = generate_sheet(random.Random(f"reader-differential/{i}"),
                               fault=kinds[i % len(kinds)] if i % 3 == 0 else None)
        assert_same(sheet.data, f"sheet_{i}.txt")


@settings(max_examples=60, deadline=None)
@given(consistent_sheets())
def test_hypothesis_consistent_sheets_read_the_same(sheet):
    assert_same(sheet.data)


@settings(max_examples=60, deadline=None)
@given(faulty_sheets())
def test_hypothesis_faulty_sheets_read_the_same(sheet):
    assert_same(sheet.data)


def _case_texts() -> list:
    out = []
    for path in sorted(CASES.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for i, case in enumerate(data["case"]):
            for document in case.get("documents", [case]):
                if "hex" not in document and "text" not in document:
                    continue
                raw = bytes.fromhex(document["hex"]) if "hex" in document else document["text"].encode("utf-8")
                out.append(pytest.param(raw, id=f"{path.stem}-{i}"))
    return out


@pytest.mark.parametrize("raw", _case_texts())
def test_rule_cases_read_the_same_as_fragments_and_whole(raw):
    assert_same(raw, fragment=True)
    assert_same(raw)


def _sheets() -> list[Path]:
    found = sorted((REPO / "examples").rglob("*.txt")) + sorted((REPO / "tests").rglob("*.txt"))
    if SHARED.is_dir():
        found += sorted(SHARED.glob("*"))
    return [p for p in found if p.is_file()]


@pytest.mark.parametrize("path", _sheets(), ids=lambda p: str(p.name))
def test_the_examples_real_sheets_and_fixtures_read_the_same(path):
    assert_same(path.read_bytes(), str(path))


#: Cells a 산출근거 row is spliced from: 통계목 names (a table header's first cells among them), ○/-
#: descriptions of every shape, amounts in one cell or two, with and without ``=``, odd blanks.
_CATEGORIES = ("", "사무관리비", "구분", "과목구분", "연도", "※ 주", "=", "-5,000", "(단위 : 천원)", "사업추진절차", "구 분")
_DESCRIPTIONS = ("○ 홍보 10,000원*2회", "- 다과 5,000원 × 20명", "○", "-", "- 5,000", "-5,000원", "- 3개월 운영",
                 "○ 운영 = 20천원", "○ 운영 = 20천원 =", "- 회의\u00a0참석 150,000원*17명", "◯ 전문가 자문",
                 "○ (30,000원+50,000원)*39개소", "- 교재 인쇄(A4) 759,760원*23건*11종", "○ ---", "- 단위 1,000원*2",
                 "○ 운영\u3000= 5천원", "- 8,000원*2월(월1회)")
_AMOUNTS = ("", "=", "= 20천원", "=20천원", "20천원", "=\t20천원", "=\t\t20", "= =5", "==5", "△5", "(x-) 20",
            "20천원\t5", "= 20\t=", "○ x", "abc")
_BLANKS = ("", " ", "\t", "\t\t", "\u00a0", " \t ")


def _rows(rng: random.Random, count: int) -> list[str]:
    rows = []
    for _ in range(count):
        parts = [rng.choice(_BLANKS)]
        category = rng.choice(_CATEGORIES)
        if category:
            parts += [category, rng.choice(_BLANKS) + "\t" + rng.choice(_BLANKS)]
        parts.append(rng.choice(_DESCRIPTIONS))
        amount = rng.choice(_AMOUNTS)
        if amount:
            parts += [rng.choice(_BLANKS) + "\t" + rng.choice(_BLANKS), amount]
        parts.append(rng.choice(_BLANKS))
        rows.append("".join(parts))
    return rows


@pytest.mark.parametrize("seed", range(8))
def test_spliced_basis_rows_read_the_same(seed):
    rng = random.Random(seed)
    head = "산출근거\n\n과목구분\t2024년 예산내역\t\t\n"
    text = head + "\n".join(_rows(rng, 300)) + "\n"
    assert_same(text.encode("utf-8"), fragment=True)


#: Cells of 예산 총괄, 추진일정 and 결산 현황 rows, odd ones among them: numbers as sheets print them (markers,
#: signs, decimals, units, too many digits), words, empty cells, table keys, notes and headings.
_KEYS = ("사무관리비", "계", "합계", " 합 계 ", "구분", "구 분", "연도", "사업추진절차", "실국", "※ 참고", "2024", "2024년도",
         "2023 년", "12,000", "△5", "", "□ 결산", "# 제목", "사업 1단계", "---")
_NUMBERS = ("250,600", "(x-) 250,600", "(x-)(x-) △14,800", "△ 5", "-5", "−5", "Δ1", "12.5", "0.5%", "60,000천원",
            "5 억원", "1,2345", "12,34", "1" * 32, "1" * 31, "3.1415926535897932384626433832795", "(x -)5", "x", "",
            "12천원 ", "5%", "연중")
_PERIODS = ("2024.01~2024.12", "2024. 3. ~ 2024. 12.", "연중", "2024년 상반기", "2024.13~2024.12", "2024 봄", "", "3~12월")
_NOTES = ("현장 점검", "", "5,000", "비고\t추가", " ")


def _table_rows(rng: random.Random, count: int, widths: tuple) -> list[str]:
    rows = []
    for _ in range(count):
        width = rng.choice(widths)
        cells = [rng.choice(_KEYS)]
        for i in range(1, width):
            pool = rng.choice((_NUMBERS, _NUMBERS, _NUMBERS, _PERIODS, _NOTES, _KEYS))
            cells.append(rng.choice(pool))
        seps = [rng.choice(("\t", "\t", "\t", " \t", "\t ", "\t\t", "\u00a0\t")) for _ in cells[1:]]
        line = rng.choice(_BLANKS) + cells[0] + "".join(sep + cell for sep, cell in zip(seps, cells[1:]))
        rows.append(line + rng.choice(_BLANKS))
    return rows


@pytest.mark.parametrize("seed", range(6))
def test_spliced_table_rows_read_the_same(seed):
    """예산 총괄, 추진일정 and 결산 현황 rows of every width and odd cells, under each table's header."""
    rng = random.Random(f"tables/{seed}")
    text = "\n".join([
        "예산 총괄", "(단위:천원, %)", "구분\t2023예산액 (A)\t2024예산액 (B)\t증감 (B-A)\t", "\t\t\t\t(B-A)/A*100",
        *_table_rows(rng, 150, (2, 4, 5, 5, 5, 5, 6)),
        "추진일정", "사업추진절차\t추진기간\t예산집행금액\t추진내용",
        *_table_rows(rng, 150, (2, 3, 3, 4, 4, 4, 5)),
        "최근 3년 결산 현황", "연도\t최종예산\t전년이월\t예산변경\t예산현액\t집행액\t차년이월\t집행잔액",
        *[rng.choice(("2022", "2023년", " 2024 년도", "\t2021", "24", "")) + "\t" + "\t".join(
            rng.choice(_NUMBERS) for _ in range(rng.choice((6, 7, 7, 7, 8)))) for _ in range(150)],
        "연도\t최종예산\t이상한열\t예산현액",
        *[rng.choice(("2022", "2023")) + "\t" + "\t".join(rng.choice(_NUMBERS[:4]) for _ in range(3)) for _ in range(10)],
        "연도\t최종예산\t집행액\t최종예산",  # a column named twice: its last number counts
        *[rng.choice(("2022", "2023")) + "\t" + "\t".join(rng.choice(_NUMBERS[:4]) for _ in range(3)) for _ in range(10)],
    ]) + "\n"
    assert_same(text.encode("utf-8"), fragment=True)


def test_a_table_fast_path_made_wrong_is_caught(monkeypatch):
    """The comparison can fail: a 예산 총괄 row reader that reads every amount a unit too small."""
    from auditor.readers import rows

    sheet = generate_sheet(random.Random("reader-differential/wrong-table"))
    summary_row = rows.summary_row

    def in_won(ctx, no, line, unit, rate_unit):
        return summary_row(ctx, no, line, "원", rate_unit)

    monkeypatch.setattr(rows, "summary_row", in_won)
    fast, reference = both(sheet.data)
    assert fast != reference


def test_a_fast_path_made_wrong_is_caught(monkeypatch):
    """The comparison can fail: a fast row reader that misplaces its description by one column."""
    sheet = generate_sheet(random.Random("reader-differential/wrong"))
    fast_row = basis.BasisReader.fast_row

    def shifted(self, no, line):
        return fast_row(self, no, " " + line)  # columns one to the right

    monkeypatch.setattr(basis.BasisReader, "fast_row", shifted)
    fast, reference = both(sheet.data)
    assert fast != reference


def _tree_facts(text: str):
    """What ``description._parsed`` reads of a formula through the grammar's tree: its exact value and
    ``_facts``' money and mixed; None when it does not parse or has no value."""
    from auditor.formula import FormulaError, parse_formula
    from auditor.formula.nodes import exact_value
    from auditor.formula.split import _facts

    try:
        node = parse_formula(text)
        value = exact_value(node)
    except FormulaError:
        return None
    money, _, _, mixed = _facts(node)
    return value, money, mixed


@formula_settings
@given(formulas(max_leaves=8), styles())
def test_a_bracketed_formula_is_worked_out_as_its_tree(ast, style):
    """``description._bracketed`` gives the value, money and mixed of the tree ``parse_formula`` gives,
    wherever it reads a formula (it gives up on signs, tags, a division by zero)."""
    from auditor.formula import normalise, render
    from auditor.readers.description import _bracketed

    text = render(ast, style)
    read = _bracketed(normalise(text))
    if read is None:
        return
    expected = _tree_facts(text)
    assert expected is not None, text
    value = read[0]
    if type(value) is not int and value.denominator == 1:
        value = value.numerator
    assert (value, type(value), read[1], read[3]) == (expected[0], type(expected[0]), expected[1], expected[2]), text


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS + ("(", "[", ")", "]", "원", "명", "3", "12,000")), max_size=25).map("".join))
def test_junk_is_read_by_the_bracketed_reader_only_where_it_parses(text):
    from auditor.formula import normalise
    from auditor.readers.description import _bracketed

    read = _bracketed(normalise(text))
    if read is not None:
        expected = _tree_facts(text)
        assert expected is not None and expected[0] == read[0] and expected[1:] == (read[1], read[3]), text


def _same_flat(shape: str) -> None:
    from auditor.readers.description import _flat_value, _operand_value

    fast, reference = _flat_value(shape), _operand_value(shape)
    assert (fast, type(fast)) == (reference, type(reference)) or fast is reference, shape


@formula_settings
@given(formulas(max_leaves=8), styles())
def test_a_flat_formula_read_with_one_pattern_reads_as_operand_by_operand(ast, style):
    """``_flat_value`` (the plain operands read by one pattern) gives ``_operand_value``'s answer (the grammar's
    operand pattern, one operand at a time): the value, or the same 'not here' answer."""
    from auditor.formula import normalise, render

    _same_flat(normalise(render(ast, style)))


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS + ("EA", "set", "m", "kWh", "㎡", "씩", "짜리", "원권", "\r\n", "12,000",
                                             "3.5", "1,2345")), min_size=1, max_size=25).map("".join))
def test_flat_junk_reads_the_same_either_way(text):
    from auditor.formula import normalise

    shape = normalise(text).rstrip()
    if shape[:1].isdigit():
        _same_flat(shape)


#: Label pieces of every kind a description's words take (digits, brackets, dashes, tags, odd blanks).
_LABEL_PIECES = ("회의 참석수당", "홍보", "운영비", "1차", "2024년", "31인 이상(31인)", "(A4)", "A4", "2·3분기", ":", " :",
                 "-", " - ", "–", "[부가세 포함]", "경정", "기정", "경기", "x", "①", "\u00a0", "\u3000", "１차", "", " ", "=",
                 ")", "원", "5천만원", "항공료")


@formula_settings
@given(st.lists(st.sampled_from(_LABEL_PIECES), max_size=4).map("".join), st.sampled_from(("", " ", "\t", ": ", " - ")),
       formulas(max_leaves=6), styles(), st.sampled_from(("", " ", "  ", "\u3000", " 등", "(월1회)")))
def test_a_description_reads_the_same_either_way(label, separator, ast, style, tail):
    """``read_description`` with its fast paths gives what it gives without them (``mode.FAST``), on labels
    of every kind before formulas of every form."""
    from auditor.formula import render
    from auditor.readers.description import read_description

    body = label + separator + render(ast, style) + tail
    fast = read_description(body)
    mode.FAST = False
    try:
        reference = read_description(body)
    finally:
        mode.FAST = True
    def key(found):
        if found is None:
            return None
        label, formula, calc = found
        attempt = calc.attempt and (calc.attempt[0], type(calc.attempt[1]), calc.attempt[1].column,
                                    calc.attempt[1].reason)
        return label, formula, repr(calc.value), type(calc.value), attempt

    assert key(fast) == key(reference), body
