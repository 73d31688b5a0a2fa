"""Files a user's own runs signed: the integrity scheme of the caches under the user's cache directory.

A cache file there (the loaded rule packs, :mod:`auditor.engine.cache`; the compiled regular
expressions, :mod:`auditor.recache`) starts with a line holding an HMAC-SHA256 of the rest under a
per-user secret kept outside the cache directory (``$XDG_STATE_HOME/auditor/cache-secret``, else
``~/.local/state/auditor/cache-secret``), which must be a regular file owned by the user and
readable by nobody else. A file the user's own runs did not write fails the check before any of
it is parsed. Files are read only if they are regular files (no FIFO, device or symlink) of a
bounded size. This module holds only the standard library's imports, so the regular expressions
compiled while auditor's modules are imported can use it.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import stat
from pathlib import Path

__all__ = ["cache_dir", "secret_path", "read_signed", "write_signed"]

_SECRET_BYTES = 32


def cache_dir() -> Path | None:
    """Where cached rule sets live, or None when the cache is switched off."""
    if os.environ.get("AUDITOR_NO_CACHE", "").strip() not in ("", "0"):
        return None
    explicit = os.environ.get("AUDITOR_CACHE_DIR")
    if explicit is not None:
        return Path(explicit) if explicit.strip() else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "auditor"


def secret_path() -> Path:
    """Where the per-user secret that signs cache files is kept (outside the cache directory)."""
    base = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    return Path(base) / "auditor" / "cache-secret"


# --- reading files safely --------------------------------------------------------------------

_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def _read_regular(path: Path, limit: int, private: bool = False) -> bytes | None:
    """The bytes of ``path`` if it is a regular file (not a link, FIFO or device) of at most
    ``limit`` bytes; with ``private``, also owned by this user and closed to everyone else."""
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        if private and hasattr(os, "getuid") and (info.st_uid != os.getuid() or info.st_mode & 0o077):
            return None
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return None if size > limit else b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(fd)


def _inside(path: Path, directory: Path) -> bool:
    real, base = os.path.realpath(path), os.path.realpath(directory)
    return real == base or real.startswith(base.rstrip(os.sep) + os.sep)


def _secret(directory: Path, create: bool) -> bytes | None:
    """The per-user signing secret (made on first use when ``create``); None when it cannot be kept safely."""
    path = secret_path()
    if _inside(path, directory):
        return None  # a secret stored with what it signs protects nothing
    found = _read_regular(path, _SECRET_BYTES, private=True)
    if found is not None:
        return found if len(found) == _SECRET_BYTES else None
    if not create:
        return None
    try:
        import secrets
        import tempfile

        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".secret-")  # mode 0600
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(secrets.token_bytes(_SECRET_BYTES))
            os.link(tmp, path)  # never replaces a secret another process made meanwhile
        except FileExistsError:
            pass
        finally:
            os.unlink(tmp)
    except OSError:
        return None
    found = _read_regular(path, _SECRET_BYTES, private=True)
    return found if found is not None and len(found) == _SECRET_BYTES else None


def _signature(secret: bytes, payload: bytes) -> bytes:
    return hmac.new(secret, payload, hashlib.sha256).hexdigest().encode("ascii")




def read_signed(path: Path, directory: Path, limit: int) -> bytes | None:
    """The payload of the signed file ``path`` (in the cache ``directory``), or None: missing, not a regular
    file, larger than ``limit``, or not signed by this user's secret (then nothing of it was parsed)."""
    data = _read_regular(path, limit)
    if data is None:
        return None
    mac, _, payload = data.partition(b"\n")
    secret = _secret(directory, create=False)
    if secret is None or not hmac.compare_digest(mac, _signature(secret, payload)):
        return None
    return payload


def write_signed(path: Path, directory: Path, payload: bytes, prefix: str) -> None:
    """Write ``payload`` signed to ``path`` whole (a temporary file renamed over it); silently skipped
    when the directory or the secret cannot be had."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        secret = _secret(directory, create=True)
        if secret is None:
            return
        import tempfile

        fd, tmp = tempfile.mkstemp(dir=directory, prefix=prefix, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(_signature(secret, payload) + b"\n" + payload)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except Exception:
        return
