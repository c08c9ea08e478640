"""Hosted mode's code-grading queue: Procrastinate on PostgreSQL, `probstats worker` processes.

Needs PostgreSQL (PROBSTATS_TEST_POSTGRES_URL) and bubblewrap; both fail under CI=true
when missing. Each run gets a database of its own.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.queue import conninfo, enqueue, fetch_result, store_result
from grader.sandbox import Limits, Outcome
from tests.grader.sandbox.queue_helpers import (
    kill_the_busy_one,
    live_workers,
    query,
    start_worker,
    stop_workers,
    wait_for,
)

SLOW = "import time\ndef main(seconds):\n    time.sleep(seconds)\n    return {'slept': seconds}\n"
TWICE = "import submission\ndef main(x):\n    return submission.f(x)\n"


def test_queue_needs_a_postgresql_url() -> None:
    with pytest.raises(ValueError, match="url must be a PostgreSQL URL"):
        conninfo("sqlite:///gradebook.db")
    assert conninfo("postgresql+psycopg://me@db/course") == "postgresql://me@db/course"


def test_a_result_is_stored_once_per_key(queue_url: str) -> None:
    first = Outcome("ok", [1.0, float("inf")], "", "", 0.1, "")
    second = Outcome("error", None, "", "", 0.1, "your code raised ValueError")
    assert fetch_result(queue_url, "k") is None
    assert store_result(conninfo(queue_url), "k", first) is True
    assert store_result(conninfo(queue_url), "k", second) is False
    stored = fetch_result(queue_url, "k")
    assert stored is not None and (stored.status, stored.result) == ("ok", [1.0, float("inf")])


def test_two_workers_share_jobs_and_a_killed_one_is_retried_elsewhere(
    queue_url: str, tmp_path: Path
) -> None:
    logs = [tmp_path / "worker0.log", tmp_path / "worker1.log"]
    workers = [start_worker(queue_url, log) for log in logs]

    def both_up() -> bool:
        if any(worker.poll() is not None for worker in workers):
            raise AssertionError("a worker stopped: " + " | ".join(log.read_text() for log in logs))
        return live_workers(queue_url) == 2

    try:
        wait_for(both_up, "two workers to send heartbeats")
        quick = [enqueue(queue_url, f"quick{n}", harness=TWICE, payload=n,
                         files={"submission.py": "def f(x):\n    return 2 * x\n"})
                 for n in range(6)]
        wait_for(lambda: all(fetch_result(queue_url, f"quick{n}") for n in range(6)), "quick jobs")
        assert [fetch_result(queue_url, f"quick{n}").result for n in range(6)] == [0, 2, 4, 6, 8, 10]
        assert len(quick) == 6

        job = enqueue(queue_url, "slow", harness=SLOW, files={}, payload=6,
                      limits=Limits(cpu_seconds=5, wall_seconds=60))
        wait_for(lambda: query(queue_url, "SELECT status FROM procrastinate_jobs WHERE id = %s",
                                 job)[0][0] == "doing", "the slow job to start")
        idle = kill_the_busy_one(workers)
        wait_for(lambda: fetch_result(queue_url, "slow") is not None, "the retried job's result")
        outcome = fetch_result(queue_url, "slow")
        assert outcome is not None and (outcome.status, outcome.result) == ("ok", {"slept": 6})
        rows = query(queue_url, "SELECT count(*) FROM probstats_code_results WHERE key = 'slow'")
        assert rows == [(1,)]
        status, attempts = query(queue_url, "SELECT status, attempts FROM procrastinate_jobs"
                                             " WHERE id = %s", job)[0]
        assert (status, attempts) == ("succeeded", 2)
        assert idle.poll() is None
    finally:
        stop_workers(workers)


def test_worker_command_needs_the_course_database(monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    from grader.cli import main

    monkeypatch.delenv("PROBSTATS_DB", raising=False)
    assert main(["worker"]) == 1
    assert "probstats worker needs the course's PostgreSQL URL" in capsys.readouterr().err
    assert main(["worker", "--db", "sqlite:///gradebook.db"]) == 1
    assert "url must be a PostgreSQL URL" in capsys.readouterr().err
