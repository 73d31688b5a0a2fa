"""The one-pass 산출근거 row (``BasisReader._common``) reads a row as the row pattern and ``_entry`` read it.

``fast_row`` first tries :data:`auditor.readers.basis._COMMON`: a row whose description is words, or a label
and a plain flat formula, with a plain amount, read in one pass (one match, one ``findall`` of the
formula's steps, integer arithmetic, provenance as data). Anything it declines goes the way it went
before: :data:`~auditor.readers.basis._ROW`, ``read_description`` and, for what that does not read,
``split_item`` and the grammar. Here both ways read the same rows, built from labels, separators,
formulas of every form, amounts (confirming, not confirming, inline or in a cell) and blanks, and
must give the same model (``auditor parse``'s JSON, every line's ``calc``, the problems). The one-pass
reading made wrong on purpose is caught, so the comparison can fail.
"""

from __future__ import annotations

import json
import random
from fractions import Fraction

import pytest
from hypothesis import given, settings, strategies as st

from auditor.formula import FormulaError, parse_formula, render
from auditor.formula.grammar import MAX_DIGITS, MAX_LENGTH
from auditor.formula.nodes import exact_value
from auditor.readers import basis, read_bytes
from auditor.readers.description import _fold, _operand_value, _plain_steps, flat_value, formula_value, read_description
from auditor.readers.dump import to_data
from auditor.testing import KINDS, generate_sheet
from tests.strategies_formula import formulas, styles
from tests.test_reader_differential import _calcs

_HEAD = "산출근거\n\n과목구분\t2024년 예산내역\t\t\n"
_LABELS = ("회의 참석수당", "홍보 캠페인", "운영비", "1차 회의", "2024년 워크숍 대관료", "2차 설명회 개최", "A4 용지 구입",
           "제3기 위원", "31인 이상(31인)", "2·3분기 점검", "USB 메모리", "경기 홍보", "경정 사업", "x선 촬영", "①",
           "회의\u00a0참석", "회의\u3000참석", "１차", "Box 구입", "회의 5천원", "항공료", "", "회의 -", "회의 –", "회의,", "회의.",
           # brackets and blanks in labels, figures before a middle dot: read in one pass where no place in them parses
           "교재 인쇄(A4)", "자문료(외부위원)", "실태조사(15인 이하 사업장)", "대민업무수당(5급이하 158명)", "식대(8,000원)",
           "회의(x)", "회의 (2명)", "(월 2회)", "운영[부가세 포함]", "회의(경정)", "회의( 참석)", "1·2차 회의", "제2·3분기 점검",
           "2·3원 점검", "1차\u3000회의", "USB\u2009메모리 2차 회의", "회의\u3000", "회의 (1,000원*2회)", "회의[5천원]",
           "회의(1차 회의)", "회의 (", "회의)", "회의 - (외부)")
_SEPARATORS = ("", " ", "  ", " - ", " -", "- ", " – ", ": ", "\u3000")
_UNITS = ("", "", "천원", "원", "백만원", "억원", "%", " 천원")


def _no_common(patch) -> None:
    """The one-pass reading off: a row pattern that matches no row."""
    patch.setattr(basis, "_NOW", [lambda line: None])


def _read(text: str, common: bool) -> str:
    with pytest.MonkeyPatch.context() as patch:
        if not common:
            _no_common(patch)
        sheet = read_bytes((_HEAD + text + "\n").encode("utf-8"), "rows.txt", fragment=True)
    return json.dumps([to_data(sheet), _calcs(sheet)], ensure_ascii=False, indent=0)


def _assert_same(text: str) -> None:
    fast, reference = _read(text, True), _read(text, False)
    assert fast == reference, text


_OPERANDS = ("150,000원", "17명", "2회", "3.5", "50%", "12월", "5천원", "1,2345", "8시간", "3EA", "2Box", "10만원씩", "7",
             "12,000", "0", "1.25백만원", "9개소", "경정", "원", "600,000원짜리", "30일", "4set", "1" * 31,
             # notes, signs and full-width figures after operands (formula_value's _noted)
             "24식(연2회)", "3명[부가세 포함]", "2박(1박2일)", "5회(월 2회)", "4명 (x)", "△3회", "-2명", "１２개월", "7매\u3000", "8권(2+1)")
