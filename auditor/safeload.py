"""Read the small files that steer a run (configuration, rule packs, vocabularies, baselines) safely.

Each is a regular file (a FIFO, device or socket is refused before it is opened, so nothing
blocks or reads forever), read up to a size bound, and decoded as UTF-8; a UTF-8, UTF-16 or
UTF-32 byte-order mark says the encoding for certain, and is honoured. Anything else that is not
UTF-8 (CP949 saved by a Korean Windows editor, UTF-16 without a BOM) is refused with the line and
column of the first byte that is not UTF-8, since its encoding can only be guessed. Before the
text is parsed, a linear scan refuses what would make the parser recurse or allocate without
bound: brackets nested deeper than :data:`MAX_NESTING`, and numbers of more than
:data:`MAX_NUMBER_DIGITS` digits or out of TOML's range (64-bit integers, floats within ±1e400).
Every refusal is a :class:`LoadError` with the file, line and column, in Korean and English.
"""

from __future__ import annotations

import codecs
import json
import os
import re
from decimal import Decimal
from pathlib import Path

from auditor import recache

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["LoadError", "MAX_NESTING", "MAX_NUMBER_DIGITS", "MAX_TOML_BYTES", "load_json", "load_toml",
           "loads_toml", "read_bounded", "read_toml_text"]

#: A configuration file, rule pack or vocabulary larger than this is refused (the built-in packs are ~10 KB).
MAX_TOML_BYTES = 4 * 1024 * 1024
#: Arrays and tables (inline or by dotted keys) nested deeper than this are refused.
MAX_NESTING = 64
#: A number literal with more digits than this is refused (TOML integers are 64-bit: 19 digits).
MAX_NUMBER_DIGITS = 100
_INT_RANGE = (-(2**63), 2**63 - 1)
_MAX_EXPONENT = 400
_CHUNK = 1 << 20
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


class LoadError(Exception):
    """A file that cannot be used; ``str()`` is ``path:line:column: message`` in English."""

    def __init__(self, path: str, line: int, column: int, message_ko: str, message_en: str, *,
                 syntax: bool = False) -> None:
        self.path, self.line, self.column = path, line, column
        #: The reason alone, without the place; ``syntax`` is true for what the parser itself refused.
        self.reason_ko, self.reason_en, self.syntax = message_ko, message_en, syntax
        self.where = f"{path}:{line}:{column}" if line else path
        self.message_ko = f"{self.where}: {message_ko}"
        super().__init__(f"{self.where}: {message_en}")

    def message(self, lang: str = "ko") -> str:
        return str(self) if lang == "en" else self.message_ko


def read_bounded(path: str | os.PathLike, limit: int, what_ko: str = "파일", what_en: str = "file") -> bytes:
    """The bytes of the regular file at ``path``, or :class:`LoadError` (not regular, unreadable, over ``limit``)."""
    from auditor.readers import InputError
    from auditor.readers.opening import open_regular

    shown = os.fspath(path)
    try:
        raw = open_regular(path, shown)
    except InputError as e:
        raise LoadError(shown, 0, 0, e.message_ko, e.message_en) from None
    with raw:
        chunks, size = [], 0
        try:
            while size <= limit:
                chunk = raw.read(min(_CHUNK, limit + 1 - size))
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
        except OSError as e:
            reason = e.strerror or str(e)
            raise LoadError(shown, 0, 0, f"읽을 수 없습니다: {reason}", f"cannot read: {reason}") from None
    if size > limit:
        raise LoadError(shown, 0, 0, f"{what_ko}이 너무 큽니다 ({limit:,}바이트 초과)",
                        f"the {what_en} is too large (over {limit:,} bytes)")
    return b"".join(chunks)


