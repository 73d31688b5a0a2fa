"""산출근거 rows: units from the governing note, item labels, amounts inside the description, exact sources."""

from __future__ import annotations

import pytest

from auditor.readers import read_text

HEADER = "과목구분\t2024년 예산내역\n"


def basis(rows: str, before: str = ""):
    return read_text(before + HEADER + rows, "f.txt", fragment=True)


def groups(sheet):
    return [g for c in sheet.basis.categories for g in c.groups]


def codes(sheet):
    return [(p.code, p.source.line) for p in sheet.problems]


@pytest.mark.parametrize(("note", "unit"), [("", "천원"), ("(단위 : 백만원)\n", "백만원"), ("(단위 : 원, %)\n", "원")])
def test_a_basis_amount_without_a_unit_takes_the_governing_unit_note(note, unit):
    sheet = basis("사무관리비\t○ 회의 운영 1,105,000,000원\t= 1,105\n", note)
    amount = groups(sheet)[0].amount
    assert (amount.value, amount.unit) == (1105, unit) and codes(sheet) == []


def test_an_explicit_unit_on_the_value_wins_over_the_note():
    sheet = basis("사무관리비\t○ 회의 운영\t= 1,105천원\n", "(단위 : 백만원)\n")
    assert groups(sheet)[0].amount.unit == "천원"


def test_the_unit_note_governs_overview_and_activities_and_ends_at_the_next_numbered_part():
    text = ("## 1 기본 현황\n(단위 : 백만원)\n□ 사업개요\n사업비 (당해년도)\t1,105\t[시비]1,105\n"
            "□ 사업내용\n○ 회의\n  - 소요예산 : 1,105\n"
            "## 2 예산 설명\n" + HEADER + "사무관리비\t○ 회의\t= 7\n")
    sheet = read_text(text, "f.txt", fragment=True)
    assert sheet.overview.cost.unit == "백만원" and sheet.overview.funding[0].amount.unit == "백만원"
    assert sheet.activities[0].required_budget.unit == "백만원"
    assert groups(sheet)[0].amount.unit == "천원"  # part 2 has no note of its own


@pytest.mark.parametrize("label", ["1차 회의", "2024년 워크숍", "3개 자치구 지원"])
def test_an_item_label_may_start_with_a_digit(label):
    sheet = basis(f"사무관리비\t○ 회의\t= 1,105천원\n\t- {label} 50,000원×10명\t= 500천원\n")
    item = groups(sheet)[0].items[0]
    assert (item.label.value, item.formula.value, item.amount.value) == (label, "50,000원×10명", 500)
    assert codes(sheet) == []


@pytest.mark.parametrize("cell", ["-5,000", "- 5,000천원", "-1"])
def test_a_bare_signed_number_is_not_an_item(cell):
    sheet = basis(f"사무관리비\t○ 회의\t= 1천원\n\t{cell}\t= 5천원\n")
    assert groups(sheet)[0].items == () and codes(sheet) == [("PARSE002", 3)]


@pytest.mark.parametrize("blank", [" ", "\u00a0", "\u2009", "\u3000", "  \u00a0 "])
def test_an_amount_at_the_end_of_the_description_cell_is_the_items_amount(blank):
    row = f"\t- 다과 5,000원*11명{blank}={blank}55천원   \n"
    sheet = basis("사무관리비\t○ 회의\t= 55천원\n" + row)
    item = groups(sheet)[0].items[0]
    assert codes(sheet) == []
    assert (item.label.value, item.formula.value, item.amount.value) == ("다과", "5,000원*11명", 55)
    assert item.amount.source.column == row.index("55천원") + 1 and item.amount.source.text == "55천원"


def test_a_group_may_carry_its_amount_inside_its_description_cell():
    sheet = basis("사무관리비\t○ 홍보 10,000원*2회 = 20천원\n")
    group = groups(sheet)[0]
    assert (group.label.value, group.formula.value, group.amount.value) == ("홍보", "10,000원*2회", 20)
    assert codes(sheet) == []


def test_an_amount_cell_after_an_inline_amount_is_an_extra_cell():
    sheet = basis("사무관리비\t○ 홍보 10,000원*2회 = 20천원\t= 20천원\n")
    assert groups(sheet)[0].amount.value == 20 and codes(sheet) == [("PARSE006", 2)]


