"""The typed model of one 사업설명서 sheet: the only vocabulary the rules see.

Every class is frozen and slotted. Every number is an :class:`~auditor.source.Amount` that
knows its source. Fields carry their Korean name as written in the document in
``metadata["ko"]``; rule packs may use either name (see ``docs/model.md``).
Readers build the classes with :data:`MAKERS` and keep ``source`` fields as data until they are
read (:func:`auditor.source.lazy_source`).
"""

from __future__ import annotations

from fractions import Fraction
from types import MappingProxyType
from typing import Any, Callable, ClassVar, Iterator, Mapping, NamedTuple, TypeVar

import attrs

from auditor.fields import to_tuple
from auditor.formula.errors import FormulaError
from auditor.source import Amount, Source, Text, Year, lazy_source, lazy_text, maker

__all__ = [
    "Amount", "Source", "Text", "Year", "Problem", "Funding", "Overview", "Contact", "Department",
    "SummaryRow", "Summary", "FundingShare", "Derived", "BasisItem", "BasisGroup", "BasisCategory", "Basis",
    "Activity", "ScheduleRow", "Schedule", "Achievement", "SettlementRow", "Settlement",
    "Prose", "Sheet", "FormulaResult", "korean_names", "row_context", "walk",
]

T = TypeVar("T")


def ko(name: str, **kwargs: Any) -> Any:
    """An attrs field that records the document's own Korean name for it."""
    metadata = dict(kwargs.pop("metadata", {}))
    metadata["ko"] = name
    return attrs.field(metadata=metadata, **kwargs)


def korean_names(cls: type) -> Mapping[str, str]:
    """``{Korean name: attribute name}`` for an attrs model class (made once per class; read-only)."""
    names = _KOREAN_NAMES.get(cls)
    if names is None:
        names = _KOREAN_NAMES[cls] = MappingProxyType(
            {f.metadata["ko"]: f.name for f in attrs.fields(cls) if "ko" in f.metadata})
    return names


_KOREAN_NAMES: dict[type, Mapping[str, str]] = {}


class KoreanKeys:
    """Mixin: ``obj["예산현액"]`` is the attribute whose Korean name is 예산현액."""

    __slots__ = ()

    def __getitem__(self, korean: str) -> Any:
        try:
            return getattr(self, korean_names(type(self))[korean])
        except KeyError:
            raise KeyError(f"{type(self).__name__} has no field named {korean!r}") from None


class FormulaResult(NamedTuple):
    """What a 산출근거 line's formula comes to, worked out once by the reader (``BasisItem.calc``).

    ``value`` is the formula's exact value in 원 (an ``int`` when whole, else a ``Fraction``),
    or None when the line has no formula, it does not parse, or it has no value (a division by
    zero). ``attempt`` is what :func:`auditor.formula.formula_attempt` gives for the formula, or
    for the label when there is no formula: ``(0-based start, error)`` of what looks like a
    formula but cannot be used, or None. A named tuple: frozen, slotted and cheap to make; not
    part of the rule vocabulary (no attrs class) nor of ``auditor parse``'s output.
    """

    value: int | Fraction | None = None
    attempt: tuple[int, FormulaError] | None = None


#: ``FormulaResult(None, None)``: a line with no formula and nothing that looks like one.
NO_FORMULA = FormulaResult()


def _calc() -> Any:
    """The ``calc`` field: derived from the line's own text, so it takes no part in equality."""
    return attrs.field(default=None, eq=False, repr=False)


@attrs.frozen
class Problem:
    """Something the reader could not place or read: becomes a ``PARSE`` finding."""

    code: str
    message_ko: str
    message_en: str
    source: Source


@attrs.frozen
class Funding(KoreanKeys):
    """One source of funds in the overview, with its label exactly as written ([시비], [사비] …)."""

    label: str = ko("재원")
    amount: Amount | None = ko("금액", default=None)
    source: Source | None = None


