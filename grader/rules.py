"""Applying a course's rules to graded feedback: the late factor and what a student may see.

:func:`grader.submissions.grade_submission` is the one caller on the grading path (the
CLI, the Exercises page and the API all go through it): it refuses an attempt with
:meth:`grader.course.ExerciseRules.refusal`, scales a late one with :func:`apply_late`,
stores the full feedback, and hands back :func:`student_view` of it. Code that shows
stored feedback again (a history, the API) calls :func:`student_view` too.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from grader.course import ExerciseRules
from grader.records import Feedback

__all__ = ["apply_late", "student_view"]


def apply_late(feedback: Feedback, rules: ExerciseRules, now: datetime) -> Feedback:
    """``feedback`` with the late factor applied to score and points, and said in the message.

    On-time feedback (or a course without a late factor) comes back unchanged.
    """
    factor = rules.late_factor(now)
    if factor is None:
        return feedback
    assert rules.due is not None  # a late factor needs a due date
    note = (
        f"Late (due {rules.due.isoformat()}): the score is multiplied by {factor:g} "
        f"({rules.rule('late')} = {factor:g})."
    )
    return replace(
        feedback,
        score=feedback.score * factor,
        points=feedback.points * factor,
        late_factor=factor,
        message=f"{feedback.message} {note}",
    )


def student_view(feedback: Feedback, rules: ExerciseRules, now: datetime, attempts: int) -> Feedback:
    """What the student may see of ``feedback`` now, under the course's reveal rules.

    Parameters
    ----------
    feedback : Feedback
        The full feedback (as stored).
    rules : ExerciseRules
        The exercise's rules (:meth:`grader.course.Course.rules_for`).
    now : datetime
        The time (timezone-aware).
    attempts : int
        The student's graded attempts at the exercise, including this one.

    Returns
    -------
    Feedback
        With ``withheld`` naming what was taken out ("answers", "scores", "links") and
        the message saying when it will be shown. A withheld score takes the score,
        points, per-part verdicts and recognised misconception with it (each would give
        the score away); score and points read 0 and ``to_dict`` gives None for them.
    """
    withheld: list[str] = []
    notes: list[str] = []
    changes: dict[str, object] = {}
    if not rules.reveals("scores", now, attempts):
        withheld.append("scores")
        notes.append(rules.reveal_note("scores"))
        changes.update(score=0.0, points=0.0, parts=(), misconception=None, misconception_feedback=None)
    if feedback.expected is not None and not rules.reveals("answers", now, attempts):
        withheld.append("answers")
        notes.append(rules.reveal_note("answers"))
        changes["expected"] = None
    if feedback.link is not None and not rules.reveals("links", now, attempts):
        withheld.append("links")
        notes.append(rules.reveal_note("links"))
        changes["link"] = None
    if not withheld:
        return feedback
    head = "Stored." if "scores" in withheld else feedback.message
    if "scores" in withheld and feedback.late_factor is not None:
        head += f" Late: the score is multiplied by {feedback.late_factor:g}."
    return replace(feedback, message=" ".join([head, *notes]), withheld=tuple(withheld), **changes)  # type: ignore[arg-type]
