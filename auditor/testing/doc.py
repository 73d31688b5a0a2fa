"""A sheet's text as it is being written, with the place of every figure a fault may change."""

from __future__ import annotations

from dataclasses import dataclass, field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


@dataclass(frozen=True)
class Tok:
    """A piece of a line that is a figure (or a year or a name): its text, its role, and what it means."""

    text: str
    role: str
    meta: dict[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Site:
    """Where a :class:`Tok` was written: 1-based line, and the 0-based span of its text in that line."""

    role: str
    line: int
    start: int
    end: int
    text: str
    meta: dict[str, Any] = field(compare=False)


class Doc:
    """Lines of text, the sites of their figures, and the line of each named row."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.sites: list[Site] = []
        self.marks: dict[str, int] = {}

    def add(self, *parts: str | Tok, mark: str | None = None) -> int:
        """Append one line made of ``parts``; returns its 1-based number (remembered as ``mark``)."""
        no = len(self.lines) + 1
        text = ""
        for p in parts:
            if isinstance(p, Tok):
                self.sites.append(Site(p.role, no, len(text), len(text) + len(p.text), p.text, p.meta))
                text += p.text
            else:
                text += p
        self.lines.append(text)
        if mark is not None:
            self.marks[mark] = no
        return no

    def blank(self) -> None:
        self.lines.append("")

    def find(self, role: str, **meta: Any) -> list[Site]:
        """The sites of ``role`` whose meta has every given key at the given value."""
        return [s for s in self.sites if s.role == role and all(s.meta.get(k) == v for k, v in meta.items())]

    def replaced(self, site: Site, new: str) -> list[str]:
        """The lines with ``site``'s text replaced by ``new``."""
        lines = list(self.lines)
        line = lines[site.line - 1]
        assert line[site.start:site.end] == site.text, (line, site)
        lines[site.line - 1] = line[:site.start] + new + line[site.end:]
        return lines
