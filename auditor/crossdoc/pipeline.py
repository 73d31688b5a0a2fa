"""The cross pass inside ``auditor check``: index entries taken as files are checked, the cross rules run once all are.

A run (:class:`auditor.pipeline.Run`) holds one :class:`CrossPass` when some selected rule names
``사업``. The runner gives each checked file its documents' index entries (``CheckedFile.index``);
:meth:`CrossPass.take` keeps them (and gives back the file without them), whichever process checked
it. Once every file is checked, :meth:`CrossPass.run` runs the cross rules over the index
(:func:`auditor.crossdoc.cross.cross_check`); the run admits their findings as it admits a file's
(selection, per-file ignores, baseline) and :func:`with_lines` gives the reports the lines around
them: a file whose kept lines lack those of a cross finding (or of the other document's related
line) has just those lines read again.
"""

from __future__ import annotations

import io
import itertools
from array import array
from collections.abc import Iterable, Iterator, Sequence

from auditor.crossdoc.cross import CrossResult, Match, cross_check
from auditor.crossdoc.identity import Identity
from auditor.crossdoc.index import EXPORT, Entry, IndexStore, has_details
from auditor.findings import Finding
from auditor.result import CONTEXT_AFTER, CONTEXT_BEFORE, CheckedFile, SparseLines
from auditor.plain import evolve
from auditor.source import draft

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["CrossPass", "Index", "KeptResults", "Reindex", "with_lines"]


class CrossPass:
    """The index of one check run, and the cross pass over it at the end."""

    def __init__(self, ruleset: Any, identity: Identity | None = None) -> None:
        self.ruleset = ruleset
        self.identity = identity if identity is not None else Identity()
        self.store = IndexStore()
        self.entries: Index = Index(self.store)
        self.result = CrossResult()

    @classmethod
    def start(cls, ruleset: Any, identity: Identity | None = None) -> CrossPass | None:
        """A cross pass for a run with ``ruleset``, or None when no selected rule is a cross rule."""
        return cls(ruleset, identity) if ruleset.cross_rules else None

    def take(self, checked: CheckedFile) -> CheckedFile:
        """Keep ``checked``'s index entries; the file as the reports hold it (without them)."""
        if not checked.index:
            return checked
        path, title = checked.path, checked.title
        for e in checked.index:  # one object for the file's and its documents' (from a worker or the cache: equal)
            if e.path == path:
                e.path = path
            if e.name == title:
                e.name = title
        self.entries.extend(self.store.keep_all(checked.index))
        return _without_index(checked)

    @property
    def projects(self) -> tuple[Match, ...]:
        """The projects matched across documents (after :meth:`run`)."""
        return self.result.projects

    def run(self, cache: Any = None, sources: dict[str, Any] | None = None) -> list[Finding]:
        """Run the cross rules over the index, once every file is checked: their findings, sorted by
        path (each file's in report order). With the run's results cache (:class:`auditor.cache.ResultsCache`),
        a project none of whose files changed takes its findings from it, and the others' are kept
        there. The details of a project checked on the model (entries are made without them), or an entry
        the cache kept that turns out damaged, are read again from its file in ``sources``
        (display path → :class:`auditor.discovery.Input`). The index is let go; :attr:`projects` is filled."""
        kept = KeptResults(cache, self.identity) if cache is not None else None
        try:
            self.result = cross_check(self.entries, self.ruleset, self.identity, kept, Reindex(sources or {}, self.store))
        finally:
            if cache is not None:
                cache.cross_end()
        self.entries = Index(self.store)
        self.store.close()
        return sorted(self.result.findings, key=Finding.sort_key)


