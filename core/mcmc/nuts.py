"""The No-U-Turn Sampler as Stan implements it (``stan/mcmc/hmc/nuts/base_nuts.hpp``).

Each transition grows a trajectory by doubling, in a random direction each time, until
the generalised U-turn criterion fires, a subtree diverges, or the maximum tree depth is
reached. The next draw is sampled from the whole trajectory with multinomial weights
exp(−H) (biased progressively toward the newest subtree), and the divergence rule,
dual averaging and windowed metric are Stan's, except that a metric update restarts
only the step size's average (see core.mcmc.adaptation).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from core.mcmc._common import ProgressCallback, RngLike
from core.mcmc.hmc import (
    ADAPTATIONS,
    DIVERGENCE_THRESHOLD,
    HamiltonianChain,
    Transition,
    check_sampler_options,
    run_gradient_sampler,
)
from core.mcmc.moves import STOP_REASONS, PointRecorder
from core.mcmc.targets import Target
from core.mcmc.trace import Trace
from core.validation import check_bool, check_choice, check_int

__all__ = ["nuts"]

Array = NDArray[np.float64]


def _log_add_exp(a: float, b: float) -> float:
    if a == -math.inf:
        return b
    if b == -math.inf:
        return a
    hi, lo = (a, b) if a > b else (b, a)
    return hi + math.log1p(math.exp(lo - hi))


class _NutsTransition:
    """One chain's NUTS transition; ``__call__`` matches hmc.Transition.

    The tree is built on tiny arrays, so per-step Python and NumPy call overhead, not
    arithmetic, is the cost: the step sizes are kept as arrays (an array product is
    cheaper than a Python-float one and gives the same bits), dot products use
    ``ndarray.dot`` (faster than ``@`` on 1-D arrays), and the two extra U-turn checks
    are skipped where they provably repeat the first one (see :meth:`_build`).
    """

    def __init__(self, chain: HamiltonianChain, max_depth: int) -> None:
        self.chain = chain
        self.max_depth = max_depth
        self.random = chain.rng.random
        self.f = chain.f
        # Per-transition state, set at the start of every __call__.
        self.inv_m = chain.inv_m
        self.step = self.half = np.ones(chain.dim)
        self.h0 = 0.0
        self.n_leapfrog = 0
        self.sum_metro = 0.0
        self.sum_sym = 0.0  # nutpie's symmetric acceptance, see core.mcmc.fisher_adaptation
        self.divergent = False
        self.path: list[Array] | None = None  # where leaves append positions, if kept
        # keep_moves: the recorder, the direction being built, the local index and time of
        # the tree's end in that direction, and where the U-turn or divergence stopped it.
        self.rec: PointRecorder | None = None
        self.direction = 1
        self.pos = 0  # the newest leaf's index in the trajectory (start 0, backward < 0)
        self.edge_local = self.edge_time = 0
        self.stop_span: tuple[int, int] | None = None

    def _leaf(self, edge: tuple[Any, ...]) -> tuple[Any, ...]:
        """One leapfrog step from ``edge``: a tree of depth 0 (see :meth:`_build`)."""
        inv_m, half = self.inv_m, self.half
        q, p, g, _ = edge
        p = p + half * g
        q = q + self.step * (inv_m * p)
        logp, g = self.f(q)
        logp = float(logp)
        p = p + half * g
        ps = inv_m * p
        h = 0.5 * float(p.dot(ps)) - logp
        if h != h:  # nan energy: treat as infinite, hence divergent
            h = math.inf
        self.n_leapfrog += 1
        self.pos += self.direction
        log_w = self.h0 - h
        if -log_w > DIVERGENCE_THRESHOLD:
            self.divergent = True
        z = math.exp(-log_w if log_w > 0 else log_w)  # e^{−|ΔH|}
        self.sum_metro += 1.0 if log_w > 0 else z
        self.sum_sym += 2.0 * z / (1.0 + z)
        if self.path is not None:
            self.path.append(q)
        rec = self.rec
        if rec is not None:
            self.edge_time += self.direction
            self.edge_local = rec.add(q, p, self.edge_local, self.edge_time)
            if self.divergent and self.stop_span is None:
                self.stop_span = (self.edge_local, self.edge_local)
        return (not self.divergent, (q, p, g, logp), (q, logp, g, h, self.pos), ps, ps, p, p, p, log_w)

    def _build(self, depth: int, edge: tuple[Any, ...]) -> tuple[Any, ...]:
        """Stan's build_tree: 2^depth leapfrog steps from ``edge`` (q, p, g, logp).

        Returns (valid, new edge, proposal (q, logp, g, H, index in trajectory), p♯_begin, p♯_end, ρ,
        p_begin, p_end, log Σ weights).
        """
        if depth == 0:
            return self._leaf(edge)
        first = 0 if self.rec is None else self.rec.n_local
        init = self._leaf(edge) if depth == 1 else self._build(depth - 1, edge)
        if not init[0]:
            return init
        _, edge, prop_i, ps_beg, ps_init_end, rho_init, p_beg, p_init_end, lsw_init = init
        final = self._leaf(edge) if depth == 1 else self._build(depth - 1, edge)
        if not final[0]:
            return final
        _, edge, prop_f, ps_final_beg, ps_end, rho_final, p_final_beg, p_end, lsw_final = final

        lsw = _log_add_exp(lsw_init, lsw_final)
        if lsw_final > lsw:
            prop = prop_f
        else:
            prop = prop_f if self.random() < math.exp(lsw_final - lsw) else prop_i
        rho = rho_init + rho_final
        # Generalised U-turn on the subtree, then across its halves. With two leaves the
        # halves' checks are the first one again (ρ_init + p_final_beg = ρ), so skip them.
        persist = ps_end.dot(rho) > 0.0 and ps_beg.dot(rho) > 0.0
        if persist and depth > 1:
            rho_ext = rho_init + p_final_beg
            rho_ext2 = rho_final + p_init_end
            persist = (
                ps_final_beg.dot(rho_ext) > 0.0
                and ps_beg.dot(rho_ext) > 0.0
                and ps_end.dot(rho_ext2) > 0.0
                and ps_init_end.dot(rho_ext2) > 0.0
            )
        if not persist and self.rec is not None and self.stop_span is None:
            self.stop_span = (first, self.rec.n_local - 1)  # this subtree turned back
        return (persist, edge, prop, ps_beg, ps_end, rho, p_beg, p_end, lsw)

    def _finish_record(self, rec: PointRecorder, draw: Array) -> None:
        """Close the iteration's record: why it stopped, where, and which point was drawn."""
        n = rec.n_local
        if self.divergent:
            stop = STOP_REASONS.index("divergence")
        elif self.stop_span is not None:
            stop = STOP_REASONS.index("u-turn")
        else:
            stop = STOP_REASONS.index("max depth")
        span = self.stop_span if self.stop_span is not None else (0, n - 1)
        # The proposal carries the very array the leaf recorded, so identity finds it.
        pick = next(k for k in range(n) if rec.points[rec.base + k] is draw)
        rec.end(pick != 0, self.divergent)
        rec.finish_tree(stop, span, pick)

    def __call__(self, q: Array, logp: float, g: Array, eps: float) -> Any:
        chain = self.chain
        self.inv_m = inv_m = chain.inv_m
        p = chain.momentum()
        ps = inv_m * p
        self.h0 = h0 = -logp + 0.5 * float(np.dot(p, ps))
        self.n_leapfrog = 0
        self.sum_metro = self.sum_sym = 0.0
        self.divergent = False
        step_fwd = np.full(chain.dim, eps)
        step_bck = -step_fwd
        half_fwd, half_bck = 0.5 * step_fwd, 0.5 * step_bck
        fwd_path: list[Array] | None = [] if chain.keep else None
        bck_path: list[Array] | None = [] if chain.keep else None
        rec = self.rec = chain.recorder
        ends = {1: (0, 0), -1: (0, 0)}  # (local index, time) of the tree's two ends
        end_pos = {1: 0, -1: 0}  # the two ends' indices in the trajectory
        if rec is not None:
            rec.begin(q, p)
            self.stop_span = None

        edge_fwd = edge_bck = (q, p, g, logp)
        sample = (q, logp, g, h0, 0)
        p_fwd_fwd = p_fwd_bck = p_bck_fwd = p_bck_bck = p
        ps_fwd_fwd = ps_fwd_bck = ps_bck_fwd = ps_bck_bck = ps
        rho = p
        log_sum_weight = 0.0
        depth = 0
        while depth < self.max_depth:
            forward = self.random() > 0.5
            first = 0
            self.direction = 1 if forward else -1
            self.pos = end_pos[self.direction]
            if rec is not None:
                self.edge_local, self.edge_time = ends[self.direction]
                first = rec.n_local
            if forward:
                rho_bck = rho
                p_bck_fwd, ps_bck_fwd = p_fwd_fwd, ps_fwd_fwd
                self.step, self.half, self.path = step_fwd, half_fwd, fwd_path
                (valid, edge_fwd, prop, ps_fwd_bck, ps_fwd_fwd, rho_fwd, p_fwd_bck, p_fwd_fwd,
                 lsw_sub) = self._build(depth, edge_fwd)  # fmt: skip
            else:
                rho_fwd = rho
                p_fwd_bck, ps_fwd_bck = p_bck_bck, ps_bck_bck
                self.step, self.half, self.path = step_bck, half_bck, bck_path
                (valid, edge_bck, prop, ps_bck_fwd, ps_bck_bck, rho_bck, p_bck_fwd, p_bck_bck,
                 lsw_sub) = self._build(depth, edge_bck)  # fmt: skip
            end_pos[self.direction] = self.pos
            if rec is not None:
                ends[self.direction] = (self.edge_local, self.edge_time)
                rec.doubling(self.direction, depth, first, rec.n_local - first)
            if not valid:
                break
            depth += 1
            if lsw_sub > log_sum_weight:
                sample = prop
            elif self.random() < math.exp(lsw_sub - log_sum_weight):
                sample = prop
            log_sum_weight = _log_add_exp(log_sum_weight, lsw_sub)
            rho = rho_bck + rho_fwd
            # Generalised U-turn on the merged tree and across its two halves (Stan). After
            # the first doubling both halves are single states and the checks coincide.
            persist = ps_fwd_fwd.dot(rho) > 0.0 and ps_bck_bck.dot(rho) > 0.0
            if persist and depth > 1:
                rho_ext = rho_bck + p_fwd_bck
                rho_ext2 = rho_fwd + p_bck_fwd
                persist = (
                    ps_fwd_bck.dot(rho_ext) > 0.0
                    and ps_bck_bck.dot(rho_ext) > 0.0
                    and ps_fwd_fwd.dot(rho_ext2) > 0.0
                    and ps_bck_fwd.dot(rho_ext2) > 0.0
                )
            if not persist:
                if rec is not None and self.stop_span is None:
                    self.stop_span = (0, rec.n_local - 1)  # the merged tree turned back
                break
        chain.n_grad += self.n_leapfrog
        q1, logp1, g1, h1, index = sample
        accept = self.sum_metro / self.n_leapfrog
        traj = None
        if fwd_path is not None and bck_path is not None:
            traj = np.array([*reversed(bck_path), q, *fwd_path])
        sym = self.sum_sym / self.n_leapfrog
        if rec is not None:
            self._finish_record(rec, q1)
        stats = (accept, eps, depth, self.n_leapfrog, self.divergent, h1, h1 - h0, sym, index)
        return q1, logp1, g1, stats, traj


