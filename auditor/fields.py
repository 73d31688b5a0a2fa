"""attrs field converters shared by the model, the findings and the run's result classes.

Made the first time something imports them (this module's ``__getattr__``), since making them imports attrs:
the written-out classes of a check run name their converters without them (:class:`auditor.plain.Field`'s
``seq``), and a check run never imports attrs (:mod:`auditor.plain`).
"""

from __future__ import annotations


TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def _converter(builtin: Any) -> Any:
    """An attrs ``Converter`` of ``builtin``, made without reading the builtin's signature.

    ``Converter(tuple)`` reads ``tuple``'s text signature with ``tokenize`` (compiling its
    patterns: about 2 ms of every start-up) only to learn that it has no annotations. A
    ``Converter`` of an unannotated function learns the same, and then converts with ``builtin``:
    the generated ``__init__`` calls ``converter.converter``, which is ``builtin``.
    (attrs before 24.1 has no ``Converter`` and takes the builtin as it is.)
    """
    import attrs

    if not hasattr(attrs, "Converter"):
        return builtin
    made = attrs.Converter(lambda value: value)
    made.converter = builtin
    return made


#: ``converter=tuple`` and ``converter=frozenset``, each one attrs ``Converter`` shared by every
#: field that uses it. attrs reads a converter's signature when it builds a class, and a builtin's
#: signature costs about 0.4 ms (its text signature is parsed with ``tokenize``): 44 fields, about
#: 17 ms of every start-up. The generated ``__init__`` calls ``tuple`` itself either way.
_BUILTINS = {"to_tuple": tuple, "to_frozenset": frozenset}


def __getattr__(name: str) -> Any:
    builtin = _BUILTINS.get(name)
    if builtin is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    made = globals()[name] = _converter(builtin)
    return made
