"""Baselines: accept the findings that exist today, each keyed by where it is and what it says about the figures.

An entry hides a finding when both hold:

- **the same place and check**: the finding's fingerprint (rule, root-relative path, ``key``, the
  e호조 row's context, occurrence; never the line number), so lines inserted or deleted above it,
  or sheets reordered in a book, keep it accepted;
- **the same figures**: its ``expected`` and ``actual`` values, exactly as the report shows them;
  for a finding that has neither (a REVIEW note), the figures in its message. A gap that grew from
  60 to 370 천원 on a baselined line is a new finding.

Version 1 baselines (written before the figures were kept) hold only the Korean message beside the
fingerprint: their entries match on the figures of that message, which for a rule that reports
values contains them, and an entry without a message matches on the fingerprint alone.
``--write-baseline`` always writes version 2.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from pathlib import Path

from auditor.findings import Finding
from auditor.plain import Field, Frozen, frozen

VERSION = 2
#: Baselines this version reads: 1 (fingerprint and message) and 2 (with expected and actual).
READABLE = (1, 2)
TOOL = "auditor"
#: A baseline file larger than this is refused (a baseline of 100,000 findings is about 50 MB).
MAX_BYTES = 512 * 1024 * 1024

#: A figure in a message: digits with thousands separators and a decimal part, and a minus sign
#: (ASCII, U+2212, or the △ and Δ that budget books use) when one stands right before it.
_FIGURE = re.compile(r"[-−△Δ]?\d[\d,]*(?:\.\d+)?")
#: What stands for "any figures": a version 1 entry that kept no message.
ANY: tuple = ("*",)


class BaselineError(Exception):
    """A baseline file that cannot be read or is not a baseline; ``str()`` names the file."""

    def __init__(self, path: str, message_ko: str, message_en: str) -> None:
        self.path = path
        self.message_ko = f"{path}: {message_ko}"
        super().__init__(f"{path}: {message_en}")


def figures(message: str) -> tuple[str, ...]:
    """The figures of a message in order, without thousands separators, minus signs as ``-``:
    ``"차이 △1,234.5천원 (2021년)"`` → ``("-1234.5", "2021")``. Words around them do not count."""
    out = []
    for m in _FIGURE.finditer(message):
        text = m.group().replace(",", "")
        out.append("-" + text[1:] if text[0] in "−△Δ" else text)
    return tuple(out)


def content(expected: str | None, actual: str | None, message: str) -> tuple:
    """What a finding says about the figures, as matching compares it: its expected and actual values
    when it has either, else the figures of its (Korean) message."""
    if expected is not None or actual is not None:
        return ("values", expected, actual)
    return ("figures", *figures(message))


def finding_content(f: Finding) -> tuple:
    return content(f.expected, f.actual, f.message_ko)


def message_figures(f: Finding) -> tuple:
    """What a version 1 entry can be compared on: the figures of the Korean message."""
    return ("figures", *figures(f.message_ko))


_set = object.__setattr__


class Entry(Frozen):
    """One accepted finding: ``fingerprint`` and its figures are matched; ``code``, ``path``, ``key`` and
    ``message`` help the person reviewing the file."""

    __slots__ = ("fingerprint", "code", "path", "key", "expected", "actual", "message", "__weakref__")
    fingerprint: str
    code: str
    path: str
    key: str
    expected: str | None
    actual: str | None
    message: str

    def __init__(self, fingerprint: str, code: str = "", path: str = "", key: str = "", expected: str | None = None,
                 actual: str | None = None, message: str = "") -> None:
        _set(self, "fingerprint", fingerprint)
        _set(self, "code", code)
        _set(self, "path", path)
        _set(self, "key", key)
        _set(self, "expected", expected)
        _set(self, "actual", actual)
        _set(self, "message", message)

    @classmethod
    def from_finding(cls, f: Finding) -> Entry:
        return cls(f.fingerprint, f.code, f.path, f.key, f.expected, f.actual, f.message("ko"))

    def content(self, version: int = VERSION) -> tuple:
        """What this entry's figures are compared as (:func:`content`); a version 1 entry has only its
        message's figures, or :data:`ANY` when it kept no message."""
        if version == 1:
            return ("figures", *figures(self.message)) if self.message else ANY
        return content(self.expected, self.actual, self.message)

    def sort_key(self) -> tuple[str, ...]:
        return (self.path, self.code, self.key, self.fingerprint, self.expected or "", self.actual or "",
                self.message)

    def to_json(self) -> dict[str, str | None]:
        return {"fingerprint": self.fingerprint, "code": self.code, "path": self.path, "key": self.key,
                "expected": self.expected, "actual": self.actual, "message": self.message}


class Applied(Frozen):
    """Findings left after a baseline, how many it hid, and the entries that matched nothing."""

    __slots__ = ("findings", "hidden", "stale", "__weakref__")
    findings: tuple[Finding, ...]
    hidden: int
    stale: tuple[Entry, ...]

    def __init__(self, findings: tuple[Finding, ...], hidden: int, stale: tuple[Entry, ...]) -> None:
        _set(self, "findings", findings)
        _set(self, "hidden", hidden)
        _set(self, "stale", stale)


