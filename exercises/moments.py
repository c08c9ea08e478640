"""Moments: variance by both formulas, covariance and correlation, E[E[X|Y]], the CLT."""

from __future__ import annotations

import math
from typing import Any

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
    prob_text,
    probs,
    ratio_apart,
    table_text,
)
from grader import Choice, Number, Params, Record
from grader.authoring import Draw, Values, collect, counts, exercise, mistake


def _sorted_distinct(lo: int, hi: int, size: int) -> Draw:
    """``size`` distinct integers of ``[lo, hi)`` in increasing order."""
    return Draw(lambda rng: sorted(int(v) for v in rng.choice(np.arange(lo, hi), size=size, replace=False)), f"{size} distinct of [{lo}, {hi})")


def _pmf(values: list[int], weights: list[int]) -> str:
    """A distribution as a markdown table: the values, and their weights as fractions."""
    total = sum(weights)
    return markdown_table(["x", *values], [["P(X = x)", *(f"{w}/{total}" for w in weights)]])


def _joint_table(x_values: list[int], y_labels: list[object], counts_: list[list[int]]) -> str:
    """A joint distribution as a markdown table, X by rows and Y by columns."""
    total = sum(map(sum, counts_))
    rows = [[f"X = {x}", *(f"{c}/{total}" for c in row)] for x, row in zip(x_values, counts_, strict=True)]
    return markdown_table(["", *(f"Y = {y}" for y in y_labels)], rows)


def _moments_of(values: list[int], weights: list[int]) -> dict[str, float]:
    p = probs(weights)
    return {
        "mean": expectation(values, p),
        "var": variance(values, p),
        "second": expectation(np.square(values), p),
        "sd": standard_deviation(values, p),
    }


def _distribution_link(values: list[int], weights: list[int]) -> dict[str, str]:
    return {"values": joined(values), "probs": prob_text(weights)}


_MOMENTS: dict[str, Any] = {"page": "moments", "page_title": "Random variables & moments", "filters": {"pmf": _pmf, "joint": _joint_table}}
_A_DISTRIBUTION: dict[str, Draw] = {"values": _sorted_distinct(-3, 10, 3), "weights": counts(3, hi=6)}


def _variance_accept(v: Values) -> bool:
    # Var(X), E[X²] and σ above 0.1 and, in increasing order, each 5% above the one before;
    # E[X²] as Var + E[X]² and σ as Var**0.5, the arithmetic the variants were first drawn
    # with (at [-3, 0, 1] with weights [2, 4, 3] the 5% test is a tie decided by the last bit).
    answers = [v.var, v.var + v.mean**2, v.var**0.5]
    return min(answers) > 0.1 and ratio_apart(answers)


VARIANCE_DISCRETE = exercise(
    id="moments.variance_discrete",
    title="Variance of a discrete random variable",
    params=_A_DISTRIBUTION,
    derive=lambda v: _moments_of(v["values"], v.weights),
    accept=_variance_accept,
    prompt="""A random variable X has this distribution:

[[ values | pmf(weights) ]]

What is Var(X)?""",
    solve=lambda v: v.var,
    answer=Number(rtol=1e-3, atol=1e-9),
    misconceptions=[
        mistake("second_moment", "You computed E[X²]. The variance subtracts the squared mean: Var(X) = E[X²] − E[X]².", lambda v: v.second),
        mistake("standard_deviation", "That is the standard deviation σ; the variance is its square, σ².", lambda v: v.sd),
    ],
    **_MOMENTS,
    link=lambda v: _distribution_link(v["values"], v.weights),
)


def _two_derive(v: Values) -> dict[str, object]:
    return {"a": _moments_of(v.a_values, v.a_weights), "b": _moments_of(v.b_values, v.b_weights)}


def _larger(v: Values, measure: str) -> str:
    return "A" if v.a[measure] > v.b[measure] else "B"


