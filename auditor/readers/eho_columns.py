"""Map an e호조 export's header (two lines, or one as another tool re-saved it) to column indexes by meaning."""

from __future__ import annotations

import re

from auditor.readers import problems as P
from auditor.readers.context import Context
from auditor.readers.csvline import split_cells
from auditor.plain import NOTHING, Field, Mutable, frozen

__all__ = ["HEADER_PREFIX", "REQUIRED", "OPTIONAL", "PARTS", "DERIVED_UNITS", "Columns", "is_eho_header", "read_header",
           "triples_hold"]

#: How an e호조 expenditure export's first line starts.
HEADER_PREFIX = "회계연도,예산구분,"
#: The columns every record needs, by the header's own names.
REQUIRED = {
    "year": "회계연도", "project": "세부사업명", "category": "통계목명", "label": "산출근거명",
    "formula": "산출근거식", "amount": "예산액", "previous": "기정액", "change": "비교증감",
}
#: Columns read when the header has them (a record without them reads as None).
OPTIONAL = {"kind": "예산구분", "department": "부서명", "code": "통계목", "object_code": "편성목",
            "object_name": "편성목명", "account_code": "회계코드", "account": "회계명"}
#: The other columns of a real export: known, not read, and never taken for a funding source.
OTHER = ("분야명", "부문명", "위원회명", "정책사업명", "단위사업명", "자체보조구분명",
         "의무/재량구분")
#: The sub-header under each funding source, in the export's order.
PARTS = ("경정", "기정", "증감")
_NAMES = {**REQUIRED, **OPTIONAL}
_KNOWN = frozenset((*_NAMES.values(), *OTHER))


class Columns(Mutable):
    """Where each column is: ``index`` by key of :data:`REQUIRED`/:data:`OPTIONAL`, the funding triples, the width."""

    __slots__ = ("index", "funding", "width", "first_record", "derived", "unverified", "names", "__weakref__")
    index: dict[str, int]
    funding: list[tuple[str, tuple[int, int, int]]]
    width: int
    #: The line the first record is on: 3 after a 경정/기정/증감 line, else 2.
    first_record: int
    #: Columns derived from another one: (header name, its index, the source column's index, its unit or
    #: None for the source's own unit).
    derived: list[tuple[str, int, int, str | None]]
    #: True when the funding triples were read as 경정, 기정, 증감 without a line saying so: the reader
    #: checks that order on the first records (:func:`triples_hold`) before trusting it.
    unverified: bool
    #: The header's names, a merged cell's name repeated over the cells it spans.
    names: list[str]

    def __init__(self, index: dict[str, int], funding: list[tuple[str, tuple[int, int, int]]], width: int,
                 first_record: int,
                 derived: list[tuple[str, int, int, str | None]] = NOTHING,  # type: ignore[assignment]
                 unverified: bool = False, names: list[str] = NOTHING) -> None:  # type: ignore[assignment]
        self.index = index
        self.funding = funding
        self.width = width
        self.first_record = first_record
        self.derived = [] if derived is NOTHING else derived
        self.unverified = unverified
        self.names = [] if names is NOTHING else names

    def name(self, index: int) -> str:
        """The header's name for column ``index`` (a funding part as ``국고보조금 경정``)."""
        for key, i in self.index.items():
            if i == index:
                return _NAMES[key]
        for source, parts in self.funding:
            if index in parts:
                return f"{source} {PARTS[parts.index(index)]}"
        for name, i, _, _ in self.derived:
            if i == index:
                return name
        return str(index + 1)


#: Written out (auditor.plain), where attrs.define compiled its methods at every import;
#: tests/test_plain.py holds it to its attrs declaration.
frozen(Columns, Field("index"), Field("funding"), Field("width"), Field("first_record"), Field("derived", factory=list),
       Field("unverified", default=False), Field("names", factory=list))


