"""Histograms of samples on the scale of a density, and the chart drawing them against it."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from dashboard.common.chart_style import HEIGHT, check_frame

__all__ = ["density_histogram", "samples_vs_density_chart"]


def density_histogram(samples: np.ndarray, low: float, high: float, bins: int) -> pd.DataFrame:
    """Density histogram on ``bins`` equal cells of [low, high]: count / (N · width).

    Dividing by all N draws (not only those in range) keeps the bars on the scale of the
    density they are drawn against, whatever falls outside the range.
    """
    counts, edges = np.histogram(samples, bins=bins, range=(low, high))
    width = edges[1] - edges[0]
    return pd.DataFrame(
        {"bin_start": edges[:-1], "bin_end": edges[1:], "density": counts / (len(samples) * width)}
    )



def samples_vs_density_chart(
    samples: pd.DataFrame, density: pd.DataFrame, *, discrete: bool, x_title: str
) -> alt.LayerChart:
    """Pre-binned samples as bars under the exact pmf (points) or pdf (a line).

    Parameters
    ----------
    samples : pandas.DataFrame
        Columns ``bin_start``, ``bin_end`` and ``density`` (for a discrete variable: the
        observed frequency of the outcome inside the bar).
    density : pandas.DataFrame
        Columns ``x`` and ``density``: the pmf at each outcome or the pdf on a grid.
    discrete : bool
        Draw the exact values as points on stems (pmf) rather than a line (pdf).
    x_title : str
        Title of the x axis.

    Returns
    -------
    altair.LayerChart
        Grey bars for the samples, orange for the exact distribution.
    """
    check_frame(samples, "samples", ("bin_start", "bin_end", "density"))
    check_frame(density, "density", ("x", "density"))
    bars = (
        alt.Chart(samples)
        .mark_rect(color="#9e9e9e", opacity=0.7)
        .encode(
            x=alt.X("bin_start:Q", title=x_title),
            x2="bin_end:Q",
            y=alt.Y("density:Q", title="frequency" if discrete else "density"),
            y2=alt.datum(0),
            tooltip=[
                alt.Tooltip("bin_start:Q", title="from", format=".3f"),
                alt.Tooltip("bin_end:Q", title="to", format=".3f"),
                alt.Tooltip("density:Q", title="samples", format=".4f"),
            ],
        )
    )
    exact = alt.Chart(density).encode(
        x="x:Q",
        y="density:Q",
        tooltip=[alt.Tooltip("x:Q", format=".3f"), alt.Tooltip("density:Q", title="exact", format=".4f")],
    )
    if discrete:
        layers = [bars, exact.mark_rule(color="#ff7f0e", strokeWidth=2).encode(y2=alt.datum(0)),
                  exact.mark_point(filled=True, size=80, color="#ff7f0e")]
    else:
        layers = [bars, exact.mark_line(color="#ff7f0e", strokeWidth=2.5)]
    return alt.LayerChart(layer=layers, height=HEIGHT)