@attrs.frozen
class Overview(KoreanKeys):
    """□ 사업개요."""

    account: Text | None = ko("회계", default=None)
    period: Text | None = ko("사업기간", default=None)
    description: Text | None = ko("사업내용", default=None)
    cost: Amount | None = ko("사업비", default=None)
    funding: tuple[Funding, ...] = ko("재원", default=(), converter=to_tuple)
    source: Source | None = None


@attrs.frozen
class Contact(KoreanKeys):
    """One person in □ 사업 담당자."""

    role: str = ko("직위")
    name: str = ko("성명")
    phone: str = ko("전화", default="")
    source: Source | None = None


@attrs.frozen
class Department(KoreanKeys):
    """□ 사업 담당자: the division, the department, and the contacts."""

    division: Text | None = ko("실·국", default=None)
    name: Text | None = ko("부서명", default=None)
    contacts: tuple[Contact, ...] = ko("담당자", default=(), converter=to_tuple)
    source: Source | None = None


@attrs.frozen
class SummaryRow(KoreanKeys):
    """One row of □ 예산 총괄: a 통계목 (or 계) with A, B, the change and the rate."""

    item: Text = ko("통계목")
    previous: Amount | None = ko("A", default=None)
    current: Amount | None = ko("B", default=None)
    change: Amount | None = ko("증감", default=None)
    rate: Amount | None = ko("증감률", default=None)
    source: Source | None = None


@attrs.frozen
class Summary(KoreanKeys):
    """□ 예산 총괄."""

    previous_year: Year | None = ko("전년도", default=None)
    current_year: Year | None = ko("예산연도", default=None)
    #: The header's own formulas, as written: ``(B-A)`` and ``(B-A)*100/A``.
    change_formula: Text | None = ko("증감식", default=None)
    rate_formula: Text | None = ko("증감률식", default=None)
    unit: str = ko("단위", default="천원")
    total: SummaryRow | None = ko("계", default=None)
    rows: tuple[SummaryRow, ...] = ko("통계목", default=(), converter=to_tuple)
    source: Source | None = None


@attrs.frozen
class FundingShare(KoreanKeys):
    """One funding source's share of an e호조 line item: this budget (경정), the previous one (기정), the change."""

    label: str = ko("재원")
    current: Amount | None = ko("경정", default=None)
    previous: Amount | None = ko("기정", default=None)
    change: Amount | None = ko("증감", default=None)
    source: Source | None = None


@attrs.frozen
class Derived(KoreanKeys):
    """A column an analyst appended to an export, derived from another one (``예산액_억원`` from 예산액).

    ``value`` is the derived cell in the unit its name says (``_원``: 원, ``_억원``: 억원, ``_num``: the
    source's own 천원); ``of`` is the source cell it was derived from.
    """

    column: str = ko("열")
    value: Amount | None = ko("값", default=None)
    of: Amount | None = ko("원값", default=None)
    source: Source | None = None


@attrs.frozen
class BasisItem(KoreanKeys):
    """A ``-`` line under a ○ group in 산출근거."""

    label: Text = ko("내역")
    formula: Text | None = ko("산출식", default=None)
    amount: Amount | None = ko("금액", default=None)
    #: The whole description cell as written, marker included.
    text: Text | None = ko("산출내역", default=None)
    source: Source | None = None
    #: e호조 only: the previous figure (supplementary budgets), the change, and the funding split.
    previous: Amount | None = ko("기정액", default=None)
    change: Amount | None = ko("비교증감", default=None)
    funding: tuple[FundingShare, ...] = ko("재원", default=(), converter=to_tuple)
    #: e호조 only: which budget the row belongs to (본예산, 추경1회 …).
    budget_kind: Text | None = ko("예산구분", default=None)
    #: e호조 only: the row of the latest earlier version of the same item, which this row restates
    #: (its 예산액 is this row's 기정액); None for a 본예산 row, a new item, or a base not in the file.
    base: BasisItem | None = ko("기정내역", default=None, metadata={"reference": True})
    #: Always empty on an item (an item has no ο rows); here so that a rule over groups and items may name it.
    unchanged: tuple[BasisItem, ...] = ko("유지세부내역", default=(), converter=to_tuple, metadata={"reference": True})
    #: e호조 only: columns an analyst derived from this row's figures (``예산액_억원`` …), see Derived.
    derived: tuple[Derived, ...] = ko("파생열", default=(), converter=to_tuple)
    #: The formula's value and any error in it, worked out by the reader (None when not read by one).
    calc: FormulaResult | None = _calc()


