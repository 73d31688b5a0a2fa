"""The cross rules' screen: their generated code run over light copies of a project's documents.

The cross rules' fused functions are generated a second time for the screen
(:mod:`auditor.crossdoc.screencode`): the same walks and decisions, reading a document's attributes
and checking the classes of its elements (``e.__class__ is not _cls…``, given a namespace in which
those classes are the light ones here), but reading each text, year and amount as the plain value a
light document holds. They run over documents made straight from the index entries' figures: plain
slotted objects holding what the projection keeps (a text's value as a ``str``, a year as an ``int``,
an amount as its exact figure in 원, :attr:`~auditor.source.Amount.exact`), with no Source, no lazy
slot, no validator, no descriptor of the model's, and no Text or Amount stand-in in between.

A project whose every document gives no candidate and no rule over its step budget there has no
finding: the generated code took the same branches over the same values as it would over the
rebuilt model objects, and the explaining path only ever decides the elements the generated code
hands it. Any other project (a candidate, a value or an attribute the light objects do not hold,
which raises and so becomes a candidate) is rebuilt and checked as before
(:func:`auditor.crossdoc.cross.project_of`, :meth:`auditor.engine.RuleSet.check_cross`), so its
findings are made by the same code as ever. An e호조 row that restates an earlier version finds its
base among the light groups of the project's exports of its year (:func:`_find_bases`, the version
index's rules over light objects), as the model path finds it among the rebuilt ones.
``tests/test_crossdoc_screen.py`` holds the screen's candidates to the model path's on generated books,
and the light documents, bases included, to the rebuilt ones.
"""

from __future__ import annotations

import functools
import types
from collections.abc import Iterable, Sequence
from decimal import Decimal

from auditor.crossdoc.identity import normal as _normal
from auditor.crossdoc.index import EXPORT, SHEET, Entry, screen_data
from auditor.engine import builtins as _builtins
from auditor.engine import coderuntime as _rt
from auditor.engine import codewriter as _writer
from auditor.engine import documents as _documents
from auditor.memo import CACHE_SIZE
from auditor.model import (Basis, BasisCategory, BasisGroup, BasisItem, Settlement, SettlementRow, Sheet, Summary,
                           SummaryRow)
# (imported here, not in the functions that use them: a ``from`` import of a loaded module in a function
# costs about 8,000 instructions a call, the import machinery's AttributeError for the module's __path__)
from auditor.readers.eho_versions import ORIGINAL as _ORIGINAL
from auditor.readers.eho_versions import _match as _versions_match
from auditor.readers.eho_versions import choose_base as _choose_base
from auditor.readers.eho_versions import is_change as _is_change
from auditor.readers.eho_versions import label_key as _label_key
from auditor.readers.eho_versions import version_of as _version_of
from auditor.source import MONEY_UNITS, exact_of

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["Screen"]

#: The unit an index entry leaves out (None): most figures are in it.
_UNIT = "천원"


# The light objects have no ``__init__``: :func:`light_document` makes each by calling its class (the
# cheapest way to make a slotted object: a call of ``object.__new__`` went through its wrapper's checks,
# and an ``__init__`` is a Python frame an object) and sets its slots one statement each.


class LightRow:
    __slots__ = ("item", "previous", "current")


class LightSummary:
    __slots__ = ("previous_year", "current_year", "total", "rows")


_COLUMNS = SettlementRow.COLUMNS


#: A light line's place (``source``) is the plain tuple ``(path, line)``, its document's path and its line:
#: what ``in_force`` compares with a restated row's base's and ``file()`` reads (its first item). Only a
#: restated row's or a ``file()`` reads it, so a line keeps its path and line (``_path``, ``_line``; a
#: 통계목's or a 결산 row's ``_at``, its entry's ``(line,)``) and ``source`` makes the tuple when read
#: (a tuple made and freed for every line of every document was about 460 instructions a line).


def _line_source(x: Any) -> tuple[str, int] | None:
    line = x._line
    return None if line is None else (x._path, line)


def _set_line_source(x: Any, source: tuple[str, int] | None) -> None:
    x._path, x._line = (None, None) if source is None else source


