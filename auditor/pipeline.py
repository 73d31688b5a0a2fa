"""The run, one module for the CLI and the library: plan, discover, read and check, baseline, report.

Data flows one way through it::

    Settings ─ plan() ─▶ Plan (rules loaded, selected, overridden)
    paths ──── Run.discover() ─▶ inputs ─ Run.check() ─▶ CheckResult ─ Run.report() ─▶ outputs, exit code
                                              │                      ▲
                     Run.stream(): the main text report, each file's findings as soon as it is checked
                                                        (Run.add_late(): findings after every file)

``auditor check`` only turns its options into a :class:`Request` and calls :func:`run`;
:func:`check_paths` is the same run for a Python caller, returning the :class:`CheckResult`
instead of writing reports. Anything that stops a run before its reports (a configuration, rule
pack, selector, baseline or output error) is a :class:`RunError` carrying its message in both
languages; the CLI prints it and exits 2.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from auditor import config as cfg
from auditor.findings import Finding, Severity
from auditor.plain import Field, Frozen, evolve, frozen
from auditor.result import KEEP_ALL, KEEP_CONTEXT, KEEP_NONE, CheckedFile, CheckResult, FileError, FindingStore
from auditor.term import echo

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "EXIT_OK", "EXIT_FINDINGS", "EXIT_ERROR", "FORMAT_NAMES", "Console", "Outputs", "Plan", "Request", "Run",
    "RunError", "Streamer", "check_paths", "exit_code", "lines_to_keep", "main_format", "plan", "run",
]

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
#: The output formats (``auditor.report.FORMATS`` renders each; a test keeps the two in step).
FORMAT_NAMES = ("full", "concise", "json", "sarif", "junit", "github", "gitlab", "markdown", "html")
#: Which paths each format prints. The human formats print paths from the current directory (so they
#: can be opened from where auditor ran), ``github`` from the repository checkout (GITHUB_WORKSPACE),
#: which is what GitHub resolves annotation paths against; every other format, fingerprints and
#: baselines keep root-relative paths.
PATH_BASE = {"full": "cwd", "concise": "cwd", "github": "github"}
_set = object.__setattr__  # as attrs' own __init__ sets a frozen class's slots


class RunError(Exception):
    """What stops a run before its reports: exit 2, with the message in Korean and in English."""

    def __init__(self, message_en: str, message_ko: str | None = None) -> None:
        super().__init__(message_en)
        self.message_en = message_en
        self.message_ko = message_ko if message_ko is not None else message_en

    def message(self, lang: str) -> str:
        return self.message_ko if lang == "ko" else self.message_en


class Outputs(Frozen):
    """Where each rendering goes: ``(format, path)``; ``path=None`` means standard output."""

    __slots__ = ("main_format", "main_path", "extra", "__weakref__")
    main_format: str
    main_path: str | None
    extra: tuple[tuple[str, str], ...]

    def __init__(self, main_format: str, main_path: str | None, extra: tuple[tuple[str, str], ...]) -> None:
        _set(self, "main_format", main_format)
        _set(self, "main_path", main_path)
        _set(self, "extra", extra)


#: The classes of this module are written out (auditor.plain), where attrs.frozen compiled their
#: methods at every import; tests/test_plain.py holds each to its attrs declaration.
frozen(Outputs, Field("main_format"), Field("main_path"), Field("extra"))


class Request(Frozen):
    """One ``auditor check``: what to check, with which settings, and where the reports go."""

    __slots__ = ("settings", "paths", "jobs", "stdin_filename", "force_exclude", "baseline", "write_baseline",
                 "output_file", "extra_outputs", "statistics", "quiet", "verbose", "color", "html_context",
                 "exit_zero", "__weakref__")
    settings: cfg.Settings
    paths: tuple[str, ...]
    jobs: int
    stdin_filename: str | None
    force_exclude: bool
    #: The baseline to hide findings with, and the file to write today's findings to instead.
    baseline: str | None
    write_baseline: str | None
    #: Reports: the main one (``None`` = standard output) and extra ``(format, path)`` ones.
    output_file: str | None
    extra_outputs: tuple[tuple[str, str], ...]
    statistics: bool
    quiet: bool
    verbose: bool
    color: bool
    #: Lines of context around each finding in the HTML report; None shows every line.
    html_context: int | None
    exit_zero: bool

    def __init__(self, settings: cfg.Settings, paths: tuple[str, ...] = (".",), jobs: int = 1,
                 stdin_filename: str | None = None, force_exclude: bool = False, baseline: str | None = None,
                 write_baseline: str | None = None, output_file: str | None = None,
                 extra_outputs: tuple[tuple[str, str], ...] = (), statistics: bool = False, quiet: bool = False,
                 verbose: bool = False, color: bool = False, html_context: int | None = 2,
                 exit_zero: bool = False) -> None:
        _set(self, "settings", settings)
        _set(self, "paths", paths)
        _set(self, "jobs", jobs)
        _set(self, "stdin_filename", stdin_filename)
        _set(self, "force_exclude", force_exclude)
        _set(self, "baseline", baseline)
        _set(self, "write_baseline", write_baseline)
        _set(self, "output_file", output_file)
        _set(self, "extra_outputs", extra_outputs)
        _set(self, "statistics", statistics)
        _set(self, "quiet", quiet)
        _set(self, "verbose", verbose)
        _set(self, "color", color)
        _set(self, "html_context", html_context)
        _set(self, "exit_zero", exit_zero)

    @property
    def outputs(self) -> Outputs:
        return Outputs(main_format(self.settings), self.output_file, self.extra_outputs)


frozen(Request, Field("settings"), Field("paths", default=(".",)), Field("jobs", default=1),
       Field("stdin_filename", default=None), Field("force_exclude", default=False), Field("baseline", default=None),
       Field("write_baseline", default=None), Field("output_file", default=None), Field("extra_outputs", default=()),
       Field("statistics", default=False), Field("quiet", default=False), Field("verbose", default=False),
       Field("color", default=False), Field("html_context", default=2), Field("exit_zero", default=False))


class Console:
    """Where a run's messages go: standard error (and its reports to standard output) by default.

    Written as ``click.echo`` writes, by :func:`auditor.term.echo` (a check run need not import click).

    The CLI uses it as it is; a library caller gets :class:`Silent`, which keeps nothing.
    """

    def error(self, message: str) -> None:
        echo(f"auditor: error: {message}", err=True)

    def warning(self, message: str) -> None:
        echo(f"auditor: warning: {message}", err=True)

    def note(self, message: str) -> None:
        echo(f"auditor: {message}", err=True)

    def out(self, text: str, color: bool = False) -> None:
        echo(text, nl=False, color=color)

    def summary(self, line: str) -> None:
        """The one-line summary of a run whose report did not go to the terminal, on standard error."""
        echo(line, err=True)

    def progress(self, total: int, lang: str = "ko") -> Any:
        """How the run shows its progress (:mod:`auditor.progress`): a bar on a terminal, occasional
        lines elsewhere."""
        from auditor.progress import for_stderr

        return for_stderr(total, lang, self.note_line)

    def note_line(self, line: str) -> None:
        echo(line, err=True)


class Silent(Console):
    """A console that shows nothing (for :func:`check_paths`)."""

    def error(self, message: str) -> None:
        pass

    def warning(self, message: str) -> None:
        pass

    def note(self, message: str) -> None:
        pass

    def out(self, text: str, color: bool = False) -> None:
        pass

    def summary(self, line: str) -> None:
        pass

    def progress(self, total: int, lang: str = "ko") -> Any:
        from auditor.progress import Progress

        return Progress()


# --- the plan: rules loaded, checked against the settings, selected ---------------------------


class Plan(Frozen):
    """The rules of a run: loaded, with params, selection and severities applied."""

    __slots__ = ("settings", "ruleset", "spec", "known", "selected", "per_file", "warnings", "__weakref__")
    settings: cfg.Settings
    ruleset: Any
    spec: Any
    #: The codes of every loaded rule, and of those selected.
    known: frozenset[str]
    selected: frozenset[str]
    per_file: Any
    warnings: tuple[Any, ...]

    def __init__(self, settings: cfg.Settings, ruleset: Any, spec: Any, known: frozenset[str],
                 selected: frozenset[str], per_file: Any, warnings: tuple[Any, ...] = ()) -> None:
        _set(self, "settings", settings)
        _set(self, "ruleset", ruleset)
        _set(self, "spec", spec)
        _set(self, "known", known)
        _set(self, "selected", selected)
        _set(self, "per_file", per_file)
        _set(self, "warnings", warnings)

    def wanted(self, finding: Finding) -> bool:
        """Whether a finding is reported: its rule selected (a code no pack knows always is), not ignored for its path."""
        return ((finding.code not in self.known or finding.code in self.selected)
                and not self.per_file.ignores(finding.path, finding.code, finding.name))


frozen(Plan, Field("settings"), Field("ruleset"), Field("spec"), Field("known"), Field("selected"), Field("per_file"),
       Field("warnings", default=()))


def plan(settings: cfg.Settings) -> Plan:
    """Load the rule packs and apply the settings to them; raises :class:`RunError`."""
    from auditor.engine import RulePackError, load_ruleset
    from auditor.runner import RulesetSpec
    from auditor.selection import PerFileIgnores, SelectorError, resolve_selection, resolve_severities

    try:
        # The cross rules' trees are decoded only if the run has a second document (Run.check).
        loaded = load_ruleset(tuple(str(p) for p in settings.rules), strict=settings.strict_rules, defer_cross=True)
    except RulePackError as e:
        raise RunError(str(e)) from None
    rules = tuple(loaded.rules)
    try:
        params = checked_params(settings, rules)
    except cfg.ConfigError as e:
        raise RunError(str(e), e.message_ko) from None
    try:
        validate_selectors(settings, rules)
        selected = resolve_selection(rules, settings.layers)
        severities = resolve_severities(rules, settings.severity_layers)
        per_file = PerFileIgnores.parse(settings.per_file_ignores, rules)
    except SelectorError as e:
        raise RunError(str(e), e.message_ko) from None
    spec = RulesetSpec(
        tuple(str(p) for p in settings.rules),
        selected,
        tuple(sorted((code, level.value) for code, level in severities.items())),
        params,
    )
    return Plan(settings, spec.apply(loaded), spec, frozenset(r.code for r in rules), frozenset(selected),
                per_file, tuple(loaded.warnings))


def validate_selectors(settings: cfg.Settings, rules: Sequence[Any]) -> None:
    """Check every selector against the rules, naming where it came from; raises SelectorError.

    A selector from the configuration file is named as ``file:line: key``; one from
    the command line as ``command line: key``.
    """
    from auditor.selection import parse_selector

    path = settings.config_path

    def where(*keys: str, value: str) -> str:
        return cfg.where(path, *keys, value=value) if path else "config"

    for source, o in (("file", settings.file), ("cli", settings.cli)):
        for key, sels in (("select", o.select or ()), ("extend-select", o.extend_select), ("ignore", o.ignore)):
            for s in sels:
                at = where(key, value=s) if source == "file" else "command line"
                parse_selector(s, rules, where=f"{at}: {key}")
        for s, _ in o.severity:
            at = where("severity", s, value=s) if source == "file" else "command line"
            parse_selector(s, rules, where=f"{at}: severity")
        for key, table in (("per-file-ignores", o.per_file_ignores or ()),
                           ("extend-per-file-ignores", o.extend_per_file_ignores)):
            for pattern, sels in table:
                for s in sels:
                    at = where(key, pattern, value=s) if source == "file" else "command line"
                    parse_selector(s, rules, where=f"{at}: {key} '{pattern}'")


def checked_params(settings: cfg.Settings, rules: Sequence[Any]) -> tuple[tuple[str, str, Any], ...]:
    """Every param override checked against the rules, as ``(code, name, value)``; raises ConfigError.

    An override from the configuration file is named as ``file:line`` (the line of its key);
    one from the command line as ``command line: --param: …``.
    """
    from auditor.engine.params import ParamError, check_param

    effective: dict[tuple[str, str], Any] = {}
    if settings.file.prior_year_basis is not None:  # prior-year-basis: the param of every rule that has it
        for rule in rules:
            if "prior_year_basis" in getattr(rule, "params", {}):
                effective[(rule.code, "prior_year_basis")] = settings.file.prior_year_basis
    for source, o in (("file", settings.file), ("cli", settings.cli)):
        for code, name, value in o.params:
            try:
                real, value = check_param(rules, code, name, value)
            except ParamError as e:
                if source == "file":
                    at = f"{settings.config_path}:{cfg.param_line(settings.config_path, *e.key)}"
                    raise cfg.ConfigError(at, f"params: {e}", f"params: {e.message_ko}") from None
                raise cfg.ConfigError("command line", f"--param: {e}", f"--param: {e.message_ko}") from None
            effective[(real, name)] = value
    return tuple((code, name, value) for (code, name), value in sorted(effective.items()))


def main_format(settings: cfg.Settings) -> str:
    """The main report's format: the settings', else ``github`` under GitHub Actions, else ``full``."""
    if settings.output_format:
        return settings.output_format
    return "github" if os.environ.get("GITHUB_ACTIONS", "").lower() not in ("", "false", "0") else "full"


# --- the run -----------------------------------------------------------------------------------


class Run:
    """One run of a :class:`Plan` over a :class:`Request`'s paths: each step a method, in order."""

    def __init__(self, request: Request, the_plan: Plan, console: Console | None = None) -> None:
        self.request = request
        self.plan = the_plan
        self.settings = request.settings
        self.lang = request.settings.lang
        self.console = console if console is not None else Console()
        self.found: Any = None
        #: Per base (``cwd``, ``github``): ``{root-relative path: path shown}``, made on first use (:meth:`shown`).
        self._shown: dict[str, dict[str, str]] = {}
        self._bases: dict[str, Path] = {}
        #: The baseline's matcher once :meth:`check` has loaded it (None without a baseline).
        self.matcher: Any = None
        #: The cross-document pass (:class:`auditor.crossdoc.pipeline.CrossPass`) while its index is kept:
        #: from :meth:`check`, which gives it each file's index entries, to :meth:`cross_pass`. It starts
        #: with the run's second document (:meth:`_indexed`); until then the first waits in ``_held``.
        self.cross: Any = None
        self._held: list[CheckedFile] = []
        self._sources: Any = {}
        self._keep = KEEP_NONE
        self._results: Any = None  # the results cache, which keeps the cross pass's findings per project too
        #: The JSON report's findings' texts, made as they are admitted (:meth:`check`, :meth:`add_late`)
        #: when the run writes a JSON report (:class:`auditor.report.json_format.FindingTexts`).
        self._texts: Any = None

    # discover ------------------------------------------------------------------------------

    def discover(self, stdin: Any = None) -> Sequence[Any]:
        """The inputs to check, in path order; output files a walk meets are left out. Raises RunError
        for an output that names an input (or another output) and for a glob that cannot be read."""
        from auditor.discovery import GLOB_CHARS, STDIN, GlobError, check_glob, discover
        from auditor.outputs import OutputError, check_targets
        from auditor.readers.opening import read_stdin

        request, settings = self.request, self.settings
        paths = request.paths or (".",)
        for path in paths:  # a glob the shell left for us must be readable (a path that exists is taken as it is)
            if GLOB_CHARS.search(path) and not os.path.lexists(path):
                try:
                    check_glob(path)
                except GlobError as e:
                    raise RunError(f"PATH: {e}", f"PATH: {e}") from None
        targets = self.targets()
        try:
            check_targets(targets, self._read_paths(paths))
        except OutputError as e:
            raise RunError(e.message("en"), e.message("ko")) from None
        if stdin is None and STDIN in paths:
            stdin = read_stdin(getattr(sys.stdin, "buffer", None), request.stdin_filename, settings.max_file_size)
        found = discover(paths, root=settings.root, include=settings.include, exclude=settings.exclude,
                         stdin_filename=request.stdin_filename, stdin=stdin, force_exclude=request.force_exclude,
                         max_size=settings.max_file_size)
        self.found = found = self._without_outputs(found, targets)
        if not request.quiet:
            for warning in found.warnings:
                self.console.warning(f"{warning.path}: {warning.message(self.lang)}")
            if not found.inputs and not found.errors:
                self.console.warning("검사할 시트가 없습니다 / no sheets found under the given paths")
        workspace = os.environ.get("GITHUB_WORKSPACE")
        self._bases = {"cwd": Path.cwd(), "github": Path(workspace) if workspace else Path.cwd()}
        self._shown = {}
        if request.verbose:
            from_cwd = self.shown("cwd")
            for item in found.inputs:
                self.console.note(from_cwd.get(item.display, item.display))
        # held once, in the order returned (the run holds its inputs to the report: a second sequence of
        # them was 8 bytes a file)
        self.found = evolve(found, inputs=sorted(found.inputs, key=lambda item: item.display))
        return self.found.inputs

    def shown(self, base: str) -> dict[str, str]:
        """``{root-relative path: the path as printed}`` for every input, from ``base`` (``cwd``, or
        ``github``: GITHUB_WORKSPACE); made on first use, since only the text formats print such paths."""
        made = self._shown.get(base)
        if made is None:
            inputs = self.found.inputs if self.found is not None else ()
            where = self._bases.get(base)
            made = shown_paths(inputs, where, self.request.stdin_filename) if where is not None else {}
            if base == "github" and where == self._bases.get("cwd"):
                made = self._shown.setdefault("cwd", made)
            self._shown[base] = made
        return made

    def targets(self) -> tuple[Any, ...]:
        """Every file the run writes, by the option that names it."""
        from auditor.outputs import Target

        request = self.request
        named = [("-o", request.output_file), *((f"--{fmt}-output", path) for fmt, path in request.extra_outputs),
                 ("--write-baseline", request.write_baseline)]
        return tuple(Target(flag, path) for flag, path in named if path)

    def _read_paths(self, paths: Sequence[str]) -> list[tuple[str, Any]]:
        """Every file the run reads, as ``(what, path)``, for :func:`auditor.outputs.check_targets`."""
        from auditor.discovery import STDIN
        from auditor.engine.packs import pack_files

        read: list[tuple[str, Any]] = [("an input", p) for p in paths if p != STDIN]
        if self.settings.config_path is not None:
            read.append(("the configuration file", self.settings.config_path))
        for root in self.settings.rules:
            try:
                packs, vocabularies = pack_files(root)
            except Exception:  # the loader has already read them; a pack that vanished since is not an output's concern
                continue
            read += [("a rule pack", p) for p in (*packs, *vocabularies)]
        if self.request.baseline and not self.request.write_baseline:
            read.append(("the baseline", self.request.baseline))
        return read

    def _without_outputs(self, found: Any, targets: Sequence[Any]) -> Any:
        """``found`` without the run's own output files, which a walk or a glob may meet (a named one is refused)."""
        from auditor.discovery import STDIN
        from auditor.outputs import Identity

        existing = [ident for ident in (Identity.of(t.path) for t in targets) if ident.inode is not None]
        if not existing:
            return found
        inodes = {ident.inode for ident in existing}

        def is_output(path: str) -> bool:
            # An input that exists is an existing output exactly when it has the output's device and
            # inode (one resolved path is one file): a stat, without resolving every input's path.
            try:
                st = os.stat(path)
            except (OSError, ValueError):
                return any(Identity.of(path).same(ident) for ident in existing)
            return (st.st_dev, st.st_ino) in inodes

        kept = []
        for item in found.inputs:
            if item.path != STDIN and is_output(item.path):
                if self.request.verbose:
                    self.console.note(f"{item.display}: " + ("skipped: it is an output of this run"
                                                            if self.lang == "en" else "이 실행의 출력 파일이라 건너뜁니다"))
                continue
            kept.append(item)
        return evolve(found, inputs=kept)

    # read and check --------------------------------------------------------------------------

    def check(self, inputs: Sequence[Any], stream: Streamer | None = None) -> CheckResult:
        """Read and check every input (in ``jobs`` processes), keep the wanted findings not in the
        baseline (:meth:`admit`), and gather the result; with ``stream``, each file's findings are
        written as soon as the file is checked. Raises RunError for a rule that fails at run time, a
        baseline that cannot be read and findings that cannot be spooled."""
        from auditor.engine import RulePackError
        from auditor.progress import Progress
        from auditor.runner import run as run_inputs

        request, plan_ = self.request, self.plan
        self.matcher = self._baseline()
        files: list[CheckedFile] = []
        findings = FindingStore()
        errors = list(self.found.errors) if self.found is not None else []
        keep = lines_to_keep(request.outputs, request.statistics or bool(request.write_baseline))
        cache = self._cache(keep) if inputs else None
        # The rules across documents run once every file is read (cross_pass); meanwhile each checked
        # file hands over its documents' index entries (a file the results cache gives back, those it kept).
        self.cross, self._held = None, []
        self._sources, self._keep, self._results = _Sources(inputs), keep, cache
        progress = Progress() if request.quiet else self.console.progress(len(inputs), self.lang)
        self._texts = texts = self._json_texts()
        # Files are checked in path order, so each file's sorted findings extend the report in order;
        # only what the reports need of each file is kept (see lines_to_keep and FindingStore).
        try:
            with progress:
                for outcome in run_inputs(inputs, plan_.ruleset, plan_.spec, jobs=request.jobs, keep=keep,
                                          cache=cache):
                    if isinstance(outcome, FileError):
                        errors.append(outcome)
                    else:
                        checked, found_here = outcome
                        if checked.index:
                            checked = self._indexed(checked)
                        kept = self.admit(found_here)
                        files.append(checked)
                        findings.add(kept)
                        if texts is not None and kept:
                            texts.add(kept)
                        if stream is not None and kept:
                            with progress.paused():
                                stream.file(checked, kept)
                    progress.update(1)
        except RulePackError as e:  # a rule that fails at run time: the pack's error, not the sheet's
            raise RunError(str(e)) from None
        except OSError as e:  # the findings past a few MB go to a temporary file (FindingStore)
            raise RunError(*_spool_error(e)) from None
        if cache is not None:
            self._cache_warnings(cache)
            if cache.misses:
                cache.prune()
        return CheckResult(files, findings, errors, plan_.ruleset.docs(), self._hidden(),
                           fail_on=self.settings.fail_on)

    def _json_texts(self) -> Any:
        """A :class:`auditor.report.json_format.FindingTexts` when the run writes a JSON report (to a file,
        or as the main report on standard output), else None."""
        request = self.request
        if request.write_baseline:
            return None
        outputs = request.outputs
        if not (any(fmt == "json" for fmt, _ in outputs.extra) or (
                outputs.main_format == "json" and (outputs.main_path is not None or not request.statistics))):
            return None
        from auditor.report.json_format import FindingTexts

        return FindingTexts()

    def _indexed(self, checked: CheckedFile) -> CheckedFile:
        """``checked`` without its index entries, which go to the cross pass. The pass (and with it the
        cross rules' trees, :meth:`RuleSet.complete`) starts with the run's second document: a run of
        one document has nothing to compare, so the first file's entries wait in ``_held`` meanwhile."""
        if self.cross is None:
            if not self.plan.ruleset.has_cross:  # entries the results cache kept for other rules
                return evolve(checked, index=())
            if not self._held and len(checked.index) < 2:
                self._held.append(checked)
                return evolve(checked, index=())
            from auditor.crossdoc.pipeline import CrossPass

            self.cross = CrossPass.start(self.plan.ruleset.complete(), self.settings.identity)
            for held in self._held:
                self.cross.take(held)
            self._held = []
        return self.cross.take(checked)

    def _cache(self, keep: str) -> Any:
        """The results cache of this run (:mod:`auditor.cache`), or None when it is off; a folder where
        entries cannot be written is a warning, and the cache is then only read."""
        from auditor.cache import open_for

        cache, problem = open_for(self.settings, self.plan.spec, keep)
        if problem is not None and not self.request.quiet:
            where = getattr(problem, "filename", None) or self.settings.cache_path
            reason = problem.strerror or str(problem)
            self.console.warning(
                f"{where}: cannot keep results in the cache ({reason}); --no-cache leaves it alone"
                if self.lang == "en" else
                f"{where}: 결과를 캐시에 둘 수 없습니다 ({reason}); --no-cache로 캐시를 쓰지 않을 수 있습니다")
        return cache

    def _cache_warnings(self, cache: Any, start: int = 0) -> None:
        """A warning for each cache file that could not be used (its inputs were checked again), from
        the ``start``-th on."""
        if self.request.quiet:
            return
        for path, (ko, en) in cache.damaged[start:start + 5]:
            self.console.warning(
                f"{path}: results cache file ignored ({en}); its inputs were checked again" if self.lang == "en" else
                f"{path}: 결과 캐시 파일을 무시했습니다 ({ko}); 해당 입력은 다시 검사했습니다")
        if len(cache.damaged) > start + 5:
            more = len(cache.damaged) - start - 5
            self.console.warning(f"... and {more} more damaged results cache files" if self.lang == "en" else
                                 f"... 손상된 결과 캐시 파일 {more}개 더")

    def _baseline(self) -> Any:
        """The matcher of ``--baseline`` (None without one, or when writing one); raises RunError."""
        request = self.request
        if not request.baseline or request.write_baseline:
            return None
        from auditor.baseline import Baseline, BaselineError

        try:
            accepted = Baseline.load(request.baseline)
        except BaselineError as e:
            raise RunError(str(e), e.message_ko) from None
        if accepted.version == 1 and not request.quiet:
            self.console.warning(
                f"{request.baseline}: a version 1 baseline: its entries are matched on the figures of their "
                "messages; rewrite it with --write-baseline to match on expected and actual values"
                if self.lang == "en" else
                f"{request.baseline}: 버전 1 기준선이라 항목을 메시지의 숫자로 맞춰 봅니다; --write-baseline으로 "
                "다시 쓰면 기대값과 실제값으로 맞춰 봅니다")
        return accepted.matcher()

    def admit(self, found: Iterable[Finding]) -> list[Finding]:
        """Of ``found``, the findings the run reports, sorted: their rule selected, not ignored for their
        path (:meth:`Plan.wanted`), and not accepted by the baseline."""
        kept = sorted((f for f in found if self.plan.wanted(f)), key=Finding.sort_key)
        return self.matcher.keep(kept) if self.matcher is not None else kept

    def add_late(self, result: CheckResult, found: Iterable[Finding]) -> CheckResult:
        """``result`` with findings that come after every file was checked (the cross-document pass):
        admitted as each file's were (:meth:`admit`), and kept after them, so that a report written as
        the run went (:class:`Streamer`) prints them after the files' findings, before its end."""
        admitted = self.admit(found)
        try:
            result.findings.add(admitted)
        except OSError as e:
            raise RunError(*_spool_error(e)) from None
        if self._texts is not None and admitted:
            self._texts.add(admitted)
        return evolve(result, baselined=self._hidden())

    def _hidden(self) -> int:
        return self.matcher.hidden if self.matcher is not None else 0

    def stream(self) -> Streamer | None:
        """The main report written as the run goes, when it goes to standard output in a format that
        can be (``full``, ``concise``, ``github``); None for a report that needs the whole result, one
        written to a file (always whole: :mod:`auditor.outputs`), ``--statistics`` and ``--write-baseline``."""
        from auditor import report

        request = self.request
        fmt = request.outputs.main_format
        if (request.outputs.main_path is not None or request.statistics or request.write_baseline
                or fmt not in report.STREAMED):
            return None
        shown = self.shown(PATH_BASE[fmt]) if fmt in PATH_BASE else {}
        return Streamer(report.writer(fmt, lang=self.lang, color=request.color, summary=not request.quiet),
                        self.console, shown, request.color)

    def cross_pass(self, result: CheckResult) -> CheckResult:
        """``result`` with the cross-document pass's findings, once :meth:`check` has read every file:
        the cross rules run over the index the files handed over, their findings join as late ones
        (:meth:`add_late`), the reports get the lines around them and around their related lines in
        other files (read again where the run did not keep them), and the result names the projects
        matched. A run without cross rules gives ``result`` back. Raises RunError for a rule that fails.

        Every report lists the cross findings after the files' findings (each part in report order),
        as a report streamed while the files were checked must; the two texts are the same."""
        cross, self.cross, self._held = self.cross, None, []
        if cross is None:  # no cross rule, or a single document: nothing to compare
            return result
        from auditor.crossdoc.pipeline import with_lines
        from auditor.engine import RulePackError

        cache = self._results
        damaged = len(cache.damaged) if cache is not None else 0
        try:
            found = cross.run(cache, self._sources)
        except RulePackError as e:
            raise RunError(str(e)) from None
        if cache is not None:
            self._cache_warnings(cache, damaged)
        result = self.add_late(result, found)
        files = result.files
        if found and self._keep != KEEP_NONE:
            files = with_lines(files, (f for f in found if self.plan.wanted(f)), self._sources)
        return evolve(result, files=files, projects=cross.projects)

    # baseline and reports ---------------------------------------------------------------------

    def write_baseline(self, result: CheckResult) -> int:
        """``--write-baseline``: today's findings to the baseline file; exit 2 if an input could not be read."""
        from auditor.baseline import Baseline

        path = self.request.write_baseline
        assert path is not None
        try:
            Baseline.from_findings(result.findings).write(path)
        except OSError as e:
            raise RunError(*_cannot_write(path, e)) from None
        for err in result.errors:
            self.console.error(f"{err.path}: {err.message(self.lang)}")
        if not self.request.quiet:
            count = len(result.findings)
            self.console.note(f"{count} findings written to {path}" if self.lang == "en"
                              else f"지적 {count}건을 기준선 {path}에 저장했습니다")
        return EXIT_ERROR if result.errors else EXIT_OK

    def report(self, result: CheckResult, stream: Streamer | None = None) -> int:
        """Render every requested output and return the exit code; raises RunError when a report file
        cannot be written (it is left as it was). ``stream`` is the main report that :meth:`check`
        wrote as it went: what it has not written yet (late findings, the end) is written now."""
        from auditor import report
        from auditor.outputs import write_text

        request, lang, console = self.request, self.lang, self.console
        if request.verbose and self.matcher is not None:
            for entry in self.matcher.stale():
                console.note(f"기준선에만 있음 / no longer found: {entry.path} {entry.code} {entry.key}")
        outputs = request.outputs
        def for_format(fmt: str) -> CheckResult:
            return result.with_paths(self.shown(PATH_BASE[fmt])) if fmt in PATH_BASE else result

        for fmt, path in (*outputs.extra, (outputs.main_format, outputs.main_path)):
            if path is None:
                continue
            try:
                write_text(path, report.chunks(fmt, for_format(fmt), lang=lang, color=False,
                                               html_context=request.html_context, rendered=self._texts))
            except OSError as e:
                raise RunError(*_cannot_write(path, e)) from None
        on_terminal = False
        color = request.color
        if request.statistics:
            console.out(report.render_statistics(result, lang=lang, color=color), color=color)
            on_terminal = True
        elif stream is not None:
            on_terminal = outputs.main_format in report.HUMAN_FORMATS
            stream.finish(for_format(outputs.main_format))
        elif outputs.main_path is None:
            on_terminal = outputs.main_format in report.HUMAN_FORMATS
            for piece in report.chunks(outputs.main_format, for_format(outputs.main_format), lang=lang, color=color,
                                       summary=not request.quiet, html_context=request.html_context,
                                       rendered=self._texts):
                console.out(piece, color=color)
        if outputs.main_format == "github" and os.environ.get("GITHUB_STEP_SUMMARY"):
            self._write_step_summary(os.environ["GITHUB_STEP_SUMMARY"], for_format("github"))
        if not on_terminal and result.errors:
            for err in result.with_paths(self.shown("cwd")).errors:
                console.error(f"{err.path}: {err.message(lang)}")
        if not request.quiet and not on_terminal:
            console.summary(report.summary_line(result, lang=lang))
        return exit_code(result, self.settings.fail_on, exit_zero=request.exit_zero)

    def _write_step_summary(self, path: str, result: CheckResult) -> None:
        """Append the findings table to GitHub's job summary, where every finding is listed (annotations
        are capped at what GitHub shows); a summary that cannot be written is a warning, not a failed gate."""
        from auditor.report.github import step_summary

        try:
            with open(path, "a", encoding="utf-8", newline="") as fh:
                fh.write(step_summary(result, lang=self.lang))
        except OSError as e:
            self.console.warning(f"{path}: {e.strerror or e}")


