"""Settings: ``[tool.auditor]`` in ``pyproject.toml`` or an ``auditor.toml``, merged with command-line flags."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

from auditor.discovery import DEFAULT_EXCLUDE, DEFAULT_INCLUDE, GlobError, check_glob
from auditor.findings import Severity
from auditor.plain import Field, Frozen, frozen
from auditor.readers.opening import DEFAULT_MAX_FILE_SIZE, parse_size
from auditor.safeload import LoadError, load_toml, read_toml_text
from auditor.selection import Layer

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: The classes of this module are written out (auditor.plain), where attrs.frozen compiled their
#: methods at every import; tests/test_plain.py holds each to its attrs declaration.
_set = object.__setattr__

AUDITOR_TOML = "auditor.toml"
PYPROJECT_TOML = "pyproject.toml"
LANGS = ("ko", "en")

#: Every key ``[tool.auditor]`` accepts, and what its value must be.
KEYS: dict[str, str] = {
    "select": "list",
    "extend-select": "list",
    "ignore": "list",
    "per-file-ignores": "table of lists",
    "severity": "table of levels",
    "params": "table of param tables",
    "rules": "list",
    "strict-rules": "bool",
    "fail-on": "level",
    "output-format": "string",
    "lang": "lang",
    "include": "list",
    "exclude": "list",
    "extend-exclude": "list",
    "max-file-size": "size",
    "cache-dir": "string",
    "no-cache": "bool",
    "identity": "table of renames",
    "prior-year-basis": "basis",
}
#: The results cache's folder under the project root, unless ``cache-dir`` names another.
DEFAULT_CACHE_DIR = ".auditor_cache"
#: The bases ``prior-year-basis`` accepts (the param ``prior_year_basis`` of the rules that have it).
PRIOR_YEAR_BASES = ("either", "당초", "최종")


class ConfigError(Exception):
    """A configuration that cannot be used; ``str()`` is ``file: message`` in English."""

    def __init__(self, path: str, message_en: str, message_ko: str = "") -> None:
        self.path = path
        #: The file's own ``lang`` when it names a valid one, so the error can be shown in it.
        self.lang: str | None = None
        prefix = f"{path}: " if path else ""
        self.message_ko = prefix + (message_ko or message_en)
        super().__init__(prefix + message_en)


class Options(Frozen):
    """The settings one source gives (the config file or the command line); ``None`` = not given."""

    __slots__ = ("select", "extend_select", "ignore", "per_file_ignores", "extend_per_file_ignores", "severity",
                 "params", "rules", "strict_rules", "fail_on", "output_format", "lang", "include", "exclude",
                 "extend_exclude", "max_file_size", "cache_dir", "no_cache", "identity", "prior_year_basis",
                 "__weakref__")
    select: tuple[str, ...] | None
    extend_select: tuple[str, ...]
    ignore: tuple[str, ...]
    #: ``None`` = not given; on the command line ``--per-file-ignores`` replaces the file's table.
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] | None
    extend_per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...]
    severity: tuple[tuple[str, Severity], ...]
    #: Rule param overrides ``(code, name, value)``; values exact (TOML decimals are ``Decimal``).
    params: tuple[tuple[str, str, Any], ...]
    rules: tuple[Path, ...]
    #: An incomplete rule in a pack (no English message, no documentation …) is an error, not a warning.
    strict_rules: bool | None
    fail_on: Severity | None
    output_format: str | None
    lang: str | None
    include: tuple[str, ...] | None
    exclude: tuple[str, ...] | None
    extend_exclude: tuple[str, ...]
    max_file_size: int | None
    #: The results cache's folder (from a file: relative to it; from the command line: to the current directory).
    cache_dir: Path | None
    #: Do not read or write the results cache.
    no_cache: bool | None
    #: ``[identity]``: old → new names per table (projects, departments, accounts), as written.
    identity: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]
    prior_year_basis: str | None

    def __init__(self, select: tuple[str, ...] | None = None, extend_select: tuple[str, ...] = (),
                 ignore: tuple[str, ...] = (),
                 per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] | None = None,
                 extend_per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = (),
                 severity: tuple[tuple[str, Severity], ...] = (), params: tuple[tuple[str, str, Any], ...] = (),
                 rules: tuple[Path, ...] = (), strict_rules: bool | None = None,
                 fail_on: Severity | None = None, output_format: str | None = None, lang: str | None = None,
                 include: tuple[str, ...] | None = None, exclude: tuple[str, ...] | None = None,
                 extend_exclude: tuple[str, ...] = (), max_file_size: int | None = None,
                 cache_dir: Path | None = None, no_cache: bool | None = None,
                 identity: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (),
                 prior_year_basis: str | None = None) -> None:
        _set(self, "select", select)
        _set(self, "extend_select", extend_select)
        _set(self, "ignore", ignore)
        _set(self, "per_file_ignores", per_file_ignores)
        _set(self, "extend_per_file_ignores", extend_per_file_ignores)
        _set(self, "severity", severity)
        _set(self, "params", params)
        _set(self, "rules", rules)
        _set(self, "strict_rules", strict_rules)
        _set(self, "fail_on", fail_on)
        _set(self, "output_format", output_format)
        _set(self, "lang", lang)
        _set(self, "include", include)
        _set(self, "exclude", exclude)
        _set(self, "extend_exclude", extend_exclude)
        _set(self, "max_file_size", max_file_size)
        _set(self, "cache_dir", cache_dir)
        _set(self, "no_cache", no_cache)
        _set(self, "identity", identity)
        _set(self, "prior_year_basis", prior_year_basis)


frozen(Options, Field("select", default=None), Field("extend_select", default=()), Field("ignore", default=()),
       Field("per_file_ignores", default=None), Field("extend_per_file_ignores", default=()),
       Field("severity", default=()), Field("params", default=()), Field("rules", default=()),
       Field("strict_rules", default=None), Field("fail_on", default=None),
       Field("output_format", default=None), Field("lang", default=None), Field("include", default=None),
       Field("exclude", default=None), Field("extend_exclude", default=()),
       Field("max_file_size", default=None), Field("cache_dir", default=None), Field("no_cache", default=None),
       Field("identity", default=()), Field("prior_year_basis", default=None))


class Settings(Frozen):
    """The resolved settings of one run: what ``--show-settings`` prints."""

    __slots__ = ("config_path", "root", "file", "cli", "fail_on", "output_format", "lang", "include", "exclude",
                 "rules", "strict_rules", "max_file_size", "cache_dir", "no_cache", "__weakref__")
    config_path: Path | None
    root: Path
    file: Options
    cli: Options
    fail_on: Severity
    output_format: str | None
    lang: str
    include: tuple[str, ...]
    exclude: tuple[str, ...]
    rules: tuple[Path, ...]
    strict_rules: bool
    #: The largest 사업설명서 text input read, in bytes (0: no limit); e호조 CSV exports have none.
    max_file_size: int
    #: The results cache's folder (``.auditor_cache`` under the root unless set), and whether it is used.
    cache_dir: Path | None
    no_cache: bool

    def __init__(self, config_path: Path | None, root: Path, file: Options, cli: Options, fail_on: Severity,
                 output_format: str | None, lang: str, include: tuple[str, ...], exclude: tuple[str, ...],
                 rules: tuple[Path, ...], strict_rules: bool = False,
                 max_file_size: int = DEFAULT_MAX_FILE_SIZE, cache_dir: Path | None = None,
                 no_cache: bool = False) -> None:
        _set(self, "config_path", config_path)
        _set(self, "root", root)
        _set(self, "file", file)
        _set(self, "cli", cli)
        _set(self, "fail_on", fail_on)
        _set(self, "output_format", output_format)
        _set(self, "lang", lang)
        _set(self, "include", include)
        _set(self, "exclude", exclude)
        _set(self, "rules", rules)
        _set(self, "strict_rules", strict_rules)
        _set(self, "max_file_size", max_file_size)
        _set(self, "cache_dir", cache_dir)
        _set(self, "no_cache", no_cache)

    @property
    def cache_path(self) -> Path | None:
        """The results cache's folder, or None when it is off (``no-cache``, ``--no-cache``)."""
        if self.no_cache:
            return None
        return self.cache_dir if self.cache_dir is not None else self.root / DEFAULT_CACHE_DIR

    @property
    def layers(self) -> tuple[Layer, Layer]:
        """Selector layers, config then CLI; a CLI ``--select`` replaces the file's select and extend-select."""
        f, c = self.file, self.cli
        if c.select is not None:
            file_layer = Layer(None, (), f.ignore)
        else:
            file_layer = Layer(f.select, f.extend_select, f.ignore)
        return file_layer, Layer(c.select, c.extend_select, c.ignore)

    @property
    def severity_layers(self) -> tuple[dict[str, Severity], dict[str, Severity]]:
        return dict(self.file.severity), dict(self.cli.severity)

    @property
    def per_file_ignores(self) -> dict[str, tuple[str, ...]]:
        """The file's table (or ``--per-file-ignores`` instead), then ``--extend-per-file-ignores``."""
        base = self.cli.per_file_ignores if self.cli.per_file_ignores is not None else self.file.per_file_ignores
        merged: dict[str, tuple[str, ...]] = {}
        for pattern, sels in (*(base or ()), *self.cli.extend_per_file_ignores):
            merged[pattern] = merged.get(pattern, ()) + sels
        return merged

    @property
    def identity(self) -> Any:
        """The project identity mapping (``auditor.crossdoc.identity.Identity``) of the configuration."""
        from auditor.crossdoc.identity import Identity

        return Identity.from_table({table: dict(pairs) for table, pairs in self.file.identity})

    @property
    def params(self) -> dict[str, dict[str, Any]]:
        """Param overrides ``{code: {name: value}}``: the file's, then the command line's over them."""
        merged: dict[str, dict[str, Any]] = {}
        for code, name, value in (*self.file.params, *self.cli.params):
            merged.setdefault(code.upper(), {})[name] = value
        return merged


