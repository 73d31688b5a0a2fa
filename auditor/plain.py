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

A check run never imports attrs (about 64 M instructions of every start-up, 20 M of them attrs compiling its
own generated methods): this module stands in for what the run's code took from it (:data:`NOTHING`,
:func:`fields`, :func:`has`, :func:`evolve`, the validators' switch :func:`validating` and :class:`Check`),
and imports attrs only when something asks for attrs itself: ``attrs.fields`` of a written-out class, an
assignment to a frozen one (attrs' ``FrozenInstanceError``), a validator that fails (attrs' own raises).
tests/test_no_attrs.py holds a check run of examples/ to it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from operator import attrgetter, itemgetter

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["NOTHING", "Check", "Field", "Frozen", "LazyAttributes", "Mutable", "evolve", "factory_of", "fields",
           "frozen", "has", "validating", "validators"]

_set = object.__setattr__
_modules = sys.modules


class _Nothing:
    """The default of a field the constructor must be given, or whose default is made by a factory: what
    ``attrs.NOTHING`` was to the written-out classes (false, printed ``NOTHING``; a written-out
    ``__init__``'s signature shows it where attrs' showed ``attrs.NOTHING``)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "NOTHING"

    def __bool__(self) -> bool:
        return False

    def __reduce__(self) -> str:
        return "NOTHING"  # pickled as this module's one NOTHING


NOTHING = _Nothing()


def validating() -> bool:
    """Whether validators run: ``not attrs.validators.get_disabled()`` (read, as attrs' ``__init__`` reads
    it, from ``attr._config``), without importing attrs: before attrs is imported nothing can have
    turned them off."""
    config = _modules.get("attr._config")
    return config is None or config._run_validators is True


class Check:
    """A field's validator as its attrs declaration named it, made (``make()``) and run only when a value may
    fail it: a written-out ``__init__`` first tests the value itself (a test that passes only what the
    validator passes), and calls this, with the field's name, when the test fails and validators are on
    (:func:`validating`). attrs' validator then raises what it raised, given the field's ``attrs.Attribute``
    (or passes a value the quick test did not know), so only a value that may be wrong imports attrs."""

    __slots__ = ("make", "made")

    def __init__(self, make: Callable[[], Any]) -> None:
        self.make, self.made = make, None

    def validator(self) -> Any:
        """attrs' validator (made once)."""
        if self.made is None:
            self.made = self.make()
        return self.made

    def __call__(self, obj: Any, name: str, value: Any) -> None:
        """Validate ``value`` of field ``name`` of ``obj`` (a written-out class's instance) as attrs did."""
        import attrs

        self.validator()(obj, getattr(attrs.fields(type(obj)), name), value)


def validators() -> Any:
    """``attrs.validators`` (imported now): what a :class:`Check` makes its validator of."""
    import attrs

    return attrs.validators


class Field:
    """One field of a written-out class, as ``attrs.field`` declared it: what its ``attrs.Attribute`` says.

    (A plain class, not a ``NamedTuple``: ``typing`` compiles a ``NamedTuple``'s every annotation.)
    """

    __slots__ = ("name", "ko", "default", "factory", "seq", "reference", "eq", "repr", "converter", "validator",
                 "metadata")

    def __init__(self, name: str, ko: str | None = None, default: Any = NOTHING, factory: type | None = None,
                 seq: bool = False, reference: bool = False, eq: bool = True, repr: bool = True,  # noqa: A002
                 converter: Any = None, validator: Any = None) -> None:
        self.name = name
        #: The document's own Korean name (``metadata["ko"]``).
        self.ko = ko
        #: :data:`NOTHING` for a field the constructor must be given.
        self.default = default
        #: The class a missing value is made of (``attrs.Factory``).
        self.factory = factory
        #: Converted with ``tuple`` (``converter=to_tuple``).
        self.seq = seq
        #: ``metadata["reference"]``: another row, not part of this one (see :func:`auditor.model.walk`).
        self.reference = reference
        self.eq = eq
        self.repr = repr
        #: Any other converter, as declared (the written-out ``__init__`` calls it); a name of
        #: :mod:`auditor.fields` (``"to_frozenset"``) for one of its converters, made when attrs asks.
        self.converter = converter
        #: The field's validator, as declared (the written-out ``__init__`` calls it, as attrs' did): a
        #: :class:`Check`, or attrs' own.
        self.validator = validator
        #: ``attrs.field``'s ``metadata``: ``reference`` and ``ko``, as :func:`_attributes` gives them (what
        #: the run's code reads of an ``attrs.Attribute``, with ``name``, ``default`` and ``init``: :func:`fields`).
        self.metadata: dict[str, Any] = {"reference": True} if reference else {}
        if ko is not None:
            self.metadata["ko"] = ko

    #: Every field of a written-out class is an ``__init__`` argument (``attrs.Attribute.init``).
    init = True


