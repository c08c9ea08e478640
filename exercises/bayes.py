"""Bayesian updating beyond the coin: the Dirichlet-categorical posterior."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from core.bayes import DirichletPosterior, dirichlet_categorical_update
from grader import DashboardLink, Exercise, Misconception, Params, Vector, hookimpl


def _counts(rng: np.random.Generator) -> Params:
    # Counts not proportional to (1, 1, 1), so the posterior mean differs from the MLE.
    while True:
        counts = [int(c) for c in rng.integers(0, 13, size=3)]
        if sum(counts) > 0 and len(set(counts)) > 1:
            return {"counts": counts}


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
            "prior's pseudo-counts: (α_k + n_k) / (Σα + n).",
            lambda p: _posterior(p).mle,
        ),
    ),
    dashboard=DashboardLink("bayes", lambda p: {"counts": ",".join(map(str, p["counts"]))}),
)


@hookimpl
def register_exercises(register: Callable[[Exercise], None]) -> None:
    register(DIRICHLET_POSTERIOR_MEAN)
