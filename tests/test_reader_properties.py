"""Property tests: extraction noise never changes what is read; any damage yields problems, never an exception."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from auditor.model import Sheet
from auditor.readers import read_bytes, read_text
from strategies_sheet import REAL, mangled_bytes, noisy_sheet, placed_lines, truncated_sheet, values_only

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CLEAN = {name: read_text(text, name) for name, text in REAL.items()}


@SETTINGS
@given(noisy_sheet())
def test_noise_does_not_change_what_is_read(case):
    name, data = case
    sheet = read_bytes(data, name)
    assert sheet.problems == ()
    assert [(a.value, a.unit) for a in sheet.amounts()] == [(a.value, a.unit) for a in CLEAN[name].amounts()]
    assert values_only(sheet) == values_only(CLEAN[name])


@SETTINGS
@given(mangled_bytes())
def test_any_damage_yields_a_sheet_and_never_raises(data):
    sheet = read_bytes(data, "mangled.txt")
    assert isinstance(sheet, Sheet)
    last = max(1, len(sheet.lines))
    for p in sheet.problems:
        assert p.code.startswith("PARSE")
        assert 1 <= p.source.line <= last and p.source.column >= 1


@SETTINGS
@given(truncated_sheet())
def test_a_real_sheet_cut_before_its_basis_yields_a_problem(data):
    sheet = read_bytes(data, "cut.txt")
    assert "PARSE007" in {p.code for p in sheet.problems}


@SETTINGS
@given(mangled_bytes())
def test_no_line_with_content_is_silently_dropped(data):
    sheet = read_bytes(data, "mangled.txt")
    accounted = placed_lines(sheet) | {p.source.line for p in sheet.problems}
    dropped = [n for n, line in enumerate(sheet.lines, 1) if line.strip() and n not in accounted]
    assert dropped == []


@pytest.mark.parametrize("name", sorted(REAL))
def test_every_line_of_the_real_sheets_is_placed(name):
    sheet = CLEAN[name]
    placed = placed_lines(sheet)
    assert [n for n, line in enumerate(sheet.lines, 1) if line.strip() and n not in placed] == []
