"""Altair charts for the Fisher information page, as pure functions of plain DataFrames (no streamlit)."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from dashboard.common.chart_style import HEIGHT, check_frame, in_order
from dashboard.common.palette import (
    CURVE_COLOURS,
)

__all__ = [
    "cramer_rao_chart",
    "gradient_paths_chart",
    "kfac_error_chart",
    "kfac_matrices_chart",
    "log_likelihood_chart",
]

# --- Fisher information page


def log_likelihood_chart(curves: pd.DataFrame, *, mle: float) -> alt.LayerChart:
    """ℓ(θ) − ℓ(θ̂) for several sample sizes and the quadratic at the MLE.

    Parameters
    ----------
    curves : pandas.DataFrame
        ``theta``, ``curve``, ``log_likelihood``; a curve whose name starts with
        "quadratic" is dashed.
    mle : float
        Marked with a vertical rule.

    Returns
    -------
    altair.LayerChart
    """
    check_frame(curves, "curves", ("theta", "curve", "log_likelihood"))
    names = in_order(curves["curve"])
    dashes = [[6, 4] if name.startswith("quadratic") else [1, 0] for name in names]
    lines = alt.Chart(curves).mark_line(strokeWidth=2.5).encode(
        x=alt.X("theta:Q", title="parameter θ"),
        y=alt.Y("log_likelihood:Q", title="log-likelihood ℓ(θ) − ℓ(θ̂)"),
        color=alt.Color("curve:N", sort=names, title=None, legend=alt.Legend(orient="top"),
                        scale=alt.Scale(domain=names, range=CURVE_COLOURS[: len(names)])),
        strokeDash=alt.StrokeDash("curve:N", sort=names, legend=None,
                                  scale=alt.Scale(domain=names, range=dashes)),
        tooltip=[alt.Tooltip("curve:N"), alt.Tooltip("theta:Q", format=".4f"),
                 alt.Tooltip("log_likelihood:Q", format=".3f")],
    )
    rule = alt.Chart(pd.DataFrame({"theta": [mle]})).mark_rule(color="black", opacity=0.4).encode(
        x="theta:Q"
    )
    return alt.LayerChart(layer=[lines, rule], height=HEIGHT)


def cramer_rao_chart(histogram: pd.DataFrame, bound_curve: pd.DataFrame) -> alt.LayerChart:
    """Histogram of simulated MLEs under the normal curve whose variance is the bound.

    Parameters
    ----------
    histogram : pandas.DataFrame
        ``bin_start``, ``bin_end``, ``density``.
    bound_curve : pandas.DataFrame
        ``x``, ``density``.

    Returns
    -------
    altair.LayerChart
    """
    check_frame(histogram, "histogram", ("bin_start", "bin_end", "density"))
    check_frame(bound_curve, "bound_curve", ("x", "density"))
    bars = alt.Chart(histogram).mark_rect(opacity=0.6, color="#1f77b4").encode(
        x=alt.X("bin_start:Q", title="maximum-likelihood estimate p̂"),
        x2="bin_end:Q",
        y=alt.Y("density:Q", title="density"),
        tooltip=[alt.Tooltip("bin_start:Q", format=".4f"), alt.Tooltip("bin_end:Q", format=".4f"),
                 alt.Tooltip("density:Q", format=".3f")],
    )
    curve = alt.Chart(bound_curve).mark_line(color="#d62728", strokeWidth=2.5).encode(
        x="x:Q", y="density:Q"
    )
    return alt.LayerChart(layer=[bars, curve], height=HEIGHT)


def gradient_paths_chart(landscape: pd.DataFrame, paths: pd.DataFrame) -> alt.LayerChart:
    """Plain and natural gradient paths over a banded heatmap of the negative log-likelihood.

    Parameters
    ----------
    landscape : pandas.DataFrame
        ``mu``, ``sigma``, ``nll`` on a regular mesh.
    paths : pandas.DataFrame
        ``method``, ``step``, ``mu``, ``sigma``, ``loss``.

    Returns
    -------
    altair.LayerChart
        The heatmap's colours are quantised into bands, which read as filled contours.
    """
    check_frame(landscape, "landscape", ("mu", "sigma", "nll"))
    check_frame(paths, "paths", ("method", "step", "mu", "sigma", "loss"))
    mus = np.sort(landscape["mu"].unique())
    sigmas = np.sort(landscape["sigma"].unique())
    dmu = float(mus[1] - mus[0]) if len(mus) > 1 else 1.0
    dsigma = float(sigmas[1] - sigmas[0]) if len(sigmas) > 1 else 1.0
    heat = (
        alt.Chart(landscape)
        .transform_calculate(
            mu0=f"datum.mu - {dmu / 2}", mu1=f"datum.mu + {dmu / 2}",
            s0=f"datum.sigma - {dsigma / 2}", s1=f"datum.sigma + {dsigma / 2}",
        )
        .mark_rect()
        .encode(
            x=alt.X("mu0:Q", title="μ", scale=alt.Scale(zero=False, nice=False)),
            x2="mu1:Q",
            y=alt.Y("s0:Q", title="σ", scale=alt.Scale(zero=False, nice=False)),
            y2="s1:Q",
            color=alt.Color("nll:Q", title="avg NLL",
                            scale=alt.Scale(type="quantile", scheme="greys", reverse=True)),
            tooltip=[alt.Tooltip("mu:Q", format=".3f"), alt.Tooltip("sigma:Q", format=".3f"),
                     alt.Tooltip("nll:Q", format=".4f")],
        )
    )
    methods = in_order(paths["method"])
    lines = alt.Chart(paths).mark_line(point=True, strokeWidth=2).encode(
        x="mu:Q",
        y="sigma:Q",
        order="step:Q",
        color=alt.Color("method:N", sort=methods, title=None, legend=alt.Legend(orient="top"),
                        scale=alt.Scale(domain=methods, range=["#ff7f0e", "#1f77b4"][: len(methods)])),
        tooltip=[alt.Tooltip("method:N"), alt.Tooltip("step:Q"), alt.Tooltip("mu:Q", format=".3f"),
                 alt.Tooltip("sigma:Q", format=".3f"), alt.Tooltip("loss:Q", format=".4f")],
    )
    return alt.LayerChart(layer=[heat, lines], height=HEIGHT + 80)


def kfac_matrices_chart(matrices: pd.DataFrame) -> alt.Chart:
    """The exact Fisher and its K-FAC approximation as heatmaps side by side.

    Parameters
    ----------
    matrices : pandas.DataFrame
        ``row``, ``col``, ``matrix``, ``value``.

    Returns
    -------
    altair.Chart
        Faceted by ``matrix``, one diverging colour scale shared by both.
    """
    check_frame(matrices, "matrices", ("row", "col", "matrix", "value"))
    names = in_order(matrices["matrix"])
    return (
        alt.Chart(matrices)
        .mark_rect()
        .encode(
            x=alt.X("col:O", title=None, axis=None),
            y=alt.Y("row:O", title=None, axis=None),
            color=alt.Color("value:Q", title="entry", scale=alt.Scale(scheme="redblue", domainMid=0,
                                                                      reverse=True)),
            tooltip=[alt.Tooltip("matrix:N"), alt.Tooltip("row:O"), alt.Tooltip("col:O"),
                     alt.Tooltip("value:Q", format=".4f")],
        )
        .properties(width=260, height=260)
        .facet(column=alt.Column("matrix:N", sort=names, title=None))
    )


def kfac_error_chart(sweep: pd.DataFrame, *, current_scale: float) -> alt.LayerChart:
    """K-FAC's relative error against the scale of the weights.

    Parameters
    ----------
    sweep : pandas.DataFrame
        ``weight_scale``, ``relative_error``.
    current_scale : float
        Marked with a vertical rule.

    Returns
    -------
    altair.LayerChart
    """
    check_frame(sweep, "sweep", ("weight_scale", "relative_error"))
    line = alt.Chart(sweep).mark_line(color="#9467bd", point=alt.OverlayMarkDef(color="#9467bd", filled=True)).encode(
        x=alt.X("weight_scale:Q", title="weight scale"),
        y=alt.Y("relative_error:Q", title="‖F − G ⊗ A‖ / ‖F‖"),
        tooltip=[alt.Tooltip("weight_scale:Q"), alt.Tooltip("relative_error:Q", format=".4f")],
    )
    rule = alt.Chart(pd.DataFrame({"weight_scale": [current_scale]})).mark_rule(
        color="black", opacity=0.5
    ).encode(x="weight_scale:Q")
    return alt.LayerChart(layer=[line, rule], height=HEIGHT - 60)



