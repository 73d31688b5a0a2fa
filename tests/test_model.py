"""The model vocabulary: Korean names on every field, lookup by Korean name, and the documented names."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import attrs
import pytest

import auditor.model as model
from auditor.model import SettlementRow, Sheet, korean_names
from auditor.source import Amount, Source

DOC = (Path(__file__).resolve().parent.parent / "docs" / "model.md").read_text(encoding="utf-8")
CLASSES = [c for _, c in inspect.getmembers(model, inspect.isclass)
           if attrs.has(c) and c.__module__ == model.__name__]


def test_settlement_row_is_keyed_by_the_documents_column_names():
    a = Amount(243_800, "천원", Source("s.txt", 112, 33, "(x-) 243,800"))
    row = SettlementRow(year=2017, available=a)
    assert row["예산현액"] is a and row["연도"] == 2017
    assert list(row.columns()) == ["최종예산", "전년이월", "예산변경", "예산현액", "집행액", "차년이월", "집행잔액"]
    with pytest.raises(KeyError):
        row["없는열"]


def test_sheet_parts_are_reachable_by_korean_name():
    assert Sheet(path="x")["결산"] == Sheet(path="x").settlement
    assert korean_names(Sheet)["산출근거"] == "basis"


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_every_model_class_and_field_is_documented(cls):
    assert f"`{cls.__name__}`" in DOC
    for f in attrs.fields(cls):
        assert re.search(rf"`{f.name}`", DOC), f"{cls.__name__}.{f.name} missing from docs/model.md"
        if "ko" in f.metadata:
            assert f.metadata["ko"] in DOC, f"{cls.__name__}.{f.name} Korean name missing from docs/model.md"


def test_every_parse_code_is_documented():
    from auditor.readers.problems import KINDS
    for k in KINDS:
        assert k.code in DOC and k.name in DOC
