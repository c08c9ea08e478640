"""Grading one answer: variant, expected answer, verdicts, misconception, feedback.

:func:`grade_answer` is the one grading path: the CLI, the web form and
``probstats check`` all come through it (``grade_submission`` calls it per answer).
"""

from __future__ import annotations

from typing import Any

from grader.answers import AnswerError, PartResult
from grader.exercise import Exercise, Misconception, Params
from grader.records import Feedback
from grader.variants import params_for_seed, variant_seed

__all__ = ["ExerciseFailure", "Feedback", "generate_params", "grade_answer", "grade_parsed", "invalid_answer"]


class ExerciseFailure(RuntimeError):
    """The exercise's own code failed on a variant (a bug in the exercise, not the answer)."""


def generate_params(exercise: Exercise, seed: int) -> Params:
    """The variant parameters of ``seed``; :class:`ExerciseFailure` if ``generate`` fails."""
    try:
        return params_for_seed(exercise, seed)
    except Exception as exc:
        raise ExerciseFailure(f"exercise {exercise.id!r}: generate failed: {type(exc).__name__}: {exc}") from exc


def grade_answer(
    exercise: Exercise, raw_answer: Any, *, student_id: str, secret: str | None = None
) -> Feedback:
    """Grade a student's raw answer to their own variant of ``exercise``.

    Parameters
    ----------
    exercise : Exercise
        The exercise.
    raw_answer : object
        As typed: a number or expression text, a list, an option, a table of fields.
    student_id : str
        The student; their variant is :func:`grader.variant_for` of it.
    secret : str, optional
        The course secret; ``PROBSTATS_COURSE_SECRET`` by default.

    Returns
    -------
    Feedback

    Raises
    ------
    grader.AnswerError
        If the answer cannot be read at all (wrong type, nan, unparsable expression).
    ExerciseFailure
        If the exercise's code fails on this variant.
    """
    seed = variant_seed(student_id, exercise.id, secret=secret)
    value = exercise.answer.parse(raw_answer)
    params = generate_params(exercise, seed)
    return grade_parsed(exercise, value, params, student_id=student_id, seed=seed, raw_answer=raw_answer)


def invalid_answer(
    exercise: Exercise, raw_answer: Any, error: AnswerError, *, student_id: str, secret: str | None = None
) -> Feedback:
    """The feedback on an answer that could not be read: 0 points out of the exercise's."""
    seed = variant_seed(student_id, exercise.id, secret=secret)
    params = generate_params(exercise, seed)
    message = str(error)
    return Feedback(
        exercise_id=exercise.id,
        student_id=student_id,
        seed=seed,
        answer=raw_answer,
        score=0.0,
        points=0.0,
        max_points=float(exercise.points),
        parts=(PartResult("answer", "invalid", 0.0, message),),
        message=f"Not read: {message}.",
        params=params,
        generator_version=exercise.version,
    )


def grade_parsed(
    exercise: Exercise,
    value: Any,
    params: Params,
    *,
    student_id: str,
    seed: int,
    raw_answer: Any,
) -> Feedback:
    """Grade an already parsed value against the variant ``params`` (see grade_answer).

    A recognised misconception earns ``credit * points`` when that is more than the
    answer kind's own score (WeBWorK's AnswerHints partial credit).
    """
    try:
        expected = exercise.expected(params)
    except Exception as exc:
        raise ExerciseFailure(f"exercise {exercise.id!r}: solve failed: {type(exc).__name__}: {exc}") from exc
    evaluation = exercise.answer.evaluate(value, expected)
    score = float(evaluation.score)
    if not 0.0 <= score <= 1.0:
        raise ExerciseFailure(f"exercise {exercise.id!r}: the answer kind gave a score of {score}")
    recognised = _recognise(exercise, value, params) if score < 1.0 else None
    credited = False
    if recognised is not None and recognised.credit > score:
        score, credited = float(recognised.credit), True
    reveal = exercise.reveal == "always" or (exercise.reveal == "after_correct" and score == 1.0)
    feedback_text = None
    if recognised is not None:
        feedback_text = recognised.feedback
        if credited:
            feedback_text += f" Partial credit for this recognised mistake: {score:.0%} of the points."
    return Feedback(
        exercise_id=exercise.id,
        student_id=student_id,
        seed=seed,
        answer=raw_answer,
        score=score,
        points=score * float(exercise.points),
        max_points=float(exercise.points),
        parts=evaluation.parts,
        message=_summary(score, evaluation.parts, feedback_text),
        misconception=recognised.name if recognised else None,
        misconception_feedback=recognised.feedback if recognised else None,
        expected=exercise.answer.shown(expected) if reveal else None,
        params=params,
        generator_version=exercise.version,
    )


def _recognise(exercise: Exercise, value: Any, params: Params) -> Misconception | None:
    # One at a time, stopping at the first match: most answers need only one or two.
    for misconception in exercise.misconceptions:
        try:
            wrong = exercise.answer.normalise_wrong(misconception.answer(params))
        except Exception as exc:
            raise ExerciseFailure(
                f"exercise {exercise.id!r}: misconception {misconception.name!r} failed: "
                f"{type(exc).__name__}: {exc}"
            ) from exc
        if exercise.answer.matches(value, wrong):
            return misconception
    return None


def _summary(score: float, parts: tuple[PartResult, ...], misconception: str | None) -> str:
    if score == 1.0:
        return "Correct."
    head = f"Score {score:.0%}." if score > 0 else "Incorrect."
    lines = [head] if misconception is None else [head, misconception]
    hints = [p for p in parts if p.verdict in ("imprecise", "missing", "invalid")]
    lines.extend(
        (f"{p.part}: {p.message}." if p.part != "answer" else f"{p.message[0].upper()}{p.message[1:]}.")
        for p in hints
    )
    return " ".join(lines)
