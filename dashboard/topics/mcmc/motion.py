"""Frames of the ``"mcmc"`` animation kind: a run's moves, histograms and diagnostics over time.

Pure functions from a :class:`core.mcmc.Trace` recorded with ``keep_moves`` (first two
coordinates) to a compact JSON-able dict; the browser (``kinds/mcmc.js``) only draws it.

Two modes:

- ``"overview"``: all chains, one frame per iteration. Each frame shows the iteration's
  move (Metropolis's proposal, Gibbs's two coordinate moves, HMC's or NUTS's trajectory)
  and every draw so far, with the marginal histograms (counts at checkpoints) and the
  running R-hat and bulk-ESS (core.mcmc.running_diagnostics) filling as draws arrive.
- ``"detail"``: one chain, a few iterations, one frame per step of an iteration (one
  leapfrog point, one coordinate update, a proposal then its verdict), for stepping
  through a NUTS tree doubling by doubling.

Numbers are rounded (:data:`DIGITS`) and trajectories thinned until the payload fits
:data:`MAX_CHARS`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from core import mcmc as core_mcmc
from core.mcmc.moves import STOP_REASONS, GibbsMoves, LeapfrogMoves, MetropolisMoves
from core.validation import check_int

__all__ = [
    "DETAIL_ITERATIONS",
    "DIAG_CHECKPOINTS",
    "DIGITS",
    "HIST_BINS",
    "HIST_CHECKPOINTS",
    "MAX_CHARS",
    "MAX_PATH_POINTS",
    "MOTION_DRAWS",
    "density_layer",
    "detail_frames",
    "overview_frames",
]

#: Iterations the overview animates (the first ones: a move starts where the last ended).
MOTION_DRAWS = 1000
#: Iterations of one chain the detail mode steps through.
DETAIL_ITERATIONS = 10
#: Decimals kept for positions: far below a pixel on any plotted range.
DIGITS = 3
#: Marginal histogram bins, and how many times the histograms and diagnostics are updated.
HIST_BINS = 40
HIST_CHECKPOINTS = 200
DIAG_CHECKPOINTS = 50
#: Most points of one overview trajectory (more are thinned, keeping both ends).
MAX_PATH_POINTS = 48
#: The payload's size limit in JSON characters (the player refuses above 4,000,000).
MAX_CHARS = 3_000_000

Array = NDArray[np.float64]


def _flat(values: Array, digits: int = DIGITS) -> list[float]:
    """Positions (n, 2) as one rounded flat list x0, y0, x1, y1, ..."""
    return [float(v) for v in np.round(np.asarray(values, dtype=float).ravel(), digits)]


def _finite_or_none(values: Array, digits: int) -> list[float | None]:
    return [None if not math.isfinite(v) else float(round(v, digits)) for v in values]


def _ranges(ranges: Sequence[Sequence[float]]) -> list[list[float]]:
    if len(ranges) != 2 or any(len(r) != 2 or not r[0] < r[1] for r in ranges):
        raise ValueError(f"`ranges` must be two (low, high) pairs with low < high; got {ranges!r}")
    return [[float(lo), float(hi)] for lo, hi in ranges]


def density_layer(density: Array, levels: Sequence[float] = (0.5, 0.9, 0.99)) -> dict[str, Any]:
    """The target's density on an even grid, sent once: values scaled to [0, 1] and the
    thresholds of its highest-density regions.

    Parameters
    ----------
    density : numpy.ndarray
        (ny, nx) density values, rows following y (as core.mcmc.density_grid).
    levels : sequence of float
        Masses of the regions whose boundaries are shaded (each in (0, 1)).

    Returns
    -------
    dict
        ``{"nx", "ny", "values" (row-major, 3 decimals), "levels" (one threshold per
        level on the same scale: a cell is inside the q-region when its value ≥ it)}``.
    """
    grid = np.asarray(density, dtype=float)
    if grid.ndim != 2 or min(grid.shape) < 2:
        raise ValueError(f"`density` must be a 2-D grid of at least 2×2; got shape {grid.shape}")
    if not np.all(np.isfinite(grid)) or grid.min() < 0 or grid.max() <= 0:
        raise ValueError("`density` must be finite, non-negative and positive somewhere")
    if any(not 0 < q < 1 for q in levels):
        raise ValueError(f"`levels` must lie in (0, 1); got {list(levels)}")
    scaled = grid / grid.max()
    ordered = np.sort(scaled.ravel())[::-1]
    mass = np.cumsum(ordered) / ordered.sum()
    thresholds = [float(ordered[min(int(np.searchsorted(mass, q)), ordered.size - 1)]) for q in levels]
    return {"nx": grid.shape[1], "ny": grid.shape[0], "values": _flat(scaled), "levels": thresholds}


def _time_ordered(points: Array, time: NDArray[np.int64], cap: int) -> Array:
    """A trajectory's points in integration-time order, thinned to at most ``cap`` (ends kept)."""
    path = points[np.argsort(time, kind="stable")]
    if len(path) > cap:
        path = path[np.unique(np.round(np.linspace(0, len(path) - 1, cap)).astype(int))]
    return path


