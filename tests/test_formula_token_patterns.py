"""The operand's annotation (``tokens.NOTE``) tests its look-aheads once, before the bracket, for both
kinds of bracket: the operand pattern matches exactly as the one that tests them after each bracket
(as it was written before), on generated text of Hangul, jamo, Hanja, Latin, digits, units,
operators and brackets, at every position."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.formula import tokens as T

#: The annotation as it was first written: the look-aheads after each opening bracket.
BEFORE = "|".join(rf"\{o}(?={T._INSIDE}[가-힣])(?!{T._INSIDE}?{T._ARITH})(?P<note{i}>{T._INSIDE})\{c}"
                  for i, (o, c) in enumerate(zip(T.OPEN, T.CLOSE)))

#: Pieces the text is made of: Hangul syllables (원, tags, units, names), jamo (compatibility and
#: conjoining), Hanja, Latin letters and units, digits and figures, blanks, operators, signs and brackets.
PIECES = st.sampled_from([
    "가", "원", "천원", "만원", "명", "개월", "회", "경정", "기정", "항공료", "힣", "웏", "웑", "ㄱ", "ㅎ", "ᄀ", "ᅡ",
    "漢", "字", "費", "a", "x", "X", "kg", "ml", "㎡", "m²", "EA", "0", "1", "12", "1,000", "3.5", ",", ".",
    " ", "\t", "*", "×", "/", "÷", "+", "-", "−", "△", "%", "(", ")", "[", "]", "씩", "짜리", "=",
])
TEXT = st.lists(st.one_of(PIECES, st.characters(min_codepoint=0x20, max_codepoint=0xD7A3)), max_size=24).map("".join)


def _patterns(note: str) -> re.Pattern:
    return re.compile(T.tokens().signed.replace(T.NOTE, note))


OLD, NEW = _patterns(BEFORE), re.compile(T.tokens().signed)


def test_the_operand_pattern_holds_the_annotation_written_once():
    assert T.NOTE in T.tokens().signed and BEFORE not in T.tokens().signed
    assert OLD.groupindex == NEW.groupindex  # the same groups, by name and by number


def _same(text: str) -> None:
    for pos in range(len(text) + 1):
        old, new = OLD.match(text, pos), NEW.match(text, pos)
        assert (old is None) == (new is None), (text, pos)
        if old is not None:
            assert old.span() == new.span() and old.groups() == new.groups(), (text, pos)
            assert [old.span(g) for g in range(OLD.groups + 1)] == [new.span(g) for g in range(NEW.groups + 1)]


@settings(max_examples=3000, deadline=None)
@given(TEXT)
def test_the_operand_matches_as_with_the_annotation_tested_after_each_bracket(text):
    _same(text)


@settings(max_examples=1500, deadline=None)
@given(st.lists(PIECES, max_size=6), st.lists(PIECES, max_size=3), st.sampled_from(["()", "[]", "(]", "[)"]))
def test_an_operand_with_an_annotation_matches_as_before(before, inside, brackets):
    _same(f"{''.join(before)}1,000원{brackets[0]}{''.join(inside)}{brackets[1]}")
    _same(f"{''.join(before)}3명 {brackets[0]}{''.join(inside)}{brackets[1]}*2")


def test_annotations_of_the_examples_match_as_before():
    for text in ("5,000원(부가세 포함)*3명", "3명[강사 2, 보조 1]", "1,000원(2개*3회)", "2회(3㎡*2)", "2회(회의)",
                 "500원 [1인 기준] × 4", "7명(ㄱ)", "7명(漢字)", "10개(가", "10개[가]]", "4회(a-b)", "1(가)(나)"):
        _same(text)
