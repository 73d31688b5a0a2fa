"""The cross rules' screen held to the model path (auditor.crossdoc.screen).

The screen runs the cross rules' generated code over light documents made from the index entries; a
project it passes is given no finding without being rebuilt. These tests draw generated multi-year
books, with faults and without, and check for every project (its e호조 rows restating earlier versions
in another file or not) that the generated code picks the same candidates there as over the rebuilt
model documents, element by element, and that a project the screen passes has no finding on
the model path. A screen whose light figures are wrong is caught (the last test breaks one on purpose).
"""

from __future__ import annotations

import operator

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.crossdoc import cross as C
from auditor.crossdoc import screen as S
from auditor.crossdoc.identity import Identity, group_keys, keys_of
from auditor.crossdoc.index import EXPORT, SHEET, entry_of, index_bytes
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


_AMOUNTS = ("amount", "previous", "current")


def _plain(name, value):
    """What the generated code reads of a value: a text's or a year's value, an amount's exact figure (the
    model's Text, Year and Amount; a light document holds the plain values themselves)."""
    if value is None:
        return None
    if name in _AMOUNTS:
        return ("amount", value.exact if hasattr(value, "exact") else value)
    return ("value", value.value if hasattr(value, "value") else value)


def _element(e, depth: int = 0) -> tuple:
    plain = tuple((name, _plain(name, getattr(e, name, None))) for name in ("label", "item", "year", "amount",
                                                                            "previous", "current", "budget_kind"))
    if depth < 3:  # a restating row's base, and the rows its group leaves unchanged
        base = getattr(e, "base", None)
        plain += (("base", None if base is None else _element(base, depth + 1)),
                  ("unchanged", tuple(_element(u, depth + 1) for u in getattr(e, "unchanged", ()))))
    return plain


def _light(documents) -> list:
    """The light documents read by the model's field names (screen.View), for the comparisons."""
    return [S.View(d) for d in documents]


def _seen(element, path: str, document):
    """A candidate's element as the comparison reads it: a light one viewed as the class its walk gives."""
    if isinstance(element, tuple):
        from auditor.engine.codegen import _element_types
        from auditor.model import Sheet

        return S.View(element, _element_types(path, Sheet)[0].__name__, document[0])
    return element


def _candidates(functions, documents, project) -> list:
    """Each document's candidates (rule, collection, position, what the element holds) and the rules over their
    budget, by rule (``functions``: each a function with its rules' codes and the paths it walks, in order); or
    that a function raised or stood down there (the screen then flags every rule of the document, whichever
    function it was: the screen's functions join the model's by the part of a document they walk)."""
    out = []
    for document in documents:
        shared = SheetCache(document, project) if not isinstance(project, S.LightProject) else S._Shared(project)
        found_all, past_all, raised = [], [], None
        for function, codes, over in functions:
            try:
                found = function(document, shared)
            except Exception as exc:  # noqa: BLE001 - compared as such
                raised = ("raised", type(exc).__name__)
                break
            if found is None:
                raised = ("none",)
                break
            cands, past = found
            found_all += [(codes[c[0]], over[c[1]], c[5], _element(_seen(c[2], over[c[1]], document))) for c in cands]
            past_all += [codes[k] for k, over_budget in enumerate(past) if over_budget]
        out.append(raised or (sorted(found_all), sorted(past_all)))
    return out


def _model_functions():
    made = {}
    for rule in RULES.cross_rules:
        compiled = RULES.compiled_for(rule.code)
        made.setdefault(id(compiled), (compiled.function, compiled.codes, compiled.over))
    return list(made.values())


MODEL = _model_functions()


def _screen_functions(screen=SCREEN) -> list:
    """The screen's functions, each with its rules' codes and the paths it walks (in the order it numbers them)."""
    return [(f, tuple(r.code for r in rules), tuple(dict.fromkeys(path for r in rules for path in r.over)))
            for f, rules in zip(screen.functions, screen.rules)]


