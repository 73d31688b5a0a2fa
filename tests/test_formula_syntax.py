"""Table-driven tests: each surface syntax of docs/grammar.md parses to its exact value."""

from __future__ import annotations

from fractions import Fraction as F

import pytest

from auditor.formula import BinOp, Neg, Number, Tagged, evaluate, parse_formula, tag_totals

# (formula text, exact value in 원). One row per syntax form named in the issue.
VALUES = [
    # multiplication spellings, with and without blanks
    ("5,000,000원*2회", F(10_000_000)),
    ("5,000,000원 * 2회", F(10_000_000)),
    ("5,000,000원×2회", F(10_000_000)),
    ("5,000,000원 × 2회", F(10_000_000)),
    ("5,000,000원x2회", F(10_000_000)),
    ("5,000,000원 x 2회", F(10_000_000)),
    ("5,000,000원X2회", F(10_000_000)),
    ("3,128,300원 X 3인 X 12월", F(112_618_800)),
    ("5,000,000원✕2회", F(10_000_000)),
    ("5,000,000원·2회", F(10_000_000)),
    ("5,000,000원 · 2회", F(10_000_000)),
    ("2x3", F(6)),
    ("2X3", F(6)),
    # division, fractions
    ("1,200,000원÷12월", F(100_000)),
    ("1,200,000원/12월", F(100_000)),
    ("1,000,000원*30/100", F(300_000)),
    ("2,400,000원*4/12월", F(800_000)),
    ("1,000원/3", F(1000, 3)),
    # addition, subtraction, nested brackets of both kinds
    ("1,000원+2,000원", F(3000)),
    ("3,000원-1,000원", F(2000)),
    ("(1,000원+2,000원)*3명", F(9000)),
    ("[(1,000원+2,000원)*2명+1,000원]*12월", F(84_000)),
    ("[ ( 1,000원 + 2,000원 ) × 2명 ] ÷ 2", F(3000)),
    ("10,000원-(2,000원-500원)", F(8500)),
    ("12,000원/(2*3)/2", F(1000)),
    # numbers: separators, decimals, percentages as multipliers
    ("1234567원", F(1_234_567)),
    ("9,000원*123명*1.5회", F(1_660_500)),
    ("60,000원*7명*12월*90%", F(4_536_000)),
    ("1,000,000원*150%", F(1_500_000)),
    ("756,000천원 × 10.5%", F(79_380_000)),
    ("3,000,000원*15개소*50%", F(22_500_000)),
    ("1,000원*12.5％", F(125)),
    # money units; 천 scales 원
    ("4,800천원", F(4_800_000)),
    ("3백만원*2", F(6_000_000)),
    ("1.5억원", F(150_000_000)),
    ("30,000 원", F(30_000)),
    # count units (any Hangul word, and ℓ)
    ("1,000원*2명*3인*4회*5시간*6일*7월*8개월", F(1000 * 40320)),
    ("1원*2대*3개*4개소*5톤*6통*7종*8박스*9건", F(362_880)),
    ("1원*2부*3매*4식*5강좌*6회선*7개사*8권*9ℓ", F(362_880)),
    ("1,700원*300ℓ", F(510_000)),
    # a formula with no money unit is in 원
    ("158명*50,000*12", F(94_800_000)),
    ("5,000*12", F(60_000)),
    # 경정/기정 terms and differences
    ("경정 2,000,000원*18개소", F(36_000_000)),
    (" 경정 3,568,520,000원", F(3_568_520_000)),
    ("경정 3,128,300원 X 3인 X 12월 - 기정 2,468,800원 X 3인 X 12월", F(23_742_000)),
    ("경정3,000원-기정1,000원", F(2000)),
    # signs
    ("△1,000원", F(-1000)),
    ("Δ 1,000원+3,000원", F(2000)),
    ("3,000원*-2", F(-6000)),
    # 만원, and a money unit followed by a suffix of MONEY_SUFFIXES stays a money unit
    ("5만원*10매", F(500_000)),
    ("50,000원씩*2개", F(100_000)),
    ("5만원씩*3명", F(150_000)),
    ("1,000원짜리*20개", F(20_000)),
    ("1만원권*100매", F(1_000_000)),
    ("30,000원상당*2", F(60_000)),
    ("2천원꼴*10", F(20_000)),
    # full-width digits, brackets and Unicode blanks read as ASCII (NFKC, one for one)
    ("（150,000원*7명）*1회", F(1_050_000)),
    ("［1,000원＋2,000원］＊2", F(6000)),
    ("５,０００원*１１명", F(55_000)),
    ("1,000원／4", F(250)),
    ("150,000\u00a0원*7명", F(1_050_000)),
    ("150,000원\u2009*\u20097명", F(1_050_000)),
    ("\u3000150,000원\u3000×\u30007명", F(1_050_000)),
    # annotations after a number are notes: no value
    ("10,000원*10명*12월(월1회)", F(1_200_000)),
    ("1,000원*2(1박2일)", F(2000)),
    ("10,000원 * 3명 * 10% (부가세)", F(3000)),
    ("10,000원[1인당]*3명", F(30_000)),
    # a blank before a count unit or %, Latin and symbol count units; x stays the operator
    ("5,000원 * 2 회", F(10_000)),
    ("5,000원*30 %", F(1500)),
    ("5,000원x2EA", F(10_000)),
    ("5,000원 x 2 ea", F(10_000)),
    ("2EAx5,000원", F(10_000)),
    ("1,000원*5kg", F(5000)),
    ("1,000원*12m", F(12_000)),
    ("1,000원*12mx2", F(24_000)),
    ("2,000원*10㎡", F(20_000)),
    ("1,700원*3 L", F(5100)),
    ("1,700원*3ℓ", F(5100)),
    # tabs and odd spacing
    ("\t100,000원\t*\t4명 *12개월 ", F(4_800_000)),
]


