"""The line stream (``auditor.readers.lines.LineStream``) against the way it read lines before its loop
was made inline (each ``readline`` chunk through ``_pieces``, each line through ``_decode``): the same
lines, encoding, first undecodable line, NUL flag and count, on bytes with every line end, non-ASCII
text in UTF-8 and CP949, undecodable bytes and NULs."""

from __future__ import annotations

import io
import itertools

from hypothesis import given, settings, strategies as st

from auditor.readers.lines import LineStream, _pieces


class Reference(LineStream):
    """The loop as it was: a chain of ``_pieces`` of each chunk, every line through ``_decode``."""

    def __iter__(self):
        import codecs

        first = self.raw.readline() if self.first is None else self.first
        if not first:
            return
        if first.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in first:
            yield from self._whole(first)
            return
        encoding = None
        if first.startswith(codecs.BOM_UTF8):
            first, encoding, self.encoding = first[len(codecs.BOM_UTF8):], "utf-8", "utf-8-sig"
        lines = itertools.chain(_pieces(first), (p for chunk in self.raw for p in _pieces(chunk)))
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
            yield self._decode(line, encoding)


def read(cls, data: bytes):
    stream = cls(io.BytesIO(data))
    lines = list(stream)
    return lines, stream.encoding, stream.bad_line, stream.tried, stream.nul, stream.binary, stream.count


PIECES = st.sampled_from(["2026,본예산,Ο급식비", "\"1,000\"", "abc", "", "\r\n", "\n", "\r", "\r\r\n", "ο항목",
                          "\x00", "  ", "경정 22,198,000원"])
ENCODED = st.lists(st.tuples(PIECES, st.sampled_from(["utf-8", "cp949", "utf-8-sig"])), max_size=30).map(
    lambda parts: b"".join(text.encode(enc) for text, enc in parts))
RAW = st.lists(st.one_of(ENCODED, st.binary(max_size=6), st.sampled_from([b"\xff\xfe", b"\xef\xbb\xbf", b"\x80"])),
               max_size=6).map(b"".join)


@settings(max_examples=600, deadline=None)
@given(st.one_of(ENCODED, RAW), st.booleans())
def test_the_stream_reads_every_byte_string_as_before(data, bom):
    data = (b"\xef\xbb\xbf" + data) if bom else data
    assert read(LineStream, data) == read(Reference, data)


def test_a_stream_that_reads_a_lone_cr_otherwise_is_caught(monkeypatch):
    """The comparison fails when the inline loop differs (a lone CR left inside the line)."""
    from auditor.readers import lines

    data = "가,나\r\n다\r라\n마\n".encode("cp949")
    assert read(LineStream, data) == read(Reference, data)

    def no_lone_cr(chunks):
        for chunk in chunks:
            yield chunk.rstrip(b"\r\n")

    monkeypatch.setattr(lines, "_split", no_lone_cr)
    assert read(LineStream, data) != read(Reference, data)