def _compare(key, members, screen=SCREEN, functions=None) -> tuple[bool, int, bool]:
    """(whether the screen passes the project, the model path's findings there, whether some e호조 row
    restates another); asserts the light candidates equal the model's, and no finding on a document
    the screen does not flag."""
    light = S.light_project(members, key)
    light_project = S.LightProject(tuple(d for e, d in zip(members, light) if e.kind == SHEET),
                                   tuple(d for e, d in zip(members, light) if e.kind == EXPORT))
    project, documents = C.project_of(members, key)
    want = _candidates(MODEL, documents, project)
    got = _candidates(functions or _screen_functions(screen if screen.rules is not None else SCREEN), light,
                      light_project)
    assert got == want
    flags = screen.flagged(members, key)
    assert len(flags) == len(documents)
    if screen is SCREEN:  # each document flagged for the groups of the rules with a candidate there, as before
        group = {code: frozenset(codes) for _, codes, _ in MODEL for code in codes}
        assert flags == [screen.every if w[0] in ("raised", "none") else
                         frozenset().union(*(group[c[0]] for c in w[0]), *(group[c] for c in w[1])) for w in want]
    found = [RULES.check_cross(d, project) for d in documents]
    assert not [f for flag, fs in zip(flags, found) if not flag for f in fs]
    # a flagged document checked by the rules fused with a flagged one alone (cross_check) has the same findings
    assert [RULES.check_cross(d, project, flag) for flag, d in zip(flags, documents) if flag] == \
        [fs for flag, fs in zip(flags, found) if flag]
    passed, findings = screen.clean(members, key), [f for fs in found for f in fs]
    assert passed == (not any(flags))
    restated = any(g.base is not None for d in _light(light) for c in d.basis.categories for g in c.groups)
    return passed, len(findings), restated


def test_the_screen_stands_for_the_builtin_cross_rules():
    assert SCREEN is not None and len(SCREEN.functions) == 3 and len(MODEL) == 7  # the summary, 결산, 산출근거
    assert sorted(code for rules in SCREEN.rules for code in (r.code for r in rules)) == \
        sorted(code for _, codes, _ in MODEL for code in codes)
    assert S.Screen.of(attrs.evolve(RULES, reference=True)) is None


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), projects=st.integers(2, 4), years=st.integers(2, 4), inject=st.booleans())
def test_the_screen_picks_the_model_paths_candidates_on_generated_books(seed, projects, years, inject):
    for key, members in _projects(seed, projects, years, inject):
        _compare(key, members)


def test_the_screen_passes_consistent_projects_and_not_faulty_ones():
    """Over a few fixed books: the screen passes consistent projects (some with 추경 rows that restate
    본예산 rows of another file), and passes none that has a finding (so the comparisons above are not
    vacuous)."""
    passed = restated = 0
    for seed in range(4):
        for key, members in _projects(seed, 4, 3, False):
            p, findings, r = _compare(key, members)
            passed, restated = passed + p, restated + (p and r)
    assert passed and restated
    failing = 0
    for seed in range(4):
        for key, members in _projects(seed, 4, 3, True):
            p, findings, _ = _compare(key, members)
            failing += findings > 0
    assert failing


HEADER = "회계연도,예산구분,세부사업명,통계목,통계목명,산출근거명,산출근거식,예산액,기정액,비교증감\n"
ORIGINAL = HEADER + """2024,본예산,청년 일자리 지원,201-01,사무관리비,Ο위원회 운영,,"3,500",0,"3,500"
2024,본예산,청년 일자리 지원,201-01,사무관리비,  ο회의 참석수당,"100,000원*10명*3회","3,000",0,"3,000"
2024,본예산,청년 일자리 지원,201-01,사무관리비,  ο다과,"10,000원*50명",500,0,500
"""
SUPPLEMENTARY = HEADER + """2024,추경1회,청년 일자리 지원,201-01,사무관리비,Ο위원회 운영,"경정 3,800,000원","3,800","3,500",300
2024,추경1회,청년 일자리 지원,201-01,사무관리비,  ο다과,"경정 800,000원",800,{previous},300
"""
SHEET_2024 = """# 청년 일자리 지원
과목구분\t2024년 예산내역
사무관리비\t○ 위원회 운영\t= 3,800천원
\t- 회의 참석수당 100,000원*10명*3회\t= 3,000천원
{snack}"""


