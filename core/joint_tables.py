"""Joint probability tables built from continuous distributions, for the discrete tools.

:func:`core.information.mutual_information` and friends work on a finite joint table.
:func:`discretised_bivariate_gaussian` turns a standard bivariate Gaussian with
correlation ρ into such a table by integrating its density over the cells of a grid, so
the discrete mutual information can be set beside the closed form −½ log(1 − ρ²).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import stats

from core.validation import check_int, check_positive, check_scalar

__all__ = ["DiscretisedGaussian", "discretised_bivariate_gaussian"]


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
    With F the bivariate normal CDF (:meth:`scipy.stats.multivariate_normal.cdf`) on
    the edges, a cell's probability is the rectangle rule

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
    # F on the grid of edges; infinite edges use the marginal Φ (or 0) directly.
    cdf = np.zeros((n + 1, n + 1))
    cdf[-1, 1:] = stats.norm.cdf(edges[1:])
    cdf[1:, -1] = stats.norm.cdf(edges[1:])
    gx, gy = np.meshgrid(inner, inner, indexing="ij")
    mvn = stats.multivariate_normal(mean=[0.0, 0.0], cov=[[1.0, r], [r, 1.0]])
    points = np.column_stack([gx.ravel(), gy.ravel()])
    cdf[1:-1, 1:-1] = np.asarray(mvn.cdf(points)).reshape(n - 1, n - 1)
    table = np.diff(np.diff(cdf, axis=0), axis=1)
    table[table < 0] = 0.0  # rounding in the far tails only (see Notes)

    width = 2 * lim / (n - 2) if n > 2 else lim
    centres = np.empty(n)
    centres[1:-1] = 0.5 * (inner[:-1] + inner[1:])
    centres[0], centres[-1] = inner[0] - width / 2, inner[-1] + width / 2
    return DiscretisedGaussian(table=table, edges=edges, centres=centres, rho=r)
