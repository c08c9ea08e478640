"""Cached wrappers around :mod:`core` for the KL vs JS page: numbers and small frames for its charts."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

from core.distributions import Gaussian
from core.information import (
    gaussian_js,
    gaussian_kl,
)
from dashboard.common.limits import CACHE_ENTRIES, GAUSSIAN_GRID_POINTS

__all__ = [
    "JS",
    "JS_BOUND_NATS",
    "KL_PQ",
    "KL_QP",
    "SWEEP_POINTS",
    "SWEEP_WIDTH_SIGMAS",
    "Divergences",
    "Sweep",
    "divergence_sweep",
    "gaussian_curves",
    "gaussian_divergences",
]

#: Mean separations in the KL-vs-JS sweep; JS is a quadrature per point, so keep it modest.
SWEEP_POINTS = 41
#: The sweep runs the means apart to this many of the larger standard deviation.
SWEEP_WIDTH_SIGMAS = 6.0
#: Jensen-Shannon divergence in nats never exceeds ln 2 (the course's table).
JS_BOUND_NATS = math.log(2.0)

KL_PQ, KL_QP, JS = "KL(P‖Q)", "KL(Q‖P)", "JS(P, Q)"

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


