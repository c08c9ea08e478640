"""Submission files (TOML or JSON) and grading a whole submission.

A submission names a student and answers exercises by id::

    student_id = "s123"
    [answers]
    "interview.perplexity_from_nll" = "exp(3)"
    "interview.beta_binomial_posterior" = { alpha = 8, beta = 4, mean = "8/12", map = 0.7, mle = 0.7 }

A code exercise's answer is ``{ code = '''...''' }`` or ``{ file = "x.py" }``, a file
next to the submission (never outside its folder). The same shape in JSON:
``{"student_id": "s123", "answers": {...}}``. A file that cannot
be read at all (not a regular file, over the size limit, syntax, nested too deeply, no
student, no answers table) raises :class:`SubmissionFileError` and nothing is stored.
Otherwise every bad part (unknown exercise id, wrong type, nan, unparsable expression)
gets its own :class:`SubmissionError`, every other answer is graded (an unreadable one
as 0 points), and the graded answers are stored in one transaction.
"""

from __future__ import annotations

import json
import sys
import tomllib
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from grader.answers import AnswerError
from grader.course import Course, ExerciseRules, current_course
from grader.exercise import Exercise
from grader.files import FileRefused, max_bytes_from_env, read_bounded
from grader.grading import ExerciseFailure, grade_answer, invalid_answer
from grader.ids import check_student_id
from grader.plugins import Registry, UnknownExercise
from grader.records import Feedback, GradedSubmission, IdempotencyKey, Submission, SubmissionError
from grader.rules import apply_late, student_view

if TYPE_CHECKING:
    from grader.gradebook import Gradebook

__all__ = [
    "MAX_NESTING",
    "MAX_SUGGESTIONS",
    "GradedSubmission",
    "Submission",
    "SubmissionError",
    "SubmissionFileError",
    "decode_submission",
    "grade_submission",
    "inline_code_files",
    "parse_submission",
    "read_submission",
]

_TOP_LEVEL_KEYS = ("student_id", "answers")

#: Deepest nesting of tables and lists accepted in a submission (a record answer needs 3).
MAX_NESTING = 16
#: Unknown exercise ids per submission that get a "did you mean" suggestion; the rest
#: are reported without one, so a file of near-miss ids costs no more than a few.
MAX_SUGGESTIONS = 20


class SubmissionFileError(ValueError):
    """A submission that cannot be read at all; nothing of it is graded or stored."""


def read_submission(
    path: str | Path, *, student_id: str | None = None, max_bytes: int | None = None
) -> Submission:
    """Read a ``.toml`` or ``.json`` submission file.

    Parameters
    ----------
    path : str or Path
        The file; its suffix picks the format.
    student_id : str, optional
        The student, if the file does not say (if both do, they must agree).
    max_bytes : int, optional
        The largest file read; ``PROBSTATS_MAX_SUBMISSION_BYTES`` or 1 MB by default.
        A larger file, a folder, a FIFO or a device is refused before it is read.

    Raises
    ------
    SubmissionFileError
        If the file cannot be read at all; the message names the file.
    """
    path = Path(path)
    limit = max_bytes_from_env() if max_bytes is None else max_bytes
    try:
        data = read_bounded(path, limit)
    except FileRefused as exc:
        raise SubmissionFileError(str(exc)) from None
    suffix = path.suffix.lower()
    if suffix not in (".toml", ".json"):
        raise SubmissionFileError(f"{path}: unsupported file type {suffix or '(none)'!r}; use .toml or .json")
    decoded = decode_submission(data, suffix[1:], source=str(path))
    submission = parse_submission(decoded, source=str(path), student_id=student_id)
    return _with_code_files(submission, path.parent, limit)


