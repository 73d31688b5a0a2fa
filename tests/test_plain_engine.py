"""The engine's, the findings' and the run result's written-out classes (auditor.plain) against their attrs
declarations at 2fa9744: fields, slots, signature, ``__match_args__``, equality, hash, ``repr``,
immutability (or, for the ``attrs.define`` ones, fields that may be set and no hash), pickling,
``attrs.evolve`` and ``attrs.asdict``; and that the private, non-field slots (a rule's generated code,
a rule set's fused functions) are not compared, shown or pickled, as attrs' ``init=False`` fields were not."""

from __future__ import annotations

import inspect
import pickle
from typing import Any, Callable, Mapping, Sequence

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor import result
from auditor.engine import check, codegen, codewriter, evaluate, rule, ruleset
from auditor.engine.doc import RuleDoc  # noqa: F401 - the references' annotations name these
from auditor.engine.errors import PackWarning  # noqa: F401
from auditor.fields import to_frozenset, to_tuple
from auditor.findings import Finding as _Finding, Related as _Related, Severity, replaced
from auditor.plain import Frozen, Mutable
from auditor.source import Source  # noqa: F401
from test_plain import _VALUE, _hash
from auditor.plain import NOTHING as plain_nothing

# --- the reference: the attrs declarations at 2fa9744 (module names set so attrs' hash constants match) ---


def _as_attrs(default: object) -> object:
    """A written-out ``__init__``'s default as attrs' showed it: :data:`auditor.plain.NOTHING` stands where attrs'
    signature showed ``attrs.NOTHING`` (a check run never imports attrs)."""
    return attrs.NOTHING if default is plain_nothing else default


@attrs.frozen
class Related:
    __module__ = "auditor.findings"
    path: str
    line: int
    label: str = ""


@attrs.frozen
class Finding:
    __module__ = "auditor.findings"
    code: str
    name: str
    severity: Severity
    path: str
    line: int
    message_ko: str
    message_en: str = ""
    column: int | None = None
    end_column: int | None = None
    related: tuple[Related, ...] = attrs.field(default=(), converter=to_tuple)
    expected: str | None = None
    actual: str | None = None
    key: str = ""
    occurrence: int = 0
    context: tuple[tuple[str, str], ...] = attrs.field(default=(), converter=to_tuple)


@attrs.frozen
class CheckedFile:
    __module__ = "auditor.result"
    path: str
    lines: Sequence[str] = attrs.field(default=(), converter=result._lines, repr=False)
    encoding: str = attrs.field(default="utf-8", converter=result._shared)
    title: str = ""
    totals: tuple[Any, ...] = attrs.field(default=(), converter=to_tuple, repr=False)
    department: str = attrs.field(default="", converter=result._shared)
    index: tuple[Any, ...] = attrs.field(default=(), converter=to_tuple, repr=False, eq=False)


@attrs.frozen
class FileError:
    __module__ = "auditor.result"
    path: str
    message_ko: str
    message_en: str = ""


@attrs.frozen
class CheckResult:
    __module__ = "auditor.result"
    files: tuple[CheckedFile, ...] = attrs.field(default=(), converter=to_tuple)
    findings: Sequence[Finding] = attrs.field(default=(), converter=result._findings)
    errors: tuple[FileError, ...] = attrs.field(default=(), converter=to_tuple)
    rules: tuple[RuleDoc, ...] = attrs.field(default=(), converter=to_tuple)
    baselined: int = 0
    fail_on: Severity = attrs.field(default=Severity.ERROR, validator=attrs.validators.instance_of(Severity))
    projects: tuple[Any, ...] = attrs.field(default=(), converter=to_tuple)


@attrs.frozen
class Template:
    __module__ = "auditor.engine.rule"
    parts: tuple[Any, ...] = ()


@attrs.frozen
class Rule:
    __module__ = "auditor.engine.rule"
    code: str
    name: str
    severity: Severity
    doc: RuleDoc
    pack: str
    params: Mapping[str, Any] = attrs.field(factory=dict)
    line: int = 1
    reader: bool = False
    over: tuple[str, ...] = ()
    when: tuple | None = None
    assertion: tuple | None = None
    actual: tuple | None = None
    expected: tuple | None = None
    at: tuple | None = None
    related: tuple | None = None
    show_actual: tuple | None = None
    show_expected: tuple | None = None
    compare: str = "exact"
    key: Template = rule._NO_TEXT
    message_ko: Template = rule._NO_TEXT
    message_en: Template = rule._NO_TEXT
    key_lines: Mapping[str, int] = attrs.field(factory=dict)
    _compiled: Any = attrs.field(default=None, init=False, eq=False, repr=False)
    _explaining: Any = attrs.field(default=None, init=False, eq=False, repr=False)
    _cross: Any = attrs.field(default=None, init=False, eq=False, repr=False)