class Index(Sequence[Entry]):
    """A run's index entries in the order taken, as the cross pass reads them (``len``, ``[i]``, iteration).

    An entry whose data its store holds in the store's file (every entry taken once the index has passed
    :attr:`IndexStore.MEMORY_BYTES`) is kept as a row of columns, not as its object, and made again each
    time it is read: the object (120 bytes, a 128-byte block) and its place in the store (an int of 32
    bytes) were about 170 bytes a document held from its file's check to the end of the run, the row is
    about 65. Entries that hold their data (until the index passes the mark) are kept as they are."""

    __slots__ = ("store", "objects", "kinds", "paths", "names", "departments", "accounts", "years", "lines",
                 "stored", "texts", "loose")

    def __init__(self, store: IndexStore) -> None:
        self.store = store
        #: The first entries, while they held their data (a store writes them out in order at the mark).
        self.objects: list[Entry] = []
        self.kinds: list[str] = []
        self.paths: list[str] = []
        self.names: list[str] = []
        self.departments: list[str] = []
        self.accounts: list[str] = []
        self.years: list[int | None] = []
        self.lines = array("q")
        self.stored = array("Q")
        self.texts = bytearray()
        #: Rows whose entry is kept as it is after all (by row): one that does not fit a row.
        self.loose: dict[int, Entry] = {}

    def extend(self, entries: Iterable[Entry]) -> None:
        for e in entries:
            if not self.kinds and e.data is not None:
                self.objects.append(e)
                continue
            row = len(self.kinds)
            fits = (e.data is None and e.store is self.store and type(e.line) is int and -1 << 63 <= e.line < 1 << 63
                    and e.stored < 1 << 64)
            self.kinds.append(e.kind)
            self.paths.append(e.path)
            self.names.append(e.name)
            self.departments.append(e.department)
            self.accounts.append(e.account)
            self.years.append(e.year)
            self.lines.append(e.line if fits else 0)
            self.stored.append(e.stored if fits else 0)
            self.texts.append(1 if e.stored_text else 0)
            if not fits:
                self.loose[row] = e

    def __len__(self) -> int:
        return len(self.objects) + len(self.kinds)

    def name_column(self) -> Iterator[str]:
        """Each entry's name, in order (:func:`auditor.crossdoc.identity.shared_projects`), read without making
        the entries again."""
        for e in self.objects:
            yield e.name
        yield from self.names

    def written(self, index: int) -> tuple[str, str, str]:
        """The name, 부서 and 회계 of entry ``index`` (0 or more) as written, read without making it again."""
        held = len(self.objects)
        if index < held:
            e = self.objects[index]
            return (e.name, e.department, e.account)
        index -= held
        return (self.names[index], self.departments[index], self.accounts[index])

    def members(self, group: Iterable[int]) -> list[Entry]:
        """The entries ``group`` indexes (each 0 or more and in range: a project's, from
        :func:`auditor.crossdoc.identity.shared_projects`), as ``[self[i] for i in group]`` reads them, without
        the call of ``__getitem__`` and its tests an entry (:func:`auditor.crossdoc.cross._members`)."""
        objects, held, row = self.objects, len(self.objects), self._row
        return [objects[i] if i < held else row(i - held) for i in group]

    def _row(self, row: int) -> Entry:
        e = self.loose.get(row) if self.loose else None
        if e is not None:
            return e
        e = Entry(self.kinds[row], self.paths[row], self.names[row], self.departments[row], self.accounts[row],
                  self.years[row], self.lines[row], None, self.texts[row] == 1)
        e.store, e.stored = self.store, self.stored[row]
        return e

    def __getitem__(self, index):  # type: ignore[override]
        if index.__class__ is int and index >= 0:  # the cross pass's reads (a project's members)
            held = len(self.objects)
            if index < held:
                return self.objects[index]
            if index - held < len(self.kinds):
                return self._row(index - held)
            raise IndexError("index entry out of range")
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        held = len(self.objects)
        if index < 0:
            index += len(self)
        if index < held:
            return self.objects[index]
        if not held <= index < len(self):
            raise IndexError("index entry out of range")
        return self._row(index - held)

    def __iter__(self) -> Iterator[Entry]:
        yield from self.objects
        row = self._row
        for n in range(len(self.kinds)):
            yield row(n)


#: CheckedFile's fields but its index, copied by :func:`_without_index` (which writes them out).
_KEPT_FIELDS = tuple(name for name in CheckedFile._names if name != "index")
if _KEPT_FIELDS != ("path", "lines", "encoding", "title", "totals", "department"):  # CheckedFile changed
    raise ImportError(f"crossdoc.pipeline._without_index copies {_KEPT_FIELDS}: write them out there")
