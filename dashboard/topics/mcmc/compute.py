"""Targets of the MCMC page and what is drawn from them: plot ranges, density, marginals, paths.

The built-in targets come from :data:`core.mcmc.registry.TARGETS`; the page adds one of
its own, a log density typed in x and y (:data:`CUSTOM`), compiled by grader's safe
expressions (core never imports grader). Everything cut from a run lives in
:mod:`dashboard.topics.mcmc.runs`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from core import mcmc as core_mcmc
from core.mcmc.registry import TARGETS, ParamSpec, TargetSpec
from core.mcmc.targets import density_grid, marginal_density
from core.validation import check_choice, check_int
from dashboard.common.histogram import density_histogram
from dashboard.common.limits import CACHE_ENTRIES
from dashboard.topics.mcmc import runs
from dashboard.topics.mcmc.params import CUSTOM_DEFAULT
from dashboard.topics.mcmc.runs import McmcRun, RunSettings
from grader.expressions import compile_function

__all__ = [
    "ALL_TARGETS",
    "CUSTOM",
    "CUSTOM_DEFAULT",
    "HDR_LEVELS",
    "MCMC_GRID_POINTS",
    "MCMC_HIST_BINS",
    "LeapfrogPath",
    "McmcTargetView",
    "custom_target",
    "mcmc_histograms",
    "mcmc_leapfrog_path",
    "mcmc_plot_ranges",
    "mcmc_run",
    "mcmc_shown_target",
    "mcmc_target",
    "mcmc_target_view",
]

#: The variables of a typed log density, and its default (a ring of radius 2).
CUSTOM_VARIABLES = ("x", "y")

#: Bins of the marginal histograms, and grid points per axis of the density (60² cells).
MCMC_HIST_BINS = 40
MCMC_GRID_POINTS = 60
#: Probability mass of the shaded highest-density regions on the density chart.
HDR_LEVELS = (0.5, 0.9, 0.99)


def custom_target(text: str, x0: float, y0: float) -> core_mcmc.Target:
    """A 2-D target from a log density typed in x and y (grader's safe expressions).

    Where the expression is undefined or infinite the density is taken as zero (log p =
    −∞), so ``log(x)`` confines the chains to x > 0. The gradient is by central finite
    differences (core.mcmc.from_log_density); there is no known truth.
    """
    if not isinstance(text, str):
        raise TypeError(f"`logp` must be text; got {type(text).__name__}")
    log_p = compile_function(text, CUSTOM_VARIABLES)

    def log_density(point: np.ndarray) -> float:
        value = log_p(*point.tolist())
        return value if math.isfinite(value) else -math.inf

    start = (float(x0), float(y0))
    if not math.isfinite(log_density(np.array(start))):
        raise ValueError(
            f"`logp` must be finite at the start point (x, y) = {start}; got {log_p(*start)}: "
            "move the start inside the region where the density is positive"
        )
    return core_mcmc.from_log_density(log_density, init=start, name=f"log p(x, y) = {text.strip()}")


def _custom_factory(x0: float, y0: float, logp: str = CUSTOM_DEFAULT) -> core_mcmc.Target:
    return custom_target(logp, x0, y0)


#: The page's own target: its numeric parameters are the start point; the text ``logp``
#: is passed beside them (see :func:`mcmc_target`).
CUSTOM = TargetSpec(
    "custom", "Your own log density", _custom_factory,
    (ParamSpec("x0", "Start near x", "float", 0.0, -50.0, 50.0, 0.5),
     ParamSpec("y0", "Start near y", "float", 0.0, -50.0, 50.0, 0.5)),
    "Chains start within ±2 of this point, where the density must be positive. HMC and "
    "NUTS get the slope by finite differences (four extra evaluations per gradient), and "
    "count a trajectory that runs into a hard edge, like x = 0 for log(x), as divergent. "
    "The default is a ring of radius 2: try a random walk on it.",
    names=lambda dim: CUSTOM_VARIABLES,
)
#: Every target the page offers, in menu order.
ALL_TARGETS: dict[str, TargetSpec] = {**TARGETS, "custom": CUSTOM}


def _split(kind: str, params: dict[str, Any]) -> tuple[TargetSpec, dict[str, Any], dict[str, Any]]:
    """The spec, its numeric parameters, and the typed text (custom only)."""
    spec = ALL_TARGETS[check_choice(kind, "target", tuple(ALL_TARGETS))]
    numeric = {k: v for k, v in params.items() if k != "logp"}
    text = {"logp": params.get("logp", CUSTOM_DEFAULT)} if kind == "custom" else {}
    return spec, numeric, text


def mcmc_target(kind: str, params: dict[str, Any]) -> core_mcmc.Target:
    """The target named ``kind`` with the page's parameters (bounds checked by the registry)."""
    spec, numeric, text = _split(kind, params)
    return spec.factory(**spec.check(numeric), **text)


def mcmc_run(kind: str, params: dict[str, Any], settings: RunSettings, progress: Any = None) -> McmcRun:
    """One run on the target ``kind`` (from the shared store when it was made before)."""
    check_choice(kind, "target", tuple(ALL_TARGETS))
    return runs.mcmc_run(kind, params, settings, build=mcmc_target, names=ALL_TARGETS[kind].names,
                         progress=progress)


def mcmc_shown_target(kind: str, params: dict[str, Any]) -> core_mcmc.Target:
    """The joint distribution of the first two coordinates (the one coordinate of a 1-D target)."""
    spec, numeric, text = _split(kind, params)
    if text:
        return spec.factory(**spec.check(numeric), **text)
    return spec.shown(numeric)


def mcmc_plot_ranges(
    kind: str, params: dict[str, Any], runs: tuple[McmcRun, ...]
) -> tuple[tuple[float, float], ...]:
    """Axis ranges of the first (two) coordinates shared by every run's charts.

    The union of the truth's mean ± 3 sd and each run's central 99% of draws, padded by
    5%: the whole target shows even when a chain is stuck in one corner of it.
    """
    target = mcmc_shown_target(kind, params)
    ranges = []
    for i in range(min(target.dim, 2)):
        lows, highs = [], []
        if target.mean is not None and target.var is not None:
            sd = math.sqrt(float(target.var[i]))
            lows.append(float(target.mean[i]) - 3 * sd)
            highs.append(float(target.mean[i]) + 3 * sd)
        for run in runs:
            lo, hi = np.quantile(run.trace.draws[:, :, i], [0.005, 0.995])
            lows.append(float(lo))
            highs.append(float(hi))
        lo, hi = min(lows), max(highs)
        pad = 0.05 * (hi - lo)
        ranges.append((lo - pad, hi + pad))
    return tuple(ranges)


def _normalised_grid(target: core_mcmc.Target, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """exp(log p) on the grid x × y, scaled to integrate to 1 over it (shape (len(y), len(x))).

    For an unnormalised log density: the maximum is subtracted before exponentiating, so
    a log p of 1000 does not overflow.
    """
    points = np.stack(np.meshgrid(x, y), axis=-1)
    log_p = target.log_density(points)
    finite = np.isfinite(log_p)
    if not finite.any():
        raise ValueError("`logp` is -inf or undefined everywhere on the plotted region")
    p = np.where(finite, np.exp(np.where(finite, log_p - log_p[finite].max(), 0.0)), 0.0)
    return p / (p.sum() * (x[1] - x[0]) * (y[1] - y[0]))


@dataclass(frozen=True)
class McmcTargetView:
    """The true density over the plot ranges.

    ``density``: ``x``, ``y``, ``x0``, ``x1``, ``y0``, ``y1`` (the cell), ``density`` and
    ``region`` (the smallest highest-density region of HDR_LEVELS holding the cell, or
    "outside"); empty for a 1-D target. ``marginals``: ``coordinate``, ``x``, ``density``.
    """

    density: pd.DataFrame
    marginals: pd.DataFrame


def _regions(grid: np.ndarray) -> np.ndarray:
    """Per cell, the smallest HDR level holding it: a cell is inside the q-region when the
    cells at least as dense hold mass ≤ q (cell masses ∝ density on an even grid)."""
    flat = grid.ravel()
    order = np.argsort(flat)[::-1]
    mass_above = np.empty_like(flat)
    mass_above[order] = np.cumsum(flat[order]) / flat.sum()
    region = np.full(flat.shape, "outside", dtype=object)
    for level in reversed(HDR_LEVELS):
        region[mass_above <= level] = f"{level:.0%}"
    return region


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def mcmc_target_view(
    kind: str, params: dict[str, Any], ranges: tuple[tuple[float, float], ...]
) -> McmcTargetView:
    """Density grid with highest-density regions, and exact marginals (core.mcmc.targets).

    A typed log density has no known marginals: its grid is normalised over the plotted
    region and its marginals are the grid's sums, exact up to the mass outside the region.
    """
    target = mcmc_shown_target(kind, params)
    names = ALL_TARGETS[kind].names(target.dim)
    axes = [np.linspace(lo, hi, MCMC_GRID_POINTS) for lo, hi in ranges]
    density = pd.DataFrame(columns=["x", "y", "x0", "x1", "y0", "y1", "density", "region"])
    if target.mean is None:  # a typed density: unnormalised, no known marginals
        grid = _normalised_grid(target, axes[0], axes[1])  # rows follow y, columns x
        exact = [grid.sum(axis=0) * (axes[1][1] - axes[1][0]), grid.sum(axis=1) * (axes[0][1] - axes[0][0])]
    else:
        grid = density_grid(target, axes[0], axes[1]) if target.dim == 2 else None
        exact = [marginal_density(target, i, axes[i]) for i in range(target.dim)]
    marginals = pd.concat(
        [pd.DataFrame({"coordinate": names[i], "x": axes[i], "density": exact[i]})
         for i in range(target.dim)],
        ignore_index=True,
    )
    if grid is not None:
        xx, yy = np.meshgrid(axes[0], axes[1])
        dx, dy = axes[0][1] - axes[0][0], axes[1][1] - axes[1][0]
        density = pd.DataFrame({
            "x": xx.ravel(), "y": yy.ravel(), "x0": xx.ravel() - dx / 2, "x1": xx.ravel() + dx / 2,
            "y0": yy.ravel() - dy / 2, "y1": yy.ravel() + dy / 2, "density": grid.ravel(),
            "region": _regions(grid),
        })
    return McmcTargetView(density=density, marginals=marginals)


def mcmc_histograms(run: McmcRun, ranges: tuple[tuple[float, float], ...]) -> pd.DataFrame:
    """Density histograms of the first (two) coordinates over ``ranges``, all chains pooled.

    Columns ``coordinate``, ``bin_start``, ``bin_end``, ``density``.
    """
    return pd.concat(
        [density_histogram(run.trace.draws[:, :, i].ravel(), lo, hi, MCMC_HIST_BINS).assign(
            coordinate=run.names[i]) for i, (lo, hi) in enumerate(ranges)],
        ignore_index=True,
    )


@dataclass(frozen=True)
class LeapfrogPath:
    """The leapfrog positions of one HMC/NUTS transition (first two coordinates).

    ``path``: ``step``, ``x``, ``y`` in integration-time order (NUTS grows its trajectory
    both ways, so the start point can lie inside it). ``points``: ``point`` ("start" or
    "draw"), ``x``, ``y``: where the transition began and the draw it returned.
    """

    path: pd.DataFrame
    points: pd.DataFrame
    n_leapfrog: int


def mcmc_leapfrog_path(run: McmcRun, chain: int, iteration: int) -> LeapfrogPath | None:
    """The trajectory of draw ``iteration`` of ``chain`` (both from 1), or None if not kept.

    Trajectories are kept for HMC and NUTS on 2-D targets, for the first MCMC_PATH_DRAWS
    iterations. The start of draw 1 is the last warm-up draw (none without warm-up).
    """
    trace = run.trace
    if trace.trajectories is None or trace.draws.shape[2] < 2:
        return None
    c = check_int(chain, "chain", minimum=1, maximum=trace.n_chains) - 1
    i = check_int(iteration, "iteration", minimum=1, maximum=len(trace.trajectories[c])) - 1
    path = trace.trajectories[c][i]
    labels, starts = ["draw"], [trace.draws[c, i, :2]]
    if i > 0:
        labels, starts = ["start", "draw"], [trace.draws[c, i - 1, :2], trace.draws[c, i, :2]]
    elif trace.warmup_draws.shape[1] > 0:
        labels, starts = ["start", "draw"], [trace.warmup_draws[c, -1, :2], trace.draws[c, i, :2]]
    points = np.array(starts)
    return LeapfrogPath(
        path=pd.DataFrame({"step": np.arange(len(path)), "x": path[:, 0], "y": path[:, 1]}),
        points=pd.DataFrame({"point": labels, "x": points[:, 0], "y": points[:, 1]}),
        n_leapfrog=int(trace.stats["n_leapfrog"][c, i]),
    )
