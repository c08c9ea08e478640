"""Altair charts for the Moments page, as pure functions of plain DataFrames (no streamlit)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from dashboard.common import palette
from dashboard.common.chart_style import HEIGHT, check_frame

__all__ = [
    "discrete_pmf_chart",
]

# --- Moments page


def discrete_pmf_chart(pmf: pd.DataFrame, *, mean: float | None = None) -> alt.LayerChart:
    """Bars of P(X = x) with an optional rule at E[X].

    Parameters
    ----------
    pmf : pandas.DataFrame
        Columns ``x`` and ``probability``.
    mean : float, optional
        Where to draw the dashed rule marking the expectation.

    Returns
    -------
    altair.LayerChart
        One bar per value. Values may be uneven, so the axis is quantitative (E[X] can
        fall between them), with a tick at each value and nowhere else.
    """
    check_frame(pmf, "pmf", ("x", "probability"))
    values = [float(v) for v in pmf["x"]]
    bars = (
        alt.Chart(pmf)
        .mark_bar(size=18, color=palette.EXACT)
        .encode(
            x=alt.X("x:Q", title="value x", axis=alt.Axis(values=values, format="~g", labelAngle=0, grid=False),
                    scale=alt.Scale(padding=20, nice=False, zero=False)),
            y=alt.Y("probability:Q", title="P(X = x)"),
            tooltip=[alt.Tooltip("x:Q", format=".4g"), alt.Tooltip("probability:Q", format=".4f")],
        )
    )
    layers: list[alt.Chart] = [bars]
    if mean is not None:
        rule = pd.DataFrame({"x": [mean], "label": [f"E[X] = {mean:.3f}"]})
        layers.append(
            alt.Chart(rule)
            .mark_rule(color=palette.MEAN, strokeDash=[6, 4], strokeWidth=2)
            .encode(x="x:Q", tooltip=[alt.Tooltip("label:N", title="expectation")])
        )
    title = "P(X = x)" if mean is None else f"P(X = x), with E[X] = {mean:.3f} dashed"
    return alt.LayerChart(layer=layers, height=HEIGHT, title=title)