def _one_project(*files: tuple[str, str, bool]):
    entries = [e for path, text, fragment in files
               for e in index_bytes(text.encode("utf-8"), path, fragment=fragment)]
    (key, group), = [(k, g) for k, g in group_keys(keys_of(entries, Identity())) if len(g) > 1]
    return key, sorted((entries[i] for i in group), key=C._order)


@pytest.mark.parametrize("previous, snack", [(500, "\t- 다과 16,000원*50명\t= 800천원\n"),
                                             (600, "\t- 다과 16,000원*50명\t= 800천원\n"),
                                             (500, "\t- 간식 16,000원*50명\t= 800천원\n"),
                                             (500, "")])
def test_a_row_that_restates_another_files_row_is_screened_as_the_model_checks_it(previous, snack):
    """An 추경 export that restates one ο row of the 본예산 export's Ο group: the restated row's base, and
    the row it leaves unchanged (유지세부내역, which XDOC013 matches a - line against), as the model
    path sees them; then with a wrong 기정액 (XDOC016), a - line named otherwise (XDOC013), one left out."""
    key, members = _one_project(("2024/본예산.csv", ORIGINAL, False),
                                ("2024/추경1회.csv", SUPPLEMENTARY.format(previous=previous), False),
                                ("2024/청년 일자리 지원.txt", SHEET_2024.format(snack=snack), True))
    light = _light(S.light_project(members, key))
    groups = [g for d in light for c in d.basis.categories for g in c.groups if g.base is not None]
    assert [len(g.unchanged) for g in groups] == [1] and [i.base is not None for i in groups[0].items] == [True]
    passed, findings, _ = _compare(key, members)
    assert passed == (findings == 0)


def test_a_screen_reading_a_figure_from_the_wrong_slot_is_caught(monkeypatch):
    """The comparison fails when the screen's functions read a ○ line's 금액 from its 기정액's slot (screen.LAYOUT
    broken on purpose, the functions written afresh for it)."""
    monkeypatch.setitem(S.LAYOUT, ("BasisGroup", "amount"), ("plain", 3))
    wrong = S.Screen.of(RULES)
    caught = False
    for seed in range(4):
        for key, members in _projects(seed, 3, 3, False):
            try:
                _compare(key, members, wrong)
            except AssertionError:
                caught = True
    assert caught


def test_a_screen_reading_none_for_a_figure_is_caught(monkeypatch):
    """The comparison fails when the screen's functions read a summary row's A as None (a slot that is not there:
    broken on purpose), so that they skip the rows whose A the model path checks."""
    monkeypatch.setitem(S.LAYOUT, ("SummaryRow", "previous"), ("extra", 9, None))
    assert _caught(S.Screen.of(RULES))


def _caught(screen) -> bool:
    """Whether a screen broken on purpose gives other flags or findings than the model on some project of
    faulty books."""
    caught = False
    for seed in range(4):
        for key, members in _projects(seed, 3, 3, True):
            try:
                _compare(key, members, screen)
            except AssertionError:
                caught = True
    return caught

def test_a_screen_naming_the_wrong_rules_is_caught():
    """A document is checked on the model by the rules of the functions that flagged it alone: a screen that
    names another function's rules for each function (broken on purpose) is caught on faulty books."""
    wrong = S.Screen(SCREEN.functions, SCREEN.codes[1:] + SCREEN.codes[:1])
    assert _caught(wrong)