frozen(Settings, Field("config_path"), Field("root"), Field("file"), Field("cli"), Field("fail_on"),
       Field("output_format"), Field("lang"), Field("include"), Field("exclude"), Field("rules"),
       Field("strict_rules", default=False), Field("max_file_size", default=DEFAULT_MAX_FILE_SIZE),
       Field("cache_dir", default=None), Field("no_cache", default=False))


def find_config(start: Path) -> Path | None:
    """The nearest ``auditor.toml``, or ``pyproject.toml`` with ``[tool.auditor]``, from ``start`` upwards.

    In one directory ``auditor.toml`` wins over ``pyproject.toml`` (as ruff's
    ``ruff.toml`` does); a ``pyproject.toml`` without ``[tool.auditor]`` is skipped.
    """
    for directory in (start, *start.parents):
        candidate = directory / AUDITOR_TOML
        if os.path.lexists(candidate):  # a FIFO or a dangling link by that name is an error, not skipped
            return candidate
        candidate = directory / PYPROJECT_TOML
        if candidate.is_file():
            try:
                if "auditor" in _read_toml(candidate).get("tool", {}):
                    return candidate
            except ConfigError:
                if _names_auditor(candidate):  # ours, and broken: say so rather than run without it
                    return candidate
                continue  # a broken pyproject.toml that is not about auditor is not ours to report
    return None


