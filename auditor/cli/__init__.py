"""The ``auditor`` command line: one click group (:mod:`auditor.cli.app`), one module per command.

``auditor check`` is the common case, and a run of it need not import click (about 51 M instructions of
start-up with what it imports): :func:`entry` first offers the arguments to :mod:`auditor.cli.checkargv`,
which reads ``check``'s options itself when it can read every argument exactly as click would, and calls
the same body (:func:`auditor.cli.checkbody.run_check`) with the same values. Anything else (help, an
error, another command, completion) goes to click, as before. This module imports no click.
"""

from __future__ import annotations

import os
import sys

from auditor import charsets

charsets.install()  # before the command's modules compile their patterns: the same patterns, built sooner

#: What ``from auditor.cli import main`` and the like find in :mod:`auditor.cli.app` (imported on first use).
_APP = ("main", "AuditorGroup", "CONTEXT_SETTINGS")


def __getattr__(name: str):
    if name in _APP:
        from auditor.cli import app

        return getattr(app, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def entry() -> None:
    """``auditor`` as a program (the console script and ``python -m auditor``): ``check`` through its fast
    path where it reads the arguments (:func:`auditor.cli.checkargv.run_fast`), else click's :func:`main`;
    then the process ends without tearing the interpreter down.

    Freeing every object of a run one by one (the rule set, the generated code, the modules) is
    about 3% of a one-sheet run and of no use to a process that is ending. So, when the exit code
    is a number, standard output and standard error have taken everything, and no other thread
    runs, the ``atexit`` functions run (as at a normal exit) and the process ends there
    (``os._exit``), as mypy does; otherwise the exit is Python's usual one. A caller of
    :func:`main` itself (tests, ``click.testing``) is unaffected.
    """
    try:
        from auditor.cli.checkargv import run_fast

        run_fast(sys.argv[1:])  # ends the process (SystemExit) when it ran the command
        from auditor.cli.app import main

        main()
    except SystemExit as e:
        code = 0 if e.code is None else e.code
        if isinstance(code, int) and _ended_cleanly():
            os._exit(code)
        raise


def _ended_cleanly() -> bool:
    """Whether the process may end now: both streams flushed, no other thread, the ``atexit`` functions run."""
    import atexit

    run_exitfuncs = getattr(atexit, "_run_exitfuncs", None)
    threading = sys.modules.get("threading")  # not imported: no thread was started by it
    if run_exitfuncs is None or (threading is not None and threading.active_count() != 1):
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
