"""``probstats check``: run an exercise's own code over many variants and report problems.

For each of ``n_variants`` synthetic students an exercise must: draw the same parameters
twice from the same seed (determinism), give JSON-friendly parameters, render its prompt,
solve, have its reference solution score 1.0 when graded like a student's answer, have
each misconception recognised with its own name and score below 1, and build its
dashboard link.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from grader.exercise import Exercise
from grader.grading import grade_answer
from grader.variants import params_for_seed, variant_seed

__all__ = ["CHECK_SECRET", "CheckResult", "check_exercise"]

#: A fixed secret, so ``check`` explores the same variants on every run.
CHECK_SECRET = "probstats-check"


@dataclass
class CheckResult:
    """The outcome of checking one exercise."""

    exercise_id: str
    variants: int
    distinct_variants: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "ok": self.ok}


def check_exercise(exercise: Exercise, *, n_variants: int = 20, secret: str = CHECK_SECRET) -> CheckResult:
    """Check ``exercise`` on the variants of ``n_variants`` synthetic students.

    Parameters
    ----------
    exercise : Exercise
        The exercise to check.
    n_variants : int
        How many students' variants to try (students ``check-0``, ``check-1``, ...).
    secret : str
        The course secret used for the synthetic students.

    Returns
    -------
    CheckResult
        ``problems`` lists each failure as ``"variant i: ..."``; empty when all pass.
    """
    if isinstance(n_variants, bool) or not isinstance(n_variants, int) or n_variants < 1:
        raise ValueError(f"`n_variants` must be an integer >= 1; got {n_variants!r}")
    result = CheckResult(exercise.id, n_variants)
    seen: set[str] = set()
    for i in range(n_variants):
        student = f"check-{i}"
        try:
            _check_variant(exercise, student, secret, seen)
        except _Problem as problem:
            result.problems.append(f"variant {i}: {problem}")
        except Exception as exc:
            result.problems.append(f"variant {i}: {type(exc).__name__}: {exc}")
    result.distinct_variants = len(seen)
    return result


class _Problem(Exception):
    pass


def _check_variant(exercise: Exercise, student: str, secret: str, seen: set[str]) -> None:
    seed = variant_seed(student, exercise.id, secret=secret)
    params = params_for_seed(exercise, seed)
    if params != params_for_seed(exercise, seed):
        raise _Problem("generate is not deterministic: the same seed gave different parameters")
    try:
        seen.add(json.dumps(params, sort_keys=True, allow_nan=False))
    except (TypeError, ValueError) as exc:
        raise _Problem(f"the parameters are not JSON-friendly: {exc}") from None
    prompt = exercise.render_prompt(params)
    if not isinstance(prompt, str) or not prompt.strip():
        raise _Problem("the prompt renders empty")
    expected = exercise.expected(params)
    reference = grade_answer(exercise, exercise.answer.to_raw(expected), student_id=student, secret=secret)
    if reference.score != 1.0:
        raise _Problem(f"the reference solution scores {reference.score:g}, not 1.0")
    for misconception, wrong in exercise.wrong_answers(params):
        raw = exercise.answer.wrong_raw(expected, wrong)
        feedback = grade_answer(exercise, raw, student_id=student, secret=secret)
        if feedback.score == 1.0:
            raise _Problem(f"misconception {misconception.name!r} gives the correct answer (score 1.0)")
        if feedback.misconception != misconception.name:
            raise _Problem(
                f"misconception {misconception.name!r} is not recognised "
                f"(recognised: {feedback.misconception!r})"
            )
        if feedback.misconception_feedback != misconception.feedback:
            raise _Problem(f"misconception {misconception.name!r}: its feedback is not shown")
    exercise.dashboard_url(params)
