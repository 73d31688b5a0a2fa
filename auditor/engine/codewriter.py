"""How ``codegen.py`` writes a rule's expressions as Python: the value of each node as a local, its
fast type, what it may be missing, and what the writer must refuse (``Unsupported``).

A value in generated code is the language's value made plain: a number is an ``int`` or a
``Fraction`` (money in 원), text a ``str``, a truth value a ``bool``, a model object itself, a list a
Python list or tuple, and a missing value ``None``. Rounding intervals are written only where a
comparison needs them (``intervals``, in :mod:`auditor.engine.codecalls`).
"""

from __future__ import annotations

import contextlib
import functools
import keyword
import types
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal

from auditor.engine import coderuntime as _rt
from auditor.engine.evaluate import PROJECT
from auditor.engine.schema import _hints, field_map
from auditor.engine.values import divide, rational
from auditor.hints import get_args, get_origin, is_union
from auditor.plain import Field, Frozen, Mutable, frozen, has
from auditor.source import Amount, Text, Year
from auditor.source import _text_of  # the builder of a lazily made Text (lazy_text): its recipe's reader

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

class Unsupported(Exception):
    """A part of a rule the generator does not compile: its elements go to the explaining path."""


# Fast types: ("num",) ("str",) ("bool",) ("obj", frozenset of classes) ("list", item type).
NUM, STR, BOOL = ("num",), ("str",), ("bool",)


def _obj(*classes: type) -> tuple:
    return ("obj", frozenset(classes))


def _list(t: tuple) -> tuple:
    return ("list", t)


_set = object.__setattr__


class _Field(Frozen):
    """How to read one rule-visible field of a model class."""

    __slots__ = ("attr", "how", "t", "item", "__weakref__")
    attr: str
    how: str  # amount, year, text, int, decimal, str, bool, obj, list
    t: tuple
    item: str | None  # for a list: how each item is read

    def __init__(self, attr: str, how: str, t: tuple, item: str | None = None) -> None:
        _set(self, "attr", attr)
        _set(self, "how", how)
        _set(self, "t", t)
        _set(self, "item", item)


#: Written out (auditor.plain), where attrs.frozen compiled its methods at every import;
#: tests/test_plain_engine.py holds it to its attrs declaration.
frozen(_Field, Field("attr"), Field("how"), Field("t"), Field("item", default=None))


def _how(hint: Any) -> tuple[str, tuple, str | None] | None:
    """``(how, fast type, item how)`` of a type hint; None when the generator does not read it."""
    origin = get_origin(hint)
    if is_union(origin):
        args = [a for a in get_args(hint) if a is not type(None)]
        return _how(args[0]) if len(args) == 1 else None
    if origin is tuple:
        args = get_args(hint)
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
    if isinstance(hint, type) and has(hint):
        return "obj", _obj(hint), None
    return None


def _lazy_text_slot(cls: type, attr: str) -> Callable[[Any], Any] | None:
    """The reader of ``cls.<attr>``'s slot as stored, when it holds a Text or the recipe of a Text made
    when first read (:func:`auditor.source.lazy_text`); else None."""
    found = cls.__dict__.get(attr)
    if getattr(found, "build", None) is not _text_of or not hasattr(getattr(found, "slot", None), "__get__"):
        return None
    return found.slot.__get__


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


class V(Mutable):
    """A compiled value: ``x`` an expression (a local or a constant) safe to evaluate again."""

    __slots__ = ("x", "t", "exact", "amount", "owner", "attr", "never_none", "ref", "own", "__weakref__")
    x: str
    t: tuple
    exact: bool  # a number with no rounding interval
    amount: str | None  # the local holding the Amount this number was read from
    owner: str | None  # the local holding the model object a field was read from …
    attr: str | None  # … and the attribute read
    never_none: bool
    ref: str  # "const" (a name in the namespace), "cell" (a per-sheet value), "parent" (a per-parent value) or "local"
    #: Read from the rule's element itself (``this``, its fields, theirs …): a list of it is walked
    #: once per element, so all its walks on a sheet are as long as the sheet: no steps are counted.
    own: bool

    def __init__(self, x: str, t: tuple, exact: bool = False, amount: str | None = None, owner: str | None = None,
                 attr: str | None = None, never_none: bool = False, ref: str = "local", own: bool = False) -> None:
        self.x = x
        self.t = t
        self.exact = exact
        self.amount = amount
        self.owner = owner
        self.attr = attr
        self.never_none = never_none
        self.ref = ref
        self.own = own


#: Written out (auditor.plain), where attrs.define compiled its methods at every import;
#: tests/test_plain_engine.py holds it to its attrs declaration.
frozen(V, Field("x"), Field("t"), Field("exact", default=False), Field("amount", default=None),
       Field("owner", default=None), Field("attr", default=None), Field("never_none", default=False),
       Field("ref", default="local"), Field("own", default=False))


@functools.lru_cache(maxsize=4096)
def _reads(node: tuple, depth: int = 0) -> tuple[frozenset[str], frozenset[int]]:
    """What ``node`` reads from outside: of the rule's element, ``"parent"`` (its owner only) and
    ``"element"`` (``this``, ``prev`` …, its fields, or a name left to run time); and which enclosing
    filter/each elements, as depths from where ``node`` stands (0 the innermost) once its own filters
    and each() are set aside."""
    kind = node[0]
    if kind == "tname":
        return _ELEMENT, frozenset()
    if kind == "name":
        name = node[1]
        return (frozenset() if name in ("sheet", PROJECT) else _PARENT if name == "parent" else _ELEMENT), frozenset()
    if kind == "iname":
        return frozenset(), frozenset({node[1] - depth}) if node[1] >= depth else frozenset()
    if kind in ("num", "str", "const", "sname", "pname"):
        return frozenset(), frozenset()
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
        return _ELEMENT, frozenset()  # a node it does not know: assume the worst
    names, free = frozenset(), frozenset()
    for part, at in parts:
        n, f = _reads(part, at)
        names, free = names | n, free | f
    return names, free


