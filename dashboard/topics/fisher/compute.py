"""Cached wrappers around :mod:`core` for the Fisher information page: numbers and small frames for its charts.

The views that carry frames are cached with ``st.cache_resource``: a rerun gets the
stored object itself instead of unpickling its frames (tens of milliseconds a rerun
over the page's tabs). Their frames are shared, so nothing that reads them changes
them (charts and specs copy, e.g. ``frame.assign``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from core import fisher as core_fisher
from core.distributions import Gaussian
from dashboard.common.histogram import density_histogram
from dashboard.common.limits import CACHE_ENTRIES, SAMPLING_GRID_POINTS

__all__ = [
    "A_FACTOR",
    "CR_MAX_BARS",
    "G_FACTOR",
    "KFAC_SCALES",
    "LL_FLOOR",
    "LL_GRID_POINTS",
    "LL_SIZE_FACTORS",
    "NLL_GRID_CELLS",
    "QUADRATIC",
    "CramerRaoView",
    "GradientPaths",
    "KFACView",
    "LikelihoodView",
    "cramer_rao_view",
    "gradient_paths",
    "kfac_view",
    "likelihood_view",
]

# --- Fisher information page
# Log-likelihood curvature, the Cramér–Rao simulation, natural-gradient paths, K-FAC.

#: Points per log-likelihood curve; curves are cut below LL_FLOOR (far from the MLE).
LL_GRID_POINTS = 301
LL_FLOOR = -10.0
#: The log-likelihood chart shows n, 4n and 16n observations.
LL_SIZE_FACTORS = (1, 4, 16)
#: Bars in the Cramér–Rao histogram (at most; one per value k/n when n is small).
CR_MAX_BARS = 80
#: Cells per side of the negative log-likelihood heatmap under the gradient paths.
NLL_GRID_CELLS = 40
#: Weight scales in the K-FAC error sweep.
KFAC_SCALES = tuple(np.round(np.linspace(0.0, 4.0, 17), 2))
QUADRATIC = "quadratic at the MLE (n)"
#: Titles of the two K-FAC factors (G ⊗ A approximates the layer's Fisher).
A_FACTOR = "A = E[a aᵀ]: the inputs' second moment (D × D)"
G_FACTOR = "G = E[g gᵀ]: the output gradients' covariance (C × C)"


@dataclass(frozen=True)
class LikelihoodView:
    """Log-likelihood curves for n, 4n, 16n and the quadratic of curvature n F(θ̂).

    ``curves``: ``theta``, ``curve`` (e.g. "n = 20"), ``log_likelihood`` (ℓ − ℓ(θ̂), cut
    below LL_FLOOR). The scalars are those of the n-observation curve.
    """

    curves: pd.DataFrame
    mle: float
    fisher: float
    curvature: float
    standard_error: float


@st.cache_resource(max_entries=CACHE_ENTRIES, show_spinner=False)  # shared, not copied: see the module notes
def likelihood_view(family: str, mle: float, n: int, sigma: float | None) -> LikelihoodView:
    """core.log_likelihood_curve at n, 4n and 16n on a grid of ± 4.5 standard errors (at n)."""
    probe = core_fisher.log_likelihood_curve(family, [mle], mle=mle, n=n, sigma=sigma)
    half_width = 4.5 * probe.standard_error
    low, high = mle - half_width, mle + half_width
    if family == "bernoulli":
        low, high = max(low, 1e-4), min(high, 1 - 1e-4)
    grid = np.linspace(low, high, LL_GRID_POINTS)
    frames = []
    for factor in LL_SIZE_FACTORS:
        c = core_fisher.log_likelihood_curve(family, grid, mle=mle, n=factor * n, sigma=sigma)
        frames.append(pd.DataFrame({"theta": grid, "curve": f"n = {factor * n}",
                                    "log_likelihood": c.relative_log_likelihood}))
        if factor == 1:
            first = c
            frames.append(pd.DataFrame({"theta": grid, "curve": QUADRATIC,
                                        "log_likelihood": c.quadratic}))
    curves = pd.concat(frames, ignore_index=True)
    curves = curves[curves["log_likelihood"] >= LL_FLOOR].reset_index(drop=True)
    return LikelihoodView(curves=curves, mle=first.mle, fisher=first.fisher,
                          curvature=first.curvature, standard_error=first.standard_error)


@dataclass(frozen=True)
class CramerRaoView:
    """Simulated Bernoulli MLEs p̂ = k/n against the Cramér–Rao bound p(1 − p)/n.

    ``histogram``: ``bin_start``, ``bin_end``, ``density`` (bars centred on the values k/n).
    ``bound_curve``: ``x``, ``density`` of N(p, bound), the spread an estimator attaining
    the bound would have (for large n).
    """

    mle_mean: float
    mle_variance: float
    bound: float
    n_datasets: int
    histogram: pd.DataFrame
    bound_curve: pd.DataFrame


@st.cache_resource(max_entries=CACHE_ENTRIES, show_spinner=False)  # shared, not copied: see the module notes
def cramer_rao_view(p: float, n: int, n_datasets: int, seed: int) -> CramerRaoView:
    """core.cramer_rao_simulation for a Bernoulli, binned on the lattice k/n."""
    res = core_fisher.cramer_rao_simulation(
        "bernoulli", n=n, n_datasets=n_datasets, rng=np.random.default_rng(seed), p=p
    )
    estimates = res.estimates[:, 0]
    sd = math.sqrt(float(res.bound[0]))
    # p̂ only takes the values k/n: bars of `cells` lattice values each, edges halfway
    # between lattice points, over p ± 6 sd (within [0, 1]).
    k_low = max(0, math.floor((p - 6 * sd) * n))
    k_high = min(n, math.ceil((p + 6 * sd) * n))
    cells = math.ceil((k_high - k_low + 1) / CR_MAX_BARS)
    bars = math.ceil((k_high - k_low + 1) / cells)
    low = (k_low - 0.5) / n
    histogram = density_histogram(estimates, low, low + bars * cells / n, bars)
    grid = Gaussian(p, sd).grid(n_points=SAMPLING_GRID_POINTS)
    return CramerRaoView(
        mle_mean=float(estimates.mean()),
        mle_variance=float(res.mle_variance[0]),
        bound=float(res.bound[0]),
        n_datasets=n_datasets,
        histogram=histogram[histogram["density"] > 0].reset_index(drop=True),
        bound_curve=pd.DataFrame({"x": grid.x, "density": grid.density}),
    )


@dataclass(frozen=True)
class GradientPaths:
    """Plain and natural gradient descent on a Gaussian's average NLL, over its heatmap.

    ``paths``: ``method``, ``step``, ``mu``, ``sigma``, ``loss``. ``landscape``: ``mu``,
    ``sigma``, ``nll`` on a NLL_GRID_CELLS² mesh, and each cell's edges ``mu0``, ``mu1``,
    ``s0``, ``s1``. ``natural_gap``/``plain_gap``: how far
    the (μ, σ) and (μ, log σ) versions of each method end apart (reparameterisation_gap).
    """

    paths: pd.DataFrame
    landscape: pd.DataFrame
    natural_loss: float
    plain_loss: float
    best_loss: float
    natural_gap: float
    plain_gap: float


@dataclass(frozen=True)
class _Fit:
    paths: pd.DataFrame
    landscape: pd.DataFrame
    natural_loss: float
    plain_loss: float
    best_loss: float


def _two_points(data_mean: float, data_sd: float) -> list[float]:
    # The fit depends on the data only through its mean m and standard deviation s, so
    # the two points m ± s stand for any dataset with those statistics.
    if not data_sd > 0:
        raise ValueError(f"`data_sd` must be > 0; got {data_sd}")
    return [data_mean - data_sd, data_mean + data_sd]


@st.cache_resource(max_entries=CACHE_ENTRIES, show_spinner=False)  # shared, not copied: see the module notes
def _fit(
    data_mean: float, data_sd: float, mu0: float, sigma0: float, lr: float, n_steps: int, parameterization: str
) -> _Fit:
    """core.gaussian_fit_paths in one parameterisation and the NLL on a mesh around the paths."""
    data = _two_points(data_mean, data_sd)
    fit = core_fisher.gaussian_fit_paths(
        data, mu0=mu0, sigma0=sigma0, lr=lr, n_steps=n_steps, parameterization=parameterization
    )
    frames = [
        pd.DataFrame({"method": name, "step": np.arange(len(path)), "mu": path[:, 0],
                      "sigma": path[:, 1], "loss": loss})
        for name, path, loss in (("natural gradient", fit.natural, fit.natural_loss),
                                 ("plain gradient", fit.plain, fit.plain_loss))
    ]
    paths = pd.concat(frames, ignore_index=True)
    mus = np.concatenate([paths["mu"], [data_mean]])
    sigmas = np.concatenate([paths["sigma"], [data_sd]])
    pad_mu = 0.1 * (mus.max() - mus.min()) + 0.1
    pad_sigma = 0.1 * (sigmas.max() - sigmas.min()) + 0.1
    mu_axis = np.linspace(mus.min() - pad_mu, mus.max() + pad_mu, NLL_GRID_CELLS)
    sigma_axis = np.linspace(max(sigmas.min() - pad_sigma, 0.05 * sigmas.min()),
                             sigmas.max() + pad_sigma, NLL_GRID_CELLS)
    mu_mesh, sigma_mesh = np.meshgrid(mu_axis, sigma_axis)
    nll = core_fisher.gaussian_average_nll(mu_mesh, sigma_mesh, data_mean=data_mean,
                                           data_var=data_sd**2)
    half_mu, half_sigma = (mu_axis[1] - mu_axis[0]) / 2, (sigma_axis[1] - sigma_axis[0]) / 2
    landscape = pd.DataFrame({
        "mu": mu_mesh.ravel(), "sigma": sigma_mesh.ravel(), "nll": nll.ravel(),
        # Each cell's edges, so the chart draws the mesh whatever its spacing.
        "mu0": mu_mesh.ravel() - half_mu, "mu1": mu_mesh.ravel() + half_mu,
        "s0": sigma_mesh.ravel() - half_sigma, "s1": sigma_mesh.ravel() + half_sigma,
    })
    best = float(core_fisher.gaussian_average_nll(data_mean, data_sd, data_mean=data_mean,
                                                  data_var=data_sd**2))
    return _Fit(paths=paths, landscape=landscape, natural_loss=float(fit.natural_loss[-1]),
                plain_loss=float(fit.plain_loss[-1]), best_loss=best)


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _gaps(data_mean: float, data_sd: float, mu0: float, sigma0: float, lr: float, n_steps: int) -> tuple[float, float]:
    """core.reparameterisation_gap: it runs both parameterisations, so it is not keyed on the chosen one."""
    return core_fisher.reparameterisation_gap(
        _two_points(data_mean, data_sd), mu0=mu0, sigma0=sigma0, lr=lr, n_steps=n_steps
    )


def gradient_paths(
    data_mean: float, data_sd: float, mu0: float, sigma0: float, lr: float, n_steps: int,
    parameterization: str,
) -> GradientPaths:
    """core.gaussian_fit_paths and core.gaussian_average_nll on a mesh around the paths.

    The fit depends on the data only through its mean m and standard deviation s, so the
    two points m ± s stand for any dataset with those statistics. The fit is cached per
    parameterisation and the gaps without it, so switching the parameterisation reruns
    one fit.
    """
    fit = _fit(data_mean, data_sd, mu0, sigma0, lr, n_steps, parameterization)
    natural_gap, plain_gap = _gaps(data_mean, data_sd, mu0, sigma0, lr, n_steps)
    return GradientPaths(
        paths=fit.paths, landscape=fit.landscape, natural_loss=fit.natural_loss,
        plain_loss=fit.plain_loss, best_loss=fit.best_loss,
        natural_gap=natural_gap, plain_gap=plain_gap,
    )


@dataclass(frozen=True)
class KFACView:
    """Exact Fisher against G ⊗ A for a random linear+softmax layer.

    ``matrices``: ``row``, ``col``, ``matrix`` ("exact Fisher" / "K-FAC G ⊗ A"), ``value``.
    ``sweep``: ``weight_scale``, ``relative_error`` with the same draws at every scale.
    ``factors``: ``factor`` (A_FACTOR or G_FACTOR), ``row``, ``col`` (labels such as
    "input 1", "class 2") and ``value``.
    """

    relative_error: float
    matrices: pd.DataFrame
    sweep: pd.DataFrame
    factors: pd.DataFrame


def _kfac_layer(n_inputs: int, input_dim: int, n_classes: int, weight_scale: float, seed: int) -> Any:
    return core_fisher.kfac_random_layer(
        n_inputs=n_inputs, input_dim=input_dim, n_classes=n_classes, weight_scale=weight_scale,
        rng=np.random.default_rng(seed),
    )


@st.cache_resource(max_entries=CACHE_ENTRIES, show_spinner=False)  # shared, not copied: see the module notes
def _kfac_sweep(n_inputs: int, input_dim: int, n_classes: int, seed: int) -> pd.DataFrame:
    """The relative error over KFAC_SCALES, one seed for all: not keyed on the chosen scale."""
    errors = [_kfac_layer(n_inputs, input_dim, n_classes, s, seed).relative_error for s in KFAC_SCALES]
    return pd.DataFrame({"weight_scale": KFAC_SCALES, "relative_error": errors})


@st.cache_resource(max_entries=CACHE_ENTRIES, show_spinner=False)  # shared, not copied: see the module notes
def _kfac_at(n_inputs: int, input_dim: int, n_classes: int, weight_scale: float, seed: int) -> KFACView:
    res = _kfac_layer(n_inputs, input_dim, n_classes, weight_scale, seed)
    size = res.fisher_exact.shape[0]
    rows, cols = np.indices((size, size))
    matrices = pd.concat(
        [
            pd.DataFrame({"row": rows.ravel(), "col": cols.ravel(), "matrix": name,
                          "value": m.ravel()})
            for name, m in (("exact Fisher", res.fisher_exact), ("K-FAC G ⊗ A", res.fisher_kfac))
        ],
        ignore_index=True,
    )
    factors = pd.concat(
        [_factor_frame(A_FACTOR, res.A, "input"), _factor_frame(G_FACTOR, res.G, "class")],
        ignore_index=True,
    )
    return KFACView(relative_error=res.relative_error, matrices=matrices, sweep=pd.DataFrame(), factors=factors)


def kfac_view(n_inputs: int, input_dim: int, n_classes: int, weight_scale: float, seed: int) -> KFACView:
    """core.kfac_random_layer at the chosen scale and over KFAC_SCALES (one seed for all).

    The two parts are cached apart: a new weight scale reuses the sweep.
    """
    at = _kfac_at(n_inputs, input_dim, n_classes, weight_scale, seed)
    return replace(at, sweep=_kfac_sweep(n_inputs, input_dim, n_classes, seed))


def _factor_frame(name: str, matrix: np.ndarray, prefix: str) -> pd.DataFrame:
    """A K-FAC factor long format, rows and columns labelled "input 1", "class 2", …"""
    rows, cols = np.indices(matrix.shape)
    labels = np.array([f"{prefix} {i + 1}" for i in range(matrix.shape[0])])
    return pd.DataFrame({"factor": name, "row": labels[rows.ravel()], "col": labels[cols.ravel()],
                         "value": matrix.ravel()})