def _at_source(x: Any) -> tuple[str, int] | None:
    at = x._at
    return None if at is None else (x._path, at[0])


def _set_at_source(x: Any, source: tuple[str, int] | None) -> None:
    x._path, x._at = (None, None) if source is None else (source[0], (source[1],))


class LightSettlementRow:
    __slots__ = ("year", *_COLUMNS, "_path", "_at")
    source = property(_at_source, _set_at_source)


class LightSettlement:
    __slots__ = ("rows",)


class LightGroup:
    """A ○ / Ο line; ``base`` and ``unchanged`` as the version index found them (an e호조 row that restates one)."""

    __slots__ = ("label", "amount", "previous", "budget_kind", "formula", "_path", "_line", "items", "base",
                 "unchanged")
    source = property(_line_source, _set_line_source)


class LightItem:
    __slots__ = ("label", "amount", "previous", "budget_kind", "formula", "_path", "_line", "base")
    source = property(_line_source, _set_line_source)


class LightCategory:
    __slots__ = ("name", "code", "project", "department", "groups", "_path", "_at")
    source = property(_at_source, _set_at_source)


class LightBasis:
    __slots__ = ("year", "categories")


class LightSheet:
    __slots__ = ("path", "title", "budget_year", "summary", "basis", "settlement")


class LightProject:
    __slots__ = ("sheets", "exports")

    def __init__(self, sheets: tuple, exports: tuple) -> None:
        self.sheets, self.exports = sheets, exports


#: What a light document is known to hold (:func:`light_document`, :func:`_find_bases`, :class:`LightProject`), by
#: the model's class and field the generated code reads (:class:`auditor.crossdoc.screencode.LightCalls` leaves out
#: the tests of None these make needless): the fields never None ...
NEVER_NONE: frozenset[tuple[str, str]] = frozenset({
    ("Sheet", "summary"), ("Sheet", "basis"), ("Sheet", "settlement"), ("Summary", "rows"), ("Settlement", "rows"),
    ("Basis", "categories"), ("BasisCategory", "groups"), ("BasisGroup", "items"), ("BasisGroup", "unchanged"),
    ("Project", "sheets"), ("Project", "exports")})
#: ... and the lists (tuples) that never hold None (a summary's rows may: a row the reader could not place).
NO_NONE_ITEMS: frozenset[tuple[str, str]] = frozenset({
    ("Settlement", "rows"), ("Basis", "categories"), ("BasisCategory", "groups"), ("BasisGroup", "items"),
    ("BasisGroup", "unchanged"), ("Project", "sheets"), ("Project", "exports")})


class _Shared:
    """What a fused function reads of its ``shared`` argument (:class:`auditor.engine.rule.SheetCache`)
    in the cross pass: the project and the values computed once per document. ``elements`` (the lists a
    walk the generator does not write takes) is left out: a function that needs it raises, and the
    project is checked on model objects."""

    __slots__ = ("project", "values")

    def __init__(self, project: LightProject) -> None:
        self.project, self.values = project, {}


#: The model's classes as the generated code names them, and their light counterparts.
_LIGHT: dict[type, type] = {Sheet: LightSheet, Summary: LightSummary, SummaryRow: LightRow, Settlement: LightSettlement,
                            SettlementRow: LightSettlementRow, Basis: LightBasis, BasisCategory: LightCategory,
                            BasisGroup: LightGroup, BasisItem: LightItem}
_LINES = (LightGroup, LightItem, LightCategory, LightSettlementRow)


def _file_of(obj: Any) -> str | None:
    """``file()`` of a light object, as :func:`auditor.engine.documents.file_of` gives it of the model's:
    a document's path, or a line's (None when it has no place); any other object is not decided here."""
    cls = obj.__class__
    if cls is LightSheet:
        return obj.path
    if cls in _LINES:
        source = obj.source
        return None if source is None else source[0]
    raise _rt._Bad


