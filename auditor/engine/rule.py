"""One loaded rule, and how it runs over the elements of a sheet to give findings."""

from __future__ import annotations

import itertools

from collections.abc import Iterator, Mapping

from auditor.engine.codegen import CompiledRule, compile_rule
from auditor.engine import errors
from auditor.engine.errors import OverBudget, RulePackError
from auditor.engine.evaluate import PROJECT, Env, RuleTypeError, _fields, compile_node, evaluate, to_value
from auditor.josa import attach
from auditor.engine.schema import ANY, field_type
from auditor.engine.values import Missing, Num, format_num, meets
from auditor.findings import Finding, Related, Severity
from auditor.engine.doc import RuleDoc
from auditor.plain import NOTHING, Field, Frozen, frozen
from auditor.source import Source

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["Rule", "SheetCache", "Template", "over_type", "elements"]

#: The most other lines one finding names (the first ones, in the order the rule read them): a
#: sum over a whole sheet names every line of it, and a huge sheet would make every report huge.
MAX_RELATED = 50


_set = object.__setattr__


class Template(Frozen):
    """A message or key template: literal text and parsed ``{expression}`` parts."""

    __slots__ = ("parts", "__weakref__")
    parts: tuple[Any, ...]

    def __init__(self, parts: tuple[Any, ...] = ()) -> None:
        _set(self, "parts", parts)

    def render(self, env: Env, compiled: tuple[Any, ...] | None = None) -> str:
        """The text, each ``{expression}`` evaluated in ``env`` (``compiled``: the parts as closures)."""
        out: list[str] = []
        after_value = False
        for part in self.parts if compiled is None else compiled:
            if isinstance(part, str):
                out.append(attach(out[-1], part) if after_value else part)
                after_value = False
            else:
                out.append(display(part(env) if callable(part) else evaluate(part, env)))
                after_value = True
        return "".join(out)

    def compiled(self) -> tuple[Any, ...]:
        """The parts with each expression as its :func:`compile_node` closure."""
        return tuple(p if isinstance(p, str) else compile_node(p) for p in self.parts)


frozen(Template, Field("parts", default=()))
#: The empty template, every rule's default key and messages (one object, as attrs' default was).
_NO_TEXT = Template()


def display(value: Any, unit: str | None = None) -> str:
    if isinstance(value, Num):
        return format_num(value, unit)
    if isinstance(value, Missing):
        return "?"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return ", ".join(display(v) for v in value)
    return str(value)


def _segments(path: str) -> list[str]:
    path = path.strip()
    if path == "sheet":
        return []
    segs = [s.strip().removesuffix("[]") for s in path.split(".")]
    if not all(segs):
        raise ValueError(f"bad collection path {path!r}")
    return segs


def over_type(root_cls: type, path: str) -> Any:
    """Static element type of ``over = path`` starting at the sheet class."""
    t: Any = ("obj", root_cls)
    for seg in _segments(path):
        if not (isinstance(t, tuple) and t[0] == "obj"):
            raise ValueError(f"{seg!r} in {path!r}: only a model object has fields")
        nxt = field_type(t[1], seg)
        if nxt is None:
            raise ValueError(f"{t[1].__name__} has no field {seg!r} (in {path!r})")
        t = nxt[1] if isinstance(nxt, tuple) and nxt[0] == "list" else nxt
    if not (isinstance(t, tuple) and t[0] == "obj"):
        raise ValueError(f"{path!r} does not name model objects")
    return t


def parent_type(root_cls: type, path: str) -> Any:
    """Static type of ``parent`` for the elements of ``over = path``: the object the path's last
    segment is read from (``BasisGroup`` for ``basis.categories.groups.funding``); ANY for ``sheet``,
    whose element has no owner."""
    segments = _segments(path)
    if not segments:
        return ANY
    if len(segments) == 1:
        return ("obj", root_cls)
    return over_type(root_cls, ".".join(segments[:-1]))


