"""Random-walk Metropolis-Hastings, vectorised over chains."""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from core.mcmc._common import (
    RngLike,
    as_generator,
    check_run,
    check_target,
    empty_stats,
    start_points,
)
from core.mcmc.adaptation import WelfordVariance, metric_window_ends
from core.mcmc.targets import Target
from core.mcmc.trace import Trace
from core.validation import check_finite

__all__ = ["metropolis"]


def metropolis(
    target: Target,
    *,
    n_chains: int = 4,
    n_warmup: int = 1000,
    n_draws: int = 1000,
    rng: RngLike = None,
    target_accept: float = 0.234,
    init: ArrayLike | None = None,
) -> Trace:
    """Random-walk Metropolis-Hastings with a Gaussian proposal tuned in warm-up.

    Parameters
    ----------
    target : Target
        The distribution to sample; only its log density is used.
    n_chains, n_warmup, n_draws : int, optional
        Chains, warm-up iterations (tuning; discarded) and kept draws per chain (≥ 4).
    rng : numpy.random.Generator or int, optional
        Randomness; a seed reproduces the draws bit for bit.
    target_accept : float, optional
        Acceptance rate the proposal scale is tuned toward: 0.234, optimal for
        high-dimensional Gaussian-like targets (Roberts, Gelman and Gilks 1997).
    init : array_like, optional
        Start points, (dim,) or (n_chains, dim); default ``target.init`` + U(−2, 2).

    Returns
    -------
    Trace
        Draws and per-draw stats: ``accept_stat`` is min(1, π(x′)/π(x)), ``step_size``
        the proposal scale, ``energy`` the potential −log π; no gradient evaluations.

    Notes
    -----
    Proposal x′ = x + s·√v ⊙ z, z ~ N(0, I), accepted with probability
    min(1, π(x′)/π(x)). In warm-up, log s follows dual averaging toward
    ``target_accept`` (start s = 2.38/√d), and the per-coordinate variances v are
    re-estimated from the warm-up draws of all chains in Stan's doubling windows. Both
    are shared by the chains (pooling the acceptance steadies the tuning) and fixed
    after warm-up, so the kept draws come from one fixed reversible kernel.

    Examples
    --------
    >>> from core.mcmc.targets import gaussian
    >>> tr = metropolis(gaussian(2), n_chains=2, n_warmup=500, n_draws=100, rng=0)
    >>> tr.draws.shape, tr.n_grad_evals
    ((2, 100, 2), 0)
    """
    t = check_target(target)
    nc, nw, nd = check_run(n_chains, n_warmup, n_draws)
    delta = float(check_finite(target_accept, "target_accept"))
    if not 0.0 < delta < 1.0:
        raise ValueError(f"`target_accept` must lie in (0, 1); got {delta}")
    gen = as_generator(rng)
    rngs = list(gen.spawn(nc))
    x = start_points(t, init, rngs)
    d = t.dim
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        logp = np.asarray(t.logp_grad(x)[0], dtype=np.float64)
    log_scale = math.log(2.38 / math.sqrt(d))
    sd = np.ones(d)
    window = WelfordVariance(d)
    first, ends = metric_window_ends(nw)
    window_ends = set(ends)
    since_restart = 0

    draws = np.empty((nc, nd, d))
    warm = np.empty((nc, nw, d))
    stats = empty_stats(nc, nd)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        for i in range(nw + nd):
            scale = math.exp(log_scale)
            proposal = x + (scale * sd) * gen.standard_normal((nc, d))
            logp_new = np.asarray(t.logp_grad(proposal)[0], dtype=np.float64)
            log_ratio = np.where(np.isnan(logp_new), -np.inf, logp_new - logp)
            accept_prob = np.exp(np.minimum(log_ratio, 0.0))
            accepted = gen.random(nc) < accept_prob
            x = np.where(accepted[:, None], proposal, x)
            logp = np.where(accepted, logp_new, logp)
            if i < nw:
                warm[:, i] = x
                # Robbins-Monro on log s with the acceptance pooled over chains.
                since_restart += 1
                gain = since_restart**-0.6
                log_scale += gain * (float(accept_prob.mean()) - delta)
                if ends and first <= i <= ends[-1]:
                    for c in range(nc):
                        window.add(x[c])
                    if i in window_ends:
                        sd = np.sqrt(window.regularised_variance())
                        window.restart()
                        since_restart = 0
            else:
                j = i - nw
                draws[:, j] = x
                stats["accept_stat"][:, j] = accept_prob
                stats["step_size"][:, j] = scale
                stats["energy"][:, j] = -logp
    return Trace(
        sampler="metropolis",
        target=t.name,
        draws=draws,
        stats=stats,
        n_grad_evals=0,
        n_grad_evals_sampling=0,
        warmup_draws=warm,
        step_size=np.full(nc, math.exp(log_scale)),
        inv_metric=np.tile(sd**2, (nc, 1)),
        trajectories=None,
    )
