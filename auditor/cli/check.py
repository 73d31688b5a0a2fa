"""``auditor check``: the CI gate: find the sheets, check them, report, and exit 0, 1 or 2."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, Sequence

import attrs
import click

from auditor import config as cfg
from auditor.baseline import Baseline, BaselineError
from auditor.cli.guard import set_lang
from auditor.discovery import GLOB_CHARS, STDIN, GlobError, Input, check_glob, discover, relative_path
from auditor.findings import Finding, Severity
from auditor.outputs import Identity, OutputError, Target, check_targets, write_text
from auditor.readers.opening import parse_size, read_stdin
from auditor.result import KEEP_ALL, KEEP_CONTEXT, KEEP_NONE, CheckedFile, CheckResult, FileError, FindingStore
from auditor.runner import RulesetSpec, run
from auditor.selection import PerFileIgnores, SelectorError, parse_selector, resolve_selection, resolve_severities

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
#: The output formats (``auditor.report.FORMATS`` renders each; a test keeps the two in step).
FORMAT_NAMES = ("full", "concise", "json", "sarif", "junit", "github", "gitlab", "markdown", "html")
LEVELS = tuple(s.value for s in Severity)
#: More files than this, on a terminal, get a progress bar on standard error.
PROGRESS_THRESHOLD = 20

EPILOG = """\b
예 / Examples:
  auditor check                                     # 현재 디렉터리 / the current directory
  auditor check sheets/ --fail-on warning           # 경고에서도 실패 / fail on warnings too
  auditor check sheets/ --select SET --ignore SET003
  auditor check sheets/ --sarif-output auditor.sarif   # CI: 터미널 + SARIF / terminal + SARIF
  auditor check sheets/ --baseline .auditor-baseline.json   # 새 지적만 / new findings only

\b
종료 코드 / Exit codes:
  0  실패 기준 이상의 지적 없음 / no finding at or above --fail-on
  1  실패 기준 이상의 지적 있음 / findings at or above --fail-on
  2  사용법·설정·규칙 팩 오류, 또는 읽지 못한 입력 / usage, config, rule-pack error, or an unreadable input
  130 Ctrl-C(SIGINT)로 중단 / interrupted by SIGINT;  143 SIGTERM으로 중단 / stopped by SIGTERM
  141 파이프를 읽는 쪽이 닫힘 (메시지 없음) / the pipe's reader went away (quietly)

