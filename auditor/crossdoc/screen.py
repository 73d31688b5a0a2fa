"""The cross rules' screen: their generated code run over a project's documents as the index entries hold them.

The cross rules' fused functions are generated a second time for the screen
(:mod:`auditor.crossdoc.screencode`): the same walks and decisions, but each field read from the tuple that
holds it in the entry's screen part as :func:`auditor.crossdoc.index.screen_data` unmarshals it (:data:`LAYOUT`:
a text or a year as its value, a figure as its exact value in 원, its whole figure in 천원 times 1,000), and
each element's class test that it is a tuple (the model's classes are ``tuple`` in their namespace). A document
is one tuple made for it (:func:`light_project`); no object is made per row, group or item, and there is no
Source, no lazy slot, no validator and no Text or Amount stand-in.

A project whose every document gives no candidate and no rule over its step budget there has no
finding: the generated code took the same branches over the same values as it would over the
rebuilt model objects, and the explaining path only ever decides the elements the generated code
hands it. Any other project (a candidate, a value or a field the light documents do not hold,
which raises and so becomes a candidate, a document whose figures are not all whole in 천원) is rebuilt and checked as before
(:func:`auditor.crossdoc.cross.project_of`, :meth:`auditor.engine.RuleSet.check_cross`), so its
findings are made by the same code as ever. An e호조 row that restates an earlier version finds its
base among the light groups of the project's exports of its year (:func:`_find_bases`, the version
index's rules over light lines, each made again with its base), as the model path finds it among the rebuilt ones.
``tests/test_crossdoc_screen.py`` holds the screen's candidates to the model path's on generated books,
and the light documents, bases included, to the rebuilt ones.
"""

from __future__ import annotations

import functools
import types
from collections.abc import Iterable, Sequence

from auditor.crossdoc.identity import normal as _normal
from auditor.crossdoc.index import EXPORT, PACKED, SHEET, Entry, screen_data
from auditor.engine.coderuntime import UNSET
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
from auditor.source import MONEY_UNITS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["Screen"]

#: The unit an index entry leaves out (None): every figure of a document the screen reads is in it.
_UNIT = "천원"


# A light document is the screen's part of its index entry as :func:`auditor.crossdoc.index.screen_data` unmarshals
# it, read in place: the generated code reads each field from the tuple that holds it (:data:`LAYOUT`,
# :class:`auditor.crossdoc.screencode.LightCalls`), and no object is made per document, row, group or item. A
# document is one tuple made for it, ``(path, title, 예산연도, summary, 결산, 산출근거)``, the title and the year
# as their plain values and the three parts the entry's own tuples (:func:`light_project`). The e호조 lines of a
# year where some row restates another are made again with their base, the rows left unchanged and their file
# (:func:`_find_bases`: ``(*line, base, unchanged, path)`` for a ○ line, ``(*line, base, path)`` for a - line),
# so that ``in_force()`` and ``file()`` read their places; every other line has no base.

_COLUMNS = SettlementRow.COLUMNS

#: What a figure in 천원 is worth in 원: a light document's figures are whole numbers in 천원
#: (:data:`auditor.crossdoc.index.PACKED`), read as their value times this.
_SCALE = MONEY_UNITS[_UNIT]

