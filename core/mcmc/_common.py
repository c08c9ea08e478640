"""Checks and set-up shared by the samplers: run sizes, per-chain generators, start points."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from core.mcmc.diagnostics import MIN_DRAWS
from core.mcmc.targets import Target
from core.validation import check_finite, check_int

RngLike = np.random.Generator | int | None
#: A sampler's ``progress`` argument: called with the fraction of the run done.
ProgressCallback = Callable[[float], Any]

#: Half-width of the uniform jitter around ``Target.init`` for default starts (Stan uses 2).
INIT_RADIUS = 2.0
#: A sampler's ``progress`` callback hears about every this many iterations, and the last.
PROGRESS_EVERY = 100


def check_run(n_chains: Any, n_warmup: Any, n_draws: Any) -> tuple[int, int, int]:
    """Validate the run sizes shared by every sampler."""
    return (
        check_int(n_chains, "n_chains", minimum=1),
        check_int(n_warmup, "n_warmup", minimum=0),
        check_int(n_draws, "n_draws", minimum=MIN_DRAWS),
    )


def as_generator(rng: RngLike) -> np.random.Generator:
    """Accept a Generator, an integer seed, or None (fresh entropy)."""
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None:
        return np.random.default_rng()
    if isinstance(rng, bool) or not isinstance(rng, int | np.integer):
        raise TypeError(f"`rng` must be a numpy Generator, an integer seed or None; got {rng!r}")
    return np.random.default_rng(int(rng))


def chain_generators(rng: RngLike, n_chains: int) -> list[np.random.Generator]:
    """Independent child generators, one per chain (same seed, same streams)."""
    return list(as_generator(rng).spawn(n_chains))


def check_target(target: Any) -> Target:
    if not isinstance(target, Target):
        raise TypeError(f"`target` must be a core.mcmc Target; got {type(target).__name__}")
    return target


def start_points(
    target: Target, init: ArrayLike | None, rngs: list[np.random.Generator]
) -> NDArray[np.float64]:
    """Start points (n_chains, dim): ``init`` as given, or Target.init + U(−2, 2) per chain.

    Every start point must have a finite log density and a finite gradient of the
    target's shape; otherwise a ValueError names the chain and the problem.
    """
    n_chains, d = len(rngs), target.dim
    if init is None:
        x0 = np.array([target.init + r.uniform(-INIT_RADIUS, INIT_RADIUS, d) for r in rngs])
    else:
        x0 = check_finite(init, "init").astype(np.float64)
        if x0.shape == (d,):
            x0 = np.tile(x0, (n_chains, 1))
        if x0.shape != (n_chains, d):
            raise ValueError(
                f"`init` must have shape ({d},) or ({n_chains}, {d}); got {x0.shape}"
            )
    for c in range(n_chains):
        check_point(target, x0[c], f"the start point of chain {c}")
    return x0


def check_point(target: Target, x: NDArray[np.float64], where: str) -> tuple[float, NDArray[np.float64]]:
    """Evaluate the target at one point, raising on nan/inf density or a bad gradient."""
    with np.errstate(all="ignore"):
        logp, grad = target.logp_grad(x)
    value = float(logp)
    if math.isnan(value) or value == math.inf:
        raise ValueError(
            f"the log density of `target` must be finite at {where}; got {value} at {x.tolist()}"
        )
    if value == -math.inf:
        raise ValueError(
            f"the log density of `target` is -inf (zero density) at {where}: {x.tolist()}"
        )
    g = np.asarray(grad)
    if g.shape != (target.dim,):
        raise ValueError(
            f"the gradient of `target` must have shape ({target.dim},); got {g.shape} at {where}"
        )
    if not np.all(np.isfinite(g)):
        raise ValueError(f"the gradient of `target` must be finite at {where}; got {g.tolist()}")
    return value, np.asarray(g, dtype=np.float64)


def empty_stats(n_chains: int, n_draws: int) -> dict[str, NDArray[Any]]:
    """Zeroed per-draw statistics arrays (see core.mcmc.trace.STAT_NAMES)."""
    shape = (n_chains, n_draws)
    return {
        "accept_stat": np.zeros(shape),
        "step_size": np.zeros(shape),
        "tree_depth": np.zeros(shape, dtype=np.int64),
        "n_leapfrog": np.zeros(shape, dtype=np.int64),
        "divergent": np.zeros(shape, dtype=bool),
        "energy": np.zeros(shape),
        "energy_error": np.zeros(shape),
    }


class Progress:
    """Counts a run's iterations and tells ``callback`` the fraction done, now and then.

    ``callback(fraction)`` is called every PROGRESS_EVERY iterations and at the last one
    (fraction 1.0); with ``callback=None`` counting costs one method call per iteration.
    """

    def __init__(self, callback: ProgressCallback | None, total: int) -> None:
        if callback is not None and not callable(callback):
            raise TypeError(f"`progress` must be callable or None; got {type(callback).__name__}")
        self.callback = callback
        self.total = max(total, 1)
        self.done = 0

    def step(self) -> None:
        self.done += 1
        if self.callback is not None and (self.done % PROGRESS_EVERY == 0 or self.done == self.total):
            self.callback(self.done / self.total)
