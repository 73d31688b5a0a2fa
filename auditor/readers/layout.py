"""Recognise the layout of a sheet's lines: cells, headings, unit notes, separators, HTML fragments."""

from __future__ import annotations

import functools

from auditor import recache
from auditor.memo import CACHE_SIZE

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import NamedTuple
else:
    from auditor.hints import NamedTuple


#: Section headings (spaces removed) and the part of the model each one fills.
SECTIONS: dict[str, str] = {
    "사업개요": "overview", "사업담당자": "department", "예산총괄": "summary", "산출근거": "basis",
    "사업목적": "purpose", "사업근거": "legal_basis", "사업내용": "activities", "추진경위": "history",
    "추진일정": "schedule", "추진실적": "achievements", "최근3년추진실적": "achievements",
    "향후기대효과": "expected_effects", "기대효과": "expected_effects",
    "결산현황": "settlement", "최근3년결산현황": "settlement",
}
#: The first cells (spaces removed) that may start a table header (``reader._table_header``): a row whose
#: first cell is one of these is never read as a table row before the reader has classified it.
TABLE_KEYS = frozenset({"구분", "과목구분", "연도", "사업추진절차", "실·국", "실국", "실ㆍ국"})
#: Numbered part headings (``1 기본 현황``): structure only.
PARTS = frozenset({"기본현황", "예산설명", "사업설명", "사업효과"})

_MARKDOWN = recache.compile(r"^(#{1,6})\s+(.*)$")
_NUMBERED = recache.compile(r"^(?:\*\*(\d{1,2})\*\*|(\d{1,2})(?=\s))\s*(.+)$")
_BOX = recache.compile(r"^□\s*(.*)$")
_YEAR_PREFIX = recache.compile(r"^(\d{4})년도?")
_UNIT = recache.compile(r"^\(\s*단위\s*[:：]\s*(.*?)\s*\)$")
#: A separator line holds only these characters, three dashes in a row among them (tested in two
#: linear steps: the one-regex form ``[…]*-{3,}[…]*`` backtracks cubically on a long run of dashes).
_SEPARATOR_CHARS = recache.compile(r"[-=_|+\s]*")


class Cell(NamedTuple):
    """One tab-separated cell: its text stripped of spaces, and its 1-based column in the line.

    A named tuple (not attrs): the reader makes one for every cell of every line.
    """

    text: str
    column: int


class Heading(NamedTuple):
    """A heading line: ``kind`` is title, part or section; ``key`` the model part (None if unknown).

    A named tuple (not attrs): the reader classifies about fifteen headings a sheet."""

    kind: str
    key: str | None
    name: str
    year: int | None = None


def cells(line: str) -> list[Cell]:
    """The line's tab-separated cells, each with the column of its first non-space character.

    The reader asks for a line's cells more than once (to classify the line, then to read its
    row); the last line's cells are kept, and each caller gets its own list of them.
    """
    if line is _last[0]:
        return list(_last[1])
    out, start, new, cell = [], 1, tuple.__new__, Cell
    for raw in line.split("\t"):
        stripped = raw.lstrip()
        out.append(new(cell, (stripped.rstrip(), start + len(raw) - len(stripped))))
        start += len(raw) + 1
    _last[0], _last[1] = line, tuple(out)
    return out


#: The line :func:`cells` was last asked for, and its cells.
_last: list = [None, ()]


#: Blank characters that text extraction leaves inside cells, read as a plain space (one for one).
_BLANKS = str.maketrans({"\u00a0": " ", "\u2009": " ", "\u3000": " "})


def blanks(text: str) -> str:
    """The text with no-break, thin and ideographic spaces read as plain spaces; columns stay 1:1."""
    if "\u00a0" in text or "\u2009" in text or "\u3000" in text:  # translate looks up every character
        return text.translate(_BLANKS)
    return text


