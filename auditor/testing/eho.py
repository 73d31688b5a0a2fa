"""Generate e호조 expenditure exports that are consistent by construction, for the benchmark and the tests.

Every figure is built from the ones below it: a formula's 원 result rounded up to 천원 is the
예산액, a subtotal row is the sum of its items, each funding source's 증감 is 경정 − 기정 and the
sources add up to the row, a 추경 row restates the 본예산 row before it as its 기정액. The
choices come from a :class:`Draw` (``random.Random`` for the benchmark, hypothesis's ``draw`` in
the tests), so the same builders serve both.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterator, Sequence
from fractions import Fraction

import attrs

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Protocol, TypeVar
else:
    from auditor.hints import Protocol

__all__ = [
    "SOURCES", "HEADER", "SUB_HEADER", "CATEGORIES", "Record", "Draw", "RandomDraw", "records",
    "csv_line", "export_lines", "export_bytes", "write_export",
]

if TYPE_CHECKING:
    T = TypeVar("T")

#: The funding sources, in the export's order; each has a 경정, 기정, 증감 triple of columns.
SOURCES = ("국고보조금", "균특보조금", "기금보조금", "특별교부세", "분권교부세", "광역보조금", "재정보전금",
           "특별조정교부금", "자체재원", "지방채", "기타")
NATIONAL, REGIONAL, OWN = 0, 5, 8
COLUMNS = ("회계연도", "예산구분", "분야명", "부문명", "위원회명", "정책사업명", "단위사업명", "회계코드", "회계명",
           "세부사업명", "자체보조구분명", "부서명", "편성목", "편성목명", "통계목", "통계목명", "의무/재량구분",
           "산출근거명", "산출근거식", "예산액", "기정액", "비교증감")
#: The two header lines of a real export.
HEADER = ",".join(COLUMNS) + "," + ",".join(f"{s},," for s in SOURCES)
SUB_HEADER = "," * len(COLUMNS) + ",".join(["경정,기정,증감"] * len(SOURCES))

#: (편성목, 편성목명, 통계목, 통계목명) as real exports write them (all in rules/vocabulary/통계목.toml).
CATEGORIES = (
    ("201", "일반운영비", "201-01", "사무관리비"), ("201", "일반운영비", "201-02", "공공운영비"),
    ("201", "일반운영비", "201-03", "행사운영비"), ("202", "여비", "202-01", "국내여비"),
    ("203", "업무추진비", "203-03", "시책추진업무추진비"), ("203", "업무추진비", "203-04", "부서운영업무추진비"),
    ("204", "직무수행경비", "204-01", "직책급업무수행경비"), ("206", "재료비", "206-01", "재료비"),
    ("301", "일반보전금", "301-11", "행사실비지원금"), ("307", "민간이전", "307-02", "민간경상사업보조"),
    ("307", "민간이전", "307-05", "민간위탁금"), ("401", "시설비및부대비", "401-01", "시설비"),
    ("401", "시설비및부대비", "401-02", "감리비"), ("402", "민간자본이전", "402-02", "민간자본사업보조(이전재원)"),
    ("405", "자산취득비", "405-01", "자산및물품취득비"),
)
_FIELDS = (("교통및물류", "도로", "도시건설위원회"), ("국토및지역개발", "수자원", "도시건설위원회"),
           ("문화및관광", "문화예술", "문화복지위원회"), ("일반공공행정", "일반행정", "자치행정위원회"),
           ("환경", "대기", "경제환경위원회"))
_DEPARTMENTS = ("도로건설과", "도로구조물과", "하천과", "문화예술과", "자치행정과", "기후에너지과", "교통정책과",
                "건축허가과", "복지정책과", "세정과", "회계과", "감사관", "시민소통관", "미래성장전략과")
_TOPICS = ("도로 정비", "하천 유지관리", "생활문화 지원", "시민 소통", "청사 관리", "자전거 이용 활성화",
           "보행환경 개선", "에너지 절약", "지하안전 관리", "기본경비")
_ITEMS = ("회의 참석수당", "홍보물 제작", "소모품 구입", "장비 유지", "교육 운영", "현장 점검", "용역",
          "시설 보수", "자료 인쇄", "차량 임차", "급식비", "위원회 운영")
_UNITS = ("명", "회", "개", "대", "부", "개소", "건", "종")


class Draw(Protocol):
    """Where the generator's choices come from."""

    def integer(self, low: int, high: int) -> int: ...

    def choice(self, options: Sequence[T]) -> T: ...