_TOOL_AUDITOR = re.compile(rb"^[ \t]*\[[ \t]*tool[ \t]*\.[ \t]*auditor[ \t]*[\].]", re.MULTILINE)


def _names_auditor(path: Path) -> bool:
    """Does the text of ``path`` have a ``[tool.auditor]`` header (in any ASCII-compatible encoding)?"""
    from auditor.safeload import MAX_TOML_BYTES, read_bounded

    try:
        return _TOOL_AUDITOR.search(read_bounded(path, MAX_TOML_BYTES)) is not None
    except LoadError:
        return False


def _read_toml(path: Path) -> dict[str, Any]:
    """The document (decimals exact, as rule packs are read), read by :func:`auditor.safeload.load_toml`:
    a regular file, bounded in size, nesting and numbers, UTF-8 or marked by a BOM."""
    try:
        return load_toml(path)[0]
    except LoadError as e:
        raise ConfigError(e.where, e.reason_en, e.reason_ko) from None


def key_line(path: Path, *keys: str, value: str | None = None) -> int:
    """1-based line of ``keys`` (``("severity", "SET001")``) in a config file; 1 when it cannot be found.

    ``tomllib`` gives no positions, so the raw text is searched (with the rule-pack
    locator): ``key =``, ``table.key =`` or a ``[table]`` header, under
    ``[tool.auditor]`` in a pyproject.toml. With ``value``, the first line from the
    key on that holds ``value`` quoted (one entry of a multi-line list).
    """
    from auditor.engine.locate import Locator

    try:
        locator = Locator(read_toml_text(path))
    except LoadError:
        return 1
    scope = ("tool", "auditor") if path.name == PYPROJECT_TOML else ()
    line = locator.key_line(None, *scope, *keys) if keys else _header_line(locator, scope)
    if value is not None:
        for i in range(line - 1, len(locator.lines)):
            if f'"{value}"' in locator.lines[i] or f"'{value}'" in locator.lines[i]:
                return i + 1
    return line


