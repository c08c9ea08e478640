"""One warm pool for the sandbox tests (bubblewrap required: they fail under CI=true without it)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from grader.sandbox import Pool, SandboxUnavailable, find_bwrap
from tests.ci import skip_or_fail_in_ci
from tests.grader.sandbox.queue_helpers import fresh_queue_database

#: The harness most tests use: import the student's file, call ``f(payload)``.
CALL_F = "def main(payload):\n    import submission\n    return submission.f(payload)\n"


def pytest_collection_modifyitems(config, items):
    """Keep the sandbox tests on one xdist worker, so one pool serves them all."""
    for item in items:
        if "grader/sandbox/" in item.nodeid.replace("\\", "/"):
            item.add_marker(pytest.mark.xdist_group("sandbox"))


@pytest.fixture(scope="session")
def bwrap() -> str:
    try:
        return find_bwrap()
    except SandboxUnavailable as err:
        skip_or_fail_in_ci(str(err), "CI must run the sandbox tests (.ci/run installs bubblewrap)")
        raise


@pytest.fixture(scope="session")
def pool(bwrap: str) -> Iterator[Pool]:
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    with Pool(size=1) as shared:
        yield shared


def student(source: str) -> dict[str, str]:
    """The files of a submission whose code is ``source``."""
    return {"submission.py": source}


def process_tree(pid: int) -> list[int]:
    """``pid`` and all its live descendants (Linux /proc)."""
    pids = [pid]
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
        for task in tasks:
            for child in (task / "children").read_text().split():
                pids += process_tree(int(child))
    except FileNotFoundError:
        pass  # it ended meanwhile
    return pids


@pytest.fixture
def queue_url(bwrap: str) -> Iterator[str]:
    """A PostgreSQL database of this run's own, with the code-grading queue's tables."""
    yield from fresh_queue_database("queue")
