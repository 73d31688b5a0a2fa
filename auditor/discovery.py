"""Turn the paths given on the command line (files, directories, globs, ``-``) into inputs to check."""

from __future__ import annotations

import os
import posixpath
import stat
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path, PurePosixPath

from auditor import recache
from auditor.globs import GlobError, compile_glob
from auditor.plain import Field, Frozen, evolve, frozen
from auditor.readers.opening import DEFAULT_MAX_FILE_SIZE
from auditor.result import FileError

#: Which files a directory contributes when recursed; a file named explicitly is always read.
#: Markdown is left out: in a repository it is documentation far more often than a sheet.
DEFAULT_INCLUDE: tuple[str, ...] = ("*.txt", "*.csv")
#: Directories and files never entered or read during recursion (hidden ones are skipped too).
#: Project documents and well-known tool files that end in ``.txt`` are not sheets, so a walk
#: skips them by name (never by content: which files are read depends on their paths alone).
DEFAULT_EXCLUDE: tuple[str, ...] = (
    "node_modules", "venv", ".venv", "__pycache__", "build", "dist", "_build", "site-packages", ".auditor_cache",
    "README*", "CHANGELOG*", "CONTRIBUTING*", "LICENSE*", "NOTICE*", "AUTHORS*", "COPYING*",
    "requirements*.txt", "constraints*.txt", "CMakeLists.txt", "robots.txt",
)

STDIN = "-"
_set = object.__setattr__  # as attrs' own __init__ sets a frozen class's slots
GLOB_CHARS = recache.compile(r"[*?\[]")


class Input(Frozen):
    """One input to check: where to read it (``-`` for stdin) and the path reports show."""

    #: No ``__weakref__`` slot (attrs' ``weakref_slot=False``): an input is held from discovery to the
    #: report, and the slot made each of them 16 bytes larger (72 bytes, an 80-byte block, against 64).
    __slots__ = ("path", "display", "data", "max_size")
    path: str
    display: str
    data: bytes | None
    #: The largest 사업설명서 text read from ``path``, in bytes (0: no limit); see ``auditor.readers.opening``.
    max_size: int

    def __init__(self, path: str, display: str, data: bytes | None = None,
                 max_size: int = DEFAULT_MAX_FILE_SIZE) -> None:
        _set(self, "path", path)
        _set(self, "display", display)
        _set(self, "data", data)
        _set(self, "max_size", max_size)


class Discovery(Frozen):
    """The inputs found, in order, the paths that named nothing readable, and warnings (symlink loops)."""

    __slots__ = ("inputs", "errors", "warnings", "__weakref__")
    inputs: tuple[Input, ...]
    errors: tuple[FileError, ...]
    warnings: tuple[FileError, ...]

    def __init__(self, inputs: tuple[Input, ...] = (), errors: tuple[FileError, ...] = (),
                 warnings: tuple[FileError, ...] = ()) -> None:
        _set(self, "inputs", tuple(inputs))
        _set(self, "errors", tuple(errors))
        _set(self, "warnings", tuple(warnings))


#: The classes of this module are written out (auditor.plain), where attrs.frozen compiled their
#: methods at every import; tests/test_plain.py holds each to its attrs declaration.
frozen(Input, Field("path"), Field("display"), Field("data", default=None, repr=False),
       Field("max_size", default=DEFAULT_MAX_FILE_SIZE))
frozen(Discovery, Field("inputs", default=(), seq=True), Field("errors", default=(), seq=True),
       Field("warnings", default=(), seq=True))


def printable(path: str) -> str:
    """``path`` as text that any report can hold: bytes of a file name that are not UTF-8 (which
    Python carries as lone surrogates) are shown as ``\\xNN``, as git shows them quoted.

    Reports, fingerprints and baselines are UTF-8; a lone surrogate cannot be written in it and
    used to cut a JSON, SARIF or GitLab report short. The path used to open the file is untouched.
    """
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        try:
            return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        except UnicodeEncodeError:  # a surrogate that is no escaped byte
            return path.encode("utf-8", "backslashreplace").decode("utf-8")


