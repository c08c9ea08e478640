"""Issue 12 §2: no value in a sampling or MCMC link's query is (within the answer's
tolerance) a component of the expected answer, over 50 students per exercise.

A query value that is the same in every student's link (a page setting such as
``top_p=1.0``, "filter off", or the rejection tab's fixed roof) is not an input of any
one variant and says nothing about its answer, so it is left out; it may still sit near
some answer by chance (top_k=0 is within 1e-5 of a tempered probability of 5e-6).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from grader import (
    Choice,
    DashboardLink,
    Exercise,
    MultipleChoice,
    Number,
    Record,
    Vector,
    build_registry,
    variant_for,
)

REGISTRY = build_registry(autoload=False)
SECRET = "link-answers"
STUDENTS = [f"s{i:02d}" for i in range(50)]
IDS = sorted(i for i in REGISTRY.exercises if i.split(".")[0] in ("sampling", "mcmc"))


def _components(exercise: Exercise, raw: Any) -> Iterator[tuple[Any, Number | None]]:
    """The answer's components with the Number that grades each (None for a choice)."""
    kind = exercise.answer
    if isinstance(kind, Record):
        for name, number in kind.fields.items():
            yield raw[name], number
    elif isinstance(kind, Vector):
        for x in raw:
            yield x, Number(rtol=kind.rtol, atol=kind.atol)
    elif isinstance(kind, Number):
        yield raw, kind
    elif isinstance(kind, Choice | MultipleChoice):
        yield raw, None
    else:  # pragma: no cover - a new answer kind in these modules must be handled here
        raise TypeError(f"{exercise.id}: unhandled answer kind {type(kind).__name__}")


def _numbers(text: str) -> list[float]:
    out = []
    for piece in re.split(r"[,;]", text):
        try:
            out.append(float(piece))
        except ValueError:
            continue
    return out


def _query(exercise: Exercise, student: str) -> dict[str, str]:
    url = exercise.dashboard_url(variant_for(student, exercise, secret=SECRET).params)
    return dict(parse_qsl(urlsplit(url).query)) if url else {}


def _constant(exercise: Exercise) -> set[tuple[str, str]]:
    """The query's (key, value) pairs shared by every student's link."""
    queries = [set(_query(exercise, s).items()) for s in STUDENTS]
    return set.intersection(*queries)


def _leaks(exercise: Exercise, student: str, constant: set[tuple[str, str]]) -> list[str]:
    params = variant_for(student, exercise, secret=SECRET).params
    query = {k: v for k, v in _query(exercise, student).items() if (k, v) not in constant}
    raw = exercise.answer.to_raw(exercise.expected(params))
    found = []
    for value, number in _components(exercise, raw):
        for key, text in query.items():
            if number is None:
                items = {s.strip() for s in text.split(",")}
                if items == ({value} if isinstance(value, str) else set(value)):
                    found.append(f"{key}={text!r} is the answer {value!r}")
            else:
                tol = number.tolerance(float(value))
                found += [f"{key}={text!r} ≈ {value!r}" for x in _numbers(text) if abs(x - float(value)) <= tol]
    return found


def test_the_modules_have_linked_exercises() -> None:
    assert len(IDS) == 15
    assert sum(REGISTRY.get(i).dashboard_url(variant_for("s00", REGISTRY.get(i), secret=SECRET).params) is not None for i in IDS) == 15


@pytest.mark.parametrize("exercise_id", IDS)
def test_no_link_value_is_an_answer_component(exercise_id: str) -> None:
    exercise = REGISTRY.get(exercise_id)
    constant = _constant(exercise)
    leaks = {s: found for s in STUDENTS if (found := _leaks(exercise, s, constant))}
    assert leaks == {}


def test_the_check_catches_a_link_that_carries_the_answer() -> None:
    # The rejection link used to carry M to three decimals (within its 1e-3 tolerance),
    # the top-p links the nucleus mass; a link rebuilt that way is caught.
    exercise = REGISTRY.get("sampling.rejection_rate")
    old = replace(exercise, dashboard=DashboardLink("sampling", lambda p: {"rej_a": p["a"], "rej_b": p["b"], "rej_m": round(exercise.expected(p).values["m"], 3)}))
    assert all(any("rej_m" in leak for leak in _leaks(old, s, _constant(old))) for s in STUDENTS[:10])
    kept = REGISTRY.get("sampling.top_p_kept_set")
    named = replace(kept, dashboard=DashboardLink("sampling", lambda p: {"tok_names": ", ".join(kept.expected(p))}))
    assert all(_leaks(named, s, set()) for s in STUDENTS[:10])