def test_a_screen_flagging_the_wrong_group_of_a_joined_function_is_caught():
    """A candidate of a function of joined groups flags its own rule's group: a screen that flags the group of
    another of the function's rules (broken on purpose) is caught on faulty books."""
    wrong = S.Screen(SCREEN.functions, SCREEN.codes, [by[::-1] for by in SCREEN.by_rule])
    wrong.rules = SCREEN.rules
    assert _caught(wrong)


def test_a_screen_reading_values_as_the_model_does_is_caught(monkeypatch):
    """The screen's functions are generated for light documents (screencode.LightCalls): the model's own
    functions given the light classes, which read an amount's ``.exact`` and a text's ``.value`` behind a
    class test, do not stand for the rules over the light documents' plain values."""
    from auditor.source import Text, Year

    monkeypatch.setitem(S._LIGHT, Text, Text)  # let the model's namespace through _light_function
    monkeypatch.setitem(S._LIGHT, Year, Year)
    model = [S._light_function(f) for f, _, _ in MODEL]
    assert all(f is not None for f in model)
    key, members = next(_projects(0, 3, 3, False))
    with pytest.raises(AssertionError):
        _compare(key, members, S.Screen(model), [(f, codes, over) for f, (_, codes, over) in zip(model, MODEL)])


def test_the_screen_is_made_only_when_a_project_is_checked(monkeypatch):
    """Making the screen compiles the cross rules (about 0.1 s and 10 MiB at its peak): a pass whose
    documents share no project never makes it, and a pass with projects makes it once."""
    made = []
    real = S.Screen.of
    monkeypatch.setattr(S.Screen, "of", classmethod(lambda cls, ruleset: made.append(1) or real(ruleset)))
    book = generate_book(3, projects=3, years=2, inject=False)
    entries = [entry_of(s) for path, data in sorted(book.files.items()) for s in iter_sheets(data, path)]
    alone = {}
    for e in entries:  # one document of each name: no project of two
        alone.setdefault(e.name, e)
    assert len(alone) > 1
    C.cross_check(list(alone.values()), RULES)
    assert made == []
    C.cross_check(entries, RULES, Identity.from_table(book.identity))
    assert made == [1]


def _lines(documents, exports) -> list:
    """Lists of 산출근거 lines of ``documents`` as in_force() is given them: each document's groups, their
    items and unchanged rows, and those of each year's e호조 exports together (``exports``: each document's year
    when it is one, else None), as the rules give them (a light document's lines as its tuples; in a list that
    mixes lines that do not know their file, a sheet's or another year's, with restated e호조 rows the light
    in_force decides nothing: the model path does)."""
    def raw(x):
        return x.raw if isinstance(x, S.View) else x

    lists, together = [], {}
    for d, year in zip(documents, exports):
        groups = [g for c in d.basis.categories for g in c.groups]
        lists += [[raw(g) for g in groups], [raw(i) for g in groups for i in (*g.items, *g.unchanged)]]
        if year is not None:
            together.setdefault(year, []).extend(lists[-2] + lists[-1])
    return [*lists, *together.values()]


def test_the_light_in_force_keeps_the_lines_the_models_keeps():
    """``in_force()`` over light lines (screen._in_force, which reads their plain 예산구분 and places) keeps
    the lines that the model's function keeps of the model's lines, at every version, on generated projects
    and on one whose 추경 rows restate 본예산 rows of another file."""
    from auditor.engine.documents import in_force

    def kept(lines, chosen) -> list[int]:
        return [next(n for n, y in enumerate(lines) if y is x) for x in chosen]

    projects = [_one_project(("2024/본예산.csv", ORIGINAL, False),
                             ("2024/추경1회.csv", SUPPLEMENTARY.format(previous=500), False))]
    projects += [p for seed in range(3) for p in _projects(seed, 3, 3, False)]
    restated = compared = 0
    for key, members in projects:
        exports = [e.year if e.kind == EXPORT else None for e in members]
        light = _lines(_light(S.light_project(members, key)), exports)
        model = _lines(C.project_of(members, key)[1], exports)
        assert [len(x) for x in light] == [len(x) for x in model]
        for ours, theirs in zip(light, model):
            for version in (None, "본예산", "추경1회", "추경2회"):
                assert kept(ours, S._in_force(ours, version)) == kept(theirs, in_force(theirs, version))
                compared += 1
            restated += kept(theirs, in_force(theirs)) != list(range(len(theirs)))
    # a light in_force that ignored the bases would fail the comparison: some lists lose restated rows
    assert compared and restated


