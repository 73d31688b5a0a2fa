"""Frozen slotted classes written out by hand, that attrs and its users see as attrs classes.

``attrs.frozen`` generates a class's ``__init__``, ``__eq__``, ``__hash__``, ``__repr__`` and the rest
as source text and compiles it at every import: about 3 M instructions a class, 60% of it
``compile()``, and the classes made before the first sheet were the largest part of every start-up
(docs/performance.md). A class that many runs build at import is written out instead: its
``__init__`` by hand (compiled once, into the ``.pyc``), the other methods once for all in
:class:`Frozen`, and :func:`frozen` names its fields as ``attrs.field`` declared them. Such a class
keeps what attrs gave it: the same slots (``__weakref__`` included), signature, ``__match_args__``,
equality and hash over the same fields, ``repr``, immutability
(``attrs.exceptions.FrozenInstanceError``) and pickling; and ``attrs.fields``, ``attrs.has``,
``attrs.evolve`` and ``attrs.asdict`` work on it as before, through an ``__attrs_attrs__`` made the
first time something asks. Each class is held to its attrs declaration by a test
(tests/test_model_plain.py, tests/test_plain.py).
"""

from __future__ import annotations

from operator import attrgetter, itemgetter
from typing import Any

import attrs
from attrs.exceptions import FrozenInstanceError

from auditor.fields import to_tuple

__all__ = ["Field", "Frozen", "LazyAttributes", "Mutable", "frozen"]

_set = object.__setattr__


class Field:
    """One field of a written-out class, as ``attrs.field`` declared it: what its ``attrs.Attribute`` says.

    (A plain class, not a ``NamedTuple``: ``typing`` compiles a ``NamedTuple``'s every annotation.)
    """

    __slots__ = ("name", "ko", "default", "factory", "seq", "reference", "eq", "repr", "converter", "validator")

    def __init__(self, name: str, ko: str | None = None, default: Any = attrs.NOTHING, factory: type | None = None,
                 seq: bool = False, reference: bool = False, eq: bool = True, repr: bool = True,  # noqa: A002
                 converter: Any = None, validator: Any = None) -> None:
        self.name = name
        #: The document's own Korean name (``metadata["ko"]``).
        self.ko = ko
        #: ``attrs.NOTHING`` for a field the constructor must be given.
        self.default = default
        #: The class a missing value is made of (``attrs.Factory``).
        self.factory = factory
        #: Converted with ``tuple`` (``converter=to_tuple``).
        self.seq = seq
        #: ``metadata["reference"]``: another row, not part of this one (see :func:`auditor.model.walk`).
        self.reference = reference
        self.eq = eq
        self.repr = repr
        #: Any other converter, as declared (the written-out ``__init__`` calls it).
        self.converter = converter
        #: The field's validator, as declared (the written-out ``__init__`` calls it, as attrs' did).
        self.validator = validator


#: ``alias_is_default`` exists from attrs 25.4; attrs gives a field named as its alias True.
_ALIAS_IS_DEFAULT = {"alias_is_default": True} if "alias_is_default" in attrs.Attribute.__slots__ else {}


def _attributes(cls: type, fields: tuple[Field, ...]) -> tuple[Any, ...]:
    """``cls.__attrs_attrs__`` as ``attrs.frozen`` made it: a tuple of ``attrs.Attribute`` with a
    property per name (``attrs.fields(cls).label``)."""
    hints = cls.__dict__.get("__annotations__", {})
    made = []
    for f in fields:
        metadata: dict[str, Any] = {"reference": True} if f.reference else {}
        if f.ko is not None:
            metadata["ko"] = f.ko
        made.append(attrs.Attribute(  # type: ignore[call-arg]
            name=f.name, default=attrs.Factory(f.factory) if f.factory is not None else f.default,
            validator=f.validator, repr=f.repr, cmp=None, hash=None, init=True, inherited=False, metadata=metadata,
            type=hints.get(f.name), converter=f.converter or (to_tuple if f.seq else None), kw_only=False, eq=f.eq,
            alias=f.name, **_ALIAS_IS_DEFAULT))
    named = {f.name: property(itemgetter(i)) for i, f in enumerate(fields)}
    return type(f"{cls.__name__}Attributes", (tuple,), named)(made)


class LazyAttributes:
    """A class's ``__attrs_attrs__``, made the first time something asks (``attrs.fields``,
    ``attrs.has``, ``attrs.evolve``): it then replaces itself on the class with what it made."""

    __slots__ = ("cls", "fields")

    def __init__(self, cls: type, fields: tuple[Field, ...]) -> None:
        self.cls, self.fields = cls, fields

    def __get__(self, obj: Any, owner: type | None = None) -> tuple[Any, ...]:
        made = _attributes(self.cls, self.fields)
        type.__setattr__(self.cls, "__attrs_attrs__", made)
        return made


class Frozen:
    """The methods ``attrs.frozen`` generated, written once for every written-out class: equality and
    hash over the fields with ``eq`` (an instance of the same class only), ``repr``, immutability and
    pickling. Each class names its fields with :func:`frozen`."""

    __slots__ = ()

    # Each class has, from :func:`frozen`: ``_names`` (every field's name), ``_eq_key`` (a getter of
    # the compared fields' values as one tuple), ``_repr_names`` (the names ``repr`` shows) and
    # ``_type_hash`` (attrs' per-class constant mixed into the hash).

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError()

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError()

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        key = self._eq_key
        return key(self) == key(other)

    def __ne__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        key = self._eq_key
        return not key(self) == key(other)

    def __hash__(self) -> int:
        return hash((self._type_hash, *self._eq_key(self)))

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._repr_names)
        return f"{self.__class__.__qualname__.rsplit('>.', 1)[-1]}({shown})"

    def __getstate__(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self._names}

    def __setstate__(self, state: Any) -> None:
        if isinstance(state, tuple):  # as attrs: the tuples attrs before 22.2 pickled
            state = dict(zip(self._names, state))
        for name in self._names:
            if name in state:
                _set(self, name, state[name])


class Mutable:
    """The methods ``attrs.define`` generated, for a written-out class whose instances change: as
    :class:`Frozen`'s, but fields may be set and an instance has no hash. Named with :func:`frozen`."""

    __slots__ = ()
    __eq__ = Frozen.__eq__
    __ne__ = Frozen.__ne__
    __hash__ = None  # type: ignore[assignment]  # as attrs: equality by value, so no hash
    __repr__ = Frozen.__repr__
    __getstate__ = Frozen.__getstate__
    __setstate__ = Frozen.__setstate__


def frozen(cls: type, *fields: Field) -> None:
    """Give a written-out class what its methods read (:class:`Frozen` or :class:`Mutable`) and attrs'
    introspection."""
    names = tuple(f.name for f in fields)
    # every slot is a field, but __weakref__ and private ones (RuleDoc's _recipe)
    assert names == tuple(n for n in cls.__slots__ if n[0] != "_"), cls  # noqa: S101
    compared = [f.name for f in fields if f.eq]
    cls._names = names
    if len(compared) > 1:
        cls._eq_key = attrgetter(*compared)
    else:  # attrgetter of one name gives the value, not a tuple
        get = attrgetter(*compared) if compared else None
        cls._eq_key = staticmethod((lambda obj: (get(obj),)) if get is not None else (lambda obj: ()))
    cls._repr_names = tuple(f.name for f in fields if f.repr)
    cls._type_hash = hash(f"<attrs generated hash {cls.__module__}.{cls.__qualname__}>")
    cls.__match_args__ = names
    cls.__attrs_attrs__ = LazyAttributes(cls, fields)