class RandomDraw:
    """Choices from ``random.Random(seed)``: the same seed gives the same export."""

    def __init__(self, seed: int = 0) -> None:
        self.rng = random.Random(seed)

    def integer(self, low: int, high: int) -> int:
        return self.rng.randint(low, high)

    def choice(self, options: Sequence[T]) -> T:
        return options[self.rng.randrange(len(options))]


@attrs.frozen
class Record:
    """One row of the export: its text columns and its figures in 천원."""

    year: int
    kind: str  # 예산구분: 본예산, 추경1회 …
    project: str
    department: str
    grant: bool  # 자체보조구분명: 보조 (else 자체)
    category: tuple[str, str, str, str]
    label: str  # 산출근거명 with its marker: "Ο…" or "  ο…"
    formula: str
    amount: int
    previous: int
    change: int
    #: (경정, 기정, 증감) per source of :data:`SOURCES`.
    funding: tuple[tuple[int, int, int], ...]
    field: tuple[str, str, str] = _FIELDS[0]

    @property
    def is_group(self) -> bool:
        return self.label.startswith("Ο")

    def cells(self) -> list[str]:
        """The record's cells, in the header's order."""
        field, sector, committee = self.field
        object_code, object_name, code, name = self.category
        head = [str(self.year), self.kind, field, sector, committee, f"{self.department} 정책", self.project[:12],
                "100", "일반회계", self.project, "보조" if self.grant else "자체", self.department, object_code,
                object_name, code, name, "재량" if self.formula else "", self.label, self.formula]
        return head + [number(v) for v in (self.amount, self.previous, self.change)] + [
            number(v) for triple in self.funding for v in triple]


def number(value: int) -> str:
    """``1370000`` → ``1,370,000``; negatives with ``-``."""
    return f"{value:,}"


def csv_line(cells: Sequence[str]) -> str:
    """Cells joined as e호조 writes them: a cell with a comma or a quote is quoted."""
    return ",".join(f'"{c.replace(chr(34), chr(34) * 2)}"' if ("," in c or '"' in c) else c for c in cells)


def _shares(draw: Draw, amount: int, grant: bool) -> list[int]:
    """How ``amount`` splits over the sources: all 자체재원, or a grant share and the rest."""
    shares = [0] * len(SOURCES)
    if not grant:
        shares[OWN] = amount
        return shares
    funder = draw.choice((NATIONAL, REGIONAL))
    part = amount * draw.choice((30, 50, 70, 100)) // 100
    shares[funder] = part
    shares[OWN] = amount - part
    return shares


def _funding(current: Sequence[int], previous: Sequence[int]) -> tuple[tuple[int, int, int], ...]:
    return tuple((c, p, c - p) for c, p in zip(current, previous))


def _formula(draw: Draw) -> tuple[str, int]:
    """A formula in one of the shapes real exports use, and its 예산액: the 원 result rounded up to 천원."""
    shape = draw.integer(0, 5)
    if shape == 0:  # a lump sum: 2,700,000원, 1,370,000,000원
        price = draw.integer(1, 900) * draw.choice((100_000, 1_000_000))
    else:  # a unit price: 9,000원, 150,000원
        price = draw.integer(1, 500) * draw.choice((1_000, 10_000))
    terms: list[tuple[int, str]] = []
    if shape >= 1:
        terms.append((draw.integer(1, 30), draw.choice(_UNITS)))
    if shape >= 2:
        terms.append((draw.integer(1, 12), "월"))
    if shape == 3:
        terms.insert(1, (draw.integer(1, 20), "일"))
    won = Fraction(price)
    for n, _ in terms:
        won *= n
    text = f"{price:,}원" + "".join(f"*{n}{unit}" for n, unit in terms)
    if shape >= 4:
        rate = draw.choice((50, 80, 90))
        won = won * rate / 100
        text += f"*{rate}%"
    return text, math.ceil(won / 1000)