def _move_data(trace: core_mcmc.Trace, chain: int, iterations: range, *, detail: bool,
               cap: int) -> dict[str, Any]:
    """One chain's moves over ``iterations``, the form kinds/mcmc.js reads."""
    moves = trace.moves
    its = np.array(iterations)
    if isinstance(moves, MetropolisMoves):
        return {"prop": _flat(moves.proposal[chain, its, :2]), "acc": moves.accepted[chain, its].astype(int).tolist()}
    if isinstance(moves, GibbsMoves):
        return {"mid": _flat(moves.steps[chain, its, 0, :2])}
    assert isinstance(moves, LeapfrogMoves)
    tree = None if moves.trees is None else moves.trees[chain]
    paths, at, parents, depth, direction, turn, div_at, doublings = [], [0], [], [], [], [], [], []
    for i in iterations:
        points, parent, time = moves.iteration(chain, i)
        points = points[:, :2]
        if detail:
            paths.append(points)
            parents += parent.tolist()
            depth_of = np.zeros(len(points), dtype=int)
            dir_of = np.sign(time).astype(int)
            if tree is not None:
                rows = tree.doublings[tree.doubling_offsets[i]:tree.doubling_offsets[i + 1]]
                for _, d, first, count in rows:
                    depth_of[first:first + count] = d
                doublings.append(rows.tolist())
            depth += depth_of.tolist()
            direction += dir_of.tolist()
        else:
            paths.append(_time_ordered(points, time, cap))
        at.append(at[-1] + len(paths[-1]))
        # Where it diverged: NUTS's divergent point, HMC's trajectory end.
        if not moves.divergent[chain, i]:
            div_at.append([])
        elif tree is not None:
            div_at.append(_flat(points[int(tree.stop_span[i, 0])]))
        else:
            div_at.append(_flat(points[-1]))
        if tree is not None and STOP_REASONS[tree.stop[i]] == "u-turn":
            first, last = tree.stop_span[i]
            span = slice(int(first), int(last) + 1)
            ends = points[span][[int(np.argmin(time[span])), int(np.argmax(time[span]))]]
            turn.append(_flat(ends))
        else:
            turn.append([])
    out: dict[str, Any] = {
        "path": _flat(np.concatenate(paths)), "path_at": at,
        "acc": moves.accepted[chain, its].astype(int).tolist(),
        "div": moves.divergent[chain, its].astype(int).tolist(), "turn": turn, "div_at": div_at,
    }
    if tree is not None:
        out["stop"] = tree.stop[its].astype(int).tolist()
    if detail:
        out.update(parent=parents, depth=depth, dir=direction)
        if tree is not None:
            out["pick"] = tree.pick[its].astype(int).tolist()
            out["span"] = tree.stop_span[its].astype(int).tolist()
            out["doublings"] = doublings
    return out


#: The detail view's zoom: the window's points padded by this fraction, and at least this
#: share of the full plotted range (so a short trajectory is not blown up to noise).
ZOOM_PAD, ZOOM_MIN = 0.15, 0.25


