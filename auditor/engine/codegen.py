"""Rules compiled to plain Python: each rule becomes one generated function, the engine's hot path.

:func:`compile_rule` writes the source of one function per rule from its checked expression trees
(as attrs writes ``__init__`` and Jinja compiles templates) and hands it to :func:`compile`. It is
made afresh for each loaded rule set, on first use, and is never stored. The function walks the
rule's elements (each sheet's shared element lists), reads fields by direct attribute access,
computes with plain ``int`` (``Fraction`` only where a value is not whole), computes what does not
depend on the element once per sheet (a filter that does not use it, an index by key), and answers
per element only "holds or does not apply" (skipped) or "may fail": the elements it returns go to
the explaining path (:meth:`auditor.engine.rule.Rule.check`, today's evaluator), which decides and
builds the finding.

The generated code never guesses. Whatever the generator does not handle exactly (a name it
cannot resolve statically, a value of unknown type, a builtin it does not inline) makes that part
of the rule unsupported: every element that reaches it goes to the explaining path. At run time,
any exception in the generated code (a value of an unexpected type) sends that element there too.
So correctness never depends on the fast path being complete, only speed does; a differential test
(``tests/test_engine_differential.py``) holds both paths to the same findings.

Nothing of a rule's text becomes source text: attribute names come from the model's attrs
fields (checked to be identifiers), and every constant (params, vocabularies, strings, numbers)
is passed in the function's namespace, never written into the source.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping

import attrs

from auditor.engine import coderuntime as _rt
from auditor.engine import errors as _errors
from auditor.engine.codecalls import Calls
from auditor.engine.codewriter import BOOL, NUM, STR, Unsupported, V, _Namespace, _obj, field_of
from auditor.engine.errors import OverBudget
from auditor.source import MONEY_UNITS

__all__ = ["CompiledRule", "compile_rule"]


@attrs.frozen
class CompiledRule:
    """A rule's generated function and its source (``auditor rule CODE --show-compiled``)."""

    source: str
    function: Callable[[Any, Any], Any] = attrs.field(repr=False)
    #: The parts that could not be compiled (their elements always go to the explaining path), with why.
    unsupported: tuple[tuple[str, str], ...] = ()


def _element_types(path: str, sheet_class: type) -> tuple[type, type | None]:
    """The element class of ``over = path`` and its parent's class (None at the sheet)."""
    from auditor.engine.rule import _segments

    classes: list[type] = [sheet_class]
    for seg in _segments(path):
        f = field_of(frozenset({classes[-1]}), seg)
        if f.t[0] == "list":
            if f.t[1][0] != "obj" or len(f.t[1][1]) != 1:
                raise Unsupported(f"over {path!r}")
            (cls,) = f.t[1][1]
        elif f.t[0] == "obj" and len(f.t[1]) == 1:
            (cls,) = f.t[1]
        else:
            raise Unsupported(f"over {path!r}")
        classes.append(cls)
    return classes[-1], (classes[-2] if len(classes) > 1 else None)


