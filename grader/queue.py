"""Code-grading jobs for a hosted course: a Procrastinate queue on the course's PostgreSQL.

Locally, code answers run in an in-process :class:`grader.sandbox.Pool`. In hosted mode
the web page or the API calls :func:`enqueue` and shows "grading…" until
:func:`fetch_result` has the outcome; ``probstats worker`` processes, on any number of
machines, take the jobs (the database is the only broker). Each job is a sandbox run
(trusted harness, student files, JSON payload, limits) under a key the caller chooses
(e.g. the submission's idempotency key); its outcome is stored once per key, however
often the job runs. A :data:`ANSWERS_TASK` job grades a submission's code answers
(:func:`grader.code_queue.grade_job`) and stores them in the gradebook, once per key.

A worker killed mid-job leaves the job in ``doing``; every worker sends heartbeats,
and each one also looks for jobs of workers whose heartbeat stopped and puts them back
in the queue, so another worker runs them.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
from collections.abc import Mapping
from typing import Any

import procrastinate
import psycopg

from grader import code_answers
from grader.sandbox import DEFAULT_LIMITS, Limits, Outcome, default_size

__all__ = [
    "ANSWERS_TASK",
    "QUEUE",
    "TASK",
    "conninfo",
    "enqueue",
    "enqueue_answers",
    "fetch_result",
    "grade_code",
    "make_app",
    "prepare",
    "run_worker",
    "store_result",
]

QUEUE = "code"
TASK = "probstats.grade_code"
ANSWERS_TASK = "probstats.grade_code_answers"
RESULTS = "probstats_code_results"
#: The advisory lock that serialises creating the queue's tables.
PREPARE_LOCK = 0x70726F62  # "prob"
_log = logging.getLogger(__name__)

_CREATE_RESULTS = f"""
CREATE TABLE IF NOT EXISTS {RESULTS} (
    key text PRIMARY KEY,
    status text NOT NULL,
    result text,
    message text NOT NULL,
    stdout text NOT NULL,
    stderr text NOT NULL,
    traceback text NOT NULL,
    error_type text NOT NULL,
    seconds double precision NOT NULL,
    cpu_seconds double precision NOT NULL,
    stored_at timestamptz NOT NULL DEFAULT now()
)
"""


def conninfo(url: str) -> str:
    """libpq connection string of an SQLAlchemy PostgreSQL URL (``postgresql+psycopg://…``)."""
    if not isinstance(url, str) or not url.startswith(("postgresql://", "postgresql+psycopg://")):
        raise ValueError(
            f"url must be a PostgreSQL URL (postgresql+psycopg://…): the code-grading queue "
            f"lives in the course's PostgreSQL, got {url!r}"
        )
    return "postgresql://" + url.split("://", 1)[1]


# Worker-side state: the course's URL and connection string.
_worker: dict[str, Any] = {}


def store_result(connection: str, key: str, outcome: Outcome) -> bool:
    """Store ``outcome`` under ``key`` unless one is there already; True when this stored it."""
    row = (key, outcome.status, json.dumps(outcome.result, allow_nan=True), outcome.message,
           outcome.stdout, outcome.stderr, outcome.traceback, outcome.error_type,
           outcome.seconds, outcome.cpu_seconds)
    with psycopg.connect(connection, autocommit=True) as db:
        done = db.execute(
            f"INSERT INTO {RESULTS} (key, status, result, message, stdout, stderr, traceback,"
            " error_type, seconds, cpu_seconds) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
            " ON CONFLICT (key) DO NOTHING",
            row,
        )
        return done.rowcount == 1


def fetch_result(url: str, key: str) -> Outcome | None:
    """The stored outcome of the job ``key``, or None while it is still grading."""
    with psycopg.connect(conninfo(url)) as db:
        row = db.execute(
            f"SELECT status, result, message, stdout, stderr, traceback, error_type, seconds,"
            f" cpu_seconds FROM {RESULTS} WHERE key = %s",
            (key,),
        ).fetchone()
    if row is None:
        return None
    status, result, message, stdout, stderr, traceback, error_type, seconds, cpu = row
    return Outcome(status=status, result=json.loads(result) if result else None, stdout=stdout,
                   stderr=stderr, seconds=seconds, message=message, traceback=traceback,
                   error_type=error_type, cpu_seconds=cpu)


def grade_code(key: str, harness: str, files: dict[str, str], payload: Any,
               limits: dict[str, Any]) -> str:
    """The job: run the submission in this worker's sandbox pool, store the outcome once."""
    # The process's one warm pool, driven from its own long-lived threads (see sandbox_pool).
    pool, threads = code_answers.sandbox_pool()
    outcome = threads.submit(pool.run, harness, files=files, payload=payload,
                             limits=Limits.from_json(limits)).result()
    stored = store_result(_worker["conninfo"], key, outcome)
    return outcome.status if stored else f"{outcome.status} (already stored)"


def grade_code_answers(key: str, student_id: str, source: str, answers: dict[str, Any],
                       submitted_at: str) -> str:
    """The job: grade a submission's code answers and store them in the gradebook once."""
    from grader.code_queue import grade_job  # the grading stack, needed by this job alone

    return grade_job(_worker["url"], key, student_id=student_id, source=source,
                     answers=answers, submitted_at=submitted_at)


def make_app(url: str) -> procrastinate.App:
    """A Procrastinate app on the course's PostgreSQL, with the code-grading tasks."""
    app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=conninfo(url)))
    app.task(name=TASK, queue=QUEUE)(grade_code)
    app.task(name=ANSWERS_TASK, queue=QUEUE)(grade_code_answers)
    return app