_OPERATORS = ("*", "x", "×", "·", "/", "+", "-", " * ", " x ", " ✕ ", "÷", " ", "＊")


@st.composite
def plain_formulas(draw) -> str:
    """Flat formulas of plain operands (figures with perhaps a unit), with now and then a piece that is none."""
    operands = [draw(st.sampled_from(_OPERANDS[:1] * 6 + _OPERANDS))]
    operators = []
    for _ in range(draw(st.integers(0, 4))):
        operators.append(draw(st.sampled_from(_OPERATORS)))
        operands.append(draw(st.sampled_from(_OPERANDS)))
    for _ in range(draw(st.sampled_from((0, 0, 1, 1, 2)))):  # brackets around a run of operands, perhaps odd
        i = draw(st.integers(0, len(operands) - 1))
        j = draw(st.integers(i, len(operands) - 1))
        opening, closing = draw(st.sampled_from((("(", ")"), ("[", "]"), ("( ", " )"), ("(", "]"), ("(", ""))))
        operands[i] = opening + operands[i]
        operands[j] = operands[j] + closing
    return operands[0] + "".join(op + operand for op, operand in zip(operators, operands[1:]))


@st.composite
def rows(draw) -> str:
    """A 산출근거 row: blanks, perhaps a 통계목 cell, the ○/- description (a label, a separator, perhaps a
    formula of any form), and its amount (inline after ``=`` or in a cell; the formula's own value, a
    near miss, or any figure; perhaps missing)."""
    parts = [draw(st.sampled_from(("", "\t", "\t\t", " ")))]
    if draw(st.booleans()):
        parts.append(draw(st.sampled_from(("사무관리비", "행사운영비", "사무관리비", "구분", "※ 참고", "계"))) + "\t")
    marker = draw(st.sampled_from(("○ ", "- ", "-", "◯ ", "○", "- ")))
    label = draw(st.sampled_from(_LABELS))
    stated = draw(st.integers(0, 10**9))
    formula = ""
    kind = draw(st.sampled_from(("none", "any", "plain", "plain", "plain")))
    value = None
    if kind == "any":
        ast = draw(formulas(max_leaves=5))
        formula = render(ast, draw(styles()))
        try:
            value = exact_value(ast)
        except Exception:  # noqa: BLE001 - a division by zero: any figure
            value = None
    elif kind == "plain":
        formula = draw(plain_formulas())
        try:
            value = exact_value(parse_formula(formula))
        except FormulaError:
            value = None
    units = _UNITS
    if value is not None and draw(st.integers(0, 3)):
        stated = abs(round(Fraction(value) / 1000)) + draw(st.sampled_from((0, 0, 0, 1, -1)))
        units = ("", "천원", " 천원")
    description = marker + label + (draw(st.sampled_from(_SEPARATORS)) + formula if formula else "")
    figure = (draw(st.sampled_from(("{:,}", "{:,}", "{:,}", "{}", "(x-) {:,}", "△{:,}", "{:,}.5"))).format(abs(stated))
              + draw(st.sampled_from(units)))
    layout = draw(st.sampled_from(("cell", "cell", "cell=", "inline", "inline", "inline-tight", "none", "both")))
    if layout == "cell":
        parts += [description, draw(st.sampled_from(("\t", " \t", "\t\t"))), figure]
    elif layout == "cell=":
        parts += [description, "\t", draw(st.sampled_from(("=", "= ", "=\t"))), figure]
    elif layout == "inline":
        parts += [description, draw(st.sampled_from((" = ", " =", "  = ", "\u3000= "))), figure]
    elif layout == "inline-tight":
        parts += [description, "=", figure]
    elif layout == "both":
        parts += [description, " = ", figure, "\t", figure]
    else:
        parts.append(description)
    parts.append(draw(st.sampled_from(("", "\t", " "))))
    return "".join(parts)


