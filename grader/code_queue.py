"""A hosted course's code answers through the queue: stored now, graded by ``probstats worker``.

In hosted mode on PostgreSQL (:func:`queue_on`) neither the API nor the Exercises page
runs student code in its own process pool; the page submits with :func:`grade_or_queue`.
:func:`split_code` takes a submission's code answers out; the rest is graded and stored
at once as usual, and :func:`queue_code` records a *job* (table
``probstats_code_jobs``) and queues it (:func:`grader.queue.enqueue_answers`). A worker
runs :func:`grade_job`: it grades the code answers in its sandbox pool with
:func:`grader.submissions.grade_submission` and stores them in the gradebook under the
idempotency key ``code-job:<job>``, so a job run twice (its first worker killed after
storing) is stored once. :func:`job_status` and :func:`pending_jobs` tell the API's
``GET`` routes whether a job is still grading, graded (with the stored result) or failed.

The workers grade with the course's own secret and rules: they need the same
``PROBSTATS_COURSE_SECRET`` (and course file) as ``probstats serve``.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as postgresql_insert

from grader.course import Course
from grader.gradebook import Gradebook, KeyReused
from grader.plugins import Registry, UnknownExercise
from grader.records import GradedSubmission, IdempotencyKey, Submission

__all__ = [
    "CODE_QUEUE_ENV",
    "JOBS",
    "grade_job",
    "grade_or_queue",
    "job_key",
    "job_status",
    "pending_jobs",
    "prepare_jobs",
    "queue_code",
    "queue_on",
    "split_code",
    "with_grading",
]

#: ``off`` keeps code grading in the server's own sandbox pool even on PostgreSQL.
CODE_QUEUE_ENV = "PROBSTATS_CODE_QUEUE"

_metadata = sa.MetaData()
#: One row per queued submission of code answers; the result is in the gradebook.
JOBS = sa.Table(
    "probstats_code_jobs",
    _metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("student_id", sa.String(64), nullable=False, index=True),
    sa.Column("exercise_ids", sa.Text, nullable=False),  # a JSON list
    sa.Column("request_hash", sa.String(64), nullable=False),
    sa.Column("job_id", sa.BigInteger, nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)
_PREFIX = "code-job:"


def prepare_jobs(gradebook: Gradebook) -> None:
    """Create the queue's tables (Procrastinate's, the results and the jobs) in the course database."""
    from grader.queue import PREPARE_LOCK, prepare  # Procrastinate is needed in queued mode alone

    prepare(gradebook.url)
    with gradebook.engine.begin() as conn:  # several server processes may start at once
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:lock)"), {"lock": PREPARE_LOCK})
        _metadata.create_all(conn)


def queue_on(gradebook: Gradebook) -> bool:
    """Whether code answers go through the queue: the gradebook is on PostgreSQL and
    ``PROBSTATS_CODE_QUEUE`` is not ``off`` (the one switch of the API and the web page)."""
    off = os.environ.get(CODE_QUEUE_ENV, "").strip().lower() == "off"
    return gradebook.engine.dialect.name == "postgresql" and not off


def _is_code(registry: Registry, exercise_id: str) -> bool:
    try:
        return type(registry.get(exercise_id, suggest=False).answer).kind == "code"
    except UnknownExercise:
        return False  # reported by the immediate grading


def split_code(
    submission: Submission, registry: Registry, course: Course, used: Mapping[str, int], now: datetime
) -> tuple[Submission, dict[str, Any]]:
    """The submission without its queued code answers, and those answers.

    A code answer stays in the immediate part when it is blank or refused by the
    course rules now (due date, attempts), so that refusal is answered at once.
    """
    from grader.submissions import _is_blank  # one definition of an untouched placeholder

    queued = {
        exercise_id: raw
        for exercise_id, raw in submission.answers.items()
        if _is_code(registry, exercise_id)
        and not _is_blank(raw)
        and course.rules_for(exercise_id).refusal(now, used.get(exercise_id, 0)) is None
    }
    rest = {k: v for k, v in submission.answers.items() if k not in queued}
    return Submission(submission.student_id, rest, submission.source, submission.errors), queued


def job_key(member_id: str, idempotency_key: str | None) -> str:
    """The job's key: derived from the request's Idempotency-Key (a retry finds its job), else fresh."""
    if idempotency_key is None:
        return uuid.uuid4().hex
    return hashlib.sha256(f"{member_id}\n{idempotency_key}".encode()).hexdigest()[:32]


def queue_code(
    gradebook: Gradebook,
    key: str,
    *,
    student_id: str,
    source: str,
    answers: Mapping[str, Any],
    request_hash: str,
    now: datetime,
) -> bool:
    """Record the job ``key`` and queue it; True when a retried request had done so already.

    Raises
    ------
    KeyReused
        If ``key`` was recorded for a different request body.
    """
    from grader.queue import enqueue_answers

    row = {"key": key, "student_id": student_id, "exercise_ids": json.dumps(sorted(answers)),
           "request_hash": request_hash, "created_at": now}
    with gradebook.engine.begin() as conn:
        inserted = conn.execute(postgresql_insert(JOBS).values(**row).on_conflict_do_nothing()).rowcount
        if not inserted:
            known = conn.execute(sa.select(JOBS.c.request_hash).where(JOBS.c.key == key)).scalar_one()
            if known != request_hash:
                raise KeyReused("the Idempotency-Key was already used for a different request")
            return True
    job_id = enqueue_answers(gradebook.url, key, student_id=student_id, source=source,
                             answers=answers, submitted_at=now.isoformat())
    with gradebook.engine.begin() as conn:
        conn.execute(JOBS.update().where(JOBS.c.key == key).values(job_id=job_id))
    return False


def with_grading(response: Mapping[str, Any] | None, key: str, exercise_ids: list[str], *,
                 student_id: str, source: str) -> dict[str, Any]:
    """The POST's answer: what was graded at once, plus the code answers still grading."""
    base = dict(response) if response is not None else GradedSubmission(student_id, source).to_dict()
    base["job"] = key
    base["grading"] = [{"exercise_id": e, "status": "grading"} for e in sorted(exercise_ids)]
    return base


