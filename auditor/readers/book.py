"""A file of several 사업설명서 run together (a city's book extracted into one text file): where each sheet starts.

A budget book extracted from one PDF holds one sheet after another. Read as one sheet, their tables
mix (every 통계목 of the summary would be summed over the ○ groups of every copy), and the checks
cost more than linearly in the file's size. So the file is cut where a new sheet's overview
begins, and each piece is read as a sheet of its own, on the file's own line numbers.

A new sheet starts at a ``기본 현황`` part heading (``1 기본 현황``, ``## 1 기본 현황``,
``**1** 기본 현황``), when

- the sheet read so far has had its own ``기본 현황`` and, after it, a table of its budget
  (예산 총괄's or 산출근거's header), and
- the ``□ 사업개요`` heading follows within :data:`OVERVIEW_WITHIN` non-blank lines, then a
  ``사업비`` row with its amount, before any other part heading or budget table.

The new sheet takes the line just before that heading (blank lines aside) as its title when that
line can be one: a ``# 제목`` heading or plain text, with no tab, that is no other heading, unit
note, separator, ※ note, list item or markup. A cut is made only when all of this holds: a
false cut would lose lines from a sheet, so anything in doubt (a second title with no overview
after it, an overview with no budget table before it) stays in the sheet being read, as before.
A file with one sheet is one piece, read exactly as it always was. In a file of several, a byte order
mark that opens a line (files saved with one and joined, as ``cat`` joins them) is read as a space.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from auditor.model import Sheet
from auditor.readers.decode import Decoded
from auditor.readers.layout import content_cells, heading, is_separator, squash, unit_note
from auditor.readers.reader import MAX_LINE_LENGTH, SheetReader, _table_header
from auditor.plain import evolve

__all__ = ["read_sheets", "sheet_starts", "split", "without_boms"]

#: The ``□ 사업개요`` heading and its ``사업비`` row come within this many non-blank lines of the
#: ``기본 현황`` heading (a generated or published sheet has them within ten).
OVERVIEW_WITHIN = 40
#: A title is one short line.
TITLE_LENGTH = 200
#: What a list item, a note or markup starts with: never a title.
_NOT_TITLE = frozenset("-○◦·•ㆍ□※<>|")


def _plain(line: str) -> str:
    """The line with a byte order mark that opens it read as a space (:func:`without_boms`)."""
    return " " + line[1:] if line[:1] == "\ufeff" else line


def _first_part(line: str) -> bool:
    """Is the line the ``기본 현황`` part heading that opens a sheet?"""
    line = _plain(line)
    if "\t" in line.strip() or len(line) > MAX_LINE_LENGTH:
        return False
    h = heading(line)
    return h is not None and h.kind == "part" and squash(h.name) == "기본현황"


def _budget_header(line: str) -> bool:
    """Is the line the header of 예산 총괄 or of 산출근거 (a sheet's budget tables)?"""
    if len(line) > MAX_LINE_LENGTH or not line.strip():
        return False
    return _table_header(content_cells(line)) in ("summary", "basis")


def _overview_follows(lines: Sequence[str], at: int) -> bool:
    """After the part heading at ``at``: the 사업개요 heading, then a 사업비 row with its amount, first."""
    seen, overview = 0, False
    for j in range(at + 1, len(lines)):
        line = _plain(lines[j])
        if not line.strip():
            continue
        seen += 1
        if seen > OVERVIEW_WITHIN or len(line) > MAX_LINE_LENGTH:
            return False
        h = heading(line) if "\t" not in line.strip() else None
        if h is not None:
            if h.kind == "part" or overview or h.key != "overview":
                return False  # another part, or a section other than 사업개요 first
            overview = True
            continue
        if ("예산액" in line or "과목구분" in line) and _budget_header(line):
            return False
        if overview:
            row = content_cells(line)
            if squash(row[0].text).startswith("사업비"):
                return len(row) > 1 and any(c.text for c in row[1:])
    return False


def _title_at(lines: Sequence[str], at: int, floor: int) -> int:
    """Where the sheet whose part heading is at ``at`` starts: its title line just before, or ``at``."""
    before = at - 1
    while before > floor and not _plain(lines[before]).strip():
        before -= 1
    if before <= floor:
        return at
    line = _plain(lines[before])
    text = line.strip()
    if "\t" in text or len(text) > TITLE_LENGTH or text[0] in _NOT_TITLE or (text[0] == "*" and text[1:2].isspace()):
        return at
    if is_separator(line) or unit_note(line) is not None:
        return at
    h = heading(line)
    if h is not None and h.kind != "title":
        return at
    return before


def sheet_starts(lines: Sequence[str]) -> list[int]:
    """The 0-based index of the first line of each sheet in ``lines``: ``[0]`` for a file of one sheet.

    Each line is looked at once for ``현황`` and ``기본`` (in a file of one sheet, that is all); the
    budget tables of a sheet are looked for only when a second ``기본 현황`` heading comes, from where
    the last look stopped, so a file is gone through a bounded number of times whatever it holds.
    """
    starts = [0]
    opened = False  # the sheet being read has had its 기본 현황 heading
    budget = -1  # …and, after it, a budget table header at this index (-1: none found yet)
    looked = 0  # lines before this one were looked at for that header
    for i, line in enumerate(lines):
        if "현황" not in line or "기본" not in line or not _first_part(line):
            continue
        if opened:
            if budget < 0:
                budget = next((j for j in range(looked, i) if _budget_line(lines[j])), -1)
                looked = i + 1
            if budget >= 0 and _overview_follows(lines, i):
                starts.append(_title_at(lines, i, budget))
                budget, looked = -1, i + 1
        else:
            opened, looked = True, i + 1
    return starts


def _budget_line(line: str) -> bool:
    return ("예산액" in line or "과목구분" in line) and _budget_header(line)


def without_boms(decoded: Decoded) -> Decoded:
    """``decoded`` with the byte order mark that opens a line inside the file (where files saved with
    one were joined, ``cat a.txt b.txt``) read as a space: a blank line stays blank and a title a title,
    and columns stay one for one. The same ``decoded`` when no line opens with one."""
    lines = decoded.lines
    if not any(line[:1] == "\ufeff" for line in lines):
        return decoded
    return evolve(decoded, lines=tuple(" " + line[1:] if line[:1] == "\ufeff" else line for line in lines))


def split(decoded: Decoded) -> tuple[Decoded, list[int]]:
    """The decoded file to read its sheets from, and where each starts (:func:`sheet_starts`): a file of
    one sheet is read as decoded; one of several with the byte order marks inside it as spaces."""
    if decoded.binary:
        return decoded, [0]
    starts = sheet_starts(decoded.lines)
    return (decoded if len(starts) == 1 else without_boms(decoded)), starts


def read_sheets(path: str, decoded: Decoded, starts: Sequence[int] | None = None) -> Iterator[Sheet]:
    """The sheets of one decoded 사업설명서 file, in order, each read on its own lines (one for most files);
    ``decoded`` and ``starts`` as :func:`split` gave them, if it was asked already."""
    if starts is None:
        decoded, starts = split(decoded)
    if len(starts) == 1:
        yield SheetReader(path, decoded).read()
        return
    for start, stop in zip(starts, [*starts[1:], len(decoded.lines)]):
        yield SheetReader(path, decoded, start=start, stop=stop).read()