자세히 / More: docs/cli.md, docs/configuration.md
"""


#: The options that name a file to write, by their ``opts`` key.
OUTPUT_OPTIONS = (("output_file", "-o"), ("sarif_output", "--sarif-output"), ("json_output", "--json-output"),
                  ("junit_output", "--junit-output"), ("html_output", "--html-output"),
                  ("write_baseline", "--write-baseline"))


@attrs.frozen
class Outputs:
    """Where each rendering goes: ``(format, path)``; ``path=None`` means standard output."""

    main_format: str
    main_path: str | None
    extra: tuple[tuple[str, str], ...]


@click.command("check", epilog=EPILOG,
               short_help="시트 검사 (CI 관문). Check sheets and report findings (the CI gate).")
@click.argument("paths", nargs=-1, metavar="[PATH]...")
@click.option("--select", multiple=True, metavar="SEL[,SEL]",
              help="이 규칙만 검사 (코드·접두어·이름·ALL). Only these rules: code, prefix, name or ALL.")
@click.option("--extend-select", multiple=True, metavar="SEL[,SEL]",
              help="선택한 규칙에 더함. Add rules to the selection.")
@click.option("--ignore", multiple=True, metavar="SEL[,SEL]",
              help="이 규칙은 검사하지 않음. Rules to leave out.")
@click.option("--severity", "severity", multiple=True, metavar="SEL=LEVEL",
              help="규칙의 심각도 변경 (error|warning|info). Override a rule's severity, e.g. SET001=warning.")
@click.option("--param", "params", multiple=True, metavar="CODE.NAME=VALUE",
              help="규칙 파라미터 변경 (값은 TOML). Override a rule's param with a TOML value, "
                   "e.g. REVIEW001.min_execution_rate=60.")
@click.option("--per-file-ignores", "per_file_ignores", multiple=True, metavar="GLOB:SEL[,GLOB:SEL]",
              help="경로별 제외 규칙 (설정 파일의 것을 대체). Rules to leave out for paths matching GLOB; "
                   "replaces the config's per-file-ignores.")
@click.option("--extend-per-file-ignores", multiple=True, metavar="GLOB:SEL[,GLOB:SEL]",
              help="경로별 제외 규칙에 더함. Like --per-file-ignores, in addition to the config's.")
@click.option("--rules", "rule_packs", multiple=True, type=click.Path(path_type=Path), metavar="PATH",
              help="추가 규칙 팩 (파일 또는 디렉터리). An extra rule pack (file or directory).")
@click.option("--strict-rules", is_flag=True, default=None,
              help="불완전한 규칙(영어 메시지·설명 없음)을 오류로. Treat an incomplete rule in a pack (no English "
                   "message, no documentation) as an error, not a warning.")
@click.option("--config", "config_file", type=click.Path(path_type=Path, dir_okay=False), metavar="FILE",
              help="이 설정 파일만 사용. Use this config file instead of searching for one.")
@click.option("--isolated", is_flag=True, help="설정 파일을 읽지 않음. Ignore all configuration files.")
@click.option("--show-settings", is_flag=True,
              help="적용될 설정을 보여 주고 끝냄. Print the resolved settings and exit.")
@click.option("--output-format", "--format", "output_format", type=click.Choice(FORMAT_NAMES), default=None,
              metavar="FORMAT",
              help="출력 형식 (기본 full, GitHub Actions에서는 github). Output format "
                   f"(default: full; github when GITHUB_ACTIONS is set): {', '.join(FORMAT_NAMES)}.")
@click.option("-o", "--output-file", "output_file", metavar="FILE",
              help="결과를 표준 출력 대신 파일에 씀. Write the report to FILE instead of stdout.")
@click.option("--sarif-output", metavar="FILE", help="SARIF도 함께 씀. Also write SARIF to FILE.")
@click.option("--json-output", metavar="FILE", help="JSON도 함께 씀. Also write JSON to FILE.")
@click.option("--junit-output", metavar="FILE", help="JUnit XML도 함께 씀. Also write JUnit XML to FILE.")
@click.option("--html-output", metavar="FILE", help="HTML 보고서도 함께 씀. Also write the HTML report to FILE.")
@click.option("--html-context", type=click.IntRange(min=0), default=2, show_default=True, metavar="N",
              help="HTML 보고서에서 지적마다 앞뒤로 보여 줄 줄 수. Lines the HTML report shows around each finding.")
@click.option("--html-full", is_flag=True,
              help="HTML 보고서에 모든 시트의 모든 줄을 보여 줌. Show every line of every sheet in the HTML report, "
                   "clean sheets too.")
@click.option("--fail-on", type=click.Choice(LEVELS), default=None,
              help="이 심각도 이상이면 종료 코드 1 (기본 error). Exit 1 on findings at or above this level "
                   "(default: error).")
@click.option("--exit-zero", is_flag=True,
              help="지적이 있어도 종료 코드 0 (입력·설정 오류는 2). Exit 0 even with findings "
                   "(errors still exit 2).")
@click.option("--write-baseline", metavar="FILE",
              help="지금의 지적을 기준선으로 저장하고 0으로 끝냄. Accept today's findings: write them to FILE "
                   "and exit 0.")
@click.option("--baseline", "baseline_file", metavar="FILE",
              help="기준선에 있는 지적은 숨김. Hide the findings recorded in this baseline.")
@click.option("--statistics", is_flag=True,
              help="규칙별 지적 수만 보여 줌. Show counts per rule instead of each finding.")
@click.option("--lang", type=click.Choice(cfg.LANGS), default=None, help="메시지 언어. Message language.")
@click.option("--color", type=click.Choice(("auto", "always", "never")), default="auto", show_default=True,
              help="색 사용 (auto는 터미널이고 NO_COLOR가 없을 때). Colour: auto = a TTY without NO_COLOR.")
@click.option("-q", "--quiet", is_flag=True,
              help="지적만 출력 (요약·진행 막대 없음). Print findings only: no summary, no progress bar.")
@click.option("-v", "--verbose", is_flag=True,
              help="기준선에서 사라진 항목 등도 알림. Also list stale baseline entries and the files read.")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=1, show_default=True,
              help="병렬 프로세스 수 (0은 CPU 수). Worker processes (0 = one per CPU); output order is "
                   "unchanged.")
@click.option("--force-exclude", is_flag=True,
              help="이름을 지정한 파일에도 exclude 적용 (pre-commit용). Apply exclude to files named explicitly too.")
@click.option("--stdin-filename", metavar="NAME", help="표준 입력(-)의 표시 이름. The path to show for stdin (-).")
@click.option("--include", multiple=True, metavar="GLOB[,GLOB]",
              help="디렉터리에서 읽을 파일 (기본 *.txt,*.csv; .md 시트는 *.md 추가). Files a directory contributes "
                   "(default: *.txt,*.csv; add *.md for sheets saved as Markdown).")
@click.option("--exclude", multiple=True, metavar="GLOB[,GLOB]",
              help="제외할 경로 (기본 목록을 대체). Paths to skip; replaces the default list.")
@click.option("--extend-exclude", multiple=True, metavar="GLOB[,GLOB]",
              help="제외 목록에 더함. Paths to skip, in addition.")
@click.option("--max-file-size", metavar="SIZE",
              help="한 입력에서 한 번에 담는 최대 크기: 사업설명서 텍스트 전체, 스트림으로 읽는 e호조 CSV는 한 줄 "
                   "(기본 1MB, 0은 제한 없음). The most one input holds at once: all of a 사업설명서 text, one "
                   "line of an e호조 export streamed from its path, e.g. 5MB (default: 1MB; 0: no limit).")
def check(**opts: Any) -> None:
    """\b
    사업설명서의 산출식과 합계를 규칙 팩으로 검사하고 지적을 보고합니다 (종료 코드 0·1·2).
    Check budget sheets against the rule packs, report the findings, and exit 0, 1 or 2.

    \b
    PATH: 파일, 디렉터리(*.txt, *.csv), glob, 표준 입력(-); 없으면 현재 디렉터리.
          Files, directories (*.txt, *.csv), globs or - for stdin; default: the current directory.
    """
    sys.exit(run_check(**opts))


def echo_error(message: str) -> int:
    """Print ``auditor: error: message`` on standard error; returns exit code 2."""
    click.echo(f"auditor: error: {message}", err=True)
    return EXIT_ERROR


def echo_warnings(warnings: Sequence[Any], lang: str) -> None:
    """Print each rule-pack warning as ``auditor: warning: path:line:col: message`` on standard error."""
    for w in warnings:
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
            raise click.BadParameter(str(e), param_hint=f"'{flag}'") from None
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
            raise click.BadParameter(f"{v!r}: {e}", param_hint="'--severity'") from None
    return tuple(pairs)


def per_file_pairs(values: Sequence[str], flag: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """``GLOB:SEL`` flags (repeated or comma-separated, as ruff's) → ``(glob, selectors)``, one entry per glob."""
    merged: dict[str, tuple[str, ...]] = {}
    for v in comma_list(values):
        pattern, sep, sel = v.rpartition(":")
        if not sep or not pattern.strip() or not sel.strip():
            raise click.BadParameter(f"{v!r}: expected GLOB:SELECTOR, e.g. 'archive/**:ALL'", param_hint=f"'{flag}'")
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
            raise click.BadParameter(f"{v!r}: expected CODE.NAME=VALUE, e.g. REVIEW001.min_execution_rate=60",
                                     param_hint="'--param'")
        try:
            value = loads_toml(f"v = {raw.strip()}", "--param")["v"]
        except LoadError as e:
            if not e.syntax:
                raise click.BadParameter(f"{v[:80]!r}: {e.reason_en}", param_hint="'--param'") from None
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
    )