def _group(draw: Draw, base: dict, label: str, items: int) -> list[Record]:
    """One Ο row: a formula row, or (``items`` > 0) a subtotal of ο rows; a 추경 restatement sometimes follows."""
    grant = base["grant"]
    if not items:
        formula, amount = _formula(draw)
        shares = _shares(draw, amount, grant)
        zero = [0] * len(SOURCES)
        rows = [Record(label="Ο" + label, formula=formula, amount=amount, previous=0, change=amount,
                       funding=_funding(shares, zero), **base)]
        if draw.integer(0, 9) == 0:  # revised in the supplementary budget: 기정 is the 본예산 row
            new = max(amount + draw.integer(-amount, amount), 0)
            new_shares = _shares(draw, new, grant)
            rows.append(Record(label="Ο" + label, formula=f"경정 {new * 1000:,}원", amount=new, previous=amount,
                               change=new - amount, funding=_funding(new_shares, shares),
                               **{**base, "kind": "추경1회"}))
        return rows
    children = []
    totals = [0] * len(SOURCES)
    for i in range(items):
        formula, amount = _formula(draw)
        shares = _shares(draw, amount, grant)
        totals = [t + s for t, s in zip(totals, shares)]
        children.append(Record(label=f"  ο{draw.choice(_ITEMS)} {i + 1}", formula=formula, amount=amount,
                               previous=0, change=amount, funding=_funding(shares, [0] * len(SOURCES)), **base))
    amount = sum(c.amount for c in children)
    group = Record(label="Ο" + label, formula="", amount=amount, previous=0, change=amount,
                   funding=_funding(totals, [0] * len(SOURCES)), **base)
    return [group, *children]


def _project(draw: Draw, year: int, number_: int, department: str, field: tuple, room: int) -> list[Record]:
    """A 세부사업 of at most ``room`` rows: one to three 통계목, each with a few Ο rows."""
    project = f"{draw.choice(_TOPICS)} {number_}"
    grant = draw.integer(0, 3) == 0
    rows: list[Record] = []
    for _ in range(draw.integer(1, 3)):
        base = dict(year=year, kind="본예산", project=project, department=department, grant=grant,
                    category=draw.choice(CATEGORIES), field=field)
        for g in range(draw.integer(1, 4)):
            left = room - len(rows)
            if left <= 0:
                return rows
            items = draw.choice((0, 0, 0, 2, 3)) if left >= 5 else 0
            group = _group(draw, base, f"{draw.choice(_ITEMS)} {number_}-{g + 1}", items)
            rows.extend(group[:left] if len(group) == 2 and not items else group)
    return rows


def records(draw: Draw, count: int, *, year: int = 2026) -> Iterator[Record]:
    """Exactly ``count`` records: departments in turn, each with a run of 세부사업."""
    made = project_no = 0
    while made < count:
        department = draw.choice(_DEPARTMENTS)
        field = draw.choice(_FIELDS)
        for _ in range(draw.integer(1, 8)):
            project_no += 1
            for record in _project(draw, year, project_no, department, field, count - made):
                yield record
                made += 1
            if made >= count:
                return


def export_lines(rows: Iterator[Record] | Sequence[Record]) -> Iterator[str]:
    """The export's text lines: both header lines, then one line per record."""
    yield HEADER
    yield SUB_HEADER
    for record in rows:
        yield csv_line(record.cells())


def export_bytes(rows: Sequence[Record], *, encoding: str = "utf-8", newline: str = "\n") -> bytes:
    """A whole export as bytes (``encoding`` may be ``cp949`` or ``utf-8-sig``)."""
    return "".join(line + newline for line in export_lines(rows)).encode(encoding)


def write_export(path: str, count: int, *, seed: int = 0, encoding: str = "utf-8",
                 progress: Callable[[int], None] | None = None) -> int:
    """Write an export of ``count`` records to ``path`` without holding it in memory; returns its bytes."""
    size = 0
    with open(path, "w", encoding=encoding, newline="") as out:
        for n, line in enumerate(export_lines(records(RandomDraw(seed), count))):
            size += out.write(line + "\n")
            if progress and n and n % 10_000 == 0:
                progress(n)
    return size
