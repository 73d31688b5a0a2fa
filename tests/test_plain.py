"""auditor.plain's written-out classes outside the model (the pipeline's, discovery's, the configuration's,
the selection's, the outputs', the results cache's key, the amount check, the engine's pack warning,
builtin and rule documentation, and the formula's nodes; and since 6f8a204 the last ones a check run
made with attrs: the cross pass's, the e호조 reader's, the CSV cell, the baseline's, the results cache's
pack and the 사업내용 reader's activity) against their attrs declarations: fields, slots, signature,
``__match_args__``, equality, hash,
``repr``, immutability (or, for an ``attrs.define`` class, assignment), pickling, ``attrs.evolve`` and
``attrs.asdict``, and :mod:`auditor.plain`'s stand-ins for attrs (``evolve``, ``fields``, ``has``) against
attrs' own; and the machinery itself (a class whose listed fields differ from its slots is refused)."""

from __future__ import annotations

import inspect
from decimal import Decimal
from fractions import Fraction
import pickle
from typing import Any, Callable

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor import cache as results_cache
from auditor import config, discovery, outputs, pipeline, runner, selection, totals
from auditor import config as cfg
from auditor.config import Options as _Options  # noqa: F401 - the references' annotations name these
from auditor.findings import Severity  # noqa: F401
from auditor.engine import builtins, doc, errors
from auditor.formula import amount, nodes, split
from auditor.formula.nodes import TAGS, Node  # noqa: F401 - the references name them
from auditor.selection import Selector as _Selector  # noqa: F401
from auditor.fields import to_tuple
from auditor import baseline, plain
from auditor.crossdoc import cross, identity
from auditor.crossdoc import model as project_model
from auditor.model import KoreanKeys, Sheet, ko  # noqa: F401 - Sheet: the references' annotations name it
from auditor.plain import Field, Frozen, Mutable, frozen
from auditor.readers import csvline, eho, eho_columns, eho_row, eho_versions, sections
from auditor.readers.decode import Decoded as _Decoded
from auditor.readers.numbers import Number as _Number
from auditor.readers.problems import ProblemKind as _ProblemKind
from auditor.readers.opening import DEFAULT_MAX_FILE_SIZE
from auditor.result import FileError
from auditor.discovery import Input as _Input  # noqa: F401 - the reference's annotations name it
from auditor.plain import NOTHING as plain_nothing

# --- the reference: the attrs declarations at 3c37404 (module names set so attrs' hash constants match) ---


def _as_attrs(default: object) -> object:
    """A written-out ``__init__``'s default as attrs' showed it: :data:`auditor.plain.NOTHING` stands where attrs'
    signature showed ``attrs.NOTHING`` (a check run never imports attrs)."""
    return attrs.NOTHING if default is plain_nothing else default


@attrs.frozen
class Outputs:
    __module__ = "auditor.pipeline"
    main_format: str
    main_path: str | None
    extra: tuple[tuple[str, str], ...]


@attrs.frozen
class Request:
    __module__ = "auditor.pipeline"
    settings: cfg.Settings
    paths: tuple[str, ...] = (".",)
    jobs: int = 1
    stdin_filename: str | None = None
    force_exclude: bool = False
    baseline: str | None = None
    write_baseline: str | None = None
    output_file: str | None = None
    extra_outputs: tuple[tuple[str, str], ...] = ()
    statistics: bool = False
    quiet: bool = False
    verbose: bool = False
    color: bool = False
    html_context: int | None = 2
    exit_zero: bool = False


@attrs.frozen
class Plan:
    __module__ = "auditor.pipeline"
    settings: cfg.Settings
    ruleset: Any
    spec: Any
    known: frozenset[str]
    selected: frozenset[str]
    per_file: Any
    warnings: tuple[Any, ...] = ()


@attrs.frozen(weakref_slot=False)
class Input:
    __module__ = "auditor.discovery"
    path: str
    display: str
    data: bytes | None = attrs.field(default=None, repr=False)
    max_size: int = DEFAULT_MAX_FILE_SIZE


