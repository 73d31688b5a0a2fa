"""The typed model of one 사업설명서 sheet: the only vocabulary the rules see.

Every class is frozen and slotted. Every number is an :class:`~auditor.source.Amount` that
knows its source. Fields carry their Korean name as written in the document in
``metadata["ko"]``; rule packs may use either name (see ``docs/model.md``).
Readers build the classes with :data:`MAKERS` and keep ``source`` fields as data until they are
read (:func:`auditor.source.lazy_source`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from fractions import Fraction
from types import MappingProxyType

from auditor.plain import Field as _Field
from auditor.plain import Frozen as _Frozen
from auditor.plain import NOTHING
from auditor.plain import fields as _fields
from auditor.plain import frozen as _frozen
from auditor.plain import has as _has
from auditor.formula.errors import FormulaError
from auditor.source import Amount, Source, Text, Year, lazy_source, lazy_text, new_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, ClassVar, NamedTuple, TypeVar
else:
    from auditor.hints import NamedTuple

__all__ = [
    "Amount", "Source", "Text", "Year", "Problem", "Funding", "Overview", "Contact", "Department",
    "SummaryRow", "Summary", "FundingShare", "Derived", "BasisItem", "BasisGroup", "BasisCategory", "Basis",
    "Activity", "ScheduleRow", "Schedule", "Achievement", "SettlementRow", "Settlement",
    "Prose", "Sheet", "FormulaResult", "korean_names", "row_context", "walk",
]

if TYPE_CHECKING:
    T = TypeVar("T")


def ko(name: str, **kwargs: Any) -> Any:
    """An attrs field that records the document's own Korean name for it."""
    metadata = dict(kwargs.pop("metadata", {}))
    metadata["ko"] = name
    import attrs  # only attrs classes (the cross pass's project, tests) declare fields so

    return attrs.field(metadata=metadata, **kwargs)


def korean_names(cls: type) -> Mapping[str, str]:
    """``{Korean name: attribute name}`` for an attrs model class (made once per class; read-only)."""
    names = _KOREAN_NAMES.get(cls)
    if names is None:
        names = _KOREAN_NAMES[cls] = MappingProxyType(
            {f.metadata["ko"]: f.name for f in _fields(cls) if "ko" in f.metadata})
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


# --- The classes, written out (auditor.plain) --------------------------------------------------------
#
# Each class is a plain slotted class whose ``__init__`` is written here and whose other methods are
# auditor.plain's, where ``attrs.frozen`` generated and compiled the same methods at every import:
# about a tenth of every start-up. Each keeps what attrs gave it (slots, signature, equality, hash,
# ``repr``, immutability, pickling, ``attrs.fields``/``evolve``/``asdict``); the fields listed under
# each class are its attrs declaration's, and tests/test_model_plain.py holds every class to it.

_set = object.__setattr__  # as attrs' own __init__ sets a frozen class's slots


_F = _Field
_CALC = _Field("calc", eq=False, repr=False, default=None)
_SOURCE = _Field("source", default=None)


class Problem(_Frozen):
    """Something the reader could not place or read: becomes a ``PARSE`` finding."""

    __slots__ = ("code", "message_ko", "message_en", "source", "__weakref__")
    code: str
    message_ko: str
    message_en: str
    source: Source

    def __init__(self, code: str, message_ko: str, message_en: str, source: Source) -> None:
        _set(self, "code", code)
        _set(self, "message_ko", message_ko)
        _set(self, "message_en", message_en)
        _set(self, "source", source)


_frozen(Problem, _F("code"), _F("message_ko"), _F("message_en"), _F("source"))


class Funding(KoreanKeys, _Frozen):
    """One source of funds in the overview, with its label exactly as written ([시비], [사비] …)."""

    __slots__ = ("label", "amount", "source", "__weakref__")
    label: str
    amount: Amount | None
    source: Source | None

    def __init__(self, label: str, amount: Amount | None = None, source: Source | None = None) -> None:
        _set(self, "label", label)
        _set(self, "amount", amount)
        _set(self, "source", source)


_frozen(Funding, _F("label", "재원"), _F("amount", "금액", None), _SOURCE)


class Overview(KoreanKeys, _Frozen):
    """□ 사업개요."""

    __slots__ = ("account", "period", "description", "cost", "funding", "source", "__weakref__")
    account: Text | None
    period: Text | None
    description: Text | None
    cost: Amount | None
    funding: tuple[Funding, ...]
    source: Source | None

    def __init__(self, account: Text | None = None, period: Text | None = None, description: Text | None = None,
                 cost: Amount | None = None, funding: tuple[Funding, ...] = (), source: Source | None = None) -> None:
        _set(self, "account", account)
        _set(self, "period", period)
        _set(self, "description", description)
        _set(self, "cost", cost)
        _set(self, "funding", tuple(funding))
        _set(self, "source", source)