@attrs.frozen
class BasisGroup(KoreanKeys):
    """A ``○`` line in 산출근거, with its ``-`` items (a group may carry its own formula)."""

    label: Text = ko("내역")
    formula: Text | None = ko("산출식", default=None)
    amount: Amount | None = ko("금액", default=None)
    text: Text | None = ko("산출내역", default=None)
    items: tuple[BasisItem, ...] = ko("세부내역", default=(), converter=to_tuple)
    source: Source | None = None
    #: e호조 only, as on BasisItem.
    previous: Amount | None = ko("기정액", default=None)
    change: Amount | None = ko("비교증감", default=None)
    funding: tuple[FundingShare, ...] = ko("재원", default=(), converter=to_tuple)
    budget_kind: Text | None = ko("예산구분", default=None)
    #: e호조 only: the group's row in the latest earlier version (see BasisItem.base).
    base: BasisGroup | None = ko("기정내역", default=None, metadata={"reference": True})
    #: e호조 only: the ο rows of the base version that this 추경 group does not list, as the base states
    #: them: with ``items`` they complete the group (its 예산액 covers both; its funding cells only ``items``).
    unchanged: tuple[BasisItem, ...] = ko("유지세부내역", default=(), converter=to_tuple, metadata={"reference": True})
    derived: tuple[Derived, ...] = ko("파생열", default=(), converter=to_tuple)
    #: As on BasisItem.
    calc: FormulaResult | None = _calc()


@attrs.frozen
class BasisCategory(KoreanKeys):
    """One 통계목 in 산출근거 and its ○ groups (``name`` is None when the 통계목 cell is missing)."""

    name: Text | None = ko("통계목")
    groups: tuple[BasisGroup, ...] = ko("내역", default=(), converter=to_tuple)
    source: Source | None = None
    #: e호조 only: the 세부사업 (detailed project) the 통계목 belongs to, and the department that runs it.
    project: Text | None = ko("세부사업", default=None)
    department: Text | None = ko("부서명", default=None)
    #: e호조 only: the 통계목 code (``201-01``), and the 편성목 above it (``201``, ``일반운영비``).
    code: Text | None = ko("통계목코드", default=None)
    object_code: Text | None = ko("편성목", default=None)
    object_name: Text | None = ko("편성목명", default=None)


@attrs.frozen
class Basis(KoreanKeys):
    """산출근거: the year of its ``NNNN년 예산내역`` header and its 통계목."""

    year: Year | None = ko("예산연도", default=None)
    categories: tuple[BasisCategory, ...] = ko("통계목", default=(), converter=to_tuple)
    source: Source | None = None


@attrs.frozen
class Activity(KoreanKeys):
    """One bullet of 사업내용, with its sub-bullets and any ``소요예산 : N천원``."""

    title: Text = ko("내용")
    details: tuple[Text, ...] = ko("세부", default=(), converter=to_tuple)
    required_budget: Amount | None = ko("소요예산", default=None)
    source: Source | None = None


