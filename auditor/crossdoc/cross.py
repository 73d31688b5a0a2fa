"""The cross pass: index entries in, the cross rules' findings out (``cross_check``).

Entries are grouped by project identity (:mod:`auditor.crossdoc.identity`); a project with one
document has nothing to compare and is skipped. For each other project, its documents are rebuilt
as model objects from their entries (:func:`auditor.crossdoc.index.rebuild`), the bases of its e호조
rows are found across all its exports of a year with one
:class:`~auditor.readers.eho_versions.VersionIndex` (so that an 추경-only export's rows find the
본예산 rows of another file), and every rule that names ``사업`` checks each document with the
project (:meth:`auditor.engine.RuleSet.check_cross`): through the compiled fast path and the
explaining evaluator like any rule. One project's documents are made, checked and dropped before
the next project's, so memory is the index and one project.
"""

from __future__ import annotations

import bisect
import operator
from collections import defaultdict
from collections.abc import Iterable, Sequence

from auditor.collector import paused
from auditor.crossdoc.identity import Identity, Key, normal, shared_projects
from auditor.crossdoc.index import EXPORT, FORMAT, SHEET, Entry, NoDetails, Rebuilt, pack, without_details
from auditor.crossdoc.model import Project
from auditor.crossdoc.screen import Screen
from auditor.findings import Finding, number_occurrences, sheet_context
from auditor.model import Sheet
from auditor.plain import Field, Frozen, evolve, frozen
from auditor.source import draft

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["Document", "Match", "CrossResult", "cross_check", "resolve_versions", "project_of"]


_set = object.__setattr__


class Document(Frozen):
    """One document of a matched project, as the reports name it."""

    __slots__ = ("kind", "path", "line", "year", "name", "department", "account", "__weakref__")
    kind: str
    path: str
    line: int
    year: int | None
    name: str
    department: str
    account: str

    def __init__(self, kind: str, path: str, line: int, year: int | None, name: str, department: str,
                 account: str) -> None:
        _set(self, "kind", kind)
        _set(self, "path", path)
        _set(self, "line", line)
        _set(self, "year", year)
        _set(self, "name", name)
        _set(self, "department", department)
        _set(self, "account", account)

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "path": self.path, "line": self.line, "year": self.year, "name": self.name,
                "department": self.department, "account": self.account}


class Match(Frozen):
    """A project matched across documents: its key and its documents (sheets, then exports, by year)."""

    __slots__ = ("key", "documents", "__weakref__")
    key: Key
    documents: tuple[Document, ...]

    def __init__(self, key: Key, documents: tuple[Document, ...]) -> None:
        _set(self, "key", key)
        _set(self, "documents", tuple(documents))

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key.as_dict(), "documents": [d.as_dict() for d in self.documents]}


class CrossResult(Frozen):
    """The cross pass's findings (each file's numbered, all in report order) and the projects it matched."""

    __slots__ = ("findings", "projects", "__weakref__")
    findings: tuple[Finding, ...]
    projects: tuple[Match, ...]

    def __init__(self, findings: tuple[Finding, ...] = (), projects: tuple[Match, ...] = ()) -> None:
        _set(self, "findings", tuple(findings))
        _set(self, "projects", tuple(projects))

    def by_path(self) -> dict[str, list[Finding]]:
        out: dict[str, list[Finding]] = defaultdict(list)
        for f in self.findings:
            out[f.path].append(f)
        return out


#: The three are written out (auditor.plain), where attrs.frozen compiled their methods at every import;
#: tests/test_plain.py holds each to its attrs declaration.
frozen(Document, Field("kind"), Field("path"), Field("line"), Field("year"), Field("name"), Field("department"),
       Field("account"))
frozen(Match, Field("key"), Field("documents", seq=True))
frozen(CrossResult, Field("findings", default=(), seq=True), Field("projects", default=(), seq=True))
_new = object.__new__
_DocumentDraft = draft(Document)


def _document(kind: str, path: str, line: int, year: int | None, name: str, department: str,
              account: str) -> Document:
    """``Document(...)`` made the fast way (a draft filled: one for every document of a matched project);
    tests/test_plain.py holds it to the class's ``__init__``."""
    self = _new(_DocumentDraft)
    self.kind = kind
    self.path = path
    self.line = line
    self.year = year
    self.name = name
    self.department = department
    self.account = account
    self.__class__ = Document
    return self


#: The projection of a document of which nothing could be read (a damaged cache entry whose file is gone).
_EMPTY_PROJECTION = pack((FORMAT, None, None, (None, None, None, ()), (), (None, None, ())))


def _order(entry: Entry) -> tuple:
    return (entry.year if entry.year is not None else -1, entry.path, entry.line)


#: :func:`_order` where every year is known (None compared with a year raises TypeError: _order then).
_YEAR_PATH_LINE = operator.attrgetter("year", "path", "line")


