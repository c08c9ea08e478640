"""The five distributions of the course: Bernoulli, Categorical, Gaussian, Beta, Dirichlet."""

from __future__ import annotations

import math

import numpy as np

from core.distributions import Bernoulli, Beta, Dirichlet, Gaussian
from core.sampling import sampling_probs
from exercises._params import apart, joined, vectors_apart
from grader import Number, Record, Vector
from grader.authoring import Values, choice, collect, exercise, integers, mistake

_NUMBER = Number(rtol=1e-3, atol=1e-6)
_DISTRIBUTIONS = {"page": "distributions", "page_title": "The five distributions"}


BERNOULLI_REWARD = exercise(
    id="distributions.bernoulli_reward",
    title="A reward model's Bernoulli output: mean, variance, entropy",
    params={"p": integers(50, 951, over=1000)},
    # Away from p = 1/2, where the entropy in bits is exactly 1 (too easy to guess).
    accept=lambda v: abs(v.p - 0.5) > 0.04,
    derive=lambda v: {"dist": Bernoulli(v.p)},
    prompt=r"""A reward model says a response is preferred with probability **p = [[ p | fmt('g') ]]**; the preference is $X \sim \mathrm{Bernoulli}(p)$.

Give $E[X]$ (`mean`), $\mathrm{Var}(X)$ (`variance`) and the entropy $H(X)$ **in bits** (`entropy`).""",
    solve=lambda v: {"mean": v.dist.mean(), "variance": v.dist.var(), "entropy": v.dist.entropy(base=2)},
    answer=Record({"mean": _NUMBER, "variance": _NUMBER, "entropy": _NUMBER}),
    misconceptions=[
        mistake("standard_deviation", "Your variance is the standard deviation √(p(1−p)); the variance of a Bernoulli is p(1−p).", lambda v: {"variance": math.sqrt(v.dist.var())}),
        mistake("nats_for_bits", "Your entropy is in nats (natural log); in bits use log₂: H = −p log₂ p − (1−p) log₂(1−p).", lambda v: {"entropy": v.dist.entropy()}),
    ],
    **_DISTRIBUTIONS,
    link=lambda v: {"family": "Bernoulli", "p": v.p},
)


_SOFTMAX_MISTAKES = [
    mistake(
        "no_exponential",
        "You divided each logit by the sum of the logits. Softmax exponentiates first: π_k = e^{z_k} / Σ_j e^{z_j} (logits are log-probabilities up to a constant).",
        lambda v: np.asarray(v.logits) / np.sum(v.logits),
    ),
    mistake("not_normalised", "You exponentiated but did not divide by Σ_j e^{z_j}: the probabilities must sum to 1.", lambda v: np.exp(v.logits)),
]

_TOKENS = ("yes", "no", "maybe", "never")

SOFTMAX_CATEGORICAL = exercise(
    id="distributions.softmax_categorical",
    title="The next-token Categorical from logits",
    params={"logits": integers(1, 9, size=4, over=2)},  # 0.5 to 4.0
    derive=lambda v: {"pi": sampling_probs(v.logits)},
    # Three different logits at least, and each misconception clearly off in an entry (5%).
    accept=lambda v: len(set(v.logits)) > 2 and all(vectors_apart(v.pi, m.answer(v)) for m in _SOFTMAX_MISTAKES),
    prompt=r"""A model's output layer gives these logits for the next token:

| token | `yes` | `no` | `maybe` | `never` |
|---|---|---|---|---|
| logit z | [[ logits | map('fmt', 'g') | join(' | ') ]] |

The next token is drawn from $\mathrm{Categorical}(\pi)$ with $\pi = \mathrm{softmax}(z)$. Give $\pi$ as a list in the order of the table.""",
    solve=lambda v: v.pi,
    answer=Vector(rtol=1e-3, atol=1e-6),
    misconceptions=_SOFTMAX_MISTAKES,
    page="entropy",
    page_title="Entropy & perplexity",
    # The logits, the problem's input: the page takes the softmax itself (the
    # probabilities this link used to carry were the answer).
    link=lambda v: {"tokens": joined(_TOKENS), "p_logits": joined(v.logits), "q_logits": joined(v.logits)},
)


def _gaussian_derive(v: Values) -> dict[str, float]:
    dist, swapped = Gaussian(v.mu, v.sigma), Gaussian(v.mu, v.sigma**2)  # σ² where σ goes
    pdf = float(dist.pdf(v.x))
    return {
        "pdf": pdf,
        "entropy": dist.entropy(),
        "sd_pdf": float(swapped.pdf(v.x)),
        "sd_entropy": swapped.entropy(),
        "unnormalised_pdf": pdf * math.sqrt(2 * math.pi) * v.sigma,
    }


