"""A project's identity across documents: its normalised 사업명/세부사업명, 부서 and 회계, through a mapping.

Two documents are of the same project when their keys are equal: the 사업명 (a 사업설명서's title) or
세부사업명 (an e호조 unit's), its 부서 and its 회계, each normalised as the rules compare names
(``norm()``: no blanks, one middle dot, no surrounding brackets; and case folded), then mapped through
``[tool.auditor.identity]``: ``projects``, ``departments`` and ``accounts`` tables of old → new names
(followed to the end: a → b and b → c make a → c), for renamed projects and reorganised 부서. A
document that lacks its 부서 or 회계 (a sheet without □ 사업 담당자) takes them from the one project of
its name that has them, when there is exactly one; a document without a name matches nothing.
Documents that match nothing are checked alone.
"""

from __future__ import annotations

import functools
import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from auditor.engine import builtins as _builtins
from auditor.plain import NOTHING, Field, Frozen, frozen

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["Key", "Identity", "IdentityError", "normal", "group_keys", "shared_projects", "TABLES"]

#: The tables of ``[tool.auditor.identity]``, and which part of the key each maps.
TABLES = {"projects": "name", "departments": "department", "accounts": "account"}


@functools.lru_cache(maxsize=4096)
def normal(text: str | None) -> str:
    """A name as identities compare it: ``norm()`` of the rule language, case folded (interned, and
    remembered for the last few thousand names: the cross pass keys every document of a run at once, a
    book names a few 부서 and 회계 many times, and each year's sheet and export its project's name)."""
    if not text:
        return ""
    return sys.intern(_folded(text))


def _folded(text: str) -> str:
    """``normalize(text).casefold()`` (:func:`auditor.engine.builtins.normalize`, ``norm()``), worked out
    without its cache and in fewer steps: the middle dots translated only where there is one (``translate``
    with a table looks every other character up and misses), blanks taken out by ``split``, which splits
    at the characters ``\\s`` matches. A run of 10,000 sheets names some 3,000 projects, past normalize()'s
    few hundred remembered names: each document's name was worked out afresh there, about 20,000
    instructions; here about 3,000. ``tests/test_crossdoc_identity.py`` holds the two equal.

    Most names are letters, digits and plain spaces (``마을공동체 기반 조성``): such a name, its spaces taken
    out, has no other blank (no character ``str.isalnum`` accepts is one ``split`` splits at), no bracket
    and no middle dot but ㆍ (U+318D, a letter), so it is only case folded (about a third of the steps)."""
    plain = text.replace(" ", "")
    if plain.isalnum() and _DOT_LETTER not in plain:
        return plain.casefold()
    if _DOTTED(text) is not None:
        text = text.translate(_MIDDLE_DOTS)
    text = "".join(text.split())
    if len(text) > 1 and text[0] in "[［【(" and text[-1] in "]］】)":
        text = text[1:-1]
    return text.casefold()


#: The middle dots normalize() makes one (its translation table), and a search for any of them.
_MIDDLE_DOTS = _builtins._MIDDLE_DOTS
_DOTTED = re.compile("[" + re.escape("".join(map(chr, _MIDDLE_DOTS))) + "]").search
#: The one middle dot that is a letter (``str.isalnum``), which :func:`_folded`'s plain names must not hold.
_DOT_LETTER = "ㆍ"
if [chr(c) for c in _MIDDLE_DOTS if chr(c).isalnum()] != [_DOT_LETTER]:  # normalize()'s table changed
    raise ImportError("identity._folded: the middle dots that are letters are not ['ㆍ']")


_set = object.__setattr__


class Key(Frozen):
    """A project's identity: normalised and mapped name, 부서 and 회계 (``""`` where a document has none)."""

    __slots__ = ("name", "department", "account", "__weakref__")
    name: str
    department: str
    account: str

    def __init__(self, name: str, department: str = "", account: str = "") -> None:
        _set(self, "name", name)
        _set(self, "department", department)
        _set(self, "account", account)

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name, "department": self.department, "account": self.account}

    def __str__(self) -> str:
        return " · ".join(part or "-" for part in (self.name, self.department, self.account))


class IdentityError(ValueError):
    """A mapping that cannot be used: ``keys`` locate it in the configuration (``("projects", "old")``)."""

    def __init__(self, message_en: str, message_ko: str, keys: tuple[str, ...]) -> None:
        super().__init__(message_en)
        self.message_ko = message_ko
        self.keys = keys


