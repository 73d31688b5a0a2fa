"""A rule's named bindings (``[rule.let]``): each parsed once, then put in place of its name before type checking.

A binding is an expression with a name. The loader parses it once and checks it in
the rule's scope; in every expression of the rule a ``("name", n)`` node that names a
binding becomes ``("let", n, tree)``, and the type checker
(:func:`auditor.engine.check.check_expr`) checks ``tree`` there and keeps the result
in place of the node. So the rule that runs is the rule written out in full: nothing
at run time knows about bindings (the rule's generated code computes a binding used several
times once per element, see ``codegen.py``).
"""

from __future__ import annotations

import functools
import re
from typing import Any, Iterator, Mapping

import attrs

from auditor.engine.evaluate import MESSAGE_NAMES, PROJECT, PROJECT_ALIAS
from auditor.engine.expr import KEYWORDS, MAX_TREE_DEPTH, _children
from auditor.engine.schema import field_map

__all__ = ["RESERVED", "BindingError", "MAX_EXPANDED", "bad_name", "expanded", "names_in", "substitute", "unwrap",
           "too_deep"]

#: The most nodes an expression may have with its bindings written out. Bindings that double each
#: other (``b = a + a``, ``c = b + b`` …) grow without bound when written out; a rule's expression
#: has a few dozen nodes, and a binding used in several places a few hundred.
MAX_EXPANDED = 5000

#: Names that mean something in every rule: a binding may not take them.
RESERVED = (frozenset({"this", "sheet", "parent", "prev", "next", "index", PROJECT, PROJECT_ALIAS})
            | frozenset(MESSAGE_NAMES))
_NAME = re.compile(r"[^\W\d]\w*")


class BindingError(ValueError):
    """A binding that cannot be used; ``name`` is the binding whose use or definition is wrong."""

    def __init__(self, message: str, name: str):
        super().__init__(message)
        self.name = name


@functools.cache
def model_names() -> frozenset[str]:
    """Every field name, English or Korean, of every model class (a binding must not hide one)."""
    import auditor.crossdoc.model as project
    import auditor.model as model

    names: set[str] = set()
    for module in (model, project):
        for obj in vars(module).values():
            if isinstance(obj, type) and attrs.has(obj) and obj.__module__ == module.__name__:
                names.update(field_map(obj))
    return frozenset(names)


def bad_name(name: Any, params: Mapping[str, Any]) -> str | None:
    """Why ``name`` cannot name a binding, or ``None`` when it can."""
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        return f"{name!r} is not a name: a letter (Hangul included), then letters, digits or '_'"
    if name in KEYWORDS:
        return f"{name!r} is a keyword of the rule language"
    if name in RESERVED:
        return f"{name!r} is a reserved name ({', '.join(sorted(RESERVED))})"
    if name in params:
        return f"{name!r} is a param of this rule"
    if name in model_names():
        return f"{name!r} is a field of the model (docs/model.md): a binding must not hide it"
    return None


def names_in(tree: Any) -> Iterator[str]:
    """Every name an expression tree refers to (bindings in place included), in reading order."""
    if not isinstance(tree, tuple):
        return
    if len(tree) == 2 and tree[0] == "name" and isinstance(tree[1], str):
        yield tree[1]
        return
    for part in tree:
        yield from names_in(part)


def substitute(tree: Any, bound: Mapping[str, tuple]) -> Any:
    """``tree`` with each ``("name", n)`` of a binding in ``bound`` replaced by ``("let", n, bound[n])``."""
    if not isinstance(tree, tuple):
        return tree
    if len(tree) == 2 and tree[0] == "name" and isinstance(tree[1], str):
        return ("let", tree[1], bound[tree[1]]) if tree[1] in bound else tree
    if tree and tree[0] == "let":
        return tree
    return tuple(substitute(part, bound) for part in tree)


def unwrap(tree: Any) -> Any:
    """``tree`` with every binding written out (``("let", n, t)`` → ``t``): the rule as if typed in full."""
    if not isinstance(tree, tuple):
        return tree
    if len(tree) == 3 and tree[0] == "let":
        return unwrap(tree[2])
    return tuple(unwrap(part) for part in tree)


def expanded(tree: Any) -> tuple[int, int]:
    """``(nodes, depth)`` of ``tree`` with its bindings written out, counted without writing them
    out: each binding's tree is measured once, however often it is used (so the count costs the
    size of the trees as written, not as expanded)."""
    measured: dict[int, tuple[int, int]] = {}
    seen: list[Any] = []  # keeps each measured tree alive, so that its id stays its own

    def measure(node: Any) -> tuple[int, int]:
        if node[0] == "let":
            found = measured.get(id(node[2]))
            if found is None:
                found = measured[id(node[2])] = measure(node[2])
                seen.append(node[2])
            return found
        nodes, depth = 1, 0
        for child in _children(node):
            n, d = measure(child)
            nodes, depth = nodes + n, max(depth, d)
        return nodes, depth + 1

    return measure(tree)


def too_deep(tree: Any) -> bool:
    """The expression, with its bindings written out, is deeper than the language allows."""
    return expanded(tree)[1] > MAX_TREE_DEPTH
