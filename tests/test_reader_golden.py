"""Golden files: ``auditor parse --format json`` of each real sheet, reviewed number by number."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from auditor.cli import main
from auditor.model import walk
from auditor.readers import read_file
from auditor.readers.numbers import parse_number
from auditor.source import Text

ROOT = Path(__file__).resolve().parent.parent
SHEETS = sorted((ROOT / "examples" / "sheets").glob("*.txt"))
GOLDEN = ROOT / "tests" / "golden"


def _parse_json(*args: str):
    cwd = os.getcwd()
    os.chdir(ROOT)  # the golden files hold paths relative to the repository root
    try:
        return CliRunner().invoke(main, ["parse", "--format", "json", *args])
    finally:
        os.chdir(cwd)


@pytest.mark.parametrize("sheet", SHEETS, ids=lambda p: p.stem)
def test_parse_json_matches_the_reviewed_golden_file(sheet):
    result = _parse_json(f"examples/sheets/{sheet.name}")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == json.loads((GOLDEN / f"{sheet.stem}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("sheet", SHEETS, ids=lambda p: p.stem)
def test_every_amount_is_the_text_at_its_line_and_column(sheet):
    read = read_file(sheet)
    amounts = list(read.amounts())
    assert len(amounts) > 30
    for a in amounts:
        line = read.lines[a.source.line - 1]
        assert line[a.source.column - 1:].startswith(a.source.text)
        assert parse_number(a.source.text).value == a.value


def _texts(sheet):
    return walk(sheet, Text)


@pytest.mark.parametrize("sheet", SHEETS, ids=lambda p: p.stem)
def test_every_text_source_is_the_text_at_its_line_and_column(sheet):
    read = read_file(sheet)
    texts = list(_texts(read))
    assert len(texts) > 50
    for t in texts:
        line = read.lines[t.source.line - 1]
        assert line[t.source.column - 1:].startswith(t.source.text), t


@pytest.mark.parametrize("sheet", SHEETS, ids=lambda p: p.stem)
def test_basis_label_and_formula_sources_end_where_their_value_ends(sheet):
    read = read_file(sheet)
    pieces = [t for c in read.basis.categories for g in c.groups for e in (g, *g.items)
              for t in (e.label, e.formula) if t is not None]
    assert len(pieces) > 10
    for t in pieces:
        line = read.lines[t.source.line - 1]
        assert t.source.text == t.value
        assert line[t.source.column - 1:t.source.column - 1 + len(t.source.text)] == t.value


def test_json_shape_of_an_amount():
    data = json.loads(_parse_json("examples/sheets/000_c6c48727fbba6ebb.txt").stdout)
    change = data["sheets"][0]["summary"]["total"]["change"]
    assert change == {"value": -14800, "unit": "천원", "line": 30, "column": 29, "text": "(x-) △14,800"}
    assert data["schema"] == "auditor.parse/2" and data["errors"] == []
