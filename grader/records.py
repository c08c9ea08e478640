"""The grader's records: plain data passed between grading, the gradebook, plugins and the CLI.

A leaf module: it imports nothing else of the grader at run time, so the gradebook,
the hook specifications and the plugin loader can all use these classes without
importing one another. ``from grader import Feedback`` (and the rest) keeps working.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from grader.answers import PartResult

__all__ = [
    "Feedback",
    "GradedSubmission",
    "IdempotencyKey",
    "LoadError",
    "Submission",
    "SubmissionError",
]

#: Feedback fields kept out of ``to_dict`` (the ``--json`` output and the stored
#: feedback): the gradebook stores them in columns of their own.
_STORED_APART = ("params", "generator_version")


@dataclass(frozen=True)
class Feedback:
    """The result of grading one answer to one exercise.

    ``score`` is in [0, 1] and ``points = score * max_points``. ``misconception`` is the
    name of the recognised misconception (its ``misconception_feedback`` names the
    mistake) or None. ``expected`` is the expected answer as a student would type it,
    rounded to the answer's precision (:meth:`AnswerKind.shown`), only when the
    exercise's reveal policy allows; otherwise None. ``params`` and
    ``generator_version`` say which variant was graded (stored beside the seed); an
    answer that could not be read has the verdict ``"invalid"`` and scores 0.

    The course rules (:mod:`grader.course`) add: ``late_factor``, the factor a late
    attempt's score was multiplied by (None when on time); ``link``, the "see it move"
    dashboard URL with the student's numbers; ``withheld``, what the reveal rules kept
    from the student ("answers", "scores", "links"), the message saying when it will
    be shown. With "scores" withheld, ``to_dict`` gives None for score and points.
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
    params: dict[str, Any] | None = None
    generator_version: int | None = None
    late_factor: float | None = None
    link: str | None = None
    withheld: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """A JSON-friendly dict (parts as dicts), without the variant's parameters."""
        # Built by hand: dataclasses.asdict deep-copies and is the grader's hot spot.
        data = {
            name: value for name, value in vars(self).items() if name not in _STORED_APART
        }
        data["parts"] = [
            {"part": p.part, "verdict": p.verdict, "score": p.score, "message": p.message}
            for p in self.parts
        ]
        data["withheld"] = list(self.withheld)
        if "scores" in self.withheld:
            data["score"] = data["points"] = None
        return data


@dataclass(frozen=True)
class IdempotencyKey:
    """A client's key for one request: a retry with the same key is stored once.

    ``request_hash`` (SHA-256 of the request body) tells a retry from a different
    request that reuses the key.
    """

    member_id: str
    key: str
    request_hash: str


@dataclass(frozen=True)
class LoadError:
    """A plugin that could not be (fully) loaded, and why."""

    plugin: str
    message: str

    def __str__(self) -> str:
        return f"plugin {self.plugin!r}: {self.message}"


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
    """The outcome of grading a submission: feedback per graded answer and the bad parts.

    An answer that could not be read is in ``errors`` and also in ``feedback`` (0 points
    out of its maximum), so totals and exports count it.
    """

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
    def scores_withheld(self) -> bool:
        """True when the course's reveal rules keep any of these scores from the student."""
        return any("scores" in f.withheld for f in self.feedback)

    @property
    def max_points(self) -> float:
        return sum(f.max_points for f in self.feedback)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-friendly dict."""
        return {
            "student_id": self.student_id,
            "source": self.source,
            "attempt_id": self.attempt_id,
            "points": None if self.scores_withheld else self.points,
            "max_points": self.max_points,
            "feedback": [f.to_dict() for f in self.feedback],
            "errors": [{"exercise_id": e.exercise_id, "message": e.message} for e in self.errors],
            "skipped": list(self.skipped),
            "observer_errors": [str(e) for e in self.observer_errors],
        }