def _zoom(points: Array, ranges: list[list[float]]) -> list[list[float]]:
    """A box around ``points`` with the plotted ranges' aspect ratio, inside those ranges
    where it can be: the detail mode's view of one chain's steps."""
    full = np.array([hi - lo for lo, hi in ranges])
    lo, hi = points.min(axis=0), points.max(axis=0)
    centre, half = (lo + hi) / 2, (hi - lo) / 2 * (1 + ZOOM_PAD) + 1e-9
    scale = min(1.0, max(ZOOM_MIN, float(np.max(2 * half / full))))  # one scale: the aspect kept
    half = full * scale / 2
    box = []
    for (r_lo, r_hi), c, h in zip(ranges, centre, half, strict=True):
        c = min(max(c, r_lo + h), r_hi - h)  # slide inside the full range
        box.append([round(c - h, DIGITS + 1), round(c + h, DIGITS + 1)])
    return box


def _check_trace(trace: Any) -> core_mcmc.Trace:
    if not isinstance(trace, core_mcmc.Trace):
        raise TypeError(f"`trace` must be a core.mcmc Trace; got {type(trace).__name__}")
    if trace.moves is None:
        raise ValueError("`trace` has no moves: run the sampler with keep_moves=True")
    if trace.draws.shape[2] < 2:
        raise ValueError("`trace` must have at least 2 coordinates to animate in the plane")
    return trace


def _header(trace: core_mcmc.Trace, mode: str, names: Sequence[str], ranges: Sequence[Sequence[float]],
            density: dict[str, Any], colours: Sequence[str]) -> dict[str, Any]:
    if len(names) < 2:
        raise ValueError(f"`names` must name the two plotted coordinates; got {list(names)}")
    return {"mode": mode, "sampler": trace.sampler, "names": [str(n) for n in names[:2]],
            "range": _ranges(ranges), "grid": density, "colours": list(colours),
            "stop_reasons": list(STOP_REASONS)}


