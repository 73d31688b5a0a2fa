"""The engine on hand-built model objects: each built-in rule passes and fails, findings carry what they must."""

from __future__ import annotations

import textwrap
from decimal import Decimal

import attrs
import pytest

from auditor.engine import RulePackError, load_ruleset
from auditor.findings import Severity
from auditor.model import (Activity, Basis, BasisCategory, BasisGroup, BasisItem, Funding, Overview, Problem,
                           Schedule, ScheduleRow, Settlement, SettlementRow, Sheet, Summary, SummaryRow)
from auditor.source import Amount, Source, Text

P = "hand.txt"
RULES = load_ruleset()


def amt(v: int | str, line: int, unit: str = "천원", col: int = 1) -> Amount:
    value = Decimal(v) if isinstance(v, str) else v
    return Amount(value, unit, Source(P, line, col, str(v)))


def txt(s: str, line: int, col: int = 1) -> Text:
    return Text(s, Source(P, line, col, s))


def srow(name: str, line: int, a: int, b: int, change: int, rate: int) -> SummaryRow:
    return SummaryRow(txt(name, line), amt(a, line, col=2), amt(b, line, col=3), amt(change, line, col=4),
                      amt(rate, line, "%", col=5), Source(P, line))


def setrow(line: int, year: int, *v: int) -> SettlementRow:
    return SettlementRow(year, *(amt(x, line, col=i + 2) for i, x in enumerate(v)), source=Source(P, line))


def sheet() -> Sheet:
    """Sheet 000's numbers, by hand: every identity holds."""
    groups = (
        BasisGroup(txt("회의", 41), None, amt(60000, 41), items=(
            BasisItem(txt("워크숍", 42), txt("5,000,000원*2회", 42, 10), amt(10000, 42), source=Source(P, 42)),
            BasisItem(txt("회의", 43), txt("2,500,000원*20회", 43, 10), amt(50000, 43), source=Source(P, 43)),
        ), source=Source(P, 41)),
        BasisGroup(txt("매뉴얼", 44), txt("6,000원*1,000부", 44, 10), amt(6000, 44), source=Source(P, 44)),
    )
    return Sheet(
        P, budget_year=2020,
        overview=Overview(cost=amt(66000, 10), funding=(Funding("[국비]", None, Source(P, 10)),
                                                        Funding("[시비]", amt(66000, 10, col=9), Source(P, 10)))),
        summary=Summary(2019, 2020, rate_formula=txt("(B-A)*100/A", 29),
                        total=srow("계", 30, 61000, 66000, 5000, 8),
                        rows=(srow("사무관리비", 31, 61000, 66000, 5000, 8),), source=Source(P, 29)),
        basis=Basis(2020, (BasisCategory(txt("사무관리비", 41), groups, Source(P, 41)),), Source(P, 40)),
        activities=(Activity(txt("회의", 60), (), amt(60000, 61)),),
        schedule=Schedule(2020, total=ScheduleRow(txt("계", 70), None, amt(66000, 70), source=Source(P, 70)),
                          rows=(ScheduleRow(txt("회의", 71), txt("2020.01~2020.12", 71), amt(66000, 71), None,
                                            (2020, 1), (2020, 12), Source(P, 71)),), source=Source(P, 69)),
        settlement=Settlement(rows=(setrow(100, 2016, 253000, 0, 0, 253000, 253000, 0, 0),
                                    setrow(101, 2017, 236800, 0, 7000, 243800, 241560, 0, 2240))),
    )


def test_the_hand_built_sheet_is_clean():
    assert [f for f in RULES.check(sheet()) if f.severity != Severity.INFO] == []


def _set(obj, path: str, value):
    head, _, rest = path.partition(".")
    if "[" in head:
        name, index = head[:-1].split("[")
        items = list(getattr(obj, name))
        items[int(index)] = _set(items[int(index)], rest, value) if rest else value
        return attrs.evolve(obj, **{name: tuple(items)})
    return attrs.evolve(obj, **{head: _set(getattr(obj, head), rest, value) if rest else value})