def _attributes(cls: type, fields: tuple[Field, ...]) -> tuple[Any, ...]:
    """``cls.__attrs_attrs__`` as ``attrs.frozen`` made it: a tuple of ``attrs.Attribute`` with a
    property per name (``attrs.fields(cls).label``). Imports attrs."""
    import attrs

    import auditor.fields

    # ``alias_is_default`` exists from attrs 25.4; attrs gives a field named as its alias True.
    alias_is_default = {"alias_is_default": True} if "alias_is_default" in attrs.Attribute.__slots__ else {}
    hints = cls.__dict__.get("__annotations__", {})
    made = []
    for f in fields:
        default = attrs.Factory(f.factory) if f.factory is not None else \
            attrs.NOTHING if f.default is NOTHING else f.default
        validator = f.validator.validator() if isinstance(f.validator, Check) else f.validator
        converter = getattr(auditor.fields, f.converter) if isinstance(f.converter, str) else f.converter
        made.append(attrs.Attribute(  # type: ignore[call-arg]
            name=f.name, default=default, validator=validator, repr=f.repr, cmp=None, hash=None, init=True,
            inherited=False, metadata=dict(f.metadata), type=hints.get(f.name),
            converter=converter or (auditor.fields.to_tuple if f.seq else None), kw_only=False, eq=f.eq, alias=f.name,
            **alias_is_default))
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
        raise _frozen_error()

    def __delattr__(self, name: str) -> None:
        raise _frozen_error()

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


def _frozen_error() -> Exception:
    """attrs' ``FrozenInstanceError`` (an ``AttributeError``), as assigning to a frozen attrs class raises it."""
    from attrs.exceptions import FrozenInstanceError

    return FrozenInstanceError()


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
    cls.__plain_fields__ = fields


def has(cls: type) -> bool:
    """``attrs.has(cls)``: a written-out class, or an attrs class (there is none until attrs is imported)."""
    if getattr(cls, "__plain_fields__", None) is not None:
        return True
    if "attr" not in _modules:
        return False
    import attrs

    return attrs.has(cls)


def fields(cls: type) -> tuple[Any, ...]:
    """``attrs.fields(cls)`` for the run's own code: a written-out class's :class:`Field` objects (``name``,
    ``default``, ``metadata``, ``init``: what the run reads), an attrs class's ``attrs.Attribute``."""
    found = getattr(cls, "__plain_fields__", None)
    if found is not None:
        return found
    import attrs

    return attrs.fields(cls)


def factory_of(f: Any) -> Any:
    """The factory of a field's default (``attrs.Factory``'s), or None: of a :class:`Field` or an ``attrs.Attribute``
    (:func:`fields` gives either)."""
    if isinstance(f, Field):
        return f.factory
    import attrs

    return f.default.factory if isinstance(f.default, attrs.Factory) else None  # type: ignore[arg-type]


def evolve(inst: Any, **changes: Any) -> Any:
    """``attrs.evolve(inst, **changes)``: a new instance made by the class's ``__init__`` from ``inst``'s fields
    and ``changes`` (converters and validators run), without importing attrs for a written-out class."""
    cls = inst.__class__
    found = getattr(cls, "__plain_fields__", None)
    if found is None:
        import attrs

        return attrs.evolve(inst, **changes)
    for f in found:
        if f.name not in changes:
            changes[f.name] = getattr(inst, f.name)
    return cls(**changes)
