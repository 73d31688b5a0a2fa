"""The rule compiler: what it generates, what it refuses, and the helpers its code calls, each against its reference."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, strategies as st

from auditor.engine import RulePackError, coderuntime, load_ruleset
from auditor.engine.builtins import round_places, trunc_places
from auditor.engine.formulas import _check_values
from auditor.engine.values import divide, rational
from auditor.readers import read_file
from auditor.source import MONEY_UNITS, Amount, Source
from tests.test_engine_loader import write

RULES = load_ruleset()
SHEET = "examples/sheets/000_c6c48727fbba6ebb.txt"
SRC = Source("s.txt", 1)


def test_every_built_in_rule_compiles_whole():
    """No part of a built-in rule is left to the explaining path: the fast path is complete for them."""
    for rule in RULES.rules:
        if not rule.reader:
            compiled = rule.compiled(RULES.vocab)
            assert compiled.unsupported == (), (rule.code, compiled.unsupported)
            assert compiled.source.startswith(f"def check_{rule.code}(sheet, shared):")


def test_the_code_is_made_afresh_for_each_load_and_never_cached():
    first, second = load_ruleset().get("SUM001"), load_ruleset().get("SUM001")
    assert first == second and first.compiled(RULES.vocab).function is not second.compiled(RULES.vocab).function
    from auditor.engine import cache

    assert b"check_SUM001" not in cache.dumps((list(RULES.rules), dict(RULES.vocab), []))


PACK = '''
[pack]
name = "mine"

[[rule]]
code = "MINE001"
name = "summary.mine"
severity = "error"
over = "summary.rows"
assert = "{assertion}"
message.ko = "틀림"
message.en = "wrong"
[rule.params]
{params}
'''


def _rule(tmp_path, assertion: str, params: str = ""):
    pack = write(tmp_path, PACK.format(assertion=assertion.replace('"', '\\"'), params=params), "mine.toml")
    return load_ruleset([pack], builtin=False)


def test_no_text_of_a_rule_becomes_source_text(tmp_path):
    hostile = 'x"); import os; os.system("touch /tmp/h13e-pwned"); ("'
    rules = _rule(tmp_path, f"norm(통계목) != '{hostile.replace(chr(39), '')}' and not (통계목 in words)",
                  params=f'words = ["{hostile.replace(chr(34), "")}"]')
    compiled = rules.get("MINE001").compiled(rules.vocab)
    assert compiled.unsupported == ()
    assert "import os" not in compiled.source and "touch" not in compiled.source
    rules.check(read_file(SHEET))  # runs, and nothing else does


def test_a_part_it_cannot_compile_goes_to_the_explaining_path(tmp_path):
    """A param list of mixed kinds has no type the generator can be sure of: the evaluator decides,
    and stops the run with the rule's error where a sheet's value cannot be compared."""
    rules = _rule(tmp_path, "A in mixed", params='mixed = [1, "a"]')
    compiled = rules.get("MINE001").compiled(rules.vocab)
    assert compiled.unsupported and "assert" in compiled.unsupported[0][0]
    for reference in (False, True):
        with pytest.raises(RulePackError, match="MINE001"):
            list(rules.get("MINE001").check(read_file(SHEET), rules.vocab, reference=reference))


def test_a_value_of_an_unexpected_type_at_run_time_is_explained_not_guessed(tmp_path):
    """Generated code that meets a value its types did not promise hands the element over."""
    import attrs

    from auditor.engine.rule import SheetCache
    from auditor.source import Text

    rules = _rule(tmp_path, "A >= 0")
    sheet = read_file(SHEET)
    row = sheet.summary.rows[0]
    odd = attrs.evolve(sheet, summary=attrs.evolve(sheet.summary, rows=(
        attrs.evolve(row, previous=Text("12", SRC)),) + sheet.summary.rows[1:]))  # text where a number is
    rule = rules.get("MINE001")
    candidates = rule.compiled(rules.vocab).function(odd, SheetCache(odd))
    assert [index for _, (*_, index) in candidates] == [0]


@given(st.one_of(st.integers(-10**12, 10**12), st.decimals(allow_nan=False, allow_infinity=False, places=3,
                                                              min_value=-10**9, max_value=10**9)),
       st.sampled_from([*MONEY_UNITS, "%", "명", "회"]))
def test_amount_exact_and_half_are_the_evaluators_values(value, unit):
    amount = Amount(value, unit, SRC)
    want_value = rational(amount.won) if amount.is_money else rational(amount.value)
    step = 1
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        step = rational(Fraction(10) ** exponent) if isinstance(exponent, int) else 1
    if amount.is_money:
        step *= MONEY_UNITS[unit]
    assert (amount.exact, amount.half) == (want_value, divide(step, 2))
    assert type(amount.exact) is type(want_value) and type(amount.half) is type(divide(step, 2))


_NUMBERS = st.one_of(st.integers(-10**12, 10**12), st.fractions(max_denominator=10**6))


@given(_NUMBERS, st.integers(0, 4))
def test_trunc_and_round_places_equal_their_fraction_reference(x, places):
    x = rational(x)
    q = 10**places
    magnitude = math.floor(abs(x) * q + Fraction(1, 2))
    for got, want in ((trunc_places(x, places), divide(math.trunc(x * q), q)),
                      (round_places(x, places), divide(magnitude if x >= 0 else -magnitude, q))):
        assert got == want and (got is None) == (want is None)
    assert type(got) is int or got is None or got.denominator != 1


@given(_NUMBERS, st.one_of(st.integers(-10**9, 10**9).map(lambda v: v * 1000), _NUMBERS),
       st.sampled_from(list(MONEY_UNITS)))
def test_the_convention_helpers_equal_check_amount(computed, stated, unit):
    computed, stated = rational(computed), rational(stated)
    check = _check_values(computed, stated, unit)
    want = None if not check.ok or check.difference_won == 0 else tuple(sorted(check.conventions))
    assert coderuntime._calc_conventions(computed, stated, unit) == want
    assert coderuntime._stated_matches(computed, stated, unit) == check.ok


@given(st.integers(-10**6, 10**6), st.integers(-2999, 2999), st.integers(1, 36), st.sampled_from(list(MONEY_UNITS)))
def test_the_convention_helpers_equal_check_amount_near_the_stated_amount(units, offset, den, unit):
    """A computed value within a unit or so of a whole stated amount, whole or not (the generated
    sheets' 492,200원*25.6명*11/12월): the integer path of calc_conventions is check_amount's."""
    scale = MONEY_UNITS[unit]
    stated = units * scale
    computed = stated + Fraction(offset * scale, 1000 * den)
    check = _check_values(computed, stated, unit)
    want = None if not check.ok or check.difference_won == 0 else tuple(sorted(check.conventions))
    assert coderuntime._calc_conventions(computed, stated, unit) == want
    assert coderuntime._stated_matches(computed, stated, unit) == check.ok


def test_show_compiled_prints_the_generated_source():
    from click.testing import CliRunner

    from auditor.cli import main

    result = CliRunner().invoke(main, ["rule", "SUM001", "--show-compiled", "--isolated"])
    assert result.exit_code == 0, result.output
    assert "def check_SUM001_SUM006_SUM007(sheet, shared):" in result.output and ".half" in result.output
    assert "# fused with SUM006, SUM007" in result.output and "        # SUM001\n" in result.output


def test_a_rule_with_no_element_on_a_sheet_is_not_compiled_for_it():
    """An e호조 rule on a 사업설명서 has nothing to decide: no finding, and no code made (one sheet's start-up)."""
    sheet = read_file(SHEET)
    fresh = load_ruleset()
    from auditor.engine.rule import SheetCache

    shared = SheetCache(sheet)
    empty = [r for r in fresh.rules if not r.reader and not any(shared.elements(p) for p in r.over)]
    assert empty, "some built-in rule has no element on a 사업설명서 (VER002, DER001 …)"
    for rule in empty:
        assert rule.check(sheet, fresh.vocab, shared) == []
        assert rule.check(sheet, fresh.vocab, shared, reference=True) == []
        assert rule._compiled is None
    busy = next(r for r in fresh.rules if not r.reader and r not in empty)
    busy.check(sheet, fresh.vocab, shared)
    assert busy._compiled is not None


_RATE_FORMULAS = ["(B-A)/A*100", "(B-A)*100/A", "(B - A) / A × 100", "B/A*100-100", "-(A-B)/A*100", "(B-A)/(A-A)*100",
                  "100*(B-A)/A", "(B-A)/A*1.5", "(B+A)/(B-A)", "A*B/(A+B)-2", "-(-B)/A", "B", "100"]


@given(st.sampled_from(_RATE_FORMULAS), _NUMBERS, _NUMBERS)
def test_the_compiled_rate_equals_the_evaluators(text, a, b):
    """rate() in generated code (integer numerators and denominators) is builtins.rate_from_formula's
    value (a whole rate is an ``int`` there, where the evaluator may keep a whole Fraction: the fast
    path only compares values, and the explaining path shows its own)."""
    from auditor.engine.builtins import rate_from_formula

    a, b = rational(a), rational(b)
    got, want = coderuntime._rate(text, a, b), rate_from_formula(text, a, b)
    assert got == want and (got is None) == (want is None)
    assert type(got) is int or got is None or got.denominator != 1


@given(_NUMBERS, _NUMBERS, st.integers(0, 3))
def test_the_compiled_rate_convention_equals_trunc_and_round(stated, computed, places):
    """rate_convention() in generated code, in integer arithmetic, is the comparison with
    trunc_places and round_places that the evaluator makes."""
    stated, computed = rational(stated), rational(computed)
    amount = Amount(Decimal(1).scaleb(-places) if places else 1, "%", SRC)
    by_trunc = stated == trunc_places(computed, places)
    by_round = stated == round_places(computed, places)
    want = None if by_trunc == by_round else "trunc" if by_trunc else "round"
    assert coderuntime._rate_convention(stated, amount, computed) == want
    near = trunc_places(computed, places)  # a stated rate that one of the two gives
    by_round = near == round_places(computed, places)
    assert coderuntime._rate_convention(near, amount, computed) == (None if by_round else "trunc")


def test_the_compiled_rules_read_a_lines_text_without_making_it():
    """The generated code reads a 산출근거 line's formula and label as the reader left them (the
    recipe of a Text made when first read): checking a sheet makes no Text of a line it passes,
    and the findings are the same as the explaining evaluator's (the differential tests)."""
    from auditor.model import BasisItem
    from auditor.readers import read_bytes
    from auditor.testing import generate_sheet
    import random

    slot = BasisItem.__dict__["formula"].slot
    sheet = read_bytes(generate_sheet(random.Random("recipe")).data, "recipe.txt")
    items = [i for c in sheet.basis.categories for g in c.groups for i in g.items]
    recipes = [i for i in items if type(slot.__get__(i)) is tuple]
    assert recipes, "the reader leaves some formula as a recipe"
    RULES.check(sheet)
    assert all(type(slot.__get__(i)) is tuple for i in recipes)
    assert all(i.formula.value == i.formula.value for i in recipes)  # made when read, here
    assert all(type(slot.__get__(i)) is not tuple for i in recipes)



_ORDERS = st.sampled_from(["<", "<=", ">", ">="])
_WHOLE = st.integers(-10**6, 10**6)


@given(st.fractions(max_denominator=10**6), _ORDERS, _WHOLE)
def test_a_fraction_ordered_against_a_whole_constant_in_integers_as_by_fraction(x, op, whole):
    """The generated code's ``x op k`` for a Fraction ``x`` and an int ``k`` (numerator against ``k``
    times the denominator) is Fraction's own comparison."""
    from auditor.engine.codewriter import Writer

    got = eval(Writer.fraction_order("x", op, "k"), {"x": x, "k": whole})
    assert got == eval(f"x {op} k", {"x": x, "k": whole})


@given(_NUMBERS, _NUMBERS.filter(lambda v: v != 0), _ORDERS, _WHOLE)
def test_a_quotient_ordered_against_a_whole_constant_without_dividing_as_divided(top, bottom, op, whole):
    """The generated code's ``top / bottom op k`` without the division (either sign of divisor) is the
    comparison of the exact quotient."""
    from auditor.engine.codewriter import Writer

    top, bottom = rational(top), rational(bottom)
    got = eval(Writer.quotient_order("a", op, "b", "k"), {"a": top, "b": bottom, "k": whole})
    assert got == eval(f"q {op} k", {"q": divide(top, bottom), "k": whole})


def test_a_probe_says_whether_a_sheet_has_an_element_as_the_element_lists_do():
    """``compile_probe`` (asked on every sheet for a group whose function is not yet made) is true
    exactly when the sheet has an element under one of its paths: the 재원 and 파생 lines of e호조
    units (some with, some without) and of a 사업설명서 (none), each path alone and the groups' paths
    together. A probe that is always false (a rule never run) or always true fails here."""
    from pathlib import Path

    from auditor.engine.codegen import compile_probe
    from auditor.engine.rule import SheetCache
    from auditor.readers import iter_sheets

    paths = ["basis.categories.groups.derived", "basis.categories.groups.items.derived",
             "basis.categories.groups.funding", "basis.categories.groups.items.funding", "overview", "sheet"]
    overs = [(p,) for p in paths] + [tuple(r.over) for r in load_ruleset().rules if not r.reader]
    sheets = [read_file(SHEET)] + [s for f in sorted(Path("examples/eho").glob("*.csv")) for s in iter_sheets(f, str(f))]
    seen = set()
    for sheet in sheets:
        shared = SheetCache(sheet)
        for over in overs:
            has = any(shared.elements(p) for p in over)
            seen.add((over, has))
            assert compile_probe(over)(sheet, shared) is has, (sheet.path, over)
    assert ((paths[2],), True) in seen and ((paths[2],), False) in seen  # both answers were asked


@pytest.mark.parametrize("how", ["another class", "a value that raises"])
def test_an_element_the_code_cannot_read_is_a_candidate_of_every_rule_of_its_group(how):
    """A fused function hands an element it cannot read (not of the model's class, or a value its shared
    code cannot take) to the explaining path for every rule of the group, with its path, parent, list
    and index; the run's findings are then the explaining evaluator's."""
    import copy

    import attrs

    from auditor.engine.codegen import element_tuple
    from auditor.engine.rule import SheetCache
    from auditor.source import Text

    sheet = read_file(SHEET)
    compiled = RULES.compiled_for("CALC001")
    assert len(compiled.codes) > 2 and compiled.over[1] == "basis.categories.groups.items"
    group = next(g for c in sheet.basis.categories for g in c.groups if len(g.items) > 1)
    item = group.items[1]
    if how == "another class":
        odd = copy.copy(item)
        object.__setattr__(odd, "__class__", type("Odd", (type(item),), {"__slots__": ()}))
    else:
        odd = attrs.evolve(item, amount=Text("12", SRC))  # text where an amount is: the shared prelude raises
    items = group.items[:1] + (odd,) + group.items[2:]
    object.__setattr__(group, "items", items)
    found, past = compiled.function(sheet, SheetCache(sheet))
    mine = sorted(c[0] for c in found if c[2] is odd)
    assert mine == list(range(len(compiled.codes))) and not any(past)
    for c in found:
        if c[2] is odd:
            assert c[1] == 1 and element_tuple(c) == (odd, group, items[0], items[2] if len(items) > 2 else None, 1)


def _shared_nodes_reference(rules):
    """codegen._shared_nodes as it was written first: every subtree asked whether it qualifies, then counted."""
    from auditor.engine.codegen import _shared_candidate, _size, _subtrees

    seen: dict = {}
    for rule in rules:
        for tree in (rule.when, rule.assertion, rule.actual, rule.expected):
            if isinstance(tree, tuple):
                for node in _subtrees(tree):
                    if _shared_candidate(node):
                        seen.setdefault(node, set()).add(rule.code)
    shared = [node for node, codes in seen.items() if len(codes) > 1]
    shared.sort(key=_size)
    return shared


def test_the_shared_values_of_every_group_are_the_reference_s():
    """The values a fused function computes once for its rules: the same nodes (the same objects) in the same
    order as the reference gives, for every group of the built-in packs, sheet and cross rules alike."""
    from auditor.engine.codegen import _shared_nodes

    complete, shared = RULES.complete(), 0
    for cross in (False, True):
        for _, rules, _ in complete._groups(cross):
            got, want = _shared_nodes(rules), _shared_nodes_reference(rules)
            assert [id(n) for n in got] == [id(n) for n in want], rules[0].code
            shared += len(got)
    assert shared > 20


trees = st.recursive(
    st.sampled_from([("num", 1), ("name", "A"), ("str", "x"), ("tname", 0), 3, "s", None, ()]),
    lambda inner: (st.tuples(st.sampled_from(["bin", "call", "attr", "list", "not"]), inner, inner)
                   | st.tuples(st.sampled_from(["call", "list"]), st.lists(inner, max_size=3).map(tuple))
                   | st.lists(inner, max_size=3).map(tuple)),
    max_leaves=20,
)


@given(trees)
def test_preorder_is_subtrees(tree):
    from auditor.engine.codegen import _preorder, _subtrees

    assert _preorder(tree) == list(_subtrees(tree))


@given(st.lists(st.integers(0, 3), max_size=4))
def test_every_is_the_comprehension_it_replaced(rules):
    """``coderuntime._every`` (an element handed to every rule of a sheet group) appends what the generated
    ``cands.extend([(k, j, e, parent, raw, index) for k in rules])`` appended."""
    e, parent, raw = object(), object(), [1, 2]
    mine, reference = [("x",)], [("x",)]
    coderuntime._every(mine, 1, e, parent, raw, 3, tuple(rules))
    reference.extend([(k, 1, e, parent, raw, 3) for k in tuple(rules)])
    assert mine == reference


_ONCE_BLOCK = """if h5 is UNSET:
    r_1 = sheet.rows
    s1 += len(r_1)
    if s1 > MAX_STEPS:
        raise OverBudget
    if h9 is UNSET:
        h9 = sheet.base
    t_2 = None if r_1 is None else h9 + sum(r_1) // sheet.div
    h5 = t_2"""


def _once_function(shared: bool, max_steps: int):
    """A generated function that needs one value of the sheet (``h5``, which sets ``h9`` on its way and counts
    steps on ``s1``) in two places, written inline at both or by :func:`codegen._shared_once`."""
    from auditor.engine import codegen
    from auditor.engine.codewriter import _Namespace
    from auditor.engine.errors import OverBudget

    ns = _Namespace()
    ns.values.update(UNSET=coderuntime.UNSET, _bad=coderuntime._bad, OverBudget=OverBudget, MAX_STEPS=max_steps)
    places = [["            pass", *("            " + line for line in _ONCE_BLOCK.split("\n"))] for _ in (0, 1)]
    records = [(lines, 1, len(lines), lines[1], "\n".join(lines[2:]), "s1") for lines in places]
    once = codegen._shared_once(records, {"a": "h5", "b": "h9"}, ns) if shared else []
    assert bool(once) is shared and all(len(p) == 7 for p in places) is shared
    lines = ["def f(sheet, shared):", "    s1 = 0", "    h5 = h9 = UNSET", "    out = []"]
    for place in places:
        lines += ["    for _ in (0, 1):", "        try:", *place, "            out.append(h5)", "        except OverBudget:",
                  "            out.append('over')", "        except Exception:", "            out.append('bad')"]
    lines += ["    return out, s1, h9", "", *once]
    namespace = dict(ns.values)
    exec(compile("\n".join(lines), "<once>", "exec"), namespace)
    return namespace["f"]


@given(st.one_of(st.none(), st.lists(st.integers(-5, 5), max_size=4)), st.integers(-3, 3), st.integers(0, 2),
       st.integers(0, 12))
def test_a_value_of_the_sheet_written_once_is_computed_counted_and_fails_as_the_blocks_did(rows, base, div, max_steps):
    """A value of the sheet that the generated function would compute in two places, made a function of its
    own (``codegen._shared_once``): the same values, the same steps counted (also when the block fails after
    counting, by a division by zero: ``coderuntime._Steps`` carries them out), the same cells set on its way,
    the same failures (over the budget, or explained)."""
    sheet = type("S", (), {"rows": rows, "base": base, "div": div})()
    assert _once_function(True, max_steps)(sheet, None) == _once_function(False, max_steps)(sheet, None)


def test_the_sheet_groups_share_their_values_of_the_sheet_and_find_the_same_candidates(monkeypatch):
    """Every sheet group of the built-in packs, its values of the sheet written once (``codegen._shared_once``)
    and written at every place: the same candidates and budgets on the example sheets, with the budget as it
    is and so small that rules go past it."""
    from pathlib import Path

    from auditor.engine import codegen, errors
    from auditor.engine.rule import SheetCache

    sheets = [read_file(str(p)) for p in sorted(Path("examples").rglob("*.txt"))[:40]]
    made = 0
    for max_steps in (errors.MAX_STEPS, 3, 40):
        monkeypatch.setattr(errors, "MAX_STEPS", max_steps)
        for over, rules, _ in RULES._groups(False):
            mine = codegen.compile_rules(rules, RULES.vocab)
            made += "def _once" in mine.source
            with monkeypatch.context() as m:
                m.setattr(codegen, "_ONCE_LINES", 10**9)
                reference = codegen.compile_rules(rules, RULES.vocab)
            assert "def _once" not in reference.source
            for sheet in sheets:
                assert mine.function(sheet, SheetCache(sheet)) == reference.function(sheet, SheetCache(sheet)), over
    assert made >= 6  # the calculation rules' and the rates' groups, at each budget
