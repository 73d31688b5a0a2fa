"""Findings: what a rule (or the reader) reports about one place in a sheet."""

from __future__ import annotations

import enum
import hashlib

import attrs


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


@attrs.frozen
class Related:
    """The other side of an identity: a line that took part in the check."""

    path: str
    line: int
    label: str = ""


@attrs.frozen
class Finding:
    """One problem found at one line of one input file.

    ``message_ko`` is the primary message; ``message_en`` is its English variant.
    ``key`` names what was checked (for example ``settlement[2017].예산현액``), so
    that the fingerprint survives edits that only move lines.
    """

    code: str
    name: str
    severity: Severity
    path: str
    line: int
    message_ko: str
    message_en: str = ""
    column: int | None = None
    #: 1-based column just past the checked value (exclusive), when known.
    end_column: int | None = None
    related: tuple[Related, ...] = attrs.field(default=(), converter=tuple)
    expected: str | None = None
    actual: str | None = None
    key: str = ""
    occurrence: int = 0

    def message(self, lang: str = "ko") -> str:
        if lang == "en" and self.message_en:
            return self.message_en
        return self.message_ko

    @property
    def fingerprint(self) -> str:
        """Stable identity: rule, path, what was checked, and which occurrence; no line number."""
        raw = "\x1f".join((self.code, self.path, self.key, str(self.occurrence)))
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column or 0, self.code, self.key, self.occurrence)
