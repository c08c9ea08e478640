"""The Fisher-information exercises' expected answers against closed forms and scipy (never core).

Well-posedness, `check` and misconception recognition run for every exercise in
test_catalogue.py."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.special
import scipy.stats

import exercises.fisher as module
from grader import Exercise, build_registry, grade_answer, variant_for

REGISTRY = build_registry(builtin=False, autoload=False, extra_plugins=[("exercises.fisher", module)])
IDS = sorted(REGISTRY.exercises)
SECRET = "test-fisher"


def test_registers_cleanly_with_enough_exercises() -> None:
    assert REGISTRY.errors == []
    assert len(IDS) >= 6


def params(exercise: Exercise, student: str) -> dict:
    return variant_for(student, exercise, secret=SECRET).params


def grade(exercise: Exercise, student: str, raw: object):
    return grade_answer(exercise, raw, student_id=student, secret=SECRET)


# ------------------------------------------------------------ independent expected values


def test_bernoulli_closed_form_and_score_variance() -> None:
    exercise = REGISTRY.get("fisher.bernoulli")
    for i in range(20):
        student = f"bern-{i}"
        prob = params(exercise, student)["p"]
        # F(p) = Var(score) with score x/p − (1−x)/(1−p): p(1/p)² + (1−p)(1/(1−p))² = 1/(p(1−p))
        fisher = prob * (1 / prob) ** 2 + (1 - prob) * (1 / (1 - prob)) ** 2
        assert fisher == pytest.approx(1 / (prob * (1 - prob)))
        assert grade(exercise, student, fisher).score == 1.0
        assert grade(exercise, student, prob * (1 - prob)).misconception == "variance_for_information"


def test_gaussian_closed_form_by_numerical_curvature() -> None:
    # F = −E[∇² log p]: the expected Hessian of scipy's log-density, by central differences
    # on a fine Gauss–Hermite quadrature of x (exact for these polynomial integrands).
    exercise = REGISTRY.get("fisher.gaussian")
    nodes, weights = np.polynomial.hermite_e.hermegauss(20)
    weights = weights / weights.sum()
    for i in range(5):
        student = f"gauss-{i}"
        p = params(exercise, student)
        mu, sigma, h = p["mu"], p["sigma"], 1e-4
        x = mu + sigma * nodes

        def logpdf(m: float, s: float, x: np.ndarray = x) -> np.ndarray:
            return scipy.stats.norm.logpdf(x, m, s)

        f_mu = -weights @ (logpdf(mu + h, sigma) - 2 * logpdf(mu, sigma) + logpdf(mu - h, sigma)) / h**2
        f_sigma = -weights @ (logpdf(mu, sigma + h) - 2 * logpdf(mu, sigma) + logpdf(mu, sigma - h)) / h**2
        assert f_mu == pytest.approx(1 / sigma**2, rel=1e-4)
        assert f_sigma == pytest.approx(2 / sigma**2, rel=1e-4)
        assert grade(exercise, student, {"f_mu": float(f_mu), "f_sigma": float(f_sigma)}).score == 1.0


def test_categorical_closed_form() -> None:
    exercise = REGISTRY.get("fisher.categorical")
    for i in range(20):
        student = f"cat-{i}"
        p1, p2, p3 = params(exercise, student)["probs"]
        # E[score scoreᵀ] with the score e_x/p_x (x = 1, 2) and −(1, 1)/p₃ (x = 3)
        scores = [np.array([1 / p1, 0.0]), np.array([0.0, 1 / p2]), np.array([-1 / p3, -1 / p3])]
        fisher = sum(w * np.outer(s, s) for w, s in zip((p1, p2, p3), scores, strict=True))
        answer = {"f11": fisher[0, 0], "f12": fisher[0, 1], "f22": fisher[1, 1]}
        assert grade(exercise, student, answer).score == 1.0
        feedback = grade(exercise, student, {"f11": 1 / p1, "f12": 0, "f22": 1 / p2})
        assert feedback.misconception == "forgot_last_category"


def test_cramer_rao_bernoulli_closed_form() -> None:
    exercise = REGISTRY.get("fisher.cramer_rao_bernoulli")
    for i in range(20):
        student = f"crb-{i}"
        p = params(exercise, student)
        bound = p["p"] * (1 - p["p"]) / p["n"]
        assert grade(exercise, student, bound).score == 1.0
        assert grade(exercise, student, p["p"] * (1 - p["p"])).misconception == "forgot_n"


def test_cramer_rao_bernoulli_attained_by_binomial_share() -> None:
    # The share of heads is unbiased with variance exactly p(1−p)/n (scipy's binomial).
    p = {"p": 0.3, "n": 50}
    value = REGISTRY.get("fisher.cramer_rao_bernoulli").expected(p)
    assert value == pytest.approx(scipy.stats.binom(50, 0.3).var() / 50**2)


def test_cramer_rao_gaussian_closed_form() -> None:
    exercise = REGISTRY.get("fisher.cramer_rao_gaussian")
    for i in range(20):
        student = f"crg-{i}"
        p = params(exercise, student)
        s2, n = p["sigma"] ** 2, p["n"]
        assert grade(exercise, student, {"mu": s2 / n, "sigma": s2 / (2 * n)}).score == 1.0
        feedback = grade(exercise, student, {"mu": p["sigma"] / n, "sigma": p["sigma"] / (2 * n)})
        assert feedback.misconception == "sigma_for_variance"


def test_natural_gradient_gaussian_by_hand() -> None:
    exercise = REGISTRY.get("fisher.natural_gradient_gaussian")
    for i in range(20):
        student = f"ngg-{i}"
        p = params(exercise, student)
        m, v, mu, sigma, lr = p["mean"], p["sd"] ** 2, p["mu0"], p["sigma0"], p["lr"]
        # ∂L/∂μ = (μ − m)/σ², ∂L/∂σ = 1/σ − ((m − μ)² + v)/σ³; F⁻¹ = diag(σ², σ²/2)
        d_mu = (mu - m) / sigma**2
        d_sigma = 1 / sigma - ((m - mu) ** 2 + v) / sigma**3
        natural = {"mu": mu - lr * sigma**2 * d_mu, "sigma": sigma - lr * sigma**2 / 2 * d_sigma}
        plain = {"mu": mu - lr * d_mu, "sigma": sigma - lr * d_sigma}
        assert grade(exercise, student, natural).score == 1.0
        assert grade(exercise, student, plain).misconception == "plain_gradient"


def test_natural_gradient_logit_by_hand() -> None:
    exercise = REGISTRY.get("fisher.natural_gradient_logit")
    for i in range(20):
        student = f"ngl-{i}"
        p = params(exercise, student)
        prob = scipy.special.expit(p["theta"])
        gradient = prob - p["phat"]  # d/dθ of the Bernoulli NLL
        natural = p["theta"] - p["lr"] * gradient / (prob * (1 - prob))
        assert grade(exercise, student, float(natural)).score == 1.0
        plain = p["theta"] - p["lr"] * gradient
        assert grade(exercise, student, float(plain)).misconception == "plain_gradient"
