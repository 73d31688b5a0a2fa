"""The cross rules' screen held to the model path (auditor.crossdoc.screen).

The screen runs the cross rules' generated code over light documents made from the index entries; a
project it passes is given no finding without being rebuilt. These tests draw generated multi-year
books, with faults and without, and check for every project the screen takes (one whose e호조 rows
restate no earlier version) that the generated code picks the same candidates there as over the
rebuilt model documents, element by element, and that a project the screen passes has no finding on
the model path. A screen whose light figures are wrong is caught (the last test breaks one on purpose).
"""

from __future__ import annotations

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.crossdoc import cross as C
from auditor.crossdoc import screen as S
from auditor.crossdoc.identity import Identity, group_keys, keys_of
from auditor.crossdoc.index import EXPORT, SHEET, entry_of, unpack
from auditor.engine import load_ruleset
from auditor.engine.rule import SheetCache
from auditor.readers import iter_sheets
from auditor.testing.years import generate_book

RULES = load_ruleset()
SCREEN = S.Screen.of(RULES)


def _projects(seed: int, projects: int, years: int, inject: bool):
    book = generate_book(seed, projects=projects, years=years, inject=inject)
    entries = [entry_of(s) for path, data in sorted(book.files.items()) for s in iter_sheets(data, path)]
    identity = Identity.from_table(book.identity)
    for key, group in group_keys(keys_of(entries, identity)):
        if len(group) > 1:
            yield key, sorted((entries[i] for i in group), key=C._order)


def _plain(value):
    """What the generated code reads of a value: a text's or a year's value, an amount's exact figure."""
    if value is None:
        return None
    if hasattr(value, "exact"):
        return ("amount", value.exact)
    return ("value", value.value)


def _element(e) -> tuple:
    return tuple((name, _plain(getattr(e, name, None))) for name in ("label", "item", "year", "amount", "previous",
                                                                     "current", "budget_kind"))


def _candidates(functions, documents, project) -> list:
    """Each document's candidates (rule, collection, position, what the element holds) and over-budget
    flags by function, or the exception a function raised."""
    out = []
    for document in documents:
        shared = SheetCache(document, project) if not isinstance(project, S.LightProject) else S._Shared(project)
        for function in functions:
            try:
                found = function(document, shared)
            except Exception as exc:  # noqa: BLE001 - compared as such
                out.append(("raised", function.__name__, type(exc).__name__))
                continue
            if found is None:
                out.append(("none", function.__name__))
                continue
            cands, past = found
            out.append((function.__name__, sorted((c[0], c[1], c[5], _element(c[2])) for c in cands), past))
    return out


def _model_functions():
    made = {}
    for rule in RULES.cross_rules:
        compiled = RULES.compiled_for(rule.code)
        made.setdefault(id(compiled), compiled.function)
    return list(made.values())


MODEL = _model_functions()


def _compare(key, members, screen=SCREEN) -> tuple[bool, bool, int]:
    """(whether the screen takes the project, whether it passes it, the model path's findings); asserts
    the light candidates equal the model's, and no finding where the screen passes."""
    data = [unpack(e) for e in members]
    if any(e.kind == EXPORT and C._restating_rows(d) for e, d in zip(members, data)):
        assert not screen.clean(members, C._restating_rows)
        return False, False, -1
    light = [S.light_document(e.path, d) for e, d in zip(members, data)]
    light_project = S.LightProject(tuple(d for e, d in zip(members, light) if e.kind == SHEET),
                                   tuple(d for e, d in zip(members, light) if e.kind == EXPORT))
    project, documents = C.project_of(members, key)
    want = _candidates(MODEL, documents, project)
    got = _candidates(screen.functions, light, light_project)
    assert got == want
    passed = screen.clean(members, C._restating_rows)
    findings = [f for d in documents for f in RULES.check_cross(d, project)]
    assert not (passed and findings)
    return True, passed, len(findings)


def test_the_screen_stands_for_the_builtin_cross_rules():
    assert SCREEN is not None and len(SCREEN.functions) == len(MODEL)
    assert S.Screen.of(attrs.evolve(RULES, reference=True)) is None


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), projects=st.integers(2, 4), years=st.integers(2, 4), inject=st.booleans())
def test_the_screen_picks_the_model_paths_candidates_on_generated_books(seed, projects, years, inject):
    for key, members in _projects(seed, projects, years, inject):
        _compare(key, members)


def test_the_screen_passes_consistent_projects_and_not_faulty_ones():
    """Over a few fixed books: the screen takes and passes consistent projects, and passes none of a
    book whose every project has a fault the rules find (so the comparisons above are not vacuous)."""
    taken = passed = 0
    for seed in range(4):
        for key, members in _projects(seed, 4, 3, False):
            t, p, _ = _compare(key, members)
            taken, passed = taken + t, passed + p
    assert taken and passed
    failing = 0
    for seed in range(4):
        for key, members in _projects(seed, 4, 3, True):
            t, p, findings = _compare(key, members)
            failing += findings > 0 and t
    assert failing


def test_a_screen_with_a_wrong_figure_is_caught(monkeypatch):
    """The comparison fails when some of the light documents' amounts are off by one 원 (the screen broken on purpose)."""
    made = S.LightAmount.__init__

    def off_by_one(self, exact):
        made(self, exact + 1 if exact % 3 == 0 else exact)

    monkeypatch.setattr(S.LightAmount, "__init__", off_by_one)
    caught = False
    for seed in range(4):
        for key, members in _projects(seed, 3, 3, False):
            try:
                _compare(key, members)
            except AssertionError:
                caught = True
    assert caught
