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
import numpy as np
import pandas as pd

__all__ = [
    "MAX_ROWS",
    "beta_binomial_chart",
    "cramer_rao_chart",
    "cross_entropy_decomposition_chart",
    "discrete_pmf_chart",
    "divergence_sweep_chart",
    "gaussian_densities_chart",
    "gradient_paths_chart",
    "importance_sweep_chart",
    "importance_weights_chart",
    "information_diagram_chart",
    "inverse_cdf_chart",
    "joint_heatmaps_chart",
    "kfac_error_chart",
    "kfac_matrices_chart",
    "log_likelihood_chart",
    "mutual_information_sweep_chart",
    "posterior_steps_chart",
    "ppo_clip_chart",
    "rejection_chart",
    "samples_vs_density_chart",
    "simplex_chart",
    "token_probabilities_chart",
    "token_sampling_chart",
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
        One bar per value (values may be uneven, so the x axis is quantitative).
    """
    _check_frame(pmf, "pmf", ("x", "probability"))
    bars = (
        alt.Chart(pmf)
        .mark_bar(size=18)
        .encode(
            x=alt.X("x:Q", title="value x"),
            y=alt.Y("probability:Q", title="P(X = x)"),
            tooltip=[alt.Tooltip("x:Q", format=".4g"), alt.Tooltip("probability:Q", format=".4f")],
        )
    )
    layers: list[alt.Chart] = [bars]
    if mean is not None:
        rule = pd.DataFrame({"x": [mean], "label": [f"E[X] = {mean:.3f}"]})
        layers.append(
            alt.Chart(rule)
            .mark_rule(color="#d62728", strokeDash=[6, 4], strokeWidth=2)
            .encode(x="x:Q", tooltip=[alt.Tooltip("label:N", title="expectation")])
        )
    return alt.LayerChart(layer=layers, height=_HEIGHT)


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
    _check_frame(samples, "samples", ("bin_start", "bin_end", "density"))
    _check_frame(density, "density", ("x", "density"))
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
    return alt.LayerChart(layer=layers, height=_HEIGHT)


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
    _check_frame(grid, "grid", ("x", "y", "pi1", "pi2", "pi3", "density"))
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
        _check_frame(samples, "samples", ("x", "y"))
        layers.append(
            alt.Chart(samples)
            .mark_circle(size=12, color="white", stroke="black", strokeWidth=0.5, opacity=0.8)
            .encode(x=alt.X("x:Q", scale=x_scale), y=alt.Y("y:Q", scale=y_scale))
        )
    return alt.LayerChart(layer=layers, height=_SIMPLEX_HEIGHT, width=_SIMPLEX_WIDTH)


# --- Entropy & perplexity page

_TOKEN_COLOURS = ["#1f77b4", "#ff7f0e"]  # P (data), Q (model)
_PART_COLOURS = ["#1f77b4", "#d62728"]  # H(P), KL(P‖Q)


def token_probabilities_chart(frame: pd.DataFrame) -> alt.Chart:
    """P and Q over the vocabulary as grouped bars.

    Parameters
    ----------
    frame : pandas.DataFrame
        Columns ``token``, ``distribution`` and ``probability``.

    Returns
    -------
    altair.Chart
        For each token, one bar per distribution side by side.
    """
    _check_frame(frame, "frame", ("token", "distribution", "probability"))
    tokens = _in_order(frame["token"])
    order = _in_order(frame["distribution"])
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("token:N", sort=tokens, title="token"),
            xOffset=alt.XOffset("distribution:N", sort=order),
            y=alt.Y("probability:Q", title="probability", scale=alt.Scale(domain=[0, 1])),
            color=alt.Color("distribution:N", sort=order, title=None, legend=alt.Legend(orient="top"),
                            scale=alt.Scale(domain=order, range=_TOKEN_COLOURS[: len(order)])),
            tooltip=[alt.Tooltip("token:N"), alt.Tooltip("distribution:N"),
                     alt.Tooltip("probability:Q", format=".4f")],
        )
        .properties(height=_HEIGHT)
    )


def cross_entropy_decomposition_chart(frame: pd.DataFrame, *, unit: str) -> alt.Chart:
    """H(P, Q) as a stacked bar of H(P) and KL(P‖Q), one bar per temperature.

    Parameters
    ----------
    frame : pandas.DataFrame
        Columns ``temperature`` (a label), ``part``, ``value`` and ``current`` (True on
        the bars of the chosen temperature, drawn opaque; the others are faded).
    unit : str
        "nats" or "bits", for the axis title.

    Returns
    -------
    altair.Chart
        Stacked bars; each bar's total height is the cross-entropy.
    """
    _check_frame(frame, "frame", ("temperature", "part", "value", "current"))
    parts = _in_order(frame["part"])
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("temperature:N", sort=_in_order(frame["temperature"]), title="model temperature"),
            y=alt.Y("value:Q", stack="zero", title=f"cross-entropy H(P, Q), {unit}"),
            color=alt.Color("part:N", sort=parts, title=None, legend=alt.Legend(orient="top"),
                            scale=alt.Scale(domain=parts, range=_PART_COLOURS[: len(parts)])),
            order=alt.Order("part_order:Q"),
            opacity=alt.condition("datum.current", alt.value(1.0), alt.value(0.45)),
            tooltip=[alt.Tooltip("temperature:N"), alt.Tooltip("part:N"),
                     alt.Tooltip("value:Q", format=".4f")],
        )
        .transform_calculate(part_order=f"indexof({parts!r}, datum.part)")
        .properties(height=_HEIGHT)
    )


# --- Mutual information page


def _heatmap(frame: pd.DataFrame, title: str, scheme: str, *, diverging: bool) -> alt.LayerChart:
    xs, ys = _in_order(frame["x"]), _in_order(frame["y"])
    scale = (
        alt.Scale(scheme=scheme, domainMid=0) if diverging else alt.Scale(scheme=scheme, zero=True)
    )
    base = alt.Chart(frame, title=title).encode(
        x=alt.X("y:O", sort=ys, title="Y"),
        y=alt.Y("x:O", sort=xs, title="X"),
        tooltip=[alt.Tooltip("x:N", title="X"), alt.Tooltip("y:N", title="Y"),
                 alt.Tooltip("text:N", title="value")],
    )
    cells = base.mark_rect().encode(
        color=alt.Color("value:Q", scale=scale, title=None, legend=alt.Legend(orient="bottom"))
    )
    layers: list[alt.Chart] = [cells]
    if len(xs) * len(ys) <= 36:  # print the numbers only where they fit
        layers.append(base.mark_text(fontSize=11).encode(text="text:N"))
    return alt.LayerChart(layer=layers, width=220, height=220)


def joint_heatmaps_chart(frame: pd.DataFrame) -> alt.HConcatChart:
    """Three heatmaps side by side: the joint, the product of marginals, and the PMI.

    Parameters
    ----------
    frame : pandas.DataFrame
        Columns ``x``, ``y`` (cell labels), ``panel`` (three values, in display order:
        joint, product, PMI), ``value`` (nan where a cell has no colour) and ``text``.

    Returns
    -------
    altair.HConcatChart
        Each panel has its own colour scale; the PMI's is diverging around 0.
    """
    _check_frame(frame, "frame", ("x", "y", "panel", "value", "text"))
    panels = _in_order(frame["panel"])
    if len(panels) != 3:
        raise ValueError(f"`frame` must hold 3 panels (joint, product, PMI); got {panels}")
    joint, product, pmi = (frame[frame["panel"] == name] for name in panels)
    return alt.hconcat(
        _heatmap(joint, panels[0], "blues", diverging=False),
        _heatmap(product, panels[1], "blues", diverging=False),
        _heatmap(pmi, panels[2], "redblue", diverging=True),
    ).resolve_scale(color="independent")


_VENN_COLOURS = ["#1f77b4", "#9467bd", "#ff7f0e"]  # H(X|Y), I(X;Y), H(Y|X)


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
    _check_frame(frame, "frame", ("entropy", "part", "start", "end", "value"))
    parts = _in_order(frame["part"])
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y("entropy:N", sort=_in_order(frame["entropy"]), title=None),
            x=alt.X("start:Q", title=unit),
            x2="end:Q",
            color=alt.Color("part:N", sort=parts, title=None, legend=alt.Legend(orient="top"),
                            scale=alt.Scale(domain=parts, range=_VENN_COLOURS[: len(parts)])),
            tooltip=[alt.Tooltip("entropy:N"), alt.Tooltip("part:N"), alt.Tooltip("value:Q", format=".4f")],
        )
        # Streamlit fits legend and axes inside this height: leave room for three bars.
        .properties(height=220)
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
    _check_frame(frame, "frame", ("rho", "curve", "mi"))
    order = _in_order(frame["curve"])
    lines = (
        alt.Chart(frame)
        .mark_line(strokeWidth=2.5, point=True)
        .encode(
            x=alt.X("rho:Q", title="correlation ρ", scale=alt.Scale(domain=[-1, 1])),
            y=alt.Y("mi:Q", title=f"I(X; Y), {unit}"),
            color=alt.Color("curve:N", sort=order, title=None, legend=alt.Legend(orient="top"),
                            scale=alt.Scale(domain=order, range=_PAIR_COLOURS[: len(order)])),
            tooltip=[alt.Tooltip("curve:N"), alt.Tooltip("rho:Q", format=".3f"),
                     alt.Tooltip("mi:Q", format=".4f")],
        )
    )
    layers: list[alt.Chart] = [lines]
    if current_rho is not None:
        layers.append(
            alt.Chart(pd.DataFrame({"rho": [current_rho]}))
            .mark_rule(color="black", opacity=0.5)
            .encode(x="rho:Q", tooltip=[alt.Tooltip("rho:Q", title="your ρ", format=".3f")])
        )
    return alt.LayerChart(layer=layers, height=_HEIGHT)


# --- Sampling page

_STAGE_COLOURS = ["#9ecae1", "#08519c"]  # after temperature, after filtering
_OUTCOME_COLOURS = ["#2ca02c", "#d62728"]  # accepted, rejected
_CURVE_COLOURS = ["#1f77b4", "#7f7f7f", "#ff7f0e", "#2ca02c"]  # generic, in order


def token_sampling_chart(bars: pd.DataFrame) -> alt.Chart:
    """Each token's probability after temperature and after top-k/top-p, side by side.

    Parameters
    ----------
    bars : pandas.DataFrame
        Long format with ``token``, ``stage``, ``probability`` and ``kept`` (bool);
        tokens keep their row order on the x axis.

    Returns
    -------
    altair.Chart
        Grouped bars; tokens outside the kept set are faded.
    """
    _check_frame(bars, "bars", ("token", "stage", "probability", "kept"))
    stages = _in_order(bars["stage"])
    tokens = _in_order(bars["token"])
    return (
        alt.Chart(bars)
        .mark_bar()
        .encode(
            x=alt.X("token:N", sort=tokens, title="token", axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("stage:N", sort=stages),
            y=alt.Y("probability:Q", title="probability", scale=alt.Scale(domain=[0, 1])),
            color=alt.Color("stage:N", sort=stages, title=None,
                            legend=alt.Legend(orient="top", labelLimit=0),
                            scale=alt.Scale(domain=stages, range=_STAGE_COLOURS[: len(stages)])),
            opacity=alt.condition("datum.kept", alt.value(1.0), alt.value(0.35)),
            tooltip=[
                alt.Tooltip("token:N"),
                alt.Tooltip("stage:N"),
                alt.Tooltip("probability:Q", format=".4f"),
                alt.Tooltip("kept:N"),
            ],
        )
        .properties(height=_HEIGHT)
    )


def inverse_cdf_chart(bands: pd.DataFrame, draws: pd.DataFrame) -> alt.LayerChart:
    """The CDF as stacked bands per token, with each uniform u drawn at the token it picks.

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
        Bands, the CDF's steps, a dotted line from the axis to each draw, and the draws.
    """
    _check_frame(bands, "bands", ("token", "position", "cdf_low", "cdf_high"))
    _check_frame(draws, "draws", ("draw", "u", "token", "position"))
    x_scale = alt.Scale(domain=[-0.6, float(len(bands)) - 0.4])
    x = alt.X("position:Q", title="token index", axis=alt.Axis(tickMinStep=1), scale=x_scale)
    band_layer = (
        alt.Chart(bands)
        .transform_calculate(left="datum.position - 0.4", right="datum.position + 0.4")
        .mark_rect(opacity=0.35, color="#1f77b4")
        .encode(
            x=alt.X("left:Q", title="token index", scale=x_scale),
            x2="right:Q",
            y=alt.Y("cdf_low:Q", title="cumulative probability F / uniform u",
                    scale=alt.Scale(domain=[0, 1])),
            y2="cdf_high:Q",
            tooltip=[alt.Tooltip("token:N"), alt.Tooltip("cdf_low:Q", format=".3f"),
                     alt.Tooltip("cdf_high:Q", format=".3f")],
        )
    )
    steps = alt.Chart(bands).mark_line(interpolate="step-after", color="#08519c").encode(
        x=x, y=alt.Y("cdf_high:Q")
    )
    guides = (
        alt.Chart(draws)
        .transform_calculate(start="-0.6")
        .mark_rule(strokeDash=[2, 3], color="#d62728", opacity=0.6)
        .encode(x=alt.X("start:Q", scale=x_scale), x2="position:Q", y="u:Q")
    )
    points = alt.Chart(draws).mark_point(filled=True, size=70, color="#d62728").encode(
        x=x, y="u:Q",
        tooltip=[alt.Tooltip("draw:Q"), alt.Tooltip("u:Q", format=".3f"), alt.Tooltip("token:N")],
    )
    return alt.LayerChart(layer=[band_layer, steps, guides, points], height=_HEIGHT)


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
    _check_frame(points, "points", ("x", "height", "outcome"))
    _check_frame(curves, "curves", ("x", "density", "curve"))
    outcomes = ["accepted", "rejected"]
    names = _in_order(curves["curve"])
    dots = alt.Chart(points).mark_circle(size=14, opacity=0.6).encode(
        x=alt.X("x:Q", title="x", scale=alt.Scale(domain=[0, 1])),
        y=alt.Y("height:Q", title="density / u·M·q(x)"),
        color=alt.Color("outcome:N", title=None, legend=alt.Legend(orient="top"),
                        scale=alt.Scale(domain=outcomes, range=_OUTCOME_COLOURS)),
    )
    lines = alt.Chart(curves).mark_line(strokeWidth=2.5).encode(
        x="x:Q",
        y="density:Q",
        strokeDash=alt.StrokeDash("curve:N", sort=names, title=None,
                                  legend=alt.Legend(orient="top"),
                                  scale=alt.Scale(domain=names, range=[[1, 0], [6, 4]][: len(names)])),
        color=alt.value("black"),
    )
    return alt.LayerChart(layer=[dots, lines], height=_HEIGHT)


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
    _check_frame(points, "points", ("x", "weight"))
    return (
        alt.Chart(points)
        .mark_circle(size=16, opacity=0.6, color="#1f77b4")
        .encode(
            x=alt.X("x:Q", title="draw x ~ q"),
            y=alt.Y("weight:Q", title="weight w = p(x) / q(x)"),
            tooltip=[alt.Tooltip("x:Q", format=".3f"), alt.Tooltip("weight:Q", format=".4g")],
        )
        .properties(height=_HEIGHT)
    )


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
    _check_frame(sweep, "sweep", ("shift", "ess_fraction", "spread", "mean_estimate"))
    here = pd.DataFrame({"shift": [current_shift]})
    rule = alt.Chart(here).mark_rule(color="black", opacity=0.5).encode(x="shift:Q")
    x = alt.X("shift:Q", title="proposal mean (target mean is 0)")
    ess = alt.Chart(sweep).mark_line(color="#2ca02c", point=alt.OverlayMarkDef(color="#2ca02c", filled=True)).encode(
        x=x, y=alt.Y("ess_fraction:Q", title="ESS / n", scale=alt.Scale(domain=[0, 1])),
        tooltip=[alt.Tooltip("shift:Q"), alt.Tooltip("ess_fraction:Q", format=".3f")],
    )
    spread = alt.Chart(sweep).mark_line(color="#d62728", point=alt.OverlayMarkDef(color="#d62728", filled=True)).encode(
        x=x, y=alt.Y("spread:Q", title="spread (sd) of the estimate", scale=alt.Scale(type="log")),
        tooltip=[alt.Tooltip("shift:Q"), alt.Tooltip("spread:Q", format=".4g")],
    )
    mean = alt.Chart(sweep).mark_line(color="#1f77b4", point=alt.OverlayMarkDef(color="#1f77b4", filled=True)).encode(
        x=x, y=alt.Y("mean_estimate:Q", title="mean of the estimates"),
        tooltip=[alt.Tooltip("shift:Q"), alt.Tooltip("mean_estimate:Q", format=".4g")],
    )
    truth = alt.Chart(pd.DataFrame({"exact": [exact]})).mark_rule(
        strokeDash=[6, 4], color="gray"
    ).encode(y="exact:Q")
    size = {"width": 230, "height": _HEIGHT - 100}
    return alt.hconcat(
        alt.layer(ess, rule).properties(**size),
        alt.layer(spread, rule).properties(**size),
        alt.layer(mean, truth, rule).properties(**size),
    )


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
    _check_frame(curves, "curves", ("ratio", "curve", "objective"))
    names = _in_order(curves["curve"])
    layers: list[alt.Chart] = []
    if not (pd.isna(clipped_from) or pd.isna(clipped_to)):
        region = pd.DataFrame({"start": [clipped_from], "end": [clipped_to],
                               "label": ["clipped: no gradient"]})
        layers.append(
            alt.Chart(region).mark_rect(opacity=0.15, color="#d62728").encode(
                x="start:Q", x2="end:Q", tooltip=[alt.Tooltip("label:N", title="region")]
            )
        )
    layers.append(
        alt.Chart(curves).mark_line(strokeWidth=2.5).encode(
            x=alt.X("ratio:Q", title="ratio r = π_new / π_old"),
            y=alt.Y("objective:Q", title="objective"),
            color=alt.Color("curve:N", sort=names, title=None, legend=alt.Legend(orient="top"),
                            scale=alt.Scale(domain=names, range=["#7f7f7f", "#1f77b4"][: len(names)])),
            strokeDash=alt.StrokeDash("curve:N", sort=names, legend=None,
                                      scale=alt.Scale(domain=names, range=[[6, 4], [1, 0]][: len(names)])),
        )
    )
    point = pd.DataFrame({"ratio": [ratio], "objective": [objective]})
    layers.append(
        alt.Chart(point).mark_point(filled=True, size=90, color="black").encode(
            x="ratio:Q", y="objective:Q",
            tooltip=[alt.Tooltip("ratio:Q", format=".3f"), alt.Tooltip("objective:Q", format=".3f")],
        )
    )
    return alt.LayerChart(layer=layers, height=_HEIGHT)


# --- Fisher information page


def log_likelihood_chart(curves: pd.DataFrame, *, mle: float) -> alt.LayerChart:
    """ℓ(θ) − ℓ(θ̂) for several sample sizes and the quadratic at the MLE.

    Parameters
    ----------
    curves : pandas.DataFrame
        ``theta``, ``curve``, ``log_likelihood``; a curve whose name starts with
        "quadratic" is dashed.
    mle : float
        Marked with a vertical rule.

    Returns
    -------
    altair.LayerChart
    """
    _check_frame(curves, "curves", ("theta", "curve", "log_likelihood"))
    names = _in_order(curves["curve"])
    dashes = [[6, 4] if name.startswith("quadratic") else [1, 0] for name in names]
    lines = alt.Chart(curves).mark_line(strokeWidth=2.5).encode(
        x=alt.X("theta:Q", title="parameter θ"),
        y=alt.Y("log_likelihood:Q", title="log-likelihood ℓ(θ) − ℓ(θ̂)"),
        color=alt.Color("curve:N", sort=names, title=None, legend=alt.Legend(orient="top"),
                        scale=alt.Scale(domain=names, range=_CURVE_COLOURS[: len(names)])),
        strokeDash=alt.StrokeDash("curve:N", sort=names, legend=None,
                                  scale=alt.Scale(domain=names, range=dashes)),
        tooltip=[alt.Tooltip("curve:N"), alt.Tooltip("theta:Q", format=".4f"),
                 alt.Tooltip("log_likelihood:Q", format=".3f")],
    )
    rule = alt.Chart(pd.DataFrame({"theta": [mle]})).mark_rule(color="black", opacity=0.4).encode(
        x="theta:Q"
    )
    return alt.LayerChart(layer=[lines, rule], height=_HEIGHT)


def cramer_rao_chart(histogram: pd.DataFrame, bound_curve: pd.DataFrame) -> alt.LayerChart:
    """Histogram of simulated MLEs under the normal curve whose variance is the bound.

    Parameters
    ----------
    histogram : pandas.DataFrame
        ``bin_start``, ``bin_end``, ``density``.
    bound_curve : pandas.DataFrame
        ``x``, ``density``.

    Returns
    -------
    altair.LayerChart
    """
    _check_frame(histogram, "histogram", ("bin_start", "bin_end", "density"))
    _check_frame(bound_curve, "bound_curve", ("x", "density"))
    bars = alt.Chart(histogram).mark_rect(opacity=0.6, color="#1f77b4").encode(
        x=alt.X("bin_start:Q", title="maximum-likelihood estimate p̂"),
        x2="bin_end:Q",
        y=alt.Y("density:Q", title="density"),
        tooltip=[alt.Tooltip("bin_start:Q", format=".4f"), alt.Tooltip("bin_end:Q", format=".4f"),
                 alt.Tooltip("density:Q", format=".3f")],
    )
    curve = alt.Chart(bound_curve).mark_line(color="#d62728", strokeWidth=2.5).encode(
        x="x:Q", y="density:Q"
    )
    return alt.LayerChart(layer=[bars, curve], height=_HEIGHT)


def gradient_paths_chart(landscape: pd.DataFrame, paths: pd.DataFrame) -> alt.LayerChart:
    """Plain and natural gradient paths over a banded heatmap of the negative log-likelihood.

    Parameters
    ----------
    landscape : pandas.DataFrame
        ``mu``, ``sigma``, ``nll`` on a regular mesh.
    paths : pandas.DataFrame
        ``method``, ``step``, ``mu``, ``sigma``, ``loss``.

    Returns
    -------
    altair.LayerChart
        The heatmap's colours are quantised into bands, which read as filled contours.
    """
    _check_frame(landscape, "landscape", ("mu", "sigma", "nll"))
    _check_frame(paths, "paths", ("method", "step", "mu", "sigma", "loss"))
    mus = np.sort(landscape["mu"].unique())
    sigmas = np.sort(landscape["sigma"].unique())
    dmu = float(mus[1] - mus[0]) if len(mus) > 1 else 1.0
    dsigma = float(sigmas[1] - sigmas[0]) if len(sigmas) > 1 else 1.0
    heat = (
        alt.Chart(landscape)
        .transform_calculate(
            mu0=f"datum.mu - {dmu / 2}", mu1=f"datum.mu + {dmu / 2}",
            s0=f"datum.sigma - {dsigma / 2}", s1=f"datum.sigma + {dsigma / 2}",
        )
        .mark_rect()
        .encode(
            x=alt.X("mu0:Q", title="μ", scale=alt.Scale(zero=False, nice=False)),
            x2="mu1:Q",
            y=alt.Y("s0:Q", title="σ", scale=alt.Scale(zero=False, nice=False)),
            y2="s1:Q",
            color=alt.Color("nll:Q", title="avg NLL",
                            scale=alt.Scale(type="quantile", scheme="greys", reverse=True)),
            tooltip=[alt.Tooltip("mu:Q", format=".3f"), alt.Tooltip("sigma:Q", format=".3f"),
                     alt.Tooltip("nll:Q", format=".4f")],
        )
    )
    methods = _in_order(paths["method"])
    lines = alt.Chart(paths).mark_line(point=True, strokeWidth=2).encode(
        x="mu:Q",
        y="sigma:Q",
        order="step:Q",
        color=alt.Color("method:N", sort=methods, title=None, legend=alt.Legend(orient="top"),
                        scale=alt.Scale(domain=methods, range=["#ff7f0e", "#1f77b4"][: len(methods)])),
        tooltip=[alt.Tooltip("method:N"), alt.Tooltip("step:Q"), alt.Tooltip("mu:Q", format=".3f"),
                 alt.Tooltip("sigma:Q", format=".3f"), alt.Tooltip("loss:Q", format=".4f")],
    )
    return alt.LayerChart(layer=[heat, lines], height=_HEIGHT + 80)


def kfac_matrices_chart(matrices: pd.DataFrame) -> alt.Chart:
    """The exact Fisher and its K-FAC approximation as heatmaps side by side.

    Parameters
    ----------
    matrices : pandas.DataFrame
        ``row``, ``col``, ``matrix``, ``value``.

    Returns
    -------
    altair.Chart
        Faceted by ``matrix``, one diverging colour scale shared by both.
    """
    _check_frame(matrices, "matrices", ("row", "col", "matrix", "value"))
    names = _in_order(matrices["matrix"])
    return (
        alt.Chart(matrices)
        .mark_rect()
        .encode(
            x=alt.X("col:O", title=None, axis=None),
            y=alt.Y("row:O", title=None, axis=None),
            color=alt.Color("value:Q", title="entry", scale=alt.Scale(scheme="redblue", domainMid=0,
                                                                      reverse=True)),
            tooltip=[alt.Tooltip("matrix:N"), alt.Tooltip("row:O"), alt.Tooltip("col:O"),
                     alt.Tooltip("value:Q", format=".4f")],
        )
        .properties(width=260, height=260)
        .facet(column=alt.Column("matrix:N", sort=names, title=None))
    )


def kfac_error_chart(sweep: pd.DataFrame, *, current_scale: float) -> alt.LayerChart:
    """K-FAC's relative error against the scale of the weights.

    Parameters
    ----------
    sweep : pandas.DataFrame
        ``weight_scale``, ``relative_error``.
    current_scale : float
        Marked with a vertical rule.

    Returns
    -------
    altair.LayerChart
    """
    _check_frame(sweep, "sweep", ("weight_scale", "relative_error"))
    line = alt.Chart(sweep).mark_line(color="#9467bd", point=alt.OverlayMarkDef(color="#9467bd", filled=True)).encode(
        x=alt.X("weight_scale:Q", title="weight scale"),
        y=alt.Y("relative_error:Q", title="‖F − G ⊗ A‖ / ‖F‖"),
        tooltip=[alt.Tooltip("weight_scale:Q"), alt.Tooltip("relative_error:Q", format=".4f")],
    )
    rule = alt.Chart(pd.DataFrame({"weight_scale": [current_scale]})).mark_rule(
        color="black", opacity=0.5
    ).encode(x="weight_scale:Q")
    return alt.LayerChart(layer=[line, rule], height=_HEIGHT - 60)
