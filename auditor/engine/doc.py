"""A rule's identity and documentation, as its pack declares them and reports and ``auditor rule`` show them."""

from __future__ import annotations

from collections.abc import Callable

from auditor.findings import Severity
from auditor.plain import Field, Frozen, frozen

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_set = object.__setattr__

__all__ = ["Example", "RuleDoc", "documents_text"]


def _pairs(documents: Any) -> tuple[tuple[str, str], ...]:
    """``Example.documents``'s converter: a tuple of tuples."""
    return tuple(map(tuple, documents))


class Example(Frozen):
    """A documented pass or fail example of a rule: a fragment of sheet text, or for a cross-document
    rule several documents (``(path, text)`` pairs), which ``text`` then shows one after another."""

    __slots__ = ("kind", "text", "note", "documents", "__weakref__")
    kind: str  # "pass" or "fail"
    text: str
    note: str
    documents: tuple[tuple[str, str], ...]

    def __init__(self, kind: str, text: str, note: str = "", documents: tuple[tuple[str, str], ...] = ()) -> None:
        _set(self, "kind", kind)
        _set(self, "text", text)
        _set(self, "note", note)
        _set(self, "documents", _pairs(documents))


#: The classes of this module are written out (auditor.plain), where attrs.frozen compiled their
#: methods at every import (the pack cache makes one per rule and example); tests/test_plain.py
#: holds each to its attrs declaration.
frozen(Example, Field("kind"), Field("text"), Field("note", default=""),
       Field("documents", default=(), converter=_pairs))


def documents_text(documents: tuple[tuple[str, str], ...]) -> str:
    """Several documents as one text: each under a ``── path ──`` line."""
    return "\n".join(f"── {path} ──\n{text.strip(chr(10))}" for path, text in documents)


class RuleDoc(Frozen):
    """A rule's identity and documentation, as reports and ``auditor rule`` show it."""

    __slots__ = ("code", "name", "severity", "title_ko", "title_en", "what_ko", "why_ko", "what_en", "why_en",
                 "examples", "pack", "_recipe", "__weakref__")
    code: str
    name: str
    severity: Severity
    title_ko: str
    title_en: str
    what_ko: str
    why_ko: str
    what_en: str
    why_en: str
    examples: tuple[Example, ...]
    pack: str

    def __init__(self, code: str, name: str, severity: Severity, title_ko: str, title_en: str = "",
                 what_ko: str = "", why_ko: str = "", what_en: str = "", why_en: str = "",
                 examples: tuple[Example, ...] = (), pack: str = "") -> None:
        _set(self, "code", code)
        _set(self, "name", name)
        _set(self, "severity", severity)
        _set(self, "title_ko", title_ko)
        _set(self, "title_en", title_en)
        _set(self, "what_ko", what_ko)
        _set(self, "why_ko", why_ko)
        _set(self, "what_en", what_en)
        _set(self, "why_en", why_en)
        _set(self, "examples", tuple(examples))
        _set(self, "pack", pack)

    @classmethod
    def later(cls, recipe: Callable[[], RuleDoc]) -> RuleDoc:
        """A RuleDoc made by ``recipe()`` when one of its fields is first read (its equality, hash,
        ``repr``, pickling and ``attrs.evolve`` read them too): the pack cache keeps each rule's
        documentation as text until a report or ``auditor rule`` reads it, and most runs never do."""
        self = object.__new__(cls)
        _set(self, "_recipe", recipe)
        return self

    def __getattr__(self, name: str) -> Any:  # only for a field not set yet: a RuleDoc made later
        if name in _FIELDS:
            try:
                recipe = _RECIPE.__get__(self, RuleDoc)
            except AttributeError:
                raise AttributeError(name) from None
            made = recipe()
            for field in _FIELDS:
                _set(self, field, getattr(made, field))
            _RECIPE.__delete__(self)
            return getattr(self, name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def title(self, lang: str = "ko") -> str:
        return self.title_en if lang == "en" and self.title_en else self.title_ko

    def what(self, lang: str = "ko") -> str:
        return self.what_en if lang == "en" and self.what_en else self.what_ko

    def why(self, lang: str = "ko") -> str:
        return self.why_en if lang == "en" and self.why_en else self.why_ko


frozen(RuleDoc, Field("code"), Field("name"), Field("severity"), Field("title_ko"), Field("title_en", default=""),
       Field("what_ko", default=""), Field("why_ko", default=""), Field("what_en", default=""),
       Field("why_en", default=""), Field("examples", default=(), seq=True), Field("pack", default=""))
_FIELDS = frozenset(RuleDoc._names)
_RECIPE = RuleDoc.__dict__["_recipe"]
