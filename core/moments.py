"""Moments of random variables: expectation, variance, covariance, correlation.

Discrete distributions are given as ``values`` with their ``probs``; a pair (X, Y) as the
values of X, the values of Y and a joint table with X on rows. Samples get
:func:`sample_covariance` and :func:`sample_correlation`. The module ends with the law
of total expectation and a simulation of the central limit theorem for any of the five
families of :mod:`core.distributions`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from core.distributions import Gaussian, Grid
from core.distributions import family as make_family
from core.validation import (
    check_choice,
    check_finite,
    check_int,
    check_joint_table,
    check_probability_vector,
    check_same_shape,
)

__all__ = [
    "CLTResult",
    "TotalExpectation",
    "clt_sample_means",
    "correlation",
    "covariance",
    "expectation",
    "sample_correlation",
    "sample_covariance",
    "standard_deviation",
    "total_expectation",
    "variance",
]

VarianceMethod = Literal["definition", "computational"]


# --------------------------------------------------------------------------- helpers


def _vector(x: ArrayLike, name: str) -> NDArray[np.float64]:
    arr = check_finite(x, name)
    if arr.ndim != 1 or arr.shape[0] == 0:
        raise ValueError(f"`{name}` must be a non-empty 1-D array, got shape {arr.shape}")
    return arr.astype(np.float64)


def _discrete(values: ArrayLike, probs: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    x = _vector(values, "values")
    p = check_probability_vector(probs, "probs").astype(np.float64)
    check_same_shape(x, p, "values", "probs")
    return x, p


def _joint(
    x_values: ArrayLike, y_values: ArrayLike, joint: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    table = check_joint_table(joint).astype(np.float64)
    x = _vector(x_values, "x_values")
    y = _vector(y_values, "y_values")
    if x.shape[0] != table.shape[0]:
        raise ValueError(
            f"`x_values` must have one entry per row of `joint` ({table.shape[0]}); got {x.shape[0]}"
        )
    if y.shape[0] != table.shape[1]:
        raise ValueError(
            f"`y_values` must have one entry per column of `joint` ({table.shape[1]}); got {y.shape[0]}"
        )
    return x, y, table


# --------------------------------------------------------------------------- discrete


def expectation(values: ArrayLike, probs: ArrayLike) -> float:
    """Expectation of a discrete random variable.

    Parameters
    ----------
    values : array_like, shape (n,)
        The values x the variable takes (repeats allowed).
    probs : array_like, shape (n,)
        P(X = x) for each value; a probability vector.

    Returns
    -------
    float
        E[X].

    Notes
    -----
    E[X] = Σ x P(X = x).

    Examples
    --------
    >>> expectation([1, 2, 3, 4, 5, 6], [1 / 6] * 6)  # a fair die
    3.5
    """
    x, p = _discrete(values, probs)
    return float(x @ p)


def variance(
    values: ArrayLike, probs: ArrayLike, *, method: VarianceMethod = "definition"
) -> float:
    """Variance of a discrete random variable, by either of the course's two formulas.

    Parameters
    ----------
    values : array_like, shape (n,)
        The values x the variable takes.
    probs : array_like, shape (n,)
        P(X = x) for each value; a probability vector.
    method : {"definition", "computational"}, optional
        ``"definition"``: E[(X − E[X])²]. ``"computational"``: E[X²] − E[X]².

    Returns
    -------
    float
        Var(X).

    Notes
    -----
    Var(X) = E[(X − E[X])²] = E[X²] − E[X]². The two are equal in exact arithmetic;
    in floating point the computational formula subtracts two large numbers when
    |E[X]| is large compared with the spread and can lose every digit (it may even
    come out slightly negative, which is returned as is). The definition is the
    numerically safe one and the default.

    Examples
    --------
    >>> variance([1, 2, 3, 4, 5, 6], [1 / 6] * 6)  # 35/12
    2.9166666666666665
    >>> variance([0, 1], [0.7, 0.3], method="computational")  # p(1 − p)
    0.21
    """
    check_choice(method, "method", ("definition", "computational"))
    x, p = _discrete(values, probs)
    mean = float(x @ p)
    if method == "definition":
        return float(((x - mean) ** 2) @ p)
    return float((x**2) @ p - mean**2)


def standard_deviation(values: ArrayLike, probs: ArrayLike) -> float:
    """Standard deviation of a discrete random variable.

    Parameters
    ----------
    values : array_like, shape (n,)
        The values x the variable takes.
    probs : array_like, shape (n,)
        P(X = x) for each value; a probability vector.

    Returns
    -------
    float
        σ = √Var(X), with the variance by its definition.

    Notes
    -----
    σ = √E[(X − E[X])²].

    Examples
    --------
    >>> standard_deviation([-1, 1], [0.5, 0.5])
    1.0
    """
    return math.sqrt(variance(values, probs, method="definition"))


def covariance(x_values: ArrayLike, y_values: ArrayLike, joint: ArrayLike) -> float:
    """Covariance of two discrete random variables from their joint table.

    Parameters
    ----------
    x_values : array_like, shape (m,)
        Values of X, one per row of ``joint``.
    y_values : array_like, shape (n,)
        Values of Y, one per column of ``joint``.
    joint : array_like, shape (m, n)
        P(X = xᵢ, Y = yⱼ); non-negative, summing to 1.

    Returns
    -------
    float
        Cov(X, Y).

    Notes
    -----
    Cov(X, Y) = E[(X − E[X])(Y − E[Y])] = Σᵢⱼ P(xᵢ, yⱼ)(xᵢ − E[X])(yⱼ − E[Y]).

    Examples
    --------
    >>> round(covariance([0, 1], [0, 1], [[0.4, 0.1], [0.1, 0.4]]), 12)
    0.15
    """
    x, y, table = _joint(x_values, y_values, joint)
    dx = x - x @ table.sum(axis=1)
    dy = y - y @ table.sum(axis=0)
    return float(dx @ table @ dy)


def correlation(x_values: ArrayLike, y_values: ArrayLike, joint: ArrayLike) -> float:
    """Pearson correlation of two discrete random variables from their joint table.

    Parameters
    ----------
    x_values : array_like, shape (m,)
        Values of X, one per row of ``joint``.
    y_values : array_like, shape (n,)
        Values of Y, one per column of ``joint``.
    joint : array_like, shape (m, n)
        P(X = xᵢ, Y = yⱼ); non-negative, summing to 1.

    Returns
    -------
    float
        Corr(X, Y) in [−1, 1].

    Raises
    ------
    ValueError
        If X or Y is constant (zero variance): the correlation is undefined.

    Notes
    -----
    Corr(X, Y) = Cov(X, Y) / (σ_X σ_Y).

    Examples
    --------
    >>> round(correlation([0, 1], [0, 1], [[0.4, 0.1], [0.1, 0.4]]), 12)
    0.6
    """
    x, y, table = _joint(x_values, y_values, joint)
    sd_x = standard_deviation(x, table.sum(axis=1))
    sd_y = standard_deviation(y, table.sum(axis=0))
    for sd, name in ((sd_x, "X"), (sd_y, "Y")):
        if sd == 0:
            raise ValueError(f"`joint` makes {name} constant (zero variance); the correlation is undefined")
    return covariance(x, y, table) / (sd_x * sd_y)


# --------------------------------------------------------------------------- samples


def _paired_samples(
    x: ArrayLike, y: ArrayLike, axis: int
) -> tuple[NDArray[Any], NDArray[Any], int]:
    a = check_finite(x, "x")
    b = check_finite(y, "y")
    check_same_shape(a, b, "x", "y")
    if a.ndim == 0:
        raise ValueError("`x` must hold observations along an axis, got a scalar")
    axis = check_int(axis, "axis")
    if not -a.ndim <= axis < a.ndim:
        raise ValueError(f"`axis` {axis} is out of range for `x` with {a.ndim} dimension(s)")
    return a, b, axis


def sample_covariance(x: ArrayLike, y: ArrayLike, *, axis: int = 0, ddof: int = 1) -> Any:
    """Sample covariance of paired observations.

    Parameters
    ----------
    x, y : array_like
        Paired observations of the same shape; observations lie along ``axis``.
    axis : int, optional
        The axis of observations; the others are independent pairs of variables.
    ddof : int, optional
        Delta degrees of freedom: the sum of products is divided by n − ``ddof``
        (1, the default, gives the unbiased estimator, as :func:`numpy.cov`).

    Returns
    -------
    float or numpy.ndarray
        The covariance, a float for 1-D input, else an array without ``axis``.

    Notes
    -----
    s_xy = Σᵢ (xᵢ − x̄)(yᵢ − ȳ) / (n − ddof). Equals ``np.cov(x, y, ddof=ddof)[0, 1]``
    for 1-D input.

    Examples
    --------
    >>> sample_covariance([1.0, 2.0, 3.0], [2.0, 4.0, 7.0])
    2.5
    """
    a, b, axis = _paired_samples(x, y, axis)
    n = a.shape[axis]
    ddof = check_int(ddof, "ddof", minimum=0)
    if ddof >= n:
        raise ValueError(f"`ddof` must be < the number of observations ({n}); got {ddof}")
    da = a - a.mean(axis=axis, keepdims=True)
    db = b - b.mean(axis=axis, keepdims=True)
    cov = (da * db).sum(axis=axis) / (n - ddof)
    return float(cov) if cov.ndim == 0 else cov


def sample_correlation(x: ArrayLike, y: ArrayLike, *, axis: int = 0) -> Any:
    """Sample (Pearson) correlation of paired observations.

    Parameters
    ----------
    x, y : array_like
        Paired observations of the same shape; observations lie along ``axis``.
    axis : int, optional
        The axis of observations.

    Returns
    -------
    float or numpy.ndarray
        The correlation in [−1, 1], a float for 1-D input, else an array without ``axis``.

    Raises
    ------
    ValueError
        If fewer than 2 observations, or if ``x`` or ``y`` is constant along ``axis``.

    Notes
    -----
    r = Σ (xᵢ − x̄)(yᵢ − ȳ) / √(Σ (xᵢ − x̄)² Σ (yᵢ − ȳ)²). The ``ddof`` of the
    covariance and of the two standard deviations cancels, so there is no ``ddof``
    option. Equals ``np.corrcoef(x, y)[0, 1]`` for 1-D input.

    Examples
    --------
    >>> sample_correlation([1.0, 2.0, 3.0], [3.0, 2.0, 1.0])
    -1.0
    """
    a, b, axis = _paired_samples(x, y, axis)
    if a.shape[axis] < 2:
        raise ValueError(f"`x` must have at least 2 observations along axis {axis}; got {a.shape[axis]}")
    da = a - a.mean(axis=axis, keepdims=True)
    db = b - b.mean(axis=axis, keepdims=True)
    ssa = (da * da).sum(axis=axis)
    ssb = (db * db).sum(axis=axis)
    for ss, name in ((ssa, "x"), (ssb, "y")):
        if np.any(ss == 0):
            raise ValueError(f"`{name}` is constant along axis {axis}; the correlation is undefined")
    r = (da * db).sum(axis=axis) / np.sqrt(ssa * ssb)
    return float(r) if r.ndim == 0 else r


# --------------------------------------------------------------------------- total expectation


@dataclass(frozen=True, eq=False)
class TotalExpectation:
    """The pieces of the law of total expectation E[X] = E[E[X|Y]].

    Attributes
    ----------
    conditional_means : numpy.ndarray, shape (n,)
        E[X | Y = yⱼ] for each column j of the joint table.
    p_y : numpy.ndarray, shape (n,)
        The marginal P(Y = yⱼ).
    mean_of_conditional_means : float
        E[E[X|Y]] = Σⱼ P(Y = yⱼ) E[X | Y = yⱼ].
    mean : float
        E[X] computed directly from the marginal of X, for comparison.
    """

    conditional_means: NDArray[np.float64]
    p_y: NDArray[np.float64]
    mean_of_conditional_means: float
    mean: float


def total_expectation(x_values: ArrayLike, joint: ArrayLike) -> TotalExpectation:
    """Law of total expectation on a discrete joint table.

    Parameters
    ----------
    x_values : array_like, shape (m,)
        Values of X, one per row of ``joint``.
    joint : array_like, shape (m, n)
        P(X = xᵢ, Y = yⱼ), X on rows; every column must have positive mass (otherwise
        E[X | Y = yⱼ] is undefined).

    Returns
    -------
    TotalExpectation
        E[X|Y=y] per column, P(Y), E[E[X|Y]] and E[X].

    Notes
    -----
    E[X | Y = yⱼ] = Σᵢ xᵢ P(xᵢ, yⱼ) / P(yⱼ) and E[X] = Σⱼ P(yⱼ) E[X | Y = yⱼ].

    Examples
    --------
    >>> te = total_expectation([0, 10], [[0.3, 0.2], [0.1, 0.4]])
    >>> te.conditional_means.round(6)
    array([2.5     , 6.666667])
    >>> round(te.mean_of_conditional_means, 12), round(te.mean, 12)
    (5.0, 5.0)
    """
    table = check_joint_table(joint).astype(np.float64)
    x = _vector(x_values, "x_values")
    if x.shape[0] != table.shape[0]:
        raise ValueError(
            f"`x_values` must have one entry per row of `joint` ({table.shape[0]}); got {x.shape[0]}"
        )
    p_y = table.sum(axis=0)
    empty = p_y == 0
    if empty.any():
        j = int(np.argmax(empty))
        raise ValueError(
            f"`joint` column {j} has zero probability, so E[X | Y = y] is undefined there; "
            "drop that value of Y"
        )
    conditional_means = (x @ table) / p_y
    return TotalExpectation(
        conditional_means=conditional_means,
        p_y=p_y,
        mean_of_conditional_means=float(conditional_means @ p_y),
        mean=float(x @ table.sum(axis=1)),
    )


# --------------------------------------------------------------------------- CLT


@dataclass(frozen=True, eq=False)
class CLTResult:
    """Simulated sample means and their Gaussian approximation.

    Attributes
    ----------
    means : numpy.ndarray, shape (n_means,)
        Each entry is the mean of ``n`` independent draws.
    n : int
        Draws per mean.
    population_mean, population_var : float
        Mean and variance of one draw (of the scalar the family contributes).
    mu, sigma : float
        The CLT approximation N(mu, sigma²) of a sample mean: mu = population mean,
        sigma = √(population variance / n).
    grid : Grid
        Points over mu ± 4 sigma and the approximating density, for plotting.
    """

    means: NDArray[np.float64]
    n: int
    population_mean: float
    population_var: float
    mu: float
    sigma: float
    grid: Grid


# Bound on draws held in memory at once while simulating (about 8 MB of float64).
_CHUNK_DRAWS = 1 << 20


def clt_sample_means(
    family: str,
    params: Mapping[str, Any],
    n: int,
    n_means: int,
    *,
    rng: np.random.Generator | None = None,
    n_points: int = 201,
) -> CLTResult:
    """Simulate the central limit theorem for one of the five families.

    Parameters
    ----------
    family : str
        A name from :data:`core.distributions.FAMILIES`.
    params : mapping
        The family's parameters, as for :func:`core.distributions.family`.
    n : int
        Draws averaged into each sample mean, ≥ 1.
    n_means : int
        Number of sample means to simulate, ≥ 1.
    rng : numpy.random.Generator, optional
        Source of randomness; None means a fresh ``default_rng()``.
    n_points : int, optional
        Points in the plotting grid of the approximating Gaussian.

    Returns
    -------
    CLTResult
        The simulated means and N(mean, var/n) with its density on a grid.

    Raises
    ------
    ValueError
        For an unknown family or bad parameters, ``n`` or ``n_means`` < 1, or a
        distribution with zero variance (the approximation would be a point mass).

    Notes
    -----
    For iid X₁ … Xₙ with mean μ and variance σ², X̄ₙ is approximately N(μ, σ²/n) for
    large n. The scalar averaged is the draw itself for Bernoulli, Gaussian and Beta;
    the outcome index 0 … K−1 for the Categorical; the first component π₁ for the
    Dirichlet (its marginal is Beta(α₁, α₀ − α₁)).

    Examples
    --------
    >>> res = clt_sample_means("bernoulli", {"p": 0.3}, 100, 500, rng=np.random.default_rng(0))
    >>> res.means.shape, res.mu, round(res.sigma, 4)  # sigma = √(0.3·0.7/100)
    ((500,), 0.3, 0.0458)
    """
    dist = make_family(family, **params)
    n = check_int(n, "n", minimum=1)
    n_means = check_int(n_means, "n_means", minimum=1)
    pop_mean = float(np.atleast_1d(dist.mean())[0])
    pop_var = float(np.atleast_1d(dist.var())[0])
    if pop_var == 0:
        raise ValueError(
            f"`params` give a {family} distribution with zero variance; "
            "its sample mean is constant and has no Gaussian approximation"
        )
    if rng is None:
        rng = np.random.default_rng()
    means = np.empty(n_means, dtype=np.float64)
    rows = max(1, _CHUNK_DRAWS // n)
    for start in range(0, n_means, rows):
        stop = min(start + rows, n_means)
        draws = np.asarray(dist.sample((stop - start, n), rng=rng), dtype=np.float64)
        if draws.ndim == 3:  # Dirichlet: (rows, n, K) -> first component
            draws = draws[..., 0]
        means[start:stop] = draws.mean(axis=1)
    sigma = math.sqrt(pop_var / n)
    approx = Gaussian(pop_mean, sigma)
    return CLTResult(
        means=means,
        n=n,
        population_mean=pop_mean,
        population_var=pop_var,
        mu=pop_mean,
        sigma=sigma,
        grid=approx.grid(n_points=n_points),
    )
