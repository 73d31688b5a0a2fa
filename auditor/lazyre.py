"""Regular expressions compiled at their first use, for patterns that most runs never use.

Compiling a pattern costs far more than matching it once: ``re`` builds every character class
with a Python loop over its code points, so a class of Hangul syllables (``[가-힣]``, 11,172 of
them) costs about 2 ms on the development machine, and any class that mixes ASCII with other
characters (``[△Δ\\-−]``) about 0.5 ms. A module-level ``re.compile`` pays that in every process
at import, before the first sheet, whether or not the run ever uses the pattern. :func:`lazy`
gives an object that is used exactly as the compiled pattern is (``match``, ``search``,
``fullmatch``, ``finditer``, ``findall``, ``sub``, ``subn``, ``split``, ``pattern``, ``flags``,
``groups``, ``groupindex``) and compiles it at the first such use, then binds the compiled
pattern's methods to itself, so every later call is the compiled pattern's own method. The
pattern is the same text with the same flags, so it matches exactly what the eager one did.

It is not a :class:`re.Pattern`: pass ``lazy_pattern.compiled`` (not the object itself) where
a ``Pattern`` is required (``re.sub(pattern, …)``, ``isinstance``).
"""

from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["LazyPattern", "lazy"]

#: What a compiled pattern offers, copied onto the lazy object at its first use.
_BOUND = ("match", "fullmatch", "search", "finditer", "findall", "sub", "subn", "split", "scanner",
          "pattern", "flags", "groups", "groupindex")


class LazyPattern:
    """A regular expression compiled at its first use (see the module's docstring)."""

    def __init__(self, pattern: str | bytes, flags: int = 0) -> None:
        self._source = (pattern, flags)

    @property
    def compiled(self) -> re.Pattern:
        """The compiled pattern (compiled now, if not yet)."""
        compiled = self.__dict__.get("_compiled")
        if compiled is None:
            from auditor import recache

            compiled = self._compiled = recache.compile(*self._source)
            for name in _BOUND:
                setattr(self, name, getattr(compiled, name))
        return compiled

    def __getattr__(self, name: str) -> Any:  # only for what is not bound yet: the first use
        if name not in _BOUND:
            raise AttributeError(name)
        return getattr(self.compiled, name)

    def __repr__(self) -> str:
        return f"lazy({self._source[0]!r}{f', {self._source[1]!r}' if self._source[1] else ''})"


def lazy(pattern: str | bytes, flags: int = 0) -> LazyPattern:
    """``re.compile(pattern, flags)``, made at the first use of the result."""
    return LazyPattern(pattern, flags)
