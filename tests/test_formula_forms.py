"""Every way real budget books write the formula inside an item's text (issue 15): a table of real
forms, the amount choosing between readings, and generated items of every shape."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from auditor.engine import load_ruleset
from auditor.formula import FormulaEvaluationError, numbers, parse_formula, split_item, split_label
from auditor.formula.nodes import exact_value
from auditor.formula.split import formula_attempt
from auditor.readers import read_bytes
from tests.strategies_formula import BROKEN_INSIDE, formula_settings, items

# (item text, stated amount or None, label, formula as read, value in 원, named operands as
# (name, column of its number in the formula), 1-based column of the formula in the text, what a note says)
FORMS = [
    # a formula in a bracket nested in the label: the label keeps its own bracket
    ("서고 방역(상시 방역제(35,000원*12개))", None, "서고 방역(상시 방역제)", "(35,000원*12개)", 420_000, [], 13, None),
    ("전산장비 유지관리(서버 유지관리(1,250,000원*12개월))", None, "전산장비 유지관리(서버 유지관리)",
     "(1,250,000원*12개월)", 15_000_000, [], 18, None),
    # words before the formula inside the bracket: the name of its first operand
    ("문서 전산화(본청 보존문서 500원*20,000면)", None, "문서 전산화", "(본청 보존문서 500원*20,000면)",
     10_000_000, [("본청 보존문서", 10)], 7, None),
    # a label bracket, the formula, a stray closing bracket: left out, with a note
    ("서고 소독(약품 구입(정기)300,000원*6회))", None, "서고 소독(약품 구입(정기))", "300,000원*6회", 1_800_000,
     [], 16, "짝이 없는 닫는 괄호"),
    # two brackets in a row, the second holding the formula
    ("(약품 구입(수시)(300,000원*6회))", None, "(약품 구입(수시))", "(300,000원*6회)", 1_800_000, [], 11, None),
    # Latin and compatibility units (rules/vocabulary/단위.toml)
    ("세척제 18,000원*500ml*2회", None, "세척제", "18,000원*500ml*2회", 18_000_000, [], 5, None),
    ("퇴비 3,000원*20kg*5포", None, "퇴비", "3,000원*20kg*5포", 300_000, [], 4, None),
    ("차선 도색 1,500원*120m", None, "차선 도색", "1,500원*120m", 180_000, [], 7, None),
    ("순찰 유류비 200원*35km*12월", None, "순찰 유류비", "200원*35km*12월", 84_000, [], 8, None),
    ("경유 1,700원×500L", None, "경유", "1,700원×500L", 850_000, [], 4, None),
    ("폐기물 처리 80,000원*2.5ton", None, "폐기물 처리", "80,000원*2.5ton", 200_000, [], 8, None),
    ("도배 12,000원*35m²", None, "도배", "12,000원*35m²", 420_000, [], 4, None),
    ("장판 15,000원*35㎡", None, "장판", "15,000원*35㎡", 525_000, [], 4, None),
    ("소모품 5,000원x2EA", None, "소모품", "5,000원x2EA", 10_000, [], 5, None),
    ("공구 30,000원*3set", None, "공구", "30,000원*3set", 90_000, [], 4, None),
    # named operands inside a bracketed formula, as sheets write travel and event costs
    ("국외 연수 (항공료 1,500,000원 + 숙박비 180,000원 × 4일) × 3명", None, "국외 연수",
     "(항공료 1,500,000원 + 숙박비 180,000원 × 4일) × 3명", 6_660_000,
     [("항공료", 6), ("숙박비", 23)], 7, None),
    # a 추경 formula that subtracts the earlier amount; 경정 alone
    ("(86,666원×8명×12월) − 8,680,000원", None, "", "(86,666원×8명×12월) − 8,680,000원", -360_064, [], 1, None),
    ("경정 22,031,000원", None, "", "경정 22,031,000원", 22_031_000, [], 1, None),
    # sums of products
    ("청소용품 ((42,000원*50개)+(27,500원*40개))", None, "청소용품", "((42,000원*50개)+(27,500원*40개))",
     3_200_000, [], 6, None),
    # numbers without 원 inside a money formula: the amount says it is one
    ("시간외수당 (250,000*12월)", (3_000, "천원"), "시간외수당", "(250,000*12월)", 3_000_000, [], 7,
     "금액 단위가 없지만"),
    # a digit glued to the bracket
    ("환경개선2(800,000원*2개)", None, "환경개선2", "(800,000원*2개)", 1_600_000, [], 6, None),
    # a closing bracket missing at the end: assumed there, with a note
    ("문서 전산화(본청 보존문서 500원*20,000면", None, "문서 전산화", "(본청 보존문서 500원*20,000면)",
     10_000_000, [("본청 보존문서", 10)], 7, "짝이 없어 산출식 끝에서"),
    # two readings: the amount chooses, and a note says so
    ("보수(86,666원×8명×12월) − 8,680,000원", (8_680, "천원"), "보수(86,666원×8명×12월)", "8,680,000원",
     8_680_000, [], 22, "금액과 맞는 읽기"),
    ("보수(86,666원×8명×12월) − 8,680,000원", (-361, "천원"), "보수", "(86,666원×8명×12월) − 8,680,000원",
     -360_064, [], 3, None),
    ("운영 (300,000원+50,000원*6회", (2_100, "천원"), "운영", "(300,000원+50,000원)*6회", 2_100_000, [], 4,
     "이 자리에서 닫은"),
    ("운영 (300,000원+50,000원*6회", (600, "천원"), "운영", "(300,000원+50,000원*6회)", 600_000, [], 4,
     "산출식 끝에서 닫은"),
    # no reading matches: the most likely is kept, and the others are notes with their values
    ("보수(86,666원×8명×12월) − 8,680,000원", (1, "천원"), "보수", "(86,666원×8명×12월) − 8,680,000원",
     -360_064, [], 3, "다른 읽기: '8,680,000원' = 8,680,000원"),
]


@pytest.mark.parametrize(("text", "amount", "label", "formula", "value", "names", "column", "note"), FORMS,
                         ids=[f"{t[:30]}-{a}" for t, a, *_ in FORMS])
def test_every_form_is_read_with_its_exact_value(text, amount, label, formula, value, names, column, note):
    found = split_item(text, amount=amount)
    assert (found.label, found.formula, found.value) == (label, formula, value)
    written = text[found.start:found.reading.end]  # what it was read from: the same, but for closing brackets
    assert found.start + 1 == column and written.replace(")", "") == formula.replace(")", ""), written
    tree = parse_formula(found.formula)
    assert exact_value(tree) == value
    assert [(n.name, n.column) for n in numbers(tree) if n.name] == names
    notes = " ".join(n.ko for n in found.notes)
    assert (note in notes) if note else not found.notes, notes
    assert all(n.en for n in found.notes)
    if amount is None:  # without an amount, the old call gives the same label and formula
        assert split_label(text) == (label, formula)


def test_without_an_amount_a_formula_without_money_after_a_label_is_no_formula():
    assert split_label("시간외수당 (250,000*12월)") == ("시간외수당 (250,000*12월)", None)
    assert split_item("시간외수당 (250,000*12월)", amount=(2_999, "천원")).formula is None  # it must match
    assert split_item("참석자 100명*2회", amount=(0, "천원")).formula is None  # an amount of 0 proves nothing


def test_the_label_and_formula_spans_hold_what_they_read():
    text = "서고 소독(약품 구입(정기)300,000원*6회))"
    found = split_item(text)
    assert text[found.label_start:found.label_end] == "서고 소독(약품 구입(정기)300,000원*6회)"
    assert [n.column for n in found.notes] == [len(text)]  # the stray one is the last
    assert found.reading.label_end == len(text) - 1


def test_a_note_never_hides_a_reading_with_the_same_value():
    found = split_item("보수(86,666원×8명×12월) − 8,680,000원", amount=(1, "천원"))
    assert [a.formula for a in found.alternatives] == ["8,680,000원"]
    assert found.alternatives[0].label == "보수(86,666원×8명×12월)"


# -- the rules see it: CALC001 checks what was read, PARSE009 says how ---------------------------

RULES = load_ruleset()
HEAD = "산출근거\n\n과목구분\t2025년 예산내역\n사무관리비\t○ 서고 관리\t= {total}천원\n"


def _findings(items: str, total: int) -> list[tuple[str, int]]:
    sheet = read_bytes((HEAD.format(total=total) + items).encode("utf-8"), "case.txt", fragment=True)
    return sorted((f.code, f.line) for f in RULES.check(sheet) if f.code.startswith(("CALC", "PARSE")))


def test_right_items_of_every_form_give_no_calc_finding():
    items = "".join(f"\t- {text}\t= {value // 1000:,}천원\n" for text, amount, _, _, value, *_ in FORMS
                    if amount is None and value > 0 and value % 1000 == 0)
    total = sum(v for t, a, _, _, v, *_ in FORMS if a is None and v > 0 and v % 1000 == 0) // 1000
    found = _findings(items, total)
    assert [code for code, _ in found if code.startswith("CALC")] == []
    assert {code for code, _ in found} <= {"PARSE009"}  # the stray and the missing brackets


def test_a_wrong_amount_is_checked_against_the_most_likely_reading_with_the_others_noted():
    found = _findings("\t- 보수(86,666원×8명×12월) − 8,680,000원\t= 1천원\n", 1)
    assert found == [("CALC001", 5), ("PARSE009", 5)]


def test_the_amount_picks_the_reading_that_matches_and_says_so():
    found = _findings("\t- 보수(86,666원×8명×12월) − 8,680,000원\t= 8,680천원\n", 8_680)
    assert found == [("PARSE009", 5)]


def test_wrong_arithmetic_in_a_nested_bracket_is_caught():
    assert _findings("\t- 서고 방역(상시 방역제(35,000원*12개))\t= 400천원\n", 400) == [("CALC001", 5)]


# -- generated items of every shape ----------------------------------------------------------------

def _core(rendered: str, ast) -> str:
    """The formula as the split finds it outside a bracket: without its first operand's name, which
    stands where a label's words stand (docs/grammar.md, the label rule)."""
    name = numbers(ast)[0].name
    return rendered[len(name):].lstrip() if name and rendered.startswith(name + " ") else rendered


