"""Which names a rule may use: the model's attrs fields, by English or Korean name, with their types.

Nothing here knows a particular model class: names and types come from
``attrs.fields`` (Korean names from ``metadata["ko"]``) and the type hints, so a
field the reader adds becomes usable in rules without touching the engine.
"""

from __future__ import annotations

import functools
import types
import typing
from decimal import Decimal
from typing import Any

import attrs

from auditor.source import Amount, Source, Text, Year

__all__ = ["Type", "NUM", "STR", "BOOL", "ANY", "list_of", "field_map", "field_type", "type_of_class"]

#: Static types: ``NUM``, ``STR``, ``BOOL``, ``ANY``, ``("list", T)`` or ``("obj", cls)``.
Type = Any
NUM, STR, BOOL, ANY = "num", "str", "bool", "any"

_HIDDEN = frozenset({"encoding", "layout", "problems"})


def list_of(t: Type) -> Type:
    return ("list", t)


@functools.lru_cache(maxsize=None)
def field_map(cls: type) -> dict[str, attrs.Attribute]:
    """``{name: field}`` for every rule-visible field, under both its English and Korean names."""
    hints = _hints(cls)
    out: dict[str, attrs.Attribute] = {}
    for f in attrs.fields(cls):
        hidden = f.name in _HIDDEN or (f.name == "lines" and "ko" not in f.metadata)
        if hidden or f.name.startswith("_") or _convert(hints.get(f.name)) is None:
            continue
        out[f.name] = f
        if "ko" in f.metadata:
            out.setdefault(f.metadata["ko"], f)
    return out


@functools.lru_cache(maxsize=None)
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


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
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        return _convert(args[0]) if len(args) == 1 else ANY
    if origin is tuple:
        args = typing.get_args(hint)
        inner = args[0] if args else Any
        converted = _convert(inner)
        return None if converted is None else list_of(converted)
    if hint in (Amount, Year, int, Decimal):
        return NUM
    if hint in (Text, str):
        return STR
    if hint is bool:
        return BOOL
    if isinstance(hint, type) and attrs.has(hint):
        return ("obj", hint)
    return ANY
