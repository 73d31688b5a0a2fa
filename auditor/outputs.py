"""Write reports and baselines whole or not at all, and never over an input or over another output.

A file is written to a temporary file in the target's own folder, flushed to disk (``fsync``) and
renamed over the target, so a reader of the target sees the old report or the whole new one,
never a part: an interrupted run, a full disk or a signal leaves the old report untouched and
removes the temporary file. A target that is not a regular file (``/dev/null``, ``/dev/stdout``,
a pipe) cannot be replaced by a rename and is written in place.

Before anything is read, :func:`check_targets` refuses two outputs naming one file, and an output
that is one of the run's inputs (a sheet named on the command line, the configuration file, a
rule pack, the baseline read): the same file by resolved path or by device and inode (a hard
link or a symbolic link to it), not by spelling.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterable, Iterator, Sequence

from auditor import endsignals
from auditor.plain import Field, Frozen, frozen

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import IO

#: The classes of this module are written out (auditor.plain), where attrs.frozen compiled their
#: methods at every import; tests/test_plain.py holds each to its attrs declaration.
_set = object.__setattr__

__all__ = ["OutputError", "Target", "atomic_text", "check_targets", "same_file", "Identity"]


class OutputError(Exception):
    """An output that must not or cannot be written; ``str()`` is ``path: message`` in English."""

    def __init__(self, path: str, message_ko: str, message_en: str) -> None:
        self.path = path
        self.message_ko = f"{path}: {message_ko}"
        self.message_en = f"{path}: {message_en}"
        super().__init__(self.message_en)

    def message(self, lang: str = "ko") -> str:
        return self.message_en if lang == "en" else self.message_ko


class Target(Frozen):
    """One output of the run: the option that named it (``-o``, ``--json-output`` …) and its path."""

    __slots__ = ("option", "path", "__weakref__")
    option: str
    path: str

    def __init__(self, option: str, path: str) -> None:
        _set(self, "option", option)
        _set(self, "path", path)


frozen(Target, Field("option"), Field("path"))


class Identity(Frozen):
    """What makes two paths one file: the resolved path, and the device and inode when it exists."""

    __slots__ = ("real", "inode", "__weakref__")
    real: str
    inode: tuple[int, int] | None

    def __init__(self, real: str, inode: tuple[int, int] | None) -> None:
        _set(self, "real", real)
        _set(self, "inode", inode)

    @classmethod
    def of(cls, path: str | os.PathLike) -> Identity:
        real = os.path.normcase(os.path.realpath(path))
        try:
            st = os.stat(path)
        except (OSError, ValueError):
            return cls(real, None)
        return cls(real, (st.st_dev, st.st_ino))

    def same(self, other: Identity) -> bool:
        return self.real == other.real or (self.inode is not None and self.inode == other.inode)


frozen(Identity, Field("real"), Field("inode"))


def same_file(a: str | os.PathLike, b: str | os.PathLike) -> bool:
    """Do ``a`` and ``b`` name one file (by resolved path, or by device and inode)?"""
    return Identity.of(a).same(Identity.of(b))


def check_targets(targets: Sequence[Target], inputs: Iterable[tuple[str, str | os.PathLike]] = ()) -> None:
    """Raise :class:`OutputError` if two targets name one file, or a target is one of ``inputs``.

    ``inputs`` are ``(what, path)`` pairs, ``what`` saying in English what the input is
    (``"an input"``, ``"the configuration file"`` …), for the message.
    """
    seen: list[tuple[Target, Identity]] = []
    for target in targets:
        ident = Identity.of(target.path)
        for other, other_ident in seen:
            if ident.same(other_ident):
                raise OutputError(
                    target.path,
                    f"{other.option}와 {target.option}가 같은 파일을 가리킵니다: 출력마다 다른 파일을 주세요",
                    f"{other.option} and {target.option} name the same file: give each output its own file")
        seen.append((target, ident))
    if not seen:
        return
    for what, path in inputs:
        ident = Identity.of(path)
        for target, target_ident in seen:
            if ident.same(target_ident):
                raise OutputError(
                    target.path,
                    f"{target.option}의 파일이 입력({_KO.get(what, what)})이기도 합니다: 입력은 덮어쓰지 않습니다",
                    f"the file of {target.option} is also {what}: auditor never writes over an input")


_KO = {
    "an input": "검사할 파일",
    "the configuration file": "설정 파일",
    "a rule pack": "규칙 팩",
    "the baseline": "기준선",
}


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_text(path: str, *, encoding: str = "utf-8") -> Iterator[IO[str]]:
    """A text file to write ``path`` through; the target is replaced only when the block ends normally.

    On any exception (``KeyboardInterrupt`` and the signals the CLI turns into exceptions
    included) the temporary file is removed and the old target is left as it was. The new file
    keeps the old one's permission bits (else ``0666`` less the umask, as ``open`` would give),
    and a symbolic link is kept: the file it points at is replaced. Characters that cannot be
    encoded are written as backslash escapes (``\\udcff``) rather than cutting the file short.
    Raises ``OSError`` when the file cannot be written (a missing folder, no permission, a full disk).
    """
    try:
        st: os.stat_result | None = os.stat(path)
    except FileNotFoundError:
        st = None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise IsADirectoryError(21, "Is a directory", path)
    if st is not None and not stat.S_ISREG(st.st_mode):  # /dev/null, /dev/stdout, a pipe: no rename possible
        with open(path, "w", encoding=encoding, errors="backslashreplace", newline="") as fh:
            yield fh
        return
    target = os.path.realpath(path) if os.path.islink(path) else path
    folder = os.path.dirname(target) or "."
    temporary = None
    try:
        with endsignals.held():  # a signal between making the file and knowing its name would leave it behind
            fd, temporary = _exclusive(folder, f".{os.path.basename(target)}.", ".tmp")
        with open(fd, "w", encoding=encoding, errors="backslashreplace", newline="") as fh:
            os.fchmod(fd, stat.S_IMODE(st.st_mode) if st is not None else 0o666 & ~_umask())
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(temporary, target)
    except BaseException:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        raise
    _sync_folder(folder)


#: ``tempfile.mkstemp``'s flags: a new file only (no link followed), not inherited by children.
_NEW_FILE = (os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
             | getattr(os, "O_BINARY", 0))


def _exclusive(folder: str, prefix: str, suffix: str) -> tuple[int, str]:
    """A new file of mode 0600 in ``folder`` with a random name, as ``tempfile.mkstemp`` makes it, without
    importing ``tempfile`` (with ``shutil``, ``random``, ``bz2`` and ``lzma``: about 11 M instructions,
    for every run that writes a report to a file)."""
    for _ in range(100):
        name = os.path.join(folder, f"{prefix}{os.urandom(6).hex()}{suffix}")
        try:
            return os.open(name, _NEW_FILE, 0o600), name
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "No usable temporary file name found")


def _sync_folder(folder: str) -> None:
    """Make the rename itself durable (best effort: not every system can open a folder)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_text(path: str, pieces: Iterable[str], *, encoding: str = "utf-8") -> None:
    """Write ``pieces`` to ``path`` through :func:`atomic_text`."""
    with atomic_text(path, encoding=encoding) as fh:
        for piece in pieces:
            fh.write(piece)
