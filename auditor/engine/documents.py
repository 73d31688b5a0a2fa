"""What the builtins ``in_force``, ``budget_version`` and ``file`` compute: budget versions and files.

Pure functions over model objects, shared by the explaining evaluator (``builtins.py``) and the
code generated from rules (``coderuntime.py``), so that both paths compute the same thing.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from auditor.lazyre import lazy
from auditor.memo import CACHE_SIZE

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["in_force", "budget_version", "file_of", "label_key", "ORIGINAL_LABEL"]

#: The 예산구분 of a row or a document that names none: the original budget.
ORIGINAL_LABEL = "본예산"

_SUPPLEMENTARY = lazy(
    r"(?:제\s*)?(\d{1,2})\s*(?:회|차)\s*추(?:가)?\s*경(?:정)?|추(?:가)?\s*경(?:정)?(?:\s*예산)?\s*(?:제\s*)?(\d{1,2})\s*(?:회|차)"
    r"|추가\s*경정|추경")


@functools.lru_cache(maxsize=256)
def _rank(label: str | None) -> tuple[int, int]:
    from auditor.readers.eho_versions import version_of

    return version_of(label if label else ORIGINAL_LABEL).rank


def _place(obj: Any) -> tuple[str, int] | None:
    source = getattr(obj, "source", None)
    return None if source is None else (source.path, source.line)


def in_force(lines: Iterable[Any], version: str | None = None) -> list[Any]:
    """Of ``lines`` (Ο groups or ο items, each with its 예산구분 and, when it restates a row of an
    earlier version, that row as 기정내역), those in force at ``version``: of that version or an
    earlier one, and restated by none of those. Without ``version``, at the latest one. A line with
    no 예산구분 (a 사업설명서's) is of the original budget (본예산), and so is any label that
    :func:`~auditor.readers.eho_versions.version_of` reads as one (당초예산)."""
    if version is None:
        lines = list(lines)
    else:  # one pass, the 예산구분 read once a line (a 사업설명서's lines name none: of the original budget)
        limit = _rank(version)
        original, rank, kept = _rank(None) <= limit, _rank, []
        for x in lines:
            kind = getattr(x, "budget_kind", None)
            if (original if kind is None else rank(kind.value) <= limit):
                kept.append(x)
        lines = kept
    restated = None
    for x in lines:
        base = getattr(x, "base", None)
        if base is not None:
            place = _place(base)
            if place is not None:
                if restated is None:
                    restated = set()
                restated.add(place)
    if restated is None:
        return lines
    return [x for x in lines if _place(x) not in restated]


def budget_version(text: str | None) -> str:
    """The budget a text names, as e호조's 예산구분 writes it: ``추경N회`` for a supplementary budget
    (``제1회 추가경정예산``, ``1차 추경``, ``추경 2회``; ``추가경정예산`` alone is the first), else
    ``본예산`` (also for no text at all)."""
    if not text:
        return ORIGINAL_LABEL
    found = _SUPPLEMENTARY.search(text)
    if found is None:
        return ORIGINAL_LABEL
    number = found.group(1) or found.group(2) or "1"
    return f"추경{int(number)}회"


_SEPARATOR = lazy(r"[:：\-–—=]+$")


@functools.lru_cache(maxsize=CACHE_SIZE)
def label_key(text: str) -> str:
    """A 산출근거 line's name as two documents are matched by it: ``norm()`` (no blanks, one middle
    dot, no surrounding brackets), without the separator a sheet may leave before its formula
    (``회의비 : 5,000원*2회``, ``운영비 - 3,000원``)."""
    from auditor.engine.builtins import normalize

    return _SEPARATOR.sub("", normalize(text))


def file_of(obj: Any) -> str | None:
    """The file a model object was read from (a Sheet's path, else its source's), or None."""
    path = getattr(obj, "path", None)
    if isinstance(path, str):
        return path
    source = getattr(obj, "source", None)
    return None if source is None else source.path
