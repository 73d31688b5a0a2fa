"""Turn a file's bytes into text lines: BOM, UTF-16 without one, strict UTF-8, CP949/EUC-KR, else replacement."""

from __future__ import annotations

import codecs

from auditor import recache
from auditor.lazyre import lazy
from auditor.plain import Field, Frozen, frozen

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: its BOM starts with that one's
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
#: Encodings tried, in order, when there is no BOM. CP949 is a superset of EUC-KR.
TRIED = ("utf-8", "cp949")
_NEWLINE = recache.compile(r"\r\n|\r|\n")
#: How much of the start of a file decides whether it is UTF-16 without a BOM, or binary.
SAMPLE = 8192
#: Characters that text never holds: NUL and the other C0 controls but tab, LF, VT, FF and CR, and DEL.
_CONTROL = recache.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
#: The bytes those characters come from in every encoding read here: a byte that is none of them is
#: part of no such character (in UTF-8 and CP949 they stand only for themselves; in UTF-16 and UTF-32
#: each such character holds a NUL byte).
_CONTROL_BYTE = recache.compile(rb"[\x00-\x08\x0e-\x1f\x7f]")
#: The same bytes, each as an int, for :func:`has_control_byte`: ``int in bytes`` is a ``memchr``, so 29
#: of them scan a sheet of 4-5 KB in half the instructions of one ``bytes.translate`` (which copies it).
_CONTROL_BYTES = tuple([*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F])
#: The same, and the replacement character that undecodable bytes became.
_JUNK = lazy(r"[\x00-\x08\x0e-\x1f\x7f\ufffd]")
#: A file whose sample holds a control character and is more than this share junk is binary: none of
#: its lines is read. (Replacement characters alone are text in an unknown encoding, read as such.)
BINARY_SHARE = 0.1


_set = object.__setattr__


class Decoded(Frozen):
    """Decoded text: its lines, the encoding used, and (when nothing fitted) where the first bad byte sat.

    ``nul`` says NUL bytes were found (and read as U+FFFD); ``binary`` that the file is not text
    at all (:data:`BINARY_SHARE`), so ``lines`` is empty and ``bad_line`` is 1.
    """

    __slots__ = ("lines", "encoding", "bad_line", "nul", "binary", "__weakref__")
    lines: tuple[str, ...]
    encoding: str
    bad_line: int | None
    nul: bool
    binary: bool

    def __init__(
        self, lines: tuple[str, ...],
        encoding: str,
        bad_line: int | None = None,
        nul: bool = False,
        binary: bool = False,
    ) -> None:
        _set(self, "lines", lines)
        _set(self, "encoding", encoding)
        _set(self, "bad_line", bad_line)
        _set(self, "nul", nul)
        _set(self, "binary", binary)


frozen(Decoded, Field("lines"), Field("encoding"), Field("bad_line", default=None), Field("nul", default=False), Field("binary", default=False))


def split_lines(text: str) -> tuple[str, ...]:
    """Lines split on CRLF, CR or LF only (not on the other separators ``str.splitlines`` knows)."""
    if "\r" in text:  # CRLF first, as the pattern \r\n|\r|\n takes it at each place; then a lone CR
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()
    return tuple(lines)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a BOM: NUL bytes mostly at odd offsets (LE) or mostly at even ones (BE)."""
    sample = data[:SAMPLE]
    pairs = len(sample) // 2
    if pairs < 2 or len(data) % 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    for nuls, other, encoding in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if nuls >= pairs // 10 and other <= nuls // 4:  # 가 (U+AC00) and a few others hold a NUL too
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                return None
    return None


def _text(data: bytes) -> tuple[str, str, int | None]:
    """``(text, encoding, offset of the first undecodable byte or None)``."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding.removesuffix("-sig")), encoding, None
            except UnicodeDecodeError:
                break
    if data.find(b"\x00", 0, SAMPLE) >= 0:
        text = _utf16_without_bom(data)
        if text is not None:
            return text, "utf-16 (no BOM)", None
    for encoding in TRIED:
        try:
            return data.decode(encoding), encoding, None
        except UnicodeDecodeError:
            continue
    try:
        data.decode("utf-8")
        bad_at = 0
    except UnicodeDecodeError as err:
        bad_at = err.start
    return data.decode("utf-8", errors="replace"), "utf-8 (replaced)", bad_at


def decode(data: bytes) -> Decoded:
    """Decode by BOM, UTF-16 without one, the first of :data:`TRIED` that fits strictly, else UTF-8 with
    replacement; NUL bytes are read as U+FFFD, and a file that is mostly junk is binary (no lines)."""
    text, encoding, bad_at = _text(data)
    bad_line = None if bad_at is None else data.count(b"\n", 0, bad_at) + 1
    if not has_control_byte(data):  # then the text has no control character (nor NUL) either
        return Decoded(split_lines(text), encoding, bad_line)
    return _screened(text, encoding, bad_line)


def has_control_byte(data: bytes) -> bool:
    """Does ``data`` hold one of :data:`_CONTROL_BYTE`'s bytes (``tests/test_reader_fast.py`` compares them)?"""
    return any(map(data.__contains__, _CONTROL_BYTES))


def _screened(text: str, encoding: str, bad_line: int | None) -> Decoded:
    """The text as :func:`decode` gives it when it may hold control characters: binary, or NULs replaced."""
    sample = text[:SAMPLE]
    if _CONTROL.search(sample) and len(_JUNK.findall(sample)) > BINARY_SHARE * len(sample):
        return Decoded((), encoding, 1, nul="\x00" in text, binary=True)
    nul = text.find("\x00")
    if nul >= 0:
        nul_line = len(_NEWLINE.findall(text, 0, nul)) + 1
        bad_line = nul_line if bad_line is None else min(bad_line, nul_line)
        text = text.replace("\x00", "\ufffd")
    return Decoded(split_lines(text), encoding, bad_line, nul=nul >= 0)
