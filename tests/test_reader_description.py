"""The one-pass 산출근거 row reader gives what the formula package's reference functions give.

:func:`auditor.readers.description.read_description` reads most descriptions in one pass; whatever it
returns must be exactly ``split_label``'s label and formula, the formula's exact value
(``exact_value`` of ``parse_formula``) and ``formula_attempt``'s answer for the formula or the
label. The descriptions are drawn in every shape a label and a formula take (words, counts and
brackets in labels; separators; every operator spelling, brackets, percentages, units, tags and
signs in formulas; broken formulas and junk), and the sheets of the generated corpus are read with
and without the fast path.
"""

from __future__ import annotations

import random
from fractions import Fraction
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings, strategies as st

from auditor.formula import FormulaError, formula_attempt, parse_formula, render, split_item
from auditor.formula.nodes import exact_value
from auditor.model import BasisGroup, BasisItem, FormulaResult, Sheet
from auditor.source import MONEY_UNITS
from auditor.readers import basis, read_bytes, read_file
from auditor.readers.basis import _confirmed, calc_of
from auditor.readers.description import read_description
from auditor.testing import KINDS, generate_sheet
from tests.strategies_formula import FRAGMENTS, formula_settings, formulas, money_plus_count, styles

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "sheets"

#: Pieces of labels as sheets write them: words, counts, years, brackets, dots, colons, dashes, tags.
LABEL_PIECES = ("회의 참석수당", "홍보", "다과", "운영비", "1차", "제3기", "2024년", "31인 이상(31인)", "(A4)", "A4",
                "2·3분기", "시·자치구", ":", " :", "-", " - ", "–", "(외부위원)", "[부가세 포함]", "지원", "위원",
                "5천만원", "경정", "기정", "x", "Box", "①", "\u00a0", "\u3000", "１차", "", " ")
SEPARATORS = ("", " ", "  ", " - ", "-", ": ", " – ", "\t", "(", " [")
TAILS = ("", " ", "(월1회)", " 등", ")", "]", "*", " 원")


def reference_calc(label: str, formula: str | None) -> FormulaResult:
    """TEAM.md contract 3 from first principles: the formula's value as the engine computes it
    (None when it does not parse or has no value), and formula_attempt of the formula or the label."""
    value = None
    if formula is not None:
        try:
            value = exact_value(parse_formula(formula))
        except FormulaError:
            value = None
    return FormulaResult(value, formula_attempt(formula if formula is not None else label))


def comparable(calc: FormulaResult) -> tuple:
    """A FormulaResult with its error spelled out (errors compare by identity)."""
    attempt = calc.attempt
    if attempt is not None:
        start, err = attempt
        attempt = (start, type(err), err.text, err.column, err.reason, err.reason_en)
    return calc.value, type(calc.value), attempt


def stated(value) -> tuple[int, str]:
    """An amount in 천원 that states ``value`` (원) as sheets round it: what the reader passes the split."""
    return int(Fraction(value) / 1000), "천원"


def assert_read_as_the_reference(body: str) -> bool:
    """read_description agrees with the reference on ``body`` (True when the reader would take its reading).

    The reference is ``split_item``: without an amount, with any amount when no formula was found (every
    place failed), and with a stated amount the reading's value confirms, which is when the reader
    takes the one-pass reading (a formula the amount does not confirm goes to ``split_item`` with the
    amount).
    """
    split = split_item(body)
    label, formula = split.label, split.formula
    expected = comparable(reference_calc(label, formula))
    assert comparable(calc_of(label, formula)) == expected, body
    found = read_description(body)
    if found is None:
        return False
    assert found[:2] == (label, formula), body
    assert comparable(found[2]) == expected, body
    if formula is None:  # every place failed to parse, at every end: no amount finds a formula in it
        for money in ((0, "천원"), (1, "원"), (4800, "천원"), (123456789, "원")):
            with_amount = split_item(body, amount=money)
            assert (with_amount.label, with_amount.formula, with_amount.notes) == (label, None, ()), (body, money)
    if formula is not None and found[2].value is not None:
        money = stated(found[2].value)
        if _confirmed(found[2], money):
            with_amount = split_item(body, amount=money)
            assert (with_amount.label, with_amount.formula, with_amount.notes) == (label, formula, ()), (body, money)
    return True
