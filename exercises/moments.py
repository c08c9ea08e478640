"""Moments of discrete random variables: variance, comparing spreads."""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise

import numpy as np

from core.moments import expectation, standard_deviation, variance
from grader import Choice, DashboardLink, Exercise, Misconception, Number, Params, hookimpl


def _distribution(rng: np.random.Generator) -> tuple[list[int], list[int]]:
    """Three distinct values and small positive weights."""
    values = sorted(int(v) for v in rng.choice(np.arange(-3, 10), size=3, replace=False))
    weights = [int(w) for w in rng.integers(1, 6, size=3)]
    return values, weights


def _probs(weights: list[int]) -> np.ndarray:
    return np.asarray(weights, dtype=float) / sum(weights)


def _table(values: list[int], weights: list[int]) -> str:
    total = sum(weights)
    head = "| x | " + " | ".join(str(v) for v in values) + " |"
    rule = "|---|" + "---|" * len(values)
    row = "| P(X = x) | " + " | ".join(f"{w}/{total}" for w in weights) + " |"
    return "\n".join([head, rule, row])


def _variance_params(rng: np.random.Generator) -> Params:
    # Var(X), E[X²] and σ must be told apart: at least 5% from each other.
    while True:
        values, weights = _distribution(rng)
        mean, var = _mean_var(values, weights)
        answers = sorted([var, var + mean**2, var**0.5])  # Var, E[X²], σ
        if answers[0] > 0.1 and all(b > 1.05 * a for a, b in pairwise(answers)):
            return {"values": values, "weights": weights}


VARIANCE_DISCRETE = Exercise(
    id="moments.variance_discrete",
    title="Variance of a discrete random variable",
    generate=_variance_params,
    prompt=lambda p: (
        "A random variable X has this distribution:\n\n"
        f"{_table(p['values'], p['weights'])}\n\nWhat is Var(X)?"
    ),
    solve=lambda p: variance(p["values"], _probs(p["weights"])),
    answer=Number(rtol=1e-3, atol=1e-9),
    misconceptions=(
        Misconception(
            "second_moment",
            "You computed E[X²]. The variance subtracts the squared mean: "
            "Var(X) = E[X²] − E[X]².",
            lambda p: expectation(np.square(p["values"]), _probs(p["weights"])),
        ),
        Misconception(
            "standard_deviation",
            "That is the standard deviation σ; the variance is its square, σ².",
            lambda p: standard_deviation(p["values"], _probs(p["weights"])),
        ),
    ),
    dashboard=DashboardLink(
        "moments",
        lambda p: {"values": ",".join(map(str, p["values"])), "weights": ",".join(map(str, p["weights"]))},
    ),
)


def _mean_var(values: list[int], weights: list[int]) -> tuple[float, float]:
    """Plain numpy, only to pick a variant (solve and misconceptions use core)."""
    x, p = np.asarray(values, dtype=float), _probs(weights)
    mean = float(x @ p)
    return mean, float(((x - mean) ** 2) @ p)


def _two_distributions(rng: np.random.Generator) -> Params:
    # The one with the larger mean has the smaller variance, so comparing means misleads.
    while True:
        a, b = _distribution(rng), _distribution(rng)
        (mean_a, var_a), (mean_b, var_b) = _mean_var(*a), _mean_var(*b)
        if abs(var_a - var_b) > 0.5 and abs(mean_a - mean_b) > 0.5 and (mean_a > mean_b) == (var_a < var_b):
            return {"a_values": a[0], "a_weights": a[1], "b_values": b[0], "b_weights": b[1]}


def _larger(measure: Callable[..., float]) -> Callable[[Params], str]:
    def pick(p: Params) -> str:
        a = measure(p["a_values"], _probs(p["a_weights"]))
        b = measure(p["b_values"], _probs(p["b_weights"]))
        return "A" if a > b else "B"

    return pick


LARGER_VARIANCE = Exercise(
    id="moments.larger_variance",
    title="Which distribution is more spread out?",
    generate=_two_distributions,
    prompt=lambda p: (
        f"Distribution A:\n\n{_table(p['a_values'], p['a_weights'])}\n\n"
        f"Distribution B:\n\n{_table(p['b_values'], p['b_weights'])}\n\n"
        "Which has the larger variance? Answer `A` or `B`."
    ),
    solve=_larger(variance),
    answer=Choice(("A", "B")),
    misconceptions=(
        Misconception(
            "compared_means",
            "You picked the distribution with the larger mean. Variance measures spread "
            "around the mean, E[(X − E[X])²], not its location.",
            _larger(expectation),
        ),
    ),
    dashboard=DashboardLink("moments"),
)


@hookimpl
def register_exercises(register: Callable[[Exercise], None]) -> None:
    register(VARIANCE_DISCRETE)
    register(LARGER_VARIANCE)
