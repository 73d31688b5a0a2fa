"""The cross rules' generated code is made only when a run needs it (auditor.crossdoc.screen, cross.py).

Two targets are generated from the cross rules: the screen's functions over light documents, and the
model's fused functions (:meth:`auditor.engine.RuleSet.check_cross`) for the documents the screen flags.
Over a consistent book no project is flagged, so the model target is never written nor compiled; a book
with a fault in a project makes the functions of the rules flagged there, and gives the findings the
explaining evaluator gives alone. The screen makes a function when a document first has an element under
the collections it walks: a run over e호조 exports alone makes none of the 사업설명서 summary's or
settlement's, with the same findings.
"""

from __future__ import annotations

import attrs

from auditor.crossdoc import cross as C
from auditor.crossdoc import screen as S
from auditor.crossdoc import screencode
from auditor.crossdoc.identity import Identity
from auditor.crossdoc.index import EXPORT, entry_of
from auditor.engine import load_ruleset
from auditor.engine import ruleset as ruleset_module
from auditor.readers import iter_sheets
from auditor.testing.years import generate_book


def _book(seed: int, inject: bool, exports_only: bool = False):
    book = generate_book(seed, projects=4, years=3, inject=inject)
    entries = [entry_of(s) for path, data in sorted(book.files.items()) for s in iter_sheets(data, path)
               if not exports_only or path.endswith(".csv")]
    return entries, Identity.from_table(book.identity)


def _counted(monkeypatch, module, name: str) -> list[tuple[str, ...]]:
    """The codes of every rule group that ``module.name`` (a compile_rules) is asked to compile."""
    made: list[tuple[str, ...]] = []
    real = getattr(module, name)

    def counting(rules, vocab, *args, **kwargs):
        made.append(tuple(r.code for r in rules))
        return real(rules, vocab, *args, **kwargs)

    monkeypatch.setattr(module, name, counting)
    return made


def _report(result) -> list[tuple]:
    return [(f.code, f.path, f.line, f.message_en, tuple((r.path, r.line) for r in f.related)) for f in result.findings]


def test_a_consistent_book_never_builds_the_model_target(monkeypatch):
    model = _counted(monkeypatch, ruleset_module, "compile_rules")
    light = _counted(monkeypatch, screencode, "compile_rules")
    for seed in range(3):
        rules = load_ruleset()  # its own fused functions: none made yet
        entries, identity = _book(seed, inject=False)
        result = C.cross_check(entries, rules, identity)
        assert result.projects and not result.findings
        assert all(slot == [None, None] for _, _, slot in rules._groups(True))
    assert model == []
    assert light  # the screen's functions were made (and each once a pass)


def test_a_flagged_project_builds_the_model_target_and_gets_the_evaluators_findings(monkeypatch):
    model = _counted(monkeypatch, ruleset_module, "compile_rules")
    cross_groups = {tuple(r.code for r in rules) for _, rules, _ in load_ruleset()._groups(True)}
    for seed in range(3):
        rules = load_ruleset()
        entries, identity = _book(seed, inject=True)
        before = len(model)
        result = C.cross_check(entries, rules, identity)
        assert result.findings
        made = model[before:]
        assert made and set(made) <= cross_groups and len(made) == len(set(made))  # each group once, when needed
        reference = C.cross_check(entries, attrs.evolve(rules, reference=True), identity)  # no screen, no generated code
        assert _report(result) == _report(reference)


def test_the_screen_makes_only_the_functions_its_documents_need(monkeypatch):
    """Over e호조 exports alone (no 사업설명서 summary, settlement or 산출근거 items), the screen's functions of
    those collections are never made, and every project gets the findings of a screen made whole."""
    light = _counted(monkeypatch, screencode, "compile_rules")
    rules = load_ruleset()
    groups = screencode.groups_of(rules.complete())
    for seed in range(3):
        for inject in (False, True):
            entries, identity = _book(seed, inject, exports_only=True)
            assert entries and all(e.kind == EXPORT for e in entries)
            del light[:]
            result = C.cross_check(entries, rules, identity)
            assert 0 < len(light) < len(groups)
            assert all(not g[0].over[0].startswith(("summary", "settlement")) for g in groups
                       if tuple(r.code for r in g) in light)
            reference = C.cross_check(entries, attrs.evolve(rules, reference=True), identity)
            assert _report(result) == _report(reference)
            lazy, whole = S.Screen.of(rules), S.Screen.of(rules)
            assert whole.functions is not None
            for key, members in _projects(entries, identity):
                assert lazy.flagged(members, key) == whole.flagged(members, key)


def _projects(entries, identity):
    from auditor.crossdoc.identity import shared_projects

    for key, group in shared_projects(entries, identity):
        yield key, sorted((entries[i] for i in group), key=C._order)


def test_a_screen_that_misses_elements_is_caught(monkeypatch):
    """Broken on purpose: a screen that never sees an element under a collection makes no function and passes every
    project; a faulty book's findings are then lost, which the comparison with the evaluator catches."""
    monkeypatch.setattr(S, "_has", lambda owner, steps: False)
    rules = load_ruleset()
    entries, identity = _book(0, inject=True)
    reference = C.cross_check(entries, attrs.evolve(rules, reference=True), identity)
    assert reference.findings and _report(C.cross_check(entries, rules, identity)) != _report(reference)


def test_a_function_that_cannot_be_written_for_light_documents_stands_the_screen_down(monkeypatch):
    """A function found unwritable when first needed: the screen gives no flags from then on (the model path
    checks every project), and the findings are the evaluator's."""
    real = screencode.compile_light

    def unsupported(rules, vocab):
        compiled = real(rules, vocab)
        if any(r.code == "XDOC010" for r in rules):
            return attrs.evolve(compiled, unsupported=(("XDOC010", "x", "on purpose"),))
        return compiled

    monkeypatch.setattr(screencode, "compile_light", unsupported)
    rules = load_ruleset()
    entries, identity = _book(1, inject=True)
    screen = S.Screen.of(rules)
    key, members = next(_projects(entries, identity))
    assert screen.flagged(members, key) is None and screen.down
    reference = C.cross_check(entries, attrs.evolve(rules, reference=True), identity)
    assert _report(C.cross_check(entries, rules, identity)) == _report(reference)