class _Sources:
    """``{display path: input}`` of a run's inputs, as the cross pass asks for it (``get``): made when
    first asked, which is only for a file whose lines the pass reads again. A dict of every input,
    held from the check to the report, was about 20 bytes a file."""

    __slots__ = ("inputs", "made")

    def __init__(self, inputs: Sequence[Any]) -> None:
        self.inputs = inputs
        self.made: dict[str, Any] | None = None

    def get(self, path: str, default: Any = None) -> Any:
        made = self.made
        if made is None:
            made = self.made = {item.display: item for item in self.inputs}
        return made.get(path, default)


class Streamer:
    """The main report written as the run goes: each file's findings as soon as the file is checked,
    in input order (:mod:`auditor.runner` gives outcomes in that order whatever ``--jobs`` is).

    Findings that come after every file (the cross-document pass, :meth:`Run.add_late`) are
    written by :meth:`finish` after the files' findings, then the end of the report (unreadable
    inputs, the summary), which needs the whole run. The text is the same as the report rendered
    from the whole result whenever the late findings sort after the files' (a test holds the two
    equal).
    """

    def __init__(self, writer: Any, console: Console, shown: Mapping[str, str], color: bool) -> None:
        self.writer = writer
        self.console = console
        self.shown = shown
        self.color = color
        #: Findings written so far: those of the result past this many are late.
        self.printed = 0

    def file(self, checked: CheckedFile, findings: Sequence[Finding]) -> None:
        """Write one checked file's findings (admitted and sorted), as one piece."""
        piece = CheckResult([checked], findings).with_paths(self.shown)
        text = "".join(self.writer.findings(piece.findings, {piece.files[0].path: piece.files[0]}))
        self.printed += len(findings)
        if text:
            self.console.out(text, color=self.color)

    def finish(self, result: CheckResult) -> None:
        """Write what comes after the files' findings: the late findings, then the end."""
        import itertools

        late = itertools.islice(result.findings, self.printed, None)
        for part in (self.writer.findings(late, {f.path: f for f in result.files}), self.writer.end(result)):
            for piece in part:
                self.console.out(piece, color=self.color)