def _in_force(lines: Any, version: str | None = None) -> list[Any]:
    """``in_force()`` of light lines, as :func:`auditor.engine.documents.in_force` gives it of the model's
    (the same lines in the same order), reading their slots without ``getattr``, in one pass: a line's
    version and its base are read together (the restated places are those of the lines kept); a list
    holding anything else is given to that function. Whether a line of a 예산구분 is in force at
    ``version`` is one lookup (:class:`_InForce`): most lists are of two or three lines, so the call's own
    steps count."""
    if lines.__class__ is not tuple and lines.__class__ is not list:  # a light document's lists are tuples
        lines = list(lines)
    group, item, restated = LightGroup, LightItem, None
    allowed = _EVERY if version is None else _IN_FORCE.get(version)
    if allowed is None:
        allowed = _in_force_at(version)
    kept = []
    for x in lines:
        cls = x.__class__
        if cls is not group and cls is not item:
            return _documents.in_force(lines, version)
        if allowed[x.budget_kind]:  # a str or None
            kept.append(x)
            base = x.base
            if base is not None:
                source = base.source
                if source is not None:
                    if restated is None:
                        restated = set()
                    restated.add(source)  # (path, line)
    if restated is None:
        return kept
    return [x for x in kept if x.source not in restated]  # a place is its (path, line)


class _InForce(dict):
    """For one version, whether a line of each 예산구분 (a ``str``, or None for a line that names none) is in
    force there: ``allowed[kind]``, worked out at the first line of that kind as ``in_force()`` compares
    them (its place in the year's order no later than the version's)."""

    __slots__ = ("limit",)

    def __missing__(self, kind: str | None) -> bool:
        found = self[kind] = _rank(kind) <= self.limit
        return found


class _Every(dict):
    """Every 예산구분 in force (``in_force()`` with no version): one lookup, as :class:`_InForce`'s."""

    __slots__ = ()

    def __missing__(self, kind: str | None) -> bool:
        if len(self) >= CACHE_SIZE:  # the labels of a run are a few; any number of them is bounded
            self.clear()
        self[kind] = True
        return True


_EVERY = _Every()

#: The :class:`_InForce` of each version asked (a run names a few; emptied past CACHE_SIZE).
_IN_FORCE: dict[str, _InForce] = {}


def _in_force_at(version: str) -> _InForce:
    if len(_IN_FORCE) >= CACHE_SIZE:
        _IN_FORCE.clear()
    allowed = _IN_FORCE[version] = _InForce()
    allowed.limit = _rank(version)
    return allowed


@functools.lru_cache(maxsize=CACHE_SIZE)
def _rank(label: str | None) -> tuple[int, int]:
    """The place of a 예산구분 in the year's order, as ``in_force()`` compares it, remembered (a project's
    lines name a few labels, each read once a line by every ``in_force()``)."""
    return _documents._rank(label)


@functools.lru_cache(maxsize=CACHE_SIZE)
def _budget_version(text: str | None) -> str:
    """``budget_version()`` of a document's title, remembered (each document asks it of its title)."""
    return _documents.budget_version(text)


#: The helpers of the generated code that read model objects only as the light ones can be read,
#: or read none: the same in both namespaces.
_SAME = {_rt._bad, _rt._one_of, _rt._every, _documents.label_key, _builtins.normalize, _writer.rational, _writer.divide}
#: Those that have a light counterpart (equal results, over light objects or cheaper).
_LIGHT_HELPERS = {_documents.file_of: _file_of, _documents.in_force: _in_force,
                  _documents.budget_version: _budget_version}


def _light_function(function: Any) -> Any | None:
    """``function`` (a fused cross function) with the light classes in its namespace; None when its
    namespace holds something the light objects may not stand for."""
    light: dict[str, Any] = {}
    for name, value in function.__globals__.items():
        if name.startswith("__") or name == function.__name__:
            light[name] = value
        elif isinstance(value, type):
            light[name] = _LIGHT.get(value, value)
            if value not in _LIGHT and value.__module__ in ("auditor.model", "auditor.source", "auditor.crossdoc.model"):
                return None
        elif callable(value) and not isinstance(value, type):
            if value in _LIGHT_HELPERS:
                light[name] = _LIGHT_HELPERS[value]
            elif value in _SAME:
                light[name] = value
            else:
                return None
        else:
            light[name] = value
    return types.FunctionType(function.__code__, light, function.__name__, function.__defaults__,
                              function.__closure__)


