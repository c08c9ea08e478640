"""Cached wrappers around :mod:`core` for the Beta-Binomial page: numbers and small frames for its charts."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

from core.bayes import beta_binomial_trace, beta_binomial_update
from core.distributions import Beta
from dashboard.common.animation import DIGITS, curve_frames
from dashboard.common.limits import CACHE_ENTRIES

__all__ = [
    "BETA_GRID_POINTS",
    "LIKELIHOOD",
    "POSTERIOR",
    "PRIOR",
    "PosteriorSummary",
    "beta_binomial_curves",
    "beta_binomial_steps",
    "beta_binomial_summary",
    "estimate_marks",
    "flip_counts",
    "next_flip",
    "posterior_frames",
]

#: Points per Beta density curve (cell midpoints of [0, 1]; three curves per chart; 201 is smooth at
#: chart width and keeps a rerun within budget).
BETA_GRID_POINTS = 201

PRIOR, LIKELIHOOD, POSTERIOR = "prior", "likelihood (normalised)", "posterior"

@dataclass(frozen=True)
class PosteriorSummary:
    """What the Beta-Binomial page shows about the posterior Beta(alpha, beta).

    ``map`` and ``mle`` are nan where core says they are undefined (a uniform or
    U-shaped posterior; no flips yet).
    """

    alpha: float
    beta: float
    mean: float
    map: float
    mle: float
    level: float
    interval_low: float
    interval_high: float


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def beta_binomial_summary(
    alpha0: float, beta0: float, heads: int, tails: int, *, level: float = 0.95
) -> PosteriorSummary:
    """Posterior point estimates and the equal-tailed credible interval of mass ``level``."""
    post = beta_binomial_update(alpha0, beta0, heads, tails)
    low, high = post.credible_interval(level)
    return PosteriorSummary(
        alpha=post.alpha,
        beta=post.beta,
        mean=post.mean,
        map=post.map,
        mle=post.mle,
        level=level,
        interval_low=low,
        interval_high=high,
    )


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def beta_binomial_curves(
    alpha0: float, beta0: float, heads: int, tails: int, *, n_points: int = BETA_GRID_POINTS
) -> pd.DataFrame:
    """Prior, posterior and normalised likelihood densities of p on one grid.

    Returns a long DataFrame with columns ``p``, ``density``, ``curve``.
    """
    # Validate through the update first, so bad counts are reported as `heads`/`tails`.
    post = beta_binomial_update(alpha0, beta0, heads, tails)
    # The likelihood p^h (1-p)^t divided by its integral over p, B(h+1, t+1), is the
    # Beta(h+1, t+1) density: the likelihood scaled to area 1, comparable with the others.
    # The likelihood comes last so it is drawn on top (with a flat prior it equals the posterior).
    curves = {
        PRIOR: Beta(post.alpha0, post.beta0),
        POSTERIOR: Beta(post.alpha, post.beta),
        LIKELIHOOD: Beta(post.heads + 1, post.tails + 1),
    }
    frames = []
    for name, dist in curves.items():
        grid = dist.grid(n_points=n_points)
        frames.append(pd.DataFrame({"p": grid.x, "density": grid.density, "curve": name}))
    return pd.concat(frames, ignore_index=True)


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def beta_binomial_steps(alpha0: float, beta0: float, flips: str) -> pd.DataFrame:
    """The posterior after each flip of ``flips`` (row 0 is the prior).

    Columns: ``step``, ``flip`` (``"prior"`` on row 0), ``alpha``, ``beta``, ``mean``,
    ``map``, ``mle``.
    """
    steps = beta_binomial_trace(alpha0, beta0, flips)
    return pd.DataFrame(
        {
            "step": [s.index for s in steps],
            "flip": [s.flip if s.flip is not None else "prior" for s in steps],
            "alpha": [s.alpha for s in steps],
            "beta": [s.beta for s in steps],
            "mean": [s.mean for s in steps],
            "map": [s.map for s in steps],
            "mle": [s.mle for s in steps],
        }
    )


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def posterior_frames(alpha0: float, beta0: float, flips: str, *, n_points: int = BETA_GRID_POINTS) -> dict:
    """Animation frames: the posterior density on one grid after 0, 1, ..., n flips.

    Frame ``i`` is the Beta(alpha0 + heads, beta0 + tails) density after the first ``i``
    flips (frame 0 the prior); the flips are the frames' tokens, one per step.
    """
    steps = beta_binomial_trace(alpha0, beta0, flips)
    # One grid for every frame, so the player moves a curve rather than redrawing an axis;
    # rounded as it will be sent, so each density is the one at the x the browser draws.
    grid = np.round(Beta(steps[0].alpha, steps[0].beta).grid(n_points=n_points).x, DIGITS)
    ys = [Beta(s.alpha, s.beta).pdf(grid) for s in steps]
    labels = [f"prior Beta({s.alpha:g}, {s.beta:g})" if s.flip is None
              else f"after flip {s.index} ({s.flip}): Beta({s.alpha:g}, {s.beta:g}), mean {s.mean:.3f}"
              for s in steps]
    return curve_frames(grid, ys, labels, tokens=[s.flip for s in steps[1:] if s.flip is not None],
                        x_title="coin bias p", y_title="posterior density")


def flip_counts(flips: str) -> tuple[int, int]:
    """Heads and tails in a flip string, read by core (so its errors name ``flips``)."""
    last = beta_binomial_trace(1.0, 1.0, flips)[-1]
    return round(last.alpha - 1.0), round(last.beta - 1.0)


def next_flip(coin: float, seed: int, observed: int) -> str:
    """The simulated coin's next flip, ``"H"`` or ``"T"``.

    A pure function of the coin's bias, the seed and how many observations there are
    already, so a shared link replays the same sequence of button presses.
    """
    if not 0.0 < coin < 1.0:
        raise ValueError(f"`coin` must be strictly between 0 and 1; got {coin}")
    rng = np.random.default_rng([int(seed), int(observed)])
    return "H" if rng.random() < coin else "T"


def estimate_marks(summary: PosteriorSummary) -> pd.DataFrame:
    """The posterior mean, MAP and MLE as points to mark on the curve (undefined ones left out).

    Columns ``estimate`` (a label with the value), ``p`` and ``density`` (the posterior's
    density there, so the mark sits on the curve).
    """
    post = Beta(summary.alpha, summary.beta)
    rows = [(name, value) for name, value in (("mean", summary.mean), ("MAP", summary.map), ("MLE", summary.mle))
            if not np.isnan(value)]
    return pd.DataFrame({
        "estimate": [f"{name} = {value:.3f}" for name, value in rows],
        "kind": [name for name, _ in rows],
        "p": [value for _, value in rows],
        "density": [float(np.exp(post.logpdf(value))) if 0.0 < value < 1.0 else 0.0 for _, value in rows],
    })
