"""Evaluate a parsed rule expression over the model: exact, provenance-keeping, with no access to Python.

Names resolve, innermost first, to: the element of an enclosing ``[filter]``;
the reserved names (``this``, ``sheet``, ``parent``, ``prev``, ``next``,
``index``, and in messages ``actual``, ``expected``, ``difference``); the rule's
element's fields; the rule's params; the sheet's own fields. Fields are looked up
only through :func:`auditor.engine.schema.field_map`, never with ``getattr`` on a
name taken from the rule text.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs

from auditor.engine import builtins as _builtins
from auditor.engine.schema import field_map
from auditor.engine.values import MISSING, Missing, Num, exact, from_amount
from auditor.source import Amount, Source, Text, Year

__all__ = ["Env", "RuleTypeError", "evaluate", "to_value"]


class RuleTypeError(Exception):
    """A rule did something its values do not allow (adding text to money …): a rule error, not a data finding."""


@attrs.define
class Env:
    """What names mean while one rule looks at one element."""

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
    #: Values of ``("once", …)`` nodes: the same for every element of one rule on one sheet.
    cache: dict[int, Any] = attrs.Factory(dict)
    #: The collection the element comes from (``settlement.rows``), for error messages.
    over: str = ""

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
        return False, None


RESERVED = ("this", "sheet", "parent", "prev", "next", "index")
MESSAGE_NAMES = ("actual", "expected", "difference")


def to_value(raw: Any, label: str, env: Env | None) -> Any:
    """A model value as the language sees it: Amount → Num (원), Year → exact Num, Text → str, None → MISSING."""
    if raw is None:
        return MISSING
    if isinstance(raw, Year):
        if env is not None:
            env.touched.append((raw.source, label))
        return Num(Fraction(raw.value), sources=((raw.source, label),))
    if isinstance(raw, Amount):
        if env is not None:
            env.touched.append((raw.source, label))
        return from_amount(raw, label)
    if isinstance(raw, Text):
        if env is not None:
            env.touched.append((raw.source, label))
        return raw.value
    if isinstance(raw, bool) or isinstance(raw, str):
        return raw
    if isinstance(raw, (int, Decimal, Fraction)):
        return exact(raw)
    if isinstance(raw, (tuple, list)):
        return tuple(to_value(x, label, env) for x in raw)
    return raw


def get_field(obj: Any, name: str, env: Env | None) -> tuple[bool, Any]:
    """``(found, value)`` of ``obj``'s field ``name`` (English or Korean); lists project and flatten."""
    if isinstance(obj, Missing):
        return True, MISSING
    if isinstance(obj, tuple):
        out: list[Any] = []
        for item in obj:
            found, value = get_field(item, name, env)
            if not found:
                return False, None
            out.extend(value if isinstance(value, tuple) else (value,))
        return True, tuple(out)
    if not attrs.has(type(obj)):
        return False, None
    f = field_map(type(obj)).get(name)
    if f is None:
        return False, None
    return True, to_value(getattr(obj, f.name), f.metadata.get("ko", f.name), env)


def lookup(name: str, env: Env) -> Any:
    for element in reversed(env.inner):
        found, value = get_field(element, name, env)
        if found:
            return value
    found, value = env.reserved(name)
    if found:
        return value
    if env.this is not None and env.this is not env.root:
        found, value = get_field(env.this, name, env)
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


def evaluate(node: tuple, env: Env) -> Any:
    """The value of ``node``; MISSING when a value it needs is missing."""
    kind = node[0]
    if kind == "num":
        return exact(node[1])
    if kind in ("str", "const"):
        return MISSING if node[1] is None and kind == "const" else node[1]
    if kind == "list":
        return tuple(evaluate(x, env) for x in node[1])
    if kind == "name":
        return lookup(node[1], env)
    if kind == "attr":
        obj = evaluate(node[1], env)
        found, value = get_field(obj, node[2], env)
        if not found:
            raise RuleTypeError(f"{_kind(obj)} has no field {node[2]!r}")
        return value
    if kind == "index":
        obj, i = evaluate(node[1], env), evaluate(node[2], env)
        if isinstance(obj, Missing) or isinstance(i, Missing):
            return MISSING
        if not isinstance(obj, tuple):
            raise RuleTypeError(f"only a list can be indexed, not {_kind(obj)}")
        n = _num(i, "an index").value
        if n.denominator != 1 or not -len(obj) <= n < len(obj):
            return MISSING
        return obj[int(n)]
    if kind == "filter":
        obj = evaluate(node[1], env)
        if isinstance(obj, Missing):
            return MISSING
        return tuple(x for x in obj if _filter_keeps(node[2], x, env))
    if kind == "call":
        return _builtins.call(node[1], node[2], env, evaluate)
    if kind == "once":
        key = id(node)
        if key not in env.cache:
            inner, env.inner, mark = env.inner, [], len(env.touched)
            try:
                env.cache[key] = evaluate(node[1], env)
            finally:
                env.inner = inner
                del env.touched[mark:]  # what one element's check touches must not depend on which came first
        return env.cache[key]
    if kind == "neg":
        x = evaluate(node[1], env)
        return MISSING if isinstance(x, Missing) else -_num(x, "'-'")
    if kind == "not":
        x = evaluate(node[1], env)
        return MISSING if isinstance(x, Missing) else not _truth(x, "'not'")
    if kind == "bin":
        return _evaluate_binary(node, env)
    raise RuleTypeError(f"unknown expression node {kind!r}")


def _filter_keeps(pred: tuple, element: Any, env: Env) -> bool:
    env.inner.append(element)
    try:
        keep = evaluate(pred, env)
    finally:
        env.inner.pop()
    return keep is True


_NONE = ("const", None)


def _evaluate_binary(node: tuple, env: Env) -> Any:
    _, op, lnode, rnode = node
    if op in ("and", "or"):
        left = evaluate(lnode, env)
        if not isinstance(left, Missing) and _truth(left, f"'{op}'") == (op == "or"):
            return left
        right = evaluate(rnode, env)
        if isinstance(right, Missing):
            return MISSING
        if _truth(right, f"'{op}'") == (op == "or") or not isinstance(left, Missing):
            return right
        return MISSING
    left, right = evaluate(lnode, env), evaluate(rnode, env)
    if op in ("==", "!=") and (lnode == _NONE or rnode == _NONE):
        other = left if rnode == _NONE else right
        is_missing = isinstance(other, Missing)
        return is_missing if op == "==" else not is_missing
    if isinstance(left, Missing) or isinstance(right, Missing):
        return MISSING
    return _binary(op, left, right)