def is_eho_header(line: str) -> bool:
    """An expenditure export's first line: as e호조 starts it, or naming 산출근거명 and 예산액 among its cells."""
    line = line.lstrip("\ufeff")
    if line.startswith(HEADER_PREFIX):
        return True
    names = {v.strip() for v in split_cells(line)[0]}
    return {"산출근거명", "예산액"} <= names


#: A cell that continues the name on its left: empty (a merged cell), or as pandas names an empty one.
_UNNAMED = re.compile(r"Unnamed: \d+(?:_level_\d+)?")
#: pandas' name for a repeated column name: ``국고보조금.1``.
_REPEATED = re.compile(r"(.+)\.\d+")
#: A column derived from another: its name, then a suffix naming a unit or a plain number.
_DERIVED = re.compile(r"(?P<base>.+?)\s*[_ ]\s*\(?(?P<suffix>num|numeric|number|int|float|value|val|amt|amount|clean"
                      r"|krw|won|원|천원|만원|백만원|억원|억)\)?", re.IGNORECASE)
#: What unit each suffix says; the others are the source's own unit.
DERIVED_UNITS = {"원": "원", "won": "원", "krw": "원", "천원": "천원", "만원": "만원", "백만원": "백만원", "억원": "억원",
                 "억": "억원"}
#: A funding part named in one header line: ``국고보조금_경정``, ``국고보조금 기정``, ``국고보조금(증감)``.
_PARTED = re.compile(r"(?P<source>.+?)\s*[_ (]\s*(?P<part>경정|기정|증감)\)?")


def read_header(ctx: Context, header: str, sub: str | None) -> Columns | None:
    """The columns of line 1 (and the 경정/기정/증감 line 2, when ``sub`` is one); None, reported, if unusable.

    The header is read by meaning, whatever tool saved it: a cell that is empty or named ``Unnamed: N``
    (or ``X.1`` after X) continues the name on its left, as a merged cell does; a named column of three
    cells after the known ones is a funding source, its parts named by line 2 or, without it, read as
    경정, 기정, 증감 (``unverified``: the reader checks that on the data); ``국고보조금_경정`` names a part in
    one line; a name with a unit or number suffix over a known amount column (``예산액_억원``,
    ``국고보조금_num``) is a derived column, never a funding source. Named columns after 비교증감 that fit
    none of these are reported once, as one PARSE005 at line 1 (other unknown columns are not read).
    """
    header = header.lstrip("\ufeff")
    values, _ = split_cells(header)
    raw = [v.strip() for v in values]
    names: list[str] = []
    heads: list[bool] = []  # the cell that starts a name (not a continuation)
    for i, name in enumerate(raw):
        repeated = _REPEATED.fullmatch(name)
        if i and (not name or _UNNAMED.fullmatch(name) or (repeated and repeated.group(1) == names[-1])):
            names.append(names[-1])
            heads.append(False)
        else:
            names.append("" if _UNNAMED.fullmatch(name) else name)
            heads.append(True)
    index = {key: names.index(name) for key, name in _NAMES.items() if name in names}
    missing = [name for key, name in REQUIRED.items() if key not in index]
    if missing or not is_eho_header(header):
        shown = header if len(header) <= 80 else header[:80] + "…"
        note = f"필수 열이 없습니다: {', '.join(missing)}" if missing else ""
        note_en = f"missing required columns: {', '.join(missing)}" if missing else ""
        ctx.report(P.UNKNOWN_HEADER, 1, 1, header, text=shown, note=note, note_en=note_en)
        return None
    words = [v.strip() for v in split_cells(sub)[0]] if sub is not None else []
    is_sub = bool(words) and not words[0] and any(w in PARTS for w in words)
    funding: list[tuple[str, tuple[int, int, int]]] = []
    parted: dict[str, dict[str, int]] = {}
    later: list[tuple[int, str]] = []  # derived-looking names, placed once the funding sources are known
    unplaced: list[str] = []
    for i, name in enumerate(names):
        if not heads[i] or not name or name in _KNOWN:
            continue
        run = 1
        while i + run < len(names) and not heads[i + run]:
            run += 1
        part = _PARTED.fullmatch(name)
        if _DERIVED.fullmatch(name):
            later.append((i, name))
        elif part and run == 1:
            parted.setdefault(part.group("source"), {})[part.group("part")] = i
        elif is_sub:
            under = words[i:i + 3]
            if sorted(under) == sorted(PARTS):
                funding.append((name, tuple(i + under.index(p) for p in PARTS)))  # type: ignore[arg-type]
            elif any(under):
                ctx.report(P.UNKNOWN_HEADER, 2, _column(sub, i), words[i] if i < len(words) else "",
                           text=",".join(under))
                funding.append((name, (i, i + 1, i + 2)))
            elif i > index["change"]:
                unplaced.append(name)
        elif run == 3 and i > index["change"]:  # no 경정/기정/증감 line: the order of every real export
            funding.append((name, (i, i + 1, i + 2)))
        elif i > index["change"]:  # where figures are: a column that may hold money goes unread
            unplaced.append(name)
    for source, parts in parted.items():
        if set(parts) == set(PARTS):
            funding.append((source, tuple(parts[p] for p in PARTS)))  # type: ignore[arg-type]
        else:
            unplaced.extend(f"{source}_{p}" for p in parts)
    derived = []
    amounts = {name: index[key] for key, name in REQUIRED.items() if key in ("amount", "previous", "change")}
    amounts.update((source, parts[0]) for source, parts in funding)
    for i, name in later:
        m = _DERIVED.fullmatch(name)
        assert m is not None
        base = m.group("base").strip()
        at = amounts.get(base)
        if at is None and base in raw:  # ``Unnamed: 24_num``: derived from that very cell
            at = raw.index(base)
        if at is None or not _amount_column(at, index, funding):
            unplaced.append(name)
        else:
            derived.append((name, i, at, DERIVED_UNITS.get(m.group("suffix").lower())))
    if unplaced:
        shown = ", ".join(unplaced[:10]) + (" …" if len(unplaced) > 10 else "")
        ctx.report(P.UNKNOWN_HEADER, 1, 1, header, text=shown,
                   note=" (어느 열인지 알 수 없어 읽지 않았습니다)", note_en=" (columns of no known meaning, not read)")
    unverified = not is_sub and any(not _named_parts(names, parts) for _, parts in funding)
    return Columns(index, funding, len(values), 3 if is_sub else 2, derived, unverified, names)