def _size(value: str | None) -> int | None:
    try:
        return parse_size(value) if value is not None else None
    except ValueError as e:
        raise click.BadParameter(str(e), param_hint="'--max-file-size'") from None


def load_settings(opts: dict[str, Any]) -> cfg.Settings:
    return cfg.resolve(cli_options(opts), config=opts["config_file"], isolated=opts["isolated"])


def validate_selectors(settings: cfg.Settings, rules: Sequence[Any]) -> None:
    """Check every selector against the rules, naming where it came from; raises SelectorError.

    A selector from the configuration file is named as ``file:line: key``; one from
    the command line as ``command line: key``.
    """
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
    if settings.output_format:
        return settings.output_format
    return "github" if os.environ.get("GITHUB_ACTIONS", "").lower() not in ("", "false", "0") else "full"


def run_check(**opts: Any) -> int:
    """The whole ``check`` command; returns the exit code."""
    lang = opts["lang"] or "ko"
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

    from auditor.engine import RulePackError, load_ruleset

    try:
        loaded = load_ruleset(tuple(str(p) for p in settings.rules), strict=settings.strict_rules)
    except RulePackError as e:
        return echo_error(str(e))
    if not opts["quiet"]:
        echo_warnings(loaded.warnings, lang)
    rules = tuple(loaded.rules)
    try:
        params = checked_params(settings, rules)
    except cfg.ConfigError as e:
        return echo_error(e.message_ko if lang == "ko" else str(e))
    try:
        validate_selectors(settings, rules)
        selected = resolve_selection(rules, settings.layers)
        severities = resolve_severities(rules, settings.severity_layers)
        per_file = PerFileIgnores.parse(settings.per_file_ignores, rules)
    except SelectorError as e:
        return echo_error(e.message_ko if lang == "ko" else str(e))
    spec = RulesetSpec(
        tuple(str(p) for p in settings.rules),
        selected,
        tuple(sorted((code, level.value) for code, level in severities.items())),
        params,
    )
    ruleset = spec.apply(loaded)

    if opts["show_settings"]:
        click.echo(cfg.describe(settings, ruleset.rules, output_format=fmt, jobs=opts["jobs"]), nl=False)
        return EXIT_OK

    paths = opts["paths"] or (".",)
    for path in paths:  # a glob the shell left for us must be readable (a path that exists is taken as it is)
        if GLOB_CHARS.search(path) and not os.path.lexists(path):
            try:
                check_glob(path)
            except GlobError as e:
                raise click.BadParameter(str(e), param_hint="PATH") from None
    targets = tuple(Target(flag, opts[key]) for key, flag in OUTPUT_OPTIONS if opts[key])
    try:
        check_targets(targets, _read_paths(settings, paths, opts))
    except OutputError as e:
        return echo_error(e.message(lang))
    stdin = read_stdin(getattr(sys.stdin, "buffer", None), opts["stdin_filename"], settings.max_file_size) if STDIN in paths else None
    found = discover(paths, root=settings.root, include=settings.include, exclude=settings.exclude,
                     stdin_filename=opts["stdin_filename"], stdin=stdin, force_exclude=opts["force_exclude"],
                     max_size=settings.max_file_size)
    found = _without_outputs(found, targets, opts["verbose"], lang)
    for warning in () if opts["quiet"] else found.warnings:
        click.echo(f"auditor: warning: {warning.path}: {warning.message(lang)}", err=True)
    if not found.inputs and not found.errors and not opts["quiet"]:
        click.echo("auditor: warning: 검사할 시트가 없습니다 / no sheets found under the given paths", err=True)
    from_cwd = shown_paths(found.inputs, Path.cwd(), opts["stdin_filename"])
    if opts["verbose"]:
        for item in found.inputs:
            click.echo(f"auditor: {from_cwd.get(item.display, item.display)}", err=True)

    matcher = None
    if opts["baseline_file"] and not opts["write_baseline"]:
        try:
            matcher = Baseline.load(opts["baseline_file"]).matcher()
        except BaselineError as e:
            return echo_error(e.message_ko if lang == "ko" else str(e))
    outputs = Outputs(fmt, opts["output_file"], tuple(
        (name, opts[f"{name}_output"]) for name in ("sarif", "json", "junit", "html") if opts[f"{name}_output"]
    ))
    known = {r.code for r in rules}

    def wanted(f: Finding) -> bool:
        return (f.code not in known or f.code in selected) and not per_file.ignores(f.path, f.code, f.name)

    # Files are checked in path order, so each file's sorted findings extend the report in order;
    # only what the reports need of each file is kept (see lines_to_keep and FindingStore).
    inputs = sorted(found.inputs, key=lambda item: item.display)
    files: list[CheckedFile] = []
    findings = FindingStore()
    errors = list(found.errors)
    keep = lines_to_keep(outputs, opts["statistics"] or opts["write_baseline"])
    try:
        for outcome in _outcomes(inputs, ruleset, spec, opts, keep):
            if isinstance(outcome, FileError):
                errors.append(outcome)
                continue
            checked, found_here = outcome
            kept = sorted((f for f in found_here if wanted(f)), key=Finding.sort_key)
            files.append(checked)
            findings.add(matcher.keep(kept) if matcher is not None else kept)
    except RulePackError as e:  # a rule that fails at run time: the pack's error, not the sheet's
        return echo_error(str(e))
    except OSError as e:  # the findings past a few MB go to a temporary file (FindingStore)
        return echo_error(_spool_error(e, lang))

    if opts["write_baseline"]:
        return _write_baseline(opts["write_baseline"], findings, errors, lang, opts["quiet"])
    baselined = 0
    if matcher is not None:
        baselined = matcher.hidden
        if opts["verbose"]:
            for entry in matcher.stale():
                click.echo(f"auditor: 기준선에만 있음 / no longer found: {entry.path} {entry.code} {entry.key}",
                           err=True)

    result = CheckResult(files, findings, errors, ruleset.docs(), baselined, fail_on=settings.fail_on)
    workspace = os.environ.get("GITHUB_WORKSPACE")
    shown = {
        "cwd": from_cwd,
        "github": shown_paths(found.inputs, Path(workspace), opts["stdin_filename"]) if workspace else from_cwd,
    }
    written = _write_outputs(result, outputs, settings, opts, shown)
    if written != EXIT_OK:
        return written
    return exit_code(result, settings.fail_on, exit_zero=opts["exit_zero"])


