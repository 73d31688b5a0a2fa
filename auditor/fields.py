"""attrs field converters shared by the model, the findings and the run's result classes."""

from __future__ import annotations

import attrs



def _converter(builtin):
    """An attrs ``Converter`` of ``builtin``, made without reading the builtin's signature.

    ``Converter(tuple)`` reads ``tuple``'s text signature with ``tokenize`` (compiling its
    patterns: about 2 ms of every start-up) only to learn that it has no annotations. A
    ``Converter`` of an unannotated function learns the same, and then converts with ``builtin``:
    the generated ``__init__`` calls ``converter.converter``, which is ``builtin``.
    """
    made = attrs.Converter(lambda value: value)
    made.converter = builtin
    return made


#: ``converter=tuple`` and ``converter=frozenset``, each one attrs ``Converter`` shared by every
#: field that uses it. attrs reads a converter's signature when it builds a class, and a builtin's
#: signature costs about 0.4 ms (its text signature is parsed with ``tokenize``): 44 fields, about
#: 17 ms of every start-up. The generated ``__init__`` calls ``tuple`` itself either way.
#: (attrs before 24.1 has no ``Converter`` and takes the builtin as it is.)
to_tuple = _converter(tuple) if hasattr(attrs, "Converter") else tuple
to_frozenset = _converter(frozenset) if hasattr(attrs, "Converter") else frozenset
