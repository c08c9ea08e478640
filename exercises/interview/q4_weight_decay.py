"""Q4: L2 weight decay as a Gaussian prior (λ = 1/(2σ²)), and the MAP of a tiny ridge regression."""

from __future__ import annotations

import math

import numpy as np

from core.bayes import (
    prior_variance_from_weight_decay,
    ridge_solution,
    weight_decay_from_prior_variance,
)
from exercises._params import apart, vectors_apart
from exercises.interview._common import DISTRIBUTIONS_PAGE
from grader import Number, Params, Vector
from grader.authoring import Values, collect, exercise, mistake


def _convert(v: Values, value: float) -> float:
    """λ from σ², or σ² from λ: the map this question is about (it is its own inverse)."""
    return weight_decay_from_prior_variance(value) if v.given == "sigma2" else prior_variance_from_weight_decay(value)


_PRIOR_MISTAKES = [
    mistake(
        "forgot_factor_two",
        "You are off by a factor of 2: log N(θ; 0, σ²I) = −‖θ‖²/(2σ²) + const, so the penalty λ‖θ‖² needs λ = 1/(2σ²) (the prior N(0, 1/λ) goes with (λ/2)‖θ‖²).",
        lambda v: 2.0 * _convert(v, v.value),
    ),
    mistake(
        "sigma_for_variance",
        "You mixed up the standard deviation σ and the variance σ²: λ = 1/(2σ²) uses the variance.",
        # Given σ²: used σ in its place. Given λ: answered σ, not σ².
        lambda v: _convert(v, math.sqrt(v.value)) if v.given == "sigma2" else math.sqrt(_convert(v, v.value)),
    ),
    mistake(
        "inverse_not_taken",
        "λ and σ² are inversely related: a stronger penalty is a tighter prior. You gave σ²/2 or λ/2 instead of 1/(2σ²) or 1/(2λ).",
        lambda v: v.value / 2.0,
    ),
]


def _prior_generate(rng: np.random.Generator) -> Params:
    given = "lambda" if rng.random() < 0.5 else "sigma2"
    # λ from 0.02 and σ² up to 9 keep σ within the Distributions page's slider (≤ 5).
    value = int(rng.integers(2, 400)) / 100 if given == "lambda" else int(rng.integers(5, 900)) / 100
    return {"given": given, "value": value}


WEIGHT_DECAY_PRIOR = exercise(
    id="interview.weight_decay_prior",
    title="L2 weight decay as a Gaussian prior: λ = 1/(2σ²) (Q4)",
    generate=_prior_generate,
    # Away from σ² = 1 and 4 (λ = 1/2, 1/8), where a misconception meets the answer (5%).
    accept=lambda v: apart([_convert(v, v.value), *(m.answer(v) for m in _PRIOR_MISTAKES)]),
    prompt=r"""L2 weight decay adds $\lambda\|\theta\|_2^2$ to the negative log-likelihood; MAP with a Gaussian prior $\theta \sim \mathcal N(0, \sigma^2 I)$ adds $-\log p(\theta)$.

[% if given == "sigma2" %]
The prior variance is **σ² = [[ value | fmt('g') ]]**. Which λ gives the same MAP estimate?
[%- else %]
The weight decay is **λ = [[ value | fmt('g') ]]**. Which prior variance σ² does it correspond to?
[%- endif %]""",
    solve=lambda v: _convert(v, v.value),
    answer=Number(rtol=1e-3),
    misconceptions=_PRIOR_MISTAKES,
    page="distributions",
    page_title=DISTRIBUTIONS_PAGE,
    # The prior's σ only when σ² is given: given λ, σ² is the answer.
    link=lambda v: {"family": "Gaussian", "mu": 0.0, **({"sigma": round(math.sqrt(v.value), 2)} if v.given == "sigma2" else {})},
)


def _ridge(v: Values, penalty: float) -> np.ndarray:
    return ridge_solution(v.X, v.y, penalty)


_RIDGE_MISTAKES = [
    mistake(
        "lambda_not_doubled",
        "You solved (XᵀX + λI)w = Xᵀy with λ = 1/(2σ²). With NLL = ‖y − Xw‖²/2 the objective NLL + λ‖w‖² has gradient Xᵀ(Xw − y) + 2λw, so the system is (XᵀX + 2λI)w = Xᵀy = (XᵀX + I/σ²)w.",
        lambda v: _ridge(v, weight_decay_from_prior_variance(v.prior_var)),
    ),
    mistake(
        "variance_as_lambda",
        "You used σ² itself as the penalty. A larger prior variance is a weaker prior: λ = 1/(2σ²), so the system is (XᵀX + I/σ²)w = Xᵀy.",
        lambda v: _ridge(v, v.prior_var),
    ),
]


def _ridge_solve(v: Values) -> np.ndarray:
    # Noise variance 1: NLL = ‖y − Xw‖²/2, so λ' of the ridge form ‖y − Xw‖² + λ'‖w‖² is 2λ = 1/σ².
    return _ridge(v, 2.0 * weight_decay_from_prior_variance(v.prior_var))


def _ridge_generate(rng: np.random.Generator) -> Params:
    x = rng.integers(-2, 4, size=(4, 2))
    y = rng.integers(-3, 6, size=4)
    return {"X": x.tolist(), "y": y.tolist(), "prior_var": float(rng.choice([0.25, 0.5, 2.0, 4.0]))}


def _ridge_accept(v: Values) -> bool:
    # XᵀX well away from singular, both weights clearly non-zero, each misconception
    # clearly off in some entry (5%).
    x = np.asarray(v.X)
    if abs(np.linalg.det(x.T @ x)) < 2:
        return False
    answer, others = _ridge_solve(v), [m.answer(v) for m in _RIDGE_MISTAKES]
    return bool(min(abs(answer)) > 0.05 and all(vectors_apart(answer, o) for o in others) and vectors_apart(*others))


RIDGE_MAP = exercise(
    id="interview.ridge_map",
    title="The MAP estimate of a tiny ridge regression (Q4)",
    generate=_ridge_generate,
    accept=_ridge_accept,
    prompt=r"""Linear regression $y = Xw + \varepsilon$ with noise $\varepsilon \sim \mathcal N(0, 1)$ and the prior $w \sim \mathcal N(0, \sigma^2 I)$ with **σ² = [[ prior_var | fmt('g') ]]**, on these four points:

| x₁ | x₂ | y |
|---|---|---|
[% for (x1, x2), yi in zip(X, y) %]
| [[ x1 ]] | [[ x2 ]] | [[ yi ]] |
[% endfor %]

Give the MAP estimate $[w_1, w_2]$ (the minimiser of $\tfrac12\|y - Xw\|^2 + \lambda\|w\|^2$ with λ = 1/(2σ²)).""",
    solve=_ridge_solve,
    answer=Vector(rtol=1e-3, atol=1e-4),
    points=2.0,
    misconceptions=_RIDGE_MISTAKES,
    page="distributions",
    page_title=DISTRIBUTIONS_PAGE,
    link=lambda v: {"family": "Gaussian", "mu": 0.0, "sigma": round(math.sqrt(v.prior_var), 2)},
)

register_exercises = collect(__name__)
