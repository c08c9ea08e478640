"""Moments: variance by both formulas, covariance and correlation, E[E[X|Y]], the CLT."""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise

import numpy as np

from core.distributions import family
from core.moments import (
    correlation,
    covariance,
    expectation,
    standard_deviation,
    total_expectation,
    variance,
)
from exercises._params import (
    apart,
    joined,
    markdown_table,
    per_variant,
    prob_text,
    table_text,
)
from grader import (
    Choice,
    DashboardLink,
    Exercise,
    Misconception,
    Number,
    Params,
    Record,
    hookimpl,
)


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
            "Var(X) = E[X²] − E[X]². The Moments page (link below, set to your "
            "distribution) shows both formulas.",
            lambda p: expectation(np.square(p["values"]), _probs(p["weights"])),
        ),
        Misconception(
            "standard_deviation",
            "That is the standard deviation σ; the variance is its square, σ². See the "
            "Moments page (link below).",
            lambda p: standard_deviation(p["values"], _probs(p["weights"])),
        ),
    ),
    dashboard=DashboardLink("moments", lambda p: {"values": joined(p["values"]), "probs": prob_text(p["weights"])}),
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
            "around the mean, E[(X − E[X])²], not its location. The Moments page (link "
            "below, set to distribution A) shows the mean and the spread separately.",
            _larger(expectation),
        ),
    ),
    dashboard=DashboardLink(
        "moments", lambda p: {"values": joined(p["a_values"]), "probs": prob_text(p["a_weights"])}
    ),
)


def _shifted_params(rng: np.random.Generator) -> Params:
    # Values around a large offset: the shift changes E[X] and E[X²] but not Var(X).
    while True:
        offset = int(rng.integers(2, 10)) * 10
        values = sorted(offset + int(v) for v in rng.choice(np.arange(0, 8), size=3, replace=False))
        weights = [int(w) for w in rng.integers(1, 6, size=3)]
        params = {"values": values, "weights": weights}
        var = variance(values, _probs(weights))
        wrong = [m.answer(params)["variance"] for m in _SHIFTED_MISCONCEPTIONS]
        if var > 0.2 and apart([var, *wrong]):
            return params


@per_variant
def _shifted_solve(p: Params) -> dict[str, float]:
    x, w = p["values"], _probs(p["weights"])
    return {
        "mean": expectation(x, w),
        "second_moment": expectation(np.square(x), w),
        "variance": variance(x, w, method="computational"),
    }


_SHIFTED_MISCONCEPTIONS = (
    Misconception(
        "mean_not_squared",
        "You subtracted E[X] instead of E[X]²: the computational formula is "
        "Var(X) = E[X²] − (E[X])². The Moments page (link below, set to your distribution) "
        "shows both formulas.",
        lambda p: {"variance": _shifted_solve(p)["second_moment"] - _shifted_solve(p)["mean"]},
    ),
    Misconception(
        "unweighted_deviations",
        "You averaged the squared deviations (x − E[X])² with equal weights; the definition "
        "weights each by its probability: Var(X) = Σ P(x)(x − E[X])². See the Moments page "
        "(link below).",
        lambda p: {
            "variance": expectation(
                (np.asarray(p["values"]) - _shifted_solve(p)["mean"]) ** 2, np.full(3, 1 / 3)
            )
        },
    ),
    Misconception(
        "standard_deviation",
        "That is the standard deviation σ; the variance is σ². See the Moments page (link "
        "below).",
        lambda p: {"variance": standard_deviation(p["values"], _probs(p["weights"]))},
    ),
)

