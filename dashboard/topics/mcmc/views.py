"""The MCMC page's results: run-level metrics, the diagnostics table, and the chart tabs.

The density tab is an ``st.fragment``: its controls (which chain's and which iteration's
leapfrog path to draw) rerun only its charts, not the page.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import altair as alt
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from dashboard.common import export
from dashboard.common.limits import CACHE_ENTRIES
from dashboard.common.ui import (
    Spec,
    format_number,
    remember_chart,
    show_chart,
    show_input_error,
    spec_of,
)
from dashboard.topics.mcmc import charts, compute, motion_view
from dashboard.topics.mcmc.runs import (
    ESS_FLAG,
    MCMC_PATH_DRAWS,
    MCMC_TABLE_COORDINATES,
    RHAT_FLAG,
    McmcRun,
)
from dashboard.topics.mcmc.warmup_view import show_warmup
from dashboard.topics.mcmc.widgets import sync_url, widget

__all__ = ["show_diagnostics", "show_results"]

#: Diagonal entries of the learnt inverse mass matrix a run's caption lists.
MASS_SHOWN = 4

_COLUMNS = {
    "coordinate": st.column_config.TextColumn("coordinate"),
    "mean": st.column_config.NumberColumn("mean", format="%.3f"),
    "true_mean": st.column_config.NumberColumn("true mean", format="%.3f"),
    "mcse": st.column_config.NumberColumn("MCSE", format="%.4f"),
    "rhat": st.column_config.NumberColumn("R-hat", format="%.3f"),
    "ess_bulk": st.column_config.NumberColumn("bulk ESS", format="%.0f"),
    "ess_tail": st.column_config.NumberColumn("tail ESS", format="%.0f"),
    "ess_bulk_per_second": st.column_config.NumberColumn("bulk ESS / s", format="%.0f"),
    "flags": st.column_config.TextColumn("flags"),
}


def show_diagnostics(run: McmcRun, *, narrow: bool) -> None:
    """Run-level numbers, the per-coordinate table and the flags of one run.

    ``narrow`` (side by side): the four metrics go two to a row, so no label is cut.
    """
    st.markdown(f"**{run.label}**")
    cells = [c for row in ([st.columns(2), st.columns(2)] if narrow else [st.columns(4)]) for c in row]
    cells[0].metric("Acceptance", format_number(run.acceptance),
                    help="Mean acceptance probability of the kept iterations (NUTS: averaged "
                    "over each trajectory; Gibbs always accepts).")
    cells[1].metric("Divergences", str(run.divergences),
                    help="Trajectories whose energy blew up: the step size is too big for some region.")
    cells[2].metric("Gradient evals", f"{run.grad_evals:,}",
                    help="Warm-up and sampling, all chains. Metropolis and Gibbs use none.")
    cells[3].metric("ESS / s", format_number(run.ess_per_second, 0),
                    help=f"The smallest bulk ESS in the table over the run's wall time "
                    f"({run.seconds:.2f} s when it was first computed; repeated runs keep that time).")
    if not math.isnan(run.ess_per_kgrad):
        inv_m = run.trace.inv_metric.mean(axis=0)
        shown = ", ".join(format_number(v) for v in inv_m[:MASS_SHOWN]) + ("…" if len(inv_m) > MASS_SHOWN else "")
        st.caption(
            f"Min bulk ESS per 1,000 gradients after warm-up: **{run.ess_per_kgrad:.1f}**. "
            f"Warm-up left step size ε = {format_number(float(run.trace.step_size.mean()))} and "
            f"inverse mass-matrix diagonal ({shown}) (means over chains)."
        )
    unknown_truth = run.diagnostics["true_mean"].isna().all()  # a typed log density
    st.dataframe(
        run.diagnostics, hide_index=True, column_config=_COLUMNS,
        column_order=[c for c in run.diagnostics.columns if not (unknown_truth and c == "true_mean")],
    )
    if run.flags:
        st.warning(f"Not converged by the usual rules (R-hat < {RHAT_FLAG}, ESS ≥ {ESS_FLAG:.0f}): "
                   + "; ".join(run.flags), icon=":material/warning:")
    if run.divergences:
        st.warning(
            f"{run.divergences} divergent transitions: the draws near them are unreliable. "
            "Raise the target acceptance (smaller steps) and run again; divergences that "
            "remain point at geometry no single step size fits, like the funnel's neck.",
            icon=":material/warning:",
        )


def _side_by_side(done: list[McmcRun]) -> list[tuple[DeltaGenerator, McmcRun]]:
    """One column per run, headed by the sampler's name."""
    if len(done) == 1:
        return [(st.container(), done[0])]
    cols = st.columns(len(done))
    for col, run in zip(cols, done, strict=True):
        col.markdown(f"**{run.label}**")
    return list(zip(cols, done, strict=True))