@formula_settings
@given(items())
def test_the_split_finds_the_generated_formula_and_its_exact_value(item):
    text, ast, rendered, assumed = item
    try:
        want = exact_value(ast)
    except FormulaEvaluationError:
        want = None
    found = split_item(text)
    assert found.formula is not None, text
    assert _core(rendered, ast) in found.formula, text
    assert found.value == want, text
    written = text[found.reading.start:found.reading.end]
    added = found.formula[len(written):]
    assert found.formula.startswith(written) and not added.strip(")]"), text
    if added:  # nothing is assumed silently
        assert any("짝이 없어" in n.ko for n in found.notes), text
    if assumed and rendered[0].isdigit():  # the bracket left open is the formula's: its number is named
        assert added and found.formula.startswith("("), text


@formula_settings
@given(items())
def test_the_amount_never_changes_a_reading_that_matches_it(item):
    text, ast, rendered, _ = item
    found = split_item(text)
    if found.value is None or found.value < 0 or found.value % 1000:
        return
    amount = (found.value // 1000, "천원")
    assert split_item(text, amount=amount).reading == found.reading


@formula_settings
@given(items(), st.sampled_from(BROKEN_INSIDE))
def test_a_formula_is_never_cut_out_of_a_longer_broken_one_inside_brackets(item, head):
    text, ast, rendered, _ = item
    core = _core(rendered, ast)
    broken = text.replace(core, head + core, 1)
    found = split_item(broken)
    if found.formula is None:
        assert formula_attempt(found.label) is not None, broken
    else:  # the whole of it, not the part after the break
        assert head.strip() in found.formula or head in found.formula, broken


def test_the_reader_keeps_where_label_and_formula_were_read():
    line = "\t- 서고 소독(약품 구입(정기)300,000원*6회))\t= 1,800천원"
    sheet = read_bytes((HEAD.format(total=1_800) + line + "\n").encode("utf-8"), "case.txt", fragment=True)
    item = sheet.basis.categories[0].groups[0].items[0]
    assert (item.label.value, item.formula.value) == ("서고 소독(약품 구입(정기))", "300,000원*6회")
    assert item.formula.source.column == line.index("300,000") + 1 and item.formula.source.text == "300,000원*6회"
    assert item.label.source.column == line.index("서고") + 1
    assert item.label.source.text == "서고 소독(약품 구입(정기)300,000원*6회)"  # up to its own closing bracket
    [note] = [p for p in sheet.problems if p.code == "PARSE009"]
    assert note.source.column == line.rindex(")") + 1 and "unmatched closing bracket" in note.message_en


def test_auditor_parse_shows_the_note(tmp_path):
    from click.testing import CliRunner

    from auditor.cli import main

    path = tmp_path / "sheet.txt"
    path.write_text(HEAD.format(total=8_680) + "\t- 보수(86,666원×8명×12월) − 8,680,000원\t= 8,680천원\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["parse", str(path)])
    assert "PARSE009" in result.stderr and "금액과 맞는 읽기" in result.stderr
    assert "8,680,000원" in result.stdout
