"""Baselines: accept the findings that exist today, keyed by fingerprint (never by line number)."""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path
from typing import Iterable, Sequence

import attrs

from auditor.findings import Finding

VERSION = 1
TOOL = "auditor"
#: A baseline file larger than this is refused (a baseline of 100,000 findings is about 40 MB).
MAX_BYTES = 512 * 1024 * 1024


class BaselineError(Exception):
    """A baseline file that cannot be read or is not a baseline; ``str()`` names the file."""

    def __init__(self, path: str, message_ko: str, message_en: str) -> None:
        self.path = path
        self.message_ko = f"{path}: {message_ko}"
        super().__init__(f"{path}: {message_en}")


@attrs.frozen
class Entry:
    """One accepted finding. Only ``fingerprint`` matters for matching; the rest helps humans review."""

    fingerprint: str
    code: str = ""
    path: str = ""
    key: str = ""
    message: str = ""

    @classmethod
    def from_finding(cls, f: Finding) -> Entry:
        return cls(f.fingerprint, f.code, f.path, f.key, f.message("ko"))

    def sort_key(self) -> tuple[str, ...]:
        return (self.path, self.code, self.key, self.fingerprint)


@attrs.frozen
class Applied:
    """Findings left after a baseline, how many it hid, and the entries that matched nothing."""

    findings: tuple[Finding, ...]
    hidden: int
    stale: tuple[Entry, ...]


@attrs.frozen
class Baseline:
    entries: tuple[Entry, ...] = attrs.field(default=(), converter=tuple)

    @classmethod
    def from_findings(cls, findings: Iterable[Finding]) -> Baseline:
        return cls(sorted((Entry.from_finding(f) for f in findings), key=Entry.sort_key))

    def to_json(self) -> str:
        doc = {
            "version": VERSION,
            "tool": TOOL,
            "findings": [attrs.asdict(e) for e in sorted(self.entries, key=Entry.sort_key)],
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
        if doc.get("version") != VERSION:
            raise BaselineError(
                name,
                f"지원하지 않는 기준선 버전입니다: {doc.get('version')!r}",
                f"unsupported baseline version {doc.get('version')!r} (expected {VERSION})",
            )
        entries = []
        for i, item in enumerate(doc["findings"]):
            if not isinstance(item, dict) or not isinstance(item.get("fingerprint"), str):
                raise BaselineError(
                    name, f"findings[{i}]에 fingerprint가 없습니다", f"findings[{i}] has no fingerprint"
                )
            entries.append(Entry(**{k: str(item.get(k, "")) for k in attrs.fields_dict(Entry)}))
        return cls(entries)

    def apply(self, findings: Sequence[Finding]) -> Applied:
        """Hide each finding whose fingerprint is in the baseline (each entry hides at most one finding)."""
        matcher = self.matcher()
        kept = matcher.keep(findings)
        return Applied(tuple(kept), matcher.hidden, matcher.stale())

    def matcher(self) -> Matcher:
        """:meth:`apply` a piece at a time, for a run that reports its files as it checks them."""
        return Matcher(self.entries)


class Matcher:
    """Hides baselined findings batch by batch; :meth:`stale` gives the entries left at the end."""

    def __init__(self, entries: Sequence[Entry]) -> None:
        self.entries = entries
        self.budget = Counter(e.fingerprint for e in entries)
        self.hidden = 0

    def keep(self, findings: Iterable[Finding]) -> list[Finding]:
        kept: list[Finding] = []
        budget = self.budget
        for f in findings:
            fp = f.fingerprint
            if budget[fp] > 0:
                budget[fp] -= 1
                self.hidden += 1
            else:
                kept.append(f)
        return kept

    def stale(self) -> tuple[Entry, ...]:
        """The entries that hid nothing (their findings are gone or fixed)."""
        budget, stale = Counter(self.budget), []
        for e in self.entries:
            if budget[e.fingerprint] > 0:
                budget[e.fingerprint] -= 1
                stale.append(e)
        return tuple(stale)