@attrs.frozen
class RuleSet:
    __module__ = "auditor.engine.ruleset"
    rules: tuple[Rule, ...] = attrs.field(converter=to_tuple)
    vocab: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)
    reader_codes: frozenset[str] = attrs.field(factory=frozenset, converter=to_frozenset)
    warnings: tuple[PackWarning, ...] = attrs.field(default=(), converter=to_tuple)
    reference: bool = False
    deferred: Any = attrs.field(default=None, eq=False, repr=False)
    _complete: Any = attrs.field(default=None, init=False, eq=False, repr=False)
    _fused: dict = attrs.field(factory=dict, init=False, eq=False, repr=False)


@attrs.frozen
class CompiledRules:
    __module__ = "auditor.engine.codegen"
    source: str
    function: Callable[[Any, Any], Any] = attrs.field(repr=False)
    codes: tuple[str, ...] = ()
    over: tuple[str, ...] = ()
    unsupported: tuple[tuple[str, str, str], ...] = ()


@attrs.frozen
class CompiledRule:
    __module__ = "auditor.engine.codegen"
    source: str
    function: Callable[[Any, Any], Any] = attrs.field(repr=False)
    unsupported: tuple[tuple[str, str], ...] = ()


@attrs.frozen
class _Field:
    __module__ = "auditor.engine.codewriter"
    attr: str
    how: str
    t: tuple
    item: str | None = None


@attrs.define
class Env:
    __module__ = "auditor.engine.evaluate"
    root: Any
    this: Any = None
    parent: Any = None
    prev: Any = None
    next: Any = None
    index: int = 0
    params: dict[str, Any] = attrs.Factory(dict)
    vocab: dict[str, tuple[str, ...]] = attrs.Factory(dict)
    extra: dict[str, Any] = attrs.Factory(dict)
    inner: list[Any] = attrs.Factory(list)
    touched: list[tuple[Source, str]] = attrs.Factory(list)
    cache: dict[object, Any] = attrs.Factory(dict)
    over: str = ""
    steps: int = 0
    project: Any = None


@attrs.define
class V:
    __module__ = "auditor.engine.codewriter"
    x: str
    t: tuple
    exact: bool = False
    amount: str | None = None
    owner: str | None = None
    attr: str | None = None
    never_none: bool = False
    ref: str = "local"
    own: bool = False


@attrs.define
class StaticScope:
    __module__ = "auditor.engine.check"
    root: Any
    this: Any
    parent: Any = check.ANY
    params: dict[str, Any] = attrs.Factory(dict)
    vocab: frozenset[str] = frozenset()
    message: bool = False
    bindings: tuple[str, ...] = ()
    inner: list[Any] = attrs.Factory(list)
    uses_element: bool = False


PAIRS = [(_Related, Related), (_Finding, Finding), (result.CheckedFile, CheckedFile), (result.FileError, FileError),
         (result.CheckResult, CheckResult), (rule.Template, Template), (rule.Rule, Rule), (ruleset.RuleSet, RuleSet),
         (codegen.CompiledRules, CompiledRules), (codegen.CompiledRule, CompiledRule), (codewriter._Field, _Field),
         (evaluate.Env, Env), (codewriter.V, V), (check.StaticScope, StaticScope)]


def _made_fields(cls: type) -> list[Any]:
    """The fields the constructor takes (attrs' ``init=False`` ones are not fields of the written-out class)."""
    return [f for f in attrs.fields(cls) if f.init]


@pytest.mark.parametrize(("ours", "theirs"), PAIRS, ids=lambda c: c.__name__)
def test_the_class_is_what_attrs_made(ours, theirs):
    frozen_ = "__setattr__" in theirs.__dict__  # attrs.frozen, not attrs.define
    assert issubclass(ours, Frozen if frozen_ else Mutable)
    for mine, reference in zip(attrs.fields(ours), _made_fields(theirs), strict=True):
        for slot in attrs.Attribute.__slots__:
            if slot != "type":  # the reference's annotations are this module's strings, the same text
                assert getattr(mine, slot) == getattr(reference, slot), (mine.name, slot)
        assert mine.type == reference.type or mine.type.replace(" ", "") == reference.type.replace(" ", "")
    assert ours.__slots__ == theirs.__slots__  # the private slots too (a rule's generated code …)
    assert ours.__match_args__ == theirs.__match_args__
    assert [(p.name, p.kind, _as_attrs(p.default)) for p in inspect.signature(ours).parameters.values()] == \
        [(p.name, p.kind, p.default) for p in inspect.signature(theirs).parameters.values()]


