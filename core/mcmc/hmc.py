"""Hamiltonian Monte Carlo with a leapfrog integrator, and the warm-up driver NUTS shares.

A transition draws a momentum p ~ N(0, M), follows Hamilton's equations for
H(q, p) = −log π(q) + ½ pᵀM⁻¹p with the leapfrog scheme, and accepts the end point
with probability min(1, exp(H₀ − H₁)). M is diagonal; its inverse ("inverse metric")
and the step size are adapted in warm-up with Stan's windows and dual averaging (see
core.mcmc.adaptation for the one departure from Stan).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from core.mcmc._common import (
    Progress,
    ProgressCallback,
    RngLike,
    chain_generators,
    check_run,
    check_target,
    empty_stats,
    start_points,
)
from core.mcmc.adaptation import StanWarmup, metric_window_ends
from core.mcmc.fisher_adaptation import FisherWarmup, symmetric_accept
from core.mcmc.moves import PointRecorder, leapfrog_moves
from core.mcmc.targets import Target
from core.mcmc.trace import Trace
from core.mcmc.warmup_history import WarmupRecorder, stan_windows, switch_windows
from core.validation import (
    check_bool,
    check_choice,
    check_finite,
    check_int,
    check_positive,
    check_scalar,
)

__all__ = ["ADAPTATIONS", "DIVERGENCE_THRESHOLD", "hmc", "leapfrog_step"]

#: Warm-up adaptations of the gradient samplers: Stan's windows, nutpie's Fisher diagonal.
ADAPTATIONS = ("stan", "fisher")

#: A transition whose energy error H − H₀ exceeds this is divergent (Stan's max_deltaH).
DIVERGENCE_THRESHOLD = 1000.0

#: Cap on ⌈T/ε⌉ leapfrog steps when a warm-up step size is tiny (PyMC's max_steps).
MAX_PATH_STEPS = 1024

Array = NDArray[np.float64]
# One transition: (q, logp, grad, step_size) -> (q, logp, grad, stats, trajectory or None)
Transition = Callable[[Array, float, Array, float], tuple[Array, float, Array, tuple[Any, ...], Any]]


class HamiltonianChain:
    """One chain's Hamiltonian machinery: momentum, energy, leapfrog, step-size search."""

    def __init__(self, target: Target, rng: np.random.Generator, keep_trajectories: bool) -> None:
        self.f = target.logp_grad
        self.rng = rng
        self.dim = target.dim
        self.keep = keep_trajectories
        self.recorder: PointRecorder | None = None  # set for the kept draws with keep_moves
        self.n_grad = 0
        self.set_inv_metric(np.ones(target.dim))

    def set_inv_metric(self, inv_metric: Array) -> None:
        self.inv_m = inv_metric
        self.sqrt_m = 1.0 / np.sqrt(inv_metric)

    def momentum(self) -> Array:
        return self.rng.standard_normal(self.dim) * self.sqrt_m

    def grad_at(self, q: Array) -> tuple[float, Array]:
        self.n_grad += 1
        logp, g = self.f(q)
        return float(logp), g

    def leapfrog(
        self, q: Array, p: Array, g: Array, eps: float
    ) -> tuple[Array, Array, Array, float]:
        p = p + (0.5 * eps) * g
        q = q + eps * (self.inv_m * p)
        logp, g = self.grad_at(q)
        p = p + (0.5 * eps) * g
        return q, p, g, logp

    def energy(self, logp: float, p: Array) -> float:
        h = -logp + 0.5 * float(np.dot(p, self.inv_m * p))
        return math.inf if math.isnan(h) else h

    def find_step_size(self, q: Array, logp: float, g: Array, eps: float) -> float:
        """Stan's init_stepsize: double or halve ε until one leapfrog step crosses acceptance 0.8."""
        p = self.momentum()
        h0 = self.energy(logp, p)
        _, p1, _, lp1 = self.leapfrog(q, p, g, eps)
        delta = h0 - self.energy(lp1, p1)
        direction = 1 if delta > math.log(0.8) else -1
        while True:
            p = self.momentum()
            h0 = self.energy(logp, p)
            _, p1, _, lp1 = self.leapfrog(q, p, g, eps)
            delta = h0 - self.energy(lp1, p1)
            if direction == 1 and not delta > math.log(0.8):
                break
            if direction == -1 and not delta < math.log(0.8):
                break
            eps = 2.0 * eps if direction == 1 else 0.5 * eps
            if eps > 1e7:
                raise ValueError(
                    "the step size grew past 1e7 in warm-up: the target's log density looks "
                    "flat or improper (posterior may be improper)"
                )
            if eps == 0.0:
                raise ValueError("the step size fell to 0 in warm-up: the log density is not smooth")
        return eps


