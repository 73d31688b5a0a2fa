"""Shared test settings: hypothesis profiles (``ci`` when the CI variable is set, else ``dev``; ``HYPOTHESIS_PROFILE`` wins)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

#: CI: a fixed example budget, derandomized, so that a run is the same every time and takes the same time.
settings.register_profile("ci", max_examples=200, derandomize=True, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
#: Local runs: random examples (hypothesis keeps its database of failures between runs).
settings.register_profile("dev", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
#: More examples, for a long local run: ``HYPOTHESIS_PROFILE=thorough python -m pytest tests/test_fuzz.py``.
settings.register_profile("thorough", max_examples=5000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))
