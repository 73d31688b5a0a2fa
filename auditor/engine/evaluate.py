"""Evaluate a parsed rule expression over the model: exact, provenance-keeping, with no access to Python.

Names resolve, innermost first, to: the element of an enclosing ``[filter]``;
the reserved names (``this``, ``sheet``, ``parent``, ``prev``, ``next``,
``index``, and in messages ``actual``, ``expected``, ``difference``); the rule's
element's fields; the rule's params; the sheet's own fields. Fields are looked up
only through :func:`auditor.engine.schema.field_map`, never with ``getattr`` on a
name taken from the rule text.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction

from auditor.engine import builtins as _builtins
from auditor.engine import errors as _errors
from auditor.engine import expr as nodes
from auditor.engine.expr import Node
from auditor.engine.schema import field_map
from auditor.engine.values import MISSING, Missing, Num, exact, from_amount
from auditor.plain import NOTHING, Field, Mutable, frozen, has
from auditor.source import Amount, Source, Text, Year

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any
else:
    from auditor.hints import Any

__all__ = ["Env", "RuleTypeError", "evaluate", "to_value"]


class RuleTypeError(Exception):
    """A rule did something its values do not allow (adding text to money …): a rule error, not a data finding."""


class Env(Mutable):
    """What names mean while one rule looks at one element."""

    __slots__ = ("root", "this", "parent", "prev", "next", "index", "params", "vocab", "extra", "inner", "touched",
                 "cache", "over", "steps", "project", "__weakref__")
    root: Any
    this: Any
    parent: Any
    prev: Any
    next: Any
    index: int
    params: dict[str, Any]
    vocab: dict[str, tuple[str, ...]]
    extra: dict[str, Any]
    inner: list[Any]
    touched: list[tuple[Source, str]]
    #: Values of ``Once`` parts and key indexes (``KFilter``), the same for every
    #: element of one rule on one sheet, by the key their closure was made with.
    cache: dict[object, Any]
    #: The collection the element comes from (``settlement.rows``), for error messages.
    over: str
    #: Steps taken so far by this rule on this sheet (elements, and items of the lists walked).
    steps: int
    #: The project of the document being checked (``사업``), in the cross pass only.
    project: Any

    def __init__(self, root: Any, this: Any = None, parent: Any = None, prev: Any = None, next: Any = None,  # noqa: A002
                 index: int = 0, params: dict[str, Any] = NOTHING, vocab: dict[str, tuple[str, ...]] = NOTHING,
                 extra: dict[str, Any] = NOTHING, inner: list[Any] = NOTHING,
                 touched: list[tuple[Source, str]] = NOTHING, cache: dict[object, Any] = NOTHING,
                 over: str = "", steps: int = 0, project: Any = None) -> None:
        self.root = root
        self.this = this
        self.parent = parent
        self.prev = prev
        self.next = next
        self.index = index
        self.params = {} if params is NOTHING else params
        self.vocab = {} if vocab is NOTHING else vocab
        self.extra = {} if extra is NOTHING else extra
        self.inner = [] if inner is NOTHING else inner
        self.touched = [] if touched is NOTHING else touched
        self.cache = {} if cache is NOTHING else cache
        self.over = over
        self.steps = steps
        self.project = project

    def spend(self, steps: int) -> None:
        """Count ``steps`` against the rule's budget on this sheet (errors.MAX_STEPS)."""
        self.steps += steps
        if self.steps > _errors.MAX_STEPS:
            raise _errors.OverBudget

    def reserved(self, name: str) -> tuple[bool, Any]:
        if name in self.extra:
            return True, self.extra[name]
        if name == "this":
            return True, self.this
        if name == "sheet":
            return True, self.root
        if name in ("parent", "prev", "next"):
            obj = getattr(self, name)  # a fixed attribute of Env, never a rule-given name
            return True, MISSING if obj is None else obj
        if name == "index":
            return True, exact(self.index)
        if name == PROJECT:
            return True, MISSING if self.project is None else self.project
        return False, None


