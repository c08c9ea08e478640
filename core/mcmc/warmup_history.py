"""What warm-up did, iteration by iteration: step sizes, acceptance, windows and metrics.

The samplers' warm-up loops fill a :class:`WarmupRecorder` from outside the adaptation
classes (reading the step size used, the acceptance statistic and the chain's inverse
metric after every iteration), so any adaptation is recorded the same way and the
draws are the same with or without it. The record is small next to the warm-up draws:
two numbers per iteration and chain, plus one diagonal per metric update.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from core.validation import check_int

__all__ = ["WarmupHistory", "WarmupRecorder", "stan_windows", "switch_windows"]

Array = NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class WarmupHistory:
    """The warm-up of one multi-chain run, for plotting and checking the adaptation.

    Attributes
    ----------
    adaptation : str
        ``"stan"`` or ``"fisher"`` (HMC, NUTS) or ``"metropolis"`` (the proposal scale
        and variances of random-walk Metropolis).
    target_accept : float
        The acceptance statistic the step size (or proposal scale) is tuned toward.
    step_size : numpy.ndarray
        Step size (Metropolis: proposal scale) used at each warm-up iteration, shape
        (n_chains, n_warmup); HMC's per-transition jitter included.
    accept_stat : numpy.ndarray
        Acceptance statistic of each warm-up iteration, (n_chains, n_warmup).
    final_step_size : numpy.ndarray
        The step size kept for sampling, (n_chains,): equal to ``Trace.step_size``.
    windows : tuple of numpy.ndarray
        Per chain, an int array (n_windows, 2) of half-open iteration ranges
        [start, stop): the draws a mass-matrix estimator had collected when its window
        closed (Stan: the metric is set from them at ``stop``; nutpie: the estimator
        becomes the foreground one there and keeps growing until the next switch).
    inv_metric : numpy.ndarray
        Diagonal inverse metric of every chain after each update, (n_chains,
        n_updates, dim); entry 0 is the one warm-up starts with.
    metric_iteration : numpy.ndarray
        The first iteration that uses each entry of ``inv_metric``, (n_updates,),
        increasing from 0 (an update at the end of iteration i takes effect at i + 1).
        Updates of all chains share these iterations (a chain that did not change
        repeats its diagonal).
    """

    adaptation: str
    target_accept: float
    step_size: Array
    accept_stat: Array
    final_step_size: Array
    windows: tuple[NDArray[np.int64], ...]
    inv_metric: Array
    metric_iteration: NDArray[np.int64]

    @property
    def n_warmup(self) -> int:
        """Warm-up iterations per chain."""
        return int(self.step_size.shape[1])

    def metric_at(self, iteration: int) -> Array:
        """The diagonal inverse metric each chain uses at ``iteration``, shape (n_chains, dim).

        Raises
        ------
        ValueError
            ``iteration`` outside [0, n_warmup] (n_warmup: the metric kept for sampling).
        """
        i = check_int(iteration, "iteration", minimum=0)
        if i > self.n_warmup:
            raise ValueError(f"`iteration` must be at most n_warmup = {self.n_warmup}; got {i}")
        k = int(np.searchsorted(self.metric_iteration, i, side="right")) - 1
        return np.asarray(self.inv_metric[:, k], dtype=np.float64)

    def thinned(self, max_updates: int) -> WarmupHistory:
        """A copy keeping at most ``max_updates`` metric updates (the first, the last and
        every window closing first, then evenly spaced ones): a bounded record to store.
        """
        m = check_int(max_updates, "max_updates", minimum=2)
        n = len(self.metric_iteration)
        if n <= m:
            return self
        closing = {int(stop) for w in self.windows for stop in w[:, 1]}
        must = sorted({0, n - 1} | {k for k, it in enumerate(self.metric_iteration) if int(it) in closing})
        if len(must) >= m:  # spacing ≥ 1, so the rounded picks are distinct
            idx = np.array(must)[np.linspace(0, len(must) - 1, m).round().astype(int)]
        else:
            rest = np.setdiff1d(np.arange(n), must)
            idx = np.union1d(must, rest[np.linspace(0, len(rest) - 1, m - len(must)).round().astype(int)])
        return WarmupHistory(
            adaptation=self.adaptation, target_accept=self.target_accept, step_size=self.step_size,
            accept_stat=self.accept_stat, final_step_size=self.final_step_size, windows=self.windows,
            inv_metric=self.inv_metric[:, idx], metric_iteration=self.metric_iteration[idx],
        )


class WarmupRecorder:
    """Fills a :class:`WarmupHistory` as warm-up runs, one chain after another or all at once.

    ``record(c, i, step, accept, inv_metric)`` after chain ``c``'s iteration ``i``: the
    step used there, its acceptance statistic and the inverse metric in force *after*
    the iteration's adaptation (a new one takes effect at ``i + 1``).
    """

    def __init__(self, adaptation: str, n_chains: int, n_warmup: int, dim: int, target_accept: float) -> None:
        self.adaptation = adaptation
        self.target_accept = float(target_accept)
        self.n_warmup = n_warmup
        self.step = np.full((n_chains, n_warmup), np.nan)
        self.accept = np.full((n_chains, n_warmup), np.nan)
        self.initial = np.ones((n_chains, dim))
        # Per chain: {iteration taking effect: diagonal}, merged over chains in finish().
        self.updates: list[dict[int, Array]] = [{} for _ in range(n_chains)]
        self.last: list[Array | None] = [None] * n_chains

    def start(self, c: int, inv_metric: Array) -> None:
        """Chain ``c``'s inverse metric before its first warm-up iteration."""
        self.initial[c] = inv_metric
        self.last[c] = inv_metric

    def record(self, c: int, i: int, step: float, accept: float, inv_metric: Array) -> None:
        self.step[c, i] = step
        self.accept[c, i] = accept
        last = self.last[c]
        if last is None or not np.array_equal(inv_metric, last):
            self.updates[c][i + 1] = np.array(inv_metric, dtype=np.float64)
            self.last[c] = inv_metric

    def finish(self, final_step_size: Array, windows: Sequence[Sequence[tuple[int, int]]]) -> WarmupHistory:
        """The history, given each chain's kept step size and its closed windows."""
        iterations = sorted({0} | {i for per_chain in self.updates for i in per_chain})
        n_chains, dim = self.initial.shape
        metric = np.empty((n_chains, len(iterations), dim))
        for c in range(n_chains):
            current = self.initial[c]
            for k, it in enumerate(iterations):
                current = self.updates[c].get(it, current)
                metric[c, k] = current
        return WarmupHistory(
            adaptation=self.adaptation,
            target_accept=self.target_accept,
            step_size=self.step,
            accept_stat=self.accept,
            final_step_size=np.asarray(final_step_size, dtype=np.float64).copy(),
            windows=tuple(np.array(w, dtype=np.int64).reshape(-1, 2) for w in windows),
            inv_metric=metric,
            metric_iteration=np.array(iterations, dtype=np.int64),
        )


def stan_windows(first: int, ends: Sequence[int]) -> list[tuple[int, int]]:
    """Half-open [start, stop) ranges of Stan's windows from metric_window_ends' output.

    Examples
    --------
    >>> stan_windows(75, [99, 149, 249])
    [(75, 100), (100, 150), (150, 250)]
    """
    out, start = [], first
    for end in ends:
        out.append((start, end + 1))
        start = end + 1
    return out


def switch_windows(switches: Sequence[int]) -> list[tuple[int, int]]:
    """Half-open ranges between nutpie's estimator switches (warm-up iterations).

    The estimator promoted at switch s_k collected the draws after s_{k−1} up to s_k (the
    first one from the start).

    Examples
    --------
    >>> switch_windows([9, 19, 99])
    [(0, 10), (10, 20), (20, 100)]
    """
    out, start = [], 0
    for s in switches:
        out.append((start, s + 1))
        start = s + 1
    return out
