"""The grader tests' databases, and the plugin corpus kept out of collection.

The plugin corpus holds deliberately broken plugin files: never collect or import them.
``book`` is a fresh gradebook on SQLite and, as a second parameter, on PostgreSQL
(``PROBSTATS_TEST_POSTGRES_URL``, which ``.ci/run`` sets; without it the PostgreSQL half
skips, and fails under CI). The databases themselves come from :mod:`tests.databases`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from grader import Gradebook
from tests.databases import gradebook_url

collect_ignore_glob = ["plugin_corpus/*"]


@pytest.fixture(params=["sqlite", "postgresql"])
def book(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Gradebook]:
    """A fresh gradebook: an SQLite file, or an empty PostgreSQL schema."""
    gradebook = Gradebook(gradebook_url(request.param, tmp_path, "gb"))
    yield gradebook
    gradebook.close()
