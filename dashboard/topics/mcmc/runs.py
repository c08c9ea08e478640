"""MCMC runs of the page: one sampler run cut into tables and chart frames, and their store.

A run is keyed by everything it depends on (target and its parameters, sampler, tuning
and options, sizes, seed), so a repeated run comes from the store without sampling and a
new seed samples afresh. What is kept is small: the kept draws, the last warm-up draw,
leapfrog paths of the first MCMC_PATH_DRAWS iterations, the warm-up record with at most
MCMC_WARMUP_UPDATES metric updates, and the warm-up animation's frames (thinned).
"""

from __future__ import annotations

import dataclasses
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from core import mcmc as core_mcmc
from core.mcmc.diagnostics import rank_histograms
from core.mcmc.moves import LeapfrogMoves, Moves
from core.mcmc.registry import SAMPLERS, run_sampler
from dashboard.common.limits import CACHE_ENTRIES
from dashboard.topics.mcmc.warmup_motion import warmup_frames

__all__ = [
    "ESS_FLAG",
    "MCMC_MAX_LAG",
    "MCMC_MOVE_DRAWS",
    "MCMC_MOVE_POINTS",
    "MCMC_PATH_DRAWS",
    "MCMC_PATH_MAX_DIM",
    "MCMC_SCATTER_POINTS",
    "MCMC_TABLE_COORDINATES",
    "MCMC_TRACE_ROWS",
    "MCMC_WARMUP_UPDATES",
    "RHAT_FLAG",
    "McmcRun",
    "RunSettings",
    "mcmc_run",
    "mcmc_runs",
]

#: Flag thresholds of Vehtari et al. (2021): R-hat below 1.01 and at least 400 effective draws.
RHAT_FLAG = 1.01
ESS_FLAG = 400.0
#: Draws drawn on the scatter plot, and rows of the trace chart (all chains and coordinates).
MCMC_SCATTER_POINTS = 1500
MCMC_TRACE_ROWS = 4000
#: Lags of the autocorrelation chart.
MCMC_MAX_LAG = 40
#: Coordinates in the diagnostics table of a many-dimensional target.
MCMC_TABLE_COORDINATES = 10
#: Leapfrog paths are kept only for targets of at most this many dimensions, and only for
#: the first MCMC_PATH_DRAWS kept iterations of each chain (a stored run stays small).
MCMC_PATH_MAX_DIM = 2
MCMC_PATH_DRAWS = 200
#: Metric updates kept of a run's warm-up record (nutpie's adaptation updates every iteration).
MCMC_WARMUP_UPDATES = 240
#: The animation's record (Trace.moves) is kept for the first MCMC_MOVE_DRAWS iterations
#: of each chain, first two coordinates, and at most MCMC_MOVE_POINTS leapfrog points per
#: chain (long NUTS trees keep fewer iterations), so a stored run stays small.
MCMC_MOVE_DRAWS = 1000
MCMC_MOVE_POINTS = 25_000


@dataclass(frozen=True)
class RunSettings:
    """What one sampler run depends on (besides its target): hashable, so it keys the store."""

    sampler: str
    tune: bool
    options: tuple[tuple[str, Any], ...]
    n_chains: int
    n_warmup: int
    n_draws: int
    seed: int


@dataclass(frozen=True)
class McmcRun:
    """One sampler run and everything the page shows about it.

    ``key`` is its key in the store (everything the run depends on, as text).
    ``trace`` holds the post-warm-up draws (chain, draw, dim), only the last warm-up draw
    of each chain, at most MCMC_PATH_DRAWS trajectories per chain, and the animation's
    moves of the first iterations (MCMC_MOVE_DRAWS, MCMC_MOVE_POINTS); ``seconds`` is the
    wall time of the run when it was first computed; ``ess_per_kgrad`` is the smallest
    bulk ESS in the table per 1,000 gradient evaluations after warm-up (nan for samplers
    without gradients). The label names the warm-up's adaptation for HMC and NUTS.
    ``diagnostics`` has one row per
    coordinate (at most MCMC_TABLE_COORDINATES): ``coordinate``, ``mean``, ``true_mean``,
    ``mcse``, ``rhat``, ``ess_bulk``, ``ess_tail``, ``ess_bulk_per_second``, ``flags``.
    ``traces``: ``chain``, ``draw``, ``coordinate``, ``value`` (thinned by ``thin``).
    ``scatter``: ``chain``, ``draw``, ``x``, ``y`` (first two coordinates, thinned; empty
    for a 1-D target). ``ranks``: ``coordinate``, ``chain``, ``bin_start``, ``bin_end``,
    ``count``, ``expected``. ``autocorrelation``: ``coordinate``, ``chain``, ``lag``,
    ``autocorrelation``. ``warmup``: the frames of the warm-up animation
    (dashboard.topics.mcmc.warmup_motion), None without a warm-up record or warm-up.
    """

    key: str
    sampler: str
    label: str
    trace: core_mcmc.Trace
    seconds: float
    names: list[str]
    acceptance: float
    divergences: int
    grad_evals: int
    ess_per_second: float
    ess_per_kgrad: float
    diagnostics: pd.DataFrame
    flags: tuple[str, ...]
    traces: pd.DataFrame
    scatter: pd.DataFrame
    ranks: pd.DataFrame
    autocorrelation: pd.DataFrame
    thin: int
    warmup: dict[str, Any] | None = None


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
    settings: RunSettings,
    *,
    build: Callable[[str, dict[str, Any]], core_mcmc.Target],
    names: Callable[[int], tuple[str, ...]],
    progress: Any = None,
) -> McmcRun:
    """Run a sampler on the target and cut the page's tables and chart frames from it.

    ``build(kind, params)`` makes the target and ``names(dim)`` its coordinate names. A
    run with the same inputs comes from :func:`mcmc_runs` without sampling again;
    otherwise ``progress(fraction)`` hears how far it has got. The sampler refuses a run
    over core's cost limit (core.mcmc.registry.MAX_RUN_GRADIENTS) before it starts.
    """
    key = repr((kind, sorted(params.items()), settings))
    store = mcmc_runs()
    run = store.get(key)
    if run is None:
        run = _sample(key, kind, settings, build(kind, params), names, progress)
        store.put(key, run)
    return run


