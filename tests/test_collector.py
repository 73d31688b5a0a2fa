"""The cyclic garbage collector paused while a file is read and checked (auditor.collector).

Pausing it is right only because checking makes no reference cycles: these tests hold that on the
examples, generated sheets with and without faults, a generated e호조 export, and inputs that fail
(a file that cannot be read, one that is not a sheet), once the modules a first pass imports and
the patterns it compiles are made, and hold the collector's state to what it was.
"""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from auditor.collector import paused
from auditor.discovery import Input
from auditor.engine import load_ruleset
from auditor.runner import INDEX_ALL, check_one
from auditor.testing import KINDS, generate_sheet
from auditor.testing.eho import RandomDraw, export_bytes, records

RULES = load_ruleset()
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def inputs() -> list[Input]:
    found = [Input(str(p), p.name) for p in sorted(EXAMPLES.rglob("*")) if p.suffix in (".txt", ".csv")]
    for seed, fault in enumerate([None, *KINDS]):  # a consistent sheet, then one of each fault
        sheet = generate_sheet(seed, fault=fault)
        found.append(Input("-", f"generated-{seed}.txt", sheet.text.encode(sheet.encoding)))
    found.append(Input("-", "export.csv", export_bytes(list(records(RandomDraw(3), 300)))))
    found.append(Input("-", "not-a-sheet.txt", b"\xff\xfe\x00 nothing here\n" * 20))
    found.append(Input(str(EXAMPLES / "no-such-file.txt"), "no-such-file.txt"))
    return found


@pytest.mark.parametrize("index", [None, INDEX_ALL])
def test_checking_makes_no_reference_cycles(index):
    items = inputs()
    assert len(items) > 15
    for item in items:  # the first use of a module makes its classes and compiled patterns (cycles, once)
        check_one(item, RULES, index=index)
    gc.collect()
    gc.disable()
    try:
        outcomes = [check_one(item, RULES, index=index) for item in items]
        assert not gc.isenabled(), "check_one left the collector as it found it (off)"
        unreachable = gc.collect()
    finally:
        gc.enable()
    assert len(outcomes) == len(items)
    assert unreachable == 0, f"checking left {unreachable} objects in reference cycles"


def test_check_one_leaves_the_collector_on_when_it_was():
    assert gc.isenabled()
    check_one(inputs()[0], RULES)
    assert gc.isenabled()


def test_paused_restores_the_state_even_on_an_exception():
    assert gc.isenabled()
    with pytest.raises(ZeroDivisionError):
        with paused():
            assert not gc.isenabled()
            1 / 0
    assert gc.isenabled()
    gc.disable()
    try:
        with paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
