"""The load-time check of a rule expression: every name and function must exist in the model's schema.

It also settles, from static types, whether ``x[...]`` indexes a list (a
number inside) or filters it (a condition inside), and rewrites the latter to a
``("filter", …)`` node, so that evaluation never guesses.
"""

from __future__ import annotations

from typing import Any

import attrs

from auditor.engine.builtins import SIGNATURES, result_type
from auditor.engine.evaluate import MESSAGE_NAMES
from auditor.engine.schema import ANY, BOOL, NUM, STR, field_type, list_of

__all__ = ["NameCheckError", "StaticScope", "check_expr", "param_type"]


class NameCheckError(ValueError):
    """A name or function that the model and the builtins do not have."""


@attrs.define
class StaticScope:
    """Static counterpart of :class:`auditor.engine.evaluate.Env`."""

    root: Any
    this: Any
    parent: Any = ANY
    params: dict[str, Any] = attrs.Factory(dict)
    vocab: frozenset[str] = frozenset()
    message: bool = False
    inner: list[Any] = attrs.Factory(list)
    #: Set when a name resolved through the rule's element (this, prev, its fields …).
    uses_element: bool = False


def param_type(value: Any) -> Any:
    if isinstance(value, bool):
        return BOOL
    if isinstance(value, str):
        return STR
    if isinstance(value, (list, tuple)):
        return list_of(param_type(value[0]) if value else ANY)
    return NUM


def _field(t: Any, name: str) -> Any | None:
    """Type of field ``name`` on static type ``t``; lists project and flatten."""
    if t == ANY:
        return ANY
    if isinstance(t, tuple) and t[0] == "list":
        inner = _field(t[1], name)
        if inner is None:
            return None
        return inner if isinstance(inner, tuple) and inner[0] == "list" else list_of(inner)
    if isinstance(t, tuple) and t[0] == "obj":
        return field_type(t[1], name)
    return None


def _describe(t: Any) -> str:
    if isinstance(t, tuple):
        return f"a list of {_describe(t[1])}" if t[0] == "list" else t[1].__name__
    return {NUM: "a number", STR: "text", BOOL: "a truth value"}.get(t, "a value")


def _lookup(name: str, scope: StaticScope) -> Any:
    for t in reversed(scope.inner):
        found = _field(t, name)
        if found is not None:
            return found
    if scope.message and name in MESSAGE_NAMES:
        scope.uses_element = True
        return ANY
    if name in ("this", "prev", "next", "parent", "index"):
        scope.uses_element = True
        return {"parent": scope.parent, "index": NUM}.get(name, scope.this)
    if name == "sheet":
        return scope.root
    if scope.this != scope.root:
        found = _field(scope.this, name)
        if found is not None:
            scope.uses_element = True
            return found
    if name in scope.params:
        return scope.params[name]
    found = _field(scope.root, name)
    if found is not None:
        return found
    where = _describe(scope.this)
    raise NameCheckError(f"unknown name {name!r} (not a field of {where}, a param, or a field of the sheet)")


def check_expr(node: tuple, scope: StaticScope) -> tuple[tuple, Any]:
    """``(rewritten node, static type)``; raises :class:`NameCheckError`."""
    kind = node[0]
    if kind == "num":
        return node, NUM
    if kind == "str":
        return node, STR
    if kind == "const":
        return node, BOOL if isinstance(node[1], bool) else ANY
    if kind == "list":
        items = [check_expr(x, scope) for x in node[1]]
        return ("list", tuple(n for n, _ in items)), list_of(items[0][1] if items else ANY)
    if kind == "name":
        return node, _lookup(node[1], scope)
    if kind == "attr":
        obj, t = check_expr(node[1], scope)
        found = _field(t, node[2])
        if found is None:
            raise NameCheckError(f"{_describe(t)} has no field {node[2]!r}")
        return ("attr", obj, node[2]), found
    if kind == "index":
        obj, t = check_expr(node[1], scope)
        elem = t[1] if isinstance(t, tuple) and t[0] == "list" else ANY
        scope.inner.append(elem)
        try:
            _, it = check_expr(node[2], scope)
        finally:
            scope.inner.pop()
        if it == BOOL:
            scope.inner.append(elem)
            try:
                pred, _ = check_expr(node[2], scope)
            finally:
                scope.inner.pop()
            return ("filter", obj, pred), t
        index, it = check_expr(node[2], scope)
        if it not in (NUM, ANY):
            raise NameCheckError(f"an index must be a number or a condition, not {_describe(it)}")
        return ("index", obj, index), elem
    if kind == "call":
        return _check_call(node, scope)
    if kind == "neg":
        x, _ = check_expr(node[1], scope)
        return ("neg", x), NUM
    if kind == "not":
        x, _ = check_expr(node[1], scope)
        return ("not", x), BOOL
    if kind == "bin":
        _, op, lnode, rnode = node
        left, lt = check_expr(lnode, scope)
        right, rt = check_expr(rnode, scope)
        if op in ("and", "or", "==", "!=", "<", "<=", ">", ">=", "in", "not in"):
            t = BOOL
        elif op == "+" and isinstance(lt, tuple) and lt[0] == "list":
            t = lt
        else:
            t = NUM
        return ("bin", op, left, right), t
    raise NameCheckError(f"unknown expression node {kind!r}")


def _check_call(node: tuple, scope: StaticScope) -> tuple[tuple, Any]:
    _, name, args = node
    sig = SIGNATURES.get(name)
    if sig is None:
        known = ", ".join(sorted(SIGNATURES))
        raise NameCheckError(f"unknown function {name}() (known: {known})")
    if not sig.min_args <= len(args) <= sig.max_args:
        want = sig.min_args if sig.min_args == sig.max_args else f"{sig.min_args} to {sig.max_args}"
        raise NameCheckError(f"{name}() takes {want} argument(s), got {len(args)}")
    if name == "each":
        outer, scope.uses_element = scope.uses_element, False
        items, lt = check_expr(args[0], scope)
        elem = lt[1] if isinstance(lt, tuple) and lt[0] == "list" else ANY
        scope.inner.append(elem)
        try:
            body, bt = check_expr(args[1], scope)
        finally:
            scope.inner.pop()
        node = ("call", name, (items, body))
        if not scope.uses_element:  # the same for every element: computed once per sheet
            node = ("once", node)
        scope.uses_element = scope.uses_element or outer
        return node, list_of(bt)
    checked = [check_expr(a, scope) for a in args]
    if name == "vocab":
        if args[0][0] != "str":
            raise NameCheckError("vocab() takes the vocabulary's name as a quoted string")
        if args[0][1] not in scope.vocab:
            known = ", ".join(sorted(scope.vocab)) or "none"
            raise NameCheckError(f"unknown vocabulary {args[0][1]!r} (known: {known})")
    nodes = tuple(n for n, _ in checked)
    return ("call", name, nodes), result_type(name, [t for _, t in checked])
