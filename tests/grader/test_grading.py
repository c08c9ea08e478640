"""Grading one answer: scores, feedback, misconceptions, reveal policy, failing exercises."""

from __future__ import annotations

import math

import pytest

from grader import AnswerError, ExerciseFailure, grade_answer, load_exercises, variant_for
from tests.grader.helpers import doubling


def test_correct_answer_scores_full_points() -> None:
    exercise = doubling(points=3.0)
    x = variant_for("s1", exercise, secret="k").params["x"]
    feedback = grade_answer(exercise, f"2*{x}", student_id="s1", secret="k")
    assert (feedback.score, feedback.points, feedback.max_points) == (1.0, 3.0, 3.0)
    assert feedback.message == "Correct."
    assert feedback.misconception is None
    assert feedback.expected == 2.0 * x  # reveal "after_correct"
    assert feedback.seed == variant_for("s1", exercise, secret="k").seed


def test_misconception_is_recognised_with_its_feedback() -> None:
    exercise = doubling()
    x = variant_for("s1", exercise, secret="k").params["x"]
    feedback = grade_answer(exercise, x / 2, student_id="s1", secret="k")
    assert feedback.score == 0.0
    assert feedback.misconception == "halved"
    assert feedback.misconception_feedback == "You halved it instead."
    assert feedback.message == "Incorrect. You halved it instead."
    assert feedback.expected is None


def test_plain_wrong_answer() -> None:
    feedback = grade_answer(doubling(), -1, student_id="s1", secret="k")
    assert (feedback.score, feedback.misconception, feedback.message) == (0.0, None, "Incorrect.")


@pytest.mark.parametrize(("policy", "revealed"), [("always", True), ("never", False), ("after_correct", False)])
def test_reveal_policy_on_a_wrong_answer(policy: str, revealed: bool) -> None:
    exercise = doubling(reveal=policy)
    x = variant_for("s1", exercise, secret="k").params["x"]
    feedback = grade_answer(exercise, -1, student_id="s1", secret="k")
    assert feedback.expected == (2.0 * x if revealed else None)


def test_never_reveal_even_when_correct() -> None:
    exercise = doubling(reveal="never")
    x = variant_for("s1", exercise, secret="k").params["x"]
    assert grade_answer(exercise, 2 * x, student_id="s1", secret="k").expected is None


def test_unreadable_answer_raises_answer_error() -> None:
    with pytest.raises(AnswerError, match=r"^the answer must be a finite number; got nan$"):
        grade_answer(doubling(), math.nan, student_id="s1", secret="k")


def test_failing_solve_is_an_exercise_failure() -> None:
    exercise = doubling(solve=lambda p: 1 / 0)
    with pytest.raises(ExerciseFailure, match=r"^exercise 'demo.double': solve failed: ZeroDivisionError: division by zero$"):
        grade_answer(exercise, 1, student_id="s1", secret="k")


def test_q3_course_worked_example() -> None:
    # Course, Q3: average NLL 3.0 nats -> PPL = e^3.0 ≈ 20.1.
    exercise = load_exercises().get("interview.perplexity_from_nll")
    params = {"nll": 3.0}
    assert exercise.expected(params) == pytest.approx(20.0855369, rel=1e-8)
    wrong = dict((m.name, w) for m, w in exercise.wrong_answers(params))
    assert wrong["bits_for_nats"] == pytest.approx(8.0)  # 2^3


def test_record_feedback_lists_field_problems() -> None:
    exercise = load_exercises().get("interview.beta_binomial_posterior")
    params = variant_for("s1", exercise, secret="k").params
    h, t = params["heads"], params["tails"]
    answer = {"alpha": 1 + h, "beta": 1 + t, "mean": f"{h}/{h + t}", "map": f"{h}/{h + t}"}
    feedback = grade_answer(exercise, answer, student_id="s1", secret="k")
    # alpha, beta, map right (3 of 5 fields); mean is the MLE; mle missing.
    assert feedback.score == pytest.approx(3 / 5)
    assert feedback.points == pytest.approx(2 * 3 / 5)
    assert feedback.misconception == "mle_for_mean"
    assert feedback.message == (
        "Score 60%. Your posterior mean is the MLE h/(h+t). The posterior mean is α/(α+β) = "
        "(h+1)/(h+t+2): the prior's pseudo-counts pull it toward 1/2. The Beta-Binomial update "
        "page, linked above, shows this with your numbers. mle: missing field 'mle'."
    )
