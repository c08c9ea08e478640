"""Altair charts for the KL vs JS page, as pure functions of plain DataFrames (no streamlit)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from dashboard.common import palette
from dashboard.common.chart_style import HEIGHT, check_frame, concept_scale, in_order

__all__ = [
    "divergence_sweep_chart",
    "gaussian_densities_chart",
    "integrand_title",
    "kl_integrand_chart",
    "mixture_fit_chart",
    "sweep_ticks",
]

#: Legend label -> concept colour for the divergences (the compute module's labels).
DIVERGENCE_COLOURS = {"KL(P‖Q)": palette.KL, "KL(Q‖P)": palette.KL_REVERSE, "JS(P, Q)": palette.JS}

# The sweep's y axis is linear below _SYMLOG_CONSTANT nats and logarithmic above it,
# with ticks on a 1-2-5 ladder cut at the data's maximum.
_SYMLOG_CONSTANT = 0.1
_SYMLOG_TICKS = [0.0] + [m * 10.0**e for e in range(-1, 7) for m in (1, 2, 5)]

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
    check_frame(curves, "curves", ("x", "density", "distribution"))
    order = in_order(curves["distribution"])
    return (
        alt.Chart(curves)
        .mark_area(opacity=0.45, line=True)
        .encode(
            x=alt.X("x:Q", title="x"),
            y=alt.Y("density:Q", title="density", stack=None),
            color=alt.Color("distribution:N", sort=order, title=None,
                            legend=alt.Legend(orient="top"),
                            scale=concept_scale({"P": palette.P, "Q": palette.Q}, order)),
            tooltip=[
                alt.Tooltip("distribution:N"),
                alt.Tooltip("x:Q", format=".3f"),
                alt.Tooltip("density:Q", format=".4f"),
            ],
        )
        .properties(height=HEIGHT, title="The densities of P and Q")
    )


def sweep_ticks(sweep: pd.DataFrame, js_bound: float) -> tuple[float, ...]:
    """The sweep's y ticks: the 1-2-5 ladder up to the data's maximum (or the bound)."""
    top = float(sweep["nats"].max()) if len(sweep) else 1.0
    return tuple(t for t in _SYMLOG_TICKS if t <= max(top, js_bound))


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
    check_frame(sweep, "sweep", ("separation", "divergence", "nats"))
    order = in_order(sweep["divergence"])
    ticks = list(sweep_ticks(sweep, js_bound))
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
                            scale=concept_scale(DIVERGENCE_COLOURS, order)),
            tooltip=[
                alt.Tooltip("divergence:N"),
                alt.Tooltip("separation:Q", format=".3f"),
                alt.Tooltip("nats:Q", format=".4f"),
            ],
        )
    )
    bound = pd.DataFrame({"nats": [js_bound], "label": [f"ln 2 = {js_bound:.4f}"]})
    bound_rule = alt.Chart(bound).mark_rule(strokeDash=[6, 4], color=palette.BOUND).encode(y="nats:Q")
    bound_text = (
        alt.Chart(bound)
        .mark_text(align="left", dx=4, dy=-8, color=palette.BOUND)
        .encode(y="nats:Q", x=alt.value(0), text="label:N")
    )
    layers: list[alt.Chart] = [lines, bound_rule, bound_text]
    if current_separation is not None:
        here = pd.DataFrame({"separation": [current_separation]})
        layers.append(
            alt.Chart(here)
            .mark_rule(color=palette.GREY, strokeDash=[2, 2])
            .encode(x="separation:Q", tooltip=[alt.Tooltip("separation:Q", title="your inputs",
                                                           format=".3f")])
        )
    return alt.LayerChart(layer=layers, height=HEIGHT, title="KL both ways and JS as the means move apart")


def kl_integrand_chart(integrand: pd.DataFrame, *, kl: float | None) -> alt.LayerChart:
    """The pointwise KL integrand p(x)·log(p(x)/q(x)), shaded: its area is KL(P‖Q).

    Parameters
    ----------
    integrand : pandas.DataFrame
        Columns ``x`` and ``integrand``.
    kl : float or None
        KL(P‖Q) in nats, for the title (None: a title without the number).

    Returns
    -------
    altair.LayerChart
        The area between the curve and zero in KL's colour, with a zero rule.
    """
    check_frame(integrand, "integrand", ("x", "integrand"))
    base = alt.Chart(integrand).encode(
        x=alt.X("x:Q", title="x"),
        tooltip=[alt.Tooltip("x:Q", format=".3f"), alt.Tooltip("integrand:Q", title="p·log(p/q)", format=".4f")],
    )
    area = base.mark_area(opacity=0.35, color=palette.KL, line={"color": palette.KL}).encode(
        y=alt.Y("integrand:Q", title="p(x)·log(p(x)/q(x)), nats"),
    )
    zero = alt.Chart(pd.DataFrame({"y": [0.0]})).mark_rule(color=palette.GREY).encode(y="y:Q")
    return alt.LayerChart(layer=[area, zero], height=HEIGHT, title=integrand_title(kl))


def integrand_title(kl: float | None) -> str:
    """The integrand chart's title, with KL(P‖Q) when it may be shown."""
    return "Where KL(P‖Q) comes from" if kl is None else f"Where KL(P‖Q) = {kl:.4f} nats comes from"


def mixture_fit_chart(curves: pd.DataFrame) -> alt.Chart:
    """A two-mode mixture P and the Gaussians fitted to it by KL(P‖Q) and by KL(Q‖P).

    Parameters
    ----------
    curves : pandas.DataFrame
        Columns ``x``, ``density`` and ``curve``: the mixture first, then the forward
        fit, then the reverse fit.

    Returns
    -------
    altair.Chart
        The mixture shaded in P's colour, each fit a line in its divergence's colour.
    """
    check_frame(curves, "curves", ("x", "density", "curve"))
    order = in_order(curves["curve"])
    colours = dict(zip(order, [palette.P, palette.KL, palette.KL_REVERSE], strict=False))
    return (
        alt.Chart(curves)
        .mark_line(strokeWidth=2.5)
        .encode(
            x=alt.X("x:Q", title="x"),
            y=alt.Y("density:Q", title="density"),
            color=alt.Color("curve:N", sort=order, title=None, legend=alt.Legend(orient="top", labelLimit=300),
                            scale=concept_scale(colours, order)),
            strokeDash=alt.StrokeDash("curve:N", sort=order, legend=None,
                                      scale=alt.Scale(domain=order, range=[[1, 0], [6, 3], [2, 2]][: len(order)])),
            tooltip=[alt.Tooltip("curve:N"), alt.Tooltip("x:Q", format=".3f"), alt.Tooltip("density:Q", format=".4f")],
        )
        .properties(height=HEIGHT, title="One Gaussian fitted to two modes, by each direction of KL")
    )