def _has(owner: Any, steps: Sequence[str]) -> bool:
    """Whether a light document has an element under the attribute path ``steps``, absent objects skipped,
    as :func:`auditor.engine.codegen.compile_probe` asks it of a model (and as the fused functions walk it):
    a light document's lists are tuples, its other objects never are. Read here, nothing compiled: it is
    asked of the first documents only, until each function is made."""
    value = getattr(owner, steps[0])
    rest = steps[1:]
    if value is None:
        return False
    if value.__class__ is tuple or value.__class__ is list:
        return any(x is not None and (not rest or _has(x, rest)) for x in value)
    return not rest or _has(value, rest)


def _steps(over: Sequence[str]) -> list[list[str]] | bool:
    """The attributes that lead to each collection of ``over`` from a document, as the fused functions walk
    them (:func:`auditor.engine.codegen._walk`); False when one is not walked so (its function decides)."""
    from auditor.engine.codegen import _walk
    from auditor.engine.codewriter import Unsupported

    try:
        return [[attr for attr, _, _ in _walk(path, Sheet)] for path in over]
    except Unsupported:
        return False


#: No rule flagged on a document (:meth:`Screen._flagged`).
_UNFLAGGED: frozenset[str] = frozenset()


class _Down(Exception):
    """A cross rule group's function, made when first needed, cannot be written for light documents."""


