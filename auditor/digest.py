"""What checking one input keeps for the reports when it is read in units: findings, a few lines, totals.

An e호조 export is read and checked one 세부사업 at a time (``auditor.readers.iter_sheets``);
this keeps, of each unit, its findings, the text of the lines they point at (the other lines
are left empty), and its totals per 세부사업, so that memory follows the findings, not the file.
Any other input keeps all its lines, as before.
"""

from __future__ import annotations

from typing import Any

from auditor.findings import Finding, number_occurrences
from auditor.result import CheckedFile
from auditor.totals import ProjectTotals, merge_projects, project_totals

__all__ = ["Digest"]


class Digest:
    """Collects, unit by unit, what :class:`~auditor.result.CheckedFile` needs of one input."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.findings: list[Finding] = []
        self.kept: dict[int, str] = {}
        self.projects: list[ProjectTotals] = []
        self.lines: tuple[str, ...] = ()

    def add(self, sheet: Any, findings: list[Finding]) -> None:
        """One unit (a Sheet) and its findings, before the stream reads the next unit."""
        self.findings.extend(findings)
        if not self.stream.streamed:
            self.lines = sheet.lines
            return
        for f in findings:
            for line in (f.line, *(r.line for r in f.related if r.path == f.path)):
                text = self.stream.line(line)
                if text is not None:
                    self.kept[line] = text
        self.projects.extend(project_totals(sheet))

    def result(self) -> tuple[CheckedFile, tuple[Finding, ...]]:
        """The file as reports see it, and its findings numbered across the units."""
        stream = self.stream
        lines = self.lines
        if stream.streamed:
            shown = [""] * stream.line_count
            for no, text in self.kept.items():
                if no <= len(shown):
                    shown[no - 1] = text
            lines = tuple(shown)
        checked = CheckedFile(stream.path, lines, stream.encoding, stream.title,
                              totals=merge_projects(self.projects), partial=stream.streamed)
        return checked, tuple(number_occurrences(self.findings))
