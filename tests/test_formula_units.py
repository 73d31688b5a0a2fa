"""The Latin and symbol units are data (rules/vocabulary/단위.toml): every one is read, and a city adds
its own in its pack's vocabulary without touching Python."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from auditor.engine import RulePackError, load_ruleset
from auditor.formula import (
    FormulaSyntaxError, count_units, evaluate, numbers, parse_formula, split_label, use_units,
)
from auditor.formula.units import builtin_units, unit_problem

VOCABULARY = Path(__file__).resolve().parents[1] / "rules" / "vocabulary" / "단위.toml"
BUILTIN = tuple(u for names in tomllib.loads(VOCABULARY.read_text(encoding="utf-8"))["terms"].values() for u in names)


@pytest.fixture(autouse=True)
def _builtin_units():
    use_units(None)
    yield
    use_units(None)


def test_the_grammar_reads_the_units_of_the_vocabulary_file():
    assert count_units() == builtin_units() == tuple(dict.fromkeys(BUILTIN))
    assert {"ml", "kg", "m", "km", "L", "ton", "m²", "㎡", "EA", "set"} <= set(BUILTIN)


@pytest.mark.parametrize("unit", BUILTIN)
def test_every_unit_of_the_vocabulary_is_read_as_a_count(unit):
    for text in (f"18,000원*500{unit}*2회", f"18,000원 × 500 {unit}", f"500{unit}x18,000원"):
        tree = parse_formula(text)
        assert evaluate(tree) == 18_000 * 500 * (2 if "회" in text else 1), text
        assert unit in {n.unit for n in numbers(tree)}, text


@pytest.mark.parametrize(("text", "label", "formula"), [
    ("세척제 18,000원*500ml*2회", "세척제", "18,000원*500ml*2회"),
    ("퇴비 3,000원*20kg", "퇴비", "3,000원*20kg"),
    ("장판 15,000원*35㎡", "장판", "15,000원*35㎡"),
    ("도배 12,000원*35m²", "도배", "12,000원*35m²"),
    ("차선 1,500원*120mx2회", "차선", "1,500원*120mx2회"),  # x after a unit stays an operator
])
def test_an_item_with_a_latin_unit_is_split(text, label, formula):
    assert split_label(text) == (label, formula)


def test_a_city_adds_a_unit_in_its_own_pack_without_python(tmp_path):
    (tmp_path / "vocabulary").mkdir()
    (tmp_path / "vocabulary" / "단위.toml").write_text(
        '[vocabulary]\nname = "단위"\n\n[terms]\n"열량" = ["kcal"]\n', encoding="utf-8")
    with pytest.raises(FormulaSyntaxError):
        parse_formula("3,000원*200kcal")
    load_ruleset([tmp_path])
    assert evaluate(parse_formula("3,000원*200kcal")) == 600_000 and "ml" in count_units()
    load_ruleset()  # the built-in packs alone: the built-in units alone, caches cleared
    with pytest.raises(FormulaSyntaxError):
        parse_formula("3,000원*200kcal")


def test_a_city_may_replace_the_units(tmp_path):
    (tmp_path / "vocabulary").mkdir()
    (tmp_path / "vocabulary" / "단위.toml").write_text(
        '[vocabulary]\nname = "단위"\nreplace = true\n\n[terms]\n"열량" = ["kcal"]\n', encoding="utf-8")
    load_ruleset([tmp_path])
    assert count_units() == ("kcal",)
    with pytest.raises(FormulaSyntaxError):
        parse_formula("18,000원*500ml")


@pytest.mark.parametrize(("term", "why"), [("x개", "multiplication sign"), ("5L", "Latin letters"),
                                            ("킬로", "Hangul units need no list"), ("k/g", "Latin letters")])
def test_a_unit_the_grammar_cannot_read_is_a_pack_error_at_its_line(tmp_path, term, why):
    (tmp_path / "vocabulary").mkdir()
    (tmp_path / "vocabulary" / "단위.toml").write_text(
        f'[vocabulary]\nname = "단위"\n\n[terms]\n"좋은" = ["kcal"]\n"나쁜" = ["{term}"]\n', encoding="utf-8")
    with pytest.raises(RulePackError) as caught:
        load_ruleset([tmp_path])
    assert caught.value.line == 6 and why in str(caught.value)
    assert unit_problem(term) is not None and unit_problem("kcal") is None


def test_arithmetic_with_a_symbol_unit_in_a_bracket_is_no_annotation():
    with pytest.raises(FormulaSyntaxError):  # a product written without * is reported, never dropped
        parse_formula("5,000원(3㎡*2개)")
    assert parse_formula("5,000원*3㎡(2개 동)").right.note == "2개 동"  # words and a count: a note


@pytest.mark.parametrize(("text", "money_word"), [("5천만원*2", True), ("50,000 원정*2", True),
                                                   ("5,000원*지원금", False), ("5,000원*(지원금)", False)])
def test_only_a_word_where_a_unit_may_stand_is_called_an_unknown_money_unit(text, money_word):
    with pytest.raises(FormulaSyntaxError) as caught:
        parse_formula(text)
    assert ("not a money unit" in caught.value.reason_en) == money_word