def _members(entries: Sequence[Entry], group: Iterable[int]) -> list[Entry]:
    """The entries ``group`` indexes, sorted by :func:`_order`: by year, path and line read in C where every
    year is known or none is (a Python key function was a frame an entry), else by ``_order`` (a
    document without a year first)."""
    many = getattr(entries, "members", None)  # a run's Index: its rows read without __getitem__ an entry
    members = many(group) if many is not None else [entries[i] for i in group]
    try:
        members.sort(key=_YEAR_PATH_LINE)
    except TypeError:  # a year compared with None
        members = sorted(many(group) if many is not None else [entries[i] for i in group], key=_order)
    return members


def resolve_versions(exports: Sequence[Rebuilt], key: Key) -> dict[int, list[tuple[dict, list[dict]]]]:
    """The groups of each export (by its index in ``exports``) as ``(fields, item fields)``, with their
    bases (기정내역) and the items they leave unchanged (유지세부내역) found across all the project's
    exports of the same year; an export of a year whose rows restate none is left out (its rows are
    made as they were read).

    Each year's exports are fed to one unbounded :class:`VersionIndex` a document at a time, the one
    whose earliest version is earliest first (a 본예산 export before an 추경-only one), so a row finds
    the latest earlier version of its item wherever it was read. A year whose rows are all of the
    original budget has no bases to find.
    """
    from auditor.readers.eho_versions import ORIGINAL, Pending, VersionIndex, version_of

    by_year: dict[int | None, list[int]] = defaultdict(list)
    for i, e in enumerate(exports):
        by_year[e.entry.year].append(i)
    out: dict[int, list[tuple[dict, list[dict]]]] = {}
    for year, indexes in by_year.items():
        unknown: dict[str, int] = {}
        labels = set().union(*(exports[i].versions() for i in indexes))
        if all(version_of(label, unknown).rank == (ORIGINAL, 0) for label in labels):
            continue  # no row restates another: nothing to find, the rows are made as they are
        fields = {i: exports[i].group_fields() for i in indexes}
        versions = VersionIndex(window=None)
        prepared = {}
        for i in indexes:
            pending = []
            for (code, category), group, items in fields[i]:
                kind = group.get("budget_kind")
                version = version_of(kind.value if kind is not None else "본예산", unknown)
                source = group["source"]
                scope = (year, key.account, key.department, key.name, code, normal(category))
                pending.append(Pending(scope, version, source.line if source is not None else 0, group, items))
            prepared[i] = pending
        first = {i: min((p.version.rank for p in pending), default=(0, 0)) for i, pending in prepared.items()}
        for i in sorted(indexes, key=lambda i: (first[i], exports[i].path, exports[i].entry.line)):
            versions.resolve(exports[i].path, prepared[i])
        for i in indexes:
            out[i] = [(p.fields, p.items) for p in prepared[i]]
    return out


def _rebuilt(entry: Entry, repair: Any) -> Rebuilt:
    """``entry`` unpacked; one made without its details (:class:`~auditor.crossdoc.index.NoDetails`), or that the
    results cache kept damaged (ValueError), is made again by ``repair`` (the entry read afresh from its file),
    or, when it cannot be, the document is made of the values and lines its screen part holds (each at column
    1, written as its value), or, of a damaged entry, left empty."""
    try:
        return Rebuilt(entry)
    except ValueError as e:
        fresh = repair(entry) if repair is not None else None
        if fresh is not None:
            return Rebuilt(fresh)
        if isinstance(e, NoDetails):  # its values and lines, at column 1 (index.without_details)
            return Rebuilt(Entry(entry.kind, entry.path, entry.name, entry.department, entry.account, entry.year,
                                 entry.line, without_details(entry)))
        empty = Entry(entry.kind, entry.path, entry.name, entry.department, entry.account, entry.year, entry.line,
                      _EMPTY_PROJECTION)
        return Rebuilt(empty)


def project_of(entries: Sequence[Entry], key: Key, repair: Any = None) -> tuple[Project, list[Sheet]]:
    """The project of ``entries`` (one project's), and its documents in the order of ``entries``."""
    rebuilt = [_rebuilt(e, repair) for e in entries]
    exports = [r for r in rebuilt if r.entry.kind == EXPORT]
    groups = resolve_versions(exports, key) if exports else {}
    position = {id(r): n for n, r in enumerate(exports)}
    made = [r.sheet(groups.get(position[id(r)])) if r.entry.kind == EXPORT else r.sheet() for r in rebuilt]
    order = sorted(range(len(entries)), key=lambda n: _order(entries[n]))
    project = Project(sheets=[made[n] for n in order if entries[n].kind == SHEET],
                      exports=[made[n] for n in order if entries[n].kind == EXPORT])
    return project, made


