"""A cache of loaded rule packs on disk, so that a pack is parsed and type-checked once, not on every run.

Loading the built-in packs (parsing every expression, checking every name and type) takes
several tenths of a second, longer than checking a sheet; a gate run on one changed sheet
should not pay it each time. The loaded rules are kept as a pickle under the user's cache
directory (``$AUDITOR_CACHE_DIR``, else ``$XDG_CACHE_HOME/auditor``, else ``~/.cache/auditor``),
named by a hash of everything the result depends on: the Python and auditor versions, the size
and modification time of auditor's own engine and model sources, and the exact bytes of every
pack and vocabulary file. Anything else (an unwritable directory, a damaged or foreign file) is
treated as a miss: the packs are loaded as usual and nothing fails. ``AUDITOR_NO_CACHE=1`` (or
``AUDITOR_CACHE_DIR=""``) turns the cache off.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path
from typing import Any, Sequence

__all__ = ["cache_dir", "cache_key", "load", "store"]

#: Bump when the pickled shape changes in a way the source hash would not show.
FORMAT = "auditor-rules/1"
_PACKAGE = Path(__file__).resolve().parent.parent
#: The sources a loaded rule set is made of: the engine, and the model it names.
_SOURCES = ("engine", "model.py", "source.py", "findings.py", "result.py")


def cache_dir() -> Path | None:
    """Where cached rule sets live, or None when the cache is switched off."""
    if os.environ.get("AUDITOR_NO_CACHE", "").strip() not in ("", "0"):
        return None
    explicit = os.environ.get("AUDITOR_CACHE_DIR")
    if explicit is not None:
        return Path(explicit) if explicit.strip() else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "auditor"


def _source_files() -> list[Path]:
    files: list[Path] = []
    for name in _SOURCES:
        path = _PACKAGE / name
        files.extend(sorted(path.glob("*.py")) if path.is_dir() else [path])
    return files


def cache_key(files: Sequence[Path], extra: Sequence[str] = ()) -> str | None:
    """The name of the cached rule set made of ``files`` (packs and vocabularies, in load order)."""
    from auditor import __version__

    digest = hashlib.sha256()
    for part in (FORMAT, sys.version, __version__, *extra):
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    try:
        for path in _source_files():
            stat = path.stat()
            digest.update(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}\0".encode())
        for path in files:
            digest.update(os.fsencode(os.path.abspath(path)) + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    except OSError:
        return None  # a file that cannot be read: let the loader report it
    return digest.hexdigest()


def load(key: str | None) -> Any | None:
    """The cached value for ``key``, or None (missing, unreadable, damaged or from elsewhere)."""
    directory = cache_dir()
    if key is None or directory is None:
        return None
    try:
        with open(directory / f"{key}.pickle", "rb") as fh:
            stored_key, value = pickle.load(fh)
    except Exception:  # a miss, whatever went wrong: the packs are simply loaded again
        return None
    return value if stored_key == key else None


def store(key: str | None, value: Any) -> None:
    """Keep ``value`` for ``key``; a cache that cannot be written is silently skipped."""
    directory = cache_dir()
    if key is None or directory is None:
        return
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".rules-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump((key, value), fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, directory / f"{key}.pickle")
        except BaseException:
            os.unlink(tmp)
            raise
    except Exception:
        return