LARGER_VARIANCE = exercise(
    id="moments.larger_variance",
    title="Which distribution is more spread out?",
    params={"a_values": _A_DISTRIBUTION["values"], "a_weights": _A_DISTRIBUTION["weights"], "b_values": _A_DISTRIBUTION["values"], "b_weights": _A_DISTRIBUTION["weights"]},
    derive=_two_derive,
    # The one with the larger mean has the smaller variance (so comparing means misleads),
    # and both differ by more than 0.5.
    accept=lambda v: abs(v.a["var"] - v.b["var"]) > 0.5 and abs(v.a["mean"] - v.b["mean"]) > 0.5 and (v.a["mean"] > v.b["mean"]) == (v.a["var"] < v.b["var"]),
    prompt="""Distribution A:

[[ a_values | pmf(a_weights) ]]

Distribution B:

[[ b_values | pmf(b_weights) ]]

Which has the larger variance? Answer `A` or `B`.""",
    solve=lambda v: _larger(v, "var"),
    answer=Choice(("A", "B")),
    misconceptions=[
        mistake(
            "compared_means",
            "You picked the distribution with the larger mean. Variance measures spread around the mean, E[(X − E[X])²], not its location; set the page to each distribution in turn to see the mean and the spread separately.",
            lambda v: _larger(v, "mean"),
        ),
    ],
    **_MOMENTS,
    link=lambda v: _distribution_link(v.a_values, v.a_weights),
)


def _shifted_values(rng: np.random.Generator) -> list[int]:
    # Three values around a large offset: the shift changes E[X] and E[X²], not Var(X).
    offset = int(rng.integers(2, 10)) * 10
    return sorted(offset + int(v) for v in rng.choice(np.arange(0, 8), size=3, replace=False))


_SHIFTED_MISTAKES = [
    mistake("mean_not_squared", "You subtracted E[X] instead of E[X]²: the computational formula is Var(X) = E[X²] − (E[X])².", lambda v: {"variance": v.second - v.mean}),
    mistake(
        "unweighted_deviations",
        "You averaged the squared deviations (x − E[X])² with equal weights; the definition weights each by its probability: Var(X) = Σ P(x)(x − E[X])².",
        lambda v: {"variance": expectation((np.asarray(v["values"]) - v.mean) ** 2, np.full(3, 1 / 3))},
    ),
    mistake("standard_deviation", "That is the standard deviation σ; the variance is σ².", lambda v: {"variance": v.sd}),
]

def _tolerances(record: Record) -> str:
    """Each field's tolerance, in words, for a prompt."""
    return "the tolerances are " + ", ".join(f"`{name}` relative {n.rtol:g}" for name, n in record.fields.items())


_TWO_FORMULAS = Record({"mean": Number(rtol=1e-4), "second_moment": Number(rtol=1e-5), "variance": Number(rtol=1e-3)})

VARIANCE_TWO_FORMULAS = exercise(
    id="moments.variance_two_formulas",
    title="Variance by the definition and by E[X²] − E[X]²",
    params={"values": Draw(_shifted_values, "3 distinct of [offset, offset + 8)"), "weights": counts(3, hi=6)},
    derive=lambda v: _moments_of(v["values"], v.weights),
    accept=lambda v: v.var > 0.2 and apart([v.var, *(m.answer(v)["variance"] for m in _SHIFTED_MISTAKES)]),
    prompt=r"""A random variable X has this distribution:

[[ values | pmf(weights) ]]

Give $E[X]$ (`mean`), $E[X^2]$ (`second_moment`) and $\mathrm{Var}(X)$ (`variance`). Check that the definition $E[(X - E[X])^2]$ and the computational formula $E[X^2] - E[X]^2$ agree.

$E[X^2]$ is in the thousands and the variance a small difference of large numbers, so give six significant figures: """
    + _tolerances(_TWO_FORMULAS)
    + ".",
    solve=lambda v: {"mean": v.mean, "second_moment": v.second, "variance": variance(v["values"], probs(v.weights), method="computational")},
    answer=_TWO_FORMULAS,
    points=2.0,
    misconceptions=_SHIFTED_MISTAKES,
    **_MOMENTS,
    link=lambda v: _distribution_link(v["values"], v.weights),
)


def _joint_draw(rng: np.random.Generator) -> Params:
    return {
        "x_values": sorted(int(v) for v in rng.choice(np.arange(-2, 5), size=2, replace=False)),
        "y_values": sorted(int(v) for v in rng.choice(np.arange(-2, 6), size=3, replace=False)),
        "counts": rng.integers(0, 6, size=(2, 3)).tolist(),
    }