def _kept_moves(moves: Moves | None) -> Moves | None:
    """The part of a run's moves the store keeps (see MCMC_MOVE_DRAWS)."""
    if moves is None:
        return None
    n = min(MCMC_MOVE_DRAWS, moves.n_draws)
    if isinstance(moves, LeapfrogMoves):  # the iterations whose points fit in every chain
        n = min(n, *(int(np.searchsorted(ends, MCMC_MOVE_POINTS, side="right")) - 1 for ends in moves.offsets))
    return moves.head(max(n, 1), 2)


def _sample(
    key: str, kind: str, settings: RunSettings, target: core_mcmc.Target,
    names_of: Callable[[int], tuple[str, ...]], progress: Any,
) -> McmcRun:
    """One run of the sampler, cut into the page's tables and chart frames."""
    n_chains, n_draws = settings.n_chains, settings.n_draws
    start = time.perf_counter()
    trace = run_sampler(
        settings.sampler, target, target_name=kind, tune=settings.tune,
        options=dict(settings.options), n_chains=n_chains, n_warmup=settings.n_warmup,
        n_draws=n_draws, rng=np.random.default_rng(settings.seed), progress=progress,
        keep_trajectories=target.dim <= MCMC_PATH_MAX_DIM, keep_moves=target.dim >= 2,
    )
    seconds = time.perf_counter() - start
    dim = trace.draws.shape[2]
    names = list(names_of(dim))
    history = trace.warmup_history
    warmup = None
    if history is not None and history.n_warmup > 0:  # frames from the full warm-up, thinned
        warmup = warmup_frames(history, trace.warmup_draws, names, true_var=target.var)
        history = history.thinned(MCMC_WARMUP_UPDATES)
    # What the store keeps: the last warm-up draw (where the first kept iteration starts),
    # the first MCMC_PATH_DRAWS trajectories of each chain and the thinned warm-up record.
    trace = dataclasses.replace(
        trace,
        warmup_draws=trace.warmup_draws[:, -1:],
        trajectories=None if trace.trajectories is None
        else [paths[:MCMC_PATH_DRAWS] for paths in trace.trajectories],
        warmup_history=history,
        moves=_kept_moves(trace.moves),
    )
    truth = target.mean
    rows = []
    for i in range(min(dim, MCMC_TABLE_COORDINATES)):
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
    options = dict(settings.options)
    label = SAMPLERS[settings.sampler].label
    if "adaptation" in options:  # the side-by-side view may compare two warm-ups of one sampler
        label += f" ({options['adaptation']} adaptation)"
    sampling_grads = trace.n_grad_evals_sampling
    return McmcRun(
        key=key,
        sampler=settings.sampler,
        label=label,
        trace=trace,
        seconds=seconds,
        names=names,
        acceptance=float(trace.stats["accept_stat"].mean()),
        divergences=trace.n_divergent,
        grad_evals=trace.n_grad_evals,
        ess_per_second=float(diagnostics["ess_bulk"].min()) / seconds,
        ess_per_kgrad=(1000 * float(diagnostics["ess_bulk"].min()) / sampling_grads
                       if sampling_grads else math.nan),
        diagnostics=diagnostics,
        flags=flags,
        traces=traces,
        scatter=scatter,
        ranks=pd.concat(rank_frames, ignore_index=True),
        autocorrelation=pd.concat(acf_frames, ignore_index=True),
        thin=thin,
        warmup=warmup,
    )