@attrs.frozen
class Discovery:
    __module__ = "auditor.discovery"
    inputs: tuple[Input, ...] = attrs.field(default=(), converter=to_tuple)
    errors: tuple[FileError, ...] = attrs.field(default=(), converter=to_tuple)
    warnings: tuple[FileError, ...] = attrs.field(default=(), converter=to_tuple)


@attrs.frozen
class _Walked:
    __module__ = "auditor.discovery"
    files: list[tuple[str, str]]
    errors: list[FileError]
    warnings: list[FileError]


@attrs.frozen
class Target:
    __module__ = "auditor.outputs"
    option: str
    path: str


@attrs.frozen
class Identity:
    __module__ = "auditor.outputs"
    real: str
    inode: tuple[int, int] | None


@attrs.frozen
class Options:
    __module__ = "auditor.config"
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] | None = None
    extend_per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    severity: tuple[tuple[str, Severity], ...] = ()
    params: tuple[tuple[str, str, Any], ...] = ()
    rules: tuple[Path, ...] = ()
    strict_rules: bool | None = None
    fail_on: Severity | None = None
    output_format: str | None = None
    lang: str | None = None
    include: tuple[str, ...] | None = None
    exclude: tuple[str, ...] | None = None
    extend_exclude: tuple[str, ...] = ()
    max_file_size: int | None = None
    cache_dir: Path | None = None
    no_cache: bool | None = None
    identity: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()
    prior_year_basis: str | None = None


@attrs.frozen
class Settings:
    __module__ = "auditor.config"
    config_path: Path | None
    root: Path
    file: Options
    cli: Options
    fail_on: Severity
    output_format: str | None
    lang: str
    include: tuple[str, ...]
    exclude: tuple[str, ...]
    rules: tuple[Path, ...]
    strict_rules: bool = False
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    cache_dir: Path | None = None
    no_cache: bool = False


@attrs.frozen
class Selector:
    __module__ = "auditor.selection"
    text: str
    kind: str
    value: str
    specificity: int


@attrs.frozen
class Layer:
    __module__ = "auditor.selection"
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()


@attrs.frozen
class PerFileIgnores:
    __module__ = "auditor.selection"
    entries: tuple[tuple[str, tuple[Selector, ...]], ...] = ()
    packs: Mapping[str, str] = attrs.field(factory=dict)


@attrs.frozen
class Key:
    __module__ = "auditor.cache"
    display: str
    digest: str
    seen: tuple[int, int, int, int]


@attrs.frozen
class AmountCheck:
    __module__ = "auditor.formula.amount"
    ok: bool
    conventions: frozenset[str]
    difference_won: Fraction
    computed_won: Fraction
    stated_won: Fraction
    scale: Fraction
    low: Fraction
    high: Fraction


@attrs.frozen
class PackWarning:
    __module__ = "auditor.engine.errors"
    path: str
    line: int
    column: int
    message_ko: str
    message_en: str


@attrs.frozen
class Builtin:
    __module__ = "auditor.engine.builtins"
    name: str
    min_args: int
    max_args: int
    args: tuple[Any, ...]
    result: Any
    takes: str = "strict"
    run: Callable[..., Any] | None = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen
class Example:
    __module__ = "auditor.engine.doc"
    kind: str
    text: str
    note: str = ""
    documents: tuple[tuple[str, str], ...] = attrs.field(default=(), converter=lambda d: tuple(map(tuple, d)))


@attrs.frozen
class RuleDoc:
    __module__ = "auditor.engine.doc"
    code: str
    name: str
    severity: Severity
    title_ko: str
    title_en: str = ""
    what_ko: str = ""
    why_ko: str = ""
    what_en: str = ""
    why_en: str = ""
    examples: tuple[Example, ...] = attrs.field(default=(), converter=to_tuple)
    pack: str = ""


@attrs.frozen
class Number:
    __module__ = "auditor.formula.nodes"
    value: Fraction = attrs.field(validator=nodes._fraction)
    unit: str = ""
    text: str = attrs.field(default="", eq=False)
    column: int = attrs.field(default=1, eq=False)
    note: str = attrs.field(default="", eq=False)
    name: str = attrs.field(default="", eq=False)