def elements(sheet: Any, path: str, owners: list[Any] | None = None) -> list[tuple[Any, Any, Any, Any, int]]:
    """``(element, parent, prev, next, index)`` for every element under ``path``: absent ones (None)
    skipped. ``owners`` are the objects its last segment is read from, when known (SheetCache)."""
    segments = _path_segments(path)
    if not segments:
        return [(sheet, None, None, None, 0)]
    if owners is None:
        owners = [sheet]
        for seg in segments[:-1]:
            owners = _objects(owners, seg)
    seg, found = segments[-1], []
    for obj in owners:
        raw = _read(obj, seg)
        if raw is None:
            continue
        if not isinstance(raw, tuple):
            found.append((raw, obj, None, None, 0))
        else:
            end = len(raw) - 1
            found.extend([(x, obj, raw[i - 1] if i else None, raw[i + 1] if i < end else None, i)
                          for i, x in enumerate(raw) if x is not None])
    return found


def _read(obj: Any, seg: str) -> Any:
    """``obj``'s field ``seg`` through the model's field table (a name from a pack is never getattr'd as is)."""
    table = _fields(type(obj))
    field = table.get(seg) if table is not None else None
    return None if field is None else getattr(obj, field[0])


def _objects(owners: list[Any], seg: str) -> list[Any]:
    """The objects field ``seg`` of ``owners`` holds, lists flattened, absent ones skipped."""
    found: list[Any] = []
    for obj in owners:
        raw = _read(obj, seg)
        if raw is None:
            continue
        if isinstance(raw, tuple):
            found.extend([x for x in raw if x is not None])
        else:
            found.append(raw)
    return found


def _path_segments(path: str) -> tuple[str, ...]:
    segments = _SEGMENTS.get(path)
    if segments is None:
        segments = _SEGMENTS[path] = tuple(_segments(path))
    return segments


#: Each ``over`` path's segments (a pack names a few paths).
_SEGMENTS: dict[str, tuple[str, ...]] = {}


class SheetCache:
    """What the rules checking one sheet share: each collection's elements (walked once, prefixes
    shared: ``basis.categories.groups`` serves ``….items`` too), and in the cross pass the sheet's
    project (``사업``, a :class:`~auditor.crossdoc.model.Project`). What the generated code computes
    once per sheet is a local of its fused function (``codegen.compile_rules``)."""

    __slots__ = ("sheet", "project", "values", "_elements", "_objects")

    def __init__(self, sheet: Any, project: Any = None) -> None:
        self.sheet = sheet
        self.project = project
        #: The values the cross rules' fused functions compute once per document, by number
        #: (``codewriter.Writer.once_per_sheet``): each is computed by the first function that needs it.
        self.values: dict[int, Any] = {}
        self._elements: dict[str, list] = {}
        self._objects: dict[tuple[str, ...], list] = {(): [sheet]}

    def elements(self, path: str) -> list:
        found = self._elements.get(path)
        if found is None:
            segments = _path_segments(path)
            owners = self.objects(segments[:-1]) if segments else None
            found = self._elements[path] = elements(self.sheet, path, owners)
        return found

    def objects(self, segments: tuple[str, ...]) -> list:
        """The objects at ``segments`` from the sheet, lists flattened."""
        found = self._objects.get(segments)
        if found is None:
            found = self._objects[segments] = _objects(self.objects(segments[:-1]), segments[-1])
        return found


