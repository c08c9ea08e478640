"""Cached wrappers around :mod:`core` for the Distributions page: numbers and small frames for its charts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from core.distributions import Beta, Dirichlet, barycentric_to_cartesian
from core.distributions import family as make_family
from dashboard.common.histogram import density_histogram
from dashboard.common.limits import CACHE_ENTRIES

__all__ = [
    "FAMILY_BINS",
    "FAMILY_SAMPLES",
    "SIMPLEX_RESOLUTION",
    "SIMPLEX_SAMPLES",
    "FamilySummary",
    "dirichlet_samples",
    "dirichlet_simplex",
    "family_density",
    "family_samples",
    "family_summary",
]

# --- Distributions page

#: Draws per sample histogram, bars per continuous histogram, Dirichlet lattice and dots.
FAMILY_SAMPLES = 2000
FAMILY_BINS = 40
SIMPLEX_RESOLUTION = 40
SIMPLEX_SAMPLES = 300


@dataclass(frozen=True)
class FamilySummary:
    """Mean, variance (vectors for the Dirichlet, one entry otherwise) and entropy in nats
    (differential for the continuous families)."""

    mean: tuple[float, ...]
    variance: tuple[float, ...]
    entropy_nats: float
    discrete: bool


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def family_summary(family_name: str, params: dict[str, Any]) -> FamilySummary:
    """Mean, variance and entropy of one of the five families."""
    dist = make_family(family_name, **params)
    return FamilySummary(
        mean=tuple(float(v) for v in np.atleast_1d(dist.mean())),
        variance=tuple(float(v) for v in np.atleast_1d(dist.var())),
        entropy_nats=dist.entropy(),
        discrete=dist.discrete,
    )


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def family_density(family_name: str, params: dict[str, Any]) -> pd.DataFrame:
    """The pmf or pdf of a one-dimensional family on its plotting grid (``x``, ``density``)."""
    dist = make_family(family_name, **params)
    if isinstance(dist, Dirichlet):
        raise ValueError("`family_name` 'dirichlet' lives on the simplex; use dirichlet_simplex")
    grid = dist.grid()
    return pd.DataFrame({"x": np.asarray(grid.x, dtype=float), "density": grid.density})


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def family_samples(
    family_name: str,
    params: dict[str, Any],
    seed: int,
    *,
    n_samples: int = FAMILY_SAMPLES,
    bins: int = FAMILY_BINS,
) -> pd.DataFrame:
    """Draws from a one-dimensional family, binned (``bin_start``, ``bin_end``, ``density``).

    Discrete families get one bar per outcome k on [k − 0.25, k + 0.25] whose height is the
    observed frequency (comparable with the pmf); continuous ones a density histogram
    over the density grid's range.
    """
    dist = make_family(family_name, **params)
    if isinstance(dist, Dirichlet):
        raise ValueError("`family_name` 'dirichlet' lives on the simplex; use dirichlet_samples")
    draws = np.asarray(dist.sample(n_samples, rng=np.random.default_rng(seed)), dtype=float)
    if dist.discrete:
        outcomes = np.asarray(dist.grid().x, dtype=float)
        counts = np.bincount(draws.astype(np.intp), minlength=len(outcomes))
        return pd.DataFrame(
            {"bin_start": outcomes - 0.25, "bin_end": outcomes + 0.25, "density": counts / n_samples}
        )
    grid_x = np.asarray(dist.grid().x, dtype=float)
    low, high = (0.0, 1.0) if isinstance(dist, Beta) else (grid_x[0], grid_x[-1])
    return density_histogram(draws, low, high, bins)


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def dirichlet_simplex(
    alpha: tuple[float, ...], *, resolution: int = SIMPLEX_RESOLUTION
) -> pd.DataFrame:
    """Dirichlet density on an interior lattice of the triangle.

    Columns ``x``, ``y`` (the point in the triangle), ``pi1``, ``pi2``, ``pi3``
    (its probability vector) and ``density``.
    """
    grid = Dirichlet(alpha).grid(resolution=resolution)
    xy = barycentric_to_cartesian(grid.x)
    return pd.DataFrame(
        {
            "x": xy[:, 0],
            "y": xy[:, 1],
            "pi1": grid.x[:, 0],
            "pi2": grid.x[:, 1],
            "pi3": grid.x[:, 2],
            "density": grid.density,
        }
    )


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def dirichlet_samples(
    alpha: tuple[float, ...], seed: int, *, n_samples: int = SIMPLEX_SAMPLES
) -> pd.DataFrame:
    """Draws from Dirichlet(alpha) (K = 3) as points of the triangle (``x``, ``y``)."""
    dist = Dirichlet(alpha)
    if dist.k != 3:
        raise ValueError(f"`alpha` must have 3 components to draw on the triangle; got {dist.k}")
    draws = dist.sample(n_samples, rng=np.random.default_rng(seed))
    xy = barycentric_to_cartesian(draws)
    return pd.DataFrame({"x": xy[:, 0], "y": xy[:, 1]})