class Identity(Frozen):
    """The ``[tool.auditor.identity]`` mapping: normalised old → new name, per part of the key."""

    __slots__ = ("projects", "departments", "accounts", "__weakref__")
    projects: Mapping[str, str]
    departments: Mapping[str, str]
    accounts: Mapping[str, str]

    def __init__(self, projects: Mapping[str, str] = NOTHING,  # type: ignore[assignment]
                 departments: Mapping[str, str] = NOTHING,  # type: ignore[assignment]
                 accounts: Mapping[str, str] = NOTHING) -> None:  # type: ignore[assignment]
        _set(self, "projects", {} if projects is NOTHING else projects)
        _set(self, "departments", {} if departments is NOTHING else departments)
        _set(self, "accounts", {} if accounts is NOTHING else accounts)

    @classmethod
    def from_table(cls, table: Any) -> Identity:
        """The mapping a configuration's ``identity`` table gives; :class:`IdentityError` if it is not one."""
        if not isinstance(table, Mapping):
            raise IdentityError("'identity' must be a table of projects, departments and accounts tables",
                                "'identity'는 projects, departments, accounts 표를 담은 표여야 합니다", ())
        maps: dict[str, dict[str, str]] = {}
        for name, mapping in table.items():
            if name not in TABLES:
                raise IdentityError(f"identity: unknown table '{name}' (known: {', '.join(TABLES)})",
                                    f"identity: 알 수 없는 표 '{name}' (알려진 표: {', '.join(TABLES)})", (name,))
            if not isinstance(mapping, Mapping):
                raise IdentityError(f"identity.{name} must be a table of old = new names",
                                    f"identity.{name}는 옛 이름 = 새 이름의 표여야 합니다", (name,))
            found: dict[str, str] = {}
            for old, new in mapping.items():
                if not isinstance(new, str) or not normal(new) or not normal(old):
                    raise IdentityError(f"identity.{name}: '{old}' must map to a non-empty name",
                                        f"identity.{name}: '{old}'는 비어 있지 않은 이름으로 바뀌어야 합니다", (name, old))
                found[normal(old)] = normal(new)
            maps[name] = _followed(found, name)
        return cls(**maps)

    def __bool__(self) -> bool:
        return bool(self.projects or self.departments or self.accounts)

    def key(self, name: str | None, department: str | None = None, account: str | None = None) -> Key:
        """The key of a document whose name, 부서 and 회계 are written as given."""
        return Key(*self.parts(name, department, account))

    def parts(self, name: str | None, department: str | None = None, account: str | None = None,
              ) -> tuple[str, str, str]:
        """:meth:`key`'s name, 부서 and 회계, as a plain tuple (grouped without a :class:`Key` a document)."""
        n, d, a = normal(name), normal(department), normal(account)
        return self.projects.get(n, n), self.departments.get(d, d), self.accounts.get(a, a)


#: Both are written out (auditor.plain), where attrs.frozen compiled their methods at every import;
#: tests/test_plain.py holds each to its attrs declaration.
frozen(Key, Field("name"), Field("department", default=""), Field("account", default=""))
frozen(Identity, Field("projects", factory=dict), Field("departments", factory=dict), Field("accounts", factory=dict))


def _followed(mapping: dict[str, str], table: str) -> dict[str, str]:
    """Each old name mapped to the end of its chain; a cycle is an error naming one of its names."""
    out = {}
    for old in mapping:
        seen = [old]
        new = mapping[old]
        while new in mapping and new != seen[-1]:
            if new in seen:
                raise IdentityError(f"identity.{table}: '{old}' is renamed in a cycle ({' → '.join(seen + [new])})",
                                    f"identity.{table}: '{old}'의 이름 바꾸기가 돌고 돕니다 ({' → '.join(seen + [new])})",
                                    (table,))
            seen.append(new)
            new = mapping[new]
        out[old] = new
    return {old: new for old, new in out.items() if old != new}


def group_keys(keys: Sequence[Key]) -> list[tuple[Key, list[int]]]:
    """Which documents are of one project: its key and the indexes into ``keys`` of its documents, in
    order of first appearance.

    Equal keys are one project. A key without a 부서 or a 회계 joins the one complete key of its name
    that agrees with what it has, when there is exactly one; otherwise it stands with the keys equal
    to it. A key without a name is alone.
    """
    return [(Key(*parts), members) for parts, members in _grouped([(k.name, k.department, k.account) for k in keys])]


def _grouped(keys: Sequence[tuple[str, str, str]]) -> list[tuple[tuple[str, str, str], list[int]]]:
    """:func:`group_keys` over keys as ``(name, 부서, 회계)`` tuples (two keys are equal when their parts are:
    a tuple's equality and hash are the interpreter's own, where a :class:`Key`'s are Python calls)."""
    by_name: dict[str, list[int]] = defaultdict(list)
    for i, key in enumerate(keys):
        if key[0]:
            by_name[key[0]].append(i)
    found: dict[tuple[str, str, str], list[int]] = {}
    for indexes in by_name.values():
        complete = list(dict.fromkeys(keys[i] for i in indexes if keys[i][1] and keys[i][2]))
        for i in indexes:
            key = keys[i]
            if not (key[1] and key[2]):
                fits = [c for c in complete if key[1] in ("", c[1]) and key[2] in ("", c[2])]
                if len(fits) == 1:
                    key = fits[0]
            found.setdefault(key, []).append(i)
    return sorted(found.items(), key=lambda item: item[1][0])


