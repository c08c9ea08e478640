"""Random-walk Metropolis-Hastings, vectorised over chains."""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from core.mcmc._common import (
    Progress,
    ProgressCallback,
    RngLike,
    as_generator,
    check_run,
    check_target,
    empty_stats,
    start_points,
)
from core.mcmc.adaptation import WelfordVariance, metric_window_ends
from core.mcmc.moves import MetropolisMoves
from core.mcmc.targets import Target
from core.mcmc.trace import Trace
from core.mcmc.warmup_history import WarmupRecorder, stan_windows
from core.validation import as_float_array, check_bool, check_finite, check_scalar

__all__ = ["metropolis", "mh_acceptance_probability"]


def metropolis(
    target: Target,
    *,
    n_chains: int = 4,
    n_warmup: int = 1000,
    n_draws: int = 1000,
    rng: RngLike = None,
    target_accept: float = 0.234,
    init: ArrayLike | None = None,
    proposal_scale: float | None = None,
    progress: ProgressCallback | None = None,
    keep_moves: bool = False,
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
    proposal_scale : float, optional
        A fixed proposal standard deviation s (> 0): proposals are x + s·z in every
        coordinate and nothing is tuned in warm-up (which then only burns in), so the
        effect of a too-small or too-large step can be seen. ``target_accept`` is unused.

    progress : callable, optional
        ``progress(fraction)`` is called as the run goes (every 100 iterations, and with
        1.0 at the end), e.g. to move a progress bar.
    keep_moves : bool, optional
        Keep every kept iteration's proposal and whether it was accepted
        (``Trace.moves``, a :class:`~core.mcmc.moves.MetropolisMoves`).

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
    >>> fixed = metropolis(gaussian(2), n_chains=2, n_warmup=0, n_draws=4, rng=0, proposal_scale=0.1)
    >>> bool((fixed.stats["step_size"] == 0.1).all())
    True
    """
    t = check_target(target)
    nc, nw, nd = check_run(n_chains, n_warmup, n_draws)
    delta = float(check_finite(target_accept, "target_accept"))
    if not 0.0 < delta < 1.0:
        raise ValueError(f"`target_accept` must lie in (0, 1); got {delta}")
    adapt = proposal_scale is None
    fixed_scale = math.nan  # unused while adapting
    if proposal_scale is not None:
        fixed_scale = float(check_finite(proposal_scale, "proposal_scale"))
        if fixed_scale <= 0:
            raise ValueError(f"`proposal_scale` must be > 0; got {fixed_scale}")
    keep = check_bool(keep_moves, "keep_moves")
    report = Progress(progress, nw + nd)
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
    recorder = WarmupRecorder("metropolis", nc, nw, d, delta)
    for c in range(nc):
        recorder.start(c, sd**2)

    draws = np.empty((nc, nd, d))
    warm = np.empty((nc, nw, d))
    stats = empty_stats(nc, nd)
    proposals = np.empty((nc, nd, d)) if keep else None
    moved = np.empty((nc, nd), dtype=bool) if keep else None
    start = x.copy()  # replaced by the last warm-up position below
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        for i in range(nw + nd):
            scale = math.exp(log_scale) if adapt else fixed_scale
            proposal = x + (scale * sd) * gen.standard_normal((nc, d))
            logp_new = np.asarray(t.logp_grad(proposal)[0], dtype=np.float64)
            log_ratio = np.where(np.isnan(logp_new), -np.inf, logp_new - logp)
            accept_prob = np.exp(np.minimum(log_ratio, 0.0))
            accepted = gen.random(nc) < accept_prob
            x = np.where(accepted[:, None], proposal, x)
            logp = np.where(accepted, logp_new, logp)
            report.step()
            if i == nw - 1:
                start = x.copy()
            if i < nw:
                warm[:, i] = x
                if adapt:
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
                variances = sd**2  # the variances in force from the next iteration
                for c in range(nc):
                    recorder.record(c, i, scale, float(accept_prob[c]), variances)
            else:
                j = i - nw
                draws[:, j] = x
                stats["accept_stat"][:, j] = accept_prob
                stats["step_size"][:, j] = scale
                stats["energy"][:, j] = -logp
                if proposals is not None and moved is not None:
                    proposals[:, j] = proposal
                    moved[:, j] = accepted
    final_scale = np.full(nc, math.exp(log_scale) if adapt else fixed_scale)
    windows = stan_windows(first, ends) if adapt else []
    return Trace(
        sampler="metropolis",
        target=t.name,
        draws=draws,
        stats=stats,
        n_grad_evals=0,
        n_grad_evals_sampling=0,
        warmup_draws=warm,
        step_size=final_scale,
        inv_metric=np.tile(sd**2, (nc, 1)),
        trajectories=None,
        warmup_history=recorder.finish(final_scale, [windows] * nc),
        moves=None if proposals is None or moved is None else MetropolisMoves(proposals, moved, start),
    )


def mh_acceptance_probability(
    log_target_current: float,
    log_target_proposed: float,
    *,
    log_q_forward: float = 0.0,
    log_q_backward: float = 0.0,
) -> float:
    """Metropolis-Hastings acceptance probability of one proposal x → x′.

    Parameters
    ----------
    log_target_current : float
        log π(x) (up to a constant), finite.
    log_target_proposed : float
        log π(x′) (same constant); ``-inf`` outside the support (never accepted).
    log_q_forward : float, optional
        log q(x′ | x), the density of proposing x′ from x. Omit both proposal terms for a
        symmetric proposal (they cancel).
    log_q_backward : float, optional
        log q(x | x′), the density of proposing the way back.

    Returns
    -------
    float
        α = min(1, π(x′) q(x | x′) / (π(x) q(x′ | x))), in [0, 1].

    Notes
    -----
    The Hastings correction q(x | x′)/q(x′ | x) makes the chain satisfy detailed balance
    with an asymmetric proposal; without it the chain samples a different distribution.
    The normalising constants of π and q cancel, so only log densities up to a constant
    are needed. Computed in logs: α = exp(min(0, log π(x′) − log π(x) + log q(x | x′) −
    log q(x′ | x))).

    Examples
    --------
    >>> round(mh_acceptance_probability(0.0, -1.0), 6)  # symmetric: e^{-1}
    0.367879
    >>> mh_acceptance_probability(-1.0, 0.0)  # uphill: always accepted
    1.0
    >>> round(mh_acceptance_probability(0.0, -1.0, log_q_forward=-2.0, log_q_backward=-1.5), 6)
    0.606531
    """
    current = check_scalar(log_target_current, "log_target_current")
    proposed_arr = as_float_array(log_target_proposed, "log_target_proposed")
    if proposed_arr.ndim != 0:
        raise ValueError(f"`log_target_proposed` must be a single number; got shape {proposed_arr.shape}")
    proposed = float(proposed_arr)
    if math.isnan(proposed) or proposed == math.inf:
        raise ValueError(f"`log_target_proposed` must be finite or -inf; got {proposed}")
    forward = check_scalar(log_q_forward, "log_q_forward")
    backward = check_scalar(log_q_backward, "log_q_backward")
    if proposed == -math.inf:
        return 0.0
    log_alpha = proposed - current + backward - forward
    return math.exp(min(0.0, log_alpha))
