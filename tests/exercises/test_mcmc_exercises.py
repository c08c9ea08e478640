"""The MCMC exercises' expected answers against scipy, closed forms and ArviZ (never core).

Well-posedness, `check` and misconception recognition run for every exercise in
test_catalogue.py."""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.stats

import exercises.mcmc as module
from grader import Exercise, build_registry, grade_answer, variant_for
from tests.reference_inputs import MCMC_SECRET

REGISTRY = build_registry(builtin=False, autoload=False, extra_plugins=[("exercises.mcmc", module)])
IDS = sorted(REGISTRY.exercises)
SECRET = MCMC_SECRET  # the frozen references (tests/data/reference_values.json) use it too


def test_registers_cleanly_with_enough_exercises() -> None:
    assert REGISTRY.errors == []
    assert set(IDS) == {
        "mcmc.converged", "mcmc.leapfrog_step", "mcmc.mh_acceptance_hastings",
        "mcmc.mh_acceptance_symmetric", "mcmc.rhat_ess", "mcmc.which_sampler",
    }


def params(exercise: Exercise, student: str) -> dict:
    return variant_for(student, exercise, secret=SECRET).params


def grade(exercise: Exercise, student: str, raw: object):
    return grade_answer(exercise, raw, student_id=student, secret=SECRET)


# ------------------------------------------------------------ independent expected values


def test_mh_symmetric_against_scipy() -> None:
    exercise = REGISTRY.get("mcmc.mh_acceptance_symmetric")
    for i in range(20):
        student = f"mh-{i}"
        p = params(exercise, student)
        target = scipy.stats.norm(p["mu"], p["sigma"])
        ratio = target.pdf(p["x_new"]) / target.pdf(p["x"])
        assert ratio < 1  # the variants propose downhill moves
        assert grade(exercise, student, float(min(1.0, ratio))).score == 1.0
        assert grade(exercise, student, float(1 / ratio)).misconception == "inverted_ratio"


def test_mh_hastings_against_scipy_lognormal() -> None:
    exercise = REGISTRY.get("mcmc.mh_acceptance_hastings")
    for i in range(20):
        student = f"mhh-{i}"
        p = params(exercise, student)
        x, y = p["x"], p["x_new"]
        target = scipy.stats.gamma(p["k"])
        # q(x' | x): log x' ~ N(log x, s²), a log-normal with scale x
        q_forward = scipy.stats.lognorm(p["s"], scale=x).pdf(y)
        q_backward = scipy.stats.lognorm(p["s"], scale=y).pdf(x)
        alpha = min(1.0, target.pdf(y) * q_backward / (target.pdf(x) * q_forward))
        assert grade(exercise, student, float(alpha)).score == 1.0
        plain = min(1.0, target.pdf(y) / target.pdf(x))
        assert grade(exercise, student, float(plain)).misconception == "no_hastings_correction"
        # for this proposal the Hastings factor is x'/x
        assert q_backward / q_forward == pytest.approx(y / x)


def test_leapfrog_by_hand() -> None:
    exercise = REGISTRY.get("mcmc.leapfrog_step")
    for i in range(20):
        student = f"lf-{i}"
        p = params(exercise, student)
        eps = p["eps"]

        def grad(q: float, p: dict = p) -> float:
            return -(q - p["mu"]) / p["sigma"] ** 2

        half = p["p"] + eps / 2 * grad(p["q"])
        q1 = p["q"] + eps * half
        p1 = half + eps / 2 * grad(q1)
        assert grade(exercise, student, {"q": q1, "p": p1}).score == 1.0
        full = p["p"] + eps * grad(p["q"])
        feedback = grade(exercise, student, {"q": p["q"] + eps * full, "p": full})
        assert feedback.misconception == "full_step_momentum_first"


def test_leapfrog_course_numbers() -> None:
    # N(0, 1), q = 1, p = 0, ε = 0.5: p½ = −0.25, q₁ = 0.875, p₁ = −0.25 − 0.25·0.875.
    value = REGISTRY.get("mcmc.leapfrog_step").expected({"mu": 0, "sigma": 1.0, "q": 1.0, "p": 0.0, "eps": 0.5})
    assert value.values == pytest.approx({"q": 0.875, "p": -0.46875})


