"""Altair charts for the Fisher information page, as pure functions of plain DataFrames (no streamlit)."""

from __future__ import annotations

import json

import altair as alt
import pandas as pd

from dashboard.common import palette
from dashboard.common.chart_style import HEIGHT, check_frame, in_order

__all__ = [
    "cramer_rao_chart",
    "gradient_paths_chart",
    "kfac_error_chart",
    "kfac_factors_chart",
    "kfac_matrices_chart",
    "log_likelihood_chart",
    "optimum_frame",
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
                        scale=alt.Scale(domain=names, range=palette.CURVE_COLOURS[: len(names)])),
        strokeDash=alt.StrokeDash("curve:N", sort=names, legend=None,
                                  scale=alt.Scale(domain=names, range=dashes)),
        tooltip=[alt.Tooltip("curve:N"), alt.Tooltip("theta:Q", format=".4f"),
                 alt.Tooltip("log_likelihood:Q", format=".3f")],
    )
    rule = alt.Chart(pd.DataFrame({"theta": [mle]})).mark_rule(color=palette.BLACK, opacity=0.4).encode(
        x="theta:Q"
    )
    return alt.LayerChart(layer=[lines, rule], height=HEIGHT,
                          title="Log-likelihood around its peak, for n, 4n and 16n observations")


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
    bars = alt.Chart(histogram).mark_rect(opacity=0.8, color=palette.SAMPLE).encode(
        x=alt.X("bin_start:Q", title="maximum-likelihood estimate p̂"),
        x2="bin_end:Q",
        y=alt.Y("density:Q", title="density"),
        tooltip=[alt.Tooltip("bin_start:Q", format=".4f"), alt.Tooltip("bin_end:Q", format=".4f"),
                 alt.Tooltip("density:Q", format=".3f")],
    )
    curve = alt.Chart(bound_curve).mark_line(color=palette.EXACT, strokeWidth=2.5).encode(
        x="x:Q", y="density:Q"
    )
    return alt.LayerChart(layer=[bars, curve], height=HEIGHT,
                          title="Simulated estimates p̂ against the normal with the Cramér–Rao variance")


def gradient_paths_chart(
    landscape: pd.DataFrame, paths: pd.DataFrame, *, optimum: tuple[float, float] | None = None
) -> alt.LayerChart:
    """Plain and natural gradient paths over a banded heatmap of the negative log-likelihood.

    Parameters
    ----------
    landscape : pandas.DataFrame
        ``mu``, ``sigma``, ``nll`` on a regular mesh, and each cell's edges ``mu0``,
        ``mu1`` (in μ) and ``s0``, ``s1`` (in σ).
    paths : pandas.DataFrame
        ``method``, ``step``, ``mu``, ``sigma``, ``loss``.
    optimum : (float, float), optional
        The best fit (μ, σ), marked with a labelled cross.

    Returns
    -------
    altair.LayerChart
        The heatmap's colours are quantised into bands (lighter is lower), which read as
        filled contours; the paths run over it to the marked optimum.
    """
    check_frame(landscape, "landscape", ("mu", "sigma", "nll", "mu0", "mu1", "s0", "s1"))
    check_frame(paths, "paths", ("method", "step", "mu", "sigma", "loss"))
    heat = (
        alt.Chart(landscape)
        .mark_rect()
        .encode(
            x=alt.X("mu0:Q", title="mean μ", scale=alt.Scale(zero=False, nice=False)),
            x2="mu1:Q",
            y=alt.Y("s0:Q", title="standard deviation σ", scale=alt.Scale(zero=False, nice=False)),
            y2="s1:Q",
            color=alt.Color("nll:Q", title="average NLL (lighter is lower)",
                            scale=alt.Scale(type="quantile", scheme="greys"),
                            legend=alt.Legend(orient="right", titleLimit=0, format=".3f", direction="vertical")),
            tooltip=[alt.Tooltip("mu:Q", format=".3f"), alt.Tooltip("sigma:Q", format=".3f"),
                     alt.Tooltip("nll:Q", format=".4f")],
        )
    )
    methods = in_order(paths["method"])
    colours = {"natural gradient": palette.NATURAL_GRADIENT, "plain gradient": palette.GRADIENT}
    domain, colour_range = palette.concept_range(colours, methods)
    lines = alt.Chart(paths).mark_line(point=True, strokeWidth=2.5).encode(
        x="mu:Q",
        y="sigma:Q",
        order="step:Q",
        color=alt.Color("method:N", sort=methods, title=None, legend=alt.Legend(orient="top"),
                        scale=alt.Scale(domain=domain, range=colour_range)),
        tooltip=[alt.Tooltip("method:N"), alt.Tooltip("step:Q"), alt.Tooltip("mu:Q", format=".3f"),
                 alt.Tooltip("sigma:Q", format=".3f"), alt.Tooltip("loss:Q", format=".4f")],
    )
    layers: list[alt.Chart] = [heat, lines]
    if optimum is not None:
        marker = alt.Chart(optimum_frame(*optimum)).encode(x="mu:Q", y="sigma:Q", tooltip=[alt.Tooltip("label:N", title="")])
        layers.append(marker.mark_point(shape="cross", size=260, filled=True, color=palette.OPTIMUM))
        layers.append(marker.mark_text(align="left", dx=10, dy=-10, fontWeight="bold",
                                       color=palette.OPTIMUM).encode(text="label:N"))
    return alt.LayerChart(layer=layers, height=HEIGHT + 160,
                          title="Gradient paths on the average negative log-likelihood")


