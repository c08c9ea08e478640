"""Fitting one Gaussian Q to a two-mode mixture P by KL(P‖Q) and by KL(Q‖P) (the course's Q2).

The fits minimise a vectorised quadrature of each divergence with scipy.optimize (core
evaluates a divergence, it does not fit); the numbers shown for a fit come from core's
:func:`~core.information.gaussian_mixture_kl`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st
from scipy import optimize

from core.information import gaussian_mixture_kl
from dashboard.common.limits import CACHE_ENTRIES

__all__ = ["FORWARD", "MIXTURE", "REVERSE", "Fit", "MixtureFits", "fit_curves", "mixture_fits"]

MIXTURE, FORWARD, REVERSE = "P: the two-mode mixture", "Q fitted by KL(P‖Q)", "Q fitted by KL(Q‖P)"

# Standard-normal nodes and trapezoid weights for expectations under one Gaussian.
_Z = np.linspace(-10.0, 10.0, 401)
_W = np.exp(-0.5 * _Z**2) / math.sqrt(2.0 * math.pi) * (_Z[1] - _Z[0])


@dataclass(frozen=True)
class Fit:
    """One fitted Gaussian N(mu, sigma²) and both divergences from the mixture, in nats."""

    mu: float
    sigma: float
    kl_pq: float
    kl_qp: float


@dataclass(frozen=True)
class MixtureFits:
    """The mixture's components and the two fits."""

    weights: tuple[float, float]
    mus: tuple[float, float]
    sigma: float
    forward: Fit
    reverse: Fit


def _components(gap: float, sigma: float, weight: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if not 0.0 < weight < 1.0:
        raise ValueError(f"`weight` (the left mode's weight) must be strictly between 0 and 1; got {weight}")
    if gap < 0:
        raise ValueError(f"`gap` (the distance between the modes) must be >= 0; got {gap}")
    return np.array([weight, 1.0 - weight]), np.array([-gap / 2.0, gap / 2.0]), np.array([sigma, sigma])


def _log_mixture(x: np.ndarray, w: np.ndarray, m: np.ndarray, s: np.ndarray) -> np.ndarray:
    # Two components: logaddexp is the log-sum-exp, an order faster than the general one.
    first, second = (math.log(wk) + _log_normal(x, float(mk), float(sk)) for wk, mk, sk in zip(w, m, s, strict=True))
    return np.logaddexp(first, second)


def _log_normal(x: np.ndarray, mu: float, sigma: float) -> np.ndarray:
    z = (x - mu) / sigma
    return -0.5 * z * z - math.log(sigma) - 0.5 * math.log(2.0 * math.pi)


def _objective(theta: np.ndarray, w: np.ndarray, m: np.ndarray, s: np.ndarray, reverse: bool) -> float:
    mu, sigma = float(theta[0]), math.exp(float(theta[1]))
    if reverse:  # E_Q[log q - log p], nodes moving with Q
        x = mu + sigma * _Z
        return float(np.sum(_W * (_log_normal(x, mu, sigma) - _log_mixture(x, w, m, s))))
    # E_P[log p - log q]: the mixture's nodes, one set per component
    x = m[:, None] + s[:, None] * _Z
    gap = _log_mixture(x, w, m, s) - _log_normal(x, mu, sigma)
    return float(np.sum(w[:, None] * _W * gap))


def _fit(w: np.ndarray, m: np.ndarray, s: np.ndarray, reverse: bool) -> tuple[float, float]:
    # Start on each mode and in the middle; KL(Q‖P) has a local minimum per mode.
    spread = float(np.sqrt(np.sum(w * (s**2 + m**2)) - np.sum(w * m) ** 2))
    starts = [(float(mk), math.log(float(sk))) for mk, sk in zip(m, s, strict=True)] + [(float(np.sum(w * m)), math.log(spread))]
    best = min(
        (optimize.minimize(_objective, np.array(x0), args=(w, m, s, reverse), method="BFGS",
                           options={"gtol": 1e-9}) for x0 in starts),
        key=lambda result: float(result.fun),
    )
    return float(best.x[0]), math.exp(float(best.x[1]))


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def mixture_fits(gap: float, sigma: float, weight: float) -> MixtureFits:
    """Fit N(mu, σ²) to ``weight``·N(−gap/2, sigma²) + (1 − weight)·N(gap/2, sigma²) both ways.

    Raises
    ------
    ValueError
        If ``weight`` is not in (0, 1), ``gap`` is negative or ``sigma`` is not > 0.
    """
    w, m, s = _components(gap, sigma, weight)
    gaussian_mixture_kl(w, m, s, 0.0, 1.0)  # validates sigma with core's message
    fits = []
    for reverse in (False, True):
        mu, sd = _fit(w, m, s, reverse)
        fits.append(Fit(mu, sd, gaussian_mixture_kl(w, m, s, mu, sd), gaussian_mixture_kl(w, m, s, mu, sd, reverse=True)))
    return MixtureFits((float(w[0]), float(w[1])), (float(m[0]), float(m[1])), float(sigma), fits[0], fits[1])


def fit_curves(fits: MixtureFits, *, n_points: int = 301) -> pd.DataFrame:
    """Densities of the mixture and of both fits on one grid: ``x``, ``density``, ``curve``."""
    w, m, s = np.array(fits.weights), np.array(fits.mus), np.array([fits.sigma, fits.sigma])
    reach = max(4.0 * fits.forward.sigma, abs(m[0]) + 4.0 * fits.sigma)
    x = np.linspace(-reach, reach, n_points)
    curves = {
        MIXTURE: np.exp(_log_mixture(x, w, m, s)),
        FORWARD: np.exp(_log_normal(x, fits.forward.mu, fits.forward.sigma)),
        REVERSE: np.exp(_log_normal(x, fits.reverse.mu, fits.reverse.sigma)),
    }
    return pd.concat([pd.DataFrame({"x": x, "density": y, "curve": name}) for name, y in curves.items()], ignore_index=True)
