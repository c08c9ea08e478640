"""The five distributions of the course, as small validated frozen dataclasses.

Each family wraps the matching :mod:`scipy.stats` distribution (no density is written
by hand) and offers the same vocabulary, so the dashboard and the central-limit code can
treat them alike:

==============  ====================  ==============================================
family          parameters            density / mass method
==============  ====================  ==============================================
``bernoulli``   ``p`` in [0, 1]       ``pmf``, ``logpmf`` on {0, 1}
``categorical`` ``probs`` (K ≥ 1)     ``pmf``, ``logpmf`` on outcomes 0 … K−1
``gaussian``    ``mu``, ``sigma`` > 0 ``pdf``, ``logpdf``
``beta``        ``alpha``, ``beta``   ``pdf``, ``logpdf`` on [0, 1]
``dirichlet``   ``alpha`` (K ≥ 2)     ``pdf``, ``logpdf`` on the (K−1)-simplex
==============  ====================  ==============================================

and on every family ``mean()``, ``var()``, ``entropy(base=None)`` (nats by default;
differential entropy for the continuous ones), ``sample(size, rng=...)`` and ``grid(...)``
(points and densities for a plot). :func:`family` builds one by its lowercase name.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from typing import Any, ClassVar, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats

from core.validation import (
    check_choice,
    check_finite,
    check_int,
    check_log_base,
    check_positive,
    check_probability,
    check_probability_vector,
    check_rng,
    check_scalar,
)

__all__ = [
    "FAMILIES",
    "LLM_CONNECTION",
    "Bernoulli",
    "Beta",
    "Categorical",
    "Dirichlet",
    "Distribution",
    "Gaussian",
    "Grid",
    "barycentric_to_cartesian",
    "family",
]

#: Lowercase names accepted by :func:`family`, in the course's order.
FAMILIES: tuple[str, ...] = ("bernoulli", "categorical", "gaussian", "beta", "dirichlet")

#: One sentence per family on where it shows up in an LLM (after the course's table).
LLM_CONNECTION: dict[str, str] = {
    "bernoulli": (
        "A yes/no outcome: the output of a binary classification head or a reward model "
        "that scores a response as preferred or not."
    ),
    "categorical": (
        "Next-token prediction: the softmax layer turns logits into a Categorical "
        "distribution over the vocabulary, and generation samples from it."
    ),
    "gaussian": (
        "Weights are initialised from Gaussians (Xavier/Kaiming), a VAE's latent code is "
        "Gaussian, and additive noise is usually modelled as Gaussian."
    ),
    "beta": (
        "The conjugate prior for a coin's bias p, so it is the posterior in Bayesian "
        "A/B tests of, say, which of two responses users prefer."
    ),
    "dirichlet": (
        "A distribution over probability vectors: a prior over token distributions, and "
        "the topic-mixture prior of LDA topic models."
    ),
}

#: Size of a sample: None for one draw, an int, or a tuple of ints.
Size = int | tuple[int, ...] | None


class Grid(NamedTuple):
    """Points and the density (or mass) at each, ready to plot.

    For the Dirichlet, ``x`` holds barycentric points with shape (N, 3).
    """

    x: NDArray[Any]
    density: NDArray[np.float64]


# --------------------------------------------------------------------------- helpers


def _in_base(nats: float, base: float | None) -> float:
    return nats / check_log_base(base)


def _check_size(size: Size) -> Size:
    if size is None:
        return None
    if isinstance(size, tuple):
        return tuple(check_int(s, "size", minimum=0) for s in size)
    return check_int(size, "size", minimum=0)


def _check_n_points(n_points: int, minimum: int = 2) -> int:
    return check_int(n_points, "n_points", minimum=minimum)


class _ScipyUnivariate:
    """Moments, entropy and sampling of a one-dimensional family, read off ``self._rv``.

    Each family sets ``_rv`` to its frozen scipy.stats distribution; the formulas are in
    the family's own docstring.
    """

    _rv: Any

    def mean(self) -> float:
        """E[X]."""
        return float(self._rv.mean())

    def var(self) -> float:
        """Var(X)."""
        return float(self._rv.var())

    def entropy(self, *, base: float | None = None) -> float:
        """(Differential) entropy, in nats unless ``base`` is given."""
        return _in_base(float(self._rv.entropy()), base)

    def sample(self, size: Size = None, *, rng: np.random.Generator | None = None) -> Any:
        """Draw values of shape ``size`` (a plain number when ``size`` is None)."""
        return self._rv.rvs(size=_check_size(size), random_state=check_rng(rng))


class _ScipyContinuous(_ScipyUnivariate):
    """Density and log density of a continuous one-dimensional family."""

    def pdf(self, x: ArrayLike) -> NDArray[np.float64]:
        """Density at ``x``."""
        return np.asarray(self._rv.pdf(check_finite(x, "x")), dtype=np.float64)

    def logpdf(self, x: ArrayLike) -> NDArray[np.float64]:
        """Log density at ``x`` (−inf where the density is 0)."""
        return np.asarray(self._rv.logpdf(check_finite(x, "x")), dtype=np.float64)


# --------------------------------------------------------------------------- families


@dataclass(frozen=True)
class Bernoulli(_ScipyUnivariate):
    """Bernoulli(p): 1 with probability ``p``, 0 otherwise.

    Parameters
    ----------
    p : float
        Probability of the outcome 1, in [0, 1].

    Notes
    -----
    P(X = x) = pˣ(1−p)^(1−x) for x ∈ {0, 1}; E[X] = p, Var(X) = p(1−p),
    H = −p log p − (1−p) log(1−p). Wraps :data:`scipy.stats.bernoulli`.

    Examples
    --------
    >>> d = Bernoulli(0.3)
    >>> d.mean(), round(d.var(), 2)
    (0.3, 0.21)
    >>> d.pmf([0, 1])
    array([0.7, 0.3])
    >>> round(d.entropy(base=2), 4)
    0.8813
    """

    p: float
    name: ClassVar[str] = "bernoulli"
    discrete: ClassVar[bool] = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "p", float(check_probability(check_scalar(self.p, "p"), "p")))

    @cached_property
    def _rv(self) -> Any:
        return stats.bernoulli(self.p)

    def pmf(self, x: ArrayLike) -> NDArray[np.float64]:
        """Probability mass at ``x`` (0 away from {0, 1})."""
        return np.asarray(self._rv.pmf(check_finite(x, "x")), dtype=np.float64)

    def logpmf(self, x: ArrayLike) -> NDArray[np.float64]:
        """Log probability mass at ``x`` (−inf where the mass is 0)."""
        return np.asarray(self._rv.logpmf(check_finite(x, "x")), dtype=np.float64)

    def grid(self) -> Grid:
        """The support {0, 1} and its masses."""
        x = np.array([0, 1])
        return Grid(x, self.pmf(x))


@dataclass(frozen=True, init=False)
class Categorical:
    """Categorical(π) over the outcomes 0, 1, …, K−1.

    Parameters
    ----------
    probs : array_like
        A probability vector of length K ≥ 1 (non-negative, summing to 1).

    Notes
    -----
    P(Y = k) = πₖ. Mean and variance treat the outcomes as the numbers 0 … K−1:
    E[Y] = Σ k πₖ, Var(Y) = Σ k² πₖ − E[Y]² (a convention: a category has no order).
    H = −Σ πₖ log πₖ. Mean, variance and entropy come from
    :class:`scipy.stats.rv_discrete` with ``xk = 0 … K−1``; the mass is a look-up in
    ``probs`` and sampling uses numpy's ``Generator.choice``, both linear in K (scipy's
    versions are O(N·K)).
    ``probs`` is stored as a tuple, so the object is hashable.

    Examples
    --------
    >>> d = Categorical([0.5, 0.25, 0.25])
    >>> d.pmf([0, 2, 3])
    array([0.5 , 0.25, 0.  ])
    >>> d.mean(), d.var()
    (0.75, 0.6875)
    >>> d.entropy(base=2)
    1.5
    """

    probs: tuple[float, ...]
    name: ClassVar[str] = "categorical"
    discrete: ClassVar[bool] = True

    def __init__(self, probs: ArrayLike) -> None:
        arr = check_probability_vector(probs, "probs")
        if arr.ndim != 1:
            raise ValueError(f"`probs` must be 1-D, got shape {arr.shape}")
        object.__setattr__(self, "probs", tuple(float(v) for v in arr))

    @property
    def k(self) -> int:
        """Number of categories K."""
        return len(self.probs)

    @cached_property
    def _rv(self) -> Any:
        return stats.rv_discrete(values=(np.arange(self.k), np.asarray(self.probs)))

    def pmf(self, x: ArrayLike) -> NDArray[np.float64]:
        """Probability mass at ``x`` (0 away from 0 … K−1)."""
        # A table look-up: scipy's rv_discrete.pmf compares every x with every outcome,
        # O(len(x)·K) time and memory, far too slow for a vocabulary-sized K.
        xs = check_finite(x, "x")
        on_support = (xs == np.round(xs)) & (xs >= 0) & (xs < self.k)
        out = np.zeros(xs.shape, dtype=np.float64)
        out[on_support] = np.asarray(self.probs)[xs[on_support].astype(np.intp)]
        return out

    def logpmf(self, x: ArrayLike) -> NDArray[np.float64]:
        """Log probability mass at ``x`` (−inf where the mass is 0)."""
        with np.errstate(divide="ignore"):  # log 0 = −inf is the right answer here
            return np.log(self.pmf(x))

    def mean(self) -> float:
        """E[Y] with outcomes 0 … K−1."""
        return float(self._rv.mean())

    def var(self) -> float:
        """Var(Y) with outcomes 0 … K−1."""
        return float(self._rv.var())

    def entropy(self, *, base: float | None = None) -> float:
        """Entropy, in nats unless ``base`` is given."""
        return _in_base(float(self._rv.entropy()), base)

    def sample(self, size: Size = None, *, rng: np.random.Generator | None = None) -> Any:
        """Draw outcome indices in 0 … K−1 of shape ``size``.

        Uses :meth:`numpy.random.Generator.choice` (inverse CDF, O(K + N log K)) rather
        than scipy's rv_discrete sampler, which builds an N×K comparison. numpy wants the
        sum within ~1e-8 of 1, so ``probs`` is divided by its sum, a change no larger
        than the validation tolerance.
        """
        p = np.asarray(self.probs)
        return check_rng(rng).choice(self.k, size=_check_size(size), p=p / p.sum())

    def grid(self) -> Grid:
        """The outcomes 0 … K−1 and their masses."""
        x = np.arange(self.k)
        return Grid(x, self.pmf(x))


@dataclass(frozen=True)
class Gaussian(_ScipyContinuous):
    """Gaussian N(mu, sigma²).

    Parameters
    ----------
    mu : float
        Mean (finite).
    sigma : float
        Standard deviation, > 0 (not the variance).

    Notes
    -----
    p(x) = (2πσ²)^−½ exp(−(x−μ)²/2σ²); E[X] = μ, Var(X) = σ²,
    differential entropy ½ log(2πeσ²). Wraps :data:`scipy.stats.norm`.

    Examples
    --------
    >>> d = Gaussian(0.0, 2.0)
    >>> d.var()
    4.0
    >>> round(float(d.pdf(0.0)), 6)
    0.199471
    >>> round(d.entropy(), 6)
    2.112086
    """

    mu: float
    sigma: float
    name: ClassVar[str] = "gaussian"
    discrete: ClassVar[bool] = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "mu", float(check_finite(check_scalar(self.mu, "mu"), "mu")))
        sigma = float(check_positive(check_scalar(self.sigma, "sigma"), "sigma"))
        object.__setattr__(self, "sigma", sigma)

    @cached_property
    def _rv(self) -> Any:
        return stats.norm(loc=self.mu, scale=self.sigma)

    def grid(self, *, n_points: int = 201, width: float = 4.0) -> Grid:
        """``n_points`` evenly spaced points over μ ± ``width``·σ and their densities."""
        n = _check_n_points(n_points)
        w = float(check_positive(check_scalar(width, "width"), "width"))
        x = np.linspace(self.mu - w * self.sigma, self.mu + w * self.sigma, n)
        return Grid(x, self.pdf(x))


@dataclass(frozen=True)
class Beta(_ScipyContinuous):
    """Beta(alpha, beta) on [0, 1].

    Parameters
    ----------
    alpha, beta : float
        Shape parameters, both > 0 (pseudo-counts of ones and zeros).

    Notes
    -----
    p(x) = x^(α−1)(1−x)^(β−1)/B(α,β); E[X] = α/(α+β),
    Var(X) = αβ/((α+β)²(α+β+1)). Wraps :data:`scipy.stats.beta`.

    Examples
    --------
    >>> d = Beta(6.0, 3.0)  # the course's posterior after 4 heads, 1 tail from Beta(2, 2)
    >>> round(d.mean(), 3)
    0.667
    >>> float(d.pdf(0.5))  # 0.5⁵·0.5²/B(6, 3) = 168/2⁷
    1.3125
    """

    alpha: float
    beta: float
    name: ClassVar[str] = "beta"
    discrete: ClassVar[bool] = False

    def __post_init__(self) -> None:
        for field in ("alpha", "beta"):
            value = float(check_positive(check_scalar(getattr(self, field), field), field))
            object.__setattr__(self, field, value)

    @cached_property
    def _rv(self) -> Any:
        return stats.beta(self.alpha, self.beta)

    def grid(self, *, n_points: int = 200) -> Grid:
        """Midpoints of ``n_points`` equal cells of [0, 1] and their densities.

        Midpoints avoid the ends, where the density is infinite when α < 1 or β < 1.
        """
        n = _check_n_points(n_points)
        x = (np.arange(n) + 0.5) / n
        return Grid(x, self.pdf(x))


@dataclass(frozen=True, init=False)
class Dirichlet:
    """Dirichlet(alpha): a distribution over probability vectors of length K ≥ 2.

    Parameters
    ----------
    alpha : array_like
        Concentrations, a 1-D vector of K ≥ 2 entries, all > 0. Stored as a tuple.

    Notes
    -----
    p(π) = ∏ πₖ^(αₖ−1) / B(α) on the simplex; with α₀ = Σ αₖ,
    E[πₖ] = αₖ/α₀ and Var(πₖ) = αₖ(α₀−αₖ)/(α₀²(α₀+1)) (``mean`` and ``var`` return
    these vectors; ``var`` gives the marginal variances, not the covariance matrix).
    Points are arrays whose last axis holds the K components (as ``sample`` returns
    them). Wraps :data:`scipy.stats.dirichlet`.

    Examples
    --------
    >>> d = Dirichlet([2.0, 3.0, 5.0])
    >>> d.mean()
    array([0.2, 0.3, 0.5])
    >>> round(float(d.pdf([0.2, 0.3, 0.5])), 4)  # Γ(10)/(Γ(2)Γ(3)Γ(5)) · 0.2 · 0.3² · 0.5⁴
    8.505
    >>> d.sample(4, rng=np.random.default_rng(0)).shape
    (4, 3)
    """

    alpha: tuple[float, ...]
    name: ClassVar[str] = "dirichlet"
    discrete: ClassVar[bool] = False

    def __init__(self, alpha: ArrayLike) -> None:
        arr = check_positive(alpha, "alpha")
        if arr.ndim != 1 or arr.shape[0] < 2:
            raise ValueError(f"`alpha` must be a 1-D vector of at least 2 entries, got shape {arr.shape}")
        object.__setattr__(self, "alpha", tuple(float(v) for v in arr))

    @property
    def k(self) -> int:
        """Number of components K."""
        return len(self.alpha)

    @cached_property
    def _rv(self) -> Any:
        return stats.dirichlet(np.asarray(self.alpha))

    def _points(self, x: ArrayLike) -> NDArray[Any]:
        # scipy's own simplex tolerance is 1e-9; check with it so our message is the one seen.
        arr = check_probability_vector(x, "x", atol=1e-9)
        if arr.shape[-1] != self.k:
            raise ValueError(f"`x` must have {self.k} components on its last axis, got shape {arr.shape}")
        at_zero = (arr == 0) & (np.asarray(self.alpha) < 1)
        if at_zero.any():
            raise ValueError(
                "`x` has a zero component where alpha < 1; the density is infinite there"
            )
        return arr

    def pdf(self, x: ArrayLike) -> NDArray[np.float64]:
        """Density at the simplex point(s) ``x`` (shape (..., K)); result shape (...)."""
        arr = self._points(x)
        flat = arr.reshape(-1, self.k).T  # scipy wants components on the first axis
        return np.asarray(self._rv.pdf(flat), dtype=np.float64).reshape(arr.shape[:-1])

    def logpdf(self, x: ArrayLike) -> NDArray[np.float64]:
        """Log density at the simplex point(s) ``x`` (shape (..., K))."""
        arr = self._points(x)
        flat = arr.reshape(-1, self.k).T
        return np.asarray(self._rv.logpdf(flat), dtype=np.float64).reshape(arr.shape[:-1])

    def mean(self) -> NDArray[np.float64]:
        """Vector of E[πₖ] = αₖ/α₀."""
        return np.asarray(self._rv.mean(), dtype=np.float64)

    def var(self) -> NDArray[np.float64]:
        """Vector of marginal variances Var(πₖ)."""
        return np.asarray(self._rv.var(), dtype=np.float64)

    def entropy(self, *, base: float | None = None) -> float:
        """Differential entropy on the simplex, in nats unless ``base`` is given."""
        return _in_base(float(self._rv.entropy()), base)

    def sample(self, size: Size = None, *, rng: np.random.Generator | None = None) -> Any:
        """Draw probability vectors: shape ``size + (K,)`` (``(K,)`` when size is None)."""
        checked = _check_size(size)
        draws = self._rv.rvs(size=1 if checked is None else checked, random_state=check_rng(rng))
        return draws[0] if checked is None else draws

    def grid(self, *, resolution: int = 40) -> Grid:
        """Interior lattice points of the 2-simplex and their densities (K = 3 only).

        The points are (i, j, k)/``resolution`` for positive integers with
        i + j + k = ``resolution``; they avoid the edges, where the density is
        infinite for αₖ < 1. Map them to a triangle with :func:`barycentric_to_cartesian`.
        """
        if self.k != 3:
            raise ValueError(f"`alpha` must have 3 components for a simplex grid; got {self.k}")
        r = check_int(resolution, "resolution", minimum=3)
        i, j = np.meshgrid(np.arange(1, r - 1), np.arange(1, r - 1), indexing="ij")
        keep = i + j <= r - 1
        counts = np.column_stack([i[keep], j[keep], r - i[keep] - j[keep]])
        points = counts / r
        return Grid(points, self.pdf(points))


#: Any of the five families.
Distribution = Bernoulli | Categorical | Gaussian | Beta | Dirichlet

_CLASSES: dict[str, type[Any]] = {
    "bernoulli": Bernoulli,
    "categorical": Categorical,
    "gaussian": Gaussian,
    "beta": Beta,
    "dirichlet": Dirichlet,
}
_PARAMS: dict[str, tuple[str, ...]] = {
    "bernoulli": ("p",),
    "categorical": ("probs",),
    "gaussian": ("mu", "sigma"),
    "beta": ("alpha", "beta"),
    "dirichlet": ("alpha",),
}


def family(name: str, **params: Any) -> Distribution:
    """Build one of the five distributions by its lowercase name.

    Parameters
    ----------
    name : str
        One of :data:`FAMILIES`: ``'bernoulli'``, ``'categorical'``, ``'gaussian'``,
        ``'beta'``, ``'dirichlet'``.
    **params
        Exactly the family's parameters: ``p``; ``probs``; ``mu`` and ``sigma``;
        ``alpha`` and ``beta``; ``alpha``.

    Returns
    -------
    Distribution
        The validated frozen distribution.

    Notes
    -----
    ``family('gaussian', mu=0, sigma=1)`` is ``Gaussian(mu=0, sigma=1)``; the name lets
    a page or the central-limit code pick a family from a string.

    Examples
    --------
    >>> family("beta", alpha=2, beta=2).mean()
    0.5
    >>> family("poisson", lam=1.0)
    Traceback (most recent call last):
    ...
    ValueError: `name` must be one of 'bernoulli', 'categorical', 'gaussian', 'beta', 'dirichlet'; got 'poisson'
    """
    check_choice(name, "name", FAMILIES)
    expected = _PARAMS[name]
    if set(params) != set(expected):
        raise ValueError(
            f"`params` for {name!r} must be exactly {', '.join(expected)}; "
            f"got {', '.join(sorted(params)) or 'none'}"
        )
    result: Distribution = _CLASSES[name](**params)
    return result


def barycentric_to_cartesian(points: ArrayLike) -> NDArray[np.float64]:
    """Map barycentric points of the 2-simplex to (x, y) in an equilateral triangle.

    Parameters
    ----------
    points : array_like, shape (..., 3)
        Barycentric coordinates (non-negative, summing to 1 on the last axis).

    Returns
    -------
    numpy.ndarray, shape (..., 2)
        Cartesian coordinates, with the vertices e₁ → (0, 0), e₂ → (1, 0),
        e₃ → (½, √3/2).

    Notes
    -----
    (x, y) = b₁·(0, 0) + b₂·(1, 0) + b₃·(½, √3/2) = (b₂ + b₃/2, b₃·√3/2).

    Examples
    --------
    >>> barycentric_to_cartesian([[0, 1, 0], [1/3, 1/3, 1/3]]).round(4)
    array([[1.    , 0.    ],
           [0.5   , 0.2887]])
    """
    arr = check_probability_vector(points, "points")
    if arr.shape[-1] != 3:
        raise ValueError(f"`points` must have 3 components on its last axis, got shape {arr.shape}")
    vertices = np.array([[0.0, 0.0], [1.0, 0.0], [0.5, math.sqrt(3) / 2]])
    return np.asarray(arr @ vertices, dtype=np.float64)