@settings(max_examples=400, deadline=None)
@given(st.lists(rows(), min_size=1, max_size=6))
def test_a_row_reads_the_same_in_one_pass(lines):
    """Groups and items of every shape, in any order: the one-pass reading gives the model the row pattern
    and ``_entry`` give (labels, formulas, amounts, sources, calcs and problems)."""
    _assert_same("\n".join(lines))


@st.composite
def plain_rows(draw) -> str:
    """A row the one-pass reading mostly takes: a label, a flat formula of plain operands with money first,
    and the amount the formula comes to in 천원 (or one 천원 off), in a cell or inline."""
    label = draw(st.sampled_from(_LABELS))
    formula = (draw(st.sampled_from(("150,000원", "5천원", "1.25백만원", "10만원씩", "600,000원짜리")))
               + draw(st.sampled_from(_OPERATORS)) + draw(plain_formulas()))
    try:
        value = exact_value(parse_formula(formula))
    except FormulaError:
        value = 0
    stated = abs(round(Fraction(value) / 1000)) + draw(st.sampled_from((0, 0, 0, 1)))
    marker = draw(st.sampled_from(("○ ", "- ", "- ", "-")))
    amount = draw(st.sampled_from(("\t= {:,}천원", "\t{:,}", " = {:,}천원", "\t=\t{:,} 천원"))).format(stated)
    return "\t" + marker + label + draw(st.sampled_from(_SEPARATORS)) + formula + amount


@settings(max_examples=300, deadline=None)
@given(st.lists(plain_rows(), min_size=1, max_size=4))
def test_a_plain_formula_row_reads_the_same_in_one_pass(lines):
    """Rows of labels and plain flat formulas with confirming amounts (what the one-pass reading is for)."""
    _assert_same("사무관리비\t○ 운영\t= 1천원\n" + "\n".join(lines))


@pytest.mark.parametrize("seed", range(4))
def test_generated_basis_rows_read_the_same_in_one_pass(seed, monkeypatch):
    """The 산출근거 tables of generated sheets (every fault kind, noise and encoding), one pass or not."""
    kinds = list(KINDS)
    for i in range(25):
        sheet = generate_sheet(random.Random(f"common/{seed}/{i}"), fault=kinds[i % len(kinds)] if i % 3 == 0 else None)
        with monkeypatch.context() as patch:
            fast = json.dumps([to_data(s := read_bytes(sheet.data, "s.txt")), _calcs(s)], ensure_ascii=False)
            _no_common(patch)
            reference = json.dumps([to_data(s := read_bytes(sheet.data, "s.txt")), _calcs(s)], ensure_ascii=False)
        assert fast == reference, i


@settings(max_examples=300, deadline=None)
@given(formulas(max_leaves=8), styles())
def test_formula_value_is_the_plain_steps_folded_or_read_descriptions_reading(ast, style):
    """``formula_value`` (one ``findall``, its steps checked to cover the text) gives, for a flat formula, what
    ``_plain_steps`` and ``_fold`` give, and ``_operand_value``'s value where it has one; and for any
    formula it reads (brackets, notes, signs: ``_noted``), what ``read_description`` takes of the tail
    as its formula, with no label."""
    from auditor.formula import normalise

    text = normalise(render(ast, style))
    steps = _plain_steps(text, 0, len(text))
    expected = None
    if steps is not None and text[:1].isdigit() and not any(len(step[2]) > MAX_DIGITS for step in steps) \
            and len(text) <= MAX_LENGTH:
        folded = _fold(steps)
        expected = None if not isinstance(folded, (int, Fraction)) else folded
    got = formula_value(text) if text[:1].isdigit() or text[:1] in "([" else None
    if steps is not None:
        assert (got, type(got)) == (expected, type(expected)), text
    if got is not None and steps is not None:
        reference = _operand_value(text)
        assert (got, type(got)) == (reference, type(reference)), text
    if got is not None:
        found = read_description(text)
        assert found is not None and found[:2] == ("", text) and found[2].attempt is None, (text, found)
        assert (got, type(got)) == (found[2].value, type(found[2].value)), text


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_OPERANDS), min_size=1, max_size=5), st.lists(st.sampled_from(_OPERATORS), min_size=4,
       max_size=4), st.sampled_from(("", "(", "[", "([")))