#: Which paths each format prints. The human formats print paths from the current directory (so they
#: can be opened from where auditor ran), ``github`` from the repository checkout (GITHUB_WORKSPACE),
#: which is what GitHub resolves annotation paths against; every other format, fingerprints and
#: baselines keep root-relative paths.
PATH_BASE = {"full": "cwd", "concise": "cwd", "github": "github"}


def _read_paths(settings: cfg.Settings, paths: Sequence[str], opts: dict[str, Any]) -> list[tuple[str, Any]]:
    """Every file the run reads, as ``(what, path)``, for :func:`auditor.outputs.check_targets`."""
    from auditor.engine.packs import pack_files

    read: list[tuple[str, Any]] = [("an input", p) for p in paths if p != STDIN]
    if settings.config_path is not None:
        read.append(("the configuration file", settings.config_path))
    for root in settings.rules:
        try:
            packs, vocabularies = pack_files(root)
        except Exception:  # the loader has already read them; a pack that vanished since is not an output's concern
            continue
        read += [("a rule pack", p) for p in (*packs, *vocabularies)]
    if opts["baseline_file"] and not opts["write_baseline"]:
        read.append(("the baseline", opts["baseline_file"]))
    return read


def _without_outputs(found: Any, targets: Sequence[Target], verbose: bool, lang: str) -> Any:
    """``found`` without the run's own output files, which a walk or a glob may meet (a named one is refused)."""
    existing = [ident for ident in (Identity.of(t.path) for t in targets) if ident.inode is not None]
    if not existing:
        return found
    kept = []
    for item in found.inputs:
        if item.path != STDIN and any(Identity.of(item.path).same(ident) for ident in existing):
            if verbose:
                click.echo(f"auditor: {item.display}: "
                           + ("skipped: it is an output of this run" if lang == "en" else "이 실행의 출력 파일이라 건너뜁니다"),
                           err=True)
            continue
        kept.append(item)
    return attrs.evolve(found, inputs=kept)


