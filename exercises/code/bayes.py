"""Code exercise on Bayesian updating: a Beta-Binomial update from a string of flips."""

from __future__ import annotations

from typing import Any

import numpy as np

from core.bayes import beta_binomial_update
from exercises.code._common import IMPORTS, code_prompt
from grader import Code, checks_from
from grader.authoring import Values, collect, exercise, mistake

UPDATE = Code(
    function="update",
    params=("alpha", "beta", "flips"),
    imports=IMPORTS,
    returns="the posterior `(alpha, beta)` as a tuple of two numbers",
)


def _cases(v: Values) -> list[Any]:
    cases: list[Any] = [
        (f"random prior and flips {i + 1}", [a, b, flips], f"alpha={a:g}, beta={b:g}, flips={flips!r}")
        for i, (a, b, flips) in enumerate(v.cases)
    ]
    return [*cases, ("an empty flip string", [2.0, 3.0, ""], "alpha=2, beta=3, flips=''"), ("all heads", [0.5, 0.5, "HHHHH"], "alpha=0.5, beta=0.5, flips='HHHHH'")]


def _posterior(alpha: float, beta: float, flips: str) -> list[float]:
    post = beta_binomial_update(alpha, beta, flips.count("H"), flips.count("T"))
    return [post.alpha, post.beta]


def _draws(rng: np.random.Generator) -> list[list[Any]]:
    cases = []
    for n in rng.integers(4, 13, size=3).tolist():
        flips = "".join(rng.choice(["H", "T"], size=n).tolist())
        cases.append([float(rng.integers(1, 11)) / 2, float(rng.integers(1, 11)) / 2, flips])
    return cases


BETA_BINOMIAL_EXERCISE = exercise(
    id="code.beta_binomial_update",
    title="A Beta-Binomial update from coin flips",
    generate=lambda rng: {"cases": _draws(rng)},
    prompt=code_prompt(
        UPDATE,
        "A coin's bias has the prior Beta(`alpha`, `beta`). `flips` is a string of the flips "
        "seen, `\"H\"` for heads and `\"T\"` for tails (for example `\"HTTH\"`; it may be "
        "empty). Return the posterior's parameters `(alpha, beta)`.",
    ),
    solve=lambda v: checks_from(_cases(v), _posterior),
    answer=UPDATE,
    page="beta-binomial",
    page_title="Beta-Binomial update",
    link=lambda v: {"alpha0": v.cases[0][0], "beta0": v.cases[0][1], "source": "Flip string", "flips": v.cases[0][2]},
    misconceptions=[
        mistake(
            "heads_tails_swapped",
            "Heads and tails are swapped: heads are pseudo-counts of the bias toward heads, so "
            "they add to alpha, tails to beta.",
            lambda v: checks_from(_cases(v), lambda a, b, flips: _posterior(a, b, flips.translate(str.maketrans("HT", "TH")))),
        ),
        mistake(
            "prior_dropped",
            "Your posterior counts only the flips: the prior's pseudo-counts alpha and beta are "
            "added to the counts, not replaced by them.",
            lambda v: checks_from(_cases(v), lambda a, b, flips: [flips.count("H"), flips.count("T")]),
        ),
    ],
    reveal="never",
)

register_exercises = collect(__name__)
