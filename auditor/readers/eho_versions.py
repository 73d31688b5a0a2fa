"""Budget versions of an e호조 합본 book: 예산구분 as an order, and each 추경 row's base (its earlier version).

A 합본예산서 (combined book) interleaves the rows of every version of a year's budget: 본예산, then
추경1회, 추경2회 … and, after the last 추경, the 간주 rounds (성립전 예산 deemed part of the final
budget: 간주1차, 간주2차 …). A 추경 row restates an item of an earlier version: its 기정액 is that
version's 예산액. A 추경 Ο group lists only the ο items it changes; the others stay as the base states
them. This module orders the versions (:func:`version_of`) and keeps, in a :class:`VersionIndex`, every
group read so far, so that a later row finds its **base**: for the same item (회계연도, 회계, 부서,
세부사업, 통계목, 산출근거명), the row of the latest earlier version.

The index outlives one unit of the stream (a 세부사업 run) and one file: an index built while reading
one export can be passed to the reader of another (an 추경-only export read after that year's 본예산
export), since every row it keeps carries its own path and line.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable

from auditor.model import BasisGroup, BasisItem, FundingShare
from auditor.plain import Field, Frozen, Mutable, frozen
from auditor.source import Source, draft

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["Version", "version_of", "VersionIndex", "Pending", "is_change", "label_key"]

#: Stages of a year's budget, in order.
ORIGINAL, SUPPLEMENTARY, DEEMED, UNKNOWN = 0, 1, 2, 3

_ORIGINAL = re.compile(r"(?:본|당초)(?:예산)?")
_SUPPLEMENTARY = (re.compile(r"(?:제\s*)?(\d{1,2})\s*(?:회|차)\s*추(?:가)?경(?:정)?(?:예산)?"),
                  re.compile(r"추(?:가)?경(?:정)?(?:예산)?\s*(?:제\s*)?(\d{1,2})\s*(?:회|차)?"))
_DEEMED = (re.compile(r"간주(?:처리)?\s*(?:제\s*)?(\d{1,2})\s*(?:차|회)?"), re.compile(r"(?:제\s*)?(\d{1,2})\s*(?:차|회)\s*간주(?:처리)?"))


_set = object.__setattr__


class Version(Frozen):
    """One 예산구분: its label as written, its place in the year's order, and whether the label is known."""

    __slots__ = ("label", "rank", "known", "__weakref__")
    label: str
    rank: tuple[int, int]
    known: bool

    def __init__(self, label: str, rank: tuple[int, int], known: bool = True) -> None:
        _set(self, "label", label)
        _set(self, "rank", rank)
        _set(self, "known", known)


#: Written out (auditor.plain), where attrs.frozen compiled its methods at every import;
#: tests/test_plain.py holds it to its attrs declaration.
frozen(Version, Field("label"), Field("rank"), Field("known", default=True))
_new = object.__new__
_VersionDraft = draft(Version)


def _version(label: str, rank: tuple[int, int], known: bool = True) -> Version:
    """``Version(...)`` made the fast way (a draft filled: one is made for every group of an e호조 export);
    tests/test_plain.py holds it to the class's ``__init__``."""
    self = _new(_VersionDraft)
    self.label = label
    self.rank = rank
    self.known = known
    self.__class__ = Version
    return self


def version_of(label: str, unknown: dict[str, int] | None = None) -> Version:
    """The version a 예산구분 label names.

    본예산 (당초예산) < 추경1회 (제1회 추경, 1차추경 …) < 추경2회 < … < 간주1차 < 간주2차 < …; any other
    label is a version of its own after all of those, in order of first appearance (``unknown`` keeps
    that order for one file), and is not known.
    """
    text = "".join(label.split())
    if _ORIGINAL.fullmatch(text):
        return _version(label, (ORIGINAL, 0))
    for stage, patterns in ((SUPPLEMENTARY, _SUPPLEMENTARY), (DEEMED, _DEEMED)):
        for pattern in patterns:
            m = pattern.fullmatch(text)
            if m:
                return _version(label, (stage, int(m.group(1))))
    order = unknown.setdefault(text, len(unknown)) if unknown is not None else 0
    return _version(label, (UNKNOWN, order), False)


def label_key(text: str) -> str:
    """A 산출근거명 as compared between versions: without blanks."""
    return "".join(text.split())


def is_change(previous: int | None, formula: str | None) -> bool:
    """Does a row of a later version restate an earlier one? When its 기정액 is not 0, or its formula
    is a ``경정`` (revised) amount. A row with 기정액 0 and no 경정 is a new line: real books list the
    same 성립전 item in two 추경 rounds, each with 기정액 0 (용인시 2026, 지방하천 소규모 준설)."""
    if previous:
        return True
    return bool(formula) and formula.lstrip().startswith("경정")


