"""The ``auditor`` command line as click declares it: one group, one module per command.

:func:`auditor.cli.entry` runs it, except for a ``check`` whose arguments the fast path reads itself
(:mod:`auditor.cli.checkargv`); ``from auditor.cli import main`` is this group.
"""

from __future__ import annotations

import click

from auditor import __version__

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