def _several(entries: Sequence[Entry], paths: Any) -> dict[str, tuple[list[int], list[tuple[tuple[str, str], ...]]]]:
    """For each file of ``paths`` that holds several 사업설명서 (``auditor.readers.book``): their first lines,
    in order, and each one's finding context, as :class:`auditor.digest.Digest` gives the file's own
    findings. (Only the files with cross findings: a context for every sheet of a 10,000-sheet run was
    3 MiB, the peak of the run.)"""
    by_path: dict[str, list[tuple[int, tuple[tuple[str, str], ...]]]] = defaultdict(list)
    for e in entries:
        if e.kind == SHEET and e.path in paths:
            by_path[e.path].append((e.line, sheet_context(e.department, e.name)))
    return {path: ([line for line, _ in sorted(sheets)], [c for _, c in sorted(sheets)])
            for path, sheets in by_path.items() if len(sheets) > 1}


def _in_sheet(finding: Finding, sheets: tuple[list[int], list[tuple[tuple[str, str], ...]]]) -> Finding:
    """``finding`` with the context of the sheet its line falls in, when it has none."""
    at = bisect.bisect_right(sheets[0], finding.line) - 1
    if finding.context or at < 0 or not sheets[1][at]:
        return finding
    return evolve(finding, context=sheets[1][at])


def cross_check(entries: Iterable[Entry], ruleset: Any, identity: Identity | None = None,
                kept: Any = None, repair: Any = None) -> CrossResult:
    """Every cross rule's findings over the documents of ``entries`` (the run's index), and the
    projects matched (those of two documents or more), in order of their first document.

    ``kept`` (:class:`auditor.crossdoc.pipeline.KeptResults`) gives a project's findings from the
    results cache when none of its files changed (``get(members, key)``, else None) and keeps those
    of a project checked (``put``). ``repair(entry)`` gives an entry read again from its file, for one
    the results cache kept damaged (None when it cannot)."""
    with paused():  # a project's documents hold no cycles (auditor.collector)
        # a sequence as it is (a check run's Index makes an entry of the index's file each time it is read)
        return _cross_check(entries if isinstance(entries, Sequence) else list(entries), ruleset, identity, kept, repair)


def _cross_check(entries: Sequence[Entry], ruleset: Any, identity: Identity | None, kept: Any, repair: Any) -> CrossResult:
    rules = ruleset.cross_rules
    screen: Any = None  # made at the first project to check (compiling the cross rules: 10 MiB at its peak)
    identity = identity if identity is not None else Identity()
    projects = []
    results: list[list[Finding] | None] = []  # each project's findings, in order (None: checked below)
    checked: list[tuple[int, list[int], Key, Any]] = []  # the projects checked on the model, after the screen
    for key, group in shared_projects(entries, identity):  # a project of one document has nothing to compare
        members = _members(entries, group)
        # sheets, then exports, each in the members' order (a stable sort by kind over members in order)
        projects.append(Match(key, [_document(e.kind, e.path, e.line, e.year, e.name, e.department, e.account)
                                    for e in [*(e for e in members if e.kind == SHEET),
                                              *(e for e in members if e.kind != SHEET)]]))
        if not rules:
            continue
        here = kept.get(members, key) if kept is not None else None
        if here is None and screen is None:
            screen = Screen.of(ruleset) or False
        flags = screen.flagged(members, key) if here is None and screen else None
        if flags is not None and not any(flags):
            here = []  # every document passed the generated code whole: no finding (auditor.crossdoc.screen)
        if here is None:
            checked.append((len(results), list(group), key, flags))
        results.append(here)
    want = getattr(repair, "want", None)
    if checked and want is not None:  # the documents whose details are made again from their files: each file read once
        want(e for _, group, _, _ in checked for e in _members(entries, group))
    for at, group, key, flags in checked:
        members = _members(entries, group)
        project, documents = project_of(members, key, repair)
        # a document the screen did not flag has no finding: only the others are checked on the model,
        # each by the rules fused with one the screen flagged there (the others have no finding on it)
        here = [finding for n, document in enumerate(documents) if flags is None or flags[n]
                for finding in ruleset.check_cross(document, project, None if flags is None else flags[n])]
        if kept is not None:
            kept.put(members, key, here)
        results[at] = here
    found: dict[str, list[Finding]] = defaultdict(list)
    for here in results:
        for finding in here:  # type: ignore[union-attr]
            found[finding.path].append(finding)
    for path, sheets in (_several(entries, found) if found else {}).items():  # a file of several 사업설명서: each finding names its sheet
        found[path] = [_in_sheet(f, sheets) for f in found[path]]
    findings = [f for path in sorted(found) for f in number_occurrences(found[path])]
    return CrossResult(sorted(findings, key=Finding.sort_key), projects)