def compile_rule(rule: Any, vocab: Mapping[str, tuple[str, ...]]) -> CompiledRule:
    """One generated function for ``rule``: ``function(sheet, shared) -> [(path, element tuple) …]``,
    the elements that may fail (or that it does not decide), in the order of ``rule.over``."""
    from auditor.engine import formulas
    from auditor.model import Sheet

    _rt._formulas = formulas
    ns = _Namespace()
    ns.values.update(UNSET=_rt.UNSET, _bad=_rt._bad, _Bad=_rt._Bad, OverBudget=OverBudget, MAX_STEPS=_errors.MAX_STEPS,
                     _Sheet=Sheet)
    gen = Calls(rule, vocab, ns)
    gen.sheet_class = Sheet
    unsupported: list[tuple[str, str]] = []
    body: list[str] = []
    for path in rule.over:
        gen.lines, gen.indent, gen.memo, gen.truthy = [], 3, [{}], {}
        try:
            elem_cls, parent_cls = _element_types(path, Sheet)
        except Unsupported as exc:
            unsupported.append((path, str(exc)))
            path_name = ns.const(path, "path")
            body += [f"    out.extend([({path_name}, item) for item in shared.elements({path_name})])"]
            continue
        path_name = ns.const(path, "path")
        cls_name = ns.const(elem_cls, "cls")
        gen.this = V("e", _obj(elem_cls), never_none=True)
        gen.parent = V("parent", _obj(parent_cls), never_none=True) if parent_cls is not None else None
        gen.line("e, parent, prev, nxt, index = item")
        gen.line("steps += 1")
        with gen.block("if steps > MAX_STEPS:"):
            gen.line("raise OverBudget")
        with gen.block(f"if e.__class__ is not {cls_name}:"):
            gen.line(f"out.append(({path_name}, item))")
            gen.line("continue")
        _decide(gen, rule, unsupported, path)
        body += [f"    for item in shared.elements({path_name}):", "        try:", *gen.lines,
                 "        except OverBudget:", "            raise",
                 "        except Exception:  # a value the code cannot be sure of: explained instead", "            pass",
                 f"        out.append(({path_name}, item))"]
    cells = sorted(set(gen.cells.values()))
    head = [f"def check_{rule.code}(sheet, shared):", "    out = []", "    steps = 0",
            "    shared_values = shared.values"]
    if rule.cross:
        head.append("    project = shared.project")
    if cells:
        head.append(f"    {' = '.join(cells)} = UNSET")
    head += ["    if sheet.__class__ is not _Sheet:",
             "        for path in OVER:",
             "            out.extend([(path, item) for item in shared.elements(path)])",
             "        return out"]
    ns.values["OVER"] = tuple(rule.over)
    source = "\n".join(head + body + ["    return out", ""])
    code = compile(source, f"<auditor rule {rule.code}>", "exec")
    namespace = dict(ns.values)
    exec(code, namespace)  # the source is made above from the generator's own text only
    return CompiledRule(source, namespace[f"check_{rule.code}"], tuple(unsupported))


def _decide(gen: Calls, rule: Any, unsupported: list[tuple[str, str]], path: str) -> None:
    """Write the per-element decision: ``continue`` where the rule holds or does not apply."""
    if rule.when is not None:
        state = gen.state()
        try:
            w = gen.emit(rule.when)
            if w.t != BOOL:
                raise Unsupported("when is not a truth value")
            with gen.block(f"if {w.x} is not True:"):
                gen.line("continue")
            gen.memo[-1].update(gen.truthy.get(w.x, {}))  # what the when computed, past its test
        except Unsupported as exc:
            gen.restore(state)
            unsupported.append((f"{path}: when", str(exc)))
            return
    state = gen.state()
    try:
        if rule.assertion is not None:
            a = gen.emit(rule.assertion)
            if a.t != BOOL:
                raise Unsupported("assert is not a truth value")
            with gen.block(f"if {a.x} is not False:"):
                gen.line("continue")
        else:
            _compare(gen, rule)
    except Unsupported as exc:
        gen.restore(state)
        unsupported.append((f"{path}: {'assert' if rule.assertion is not None else 'actual/expected'}", str(exc)))


def _compare(gen: Calls, rule: Any) -> None:
    if rule.compare == "rounding":
        actual, expected = gen.interval(rule.actual), gen.interval(rule.expected)
        with gen.block(f"if {actual[0]} is None or {expected[0]} is None:"):
            gen.line("continue")
        ok = gen.meets(actual, expected)
        with gen.block(f"if {ok.x}:"):
            gen.line("continue")
        return
    actual, expected = gen.emit(rule.actual), gen.emit(rule.expected)
    if actual.t != expected.t or actual.t not in (NUM, STR):
        raise Unsupported("actual and expected of different or unknown kinds")
    with gen.block(f"if {actual.x} is None or {expected.x} is None:"):
        gen.line("continue")
    if rule.compare == "convention":
        if actual.amount is None:
            raise Unsupported("convention of an actual value not read as an amount")
        fn = gen.helper(_rt._stated_matches, "stated_matches")
        units = gen.ns.const(MONEY_UNITS, "units")
        with gen.block(f"if {actual.amount}.unit in {units}:"):
            with gen.block(f"if {fn}({expected.x}, {actual.x}, {actual.amount}.unit):"):
                gen.line("continue")
        with gen.block(f"elif {actual.x} == {expected.x}:"):
            gen.line("continue")
        return
    with gen.block(f"if {actual.x} == {expected.x}:"):
        gen.line("continue")
