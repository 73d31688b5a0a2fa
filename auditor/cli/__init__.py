"""The ``auditor`` command line: one click group, one module per command."""

from __future__ import annotations

import os
import sys

from auditor import charsets

charsets.install()  # before the imports below compile their patterns: the same patterns, built sooner

import click  # noqa: E402

from auditor import __version__  # noqa: E402

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class AuditorGroup(click.Group):
    """The command group; each command runs :func:`auditor.cli.guard.guarded` (signals become exit codes)."""

    def invoke(self, ctx: click.Context):
        from auditor.cli.guard import guarded

        args = [*getattr(ctx, "_protected_args", ()), *ctx.args]  # the command's own, not parsed yet
        with guarded(args):
            return super().invoke(ctx)


@click.group(cls=AuditorGroup, context_settings=CONTEXT_SETTINGS,
             epilog="명령별 도움말 / Help on a command: auditor COMMAND --help")
@click.version_option(__version__, "-V", "--version", prog_name="auditor")
def main() -> None:
    """auditor: 사업설명서(예산 사업설명서)의 계산을 검사합니다.

    Audits Korean public budget sheets (사업설명서): reads every sheet, checks
    its arithmetic with rule packs, and reports findings.
    """


# Commands register themselves below; keep one module per command.

from auditor.cli.check import check as check_command  # noqa: E402
from auditor.cli.clean import clean_command  # noqa: E402
from auditor.cli.parse import parse_command  # noqa: E402
from auditor.cli.rules import rule_command, rules_command  # noqa: E402

main.add_command(check_command)
main.add_command(rules_command)
main.add_command(rule_command)
main.add_command(parse_command)
main.add_command(clean_command)

from auditor.cli.help import use_display_width  # noqa: E402

use_display_width([main, *main.commands.values()])


def entry() -> None:
    """``auditor`` as a program (the console script and ``python -m auditor``): :func:`main`, then the
    process ends without tearing the interpreter down.

    Freeing every object of a run one by one (the rule set, the generated code, the modules) is
    about 3% of a one-sheet run and of no use to a process that is ending. So, when the exit code
    is a number, standard output and standard error have taken everything, and no other thread
    runs, the ``atexit`` functions run (as at a normal exit) and the process ends there
    (``os._exit``), as mypy does; otherwise the exit is Python's usual one. A caller of
    :func:`main` itself (tests, ``click.testing``) is unaffected.
    """
    try:
        main()
    except SystemExit as e:
        code = 0 if e.code is None else e.code
        if isinstance(code, int) and _ended_cleanly():
            os._exit(code)
        raise


def _ended_cleanly() -> bool:
    """Whether the process may end now: both streams flushed, no other thread, the ``atexit`` functions run."""
    import atexit
    import threading

    run_exitfuncs = getattr(atexit, "_run_exitfuncs", None)
    if run_exitfuncs is None or threading.active_count() != 1:
        return False
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):  # Python's own exit reports it, as before
            return False
    run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):  # what an exit function printed
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):
            pass
    return True