def _header_line(locator: Any, scope: tuple[str, ...]) -> int:
    header = "[" + ".".join(scope) + "]"
    return next((i + 1 for i, text in enumerate(locator.lines) if text.replace(" ", "").startswith(header)), 1)


def where(path: Path, *keys: str, value: str | None = None) -> str:
    """``path:line`` of a key, for error messages."""
    return f"{path}:{key_line(path, *keys, value=value)}"


def load_table(path: Path) -> dict[str, Any]:
    """The auditor settings table in ``path``: ``[tool.auditor]`` of a pyproject.toml, else the top level."""
    doc = _read_toml(path)
    if path.name == PYPROJECT_TOML:
        table = doc.get("tool", {}).get("auditor", {})
        if not isinstance(table, dict):
            raise ConfigError(where(path), "[tool.auditor] must be a table", "[tool.auditor]는 표여야 합니다")
        return table
    return doc


def parse_options(table: Mapping[str, Any], path: Path) -> Options:
    """Validate a settings table; raises :class:`ConfigError` naming the file and the key."""
    try:
        return _parse_options(table, path)
    except ConfigError as e:
        e.lang = table.get("lang") if table.get("lang") in LANGS else None
        raise


def _parse_options(table: Mapping[str, Any], path: Path) -> Options:
    for key in table:
        if key not in KEYS:
            import difflib  # only to suggest a near name: not at start-up
            close = difflib.get_close_matches(key, list(KEYS), n=1, cutoff=0.5)
            hint_en = f" (did you mean '{close[0]}'?)" if close else ""
            hint_ko = f" (비슷한 키: '{close[0]}')" if close else ""
            raise ConfigError(where(path, key), f"unknown key '{key}'{hint_en}", f"알 수 없는 키 '{key}'{hint_ko}")
    base = path.parent

    def strings(key: str) -> tuple[str, ...] | None:
        if key not in table:
            return None
        value = table[key]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(where(path, key), f"'{key}' must be a list of strings",
                              f"'{key}'는 문자열 목록이어야 합니다")
        return tuple(value)

    def level(key: str, value: Any) -> Severity:
        try:
            return Severity.parse(value) if isinstance(value, str) else Severity.parse(repr(value))
        except ValueError as e:
            raise ConfigError(where(path, *key.split(".", 1)), f"'{key}': {e}",
                              f"'{key}': 알 수 없는 심각도 {value!r}") from None

    def globs(key: str, patterns: Any, *keys: str) -> None:
        for pattern in patterns or ():
            try:
                check_glob(pattern)
            except GlobError as e:
                raise ConfigError(where(path, key, *keys, value=None if keys else pattern), f"'{key}': {e}",
                                  f"'{key}': 잘못된 glob 패턴입니다 ({e})") from None

    for key in ("include", "exclude", "extend-exclude"):
        globs(key, strings(key))
    pfi = table.get("per-file-ignores", {})
    if not isinstance(pfi, dict):
        raise ConfigError(where(path, "per-file-ignores"), "'per-file-ignores' must be a table",
                          "'per-file-ignores'는 표여야 합니다")
    for pattern, sels in pfi.items():
        if not isinstance(sels, list) or not all(isinstance(s, str) for s in sels):
            raise ConfigError(
                where(path, "per-file-ignores", pattern),
                f"per-file-ignores '{pattern}' must be a list of selectors",
                f"per-file-ignores '{pattern}'는 선택자 목록이어야 합니다",
            )
        globs("per-file-ignores", (pattern,), pattern)
    params = table.get("params", {})
    if not isinstance(params, dict):
        raise ConfigError(where(path, "params"), "'params' must be a table: [params.CODE] name = value",
                          "'params'는 표여야 합니다: [params.CODE] name = value")
    for code, values in params.items():
        if not isinstance(values, dict):
            raise ConfigError(where(path, "params", code),
                              f"params '{code}' must be a table of the rule's params, e.g. {{ name = 60 }}",
                              f"params '{code}'는 규칙 파라미터의 표여야 합니다 (예: {{ name = 60 }})")
    sev = table.get("severity", {})
    if not isinstance(sev, dict):
        raise ConfigError(where(path, "severity"), "'severity' must be a table", "'severity'는 표여야 합니다")
    for key in ("strict-rules", "no-cache"):
        if key in table and not isinstance(table[key], bool):
            raise ConfigError(where(path, key), f"'{key}' must be true or false", f"'{key}'는 true 또는 false여야 합니다")
    for key in ("output-format", "lang", "cache-dir"):
        if key in table and not isinstance(table[key], str):
            raise ConfigError(where(path, key), f"'{key}' must be a string", f"'{key}'는 문자열이어야 합니다")
    if "cache-dir" in table and not table["cache-dir"].strip():
        raise ConfigError(where(path, "cache-dir"), "'cache-dir' must name a folder (no-cache = true turns the cache off)",
                          "'cache-dir'에는 폴더 이름을 써야 합니다 (캐시를 끄려면 no-cache = true)")
    max_file_size = None
    if "max-file-size" in table:
        try:
            max_file_size = parse_size(table["max-file-size"])
        except ValueError as e:
            raise ConfigError(where(path, "max-file-size"), f"'max-file-size': {e}",
                              f"'max-file-size'는 바이트 수나 '1MB'처럼 단위를 붙인 크기여야 합니다 ({e})") from None
    identity = _identity(table.get("identity", {}), path)
    basis = table.get("prior-year-basis")
    if basis is not None and basis not in PRIOR_YEAR_BASES:
        raise ConfigError(where(path, "prior-year-basis"),
                          f"'prior-year-basis' must be one of {', '.join(PRIOR_YEAR_BASES)}, not {basis!r}",
                          f"'prior-year-basis'는 {', '.join(PRIOR_YEAR_BASES)} 중 하나여야 합니다 ({basis!r})")
    lang = table.get("lang")
    if lang is not None and lang not in LANGS:
        raise ConfigError(where(path, "lang"), f"'lang' must be one of {', '.join(LANGS)}",
                          f"'lang'은 {', '.join(LANGS)} 중 하나")
    return Options(
        select=strings("select"),
        extend_select=strings("extend-select") or (),
        ignore=strings("ignore") or (),
        per_file_ignores=tuple((p, tuple(s)) for p, s in pfi.items()),
        severity=tuple((k, level(f"severity.{k}", v)) for k, v in sev.items()),
        params=tuple((code, name, frozen(v)) for code, values in params.items() for name, v in values.items()),
        rules=tuple(base / r for r in strings("rules") or ()),
        strict_rules=table.get("strict-rules"),
        fail_on=level("fail-on", table["fail-on"]) if "fail-on" in table else None,
        output_format=table.get("output-format"),
        lang=lang,
        include=strings("include"),
        exclude=strings("exclude"),
        extend_exclude=strings("extend-exclude") or (),
        max_file_size=max_file_size,
        cache_dir=base / table["cache-dir"] if "cache-dir" in table else None,
        no_cache=table.get("no-cache"),
        identity=identity,
        prior_year_basis=basis,
    )