def grade_or_queue(
    submission: Submission, registry: Registry, *, gradebook: Gradebook, course: Course,
    now: datetime | None = None,
) -> tuple[GradedSubmission | None, str | None]:
    """Grade and store a submission's other answers now, and queue its code answers.

    The web page's submit in queued mode; a code answer the course rules refuse now is
    answered at once (:func:`split_code`), and the worker grades the queued ones with
    the same rules (:func:`grader.submissions.grade_submission`). The queue's tables
    must exist (:func:`prepare_jobs`).

    Returns
    -------
    graded : GradedSubmission or None
        What was graded at once; None when every answer was queued.
    job : str or None
        The queued job's key (for :func:`job_status`); None when nothing was queued.
    """
    from grader.submissions import grade_submission

    now = datetime.now(UTC) if now is None else now
    rest, queued = split_code(submission, registry, course, gradebook.attempt_counts(submission.student_id), now)
    graded = None
    if rest.answers or rest.errors or not queued:
        graded = grade_submission(rest, registry, gradebook=gradebook, course=course, now=now)
    if not queued:
        return graded, None
    key = job_key(submission.student_id, None)
    body = json.dumps(queued, sort_keys=True, default=str).encode()
    queue_code(gradebook, key, student_id=submission.student_id, source=submission.source,
               answers=queued, request_hash=hashlib.sha256(body).hexdigest(), now=now)
    return graded, key


def _result_key(student_id: str, key: str) -> IdempotencyKey:
    return IdempotencyKey(student_id, _PREFIX + key, key)


def _queue_states(gradebook: Gradebook, job_ids: list[int]) -> dict[int, str]:
    if not job_ids:
        return {}
    query = sa.text("SELECT id, status FROM procrastinate_jobs WHERE id = ANY(:ids)")
    with gradebook.engine.connect() as conn:
        return {int(i): str(s) for i, s in conn.execute(query, {"ids": job_ids})}


def _state(gradebook: Gradebook, row: Any, queue_state: str | None) -> dict[str, Any]:
    ids = json.loads(row.exercise_ids)
    shown: dict[str, Any] = {"job": row.key, "exercise_ids": ids, "submitted_at": row.created_at.isoformat()}
    stored = gradebook.stored_response(_result_key(row.student_id, row.key))
    if stored is not None:
        return {**shown, "status": "graded", "result": stored}
    if queue_state in ("failed", "cancelled", "aborted"):
        return {**shown, "status": "failed",
                "error": "grading failed on the course's worker; your answer is kept, ask your instructor"}
    return {**shown, "status": "grading"}


def job_status(gradebook: Gradebook, key: str, member_id: str) -> dict[str, Any] | None:
    """``{"job", "status": "grading" | "graded" | "failed", ...}``; None if not this member's job."""
    with gradebook.engine.connect() as conn:
        row = conn.execute(sa.select(JOBS).where(JOBS.c.key == key, JOBS.c.student_id == member_id)).first()
    if row is None:
        return None
    states = _queue_states(gradebook, [row.job_id] if row.job_id is not None else [])
    return _state(gradebook, row, states.get(row.job_id))


def pending_jobs(gradebook: Gradebook, member_id: str) -> list[dict[str, Any]]:
    """The member's jobs not yet graded (still grading, or failed), oldest first."""
    with gradebook.engine.connect() as conn:
        rows = conn.execute(sa.select(JOBS).where(JOBS.c.student_id == member_id).order_by(JOBS.c.created_at)).all()
    states = _queue_states(gradebook, [r.job_id for r in rows if r.job_id is not None])
    shown = [_state(gradebook, r, states.get(r.job_id)) for r in rows]
    return [s for s in shown if s["status"] != "graded"]


# -- the worker's side --------------------------------------------------------------------

_worker_lock = threading.Lock()
_worker: dict[str, Any] = {}


def _worker_state(url: str) -> tuple[Gradebook, Registry, str]:
    """This worker process's gradebook, exercises and course secret, opened on first use."""
    from grader.hosted import check_hosted_startup
    from grader.plugins import load_exercises
    from grader.variants import course_secret

    with _worker_lock:
        if _worker.get("url") != url:
            registry = load_exercises()
            secret = check_hosted_startup(course_secret(), registry)  # the API's secret and rules
            _worker.update(url=url, book=Gradebook(url), registry=registry, secret=secret)
        return _worker["book"], _worker["registry"], _worker["secret"]


def grade_job(url: str, key: str, *, student_id: str, source: str, answers: Mapping[str, Any],
              submitted_at: str) -> str:
    """Grade a job's code answers in this worker's sandbox and store them once; say what happened."""
    from grader.submissions import grade_submission

    book, registry, secret = _worker_state(url)
    result_key = _result_key(student_id, key)
    try:
        if book.stored_response(result_key) is not None:
            return "already stored"
    except KeyReused:
        return "already stored"
    submission = Submission(student_id, dict(answers), source)
    try:
        graded = grade_submission(submission, registry, gradebook=book, secret=secret,
                                  now=datetime.fromisoformat(submitted_at), idempotency=result_key)
    except sa.exc.IntegrityError:
        return "already stored"  # a retry of this job stored it meanwhile
    return f"stored attempt {graded.attempt_id}"
