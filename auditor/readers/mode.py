"""Whether the sheet reader takes its fast paths (the default) or reads every line the reference way.

``AUDITOR_READER=reference`` in the environment (read once, at import) makes the reader classify
every line, split its cells and hand them to the part readers, and read every 산출근거 formula's
operands with the grammar's own pattern: the code the fast paths are held equal to by
``tests/test_reader_differential.py``, which switches :data:`FAST` in process.
"""

from __future__ import annotations

import os

__all__ = ["FAST"]

#: True unless ``AUDITOR_READER=reference``: the table rows a compiled pattern reads whole skip the
#: line-by-line classification, and flat formulas are read with one pattern.
FAST = os.environ.get("AUDITOR_READER", "").strip().lower() != "reference"
