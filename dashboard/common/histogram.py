"""Histograms of samples on the scale of a density, and the chart drawing them against it."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from dashboard.common import palette
from dashboard.common.chart_style import HEIGHT, check_frame, concept_scale

__all__ = ["EXACT_LABEL", "SAMPLE_LABEL", "density_histogram", "samples_vs_density_chart", "samples_vs_density_rows"]


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



#: Legend labels of the two series, coloured by the palette's SAMPLE and EXACT concepts.
SAMPLE_LABEL, EXACT_LABEL = "sample", "exact"


def samples_vs_density_rows(samples: pd.DataFrame, density: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The two datasets of a continuous :func:`samples_vs_density_chart`, as it draws them
    (each with its ``series`` label), for :func:`dashboard.common.ui.with_rows`."""
    return samples.assign(series=SAMPLE_LABEL), density.assign(series=EXACT_LABEL)


def samples_vs_density_chart(
    samples: pd.DataFrame, density: pd.DataFrame, *, discrete: bool, x_title: str
) -> alt.LayerChart | alt.Chart:
    """Pre-binned samples against the exact pmf or pdf, with a legend saying which is which.

    Parameters
    ----------
    samples : pandas.DataFrame
        Columns ``bin_start``, ``bin_end`` and ``density`` (for a discrete variable: the
        sample proportion of the outcome at the bar's centre).
    density : pandas.DataFrame
        Columns ``x`` and ``density``: the pmf at each outcome or the pdf on a grid.
    discrete : bool
        Outcomes on a categorical axis, sample proportion and exact probability side by
        side (rather than a histogram under a density line).
    x_title : str
        Title of the x axis.

    Returns
    -------
    altair.LayerChart or altair.Chart
        Sample in the palette's SAMPLE colour, exact in its EXACT colour.
    """
    check_frame(samples, "samples", ("bin_start", "bin_end", "density"))
    check_frame(density, "density", ("x", "density"))
    colours = {SAMPLE_LABEL: palette.SAMPLE, EXACT_LABEL: palette.EXACT}
    legend = alt.Legend(orient="top", title=None)
    if discrete:
        return _discrete_chart(samples, density, x_title, colours, legend)
    sample_rows, density_rows = samples_vs_density_rows(samples, density)
    bars = (
        alt.Chart(sample_rows)
        .mark_rect(opacity=0.8)
        .encode(
            x=alt.X("bin_start:Q", title=x_title),
            x2="bin_end:Q",
            y=alt.Y("density:Q", title="density"),
            y2=alt.datum(0),
            color=alt.Color("series:N", scale=concept_scale(colours), legend=legend),
            tooltip=[
                alt.Tooltip("bin_start:Q", title="from", format=".3f"),
                alt.Tooltip("bin_end:Q", title="to", format=".3f"),
                alt.Tooltip("density:Q", title="sample density", format=".4f"),
            ],
        )
    )
    line = alt.Chart(density_rows).mark_line(strokeWidth=2.5).encode(
        x="x:Q", y="density:Q", color=alt.Color("series:N", scale=concept_scale(colours), legend=legend),
        tooltip=[alt.Tooltip("x:Q", format=".3f"), alt.Tooltip("density:Q", title="exact density", format=".4f")],
    )
    return alt.LayerChart(layer=[bars, line], height=HEIGHT, title=f"Sample histogram against the exact density of {x_title}")


def _discrete_chart(samples: pd.DataFrame, density: pd.DataFrame, x_title: str, colours: dict[str, str],
                    legend: alt.Legend) -> alt.Chart:
    outcomes = [f"{v:g}" for v in density["x"]]
    centres = [f"{v:g}" for v in (samples["bin_start"] + samples["bin_end"]) / 2.0]
    frame = pd.concat(
        [pd.DataFrame({"outcome": centres, "series": SAMPLE_LABEL, "value": samples["density"].to_numpy()}),
         pd.DataFrame({"outcome": outcomes, "series": EXACT_LABEL, "value": density["density"].to_numpy()})],
        ignore_index=True,
    )
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("outcome:N", sort=outcomes, title=x_title, axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("series:N", sort=[SAMPLE_LABEL, EXACT_LABEL]),
            y=alt.Y("value:Q", title="proportion (sample) / probability (exact)"),
            color=alt.Color("series:N", sort=[SAMPLE_LABEL, EXACT_LABEL], scale=concept_scale(colours), legend=legend),
            tooltip=[alt.Tooltip("outcome:N"), alt.Tooltip("series:N"), alt.Tooltip("value:Q", format=".4f")],
        )
        .properties(height=HEIGHT, title="Sample proportions against the exact probabilities")
    )
