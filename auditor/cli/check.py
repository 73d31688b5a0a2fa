"""``auditor check``: the CI gate: find the sheets, check them, report, and exit 0, 1 or 2.

This is the command as click declares it: its options, help, usage errors and completion. Its body is
:func:`auditor.cli.checkbody.run_check`, which the command line's fast path
(:mod:`auditor.cli.checkargv`) also calls, with the same values, when it reads the arguments itself.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from auditor import config as cfg
from auditor.cli.checkbody import (
    EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, FORMAT_NAMES, LEVELS, OptionError, cli_options, comma_list, echo_error,
    echo_warnings, glob_list, load_settings, param_triples, per_file_pairs, request_of, run_check, severity_pairs,
    use_color,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["EXIT_ERROR", "EXIT_FINDINGS", "EXIT_OK", "FORMAT_NAMES", "LEVELS", "check", "cli_options", "comma_list",
           "echo_error", "echo_warnings", "glob_list", "load_settings", "param_triples", "per_file_pairs",
           "request_of", "run_check", "severity_pairs", "use_color"]

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
    try:
        code = run_check(**opts)
    except OptionError as e:
        raise click.BadParameter(e.message, param_hint=e.param_hint) from None
    sys.exit(code)
