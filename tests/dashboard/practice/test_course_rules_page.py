"""The course rules on the dashboard: the Exercises page and a linked page follow course.toml.

A course file in tmp_path is named by ``PROBSTATS_COURSE``; the gradebook is the test's own.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from grader import Gradebook
from tests.dashboard.helpers import page_test
from tests.dashboard.practice.test_exercises_page import Q3, metric, nats_student, open_page, submit
from tests.dashboard.practice.test_reveal import answer, open_gated, store_attempt

SECRET = "exercises-page-test-secret"


@pytest.fixture
def course(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Write a course.toml with the given text and point PROBSTATS_COURSE at it."""
    path = tmp_path / "course.toml"
    monkeypatch.setenv("PROBSTATS_COURSE", str(path))

    def write(text: str) -> Path:
        path.write_text(f'secret = "{SECRET}"\n{text}')
        return path

    return write


def test_a_withheld_score_is_stored_but_not_shown(db_url, course):
    course(f'[exercises."{Q3}"]\nreveal_scores = "never"\nreveal_links = "never"\n')
    student, nll = nats_student()
    at = open_page(student, Q3)
    assert not at.exception
    assert not any("See it move" in m.value for m in at.markdown)
    assert any("dashboard link is not shown in this course" in c.value for c in at.caption)
    at = submit(at, Q3, answer=f"exp({nll})")
    assert not at.exception
    assert not [m for m in at.metric if m.label == "Score"]
    assert any(i.value.startswith("Stored. The score is not shown") for i in at.info)
    book = Gradebook(db_url)
    assert [r["score"] for r in book.attempts(student_id=student)] == [1.0]
    book.close()


def test_past_the_attempt_limit_the_page_says_which_rule_refused(db_url, course):
    course("[defaults]\nattempts = 1\n")
    student, nll = nats_student()
    at = submit(open_page(student, Q3), Q3, answer=f"exp({nll})")
    assert metric(at, "Score") == "100%"
    at = submit(at, Q3, answer=f"exp({nll})")
    assert any("attempt limit of 1 is reached (defaults attempts = 1)" in e.value for e in at.error)


def test_reveal_immediately_shows_a_linked_pages_answer_without_an_attempt(db_url, course):
    course('[defaults]\nreveal_answers = "immediately"\n')
    assert answer(open_gated(exercise=Q3, student="s1")) == "42"
    assert answer(open_gated(exercise=Q3)) == "42"


def test_reveal_after_due_hides_it_even_after_an_attempt(db_url, course):
    course('[topics.interview]\ndue = 2999-01-01T00:00:00Z\nreveal_answers = "after_due"\n')
    store_attempt(db_url, "s1")
    at = open_gated(exercise=Q3, student="s1")
    assert answer(at) == "hidden until you submit"
    assert any("shown after the due date, 2999-01-01T00:00:00+00:00" in i.value for i in at.info)
    course('[topics.interview]\ndue = 2000-01-01T00:00:00Z\nlate = 0.5\nreveal_answers = "after_due"\n')
    assert answer(open_gated(exercise=Q3, student="s2")) == "42"


def test_a_broken_course_file_is_reported(db_url, course):
    course("[defaults]\nattempts = 0\n")
    at = page_test("student_exercises.py")
    at.query_params.update({"student": "s1", "exercise": Q3})
    at.run()
    assert not at.exception
    (error,) = at.error
    assert error.value.startswith("The course settings cannot be read:") and "`defaults.attempts` must be" in error.value