_KINDS = (None, "", "본예산", "당초예산", "추경1회", "제1회 추경", "추경2회", "2회추경", "추경3회", "수정예산", "기타")
_VERSIONS = (None, "본예산", "추경1회", "추경2회", "추경3회", "기타")


class _Text:
    def __init__(self, value):
        self.value = value


class _Place:
    def __init__(self, path, line):
        self.path, self.line = path, line


class _Line:  # a model line as documents.in_force reads it: budget_kind a Text, a base with a Source
    def __init__(self, kind, base, source):
        self.budget_kind = None if kind is None else _Text(kind)
        self.base = base
        self.source = source


def _light_line(group: bool, kind, place, base=None) -> tuple:
    """A light line as screen._find_bases makes one of a year whose rows restate others (its base and file)."""
    path, line = place or (None, None)
    if group:
        return ("내역", 1000, None, 0, None, kind, None, line, (), base, (), path)
    return ("세부", 1000, None, 0, None, kind, None, line, base, path)


@st.composite
def _drawn_lines(draw):
    """Light lines and the model-shaped lines they stand for: any 예산구분 (none, empty, known, unknown), some
    restating the place of another line of the list or of a line elsewhere (a base with no place too); the lines
    as the entry holds them (no base, no file) when none restates another."""
    count = draw(st.integers(0, 7))
    places = [("a.csv", n + 1) for n in range(count)]
    light, model = [], []
    for n in range(count):
        kind = draw(st.sampled_from(_KINDS))
        restated = draw(st.sampled_from([None, "none", "elsewhere", *range(count)]))
        group = draw(st.booleans())
        base = light_base = None
        if restated is not None:
            place = (None if restated == "none" else ("b.csv", 9) if restated == "elsewhere" else places[restated])
            light_base = _light_line(True, None, place)
            base = _Line(None, None, None if place is None else _Place(*place))
        light.append(_light_line(group, kind, places[n], light_base))
        model.append(_Line(kind, base, _Place(*places[n])))
    if all(x[-3 if len(x) == 12 else -2] is None for x in light) and draw(st.booleans()):
        light = [x[:9] if len(x) == 12 else x[:8] for x in light]  # as the entry holds them
    return light, model


@settings(max_examples=300, deadline=None)
@given(lines=_drawn_lines(), version=st.sampled_from(_VERSIONS), as_tuple=st.booleans())
def test_the_light_in_force_keeps_the_models_lines_on_drawn_lines(lines, version, as_tuple):
    """The light ``in_force()`` (a version's lookup of each 예산구분, :class:`screen._InForce`) keeps the lines
    the model's keeps, in order, for any 예산구분 and version, with restated lines of the list or elsewhere;
    asked twice, so the second answer comes from the remembered lookup."""
    from auditor.engine.documents import in_force

    light, model = lines
    expected = [model.index(x) for x in in_force(model, version)]
    for _ in range(2):
        got = S._in_force(tuple(light) if as_tuple else light, version)
        assert [next(n for n, y in enumerate(light) if y is x) for x in got] == expected


def _places(documents, place) -> list:
    return [place(x.source) for d in documents for c in d.basis.categories
            for x in (c, *(y for g in c.groups for y in (g, *g.items, *g.unchanged)))] + \
        [place(r.source) for d in documents for r in d.settlement.rows]


