"""The cross screen's generated code held to the three-valued code it stands for (auditor.crossdoc.screencode).

The screen's functions are written for speed: a cross rule's ``when`` as its conjuncts tested one by one
(``codegen._when_conjuncts``), ``first(list[condition] + other)`` as a scan (``Calls.first_of_sum``), one step
budget for all of a function's rules counted per list, each rule's first conjunct computed before the walk and
the walk skipped where it is false for every rule. The reference is the same generator with all of that off
(``flat = False``, ``one_budget = False``): the three-valued chain after every conjunct, the lists made, a
budget per rule counted per element, every element walked, as the model's code was written before.

The screen is a filter: it may pass a document only where the rules find nothing. So, over drawn books with
faults and without, for every document and every function: the fast code's candidates are the reference's
(rule, collection, element); and with a budget small enough for rules to go over it, the fast code goes over
(raises) on every document where a reference rule does, or has a candidate there. A fast writer broken on
purpose is caught by one or the other (the last tests).
"""

from __future__ import annotations

import random
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.crossdoc import cross as C
from auditor.crossdoc import screen as S
from auditor.crossdoc.identity import Identity, group_keys, keys_of
from auditor.crossdoc.index import EXPORT, SHEET, entry_of
from auditor.crossdoc.screencode import LightCalls, groups_of, units_of
from auditor.engine import codegen, errors, load_ruleset
from auditor.readers import iter_sheets
from auditor.testing.years import generate_book

RULES = load_ruleset().complete()


class ThreeValued(LightCalls):
    """The reference: the light target written as before, three-valued chains, lists and budgets per rule."""

    flat = False
    one_budget = False
    numbered = False
    direct_cells = False
    fused_counts = False
    shared_empty = False
    plain_in = False
    keyed_texts = False
    inline_tests = False
    late_checks = False
    every_call = False
    renamed = False
    full_lists = False
    joined = False
    own_resets = False
    local_names = ()
    first_known = False
    year_tables = False
    homes = False

    def whole(self, v):
        return False


class Unjoined(LightCalls):
    """The fast writer with each group of rules a function of its own (as the model's are fused): one budget
    for a group's rules alone, and the walk skipped where every rule's first conjunct is false (only XDOC009's
    collection has such rules alone in the joined functions). The writers broken on purpose below break these."""

    joined = False


def _functions(target: type) -> list:
    """The screen's functions as ``target`` writes them, each with its rules' codes and the paths it walks: the
    fast writer's joined by the part of a document they walk (screencode.units_of), as the screen makes them; the
    reference's one a group of rules fused as the model's are (groups_of)."""
    made = []
    units = units_of(RULES) if target.joined else [(rules,) for rules in groups_of(RULES)]
    for unit in units:
        rules = tuple(r for group in unit for r in group)
        compiled = codegen.compile_rules(rules, RULES.vocab, target)
        assert not compiled.unsupported
        made.append((S._light_function(compiled.function), compiled.codes, compiled.over))
    return made


def _documents(seed: int, projects: int, years: int, inject: bool):
    """(document, project) of every document of a drawn book's projects of two documents or more, light."""
    book = generate_book(seed, projects=projects, years=years, inject=inject)
    entries = [entry_of(s) for path, data in sorted(book.files.items()) for s in iter_sheets(data, path)]
    identity = Identity.from_table(book.identity)
    for key, group in group_keys(keys_of(entries, identity)):
        if len(group) < 2:
            continue
        members = sorted((entries[i] for i in group), key=C._order)
        light = S.light_project(members, key)
        project = S.LightProject(tuple(d for e, d in zip(members, light) if e.kind == SHEET),
                                 tuple(d for e, d in zip(members, light) if e.kind == EXPORT))
        for document in light:
            yield document, project


def _parts(root: tuple) -> list:
    """Every part of the light document ``root`` (its own tuples, the lines' bases and unchanged rows), each once,
    as ``(class name, tuple)`` (screen.LAYOUT)."""
    out, todo, seen = [], [("Sheet", root)], set()
    while todo:
        cls, x = todo.pop()
        if id(x) in seen:
            continue
        seen.add(id(x))
        out.append((cls, x))
        for (owner, attr), part in S._PARTS_OF.items():
            if owner != cls:
                continue
            value = S.read(x, cls, attr)
            for y in (value if (owner, attr) in S._LISTS_OF else (value,)) if value is not None else ():
                if y is not None:
                    todo.append((part, y))
    return out


