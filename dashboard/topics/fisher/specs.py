"""The Fisher information page's charts as cached Vega-Lite specs keyed on what each draws.

Each chart's shape is built once per what it depends on (see
:func:`dashboard.common.ui.chart_shape`: nothing, the sample size for the curve names,
the layer's sizes for the K-FAC factors) and a rerun swaps in the current rows, so a
widget change costs the computation it needs and an Arrow conversion per dataset.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.common.limits import CACHE_ENTRIES
from dashboard.common.ui import Spec, chart_shape, with_data, with_rows
from dashboard.topics.fisher import charts, compute

__all__ = ["cramer_rao_spec", "gradient_paths_spec", "kfac_error_spec", "kfac_factors_spec",
           "kfac_matrices_spec", "likelihood_spec"]


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def likelihood_spec(family: str, mle: float, n: int, sigma: float | None) -> Spec:
    """Log-likelihood curves at n, 4n, 16n and the quadratic at the MLE (curve names follow n)."""
    view = compute.likelihood_view(family, mle, n, sigma)
    spec = chart_shape(charts.log_likelihood_chart, (n,), view.curves, mle=view.mle)
    return with_rows(spec, view.curves, pd.DataFrame({"theta": [view.mle]}))


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def cramer_rao_spec(p: float, n: int, n_datasets: int, seed: int) -> Spec:
    """The histogram of simulated p̂ under the Cramér–Rao normal."""
    view = compute.cramer_rao_view(p, n, n_datasets, seed)
    spec = chart_shape(charts.cramer_rao_chart, (), view.histogram, view.bound_curve)
    return with_rows(spec, view.histogram, view.bound_curve)


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def gradient_paths_spec(
    data_mean: float, data_sd: float, mu0: float, sigma0: float, lr: float, n_steps: int, parameterization: str
) -> Spec:
    """Both gradient paths over the NLL landscape, the best fit (data mean, sd) marked."""
    paths = compute.gradient_paths(data_mean, data_sd, mu0, sigma0, lr, n_steps, parameterization)
    spec = chart_shape(charts.gradient_paths_chart, (), paths.landscape, paths.paths, optimum=(data_mean, data_sd))
    # The marker's cross and its label (layers 2 and 3) share one row.
    return with_rows(spec, paths.landscape, paths.paths, charts.optimum_frame(data_mean, data_sd))


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def kfac_matrices_spec(n_inputs: int, input_dim: int, n_classes: int, weight_scale: float, seed: int) -> Spec:
    """The exact Fisher beside G ⊗ A."""
    view = compute.kfac_view(n_inputs, input_dim, n_classes, weight_scale, seed)
    return with_data(chart_shape(charts.kfac_matrices_chart, (), view.matrices), view.matrices)


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def kfac_factors_spec(n_inputs: int, input_dim: int, n_classes: int, weight_scale: float, seed: int) -> Spec:
    """The factors A and G, labelled (panel sizes follow the layer's sizes)."""
    view = compute.kfac_view(n_inputs, input_dim, n_classes, weight_scale, seed)
    return with_data(chart_shape(charts.kfac_factors_chart, (input_dim, n_classes), view.factors), view.factors)


def kfac_error_spec(n_inputs: int, input_dim: int, n_classes: int, weight_scale: float, seed: int) -> Spec:
    """K-FAC's error over the weight scales (not keyed on the chosen one), that one marked."""
    sweep = compute.kfac_view(n_inputs, input_dim, n_classes, weight_scale, seed).sweep
    spec = chart_shape(charts.kfac_error_chart, (), sweep, current_scale=weight_scale)
    return with_rows(spec, sweep, pd.DataFrame({"weight_scale": [float(weight_scale)]}))
