"""The reader's problem codes (the ``PARSE`` family): code, dotted name, and bilingual messages."""

from __future__ import annotations

from auditor.model import Problem
from auditor.source import Source
from auditor.plain import Field, Frozen, frozen


_set = object.__setattr__


class ProblemKind(Frozen):
    """One reader problem code. Messages are ``str.format`` templates over the problem's details."""

    __slots__ = ("code", "name", "message_ko", "message_en", "__weakref__")
    code: str
    name: str
    message_ko: str
    message_en: str

    def __init__(self, code: str, name: str, message_ko: str, message_en: str) -> None:
        _set(self, "code", code)
        _set(self, "name", name)
        _set(self, "message_ko", message_ko)
        _set(self, "message_en", message_en)


frozen(ProblemKind, Field("code"), Field("name"), Field("message_ko"), Field("message_en"))


#: The stable table of reader problems. Severity and long docs live in the ``rules/parse.toml`` pack.
KINDS: tuple[ProblemKind, ...] = (
    ProblemKind(
        "PARSE001", "parse.undecodable",
        "파일을 해독할 수 없습니다 ({tried} 시도). {how}",
        "file is not decodable (tried {tried}); {how_en}",
    ),
    ProblemKind(
        "PARSE002", "parse.line-not-placed",
        "이 줄을 사업설명서의 어느 부분에도 넣을 수 없습니다: {why}",
        "this line could not be placed in the sheet: {why_en}",
    ),
    ProblemKind(
        "PARSE003", "parse.missing-cell",
        "{table}의 '{column}' 칸이 비어 있거나 없습니다.",
        "{table_en}: the '{column}' cell is empty or missing.",
    ),
    ProblemKind(
        "PARSE004", "parse.unreadable-number",
        "{table}의 '{column}' 칸을 숫자로 읽을 수 없습니다: '{text}'{note}",
        "{table_en}: the '{column}' cell is not a number: '{text}'{note_en}",
    ),
    ProblemKind(
        "PARSE005", "parse.unknown-header",
        "알 수 없는 제목·표 머리·단위 표기입니다: '{text}'{note}",
        "unknown heading, table header or unit note: '{text}'{note_en}",
    ),
    ProblemKind(
        "PARSE006", "parse.extra-cell",
        "{table}의 칸 수보다 많은 칸이 있어 읽지 않았습니다: '{text}'",
        "{table_en}: a cell beyond the table's columns was not read: '{text}'",
    ),
    ProblemKind(
        "PARSE007", "parse.part-missing",
        "사업설명서의 핵심 부분이 없습니다: {text}{note}",
        "the sheet lacks core parts: {text_en}{note_en}",
    ),
    ProblemKind(
        "PARSE008", "parse.unknown-budget-kind",
        "알 수 없는 예산구분입니다: '{text}'. 본예산·추경·간주 다음의 별도 예산으로 보고 읽었습니다.",
        "unknown 예산구분 (budget version) '{text}': read as a version of its own, after 본예산, the 추경 and the 간주 rounds.",
    ),
    ProblemKind(
        "PARSE009", "parse.formula-reading",
        "산출식을 이렇게 읽었습니다: {why}",
        "how the formula was read: {why_en}",
    ),
)

#: What PARSE001 says was done with the bytes: replaced (the default), NUL bytes replaced, or nothing read.
READ_AS_REPLACEMENT = ("깨진 글자는 �로 바꾸어 읽었습니다.", "undecodable bytes were read as �.")
READ_NUL = ("NUL 바이트와 깨진 글자는 �로 바꾸어 읽었습니다.", "NUL bytes and undecodable bytes were read as �.")
READ_NOTHING = ("글자가 아닌 바이트(NUL, 제어 문자)가 많아 이진 파일로 보고 내용을 읽지 않았습니다.",
                "mostly bytes that are not text (NUL, control characters): a binary file, not read.")

BY_CODE: dict[str, ProblemKind] = {k.code: k for k in KINDS}
(UNDECODABLE, NOT_PLACED, MISSING_CELL, BAD_NUMBER, UNKNOWN_HEADER, EXTRA_CELL, PART_MISSING,
 UNKNOWN_KIND, FORMULA_READING) = (k.code for k in KINDS)

#: The core parts every whole sheet has (PARSE007 names the missing ones): a part is there when its
#: row or table header and at least one row of it were read.
CORE_PARTS: dict[str, tuple[str, str]] = {
    "overview": ("사업개요(사업비)", "overview (사업비)"),
    "summary": ("예산 총괄", "budget summary"),
    "basis": ("산출근거", "basis of calculation"),
}

#: Korean and English names of the parts of a sheet, used in messages.
TABLES: dict[str, tuple[str, str]] = {
    "overview": ("사업개요", "overview"),
    "department": ("사업 담당자", "department"),
    "summary": ("예산 총괄", "budget summary"),
    "basis": ("산출근거", "basis of calculation"),
    "activities": ("사업내용", "activities"),
    "schedule": ("추진일정", "schedule"),
    "achievements": ("추진실적", "achievements"),
    "settlement": ("결산 현황", "settlement"),
}


#: The most characters of sheet text a message quotes (the finding's source keeps all of it).
QUOTE_LENGTH = 100


def make(code: str, source: Source, **details: str) -> Problem:
    """A Problem of the given code at ``source``; ``table=`` may name a key of :data:`TABLES`."""
    kind = BY_CODE[code]
    table = details.pop("table", "")
    ko_name, en_name = TABLES.get(table, (table, table))
    fields = {"table": ko_name, "table_en": en_name, "column": "", "text": "", "text_en": "", "why": "", "why_en": "",
              "tried": "", "how": READ_AS_REPLACEMENT[0], "how_en": READ_AS_REPLACEMENT[1]}
    fields.update(details)
    for key in ("text", "text_en"):  # sheet text quoted in a message: a line can be very long
        if len(fields[key]) > QUOTE_LENGTH:
            fields[key] = fields[key][:QUOTE_LENGTH] + "…"
    for key in ("note", "note_en"):  # an optional reason, shown in parentheses after the message
        fields[key] = f" ({details[key]})" if details.get(key) else ""
    return Problem(kind.code, kind.message_ko.format(**fields), kind.message_en.format(**fields), source)
