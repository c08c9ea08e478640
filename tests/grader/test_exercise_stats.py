"""Gradebook.exercise_stats: attempts, students, mean scores and misconception shares.

Two small exercises of the test's own, so the expected numbers follow by hand from the
answers each test submits: "demo.double" (answer 2x; misconceptions x/2 and x²) and
"demo.sum_product" (a record of a + b and a·b, one point per field; misconception: the
sum given as the product).
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from grader import (
    ExerciseStats,
    Gradebook,
    Misconception,
    Number,
    Record,
    build_registry,
    grade_submission,
    hookimpl,
    parse_submission,
    variant_for,
)
from tests.grader.helpers import doubling

DOUBLE = doubling(
    misconceptions=(
        Misconception("halved", "You halved it.", lambda p: p["x"] / 2),
        Misconception("squared", "You squared it.", lambda p: p["x"] ** 2),
    )
)
SUM_PRODUCT = doubling(
    "demo.sum_product",
    generate=lambda rng: {"a": int(rng.integers(3, 100)), "b": int(rng.integers(3, 100))},
    prompt="a = {a}, b = {b}: give a + b and a·b.",
    solve=lambda p: {"sum": p["a"] + p["b"], "product": p["a"] * p["b"]},
    answer=Record({"sum": Number(rtol=1e-9), "product": Number(rtol=1e-9)}),
    points=2.0,
    misconceptions=(Misconception("sum_for_product", "That is the sum.", lambda p: {"product": p["a"] + p["b"]}),),
)


@hookimpl
def register_exercises(register):
    register(DOUBLE)
    register(SUM_PRODUCT)


REGISTRY = build_registry(
    builtin=False, autoload=False, plugins_dir="", extra_plugins=[("demo", SimpleNamespace(register_exercises=register_exercises))]
)
SECRET = "k"


def submit(book: Gradebook, student: str, exercise_id: str, answer: object) -> None:
    submission = parse_submission({"student_id": student, "answers": {exercise_id: answer}}, source="test")
    result = grade_submission(submission, REGISTRY, gradebook=book, secret=SECRET)
    assert result.errors == []


def x_of(student: str) -> int:
    x = variant_for(student, DOUBLE, secret=SECRET).params["x"]
    assert x > 2  # x = 2 would make x² the right answer
    return x


def record_of(student: str) -> dict[str, int]:
    p = variant_for(student, SUM_PRODUCT, secret=SECRET).params
    return {"sum": p["a"] + p["b"], "product": p["a"] * p["b"]}  # a, b >= 3: a·b != a + b


@pytest.fixture
def book(tmp_path: Path) -> Gradebook:
    gradebook = Gradebook(f"sqlite:///{tmp_path / 'gb.db'}")
    yield gradebook
    gradebook.close()


def test_registry_loaded() -> None:
    assert REGISTRY.errors == []


def test_empty_gradebook_has_no_stats(book: Gradebook) -> None:
    assert book.exercise_stats() == []


def test_stats_per_exercise(book: Gradebook) -> None:
    submit(book, "alice", "demo.double", 2 * x_of("alice"))  # right: 1
    submit(book, "alice", "demo.double", x_of("alice") / 2)  # halved: 0
    submit(book, "bob", "demo.double", x_of("bob") / 2)  # halved: 0
    submit(book, "bob", "demo.double", x_of("bob") ** 2)  # squared: 0
    right = record_of("carol")
    submit(book, "carol", "demo.sum_product", {**right, "product": right["sum"]})  # 1 of 2 fields
    submit(book, "carol", "demo.sum_product", right)  # right: 1

    double, sum_product = book.exercise_stats()  # sorted by id
    assert double == ExerciseStats(
        exercise_id="demo.double",
        students=2,
        attempts=4,
        mean_score=pytest.approx((1 + 0 + 0 + 0) / 4),
        mean_best_score=pytest.approx((1 + 0) / 2),
        max_points=1.0,
        misconceptions={"halved": 2, "squared": 1},
    )
    assert list(double.misconceptions) == ["halved", "squared"]  # most frequent first
    assert double.misconception_shares() == {"halved": 2 / 4, "squared": 1 / 4}
    assert (sum_product.students, sum_product.attempts, sum_product.max_points) == (1, 2, 2.0)
    assert sum_product.mean_score == pytest.approx((1 / 2 + 1) / 2)
    assert sum_product.mean_best_score == pytest.approx(1.0)
    assert sum_product.misconception_shares() == {"sum_for_product": 1 / 2}


def test_misconception_ties_are_ordered_by_name(book: Gradebook) -> None:
    submit(book, "dan", "demo.double", x_of("dan") ** 2)  # squared
    submit(book, "dan", "demo.double", x_of("dan") / 2)  # halved
    (double,) = book.exercise_stats()
    assert list(double.misconceptions.items()) == [("halved", 1), ("squared", 1)]
    assert (double.mean_score, double.mean_best_score) == (0.0, 0.0)