class Screen:
    """The cross rules' fused functions over light documents (:meth:`clean`); made once per cross pass.
    ``codes``: the codes of each function's rules (all of them when not given).

    A screen of a rule set (:meth:`of`) makes each function when a document first has an element under
    the collections it walks (until then :func:`_has` decides, as the probe of :meth:`auditor.engine.RuleSet._run`
    decides whether to make a model function): a run over 사업설명서 sheets alone, or over e호조 exports
    alone, never writes nor compiles the functions of the collections its documents lack. A function
    that turns out not to be writable for light documents stands the screen down from that project on
    (:meth:`flagged` gives None: the model path checks it); the projects before it had no element under
    its collections, so it had no candidate there, on the model path as here."""

    def __init__(self, functions: Sequence[Any], codes: Sequence[frozenset[str]] | None = None,
                 by_rule: Sequence[tuple[frozenset[str], ...] | None] | None = None) -> None:
        self._functions = list(functions)
        self.codes = tuple(codes) if codes is not None else (frozenset({"*"}),) * len(self._functions)
        self.every = frozenset().union(*self.codes)
        #: For each function of rules of several groups (:func:`auditor.crossdoc.screencode.units_of`), the codes a
        #: candidate of its rule ``k`` flags (its group's: what the group's function alone flagged); None: all of
        #: the function's.
        self.by_rule = tuple(by_rule) if by_rule is not None else (None,) * len(self._functions)
        #: Each function's rules, in their order in it (a screen of a rule set's: :meth:`of`).
        self.rules: list[tuple[Any, ...]] | None = None
        self._make: list[Any] = [None] * len(self._functions)  # for each function not made: [rules, vocab, paths]
        self.down = False

    @classmethod
    def of(cls, ruleset: Any) -> Screen | None:
        """The screen of ``ruleset``'s cross rules (their functions generated for light documents,
        :mod:`auditor.crossdoc.screencode`, each when first needed), or None when it cannot stand for them
        (the reference engine asked for)."""
        if getattr(ruleset, "reference", False):
            return None
        from auditor.crossdoc.screencode import units_of

        ruleset = ruleset.complete()
        # the cross rules fused as the model path fuses them, those groups joined by the part of a document they walk
        units = units_of(ruleset)
        screen = cls([None] * len(units), [frozenset(r.code for rules in unit for r in rules) for unit in units],
                     [tuple(frozenset(r.code for r in rules) for rules in unit for _ in rules) for unit in units])
        screen._make = [[tuple(r for rules in unit for r in rules), ruleset.vocab, None] for unit in units]
        screen.rules = [make[0] for make in screen._make]
        return screen

    @property
    def functions(self) -> tuple[Any, ...]:
        """Every function of the screen, made now if it was not (None when one cannot be written)."""
        for n in range(len(self._functions)):
            if self._functions[n] is None and self._made(n) is None:
                return None  # type: ignore[return-value]
        return tuple(self._functions)

    def _made(self, n: int) -> Any:
        """Function ``n`` written and compiled for light documents (None when it cannot be)."""
        from auditor.crossdoc.screencode import compile_light

        rules, vocab, _ = self._make[n]
        compiled = compile_light(rules, vocab)
        if compiled.unsupported:
            return None  # a part the generator does not write: its elements are always explained
        light = _light_function(compiled.function)
        if light is not None:
            self._functions[n], self._make[n] = light, None
        return light

    def _needed(self, n: int, document: Any, shared: Any) -> Any:
        """Function ``n`` when ``document`` has an element under its collections (made now), else None;
        raises :class:`_Down` when it cannot be written for light documents."""
        make = self._make[n]
        steps = make[2]
        if steps is None:
            steps = make[2] = _steps(tuple(dict.fromkeys(path for rule in make[0] for path in rule.over)))
        try:
            needed = steps is False or any(_has(document, path) for path in steps)
        except Exception:  # what the light objects do not hold: the function decides
            needed = True
        if not needed:
            return None
        function = self._made(n)
        if function is None:
            self.down = True
            raise _Down
        return function

    def flagged(self, members: Sequence[Entry], key: Any) -> list[frozenset[str]] | None:
        """For each document of the project ``key`` of ``members`` (its entries, in the order
        :func:`auditor.crossdoc.cross.project_of` takes them), the codes of the rules whose generated
        function gives it a candidate (or a rule over its budget; every rule when one cannot decide it on
        the light objects): a document with none has no finding, and a rule fused with none of those has
        none there. None when an entry cannot be read (the model path reads it again), or when the screen
        stood down."""
        if self.down:
            return None
        documents = light_project(members, key)
        if documents is None:
            return None
        project = LightProject(tuple(doc for e, doc in zip(members, documents) if e.kind == SHEET),
                               tuple(doc for e, doc in zip(members, documents) if e.kind == EXPORT))
        shared = _Shared(project)  # one for the project, its values made afresh for each document
        try:
            return [self._flagged(document, shared) for document in documents]
        except _Down:
            return None

    def _flagged(self, document: LightSheet, shared: _Shared) -> frozenset[str]:
        shared.values = {}  # the values once per document are this document's
        flagged: frozenset[str] = _UNFLAGGED
        n = -1
        for function in self._functions:
            n += 1
            if function is None:
                function = self._needed(n, document, shared)
                if function is None:
                    continue  # no element under its collections: no candidate, no step (as on the model)
            try:
                found = function(document, shared)
            except Exception:  # what the light objects do not hold: decided on the model
                return self.every
            if found is None:
                return self.every
            if found[0] or any(found[1]):  # a candidate, or a rule over its budget
                by_rule = self.by_rule[n]
                if by_rule is None:
                    flagged |= self.codes[n]
                else:  # the group of each rule that has one
                    for k in {c[0] for c in found[0]} | {k for k, over in enumerate(found[1]) if over}:
                        flagged |= by_rule[k]
        return flagged

    def clean(self, members: Sequence[Entry], key: Any) -> bool:
        """Whether the cross rules give no finding on the project: no document of it is :meth:`flagged`."""
        flags = self.flagged(members, key)
        return flags is not None and not any(flags)


def light_project(members: Sequence[Entry], key: Any) -> list[LightSheet] | None:
    """The light documents of ``members`` (one project's entries, in order), as
    :func:`auditor.crossdoc.cross.project_of` makes the model's: an e호조 unit's rows with the bases and
    unchanged rows found across the project's exports of a year (:func:`_find_bases`); None when an entry
    cannot be read (a damaged one the results cache kept: the model path reads it again)."""
    try:
        data = [screen_data(e) for e in members]
    except ValueError:
        return None
    documents = []
    by_year: dict[int | None, list[int]] = {}
    kinds: dict[int | None, set[str | None]] = {}  # the 예산구분 the rows of each year's exports name
    for n, e in enumerate(members):
        if e.kind == EXPORT:
            year = e.year
            if year in by_year:
                by_year[year].append(n)
            else:
                by_year[year], kinds[year] = [n], set()
            documents.append(light_document(e.path, data[n], kinds[year]))
        else:
            documents.append(light_document(e.path, data[n]))
    # Bases are found across the exports of a year, and only in a year where some row restates another.
    for year, exports in by_year.items():
        if _restating(kinds[year]):
            _find_bases([(members[n], documents[n]) for n in exports], year, key)
    return documents


