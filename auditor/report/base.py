"""What every output format shares: tool identity, the message catalogue, counts and text widths."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping

from auditor import __version__
from auditor.findings import Finding, Severity
from auditor.lazyre import lazy
from auditor.result import CheckResult, FindingStore

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

TOOL_NAME = "auditor"
#: Placeholder project address; SARIF, JUnit and GitLab reports name the tool with it.
INFORMATION_URI = "https://github.com/auditor-kr/auditor"
TOOL_VERSION = __version__

# Korean first, English second. Keys are short, stable names used by the reporters.
_TEXT: dict[str, tuple[str, str]] = {
    "error": ("오류", "error"),
    "warning": ("경고", "warning"),
    "info": ("정보", "info"),
    "expected": ("기대값", "expected"),
    "actual": ("실제값", "actual"),
    "note": ("참고", "note"),
    "related": ("관련 줄", "related line"),
    "unreadable": ("읽지 못한 파일", "unreadable file"),
    "code": ("코드", "code"),
    "name": ("이름", "name"),
    "title": ("설명", "title"),
    "severity": ("심각도", "severity"),
    "count": ("건수", "count"),
    "location": ("위치", "location"),
    "message": ("메시지", "message"),
    "sheet": ("시트", "sheet"),
    "lines": ("줄 수", "lines"),
    "total": ("합계", "total"),
    "line": ("줄", "line"),
    "no_findings": ("발견된 문제가 없습니다.", "No findings."),
    "passed": ("검사 통과", "passed"),
    "department": ("부서", "department"),
    "project": ("세부사업", "project"),
    "category": ("통계목", "expense item"),
    "context": ("위치", "where"),
}


#: Terminal colours (click names) per severity, for the formats that colour.
SEVERITY_COLOR = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def t(key: str, lang: str = "ko") -> str:
    """The catalogue text for ``key`` in ``lang`` (Korean unless ``lang == "en"``)."""
    ko, en = _TEXT[key]
    return en if lang == "en" else ko


def severity_label(severity: Severity, lang: str = "ko") -> str:
    return t(severity.value, lang)


def context_text(f: Finding, lang: str = "ko") -> str:
    """A finding's context on one line, ``부서 도로건설과 · 세부사업 … · 통계목 401-01 시설비``; ``""`` if none."""
    return " · ".join(f"{t(key, lang)} {single_line(value)}" for key, value in f.context)


def sorted_findings(result: CheckResult) -> Iterable[Finding]:
    """The findings in report order; a run's :class:`FindingStore` already is, and is read as it goes."""
    if isinstance(result.findings, FindingStore):
        return result.findings
    return sorted(result.findings, key=Finding.sort_key)


def by_severity(result: CheckResult) -> Counter[Severity]:
    """Finding counts per severity: a run's :class:`FindingStore` counted them as they came."""
    found = result.findings
    counts = found.severities() if isinstance(found, FindingStore) else None
    return counts if counts is not None else Counter(f.severity for f in found)


def by_rule(result: CheckResult) -> dict[str, int]:
    """Finding counts per rule code, in code order (a run's :class:`FindingStore` counted them as they came)."""
    found = result.findings
    counts = found.codes() if isinstance(found, FindingStore) else None
    if counts is None:
        counts = Counter(f.code for f in found)
    return {code: counts[code] for code in sorted(counts)}


def rule_name(result: CheckResult, code: str) -> str:
    doc = result.rule(code)
    if doc is not None:
        return doc.name
    return next((f.name for f in result.findings if f.code == code), "")


def summary_line(result: CheckResult, *, lang: str = "ko") -> str:
    """One line of totals, e.g. ``오류 2건, 경고 1건, 정보 0건 (파일 3개)``."""
    n = by_severity(result)
    errors, warnings, info = n[Severity.ERROR], n[Severity.WARNING], n[Severity.INFO]
    files = len(result.files)
    if lang == "en":
        line = (
            f"Found {errors} error{'s' * (errors != 1)}, "
            f"{warnings} warning{'s' * (warnings != 1)}, {info} info "
            f"({files} file{'s' * (files != 1)})"
        )
        if result.errors:
            line += f"; {len(result.errors)} unreadable"
        if result.baselined:
            line += f"; {result.baselined} hidden by the baseline"
        return line
    line = f"오류 {errors}건, 경고 {warnings}건, 정보 {info}건 (파일 {files}개)"
    if result.errors:
        line += f"; 읽지 못한 파일 {len(result.errors)}개"
    if result.baselined:
        line += f"; 기준선으로 숨긴 {result.baselined}건"
    return line