VARIANCE_TWO_FORMULAS = Exercise(
    id="moments.variance_two_formulas",
    title="Variance by the definition and by E[X²] − E[X]²",
    generate=_shifted_params,
    prompt=lambda p: (
        "A random variable X has this distribution:\n\n"
        f"{_table(p['values'], p['weights'])}\n\n"
        "Give $E[X]$ (`mean`), $E[X^2]$ (`second_moment`) and $\\mathrm{Var}(X)$ "
        "(`variance`). Check that the definition $E[(X - E[X])^2]$ and the computational "
        "formula $E[X^2] - E[X]^2$ agree."
    ),
    solve=_shifted_solve,
    answer=Record({"mean": Number(rtol=1e-4), "second_moment": Number(rtol=1e-5), "variance": Number(rtol=1e-3)}),
    points=2.0,
    misconceptions=_SHIFTED_MISCONCEPTIONS,
    dashboard=DashboardLink("moments", lambda p: {"values": joined(p["values"]), "probs": prob_text(p["weights"])}),
)


def _joint_params(rng: np.random.Generator) -> Params:
    while True:
        x_values = sorted(int(v) for v in rng.choice(np.arange(-2, 5), size=2, replace=False))
        y_values = sorted(int(v) for v in rng.choice(np.arange(-2, 6), size=3, replace=False))
        counts = rng.integers(0, 6, size=(2, 3))
        if counts.sum(axis=1).min() == 0 or counts.sum(axis=0).min() == 0 or (counts > 0).sum() < 3:
            continue
        params = {"x_values": x_values, "y_values": y_values, "counts": counts.tolist()}
        cov, corr = _cov_corr(params).values()
        wrong_cov = _e_xy(params)
        wrong_corr = [m.answer(params)["correlation"] for m in _COV_MISCONCEPTIONS[1:]]
        if abs(corr) > 0.1 and apart((cov, wrong_cov), atol=0.01) and apart([corr, *wrong_corr], atol=0.01):
            return params


def _joint(p: Params) -> np.ndarray:
    counts = np.asarray(p["counts"], dtype=float)
    return counts / counts.sum()


@per_variant
def _cov_corr(p: Params) -> dict[str, float]:
    joint = _joint(p)
    return {
        "covariance": covariance(p["x_values"], p["y_values"], joint),
        "correlation": correlation(p["x_values"], p["y_values"], joint),
    }


@per_variant
def _e_xy(p: Params) -> float:
    return expectation(np.outer(p["x_values"], p["y_values"]).ravel(), _joint(p).ravel())


@per_variant
def _marginal_variances(p: Params) -> tuple[float, float]:
    joint = _joint(p)
    return variance(p["x_values"], joint.sum(axis=1)), variance(p["y_values"], joint.sum(axis=0))


_COV_MISCONCEPTIONS = (
    Misconception(
        "e_xy_for_covariance",
        "Your covariance is E[XY]; the covariance subtracts the product of the means: "
        "Cov(X, Y) = E[XY] − E[X]E[Y]. The Moments page (link below, set to your table) "
        "shows Cov and Corr.",
        lambda p: {"covariance": _e_xy(p)},
    ),
    Misconception(
        "covariance_for_correlation",
        "Your correlation is the covariance itself; divide by both standard deviations: "
        "Corr = Cov / (σ_X σ_Y), which lies in [−1, 1]. See the Moments page (link below).",
        lambda p: {"correlation": _cov_corr(p)["covariance"]},
    ),
    Misconception(
        "variances_for_deviations",
        "You divided the covariance by the variances; divide by the standard deviations, "
        "σ_X σ_Y = √(Var X · Var Y). See the Moments page (link below).",
        lambda p: {"correlation": _cov_corr(p)["covariance"] / np.prod(_marginal_variances(p))},
    ),
)


def _joint_prompt(p: Params) -> str:
    total = sum(map(sum, p["counts"]))
    rows = [[f"X = {x}", *(f"{c}/{total}" for c in row)] for x, row in zip(p["x_values"], p["counts"], strict=True)]
    return (
        "The joint distribution of X and Y:\n\n"
        + markdown_table(["", *(f"Y = {y}" for y in p["y_values"])], rows)
        + "\n\nGive the covariance $\\mathrm{Cov}(X, Y)$ (`covariance`) and the correlation "
        "$\\mathrm{Corr}(X, Y)$ (`correlation`)."
    )