def test_the_light_lines_are_where_the_models_are(monkeypatch):
    """A light line's place is a plain ``(path, line)`` tuple (read by ``in_force`` against a restated row's
    base and by ``file()``): equal, line by line, to the model's Source's path and line on generated projects
    and on one whose 추경 rows restate another file's; places that lost their line are caught."""
    def compared() -> bool:
        projects = [_one_project(("2024/본예산.csv", ORIGINAL, False),
                                 ("2024/추경1회.csv", SUPPLEMENTARY.format(previous=500), False))]
        projects += [p for seed in range(3) for p in _projects(seed, 3, 3, False)]
        for key, members in projects:
            light = _places(_light(S.light_project(members, key)), lambda s: s and (s.__class__, s[0], s[1]))
            model = _places(C.project_of(members, key)[1], lambda s: s and (tuple, s.path, s.line))
            assert len(light) == len(model) > 0
            if light != model:
                return False
        return True

    assert compared()
    place = S._place
    monkeypatch.setattr(S, "_place", lambda x: None if place(x) is None else (place(x)[0], 0))  # lines lose theirs
    assert not compared()


def _whole(documents, place) -> list:
    """All that the generated code may read of ``documents``, light or model, as plain values: the sheet's
    title and year, the summary and settlement rows, the categories, and every 산출근거 line with its
    place and formula, its base (with the base's own lines and places) and the rows it leaves unchanged;
    a base reached twice is the same object both times (``in`` compares rows by identity)."""
    def line(x, depth=0):
        if x is None:
            return None
        out = (_element(x, 3), place(x.source), _plain("formula", x.formula),
               tuple(line(i, depth + 1) for i in getattr(x, "items", ())))
        if depth < 3:
            out += (line(x.base, depth + 1), tuple(line(u, depth + 1) for u in getattr(x, "unchanged", ())))
        return out

    def row(r):
        return None if r is None else (_plain("item", r.item), _plain("previous", r.previous),
                                       _plain("current", r.current))

    bases: dict[int, list] = {}
    whole = []
    for d in documents:
        s = d.summary
        whole.append((_plain("title", d.title), _plain("year", d.budget_year), _plain("year", s.previous_year),
                      _plain("year", s.current_year), row(s.total), tuple(row(r) for r in s.rows)))
        whole.append(tuple((_plain("year", r.year), place(r.source),
                            tuple(_plain("amount", getattr(r, c)) for c in S._COLUMNS))
                           for r in d.settlement.rows))
        for c in d.basis.categories:
            whole.append((_plain("name", c.name), _plain("code", c.code), _plain("project", c.project),
                          _plain("department", c.department), place(c.source)))
            for g in c.groups:
                whole.append(line(g))
                for x in (g, *g.items):
                    if x.base is not None:  # (a light base's own tuple: its views are made at each read)
                        base = x.base.raw if isinstance(x.base, S.View) else x.base
                        bases.setdefault(id(base), []).append(len(whole))
    # which lines share one base object: the same lines on both sides
    return whole + [sorted(sorted(v) for v in bases.values())]


def _light_and_model(key, members):
    light = _whole(_light(S.light_project(members, key)), lambda s: s and (s[0], s[1]))
    model = _whole(C.project_of(members, key)[1], lambda s: s and (s.path, s.line))
    return light, model


def _restating_projects():
    projects = [_one_project(("2024/본예산.csv", ORIGINAL, False),
                             ("2024/추경1회.csv", SUPPLEMENTARY.format(previous=previous), False),
                             ("2024/청년 일자리 지원.txt", SHEET_2024.format(snack=snack), True))
                for previous, snack in ((500, "\t- 다과 16,000원*50명\t= 800천원\n"), (600, ""))]
    return projects + [p for seed in range(4) for p in _projects(seed, 4, 3, False)]


