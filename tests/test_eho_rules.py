"""Rules on e호조 exports: consistent exports (the samples, generated ones) are clean; one broken number
fires the rule of its identity on its row; the streamed check and the copies in other encodings agree."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from auditor.discovery import Input
from auditor.engine import load_ruleset
from auditor.readers import read_bytes, read_file
from auditor.runner import check_one
from auditor.testing.eho import export_bytes
from strategies_eho import BREAKS, broken_exports, exports

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "examples" / "eho").glob("*.csv"))
RULES = load_ruleset()
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MORE = settings(SETTINGS, max_examples=100)


def streamed(data: bytes, name: str = "export.csv"):
    """The findings of ``auditor check`` on ``data``: read and checked one 세부사업 at a time."""
    checked, findings = check_one(Input("-", name, data), RULES)
    return checked, list(findings)


#: What the samples may report: the synthetic sample's 추경 row has no 본예산 row in the file (VER003, info).
NOTES = {"eho-expenditure-sample": [("VER003", 11)]}


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_the_samples_give_no_finding_but_their_notes(path):
    notes = NOTES.get(path.stem, [])
    assert [(f.code, f.line) for f in RULES.check(read_file(path))] == notes
    assert [(f.code, f.line) for f in streamed(path.read_bytes(), path.name)[1]] == notes


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_the_identities_are_checked_not_skipped(path):
    """Every record has the values FUND003/FUND005/RATE005/CALC001 read, so a clean run means they held."""
    sheet = read_file(path)
    for category in sheet.basis.categories:
        for node in [*category.groups, *(i for g in category.groups for i in g.items)]:
            assert None not in (node.amount, node.previous, node.change) and node.funding
            assert node.amount.value == sum(s.current.value for s in node.funding)


@SETTINGS
@given(exports())
def test_an_export_consistent_by_construction_gives_no_finding(rows):
    assert streamed(export_bytes(rows))[1] == []


@MORE
@given(broken_exports())
def test_one_broken_number_fires_the_rule_of_its_identity_on_its_row_and_nothing_else(case):
    data, rows, line, kind = case
    record = rows[line - 3]
    _, findings = streamed(data)
    must = set(BREAKS[kind])
    if kind == "amount" and record.formula:
        must.add("CALC001")
    # the group above a changed item (or the changed group itself) no longer adds up
    group_line = line if record.is_group else max(n for n in range(3, line) if rows[n - 3].is_group)
    has_items = record.is_group and line - 2 < len(rows) and not rows[line - 2].is_group
    sums = kind == "amount" and (not record.is_group or has_items)
    changes = kind == "change" and (not record.is_group or has_items)  # SUM007: Ο 비교증감 = Σ ο 비교증감
    # a 추경 row restates the row before it (its base): a broken 기정 of the 추경 row, or a broken
    # figure of its base, no longer matches across the two versions (VER001, VER002 on the 추경 row)
    revised = record.kind != "본예산"
    if revised and kind == "previous":
        must.add("VER001")
    if revised and kind == "share-previous":
        must.add("VER002")
    follower = rows[line - 2] if line - 2 < len(rows) else None
    restated = follower is not None and follower.kind != "본예산" and follower.label == record.label
    later = {"amount": "VER001", "current": "VER002"}.get(kind) if restated else None
    on_line = {f.code for f in findings if f.line == line}
    assert must <= on_line, (kind, line, [(f.code, f.line) for f in findings])
    if later:
        assert later in {f.code for f in findings if f.line == line + 1}, (kind, line, findings)
    for f in findings:
        if f.code in ("SUM001", "SUM006"):
            assert sums and f.line == group_line, (kind, line, f.code, f.line)
        elif f.code == later and f.line == line + 1:
            pass
        elif f.code == "SUM007":
            assert changes and f.line == group_line, (kind, line, f.code, f.line)
        else:
            assert f.code in must | {"CALC002"} and f.line == line, (kind, line, f.code, f.line)
    if changes:
        assert [f.line for f in findings if f.code == "SUM007"] == [group_line]
    if sums:  # outside the rounding tolerance SUM001, inside it SUM006: exactly one of them
        assert len([f for f in findings if f.code in ("SUM001", "SUM006")]) == 1
    assert all(f.context_value("project") == record.project for f in findings if f.line == line)


@SETTINGS
@given(broken_exports())
def test_checking_in_units_finds_what_checking_the_whole_sheet_finds(case):
    """Unit by unit (memory stays flat) or all at once (the library's read_file): the same findings.

    CALC002 compares rounding conventions within one sheet, so within one 세부사업 when checked in
    units; the generated exports round every line up, so it never fires on them.
    """
    data, _, _, _ = case
    whole = RULES.check(read_bytes(data, "export.csv"))
    _, units = streamed(data)
    assert [(f.code, f.line, f.fingerprint, f.message_ko) for f in units] == \
        [(f.code, f.line, f.fingerprint, f.message_ko) for f in whole]


@pytest.mark.parametrize("encoding", ["cp949", "utf-8-sig"])
@SETTINGS
@given(case=broken_exports(), crlf=st.booleans())
def test_cp949_and_bom_copies_give_the_same_findings_as_utf8(encoding, case, crlf):
    _, rows, _, _ = case
    newline = "\r\n" if crlf else "\n"
    checked, original = streamed(export_bytes(rows))
    copy_checked, copy = streamed(export_bytes(rows, encoding=encoding, newline=newline))
    assert copy_checked.encoding == encoding and checked.encoding == "utf-8"
    assert [(f.code, f.line, f.column, f.message_ko, f.context) for f in copy] == \
        [(f.code, f.line, f.column, f.message_ko, f.context) for f in original]


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("encoding", ["cp949", "utf-8-sig"])
def test_cp949_and_bom_copies_of_the_samples_read_the_same_units(path, encoding):
    text = path.read_text(encoding="utf-8")
    checked, findings = streamed(text.encode(encoding), path.name)
    original, _ = streamed(text.encode("utf-8"), path.name)
    assert [(f.code, f.line) for f in findings] == NOTES.get(path.stem, []) and checked.encoding == encoding
    assert checked.totals == original.totals and len(checked.lines) == len(original.lines)


def test_a_broken_item_fires_sum001_on_its_group():
    lines = (ROOT / "examples" / "eho" / "eho-expenditure-sample.csv").read_text(encoding="utf-8").split("\n")
    lines[5] = lines[5].replace('"3,600",0,"3,600"', '"3,900",0,"3,900"', 1)  # ο리플릿 under ○ 홍보물 제작 (line 5)
    findings = RULES.check(read_bytes("\n".join(lines).encode("utf-8"), "broken.csv"))
    # its 비교증감 changed with it, so the group's change no longer adds up either (SUM007)
    assert sorted((f.code, f.line) for f in findings) == [
        ("CALC001", 6), ("FUND003", 6), ("SUM001", 5), ("SUM007", 5), ("VER003", 11)]


def test_a_non_eho_csv_gives_one_unknown_header_warning():
    findings = RULES.check(read_bytes("이름,금액\n가,1\n".encode(), "other.csv"))
    assert [(f.code, f.severity.value, f.line) for f in findings] == [("PARSE005", "warning", 1)]
    assert "예산액" in findings[0].message_ko and "missing required columns" in findings[0].message_en