def _rebuilt(books, change) -> list:
    """``books`` (each (document, project), light) with every part of each document made again by
    ``change(class name, list of its items)`` (a tuple, or another object to put there), the parts below it made
    first; a part reached twice (a base) made once; each project made again of its documents."""
    made: dict[int, object] = {}

    def rebuild(cls: str, x):
        if x is None or x.__class__ is not tuple:
            return x
        if id(x) in made:
            return made[id(x)]
        items = list(x)
        for (owner, attr), part in S._PARTS_OF.items():
            if owner != cls:
                continue
            how = S.LAYOUT[owner, attr]
            if how[0] == "self":  # a 결산 is its rows
                items = [rebuild(part, r) for r in items]
                continue
            at = how[1]
            if at >= len(items) or items[at] is None:
                continue
            items[at] = (tuple(rebuild(part, y) for y in items[at]) if (owner, attr) in S._LISTS_OF
                         else rebuild(part, items[at]))
        new = made[id(x)] = change(cls, items)
        return new

    documents = {id(d): rebuild("Sheet", d) for d, _ in books}
    projects = {id(p): S.LightProject(tuple(documents[id(d)] for d in p.sheets),
                                      tuple(documents[id(d)] for d in p.exports)) for _, p in books}
    return [(documents[id(d)], projects[id(p)]) for d, p in books]


def _holed(books, seed: int, rate: float) -> list:
    """The documents of ``books`` with some of their values taken away (None), changed by one or given another
    name, drawn with ``seed``: the missing values the three-valued code carries, and faults of every rule."""
    rng = random.Random(seed)

    def changed(value):
        change = rng.random()
        return (None if change < 0.4 else value + (1 if value.__class__ is int else "가") if change < 0.8
                else ("" if value.__class__ is str else 0))

    def hole(cls: str, items: list) -> tuple:
        for (owner, attr), how in S.LAYOUT.items():
            if owner != cls or attr == "path" or how[0] not in ("plain", "value", "value_in"):
                continue
            at = how[1]
            if at >= len(items):
                continue
            if how[0] == "plain":
                value = items[at]
                if value is not None and value.__class__ in (str, int) and rng.random() <= rate:
                    items[at] = changed(value)
                continue
            held = items[at] if how[0] == "value" else items[at][how[2]]
            if held is None or held[0].__class__ not in (str, int) or rng.random() > rate:
                continue
            value = changed(held[0])
            value = None if value is None else (value, *held[1:])
            if how[0] == "value":
                items[at] = value
            else:
                items[at] = (*items[at][:how[2]], value, *items[at][how[2] + 1:])
        return tuple(items)

    return _rebuilt(list(books), hole)


def _run(functions, document, project) -> tuple:
    """("raised", the exception's name) when a function raised on ``document`` (the screen then flags every rule
    of it, whichever function raised), else the candidates as (rule, collection, index, element's id) and the
    rules over their budget, of all the functions."""
    found_all, past_all = [], []
    for function, codes, over in functions:
        try:
            found = function(document, S._Shared(project))
        except Exception as exc:  # noqa: BLE001 - compared as such
            return ("raised", type(exc).__name__)
        if found is None:
            return ("none",)
        cands, past = found
        found_all += [(codes[c[0]], over[c[1]], c[5], id(c[2])) for c in cands]
        past_all += [codes[k] for k, over_budget in enumerate(past) if over_budget]
    return sorted(found_all), sorted(past_all)


def _same_candidates(fast: list, slow: list, books) -> int:
    """Asserts the fast functions' candidates are the reference's on every document; the candidates seen."""
    seen = 0
    for document, project in books:
        got, want = _run(fast, document, project), _run(slow, document, project)
        assert got[0] == want[0], document[0]
        seen += len(want[0]) if want[0] != "raised" else 0
    return seen


FAST, SLOW = _functions(LightCalls), _functions(ThreeValued)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), projects=st.integers(2, 4), years=st.integers(2, 4), inject=st.booleans())
def test_the_fast_screen_code_picks_the_three_valued_codes_candidates(seed, projects, years, inject):
    _same_candidates(FAST, SLOW, _documents(seed, projects, years, inject))


def test_the_fast_screen_code_unjoined_picks_the_three_valued_codes_candidates():
    books = list(_documents(7, 4, 4, True)) + _HOLED
    assert _same_candidates(_functions(Unjoined), SLOW, books) > 0


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), years=st.integers(2, 4), rate=st.sampled_from([0.02, 0.1, 0.3]))
def test_the_fast_screen_code_picks_the_three_valued_codes_candidates_with_values_missing(seed, years, rate):
    _same_candidates(FAST, SLOW, _holed(_documents(seed, 3, years, False), seed, rate))


def test_the_comparison_is_not_vacuous():
    """Over fixed books with a fault in every project, the reference has candidates for the fast code to
    match, and it has none over consistent ones."""
    assert _same_candidates(FAST, SLOW, _documents(7, 4, 4, True)) > 0
    assert _same_candidates(FAST, SLOW, _documents(7, 4, 4, False)) == 0