def display_path(path: str | os.PathLike[str], root: Path) -> str:
    """The POSIX path relative to ``root`` when the file lies under it, else the path as given.

    Fingerprints contain this path, so a baseline written from one directory
    matches a run started from any other directory of the same project. It is
    :func:`printable`: bytes that are not UTF-8 are shown as ``\\xNN``.
    """
    p = Path(path)
    absolute = Path(os.path.normpath(p if p.is_absolute() else Path.cwd() / p))
    root = root if root.is_absolute() else Path.cwd() / root
    for base in (root, root.resolve()):
        try:
            return printable(absolute.relative_to(base).as_posix())
        except ValueError:
            continue
    return printable(Path(os.path.normpath(p)).as_posix())


class DisplayPaths:
    """:func:`display_path` for many paths under one ``root``: the working directory and the root's
    absolute and resolved forms are found once, not for every file (``Path.resolve`` is a system
    call per component), and a path is then compared as a string. Equal to :func:`display_path`
    for every path (``tests/test_discovery_fast.py``); anything but a plain POSIX path (a ``//``
    root, another separator) is left to it.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.cwd = os.getcwd()
        absolute = root if root.is_absolute() else Path(self.cwd) / root
        self.fast = os.sep == "/" and not self.cwd.startswith("//")
        self.bases = [b for b in dict.fromkeys((str(absolute), str(absolute.resolve())))]
        if any(b.startswith("//") for b in self.bases):
            self.fast = False

    def __call__(self, path: str | os.PathLike[str]) -> str:
        if not self.fast:
            return display_path(path, self.root)
        path = os.fspath(path)
        absolute = posixpath.normpath(posixpath.join(self.cwd, path))
        if absolute.startswith("//"):
            return display_path(path, self.root)
        return self._shown(absolute, path)

    def _shown(self, absolute: str, path: str) -> str:
        """The path shown for ``path``, whose absolute path (normalised) is ``absolute``."""
        for base in self.bases:
            if absolute == base:
                return "."
            if base == "/":
                return printable(absolute[1:])
            if absolute.startswith(base) and absolute[len(base)] == "/":
                return printable(absolute[len(base) + 1:])
        return printable(posixpath.normpath(path))

    def directory(self, path: str) -> str | None:
        """What :meth:`child` needs of the directory ``path`` to show the files a walk finds in it: its
        absolute path, worked out once for all of them; None where each file takes the whole way."""
        if not self.fast:
            return None
        absolute = posixpath.normpath(posixpath.join(self.cwd, path))
        return None if absolute.startswith("//") else absolute

    def child(self, directory: str | None, path: str, name: str) -> str:
        """``self(path)`` for ``path``, the entry ``name`` (a plain name: no ``/``, not ``.`` or ``..``) of the
        directory of which :meth:`directory` gave ``directory``: its absolute path is the directory's and the
        name, so a walk normalises each directory's path once, not each file's (a quarter of discovery's CPU);
        ``tests/test_discovery_fast.py`` holds the two equal."""
        if directory is None:
            return self(path)
        return self._shown(directory + "/" + name if directory != "/" else "/" + name, path)


class RelativePaths:
    """:func:`relative_path` for many paths from one ``base``: the base's absolute and real forms
    are found once, and a file's real path is its directory's (found once per directory) joined
    with its name, unless the file itself is a symbolic link (one ``lstat``), which is resolved
    in full. Equal to :func:`relative_path` for every path (``tests/test_discovery_fast.py``).
    """

    def __init__(self, base: Path) -> None:
        self.base = base
        self.bases = (os.path.abspath(base), os.path.realpath(base))
        self.directories: dict[str, str] = {}
        #: The bases' names, for os.path.relpath's own computation without its abspath of both
        #: (on POSIX, both paths absolute and normal already); None: os.path.relpath.
        self.parts = [b.split("/") if os.sep == "/" and not b.startswith("//") else None for b in self.bases]

    def _relpath(self, target: str, k: int) -> str:
        """``os.path.relpath(target, self.bases[k])`` for an absolute normal ``target``."""
        start = self.parts[k]
        if start is None or target.startswith("//"):
            return os.path.relpath(target, self.bases[k])
        names = [n for n in target.split("/") if n]
        start = [n for n in start if n]
        i, n = 0, min(len(names), len(start))
        while i < n and names[i] == start[i]:
            i += 1
        return "/".join([".."] * (len(start) - i) + names[i:]) or "."

    def _realpath(self, target: str) -> str:
        directory, name = os.path.split(target)
        if not name or name in (".", ".."):
            return os.path.realpath(target)
        try:
            if stat.S_ISLNK(os.lstat(target).st_mode):
                return os.path.realpath(target)
        except (OSError, ValueError):
            pass  # as realpath: what cannot be looked at is taken as it is written
        real = self.directories.get(directory)
        if real is None:
            real = self.directories[directory] = os.path.realpath(directory)
        return os.path.join(real, name)

    def __call__(self, path: str | os.PathLike[str]) -> str:
        target = os.path.abspath(path)
        real = self._realpath(target)
        candidates = []
        for k, t in enumerate((target, real) if real != target or self.bases[0] != self.bases[1] else (target,)):
            try:
                candidates.append(self._relpath(t, k))
            except ValueError:  # another drive (Windows): no relative path exists
                candidates.append(t)
        best = min(candidates, key=lambda c: (c.count(".."), len(c))) if len(candidates) > 1 else candidates[0]
        return printable(best if os.sep == "/" else Path(best).as_posix())


def relative_path(path: str | os.PathLike[str], base: Path) -> str:
    """The POSIX path of ``path`` relative to the directory ``base`` (``../`` when outside it).

    This is how the human formats print paths: from the current directory, so
    that a path printed by a run started in a subfolder can be opened from there.
    """
    target = os.path.abspath(path)
    candidates = []
    for t, b in ((target, os.path.abspath(base)), (os.path.realpath(target), os.path.realpath(base))):
        try:
            candidates.append(os.path.relpath(t, b))
        except ValueError:  # another drive (Windows): no relative path exists
            candidates.append(t)
    best = min(candidates, key=lambda c: (c.count(".."), len(c)))
    return printable(Path(best).as_posix())


def glob_match(pattern: str, path: str) -> bool:
    """Does ``pattern`` match the POSIX ``path``? A pattern without ``/`` also matches any basename.

    Linear in the path whatever the pattern (:mod:`auditor.globs`); ``GlobError`` for a pattern
    that cannot be read (check patterns up front with :func:`check_glob`).
    """
    pattern = pattern.removeprefix("./")
    if compile_glob(pattern).match(path):
        return True
    if "/" not in pattern.rstrip("/"):  # the basename, without parsing the path (it may be very deep)
        return compile_glob(pattern.rstrip("/")).match(posixpath.basename(path.rstrip("/")))
    return False


def check_glob(pattern: str) -> None:
    """Raise :class:`auditor.globs.GlobError` if ``pattern`` cannot be read as a glob."""
    pattern = pattern.removeprefix("./")
    compile_glob(pattern)
    compile_glob(pattern.rstrip("/"))


def matches_any(patterns: Iterable[str], path: str) -> bool:
    return any(glob_match(p, path) for p in patterns)


class Patterns:
    """:func:`matches_any` for one list of patterns, each read once: a pattern without ``/`` and
    ``**`` cannot match a path with a ``/`` in it (``*``, ``?`` and classes never match one), so
    it is matched against the basename alone, which is what :func:`glob_match` ends up doing; and
    such a pattern that is a plain name, ``NAME*``, ``*NAME`` or ``START*END`` (all of
    :data:`DEFAULT_EXCLUDE` and :data:`DEFAULT_INCLUDE`) is a set lookup, ``startswith`` or
    ``endswith``."""

    def __init__(self, patterns: Iterable[str]) -> None:
        self.patterns = tuple(patterns)
        self.names: list | None = None  # globs matched against the basename only, once read
        self.paths: list = []  # (glob of the whole path, glob of the basename or None)

    def _read(self) -> None:  # at the first path, as glob_match reads a pattern (GlobError then)
        self.names = []
        self.literal: set[str] = set()  # names without any glob character
        self.prefixes: tuple[str, ...] = ()  # NAME*
        self.suffixes: tuple[str, ...] = ()  # *NAME
        self.affixes: list[tuple[str, str, int]] = []  # START*END, with len(START + END)
        for pattern in self.patterns:
            pattern = pattern.removeprefix("./")
            stripped = pattern.rstrip("/")
            if "/" not in pattern and "**" not in pattern:
                compile_glob(pattern)  # read, as glob_match reads it
                if not GLOB_CHARS.search(pattern):
                    self.literal.add(pattern)
                elif pattern.endswith("*") and not GLOB_CHARS.search(pattern[:-1]):
                    self.prefixes += (pattern[:-1],)
                elif pattern.startswith("*") and not GLOB_CHARS.search(pattern[1:]):
                    self.suffixes += (pattern[1:],)
                elif pattern.count("*") == 1 and not GLOB_CHARS.search(pattern.replace("*", "")):
                    start, end = pattern.split("*")
                    self.affixes.append((start, end, len(start) + len(end)))
                else:
                    self.names.append(compile_glob(pattern).match)
            else:
                self.paths.append((compile_glob(pattern).match,
                                   compile_glob(stripped).match if "/" not in stripped else None))

    def __call__(self, path: str) -> bool:
        return self.named(path, posixpath.basename(path.rstrip("/")))

    def named(self, path: str, name: str) -> bool:
        """``self(path)`` for a caller that has ``name``, the basename of ``path`` without its trailing
        slashes, already (a walk: one base name for the include and the exclude test)."""
        if self.names is None:
            self._read()
        if name in self.literal or name.startswith(self.prefixes) or name.endswith(self.suffixes):
            return True
        for start, end, size in self.affixes:  # (``*`` never meets a ``/``, and a base name has none)
            if len(name) >= size and name.startswith(start) and name.endswith(end):
                return True
        for match in self.names:  # type: ignore[union-attr]
            if match(name):
                return True
        for whole, base in self.paths:
            if whole(path) or (base is not None and base(name)):
                return True
        return False


def excluded(patterns: Sequence[str], path: str) -> bool:
    """Is ``path``, or a directory it lies in, matched by one of ``patterns``?"""
    parts = PurePosixPath(path).parts
    return any(matches_any(patterns, "/".join(parts[: i + 1])) for i in range(len(parts)))


def discover(
    paths: Sequence[str],
    *,
    root: Path,
    include: Sequence[str] = DEFAULT_INCLUDE,
    exclude: Sequence[str] = DEFAULT_EXCLUDE,
    stdin_filename: str | None = None,
    stdin: bytes | FileError | None = None,
    force_exclude: bool = False,
    max_size: int = DEFAULT_MAX_FILE_SIZE,
) -> Discovery:
    """Expand ``paths`` into inputs, in the order given; directories are recursed in sorted order.

    A file named explicitly is read whatever its extension and even if excluded
    (unless ``force_exclude``, for pre-commit, which names every staged file);
    a directory contributes the files matching ``include`` and not ``exclude``; a
    glob (left unexpanded by the shell) contributes its matches that are not excluded.
    Each input appears once (first mention wins). A path that names nothing, and a
    directory that cannot be listed, become a :class:`FileError`; the others are still
    checked. Symbolic links to directories are followed, each directory walked once;
    a link back to a directory it lies in (a loop) is a warning.
    """
    inputs: list[Input] = []
    errors: list[FileError] = []
    warnings: list[FileError] = []
    seen: set[str] = set()

    shown = DisplayPaths(root)
    included, excluding = Patterns(include), Patterns(exclude)
    absolute = _absolute()

    def add(path: str, display: str | None = None) -> None:
        key = os.path.normcase(absolute(path))
        if key not in seen:
            seen.add(key)
            inputs.append(Input(path, shown(path) if display is None else display, max_size=max_size))

    def walk(directory: Path) -> list[tuple[str, str]]:
        walked = _walk(directory, root, include, exclude, shown=shown, included=included, excluding=excluding)
        errors.extend(walked.errors)
        warnings.extend(w for w in walked.warnings if w not in warnings)
        return walked.files

    for raw in paths:
        if raw == STDIN:
            name = display_path(stdin_filename, root) if stdin_filename else STDIN
            if STDIN not in seen:
                seen.add(STDIN)
                if isinstance(stdin, FileError):  # standard input too large to read
                    errors.append(evolve(stdin, path=name))
                else:
                    inputs.append(Input(STDIN, name, stdin if stdin is not None else b"", max_size=max_size))
            continue
        p = Path(raw)
        kind = _kind(raw)
        if isinstance(kind, OSError):  # a path the system cannot look at (too long, no permission …)
            errors.append(_unreadable(printable(raw), kind))
        elif kind == "dir":
            for found, display in walk(p):
                add(found, display)
        elif kind == "file":  # a dangling link is read, to say so
            if not (force_exclude and excluded(exclude, display_path(raw, root))):
                add(raw)
        elif GLOB_CHARS.search(raw):
            import glob  # only for a pattern the shell left unexpanded: not at start-up (about 3 M instructions)

            matched = sorted(glob.glob(raw, recursive=True))
            files: list[tuple[str, str | None]] = [
                (m, None) for m in matched if Path(m).is_file() and not excluded(exclude, shown(m))]
            for d in (m for m in matched if Path(m).is_dir()):
                files.extend(walk(Path(d)))
            if not files:
                errors.append(FileError(printable(raw), "패턴에 맞는 파일이 없습니다", "no file matches this pattern"))
            for f, display in files:
                add(f, display)
        else:
            errors.append(FileError(printable(raw), "파일이나 디렉터리가 없습니다", "no such file or directory"))
    return Discovery(inputs, errors, warnings)


def _absolute() -> Callable[[str], str]:
    """``os.path.abspath`` for the paths of one discovery: on POSIX the working directory is asked
    once (a discovery does not change it), not once per input; elsewhere ``os.path.abspath``."""
    if os.sep != "/":
        return os.path.abspath
    cwd, normpath, join = os.getcwd(), posixpath.normpath, posixpath.join

    def absolute(path: str) -> str:
        return normpath(path if path.startswith("/") else join(cwd, path))

    return absolute


def _kind(path: str) -> str | OSError | None:
    """``"dir"``, ``"file"`` (anything else that exists, or a dangling link), None (nothing there),
    or the error that keeps the system from saying (a path longer than PATH_MAX, no permission)."""
    try:
        st = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return "file" if os.path.islink(path) else None
    except OSError as err:
        return err
    except ValueError:  # a NUL byte in the path
        return OSError(22, "invalid path (it holds a NUL character)")
    return "dir" if stat.S_ISDIR(st.st_mode) else "file"


def _unreadable(shown: str, err: OSError) -> FileError:
    if isinstance(err, PermissionError):
        return FileError(shown, "읽을 권한이 없습니다", "permission denied")
    reason = err.strerror or str(err)
    return FileError(shown, f"읽을 수 없습니다: {reason}", f"cannot read: {reason}")


class _Walked(Frozen):
    __slots__ = ("files", "errors", "warnings", "__weakref__")
    files: list[tuple[str, str]]  # (path, display path)
    errors: list[FileError]
    warnings: list[FileError]

    def __init__(self, files: list[tuple[str, str]], errors: list[FileError], warnings: list[FileError]) -> None:
        _set(self, "files", files)
        _set(self, "errors", errors)
        _set(self, "warnings", warnings)


frozen(_Walked, Field("files"), Field("errors"), Field("warnings"))


def _walk(directory: Path, root: Path, include: Sequence[str], exclude: Sequence[str], *,
          shown: DisplayPaths | None = None, included: Patterns | None = None,
          excluding: Patterns | None = None) -> _Walked:
    """Sheet files under ``directory`` with their display paths, sorted by path, skipping hidden
    and excluded entries. ``shown``, ``included`` and ``excluding`` are ``root``, ``include`` and
    ``exclude`` read once for a whole discovery (made here when not given).

    Iterative (no recursion limit on deep trees). Each directory, by ``(st_dev, st_ino)``,
    is walked once: real directories first, then the symbolic links to directories not walked
    yet, so a file reached both ways is shown at its real path. A link to a directory that
    contains it is a loop: skipped with one warning. A directory that cannot be listed is an error.
    """
    shown = shown if shown is not None else DisplayPaths(root)
    included = included if included is not None else Patterns(include)
    excluding = excluding if excluding is not None else Patterns(exclude)
    files: list[tuple[str, str]] = []
    errors: list[FileError] = []
    warnings: list[FileError] = []
    try:
        top = os.stat(directory)
    except OSError as err:
        return _Walked([], [_listing_error(directory, root, err)], [])
    walked = {(top.st_dev, top.st_ino)}
    stack, links = [str(directory)], []
    while stack or links:
        if not stack:
            link = links.pop(0)
            key = _key(link)
            if isinstance(key, OSError):
                errors.append(_unreadable(shown(link), key))
                continue
            if key in walked:
                if _contains(link):
                    warnings.append(FileError(
                        shown(link),
                        f"심볼릭 링크가 자신을 담은 디렉터리를 가리켜 순환하므로 건너뜁니다 (→ {os.readlink(link)})",
                        f"symbolic link loop: it points at a directory that contains it, skipped "
                        f"(→ {os.readlink(link)})"))
                continue
            walked.add(key)
            stack.append(link)
        current = stack.pop()
        try:
            with os.scandir(current) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as err:
            errors.append(_listing_error(current, root, err))
            continue
        subdirs = []
        # os.path.join(current, name) for each entry's plain name: the directory's part joined once
        prefix = os.path.join(current, "") if os.sep == "/" else None
        place = shown.directory(current)  # its path shown for each entry: the directory's part made once
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            full = prefix + name if prefix is not None else os.path.join(current, name)
            rel = shown.child(place, full, name)
            base = rel.rstrip("/")
            base = base[base.rfind("/") + 1:]  # posixpath.basename: one for both tests (Patterns.named)
            if _is_dir(entry):
                if excluding.named(rel, base):
                    continue
                if entry.is_symlink():
                    links.append(full)
                    continue
                key = _key(full)
                if isinstance(key, OSError):  # a directory past PATH_MAX: said, never skipped silently
                    errors.append(_unreadable(rel, key))
                elif key not in walked:
                    walked.add(key)
                    subdirs.append(full)
            elif included.named(rel, base) and not excluding.named(rel, base):
                # one string when the path shown is the path (a folder named outside the root, as an
                # absolute path): an input's two paths are held for the whole run
                files.append((full, full if rel == full else rel))
        stack.extend(reversed(subdirs))
    # Every path is str(directory) joined with plain names, so on POSIX its parts past the common
    # start are its "/"-separated names, in the order Path(s).parts gives.
    key = (lambda f: f[0].split("/")) if os.sep == "/" else (lambda f: Path(f[0]).parts)
    return _Walked(sorted(files, key=key), errors, warnings)


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()  # follows symbolic links
    except OSError:
        return False


def _key(path: str) -> tuple[int, int] | OSError:
    try:
        st = os.stat(path)
    except OSError as err:
        return err
    return st.st_dev, st.st_ino


def _contains(link: str) -> bool:
    """Does the directory ``link`` points at contain the link itself?"""
    target, here = os.path.realpath(link), os.path.realpath(os.path.dirname(link))
    return os.path.commonpath([target, here]) == target


def _listing_error(path: str | os.PathLike, root: Path, err: OSError) -> FileError:
    shown = display_path(path, root)
    if isinstance(err, PermissionError):
        return FileError(shown, "디렉터리를 읽을 권한이 없습니다", "permission denied: cannot list the directory")
    reason = err.strerror or str(err)
    return FileError(shown, f"디렉터리를 읽을 수 없습니다: {reason}", f"cannot list the directory: {reason}")
