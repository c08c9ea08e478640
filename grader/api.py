"""The hosted course's HTTP API (FastAPI), served by ``probstats serve``.

Every route but ``/api/v1/health`` takes ``Authorization: Bearer TOKEN`` (a personal
token from ``probstats roster tokens``), checked by :func:`grader.access.authenticate`
on every request:

- ``GET /api/v1/health``: ``{"status": "ok"}`` once the database answers.
- ``GET /api/v1/sheet[?format=toml|json&exercise=ID...]``: the caller's own sheet,
  template and variants (:func:`grader.sheet.sheet_bundle`).
- ``POST /api/v1/submissions[?source=NAME]``: a TOML (``application/toml``) or JSON
  (``application/json``) body graded by :func:`grader.submissions.grade_submission`,
  the function ``probstats grade`` uses, and stored as the caller (201). With an
  ``Idempotency-Key`` header a retried request is stored once: the retry gets the first
  response (200, ``Idempotent-Replayed: true``); the same key with another body is 422.
- ``GET /api/v1/submissions``: the caller's own stored graded answers, and (queued
  mode) ``grading``: their code answers not yet graded.
- ``GET /api/v1/submissions/{job}``: one queued job of the caller's: ``status`` is
  ``"grading"``, ``"graded"`` (with ``result``, stored as a POST's answer is) or
  ``"failed"``; 404 for an unknown job or another member's.

Code answers (``{"code": "..."}``) are graded in the sandbox. With ``code_queue``
(hosted mode on PostgreSQL, :func:`app_from_env`), they are not graded in the API's
process: the POST grades and stores the other answers at once and answers 202 with
``job`` and ``grading`` (one ``{"exercise_id", "status": "grading"}`` per code
answer); ``probstats worker`` processes grade them (:mod:`grader.code_queue`).
- ``GET /api/v1/gradebook.csv[?long=true]``: instructors only (403 for a student).

Errors are JSON ``{"error": "...", "status": N}``: 401 (no, unknown, revoked or expired
token), 429 (too many failed logins from this client, with ``Retry-After``), 403 (a
student asking for instructor data, or a body naming another student), 413, 415, 422
(what is wrong with the request). :func:`create_app` refuses a weak course secret or a
registry with load errors (:func:`grader.hosted.check_hosted_startup`), so a
misconfigured server never starts.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import Depends, FastAPI, Header, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse
from starlette.concurrency import run_in_threadpool

from grader import code_queue as code_queue_module
from grader.access import (
    AccessDenied,
    Forbidden,
    Member,
    RateLimited,
    authenticate,
    require_instructor,
)
from grader.course import current_course
from grader.files import max_bytes_from_env
from grader.gradebook import Gradebook, KeyReused
from grader.hosted import check_hosted_startup
from grader.ids import check_student_id
from grader.plugins import Registry, UnknownExercise, load_exercises
from grader.records import IdempotencyKey, Submission
from grader.sheet import sheet_bundle
from grader.submissions import (
    SubmissionFileError,
    decode_submission,
    grade_submission,
    parse_submission,
)
from grader.variants import course_secret

__all__ = ["API_PREFIX", "CODE_QUEUE_ENV", "ApiError", "app_from_env", "create_app"]

#: ``off`` keeps code grading in the API's own sandbox pool even on PostgreSQL.
CODE_QUEUE_ENV = code_queue_module.CODE_QUEUE_ENV

API_PREFIX = "/api/v1"
# Printable ASCII, as Stripe and the IETF draft allow; long enough for a UUID and more.
_KEY = re.compile(r"^[\x21-\x7e]{1,128}$")
_FORMATS = {
    "application/toml": "toml",
    "text/toml": "toml",
    "application/x-toml": "toml",
    "application/json": "json",
}
_MAX_SOURCE = 200


class ApiError(Exception):
    """A request refused with ``status`` and a message saying what is wrong."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.headers = headers or {}


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": message, "status": status}, status_code=status, headers=headers)


