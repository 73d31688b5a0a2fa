"""Which rules run, and how severe they are: ``select``/``ignore`` selectors resolved against the rule set.

A selector is ``ALL``, a rule code (``SET001``), a code prefix (``SET``, ``S``),
a rule's dotted name (``settlement.available-mismatch``), or a name prefix or
pack name (``settlement``, ``settlement.``). As in ruff, the more specific
selector wins; at equal specificity the command line beats the configuration,
and ``ignore`` beats ``select``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from auditor import recache
from auditor.discovery import glob_match
from auditor.findings import Severity
from auditor.plain import NOTHING, Field, Frozen, frozen

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Protocol
else:
    from auditor.hints import Protocol

#: The classes of this module are written out (auditor.plain), where attrs.frozen compiled their
#: methods at every import; tests/test_plain.py holds each to its attrs declaration.
_set = object.__setattr__

#: Specificity of an exact code or an exact name: beats every prefix.
EXACT = 1000


class RuleLike(Protocol):
    code: str
    name: str


class SelectorError(ValueError):
    """A selector that names no rule; ``str()`` is the English message, ``message_ko`` the Korean one."""

    def __init__(self, selector: str, suggestion: str | None, where: str = "") -> None:
        self.selector = selector
        self.suggestion = suggestion
        self.where = where
        hint_en = f" (did you mean '{suggestion}'?)" if suggestion else ""
        hint_ko = f" (비슷한 선택자: '{suggestion}')" if suggestion else ""
        prefix = f"{where}: " if where else ""
        self.message_ko = f"{prefix}알 수 없는 규칙 선택자 '{selector}'{hint_ko}"
        super().__init__(f"{prefix}unknown rule selector '{selector}'{hint_en}")


class Selector(Frozen):
    """A parsed selector: what it matches and how specific it is."""

    __slots__ = ("text", "kind", "value", "specificity", "__weakref__")
    text: str
    kind: str  # "all" | "code" | "code-prefix" | "name" | "name-prefix"
    value: str
    specificity: int

    def __init__(self, text: str, kind: str, value: str, specificity: int) -> None:
        _set(self, "text", text)
        _set(self, "kind", kind)
        _set(self, "value", value)
        _set(self, "specificity", specificity)

    def matches(self, code: str, name: str = "", pack: str = "") -> bool:
        if self.kind == "all":
            return True
        if self.kind == "code":
            return code == self.value
        if self.kind == "code-prefix":
            return code.startswith(self.value)
        if self.kind == "name":
            return name == self.value
        return pack == self.value or name.startswith(self.value + ".")


frozen(Selector, Field("text"), Field("kind"), Field("value"), Field("specificity"))


class Layer(Frozen):
    """The selectors from one source (configuration file, then command line)."""

    __slots__ = ("select", "extend_select", "ignore", "__weakref__")
    select: tuple[str, ...] | None
    extend_select: tuple[str, ...]
    ignore: tuple[str, ...]

    def __init__(self, select: tuple[str, ...] | None = None, extend_select: tuple[str, ...] = (),
                 ignore: tuple[str, ...] = ()) -> None:
        _set(self, "select", select)
        _set(self, "extend_select", extend_select)
        _set(self, "ignore", ignore)


frozen(Layer, Field("select", default=None), Field("extend_select", default=()), Field("ignore", default=()))


def parse_selector(text: str, rules: Sequence[RuleLike], *, where: str = "") -> Selector:
    """Parse ``text`` against the known rules; raises :class:`SelectorError` if it matches none."""
    t = text.strip()
    if t.upper() == "ALL":
        return Selector(t, "all", "", 0)
    codes = {r.code for r in rules}
    names = {r.name for r in rules}
    packs = {getattr(r, "pack", "") for r in rules} - {""}
    if t.upper() in codes:
        return Selector(t, "code", t.upper(), EXACT)
    if t in names:
        return Selector(t, "name", t, EXACT)
    stem = t.rstrip(".")
    if stem and (stem in packs or any(n.startswith(stem + ".") for n in names)):
        return Selector(t, "name-prefix", stem, 1 + stem.count("."))
    if t and "." not in t and any(c.startswith(t.upper()) for c in codes):
        return Selector(t, "code-prefix", t.upper(), len(t))
    raise SelectorError(text, suggest(t, codes, [*names, *packs]), where)


_CODE_LIKE = recache.compile(r"(?P<family>[A-Za-z]+)(?P<rest>[0-9][0-9A-Za-z]*)?")


def _closest(word: str, candidates: Iterable[str], cutoff: float) -> str | None:
    """The candidate closest to ``word``, case-insensitively (ties: the first in sorted order)."""
    by_folded = {c.casefold(): c for c in sorted(set(candidates))}
    import difflib  # only to suggest a near name: not at start-up
    hits = difflib.get_close_matches(word.casefold(), list(by_folded), n=1, cutoff=cutoff)
    return by_folded[hits[0]] if hits else None


def suggest(word: str, codes: Iterable[str], names: Iterable[str] = (), *, prefixes: bool = True) -> str | None:
    """The nearest selector to the unknown ``word``, or ``None`` when nothing is near.

    A code-like word (``SETT``, ``SET0O1``, ``NOPE001``: letters, then optionally
    digits) is compared with code families first: it gets a code of the nearest
    family (``SET0O1`` → ``SET001``), or the family itself when it has no digits
    and ``prefixes`` is true (``SETT`` → ``SET``), and nothing when no family is
    near (``NOPE001``). Any other word (``settlment``, a dotted name) is compared
    with the rule names and pack names.
    """
    codes = sorted(set(codes))
    word = word.strip()
    m = _CODE_LIKE.fullmatch(word)
    if m and (m["rest"] or word.isupper()):
        return _suggest_code(m["family"], m["rest"] or "", codes, prefixes)
    pool = set(names)
    for name in list(pool) if prefixes else ():  # name families: "settlement" for "settlement.x-y"
        parts = name.split(".")
        pool.update(".".join(parts[:i]) for i in range(1, len(parts)))
    near = _closest(word, pool, 0.5)
    if near is None and m:  # a lower-case family such as "revew"
        return _suggest_code(m["family"], "", codes, prefixes)
    return near


def _suggest_code(letters: str, rest: str, codes: Sequence[str], prefixes: bool) -> str | None:
    family_of = {c: re.match(r"[A-Za-z]*", c).group() for c in codes}
    family = _closest(letters, set(family_of.values()) - {""}, 0.6)
    if family is None:
        return None
    members = [c for c in codes if family_of[c] == family]
    fallback = family if prefixes else members[0]
    if not rest:
        return fallback
    return _closest(family + rest, members, 0.5) or fallback


def resolve_selection(rules: Sequence[RuleLike], layers: Sequence[Layer]) -> frozenset[str]:
    """The codes of the rules that run. Without any ``select``, everything is selected (``ALL``)."""
    parsed: list[tuple[int, Selector, bool]] = []  # (layer, selector, is_ignore)
    if all(layer.select is None for layer in layers):
        parsed.append((-1, Selector("ALL", "all", "", 0), False))
    for i, layer in enumerate(layers):
        for text in (*(layer.select or ()), *layer.extend_select):
            parsed.append((i, parse_selector(text, rules), False))
        for text in layer.ignore:
            parsed.append((i, parse_selector(text, rules), True))
    selected: set[str] = set()
    for rule in rules:
        pack = getattr(rule, "pack", "")
        best: tuple[int, int, int] | None = None
        for layer, sel, is_ignore in parsed:
            if sel.matches(rule.code, rule.name, pack):
                rank = (sel.specificity, layer, int(is_ignore))
                if best is None or rank > best:
                    best = rank
        if best is not None and not best[2]:
            selected.add(rule.code)
    return frozenset(selected)


def resolve_severities(
    rules: Sequence[RuleLike], layers: Sequence[Mapping[str, Severity]]
) -> dict[str, Severity]:
    """``{code: severity}`` for each rule an override names; the most specific, then latest, wins."""
    parsed = [
        (i, order, parse_selector(text, rules, where="severity"), level)
        for i, layer in enumerate(layers)
        for order, (text, level) in enumerate(layer.items())
    ]
    result: dict[str, Severity] = {}
    for rule in rules:
        pack = getattr(rule, "pack", "")
        best = None
        for i, order, sel, level in parsed:
            if sel.matches(rule.code, rule.name, pack):
                rank = (sel.specificity, i, order)
                if best is None or rank > best[0]:
                    best = (rank, level)
        if best is not None:
            result[rule.code] = best[1]
    return result


class PerFileIgnores(Frozen):
    """``per-file-ignores``: glob → selectors, applied to each finding's (root-relative) path."""

    __slots__ = ("entries", "packs", "__weakref__")
    entries: tuple[tuple[str, tuple[Selector, ...]], ...]
    packs: Mapping[str, str]

    def __init__(self, entries: tuple[tuple[str, tuple[Selector, ...]], ...] = (),
                 packs: Mapping[str, str] = NOTHING) -> None:
        _set(self, "entries", entries)
        _set(self, "packs", {} if packs is NOTHING else packs)

    @classmethod
    def parse(cls, table: Mapping[str, Sequence[str]], rules: Sequence[RuleLike]) -> PerFileIgnores:
        entries = tuple(
            (pattern, tuple(parse_selector(s, rules, where=f"per-file-ignores '{pattern}'") for s in sels))
            for pattern, sels in table.items()
        )
        return cls(entries, {r.code: getattr(r, "pack", "") for r in rules})

    def ignores(self, path: str, code: str, name: str = "") -> bool:
        pack = self.packs.get(code, "")
        return any(
            glob_match(pattern, path) and any(s.matches(code, name, pack) for s in sels)
            for pattern, sels in self.entries
        )


frozen(PerFileIgnores, Field("entries", default=()), Field("packs", factory=dict))