def shared_projects(documents: Sequence[Any], identity: Identity, *, width: int | None = None,
                    ) -> list[tuple[Key, list[int]]]:
    """The projects of two documents or more among ``documents`` (anything with ``name``,
    ``department`` and ``account``): ``group_keys(keys_of(documents, identity))`` without its groups of
    one document, made without a key for every document at once.

    Only documents of one mapped name can be of one project, and most documents of a run have a name
    no other shares. So a first pass marks where each document's name falls in two bit maps of
    ``width`` bits (about 16 a document), one for names seen and one for names seen again, and keys
    are made and grouped only for the documents whose place was seen again: every document of a
    shared name, and a few others whose name's hash falls on the same place (they stay alone in
    :func:`group_keys` and are left out with the other groups of one; they are grouped as plain tuples,
    and a :class:`Key` is made for each group of several). Each writing of a name, 부서 and 회계 among
    them is keyed once (a project's documents write them alike). The maps take about 4 bytes a
    document where a key and its place in the grouping took about 450 (4.5 MiB at 10,000 documents,
    the peak of the run).
    """
    from array import array

    count = len(documents)
    if width is None:
        width = max(1 << 12, 1 << (16 * count).bit_length())
    seen, again = bytearray((width + 7) >> 3), bytearray((width + 7) >> 3)
    mapped = identity.projects
    places = array("q", bytes(8 * count))
    # a run's index reads its names, 부서 and 회계 from its columns (auditor.crossdoc.pipeline.Index.name_column and
    # .written), where reading them of each document made its entry again each time (one past the memory mark)
    written_of = getattr(documents, "written", None)
    names = documents.name_column() if written_of is not None else (d.name for d in documents)
    folded = _folded
    for i, text in enumerate(names):
        # normal() of the name, neither interned nor remembered: most names are of one document and are
        # dropped at once (interning each added an entry to the interpreter's table of interned strings,
        # a deleted one staying until it grows: at 10,000 documents it doubled here, 1.8 MiB at the run's end)
        name = folded(text) if text else ""
        if not name:  # a document without a name matches nothing
            places[i] = -1
            continue
        place = places[i] = hash(mapped.get(name, name)) % width
        byte, bit = place >> 3, 1 << (place & 7)
        if seen[byte] & bit:
            again[byte] |= bit
        else:
            seen[byte] |= bit
    del seen
    candidates = [i for i, place in enumerate(places) if place >= 0 and again[place >> 3] & (1 << (place & 7))]
    del places, again
    # The candidates by their name, 부서 and 회계 as written (a project's documents write them alike, a book
    # has a few writings of each: its sheets' and its exports'), each writing keyed once, and the writings
    # grouped as _grouped groups keys (which joins a key to others by the key alone).
    written: dict[tuple, list[int]] = {}
    for i in candidates:
        if written_of is None:
            d = documents[i]
            raw = (d.name, d.department, d.account)
        else:
            raw = written_of(i)
        members = written.get(raw)
        if members is None:
            written[raw] = [i]
        else:
            members.append(i)
    del candidates
    parts = identity.parts
    writings = list(written.values())
    keys = [parts(*raw) for raw in written]
    del written
    shared = []
    for key, at in _grouped(keys):
        if len(at) == 1:
            members = writings[at[0]]
            if len(members) > 1:
                shared.append((members[0], key, members))
        else:
            members = sorted([i for n in at for i in writings[n]])
            shared.append((members[0], key, members))
    shared.sort()
    return [(Key(*key), members) for _, key, members in shared]


def keys_of(documents: Iterable[Any], identity: Identity) -> list[Key]:
    """The key of each document (anything with ``name``, ``department`` and ``account``)."""
    return [identity.key(d.name, d.department, d.account) for d in documents]


def identities(documents: Iterable[Any], identity: Identity) -> list[dict[str, Any]]:
    """Each distinct identity of ``documents`` (index entries, in order) as ``auditor parse`` shows it:
    the name, 부서 and 회계 as written, and the key they match by."""
    seen: dict[tuple, dict[str, Any]] = {}
    for d in documents:
        written = (d.kind, d.name, d.department, d.account)
        if written not in seen:
            seen[written] = {"kind": d.kind, "name": d.name, "department": d.department, "account": d.account,
                             "key": identity.key(d.name, d.department, d.account).as_dict()}
    return list(seen.values())