COVARIANCE_CORRELATION = Exercise(
    id="moments.covariance_correlation",
    title="Covariance and correlation from a joint table",
    generate=_joint_params,
    prompt=_joint_prompt,
    solve=_cov_corr,
    answer=Record({"covariance": Number(rtol=1e-3, atol=1e-6), "correlation": Number(rtol=1e-3, atol=1e-6)}),
    points=2.0,
    misconceptions=_COV_MISCONCEPTIONS,
    dashboard=DashboardLink(
        "moments",
        lambda p: {"x_values": joined(p["x_values"]), "y_values": joined(p["y_values"]), "joint": table_text(_joint(p))},
    ),
)


def _tower_params(rng: np.random.Generator) -> Params:
    while True:
        x_values = sorted(int(v) for v in rng.choice(np.arange(0, 10), size=3, replace=False))
        # Columns of different weight (so an unweighted average of the conditional means
        # is wrong) and different shape (so the conditional means differ).
        counts = np.column_stack([rng.integers(1, 4, size=3), rng.integers(3, 10, size=3)])
        params = {"x_values": x_values, "counts": counts.tolist()}
        right = _tower_solve(params)
        unweighted = _tower_unweighted(params)
        unnormalised = _tower_unnormalised(params)
        if apart((right["mean"], unweighted)) and apart((right["cond_mean_1"], unnormalised)):
            return params


def _tower_joint(p: Params) -> np.ndarray:
    counts = np.asarray(p["counts"], dtype=float)
    return counts / counts.sum()


@per_variant
def _tower_solve(p: Params) -> dict[str, float]:
    te = total_expectation(p["x_values"], _tower_joint(p))
    return {
        "cond_mean_1": float(te.conditional_means[0]),
        "cond_mean_2": float(te.conditional_means[1]),
        "mean": float(te.mean_of_conditional_means),
    }


@per_variant
def _tower_unweighted(p: Params) -> float:
    te = total_expectation(p["x_values"], _tower_joint(p))
    return expectation(te.conditional_means, np.full(2, 0.5))


@per_variant
def _tower_unnormalised(p: Params) -> float:
    # Σ x P(x, y₁): the joint column, not divided by P(y₁).
    return float(np.asarray(p["x_values"], dtype=float) @ _tower_joint(p)[:, 0])


def _tower_prompt(p: Params) -> str:
    total = sum(map(sum, p["counts"]))
    rows = [[f"X = {x}", *(f"{c}/{total}" for c in row)] for x, row in zip(p["x_values"], p["counts"], strict=True)]
    return (
        "The joint distribution of X and Y ∈ {1, 2}:\n\n"
        + markdown_table(["", "Y = 1", "Y = 2"], rows)
        + "\n\nGive the conditional means $E[X \\mid Y = 1]$ (`cond_mean_1`) and "
        "$E[X \\mid Y = 2]$ (`cond_mean_2`), and $E[X]$ computed as $E[E[X \\mid Y]]$ (`mean`)."
    )


TOTAL_EXPECTATION = Exercise(
    id="moments.total_expectation",
    title="The law of total expectation E[X] = E[E[X|Y]]",
    generate=_tower_params,
    prompt=_tower_prompt,
    solve=_tower_solve,
    answer=Record({"cond_mean_1": Number(rtol=1e-3), "cond_mean_2": Number(rtol=1e-3), "mean": Number(rtol=1e-3)}),
    points=2.0,
    misconceptions=(
        Misconception(
            "unweighted_average",
            "You averaged the two conditional means with equal weights. E[E[X|Y]] weights "
            "each by how likely its condition is: Σ_y P(Y = y) E[X | Y = y]. The Moments page "
            "(link below, set to your table) shows the pieces.",
            lambda p: {"mean": _tower_unweighted(p)},
        ),
        Misconception(
            "joint_not_conditional",
            "Your E[X | Y = 1] is Σ x P(x, Y = 1), which uses the joint column; a conditional "
            "mean divides it by P(Y = 1). See the Moments page (link below).",
            lambda p: {"cond_mean_1": _tower_unnormalised(p)},
        ),
    ),
    dashboard=DashboardLink(
        "moments",
        lambda p: {"x_values": joined(p["x_values"]), "y_values": "1, 2", "joint": table_text(_tower_joint(p))},
    ),
)