GAUSSIAN_DENSITY = exercise(
    id="distributions.gaussian_density",
    title="A Gaussian's density and differential entropy",
    params={"mu": integers(-20, 21, over=10), "sigma": choice([0.5, 0.8, 1.5, 2.0, 2.5, 3.0]), "x": integers(-30, 31, over=10)},
    derive=_gaussian_derive,
    # A density above 1e-3; it and each wrong density 5% apart, and the entropies too.
    accept=lambda v: v.pdf > 1e-3 and apart((v.pdf, v.sd_pdf, v.unnormalised_pdf)) and apart((v.entropy, v.sd_entropy)),
    prompt=r"""Weights are initialised from $\mathcal N(\mu, \sigma^2)$ with **μ = [[ mu | fmt('g') ]]** and **σ = [[ sigma | fmt('g') ]]** (the standard deviation).

Give the density at **x = [[ x | fmt('g') ]]** (`pdf`) and the differential entropy **in nats** (`entropy`).""",
    solve=lambda v: {"pdf": v.pdf, "entropy": v.entropy},
    answer=Record({"pdf": _NUMBER, "entropy": _NUMBER}),
    misconceptions=[
        mistake(
            "variance_for_sd",
            "You used σ² where σ goes (or σ where σ² goes): the density is (2πσ²)^(−½) exp(−(x−μ)²/(2σ²)) and the entropy ½ ln(2πeσ²).",
            lambda v: {"pdf": v.sd_pdf, "entropy": v.sd_entropy},
        ),
        mistake(
            "forgot_normaliser",
            "You left out the normalising constant 1/√(2πσ²): exp(−(x−μ)²/(2σ²)) alone does not integrate to 1.",
            lambda v: {"pdf": v.unnormalised_pdf},
        ),
    ],
    **_DISTRIBUTIONS,
    link=lambda v: {"family": "Gaussian", "mu": v.mu, "sigma": v.sigma},
)


def _beta_derive(v: Values) -> dict[str, float]:
    dist = Beta(v.alpha, v.beta)
    return {"mean": dist.mean(), "var": dist.var(), "mode": (v.alpha - 1) / (v.alpha + v.beta - 2)}


BETA_MOMENTS = exercise(
    id="distributions.beta_moments",
    title="Mean, variance and mode of a Beta prior",
    params={"alpha": integers(3, 41, over=2), "beta": integers(3, 41, over=2)},  # 1.5 to 20
    derive=_beta_derive,
    # α ≠ β, so the mean and the mode differ (5%). The variance without the "+1" is at
    # least 2.5 times the variance here, apart without a condition.
    accept=lambda v: apart((v.mean, v.mode)),
    prompt="""A coin's bias has the prior **Beta(α = [[ alpha | fmt('g') ]], β = [[ beta | fmt('g') ]])**.

Give its mean (`mean`), variance (`variance`) and mode (`mode`).""",
    solve=lambda v: {"mean": v.mean, "variance": v.var, "mode": v.mode},
    answer=Record({"mean": _NUMBER, "variance": _NUMBER, "mode": _NUMBER}),
    misconceptions=[
        mistake("mean_for_mode", "Your mode is the mean α/(α+β). The mode (the peak) is (α−1)/(α+β−2).", lambda v: {"mode": v.mean}),
        # αβ/(α+β)²: the variance formula without the "+1" in (α+β)²(α+β+1).
        mistake("variance_missing_plus_one", "Your variance is αβ/(α+β)²; the denominator is (α+β)²(α+β+1).", lambda v: {"variance": v.var * (v.alpha + v.beta + 1)}),
    ],
    **_DISTRIBUTIONS,
    link=lambda v: {"family": "Beta", "alpha": v.alpha, "beta": v.beta},
)


def _dirichlet_derive(v: Values) -> dict[str, float]:
    dist = Dirichlet(v.alpha)
    var_1 = float(dist.var()[0])
    return {"mean_1": float(dist.mean()[0]), "var_1": var_1, "var_no_one": var_1 * (sum(v.alpha) + 1)}


DIRICHLET_PRIOR = exercise(
    id="distributions.dirichlet_prior",
    title="A Dirichlet prior over a 3-token distribution",
    params={"alpha": integers(1, 21, size=3, over=2)},  # 0.5 to 10
    derive=_dirichlet_derive,
    # The variance, its form without the "+1" and the standard deviation 5% apart.
    accept=lambda v: apart([v.var_1, v.var_no_one, math.sqrt(v.var_1)]),
    prompt=r"""A prior over the next-token distribution $\pi = (\pi_1, \pi_2, \pi_3)$ of a three-token vocabulary is **Dirichlet([[ alpha | map('fmt', 'g') | join(', ') ]])**.

Give the prior mean $E[\pi_1]$ (`mean_1`) and variance $\mathrm{Var}(\pi_1)$ (`var_1`) of the first token's probability.""",
    solve=lambda v: {"mean_1": v.mean_1, "var_1": v.var_1},
    answer=Record({"mean_1": _NUMBER, "var_1": _NUMBER}),
    misconceptions=[
        mistake(
            "variance_missing_plus_one",
            "Your variance is α₁(α₀−α₁)/α₀²; with α₀ = Σα the denominator is α₀²(α₀+1) (π₁ is Beta(α₁, α₀−α₁)).",
            lambda v: {"var_1": v.var_no_one},
        ),
        mistake("standard_deviation", "Your value is the standard deviation of π₁; the variance is its square.", lambda v: {"var_1": math.sqrt(v.var_1)}),
    ],
    **_DISTRIBUTIONS,
    link=lambda v: {"family": "Dirichlet", **{f"a{k + 1}": a for k, a in enumerate(v.alpha)}},
)

register_exercises = collect(__name__)