def prepare(url: str) -> None:
    """Create Procrastinate's schema (once) and the results table in the course database.

    Under an advisory lock: the processes of one ``probstats serve --workers N`` and the
    workers may all start at once.
    """
    with psycopg.connect(conninfo(url)) as db, db.transaction():
        db.execute("SELECT pg_advisory_xact_lock(%s)", (PREPARE_LOCK,))
        exists = db.execute("SELECT to_regclass('procrastinate_jobs')").fetchone()
        if exists is None or exists[0] is None:
            db.execute(procrastinate.schema.SchemaManager.get_schema())
        db.execute(_CREATE_RESULTS)


def enqueue(url: str, key: str, *, harness: str, files: Mapping[str, str], payload: object,
            limits: Limits = DEFAULT_LIMITS) -> int:
    """Queue one code-grading job under ``key``; return the job's id.

    ``queueing_lock`` keeps one waiting job per key: enqueueing a key again while its job
    waits raises ``procrastinate.exceptions.AlreadyEnqueued``.
    """
    if not isinstance(key, str) or not key:
        raise ValueError(f"key must be a non-empty string, got {key!r}")
    app = make_app(url)
    with app.open():
        job = app.configure_task(TASK, queueing_lock=key)
        arguments: dict[str, Any] = {"key": key, "harness": harness, "files": dict(files),
                                     "payload": payload, "limits": limits.as_json()}
        return job.defer(**arguments)


def enqueue_answers(url: str, key: str, *, student_id: str, source: str,
                    answers: Mapping[str, Any], submitted_at: str) -> int | None:
    """Queue the grading of a submission's code answers under ``key``; return the job's id.

    None when a job with this key is already waiting (a retried request).
    """
    if not isinstance(key, str) or not key:
        raise ValueError(f"key must be a non-empty string, got {key!r}")
    app = make_app(url)
    with app.open():
        job = app.configure_task(ANSWERS_TASK, queueing_lock=key)
        try:
            job_id: int = job.defer(key=key, student_id=student_id, source=source,
                                    answers=dict(answers), submitted_at=submitted_at)
        except procrastinate.exceptions.AlreadyEnqueued:
            return None
        return job_id


async def _retry_stalled(app: procrastinate.App, seconds: float) -> None:
    """Put back in the queue the jobs of workers whose heartbeat stopped."""
    while True:
        for job in await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=seconds,
                                                         queue=QUEUE):
            with contextlib.suppress(Exception):  # another worker may have retried it first
                await app.job_manager.retry_job(job)
                _log.warning("retried job %s of a stalled worker", job.id)
        await asyncio.sleep(seconds / 2)


async def _work(url: str, concurrency: int, heartbeat: float) -> None:
    app = make_app(url)
    async with app.open_async():
        retrier = asyncio.create_task(_retry_stalled(app, heartbeat * 4))
        try:
            await app.run_worker_async(
                queues=[QUEUE], concurrency=concurrency, name="probstats-worker",
                update_heartbeat_interval=heartbeat, stalled_worker_timeout=heartbeat * 4,
            )
        finally:
            retrier.cancel()


def run_worker(url: str, *, concurrency: int | None = None, heartbeat: float = 10.0) -> None:
    """Take code-grading jobs from the queue until interrupted (``probstats worker``).

    Parameters
    ----------
    url : str
        The course's PostgreSQL URL (``postgresql+psycopg://…``).
    concurrency : int, optional
        Jobs at a time, each in its own warm sandbox worker (default: one per core).
    heartbeat : float
        Seconds between heartbeats; a worker silent for four heartbeats is taken for
        dead and its running jobs are queued again.
    """
    size = default_size() if concurrency is None else concurrency
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise ValueError(f"concurrency must be a whole number >= 1, got {concurrency!r}")
    if not heartbeat > 0:
        raise ValueError(f"heartbeat must be a positive number of seconds, got {heartbeat!r}")
    prepare(url)
    _worker.update(url=url, conninfo=conninfo(url))
    os.environ.setdefault(code_answers.WORKERS_ENV, str(size))
    code_answers.sandbox_pool()  # warm before the first job
    asyncio.run(_work(url, size, heartbeat))