#: Where the generated code reads each field of a light document's parts, by the model's class and field:
#: ``("plain", i)`` the tuple's item ``i`` as it is (a text's or a year's value: its line is the next item);
#: ``("self",)`` the tuple itself (a 결산 is its rows); ``("amount", i)`` the exact figure in 원 of the value in
#: 천원 at ``i`` (times :data:`_SCALE`; its unit and line the next two items in 예산 총괄 and 결산, whose units are
#: all None in a part the screen reads); ``("extra", i, default)`` a line's item ``i`` when it was made again with
#: it (:func:`_find_bases`), else ``default``. A field not named here is not read by the screen (its writer
#: refuses it: the model path decides).
LAYOUT: dict[tuple[str, str], tuple] = {
    ("Sheet", "path"): ("plain", 0), ("Sheet", "title"): ("plain", 1), ("Sheet", "budget_year"): ("plain", 2),
    ("Sheet", "summary"): ("plain", 3), ("Sheet", "settlement"): ("plain", 4), ("Sheet", "basis"): ("plain", 5),
    ("Summary", "previous_year"): ("plain", 0), ("Summary", "current_year"): ("plain", 2),
    ("Summary", "total"): ("plain", 4), ("Summary", "rows"): ("plain", 5),
    ("SummaryRow", "item"): ("plain", 0), ("SummaryRow", "previous"): ("amount", 2),
    ("SummaryRow", "current"): ("amount", 5),
    ("Settlement", "rows"): ("self",),
    ("SettlementRow", "year"): ("plain", 0),
    **{("SettlementRow", name): ("amount", 2 + 3 * n) for n, name in enumerate(_COLUMNS)},
    ("Basis", "year"): ("plain", 0), ("Basis", "categories"): ("plain", 3),
    ("BasisCategory", "name"): ("plain", 0), ("BasisCategory", "code"): ("plain", 2),
    ("BasisCategory", "project"): ("plain", 4), ("BasisCategory", "department"): ("plain", 6),
    ("BasisCategory", "groups"): ("plain", 9),
    ("BasisGroup", "label"): ("plain", 0), ("BasisGroup", "amount"): ("amount", 1),
    ("BasisGroup", "previous"): ("amount", 3), ("BasisGroup", "budget_kind"): ("plain", 5),
    ("BasisGroup", "formula"): ("plain", 6), ("BasisGroup", "items"): ("plain", 8),
    ("BasisGroup", "base"): ("extra", 9, None), ("BasisGroup", "unchanged"): ("extra", 10, ()),
    ("BasisItem", "label"): ("plain", 0), ("BasisItem", "amount"): ("amount", 1),
    ("BasisItem", "previous"): ("amount", 3), ("BasisItem", "budget_kind"): ("plain", 5),
    ("BasisItem", "formula"): ("plain", 6), ("BasisItem", "base"): ("extra", 8, None)}
#: The model's classes a light document's tuples stand for (by name, as :data:`LAYOUT` names them).
LAID_OUT = frozenset(cls for cls, _ in LAYOUT)

#: The lengths of a line's tuple: as the entry holds it, and made again with its base (:func:`_find_bases`).
_GROUP, _ITEM, _GROUP_BASED, _ITEM_BASED = 9, 8, 12, 10


def read(x: Any, cls: str, attr: str) -> Any:
    """Field ``attr`` of the light part ``x`` standing for a ``cls`` (a model class's name), as the generated code
    reads it (:data:`LAYOUT`; :class:`auditor.crossdoc.screencode.LightCalls` writes the same reads inline): for
    :func:`_has`, and for tests that compare the light documents with the rebuilt ones."""
    how = LAYOUT[cls, attr]
    kind = how[0]
    if kind == "plain":
        return x[how[1]]
    if kind == "self":
        return x
    if kind == "amount":
        v = x[how[1]]
        return None if v is None else v * _SCALE
    return x[how[1]] if len(x) > how[1] else how[2]  # extra


def _place(x: tuple) -> tuple[str, int] | None:
    """A line's place ``(path, line)`` (None when it names no line); a line that was not made again with its
    file (:func:`_find_bases`) has none to give: :class:`auditor.engine.coderuntime._Bad` (the model decides)."""
    if len(x) not in (_GROUP_BASED, _ITEM_BASED) or x[-1].__class__ is tuple:  # (a 통계목 is 10 long, its groups last)
        raise _rt._Bad
    line = x[7]
    return None if line is None else (x[-1], line)


#: Where a light document holds its 예산연도 (:data:`LAYOUT`): the key of :class:`LightProject`'s tables by year.
YEAR_OF = LAYOUT["Sheet", "budget_year"]
assert YEAR_OF[0] == "plain"


def _by_year(documents: tuple) -> dict:
    """The ``documents`` by their 예산연도 (:data:`YEAR_OF`), each year's in their order; none under None (a missing
    year equals no year). A year that is not an ``int`` (a damaged entry's) raises TypeError: the table would
    not stand for ``==`` (:meth:`Screen.flagged` then leaves the project to the model path)."""
    table: dict = {}
    i = YEAR_OF[1]
    for d in documents:
        year = d[i]
        if year is not None:
            if year.__class__ is not int:
                raise TypeError(f"a year that is not an int: {year!r}")
            if year in table:
                table[year] += (d,)
            else:
                table[year] = (d,)
    return table