@attrs.frozen
class BinOp:
    __module__ = "auditor.formula.nodes"
    op: str = attrs.field(validator=attrs.validators.in_(("+", "-", "*", "/")))
    left: Node
    right: Node
    spelling: str = attrs.field(default="", eq=False)
    column: int = attrs.field(default=1, eq=False)


@attrs.frozen
class Neg:
    __module__ = "auditor.formula.nodes"
    operand: Node
    spelling: str = attrs.field(default="-", eq=False)
    column: int = attrs.field(default=1, eq=False)


@attrs.frozen
class Tagged:
    __module__ = "auditor.formula.nodes"
    tag: str = attrs.field(validator=attrs.validators.in_(TAGS))
    expr: Node
    column: int = attrs.field(default=1, eq=False)


@attrs.frozen
class RenderStyle:
    __module__ = "auditor.formula.nodes"
    mul: str = "*"
    div: str = "/"
    add: str = "+"
    sub: str = "-"
    neg: str = "-"
    spaced: bool = False
    brackets: tuple[str, ...] = ("()",)
    thousands: bool = True


@attrs.frozen
class Note:
    __module__ = "auditor.formula.split"
    column: int
    ko: str
    en: str


@attrs.frozen
class Reading:
    __module__ = "auditor.formula.split"
    formula: str
    start: int
    end: int
    label: str
    label_end: int
    value: int | Fraction | None
    notes: tuple[Note, ...] = ()
    money: bool = True


@attrs.frozen
class Split:
    __module__ = "auditor.formula.split"
    label: str
    label_start: int
    label_end: int
    reading: Reading | None = None
    notes: tuple[Note, ...] = ()
    alternatives: tuple[Reading, ...] = ()


@attrs.frozen
class Totals:
    __module__ = "auditor.totals"
    rows: int = 0
    budget: int = 0
    detail: int = 0
    funding: int = 0
    previous: int = 0
    funding_previous: int = 0
    change: int = 0
    unread: int = 0
    funded_budget: int = 0
    funded_previous: int = 0


@attrs.frozen
class ProjectTotals:
    __module__ = "auditor.totals"
    department: str
    project: str
    totals: Totals
    kinds: tuple[str, ...] = ()
    first_line: int = 0
    year: str = ""
    version: str = ""


@attrs.frozen
class Latest:
    __module__ = "auditor.totals"
    year: str
    department: str
    versions: tuple[str, ...]
    budget: int
    original: int


@attrs.frozen
class Decoded:
    __module__ = "auditor.readers.decode"
    lines: tuple[str, ...]
    encoding: str
    bad_line: int | None = None
    nul: bool = False
    binary: bool = False


@attrs.frozen
class ProblemKind:
    __module__ = "auditor.readers.problems"
    code: str
    name: str
    message_ko: str
    message_en: str


@attrs.frozen
class ReadNumber:
    __module__, __qualname__ = "auditor.readers.numbers", "Number"
    value: int | Decimal
    unit: str | None


@attrs.frozen
class RulesetSpec:
    __module__ = "auditor.runner"
    extra: tuple[str, ...] = ()
    selected: frozenset[str] | None = None
    severities: tuple[tuple[str, str], ...] = ()
    params: tuple[tuple[str, str, Any], ...] = ()


# --- since 6f8a204: the attrs declarations of the last classes a check run made with attrs ---


@attrs.define
class _Activity:
    __module__ = "auditor.readers.sections"
    title: Text
    source: tuple
    details: list[Text] = attrs.field(factory=list)
    budget: Amount | None = None


@attrs.define
class _Pack:
    __module__ = "auditor.cache"
    path: str
    files: dict[str, Any]
    dirty: bool = False


@attrs.frozen
class Project(KoreanKeys):
    __module__ = "auditor.crossdoc.model"
    sheets: tuple[Sheet, ...] = ko("사업설명서", default=(), converter=to_tuple)
    exports: tuple[Sheet, ...] = ko("e호조", default=(), converter=to_tuple)


@attrs.frozen
class Document:
    __module__ = "auditor.crossdoc.cross"
    kind: str
    path: str
    line: int
    year: int | None
    name: str
    department: str
    account: str