@attrs.frozen
class ScheduleRow(KoreanKeys):
    """One row of □ 추진일정 (also the 계 row)."""

    step: Text = ko("사업추진절차")
    period: Text | None = ko("추진기간", default=None)
    amount: Amount | None = ko("예산집행금액", default=None)
    detail: Text | None = ko("추진세부내용", default=None)
    #: (year, month) of the period's start and end, when the period reads as ``YYYY.MM~YYYY.MM``.
    start: tuple[int, int] | None = ko("시작", default=None)
    end: tuple[int, int] | None = ko("종료", default=None)
    source: Source | None = None


@attrs.frozen
class Schedule(KoreanKeys):
    """□ NNNN년도 추진일정."""

    year: Year | None = ko("예산연도", default=None)
    unit: str = ko("단위", default="천원")
    total: ScheduleRow | None = ko("계", default=None)
    rows: tuple[ScheduleRow, ...] = ko("절차", default=(), converter=to_tuple)
    source: Source | None = None


@attrs.frozen
class Achievement(KoreanKeys):
    """One year of □ 최근 3년 추진실적."""

    year: Year = ko("연도")
    items: tuple[Text, ...] = ko("실적", default=(), converter=to_tuple)
    source: Source | None = None


@attrs.frozen
class SettlementRow(KoreanKeys):
    """One year of 최근 3년 결산 현황, keyed by the document's own column names."""

    year: Year = ko("연도")
    final_budget: Amount | None = ko("최종예산", default=None)
    carried_in: Amount | None = ko("전년이월", default=None)
    adjustment: Amount | None = ko("예산변경", default=None)
    available: Amount | None = ko("예산현액", default=None)
    spent: Amount | None = ko("집행액", default=None)
    carried_over: Amount | None = ko("차년이월", default=None)
    unspent: Amount | None = ko("집행잔액", default=None)
    source: Source | None = None

    #: The seven amount columns, in the document's order.
    COLUMNS: ClassVar[tuple[str, ...]] = (
        "final_budget", "carried_in", "adjustment", "available", "spent", "carried_over", "unspent",
    )

    def columns(self) -> dict[str, Amount | None]:
        """``{Korean column name: Amount}`` in the document's order (연도 excluded)."""
        return {attrs.fields_dict(SettlementRow)[n].metadata["ko"]: getattr(self, n) for n in self.COLUMNS}


@attrs.frozen
class Settlement(KoreanKeys):
    """최근 3년 결산 현황."""

    unit: str = ko("단위", default="천원")
    rows: tuple[SettlementRow, ...] = ko("연도별", default=(), converter=to_tuple)
    source: Source | None = None


@attrs.frozen
class Prose(KoreanKeys):
    """A section kept as text: its heading and its non-blank lines (for an unknown □ heading)."""

    heading: Text = ko("제목")
    lines: tuple[Text, ...] = ko("내용", default=(), converter=to_tuple)


@attrs.frozen
class Sheet(KoreanKeys):
    """One 사업설명서, as read, with the reader's problems and the decoded text."""

    path: str
    title: Text | None = ko("사업명", default=None)
    budget_year: Year | None = ko("예산연도", default=None)
    overview: Overview = ko("사업개요", factory=Overview)
    department: Department = ko("사업담당자", factory=Department)
    summary: Summary = ko("예산총괄", factory=Summary)
    basis: Basis = ko("산출근거", factory=Basis)
    activities: tuple[Activity, ...] = ko("사업내용", default=(), converter=to_tuple)
    schedule: Schedule = ko("추진일정", factory=Schedule)
    achievements: tuple[Achievement, ...] = ko("추진실적", default=(), converter=to_tuple)
    settlement: Settlement = ko("결산", factory=Settlement)
    #: Prose sections, one Text per non-blank line, as written.
    purpose: tuple[Text, ...] = ko("사업목적", default=(), converter=to_tuple)
    legal_basis: tuple[Text, ...] = ko("사업근거", default=(), converter=to_tuple)
    history: tuple[Text, ...] = ko("추진경위", default=(), converter=to_tuple)
    expected_effects: tuple[Text, ...] = ko("향후 기대효과", default=(), converter=to_tuple)
    notes: tuple[Text, ...] = ko("비고", default=(), converter=to_tuple)
    other_sections: tuple[Prose, ...] = ko("기타", default=(), converter=to_tuple)
    #: Lines read as structure only: headings, table headers, unit notes, separator lines.
    layout: tuple[Text, ...] = attrs.field(default=(), converter=to_tuple)
    problems: tuple[Problem, ...] = attrs.field(default=(), converter=to_tuple)
    #: The decoded text, one entry per line, so that reports never re-read the file.
    lines: tuple[str, ...] = attrs.field(default=(), converter=to_tuple, repr=False)
    encoding: str = "utf-8"
    #: The line of its file where this sheet starts: 1, unless the file holds several sheets run
    #: together (``auditor.readers.book``), which share one ``lines``.
    first_line: int = 1

    def amounts(self) -> Iterator[Amount]:
        """Every Amount in the sheet, in reading order of the model."""
        return walk(self, Amount)