_CheckedDraft = draft(CheckedFile)


def _without_index(checked: CheckedFile) -> CheckedFile:
    """``checked`` with no index entries: ``attrs.evolve(checked, index=())``, its fields copied as they
    are (they were checked and shared when it was made), not made again through ``__init__``: a draft
    (:func:`auditor.source.draft`) filled by plain slot stores, then made a CheckedFile."""
    new = object.__new__(_CheckedDraft)
    new.path = checked.path
    new.lines = checked.lines
    new.encoding = checked.encoding
    new.title = checked.title
    new.totals = checked.totals
    new.department = checked.department
    new.index = ()
    new.__class__ = CheckedFile
    return new


class Reindex:
    """Entries read again from their file (the reader only, no rule), with their details: ``reindex(entry)``
    is the fresh entry of the same document, or None. A check run makes every document's entry without
    its details (each value's column and text as written: :func:`auditor.crossdoc.index.entry_of`), which
    only a project the cross screen flags needs, to be rebuilt as model objects; and an entry the results
    cache kept may turn out damaged.

    Each file is read at most once a run. :meth:`want` names, before the first is asked for, the documents
    the pass will ask for (the members of every project it checks on the model): reading a file then makes
    the entries of those of its documents only (an e호조 export holds every project's units), kept in the
    run's index store (so in its temporary file past its memory mark) until the end of the pass. Without
    :meth:`want`, every document of a file read is made again."""

    def __init__(self, sources: dict[str, Any], store: IndexStore | None = None) -> None:
        self.sources = sources
        self.store = store
        #: The documents the pass will ask for, by path: (kind, first line), as entries name them.
        self.wanted: dict[str, set[tuple[str, int]]] | None = None
        self.read: dict[str, dict[tuple[str, int], Entry]] = {}
        #: The wanted e호조 units' entries (by path and first line): each read alone, checked against its entry.
        self.units: dict[tuple[str, int], Entry] = {}
        #: The wanted entries made without their details, by path: their details made from the lines they name.
        self.lean: dict[str, list[Entry]] = {}
        #: The wanted entries by path, kind and first line.
        self.named: dict[tuple[str, str, int], Entry] = {}

    def want(self, entries: Iterable[Entry]) -> None:
        """Make, when their file is read, the entries of these documents (and of those named before)."""
        wanted = self.wanted if self.wanted is not None else {}
        lean = self.lean
        for e in entries:
            at = (e.kind, e.line)
            named = wanted.setdefault(e.path, set())
            if at in named:
                continue
            named.add(at)
            self.named[(e.path, *at)] = e
            if e.kind == EXPORT:
                self.units[(e.path, e.line)] = e
            if not has_details(e):
                lean.setdefault(e.path, []).append(e)
        self.wanted = wanted

    def __call__(self, entry: Entry) -> Entry | None:
        fresh = self.read.get(entry.path)
        if fresh is None:
            fresh = self.read[entry.path] = self._fresh(entry.path)
        return fresh.get((entry.kind, entry.line))

    def _fresh(self, path: str) -> dict[tuple[str, int], Entry]:
        from auditor.crossdoc.index import entry_of, kind_and_line
        from auditor.readers import InputError, iter_sheets

        source = self.sources.get(path)
        out: dict[tuple[str, int], Entry] = {}
        if source is None:
            return out
        wanted = self.wanted.get(path, set()) if self.wanted is not None else None
        keep = self.store.keep if self.store is not None else None
        lean = self.lean.get(path)
        if wanted and lean is not None and len(lean) == len(wanted):
            made = _from_lines(source, lean)
            if made is not None:
                return {at: keep(e) if keep is not None else e for at, e in made.items()}
        if wanted and all(kind == EXPORT for kind, _ in wanted):
            alone = self._units_alone(source, sorted(line for _, line in wanted))
            if alone is not None:
                return {at: keep(e) if keep is not None else e for at, e in alone.items()}
        try:
            data = source.data if source.data is not None else source.path
            for sheet in iter_sheets(data, source.display, max_size=0):
                at = kind_and_line(sheet)
                if wanted is None or at in wanted:
                    entry = entry_of(sheet)
                    if not self._same_screen(path, at, entry):
                        continue  # the file changed since it was checked: the document is made of its screen part
                    out[at] = keep(entry) if keep is not None else entry
        except (InputError, OSError):
            pass  # the documents read so far are kept; the others are left as they are
        return out


    def _same_screen(self, path: str, at: tuple[str, int], entry: Entry) -> bool:
        """Does ``entry``, read again from its file, give the screen part of the entry the pass named (one
        the results cache kept damaged: yes, the fresh entry replaces it)? Not when the file changed
        since it was checked: its details would then not be those of the values the screen read."""
        from auditor.crossdoc.index import screen_data

        named = self.named.get((path, *at))
        if named is None:
            return True
        try:
            return screen_data(named) == screen_data(entry)
        except ValueError:
            return True

    def _units_alone(self, source: Any, lines: list[int]) -> dict[tuple[str, int], Entry] | None:
        """The entries of an e호조 export's units that start at ``lines`` (sorted), their rows read alone (an
        export holds every project's units, and reading one again whole was about 320 k instructions a row);
        None when a unit read so does not give the screen's part its entry holds (the file is then read whole)."""
        from auditor.crossdoc.index import entry_of, kind_and_line, screen_data
        from auditor.readers import InputError
        from auditor.readers.eho import EhoReader
        from auditor.readers.lines import LineStream
        from auditor.readers.opening import open_regular
        from auditor.readers.units import is_eho

        try:
            raw = io.BytesIO(source.data) if source.data is not None else open_regular(source.path, source.display)
            with raw:
                first = raw.readline()
                if not is_eho(first, source.display):
                    return None
                if first and not first.endswith(b"\n"):
                    first += raw.readline()
                stream = LineStream(raw, first)
                texts = list(stream)
        except (InputError, OSError):
            return None
        # one reader over the header's lines and the first record (the file's 회계연도 is read on it: every
        # unit's 예산연도 names its line), then each unit's rows, from its first to its last (its entry's last
        # line) and a line or two more (a record may run over lines), by their numbers; a unit not wanted
        # (the first record's, or one begun by those few lines) is made and left
        ends, screens = [], {}
        for start in lines:
            kept = self.units.get((source.display, start))
            if kept is None or not 2 < start <= len(texts):
                return None
            try:
                screens[start] = screen = screen_data(kept)
            except ValueError:  # an entry the results cache kept damaged: the file is read whole
                return None
            ends.append(_last_line(screen, start) + 1 + _SLACK)
        ranges = []
        for n, start in enumerate(lines):
            end = min(ends[n], lines[n + 1] if n + 1 < len(lines) else ends[n], len(texts) + 1)
            ranges.append(range(start, end))
        head = [(n, texts[n - 1]) for n in (1, 2, 3) if n < lines[0]]
        numbered = itertools.chain(head, ((n, texts[n - 1]) for r in ranges for n in r))
        wanted = set(lines)
        out: dict[tuple[str, int], Entry] = {}
        for sheet in EhoReader(source.display, stream, numbered=numbered):
            kind, line = kind_and_line(sheet)
            if kind == EXPORT and line in wanted:
                made = entry_of(sheet)
                if screen_data(made) != screens[line]:
                    return None
                out[(EXPORT, line)] = made
        return out if len(out) == len(wanted) else None