def _over_budget(fast: list, slow: list, books) -> tuple[int, int]:
    """Asserts that wherever a reference rule goes over its budget or has a candidate, the fast code goes
    over (raises) or has a candidate too (the screen then flags the document); the documents where the
    reference went over, and those the fast code passed."""
    over = passed = 0
    for document, project in books:
        want, got = _run(slow, document, project), _run(fast, document, project)
        flagged_slow = want[0] == "raised" or want[0] == "none" or bool(want[0]) or bool(want[1])
        flagged_fast = got[0] == "raised" or got[0] == "none" or bool(got[0]) or bool(got[1])
        over += want[0] not in ("raised", "none") and bool(want[1])
        passed += not flagged_fast
        assert flagged_fast or not flagged_slow, (document[0], want, got)
    return over, passed


@pytest.mark.parametrize("budget,target", [(40, LightCalls), (60, LightCalls), (100, LightCalls), (60, Unjoined),
                                           (40, Unjoined), (100, Unjoined)])
def test_the_fast_screen_code_goes_over_its_budget_wherever_a_rule_does(monkeypatch, budget, target):
    """(The joined functions' one budget counts every rule of a part of the document: it goes over sooner.)"""
    monkeypatch.setattr(errors, "MAX_STEPS", budget)
    fast, slow = _functions(target), _functions(ThreeValued)
    over, passed = _over_budget(fast, slow, list(_documents(3, 3, 3, False)) + list(_documents(11, 3, 4, True)))
    assert over > 0 and passed > 0  # some rules went over, some documents passed: the test decides something


#: A fixed book with values missing and changed, for the writers broken on purpose below.
_HOLED = _holed(_documents(5, 3, 3, False), 5, 0.1) + _holed(_documents(7, 3, 3, False), 7, 0.1)


def _assert_caught(books, target: type = LightCalls) -> None:
    """The screen's functions as a writer broken on purpose writes them give other candidates than the
    three-valued reference's on ``books``."""
    broken = _functions(target)
    with pytest.raises(AssertionError):
        _same_candidates(broken, SLOW, books)


def test_the_holed_book_has_candidates():
    assert _same_candidates(FAST, SLOW, _HOLED) > 0


def test_a_when_written_without_its_later_conjuncts_is_caught(monkeypatch):
    """The fast writer broken on purpose: each cross rule's ``when`` reduced to its first conjunct."""
    real = codegen._conjuncts
    monkeypatch.setattr(codegen, "_conjuncts", lambda gen, node: real(gen, node)[:1])
    _assert_caught(_HOLED)


def test_a_when_that_takes_a_missing_conjunct_for_true_is_caught(monkeypatch):
    """Broken on purpose: a conjunct that is missing (None) passed over, as if true."""
    real = codegen._when_conjuncts

    def lenient(gen, when):
        real(gen, when)
        while gen.lines and gen.lines[-1].strip() == "continue" and " is None" in gen.lines[-2]:
            del gen.lines[-2:]

    monkeypatch.setattr(codegen, "_when_conjuncts", lenient)
    _assert_caught(_HOLED)


def test_a_budget_that_counts_no_element_is_caught(monkeypatch):
    """Broken on purpose: the one budget counting none of the elements (only the lists the rules walk)."""
    monkeypatch.setattr(errors, "MAX_STEPS", 40)
    real = codegen._walk_lines
    monkeypatch.setattr(codegen, "_walk_lines", lambda steps, j, reset="", one=False, count=0, skip="", sure=None,
                        read=None, owner_reset="": real(steps, j, reset, one, 0, skip, sure, read, owner_reset))
    fast, slow = _functions(Unjoined), _functions(ThreeValued)
    with pytest.raises(AssertionError):
        _over_budget(fast, slow, list(_documents(3, 3, 3, False)))


def test_a_walk_skipped_where_a_rule_applies_is_caught(monkeypatch):
    """Broken on purpose: the walk skipped where one rule's first conjunct is false, not every rule's."""
    real = codegen._first_conjuncts

    def eager(rules, writer, j, temps, counted):
        lines, skip, known, temps = real(rules, writer, j, temps, counted)
        if lines:
            lines[-1] = lines[-1].replace(" and ", " or ")
        return lines, skip, known, temps

    monkeypatch.setattr(codegen, "_first_conjuncts", eager)
    _assert_caught(_HOLED, Unjoined)


def test_value_numbering_that_takes_one_objects_field_for_anothers_is_caught(monkeypatch):
    """Broken on purpose: a field read taken again for any object's field of the same name (the key of
    codewriter.Writer.read's value numbering without the object)."""
    from auditor.engine import codewriter

    real = codewriter.Writer.known

    def loose(self, key):
        if key[0] == "#read":
            for layer in reversed(self.memo):
                for k, v in layer.items():
                    if k[0] == "#read" and k[2] == key[2]:
                        return v
        return real(self, key)

    monkeypatch.setattr(codewriter.Writer, "known", loose)
    _assert_caught(_HOLED)


