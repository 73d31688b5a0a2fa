"""A loaded, immutable set of rules: filter it, override severities, document it, check a sheet with it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

import attrs

from auditor.engine import cache
from auditor.engine.errors import PackWarning
from auditor.engine.packs import builtin_rules_dir, pack_files
from auditor.engine.params import apply_params
from auditor.engine.rule import Rule, SheetCache
from auditor.fields import to_frozenset, to_tuple
from auditor.findings import Finding, Severity, number_occurrences, with_context
from auditor.model import row_context
from auditor.engine.doc import RuleDoc

__all__ = ["RuleSet", "load_ruleset"]


@attrs.frozen
class RuleSet:
    """Rules in pack order, with the vocabularies they may use."""

    rules: tuple[Rule, ...] = attrs.field(converter=to_tuple)
    vocab: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)
    #: Every PARSE code the packs define, kept when rules are filtered out, so that a deselected
    #: reader rule stays silent while a problem code no pack knows is still reported.
    reader_codes: frozenset[str] = attrs.field(factory=frozenset, converter=to_frozenset)
    #: What the packs lack that users would miss (an English message, documentation): see ``load_ruleset``.
    warnings: tuple[PackWarning, ...] = attrs.field(default=(), converter=to_tuple)
    #: Every element through the explaining evaluator, none through the generated fast path.
    reference: bool = False
    #: The cross rules' trees still to decode (:class:`auditor.engine.cache.Deferred`), when the set was
    #: loaded with ``defer_cross``: until :meth:`complete`, each cross rule holds all but its trees.
    deferred: Any = attrs.field(default=None, eq=False, repr=False)
    _complete: Any = attrs.field(default=None, init=False, eq=False, repr=False)

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

    def with_params(self, overrides: Mapping[str, Mapping[str, Any]]) -> RuleSet:
        """Change rules' params: ``{"REVIEW001": {"min_execution_rate": 60}}``.

        Each override must name a rule's code and one of its params, with a value of the
        default's kind (see :func:`auditor.engine.params.check_param`); else ``ParamError``.
        """
        checked = apply_params(self.rules, overrides)
        return attrs.evolve(self, rules=tuple(
            attrs.evolve(r, params={**r.params, **checked[r.code]}) if r.code in checked else r for r in self.rules))

    def docs(self) -> tuple[RuleDoc, ...]:
        return tuple(r.doc for r in self.rules)

    def get(self, code: str) -> Rule | None:
        if self.deferred is not None and code in self.deferred.codes:
            return self.complete().get(code)
        return next((r for r in self.rules if r.code == code), None)

    def complete(self) -> RuleSet:
        """This rule set with every cross rule whole (its trees decoded: see ``load_ruleset``'s
        ``defer_cross``), as selected, configured and overridden here; itself when nothing is deferred."""
        if self.deferred is None:
            return self
        found = self._complete
        if found is None:
            deferred = self.deferred
            found = attrs.evolve(self, rules=tuple(deferred.complete(r) if r.code in deferred.codes else r
                                                   for r in self.rules), deferred=None)
            object.__setattr__(self, "_complete", found)
        return found

    @property
    def has_cross(self) -> bool:
        """Whether a rule of the set names ``사업`` (runs in the cross pass), known without decoding any."""
        return any(not r.reader and r.cross for r in self.rules)

    def check(self, sheet) -> list[Finding]:
        """Every finding on ``sheet``: the reader's problems first turned into PARSE findings, then the rules.

        Each rule runs as its generated function, and the explaining evaluator builds the findings
        of the elements it does not pass. ``AUDITOR_ENGINE=reference`` in the environment (read when
        the rule set is loaded) sends every element through the explaining evaluator instead: the
        reference the fast path is tested against, and a way to rule it out when in doubt.
        """
        findings: list[Finding] = self._problems(sheet) if getattr(sheet, "problems", ()) else []
        shared = SheetCache(sheet)
        vocab, reference = self.vocab, self.reference
        for rule in self.rules:
            if not rule.reader and not rule.cross:
                findings.extend(rule.check(sheet, vocab, shared, reference=reference))
        if not findings:
            return findings
        return number_occurrences(with_context(findings, row_context(sheet)))

    @property
    def cross_rules(self) -> tuple[Rule, ...]:
        """The rules that name ``사업`` (the project): they run in the cross pass, not in :meth:`check`."""
        if self.deferred is not None:
            return self.complete().cross_rules
        return tuple(r for r in self.rules if not r.reader and r.cross)

    def check_cross(self, sheet, project) -> list[Finding]:
        """The cross rules' findings on ``sheet``, one document of ``project`` (a
        :class:`~auditor.crossdoc.model.Project` holding it and the project's other documents), as
        :meth:`check` gives a sheet's: through the generated fast path and the explaining evaluator
        (or the evaluator alone with ``reference``), numbered, with each e호조 row's context."""
        if self.deferred is not None:
            return self.complete().check_cross(sheet, project)
        shared = SheetCache(sheet, project)
        vocab, reference = self.vocab, self.reference
        findings: list[Finding] = []
        for rule in self.rules:
            if not rule.reader and rule.cross:
                findings.extend(rule.check(sheet, vocab, shared, reference=reference))
        if not findings:
            return findings
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


def load_ruleset(extra: Sequence[str | os.PathLike] = (), *, builtin: bool = True, strict: bool = False,
                 defer_cross: bool = False) -> RuleSet:
    """Load the built-in packs (unless ``builtin=False``) and ``extra`` packs (files or directories).

    A rule without an English message, a title, what/why in both languages or a pass and a fail
    example loads, with a :class:`PackWarning` in ``warnings``; with ``strict`` it is a
    :class:`RulePackError` instead. Loaded packs come from the on-disk cache when their files
    are unchanged (:mod:`auditor.engine.cache`), warnings included. With ``defer_cross``, a set
    from the cache leaves the cross rules' expression trees undecoded until :meth:`RuleSet.complete`
    (or the cross pass) asks for them: a run of one document never does.
    """
    roots = ([builtin_rules_dir()] if builtin else []) + [Path(p) for p in extra]
    found = [pack_files(root) for root in roots]
    key = cache.cache_key([f for packs, vocabs in found for f in (*vocabs, *packs)])
    parts = cache.load_parts(key)
    deferred = None
    if parts is not None:
        rules, vocab, warnings, deferred = parts
        deferred.files = found
        if not defer_cross or not deferred.codes:
            try:
                rules = [deferred.complete(r) if r.code in deferred.codes else r for r in rules]
            except ValueError:
                parts = None
            deferred = None
    if parts is None:
        from auditor.engine.loader import load_found  # parsing and checking packs: only on a miss

        rules, vocab, warnings = loaded = load_found(found)
        cache.store(key, loaded)
    if strict:
        from auditor.engine.loader import strict_check

        strict_check((rules, vocab, warnings), strict)
    from auditor.formula.units import VOCABULARY, use_units

    use_units(vocab.get(VOCABULARY))  # the formula grammar reads the packs' units (checked at load)
    reader_codes = frozenset(r.code for r in rules if r.reader)
    return RuleSet(tuple(rules), vocab, reader_codes, tuple(warnings),
                   reference=os.environ.get("AUDITOR_ENGINE", "").strip().lower() == "reference",
                   deferred=deferred)