class Rule(Frozen):
    """A rule as loaded from a pack; ``reader`` rules only name and document reader problems."""

    __slots__ = ("code", "name", "severity", "doc", "pack", "params", "line", "reader", "over", "when", "assertion",
                 "actual", "expected", "at", "related", "show_actual", "show_expected", "compare", "key",
                 "message_ko", "message_en", "key_lines", "_compiled", "_explaining", "_cross", "__weakref__")
    code: str
    name: str
    severity: Severity
    doc: RuleDoc
    pack: str
    params: Mapping[str, Any]
    line: int
    reader: bool
    over: tuple[str, ...]
    when: tuple | None
    assertion: tuple | None
    actual: tuple | None
    expected: tuple | None
    at: tuple | None
    #: Values whose lines a finding names as related (``related``): display only, never compared.
    related: tuple | None
    #: Display-only values of an ``assert`` rule (``show.actual``, ``show.expected``).
    show_actual: tuple | None
    show_expected: tuple | None
    compare: str
    key: Template
    message_ko: Template
    message_en: Template
    key_lines: Mapping[str, int]
    # Not fields (not compared, shown, pickled or given to the constructor): the generated fast path
    # and the vocabularies it was made with (made on first use, never stored); the explaining path's
    # params and closures (:class:`_Explaining`: made on first use); whether the rule is a cross rule.
    _compiled: Any
    _explaining: Any
    _cross: Any

    def __init__(self, code: str, name: str, severity: Severity, doc: RuleDoc, pack: str,
                 params: Mapping[str, Any] = NOTHING, line: int = 1, reader: bool = False,  # type: ignore[assignment]
                 over: tuple[str, ...] = (), when: tuple | None = None, assertion: tuple | None = None,
                 actual: tuple | None = None, expected: tuple | None = None, at: tuple | None = None,
                 related: tuple | None = None, show_actual: tuple | None = None, show_expected: tuple | None = None,
                 compare: str = "exact", key: Template = _NO_TEXT, message_ko: Template = _NO_TEXT,
                 message_en: Template = _NO_TEXT, key_lines: Mapping[str, int] = NOTHING) -> None:  # type: ignore[assignment]
        _set(self, "code", code)
        _set(self, "name", name)
        _set(self, "severity", severity)
        _set(self, "doc", doc)
        _set(self, "pack", pack)
        _set(self, "params", {} if params is NOTHING else params)
        _set(self, "line", line)
        _set(self, "reader", reader)
        _set(self, "over", over)
        _set(self, "when", when)
        _set(self, "assertion", assertion)
        _set(self, "actual", actual)
        _set(self, "expected", expected)
        _set(self, "at", at)
        _set(self, "related", related)
        _set(self, "show_actual", show_actual)
        _set(self, "show_expected", show_expected)
        _set(self, "compare", compare)
        _set(self, "key", key)
        _set(self, "message_ko", message_ko)
        _set(self, "message_en", message_en)
        _set(self, "key_lines", {} if key_lines is NOTHING else key_lines)
        _set(self, "_compiled", None)
        _set(self, "_explaining", None)
        _set(self, "_cross", None)

    def __setstate__(self, state: Any) -> None:
        Frozen.__setstate__(self, state)
        _set(self, "_compiled", None)
        _set(self, "_explaining", None)
        _set(self, "_cross", None)

    @property
    def cross(self) -> bool:
        """Does the rule name ``사업`` (the project), anywhere? Then it is a cross-document rule: it runs
        in the cross pass, over each document of a project with others, never on a document alone."""
        found = self._cross
        if found is None:
            trees = (self.when, self.assertion, self.actual, self.expected, self.at, self.related, self.show_actual,
                     self.show_expected, *self.key.parts, *self.message_ko.parts, *self.message_en.parts)
            found = any(_names_project(tree) for tree in trees if isinstance(tree, tuple))
            object.__setattr__(self, "_cross", found)
        return found

    def _explainer(self) -> _Explaining:
        found = self._explaining
        if found is None:
            found = _Explaining(self)
            object.__setattr__(self, "_explaining", found)
        return found

    def compiled(self, vocab: Mapping[str, tuple[str, ...]]) -> CompiledRule:
        """This rule as one generated Python function (:mod:`auditor.engine.codegen`), for ``vocab``."""
        found = self._compiled
        if found is None or found[0] is not vocab:
            found = (vocab, compile_rule(self, vocab))
            object.__setattr__(self, "_compiled", found)
        return found[1]

    def _error(self, part: str, exc: Exception, sheet_path: str, env: Env) -> RulePackError:
        """A rule that misused its values on one element: names the rule, the sheet line and the element."""
        line = self.key_lines.get(part, self.line)
        source = getattr(env.this, "source", None)
        at = f"{sheet_path}:{source.line}" if isinstance(source, Source) and source.line else sheet_path
        element = f"{env.over}[{env.index}]" if env.over and env.over != "sheet" else "sheet"
        return RulePackError(self.pack, line, 1,
                             f"규칙 {self.code}의 {part} 식을 {at}의 {element}에 적용할 수 없습니다: {exc} / "
                             f"rule {self.code} ({part}) cannot be applied to {element} at {at}: {exc}")

    def _run(self, part: str, env: Env, sheet_path: str) -> Any:
        try:
            return self._explainer().parts[part](env)
        except RuleTypeError as exc:
            raise self._error(part, exc, sheet_path, env) from None
        except ZeroDivisionError:
            return None

    def check(self, sheet: Any, vocab: Mapping[str, tuple[str, ...]],
              shared: SheetCache | None = None, *, reference: bool = False) -> list[Finding]:
        """The findings of this rule on one sheet (occurrence left at 0; the RuleSet numbers them).

        The rule's generated function (:meth:`compiled`) decides each element; only those it
        does not pass go to the explaining path (today's evaluator), which decides them again and
        builds each finding. With ``reference``, every element takes the explaining path: the
        reference the fast path is tested against. ``shared`` holds what every rule may reuse on
        the same sheet (its element lists); the RuleSet passes one per sheet.
        """
        shared = shared if shared is not None else SheetCache(sheet)
        if reference:
            candidates = [(path, item) for path in self.over for item in shared.elements(path)]
        elif not any(shared.elements(path) for path in self.over):
            return []  # nothing to decide (an e호조 rule on a 사업설명서): the function is not even made
        else:
            try:
                candidates = self.compiled(vocab).function(sheet, shared)
            except OverBudget:
                return [self._over_budget(sheet)]
        return self._explain(sheet, vocab, candidates, shared) if candidates else []

    def _explain(self, sheet: Any, vocab: Mapping[str, tuple[str, ...]], candidates: list, shared: SheetCache
                 ) -> list[Finding]:
        """The findings of ``candidates`` (``(path, element tuple)`` pairs), decided by the evaluator."""
        env = Env(root=sheet, params=self._explainer().params, vocab=vocab, project=shared.project)
        found = []
        for path, (element, parent, prev, after, index) in candidates:
            env.over = path
            env.this, env.parent, env.prev, env.next, env.index = element, parent, prev, after, index
            env.touched.clear()
            try:
                env.spend(1)
                finding = self._check_one(env, sheet)
            except OverBudget:
                return [self._over_budget(sheet)]
            env.inner.clear()
            env.extra.clear()
            if finding is not None:
                found.append(finding)
        return found

    def _over_budget(self, sheet: Any) -> Finding:
        """The one finding of a rule that stopped on a sheet past its budget: the rule is the cause."""
        path, budget = getattr(sheet, "path", ""), errors.MAX_STEPS
        return Finding(
            code=self.code, name=self.name, severity=self.severity, path=path, line=1,
            message_ko=f"규칙 {self.code}이(가) 이 시트에서 계산 한도({budget:,}단계)를 넘어 검사를 멈췄습니다. "
                       f"시트가 아니라 규칙의 문제입니다: {self.pack}:{self.line}의 식이 원소마다 시트 전체를 훑는지 "
                       "확인하세요.",
            message_en=f"rule {self.code} stopped on this sheet past its budget of {budget:,} steps: the rule, "
                       f"not the sheet, is the cause (see {self.pack}:{self.line}; does an expression walk the "
                       "whole sheet for every element?).",
            key=f"{self.code}.budget",
        )

    def _check_one(self, env: Env, sheet: Any) -> Finding | None:
        path = getattr(sheet, "path", "")
        if self.when is not None:
            ok = self._run("when", env, path)
            if ok is None or isinstance(ok, Missing):
                return None
            if not isinstance(ok, bool):
                raise self._error("when", RuleTypeError("when must be a truth value"), path, env)
            if not ok:
                return None
        env.touched.clear()
        actual = expected = None
        if self.assertion is not None:
            ok = self._run("assert", env, path)
            if ok is None or isinstance(ok, Missing):
                return None
            if not isinstance(ok, bool):
                raise self._error("assert", RuleTypeError("assert must be a truth value"), path, env)
            if ok:
                return None
            touched = list(env.touched)
            if self.show_actual is not None:
                actual = self._run("show.actual", env, path)
                expected = self._run("show.expected", env, path)
                shown = list(_sources(actual)) + list(_sources(expected))
                touched = shown or touched
        else:
            actual = self._run("actual", env, path)
            expected = self._run("expected", env, path)
            if actual is None or expected is None or isinstance(actual, Missing) or isinstance(expected, Missing):
                return None
            if self._holds(actual, expected, env, path):
                return None
            touched = list(_sources(actual)) + list(_sources(expected))
        if self.related is not None:  # the lines the rule names, instead of what its assertion read
            shown_touched = touched if (self.assertion is None or self.show_actual is not None) else []
            env.touched.clear()
            value = self._run("related", env, path)
            touched = shown_touched + (list(_sources(value)) or list(env.touched))
        primary = self._primary(env, path, touched)
        if primary is None:
            return None
        related = tuple(itertools.islice(dict.fromkeys(
            Related(path=src.path, line=src.line, label=label)
            for src, label in touched if src.line != primary.line or src.path != primary.path
        ), MAX_RELATED))
        actual, expected = _shown(actual), _shown(expected)
        shown: list[str | None] = [None] * self._explainer().distinct
        if isinstance(actual, Num) and isinstance(expected, Num):
            unit = actual.unit or expected.unit
            # a bare number beside money (an empty sum, a literal 0) is shown in the money's unit
            actual = actual if actual.unit else actual.evolve(unit=unit)
            expected = expected if expected.unit else expected.evolve(unit=unit)
            env.extra.update(actual=actual, expected=expected, difference=Num((actual - expected).value, unit=unit))
        elif actual is not None:
            env.extra.update(actual=actual, expected=expected, difference="")
        return Finding(
            code=self.code, name=self.name, severity=self.severity, path=path, line=primary.line,
            column=primary.column, end_column=primary.end_column,
            message_ko=self._render(env, path, "message.ko", shown),
            message_en=self._render(env, path, "message.en", shown), related=related,
            expected=None if expected is None else display(expected, _unit(actual, expected)),
            actual=None if actual is None else display(actual),
            key=self._render(env, path, "key", shown),
        )

    def _render(self, env: Env, path: str, part: str, shown: list) -> str:
        """Template ``part`` of this element (as :meth:`Template.render`), each distinct expression
        of the three templates evaluated once for them all: ``shown`` holds the texts shown so far
        (the two messages show the same values, and the evaluator's ``round(increase_rate, 1)`` or
        ``first.내역`` would be computed again for each)."""
        explaining = self._explainer()
        compiled, slots = explaining.templates[part][1], explaining.slots[part]
        out: list[str] = []
        after_value = False
        try:
            for piece, slot in zip(compiled, slots):
                if slot is None:
                    out.append(attach(out[-1], piece) if after_value else piece)
                    after_value = False
                else:
                    text = shown[slot]
                    if text is None:
                        text = shown[slot] = display(piece(env))
                    out.append(text)
                    after_value = True
        except RuleTypeError as exc:
            raise self._error(part, exc, path, env) from None
        return "".join(out)

    def _holds(self, actual: Any, expected: Any, env: Env, path: str) -> bool:
        if isinstance(actual, Num) and isinstance(expected, Num):
            if self.compare == "rounding":
                return meets(actual, expected)
            if self.compare == "convention" and actual.is_money:
                from auditor.engine.formulas import stated_matches

                return stated_matches(expected, actual)
            return actual.value == expected.value
        if isinstance(actual, Num) or isinstance(expected, Num):
            raise self._error("actual", RuleTypeError("actual and expected must both be numbers or both text"),
                              path, env)
        return actual == expected

    def _primary(self, env: Env, path: str, touched: list[tuple[Source, str]]) -> Source | None:
        """The finding's own line: the first value of ``at``, else of what it compared, read from
        the sheet's own file (a cross rule's values from another document are only related)."""
        if self.at is not None:
            env.touched.clear()
            value = self._run("at", env, path)
            chosen = _own(list(_sources(value)) or list(env.touched), path, self.cross)
            if chosen is not None:
                return chosen
        chosen = _own(touched, path, self.cross)
        if chosen is not None:
            return chosen
        source = getattr(env.this, "source", None) if env.this is not None else None
        if isinstance(source, Source):
            return source
        return None if not path else Source(path=path, line=1)