def run(request: Request, console: Console | None = None, *, the_plan: Plan | None = None) -> int:
    """The whole run of ``auditor check``: returns its exit code (0, 1 or 2)."""
    console = console if console is not None else Console()
    try:
        made = the_plan if the_plan is not None else plan(request.settings)
        if not request.quiet:
            for w in made.warnings:
                console.warning(w.message(request.settings.lang))
        the_run = Run(request, made, console)
        inputs = the_run.discover()
        stream = the_run.stream()  # the main report, written as each file is checked (text formats)
        # The cross-document pass's findings join as late ones: a streamed report prints them after the files'.
        result = the_run.cross_pass(the_run.check(inputs, stream))
        if request.write_baseline:
            return the_run.write_baseline(result)
        return the_run.report(result, stream)
    except RunError as e:
        console.error(e.message(request.settings.lang))
        return EXIT_ERROR
    finally:
        _after_run()


def check_paths(paths: Sequence[str | os.PathLike] = (".",), *, config: str | os.PathLike | None = None,
                isolated: bool = False, jobs: int = 1, baseline: str | None = None,
                **options: Any) -> CheckResult:
    """Check files and folders as ``auditor check`` does and return the :class:`CheckResult`.

    ``config`` names a configuration file (else one is searched for from the current directory,
    unless ``isolated``); ``options`` are :class:`auditor.config.Options` fields (``select``,
    ``ignore``, ``params``, ``rules`` …) and win over the configuration, as command-line flags do.
    Raises :class:`RunError` where ``auditor check`` would exit 2 before its reports. A library call
    writes nothing unless asked: the results cache is off unless ``cache_dir=PATH`` or
    ``no_cache=False`` is passed (then it is used as ``auditor check`` uses it).
    """
    options.setdefault("no_cache", options.get("cache_dir") is None)
    try:
        settings = cfg.resolve(cfg.Options(**options), config=config, isolated=isolated)
    except cfg.ConfigError as e:
        raise RunError(str(e), e.message_ko) from None
    request = Request(settings, tuple(os.fspath(p) for p in paths), jobs=jobs, baseline=baseline,
                      output_file=os.devnull, quiet=True)
    the_run = Run(request, plan(settings), Silent())
    try:
        return the_run.cross_pass(the_run.check(the_run.discover()))
    finally:
        _after_run()


