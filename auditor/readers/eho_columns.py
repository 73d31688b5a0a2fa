"""Map an e호조 export's two header lines to column indexes by name, whatever their order."""

from __future__ import annotations

import attrs

from auditor.readers import problems as P
from auditor.readers.context import Context
from auditor.readers.csvline import split_cells

__all__ = ["HEADER_PREFIX", "REQUIRED", "OPTIONAL", "PARTS", "Columns", "is_eho_header", "read_header"]

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


@attrs.define
class Columns:
    """Where each column is: ``index`` by key of :data:`REQUIRED`/:data:`OPTIONAL`, the funding triples, the width."""

    index: dict[str, int]
    funding: list[tuple[str, tuple[int, int, int]]]
    width: int
    #: The line the first record is on: 3 after a 경정/기정/증감 line, else 2.
    first_record: int

    def name(self, index: int) -> str:
        """The header's name for column ``index`` (a funding part as ``국고보조금 경정``)."""
        for key, i in self.index.items():
            if i == index:
                return _NAMES[key]
        for source, parts in self.funding:
            if index in parts:
                return f"{source} {PARTS[parts.index(index)]}"
        return str(index + 1)


def is_eho_header(line: str) -> bool:
    """An expenditure export's first line: as e호조 starts it, or naming 산출근거명 and 예산액 among its cells."""
    line = line.lstrip("\ufeff")
    if line.startswith(HEADER_PREFIX):
        return True
    names = {v.strip() for v in split_cells(line)[0]}
    return {"산출근거명", "예산액"} <= names


def read_header(ctx: Context, header: str, sub: str | None) -> Columns | None:
    """The columns of line 1 (and the 경정/기정/증감 line 2, when ``sub`` is one); None, reported, if unusable."""
    header = header.lstrip("\ufeff")
    values, _ = split_cells(header)
    names = [v.strip() for v in values]
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
    funding = []
    for i, name in enumerate(names):
        if not name or name in _KNOWN:
            continue
        under = words[i:i + 3] if is_sub else []
        if sorted(under) == sorted(PARTS):
            funding.append((name, tuple(i + under.index(p) for p in PARTS)))
        elif is_sub and any(under):
            ctx.report(P.UNKNOWN_HEADER, 2, _column(sub, i), words[i] if i < len(words) else "",
                       text=",".join(under))
            funding.append((name, (i, i + 1, i + 2)))
        elif not is_sub and i > index["change"]:  # no sub-header: sources follow 비교증감, three columns each
            funding.append((name, (i, i + 1, i + 2)))
    return Columns(index, funding, len(values), 3 if is_sub else 2)  # type: ignore[arg-type]


def _column(line: str | None, index: int) -> int:
    """The 1-based column where cell ``index`` of ``line`` starts (its last cell when there are fewer)."""
    starts = split_cells(line or "")[1]
    return starts[min(index, len(starts) - 2)] + 1
