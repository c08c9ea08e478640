"""Dashboard tests never touch a gradebook in the working folder; the pages that run the
language model share tests/core/lm's session fixture ``lm`` (it skips without the
weights, and fails under ``CI=true``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.core.lm.conftest import lm

__all__ = ["db_url", "lm", "private_gradebook"]


@pytest.fixture(autouse=True)
def private_gradebook(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    """Each test gets its own empty SQLite gradebook as $PROBSTATS_DB; returns its URL."""
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    monkeypatch.setenv("PROBSTATS_DB", url)
    return url


@pytest.fixture
def db_url(private_gradebook: str, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The private gradebook, with the course secret set to the test module's ``SECRET``."""
    monkeypatch.setenv("PROBSTATS_COURSE_SECRET", request.module.SECRET)
    return private_gradebook
