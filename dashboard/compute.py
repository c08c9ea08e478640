"""Cached wrappers around :mod:`core` for the MCMC page.

(The other topics' wrappers live in ``dashboard/topics/<topic>/compute.py``; this MCMC
part moves to ``dashboard/topics/mcmc/`` too.) Pages call these functions and never do arithmetic themselves. Each wrapper calls
core (which validates its input and raises ``ValueError`` naming the bad argument)
and turns the result into plain numbers or a small DataFrame ready for
:mod:`dashboard.charts`. Caches are bounded (``max_entries``) so a long session of
slider dragging cannot grow memory without limit. Row counts stay small on purpose:
everything in an Altair chart is shipped to the browser.
"""

from __future__ import annotations

import dataclasses
import math
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from core import mcmc as core_mcmc
from core.mcmc.diagnostics import rank_histograms
from core.mcmc.targets import density_grid, marginal_density
from core.validation import check_choice, check_int
from dashboard.common.histogram import density_histogram as _histogram
from dashboard.common.limits import CACHE_ENTRIES
from grader.expressions import compile_function

__all__ = [
    "ESS_FLAG",
    "HDR_LEVELS",
    "MCMC_GRID_POINTS",
    "MCMC_HIST_BINS",
    "MCMC_MAX_LAG",
    "MCMC_PATH_DRAWS",
    "MCMC_PATH_MAX_DIM",
    "MCMC_SAMPLERS",
    "MCMC_SCATTER_POINTS",
    "MCMC_TABLE_COORDINATES",
    "MCMC_TARGETS",
    "MCMC_TRACE_ROWS",
    "RHAT_FLAG",
    "LeapfrogPath",
    "McmcRun",
    "McmcTargetView",
    "coordinate_names",
    "mcmc_histograms",
    "mcmc_leapfrog_path",
    "mcmc_plot_ranges",
    "mcmc_run",
    "mcmc_shown_target",
    "mcmc_target",
    "mcmc_target_view",
]

# --- MCMC page
# One cached run per (target, its parameters, sampler, knobs, chains, warm-up, draws,
# seed); the page's charts are cut from it, thinned (scatter, traces) or pre-binned
# (histograms, rank plots), so a rerun with unchanged inputs never samples again.

#: Targets the page offers: key -> display name (also its value in a shared URL).
MCMC_TARGETS: dict[str, str] = {
    "correlated_gaussian": "Correlated Gaussian",
    "gaussian": "Gaussian in d dimensions",
    "banana": "Banana",
    "mixture": "Mixture",
    "funnel": "Funnel",
    "beta_binomial": "Beta-Binomial",
    "custom": "Your own log density",
}
#: The variables of a typed log density, and its default (a ring of radius 2).
CUSTOM_VARIABLES = ("x", "y")
CUSTOM_DEFAULT = "-8*(sqrt(x**2 + y**2) - 2)**2"
#: Samplers the page offers: key -> display name.
MCMC_SAMPLERS: dict[str, str] = {
    "metropolis": "Metropolis",
    "gibbs": "Gibbs",
    "hmc": "HMC",
    "nuts": "NUTS",
}
#: Flag thresholds of Vehtari et al. (2021): R-hat below 1.01 and at least 400 effective draws.
RHAT_FLAG = 1.01
ESS_FLAG = 400.0
#: Draws drawn on the scatter plot, and rows of the trace chart (all chains and coordinates).
MCMC_SCATTER_POINTS = 1500
MCMC_TRACE_ROWS = 4000
#: Lags of the autocorrelation chart, bins of the marginal histograms, and grid points per
#: axis of the density (60² = 3600 cells).
MCMC_MAX_LAG = 40
MCMC_HIST_BINS = 40
MCMC_GRID_POINTS = 60
#: Coordinates in the diagnostics table of a many-dimensional target.
MCMC_TABLE_COORDINATES = 10
#: Leapfrog paths are kept only for targets of at most this many dimensions, and only for
#: the first MCMC_PATH_DRAWS kept iterations of each chain (a cached run stays small).
MCMC_PATH_MAX_DIM = 2
MCMC_PATH_DRAWS = 200
#: Probability mass of the shaded highest-density regions on the density chart.
HDR_LEVELS = (0.5, 0.9, 0.99)

_MCMC_SAMPLER_FUNCTIONS: dict[str, Any] = {
    "metropolis": core_mcmc.metropolis,
    "gibbs": core_mcmc.gibbs_bivariate_gaussian,
    "hmc": core_mcmc.hmc,
    "nuts": core_mcmc.nuts,
}