class LightProject:
    """A project's light documents: its sheets and exports (each in the order :class:`auditor.crossdoc.model.Project`
    gives them), and each of the two by 예산연도 (``sheets_by_year``, ``exports_by_year``: made once per project, read
    by the generated code for a filter ``사업.사업설명서[예산연도 == …]``, :meth:`auditor.crossdoc.screencode.LightCalls._by_year`)."""

    __slots__ = ("sheets", "exports", "sheets_by_year", "exports_by_year", "prechecks", "remade")

    def __init__(self, sheets: tuple, exports: tuple) -> None:
        self.sheets, self.exports = sheets, exports
        self.sheets_by_year, self.exports_by_year = _by_year(sheets), _by_year(exports)
        #: Each unit's pre-check state for the project (:mod:`auditor.crossdoc.prescreen`: its elements, its tables).
        self.prechecks: dict = {}
        #: The ids of the documents whose lines :func:`light_project` made again with their bases (:func:`_find_bases`):
        #: every other document's lines hold no field laid out as ``extra`` (:data:`LAYOUT`) but its default.
        self.remade: set[int] | frozenset[int] = frozenset()


#: What a light document is known to hold (the entry's screen part, :func:`_find_bases`, :class:`LightProject`), by
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

#: ... and the lists whose every object is in that one list of its field in the whole document (a ○ line in one
#: 통계목's list, never in two): the first 통계목 whose list holds a ○ line is the one walked above it
#: (:meth:`auditor.engine.codewriter.Writer.enclosing`).
ONE_HOME: frozenset[tuple[str, str]] = frozenset({("BasisCategory", "groups")})


class _Shared:
    """What a fused function reads of its ``shared`` argument (:class:`auditor.engine.rule.SheetCache`)
    in the cross pass: the project and the values computed once per document. ``elements`` (the lists a
    walk the generator does not write takes) is left out: a function that needs it raises, and the
    project is checked on model objects."""

    __slots__ = ("project", "values")

    def __init__(self, project: LightProject) -> None:
        self.project, self.values = project, {}


#: The model's classes as the generated code names them, and what stands for them in a light document: the
#: tuples the entry holds (a class test of an element is then that it is a tuple: every element of a light
#: document's lists is, or None).
_LIGHT: dict[type, type] = {cls: tuple for cls in (Sheet, Summary, SummaryRow, Settlement, SettlementRow, Basis,
                                                   BasisCategory, BasisGroup, BasisItem)}
assert {cls.__name__ for cls in _LIGHT} == LAID_OUT


def _file_of(obj: Any) -> str | None:
    """``file()`` of a light document or line, as :func:`auditor.engine.documents.file_of` gives it of the
    model's: a document's path (its tuple's first item), or a line's (None when it names no line); a line made
    without its file (no base in its year: :func:`_find_bases`) or any other object is not decided here."""
    if obj.__class__ is not tuple:
        raise _rt._Bad
    if len(obj) == 6 and obj[0].__class__ is str:  # a document (path, title, year, summary, 결산, 산출근거)
        return obj[0]
    place = _place(obj)
    return None if place is None else place[0]


def _in_force(lines: Any, version: str | None = None) -> list[Any]:
    """``in_force()`` of light lines, as :func:`auditor.engine.documents.in_force` gives it of the model's
    (the same lines in the same order), in one pass: a line's version and its base are read together (the
    restated places are those of the lines kept). A line is a tuple of 9 items (a ○ line) or 8 (a - line) as
    the entry holds it, with no base, or 12 or 10 when it was made again with its base and file
    (:func:`_find_bases`); a list holding anything else, or a restated place among lines that do not know
    their file, is not decided here. Whether a line of a 예산구분 is in force at ``version`` is one lookup
    (:class:`_InForce`): most lists are of two or three lines, so the call's own steps count."""
    if lines.__class__ is not tuple and lines.__class__ is not list:  # a light document's lists are tuples
        lines = list(lines)
    restated = None
    allowed = _EVERY if version is None else _IN_FORCE.get(version)
    if allowed is None:
        allowed = _in_force_at(version)
    kept = []
    for x in lines:
        if x.__class__ is not tuple:
            raise _rt._Bad
        n = len(x)
        if n == _GROUP or n == _ITEM:
            if allowed[x[5]]:  # its 예산구분: a str or None
                kept.append(x)
            continue
        if n == _GROUP_BASED:
            base = x[9]
        elif n == _ITEM_BASED:
            base = x[8]
        else:
            raise _rt._Bad
        if allowed[x[5]]:
            kept.append(x)
            if base is not None:
                source = _place(base)
                if source is not None:
                    if restated is None:
                        restated = set()
                    restated.add(source)  # (path, line)
    if restated is None:
        return kept
    return [x for x in kept if _place(x) not in restated]  # a place is its (path, line)


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
    own = {name: value for name, value in function.__globals__.items()
           if name.startswith("__") or name == function.__name__}
    light = light_values((name, value) for name, value in function.__globals__.items() if name not in own)
    if light is None:
        return None
    light.update(own)
    return types.FunctionType(function.__code__, light, function.__name__, function.__defaults__,
                              function.__closure__)


