"""The reveal rule: a page opened from an exercise link hides the answer until a first attempt.

Each test has its own empty gradebook (``PROBSTATS_DB`` in tmp_path, from conftest); an
attempt is stored the way the Exercises page stores one, through ``grade_submission``.
"""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from grader import Gradebook, grade_submission, load_exercises, parse_submission

EXERCISE = "interview.perplexity_from_nll"
SECRET = "reveal-test-secret"


def gated_page() -> None:
    """A page with one answer: shown when the rule allows, else the placeholder."""
    import streamlit as st

    from dashboard.practice import reveal

    shown = reveal.show_reveal_note()
    st.metric("Answer", "42" if shown else reveal.HIDDEN)


def open_gated(**query: str) -> AppTest:
    at = AppTest.from_function(gated_page, default_timeout=30)
    at.query_params.update(query)
    return at.run()


def answer(at: AppTest) -> str:
    (value,) = [m.value for m in at.metric if m.label == "Answer"]
    return value


def store_attempt(db_url: str, student: str, text: str = "1.5") -> None:
    book = Gradebook(db_url)
    try:
        submission = parse_submission({"student_id": student, "answers": {EXERCISE: text}}, source="web")
        graded = grade_submission(submission, load_exercises(), gradebook=book)
        assert graded.feedback, graded.errors  # the attempt was graded and stored
    finally:
        book.close()


def test_a_page_opened_freely_shows_its_answers(db_url):
    at = open_gated()
    assert not at.exception
    assert answer(at) == "42"
    assert not at.info


def test_a_linked_page_hides_the_answer_before_an_attempt(db_url):
    at = open_gated(exercise=EXERCISE, student="s1")
    assert not at.exception
    assert answer(at) == "hidden until you submit"
    assert any("Submit your answer once to see the computed value" in i.value for i in at.info)


def test_the_answer_shows_once_the_student_has_an_attempt(db_url):
    store_attempt(db_url, "s1")
    at = open_gated(exercise=EXERCISE, student="s1")
    assert not at.exception
    assert answer(at) == "42"
    assert not at.info


def test_a_wrong_answer_still_counts_as_an_attempt(db_url):
    store_attempt(db_url, "s1", text="123456")
    assert answer(open_gated(exercise=EXERCISE, student="s1")) == "42"


def test_another_students_attempt_reveals_nothing(db_url):
    store_attempt(db_url, "s1")
    assert answer(open_gated(exercise=EXERCISE, student="s2")) == "hidden until you submit"


def test_an_attempt_at_another_exercise_reveals_nothing(db_url):
    store_attempt(db_url, "s1")
    at = open_gated(exercise="interview.beta_binomial_posterior", student="s1")
    assert answer(at) == "hidden until you submit"


def test_a_link_without_a_student_or_with_an_invalid_one_stays_hidden(db_url):
    assert answer(open_gated(exercise=EXERCISE)) == "hidden until you submit"
    assert answer(open_gated(exercise=EXERCISE, student="a b")) == "hidden until you submit"


def test_an_attempt_made_while_the_page_is_open_reveals_on_the_next_rerun(db_url):
    at = open_gated(exercise=EXERCISE, student="s1")
    assert answer(at) == "hidden until you submit"
    store_attempt(db_url, "s1")
    assert answer(at.run()) == "42"


def test_with_exercise_adds_the_exercise_and_student_to_any_link():
    from dashboard.practice.reveal import with_exercise

    assert with_exercise("sampling?top_p=0.9", "a.b", "s1") == "sampling?top_p=0.9&exercise=a.b&student=s1"
    assert with_exercise("fisher-information", "a.b", "s 1") == "fisher-information?exercise=a.b&student=s+1"