@st.composite
def _made(draw: Any) -> tuple[Any, Any]:
    ours, theirs = draw(st.sampled_from(PAIRS))
    kwargs = {}
    for f in _made_fields(theirs):
        if f.default is attrs.NOTHING or draw(st.booleans()):
            kwargs[f.name] = draw(st.lists(_VALUE, max_size=2)) if f.converter is not None else draw(_VALUE)
    try:
        reference = theirs(**kwargs)
    except (TypeError, ValueError) as e:  # a validator's: the written-out class raises the same
        with pytest.raises(type(e)) as raised:
            ours(**kwargs)
        assert raised.value.args[0] == e.args[0] and repr(raised.value.args[1:]) == repr(e.args[1:])
        return draw(_made())
    return ours(**kwargs), reference


@settings(max_examples=200, deadline=None)
@given(_made(), _made())
def test_instances_behave_as_attrs_made_them(one, other):
    (mine, reference), (other_mine, other_reference) = one, other
    assert (mine == other_mine) == (reference == other_reference)
    assert (mine != other_mine) == (reference != other_reference)
    assert _hash(mine) == _hash(reference) and repr(mine) == repr(reference)
    fields = {f.name for f in _made_fields(type(reference))}  # attrs.asdict showed the private slots as well
    assert attrs.asdict(mine) == {k: v for k, v in attrs.asdict(reference).items() if k in fields}
    assert attrs.evolve(mine) == mine and type(attrs.evolve(mine)) is type(mine)
    name = attrs.fields(type(mine))[0].name
    if isinstance(mine, Frozen):
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            setattr(mine, name, 1)
    else:
        setattr(mine, name, 1)
        setattr(reference, name, 1)
        assert getattr(mine, name) == 1 and repr(mine) == repr(reference)
    again = pickle.loads(pickle.dumps(mine))
    assert type(again) is type(mine) and repr(again) == repr(mine)
    if _hash(mine) is not TypeError:
        assert again == mine


@settings(max_examples=200, deadline=None)
@given(_made(), st.data())
def test_an_instance_with_one_field_changed_is_equal_and_hashed_as_attrs_made_it(made, data):
    """Two instances that differ in one field only, for every field in turn: equal (and hashed alike) exactly
    when attrs' were (a field left out of equality or the hash shows here; two drawn apart rarely do)."""
    mine, reference = made
    for f in _made_fields(type(reference)):
        value = data.draw(st.lists(_VALUE, max_size=2) if f.converter is not None else _VALUE)
        try:
            reference_changed = attrs.evolve(reference, **{f.name: value})
        except (TypeError, ValueError):  # a validator's
            continue
        changed = attrs.evolve(mine, **{f.name: value})
        assert (changed == mine) == (reference_changed == reference), f.name
        assert (changed != mine) == (reference_changed != reference), f.name
        if _hash(reference) is not TypeError and _hash(reference_changed) is not TypeError:
            assert (hash(changed) == hash(mine)) == (hash(reference_changed) == hash(reference)), f.name


def test_a_rule_and_a_rule_set_keep_their_private_slots_out_of_equality_repr_and_pickles():
    doc = object()
    made = rule.Rule("X001", "x", Severity.ERROR, doc, "p.toml")
    other = rule.Rule("X001", "x", Severity.ERROR, doc, "p.toml")
    object.__setattr__(made, "_cross", True)
    assert made == other and repr(made) == repr(other) and made._compiled is None
    assert pickle.loads(pickle.dumps(rule.Rule("X001", "x", Severity.ERROR, "doc", "p.toml")))._cross is None
    rules = ruleset.RuleSet((), reader_codes=["PARSE001"])
    rules._fused["by code"] = {}
    assert rules == ruleset.RuleSet((), reader_codes=frozenset({"PARSE001"}))
    assert rules.reader_codes == frozenset({"PARSE001"})
    again = pickle.loads(pickle.dumps(rules))
    assert again._fused == {} and again._complete is None and again == rules


def test_a_finding_replaced_is_attrs_evolve():
    made = _Finding("X001", "x", Severity.ERROR, "a.txt", 3, "메시지", related=[_Related("a.txt", 2)], context=[("a", "b")])
    for changes in ({"occurrence": 2}, {"context": (("department", "과"),)}, {}):
        assert replaced(made, **changes) == attrs.evolve(made, **changes)
        assert repr(replaced(made, **changes)) == repr(attrs.evolve(made, **changes))
