"""Altair charts for the Sampling page, as pure functions of plain DataFrames (no streamlit)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from dashboard.common import palette
from dashboard.common.chart_style import HEIGHT, check_frame, in_order
from dashboard.topics.sampling.labels import FILTERED_LABEL, SOFTMAX_LABEL, TEMPERED_LABEL

__all__ = [
    "importance_sweep_chart",
    "importance_sweep_marks",
    "importance_weights_chart",
    "inverse_cdf_chart",
    "ppo_clip_chart",
    "ppo_marks",
    "rejection_chart",
    "token_sampling_chart",
    "top_p_chart",
    "top_p_marks",
]

# --- Sampling page



def token_sampling_chart(bars: pd.DataFrame, *, title: str = "Each token's probability") -> alt.Chart:
    """Each token's probability at each stage (after temperature, after top-k/top-p), side by side.

    Parameters
    ----------
    bars : pandas.DataFrame
        Long format with ``token``, ``stage``, ``probability`` and ``kept`` (bool);
        tokens keep their row order on the x axis.
    title : str
        The chart's title (also in the downloaded PNG).

    Returns
    -------
    altair.Chart
        Grouped bars on a categorical token axis; tokens outside the kept set are faded.
    """
    check_frame(bars, "bars", ("token", "stage", "probability", "kept"))
    stages = in_order(bars["stage"])
    tokens = in_order(bars["token"])
    colours = {TEMPERED_LABEL: palette.AFTER_TEMPERATURE, FILTERED_LABEL: palette.AFTER_FILTERING,
               SOFTMAX_LABEL: palette.EXACT}
    domain, colour_range = palette.concept_range(colours, stages)
    return (
        alt.Chart(bars, title=title)
        .mark_bar()
        .encode(
            x=alt.X("token:N", sort=tokens, title="token", axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("stage:N", sort=stages),
            y=alt.Y("probability:Q", title="probability", scale=alt.Scale(domain=[0, 1])),
            color=alt.Color("stage:N", sort=stages, title=None,
                            legend=alt.Legend(orient="top", labelLimit=0),
                            scale=alt.Scale(domain=domain, range=colour_range)),
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


def top_p_marks(mass: pd.DataFrame, *, top_p: float | None, show_cut: bool = True) -> list[pd.DataFrame]:
    """The one-row datasets of :func:`top_p_chart`: the level p (when top-p is on), then
    the cut before the first dropped token (when shown and a token is dropped)."""
    if top_p is None:
        return []
    marks = [pd.DataFrame({"p": [float(top_p)], "label": [f"p = {top_p:g}"]})]
    dropped = mass.loc[~mass["kept"], "token"]
    if show_cut and len(dropped):
        marks.append(pd.DataFrame({"token": [dropped.iloc[0]], "label": ["cut: tokens right of it are dropped"]}))
    return marks


def top_p_chart(mass: pd.DataFrame, *, top_p: float | None, show_cut: bool = True) -> alt.LayerChart:
    """Tokens sorted by probability, the running total of their mass, the level p and the cut.

    Parameters
    ----------
    mass : pandas.DataFrame
        ``token``, ``probability``, ``cumulative`` and ``kept``, most probable first
        (see ``compute.top_p_mass``).
    top_p : float or None
        The nucleus mass p, drawn as a dashed level (None: top-p is off).
    show_cut : bool
        Draw the running total and the cut after the last kept token; False shows only
        the sorted probabilities and the level p (the kept set is then the learner's to find).

    Returns
    -------
    altair.LayerChart
        Bars and a line on one categorical token axis, shares from 0 to 1.
    """
    check_frame(mass, "mass", ("token", "probability", "cumulative", "kept"))
    tokens = in_order(mass["token"])
    x = alt.X("token:N", sort=tokens, title="tokens, most probable first", axis=alt.Axis(labelAngle=0))
    y_scale = alt.Scale(domain=[0, 1])
    bars = alt.Chart(mass).mark_bar(color=palette.AFTER_TEMPERATURE).encode(
        x=x,
        y=alt.Y("probability:Q", title="probability / mass so far", scale=y_scale),
        opacity=(alt.condition("datum.kept", alt.value(1.0), alt.value(0.35)) if show_cut else alt.value(1.0)),
        tooltip=[alt.Tooltip("token:N"), alt.Tooltip("probability:Q", format=".4f")],
    )
    layers: list[alt.Chart] = [bars]
    if show_cut:
        layers.append(
            alt.Chart(mass).mark_line(color=palette.AFTER_FILTERING, point=True, strokeWidth=2.5).encode(
                x=x, y=alt.Y("cumulative:Q", scale=y_scale),
                tooltip=[alt.Tooltip("token:N"), alt.Tooltip("cumulative:Q", title="mass so far", format=".4f")],
            )
        )
    marks = top_p_marks(mass, top_p=top_p, show_cut=show_cut)
    if top_p is not None:
        layers.append(
            alt.Chart(marks[0]).mark_rule(color=palette.CUT, strokeDash=[6, 4]).encode(
                y="p:Q", tooltip=[alt.Tooltip("label:N", title="nucleus mass")]
            )
        )
    if len(marks) > 1:
        layers.append(
            alt.Chart(marks[1]).mark_rule(color=palette.CUT, strokeWidth=2.5).encode(
                x=alt.X("token:N", sort=tokens, bandPosition=0),
                tooltip=[alt.Tooltip("label:N", title="top-p")],
            )
        )
    title = "Top-p: sorted tokens, running mass" + (" and the cut" if show_cut and top_p is not None else "")
    return alt.LayerChart(layer=layers, height=HEIGHT, title=title)


def inverse_cdf_chart(bands: pd.DataFrame, draws: pd.DataFrame) -> alt.LayerChart:
    """The CDF as one band per token, with each uniform u drawn at the token it picks.

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
        Bands and the draws on a categorical axis of token names.
    """
    check_frame(bands, "bands", ("token", "position", "cdf_low", "cdf_high"))
    check_frame(draws, "draws", ("draw", "u", "token", "position"))
    tokens = in_order(bands["token"])
    x = alt.X("token:N", sort=tokens, title="token", axis=alt.Axis(labelAngle=0))
    y = alt.Y("cdf_low:Q", title="cumulative probability F / uniform u", scale=alt.Scale(domain=[0, 1]))
    band_layer = alt.Chart(bands).mark_bar(opacity=0.45, color=palette.AFTER_FILTERING).encode(
        x=x, y=y, y2="cdf_high:Q",
        tooltip=[alt.Tooltip("token:N"), alt.Tooltip("cdf_low:Q", title="from u", format=".3f"),
                 alt.Tooltip("cdf_high:Q", title="to u", format=".3f")],
    )
    points = alt.Chart(draws).mark_point(filled=True, size=70, color=palette.BLACK).encode(
        x=x, y="u:Q",
        tooltip=[alt.Tooltip("draw:Q"), alt.Tooltip("u:Q", format=".3f"), alt.Tooltip("token:N")],
    )
    return alt.LayerChart(
        layer=[band_layer, points], height=HEIGHT,
        title="Inverse CDF: each uniform u lands in one token's band",
    )


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
                        scale=alt.Scale(domain=outcomes, range=[palette.ACCEPTED, palette.REJECTED])),
    )
    lines = alt.Chart(curves).mark_line(strokeWidth=2.5).encode(
        x="x:Q",
        y="density:Q",
        strokeDash=alt.StrokeDash("curve:N", sort=names, title=None,
                                  legend=alt.Legend(orient="top", labelLimit=0),
                                  scale=alt.Scale(domain=names, range=[[1, 0], [6, 4]][: len(names)])),
        color=alt.value(palette.BLACK),
    )
    return alt.LayerChart(
        layer=[dots, lines], height=HEIGHT,
        title="Rejection sampling: proposals under the roof, kept when under the density",
    )


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
        alt.Chart(points, title="Importance weight of each draw")
        .mark_circle(size=16, opacity=0.6, color=palette.TARGET)
        .encode(
            x=alt.X("x:Q", title="draw x ~ q"),
            y=alt.Y("weight:Q", title="weight w = p(x) / q(x)"),
            tooltip=[alt.Tooltip("x:Q", format=".3f"), alt.Tooltip("weight:Q", format=".4g")],
        )
        .properties(height=HEIGHT)
    )


def importance_sweep_marks(current_shift: float, exact: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The one-row datasets of :func:`importance_sweep_chart`: the chosen mean, the truth."""
    return pd.DataFrame({"shift": [float(current_shift)]}), pd.DataFrame({"exact": [float(exact)]})


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
    here, exact_row = importance_sweep_marks(current_shift, exact)
    rule = alt.Chart(here).mark_rule(color=palette.BLACK, opacity=0.5).encode(x="shift:Q")
    x = alt.X("shift:Q", title="proposal mean (target mean is 0)")
    def line(colour: str) -> alt.Chart:
        return alt.Chart(sweep).mark_line(color=colour, point=alt.OverlayMarkDef(color=colour, filled=True))

    ess = line(palette.TARGET).encode(
        x=x, y=alt.Y("ess_fraction:Q", title="ESS / n", scale=alt.Scale(domain=[0, 1])),
        tooltip=[alt.Tooltip("shift:Q"), alt.Tooltip("ess_fraction:Q", format=".3f")],
    )
    spread = line(palette.ESTIMATE).encode(
        x=x, y=alt.Y("spread:Q", title="spread (sd) of the estimate", scale=alt.Scale(type="log")),
        tooltip=[alt.Tooltip("shift:Q"), alt.Tooltip("spread:Q", format=".4g")],
    )
    mean = line(palette.MEAN).encode(
        x=x, y=alt.Y("mean_estimate:Q", title="mean of the estimates"),
        tooltip=[alt.Tooltip("shift:Q"), alt.Tooltip("mean_estimate:Q", format=".4g")],
    )
    truth = alt.Chart(exact_row).mark_rule(
        strokeDash=[6, 4], color=palette.EXACT
    ).encode(y="exact:Q")
    size = {"width": 230, "height": HEIGHT - 100}
    return alt.hconcat(
        alt.layer(ess, rule).properties(title="Effective sample size of one run", **size),
        alt.layer(spread, rule).properties(title="Scatter of repeated estimates", **size),
        alt.layer(mean, truth, rule).properties(title="Their average against the truth (dashed)", **size),
    )


def ppo_marks(*, clipped_from: float, clipped_to: float, ratio: float, objective: float) -> list[pd.DataFrame]:
    """The small datasets of :func:`ppo_clip_chart`: the clipped region (none when
    ``clipped_from`` or ``clipped_to`` is nan), then the current point."""
    marks = []
    if not (pd.isna(clipped_from) or pd.isna(clipped_to)):
        marks.append(pd.DataFrame({"start": [float(clipped_from)], "end": [float(clipped_to)],
                                   "label": ["clipped: no gradient"]}))
    marks.append(pd.DataFrame({"ratio": [float(ratio)], "objective": [float(objective)]}))
    return marks


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
    *regions, point = ppo_marks(clipped_from=clipped_from, clipped_to=clipped_to, ratio=ratio, objective=objective)
    for region in regions:
        layers.append(
            alt.Chart(region).mark_rect(opacity=0.15, color=palette.CUT).encode(
                x="start:Q", x2="end:Q", tooltip=[alt.Tooltip("label:N", title="region")]
            )
        )
    layers.append(
        alt.Chart(curves).mark_line(strokeWidth=2.5).encode(
            x=alt.X("ratio:Q", title="ratio r = π_new / π_old"),
            y=alt.Y("objective:Q", title="objective"),
            color=alt.Color("curve:N", sort=names, title=None, legend=alt.Legend(orient="top"),
                            scale=alt.Scale(domain=names, range=[palette.PROPOSAL, palette.TARGET][: len(names)])),
            strokeDash=alt.StrokeDash("curve:N", sort=names, legend=None,
                                      scale=alt.Scale(domain=names, range=[[6, 4], [1, 0]][: len(names)])),
        )
    )
    layers.append(
        alt.Chart(point).mark_point(filled=True, size=90, color=palette.BLACK).encode(
            x="ratio:Q", y="objective:Q",
            tooltip=[alt.Tooltip("ratio:Q", format=".3f"), alt.Tooltip("objective:Q", format=".3f")],
        )
    )
    return alt.LayerChart(layer=layers, height=HEIGHT, title="PPO's clipped objective against the ratio r")