@attrs.frozen
class Match:
    __module__ = "auditor.crossdoc.cross"
    key: Key  # the cross pass's (the annotation's text is the class's)
    documents: tuple[Document, ...] = attrs.field(converter=to_tuple)


@attrs.frozen
class CrossResult:
    __module__ = "auditor.crossdoc.cross"
    findings: tuple[Finding, ...] = attrs.field(default=(), converter=to_tuple)
    projects: tuple[Match, ...] = attrs.field(default=(), converter=to_tuple)


@attrs.frozen
class CrossKey:
    __module__, __qualname__ = "auditor.crossdoc.identity", "Key"
    name: str
    department: str = ""
    account: str = ""


@attrs.frozen
class CrossIdentity:
    __module__, __qualname__ = "auditor.crossdoc.identity", "Identity"
    projects: Mapping[str, str] = attrs.field(factory=dict)
    departments: Mapping[str, str] = attrs.field(factory=dict)
    accounts: Mapping[str, str] = attrs.field(factory=dict)


@attrs.frozen
class CsvCell:
    __module__ = "auditor.readers.csvline"
    value: str
    column: int
    raw: str
    quoted: bool = False


@attrs.frozen
class Version:
    __module__ = "auditor.readers.eho_versions"
    label: str
    rank: tuple[int, int]
    known: bool = True


@attrs.define
class Pending:
    __module__ = "auditor.readers.eho_versions"
    scope: tuple
    version: Version
    line: int
    fields: dict
    items: list[dict]


@attrs.define
class _Category:
    __module__ = "auditor.readers.eho"
    name: Text | None
    fields: dict
    source: Source
    groups: list[dict] = attrs.field(factory=list)


@attrs.define
class Columns:
    __module__ = "auditor.readers.eho_columns"
    index: dict[str, int]
    funding: list[tuple[str, tuple[int, int, int]]]
    width: int
    first_record: int
    derived: list[tuple[str, int, int, str | None]] = attrs.field(factory=list)
    unverified: bool = False
    names: list[str] = attrs.field(factory=list)


@attrs.define
class Row:
    __module__ = "auditor.readers.eho_row"
    kind: str
    fields: dict[str, Any]
    project: str
    department: str
    category: tuple[str, str]
    cells: tuple[list[str], list[int]]
    label_cell: tuple[int, str] = (1, "")
    scope: tuple[str, ...] = ()


@attrs.frozen
class Entry:
    __module__ = "auditor.baseline"
    fingerprint: str
    code: str = ""
    path: str = ""
    key: str = ""
    expected: str | None = None
    actual: str | None = None
    message: str = ""


@attrs.frozen
class Applied:
    __module__ = "auditor.baseline"
    findings: tuple[Finding, ...]
    hidden: int
    stale: tuple[Entry, ...]


@attrs.frozen
class Baseline:
    __module__ = "auditor.baseline"
    entries: tuple[Entry, ...] = attrs.field(default=(), converter=tuple)
    version: int = baseline.VERSION


PAIRS = [(pipeline.Outputs, Outputs), (pipeline.Request, Request), (pipeline.Plan, Plan),
         (discovery.Input, Input), (discovery.Discovery, Discovery), (discovery._Walked, _Walked),
         (outputs.Target, Target), (outputs.Identity, Identity), (config.Options, Options), (config.Settings, Settings),
         (selection.Selector, Selector), (selection.Layer, Layer), (selection.PerFileIgnores, PerFileIgnores),
         (results_cache.Key, Key), (amount.AmountCheck, AmountCheck), (errors.PackWarning, PackWarning),
         (builtins.Builtin, Builtin), (doc.Example, Example), (doc.RuleDoc, RuleDoc), (nodes.Number, Number),
         (nodes.BinOp, BinOp), (nodes.Neg, Neg), (nodes.Tagged, Tagged), (nodes.RenderStyle, RenderStyle),
         (split.Note, Note), (split.Reading, Reading), (split.Split, Split),
         (totals.Totals, Totals), (totals.ProjectTotals, ProjectTotals), (totals.Latest, Latest),
         (_Decoded, Decoded), (_ProblemKind, ProblemKind), (_Number, ReadNumber),
         (runner.RulesetSpec, RulesetSpec),
         (sections._Activity, _Activity), (results_cache._Pack, _Pack), (project_model.Project, Project),
         (cross.Document, Document), (cross.Match, Match), (cross.CrossResult, CrossResult), (identity.Key, CrossKey),
         (identity.Identity, CrossIdentity), (csvline.CsvCell, CsvCell), (eho_versions.Version, Version),
         (eho_versions.Pending, Pending), (eho._Category, _Category), (eho_columns.Columns, Columns),
         (eho_row.Row, Row), (baseline.Entry, Entry), (baseline.Applied, Applied), (baseline.Baseline, Baseline)]


