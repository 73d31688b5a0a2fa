"""Test-session settings: the rule-pack cache goes to a temporary directory, never the user's own."""

from __future__ import annotations

import os
import tempfile

# Tests load many throw-away packs; their cached rule sets must not land in ~/.cache/auditor.
os.environ.setdefault("AUDITOR_CACHE_DIR", tempfile.mkdtemp(prefix="auditor-test-cache-"))