def _joint_derive(v: Values) -> dict[str, object]:
    counts_ = np.asarray(v.counts)
    # Every row and column used, three cells at least: refused before anything is computed.
    if counts_.sum(axis=1).min() == 0 or counts_.sum(axis=0).min() == 0 or (counts_ > 0).sum() < 3:
        return {"ok": False}
    joint = probs(v.counts)
    return {
        "ok": True,
        "joint": joint,
        "cov": covariance(v.x_values, v.y_values, joint),
        "corr": correlation(v.x_values, v.y_values, joint),
        "e_xy": expectation(np.outer(v.x_values, v.y_values).ravel(), joint.ravel()),
        "var_x": variance(v.x_values, joint.sum(axis=1)),
        "var_y": variance(v.y_values, joint.sum(axis=0)),
    }


_COV_MISTAKES = [
    mistake("e_xy_for_covariance", "Your covariance is E[XY]; the covariance subtracts the product of the means: Cov(X, Y) = E[XY] − E[X]E[Y].", lambda v: {"covariance": v.e_xy}),
    mistake(
        "covariance_for_correlation",
        "Your correlation is the covariance itself; divide by both standard deviations: Corr = Cov / (σ_X σ_Y), which lies in [−1, 1].",
        lambda v: {"correlation": v.cov},
    ),
    mistake(
        "variances_for_deviations",
        "You divided the covariance by the variances; divide by the standard deviations, σ_X σ_Y = √(Var X · Var Y).",
        lambda v: {"correlation": v.cov / (v.var_x * v.var_y)},
    ),
]


def _cov_accept(v: Values) -> bool:
    # A clear correlation; E[XY] apart from Cov, the wrong correlations apart from Corr.
    if not v.ok:
        return False
    wrong_corr = [m.answer(v)["correlation"] for m in _COV_MISTAKES[1:]]
    return abs(v.corr) > 0.1 and apart((v.cov, v.e_xy), atol=0.01) and apart([v.corr, *wrong_corr], atol=0.01)


COVARIANCE_CORRELATION = exercise(
    id="moments.covariance_correlation",
    title="Covariance and correlation from a joint table",
    generate=_joint_draw,
    derive=_joint_derive,
    accept=_cov_accept,
    prompt=r"""The joint distribution of X and Y:

[[ x_values | joint(y_values, counts) ]]

Give the covariance $\mathrm{Cov}(X, Y)$ (`covariance`) and the correlation $\mathrm{Corr}(X, Y)$ (`correlation`).""",
    solve=lambda v: {"covariance": v.cov, "correlation": v.corr},
    answer=Record({"covariance": Number(rtol=1e-3, atol=1e-6), "correlation": Number(rtol=1e-3, atol=1e-6)}),
    points=2.0,
    misconceptions=_COV_MISTAKES,
    **_MOMENTS,
    link=lambda v: {"x_values": joined(v.x_values), "y_values": joined(v.y_values), "joint": table_text(probs(v.counts))},
)


def _tower_draw(rng: np.random.Generator) -> list[list[int]]:
    # Columns of different weight (so an unweighted average of the conditional means is
    # wrong) and different shape (so the conditional means differ).
    return np.column_stack([rng.integers(1, 4, size=3), rng.integers(3, 10, size=3)]).tolist()


def _tower_derive(v: Values) -> dict[str, object]:
    joint = probs(v.counts)
    te = total_expectation(v.x_values, joint)
    return {
        "cond": [float(m) for m in te.conditional_means],
        "mean": float(te.mean_of_conditional_means),
        "unweighted": expectation(te.conditional_means, np.full(2, 0.5)),
        # Σ x P(x, y₁): the joint column, not divided by P(y₁).
        "unnormalised": float(np.asarray(v.x_values, dtype=float) @ joint[:, 0]),
    }


