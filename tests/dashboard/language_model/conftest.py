"""The model for the Language model page's tests: the same session fixture as
tests/core/lm's (skips without the weights, fails under ``CI=true``)."""

from __future__ import annotations

from tests.core.lm.conftest import lm

__all__ = ["lm"]
