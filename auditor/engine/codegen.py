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

import contextlib
import keyword
import typing
import types
from decimal import Decimal
from fractions import Fraction
from typing import Any, Callable, Iterator, Mapping

import attrs

from auditor.engine import builtins as _b
from auditor.engine import errors as _errors
from auditor.engine.errors import OverBudget
from auditor.engine.schema import _hints, field_map
from auditor.engine.values import divide, rational
from auditor.source import MONEY_UNITS, Amount, Text, Year

__all__ = ["CompiledRule", "compile_rule"]

class Unsupported(Exception):
    """A part of a rule the generator does not compile: its elements go to the explaining path."""


class _Bad(Exception):
    """Raised by generated code on a value it cannot be sure of: the element is explained instead."""


def _bad() -> Any:
    raise _Bad


class _Unset:
    __slots__ = ()

    def __repr__(self) -> str:
        return "UNSET"


UNSET = _Unset()

# Fast types: ("num",) ("str",) ("bool",) ("obj", frozenset of classes) ("list", item type).
NUM, STR, BOOL = ("num",), ("str",), ("bool",)


def _obj(*classes: type) -> tuple:
    return ("obj", frozenset(classes))


def _list(t: tuple) -> tuple:
    return ("list", t)


@attrs.frozen
class _Field:
    """How to read one rule-visible field of a model class."""

    attr: str
    how: str  # amount, year, text, int, decimal, str, bool, obj, list
    t: tuple
    item: str | None = None  # for a list: how each item is read


def _how(hint: Any) -> tuple[str, tuple, str | None] | None:
    """``(how, fast type, item how)`` of a type hint; None when the generator does not read it."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        return _how(args[0]) if len(args) == 1 else None
    if origin is tuple:
        args = typing.get_args(hint)
        if len(args) != 2 or args[1] is not Ellipsis:
            if args and all(a is args[0] for a in args):
                inner = _how(args[0])  # tuple[int, int]
            else:
                return None
        else:
            inner = _how(args[0])
        if inner is None or inner[0] == "list":
            return None
        return "list", _list(inner[1]), inner[0]
    simple = {Amount: ("amount", NUM), Year: ("year", NUM), Text: ("text", STR), int: ("int", NUM),
              Decimal: ("decimal", NUM), str: ("str", STR), bool: ("bool", BOOL)}
    if hint in simple:
        how, t = simple[hint]
        return how, t, None
    if isinstance(hint, type) and attrs.has(hint):
        return "obj", _obj(hint), None
    return None


def field_of(classes: frozenset, name: str) -> _Field:
    """How to read field ``name`` (English or Korean) of objects of any of ``classes``."""
    found = None
    for cls in classes:
        f = field_map(cls).get(name)
        if f is None:
            raise Unsupported(f"{cls.__name__} has no field {name!r}")
        how = _how(_hints(cls)[f.name])
        if how is None or not f.name.isidentifier() or keyword.iskeyword(f.name):
            raise Unsupported(f"{cls.__name__}.{f.name} is not read by compiled code")
        this = _Field(f.name, how[0], how[1], how[2])
        if found is not None and found != this:
            raise Unsupported(f"{name!r} is read differently in {sorted(c.__name__ for c in classes)}")
        found = this
    if found is None:
        raise Unsupported("no class")
    return found


@attrs.define
class V:
    """A compiled value: ``x`` an expression (a local or a constant) safe to evaluate again."""

    x: str
    t: tuple
    exact: bool = False  # a number with no rounding interval
    amount: str | None = None  # the local holding the Amount this number was read from
    owner: str | None = None  # the local holding the model object a field was read from …
    attr: str | None = None  # … and the attribute read
    never_none: bool = False
    ref: str = "local"  # "const" (a name in the namespace), "cell" (a per-sheet value) or "local"


def _walk(node: Any) -> Iterator[tuple]:
    if isinstance(node, tuple) and node and isinstance(node[0], str):
        yield node
        for part in node[1:]:
            if isinstance(part, tuple):
                if part and isinstance(part[0], str):
                    yield from _walk(part)
                else:
                    for p in part:
                        yield from _walk(p)


def _refs(node: tuple, depth: int = 0) -> tuple[bool, frozenset[int]]:
    """What ``node`` reads from outside: whether it reads the rule's element (``this``, ``prev`` …,
    its fields, or a name left to run time), and which enclosing filter/each elements, as depths
    from where ``node`` stands (0 the innermost) once its own filters and each() are set aside."""
    kind = node[0]
    if kind == "tname":
        return True, frozenset()
    if kind == "name":
        return node[1] != "sheet", frozenset()
    if kind == "iname":
        return False, frozenset({node[1] - depth}) if node[1] >= depth else frozenset()
    if kind in ("num", "str", "const", "sname", "pname"):
        return False, frozenset()
    if kind == "once":
        parts = ((node[1], depth),)
    elif kind == "filter":
        parts = ((node[1], depth), (node[2], depth + 1))
    elif kind == "kfilter":  # the checker's keyed filter: obj, then pred, key and probe inside it
        parts = ((node[1], depth), (node[2], depth + 1), (node[3], depth + 1), (node[4], depth + 1))
    elif kind == "call" and node[1] == "each":
        parts = ((node[2][0], depth), (node[2][1], depth + 1))
    elif kind == "call":
        parts = tuple((a, depth) for a in node[2])
    elif kind == "list":
        parts = tuple((a, depth) for a in node[1])
    elif kind in ("attr", "neg", "not"):
        parts = ((node[1], depth),)
    elif kind == "index":
        parts = ((node[1], depth), (node[2], depth))
    elif kind == "bin":
        parts = ((node[2], depth), (node[3], depth))
    else:
        return True, frozenset()  # a node it does not know: assume the worst
    element, free = False, frozenset()
    for part, at in parts:
        e, f = _refs(part, at)
        element, free = element or e, free | f
    return element, free


def _uses_element(node: tuple) -> bool:
    """Whether ``node``'s value may differ from one element of the rule to the next."""
    element, free = _refs(node)
    return element or bool(free)