def create_app(
    gradebook: Gradebook,
    registry: Registry | None = None,
    *,
    secret: str | None = None,
    max_bytes: int | None = None,
    code_queue: bool = False,
) -> FastAPI:
    """The API over ``gradebook``; the caller owns (and closes) the gradebook.

    Parameters
    ----------
    gradebook : Gradebook
        Roster, tokens and submissions.
    registry : Registry, optional
        The exercises; :func:`grader.load_exercises` by default.
    secret : str, optional
        The course secret; :func:`grader.variants.course_secret` by default.
    max_bytes : int, optional
        The largest submission body; ``PROBSTATS_MAX_SUBMISSION_BYTES`` or 1 MB.
    code_queue : bool
        Send code answers to ``probstats worker`` through the queue in the gradebook's
        PostgreSQL (its tables are created here) instead of grading them in this process.

    Raises
    ------
    WeakSecret
        If the secret is the default, short or repetitive.
    ValueError
        If a plugin failed to load (its exercises would be missing).
    """
    exercises = registry if registry is not None else load_exercises()
    course = check_hosted_startup(course_secret() if secret is None else secret, exercises)
    limit = max_bytes_from_env() if max_bytes is None else max_bytes
    if code_queue:
        if gradebook.engine.dialect.name != "postgresql":
            raise ValueError(f"code_queue needs the gradebook on PostgreSQL (the queue lives there); got {gradebook.url!r}")
        code_queue_module.prepare_jobs(gradebook)
    app = FastAPI(title="ProbStats Lab", version="1", docs_url=f"{API_PREFIX}/docs", openapi_url=f"{API_PREFIX}/openapi.json", redoc_url=None)

    @app.exception_handler(ApiError)
    def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return _error(exc.status, str(exc), exc.headers)

    @app.exception_handler(AccessDenied)
    def _denied(_request: Request, exc: AccessDenied) -> JSONResponse:
        if isinstance(exc, RateLimited):
            return _error(exc.status, str(exc), {"Retry-After": str(exc.retry_after)})
        return _error(exc.status, str(exc), {"WWW-Authenticate": "Bearer"})

    @app.exception_handler(Forbidden)
    def _forbidden(_request: Request, exc: Forbidden) -> JSONResponse:
        return _error(exc.status, str(exc))

    @app.exception_handler(RequestValidationError)
    def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]
        return _error(422, "; ".join(problems))

    @app.exception_handler(Exception)
    def _crash(_request: Request, exc: Exception) -> JSONResponse:
        # Say what failed without a traceback; the server's log has it.
        return _error(500, f"internal error: {type(exc).__name__}")

    def caller(request: Request, authorization: Annotated[str | None, Header()] = None) -> Member:
        scheme, _, token = (authorization or "").partition(" ")
        client = request.client.host if request.client else "unknown"
        presented = token.strip() if scheme.lower() == "bearer" else None
        return authenticate(gradebook, presented, client=client)

    # Not an Annotated alias: a local name cannot be resolved from the string annotations.
    as_caller = Depends(caller)

    @app.get(f"{API_PREFIX}/health")
    def health() -> dict[str, str]:
        with gradebook.engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        return {"status": "ok"}

    @app.get(f"{API_PREFIX}/sheet")
    def sheet(
        member: Member = as_caller,
        format: str = "toml",
        exercise: Annotated[list[str] | None, Query()] = None,
    ) -> dict[str, Any]:
        if format not in ("toml", "json"):
            raise ApiError(422, f"`format` must be 'toml' or 'json'; got {format!r}")
        return sheet_bundle(_select(exercises, exercise), member.id, fmt=format, secret=course)

    @app.post(f"{API_PREFIX}/submissions", status_code=201)
    async def post_submission(
        request: Request,
        member: Member = as_caller,
        content_type: Annotated[str | None, Header()] = None,
        idempotency_key: Annotated[str | None, Header()] = None,
        source: str = "api",
    ) -> JSONResponse:
        fmt = _FORMATS.get((content_type or "").split(";", 1)[0].strip().lower())
        if fmt is None:
            raise ApiError(415, f"Content-Type must be application/toml or application/json; got {content_type!r}")
        body = await _read_limited(request, limit)
        key = _idempotency(member, idempotency_key, body)
        # Grading is CPU work and the database calls block: off the event loop.
        grade = _grade_queued if code_queue else _grade_and_store
        status, result = await run_in_threadpool(grade, member, body, fmt, source, key)
        headers = {"Idempotent-Replayed": "true"} if status == 200 else None
        return JSONResponse(result, status_code=status, headers=headers)

    def _parse(member: Member, body: bytes, fmt: str, name: str) -> Submission:
        try:
            decoded = decode_submission(body, fmt, source=name)
            _check_owner(decoded, member)
            return parse_submission(decoded, source=name, student_id=member.id)
        except SubmissionFileError as exc:
            raise ApiError(422, str(exc)) from None

    def _grade_and_store(
        member: Member, body: bytes, fmt: str, source: str, key: IdempotencyKey | None
    ) -> tuple[int, dict[str, Any]]:
        if key is not None:
            replay = _stored(gradebook, key)
            if replay is not None:
                return 200, replay
        submission = _parse(member, body, fmt, f"api:{source[:_MAX_SOURCE]}")
        return _store_now(submission, key)

    def _store_now(submission: Submission, key: IdempotencyKey | None) -> tuple[int, dict[str, Any]]:
        try:
            graded = grade_submission(submission, exercises, gradebook=gradebook, secret=course, idempotency=key)
        except sa.exc.IntegrityError:
            # The same key was stored meanwhile by a concurrent retry: answer as it did.
            replay = _stored(gradebook, key) if key is not None else None
            if replay is None:
                raise
            return 200, replay
        return 201, graded.to_dict()

    def _grade_queued(
        member: Member, body: bytes, fmt: str, source: str, key: IdempotencyKey | None
    ) -> tuple[int, dict[str, Any]]:
        name = f"api:{source[:_MAX_SOURCE]}"
        submission = _parse(member, body, fmt, name)
        now = datetime.now(UTC)
        rules = current_course()
        rest, queued = code_queue_module.split_code(
            submission, exercises, rules, gradebook.attempt_counts(member.id), now
        )
        if not queued:
            return _grade_and_store(member, body, fmt, source, key)
        job = code_queue_module.job_key(member.id, None if key is None else key.key)
        status, response = 202, None
        if rest.answers or rest.errors:
            replay = _stored(gradebook, key) if key is not None else None
            if replay is not None:
                status, response = 200, replay
            else:
                stored, response = _store_now(rest, key)
                status = 202 if stored == 201 else 200
        request_hash = hashlib.sha256(body).hexdigest()
        try:
            replayed = code_queue_module.queue_code(
                gradebook, job, student_id=member.id, source=name, answers=queued,
                request_hash=request_hash, now=now,
            )
        except KeyReused as exc:
            raise ApiError(422, str(exc)) from None
        if replayed:
            status = 200
        return status, code_queue_module.with_grading(
            response, job, list(queued), student_id=member.id, source=name
        )

    @app.get(f"{API_PREFIX}/submissions")
    def own_submissions(member: Member = as_caller) -> dict[str, Any]:
        own: dict[str, Any] = {"student_id": member.id, "submissions": gradebook.attempts(student_id=member.id)}
        if code_queue:
            own["grading"] = code_queue_module.pending_jobs(gradebook, member.id)
        return own

    @app.get(f"{API_PREFIX}/submissions/{{job}}")
    def own_job(job: str, member: Member = as_caller) -> dict[str, Any]:
        state = code_queue_module.job_status(gradebook, job, member.id) if code_queue else None
        if state is None:
            raise ApiError(404, f"no queued submission {job!r} of yours")
        return state

    @app.get(f"{API_PREFIX}/gradebook.csv", response_class=PlainTextResponse)
    def gradebook_csv(member: Member = as_caller, long: bool = False) -> PlainTextResponse:
        require_instructor(member)
        return PlainTextResponse(
            gradebook.csv_text(long=long),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="gradebook{"-long" if long else ""}.csv"'},
        )

    return app


