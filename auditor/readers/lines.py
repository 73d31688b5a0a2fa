"""Decode a byte stream one line at a time, so that a large export never sits in memory whole.

The encoding is chosen once, as :func:`auditor.readers.decode.decode` chooses it for a whole file:
a BOM, else the first of ``TRIED`` that decodes strictly, judged here on the first
:data:`SNIFF_BYTES` from the first line that is not plain ASCII. A later line that does not decode
is read with replacement characters, and ``bad_line`` names the first such line (PARSE001). NUL bytes
are read as U+FFFD, as :func:`~auditor.readers.decode.decode` reads them; a file whose first line
holds one (UTF-16 without a BOM, or a binary file) is decoded whole, as the rare UTF-16 export is.
Lines end at CRLF, CR or LF, as in :func:`~auditor.readers.decode.split_lines`.
"""

from __future__ import annotations

import codecs
import itertools
from collections.abc import Iterator

from auditor.readers.decode import TRIED, decode

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import BinaryIO

__all__ = ["SNIFF_BYTES", "LineStream"]

#: How much text decides the encoding when there is no BOM.
SNIFF_BYTES = 1 << 16
_UTF16 = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


class LineStream:
    """The decoded lines of ``raw`` in order; ``encoding``, ``bad_line`` and ``count`` fill in as it is read.

    ``first`` is the file's first line (``raw.readline()``) when the caller has already read it to
    recognise the file.
    """

    def __init__(self, raw: BinaryIO, first: bytes | None = None) -> None:
        self.raw, self.first = raw, first
        self.encoding = "utf-8"
        #: The first line that did not decode, and the encodings it was tried with.
        self.bad_line: int | None = None
        self.tried = ""
        self.count = 0
        #: NUL bytes were read as U+FFFD; the file is binary (not read: no lines).
        self.nul = self.binary = False

    def __iter__(self) -> Iterator[str]:
        first = self.raw.readline() if self.first is None else self.first
        if not first:
            return
        if first.startswith(_UTF16) or b"\x00" in first:  # not splittable as bytes: read whole
            yield from self._whole(first)
            return
        encoding = None
        if first.startswith(codecs.BOM_UTF8):
            first, encoding, self.encoding = first[len(codecs.BOM_UTF8):], "utf-8", "utf-8-sig"
        lines = itertools.chain(_pieces(first), _split(self.raw))
        for line in lines:
            if encoding is None:
                if line.isascii():
                    yield self._decode(line, "utf-8")
                    continue
                window = [line]
                encoding = self._sniff(window, lines)
                for held in window:
                    yield self._decode(held, encoding)
                continue
            # _decode, inline for the usual line (it decodes and holds no NUL); any other through it
            try:
                text = line.decode(encoding)
            except UnicodeDecodeError:
                yield self._decode(line, encoding)
                continue
            if "\x00" in text:
                yield self._decode(line, encoding)
                continue
            self.count += 1
            yield text

    def _sniff(self, pending: list[bytes], more: Iterator[bytes]) -> str:
        """Read ahead up to :data:`SNIFF_BYTES` into ``pending`` and choose the encoding."""
        size = sum(len(p) for p in pending)
        for chunk in more:
            pending.append(chunk)
            size += len(chunk)
            if size >= SNIFF_BYTES:
                break
        sample = b"\n".join(pending)
        for encoding in TRIED:
            try:
                sample.decode(encoding)
            except UnicodeDecodeError:
                continue
            self.encoding = encoding
            return encoding
        self.tried = ", ".join(("BOM",) + TRIED)
        self.encoding = "utf-8"
        return "utf-8"

    def _decode(self, line: bytes, encoding: str) -> str:
        self.count += 1
        try:
            text = line.decode(encoding)
        except UnicodeDecodeError:
            self._bad(encoding)
            text = line.decode(encoding, errors="replace")
        if "\x00" in text:
            self._bad(encoding)
            self.nul = True
            text = text.replace("\x00", "\ufffd")
        return text

    def _bad(self, encoding: str) -> None:
        if self.bad_line is None:
            self.bad_line = self.count
            self.tried = self.tried or encoding
            self.encoding += " (replaced)"

    def _whole(self, first: bytes) -> Iterator[str]:
        data = first + self.raw.read()
        decoded = decode(data)
        self.encoding, self.nul, self.binary = decoded.encoding, decoded.nul, decoded.binary
        if decoded.bad_line is not None:
            self.bad_line, self.tried = decoded.bad_line, ", ".join(("BOM",) + TRIED)
        for line in decoded.lines:
            self.count += 1
            yield line


def _split(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """The lines of ``readline`` chunks: :func:`_pieces` of each, inline."""
    for chunk in chunks:
        if chunk.endswith(b"\n"):
            chunk = chunk[:-2] if chunk.endswith(b"\r\n") else chunk[:-1]
        elif chunk.endswith(b"\r"):
            chunk = chunk[:-1]
        if b"\r" in chunk:
            yield from chunk.split(b"\r")
        else:
            yield chunk


def _pieces(chunk: bytes) -> list[bytes]:
    """One ``readline`` chunk as lines: the LF or CRLF end dropped, a lone CR splitting it further."""
    if chunk.endswith(b"\n"):
        chunk = chunk[:-2] if chunk.endswith(b"\r\n") else chunk[:-1]
    elif chunk.endswith(b"\r"):  # the file's last line, ended by a CR
        chunk = chunk[:-1]
    return chunk.split(b"\r") if b"\r" in chunk else [chunk]
