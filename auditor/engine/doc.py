"""A rule's identity and documentation, as its pack declares them and reports and ``auditor rule`` show them."""

from __future__ import annotations

import attrs

from auditor.fields import to_tuple
from auditor.findings import Severity

__all__ = ["Example", "RuleDoc", "documents_text"]


@attrs.frozen
class Example:
    """A documented pass or fail example of a rule: a fragment of sheet text, or for a cross-document
    rule several documents (``(path, text)`` pairs), which ``text`` then shows one after another."""

    kind: str  # "pass" or "fail"
    text: str
    note: str = ""
    documents: tuple[tuple[str, str], ...] = attrs.field(default=(), converter=lambda d: tuple(map(tuple, d)))


def documents_text(documents: tuple[tuple[str, str], ...]) -> str:
    """Several documents as one text: each under a ``── path ──`` line."""
    return "\n".join(f"── {path} ──\n{text.strip(chr(10))}" for path, text in documents)


@attrs.frozen
class RuleDoc:
    """A rule's identity and documentation, as reports and ``auditor rule`` show it."""

    code: str
    name: str
    severity: Severity
    title_ko: str
    title_en: str = ""
    what_ko: str = ""
    why_ko: str = ""
    what_en: str = ""
    why_en: str = ""
    examples: tuple[Example, ...] = attrs.field(default=(), converter=to_tuple)
    pack: str = ""

    def title(self, lang: str = "ko") -> str:
        return self.title_en if lang == "en" and self.title_en else self.title_ko

    def what(self, lang: str = "ko") -> str:
        return self.what_en if lang == "en" and self.what_en else self.what_ko

    def why(self, lang: str = "ko") -> str:
        return self.why_en if lang == "en" and self.why_en else self.why_ko