def _identity(table: Any, path: Path) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """``[identity]`` checked (:class:`auditor.crossdoc.identity.Identity`), as written; ConfigError at its key."""
    from auditor.crossdoc.identity import Identity, IdentityError

    try:
        Identity.from_table(table)
    except IdentityError as e:
        raise ConfigError(where(path, "identity", *e.keys[:1]), str(e), e.message_ko) from None
    return tuple((name, tuple((str(old), new) for old, new in pairs.items())) for name, pairs in table.items())


def frozen(value: Any) -> Any:
    """A TOML value with its lists as tuples (settings are frozen)."""
    return tuple(frozen(v) for v in value) if isinstance(value, list) else value


def param_line(path: Path, code: str, name: str | None = None) -> int:
    """The line of ``params.CODE.NAME`` (else of ``params.CODE``, as in an inline table) in a config file."""
    keys = ("params", code, name) if name is not None else ("params", code)
    for cut in range(len(keys), 0, -1):
        line = key_line(path, *keys[:cut])
        if line > 1 or cut == 1:
            return line
    return 1


def resolve(
    cli: Options, *, config: Path | None = None, isolated: bool = False, cwd: Path | None = None
) -> Settings:
    """Find and read the configuration (unless ``isolated``), then let ``cli`` override it."""
    cwd = (cwd or Path.cwd()).absolute()
    if isolated:
        path = None
    elif config is not None:
        path = config.absolute()
        if not os.path.lexists(path):
            raise ConfigError(str(config), "config file not found", "설정 파일이 없습니다")
    else:
        path = find_config(cwd)
    file = parse_options(load_table(path), path) if path else Options()
    return Settings(
        config_path=path,
        root=path.parent if path else cwd,
        file=file,
        cli=cli,
        fail_on=cli.fail_on or file.fail_on or Severity.ERROR,
        output_format=cli.output_format or file.output_format,
        lang=cli.lang or file.lang or "ko",
        include=cli.include or file.include or DEFAULT_INCLUDE,
        exclude=(
            *(cli.exclude if cli.exclude is not None else file.exclude if file.exclude is not None else DEFAULT_EXCLUDE),
            *file.extend_exclude,
            *cli.extend_exclude,
        ),
        rules=(*file.rules, *cli.rules),
        strict_rules=bool(cli.strict_rules or file.strict_rules),
        max_file_size=next((s for s in (cli.max_file_size, file.max_file_size) if s is not None),
                           DEFAULT_MAX_FILE_SIZE),
        cache_dir=(cwd / cli.cache_dir) if cli.cache_dir is not None else file.cache_dir,
        no_cache=bool(cli.no_cache or file.no_cache),
    )