@pytest.mark.parametrize(("ours", "theirs"), PAIRS, ids=lambda c: c.__name__)
def test_the_class_is_what_attrs_made(ours, theirs):
    frozen_ = "__setattr__" in theirs.__dict__  # attrs.frozen, not attrs.define
    assert issubclass(ours, Frozen if frozen_ else Mutable) and not issubclass(theirs, (Frozen, Mutable))
    for mine, reference in zip(attrs.fields(ours), attrs.fields(theirs), strict=True):
        for slot in attrs.Attribute.__slots__:
            if slot == "converter" and reference.converter is not None and reference.converter is not to_tuple:
                assert mine.converter([["a", "b"]]) == reference.converter([["a", "b"]])  # a lambda: by what it does
            elif slot != "type":  # the reference's annotations are this module's strings, the same text
                assert getattr(mine, slot) == getattr(reference, slot), (mine.name, slot)
        assert mine.type == reference.type or mine.type.replace(" ", "") == reference.type.replace(" ", "")
    # the same slots, but a private one (RuleDoc's _recipe: its documentation decoded when first read)
    assert tuple(n for n in ours.__slots__ if not n.startswith("_") or n == "__weakref__") == theirs.__slots__
    assert ours.__match_args__ == theirs.__match_args__
    assert [(p.name, p.kind, _as_attrs(p.default)) for p in inspect.signature(ours).parameters.values()] == \
        [(p.name, p.kind, p.default) for p in inspect.signature(theirs).parameters.values()]


_VALUE = st.one_of(st.none(), st.integers(-2, 2), st.text("ab", max_size=2), st.lists(st.integers(0, 1), max_size=2),
                   st.sampled_from(["+", "*", "경정", Fraction(1, 3), Fraction(2)]))


@st.composite
def _made(draw: Any) -> tuple[Any, Any]:
    ours, theirs = draw(st.sampled_from(PAIRS))
    kwargs = {}
    for f in attrs.fields(theirs):
        if f.default is attrs.NOTHING or draw(st.booleans()):
            if f.converter is None:
                kwargs[f.name] = draw(_VALUE)
            elif f.converter is to_tuple:
                kwargs[f.name] = draw(st.lists(_VALUE, max_size=2))
            else:  # Example.documents: pairs
                kwargs[f.name] = draw(st.lists(st.lists(st.text("ab", max_size=1), max_size=2), max_size=2))
    try:
        reference = theirs(**kwargs)
    except (TypeError, ValueError) as e:  # a validator's: the written-out class raises the same
        with pytest.raises(type(e)) as raised:
            ours(**kwargs)
        assert raised.value.args[0] == e.args[0] and repr(raised.value.args[1:]) == repr(e.args[1:])
        return draw(_made())
    return ours(**kwargs), reference


def _hash(obj: Any) -> Any:
    try:
        return hash(obj)
    except TypeError as e:
        return type(e)