class _Kept:
    """A light group kept as a base for later rows, as :class:`auditor.readers.eho_versions.VersionIndex`
    keeps a model group (``_Kept`` there): its version's rank, file and line, and the group as a base
    (:meth:`group`) made from it when a later row first takes it."""

    __slots__ = ("rank", "path", "line", "line_of", "superseded", "_key", "_group")

    def __init__(self, rank: tuple[int, int], path: str, line: int, line_of: Any) -> None:
        self.rank, self.path, self.line, self.line_of = rank, path, line, line_of
        self.superseded: tuple[int, int] | None = None
        self._key: str | None = None
        self._group: LightGroup | None = None

    @property
    def key(self) -> str:
        if self._key is None:
            self._key = _label_key(self.line_of.label)
        return self._key

    def group(self) -> LightGroup:
        """The group as a base, as ``VersionIndex`` makes it of the model's: its label, amount, 예산구분 and
        the rows it left unchanged, its items' label, amount, 예산구분 and place (no 기정액, no formula, no
        base of their own), every place in the group's file. The same object each time it is taken."""
        if self._group is None:
            x, path, line = self.line_of, self.path, self.line
            base = LightGroup()
            base.label, base.amount, base.previous, base.budget_kind, base.formula = (x.label, x.amount, None,
                                                                                      x.budget_kind, None)
            base._path, base._line, base.base, base.unchanged = path, line, None, x.unchanged
            items = []
            for i in x.items:
                item = LightItem()
                item.label, item.amount, item.previous, item.budget_kind, item.formula = (i.label, i.amount, None,
                                                                                          i.budget_kind, None)
                item._path, item._line, item.base = path, line if i._line is None else i._line, None
                items.append(item)
            base.items = tuple(items)
            self._group = base
        return self._group


def _find_bases(exports: Sequence[tuple[Entry, LightSheet]], year: int | None, key: Any) -> None:
    """Each group's base (기정내역) and the rows it leaves unchanged (유지세부내역), and each item's base,
    set on the light documents of ``exports`` (one project's exports of ``year``, in order), as
    :func:`auditor.crossdoc.cross.resolve_versions` and :meth:`~auditor.readers.eho_versions.VersionIndex.resolve`
    find them on model objects: the same groups in the same order, the same rules (the latest earlier
    version of the same label, else the only one whose label starts with it or that it starts with; an
    item by :func:`~auditor.readers.eho_versions._match`), each base a group as that index makes it."""
    normal, ORIGINAL, _match, is_change, label_key, version_of = (_normal, _ORIGINAL, _versions_match, _is_change,
                                                                   _label_key, _version_of)
    unknown: dict[str, int] = {}
    ranks: dict[str | None, tuple[int, int]] = {}  # each label's version once (a label's rank never changes)
    prepared = []
    for entry, document in exports:
        pending = []
        for c in document.basis.categories:
            scope = (year, key.account, key.department, key.name, "" if c.code is None else c.code,
                     normal("" if c.name is None else c.name))
            for g in c.groups:
                kind = g.budget_kind
                rank = ranks.get(kind)
                if rank is None:
                    rank = ranks[kind] = version_of("본예산" if kind is None else kind, unknown).rank
                pending.append((scope, rank, 0 if g._line is None else g._line, g))
        prepared.append((entry, pending))
    scopes: dict[tuple, list[_Kept]] = {}
    first = [min((p[1] for p in pending), default=(0, 0)) for _, pending in prepared]
    for n in sorted(range(len(prepared)), key=lambda n: (first[n], prepared[n][0].path, prepared[n][0].line)):
        path = prepared[n][0].path
        for scope, rank, line, g in sorted(prepared[n][1], key=lambda p: (p[1], p[2])):
            base = None
            if rank > (ORIGINAL, 0) and is_change(g.previous, g.formula):
                kept = _find(scopes.get(scope, ()), rank, path, line, label_key(g.label))
                if kept is not None:
                    kept.superseded = rank
                    base = kept.group()
            if base is not None:
                g.base = base
                if g.items:
                    whole = [*base.items, *base.unchanged]
                    taken: set[int] = set()
                    for item in g.items:
                        if is_change(item.previous, item.formula):
                            at = _match([label_key(i.label) for i in whole], label_key(item.label), taken)
                            if at is not None:
                                taken.add(at)
                                item.base = whole[at]
                    g.unchanged = tuple([i for n, i in enumerate(whole) if n not in taken])
            scopes.setdefault(scope, []).append(_Kept(rank, path, line, g))


