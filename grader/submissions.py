"""Submission files (TOML or JSON) and grading a whole submission.

A submission names a student and answers exercises by id::

    student_id = "s123"
    [answers]
    "interview.perplexity_from_nll" = "exp(3)"
    "interview.beta_binomial_posterior" = { alpha = 8, beta = 4, mean = "8/12", map = 0.7, mle = 0.7 }

The same shape in JSON: ``{"student_id": "s123", "answers": {...}}``. A file that cannot
be read at all (syntax, no student, no answers table) raises
:class:`SubmissionFileError` and nothing is stored. Otherwise every bad part (unknown
exercise id, wrong type, nan, unparsable expression) gets its own
:class:`SubmissionError`, every other answer is graded, and the graded answers are
stored in one transaction.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from grader.answers import AnswerError
from grader.grading import ExerciseFailure, Feedback, grade_parsed
from grader.plugins import LoadError, Registry, UnknownExercise
from grader.variants import check_student_id, params_for_seed, variant_seed

if TYPE_CHECKING:
    from grader.gradebook import Gradebook

__all__ = [
    "GradedSubmission",
    "Submission",
    "SubmissionError",
    "SubmissionFileError",
    "grade_submission",
    "parse_submission",
    "read_submission",
]

_TOP_LEVEL_KEYS = ("student_id", "answers")


class SubmissionFileError(ValueError):
    """A submission that cannot be read at all; nothing of it is graded or stored."""


@dataclass(frozen=True)
class SubmissionError:
    """One bad part of a submission: which exercise (None for the file itself) and why."""

    exercise_id: str | None
    message: str

    def __str__(self) -> str:
        return self.message if self.exercise_id is None else f"{self.exercise_id}: {self.message}"


@dataclass(frozen=True)
class Submission:
    """A student's answers keyed by exercise id, and where they came from."""

    student_id: str
    answers: dict[str, Any]
    source: str
    errors: tuple[SubmissionError, ...] = ()


@dataclass
class GradedSubmission:
    """The outcome of grading a submission: feedback per graded answer and the bad parts."""

    student_id: str
    source: str
    feedback: list[Feedback] = field(default_factory=list)
    errors: list[SubmissionError] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    attempt_id: int | None = None
    observer_errors: list[LoadError] = field(default_factory=list)

    @property
    def points(self) -> float:
        return sum(f.points for f in self.feedback)

    @property
    def max_points(self) -> float:
        return sum(f.max_points for f in self.feedback)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-friendly dict."""
        return {
            "student_id": self.student_id,
            "source": self.source,
            "attempt_id": self.attempt_id,
            "points": self.points,
            "max_points": self.max_points,
            "feedback": [f.to_dict() for f in self.feedback],
            "errors": [{"exercise_id": e.exercise_id, "message": e.message} for e in self.errors],
            "skipped": list(self.skipped),
            "observer_errors": [str(e) for e in self.observer_errors],
        }


def read_submission(path: str | Path, *, student_id: str | None = None) -> Submission:
    """Read a ``.toml`` or ``.json`` submission file.

    Parameters
    ----------
    path : str or Path
        The file; its suffix picks the format.
    student_id : str, optional
        The student, if the file does not say (if both do, they must agree).

    Raises
    ------
    SubmissionFileError
        If the file cannot be read at all; the message names the file.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".toml", ".json"):
        raise SubmissionFileError(f"{path}: unsupported file type {suffix or '(none)'!r}; use .toml or .json")
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SubmissionFileError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SubmissionFileError(f"{path}: cannot read the file: {exc}") from None
    try:
        data = tomllib.loads(text) if suffix == ".toml" else json.loads(text, object_pairs_hook=_no_duplicates)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError, _DuplicateKey) as exc:
        raise SubmissionFileError(f"{path}: not valid {suffix[1:].upper()}: {exc}") from None
    return parse_submission(data, source=str(path), student_id=student_id)


class _DuplicateKey(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key, value in pairs:
        if key in data:
            raise _DuplicateKey(f"the key {key!r} appears twice")
        data[key] = value
    return data


def parse_submission(data: Any, *, source: str, student_id: str | None = None) -> Submission:
    """Check the shape of a decoded submission (a dict from TOML/JSON or a web form).

    Raises
    ------
    SubmissionFileError
        If there is no usable student id or no answers table.
    """
    if not isinstance(data, Mapping):
        raise SubmissionFileError(f"{source}: the top level must be a table with student_id and answers")
    file_student = data.get("student_id")
    if file_student is not None and student_id is not None and file_student != student_id:
        raise SubmissionFileError(
            f"{source}: the file says student_id {file_student!r} but --student is {student_id!r}"
        )
    who = student_id if student_id is not None else file_student
    if who is None:
        raise SubmissionFileError(f"{source}: missing student_id (add it to the file or pass --student)")
    try:
        who = check_student_id(who)
    except (TypeError, ValueError) as exc:
        raise SubmissionFileError(f"{source}: {exc}") from None
    answers = data.get("answers")
    if not isinstance(answers, Mapping):
        raise SubmissionFileError(f"{source}: missing [answers] table")
    errors = tuple(
        SubmissionError(None, f"unknown top-level key {key!r}; expected student_id and answers")
        for key in data
        if key not in _TOP_LEVEL_KEYS
    )
    return Submission(who, dict(answers), source, errors)


def _is_blank(raw: Any) -> bool:
    """An untouched template placeholder: "", [] or a table of "" only."""
    if raw == "" or raw == []:
        return True
    return isinstance(raw, Mapping) and bool(raw) and all(v == "" for v in raw.values())


def grade_submission(
    submission: Submission,
    registry: Registry,
    *,
    gradebook: Gradebook | None = None,
    secret: str | None = None,
) -> GradedSubmission:
    """Grade every answer of a submission, store the graded ones, notify observers.

    Parameters
    ----------
    submission : Submission
        From :func:`read_submission` or :func:`parse_submission`.
    registry : Registry
        The loaded exercises (:func:`grader.load_exercises`).
    gradebook : Gradebook, optional
        If given, the graded answers are stored in one transaction.
    secret : str, optional
        The course secret; ``PROBSTATS_COURSE_SECRET`` by default.

    Returns
    -------
    GradedSubmission
        Feedback per graded answer, and one error per bad part.
    """
    result = GradedSubmission(submission.student_id, submission.source, errors=list(submission.errors))
    for exercise_id, raw in submission.answers.items():
        try:
            exercise = registry.get(exercise_id)
        except UnknownExercise as exc:
            result.errors.append(SubmissionError(exercise_id, str(exc)))
            continue
        if _is_blank(raw):
            result.skipped.append(exercise_id)
            continue
        try:
            value = exercise.answer.parse(raw)
            seed = variant_seed(submission.student_id, exercise.id, secret=secret)
            try:
                params = params_for_seed(exercise, seed)
            except Exception as exc:
                raise ExerciseFailure(
                    f"exercise {exercise.id!r}: generate failed: {type(exc).__name__}: {exc}"
                ) from exc
            feedback = grade_parsed(
                exercise, value, params, student_id=submission.student_id, seed=seed, raw_answer=raw
            )
        except AnswerError as exc:
            result.errors.append(SubmissionError(exercise_id, str(exc)))
            continue
        except ExerciseFailure as exc:
            owner = registry.owner(exercise_id)
            result.errors.append(
                SubmissionError(exercise_id, f"not graded, the exercise failed (plugin {owner!r}): {exc}")
            )
            continue
        result.feedback.append(feedback)
    if gradebook is not None:
        result.attempt_id = gradebook.record(result)
    result.observer_errors = registry.notify_graded(result)
    return result