def test_a_filter_equality_that_takes_two_missing_values_for_equal_is_caught(monkeypatch):
    """Broken on purpose: LightCalls.true_test's ``a == b`` without its test that a value is present."""
    real = LightCalls.true_test

    def careless(self, node):
        return real(self, node).split(" and ")[0]

    monkeypatch.setattr(LightCalls, "true_test", careless)
    _assert_caught(_HOLED)


def test_a_budget_tested_late_without_its_last_test_is_caught(monkeypatch):
    """Broken on purpose: the one budget tested late (Writer.late_checks) and the function's last test left out."""
    monkeypatch.setattr(errors, "MAX_STEPS", 40)
    real = codegen.compile_rules

    def without_last(rules, vocab, target=codegen.Calls):
        compiled = real(rules, vocab, target)
        source = compiled.source.replace("    if s > MAX_STEPS:\n        raise OverBudget\n    return", "    return")
        namespace = dict(compiled.function.__globals__)
        exec(compile(source, "<broken>", "exec"), namespace)
        return codegen.CompiledRules(source, namespace[compiled.function.__name__], compiled.codes, compiled.over,
                                     compiled.unsupported)

    monkeypatch.setattr(codegen, "compile_rules", without_last)
    fast, slow = _functions(Unjoined), _functions(ThreeValued)
    with pytest.raises(AssertionError):
        _over_budget(fast, slow, list(_documents(3, 3, 3, False)) + list(_documents(11, 3, 4, True)))


def test_a_table_of_label_keys_that_keeps_the_text_as_it_is_is_caught(monkeypatch):
    """Broken on purpose: the table the screen code reads label_key() from (screencode._Keys) giving a text
    itself, not its key."""
    from auditor.crossdoc import screencode

    monkeypatch.setattr(screencode, "_LABEL_KEYS", screencode._Keys(lambda text: text))
    _assert_caught(_HOLED)


def test_the_tables_of_keys_are_the_functions_they_stand_for():
    from auditor.crossdoc import screencode
    from auditor.engine import builtins, documents

    class Small(screencode._Keys):
        SIZE = 3

    table = Small(documents.label_key)
    for text in ["회의비 : 5,000원*2회", " 다과 ", "운영비 -", "[인쇄]", "회의비 : 5,000원*2회", "교육ㆍ자료"]:
        assert table[text] == documents.label_key(text) and len(table) <= 3
        assert screencode._NORMALIZED[text] == builtins.normalize(text)


def test_the_light_parts_are_tested_for_membership_by_identity(monkeypatch):
    """A light document's parts are tuples, which Python's ``in`` compares by value (two lines of equal values would
    be one): every test of whether a part is in a list of parts that the screen's functions write is by identity,
    ``id()`` in a set of a list's identities or ``_one_of``'s loop of ``is`` (the writer's own code, seen as it
    is written)."""
    written = []
    real = LightCalls.membership

    def spy(self, op, left, right, rnode):
        mark = len(self.lines)
        value = real(self, op, left, right, rnode)
        if left.t[0] == "obj":
            written.append("\n".join(self.lines[mark:]) or value.x)
        return value

    monkeypatch.setattr(LightCalls, "membership", spy)
    for unit in units_of(RULES):
        codegen.compile_rules(tuple(r for group in unit for r in group), RULES.vocab, LightCalls)
    assert written
    assert all("id(" in w or "_one_of(" in w for w in written if "=" in w), written


def _foreign(books, seed: int) -> list:
    """The documents of ``books`` with some of their lines put in another list's place as objects of another class
    (a list where a - line is walked, where a ○ group is, where a settlement row is): elements the screen's
    functions hand to every rule of theirs (``coderuntime._every``)."""
    rng = random.Random(seed)

    def foreign(cls: str, items: list) -> tuple:
        if cls == "BasisCategory" and items[9] and rng.random() < 0.5:
            groups = items[9]
            group = groups[rng.randrange(len(groups))]
            if group[8] and rng.random() < 0.5:
                at = groups.index(group)
                items[9] = (*groups[:at], (*group[:8], (*group[8], list(groups[0])), *group[9:]), *groups[at + 1:])
            else:
                items[9] = (*groups, list(group[8][0]) if group[8] else list(items))
        if cls == "Sheet" and items[4] and items[3][5] and rng.random() < 0.5:
            items[4] = (*items[4], list(items[3][5][0] or ()))
        return tuple(items)

    return _rebuilt(list(books), foreign)


def test_an_element_of_another_class_is_a_candidate_of_every_rule():
    """Elements of another class than the walk's are candidates of every rule of the function, as the
    reference has them (its comprehension)."""
    books = _foreign(_documents(5, 3, 3, False), 5)
    assert _same_candidates(FAST, SLOW, books) > 0


