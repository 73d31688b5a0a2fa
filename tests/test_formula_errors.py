"""Table-driven tests: bad formulas give FormulaSyntaxError at the right column, never a crash."""

from __future__ import annotations

import pickle

import pytest

from auditor.formula import (
    MAX_DEPTH, MAX_DIGITS, MAX_LENGTH, FormulaEvaluationError, FormulaSyntaxError, evaluate,
    parse_formula,
)

# (text, 1-based column of the caret, a fragment of the Korean reason)
ERRORS = [
    ("3,000원*", 8, "식의 끝"),
    ("3,000원 *  ", 11, "식의 끝"),
    ("3,000원 4명", 8, "연산자"),
    ("3,000원*abc", 8, "숫자"),
    ("3*/4", 3, "숫자"),
    ("3+*4", 3, "숫자"),
    ("*3", 1, "숫자"),
    ("abc", 1, "숫자"),
    ("12,5원", 3, "연산자"),
    ("1,000원 = 1천원", 8, "연산자"),
    ("(3+4", 1, "닫히지 않은 괄호"),
    ("(3+(4*2)", 1, "닫히지 않은 괄호"),
    ("3+4)", 4, "짝이 맞지 않는"),
    ("(3+4]", 5, "짝이 맞지 않는"),
    ("()", 2, "숫자"),
    ("(3 4)", 4, "닫는 괄호 ')'"),
    ("[3*(4+5 6)]", 9, "닫는 괄호 ')'"),
    ("(3+)", 4, "숫자"),
    ("경정", 3, "숫자"),
    ("경정 *3", 4, "숫자"),
    ("3*경정 4", 3, "숫자"),
    ("△", 2, "숫자"),
    ("", 1, "비어"),
    ("   ", 1, "비어"),
    ("\t3\t*\t", 6, "식의 끝"),
    ("(" * (MAX_DEPTH + 1) + "1" + ")" * (MAX_DEPTH + 1), MAX_DEPTH + 1, "중첩"),
    ("(" * 5000, MAX_LENGTH + 1, "너무 깁니다"),
    ("1" * (MAX_DIGITS + 1) + "원", 1, "숫자가 너무"),
    ("3*" + "1,000" * 10, 3, "숫자가 너무"),
    ("9" * 10_000, MAX_LENGTH + 1, "너무 깁니다"),
    # a count unit never holds 원: an unknown money word is an error at its column
    ("5천만원*2", 2, "알 수 없는 금액 단위"),
    ("50,000원정*2", 7, "알 수 없는 금액 단위"),
    ("3*2원씩이", 4, "알 수 없는 금액 단위"),
    # arithmetic in brackets after a number is not an annotation; nor is a group without Hangul
    ("10,000원(3명+2명)", 8, "연산자"),
    ("(1+2)(3)", 6, "연산자"),
    ("1,000원*2 (x3)", 10, "연산자"),
    # full-width and blanks keep columns one for one
    ("５,０００원＊", 8, "식의 끝"),
    ("（3\u3000 4）", 5, "닫는 괄호"),
    ("3,000원\u00a0*\u00a0", 10, "식의 끝"),
    ("경정 3,000원*2 기정 1,000원", 13, "연산자"),
    ("1*" * 300 + "1", MAX_LENGTH + 1, "너무 깁니다"),
]


@pytest.mark.parametrize(("text", "column", "reason"), ERRORS, ids=[t[:30] for t, _, _ in ERRORS])
def test_bad_formula_points_at_its_column(text, column, reason):
    with pytest.raises(FormulaSyntaxError) as info:
        parse_formula(text)
    err = info.value
    assert (err.text, err.column) == (text, column)
    assert reason in err.reason
    assert err.reason_en and err.reason_en != err.reason
    assert isinstance(err, ValueError)


@pytest.mark.parametrize(("text", "column", "reason"), ERRORS, ids=[t[:30] for t, _, _ in ERRORS])
def test_reason_has_no_paired_particle(text, column, reason):
    with pytest.raises(FormulaSyntaxError) as info:
        parse_formula(text)
    for pair in ("이(가)", "은(는)", "을(를)", "가(이)"):
        assert pair not in info.value.reason


@pytest.mark.parametrize(("text", "expected"), [
    ("3*/4", "숫자 또는 여는 괄호가 필요합니다"),
    ("3 4", "연산자(*, ×, /, +, -) 또는 식의 끝이 필요합니다"),
    ("(3 4)", "닫는 괄호 ')' 또는 연산자가 필요합니다"),
    ("경정", "숫자 또는 여는 괄호가 필요합니다"),
    ("5천만원", "'천만원'은 알 수 없는 금액 단위입니다"),
])
def test_reason_uses_the_particle_that_fits(text, expected):
    with pytest.raises(FormulaSyntaxError) as info:
        parse_formula(text)
    assert info.value.reason.startswith(expected)


def test_message_shows_text_and_caret_under_the_column():
    with pytest.raises(FormulaSyntaxError) as info:
        parse_formula("158명*50,000원*")
    lines = str(info.value).splitlines()
    assert lines[0].startswith("산출근거식 구문 오류: ") and "formula syntax error" in lines[0]
    assert lines[1:] == ["158명*50,000원*", " " * 15 + "^"]  # 명 and 원 are two columns wide


def test_caret_keeps_tabs_so_it_lines_up():
    with pytest.raises(FormulaSyntaxError) as info:
        parse_formula("\t3\t*\t")
    assert str(info.value).splitlines()[-1] == "\t \t \t^"  # column 6: past the end


def test_cached_error_is_raised_fresh_each_time():
    errors = []
    for _ in range(2):
        with pytest.raises(FormulaSyntaxError) as info:
            parse_formula("3*/4")
        errors.append(info.value)
    assert errors[0] is not errors[1]
    assert (errors[0].column, errors[0].reason) == (errors[1].column, errors[1].reason)


def test_error_survives_pickling():
    with pytest.raises(FormulaSyntaxError) as info:
        parse_formula("3*/4")
    copy = pickle.loads(pickle.dumps(info.value))
    assert (copy.text, copy.column, copy.reason, copy.reason_en) == (
        "3*/4", 3, info.value.reason, info.value.reason_en)


def test_deepest_allowed_nesting_still_parses():
    text = "(" * MAX_DEPTH + "1원" + ")" * MAX_DEPTH
    assert evaluate(parse_formula(text)) == 1


def test_division_by_zero_is_an_evaluation_error_at_the_operator():
    node = parse_formula("1,000원/(3-3)")
    with pytest.raises(FormulaEvaluationError) as info:
        evaluate(node)
    assert info.value.column == 7
    assert "0으로" in info.value.reason and isinstance(info.value, ValueError)