def test_the_kinds_gathered_are_every_line_kind_of_the_exports():
    """``_kinds`` gathers the 예산구분 of every 산출근거 line, groups and items (which ``_restating`` reads to decide
    whether a year's bases are looked for), as a walk of the documents finds them; an item of a later version
    under a group of the original budget counts."""
    from auditor.crossdoc.index import screen_data

    for key, members in _restating_projects():
        for document in S.light_project(members, key):
            assert S._kinds([document]) == {x.budget_kind for c in S.View(document).basis.categories
                                            for g in c.groups for x in (g, *g.items)}
    data = screen_data(_restating_projects()[0][1][1])
    lines = data[7][3][0][9]
    first = list(lines[0])
    first[8] = tuple((*x[:5], "추경1회", *x[6:]) for x in first[8]) or (("품목", 1, None, None, None, "추경1회", None, 9),)
    first[5] = None
    changed = (*data[:7], (*data[7][:3], ((*data[7][3][0][:9], (tuple(first), *lines[1:])), *data[7][3][1:])))
    kinds = S._kinds([("x.csv", None, None, *changed[5:])])
    assert "추경1회" in kinds and S._restating(kinds)


def test_the_light_documents_are_the_rebuilt_ones_bases_included():
    """Each light document holds what the rebuilt model document holds (the values the generated code
    reads, every line's place), and each e호조 row that restates an earlier version has the same base
    (found on the light groups, screen._find_bases, as the version index finds it on the model's), the
    same unchanged rows and its items the same bases, on generated books and on an 추경 export restating
    another file's rows."""
    restated = 0
    for key, members in _restating_projects():
        light, model = _light_and_model(key, members)
        assert light == model
        restated += bool(light[-1])
    assert restated >= 2


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), projects=st.integers(2, 4), years=st.integers(2, 4), inject=st.booleans())
def test_the_light_documents_are_the_rebuilt_ones_on_drawn_books(seed, projects, years, inject):
    for key, members in _projects(seed, projects, years, inject):
        light, model = _light_and_model(key, members)
        assert light == model


def _no_item_bases(found):
    def broken(members, documents, exports, year, key):
        found(members, documents, exports, year, key)
        for n in exports:  # every item made again without its base
            d = documents[n]
            categories = tuple((*c[:9], tuple((*g[:8], tuple((*i[:8], None, i[9]) if len(i) == 10 else i for i in g[8]),
                                               *g[9:]) for g in c[9])) for c in d[5][3])
            documents[n] = (*d[:5], (*d[5][:3], categories))
    return broken


@pytest.mark.parametrize("name, broken", [("_find_bases", lambda found: lambda *args: None),
                                          ("_find_bases", _no_item_bases),
                                          ("_find", lambda find: lambda *args: None),
                                          ("_original", lambda original: lambda label: True)])
def test_light_bases_found_wrong_are_caught(monkeypatch, name, broken):
    """The screen finding the bases on purpose wrong (none at all, none for the items, a row restating
    nothing, no year taken as restating) is caught by the comparison of the documents, and the screen
    then misses candidates the model path has (the restated rows' XDOC016, XDOC013's unchanged rows)."""
    monkeypatch.setattr(S, name, broken(getattr(S, name)))
    assert any(operator.ne(*_light_and_model(key, members)) for key, members in _restating_projects())
    missed = False
    for key, members in _restating_projects():
        try:
            _compare(key, members)
        except AssertionError:
            missed = True
    assert missed


_GROUPS = ("위원회 운영", "위원회", "위원회 운영비", "교육")  # labels that start with one another, as real 추경s shorten them
_ITEMS = ("회의 참석수당", "회의", "다과", "다과비")
_VERSIONS = ("본예산", "추경1회", "추경2회")


@st.composite
def _export(draw, version):
    rows = []
    for _ in range(draw(st.integers(1, 3))):
        label, amount = draw(st.sampled_from(_GROUPS)), draw(st.integers(1, 9)) * 100
        previous = 0 if version == "본예산" else draw(st.sampled_from((0, amount, amount - 50)))
        formula = draw(st.sampled_from(("", f"경정 {amount},000원"))) if version != "본예산" else ""
        rows.append((label, formula, amount, previous, False))
        for _ in range(draw(st.integers(0, 3))):
            item, figure = draw(st.sampled_from(_ITEMS)), draw(st.integers(1, 9)) * 10
            before = 0 if version == "본예산" else draw(st.sampled_from((0, figure, figure + 10)))
            rows.append((item, f"경정 {figure},000원" if before and draw(st.booleans()) else "", figure, before, True))
    return version, rows


