"""Golden grading: the built-in catalogue grades the same variants the same way, forever.

``golden/grading.json`` was written from the catalogue before it moved to
:mod:`grader.authoring`. For every registered exercise and five fixed students under a
fixed secret it holds the variant (seed and parameters), the expected answer, and the
grading outcome (score, misconception) of the expected answer, of what a student holding
each misconception would type, and of one perturbed wrong answer. A code exercise's
record holds its checks instead, and the outcomes of the outputs such functions return. Rewriting an exercise
must reproduce it exactly (floats compared to 12 significant digits); an intentional
change is regenerated with ``python -m tests.exercises.test_golden --write`` and the
reason stated in the commit message.

Dashboard links are deliberately not recorded: issue 12 changes some of them on purpose.
"""

from __future__ import annotations

import functools
import json
import math
import sys
from pathlib import Path
from typing import Any

import pytest

from grader import Choice, Code, Exercise, MultipleChoice, build_registry, grade_answer, variant_for
from grader.code_answers import CodeOutputs
from grader.grading import grade_parsed

GOLDEN = Path(__file__).parent / "golden" / "grading.json"
SECRET = "golden-secret-do-not-change"
STUDENTS = ("s001", "alice", "bob.smith", "x-42", "zz_last")
SIG_DIGITS = 12


def _rounded(value: Any) -> Any:
    """Floats to 12 significant digits, recursively, so last-bit noise does not count."""
    if isinstance(value, bool) or value is None or isinstance(value, str | int):
        return value
    if isinstance(value, float):
        return float(f"{value:.{SIG_DIGITS}g}")
    if isinstance(value, dict):
        return {str(k): _rounded(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_rounded(v) for v in value]
    raise TypeError(f"unexpected value in a golden record: {value!r}")


def _perturbed(exercise: Exercise, raw: Any) -> Any:
    """A wrong answer no misconception predicts: numbers moved by 37% (and 0.11)."""
    kind = exercise.answer
    if isinstance(kind, Choice):
        return next(o for o in kind.options if o != raw)
    if isinstance(kind, MultipleChoice):
        return sorted(set(kind.options) ^ {kind.options[0]} ^ set(raw))
    if isinstance(raw, dict):
        return {k: _perturbed(exercise, v) for k, v in raw.items()}
    if isinstance(raw, list):
        return [_perturbed(exercise, v) for v in raw]
    if isinstance(raw, bool):  # a code check's true/false output
        return not raw
    return float(raw) * 1.37 + 0.11


def _outcome(exercise: Exercise, raw: Any, student: str) -> dict[str, Any]:
    feedback = grade_answer(exercise, raw, student_id=student, secret=SECRET)
    return {"score": feedback.score, "misconception": feedback.misconception}


def _plain_outputs(value: Any) -> Any:
    """Outputs with inf and nan as text, so a stored record compares equal to a new one."""
    if isinstance(value, list):
        return [_plain_outputs(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return value


def _code_outcome(exercise: Exercise, outputs: CodeOutputs, variant: Any, student: str) -> dict[str, Any]:
    feedback = grade_parsed(exercise, outputs, variant.params, student_id=student, seed=variant.seed, raw_answer=None)
    return {
        "outputs": [_plain_outputs(r["value"]) for r in outputs.results],
        "score": feedback.score,
        "misconception": feedback.misconception,
    }


def _code_record(exercise: Exercise, student: str) -> dict[str, Any]:
    """A code exercise's record: its checks (inputs and core's outputs) and how the outputs
    of the expected function, of each misconception and of a perturbed one grade. No code
    runs: the outputs are given as the sandboxed harness would report them."""
    variant = variant_for(student, exercise, secret=SECRET)
    kind = exercise.answer
    expected = exercise.expected(variant.params)
    typed = kind.as_typed(expected)
    perturbed = CodeOutputs(tuple({"value": _perturbed(exercise, r["value"])} for r in typed.results))
    return _rounded(
        {
            "seed": variant.seed,
            "params": variant.params,
            "checks": [{"name": c.name, "args": c.args} for c in expected.checks],
            "expected_outcome": _code_outcome(exercise, typed, variant, student),
            "misconceptions": {
                m.name: _code_outcome(exercise, kind.as_typed_wrong(expected, wrong), variant, student)
                for m, wrong in exercise.wrong_answers(variant.params)
            },
            "perturbed": _code_outcome(exercise, perturbed, variant, student),
        }
    )


def _record(exercise: Exercise, student: str) -> dict[str, Any]:
    if isinstance(exercise.answer, Code):
        return _code_record(exercise, student)
    variant = variant_for(student, exercise, secret=SECRET)
    expected = exercise.expected(variant.params)
    expected_raw = exercise.answer.to_raw(expected)
    wrong = {}
    for misconception, value in exercise.wrong_answers(variant.params):
        raw = exercise.answer.wrong_raw(expected, value)
        wrong[misconception.name] = {"answer": raw, **_outcome(exercise, raw, student)}
    perturbed = _perturbed(exercise, expected_raw)
    return _rounded(
        {
            "seed": variant.seed,
            "params": variant.params,
            "expected": expected_raw,
            "expected_outcome": _outcome(exercise, expected_raw, student),
            "misconceptions": wrong,
            "perturbed": {"answer": perturbed, **_outcome(exercise, perturbed, student)},
        }
    )


def build_golden() -> dict[str, dict[str, Any]]:
    """The golden records of the current registry: exercise id -> student -> record."""
    registry = build_registry(autoload=False)
    assert registry.errors == [], registry.errors
    return {
        exercise_id: {s: _record(exercise, s) for s in STUDENTS}
        for exercise_id, exercise in registry.exercises.items()
    }


_REGISTRY = build_registry(autoload=False)


@functools.cache
def _stored() -> dict[str, dict[str, Any]]:
    data: dict[str, dict[str, Any]] = json.loads(GOLDEN.read_text(encoding="utf-8"))
    return data


def test_golden_file_covers_exactly_the_registered_exercises() -> None:
    assert sorted(_stored()) == sorted(_REGISTRY.exercises)


@pytest.mark.parametrize("exercise_id", sorted(_REGISTRY.exercises))
def test_exercise_grades_as_recorded(exercise_id: str) -> None:
    exercise = _REGISTRY.get(exercise_id)
    for student in STUDENTS:
        assert _record(exercise, student) == _stored()[exercise_id][student], (exercise_id, student)


def test_golden_records_are_not_trivial() -> None:
    # The file must exercise grading: right answers score 1, misconceptions are named.
    outcomes = [r for per in _stored().values() for r in per.values()]
    assert all(r["expected_outcome"]["score"] == 1.0 for r in outcomes)
    named = [m for r in outcomes for m in r["misconceptions"].values() if m["misconception"]]
    assert len(named) > 500
    assert all(r["perturbed"]["score"] < 1.0 for r in outcomes)


if __name__ == "__main__":
    if sys.argv[1:] != ["--write"]:
        sys.exit("usage: python -m tests.exercises.test_golden --write")
    GOLDEN.parent.mkdir(exist_ok=True)
    GOLDEN.write_text(json.dumps(build_golden(), indent=1, sort_keys=True) + "\n", encoding="utf-8")