def test_an_element_handed_to_one_rule_only_is_caught(monkeypatch):
    """Broken on purpose: ``_every`` (an element of another class, every rule's candidate) giving it to the
    first rule of the function only."""
    from auditor.engine import coderuntime

    def first_only(cands, j, e, parent, raw, index, rules):
        cands.append((rules[0], j, e, parent, raw, index))

    monkeypatch.setattr(coderuntime, "_every", first_only)
    monkeypatch.setattr(S, "_SAME", S._SAME | {first_only})
    _assert_caught(_foreign(_documents(5, 3, 3, False), 5))


def test_the_light_documents_hold_what_the_screen_code_takes_for_granted():
    """LightCalls leaves out the tests of None that screen.NEVER_NONE and NO_NONE_ITEMS make needless: every light
    document of drawn books (restated rows' bases and the rows their groups leave unchanged included) holds to
    both, and its project's lists too."""
    checked, bases = 0, 0
    for seed, years, inject in ((1, 4, False), (2, 4, True), (9, 3, True), (23, 4, False)):
        for document, project in _documents(seed, 4, years, inject):
            parts = _parts(document)
            for cls, x in parts:
                bases += ("BasisGroup" == cls or "BasisItem" == cls) and S.read(x, cls, "base") is not None
                for owner, attr in S.NEVER_NONE:
                    if owner == cls:
                        assert S.read(x, cls, attr) is not None, (cls, attr)
                        checked += 1
                for owner, attr in S.NO_NONE_ITEMS:
                    if owner == cls:
                        value = S.read(x, cls, attr)
                        assert value.__class__ is tuple and None not in value, (cls, attr)
            for attr in ("sheets", "exports"):
                value = getattr(project, attr)
                assert value.__class__ is tuple and None not in value
    assert checked > 1000 and bases > 0
    # every name the tables give is a field of the model class the generated code reads
    from auditor.engine.codewriter import field_of
    from auditor.crossdoc.model import Project

    classes = {cls.__name__: cls for cls in [*S._LIGHT, Project]}
    for name, slot in S.NEVER_NONE | S.NO_NONE_ITEMS:
        assert field_of(frozenset({classes[name]}), slot).attr == slot


def _unplaced_rows(books, seed: int) -> list:
    """The documents of ``books`` with None among their summary rows (a row the reader could not place: a light
    document keeps it so), drawn with ``seed``."""
    rng = random.Random(seed)

    def unplaced(cls: str, items: list) -> tuple:
        if cls == "Summary" and items[5] and rng.random() < 0.5:
            rows = items[5]
            at = rng.randrange(len(rows) + 1)
            items[5] = (*rows[:at], None, *rows[at:])
        return tuple(items)

    return _rebuilt(list(books), unplaced)


def test_summary_rows_that_are_none_are_walked_past():
    books = _unplaced_rows(_documents(5, 3, 3, True), 5)
    assert _same_candidates(FAST, SLOW, books) > 0


def test_a_list_taken_to_hold_no_none_that_does_is_caught(monkeypatch):
    """Broken on purpose: summary rows declared a list that never holds None (they may: screen.NO_NONE_ITEMS)."""
    monkeypatch.setattr(S, "NO_NONE_ITEMS", S.NO_NONE_ITEMS | {("Summary", "rows")})
    _assert_caught(_unplaced_rows(_documents(5, 3, 3, False), 5))


def test_a_walk_that_resets_no_value_of_a_parent_is_caught(monkeypatch):
    """Broken on purpose: the cells a walk's code reads not noted (Writer.parent_read), so that no walk resets a
    value of a parent (LightCalls.own_resets): a cell not reset is never set before the first parent (the one
    budget leaves them out of the function's head), so the parts that read it go to their candidates."""
    from auditor.engine import codewriter

    monkeypatch.setattr(codewriter.Writer, "parent_read", lambda self, cell: None)
    _assert_caught(_HOLED)


def test_each_walk_resets_only_the_values_of_a_parent_it_reads():
    """The joined 산출근거 function's walks (통계목, ○ lines, - lines) reset cells apart: the 통계목's none."""
    rules = next(tuple(r for group in unit for r in group) for unit in units_of(RULES)
                 if any(r.code == "XDOC011" for group in unit for r in group))
    lines = codegen.compile_rules(rules, RULES.vocab, LightCalls).source.splitlines()
    at = [n for n, line in enumerate(lines) if line.strip().startswith("p") and line.endswith(" = UNSET")]
    resets = [{name.strip() for name in lines[n].split(" = ")[:-1]} for n in at]
    assert len(resets) == 2 and not resets[0] & resets[1]  # the ○ lines' walk and the - lines', no cell of both
    for n, end, names in zip(at, [*at[1:], len(lines)], resets):  # each cell reset is one its walk computes
        walk = "\n".join(lines[n:end])
        assert all(f"if {name} is UNSET:" in walk for name in names)