def shown_paths(inputs: Sequence[Input], base: Path, stdin_filename: str | None) -> dict[str, str]:
    """``{root-relative path: path relative to base}`` for every input (stdin keeps its name)."""
    shown = {}
    for item in inputs:
        source = stdin_filename if item.path == STDIN else item.path
        if source:
            shown[item.display] = relative_path(source, base)
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
    if not exit_zero and any(fail_on <= f.severity for f in result.findings):  # streamed, stops at the first
        return EXIT_FINDINGS
    return EXIT_OK


def _outcomes(inputs, ruleset, spec, opts, keep: str):
    """Each input's outcome as it is checked, with a progress bar on a terminal for long runs."""
    stderr = sys.stderr
    if opts["quiet"] or len(inputs) <= PROGRESS_THRESHOLD or not stderr.isatty():
        yield from run(inputs, ruleset, spec, jobs=opts["jobs"], keep=keep)
        return
    with click.progressbar(length=len(inputs), label="auditor", file=stderr, show_pos=True) as bar:
        yield from run(inputs, ruleset, spec, jobs=opts["jobs"], keep=keep, advance=bar.update)


def _write_baseline(path: str, findings: list[Finding], errors: list[FileError], lang: str, quiet: bool) -> int:
    try:
        Baseline.from_findings(findings).write(path)
    except OSError as e:
        return echo_error(_cannot_write(path, e, lang))
    for err in errors:
        echo_error(f"{err.path}: {err.message(lang)}")
    if not quiet:
        msg = (f"{len(findings)} findings written to {path}" if lang == "en"
               else f"지적 {len(findings)}건을 기준선 {path}에 저장했습니다")
        click.echo(f"auditor: {msg}", err=True)
    return EXIT_ERROR if errors else EXIT_OK


