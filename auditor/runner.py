"""Read and check each input, in this process or in worker processes, returning results in input order."""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Callable, Sequence, Union

import attrs

from auditor.discovery import Input
from auditor.findings import Finding, Severity
from auditor.result import CheckedFile, FileError

#: What checking one input gives: the file and its findings, or why it could not be read.
Outcome = Union[tuple[CheckedFile, tuple[Finding, ...]], FileError]


@attrs.frozen
class RulesetSpec:
    """Everything a worker process needs to rebuild the run's rule set (picklable)."""

    extra: tuple[str, ...] = ()
    selected: frozenset[str] | None = None
    severities: tuple[tuple[str, str], ...] = ()

    def build(self) -> Any:
        """The engine's ``RuleSet``: built-in and extra packs, filtered, with severity overrides."""
        from auditor.engine import load_ruleset

        return self.apply(load_ruleset(self.extra))

    def apply(self, ruleset: Any) -> Any:
        """``ruleset`` narrowed to the selected rules, with the severity overrides."""
        if self.selected is not None:
            selected = self.selected
            ruleset = ruleset.filter(lambda rule: rule.code in selected)
        if self.severities:
            ruleset = ruleset.with_severity({code: Severity(level) for code, level in self.severities})
        return ruleset


def check_one(item: Input, ruleset: Any) -> Outcome:
    """Read and check one input: a file that cannot be read becomes a :class:`FileError`.

    The one exception let through is a rule that fails at run time
    (``RulePackError``): that is the pack's fault, not the sheet's, so the run
    stops with the rule's ``file:line`` instead of blaming one input.
    """
    from auditor.digest import Digest
    from auditor.engine import RulePackError
    from auditor.readers import InputError, iter_sheets

    try:
        sheets = iter_sheets(item.data if item.data is not None else item.path, item.display)
    except InputError as e:
        return FileError(item.display, getattr(e, "message_ko", str(e)), getattr(e, "message_en", str(e)))
    except Exception as e:  # a reader bug on one file must not stop the others
        return _internal(item.display, "읽는", "reading", e)
    digest = Digest(sheets)  # an e호조 export comes one 세부사업 at a time; any other file as one Sheet
    while True:
        try:
            sheet = next(sheets, None)
        except Exception as e:
            return _internal(item.display, "읽는", "reading", e)
        if sheet is None:
            break
        try:
            digest.add(sheet, ruleset.check(sheet))
        except RulePackError:
            raise
        except Exception as e:  # likewise for an engine bug on one sheet
            return _internal(item.display, "검사하는", "checking", e)
    return digest.result()


def _internal(path: str, doing_ko: str, doing_en: str, e: Exception) -> FileError:
    detail = f"{type(e).__name__}: {e}"
    return FileError(
        path,
        f"{doing_ko} 중 내부 오류가 났습니다 ({detail}); auditor의 버그이니 알려 주세요",
        f"internal error while {doing_en} ({detail}); this is a bug in auditor, please report it",
    )


_worker_ruleset: Any = None


def _init_worker(spec: RulesetSpec) -> None:
    global _worker_ruleset
    _worker_ruleset = spec.build()


def _check_in_worker(item: Input) -> Outcome:
    return check_one(item, _worker_ruleset)


def effective_jobs(jobs: int, count: int) -> int:
    """``0`` means one per CPU; never more workers than inputs, never fewer than one."""
    wanted = jobs if jobs > 0 else (os.cpu_count() or 1)
    return max(1, min(wanted, count))


def run(
    inputs: Sequence[Input],
    ruleset: Any,
    spec: RulesetSpec,
    *,
    jobs: int = 1,
    advance: Callable[[int], None] | None = None,
) -> list[Outcome]:
    """Check ``inputs``; the outcomes are in input order whatever ``jobs`` is, so output is identical."""
    workers = effective_jobs(jobs, len(inputs))
    if workers > 1:
        try:
            return _run_parallel(inputs, spec, workers, advance)
        except BrokenProcessPool:
            pass  # a worker died (killed, out of memory): check everything here instead
    outcomes = []
    for item in inputs:
        outcomes.append(check_one(item, ruleset))
        if advance:
            advance(1)
    return outcomes


def _run_parallel(
    inputs: Sequence[Input], spec: RulesetSpec, workers: int, advance: Callable[[int], None] | None
) -> list[Outcome]:
    chunksize = max(1, min(32, len(inputs) // (workers * 8)))
    outcomes = []
    with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(spec,)) as pool:
        for outcome in pool.map(_check_in_worker, inputs, chunksize=chunksize):
            outcomes.append(outcome)
            if advance:
                advance(1)
    return outcomes