def mcmc_target(kind: str, params: dict[str, Any]) -> core_mcmc.Target:
    """The core target named ``kind`` with the page's parameters (core validates them)."""
    check_choice(kind, "target", tuple(MCMC_TARGETS))
    if kind == "correlated_gaussian":
        return core_mcmc.correlated_gaussian(params["rho"])
    if kind == "gaussian":
        return core_mcmc.gaussian(params["dim"])
    if kind == "banana":
        return core_mcmc.banana(params["b"])
    if kind == "mixture":
        return core_mcmc.gaussian_mixture(params["separation"], weight=params["weight"])
    if kind == "funnel":
        return core_mcmc.funnel(params["dim"], scale=params["scale"])
    if kind == "custom":
        return custom_target(params["logp"], params["x0"], params["y0"])
    return core_mcmc.beta_binomial_logit(params["alpha0"], params["beta0"], params["heads"], params["tails"])


def custom_target(text: str, x0: float, y0: float) -> core_mcmc.Target:
    """A 2-D target from a log density typed in x and y (grader's safe expressions).

    Where the expression is undefined or infinite the density is taken as zero (log p =
    −∞), so ``log(x)`` confines the chains to x > 0. The gradient is by central finite
    differences (core.mcmc.from_log_density); there is no known truth.
    """
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


def mcmc_shown_target(kind: str, params: dict[str, Any]) -> core_mcmc.Target:
    """The joint distribution of the first two coordinates (the one coordinate of a 1-D target).

    For these families it is the same family in two dimensions: the standard Gaussian's
    coordinates are independent, the banana's extra coordinates are independent N(0, 1),
    and the funnel's xᵢ are independent given v.
    """
    if kind in ("gaussian", "funnel"):
        return mcmc_target(kind, {**params, "dim": 2})
    return mcmc_target(kind, params)


def coordinate_names(kind: str, dim: int) -> list[str]:
    """Display names of the coordinates: θ for the Beta-Binomial, v, x₁, … for the funnel."""
    if kind == "beta_binomial":
        return ["θ"]
    if kind == "funnel":
        return ["v"] + [f"x{i}" for i in range(1, dim)]
    if kind == "custom":
        return list(CUSTOM_VARIABLES)
    return [f"x{i}" for i in range(1, dim + 1)]


def _sampler_call(
    sampler: str, kind: str, params: dict[str, Any], knobs: dict[str, Any],
    n_chains: int, n_warmup: int, n_draws: int, seed: int, progress: Any = None,
) -> core_mcmc.Trace:
    """Call core's sampler with the knobs that apply to it."""
    check_choice(sampler, "sampler", tuple(MCMC_SAMPLERS))
    run = _MCMC_SAMPLER_FUNCTIONS[sampler]
    sizes = {"n_chains": n_chains, "n_warmup": n_warmup, "n_draws": n_draws,
             "rng": np.random.default_rng(seed), "progress": progress}
    if sampler == "gibbs":
        if kind != "correlated_gaussian":
            raise ValueError(
                "`sampler` Gibbs needs the full conditionals of its target; here they are "
                "implemented for the correlated 2-D Gaussian only"
            )
        return run(params["rho"], **sizes)
    target = mcmc_target(kind, params)
    options: dict[str, Any] = {"target_accept": knobs["target_accept"]}
    if sampler == "metropolis":
        options["proposal_scale"] = knobs.get("proposal_scale")
    else:
        options["step_size"] = knobs.get("step_size")
        options["keep_trajectories"] = target.dim <= MCMC_PATH_MAX_DIM
    if sampler == "hmc":
        options["n_leapfrog"] = knobs["n_leapfrog"]
    return run(target, **sizes, **options)


@dataclass(frozen=True)
class McmcRun:
    """One sampler run and everything the page shows about it.

    ``trace`` holds the post-warm-up draws (chain, draw, dim), only the last warm-up draw
    of each chain, and at most MCMC_PATH_DRAWS trajectories per chain; ``seconds`` is the
    wall time of the run when it was first computed. ``diagnostics`` has one row per
    coordinate (at most MCMC_TABLE_COORDINATES): ``coordinate``, ``mean``, ``true_mean``,
    ``mcse``, ``rhat``, ``ess_bulk``, ``ess_tail``, ``ess_bulk_per_second``, ``flags``.
    ``traces``: ``chain``, ``draw``, ``coordinate``, ``value`` (thinned by ``thin``).
    ``scatter``: ``chain``, ``draw``, ``x``, ``y`` (first two coordinates, thinned; empty
    for a 1-D target). ``ranks``: ``coordinate``, ``chain``, ``bin_start``, ``bin_end``,
    ``count``, ``expected``. ``autocorrelation``: ``coordinate``, ``chain``, ``lag``,
    ``autocorrelation``.
    """

    sampler: str
    label: str
    trace: core_mcmc.Trace
    seconds: float
    names: list[str]
    acceptance: float
    divergences: int
    grad_evals: int
    ess_per_second: float
    diagnostics: pd.DataFrame
    flags: tuple[str, ...]
    traces: pd.DataFrame
    scatter: pd.DataFrame
    ranks: pd.DataFrame
    autocorrelation: pd.DataFrame
    thin: int


