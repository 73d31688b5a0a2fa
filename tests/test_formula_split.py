"""Table-driven tests of the label rule (split_label) and the right-hand side (split_rhs)."""

from __future__ import annotations

import pytest

from auditor.formula import formula_attempt, split_label, split_rhs

# (description cell without its marker, expected label, expected formula or None)
SPLITS = [
    ("대민업무수당(5급이하 158명) 158명*50,000원*12", "대민업무수당(5급이하 158명)", "158명*50,000원*12"),
    ("특정업무수행활동비(행정동향) 100,000원*4명*12개월", "특정업무수행활동비(행정동향)", "100,000원*4명*12개월"),
    ("31인 이상(31인) 405,000원*12월", "31인 이상(31인)", "405,000원*12월"),
    ("15인 이하 250,000원*12월", "15인 이하", "250,000원*12월"),
    ("공사비(L=194m, B=11~14m) 2,427,622,800원", "공사비(L=194m, B=11~14m)", "2,427,622,800원"),
    ("자치구 현장복구지원 운영매뉴얼 제작 6,000원*1,000부", "자치구 현장복구지원 운영매뉴얼 제작", "6,000원*1,000부"),
    ("박람회 부스 설치비 25,000,000원*2개", "박람회 부스 설치비", "25,000,000원*2개"),
    ("기간제근로자등보수 55,275,000원", "기간제근로자등보수", "55,275,000원"),
    ("GPR탐사 20,000,000원 x 2회", "GPR탐사", "20,000,000원 x 2회"),
    ("LPG 소형저장탱크 387,000원X1,000개", "LPG 소형저장탱크", "387,000원X1,000개"),
    ("사업비 756,000천원 × 10.5%", "사업비", "756,000천원 × 10.5%"),
    ("인건비 경정 3,128,300원 X 3인 X 12월 - 기정 2,468,800원 X 3인 X 12월",
     "인건비", "경정 3,128,300원 X 3인 X 12월 - 기정 2,468,800원 X 3인 X 12월"),
    ("(구)월촌교 보수 (300,000원+200,000원)*2회", "(구)월촌교 보수", "(300,000원+200,000원)*2회"),
    ("반납금 △1,000원", "반납금", "△1,000원"),
    # a dash between label and formula separates them; glued to the figure after a blank it is a sign
    ("운영비 - 3,000원*2회", "운영비", "3,000원*2회"),
    ("운영비 – 3,000원*2회", "운영비", "3,000원*2회"),
    ("운영비-3,000원*2회", "운영비", "3,000원*2회"),
    ("운영비 -3,000원*2회", "운영비", "-3,000원*2회"),
    ("운영비 −(1,000원+2,000원)", "운영비", "−(1,000원+2,000원)"),
    # 만원 and money units with a suffix are money (they used to be count units: no formula)
    ("홍보물 5만원*10매", "홍보물", "5만원*10매"),
    ("기념품 50,000원씩*2개", "기념품", "50,000원씩*2개"),
    ("기념품 1,000원짜리*20개", "기념품", "1,000원짜리*20개"),
    ("상품권 1만원권*100매", "상품권", "1만원권*100매"),
    # full-width digits and brackets, Unicode blanks
    ("수당 （150,000원*7명）*1회", "수당", "（150,000원*7명）*1회"),
    ("자문료（100,000원+50,000원）*2회", "자문료", "（100,000원+50,000원）*2회"),
    ("다과 ５,０００원*１１명", "다과", "５,０００원*１１명"),
    ("수당\u3000150,000\u00a0원*7명", "수당", "150,000\u00a0원*7명"),
    ("다과 5,000원*11명  \u00a0= 55천원   ", "다과", "5,000원*11명"),
    # annotations, blank before a count unit, Latin count units
    ("회의비 10,000원*10명*12월(월1회)", "회의비", "10,000원*10명*12월(월1회)"),
    ("여비 1,000원*2(1박2일)", "여비", "1,000원*2(1박2일)"),
    ("다과비 5,000원 * 2 회", "다과비", "5,000원 * 2 회"),
    ("소모품 5,000원x2EA", "소모품", "5,000원x2EA"),
    ("A4용지 5박스 x 20,000원", "A4용지", "5박스 x 20,000원"),
    # a figure glued to a label after punctuation still starts a formula
    ("회의비:5,000원*2회", "회의비:", "5,000원*2회"),
    ("회의비  5,000원*2회\t", "회의비", "5,000원*2회"),
    # the whole cell is the formula
    ("60,000원*7명*12월*90%", "", "60,000원*7명*12월*90%"),
    (" 경정 3,568,520,000원", "", "경정 3,568,520,000원"),
    ("5,000*12", "", "5,000*12"),
    # a right-hand side is not part of the formula
    ("30,000,000원 = 30,000천원", "", "30,000,000원"),
    ("여비 50,000,000원\t=\t50,000천원", "여비", "50,000,000원"),
    # no formula: numbers with count units, arithmetic-looking labels without money
    ("제8회 대한민국 지방자치박람회 참가", "제8회 대한민국 지방자치박람회 참가", None),
    ("15인 이하", "15인 이하", None),
    ("31인 이상(31인)", "31인 이상(31인)", None),
    ("5급", "5급", None),
    ("제1기 서울시 균형발전위원회 구성·운영(2019년)", "제1기 서울시 균형발전위원회 구성·운영(2019년)", None),
    ("참석자 100명*2회", "참석자 100명*2회", None),
    ("2026년 호우대비 소하천 준설(성립전)", "2026년 호우대비 소하천 준설(성립전)", None),
    ("경정예산 편성", "경정예산 편성", None),
    ("홍보물 5천만원*2", "홍보물 5천만원*2", None),  # not a money unit: CALC003 (formula_attempt)
    ("다과 5,000*12", "다과 5,000*12", None),  # after a label a formula needs a money unit
    ("시·자치구 회의 및 워크숍 개최\t= 60,000천원", "시·자치구 회의 및 워크숍 개최", None),
    ("", "", None),
]