def light_values(items: Iterable[tuple[str, Any]]) -> dict[str, Any] | None:
    """The values of a generated function's namespace as the light documents need them: a model class as the
    tuple that stands for it, a helper as its light twin (or itself, when the same); None when one of them may not
    be stood for (another class of the model, another helper). For the fused functions (:func:`_light_function`)
    and the pre-checks (:func:`auditor.crossdoc.prescreen.compile_precheck`)."""
    light: dict[str, Any] = {}
    for name, value in items:
        if isinstance(value, type):
            light[name] = _LIGHT.get(value, value)
            if value not in _LIGHT and value.__module__ in ("auditor.model", "auditor.source", "auditor.crossdoc.model"):
                return None
        elif callable(value):
            if value in _LIGHT_HELPERS:
                light[name] = _LIGHT_HELPERS[value]
            elif value in _SAME:
                light[name] = value
            else:
                return None
        else:
            light[name] = value
    return light


def _has(owner: Any, steps: Sequence[tuple[str, str, bool]]) -> bool:
    """Whether a light document has an element under the path ``steps`` (each the owner's class name, the field
    and whether it is a list), absent objects skipped, as :func:`auditor.engine.codegen.compile_probe` asks it of
    a model (and as the fused functions walk it). Read here, nothing compiled: it is asked of the first
    documents only, until each function is made."""
    cls, attr, is_list = steps[0]
    value = read(owner, cls, attr)
    rest = steps[1:]
    if value is None:
        return False
    if is_list:
        return any(x is not None and (not rest or _has(x, rest)) for x in value)
    return not rest or _has(value, rest)


def _steps(over: Sequence[str]) -> list[list[tuple[str, str, bool]]] | bool:
    """The fields that lead to each collection of ``over`` from a document (each the owner's class name, the field
    and whether it is a list), as the fused functions walk them (:func:`auditor.engine.codegen._walk`); False
    when one is not walked so (its function decides)."""
    from auditor.engine.codegen import _walk
    from auditor.engine.codewriter import Unsupported

    try:
        walked = [_walk(path, Sheet) for path in over]
    except Unsupported:
        return False
    steps = [[(owner.__name__, attr, is_list) for owner, (attr, is_list, _) in zip([Sheet, *(c for _, _, c in w)], w)]
             for w in walked]
    if any((cls, attr) not in LAYOUT for path in steps for cls, attr, _ in path):
        return False
    return steps


def _joins_of(unit: Sequence[Sequence[Any]], recognise: Any) -> tuple:
    """The joins of a unit's rules (``recognise`` of each; the rules it refuses are left to the function), each
    whose guards are the first conjuncts of its rule's ``when`` (so that a guard that is false is the rule's first
    false conjunct: the function tests no conjunct of the element before it)."""
    from auditor.crossdoc.joins import _conjuncts

    joins = []
    for rules in unit:
        for rule in rules:
            join = recognise(rule)
            if join is None:
                continue
            conjuncts = _conjuncts(rule.when) if rule.when is not None else []
            if tuple(conjuncts[:len(join.guards)]) != tuple(join.guards):
                continue
            joins.append(join)
    return tuple(joins)