#: Written out (auditor.plain), where attrs.frozen compiled its methods at every import;
#: tests/test_plain_engine.py holds it to its attrs declaration.
frozen(Rule, Field("code"), Field("name"), Field("severity"), Field("doc"), Field("pack"),
       Field("params", factory=dict), Field("line", default=1), Field("reader", default=False),
       Field("over", default=()), Field("when", default=None), Field("assertion", default=None),
       Field("actual", default=None), Field("expected", default=None), Field("at", default=None),
       Field("related", default=None), Field("show_actual", default=None), Field("show_expected", default=None),
       Field("compare", default="exact"), Field("key", default=_NO_TEXT), Field("message_ko", default=_NO_TEXT),
       Field("message_en", default=_NO_TEXT), Field("key_lines", factory=dict))


def _own(sources: list[tuple[Source, str]], path: str, cross: bool) -> Source | None:
    """The first of ``sources`` read from ``path``; else, but for a cross rule (whose other values
    are in other documents), the first of them."""
    for source, _ in sources:
        if source.path == path:
            return source
    return sources[0][0] if sources and not cross else None


def _names_project(tree: Any) -> bool:
    """Does a checked expression tree name the project root anywhere?"""
    if tree == ("name", PROJECT):
        return True
    return isinstance(tree, tuple) and any(_names_project(part) for part in tree if isinstance(part, tuple))


