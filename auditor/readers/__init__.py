"""Readers turn input files into the sheet model: 사업설명서 text extracted from budget books, and e호조 CSV exports."""

from __future__ import annotations

import io
import os

from auditor.model import Sheet
from auditor.readers.decode import Decoded, decode, split_lines
from auditor.readers.opening import DEFAULT_MAX_FILE_SIZE, read_input
from auditor.readers.reader import SheetReader
from auditor.readers.units import is_eho

TYPE_CHECKING = False
if TYPE_CHECKING:
    from auditor.readers.units import SheetStream

__all__ = ["InputError", "iter_sheets", "read_bytes", "read_file", "read_text", "read_units"]


class InputError(Exception):
    """A file that cannot be opened at all (missing, a directory, no permission)."""

    def __init__(self, path: str, message_ko: str, message_en: str) -> None:
        super().__init__(path, message_ko, message_en)
        self.path, self.message_ko, self.message_en = path, message_ko, message_en

    def __str__(self) -> str:
        return f"{self.path}: {self.message_ko} ({self.message_en})"


def read_bytes(data: bytes, path: str, *, fragment: bool = False) -> Sheet:
    """Read a sheet from bytes (stdin, tests). Never raises for bad content: problems go in the Sheet.

    The reader is chosen by content: a file whose first line is an e호조 header (it starts with
    ``회계연도,예산구분,``, or names 산출근거명 and 예산액) is an e호조 export, read whole into one
    Sheet; so is any other ``.csv`` file (it gets PARSE005 for its unknown header).
    Everything else is 사업설명서 text, checked for its core parts (PARSE007) unless ``fragment`` is
    set (rule test cases that hold part of a sheet; the CLI never sets it).
    """
    raw = io.BytesIO(data)
    first = raw.readline()
    if is_eho(first, path):
        from auditor.readers.eho import EhoReader, whole  # only e호조 exports need the CSV reader
        from auditor.readers.lines import LineStream

        return whole(EhoReader(path, LineStream(raw, first), keep_lines=True))
    return SheetReader(path, decode(data), fragment=fragment).read()


def read_units(data: bytes, path: str) -> list[Sheet]:
    """Each sheet of one input given as bytes, as ``auditor parse`` shows them: an e호조 export joined into
    one Sheet (as :func:`read_bytes` reads it), and each 사업설명서 of a text file that holds several run
    together, read on the file's line numbers (:mod:`auditor.readers.book`; one for most files)."""
    raw = io.BytesIO(data)
    if is_eho(raw.readline(), path):
        return [read_bytes(data, path)]
    from auditor.readers.book import read_sheets

    return list(read_sheets(path, decode(data)))


def read_text(text: str, path: str = "<text>", *, fragment: bool = False) -> Sheet:
    """Read a sheet from already decoded text; ``fragment=True`` reads part of one (no PARSE007)."""
    return SheetReader(path, Decoded(split_lines(text.removeprefix("\ufeff")), "utf-8"), fragment=fragment).read()


def read_file(path: str | os.PathLike, *, display_path: str | None = None,
              max_size: int = DEFAULT_MAX_FILE_SIZE) -> Sheet:
    """Read a sheet file; raises :class:`InputError` only when the file cannot be read at all.

    That is: missing, not a regular file (a directory, FIFO, device or socket is never opened
    for reading, so nothing blocks), no permission, or a file over ``max_size`` bytes, since it
    is held whole, an e호조 export too (``0``: no limit; :func:`iter_sheets` streams an export,
    each line held to the limit). See :mod:`auditor.readers.opening`.
    """
    shown = display_path if display_path is not None else os.fspath(path)
    return read_bytes(read_input(path, shown, max_size), shown)


def iter_sheets(source: str | os.PathLike | bytes, display: str | None = None, *,
                max_size: int = DEFAULT_MAX_FILE_SIZE) -> SheetStream:
    """The Sheets of one input, read as a stream: an e호조 export one 세부사업 run at a time.

    ``source`` is a path (opened now, as :func:`read_file` opens it: :class:`InputError` when it
    cannot be, when 사업설명서 text is over ``max_size`` bytes, or later, from the iteration, when
    one line of an export is) or the file's bytes; ``display``
    is the path findings show. Each Sheet of an e호조 export holds the records of one run of
    consecutive rows of one 세부사업 and 부서, with the problems met on its lines, and is given as
    soon as the run ends; memory does not grow with the file. Any other input is one Sheet, as
    :func:`read_file` reads it, unless it holds several 사업설명서 run together (a city's book in one
    text file): then one Sheet each, read on the file's line numbers (:mod:`auditor.readers.book`).
    Bad content never raises.
    """
    from auditor.readers.units import open_input

    return open_input(source, display, max_size)