_ELEMENT, _PARENT = frozenset({"element"}), frozenset({"parent"})


def _refs(node: tuple, depth: int = 0) -> tuple[bool, frozenset[int]]:
    """Whether ``node`` reads the rule's element (itself, its fields or its parent), and the enclosing
    filter/each elements it reads (see :func:`_reads`)."""
    names, free = _reads(node, depth)
    return bool(names), free


def _uses_element(node: tuple) -> bool:
    """Whether ``node``'s value may differ from one element of the rule to the next."""
    element, free = _refs(node)
    return element or bool(free)


@functools.lru_cache(maxsize=4096)
def _uses_params(node: Any) -> bool:
    """Does an expression tree read a rule's params?"""
    if not isinstance(node, tuple):
        return False
    if node and node[0] == "pname":
        return True
    return any(_uses_params(part) for part in node)


def _loop_invariant(node: tuple) -> Iterator[tuple]:
    """The largest parts of a filter's condition or an each() body, ``node``, that read no element of
    a filter or each() (those enclosing it, its own, or one inside it) and are worth computing apart."""
    if not _reads(node)[1]:
        if _worth_hoisting(node):
            yield node
        return
    kind = node[0]
    if kind in ("filter", "kfilter") or (kind == "call" and node[1] == "each"):
        return  # a scope of its own: its parts are computed as it is written
    if kind in ("attr", "neg", "not"):
        parts: tuple = (node[1],)
    elif kind == "bin":
        parts = (node[2], node[3])
    elif kind == "call":
        parts = node[2]
    elif kind == "list":
        parts = node[1]
    elif kind == "index":
        parts = (node[1], node[2])
    else:
        parts = ()
    for part in parts:
        yield from _loop_invariant(part)


def _parent_only(node: tuple) -> bool:
    """Whether ``node``'s value depends on the element through its parent alone: the same for every
    element of one parent (the items of one ○ group), so computed once for them."""
    names, free = _reads(node)
    return names == _PARENT and not free


def _bare(node: tuple) -> tuple:
    """``node`` without the ``once`` around it."""
    while node[0] == "once":
        node = node[1]
    return node


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


#: Inside a value computed once per parent, the parts of it that are themselves computed once per
#: parent (so that another rule of a fused function, or another part of the same rule, reading an equal
#: part finds it): the lists walked (a filter, a call such as in_force() or first()), not a field read.
_NESTED_BY_PARENT = frozenset({"filter", "kfilter", "call", "index"})


def _worth_hoisting(node: tuple) -> bool:
    """Whether an invariant node is computed once per sheet: any but a constant or a single name."""
    return node[0] not in ("num", "str", "const", "name", "sname", "pname", "tname", "iname")


#: A number for each value the cross rules compute once per document (its cell key), the same in every
#: generated function: the key under which :meth:`Writer.once_per_sheet` keeps it in ``SheetCache.values``.
_DOCUMENT_KEYS: dict[Any, int] = {}


