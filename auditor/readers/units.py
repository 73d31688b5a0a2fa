"""Read an input as a stream of Sheets: an e호조 export one 세부사업 at a time, any other file as one Sheet."""

from __future__ import annotations

import codecs
import io
import os
from collections.abc import Iterator

from auditor.model import Sheet
from auditor.readers.decode import decode
from auditor.readers.opening import EHO_HEADER_PREFIX, HEAD, _os_error, open_regular, read_rest
from auditor.readers.book import read_sheets, split

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, BinaryIO

__all__ = ["SheetStream", "is_eho", "open_input"]


def is_eho(first: bytes, path: str) -> bool:
    """Does a file whose first line is ``first`` go to the e호조 reader? Its header says so, or it is a ``.csv``.

    Sheet text is told apart without importing the CSV reader: only a first line that starts as
    e호조's or names both 산출근거명 and 예산액 is looked at cell by cell.
    """
    if path.lower().endswith(".csv"):
        return True
    if first.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        lines = decode(first).lines
        text = lines[0] if lines else ""
    else:
        try:
            text = first.removeprefix(codecs.BOM_UTF8).decode("utf-8")
        except UnicodeDecodeError:
            text = first.decode("cp949", errors="replace")
        text = text.rstrip("\r\n")
    if text.startswith(EHO_HEADER_PREFIX):
        return True
    if "산출근거명" not in text or "예산액" not in text:
        return False
    from auditor.readers.eho_columns import is_eho_header

    return is_eho_header(text)


class SheetStream:
    """The Sheets of one input, in order: iterate once. Opened by :func:`auditor.readers.iter_sheets`.

    An e호조 export gives one Sheet per run of records of one 세부사업 and 부서 (its ``lines`` is
    empty: :meth:`line` gives the text of the lines of the Sheet last given and of the one
    before it); any other input gives one Sheet for each 사업설명서 it holds, one for most files
    (:mod:`auditor.readers.book`; ``units`` says how many before the first is given), which share
    the file's ``lines``. Once the iteration ends, ``encoding``, ``line_count`` and ``title``
    describe the whole file.
    """

    def __init__(self, raw: BinaryIO, path: str, max_size: int = 0) -> None:
        self.path = path
        self.raw = raw
        first = raw.readline(HEAD)  # a first line of a million characters is not read whole to sniff
        self.streamed = is_eho(first, path)
        self._text: bytes | None = None
        if self.streamed:
            if first and not first.endswith(b"\n"):
                first += raw.readline()  # an export's records are split at line ends only
        else:
            self._text = read_rest(raw, first, path, max_size)
        self.encoding = "utf-8"
        self.line_count = 0
        #: How many sheets a 사업설명서 file holds, known before the first is given (1 for an export).
        self.units = 1
        self.title = ""
        self._eho: Any = None
        self._sheet: Sheet | None = None
        self._sheets = self._read(first)

    def __iter__(self) -> Iterator[Sheet]:
        return self

    def __next__(self) -> Sheet:
        return next(self._sheets)

    def line(self, no: int) -> str | None:
        """The text of line ``no``, if it belongs to the Sheet last given (or, in an export, the one before)."""
        if self._eho is not None:
            return self._eho.line(no)
        lines = self._sheet.lines if self._sheet is not None else ()
        return lines[no - 1] if 1 <= no <= len(lines) else None

    def _read(self, first: bytes) -> Iterator[Sheet]:
        try:
            if not self.streamed:
                assert self._text is not None
                text, self._text = self._text, None
                decoded, starts = split(decode(text))
                self.encoding, self.line_count = decoded.encoding, len(decoded.lines)
                self.units = len(starts)
                for sheet in read_sheets(self.path, decoded, starts):
                    self._sheet = sheet
                    if sheet.first_line == 1:
                        self.title = str(sheet.title) if sheet.title is not None else ""
                    yield sheet
                if self.units > 1:
                    first = f": {self.title} 외" if self.title else ""
                    self.title = f"사업설명서 {self.units}개{first}"
                return
            from auditor.readers.eho import EhoReader
            from auditor.readers.lines import LineStream

            lines = LineStream(self.raw, first)
            self._eho = reader = EhoReader(self.path, lines)
            yield from reader
            self.encoding, self.line_count = lines.encoding, lines.count
            if reader.columns is not None:
                self.title = f"e호조 세출 산출근거 ({len(reader.projects)}개 세부사업)"
        finally:
            self.raw.close()


def open_input(source: str | os.PathLike | bytes, display: str | None, max_size: int = 0) -> SheetStream:
    """A :class:`SheetStream` over a file or over bytes; ``InputError`` when the file cannot be read.

    A file is opened as :func:`auditor.readers.opening.open_regular` opens it (never a FIFO or
    device), and 사업설명서 text over ``max_size`` bytes (0: no limit) is refused.
    """
    if isinstance(source, (bytes, bytearray)):
        return SheetStream(io.BytesIO(source), display or "<bytes>", max_size)
    shown = display if display is not None else os.fspath(source)
    raw = open_regular(source, shown, max_size)  # each line (and anything read whole) held to the limit
    try:
        return SheetStream(raw, shown, max_size)
    except BaseException as err:  # too large, or a read error: the stream never started, so close here
        raw.close()
        if isinstance(err, OSError):
            raise _os_error(shown, source, err) from None
        raise
