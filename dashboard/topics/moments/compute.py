"""Cached wrappers around :mod:`core` for the Moments page: numbers and small frames for its charts."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from core.distributions import Gaussian
from core.moments import (
    clt_sample_means,
    correlation,
    covariance,
    expectation,
    sample_covariance,
    standard_deviation,
    total_expectation,
    variance,
)
from dashboard.common.histogram import density_histogram
from dashboard.common.limits import CACHE_ENTRIES, GAUSSIAN_GRID_POINTS

__all__ = [
    "CLT_BINS",
    "CLT_MEANS",
    "CLTView",
    "DiscreteMoments",
    "JointMoments",
    "TotalExpectationSteps",
    "clt_view",
    "discrete_moments",
    "joint_moments",
    "total_expectation_steps",
]

# --- Moments page

#: Histogram bars for the CLT chart, and sample means simulated per view.
CLT_BINS = 40
CLT_MEANS = 4000


@dataclass(frozen=True)
class DiscreteMoments:
    """E[X], Var(X) by both formulas, σ, and the pmf (columns ``x``, ``probability``)."""

    mean: float
    variance_definition: float
    variance_computational: float
    standard_deviation: float
    pmf: pd.DataFrame


@dataclass(frozen=True)
class JointMoments:
    """Means, Cov and Corr from a joint table. ``correlation`` is nan when X or Y is
    constant, with core's reason in ``correlation_note``."""

    mean_x: float
    mean_y: float
    covariance: float
    correlation: float
    correlation_note: str | None


@dataclass(frozen=True)
class TotalExpectationSteps:
    """E[E[X|Y]] worked out: one row per value of Y (columns ``y``, ``p_y``,
    ``conditional_mean``, ``weighted``), their sum and E[X] from X's marginal."""

    frame: pd.DataFrame
    mean_of_conditional_means: float
    mean: float


@dataclass(frozen=True)
class CLTView:
    """Sample means of ``n`` draws, pre-binned, and their Gaussian approximation.

    ``histogram`` has ``bin_start``, ``bin_end``, ``density``; ``curve`` has ``x``,
    ``density``. Both span mu ± 4.5 sigma.
    """

    histogram: pd.DataFrame
    curve: pd.DataFrame
    mu: float
    sigma: float
    mean_of_means: float
    sd_of_means: float


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def discrete_moments(values: tuple[float, ...], probs: tuple[float, ...]) -> DiscreteMoments:
    """Moments of X with P(X = values[i]) = probs[i]."""
    return DiscreteMoments(
        mean=expectation(values, probs),
        variance_definition=variance(values, probs, method="definition"),
        variance_computational=variance(values, probs, method="computational"),
        standard_deviation=standard_deviation(values, probs),
        pmf=pd.DataFrame({"x": values, "probability": probs}),
    )


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def joint_moments(
    x_values: tuple[float, ...], y_values: tuple[float, ...], joint: tuple[tuple[float, ...], ...]
) -> JointMoments:
    """E[X], E[Y], Cov(X, Y) and Corr(X, Y) (X on the rows of ``joint``)."""
    cov = covariance(x_values, y_values, joint)  # validates the table and the values
    table = np.asarray(joint)
    try:
        corr, note = correlation(x_values, y_values, joint), None
    except ValueError as exc:  # the inputs are valid (checked above): X or Y is constant
        corr, note = math.nan, str(exc)
    return JointMoments(
        mean_x=expectation(x_values, table.sum(axis=1)),
        mean_y=expectation(y_values, table.sum(axis=0)),
        covariance=cov,
        correlation=corr,
        correlation_note=note,
    )


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def total_expectation_steps(
    x_values: tuple[float, ...], y_values: tuple[float, ...], joint: tuple[tuple[float, ...], ...]
) -> TotalExpectationSteps:
    """The law of total expectation on ``joint``, one row per value of Y."""
    result = total_expectation(x_values, joint)
    if len(y_values) != len(result.p_y):
        raise ValueError(
            f"`y_values` must have one entry per column of `joint` ({len(result.p_y)}); "
            f"got {len(y_values)}"
        )
    frame = pd.DataFrame(
        {
            "y": y_values,
            "p_y": result.p_y,
            "conditional_mean": result.conditional_means,
            "weighted": result.p_y * result.conditional_means,
        }
    )
    return TotalExpectationSteps(
        frame=frame, mean_of_conditional_means=result.mean_of_conditional_means, mean=result.mean
    )


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def clt_view(
    family_name: str,
    params: dict[str, Any],
    n: int,
    seed: int,
    *,
    n_means: int = CLT_MEANS,
    bins: int = CLT_BINS,
) -> CLTView:
    """Simulate ``n_means`` means of ``n`` draws with ``default_rng(seed)``, binned."""
    result = clt_sample_means(
        family_name, params, n, n_means, rng=np.random.default_rng(seed)
    )
    low, high = result.mu - 4.5 * result.sigma, result.mu + 4.5 * result.sigma
    approx = Gaussian(result.mu, result.sigma).grid(n_points=GAUSSIAN_GRID_POINTS, width=4.5)
    return CLTView(
        histogram=density_histogram(result.means, low, high, bins),
        curve=pd.DataFrame({"x": approx.x, "density": approx.density}),
        mu=result.mu,
        sigma=result.sigma,
        mean_of_means=float(np.mean(result.means)),
        sd_of_means=math.sqrt(sample_covariance(result.means, result.means)),
    )