def _amount_column(at: int, index: dict[str, int], funding: list) -> bool:
    """Is column ``at`` one the reader reads as an amount (예산액, 기정액, 비교증감, a funding part)?"""
    return at in (index["amount"], index["previous"], index["change"]) or any(at in parts for _, parts in funding)


def _named_parts(names: list[str], parts: tuple[int, ...]) -> bool:
    """Were a source's parts named in the header itself (``국고보조금_경정`` …), not taken by position?"""
    return all(_PARTED.fullmatch(names[i]) for i in parts)


def triples_hold(columns: Columns, records: list[list[str]]) -> list[str]:
    """The funding sources whose 증감 is not 경정 − 기정 on most of ``records`` (cells of the first
    records) that have a figure in them: their columns are not in the order they were read in."""
    from auditor.readers.numbers import parse_number

    wrong = []
    for source, (a, b, c) in columns.funding:
        told = held = 0
        for cells in records:
            if len(cells) <= max(a, b, c):
                continue
            numbers = [parse_number(cells[i].strip()) for i in (a, b, c)]
            if any(n is None for n in numbers) or not any(n.value for n in numbers):  # type: ignore[union-attr]
                continue
            told += 1
            current, previous, change = (n.value for n in numbers)  # type: ignore[union-attr]
            held += change == current - previous
        if told and held * 2 <= told:
            wrong.append(source)
    return wrong


def _column(line: str | None, index: int) -> int:
    """The 1-based column where cell ``index`` of ``line`` starts (its last cell when there are fewer)."""
    starts = split_cells(line or "")[1]
    return starts[min(index, len(starts) - 2)] + 1