def describe(settings: Settings, rules: Any, *, output_format: str, jobs: int) -> str:
    """``--show-settings``: the configuration used and what it resolves to, one item per line."""

    def items(values: Any) -> str:
        return ", ".join(values) if values else "-"

    f, c = settings.file, settings.cli
    out = [
        f"config-file     = {settings.config_path or '(none)'}",
        f"project-root    = {settings.root}",
        f"select          = {_select_source(f, c)}",
        f"extend-select   = {items((*f.extend_select, *c.extend_select))}",
        f"ignore          = {items((*f.ignore, *c.ignore))}",
        f"fail-on         = {settings.fail_on.value}",
        f"output-format   = {output_format}",
        f"lang            = {settings.lang}",
        f"jobs            = {jobs}",
        f"include         = {items(settings.include)}",
        f"exclude         = {items(settings.exclude)}",
        f"max-file-size   = {settings.max_file_size or '0 (no limit)'}",
        f"rule-packs      = built-in{''.join(', ' + str(p) for p in settings.rules)}",
        f"strict-rules    = {'true' if settings.strict_rules else 'false'}",
        f"cache-dir       = {settings.cache_path or '(off: no-cache)'}",
        "severity        = "
        + items([f"{sel}={lvl.value}" for sel, lvl in (*f.severity, *c.severity)]),
        "per-file-ignores= "
        + items([f"{pattern} -> {items(sels)}" for pattern, sels in settings.per_file_ignores.items()]),
        "params          = " + items(_params_shown(f, c)),
        f"prior-year-basis= {f.prior_year_basis or 'either (default)'}",
        "identity        = " + items([f"{table}: {old} -> {new}" for table, pairs in f.identity for old, new in pairs]),
    ]
    rules = sorted(rules, key=lambda r: r.code)
    out.append(f"rules ({len(rules)} selected):")
    if rules:
        rows = [(r.code, r.severity.value, r.name, _title(r, settings.lang)) for r in rules]
        from tabulate import tabulate

        table = tabulate(rows, tablefmt="plain", disable_numparse=True)  # widths by wcwidth (Hangul = 2)
        out.extend("  " + line.rstrip() for line in table.splitlines())
    return "\n".join(out) + "\n"


def _params_shown(f: Options, c: Options) -> list[str]:
    """Each param override in effect, ``CODE.name = value (config|command line)``; the command line wins."""
    from auditor.engine.params import format_value

    shown: dict[tuple[str, str], str] = {}
    for source, o in (("config", f), ("command line", c)):
        for code, name, value in o.params:
            shown[(code.upper(), name)] = f"{code.upper()}.{name} = {format_value(value)} ({source})"
    return list(shown.values())


def _select_source(f: Options, c: Options) -> str:
    """What ``select`` resolves to and where it came from (a CLI ``--select`` replaces the file's)."""
    if c.select is not None:
        return f"{', '.join(c.select) or '-'} (command line)"
    if f.select is not None:
        return f"{', '.join(f.select) or '-'} (config)"
    return "ALL (default)"


def _title(rule: Any, lang: str) -> str:
    doc = getattr(rule, "doc", None)
    return doc.title(lang) if doc is not None else ""