def _clt_params(rng: np.random.Generator) -> Params:
    n = int(rng.choice([4, 9, 16, 25, 36, 49, 64, 100, 144]))
    if rng.random() < 0.5:
        return {"family": "bernoulli", "p": int(rng.integers(5, 96)) / 100, "n": n}
    return {"family": "beta", "alpha": int(rng.integers(1, 11)) / 2, "beta": int(rng.integers(1, 11)) / 2, "n": n}


@per_variant
def _clt_moments(p: Params) -> tuple[float, float]:
    """Mean and variance of one draw."""
    if p["family"] == "bernoulli":
        dist = family("bernoulli", p=p["p"])
    else:
        dist = family("beta", alpha=p["alpha"], beta=p["beta"])
    return float(dist.mean()), float(dist.var())


@per_variant
def _clt_solve(p: Params) -> dict[str, float]:
    mean, var = _clt_moments(p)
    return {"mean": mean, "sd": float(np.sqrt(var / p["n"]))}


def _clt_prompt(p: Params) -> str:
    one = f"Bernoulli({p['p']:g})" if p["family"] == "bernoulli" else f"Beta({p['alpha']:g}, {p['beta']:g})"
    return (
        f"$\\bar X$ is the average of **n = {p['n']}** independent draws from **{one}**. By the "
        "central limit theorem it is approximately $\\mathcal N(\\mu, s^2)$. Give $\\mu$ "
        "(`mean`) and the standard deviation $s$ of the average (`sd`)."
    )


def _clt_link(p: Params) -> dict[str, object]:
    if p["family"] == "bernoulli":
        return {"clt_family": "Bernoulli", "clt_p": p["p"], "clt_n": p["n"]}
    return {"clt_family": "Beta", "clt_alpha": p["alpha"], "clt_beta": p["beta"], "clt_n": p["n"]}


CLT_STANDARD_ERROR = Exercise(
    id="moments.clt_standard_error",
    title="The central limit theorem: the spread of an average",
    generate=_clt_params,
    prompt=_clt_prompt,
    solve=_clt_solve,
    answer=Record({"mean": Number(rtol=1e-3), "sd": Number(rtol=1e-3)}),
    misconceptions=(
        Misconception(
            "forgot_sqrt_n",
            "Your s is the standard deviation of one draw; the average of n draws has "
            "standard deviation σ/√n. The Moments page's CLT section (link below, set to "
            "your family and n) shows the narrow bell.",
            lambda p: {"sd": float(np.sqrt(_clt_moments(p)[1]))},
        ),
        Misconception(
            "variance_over_n",
            "You gave σ²/n, the variance of the average; its standard deviation is the "
            "square root, σ/√n. See the CLT section of the Moments page (link below).",
            lambda p: {"sd": _clt_moments(p)[1] / p["n"]},
        ),
        Misconception(
            "divided_by_n",
            "You divided σ by n; the variance divides by n, so the standard deviation "
            "divides by √n. See the CLT section of the Moments page (link below).",
            lambda p: {"sd": float(np.sqrt(_clt_moments(p)[1])) / p["n"]},
        ),
    ),
    dashboard=DashboardLink("moments", _clt_link),
)


@hookimpl
def register_exercises(register: Callable[[Exercise], None]) -> None:
    for exercise in (
        VARIANCE_DISCRETE,
        LARGER_VARIANCE,
        VARIANCE_TWO_FORMULAS,
        COVARIANCE_CORRELATION,
        TOTAL_EXPECTATION,
        CLT_STANDARD_ERROR,
    ):
        register(exercise)
