"""Altair charts for the Distributions page, as pure functions of plain DataFrames (no streamlit)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from dashboard.common.chart_style import check_frame

__all__ = [
    "simplex_chart",
]

# --- Distributions page

_SIMPLEX_HEIGHT = 340
_SIMPLEX_WIDTH = round(_SIMPLEX_HEIGHT * 1.2 / 1.066)


def simplex_chart(grid: pd.DataFrame, samples: pd.DataFrame | None = None) -> alt.LayerChart:
    """The Dirichlet density on the triangle as coloured squares, with optional draws.

    Parameters
    ----------
    grid : pandas.DataFrame
        Columns ``x``, ``y`` (points of the triangle with vertices (0, 0), (1, 0),
        (½, √3/2)), ``pi1``, ``pi2``, ``pi3`` and ``density``.
    samples : pandas.DataFrame, optional
        Columns ``x`` and ``y`` of draws, drawn as small dots.

    Returns
    -------
    altair.LayerChart
        A square chart without axes; the corners are labelled π₁, π₂, π₃.
    """
    check_frame(grid, "grid", ("x", "y", "pi1", "pi2", "pi3", "density"))
    # Equal units on both axes (so the triangle is equilateral): the x span 1.2 over
    # _SIMPLEX_WIDTH pixels matches the y span 1.066 over _SIMPLEX_HEIGHT pixels.
    x_scale = alt.Scale(domain=[-0.1, 1.1], nice=False)
    y_scale = alt.Scale(domain=[-0.1, 0.966], nice=False)
    heat = (
        alt.Chart(grid)
        .mark_square(size=70, opacity=0.95)
        .encode(
            x=alt.X("x:Q", scale=x_scale, axis=None),
            y=alt.Y("y:Q", scale=y_scale, axis=None),
            color=alt.Color("density:Q", scale=alt.Scale(scheme="viridis"), title="density"),
            tooltip=[
                alt.Tooltip("pi1:Q", title="π₁", format=".3f"),
                alt.Tooltip("pi2:Q", title="π₂", format=".3f"),
                alt.Tooltip("pi3:Q", title="π₃", format=".3f"),
                alt.Tooltip("density:Q", format=".3f"),
            ],
        )
    )
    corners = pd.DataFrame(
        {"x": [0.0, 1.0, 0.5], "y": [-0.05, -0.05, 0.9], "label": ["π₁ = 1", "π₂ = 1", "π₃ = 1"]}
    )
    labels = alt.Chart(corners).mark_text(fontSize=13).encode(
        x=alt.X("x:Q", scale=x_scale), y=alt.Y("y:Q", scale=y_scale), text="label:N"
    )
    layers: list[alt.Chart] = [heat, labels]
    if samples is not None:
        check_frame(samples, "samples", ("x", "y"))
        layers.append(
            alt.Chart(samples)
            .mark_circle(size=12, color="white", stroke="black", strokeWidth=0.5, opacity=0.8)
            .encode(x=alt.X("x:Q", scale=x_scale), y=alt.Y("y:Q", scale=y_scale))
        )
    return alt.LayerChart(layer=layers, height=_SIMPLEX_HEIGHT, width=_SIMPLEX_WIDTH)