@st.composite
def descriptions(draw) -> str:
    """A description cell's text after its marker: a label, a separator, a formula (or none), a tail."""
    label = "".join(draw(st.lists(st.sampled_from(LABEL_PIECES), max_size=4)))
    kind = draw(st.sampled_from(("formula", "formula", "formula", "money+count", "junk", "none")))
    if kind == "formula":
        formula = render(draw(formulas(max_leaves=5)), draw(styles()))
    elif kind == "money+count":
        formula = render(draw(money_plus_count()), draw(styles()))
    elif kind == "junk":
        formula = "".join(draw(st.lists(st.sampled_from(FRAGMENTS), max_size=8)))
    else:
        formula = ""
    return label + draw(st.sampled_from(SEPARATORS)) + formula + draw(st.sampled_from(TAILS))


@formula_settings
@given(descriptions())
def test_a_description_is_read_as_split_label_and_the_formula_package_read_it(body):
    assert_read_as_the_reference(body)


@formula_settings
@given(descriptions(), st.lists(st.sampled_from(FRAGMENTS + LABEL_PIECES), min_size=1, max_size=3), st.data())
def test_a_description_with_fragments_spliced_in_is_read_as_the_reference_or_left_to_it(body, pieces, data):
    at = data.draw(st.integers(0, len(body)))
    assert_read_as_the_reference(body[:at] + "".join(pieces) + body[at:])


@pytest.mark.parametrize(("body", "read"), [
    ("회의 참석수당 150,000원*17명*2회", True),
    ("1차 회의 참석수당 7,500원✕8종", True),  # a figure before that starts no formula: not the end of a broken one
    ("5,000원 2회*3,000원", False),  # after a money figure: the end of a broken formula, the split's call
    ("운영 물품비 - 42,679,000원", True),
    ("시·자치구 공동협력 90천원*15EA*2시간", True),
    ("차량 임차 :45,000원×35명∙5/12월", True),
    ("강사료 10%*5,000원", True),
    ("전문가 자문", True),
    ("2차 설명회 개최", True),
    ("통역비 [35,000원 + 3,000 원] x 9식", True),  # brackets: read by the grammar's fast reader
    ("시·자치구 공동협력 (2,500원*15명)×12회", True),
    ("자문료(외부위원) 509,400원X6일", True),  # the label's bracket starts no formula that parses
    ("회의 (5,000원*2회", False),  # a bracket left open: where it closes is the split's guess
    ("회의 5,000원*(2회 + 3", False),
    ("홍보 (5,000원*2회))", False),  # a bracket closed twice
    ("운영 (2회 + 3회)*4", False),  # no money: the amount may choose it, or a later place
    ("5,000원**2회*3,000원", False),  # the end of a broken formula
    ("회의비 5,000원 -0명+0원", False),  # money plus a count
    ("수당 5원/0회", False),  # no value
    ("홍보 10,000원*2회 = 20천원", False),  # a stated amount inside
    ("경정 22,031,000원", True),
    ("차량 경정비 5,000원*2회", True),  # 경정 inside a word is no tag
])
def test_common_shapes_take_the_fast_path_and_the_rest_is_left_to_the_reference(body, read):
    assert assert_read_as_the_reference(body) is read


# -- whole sheets -------------------------------------------------------------------------------------

def _corpus() -> list[tuple[str, bytes]]:
    """Generated sheets, consistent and with every kind of fault, in every encoding and noise, and the
    real sheets."""
    kinds = [None, *KINDS]
    out = [(f"g{i}.txt", generate_sheet(random.Random(f"description/{i}"), fault=kinds[i % len(kinds)]).data)
           for i in range(2 * len(kinds))]
    return out + [(p.name, p.read_bytes()) for p in sorted(EXAMPLES.glob("*.txt"))]