TOTAL_EXPECTATION = exercise(
    id="moments.total_expectation",
    title="The law of total expectation E[X] = E[E[X|Y]]",
    params={"x_values": _sorted_distinct(0, 10, 3), "counts": Draw(_tower_draw, "3 x 2 positive counts")},
    derive=_tower_derive,
    accept=lambda v: apart((v.mean, v.unweighted)) and apart((v.cond[0], v.unnormalised)),
    prompt=r"""The joint distribution of X and Y ∈ {1, 2}:

[[ x_values | joint([1, 2], counts) ]]

Give the conditional means $E[X \mid Y = 1]$ (`cond_mean_1`) and $E[X \mid Y = 2]$ (`cond_mean_2`), and $E[X]$ computed as $E[E[X \mid Y]]$ (`mean`).""",
    solve=lambda v: {"cond_mean_1": v.cond[0], "cond_mean_2": v.cond[1], "mean": v.mean},
    answer=Record({"cond_mean_1": Number(rtol=1e-3), "cond_mean_2": Number(rtol=1e-3), "mean": Number(rtol=1e-3)}),
    points=2.0,
    misconceptions=[
        mistake(
            "unweighted_average",
            "You averaged the two conditional means with equal weights. E[E[X|Y]] weights each by how likely its condition is: Σ_y P(Y = y) E[X | Y = y].",
            lambda v: {"mean": v.unweighted},
        ),
        mistake(
            "joint_not_conditional",
            "Your E[X | Y = 1] is Σ x P(x, Y = 1), which uses the joint column; a conditional mean divides it by P(Y = 1).",
            lambda v: {"cond_mean_1": v.unnormalised},
        ),
    ],
    **_MOMENTS,
    link=lambda v: {"x_values": joined(v.x_values), "y_values": "1, 2", "joint": table_text(probs(v.counts))},
)


def _clt_draw(rng: np.random.Generator) -> Params:
    n = int(rng.choice([4, 9, 16, 25, 36, 49, 64, 100, 144]))
    if rng.random() < 0.5:
        return {"family": "bernoulli", "p": int(rng.integers(5, 96)) / 100, "n": n}
    return {"family": "beta", "alpha": int(rng.integers(1, 11)) / 2, "beta": int(rng.integers(1, 11)) / 2, "n": n}


def _clt_derive(v: Values) -> dict[str, float]:
    """Mean and variance of one draw."""
    dist = family("bernoulli", p=v.p) if v.family == "bernoulli" else family("beta", alpha=v.alpha, beta=v.beta)
    return {"mu": float(dist.mean()), "var": float(dist.var())}


def _clt_link(v: Values) -> dict[str, object]:
    if v.family == "bernoulli":
        return {"clt_family": "Bernoulli", "clt_p": v.p, "clt_n": v.n}
    return {"clt_family": "Beta", "clt_alpha": v.alpha, "clt_beta": v.beta, "clt_n": v.n}


CLT_STANDARD_ERROR = exercise(
    id="moments.clt_standard_error",
    title="The central limit theorem: the spread of an average",
    generate=_clt_draw,
    derive=_clt_derive,
    prompt=r"""$\bar X$ is the average of **n = [[ n ]]** independent draws from **[% if family == "bernoulli" %]Bernoulli([[ p | fmt('g') ]])[% else %]Beta([[ alpha | fmt('g') ]], [[ beta | fmt('g') ]])[% endif %]**. By the central limit theorem it is approximately $\mathcal N(\mu, s^2)$. Give $\mu$ (`mean`) and the standard deviation $s$ of the average (`sd`).""",
    solve=lambda v: {"mean": v.mu, "sd": float(np.sqrt(v.var / v.n))},
    answer=Record({"mean": Number(rtol=1e-3), "sd": Number(rtol=1e-3)}),
    misconceptions=[
        mistake("forgot_sqrt_n", "Your s is the standard deviation of one draw; the average of n draws has standard deviation σ/√n (the page's CLT section draws the narrow bell).", lambda v: {"sd": math.sqrt(v.var)}),
        mistake("variance_over_n", "You gave σ²/n, the variance of the average; its standard deviation is the square root, σ/√n.", lambda v: {"sd": v.var / v.n}),
        mistake("divided_by_n", "You divided σ by n; the variance divides by n, so the standard deviation divides by √n.", lambda v: {"sd": math.sqrt(v.var) / v.n}),
    ],
    **_MOMENTS,
    link=_clt_link,
)

register_exercises = collect(__name__)
