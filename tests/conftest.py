"""Suite-wide settings: no plugin autoload from the environment, a bounded hypothesis profile."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# Tests see only the built-in exercises and the plugins they install themselves.
os.environ.setdefault("PROBSTATS_DISABLE_PLUGIN_AUTOLOAD", "1")

settings.register_profile(
    "probstats",
    max_examples=200,
    deadline=None,  # timing belongs in benchmarks, not in tests
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("probstats")