def nuts(
    target: Target,
    *,
    n_chains: int = 4,
    n_warmup: int = 1000,
    n_draws: int = 1000,
    rng: RngLike = None,
    max_tree_depth: int = 10,
    target_accept: float = 0.8,
    step_size: float | None = None,
    init: ArrayLike | None = None,
    keep_trajectories: bool = False,
    adapt_init_buffer: int = 75,
    adapt_term_buffer: int = 50,
    adapt_window: int = 25,
    progress: ProgressCallback | None = None,
    adaptation: str = "stan",
    keep_moves: bool = False,
) -> Trace:
    """The No-U-Turn Sampler with Stan's or nutpie's warm-up (step size, diagonal metric).

    Parameters
    ----------
    target : Target
        The distribution to sample (see core.mcmc.targets).
    n_chains, n_warmup, n_draws : int, optional
        Chains, warm-up iterations (adaptation; discarded) and kept draws per chain (≥ 4).
    rng : numpy.random.Generator or int, optional
        Randomness; each chain gets a spawned child, so a seed reproduces the draws bit
        for bit.
    max_tree_depth : int, optional
        At most 2^max_tree_depth − 1 leapfrog steps per transition.
    target_accept : float, optional
        Dual-averaging target δ for the mean Metropolis acceptance over the trajectory.
    step_size : float, optional
        A fixed step size; when given there is no step-size adaptation.
    init : array_like, optional
        Start points, (dim,) or (n_chains, dim); default ``target.init`` + U(−2, 2).
    keep_trajectories : bool, optional
        Keep each post-warm-up trajectory's positions in time order (for plotting).
    adapt_init_buffer, adapt_term_buffer, adapt_window : int, optional
        Stan's warm-up schedule (same names in RStan/PyStan): iterations of step-size-only
        adaptation before the first metric window and after the last one, and the size
        of the first metric window (each later one doubles). Used by ``"stan"`` only.
    progress : callable, optional
        ``progress(fraction)`` is called as the run goes (every 100 iterations, and with
        1.0 at the end), e.g. to move a progress bar.
    adaptation : {"stan", "fisher"}, optional
        How warm-up learns the diagonal mass matrix: ``"stan"``, the regularised
        variance of the draws over Stan's doubling windows; ``"fisher"``, nutpie's
        √(var(draws)/var(gradients)) per coordinate (core.mcmc.fisher_adaptation), with its
        schedule, symmetric acceptance late in warm-up and a ±10% step-size jitter.
    keep_moves : bool, optional
        Keep every kept iteration's tree (``Trace.moves``, a
        :class:`~core.mcmc.moves.LeapfrogMoves` with a :class:`~core.mcmc.moves.NutsTree`
        per chain): its points and momenta, each doubling, why and where it stopped
        (U-turn, divergence, max depth) and the point the multinomial sampling drew.

    Returns
    -------
    Trace
        Draws (chain, draw, dim) and per-draw stats; ``divergent`` flags transitions with
        an energy error above 1000 (they are kept and counted, never hidden).

    Notes
    -----
    Multinomial NUTS (Betancourt 2017, "A Conceptual Introduction to Hamiltonian Monte
    Carlo", appendix A): every state of the trajectory has weight exp(H₀ − H); a new
    subtree's proposal replaces the current one with probability
    min(1, w_subtree / w_old). The generalised U-turn criterion stops when
    p♯₋·ρ ≤ 0 or p♯₊·ρ ≤ 0, with ρ the summed momenta and p♯ = M⁻¹p, checked on the
    merged tree and across the two halves. Warm-up: dual averaging toward δ with
    γ = 0.05, t₀ = 10, κ = 0.75; the diagonal metric is the regularised variance of
    windows 75 / 25, 50, 100, … / 50 iterations. Unlike Stan, a metric update does not
    re-search the step size and restart dual averaging from scratch; the iterate carries
    on and only its average restarts, so the kept step size averages the iterations
    under the final metric. Stan's restart leaves a 50-iteration average that includes
    its own transient and lands well below the target: on the correlated Gaussian
    ρ = 0.9, ε ≈ 0.32 and mean acceptance ≈ 0.93 in Stan (and in a transcription of its
    restart), against ε ≈ 0.46 and acceptance ≈ 0.84 here, with about 1.8 times the
    bulk-ESS per gradient, close to PyMC (whose tuning never restarts). Where curvature
    varies, the iterate follows the chain's region and the kept step suits the bulk more
    than the extremes: on the banana b = 0.03 (40 seeds) Stan's restart keeps ε ≈ 0.20
    with 26 divergences per 4,000 draws, this code ε ≈ 0.30 with 150 and a third less
    ESS per gradient; ``target_accept=0.9`` gives ε ≈ 0.19 and 26 divergences again.
    Raising ``target_accept`` is the remedy for divergences, as in Stan.

    ``adaptation="fisher"`` follows Seyboldt, Carlson and Carpenter (2026), "Preconditioning
    Hamiltonian Monte Carlo by minimizing Fisher divergence" (arXiv:2603.18845), as
    nuts-rs (the sampler inside nutpie) implements it: the diagonal M⁻¹ minimising the
    Fisher divergence between the target and a Gaussian is √(var(x)/var(∇log π)) per
    coordinate (Σ_ii exactly for a Gaussian with independent coordinates), estimated
    from the draws and the gradients already computed at them, updated after every
    warm-up draw over windows that switch every 10 draws, then after 80, 120, 180, …
    draws (nuts-rs 0.18; nutpie 0.16.8 runs nuts-rs 0.17, whose later windows stay at
    80); the final 15% tunes only the step size. Where curvature varies the diagonal is
    not the variance: on the banana b = 0.01 it gives the long coordinate (variance
    100) M⁻¹ ≈ 43, and that coordinate mixes more slowly than under Stan's metric.

    Examples
    --------
    >>> from core.mcmc.targets import correlated_gaussian
    >>> tr = nuts(correlated_gaussian(0.9), n_chains=2, n_warmup=200, n_draws=100, rng=0)
    >>> tr.draws.shape, int(tr.stats["tree_depth"].max()) <= 10
    ((2, 100, 2), True)

    nutpie's adaptation learns an independent Gaussian's variances (here 1 and 100):

    >>> from core.mcmc.targets import gaussian
    >>> tr = nuts(gaussian(2, scales=[1.0, 10.0]), n_chains=1, n_warmup=300, n_draws=100,
    ...           rng=0, adaptation="fisher")
    >>> bool(abs(tr.inv_metric[0, 1] / 100.0 - 1.0) < 0.5)
    True
    """
    t, nc, nw, nd, delta, eps = check_sampler_options(
        target, n_chains, n_warmup, n_draws, target_accept, step_size
    )
    depth = check_int(max_tree_depth, "max_tree_depth", minimum=1, maximum=20)
    windows = (
        check_int(adapt_init_buffer, "adapt_init_buffer", minimum=0),
        check_int(adapt_window, "adapt_window", minimum=1),
        check_int(adapt_term_buffer, "adapt_term_buffer", minimum=0),
    )
    check_choice(adaptation, "adaptation", ADAPTATIONS)
    keep = check_bool(keep_moves, "keep_moves")

    def make_transition(chain: HamiltonianChain) -> Transition:
        return _NutsTransition(chain, depth)

    return run_gradient_sampler(
        "nuts",
        t,
        make_transition,
        n_chains=nc,
        n_warmup=nw,
        n_draws=nd,
        rng=rng,
        init=init,
        target_accept=delta,
        step_size=eps,
        keep_trajectories=keep_trajectories,
        windows=windows,
        progress=progress,
        adaptation=adaptation,
        keep_moves=keep,
    )
