"""R-hat and bulk-ESS as the draws arrive: the diagnostics of each prefix of a run."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from core.mcmc.diagnostics import MIN_DRAWS, ess_bulk, rhat
from core.validation import check_finite, check_int

__all__ = ["RunningDiagnostics", "even_checkpoints", "running_diagnostics"]


@dataclass(frozen=True)
class RunningDiagnostics:
    """Diagnostics of the first ``checkpoints[k]`` draws of every chain.

    ``rhat`` and ``ess_bulk`` are shaped (n_checkpoints, dim); nan where they are
    undefined: the prefix has no variance within its (split) chains, as when no chain
    has moved yet in that coordinate.
    """

    checkpoints: NDArray[np.int64]
    rhat: NDArray[np.float64]
    ess_bulk: NDArray[np.float64]


def _defined(diagnostic: Callable[[NDArray[np.float64]], float], prefix: NDArray[np.float64]) -> float:
    """The diagnostic of a prefix, or nan where it is undefined: early on, a Metropolis
    chain may not have moved yet (no variance at all, or none within any chain)."""
    if np.ptp(prefix) == 0 or np.all(np.ptp(prefix, axis=1) == 0):
        return math.nan
    with np.errstate(divide="ignore", invalid="ignore"):
        try:
            value = diagnostic(prefix)
        except ZeroDivisionError:  # no variance within the split halves
            return math.nan
    return value if math.isfinite(value) else math.nan


def even_checkpoints(n_draws: int, count: int) -> NDArray[np.int64]:
    """About ``count`` prefix lengths spread evenly from 4 draws to ``n_draws``, distinct.

    Examples
    --------
    >>> even_checkpoints(100, 5).tolist()
    [4, 28, 52, 76, 100]
    >>> even_checkpoints(6, 10).tolist()
    [4, 5, 6]
    """
    n = check_int(n_draws, "n_draws", minimum=MIN_DRAWS)
    k = check_int(count, "count", minimum=1)
    return np.unique(np.round(np.linspace(MIN_DRAWS, n, k)).astype(np.int64))


def running_diagnostics(draws: ArrayLike, checkpoints: ArrayLike) -> RunningDiagnostics:
    """Rank-normalised split R-hat and bulk-ESS of each prefix of the chains.

    Parameters
    ----------
    draws : array_like
        Draws shaped (n_chains, n_draws, dim), at least 2 chains (``Trace.draws``).
    checkpoints : array_like of int
        Increasing prefix lengths, each between 4 and n_draws.

    Returns
    -------
    RunningDiagnostics
        ``rhat[k, i]`` and ``ess_bulk[k, i]`` of coordinate i over draws
        ``[:, :checkpoints[k]]`` (:func:`core.mcmc.rhat`, :func:`core.mcmc.ess_bulk`,
        the numbers of ``az.rhat`` and ``az.ess(method="bulk")`` on the same prefix).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> run = running_diagnostics(rng.normal(size=(4, 400, 2)), [50, 400])
    >>> run.rhat.shape, bool(run.rhat[-1].max() < 1.02), bool(run.ess_bulk[1, 0] > run.ess_bulk[0, 0])
    ((2, 2), True, True)
    """
    arr = np.asarray(check_finite(draws, "draws"), dtype=np.float64)
    if arr.ndim != 3:
        raise ValueError(f"`draws` must be 3-D, shaped (n_chains, n_draws, dim); got shape {arr.shape}")
    n_chains, n_draws, dim = arr.shape
    if n_chains < 2:
        raise ValueError(f"`draws` must have at least 2 chains (R-hat compares chains); got {n_chains}")
    cuts = np.asarray(checkpoints)
    if cuts.ndim != 1 or cuts.size == 0 or not np.issubdtype(cuts.dtype, np.integer):
        raise ValueError("`checkpoints` must be a non-empty 1-D sequence of integers")
    if np.any(np.diff(cuts) <= 0):
        raise ValueError("`checkpoints` must be increasing")
    if cuts[0] < MIN_DRAWS or cuts[-1] > n_draws:
        raise ValueError(f"`checkpoints` must lie between {MIN_DRAWS} and the {n_draws} draws per chain; "
                         f"got {int(cuts[0])}..{int(cuts[-1])}")
    r = np.full((cuts.size, dim), np.nan)
    ess = np.full((cuts.size, dim), np.nan)
    for k, n in enumerate(cuts):
        for i in range(dim):
            r[k, i], ess[k, i] = _defined(rhat, arr[:, :n, i]), _defined(ess_bulk, arr[:, :n, i])
    return RunningDiagnostics(checkpoints=cuts.astype(np.int64), rhat=r, ess_bulk=ess)
