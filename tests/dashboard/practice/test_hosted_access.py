"""Hosted mode in the web app: who sees what (AppTest), checked on the server at every run.

Each rule is tried for a stranger, a student and an instructor: the login page comes
before anything else, a student sees only their own attempts and never the Instructor
page or its CSV downloads (even opened directly), a revoked token is logged out, a
weak secret stops a hosted app, and the local app stays login-free with a warning
about the default secret.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.common.access import TOKEN_KEY
from grader import Gradebook, grade_submission, load_exercises, parse_submission
from grader.access import MAX_FAILURES, revoke_token
from tests.dashboard.helpers import app_test, page_test
from tests.hosted.course import Q3, SECRET, enrol


@pytest.fixture
def hosted(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[tuple[Gradebook, dict[str, str]]]:
    """A hosted course on a fresh SQLite gradebook: s1, s2, t1 and their tokens; s2 has an attempt."""
    monkeypatch.chdir(tmp_path)
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    monkeypatch.setenv("PROBSTATS_DB", url)
    monkeypatch.setenv("PROBSTATS_MODE", "hosted")
    monkeypatch.setenv("PROBSTATS_COURSE_SECRET", SECRET)
    book = Gradebook(url)
    tokens = enrol(book)
    submission = parse_submission({"student_id": "s2", "answers": {Q3: "12345"}}, source="s2-file")
    grade_submission(submission, load_exercises(), gradebook=book, secret=SECRET)
    yield book, tokens
    book.close()


def logged_in(at: AppTest, token: str) -> AppTest:
    at.session_state[TOKEN_KEY] = token
    return at.run()


def texts(at: AppTest) -> str:
    return " ".join(e.value for e in [*at.markdown, *at.caption, *at.title, *at.error, *at.warning])


def test_a_stranger_sees_only_the_login_page(hosted: tuple[Gradebook, dict[str, str]]) -> None:
    at = app_test().run()
    assert not at.exception
    assert [t.label for t in at.text_input] == ["Login token"]
    assert not at.sidebar.children  # no navigation, no logout, nothing
    assert not at.dataframe and not at.get("download_button")
    assert "Logged in as" not in texts(at)


def test_a_wrong_token_is_refused_and_failures_are_rate_limited(hosted: tuple[Gradebook, dict[str, str]]) -> None:
    at = app_test().run()
    for _ in range(MAX_FAILURES):
        at.text_input[0].set_value("nobody.wrong")
        at.button[0].click().run()
        assert at.error and TOKEN_KEY not in at.session_state
    # The limit holds even for a right token now: the client is blocked for a while.
    at.text_input[0].set_value(hosted[1]["s1"])
    at.button[0].click().run()
    assert "too many" in texts(at).lower() and TOKEN_KEY not in at.session_state


def test_a_student_logs_in_with_the_form_and_out_again(hosted: tuple[Gradebook, dict[str, str]]) -> None:
    at = app_test().run()
    at.text_input[0].set_value(hosted[1]["s1"])
    at.button[0].click().run()
    assert not at.exception and at.session_state[TOKEN_KEY] == hosted[1]["s1"]
    assert "Logged in as **Student 1** (`s1`, student)" in [c.value for c in at.sidebar.caption]
    logout = [b for b in at.sidebar.button if b.label == "Log out"]
    logout[0].click().run()
    assert TOKEN_KEY not in at.session_state
    assert [t.label for t in at.text_input] == ["Login token"]


def test_a_student_sees_only_their_own_attempts(hosted: tuple[Gradebook, dict[str, str]]) -> None:
    at = page_test("student_exercises.py")
    at.query_params["student"] = "s2"  # a typed-in id is ignored for a student
    at.query_params["exercise"] = Q3
    logged_in(at, hosted[1]["s1"])
    assert not at.exception
    student_box = [t for t in at.text_input if t.label == "Your student id"]
    assert len(student_box) == 1 and student_box[0].value == "s1" and student_box[0].disabled
    assert "s2-file" not in str([df.value for df in at.dataframe])
    assert "None yet." in texts(at)


def test_an_instructor_may_look_at_any_student(hosted: tuple[Gradebook, dict[str, str]]) -> None:
    at = page_test("student_exercises.py")
    at.query_params["student"] = "s2"
    at.query_params["exercise"] = Q3
    logged_in(at, hosted[1]["t1"])
    box = [t for t in at.text_input if t.label == "Your student id"]
    assert not box[0].disabled and box[0].value == "s2"
    assert "s2-file" in str([df.value.to_dict() for df in at.dataframe])


def test_the_instructor_page_refuses_a_student_who_opens_it_directly(hosted: tuple[Gradebook, dict[str, str]]) -> None:
    at = logged_in(page_test("instructor.py"), hosted[1]["s1"])
    assert not at.exception
    assert [e.value for e in at.error] == ["This page is for instructors only."]
    assert not at.dataframe and not at.get("download_button") and not at.title


def test_the_instructor_page_asks_a_stranger_to_log_in(hosted: tuple[Gradebook, dict[str, str]]) -> None:
    at = page_test("instructor.py").run()
    assert [t.label for t in at.text_input] == ["Login token"]
    assert not at.dataframe and not at.get("download_button")


def test_an_instructor_sees_the_gradebook_and_its_downloads(hosted: tuple[Gradebook, dict[str, str]]) -> None:
    at = logged_in(page_test("instructor.py"), hosted[1]["t1"])
    assert not at.exception and not at.error
    assert len(at.get("download_button")) == 3
    assert "s2" in at.dataframe[0].value["student_id"].tolist()


def test_a_revoked_token_is_logged_out_at_the_next_run(hosted: tuple[Gradebook, dict[str, str]]) -> None:
    book, tokens = hosted
    at = logged_in(page_test("instructor.py"), tokens["t1"])
    assert at.get("download_button")
    revoke_token(book, "t1")
    at.run()
    assert not at.get("download_button") and not at.dataframe
    assert any("logged out" in w.value for w in at.warning)
    assert [t.label for t in at.text_input] == ["Login token"]


def test_hosted_mode_refuses_to_start_with_a_weak_secret(
    hosted: tuple[Gradebook, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    for weak in ("course-2026", None):
        if weak is None:
            monkeypatch.delenv("PROBSTATS_COURSE_SECRET")
        else:
            monkeypatch.setenv("PROBSTATS_COURSE_SECRET", weak)
        at = app_test().run()
        assert len(at.error) == 1 and "probstats secret new" in at.error[0].value
        assert not at.text_input and not at.sidebar.children


def test_the_local_app_has_no_login_and_warns_of_the_default_secret(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PROBSTATS_DB", f"sqlite:///{tmp_path / 'gradebook.db'}")
    monkeypatch.delenv("PROBSTATS_MODE", raising=False)
    monkeypatch.delenv("PROBSTATS_COURSE_SECRET", raising=False)
    at = app_test().run()
    assert not at.exception and "Login token" not in [t.label for t in at.text_input]
    assert any("probstats secret new" in w.value for w in at.sidebar.warning)
    monkeypatch.setenv("PROBSTATS_COURSE_SECRET", SECRET)
    assert not app_test().run().sidebar.warning
    # The Instructor page stays open to anyone locally.
    assert page_test("instructor.py").run().title[0].value == "Instructor"


def test_a_students_app_has_no_instructor_page(hosted: tuple[Gradebook, dict[str, str]]) -> None:
    at = logged_in(app_test(), hosted[1]["s1"])
    links = [link.proto.label for link in at.get("page_link")]
    assert "Exercises" in links and "Instructor" not in links
    # The navigation registers no such page, so its address leads nowhere (the browser
    # test types it); the page refuses students by itself as well (above).
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("practice/instructor.py")
    teacher = logged_in(app_test(), hosted[1]["t1"])
    assert "Instructor" in [link.proto.label for link in teacher.get("page_link")]


def gated_topic_page() -> None:
    """A topic page's answer, behind the reveal rule (as tests/dashboard/practice/test_reveal.py)."""
    import streamlit as st

    from dashboard.practice import reveal

    st.metric("Answer", "42" if reveal.show_reveal_note() else reveal.HIDDEN)


def test_a_student_cannot_borrow_another_students_attempt_to_reveal_an_answer(
    hosted: tuple[Gradebook, dict[str, str]],
) -> None:
    def answer(token: str) -> str:
        at = AppTest.from_function(gated_topic_page, default_timeout=30)
        at.query_params.update({"exercise": Q3, "student": "s2"})  # s2 has an attempt
        (value,) = [m.value for m in logged_in(at, token).metric if m.label == "Answer"]
        return value

    assert answer(hosted[1]["s1"]) == "hidden until you submit"  # counted as s1: none yet
    assert answer(hosted[1]["s2"]) == "42"
    assert answer(hosted[1]["t1"]) == "42"  # an instructor follows the link's student
