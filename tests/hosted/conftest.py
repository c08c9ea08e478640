"""A hosted course's gradebook on SQLite and on PostgreSQL, with two students and an instructor."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from grader import Gradebook
from tests.databases import gradebook_url
from tests.hosted.course import enrol


@pytest.fixture(params=["sqlite", "postgresql"])
def book(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Gradebook]:
    gradebook = Gradebook(gradebook_url(request.param, tmp_path, "hosted"))
    yield gradebook
    gradebook.close()


@pytest.fixture
def tokens(book: Gradebook) -> dict[str, str]:
    """Each member's login token by id: students s1, s2 and instructor t1."""
    return enrol(book)