@pytest.mark.parametrize(("text", "label", "formula"), SPLITS, ids=[t[:40] for t, _, _ in SPLITS])
def test_split_label(text, label, formula):
    assert split_label(text) == (label, formula)


RHS = [
    ("30,000,000원 = 30,000천원", "30,000,000원", "= 30,000천원"),
    ("55,275,000원\t=\t55,275천원", "55,275,000원", "=\t55,275천원"),
    ("반납 1,000원 =△1천원 ", "반납 1,000원", "=△1천원"),
    ("6,000원*1,000부\t= 6,000천원\t", "6,000원*1,000부", "= 6,000천원"),
    ("2,000원 = 2,000", "2,000원", "= 2,000"),
    ("L=194m 공사", "L=194m 공사", None),
    ("다과 5,000원  \u00a0= 55천원", "다과 5,000원", "= 55천원"),
    ("5,000원\u3000=\u300055천원", "5,000원", "=\u300055천원"),
    ("5,000원 ＝ ５천원", "5,000원", "＝ ５천원"),
    ("6,000원*1,000부", "6,000원*1,000부", None),
]


@pytest.mark.parametrize(("text", "label", "formula"), SPLITS, ids=[t[:40] for t, _, _ in SPLITS])
def test_split_formula_is_a_slice_of_the_text(text, label, formula):
    if formula is not None:
        assert formula in text and text.lstrip().startswith(label)


@pytest.mark.parametrize(("text", "left", "rhs"), RHS, ids=[t for t, _, _ in RHS])
def test_split_rhs(text, left, rhs):
    assert split_rhs(text) == (left, rhs)


@pytest.mark.parametrize(("text", "label", "formula"), [
    ("운영비(2회) - 3,000원*2회", "운영비(2회)", "3,000원*2회"),
    ("워크숍 2회 - 5,000원*2회", "워크숍 2회", "5,000원*2회"),
    ("경정 3,000원*2회 - 기정 1,000원*2회", "", "경정 3,000원*2회 - 기정 1,000원*2회"),
    ("운영비 5,000원*2회 + 1,000원", "운영비", "5,000원*2회 + 1,000원"),
])
def test_a_count_before_a_dash_stays_in_the_label(text, label, formula):
    assert split_label(text) == (label, formula)


@pytest.mark.parametrize("label", ["1·2차 회의 개최", "2·3분기 점검", "3∙4호선 연장"])
def test_a_middle_dot_between_numbers_of_a_label_is_no_formula_attempt(label):
    assert split_label(label) == (label, None) and formula_attempt(label) is None


@pytest.mark.parametrize("text", ["회의비 5,000원**Δ0-0원", "회의비 5,000원**3-2원", "회의비 5,000원**Δ0%-0원",
                                  "회의비 5,000원**Δ0명-0원", "워크숍 2회-5,000원*2회",
                                  "회의비 5,000원**Δ0 - 0원", "회의비 5,000원**Δ0명 - 0원", "회의비 5,000원*(3명 - 2,000원"])
def test_a_minus_glued_to_a_figure_continues_a_broken_formula_to_its_left(text):
    assert split_label(text) == (text, None) and formula_attempt(text) is not None


@pytest.mark.parametrize("text", ["회의비 5,000원*2회 - 3회", "회의비 5,000원 -0명+0원", "행사비 2회 + 5,000원"])
def test_money_added_to_a_count_is_reported_not_dropped(text):
    # nor is a shorter tail after its operator taken for the formula (``0원`` of the second)
    label, formula = split_label(text)
    assert (label, formula) == (text, None)
    found = formula_attempt(label)
    assert found is not None and "money" in found[1].reason_en


@pytest.mark.parametrize("cached", [split_label, formula_attempt], ids=["split_label", "formula_attempt"])
def test_the_caches_can_be_cleared_and_inspected(cached):  # benchmarks/formula.py clears them
    cached.cache_clear()
    assert cached.cache_info().currsize == 0
    cached("회의비 5,000원*2회")
    assert cached.cache_info().currsize == 1


# --- is_start: one place, as _starts finds them all ----------------------------------------------

from hypothesis import given, settings, strategies as st  # noqa: E402

from auditor.formula.split import _starts, is_start  # noqa: E402
from auditor.formula.tokens import normalise  # noqa: E402

_START_PIECES = ("경정", "기정", "경정비", "(", "[", ")", "]", "-", "−", "－", "△", "▲", "Δ", "∆", "1", "12", "3,000",
                 ".", ",", " ", "\t", "원", "명", "A", "x", "환경개선2", "가", ":", "*", "+", "/", "_")


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(_START_PIECES), max_size=14).map("".join))
def test_is_start_is_membership_in_starts(text):
    normal = normalise(text)
    starts = set(_starts(normal))
    assert [i for i in range(len(normal) + 1) if is_start(normal, i)] == sorted(starts)


def test_is_start_sees_the_text_before_the_place():
    # after a blank, a digit starts a formula; glued to a word it does not; a bracket glued to a figure
    # starts one only when a letter stands before the figure
    assert is_start("홍보 3,000원", 3) and not is_start("홍보3,000원", 2)
    assert is_start("환경개선2(800,000원*2개)", 5) and not is_start("12(800,000원*2개)", 2)