def _spool_error(err: OSError, lang: str) -> str:
    import tempfile

    folder, reason = tempfile.gettempdir(), err.strerror or str(err)
    if lang == "en":
        return (f"cannot keep the findings in a temporary file in {folder} ({reason}); "
                "set TMPDIR to a folder with room")
    return f"지적을 임시 폴더 {folder}의 파일에 둘 수 없습니다 ({reason}); TMPDIR을 여유 있는 폴더로 바꾸세요"


def _cannot_write(path: str, err: OSError, lang: str) -> str:
    reason = err.strerror or str(err)
    if lang == "en":
        return f"{path}: cannot write ({reason}); the file is unchanged"
    return f"{path}: 쓸 수 없습니다 ({reason}); 파일은 바뀌지 않았습니다"


def _write_outputs(result: CheckResult, outputs: Outputs, settings: cfg.Settings, opts: dict[str, Any],
                   shown: dict[str, dict[str, str]]) -> int:
    """Render every requested output; returns 2 if a file could not be written."""
    from auditor import report

    def for_format(fmt: str) -> CheckResult:
        return result.with_paths(shown[PATH_BASE[fmt]]) if fmt in PATH_BASE else result

    lang, quiet = settings.lang, opts["quiet"]
    html_context = None if opts["html_full"] else opts["html_context"]
    stdout = sys.stdout
    color = use_color(opts["color"], stdout)
    for fmt, path in (*outputs.extra, (outputs.main_format, outputs.main_path)):
        if path is None:
            continue
        try:
            write_text(path, report.chunks(fmt, for_format(fmt), lang=lang, color=False, html_context=html_context))
        except OSError as e:
            return echo_error(_cannot_write(path, e, lang))
    on_terminal = False
    if opts["statistics"]:
        click.echo(report.render_statistics(result, lang=lang, color=color), nl=False, color=color)
        on_terminal = True
    elif outputs.main_path is None:
        on_terminal = outputs.main_format in report.HUMAN_FORMATS
        for piece in report.chunks(outputs.main_format, for_format(outputs.main_format), lang=lang, color=color,
                                   summary=not quiet, html_context=html_context):
            click.echo(piece, nl=False, color=color)
    if outputs.main_format == "github" and os.environ.get("GITHUB_STEP_SUMMARY"):
        _write_step_summary(os.environ["GITHUB_STEP_SUMMARY"], for_format("github"), lang)
    if not on_terminal:
        for err in result.with_paths(shown["cwd"]).errors:
            echo_error(f"{err.path}: {err.message(lang)}")
    if not quiet and not on_terminal:
        click.echo(report.summary_line(result, lang=lang), err=True)
    return EXIT_OK


def _write_step_summary(path: str, result: CheckResult, lang: str) -> None:
    """Append the findings table to GitHub's job summary, where every finding is listed (annotations
    are capped at what GitHub shows); a summary that cannot be written is a warning, not a failed gate."""
    from auditor.report.github import step_summary

    try:
        with open(path, "a", encoding="utf-8", newline="") as fh:
            fh.write(step_summary(result, lang=lang))
    except OSError as e:
        click.echo(f"auditor: warning: {path}: {e.strerror or e}", err=True)
