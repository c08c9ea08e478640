"""The built-in exercises: reference values from the course and from scipy, and `check`."""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.special
import scipy.stats

from grader import build_registry, check_exercise, grade_answer, variant_for

REGISTRY = build_registry()


def expected(exercise_id: str, params: dict) -> object:
    return REGISTRY.get(exercise_id).expected(params)


@pytest.mark.parametrize("exercise_id", sorted(REGISTRY.exercises))
def test_every_builtin_passes_check(exercise_id: str) -> None:
    result = check_exercise(REGISTRY.get(exercise_id), n_variants=100)
    assert result.problems == []
    assert result.distinct_variants >= 60  # different students mostly differ


def test_at_least_six_exercises_over_three_topics() -> None:
    assert len(REGISTRY.exercises) >= 6
    assert len(REGISTRY.topics()) >= 3


class TestQ3Perplexity:
    def test_course_value(self) -> None:
        # Course, Q3: NLL 3.0 nats -> PPL = e^3.0 ≈ 20.1.
        assert expected("interview.perplexity_from_nll", {"nll": 3.0}) == pytest.approx(math.exp(3.0))
        assert round(float(expected("interview.perplexity_from_nll", {"nll": 3.0})), 1) == 20.1

    def test_three_significant_figures_pass_two_get_a_hint(self) -> None:
        exercise = REGISTRY.get("interview.perplexity_from_nll")

        def two_figures_is_imprecise(nll: float) -> bool:
            # Rounded to 2 figures, the answer misses the 3-figure half-unit but lies within
            # 10 tolerances: the "imprecise" band (tolerance = max(rtol*|e|, half-unit)).
            exact = math.exp(nll)
            half_unit = 0.5 * 10 ** (math.floor(math.log10(exact)) - 2)
            tol = max(1e-3 * exact, half_unit)
            return tol < abs(float(f"{exact:.2g}") - exact) <= 10 * tol

        student = next(
            s for s in (f"s{i}" for i in range(500))
            if two_figures_is_imprecise(variant_for(s, exercise, secret="k").params["nll"])
        )
        exact = math.exp(variant_for(student, exercise, secret="k").params["nll"])
        assert grade_answer(exercise, float(f"{exact:.3g}"), student_id=student, secret="k").score == 1.0
        feedback = grade_answer(exercise, float(f"{exact:.2g}"), student_id=student, secret="k")
        assert feedback.parts[0].verdict == "imprecise"
        assert feedback.message == "Incorrect. Close, but not precise enough: give at least 3 significant figures."

    def test_bits_for_nats_is_recognised(self) -> None:
        exercise = REGISTRY.get("interview.perplexity_from_nll")
        nll = variant_for("s1", exercise, secret="k").params["nll"]
        feedback = grade_answer(exercise, f"2**{nll}", student_id="s1", secret="k")
        assert feedback.misconception == "bits_for_nats"


class TestQ6BetaBinomial:
    def test_course_worked_example(self) -> None:
        # Course, Q6: Beta(1,1) + 7H/3T -> Beta(8, 4), mean 8/12, MAP 7/10, MLE 7/10.
        value = expected("interview.beta_binomial_posterior", {"heads": 7, "tails": 3})
        assert value.values == pytest.approx({"alpha": 8, "beta": 4, "mean": 8 / 12, "map": 0.7, "mle": 0.7})

    def test_against_scipy(self) -> None:
        value = expected("interview.beta_binomial_posterior", {"heads": 2, "tails": 9}).values
        posterior = scipy.stats.beta(3, 10)
        assert value["mean"] == pytest.approx(posterior.mean())
        mode = scipy.optimize.minimize_scalar(lambda x: -posterior.pdf(x), bounds=(0, 1), method="bounded").x
        assert value["map"] == pytest.approx(mode, abs=1e-5)

    def test_mle_for_mean_is_recognised(self) -> None:
        exercise = REGISTRY.get("interview.beta_binomial_posterior")
        p = variant_for("s2", exercise, secret="k").params
        h, t = p["heads"], p["tails"]
        answer = {"alpha": 1 + h, "beta": 1 + t, "mean": h / (h + t), "map": h / (h + t), "mle": h / (h + t)}
        feedback = grade_answer(exercise, answer, student_id="s2", secret="k")
        assert feedback.score == pytest.approx(0.8)
        assert feedback.misconception == "mle_for_mean"


class TestInformation:
    def test_entropy_bits_against_scipy(self) -> None:
        counts = [1, 2, 3, 4]
        reference = scipy.stats.entropy(np.array(counts) / 10, base=2)
        assert expected("information.entropy_bits", {"counts": counts}) == pytest.approx(reference)

    def test_kl_against_rel_entr(self) -> None:
        p, q = np.array([1, 2, 3]) / 6, np.array([3, 2, 1]) / 6
        reference = scipy.special.rel_entr(p, q).sum()
        assert expected("information.kl_divergence", {"p": [1, 2, 3], "q": [3, 2, 1]}) == pytest.approx(reference)


class TestMoments:
    def test_variance_against_scipy(self) -> None:
        values, weights = [-1, 2, 5], [1, 2, 3]
        reference = scipy.stats.rv_discrete(values=(values, np.array(weights) / 6)).var()
        assert expected("moments.variance_discrete", {"values": values, "weights": weights}) == pytest.approx(reference)

    def test_larger_variance(self) -> None:
        # A = {0, 10} equally likely (variance 25); B = {4, 5, 6} (variance 2/3).
        params = {"a_values": [0, 10, 11], "a_weights": [1, 1, 0], "b_values": [4, 5, 6], "b_weights": [1, 1, 1]}
        assert expected("moments.larger_variance", params) == "A"


class TestSampling:
    def test_top_p_by_hand(self) -> None:
        # Sorted 0.4, 0.3, 0.2, 0.1 with p = 0.6: 0.4 < 0.6, 0.4 + 0.3 >= 0.6 -> keep two, renormalise.
        value = expected("sampling.top_p_filter", {"probs": [0.4, 0.3, 0.2, 0.1], "p": 0.6})
        assert value == pytest.approx([0.4 / 0.7, 0.3 / 0.7, 0.0, 0.0])