def optimum_frame(mu: float, sigma: float) -> pd.DataFrame:
    """The one row of :func:`gradient_paths_chart`'s optimum marker (its last two layers)."""
    return pd.DataFrame({"mu": [float(mu)], "sigma": [float(sigma)], "label": ["best fit (MLE)"]})


def _matrix_heatmap(x_title: str, y_title: str, *, labels: bool) -> alt.Chart:
    axis = alt.Axis(labelAngle=0) if labels else None
    return alt.Chart().mark_rect().encode(
        x=alt.X("col:O", title=x_title, axis=axis),
        y=alt.Y("row:O", title=y_title, axis=axis),
        color=alt.Color("value:Q", title="entry",
                        scale=alt.Scale(scheme="blueorange", domainMid=0, reverse=True)),
        tooltip=[alt.Tooltip("row:O"), alt.Tooltip("col:O"), alt.Tooltip("value:Q", format=".4f")],
    )


def kfac_matrices_chart(matrices: pd.DataFrame) -> alt.Chart:
    """The exact Fisher and its K-FAC approximation G ⊗ A as heatmaps side by side.

    Parameters
    ----------
    matrices : pandas.DataFrame
        ``row``, ``col``, ``matrix``, ``value``; rows and columns index the weights
        (class-major, as ``vec(W)``).

    Returns
    -------
    altair.Chart
        Faceted by ``matrix``, one diverging colour scale shared by both.
    """
    check_frame(matrices, "matrices", ("row", "col", "matrix", "value"))
    names = in_order(matrices["matrix"])
    return (
        _matrix_heatmap("weight (class-major)", "weight (class-major)", labels=False)
        .properties(width=240, height=240)
        .facet(data=matrices, column=alt.Column("matrix:N", sort=names, title=None,
                                                header=alt.Header(labelFontSize=13, labelLimit=0)))
        .properties(title="The layer's Fisher: exact against K-FAC")
    )


def kfac_factors_chart(factors: pd.DataFrame) -> alt.HConcatChart:
    """The two K-FAC factors, A (inputs) and G (output gradients), labelled, side by side.

    Parameters
    ----------
    factors : pandas.DataFrame
        ``factor`` (two titles, A first), ``row``, ``col`` (labels such as "input 1") and
        ``value``.

    Returns
    -------
    altair.HConcatChart
        One heatmap per factor with its own colour scale.
    """
    check_frame(factors, "factors", ("factor", "row", "col", "value"))
    names = in_order(factors["factor"])
    panels = []
    for name in names:
        size = int((factors["factor"] == name).sum() ** 0.5)
        side = max(120, min(240, 40 * size))
        panels.append(
            _matrix_heatmap("", "", labels=True)
            .transform_filter(f"datum.factor === {json.dumps(name)}")
            .encode(x=alt.X("col:N", title=None, sort=None, axis=alt.Axis(labelAngle=0)),
                    y=alt.Y("row:N", title=None, sort=None))
            .properties(title=name, width=side, height=side)
        )
    return alt.hconcat(*panels, data=factors, title="The two K-FAC factors").resolve_scale(color="independent")


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
    line = alt.Chart(sweep).mark_line(color=palette.ESTIMATE, point=alt.OverlayMarkDef(color=palette.ESTIMATE, filled=True)).encode(
        x=alt.X("weight_scale:Q", title="weight scale"),
        y=alt.Y("relative_error:Q", title="‖F − G ⊗ A‖ / ‖F‖"),
        tooltip=[alt.Tooltip("weight_scale:Q"), alt.Tooltip("relative_error:Q", format=".4f")],
    )
    rule = alt.Chart(pd.DataFrame({"weight_scale": [current_scale]})).mark_rule(
        color=palette.BLACK, opacity=0.5
    ).encode(x="weight_scale:Q")
    return alt.LayerChart(layer=[line, rule], height=HEIGHT - 60,
                          title="K-FAC's error grows with the weights")