CORPUS = _corpus()


def lines_of(sheet: Sheet) -> list[BasisGroup | BasisItem]:
    return [node for c in sheet.basis.categories for g in c.groups for node in (g, *g.items)]


def test_the_corpus_reads_the_same_with_and_without_the_fast_path(monkeypatch):
    fast = [read_bytes(data, name) for name, data in CORPUS]
    monkeypatch.setattr(basis, "read_description", lambda body: None)
    reference = [read_bytes(data, name) for name, data in CORPUS]
    for a, b in zip(fast, reference):
        assert a == b  # every field but calc, sources included
        assert [comparable(x.calc) for x in lines_of(a)] == [comparable(x.calc) for x in lines_of(b)]


def test_every_line_read_carries_the_calc_of_its_own_label_and_formula():
    for name, data in CORPUS:
        for node in lines_of(read_bytes(data, name)):
            formula = node.formula.value if node.formula is not None else None
            assert comparable(node.calc) == comparable(reference_calc(node.label.value, formula)), (name, node)


def test_most_lines_of_the_corpus_take_the_fast_path():
    bodies = []
    original = basis.read_description

    def spy(body):
        found = original(body)
        bodies.append(found is not None)
        return found

    basis.read_description = spy
    try:
        for name, data in CORPUS:
            read_bytes(data, name)
    finally:
        basis.read_description = original
    assert sum(bodies) >= 0.75 * len(bodies), f"{sum(bodies)} of {len(bodies)} descriptions read in one pass"


def test_calc_is_no_part_of_equality_or_of_the_dump():
    sheet = read_file(EXAMPLES / "000_c6c48727fbba6ebb.txt")
    group = sheet.basis.categories[0].groups[0]
    assert group.calc is not None and attrs.evolve(group, calc=None) == group
    from auditor.readers.dump import to_data

    assert "calc" not in to_data(group)


@pytest.mark.parametrize("body", ["①*", "② 회의*", "Ⅲ/Ⅳ"])
def test_a_number_sign_that_is_no_ascii_digit_starts_no_formula(body):
    """``'①'.isdigit()`` is true in Python, but the grammar's digits are 0-9 (full-width ones normalised):
    a circled number before an operator is a label, as the one-pass reader reads it (found by hypothesis)."""
    assert formula_attempt(body) is None
    assert assert_read_as_the_reference(body)


@given(st.one_of(st.integers(-10**15, 10**15), st.fractions(max_denominator=10**4).filter(lambda f: abs(f) < 10**15)),
       st.one_of(st.integers(-10**12, 10**12), st.decimals(-10**9, 10**9, places=3, allow_nan=False,
                                                           allow_infinity=False)),
       st.sampled_from(sorted(MONEY_UNITS)), st.integers(-2, 2), st.integers(-3, 3))
def test_a_formula_is_confirmed_by_an_amount_as_check_amount_says(value, stated, unit, units, offset):
    """``_confirmed``'s whole-number shortcut gives ``check_amount(…).ok``, on any value and on values
    within a few units of the stated 원 (near misses at both ends of the interval)."""
    from auditor.formula import check_amount

    scale = MONEY_UNITS[unit]
    near = [stated * scale + units * scale + offset] if isinstance(stated, int) else []
    for computed in (value, *near):
        assert _confirmed(FormulaResult(computed, None), (stated, unit)) is check_amount(computed, stated, unit).ok


#: Pieces of flat formulas that divide by zero somewhere, with words, operators and money around them.
_DIVIDING = ("회의 ", "100원", "/0", "/ 0", "÷0", "x0", "*2명", "*3", " abc", " 5원*2회", "+1,000원", "/0명", "0", "-",
             " ", "원", "12,000원", "△5원")


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_DIVIDING), min_size=1, max_size=8).map("".join))
def test_a_division_by_zero_anywhere_is_read_as_the_reference(body):
    """The flat arithmetic is worked out once every operand is read (``description._fold``): a division by
    zero followed by text that does not parse is a place passed, as the split passes it."""
    assert_read_as_the_reference(body)
