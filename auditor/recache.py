"""Compiled regular expressions kept as data: the programs ``re`` makes, signed and used again.

``re`` compiles a pattern in pure Python (``re._parser`` parses it, ``re._compiler`` writes the
program and optimises every character class with a loop over its code points), and only then
hands the program (a list of ints), the flags, the number of groups and the group names to
``_sre.compile``. For auditor's readers that costs about as much as checking a few dozen sheets: a
one-sheet run compiles 76 of auditor's patterns, 197 M of its 868 M instructions (one pattern alone,
the basis line's, 56 M), and a ``--jobs 2`` run pays those compiled at the first file in both
processes (docs/performance.md).

:func:`compile` is ``re.compile`` for a ``str`` pattern, with the programs kept in one file beside
the rule-pack cache (:func:`auditor.signed.cache_dir`), named by a hash of the exact Python version
and ``_sre``'s magic number and code size, under the same integrity scheme (:mod:`auditor.signed`):

- **Data only.** The file is JSON: for each pattern its text, the flags asked, then exactly the
  arguments ``_sre.compile`` takes (the flags, the program as ints, the groups and the group
  names). Nothing names a module, a function or code; nothing is unpickled. ``_sre.compile``
  validates the program it is given (a program that could read outside its pattern or its
  subject is refused), and the pattern object made is the one ``re.compile`` would make: equal
  to it (``==`` compares the flags, the pattern text and the program).
- **Signed.** A program ``_sre`` accepts can still be the program of *another* pattern: a planted
  entry could make a reader's pattern match what its text does not (a number read wrongly, a
  line taken for another kind). So the file is signed with the per-user secret as the rule-pack
  cache is: a file this user's runs did not write is not parsed.
- **A miss is ``re.compile``.** A missing, unsigned, damaged or foreign file, an entry of another
  shape, or a program ``_sre`` refuses: the pattern is compiled as ``re`` compiles it, and the run
  keeps the program to write the file anew at its end (:func:`store`, called by the pipeline
  once its reports are written). ``AUDITOR_NO_CACHE=1`` turns it off, as the rule-pack cache.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from pathlib import Path

import _sre

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["compile", "store", "FORMAT", "MAX_BYTES", "MAX_ENTRIES"]

try:  # Python 3.11+: the pure Python halves of re
    from re import _compiler, _parser
except ImportError:  # pragma: no cover - another layout: every pattern is compiled by re
    _compiler = _parser = None

#: Bump when the stored shape changes.
FORMAT = "auditor-regex/1"
#: The largest file read (auditor's patterns take about 150 KB).
MAX_BYTES = 8 * 1024 * 1024
#: At most this many patterns are kept: past it, a file keeps only the patterns its run used.
MAX_ENTRIES = 1024

#: ``{(pattern, flags): stored entry}`` of the file read at the first compile; None before.
_table: dict[tuple[str, int], list] | None = None
#: What this process compiled itself (a miss) or used, to write the file at the end: ``{(pattern, flags): entry}``.
_made: dict[tuple[str, int], list] = {}
_used: set[tuple[str, int]] = set()


def _file() -> tuple[Path, Path] | None:
    from auditor.signed import cache_dir

    directory = cache_dir()
    if directory is None:
        return None
    digest = hashlib.sha256()
    for part in (FORMAT, sys.version, str(_sre.MAGIC), str(_sre.CODESIZE), str(sys.maxunicode)):
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return directory / f"re-{digest.hexdigest()}.json", directory


def _load() -> dict[tuple[str, int], list]:
    """The stored programs (empty for a missing, unsigned, damaged or foreign file)."""
    global _table
    _table = {}
    where = _file()
    if where is None or _compiler is None:
        return _table
    from auditor.signed import read_signed

    payload = read_signed(where[0], where[1], MAX_BYTES)
    if payload is None:
        return _table
    try:
        stored = json.loads(payload.decode("utf-8"))
        if type(stored) is dict and stored.get("format") == FORMAT and stored.get("python") == sys.version:
            table = {}
            for entry in stored["patterns"]:
                if type(entry) is list and len(entry) == 6 and type(entry[0]) is str and type(entry[1]) is int:
                    table[entry[0], entry[1]] = entry
            _table = table
    except Exception:  # a miss, whatever went wrong
        pass
    return _table


def _made_from(entry: list) -> re.Pattern:
    """The pattern object of a stored entry ``[pattern, asked, flags, code, groups, names]``; raises for any
    other shape, and ``_sre`` for a program it refuses."""
    pattern, _, flags, code, groups, names = entry
    if type(flags) is not int or type(code) is not list or type(groups) is not int or type(names) is not list:
        raise ValueError("not a stored program")
    groupindex = {}
    indexgroup: list[str | None] = [None] * groups
    for name, index in names:
        if type(name) is not str or type(index) is not int or not 0 < index < groups or name in groupindex:
            raise ValueError("not a group name")
        groupindex[name] = index
        indexgroup[index] = name
    return _sre.compile(pattern, flags, code, groups - 1, groupindex, tuple(indexgroup))


def _program(pattern: str, flags: int) -> list:
    """What ``re._compiler.compile`` hands to ``_sre.compile`` for ``pattern``, as a stored entry."""
    parsed = _parser.parse(pattern, flags)
    code = _compiler._code(parsed, flags)
    state = parsed.state
    names = sorted(([name, index] for name, index in state.groupdict.items()), key=lambda x: x[1])
    return [pattern, flags, flags | state.flags, code, state.groups, names]


def compile(pattern: Any, flags: int = 0) -> re.Pattern:  # noqa: A001 - re.compile's name, on purpose
    """``re.compile(pattern, flags)``: for a ``str`` pattern, from the stored program when there is one."""
    if isinstance(flags, re.RegexFlag):
        flags = flags.value
    if type(pattern) is not str or type(flags) is not int or flags & re.DEBUG or _compiler is None:
        return re.compile(pattern, flags)
    key = (pattern, flags)
    entry = (_table if _table is not None else _load()).get(key)
    if entry is not None:
        try:
            made = _made_from(entry)
            _used.add(key)
            return made
        except Exception:  # a program _sre refuses, or another shape: compiled afresh
            pass
    try:
        entry = _program(pattern, flags)
        made = _made_from(entry)
    except Exception:  # whatever re says of it (re.error …), as re.compile says it
        return re.compile(pattern, flags)
    _made[key] = entry
    return made


def store() -> None:
    """Write the programs this process compiled itself to the file, with those stored before (at most
    :data:`MAX_ENTRIES`; past it, only those this run used). Nothing happens after a run without a miss,
    and a file that cannot be written is silently skipped."""
    global _made
    if not _made or _table is None:
        return
    where = _file()
    if where is None:
        return
    table = dict(_table)
    if len(table) + len(_made) > MAX_ENTRIES:
        table = {key: table[key] for key in _used if key in table}
    table.update(_made)
    entries = list(table.values())[:MAX_ENTRIES]
    try:
        payload = json.dumps({"format": FORMAT, "python": sys.version, "patterns": entries},
                             ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")
    except ValueError:  # pragma: no cover - a pattern JSON cannot hold: nothing is written
        return
    if len(payload) + 65 > MAX_BYTES:
        return
    from auditor.signed import write_signed

    write_signed(where[0], where[1], payload, prefix=".re-")
    _table.update(_made)
    _made = {}