def _check_owner(decoded: Any, member: Member) -> None:
    """Refuse (403) a submission that names a student other than the token's member."""
    named = decoded.get("student_id") if isinstance(decoded, Mapping) else None
    if named is None:
        return
    try:
        same = check_student_id(named) == member.id
    except (TypeError, ValueError):
        return  # parse_submission reports the bad id itself (422)
    if not same:
        raise ApiError(403, f"this submission names student_id {named!r}, but the token is {member.id!r}'s: "
                            "you may submit only as yourself")


def _select(registry: Registry, ids: Sequence[str] | None) -> list[Any]:
    if not ids:
        return list(registry.exercises.values())
    try:
        return [registry.get(i) for i in ids]
    except UnknownExercise as exc:
        raise ApiError(422, str(exc)) from None


async def _read_limited(request: Request, limit: int) -> bytes:
    """The request body, refused with 413 as soon as it passes ``limit`` bytes."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ApiError(413, f"the submission is larger than {limit:,} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _idempotency(member: Member, header: str | None, body: bytes) -> IdempotencyKey | None:
    if header is None:
        return None
    if not _KEY.match(header):
        raise ApiError(422, "the Idempotency-Key header must be 1 to 128 printable ASCII characters without spaces")
    return IdempotencyKey(member.id, header, hashlib.sha256(body).hexdigest())


def _stored(gradebook: Gradebook, key: IdempotencyKey) -> dict[str, Any] | None:
    try:
        return gradebook.stored_response(key)
    except KeyReused as exc:
        raise ApiError(422, str(exc)) from None


def app_from_env() -> FastAPI:
    """The app of one ``probstats serve`` worker: gradebook from ``PROBSTATS_DB``, secret from the environment.

    On PostgreSQL, code answers go through the queue to ``probstats worker`` unless
    ``PROBSTATS_CODE_QUEUE=off``.
    """
    book = Gradebook()
    return create_app(book, code_queue=code_queue_module.queue_on(book))
