"""Altair charts for the dashboard, as pure functions of plain DataFrames.

No streamlit here: each function takes the DataFrame a :mod:`dashboard.compute`
wrapper returns and gives back an Altair chart, so the charts can be tested (and
exported) without a running app. Every row of a chart's data is sent to the browser,
so each function refuses data longer than :data:`MAX_ROWS`; the compute wrappers
build small grids on purpose.
"""

from __future__ import annotations

from collections.abc import Iterable

import altair as alt
import pandas as pd

__all__ = [
    "MAX_ROWS",
    "beta_binomial_chart",
    "divergence_sweep_chart",
    "gaussian_densities_chart",
    "posterior_steps_chart",
]

#: Largest DataFrame a chart accepts (Altair's own default limit is 5000 rows).
MAX_ROWS = 5000

_HEIGHT = 320

# Colour ranges, matched to categories in order of first appearance in the data.
_BETA_COLOURS = ["#7f7f7f", "#1f77b4", "#ff7f0e"]  # prior, posterior, likelihood
_PAIR_COLOURS = ["#1f77b4", "#ff7f0e"]  # P, Q
_SWEEP_COLOURS = ["#1f77b4", "#9467bd", "#d62728"]  # KL(P‖Q), KL(Q‖P), JS
# The sweep's y axis is linear below _SYMLOG_CONSTANT nats and logarithmic above it,
# with ticks on a 1-2-5 ladder cut at the data's maximum.
_SYMLOG_CONSTANT = 0.1
_SYMLOG_TICKS = [0.0] + [m * 10.0**e for e in range(-1, 7) for m in (1, 2, 5)]


def _check_frame(data: pd.DataFrame, name: str, columns: Iterable[str]) -> None:
    """Raise ValueError unless ``data`` is a DataFrame with ``columns`` and few enough rows."""
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"`{name}` must be a pandas DataFrame, got {type(data).__name__}")
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise ValueError(f"`{name}` is missing column(s) {missing}; has {list(data.columns)}")
    if len(data) > MAX_ROWS:
        raise ValueError(
            f"`{name}` has {len(data)} rows; thin it to at most {MAX_ROWS} before charting"
        )


def _in_order(values: pd.Series) -> list[str]:
    """Category names in order of first appearance (legend and colour order)."""
    return [str(v) for v in pd.unique(values)]


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
    _check_frame(curves, "curves", ("p", "density", "curve"))
    order = _in_order(curves["curve"])
    dashed = set(dashed)
    dashes = [[6, 4] if name in dashed else [1, 0] for name in order]
    return (
        alt.Chart(curves)
        .mark_line(strokeWidth=2.5)
        .encode(
            x=alt.X("p:Q", title="coin bias p = P(heads)", scale=alt.Scale(domain=[0, 1])),
            y=alt.Y("density:Q", title="density"),
            color=alt.Color("curve:N", sort=order, title=None, legend=alt.Legend(orient="top"),
                            scale=alt.Scale(domain=order, range=_BETA_COLOURS[: len(order)])),
            strokeDash=alt.StrokeDash("curve:N", sort=order, legend=None,
                                      scale=alt.Scale(domain=order, range=dashes)),
            tooltip=[
                alt.Tooltip("curve:N"),
                alt.Tooltip("p:Q", format=".3f"),
                alt.Tooltip("density:Q", format=".3f"),
            ],
        )
        .properties(height=_HEIGHT)
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
    _check_frame(steps, "steps", ("step", "flip", "alpha", "beta", "mean"))
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
        layer=[base.mark_line(), base.mark_point(filled=True, size=60)], height=_HEIGHT
    )


def gaussian_densities_chart(curves: pd.DataFrame) -> alt.Chart:
    """The densities of P and Q, shaded so their overlap shows.

    Parameters
    ----------
    curves : pandas.DataFrame
        Long format with columns ``x``, ``density`` and ``distribution``.

    Returns
    -------
    altair.Chart
        One translucent area per distribution.
    """
    _check_frame(curves, "curves", ("x", "density", "distribution"))
    order = _in_order(curves["distribution"])
    return (
        alt.Chart(curves)
        .mark_area(opacity=0.45, line=True)
        .encode(
            x=alt.X("x:Q", title="x"),
            y=alt.Y("density:Q", title="density", stack=None),
            color=alt.Color("distribution:N", sort=order, title=None,
                            legend=alt.Legend(orient="top"),
                            scale=alt.Scale(domain=order, range=_PAIR_COLOURS[: len(order)])),
            tooltip=[
                alt.Tooltip("distribution:N"),
                alt.Tooltip("x:Q", format=".3f"),
                alt.Tooltip("density:Q", format=".4f"),
            ],
        )
        .properties(height=_HEIGHT)
    )


def divergence_sweep_chart(
    sweep: pd.DataFrame, *, js_bound: float, current_separation: float | None = None
) -> alt.LayerChart:
    """KL both ways and JS against the distance between the means, with the JS bound.

    Parameters
    ----------
    sweep : pandas.DataFrame
        Long format with columns ``separation``, ``divergence`` and ``nats``.
    js_bound : float
        Where to draw the horizontal rule JS never crosses (ln 2 in nats).
    current_separation : float, optional
        Draws a vertical rule at the separation of the current inputs.

    Returns
    -------
    altair.LayerChart
        Lines on a symmetric-log y axis (linear below 0.1 nats, logarithmic above), so
        the bounded JS and the growing KL are both readable.
    """
    _check_frame(sweep, "sweep", ("separation", "divergence", "nats"))
    order = _in_order(sweep["divergence"])
    top = float(sweep["nats"].max()) if len(sweep) else 1.0
    ticks = [t for t in _SYMLOG_TICKS if t <= max(top, js_bound)]
    lines = (
        alt.Chart(sweep)
        .mark_line(strokeWidth=2.5)
        .encode(
            x=alt.X("separation:Q", title="distance between the means |μ₂ − μ₁|"),
            y=alt.Y("nats:Q", title="divergence (nats, symlog scale)",
                    scale=alt.Scale(type="symlog", constant=_SYMLOG_CONSTANT),
                    axis=alt.Axis(values=ticks, format="~r", labelOverlap="greedy")),
            color=alt.Color("divergence:N", sort=order, title=None,
                            legend=alt.Legend(orient="top"),
                            scale=alt.Scale(domain=order, range=_SWEEP_COLOURS[: len(order)])),
            tooltip=[
                alt.Tooltip("divergence:N"),
                alt.Tooltip("separation:Q", format=".3f"),
                alt.Tooltip("nats:Q", format=".4f"),
            ],
        )
    )
    bound = pd.DataFrame({"nats": [js_bound], "label": [f"ln 2 = {js_bound:.4f}"]})
    bound_rule = alt.Chart(bound).mark_rule(strokeDash=[6, 4], color="gray").encode(y="nats:Q")
    bound_text = (
        alt.Chart(bound)
        .mark_text(align="left", dx=4, dy=-8, color="gray")
        .encode(y="nats:Q", x=alt.value(0), text="label:N")
    )
    layers: list[alt.Chart] = [lines, bound_rule, bound_text]
    if current_separation is not None:
        here = pd.DataFrame({"separation": [current_separation]})
        layers.append(
            alt.Chart(here)
            .mark_rule(color="black", opacity=0.5)
            .encode(x="separation:Q", tooltip=[alt.Tooltip("separation:Q", title="your inputs",
                                                           format=".3f")])
        )
    return alt.LayerChart(layer=layers, height=_HEIGHT)
