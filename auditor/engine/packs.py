"""Where rule packs and vocabularies are: the built-in directory, and the files under a pack path.

Kept apart from the loader, so that a run whose packs are in the cache never imports it.
"""

from __future__ import annotations

import importlib.resources
from pathlib import Path

from auditor.engine.errors import RulePackError

__all__ = ["builtin_rules_dir", "pack_files"]


def builtin_rules_dir() -> Path:
    """The built-in packs: ``auditor/_rules`` in an installed wheel, else the repository's ``rules/``."""
    try:
        shipped = importlib.resources.files("auditor") / "_rules"
        if shipped.is_dir():
            return Path(str(shipped))
    except (ModuleNotFoundError, TypeError):
        pass
    return Path(__file__).resolve().parents[2] / "rules"


def pack_files(path: Path) -> tuple[list[Path], list[Path]]:
    """``(packs, vocabularies)`` under a file or a directory."""
    if path.is_dir():
        vocab_dir = path / "vocabulary"
        vocabs = sorted(vocab_dir.glob("*.toml")) if vocab_dir.is_dir() else []
        return sorted(path.glob("*.toml")), vocabs
    if path.is_file():
        return [path], []
    raise RulePackError(str(path), 1, 1, "no such rule pack file or directory")
