"""A loaded, immutable set of rules: filter it, override severities, document it, check a sheet with it."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from auditor.engine import cache
from auditor.engine.codegen import _by_rule_and_path, compile_probe, compile_rules, element_tuple
from auditor.engine.errors import PackWarning
from auditor.engine.packs import builtin_rules_dir, pack_files
from auditor.engine.params import apply_params
from auditor.engine.rule import Rule, SheetCache
from auditor.findings import Finding, Severity, number_occurrences, with_context
from auditor.model import row_context
from auditor.engine.doc import RuleDoc
from auditor.plain import NOTHING, Field, Frozen, evolve, frozen

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["RuleSet", "load_ruleset"]

#: A rule that went past its budget on a sheet (errors.MAX_STEPS): one finding names it.
_OVER = object()


_set = object.__setattr__


class RuleSet(Frozen):
    """Rules in pack order, with the vocabularies they may use."""

    __slots__ = ("rules", "vocab", "reader_codes", "warnings", "reference", "deferred", "_complete", "_fused",
                 "__weakref__")
    rules: tuple[Rule, ...]
    vocab: Mapping[str, tuple[str, ...]]
    #: Every PARSE code the packs define, kept when rules are filtered out, so that a deselected
    #: reader rule stays silent while a problem code no pack knows is still reported.
    reader_codes: frozenset[str]
    #: What the packs lack that users would miss (an English message, documentation): see ``load_ruleset``.
    warnings: tuple[PackWarning, ...]
    #: Every element through the explaining evaluator, none through the generated fast path.
    reference: bool
    #: The cross rules' trees still to decode (:class:`auditor.engine.cache.Deferred`), when the set was
    #: loaded with ``defer_cross``: until :meth:`complete`, each cross rule holds all but its trees.
    deferred: Any
    # Not fields (not compared, shown, pickled or given to the constructor): the set made whole by
    # :meth:`complete`; and the fused generated functions (:func:`auditor.engine.codegen.compile_rules`),
    # one for the rules that walk the same collections, each made on first use, and the rules by code.
    _complete: Any
    _fused: dict

    def __init__(self, rules: tuple[Rule, ...], vocab: Mapping[str, tuple[str, ...]] = NOTHING,  # type: ignore[assignment]
                 reader_codes: frozenset[str] = NOTHING, warnings: tuple[PackWarning, ...] = (),  # type: ignore[assignment]
                 reference: bool = False, deferred: Any = None) -> None:
        _set(self, "rules", tuple(rules))
        _set(self, "vocab", {} if vocab is NOTHING else vocab)
        _set(self, "reader_codes", frozenset() if reader_codes is NOTHING else frozenset(reader_codes))
        _set(self, "warnings", tuple(warnings))
        _set(self, "reference", reference)
        _set(self, "deferred", deferred)
        _set(self, "_complete", None)
        _set(self, "_fused", {})

    def __setstate__(self, state: Any) -> None:
        Frozen.__setstate__(self, state)
        _set(self, "_complete", None)
        _set(self, "_fused", {})

    def filter(self, predicate: Callable[[Rule], bool]) -> RuleSet:
        return evolve(self, rules=tuple(r for r in self.rules if predicate(r)))

    def with_severity(self, overrides: Mapping[str, Severity]) -> RuleSet:
        """Change the severity of rules by code (their docs follow)."""
        out = []
        for r in self.rules:
            if r.code in overrides:
                sev = overrides[r.code]
                r = evolve(r, severity=sev, doc=evolve(r.doc, severity=sev))
            out.append(r)
        return evolve(self, rules=tuple(out))

    def with_params(self, overrides: Mapping[str, Mapping[str, Any]]) -> RuleSet:
        """Change rules' params: ``{"REVIEW001": {"min_execution_rate": 60}}``.

        Each override must name a rule's code and one of its params, with a value of the
        default's kind (see :func:`auditor.engine.params.check_param`); else ``ParamError``.
        """
        checked = apply_params(self.rules, overrides)
        return evolve(self, rules=tuple(
            evolve(r, params={**r.params, **checked[r.code]}) if r.code in checked else r for r in self.rules))

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
            found = evolve(self, rules=tuple(deferred.complete(r) if r.code in deferred.codes else r
                                                   for r in self.rules), deferred=None)
            object.__setattr__(self, "_complete", found)
        return found

    @property
    def has_cross(self) -> bool:
        """Whether a rule of the set names ``사업`` (runs in the cross pass), known without decoding any
        (and asked once per file: found once)."""
        found = self._fused.get("has cross")
        if found is None:
            found = self._fused["has cross"] = any(not r.reader and r.cross for r in self.rules)
        return found

    def check(self, sheet) -> list[Finding]:
        """Every finding on ``sheet``: the reader's problems first turned into PARSE findings, then the rules.

        Each rule runs as its generated function, and the explaining evaluator builds the findings
        of the elements it does not pass. ``AUDITOR_ENGINE=reference`` in the environment (read when
        the rule set is loaded) sends every element through the explaining evaluator instead: the
        reference the fast path is tested against, and a way to rule it out when in doubt.
        """
        findings: list[Finding] = self._problems(sheet) if getattr(sheet, "problems", ()) else []
        findings += self._run(sheet, SheetCache(sheet), False)
        if not findings:
            return findings
        return number_occurrences(with_context(findings, row_context(sheet)))

    def _groups(self, cross: bool) -> list[tuple[tuple[str, ...], tuple[Rule, ...], list]]:
        """The checked rules (the cross ones or the others) by the collections they walk, in pack
        order of each group's first rule: ``(over, rules, [fused function or None, probe or None])``."""
        found = self._fused.get(cross)
        if found is None:
            by_over: dict[tuple[str, ...], list[Rule]] = {}
            for rule in self.rules:
                if not rule.reader and rule.cross == cross:
                    by_over.setdefault(tuple(rule.over), []).append(rule)
            found = self._fused[cross] = [(over, tuple(rules), [None, None]) for over, rules in by_over.items()]
        return found

    def compiled_for(self, code: str) -> Any:
        """The fused generated function that decides rule ``code`` in a run of this rule set
        (:class:`auditor.engine.codegen.CompiledRules`), or None for a reader rule or an unknown code."""
        for cross in (False, True):
            for over, rules, slot in self._groups(cross):
                if any(r.code == code for r in rules):
                    if slot[0] is None:
                        slot[0] = compile_rules(rules, self.vocab)
                    return slot[0]
        return None

    def first_groups(self, sheet: Any) -> list[int]:
        """The sheet rules' groups (by place in :meth:`_groups`) whose fused function a check of ``sheet``
        would compile now: not compiled yet, with an element on the sheet (:meth:`_run`'s own test)."""
        if self.reference:
            return []
        shared = SheetCache(sheet)
        return [i for i, (over, rules, slot) in enumerate(self._groups(False))
                if slot[0] is None and any(shared.elements(path) for path in over)]

    def group_rules(self, index: int) -> tuple[Rule, ...]:
        """The rules of the sheet rules' group ``index`` (:meth:`first_groups`)."""
        return self._groups(False)[index][1]

    def compiled_group(self, index: int) -> Any:
        """The fused function of the sheet rules' group ``index``, or None before it is made."""
        return self._groups(False)[index][2][0]

    def set_compiled(self, index: int, compiled: Any) -> None:
        """Give the sheet rules' group ``index`` its fused function (:func:`auditor.engine.codegen.finish_rules`
        of :func:`~auditor.engine.codegen.write_rules` of :meth:`group_rules`), as :meth:`_run` would make it."""
        self._groups(False)[index][2][0] = compiled

    def _run(self, sheet: Any, shared: SheetCache, cross: bool, only: Any = None) -> list[Finding]:
        """The findings of the checked rules (the cross ones or the others) on ``sheet``, rule by
        rule in pack order: each group's fused function picks the elements that may fail, the
        explaining path decides them and builds the findings (see :meth:`check`)."""
        vocab, reference = self.vocab, self.reference
        if reference:
            return [f for rule in self.rules if not rule.reader and rule.cross == cross
                    for f in rule.check(sheet, vocab, shared, reference=True)]
        verdicts: dict[str, Any] = {}
        for over, rules, slot in self._groups(cross):
            if only is not None and not any(rule.code in only for rule in rules):
                continue
            compiled = slot[0]
            if compiled is None:
                probe = slot[1]
                if probe is None:  # first sight: the element lists; if empty, a probe for the next sheets
                    if not any(shared.elements(path) for path in over):
                        slot[1] = compile_probe(over)
                        continue  # nothing to decide (e호조 rules on a 사업설명서): the function is not even made
                elif not probe(sheet, shared):
                    continue
                compiled = slot[0] = compile_rules(rules, vocab)
            try:
                found = compiled.function(sheet, shared)
            except Exception:  # a model of a shape the code cannot be sure of: explained instead
                found = None
            if found is None:  # not a 사업설명서 model: every element is explained
                every = [(path, item) for path in over for item in shared.elements(path)]
                verdicts.update((rule.code, every) for rule in rules)
                continue
            candidates, past = found
            if candidates:
                candidates.sort(key=_by_rule_and_path)
                for c in candidates:
                    if not past[c[0]]:
                        verdicts.setdefault(rules[c[0]].code, []).append((over[c[1]], element_tuple(c)))
            if any(past):
                verdicts.update((rule.code, _OVER) for rule, gone in zip(rules, past) if gone)
        findings: list[Finding] = []
        if not verdicts:
            return findings
        by_code = self._by_code()
        for _, rule, got in sorted((i, rule, got) for code, got in verdicts.items() for i, rule in by_code[code]):
            if got is _OVER:
                findings.append(rule._over_budget(sheet))
            elif got:
                findings.extend(rule._explain(sheet, vocab, got, shared))
        return findings

    def _by_code(self) -> dict[str, list[tuple[int, Rule]]]:
        """The rules by code, each with its place in pack order: the rules with a verdict on a sheet
        are explained in pack order without a look at every other rule of the set."""
        found = self._fused.get("by code")
        if found is None:
            found = self._fused["by code"] = {}
            for i, rule in enumerate(self.rules):
                found.setdefault(rule.code, []).append((i, rule))
        return found

    @property
    def cross_rules(self) -> tuple[Rule, ...]:
        """The rules that name ``사업`` (the project): they run in the cross pass, not in :meth:`check`."""
        if self.deferred is not None:
            return self.complete().cross_rules
        return tuple(r for r in self.rules if not r.reader and r.cross)

    def check_cross(self, sheet, project, only: Any = None) -> list[Finding]:
        """The cross rules' findings on ``sheet``, one document of ``project`` (a
        :class:`~auditor.crossdoc.model.Project` holding it and the project's other documents), as
        :meth:`check` gives a sheet's: through the generated fast path and the explaining evaluator
        (or the evaluator alone with ``reference``), numbered, with each e호조 row's context. ``only``:
        the codes of the rules that may have a finding there (the cross screen's,
        :mod:`auditor.crossdoc.screen`); the fused functions of the other rules are not run (nor made)."""
        if self.deferred is not None:
            return self.complete().check_cross(sheet, project, only)
        findings = self._run(sheet, SheetCache(sheet, project), True, only)
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


#: Written out (auditor.plain), where attrs.frozen compiled its methods at every import;
#: tests/test_plain_engine.py holds it to its attrs declaration.
frozen(RuleSet, Field("rules", seq=True), Field("vocab", factory=dict),
       Field("reader_codes", factory=frozenset, converter="to_frozenset"), Field("warnings", default=(), seq=True),
       Field("reference", default=False), Field("deferred", default=None, eq=False, repr=False))


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
