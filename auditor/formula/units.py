"""The Latin and symbol count units the grammar reads: data in ``rules/vocabulary/단위.toml``, extendable.

Hangul units (명, 개월 …) need no list: the grammar reads any run of Hangul syllables after a number.
The others (``ml``, ``kg``, ``㎡``, ``EA`` …) are a closed list kept as a vocabulary beside
``통계목.toml``, so that a city adds one in its own pack's ``vocabulary/단위.toml`` without touching
Python. Loading rule packs (``auditor.engine.load_ruleset``) hands the merged vocabulary to
:func:`use_units`; until then, and for a library user who reads without loading packs, the built-in
vocabulary is read.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from pathlib import Path

from auditor import recache

#: The vocabulary's name, as written in its ``[vocabulary]`` table.
VOCABULARY = "단위"
#: What a unit may be made of: Latin letters, a few symbols, and the CJK compatibility unit block.
_UNIT = recache.compile(r"(?![xX])[A-Za-z²³ℓµΩ\u3380-\u33ff]+")
#: The characters that may appear in any unit (for the loose patterns of split.py).
UNIT_CHARS = "A-Za-z²³ℓµΩ\u3380-\u33ff"


def unit_problem(term: str) -> str | None:
    """Why *term* cannot be a unit of the grammar, or ``None`` when it can."""
    if _UNIT.fullmatch(term):
        return None
    if term[:1] in ("x", "X"):
        return f"unit {term!r} starts with {term[0]!r}, which is a multiplication sign"
    return (f"unit {term!r} is not made of Latin letters and unit symbols (²³ℓµΩ, ㎖…㏈); "
            "Hangul units need no list")


def _builtin_file() -> Path:
    """``auditor/_rules/vocabulary/단위.toml`` in an installed wheel, else the repository's ``rules/``."""
    package = Path(__file__).resolve().parent.parent
    shipped = package / "_rules" / "vocabulary" / f"{VOCABULARY}.toml"
    return shipped if shipped.is_file() else package.parent / "rules" / "vocabulary" / f"{VOCABULARY}.toml"


@functools.cache
def builtin_units() -> tuple[str, ...]:
    """The units of the built-in vocabulary, in file order (read once)."""
    import tomllib  # only when no pack gave the units (use_units): a run's packs always do

    path = _builtin_file()
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    units = tuple(dict.fromkeys(u for names in data["terms"].values() for u in names))
    bad = [problem for problem in map(unit_problem, units) if problem]
    if bad:
        raise ValueError(f"{path}: {bad[0]}")
    return units


_units: tuple[str, ...] | None = None  # None: the built-in vocabulary
_listeners: list[Callable[[], None]] = []


def count_units() -> tuple[str, ...]:
    """The Latin and symbol units the grammar reads now."""
    return builtin_units() if _units is None else _units


def use_units(units: Iterable[str] | None) -> None:
    """Read *units* (a merged ``단위`` vocabulary) from now on; ``None`` goes back to the built-in one.

    Raises ``ValueError`` naming the first term that cannot be a unit (:func:`unit_problem`). The
    grammar is rebuilt and every formula cache cleared only when the list changes. The packs'
    list is kept as given, even when it is the built-in one: comparing it with the built-in file
    would read that file (and import ``tomllib``) in every run, for nothing.
    """
    global _units
    chosen = None if units is None else tuple(dict.fromkeys(units))
    for problem in map(unit_problem, chosen or ()):
        if problem:
            raise ValueError(problem)
    if chosen == _units:
        return
    _units = chosen
    for listener in _listeners:
        listener()


def on_change(listener: Callable[[], None]) -> Callable[[], None]:
    """Call *listener* whenever the units change (the grammar's token and parse caches register here)."""
    _listeners.append(listener)
    return listener
