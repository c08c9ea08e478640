"""The course's interview questions (topic ``interview``), e.g. Q3 and Q6."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from core.bayes import beta_binomial_update
from core.information import perplexity
from grader import DashboardLink, Exercise, Misconception, Number, Params, Record, hookimpl


def _nll(rng: np.random.Generator) -> Params:
    return {"nll": int(rng.integers(150, 501)) / 100}  # 1.50 to 5.00 nats, two decimals


PERPLEXITY_FROM_NLL = Exercise(
    id="interview.perplexity_from_nll",
    title="Perplexity from an average NLL (Q3)",
    generate=_nll,
    prompt=(
        "A language model's average negative log-likelihood on a test set is "
        "**{nll:.2f} nats** per token.\n\n"
        "What is its perplexity? (It is the number of equally likely next tokens the "
        "model is, on average, as unsure as.)"
    ),
    solve=lambda p: perplexity(p["nll"]),
    answer=Number(rtol=1e-3, sig_figs=3),
    misconceptions=(
        Misconception(
            "bits_for_nats",
            "You computed 2^NLL, as if the NLL were in bits. It is in nats, so the "
            "perplexity is e^NLL.",
            lambda p: perplexity(p["nll"], base=2),
        ),
        Misconception(
            "base_10",
            "You computed 10^NLL. For an NLL in nats the perplexity is e^NLL.",
            lambda p: perplexity(p["nll"], base=10),
        ),
        Misconception(
            "probability_not_perplexity",
            "You computed e^(−NLL), the geometric-mean probability of a token; the "
            "perplexity is its reciprocal, e^NLL.",
            lambda p: 1.0 / perplexity(p["nll"]),
        ),
    ),
    dashboard=DashboardLink("information", lambda p: {"nll": p["nll"]}),
)


def _flips(rng: np.random.Generator) -> Params:
    # Heads and tails differ, so the posterior mean (h+1)/(n+2) differs from the MLE h/n.
    while True:
        heads, tails = (int(x) for x in rng.integers(1, 16, size=2))
        if heads != tails:
            return {"heads": heads, "tails": tails}


def _posterior(p: Params) -> dict[str, float]:
    post = beta_binomial_update(1.0, 1.0, p["heads"], p["tails"])
    return {"alpha": post.alpha, "beta": post.beta, "mean": post.mean, "map": post.map, "mle": post.mle}


_COUNT = Number(rtol=0.0, atol=1e-6)
_PROB = Number(rtol=1e-3)

BETA_BINOMIAL_POSTERIOR = Exercise(
    id="interview.beta_binomial_posterior",
    title="Beta-Binomial posterior from a uniform prior (Q6)",
    generate=_flips,
    prompt=(
        "A coin's probability of heads has a **Beta(1, 1)** prior. You flip it and see "
        "**{heads} heads** and **{tails} tails**.\n\n"
        "Give the posterior Beta(α, β), its mean and its mode (MAP), and the maximum-"
        "likelihood estimate (MLE) of the probability of heads."
    ),
    solve=_posterior,
    answer=Record({"alpha": _COUNT, "beta": _COUNT, "mean": _PROB, "map": _PROB, "mle": _PROB}),
    points=2.0,
    misconceptions=(
        Misconception(
            "mle_for_mean",
            "Your posterior mean is the MLE h/(h+t). The posterior mean is α/(α+β) = "
            "(h+1)/(h+t+2): the prior's pseudo-counts pull it toward 1/2.",
            lambda p: {"mean": _posterior(p)["mle"]},
        ),
        Misconception(
            "mean_for_map",
            "Your MAP is the posterior mean. The MAP is the mode, (α−1)/(α+β−2), which "
            "for a Beta(1, 1) prior equals the MLE.",
            lambda p: {"map": _posterior(p)["mean"]},
        ),
        Misconception(
            "heads_tails_swapped",
            "You swapped heads and tails: α counts heads (α = 1 + h), β counts tails.",
            lambda p: {
                "alpha": beta_binomial_update(1.0, 1.0, p["tails"], p["heads"]).alpha,
                "beta": beta_binomial_update(1.0, 1.0, p["tails"], p["heads"]).beta,
            },
        ),
    ),
    dashboard=DashboardLink("bayes", lambda p: {"alpha0": 1, "beta0": 1, "heads": p["heads"], "tails": p["tails"]}),
)


@hookimpl
def register_exercises(register: Callable[[Exercise], None]) -> None:
    register(PERPLEXITY_FROM_NLL)
    register(BETA_BINOMIAL_POSTERIOR)