def show_results(kind: str, params: dict[str, Any], done: list[McmcRun]) -> None:
    """Diagnostics of every run, then the chart tabs (a fragment)."""
    dim = done[0].trace.draws.shape[2]
    if dim > 2:
        st.info(f"This target has {dim} dimensions. The charts show the first two coordinates "
                f"and the table the first {min(dim, MCMC_TABLE_COORDINATES)}.", icon=":material/info:")
    st.subheader("Diagnostics")
    st.markdown(
        "R-hat compares the chains with each other (1 means they agree); the effective "
        "sample size (ESS) says how many independent draws the correlated chain is worth, "
        "for the centre of the distribution (bulk) and its 5% tails; MCSE is the "
        "Monte Carlo error of the mean. Rows that break a rule are flagged."
    )
    for where, run in zip(st.columns(len(done)), done, strict=True):
        with where:
            show_diagnostics(run, narrow=len(done) > 1)
    _charts(kind, params, tuple(done))
    motion_view.show_motion(kind, params, tuple(done))
    show_warmup(done)


def _density_chart(view: compute.McmcTargetView, run: McmcRun, ranges: tuple[tuple[float, float], ...],
                   size: int, path: compute.LeapfrogPath | None = None) -> alt.LayerChart:
    return charts.mcmc_density_chart(
        view.density, run.scatter, x_title=run.names[0], y_title=run.names[1], x_domain=ranges[0],
        y_domain=ranges[1], size=size, path=None if path is None else path.path,
        path_points=None if path is None else path.points,
    )


@st.cache_resource(max_entries=CACHE_ENTRIES, show_spinner=False)
def _density_spec(run_key: str, ranges: tuple[tuple[float, float], ...], size: int, *,
                  _view: compute.McmcTargetView, _run: McmcRun) -> dict[str, Any]:
    """The density chart of a run without a path, as a Vega-Lite dict built and validated
    once; a path is added to it with charts.add_path (never mutated: it is shared)."""
    return _density_chart(_view, _run, ranges, size).to_dict()


def _downloads(build: Callable[[], alt.TopLevelMixin], stem: str) -> None:
    """PNG and CSV buttons for a chart drawn from a cached spec; the chart is built on click."""
    row = st.container(horizontal=True, gap="small")
    row.download_button("PNG", data=lambda: export.chart_png(build()), file_name=f"{stem}.png",
                        mime="image/png", key=f"download-png-{stem}", icon=":material/image:",
                        on_click="ignore", help="Download this chart as a PNG image")
    row.download_button("CSV", data=lambda: export.chart_csv(build()), file_name=f"{stem}.csv",
                        mime="text/csv", key=f"download-csv-{stem}", icon=":material/table:",
                        on_click="ignore", help="Download the data behind this chart as CSV")


@st.fragment
def _density_tab(view: compute.McmcTargetView, done: tuple[McmcRun, ...],
                 ranges: tuple[tuple[float, float], ...]) -> None:
    """Density charts with the leapfrog-path controls: a fragment, so choosing a chain or
    an iteration redraws only these charts."""
    if len(ranges) < 2:
        st.info("A one-dimensional target has no contour plot; see *Marginals vs truth*.")
        return
    with_paths = any(run.trace.trajectories is not None for run in done)
    st.markdown(
        "Grey bands hold 50%, 90% and 99% of the target's mass; dots are kept draws "
        "(thinned), one colour per chain, on the same axes in every panel."
        + (" Pick an iteration to see the leapfrog path it followed, from the previous draw "
           "(square) to the new one (diamond)." if with_paths else "")
    )
    shown: list[str] = []
    chain = iteration = 1
    if with_paths:
        col_chain, col_iter = st.columns(2)
        chain = widget("path_chain", col_chain, shown=shown)
        iteration = widget("path_iter", col_iter, shown=shown)
    sync_url(shown, ("path_chain", "path_iter"))
    for side, (where, run) in enumerate(_side_by_side(list(done))):
        with where:
            path = None
            try:
                path = compute.mcmc_leapfrog_path(run, chain, iteration)
            except ValueError as exc:
                show_input_error(exc)
            size = 480 if len(done) == 1 else 300
            base = _density_spec(run.key, ranges, size, _view=view, _run=run)
            drawn = base if path is None else charts.add_path(base, path.path, path.points)
            remember_chart(f"mcmc-density-{side}", drawn)  # kept, greyed, if the next run is refused
            st.vega_lite_chart(drawn, width="content")
            _downloads(lambda run=run, path=path, size=size: _density_chart(view, run, ranges, size, path),
                       f"mcmc-density-{side}")
            caption = f"{run.label}: {len(run.scatter)} of {run.trace.n_chains * run.trace.n_draws} draws shown."
            if path is not None:
                caption += (f" The path has {path.n_leapfrog} leapfrog steps (paths are kept for "
                            f"each chain's first {MCMC_PATH_DRAWS} iterations).")
            elif run.sampler in ("hmc", "nuts"):
                caption += " Leapfrog paths are kept for 2-D targets only."
            st.caption(caption)


