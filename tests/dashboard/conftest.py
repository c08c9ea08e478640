"""Dashboard tests never touch a gradebook in the working folder."""

from __future__ import annotations

from pathlib import Path

import pytest


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