def test_a_formula_with_notes_is_valued_as_read_description_reads_it(operands, operators, opening):
    """Operands with notes, signs and full-width figures, perhaps in brackets that may not pair: where
    ``formula_value`` gives a value, it is ``read_description``'s for the tail with no label."""
    text = opening + operands[0] + "".join(op + operand for op, operand in zip(operators, operands[1:]))
    text = (text + (")" if opening.endswith("(") else "]" if opening else "")).rstrip()  # as _COMMON's formula ends
    if not text[:1].isdigit() and text[:1] not in "([":
        return
    got = formula_value(text)
    if got is not None:
        found = read_description(text)
        assert found is not None and found[1] == text and found[2].attempt is None, (text, found)
        assert (got, type(got)) == (found[2].value, type(found[2].value)), text


@pytest.mark.parametrize("broken", ["flat_value", "formula_value"])
def test_the_one_pass_row_made_wrong_is_caught(monkeypatch, broken):
    """The comparison can fail: a one-pass reading whose formula's value is one 원 too much, where the row
    pattern's own groups give the operands (``flat_value``) and where the formula is read apart
    (``formula_value``: brackets, five operands)."""
    import auditor.readers.basis as module

    lines = ["행사운영비\t○ 홍보 캠페인\t= 1,000천원", "\t- 강사료 60,000원*8시간\t= 480천원",
             "\t- 1차 회의 참석수당 150,000원*17명*2회\t= 5,100천원",
             "\t- 자문료 (60,000원 + 4,000원) x 8시간\t= 512천원", "\t- 다과 1,000원*2명*2회*2일*5차\t= 40천원"]
    text = "\n".join(lines)
    reference = _read(text, False)
    assert _read(text, True) == reference
    real = getattr(module, broken)
    monkeypatch.setattr(module, broken, lambda *args: None if real(*args) is None else real(*args) + 1)
    assert _read(text, True) != reference


def test_a_reading_whose_value_has_no_finite_decimal_is_noted_not_a_crash():
    """The split's note on its most likely reading shows a value such as 14,999/3 원 rounded (it raised
    ValueError, and the whole file was reported unreadable)."""
    sheet = read_bytes((_HEAD + "○ 회의 5천원 - 항공료 1원/3\t0\n").encode("utf-8"), "rows.txt", fragment=True)
    notes = [p.message_ko for p in sheet.problems if "그럴듯한" in p.message_ko]
    assert notes and "≈4,999.67원" in notes[0], [p.message_ko for p in sheet.problems]


def test_a_note_read_wrong_in_one_pass_is_caught(monkeypatch):
    """The comparison can fail for the tails ``formula_value`` reads operand by operand (notes after operands,
    ``_noted``) and for labels with brackets, where a place was passed (the row pattern's ``passed``): each made wrong is caught."""
    import auditor.readers.description as description

    lines = ["행사운영비\t○ 홍보 캠페인\t= 1,000천원", "\t- 강사료 60,000원*8시간(월1회)\t= 480천원",
             "\t- 자문료(외부위원) 150,000원*17명[부가세 포함]*2회\t= 5,100천원", "\t- 자문(외부)* 5,000원*2회\t= 10천원"]
    text = "\n".join(lines)
    reference = _read(text, False)
    assert _read(text, True) == reference
    with monkeypatch.context() as patch:
        real = description._noted
        patch.setattr(description, "_noted", lambda formula: None if real(formula) is None else real(formula) + 1)
        assert _read(text, True) != reference
    with monkeypatch.context() as patch:  # no digit or bracket in a label counts as a place passed
        assert "(?P<passed>" in basis._COMMON_TEXT
        patch.setattr(basis, "_COMMON_TEXT", basis._COMMON_TEXT.replace("(?P<passed>", "(?P<passed>(?!)x)|(?:"))
        patch.setattr(basis, "_COMMONS", {})
        patch.setattr(basis, "_NOW", [])
        assert _read(text, True) != reference


