"""AppTest tests of the hosted Exercises page on PostgreSQL: code answers go through the queue.

The page queues the student's code, says "grading…" (a reload and a second session
too), and once a real `probstats worker` on loopback has graded it shows the checks'
results beside the numbered code, as the local page does; numeric answers are graded at
once; a job that raises on the worker ends in a message saying so, and a job nobody
takes stops the waiting with one. Needs PostgreSQL and bubblewrap (both fail under
CI=true when missing).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.common.access import TOKEN_KEY
from dashboard.practice import code_jobs
from grader import Gradebook, parse_submission
from grader.code_queue import JOBS, grade_or_queue, job_status, pending_jobs, prepare_jobs
from grader.course import COURSE_ENV, current_course
from grader.variants import SECRET_ENV
from tests.dashboard.helpers import page_test, type_code
from tests.exercises.code_solutions import CORRECT
from tests.grader.sandbox.queue_helpers import (
    fresh_queue_database,
    kill_the_busy_one,
    live_workers,
    query,
    slow_first_call,
    start_worker,
    stop_workers,
    wait_for,
)
from tests.hosted.course import Q3, SECRET, enrol, right_answers
from tests.sandbox import need_sandbox

KL = "code.kl_divergence"
SLOW_KL = slow_first_call(CORRECT[KL], "def kl_divergence(p, q):")
_DATABASES = itertools.count()
PAGE = "student_exercises.py"


def hosted_course(monkeypatch: pytest.MonkeyPatch, tag: str = "queueweb_page") -> Iterator[tuple[str, Gradebook, dict[str, str]]]:
    """A hosted course on a PostgreSQL database of its own: its URL, gradebook and tokens.

    Each test's database has a name of its own: the page caches a gradebook (and that
    its queue tables exist) per URL for the life of the process.
    """
    need_sandbox()
    databases = fresh_queue_database(f"{tag}{next(_DATABASES)}")
    url = next(databases)
    monkeypatch.setenv("PROBSTATS_DB", url)
    monkeypatch.setenv("PROBSTATS_MODE", "hosted")
    monkeypatch.setenv(SECRET_ENV, SECRET)
    book = Gradebook(url)
    yield url, book, enrol(book)
    book.close()
    next(databases, None)  # drops the database

@pytest.fixture
def course(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, Gradebook, dict[str, str]]]:
    yield from hosted_course(monkeypatch, "queueweb_page")


def exercise_page(token: str, exercise_id: str = KL) -> AppTest:
    """The Exercises page on ``exercise_id``, logged in with ``token`` (a fresh session)."""
    at = page_test(PAGE)
    at.query_params["exercise"] = exercise_id
    at.session_state[TOKEN_KEY] = token
    return at.run()


def submit_code(at: AppTest, exercise_id: str, code: str) -> AppTest:
    return type_code(at, f"answer:{exercise_id}", code).button[0].click().run()


def shown(at: AppTest) -> str:
    return " ".join(e.value for e in [*at.info, *at.warning, *at.error, *at.subheader])


def scores(at: AppTest) -> list[str]:
    return [m.value for m in at.metric if m.label == "Score"]


def only_job(book: Gradebook, student: str) -> str:
    (state,) = pending_jobs(book, student)
    return str(state["job"])


def test_code_is_queued_shown_grading_in_every_session_then_graded_by_a_worker(
    course: tuple[str, Gradebook, dict[str, str]], tmp_path: Path
) -> None:
    url, book, tokens = course
    at = submit_code(exercise_page(tokens["s1"]), KL, CORRECT[KL])
    assert not at.exception, at.exception
    # Nothing ran in this process: the answer waits in the queue, nothing is stored yet.
    assert "grading…" in shown(at) and f"`{KL}`" in shown(at)
    assert scores(at) == [] and not at.code
    assert book.attempts(student_id="s1") == []
    job = only_job(book, "s1")
    # A reload (a new session) finds the pending job and says "grading…" too.
    second = exercise_page(tokens["s1"])
    assert "grading…" in shown(second)
    # Another exercise's page, or another student's, shows nothing of it.
    assert "grading…" not in shown(exercise_page(tokens["s1"], "code.entropy"))
    assert "grading…" not in shown(exercise_page(tokens["s2"]))

    worker = start_worker(url, tmp_path / "worker.log", {SECRET_ENV: SECRET})
    try:
        wait_for(lambda: _status(book, job) != "grading", "the worker to grade the job")
        assert _status(book, job) == "graded", (tmp_path / "worker.log").read_text()
        for session in (at.run(), second.run()):
            assert not session.exception
            assert "grading…" not in shown(session)
            assert scores(session) == ["100%"]
            (code,) = session.code
            assert code.value.splitlines() == CORRECT[KL].splitlines() and code.proto.show_line_numbers
            (checks,) = [d.value for d in session.dataframe if "verdict" in d.value.columns]
            assert set(checks["verdict"]) == {"correct"} and "q = 0 < p" in set(checks["part"])
        (row,) = book.attempts(student_id="s1")
        assert (row["exercise_id"], row["score"], row["source"]) == (KL, 1.0, "web")
        assert pending_jobs(book, "s1") == []
        # A numeric answer is graded at once, in queued mode as before.
        numeric = exercise_page(tokens["s2"], Q3)
        numeric.text_input(key=f"answer:{Q3}").set_value(str(right_answers(_registry(), "s2", [Q3])[Q3]))
        numeric = numeric.button[0].click().run()
        assert scores(numeric) == ["100%"] and "grading…" not in shown(numeric)
        assert pending_jobs(book, "s2") == []
    finally:
        stop_workers([worker])


def test_a_job_nobody_takes_stops_the_waiting_with_a_message(
    course: tuple[str, Gradebook, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, book, tokens = course
    submit_code(exercise_page(tokens["s1"]), KL, CORRECT[KL])
    monkeypatch.setattr(code_jobs, "STALE_AFTER", 0.0)
    at = exercise_page(tokens["s1"])
    assert "grading…" not in shown(at)
    assert "no grading worker has taken your code" in shown(at)
    assert [s["status"] for s in pending_jobs(book, "s1")] == ["grading"]  # still queued


def test_a_job_that_raises_on_the_worker_ends_in_a_clear_message(
    course: tuple[str, Gradebook, dict[str, str]], tmp_path: Path
) -> None:
    url, book, tokens = course
    at = submit_code(exercise_page(tokens["s1"]), KL, CORRECT[KL])
    job = only_job(book, "s1")
    # A worker with a weak course secret refuses to grade: its job raises and fails.
    worker = start_worker(url, tmp_path / "worker.log", {SECRET_ENV: "weak"})
    try:
        wait_for(lambda: _status(book, job) != "grading", "the job to fail")
    finally:
        stop_workers([worker])
    assert _status(book, job) == "failed"
    sessions = [at.run(), exercise_page(tokens["s1"])]
    for session in sessions:
        assert "grading…" not in shown(session)
        assert any("grading failed on the course's worker" in e.value for e in session.error)
        assert scores(session) == []
    # Answered again and graded by a sound worker: the old failure is no longer shown.
    submit_code(sessions[0], KL, CORRECT[KL])
    worker = start_worker(url, tmp_path / "sound.log", {SECRET_ENV: SECRET})
    try:
        wait_for(lambda: [s["status"] for s in pending_jobs(book, "s1")] == ["failed"], "the new job's grading")
    finally:
        stop_workers([worker])
    for session in [*(s.run() for s in sessions), exercise_page(tokens["s1"])]:
        assert not session.error, [e.value for e in session.error]
        assert "grading…" not in shown(session)
    assert scores(sessions[0]) == ["100%"]


def test_the_course_rules_hold_for_queued_answers(
    course: tuple[str, Gradebook, dict[str, str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, book, tokens = course
    rules = tmp_path / "course.toml"
    rules.write_text("[defaults]\nattempts = 1\n", encoding="utf-8")
    monkeypatch.setenv(COURSE_ENV, str(rules))
    at = exercise_page(tokens["s1"])
    # Two submissions while none is graded: both are queued; the worker refuses the second.
    submit_code(at, KL, CORRECT[KL])
    at = submit_code(at, KL, CORRECT[KL])
    assert [s["status"] for s in pending_jobs(book, "s1")] == ["grading", "grading"]
    worker = start_worker(url, tmp_path / "worker.log", {SECRET_ENV: SECRET})
    try:
        wait_for(lambda: pending_jobs(book, "s1") == [], "the worker to grade both jobs")
    finally:
        stop_workers([worker])
    at.run()
    limit = "refused: the attempt limit of 1 is reached"
    assert any(limit in e.value for e in at.error), [e.value for e in at.error]
    (row,) = book.attempts(student_id="s1")
    assert row["score"] == 1.0
    # Past the limit now: refused at once, nothing queued.
    at = submit_code(at, KL, CORRECT[KL])
    assert "grading…" not in shown(at) and any(limit in e.value for e in at.error)
    assert pending_jobs(book, "s1") == []
    assert query(url, "SELECT count(*) FROM probstats_code_jobs") == [(2,)]


def test_a_job_whose_worker_is_killed_is_graded_by_the_other_and_shown_once(
    course: tuple[str, Gradebook, dict[str, str]], tmp_path: Path
) -> None:
    url, book, tokens = course
    logs = [tmp_path / "worker0.log", tmp_path / "worker1.log"]
    workers = [start_worker(url, log, {SECRET_ENV: SECRET}) for log in logs]
    try:
        wait_for(lambda: live_workers(url) == 2, "two workers to send heartbeats")
        at = submit_code(exercise_page(tokens["s1"]), KL, SLOW_KL)
        job = only_job(book, "s1")
        with book.engine.connect() as conn:
            job_id = conn.scalar(JOBS.select().with_only_columns(JOBS.c.job_id).where(JOBS.c.key == job))
        wait_for(lambda: query(url, "SELECT status FROM procrastinate_jobs WHERE id = %s", job_id)[0][0] == "doing",
                 "the slow job to start")
        kill_the_busy_one(workers)
        assert "grading…" in shown(at.run())  # put back in the queue, not failed
        wait_for(lambda: _status(book, job) != "grading", "the retried job")
    finally:
        stop_workers(workers)
    at.run()
    assert scores(at) == ["100%"] and "grading…" not in shown(at)
    assert query(url, "SELECT status, attempts FROM procrastinate_jobs WHERE id = %s", job_id) == [("succeeded", 2)]
    assert len(book.attempts(student_id="s1")) == 1


def test_grade_or_queue_keeps_the_good_parts_and_queues_only_the_code(
    course: tuple[str, Gradebook, dict[str, str]],
) -> None:
    _, book, _ = course
    prepare_jobs(book)  # the page and the API do it once per process
    registry = _registry()
    answers = {**right_answers(registry, "s1", [Q3]), KL: {"code": CORRECT[KL]},
               "code.entropy": {"code": ""}, "no.such_exercise": "1"}
    submission = parse_submission({"student_id": "s1", "answers": answers}, source="web")
    graded, job = grade_or_queue(submission, registry, gradebook=book, course=current_course())
    assert graded is not None and job is not None
    assert [(f.exercise_id, f.score) for f in graded.feedback] == [(Q3, 1.0)]
    assert {e.exercise_id for e in graded.errors} == {"no.such_exercise"}
    assert "code.entropy" in graded.skipped  # blank: graded at once as skipped, never queued
    (state,) = pending_jobs(book, "s1")
    assert (state["job"], state["exercise_ids"], state["status"]) == (job, [KL], "grading")
    assert [r["exercise_id"] for r in book.attempts(student_id="s1")] == [Q3]


def _status(book: Gradebook, job: str) -> Any:
    state = job_status(book, job, "s1") or job_status(book, job, "s2")
    return None if state is None else state["status"]


def _registry() -> Any:
    from grader import load_exercises

    return load_exercises()
