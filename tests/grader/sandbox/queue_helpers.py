"""Helpers of the queue tests: one PostgreSQL database per run, `probstats worker` processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import psycopg
import sqlalchemy as sa

from grader.queue import conninfo, prepare
from tests.databases import postgres_url

__all__ = [
    "fresh_queue_database",
    "kill_the_busy_one",
    "live_workers",
    "query",
    "slow_first_call",
    "start_worker",
    "stop_workers",
    "wait_for",
]


def fresh_queue_database(tag: str) -> Iterator[str]:
    """A new, empty database ``probstats_<tag>_<xdist worker>`` with the queue's tables; dropped after."""
    base = sa.make_url(postgres_url())
    name = f"probstats_{tag}_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    admin = conninfo(base.render_as_string(hide_password=False))
    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        db.execute(f"CREATE DATABASE {name}")
    url = base.set(database=name).render_as_string(hide_password=False)
    prepare(url)
    yield url
    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def slow_first_call(source: str, header: str) -> str:
    """``source`` whose function ``header`` (``"def f(x):"``) spins for a while on its first call.

    Still correct; slow enough to see "grading…" on a page, or to kill its worker mid-job.
    """
    assert f"{header}\n" in source, f"no {header!r} line in the source"
    spin = "    if _first:\n        _first.clear()\n        n = 0\n        for i in range(20_000_000):\n            n += i\n"
    return source.replace(f"{header}\n", f"_first = [True]\n\n{header}\n{spin}")


def query(url: str, sql: str, *params: object) -> list[tuple]:
    with psycopg.connect(conninfo(url)) as db:
        return db.execute(sql, params).fetchall()


def wait_for(condition: Callable[[], bool], what: str, seconds: float = 240) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def start_worker(url: str, log: Path, env: Mapping[str, str] | None = None) -> subprocess.Popen[bytes]:
    """``probstats worker`` on ``url``: one job at a time, heartbeats every 0.5 s."""
    environment = {**os.environ, "OPENBLAS_NUM_THREADS": "1", **(env or {})}
    with log.open("wb") as sink:
        return subprocess.Popen(
            [sys.executable, "-m", "grader", "worker", "--db", url, "--concurrency", "1",
             "--heartbeat", "0.5"],
            env=environment, stdout=subprocess.DEVNULL, stderr=sink,
        )


def live_workers(url: str) -> int:
    rows = query(url, "SELECT count(*) FROM procrastinate_workers"
                      " WHERE last_heartbeat > now() - interval '5 seconds'")
    return int(rows[0][0])


def stop_workers(workers: list[subprocess.Popen[bytes]]) -> None:
    """Stop the workers still running: SIGINT (a clean stop), SIGKILL after 30 s."""
    for worker in workers:
        if worker.poll() is None:
            worker.send_signal(signal.SIGINT)
    for worker in workers:
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def kill_the_busy_one(workers: list[subprocess.Popen[bytes]]) -> subprocess.Popen[bytes]:
    """SIGKILL the worker running a job (it has one more process: the student's); return the idle one."""
    from tests.grader.sandbox.conftest import process_tree

    # The job's row says "doing" a moment before the student's process exists: wait
    # (bounded) until one worker's tree is the larger, or the idle one may be killed.
    deadline = time.monotonic() + 10
    while True:
        sizes = [len(process_tree(worker.pid)) for worker in workers]
        if max(sizes) > min(sizes) or time.monotonic() > deadline:
            break
        time.sleep(0.01)
    busy = workers[sizes.index(max(sizes))]
    os.kill(busy.pid, signal.SIGKILL)
    busy.wait()
    return next(worker for worker in workers if worker is not busy)
