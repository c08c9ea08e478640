"""Grading one answer: variant, expected answer, verdicts, misconception, feedback."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from grader.answers import PartResult
from grader.exercise import Exercise, Params
from grader.variants import params_for_seed, variant_seed

__all__ = ["ExerciseFailure", "Feedback", "grade_answer", "grade_parsed"]


class ExerciseFailure(RuntimeError):
    """The exercise's own code failed on a variant (a bug in the exercise, not the answer)."""


@dataclass(frozen=True)
class Feedback:
    """The result of grading one answer to one exercise.

    ``score`` is in [0, 1] and ``points = score * max_points``. ``misconception`` is the
    name of the recognised misconception (its ``misconception_feedback`` names the
    mistake) or None. ``expected`` is the expected answer as a student would type it,
    rounded to the answer's precision (:meth:`AnswerKind.shown`), only when the
    exercise's reveal policy allows; otherwise None.
    """

    exercise_id: str
    student_id: str
    seed: int
    answer: Any
    score: float
    points: float
    max_points: float
    parts: tuple[PartResult, ...]
    message: str
    misconception: str | None = None
    misconception_feedback: str | None = None
    expected: Any = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-friendly dict (parts as dicts)."""
        # Built by hand: dataclasses.asdict deep-copies and is the grader's hot spot.
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["parts"] = [
            {"part": p.part, "verdict": p.verdict, "score": p.score, "message": p.message}
            for p in self.parts
        ]
        return data


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
    try:
        params = params_for_seed(exercise, seed)
    except Exception as exc:
        raise ExerciseFailure(f"exercise {exercise.id!r}: generate failed: {type(exc).__name__}: {exc}") from exc
    return grade_parsed(exercise, value, params, student_id=student_id, seed=seed, raw_answer=raw_answer)


def grade_parsed(
    exercise: Exercise,
    value: Any,
    params: Params,
    *,
    student_id: str,
    seed: int,
    raw_answer: Any,
) -> Feedback:
    """Grade an already parsed value against the variant ``params`` (see grade_answer)."""
    try:
        expected = exercise.expected(params)
    except Exception as exc:
        raise ExerciseFailure(f"exercise {exercise.id!r}: solve failed: {type(exc).__name__}: {exc}") from exc
    evaluation = exercise.answer.evaluate(value, expected)
    score = float(evaluation.score)
    if not 0.0 <= score <= 1.0:
        raise ExerciseFailure(f"exercise {exercise.id!r}: the answer kind gave a score of {score}")
    recognised = None
    if score < 1.0:
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
                recognised = misconception
                break
    reveal = exercise.reveal == "always" or (exercise.reveal == "after_correct" and score == 1.0)
    return Feedback(
        exercise_id=exercise.id,
        student_id=student_id,
        seed=seed,
        answer=raw_answer,
        score=score,
        points=score * float(exercise.points),
        max_points=float(exercise.points),
        parts=evaluation.parts,
        message=_summary(score, evaluation.parts, recognised.feedback if recognised else None),
        misconception=recognised.name if recognised else None,
        misconception_feedback=recognised.feedback if recognised else None,
        expected=exercise.answer.shown(expected) if reveal else None,
    )


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
