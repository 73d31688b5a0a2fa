"""The ``json`` format: a stable, versioned document of findings (documented in docs/output.md)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from auditor.findings import Finding, Severity
from auditor.report.base import (
    INFORMATION_URI,
    STREAMED,
    TOOL_NAME,
    TOOL_VERSION,
    Written,
    _int_text,
    _quoted,
    by_rule,
    by_severity,
    dumps_indented,
    json_chunks,
    sorted_findings,
    streamed_parts,
)
from auditor.report.breakdown import departments as departments_of, latest_budgets, totals_dict
from auditor.result import CheckResult

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: Bump only on a breaking change to the document; adding a field is not one.
SCHEMA_VERSION = 1


def finding_dict(f: Finding) -> dict:
    return {
        "path": f.path,
        "line": f.line,
        "column": f.column,
        "end_column": f.end_column,
        "rule": f.code,
        "name": f.name,
        "severity": f.severity.value,
        "message": f.message_ko,
        "message_en": f.message("en"),
        "expected": f.expected,
        "actual": f.actual,
        "related": [{"path": r.path, "line": r.line, "label": r.label} for r in f.related],
        "fingerprint": f.fingerprint,
        "key": f.key,
        "context": dict(f.context),
    }


#: The keys of :func:`finding_dict` whose values are plain (a string, an integer or None), in order.
_PLAIN_KEYS = ("path", "line", "column", "end_column", "rule", "name", "severity", "message", "message_en",
               "expected", "actual")
#: Per line break: the text before each value of a finding's object (the key, after ``{`` or ``,``).
_KEY_TEXTS: dict[str, tuple[str, ...]] = {}


def _key_texts(newline: str) -> tuple[str, ...]:
    found = _KEY_TEXTS.get(newline)
    if found is None:
        inner = newline + "  "
        keys = (*_PLAIN_KEYS, "related", "fingerprint", "key", "context")
        found = tuple(("{" if i == 0 else ",") + inner + _quoted(key) + ": " for i, key in enumerate(keys))
        found += (newline + "}",)
        if len(_KEY_TEXTS) < 16:
            _KEY_TEXTS[newline] = found
    return found


def finding_text(f: Finding, newline: str = "\n") -> str:
    """``dumps_indented(finding_dict(f), newline)``: the finding's object in the report, written field
    by field (the keys' text made once per line break, each plain value by the C string quoter); a
    value of another kind than a finding's fields hold sends the finding to :func:`dumps_indented`
    whole. tests/test_json_fast.py holds the two equal over generated findings."""
    keys = _key_texts(newline)
    out = []
    append = out.append
    for key, value in zip(keys, (f.path, f.line, f.column, f.end_column, f.code, f.name, f.severity.value,
                                 f.message_ko, f.message("en"), f.expected, f.actual)):
        kind = value.__class__
        if kind is str:
            append(key)
            append(_quoted(value))
        elif value is None:
            append(key)
            append("null")
        elif kind is int:
            append(key)
            append(_int_text(value))
        else:
            return dumps_indented(finding_dict(f), newline)
    inner = newline + "  "
    append(keys[11])
    append(dumps_indented([{"path": r.path, "line": r.line, "label": r.label} for r in f.related], inner)
           if f.related else "[]")
    fingerprint, key = f.fingerprint, f.key
    if key.__class__ is not str:
        return dumps_indented(finding_dict(f), newline)
    append(keys[12])
    append(_quoted(fingerprint))
    append(keys[13])
    append(_quoted(key))
    append(keys[14])
    append(dumps_indented(dict(f.context), inner) if f.context else "{}")
    append(keys[15])
    return "".join(out)


class FindingTexts:
    """The JSON report's text of each finding, made as the run admits the findings (:meth:`add`, in
    report order), so that the report, written once every file is checked, only copies them: with
    ``--jobs 2`` the texts are made while the other process still checks files, not after the last.

    Up to :attr:`LIMIT` characters are kept; past them the texts are dropped and the report is
    written from the findings as before (:meth:`texts` gives None), so a run of any size holds at
    most that much more."""

    LIMIT = 1 << 19

    def __init__(self) -> None:
        #: The line break before each finding of the report's list (``streamed_parts``).
        self.newline = streamed_parts(document(CheckResult(), STREAMED))[1]
        self.items: list[str] | None = []
        self.size = 0

    def add(self, findings: Iterable[Finding]) -> None:
        items = self.items
        if items is None:
            return
        newline = self.newline
        for f in findings:
            text = finding_text(f, newline)
            items.append(text)
            self.size += len(text)
        if self.size > self.LIMIT:
            self.items = None

    def texts(self, result: CheckResult) -> list[str] | None:
        """The texts of ``result``'s findings, or None when they were dropped or are not one per finding
        (then the report renders the findings)."""
        items = self.items
        return items if items is not None and len(items) == len(result.findings) else None


#: Per line break: the texts around a matched project's values (:func:`match_text`).
_MATCH_TEXTS: dict[str, tuple[str, ...]] = {}


def _match_texts(newline: str) -> tuple[str, ...]:
    found = _MATCH_TEXTS.get(newline)
    if found is None:
        inner = newline + "  "  # the match's keys
        field = inner + "  "  # the key's fields, and each document of the list
        at = field + "  "  # a document's fields
        document = "{" + ",".join(at + _quoted(key).replace("%", "%%") + ": %s"
                                  for key in ("kind", "path", "line", "year", "name", "department", "account"))
        found = ("{" + inner + '"key": {' + field + '"name": ', "," + field + '"department": ',
                 "," + field + '"account": ', inner + "}," + inner + '"documents": ',
                 "[" + field + document + field + "}", "," + field + document + field + "}",
                 inner + "]" + newline + "}", "[]" + newline + "}")
        if len(_MATCH_TEXTS) < 16:
            _MATCH_TEXTS[newline] = found
    return found


def match_text(m: Any, newline: str = "\n") -> str:
    """``dumps_indented(m.as_dict(), newline)`` of a matched project (``auditor.crossdoc.cross.Match``):
    its key and documents written field by field (the texts around them made once per line break, each
    document by one ``%`` of a template, each string by the C string quoter); a value of another kind
    than a match's fields hold sends the match to :func:`dumps_indented` whole. tests/test_json_fast.py
    holds the two equal over generated matches."""
    out: list[str] = []
    _match_parts(m, newline, out)
    return "".join(out)


def _match_parts(m: Any, newline: str, out: list[str]) -> None:
    """:func:`match_text`'s text as pieces appended to ``out`` (:func:`projects_text` joins every match's
    pieces once, where each match's text was joined, then the list's, then copied twice more by ``+``)."""
    # the first document's template opens the list, each other's follows a comma
    head, department, account, documents, first, between, end, empty = _match_texts(newline)
    key = m.key
    name, dep, acc = key.name, key.department, key.account
    if name.__class__ is not str or dep.__class__ is not str or acc.__class__ is not str:
        out.append(dumps_indented(m.as_dict(), newline))
        return
    start = len(out)
    out += (head, _quoted(name), department, _quoted(dep), account, _quoted(acc), documents)
    append = out.append
    template = first
    # a project's documents mostly write their kind, name, 부서 and 회계 alike, and an export's units share
    # its path: each is quoted again only where it differs from the document before's
    last_kind = last_path = last_name = last_dep = last_acc = None
    for d in m.documents:
        kind, path, line, year, dname, ddep, dacc = d.kind, d.path, d.line, d.year, d.name, d.department, d.account
        if (kind.__class__ is not str or path.__class__ is not str or line.__class__ is not int
                or dname.__class__ is not str or ddep.__class__ is not str or dacc.__class__ is not str):
            del out[start:]
            out.append(dumps_indented(m.as_dict(), newline))
            return
        if year is None:
            year_text = "null"
        elif year.__class__ is int:
            year_text = _int_text(year)
        else:
            del out[start:]
            out.append(dumps_indented(m.as_dict(), newline))
            return
        if kind != last_kind:
            last_kind, kind_text = kind, _quoted(kind)
        if path != last_path:
            last_path, path_text = path, _quoted(path)
        if dname != last_name:
            last_name, name_text = dname, _quoted(dname)
        if ddep != last_dep:
            last_dep, dep_text = ddep, _quoted(ddep)
        if dacc != last_acc:
            last_acc, acc_text = dacc, _quoted(dacc)
        append(template % (kind_text, path_text, _int_text(line), year_text, name_text, dep_text, acc_text))
        template = between
    append(empty if template is first else end)


def projects_text(matches: Any, newline: str = "\n") -> str:
    """``dumps_indented([m.as_dict() for m in matches], newline)``, each match by :func:`match_text`: every
    match's pieces joined once."""
    if not matches:
        return "[]"
    inner = newline + "  "
    between = "," + inner
    out = ["[", inner]
    for m in matches:
        _match_parts(m, inner, out)
        out.append(between)
    out[-1] = newline + "]"
    return "".join(out)


