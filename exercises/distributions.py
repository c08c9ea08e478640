"""The five distributions of the course: Bernoulli, Categorical, Gaussian, Beta, Dirichlet."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from core.distributions import Bernoulli, Beta, Dirichlet, Gaussian
from core.sampling import sampling_probs
from exercises._params import apart, joined, markdown_table, per_variant, vectors_apart
from grader import DashboardLink, Exercise, Misconception, Number, Params, Record, Vector, hookimpl

_NUMBER = Number(rtol=1e-3, atol=1e-6)


# ---------------------------------------------------------------------------- Bernoulli


def _bernoulli_params(rng: np.random.Generator) -> Params:
    # Away from p = 1/2, where the entropy in bits is exactly 1 (too easy to guess).
    while True:
        p = int(rng.integers(50, 951)) / 1000
        if abs(p - 0.5) > 0.04:
            return {"p": p}


@per_variant
def _bernoulli(p: Params) -> dict[str, float]:
    dist = Bernoulli(p["p"])
    return {"mean": dist.mean(), "variance": dist.var(), "entropy": dist.entropy(base=2)}


BERNOULLI_REWARD = Exercise(
    id="distributions.bernoulli_reward",
    title="A reward model's Bernoulli output: mean, variance, entropy",
    generate=_bernoulli_params,
    prompt=(
        "A reward model says a response is preferred with probability **p = {p:g}**; the "
        "preference is $X \\sim \\mathrm{{Bernoulli}}(p)$.\n\n"
        "Give $E[X]$ (`mean`), $\\mathrm{{Var}}(X)$ (`variance`) and the entropy $H(X)$ "
        "**in bits** (`entropy`)."
    ),
    solve=_bernoulli,
    answer=Record({"mean": _NUMBER, "variance": _NUMBER, "entropy": _NUMBER}),
    misconceptions=(
        Misconception(
            "standard_deviation",
            "Your variance is the standard deviation √(p(1−p)); the variance of a Bernoulli "
            "is p(1−p). The Distributions page (link below, set to your p) shows both.",
            lambda p: {"variance": math.sqrt(_bernoulli(p)["variance"])},
        ),
        Misconception(
            "nats_for_bits",
            "Your entropy is in nats (natural log); in bits use log₂: "
            "H = −p log₂ p − (1−p) log₂(1−p). See the Distributions page (link below).",
            lambda p: {"entropy": Bernoulli(p["p"]).entropy()},
        ),
    ),
    dashboard=DashboardLink("distributions", lambda p: {"family": "Bernoulli", "p": p["p"]}),
)


# -------------------------------------------------------------------------- Categorical

_TOKENS = ("yes", "no", "maybe", "never")


def _softmax_params(rng: np.random.Generator) -> Params:
    while True:
        logits = [int(z) / 2 for z in rng.integers(1, 9, size=4)]  # 0.5 to 4.0
        params = {"logits": logits}
        right = _softmax(params)
        wrong = [m.answer(params) for m in _SOFTMAX_MISCONCEPTIONS]
        if len(set(logits)) > 2 and all(vectors_apart(right, w) for w in wrong):
            return params


def _softmax(p: Params) -> np.ndarray:
    return sampling_probs(p["logits"])


_SOFTMAX_MISCONCEPTIONS = (
    Misconception(
        "no_exponential",
        "You divided each logit by the sum of the logits. Softmax exponentiates first: "
        "π_k = e^{z_k} / Σ_j e^{z_j} (logits are log-probabilities up to a constant). The "
        "Distributions page (link below, set to your probabilities) shows the categorical.",
        lambda p: np.asarray(p["logits"]) / np.sum(p["logits"]),
    ),
    Misconception(
        "not_normalised",
        "You exponentiated but did not divide by Σ_j e^{z_j}: the probabilities must sum "
        "to 1. See the Distributions page (link below).",
        lambda p: np.exp(p["logits"]),
    ),
)


SOFTMAX_CATEGORICAL = Exercise(
    id="distributions.softmax_categorical",
    title="The next-token Categorical from logits",
    generate=_softmax_params,
    prompt=lambda p: (
        "A model's output layer gives these logits for the next token:\n\n"
        + markdown_table(["token", *(f"`{t}`" for t in _TOKENS)], [["logit z", *(f"{z:g}" for z in p["logits"])]])
        + "\n\nThe next token is drawn from $\\mathrm{Categorical}(\\pi)$ with "
        "$\\pi = \\mathrm{softmax}(z)$. Give $\\pi$ as a list in the order of the table."
    ),
    solve=_softmax,
    answer=Vector(rtol=1e-3, atol=1e-6),
    misconceptions=_SOFTMAX_MISCONCEPTIONS,
    dashboard=DashboardLink(
        "distributions",
        lambda p: {"family": "Categorical", "probs": joined(f"{x:.10g}" for x in _softmax(p))},
    ),
)


# ----------------------------------------------------------------------------- Gaussian


def _gaussian_params(rng: np.random.Generator) -> Params:
    while True:
        params = {
            "mu": int(rng.integers(-20, 21)) / 10,
            "sigma": float(rng.choice([0.5, 0.8, 1.5, 2.0, 2.5, 3.0])),
            "x": int(rng.integers(-30, 31)) / 10,
        }
        right = _gaussian(params)
        wrong = _gaussian_wrong(params)
        ok = apart((right["pdf"], wrong["sd_pdf"], wrong["unnormalised_pdf"])) and apart(
            (right["entropy"], wrong["sd_entropy"])
        )
        if ok and right["pdf"] > 1e-3:
            return params


@per_variant
def _gaussian(p: Params) -> dict[str, float]:
    dist = Gaussian(p["mu"], p["sigma"])
    return {"pdf": float(dist.pdf(p["x"])), "entropy": dist.entropy()}


@per_variant
def _gaussian_wrong(p: Params) -> dict[str, float]:
    swapped = Gaussian(p["mu"], p["sigma"] ** 2)  # σ² where σ goes
    return {
        "sd_pdf": float(swapped.pdf(p["x"])),
        "sd_entropy": swapped.entropy(),
        "unnormalised_pdf": _gaussian(p)["pdf"] * math.sqrt(2 * math.pi) * p["sigma"],
    }


_GAUSSIAN_MISCONCEPTIONS = (
    Misconception(
        "variance_for_sd",
        "You used σ² where σ goes (or σ where σ² goes): the density is "
        "(2πσ²)^(−½) exp(−(x−μ)²/(2σ²)) and the entropy ½ ln(2πeσ²). The Distributions "
        "page (link below, set to your μ and σ) draws the density.",
        lambda p: {"pdf": _gaussian_wrong(p)["sd_pdf"], "entropy": _gaussian_wrong(p)["sd_entropy"]},
    ),
    Misconception(
        "forgot_normaliser",
        "You left out the normalising constant 1/√(2πσ²): exp(−(x−μ)²/(2σ²)) alone does not "
        "integrate to 1. See the Distributions page (link below).",
        lambda p: {"pdf": _gaussian_wrong(p)["unnormalised_pdf"]},
    ),
)


GAUSSIAN_DENSITY = Exercise(
    id="distributions.gaussian_density",
    title="A Gaussian's density and differential entropy",
    generate=_gaussian_params,
    prompt=(
        "Weights are initialised from $\\mathcal N(\\mu, \\sigma^2)$ with **μ = {mu:g}** and "
        "**σ = {sigma:g}** (the standard deviation).\n\n"
        "Give the density at **x = {x:g}** (`pdf`) and the differential entropy "
        "**in nats** (`entropy`)."
    ),
    solve=_gaussian,
    answer=Record({"pdf": _NUMBER, "entropy": _NUMBER}),
    misconceptions=_GAUSSIAN_MISCONCEPTIONS,
    dashboard=DashboardLink("distributions", lambda p: {"family": "Gaussian", "mu": p["mu"], "sigma": p["sigma"]}),
)


# --------------------------------------------------------------------------------- Beta


def _beta_params(rng: np.random.Generator) -> Params:
    while True:
        params = {"alpha": int(rng.integers(3, 41)) / 2, "beta": int(rng.integers(3, 41)) / 2}  # 1.5 to 20
        right = _beta(params)
        if apart((right["mean"], right["mode"])) and apart((right["variance"], _beta_variance_no_one(params))):
            return params


@per_variant
def _beta(p: Params) -> dict[str, float]:
    dist = Beta(p["alpha"], p["beta"])
    return {"mean": dist.mean(), "variance": dist.var(), "mode": (p["alpha"] - 1) / (p["alpha"] + p["beta"] - 2)}


@per_variant
def _beta_variance_no_one(p: Params) -> float:
    # αβ/(α+β)²: the variance formula without the "+1" in (α+β)²(α+β+1).
    return Beta(p["alpha"], p["beta"]).var() * (p["alpha"] + p["beta"] + 1)


BETA_MOMENTS = Exercise(
    id="distributions.beta_moments",
    title="Mean, variance and mode of a Beta prior",
    generate=_beta_params,
    prompt=(
        "A coin's bias has the prior **Beta(α = {alpha:g}, β = {beta:g})**.\n\n"
        "Give its mean (`mean`), variance (`variance`) and mode (`mode`)."
    ),
    solve=_beta,
    answer=Record({"mean": _NUMBER, "variance": _NUMBER, "mode": _NUMBER}),
    misconceptions=(
        Misconception(
            "mean_for_mode",
            "Your mode is the mean α/(α+β). The mode (the peak) is (α−1)/(α+β−2). The "
            "Distributions page (link below, set to your α and β) marks both.",
            lambda p: {"mode": _beta(p)["mean"]},
        ),
        Misconception(
            "variance_missing_plus_one",
            "Your variance is αβ/(α+β)²; the denominator is (α+β)²(α+β+1). See the "
            "Distributions page (link below).",
            lambda p: {"variance": _beta_variance_no_one(p)},
        ),
    ),
    dashboard=DashboardLink("distributions", lambda p: {"family": "Beta", "alpha": p["alpha"], "beta": p["beta"]}),
)


# ---------------------------------------------------------------------------- Dirichlet


def _dirichlet_params(rng: np.random.Generator) -> Params:
    while True:
        alpha = [int(a) / 2 for a in rng.integers(1, 21, size=3)]  # 0.5 to 10
        params = {"alpha": alpha}
        right = _dirichlet(params)
        wrong = [_dirichlet_var_no_one(params), math.sqrt(right["var_1"])]
        if apart([right["var_1"], *wrong]):
            return params


def _dirichlet(p: Params) -> dict[str, float]:
    dist = Dirichlet(p["alpha"])
    return {"mean_1": float(dist.mean()[0]), "var_1": float(dist.var()[0])}


def _dirichlet_var_no_one(p: Params) -> float:
    total = sum(p["alpha"])
    return float(Dirichlet(p["alpha"]).var()[0]) * (total + 1)


DIRICHLET_PRIOR = Exercise(
    id="distributions.dirichlet_prior",
    title="A Dirichlet prior over a 3-token distribution",
    generate=_dirichlet_params,
    prompt=lambda p: (
        "A prior over the next-token distribution $\\pi = (\\pi_1, \\pi_2, \\pi_3)$ of a three-token "
        f"vocabulary is **Dirichlet({', '.join(f'{a:g}' for a in p['alpha'])})**.\n\n"
        "Give the prior mean $E[\\pi_1]$ (`mean_1`) and variance $\\mathrm{Var}(\\pi_1)$ (`var_1`) "
        "of the first token's probability."
    ),
    solve=_dirichlet,
    answer=Record({"mean_1": _NUMBER, "var_1": _NUMBER}),
    misconceptions=(
        Misconception(
            "variance_missing_plus_one",
            "Your variance is α₁(α₀−α₁)/α₀²; with α₀ = Σα the denominator is α₀²(α₀+1) (π₁ is "
            "Beta(α₁, α₀−α₁)). The Distributions page (link below, set to your α) shows the "
            "Dirichlet on the triangle.",
            lambda p: {"var_1": _dirichlet_var_no_one(p)},
        ),
        Misconception(
            "standard_deviation",
            "Your value is the standard deviation of π₁; the variance is its square. See the "
            "Distributions page (link below).",
            lambda p: {"var_1": math.sqrt(_dirichlet(p)["var_1"])},
        ),
    ),
    dashboard=DashboardLink(
        "distributions",
        lambda p: {"family": "Dirichlet", **{f"a{k + 1}": a for k, a in enumerate(p["alpha"])}},
    ),
)


@hookimpl
def register_exercises(register: Callable[[Exercise], None]) -> None:
    for exercise in (BERNOULLI_REWARD, SOFTMAX_CATEGORICAL, GAUSSIAN_DENSITY, BETA_MOMENTS, DIRICHLET_PRIOR):
        register(exercise)
