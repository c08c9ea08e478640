"""The HTTP API on SQLite and PostgreSQL, through FastAPI's TestClient."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from grader import Gradebook, build_registry, grade_submission, parse_submission, variant_for
from grader.access import MAX_FAILURES, issue_token, revoke_token
from grader.api import create_app
from grader.gradebook import KeyReused, attempts, submissions
from grader.records import IdempotencyKey
from grader.secret_strength import WeakSecret
from tests.grader.helpers import ExercisesPlugin, doubling
from tests.hosted.course import Q3, Q6, SECRET, right_answers, to_toml

REGISTRY = build_registry()
TOML = {"Content-Type": "application/toml"}


@pytest.fixture
def client(book: Gradebook) -> Iterator[TestClient]:
    with TestClient(create_app(book, REGISTRY, secret=SECRET)) as test_client:
        yield test_client


def auth(token: str, **headers: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", **headers}


def post(client: TestClient, token: str, body: str, **headers: str) -> Any:
    return client.post("/api/v1/submissions", content=body.encode(), headers=auth(token, **{**TOML, **headers}))


def stored_counts(book: Gradebook) -> tuple[int, int]:
    with book.engine.connect() as conn:
        return (
            int(conn.scalar(sa.select(sa.func.count()).select_from(attempts)) or 0),
            int(conn.scalar(sa.select(sa.func.count()).select_from(submissions)) or 0),
        )


def test_health_needs_no_token(client: TestClient) -> None:
    response = client.get("/api/v1/health")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer nope.nope", "Basic czE6cw==", "bearer x"])
def test_no_or_bad_token_is_401_json(client: TestClient, tokens: dict[str, str], header: str | None) -> None:
    headers = {} if header is None else {"Authorization": header}
    response = client.get("/api/v1/sheet", headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert response.json()["status"] == 401
    assert "login token" in response.json()["error"]


def test_revoked_and_expired_tokens_are_401(client: TestClient, book: Gradebook, tokens: dict[str, str]) -> None:
    revoke_token(book, "s1")
    response = client.get("/api/v1/sheet", headers=auth(tokens["s1"]))
    assert response.status_code == 401
    assert "revoked" in response.json()["error"]
    expired = issue_token(book, "s2", lifetime=timedelta(days=1), now=datetime.now(UTC) - timedelta(days=2))
    response = client.get("/api/v1/sheet", headers=auth(expired))
    assert response.status_code == 401
    assert "expired" in response.json()["error"]


def test_failed_logins_get_429_with_retry_after(client: TestClient, tokens: dict[str, str]) -> None:
    for _ in range(MAX_FAILURES):
        assert client.get("/api/v1/sheet", headers=auth("bad.token")).status_code == 401
    response = client.get("/api/v1/sheet", headers=auth(tokens["s1"]))
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert "too many failed logins" in response.json()["error"]


def test_sheet_is_the_callers_own(client: TestClient, tokens: dict[str, str]) -> None:
    response = client.get("/api/v1/sheet", params={"exercise": [Q3, Q6], "format": "json"}, headers=auth(tokens["s2"]))
    assert response.status_code == 200
    data = response.json()
    assert data["student_id"] == "s2"
    assert list(data["variants"]) == [Q3, Q6]
    for exercise_id, variant in data["variants"].items():
        expected = variant_for("s2", REGISTRY.get(exercise_id), secret=SECRET)
        assert (variant["seed"], variant["params"]) == (expected.seed, expected.params)
    assert json.loads(data["template"])["student_id"] == "s2"
    assert "`s2`" in data["sheet"]


def test_sheet_bad_query_is_422(client: TestClient, tokens: dict[str, str]) -> None:
    response = client.get("/api/v1/sheet", params={"format": "xml"}, headers=auth(tokens["s1"]))
    assert (response.status_code, response.json()["error"]) == (422, "`format` must be 'toml' or 'json'; got 'xml'")
    response = client.get("/api/v1/sheet", params={"exercise": "interview.nope"}, headers=auth(tokens["s1"]))
    assert response.status_code == 422
    assert "interview.nope" in response.json()["error"]


def test_submission_is_graded_like_the_cli_and_stored(client: TestClient, book: Gradebook, tokens: dict[str, str]) -> None:
    answers = {**right_answers(REGISTRY, "s1", [Q3]), Q6: {"alpha": 1, "beta": 1, "mean": 0.5, "map": 0.5, "mle": 0.5}}
    response = post(client, tokens["s1"], to_toml(answers), Idempotency_Key="k1")
    assert response.status_code == 201
    result = response.json()
    local = grade_submission(parse_submission({"student_id": "s1", "answers": answers}, source="x"), REGISTRY, secret=SECRET)
    assert [(f["exercise_id"], f["points"]) for f in result["feedback"]] == [(f.exercise_id, f.points) for f in local.feedback]
    assert result["feedback"][0]["score"] == 1.0
    assert result["source"] == "api:api"
    rows = book.attempts(student_id="s1")
    assert [(r["exercise_id"], r["points"], r["attempt_id"]) for r in rows] == [
        (f["exercise_id"], f["points"], result["attempt_id"]) for f in result["feedback"]
    ]


def test_json_body_and_source_name(client: TestClient, book: Gradebook, tokens: dict[str, str]) -> None:
    body = json.dumps({"answers": right_answers(REGISTRY, "s2", [Q3])})
    response = client.post(
        "/api/v1/submissions", params={"source": "hw1.json"}, content=body,
        headers=auth(tokens["s2"], **{"Content-Type": "application/json; charset=utf-8"}),
    )
    assert response.status_code == 201
    assert response.json()["points"] == response.json()["max_points"] > 0
    assert book.attempts(student_id="s2")[0]["source"] == "api:hw1.json"


def test_submitting_as_someone_else_is_refused(client: TestClient, book: Gradebook, tokens: dict[str, str]) -> None:
    response = post(client, tokens["s1"], to_toml({Q3: "1"}, student="s2"))
    assert response.status_code == 403
    assert response.json()["error"] == (
        "this submission names student_id 's2', but the token is 's1''s: you may submit only as yourself"
    )
    # Naming oneself is fine (a filled-in template does), in any normal form.
    assert post(client, tokens["s1"], to_toml({Q3: "1"}, student="ｓ1")).status_code == 201
    response = post(client, tokens["s1"], to_toml({Q3: "1"}, student="a/b"))
    assert response.status_code == 422
    assert "`student_id` may hold only letters" in response.json()["error"]
    assert stored_counts(book) == (1, 1)


@pytest.mark.parametrize(
    ("body", "headers", "status", "message"),
    [
        ("[answers", TOML, 422, "not valid TOML"),
        ("{}", {"Content-Type": "application/json"}, 422, "missing [answers] table"),
        ("x", {"Content-Type": "text/plain"}, 415, "Content-Type must be application/toml or application/json"),
        ("x", {}, 415, "Content-Type must be"),
        ("[answers]\n", {**TOML, "Idempotency-Key": "has space"}, 422, "Idempotency-Key header must be"),
    ],
)
def test_bad_submissions_say_what_is_wrong(
    client: TestClient, book: Gradebook, tokens: dict[str, str], body: str, headers: dict[str, str], status: int, message: str
) -> None:
    response = client.post("/api/v1/submissions", content=body.encode(), headers=auth(tokens["s1"], **headers))
    assert response.status_code == status
    assert message in response.json()["error"]
    assert stored_counts(book) == (0, 0)


def test_too_large_body_is_413(book: Gradebook, tokens: dict[str, str]) -> None:
    with TestClient(create_app(book, REGISTRY, secret=SECRET, max_bytes=100)) as small:
        response = post(small, tokens["s1"], to_toml({Q3: "1" * 200}))
    assert (response.status_code, response.json()["error"]) == (413, "the submission is larger than 100 bytes")


def test_a_retried_request_is_stored_once(client: TestClient, book: Gradebook, tokens: dict[str, str]) -> None:
    body = to_toml(right_answers(REGISTRY, "s1", [Q3, Q6]))
    first = post(client, tokens["s1"], body, **{"Idempotency-Key": "retry-me"})
    again = post(client, tokens["s1"], body, **{"Idempotency-Key": "retry-me"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert stored_counts(book) == (1, 2)
    # Another body under the same key is refused; another member's same key is theirs.
    other = post(client, tokens["s1"], to_toml({Q3: "1"}), **{"Idempotency-Key": "retry-me"})
    assert other.status_code == 422
    assert "already used for a different request" in other.json()["error"]
    assert post(client, tokens["s2"], to_toml({Q3: "1"}), **{"Idempotency-Key": "retry-me"}).status_code == 201
    # Without a key, each request is a new attempt.
    assert post(client, tokens["s1"], body).status_code == post(client, tokens["s1"], body).status_code == 201
    assert stored_counts(book) == (4, 7)


def test_concurrent_retries_with_one_key_store_one_attempt(client: TestClient, book: Gradebook, tokens: dict[str, str]) -> None:
    body = to_toml(right_answers(REGISTRY, "s1", [Q3]))
    results: list[Any] = []

    def send() -> None:
        results.append(post(client, tokens["s1"], body, **{"Idempotency-Key": "same"}))

    threads = [threading.Thread(target=send) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r.status_code for r in results) == [200] * 5 + [201]
    assert len({r.json()["attempt_id"] for r in results}) == 1
    assert stored_counts(book) == (1, 1)


def test_own_history_only(client: TestClient, tokens: dict[str, str]) -> None:
    post(client, tokens["s1"], to_toml({Q3: "1"}))
    post(client, tokens["s2"], to_toml({Q3: "2"}))
    post(client, tokens["s2"], to_toml({Q3: "3"}))
    history = client.get("/api/v1/submissions", headers=auth(tokens["s2"])).json()
    assert history["student_id"] == "s2"
    assert [(r["student_id"], r["answer"]) for r in history["submissions"]] == [("s2", "2"), ("s2", "3")]


def test_gradebook_csv_is_for_instructors_only(client: TestClient, book: Gradebook, tokens: dict[str, str]) -> None:
    post(client, tokens["s1"], to_toml(right_answers(REGISTRY, "s1", [Q3])))
    response = client.get("/api/v1/gradebook.csv", headers=auth(tokens["s1"]))
    assert response.status_code == 403
    assert response.json() == {"error": "only instructors may do this; 's1' is a student", "status": 403}
    response = client.get("/api/v1/gradebook.csv", headers=auth(tokens["t1"]))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.text == book.csv_text()
    long = client.get("/api/v1/gradebook.csv", params={"long": "true"}, headers=auth(tokens["t1"]))
    assert long.text == book.csv_text(long=True)
    bad = client.get("/api/v1/gradebook.csv", params={"long": "maybe"}, headers=auth(tokens["t1"]))
    assert bad.status_code == 422
    assert bad.json()["error"].startswith("query.long:")


def test_refuses_to_start_with_a_weak_secret_or_load_errors(book: Gradebook) -> None:
    with pytest.raises(WeakSecret, match="weak PROBSTATS_COURSE_SECRET: it is 11 characters long"):
        create_app(book, REGISTRY, secret="course-2026")
    broken = build_registry(builtin=False, extra_plugins=[("twice", ExercisesPlugin(doubling(), doubling()))])
    assert broken.errors
    with pytest.raises(ValueError, match="refusing to serve with plugin load errors"):
        create_app(book, broken, secret=SECRET)


def test_a_stored_key_makes_the_whole_second_record_roll_back(book: Gradebook, tokens: dict[str, str]) -> None:
    key = IdempotencyKey("s1", "k", "hash-of-body")
    submission = parse_submission({"student_id": "s1", "answers": right_answers(REGISTRY, "s1", [Q3, Q6])}, source="x")
    first = grade_submission(submission, REGISTRY, gradebook=book, secret=SECRET, idempotency=key)
    with pytest.raises(sa.exc.IntegrityError):
        grade_submission(submission, REGISTRY, gradebook=book, secret=SECRET, idempotency=key)
    assert stored_counts(book) == (1, 2)  # neither the attempt nor its answers of the second
    assert book.stored_response(key) == {**first.to_dict(), "attempt_id": first.attempt_id}
    with pytest.raises(KeyReused, match="'k' was already used for a different request"):
        book.stored_response(IdempotencyKey("s1", "k", "another"))
    assert book.stored_response(IdempotencyKey("s2", "k", "hash-of-body")) is None
