"""``auditor check``'s arguments read without click, when every one of them is read exactly as click reads it.

click stays the command line of record (:mod:`auditor.cli.check`): its declarations, help, messages,
completion and every other command. A run of ``check`` is the common case, and importing click (with
``inspect``, ``ast``, ``dis``, ``tokenize``, ``uuid``, ``datetime``, ``gettext``, ``locale``,
``threading``, ``weakref`` …) is about 51 M instructions of its start-up, spent before the first sheet
and before ``--jobs`` forks. So :func:`run_fast` reads the arguments with a written-out table of
``check``'s options (:data:`OPTIONS`) and runs the command's body
(:func:`auditor.cli.checkbody.run_check`) with the values click would have given it, under the same
guard (:func:`auditor.cli.guard.guarded`). It declines, and click runs as before, whenever an argument
is anything it does not read exactly:

- the first argument is not ``check`` (another command, a group option such as ``--version``);
- an unknown option, a misspelt or shortened one, ``-h``/``--help``, a value a flag cannot take
  (``--quiet=1``), an option without its value, a value its type refuses (``--jobs -1``,
  ``--output-format xml``, ``--config`` naming a folder …);
- shell completion is asked for (an environment variable ``_…_COMPLETE``), Windows (where click expands
  globs in the arguments), ``AUDITOR_TRACEBACK`` (whose raised exceptions click's ``main`` meets);
- the body finds an option's value wrong (:class:`auditor.cli.checkbody.OptionError`, before the run
  has read or written anything): click then runs the command again and shows its usage error.

The grammar is click's own parser (``click.parser._OptionParser``): options and paths in any order,
``--`` ending the options, ``--name=value`` and ``--name value``, short options clustered (``-qv``,
``-j2``, ``-qo FILE``), a value taken whatever it looks like (``-o --quiet`` writes to ``--quiet``), the
last of a repeated option winning and a ``multiple`` one collecting its values in order. The values are
converted as click's types convert them (``int()`` for ``IntRange``, a ``Choice`` matched exactly, a
``Path`` checked with ``os.stat``/``os.access`` and made a :class:`~pathlib.Path`), and an option not
given takes its default. tests/test_cli_checkargv.py holds the table to click's declarations of
``check`` and the values to click's ``ctx.params`` on generated arguments.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

__all__ = ["OPTIONS", "parse", "run_fast"]

# How an option takes its value: a flag (True when given), one value (the last one given wins), or many.
FLAG, ONE, MANY = "flag", "one", "many"
# How a value is converted (click's type): text, a choice (the choices follow), an integer of at least 0,
# a path (file_okay, dir_okay follow), as click's STRING, Choice, IntRange(min=0) and Path(path_type=Path).
TEXT, CHOICE, COUNT, PATH = "text", "choice", "count", "path"

_FORMATS = ("full", "concise", "json", "sarif", "junit", "github", "gitlab", "markdown", "html")  # FORMAT_NAMES
_LEVELS = ("info", "warning", "error")  # the severities
_LANGS = ("ko", "en")  # config.LANGS

#: ``check``'s options, written out from its click declarations (auditor/cli/check.py): the names on the
#: command line, the name of the value, how it takes values, its type, and its default. A test compares
#: this table with click's ``check.params``, so an option added there and not here fails it.
OPTIONS: tuple[tuple[tuple[str, ...], str, str, tuple, object], ...] = (
    (("--select",), "select", MANY, (TEXT,), ()),
    (("--extend-select",), "extend_select", MANY, (TEXT,), ()),
    (("--ignore",), "ignore", MANY, (TEXT,), ()),
    (("--severity",), "severity", MANY, (TEXT,), ()),
    (("--param",), "params", MANY, (TEXT,), ()),
    (("--per-file-ignores",), "per_file_ignores", MANY, (TEXT,), ()),
    (("--extend-per-file-ignores",), "extend_per_file_ignores", MANY, (TEXT,), ()),
    (("--rules",), "rule_packs", MANY, (PATH, True, True), ()),
    (("--strict-rules",), "strict_rules", FLAG, (), None),
    (("--config",), "config_file", ONE, (PATH, True, False), None),
    (("--isolated",), "isolated", FLAG, (), False),
    (("--show-settings",), "show_settings", FLAG, (), False),
    (("--output-format", "--format"), "output_format", ONE, (CHOICE, _FORMATS), None),
    (("-o", "--output-file"), "output_file", ONE, (TEXT,), None),
    (("--sarif-output",), "sarif_output", ONE, (TEXT,), None),
    (("--json-output",), "json_output", ONE, (TEXT,), None),
    (("--junit-output",), "junit_output", ONE, (TEXT,), None),
    (("--html-output",), "html_output", ONE, (TEXT,), None),
    (("--html-context",), "html_context", ONE, (COUNT,), 2),
    (("--html-full",), "html_full", FLAG, (), False),
    (("--fail-on",), "fail_on", ONE, (CHOICE, _LEVELS), None),
    (("--exit-zero",), "exit_zero", FLAG, (), False),
    (("--write-baseline",), "write_baseline", ONE, (TEXT,), None),
    (("--baseline",), "baseline_file", ONE, (TEXT,), None),
    (("--statistics",), "statistics", FLAG, (), False),
    (("--lang",), "lang", ONE, (CHOICE, _LANGS), None),
    (("--color",), "color", ONE, (CHOICE, ("auto", "always", "never")), "auto"),
    (("-q", "--quiet"), "quiet", FLAG, (), False),
    (("-v", "--verbose"), "verbose", FLAG, (), False),
    (("-j", "--jobs"), "jobs", ONE, (COUNT,), 1),
    (("--force-exclude",), "force_exclude", FLAG, (), False),
    (("--stdin-filename",), "stdin_filename", ONE, (TEXT,), None),
    (("--include",), "include", MANY, (TEXT,), ()),
    (("--exclude",), "exclude", MANY, (TEXT,), ()),
    (("--extend-exclude",), "extend_exclude", MANY, (TEXT,), ()),
    (("--max-file-size",), "max_file_size", ONE, (TEXT,), None),
    (("--no-cache",), "no_cache", FLAG, (), None),
    (("--cache-dir",), "cache_dir", ONE, (PATH, False, True), None),
)

#: The name of ``check``'s one argument (``nargs=-1``: every path, a tuple of text).
PATHS = "paths"

_LONG = {name: option for option in OPTIONS for name in option[0] if name.startswith("--")}
_SHORT = {name[1]: option for option in OPTIONS for name in option[0] if not name.startswith("--")}


class _Declined(Exception):
    """An argument this module does not read exactly as click does: click reads them all."""


def parse(args: list[str]) -> dict[str, object] | None:
    """``check``'s parameters from its arguments (those after ``check``) as click's ``ctx.params`` holds
    them, or ``None`` where click is to read them."""
    try:
        return _parse(args)
    except _Declined:
        return None


def _parse(args: list[str]) -> dict[str, object]:
    given: dict[str, object] = {}
    paths: list[str] = []
    n = len(args)
    i = 0
    while i < n:
        arg = args[i]
        i += 1
        if arg == "--":
            paths.extend(args[i:])
            break
        if arg[:1] != "-" or len(arg) == 1:
            paths.append(arg)
            continue
        name, eq, explicit = arg.partition("=")
        option = _LONG.get(name)
        if option is not None:
            if option[2] is FLAG:
                if eq:
                    raise _Declined  # "Option '--quiet' does not take a value."
                given[option[1]] = True
                continue
            if not eq:
                if i == n:
                    raise _Declined  # "Option '--jobs' requires an argument."
                explicit = args[i]
                i += 1
            _give(given, option, explicit)
            continue
        if arg[:2] == "--":
            raise _Declined  # no such option (click matches long names whole, never a prefix)
        j = 1
        while j < len(arg):  # -qv, -j2, -qo FILE, -o=x (the value "=x", as click reads it)
            option = _SHORT.get(arg[j])
            j += 1
            if option is None:
                raise _Declined  # -h and every unknown letter
            if option[2] is FLAG:
                given[option[1]] = True
                continue
            if j < len(arg):
                value = arg[j:]
            elif i < n:
                value = args[i]
                i += 1
            else:
                raise _Declined
            _give(given, option, value)
            break
    params: dict[str, object] = {PATHS: tuple(paths)}
    for _names, key, takes, kind, default in OPTIONS:
        if key not in given:
            params[key] = default
        elif takes is MANY:
            params[key] = tuple(_convert(kind, value) for value in given[key])  # type: ignore[attr-defined]
        elif takes is ONE:
            params[key] = _convert(kind, given[key])
        else:
            params[key] = True
    return params


def _give(given: dict[str, object], option: tuple, value: str) -> None:
    if option[2] is MANY:
        given.setdefault(option[1], []).append(value)  # type: ignore[attr-defined]
    else:
        given[option[1]] = value


def _convert(kind: tuple, value: str) -> object:
    """``value`` as click's type converts it, or :class:`_Declined` where click would refuse it."""
    how = kind[0]
    if how is TEXT:
        return value
    if how is CHOICE:
        if value in kind[1]:
            return value
        raise _Declined
    if how is COUNT:  # IntRange(min=0): int() of the text, as click calls it
        try:
            number = int(value)
        except ValueError:
            raise _Declined from None
        if number < 0:
            raise _Declined
        return number
    # PATH: click.Path(path_type=Path, file_okay=…, dir_okay=…), exists=False, readable=True
    try:
        st = os.stat(value)
    except OSError:
        return Path(value)
    except ValueError:  # a NUL, an unencodable name: click's convert raises it through
        raise _Declined from None
    file_okay, dir_okay = kind[1], kind[2]
    if (not file_okay and stat.S_ISREG(st.st_mode)) or (not dir_okay and stat.S_ISDIR(st.st_mode)):
        raise _Declined
    if not os.access(value, os.R_OK):
        raise _Declined
    return Path(value)


