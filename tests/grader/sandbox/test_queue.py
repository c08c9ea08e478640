"""Hosted mode's code-grading queue: Procrastinate on PostgreSQL, `probstats worker` processes.

Needs PostgreSQL (PROBSTATS_TEST_POSTGRES_URL) and bubblewrap; both fail under CI=true
when missing. Each run gets a database of its own.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa

from grader.queue import conninfo, enqueue, fetch_result, prepare, store_result
from grader.sandbox import Limits, Outcome
from tests.databases import postgres_url
from tests.grader.sandbox.conftest import process_tree

SLOW = "import time\ndef main(seconds):\n    time.sleep(seconds)\n    return {'slept': seconds}\n"
TWICE = "import submission\ndef main(x):\n    return submission.f(x)\n"


@pytest.fixture
def queue_url(bwrap: str) -> Iterator[str]:
    base = sa.make_url(postgres_url())
    name = f"probstats_queue_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    with psycopg.connect(conninfo(base.render_as_string(hide_password=False)), autocommit=True) as db:
        db.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        db.execute(f"CREATE DATABASE {name}")
    url = base.set(database=name).render_as_string(hide_password=False)
    prepare(url)
    yield url
    with psycopg.connect(conninfo(base.render_as_string(hide_password=False)), autocommit=True) as db:
        db.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _query(url: str, sql: str, *params: object) -> list[tuple]:
    with psycopg.connect(conninfo(url)) as db:
        return db.execute(sql, params).fetchall()


def _wait_for(condition: Callable[[], bool], what: str, seconds: float = 240) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def _start_worker(url: str, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1"}
    with log.open("wb") as sink:
        return subprocess.Popen(
            [sys.executable, "-m", "grader", "worker", "--db", url, "--concurrency", "1",
             "--heartbeat", "0.5"],
            env=env, stdout=subprocess.DEVNULL, stderr=sink,
        )


def _live_workers(url: str) -> int:
    rows = _query(url, "SELECT count(*) FROM procrastinate_workers"
                       " WHERE last_heartbeat > now() - interval '5 seconds'")
    return int(rows[0][0])


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
    workers = [_start_worker(queue_url, log) for log in logs]

    def both_up() -> bool:
        if any(worker.poll() is not None for worker in workers):
            raise AssertionError("a worker stopped: " + " | ".join(log.read_text() for log in logs))
        return _live_workers(queue_url) == 2

    try:
        _wait_for(both_up, "two workers to send heartbeats")
        quick = [enqueue(queue_url, f"quick{n}", harness=TWICE, payload=n,
                         files={"submission.py": "def f(x):\n    return 2 * x\n"})
                 for n in range(6)]
        _wait_for(lambda: all(fetch_result(queue_url, f"quick{n}") for n in range(6)), "quick jobs")
        assert [fetch_result(queue_url, f"quick{n}").result for n in range(6)] == [0, 2, 4, 6, 8, 10]
        assert len(quick) == 6

        job = enqueue(queue_url, "slow", harness=SLOW, files={}, payload=6,
                      limits=Limits(cpu_seconds=5, wall_seconds=60))
        _wait_for(lambda: _query(queue_url, "SELECT status FROM procrastinate_jobs WHERE id = %s",
                                 job)[0][0] == "doing", "the slow job to start")
        # the worker running it has one more process: the student's, sleeping
        busy = max(workers, key=lambda worker: len(process_tree(worker.pid)))
        idle = next(worker for worker in workers if worker is not busy)
        os.kill(busy.pid, signal.SIGKILL)
        busy.wait()
        _wait_for(lambda: fetch_result(queue_url, "slow") is not None, "the retried job's result")
        outcome = fetch_result(queue_url, "slow")
        assert outcome is not None and (outcome.status, outcome.result) == ("ok", {"slept": 6})
        rows = _query(queue_url, "SELECT count(*) FROM probstats_code_results WHERE key = 'slow'")
        assert rows == [(1,)]
        status, attempts = _query(queue_url, "SELECT status, attempts FROM procrastinate_jobs"
                                             " WHERE id = %s", job)[0]
        assert (status, attempts) == ("succeeded", 2)
        assert idle.poll() is None
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.send_signal(signal.SIGINT)
        for worker in workers:
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()


def test_worker_command_needs_the_course_database(monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    from grader.cli import main

    monkeypatch.delenv("PROBSTATS_DB", raising=False)
    assert main(["worker"]) == 1
    assert "probstats worker needs the course's PostgreSQL URL" in capsys.readouterr().err
    assert main(["worker", "--db", "sqlite:///gradebook.db"]) == 1
    assert "url must be a PostgreSQL URL" in capsys.readouterr().err