def test_a_first_conjunct_taken_for_computed_where_it_was_not_is_caught(monkeypatch):
    """Broken on purpose: the first conjuncts of the rules that have one (LightCalls.first_known: XDOC010-015 beside
    XDOC016, which has none) handed to the parts as computed, but their lines left out before the walk."""
    real = codegen._first_conjuncts

    def unwritten(rules, writer, j, temps, counted):
        lines, skip, known, temps = real(rules, writer, j, temps, counted)
        return ([] if not skip else lines), skip, known, temps

    monkeypatch.setattr(codegen, "_first_conjuncts", unwritten)
    _assert_caught(_HOLED)


def _names_held(functions) -> None:
    """Asserts each name a function reads as a local (LightCalls.local_names: its arguments' defaults, made in the
    model's namespace) is the very object the light function's namespace holds under that name
    (screen._light_function maps classes and helpers such as in_force to their light counterparts; a default would
    not follow)."""
    import builtins

    for function, _, _ in functions:
        code = function.__code__
        names = code.co_varnames[code.co_argcount - len(function.__defaults__ or ()):code.co_argcount]
        assert "UNSET" in names and "len" in names
        for name, default in zip(names, function.__defaults__):
            assert default is function.__globals__.get(name, getattr(builtins, name, None)), name


def test_the_names_read_as_locals_are_the_light_namespaces():
    _names_held(FAST)


def test_a_helper_read_as_a_local_is_caught(monkeypatch):
    """Broken on purpose: in_force() read as a local, the model's function where the light namespace has its own."""
    monkeypatch.setattr(LightCalls, "local_names", (*LightCalls.local_names, "_in_force"))
    with pytest.raises(AssertionError):
        _names_held(_functions(LightCalls))


def _exports_alone(books) -> list:
    """The e호조 exports of ``books``, each project's as a project without its sheets (a year's exports checked
    alone), every line made again with its file as screen._find_bases makes it (screen._GROUP_BASED,
    _ITEM_BASED), the first ○ line of each restating the first of another export of its project with another
    기정액 (a base, as screen._find_bases sets one): XDOC016's candidates, where XDOC010-015's first conjuncts are
    all false."""

    def based(groups, path):  # lines made again with their file and no base
        return [(*g[:8], tuple((*i, None, path) for i in g[8]), None, (), path) for g in groups]

    projects = {id(p): p for d, p in books if any(d is x for x in p.exports)}
    out = []
    for project in projects.values():
        made = {}
        for document in project.exports:
            path = document[0]
            bases = [g for x in project.exports if x is not document and x[0] != path
                     for c in x[5][3] for g in based(c[9], x[0]) if g[1] is not None]
            categories = [(*c[:9], tuple(based(c[9], path))) for c in document[5][3]]
            first = next((k for k, c in enumerate(categories) if c[9]), None)
            if first is not None and bases:
                c, base = categories[first], bases[0]
                g = c[9][0]
                categories[first] = (*c[:9], ((*g[:3], base[1] + 1, *g[4:9], base, (), path), *c[9][1:]))
            made[id(document)] = (*document[:5], (*document[5][:3], tuple(categories)))
        light = S.LightProject((), tuple(made[id(d)] for d in project.exports))
        out += [(d, light) for d in light.exports]
    return out


def test_exports_without_their_sheets_keep_xdoc016s_candidates():
    """XDOC016 (a restated 기정액, across exports) applies where XDOC010-015's first conjuncts are all false (an
    export of a year without its sheet): the walk that holds it is not skipped there (LightCalls.first_known)."""
    books = _exports_alone(list(_documents(11, 3, 4, True)))
    assert _same_candidates(FAST, SLOW, books) > 0
    assert any(c[0] == "XDOC016" for document, project in books for c in _run(FAST, document, project)[0])


# --- a filter of the project's documents by 예산연도 read from the project's tables (LightCalls.year_tables) ------


@settings(max_examples=200, deadline=None)
@given(years=st.lists(st.sampled_from([None, 2021, 2022, 2023]), max_size=8))
def test_the_project_tables_by_year_are_the_filters_they_stand_for(years):
    """``LightProject.sheets_by_year`` (screen._by_year): for every year, the documents whose 예산연도 equals it, in
    order, as ``list[예산연도 == year]`` gives them (a missing year equals none: no key None)."""
    documents = tuple((f"p{n}", None, year, None, None, None) for n, year in enumerate(years))
    table = S._by_year(documents)
    assert None not in table
    for year in (None, 2020, 2021, 2022, 2023):
        want = tuple(d for d in documents if d[2] == year and d[2] is not None)
        assert table.get(year, ()) == want
        assert all(a is b for a, b in zip(table.get(year, ()), want))
    project = S.LightProject(documents[:3], documents[3:])
    assert project.sheets_by_year == S._by_year(documents[:3])
    assert project.exports_by_year == S._by_year(documents[3:])


