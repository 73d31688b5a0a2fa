"""The ``auditor`` program: ``python -m auditor`` and the console script both start at :func:`run`."""

import signal


def run() -> None:
    """Ctrl-C from the first statement on ends the program as an interrupted run does (exit 130, one
    line on standard error; :func:`auditor.endsignals.interrupted_while_loading`), also while the
    command's modules load, before its own handler is in place; then :func:`auditor.cli.entry`."""
    from auditor.endsignals import interrupted_while_loading

    try:
        signal.signal(signal.SIGINT, interrupted_while_loading)
    except ValueError:  # not the main thread: signals stay as they are
        pass
    from auditor.cli import entry

    entry()


if __name__ == "__main__":  # pragma: no cover
    run()