_frozen(Overview, _F("account", "회계", None), _F("period", "사업기간", None), _F("description", "사업내용", None),
        _F("cost", "사업비", None), _F("funding", "재원", (), seq=True), _SOURCE)


class Contact(KoreanKeys, _Frozen):
    """One person in □ 사업 담당자."""

    __slots__ = ("role", "name", "phone", "source", "__weakref__")
    role: str
    name: str
    phone: str
    source: Source | None

    def __init__(self, role: str, name: str, phone: str = "", source: Source | None = None) -> None:
        _set(self, "role", role)
        _set(self, "name", name)
        _set(self, "phone", phone)
        _set(self, "source", source)


_frozen(Contact, _F("role", "직위"), _F("name", "성명"), _F("phone", "전화", ""), _SOURCE)


class Department(KoreanKeys, _Frozen):
    """□ 사업 담당자: the division, the department, and the contacts."""

    __slots__ = ("division", "name", "contacts", "source", "__weakref__")
    division: Text | None
    name: Text | None
    contacts: tuple[Contact, ...]
    source: Source | None

    def __init__(self, division: Text | None = None, name: Text | None = None, contacts: tuple[Contact, ...] = (),
                 source: Source | None = None) -> None:
        _set(self, "division", division)
        _set(self, "name", name)
        _set(self, "contacts", tuple(contacts))
        _set(self, "source", source)


_frozen(Department, _F("division", "실·국", None), _F("name", "부서명", None), _F("contacts", "담당자", (), seq=True),
        _SOURCE)


class SummaryRow(KoreanKeys, _Frozen):
    """One row of □ 예산 총괄: a 통계목 (or 계) with A, B, the change and the rate."""

    __slots__ = ("item", "previous", "current", "change", "rate", "source", "__weakref__")
    item: Text
    previous: Amount | None
    current: Amount | None
    change: Amount | None
    rate: Amount | None
    source: Source | None

    def __init__(self, item: Text, previous: Amount | None = None, current: Amount | None = None,
                 change: Amount | None = None, rate: Amount | None = None, source: Source | None = None) -> None:
        _set(self, "item", item)
        _set(self, "previous", previous)
        _set(self, "current", current)
        _set(self, "change", change)
        _set(self, "rate", rate)
        _set(self, "source", source)


_frozen(SummaryRow, _F("item", "통계목"), _F("previous", "A", None), _F("current", "B", None),
        _F("change", "증감", None), _F("rate", "증감률", None), _SOURCE)


class Summary(KoreanKeys, _Frozen):
    """□ 예산 총괄."""

    __slots__ = ("previous_year", "current_year", "change_formula", "rate_formula", "unit", "total", "rows", "source",
                 "__weakref__")
    previous_year: Year | None
    current_year: Year | None
    #: The header's own formulas, as written: ``(B-A)`` and ``(B-A)*100/A``.
    change_formula: Text | None
    rate_formula: Text | None
    unit: str
    total: SummaryRow | None
    rows: tuple[SummaryRow, ...]
    source: Source | None

    def __init__(self, previous_year: Year | None = None, current_year: Year | None = None,
                 change_formula: Text | None = None, rate_formula: Text | None = None, unit: str = "천원",
                 total: SummaryRow | None = None, rows: tuple[SummaryRow, ...] = (),
                 source: Source | None = None) -> None:
        _set(self, "previous_year", previous_year)
        _set(self, "current_year", current_year)
        _set(self, "change_formula", change_formula)
        _set(self, "rate_formula", rate_formula)
        _set(self, "unit", unit)
        _set(self, "total", total)
        _set(self, "rows", tuple(rows))
        _set(self, "source", source)


_frozen(Summary, _F("previous_year", "전년도", None), _F("current_year", "예산연도", None),
        _F("change_formula", "증감식", None), _F("rate_formula", "증감률식", None), _F("unit", "단위", "천원"),
        _F("total", "계", None), _F("rows", "통계목", (), seq=True), _SOURCE)


class FundingShare(KoreanKeys, _Frozen):
    """One funding source's share of an e호조 line item: this budget (경정), the previous one (기정), the change."""

    __slots__ = ("label", "current", "previous", "change", "source", "__weakref__")
    label: str
    current: Amount | None
    previous: Amount | None
    change: Amount | None
    source: Source | None

    def __init__(self, label: str, current: Amount | None = None, previous: Amount | None = None,
                 change: Amount | None = None, source: Source | None = None) -> None:
        _set(self, "label", label)
        _set(self, "current", current)
        _set(self, "previous", previous)
        _set(self, "change", change)
        _set(self, "source", source)


_frozen(FundingShare, _F("label", "재원"), _F("current", "경정", None), _F("previous", "기정", None),
        _F("change", "증감", None), _SOURCE)