def decode_submission(data: bytes, fmt: str, *, source: str) -> Any:
    """Decode a submission's bytes (``fmt`` is ``"toml"`` or ``"json"``); not yet checked.

    Raises
    ------
    SubmissionFileError
        If the bytes are not UTF-8 or not valid ``fmt``, or nest more than
        :data:`MAX_NESTING` levels; the message starts with ``source``.
    """
    if fmt not in ("toml", "json"):
        raise ValueError(f"`fmt` must be 'toml' or 'json'; got {fmt!r}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SubmissionFileError(f"{source}: cannot read the file: {exc}") from None
    what = fmt.upper()
    try:
        decoded = tomllib.loads(text) if fmt == "toml" else json.loads(text, object_pairs_hook=_no_duplicates)
    except RecursionError:
        raise SubmissionFileError(f"{source}: not valid {what}: nested too deeply") from None
    except ValueError as exc:  # decode errors, duplicate keys, integers over Python's digit limit
        reason = str(exc)
        if "integer string conversion" in reason:  # say it without Python's advice to programmers
            reason = f"an integer has more than {sys.get_int_max_str_digits()} digits"
        raise SubmissionFileError(f"{source}: not valid {what}: {reason}") from None
    if _depth(decoded) > MAX_NESTING:
        raise SubmissionFileError(f"{source}: nested more than {MAX_NESTING} levels deep")
    return decoded


def _with_code_files(submission: Submission, folder: Path, max_bytes: int) -> Submission:
    answers = inline_code_files(submission.answers, folder, max_bytes)
    return Submission(submission.student_id, answers, submission.source, submission.errors)


def inline_code_files(given: Mapping[str, Any], folder: Path, max_bytes: int) -> dict[str, Any]:
    """The answers with each ``{ file = "x.py" }`` read, relative to the submission's folder.

    The answer becomes ``{code = TEXT, file = NAME}``. A file outside the folder (by
    ``..``, an absolute path or a symbolic link), missing, not a regular file or too
    large becomes ``{file = NAME, unreadable = WHY}``: that exercise is reported as not
    read (0 points), the rest are graded. ``probstats submit`` sends code files this way.
    """
    answers = dict(given)
    base = folder.resolve()
    for exercise_id, raw in given.items():
        if not (isinstance(raw, Mapping) and set(raw) == {"file"} and isinstance(raw["file"], str)):
            continue
        name = raw["file"]
        target = (folder / name).resolve()
        if not target.is_relative_to(base):
            answers[exercise_id] = {"file": name, "unreadable": f"the file {name!r} is outside the submission's folder"}
            continue
        try:
            text = read_bounded(target, max_bytes).decode("utf-8")
        except FileRefused as exc:
            answers[exercise_id] = {"file": name, "unreadable": f"the file {name!r}: {str(exc).split(': ', 1)[-1]}"}
        except UnicodeDecodeError:
            answers[exercise_id] = {"file": name, "unreadable": f"the file {name!r} is not UTF-8 text"}
        else:
            answers[exercise_id] = {"code": text, "file": name}
    return answers


def _depth(data: Any) -> int:
    """How deeply tables and lists nest in ``data``, counted without recursion."""
    deepest = 0
    stack = [(data, 1)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, Mapping):
            children: Any = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        deepest = max(deepest, level)
        if level <= MAX_NESTING:
            stack.extend((child, level + 1) for child in children)
    return deepest


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
    try:
        file_student = None if data.get("student_id") is None else check_student_id(data["student_id"])
        given = None if student_id is None else check_student_id(student_id, "--student")
    except (TypeError, ValueError) as exc:
        raise SubmissionFileError(f"{source}: {exc}") from None
    if file_student is not None and given is not None and file_student != given:
        raise SubmissionFileError(
            f"{source}: the file says student_id {file_student!r} but --student is {given!r}"
        )
    who = given if given is not None else file_student
    if who is None:
        raise SubmissionFileError(f"{source}: missing student_id (add it to the file or pass --student)")
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
    course: Course | None = None,
    now: datetime | None = None,
    idempotency: IdempotencyKey | None = None,
) -> GradedSubmission:
    """Grade every answer of a submission under the course rules, store, notify observers.

    Parameters
    ----------
    submission : Submission
        From :func:`read_submission` or :func:`parse_submission`.
    registry : Registry
        The loaded exercises (:func:`grader.load_exercises`).
    gradebook : Gradebook, optional
        If given, the graded answers are stored in one transaction, and the attempt
        limits count the attempts stored there (without one, none are counted).
    secret : str, optional
        The course secret; the course's (:func:`grader.course_secret`) by default.
    course : Course, optional
        The rules; :func:`grader.course.current_course` by default.
    now : datetime, optional
        The time of the submission (timezone-aware); the current time by default.
    idempotency : IdempotencyKey, optional
        Stored with the graded answers in the same transaction (see
        :meth:`Gradebook.record`), so a retried request is stored once.

    Returns
    -------
    GradedSubmission
        Feedback per graded answer, and one error per bad part. An answer that cannot
        be read has its error and also a feedback of 0 points out of the exercise's, so
        the total is out of every answered exercise. An answer after its due date
        (late policy "refuse") or past its attempt limit is refused: an error naming
        the rule, nothing graded or stored for it; the other answers go on. A late
        answer's score carries the late factor. The feedback returned is what the
        student may see (:func:`grader.rules.student_view`); the gradebook and the
        ``submission_graded`` observers get all of it. At most
        :data:`MAX_SUGGESTIONS` unknown ids get a "did you mean" suggestion.
    """
    course = current_course() if course is None else course
    now = datetime.now(UTC) if now is None else now
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError(f"`now` must be a timezone-aware datetime; got {now!r}")
    secret = course.secret if secret is None else secret
    result = GradedSubmission(submission.student_id, submission.source, errors=list(submission.errors))
    used = {} if gradebook is None else gradebook.attempt_counts(submission.student_id)
    rules_of: dict[str, ExerciseRules] = {}
    suggestions = MAX_SUGGESTIONS
    for exercise_id, raw in submission.answers.items():
        try:
            exercise = registry.get(exercise_id, suggest=suggestions > 0)
        except UnknownExercise as exc:
            suggestions -= 1
            result.errors.append(SubmissionError(exercise_id, str(exc)))
            continue
        if _is_blank(raw):
            result.skipped.append(exercise_id)
            continue
        rules = course.rules_for(exercise_id)
        refusal = rules.refusal(now, used.get(exercise_id, 0))
        if refusal is not None:
            result.errors.append(SubmissionError(exercise_id, refusal))
            continue
        try:
            try:
                feedback = grade_answer(exercise, raw, student_id=submission.student_id, secret=secret)
            except AnswerError as exc:
                # Unreadable: reported, and counted as 0 out of the exercise's points.
                result.errors.append(SubmissionError(exercise_id, str(exc)))
                feedback = invalid_answer(exercise, raw, exc, student_id=submission.student_id, secret=secret)
            feedback = replace(apply_late(feedback, rules, now), link=_link(exercise, feedback))
        except Exception as exc:  # ExerciseFailure, or an answer kind's own bug
            owner = registry.owner(exercise_id)
            reason = str(exc) if isinstance(exc, ExerciseFailure) else f"{type(exc).__name__}: {exc}"
            result.errors.append(
                SubmissionError(exercise_id, f"not graded, the exercise failed (plugin {owner!r}): {reason}")
            )
            continue
        rules_of[exercise_id] = rules
        result.feedback.append(feedback)
    if gradebook is not None:
        # Counted again inside the storing transaction: two submissions racing for the
        # last attempt cannot both be stored.
        limits = {
            i: (r.attempts, r.limit_message()) for i, r in rules_of.items() if r.attempts is not None
        }
        result.attempt_id = gradebook.record(
            result,
            attempt_limits=limits,
            idempotency=idempotency,
            # A replayed request gets what the student saw, never a withheld score.
            response_of=lambda graded: replace(
                graded, feedback=[_shown(f, rules_of[f.exercise_id], now, used) for f in graded.feedback]
            ).to_dict(),
        )
    result.observer_errors = registry.notify_graded(result)
    result.feedback = [_shown(f, rules_of[f.exercise_id], now, used) for f in result.feedback]
    return result


def _link(exercise: Exercise, feedback: Feedback) -> str | None:
    """The "see it move" URL of the graded variant; None if the exercise has none or it fails."""
    try:
        return exercise.dashboard_url(feedback.params or {})
    except Exception:  # a broken link must not cost the student their grade
        return None


def _shown(feedback: Feedback, rules: ExerciseRules, now: datetime, used: Mapping[str, int]) -> Feedback:
    # This attempt counts: feedback on a first attempt is "after the first attempt".
    return student_view(feedback, rules, now, used.get(feedback.exercise_id, 0) + 1)