@settings(max_examples=300, deadline=None)
@given(_made(), _made())
def test_instances_behave_as_attrs_made_them(one, other):
    (mine, reference), (other_mine, other_reference) = one, other
    assert (mine == other_mine) == (reference == other_reference)
    assert (mine != other_mine) == (reference != other_reference)
    assert _hash(mine) == _hash(reference) and repr(mine) == repr(reference)
    assert attrs.asdict(mine) == attrs.asdict(reference)
    assert attrs.evolve(mine) == mine and type(attrs.evolve(mine)) is type(mine)
    # auditor.plain's stand-ins, which the run's code calls, give what attrs' own give
    changed = {f.name: getattr(other_mine, f.name) for f in attrs.fields(type(mine))[:1]} \
        if type(other_mine) is type(mine) else {}
    assert repr(plain.evolve(mine, **changed)) == repr(attrs.evolve(mine, **changed))
    assert type(plain.evolve(mine)) is type(mine) and plain.evolve(mine) == mine
    assert plain.has(type(mine)) and plain.has(type(reference)) and not plain.has(int)
    assert [(f.name, f.metadata, f.init) for f in plain.fields(type(mine))] == \
        [(f.name, dict(f.metadata), f.init) for f in attrs.fields(type(reference))]
    assert [plain.factory_of(f) for f in plain.fields(type(mine))] == \
        [plain.factory_of(f) for f in attrs.fields(type(reference))]
    name = attrs.fields(type(mine))[0].name
    if isinstance(mine, Frozen):
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            setattr(mine, name, 1)
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            delattr(mine, name)
    else:
        setattr(mine, name, 1)
        setattr(reference, name, 1)
        assert getattr(mine, name) == 1 and repr(mine) == repr(reference)
    again = pickle.loads(pickle.dumps(mine))
    assert type(again) is type(mine) and repr(again) == repr(mine)
    if _hash(mine) is not TypeError:
        assert again == mine


@settings(max_examples=300, deadline=None)
@given(_made(), st.data())
def test_an_instance_with_one_field_changed_is_equal_and_hashed_as_attrs_made_it(made, data):
    """Two instances that differ in one field only, for every field in turn: equal (and hashed alike) exactly
    when attrs' were, so a field left out of (or put into) equality or the hash fails here, which two
    instances drawn apart almost never show."""
    mine, reference = made
    for f in attrs.fields(type(reference)):
        value = data.draw(st.lists(_VALUE, max_size=2) if f.converter is not None else _VALUE)
        try:
            theirs = attrs.evolve(reference, **{f.name: value})
        except (TypeError, ValueError):  # a validator's (the written-out class's are held to them above)
            continue
        ours = plain.evolve(mine, **{f.name: value})
        assert (ours == mine) == (theirs == reference) and (ours != mine) == (theirs != reference), f.name
        if _hash(reference) is not TypeError and _hash(theirs) is not TypeError:
            assert (hash(ours) == hash(mine)) == (hash(theirs) == hash(reference)), f.name
        assert repr(ours) == repr(theirs)


_FAST = [(totals.Totals, totals.new_totals), (totals.ProjectTotals, totals.new_project_totals),
         (eho_versions.Version, eho_versions._version), (cross.Document, cross._document)]


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(_FAST), st.data())
def test_the_fast_constructors_make_what_the_classes_make(pair, data):
    """The hot paths' constructors (a draft filled) against the class's own ``__init__``, every field given."""
    cls, make = pair
    values = [data.draw(_VALUE) for _ in cls._names]
    made, reference = make(*values), cls(*values)
    assert type(made) is cls and repr(made) == repr(reference) and made.__getstate__() == reference.__getstate__()
    assert made == reference and _hash(made) == _hash(reference)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        made.__setattr__(cls._names[0], 1)
    if _hash(made) is not TypeError:
        assert pickle.loads(pickle.dumps(made)) == made


def test_a_class_whose_fields_are_not_its_slots_is_refused():
    class Two(Frozen):
        __slots__ = ("a", "b", "__weakref__")

    with pytest.raises(AssertionError):
        frozen(Two, Field("a"), Field("c"))


def test_the_nodes_validate_as_attrs_did_unless_validators_are_off():
    one = nodes.Number(Fraction(1))
    with pytest.raises(ValueError) as raised:
        nodes.BinOp("%", one, one)
    assert raised.value.args[1] is attrs.fields(nodes.BinOp).op  # the field, as attrs' validator is given it
    with pytest.raises(TypeError, match="value must be a Fraction, not int"):
        nodes.Number(1)
    attrs.validators.set_disabled(True)
    try:
        assert nodes.BinOp("%", one, one).op == "%" and nodes.Number(1).value == 1 and nodes.Tagged("x", one).tag == "x"
    finally:
        attrs.validators.set_disabled(False)
