"""Dashboard tests never touch a gradebook in the working folder."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def private_gradebook(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # The Exercises and Instructor pages open $PROBSTATS_DB; give each test its own.
    monkeypatch.setenv("PROBSTATS_DB", f"sqlite:///{tmp_path / 'gradebook.db'}")