#: Written out (auditor.plain), where attrs.define compiled its methods at every import;
#: tests/test_plain_engine.py holds it to its attrs declaration.
frozen(Env, Field("root"), Field("this", default=None), Field("parent", default=None), Field("prev", default=None),
       Field("next", default=None), Field("index", default=0), Field("params", factory=dict),
       Field("vocab", factory=dict), Field("extra", factory=dict), Field("inner", factory=list),
       Field("touched", factory=list), Field("cache", factory=dict), Field("over", default=""),
       Field("steps", default=0), Field("project", default=None))


#: The project root's name in checked trees (``사업``; the checker writes ``project`` as it where it
#: means the project), and its English spelling. See :mod:`auditor.crossdoc.model`.
PROJECT, PROJECT_ALIAS = "사업", "project"
RESERVED = ("this", "sheet", "parent", "prev", "next", "index", PROJECT)
MESSAGE_NAMES = ("actual", "expected", "difference")
_RESERVED_ALL = frozenset(RESERVED)


def to_value(raw: Any, label: str, env: Env | None) -> Any:
    """A model value as the language sees it: Amount → Num (원), Year → exact Num, Text → str, None → MISSING."""
    kind = type(raw)
    if kind is Amount:
        if env is not None:
            env.touched.append((raw.source, label))
        return from_amount(raw, label)
    if raw is None:
        return MISSING
    if kind is Text:
        if env is not None:
            env.touched.append((raw.source, label))
        return raw.value
    if kind is tuple or kind is list:
        return tuple([to_value(x, label, env) for x in raw])
    if kind is Year:
        if env is not None:
            env.touched.append((raw.source, label))
        return Num(raw.value, sources=((raw.source, label),))
    if kind is bool or kind is str or kind in _MODEL_TYPES:
        return raw
    if kind is int or kind is Fraction or kind is Decimal:
        return exact(raw)
    if isinstance(raw, Amount):  # a subclass
        return from_amount(raw, label)
    if has(kind):
        _MODEL_TYPES.add(kind)  # a model object passes as it is (and next time without these checks)
        return raw
    if isinstance(raw, (int, Decimal, Fraction)):
        return exact(raw)
    return raw


#: Model classes seen by :func:`to_value` (they pass unchanged).
_MODEL_TYPES: set[type] = set()


_FIELD_TABLES: dict[type, dict[str, tuple[str, str]] | None] = {}


def _fields(cls: type) -> dict[str, tuple[str, str]] | None:
    """``{rule name: (attribute, label)}`` of a model class (English and Korean names); None if not attrs."""
    try:
        return _FIELD_TABLES[cls]
    except KeyError:
        table = None
        if has(cls):
            table = {name: (f.name, f.metadata.get("ko", f.name)) for name, f in field_map(cls).items()}
        _FIELD_TABLES[cls] = table
        return table


def get_field(obj: Any, name: str, env: Env | None) -> tuple[bool, Any]:
    """``(found, value)`` of ``obj``'s field ``name`` (English or Korean); lists project and flatten."""
    table = _fields(type(obj))
    if table is not None:
        f = table.get(name)
        if f is None:
            return False, None
        return True, to_value(getattr(obj, f[0]), f[1], env)
    if obj is MISSING:
        return True, MISSING
    if type(obj) is tuple:
        if env is not None:
            env.spend(len(obj))
        out: list[Any] = []
        for item in obj:
            found, value = get_field(item, name, env)
            if not found:
                return False, None
            if type(value) is tuple:
                out.extend(value)
            else:
                out.append(value)
        return True, tuple(out)
    return False, None


def lookup(name: str, env: Env) -> Any:
    if env.inner:
        for element in reversed(env.inner):
            found, value = get_field(element, name, env)
            if found:
                return value
    if name in _RESERVED_ALL:
        found, value = env.reserved(name)
        if found:
            return value
    elif name in env.extra:
        return env.extra[name]
    this = env.this
    if this is not None and this is not env.root:
        found, value = get_field(this, name, env)
        if found:
            return value
    if name in env.params:
        return env.params[name]
    found, value = get_field(env.root, name, env)
    if found:
        return value
    raise RuleTypeError(f"unknown name {name!r}")


def _num(x: Any, what: str) -> Num:
    if isinstance(x, Num):
        return x
    raise RuleTypeError(f"{what} needs a number, got {_kind(x)}")


