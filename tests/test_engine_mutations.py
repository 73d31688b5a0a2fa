"""Break exactly one number or year of a generated consistent sheet: the right rule fires on that line, no other error.

The sheet is generated as text (so the real reader takes part), every identity
holding: several funding sources, cuts (△) in 예산변경, rates truncated or rounded (one convention per
sheet), rows new this year (A = 0) or ended (B = 0), several schedule steps. Any
Amount the reader found may be the one broken (moved, or its sign flipped: a lost △), or a year in the text (산출근거's
heading, the schedule's heading, a step's period): mutations go through the text
and the sheet is read again, so they work whatever value class the reader uses
for years.
"""

from __future__ import annotations

import re
from typing import Any, Iterator

import attrs
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from auditor.engine import load_ruleset
from auditor.findings import Severity
from fractions import Fraction

from auditor.engine.builtins import round_places, trunc_places
from auditor.model import BasisGroup, Sheet
from auditor.readers import read_text
from auditor.source import Amount

RULES = load_ruleset()
NAMES = ["사무관리비", "행사운영비", "시책추진업무추진비", "특정업무경비", "국내여비", "재료비", "민간위탁금"]


def n(v: int) -> str:
    return f"{v:,}"


def signed(v: int) -> str:
    return n(v) if v >= 0 else "△" + n(-v)


