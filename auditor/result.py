"""What one ``auditor check`` run produced: the input the reports render."""

from __future__ import annotations

import functools
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence

from auditor.engine.doc import Example, RuleDoc  # re-exported: the reports' view of a rule
from auditor.findings import Finding, Related, Severity
from auditor.plain import Check, Field, Frozen, evolve, frozen, validating, validators

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_set = object.__setattr__

#: Lines the ``full`` report shows around a finding's line: a check run keeps just these.
CONTEXT_BEFORE = 2
CONTEXT_AFTER = 1
#: What a check run keeps of each file's lines for the reports (see :func:`retained_lines`).
KEEP_NONE, KEEP_CONTEXT, KEEP_ALL = "none", "context", "all"


class SparseLines(Sequence[str]):
    """A file's lines of which only some are kept, by 1-based number; ``len()`` is the file's line count.

    A run over a whole budget book must not hold every line of every sheet for a report that
    shows a few lines around each finding; a line that was not kept reads as ``""``.
    """

    __slots__ = ("count", "kept")

    def __init__(self, count: int, kept: Mapping[int, str]) -> None:
        self.count = count
        #: Never changed once made (a new SparseLines is made instead): files that keep no line share one dict.
        self.kept = dict(kept) if kept else _NO_LINES

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self.count))]
        if index < 0:
            index += self.count
        if not 0 <= index < self.count:
            raise IndexError("line index out of range")
        return self.kept.get(index + 1, "")

    def __iter__(self) -> Iterator[str]:
        return (self.kept.get(n, "") for n in range(1, self.count + 1))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, SparseLines):
            return (self.count, self.kept) == (other.count, other.kept)
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.count, tuple(sorted(self.kept.items()))))

    def __repr__(self) -> str:
        return f"SparseLines({self.count}, {len(self.kept)} kept)"

    def __reduce__(self):
        return SparseLines, (self.count, self.kept)


_NO_LINES: dict[int, str] = {}


@functools.lru_cache(maxsize=1024)
def _no_lines(count: int) -> SparseLines:
    """The lines of a file of ``count`` lines of which none is kept: one object per count, shared by
    every such file of a run (ten thousand sheets keep no line for a JSON report)."""
    return SparseLines(count, _NO_LINES)


def retained_lines(lines: Sequence[str], findings: Iterable[Finding], keep: str) -> Sequence[str]:
    """What of ``lines`` the reports need: all of them, the context of each finding, or none."""
    if keep == KEEP_ALL:
        return tuple(lines)
    kept: dict[int, str] = {}
    if keep == KEEP_CONTEXT:
        count = len(lines)
        for f in findings:
            for n in range(max(f.line - CONTEXT_BEFORE, 1), min(f.line + CONTEXT_AFTER, count) + 1):
                kept[n] = lines[n - 1]
    return SparseLines(len(lines), kept) if kept else _no_lines(len(lines))


def _lines(value: Sequence[str]) -> Sequence[str]:
    return value if isinstance(value, SparseLines) else tuple(value)


def _shared(text: str) -> str:
    """``text`` interned: a run keeps each file's 부서 and encoding until its reports are written, and a
    budget book names a few 부서 many times.

    A file's path and title are not interned: no other file has them, and each interned string is a
    slot in the interpreter's table of interned strings, which grew with the run (at 10,000 sheets
    twice its size at 1,000). The index entry of the file's document holds the same objects (the
    reader's; :meth:`auditor.crossdoc.pipeline.CrossPass.take` shares them where they are equal)."""
    return sys.intern(text) if type(text) is str else text


class CheckedFile(Frozen):
    """One input that was read: its display path, decoded lines and encoding."""

    __slots__ = ("path", "lines", "encoding", "title", "totals", "department", "index", "__weakref__")
    path: str
    #: The decoded lines, or a :class:`SparseLines` with those a check run kept for its reports.
    lines: Sequence[str]
    encoding: str
    title: str
    #: e호조 exports: the totals of each 세부사업 (``auditor.totals.ProjectTotals``), in order of first appearance.
    totals: tuple[Any, ...]
    #: A 사업설명서's 부서 (사업 담당자 부서명), for reports that group sheets by it; ``""`` when it has none
    #: (an e호조 export's rows each name theirs, in :attr:`Finding.context`).
    department: str
    #: The cross pass's index entries of the file's documents (``auditor.crossdoc.index.Entry``), handed
    #: from the runner to the cross pass, which takes them off; reports never see them.
    index: tuple[Any, ...]

    def __init__(self, path: str, lines: Sequence[str] = (), encoding: str = "utf-8", title: str = "",
                 totals: tuple[Any, ...] = (), department: str = "", index: tuple[Any, ...] = ()) -> None:
        _set(self, "path", path)
        _set(self, "lines", _lines(lines))
        _set(self, "encoding", _shared(encoding))
        _set(self, "title", title)
        _set(self, "totals", tuple(totals))
        _set(self, "department", _shared(department))
        _set(self, "index", tuple(index))


