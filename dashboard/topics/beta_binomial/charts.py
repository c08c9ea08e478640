"""Altair charts for the Beta-Binomial page, as pure functions of plain DataFrames (no streamlit)."""

from __future__ import annotations

from collections.abc import Iterable

import altair as alt
import pandas as pd

from dashboard.common import palette
from dashboard.common.chart_style import HEIGHT, check_frame, concept_scale, in_order

__all__ = [
    "beta_binomial_chart",
    "interval_frame",
    "posterior_steps_chart",
]


#: Curve name -> concept colour (the compute module's names).
CURVE_COLOURS = {"prior": palette.PRIOR, "posterior": palette.POSTERIOR, "likelihood (normalised)": palette.LIKELIHOOD}
#: Estimate kind -> concept colour.
ESTIMATE_COLOURS = {"mean": palette.MEAN, "MAP": palette.MODE, "MLE": palette.MLE}


def interval_frame(interval: tuple[float, float, float]) -> pd.DataFrame:
    """The credible interval ``(low, high, level)`` as the one row :func:`beta_binomial_chart` shades."""
    low, high, level = interval
    return pd.DataFrame({"low": [low], "high": [high], "label": [f"{level:.0%} credible interval {low:.3f} – {high:.3f}"]})


def beta_binomial_chart(
    curves: pd.DataFrame,
    *,
    dashed: Iterable[str] = (),
    estimates: pd.DataFrame | None = None,
    interval: tuple[float, float, float] | None = None,
) -> alt.Chart | alt.LayerChart:
    """Prior, posterior and likelihood densities of the coin's bias p, estimates marked.

    Parameters
    ----------
    curves : pandas.DataFrame
        Long format with columns ``p``, ``density`` and ``curve`` (the curve's name).
        Curves are drawn in order of first appearance, later ones on top.
    dashed : iterable of str, optional
        Names of curves to draw dashed (a curve that may lie exactly on another).
    estimates : pandas.DataFrame, optional
        Columns ``estimate`` (label), ``kind`` (mean, MAP or MLE), ``p`` and ``density``:
        a rule and a labelled point on the posterior for each.
    interval : tuple of float, optional
        ``(low, high, level)``: the credible interval, shaded under the curves.

    Returns
    -------
    altair.Chart
        One line per curve over p in [0, 1].
    """
    check_frame(curves, "curves", ("p", "density", "curve"))
    order = in_order(curves["curve"])
    dashed = set(dashed)
    dashes = [[6, 4] if name in dashed else [1, 0] for name in order]
    lines = (
        alt.Chart(curves)
        .mark_line(strokeWidth=2.5)
        .encode(
            x=alt.X("p:Q", title="coin bias p = P(heads)", scale=alt.Scale(domain=[0, 1])),
            y=alt.Y("density:Q", title="density"),
            color=alt.Color("curve:N", sort=order, title=None, legend=alt.Legend(orient="top"),
                            scale=concept_scale(CURVE_COLOURS, order)),
            strokeDash=alt.StrokeDash("curve:N", sort=order, legend=None,
                                      scale=alt.Scale(domain=order, range=dashes)),
            tooltip=[
                alt.Tooltip("curve:N"),
                alt.Tooltip("p:Q", format=".3f"),
                alt.Tooltip("density:Q", format=".3f"),
            ],
        )
    )
    layers: list[alt.Chart] = []
    if interval is not None:
        layers.append(alt.Chart(interval_frame(interval)).mark_rect(color=palette.INTERVAL, opacity=0.25).encode(
            x="low:Q", x2="high:Q", tooltip=[alt.Tooltip("label:N", title="interval")]))
    layers.append(lines)
    if estimates is not None and len(estimates):
        check_frame(estimates, "estimates", ("estimate", "kind", "p", "density"))
        kinds = in_order(estimates["kind"])
        colour = alt.Color("kind:N", scale=concept_scale(ESTIMATE_COLOURS, kinds), legend=None)
        marks = alt.Chart(estimates).encode(x="p:Q", color=colour, tooltip=[alt.Tooltip("estimate:N")])
        layers += [
            marks.mark_rule(strokeDash=[2, 2], strokeWidth=1.5).encode(y="density:Q", y2=alt.datum(0)),
            marks.mark_point(filled=True, size=90, shape="diamond").encode(y="density:Q"),
        ]
        # Labels in rows along the top, one per estimate, so close estimates do not overprint.
        layers += [
            marks.transform_filter(alt.datum.kind == kind).mark_text(align="left", dx=4, fontSize=12)
            .encode(y=alt.value(10 + 15 * row), text="estimate:N")
            for row, kind in enumerate(kinds)
        ]
    title = "Prior, likelihood and posterior of the coin's bias"
    if len(layers) == 1:
        return lines.properties(height=HEIGHT, title=title)
    # The estimates' colours are their own scale, not more entries of the curves' legend.
    return alt.LayerChart(layer=layers, height=HEIGHT, title=title).resolve_scale(color="independent")


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
        layer=[base.mark_line(color=palette.POSTERIOR), base.mark_point(filled=True, size=60, color=palette.POSTERIOR)],
        height=HEIGHT, title="Posterior mean after each flip",
    )



