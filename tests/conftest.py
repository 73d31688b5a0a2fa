"""Shared test settings: the rule-pack cache and its secret in temporary directories, no results cache, and
hypothesis profiles.

Profiles: ``ci`` when the CI variable is set (a fixed example budget, derandomized, so that a run
is the same every time and takes the same time), else ``dev``; ``HYPOTHESIS_PROFILE`` wins
(``thorough`` for a long local run).
"""

from __future__ import annotations

import os
import tempfile

from hypothesis import HealthCheck, settings

# Tests load many throw-away packs; their cached rule sets must not land in ~/.cache/auditor.
os.environ.setdefault("AUDITOR_CACHE_DIR", tempfile.mkdtemp(prefix="auditor-test-cache-"))
# ... nor the secret that signs them in ~/.local/state/auditor (auditor.engine.cache.secret_path).
os.environ["XDG_STATE_HOME"] = tempfile.mkdtemp(prefix="auditor-test-state-")
# No test reads another's results from .auditor_cache (a hit would skip the very reading and checking it
# tests); tests/test_cache.py turns the results cache on where it is what is tested.
os.environ["AUDITOR_NO_RESULTS_CACHE"] = "1"

settings.register_profile("ci", max_examples=100, derandomize=True, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
#: Local runs: random examples (hypothesis keeps its database of failures between runs).
settings.register_profile("dev", max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
#: More examples: ``HYPOTHESIS_PROFILE=thorough python -m pytest tests/test_fuzz.py``.
settings.register_profile("thorough", max_examples=5000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))
