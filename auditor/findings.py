"""Findings: what a rule (or the reader) reports about one place in a sheet."""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Iterable, Mapping

from auditor.plain import Field, Frozen, frozen

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_set = object.__setattr__

class Severity(enum.Enum):
    """How serious a finding is. Ordered: ``INFO < WARNING < ERROR``."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _RANK[self]

    def __lt__(self, other: Severity) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: Severity) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank <= other.rank

    @classmethod
    def parse(cls, text: str) -> Severity:
        """``"error"`` → ``Severity.ERROR``; raises ``ValueError`` naming the choices."""
        try:
            return cls(text.strip().lower())
        except ValueError:
            choices = ", ".join(s.value for s in cls)
            raise ValueError(f"unknown severity {text!r} (choose one of: {choices})") from None


_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


class Related(Frozen):
    """The other side of an identity: a line that took part in the check."""

    __slots__ = ("path", "line", "label", "__weakref__")
    path: str
    line: int
    label: str

    def __init__(self, path: str, line: int, label: str = "") -> None:
        _set(self, "path", path)
        _set(self, "line", line)
        _set(self, "label", label)

    def __reduce__(self):  # pickled as its three values: see Finding.__reduce__
        return Related, (self.path, self.line, self.label)


class Finding(Frozen):
    """One problem found at one line of one input file.

    ``message_ko`` is the primary message; ``message_en`` is its English variant.
    ``key`` names what was checked (for example ``settlement[2017].예산현액``), so
    that the fingerprint survives edits that only move lines.
    """

    __slots__ = ("code", "name", "severity", "path", "line", "message_ko", "message_en", "column", "end_column",
                 "related", "expected", "actual", "key", "occurrence", "context", "__weakref__")
    code: str
    name: str
    severity: Severity
    path: str
    line: int
    message_ko: str
    message_en: str
    column: int | None
    #: 1-based column just past the checked value (exclusive), when known.
    end_column: int | None
    related: tuple[Related, ...]
    expected: str | None
    actual: str | None
    key: str
    occurrence: int
    #: Where the row sits in a whole budget, so that a reviewer can find it: ``(name, value)`` pairs
    #: among :data:`CONTEXT_KEYS`, e.g. ``(("department", "도로건설과"), ("project", "지방도 …"),
    #: ("category", "401-01 시설비"))`` for an e호조 record; empty for a 사업설명서 line.
    context: tuple[tuple[str, str], ...]

    def __init__(self, code: str, name: str, severity: Severity, path: str, line: int, message_ko: str,
                 message_en: str = "", column: int | None = None, end_column: int | None = None,
                 related: tuple[Related, ...] = (), expected: str | None = None, actual: str | None = None,
                 key: str = "", occurrence: int = 0, context: tuple[tuple[str, str], ...] = ()) -> None:
        _set(self, "code", code)
        _set(self, "name", name)
        _set(self, "severity", severity)
        _set(self, "path", path)
        _set(self, "line", line)
        _set(self, "message_ko", message_ko)
        _set(self, "message_en", message_en)
        _set(self, "column", column)
        _set(self, "end_column", end_column)
        _set(self, "related", tuple(related))
        _set(self, "expected", expected)
        _set(self, "actual", actual)
        _set(self, "key", key)
        _set(self, "occurrence", occurrence)
        _set(self, "context", tuple(context))

    def __reduce__(self):
        """Pickled as a call of the class on its values in field order (tests/test_streaming.py holds
        it to the fields): a run keeps its findings pickled (:class:`auditor.result.FindingStore`) and
        forked workers send theirs so; this reads back in about two thirds of the time of attrs' state
        keyed by field names, and writes in about a third."""
        return Finding, (self.code, self.name, self.severity, self.path, self.line, self.message_ko, self.message_en,
                         self.column, self.end_column, self.related, self.expected, self.actual, self.key,
                         self.occurrence, self.context)

    def message(self, lang: str = "ko") -> str:
        if lang == "en" and self.message_en:
            return self.message_en
        return self.message_ko

    @property
    def fingerprint(self) -> str:
        """Stable identity: rule, path, what was checked, its context, which occurrence; no line number."""
        parts = (self.code, self.path, self.key, str(self.occurrence))
        if self.context:  # an e호조 row: its 부서 and 세부사업 keep it apart from the same key elsewhere
            parts += tuple(value for _, value in self.context)
        return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]

    def context_value(self, name: str) -> str:
        """The context value named ``name`` (``department``, ``project``, ``category``), or ``""``."""
        return next((value for key, value in self.context if key == name), "")

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column or 0, self.code, self.key, self.occurrence)


#: Written out (auditor.plain), where attrs.frozen compiled their methods at every import (a finding is
#: made for each failing element); tests/test_plain_engine.py holds each to its attrs declaration.
frozen(Related, Field("path"), Field("line"), Field("label", default=""))
frozen(Finding, Field("code"), Field("name"), Field("severity"), Field("path"), Field("line"), Field("message_ko"),
       Field("message_en", default=""), Field("column", default=None), Field("end_column", default=None),
       Field("related", default=(), seq=True), Field("expected", default=None), Field("actual", default=None),
       Field("key", default=""), Field("occurrence", default=0), Field("context", default=(), seq=True))


def replaced(finding: Finding, **changes: Any) -> Finding:
    """``finding`` with the fields named in ``changes`` given new values (as ``attrs.evolve`` gives it)."""
    values = dict(zip(Finding._names, finding.__reduce__()[1]))
    values.update(changes)
    return Finding(**values)


#: The names a finding's context may carry, in the order reports show them.
CONTEXT_KEYS = ("department", "project", "category")


def sheet_context(department: str, project: str) -> tuple[tuple[str, str], ...]:
    """The context of a finding on one 사업설명서 of a file that holds several (its 부서 and 사업명, those
    given), so that reports name the sheet and the fingerprint stays with it."""
    return tuple((key, value) for key, value in (("department", department), ("project", project)) if value)


def with_context(findings: Iterable[Finding], contexts: Mapping[int, tuple[tuple[str, str], ...]]) -> list[Finding]:
    """``findings`` with the context of their line (``contexts`` maps a line to its context)."""
    if not contexts:
        return list(findings)
    return [replaced(f, context=contexts[f.line]) if f.line in contexts and not f.context else f
            for f in findings]


def number_occurrences(findings: Iterable[Finding]) -> list[Finding]:
    """Sorted, with findings that share code, path, key and context numbered 0, 1, 2 … (the fingerprint's occurrence)."""
    ordered = sorted(findings, key=Finding.sort_key)
    seen: dict[tuple, int] = {}
    out = []
    for f in ordered:
        k = (f.code, f.path, f.key, f.context)
        n = seen.get(k, 0)
        seen[k] = n + 1
        out.append(f if f.occurrence == n else replaced(f, occurrence=n))
    return out


#: At most this many findings of one rule are reported on one line (or e호조 row); one more finding
#: then says how many were left out. One hostile row of 500,000 cells gave 500,000 findings.
MAX_PER_LINE = 20
#: At most this many findings of one rule are reported in one file, then one says how many more.
MAX_PER_FILE = 10_000
#: The key prefix of a finding that stands for the findings left out (the rest of its key is the
#: key of the first one left out, so its fingerprint does not move with the count).
MORE_KEY = "more:"


def left_out(first: Finding, count: int, *, where: str) -> Finding:
    """The finding that says ``count`` findings like ``first`` were left out of this line or file.

    ``where`` is ``"line"`` or ``"file"``. It has ``first``'s rule, severity, place and context,
    so it is reported, filtered, baselined and counted toward the exit code like them.
    """
    if where == "line":
        ko = (f"이 줄의 {first.code} 지적 {count:,}건을 더 보이지 않았습니다 "
              f"(한 줄에 한 규칙의 지적은 {MAX_PER_LINE}건까지 보입니다)")
        en = (f"{count:,} more {first.code} findings on this line are not shown "
              f"(at most {MAX_PER_LINE} of one rule per line)")
    else:
        ko = (f"이 파일의 {first.code} 지적 {count:,}건을 더 보이지 않았습니다 "
              f"(한 파일에 한 규칙의 지적은 {MAX_PER_FILE:,}건까지 보입니다)")
        en = (f"{count:,} more {first.code} findings in this file are not shown "
              f"(at most {MAX_PER_FILE:,} of one rule per file)")
    return Finding(
        code=first.code, name=first.name, severity=first.severity, path=first.path, line=first.line,
        message_ko=ko, message_en=en, column=first.column, key=MORE_KEY + first.key, context=first.context,
    )


def cap_per_line(findings: Iterable[Finding]) -> list[Finding]:
    """``findings`` with at most :data:`MAX_PER_LINE` of one rule per line (the first, in report
    order), and for each line and rule past it one :func:`left_out` finding; sorted."""
    ordered = sorted(findings, key=Finding.sort_key)
    if len(ordered) <= MAX_PER_LINE:  # no line can have more (most sheets have none or a few)
        return ordered
    counts: dict[tuple[str, int, str], int] = {}
    for f in ordered:
        k = (f.path, f.line, f.code)
        counts[k] = counts.get(k, 0) + 1
    if all(n <= MAX_PER_LINE for n in counts.values()):
        return ordered
    out: list[Finding] = []
    seen: dict[tuple[str, int, str], int] = {}
    for f in ordered:
        k = (f.path, f.line, f.code)
        n = seen[k] = seen.get(k, 0) + 1
        if n <= MAX_PER_LINE:
            out.append(f)
        elif n == MAX_PER_LINE + 1:
            out.append(left_out(f, counts[k] - MAX_PER_LINE, where="line"))
    return out


class FileCap:
    """Keeps at most :data:`MAX_PER_FILE` findings of one rule in one file, counting the rest."""

    def __init__(self) -> None:
        self.kept: dict[str, int] = {}
        #: Per rule: the first finding left out, and how many were.
        self.dropped: dict[str, tuple[Finding, int]] = {}

    def keep(self, findings: Iterable[Finding]) -> list[Finding]:
        out = []
        for f in findings:
            n = self.kept.get(f.code, 0)
            if n < MAX_PER_FILE:
                self.kept[f.code] = n + 1
                out.append(f)
            else:
                first, count = self.dropped.get(f.code, (f, 0))
                self.dropped[f.code] = (first, count + 1)
        return out

    def summaries(self) -> list[Finding]:
        """One :func:`left_out` finding per rule that had more than its share in the file."""
        return [left_out(first, count, where="file") for first, count in self.dropped.values()]