def _find(kept: Iterable[_Kept], rank: tuple[int, int], path: str, line: int, key: str) -> _Kept | None:
    """The base of a row among the groups kept in its scope, as ``VersionIndex._find`` chooses it (the
    same function: :func:`auditor.readers.eho_versions.choose_base`)."""
    return _choose_base(kept, rank, path, line, key)


def _restating(kinds: set[str | None]) -> bool:
    """Does one of ``kinds`` (the 예산구분 named by the rows of a year's exports, None where a row names none)
    name a version other than the original budget (so that :func:`~auditor.crossdoc.cross.resolve_versions`
    may find bases for it)? The kinds are gathered as the light documents are made (:func:`light_document`)."""
    for label in kinds:
        if label is not None and not _original(label):
            return True
    return False


@functools.lru_cache(maxsize=CACHE_SIZE)
def _original(label: str) -> bool:
    """Does a 예산구분 label name the original budget (본예산, 당초예산)? Remembered: a book's exports name a
    few labels, each asked for every export of every project. (A label of no known version is given a rank
    after every known one by :func:`~auditor.readers.eho_versions.version_of`, whatever order it came in:
    never the original budget's.)"""
    from auditor.readers.eho_versions import ORIGINAL, version_of

    return version_of(label).rank == (ORIGINAL, 0)


#: What a figure in the unit an entry leaves out (천원) is worth in 원.
_SCALE = MONEY_UNITS.get(_UNIT, 1)


@functools.lru_cache(maxsize=CACHE_SIZE)
def _exact(value: int | str, unit: str | None) -> Any:
    """The exact figure in 원 of an entry's ``(value, unit)`` (a unit left out is 천원; a value that is
    not whole is kept as its decimal text), as :attr:`auditor.source.Amount.exact` gives it; the light
    documents compute whole figures in 천원, most of them, inline."""
    if value is None:  # a line without its figure (light_document asks no earlier)
        return None
    unit = _UNIT if unit is None else unit
    if type(value) is int:
        return value * MONEY_UNITS.get(unit, 1)
    return exact_of(Decimal(value), unit)