def _extra_guarded(rule: Any) -> bool:
    """Whether ``rule``'s ``when`` first tests ``f != none`` of a field ``f`` that every class its paths walk lays out
    as ``extra`` with the default None (:data:`LAYOUT`: a line's base, held only by a line :func:`_find_bases` made
    again): the rule is then vacuous on every element of a document not made again (its first conjunct false)."""
    from auditor.crossdoc.joins import _conjuncts
    from auditor.engine.codegen import _walk
    from auditor.engine.codewriter import Unsupported, field_of

    if rule.when is None:
        return False
    first = _conjuncts(rule.when)[0]
    if first[0] != "bin" or first[1] != "!=" or first[2][0] != "tname" or first[3] != ("const", None):
        return False
    try:
        for path in rule.over:
            cls = _walk(path, Sheet)[-1][2]
            how = LAYOUT.get((cls.__name__, field_of(frozenset({cls}), first[2][1]).attr))
            if how is None or how[0::2] != ("extra", None):
                return False
    except (Unsupported, ValueError):
        return False
    return True


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
        #: The units (the first functions); past them, each unit's *residual* function (its rules no pre-check
        #: proves), made when first needed as the others are.
        self._units = len(self._functions)
        #: Each unit's pre-check (:mod:`auditor.crossdoc.prescreen`): UNSET until first needed, None when none of
        #: its rules is a join (or the screen's pre-checks are off); and its residual function's number (None: the
        #: pre-check proves every rule of the unit).
        self._prechecks: list[Any] = [None] * self._units
        self._residual: list[int | None] = [None] * self._units
        #: Whether unit ``n``'s residual function is vacuous on a document not made again with bases (each of its
        #: rules' ``when`` first tests a field laid out as ``extra`` against none: :func:`_extra_guarded`), and each
        #: of its elements was found a tuple by the pre-check's walk (its paths are the pre-check's).
        self._extra_only: list[bool] = [False] * self._units

    @classmethod
    def of(cls, ruleset: Any, prechecks: bool = True, recognise: Any = None) -> Screen | None:
        """The screen of ``ruleset``'s cross rules (their functions generated for light documents,
        :mod:`auditor.crossdoc.screencode`, each when first needed), or None when it cannot stand for them
        (the reference engine asked for). With ``prechecks`` (the default), each unit whose rules include joins
        (``recognise``: :func:`auditor.crossdoc.joins.recognise`) is screened first by their pre-check
        (:meth:`precheck`): where it proves a document, only the unit's other rules (its residual function) run
        there; with False, the screen is as it was without them."""
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
        if prechecks:
            if recognise is None:
                from auditor.crossdoc.joins import recognise
            for n, unit in enumerate(units):
                joins = _joins_of(unit, recognise)
                if joins:
                    screen._prechecks[n] = UNSET
                    screen._make[n].append(joins)
        return screen

    def precheck(self, n: int) -> Any:
        """Unit ``n``'s pre-check (:func:`auditor.crossdoc.prescreen.compile_precheck` of its rules' joins; made now if
        it was not), or None when none of its rules is a join. Its residual function (the unit's rules it does not
        prove, fused as :func:`auditor.crossdoc.screencode.compile_light` fuses them, each flagging its own group's
        codes) is made when first needed."""
        found = self._prechecks[n]
        if found is not UNSET:
            return found
        from auditor.crossdoc.prescreen import compile_precheck

        rules, vocab = self._make[n][0], self._make[n][1]
        precheck = compile_precheck(self._make[n][3], vocab)
        if not precheck.codes:
            self._prechecks[n] = None
            return None
        by_rule = self.by_rule[n]
        groups = {r.code: (self.codes[n] if by_rule is None else by_rule[k]) for k, r in enumerate(rules)}
        residual = tuple(r for r in rules if r.code not in precheck.codes)
        walked = {j.over for j in precheck.joins}
        self._extra_only[n] = bool(residual) and all(_extra_guarded(r) and set(r.over) <= walked for r in residual)
        if residual:
            m = self._residual[n] = len(self._functions)
            self._functions.append(None)
            self.codes += (frozenset(r.code for r in residual),)
            self.by_rule += (tuple(groups[r.code] for r in residual),)
            self._make.append([residual, vocab, None])
        self._prechecks[n] = precheck
        return precheck

    @property
    def functions(self) -> tuple[Any, ...]:
        """Every function of the screen, made now if it was not (None when one cannot be written)."""
        for n in range(self._units):
            if self._functions[n] is None and self._made(n) is None:
                return None  # type: ignore[return-value]
        return tuple(self._functions[:self._units])

    def _made(self, n: int) -> Any:
        """Function ``n`` written and compiled for light documents (None when it cannot be)."""
        from auditor.crossdoc.screencode import compile_light

        rules, vocab = self._make[n][0], self._make[n][1]
        compiled = compile_light(rules, vocab)
        if compiled.unsupported:
            return None  # a part the generator does not write: its elements are always explained
        light = _light_function(compiled.function)
        if light is not None:
            self._functions[n] = light
            if len(self._make[n]) == 3:  # (a unit with joins keeps them for its pre-check)
                self._make[n] = None
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
        remade: set[int] = set()
        documents = light_project(members, key, remade)
        if documents is None:
            return None
        try:
            project = LightProject(tuple(doc for e, doc in zip(members, documents) if e.kind == SHEET),
                                   tuple(doc for e, doc in zip(members, documents) if e.kind == EXPORT))
            project.remade = remade
        except TypeError:  # a year that is not a number (screen._by_year): the model path checks the project
            return None
        shared = _Shared(project)  # one for the project, its values made afresh for each document
        try:
            return [self._flagged(document, shared) for document in documents]
        except _Down:
            return None

    def _flagged(self, document: tuple, shared: _Shared) -> frozenset[str]:
        shared.values = {}  # the values once per document are this document's
        flagged: frozenset[str] = _UNFLAGGED
        functions, prechecks = self._functions, self._prechecks
        for n in range(self._units):
            function = functions[n]
            if function is None:
                function = self._needed(n, document, shared)
                if function is None:
                    continue  # no element under its collections: no candidate, no step (as on the model)
            precheck = prechecks[n]
            if precheck is not None:
                if precheck is UNSET:
                    precheck = self.precheck(n)
                if precheck is not None and precheck(document, shared):
                    # its joins proven to give no candidate and no overrun: the unit's other rules alone decide
                    if self._extra_only[n] and id(document) not in shared.project.remade:
                        continue  # (each of those rules is vacuous on a line not made again with its base)
                    n = self._residual[n]
                    if n is None:
                        continue
                    function = functions[n]
                    if function is None:
                        function = self._needed(n, document, shared)
                        if function is None:
                            continue
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


