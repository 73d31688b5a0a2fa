"""Test support that ships with auditor: a generator of consistent 사업설명서 sheets, with known faults on demand.

``generate_sheet(seed, fault=None)`` makes one sheet; ``write_corpus(directory, count, …)`` writes
many, with ``answer-key.jsonl`` when faults are injected; ``python -m auditor.testing.corpus --help``
does the same from the command line. The property tests (``tests/strategies_corpus.py``), the
accuracy tests and ``benchmarks/check.py`` all use it. Nothing here imports hypothesis.
"""

from __future__ import annotations

import importlib

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["ANSWER_KEY", "Fault", "GeneratedSheet", "KINDS", "answer_key", "detected", "generate_sheet",
           "write_corpus"]


def __getattr__(name: str) -> Any:
    # Imported on first use, so that ``python -m auditor.testing.corpus`` runs the module only once.
    if name not in __all__:
        raise AttributeError(f"module 'auditor.testing' has no attribute {name!r}")
    return getattr(importlib.import_module("auditor.testing.corpus"), name)
