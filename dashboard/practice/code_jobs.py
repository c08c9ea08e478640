"""Queued code answers on the Exercises page: "grading…" until a worker has graded them.

In a hosted course whose gradebook is on PostgreSQL with the code queue on (the API's
switch, :func:`grader.code_queue.queue_on`), student code never runs in the dashboard's
process: :func:`submit` grades the other answers at once and queues the code answers
for ``probstats worker`` (:func:`grader.code_queue.grade_or_queue`). The session keeps
the keys of the jobs it watches: its own, and those still pending when the page opens,
so a reload or a second tab finds them (:func:`watch_pending`). :func:`show_jobs` draws
"grading…" for each in a fragment that polls every :data:`POLL_SECONDS`; a graded job
is handed to the page (shown as the local path shows a result) and the page reruns; a
failed job says so; a job still waiting after :data:`STALE_AFTER` seconds stops the
polling with a message, so the page never says "grading…" for ever.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import streamlit as st

from dashboard.practice import gradebook
from grader import Gradebook, GradedSubmission, Registry, Submission
from grader.code_queue import grade_or_queue, job_status, pending_jobs, prepare_jobs, queue_on
from grader.course import Course
from grader.responses import graded_from_dict

__all__ = ["POLL_SECONDS", "STALE_AFTER", "WATCHED", "enabled", "show_jobs", "submit", "watch_pending"]

#: Seconds between two looks at the queue while a job is grading.
POLL_SECONDS = 1.0
#: Seconds after which a job still waiting stops the polling (the workers may be down).
STALE_AFTER = 600.0
#: Session key: the job keys the page watches, by student id.
WATCHED = "exercises_code_jobs"


def enabled(course: Course, book: Gradebook) -> bool:
    """True when code answers go to the queue: a hosted course on PostgreSQL, queue not off."""
    return course.hosted and queue_on(book)


@st.cache_resource(max_entries=8, show_spinner=False)
def _prepared(url: str) -> bool:
    """Create the queue's tables once per server process (``probstats serve`` may not have)."""
    prepare_jobs(gradebook.gradebook(url))
    return True


def _watched(student: str) -> list[str]:
    by_student: dict[str, list[str]] = st.session_state.setdefault(WATCHED, {})
    return by_student.setdefault(student, [])


def submit(submission: Submission, registry: Registry, book: Gradebook, course: Course) -> GradedSubmission | None:
    """Grade the answers that need no sandbox now, queue the code answers and watch their job."""
    _prepared(book.url)
    graded, job = grade_or_queue(submission, registry, gradebook=book, course=course)
    if job is not None:
        _watched(submission.student_id).append(job)
    return graded


def _answered_after(book: Gradebook, student: str, exercise_ids: list[str], when: datetime) -> bool:
    return any(row["created_at"] > when for e in exercise_ids for row in book.attempts(student_id=student, exercise_id=e))


def watch_pending(book: Gradebook, student: str) -> None:
    """Watch the student's jobs still grading, and failed ones not since answered again."""
    _prepared(book.url)
    watched = _watched(student)
    for state in pending_jobs(book, student):
        if state["job"] in watched:
            continue
        submitted = datetime.fromisoformat(state["submitted_at"])
        if state["status"] == "grading" or not _answered_after(book, student, state["exercise_ids"], submitted):
            watched.append(state["job"])


def _waiting(state: dict[str, Any]) -> bool:
    """Still grading, and not for so long that the workers look stopped."""
    age = (datetime.now(UTC) - datetime.fromisoformat(state["submitted_at"])).total_seconds()
    return state["status"] == "grading" and age < STALE_AFTER


def _settle(book: Gradebook, student: str, exercise_id: str,
            on_graded: Callable[[GradedSubmission], None]) -> tuple[list[dict[str, Any]], bool]:
    """The watched jobs of this exercise still to show; graded ones go to ``on_graded``.

    A graded job, and a failed one whose exercise was answered again since, stop being watched.
    """
    watched = _watched(student)
    open_states, settled = [], False
    for key in list(watched):
        state = job_status(book, key, student)
        if state is None:  # not this student's (an instructor switched the student id)
            watched.remove(key)
        elif exercise_id not in state["exercise_ids"]:
            continue
        elif state["status"] == "graded":
            on_graded(graded_from_dict(state["result"]))
            watched.remove(key)
            settled = True
        elif state["status"] == "failed" and _answered_after(
            book, student, state["exercise_ids"], datetime.fromisoformat(state["submitted_at"])
        ):
            watched.remove(key)  # answered again since: the failure is old news
        else:
            open_states.append(state)
    return open_states, settled


def _draw(state: dict[str, Any]) -> None:
    exercise_ids = ", ".join(f"`{e}`" for e in state["exercise_ids"])
    submitted = datetime.fromisoformat(state["submitted_at"]).astimezone(UTC).strftime("%H:%M:%S UTC")
    if state["status"] == "failed":
        st.error(f"{exercise_ids} (submitted {submitted}): {state['error']}.", icon=":material/error:")
    elif _waiting(state):
        st.info(f"{exercise_ids}: grading… Your code, submitted {submitted}, runs in a sandbox on the "
                "course's grading workers; the result shows here by itself.", icon=":material/hourglass_top:")
    else:
        minutes = STALE_AFTER / 60
        st.warning(f"{exercise_ids} (submitted {submitted}): no grading worker has taken your code in "
                   f"{minutes:g} minutes, so this page stopped waiting. Your answer is kept and is graded "
                   "when a worker runs: reload the page later, and tell your instructor the course's "
                   "grading workers may be stopped.", icon=":material/hourglass_disabled:")


def show_jobs(book: Gradebook, student: str, exercise_id: str,
              on_graded: Callable[[GradedSubmission], None]) -> None:
    """Each watched job of this exercise: "grading…" (polled), its failure, or its result handed to ``on_graded``."""
    states, _ = _settle(book, student, exercise_id, on_graded)
    if not states:
        return
    polling = any(_waiting(s) for s in states)

    def jobs() -> None:
        now_states, settled = _settle(book, student, exercise_id, on_graded)
        if settled or any(_waiting(s) for s in now_states) != polling:
            st.rerun()  # the whole page: the result, the attempts, and no more polling
        st.subheader("Being graded")
        for state in now_states:
            _draw(state)

    # Polls only while a job waits: a graded, failed or stale job ends the timer.
    st.fragment(jobs, run_every=POLL_SECONDS if polling else None)()
