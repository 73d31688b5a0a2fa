"""The ``sarif`` format: a SARIF 2.1.0 log with rule documentation, for code-scanning services."""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterator
from pathlib import Path, PurePosixPath, PureWindowsPath
from urllib.parse import quote

from auditor.findings import Finding, Severity
from auditor.report.base import (
    INFORMATION_URI, STREAMED, TOOL_NAME, TOOL_VERSION, context_text, json_chunks, sorted_findings, t,
)
from auditor.result import CheckResult, RuleDoc

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
#: The key under ``partialFingerprints``; bump the suffix if the fingerprint recipe changes.
FINGERPRINT_KEY = "auditor/v1"


def rules_doc_uri(version: str = TOOL_VERSION) -> str:
    """docs/rules.md at the project's address: at the release's tag, or on ``main`` for a development build."""
    release = re.fullmatch(r"\d+(\.\d+)*", version)
    return f"{INFORMATION_URI}/blob/{f'v{version}' if release else 'main'}/docs/rules.md"


def help_uri(doc: RuleDoc) -> str | None:
    """The rule's section of docs/rules.md (``#set001``, GitHub's anchor for ``### SET001``), for a
    built-in rule; ``None`` for a rule from another pack, which that page does not document."""
    from auditor.engine.packs import builtin_rules_dir

    if not doc.pack or Path(doc.pack).resolve().parent != builtin_rules_dir().resolve():
        return None
    return f"{rules_doc_uri()}#{doc.code.lower()}"

_HEADINGS = {
    "what": ("무엇을 검사하나요", "What it does"),
    "why": ("왜 문제인가요", "Why is this bad?"),
    "fail": ("문제가 되는 예", "Example"),
    "pass": ("올바른 예", "Use instead"),
}


@functools.lru_cache(maxsize=4096)
def artifact_uri(path: str) -> str:
    """A path as a SARIF URI: relative paths stay relative, with ``/`` separators, percent-encoded
    (found once per path: a report names each file for each of its findings and their related lines)."""
    if PureWindowsPath(path).is_absolute() and ":" in path[:3]:  # C:\sheets\a.txt
        return PureWindowsPath(path).as_uri()
    posix = path.replace("\\", "/") if os.sep == "\\" else path  # on POSIX a backslash is part of a name
    if posix.startswith("/"):
        return PurePosixPath(posix).as_uri()
    return quote(posix, safe="/")


def _fence(text: str) -> str:
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}\n{text}\n{ticks}"


def _help(doc: RuleDoc, lang: str) -> dict:
    ko = lang != "en"
    heading = {key: pair[0] if ko else pair[1] for key, pair in _HEADINGS.items()}
    text_parts, md_parts = [], [f"**{doc.code}** `{doc.name}`: {doc.title(lang)}"]
    for key, body in (("what", doc.what(lang)), ("why", doc.why(lang))):
        if body:
            text_parts.append(f"{heading[key]}\n{body}")
            md_parts.append(f"## {heading[key]}\n\n{body}")
    for example in doc.examples:
        title = heading.get(example.kind, example.kind)
        note = f" ({example.note})" if example.note else ""
        text_parts.append(f"{title}{note}\n{example.text}")
        md_parts.append(f"## {title}{note}\n\n{_fence(example.text)}")
    text = "\n\n".join(text_parts) or doc.title(lang)
    return {"text": text, "markdown": "\n\n".join(md_parts)}


def _rule(doc: RuleDoc, lang: str) -> dict:
    rule = {
        "id": doc.code,
        "name": doc.name,
        "shortDescription": {"text": doc.title(lang) or doc.name},
        "fullDescription": {"text": doc.what(lang) or doc.title(lang) or doc.name},
        "help": _help(doc, lang),
        "defaultConfiguration": {"level": LEVEL[doc.severity]},
    }
    uri = help_uri(doc)
    if uri:
        rule["helpUri"] = uri
    if doc.pack:
        rule["properties"] = {"tags": [doc.pack]}
    return rule