def walk(obj: Any, kind: type[T]) -> Iterator[T]:
    """Every ``kind`` value inside a model object, in field order.

    ``Sheet.lines`` is raw text, not model; an e호조 row's ``base``/``unchanged`` are other rows
    (of an earlier version), walked where they were read, not again under the row that refers to them;
    and ``calc`` is worked out from the model.
    """
    if isinstance(obj, kind):
        yield obj
    elif isinstance(obj, tuple):
        for x in obj:
            yield from walk(x, kind)
    elif attrs.has(type(obj)):
        for f in attrs.fields(type(obj)):
            if f.name != "calc" and not (f.name == "lines" and isinstance(obj, Sheet)) \
                    and not f.metadata.get("reference"):
                yield from walk(getattr(obj, f.name), kind)


def row_context(sheet: Sheet) -> dict[int, tuple[tuple[str, str], ...]]:
    """``{line: context}`` for every e호조 record of ``sheet``: its 부서, 세부사업 and 통계목 (code and name).

    The context names where a row sits in a whole city's budget (``auditor.findings.Finding.context``);
    a 사업설명서, whose 통계목 carry no 세부사업, has none.
    """
    out: dict[int, tuple[tuple[str, str], ...]] = {}
    for category in sheet.basis.categories:
        if category.project is None and category.department is None:
            continue
        name = " ".join(t.value for t in (category.code, category.name) if t is not None)
        context = tuple((key, value) for key, value in (
            ("department", category.department.value if category.department else ""),
            ("project", category.project.value if category.project else ""),
            ("category", name),
        ) if value)
        for group in category.groups:
            for node in (group, *group.items):
                if node.source is not None:
                    out[node.source.line] = context
    return out


#: Every model class with a ``source`` field keeps it as data until it is read (``lazy_source``).
for _cls in (Funding, Overview, Contact, Department, SummaryRow, Summary, FundingShare, BasisItem, BasisGroup,
             BasisCategory, Basis, Activity, ScheduleRow, Schedule, Achievement, SettlementRow, Settlement):
    lazy_source(_cls)
#: The Texts of the most numerous rows, kept as data until read as well (``lazy_text``): a rule that
#: checks an amount never needs them, a finding or ``auditor parse`` does.
lazy_text(BasisItem, "label", "formula", "text")
lazy_text(BasisGroup, "label", "formula", "text")
lazy_text(BasisCategory, "name")
lazy_text(SummaryRow, "item")
lazy_text(ScheduleRow, "step", "period", "detail")
#: Fast constructors for readers (:func:`auditor.source.maker`): no validators or converters.
MAKERS: dict[type, Callable[..., Any]] = {
    cls: maker(cls) for cls in (Funding, Contact, SummaryRow, BasisItem, BasisGroup, BasisCategory, Activity,
                                ScheduleRow, Achievement, SettlementRow, Text, FundingShare)
}