def light_project(members: Sequence[Entry], key: Any, remade: set[int] | None = None) -> list[tuple] | None:
    """The light documents of ``members`` (one project's entries, in order), as
    :func:`auditor.crossdoc.cross.project_of` makes the model's: each the entry's screen part read in place
    (``(path, title, 예산연도, summary, 결산, 산출근거)``: :data:`LAYOUT`), an e호조 unit's lines made again with the
    bases and unchanged rows found across the project's exports of a year where some row restates another
    (:func:`_find_bases`); None when an entry cannot be read (a damaged one the results cache kept: the model path
    reads it again)."""
    try:
        data = [screen_data(e) for e in members]
    except ValueError:
        return None
    documents = []
    by_year: dict[int | None, list[int]] = {}
    n = -1
    for e in members:
        n += 1
        form, title, _, year, _, summary, settlement, basis = data[n]
        if form != PACKED:  # a figure in another unit or not whole (PACKED_AS_WRITTEN): the model path checks it
            return None
        documents.append((e.path, title, year, summary, settlement, basis))
        if e.kind == EXPORT:
            if e.year in by_year:
                by_year[e.year].append(n)
            else:
                by_year[e.year] = [n]
    # Bases are found across the exports of a year, and only in a year where some row restates another.
    for year, exports in by_year.items():
        if _restating(_kinds([documents[n] for n in exports])):
            _find_bases(members, documents, exports, year, key)
            if remade is not None:  # (the documents whose lines were made again, with their bases)
                remade.update(id(documents[n]) for n in exports)
    return documents


def _kinds(documents: Sequence[tuple]) -> set[str | None]:
    """The 예산구분 of every 산출근거 line of the light ``documents`` (None where a line names none), for
    :func:`_restating`."""
    return {x[5] for d in documents for c in d[5][3] for g in c[9] for x in (g, *g[8])}