class Pending(Mutable):
    """A group of the unit being read, before its base is known: the fields of its BasisGroup."""

    __slots__ = ("scope", "version", "line", "fields", "items", "__weakref__")
    scope: tuple
    version: Version
    line: int
    fields: dict
    items: list[dict]

    def __init__(self, scope: tuple, version: Version, line: int, fields: dict, items: list[dict]) -> None:
        self.scope = scope
        self.version = version
        self.line = line
        self.fields = fields
        self.items = items


#: Written out (auditor.plain), where attrs.define compiled its methods at every import;
#: tests/test_plain.py holds it to its attrs declaration.
frozen(Pending, Field("scope"), Field("version"), Field("line"), Field("fields"), Field("items"))


class _Kept:
    """A group kept in the index: its version, line and label, and what a later row compares (its 예산액,
    its funding 경정, its ο rows), as the reader read them. The BasisGroup a later row gets as its base
    is made from these only when some row takes it (most rows are never restated)."""

    __slots__ = ("rank", "path", "line", "_key", "fields", "items", "superseded", "_group")

    def __init__(self, rank: tuple[int, int], path: str, line: int, fields: dict, items: list[dict]) -> None:
        self.rank, self.path, self.line, self._key = rank, path, line, None
        self.fields = (fields["label"], fields.get("amount"), fields.get("funding", ()), fields.get("budget_kind"),
                       fields.get("unchanged", ()))
        self.items = [(i["label"], i.get("amount"), i.get("funding", ()), i.get("budget_kind"),
                       _line_of(i.get("source"), line)) for i in items]
        #: The rank of the row that restated this one in a later version, if any (it is then superseded).
        self.superseded: tuple[int, int] | None = None
        self._group: BasisGroup | None = None

    @property
    def key(self) -> str:
        """The label as compared (made when a later row first looks: most groups are never looked up)."""
        if self._key is None:
            self._key = label_key(self._group.label.value if self._group is not None else _text(self.fields[0]))
        return self._key

    @property
    def group(self) -> BasisGroup:
        """The group as a base: label, 예산액, funding 경정, its ο rows and the rows it left unchanged."""
        if self._group is None:
            label, amount, funding, kind, unchanged = self.fields
            path = self.path
            items = [BasisItem(i_label, amount=i_amount, source=Source.unchecked(path, i_line, 1, ""),
                               funding=_shares(i_funding), budget_kind=i_kind)
                     for i_label, i_amount, i_funding, i_kind, i_line in self.items]
            self._group = BasisGroup(label, amount=amount, source=Source.unchecked(path, self.line, 1, ""),
                                     funding=_shares(funding), budget_kind=kind, items=items, unchanged=unchanged)
            self.fields = self.items = ()  # type: ignore[assignment]
        return self._group


def _line_of(source: Source | tuple | None, default: int) -> int:
    """The line of a row's source, kept as ``(path, line, column, text)`` by the row reader, or a Source."""
    if source is None:
        return default
    return source[1] if type(source) is tuple else source.line