class _Namespace:
    """The constants and helpers a generated function sees, each under a generated name."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}

    def const(self, value: Any, hint: str = "k") -> str:
        """A new name for ``value`` (``hint`` only makes the source easier to read)."""
        name = f"_{hint}{len(self.values)}"
        self.values[name] = value
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


class Writer:
    """Writes one rule's expressions as Python (see the module docstring)."""

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
        #: Writing a value computed once per parent (parent_cached): nothing inside it is, again.
        self.by_parent: tuple | None = None
        #: Values already computed where the code being written can see them, by node and binders
        #: (one layer per open block: a value computed inside a block is not seen after it).
        self.memo: list[dict[Any, V]] = [{}]
        #: Values computed inside an ``and`` that the code after it may use once it has made sure
        #: the ``and`` was not false (past a ``when``, which skips the element otherwise; inside the
        #: right side of an ``and`` of which it is the left side), by the result's local.
        self.truthy: dict[str, dict[Any, V]] = {}
        #: The local counting this rule's steps on the sheet (errors.MAX_STEPS); None where no loop
        #: may be written (the values a fused function computes once per element for several rules).
        self.steps: str | None = "steps"
        self.counted = False  # whether a loop was written (then the rule's elements count too)
        self.neighbours = False  # whether prev, next or index was read
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

    #: The budget tested late (the cross screen's writer, whose one budget for all the rules of a function only
    #: says whether the document may have a finding: :func:`auditor.engine.codegen.compile_rules`' ``one_budget``):
    #: the steps of a list walked outside any other loop are counted before it is walked, and tested at the next
    #: test, not at once: that of a loop inside a filter or each(), of the next list of elements the walk counts,
    #: or the function's last line. The count only grows, so the function raises OverBudget exactly where it
    #: did (the point where it does makes no difference: its candidates are then not read); the work done past
    #: the budget before it raises is at most that of the elements of one list of the walk, each walking lists
    #: once (a loop inside another is tested at once).
    late_checks = False

    #: Value numbering (the cross screen's writer, :class:`auditor.crossdoc.screencode.LightCalls`): an
    #: expression :meth:`assign` writes, and a field :meth:`read` reads, is written once where the code can
    #: see it (the same text over the same locals, which are never set again: a temporary is assigned once)
    #: and taken again after, whatever node it stands for (``label_key(내역)`` of one rule and ``label_key(
    #: this.내역)`` of another, a field the element's code read for all the rules). Off for the sheet rules,
    #: whose code stays as it is.
    numbered = False

    def assign(self, expr: str, t: tuple, **kw: Any) -> V:
        key = None
        if self.numbered and not expr.isidentifier():  # (a copy may be set again: formula_error's first)
            key = ("#expr", expr, t, tuple(sorted(kw.items())))
            found = self.known(key)
            if found is not None:
                return found
        name = self.tmp()
        self.line(f"{name} = {expr}")
        value = V(name, t, **kw)
        if key is not None:
            self.memo[-1][key] = value
        return value

    def whole(self, v: V) -> bool:
        """Whether ``v`` is known to hold an ``int`` (or to be missing): compared to a whole constant
        without the test of a Fraction (:meth:`e_bin`). No value is, for the sheet rules' writer."""
        return False

    def const(self, value: Any, t: tuple, hint: str = "k") -> V:
        return V(self.ns.const(value, hint), t, exact=t == NUM, never_none=value is not None, ref="const")

    def helper(self, fn: Callable, name: str) -> str:
        self.ns.values.setdefault(f"_{name}", fn)
        return f"_{name}"

    # --- expressions ------------------------------------------------------------------------

    def emit(self, node: tuple) -> V:
        """The value of ``node``, computed by the code written so far (once: equal nodes share it; one
        that reads no filter's or each()'s element is the same inside their loops as outside)."""
        key = self.memo_key(node)
        for layer in reversed(self.memo):
            found = layer.get(key)
            if found is not None:
                return found
        value = self._emit(node)
        self.memo[-1][key] = value
        return value

    def memo_key(self, node: tuple) -> tuple:
        """The key under which :meth:`emit` remembers ``node``'s value where it was computed."""
        return node, tuple(b.x for b in self.binders) if self.binders and _reads(node)[1] else ()

    def _emit(self, node: tuple) -> V:
        kind = node[0]
        if kind == "once":
            return self.emit(node[1])
        if not self.hoisting and not self.binders and self.this is not None and _worth_hoisting(node):
            if not _uses_element(node):
                return self.hoisted(node)
            if (self.parent is not None and self.by_parent is not node and _parent_only(node)
                    and (self.by_parent is None or kind in _NESTED_BY_PARENT)):
                return self.parent_cached(node)
        method = getattr(self, f"e_{kind}", None)
        if method is None:
            raise Unsupported(f"node {kind!r}")
        return method(node)

    def cell_key(self, key: tuple) -> tuple:
        """The key of a value computed once per sheet or per parent: the expression, and the rule's
        code when it reads the rule's params (the same expression may differ from rule to rule)."""
        return (self.rule.code, key) if _uses_params(key) else key

    def hoisted(self, node: tuple) -> V:
        """``node``'s value, computed once per sheet (on first use, by whichever rule of the function
        needs it first) into a local of the generated function."""
        key = self.cell_key(node)
        cell = self.cells.get(key)
        if cell is None:
            cell = self.cells[key] = self.tmp("h")
        with self.once_per_sheet(cell, key) as also:
            self.hoisting = True
            try:
                value = self.emit(node)
            finally:
                self.hoisting = False
            amount = None
            if value.amount is not None:  # kept beside the value, for places() and intervals
                amount = self.cells.setdefault(("amount", key), self.tmp("h"))
                self.line(f"{amount} = {value.amount}")
                also.append((amount, ("amount", key)))
            self.set_cell(cell, value)
        return V(cell, value.t, exact=value.exact, amount=amount, ref="cell")

    @contextlib.contextmanager
    def once_per_sheet(self, cell: str, key: Any) -> Iterator[list]:
        """The block that computes a value once per sheet into ``cell`` (the body sets it; it appends
        to the list it is given any other cell it sets, with its key). For a cross rule, the value
        is kept in ``SheetCache.values`` too, so that the other fused functions checking the same
        document (the cross rules walk seven collections) take it instead of computing it again."""
        also: list[tuple[str, Any]] = []
        if self.owner_base is not None:  # (inside a value of an owner: a value of the document counts its own steps)
            outer = self.steps, self.owner_base, self.owner_subs
            self.steps, self.owner_base, self.owner_subs = self.owner_base, None, None
            try:
                with self.once_per_sheet(cell, key) as also:
                    yield also
            finally:
                self.steps, self.owner_base, self.owner_subs = outer
            return
        if not self.rule.cross:
            with self.block(f"if {cell} is UNSET:"):
                yield also
            return
        number = self.ns.const(_DOCUMENT_KEYS.setdefault(key, len(_DOCUMENT_KEYS)), "doc")
        with self.block(f"if {cell} is UNSET:"):
            self.line(f"{cell} = shared_values.get({number}, UNSET)")
            with self.block(f"if {cell} is UNSET:"):
                yield also
                self.line(f"shared_values[{number}] = {cell}")
                numbers = [(name, self.ns.const(_DOCUMENT_KEYS.setdefault(k, len(_DOCUMENT_KEYS)), "doc"))
                           for name, k in also]
                for name, n in numbers:
                    self.line(f"shared_values[{n}] = {name}")
            if numbers:
                with self.block("else:"):
                    for name, n in numbers:
                        self.line(f"{name} = shared_values[{n}]")

    def set_cell(self, cell: str, value: V) -> None:
        """``cell = value``; with :attr:`direct_cells`, the line that computed ``value`` into a temporary just
        before (at this indent) computes it into the cell itself (no temporary set and read again)."""
        head = "    " * self.indent + f"{value.x} = "
        if (self.direct_cells and value.x.startswith("t") and value.x[1:].isdigit() and self.lines
                and self.lines[-1].startswith(head)):
            self.lines[-1] = "    " * self.indent + f"{cell} = " + self.lines[-1][len(head):]
            return
        self.line(f"{cell} = {value.x}")

    #: A cell set by the line that computes its value (:meth:`set_cell`): the cross screen's writer.
    direct_cells = False

    def parent_cached(self, node: tuple) -> V:
        """``node``'s value, computed once for the elements of one parent into a local of the generated
        function (``if p is UNSET:``; the walk sets every such local to UNSET where it binds the next
        parent, :func:`auditor.engine.codegen.compile_rules`). Written once where the code can see it:
        the block leaves behind, for the code after it, its value and every value it computed once per
        sheet or per parent on its way (set with it, for this parent, or already)."""
        if self._owner_only(node):
            found = self.owner_cached(node)
            if found is not None:
                return found
        key = self.cell_key(node)
        cell = self.cells.get(("parent", key))
        if cell is None:
            cell = self.cells[("parent", key)] = self.tmp("p")
        self.parent_read(cell)
        with self.block(f"if {cell} is UNSET:"):
            outer, self.by_parent = self.by_parent, node
            try:
                value = self.emit(node)
            finally:
                self.by_parent = outer
            amount = None
            if value.amount is not None:
                amount = self.cells.setdefault(("parent amount", key), self.tmp("p"))
                self.parent_read(amount)
                self.line(f"{amount} = {value.amount}")
            self.set_cell(cell, value)
            known = self.once_known()
        self.memo[-1].update(known)
        return V(cell, value.t, exact=value.exact, amount=amount, ref="parent")

    def parent_read(self, cell: str) -> None:
        """Note that the code being written reads (and may set) the local ``cell`` of a value computed once per
        parent: the walk that writes it resets only those its own code reads (a target's ``own_resets``,
        :func:`auditor.engine.codegen.write_rules`), in ``ns.parents`` when the walk keeps one."""
        read = getattr(self.ns, "parents", None)
        if read is not None:
            read.add(cell)

    #: The walk whose elements the code being written checks: its steps from the sheet (``codegen._walk``'s
    #: ``(attribute, is a list, class)``) and its number (its loops bind the object of step ``d`` as ``x{j}_{d}``,
    #: ``codegen._walk_lines``); set by :func:`auditor.engine.codegen.write_rules` for every writer of a walk.
    walk_steps: tuple = ()
    walk_number = 0

    def one_home(self, owner: type, attr: str) -> bool:
        """Whether an object of the list ``attr`` of an ``owner`` is, in the whole document, in that one list of that
        field alone (the target's declaration; tested over the readers' output): then the first owner whose list
        holds an element's parent is the owner the walk bound above it (:meth:`enclosing`). None for the model."""
        return False

    def _home(self, node: tuple) -> tuple[int, type] | None:
        """The step and class of the walk's objects that :meth:`enclosing` reads for ``node`` (a filter), or None."""
        if len(self.walk_steps) < 3 or self.parent is None or node[0] not in ("filter", "kfilter"):
            return None
        found = self.ns.__dict__.setdefault("homes", {})
        key = (self.walk_number, id(node))
        if key not in found:
            found[key] = (node, self._find_home(node))  # (the node kept: its id not taken by another)
        return found[key][1]

    def _find_home(self, node: tuple) -> tuple[int, type] | None:
        """:meth:`_home`'s answer, worked out once a walk and node (``node`` a filter, the walk three steps deep or
        more, with a parent: :meth:`_home` tests them)."""
        steps = self.walk_steps
        cond = node[2]
        if not (cond[0] == "bin" and cond[1] == "in" and tuple(cond[2]) == ("name", "parent")
                and cond[3][0] == "iname" and cond[3][1] == 0):
            return None
        names, obj = [], node[1]
        while obj[0] == "attr":
            names.insert(0, obj[2])
            obj = obj[1]
        if obj[0] == "sname":
            names.insert(0, obj[1])
        elif tuple(obj) != ("name", "sheet"):
            return None
        depth = len(steps) - 3  # the owners' step: the parent's list is step depth + 1 of the walk
        if len(names) != depth + 1:
            return None
        cls = self.sheet_class
        try:
            for name, (attr, _, next_cls) in zip(names, steps):
                if field_of(frozenset({cls}), name).attr != attr:
                    return None
                cls = next_cls
            owner, held = steps[depth][2], steps[depth + 1][0]
            if field_of(frozenset({owner}), cond[3][2]).attr != held or not self.one_home(owner, held):
                return None
        except Unsupported:
            return None
        return depth, owner

    def enclosing(self, node: tuple) -> V | None:
        """``first(<the walk's path to the parent's owners>[parent in <their field the parent is in>])`` (XDOC011/013/
        015's ``first(sheet.산출근거.통계목[parent in 내역])``: the 통계목 of a - line's ○ line) as the object the walk
        itself bound there (``x{j}_{d}``: the 통계목 being walked), where the target declares that a parent is in that
        one owner's list (:meth:`one_home`); else None (the scan as written). The steps counted are the scan's, as
        :meth:`auditor.engine.codecalls.Calls._scan` counts them (the whole list, whatever item it stops at): the
        step budget's result is the same."""
        home = None if self.hoisting else self._home(node)
        if home is None:
            return None
        depth, owner = home
        every = self.emit(node[1])  # the owners, as the scan reads them: their steps counted as it counts them
        with self.block(f"if {every.x} is not None:"):
            self.count(f"len({every.x})", every.own)
        return V(f"x{self.walk_number}_{depth}", _obj(owner), never_none=True)

    def _parent_outside_homes(self, node: Any, seen: dict) -> bool:
        """Whether ``node`` reads ``parent`` other than in a ``first(…)`` that :meth:`enclosing` reads as the walk's
        owner (``seen``: the answers by subtree, which the rules' trees share)."""
        if not isinstance(node, tuple) or not node:
            return False
        found = seen.get(id(node))
        if found is not None:
            return found[1]
        if node[0] == "name":
            answer = node[1] == "parent"
        elif node[0] == "call" and node[1] == "first" and len(node[2]) == 1 and self._home(_bare(node[2][0])):
            answer = False
        else:
            answer = any(self._parent_outside_homes(part, seen) for part in node)
        seen[id(node)] = (node, answer)
        return answer

    def _owner_only(self, node: tuple) -> bool:
        """Whether ``node`` (a value of a parent: :func:`_parent_only`) reads the element only through the owner
        :meth:`enclosing` reads (XDOC011's e호조 rows of the ○ line's 통계목): the same for the elements of every parent
        of one owner."""
        if len(self.walk_steps) < 3 or not self.one_home(self.walk_steps[-3][2], self.walk_steps[-2][0]):
            return False
        seen = self.ns.__dict__.setdefault("outside homes", {}).setdefault(self.walk_number, {})
        return not self._parent_outside_homes(node, seen)

    #: Writing a value of an owner (:meth:`owner_cached`): the budget's own counter (``s``) that the blocks of the
    #: document's values and the owners' values count into, and the owner's values read at the block's top.
    owner_base: str | None = None
    owner_subs: list | None = None

    def owner_cached(self, node: tuple) -> V | None:
        """``node``'s value (:meth:`_owner_only`) as a value of a parent (its cell ``p…``, set for each parent: every
        parent's code as before) taken from a cell of the owner (``g…``, computed once for the parents of one owner:
        reset where the walk binds the next owner, ``codegen._walk_lines``). The steps each parent's code counted
        are counted as before: the owner's own steps (its loops, not those of a value of the document nor of another
        owner's value it reads: each counts its own) are kept in ``n…`` and counted again for each parent, and so
        are the owner's values it reads, each as its own block would (the lazy chain of each parent, replayed
        without its work). None (nothing written) where that is not exact: a value of a parent read in another
        way, or one read only on some branch (then written as :meth:`parent_cached` writes it)."""
        key = self.cell_key(node)
        cell = self.cells.get(("parent", key))
        if cell is None:
            cell = self.cells[("parent", key)] = self.tmp("p")
        state, temps = self.state(), self.temps
        g = self.cells.setdefault(("owner", self.walk_number, key), self.tmp("g"))
        n = self.cells.setdefault(("owner steps", self.walk_number, key), self.tmp("n"))
        base = self.owner_base or self.steps
        outer = (self.steps, self.owner_base, self.owner_subs, self.by_parent)
        subs: list = []
        depth = None
        with self.block(f"if {cell} is UNSET:"):
            with self.block(f"if {g} is UNSET:"):
                self.line(f"{n} = 0")
                start = len(self.lines)
                with self.block("try:"):
                    depth = len(self.memo)
                    self.steps, self.owner_base, self.owner_subs, self.by_parent = n, base, subs, node
                    reads = getattr(self.ns, "parents", None)
                    mark = set(reads) if reads is not None else None
                    try:
                        value = self.emit(node)
                    finally:
                        self.steps, self.owner_base, self.owner_subs, self.by_parent = outer
                    self.set_cell(g, value)
                    known = self.once_known()
                counts = any(f"{n} += " in line for line in self.lines[start:])
                if counts:
                    with self.block("finally:"):
                        self.line(f"{base} += {n}")
                else:  # no steps of its own to count again: no counter
                    body = self.lines[start + 1:]
                    del self.lines[start - 1:]
                    self.lines += [line[4:] for line in body]
            theirs = {c for _, _, _, cells in subs for c in cells}
            exact = (value.amount is None and all(at == depth for _, at, _, _ in subs)
                     and all(v.x in theirs for v in known.values() if v.ref == "parent")
                     and (mark is None or not (set(reads) - mark - theirs - {cell})))
            replay = [line for _, _, lines, _ in subs for line in lines] + [f"{base} += {n}"] * counts
            if not replay:
                replay = ["pass"]
            with self.block("else:"):
                for line in replay:
                    self.line(line)
            self.set_cell(cell, V(g, value.t))
            self.memo[-1].update(known)
            known = self.once_known()
        if not exact:
            self.restore(state)
            self.temps = temps
            return None
        self.parent_read(cell)
        owners = getattr(self.ns, "owners", None)
        if owners is not None:
            owners.add(g)
        if self.owner_subs is not None:
            self.owner_subs.append((cell, len(self.memo), [f"if {cell} is UNSET:", *("    " + line for line in replay),
                                                           f"    {cell} = {g}"], theirs | {cell}))
        self.memo[-1].update(known)
        return V(cell, value.t, exact=value.exact, ref="parent")

    def once_known(self) -> dict[Any, V]:
        """The values of the innermost block computed once per sheet or per parent (into a cell or a
        local of the function; not those of a block inside it, which may not have run): the code after
        the block that computes a value once per parent sees them too. When that block is skipped, its
        value was computed for this parent before, and these with it (the walk resets them all together
        for the next parent; a value of the sheet is never reset)."""
        return {k: v for k, v in self.memo[-1].items() if v.ref in ("cell", "parent")}

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
        if name == PROJECT:  # the cross pass's project: the function's ``project`` (shared.project)
            from auditor.crossdoc.model import Project

            return V("project", _obj(Project), never_none=True)
        if name == "parent":
            if self.parent is None:
                raise Unsupported("parent of a top-level element")
            return self.parent
        if name in ("prev", "next"):
            self.neighbours = True
            return V("prev" if name == "prev" else "nxt", self.this.t)
        if name == "index":
            self.neighbours = True
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
        key = ("#read", obj.x, f.attr, obj is self.this or obj.own) if self.numbered else None
        if key is not None:
            found = self.known(key)
            if found is not None:
                return found
        raw = self.tmp("r")
        access, lazy = self.access(obj.x, obj.t[1], f)
        self.line(f"{raw} = {access}" if obj.never_none else f"{raw} = None if {obj.x} is None else {access}")
        how = "lazy text" if lazy else f.how
        value = self.convert(raw, how, f.t, f.item, owner=obj.x, attr=f.attr)
        if (obj is self.this or obj.own) and value.t[0] in ("obj", "list"):
            value = V(value.x, value.t, value.exact, value.amount, value.owner, value.attr, value.never_none,
                      value.ref, own=True)
        value = self.field_value(obj, f, value)
        if key is not None:
            self.memo[-1][key] = value
        return value

    def field_value(self, obj: V, f: _Field, value: V) -> V:
        """The value read of field ``f`` of ``obj``, as it is here (the cross screen's writer knows fields of the
        light documents that are never None, or lists that never hold None)."""
        return value

    def access(self, x: str, classes: frozenset, f: _Field) -> tuple[str, bool]:
        """The expression reading field ``f`` of the object in ``x`` (not None), one of ``classes``,
        and whether it reads a text field as stored: a Text, or the recipe ``(value, path, line,
        column, text)`` a reader left for a Text made when first read (:func:`auditor.source.lazy_text`).
        A rule reads only the value: the recipe's first item is the Text's ``value``, and no Text is
        made (one for each 산출근거 line's formula and label, each row's name …; a finding or ``auditor
        parse`` makes it). An object of another class than those goes to the explaining path. Not in
        the cross rules' code: the cross pass's screen runs it over light documents (its namespace's
        classes replaced), which keep no recipes."""
        getters = [] if f.how != "text" or self.rule.cross else [(cls, _lazy_text_slot(cls, f.attr)) for cls in
                                               sorted(classes, key=lambda c: (c.__module__, c.__qualname__))]
        if not getters or any(get is None for _, get in getters):
            return f"{x}.{f.attr}", False
        expr = "_bad()"
        for cls, get in reversed(getters):
            name = f"{cls.__module__}.{cls.__qualname__}".replace(".", "_")
            read = self.helper(get, f"raw_{name}_{f.attr}")
            expr = f"({read}({x}) if {x}.__class__ is {self.helper(cls, name)} else {expr})"
        return expr, True

    def convert(self, raw: str, how: str, t: tuple, item: str | None, owner: str | None = None,
                attr: str | None = None) -> V:
        """The value of raw field ``raw`` as the language sees it (see evaluate.to_value)."""
        if how == "lazy text":  # a Text or its recipe (see access)
            text = self.helper(Text, "Text")
            return self.assign(f"None if {raw} is None else ({raw}[0] if {raw}.__class__ is tuple else "
                               f"{raw}.value if {raw}.__class__ is {text} else _bad())", STR, owner=owner, attr=attr)
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
        classes = items.t[1][1]
        f = field_of(classes, name)
        full, present = self.projecting(items, classes, f)
        out, x = self.tmp(), self.tmp("x")
        self.line(f"{out} = None if {items.x} is None else []")
        with self.block(f"if {out} is not None:"):
            self.count(f"len({items.x})", items.own)
            with self.block(f"for {x} in {items.x}:"):
                if full:
                    self._project_item(out, x, classes, f, present)
                else:
                    with self.block(f"if {x} is None:"):
                        self.line(f"{out}.append(None)")
                    with self.block("else:"):
                        self._project_item(out, x, classes, f, present)
        t = f.t if f.how == "list" else _list(f.t)
        return self.projected(V(out, t, own=items.own), items, classes, f)

    def _project_item(self, out: str, x: str, classes: frozenset, f: _Field, present: bool) -> None:
        """:meth:`project`'s step for the item in ``x`` (not None): its field appended to ``out``, a list's items
        extended (``present``: a list field never None, extended without its test)."""
        raw = self.tmp("r")
        access, lazy = self.access(x, classes, f)
        self.line(f"{raw} = {access}")
        if f.how == "list":
            value = self.convert_items(raw, f.item, f.t)
            if present:
                self.line(f"{out}.extend({value.x})")
            else:
                with self.block(f"if {value.x} is None:"):
                    self.line(f"{out}.append(None)")
                with self.block("else:"):
                    self.line(f"{out}.extend({value.x})")
        else:
            value = self.convert(raw, "lazy text" if lazy else f.how, f.t, f.item)
            self.line(f"{out}.append({value.x})")

    def projecting(self, items: V, classes: frozenset, f: _Field) -> tuple[bool, bool]:
        """Whether :meth:`project` may leave out the test of a missing item of ``items`` (a list that never holds
        None) and that of a missing list read of field ``f`` (never None): not here (the cross screen's writer
        knows such lists and fields of the light documents)."""
        return False, False

    def projected(self, value: V, items: V, classes: frozenset, f: _Field) -> V:
        """:meth:`project`'s ``value``, as it is here (the cross screen's writer carries over what it knows)."""
        return value

    @contextlib.contextmanager
    def each_item(self, items: V, out: str, empty: str) -> Iterator[str]:
        """Write ``out = empty`` (missing when ``items`` is) and a loop over ``items`` with each
        item bound as the innermost element (for ``iname``); the body is written in the ``with``."""
        x = self.tmp("x")
        self.line(f"{out} = None if {items.x} is None else {empty}")
        with self.block(f"if {out} is not None:"):
            self.count(f"len({items.x})", items.own)
            with self.block(f"for {x} in {items.x}:"):
                self.binders.append(self.binder(x, items))
                try:
                    yield x
                finally:
                    self.binders.pop()

    def binder(self, x: str, items: V) -> V:
        """The item of ``items`` a filter's, each()'s or a scan's loop binds as ``x`` (it may be None: the list
        may hold None; the cross screen's writer knows lists of the light documents that never do)."""
        return V(x, items.t[1], own=items.own)

    def count(self, steps: str, own: bool = False) -> None:
        """Count ``steps`` against the rule's budget on this sheet (errors.MAX_STEPS); not for a walk
        of a list of the element's own (``own``) outside any other loop: the walks of all elements
        then cover the sheet once (inside a filter or each(), it is walked once per item: counted)."""
        if own and not self.binders:
            return
        if self.steps is None:
            raise Unsupported("a loop in a value computed for several rules")
        self.counted = True
        self.line(f"{self.steps} += {steps}")
        if self.late_checks and not self.binders:
            return  # tested at the next test of the budget (at the latest, the function's last line)
        with self.block(f"if {self.steps} > MAX_STEPS:"):
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
        by_parent = self._parent_keyed(node)
        if by_parent is not None:
            state = self.state()
            try:
                return self.parent_indexed(node[1], *by_parent)
            except Unsupported:
                self.restore(state)
        obj = self.emit(node[1])
        if obj.t[0] != "list":
            raise Unsupported("a filter of a value that is not a list")
        self.before_loop(node[2])
        out = self.tmp()
        with self.each_item(obj, out, "[]") as x:
            with self.block(f"if {self.true_test(node[2])}:"):
                self.line(f"{out}.append({x})")
        return self.subset(V(out, obj.t, own=obj.own), obj)

    def subset(self, value: V, of: V) -> V:
        """``value``, a list of some of the items of ``of`` (a filter's, an index's probe): as it is here (the cross
        screen's writer carries over what it knows of ``of``'s items)."""
        return value

    def true_test(self, node: tuple) -> str:
        """The test that a filter's condition ``node`` is true (neither false nor missing): ``v is True`` of
        its value (the cross screen's writer writes an equality as the test itself:
        :meth:`auditor.crossdoc.screencode.LightCalls.true_test`)."""
        keep = self.emit(node)
        if keep.t != BOOL:
            raise Unsupported("a filter condition that is not a truth value")
        return f"{keep.x} is True"

    def before_loop(self, inside: tuple) -> None:
        """Compute, before a filter's or each()'s loop, the parts of ``inside`` (its condition or
        body) that read none of the loops' elements: once, not once per item (they are the same
        for every item, and ``emit`` finds them inside the loop)."""
        for part in _loop_invariant(inside):
            self.emit(part)

    def e_kfilter(self, node: tuple) -> V:
        """The checker's keyed filter (``check._keyed``): indexed as any filter :func:`_keyed` finds."""
        return self.e_filter(("filter", node[1], node[2]))

    def indexed(self, obj_node: tuple, key_node: tuple, probe_node: tuple) -> V:
        """``obj[key(item) == probe]`` (see :func:`_keyed`) through an index of ``obj`` by key, built
        once per sheet: the items in order whose key equals the probe, as the filter gives them (a
        missing key or probe equals nothing), without a scan of ``obj`` for every element."""
        key = self.cell_key(("index", obj_node, key_node))
        built = self.known(("#index", key))  # (already built where the code can see it)
        if built is None:
            cell = self.cells.get(key)
            if cell is None:
                cell = self.cells[key] = self.tmp("h")
            with self.once_per_sheet(cell, key):
                self.hoisting = True
                try:
                    obj, item_key = self._index_of(obj_node, key_node, cell)
                finally:
                    self.hoisting = False
            built = self.memo[-1][("#index", key)] = V(cell, ("index", obj.t, item_key.t), ref="cell")
        return self._probe(built, probe_node)

    def _index_of(self, obj_node: tuple, key_node: tuple, cell: str) -> tuple[V, V]:
        """Emit ``cell = {key: [items in order]}`` for the list ``obj_node`` by ``key_node`` (an item
        without a key in none): the index that :meth:`indexed` and :meth:`parent_indexed` build."""
        obj = self.emit(obj_node)
        if obj.t[0] != "list":
            raise Unsupported("a filter of a value that is not a list")
        groups = self.tmp()
        with self.each_item(obj, groups, "{}") as x:
            key = self.emit(key_node)
            if key.t not in (STR, NUM):
                raise Unsupported("an index by a key that is not text or a number")
            with self.block(f"if {key.x} is not None:"):
                self.line(f"{groups}.setdefault({key.x}, []).append({x})")
        self.line(f"{cell} = {groups}")
        return obj, key

    def known(self, key: Any) -> V | None:
        """The value under ``key`` computed where the code being written can see it, or None."""
        for layer in reversed(self.memo):
            found = layer.get(key)
            if found is not None:
                return found
        return None

    def _probe(self, index: V, probe_node: tuple) -> V:
        """The items of the index in ``index`` (its type ``("index", list type, key type)``) whose key
        equals the probe (a missing index gives None, a missing probe nothing)."""
        cell, (_, items_t, key_t) = index.x, index.t
        probe = self.emit(probe_node)
        if probe.t != key_t:
            raise Unsupported("a key and a probe of different kinds")
        return self.assign(f"None if {cell} is None else ([] if {probe.x} is None else {cell}.get({probe.x}, []))",
                           items_t)

    def _parent_keyed(self, node: tuple) -> tuple[tuple, tuple] | None:
        """``(key, probe)`` of a cross rule's filter ``obj[key(item) == probe]`` whose list is the same
        for the elements of one parent (a ○ group's e호조 rows), whose key reads only the item and whose
        probe reads the element (its own label): None for any other filter, and for a sheet rule's."""
        if (not self.rule.cross or self.parent is None or self.binders or self.hoisting or self.by_parent is not None
                or not _parent_only(node[1])):
            return None
        pred = node[2]
        if pred[0] != "bin" or pred[1] != "==":
            return None
        for key, probe in ((pred[2], pred[3]), (pred[3], pred[2])):
            key_element, key_free = _refs(key)
            if key_element or key_free != {0}:
                continue
            if not _refs(probe)[1] and _uses_element(probe):
                return key, probe
        return None

    def parent_indexed(self, obj_node: tuple, key_node: tuple, probe_node: tuple) -> V:
        """``obj[key(item) == probe]`` (see :meth:`_parent_keyed`) through an index of ``obj`` by key,
        built once per parent (the rules of a fused function that filter it by the same key share it):
        the items in order whose key equals the probe, as the filter gives them (a missing key or probe
        equals nothing), without a scan of ``obj`` for every element of the parent."""
        key = self.cell_key(("parent index", obj_node, key_node))
        built = self.known(("#parent index", key))  # (already built for this parent where the code can see it)
        if built is None:
            cell = self.cells.get(("parent", key))
            if cell is None:
                cell = self.cells[("parent", key)] = self.tmp("p")
            self.parent_read(cell)
            with self.block(f"if {cell} is UNSET:"):  # (reset for each parent by the walk: see parent_cached)
                obj, item_key = self._index_of(obj_node, key_node, cell)
                known = self.once_known()
            self.memo[-1].update(known)
            built = self.memo[-1][("#parent index", key)] = V(cell, ("index", obj.t, item_key.t), ref="parent")
        return self._probe(built, probe_node)

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
        if op in ("<", "<=", ">", ">=") and lnode[0] == "bin" and lnode[1] == "/" and rnode[0] in ("num", "pname"):
            whole = self.whole_const(self.emit(rnode))
            if whole is not None:
                return self.ordered_quotient(op, lnode[2], lnode[3], whole)
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
            whole = self.whole_const(right)
            if whole is not None and left.ref != "const" and not self.whole(left):
                # a Fraction compared in integers, not by Fraction's methods
                return self.assign(f"None if {missing} else ({left.x} {op} {whole} if {left.x}.__class__ is int "
                                   f"else {self.fraction_order(left.x, op, whole)})", BOOL)
            return self.assign(f"None if {missing} else {left.x} {op} {right.x}", BOOL)
        if op in ("+", "-", "*"):
            return self.assign(f"None if {missing} else {left.x} {op} {right.x}", NUM,
                               exact=left.exact and right.exact)
        if op == "/":
            return self.divide(left, right)
        raise Unsupported(f"operator {op!r}")

    def ordered_quotient(self, op: str, top: tuple, bottom: tuple, whole: str) -> V:
        """``top / bottom op whole`` (REVIEW001/002's ratios against their limits) as ``top op whole *
        bottom`` (the other way round for a negative divisor), with :meth:`divide`'s missing values and
        its check of an inexact divisor, and no quotient made as a Fraction."""
        left, right = self.emit(top), self.emit(bottom)
        self.number(left), self.number(right)
        missing = f"{self.missing(left, right)} or {right.x} == 0"
        if not right.exact:
            with self.block(f"if not ({missing}) and {self.zero_corner(right)}:"):
                self.line("_bad()")
        return self.assign(f"None if {missing} else {self.quotient_order(left.x, op, right.x, whole)}", BOOL)

    @staticmethod
    def quotient_order(top: str, op: str, bottom: str, whole: str) -> str:
        """``top / bottom op whole`` for a divisor that is not zero, without dividing."""
        return f"({top} {op} {whole} * {bottom} if {bottom} > 0 else {whole} * {bottom} {op} {top})"

    def whole_const(self, v: V) -> str | None:
        """``v``'s name when it is a constant whole number (a number or a param), else None: ``x op k``
        is ``x.numerator op k * x.denominator`` for a Fraction ``x`` (whose denominator is positive)."""
        if v.ref != "const" or v.x not in self.ns.values:
            return None
        return v.x if self.ns.values[v.x].__class__ is int else None

    @staticmethod
    def fraction_order(x: str, op: str, whole: str) -> str:
        """``x op whole`` for a Fraction ``x`` and an int ``whole``, in integers."""
        return f"{x}.numerator {op} {whole} * {x}.denominator"

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
        corner = self.zero_corner(right)
        out = self.tmp()
        self.line(f"{out} = None if {missing} or {right.x} == 0 else {fn}({left.x}, {right.x})")
        with self.block(f"if {out} is not None and {corner}:"):
            self.line("_bad()")
        return V(out, NUM)

    @staticmethod
    def zero_corner(right: V) -> str:
        """The test that the interval of ``right``, an inexact divisor, has a corner at zero (where the
        explaining path's quotient fails, so the fast path stands down: ``_bad()``); a divisor that is not
        an amount read from the sheet (a computed inexact number) is not compiled."""
        if right.amount is None:
            raise Unsupported("a division by a computed inexact number")
        a = right.amount
        return f"({right.x} - {a}.half == 0 or {right.x} + {a}.half == 0)"

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
            if op == "and":  # the left side is not false: what it computed past its own tests, it did
                self.memo[-1].update(self.truthy.get(left.x, {}))
            right = self.emit(rnode)
            if right.t != BOOL:
                raise Unsupported(f"{op} of a value that is not a truth value")
            if op == "and":  # not false only when this block ran (and neither side was false)
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

    def ids_of(self, right: V) -> str:
        """The cell holding a set of the identities of the objects of ``right`` (a list kept in a cell),
        made the first time it is asked for (once per sheet or document)."""
        cell = self.cells.setdefault(("ids", right.x), self.tmp("h"))
        if self.known(("#ids", cell)) is None:
            with self.block(f"if {cell} is UNSET:"):
                self.line(f"{cell} = None if {right.x} is None else frozenset(map(id, {right.x}))")
            self.memo[-1][("#ids", cell)] = V(cell, right.t, ref="cell")
        return cell

    def membership(self, op: str, left: V, right: V, rnode: tuple) -> V:
        if right.t[0] == "list" and left.t[0] == "obj" and right.t[1][0] == "obj":
            # a row in a list of rows: whether it is one of them (the evaluator's test too); in a list
            # the same for every element, through a set of the rows' identities made once per sheet
            test = "" if op == "in" else "not "
            if right.ref == "cell":
                cell = self.ids_of(right)
                return self.assign(f"None if {self.missing(left)} or {cell} is None else "
                                   f"{'' if op == 'in' else 'not '}(id({left.x}) in {cell})", BOOL)
            fn = self.helper(_rt._one_of, "one_of")
            return self.assign(f"None if {self.missing(left, right)} else {test}{fn}({left.x}, {right.x})", BOOL)
        if right.t[0] != "list" or left.t != right.t[1] or left.t not in (STR, NUM, BOOL):
            raise Unsupported(f"{op} of {left.t[0]} in {right.t[0]}")
        haystack = right.x
        if right.ref == "const":  # a param or a vocabulary: looked up in a set
            haystack = self.ns.const(frozenset(x for x in self.ns.values[right.x] if x is not None), "set")
        elif right.ref == "cell":  # the same for every element: a set made once per sheet
            cell = self.cells.setdefault(("set", right.x), self.tmp("h"))
            if self.known(("#set", cell)) is None:
                with self.block(f"if {cell} is UNSET:"):
                    self.line(f"{cell} = None if {right.x} is None else frozenset({right.x})")
                self.memo[-1][("#set", cell)] = V(cell, right.t, ref="cell")
            haystack = cell
        test = "in" if op == "in" else "not in"
        return self.assign(f"None if {self.missing(left, right)} else {left.x} {test} {haystack}", BOOL)
