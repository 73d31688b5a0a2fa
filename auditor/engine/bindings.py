"""A rule's named bindings (``[rule.let]``): each parsed once, then put in place of its name before type checking.

A binding is an expression with a name. The loader parses it once and checks it in
the rule's scope; in every expression of the rule a ``Name(n)`` node that names a
binding becomes ``Let(n, tree)`` (nodes of :mod:`auditor.engine.expr`), and the type checker
(:func:`auditor.engine.check.check_expr`) checks ``tree`` there and keeps the result
in place of the node. So the rule that runs is the rule written out in full: nothing
at run time knows about bindings (the rule's generated code computes a binding used several
times once per element, see ``codegen.py``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping

from auditor.engine.evaluate import MESSAGE_NAMES, PROJECT, PROJECT_ALIAS
from auditor.engine.expr import KEYWORDS, MAX_TREE_DEPTH, Let, Name, Node, children, rebuild
from auditor.engine.schema import field_map
from auditor.plain import has

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

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
            if isinstance(obj, type) and has(obj) and obj.__module__ == module.__name__:
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


def names_in(tree: Node) -> Iterator[str]:
    """Every name an expression tree refers to (bindings in place included), in reading order."""
    if type(tree) is Name:
        yield tree.name
        return
    for part in children(tree):
        yield from names_in(part)


def substitute(tree: Any, bound: Mapping[str, Node]) -> Any:
    """``tree`` with each ``Name(n)`` of a binding in ``bound`` replaced by ``Let(n, bound[n])``."""
    if not isinstance(tree, tuple):
        return tree
    if type(tree) is Name:
        return Let(tree.name, bound[tree.name]) if tree.name in bound else tree
    if type(tree) is Let:
        return tree
    return rebuild(tree, [substitute(part, bound) for part in tree])


def unwrap(tree: Any) -> Any:
    """``tree`` with every binding written out (``Let(n, t)`` → ``t``): the rule as if typed in full."""
    if not isinstance(tree, tuple):
        return tree
    if type(tree) is Let:
        return unwrap(tree.tree)
    return rebuild(tree, [unwrap(part) for part in tree])


def expanded(tree: Any) -> tuple[int, int]:
    """``(nodes, depth)`` of ``tree`` with its bindings written out, counted without writing them
    out: each binding's tree is measured once, however often it is used (so the count costs the
    size of the trees as written, not as expanded).

    A binding is measured by its name: in one rule a name binds one tree (:func:`substitute`
    puts the same ``bound[name]`` wherever it is used, and a binding's own tree holds the earlier
    ones the same way). Keying by the tree itself would hash it, which walks it written out."""
    measured: dict[str, tuple[int, int]] = {}

    def measure(node: Node) -> tuple[int, int]:
        if type(node) is Let:
            found = measured.get(node.name)
            if found is None:
                found = measured[node.name] = measure(node.tree)
            return found
        nodes, depth = 1, 0
        for child in children(node):
            n, d = measure(child)
            nodes, depth = nodes + n, max(depth, d)
        return nodes, depth + 1

    return measure(tree)


def too_deep(tree: Any) -> bool:
    """The expression, with its bindings written out, is deeper than the language allows."""
    return expanded(tree)[1] > MAX_TREE_DEPTH
