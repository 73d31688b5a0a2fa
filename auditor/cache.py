"""The results cache: what checking each input gave, kept on disk and used again while nothing it depends on changed.

Re-checking an unchanged book should cost reading it, not checking it. Each input's outcome (the
file as the reports need it and its findings, before selection filters, per-file-ignores and the
baseline, which are applied on every run) is kept in ``.auditor_cache/`` under the project root
(``cache-dir``/``--cache-dir`` elsewhere; ``no-cache``/``--no-cache`` off), in one JSON pack per
folder of inputs (as ruff keeps one per package), named by a hash of the folder and of everything
the run's outcomes depend on; an input's entry is used only while its own bytes are the same:

- **the input's bytes** (SHA-256 of its content, never its time stamp, so a checkout that touches
  every file still hits, and an edit that keeps the size and time still misses), its path as
  reports show it (findings carry it) and the size limit it was read under;
- **the rule packs**: the bytes of every pack and vocabulary file, built-in and ``rules``;
- **the settings that change findings**: the rules selected, severity overrides, params, and
  what of the lines the reports keep (every line for ``html``, else those around findings);
- **auditor itself**: its version, the bytes of its own sources, the Python version, and the
  engine mode (``AUDITOR_ENGINE``).

What a cache file can do is bounded:

- **Data only.** JSON of strings, integers, lists and objects, read by a strict decoder that
  builds findings and files through their constructors and refuses any other shape. Nothing in it
  names code, a class or a module; nothing is unpickled. A damaged, truncated, oversized or
  foreign file, a link, a FIFO, an entry whose path is not the one asked for: all are misses (with
  a warning naming the file), and the input is checked as if there were no cache (its pack is then
  written anew).
- **A result, nothing more.** An entry planted under the right name changes the findings of
  that one input, as editing the configuration (``ignore``, ``per-file-ignores``) or the baseline
  could. Entries are therefore **not signed** (the rule-pack cache, :mod:`auditor.engine.cache`,
  signs with a per-user secret): that cache lives in the user's home and holds rules for every
  project, while this one lives in the project, next to its configuration and baseline, with the
  same trust; and a CI job restores it on a fresh runner (whose secret would be new each time,
  so every entry would miss). Do not restore a cache from a source you would not take a
  configuration from, or run with ``--no-cache``.
- **Bounded and safe to share.** Each pack is written whole (a temporary file renamed over it),
  so concurrent runs never read half a pack (the last to write wins; the other's new entries are
  misses next time). An entry unused for :data:`UNUSED_DAYS` is dropped when its pack is written;
  after a run that checked something, the oldest packs are removed once the folder passes
  :data:`MAX_BYTES`.

Cross-document checks see every document of a project at once; their results are not kept here
per file. When the run has such rules, each file's entry keeps what the cross pass needs of its
documents (their index entries, :func:`auditor.crossdoc.index.entry_data`: plain data, checked
against its exact shape when read), so that a file taken from the cache still gives them, and the
cross pass runs over every document. Its findings are kept per project in a pack of their own
(named by :data:`CROSS`, a name no folder of inputs has), under the keys of every file that holds
one of the project's documents (:meth:`ResultsCache.cross_name`): a change to any of them, a file
added to the project or taken from it, or another identity mapping, checks the project again.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import stat
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from collections import Counter

from auditor.findings import Finding, Related, Severity
from auditor.plain import Field, Frozen, Mutable, evolve, frozen
from auditor.result import KEEP_ALL, KEEP_CONTEXT, KEEP_NONE, CheckedFile, SparseLines

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: Key is written out (auditor.plain), where attrs.frozen compiled its methods at every import;
#: tests/test_plain.py holds it to its attrs declaration.
_set = object.__setattr__

__all__ = ["ResultsCache", "Key", "FORMAT", "MAX_BYTES", "CROSS"]

#: Bump when the stored shape changes: packs of another format sit in another folder and are left alone.
FORMAT = 1
#: The folder of this format's packs (one per folder of inputs), inside the cache folder.
ENTRIES = f"results-{FORMAT}"
#: The pack of results that depend on several inputs (the cross-document checks, per project): named
#: as a folder of inputs is, by a name no folder has.
CROSS = f"\0cross-{FORMAT}"
#: After a run that checked something, the oldest packs are removed until the folder of packs holds at
#: most :data:`PRUNED_TO` of this, when it holds more.
MAX_BYTES = 512 * 1024 * 1024
PRUNED_TO = 0.8
#: The largest pack read or written (a folder of sheets with every line kept for the HTML report).
MAX_PACK_BYTES = 256 * 1024 * 1024
#: Inputs larger than this are not cached (hashing them would cost what it saves; a hostile sparse file).
MAX_INPUT_BYTES = 256 * 1024 * 1024
#: An entry not used for this many days is dropped when its pack is next written (a file deleted or renamed).
UNUSED_DAYS = 30
#: Temporary files older than this were left by a run that was killed: pruning removes them.
STALE_TEMP_SECONDS = 3600

_PACK_NAME = re.compile(r"[0-9a-f]{64}\.json")
_TEMP_NAME = re.compile(r"\.tmp-[0-9]+_[0-9]+\.json")
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
_CACHEDIR_TAG = ("Signature: 8a477f597d28d172789f06886806bc55\n"
                 "# This file is a cache directory tag created by auditor (its results cache).\n"
                 "# For information about cache directory tags see https://bford.info/cachedir/\n")


def disabled_by_environment() -> bool:
    """``AUDITOR_NO_CACHE`` (every cache) or ``AUDITOR_NO_RESULTS_CACHE`` (this one) set to anything but 0."""
    return any(os.environ.get(name, "").strip() not in ("", "0") for name in ("AUDITOR_NO_CACHE", "AUDITOR_NO_RESULTS_CACHE"))


class Key(Frozen):
    """What an input's bytes were when it was looked up: their hash, and the file's ``(size, mtime_ns,
    inode, device)`` then, to see it change while it is checked."""

    __slots__ = ("display", "digest", "seen", "__weakref__")
    display: str
    digest: str
    seen: tuple[int, int, int, int]

    def __init__(self, display: str, digest: str, seen: tuple[int, int, int, int]) -> None:
        _set(self, "display", display)
        _set(self, "digest", digest)
        _set(self, "seen", seen)


frozen(Key, Field("display"), Field("digest"), Field("seen"))


# --- what the run's results depend on, besides each input -----------------------------------------

_SOURCES: list[str] = []


def _source_digest() -> str:
    """SHA-256 of auditor's own sources (every ``.py`` of the package), once per process."""
    if not _SOURCES:
        package = Path(__file__).resolve().parent
        digest = hashlib.sha256()
        for path in sorted(package.rglob("*.py")):
            digest.update(path.relative_to(package).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
        _SOURCES.append(digest.hexdigest())
    return _SOURCES[0]


def run_context(settings: Any, spec: Any, keep: str) -> str:
    """The part of every entry's key that the run gives (see the module docstring); raises OSError
    when a pack cannot be read (the loader has read them, so only a file changing under the run)."""
    from auditor import __version__
    from auditor.engine.packs import builtin_rules_dir, pack_files

    digest = hashlib.sha256()

    def part(text: str) -> None:
        digest.update(text.encode("utf-8", "surrogatepass") + b"\0")

    part(f"auditor-results/{FORMAT}")
    part(__version__)
    part(f"{sys.version_info[0]}.{sys.version_info[1]}")
    part(_source_digest())
    part(os.environ.get("AUDITOR_ENGINE", "").strip().lower())
    part(KEEP_ALL if keep == KEEP_ALL else KEEP_CONTEXT)
    for root in (builtin_rules_dir(), *(Path(p) for p in settings.rules)):
        packs, vocabularies = pack_files(root)
        for path in (*vocabularies, *packs):
            part(path.name)
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    part(repr(sorted(spec.selected)) if spec.selected is not None else "all")
    part(repr(spec.severities))
    part(repr(spec.params))
    return digest.hexdigest()


# --- the cache ------------------------------------------------------------------------------------


class ResultsCache:
    """The results of one run, one pack file per folder of inputs (ruff keeps one per package).

    An input is looked up (:meth:`lookup`) and then its outcome recorded (:meth:`record`), both in
    the main process, in input order; the workers of ``--jobs`` only check. A folder's pack is read
    when its first input is looked up, and written, whole (a temporary file renamed over it), once
    its last input of the run is recorded, if anything in it changed: one file per folder, never one
    per input, since creating files is what costs (0.8 ms each on a CI runner's disk). Entries of
    files the run did not look at are kept, until unused for :data:`UNUSED_DAYS`.
    """

    def __init__(self, directory: Path, context: str) -> None:
        self.directory = Path(directory)
        self.context = context
        self.entries = self.directory / ENTRIES
        self.writable = True
        #: Inputs found, and looked up in vain (checked), in this run.
        self.hits = 0
        self.misses = 0
        #: ``(pack file, what is wrong with it: (ko, en))`` for each cache file read in vain (a warning): a miss.
        self.damaged: list[tuple[str, tuple[str, str]]] = []
        #: The key each input was looked up by, by display path (the cross pass keeps its results by them).
        self.keys: dict[str, Key] = {}
        #: Projects whose cross-document findings were taken from the cache, and those checked again.
        self.cross_hits = 0
        self.cross_misses = 0
        self._packs: dict[str, _Pack] = {}
        self._left: Counter[str] = Counter()
        self._made = 0
        self._today = int(time.time() // 86400)

    # setting up --------------------------------------------------------------------------------

    def prepare(self) -> OSError | None:
        """Make the folders (a new cache folder gets a ``CACHEDIR.TAG`` and a ``.gitignore`` of ``*``, as
        ruff's does); the error when entries cannot be written there (then the cache is only read)."""
        try:
            try:
                self.directory.mkdir(parents=True)
            except FileExistsError:
                pass
            else:  # only a folder made here: never write beside what a user keeps in a folder they named
                for name, text in (("CACHEDIR.TAG", _CACHEDIR_TAG), (".gitignore", "# made by auditor\n*\n")):
                    (self.directory / name).write_text(text, encoding="utf-8")
            self.entries.mkdir(exist_ok=True)
            if not os.access(self.entries, os.W_OK | os.X_OK):
                raise PermissionError(13, "Permission denied", str(self.entries))
        except OSError as e:
            self.writable = False
            return e
        return None

    def begin(self, inputs: Sequence[Any]) -> None:
        """The run's inputs: a folder's pack is written once its last one is recorded."""
        self._left = Counter(_folder(item.display) for item in inputs if item.data is None)

    def end(self) -> None:
        """Write every pack still open (a run that stopped early keeps what it checked)."""
        for folder in list(self._packs):
            self._flush(folder)

    # looking up ---------------------------------------------------------------------------------------

    def lookup(self, item: Any) -> tuple[Any | None, Key | None]:
        """``(outcome, key)``: what checking ``item`` gave last time its bytes were the same (as stored: the
        lines :meth:`keep_for` keeps; :func:`shaped` gives a run's), else None, and the key to record it
        under (None for standard input, a file that is not a regular one, or one too large to hash)."""
        if item.data is not None:
            return None, None
        key = _key(item)
        if key is None:
            self.misses += 1
            return None, None
        self.keys[item.display] = key
        entry = self._pack(_folder(item.display)).files.get(_name(item.display))
        if type(entry) is dict and entry.get("digest") == key.digest:
            try:
                outcome = decode(entry.get("outcome"), item.display)
            except Exception:  # damaged, foreign or from another version: a miss, whatever it is
                outcome = None
                self._damaged(self._path(_folder(item.display)),
                              (f"{item.display}의 항목이 손상됨", f"the entry of {item.display} is damaged"))
            if outcome is not None:
                self.hits += 1
                return outcome, key
        self.misses += 1
        return None, key

    def keep_for(self, keep: str) -> str:
        """What of the lines a checked input keeps so that its entry serves every report of this run's kind."""
        return KEEP_ALL if keep == KEEP_ALL else KEEP_CONTEXT

    def record(self, item: Any, key: Key | None, outcome: Any, hit: bool) -> None:
        """After :meth:`lookup`, once ``item`` is done: keep a new outcome (checked with :meth:`keep_for`'s
        lines; not an unreadable input, nor a file that changed while it was checked), note a hit's use."""
        if item.data is not None:
            return
        folder, name = _folder(item.display), _name(item.display)
        pack = self._packs.get(folder)
        if pack is not None and key is not None and self.writable:
            if hit:
                entry = pack.files.get(name)
                if type(entry) is dict and not _recent(entry.get("used"), self._today):
                    entry["used"] = self._today  # at most a write a day for a folder that is only read
                    pack.dirty = True
            elif isinstance(outcome, tuple) and _unchanged(item.path, key):
                try:
                    pack.files[name] = {"digest": key.digest, "used": self._today,
                                        "outcome": encode(outcome, item.display)}
                    pack.dirty = True
                except (TypeError, ValueError):
                    pass
        self._left[folder] -= 1
        if self._left[folder] <= 0:
            self._flush(folder)

    def project_key(self, keys: Iterable[Key | None]) -> str | None:
        """One name for a set of inputs (a project's documents): it changes when any of them does, and
        is None when one could not be hashed. For the cross-document pass, whose results depend on every
        document of a project: keep them under :data:`CROSS` by this name, apart from the per-file packs."""
        digest = hashlib.sha256(f"{self.context}\0project\0".encode())
        if any(key is None for key in keys):
            return None
        for key in sorted(keys, key=lambda k: k.display):  # type: ignore[union-attr]
            digest.update(f"{key.display}\0{key.digest}\0".encode("utf-8", "surrogatepass"))  # type: ignore[union-attr]
        return digest.hexdigest()

    # the cross pass's results, per project ---------------------------------------------------------------

    def cross_name(self, displays: Iterable[str], salt: str) -> str | None:
        """The name a project's cross-document findings are kept under: of the keys of every file that
        holds one of its documents (``displays``) and of ``salt`` (what else they depend on: the
        project's identity and the identity mapping); None when a file was not looked up or hashed."""
        base = self.project_key([self.keys.get(d) for d in set(displays)])
        if base is None:
            return None
        return hashlib.sha256(f"{base}\0{salt}".encode("utf-8", "surrogatepass")).hexdigest()

    def cross_lookup(self, name: str) -> list[Finding] | None:
        """The findings kept under ``name`` (:meth:`cross_name`), or None (a damaged entry: a warning)."""
        pack = self._pack(CROSS)
        entry = pack.files.get(name)
        if type(entry) is dict and entry.get("digest") == name:
            try:
                found = [_finding_of(row) for row in _list(entry["findings"])]
            except Exception:  # damaged or planted: the project is checked again
                self._damaged(pack.path, ("교차 검사 항목이 손상됨", "an entry of the cross-document checks is damaged"))
            else:
                self.cross_hits += 1
                if not _recent(entry.get("used"), self._today):
                    entry["used"] = self._today
                    pack.dirty = True
                return found
        self.cross_misses += 1
        return None

    def cross_record(self, name: str, findings: Sequence[Finding]) -> None:
        """Keep a project's cross-document findings under ``name``; :meth:`cross_end` writes them."""
        if self.writable:
            pack = self._pack(CROSS)
            pack.files[name] = {"digest": name, "used": self._today, "findings": [_finding_row(f) for f in findings]}
            pack.dirty = True

    def cross_end(self) -> None:
        """Write the cross pass's pack, if anything in it changed."""
        self._flush(CROSS)

    # packs --------------------------------------------------------------------------------------------

    def _damaged(self, path: str, why: tuple[str, str]) -> None:
        if not any(seen == path for seen, _ in self.damaged):
            self.damaged.append((path, why))

    def _path(self, folder: str) -> str:
        name = hashlib.sha256(f"{self.context}\0folder\0{folder}".encode("utf-8", "surrogatepass")).hexdigest()
        return os.path.join(self.entries, f"{name}.json")

    def _pack(self, folder: str) -> _Pack:
        pack = self._packs.get(folder)
        if pack is None:
            path = self._path(folder)
            files: dict[str, Any] = {}
            data, problem = _read_regular(path, MAX_PACK_BYTES)
            if data is not None:
                try:
                    doc = json.loads(data.decode("utf-8"))
                    if (type(doc) is dict and doc.get("format") == FORMAT and doc.get("folder") == folder
                            and type(doc.get("files")) is dict):
                        files = doc["files"]
                    else:
                        problem = ("이 캐시의 파일이 아님", "not a pack of this cache")
                except Exception:  # damaged: every input of the folder is a miss, and the pack is written anew
                    problem = ("JSON이 아님", "not JSON")
            if problem is not None:
                self._damaged(path, problem)
            pack = self._packs[folder] = _Pack(path, files)
        return pack

    def _flush(self, folder: str) -> None:
        pack = self._packs.pop(folder, None)
        if pack is None or not pack.dirty or not self.writable:
            return
        oldest = self._today - UNUSED_DAYS
        files = {name: entry for name, entry in pack.files.items()
                 if type(entry) is dict and type(entry.get("used")) is int and entry["used"] >= oldest}
        try:
            payload = json.dumps({"format": FORMAT, "folder": folder, "files": files}, ensure_ascii=False,
                                 separators=(",", ":")).encode("utf-8")
        except (TypeError, ValueError, UnicodeEncodeError):
            return
        if len(payload) > MAX_PACK_BYTES:
            return
        try:
            fd, tmp = self._temporary()
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(payload)
                os.replace(tmp, pack.path)  # whole or not at all: a concurrent run reads the old pack or the new
            except BaseException:
                os.unlink(tmp)
                raise
        except OSError:
            self.writable = False

    def _temporary(self) -> tuple[int, str]:
        """A new file beside the packs, ``.tmp-PID_N.json``, opened exclusively (another run's is never reused)."""
        while True:
            self._made += 1
            tmp = os.path.join(self.entries, f".tmp-{os.getpid()}_{self._made}.json")
            try:
                return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o644), tmp
            except FileExistsError:  # left by a killed run whose process number came back
                continue

    def prune(self, limit: int = MAX_BYTES) -> None:
        """Remove packs not written for :data:`UNUSED_DAYS` (those of another auditor or other settings,
        folders no longer checked), then the oldest packs (by time stamp) until the folder holds at most
        :data:`PRUNED_TO` of ``limit``, when it holds more; and temporary files a killed run left. Only files named as packs
        are ever removed, and only inside this cache's folder of packs."""
        now = time.time()
        found: list[tuple[float, int, str]] = []
        total = 0
        try:
            entries = list(os.scandir(self.entries))
        except OSError:
            return
        for entry in entries:
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if not stat.S_ISREG(info.st_mode):
                continue
            if _PACK_NAME.fullmatch(entry.name):
                if now - info.st_mtime > UNUSED_DAYS * 86400 and _unlink(entry.path):
                    continue  # not written for that long: not used (a hit rewrites its pack every other day)
                found.append((info.st_mtime, info.st_size, entry.path))
                total += info.st_size
            elif _TEMP_NAME.fullmatch(entry.name) and now - info.st_mtime > STALE_TEMP_SECONDS:
                _unlink(entry.path)
        if total <= limit:
            return
        for _, size, path in sorted(found):
            if total <= limit * PRUNED_TO:
                break
            if _unlink(path):
                total -= size


class _Pack(Mutable):
    """One folder's entries as read (raw JSON: an entry is decoded only when its input is looked up)."""

    __slots__ = ("path", "files", "dirty", "__weakref__")
    path: str
    files: dict[str, Any]
    dirty: bool

    def __init__(self, path: str, files: dict[str, Any], dirty: bool = False) -> None:
        self.path = path
        self.files = files
        self.dirty = dirty


#: Written out (auditor.plain), where attrs.define compiled its methods at every import;
#: tests/test_plain.py holds it to its attrs declaration.
frozen(_Pack, Field("path"), Field("files"), Field("dirty", default=False))


def _folder(display: str) -> str:
    return display.rpartition("/")[0]


def _name(display: str) -> str:
    return display.rpartition("/")[2]


def _recent(day: Any, today: int) -> bool:
    return type(day) is int and day >= today - 1


def _key(item: Any) -> Key | None:
    """The hash of an input's bytes (and of the size limit it is read under), or None when it is not a
    regular file that can be read, or is larger than :data:`MAX_INPUT_BYTES`."""
    try:
        fd = os.open(item.path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except (OSError, ValueError):
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_INPUT_BYTES:
            return None
        digest = hashlib.sha256(f"{item.max_size}\0".encode())
        size = 0
        while chunk := os.read(fd, max(info.st_size + 1, 1 << 16)):
            size += len(chunk)
            if size > MAX_INPUT_BYTES:
                return None
            digest.update(chunk)
    except OSError:
        return None
    finally:
        os.close(fd)
    return Key(item.display, digest.hexdigest(), _seen(info))


def _unchanged(path: str, key: Key) -> bool:
    """Is the file as it was when hashed? (Else what was checked may not be what was hashed.)"""
    try:
        return _seen(os.stat(path)) == key.seen
    except OSError:
        return False


def _seen(info: os.stat_result) -> tuple[int, int, int, int]:
    return info.st_size, info.st_mtime_ns, info.st_ino, info.st_dev


def _unlink(path: str) -> bool:
    try:
        os.unlink(path)
        return True
    except OSError:
        return False


_TOO_LARGE = ("너무 큼", "too large")


def _read_regular(path: str, limit: int) -> tuple[bytes | None, tuple[str, str] | None]:
    """``(bytes, None)`` if ``path`` is a regular file (not a link, FIFO or device) of at most ``limit``
    bytes; ``(None, None)`` if there is no such file; else ``(None, why it is not read: (ko, en))``."""
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except FileNotFoundError:
        return None, None
    except OSError as e:
        if e.errno == errno.ELOOP:
            return None, ("링크임", "a link")
        return None, (f"읽을 수 없음: {e.strerror or e}", f"unreadable: {e.strerror or e}")
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return None, ("일반 파일이 아님", "not a regular file")
        if info.st_size > limit:
            return None, _TOO_LARGE
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(max(info.st_size + 1, 1 << 16), limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return (None, _TOO_LARGE) if size > limit else (b"".join(chunks), None)
    except OSError as e:
        return None, (f"읽을 수 없음: {e.strerror or e}", f"unreadable: {e.strerror or e}")
    finally:
        os.close(fd)


def shaped(outcome: Any, keep: str) -> Any:
    """``outcome`` with the lines ``keep`` asks for: an entry keeps the lines around findings, which a
    run that shows no lines (``KEEP_NONE``) drops, as checking with it would have."""
    if keep != KEEP_NONE or not isinstance(outcome, tuple):
        return outcome
    checked, findings = outcome
    return evolve(checked, lines=SparseLines(len(checked.lines), {})), findings


# --- the data format ------------------------------------------------------------------------------
#
#   {"format": 1, "key": "<hex>", "path": "<display path>",
#    "file": {"encoding": "utf-8", "title": "…", "department": "…",
#             "lines": {"all": ["…", …]}  or  {"count": 120, "kept": [[3, "…"], …]},
#             "totals": [[department, project, [rows, budget, … 10 integers], [kinds…], first_line, year, version], …],
#             "index": [[kind, name, department, account, year, line, projection], …]},   (with cross rules only)
#    "findings": [[code, name, severity, path, line, message_ko, message_en, column, end_column,
#                  [[path, line, label], …], expected, actual, key, occurrence, [[name, value], …]], …]}


def encode(outcome: tuple[CheckedFile, Sequence[Finding]], display: str) -> dict[str, Any]:
    """An outcome as the JSON data of a pack's entry."""
    checked, findings = outcome
    lines = checked.lines
    if isinstance(lines, SparseLines):
        stored: dict[str, Any] = {"count": lines.count, "kept": sorted([n, t] for n, t in lines.kept.items())}
    else:
        stored = {"all": list(lines)}
    totals = [[p.department, p.project, [getattr(p.totals, name) for name in p.totals._names], list(p.kinds),
               p.first_line, p.year, p.version] for p in checked.totals]
    file = {"path": checked.path, "encoding": checked.encoding, "title": checked.title,
            "department": checked.department, "lines": stored, "totals": totals}
    if checked.index:  # a run with cross-document rules: what the cross pass needs of the file's documents
        from auditor.crossdoc.index import entry_data

        file["index"] = [entry_data(e) for e in checked.index]
    return {
        "path": display,
        "file": file,
        "findings": [_finding_row(f) for f in findings],
    }


def _finding_row(f: Finding) -> list[Any]:
    return [f.code, f.name, f.severity.value, f.path, f.line, f.message_ko, f.message_en, f.column, f.end_column,
            [[r.path, r.line, r.label] for r in f.related], f.expected, f.actual, f.key, f.occurrence,
            [[k, v] for k, v in f.context]]


def _finding_of(row: Any) -> Finding:
    """The finding :func:`_finding_row` wrote; ValueError (TypeError, KeyError) for any other shape."""
    (code, name, severity, path, line, ko, en, column, end_column, related, expected, actual, key, occurrence,
     context) = _list(row, 15)
    return Finding(
        _str(code), _str(name), Severity(_str(severity)), _str(path), _int(line), _str(ko), _str(en),
        _opt_int(column), _opt_int(end_column),
        tuple(Related(_str(p), _int(n), _str(label)) for p, n, label in (_list(r, 3) for r in _list(related))),
        _opt_str(expected), _opt_str(actual), _str(key), _int(occurrence),
        tuple((_str(k), _str(v)) for k, v in (_pair(c) for c in _list(context))),
    )


def decode(doc: Any, display: str) -> tuple[CheckedFile, tuple[Finding, ...]] | None:
    """The outcome an entry holds; None for an entry of another path; ValueError (or TypeError, KeyError)
    for anything that is not exactly what :func:`encode` writes."""
    from auditor.totals import ProjectTotals, Totals

    if type(doc) is not dict or doc.get("path") != display:
        return None
    file = _dict(doc["file"])
    stored = _dict(file["lines"])
    if "all" in stored:
        lines: Sequence[str] = [_str(t) for t in _list(stored["all"])]
    else:
        count = _int(stored["count"])
        kept = {}
        for pair in _list(stored["kept"]):
            n, text = _pair(pair)
            if not 1 <= _int(n) <= count:
                raise ValueError("a kept line outside the file")
            kept[n] = _str(text)
        lines = SparseLines(count, kept)
    totals = []
    for row in _list(file["totals"]):
        department, project, sums, kinds, first_line, year, version = _list(row, 7)
        sums = _list(sums, len(Totals._names))
        totals.append(ProjectTotals(_str(department), _str(project), Totals(*(_int(v) for v in sums)),
                                    tuple(_str(k) for k in _list(kinds)), _int(first_line), _str(year), _str(version)))
    index = ()
    if "index" in file:  # checked by entry_from_data against the shape an entry has; nothing is unmarshalled
        from auditor.crossdoc.index import entry_from_data

        index = tuple(entry_from_data(e, _str(file["path"])) for e in _list(file["index"]))
    checked = CheckedFile(_str(file["path"]), lines, _str(file["encoding"]), _str(file["title"]), totals=totals,
                          department=_str(file["department"]), index=index)
    return checked, tuple(_finding_of(row) for row in _list(doc["findings"]))


def _str(value: Any) -> str:
    if type(value) is not str:
        raise ValueError("not a string")
    return value


def _int(value: Any) -> int:
    if type(value) is not int:
        raise ValueError("not an integer")
    return value


def _opt_str(value: Any) -> str | None:
    return None if value is None else _str(value)


def _opt_int(value: Any) -> int | None:
    return None if value is None else _int(value)


def _list(value: Any, length: int | None = None) -> list:
    if type(value) is not list or (length is not None and len(value) != length):
        raise ValueError("not a list of the right length")
    return value


def _pair(value: Any) -> list:
    return _list(value, 2)


def _dict(value: Any) -> dict:
    if type(value) is not dict:
        raise ValueError("not an object")
    return value


def open_for(settings: Any, spec: Any, keep: str) -> tuple[ResultsCache | None, OSError | None]:
    """The run's cache (None when it is off), and why entries cannot be written, if so."""
    directory = settings.cache_path
    if directory is None or disabled_by_environment():
        return None, None
    try:
        cache = ResultsCache(directory, run_context(settings, spec, keep))
    except OSError as e:  # a pack or a source that cannot be read now: check without the cache
        return None, e
    return cache, cache.prepare()


def clear(directory: Path) -> int | None:
    """Remove the results cache in ``directory`` (``auditor clean``): every pack of every format, the
    temporary files, and the ``CACHEDIR.TAG`` and ``.gitignore`` it made; the folder itself if that
    leaves it empty. Returns how many files were removed, or None when ``directory`` is not a results
    cache (no ``CACHEDIR.TAG`` of auditor's and no folder of packs): a folder named by mistake is
    left alone. Only files with the names this module writes are ever removed; raises OSError."""
    directory = Path(directory)
    if not directory.is_dir() or directory.is_symlink():
        return 0 if not os.path.lexists(directory) else None
    folders = [p for p in directory.iterdir()
               if re.fullmatch(r"(results|cross)-[0-9]+", p.name) and p.is_dir() and not p.is_symlink()]
    tag = directory / "CACHEDIR.TAG"
    ours = tag.is_file() and not tag.is_symlink() and _read_regular(str(tag), 4096)[0] == _CACHEDIR_TAG.encode()
    if not ours and not folders:
        return None
    removed = 0
    for folder in folders:
        for entry in os.scandir(folder):
            if (_PACK_NAME.fullmatch(entry.name) or _TEMP_NAME.fullmatch(entry.name)) and not entry.is_dir(
                    follow_symlinks=False):
                os.unlink(entry.path)
                removed += 1
        _rmdir(folder)
    if ours:
        tag.unlink()
        removed += 1
        ignore = directory / ".gitignore"
        if ignore.is_file() and not ignore.is_symlink() and ignore.read_bytes() == b"# made by auditor\n*\n":
            ignore.unlink()
            removed += 1
    _rmdir(directory)
    return removed


def _rmdir(path: Path) -> None:
    try:
        path.rmdir()
    except OSError:  # not empty: something not ours is there
        pass
