"""What auditor's running code needs of :mod:`typing`, without importing it (about 12 M instructions of
every start-up beyond the modules auditor imports anyway, where the check run uses none of it).

Annotations name typing's types for type checkers only: each module imports them under ``if TYPE_CHECKING:``,
after ``TYPE_CHECKING = False`` (scripts/untype.py writes these blocks), and takes the abstract collection types
from :mod:`collections.abc`. What runs is here:

- :data:`NamedTuple`, the base of ``class Cell(NamedTuple): ...``: the class ``typing.NamedTuple`` makes, a
  ``collections.namedtuple`` with the class's fields, defaults, methods and docstring. Its ``__annotations__``
  are the texts as written (typing compiles each into a ``ForwardRef``; ``typing.get_type_hints`` reads both).
- :class:`Any`, what a module-level alias names at run time (``Type = Any``, ``Callable[[Env], Any]``): only a
  class, as ``typing.Any`` is.
- :class:`Protocol`, the base of a protocol class: only a class (a protocol is for type checkers; no code of
  auditor's asks ``isinstance`` of one).
- :func:`get_origin`, :func:`get_args` and :func:`is_union`, typing's own, for the hints
  :mod:`auditor.engine.schema` reads off the model's annotations: classes, ``X | None`` and ``tuple[X, ...]``
  are answered here while typing is not imported; anything else, or anything once typing is imported, by
  typing itself. tests/test_no_typing.py holds the two equal and keeps typing off the check run.
"""

from __future__ import annotations

import collections
import collections.abc
import sys
import types

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any
else:

    class Any:
        """``typing.Any`` where the running code names it (an alias's value): only a class."""

        __slots__ = ()

__all__ = ["Any", "NamedTuple", "Protocol", "get_args", "get_origin", "is_union"]

#: What a NamedTuple class may not define, and what it does not copy onto the tuple (typing's ``_prohibited``
#: and ``_special``).
_PROHIBITED = frozenset({"__new__", "__init__", "__slots__", "__getnewargs__", "_fields", "_field_defaults",
                         "_make", "_replace", "_asdict", "_source"})
_SPECIAL = frozenset({"__module__", "__name__", "__annotations__"})


class _NamedTupleMeta(type):
    """``typing.NamedTupleMeta`` without ``Generic`` and without checking each annotation."""

    def __new__(cls, typename: str, bases: tuple[type, ...], ns: dict[str, Any]) -> Any:
        if bases != (_NamedTuple,):
            raise TypeError("can only inherit from a NamedTuple type")
        hints = ns.get("__annotations__", {})
        default_names: list[str] = []
        for field_name in hints:
            if field_name in ns:
                default_names.append(field_name)
            elif default_names:
                raise TypeError(f"Non-default namedtuple field {field_name} cannot follow default field"
                                f"{'s' if len(default_names) > 1 else ''} {', '.join(default_names)}")
        made = collections.namedtuple(typename, list(hints), defaults=[ns[n] for n in default_names],  # type: ignore[misc]
                                      module=ns["__module__"])
        made.__annotations__ = made.__new__.__annotations__ = dict(hints)
        for key in ns:
            if key in _PROHIBITED:
                raise AttributeError("Cannot overwrite NamedTuple attribute " + key)
            if key not in _SPECIAL and key not in made._fields:
                setattr(made, key, ns[key])
        return made


_NamedTuple = type.__new__(_NamedTupleMeta, "NamedTuple", (), {})


def NamedTuple(typename: str, fields: Any = None, /, **kwargs: Any) -> Any:  # noqa: N802 - typing's name
    """The functional form, ``NamedTuple("Cell", [("text", str)])``, is typing's own (imported now)."""
    import typing

    frame = sys._getframe(1)
    made = typing.NamedTuple(typename, fields, **kwargs)
    made.__module__ = frame.f_globals.get("__name__", "__main__")
    return made


NamedTuple.__mro_entries__ = lambda bases: (_NamedTuple,)  # type: ignore[attr-defined]


class Protocol:
    """The base of a protocol class at run time: nothing but a class."""

    __slots__ = ()


def get_origin(tp: Any) -> Any:
    """``typing.get_origin(tp)``."""
    typing = sys.modules.get("typing")
    return _origin(tp) if typing is None else typing.get_origin(tp)


def get_args(tp: Any) -> tuple[Any, ...]:
    """``typing.get_args(tp)``."""
    typing = sys.modules.get("typing")
    if typing is None:
        args = _args(tp)
        if args is not None:
            return args
        import typing
    return typing.get_args(tp)


def _origin(tp: Any) -> Any:
    """``typing.get_origin(tp)`` while typing is not imported: then no object of typing's own classes exists,
    and what remains of it is this."""
    if isinstance(tp, types.GenericAlias):
        return tp.__origin__
    if isinstance(tp, types.UnionType):
        return types.UnionType
    return None


def _args(tp: Any) -> tuple[Any, ...] | None:
    """``typing.get_args(tp)`` while typing is not imported; None for a ``collections.abc.Callable[...]``, whose
    arguments typing unflattens (``([int], str)``): typing answers that."""
    if isinstance(tp, types.GenericAlias):
        return None if tp.__origin__ is collections.abc.Callable else tp.__args__
    if isinstance(tp, types.UnionType):
        return tp.__args__
    return ()


def is_union(origin: Any) -> bool:
    """Whether ``origin`` (what :func:`get_origin` gave) is a union's: ``X | Y`` or ``typing.Union[X, Y]``."""
    if origin is types.UnionType:
        return True
    typing = sys.modules.get("typing")
    return typing is not None and origin is typing.Union

