"""The ``concise`` format: one line per finding, ``path:line:col: CODE message``."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from auditor.findings import Finding
from auditor.report.base import (
    SEVERITY_COLOR, HeldLines, StreamWriter, context_text, single_line, summary_line, t, visible,
)
from auditor.result import CheckResult
from auditor.term import style

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class Writer(StreamWriter):
    """Each finding on its line as it comes; then the unreadable inputs and the summary."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.out = HeldLines()

    def paint(self, text: str, **kw: Any) -> str:
        return style(text, **kw) if self.color else text

    def findings(self, findings: Iterable[Finding], files: Mapping[str, Any]) -> Iterator[str]:
        return self.out.write(self._lines(findings))

    def _lines(self, findings: Iterable[Finding]) -> Iterator[str]:
        paint, lang = self.paint, self.lang
        for f in findings:
            where = paint(f"{visible(f.path)}:{f.line}:{f.column or 1}:", bold=True)
            code = paint(f.code, fg=SEVERITY_COLOR[f.severity], bold=True)
            context = f" [{context_text(f, lang)}]" if f.context else ""
            yield f"{where} {code} {single_line(f.message(lang))}{context}"

    def end(self, result: CheckResult) -> Iterator[str]:
        yield from self.out.write(self._end(result))
        yield from self.out.close()

    def _end(self, result: CheckResult) -> Iterator[str]:
        for err in result.errors:
            where = self.paint(f"{visible(err.path)}:", bold=True)
            yield f"{where} {t('unreadable', self.lang)}: {single_line(err.message(self.lang))}"
        if self.summary:
            yield summary_line(result, lang=self.lang)


def chunks(
    result: CheckResult, *, lang: str = "ko", color: bool = False, show_source: bool = True, summary: bool = True
) -> Iterator[str]:
    return Writer(lang=lang, color=color, show_source=show_source, summary=summary).chunks(result)


def render(
    result: CheckResult, *, lang: str = "ko", color: bool = False, show_source: bool = True, summary: bool = True
) -> str:
    return "".join(chunks(result, lang=lang, color=color, show_source=show_source, summary=summary))
