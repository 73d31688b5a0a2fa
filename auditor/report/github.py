"""The ``github`` format: GitHub Actions workflow commands that annotate the sheet lines.

GitHub shows at most 10 annotations of each kind (error, warning, notice) made by one step, and 50
in a job (actions/toolkit, docs/problem-matchers.md, "Limitations"; the same limits apply to
annotations made with workflow commands). More are dropped without a word. So this format
annotates the first findings of each kind up to that limit, then makes one annotation that says how
many are not shown and where they are, and lists those in the log, in a folded group. It is written
as the run goes (:class:`Writer`): an unreadable input, known only when its file comes, takes one of
the last places of its kind. The whole table goes to the job summary (:func:`step_summary`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping

from auditor.findings import Finding, Severity
from auditor.report.base import StreamWriter, context_text, severity_label, single_line, t, visible
from auditor.result import CheckResult

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
#: Annotations of one kind that GitHub shows for one step, and for a whole job.
PER_KIND, PER_JOB = 10, 50
#: Findings of each kind held back, when a report is written as the run goes, for the places the
#: note and the unreadable inputs may need once the run is over (:class:`Writer`).
HELD = 2
#: GitHub's limit for one step's job summary ($GITHUB_STEP_SUMMARY); a larger one is not shown at all.
STEP_SUMMARY_BYTES = 1024 * 1024
_TEXT = {
    "more": ("auditor: 주석으로 보이지 않은 지적 {n:,}건", "auditor: {n:,} more findings not annotated"),
    "why": ("GitHub는 한 단계에서 종류별로 주석 {per:,}개까지만 보여 줍니다 (오류·경고·알림 각각). "
            "보이지 않은 지적 {n:,}건은 작업 요약(job summary)의 표와 이 단계의 로그에 모두 있습니다.",
            "GitHub shows at most {per:,} annotations of each kind (error, warning, notice) per step. "
            "The {n:,} findings not annotated are all in the job summary's table and in this step's log."),
    "group": ("auditor: 주석으로 보이지 않은 지적 {n:,}건", "auditor: {n:,} findings not annotated"),
    "cut": ("표가 GitHub의 작업 요약 한도(1 MiB)를 넘어 {n:,}건을 줄였습니다. 모든 지적은 로그에 있습니다.",
            "The table was cut by {n:,} rows to fit GitHub's job summary limit (1 MiB); every finding is in the log."),
}


def _t(key: str, lang: str) -> str:
    ko, en = _TEXT[key]
    return en if lang == "en" else ko


def escape_data(text: str) -> str:
    """Escape a command's message as the runner expects (actions/toolkit ``escapeData``).

    Other control characters are shown as ``\\xNN`` so that they cannot colour or rewrite the log.
    """
    return visible(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a command property value (actions/toolkit ``escapeProperty``)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _command(level: str, properties: dict[str, object], message: str) -> str:
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    return f"::{level} {props}::{escape_data(message)}"


def _message(f: Finding, lang: str) -> str:
    text = f.message(lang)
    if f.context:
        text += f"\n{context_text(f, lang)}"
    if f.expected is not None or f.actual is not None:
        text += f"\n{t('expected', lang)}: {f.expected or '-'} / {t('actual', lang)}: {f.actual or '-'}"
    for rel in f.related:
        label = f" ({rel.label})" if rel.label else ""
        text += f"\n{t('related', lang)} {rel.path}:{rel.line}{label}"
    return text


def _annotation(f: Finding, lang: str) -> str:
    props = {"file": f.path, "line": f.line, "col": f.column or 1, "title": f"{f.code} {f.name}"}
    if f.column and f.end_column and f.end_column > f.column:
        props["endColumn"] = f.end_column
    return _command(LEVEL[f.severity], props, _message(f, lang)) + "\n"


def listed(f: Finding, lang: str) -> str:
    """A finding on one plain log line; it starts with ``•``, so it is never read as a workflow command."""
    return (f"• {single_line(f.path)}:{f.line}:{f.column or 1}: {f.code} [{severity_label(f.severity, lang)}] "
            f"{single_line(f.message(lang))}\n")


class Writer(StreamWriter):
    """Annotations as the findings come, as many of each kind as GitHub shows; the rest, and the
    unreadable inputs GitHub has no room for, listed in a folded group at the end.

    How many findings of a kind there will be is known only at the end, and the kind that first
    runs over gets one annotation fewer (its place goes to the note). So the first
    ``PER_KIND - HELD`` of each kind are annotated at once and the next :data:`HELD` are held
    back: at the end they fill what room is left, after the unreadable inputs, which come first,
    and those that do not fit are listed where they stood. The annotated findings are the first of
    each kind in report order, as if the whole run had been known from the start.
    """

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.annotated: Counter[str] = Counter()
        self.counts: Counter[str] = Counter()
        #: Per kind: the findings held back, each with its place among the listed lines.
        self.held: dict[str, list[tuple[int, Finding]]] = {}
        self.hidden: list[str] = []

    def findings(self, findings: Iterable[Finding], files: Mapping[str, Any]) -> Iterator[str]:
        lang = self.lang
        for f in findings:
            kind = LEVEL[f.severity]
            self.counts[kind] += 1
            if self.annotated[kind] < PER_KIND - HELD:
                self.annotated[kind] += 1
                yield _annotation(f, lang)
            elif len(self.held.setdefault(kind, [])) < HELD:
                self.held[kind].append((len(self.hidden), f))
            else:
                self.hidden.append(listed(f, lang))

    def end(self, result: CheckResult) -> Iterator[str]:
        lang = self.lang
        counts = self.counts.copy()
        counts["error"] += len(result.errors)
        over = [kind for kind in ("error", "warning", "notice") if counts[kind] > PER_KIND]
        note_kind = over[0] if over else None
        room = {kind: PER_KIND - self.annotated[kind] - (kind == note_kind) for kind in ("error", "warning", "notice")}
        # At most PER_KIND of each of three kinds (the note included): well within PER_JOB.
        unreadable = result.errors[:room["error"]]  # an unreadable input comes before any held finding
        room["error"] -= len(unreadable)
        listed_too: list[tuple[int, str]] = []
        for kind, held in self.held.items():
            for place, f in held:
                if room[kind] > 0:
                    room[kind] -= 1
                    yield _annotation(f, lang)
                else:
                    listed_too.append((place, listed(f, lang)))
        for err in unreadable:
            props = {"file": err.path, "title": f"auditor: {t('unreadable', lang)}"}
            yield _command("error", props, err.message(lang)) + "\n"
        hidden = self.hidden
        for place, line in sorted(listed_too, reverse=True):  # back where they stood, in report order
            hidden.insert(place, line)
        for err in result.errors[len(unreadable):]:
            hidden.append(f"• {single_line(err.path)}: {t('unreadable', lang)}: {single_line(err.message(lang))}\n")
        if note_kind is None:
            return
        n = len(hidden)
        yield _command(note_kind, {"title": _t("more", lang).format(n=n)}, _t("why", lang).format(per=PER_KIND, n=n)) + "\n"
        yield f"::group::{escape_data(_t('group', lang).format(n=n))}\n"
        yield from hidden
        yield "::endgroup::\n"


def chunks(result: CheckResult, *, lang: str = "ko", color: bool = False, show_source: bool = True) -> Iterator[str]:
    """Each finding and each unreadable input as a workflow command, as many as GitHub shows; then one
    annotation for the rest, which follow as plain lines in a folded group (see :class:`Writer`)."""
    return Writer(lang=lang, color=color, show_source=show_source).chunks(result)


def step_summary(result: CheckResult, *, lang: str = "ko", limit: int = STEP_SUMMARY_BYTES) -> str:
    """The job summary for ``$GITHUB_STEP_SUMMARY``: the ``markdown`` report, its findings table cut
    (with a line that says so) when the whole would pass GitHub's limit for one step."""
    from auditor.report import markdown

    text = markdown.render(result, lang=lang)
    if len(text.encode("utf-8")) <= limit:
        return text
    lines = text.split("\n")
    rows = [i for i, line in enumerate(lines) if line.startswith("| ")]
    first_table_end = next((i for i in range(rows[0], len(lines)) if not lines[i].startswith("|")), len(lines))
    head, table, tail = lines[:rows[0] + 2], lines[rows[0] + 2:first_table_end], lines[first_table_end:]
    budget = limit - len("\n".join(head + tail).encode("utf-8")) - 1024  # room for the note
    kept, size = [], 0
    for row in table:
        size += len(row.encode("utf-8")) + 1
        if size > budget:
            break
        kept.append(row)
    note = ["", f"_{_t('cut', lang).format(n=len(table) - len(kept))}_"]
    out = "\n".join(head + kept + note + tail)
    if len(out.encode("utf-8")) > limit:  # the tail alone (counts per rule, unreadable inputs) is too long
        out = "\n".join(head + note) + "\n"
    return out


def render(result: CheckResult, *, lang: str = "ko", color: bool = False, show_source: bool = True) -> str:
    return "".join(chunks(result, lang=lang, color=color, show_source=show_source))