def _keyed(node: tuple) -> tuple[tuple, tuple] | None:
    """``(key, probe)`` of a filter ``obj[key(item) == probe]`` whose list does not depend on the
    element, whose key reads only the item (and the sheet), and whose probe does not read the item;
    None for any other filter."""
    _, obj, pred = node
    if pred[0] != "bin" or pred[1] != "==" or _uses_element(obj):
        return None
    for key, probe in ((pred[2], pred[3]), (pred[3], pred[2])):
        key_element, key_free = _refs(key)
        if key_element or key_free != {0}:
            continue
        if not _refs(probe)[1]:
            return key, probe
    return None


def _worth_hoisting(node: tuple) -> bool:
    """Whether an invariant node is computed once per sheet: any but a constant or a single name."""
    return node[0] not in ("num", "str", "const", "name", "sname", "pname", "tname", "iname")


class _Namespace:
    """The constants and helpers a generated function sees, each under a generated name."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}
        self._by_id: dict[int, str] = {}

    def const(self, value: Any, hint: str = "k") -> str:
        key = id(value)
        name = self._by_id.get(key)
        if name is not None and self.values[name] is value:
            return name
        name = f"_{hint}{len(self.values)}"
        self.values[name] = value
        self._by_id[key] = name
        return name


def _convert_param(value: Any) -> Any:
    """A param as compiled code sees it (a rational, text, truth value or tuple); Unsupported otherwise."""
    if isinstance(value, bool) or isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)):
        return tuple(_convert_param(v) for v in value)
    if isinstance(value, int) or (isinstance(value, Decimal) and value.is_finite()):
        return rational(value)
    raise Unsupported(f"param value {value!r}")


def _param_type(value: Any) -> tuple:
    if isinstance(value, bool):
        return BOOL
    if isinstance(value, str):
        return STR
    if isinstance(value, tuple):
        kinds = {_param_type(v) for v in value}
        if len(kinds) != 1:
            raise Unsupported("a param list of mixed or no items")
        return _list(kinds.pop())
    return NUM


class _Gen:
    """Writes one rule's function."""

    def __init__(self, rule: Any, vocab: Mapping[str, tuple[str, ...]], ns: _Namespace):
        self.rule, self.vocab, self.ns = rule, vocab, ns
        self.lines: list[str] = []
        self.indent = 1
        self.temps = 0
        self.binders: list[V] = []  # enclosing filter/each elements, innermost last
        self.this: V | None = None
        self.parent: V | None = None
        self.path_depth = 0
        self.cells: dict[Any, str] = {}  # hoisted per-sheet values by node
        self.hoisting = False
        #: Values already computed where the code being written can see them, by node and binders
        #: (one layer per open block: a value computed inside a block is not seen after it).
        self.memo: list[dict[Any, V]] = [{}]
        #: Values computed inside an ``and`` that the code after it may use once it has made sure
        #: the ``and`` was true (``when``: the element is skipped otherwise), by the result's local.
        self.truthy: dict[str, dict[Any, V]] = {}
        self.params: dict[str, Any] = {}
        for k, v in rule.params.items():
            try:
                self.params[k] = _convert_param(v)
            except Unsupported:
                pass

    # --- writing --------------------------------------------------------------------------

    def line(self, text: str) -> None:
        self.lines.append("    " * self.indent + text)

    @contextlib.contextmanager
    def block(self, head: str) -> Iterator[None]:
        self.line(head)
        self.indent += 1
        self.memo.append({})
        mark = len(self.lines)
        try:
            yield
        finally:
            if len(self.lines) == mark:
                self.line("pass")
            self.memo.pop()
            self.indent -= 1

    def state(self) -> tuple:
        """What :meth:`restore` needs to take back the code written since (a part found unsupported)."""
        return len(self.lines), self.indent, [dict(layer) for layer in self.memo]

    def restore(self, state: tuple) -> None:
        mark, self.indent, self.memo = state
        del self.lines[mark:]

    def tmp(self, prefix: str = "t") -> str:
        self.temps += 1
        return f"{prefix}{self.temps}"

    def assign(self, expr: str, t: tuple, **kw: Any) -> V:
        name = self.tmp()
        self.line(f"{name} = {expr}")
        return V(name, t, **kw)

    def const(self, value: Any, t: tuple, hint: str = "k") -> V:
        return V(self.ns.const(value, hint), t, exact=t == NUM, never_none=value is not None, ref="const")

    def helper(self, fn: Callable, name: str) -> str:
        self.ns.values.setdefault(f"_{name}", fn)
        return f"_{name}"

    # --- expressions ------------------------------------------------------------------------

    def emit(self, node: tuple) -> V:
        """The value of ``node``, computed by the code written so far (once: equal nodes share it)."""
        key = (node, tuple(b.x for b in self.binders))
        for layer in reversed(self.memo):
            found = layer.get(key)
            if found is not None:
                return found
        value = self._emit(node)
        self.memo[-1][key] = value
        return value

    def _emit(self, node: tuple) -> V:
        kind = node[0]
        if kind == "once":
            return self.emit(node[1])
        if (not self.hoisting and not self.binders and self.this is not None and _worth_hoisting(node)
                and not _uses_element(node)):
            return self.hoisted(node)
        method = getattr(self, f"e_{kind}", None)
        if method is None:
            raise Unsupported(f"node {kind!r}")
        return method(node)

    def hoisted(self, node: tuple) -> V:
        """``node``'s value, computed once per sheet (on first use) into a cell of the function."""
        cell = self.cells.get(node)
        if cell is None:
            cell = self.cells[node] = self.tmp("h")
        with self.block(f"if {cell} is UNSET:"):
            self.hoisting = True
            try:
                value = self.emit(node)
            finally:
                self.hoisting = False
            amount = None
            if value.amount is not None:  # kept beside the value, for places() and intervals
                amount = self.cells.setdefault(("amount", node), self.tmp("h"))
                self.line(f"{amount} = {value.amount}")
            self.line(f"{cell} = {value.x}")
        return V(cell, value.t, exact=value.exact, amount=amount, ref="cell")

    def e_num(self, node: tuple) -> V:
        return self.const(rational(node[1]), NUM, "n")

    def e_str(self, node: tuple) -> V:
        return self.const(node[1], STR, "s")

    def e_const(self, node: tuple) -> V:
        if node[1] is None:
            return V("None", ("none",))
        return V("True" if node[1] else "False", BOOL, never_none=True)

    def e_list(self, node: tuple) -> V:
        items = [self.emit(x) for x in node[1]]
        if not items:
            raise Unsupported("an empty list literal")
        t = self._join_types([v.t for v in items])
        return self.assign("[" + ", ".join(v.x for v in items) + "]", _list(t), never_none=True)

    def _join_types(self, ts: list[tuple]) -> tuple:
        if all(t == ts[0] for t in ts):
            return ts[0]
        if all(t[0] == "obj" for t in ts):
            return ("obj", frozenset().union(*(t[1] for t in ts)))
        raise Unsupported("a list of mixed kinds")

    def e_name(self, node: tuple) -> V:
        name = node[1]
        if name == "this":
            return self.this
        if name == "sheet":
            return V("sheet", _obj(self.sheet_class), never_none=True)
        if name == "parent":
            if self.parent is None:
                raise Unsupported("parent of a top-level element")
            return self.parent
        if name in ("prev", "next"):
            return V("prev" if name == "prev" else "nxt", self.this.t)
        if name == "index":
            return V("index", NUM, exact=True, never_none=True)
        raise Unsupported(f"name {name!r} not resolved statically")

    def e_tname(self, node: tuple) -> V:
        return self.read(self.this, node[1])

    def e_sname(self, node: tuple) -> V:
        return self.read(V("sheet", _obj(self.sheet_class), never_none=True), node[1])

    def e_pname(self, node: tuple) -> V:
        if node[1] not in self.params:
            raise Unsupported(f"param {node[1]!r}")
        value = self.params[node[1]]
        return self.const(value, _param_type(value), "p")

    def e_iname(self, node: tuple) -> V:
        depth = node[1]
        if depth >= len(self.binders):
            raise Unsupported("an enclosing element outside the compiled part")
        return self.read(self.binders[-1 - depth], node[2])

    def e_attr(self, node: tuple) -> V:
        base = self.emit(node[1])
        if base.t[0] == "obj":
            return self.read(base, node[2])
        if base.t[0] == "list" and base.t[1][0] == "obj":
            return self.project(base, node[2])
        raise Unsupported("a field of a value that is not a model object")

    def read(self, obj: V, name: str) -> V:
        """Field ``name`` of the object in ``obj`` (missing when the object is)."""
        if obj.t[0] != "obj":
            raise Unsupported("a field of a value that is not a model object")
        f = field_of(obj.t[1], name)
        raw = self.tmp("r")
        self.line(f"{raw} = {obj.x}.{f.attr}" if obj.never_none else f"{raw} = None if {obj.x} is None else {obj.x}.{f.attr}")
        return self.convert(raw, f.how, f.t, f.item, owner=obj.x, attr=f.attr)

    def convert(self, raw: str, how: str, t: tuple, item: str | None, owner: str | None = None,
                attr: str | None = None) -> V:
        """The value of raw field ``raw`` as the language sees it (see evaluate.to_value)."""
        if how == "amount":
            return self.assign(f"None if {raw} is None else {raw}.exact", NUM, amount=raw, owner=owner, attr=attr)
        if how == "year":
            year = self.helper(Year, "Year")
            return self.assign(f"None if {raw} is None else ({raw}.value if {raw}.__class__ is {year} else _bad())",
                               NUM, exact=True, owner=owner, attr=attr)
        if how == "text":
            text = self.helper(Text, "Text")
            return self.assign(f"None if {raw} is None else ({raw}.value if {raw}.__class__ is {text} else _bad())",
                               STR, owner=owner, attr=attr)
        if how in ("int", "str", "bool"):
            cls = {"int": "int", "str": "str", "bool": "bool"}[how]
            return self.assign(f"{raw} if {raw} is None or {raw}.__class__ is {cls} else _bad()", t,
                               exact=how == "int", owner=owner, attr=attr)
        if how == "decimal":
            fn = self.helper(rational, "rational")
            return self.assign(f"None if {raw} is None else {fn}({raw})", NUM, exact=True, owner=owner, attr=attr)
        if how == "obj":
            return V(raw, t, owner=owner, attr=attr)
        if how == "list":
            return self.convert_items(raw, item, t)
        raise Unsupported(how)

    def convert_items(self, raw: str, item: str | None, t: tuple) -> V:
        if item == "obj":
            return V(raw, t)
        if item == "amount":
            return self.assign(f"None if {raw} is None else [None if a is None else a.exact for a in {raw}]", t)
        if item == "int":
            return self.assign(f"None if {raw} is None else [a if a is None or a.__class__ is int else _bad() "
                               f"for a in {raw}]", t, )
        if item == "text":
            text = self.helper(Text, "Text")
            return self.assign(f"None if {raw} is None else [None if a is None else (a.value if a.__class__ is "
                               f"{text} else _bad()) for a in {raw}]", t)
        if item in ("str", "bool"):
            return self.assign(f"None if {raw} is None else [a if a is None or a.__class__ is {item} else _bad() "
                               f"for a in {raw}]", t)
        if item == "year":
            year = self.helper(Year, "Year")
            return self.assign(f"None if {raw} is None else [None if a is None else (a.value if a.__class__ is "
                               f"{year} else _bad()) for a in {raw}]", t)
        raise Unsupported(f"a list of {item}")

    def project(self, items: V, name: str) -> V:
        """``items.name``: the field of every item, lists flattened; a missing item gives a missing value."""
        f = field_of(items.t[1][1], name)
        out, x = self.tmp(), self.tmp("x")
        self.line(f"{out} = None if {items.x} is None else []")
        with self.block(f"if {out} is not None:"):
            self.count(f"len({items.x})")
            with self.block(f"for {x} in {items.x}:"):
                with self.block(f"if {x} is None:"):
                    self.line(f"{out}.append(None)")
                with self.block("else:"):
                    raw = self.tmp("r")
                    self.line(f"{raw} = {x}.{f.attr}")
                    if f.how == "list":
                        value = self.convert_items(raw, f.item, f.t)
                        with self.block(f"if {value.x} is None:"):
                            self.line(f"{out}.append(None)")
                        with self.block("else:"):
                            self.line(f"{out}.extend({value.x})")
                    else:
                        value = self.convert(raw, f.how, f.t, f.item)
                        self.line(f"{out}.append({value.x})")
        t = f.t if f.how == "list" else _list(f.t)
        return V(out, t)

    def count(self, steps: str) -> None:
        """Count ``steps`` against the rule's budget on this sheet (errors.MAX_STEPS)."""
        self.line(f"steps += {steps}")
        with self.block("if steps > MAX_STEPS:"):
            self.line("raise OverBudget")

    def e_index(self, node: tuple) -> V:
        obj, i = self.emit(node[1]), self.emit(node[2])
        if obj.t[0] != "list" or i.t != NUM:
            raise Unsupported("an index that is not a number into a list")
        return self.assign(f"None if {obj.x} is None or {i.x} is None else ({obj.x}[int({i.x})] if {i.x}.denominator == 1 "
                           f"and -len({obj.x}) <= {i.x} < len({obj.x}) else None)", obj.t[1])

    def e_filter(self, node: tuple) -> V:
        keyed = None if self.binders or self.hoisting else _keyed(node)
        if keyed is not None:
            state = self.state()
            try:
                return self.indexed(node[1], *keyed)
            except Unsupported:
                self.restore(state)  # the filter as written, item by item
        obj = self.emit(node[1])
        if obj.t[0] != "list":
            raise Unsupported("a filter of a value that is not a list")
        out, x = self.tmp(), self.tmp("x")
        self.line(f"{out} = None if {obj.x} is None else []")
        with self.block(f"if {out} is not None:"):
            self.count(f"len({obj.x})")
            with self.block(f"for {x} in {obj.x}:"):
                self.binders.append(V(x, obj.t[1]))
                try:
                    keep = self.emit(node[2])
                finally:
                    self.binders.pop()
                if keep.t != BOOL:
                    raise Unsupported("a filter condition that is not a truth value")
                with self.block(f"if {keep.x} is True:"):
                    self.line(f"{out}.append({x})")
        return V(out, obj.t)

    def e_kfilter(self, node: tuple) -> V:
        """The checker's keyed filter (``check._keyed``): indexed as any filter :func:`_keyed` finds."""
        return self.e_filter(("filter", node[1], node[2]))

    def indexed(self, obj_node: tuple, key_node: tuple, probe_node: tuple) -> V:
        """``obj[key(item) == probe]`` (see :func:`_keyed`) through an index of ``obj`` by key, built
        once per sheet: the items in order whose key equals the probe, as the filter gives them (a
        missing key or probe equals nothing), without a scan of ``obj`` for every element."""
        cell = self.cells.get(("index", obj_node, key_node))
        if cell is None:
            cell = self.cells[("index", obj_node, key_node)] = self.tmp("h")
        with self.block(f"if {cell} is UNSET:"):
            self.hoisting = True
            try:
                obj = self.emit(obj_node)
                if obj.t[0] != "list":
                    raise Unsupported("a filter of a value that is not a list")
                groups, x = self.tmp(), self.tmp("x")
                self.line(f"{groups} = None if {obj.x} is None else {{}}")
                with self.block(f"if {groups} is not None:"):
                    self.count(f"len({obj.x})")
                    with self.block(f"for {x} in {obj.x}:"):
                        self.binders.append(V(x, obj.t[1]))
                        try:
                            key = self.emit(key_node)
                        finally:
                            self.binders.pop()
                        if key.t not in (STR, NUM):
                            raise Unsupported("an index by a key that is not text or a number")
                        with self.block(f"if {key.x} is not None:"):
                            self.line(f"{groups}.setdefault({key.x}, []).append({x})")
                self.line(f"{cell} = {groups}")
            finally:
                self.hoisting = False
        probe = self.emit(probe_node)
        if probe.t != key.t:
            raise Unsupported("a key and a probe of different kinds")
        return self.assign(f"None if {cell} is None else ([] if {probe.x} is None else {cell}.get({probe.x}, []))",
                           obj.t)

    def e_neg(self, node: tuple) -> V:
        x = self.number(self.emit(node[1]))
        return self.assign(f"None if {x.x} is None else -{x.x}", NUM, exact=x.exact)

    def e_not(self, node: tuple) -> V:
        x = self.emit(node[1])
        if x.t != BOOL:
            raise Unsupported("not of a value that is not a truth value")
        return self.assign(f"None if {x.x} is None else not {x.x}", BOOL)

    def number(self, v: V) -> V:
        if v.t != NUM:
            raise Unsupported("a number was expected")
        return v

    def e_bin(self, node: tuple) -> V:
        _, op, lnode, rnode = node
        if op in ("and", "or"):
            return self.logic(op, lnode, rnode)
        if op in ("==", "!=") and (lnode == ("const", None) or rnode == ("const", None)):
            other = self.emit(rnode if lnode == ("const", None) else lnode)
            if other.never_none:
                return V("False" if op == "==" else "True", BOOL, never_none=True)
            return self.assign(f"{other.x} is {'' if op == '==' else 'not '}None", BOOL, never_none=True)
        left, right = self.emit(lnode), self.emit(rnode)
        if op in ("in", "not in"):
            return self.membership(op, left, right, rnode)
        missing = self.missing(left, right)
        if op == "+" and left.t[0] == "list" and right.t[0] == "list":
            t = _list(self._join_types([left.t[1], right.t[1]]))
            return self.assign(f"None if {missing} else [*{left.x}, *{right.x}]", t)
        if op in ("==", "!="):
            if left.t != right.t or left.t[0] == "list" or left.t == ("none",):
                raise Unsupported(f"{op} between {left.t[0]} and {right.t[0]}")
            return self.assign(f"None if {missing} else {left.x} {op} {right.x}", BOOL)
        self.number(left), self.number(right)
        if op in ("<", "<=", ">", ">="):
            return self.assign(f"None if {missing} else {left.x} {op} {right.x}", BOOL)
        if op in ("+", "-", "*"):
            return self.assign(f"None if {missing} else {left.x} {op} {right.x}", NUM,
                               exact=left.exact and right.exact)
        if op == "/":
            return self.divide(left, right)
        raise Unsupported(f"operator {op!r}")

    @staticmethod
    def missing(*values: V) -> str:
        """A test that one of ``values`` is missing (``False`` when none can be)."""
        return " or ".join(f"{v.x} is None" for v in values if not v.never_none) or "False"

    def divide(self, left: V, right: V) -> V:
        """``left / right``: missing by zero. The explaining path's interval of a quotient by an
        inexact divisor would fail where a corner of the divisor's interval is zero, so only exact
        divisors and amounts read from the sheet (whose corners ``v ± h`` are never zero, checked
        anyway) are compiled."""
        fn = self.helper(divide, "divide")
        missing = self.missing(left, right)
        if right.exact:
            return self.assign(f"None if {missing} or {right.x} == 0 else {fn}({left.x}, {right.x})", NUM,
                               exact=left.exact)
        if right.amount is None:
            raise Unsupported("a division by a computed inexact number")
        a = right.amount
        out = self.tmp()
        self.line(f"{out} = None if {missing} or {right.x} == 0 else {fn}({left.x}, {right.x})")
        with self.block(f"if {out} is not None and ({right.x} - {a}.half == 0 or {right.x} + {a}.half == 0):"):
            self.line("_bad()")
        return V(out, NUM)

    def logic(self, op: str, lnode: tuple, rnode: tuple) -> V:
        """Three-valued ``and``/``or`` as the evaluator has them: ``false and …``, ``true or …`` decide alone."""
        left = self.emit(lnode)
        if left.t != BOOL:
            raise Unsupported(f"{op} of a value that is not a truth value")
        out = self.tmp()
        stop = "False" if op == "and" else "True"
        with self.block(f"if {left.x} is {stop}:"):
            self.line(f"{out} = {stop}")
        with self.block("else:"):
            right = self.emit(rnode)
            if right.t != BOOL:
                raise Unsupported(f"{op} of a value that is not a truth value")
            if op == "and":  # true only when this block ran (and both sides were)
                self.truthy[out] = {**self.truthy.get(left.x, {}), **self.memo[-1], **self.truthy.get(right.x, {})}
            if left.never_none and right.never_none:
                self.line(f"{out} = {right.x}")
            elif left.never_none:
                self.line(f"{out} = {right.x}")
            elif right.never_none:
                self.line(f"{out} = {right.x} if {right.x} is {stop} or {left.x} is not None else None")
            else:
                self.line(f"{out} = None if {right.x} is None else ({right.x} if {right.x} is {stop} or "
                          f"{left.x} is not None else None)")
        return V(out, BOOL, never_none=left.never_none and right.never_none)

    def membership(self, op: str, left: V, right: V, rnode: tuple) -> V:
        if right.t[0] != "list" or left.t != right.t[1] or left.t not in (STR, NUM, BOOL):
            raise Unsupported(f"{op} of {left.t[0]} in {right.t[0]}")
        haystack = right.x
        if right.ref == "const":  # a param or a vocabulary: looked up in a set
            haystack = self.ns.const(frozenset(x for x in self.ns.values[right.x] if x is not None), "set")
        elif right.ref == "cell":  # the same for every element: a set made once per sheet
            cell = self.cells.setdefault(("set", right.x), self.tmp("h"))
            with self.block(f"if {cell} is UNSET:"):
                self.line(f"{cell} = None if {right.x} is None else frozenset({right.x})")
            haystack = cell
        test = "in" if op == "in" else "not in"
        return self.assign(f"None if {self.missing(left, right)} else {left.x} {test} {haystack}", BOOL)

    # --- builtins -------------------------------------------------------------------------------

    def e_call(self, node: tuple) -> V:
        _, name, args = node
        method = getattr(self, f"b_{name}", None)
        if method is None:
            raise Unsupported(f"function {name}()")
        return method(args)

    def args(self, args: tuple) -> list[V]:
        return [self.emit(a) for a in args]

    def a_list(self, v: V) -> V:
        if v.t[0] != "list":
            raise Unsupported("a list was expected")
        return v

    def b_sum(self, args: tuple) -> V:
        (items,) = self.args(args)
        self.a_list(items)
        if items.t[1] != NUM:
            raise Unsupported("a sum of a list that is not numbers")
        return self.assign(f"None if {items.x} is None or None in {items.x} else sum({items.x})", NUM)

    def b_count(self, args: tuple) -> V:
        (items,) = self.args(args)
        self.a_list(items)
        return self.assign(f"None if {items.x} is None else len({items.x})", NUM, exact=True)

    def b_first(self, args: tuple) -> V:
        (items,) = self.args(args)
        self.a_list(items)
        return self.assign(f"None if {items.x} is None or not {items.x} else {items.x}[0]", items.t[1])

    def b_known(self, args: tuple) -> V:
        (items,) = self.args(args)
        self.a_list(items)
        return self.assign(f"None if {items.x} is None else [a for a in {items.x} if a is not None]", items.t)

    def b_each(self, args: tuple) -> V:
        items = self.a_list(self.emit(args[0]))
        out, x = self.tmp(), self.tmp("x")
        self.line(f"{out} = None if {items.x} is None else []")
        with self.block(f"if {out} is not None:"):
            self.count(f"len({items.x})")
            with self.block(f"for {x} in {items.x}:"):
                self.binders.append(V(x, items.t[1]))
                try:
                    body = self.emit(args[1])
                finally:
                    self.binders.pop()
                self.line(f"{out}.append({body.x})")
        return V(out, _list(body.t))

    def _flags(self, name: str, args: tuple) -> V:
        (items,) = self.args(args)
        self.a_list(items)
        if items.t[1] != BOOL:
            raise Unsupported(f"{name}() of a list that is not truth values")
        return self.assign(f"None if {items.x} is None else {name}(a for a in {items.x} if a is not None)", BOOL)

    def b_any(self, args: tuple) -> V:
        return self._flags("any", args)

    def b_all(self, args: tuple) -> V:
        return self._flags("all", args)

    def b_abs(self, args: tuple) -> V:
        (x,) = self.args(args)
        self.number(x)
        return self.assign(f"None if {x.x} is None else abs({x.x})", NUM, exact=x.exact)

    def _extreme(self, name: str, args: tuple) -> V:
        values = self.args(args)
        if len(values) == 1:
            items = self.a_list(values[0])
            if items.t[1] != NUM:
                raise Unsupported(f"{name}() of a list that is not numbers")
            return self.assign(f"None if {items.x} is None or not {items.x} or None in {items.x} else {name}({items.x})",
                               NUM)
        for v in values:
            self.number(v)
        missing = self.missing(*values)
        return self.assign(f"None if {missing} else {name}({', '.join(v.x for v in values)})", NUM,
                           exact=all(v.exact for v in values))

    def b_min(self, args: tuple) -> V:
        return self._extreme("min", args)

    def b_max(self, args: tuple) -> V:
        return self._extreme("max", args)

    def _rounding(self, fn: Callable, name: str, args: tuple) -> V:
        values = [self.number(v) for v in self.args(args)]
        helper = self.helper(fn, name)
        missing = self.missing(*values)
        places = f"int({values[1].x})" if len(values) > 1 else "0"
        return self.assign(f"None if {missing} else {helper}({values[0].x}, {places})", NUM, exact=True)

    def b_trunc(self, args: tuple) -> V:
        return self._rounding(_b.trunc_places, "trunc_places", args)

    def b_round(self, args: tuple) -> V:
        return self._rounding(_b.round_places, "round_places", args)

    def b_places(self, args: tuple) -> V:
        (x,) = self.args(args)
        if x.amount is None:
            raise Unsupported("places() of a number not read as an amount")
        fn = self.helper(_places, "places")
        return self.assign(f"None if {x.amount} is None else {fn}({x.amount})", NUM, exact=True)

    def b_approx(self, args: tuple) -> V:
        a, b = (self.interval(x) for x in args)
        return self.meets(a, b)

    def rate_text(self) -> str:
        """The summary header's rate formula text, read once per sheet."""
        cell = self.cells.get(("rate text",))
        if cell is None:
            cell = self.cells[("rate text",)] = self.tmp("h")
        fn = self.helper(_rate_text, "rate_text")
        with self.block(f"if {cell} is UNSET:"):
            self.line(f"{cell} = {fn}(sheet)")
        return cell

    def b_rate(self, args: tuple) -> V:
        a, b = (self.number(v) for v in self.args(args))
        text = self.rate_text()
        fn = self.helper(_b.rate_from_formula, "rate_from_formula")
        return self.assign(f"None if {a.x} is None or {b.x} is None or {text} is None else {fn}({text}, {a.x}, {b.x})",
                           NUM, exact=True)

    def b_rate_formula_ok(self, args: tuple) -> V:
        text = self.rate_text()
        fn = self.helper(_b._formula_tree, "formula_tree")
        return self.assign(f"None if {text} is None else {fn}({text}) is not None", BOOL)

    def b_rate_convention(self, args: tuple) -> V:
        stated, computed = (self.number(v) for v in self.args(args))
        if stated.amount is None:
            raise Unsupported("rate_convention() of a rate not read as an amount")
        fn = self.helper(_rate_convention, "rate_convention")
        return self.assign(f"None if {stated.x} is None or {computed.x} is None else "
                           f"{fn}({stated.x}, {stated.amount}, {computed.x})", STR)

    def b_norm(self, args: tuple) -> V:
        (s,) = self.args(args)
        if s.t != STR:
            raise Unsupported("norm() of a value that is not text")
        fn = self.helper(_b.normalize, "normalize")
        return self.assign(f"None if {s.x} is None else {fn}({s.x})", STR)

    def b_vocab(self, args: tuple) -> V:
        if args[0][0] != "str":
            raise Unsupported("vocab() of a name that is not a string")
        return self.const(tuple(self.vocab.get(args[0][1], ())), _list(STR), "vocab")

    def b_vocab_name(self, args: tuple) -> V:
        if args[0][0] != "str":
            raise Unsupported("vocab_name() of a name that is not a string")
        codes = self.ns.const(dict(self.vocab.get(args[0][1] + _b.CODES, ())), "codes")
        code = self.emit(args[1])
        if code.t != STR:
            raise Unsupported("vocab_name() of a code that is not text")
        return self.assign(f"None if {code.x} is None else {codes}.get({code.x}.strip())", STR)

    def b_overlaps(self, args: tuple) -> V:
        a, b = (self.a_list(v) for v in self.args(args))
        if a.t[1] not in (STR, NUM) or b.t[1] not in (STR, NUM):
            raise Unsupported("overlaps() of lists that are not text or numbers")
        return self.assign(f"None if {a.x} is None or {b.x} is None else not set({a.x}).isdisjoint({b.x})", BOOL)

    @staticmethod
    def _own(v: V, attr: str) -> str | None:
        """The local of the object ``v`` was read from, when ``v`` is its attribute ``attr`` (the
        formula or the label of a 산출근거 line, whose ``calc`` the reader may have filled)."""
        return v.owner if v.owner is not None and v.attr == attr else None

    def b_formula_won(self, args: tuple) -> V:
        (text,) = self.args(args)
        if text.t != STR:
            raise Unsupported("formula_won() of a value that is not text")
        fn = self.helper(_formulas._value, "formula_value")
        owner = self._own(text, "formula")
        if owner is not None:
            calc = self.tmp("c")
            self.line(f"{calc} = getattr({owner}, 'calc', None)")
            return self.assign(f"None if {text.x} is None else ({fn}({text.x}) if {calc} is None else {calc}.value)",
                               NUM, exact=True)
        return self.assign(f"None if {text.x} is None else {fn}({text.x})", NUM, exact=True)

    def _formula_error(self, args: tuple, english: bool) -> V:
        values = self.args(args)
        for v in values:
            if v.t != STR:
                raise Unsupported("formula_error() of a value that is not text")
        present = values[-1].x  # the first present argument
        for v in reversed(values[:-1]):
            present = f"{v.x} if {v.x} is not None else ({present})"
        first = self.assign(present, STR).x
        fn = self.helper(_error_reason_en if english else _error_reason, "error_reason_en" if english else "error_reason")
        owners = [self._own(values[0], "formula")] + [self._own(v, "label") for v in values[1:2]]
        if len(values) == 2 and owners[0] is not None and owners[0] == owners[1]:
            calc = self.tmp("c")
            self.line(f"{calc} = getattr({owners[0]}, 'calc', None)")
            pick = "reason_en" if english else "reason"
            return self.assign(f"None if {first} is None else ({fn}({first}) if {calc} is None else "
                               f"(None if {calc}.attempt is None else {calc}.attempt[1].{pick}))", STR)
        return self.assign(f"None if {first} is None else {fn}({first})", STR)

    def b_formula_error(self, args: tuple) -> V:
        return self._formula_error(args, False)

    def b_formula_error_en(self, args: tuple) -> V:
        return self._formula_error(args, True)

    def b_calc_conventions(self, args: tuple) -> V:
        computed, stated = (self.number(v) for v in self.args(args))
        if stated.amount is None:
            raise Unsupported("calc_conventions() of a stated value not read as an amount")
        fn = self.helper(_calc_conventions, "calc_conventions")
        return self.assign(f"None if {computed.x} is None or {stated.x} is None else "
                           f"{fn}({computed.x}, {stated.x}, {stated.amount}.unit)", _list(STR))

    def b_document_order(self, args: tuple) -> V:
        (items,) = self.args(args)
        self.a_list(items)
        if items.t[1][0] != "obj":
            raise Unsupported("document_order() of values that are not model objects")
        fn = self.helper(_b._position, "position")
        self.count(f"0 if {items.x} is None else len({items.x})")
        return self.assign(f"None if {items.x} is None else sorted({items.x}, key={fn})", items.t)

    # --- rounding intervals -------------------------------------------------------------------

    def interval(self, node: tuple) -> tuple[str, str, str, str, str]:
        """``(value, lo, hi, lo_closed, hi_closed)`` locals of ``node``'s value and its deviation
        interval (values.Num's arithmetic); the value is None when missing."""
        kind = node[0]
        if kind == "once":
            return self.interval(node[1])
        if kind == "bin" and node[1] in ("+", "-"):
            a, b = self.interval(node[2]), self.interval(node[3])
            v = self.tmp()
            if node[1] == "+":
                self.line(f"{v} = None if {a[0]} is None or {b[0]} is None else {a[0]} + {b[0]}")
                return v, f"({a[1]} + {b[1]})", f"({a[2]} + {b[2]})", f"({a[3]} and {b[3]})", f"({a[4]} and {b[4]})"
            self.line(f"{v} = None if {a[0]} is None or {b[0]} is None else {a[0]} - {b[0]}")
            return v, f"({a[1]} - {b[2]})", f"({a[2]} - {b[1]})", f"({a[3]} and {b[4]})", f"({a[4]} and {b[3]})"
        if kind == "neg":
            a = self.interval(node[1])
            v = self.tmp()
            self.line(f"{v} = None if {a[0]} is None else -{a[0]}")
            return v, f"(-{a[2]})", f"(-{a[1]})", a[4], a[3]
        if kind == "call" and node[1] == "sum" and node[2][0][0] == "attr":
            return self.interval_sum(node[2][0])
        value = self.emit(node)
        self.number(value)
        if value.amount is not None:
            h = self.tmp("hv")
            self.line(f"{h} = 0 if {value.amount} is None else {value.amount}.half")
            return value.x, f"(-{h})", h, "True", "False"
        if value.exact:
            return value.x, "0", "0", "True", "True"
        raise Unsupported("the rounding interval of a computed value")

    def interval_sum(self, proj: tuple) -> tuple[str, str, str, str, str]:
        """``sum(items.amount)`` with the sum of the items' half-units: each term ``[v - h, v + h)``."""
        items = self.emit(proj[1])
        if items.t[0] != "list" or items.t[1][0] != "obj":
            raise Unsupported("a sum that is not of amounts of model objects")
        f = field_of(items.t[1][1], proj[2])
        if f.how != "amount":
            raise Unsupported("a sum that is not of amounts")
        v, h, n, x = self.tmp(), self.tmp("hv"), self.tmp("n"), self.tmp("x")
        self.line(f"{v} = None if {items.x} is None else 0")
        self.line(f"{h} = 0")
        self.line(f"{n} = 0")
        with self.block(f"if {v} is not None:"):
            self.count(f"len({items.x})")
            with self.block(f"for {x} in {items.x}:"):
                a = self.tmp("r")
                self.line(f"{a} = None if {x} is None else {x}.{f.attr}")
                with self.block(f"if {a} is None:"):
                    self.line(f"{v} = None")
                    self.line("break")
                self.line(f"{v} += {a}.exact")
                self.line(f"{h} += {a}.half")
                self.line(f"{n} += 1")
        return v, f"(-{h})", h, "True", f"({n} == 0)"

    def meets(self, a: tuple, b: tuple) -> V:
        """values.meets: the intervals of ``a`` (actual) and ``b`` (expected) can meet."""
        x, lo, hi = self.tmp(), self.tmp(), self.tmp()
        out = self.tmp()
        self.line(f"{out} = None")
        with self.block(f"if {a[0]} is not None and {b[0]} is not None:"):
            self.line(f"{x} = {b[0]} - {a[0]}")
            self.line(f"{lo} = {a[1]} - {b[2]}")
            self.line(f"{hi} = {a[2]} - {b[1]}")
            self.line(f"{out} = ({lo} < {x} or ({lo} == {x} and {a[3]} and {b[4]})) and "
                      f"({x} < {hi} or ({hi} == {x} and {a[4]} and {b[3]}))")
        return V(out, BOOL)


