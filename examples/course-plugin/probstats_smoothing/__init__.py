"""Dirichlet (add-α) smoothing of a unigram language model: two ProbStats exercises.

With a symmetric Dirichlet(α) prior over the probabilities of K tokens and training
counts n (N in all), the posterior predictive probability of the next token is

    P(k) = (n_k + α) / (N + K α),

the posterior mean of the Dirichlet-categorical model (``core.bayes``). A token never
seen in training gets α / (N + Kα) instead of the MLE's 0, so a held-out text always has a
finite perplexity.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from core.bayes import dirichlet_categorical_update
from core.information import perplexity
from grader import DashboardLink, Exercise, Misconception, Number, Params, hookimpl

TOKENS = ("the", "cat", "dog", "sat", "ran")


def _counts(rng: np.random.Generator) -> Params:
    """Training counts 0 to 9 with exactly one unseen token, and the prior's α."""
    counts = [int(c) for c in rng.integers(1, 10, size=len(TOKENS))]
    unseen = int(rng.integers(len(TOKENS)))
    counts[unseen] = 0
    return {"counts": counts, "unseen": unseen, "alpha": float(rng.choice([0.5, 1.0, 2.0]))}


def smoothed_probs(params: Params) -> np.ndarray:
    """The posterior predictive P(next token) under a symmetric Dirichlet(α) prior."""
    prior = np.full(len(TOKENS), params["alpha"])
    return dirichlet_categorical_update(prior, params["counts"]).prob_next_category


def _alpha_once(params: Params) -> float:
    # α added to the numerator but only once to the denominator: α / (N + α).
    return params["alpha"] / (sum(params["counts"]) + params["alpha"])


def _count_table(params: Params) -> str:
    head = "| token | " + " | ".join(f"`{t}`" for t in TOKENS) + " |"
    rule = "|---|" + "---|" * len(TOKENS)
    row = "| training count | " + " | ".join(str(c) for c in params["counts"]) + " |"
    return "\n".join([head, rule, row])


def _smoothed_link(params: Params) -> dict[str, object]:
    # The Entropy & perplexity page shows P = softmax(log probs): the smoothed model itself.
    logits = ", ".join(f"{np.log(p):.6f}" for p in smoothed_probs(params))
    return {"tokens": ", ".join(TOKENS), "p_logits": logits, "q_logits": logits, "unit": "nats"}


UNSEEN_TOKEN = Exercise(
    id="smoothing.unseen_token",
    title="Add-α smoothing: the probability of an unseen token",
    generate=_counts,
    prompt=lambda p: (
        f"A unigram model over five tokens is trained on these counts:\n\n{_count_table(p)}\n\n"
        f"With a symmetric **Dirichlet({p['alpha']:g})** prior on the token probabilities, what "
        f"is the posterior predictive probability that the next token is "
        f"`{TOKENS[p['unseen']]}`, which never appeared in training?"
    ),
    solve=lambda p: float(smoothed_probs(p)[p["unseen"]]),
    answer=Number(rtol=1e-3),
    misconceptions=(
        Misconception(
            "alpha_added_once",
            "You added α to the denominator once; the prior adds α pseudo-counts to every "
            "one of the K tokens, so the denominator is N + Kα. The Entropy & perplexity "
            "page (link below) shows the smoothed distribution.",
            _alpha_once,
        ),
        Misconception(
            "prior_only",
            "You gave 1/K, the prior's guess; the counts of the other tokens pull the unseen "
            "one down to α/(N + Kα). See the Entropy & perplexity page (link below).",
            lambda p: 1.0 / len(TOKENS),
        ),
    ),
    dashboard=DashboardLink("entropy", _smoothed_link),
)


def _heldout(rng: np.random.Generator) -> Params:
    params = _counts(rng)
    text = [int(t) for t in rng.integers(len(TOKENS), size=4)]
    text.append(params["unseen"])  # the held-out text always contains the unseen token
    params["text"] = text
    return params


def heldout_nll(params: Params) -> float:
    """Average negative log-likelihood (nats per token) of the held-out text."""
    probs = smoothed_probs(params)
    return float(-np.mean(np.log(probs[params["text"]])))


HELDOUT_PERPLEXITY = Exercise(
    id="smoothing.heldout_perplexity",
    title="Perplexity of a held-out text under a smoothed unigram model",
    generate=_heldout,
    prompt=lambda p: (
        f"A unigram model over five tokens is trained on these counts:\n\n{_count_table(p)}\n\n"
        f"and smoothed with a symmetric **Dirichlet({p['alpha']:g})** prior (use the posterior "
        "predictive probabilities). What is its perplexity on the held-out text "
        f"**{' '.join(TOKENS[t] for t in p['text'])}**? (Without smoothing it would be "
        "infinite: one token was never seen.)"
    ),
    solve=lambda p: perplexity(heldout_nll(p)),
    answer=Number(rtol=1e-3),
    misconceptions=(
        Misconception(
            "total_not_average",
            "You exponentiated the total NLL of the five tokens; perplexity exponentiates "
            "the average per token, e^(NLL/n). The Entropy & perplexity page (link below) "
            "converts an average NLL.",
            lambda p: perplexity(len(p["text"]) * heldout_nll(p)),
        ),
        Misconception(
            "bits_for_nats",
            "You computed 2^NLL with an NLL in nats. With natural logs the perplexity is "
            "e^NLL. See the Entropy & perplexity page (link below).",
            lambda p: perplexity(heldout_nll(p), base=2),
        ),
    ),
    dashboard=DashboardLink("entropy", lambda p: {"nll": round(heldout_nll(p), 4), "nll_unit": "nats"}),
)


@hookimpl
def register_exercises(register: Callable[[Exercise], None]) -> None:
    register(UNSEEN_TOKEN)
    register(HELDOUT_PERPLEXITY)
