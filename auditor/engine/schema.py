"""Which names a rule may use: the model's attrs fields, by English or Korean name, with their types.

Nothing here knows a particular model class: names and types come from
``attrs.fields`` (Korean names from ``metadata["ko"]``; :func:`auditor.plain.fields`, which gives a written-out
class's fields without importing attrs) and the type hints, so a field the reader adds becomes usable in rules
without touching the engine.
"""

from __future__ import annotations

import functools
import sys
import types
from decimal import Decimal

from auditor.hints import get_args, get_origin, is_union
from auditor.plain import fields, has
from auditor.source import Amount, Source, Text, Year

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any
else:
    from auditor.hints import Any

__all__ = ["Type", "NUM", "STR", "BOOL", "ANY", "list_of", "field_map", "field_type", "type_of_class"]

#: Static types: ``NUM``, ``STR``, ``BOOL``, ``ANY``, ``("list", T)`` or ``("obj", cls)``.
Type = Any
NUM, STR, BOOL, ANY = "num", "str", "bool", "any"

_HIDDEN = frozenset({"encoding", "layout", "problems"})


def list_of(t: Type) -> Type:
    return ("list", t)


@functools.lru_cache(maxsize=None)
def field_map(cls: type) -> dict[str, Any]:
    """``{name: field}`` for every rule-visible field, under both its English and Korean names (an
    ``attrs.Attribute``, or a written-out class's :class:`auditor.plain.Field`: ``name`` and ``metadata``)."""
    hints = _hints(cls)
    out: dict[str, Any] = {}
    for f in fields(cls):
        hidden = f.name in _HIDDEN or (f.name == "lines" and "ko" not in f.metadata)
        if hidden or f.name.startswith("_") or _convert(hints.get(f.name)) is None:
            continue
        out[f.name] = f
        if "ko" in f.metadata:
            out.setdefault(f.metadata["ko"], f)
    return out


#: How the text of a class variable's annotation starts.
_CLASS_VARIABLE = ("ClassVar[", "typing.ClassVar[")


@functools.lru_cache(maxsize=None)
def _hints(cls: type) -> dict[str, Any]:
    """``typing.get_type_hints(cls)``, each class's annotations evaluated by one expression.

    ``get_type_hints`` compiles each annotation's text on its own (a ``ForwardRef`` each): some 120
    compiles for the model's classes, about 13 M instructions of every run's first sheet. Here the
    texts of a class's annotations are one tuple expression, evaluated where ``get_type_hints``
    evaluates each (the module's names first, then the class's: its globals and locals swapped, as
    it does); anything but plain texts giving classes, generic aliases and unions, and any error, is
    left to ``get_type_hints`` itself (:func:`_type_hints`). A class variable (``ClassVar[...]``) is not a
    field and is left out (``get_type_hints`` gives ``typing.ClassVar[...]``, which no rule reads): the
    model's modules name ``ClassVar`` for type checkers only, and the run never imports typing (auditor.hints).
    tests/test_engine_schema_hints.py holds the two equal.
    """
    hints: dict[str, Any] = {}
    for base in reversed(cls.__mro__):
        annotations = base.__dict__.get("__annotations__")
        if not annotations:
            continue
        if type(annotations) is not dict or not all(type(text) is str for text in annotations.values()):
            return _type_hints(cls)
        if any(text.startswith(_CLASS_VARIABLE) for text in annotations.values()):
            annotations = {name: text for name, text in annotations.items() if not text.startswith(_CLASS_VARIABLE)}
        module = getattr(sys.modules.get(base.__module__), "__dict__", {})
        try:
            values = eval("(" + "".join(f"({text}),\n" for text in annotations.values()) + ")",  # noqa: S307
                          dict(vars(base)), module)
        except Exception:  # noqa: BLE001 - whatever it is, get_type_hints says it as it always did
            return _type_hints(cls)
        for name, value in zip(annotations, values):
            if value is None:
                value = type(None)
            elif not _plain_hint(value):
                return _type_hints(cls)
            hints[name] = value
    return hints


def _type_hints(cls: type) -> dict[str, Any]:
    """``typing.get_type_hints(cls)`` without the class variables (imports typing)."""
    import typing

    hints = typing.get_type_hints(cls)
    return {name: hint for name, hint in hints.items() if typing.get_origin(hint) is not typing.ClassVar}


def _plain_hint(value: Any) -> bool:
    """A hint ``get_type_hints`` gives back as it is: a class, or a generic alias or union of such."""
    if isinstance(value, type) and not isinstance(value, types.GenericAlias):
        return True
    if isinstance(value, (types.GenericAlias, types.UnionType)) or is_union(get_origin(value)):
        return all(arg is Ellipsis or _plain_hint(arg) for arg in get_args(value))
    return False


def field_type(cls: type, name: str) -> Type | None:
    """The static type of ``cls.name`` (English or Korean), or ``None`` when there is no such field."""
    f = field_map(cls).get(name)
    return None if f is None else _convert(_hints(cls)[f.name])


def type_of_class(cls: type) -> Type:
    return ("obj", cls)


def _convert(hint: Any) -> Type | None:
    """A Python type hint as a static rule type; ``None`` for what rules may not see (Source …)."""
    if hint is None or hint is Source:
        return None
    origin = get_origin(hint)
    if is_union(origin):
        args = [a for a in get_args(hint) if a is not type(None)]
        return _convert(args[0]) if len(args) == 1 else ANY
    if origin is tuple:
        args = get_args(hint)
        converted = _convert(args[0]) if args else ANY  # a bare tuple: typing.Any's items
        return None if converted is None else list_of(converted)
    if hint in (Amount, Year, int, Decimal):
        return NUM
    if hint in (Text, str):
        return STR
    if hint is bool:
        return BOOL
    if isinstance(hint, type) and has(hint):
        return ("obj", hint)
    return ANY
