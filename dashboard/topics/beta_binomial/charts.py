"""Altair charts for the Beta-Binomial page, as pure functions of plain DataFrames (no streamlit)."""

from __future__ import annotations

from collections.abc import Iterable

import altair as alt
import pandas as pd

from dashboard.common.chart_style import HEIGHT, check_frame, in_order
from dashboard.common.palette import (
    BETA_COLOURS,
)

__all__ = [
    "beta_binomial_chart",
    "posterior_steps_chart",
]


def beta_binomial_chart(curves: pd.DataFrame, *, dashed: Iterable[str] = ()) -> alt.Chart:
    """Prior, posterior and likelihood densities of the coin's bias p.

    Parameters
    ----------
    curves : pandas.DataFrame
        Long format with columns ``p``, ``density`` and ``curve`` (the curve's name).
        Curves are drawn in order of first appearance, later ones on top.
    dashed : iterable of str, optional
        Names of curves to draw dashed (a curve that may lie exactly on another).

    Returns
    -------
    altair.Chart
        One line per curve over p in [0, 1].
    """
    check_frame(curves, "curves", ("p", "density", "curve"))
    order = in_order(curves["curve"])
    dashed = set(dashed)
    dashes = [[6, 4] if name in dashed else [1, 0] for name in order]
    return (
        alt.Chart(curves)
        .mark_line(strokeWidth=2.5)
        .encode(
            x=alt.X("p:Q", title="coin bias p = P(heads)", scale=alt.Scale(domain=[0, 1])),
            y=alt.Y("density:Q", title="density"),
            color=alt.Color("curve:N", sort=order, title=None, legend=alt.Legend(orient="top"),
                            scale=alt.Scale(domain=order, range=BETA_COLOURS[: len(order)])),
            strokeDash=alt.StrokeDash("curve:N", sort=order, legend=None,
                                      scale=alt.Scale(domain=order, range=dashes)),
            tooltip=[
                alt.Tooltip("curve:N"),
                alt.Tooltip("p:Q", format=".3f"),
                alt.Tooltip("density:Q", format=".3f"),
            ],
        )
        .properties(height=HEIGHT)
    )


def posterior_steps_chart(steps: pd.DataFrame) -> alt.LayerChart:
    """The posterior mean after each flip, one point per step.

    Parameters
    ----------
    steps : pandas.DataFrame
        Columns ``step``, ``flip``, ``alpha``, ``beta`` and ``mean``; row 0 is the prior.

    Returns
    -------
    altair.LayerChart
        A line through the means with a labelled point per step.
    """
    check_frame(steps, "steps", ("step", "flip", "alpha", "beta", "mean"))
    base = alt.Chart(steps).encode(
        x=alt.X("step:Q", title="flips seen", axis=alt.Axis(tickMinStep=1)),
        y=alt.Y("mean:Q", title="posterior mean of p", scale=alt.Scale(domain=[0, 1])),
        tooltip=[
            alt.Tooltip("step:Q"),
            alt.Tooltip("flip:N"),
            alt.Tooltip("alpha:Q", format=".4g"),
            alt.Tooltip("beta:Q", format=".4g"),
            alt.Tooltip("mean:Q", format=".3f"),
        ],
    )
    return alt.LayerChart(
        layer=[base.mark_line(), base.mark_point(filled=True, size=60)], height=HEIGHT
    )