class FileError(Frozen):
    """An input that could not be read at all (missing, a directory, permission …)."""

    __slots__ = ("path", "message_ko", "message_en", "__weakref__")
    path: str
    message_ko: str
    message_en: str

    def __init__(self, path: str, message_ko: str, message_en: str = "") -> None:
        _set(self, "path", path)
        _set(self, "message_ko", message_ko)
        _set(self, "message_en", message_en)

    def message(self, lang: str = "ko") -> str:
        return self.message_en if lang == "en" and self.message_en else self.message_ko


#: Written out (auditor.plain), where attrs.frozen compiled their methods at every import (a CheckedFile
#: is made for every file); tests/test_plain_engine.py holds each to its attrs declaration.
frozen(CheckedFile, Field("path"), Field("lines", default=(), converter=_lines, repr=False),
       Field("encoding", default="utf-8", converter=_shared), Field("title", default=""),
       Field("totals", default=(), seq=True, repr=False), Field("department", default="", converter=_shared),
       Field("index", default=(), seq=True, repr=False, eq=False))
frozen(FileError, Field("path"), Field("message_ko"), Field("message_en", default=""))


class FindingStore(Sequence[Finding]):
    """The findings of a run, in report order, kept on disk past a few megabytes.

    ``add`` takes each file's findings as the run gives them (files in path order, each file's
    findings sorted), so the whole store is in :meth:`Finding.sort_key` order. Iterating reads
    them back one file at a time, so reporting ten thousand sheets holds one file's findings at
    a time, and iterations may nest (each keeps its own place). How many findings there are of
    each severity and of each rule is counted as they are added (:meth:`severities`,
    :meth:`codes`), so that a report's counts do not read every finding back.
    """

    #: Findings stay in memory up to this many bytes (pickled), then go to a temporary file.
    MEMORY_BYTES = 1 << 20

    def __init__(self, findings: Iterable[Finding] = (), *, mapper=None, spool=None, counted: bool = False) -> None:
        self._mapper = mapper
        #: Whether the counts of the spool hold for this view: true of the store itself, and of a view
        #: whose mapper keeps each finding's rule and severity.
        self._counted = mapper is None or counted
        self._spool = spool if spool is not None else _Spool(self.MEMORY_BYTES)
        if findings:
            self.add(list(findings))

    def add(self, findings: Sequence[Finding]) -> None:
        if self._mapper is not None:
            raise TypeError("a mapped view of a FindingStore is read-only")
        if findings:
            self._spool.append(findings)

    def __len__(self) -> int:
        return self._spool.count

    def __iter__(self) -> Iterator[Finding]:
        for batch in self._spool:
            if self._mapper is None:
                yield from batch
            else:
                yield from map(self._mapper, batch)

    def __getitem__(self, index):  # type: ignore[override]
        items = list(self)  # rare: reporters iterate; this is for tests and small runs
        return items[index]

    def severities(self) -> Counter[Severity] | None:
        """``Counter(f.severity for f in self)``, counted as the findings were added; None for a view
        whose findings may differ in severity from the store's."""
        return Counter(self._spool.severities) if self._counted else None

    def codes(self) -> Counter[str] | None:
        """``Counter(f.code for f in self)``, counted as the findings were added; None for a view
        whose findings may differ in rule from the store's."""
        return Counter(self._spool.codes) if self._counted else None

    def mapped(self, fn, *, counted: bool = False) -> FindingStore:
        """A read-only view whose findings are ``fn(finding)``, computed as they are read; ``counted``
        says that ``fn`` keeps each finding's rule and severity (the counts then hold for the view)."""
        outer = self._mapper
        return FindingStore(mapper=fn if outer is None else (lambda f: fn(outer(f))), spool=self._spool,
                            counted=counted and self._counted)