@st.composite
def _versioned_files(draw):
    versions = draw(st.lists(st.sampled_from(_VERSIONS), min_size=2, max_size=4))
    files = []
    for n, version in enumerate(versions):
        _, rows = draw(_export(version))
        text = HEADER + "".join(
            f'2024,{version},청년 일자리 지원,201-01,사무관리비,{"  ο" if item else "Ο"}{label},"{formula}",'
            f'"{amount:,}","{previous:,}","{amount - previous:,}"\n' for label, formula, amount, previous, item in rows)
        files.append((f"2024/{n}-{version}.csv", text, False))
    return files


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files=_versioned_files())
def test_light_bases_are_the_version_indexs_on_drawn_versions(files):
    """Exports of one year in 본예산, 추경1회 and 추경2회 (in any order and number of files), groups and items
    whose labels start with one another, restating rows (기정액 not 0, or a 경정 formula) or new ones: the
    light documents' bases, unchanged rows and items' bases (screen._find_bases) are those the version index
    finds on the rebuilt model documents (a base restated again in a later 추경, the latest earlier version,
    the nearest row before, a label that starts with another), and the screen's candidates the model's."""
    key, members = _one_project(*files)
    light, model = _light_and_model(key, members)
    assert light == model
    _compare(key, members)


@pytest.mark.parametrize("line", ["\t- 회의 참석수당 100,000원*10명*3회\t= 3,000,000원\n",
                                  "\t- 회의 참석수당 100,000원*10명*3회\t= 3,000.5천원\n"])
def test_a_document_with_a_figure_not_whole_in_thousands_is_left_to_the_model(line):
    """A figure in another unit (원) or a decimal: the entry says so (PACKED_AS_WRITTEN), and the screen, which reads
    every figure as a whole number in 천원 times 1,000, leaves the project to the model path (no light documents,
    no flags); a document of whole figures in 천원 is PACKED."""
    from auditor.crossdoc.index import PACKED, PACKED_AS_WRITTEN, screen_data

    sheet = SHEET_2024.replace("\t- 회의 참석수당 100,000원*10명*3회\t= 3,000천원\n", line).format(snack="")
    assert sheet.count(line) == 1
    key, members = _one_project(("2024/본예산.csv", ORIGINAL, False), ("2024/청년 일자리 지원.txt", sheet, True))
    forms = {e.kind: screen_data(e)[0] for e in members}
    assert forms == {EXPORT: PACKED, SHEET: PACKED_AS_WRITTEN}
    assert S.light_project(members, key) is None and SCREEN.flagged(members, key) is None


@pytest.mark.parametrize("year", ["2024", True, 2024.0])
def test_a_year_that_is_not_an_int_leaves_the_project_to_the_model(monkeypatch, year):
    """The project's tables by year (screen.LightProject, read for ``사업.사업설명서[예산연도 == …]``) stand for ``==``
    only over ints: a light document whose year is anything else (a damaged entry's) is not put in one, and the
    screen leaves the project to the model path (no flags), where it never fails."""
    with pytest.raises(TypeError):
        S._by_year((("p", None, year, None, None, None),))
    key, members = _one_project(("2024/본예산.csv", ORIGINAL, False),
                                ("2024/청년 일자리 지원.txt", SHEET_2024.format(snack=""), True))
    assert SCREEN.flagged(members, key) is not None
    real = S.light_project
    monkeypatch.setattr(S, "light_project", lambda m, k, *rest: [(*d[:2], year, *d[3:]) for d in real(m, k, *rest)])
    assert SCREEN.flagged(members, key) is None
