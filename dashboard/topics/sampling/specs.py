"""The Sampling page's charts as cached Vega-Lite specs, each keyed only on the inputs it draws.

Each chart's shape is built once per what it depends on (see
:func:`dashboard.common.ui.chart_shape`: the token names and their order, whether a
region or cut is drawn) and a rerun swaps in the current rows, so a warm rerun costs a
cache lookup per chart, and a changed input an Arrow conversion per dataset instead of
an Altair build.
"""

from __future__ import annotations

import streamlit as st

from dashboard.common.limits import CACHE_ENTRIES
from dashboard.common.ui import Spec, chart_shape, with_data, with_rows
from dashboard.topics.sampling import charts, compute

__all__ = [
    "importance_sweep_spec",
    "importance_weights_spec",
    "inverse_cdf_spec",
    "ppo_spec",
    "rejection_spec",
    "token_spec",
    "top_p_spec",
]

TokenKey = tuple[tuple[str, ...], tuple[float, ...], float, int | None, float | None]


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def token_spec(key: TokenKey, revealed: bool) -> Spec:
    """The next-token bars for ``key`` = (tokens, logits, temperature, top_k, top_p)."""
    bars = compute.token_bars(compute.next_token(*key), revealed=revealed)
    title = "Each token's probability" if revealed else "Each token's probability at T = 1"
    return with_data(chart_shape(charts.token_sampling_chart, (key[0], revealed), bars, title=title), bars)


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def top_p_spec(key: TokenKey, revealed: bool) -> Spec:
    """The sorted running mass with the level p and, revealed, the cut."""
    mass = compute.top_p_mass(compute.next_token(*key))
    marks = charts.top_p_marks(mass, top_p=key[4], show_cut=revealed)
    shape = (tuple(mass["token"]), revealed, key[4] is None, len(marks))
    spec = chart_shape(charts.top_p_chart, shape, mass, top_p=key[4], show_cut=revealed)
    return with_rows(spec, mass, *marks)


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def inverse_cdf_spec(key: TokenKey, seed: int) -> Spec:
    """The CDF bands of the sampled distribution and the uniforms drawn with ``seed``."""
    view = compute.next_token(*key)
    draws = compute.inverse_cdf(tuple(view.table["token"]), tuple(view.table["p_final"]), seed)
    spec = chart_shape(charts.inverse_cdf_chart, (key[0],), draws.bands, draws.draws)
    return with_rows(spec, draws.bands, draws.draws)


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def rejection_spec(a: float, b: float, M: float, n_proposals: int, seed: int) -> Spec:
    """Proposals under the roof M over the Beta(a, b) density."""
    view = compute.rejection_view(a, b, M, n_proposals, seed)
    return with_rows(chart_shape(charts.rejection_chart, (), view.points, view.curves), view.points, view.curves)


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def importance_weights_spec(shift: float, scale: float, n: int, seed: int) -> Spec:
    """The weight of each draw of one importance-sampling run."""
    points = compute.importance_view(shift, scale, n, seed).points
    return with_data(chart_shape(charts.importance_weights_chart, (), points), points)


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def importance_sweep_spec(shift: float, scale: float, n: int, seed: int) -> Spec:
    """The sweep over proposal means (computed without ``shift``), with ``shift`` marked."""
    sweep = compute.importance_sweep(scale, n, seed)
    exact = compute.importance_view(shift, scale, n, seed).exact
    spec = chart_shape(charts.importance_sweep_chart, (), sweep, current_shift=shift, exact=exact)
    return with_rows(spec, sweep, *charts.importance_sweep_marks(shift, exact))


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def ppo_spec(advantage: float, epsilon: float, ratio: float) -> Spec:
    """PPO's objective over the ratio grid, the clipped range shaded, the chosen ratio marked."""
    view = compute.ppo_view(advantage, epsilon, ratio)
    marks = charts.ppo_marks(clipped_from=view.clipped_from, clipped_to=view.clipped_to, ratio=view.ratio,
                             objective=view.objective)
    spec = chart_shape(charts.ppo_clip_chart, (len(marks),), view.curves, clipped_from=view.clipped_from,
                       clipped_to=view.clipped_to, ratio=view.ratio, objective=view.objective)
    return with_rows(spec, view.curves, *marks)
