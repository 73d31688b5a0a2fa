"""Key numbers of the two real sheets, asserted straight from the sheet text (independent of the golden files)."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.readers import read_file

SHEETS = Path(__file__).resolve().parent.parent / "examples" / "sheets"


@pytest.fixture(scope="module")
def s000():
    return read_file(SHEETS / "000_c6c48727fbba6ebb.txt")


@pytest.fixture(scope="module")
def s002():
    return read_file(SHEETS / "002_09ee4b9481a37380.txt")


def test_both_real_sheets_read_without_problems(s000, s002):
    assert s000.problems == () and s002.problems == ()


def test_title_and_budget_year(s000, s002):
    assert (s000.title.value, s000.title.source.line) == ("시·자치구간 협력체계 강화", 3)
    assert (s002.title.value, s002.title.source.line) == ("지역균형발전 추진", 3)
    years = lambda s: [y.value for y in (s.budget_year, s.summary.previous_year, s.basis.year, s.schedule.year)]  # noqa: E731
    assert years(s000) == [2020, 2019, 2020, 2020] and years(s002) == [2024, 2023, 2024, 2024]


def test_every_year_keeps_the_line_and_column_of_its_four_digits(s000, s002):
    assert s000.schedule.year.source.line == 82 and s000.schedule.year.source.column == 3
    assert s000.budget_year is s000.summary.current_year
    for sheet in (s000, s002):
        years = [sheet.summary.previous_year, sheet.summary.current_year, sheet.basis.year, sheet.schedule.year]
        years += [a.year for a in sheet.achievements] + [r.year for r in sheet.settlement.rows]
        assert len(years) >= 10
        for y in years:
            line = sheet.lines[y.source.line - 1]
            assert y.source.text == str(y.value) == line[y.source.column - 1:y.source.column + 3]


def test_settlement_2017_available_is_243800_at_line_112(s000):
    row = next(r for r in s000.settlement.rows if r.year.value == 2017)
    assert row["예산현액"] is row.available
    assert (row.available.value, row.available.unit, row.available.source.line) == (243_800, "천원", 112)
    assert row.available.source.text == "(x-) 243,800"
    assert [a.value for a in row.columns().values()] == [236_800, 0, 7_000, 243_800, 241_560, 0, 2_240]


def test_summary_total_change_is_minus_14800(s000):
    total = s000.summary.total
    assert (total.change.value, total.rate.value, total.rate.unit) == (-14_800, -5, "%")
    assert s000.summary.rate_formula.value == "(B-A)*100/A" and s000.summary.rate_formula.source.line == 29
    assert [r.item.value for r in s000.summary.rows] == [
        "사무관리비", "행사운영비", "시책추진업무추진비", "특정업무경비", "자치단체경상보조금"]
    delta_row = s000.summary.rows[-1]  # written with Δ (U+0394) after a blank line
    assert (delta_row.change.value, delta_row.rate.value, delta_row.source.line) == (-17_000, -100, 36)


def test_rate_formula_on_the_same_line_in_002(s002):
    assert s002.summary.rate_formula.value == "(B-A)*100/A" and s002.summary.rate_formula.source.line == 28
    assert s002.summary.total.rate.value == 1853


def test_funding_labels_are_kept_as_written(s000, s002):
    assert [(f.label, f.amount and f.amount.value) for f in s000.overview.funding] == [
        ("국비", None), ("시비", 235_800), ("구비", None), ("기타", None)]
    assert [f.label for f in s002.overview.funding] == ["국비", "사비", "구비", "기타"]  # [사비] typo kept
    assert s002.overview.cost.value == 263_698 and s002.overview.period.value == "연례반복"


def test_basis_of_000_tree_including_the_shifted_lines_50_to_53(s000):
    cats = s000.basis.categories
    assert [c.name.value for c in cats] == ["사무관리비", "시책추진업무추진비", "특정업무경비"]
    assert [[len(g.items) for g in c.groups] for c in cats] == [[2, 0, 3], [3], [0]]
    promotion = cats[1].groups[0]
    assert (promotion.label.value, promotion.amount.value, promotion.source.line) == ("사업추진활동비", 95_000, 50)
    assert [(i.source.line, i.amount.value) for i in promotion.items] == [(51, 30_000), (52, 30_000), (53, 35_000)]
    manual = cats[0].groups[1]  # a ○ group with its own formula and no - items (line 45)
    assert (manual.label.value, manual.formula.value, manual.amount.value) == (
        "자치구 현장복구지원 운영매뉴얼 제작", "6,000원*1,000부", 6_000)


def test_basis_of_002_reads_the_equals_sign_in_its_own_cell(s002):
    items = s002.basis.categories[1].groups[0].items
    assert [(i.formula.value, i.amount.value, i.amount.source.column) for i in items] == [
        ("150,000원*17명*2회", 5_100, 30), ("761,500원*2회", 1_523, 39)]


def test_activities_and_required_budgets(s000, s002):
    assert [a.required_budget.value for a in s000.activities] == [60_000, 70_000, 6_000]
    assert [len(a.details) for a in s000.activities] == [2, 3, 2]
    assert [a.required_budget for a in s002.activities] == [None, None]


def test_schedule_total_and_periods(s000):
    assert s000.schedule.total.amount.value == 235_800
    assert [r.amount.value for r in s000.schedule.rows] == [60_000, 99_800, 6_000, 70_000]
    assert (s000.schedule.rows[3].start, s000.schedule.rows[3].end) == ((2020, 10), (2020, 11))


def test_achievement_years_and_items(s000, s002):
    assert [(a.year.value, len(a.items)) for a in s000.achievements] == [(2016, 9), (2017, 8), (2018, 8)]
    assert s000.achievements[0].items[0].value == "자치구 신년인사회 : 20회"
    assert [(a.year.value, len(a.items)) for a in s002.achievements] == [(2021, 2), (2022, 3), (2023, 4)]


def test_department_and_contacts(s000):
    d = s000.department
    assert (d.division.value, d.name.value) == ("행정국", "자치행정과")
    assert [(c.role, c.name, c.phone) for c in d.contacts][0] == ("과 장", "곽종빈", "2133-5800")
