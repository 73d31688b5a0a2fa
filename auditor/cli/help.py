"""``--help`` wrapped by display width: a Hangul syllable takes two terminal columns, and a line never
breaks inside a word.

click measures text in characters, so a line of Korean help ran past the terminal's edge and the
terminal broke it mid-word. This formatter measures with ``wcwidth`` and breaks at spaces only
(Korean, like English, breaks between words). Blocks marked ``\\b`` keep their lines, and a line of
them too wide for the terminal continues on the next, indented. When the column beside the options
is too narrow for their help, the help goes under each option instead, as clap does.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import click

#: Narrower than this, an option's help goes on the lines under it rather than beside it.
MIN_HELP_COLUMN = 36
#: How far a continued line of a ``\b`` block, and help under an option, are indented.
HANG = 4


def display_width(text: str) -> int:
    """Terminal columns taken by ``text``: East Asian wide characters count two, control characters none."""
    if text.isascii():
        return len(text)
    from wcwidth import wcwidth

    return sum(max(wcwidth(ch), 0) for ch in text)


def wrap_words(text: str, width: int, first: str = "", rest: str = "") -> list[str]:
    """``text`` in lines of at most ``width`` columns, broken at spaces only (a word wider than a line
    stands alone on it); ``first`` and ``rest`` indent the first and the following lines."""
    lines: list[str] = []
    line, size, empty = first, display_width(first), True
    for word in text.split():
        w = display_width(word)
        if not empty and size + 1 + w > width:
            lines.append(line)
            line, size, empty = rest, display_width(rest), True
        line, size, empty = line + ("" if empty else " ") + word, size + (0 if empty else 1) + w, False
    lines.append(line)
    return lines


def wrap_kept(line: str, width: int, indent: str) -> list[str]:
    """A line of a ``\b`` block: as written when it fits (its spacing kept), else cut at its last space
    that fits, and the rest continued on lines indented :data:`HANG` more."""
    line = indent + line.rstrip()
    hang = " " * (len(line) - len(line.lstrip()) + HANG)
    out = []
    while display_width(line) > width:
        cut, size = -1, 0
        for i, ch in enumerate(line):
            if ch == " " and i > len(hang) and line[:i].strip():
                cut = i if size <= width else cut
            size += display_width(ch)
            if size > width and cut != -1:
                break
        if cut == -1 or not line[cut:].strip():  # one word wider than the line: it stays whole
            break
        head = line[:cut].rstrip()
        if head.endswith(" #") and head[:-1].strip():  # a comment's mark goes with its comment
            cut = len(head) - 1
        out.append(line[:cut].rstrip())
        line = hang + line[cut:].lstrip()
    return [*out, line]


def wrap_text(text: str, width: int, indent: str = "") -> str:
    """Paragraphs (separated by blank lines) wrapped to ``width``, as click's ``wrap_text`` with
    ``preserve_paragraphs``; a paragraph that opens with a ``\\b`` line keeps its line breaks."""
    paragraphs: list[list[str]] = [[]]
    for line in text.expandtabs().splitlines():
        if line.strip():
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    out = []
    for lines in filter(None, paragraphs):
        if lines[0].strip() == "\b":
            out.append("\n".join(part for line in lines[1:] for part in wrap_kept(line, width, indent)))
        else:
            own = indent + " " * (len(lines[0]) - len(lines[0].lstrip()))
            out.append("\n".join(wrap_words(" ".join(lines), width, own, own)))
    return "\n\n".join(out)


class HelpFormatter(click.HelpFormatter):
    """click's help formatter, measuring and wrapping by display width."""

    def write_text(self, text: str) -> None:
        self.write(wrap_text(text, self.width, " " * self.current_indent) + "\n")

    def write_dl(self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        widest = max((display_width(term) for term, _ in rows), default=0)
        first_col = min(widest, col_max) + col_spacing
        indent = self.current_indent
        beside = self.width - indent - first_col >= MIN_HELP_COLUMN
        for term, help_text in rows:
            self.write(f"{'':>{indent}}{term}")
            if not help_text:
                self.write("\n")
                continue
            if beside:
                if display_width(term) <= first_col - col_spacing:
                    self.write(" " * (first_col - display_width(term)))
                    lines = wrap_text(help_text, self.width - indent - first_col).splitlines()
                    pad = " " * (indent + first_col)
                    self.write("\n".join([lines[0], *(pad + line if line else line for line in lines[1:])]) + "\n")
                    continue
                under = " " * (indent + first_col)
            else:
                under = " " * (indent + HANG)
            self.write("\n" + wrap_text(help_text, self.width, under) + "\n")


class Context(click.Context):
    formatter_class = HelpFormatter


def use_display_width(commands: Sequence[click.Command]) -> None:
    """Make ``commands`` (and the contexts they create) format their help with :class:`HelpFormatter`."""
    for command in commands:
        command.context_class = Context
