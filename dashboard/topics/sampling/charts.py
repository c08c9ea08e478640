"""Altair charts for the Sampling page, as pure functions of plain DataFrames (no streamlit)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from dashboard.common.chart_style import HEIGHT, check_frame, in_order
from dashboard.common.palette import (
    OUTCOME_COLOURS,
    STAGE_COLOURS,
)

__all__ = [
    "importance_sweep_chart",
    "importance_weights_chart",
    "inverse_cdf_chart",
    "ppo_clip_chart",
    "rejection_chart",
    "token_sampling_chart",
]

# --- Sampling page



def token_sampling_chart(bars: pd.DataFrame) -> alt.Chart:
    """Each token's probability after temperature and after top-k/top-p, side by side.

    Parameters
    ----------
    bars : pandas.DataFrame
        Long format with ``token``, ``stage``, ``probability`` and ``kept`` (bool);
        tokens keep their row order on the x axis.

    Returns
    -------
    altair.Chart
        Grouped bars; tokens outside the kept set are faded.
    """
    check_frame(bars, "bars", ("token", "stage", "probability", "kept"))
    stages = in_order(bars["stage"])
    tokens = in_order(bars["token"])
    return (
        alt.Chart(bars)
        .mark_bar()
        .encode(
            x=alt.X("token:N", sort=tokens, title="token", axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("stage:N", sort=stages),
            y=alt.Y("probability:Q", title="probability", scale=alt.Scale(domain=[0, 1])),
            color=alt.Color("stage:N", sort=stages, title=None,
                            legend=alt.Legend(orient="top", labelLimit=0),
                            scale=alt.Scale(domain=stages, range=STAGE_COLOURS[: len(stages)])),
            opacity=alt.condition("datum.kept", alt.value(1.0), alt.value(0.35)),
            tooltip=[
                alt.Tooltip("token:N"),
                alt.Tooltip("stage:N"),
                alt.Tooltip("probability:Q", format=".4f"),
                alt.Tooltip("kept:N"),
            ],
        )
        .properties(height=HEIGHT)
    )


def inverse_cdf_chart(bands: pd.DataFrame, draws: pd.DataFrame) -> alt.LayerChart:
    """The CDF as stacked bands per token, with each uniform u drawn at the token it picks.

    Parameters
    ----------
    bands : pandas.DataFrame
        ``token``, ``position``, ``cdf_low``, ``cdf_high``: a uniform in
        [cdf_low, cdf_high) maps to the token.
    draws : pandas.DataFrame
        ``draw``, ``u``, ``token``, ``position``.

    Returns
    -------
    altair.LayerChart
        Bands, the CDF's steps, a dotted line from the axis to each draw, and the draws.
    """
    check_frame(bands, "bands", ("token", "position", "cdf_low", "cdf_high"))
    check_frame(draws, "draws", ("draw", "u", "token", "position"))
    x_scale = alt.Scale(domain=[-0.6, float(len(bands)) - 0.4])
    x = alt.X("position:Q", title="token index", axis=alt.Axis(tickMinStep=1), scale=x_scale)
    band_layer = (
        alt.Chart(bands)
        .transform_calculate(left="datum.position - 0.4", right="datum.position + 0.4")
        .mark_rect(opacity=0.35, color="#1f77b4")
        .encode(
            x=alt.X("left:Q", title="token index", scale=x_scale),
            x2="right:Q",
            y=alt.Y("cdf_low:Q", title="cumulative probability F / uniform u",
                    scale=alt.Scale(domain=[0, 1])),
            y2="cdf_high:Q",
            tooltip=[alt.Tooltip("token:N"), alt.Tooltip("cdf_low:Q", format=".3f"),
                     alt.Tooltip("cdf_high:Q", format=".3f")],
        )
    )
    steps = alt.Chart(bands).mark_line(interpolate="step-after", color="#08519c").encode(
        x=x, y=alt.Y("cdf_high:Q")
    )
    guides = (
        alt.Chart(draws)
        .transform_calculate(start="-0.6")
        .mark_rule(strokeDash=[2, 3], color="#d62728", opacity=0.6)
        .encode(x=alt.X("start:Q", scale=x_scale), x2="position:Q", y="u:Q")
    )
    points = alt.Chart(draws).mark_point(filled=True, size=70, color="#d62728").encode(
        x=x, y="u:Q",
        tooltip=[alt.Tooltip("draw:Q"), alt.Tooltip("u:Q", format=".3f"), alt.Tooltip("token:N")],
    )
    return alt.LayerChart(layer=[band_layer, steps, guides, points], height=HEIGHT)


def rejection_chart(points: pd.DataFrame, curves: pd.DataFrame) -> alt.LayerChart:
    """Proposals as points (x, u·M·q(x)), coloured accepted/rejected, under the curves.

    Parameters
    ----------
    points : pandas.DataFrame
        ``x``, ``height``, ``outcome``.
    curves : pandas.DataFrame
        ``x``, ``density``, ``curve`` (the target density and the envelope).

    Returns
    -------
    altair.LayerChart
    """
    check_frame(points, "points", ("x", "height", "outcome"))
    check_frame(curves, "curves", ("x", "density", "curve"))
    outcomes = ["accepted", "rejected"]
    names = in_order(curves["curve"])
    dots = alt.Chart(points).mark_circle(size=14, opacity=0.6).encode(
        x=alt.X("x:Q", title="x", scale=alt.Scale(domain=[0, 1])),
        y=alt.Y("height:Q", title="density / u·M·q(x)"),
        color=alt.Color("outcome:N", title=None, legend=alt.Legend(orient="top"),
                        scale=alt.Scale(domain=outcomes, range=OUTCOME_COLOURS)),
    )
    lines = alt.Chart(curves).mark_line(strokeWidth=2.5).encode(
        x="x:Q",
        y="density:Q",
        strokeDash=alt.StrokeDash("curve:N", sort=names, title=None,
                                  legend=alt.Legend(orient="top"),
                                  scale=alt.Scale(domain=names, range=[[1, 0], [6, 4]][: len(names)])),
        color=alt.value("black"),
    )
    return alt.LayerChart(layer=[dots, lines], height=HEIGHT)


def importance_weights_chart(points: pd.DataFrame) -> alt.Chart:
    """Each draw's importance weight w = p(x)/q(x) against x.

    Parameters
    ----------
    points : pandas.DataFrame
        ``x``, ``weight``.

    Returns
    -------
    altair.Chart
        A scatter; a few large weights mean a small effective sample size.
    """
    check_frame(points, "points", ("x", "weight"))
    return (
        alt.Chart(points)
        .mark_circle(size=16, opacity=0.6, color="#1f77b4")
        .encode(
            x=alt.X("x:Q", title="draw x ~ q"),
            y=alt.Y("weight:Q", title="weight w = p(x) / q(x)"),
            tooltip=[alt.Tooltip("x:Q", format=".3f"), alt.Tooltip("weight:Q", format=".4g")],
        )
        .properties(height=HEIGHT)
    )


def importance_sweep_chart(
    sweep: pd.DataFrame, *, current_shift: float, exact: float
) -> alt.HConcatChart:
    """ESS / n, the spread and the mean of repeated estimates as the proposal's mean moves.

    Parameters
    ----------
    sweep : pandas.DataFrame
        ``shift``, ``ess_fraction``, ``spread``, ``mean_estimate``.
    current_shift : float
        Marked with a vertical rule on every panel.
    exact : float
        The true value, a horizontal rule on the mean panel.

    Returns
    -------
    altair.HConcatChart
        Three panels sharing the x axis.
    """
    check_frame(sweep, "sweep", ("shift", "ess_fraction", "spread", "mean_estimate"))
    here = pd.DataFrame({"shift": [current_shift]})
    rule = alt.Chart(here).mark_rule(color="black", opacity=0.5).encode(x="shift:Q")
    x = alt.X("shift:Q", title="proposal mean (target mean is 0)")
    ess = alt.Chart(sweep).mark_line(color="#2ca02c", point=alt.OverlayMarkDef(color="#2ca02c", filled=True)).encode(
        x=x, y=alt.Y("ess_fraction:Q", title="ESS / n", scale=alt.Scale(domain=[0, 1])),
        tooltip=[alt.Tooltip("shift:Q"), alt.Tooltip("ess_fraction:Q", format=".3f")],
    )
    spread = alt.Chart(sweep).mark_line(color="#d62728", point=alt.OverlayMarkDef(color="#d62728", filled=True)).encode(
        x=x, y=alt.Y("spread:Q", title="spread (sd) of the estimate", scale=alt.Scale(type="log")),
        tooltip=[alt.Tooltip("shift:Q"), alt.Tooltip("spread:Q", format=".4g")],
    )
    mean = alt.Chart(sweep).mark_line(color="#1f77b4", point=alt.OverlayMarkDef(color="#1f77b4", filled=True)).encode(
        x=x, y=alt.Y("mean_estimate:Q", title="mean of the estimates"),
        tooltip=[alt.Tooltip("shift:Q"), alt.Tooltip("mean_estimate:Q", format=".4g")],
    )
    truth = alt.Chart(pd.DataFrame({"exact": [exact]})).mark_rule(
        strokeDash=[6, 4], color="gray"
    ).encode(y="exact:Q")
    size = {"width": 230, "height": HEIGHT - 100}
    return alt.hconcat(
        alt.layer(ess, rule).properties(**size),
        alt.layer(spread, rule).properties(**size),
        alt.layer(mean, truth, rule).properties(**size),
    )


def ppo_clip_chart(
    curves: pd.DataFrame, *, clipped_from: float, clipped_to: float, ratio: float, objective: float
) -> alt.LayerChart:
    """PPO's clipped objective against the ratio r, the clipped region shaded.

    Parameters
    ----------
    curves : pandas.DataFrame
        ``ratio``, ``curve``, ``objective`` (the unclipped r·A and PPO's min).
    clipped_from, clipped_to : float
        The ratios where the clip is active (nan: no shading).
    ratio, objective : float
        The current point, marked.

    Returns
    -------
    altair.LayerChart
    """
    check_frame(curves, "curves", ("ratio", "curve", "objective"))
    names = in_order(curves["curve"])
    layers: list[alt.Chart] = []
    if not (pd.isna(clipped_from) or pd.isna(clipped_to)):
        region = pd.DataFrame({"start": [clipped_from], "end": [clipped_to],
                               "label": ["clipped: no gradient"]})
        layers.append(
            alt.Chart(region).mark_rect(opacity=0.15, color="#d62728").encode(
                x="start:Q", x2="end:Q", tooltip=[alt.Tooltip("label:N", title="region")]
            )
        )
    layers.append(
        alt.Chart(curves).mark_line(strokeWidth=2.5).encode(
            x=alt.X("ratio:Q", title="ratio r = π_new / π_old"),
            y=alt.Y("objective:Q", title="objective"),
            color=alt.Color("curve:N", sort=names, title=None, legend=alt.Legend(orient="top"),
                            scale=alt.Scale(domain=names, range=["#7f7f7f", "#1f77b4"][: len(names)])),
            strokeDash=alt.StrokeDash("curve:N", sort=names, legend=None,
                                      scale=alt.Scale(domain=names, range=[[6, 4], [1, 0]][: len(names)])),
        )
    )
    point = pd.DataFrame({"ratio": [ratio], "objective": [objective]})
    layers.append(
        alt.Chart(point).mark_point(filled=True, size=90, color="black").encode(
            x="ratio:Q", y="objective:Q",
            tooltip=[alt.Tooltip("ratio:Q", format=".3f"), alt.Tooltip("objective:Q", format=".3f")],
        )
    )
    return alt.LayerChart(layer=layers, height=HEIGHT)



