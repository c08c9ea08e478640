"""The result of one sampler run: draws shaped (chain, draw, dim) and per-draw statistics."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from core.mcmc.diagnostics import ebfmi, ess_bulk, ess_tail, mcse_mean, rhat
from core.mcmc.moves import Moves
from core.mcmc.warmup_history import WarmupHistory

__all__ = ["STAT_NAMES", "Trace"]

#: Per-draw statistics every sampler records, each shaped (n_chains, n_draws).
STAT_NAMES = (
    "accept_stat",  # Metropolis acceptance probability (NUTS: mean over the trajectory)
    "step_size",  # leapfrog step size (MH: the proposal scale)
    "tree_depth",  # NUTS tree depth (0 for other samplers)
    "n_leapfrog",  # leapfrog steps = gradient evaluations of this transition
    "divergent",  # energy error above the divergence threshold (HMC/NUTS)
    "energy",  # Hamiltonian at the draw (MH/Gibbs: the potential −log p)
    "energy_error",  # H(end) − H(start) of the transition (0 for MH/Gibbs)
)


@dataclass(frozen=True, eq=False)
class Trace:
    """Draws and statistics of one multi-chain run.

    Attributes
    ----------
    sampler : str
        Which sampler produced it, e.g. ``"nuts"``.
    target : str
        The target's name.
    draws : numpy.ndarray
        Post-warm-up draws shaped (n_chains, n_draws, dim).
    stats : dict of str to numpy.ndarray
        Per-draw statistics (see :data:`STAT_NAMES`), each shaped (n_chains, n_draws).
    n_grad_evals : int
        Gradient evaluations over warm-up and sampling, all chains.
    n_grad_evals_sampling : int
        Gradient evaluations during sampling only.
    warmup_draws : numpy.ndarray
        Warm-up draws shaped (n_chains, n_warmup, dim), for plotting the adaptation.
    step_size : numpy.ndarray
        The adapted step size (or proposal scale) of each chain, shape (n_chains,).
    inv_metric : numpy.ndarray
        The adapted diagonal inverse mass matrix (or proposal variances), (n_chains, dim).
    trajectories : list or None
        Leapfrog trajectories kept for plotting (HMC/NUTS with ``keep_trajectories``):
        ``trajectories[c][i]`` is an array (n_points, dim) for draw i of chain c.
    warmup_history : WarmupHistory or None
        Step sizes, acceptance, adaptation windows and inverse metrics of warm-up
        (HMC, NUTS, Metropolis; None for Gibbs, which tunes nothing).
    moves : MetropolisMoves, GibbsMoves, LeapfrogMoves or None
        What each kept transition did (samplers called with ``keep_moves=True``), see
        :mod:`core.mcmc.moves`.
    """

    sampler: str
    target: str
    draws: NDArray[np.float64]
    stats: dict[str, NDArray[Any]]
    n_grad_evals: int
    n_grad_evals_sampling: int
    warmup_draws: NDArray[np.float64]
    step_size: NDArray[np.float64]
    inv_metric: NDArray[np.float64]
    trajectories: list[list[NDArray[np.float64]]] | None = field(default=None)
    warmup_history: WarmupHistory | None = field(default=None)
    moves: Moves | None = field(default=None)

    @property
    def n_chains(self) -> int:
        """Number of chains."""
        return int(self.draws.shape[0])

    @property
    def n_draws(self) -> int:
        """Draws per chain after warm-up."""
        return int(self.draws.shape[1])

    @property
    def n_divergent(self) -> int:
        """Divergent transitions after warm-up, all chains (reported, never dropped)."""
        return int(np.sum(self.stats["divergent"]))

    def rhat(self) -> NDArray[np.float64]:
        """Rank-normalised split R-hat of every coordinate, shape (dim,)."""
        return np.array([rhat(self.draws[:, :, i]) for i in range(self.draws.shape[2])])

    def ess_bulk(self) -> NDArray[np.float64]:
        """Bulk-ESS of every coordinate, shape (dim,)."""
        return np.array([ess_bulk(self.draws[:, :, i]) for i in range(self.draws.shape[2])])

    def ess_tail(self) -> NDArray[np.float64]:
        """Tail-ESS of every coordinate, shape (dim,)."""
        return np.array([ess_tail(self.draws[:, :, i]) for i in range(self.draws.shape[2])])

    def mcse_mean(self) -> NDArray[np.float64]:
        """Monte Carlo standard error of every coordinate's mean, shape (dim,)."""
        return np.array([mcse_mean(self.draws[:, :, i]) for i in range(self.draws.shape[2])])

    def ebfmi(self) -> NDArray[np.float64]:
        """E-BFMI of each chain from the recorded energies, shape (n_chains,)."""
        return ebfmi(self.stats["energy"])