def _kind(x: Any) -> str:
    if isinstance(x, Num):
        return "a number"
    if isinstance(x, str):
        return "text"
    if isinstance(x, bool):
        return "a truth value"
    if isinstance(x, tuple):
        return "a list"
    return type(x).__name__


def _truth(x: Any, what: str) -> bool:
    if isinstance(x, bool):
        return x
    raise RuleTypeError(f"{what} needs a truth value, got {_kind(x)}")


def _equal(a: Any, b: Any) -> bool:
    if isinstance(a, Num) and isinstance(b, Num):
        return a.value == b.value
    if isinstance(a, Num) or isinstance(b, Num):
        if isinstance(a, (Num, Missing)) and isinstance(b, (Num, Missing)):
            return False
        raise RuleTypeError(f"cannot compare {_kind(a)} with {_kind(b)}")
    return a == b


def _binary(op: str, left: Any, right: Any) -> Any:
    if op in ("==", "!="):
        result = _equal(left, right)
        return result if op == "==" else not result
    if op in ("in", "not in"):
        if not isinstance(right, tuple):
            raise RuleTypeError(f"'{op}' needs a list on its right, got {_kind(right)}")
        if has(type(left)):  # a row in a list of rows: one of them, as the rule compiler tests it
            found = any(x is left for x in right)
        else:
            found = any(not isinstance(x, Missing) and _equal(left, x) for x in right)
        return found if op == "in" else not found
    if op == "+" and isinstance(left, tuple) and isinstance(right, tuple):
        return left + right
    a, b = _num(left, f"'{op}'"), _num(right, f"'{op}'")
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if op == "/":
        return MISSING if b.value == 0 else a / b
    if op == "<":
        return a.value < b.value
    if op == "<=":
        return a.value <= b.value
    if op == ">":
        return a.value > b.value
    if op == ">=":
        return a.value >= b.value
    raise RuleTypeError(f"unknown operator {op!r}")


Compiled = Callable[[Env], Any]


def evaluate(node: Node, env: Env) -> Any:
    """The value of ``node``; MISSING when a value it needs is missing.

    It compiles ``node`` each time: a caller that evaluates a tree again and again (a rule
    explaining its elements) keeps its :func:`compile_node` closure instead.
    """
    return compile_node(node)(env)


def compile_node(node: Node) -> Compiled:
    """``node`` as a closure over an :class:`Env`: the tree is walked once, not on every evaluation.

    Each closure does what the node means (see the module docstring); nothing in it comes from
    the rule text but names, which are only ever looked up through the model's field tables.
    """
    kind = node.kind
    compiler = _COMPILERS.get(kind)
    if compiler is None:
        raise RuleTypeError(f"unknown expression node {kind!r}")
    return compiler(node)


def _c_num(node: nodes.Num) -> Compiled:
    value = exact(node.value)  # a Num is immutable: one for every evaluation
    return lambda env: value


def _c_literal(node: nodes.Str | nodes.Const) -> Compiled:
    value = MISSING if node.value is None else node.value
    return lambda env: value


def _c_list(node: nodes.List) -> Compiled:
    items = [compile_node(x) for x in node.items]
    return lambda env: tuple([item(env) for item in items])


def _c_name(node: nodes.Name | nodes.TName | nodes.SName | nodes.PName | nodes.IName) -> Compiled:
    """A name, found by :func:`lookup` (the one way names resolve). The checker's resolved forms
    (``TName``, ``SName``, ``PName``, ``IName``: where it knows statically which scope holds the
    name) tell the rule compiler where to read; here they resolve as any name does."""
    name = node.name
    return lambda env: lookup(name, env)


def _c_attr(node: nodes.Attr) -> Compiled:
    obj_fn, name = compile_node(node.obj), node.name

    def attr(env: Env) -> Any:
        obj = obj_fn(env)
        found, value = get_field(obj, name, env)
        if not found:
            raise RuleTypeError(f"{_kind(obj)} has no field {name!r}")
        return value
    return attr