class _Kept:
    """A light group kept as a base for later rows, as :class:`auditor.readers.eho_versions.VersionIndex`
    keeps a model group (``_Kept`` there): its version's rank, file and line, and the group as a base
    (:meth:`group`) made from it when a later row first takes it."""

    __slots__ = ("rank", "path", "line", "line_of", "superseded", "_key", "_group")

    def __init__(self, rank: tuple[int, int], path: str, line: int, line_of: tuple) -> None:
        self.rank, self.path, self.line, self.line_of = rank, path, line, line_of
        self.superseded: tuple[int, int] | None = None
        self._key: str | None = None
        self._group: tuple | None = None

    @property
    def key(self) -> str:
        if self._key is None:
            self._key = _label_key(self.line_of[0])
        return self._key

    def group(self) -> tuple:
        """The group as a base, as ``VersionIndex`` makes it of the model's: its label, amount, 예산구분 and
        the rows it left unchanged, its items' label, amount, 예산구분 and place (no 기정액, no formula, no
        base of their own), every place in the group's file. The same object each time it is taken."""
        if self._group is None:
            x, path, line = self.line_of, self.path, self.line
            items = tuple([(i[0], i[1], i[2], None, None, i[5], None, line if i[7] is None else i[7], None, path)
                           for i in x[8]])
            self._group = (x[0], x[1], x[2], None, None, x[5], None, line, items, None, x[10], path)
        return self._group


def _find_bases(members: Sequence[Entry], documents: list[tuple], exports: Sequence[int], year: int | None,
                key: Any) -> None:
    """Each group's base (기정내역) and the rows it leaves unchanged (유지세부내역), and each item's base,
    found for the light documents ``documents[n]`` of ``exports`` (one project's exports of ``year``, in
    order), as :func:`auditor.crossdoc.cross.resolve_versions` and :meth:`~auditor.readers.eho_versions.VersionIndex.resolve`
    find them on model objects: the same groups in the same order, the same rules (the latest earlier
    version of the same label, else the only one whose label starts with it or that it starts with; an
    item by :func:`~auditor.readers.eho_versions._match`), each base a group as that index makes it. Every
    line of those documents is made again with its base and file (:data:`_GROUP_BASED`, :data:`_ITEM_BASED`),
    and each document with its lines."""
    normal, ORIGINAL, _match, is_change, label_key, version_of = (_normal, _ORIGINAL, _versions_match, _is_change,
                                                                   _label_key, _version_of)
    unknown: dict[str, int] = {}
    ranks: dict[str | None, tuple[int, int]] = {}  # each label's version once (a label's rank never changes)
    prepared = []
    made: dict[int, list[list[Any]]] = {}  # each export's groups, category by category, as they are made again
    for n in exports:
        pending = []
        groups = made[n] = []
        for c in documents[n][5][3]:
            name, code = c[0], c[2]
            scope = (year, key.account, key.department, key.name, "" if code is None else code,
                     normal("" if name is None else name))
            lines = list(c[9])
            groups.append(lines)
            for g in range(len(lines)):
                kind = lines[g][5]
                rank = ranks.get(kind)
                if rank is None:
                    rank = ranks[kind] = version_of("본예산" if kind is None else kind, unknown).rank
                line = lines[g][7]
                pending.append((scope, rank, 0 if line is None else line, lines, g))
        prepared.append((members[n], n, pending))
    scopes: dict[tuple, list[_Kept]] = {}
    first = [min((p[1] for p in pending), default=(0, 0)) for _, _, pending in prepared]
    for m in sorted(range(len(prepared)), key=lambda m: (first[m], prepared[m][0].path, prepared[m][0].line)):
        entry, n, pending = prepared[m]
        path = documents[n][0]
        for scope, rank, line, lines, at in sorted(pending, key=lambda p: (p[1], p[2])):
            g = lines[at]
            base = None
            if rank > (ORIGINAL, 0) and is_change(g[3], g[6]):
                kept = _find(scopes.get(scope, ()), rank, path, line, label_key(g[0]))
                if kept is not None:
                    kept.superseded = rank
                    base = kept.group()
            unchanged: tuple = ()
            if base is not None and g[8]:
                whole = [*base[8], *base[10]]
                taken: set[int] = set()
                items = []
                for item in g[8]:
                    found = None
                    if is_change(item[3], item[6]):
                        at_ = _match([label_key(i[0]) for i in whole], label_key(item[0]), taken)
                        if at_ is not None:
                            taken.add(at_)
                            found = whole[at_]
                    items.append((*item, found, path))
                unchanged = tuple([i for k, i in enumerate(whole) if k not in taken])
            else:
                items = [(*item, None, path) for item in g[8]]
            g = lines[at] = (*g[:8], tuple(items), base, unchanged, path)
            scopes.setdefault(scope, []).append(_Kept(rank, path, line, g))
    for n, groups in made.items():
        document = documents[n]
        basis = document[5]
        categories = tuple([(*c[:9], tuple(lines)) for c, lines in zip(basis[3], groups)])
        documents[n] = (*document[:5], (*basis[:3], categories))


