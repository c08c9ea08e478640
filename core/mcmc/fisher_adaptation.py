"""nutpie's warm-up: a diagonal mass matrix from the draws' and the gradients' variances.

For a Gaussian with covariance Σ the gradient of log π at x is −Σ⁻¹(x − μ), so
var(x_i) = Σ_ii and var(∂_i log π) = (Σ⁻¹)_ii. The diagonal that minimises the Fisher
divergence between the target and its affinely transformed standard normal is
M⁻¹_ii = √(var(x_i) / var(∂_i log π)) (Seyboldt, Carlson and Carpenter 2026,
arXiv:2603.18845): for an independent Gaussian it is Σ_ii exactly, and it is usable
after a handful of draws, since each draw brings two informative vectors (its position
and its gradient).

The schedule follows nuts-rs 0.18 (``src/adapt_strategy.rs``,
``src/transform/adapt/diagonal.rs`` and ``src/stepsize/``), the sampler inside nutpie:
the first mass matrix is 1/|∇log π| at the start point; two running estimators (a
foreground and a background one) see every draw that left its start; the mass matrix is
recomputed from the foreground one after every draw (a coordinate whose ratio is
undefined keeps its entry); at each switch the background estimator becomes the
foreground and a fresh one starts. Switches come every 10 draws over the first 30% of
warm-up, then after windows of 80 draws growing by 1.5 each time (nuts-rs 0.17, in
nutpie 0.16.8, keeps them at 80; on the banana b = 0.03 the growing windows gave 6.7
and 8.0 bulk-ESS per 1,000 gradients in two blocks of 12 seeds, constant ones 4.4 and
5.2; on the Gaussians the two tie), and stop where the next
window would not end before the final 15% of warm-up, which only tunes the step size.
Dual averaging runs throughout, its step capped at π, on the mean acceptance statistic,
and on the symmetric one 2·min(1, e^{−ΔH})/(1 + e^{−ΔH}) once no switch is left; it
restarts once, at the first mass-matrix update, from nuts-rs's step-size search (one
momentum, doubling or halving ε from 0.1). The step size is jittered by ±10% every
iteration, in warm-up and after.

As in nuts-rs, the estimators accumulate Σ(x − x̄_old)² (Welford's update has
Σ(x − x̄_old)(x − x̄_new)) and divide by n − 1, and a transition's draw feeds them when
it left the start of the trajectory, or, for a divergent transition, when it lies more
than 4 leapfrog steps from it (``DrawGradCollector::register_draw``).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import NDArray

from core.mcmc.adaptation import DualAveraging

__all__ = ["DrawGradVariance", "FisherWarmup", "feeds_estimator", "fisher_diagonal", "gradient_diagonal"]

Array = NDArray[np.float64]

#: nuts-rs's defaults (EuclideanAdaptOptions, StepSizeSettings).
EARLY_FRACTION = 0.3
STEP_SIZE_FRACTION = 0.15
EARLY_SWITCH = 10
FIRST_WINDOW = 80
WINDOW_GROWTH = 1.5
INITIAL_STEP = 0.1
JITTER = 0.1
#: Bounds on each diagonal entry of M⁻¹ (nuts-rs clamps to the same range).
CLAMP = (1e-20, 1e20)
#: nuts-rs 0.18 caps the dual-averaging step at π (DualAverageOptions.max_step_size).
MAX_STEP = math.pi
#: The step-size search: at most this many trials; an energy error past this ends it.
SEARCH_TRIALS = 100
MAX_ENERGY_ERROR = 1000.0


def fisher_diagonal(draw_var: Array, grad_var: Array, previous: Array | None = None) -> Array:
    """M⁻¹ = √(var(draws) / var(gradients)) per coordinate, clamped.

    Where the ratio is undefined (0, infinite or nan) the coordinate keeps its
    ``previous`` entry, as nuts-rs does (``fill_invalid: None``), or 1 without one.

    Examples
    --------
    A Gaussian with variances 4 and 0.25: var(∂ log π) = 1/4 and 4, so M⁻¹ = (4, 0.25).

    >>> fisher_diagonal(np.array([4.0, 0.25]), np.array([0.25, 4.0]))
    array([4.  , 0.25])
    >>> fisher_diagonal(np.array([4.0, 0.0]), np.array([0.25, 4.0]), np.array([9.0, 9.0]))
    array([4., 9.])
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.sqrt(draw_var / grad_var)
    good = np.isfinite(ratio) & (ratio > 0)
    fill = 1.0 if previous is None else previous
    return np.where(good, np.clip(ratio, *CLAMP), fill)


