"""What checking one input keeps for the reports when it is read in units: findings, a few lines, totals.

An e호조 export is read and checked one 세부사업 at a time (``auditor.readers.iter_sheets``). Of
each unit this keeps its findings, the text of the lines around them and of the lines they name
as related (while the stream still holds them: the unit's own lines and the unit's before it),
and its totals per 세부사업, so that memory follows the findings, not the file. It never keeps a
whole export, whatever ``keep`` asks (``KEEP_ALL`` keeps the lines around findings). Any other
input is one Sheet, or several run together (:mod:`auditor.readers.book`), which share the file's
lines, kept as :func:`auditor.result.retained_lines` says for the findings of them all; each
finding of a file of several sheets names its sheet (its 부서 and 사업명) in its context, as an
e호조 row's does, so that its fingerprint stays with its sheet whatever comes before it.
"""

from __future__ import annotations


from auditor.findings import FileCap, Finding, cap_per_line, number_occurrences, sheet_context
from auditor.result import CONTEXT_AFTER, CONTEXT_BEFORE, KEEP_NONE, CheckedFile, SparseLines, retained_lines
from auditor.totals import ProjectTotals, merge_projects, project_totals
from auditor.plain import evolve

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["Digest"]


class Digest:
    """Collects, unit by unit, what :class:`~auditor.result.CheckedFile` needs of one input."""

    def __init__(self, stream: Any, keep: str) -> None:
        self.stream = stream
        self.keep = keep
        self.findings: list[Finding] = []
        self.kept: dict[int, str] = {}
        #: Lines wanted after the end of the unit they were wanted for (the next unit holds them).
        self.pending: set[int] = set()
        self.projects: list[ProjectTotals] = []
        self.lines: Any = ()
        #: The 부서 of each sheet of a 사업설명서 file.
        self.departments: list[str] = []
        self.cap = FileCap()

    def add(self, sheet: Any, findings: list[Finding]) -> None:
        """One unit (a Sheet) and its findings, before the stream reads the next unit.

        Findings are bounded as they come: at most :data:`~auditor.findings.MAX_PER_LINE` of one
        rule per line and :data:`~auditor.findings.MAX_PER_FILE` per file, the rest counted in one
        finding each (:func:`~auditor.findings.left_out`), so memory follows what is reported.
        """
        if not self.stream.streamed:
            name = sheet.department.name
            department = name.value if name is not None else ""
            self.departments.append(department)
            self.lines = sheet.lines
            title = sheet.title.value if sheet.title is not None else ""
            context = sheet_context(department, title) if self.stream.units > 1 else ()
            if context:
                findings = [f if f.context else evolve(f, context=context) for f in findings]
        findings = self.cap.keep(cap_per_line(findings))
        self.findings.extend(findings)
        if not self.stream.streamed:
            return
        self.projects.extend(project_totals(sheet))
        if self.keep == KEEP_NONE:
            return
        wanted = set(self.pending)
        for f in findings:
            wanted.update(range(max(f.line - CONTEXT_BEFORE, 1), f.line + CONTEXT_AFTER + 1))
            wanted.update(r.line for r in f.related if r.path == f.path)
        self.pending = set()
        for line in wanted:
            text = self.stream.line(line)
            if text is not None:
                self.kept[line] = text
            elif line not in self.kept:
                self.pending.add(line)

    def result(self, index: Any = ()) -> tuple[CheckedFile, tuple[Finding, ...]]:
        """The file as reports see it (with ``index``, its documents' entries for the cross pass), and
        its findings numbered across the units."""
        stream = self.stream
        if stream.streamed:
            lines = SparseLines(stream.line_count, {n: t for n, t in self.kept.items() if n <= stream.line_count})
        else:
            lines = retained_lines(self.lines, self.findings, self.keep)
        departments = set(self.departments)
        department = departments.pop() if len(departments) == 1 else ""  # a book of several 부서 names none
        checked = CheckedFile(stream.path, lines, stream.encoding, stream.title, totals=merge_projects(self.projects),
                              department=department, index=index)
        return checked, tuple(number_occurrences(self.findings + self.cap.summaries()))
