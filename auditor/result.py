"""What one ``auditor check`` run produced: the input the reports render."""

from __future__ import annotations

from typing import Any, Mapping

import attrs

from auditor.findings import Finding, Related, Severity


@attrs.frozen
class Example:
    """A documented pass or fail example of a rule: a fragment of sheet text."""

    kind: str  # "pass" or "fail"
    text: str
    note: str = ""


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
    examples: tuple[Example, ...] = attrs.field(default=(), converter=tuple)
    pack: str = ""

    def title(self, lang: str = "ko") -> str:
        return self.title_en if lang == "en" and self.title_en else self.title_ko

    def what(self, lang: str = "ko") -> str:
        return self.what_en if lang == "en" and self.what_en else self.what_ko

    def why(self, lang: str = "ko") -> str:
        return self.why_en if lang == "en" and self.why_en else self.why_ko


@attrs.frozen
class CheckedFile:
    """One input that was read: its display path, decoded lines and encoding."""

    path: str
    lines: tuple[str, ...] = attrs.field(default=(), converter=tuple, repr=False)
    encoding: str = "utf-8"
    title: str = ""
    #: e호조 exports: the totals of each 세부사업 (``auditor.totals.ProjectTotals``), in order of first appearance.
    totals: tuple[Any, ...] = attrs.field(default=(), converter=tuple, repr=False)
    #: True when ``lines`` holds only the lines findings point at (an e호조 export read in units);
    #: the other entries are empty, and ``len(lines)`` is still the file's line count.
    partial: bool = False


@attrs.frozen
class FileError:
    """An input that could not be read at all (missing, a directory, permission …)."""

    path: str
    message_ko: str
    message_en: str = ""

    def message(self, lang: str = "ko") -> str:
        return self.message_en if lang == "en" and self.message_en else self.message_ko


@attrs.frozen
class CheckResult:
    """Everything a reporter needs; a reporter never re-reads an input file."""

    files: tuple[CheckedFile, ...] = attrs.field(default=(), converter=tuple)
    findings: tuple[Finding, ...] = attrs.field(default=(), converter=tuple)
    errors: tuple[FileError, ...] = attrs.field(default=(), converter=tuple)
    rules: tuple[RuleDoc, ...] = attrs.field(default=(), converter=tuple)
    #: Findings hidden by a baseline, counted so that the summary can say so.
    baselined: int = 0
    #: The gate (``--fail-on``): findings at or above it fail the run (exit 1), and JUnit shows
    #: them as failures; findings below it are reported but pass.
    fail_on: Severity = attrs.field(default=Severity.ERROR, validator=attrs.validators.instance_of(Severity))

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

        findings = [
            attrs.evolve(f, path=p(f.path), related=tuple(Related(p(r.path), r.line, r.label) for r in f.related))
            for f in self.findings
        ]
        return attrs.evolve(
            self,
            files=[attrs.evolve(f, path=p(f.path)) for f in self.files],
            findings=findings,
            errors=[attrs.evolve(e, path=p(e.path)) for e in self.errors],
        )

    def rule(self, code: str) -> RuleDoc | None:
        for r in self.rules:
            if r.code == code:
                return r
        return None