def _shown(value: Any) -> Any:
    """A display value: a missing one shows as nothing rather than ``?``."""
    return None if isinstance(value, Missing) else value


def _unit(actual: Any, expected: Any) -> str | None:
    if isinstance(actual, Num) and actual.unit:
        return actual.unit
    return expected.unit if isinstance(expected, Num) else None


def _sources(value: Any) -> Iterator[tuple[Source, str]]:
    if isinstance(value, Num):
        yield from value.sources
    elif isinstance(value, tuple):
        for v in value:
            yield from _sources(v)


def _freeze(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


class _Explaining:
    """What the explaining path of one rule needs, made once per rule: its params as the language
    sees them, and each expression and template as :func:`compile_node` closures."""

    __slots__ = ("params", "parts", "templates", "slots", "distinct")

    def __init__(self, rule: Rule) -> None:
        self.params = {k: to_value(_freeze(v), k, None) for k, v in rule.params.items()}
        trees = {"when": rule.when, "assert": rule.assertion, "actual": rule.actual, "expected": rule.expected,
                 "at": rule.at, "related": rule.related, "show.actual": rule.show_actual,
                 "show.expected": rule.show_expected}
        self.parts = {part: compile_node(tree) for part, tree in trees.items() if tree is not None}
        self.templates = {part: (template, template.compiled()) for part, template in
                          (("key", rule.key), ("message.ko", rule.message_ko), ("message.en", rule.message_en))}
        #: Each template's parts: None for text, else the index of the expression among the distinct
        #: expressions of the three templates (equal trees, one index), whose shown texts a finding shares.
        index: dict[Any, int] = {}
        self.slots = {part: tuple(None if isinstance(p, str) else index.setdefault(p, len(index)) for p in template.parts)
                      for part, (template, _) in self.templates.items()}
        self.distinct = len(index)
