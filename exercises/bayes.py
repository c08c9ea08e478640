"""Bayesian updating: sequential Beta-Binomial updates, credible intervals, MLE vs MAP vs
posterior mean with little data, and the Dirichlet-categorical posterior."""

from __future__ import annotations

from typing import Any

import numpy as np

from core.bayes import beta_binomial_update, dirichlet_categorical_update
from exercises._params import apart, far_from, vectors_apart
from grader import Number, Params, Record, Vector
from grader.authoring import Values, choice, collect, exercise, integers, mistake

_PROB = Number(rtol=1e-3, atol=1e-6)
_COUNT = Number(rtol=0.0, atol=1e-6)
_BETA_BINOMIAL = {"page": "beta-binomial", "page_title": "Beta-Binomial update"}


def _prior_and_data(v: Values) -> dict[str, int]:
    return {"alpha0": v.alpha0, "beta0": v.beta0, "heads": v.heads, "tails": v.tails}


def _dirichlet(v: Values) -> dict[str, object]:
    # All-zero or all-equal counts are refused before the update (the MLE needs n > 0).
    if sum(v.counts) == 0 or len(set(v.counts)) == 1:
        return {"posterior": None}
    return {"posterior": dirichlet_categorical_update(np.ones(3), v.counts)}


DIRICHLET_POSTERIOR_MEAN = exercise(
    id="bayes.dirichlet_posterior_mean",
    title="Posterior mean of a categorical distribution",
    params={"counts": integers(0, 13, size=3)},
    derive=_dirichlet,
    # Counts not proportional to (1, 1, 1), so the posterior mean differs from the MLE.
    accept=lambda v: v.posterior is not None and vectors_apart(v.posterior.mean, v.posterior.mle),
    prompt="""A three-sided die has a uniform **Dirichlet(1, 1, 1)** prior on its face probabilities. You roll it and count faces [[ counts ]].

Give the posterior mean of the three face probabilities, as a list.""",
    solve=lambda v: v.posterior.mean,
    answer=Vector(rtol=1e-3, atol=1e-6),
    misconceptions=[
        mistake(
            "mle_for_mean",
            "You gave the observed frequencies n_k/n (the MLE). The posterior mean adds the prior's pseudo-counts: (α_k + n_k) / (Σα + n); set a_k = 1 + n_k on the page's Dirichlet to see your posterior and its mean.",
            lambda v: v.posterior.mle,
        ),
    ],
    page="distributions",
    page_title="The five distributions",
    # The prior, an input: the posterior's parameters would be half the answer.
    link=lambda v: {"family": "Dirichlet", "a1": 1.0, "a2": 1.0, "a3": 1.0},
)


def _flips(rng: np.random.Generator) -> Params:
    alpha0, beta0 = (int(a) for a in rng.integers(1, 6, size=2))
    flips = "".join(rng.choice(["H", "T"], size=int(rng.integers(6, 11))))
    return {"alpha0": alpha0, "beta0": beta0, "flips": flips}


def _posterior(v: Values, seen: str, *, swap: bool = False) -> Any:
    heads, tails = seen.count("H"), seen.count("T")
    return beta_binomial_update(v.alpha0, v.beta0, *((tails, heads) if swap else (heads, tails)))


def _sequential_derive(v: Values) -> dict[str, object]:
    return {
        "after": _posterior(v, v.flips),
        "swapped": _posterior(v, v.flips, swap=True),
        "after_3": _posterior(v, v.flips[:3]),
        "swapped_3": _posterior(v, v.flips[:3], swap=True),
        "mle": beta_binomial_update(1, 1, v.flips.count("H"), v.flips.count("T")).mle,
    }


def _sequential_accept(v: Values) -> bool:
    # Both faces seen; the final mean apart from each misconception's (5%), and the mean
    # after three flips apart from its swapped twin.
    return (
        0 < v.flips.count("H") < len(v.flips)
        and apart([v.after.mean, v.swapped.mean, v.mle, v.after_3.mean])
        and apart((v.after_3.mean, v.swapped_3.mean))
    )


SEQUENTIAL_UPDATE = exercise(
    id="bayes.sequential_update",
    title="Updating a Beta prior flip by flip",
    generate=_flips,
    derive=_sequential_derive,
    accept=_sequential_accept,
    prompt="""A coin's bias has the prior **Beta([[ alpha0 ]], [[ beta0 ]])**. You see the flips **[[ flips | join(' ') ]]**, one at a time, and update after each.

Give the posterior mean after the first three flips (`mean_after_3`), and after all of them the posterior Beta(α, β) (`alpha`, `beta`) and its mean (`mean`).""",
    solve=lambda v: {"mean_after_3": v.after_3.mean, "alpha": v.after.alpha, "beta": v.after.beta, "mean": v.after.mean},
    answer=Record({"mean_after_3": _PROB, "alpha": _COUNT, "beta": _COUNT, "mean": _PROB}),
    points=2.0,
    misconceptions=[
        mistake("heads_tails_swapped", "You added heads to β and tails to α. Each H adds 1 to α (pseudo-heads), each T adds 1 to β.", lambda v: {"alpha": v.swapped.alpha, "beta": v.swapped.beta}),
        mistake("prior_ignored", "Your final mean is the frequency of heads (the MLE): it ignores the prior's pseudo-counts, mean = (α₀ + h)/(α₀ + β₀ + n).", lambda v: {"mean": v.mle}),
        mistake("stopped_early", "Your final mean is the posterior after three flips. Sequential updating keeps going: every flip adds to α or β, and the order does not matter, only the counts.", lambda v: {"mean": v.after_3.mean}),
    ],
    **_BETA_BINOMIAL,
    # The page shows one data source at a time: this exercise's is the flip string.
    link=lambda v: {"alpha0": v.alpha0, "beta0": v.beta0, "source": "Flip string", "flips": v.flips},
)


