"""Target distributions for the MCMC samplers: log densities with gradients and known truths.

Every target is a :class:`Target`: a function ``logp_grad(x)`` taking points shaped
(..., dim) and returning the log density (...) and its gradient (..., dim), together
with the true mean and marginal variances (and the covariance where it is known), so a
sampler's output can be checked against the truth. All built-in log densities are
normalised, so they can also be checked against scipy's densities.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import integrate, special

from core.validation import check_counts, check_finite, check_int, check_positive

__all__ = [
    "Target",
    "banana",
    "beta_binomial_logit",
    "correlated_gaussian",
    "density_grid",
    "from_log_density",
    "funnel",
    "gaussian",
    "gaussian_mixture",
    "marginal_density",
]

Array = NDArray[np.float64]
LogpGrad = Callable[[Array], tuple[Any, Array]]

_LOG_2PI = math.log(2 * math.pi)


@dataclass(frozen=True, eq=False)
class Target:
    """A log density with its gradient and the truth to check samples against.

    Attributes
    ----------
    name : str
        Short label, e.g. ``"correlated_gaussian(rho=0.9)"``.
    dim : int
        Number of coordinates.
    logp_grad : callable
        ``x`` shaped (..., dim) -> (log density shaped (...), gradient shaped (..., dim)).
    mean : numpy.ndarray or None
        True mean, shape (dim,), when known.
    var : numpy.ndarray or None
        True marginal variances, shape (dim,), when known.
    cov : numpy.ndarray or None
        True covariance, shape (dim, dim), when known.
    init : numpy.ndarray
        A point of positive density; samplers start near it.
    gradient : str
        ``"analytic"`` or how the gradient is approximated.
    """

    name: str
    dim: int
    logp_grad: LogpGrad
    mean: Array | None
    var: Array | None
    cov: Array | None
    init: Array
    gradient: str = "analytic"

    def log_density(self, x: ArrayLike) -> Array:
        """Log density at points ``x`` shaped (..., dim)."""
        return np.asarray(self.logp_grad(np.asarray(x, dtype=np.float64))[0], dtype=np.float64)


def _check_rho(rho: float) -> float:
    value = float(check_finite(rho, "rho"))
    if not -1.0 < value < 1.0:
        raise ValueError(f"`rho` must lie in (-1, 1); got {value}")
    return value


def correlated_gaussian(rho: float = 0.9) -> Target:
    """Bivariate standard Gaussian with correlation ``rho``.

    Parameters
    ----------
    rho : float, optional
        Correlation in (-1, 1); 0.99 makes a narrow ridge that random walks and Gibbs
        cross slowly.

    Returns
    -------
    Target
        Mean 0, covariance [[1, ρ], [ρ, 1]].

    Notes
    -----
    log p(x) = −½ xᵀΣ⁻¹x − ½ log det(2πΣ), ∇ log p(x) = −Σ⁻¹x.

    Examples
    --------
    >>> t = correlated_gaussian(0.5)
    >>> round(float(t.log_density([0.0, 0.0])), 6)  # −log(2π√0.75)
    -1.694036
    """
    r = _check_rho(rho)
    cov = np.array([[1.0, r], [r, 1.0]])
    prec = np.linalg.inv(cov)
    const = -0.5 * (2 * _LOG_2PI + math.log(1.0 - r * r))

    (p11, p12), (_, p22) = prec.tolist()

    def logp_grad(x: Array) -> tuple[Any, Array]:
        if x.shape == (2,):  # one point, as samplers ask: Python floats are 4x faster
            a, c = x.tolist()
            ga, gc = -(p11 * a + p12 * c), -(p12 * a + p22 * c)
            return 0.5 * (a * ga + c * gc) + const, np.array([ga, gc])
        grad = -(x @ prec)
        return 0.5 * (x * grad).sum(axis=-1) + const, grad

    return Target(
        name=f"correlated_gaussian(rho={r:g})",
        dim=2,
        logp_grad=logp_grad,
        mean=np.zeros(2),
        var=np.ones(2),
        cov=cov,
        init=np.zeros(2),
    )


def gaussian(dim: int, *, scales: ArrayLike | None = None) -> Target:
    """Independent Gaussian in ``dim`` dimensions with standard deviations ``scales``.

    Parameters
    ----------
    dim : int
        Number of coordinates, 1 to 1000.
    scales : array_like, optional
        Standard deviations, shape (dim,); default all 1.

    Returns
    -------
    Target
        Mean 0, covariance diag(scales²).

    Notes
    -----
    log p(x) = −½ Σ (xᵢ/sᵢ)² − Σ log sᵢ − (d/2) log 2π, ∇ log p = −x/s².

    Examples
    --------
    >>> gaussian(3).var
    array([1., 1., 1.])
    """
    d = check_int(dim, "dim", minimum=1, maximum=1000)
    s = np.ones(d) if scales is None else check_positive(scales, "scales").astype(np.float64)
    if s.shape != (d,):
        raise ValueError(f"`scales` must have shape ({d},) to match `dim`; got {s.shape}")
    inv_var = 1.0 / s**2
    const = -float(np.sum(np.log(s))) - 0.5 * d * _LOG_2PI

    def logp_grad(x: Array) -> tuple[Any, Array]:
        grad = -x * inv_var
        if x.ndim == 1:  # one point: a dot product costs less than a reduction
            return 0.5 * float(x.dot(grad)) + const, grad
        return 0.5 * (x * grad).sum(axis=-1) + const, grad

    label = "" if scales is None else ", scaled"
    return Target(
        name=f"gaussian(dim={d}{label})",
        dim=d,
        logp_grad=logp_grad,
        mean=np.zeros(d),
        var=s**2,
        cov=np.diag(s**2),
        init=np.zeros(d),
    )


def banana(b: float = 0.03, *, dim: int = 2) -> Target:
    """Haario, Saksman and Tamminen's (1999) banana: a Gaussian twisted along a parabola.

    Parameters
    ----------
    b : float, optional
        Curvature (Haario et al. use 0.03 and 0.1); 0 gives a plain Gaussian.
    dim : int, optional
        Dimensions, ≥ 2; coordinates beyond the second are standard normal.

    Returns
    -------
    Target
        Mean 0; variances 100, 1 + 2b²·10⁴, then 1; covariance diagonal.

    Notes
    -----
    x₁ ~ N(0, 10²), x₂ | x₁ ~ N(b(x₁² − 100), 1), so E x₂ = 0,
    Var x₂ = 1 + b² Var(x₁²) = 1 + 2b²·10⁴ and Cov(x₁, x₂) = b E[x₁³] = 0.

    Examples
    --------
    >>> banana(0.03).var
    array([100.,  19.])
    """
    bb = float(check_finite(b, "b"))
    d = check_int(dim, "dim", minimum=2, maximum=1000)
    const = -math.log(10.0) - 0.5 * d * _LOG_2PI

    def logp_grad(x: Array) -> tuple[Any, Array]:
        if x.shape == (2,):  # one 2-D point, as samplers ask: Python floats are 5x faster
            a, c = x.tolist()
            w = c - bb * (a * a - 100.0)
            return -a * a / 200.0 - 0.5 * w * w + const, np.array([-a / 100.0 + 2.0 * bb * a * w, -w])
        x1 = x[..., 0]
        u = x[..., 1] - bb * (x1 * x1 - 100.0)
        grad = -x
        grad[..., 0] = -x1 / 100.0 + 2.0 * bb * x1 * u
        grad[..., 1] = -u
        logp = -x1 * x1 / 200.0 - 0.5 * u * u + const
        if d > 2:
            logp = logp - 0.5 * np.sum(x[..., 2:] ** 2, axis=-1)
        return logp, grad

    var = np.ones(d)
    var[0], var[1] = 100.0, 1.0 + 2.0 * bb * bb * 1e4
    return Target(
        name=f"banana(b={bb:g}, dim={d})",
        dim=d,
        logp_grad=logp_grad,
        mean=np.zeros(d),
        var=var,
        cov=np.diag(var),
        init=np.zeros(d),
    )


def gaussian_mixture(separation: float = 3.0, *, weight: float = 0.5) -> Target:
    """Bimodal 2-D mixture: w N((+m, 0), I) + (1 − w) N((−m, 0), I) with m = separation/2.

    Parameters
    ----------
    separation : float, optional
        Distance between the two means, > 0; above 2 the density has two modes.
    weight : float, optional
        Weight of the right-hand component, in (0, 1).

    Returns
    -------
    Target
        Mean ((2w − 1)m, 0); Var x₁ = 1 + m² − ((2w − 1)m)², Var x₂ = 1.

    Notes
    -----
    log p = logaddexp(log w + log N(x; μ₊, I), log(1 − w) + log N(x; μ₋, I));
    ∇ log p = Σₖ rₖ(μₖ − x) with rₖ the component responsibilities.

    Examples
    --------
    >>> gaussian_mixture(4.0).var
    array([5., 1.])
    """
    sep = float(check_positive(separation, "separation"))
    w = float(check_finite(weight, "weight"))
    if not 0.0 < w < 1.0:
        raise ValueError(f"`weight` must lie in (0, 1); got {w}")
    m = sep / 2.0
    log_w_plus = math.log(w) - _LOG_2PI
    log_w_minus = math.log1p(-w) - _LOG_2PI

    def logp_grad(x: Array) -> tuple[Any, Array]:
        x1 = x[..., 0]
        x2sq = x[..., 1] ** 2
        lp_plus = log_w_plus - 0.5 * ((x1 - m) ** 2 + x2sq)
        lp_minus = log_w_minus - 0.5 * ((x1 + m) ** 2 + x2sq)
        logp = np.logaddexp(lp_plus, lp_minus)
        r_plus = np.exp(lp_plus - logp)
        grad = -x.copy()
        grad[..., 0] = -x1 + m * (2.0 * r_plus - 1.0)
        return logp, grad

    mean1 = (2 * w - 1) * m
    var = np.array([1.0 + m * m - mean1 * mean1, 1.0])
    return Target(
        name=f"gaussian_mixture(separation={sep:g}, weight={w:g})",
        dim=2,
        logp_grad=logp_grad,
        mean=np.array([mean1, 0.0]),
        var=var,
        cov=np.diag(var),
        init=np.zeros(2),
    )


def funnel(dim: int = 10, *, scale: float = 3.0) -> Target:
    """Neal's (2003) funnel: v ~ N(0, scale²), xᵢ | v ~ N(0, eᵛ) for i = 1..dim−1.

    Parameters
    ----------
    dim : int, optional
        Total dimensions (v and dim − 1 xs), ≥ 2; Neal uses 10.
    scale : float, optional
        Standard deviation of v; Neal uses 3.

    Returns
    -------
    Target
        Mean 0; Var v = scale², Var xᵢ = E eᵛ = exp(scale²/2). Coordinate 0 is v.

    Notes
    -----
    The neck (v ≪ 0) needs step sizes far smaller than the mouth: HMC and NUTS report
    divergent transitions there; the samplers count them, never drop them.
    ∂/∂v log p = −v/scale² − (dim − 1)/2 + ½ e⁻ᵛ Σ xᵢ², ∂/∂xᵢ log p = −xᵢ e⁻ᵛ.

    Examples
    --------
    >>> round(float(funnel(10).var[1]), 3)
    90.017
    """
    d = check_int(dim, "dim", minimum=2, maximum=1000)
    s = float(check_positive(scale, "scale"))
    k = d - 1
    const = -math.log(s) - 0.5 * d * _LOG_2PI

    def logp_grad(x: Array) -> tuple[Any, Array]:
        v = x[..., 0]
        xs = x[..., 1:]
        inv_ev = np.exp(-v)
        sq = np.sum(xs * xs, axis=-1)
        logp = -0.5 * v * v / (s * s) - 0.5 * k * v - 0.5 * sq * inv_ev + const
        grad = np.empty_like(x)
        grad[..., 0] = -v / (s * s) - 0.5 * k + 0.5 * sq * inv_ev
        grad[..., 1:] = -xs * inv_ev[..., None]
        return logp, grad

    var = np.full(d, math.exp(s * s / 2.0))
    var[0] = s * s
    return Target(
        name=f"funnel(dim={d}, scale={s:g})",
        dim=d,
        logp_grad=logp_grad,
        mean=np.zeros(d),
        var=var,
        cov=np.diag(var),
        init=np.zeros(d),
    )


def beta_binomial_logit(alpha0: float, beta0: float, heads: int, tails: int) -> Target:
    """Beta-Binomial posterior of a coin's bias p, in logit space θ = log(p/(1 − p)).

    Parameters
    ----------
    alpha0, beta0 : float
        The Beta prior's parameters, > 0.
    heads, tails : int
        Observed counts.

    Returns
    -------
    Target
        One coordinate θ with mean ψ(A) − ψ(B) and variance ψ′(A) + ψ′(B), where
        A = α₀ + heads and B = β₀ + tails (the posterior is Beta(A, B) in p).

    Notes
    -----
    With p = σ(θ) and dp/dθ = p(1 − p), the density of θ is
    p^A (1 − p)^B / B(A, B), so log π(θ) = A log σ(θ) + B log σ(−θ) − log B(A, B) and
    d/dθ log π = A σ(−θ) − B σ(θ). The mean of σ(θ) over the draws estimates A/(A + B),
    the conjugate posterior mean (core.bayes).

    Examples
    --------
    >>> t = beta_binomial_logit(2, 2, 4, 1)  # the course's Beta(6, 3) posterior
    >>> round(float(t.mean[0]), 4)  # ψ(6) − ψ(3)
    0.7833
    """
    a0 = float(check_positive(alpha0, "alpha0"))
    b0 = float(check_positive(beta0, "beta0"))
    a = a0 + int(check_counts(heads, "heads"))
    b = b0 + int(check_counts(tails, "tails"))
    const = -float(special.betaln(a, b))

    def logp_grad(x: Array) -> tuple[Any, Array]:
        theta = x[..., 0]
        logp = -a * np.logaddexp(0.0, -theta) - b * np.logaddexp(0.0, theta) + const
        grad = (a - (a + b) * special.expit(theta))[..., None]
        return logp, np.asarray(grad, dtype=np.float64)

    var = float(special.polygamma(1, a) + special.polygamma(1, b))
    return Target(
        name=f"beta_binomial_logit(A={a:g}, B={b:g})",
        dim=1,
        logp_grad=logp_grad,
        mean=np.array([float(special.digamma(a) - special.digamma(b))]),
        var=np.array([var]),
        cov=np.array([[var]]),
        init=np.zeros(1),
    )


def from_log_density(
    log_density: Callable[[Array], float],
    *,
    init: ArrayLike,
    grad: Callable[[Array], ArrayLike] | None = None,
    fd_step: float = 1e-5,
    mean: ArrayLike | None = None,
    var: ArrayLike | None = None,
    name: str = "user",
) -> Target:
    """A target from a user's log-density callable, with finite-difference gradients if needed.

    Parameters
    ----------
    log_density : callable
        ``log_density(x)`` for one point ``x`` shaped (dim,), returning a float (it may be
        unnormalised).
    init : array_like
        A point of finite log density, shape (dim,); it sets ``dim``.
    grad : callable, optional
        ``grad(x)`` returning the gradient shaped (dim,). When omitted the gradient is
        approximated by central finite differences, and ``Target.gradient`` says so.
    fd_step : float, optional
        Relative step h of the finite differences, > 0.
    mean, var : array_like, optional
        The true mean and marginal variances, if known, for checking.
    name : str, optional
        Label of the target.

    Returns
    -------
    Target

    Notes
    -----
    Finite differences: ∂ᵢ log p ≈ (log p(x + hᵢeᵢ) − log p(x − hᵢeᵢ)) / (2hᵢ) with
    hᵢ = h·max(1, |xᵢ|); error O(h²), costing 2·dim density evaluations per gradient.

    Examples
    --------
    >>> t = from_log_density(lambda x: -0.5 * float(x @ x), init=[1.0, 2.0])
    >>> t.gradient
    'central finite differences (h=1e-05)'
    >>> t.logp_grad(np.array([1.0, 2.0]))[1].round(6)
    array([-1., -2.])
    """
    if not callable(log_density):
        raise TypeError(f"`log_density` must be callable, got {type(log_density).__name__}")
    if grad is not None and not callable(grad):
        raise TypeError(f"`grad` must be callable or None, got {type(grad).__name__}")
    x0 = check_finite(init, "init").astype(np.float64)
    if x0.ndim != 1 or x0.size == 0:
        raise ValueError(f"`init` must be a non-empty 1-D point; got shape {x0.shape}")
    d = x0.size
    h = float(check_positive(fd_step, "fd_step"))

    def one(x: Array) -> tuple[float, Array]:
        value = float(log_density(x))
        if grad is not None:
            g = np.asarray(grad(x), dtype=np.float64)
            if g.shape != (d,):
                raise ValueError(f"`grad` must return shape ({d},); got {g.shape}")
            return value, g
        g = np.empty(d)
        for i in range(d):
            step = h * max(1.0, abs(float(x[i])))
            xp = x.copy()
            xp[i] += step
            xm = x.copy()
            xm[i] -= step
            g[i] = (float(log_density(xp)) - float(log_density(xm))) / (2.0 * step)
        return value, g

    def logp_grad(x: Array) -> tuple[Any, Array]:
        if x.ndim == 1:
            return one(x)
        flat = x.reshape(-1, d)
        pairs = [one(row) for row in flat]
        logp = np.array([p[0] for p in pairs]).reshape(x.shape[:-1])
        return logp, np.array([p[1] for p in pairs]).reshape(x.shape)

    value, g0 = logp_grad(x0)
    if not math.isfinite(value):
        raise ValueError(
            f"`log_density` must be finite at the start point `init`; got {value}"
        )
    if not np.all(np.isfinite(g0)):
        raise ValueError("the gradient of `log_density` must be finite at the start point `init`")

    def _vector(v: ArrayLike | None, label: str) -> Array | None:
        if v is None:
            return None
        arr = check_finite(v, label).astype(np.float64)
        if arr.shape != (d,):
            raise ValueError(f"`{label}` must have shape ({d},) to match `init`; got {arr.shape}")
        return arr

    return Target(
        name=name,
        dim=d,
        logp_grad=logp_grad,
        mean=_vector(mean, "mean"),
        var=_vector(var, "var"),
        cov=None,
        init=x0,
        gradient="analytic" if grad is not None else f"central finite differences (h={h:g})",
    )


#: Half-width, in standard deviations, of the range a coordinate is integrated over.
_MARGINAL_HALF_WIDTH = 40.0


def _grid_axis(values: ArrayLike, name: str) -> Array:
    arr = check_finite(values, name).astype(np.float64)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"`{name}` must be a non-empty 1-D array of points; got shape {arr.shape}")
    return arr


def density_grid(target: Target, x: ArrayLike, y: ArrayLike) -> Array:
    """The density of a 2-D target on the grid x × y (for contour plots).

    Parameters
    ----------
    target : Target
        A target with ``dim == 2``.
    x, y : array_like
        Grid points of the first and second coordinate, 1-D.

    Returns
    -------
    numpy.ndarray
        Shape (len(y), len(x)): entry [j, i] is p(x[i], y[j]) = exp(log p).

    Examples
    --------
    >>> d = density_grid(correlated_gaussian(0.0), [0.0, 1.0], [0.0])
    >>> d.round(4)  # φ(0)φ(0) and φ(1)φ(0)
    array([[0.1592, 0.0965]])
    """
    if not isinstance(target, Target):
        raise TypeError(f"`target` must be a core.mcmc Target; got {type(target).__name__}")
    if target.dim != 2:
        raise ValueError(f"`target` must be 2-D for a density grid; got dim={target.dim}")
    xs, ys = _grid_axis(x, "x"), _grid_axis(y, "y")
    points = np.stack(np.meshgrid(xs, ys), axis=-1)  # (len(y), len(x), 2)
    with np.errstate(over="ignore", under="ignore"):
        return np.exp(target.log_density(points))


def marginal_density(target: Target, coordinate: int, points: ArrayLike) -> Array:
    """The marginal density of one coordinate of a 1-D or 2-D target, at ``points``.

    Parameters
    ----------
    target : Target
        A target with ``dim`` 1 or 2 whose log density is normalised (every built-in
        target is).
    coordinate : int
        0 or 1 (0 for a 1-D target).
    points : array_like
        Values of that coordinate, 1-D.

    Returns
    -------
    numpy.ndarray
        p(xₖ) at each point, shape (len(points),).

    Notes
    -----
    For a 1-D target this is exp(log p). For a 2-D target the other coordinate is
    integrated out, p(x₀) = ∫ p(x₀, x₁) dx₁, with ``scipy.integrate.quad_vec`` (adaptive,
    all points at once) over its mean ± 40 standard deviations, with break points in the
    bulk so narrow features (the funnel's neck) are resolved; the target must therefore
    know its mean and variances.

    Examples
    --------
    >>> p = marginal_density(correlated_gaussian(0.8), 0, [0.0, 1.0])
    >>> p.round(6)  # the standard normal density: each marginal is N(0, 1)
    array([0.398942, 0.241971])
    """
    if not isinstance(target, Target):
        raise TypeError(f"`target` must be a core.mcmc Target; got {type(target).__name__}")
    if target.dim not in (1, 2):
        raise ValueError(f"`target` must be 1-D or 2-D for a marginal density; got dim={target.dim}")
    k = check_int(coordinate, "coordinate", minimum=0, maximum=target.dim - 1)
    xs = _grid_axis(points, "points")
    if target.dim == 1:
        with np.errstate(over="ignore", under="ignore"):
            return np.exp(target.log_density(xs[:, None]))

    def joint(other: float) -> Array:
        pts = np.empty((xs.size, 2))
        pts[:, k] = xs
        pts[:, 1 - k] = other
        with np.errstate(over="ignore", under="ignore"):
            return np.exp(target.log_density(pts))

    if target.mean is None or target.var is None:
        raise ValueError("`target` must know its mean and variances to integrate a coordinate out")
    centre = float(target.mean[1 - k])
    sd = math.sqrt(float(target.var[1 - k]))
    breaks = [centre + m * sd for m in (-4.0, -2.0, -1.0, 0.0, 1.0, 2.0, 4.0)]
    value, _ = integrate.quad_vec(
        joint, centre - _MARGINAL_HALF_WIDTH * sd, centre + _MARGINAL_HALF_WIDTH * sd,
        points=breaks, epsrel=1e-10, epsabs=1e-13, limit=2000,
    )
    return np.asarray(value, dtype=np.float64)