def _charts(kind: str, params: dict[str, Any], done: tuple[McmcRun, ...]) -> None:
    """The five chart tabs; the density tab's controls rerun only that tab (a fragment)."""
    ranges = compute.mcmc_plot_ranges(kind, params, done)
    view = compute.mcmc_target_view(kind, params, ranges)
    tab_density, tab_trace, tab_rank, tab_acf, tab_marginal = st.tabs(
        ["Density & draws", "Trace plots", "Rank plots", "Autocorrelation", "Marginals vs truth"]
    )
    # Faceted charts cannot stretch, so their panels are sized for one or two columns.
    trace_width, rank_width, acf_width = (700, 300, 330) if len(done) == 1 else (360, 130, 160)
    # Side by side, the panels share their y axes (as the density and marginals share ranges).
    trace_domains = charts.trace_domains([run.traces for run in done])
    count_max = charts.rank_count_max([run.ranks for run in done])
    with tab_density:
        _density_tab(view, done, ranges)
    with tab_trace:
        _panels(done, "trace", "Each line is one chain. Healthy chains look like overlapping noise "
                "around a common level; a chain that drifts slowly or sits apart from the others "
                "has not mixed.", (trace_width, tuple(trace_domains.items())),
                lambda run: charts.mcmc_trace_chart(run.traces, width=trace_width, y_domains=trace_domains),
                lambda run: f"{run.label}: every {run.thin}th draw is drawn." if run.thin > 1 else "")
    with tab_rank:
        _panels(done, "rank", "Rank every draw among all chains' draws, then histogram each chain's "
                "ranks. If the chains sample the same distribution each histogram is flat (the "
                "dashed level); a chain stuck high or low piles its ranks at one end.", (rank_width, count_max),
                lambda run: charts.mcmc_rank_chart(run.ranks, width=rank_width, count_max=count_max))
    with tab_acf:
        _panels(done, "autocorrelation", "How much a draw still resembles the one k steps earlier. "
                "The faster this falls to zero, the more independent information each draw "
                "carries and the larger the ESS.", (acf_width,),
                lambda run: charts.mcmc_autocorrelation_chart(run.autocorrelation, width=acf_width))
    with tab_marginal:
        source = ("summed from your density on the plotted grid (mass outside it is left out)"
                  if kind == "custom" else "exact, integrated numerically from the target")
        _panels(done, "marginals", "Histograms of all kept draws against each coordinate's "
                f"marginal density ({source}).", (acf_width, ranges, kind, tuple(sorted(params.items()))),
                lambda run: charts.mcmc_marginals_chart(compute.mcmc_histograms(run, ranges),
                                                        view.marginals, width=acf_width))


@st.cache_data(max_entries=8 * CACHE_ENTRIES, show_spinner=False)
def _panel_spec(name: str, run_key: str, shape: tuple[Any, ...], _build: Callable[[], alt.TopLevelMixin]) -> Spec:
    """The spec of one run's chart ``name``, built once per run (``run_key``) and whatever
    else it draws (``shape``): a change of a control that waits for Run redraws it from cache."""
    return spec_of(_build())


def _panels(done: tuple[McmcRun, ...], name: str, intro: str, shape: tuple[Any, ...],
            chart: Callable[[McmcRun], Any], caption: Callable[[McmcRun], str] = lambda run: "") -> None:
    """One tab: its explanation, then one chart (and caption) per run, side by side.

    ``shape`` holds every input of ``chart`` besides the run, for the spec cache's key.
    """
    st.markdown(intro)
    for side, (where, run) in enumerate(_side_by_side(list(done))):
        with where:
            spec = _panel_spec(name, run.key, shape, _build=lambda run=run: chart(run))
            show_chart(spec, name=f"mcmc-{name}-{side}")
            text = caption(run)
            if text:
                st.caption(text)