def test_rhat_and_ess_against_arviz() -> None:
    az = pytest.importorskip("arviz")
    exercise = REGISTRY.get("mcmc.rhat_ess")
    for i in range(8):
        student = f"diag-{i}"
        chains = np.array(params(exercise, student)["chains"])
        rhat = float(az.rhat(chains, method="rank"))
        ess = float(az.ess(chains, method="bulk"))
        assert grade(exercise, student, {"rhat": rhat, "ess_bulk": ess}).score == 1.0
        assert grade(exercise, student, {"rhat": rhat, "ess_bulk": 200}).misconception == "counted_draws"


def test_converged_against_arviz_and_balanced() -> None:
    az = pytest.importorskip("arviz")
    exercise = REGISTRY.get("mcmc.converged")
    verdicts = []
    for i in range(30):
        student = f"conv-{i}"
        chains = np.array(params(exercise, student)["chains"])
        verdict = "converged" if float(az.rhat(chains, method="rank")) < 1.01 else "not converged"
        assert grade(exercise, student, verdict).score == 1.0
        verdicts.append(verdict)
    # both answers occur: a student cannot pass by always giving the same one
    assert 5 <= verdicts.count("converged") <= 25


def test_chains_are_small_and_clear_of_the_threshold() -> None:
    az = pytest.importorskip("arviz")
    exercise = REGISTRY.get("mcmc.rhat_ess")
    for i in range(30):
        chains = np.array(params(exercise, f"thr-{i}")["chains"])
        assert chains.shape == (4, 50)
        assert abs(float(az.rhat(chains, method="rank")) - 1.01) > 0.003


# The right sampler for each scenario, written out independently of the module's table.
EXPECTED_SAMPLER = {
    "correlated_gaussian": "nuts",
    "high_dim_regression": "nuts",
    "funnel": "nuts_noncentred",
    "rejection_high_dim": "nuts",
    "discrete_latent": "gibbs",
    "one_dim_bounded": "rejection",
    "black_box": "metropolis",
}
CLASSIC_CONFUSION = {
    "correlated_gaussian": "gibbs",
    "high_dim_regression": "metropolis",
    "funnel": "nuts",
    "rejection_high_dim": "rejection",
    "discrete_latent": "nuts",
    "one_dim_bounded": "metropolis",
    "black_box": "nuts",
}


def test_which_sampler_table_and_pool() -> None:
    exercise = REGISTRY.get("mcmc.which_sampler")
    seen = set()
    for i in range(200):
        student = f"ws-{i}"
        p = params(exercise, student)
        seen.add(p["scenario"])
        if i < 40:
            assert grade(exercise, student, EXPECTED_SAMPLER[p["scenario"]]).score == 1.0
            feedback = grade(exercise, student, CLASSIC_CONFUSION[p["scenario"]])
            assert feedback.misconception == "classic_confusion"
    assert seen == set(EXPECTED_SAMPLER)  # every scenario of the pool is used


def test_mh_rejects_outside_support_and_ratio_formula() -> None:
    # A closed form through the exercise: μ = 0, σ = 2, x = 1 → x' = 3:
    # exp(−(9 − 1)/8) = e^{−1}.
    value = REGISTRY.get("mcmc.mh_acceptance_symmetric").expected({"mu": 0, "sigma": 2.0, "x": 1.0, "x_new": 3.0})
    assert value == pytest.approx(math.exp(-1.0))


@pytest.mark.parametrize("exercise_id", ["mcmc.rhat_ess", "mcmc.converged"])
def test_prompts_say_which_rhat_and_its_tolerance(exercise_id: str) -> None:
    exercise = REGISTRY.get(exercise_id)
    prompt = exercise.render_prompt(variant_for("s1", exercise, secret=SECRET).params)
    assert "the larger of its bulk and folded (tail) versions" in prompt
    assert "`arviz.rhat`" in prompt
    if exercise_id == "mcmc.rhat_ess":
        assert "±0.0005" in prompt and exercise.answer.fields["rhat"].atol == 5e-4
    else:
        assert "at least 0.004 away from 1.01" in prompt
