"""Years keep their source like Amounts: the model, the JSON dump, and how rules see and show them."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import attrs
import pytest

from auditor.engine import load_ruleset
from auditor.engine.evaluate import Env, to_value
from auditor.engine.schema import NUM, field_type
from auditor.model import Achievement, Basis, Schedule, SettlementRow, Sheet, Summary
from auditor.readers import read_text
from auditor.readers.dump import to_data
from auditor.source import Source, Year

SHEET = (Path(__file__).resolve().parent.parent / "examples" / "sheets" / "000_c6c48727fbba6ebb.txt").read_text(
    encoding="utf-8")
RULES = load_ruleset()


def test_a_year_is_an_int_like_value_with_its_source():
    y = Year(2020, Source("s.txt", 82, 3, "2020"))
    assert int(y) == 2020 and str(y) == "2020" and list(range(2019, y))[-1] == 2019
    assert to_data(y) == {"value": 2020, "line": 82, "column": 3, "text": "2020"}
    with pytest.raises(TypeError):
        Year("2020", Source("s.txt", 1))  # type: ignore[arg-type]


@pytest.mark.parametrize(("cls", "name"), [
    (Summary, "previous_year"), (Summary, "current_year"), (Basis, "year"), (Schedule, "year"),
    (Sheet, "budget_year"), (Achievement, "year"), (SettlementRow, "year"),
])
def test_every_year_field_is_a_year_and_a_number_to_rules(cls, name):
    assert attrs.fields_dict(cls)[name].type in ("Year | None", "Year")
    assert field_type(cls, name) == NUM


def test_a_year_evaluates_to_an_exact_number_and_is_touched():
    src = Source("s.txt", 82, 3, "2020")
    env = Env(root=None)
    num = to_value(Year(2020, src), "예산연도", env)
    assert num.value == Fraction(2020) and num.dev.exact and num.unit is None
    assert num.sources == ((src, "예산연도"),) and env.touched == [(src, "예산연도")]


def test_xref004_points_at_the_schedule_years_own_line_and_shows_it_plainly():
    text = SHEET.replace("□ 2020년도 추진일정", "□ 2019년도 추진일정")
    (finding,) = [f for f in RULES.check(read_text(text, "s.txt")) if f.code == "XREF004"]
    assert (finding.line, finding.column) == (82, 3)
    assert "2019년" in finding.message_ko and "2020년" in finding.message_ko and "2,0" not in finding.message_ko
    assert finding.actual == "2019" and finding.expected == "2020"


def test_xref003_points_at_the_basis_years_digits():
    text = SHEET.replace("2020년 예산내역", "2019년 예산내역")
    (finding,) = [f for f in RULES.check(read_text(text, "s.txt")) if f.code == "XREF003"]
    line = text.split("\n")[finding.line - 1]
    assert line[finding.column - 1:finding.column + 3] == "2019"