def _from_lines(source: Any, entries: list[Entry]) -> dict[tuple[str, int], Entry] | None:
    """The entries of a file's wanted documents with their details made from only the lines their screen
    parts name (:mod:`auditor.crossdoc.details`), the file read as bytes and decoded once; None when any of
    them cannot be (the file gone, not decoded cleanly, or a value not found as the reader would read it):
    the file is then read whole, or its wanted e호조 units alone, by the reader."""
    from auditor.crossdoc.details import ExportLines, sheet_details
    from auditor.readers import InputError
    from auditor.readers.decode import decode
    from auditor.readers.opening import open_regular

    try:
        if source.data is not None:
            data = source.data
        else:
            with open_regular(source.path, source.display) as raw:
                data = raw.read()
    except (InputError, OSError):
        return None
    decoded = decode(data)
    if decoded.bad_line is not None or decoded.nul or decoded.binary:
        return None
    lines = decoded.lines
    exports = None
    out: dict[tuple[str, int], Entry] = {}
    for e in entries:
        if e.kind == EXPORT:
            if exports is None:
                exports = ExportLines(source.display, lines)
            packed = exports.details(e)
        else:
            packed = sheet_details(e, lines)
        if packed is None:
            return None
        out[(e.kind, e.line)] = Entry(e.kind, e.path, e.name, e.department, e.account, e.year, e.line, packed)
    return out