class Derived(KoreanKeys, _Frozen):
    """A column an analyst appended to an export, derived from another one (``예산액_억원`` from 예산액).

    ``value`` is the derived cell in the unit its name says (``_원``: 원, ``_억원``: 억원, ``_num``: the
    source's own 천원); ``of`` is the source cell it was derived from.
    """

    __slots__ = ("column", "value", "of", "source", "__weakref__")
    column: str
    value: Amount | None
    of: Amount | None
    source: Source | None

    def __init__(self, column: str, value: Amount | None = None, of: Amount | None = None,
                 source: Source | None = None) -> None:
        _set(self, "column", column)
        _set(self, "value", value)
        _set(self, "of", of)
        _set(self, "source", source)


_frozen(Derived, _F("column", "열"), _F("value", "값", None), _F("of", "원값", None), _SOURCE)


class BasisItem(KoreanKeys, _Frozen):
    """A ``-`` line under a ○ group in 산출근거."""

    __slots__ = ("label", "formula", "amount", "text", "source", "previous", "change", "funding", "budget_kind",
                 "base", "unchanged", "derived", "calc", "__weakref__")
    label: Text
    formula: Text | None
    amount: Amount | None
    #: The whole description cell as written, marker included.
    text: Text | None
    source: Source | None
    #: e호조 only: the previous figure (supplementary budgets), the change, and the funding split.
    previous: Amount | None
    change: Amount | None
    funding: tuple[FundingShare, ...]
    #: e호조 only: which budget the row belongs to (본예산, 추경1회 …).
    budget_kind: Text | None
    #: e호조 only: the row of the latest earlier version of the same item, which this row restates
    #: (its 예산액 is this row's 기정액); None for a 본예산 row, a new item, or a base not in the file.
    base: BasisItem | None
    #: Always empty on an item (an item has no ο rows); here so that a rule over groups and items may name it.
    unchanged: tuple[BasisItem, ...]
    #: e호조 only: columns an analyst derived from this row's figures (``예산액_억원`` …), see Derived.
    derived: tuple[Derived, ...]
    #: The formula's value and any error in it, worked out by the reader (None when not read by one);
    #: derived from the line's own text, so it takes no part in equality or ``repr``.
    calc: FormulaResult | None

    def __init__(self, label: Text, formula: Text | None = None, amount: Amount | None = None,
                 text: Text | None = None, source: Source | None = None, previous: Amount | None = None,
                 change: Amount | None = None, funding: tuple[FundingShare, ...] = (),
                 budget_kind: Text | None = None, base: BasisItem | None = None,
                 unchanged: tuple[BasisItem, ...] = (), derived: tuple[Derived, ...] = (),
                 calc: FormulaResult | None = None) -> None:
        _set(self, "label", label)
        _set(self, "formula", formula)
        _set(self, "amount", amount)
        _set(self, "text", text)
        _set(self, "source", source)
        _set(self, "previous", previous)
        _set(self, "change", change)
        _set(self, "funding", tuple(funding))
        _set(self, "budget_kind", budget_kind)
        _set(self, "base", base)
        _set(self, "unchanged", tuple(unchanged))
        _set(self, "derived", tuple(derived))
        _set(self, "calc", calc)


_frozen(BasisItem, _F("label", "내역"), _F("formula", "산출식", None), _F("amount", "금액", None),
        _F("text", "산출내역", None), _SOURCE, _F("previous", "기정액", None), _F("change", "비교증감", None),
        _F("funding", "재원", (), seq=True), _F("budget_kind", "예산구분", None),
        _F("base", "기정내역", None, reference=True), _F("unchanged", "유지세부내역", (), seq=True, reference=True),
        _F("derived", "파생열", (), seq=True), _CALC)


class BasisGroup(KoreanKeys, _Frozen):
    """A ``○`` line in 산출근거, with its ``-`` items (a group may carry its own formula)."""

    __slots__ = ("label", "formula", "amount", "text", "items", "source", "previous", "change", "funding",
                 "budget_kind", "base", "unchanged", "derived", "calc", "__weakref__")
    label: Text
    formula: Text | None
    amount: Amount | None
    text: Text | None
    items: tuple[BasisItem, ...]
    source: Source | None
    #: e호조 only, as on BasisItem.
    previous: Amount | None
    change: Amount | None
    funding: tuple[FundingShare, ...]
    budget_kind: Text | None
    #: e호조 only: the group's row in the latest earlier version (see BasisItem.base).
    base: BasisGroup | None
    #: e호조 only: the ο rows of the base version that this 추경 group does not list, as the base states
    #: them: with ``items`` they complete the group (its 예산액 covers both; its funding cells only ``items``).
    unchanged: tuple[BasisItem, ...]
    derived: tuple[Derived, ...]
    #: As on BasisItem.
    calc: FormulaResult | None

    def __init__(self, label: Text, formula: Text | None = None, amount: Amount | None = None,
                 text: Text | None = None, items: tuple[BasisItem, ...] = (), source: Source | None = None,
                 previous: Amount | None = None, change: Amount | None = None,
                 funding: tuple[FundingShare, ...] = (), budget_kind: Text | None = None,
                 base: BasisGroup | None = None, unchanged: tuple[BasisItem, ...] = (),
                 derived: tuple[Derived, ...] = (), calc: FormulaResult | None = None) -> None:
        _set(self, "label", label)
        _set(self, "formula", formula)
        _set(self, "amount", amount)
        _set(self, "text", text)
        _set(self, "items", tuple(items))
        _set(self, "source", source)
        _set(self, "previous", previous)
        _set(self, "change", change)
        _set(self, "funding", tuple(funding))
        _set(self, "budget_kind", budget_kind)
        _set(self, "base", base)
        _set(self, "unchanged", tuple(unchanged))
        _set(self, "derived", tuple(derived))
        _set(self, "calc", calc)