class _Spool:
    """Pickled batches appended to one file, read back by offset: in memory up to ``memory`` bytes, then
    a temporary file (as ``tempfile.SpooledTemporaryFile``, here moved after the batch that passes the
    mark). ``pickle`` is imported at the first batch and ``tempfile`` only for a file: a run without
    findings, or with a few, imports neither (about 20 M instructions of every start-up)."""

    def __init__(self, memory: int) -> None:
        import io

        self.handle: Any = io.BytesIO()
        self.memory = memory
        self._pickle: Any = None
        self.end = 0
        self.count = 0
        #: The findings appended so far, counted per severity and per rule code.
        self.severities: Counter[Severity] = Counter()
        self.codes: Counter[str] = Counter()

    def append(self, batch: Sequence[Finding]) -> None:
        if self._pickle is None:
            import pickle

            self._pickle = pickle
        self.handle.seek(self.end)
        self._pickle.dump(list(batch), self.handle, protocol=self._pickle.HIGHEST_PROTOCOL)
        self.end = self.handle.tell()
        if self.end > self.memory and self.memory >= 0:
            import tempfile

            spilled = tempfile.TemporaryFile()
            spilled.write(self.handle.getbuffer())
            self.handle, self.memory = spilled, -1
        self.count += len(batch)
        self.severities.update(f.severity for f in batch)
        self.codes.update(f.code for f in batch)

    def __iter__(self) -> Iterator[list[Finding]]:
        offset = 0
        while offset < self.end:
            self.handle.seek(offset)
            batch = self._pickle.load(self.handle)
            offset = self.handle.tell()
            yield batch


def _findings(value: Iterable[Finding]) -> Sequence[Finding]:
    return value if isinstance(value, FindingStore) else tuple(value)


class CheckResult(Frozen):
    """Everything a reporter needs; a reporter never re-reads an input file."""

    __slots__ = ("files", "findings", "errors", "rules", "baselined", "fail_on", "projects", "__weakref__")
    files: tuple[CheckedFile, ...]
    #: In report order when a :class:`FindingStore` (a check run); any order otherwise.
    findings: Sequence[Finding]
    errors: tuple[FileError, ...]
    rules: tuple[RuleDoc, ...]
    #: Findings hidden by a baseline, counted so that the summary can say so.
    baselined: int
    #: The gate (``--fail-on``): findings at or above it fail the run (exit 1), and JUnit shows
    #: them as failures; findings below it are reported but pass.
    fail_on: Severity
    #: The projects the cross pass matched across documents (``auditor.crossdoc.cross.Match``): each
    #: key and its documents, for the JSON report.
    projects: tuple[Any, ...]

    def __init__(self, files: tuple[CheckedFile, ...] = (), findings: Sequence[Finding] = (),
                 errors: tuple[FileError, ...] = (), rules: tuple[RuleDoc, ...] = (), baselined: int = 0,
                 fail_on: Severity = Severity.ERROR, projects: tuple[Any, ...] = ()) -> None:
        _set(self, "files", tuple(files))
        _set(self, "findings", _findings(findings))
        _set(self, "errors", tuple(errors))
        _set(self, "rules", tuple(rules))
        _set(self, "baselined", baselined)
        _set(self, "fail_on", fail_on)
        _set(self, "projects", tuple(projects))
        if fail_on.__class__ is not Severity and validating():
            _IS_SEVERITY(self, "fail_on", fail_on)  # raises as attrs' validator did

    def fails(self, finding: Finding) -> bool:
        """Is ``finding`` at or above the fail level?"""
        return self.fail_on <= finding.severity

    def with_paths(self, shown: Mapping[str, str]) -> CheckResult:
        """The same result with each path replaced by ``shown[path]`` (paths not in it are kept).

        For display only: the human formats print paths relative to the current
        directory, while fingerprints (which contain the path) stay root-relative in
        the formats and baselines that carry them.
        """
        if not shown:
            return self

        def p(path: str) -> str:
            return shown.get(path, path)

        def moved(f: Finding) -> Finding:
            return evolve(f, path=p(f.path), related=tuple(Related(p(r.path), r.line, r.label) for r in f.related))

        if isinstance(self.findings, FindingStore):
            findings: Sequence[Finding] = self.findings.mapped(moved, counted=True)
        else:
            findings = [moved(f) for f in self.findings]
        return evolve(
            self,
            files=[evolve(f, path=p(f.path)) for f in self.files],
            findings=findings,
            errors=[evolve(e, path=p(e.path)) for e in self.errors],
        )

    def rule(self, code: str) -> RuleDoc | None:
        for r in self.rules:
            if r.code == code:
                return r
        return None


_IS_SEVERITY = Check(lambda: validators().instance_of(Severity))
frozen(CheckResult, Field("files", default=(), seq=True), Field("findings", default=(), converter=_findings),
       Field("errors", default=(), seq=True), Field("rules", default=(), seq=True), Field("baselined", default=0),
       Field("fail_on", default=Severity.ERROR, validator=_IS_SEVERITY), Field("projects", default=(), seq=True))