def light_document(path: str, data: tuple, kinds: set[str | None] | None = None) -> LightSheet:
    """The light document of an entry's screen data (:func:`auditor.crossdoc.index.screen_data`), as
    :meth:`auditor.crossdoc.index.Rebuilt.sheet` makes the model's: the same objects in the same places,
    each holding the plain values the generated code reads (a text's value, a year's, an amount's exact
    figure); an e호조 row's base is set afterwards (:func:`_find_bases`). ``kinds``, when given, gets the
    예산구분 of every 산출근거 line (None where a line names none), for :func:`_restating`.

    Written out in one frame, in as few steps an object as it can be (a document has a few dozen objects,
    each made here once, and each step is some 50 instructions): each object made by a call of its class
    (which has no ``__init__``) and its slots set here one statement each, a line's values unpacked
    straight into its slots where they are taken as they are, a place kept as its path and line (the
    ``source`` tuple made only when read), a whole figure in 천원 scaled inline and every other (another
    unit, a decimal, None) through :func:`_exact`."""
    _, title, year, summary, settlement, basis = data
    previous_year, current_year, total, rows = summary
    scale, exact = _SCALE, _exact
    Row, Item, Group, Category, SettlementRow_ = LightRow, LightItem, LightGroup, LightCategory, LightSettlementRow

    made_rows = []
    for r in rows:
        if r is None:
            made_rows.append(None)
            continue
        x = Row()
        item, a, b, _ = r
        x.item = None if item is None else item[0]
        x.previous = a[0] * scale if a is not None and a[1] is None and a[0].__class__ is int else _figure(a)
        x.current = b[0] * scale if b is not None and b[1] is None and b[0].__class__ is int else _figure(b)
        made_rows.append(x)
    light_summary = LightSummary()
    light_summary.previous_year = None if previous_year is None else previous_year[0]
    light_summary.current_year = None if current_year is None else current_year[0]
    light_summary.rows = tuple(made_rows)
    if total is None:
        light_summary.total = None
    else:
        x = light_summary.total = Row()
        item, a, b, _ = total
        x.item = None if item is None else item[0]
        x.previous = a[0] * scale if a is not None and a[1] is None and a[0].__class__ is int else _figure(a)
        x.current = b[0] * scale if b is not None and b[1] is None and b[0].__class__ is int else _figure(b)

    settlement_rows = []
    for y, amounts, at in settlement:
        x = SettlementRow_()
        x.year = None if y is None else y[0]
        x._path = path
        x._at = at
        (x.final_budget, x.carried_in, x.adjustment, x.available, x.spent, x.carried_over, x.unspent) = [
            a[0] * scale if a is not None and a[1] is None and a[0].__class__ is int else _figure(a)
            for a in amounts]
        settlement_rows.append(x)
    light_settlement = LightSettlement()
    light_settlement.rows = tuple(settlement_rows)

    categories = []
    for name, code, project, department, at, lines in basis[2]:
        made_groups = []
        for g_label, g_value, g_unit, g_previous, g_previous_unit, g_kind, g_formula, g_line, items in lines:
            g = Group()
            g.label = g_label
            g.budget_kind = g_kind
            g.formula = g_formula
            g._path = path
            g._line = g_line
            g.base = None
            g.unchanged = ()
            g.amount = (g_value * scale if g_unit is None and g_value.__class__ is int
                        else exact(g_value, g_unit))
            g.previous = (None if g_previous is None else g_previous * scale if g_previous_unit is None
                          and g_previous.__class__ is int else exact(g_previous, g_previous_unit))
            if kinds is not None:
                kinds.add(g_kind)
            if items:
                made_items = []
                for x in items:
                    i = Item()
                    i.label, value, unit, previous, previous_unit, i.budget_kind, i.formula, i._line = x
                    i._path = path
                    i.base = None
                    i.amount = value * scale if unit is None and value.__class__ is int else exact(value, unit)
                    i.previous = (None if previous is None else previous * scale if previous_unit is None
                                  and previous.__class__ is int else exact(previous, previous_unit))
                    made_items.append(i)
                    if kinds is not None:
                        kinds.add(i.budget_kind)
                g.items = tuple(made_items)
            else:
                g.items = ()
            made_groups.append(g)
        c = Category()
        c.name = None if name is None else name[0]
        c.code = None if code is None else code[0]
        c.project = None if project is None else project[0]
        c.department = None if department is None else department[0]
        c.groups = tuple(made_groups)
        c._path = path
        c._at = at
        categories.append(c)
    light_basis = LightBasis()
    light_basis.year = None if basis[0] is None else basis[0][0]
    light_basis.categories = tuple(categories)

    sheet = LightSheet()
    sheet.path = path
    sheet.title = None if title is None else title[0]
    sheet.budget_year = None if year is None else year[0]
    sheet.summary = light_summary
    sheet.basis = light_basis
    sheet.settlement = light_settlement
    return sheet


def _figure(a: tuple | None) -> Any:
    """The exact figure in 원 of an entry's figure ``(value, unit, line)`` (None for None): the cases
    :func:`light_document` does not scale inline."""
    return None if a is None else _exact(a[0], a[1])