def _bounds(interval: Any) -> dict[str, float]:
    low, high = interval
    return {"low": float(low), "high": float(high)}


def _interval_derive(v: Values) -> dict[str, object]:
    post = beta_binomial_update(v.alpha0, v.beta0, v.heads, v.tails)
    return {
        "interval": _bounds(post.credible_interval(v.level)),
        "prior_interval": _bounds(beta_binomial_update(v.alpha0, v.beta0, 0, 0).credible_interval(v.level)),
        "unsplit": _bounds(post.credible_interval(2 * v.level - 1)),
        "hdi": _bounds(post.hdi(v.level)),
    }


_WRONG_INTERVALS = ("prior_interval", "unsplit", "hdi")

CREDIBLE_INTERVAL = exercise(
    id="bayes.credible_interval",
    title="An equal-tailed credible interval for a coin's bias",
    params={"alpha0": integers(1, 5), "beta0": integers(1, 5), "heads": integers(0, 16), "tails": integers(0, 16), "level": choice([0.8, 0.9, 0.95])},
    derive=_interval_derive,
    # Three flips at least, and each wrong interval clearly off in a bound (2%, 0.005).
    accept=lambda v: v.heads + v.tails >= 3 and all(
        vectors_apart(list(v.interval.values()), list(v[w].values()), rel=0.02, atol=0.005) for w in _WRONG_INTERVALS
    ),
    prompt="""A coin's bias has the prior **Beta([[ alpha0 ]], [[ beta0 ]])**; you see **[[ heads ]] heads** and **[[ tails ]] tails**.

Give the equal-tailed **[[ level | fmt('.0%') ]]** posterior credible interval: the posterior quantiles at $[[ ((1 - level) / 2) | fmt('g') ]]$ (`low`) and $[[ ((1 + level) / 2) | fmt('g') ]]$ (`high`).""",
    solve=lambda v: v.interval,
    answer=Record({"low": Number(rtol=1e-3, atol=1e-4), "high": Number(rtol=1e-3, atol=1e-4)}),
    points=2.0,
    misconceptions=[
        mistake("prior_interval", "That is the prior's interval: update the Beta first, to Beta(α₀ + h, β₀ + t), then take its quantiles.", lambda v: v.prior_interval),
        mistake(
            "level_not_split",
            "You put the whole 1 − level in each tail (quantiles 1 − level and level). An equal-tailed interval leaves half of it on each side: quantiles (1 − level)/2 and (1 + level)/2.",
            lambda v: v.unsplit,
        ),
        mistake(
            "highest_density_interval",
            "That is the highest-density interval (the shortest one). The question asks for the equal-tailed interval, with the same mass (1 − level)/2 in each tail; the two differ when the posterior is skewed.",
            lambda v: v.hdi,
        ),
    ],
    **_BETA_BINOMIAL,
    link=_prior_and_data,
)


def _estimates(v: Values) -> dict[str, float]:
    post = beta_binomial_update(v.alpha0, v.beta0, v.heads, v.tails)
    # No flips has no MLE: such draws are refused by accept before anything reads it.
    return {"mle": post.mle, "map": post.map, "mean": post.mean} if v.heads + v.tails else {}


def _small_n_accept(v: Values) -> bool:
    # 2 to 8 flips, and a prior with both pseudo-counts ≥ 2 (drawn so): the MLE, MAP and
    # mean are far apart, and the mean is away from the prior mean.
    e = v.estimates
    return 2 <= v.heads + v.tails <= 8 and apart((e["mle"], e["map"], e["mean"]), atol=0.01) and far_from(
        e["mean"], [v.alpha0 / (v.alpha0 + v.beta0)], atol=0.01
    )


MLE_MAP_MEAN = exercise(
    id="bayes.mle_map_mean",
    title="MLE vs MAP vs posterior mean with little data",
    params={"alpha0": integers(2, 9), "beta0": integers(2, 9), "heads": integers(0, 9), "tails": integers(0, 9)},
    derive=lambda v: {"estimates": _estimates(v)},
    accept=_small_n_accept,
    prompt="""A coin's bias has the prior **Beta([[ alpha0 ]], [[ beta0 ]])**. You see only **[[ heads ]] heads** and **[[ tails ]] tails**.

Give the maximum-likelihood estimate (`mle`), the MAP estimate (the posterior mode, `map`) and the posterior mean (`mean`) of the probability of heads.""",
    solve=lambda v: v.estimates,
    answer=Record({"mle": _PROB, "map": _PROB, "mean": _PROB}),
    points=2.0,
    misconceptions=[
        mistake("mean_for_map", "Your MAP is the posterior mean α/(α+β). The MAP is the posterior's mode, (α − 1)/(α + β − 2).", lambda v: {"map": v.estimates["mean"]}),
        mistake(
            "mle_for_map",
            "Your MAP is the MLE h/n: with a Beta(α₀, β₀) prior the mode adds α₀ − 1 and β₀ − 1 pseudo-counts, (α₀ + h − 1)/(α₀ + β₀ + n − 2). Only a Beta(1, 1) prior makes them equal.",
            lambda v: {"map": v.estimates["mle"]},
        ),
        mistake("prior_mean", "Your posterior mean is the prior mean α₀/(α₀ + β₀): the data's counts were not added.", lambda v: {"mean": beta_binomial_update(v.alpha0, v.beta0, 0, 0).mean}),
    ],
    **_BETA_BINOMIAL,
    link=_prior_and_data,
)

register_exercises = collect(__name__)