def _c_index(node: nodes.Index) -> Compiled:
    obj_fn, index_fn = compile_node(node.obj), compile_node(node.position)

    def index(env: Env) -> Any:
        obj, i = obj_fn(env), index_fn(env)
        if obj is MISSING or i is MISSING:
            return MISSING
        if type(obj) is not tuple:
            raise RuleTypeError(f"only a list can be indexed, not {_kind(obj)}")
        n = _num(i, "an index").value
        if n.denominator != 1 or not -len(obj) <= n < len(obj):
            return MISSING
        return obj[int(n)]
    return index


def _c_filter(node: nodes.Filter) -> Compiled:
    return _filtering(compile_node(node.obj), compile_node(node.pred))


def _filtering(obj_fn: Compiled, pred_fn: Compiled) -> Compiled:
    """``obj[pred]`` of compiled parts: the items of ``obj`` for which ``pred`` is true, in order."""

    def keep(element: Any, env: Env) -> bool:
        env.inner.append(element)
        try:
            return pred_fn(env) is True
        finally:
            env.inner.pop()

    def filtered(env: Env) -> Any:
        obj = obj_fn(env)
        if obj is MISSING:
            return MISSING
        if type(obj) is tuple:
            env.spend(len(obj))
        return tuple([x for x in obj if keep(x, env)])
    return filtered


def _c_kfilter(node: nodes.KFilter) -> Compiled:
    """``obj[key(item) == probe]`` through an index of ``obj`` by ``key``, built once per rule and sheet.

    Exactly what the filter gives: the items in order whose key equals the probe. The index is used
    only when every key and the probe are text (where ``==`` is plain equality); otherwise, and
    for a missing ``obj``, the filter runs item by item as written. What the index reads is not
    among the lines a finding names, as for a once-computed part.
    """
    obj_fn, key_fn, probe_fn = compile_node(node.obj), compile_node(node.key), compile_node(node.probe)
    cache_key = _shared_key(node)
    linear = _filtering(obj_fn, compile_node(node.pred))

    def index_of(env: Env) -> dict[str, tuple] | None:
        mark = len(env.touched)
        try:
            obj = obj_fn(env)
            if not isinstance(obj, tuple):
                return None
            env.spend(len(obj))
            groups: dict[str, list] = {}
            for item in obj:
                env.inner.append(item)
                try:
                    key = key_fn(env)
                finally:
                    env.inner.pop()
                if type(key) is not str:
                    return None
                groups.setdefault(key, []).append(item)
            return {k: tuple(v) for k, v in groups.items()}
        finally:
            del env.touched[mark:]  # as for a once-computed part: the same whichever element came first

    def keyed(env: Env) -> Any:
        cache = env.cache
        if cache_key not in cache:
            cache[cache_key] = index_of(env)
        index = cache[cache_key]
        if index is None:
            return linear(env)
        probe = probe_fn(env)
        if type(probe) is not str:
            return linear(env)
        return index.get(probe, ())
    return keyed


#: One cache key per distinct ``Once`` or ``KFilter`` tree (:func:`_shared_key`).
_SHARED_KEYS: dict[Node, object] = {}


def _shared_key(node: Node) -> object:
    """The key under which a ``Once`` part's value or a ``KFilter``'s index is kept in ``Env.cache``:
    the same object for equal trees. A rule's ``let`` names are written out wherever they are used,
    so one once-computed part (CALC002's ``first``) appears in its assertion, its shown values and
    both messages: with one key per tree it is computed once per rule and sheet, not once per
    appearance. Equal trees mean the same value there: a ``Once`` part does not depend on the element
    (the checker makes it only of what does not), and neither does a ``KFilter``'s index."""
    return _SHARED_KEYS.setdefault(node, object())


def _c_once(node: nodes.Once) -> Compiled:
    """A part the same for every element of the rule (the checker's ``Once``): computed once
    per rule and sheet, and what it reads never among the lines a finding names."""
    return _computed_once(_shared_key(node), compile_node(node.inner))


