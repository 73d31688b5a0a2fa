"""Open an input without blocking or reading forever: regular files only, holding at most a size limit at once.

The limit (``--max-file-size``, 1 MB by default) bounds what is held in memory: the whole of
what is read whole (사업설명서 text, standard input, ``read_file``), and each line of what is
read as a stream (an e호조 export checked from its path, which may be as long as it likes).
"""

from __future__ import annotations

import os
import re
import stat
from decimal import Decimal

from auditor import recache
from auditor.result import FileError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import BinaryIO

#: The default limit on what an input holds at once, in bytes (semgrep's ``--max-target-bytes`` default):
#: a real sheet is a few KB, so a file this big is not one sheet; an e호조 record is a few hundred bytes.
DEFAULT_MAX_FILE_SIZE = 1_000_000
#: How an e호조 expenditure export's first line starts: ``auditor.readers.eho_columns.HEADER_PREFIX``,
#: copied so that telling an export from sheet text does not import the CSV reader.
EHO_HEADER_PREFIX = "회계연도,예산구분,"
#: How much of a file's first line is read to tell an e호조 export (read as a stream) from 사업설명서 text.
HEAD = 64 * 1024
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
#: What a path that is not a regular file is, in both languages.
_KINDS = (
    (stat.S_ISDIR, "디렉터리", "a directory"),
    (stat.S_ISFIFO, "이름 있는 파이프(FIFO)", "a named pipe (FIFO)"),
    (stat.S_ISCHR, "문자 장치", "a character device"),
    (stat.S_ISBLK, "블록 장치", "a block device"),
    (stat.S_ISSOCK, "소켓", "a socket"),
)
_SIZE = recache.compile(r"\s*(\d+(?:\.\d+)?)\s*([KMG]i?B|B)?\s*", re.IGNORECASE)
#: The largest size a limit can be (a file offset is a signed 64-bit number).
MAX_SIZE = 2**63 - 1
_FACTORS = {"b": 1, "kb": 10**3, "mb": 10**6, "gb": 10**9, "kib": 2**10, "mib": 2**20, "gib": 2**30}