def _after_run() -> None:
    """What a run leaves until its reports are written: reap the worker processes it told to end with
    its last file (:func:`auditor.runner.reap`: they end while the cross pass and the reports are made,
    not before), and keep the regular expressions' programs it compiled itself for the next run
    (:func:`auditor.recache.store`)."""
    runner = sys.modules.get("auditor.runner")
    if runner is not None:
        runner.reap()
    recache = sys.modules.get("auditor.recache")
    if recache is not None:  # the regular expressions this run compiled itself, kept for the next
        recache.store()


def shown_paths(inputs: Sequence[Any], base: Path, stdin_filename: str | None) -> dict[str, str]:
    """``{root-relative path: path relative to base}`` for every input (stdin keeps its name)."""
    from auditor.discovery import STDIN, RelativePaths

    shown = {}
    relative_path = RelativePaths(base)
    for item in inputs:
        source = stdin_filename if item.path == STDIN else item.path
        if source:
            shown[item.display] = relative_path(source)
    return shown


def lines_to_keep(outputs: Outputs, terse: bool) -> str:
    """What of each file's lines the requested reports show: all (html), context (full), or none."""
    formats = {fmt for fmt, _ in outputs.extra}
    if outputs.main_path is not None or not terse:
        formats.add(outputs.main_format)
    if "html" in formats:
        return KEEP_ALL
    return KEEP_CONTEXT if "full" in formats else KEEP_NONE


