"""Grading one answer: scores, feedback, misconceptions, reveal policy, failing exercises."""

from __future__ import annotations

import math
import re

import pytest

from grader import (
    AnswerError,
    ExerciseFailure,
    Misconception,
    Number,
    grade_answer,
    load_exercises,
    variant_for,
)
from grader.grading import grade_parsed
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


class TestMisconceptionCredit:
    """A recognised misconception may earn a share of the points (WeBWorK's AnswerHints)."""

    @staticmethod
    def exercise(credit: float, points: float = 4.0):  # type: ignore[no-untyped-def]
        halved = Misconception("halved", "You halved it instead.", lambda p: p["x"] / 2, credit=credit)
        return doubling(points=points, misconceptions=(halved,))

    def test_credit_times_points_and_the_feedback_says_so(self) -> None:
        exercise = self.exercise(0.25)
        x = variant_for("s1", exercise, secret="k").params["x"]
        feedback = grade_answer(exercise, x / 2, student_id="s1", secret="k")
        assert (feedback.score, feedback.points, feedback.max_points) == (0.25, 1.0, 4.0)
        assert feedback.misconception == "halved"
        assert feedback.misconception_feedback == "You halved it instead."
        assert feedback.message == (
            "Score 25%. You halved it instead. Partial credit for this recognised mistake: 25% of the points."
        )
        assert feedback.expected is None  # partial credit is not a correct answer

    def test_no_credit_by_default_and_for_other_wrong_answers(self) -> None:
        exercise = self.exercise(0.5)
        x = variant_for("s1", exercise, secret="k").params["x"]
        assert grade_answer(exercise, x + 7, student_id="s1", secret="k").score == 0.0
        plain = doubling()
        assert grade_answer(plain, x / 2, student_id="s1", secret="k").score == 0.0

    def test_a_record_keeps_its_own_partial_score_when_it_is_higher(self) -> None:
        exercise = load_exercises().get("interview.beta_binomial_posterior")
        (first, *rest) = exercise.misconceptions
        for credit, expected in ((0.2, 3 / 5), (0.9, 0.9)):
            changed = type(exercise)(**{**exercise.__dict__, "misconceptions": (
                Misconception(first.name, first.feedback, first.answer, credit=credit), *rest)})
            params = variant_for("s1", changed, secret="k").params
            h, t = params["heads"], params["tails"]
            answer = {"alpha": 1 + h, "beta": 1 + t, "mean": f"{h}/{h + t}", "map": f"{h}/{h + t}"}
            feedback = grade_answer(changed, answer, student_id="s1", secret="k")
            assert feedback.misconception == first.name == "mle_for_mean"
            assert feedback.score == pytest.approx(expected)


def test_feedback_carries_the_variant_graded() -> None:
    exercise = doubling(version=3)
    variant = variant_for("s1", exercise, secret="k")
    feedback = grade_answer(exercise, 1, student_id="s1", secret="k")
    assert (feedback.params, feedback.generator_version) == (variant.params, 3)
    assert "params" not in feedback.to_dict() and "generator_version" not in feedback.to_dict()


def test_expected_answer_is_rounded_to_the_answers_precision() -> None:
    # sqrt(x + 1/2) to 0.1% relative: shown to the first decimal place whose unit is
    # within the tolerance, not as the full float.
    exercise = doubling(solve=lambda p: math.sqrt(p["x"] + 0.5), answer=Number(rtol=1e-3), reveal="always")
    x = variant_for("s1", exercise, secret="k").params["x"]
    feedback = grade_answer(exercise, -1, student_id="s1", secret="k")
    exact = math.sqrt(x + 0.5)
    places = math.ceil(-math.log10(1e-3 * exact))  # 10**-places <= tolerance
    assert feedback.expected == round(exact, places)
    assert feedback.expected != exact
    assert grade_answer(exercise, feedback.expected, student_id="s1", secret="k").score == 1.0


def test_feedback_and_sheet_never_show_misconception_ids() -> None:
    # Every built-in exercise: the message a student holding each misconception reads,
    # and the whole problem sheet, name no misconception id (`nats_for_bits`).
    from grader import render_sheet
    from grader.checks import internal_names

    registry = load_exercises()
    names: set[str] = set()
    fields: set[str] = set()
    for exercise in registry.exercises.values():
        variant = variant_for("s1", exercise, secret="k")
        params = variant.params
        expected = exercise.expected(params)
        for misconception, wrong in exercise.wrong_answers(params):
            # What the student holding it typed, read back (for code: the outputs of such a function).
            typed = exercise.answer.as_typed_wrong(expected, wrong)
            feedback = grade_parsed(exercise, typed, params, student_id="s1", seed=variant.seed, raw_answer=None)
            text = " ".join([feedback.message, *(p.message for p in feedback.parts)])
            assert misconception.name not in internal_names(exercise) or misconception.name not in text
        names |= internal_names(exercise)
        fields |= set(getattr(exercise.answer, "fields", None) or ())
    assert names, "the catalogue has misconception ids that look like code"
    sheet = render_sheet(list(registry.exercises.values()), "s1", secret="k")
    # A record field a student types may share its name with another exercise's id.
    assert not [n for n in names - fields if re.search(rf"\b{n}\b", sheet)]


def test_check_reports_a_misconception_id_in_the_feedback() -> None:
    from grader import Misconception, check_exercise

    leaky = Misconception("halved_it", "Incorrect (halved_it): you halved it.", lambda p: p["x"] / 2)
    result = check_exercise(doubling(misconceptions=(leaky,)), n_variants=2)
    assert result.problems == [
        f"variant {i}: the feedback for misconception 'halved_it' shows the internal name(s) "
        "halved_it to students"
        for i in range(2)
    ]