@pytest.mark.parametrize(("text", "value"), VALUES, ids=[t for t, _ in VALUES])
def test_formula_evaluates_exactly(text, value):
    result = evaluate(parse_formula(text))
    assert isinstance(result, F)
    assert result == value


def test_precedence_and_left_associativity():
    node = parse_formula("1원-2-3*4/5")
    assert node == BinOp("-", BinOp("-", Number(F(1), "원"), Number(F(2))),
                         BinOp("/", BinOp("*", Number(F(3)), Number(F(4))), Number(F(5))))


def test_tag_covers_the_product_after_it():
    node = parse_formula("경정 3,128,300원 X 3인 X 12월 - 기정 2,468,800원 X 3인 X 12월")
    assert isinstance(node, BinOp) and node.op == "-"
    assert isinstance(node.left, Tagged) and node.left.tag == "경정"
    assert isinstance(node.right, Tagged) and node.right.tag == "기정"
    assert tag_totals(node) == {"경정": F(112_618_800), "기정": F(-88_876_800)}


def test_numbers_keep_value_unit_text_and_column():
    node = parse_formula("158명*50,000원")
    assert node.left == Number(F(158), "명")
    assert (node.right.text, node.right.column, node.right.unit) == ("50,000원", 6, "원")
    assert (node.spelling, node.column) == ("*", 5)
    assert parse_formula("10.5%").value == F(21, 2)


def test_money_suffix_keeps_the_money_unit_and_the_text():
    node = parse_formula("50,000원씩*2개")
    assert node.left == Number(F(50_000), "원") and node.left.is_money
    assert (node.left.text, node.left.column) == ("50,000원씩", 1)
    assert parse_formula("5만원").is_money and parse_formula("5만원").unit == "만원"


def test_annotation_is_kept_as_a_note_and_not_evaluated():
    node = parse_formula("10,000원*12월 (월1회)")
    assert node.right == Number(F(12), "월")
    assert (node.right.note, node.right.text) == ("월1회", "12월")
    assert evaluate(node) == 120_000


def test_full_width_columns_stay_those_of_the_text():
    node = parse_formula("（５,０００원＋1원）*２명")
    assert node.right.column == 13 and node.left.left.column == 2
    assert node.left.left.text == "5,000원"  # the number as read, after normalisation


def test_sign_spelling_is_kept():
    node = parse_formula("3 * △2")
    assert isinstance(node.right, Neg)
    assert (node.right.spelling, node.right.column) == ("△", 5)


def test_parse_is_cached_per_distinct_text():
    text = "7,777원*3명*11월"
    assert parse_formula(text) is parse_formula(text)