def _location(
    path: str, line: int, column: int | None, artifacts: dict[str, int], end_column: int | None = None
) -> dict:
    region = {"startLine": line}
    if column is not None:
        region["startColumn"] = column
        if end_column is not None and end_column > column:
            region["endColumn"] = end_column
    artifact = {"uri": artifact_uri(path)}
    if path in artifacts:
        artifact["index"] = artifacts[path]
    return {"physicalLocation": {"artifactLocation": artifact, "region": region}}


def _result(f: Finding, rule_index: int, artifacts: dict[str, int], lang: str) -> dict:
    text = f.message(lang)
    if f.expected is not None or f.actual is not None:
        text += f" ({t('expected', lang)}: {f.expected or '-'}, {t('actual', lang)}: {f.actual or '-'})"
    if f.context:
        text += f" [{context_text(f, lang)}]"
    out = {
        "ruleId": f.code,
        "ruleIndex": rule_index,
        "level": LEVEL[f.severity],
        "message": {"text": text},
        "locations": [_location(f.path, f.line, f.column, artifacts, f.end_column)],
        "partialFingerprints": {FINGERPRINT_KEY: f.fingerprint},
    }
    props = {"expected": f.expected, "actual": f.actual, "key": f.key or None, "context": dict(f.context) or None}
    if any(v is not None for v in props.values()):
        out["properties"] = {k: v for k, v in props.items() if v is not None}
    if f.related:
        related = []
        for number, rel in enumerate(f.related, start=1):
            loc = _location(rel.path, rel.line, None, artifacts)
            loc["id"] = number
            loc["message"] = {"text": rel.label or t("related", lang)}
            related.append(loc)
        out["relatedLocations"] = related
    return out


def log(result: CheckResult, lang: str = "ko") -> dict:
    """The SARIF log as a dict (one run)."""
    doc, results = _log(result, lang)
    doc["runs"][0]["results"] = list(results)
    return doc


def _log(result: CheckResult, lang: str) -> tuple[dict, Iterator[dict]]:
    """The log with :data:`STREAMED` for its results, and the results, to be read one at a time."""
    docs = list(result.rules)
    known = {doc.code for doc in docs}
    for f in sorted_findings(result):  # a finding whose rule has no doc still needs a descriptor
        if f.code not in known:
            docs.append(RuleDoc(code=f.code, name=f.name, severity=f.severity, title_ko=f.name))
            known.add(f.code)
    rule_index = {doc.code: i for i, doc in enumerate(docs)}
    paths = [f.path for f in result.files] + [e.path for e in result.errors]
    artifacts = {path: i for i, path in enumerate(dict.fromkeys(paths))}
    notifications = [
        {
            "level": "error",
            "message": {"text": f"{t('unreadable', lang)}: {e.message(lang)}"},
            "locations": [
                {"physicalLocation": {"artifactLocation": {"uri": artifact_uri(e.path), "index": artifacts[e.path]}}}
            ],
        }
        for e in result.errors
    ]
    encodings = {f.path: f.encoding for f in result.files}
    run = {
        "tool": {
            "driver": {
                "name": TOOL_NAME,
                "version": TOOL_VERSION,
                "informationUri": INFORMATION_URI,
                "rules": [_rule(doc, lang) for doc in docs],
            }
        },
        "invocations": [
            {"executionSuccessful": not result.errors, "toolExecutionNotifications": notifications}
        ],
        "artifacts": [
            {"location": {"uri": artifact_uri(path)}, "roles": ["analysisTarget"]}
            | ({"encoding": encodings[path]} if path in encodings else {})
            for path in artifacts
        ],
        "columnKind": "unicodeCodePoints",
        "results": STREAMED,
    }
    if lang != "en":
        run["language"] = "ko-KR"
    doc = {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}
    return doc, _results(result, rule_index, artifacts, lang)


def _results(result: CheckResult, rule_index: dict[str, int], artifacts: dict[str, int], lang: str) -> Iterator[dict]:
    for f in sorted_findings(result):
        yield _result(f, rule_index[f.code], artifacts, lang)


def chunks(result: CheckResult, *, lang: str = "ko", color: bool = False, show_source: bool = True) -> Iterator[str]:
    """The log, written a result at a time."""
    return json_chunks(*_log(result, lang))


def render(result: CheckResult, *, lang: str = "ko", color: bool = False, show_source: bool = True) -> str:
    return "".join(chunks(result, lang=lang, color=color, show_source=show_source))