def content_cells(line: str) -> list[Cell]:
    """The cells, without the empty ones at either end (a stray leading tab, trailing tabs).

    The same cells as :func:`cells` gives, those ends dropped; made from the stripped line, so that
    the empty ones are never made (columns count from the line's start all the same).
    """
    body = line.strip()
    if not body:
        return []
    start = len(line) - len(line.lstrip()) + 1
    if "\t" not in body:
        return [tuple.__new__(Cell, (body, start))]
    return stripped_cells(body, start)


def stripped_cells(body: str, start: int) -> list[Cell]:
    """:func:`content_cells` of a line whose stripped text ``body`` (not empty) starts at column ``start``."""
    out, new, cell = [], tuple.__new__, Cell
    for raw in body.split("\t"):
        text = raw.strip()
        # ``strip`` gives the string itself when there is nothing to strip: the cell starts where it does
        out.append(new(cell, (text, start if text is raw else start + len(raw) - len(raw.lstrip()))))
        start += len(raw) + 1
    return out


def squash(text: str) -> str:
    """Text without whitespace, for comparing headings and table headers."""
    return "".join(text.split())


def _section(name: str) -> tuple[str | None, int | None]:
    year = None
    name = squash(name)
    m = _YEAR_PREFIX.match(name)
    if m:
        year, name = int(m[1]), name[m.end():]
    return SECTIONS.get(name), year


#: What a markdown, □ or numbered heading starts with, besides a digit (``\d``: any Unicode digit) of a
#: number or a year; any other heading is a section or part name alone (``사업목적``, ``기본 현황``).
_MARKED = frozenset("#□*")


#: The first characters of the section and part names: an unmarked line that starts with none of them is
#: no heading (the name is the line without blanks, and the stripped line starts with no blank).
_NAME_FIRST = frozenset(name[0] for name in (*SECTIONS, *PARTS))
#: What a heading may start with besides a digit: a stripped line that starts with none of these nor a
#: digit is no heading (:func:`heading_of` returns None for it; the reader tests this before calling).
HEADING_FIRST = _MARKED | _NAME_FIRST


def heading(line: str) -> Heading | None:
    """Classify a line as a heading, or None. Lines with a tab inside are never headings."""
    text = line.strip()
    if not text or "\t" in text:
        return None
    return heading_of(text)


def heading_of(text: str) -> Heading | None:
    """:func:`heading` of a line already stripped, not empty and without a tab."""
    first = text[0]
    if first not in _MARKED and not first.isdecimal():  # what by_patterns finds here, without the patterns
        if first not in _NAME_FIRST:
            return None
        name = squash(text)
        key = SECTIONS.get(name)
        if key:
            return Heading("section", key, text)
        return Heading("part", None, text) if name in PARTS else None
    return _marked_heading(text)


def by_patterns(text: str) -> Heading | None:
    """The heading that stripped, tab-free ``text`` is by the heading patterns tried in turn (markdown,
    □, numbered, a section or part name), or None: the reference that :func:`heading`'s shortcut
    for unmarked lines is tested against."""
    md = _MARKDOWN.match(text)
    inner = md[2].strip() if md else text
    box = _BOX.match(inner)
    if box:
        key, year = _section(box[1])
        return Heading("section", key, box[1].strip(), year)
    num = _NUMBERED.match(inner)
    if num and len(num[3]) <= 30:
        key, year = _section(num[3])
        if key or squash(num[3]) in PARTS or md:
            return Heading("section" if key else "part", key, num[3].strip(), year)
    key, year = _section(inner)
    if key:
        return Heading("section", key, inner, year)
    if squash(inner) in PARTS:
        return Heading("part", None, inner)
    if md:
        return Heading("title" if len(md[1]) == 1 else "section", None, inner)
    return None


#: :func:`by_patterns` remembered for the marked lines :func:`heading_of` hands it: a book repeats the same
#: dozen headings (``### □ 사업개요``, ``**3** 사업설명``) on every sheet. Bounded: prose lines that start
#: with a digit come too, and each sheet's own title: at :data:`~auditor.memo.CACHE_SIZE` entries, as the
#: other memo caches (at 4,096 it held 1.3 MB more at 10,000 sheets than at 1,000, with no more hits).
_marked_heading = functools.lru_cache(maxsize=CACHE_SIZE)(by_patterns)