def _doubled(books) -> list:
    """``books`` with every project's documents twice: each sheet and export followed by a copy of itself under
    another path whose summary rows, 결산 and ○ lines are the next document's of its list (two documents of a
    year, unlike: ``first(사업.사업설명서[예산연도 == …])`` must take the first of them)."""
    projects = {id(p): p for _, p in books}
    out = []
    for project in projects.values():
        lists = []
        for documents in (project.sheets, project.exports):
            made = []
            for n, d in enumerate(documents):
                other = documents[(n + 1) % len(documents)]
                made += [d, (d[0] + "~", d[1], d[2], other[3], other[4], other[5])]
            lists.append(tuple(made))
        light = S.LightProject(*lists)
        out += [(d, light) for d in (*light.sheets, *light.exports)]
    return out


class NoTables(LightCalls):
    """The fast writer with the project's sheets and exports filtered by year item by item, as before."""

    year_tables = False


def test_two_documents_of_a_year_are_filtered_as_the_lists_are():
    books = _doubled(list(_documents(7, 3, 3, True)) + list(_documents(5, 3, 3, False)))
    assert _same_candidates(FAST, SLOW, books) > 0
    assert _same_candidates(FAST, _functions(NoTables), books) > 0


@pytest.mark.parametrize("budget", [60, 90, 130, 200, 300])
def test_the_year_tables_count_the_steps_the_filters_count(monkeypatch, budget):
    """The one budget goes over on exactly the documents where it went over with the lists filtered item by item:
    a probe of the table counts the whole list, as the filter's walk did."""
    monkeypatch.setattr(errors, "MAX_STEPS", budget)
    fast, slow = _functions(LightCalls), _functions(NoTables)
    books = list(_documents(3, 3, 3, False)) + list(_documents(11, 3, 4, True))
    books += _doubled(books[:12])
    raised = 0
    for document, project in books:
        got, want = _run(fast, document, project), _run(slow, document, project)
        assert (got[0] == "raised") == (want[0] == "raised"), document[0]
        raised += want[0] == "raised"
    assert 0 < raised < len(books)

def _homes(document) -> dict:
    """For each list ``screen.ONE_HOME`` names, the owners (by id) whose list of that field holds each object (by id)
    in ``document``."""
    found: dict = {}
    for cls, x in _parts(document):
        for owner, attr in S.ONE_HOME:
            if owner == cls:
                for y in S.read(x, cls, attr):
                    found.setdefault((owner, attr, id(y)), set()).add(id(x))
    return found


def test_a_line_of_the_light_documents_is_in_one_owners_list_alone():
    """screen.ONE_HOME (a ○ line in one 통계목's list of the document, never in two: Writer.enclosing reads the
    walked 통계목 for ``first(sheet.산출근거.통계목[parent in 내역])``) holds for the readers' output over drawn books,
    faults, bases and unchanged rows included; and its names are the fields the generated code reads."""
    seen = 0
    for seed, years, inject in ((1, 4, False), (2, 4, True), (9, 3, True), (23, 4, False), (31, 2, True)):
        for document, _ in _documents(seed, 4, years, inject):
            homes = _homes(document)
            assert all(len(owners) == 1 for owners in homes.values())
            seen += len(homes)
    assert seen > 500
    from auditor.engine.codewriter import field_of

    classes = {cls.__name__: cls for cls in S._LIGHT}
    for name, slot in S.ONE_HOME:
        assert field_of(frozenset({classes[name]}), slot).attr == slot


def _source(target: type) -> str:
    unit = next(u for u in units_of(RULES) if any(r.code == "XDOC011" for g in u for r in g))
    return codegen.write_rules(tuple(r for g in unit for r in g), RULES.vocab, target)[0]


class Scanning(LightCalls):
    """The fast writer without screen.ONE_HOME's reading: the document's 통계목 scanned for each ○ line's, and every
    value of a ○ line computed for each ○ line."""

    homes = False


def test_the_items_walk_reads_the_walked_category_for_its_lines_first_category():
    """The - lines' walk reads the 통계목 it binds above their ○ line (``x2_1``) where the rules scan the document's
    통계목 for the first whose list holds the ○ line (each scan's steps still counted, ``… += len(…)``, as the
    reference, which scans, counts them); the values of that 통계목 (its e호조 rows in force …) are kept in cells of
    the 통계목 (``g…``), set to UNSET where the walk binds the next one."""
    fast, slow = _source(LightCalls), _source(Scanning)
    assert "_one_of(parent" in slow and "_one_of(parent" not in fast
    lines = fast.splitlines()
    at = [i for i, line in enumerate(lines) if line.strip().endswith("= x2_1")]
    assert len(at) == 3  # XDOC011's, 013's and 015's 통계목 of the ○ line
    assert all(re.fullmatch(r"(s|n\d+) \+= len\(h\d+\)", lines[i - 1].strip()) for i in at)
    walk = lines.index("        for x2_1 in w2_1:")
    reset = lines[walk + 1].strip()
    assert re.fullmatch(r"(g\d+ = )+UNSET", reset)
    cells = set(re.findall(r"\bg\d+\b", fast))
    assert cells and cells == set(re.findall(r"g\d+", reset))
    assert not re.search(r"\bg\d+\b", slow)


