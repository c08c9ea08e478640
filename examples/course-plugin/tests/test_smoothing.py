"""The smoothing plugin: it registers, passes `check`, and matches closed forms."""

from __future__ import annotations

import math

import probstats_smoothing
import pytest

from grader import build_registry, check_exercise, grade_answer, variant_for


@pytest.fixture(scope="module")
def registry():
    registry = build_registry(
        builtin=False, autoload=False, extra_plugins=[("probstats_smoothing", probstats_smoothing)]
    )
    assert registry.errors == []
    return registry


@pytest.mark.parametrize("exercise_id", ["smoothing.unseen_token", "smoothing.heldout_perplexity"])
def test_passes_check(registry, exercise_id: str) -> None:
    result = check_exercise(registry.get(exercise_id), n_variants=100)
    assert result.problems == []
    assert result.distinct_variants >= 60


def test_unseen_token_closed_form() -> None:
    # Counts (3, 0, 5, 2, 0 → one unseen here), α = 1, K = 5: P = α / (N + Kα) = 1 / (10 + 5).
    params = {"counts": [3, 0, 5, 2, 0], "unseen": 1, "alpha": 1.0}
    assert probstats_smoothing.UNSEEN_TOKEN.expected(params) == pytest.approx(1 / 15)


def test_heldout_perplexity_closed_form() -> None:
    # α = 0.5, counts (4, 0, 2, 2, 2): N = 10, N + Kα = 12.5; P = (4.5, 0.5, 2.5, 2.5, 2.5)/12.5.
    params = {"counts": [4, 0, 2, 2, 2], "unseen": 1, "alpha": 0.5, "text": [0, 2, 0, 3, 1]}
    probs = [4.5 / 12.5, 2.5 / 12.5, 4.5 / 12.5, 2.5 / 12.5, 0.5 / 12.5]
    expected = math.exp(-sum(math.log(p) for p in probs) / 5)
    assert probstats_smoothing.HELDOUT_PERPLEXITY.expected(params) == pytest.approx(expected)


def test_a_students_answer_is_graded(registry) -> None:
    exercise = registry.get("smoothing.unseen_token")
    params = variant_for("s1", exercise, secret="k").params
    n, k, alpha = sum(params["counts"]), len(params["counts"]), params["alpha"]
    assert grade_answer(exercise, f"{alpha}/({n} + {k}*{alpha})", student_id="s1", secret="k").score == 1.0
    wrong = grade_answer(exercise, f"{alpha}/({n} + {alpha})", student_id="s1", secret="k")
    assert wrong.misconception == "alpha_added_once"