_frozen(BasisGroup, _F("label", "내역"), _F("formula", "산출식", None), _F("amount", "금액", None),
        _F("text", "산출내역", None), _F("items", "세부내역", (), seq=True), _SOURCE, _F("previous", "기정액", None),
        _F("change", "비교증감", None), _F("funding", "재원", (), seq=True), _F("budget_kind", "예산구분", None),
        _F("base", "기정내역", None, reference=True), _F("unchanged", "유지세부내역", (), seq=True, reference=True),
        _F("derived", "파생열", (), seq=True), _CALC)


class BasisCategory(KoreanKeys, _Frozen):
    """One 통계목 in 산출근거 and its ○ groups (``name`` is None when the 통계목 cell is missing)."""

    __slots__ = ("name", "groups", "source", "project", "department", "code", "object_code", "object_name",
                 "__weakref__")
    name: Text | None
    groups: tuple[BasisGroup, ...]
    source: Source | None
    #: e호조 only: the 세부사업 (detailed project) the 통계목 belongs to, and the department that runs it.
    project: Text | None
    department: Text | None
    #: e호조 only: the 통계목 code (``201-01``), and the 편성목 above it (``201``, ``일반운영비``).
    code: Text | None
    object_code: Text | None
    object_name: Text | None

    def __init__(self, name: Text | None, groups: tuple[BasisGroup, ...] = (), source: Source | None = None,
                 project: Text | None = None, department: Text | None = None, code: Text | None = None,
                 object_code: Text | None = None, object_name: Text | None = None) -> None:
        _set(self, "name", name)
        _set(self, "groups", tuple(groups))
        _set(self, "source", source)
        _set(self, "project", project)
        _set(self, "department", department)
        _set(self, "code", code)
        _set(self, "object_code", object_code)
        _set(self, "object_name", object_name)


_frozen(BasisCategory, _F("name", "통계목"), _F("groups", "내역", (), seq=True), _SOURCE,
        _F("project", "세부사업", None), _F("department", "부서명", None), _F("code", "통계목코드", None),
        _F("object_code", "편성목", None), _F("object_name", "편성목명", None))


class Basis(KoreanKeys, _Frozen):
    """산출근거: the year of its ``NNNN년 예산내역`` header and its 통계목."""

    __slots__ = ("year", "categories", "source", "__weakref__")
    year: Year | None
    categories: tuple[BasisCategory, ...]
    source: Source | None

    def __init__(self, year: Year | None = None, categories: tuple[BasisCategory, ...] = (),
                 source: Source | None = None) -> None:
        _set(self, "year", year)
        _set(self, "categories", tuple(categories))
        _set(self, "source", source)


_frozen(Basis, _F("year", "예산연도", None), _F("categories", "통계목", (), seq=True), _SOURCE)


class Activity(KoreanKeys, _Frozen):
    """One bullet of 사업내용, with its sub-bullets and any ``소요예산 : N천원``."""

    __slots__ = ("title", "details", "required_budget", "source", "__weakref__")
    title: Text
    details: tuple[Text, ...]
    required_budget: Amount | None
    source: Source | None

    def __init__(self, title: Text, details: tuple[Text, ...] = (), required_budget: Amount | None = None,
                 source: Source | None = None) -> None:
        _set(self, "title", title)
        _set(self, "details", tuple(details))
        _set(self, "required_budget", required_budget)
        _set(self, "source", source)


_frozen(Activity, _F("title", "내용"), _F("details", "세부", (), seq=True), _F("required_budget", "소요예산", None),
        _SOURCE)


class ScheduleRow(KoreanKeys, _Frozen):
    """One row of □ 추진일정 (also the 계 row)."""

    __slots__ = ("step", "period", "amount", "detail", "start", "end", "source", "__weakref__")
    step: Text
    period: Text | None
    amount: Amount | None
    detail: Text | None
    #: (year, month) of the period's start and end, when the period reads as ``YYYY.MM~YYYY.MM``.
    start: tuple[int, int] | None
    end: tuple[int, int] | None
    source: Source | None

    def __init__(self, step: Text, period: Text | None = None, amount: Amount | None = None,
                 detail: Text | None = None, start: tuple[int, int] | None = None,
                 end: tuple[int, int] | None = None, source: Source | None = None) -> None:
        _set(self, "step", step)
        _set(self, "period", period)
        _set(self, "amount", amount)
        _set(self, "detail", detail)
        _set(self, "start", start)
        _set(self, "end", end)
        _set(self, "source", source)