def run_gradient_sampler(
    name: str,
    target: Target,
    make_transition: Callable[[HamiltonianChain], Transition],
    *,
    n_chains: int,
    n_warmup: int,
    n_draws: int,
    rng: RngLike,
    init: ArrayLike | None,
    target_accept: float,
    step_size: float | None,
    keep_trajectories: bool,
    windows: tuple[int, int, int] = (75, 25, 50),
    progress: ProgressCallback | None = None,
    adaptation: str = "stan",
    keep_moves: bool = False,
) -> Trace:
    """Warm up each chain (Stan's or nutpie's adaptation), then sample it.

    ``windows`` is Stan's (init_buffer, window, term_buffer), see metric_window_ends;
    ``adaptation`` is ``"stan"`` (core.mcmc.adaptation) or ``"fisher"`` (core.mcmc.fisher_adaptation).
    A transition's stats are (accept, ε, depth, n_leapfrog, divergent, H, ΔH,
    symmetric accept, the draw's index in the trajectory); the first seven are kept per draw. ``keep_moves`` gives each
    chain a PointRecorder for its kept draws (core.mcmc.moves).
    """
    report = Progress(progress, n_chains * (n_warmup + n_draws))
    rngs = chain_generators(rng, n_chains)
    x0 = start_points(target, init, rngs)
    d = target.dim
    draws = np.empty((n_chains, n_draws, d))
    warm = np.empty((n_chains, n_warmup, d))
    stats = empty_stats(n_chains, n_draws)
    final_eps = np.empty(n_chains)
    final_inv_m = np.empty((n_chains, d))
    trajectories: list[list[Array]] | None = [] if keep_trajectories else None
    recorders: list[PointRecorder] = []
    n_grad = n_grad_sampling = 0
    recorder = WarmupRecorder(adaptation, n_chains, n_warmup, d, target_accept)
    init_buffer, base_window, term_buffer = windows
    first, ends = metric_window_ends(n_warmup, init_buffer=init_buffer, term_buffer=term_buffer,
                                     base_window=base_window)
    closed: list[list[tuple[int, int]]] = []
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        for c in range(n_chains):
            chain = HamiltonianChain(target, rngs[c], keep_trajectories=False)
            transition = make_transition(chain)
            warmup: StanWarmup | FisherWarmup
            if adaptation == "fisher":
                warmup = FisherWarmup(chain, n_warmup, target_accept, step_size)
            else:
                warmup = StanWarmup(chain, n_warmup, target_accept, step_size, windows)
            q = x0[c]
            logp, g = chain.grad_at(q)
            eps = warmup.start(q, logp, g)
            recorder.start(c, chain.inv_m)
            for i in range(n_warmup):
                q1, logp, g, st, _ = transition(q, logp, g, eps)
                moved, q = q1 is not q, q1
                warm[c, i] = q
                report.step()
                eps = warmup.update(i, q, logp, g, moved, st)
                # Read from outside the adapter: the step used, its acceptance, the metric now.
                recorder.record(c, i, st[1], st[0], chain.inv_m)
            eps = warmup.final_step_size()
            # Stan's windows follow the schedule; nutpie's close at its estimator switches.
            closed.append(switch_windows(getattr(warmup, "switches", [])) if adaptation == "fisher"
                          else stan_windows(first, ends))
            n_grad_warm = chain.n_grad
            chain.keep = keep_trajectories  # trajectories of the kept draws only
            if keep_moves:
                chain.recorder = PointRecorder()
                recorders.append(chain.recorder)
            kept: list[Array] = []
            for i in range(n_draws):
                q, logp, g, st, traj = transition(q, logp, g, warmup.sampling_step(eps))
                draws[c, i] = q
                report.step()
                (
                    stats["accept_stat"][c, i],
                    stats["step_size"][c, i],
                    stats["tree_depth"][c, i],
                    stats["n_leapfrog"][c, i],
                    stats["divergent"][c, i],
                    stats["energy"][c, i],
                    stats["energy_error"][c, i],
                ) = st[:7]
                if traj is not None:
                    kept.append(traj)
            if trajectories is not None:
                trajectories.append(kept)
            final_eps[c] = eps
            final_inv_m[c] = chain.inv_m
            n_grad += chain.n_grad
            n_grad_sampling += chain.n_grad - n_grad_warm
    return Trace(
        sampler=name,
        target=target.name,
        draws=draws,
        stats=stats,
        n_grad_evals=n_grad,
        n_grad_evals_sampling=n_grad_sampling,
        warmup_draws=warm,
        step_size=final_eps,
        inv_metric=final_inv_m,
        trajectories=trajectories,
        warmup_history=recorder.finish(final_eps, closed),
        moves=leapfrog_moves(recorders, d, nuts=name == "nuts") if keep_moves else None,
    )


