"""Joint probability tables built from continuous distributions, for the discrete tools.

:func:`core.information.mutual_information` and friends work on a finite joint table.
:func:`discretised_bivariate_gaussian` turns a standard bivariate Gaussian with
correlation ρ into such a table by integrating its density over the cells of a grid, so
the discrete mutual information can be set beside the closed form −½ log(1 − ρ²).
:func:`bivariate_normal_cdf` is the standard bivariate normal CDF it differences,
vectorised over points and correlations.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special

from core.validation import check_int, check_positive, check_scalar

__all__ = ["DiscretisedGaussian", "bivariate_normal_cdf", "discretised_bivariate_gaussian"]


@dataclass(frozen=True, eq=False)
class DiscretisedGaussian:
    """A bivariate Gaussian discretised on a grid of cells.

    Attributes
    ----------
    table : numpy.ndarray, shape (n_cells, n_cells)
        P(X in row cell i, Y in column cell j); X on rows. Sums to 1.
    edges : numpy.ndarray, shape (n_cells + 1,)
        Cell boundaries on each axis (the same for X and Y), ``-inf`` and ``inf`` at
        the ends so the outer cells catch the tails.
    centres : numpy.ndarray, shape (n_cells,)
        A representative point per cell for labels and plots: the midpoint of an inner
        cell, and for an outer cell its finite edge moved out by half an inner width.
    rho : float
        The correlation.
    """

    table: NDArray[np.float64]
    edges: NDArray[np.float64]
    centres: NDArray[np.float64]
    rho: float


def bivariate_normal_cdf(h: ArrayLike, k: ArrayLike, rho: ArrayLike) -> NDArray[np.float64]:
    """P(X ≤ h, Y ≤ k) for standard normals X, Y with correlation ``rho``, elementwise.

    Parameters
    ----------
    h, k : array_like
        Upper limits for X and Y; any real or ±inf, not nan.
    rho : array_like
        Correlations, each in (−1, 1).

    All three broadcast together, so one call evaluates a whole grid of corners, or a
    grid for several correlations at once.

    Returns
    -------
    numpy.ndarray
        The probabilities, in the broadcast shape.

    Raises
    ------
    ValueError
        If a limit is nan, or a correlation is not in (−1, 1).

    Notes
    -----
    Owen's (1956) closed form through his T function
    (:func:`scipy.special.owens_t`), exact to rounding and about a microsecond a point,
    where :meth:`scipy.stats.multivariate_normal.cdf` integrates numerically point by
    point:

    Φ₂(h, k; ρ) = ½ Φ(h) + ½ Φ(k) − T(h, a_h) − T(k, a_k) − β,

    a_h = (k − ρh) / (h √(1 − ρ²)), a_k = (h − ρk) / (k √(1 − ρ²)), and β = ½ when
    hk < 0, or hk = 0 with h + k < 0, else 0. A zero limit is read as +0, where
    T(0, ±∞) = ±¼ is the right one-sided value; h = k = 0 is Sheppard's
    ¼ + arcsin(ρ)/(2π). Infinite limits use F(−∞, ·) = 0 and F(∞, y) = Φ(y).

    Examples
    --------
    >>> round(float(bivariate_normal_cdf(0.0, 0.0, 0.5)), 12)  # 1/4 + arcsin(1/2)/(2π) = 1/3
    0.333333333333
    >>> bivariate_normal_cdf([-np.inf, 0.0, np.inf], 0.0, 0.0)
    array([0.  , 0.25, 0.5 ])
    """
    h_arr, k_arr, r = np.broadcast_arrays(*(np.asarray(a, dtype=float) for a in (h, k, rho)))
    if np.isnan(h_arr).any() or np.isnan(k_arr).any():
        raise ValueError("`h` and `k` must not be nan")
    if not np.all((r > -1.0) & (r < 1.0)):
        raise ValueError(f"`rho` must lie in (-1, 1); got {r[~((r > -1.0) & (r < 1.0))].ravel()[0]}")
    # Finite stand-ins where a limit is infinite (fixed up at the end); + 0.0 turns −0 into +0.
    x = np.where(np.isfinite(h_arr), h_arr, 1.0) + 0.0
    y = np.where(np.isfinite(k_arr), k_arr, 1.0) + 0.0
    s = np.sqrt((1.0 - r) * (1.0 + r))
    with np.errstate(divide="ignore", invalid="ignore"):  # x or y = 0: a = ±∞ (T = ±¼)
        t_x = special.owens_t(x, (y - r * x) / (x * s))
        t_y = special.owens_t(y, (x - r * y) / (y * s))
    beta = np.where((x * y < 0) | ((x * y == 0) & (x + y < 0)), 0.5, 0.0)
    out = 0.5 * (special.ndtr(x) + special.ndtr(y)) - t_x - t_y - beta
    out = np.where((x == 0) & (y == 0), 0.25 + np.arcsin(r) / (2 * np.pi), out)
    # Infinite limits: the marginal of the other variable, or 0.
    out = np.where(h_arr == np.inf, special.ndtr(k_arr), out)
    out = np.where(k_arr == np.inf, special.ndtr(h_arr), out)
    out = np.where((h_arr == -np.inf) | (k_arr == -np.inf), 0.0, out)
    return np.clip(out, 0.0, 1.0)


def discretised_bivariate_gaussian(
    rho: float, *, n_cells: int = 9, limit: float = 3.0
) -> DiscretisedGaussian:
    """Cell probabilities of a standard bivariate Gaussian with correlation ``rho``.

    Parameters
    ----------
    rho : float
        Correlation of X and Y, in (−1, 1). Both have mean 0 and variance 1.
    n_cells : int, optional
        Cells per axis, ≥ 2. The inner edges are ``n_cells − 1`` evenly spaced points
        on [−``limit``, ``limit``] (the single edge 0 when ``n_cells`` is 2); the first
        and last cells run out to ∓∞.
    limit : float, optional
        Where the outer cells begin, in standard deviations (> 0).

    Returns
    -------
    DiscretisedGaussian
        The table (X on rows), the edges, the cell centres and ``rho``.

    Raises
    ------
    ValueError
        If ``rho`` is not in (−1, 1), ``n_cells`` < 2 or ``limit`` ≤ 0.

    Notes
    -----
    With F the bivariate normal CDF (:func:`bivariate_normal_cdf`, one vectorised call)
    on the edges, a cell's probability is the rectangle rule

    P(a₁ < X ≤ b₁, a₂ < Y ≤ b₂) = F(b₁, b₂) − F(a₁, b₂) − F(b₁, a₂) + F(a₁, a₂),

    with F(−∞, ·) = 0 and F(∞, y) = Φ(y). The row sums are exactly the normal
    probabilities Φ(b₁) − Φ(a₁) of X's cells. Differencing can leave entries of order
    −1e−17 in the far tails; those are set to 0, a change far below the table's
    validation tolerance. Because the table is a coarsening of (X, Y), its mutual
    information never exceeds −½ log(1 − ρ²) and approaches it as the grid refines.

    Examples
    --------
    >>> d = discretised_bivariate_gaussian(0.0, n_cells=2)  # cells split at 0
    >>> d.table
    array([[0.25, 0.25],
           [0.25, 0.25]])
    >>> d.edges
    array([-inf,   0.,  inf])
    >>> d = discretised_bivariate_gaussian(0.5, n_cells=2)
    >>> round(float(d.table[0, 0]), 6)  # P(X ≤ 0, Y ≤ 0) = 1/4 + arcsin(ρ)/(2π) = 1/3
    0.333333
    """
    r = check_scalar(rho, "rho")
    if not -1.0 < r < 1.0:
        raise ValueError(f"`rho` must lie in (-1, 1); got {r}")
    n = check_int(n_cells, "n_cells", minimum=2)
    lim = float(check_positive(check_scalar(limit, "limit"), "limit"))

    inner = np.linspace(-lim, lim, n - 1) if n > 2 else np.zeros(1)
    edges = np.concatenate([[-np.inf], inner, [np.inf]])
    # F on the grid of edges; the infinite edges give the marginal Φ (or 0).
    gx, gy = np.meshgrid(edges, edges, indexing="ij")
    cdf = bivariate_normal_cdf(gx, gy, r)
    table = np.diff(np.diff(cdf, axis=0), axis=1)
    table[table < 0] = 0.0  # rounding in the far tails only (see Notes)

    width = 2 * lim / (n - 2) if n > 2 else lim
    centres = np.empty(n)
    centres[1:-1] = 0.5 * (inner[:-1] + inner[1:])
    centres[0], centres[-1] = inner[0] - width / 2, inner[-1] + width / 2
    return DiscretisedGaussian(table=table, edges=edges, centres=centres, rho=r)