def exit_code(result: CheckResult, fail_on: Severity, *, exit_zero: bool = False) -> int:
    """2 if an input could not be read; else 1 for a finding at or above ``fail_on``; else 0."""
    if result.errors:
        return EXIT_ERROR
    found = result.findings
    counted = found.severities() if isinstance(found, FindingStore) else None  # a run's: without reading them back
    severities = counted if counted is not None else (f.severity for f in found)  # else streamed, stops at the first
    if not exit_zero and any(fail_on <= severity for severity in severities):
        return EXIT_FINDINGS
    return EXIT_OK


def _spool_error(err: OSError) -> tuple[str, str]:
    import tempfile

    folder, reason = tempfile.gettempdir(), err.strerror or str(err)
    return (f"cannot keep the findings in a temporary file in {folder} ({reason}); set TMPDIR to a folder with room",
            f"지적을 임시 폴더 {folder}의 파일에 둘 수 없습니다 ({reason}); TMPDIR을 여유 있는 폴더로 바꾸세요")


def _cannot_write(path: str, err: OSError) -> tuple[str, str]:
    reason = err.strerror or str(err)
    return (f"{path}: cannot write ({reason}); the file is unchanged",
            f"{path}: 쓸 수 없습니다 ({reason}); 파일은 바뀌지 않았습니다")