def check_sampler_options(
    target: Any, n_chains: Any, n_warmup: Any, n_draws: Any, target_accept: Any, step_size: Any
) -> tuple[Target, int, int, int, float, float | None]:
    t = check_target(target)
    nc, nw, nd = check_run(n_chains, n_warmup, n_draws)
    delta = float(check_finite(target_accept, "target_accept"))
    if not 0.0 < delta < 1.0:
        raise ValueError(f"`target_accept` must lie in (0, 1); got {delta}")
    eps = None
    if step_size is not None:
        eps = float(check_finite(step_size, "step_size"))
        if eps <= 0:
            raise ValueError(f"`step_size` must be > 0; got {eps}")
    return t, nc, nw, nd, delta, eps


def hmc(
    target: Target,
    *,
    n_chains: int = 4,
    n_warmup: int = 1000,
    n_draws: int = 1000,
    rng: RngLike = None,
    path_length: float = 2.0,
    n_leapfrog: int | None = None,
    jitter: float = 0.2,
    target_accept: float = 0.8,
    step_size: float | None = None,
    init: ArrayLike | None = None,
    keep_trajectories: bool = False,
    progress: ProgressCallback | None = None,
    adaptation: str = "stan",
    keep_moves: bool = False,
) -> Trace:
    """Static Hamiltonian Monte Carlo: a fixed integration time (or step count) per transition.

    Parameters
    ----------
    target : Target
        The distribution to sample (see core.mcmc.targets).
    n_chains, n_warmup, n_draws : int, optional
        Chains, warm-up iterations (adaptation; discarded) and kept draws per chain (≥ 4).
    rng : numpy.random.Generator or int, optional
        Randomness; each chain gets a spawned child, so a seed reproduces the draws bit
        for bit.
    path_length : float, optional
        Integration time T of each trajectory; the number of leapfrog steps is ⌈T/ε⌉, so
        it follows the adapted step size (PyMC's default T = 2), capped at 1024 steps.
    n_leapfrog : int, optional
        A fixed number of leapfrog steps per transition instead of ``path_length``.
    jitter : float, optional
        Each transition's step size is ε·U(1 − jitter, 1 + jitter), which breaks the
        periodic orbits a fixed path length can fall into; in [0, 1).
    target_accept : float, optional
        Dual-averaging target for the mean acceptance probability.
    step_size : float, optional
        A fixed step size; when given there is no step-size adaptation.
    init : array_like, optional
        Start points, (dim,) or (n_chains, dim); default ``target.init`` + U(−2, 2).
    keep_trajectories : bool, optional
        Keep every leapfrog position of every post-warm-up transition (for plotting).
    progress : callable, optional
        ``progress(fraction)`` is called as the run goes (every 100 iterations, and with
        1.0 at the end), e.g. to move a progress bar.
    adaptation : {"stan", "fisher"}, optional
        Warm-up's mass-matrix adaptation, as in :func:`core.mcmc.nuts`.
    keep_moves : bool, optional
        Keep every kept iteration's leapfrog points and momenta, whether it was accepted
        and whether it diverged (``Trace.moves``, a :class:`~core.mcmc.moves.LeapfrogMoves`).

    Returns
    -------
    Trace
        Draws (chain, draw, dim) and per-draw stats; ``energy_error`` is H₁ − H₀.

    Notes
    -----
    Leapfrog: p ← p + (ε/2)∇log π(q); q ← q + ε M⁻¹p; p ← p + (ε/2)∇log π(q). Accept
    with probability min(1, exp(H₀ − H₁)); a transition with H₁ − H₀ > 1000 is counted
    as divergent (and rejected).

    Examples
    --------
    >>> from core.mcmc.targets import gaussian
    >>> tr = hmc(gaussian(2), n_chains=2, n_warmup=100, n_draws=50, rng=1, n_leapfrog=8)
    >>> tr.draws.shape, tr.n_grad_evals > 0
    ((2, 50, 2), True)
    >>> bool((tr.stats["n_leapfrog"] == 8).all())
    True
    """
    t, nc, nw, nd, delta, eps = check_sampler_options(
        target, n_chains, n_warmup, n_draws, target_accept, step_size
    )
    fixed_steps = None if n_leapfrog is None else check_int(n_leapfrog, "n_leapfrog", minimum=1)
    length = float(check_finite(path_length, "path_length"))
    if length <= 0:
        raise ValueError(f"`path_length` must be > 0; got {length}")
    jit = float(check_finite(jitter, "jitter"))
    if not 0.0 <= jit < 1.0:
        raise ValueError(f"`jitter` must lie in [0, 1); got {jit}")
    check_choice(adaptation, "adaptation", ADAPTATIONS)
    keep = check_bool(keep_moves, "keep_moves")

    def make_transition(chain: HamiltonianChain) -> Transition:
        def transition(q: Array, logp: float, g: Array, eps: float) -> Any:
            e = eps * (1.0 + jit * (2.0 * chain.rng.random() - 1.0)) if jit else eps
            steps = fixed_steps or min(MAX_PATH_STEPS, max(1, math.ceil(length / e)))
            p0 = chain.momentum()
            h0 = chain.energy(logp, p0)
            q1, p1, g1, lp1 = q, p0, g, logp
            path = [q] if chain.keep else None
            rec = chain.recorder
            if rec is not None:
                rec.begin(q, p0)
            for k in range(steps):
                q1, p1, g1, lp1 = chain.leapfrog(q1, p1, g1, e)
                if path is not None:
                    path.append(q1)
                if rec is not None:
                    rec.add(q1, p1, k, k + 1)
            h1 = chain.energy(lp1, p1)
            error = h1 - h0
            divergent = error > DIVERGENCE_THRESHOLD
            accept = 0.0 if math.isnan(error) or divergent else min(1.0, math.exp(-error))
            moved = chain.rng.random() < accept
            if moved:
                q, logp, g, h = q1, lp1, g1, h1
            else:
                h = h0
            if rec is not None:
                rec.end(moved, divergent)
            traj = None if path is None else np.array(path)
            stats = (accept, e, 0, steps, divergent, h, error, symmetric_accept(error),
                     steps if moved else 0)
            return q, logp, g, stats, traj

        return transition

    return run_gradient_sampler(
        "hmc",
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
        progress=progress,
        adaptation=adaptation,
        keep_moves=keep,
    )