def _projects_plain(matches: Any) -> list[dict]:
    return [m.as_dict() for m in matches]


def totals(result: CheckResult) -> dict:
    """e호조 exports' totals (integers in 원): per 세부사업 of each file and per 부서 over the run, each per
    회계연도 and 예산구분, and each 부서's latest budget per year (Σ 비교증감 over its versions)."""
    projects = [
        {"path": f.path, "year": p.year, "department": p.department, "project": p.project, "version": p.version,
         "budget_kinds": list(p.kinds), "first_line": p.first_line, **totals_dict(p.totals)}
        for f in result.files for p in f.totals
    ]
    departments = [{"year": year, "department": name, "version": version, "projects": count, **totals_dict(t)}
                   for year, name, version, count, t in departments_of(result)]
    latest = [{"year": b.year, "department": b.department, "versions": list(b.versions), "original": b.original,
               "budget": b.budget} for b in latest_budgets(result)]
    return {"departments": departments, "projects": projects, "latest": latest}


def document(result: CheckResult, findings: Any = None, projects: Any = None) -> dict:
    """The report as a dict; ``findings`` stands in for the findings list (see :func:`chunks`), ``projects``
    for the matched projects' list."""
    n = by_severity(result)
    return {
        "version": SCHEMA_VERSION,
        "tool": {"name": TOOL_NAME, "version": TOOL_VERSION, "informationUri": INFORMATION_URI},
        "findings": [finding_dict(f) for f in sorted_findings(result)] if findings is None else findings,
        "errors": [
            {"path": e.path, "message": e.message_ko, "message_en": e.message("en")}
            for e in result.errors
        ],
        "totals": totals(result),
        "projects": _projects_plain(result.projects) if projects is None else projects,
        "summary": {
            "errors": n[Severity.ERROR],
            "warnings": n[Severity.WARNING],
            "info": n[Severity.INFO],
            "files": len(result.files),
            "unreadable": len(result.errors),
            "baselined": result.baselined,
            "by_rule": by_rule(result),
        },
    }


def chunks(result: CheckResult, *, lang: str = "ko", color: bool = False, show_source: bool = True,
           rendered: FindingTexts | None = None) -> Iterator[str]:
    """The document, written a finding at a time. ``lang`` does not apply: it carries both languages.
    ``rendered``: the findings' texts made as the run admitted them (:class:`FindingTexts`), used
    when they are there for every finding of ``result`` and made for this document's line break."""
    doc = document(result, STREAMED, Written(result.projects, projects_text, _projects_plain))  # (the same text)
    texts = rendered.texts(result) if rendered is not None else None
    if texts is not None:  # (made for the line break of this document, whose findings are always at one place)
        return json_chunks(doc, texts, _as_made)
    return json_chunks(doc, sorted_findings(result), finding_text)


def _as_made(text: str, newline: str) -> str:
    return text


def render(result: CheckResult, *, lang: str = "ko", color: bool = False, show_source: bool = True) -> str:
    return "".join(chunks(result, lang=lang, color=color, show_source=show_source))
