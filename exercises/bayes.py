"""Bayesian updating: sequential Beta-Binomial updates, credible intervals, MLE vs MAP vs
posterior mean with little data, and the Dirichlet-categorical posterior."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from core.bayes import DirichletPosterior, beta_binomial_update, dirichlet_categorical_update
from exercises._params import apart, far_from, per_variant, vectors_apart
from grader import DashboardLink, Exercise, Misconception, Number, Params, Record, Vector, hookimpl

_PROB = Number(rtol=1e-3, atol=1e-6)
_COUNT = Number(rtol=0.0, atol=1e-6)


def _counts(rng: np.random.Generator) -> Params:
    # Counts not proportional to (1, 1, 1), so the posterior mean differs from the MLE.
    while True:
        counts = [int(c) for c in rng.integers(0, 13, size=3)]
        if sum(counts) == 0 or len(set(counts)) == 1:
            continue
        params = {"counts": counts}
        if vectors_apart(_posterior(params).mean, _posterior(params).mle):
            return params


def _posterior(p: Params) -> DirichletPosterior:
    return dirichlet_categorical_update(np.ones(3), p["counts"])


DIRICHLET_POSTERIOR_MEAN = Exercise(
    id="bayes.dirichlet_posterior_mean",
    title="Posterior mean of a categorical distribution",
    generate=_counts,
    prompt=lambda p: (
        "A three-sided die has a uniform **Dirichlet(1, 1, 1)** prior on its face "
        f"probabilities. You roll it and count faces {p['counts']}.\n\n"
        "Give the posterior mean of the three face probabilities, as a list."
    ),
    solve=lambda p: _posterior(p).mean,
    answer=Vector(rtol=1e-3, atol=1e-6),
    misconceptions=(
        Misconception(
            "mle_for_mean",
            "You gave the observed frequencies n_k/n (the MLE). The posterior mean adds the "
            "prior's pseudo-counts: (α_k + n_k) / (Σα + n). The Distributions page (link "
            "below) shows your posterior Dirichlet on the triangle, its mean included.",
            lambda p: _posterior(p).mle,
        ),
    ),
    dashboard=DashboardLink(
        "distributions",
        lambda p: {"family": "Dirichlet", **{f"a{k + 1}": float(a) for k, a in enumerate(_posterior(p).alpha)}},
    ),
)


def _flip_params(rng: np.random.Generator) -> Params:
    while True:
        alpha0, beta0 = (int(a) for a in rng.integers(1, 6, size=2))
        flips = "".join(rng.choice(["H", "T"], size=int(rng.integers(6, 11))))
        params = {"alpha0": alpha0, "beta0": beta0, "flips": flips}
        right = _sequential(params)
        wrong = [_sequential(params, swap=True)["mean"], _mle(flips), _sequential(params, prefix=3)["mean"]]
        if 0 < flips.count("H") < len(flips) and apart([right["mean"], *wrong]) and apart(
            (right["mean_after_3"], _sequential(params, prefix=3, swap=True)["mean"])
        ):
            return params


def _mle(flips: str) -> float:
    return beta_binomial_update(1, 1, flips.count("H"), flips.count("T")).mle


def _sequential(p: Params, *, prefix: int | None = None, swap: bool = False) -> dict[str, float]:
    """The posterior after all flips (or the first ``prefix``), by the conjugate update."""
    seen = p["flips"] if prefix is None else p["flips"][:prefix]
    heads, tails = seen.count("H"), seen.count("T")
    if swap:
        heads, tails = tails, heads
    post = beta_binomial_update(p["alpha0"], p["beta0"], heads, tails)
    after_3 = beta_binomial_update(p["alpha0"], p["beta0"], p["flips"][:3].count("H"), p["flips"][:3].count("T"))
    return {"mean_after_3": after_3.mean, "alpha": post.alpha, "beta": post.beta, "mean": post.mean}


SEQUENTIAL_UPDATE = Exercise(
    id="bayes.sequential_update",
    title="Updating a Beta prior flip by flip",
    generate=_flip_params,
    prompt=lambda p: (
        f"A coin's bias has the prior **Beta({p['alpha0']}, {p['beta0']})**. You see the flips "
        f"**{' '.join(p['flips'])}**, one at a time, and update after each.\n\n"
        "Give the posterior mean after the first three flips (`mean_after_3`), and after all "
        "of them the posterior Beta(α, β) (`alpha`, `beta`) and its mean (`mean`)."
    ),
    solve=_sequential,
    answer=Record({"mean_after_3": _PROB, "alpha": _COUNT, "beta": _COUNT, "mean": _PROB}),
    points=2.0,
    misconceptions=(
        Misconception(
            "heads_tails_swapped",
            "You added heads to β and tails to α. Each H adds 1 to α (pseudo-heads), each "
            "T adds 1 to β. The Beta-Binomial page (link below, set to your prior and flips) "
            "shows the update flip by flip.",
            lambda p: {"alpha": _sequential(p, swap=True)["alpha"], "beta": _sequential(p, swap=True)["beta"]},
        ),
        Misconception(
            "prior_ignored",
            "Your final mean is the frequency of heads (the MLE): it ignores the prior's "
            "pseudo-counts, mean = (α₀ + h)/(α₀ + β₀ + n). See the Beta-Binomial page (link "
            "below).",
            lambda p: {"mean": _mle(p["flips"])},
        ),
        Misconception(
            "stopped_early",
            "Your final mean is the posterior after three flips. Sequential updating keeps "
            "going: every flip adds to α or β, and the order does not matter, only the "
            "counts. See the flip-by-flip table on the Beta-Binomial page (link below).",
            lambda p: {"mean": _sequential(p, prefix=3)["mean"]},
        ),
    ),
    dashboard=DashboardLink(
        "beta-binomial",
        lambda p: {
            "alpha0": p["alpha0"],
            "beta0": p["beta0"],
            # The page shows one data source at a time: this exercise's is the flip string.
            "source": "Flip string",
            "flips": p["flips"],
        },
    ),
)


def _interval_params(rng: np.random.Generator) -> Params:
    while True:
        params = {
            "alpha0": int(rng.integers(1, 5)),
            "beta0": int(rng.integers(1, 5)),
            "heads": int(rng.integers(0, 16)),
            "tails": int(rng.integers(0, 16)),
            "level": float(rng.choice([0.8, 0.9, 0.95])),
        }
        right = _interval(params)
        wrong = [[m.answer(params)["low"], m.answer(params)["high"]] for m in _INTERVAL_MISCONCEPTIONS]
        if params["heads"] + params["tails"] >= 3 and all(
            vectors_apart(right, w, rel=0.02, atol=0.005) for w in wrong
        ):
            return params


@per_variant
def _interval_list(p: Params) -> list[float]:
    post = beta_binomial_update(p["alpha0"], p["beta0"], p["heads"], p["tails"])
    return list(post.credible_interval(p["level"]))


def _interval(p: Params) -> list[float]:
    return _interval_list(p)


@per_variant
def _hdi(p: Params) -> list[float]:
    return list(beta_binomial_update(p["alpha0"], p["beta0"], p["heads"], p["tails"]).hdi(p["level"]))


def _as_record(bounds: list[float]) -> dict[str, float]:
    return {"low": bounds[0], "high": bounds[1]}


_INTERVAL_MISCONCEPTIONS = (
    Misconception(
        "prior_interval",
        "That is the prior's interval: update the Beta first, to Beta(α₀ + h, β₀ + t), "
        "then take its quantiles. The Beta-Binomial page (link below, set to your prior "
        "and data) shows the posterior's interval.",
        lambda p: _as_record(list(beta_binomial_update(p["alpha0"], p["beta0"], 0, 0).credible_interval(p["level"]))),
    ),
    Misconception(
        "level_not_split",
        "You put the whole 1 − level in each tail (quantiles 1 − level and level). An "
        "equal-tailed interval leaves half of it on each side: quantiles (1 − level)/2 "
        "and (1 + level)/2. See the Beta-Binomial page (link below).",
        lambda p: _as_record(
            list(
                beta_binomial_update(p["alpha0"], p["beta0"], p["heads"], p["tails"]).credible_interval(
                    2 * p["level"] - 1
                )
            )
        ),
    ),
    Misconception(
        "highest_density_interval",
        "That is the highest-density interval (the shortest one). The question asks for "
        "the equal-tailed interval, with the same mass (1 − level)/2 in each tail; the "
        "two differ when the posterior is skewed. See the Beta-Binomial page (link below).",
        lambda p: _as_record(_hdi(p)),
    ),
)


CREDIBLE_INTERVAL = Exercise(
    id="bayes.credible_interval",
    title="An equal-tailed credible interval for a coin's bias",
    generate=_interval_params,
    prompt=lambda p: (
        f"A coin's bias has the prior **Beta({p['alpha0']}, {p['beta0']})**; you see "
        f"**{p['heads']} heads** and **{p['tails']} tails**.\n\n"
        f"Give the equal-tailed **{p['level']:.0%}** posterior credible interval: the "
        f"posterior quantiles at ${(1 - p['level']) / 2:g}$ (`low`) and "
        f"${(1 + p['level']) / 2:g}$ (`high`)."
    ),
    solve=lambda p: _as_record(_interval(p)),
    answer=Record({"low": Number(rtol=1e-3, atol=1e-4), "high": Number(rtol=1e-3, atol=1e-4)}),
    points=2.0,
    misconceptions=_INTERVAL_MISCONCEPTIONS,
    dashboard=DashboardLink(
        "beta-binomial",
        lambda p: {"alpha0": p["alpha0"], "beta0": p["beta0"], "heads": p["heads"], "tails": p["tails"]},
    ),
)


def _small_n_params(rng: np.random.Generator) -> Params:
    # A prior with both pseudo-counts ≥ 2 (so the MAP exists and differs from the MLE),
    # and only 2 to 8 flips: the three estimates are far apart.
    while True:
        params = {
            "alpha0": int(rng.integers(2, 9)),
            "beta0": int(rng.integers(2, 9)),
            "heads": int(rng.integers(0, 9)),
            "tails": int(rng.integers(0, 9)),
        }
        n = params["heads"] + params["tails"]
        if not 2 <= n <= 8:
            continue
        e = _estimates(params)
        prior_mean = params["alpha0"] / (params["alpha0"] + params["beta0"])
        if apart((e["mle"], e["map"], e["mean"]), atol=0.01) and far_from(e["mean"], [prior_mean], atol=0.01):
            return params


def _estimates(p: Params) -> dict[str, float]:
    post = beta_binomial_update(p["alpha0"], p["beta0"], p["heads"], p["tails"])
    return {"mle": post.mle, "map": post.map, "mean": post.mean}


MLE_MAP_MEAN = Exercise(
    id="bayes.mle_map_mean",
    title="MLE vs MAP vs posterior mean with little data",
    generate=_small_n_params,
    prompt=lambda p: (
        f"A coin's bias has the prior **Beta({p['alpha0']}, {p['beta0']})**. You see only "
        f"**{p['heads']} heads** and **{p['tails']} tails**.\n\n"
        "Give the maximum-likelihood estimate (`mle`), the MAP estimate (the posterior "
        "mode, `map`) and the posterior mean (`mean`) of the probability of heads."
    ),
    solve=_estimates,
    answer=Record({"mle": _PROB, "map": _PROB, "mean": _PROB}),
    points=2.0,
    misconceptions=(
        Misconception(
            "mean_for_map",
            "Your MAP is the posterior mean α/(α+β). The MAP is the posterior's mode, "
            "(α − 1)/(α + β − 2). The Beta-Binomial page (link below, set to your prior and "
            "data) marks mean, MAP and MLE.",
            lambda p: {"map": _estimates(p)["mean"]},
        ),
        Misconception(
            "mle_for_map",
            "Your MAP is the MLE h/n: with a Beta(α₀, β₀) prior the mode adds α₀ − 1 and "
            "β₀ − 1 pseudo-counts, (α₀ + h − 1)/(α₀ + β₀ + n − 2). Only a Beta(1, 1) prior "
            "makes them equal. See the Beta-Binomial page (link below).",
            lambda p: {"map": _estimates(p)["mle"]},
        ),
        Misconception(
            "prior_mean",
            "Your posterior mean is the prior mean α₀/(α₀ + β₀): the data's counts were not "
            "added. See the Beta-Binomial page (link below).",
            lambda p: {"mean": beta_binomial_update(p["alpha0"], p["beta0"], 0, 0).mean},
        ),
    ),
    dashboard=DashboardLink(
        "beta-binomial",
        lambda p: {"alpha0": p["alpha0"], "beta0": p["beta0"], "heads": p["heads"], "tails": p["tails"]},
    ),
)


@hookimpl
def register_exercises(register: Callable[[Exercise], None]) -> None:
    for exercise in (SEQUENTIAL_UPDATE, CREDIBLE_INTERVAL, MLE_MAP_MEAN, DIRICHLET_POSTERIOR_MEAN):
        register(exercise)
