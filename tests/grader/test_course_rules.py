"""The course rules as grade_submission enforces them: due dates, attempt limits, late, reveal."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from grader import (
    DashboardLink,
    Gradebook,
    build_registry,
    grade_submission,
    parse_submission,
    variant_for,
)
from grader.cli import main
from grader.course import Course, parse_course
from grader.records import GradedSubmission
from tests.grader.helpers import ExercisesPlugin, doubling

LINK = DashboardLink("demo-page", lambda p: {"x": p["x"]})
REGISTRY = build_registry(
    builtin=False,
    autoload=False,
    extra_plugins=[("demo", ExercisesPlugin(doubling("demo.double", reveal="always", dashboard=LINK), doubling("demo.twice")))],
)
DUE = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
BEFORE, AFTER = DUE - timedelta(hours=1), DUE + timedelta(hours=1)
SECRET = "k"

COURSE = f"""
secret = "{SECRET}"
[defaults]
attempts = 2
[topics.demo]
due = {DUE.isoformat()}
[exercises."demo.twice"]
late = 0.5
"""


def right(student: str, exercise_id: str) -> int:
    return 2 * variant_for(student, REGISTRY.get(exercise_id), secret=SECRET).params["x"]


def submit(
    course: Course, now: datetime, answers: dict[str, object], book: Gradebook | None, student: str = "s1"
) -> GradedSubmission:
    submission = parse_submission({"student_id": student, "answers": answers}, source="test")
    return grade_submission(submission, REGISTRY, gradebook=book, course=course, now=now)


def test_a_refused_exercise_is_not_stored_and_the_others_are(book: Gradebook) -> None:
    course = parse_course(COURSE)
    answers = {"demo.double": right("s1", "demo.double"), "demo.twice": right("s1", "demo.twice")}
    result = submit(course, AFTER, answers, book)
    # demo.double is late under the built-in "refuse"; demo.twice is late at half the score.
    assert [e.exercise_id for e in result.errors] == ["demo.double"]
    assert "due date 2026-03-01T12:00:00+00:00 (topics.demo due) has passed" in result.errors[0].message
    assert 'built-in late = "refuse"' in result.errors[0].message
    assert [f.exercise_id for f in result.feedback] == ["demo.twice"]
    late = result.feedback[0]
    assert late.score == 0.5 and late.points == 0.5 and late.late_factor == 0.5
    assert 'multiplied by 0.5 (exercises."demo.twice" late = 0.5)' in late.message
    stored = book.attempts(student_id="s1")
    assert [(r["exercise_id"], r["score"]) for r in stored] == [("demo.twice", 0.5)]
    assert book.uploads()[0]["errors"][0]["exercise_id"] == "demo.double"


def test_the_attempt_limit_counts_stored_attempts(book: Gradebook) -> None:
    course = parse_course(COURSE)
    for _ in range(2):
        assert not submit(course, BEFORE, {"demo.double": 1}, book).errors
    third = submit(course, BEFORE, {"demo.double": 1, "demo.twice": 1}, book)
    assert [e.exercise_id for e in third.errors] == ["demo.double"]
    assert "attempt limit of 2 is reached (defaults attempts = 2)" in third.errors[0].message
    assert book.attempt_counts("s1") == {"demo.double": 2, "demo.twice": 1}
    # Another student's attempts are theirs.
    assert not submit(course, BEFORE, {"demo.double": 1}, book, student="s2").errors


def test_the_limit_is_checked_again_when_storing(book: Gradebook) -> None:
    # Two submissions graded before either is stored (as two servers racing would).
    course = parse_course(COURSE.replace("attempts = 2", "attempts = 1"))
    first = submit(course, BEFORE, {"demo.double": 1}, None)
    second = submit(course, BEFORE, {"demo.double": 1}, None)
    rules = course.rules_for("demo.double")
    limits = {"demo.double": (1, rules.limit_message())}
    book.record(first, attempt_limits=limits)
    book.record(second, attempt_limits=limits)
    assert second.feedback == [] and "attempt limit of 1" in second.errors[0].message
    assert book.submission_count() == 1


def test_without_a_course_file_nothing_is_refused_or_hidden(book: Gradebook) -> None:
    result = submit(Course(secret=SECRET, secret_source="course.toml secret"), AFTER, {"demo.double": 1}, book)
    assert not result.errors and result.feedback[0].withheld == ()
    for _ in range(5):
        submit(Course(), AFTER, {"demo.double": 1}, book)
    assert book.submission_count() == 6


def test_reveal_rules_decide_answer_score_and_link(book: Gradebook) -> None:
    hidden = parse_course(
        COURSE + '[exercises."demo.double"]\nreveal_answers = "after_due"\nreveal_scores = "never"\n'
        'late = 1.0\nreveal_links = "after_due"\n'
    )
    answer = right("s1", "demo.double")
    before = submit(hidden, BEFORE, {"demo.double": answer}, book).feedback[0]
    assert before.expected is None and before.link is None and before.score == 0.0 and before.parts == ()
    assert before.withheld == ("scores", "answers", "links")
    assert "The score is not shown in this course" in before.message
    assert "expected answer is shown after the due date, 2026-03-01T12:00:00+00:00" in before.message
    data = before.to_dict()
    assert data["score"] is None and data["points"] is None and data["withheld"] == ["scores", "answers", "links"]
    # The gradebook keeps the real score for the instructor.
    assert book.attempts(student_id="s1")[0]["score"] == 1.0
    after = submit(hidden, AFTER, {"demo.double": answer}, book).feedback[0]
    assert after.expected == answer and after.withheld == ("scores",)
    x = variant_for("s1", REGISTRY.get("demo.double"), secret=SECRET).params["x"]
    assert after.link == f"/demo-page?x={x}"
    shown = submit(parse_course(COURSE), BEFORE, {"demo.twice": 3}, book).feedback[0]
    assert shown.score == 0.0 and shown.withheld == () and "Incorrect" in shown.message


def test_the_time_must_be_timezone_aware(book: Gradebook) -> None:
    with pytest.raises(ValueError, match="`now` must be a timezone-aware datetime"):
        submit(parse_course(COURSE), datetime(2026, 1, 1), {"demo.double": 1}, book)


def test_the_cli_shows_the_refusal_and_withholds_the_score(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    course = tmp_path / "course.toml"
    # Built-in exercises; the interview topic is past due, perplexity's score hidden.
    course.write_text(
        'secret = "a-course-secret"\n[topics.bayes]\ndue = 2000-01-01T00:00:00Z\n'
        '[exercises."interview.perplexity_from_nll"]\nreveal_scores = "never"\n'
    )
    monkeypatch.setenv("PROBSTATS_COURSE", str(course))
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps({
        "student_id": "s1",
        "answers": {"interview.perplexity_from_nll": "exp(3)", "bayes.mle_map_mean": {"mle": 1}},
    }))
    db = f"sqlite:///{tmp_path / 'gb.db'}"
    assert main(["grade", str(answers), "--db", db]) == 1
    out = capsys.readouterr().out
    assert "withheld/1 points" in out and "interview.perplexity_from_nll: score withheld." in out
    assert "bayes.mle_map_mean: refused: the due date 2000-01-01T00:00:00+00:00 (topics.bayes due)" in out
    book = Gradebook(db)
    assert [r["exercise_id"] for r in book.attempts()] == ["interview.perplexity_from_nll"]
    book.close()


def test_concurrent_submissions_for_the_last_attempt_store_one(book: Gradebook) -> None:
    course = parse_course(COURSE.replace("attempts = 2", "attempts = 1"))
    results: list[GradedSubmission] = []
    start = threading.Barrier(4)

    def one() -> None:
        start.wait()
        results.append(submit(course, BEFORE, {"demo.double": 1}, book))

    threads = [threading.Thread(target=one) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert book.submission_count() == 1
    assert sorted(len(r.feedback) for r in results) == [0, 0, 0, 1]
    assert all("attempt limit of 1" in r.errors[0].message for r in results if not r.feedback)


def test_the_sheet_shows_due_dates_and_follows_the_link_rule() -> None:
    from grader import render_sheet

    exercise = REGISTRY.get("demo.double")
    plain = render_sheet([exercise], "s1", secret=SECRET, course=Course(), now=BEFORE)
    assert "*See it move:* dashboard page `/demo-page?x=" in plain and "*Due:*" not in plain
    course = parse_course(COURSE + '[exercises."demo.double"]\nreveal_links = "after_first_attempt"\n')
    sheet = render_sheet([exercise], "s1", secret=SECRET, course=course, now=BEFORE)
    assert "*Due:* 2026-03-01T12:00:00+00:00." in sheet
    assert "/demo-page" not in sheet
    assert 'dashboard link is shown after your first attempt (exercises."demo.double" reveal_links)' in sheet


def test_probstats_course_lists_the_rules_and_flags_unknown_tables(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "course.toml"
    path.write_text(
        'secret = "a-course-secret"\n[defaults]\nattempts = 2\n[topics.bayes]\ndue = 2026-03-01T12:00:00Z\n'
        '[exercises."bayes.mle_map_mean"]\nlate = 0.5\n'
    )
    monkeypatch.setenv("PROBSTATS_COURSE", str(path))
    assert main(["course", "--topic", "bayes", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["path"] == str(path) and data["secret_source"] == "course.toml secret"
    assert "a-course-secret" not in json.dumps(data)
    row = next(r for r in data["exercises"] if r["exercise_id"] == "bayes.mle_map_mean")
    assert (row["due"], row["attempts"], row["late"]) == ("2026-03-01T12:00:00+00:00", 2, 0.5)
    assert row["source"]["late"] == 'exercises."bayes.mle_map_mean"' and row["source"]["due"] == "topics.bayes"
    assert {r["exercise_id"].split(".")[0] for r in data["exercises"]} == {"bayes"}
    path.write_text('[exercises."bayes.no_such"]\nattempts = 1\n[topics.nope]\nattempts = 1\n')
    assert main(["course"]) == 1
    err = capsys.readouterr().err
    assert 'course.toml [topics.nope] matches no loaded exercise or topic' in err
    assert 'course.toml [exercises."bayes.no_such"] matches no loaded exercise' in err
