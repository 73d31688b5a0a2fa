"""The ``junit`` format: JUnit XML, one suite per sheet, one test case per finding (failing at or above fail-on)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict

from auditor.findings import Finding
from auditor.report.base import TOOL_NAME, context_text, severity_label, sorted_findings, t
from auditor.result import CheckResult

# Characters XML 1.0 cannot carry at all, even escaped; they are shown as ``\xNN`` instead.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(text: str) -> str:
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def _details(f: Finding, lang: str) -> str:
    lines = [f"{f.path}:{f.line}:{f.column or 1}: {f.code} [{severity_label(f.severity, lang)}] {f.message(lang)}"]
    if f.context:
        lines.append(context_text(f, lang))
    if f.expected is not None or f.actual is not None:
        lines.append(f"{t('expected', lang)}: {f.expected or '-'} / {t('actual', lang)}: {f.actual or '-'}")
    for rel in f.related:
        label = f" ({rel.label})" if rel.label else ""
        lines.append(f"{t('related', lang)} {rel.path}:{rel.line}{label}")
    return "\n".join(lines)


def case_name(f: Finding, lang: str) -> str:
    """``B001 budget.total-mismatch (줄 6:3, summary[2019].계)``: where and what, so that the names of one
    suite differ (a suite is one file; a finding is a rule at a line and column, on a key)."""
    where = f"{t('line', lang)} {f.line}" + (f":{f.column}" if f.column else "")
    return f"{f.code} {f.name} ({where}{', ' + f.key if f.key else ''})"


def unique_names(names: list[str]) -> list[str]:
    """``names`` with the second and later copies of a name numbered (``… #2``). Every
    :func:`case_name` ends with ``)``, so a numbered name never equals another one."""
    seen: Counter[str] = Counter()
    out = []
    for name in names:
        seen[name] += 1
        out.append(name if seen[name] == 1 else f"{name} #{seen[name]}")
    return out


#: auditor does not time each finding (a test case here is a finding, not a timed test); the
#: attribute is written because JUnit's schema and some CI readers expect it.
NO_TIME = "0"


def _element(parent: ET.Element, tag: str, text: str | None = None, **attrs: object) -> ET.Element:
    node = ET.SubElement(parent, tag, {k: xml_text(str(v)) for k, v in attrs.items()})
    if text is not None:
        node.text = xml_text(text)
    return node


def render(result: CheckResult, *, lang: str = "ko", color: bool = False, show_source: bool = True) -> str:
    per_file: dict[str, list[Finding]] = defaultdict(list)
    for f in sorted_findings(result):
        per_file[f.path].append(f)
    paths = list(dict.fromkeys([f.path for f in result.files] + sorted(per_file)))
    total = sum(max(len(per_file[p]), 1) for p in paths) + len(result.errors)
    failing = sum(1 for f in result.findings if result.fails(f))
    root = ET.Element(
        "testsuites",
        {"name": TOOL_NAME, "tests": str(total), "failures": str(failing), "errors": str(len(result.errors)),
         "time": NO_TIME},
    )
    for path in paths:
        findings = per_file[path]
        suite = _element(root, "testsuite", name=path, tests=max(len(findings), 1),
                         failures=sum(1 for f in findings if result.fails(f)), errors=0, skipped=0, time=NO_TIME)
        if not findings:
            _element(suite, "testcase", classname=path, name=t("passed", lang), time=NO_TIME)
        names = unique_names([case_name(f, lang) for f in findings])
        for f, name in zip(findings, names):
            case = _element(suite, "testcase", classname=path, name=name, file=path, line=f.line, time=NO_TIME)
            if result.fails(f):
                _element(case, "failure", _details(f, lang), message=f.message(lang), type=f.code)
            else:  # below the gate: reported, but the test passes (as the exit code does)
                _element(case, "system-out", _details(f, lang))
    for err in result.errors:
        suite = _element(root, "testsuite", name=err.path, tests=1, failures=0, errors=1, skipped=0, time=NO_TIME)
        case = _element(suite, "testcase", classname=err.path, name=t("unreadable", lang), file=err.path,
                        time=NO_TIME)
        _element(case, "error", err.message(lang), message=err.message(lang), type="unreadable")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