def unit_note(line: str) -> list[str] | None:
    """``(단위 : 천원, %)`` → ``["천원", "%"]``; None when the line is not a unit note."""
    if "단위" not in line:
        return None
    m = _UNIT.match(line.strip())
    return [u.strip() for u in _UNIT_SEPARATOR.split(m[1]) if u.strip()] if m else None


_UNIT_SEPARATOR = recache.compile(r"[,，/]")


def is_separator(line: str) -> bool:
    """A line of dashes (``-----\\t-----``) that extraction leaves inside tables."""
    return "---" in line and _SEPARATOR_CHARS.fullmatch(line) is not None


@functools.cache
def _text_of() -> type:
    """The HTML-to-text parser class, made on first use: most sheets hold no markup."""
    from html.parser import HTMLParser

    class TextOf(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.parts: list[str] = []
            self.checked: bool | None = None

        def handle_starttag(self, tag, attrs_):
            if tag in ("li", "br", "p", "ul", "ol", "div"):
                self.parts.append("\n")
            if tag == "input":
                self.checked = any(name == "checked" for name, _ in attrs_)

        handle_startendtag = handle_starttag

        def handle_endtag(self, tag):
            if tag in ("li", "p", "ul", "ol", "div"):
                self.parts.append("\n")

        def handle_data(self, data):
            self.parts.append(data)

    return TextOf


#: The tags that stand for a line break where they open, and where they close (as TextOf reads them).
_BREAK_OPEN, _BREAK_CLOSE = frozenset({"li", "br", "p", "ul", "ol", "div"}), frozenset({"li", "p", "ul", "ol", "div"})
#: A plain tag as extraction writes it: ``<ul style="…">``, ``<li>``, ``</li>``, ``<input checked="" …/>``.
_PLAIN_TAG = recache.compile(r'<(/?)(ul|ol|li|p|div|br|input|span)((?: [a-z-]+(?:="[^"<>&]*")?)*)(/?)>')
#: The text split at the plain tags: the text before the first, then for each tag its groups (closing,
#: name, attributes, empty) and the text after it.
_split_at_tags = _PLAIN_TAG.split
_ATTRIBUTE = recache.compile(r'([a-z-]+)(?:="[^"]*")?')


def _plain_html(text: str) -> tuple[str, bool | None] | None:
    """What :func:`strip_html` gives for text whose markup is only plain tags (``_PLAIN_TAG``) and holds no
    ``&``, without ``html.parser``; None for anything else. ``tests/test_reader_fast.py`` compares them.

    A plain tag holds no ``<`` but its first character, so the text is split at the plain tags in one
    call, and it is all plain markup when there are as many tags as ``<``.
    """
    if "&" in text:
        return None
    pieces = _split_at_tags(text)
    if len(pieces) // 5 != text.count("<"):
        return None  # a "<" that opens no plain tag
    each = iter(pieces)
    parts, checked = [next(each)], None
    for closing, name, attributes, empty, after in zip(each, each, each, each, each):
        if closing:
            if empty:
                return None
            if name in _BREAK_CLOSE:
                parts.append("\n")
        else:
            if name in _BREAK_OPEN:
                parts.append("\n")
            if name == "input":
                checked = "checked" in _ATTRIBUTE.findall(attributes)
        parts.append(after)
    return "".join(parts), checked


def strip_html(text: str) -> tuple[str, bool | None]:
    """Text with HTML tags removed (list items and breaks become newlines), and any checkbox state."""
    if "<" not in text and "&" not in text:
        return text, None
    plain = _plain_html(text)
    if plain is not None:
        return plain
    return _parsed_html(text)


def _parsed_html(text: str) -> tuple[str, bool | None]:
    """:func:`strip_html` by ``html.parser``: any markup, entities included."""
    parser = _text_of()()
    try:
        parser.feed(text)
        parser.close()
    except Exception:  # html.parser is lenient; this guards against the unforeseen only
        return text, None
    return "".join(parser.parts), parser.checked
