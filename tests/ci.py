"""What a test does when something it needs is not installed: skip, but fail under CI."""

from __future__ import annotations

import os

import pytest


def skip_or_fail_in_ci(reason: str, ci_hint: str) -> None:
    """Skip with ``reason``; under ``CI=true`` fail instead, adding ``ci_hint``."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; {ci_hint}")
    pytest.skip(reason)
