"""Where rule packs and vocabularies are: the built-in directory, and the files under a pack path.

Kept apart from the loader, so that a run whose packs are in the cache never imports it.
"""

from __future__ import annotations

import os
from pathlib import Path

from auditor.engine.errors import RulePackError

__all__ = ["builtin_rules_dir", "pack_files"]


def builtin_rules_dir() -> Path:
    """The built-in packs: ``auditor/_rules`` in an installed wheel, else the repository's ``rules/``."""
    package = Path(__file__).resolve().parents[1]
    if package.is_dir():  # the package is files on disk (not in a zip): importlib.resources would find the same
        return package / "_rules" if (package / "_rules").is_dir() else package.parent / "rules"
    import importlib.resources

    try:
        shipped = importlib.resources.files("auditor") / "_rules"
        if shipped.is_dir():
            return Path(str(shipped))
    except (ModuleNotFoundError, TypeError):
        pass
    return Path(__file__).resolve().parents[2] / "rules"


def pack_files(path: Path) -> tuple[list[Path], list[Path]]:
    """``(packs, vocabularies)`` under a file or a directory; each is a regular file of a bounded size.

    Anything else by a pack's name (a FIFO, a device, a socket, a directory named ``x.toml``, a
    dangling link) or a file over :data:`auditor.safeload.MAX_TOML_BYTES` is a
    :class:`RulePackError` here, before any file is opened, so that nothing (the loader, the
    cache's hash of the files) blocks on a FIFO or reads without end.
    """
    if path.is_dir():
        vocab_dir = path / "vocabulary"
        vocabs = sorted(vocab_dir.glob("*.toml")) if vocab_dir.is_dir() else []
        packs = sorted(path.glob("*.toml"))
    elif os.path.lexists(path):
        packs, vocabs = [path], []
    else:
        raise RulePackError(str(path), 1, 1, "no such rule pack file or directory")
    for file in (*packs, *vocabs):
        _check_regular(file)
    return packs, vocabs


def _check_regular(path: Path) -> None:
    from auditor.readers import InputError
    from auditor.readers.opening import not_regular
    from auditor.safeload import MAX_TOML_BYTES

    try:
        st = os.stat(path)
    except OSError as err:
        if os.path.islink(path):
            raise RulePackError(str(path), 1, 1, f"dangling symbolic link (→ {os.readlink(path)})") from None
        raise RulePackError(str(path), 1, 1, f"cannot read rule pack: {err.strerror or err}") from None
    refused = not_regular(str(path), st.st_mode)
    if isinstance(refused, InputError):
        raise RulePackError(str(path), 1, 1, refused.message_en)
    if st.st_size > MAX_TOML_BYTES:
        raise RulePackError(str(path), 1, 1, f"not read: the file is too large ({st.st_size:,} bytes; "
                                             f"at most {MAX_TOML_BYTES:,})")