class Baseline(Frozen):
    __slots__ = ("entries", "version", "__weakref__")
    entries: tuple[Entry, ...]
    #: The version of the file it was read from (what its entries can be matched on).
    version: int

    def __init__(self, entries: tuple[Entry, ...] = (), version: int = VERSION) -> None:
        _set(self, "entries", tuple(entries))
        _set(self, "version", version)

    @classmethod
    def from_findings(cls, findings: Iterable[Finding]) -> Baseline:
        return cls(sorted((Entry.from_finding(f) for f in findings), key=Entry.sort_key))

    def to_json(self) -> str:
        """The file: version 2, entries sorted for stable diffs, Korean readable (no ``\\u`` escapes)."""
        doc = {
            "version": VERSION,
            "tool": TOOL,
            "findings": [e.to_json() for e in sorted(self.entries, key=Entry.sort_key)],
        }
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"

    def write(self, path: str | Path) -> None:
        """Write the baseline whole or not at all (:func:`auditor.outputs.write_text`)."""
        from auditor.outputs import write_text

        write_text(str(path), (self.to_json(),))

    @classmethod
    def load(cls, path: str | Path) -> Baseline:
        """Read a baseline: a regular file of at most :data:`MAX_BYTES`, JSON nested and numbered within
        bounds (:func:`auditor.safeload.load_json`); :class:`BaselineError` names the file and the line."""
        from auditor.safeload import LoadError, load_json

        name = str(path)
        if not os.path.lexists(path):
            raise BaselineError(name, "기준선 파일이 없습니다", "baseline file not found")
        try:
            doc = load_json(path, MAX_BYTES, "기준선 파일", "baseline file")
        except LoadError as e:
            where = f"{e.line}:{e.column}: " if e.line else ""
            raise BaselineError(name, where + e.reason_ko, where + e.reason_en) from None
        if not isinstance(doc, dict) or doc.get("tool") != TOOL or not isinstance(doc.get("findings"), list):
            raise BaselineError(name, "auditor 기준선 파일이 아닙니다", "not an auditor baseline file")
        version = doc.get("version")
        if type(version) is not int or version not in READABLE:
            raise BaselineError(
                name,
                f"지원하지 않는 기준선 버전입니다: {version!r} (읽을 수 있는 버전: 1, 2)",
                f"unsupported baseline version {version!r} (expected 1 or 2)",
            )
        entries = []
        for i, item in enumerate(doc["findings"]):
            if not isinstance(item, dict) or not isinstance(item.get("fingerprint"), str):
                raise BaselineError(
                    name, f"findings[{i}]에 fingerprint가 없습니다", f"findings[{i}] has no fingerprint"
                )
            values = {}
            for k in ("expected", "actual"):
                value = item.get(k) if version >= 2 else None
                if value is not None and not isinstance(value, str):
                    raise BaselineError(name, f"findings[{i}].{k}는 문자열이나 null이어야 합니다",
                                        f"findings[{i}].{k} must be a string or null")
                values[k] = value
            texts = {k: str(item.get(k, "")) for k in ("fingerprint", "code", "path", "key", "message")}
            entries.append(Entry(**texts, **values))
        return cls(entries, version)

    def apply(self, findings: Sequence[Finding]) -> Applied:
        """Hide each finding an entry accepts (each entry hides at most one finding)."""
        matcher = self.matcher()
        kept = matcher.keep(findings)
        return Applied(tuple(kept), matcher.hidden, matcher.stale())

    def matcher(self) -> Matcher:
        """:meth:`apply` a piece at a time, for a run that reports its files as it checks them."""
        return Matcher(self.entries, self.version)


#: The three are written out (auditor.plain), where attrs.frozen compiled their methods at every import;
#: tests/test_plain.py holds each to its attrs declaration.
frozen(Entry, Field("fingerprint"), Field("code", default=""), Field("path", default=""), Field("key", default=""),
       Field("expected", default=None), Field("actual", default=None), Field("message", default=""))
frozen(Applied, Field("findings"), Field("hidden"), Field("stale"))
frozen(Baseline, Field("entries", default=(), converter=tuple), Field("version", default=VERSION))


class Matcher:
    """Hides baselined findings batch by batch; :meth:`stale` gives the entries left at the end.

    Matching is a multiset intersection on ``(fingerprint, figures)``: the order findings come in
    (files, sheets, lines) never changes which are hidden, only how many of each are.
    """

    def __init__(self, entries: Sequence[Entry], version: int = VERSION) -> None:
        self.entries = entries
        self.version = version
        self._content: Callable[[Finding], tuple] = message_figures if version == 1 else finding_content
        self.budget: Counter[tuple[str, Hashable]] = Counter((e.fingerprint, e.content(version)) for e in entries)
        #: Fingerprints with an entry that matches any figures (a version 1 entry without a message).
        self._any = frozenset(fp for fp, c in self.budget if c == ANY)
        self.hidden = 0

    def keep(self, findings: Iterable[Finding]) -> list[Finding]:
        """``findings`` without those an unused entry accepts."""
        kept: list[Finding] = []
        budget = self.budget
        for f in findings:
            fp = f.fingerprint
            exact = (fp, self._content(f))
            if budget[exact] > 0:
                budget[exact] -= 1
                self.hidden += 1
            elif fp in self._any and budget[(fp, ANY)] > 0:
                budget[(fp, ANY)] -= 1
                self.hidden += 1
            else:
                kept.append(f)
        return kept

    def stale(self) -> tuple[Entry, ...]:
        """The entries that hid nothing (their findings are gone, fixed, or their figures changed)."""
        budget, stale = Counter(self.budget), []
        for e in self.entries:
            k = (e.fingerprint, e.content(self.version))
            if budget[k] > 0:
                budget[k] -= 1
                stale.append(e)
        return tuple(stale)
