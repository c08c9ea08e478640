"""Q6: the Beta-Binomial update from a uniform prior: posterior, mean, MAP and MLE."""

from __future__ import annotations

from core.bayes import beta_binomial_update
from exercises._params import apart
from exercises.interview._common import BETA_BINOMIAL_PAGE, COUNT, PROB
from grader import Record
from grader.authoring import Values, collect, exercise, integers, mistake

_FLIPS = integers(1, 16, size=2)


def _posterior(heads: int, tails: int) -> dict[str, float]:
    post = beta_binomial_update(1.0, 1.0, heads, tails)
    return {"alpha": post.alpha, "beta": post.beta, "mean": post.mean, "map": post.map, "mle": post.mle}


def _clearly_unbalanced(v: Values) -> bool:
    # The posterior mean (h+1)/(n+2) told apart from the MLE h/n by 2%, twice the
    # "imprecise" band (the course's 7 heads, 3 tails are 4.8% apart).
    n = v.heads + v.tails
    return apart((v.heads / n, (v.heads + 1) / (n + 2)), rel=0.02)


BETA_BINOMIAL_POSTERIOR = exercise(
    id="interview.beta_binomial_posterior",
    title="Beta-Binomial posterior from a uniform prior (Q6)",
    generate=lambda rng: dict(zip(("heads", "tails"), _FLIPS(rng), strict=True)),
    derive=lambda v: {"post": _posterior(v.heads, v.tails)},
    accept=_clearly_unbalanced,
    prompt="""A coin's probability of heads has a **Beta(1, 1)** prior. You flip it and see **[[ heads ]] heads** and **[[ tails ]] tails**.

Give the posterior Beta(α, β), its mean and its mode (MAP), and the maximum-likelihood estimate (MLE) of the probability of heads.""",
    solve=lambda v: v.post,
    answer=Record({"alpha": COUNT, "beta": COUNT, "mean": PROB, "map": PROB, "mle": PROB}),
    points=2.0,
    misconceptions=[
        mistake("mle_for_mean", "Your posterior mean is the MLE h/(h+t). The posterior mean is α/(α+β) = (h+1)/(h+t+2): the prior's pseudo-counts pull it toward 1/2.", lambda v: {"mean": v.post["mle"]}),
        mistake("mean_for_map", "Your MAP is the posterior mean. The MAP is the mode, (α−1)/(α+β−2), which for a Beta(1, 1) prior equals the MLE.", lambda v: {"map": v.post["mean"]}),
        mistake(
            "heads_tails_swapped",
            "You swapped heads and tails: α counts heads (α = 1 + h), β counts tails.",
            lambda v: {k: x for k, x in _posterior(v.tails, v.heads).items() if k in ("alpha", "beta")},
        ),
    ],
    page="beta-binomial",
    page_title=BETA_BINOMIAL_PAGE,
    link=lambda v: {"alpha0": 1, "beta0": 1, "heads": v.heads, "tails": v.tails},
)

register_exercises = collect(__name__)