def _computed_once(key: Any, compute: Compiled) -> Compiled:
    """``compute`` once per rule and sheet (kept in ``env.cache`` under ``key``), outside any element:
    with no element bound, and what it touches left out of the element's related lines."""

    def once(env: Env) -> Any:
        cache = env.cache
        if key not in cache:
            inner, env.inner, mark = env.inner, [], len(env.touched)
            try:
                cache[key] = compute(env)
            finally:
                env.inner = inner
                del env.touched[mark:]  # what one element's check touches must not depend on which came first
        return cache[key]
    return once


def _c_call(node: nodes.Call) -> Compiled:
    if node.name == "first" and len(node.args) == 1:
        arg = node.args[0]
        target = arg.inner if arg.kind == "once" else arg
        if target.kind == "filter":
            return _first_match(node, target, arg.kind == "once")
    args = tuple(compile_node(a) for a in node.args)
    call = _builtins.builtin(node.name)
    return lambda env: call(args, env)


def _first_match(node: nodes.Call, target: nodes.Filter, once: bool) -> Compiled:
    """``first(list[condition])`` (its filter maybe a ``Once`` part): the first item the condition
    holds for, the condition tested up to it and not on the items after (CALC002's first rounded
    line of the sheet: every line's formula was computed for one line). The same item as the
    filter's first; the steps counted are the filter's (the whole list), as the generated code's.
    A list that is not a list of items is filtered whole, as written."""
    listed, call = (compile_node(node.args[0]),), _builtins.builtin("first")

    def whole(env: Env) -> Any:
        return call(listed, env)
    obj_fn, pred_fn = compile_node(target.obj), compile_node(target.pred)
    key = _SHARED_KEYS.setdefault(("first of", node), object())  # not the Once part's own key

    def scan(env: Env) -> Any:
        obj = obj_fn(env)
        if type(obj) is not tuple:
            return whole(env)
        env.spend(len(obj))
        inner = env.inner
        for item in obj:
            inner.append(item)
            try:
                kept = pred_fn(env) is True
            finally:
                inner.pop()
            if kept:
                return item
        return MISSING

    return _computed_once(key, scan) if once else scan


def _c_neg(node: nodes.Neg) -> Compiled:
    fn = compile_node(node.operand)

    def neg(env: Env) -> Any:
        x = fn(env)
        return MISSING if x is MISSING else -_num(x, "'-'")
    return neg


def _c_not(node: nodes.Not) -> Compiled:
    fn = compile_node(node.operand)

    def negate(env: Env) -> Any:
        x = fn(env)
        return MISSING if x is MISSING else not _truth(x, "'not'")
    return negate


_NONE = nodes.Const(None)


def _c_bin(node: nodes.Bin) -> Compiled:
    op, lnode, rnode = node.op, node.left, node.right
    left_fn, right_fn = compile_node(lnode), compile_node(rnode)
    if op in ("and", "or"):
        stop = op == "or"  # the left value that decides alone
        what = f"'{op}'"

        def logic(env: Env) -> Any:
            left = left_fn(env)
            if left is not MISSING and _truth(left, what) == stop:
                return left
            right = right_fn(env)
            if right is MISSING:
                return MISSING
            if _truth(right, what) == stop or left is not MISSING:
                return right
            return MISSING
        return logic
    if op in ("==", "!=") and (lnode == _NONE or rnode == _NONE):
        equal = op == "=="

        left_is_other = rnode == _NONE

        def compare_none(env: Env) -> bool:
            left, right = left_fn(env), right_fn(env)  # both sides, as any comparison (touched lines)
            other = left if left_is_other else right
            return (other is MISSING) if equal else (other is not MISSING)
        return compare_none
    def binary(env: Env) -> Any:
        left, right = left_fn(env), right_fn(env)
        if left is MISSING or right is MISSING:
            return MISSING
        return _binary(op, left, right)
    return binary


_COMPILERS: dict[str, Callable[[Any], Compiled]] = {
    "num": _c_num, "str": _c_literal, "const": _c_literal, "list": _c_list, "name": _c_name,
    "tname": _c_name, "sname": _c_name, "pname": _c_name, "iname": _c_name,
    "attr": _c_attr, "index": _c_index, "filter": _c_filter, "kfilter": _c_kfilter, "call": _c_call,
    "once": _c_once,
    "neg": _c_neg, "not": _c_not, "bin": _c_bin,
}


