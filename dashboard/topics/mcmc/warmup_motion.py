"""Frames of the warm-up animation (kind ``"warmup"``) from a run's warm-up record.

The frames' iterations depend only on the warm-up's length (evenly spaced, plus both
sides of each of Stan's window closings), so runs compared side by side stay in step.

Pure functions, no streamlit: a run's :class:`core.mcmc.warmup_history.WarmupHistory`
and warm-up draws become a compact payload of arrays (not per-frame records), one frame
per shown warm-up iteration: the step size, the acceptance over the last
:data:`ACCEPT_WINDOW` iterations against its target, the diagonal inverse metric per
coordinate and the warm-up draws so far (first two coordinates).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from core.mcmc.adaptation import metric_window_ends
from core.mcmc.warmup_history import WarmupHistory
from core.validation import check_int
from dashboard.common.animation import DIGITS

__all__ = [
    "ACCEPT_WINDOW",
    "WARMUP_COORDINATES",
    "WARMUP_FRAMES",
    "frame_iterations",
    "trailing_mean",
    "warmup_frames",
]

#: Frames at most (a long warm-up is thinned to them), and coordinates whose metric is drawn.
WARMUP_FRAMES = 240
WARMUP_COORDINATES = 10
#: The acceptance drawn at an iteration is the mean over this many iterations up to it.
ACCEPT_WINDOW = 50


def frame_iterations(n_warmup: int, closings: Sequence[int], max_frames: int) -> NDArray[np.int64]:
    """Warm-up iterations (0-based) shown as frames: evenly spaced, each window's closing
    iteration and the one after it (so the metric is seen to change), the last one always.

    Parameters
    ----------
    n_warmup : int
        Warm-up iterations (≥ 1).
    closings : sequence of int
        Iterations at which a window closed (its ``stop``: the first iteration of the
        new metric); those past the warm-up are ignored.
    max_frames : int
        At most this many frames (≥ 2); closings come first when there are too many.

    Examples
    --------
    >>> frame_iterations(10, [4], 4).tolist()
    [0, 3, 4, 9]
    """
    n = check_int(n_warmup, "n_warmup", minimum=1)
    m = check_int(max_frames, "max_frames", minimum=2)
    if n <= m:
        return np.arange(n)
    marks = sorted({0, n - 1} | {j for s in closings for j in (int(s) - 1, int(s)) if 0 <= j < n})
    if len(marks) >= m:  # too many closings: keep the ends and spread the rest
        picks = np.linspace(0, len(marks) - 1, m).round().astype(int)
        return np.unique(np.array(marks)[picks])
    rest = np.setdiff1d(np.arange(n), marks)
    spread = rest[np.linspace(0, len(rest) - 1, m - len(marks)).round().astype(int)]
    return np.union1d(marks, spread)


def trailing_mean(values: NDArray[np.float64], window: int) -> NDArray[np.float64]:
    """Mean of the last ``window`` values up to each position along axis 1 (fewer at the start).

    Examples
    --------
    >>> trailing_mean(np.array([[1.0, 0.0, 1.0, 1.0]]), 2).tolist()
    [[1.0, 0.5, 0.5, 1.0]]
    """
    w = check_int(window, "window", minimum=1)
    x = np.asarray(values, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError(f"`values` must be 2-D (chains, iterations); got shape {x.shape}")
    c = np.concatenate([np.zeros((x.shape[0], 1)), np.cumsum(x, axis=1)], axis=1)
    hi = np.arange(1, x.shape[1] + 1)
    lo = np.maximum(0, hi - w)
    return np.asarray((c[:, hi] - c[:, lo]) / (hi - lo), dtype=np.float64)


def _json(x: NDArray[np.float64]) -> Any:
    """Nested lists with None where a number is not finite (JSON has no inf or nan)."""
    return np.where(np.isfinite(x), x, None).tolist() if x.size else x.tolist()


def _round(values: Any, digits: int = DIGITS) -> Any:
    """Nested lists of numbers rounded to ``digits`` decimals (compact JSON)."""
    return _json(np.round(np.asarray(values, dtype=np.float64), digits))


def _significant(values: Any) -> Any:
    """Positive numbers spanning decades (step sizes, variances): 4 significant digits."""
    x = np.asarray(values, dtype=np.float64)
    return _json(np.vectorize(lambda v: float(f"{v:.4g}"), otypes=[float])(x)) if x.size else x.tolist()


def warmup_frames(
    history: WarmupHistory,
    warmup_draws: NDArray[np.float64] | None,
    names: Sequence[str],
    *,
    true_var: NDArray[np.float64] | None = None,
    max_frames: int = WARMUP_FRAMES,
    max_coordinates: int = WARMUP_COORDINATES,
) -> dict[str, Any]:
    """The payload of the ``"warmup"`` animation kind.

    Parameters
    ----------
    history : WarmupHistory
        The run's warm-up record (at least one warm-up iteration).
    warmup_draws : numpy.ndarray or None
        Warm-up draws (n_chains, n_warmup, dim) for the 2-D panel; None (or a 1-D
        target) leaves the panel out.
    names : sequence of str
        Coordinate names (at least the drawn ones).
    true_var : numpy.ndarray, optional
        The target's marginal variances, drawn beside the metric (what Stan's estimate
        aims at).
    max_frames, max_coordinates : int, optional
        Frames and metric coordinates at most.

    Returns
    -------
    dict
        ``iteration`` (frames,), ``n_warmup``; ``step_size`` and ``accept``
        (chains × frames); ``target_accept``; ``accept_window``; ``windows`` ([start, stop) of chain 1's
        windows); ``metric`` (frames × chains × coordinates, the inverse metric in use
        at each frame's iteration); ``coords``; ``true_var`` (or None); ``x``, ``y``
        (chains × frames, or empty); ``labels``; ``adaptation``.

    Raises
    ------
    ValueError
        No warm-up, or draws whose shape does not match the record.
    """
    n = history.n_warmup
    if n == 0:
        raise ValueError("`history` has no warm-up iterations to animate")
    n_chains, _, dim = history.inv_metric.shape
    if len(names) < min(dim, max_coordinates):
        raise ValueError(f"`names` must name the first {min(dim, max_coordinates)} coordinates; got {len(names)}")
    # Chain 1's windows are shaded and counted (Stan's are every chain's; nutpie's differ a little).
    first = [(int(a), int(b)) for a, b in history.windows[0]] if history.windows else []
    # Frames at Stan's closings for this warm-up length whatever the adaptation, so two runs
    # of one length played side by side show the same iteration at the same frame.
    its = frame_iterations(n, [end + 1 for end in metric_window_ends(n)[1]], max_frames)
    k = min(dim, check_int(max_coordinates, "max_coordinates", minimum=1))
    # The metric used at iteration i: the last update taking effect at or before i.
    upd = np.searchsorted(history.metric_iteration, its, side="right") - 1
    metric = np.transpose(history.inv_metric[:, upd, :k], (1, 0, 2))
    accept = trailing_mean(np.nan_to_num(history.accept_stat, nan=0.0), ACCEPT_WINDOW)[:, its]
    x: list[Any] = []
    y: list[Any] = []
    if warmup_draws is not None and dim >= 2:
        if warmup_draws.shape != (n_chains, n, dim):
            raise ValueError(f"`warmup_draws` must be shaped {(n_chains, n, dim)}; got {warmup_draws.shape}")
        x, y = _round(warmup_draws[:, its, 0]), _round(warmup_draws[:, its, 1])
    labels = []
    for j, it in enumerate(its):
        step = "proposal scale" if history.adaptation == "metropolis" else "step size"
        text = (f"Warm-up iteration {it + 1} of {n}: {step} {np.median(history.step_size[:, it]):.3g} "
                f"(median over chains), acceptance over the last {min(ACCEPT_WINDOW, it + 1)} "
                f"{float(accept[:, j].mean()):.2f} (target {history.target_accept:g})")
        if first:
            text += f"; {sum(1 for _, b in first if b <= it)} of {len(first)} windows closed"
        labels.append(text + ".")
    return {
        "adaptation": history.adaptation,
        "iteration": [int(i) for i in its],
        "n_warmup": n,
        "step_size": _significant(history.step_size[:, its]),
        "accept": _round(accept, 3),
        "target_accept": float(history.target_accept),
        "accept_window": ACCEPT_WINDOW,
        "windows": [list(w) for w in first],
        "metric": _significant(metric),
        "coords": [str(s) for s in names[:k]],
        "true_var": None if true_var is None else _significant(np.asarray(true_var)[:k]),
        "x": x,
        "y": y,
        "labels": labels,
    }