def _find(kept: Iterable[_Kept], rank: tuple[int, int], path: str, line: int, key: str) -> _Kept | None:
    """The base of a row among the groups kept in its scope, as ``VersionIndex._find`` chooses it (the
    same function: :func:`auditor.readers.eho_versions.choose_base`)."""
    return _choose_base(kept, rank, path, line, key)


def _restating(kinds: set[str | None]) -> bool:
    """Does one of ``kinds`` (the 예산구분 named by the rows of a year's exports, None where a row names none)
    name a version other than the original budget (so that :func:`~auditor.crossdoc.cross.resolve_versions`
    may find bases for it)? The kinds are gathered from the lines of a year's exports (:func:`light_project`)."""
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


#: What each field of :data:`LAYOUT` that holds a document's part holds (by the model's class name), and which
#: of them are lists of such parts: for :class:`View`.
_PARTS_OF = {("Sheet", "summary"): "Summary", ("Sheet", "settlement"): "Settlement", ("Sheet", "basis"): "Basis",
             ("Summary", "total"): "SummaryRow", ("Summary", "rows"): "SummaryRow",
             ("Settlement", "rows"): "SettlementRow", ("Basis", "categories"): "BasisCategory",
             ("BasisCategory", "groups"): "BasisGroup", ("BasisGroup", "items"): "BasisItem",
             ("BasisGroup", "base"): "BasisGroup", ("BasisGroup", "unchanged"): "BasisItem",
             ("BasisItem", "base"): "BasisItem"}
_LISTS_OF = frozenset({("Summary", "rows"), ("Settlement", "rows"), ("Basis", "categories"),
                       ("BasisCategory", "groups"), ("BasisGroup", "items"), ("BasisGroup", "unchanged")})
#: Where a part that names its line holds it: a 산출근거 line's, a 통계목's or a 결산 row's line.
_LINE_AT = {"BasisGroup": 7, "BasisItem": 7, "BasisCategory": 8, "SettlementRow": 3 + 3 * len(_COLUMNS) - 1}


class View:
    """A light document or part read by the model's field names (:func:`read`; a part a field holds viewed in
    turn), and a line's, 통계목's or 결산 row's ``source`` as ``(path, line)``: what the tests compare with the
    rebuilt model documents. Not used by the screen, whose functions read the tuples themselves."""

    __slots__ = ("raw", "cls", "path")

    def __init__(self, raw: tuple, cls: str = "Sheet", path: str | None = None) -> None:
        self.raw, self.cls, self.path = raw, cls, raw[0] if path is None and cls == "Sheet" else path

    def __getattr__(self, attr: str) -> Any:
        if attr == "source" and self.cls in _LINE_AT:
            if self.cls in ("BasisGroup", "BasisItem") and len(self.raw) in (_GROUP_BASED, _ITEM_BASED):
                return _place(self.raw)
            line = self.raw[_LINE_AT[self.cls]]
            return None if line is None else (self.path, line)
        if (self.cls, attr) not in LAYOUT:
            raise AttributeError(attr)
        value = read(self.raw, self.cls, attr)
        part = _PARTS_OF.get((self.cls, attr))
        if part is None or value is None:
            return value
        if (self.cls, attr) in _LISTS_OF:
            return tuple([None if x is None else View(x, part, self.path) for x in value])
        return View(value, part, value[-1] if len(value) in (_GROUP_BASED, _ITEM_BASED) else self.path)
