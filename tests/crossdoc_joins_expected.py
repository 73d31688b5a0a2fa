"""The Joins the built-in 산출근거 join rules (XDOC009–015) are, written out by hand from the rules' text: what
:func:`auditor.crossdoc.joins.recognise` must give for each (tests/test_crossdoc_joins.py), and the Joins the
pre-check's own tests build from without the recogniser (``from crossdoc_joins_expected import expected_joins``).

The guards and the InForce version are trees as the loader holds them (``let`` names in place, names resolved).
"""

from __future__ import annotations

from fractions import Fraction

from auditor.crossdoc.joins import Field, Fields, InForce, Join, Match, Part, Prefer
from auditor.engine.expr import Attr, Bin, Call, Filter, IName, Name, Num, Once

def _of_the_year(collection: str) -> tuple:
    """``사업.<collection>[예산연도 == sheet.예산연도]``, computed once per rule and sheet (the loader's ``Once``)."""
    return Once(Filter(Attr(Name("사업"), collection), Bin("==", IName(0, "예산연도"), Attr(Name("sheet"), "예산연도"))))


def _is_one_of(collection: str) -> tuple:
    """``sheet.path in 사업.<collection>.path``: the document is of that kind."""
    return Bin("in", Attr(Name("sheet"), "path"), Attr(Attr(Name("사업"), collection), "path"))


#: ``budget_version(sheet.사업명)``: the version a sheet describes.
VERSION = Call("budget_version", (Attr(Name("sheet"), "사업명"),))
#: The guards of the rules over an e호조 unit: it is one, and its year has a sheet (``count(year_sheets) > 0``).
ON_EXPORT = (_is_one_of("e호조"), Bin(">", Call("count", (_of_the_year("사업설명서"),)), Num(Fraction(0))))
#: The guard of the rules over a sheet.
ON_SHEET = (_is_one_of("사업설명서"),)


def _key(up: int, field: str, fn: str | None) -> Match:
    """A lifted filter ``[fn(field) == fn(<the walk's value up levels above the element>.field)]``."""
    return Match(field, fn, Part(up, field, fn))


def expected_joins() -> dict[str, Join]:
    """The Join of each built-in join rule, by code."""
    category, groups = [Field("산출근거"), Field("통계목")], Field("내역")
    by_name = [Field("내역"), InForce(VERSION)]  # the ○/Ο lines of the 통계목 of one key, in force
    amount0, amount1 = Prefer("금액", Part(0, "금액")), Prefer("금액", Part(1, "금액"))
    sheet_group = [*category, _key(1, "통계목", "norm"), *by_name, _key(0, "내역", "label_key")]
    sheet_item = [*category, _key(2, "통계목", "norm"), *by_name, _key(1, "내역", "label_key"), amount1,
                  Fields(("세부내역", "유지세부내역")), _key(0, "내역", "label_key")]
    over_groups, over_items = "basis.categories.groups", "basis.categories.groups.items"
    return {
        "XDOC009": Join("XDOC009", "basis.categories", ON_EXPORT, "사업설명서",
                        (Field("예산총괄"), Field("통계목"), _key(0, "통계목", "norm")), "exists"),
        "XDOC010": Join("XDOC010", over_groups, ON_SHEET, "e호조", (*sheet_group, amount0), "counterpart", "금액"),
        "XDOC011": Join("XDOC011", over_items, ON_SHEET, "e호조", (*sheet_item, amount0), "counterpart", "금액"),
        "XDOC012": Join("XDOC012", over_groups, ON_SHEET, "e호조", tuple(sheet_group), "exists"),
        "XDOC013": Join("XDOC013", over_items, ON_SHEET, "e호조", tuple(sheet_item), "exists"),
        "XDOC014": Join("XDOC014", over_groups, ON_EXPORT, "사업설명서",
                        (*category, _key(1, "통계목", "norm"), groups, _key(0, "내역", "label_key")), "exists"),
        "XDOC015": Join("XDOC015", over_items, ON_EXPORT, "사업설명서",
                        (*category, _key(2, "통계목", "norm"), groups, _key(1, "내역", "label_key"), amount1,
                         Field("세부내역"), _key(0, "내역", "label_key")), "exists"),
    }