def text_width(text: str) -> int:
    """Terminal cells taken by ``text``: Hangul counts 2, control characters 0."""
    from wcwidth import wcwidth  # only a report that lines text up needs it

    if text.isascii() and text.isprintable():
        return len(text)
    return sum(max(wcwidth(ch), 0) for ch in text)


#: Everything Python's ``str.splitlines`` breaks on.
LINE_BREAK = lazy("\r\n|[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_CONTROL = lazy(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def visible(text: str) -> str:
    """``text`` with control characters shown as ``\\xNN`` so they cannot drive a terminal."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def single_line(text: str) -> str:
    """``text`` on one line: line breaks become ``⏎`` and control characters are made visible."""
    return visible(LINE_BREAK.sub("⏎", text))


# -- writing a report a piece at a time ----------------------------------------------------------
#: Stands, in a JSON document, for the list that :func:`json_chunks` writes item by item.
STREAMED = "\x00auditor: streamed list\x00"


def json_chunks(doc: Any, items: Iterable[Any], render: Callable[[Any, str], str] = None) -> Iterator[str]:  # type: ignore[assignment]
    """``json.dumps(doc, indent=2)`` with :data:`STREAMED` replaced by the list of ``items``, in pieces.

    The text is exactly what dumping the whole document would give, but the list is written one
    item at a time, so a report of a hundred thousand findings never exists whole in memory.
    ``render(item, newline)``: an item's text, :func:`dumps_indented` unless given (one that gives
    the same text for the items it is given: ``json_format.finding_text``).
    """
    head, pad, end, tail = streamed_parts(doc)
    render = dumps_indented if render is None else render
    yield head
    first = True
    for item in items:
        yield ("[" if first else ",") + pad + render(item, pad)
        first = False
    yield ("[]" if first else end) + tail


def streamed_parts(doc: Any) -> tuple[str, str, str, str]:
    """Of ``json.dumps(doc, indent=2) + "\\n"``, the text before :data:`STREAMED`, the line break (and
    indentation) before each item of the list written in its place, the text that closes a list that
    is not empty, and the text after it: :func:`json_chunks`'s parts."""
    text = dumps_indented(doc) + "\n"
    marker = json.dumps(STREAMED, ensure_ascii=False)
    at = text.index(marker)
    line = text[text.rfind("\n", 0, at) + 1:at]
    indent = len(line) - len(line.lstrip(" "))
    return text[:at], "\n" + " " * (indent + 2), "\n" + " " * indent + "]", text[at + len(marker):]


def dumps_indented(value: Any, newline: str = "\n") -> str:
    """``json.dumps(value, ensure_ascii=False, indent=2)``, each of its line breaks written as ``newline``
    (a line break and the indentation of the place the value goes), exactly.

    The standard library writes an indented document with its pure-Python encoder, about 18 µs a
    finding; this writes the values a report is made of (dicts with string keys, lists, tuples,
    strings, integers, booleans and None) with the same C string escaper, in about a third of the
    time. Any other value (a float, a subclass, a key that is not a string) is left to ``json.dumps``
    whole. tests/test_streaming.py holds the two equal over generated values.
    """
    out: list[str] = []
    blocks: list[str] = []
    try:
        _indented(value, newline, out, blocks)
    except (_NotPlain, RecursionError):  # json.dumps says what is wrong with a value nested past the limit
        return json.dumps(value, ensure_ascii=False, indent=2, default=_plain_of).replace("\n", newline)
    blocks.append("".join(out))
    return "".join(blocks)


#: How many pieces :func:`_indented` gathers before it joins them into one block: a large document (the
#: totals of an e호조 export of 100,000 rows, 7 MB of JSON) is then held as a few hundred strings, not a
#: million small ones (about 13 MiB more than the text at that size).
BLOCK = 4096


class _NotPlain(Exception):
    """A value :func:`_indented` leaves to ``json.dumps``."""


