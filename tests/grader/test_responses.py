"""A graded submission's JSON read back as records: what a queued job's result shows from."""

from __future__ import annotations

from datetime import UTC, datetime

from grader import DashboardLink, build_registry, grade_submission, parse_submission
from grader.course import parse_course
from grader.records import LoadError
from grader.responses import graded_from_dict
from tests.grader.helpers import ExercisesPlugin, doubling

REGISTRY = build_registry(
    builtin=False,
    autoload=False,
    extra_plugins=[("demo", ExercisesPlugin(
        doubling("demo.double", reveal="always", dashboard=DashboardLink("demo-page", lambda p: {"x": p["x"]})),
        doubling("demo.twice"),
    ))],
)
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def _graded(course_text: str, answers: dict) -> dict:
    submission = parse_submission({"student_id": "s1", "answers": answers}, source="web")
    graded = grade_submission(submission, REGISTRY, secret="k", course=parse_course(course_text), now=NOW)
    graded.observer_errors.append(LoadError("jsonl-export", "disk full: nothing written"))
    return graded.to_dict()


def test_a_graded_submission_reads_back_as_the_same_records() -> None:
    data = _graded('secret = "k"\n', {"demo.double": "1", "demo.twice": "x+", "demo.nothing": "1"})
    back = graded_from_dict(data)
    assert back.to_dict() == data
    double, twice = back.feedback
    assert (double.exercise_id, double.score, double.parts[0].verdict) == ("demo.double", 0.0, "wrong")
    assert twice.parts[0].verdict == "invalid" and twice.points == 0.0
    assert [e.exercise_id for e in back.errors] == ["demo.twice", "demo.nothing"]
    assert back.observer_errors == [LoadError("jsonl-export", "disk full: nothing written")]
    assert back.points == sum(f["points"] for f in data["feedback"])


def test_withheld_scores_stay_withheld() -> None:
    data = _graded('secret = "k"\n[defaults]\nreveal_scores = "never"\n', {"demo.double": "1"})
    assert data["feedback"][0]["score"] is None  # the student's view keeps it back
    back = graded_from_dict(data)
    assert "scores" in back.feedback[0].withheld and back.scores_withheld
    assert back.to_dict() == data