def gradient_diagonal(g: Array) -> Array:
    """The first M⁻¹: 1/|∇log π| at the start point, clamped; 1 where the gradient is nan.

    Examples
    --------
    >>> gradient_diagonal(np.array([-2.0, 0.0, np.nan]))
    array([5.e-01, 1.e+20, 1.e+00])
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        inv = 1.0 / np.clip(np.abs(g), *CLAMP)
    return np.where(np.isfinite(inv), inv, 1.0)


#: A divergent transition's draw feeds the estimators only this many steps from the start.
DIVERGENT_MIN_INDEX = 4


def feeds_estimator(index: int, divergent: bool) -> bool:
    """Whether a transition's draw feeds the mass-matrix estimators (nuts-rs's rule).

    ``index`` is the draw's position in the trajectory (0 at the start point).

    Examples
    --------
    >>> feeds_estimator(1, False), feeds_estimator(0, False), feeds_estimator(-4, True), feeds_estimator(5, True)
    (True, False, False, True)
    """
    return abs(index) > DIVERGENT_MIN_INDEX if divergent else index != 0


class DrawGradVariance:
    """Running means and variances of draws and of their gradients, as nuts-rs keeps them.

    Each new value adds (x − x̄_old)², the deviation from the mean before the update, and
    the variance is that sum over n − 1 (``RunningVariance`` in nuts-rs).
    """

    def __init__(self, dim: int) -> None:
        self.n = 0
        self.mean_x = np.zeros(dim)
        self.m2_x = np.zeros(dim)
        self.mean_g = np.zeros(dim)
        self.m2_g = np.zeros(dim)

    def add(self, x: Array, g: Array) -> None:
        self.n += 1
        if self.n == 1:  # the first value is the mean, with nothing to deviate from
            self.mean_x = x.copy()
            self.mean_g = g.copy()
            return
        dx = x - self.mean_x
        self.mean_x += dx / self.n
        self.m2_x += dx * dx
        dg = g - self.mean_g
        self.mean_g += dg / self.n
        self.m2_g += dg * dg

    def inv_metric(self, previous: Array | None = None) -> Array:
        """The Fisher diagonal from the sample variances (needs n ≥ 2); see fisher_diagonal."""
        return fisher_diagonal(self.m2_x / (self.n - 1), self.m2_g / (self.n - 1), previous)


def symmetric_accept(energy_error: float) -> float:
    """2·min(1, e^{−ΔH})/(1 + e^{−ΔH}) with ΔH = H − H₀: low when |ΔH| is large either way.

    Examples
    --------
    >>> symmetric_accept(0.0), round(symmetric_accept(1.0), 4) == round(symmetric_accept(-1.0), 4)
    (1.0, True)
    """
    if energy_error != energy_error:  # nan: a failed step
        return 0.0
    z = float(np.exp(-abs(energy_error)))
    return 2.0 * z / (1.0 + z)


class FisherWarmup:
    """nutpie's warm-up for one chain; the same three calls as core.mcmc.adaptation.StanWarmup.

    ``chain`` is a core.mcmc.hmc.HamiltonianChain (momentum, leapfrog, step-size search,
    ``set_inv_metric``). ``step_size`` fixes the step (no dual averaging, no jitter);
    the mass matrix is adapted either way.
    """

    def __init__(self, chain: Any, n_warmup: int, target_accept: float, step_size: float | None) -> None:
        self.chain = chain
        self.n_warmup = n_warmup
        self.target_accept = target_accept
        self.fixed = step_size
        self.early_end = int(EARLY_FRACTION * n_warmup)
        self.final_start = n_warmup - int(STEP_SIZE_FRACTION * n_warmup)
        self.window = FIRST_WINDOW
        self.first_update = True
        self.switches: list[int] = []  # warm-up iterations where the estimators switched
        self.fg = DrawGradVariance(chain.dim)
        self.bg = DrawGradVariance(chain.dim)
        self.adapt = DualAveraging(INITIAL_STEP, target_accept=target_accept, max_step_size=MAX_STEP)
        self.eps = INITIAL_STEP if step_size is None else step_size

    def start(self, q: Array, logp: float, g: Array) -> float:
        """Seed the estimators and the mass matrix from the start point; the first step."""
        self.fg.add(q, g)
        self.bg.add(q, g)
        self.chain.set_inv_metric(gradient_diagonal(g))
        if self.fixed is None:
            return self._search(q, logp, g)
        return self.fixed

    def _search(self, q: Array, logp: float, g: Array) -> float:
        """nuts-rs's step-size search; dual averaging restarts from what it finds.

        From ε = 0.1, one momentum for every trial: double ε while one leapfrog step's
        acceptance min(1, e^{−ΔH}) stays above the target (until it is at most the target,
        or ε > 10⁵), or halve it, stepping backward in time as nuts-rs does, until the
        acceptance reaches the target (or ε < 10⁻¹⁰).
        A step with |ΔH| past 1000 or not finite ends the search at 0.1 and leaves dual
        averaging as it was. The step found is used once as it is, without jitter.
        """
        chain, target = self.chain, self.target_accept
        p = chain.momentum()
        h0 = chain.energy(logp, p)

        def accept(eps: float) -> float | None:  # a negative ε steps backward
            _, p1, _, lp1 = chain.leapfrog(q, p, g, eps)
            error = chain.energy(lp1, p1) - h0
            if not (math.isfinite(error) and error <= MAX_ENERGY_ERROR):
                return None  # nuts-rs treats it as a divergence
            return min(1.0, math.exp(-error))

        eps = INITIAL_STEP
        stat = accept(eps)
        if stat is None:
            return self._searched(INITIAL_STEP, restart=False)
        forward = stat > target
        for _ in range(SEARCH_TRIALS):
            if forward and (stat <= target or eps > 1e5):
                return self._searched(eps, restart=True)
            if not forward and (stat >= target or eps < 1e-10):
                return self._searched(eps, restart=True)
            eps = 2.0 * eps if forward else 0.5 * eps
            stat = accept(eps if forward else -eps)
            if stat is None:
                return self._searched(INITIAL_STEP, restart=False)
        return self._searched(INITIAL_STEP, restart=False)

    def _searched(self, eps: float, *, restart: bool) -> float:
        if restart:
            self.adapt = DualAveraging(eps, target_accept=self.target_accept, max_step_size=MAX_STEP)
        self.eps = eps
        return eps

    def _jittered(self) -> float:
        if self.fixed is not None:
            return self.fixed
        return self.eps * (1.0 + JITTER * (2.0 * self.chain.rng.random() - 1.0))

    def update(self, i: int, q: Array, logp: float, g: Array, moved: bool, stats: tuple[Any, ...]) -> float:
        """Learn from warm-up iteration ``i`` (its draw and transition stats); the next step."""
        accept, sym = stats[0], stats[7]
        if i < self.final_start:
            early = i < self.early_end
            if i == self.early_end:
                self.window = max(self.window, self.bg.n)
            if feeds_estimator(stats[8], stats[4]):
                self.fg.add(q, g)
                self.bg.add(q, g)
            if early:
                switch_after = nxt = EARLY_SWITCH
            else:
                switch_after = self.window
                nxt = max(self.window + 1, round(self.window * WINDOW_GROWTH))
            late = nxt + i > self.final_start
            if self.bg.n >= switch_after and not late:
                self.fg, self.bg = self.bg, DrawGradVariance(self.chain.dim)
                self.switches.append(i)
                if not early:
                    self.window = nxt
            changed = self.fg.n >= 3
            if changed:
                self.chain.set_inv_metric(self.fg.inv_metric(self.chain.inv_m))
            if self.fixed is None:
                self.eps = self.adapt.update(sym if late else accept)
                if changed and self.first_update:
                    self.first_update = False
                    return self._search(q, logp, g)
            return self._jittered()
        if self.fixed is None:
            self.eps = self.adapt.update(sym)
            if i == self.n_warmup - 1:
                self.eps = self.adapt.final_step_size
        return self._jittered()

    def final_step_size(self) -> float:
        """The step size kept after warm-up (before its per-draw jitter)."""
        if self.fixed is not None:
            return self.fixed
        return self.adapt.final_step_size if self.n_warmup > 0 else self.eps

    def sampling_step(self, eps: float) -> float:
        """One draw's step: ``eps`` jittered by ±10% (unless the step is fixed)."""
        if self.fixed is not None:
            return self.fixed
        return eps * (1.0 + JITTER * (2.0 * self.chain.rng.random() - 1.0))
