"""Suite-wide settings: no plugin autoload from the environment, a bounded hypothesis profile,
and the language-model tests kept on one xdist worker."""

from __future__ import annotations

import os

import pytest
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


def pytest_collection_modifyitems(config, items):
    """Everything that loads the language model (tests/core/lm, core/lm's doctests, the
    Language model page's tests and the pages' "real model" sources) runs in xdist group
    "lm", so one worker loads it once (``make test`` passes ``--dist loadgroup``)."""
    for item in items:
        nodeid = item.nodeid.replace("\\", "/")
        if "core/lm/" in nodeid or "language_model" in nodeid or "real_model" in nodeid:
            item.add_marker(pytest.mark.xdist_group("lm"))