# --- helpers the generated code calls ----------------------------------------------------------


def _places(amount: Amount) -> int:
    """The decimals printed in an amount (values.from_amount's ``places``)."""
    value = amount.value
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int):
            return max(0, -exponent)
    return 0


def _rate_text(sheet: Any) -> str | None:
    """The summary header's rate formula (builtins._rate_formula)."""
    summary = sheet.summary
    if summary is None:
        return None
    text = summary.rate_formula
    if text is None:
        return None
    if text.__class__ is not Text:
        raise _Bad
    return text.value


def _rate_convention(stated: Any, amount: Amount, computed: Any) -> str | None:
    places = _places(amount)
    by_trunc = stated == _b.trunc_places(computed, places)
    by_round = stated == _b.round_places(computed, places)
    if by_trunc == by_round:
        return None
    return "trunc" if by_trunc else "round"


#: auditor.engine.formulas (and through it the formula package), imported when a rule is compiled:
#: ``auditor rules`` never needs it.
_formulas: Any = None


def _error_reason(text: str) -> str | None:
    found = _formulas._attempt(text)
    return None if found is None else found[1].reason


def _error_reason_en(text: str) -> str | None:
    found = _formulas._attempt(text)
    return None if found is None else found[1].reason_en


def _calc_conventions(computed: Any, stated: Any, unit: str) -> tuple | None:
    """``calc_conventions(computed, stated)`` of a stated amount in ``unit`` (formulas.call_plain):
    whole 원 in whole units in integer arithmetic (as formula.amount._check_whole), the rest
    through ``check_amount``. A property test holds both to ``check_amount``."""
    scale = MONEY_UNITS.get(unit)
    if scale is None:
        return None
    if computed.__class__ is int and stated.__class__ is int and stated % scale == 0:
        difference = stated - computed
        if difference == 0 or not -scale < difference < scale:
            return None
        units, magnitude = stated // scale, abs(computed)
        sign = 1 if computed >= 0 else -1
        return tuple(name for name, whole in (
            ("ceil", -(-magnitude // scale)), ("floor", magnitude // scale),
            ("round", (2 * magnitude + scale) // (2 * scale))) if sign * whole == units)
    check = _formulas._check_values(computed, stated, unit)
    if not check.ok or check.difference_won == 0:
        return None
    return tuple(sorted(check.conventions))


def _stated_matches(computed: Any, stated: Any, unit: str) -> bool:
    """formulas.stated_matches of a computed 원 value and a stated amount in ``unit`` (a money unit)."""
    scale = MONEY_UNITS[unit]
    if computed.__class__ is int and stated.__class__ is int and stated % scale == 0:
        return -scale < stated - computed < scale
    return _formulas._check_values(computed, stated, unit).ok


# --- the function -------------------------------------------------------------------------------


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
    global _formulas
    from auditor.engine import formulas
    from auditor.model import Sheet

    _formulas = formulas
    ns = _Namespace()
    ns.values.update(UNSET=UNSET, _bad=_bad, _Bad=_Bad, OverBudget=OverBudget, MAX_STEPS=_errors.MAX_STEPS,
                     _Sheet=Sheet)
    gen = _Gen(rule, vocab, ns)
    gen.sheet_class = Sheet
    unsupported: list[tuple[str, str]] = []
    body: list[str] = []
    for path in rule.over:
        gen.lines, gen.indent, gen.memo, gen.truthy = [], 3, [{}], {}
        try:
            elem_cls, parent_cls = _element_types(path, Sheet)
        except Unsupported as exc:
            unsupported.append((path, str(exc)))
            body += [f"    out.extend([({ns.const(path, 'path')}, item) for item in shared.elements({ns.const(path, 'path')})])"]
            continue
        path_name = ns.const(path, "path")
        cls_name = ns.const(elem_cls, "cls")
        gen.this = V("e", _obj(elem_cls), never_none=True)
        gen.parent = V("parent", _obj(parent_cls), never_none=True) if parent_cls is not None else None
        gen.line(f"e, parent, prev, nxt, index = item")
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
    head = [f"def check_{rule.code}(sheet, shared):",
            f"    out = []",
            f"    steps = 0"]
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


def _decide(gen: _Gen, rule: Any, unsupported: list[tuple[str, str]], path: str) -> None:
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


def _compare(gen: _Gen, rule: Any) -> None:
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
        fn = gen.helper(_stated_matches, "stated_matches")
        units = gen.ns.const(MONEY_UNITS, "units")
        with gen.block(f"if {actual.amount}.unit in {units}:"):
            with gen.block(f"if {fn}({expected.x}, {actual.x}, {actual.amount}.unit):"):
                gen.line("continue")
        with gen.block(f"elif {actual.x} == {expected.x}:"):
            gen.line("continue")
        return
    with gen.block(f"if {actual.x} == {expected.x}:"):
        gen.line("continue")
