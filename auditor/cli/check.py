"""``auditor check``: the CI gate: find the sheets, check them, report, and exit 0, 1 or 2."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, Sequence

import click

from auditor import config as cfg
from auditor.cli.guard import set_lang
from auditor.discovery import GLOB_CHARS, GlobError, check_glob
from auditor.findings import Severity
from auditor.pipeline import (
    EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, FORMAT_NAMES, Request, RunError, main_format, plan, run,
)
from auditor.readers.opening import parse_size

__all__ = ["EXIT_ERROR", "EXIT_FINDINGS", "EXIT_OK", "FORMAT_NAMES", "check", "echo_error", "echo_warnings",
           "run_check", "use_color"]

LEVELS = tuple(s.value for s in Severity)

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
@click.option("--no-cache", is_flag=True, default=None,
              help="결과 캐시를 읽지도 쓰지도 않음. Do not read or write the results cache.")
@click.option("--cache-dir", type=click.Path(path_type=Path, file_okay=False), metavar="DIR",
              help="결과 캐시 폴더 (기본: 프로젝트 루트의 .auditor_cache). Where the results cache lives "
                   "(default: .auditor_cache in the project root).")
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
        cache_dir=_folder(opts.get("cache_dir")),
        no_cache=opts.get("no_cache") or None,
    )


def _folder(value: Path | None) -> Path | None:
    if value is not None and not str(value).strip():
        raise click.BadParameter("must name a folder (--no-cache turns the cache off)", param_hint="'--cache-dir'")
    return value


def _size(value: str | None) -> int | None:
    try:
        return parse_size(value) if value is not None else None
    except ValueError as e:
        raise click.BadParameter(str(e), param_hint="'--max-file-size'") from None


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
                raise click.BadParameter(str(e), param_hint="PATH") from None
    try:
        the_plan = plan(settings)
    except RunError as e:
        return echo_error(e.message(lang))
    if opts["show_settings"]:
        click.echo(cfg.describe(settings, the_plan.ruleset.rules, output_format=fmt, jobs=opts["jobs"]), nl=False)
        return EXIT_OK
    return run(request_of(settings, opts), the_plan=the_plan)
