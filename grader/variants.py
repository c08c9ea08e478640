"""Personal variants: a student's parameters are a pure function of (secret, student, exercise).

The seed is the first 63 bits of ``HMAC-SHA256(course secret, student id, exercise id)``;
the parameters are ``exercise.generate(np.random.default_rng(seed))``. The sheet, the web
page and the grader all call :func:`variant_for`, so they always agree, and a student
cannot compute another student's variant without the course secret.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

import numpy as np

from grader.course import DEFAULT_SECRET, SECRET_ENV, current_course
from grader.exercise import Exercise, Params, to_plain
from grader.ids import check_student_id

__all__ = [
    "DEFAULT_SECRET",
    "SECRET_ENV",
    "Variant",
    "check_student_id",
    "course_secret",
    "variant_for",
    "variant_seed",
]



def course_secret() -> str:
    """The course secret: ``course.toml``'s (see :mod:`grader.course`), else
    ``PROBSTATS_COURSE_SECRET``, else :data:`DEFAULT_SECRET`."""
    return current_course().secret


def variant_seed(student_id: str, exercise_id: str, *, secret: str | None = None) -> int:
    """The 63-bit seed of a student's variant of an exercise.

    Parameters
    ----------
    student_id, exercise_id : str
        Who and what.
    secret : str, optional
        The course secret; :func:`course_secret` by default.

    Returns
    -------
    int
        In ``[0, 2**63)``, so it fits a signed 64-bit database column.

    Notes
    -----
    ``seed = int(HMAC-SHA256(secret, student_id + "\\x1f" + exercise_id)[:8]) >> 1``.
    The unit separator keeps ``("a.b", "c")`` and ``("a", "b.c")`` apart.

    Examples
    --------
    >>> variant_seed("s1", "interview.perplexity_from_nll", secret="x") == variant_seed(
    ...     "s1", "interview.perplexity_from_nll", secret="x")
    True
    """
    student_id = check_student_id(student_id)
    key = (course_secret() if secret is None else secret).encode()
    message = f"{student_id}\x1f{exercise_id}".encode()
    digest = hmac.new(key, message, hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big") >> 1


@dataclass(frozen=True)
class Variant:
    """A student's variant: its seed and the parameters drawn from it."""

    seed: int
    params: Params


def variant_for(student_id: str, exercise: Exercise, *, secret: str | None = None) -> Variant:
    """The variant of ``exercise`` for ``student_id``: seed and parameters.

    Parameters
    ----------
    student_id : str
        The student.
    exercise : Exercise
        The exercise.
    secret : str, optional
        The course secret; :func:`course_secret` by default.

    Returns
    -------
    Variant
        ``params = exercise.generate(np.random.default_rng(seed))`` as plain Python values.
    """
    seed = variant_seed(student_id, exercise.id, secret=secret)
    return Variant(seed, params_for_seed(exercise, seed))


def params_for_seed(exercise: Exercise, seed: int) -> Params:
    """The parameters drawn from a given seed (plain Python values)."""
    params = to_plain(exercise.generate(np.random.default_rng(seed)))
    if not isinstance(params, dict):
        raise TypeError(f"exercise {exercise.id!r}: generate(rng) must return a dict; got {type(params).__name__}")
    return params