BREAKS = [
    ("SET001", "settlement.rows[1].available", amt(245800, 101, col=5), 101),
    ("SET002", "settlement.rows[1].unspent", amt(2250, 101, col=8), 101),
    ("SET003", "settlement.rows[1].carried_in", amt(5, 101, col=3), 101),
    ("SET004", "settlement.rows[1].spent", amt(250000, 101, col=6), 101),
    ("SET005", "settlement.rows[0].carried_over", amt(-1, 100, col=7), 100),
    ("FUND001", "overview.funding[1].amount", amt(66001, 10, col=9), 10),
    ("FUND002", "overview.funding[1].label", "[사비]", 10),
    ("RATE001", "summary.rows[0].change", amt(-5000, 31, col=4), 31),
    ("RATE002", "summary.rows[0].rate", amt(9, 31, "%", col=5), 31),
    ("SUM001", "basis.categories[0].groups[0].amount", amt(61000, 41), 41),
    ("SUM002", "summary.rows[0].current", amt(67000, 31, col=3), 31),
    ("SUM003", "summary.total.current", amt(67000, 30, col=3), 30),
    ("SUM004", "summary.total.previous", amt(62000, 30, col=2), 30),
    ("SUM005", "schedule.total.amount", amt(65000, 70), 70),
    ("XREF001", "overview.cost", amt(67000, 10), 10),
    ("XREF002", "schedule.total.amount", amt(65000, 70), 70),
    ("XREF003", "basis.year", 2019, 40),
    ("XREF004", "schedule.year", 2019, 69),
    ("XREF005", "schedule.rows[0].start", (2019, 11), 71),
    ("XREF006", "activities[0].required_budget", amt(61000, 61), 61),
    ("XREF007", "basis.categories[0].name", txt("사무관리", 41), 41),
    ("CALC001", "basis.categories[0].groups[1].amount", amt(7000, 44), 44),
    ("CALC003", "basis.categories[0].groups[1].formula", txt("6,000원**1,000부", 44, 10), 44),
    ("CALC003", "basis.categories[0].groups[1].formula", txt("6,000원/0부", 44, 10), 44),
    ("REVIEW002", "summary.rows[0].current", amt(200000, 31, col=3), 31),
    ("REVIEW005", "summary.rows[0].item", txt("사무관리", 31), 31),
]


@pytest.mark.parametrize("code,path,value,line", BREAKS, ids=[b[0] for b in BREAKS])
def test_each_rule_fires_on_its_broken_value(code, path, value, line):
    clean = [f for f in RULES.check(sheet()) if f.code == code]
    assert clean == []
    broken = [f for f in RULES.check(_set(sheet(), path, value)) if f.code == code]
    assert broken, f"{code} did not fire"
    if line is not None:
        assert {f.line for f in broken} == {line}


def test_a_finding_carries_related_lines_values_and_a_line_free_key():
    s = _set(sheet(), "summary.total.current", amt(67000, 30, col=3))
    f = next(f for f in RULES.check(s) if f.code == "SUM003")
    assert (f.line, f.column, f.actual, f.expected) == (30, 3, "67,000천원", "66,000천원")
    assert [r.line for r in f.related] == [31] and f.related[0].label == "B"
    assert f.key == "summary.계.B" and "1,000천원" in f.message_ko and f.message_en
    moved = attrs.evolve(f, line=99)
    assert moved.fingerprint == f.fingerprint


def test_a_missing_value_makes_the_rule_not_applicable():
    s = _set(sheet(), "settlement.rows[1].available", None)
    codes = {f.code for f in RULES.check(s)}
    assert not codes & {"SET001", "SET002", "SET004"}


def test_occurrences_number_findings_with_the_same_key():
    s = _set(sheet(), "overview.funding", (Funding("[사비]", None, Source(P, 10)), Funding("[사비]", None, Source(P, 11))))
    found = [f for f in RULES.check(s) if f.code == "FUND002"]
    assert [f.occurrence for f in found] == [0, 1] and len({f.fingerprint for f in found}) == 2