def parse_size(value: int | str) -> int:
    """``1000000``, ``"1MB"``, ``"1.5MiB"``, ``"500KB"`` → bytes, exactly; ``0`` (no limit) up to
    :data:`MAX_SIZE`. ``ValueError`` if not (a float, a negative size, a size past 2⁶³ − 1)."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ValueError(f"not a size: {str(value)[:40]!r} (write bytes, or a number with KB, MB, GB, KiB, MiB or GiB)")
    if isinstance(value, int):
        size = value
    else:
        m = _SIZE.fullmatch(value) if len(value) <= 40 else None
        if not m:
            raise ValueError(f"not a size: {value[:40]!r} (write bytes, or a number with KB, MB, GB, KiB, MiB or GiB)")
        size = int(Decimal(m[1]) * _FACTORS[(m[2] or "b").lower()])
    if size < 0:
        raise ValueError(f"a size is 0 (no limit) or more, not {value!r}")
    if size > MAX_SIZE:
        raise ValueError(f"a size is at most {MAX_SIZE:,} bytes (2^63 - 1); 0 means no limit")
    return size


def _error(shown: str, ko: str, en: str) -> Exception:
    from auditor.readers import InputError  # the package defines it; imported late to avoid a cycle

    return InputError(shown, ko, en)


def _os_error(shown: str, path: str | os.PathLike, err: OSError) -> Exception:
    if isinstance(err, FileNotFoundError):
        if os.path.islink(path):
            target = os.readlink(path)
            return _error(shown, f"심볼릭 링크가 가리키는 파일이 없습니다 (→ {target})",
                          f"dangling symbolic link (→ {target})")
        return _error(shown, "파일이 없습니다", "no such file")
    if isinstance(err, IsADirectoryError):
        return _error(shown, "파일이 아니라 디렉터리입니다", "is a directory")
    if isinstance(err, PermissionError):
        return _error(shown, "파일을 읽을 권한이 없습니다", "permission denied")
    return _error(shown, f"파일을 열 수 없습니다: {err.strerror or err}", f"cannot open: {err.strerror or err}")


def not_regular(shown: str, mode: int) -> Exception | None:
    """The ``InputError`` for a file of ``mode`` that is not a regular file (named by kind), else None."""
    for test, ko, en in _KINDS:
        if test(mode):
            if ko == "디렉터리":
                return _error(shown, "파일이 아니라 디렉터리입니다", "is a directory")
            return _error(shown, f"일반 파일이 아니라 {ko}이므로 읽지 않았습니다", f"not read: it is {en}, not a regular file")
    if not stat.S_ISREG(mode):
        return _error(shown, "일반 파일이 아니므로 읽지 않았습니다", "not read: not a regular file")
    return None


def open_regular(path: str | os.PathLike, shown: str, limit: int | None = None) -> BinaryIO:
    """The file opened for reading; ``InputError`` for a FIFO, device, socket or directory, never blocking.

    The path is checked before it is opened (a FIFO is never opened, so nothing waits for a
    writer), opened with ``O_NONBLOCK``, and checked again on the open descriptor, so a file
    swapped for something else in between is refused too. With a ``limit`` (bytes; 0 or None:
    none), no single read of the file holds more than that (:class:`Held`).
    """
    try:
        refused = not_regular(shown, os.stat(path).st_mode)
        if refused is not None:
            raise refused
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as err:
        raise _os_error(shown, path, err) from None
    try:
        refused = not_regular(shown, os.fstat(fd).st_mode)
    except OSError as err:
        os.close(fd)
        raise _os_error(shown, path, err) from None
    if refused is not None:
        os.close(fd)
        raise refused
    raw = os.fdopen(fd, "rb")
    return Held(raw, shown, limit) if limit else raw  # type: ignore[return-value]


def too_large(shown: str, size: int, max_size: int) -> Exception:
    """The error for an input holding more than ``max_size`` bytes at once (``size`` 0 or less when not known)."""
    ko, en = (f"{size:,}바이트", f"{size:,} bytes") if size > max_size else (f"{max_size:,}바이트 초과", f"over {max_size:,} bytes")
    return _error(
        shown,
        f"파일이 너무 커서 읽지 않았습니다 ({ko}; 최대 {max_size:,}바이트, --max-file-size로 바꿀 수 있음)",
        f"not read: the file is too large ({en}; at most {max_size:,} bytes, see --max-file-size)",
    )


def line_too_large(shown: str, line: int, max_size: int) -> Exception:
    """The error for one line of a streamed input holding more than ``max_size`` bytes."""
    return _error(
        shown,
        f"{line:,}행이 너무 커서 읽지 않았습니다 ({max_size:,}바이트 초과; 한 번에 최대 {max_size:,}바이트, "
        "--max-file-size로 바꿀 수 있음)",
        f"not read: line {line:,} is too large (over {max_size:,} bytes; at most {max_size:,} bytes are held at "
        "once, see --max-file-size)",
    )


class Held:
    """A binary file of which no read holds more than ``limit`` bytes: past it, ``InputError``.

    An input read as a stream (an e호조 export, one record at a time) may be as long as it likes,
    but each line it reads, and anything it reads whole (an export that cannot be split into
    lines: UTF-16, NUL bytes), is held in memory, so the limit applies to each. Without it a
    4 GB file of NUL bytes was one "line" read whole.
    """

    def __init__(self, raw: BinaryIO, shown: str, limit: int) -> None:
        self.raw, self.shown, self.limit = raw, shown, limit
        #: Lines read so far, for the message naming a line that is too large.
        self.lines = 0

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0 or size > self.limit:
            data = _read_upto(self.raw, self.limit + 1 if size is None or size < 0 else min(size, self.limit + 1))
            if len(data) > self.limit:
                raise too_large(self.shown, _size_of(self.raw), self.limit)
            return data
        return self.raw.read(size)

    def readline(self, size: int | None = -1) -> bytes:
        cap = self.limit + 1 if size is None or size < 0 else min(size, self.limit + 1)
        line = self.raw.readline(cap)
        if len(line) > self.limit:
            raise line_too_large(self.shown, self.lines + 1, self.limit)
        if line.endswith(b"\n"):
            self.lines += 1
        return line

    def __iter__(self) -> Held:
        return self

    def __next__(self) -> bytes:
        line = self.readline()
        if not line:
            raise StopIteration
        return line

    def fileno(self) -> int:
        return self.raw.fileno()

    @property
    def closed(self) -> bool:
        return self.raw.closed

    def close(self) -> None:
        self.raw.close()

    def __enter__(self) -> Held:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


#: How much is read at a time when reading up to a bound (never one allocation of the whole bound).
_CHUNK = 1 << 20


def _read_upto(raw: BinaryIO, most: int) -> bytes:
    """Up to ``most`` bytes of ``raw`` (fewer at its end), read a chunk at a time."""
    chunks, size = [], 0
    while size < most:
        chunk = raw.read(min(_CHUNK, most - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _size_of(raw: BinaryIO) -> int:
    try:
        return os.fstat(raw.fileno()).st_size
    except (OSError, AttributeError, ValueError):  # io.UnsupportedOperation is an OSError and a ValueError
        return 0


def read_limited(raw: BinaryIO, shown: str, max_size: int) -> bytes:
    """All of ``raw``, or ``InputError`` once it passes ``max_size`` bytes (0: no limit).

    What is read whole is held whole, so the limit applies to all of it, an e호조 export
    included (``auditor check`` streams an export it reads from a path: see :class:`Held`).
    Reading stops one byte past the limit, so a file that grows while it is read, or an endless
    stream, cannot make this read forever.
    """
    return read_rest(raw, b"", shown, max_size)


def read_rest(raw: BinaryIO, head: bytes, shown: str, max_size: int) -> bytes:
    """``head`` (already read from ``raw``) and the rest of ``raw``, or ``InputError`` once the whole
    passes ``max_size`` bytes (0: no limit). Reads at most one byte past the limit, a chunk at a time."""
    if not max_size:
        return head + raw.read()
    data = head + _read_upto(raw, max(max_size + 1 - len(head), 0))
    if len(data) > max_size:
        raise too_large(shown, _size_of(raw), max_size)
    return data


def read_stdin(stream: BinaryIO | None, name: str | None, max_size: int) -> bytes | FileError:
    """Standard input as :func:`read_limited` reads a file; over the limit, closed or failing, the error to report."""
    from auditor.readers import InputError

    shown = name or "-"
    if stream is None:
        return FileError(shown, "표준 입력이 닫혀 있습니다", "standard input is closed")
    try:
        return read_limited(stream, shown, max_size)
    except InputError as err:
        return FileError(shown, err.message_ko, err.message_en)
    except (OSError, ValueError) as err:
        reason = getattr(err, "strerror", None) or str(err)
        return FileError(shown, f"표준 입력을 읽을 수 없습니다: {reason}", f"cannot read standard input: {reason}")


def read_input(path: str | os.PathLike, shown: str, max_size: int = DEFAULT_MAX_FILE_SIZE) -> bytes:
    """The bytes of the file at ``path``: :func:`open_regular`, then :func:`read_limited`."""
    with open_regular(path, shown, max_size) as raw:
        try:
            return read_limited(raw, shown, max_size)
        except OSError as err:
            raise _os_error(shown, path, err) from None