_frozen(ScheduleRow, _F("step", "사업추진절차"), _F("period", "추진기간", None), _F("amount", "예산집행금액", None),
        _F("detail", "추진세부내용", None), _F("start", "시작", None), _F("end", "종료", None), _SOURCE)


class Schedule(KoreanKeys, _Frozen):
    """□ NNNN년도 추진일정."""

    __slots__ = ("year", "unit", "total", "rows", "source", "__weakref__")
    year: Year | None
    unit: str
    total: ScheduleRow | None
    rows: tuple[ScheduleRow, ...]
    source: Source | None

    def __init__(self, year: Year | None = None, unit: str = "천원", total: ScheduleRow | None = None,
                 rows: tuple[ScheduleRow, ...] = (), source: Source | None = None) -> None:
        _set(self, "year", year)
        _set(self, "unit", unit)
        _set(self, "total", total)
        _set(self, "rows", tuple(rows))
        _set(self, "source", source)


_frozen(Schedule, _F("year", "예산연도", None), _F("unit", "단위", "천원"), _F("total", "계", None),
        _F("rows", "절차", (), seq=True), _SOURCE)


class Achievement(KoreanKeys, _Frozen):
    """One year of □ 최근 3년 추진실적."""

    __slots__ = ("year", "items", "source", "__weakref__")
    year: Year
    items: tuple[Text, ...]
    source: Source | None

    def __init__(self, year: Year, items: tuple[Text, ...] = (), source: Source | None = None) -> None:
        _set(self, "year", year)
        _set(self, "items", tuple(items))
        _set(self, "source", source)


_frozen(Achievement, _F("year", "연도"), _F("items", "실적", (), seq=True), _SOURCE)


class SettlementRow(KoreanKeys, _Frozen):
    """One year of 최근 3년 결산 현황, keyed by the document's own column names."""

    __slots__ = ("year", "final_budget", "carried_in", "adjustment", "available", "spent", "carried_over", "unspent",
                 "source", "__weakref__")
    year: Year
    final_budget: Amount | None
    carried_in: Amount | None
    adjustment: Amount | None
    available: Amount | None
    spent: Amount | None
    carried_over: Amount | None
    unspent: Amount | None
    source: Source | None

    #: The seven amount columns, in the document's order.
    COLUMNS: ClassVar[tuple[str, ...]] = (
        "final_budget", "carried_in", "adjustment", "available", "spent", "carried_over", "unspent",
    )

    def __init__(self, year: Year, final_budget: Amount | None = None, carried_in: Amount | None = None,
                 adjustment: Amount | None = None, available: Amount | None = None, spent: Amount | None = None,
                 carried_over: Amount | None = None, unspent: Amount | None = None,
                 source: Source | None = None) -> None:
        _set(self, "year", year)
        _set(self, "final_budget", final_budget)
        _set(self, "carried_in", carried_in)
        _set(self, "adjustment", adjustment)
        _set(self, "available", available)
        _set(self, "spent", spent)
        _set(self, "carried_over", carried_over)
        _set(self, "unspent", unspent)
        _set(self, "source", source)

    def columns(self) -> dict[str, Amount | None]:
        """``{Korean column name: Amount}`` in the document's order (연도 excluded)."""
        ko = {f.name: f.ko for f in _fields(SettlementRow)}
        return {ko[n]: getattr(self, n) for n in self.COLUMNS}


_frozen(SettlementRow, _F("year", "연도"), _F("final_budget", "최종예산", None), _F("carried_in", "전년이월", None),
        _F("adjustment", "예산변경", None), _F("available", "예산현액", None), _F("spent", "집행액", None),
        _F("carried_over", "차년이월", None), _F("unspent", "집행잔액", None), _SOURCE)


class Settlement(KoreanKeys, _Frozen):
    """최근 3년 결산 현황."""

    __slots__ = ("unit", "rows", "source", "__weakref__")
    unit: str
    rows: tuple[SettlementRow, ...]
    source: Source | None

    def __init__(self, unit: str = "천원", rows: tuple[SettlementRow, ...] = (), source: Source | None = None) -> None:
        _set(self, "unit", unit)
        _set(self, "rows", tuple(rows))
        _set(self, "source", source)


_frozen(Settlement, _F("unit", "단위", "천원"), _F("rows", "연도별", (), seq=True), _SOURCE)