@st.composite
def consistent_sheet(draw) -> str:
    """The text of a sheet whose every identity holds (amounts in 천원, one rate convention)."""
    year = draw(st.integers(2015, 2030))
    names = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=4, unique=True))
    ended = draw(st.lists(st.sampled_from([x for x in NAMES if x not in names]), max_size=1))
    convention = draw(st.sampled_from([trunc_places, round_places]))
    basis, rows, groups_amounts = [], [], []
    for name in names:
        b_total = 0
        for g in range(draw(st.integers(1, 3))):
            first = f"{name}\t" if g == 0 else "\t"
            items = [(draw(st.integers(1, 900)) * 1000, draw(st.integers(1, 40)))
                     for _ in range(draw(st.integers(0, 3)))]
            if items:
                amount = sum(p * q // 1000 for p, q in items)
                basis.append(f"{first}○ 항목{g}\t= {n(amount)}천원")
                basis += [f"\t- 세부{i} {n(p)}원*{q}회\t= {n(p * q // 1000)}천원" for i, (p, q) in enumerate(items)]
            else:
                p, q = draw(st.integers(1, 900)) * 1000, draw(st.integers(1, 40))
                amount = p * q // 1000
                basis.append(f"{first}○ 항목{g} {n(p)}원*{q}회\t= {n(amount)}천원")
            groups_amounts.append(amount)
            b_total += amount
        a = draw(st.one_of(st.just(0), st.integers(1, 400_000)))  # A = 0: new this year
        rows.append((name, a, b_total))
    rows += [(name, draw(st.integers(1, 400_000)), 0) for name in ended]  # B = 0: no 산출근거
    total_a, total_b = sum(r[1] for r in rows), sum(r[2] for r in rows)

    def srow(label: str, a: int, b: int) -> str:
        rate = Fraction(100 if b > 0 else 0) if a == 0 else Fraction((b - a) * 100, a)
        rate_text = signed(int(convention(rate)))
        return f"{label}\t(x-) {n(a)}\t(x-) {n(b)}\t(x-) {signed(b - a)}\t(x-) {rate_text}"

    parts = draw(st.lists(st.integers(1, 10), min_size=2, max_size=4))
    shares = [total_b * p // sum(parts) for p in parts]
    shares[-1] += total_b - sum(shares)
    schedule = [f"단계{i}\t{year}.01~{year}.12\t{n(s)}\t내용" for i, s in enumerate(shares)]
    settlement, carried = [], 0
    for y in range(year - 4, year - 1):
        final = draw(st.integers(1000, 300_000))
        adjust = draw(st.integers(-min(final // 2, 5000), 5000))  # a cut (△) is the one negative amount
        available = final + carried + adjust
        spent = draw(st.integers(available // 2, available))
        over = draw(st.integers(0, available - spent))
        settlement.append(f"{y}\t" + "\t".join(f"(x-) {signed(v)}" for v in (
            final, carried, adjust, available, spent, over, available - spent - over)))
        carried = over
    activity_budget = draw(st.sampled_from(groups_amounts))
    weights = draw(st.lists(st.integers(0, 5), min_size=3, max_size=3).filter(any))
    funds = [total_b * w // sum(weights) for w in weights]
    funds[weights.index(max(weights))] += total_b - sum(funds)
    fund = [f"{n(v)}천원" if w else "" for v, w in zip(funds, weights)]
    return "\n".join([
        "# 생성된 사업", "", "## 1 기본 현황", "", "### □ 사업개요", "",
        "회 계\t일반회계\t\t",
        f"사업비 (당해년도)\t{n(total_b)}천원\t[국비]{fund[0]}\t[시비]{fund[1]}",
        f"\t\t기타 (예산 외) [구비]{fund[2]}\t[기타]", "",
        "## 2 예산 설명", "", "### □ 예산 총괄", "", "(단위 : 천원, %)", "",
        f"구 분\t{year - 1}예산액 (A)\t{year}예산액 (B)\t증감 (B-A)\t(B-A)*100/A",
        srow("계", total_a, total_b), *[srow(*r) for r in rows], "",
        "산출근거", "", f"과목구분\t{year}년 예산내역", *basis, "",
        "□ 사업내용", "", "- 사업 추진", f"  - 소요예산 : {n(activity_budget)}천원", "",
        f"□ {year}년도 추진일정", "", "(단위 : 천원)", "",
        "사업추진절차\t추진기간\t예산집행금액\t추진세부내용", f"계\t\t{n(total_b)}\t", *schedule, "",
        "5 최근 3년 결산 현황", "", "(단위 : 천원)", "",
        "연도\t최종예산\t전년이월\t예산변경\t예산현액\t집행액\t차년이월\t집행잔액", *settlement, "",
    ])


def roles(sheet: Sheet) -> Iterator[tuple[Amount, str]]:
    """Every Amount with its role: ``Class.field``, with ``total`` for the 계 rows."""
    def walk(obj: Any, total: bool) -> Iterator[tuple[Amount, str]]:
        if isinstance(obj, tuple):
            for x in obj:
                yield from walk(x, False)
        elif attrs.has(type(obj)):
            for f in attrs.fields(type(obj)):
                value = getattr(obj, f.name)
                if isinstance(value, Amount):
                    kind = type(obj).__name__ + ("(items)" if isinstance(obj, BasisGroup) and obj.items else "")
                    yield value, f"{kind}{'.total' if total else ''}.{f.name}"
                elif f.name not in ("lines", "problems", "layout"):
                    yield from walk(value, f.name == "total")
    yield from walk(sheet, False)


#: role → (rules one of which must report the broken line, error rules that may appear).
EXPECT: dict[str, tuple[set[str], set[str]]] = {
    "SettlementRow.final_budget": ({"SET001"}, {"SET001"}),
    "SettlementRow.carried_in": ({"SET001"}, {"SET001", "SET003"}),
    "SettlementRow.adjustment": ({"SET001"}, {"SET001"}),
    "SettlementRow.available": ({"SET001"}, {"SET001", "SET002", "SET004"}),
    "SettlementRow.spent": ({"SET002"}, {"SET002", "SET004"}),
    "SettlementRow.carried_over": ({"SET002"}, {"SET002", "SET003"}),
    "SettlementRow.unspent": ({"SET002"}, {"SET002"}),
    "SummaryRow.previous": ({"SUM004"}, {"SUM004", "RATE001", "RATE002"}),
    "SummaryRow.current": ({"SUM003"}, {"SUM003", "SUM002", "RATE001", "RATE002"}),
    "SummaryRow.change": ({"RATE001"}, {"RATE001"}),
    "SummaryRow.rate": ({"RATE002"}, {"RATE002"}),
    "SummaryRow.total.previous": ({"SUM004"}, {"SUM004", "RATE001", "RATE002"}),
    "SummaryRow.total.current": ({"SUM003"}, {"SUM003", "RATE001", "RATE002", "XREF001", "XREF002"}),
    "SummaryRow.total.change": ({"RATE001"}, {"RATE001"}),
    "SummaryRow.total.rate": ({"RATE002"}, {"RATE002"}),
    "BasisGroup(items).amount": ({"SUM001"}, {"SUM001", "SUM002"}),
    "BasisGroup.amount": ({"CALC001"}, {"CALC001", "SUM002"}),
    "BasisItem.amount": ({"SUM001", "CALC001"}, {"SUM001", "CALC001"}),
    "Overview.cost": ({"FUND001"}, {"FUND001", "XREF001"}),
    "Funding.amount": ({"FUND001"}, {"FUND001"}),
    "ScheduleRow.total.amount": ({"SUM005"}, {"SUM005", "XREF002"}),
    "ScheduleRow.amount": ({"SUM005"}, {"SUM005"}),
    "Activity.required_budget": ({"XREF006"}, set()),
}


def _edit(text: str, amount: Amount, change) -> tuple[str, int]:
    """The text with ``amount``'s cell replaced by ``change(cell)``, and its line."""
    lines = text.split("\n")
    src = amount.source
    line = lines[src.line - 1]
    start = src.column - 1
    assert line[start : start + len(src.text)] == src.text, (line, src)
    lines[src.line - 1] = line[:start] + change(src.text) + line[start + len(src.text) :]
    return "\n".join(lines), src.line


def mutate(text: str, amount: Amount, delta: int) -> tuple[str, int]:
    """The text with ``amount``'s magnitude moved by ``delta`` units (sign kept), and its line.

    A negative ``delta`` that would cross zero is applied upwards instead.
    """
    magnitude = abs(int(amount.value))
    new = magnitude + delta if magnitude + delta >= 0 else magnitude - delta
    return _edit(text, amount, lambda cell: re.sub(r"\d[\d,]*", n(new), cell, count=1))


#: The ways a sheet writes a minus (README: △, Δ, − or -); every one means the same.
MINUS = ("△", "Δ", "−", "-")
_WRITTEN_MINUS = re.compile(r"[△Δ−-](?=\s*\d)")


def flip(text: str, amount: Amount, sign: str) -> tuple[str, int]:
    """The text with ``amount``'s sign flipped: ``sign`` put before a positive figure, or a minus dropped."""
    if amount.value < 0:
        return _edit(text, amount, lambda cell: _WRITTEN_MINUS.sub("", cell, count=1))
    return _edit(text, amount, lambda cell: re.sub(r"(?=\d)", sign, cell, count=1))


def respell(text: str, amount: Amount, sign: str) -> tuple[str, int]:
    """The text with a negative ``amount``'s minus written as ``sign`` instead: the same value."""
    return _edit(text, amount, lambda cell: _WRITTEN_MINUS.sub(sign, cell, count=1))


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(consistent_sheet())
def test_a_consistent_sheet_gives_no_error_and_no_warning(text):
    sheet = read_text(text, "gen.txt")
    assert sheet.problems == ()
    bad = [f for f in RULES.check(sheet) if f.severity != Severity.INFO]
    assert bad == []


@SETTINGS
@given(consistent_sheet(), st.data())
def test_breaking_one_number_fires_the_rule_of_that_identity_on_its_line(text, data):
    sheet = read_text(text, "gen.txt")
    amount, role = data.draw(st.sampled_from(list(roles(sheet))), label="broken amount")
    size = st.integers(2, 50) if role.endswith(".rate") else st.integers(50, 5000)
    delta = data.draw(size, label="size") * data.draw(st.sampled_from([1, -1]), label="direction")
    broken_text, line = mutate(text, amount, delta)
    findings = RULES.check(read_text(broken_text, "gen.txt"))
    must, allowed = EXPECT[role]
    lines_of = {id(f): {f.line, *(r.line for r in f.related)} for f in findings}
    assert any(f.code in must and line in lines_of[id(f)] for f in findings), (role, findings)
    for f in findings:
        if f.severity == Severity.ERROR:
            assert f.code in allowed, (role, f)
            assert line in lines_of[id(f)], (role, f)


#: role → error rules a sign flip may add to EXPECT's: an amount that may not be negative now is (SET005).
FLIP_ALSO: dict[str, set[str]] = {
    f"SettlementRow.{f}": {"SET005"} for f in ("final_budget", "carried_in", "available", "spent", "carried_over",
                                               "unspent")}


@SETTINGS
@given(consistent_sheet(), st.data())
def test_flipping_one_sign_fires_the_rule_of_that_identity_on_its_line(text, data):
    """A lost △ (or one added) is a broken number like any other: the identity's rule fires on its line."""
    sheet = read_text(text, "gen.txt")
    candidates = [(a, r) for a, r in roles(sheet) if a.value != 0]
    amount, role = data.draw(st.sampled_from(candidates), label="flipped amount")
    broken_text, line = flip(text, amount, data.draw(st.sampled_from(MINUS), label="minus"))
    findings = RULES.check(read_text(broken_text, "gen.txt"))
    must, allowed = EXPECT[role]
    lines_of = {id(f): {f.line, *(r.line for r in f.related)} for f in findings}
    assert any(f.code in must and line in lines_of[id(f)] for f in findings), (role, amount, findings)
    for f in findings:
        if f.severity == Severity.ERROR:
            assert f.code in allowed | FLIP_ALSO.get(role, set()), (role, f)
            assert line in lines_of[id(f)], (role, f)


@SETTINGS
@given(consistent_sheet(), st.data())
def test_writing_a_minus_another_way_changes_no_finding(text, data):
    """△, Δ, − and - are one minus: respelling one gives the same findings (none but info) as before."""
    sheet = read_text(text, "gen.txt")
    negatives = [a for a, _ in roles(sheet) if a.value < 0]
    assume(negatives)
    amount = data.draw(st.sampled_from(negatives), label="negative amount")
    respelt, line = respell(text, amount, data.draw(st.sampled_from(MINUS), label="minus"))
    again = read_text(respelt, "gen.txt")
    assert again.problems == ()
    before = [(f.code, f.line, f.message_ko) for f in RULES.check(sheet)]
    assert [(f.code, f.line, f.message_ko) for f in RULES.check(again)] == before
    assert all(code.startswith("REVIEW") for code, _, _ in before)


#: role → the rules for which that value is the ``actual`` side: when one of them fires, its primary
#: line must be the broken one (the value's own line), not merely a related line.
ACTUAL: dict[str, set[str]] = {
    "SettlementRow.available": {"SET001"},
    "SettlementRow.unspent": {"SET002"},
    "SettlementRow.carried_in": {"SET003"},
    "SettlementRow.spent": {"SET004"},
    "SummaryRow.current": {"SUM002"},
    "SummaryRow.change": {"RATE001"},
    "SummaryRow.rate": {"RATE002"},
    "SummaryRow.total.previous": {"SUM004"},
    "SummaryRow.total.current": {"SUM003"},
    "SummaryRow.total.change": {"RATE001"},
    "SummaryRow.total.rate": {"RATE002"},
    "BasisGroup(items).amount": {"SUM001"},
    "BasisGroup.amount": {"CALC001"},
    "BasisItem.amount": {"CALC001"},
    "Overview.cost": {"FUND001", "XREF001"},
    "ScheduleRow.total.amount": {"SUM005", "XREF002"},
    "Activity.required_budget": {"XREF006"},
}


@SETTINGS
@given(consistent_sheet(), st.data())
def test_a_rule_whose_actual_side_is_broken_reports_that_line_first(text, data):
    sheet = read_text(text, "gen.txt")
    candidates = [(a, r) for a, r in roles(sheet) if r in ACTUAL]
    amount, role = data.draw(st.sampled_from(candidates), label="broken amount")
    size = st.integers(2, 50) if role.endswith(".rate") else st.integers(50, 5000)
    delta = data.draw(size, label="size") * data.draw(st.sampled_from([1, -1]), label="direction")
    broken_text, line = mutate(text, amount, delta)
    for f in RULES.check(read_text(broken_text, "gen.txt")):
        if f.code in ACTUAL[role]:
            assert f.line == line, (role, f)


#: Where a year is written: (pattern with the year as group 2, rule that must fire, severity).
YEARS = {
    "basis heading": (r"(과목구분\t)(\d{4})(년 예산내역)", "XREF003", Severity.ERROR),
    "schedule heading": (r"(□ )(\d{4})(년도 추진일정)", "XREF004", Severity.ERROR),
    "period start": (r"(\n단계\d+\t)(\d{4})(\.\d\d~)", "XREF005", Severity.WARNING),
    "period end": (r"(\n단계\d+\t\d{4}\.\d\d~)(\d{4})(\.)", "XREF005", Severity.WARNING),
}


@SETTINGS
@given(consistent_sheet(), st.sampled_from(sorted(YEARS)), st.data())
def test_breaking_one_year_fires_its_cross_reference_rule_on_its_line(text, site, data):
    pattern, code, severity = YEARS[site]
    matches = list(re.finditer(pattern, text))
    m = data.draw(st.sampled_from(matches), label="which")
    shift = data.draw(st.sampled_from([-2, -1, 1, 3]), label="shift")
    broken = text[: m.start(2)] + str(int(m.group(2)) + shift) + text[m.end(2):]
    line = text.count("\n", 0, m.start(2)) + 1
    sheet = read_text(broken, "gen.txt")
    findings = RULES.check(sheet)
    mine = [f for f in findings if f.code == code]
    assert mine and all(f.severity == severity for f in mine), (site, findings)
    lines = {line}
    owner = {"basis heading": sheet.basis, "schedule heading": sheet.schedule}.get(site)
    if owner is not None and isinstance(owner.year, int):
        # a bare int year knows no line: the finding falls back to its section's own line
        lines.add(owner.source.line)
    assert any(f.line in lines for f in mine), (site, line, mine)  # the broken year is the actual side
    others = [f for f in findings if f.code != code and f.severity != Severity.INFO]
    assert others == [], (site, others)  # in particular no XREF005 for a wrong schedule heading
