"""Altair charts for the Mutual information page, as pure functions of plain DataFrames (no streamlit)."""

from __future__ import annotations

import json

import altair as alt
import pandas as pd

from dashboard.common import palette
from dashboard.common.chart_style import HEIGHT, check_frame, in_order

__all__ = [
    "information_diagram_chart",
    "joint_heatmaps_chart",
    "mutual_information_sweep_chart",
]

# --- Mutual information page


def _heatmap(title: str, scale: alt.Scale, legend_title: str) -> alt.LayerChart:
    """One panel, drawing the rows of the shared data whose ``panel`` is ``title``.

    The cells are placed in the order of their ``xi`` and ``yi`` columns, not by their
    labels, so one spec serves every grid and a new grid only swaps the data.
    """
    base = alt.Chart().encode(
        x=alt.X("y:O", sort=alt.EncodingSortField(field="yi", op="min"), title="Y",
                axis=alt.Axis(labelAngle=0)),
        y=alt.Y("x:O", sort=alt.EncodingSortField(field="xi", op="min"), title="X"),
        tooltip=[alt.Tooltip("x:N", title="X"), alt.Tooltip("y:N", title="Y"),
                 alt.Tooltip("text:N", title="value")],
    )
    cells = base.transform_filter("!datum.impossible").mark_rect().encode(
        color=alt.Color("shade:Q", scale=scale, title=legend_title,
                        legend=alt.Legend(orient="bottom", titleLimit=0))
    )
    # Pairs that never occur have no colour on the scale: a plain grey, as the caption says.
    impossible = base.transform_filter("datum.impossible").mark_rect(color=palette.LIGHT_GREY)
    # Each cell's printed value (empty where the grid is too fine for numbers to fit).
    layers: list[alt.Chart] = [cells, impossible, base.mark_text(fontSize=11).encode(text="label:N")]
    # One dataset for all three panels: Altair hashes each panel's own data, which is slow.
    # The filter given to the constructor: ``.transform_filter`` would deep-copy the layers.
    return alt.LayerChart(layer=layers, width=220, height=220, title=title,
                          transform=[alt.FilterTransform(filter=f"datum.panel === {json.dumps(title)}")])


def joint_heatmaps_chart(frame: pd.DataFrame, *, clip: float = 3.0) -> alt.HConcatChart:
    """Three heatmaps side by side: the joint, the product of marginals, and the PMI.

    Parameters
    ----------
    frame : pandas.DataFrame
        Columns ``x``, ``y`` (cell labels), ``xi``, ``yi`` (their positions on the
        axes), ``panel`` (three values, in display order: joint, product, PMI),
        ``value`` (nan where a cell has no colour), ``shade`` (the colour value),
        ``impossible`` (bool: drawn grey), ``text`` (the value, in the tooltip) and
        ``label`` (printed on the cell; empty to print nothing).
    clip : float
        The PMI's colour scale runs over [−clip, clip]; values beyond take the end colours.

    Returns
    -------
    altair.HConcatChart
        Each panel has its own colour scale; the PMI's is diverging around 0 (blue:
        more often than independence predicts, orange: less), colour-blind safe. The
        legends name no unit (the page states it beside the chart) and nothing
        depends on the grid's labels, so a change of unit or grid swaps the data only.
    """
    check_frame(frame, "frame", ("x", "y", "xi", "yi", "panel", "value", "shade", "impossible", "text", "label"))
    panels = in_order(frame["panel"])
    if len(panels) != 3:
        raise ValueError(f"`frame` must hold 3 panels (joint, product, PMI); got {panels}")
    frame = frame.assign(impossible=frame["impossible"].astype(bool))
    probability = alt.Scale(scheme="blues", zero=True)
    diverging = alt.Scale(scheme="blueorange", domain=[-clip, clip], reverse=True, clamp=True)
    return alt.hconcat(
        _heatmap(panels[0], probability, "probability"),
        _heatmap(panels[1], probability, "probability"),
        _heatmap(panels[2], diverging, f"PMI (colour clipped to ±{clip:g})"),
        data=frame,
        # Given here, not by ``.resolve_scale``, which would deep-copy all three panels.
        resolve=alt.Resolve(scale=alt.ScaleResolveMap(color="independent")),
    )


def information_diagram_chart(frame: pd.DataFrame, *, unit: str) -> alt.Chart:
    """H(X) and H(Y) as two bars that overlap by I(X; Y), above H(X, Y).

    Parameters
    ----------
    frame : pandas.DataFrame
        Columns ``entropy``, ``part``, ``start``, ``end`` and ``value``.
    unit : str
        "nats" or "bits", for the axis title.

    Returns
    -------
    altair.Chart
        Horizontal segments from ``start`` to ``end``, one row per entropy.
    """
    check_frame(frame, "frame", ("entropy", "part", "start", "end", "value"))
    parts = in_order(frame["part"])
    return (
        alt.Chart(frame, title="H(X) and H(Y) overlap by I(X; Y); together they make H(X, Y)")
        .mark_bar()
        .encode(
            y=alt.Y("entropy:N", sort=in_order(frame["entropy"]), title=None),
            x=alt.X("start:Q", title=unit),
            x2="end:Q",
            color=alt.Color("part:N", sort=parts, title=None, legend=alt.Legend(orient="top"),
                            scale=alt.Scale(domain=parts, range=palette.VENN_COLOURS[: len(parts)])),
            tooltip=[alt.Tooltip("entropy:N"), alt.Tooltip("part:N"), alt.Tooltip("value:Q", format=".4f")],
        )
        # Streamlit fits legend and axes inside this height: leave room for three bars.
        .properties(height=280)
    )


def mutual_information_sweep_chart(
    frame: pd.DataFrame, *, unit: str, current_rho: float | None = None
) -> alt.LayerChart:
    """I(X; Y) against ρ: the closed form and the discretised estimate, with the current ρ.

    Parameters
    ----------
    frame : pandas.DataFrame
        Columns ``rho``, ``curve`` and ``mi``.
    unit : str
        "nats" or "bits", for the axis title.
    current_rho : float, optional
        Draws a vertical rule there.

    Returns
    -------
    altair.LayerChart
        One line per curve.
    """
    check_frame(frame, "frame", ("rho", "curve", "mi"))
    order = in_order(frame["curve"])
    lines = (
        alt.Chart(frame)
        .mark_line(strokeWidth=2.5, point=True)
        .encode(
            x=alt.X("rho:Q", title="correlation ρ", scale=alt.Scale(domain=[-1, 1])),
            y=alt.Y("mi:Q", title=f"I(X; Y), {unit}"),
            color=alt.Color("curve:N", sort=order, title=None, legend=alt.Legend(orient="top"),
                            scale=alt.Scale(domain=order, range=[palette.EXACT, palette.ESTIMATE][: len(order)])),
            tooltip=[alt.Tooltip("curve:N"), alt.Tooltip("rho:Q", format=".3f"),
                     alt.Tooltip("mi:Q", format=".4f")],
        )
    )
    layers: list[alt.Chart] = [lines]
    if current_rho is not None:
        layers.append(
            alt.Chart(pd.DataFrame({"rho": [current_rho]}))
            .mark_rule(color=palette.BLACK, opacity=0.5)
            .encode(x="rho:Q", tooltip=[alt.Tooltip("rho:Q", title="your ρ", format=".3f")])
        )
    return alt.LayerChart(layer=layers, height=HEIGHT, title="I(X; Y) against the correlation ρ")