class Prose(KoreanKeys, _Frozen):
    """A section kept as text: its heading and its non-blank lines (for an unknown □ heading)."""

    __slots__ = ("heading", "lines", "__weakref__")
    heading: Text
    lines: tuple[Text, ...]

    def __init__(self, heading: Text, lines: tuple[Text, ...] = ()) -> None:
        _set(self, "heading", heading)
        _set(self, "lines", tuple(lines))


_frozen(Prose, _F("heading", "제목"), _F("lines", "내용", (), seq=True))


class Sheet(KoreanKeys, _Frozen):
    """One 사업설명서, as read, with the reader's problems and the decoded text."""

    __slots__ = ("path", "title", "budget_year", "overview", "department", "summary", "basis", "activities",
                 "schedule", "achievements", "settlement", "purpose", "legal_basis", "history", "expected_effects",
                 "notes", "other_sections", "layout", "problems", "lines", "encoding", "first_line", "__weakref__")
    path: str
    title: Text | None
    budget_year: Year | None
    overview: Overview
    department: Department
    summary: Summary
    basis: Basis
    activities: tuple[Activity, ...]
    schedule: Schedule
    achievements: tuple[Achievement, ...]
    settlement: Settlement
    #: Prose sections, one Text per non-blank line, as written.
    purpose: tuple[Text, ...]
    legal_basis: tuple[Text, ...]
    history: tuple[Text, ...]
    expected_effects: tuple[Text, ...]
    notes: tuple[Text, ...]
    other_sections: tuple[Prose, ...]
    #: Lines read as structure only: headings, table headers, unit notes, separator lines.
    layout: tuple[Text, ...]
    problems: tuple[Problem, ...]
    #: The decoded text, one entry per line, so that reports never re-read the file.
    lines: tuple[str, ...]
    encoding: str
    #: The line of its file where this sheet starts: 1, unless the file holds several sheets run
    #: together (``auditor.readers.book``), which share one ``lines``.
    first_line: int

    def __init__(self, path: str, title: Text | None = None, budget_year: Year | None = None,
                 overview: Overview = NOTHING, department: Department = NOTHING, summary: Summary = NOTHING,
                 basis: Basis = NOTHING, activities: tuple[Activity, ...] = (), schedule: Schedule = NOTHING,
                 achievements: tuple[Achievement, ...] = (), settlement: Settlement = NOTHING,
                 purpose: tuple[Text, ...] = (), legal_basis: tuple[Text, ...] = (), history: tuple[Text, ...] = (),
                 expected_effects: tuple[Text, ...] = (), notes: tuple[Text, ...] = (),
                 other_sections: tuple[Prose, ...] = (), layout: tuple[Text, ...] = (),
                 problems: tuple[Problem, ...] = (), lines: tuple[str, ...] = (), encoding: str = "utf-8",
                 first_line: int = 1) -> None:
        _set(self, "path", path)
        _set(self, "title", title)
        _set(self, "budget_year", budget_year)
        _set(self, "overview", Overview() if overview is NOTHING else overview)
        _set(self, "department", Department() if department is NOTHING else department)
        _set(self, "summary", Summary() if summary is NOTHING else summary)
        _set(self, "basis", Basis() if basis is NOTHING else basis)
        _set(self, "activities", tuple(activities))
        _set(self, "schedule", Schedule() if schedule is NOTHING else schedule)
        _set(self, "achievements", tuple(achievements))
        _set(self, "settlement", Settlement() if settlement is NOTHING else settlement)
        _set(self, "purpose", tuple(purpose))
        _set(self, "legal_basis", tuple(legal_basis))
        _set(self, "history", tuple(history))
        _set(self, "expected_effects", tuple(expected_effects))
        _set(self, "notes", tuple(notes))
        _set(self, "other_sections", tuple(other_sections))
        _set(self, "layout", tuple(layout))
        _set(self, "problems", tuple(problems))
        _set(self, "lines", tuple(lines))
        _set(self, "encoding", encoding)
        _set(self, "first_line", first_line)

    def amounts(self) -> Iterator[Amount]:
        """Every Amount in the sheet, in reading order of the model."""
        return walk(self, Amount)


_frozen(Sheet, _F("path"), _F("title", "사업명", None), _F("budget_year", "예산연도", None),
        _F("overview", "사업개요", factory=Overview), _F("department", "사업담당자", factory=Department),
        _F("summary", "예산총괄", factory=Summary), _F("basis", "산출근거", factory=Basis),
        _F("activities", "사업내용", (), seq=True), _F("schedule", "추진일정", factory=Schedule),
        _F("achievements", "추진실적", (), seq=True), _F("settlement", "결산", factory=Settlement),
        _F("purpose", "사업목적", (), seq=True), _F("legal_basis", "사업근거", (), seq=True),
        _F("history", "추진경위", (), seq=True), _F("expected_effects", "향후 기대효과", (), seq=True),
        _F("notes", "비고", (), seq=True), _F("other_sections", "기타", (), seq=True),
        _F("layout", default=(), seq=True), _F("problems", default=(), seq=True),
        _F("lines", default=(), seq=True, repr=False), _F("encoding", default="utf-8"),
        _F("first_line", default=1))


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
    elif _has(type(obj)):
        for f in _fields(type(obj)):
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
#: Fast constructors for readers (:func:`auditor.source.maker`): no validators or converters. Each
#: model class's is written out below (``cls._make``, which :func:`auditor.source.maker` gives for
#: it), where ``maker`` generated and compiled one per class at every import.


