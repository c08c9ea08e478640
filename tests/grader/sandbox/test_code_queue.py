"""Hosted mode on PostgreSQL: code answers go through the queue to `probstats worker` processes.

The API stores the other answers at once and answers 202 with the code answers
"grading"; two worker processes on loopback grade them in their sandboxes and store
them in the gradebook; one killed mid-job, its job is retried and stored once; the
remote CLI waits for the result, for a bounded time. Needs PostgreSQL and bubblewrap
(both fail under CI=true when missing).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient

from grader import Gradebook, build_registry
from grader.api import create_app
from grader.cli import main
from grader.code_queue import JOBS
from grader.gradebook import submissions
from grader.remote import wait_for_grading
from grader.variants import SECRET_ENV
from tests.exercises.code_solutions import CORRECT
from tests.grader.sandbox.queue_helpers import (
    kill_the_busy_one,
    live_workers,
    query,
    slow_first_call,
    start_worker,
    stop_workers,
    wait_for,
)
from tests.hosted.course import Q3, SECRET, code_toml, enrol, right_answers
from tests.hosted.server import serving

REGISTRY = build_registry()
ENDLESS = "def entropy(p, base):\n    while True:\n        pass\n"
JSON = {"Content-Type": "application/json"}
SLOW_ENTROPY = slow_first_call(CORRECT["code.entropy"], "def entropy(p, base):")


@pytest.fixture
def course(queue_url: str) -> Iterator[tuple[Gradebook, dict[str, str], FastAPI]]:
    book = Gradebook(queue_url)
    tokens = enrol(book)
    yield book, tokens, create_app(book, REGISTRY, secret=SECRET, code_queue=True)
    book.close()


def _auth(token: str, **headers: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", **headers}


def _rows(book: Gradebook, student: str, exercise_id: str) -> int:
    s = submissions.c
    with book.engine.connect() as conn:
        count = conn.scalar(sa.select(sa.func.count()).select_from(submissions)
                            .where(s.student_id == student, s.exercise_id == exercise_id))
    return int(count or 0)


def _job_id(book: Gradebook, key: str) -> int:
    with book.engine.connect() as conn:
        return int(conn.scalar(sa.select(JOBS.c.job_id).where(JOBS.c.key == key)))


def _state(client: TestClient, token: str, job: str) -> dict[str, Any]:
    response = client.get(f"/api/v1/submissions/{job}", headers=_auth(token))
    assert response.status_code == 200, response.text
    state: dict[str, Any] = response.json()
    return state


def test_code_answers_are_graded_by_workers_and_a_killed_worker_s_job_is_stored_once(
    course: tuple[Gradebook, dict[str, str], FastAPI], queue_url: str, tmp_path: Path
) -> None:
    book, tokens, app = course
    body = json.dumps({"answers": {**right_answers(REGISTRY, "s1", [Q3]),
                                   "code.entropy": {"code": CORRECT["code.entropy"]},
                                   "code.log_softmax": {"code": CORRECT["code.log_softmax"]}}})
    with TestClient(app) as client:
        # No worker yet: the other answer is stored at once, the code answers wait.
        posted = client.post("/api/v1/submissions", content=body, headers=_auth(tokens["s1"], **JSON, **{"Idempotency-Key": "k1"}))
        assert posted.status_code == 202, posted.text
        first = posted.json()
        assert [f["exercise_id"] for f in first["feedback"]] == [Q3]
        assert first["grading"] == [{"exercise_id": "code.entropy", "status": "grading"},
                                    {"exercise_id": "code.log_softmax", "status": "grading"}]
        job = first["job"]
        replay = client.post("/api/v1/submissions", content=body, headers=_auth(tokens["s1"], **JSON, **{"Idempotency-Key": "k1"}))
        assert (replay.status_code, replay.json()["job"]) == (200, job)
        assert replay.headers["Idempotent-Replayed"] == "true"
        assert query(queue_url, "SELECT count(*) FROM procrastinate_jobs") == [(1,)]
        own = client.get("/api/v1/submissions", headers=_auth(tokens["s1"])).json()
        assert [s["exercise_id"] for s in own["submissions"]] == [Q3]
        assert [(g["job"], g["status"]) for g in own["grading"]] == [(job, "grading")]
        assert _state(client, tokens["s1"], job)["status"] == "grading"
        assert client.get(f"/api/v1/submissions/{job}", headers=_auth(tokens["s2"])).status_code == 404

        logs = [tmp_path / "worker0.log", tmp_path / "worker1.log"]
        workers = [start_worker(queue_url, log, {SECRET_ENV: SECRET}) for log in logs]
        try:
            _grade_kill_and_submit(client, book, tokens, app, queue_url, workers, logs, job, tmp_path)
        finally:
            stop_workers(workers)


def _grade_kill_and_submit(client: TestClient, book: Gradebook, tokens: dict[str, str], app: FastAPI,
                           queue_url: str, workers: list[Any], logs: list[Path], job: str,
                           tmp_path: Path) -> None:
    def both_up() -> bool:
        if any(worker.poll() is not None for worker in workers):
            raise AssertionError("a worker stopped: " + " | ".join(log.read_text() for log in logs))
        return live_workers(queue_url) == 2

    wait_for(both_up, "two workers to send heartbeats")
    wait_for(lambda: _state(client, tokens["s1"], job)["status"] != "grading", "the code answers' grading")
    graded = _state(client, tokens["s1"], job)
    assert graded["status"] == "graded", graded
    feedback = {f["exercise_id"]: f["score"] for f in graded["result"]["feedback"]}
    assert feedback == {"code.entropy": 1.0, "code.log_softmax": 1.0}
    own = client.get("/api/v1/submissions", headers=_auth(tokens["s1"])).json()
    assert sorted(s["exercise_id"] for s in own["submissions"]) == sorted([Q3, "code.entropy", "code.log_softmax"])
    assert own["grading"] == []

    # A worker killed while it grades: the other one runs the job again, stored once.
    slow = client.post("/api/v1/submissions", content=code_toml({"code.entropy": SLOW_ENTROPY}),
                       headers=_auth(tokens["s2"], **{"Content-Type": "application/toml"}))
    assert slow.status_code == 202, slow.text
    slow_job = slow.json()["job"]
    job_id = _job_id(book, slow_job)
    wait_for(lambda: query(queue_url, "SELECT status FROM procrastinate_jobs WHERE id = %s",
                           job_id)[0][0] == "doing", "the slow job to start")
    idle = kill_the_busy_one(workers)
    wait_for(lambda: _state(client, tokens["s2"], slow_job)["status"] != "grading", "the retried job")
    retried = _state(client, tokens["s2"], slow_job)
    assert retried["status"] == "graded", retried
    assert retried["result"]["feedback"][0]["score"] == 1.0
    assert _rows(book, "s2", "code.entropy") == 1
    assert query(queue_url, "SELECT status, attempts FROM procrastinate_jobs WHERE id = %s",
                 job_id) == [("succeeded", 2)]
    assert idle.poll() is None
    # Hostile code gets its verdict from the worker, which goes on grading.
    hostile = client.post("/api/v1/submissions", content=code_toml({"code.entropy": ENDLESS}),
                          headers=_auth(tokens["s2"], **{"Content-Type": "application/toml"}))
    hostile_job = hostile.json()["job"]
    wait_for(lambda: _state(client, tokens["s2"], hostile_job)["status"] != "grading", "the endless loop's verdict")
    (verdict,) = _state(client, tokens["s2"], hostile_job)["result"]["feedback"]
    assert verdict["score"] == 0.0 and verdict["parts"][0]["message"].startswith("your code ran past the ")
    assert idle.poll() is None
    # The remote CLI waits for the queued answers and prints them graded.
    folder = tmp_path / "student"
    folder.mkdir()
    (folder / "kl.toml").write_text(code_toml({"code.kl_divergence": CORRECT["code.kl_divergence"]}))
    with serving(app) as server:
        assert main(["submit", str(folder / "kl.toml"), "--server", server, "--token", tokens["s1"], "--json"]) == 0
    assert _rows(book, "s1", "code.kl_divergence") == 1


def test_submit_gives_up_waiting_after_its_bound_with_a_clear_message(
    course: tuple[Gradebook, dict[str, str], FastAPI], queue_url: str, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    book, tokens, app = course
    path = tmp_path / "kl.toml"
    path.write_text(code_toml({"code.kl_divergence": CORRECT["code.kl_divergence"]}))
    with serving(app) as server:  # no worker runs
        assert main(["submit", str(path), "--server", server, "--token", tokens["s1"], "--wait", "1"]) == 1
        err = capsys.readouterr().err
        assert "code.kl_divergence still being graded after 1 s" in err
        assert "the answers are stored" in err and "/api/v1/submissions/" in err
        assert _rows(book, "s1", "code.kl_divergence") == 0
        # A job its worker failed (say, a worker without the course secret) is reported so.
        with book.engine.connect() as conn:
            key, job_id = conn.execute(sa.select(JOBS.c.key, JOBS.c.job_id)).one()
        query(queue_url, "UPDATE procrastinate_jobs SET status = 'failed' WHERE id = %s RETURNING id", job_id)
        sent = {"job": key, "grading": [{"exercise_id": "code.kl_divergence", "status": "grading"}]}
        result = wait_for_grading(server, tokens["s1"], sent, wait=30)
    assert result["grading"] == [{"exercise_id": "code.kl_divergence", "status": "failed"}]
    assert "grading code.kl_divergence failed on the course's worker" in result["grading_message"]


def test_queued_mode_needs_postgresql(tmp_path: Path) -> None:
    book = Gradebook(f"sqlite:///{tmp_path / 'gradebook.db'}")
    try:
        with pytest.raises(ValueError, match="code_queue needs the gradebook on PostgreSQL"):
            create_app(book, REGISTRY, secret=SECRET, code_queue=True)
    finally:
        book.close()


def test_waiting_checks_its_bounds_and_returns_a_result_with_nothing_queued() -> None:
    with pytest.raises(ValueError, match="`wait` must be >= 0 and `poll` > 0 seconds"):
        wait_for_grading("http://127.0.0.1:9", "token", {}, wait=-1)
    graded = {"feedback": [], "grading": []}
    assert wait_for_grading("http://127.0.0.1:9", "token", graded) == graded  # no request made