def leapfrog_step(
    q: ArrayLike,
    p: ArrayLike,
    grad_logp: Callable[[Array], ArrayLike],
    *,
    step_size: float,
    inv_metric: ArrayLike | None = None,
) -> tuple[Array, Array]:
    """One leapfrog step of Hamiltonian dynamics, as inside :func:`hmc` (for teaching).

    Parameters
    ----------
    q : array_like, shape (d,) or scalar
        Position.
    p : array_like, same shape as ``q``
        Momentum.
    grad_logp : callable
        ``grad_logp(q)`` -> ∇ log π(q), same shape as ``q``.
    step_size : float
        ε > 0.
    inv_metric : array_like, optional
        Diagonal of M⁻¹ (positive), same shape as ``q``; the identity by default.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        The new position and momentum (q₁, p₁).

    Notes
    -----
    Half a momentum step, a full position step, half a momentum step:
    p½ = p + (ε/2)∇log π(q); q₁ = q + ε M⁻¹p½; p₁ = p½ + (ε/2)∇log π(q₁).
    The two half steps make the map reversible and volume-preserving.

    Examples
    --------
    Standard normal, ∇log π(q) = −q, from q = 1, p = 0 with ε = 0.5:
    p½ = −0.25, q₁ = 0.875, p₁ = −0.25 − 0.25·0.875 = −0.46875.

    >>> leapfrog_step(1.0, 0.0, lambda q: -q, step_size=0.5)
    (array(0.875), array(-0.46875))
    """
    q0 = check_finite(q, "q").astype(np.float64)
    p0 = check_finite(p, "p").astype(np.float64)
    if p0.shape != q0.shape:
        raise ValueError(f"`p` must have the shape of `q` {q0.shape}; got {p0.shape}")
    eps = float(check_positive(check_scalar(step_size, "step_size"), "step_size"))
    inv_m = np.ones_like(q0) if inv_metric is None else check_positive(inv_metric, "inv_metric")
    if inv_m.shape != q0.shape:
        raise ValueError(f"`inv_metric` must have the shape of `q` {q0.shape}; got {inv_m.shape}")

    def gradient(x: Array) -> Array:
        g = check_finite(grad_logp(x), "grad_logp(q)").astype(np.float64)
        if g.shape != q0.shape:
            raise ValueError(f"`grad_logp` must return the shape of `q` {q0.shape}; got {g.shape}")
        return g

    p_half = p0 + 0.5 * eps * gradient(q0)
    q1 = q0 + eps * inv_m * p_half
    p1 = p_half + 0.5 * eps * gradient(q1)
    return np.asarray(q1), np.asarray(p1)  # 0-d arrays, not numpy scalars, for scalar input