def _with_steps(target: type) -> list:
    """The screen's functions as ``target`` writes them, each returning its one budget's count of steps (``s``) where
    it returns its candidates."""
    made = []
    for unit in units_of(RULES):
        rules = tuple(r for group in unit for r in group)
        written = codegen.write_rules(rules, RULES.vocab, target)
        source = written[0].replace("    return cands, (", "    return s, (")
        assert source != written[0]
        compiled = codegen.finish_rules((source, *written[1:]))
        made.append(S._light_function(compiled.function))
    return made


def _steps(functions: list, books) -> list:
    out = []
    for document, project in books:
        for function in functions:
            try:
                found = function(document, S._Shared(project))
            except Exception as exc:  # noqa: BLE001 - compared as such
                found = (type(exc).__name__,)
            out.append(None if found is None else found[0])
    return out


_STEPS_BOOKS = list(_documents(7, 4, 4, True)) + list(_documents(3, 3, 3, False)) + _HOLED


def test_the_values_of_a_category_count_the_steps_each_line_counted():
    """The step budget's count is the same, document by document and function by function, whether the values of a
    ○ line's 통계목 are computed once for its ○ lines (their steps counted again for each) or for each ○ line: the
    budget goes over on exactly the documents it did, whatever MAX_STEPS is."""
    fast, slow = _steps(_with_steps(LightCalls), _STEPS_BOOKS), _steps(_with_steps(Scanning), _STEPS_BOOKS)
    assert len(fast) == len(slow) and sum(x for x in slow if x.__class__ is int) > 1000
    assert fast == slow


def test_a_value_of_a_category_whose_steps_are_counted_once_is_caught(monkeypatch):
    """Broken on purpose: the steps of a 통계목's value counted where it is computed only, not again for each ○ line."""
    from auditor.engine import codewriter

    real = codewriter.Writer.line

    def line(self, text):
        if re.fullmatch(r"s \+= n\d+", text.strip()) and self.lines[-1].strip() != "finally:":
            text = text.replace(text.strip(), "pass")
        return real(self, text)

    monkeypatch.setattr(codewriter.Writer, "line", line)
    assert _steps(_with_steps(LightCalls), _STEPS_BOOKS) != _steps(_with_steps(Scanning), _STEPS_BOOKS)


def test_a_value_of_a_category_kept_for_the_next_category_is_caught(monkeypatch):
    """Broken on purpose: the cells of a 통계목 not set to UNSET where the walk binds the next 통계목 (a ○ line then reads
    the e호조 rows of an earlier 통계목)."""
    real = codegen._walk_lines
    monkeypatch.setattr(codegen, "_walk_lines", lambda steps, j, reset="", one=False, count=0, skip="", sure=None,
                        read=None, owner_reset="": real(steps, j, reset, one, count, skip, sure, read, ""))
    _assert_caught(list(_documents(7, 4, 4, True)) + _HOLED)


def _two_homes(books) -> list:
    """The documents of ``books`` with the first ○ line of each 통계목 put in the next 통계목's list too (the same object):
    a ○ line in two 통계목's lists, which screen.ONE_HOME says a light document never has."""
    last: list = []

    def twice(cls: str, items: list) -> tuple:
        if cls == "BasisCategory":
            at = S.LAYOUT["BasisCategory", "groups"][1]  # (where the 통계목's tuple holds its ○ lines)
            groups = items[at]
            if last and last[-1]:
                items[at] = (*groups, last[-1][0])
            last.append(groups)
        if cls == "Sheet":
            last.clear()
        return tuple(items)

    return _rebuilt(list(books), twice)


def test_a_line_in_two_owners_lists_is_the_declarations_to_keep():
    """Broken on purpose, the declaration: documents with a ○ line in two 통계목's lists (not the readers' output) make
    the walked 통계목 another than the first that holds it, and the candidates differ from the reference's; the test
    over the readers' output above is what keeps the declaration true."""
    books = _two_homes(list(_documents(7, 4, 4, True)) + _HOLED)
    assert any(len(owners) > 1 for document, _ in books for owners in _homes(document).values())
    with pytest.raises(AssertionError):
        _same_candidates(FAST, SLOW, books)


def test_the_walked_category_taken_from_the_wrong_level_is_caught(monkeypatch):
    """Broken on purpose: the object the walk binds one level down (the ○ line itself) read as its 통계목."""
    from auditor.engine import codewriter

    real = codewriter.Writer.enclosing

    def lower(self, node):
        found = real(self, node)
        if found is not None:
            depth = int(found.x.rsplit("_", 1)[1])
            found.x = f"x{self.walk_number}_{depth + 1}"
        return found

    monkeypatch.setattr(codewriter.Writer, "enclosing", lower)
    _assert_caught(list(_documents(7, 4, 4, True)) + _HOLED)