#: Lines read past a unit's last line (its entry's), for a record that runs over lines.
_SLACK = 2


def _last_line(screen: tuple, first: int) -> int:
    """The last line a document's screen part names (an e호조 unit's last row), or ``first``."""
    last = first
    for category in screen[7][3]:  # (index.PACKED's layout: a 통계목's line is its item 8, its groups the last)
        at = category[8]
        if at is not None and at > last:
            last = at
        for group in category[9]:
            for line in (group, *group[8]):
                if line[7] is not None and line[7] > last:
                    last = line[7]
    return last


class KeptResults:
    """A project's cross-document findings in the results cache, by the keys of the files that hold its
    documents (:meth:`auditor.cache.ResultsCache.cross_name`), its identity and the identity mapping."""

    def __init__(self, cache: Any, identity: Identity) -> None:
        self.cache = cache
        self.mapping = repr(identity)

    def _name(self, members: Sequence[Entry], key: Any) -> str | None:
        return self.cache.cross_name((e.path for e in members), f"{self.mapping}\0{key!r}")

    def get(self, members: Sequence[Entry], key: Any) -> list[Finding] | None:
        name = self._name(members, key)
        return self.cache.cross_lookup(name) if name is not None else None

    def put(self, members: Sequence[Entry], key: Any, findings: Sequence[Finding]) -> None:
        name = self._name(members, key)
        if name is not None:
            self.cache.cross_record(name, findings)


def _around(line: int) -> range:
    return range(max(line - CONTEXT_BEFORE, 1), line + CONTEXT_AFTER + 1)


def with_lines(files: Sequence[CheckedFile], findings: Iterable[Finding], sources: dict[str, Any]) -> list[CheckedFile]:
    """``files`` with the lines around each of ``findings``' lines and related lines that they do not
    hold yet, read again from their inputs (only from the files that lack some)."""
    wanted: dict[str, set[int]] = {}
    for f in findings:
        wanted.setdefault(f.path, set()).update(_around(f.line))
        for r in f.related:
            wanted.setdefault(r.path, set()).update(_around(r.line))
    out = []
    for checked in files:
        lines = checked.lines
        numbers = wanted.get(checked.path)
        if numbers and isinstance(lines, SparseLines):
            missing = {n for n in numbers if 1 <= n <= lines.count and n not in lines.kept}
            source = sources.get(checked.path)
            if missing and source is not None:
                found = read_lines(source, missing)
                if found:
                    checked = evolve(checked, lines=SparseLines(lines.count, {**lines.kept, **found}))
        out.append(checked)
    return out


def read_lines(source: Any, numbers: set[int]) -> dict[int, str]:
    """The text of lines ``numbers`` of an input (an :class:`~auditor.discovery.Input`), decoded as its
    reader decoded it; lines it can no longer read (a file changed or gone) are left out."""
    from auditor.readers import InputError
    from auditor.readers.decode import decode
    from auditor.readers.lines import LineStream
    from auditor.readers.opening import open_regular
    from auditor.readers.units import is_eho

    try:
        raw = io.BytesIO(source.data) if source.data is not None else open_regular(source.path, source.display)
    except (InputError, OSError):
        return {}
    last = max(numbers)
    found: dict[int, str] = {}
    try:
        with raw:
            first = raw.readline()
            if is_eho(first, source.display):
                for no, text in enumerate(LineStream(raw, first), start=1):
                    if no in numbers:
                        found[no] = text
                    if no >= last:
                        break
            else:
                lines = decode(first + raw.read()).lines
                found = {n: lines[n - 1] for n in numbers if n <= len(lines)}
    except OSError:
        return found
    return found
