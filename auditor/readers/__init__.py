"""Readers turn input files into the sheet model: 사업설명서 text extracted from budget books, and e호조 CSV exports."""

from __future__ import annotations

import os

from auditor.model import Sheet
from auditor.readers.decode import Decoded, decode, split_lines
from auditor.readers.opening import DEFAULT_MAX_FILE_SIZE, read_input
from auditor.readers.reader import SheetReader

#: How an e호조 expenditure export's first line starts (auditor.readers.eho.HEADER_PREFIX).
_EHO_HEADER = "회계연도,예산구분,"

__all__ = ["InputError", "read_bytes", "read_file", "read_text"]


class InputError(Exception):
    """A file that cannot be opened at all (missing, a directory, no permission)."""

    def __init__(self, path: str, message_ko: str, message_en: str) -> None:
        super().__init__(path, message_ko, message_en)
        self.path, self.message_ko, self.message_en = path, message_ko, message_en

    def __str__(self) -> str:
        return f"{self.path}: {self.message_ko} ({self.message_en})"


def read_bytes(data: bytes, path: str, *, fragment: bool = False) -> Sheet:
    """Read a sheet from bytes (stdin, tests). Never raises for bad content: problems go in the Sheet.

    The reader is chosen by content: a file that starts with the e호조 header (``회계연도,예산구분,``)
    is an e호조 export; so is any other ``.csv`` file (it gets PARSE005 for its unknown header).
    Everything else is 사업설명서 text, checked for its core parts (PARSE007) unless ``fragment`` is
    set (rule test cases that hold part of a sheet; the CLI never sets it).
    """
    decoded = decode(data)
    lines = decoded.lines
    if (lines and lines[0].lstrip("\ufeff").startswith(_EHO_HEADER)) or path.lower().endswith(".csv"):
        from auditor.readers.eho import EhoReader  # only e호조 exports need the CSV reader

        return EhoReader(path, decoded).read()
    return SheetReader(path, decoded, fragment=fragment).read()


def read_text(text: str, path: str = "<text>", *, fragment: bool = False) -> Sheet:
    """Read a sheet from already decoded text; ``fragment=True`` reads part of one (no PARSE007)."""
    return SheetReader(path, Decoded(split_lines(text.removeprefix("\ufeff")), "utf-8"), fragment=fragment).read()


def read_file(path: str | os.PathLike, *, display_path: str | None = None,
              max_size: int = DEFAULT_MAX_FILE_SIZE) -> Sheet:
    """Read a sheet file; raises :class:`InputError` only when the file cannot be read at all.

    That is: missing, not a regular file (a directory, FIFO, device or socket is never opened
    for reading, so nothing blocks), no permission, or 사업설명서 text over ``max_size`` bytes
    (``0``: no limit; e호조 CSV exports have none). See :mod:`auditor.readers.opening`.
    """
    shown = display_path if display_path is not None else os.fspath(path)
    return read_bytes(read_input(path, shown, max_size), shown)