def _setters(cls: type) -> tuple[Callable[[Any, Any], None], ...]:
    """The setters of ``cls``'s slots, in field order (a lazy slot's own, under :class:`~auditor.source._LazySlot`)."""
    return tuple(getattr(cls, name).__set__ for name in cls._names)


def _written(cls: type, make: Callable[..., Any]) -> None:
    make.__qualname__ = f"{cls.__qualname__}.make"
    cls._make = staticmethod(make)


def _makers() -> None:
    """``cls._make`` for every model class: as :func:`auditor.source.maker` makes it, the fields in
    order by position or keyword, with their plain defaults (a factory's field must be given)."""
    new = object.__new__

    s0, s1, s2, s3 = _setters(Problem)

    def make_problem(code, message_ko, message_en, source):  # type: ignore[no-untyped-def]
        self = new(Problem)
        s0(self, code)
        s1(self, message_ko)
        s2(self, message_en)
        s3(self, source)
        return self

    _written(Problem, make_problem)
    f0, f1, f2 = _setters(Funding)

    def make_funding(label, amount=None, source=None):  # type: ignore[no-untyped-def]
        self = new(Funding)
        f0(self, label)
        f1(self, amount)
        f2(self, source)
        return self

    _written(Funding, make_funding)
    o0, o1, o2, o3, o4, o5 = _setters(Overview)

    def make_overview(account=None, period=None, description=None, cost=None, funding=(), source=None):  # type: ignore[no-untyped-def]
        self = new(Overview)
        o0(self, account)
        o1(self, period)
        o2(self, description)
        o3(self, cost)
        o4(self, funding)
        o5(self, source)
        return self

    _written(Overview, make_overview)
    c0, c1, c2, c3 = _setters(Contact)

    def make_contact(role, name, phone="", source=None):  # type: ignore[no-untyped-def]
        self = new(Contact)
        c0(self, role)
        c1(self, name)
        c2(self, phone)
        c3(self, source)
        return self

    _written(Contact, make_contact)
    d0, d1, d2, d3 = _setters(Department)

    def make_department(division=None, name=None, contacts=(), source=None):  # type: ignore[no-untyped-def]
        self = new(Department)
        d0(self, division)
        d1(self, name)
        d2(self, contacts)
        d3(self, source)
        return self

    _written(Department, make_department)
    r0, r1, r2, r3, r4, r5 = _setters(SummaryRow)

    def make_summary_row(item, previous=None, current=None, change=None, rate=None, source=None):  # type: ignore[no-untyped-def]
        self = new(SummaryRow)
        r0(self, item)
        r1(self, previous)
        r2(self, current)
        r3(self, change)
        r4(self, rate)
        r5(self, source)
        return self

    _written(SummaryRow, make_summary_row)
    m0, m1, m2, m3, m4, m5, m6, m7 = _setters(Summary)

    def make_summary(previous_year=None, current_year=None, change_formula=None, rate_formula=None,  # type: ignore[no-untyped-def]
                     unit="천원", total=None, rows=(), source=None):
        self = new(Summary)
        m0(self, previous_year)
        m1(self, current_year)
        m2(self, change_formula)
        m3(self, rate_formula)
        m4(self, unit)
        m5(self, total)
        m6(self, rows)
        m7(self, source)
        return self

    _written(Summary, make_summary)
    h0, h1, h2, h3, h4 = _setters(FundingShare)

    def make_funding_share(label, current=None, previous=None, change=None, source=None):  # type: ignore[no-untyped-def]
        self = new(FundingShare)
        h0(self, label)
        h1(self, current)
        h2(self, previous)
        h3(self, change)
        h4(self, source)
        return self

    _written(FundingShare, make_funding_share)
    v0, v1, v2, v3 = _setters(Derived)

    def make_derived(column, value=None, of=None, source=None):  # type: ignore[no-untyped-def]
        self = new(Derived)
        v0(self, column)
        v1(self, value)
        v2(self, of)
        v3(self, source)
        return self

    _written(Derived, make_derived)
    i0, i1, i2, i3, i4, i5, i6, i7, i8, i9, i10, i11, i12 = _setters(BasisItem)

    def make_item(label, formula=None, amount=None, text=None, source=None, previous=None, change=None,  # type: ignore[no-untyped-def]
                  funding=(), budget_kind=None, base=None, unchanged=(), derived=(), calc=None):
        self = new(BasisItem)
        i0(self, label)
        i1(self, formula)
        i2(self, amount)
        i3(self, text)
        i4(self, source)
        i5(self, previous)
        i6(self, change)
        i7(self, funding)
        i8(self, budget_kind)
        i9(self, base)
        i10(self, unchanged)
        i11(self, derived)
        i12(self, calc)
        return self

    _written(BasisItem, make_item)
    g0, g1, g2, g3, g4, g5, g6, g7, g8, g9, g10, g11, g12, g13 = _setters(BasisGroup)

    def make_group(label, formula=None, amount=None, text=None, items=(), source=None, previous=None,  # type: ignore[no-untyped-def]
                   change=None, funding=(), budget_kind=None, base=None, unchanged=(), derived=(), calc=None):
        self = new(BasisGroup)
        g0(self, label)
        g1(self, formula)
        g2(self, amount)
        g3(self, text)
        g4(self, items)
        g5(self, source)
        g6(self, previous)
        g7(self, change)
        g8(self, funding)
        g9(self, budget_kind)
        g10(self, base)
        g11(self, unchanged)
        g12(self, derived)
        g13(self, calc)
        return self

    _written(BasisGroup, make_group)
    k0, k1, k2, k3, k4, k5, k6, k7 = _setters(BasisCategory)

    def make_category(name, groups=(), source=None, project=None, department=None, code=None,  # type: ignore[no-untyped-def]
                      object_code=None, object_name=None):
        self = new(BasisCategory)
        k0(self, name)
        k1(self, groups)
        k2(self, source)
        k3(self, project)
        k4(self, department)
        k5(self, code)
        k6(self, object_code)
        k7(self, object_name)
        return self

    _written(BasisCategory, make_category)
    b0, b1, b2 = _setters(Basis)

    def make_basis(year=None, categories=(), source=None):  # type: ignore[no-untyped-def]
        self = new(Basis)
        b0(self, year)
        b1(self, categories)
        b2(self, source)
        return self

    _written(Basis, make_basis)
    a0, a1, a2, a3 = _setters(Activity)

    def make_activity(title, details=(), required_budget=None, source=None):  # type: ignore[no-untyped-def]
        self = new(Activity)
        a0(self, title)
        a1(self, details)
        a2(self, required_budget)
        a3(self, source)
        return self

    _written(Activity, make_activity)
    w0, w1, w2, w3, w4, w5, w6 = _setters(ScheduleRow)

    def make_schedule_row(step, period=None, amount=None, detail=None, start=None, end=None, source=None):  # type: ignore[no-untyped-def]
        self = new(ScheduleRow)
        w0(self, step)
        w1(self, period)
        w2(self, amount)
        w3(self, detail)
        w4(self, start)
        w5(self, end)
        w6(self, source)
        return self

    _written(ScheduleRow, make_schedule_row)
    e0, e1, e2, e3, e4 = _setters(Schedule)

    def make_schedule(year=None, unit="천원", total=None, rows=(), source=None):  # type: ignore[no-untyped-def]
        self = new(Schedule)
        e0(self, year)
        e1(self, unit)
        e2(self, total)
        e3(self, rows)
        e4(self, source)
        return self

    _written(Schedule, make_schedule)
    y0, y1, y2 = _setters(Achievement)

    def make_achievement(year, items=(), source=None):  # type: ignore[no-untyped-def]
        self = new(Achievement)
        y0(self, year)
        y1(self, items)
        y2(self, source)
        return self

    _written(Achievement, make_achievement)
    t0, t1, t2, t3, t4, t5, t6, t7, t8 = _setters(SettlementRow)

    def make_settlement_row(year, final_budget=None, carried_in=None, adjustment=None, available=None,  # type: ignore[no-untyped-def]
                            spent=None, carried_over=None, unspent=None, source=None):
        self = new(SettlementRow)
        t0(self, year)
        t1(self, final_budget)
        t2(self, carried_in)
        t3(self, adjustment)
        t4(self, available)
        t5(self, spent)
        t6(self, carried_over)
        t7(self, unspent)
        t8(self, source)
        return self

    _written(SettlementRow, make_settlement_row)
    n0, n1, n2 = _setters(Settlement)

    def make_settlement(unit="천원", rows=(), source=None):  # type: ignore[no-untyped-def]
        self = new(Settlement)
        n0(self, unit)
        n1(self, rows)
        n2(self, source)
        return self

    _written(Settlement, make_settlement)
    p0, p1 = _setters(Prose)

    def make_prose(heading, lines=()):  # type: ignore[no-untyped-def]
        self = new(Prose)
        p0(self, heading)
        p1(self, lines)
        return self

    _written(Prose, make_prose)


_makers()
MAKERS: dict[type, Callable[..., Any]] = {
    cls: new_text if cls is Text else cls._make
    for cls in (Funding, Contact, SummaryRow, BasisItem, BasisGroup, BasisCategory, Activity, ScheduleRow, Achievement,
                SettlementRow, Text, FundingShare)
}