def test_severity_overrides_and_filters():
    s = _set(sheet(), "overview.funding[1].label", "[사비]")
    assert RULES.with_severity({"FUND002": Severity.ERROR}).check(s)[0].severity == Severity.ERROR
    assert RULES.with_severity({"FUND002": Severity.ERROR}).get("FUND002").doc.severity == Severity.ERROR
    assert not [f for f in RULES.filter(lambda r: r.code != "FUND002").check(s) if f.code == "FUND002"]
    assert len(RULES.docs()) == len(RULES.rules)


def test_reader_problems_become_parse_findings():
    problems = (Problem("PARSE005", "모름", "unknown", Source(P, 5, 1, "□ 이상한 제목")),
                Problem("PARSE999", "새 문제", "new problem", Source(P, 6, 2, "x")))
    s = attrs.evolve(sheet(), problems=problems)
    found = {f.code: f for f in RULES.check(s)}
    assert found["PARSE005"].severity == Severity.WARNING and found["PARSE005"].name == "parse.unknown-header"
    assert found["PARSE999"].severity == Severity.ERROR and found["PARSE999"].message_ko == "새 문제"
    quiet = RULES.filter(lambda r: r.code != "PARSE005").check(s)
    assert "PARSE005" not in {f.code for f in quiet} and "PARSE999" in {f.code for f in quiet}


def test_text_added_to_money_is_refused_at_load_at_its_column(tmp_path):
    pack = tmp_path / "bad.toml"
    pack.write_text(textwrap.dedent("""\
        [[rule]]
        code = "TEST001"
        name = "test.text-plus-money"
        severity = "error"
        over = "settlement.rows"
        assert = "최종예산 + \\"원\\" == 0"
        message.ko = "x"
        """), encoding="utf-8")
    with pytest.raises(RulePackError) as info:
        load_ruleset([pack], builtin=False)
    assert (info.value.path, info.value.line, info.value.column) == (str(pack), 6, 16)


def test_a_type_error_only_a_sheet_shows_is_a_rule_error_with_the_rules_line(tmp_path):
    pack = tmp_path / "bad.toml"
    pack.write_text(textwrap.dedent("""\
        [[rule]]
        code = "TEST001"
        name = "test.text-plus-money"
        severity = "error"
        over = "settlement.rows"
        assert = "최종예산 + sum(words) == 0"
        message.ko = "x"
        [rule.params]
        words = [1, "원"]
        """), encoding="utf-8")
    rules = load_ruleset([pack], builtin=False)
    with pytest.raises(RulePackError) as info:
        rules.check(sheet())
    assert (info.value.path, info.value.line) == (str(pack), 6)


def test_a_city_pack_can_add_a_rule_and_a_vocabulary_without_python(tmp_path):
    (tmp_path / "vocabulary").mkdir()
    (tmp_path / "vocabulary" / "재원.toml").write_text(
        '[vocabulary]\nname = "재원"\n[terms]\n"도" = ["도비", "군비"]\n', encoding="utf-8")
    (tmp_path / "city.toml").write_text(textwrap.dedent("""\
        [pack]
        name = "city"
        [[rule]]
        code = "CITY001"
        name = "funding.not-provincial"
        severity = "warning"
        over = "overview.funding"
        when = "금액 != none"
        assert = "norm(재원) in vocab(\\"재원\\")"
        message.ko = "{재원}은 도 재원이 아닙니다"
        """), encoding="utf-8")
    rules = load_ruleset([tmp_path])
    found = [f for f in rules.check(sheet()) if f.code == "CITY001"]
    assert [f.line for f in found] == [10] and found[0].message_ko == "[시비]은 도 재원이 아닙니다"


def test_findings_know_where_the_checked_value_ends_on_its_line():
    from auditor.readers import read_text

    text = ("(단위 : 천원)\n연도\t최종예산\t전년이월\t예산변경\t예산현액\t집행액\t차년이월\t집행잔액\n"
            "2017\t(x-) 236,800\t(x-) 0\t(x-) 7,000\t(x-) 245,800\t(x-) 241,560\t(x-) 0\t(x-) 4,240\n")
    sheet = read_text(text, "s.txt")
    [finding] = [f for f in load_ruleset().check(sheet) if f.code == "SET001"]
    line = text.split("\n")[finding.line - 1]
    assert line[finding.column - 1 : finding.end_column - 1] == "(x-) 245,800"  # the cell as written
