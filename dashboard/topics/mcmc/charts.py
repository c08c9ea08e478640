"""Altair charts of the MCMC page, pure functions of the frames its compute modules return.

Chains have one colour each on every chart (the same colour for chain k everywhere);
the density chart draws the target's highest-density regions as grey bands, so the
chains' colours stand out, on fixed axis domains with equal aspect, so side-by-side
panels can be compared point for point.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

import altair as alt
import pandas as pd

from dashboard.common.chart_style import check_frame, in_order

__all__ = [
    "CHAIN_COLOURS",
    "add_path",
    "equal_aspect",
    "mcmc_autocorrelation_chart",
    "mcmc_density_chart",
    "mcmc_marginals_chart",
    "mcmc_rank_chart",
    "mcmc_trace_chart",
    "rank_count_max",
    "trace_domains",
]

_HEIGHT = 320
_REGION_ORDER = ["50%", "90%", "99%"]
_REGION_COLOURS = ["#969696", "#cccccc", "#f0f0f0"]  # inner to outer region
_PATH_COLOUR = "#000000"
#: One colour per chain (up to 8), Okabe-Ito's colour-blind-safe palette.
CHAIN_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]


def _chain_colour(chains: pd.Series) -> alt.Color:
    domain = sorted(int(c) for c in pd.unique(chains))
    return alt.Color("chain:N", title="chain", legend=alt.Legend(orient="top"),
                     scale=alt.Scale(domain=domain, range=CHAIN_COLOURS[: len(domain)]))


def equal_aspect(x: tuple[float, float], y: tuple[float, float], size: int) -> tuple[int, int]:
    """Width and height in pixels, the longer side ``size``, one unit as long on both axes.

    Examples
    --------
    >>> equal_aspect((-4.0, 4.0), (-2.0, 2.0), 400)
    (400, 200)
    """
    dx, dy = x[1] - x[0], y[1] - y[0]
    if dx <= 0 or dy <= 0:
        raise ValueError(f"`x` and `y` must be increasing ranges; got {x} and {y}")
    if dx >= dy:
        return size, max(1, round(size * dy / dx))
    return max(1, round(size * dx / dy)), size


def mcmc_density_chart(
    density: pd.DataFrame,
    draws: pd.DataFrame,
    *,
    x_title: str,
    y_title: str,
    x_domain: tuple[float, float],
    y_domain: tuple[float, float],
    size: int = 420,
    path: pd.DataFrame | None = None,
    path_points: pd.DataFrame | None = None,
) -> alt.LayerChart:
    """The target's highest-density regions as shaded bands, with draws and a leapfrog path.

    Parameters
    ----------
    density : pandas.DataFrame
        One row per grid cell: ``x0``, ``x1``, ``y0``, ``y1``, ``density`` and ``region``
        (``"50%"``, ``"90%"``, ``"99%"`` or ``"outside"``, which is not drawn).
    draws : pandas.DataFrame
        ``chain``, ``draw``, ``x``, ``y``: thinned draws, coloured by chain.
    x_title, y_title : str
        Axis titles (the coordinates' names).
    x_domain, y_domain : tuple of float
        The axes' ranges: give every side-by-side panel the same ones.
    size : int, optional
        Pixels of the longer side; the other follows from equal aspect.
    path : pandas.DataFrame, optional
        ``step``, ``x``, ``y``: one transition's leapfrog positions, drawn as a line.
    path_points : pandas.DataFrame, optional
        ``point``, ``x``, ``y``: the transition's start and the draw it returned.

    Returns
    -------
    altair.LayerChart
        Nested regions read as contours holding 50%, 90% and 99% of the mass.
    """
    check_frame(density, "density", ("x0", "x1", "y0", "y1", "density", "region"))
    check_frame(draws, "draws", ("chain", "draw", "x", "y"))
    width, height = equal_aspect(x_domain, y_domain, size)
    x_scale = alt.Scale(domain=list(x_domain), zero=False, nice=False)
    y_scale = alt.Scale(domain=list(y_domain), zero=False, nice=False)
    inside = density[density["region"] != "outside"]
    regions = alt.Chart(inside).mark_rect(clip=True).encode(
        x=alt.X("x0:Q", title=x_title, scale=x_scale), x2="x1:Q",
        y=alt.Y("y0:Q", title=y_title, scale=y_scale), y2="y1:Q",
        fill=alt.Fill("region:N", title="highest-density region", sort=_REGION_ORDER,
                      legend=alt.Legend(orient="top"),
                      scale=alt.Scale(domain=_REGION_ORDER, range=_REGION_COLOURS)),
        tooltip=[alt.Tooltip("region:N"), alt.Tooltip("density:Q", format=".4f")],
    )
    points = alt.Chart(draws).mark_circle(size=14, opacity=0.6, clip=True).encode(
        x=alt.X("x:Q", scale=x_scale), y=alt.Y("y:Q", scale=y_scale),
        color=_chain_colour(draws["chain"]),
        tooltip=[alt.Tooltip("chain:N"), alt.Tooltip("draw:Q"),
                 alt.Tooltip("x:Q", format=".3f"), alt.Tooltip("y:Q", format=".3f")],
    )
    layers: list[alt.Chart] = [regions, points, *_path_layers(path, path_points)]
    # "pad": the plot keeps its size and the legends go around it (a fitted chart squeezes
    # the plot unevenly and breaks equal aspect).
    return alt.LayerChart(layer=layers, width=width, height=height,
                          autosize=alt.AutoSizeParams(type="pad"))


def _path_layers(path: pd.DataFrame | None, path_points: pd.DataFrame | None) -> list[alt.Chart]:
    layers = []
    if path is not None:
        check_frame(path, "path", ("step", "x", "y"))
        layers.append(
            alt.Chart(path)
            .mark_line(point=alt.OverlayMarkDef(size=30, color=_PATH_COLOUR),
                       color=_PATH_COLOUR, strokeWidth=2, clip=True)
            .encode(x="x:Q", y="y:Q", order="step:Q",
                    tooltip=[alt.Tooltip("step:Q", title="leapfrog step"),
                             alt.Tooltip("x:Q", format=".3f"), alt.Tooltip("y:Q", format=".3f")])
        )
    if path_points is not None:
        check_frame(path_points, "path_points", ("point", "x", "y"))
        layers.append(
            alt.Chart(path_points)
            .mark_point(size=160, strokeWidth=3, color="black", clip=True)
            .encode(x="x:Q", y="y:Q",
                    shape=alt.Shape("point:N", title=None, sort=["start", "draw"],
                                    scale=alt.Scale(domain=["start", "draw"],
                                                    range=["square", "diamond"])),
                    tooltip=[alt.Tooltip("point:N"), alt.Tooltip("x:Q", format=".3f"),
                             alt.Tooltip("y:Q", format=".3f")])
        )
    return layers


@functools.cache
def _path_template() -> tuple[dict[str, Any], ...]:
    """The path layers' Vega-Lite dicts, built once (with one-row stand-in data)."""
    path = pd.DataFrame({"step": [0], "x": [0.0], "y": [0.0]})
    points = pd.DataFrame({"point": ["start"], "x": [0.0], "y": [0.0]})
    return tuple(alt.LayerChart(layer=_path_layers(path, points)).to_dict(validate=False)["layer"])


def add_path(spec: dict[str, Any], path: pd.DataFrame, path_points: pd.DataFrame) -> dict[str, Any]:
    """A density chart's Vega-Lite ``spec`` with the path layers of :func:`mcmc_density_chart`
    added: the same chart, without building and validating the large layers again.

    The layers come from a template made once, with the data put inline; building them
    with Altair on every redraw costs about 90 ms. Returns a new dict; ``spec`` (e.g. a
    cached one) is left as it was.
    """
    check_frame(path, "path", ("step", "x", "y"))
    check_frame(path_points, "path_points", ("point", "x", "y"))
    line, ends = _path_template()
    added = [{**line, "data": {"values": path[["step", "x", "y"]].to_dict("records")}},
             {**ends, "data": {"values": path_points[["point", "x", "y"]].to_dict("records")}}]
    return {**spec, "layer": [*spec["layer"], *added]}


def trace_domains(traces: Sequence[pd.DataFrame]) -> dict[str, tuple[float, float]]:
    """Each coordinate's value range over all of ``traces`` (one frame per run), padded by 5%.

    Side by side, both runs' trace plots get these y domains, so a level or a spread can
    be compared across the panels directly.
    """
    values = pd.concat([frame[["coordinate", "value"]] for frame in traces])
    domains = {}
    for name in in_order(values["coordinate"]):
        column = values.loc[values["coordinate"] == name, "value"]
        lo, hi = float(column.min()), float(column.max())
        pad = 0.05 * (hi - lo) if hi > lo else 0.5  # a constant chain still gets a visible range
        domains[name] = (lo - pad, hi + pad)
    return domains


def mcmc_trace_chart(traces: pd.DataFrame, *, width: int = 600,
                     y_domains: Mapping[str, tuple[float, float]] | None = None) -> alt.VConcatChart:
    """Trace plots: each coordinate against the draw index, one line per chain.

    Parameters
    ----------
    traces : pandas.DataFrame
        ``chain``, ``draw``, ``coordinate``, ``value`` (thinned draws).
    width : int, optional
        Width of each panel in pixels (concatenated charts cannot stretch to their container).
    y_domains : mapping of str to (float, float), optional
        Each coordinate's y domain (side by side: :func:`trace_domains` of both runs);
        by default :func:`trace_domains` of ``traces`` alone.

    Returns
    -------
    altair.VConcatChart
        One row per coordinate, each with its own y scale.
    """
    check_frame(traces, "traces", ("chain", "draw", "coordinate", "value"))
    domains = trace_domains([traces]) if y_domains is None else y_domains
    base = (
        alt.Chart()
        .mark_line(strokeWidth=1, opacity=0.8)
        .encode(
            x=alt.X("draw:Q", title="draw (after warm-up)"),
            color=_chain_colour(traces["chain"]),
            tooltip=[alt.Tooltip("chain:N"), alt.Tooltip("draw:Q"),
                     alt.Tooltip("value:Q", format=".3f")],
        )
        .properties(height=140, width=width)
    )
    # One chart per row, not a facet: a facet's rows cannot be given their own domains.
    panels = [
        base.transform_filter(alt.datum.coordinate == name).encode(
            y=alt.Y("value:Q", title=name, scale=alt.Scale(domain=list(domains[name]), zero=False, nice=False)))
        for name in in_order(traces["coordinate"])
    ]
    return alt.vconcat(*panels, data=traces).resolve_scale(y="independent")


def rank_count_max(ranks: Sequence[pd.DataFrame]) -> float:
    """The tallest rank-histogram bar over all of ``ranks`` (one frame per run): the shared y top."""
    return max(float(frame["count"].max()) for frame in ranks)


def mcmc_rank_chart(ranks: pd.DataFrame, *, width: int = 260, count_max: float | None = None) -> alt.FacetChart:
    """Rank plots: per chain (in its colour), the histogram of its draws' ranks among all draws.

    Parameters
    ----------
    ranks : pandas.DataFrame
        ``coordinate``, ``chain``, ``bin_start``, ``bin_end``, ``count`` and ``expected``
        (the count of a perfectly flat histogram).
    width : int, optional
        Width of each panel in pixels.
    count_max : float, optional
        Top of the count axis (side by side: :func:`rank_count_max` of both runs); by
        default the tallest bar of ``ranks``.

    Returns
    -------
    altair.FacetChart
        A grid: chains in rows, coordinates in columns; the dashed line is the flat level.
    """
    check_frame(ranks, "ranks", ("coordinate", "chain", "bin_start", "bin_end", "count", "expected"))
    names = in_order(ranks["coordinate"])
    bars = alt.Chart().mark_rect(opacity=0.85).encode(
        x=alt.X("bin_start:Q", title="rank among all draws"),
        x2="bin_end:Q",
        y=alt.Y("count:Q", title=None,
                scale=alt.Scale(domain=[0, rank_count_max([ranks]) if count_max is None else count_max])),
        y2=alt.datum(0),
        color=_chain_colour(ranks["chain"]),
        tooltip=[alt.Tooltip("chain:N"), alt.Tooltip("bin_start:Q", title="from rank"),
                 alt.Tooltip("bin_end:Q", title="to rank"), alt.Tooltip("count:Q")],
    )
    flat = alt.Chart().mark_rule(strokeDash=[5, 3], color="black").encode(y="mean(expected):Q")
    return (
        alt.layer(bars, flat, data=ranks)
        .properties(height=70, width=width)
        .facet(row=alt.Row("chain:N", title="chain"),
               column=alt.Column("coordinate:N", sort=names, title=None))
    )


def mcmc_autocorrelation_chart(acf: pd.DataFrame, *, width: int = 300) -> alt.FacetChart:
    """Autocorrelation of each chain against the lag, one panel per coordinate.

    Parameters
    ----------
    acf : pandas.DataFrame
        ``coordinate``, ``chain``, ``lag``, ``autocorrelation``.
    width : int, optional
        Width of each panel in pixels.

    Returns
    -------
    altair.FacetChart
    """
    check_frame(acf, "acf", ("coordinate", "chain", "lag", "autocorrelation"))
    names = in_order(acf["coordinate"])
    return (
        alt.Chart(acf)
        .mark_line(point=alt.OverlayMarkDef(size=12))
        .encode(
            x=alt.X("lag:Q", title="lag"),
            y=alt.Y("autocorrelation:Q", title="autocorrelation", scale=alt.Scale(domain=[-1, 1])),
            color=_chain_colour(acf["chain"]),
            tooltip=[alt.Tooltip("chain:N"), alt.Tooltip("lag:Q"),
                     alt.Tooltip("autocorrelation:Q", format=".3f")],
        )
        .properties(height=200, width=width)
        .facet(column=alt.Column("coordinate:N", sort=names, title=None))
    )


def mcmc_marginals_chart(
    histograms: pd.DataFrame, truth: pd.DataFrame, *, width: int = 300
) -> alt.HConcatChart:
    """Pre-binned histograms of the draws under each coordinate's exact marginal density.

    Parameters
    ----------
    histograms : pandas.DataFrame
        ``coordinate``, ``bin_start``, ``bin_end``, ``density``.
    truth : pandas.DataFrame
        ``coordinate``, ``x``, ``density``.
    width : int, optional
        Width of each panel in pixels.

    Returns
    -------
    altair.HConcatChart
        One panel per coordinate: grey bars for the draws, an orange line for the truth.
    """
    check_frame(histograms, "histograms", ("coordinate", "bin_start", "bin_end", "density"))
    check_frame(truth, "truth", ("coordinate", "x", "density"))
    panels = []
    for name in in_order(histograms["coordinate"]):
        bars = alt.Chart(histograms[histograms["coordinate"] == name]).mark_rect(
            color="#9e9e9e", opacity=0.7
        ).encode(
            x=alt.X("bin_start:Q", title=name),
            x2="bin_end:Q",
            y=alt.Y("density:Q", title="density"),
            y2=alt.datum(0),
            tooltip=[alt.Tooltip("bin_start:Q", title="from", format=".3f"),
                     alt.Tooltip("bin_end:Q", title="to", format=".3f"),
                     alt.Tooltip("density:Q", title="draws", format=".4f")],
        )
        line = alt.Chart(truth[truth["coordinate"] == name]).mark_line(
            color="#D55E00", strokeWidth=2.5
        ).encode(x="x:Q", y="density:Q",
                 tooltip=[alt.Tooltip("x:Q", format=".3f"),
                          alt.Tooltip("density:Q", title="exact", format=".4f")])
        panels.append(alt.LayerChart(layer=[bars, line], height=_HEIGHT - 80, width=width))
    return alt.hconcat(*panels)
