"""Cached wrappers around :mod:`core` for the dashboard pages.

Pages call these functions and never do arithmetic themselves. Each wrapper calls
core (which validates its input and raises ``ValueError`` naming the bad argument)
and turns the result into plain numbers or a small DataFrame ready for
:mod:`dashboard.charts`. Caches are bounded (``max_entries``) so a long session of
slider dragging cannot grow memory without limit. Row counts stay small on purpose:
everything in an Altair chart is shipped to the browser.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

from core.bayes import beta_binomial_trace, beta_binomial_update
from core.distributions import Beta, Gaussian
from core.information import gaussian_js, gaussian_kl

__all__ = [
    "BETA_GRID_POINTS",
    "CACHE_ENTRIES",
    "GAUSSIAN_GRID_POINTS",
    "JS",
    "JS_BOUND_NATS",
    "KL_PQ",
    "KL_QP",
    "LIKELIHOOD",
    "POSTERIOR",
    "PRIOR",
    "SWEEP_POINTS",
    "SWEEP_WIDTH_SIGMAS",
    "Divergences",
    "PosteriorSummary",
    "Sweep",
    "beta_binomial_curves",
    "beta_binomial_steps",
    "beta_binomial_summary",
    "divergence_sweep",
    "gaussian_curves",
    "gaussian_divergences",
]

#: Bound on every cache below.
CACHE_ENTRIES = 64
#: Points per Beta density curve (cell midpoints of [0, 1]; three curves per chart).
BETA_GRID_POINTS = 400
#: Points per Gaussian density curve, over mean ± 4 standard deviations.
GAUSSIAN_GRID_POINTS = 301
#: Mean separations in the KL-vs-JS sweep; JS is a quadrature per point, so keep it modest.
SWEEP_POINTS = 41
#: The sweep runs the means apart to this many of the larger standard deviation.
SWEEP_WIDTH_SIGMAS = 6.0
#: Jensen-Shannon divergence in nats never exceeds ln 2 (the course's table).
JS_BOUND_NATS = math.log(2.0)

#: Display names of the curves and divergences (column values in the DataFrames).
PRIOR, LIKELIHOOD, POSTERIOR = "prior", "likelihood (normalised)", "posterior"
KL_PQ, KL_QP, JS = "KL(P‖Q)", "KL(Q‖P)", "JS(P, Q)"


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


@dataclass(frozen=True)
class Divergences:
    """KL both ways and JS between P = N(mu1, sigma1²) and Q = N(mu2, sigma2²), in nats."""

    kl_pq: float
    kl_qp: float
    js: float


@dataclass(frozen=True)
class Sweep:
    """Divergences as the means move apart (a long DataFrame: ``separation``,
    ``divergence``, ``nats``) and the separation ``|mu2 - mu1|`` of the current inputs."""

    frame: pd.DataFrame
    current_separation: float


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
def gaussian_divergences(mu1: float, sigma1: float, mu2: float, sigma2: float) -> Divergences:
    """KL(P‖Q), KL(Q‖P) and JS(P, Q) in nats."""
    return Divergences(
        kl_pq=float(gaussian_kl(mu1, sigma1, mu2, sigma2)),
        kl_qp=float(gaussian_kl(mu2, sigma2, mu1, sigma1)),
        js=float(gaussian_js(mu1, sigma1, mu2, sigma2)),
    )


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def gaussian_curves(
    mu1: float, sigma1: float, mu2: float, sigma2: float, *, n_points: int = GAUSSIAN_GRID_POINTS
) -> pd.DataFrame:
    """Densities of P and Q, each over its mean ± 4 standard deviations.

    Columns: ``x``, ``density``, ``distribution`` (``"P"`` or ``"Q"``).
    """
    frames = []
    for name, dist in (("P", Gaussian(mu1, sigma1)), ("Q", Gaussian(mu2, sigma2))):
        grid = dist.grid(n_points=n_points)
        frames.append(pd.DataFrame({"x": grid.x, "density": grid.density, "distribution": name}))
    return pd.concat(frames, ignore_index=True)


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def divergence_sweep(
    mu1: float, sigma1: float, mu2: float, sigma2: float, *, n_points: int = SWEEP_POINTS
) -> Sweep:
    """KL both ways and JS as Q's mean moves away from P's, widths held fixed.

    Q's mean runs from ``mu1`` towards (and past) ``mu2`` until the separation
    ``|mu2' - mu1|`` reaches the larger of ``SWEEP_WIDTH_SIGMAS`` standard deviations
    and the current separation, so the current view is always on the chart.

    The frame's ``separation`` column is ``|mu2' - mu1|`` for the moved mean mu2'.
    """
    gaussian_kl(mu1, sigma1, mu2, sigma2)  # validates the inputs, with core's messages
    direction = 1.0 if mu2 >= mu1 else -1.0
    widest = max(SWEEP_WIDTH_SIGMAS * max(sigma1, sigma2), abs(mu2 - mu1))
    separation = np.linspace(0.0, widest, n_points)
    moved = mu1 + direction * separation
    values = {
        KL_PQ: gaussian_kl(mu1, sigma1, moved, sigma2),
        KL_QP: gaussian_kl(moved, sigma2, mu1, sigma1),
        JS: gaussian_js(mu1, sigma1, moved, sigma2),
    }
    frame = pd.concat(
        [
            pd.DataFrame({"separation": separation, "divergence": name, "nats": np.asarray(v)})
            for name, v in values.items()
        ],
        ignore_index=True,
    )
    return Sweep(frame=frame, current_separation=abs(mu2 - mu1))