def _flags(rhat_value: float, bulk: float, tail: float) -> str:
    found = []
    if rhat_value >= RHAT_FLAG:
        found.append(f"R-hat ≥ {RHAT_FLAG}")
    if bulk < ESS_FLAG:
        found.append(f"bulk ESS < {ESS_FLAG:.0f}")
    if tail < ESS_FLAG:
        found.append(f"tail ESS < {ESS_FLAG:.0f}")
    return ", ".join(found)


class _RunStore:
    """Finished MCMC runs shared by every session; the least recently used goes first.

    Not st.cache_data: it replays the Streamlit calls a cached function makes, and
    refuses a progress bar created outside the function, which a run must move.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self.runs: OrderedDict[str, McmcRun] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> McmcRun | None:
        with self.lock:
            run = self.runs.get(key)
            if run is not None:
                self.runs.move_to_end(key)
            return run

    def put(self, key: str, run: McmcRun) -> None:
        with self.lock:
            self.runs[key] = run
            self.runs.move_to_end(key)
            while len(self.runs) > self.size:
                self.runs.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.runs.clear()


@st.cache_resource(show_spinner=False)
def mcmc_runs() -> _RunStore:
    """The one store of finished runs (CACHE_ENTRIES of them), shared by all sessions."""
    return _RunStore(CACHE_ENTRIES)


def mcmc_run(
    kind: str,
    params: dict[str, Any],
    sampler: str,
    knobs: dict[str, Any],
    n_chains: int,
    n_warmup: int,
    n_draws: int,
    seed: int,
    progress: Any = None,
) -> McmcRun:
    """Run ``sampler`` on the target and cut the page's tables and chart frames from it.

    ``knobs``: ``target_accept`` (all but Gibbs), ``proposal_scale`` (Metropolis; None
    tunes it in warm-up), ``step_size`` (HMC/NUTS; None adapts it), ``n_leapfrog`` (HMC).
    A run with the same inputs comes from :func:`mcmc_runs` without sampling again;
    otherwise ``progress(fraction)`` hears how far it has got.
    """
    key = repr((kind, sorted(params.items()), sampler, sorted(knobs.items()),
                n_chains, n_warmup, n_draws, seed))
    store = mcmc_runs()
    run = store.get(key)
    if run is None:
        run = _mcmc_sample(kind, params, sampler, knobs, n_chains, n_warmup, n_draws, seed, progress)
        store.put(key, run)
    return run


def _mcmc_sample(
    kind: str, params: dict[str, Any], sampler: str, knobs: dict[str, Any],
    n_chains: int, n_warmup: int, n_draws: int, seed: int, progress: Any,
) -> McmcRun:
    """One run of the sampler, cut into the page's tables and chart frames."""
    start = time.perf_counter()
    trace = _sampler_call(sampler, kind, params, knobs, n_chains, n_warmup, n_draws, seed, progress)
    seconds = time.perf_counter() - start
    # What the cache keeps: the last warm-up draw (where the first kept iteration starts)
    # and the first MCMC_PATH_DRAWS trajectories of each chain.
    trace = dataclasses.replace(
        trace,
        warmup_draws=trace.warmup_draws[:, -1:],
        trajectories=None if trace.trajectories is None
        else [paths[:MCMC_PATH_DRAWS] for paths in trace.trajectories],
    )
    truth = mcmc_target(kind, params).mean
    dim = trace.draws.shape[2]
    names = coordinate_names(kind, dim)
    shown = min(dim, MCMC_TABLE_COORDINATES)
    rows = []
    for i in range(shown):
        chains = trace.draws[:, :, i]
        r = core_mcmc.rhat(chains)
        bulk, tail = core_mcmc.ess_bulk(chains), core_mcmc.ess_tail(chains)
        rows.append({
            "coordinate": names[i], "mean": float(chains.mean()),
            "true_mean": math.nan if truth is None else float(truth[i]),
            "mcse": core_mcmc.mcse_mean(chains), "rhat": r, "ess_bulk": bulk, "ess_tail": tail,
            "ess_bulk_per_second": bulk / seconds, "flags": _flags(r, bulk, tail),
        })
    diagnostics = pd.DataFrame(rows)
    flags = tuple(f"{row['coordinate']}: {row['flags']}" for row in rows if row["flags"])

    n_plot = min(dim, 2)
    # Strides per series (chain and coordinate), so no series rounds the total past the cap.
    thin = math.ceil(n_draws / (MCMC_TRACE_ROWS // (n_chains * n_plot)))
    kept = np.arange(0, n_draws, thin)
    traces = pd.concat(
        [pd.DataFrame({"chain": c + 1, "draw": kept, "coordinate": names[i],
                       "value": trace.draws[c, kept, i]})
         for i in range(n_plot) for c in range(n_chains)],
        ignore_index=True,
    )
    scatter = pd.DataFrame(columns=["chain", "draw", "x", "y"])
    if dim >= 2:
        step = math.ceil(n_draws / (MCMC_SCATTER_POINTS // n_chains))
        idx = np.arange(0, n_draws, step)
        scatter = pd.concat(
            [pd.DataFrame({"chain": c + 1, "draw": idx, "x": trace.draws[c, idx, 0],
                           "y": trace.draws[c, idx, 1]}) for c in range(n_chains)],
            ignore_index=True,
        )
    rank_frames, acf_frames = [], []
    lags = np.arange(min(MCMC_MAX_LAG, n_draws - 1) + 1)
    for i in range(n_plot):
        chains = trace.draws[:, :, i]
        edges, counts = rank_histograms(chains)
        acf = core_mcmc.autocorrelation(chains, axis=1)
        for c in range(n_chains):
            rank_frames.append(pd.DataFrame({
                "coordinate": names[i], "chain": c + 1, "bin_start": edges[:-1],
                "bin_end": edges[1:], "count": counts[c], "expected": n_draws / counts.shape[1],
            }))
            acf_frames.append(pd.DataFrame({"coordinate": names[i], "chain": c + 1, "lag": lags,
                                            "autocorrelation": acf[c, lags]}))
    bulk_all = diagnostics["ess_bulk"].to_numpy()
    return McmcRun(
        sampler=sampler,
        label=MCMC_SAMPLERS[sampler],
        trace=trace,
        seconds=seconds,
        names=names,
        acceptance=float(trace.stats["accept_stat"].mean()),
        divergences=trace.n_divergent,
        grad_evals=trace.n_grad_evals,
        ess_per_second=float(bulk_all.min()) / seconds,
        diagnostics=diagnostics,
        flags=flags,
        traces=traces,
        scatter=scatter,
        ranks=pd.concat(rank_frames, ignore_index=True),
        autocorrelation=pd.concat(acf_frames, ignore_index=True),
        thin=thin,
    )


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


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def mcmc_target_view(
    kind: str, params: dict[str, Any], ranges: tuple[tuple[float, float], ...]
) -> McmcTargetView:
    """Density grid with highest-density regions, and exact marginals (core.mcmc.targets).

    A typed log density has no known marginals: its grid is normalised over the plotted
    region and its marginals are the grid's sums, exact up to the mass outside the region.
    """
    target = mcmc_shown_target(kind, params)
    names = coordinate_names(kind, target.dim)
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
        # A cell is inside the q-region when the cells at least as dense hold mass ≤ q
        # (cell masses ∝ density on an even grid).
        flat = grid.ravel()
        order = np.argsort(flat)[::-1]
        mass_above = np.empty_like(flat)
        mass_above[order] = np.cumsum(flat[order]) / flat.sum()
        region = np.full(flat.shape, "outside", dtype=object)
        for level in reversed(HDR_LEVELS):
            region[mass_above <= level] = f"{level:.0%}"
        xx, yy = np.meshgrid(axes[0], axes[1])
        dx, dy = axes[0][1] - axes[0][0], axes[1][1] - axes[1][0]
        density = pd.DataFrame({
            "x": xx.ravel(), "y": yy.ravel(), "x0": xx.ravel() - dx / 2, "x1": xx.ravel() + dx / 2,
            "y0": yy.ravel() - dy / 2, "y1": yy.ravel() + dy / 2, "density": flat,
            "region": region,
        })
    return McmcTargetView(density=density, marginals=marginals)


def mcmc_histograms(run: McmcRun, ranges: tuple[tuple[float, float], ...]) -> pd.DataFrame:
    """Density histograms of the first (two) coordinates over ``ranges``, all chains pooled.

    Columns ``coordinate``, ``bin_start``, ``bin_end``, ``density``.
    """
    return pd.concat(
        [_histogram(run.trace.draws[:, :, i].ravel(), lo, hi, MCMC_HIST_BINS).assign(
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

    Trajectories are kept for HMC and NUTS on targets of at most MCMC_PATH_MAX_DIM
    dimensions, for the first MCMC_PATH_DRAWS iterations. The start of draw 1 is the last
    warm-up draw (none without warm-up).
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
