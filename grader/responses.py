"""A graded submission read back from its JSON form (``GradedSubmission.to_dict``).

The gradebook stores the response of an idempotent request, and a queued job's result,
as that JSON; :func:`graded_from_dict` makes the records again, so a page shows a
result graded by ``probstats worker`` exactly as one graded in its own process. Kept
apart from :mod:`grader.records`, which must stay a leaf.
"""

from __future__ import annotations

from typing import Any

from grader.answers import PartResult
from grader.records import Feedback, GradedSubmission, LoadError, SubmissionError

__all__ = ["feedback_from_dict", "graded_from_dict"]


def feedback_from_dict(data: dict[str, Any]) -> Feedback:
    """The feedback of a :meth:`Feedback.to_dict`; a withheld score and points read as 0."""
    fields = {name: value for name, value in data.items() if name in Feedback.__dataclass_fields__}
    fields["parts"] = tuple(PartResult(p["part"], p["verdict"], p["score"], p["message"]) for p in data["parts"])
    fields["withheld"] = tuple(data.get("withheld", ()))
    fields["score"] = 0.0 if data["score"] is None else data["score"]
    fields["points"] = 0.0 if data["points"] is None else data["points"]
    return Feedback(**fields)


def _load_error(text: str) -> LoadError:
    # str(LoadError) is "plugin 'name': message".
    plugin, _, message = text.removeprefix("plugin ").partition(": ")
    return LoadError(plugin.strip("'\""), message)


def graded_from_dict(data: dict[str, Any]) -> GradedSubmission:
    """The graded submission of a :meth:`GradedSubmission.to_dict` (a stored response)."""
    return GradedSubmission(
        student_id=data["student_id"],
        source=data["source"],
        feedback=[feedback_from_dict(f) for f in data["feedback"]],
        errors=[SubmissionError(e["exercise_id"], e["message"]) for e in data["errors"]],
        skipped=list(data.get("skipped", [])),
        attempt_id=data.get("attempt_id"),
        observer_errors=[_load_error(str(e)) for e in data.get("observer_errors", [])],
    )