def test_the_spelt_out_blanks_are_what_backslash_s_matches():
    """``basis.SPACE`` stands for ``\\s`` in the row pattern's classes: the same characters, every one of them."""
    import re

    spelt = re.compile(f"[{basis.SPACE}]")
    assert [c for c in range(0x110000) if (spelt.fullmatch(chr(c)) is not None) != chr(c).isspace()] == []


_FLAT_OPERANDS = ("150,000원", "17명", "2회", "3.5", "50%", "5천원", "1,2345", "3EA", "2Box", "10만원씩", "7", "0",
                  "1.25백만원", "600,000원짜리", "4set", "1" * 31, "2 명", "3 %", "1,000 원", "12,000.5원", "9억원",
                  "5 천원", "8시간", "2x", "3m²", "6개월", "경정", "원", "1.", "０", "24식(연2회)")
_FLAT_OPERATORS = ("*", "x", "X", "×", "·", "∙", "⋅", "✕", "✖", "＊", "/", "÷", "+", "＋", "-", "−", "－", " * ", "  x ",
                   " ", "")


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_FLAT_OPERANDS[:1] * 4 + _FLAT_OPERANDS), min_size=1, max_size=5),
       st.lists(st.sampled_from(_FLAT_OPERATORS), min_size=4, max_size=4), st.sampled_from(("", "\t", " ")))
def test_the_row_patterns_operands_give_formula_values_value(operands, operators, after):
    """Where the row pattern reads a formula's operands in its own match (``flat``: at most four plain
    operands), ``flat_value`` of its groups is ``formula_value`` of the formula's text, value and type
    (None alike), and the groups hold as many operands as the steps' ``findall`` reads."""
    from auditor.readers.description import FLAT_OPERANDS, _PLAIN, _plain
    from auditor.formula.tokens import tokens

    formula = operands[0] + "".join(op + operand for op, operand in zip(operators, operands[1:]))
    m = basis._common_now()(f"\t○ 회의 {formula}{after}\t1,000천원")
    if m is None or m["flat"] is None:  # no formula, or one read apart (formula_value)
        return
    groups = m.groups()
    got = flat_value(groups, basis._FLAT_AT, m["formula"])
    expected = formula_value(m["formula"])
    assert (got, type(got)) == (expected, type(expected)), formula
    steps = (_PLAIN.get(tokens()) or _plain(tokens())).findall(m["formula"])
    read = [groups[k] for k in range(basis._FLAT_AT, basis._FLAT_AT + 5 * FLAT_OPERANDS, 5) if groups[k] is not None]
    assert read == [step[3] for step in steps], formula


def test_flat_value_made_wrong_is_caught():
    """The comparison above can fail: a product of four operands whose last is read as one."""
    m = basis._common_now()("\t○ 회의 150,000원*17명*2회*3일\t15,300천원")
    assert m["flat"] is not None
    groups = list(m.groups())
    assert flat_value(tuple(groups), basis._FLAT_AT, m["formula"]) == formula_value(m["formula"])
    groups[basis._FLAT_AT + 15] = "1"
    assert flat_value(tuple(groups), basis._FLAT_AT, m["formula"]) != formula_value(m["formula"])


def test_the_money_words_spelt_out_are_the_grammars():
    """``flat_operands`` spells the money words one by one: exactly the words ``MONEY_WORD`` matches (all
    strings of its syllables up to three long tried), the money units the model knows."""
    import itertools
    import re

    from auditor.formula.tokens import MONEY_WORD
    from auditor.readers.description import _MONEY_WORDS
    from auditor.source import MONEY_UNITS

    syllables = "백만천억원"
    matched = {"".join(chars) for n in range(1, 4) for chars in itertools.product(syllables, repeat=n)
               if re.fullmatch(MONEY_WORD, "".join(chars))}
    assert matched == set(_MONEY_WORDS.split("|")) <= set(MONEY_UNITS)