class Written:
    """A value of a document that writes its own text: :func:`dumps_indented` takes ``write(value,
    newline)`` for it, which must be exactly ``dumps_indented(plain(value), newline)`` (``json.dumps``,
    when the document is left to it, is given ``plain(value)``). The JSON report's projects list is one
    (``json_format.projects_text``, held to the generic text by tests/test_json_fast.py)."""

    __slots__ = ("value", "write", "plain")

    def __init__(self, value: Any, write: Callable[[Any, str], str], plain: Callable[[Any], Any]) -> None:
        self.value = value
        self.write = write
        self.plain = plain


def _plain_of(value: Any) -> Any:
    """``json.dumps``'s ``default``: a :class:`Written` value's plain value; any other is refused as
    ``json.dumps`` refuses it."""
    if type(value) is Written:
        return value.plain(value.value)
    raise TypeError(f"Object of type {value.__class__.__name__} is not JSON serializable")


_quoted = json.encoder.encode_basestring  # what json.dumps(..., ensure_ascii=False) quotes strings with
_int_text = int.__repr__


def _indented(value: Any, newline: str, out: list[str], blocks: list[str]) -> None:
    if len(out) >= BLOCK:  # (see BLOCK)
        blocks.append("".join(out))
        out.clear()
    kind = type(value)
    if kind is str:
        out.append(_quoted(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif kind is int:
        out.append(_int_text(value))
    elif kind is dict:
        if not value:
            out.append("{}")
            return
        inner = newline + "  "
        between = "{" + inner
        for key, item in value.items():
            if type(key) is not str:
                raise _NotPlain
            out.append(between)
            out.append(_quoted(key))
            out.append(": ")
            _indented(item, inner, out, blocks)
            between = "," + inner
        out.append(newline + "}")
    elif kind is list or kind is tuple:
        if not value:
            out.append("[]")
            return
        inner = newline + "  "
        between = "[" + inner
        for item in value:
            out.append(between)
            _indented(item, inner, out, blocks)
            between = "," + inner
        out.append(newline + "]")
    elif kind is Written:
        out.append(value.write(value.value, newline))
    else:
        raise _NotPlain


def line_chunks(lines: Iterable[str], *, drop_last_blank: bool = False) -> Iterator[str]:
    """``"\n".join(lines) + "\n"`` (nothing for no lines), a line at a time; optionally without a
    last blank line."""
    joined = HeldLines()
    yield from joined.write(lines)
    yield from joined.close(drop_last_blank=drop_last_blank)


class HeldLines:
    """:func:`line_chunks` that can be resumed: lines written as they come, except that a blank line
    is held back until another line follows, so that a report written in parts may still drop its
    last blank line."""

    __slots__ = ("held",)

    def __init__(self) -> None:
        self.held: str | None = None

    def write(self, lines: Iterable[str]) -> Iterator[str]:
        for line in lines:
            if self.held is not None:
                self.held = None
                yield "\n"
            if line == "":
                self.held = line
            else:
                yield line + "\n"

    def close(self, *, drop_last_blank: bool = False) -> Iterator[str]:
        held, self.held = self.held, None
        if held is not None and not (drop_last_blank and held == ""):
            yield held + "\n"


class StreamWriter:
    """A text report written in parts: findings as they come (a file's, when it is checked), then the
    end (unreadable inputs, the summary). ``chunks(result)`` of a streamed format is one writer given
    every finding and then the end, so a report written as the run goes is the same text as the
    report rendered from the whole result, whenever the findings come in the same order.
    """

    def __init__(self, *, lang: str = "ko", color: bool = False, show_source: bool = True,
                 summary: bool = True) -> None:
        self.lang = lang
        self.color = color
        self.show_source = show_source
        self.summary = summary

    def findings(self, findings: Iterable[Finding], files: Mapping[str, Any]) -> Iterator[str]:
        """The report of ``findings`` (in report order); ``files`` maps a path to its ``CheckedFile``."""
        raise NotImplementedError

    def end(self, result: CheckResult) -> Iterator[str]:
        """What follows the findings, once the run is over."""
        raise NotImplementedError

    def chunks(self, result: CheckResult) -> Iterator[str]:
        """The whole report of ``result``."""
        yield from self.findings(sorted_findings(result), {f.path: f for f in result.files})
        yield from self.end(result)