def test_no_break_spaces_in_a_formula_read_as_blanks_and_sources_keep_them():
    row = "\t- 수당 150,000\u00a0원*7명*1회\t= 1,050천원\n"
    item = groups(basis("사무관리비\t○ 회의\t= 1,050천원\n" + row))[0].items[0]
    assert item.formula.value == "150,000 원*7명*1회"
    assert item.formula.source.text == "150,000\u00a0원*7명*1회"


@pytest.mark.parametrize("row", [
    "사무관리비\t○ 시·자치구 회의 및 워크숍 개최\t= 60,000천원\n",
    "\t- 협력강화 워크숍 개최 5,000,000원*2회\t= 10,000천원\n",
    "\t○ 홍보 10,000원*2회 = 20천원\n",
    "\t- 경정 10,000원*2회\t= 20천원\n",
])
def test_label_and_formula_sources_are_exactly_their_own_text(row):
    sheet = basis("사무관리비\t○ 회의\t= 1천원\n" + row)
    line = sheet.lines[2]
    element = groups(sheet)[-1]
    element = element.items[-1] if element.items else element
    for text in (element.label, element.formula):
        if text is None:
            continue
        src = text.source
        assert src.line == 3 and line[src.column - 1:src.column - 1 + len(src.text)] == src.text
        assert src.text == text.value


SCHEDULE = "□ 2024년도 추진일정\n(단위 : 천원)\n사업추진절차\t추진기간\t예산집행금액\t추진세부내용\n"


@pytest.mark.parametrize(("period", "start", "end"), [
    ("2024.01~2024.12", (2024, 1), (2024, 12)),
    ("2024.1~2024.12", (2024, 1), (2024, 12)),
    ("2023. 3.~12.", (2023, 3), (2023, 12)),
    ("2024.03.~2024.12.", (2024, 3), (2024, 12)),
    ("2024. 3. ~ 2024. 12.", (2024, 3), (2024, 12)),
    ("2023.11~2024.2", (2023, 11), (2024, 2)),
    ("2024년 상반기", (2024, 1), (2024, 6)), ("2024 하반기", (2024, 7), (2024, 12)),
    ("2024년 3분기", (2024, 7), (2024, 9)), ("2024년 연중", (2024, 1), (2024, 12)),
])
def test_schedule_periods_in_the_forms_the_books_print(period, start, end):
    sheet = read_text(SCHEDULE + f"운영\t{period}\t100\t회의\n", "f.txt", fragment=True)
    row = sheet.schedule.rows[0]
    assert (row.start, row.end) == (start, end) and codes(sheet) == []


@pytest.mark.parametrize("period", ["연중", "연중 수시", "상반기", "하반기", "3~12월", "1분기", "수시"])
def test_a_period_in_words_is_the_schedules_own_year_and_no_problem(period):
    # Real sheets write 연중 or 상반기 in 추진기간; that is not a misprint, and there is no year to check.
    sheet = read_text(SCHEDULE + f"운영\t{period}\t100\t회의\n", "f.txt", fragment=True)
    row = sheet.schedule.rows[0]
    assert row.period.value == period and (row.start, row.end) == (None, None) and codes(sheet) == []


@pytest.mark.parametrize(("period", "reason"), [
    ("2024.13~2024.12", "1~12"), ("2024.0~2024.12", "1~12"), ("2024.3~15.", "1~12"),
    ("2024년 5분기", "YYYY.MM"), ("'24.3월~12월", "YYYY.MM"),
])
def test_an_unreadable_period_is_reported_at_its_cell(period, reason):
    line = f"운영\t{period}\t100\t회의"
    sheet = read_text(SCHEDULE + line + "\n", "f.txt", fragment=True)
    row = sheet.schedule.rows[0]
    assert (row.start, row.end) == (None, None) and row.period.value == period
    (problem,) = sheet.problems
    assert (problem.code, problem.source.line, problem.source.column) == ("PARSE004", 4, line.index(period) + 1)
    assert reason in problem.message_ko and problem.source.text == period
