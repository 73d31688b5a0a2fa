"""The cyclic garbage collector paused while a run makes and drops many objects that hold no cycles.

A sheet's or an e호조 unit's model, its findings and a cross pass's rebuilt documents are made,
checked and dropped by reference counting: once a run's modules are imported and its patterns
compiled, reading and checking make no reference cycles (tests/test_collector.py holds it). The collector's walks of the young generations over those
objects find nothing, and, as the objects a run keeps grow (results, index entries), its full
collections walk them again and again: about 10% of the CPU of checking 1,000 generated sheets or
100,000 e호조 rows (docs/performance.md). :func:`paused` turns it off for such a phase and back to
what it was after, so whatever cycles the phase did make (an exception's traceback) are collected
as soon as it ends.
"""

from __future__ import annotations

import gc


class paused:
    """The cyclic garbage collector off inside the ``with`` block, and as it was after (a caller
    that had disabled it keeps it disabled). A class rather than a generator context manager: it
    is entered once per file and once per project of the cross pass, and this costs a third as much."""

    __slots__ = ("enabled",)

    def __enter__(self) -> None:
        self.enabled = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc: object) -> None:
        if self.enabled:
            gc.enable()
