"""Warm-up adaptation: dual-averaging step size and Stan's windowed diagonal metric.

References: Hoffman and Gelman (2014), "The No-U-Turn Sampler", Algorithm 5 (dual
averaging); Stan's ``stepsize_adaptation.hpp``, ``windowed_adaptation.hpp`` and
``var_adaptation.hpp`` (the schedule and the regularised variance).

One departure from Stan, at metric updates: Stan re-searches the step size and restarts
dual averaging from scratch, so the kept step size averages only the 50 iterations of
its terminal window, transient included; it lands well below the target (acceptance
≈ 0.93 for δ = 0.8 on a correlated Gaussian, in Stan as in a transcription of it). Here
the dual-averaging iterate carries on across a metric update, which it follows within a
few iterations, and only its average x̄ restarts, so the kept step size still comes from
iterations under the final metric; acceptance then ends near δ.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["DualAveraging", "StanWarmup", "WelfordVariance", "metric_window_ends"]


class DualAveraging:
    """Nesterov dual averaging of log step size toward a target acceptance statistic.

    After iteration t with acceptance statistic α_t:
    s̄_t = (1 − 1/(t + t₀)) s̄_{t−1} + (δ − min(1, α_t))/(t + t₀),
    x_t = μ − √t s̄_t/γ, x̄_n = n^{−κ} x_t + (1 − n^{−κ}) x̄_{n−1}; the step size used
    next is exp(x_t), the one kept after warm-up exp(x̄). μ = log(10 ε₀). n counts the
    iterations since the average last restarted (``restart_average``); t counts all.
    ``max_step_size`` caps exp(x_t) (nuts-rs 0.18 caps it at π; Stan does not cap it).

    Examples
    --------
    >>> da = DualAveraging(1.0)
    >>> round(da.update(0.0), 4)  # nothing accepted: exp(x₁), x₁ = log 10 − (0.8/11)/0.05
    2.3351
    >>> round(da.final_step_size, 4)  # x̄₁ = x₁
    2.3351
    """

    def __init__(
        self,
        step_size: float,
        *,
        target_accept: float = 0.8,
        gamma: float = 0.05,
        t0: float = 10.0,
        kappa: float = 0.75,
        max_step_size: float = math.inf,
    ) -> None:
        self.target_accept = target_accept
        self.log_max = math.log(max_step_size)
        self.gamma = gamma
        self.t0 = t0
        self.kappa = kappa
        self.restart(step_size)

    def restart(self, step_size: float) -> None:
        """Forget the history and shrink toward log(10 · step_size) (Stan's set_mu + restart)."""
        self.mu = math.log(10.0 * step_size)
        self.counter = 0
        self.s_bar = 0.0
        self.restart_average()

    def restart_average(self) -> None:
        """Forget x̄ but keep the iterate: after a metric update, average only what follows."""
        self.n_averaged = 0
        self.x_bar = 0.0

    def update(self, accept_stat: float) -> float:
        """Learn from one iteration's acceptance statistic; return the next step size."""
        self.counter += 1
        self.n_averaged += 1
        stat = min(1.0, accept_stat) if not math.isnan(accept_stat) else 0.0
        eta = 1.0 / (self.counter + self.t0)
        self.s_bar = (1.0 - eta) * self.s_bar + eta * (self.target_accept - stat)
        x = min(self.mu - self.s_bar * math.sqrt(self.counter) / self.gamma, self.log_max)
        x_eta = self.n_averaged ** (-self.kappa)
        self.x_bar = (1.0 - x_eta) * self.x_bar + x_eta * x
        return math.exp(x)

    @property
    def final_step_size(self) -> float:
        """exp(x̄): the averaged step size to sample with after warm-up."""
        return math.exp(self.x_bar)


def metric_window_ends(
    n_warmup: int, *, init_buffer: int = 75, term_buffer: int = 50, base_window: int = 25
) -> tuple[int, list[int]]:
    """Stan's windowed warm-up: where metric windows start and end (0-based iterations).

    Returns ``(first, ends)``: draws from iteration ``first`` up to each end (inclusive)
    feed one window; the metric is updated at every end. Windows double from
    ``base_window`` (25, 50, 100, … for 1000 warm-up iterations: ends 99, 149, 249,
    449, 949); the last one stretches to ``n_warmup − term_buffer − 1``. Below 20
    iterations there is no metric adaptation; when the buffers do not fit they become
    15% / 75% / 10% of the warm-up, as in Stan.
    """
    if n_warmup < 20:
        return 0, []
    if init_buffer + base_window + term_buffer > n_warmup:
        init_buffer = int(0.15 * n_warmup)
        term_buffer = int(0.1 * n_warmup)
        base_window = n_warmup - (init_buffer + term_buffer)
    last = n_warmup - term_buffer - 1
    ends = []
    size = base_window
    end = init_buffer + size - 1
    while True:
        ends.append(end)
        if end >= last:
            break
        size *= 2
        nxt = end + size
        if nxt != last and nxt + 2 * size >= n_warmup - term_buffer:
            nxt = last
        end = nxt
    return init_buffer, ends


class WelfordVariance:
    """Running per-coordinate variance (Welford), regularised as Stan's diag_e metric."""

    def __init__(self, dim: int) -> None:
        self.dim = dim
        self.restart()

    def restart(self) -> None:
        self.n = 0
        self.mean = np.zeros(self.dim)
        self.m2 = np.zeros(self.dim)

    def add(self, x: NDArray[np.float64]) -> None:
        self.n += 1
        delta = x - self.mean
        self.mean += delta / self.n
        self.m2 += delta * (x - self.mean)

    def regularised_variance(self) -> NDArray[np.float64]:
        """(n/(n + 5)) · s² + 10⁻³ · 5/(n + 5): shrink toward 10⁻³ for short windows."""
        n = self.n
        var = self.m2 / (n - 1.0)
        return np.asarray((n / (n + 5.0)) * var + 1e-3 * (5.0 / (n + 5.0)), dtype=np.float64)


class StanWarmup:
    """Stan's warm-up for one chain: dual averaging and the windowed regularised variance.

    ``chain`` is a core.mcmc.hmc.HamiltonianChain. The driver calls :meth:`start` at the
    start point, :meth:`update` after every warm-up iteration (each returns the next
    step size), then samples with :meth:`sampling_step` of :meth:`final_step_size`.
    ``step_size`` fixes the step; the metric windows run either way.
    """

    def __init__(
        self,
        chain: Any,
        n_warmup: int,
        target_accept: float,
        step_size: float | None,
        windows: tuple[int, int, int] = (75, 25, 50),
    ) -> None:
        init_buffer, base_window, term_buffer = windows
        self.first, ends = metric_window_ends(
            n_warmup, init_buffer=init_buffer, term_buffer=term_buffer, base_window=base_window
        )
        self.last = ends[-1] if ends else -1
        self.window_ends = set(ends)
        self.chain = chain
        self.n_warmup = n_warmup
        self.fixed = step_size
        self.eps = 1.0 if step_size is None else step_size
        # Stan sets μ = log(10 ε) from the nominal ε = 1 *before* the initial search
        # (services/sample/hmc_nuts_diag_e_adapt.hpp).
        self.adapt = DualAveraging(self.eps, target_accept=target_accept)
        self.window = WelfordVariance(chain.dim)

    def start(self, q: NDArray[np.float64], logp: float, g: NDArray[np.float64]) -> float:
        """The first step size: Stan's search from ε = 1, unless the step is fixed."""
        if self.fixed is None:
            self.eps = self.chain.find_step_size(q, logp, g, self.eps)
        return self.eps

    def update(
        self, i: int, q: NDArray[np.float64], logp: float, g: NDArray[np.float64], moved: bool,
        stats: tuple[Any, ...],
    ) -> float:
        """Learn from warm-up iteration ``i`` (its draw and transition stats); the next step."""
        if self.fixed is None:
            self.eps = self.adapt.update(stats[0])
        if self.first <= i <= self.last:
            self.window.add(q)
            if i in self.window_ends:
                self.chain.set_inv_metric(self.window.regularised_variance())
                self.window.restart()
                self.adapt.restart_average()  # the one departure from Stan, see above
        return self.eps

    def final_step_size(self) -> float:
        """exp(x̄) after a tuned warm-up; otherwise the step in use."""
        if self.fixed is None and self.n_warmup > 0:
            return self.adapt.final_step_size
        return self.eps

    def sampling_step(self, eps: float) -> float:
        """One draw's step size: the kept one, unchanged."""
        return eps
