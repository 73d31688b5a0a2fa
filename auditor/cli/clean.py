"""``auditor clean`` removes the results cache (as ``ruff clean`` removes ``.ruff_cache``)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from auditor import config as cfg
from auditor.cli.check import echo_error

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

EXIT_OK, EXIT_ERROR = 0, 2


@click.command("clean")
@click.option("--config", "config_file", type=click.Path(path_type=Path, dir_okay=False), metavar="FILE",
              help="이 설정 파일만 사용. Use this config file instead of searching for one.")
@click.option("--isolated", is_flag=True, help="설정 파일을 읽지 않음. Ignore all configuration files.")
@click.option("--cache-dir", type=click.Path(path_type=Path, file_okay=False), metavar="DIR",
              help="이 캐시 폴더를 지움. Remove the results cache in this folder instead.")
@click.option("--lang", type=click.Choice(cfg.LANGS), default=None, help="언어. Language.")
def clean_command(**opts: Any) -> None:
    """\b
    결과 캐시(.auditor_cache)를 지웁니다. 입력과 설정은 건드리지 않습니다.
    Remove the results cache (.auditor_cache or cache-dir); nothing else.
    """
    sys.exit(run_clean(**opts))


def run_clean(**opts: Any) -> int:
    from auditor.cache import clear

    if opts["cache_dir"] is not None and not str(opts["cache_dir"]).strip():
        raise click.BadParameter("must name a folder", param_hint="'--cache-dir'")
    try:
        settings = cfg.resolve(cfg.Options(lang=opts["lang"], cache_dir=opts["cache_dir"]),
                               config=opts["config_file"], isolated=opts["isolated"])
    except cfg.ConfigError as e:
        lang = opts["lang"] or e.lang or "ko"
        return echo_error(e.message_ko if lang == "ko" else str(e))
    en = settings.lang == "en"
    directory = settings.cache_dir if settings.cache_dir is not None else settings.root / cfg.DEFAULT_CACHE_DIR
    try:
        removed = clear(directory)
    except OSError as e:
        where = getattr(e, "filename", None) or directory
        return echo_error(f"{where}: {e.strerror or e}")
    if removed is None:
        return echo_error(f"{directory}: not a results cache of auditor (no CACHEDIR.TAG of auditor's); left alone"
                          if en else f"{directory}: auditor의 결과 캐시가 아닙니다 (auditor의 CACHEDIR.TAG 없음); "
                                     "지우지 않았습니다")
    if removed == 0:
        click.echo(f"auditor: no results cache in {directory}" if en else f"auditor: {directory}에 결과 캐시가 없습니다",
                   err=True)
        return EXIT_OK
    click.echo(f"auditor: removed {removed} files from {directory}" if en else
               f"auditor: {directory}에서 파일 {removed}개를 지웠습니다", err=True)
    return EXIT_OK
