"""Turn a file's bytes into text lines: BOM, strict UTF-8, CP949/EUC-KR, else replacement."""

from __future__ import annotations

import codecs
import re

import attrs

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
#: Encodings tried, in order, when there is no BOM. CP949 is a superset of EUC-KR.
TRIED = ("utf-8", "cp949")
_NEWLINE = re.compile(r"\r\n|\r|\n")


@attrs.frozen
class Decoded:
    """Decoded text: its lines, the encoding used, and (when nothing fitted) where the first bad byte sat."""

    lines: tuple[str, ...]
    encoding: str
    bad_line: int | None = None


def split_lines(text: str) -> tuple[str, ...]:
    """Lines split on CRLF, CR or LF only (not on the other separators ``str.splitlines`` knows)."""
    lines = _NEWLINE.split(text)
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()
    return tuple(lines)


def decode(data: bytes) -> Decoded:
    """Decode by BOM, else the first of :data:`TRIED` that fits strictly, else UTF-8 with replacement."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(split_lines(data[len(bom):].decode(encoding.removesuffix("-sig"))), encoding)
            except UnicodeDecodeError:
                break
    for encoding in TRIED:
        try:
            return Decoded(split_lines(data.decode(encoding)), encoding)
        except UnicodeDecodeError:
            continue
    try:
        data.decode("utf-8")
        bad_at = 0
    except UnicodeDecodeError as err:
        bad_at = err.start
    bad_line = data.count(b"\n", 0, bad_at) + 1
    return Decoded(split_lines(data.decode("utf-8", errors="replace")), "utf-8 (replaced)", bad_line)