def _sized(build: Any) -> dict[str, Any]:
    """``build(cap)`` with the largest trajectory cap whose payload fits MAX_CHARS."""
    cap = MAX_PATH_POINTS
    while True:
        frames: dict[str, Any] = build(cap)
        if len(json.dumps(frames)) <= MAX_CHARS:
            return frames
        if cap <= 2:
            raise ValueError(f"the animation's frames do not fit in {MAX_CHARS:,} characters")
        cap = max(2, cap // 2)


def overview_frames(
    trace: core_mcmc.Trace,
    *,
    names: Sequence[str],
    ranges: Sequence[Sequence[float]],
    density: dict[str, Any],
    colours: Sequence[str],
    n_iterations: int = MOTION_DRAWS,
) -> dict[str, Any]:
    """Frames of every chain, one per iteration, with histograms and running diagnostics.

    Parameters
    ----------
    trace : core.mcmc.Trace
        A run with ``moves`` (``keep_moves=True``); its first two coordinates are drawn.
    names : sequence of str
        The two coordinates' names.
    ranges : sequence of (float, float)
        The plotted x and y ranges (also the histograms' ranges).
    density : dict
        The target's density from :func:`density_layer`.
    colours : sequence of str
        One colour per chain (at least n_chains).
    n_iterations : int, optional
        Iterations animated, the first ones (at most the run's draws).

    Returns
    -------
    dict
        Frame ``f`` is iteration ``f``; ``chains[c]`` holds ``start`` (where the chain
        stood before its first kept iteration), ``pos`` (every draw, flat x, y) and the sampler's moves; ``hist`` the
        pooled marginal counts at checkpoints (``at``: the frame each applies from);
        ``diag`` R-hat and bulk-ESS per coordinate at checkpoints (None where undefined).
    """
    t = _check_trace(trace)
    assert t.moves is not None
    n = min(check_int(n_iterations, "n_iterations", minimum=4), t.moves.n_draws)
    if len(colours) < t.n_chains:
        raise ValueError(f"`colours` must have one colour per chain ({t.n_chains}); got {len(colours)}")
    bounds = _ranges(ranges)
    draws = t.draws[:, :n, :2]
    start = t.moves.start[:, :2]

    hist_at = np.unique(np.round(np.linspace(0, n - 1, min(HIST_CHECKPOINTS, n))).astype(int))
    counts = []
    for f in hist_at:
        row: list[int] = []
        for i, (lo, hi) in enumerate(bounds):
            row += np.histogram(draws[:, :f + 1, i], bins=HIST_BINS, range=(lo, hi))[0].tolist()
        counts.append(row)
    cuts = core_mcmc.even_checkpoints(n, DIAG_CHECKPOINTS)
    running = core_mcmc.running_diagnostics(draws, cuts)

    def build(cap: int) -> dict[str, Any]:
        out = _header(t, "overview", names, ranges, density, colours)
        out["n_frames"] = n
        out["chains"] = [
            {"start": _flat(start[c]), "pos": _flat(draws[c]),
             **_move_data(t, c, range(n), detail=False, cap=cap)}
            for c in range(t.n_chains)
        ]
        out["hist"] = {"bins": HIST_BINS, "at": hist_at.tolist(), "counts": counts}
        out["diag"] = {"at": (cuts - 1).tolist(), "draws": cuts.tolist(),
                       "rhat": [_finite_or_none(r, 4) for r in running.rhat],
                       "ess": [_finite_or_none(e, 1) for e in running.ess_bulk]}
        return out

    return _sized(build)


def detail_frames(
    trace: core_mcmc.Trace,
    *,
    chain: int,
    first: int,
    names: Sequence[str],
    ranges: Sequence[Sequence[float]],
    density: dict[str, Any],
    colours: Sequence[str],
    n_iterations: int = DETAIL_ITERATIONS,
) -> dict[str, Any]:
    """Frames of one chain, one per step of each of a few iterations.

    Parameters
    ----------
    trace : core.mcmc.Trace
        A run with ``moves``.
    chain : int
        The chain, from 0.
    first : int
        The first iteration stepped through, from 0.
    names, ranges, density, colours
        As :func:`overview_frames`.
    n_iterations : int, optional
        Iterations stepped through (fewer at the end of the run).

    Returns
    -------
    dict
        ``iters[f]`` and ``subs[f]``: the iteration (an index into ``pos``) and step
        frame ``f`` shows. HMC and NUTS: step k shows points 0..k of the iteration in the
        order they were computed (each drawn from its ``parent``, coloured by the
        ``depth`` of the doubling that added it, ``dir`` its direction), the last step
        the verdict (``pick``, the U-turn ``span``, divergence). Metropolis: the
        proposal, then accept or reject. Gibbs: the x move, then the y move.
    """
    t = _check_trace(trace)
    c = check_int(chain, "chain", minimum=0, maximum=t.n_chains - 1)
    assert t.moves is not None
    i0 = check_int(first, "first", minimum=0, maximum=t.moves.n_draws - 1)
    k = check_int(n_iterations, "n_iterations", minimum=1)
    its = range(i0, min(i0 + k, t.moves.n_draws))
    if len(colours) <= c:
        raise ValueError(f"`colours` has no colour for chain {c}")
    start = t.moves.start[c, :2]
    moves = t.moves
    iters: list[int] = []
    subs: list[int] = []
    for j, i in enumerate(its):
        # Each leapfrog point then the verdict; a proposal then its verdict; x then y.
        steps = 2
        if isinstance(moves, LeapfrogMoves):
            steps = int(moves.offsets[c, i + 1] - moves.offsets[c, i]) + 1
        iters += [j] * steps
        subs += list(range(steps))
    out = _header(t, "detail", names, ranges, density, [colours[c]])
    out.update(n_frames=len(iters), iters=iters, subs=subs, chain=c, first=i0)
    # Draws before the window are drawn as dots; ``pos[j]`` is iteration first + j.
    out["chains"] = [{"start": _flat(start if i0 == 0 else t.draws[c, i0 - 1, :2]),
                      "before": _flat(t.draws[c, :i0, :2]), "pos": _flat(t.draws[c, its.start:its.stop, :2]),
                      **_move_data(t, c, its, detail=True, cap=0)}]
    out["zoom"] = _zoom(np.array(out["chains"][0]["start"] + out["chains"][0].get("path", []) + out["chains"][0]
                                 .get("prop", []) + out["chains"][0]["pos"]).reshape(-1, 2), out["range"])
    if len(json.dumps(out)) > MAX_CHARS:
        raise ValueError(f"the detail frames do not fit in {MAX_CHARS:,} characters: step through fewer iterations")
    return out