def _click_decides() -> bool:
    """Whether something besides the arguments changes what click does: shell completion asked for,
    Windows' expansion of the arguments, ``AUDITOR_TRACEBACK``."""
    if os.name == "nt":
        return True
    if os.environ.get("AUDITOR_TRACEBACK", "").strip() not in ("", "0"):
        return True
    return any(name.startswith("_") and name.endswith("_COMPLETE") and value for name, value in os.environ.items())


def run_fast(argv: list[str]) -> None:
    """``auditor ARGV`` when it is a ``check`` whose arguments :func:`parse` reads: the command's body under
    the guard, as click's group runs it, ending with ``SystemExit``; otherwise returns, and click runs.

    The body (:func:`auditor.cli.checkbody.run_check`) raises :class:`~auditor.cli.checkbody.OptionError`
    only before it has read a sheet or written anything; then this returns, and click runs the command
    again to show the usage error as its own.
    """
    if not argv or argv[0] != "check" or _click_decides():
        return
    params = parse(argv[1:])
    if params is None:
        return
    from auditor.cli.checkbody import OptionError, run_check
    from auditor.cli.guard import guarded

    with guarded(argv):  # as auditor.cli.app.AuditorGroup.invoke: ["check", *its arguments]
        try:
            code = run_check(**params)
        except OptionError:
            return
        sys.exit(code)
