"""A rule pack cannot make the engine hang or crash: bounded bindings, nesting and cost, and TOML it cannot hold.

Bindings that double each other grow without bound once written out (20 took 88 s to load, 40
never finished): their expanded size is counted without writing them out and refused at the
binding's line. Filters and ``each()`` nest at most three deep. A rule that still does too much
work on one sheet stops there with one finding that names the rule, in both the fast and the
explaining path. A pack with an integer past Python's 4,300 digits, or arrays nested thousands
deep, is a pack error at its line, never a traceback.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import attrs
import pytest

from auditor.engine import RulePackError, errors, load_ruleset
from auditor.engine.bindings import MAX_EXPANDED
from auditor.engine.check import MAX_QUANTIFIERS
from auditor.readers import read_bytes
from auditor.testing import generate_sheet
from tests.test_engine_loader import write

REPO = Path(__file__).resolve().parent.parent
RULE = '''
[pack]
name = "limits"

[[rule]]
code = "LIM001"
name = "basis.limits"
severity = "warning"
over = "{over}"
assert = "{assertion}"
message.ko = "틀림"
message.en = "wrong"
'''


def pack(tmp_path, assertion: str, over: str = "summary.rows", let: str = "", name: str = "limits.toml"):
    text = RULE.format(over=over, assertion=assertion.replace('"', '\\"'))
    if let:
        text += "\n[rule.let]\n" + let
    return write(tmp_path, text, name)


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


@pytest.mark.parametrize("count", [20, 40])
def test_bindings_that_double_each_other_are_refused_at_the_first_too_large(tmp_path, count):
    let = 'b0 = "A + A"\n' + "".join(f'b{i} = "b{i - 1} + b{i - 1}"\n' for i in range(1, count))
    path = pack(tmp_path, f"b{count - 1} > 0", let=let)
    with pytest.raises(RulePackError) as err:
        load_ruleset([path], builtin=False)
    first = next(i for i in range(count) if 2 ** (i + 2) - 1 > MAX_EXPANDED)  # b_i has 2^(i+2) - 1 parts
    assert err.value.line == line_of(path, f"b{first} = ") and err.value.message.startswith(f"let.b{first}:")
    assert "too large with its bindings written out" in err.value.message


def test_bindings_used_a_few_times_each_are_fine(tmp_path):
    let = 'b0 = "A + A"\n' + "".join(f'b{i} = "b{i - 1} + b{i - 1}"\n' for i in range(1, 8))
    rules = load_ruleset([pack(tmp_path, "b7 >= 0", let=let)], builtin=False)
    assert rules.get("LIM001").assertion is not None


def _filters(depth: int) -> str:
    inner = "A > 0"
    for _ in range(depth):
        inner = f"count(summary.rows[{inner}]) > 0"
    return inner


def test_filters_nested_past_the_limit_are_refused_at_their_key(tmp_path):
    load_ruleset([pack(tmp_path, _filters(MAX_QUANTIFIERS), name="ok.toml")], builtin=False)
    path = pack(tmp_path, _filters(MAX_QUANTIFIERS + 1))
    with pytest.raises(RulePackError) as err:
        load_ruleset([path], builtin=False)
    assert err.value.line == line_of(path, "assert = ") and "nested 4 deep" in err.value.message
    each = pack(tmp_path, "count(each(summary.rows, each(summary.rows, each(summary.rows, each(summary.rows, A))))) > 0",
                name="each.toml")
    with pytest.raises(RulePackError, match="nested 4 deep"):
        load_ruleset([each], builtin=False)


QUADRATIC = "count(basis.categories.내역.세부내역[금액 >= this.금액]) < 100000"  # not keyed: no index


@pytest.mark.parametrize("reference", [False, True], ids=["fast", "reference"])
def test_a_rule_past_its_budget_stops_with_one_finding_that_names_the_rule(tmp_path, monkeypatch, reference):
    monkeypatch.setattr(errors, "MAX_STEPS", 500)  # this sheet's 40 items, squared, are more
    rules = load_ruleset([pack(tmp_path, QUADRATIC, over="basis.categories.groups.items")])
    rules = attrs.evolve(rules, reference=reference)
    sheet = read_bytes(generate_sheet(4).data, "big.txt")
    found = rules.check(sheet)
    mine = [f for f in found if f.code == "LIM001"]
    assert len(mine) == 1 and mine[0].key == "LIM001.budget" and mine[0].line == 1
    assert "LIM001" in mine[0].message_en and "the rule, not the sheet, is the cause" in mine[0].message_en
    assert "limits.toml" in mine[0].message_en and "규칙 LIM001" in mine[0].message_ko
    others = [f for f in found if f.code != "LIM001"]
    assert others == [f for f in load_ruleset().check(sheet)]  # the other rules are not affected


def test_the_real_budget_stops_a_quadratic_rule_on_a_big_file(tmp_path):
    rules = load_ruleset([pack(tmp_path, QUADRATIC, over="basis.categories.groups.items")], builtin=False)
    sheet = read_bytes(generate_sheet(4).data * 40, "many.txt")
    items = sum(len(g.items) for c in sheet.basis.categories for g in c.groups)
    assert items * items > errors.MAX_STEPS  # written out, the rule would take more
    assert [f.key for f in rules.check(sheet) if f.code == "LIM001"] == ["LIM001.budget"]


def test_a_budget_is_per_rule_and_sheet(tmp_path, monkeypatch):
    monkeypatch.setattr(errors, "MAX_STEPS", 500)
    rules = load_ruleset([pack(tmp_path, "count(basis.categories) >= 0", over="basis.categories.groups.items")],
                         builtin=False)
    for seed in (4, 8, 2):  # linear: within the budget, sheet after sheet
        assert [f for f in rules.check(read_bytes(generate_sheet(seed).data, "s.txt")) if f.code == "LIM001"] == []


def test_an_integer_of_more_than_4300_digits_is_a_pack_error_at_its_line(tmp_path):
    path = write(tmp_path, RULE.format(over="summary.rows", assertion="A > n") + "[rule.params]\nn = "
                 + "7" * 5000 + "\n")
    with pytest.raises(RulePackError) as err:
        load_ruleset([path], builtin=False)
    assert err.value.line == line_of(path, "n = 777") and "5,000 digits" in err.value.message  # auditor.safeload


@pytest.mark.parametrize("opening,closing", [("[", "]"), ("{a = ", "}")])
def test_arrays_nested_thousands_deep_are_a_pack_error_at_their_line(tmp_path, opening, closing):
    path = write(tmp_path, RULE.format(over="summary.rows", assertion="A > 0") + "[rule.params]\nnested = "
                 + opening * 5000 + "1" + closing * 5000 + "\n")
    with pytest.raises(RulePackError) as err:
        load_ruleset([path], builtin=False)
    assert err.value.line == line_of(path, "nested = ") and "nested deeper than" in err.value.message


def test_the_cli_gives_exit_2_and_one_line_not_a_traceback(tmp_path):
    path = write(tmp_path, RULE.format(over="summary.rows", assertion="A > 0") + "[rule.params]\nn = "
                 + "[" * 5000 + "]" * 5000 + "\n")
    p = subprocess.run([sys.executable, "-m", "auditor", "check", str(REPO / "examples" / "sheets"), "--isolated",
                        "--rules", str(path)], capture_output=True, text=True, cwd=REPO)
    assert p.returncode == 2 and "Traceback" not in p.stderr
    assert f"{path}:" in p.stderr and len(p.stderr.strip().splitlines()) == 1



def test_a_walk_of_the_elements_own_list_is_counted_only_inside_another_loop():
    """A list of the element's own (``this.funding``) walked once per element needs no budget: all
    those walks cover the sheet once. Walked once per item of a filter or each(), it would be
    quadratic: then it is counted, as every other walk is."""
    from auditor.engine.codecalls import Calls
    from auditor.engine.codewriter import V, _Namespace

    rule = load_ruleset().get("SUM001")
    gen = Calls(rule, {}, _Namespace())
    gen.lines, gen.indent = [], 0
    gen.count("len(r1)", own=True)
    assert gen.lines == [] and not gen.counted
    gen.binders.append(V("x1", ("num",)))
    gen.count("len(r1)", own=True)
    assert gen.lines[0] == "steps += len(r1)" and gen.counted
    gen.lines, gen.counted = [], False
    gen.binders.pop()
    gen.count("len(r2)")  # a list of the sheet's, or of another element: always counted
    assert gen.lines[0] == "steps += len(r2)" and gen.counted
