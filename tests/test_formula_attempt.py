"""Nothing that looks like a formula vanishes: it is split off and checked, or formula_attempt reports it."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from auditor.engine import load_ruleset
from auditor.formula import FormulaEvaluationError, formula_attempt, numbers, render, split_item, split_label
from auditor.readers import read_bytes
from tests.strategies_formula import formula_settings, formulas, styles

# (label text in which no formula was found, 1-based column of the error in the text, reason fragment)
ATTEMPTS = [
    ("홍보물 5천만원*10매", 6, "알 수 없는 금액 단위"),
    ("기념품 50,000원정*2개", 11, "알 수 없는 금액 단위"),
    ("여비 50,000원 2회", 12, "연산자"),
    ("수당 150,000원**2회", 13, "숫자"),
    ("회의비 10,000원*12월 지급", 17, "연산자"),
    ("대민업무수당(5급이하 158명) 158명*50,000원**12", 32, "숫자"),
    ("용역비 30,000,000원 이내", 17, "연산자"),
    ("3,000**2", 7, "숫자"),
]
NO_ATTEMPT = ["15인 이하", "제8회 대한민국 지방자치박람회 참가", "31인 이상(31인)", "5급", "참석자 100명*2회",
              "경정예산 편성", "", "회의비 5,000원*2회"]


@pytest.mark.parametrize(("text", "column", "reason"), ATTEMPTS, ids=[t for t, _, _ in ATTEMPTS])
def test_unreadable_formula_in_a_label_is_an_attempt(text, column, reason):
    assert split_label(text)[1] is None
    start, err = formula_attempt(text)
    assert start + err.column == column
    assert reason in err.reason


@pytest.mark.parametrize("text", NO_ATTEMPT)
def test_label_without_a_money_figure_is_no_attempt(text):
    assert formula_attempt(text) is None


# (formula text that parses, 1-based column of the '/' that divides by zero)
UNCOMPUTABLE = [
    ("5,000,000원/0회", 11),
    ("(5,000,000원-5,000,000원)/(1회-1회)", 24),
    ("5,000원*0/0", 9),
    ("5,000원/(2회-2회)*0", 7),
    ("경정 3,000원/0회 - 기정 1,000원", 10),
]


@pytest.mark.parametrize(("text", "column"), UNCOMPUTABLE, ids=[t for t, _ in UNCOMPUTABLE])
def test_formula_that_divides_by_zero_is_an_attempt_at_its_slash(text, column):
    assert split_label(f"참가비 {text}")[1] == text  # it parses: the reader keeps it as the formula
    start, err = formula_attempt(text)
    assert isinstance(err, FormulaEvaluationError) and err.text == text
    assert (start + err.column, text[start + err.column - 1]) == (column, "/")
    assert "0으로 나눌 수 없습니다" in err.reason and err.reason_en == "division by zero"


@formula_settings
@given(formulas().filter(lambda ast: any(n.is_money for n in numbers(ast))), styles(),
       st.sampled_from(("0", "0회", "(1회-1회)")))
def test_any_formula_divided_by_zero_is_reported(ast, style, zero):
    text = f"({render(ast, style)}){style.div}{zero}"
    start, err = formula_attempt(text)
    assert isinstance(err, FormulaEvaluationError)
    assert text[start + err.column - 1] in style.div


def test_formula_that_computes_is_no_attempt():
    assert formula_attempt("5,000,000원*0회") is None and formula_attempt("20,000,000원/2회") is None


# Text in front of a formula that makes it the end of a longer one that does not parse.
BROKEN_HEADS = ("5,000원**", "(", "5,000원 ", "3천원*(", "1원+" * 200)


@formula_settings
@given(formulas().filter(lambda ast: any(n.is_money for n in numbers(ast))), styles(),
       st.sampled_from(("회의비", "대민업무수당(5급이하 158명)", "GPR탐사")), st.sampled_from(BROKEN_HEADS))
def test_formula_is_never_cut_out_of_a_longer_broken_one(ast, style, label, head):
    written = f"{head}{render(ast, style)}"
    text = f"{label} {written}"
    found_label, formula = split_label(text)
    if formula is None:
        assert formula_attempt(found_label) is not None, text
    else:  # the whole of it, not the part after the break
        assert len(formula) >= len(written), text


@pytest.mark.parametrize("text", ["부스 5,000원**2회*3,000원", "부스 (5,000원**2회", "부스 5,000원 2회*3,000원",
                                  "부스 " + "+".join(["1원"] * 300), "부스 5,000원**항공료 2,000원"])
def test_end_of_a_broken_formula_is_not_taken_for_the_formula(text):
    assert split_label(text) == (text, None)
    assert formula_attempt(text) is not None


def test_a_formula_whose_closing_bracket_is_missing_is_read_whole_with_a_note():
    # not ``5,000원*2회`` cut out of it: the whole, its bracket closed where it is missing, at the end
    found = split_item("부스 (5,000원*2회")
    assert (found.label, found.formula) == ("부스", "(5,000원*2회)")
    assert [(n.column, n.en) for n in found.notes] == [
        (4, "the bracket '(' is not closed: it was taken as closed at the end of the formula")]


TAILS = ("", " 지급", "**", " 2회", "정", "(", " = 약 5천원", "*")


@formula_settings
@given(formulas().filter(lambda ast: any(n.is_money for n in numbers(ast))), styles(),
       st.sampled_from(("회의비", "대민업무수당(5급이하 158명)", "운영비 -", "운영비-", "GPR탐사")),
       st.sampled_from(TAILS))
def test_money_formula_after_a_label_is_never_lost(ast, style, label, tail):
    text = f"{label} {render(ast, style)}{tail}"
    found_label, formula = split_label(text)
    assert formula is not None or formula_attempt(found_label) is not None, text


RULES = load_ruleset()
HEAD = "산출근거\n\n과목구분\t2024년 예산내역\t\t\n사무관리비\t○ 회의 운영\t= {total}천원\t\n"


def _fired(items: str, total: int) -> list[tuple[str, int]]:
    sheet = read_bytes((HEAD.format(total=total) + items).encode("utf-8"), "case.txt")
    return sorted((f.code, f.line) for f in RULES.check(sheet) if f.code.startswith("CALC"))


def test_wrong_formulas_with_man_won_and_suffixes_are_checked():
    items = "\t- 홍보물 5만원*10매\t= 999천원\t\n\t- 기념품 50,000원씩*2개\t= 106천원\n"
    assert _fired(items, 1105) == [("CALC001", 5), ("CALC001", 6)]


def test_right_formulas_real_officers_write_give_no_calc_finding():
    items = ("\t- 홍보물 5만원*10매\t= 500천원\n"
             "\t- 수당 （150,000원*7명）*1회\t= 1,050천원\n"
             "\t- 다과 ５,０００원*１１명\t= 55천원\n"
             "\t- 회의비 10,000원*10명*12월(월1회)\t= 1,200천원\n"
             "\t- 여비 1,000원*2(1박2일)\t= 2천원\n"
             "\t- 소모품 5,000원 * 2 회\t= 10천원\n"
             "\t- 용지 5,000원x2EA\t= 10천원\n"
             "\t- 운영비 - 3,000원*2\t= 6천원\n")
    assert _fired(items, 2833) == []


def test_formula_that_divides_by_zero_is_reported_at_its_slash_not_dropped():
    sheet = read_bytes((HEAD.format(total=10_000) + "\t- 박람회 참가비 5,000,000원/0회\t= 10,000천원\n").encode(),
                       "c.txt")
    found = [f for f in RULES.check(sheet) if f.code.startswith("CALC")]
    assert [(f.code, f.line, f.column) for f in found] == [("CALC003", 5, 22)]  # at the '/'
    assert "0으로 나눌 수 없습니다" in found[0].message_ko and "division by zero" in found[0].message_en


def test_unknown_money_word_is_reported_at_its_column():
    sheet = read_bytes((HEAD.format(total=100_000) + "\t- 홍보물 5천만원*2\t= 100,000천원\n").encode(), "c.txt")
    found = [f for f in RULES.check(sheet) if f.code == "CALC003"]
    assert [(f.line, f.column) for f in found] == [(5, 9)]  # at 천 of 천만원
