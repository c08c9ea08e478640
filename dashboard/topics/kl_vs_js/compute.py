"""Cached wrappers around :mod:`core` for the KL vs JS page: numbers and small frames for its charts."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

from core.distributions import Gaussian
from core.information import gaussian_kl
from dashboard.common.limits import CACHE_ENTRIES, GAUSSIAN_GRID_POINTS

__all__ = [
    "JS",
    "JS_BOUND_NATS",
    "KL_PQ",
    "KL_QP",
    "SWEEP_POINTS",
    "SWEEP_WIDTH_SIGMAS",
    "Divergences",
    "divergence_sweep",
    "gaussian_curves",
    "gaussian_divergences",
    "js_by_separation",
    "kl_integrand",
    "sweep_width",
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


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def gaussian_divergences(mu1: float, sigma1: float, mu2: float, sigma2: float) -> Divergences:
    """KL(P‖Q), KL(Q‖P) and JS(P, Q) in nats (JS by :func:`js_by_separation` on a fine grid,
    within about 1e-7 nats of scipy's adaptive quadrature and a hundred times faster)."""
    return Divergences(
        kl_pq=float(gaussian_kl(mu1, sigma1, mu2, sigma2)),
        kl_qp=float(gaussian_kl(mu2, sigma2, mu1, sigma1)),
        js=float(js_by_separation(sigma1, sigma2, np.array([abs(mu2 - mu1)]), nodes=_JS_FINE_NODES)[0]),
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


#: Quadrature nodes per Gaussian for the vectorised JS sweep (standard-normal z over ±12).
_JS_NODES = 801
#: Nodes for the single JS value shown as a number (25 times smaller error than the sweep's).
_JS_FINE_NODES = 4001


def _log_normal(x: np.ndarray, mean: np.ndarray | float, sd: float) -> np.ndarray:
    z = (x - mean) / sd
    return -0.5 * z * z - math.log(sd) - 0.5 * math.log(2.0 * math.pi)


def js_by_separation(sigma1: float, sigma2: float, separations: np.ndarray, *, nodes: int = _JS_NODES) -> np.ndarray:
    """JS(N(0, σ₁²), N(d, σ₂²)) in nats for every separation ``d``, in one numpy pass.

    JS depends on the means only through their distance, so P sits at 0 and Q at ``d``.
    The integrand ½[p log(p/m) + q log(q/m)] is summed by the trapezoid rule on the
    union of two node sets, each dense where one density lives (±12 of its standard
    deviations), so a very narrow P or Q is resolved; about 1e-5 nats from scipy's quad.
    """
    d = np.asarray(separations, dtype=float)[:, None]
    z = np.linspace(-12.0, 12.0, nodes)
    x = np.sort(np.concatenate([np.broadcast_to(sigma1 * z, (d.shape[0], nodes)), d + sigma2 * z], axis=1), axis=1)
    lp, lq = _log_normal(x, 0.0, sigma1), _log_normal(x, d, sigma2)
    lm = np.logaddexp(lp, lq) - math.log(2.0)
    integrand = 0.5 * (np.exp(lp) * (lp - lm) + np.exp(lq) * (lq - lm))
    values = np.trapezoid(integrand, x, axis=1)
    return np.clip(values, 0.0, JS_BOUND_NATS)


def sweep_width(sigma1: float, sigma2: float, separation: float) -> float:
    """How far the sweep runs the means apart: ``SWEEP_WIDTH_SIGMAS`` of the wider Gaussian,
    doubled until the current separation is on the chart. Moving μ₂ within that range
    keeps the width, so the cached sweep is reused."""
    width = SWEEP_WIDTH_SIGMAS * max(sigma1, sigma2)
    while width < separation:
        width *= 2.0
    return width


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def divergence_sweep(sigma1: float, sigma2: float, width: float, *, n_points: int = SWEEP_POINTS) -> pd.DataFrame:
    """KL both ways and JS as Q's mean moves away from P's, widths held fixed.

    Depends only on the two widths and the sweep's ``width`` (see :func:`sweep_width`):
    both divergences are functions of the distance between the means, not of where the
    means are. Long frame: ``separation``, ``divergence``, ``nats``.
    """
    gaussian_kl(0.0, sigma1, 0.0, sigma2)  # validates the widths, with core's messages
    separation = np.linspace(0.0, width, n_points)
    values = {
        KL_PQ: gaussian_kl(0.0, sigma1, separation, sigma2),
        KL_QP: gaussian_kl(separation, sigma2, 0.0, sigma1),
        JS: js_by_separation(sigma1, sigma2, separation),
    }
    return pd.concat(
        [pd.DataFrame({"separation": separation, "divergence": name, "nats": np.asarray(v)})
         for name, v in values.items()],
        ignore_index=True,
    )


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def kl_integrand(mu1: float, sigma1: float, mu2: float, sigma2: float, *, n_points: int = GAUSSIAN_GRID_POINTS) -> pd.DataFrame:
    """The pointwise KL integrand p(x)·log(p(x)/q(x)) over P's mean ± 5 standard deviations.

    Its area is KL(P‖Q); it is negative where Q has more density than P. Columns ``x``,
    ``integrand``. In log space, so a far-away Q does not overflow.
    """
    gaussian_kl(mu1, sigma1, mu2, sigma2)  # validates, with core's messages
    x = np.linspace(mu1 - 5.0 * sigma1, mu1 + 5.0 * sigma1, n_points)
    lp, lq = _log_normal(x, mu1, sigma1), _log_normal(x, mu2, sigma2)
    return pd.DataFrame({"x": x, "integrand": np.exp(lp) * (lp - lq)})
