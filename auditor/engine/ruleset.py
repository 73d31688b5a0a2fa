"""A loaded, immutable set of rules: filter it, override severities, document it, check a sheet with it."""

from __future__ import annotations

import os
from typing import Callable, Mapping, Sequence

import attrs

from auditor.engine.loader import load_packs
from auditor.engine.rule import Rule
from auditor.findings import Finding, Severity, number_occurrences, with_context
from auditor.model import row_context
from auditor.result import RuleDoc

__all__ = ["RuleSet", "load_ruleset"]


@attrs.frozen
class RuleSet:
    """Rules in pack order, with the vocabularies they may use."""

    rules: tuple[Rule, ...] = attrs.field(converter=tuple)
    vocab: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)
    #: Every PARSE code the packs define, kept when rules are filtered out, so that a deselected
    #: reader rule stays silent while a problem code no pack knows is still reported.
    reader_codes: frozenset[str] = attrs.field(factory=frozenset, converter=frozenset)

    def filter(self, predicate: Callable[[Rule], bool]) -> RuleSet:
        return attrs.evolve(self, rules=tuple(r for r in self.rules if predicate(r)))

    def with_severity(self, overrides: Mapping[str, Severity]) -> RuleSet:
        """Change the severity of rules by code (their docs follow)."""
        out = []
        for r in self.rules:
            if r.code in overrides:
                sev = overrides[r.code]
                r = attrs.evolve(r, severity=sev, doc=attrs.evolve(r.doc, severity=sev))
            out.append(r)
        return attrs.evolve(self, rules=tuple(out))

    def docs(self) -> tuple[RuleDoc, ...]:
        return tuple(r.doc for r in self.rules)

    def get(self, code: str) -> Rule | None:
        return next((r for r in self.rules if r.code == code), None)

    def check(self, sheet) -> list[Finding]:
        """Every finding on ``sheet``: the reader's problems first turned into PARSE findings, then the rules."""
        findings: list[Finding] = list(self._problems(sheet))
        for rule in self.rules:
            if not rule.reader:
                findings.extend(rule.check(sheet, self.vocab))
        return number_occurrences(with_context(findings, row_context(sheet)))

    def _problems(self, sheet) -> list[Finding]:
        """Reader problems as findings: named by their PARSE rule; unknown codes still shown, as errors."""
        by_code = {r.code: r for r in self.rules if r.reader}
        out = []
        for problem in getattr(sheet, "problems", ()):
            rule = by_code.get(problem.code)
            if rule is None and problem.code in self.reader_codes:
                continue  # the user switched this PARSE rule off
            src = problem.source
            out.append(Finding(
                code=problem.code,
                name=rule.name if rule else "parse.unknown-problem",
                severity=rule.severity if rule else Severity.ERROR,
                path=src.path or sheet.path, line=src.line, column=src.column,
                end_column=src.end_column,
                message_ko=problem.message_ko, message_en=problem.message_en,
                key=src.text.strip(),
            ))
        return out


def load_ruleset(extra: Sequence[str | os.PathLike] = (), *, builtin: bool = True) -> RuleSet:
    """Load the built-in packs (unless ``builtin=False``) and ``extra`` packs (files or directories)."""
    rules, vocab = load_packs(extra, builtin)
    reader_codes = frozenset(r.code for r in rules if r.reader)
    return RuleSet(tuple(rules), vocab, reader_codes)