class VersionIndex:
    """The Ο groups read so far, by scope (회계연도, 회계, 부서, 세부사업, 통계목), as bases for later rows.

    Feed it by reading (an :class:`~auditor.readers.eho.EhoReader` given ``versions=index`` adds the
    groups of its file), or pass one that another file's reader filled: bases are then found across
    files, each pointing at its own file and line.

    ``window`` bounds memory: the groups of the last ``window`` units (calls of :meth:`resolve`, one per
    세부사업 run of the stream) are kept, older ones dropped, so that memory stays flat over a city's
    export. A book lists every version of a 세부사업 together, in one run, so a base is found in its own
    unit; a row whose base was dropped gets VER003 (info), never a false error. ``window=None`` keeps
    every group (to feed a whole 본예산 export to the check of an 추경-only one).
    """

    #: Units kept by default: far more than a book needs, little memory.
    WINDOW = 256

    def __init__(self, window: int | None = WINDOW) -> None:
        self._scopes: dict[tuple, list[_Kept]] = {}
        self.window = window
        self._units: deque[list[tuple[tuple, _Kept]]] = deque()

    def __len__(self) -> int:
        return sum(len(v) for v in self._scopes.values())

    def resolve(self, path: str, pending: Iterable[Pending]) -> None:
        """Find the base of each pending group and of its items, complete the 추경 groups, keep them all.

        Groups are taken in version order (then line), so a 추경2회 group finds the 추경1회 one of the
        same unit already completed. ``fields`` and ``items`` are updated in place: ``base`` and
        ``unchanged`` on the group, ``base`` on each item.
        """
        unit: list[tuple[tuple, _Kept]] = []
        for p in sorted(pending, key=lambda p: (p.version.rank, p.line)):
            fields = p.fields
            base = None
            if p.version.rank > (ORIGINAL, 0) and is_change(_value(fields.get("previous")), _text(fields.get("formula"))):
                kept = self._find(p.scope, p.version.rank, path, p.line, label_key(_text(fields["label"])))
                if kept is not None:
                    kept.superseded = p.version.rank
                    base = kept.group
            if base is not None:
                fields["base"] = base
                _restate_shares(fields, base)
                if p.items:
                    whole = [*base.items, *base.unchanged]
                    taken: set[int] = set()
                    for item in p.items:
                        if is_change(_value(item.get("previous")), _text(item.get("formula"))):
                            at = _match([label_key(i.label.value) for i in whole], label_key(_text(item["label"])), taken)
                            if at is not None:
                                taken.add(at)
                                item["base"] = whole[at]
                                _restate_shares(item, whole[at])
                    fields["unchanged"] = tuple(i for n, i in enumerate(whole) if n not in taken)
            unit.append((p.scope, self._keep(p.scope, p.version.rank, path, p.line, fields, p.items)))
        self._units.append(unit)
        if self.window is not None and len(self._units) > self.window:
            for scope, kept in self._units.popleft():
                found = self._scopes[scope]
                found.remove(kept)
                if not found:
                    del self._scopes[scope]

    def _find(self, scope: tuple, rank: tuple[int, int], path: str, line: int, key: str) -> _Kept | None:
        """The base of a row: among the groups of ``scope`` of an earlier version, one with the same
        label (the latest version; among equals, the nearest before ``line``), else one whose label
        starts with this one or that this one starts with (real books shorten or extend a label in a
        추경: 공원관리 소모품 구입 → 공원관리 소모품), when only one label fits. A group already restated
        by another row of an earlier version than this one is passed over."""
        return choose_base(self._scopes.get(scope, ()), rank, path, line, key)

    def _keep(self, scope: tuple, rank: tuple[int, int], path: str, line: int, fields: dict,
              items: list[dict]) -> _Kept:
        kept = _Kept(rank, path, line, fields, items)
        found = self._scopes.get(scope)
        if found is None:
            self._scopes[scope] = [kept]
        else:
            found.append(kept)
        return kept


def _match(keys: list[str], key: str, taken: set[int]) -> int | None:
    """Which of a base group's ο rows (by label key) a listed ο row restates: the same label, else the
    only one whose label starts with it or that it starts with."""
    for n, k in enumerate(keys):
        if n not in taken and k == key:
            return n
    near = [n for n, k in enumerate(keys) if n not in taken and key and k and (k.startswith(key) or key.startswith(k))]
    return near[0] if len(near) == 1 else None


def _restate_shares(fields: dict, base: BasisGroup | BasisItem) -> None:
    """A restating row lists only the sources with a figure in it; a source its base funds that it
    leaves out is a 0 on this row, and VER002 must compare it: add that source's share as read
    (its cells, all 0) to the row's funding, after the shares it lists."""
    from auditor.readers.eho_row import ALL_SHARES, more_shares

    have = {share.label for share in fields.get("funding", ())}
    wanted = {share.label for share in base.funding
              if share.label not in have and share.current is not None and share.current.value != 0}
    more = fields.get(ALL_SHARES)
    if wanted and more is not None:
        fields["funding"] = [*fields.get("funding", ()), *more_shares(more, frozenset(wanted))]


def _shares(funding: Iterable[FundingShare]) -> tuple[FundingShare, ...]:
    return tuple(FundingShare(s.label, s.current) for s in funding)


def _value(amount) -> int | None:
    return None if amount is None else amount.value


def _text(text) -> str | None:
    """A Text's value, or its lazy recipe's ``(value, path, line, column, text)`` (the fast row reader's)."""
    if text is None:
        return None
    return text[0] if type(text) is tuple else text.value


def choose_base(kept: Iterable[Any], rank: tuple[int, int], path: str, line: int, key: str) -> Any:
    """Among ``kept`` (groups of one scope, each with ``rank``, ``superseded``, ``key``, ``path`` and
    ``line``), the base of a row of ``rank`` at ``path``:``line`` labelled ``key``, as
    :meth:`VersionIndex._find` says; None when there is none or the label fits more than one. Shared
    with the cross screen's light documents (:func:`auditor.crossdoc.screen._find`)."""
    found = [k for k in kept if k.rank < rank and (k.superseded is None or k.superseded >= rank)]
    exact = [k for k in found if k.key == key]
    if not exact:
        exact = [k for k in found if key and k.key and (k.key.startswith(key) or key.startswith(k.key))]
        if len({k.key for k in exact}) > 1:
            return None
    if not exact:
        return None
    top = max(k.rank for k in exact)
    same = [k for k in exact if k.rank == top]
    before = [k for k in same if k.path != path or k.line < line]
    return before[-1] if before else same[0]
