"""The body of ``auditor check``, without click: the command's options as click gives them (a dict) become
the settings and the run (:func:`run_check`).

click's command (:mod:`auditor.cli.check`) and the command line's fast path for ``check``
(:mod:`auditor.cli.checkargv`) both call :func:`run_check` with the same values. A value that only the
body can judge (a glob, ``--severity SEL=LEVEL``, ``--param``, a size) is an :class:`OptionError`,
which click's command shows as its own usage error (``Invalid value for '--severity': …``, exit 2).
click is imported only to print (an error, a warning, ``--show-settings``), as :mod:`auditor.pipeline`
does.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

from auditor import config as cfg
from auditor.cli.guard import set_lang
from auditor.discovery import GLOB_CHARS, GlobError, check_glob
from auditor.findings import Severity
from auditor.pipeline import (
    EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, FORMAT_NAMES, Request, RunError, main_format, plan, run,
)
from auditor.readers.opening import parse_size

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["EXIT_ERROR", "EXIT_FINDINGS", "EXIT_OK", "FORMAT_NAMES", "LEVELS", "OptionError", "echo_error",
           "echo_warnings", "run_check", "use_color"]

LEVELS = tuple(s.value for s in Severity)


class OptionError(ValueError):
    """A value of an option (or a PATH) that the body found wrong: click's ``BadParameter`` with this
    message and ``param_hint``, raised by :mod:`auditor.cli.check`."""

    def __init__(self, message: str, param_hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.param_hint = param_hint


def echo_error(message: str) -> int:
    """Print ``auditor: error: message`` on standard error; returns exit code 2."""
    import click  # only to say what went wrong: a run that goes well never imports click

    click.echo(f"auditor: error: {message}", err=True)
    return EXIT_ERROR


def echo_warnings(warnings: Sequence[Any], lang: str) -> None:
    """Print each rule-pack warning as ``auditor: warning: path:line:col: message`` on standard error."""
    for w in warnings:
        import click  # only when there is something to say

        click.echo(f"auditor: warning: {w.message(lang)}", err=True)


def comma_list(values: Sequence[str]) -> tuple[str, ...]:
    """``("SET,BUD", "X")`` → ``("SET", "BUD", "X")``: repeated and comma-separated flags alike."""
    return tuple(part.strip() for v in values for part in v.split(",") if part.strip())


def glob_list(values: Sequence[str], flag: str) -> tuple[str, ...]:
    """:func:`comma_list` of globs, each checked: one that cannot be read (``[z-a]``) is a usage error."""
    patterns = comma_list(values)
    for pattern in patterns:
        try:
            check_glob(pattern)
        except GlobError as e:
            raise OptionError(str(e), param_hint=f"'{flag}'") from None
    return patterns


def severity_pairs(values: Sequence[str]) -> tuple[tuple[str, Severity], ...]:
    """``SEL=LEVEL`` flags → pairs; a malformed one is a usage error (exit 2)."""
    pairs = []
    for v in comma_list(values):
        sel, sep, level = v.partition("=")
        try:
            if not sep or not sel.strip():
                raise ValueError("expected SELECTOR=LEVEL, e.g. SET001=warning")
            pairs.append((sel.strip(), Severity.parse(level)))
        except ValueError as e:
            raise OptionError(f"{v!r}: {e}", param_hint="'--severity'") from None
    return tuple(pairs)


def per_file_pairs(values: Sequence[str], flag: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """``GLOB:SEL`` flags (repeated or comma-separated, as ruff's) → ``(glob, selectors)``, one entry per glob."""
    merged: dict[str, tuple[str, ...]] = {}
    for v in comma_list(values):
        pattern, sep, sel = v.rpartition(":")
        if not sep or not pattern.strip() or not sel.strip():
            raise OptionError(f"{v!r}: expected GLOB:SELECTOR, e.g. 'archive/**:ALL'", param_hint=f"'{flag}'")
        glob_list((pattern,), flag)
        merged[pattern.strip()] = merged.get(pattern.strip(), ()) + (sel.strip(),)
    return tuple(merged.items())


def param_triples(values: Sequence[str]) -> tuple[tuple[str, str, Any], ...]:
    """``CODE.NAME=VALUE`` flags → ``(code, name, value)``; the value is read as TOML (exact decimals), else as text.

    A value nested too deep or with a number too long for TOML (:mod:`auditor.safeload`) is a usage error.
    """
    from auditor.safeload import LoadError, loads_toml

    triples = []
    for v in values:
        key, sep, raw = v.partition("=")
        code, dot, name = key.strip().partition(".")
        if not sep or not dot or not code or not name.strip():
            raise OptionError(f"{v!r}: expected CODE.NAME=VALUE, e.g. REVIEW001.min_execution_rate=60",
                                     param_hint="'--param'")
        try:
            value = loads_toml(f"v = {raw.strip()}", "--param")["v"]
        except LoadError as e:
            if not e.syntax:
                raise OptionError(f"{v[:80]!r}: {e.reason_en}", param_hint="'--param'") from None
            value = raw.strip()  # bare text: a text param, or a kind error named by the rule's check
        triples.append((code, name.strip(), cfg.frozen(value)))
    return tuple(triples)


def use_color(choice: str, stream: Any) -> bool:
    """``always``/``never`` as told; ``auto`` = a terminal and no ``NO_COLOR`` (https://no-color.org)."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def cli_options(opts: dict[str, Any]) -> cfg.Options:
    """The command line's part of the settings (``None``/empty where a flag was not given)."""
    return cfg.Options(
        select=comma_list(opts["select"]) if opts["select"] else None,
        extend_select=comma_list(opts["extend_select"]),
        ignore=comma_list(opts["ignore"]),
        severity=severity_pairs(opts["severity"]),
        params=param_triples(opts["params"]),
        per_file_ignores=per_file_pairs(opts["per_file_ignores"], "--per-file-ignores") if opts["per_file_ignores"]
        else None,
        extend_per_file_ignores=per_file_pairs(opts["extend_per_file_ignores"], "--extend-per-file-ignores"),
        rules=tuple(Path(p).absolute() for p in opts["rule_packs"]),
        strict_rules=opts["strict_rules"] or None,
        fail_on=Severity.parse(opts["fail_on"]) if opts["fail_on"] else None,
        output_format=opts["output_format"],
        lang=opts["lang"],
        include=glob_list(opts["include"], "--include") or None,
        exclude=glob_list(opts["exclude"], "--exclude") if opts["exclude"] else None,
        extend_exclude=glob_list(opts["extend_exclude"], "--extend-exclude"),
        max_file_size=_size(opts.get("max_file_size")),
        cache_dir=_folder(opts.get("cache_dir")),
        no_cache=opts.get("no_cache") or None,
    )


def _folder(value: Path | None) -> Path | None:
    if value is not None and not str(value).strip():
        raise OptionError("must name a folder (--no-cache turns the cache off)", param_hint="'--cache-dir'")
    return value


def _size(value: str | None) -> int | None:
    try:
        return parse_size(value) if value is not None else None
    except ValueError as e:
        raise OptionError(str(e), param_hint="'--max-file-size'") from None


def load_settings(opts: dict[str, Any]) -> cfg.Settings:
    return cfg.resolve(cli_options(opts), config=opts["config_file"], isolated=opts["isolated"])


def request_of(settings: cfg.Settings, opts: dict[str, Any]) -> Request:
    """The run the options ask for (paths, jobs, baseline, reports), under ``settings``."""
    return Request(
        settings,
        tuple(opts["paths"]) or (".",),
        jobs=opts["jobs"],
        stdin_filename=opts["stdin_filename"],
        force_exclude=opts["force_exclude"],
        baseline=opts["baseline_file"],
        write_baseline=opts["write_baseline"],
        output_file=opts["output_file"],
        extra_outputs=tuple((name, opts[f"{name}_output"]) for name in ("sarif", "json", "junit", "html")
                            if opts[f"{name}_output"]),
        statistics=opts["statistics"],
        quiet=opts["quiet"],
        verbose=opts["verbose"],
        color=use_color(opts["color"], sys.stdout),
        html_context=None if opts["html_full"] else opts["html_context"],
        exit_zero=opts["exit_zero"],
    )


def run_check(**opts: Any) -> int:
    """The whole ``check`` command; returns the exit code. The run itself is :func:`auditor.pipeline.run`."""
    try:
        settings = load_settings(opts)
    except cfg.ConfigError as e:
        lang = opts["lang"] or e.lang or "ko"
        return echo_error(e.message_ko if lang == "ko" else str(e))
    lang = settings.lang
    set_lang(lang)
    fmt = main_format(settings)
    if fmt not in FORMAT_NAMES:
        at = cfg.where(settings.config_path, "output-format") if settings.config_path else "config"
        return echo_error(f"{at}: output-format: unknown format {fmt!r} "
                          f"(choose one of: {', '.join(FORMAT_NAMES)})")
    for path in opts["paths"]:  # a glob the shell left for us must be readable (a path that exists is taken as it is)
        if GLOB_CHARS.search(path) and not os.path.lexists(path):
            try:
                check_glob(path)
            except GlobError as e:
                raise OptionError(str(e), param_hint="PATH") from None
    try:
        the_plan = plan(settings)
    except RunError as e:
        return echo_error(e.message(lang))
    if opts["show_settings"]:
        import click

        click.echo(cfg.describe(settings, the_plan.ruleset.rules, output_format=fmt, jobs=opts["jobs"]), nl=False)
        return EXIT_OK
    return run(request_of(settings, opts), the_plan=the_plan)