def decode_text(data: bytes, shown: str) -> str:
    """``data`` as text: UTF-8, or the encoding a byte-order mark names; else :class:`LoadError` at the bad byte."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding).removeprefix("\ufeff")
            except UnicodeDecodeError as e:
                raise _not_utf8(data, e, shown, encoding) from None
    nul = data.find(b"\x00")
    if nul != -1:  # no TOML or JSON holds one: most likely UTF-16 or UTF-32 saved without a BOM
        line, column = _position(data.decode("utf-8", "replace"), nul) if nul else (1, 1)
        raise LoadError(shown, line, column, "NUL 바이트가 있습니다: BOM 없는 UTF-16인가요? UTF-8로 저장하세요",
                        "a NUL byte: UTF-16 without a byte-order mark? Save the file as UTF-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise _not_utf8(data, e, shown, "utf-8") from None


def _not_utf8(data: bytes, err: UnicodeDecodeError, shown: str, encoding: str) -> LoadError:
    if encoding == "utf-8":
        before = data[: err.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1:].decode("utf-8", "replace")) + 1
        byte = data[err.start]
        return LoadError(shown, line, column,
                         f"UTF-8이 아닙니다 (바이트 0x{byte:02X}; CP949/EUC-KR로 저장했나요?): UTF-8로 저장하세요",
                         f"not UTF-8 (byte 0x{byte:02X}; saved as CP949/EUC-KR?): save the file as UTF-8")
    return LoadError(shown, 0, 0, f"{encoding} BOM이 있지만 그렇게 읽히지 않습니다", f"has a {encoding} byte-order mark "
                     "but does not decode as such")


def read_toml_text(path: str | os.PathLike, limit: int = MAX_TOML_BYTES) -> str:
    """The text of a TOML file, read as :func:`read_bounded` and :func:`decode_text` read it."""
    shown = os.fspath(path)
    return decode_text(read_bounded(path, limit, "TOML 파일", "TOML file"), shown)


def load_toml(path: str | os.PathLike, limit: int = MAX_TOML_BYTES) -> tuple[dict[str, Any], str]:
    """A TOML file as ``(document, text)``, floats as ``Decimal``; :class:`LoadError` for anything unsafe or invalid."""
    text = read_toml_text(path, limit)
    return loads_toml(text, os.fspath(path)), text


def loads_toml(text: str, shown: str) -> dict[str, Any]:
    """Parse TOML ``text`` (named ``shown`` in errors) after the nesting and number checks."""
    import tomllib

    scan_toml(text, shown)
    try:
        doc = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(e))
        if m:
            line, column = int(m.group(1)), int(m.group(2))
        else:  # "(at end of document)": the end of the last line with text
            end = len(text.rstrip())
            line, column = _position(text, end) if end else (1, 1)
        message = re.sub(r"\s*\(at (?:line \d+, column \d+|end of document)\)", "", str(e))
        raise LoadError(shown, line, column, f"TOML 문법 오류: {message}", f"invalid TOML: {message}",
                        syntax=True) from None
    except (RecursionError, ValueError, MemoryError) as e:  # the scan should have caught these
        raise LoadError(shown, 1, 1, f"읽을 수 없는 TOML입니다 ({type(e).__name__})",
                        f"TOML that cannot be read safely ({type(e).__name__}: {str(e)[:100]})") from None
    _check_depth(doc, text, shown)
    return doc


# -- the scan: linear, before any parser sees the text -----------------------------------------------

_NUMBER = recache.compile(r"[+-]?(?:0x[0-9A-Fa-f_]+|0o[0-7_]+|0b[01_]+|[0-9_]+(?:\.[0-9_]+)?(?:[eE][+-]?[0-9_]+)?)")
_TOKEN_END = recache.compile(r"[\s,\]\}#=]")


def scan_toml(text: str, shown: str) -> None:
    """Refuse brackets nested too deep and number literals too long or out of range, at their line and column."""
    _scan(text, shown, "\"'", _skip_string, "#", _toml_number)


def _toml_number(text: str, i: int, shown: str) -> int | None:
    """The index past the number literal starting at ``i`` (checked), or None if none starts there."""
    if text[i] not in "+-0123456789" or (i and (text[i - 1].isalnum() or text[i - 1] in "_-:.")):
        return None
    end = _TOKEN_END.search(text, i)
    stop = len(text) if end is None else end.start()
    _check_number(text, i, stop, shown)
    return stop


def _scan(text: str, shown: str, quotes: str, skip_string, comment: str, number) -> None:
    """The one linear scan of TOML and JSON: strings and comments skipped, brackets counted, numbers checked."""
    depth, i, n = 0, 0, len(text)
    while i < n:
        c = text[i]
        if c in quotes:
            i = skip_string(text, i, shown)
            continue
        if c == comment:
            end = text.find("\n", i)
            i = n if end == -1 else end
            continue
        if c in "[{":
            depth += 1
            if depth > MAX_NESTING:
                raise _deep(text, i, shown)
        elif c in "]}":
            depth = max(depth - 1, 0)
        else:
            stop = number(text, i, shown)
            if stop is not None:
                i = max(stop, i + 1)
                continue
        i += 1


def _skip_string(text: str, i: int, shown: str) -> int:
    """The index just past the string that starts at ``i`` (an unclosed one runs to the end: tomllib reports it)."""
    quote = text[i]
    if text.startswith(quote * 3, i):
        end = text.find(quote * 3, i + 3)
        if end == -1:
            return len(text)
        end += 3
        while end < len(text) and text[end] == quote:  # up to two quotes may end the content: """a""""
            end += 1
        return end
    j = i + 1
    while j < len(text):
        ch = text[j]
        if ch == "\\" and quote == '"':
            j += 2
            continue
        if ch == quote or ch == "\n":
            return j + 1
        j += 1
    return j


def _check_number(text: str, start: int, stop: int, shown: str) -> None:
    token = text[start:stop]
    m = _NUMBER.fullmatch(token)
    if m is None:
        return  # a date, a time, a bare key, inf/nan: not a number tomllib would turn into a big int
    digits = sum(ch.isdigit() for ch in token)
    line, column = _position(text, start)
    if digits > MAX_NUMBER_DIGITS:
        raise LoadError(shown, line, column, f"숫자가 너무 깁니다 ({digits:,}자리; 최대 {MAX_NUMBER_DIGITS}자리)",
                        f"a number of {digits:,} digits (at most {MAX_NUMBER_DIGITS})")
    plain = token.replace("_", "")
    try:
        if re.fullmatch(r"[+-]?(?:0[xob].+|[0-9]+)", plain):
            sign = -1 if plain.startswith("-") else 1
            body = plain.lstrip("+-")
            base = {"0x": 16, "0o": 8, "0b": 2}.get(body[:2], 10)
            value = sign * int(body[2:] if base != 10 else body, base)
            if not _INT_RANGE[0] <= value <= _INT_RANGE[1]:
                raise LoadError(shown, line, column, "정수가 64비트 범위(±9,223,372,036,854,775,807)를 넘습니다",
                                "an integer out of TOML's 64-bit range (±9,223,372,036,854,775,807)")
        elif "e" in plain.lower():
            exponent = int(re.split("[eE]", plain)[1])
            if abs(exponent) > _MAX_EXPONENT:
                raise LoadError(shown, line, column, f"지수가 너무 큽니다 (최대 ±{_MAX_EXPONENT})",
                                f"an exponent out of range (at most ±{_MAX_EXPONENT})")
    except ValueError:
        return  # not a well-formed number after all: tomllib says what is wrong


def _deep(text: str, i: int, shown: str) -> LoadError:
    line, column = _position(text, i)
    return LoadError(shown, line, column, f"{MAX_NESTING}단계보다 깊게 중첩되어 있습니다",
                     f"nested deeper than {MAX_NESTING}")


def _position(text: str, i: int) -> tuple[int, int]:
    line = text.count("\n", 0, i) + 1
    return line, i - (text.rfind("\n", 0, i) + 1) + 1


def _check_depth(doc: Any, text: str, shown: str) -> None:
    """Tables nested by dotted keys (``[a.b.c…]``) are not brackets: measure the document itself."""
    stack = [(doc, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_NESTING:
            lines = text.split("\n")
            worst = max(range(len(lines)), key=lambda k: lines[k].count("."), default=0)
            raise LoadError(shown, worst + 1, 1, f"{MAX_NESTING}단계보다 깊게 중첩되어 있습니다",
                            f"nested deeper than {MAX_NESTING}")
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)


# -- JSON (baselines) --------------------------------------------------------------------------------

def load_json(path: str | os.PathLike, limit: int, what_ko: str = "파일", what_en: str = "file") -> Any:
    """A JSON file, read as :func:`read_bounded` reads it, after the nesting and number checks."""
    shown = os.fspath(path)
    text = decode_text(read_bounded(path, limit, what_ko, what_en), shown)
    scan_json(text, shown)
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise LoadError(shown, e.lineno, e.colno, f"JSON이 아닙니다: {e.msg}", f"not JSON: {e.msg}",
                        syntax=True) from None
    except (RecursionError, ValueError) as e:  # the scan should have caught these
        raise LoadError(shown, 1, 1, f"읽을 수 없는 JSON입니다 ({type(e).__name__})",
                        f"JSON that cannot be read safely ({type(e).__name__})") from None


_JSON_DIGITS = recache.compile(r"[0-9]{%d,}" % (MAX_NUMBER_DIGITS + 1))


def scan_json(text: str, shown: str) -> None:
    """Refuse JSON nested more than :data:`MAX_NESTING` deep or with a number of too many digits."""
    _scan(text, shown, '"', _skip_json_string, "", _json_number)


def _skip_json_string(text: str, i: int, shown: str) -> int:
    j, n = i + 1, len(text)
    while j < n and text[j] != '"':
        j += 2 if text[j] == "\\" else 1
    return j + 1


def _json_number(text: str, i: int, shown: str) -> int | None:
    if not text[i].isdigit():
        return None
    if _JSON_DIGITS.match(text, i):
        line, column = _position(text, i)
        raise LoadError(shown, line, column, f"숫자가 너무 깁니다 (최대 {MAX_NUMBER_DIGITS}자리)",
                        f"a number of more than {MAX_NUMBER_DIGITS} digits")
    j = i
    while j < len(text) and text[j].isdigit():
        j += 1
    return j


def is_regular(path: Path) -> bool:
    """Is ``path`` (followed through links) a regular file? False when it does not exist."""
    import stat

    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False
