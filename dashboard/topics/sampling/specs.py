"""The Sampling page's charts as cached Vega-Lite specs, each keyed only on the inputs it draws.

A warm rerun then costs a cache lookup per chart instead of an Altair build and schema
validation (see :func:`dashboard.common.ui.spec_of`).
"""

from __future__ import annotations

import streamlit as st

from dashboard.common.limits import CACHE_ENTRIES
from dashboard.common.ui import Spec, spec_of
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
    view = compute.next_token(*key)
    title = "Each token's probability" if revealed else "Each token's probability at T = 1"
    return spec_of(charts.token_sampling_chart(compute.token_bars(view, revealed=revealed), title=title))


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def top_p_spec(key: TokenKey, revealed: bool) -> Spec:
    """The sorted running mass with the level p and, revealed, the cut."""
    view = compute.next_token(*key)
    return spec_of(charts.top_p_chart(compute.top_p_mass(view), top_p=key[4], show_cut=revealed))


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def inverse_cdf_spec(key: TokenKey, seed: int) -> Spec:
    """The CDF bands of the sampled distribution and the uniforms drawn with ``seed``."""
    view = compute.next_token(*key)
    draws = compute.inverse_cdf(tuple(view.table["token"]), tuple(view.table["p_final"]), seed)
    return spec_of(charts.inverse_cdf_chart(draws.bands, draws.draws))


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def rejection_spec(a: float, b: float, M: float, n_proposals: int, seed: int) -> Spec:
    """Proposals under the roof M over the Beta(a, b) density."""
    view = compute.rejection_view(a, b, M, n_proposals, seed)
    return spec_of(charts.rejection_chart(view.points, view.curves))


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def importance_weights_spec(shift: float, scale: float, n: int, seed: int) -> Spec:
    """The weight of each draw of one importance-sampling run."""
    return spec_of(charts.importance_weights_chart(compute.importance_view(shift, scale, n, seed).points))


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def importance_sweep_spec(shift: float, scale: float, n: int, seed: int) -> Spec:
    """The sweep over proposal means (computed without ``shift``), with ``shift`` marked."""
    sweep = compute.importance_sweep(scale, n, seed)
    exact = compute.importance_view(shift, scale, n, seed).exact
    return spec_of(charts.importance_sweep_chart(sweep, current_shift=shift, exact=exact))


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def ppo_spec(advantage: float, epsilon: float, ratio: float) -> Spec:
    """PPO's objective over the ratio grid, the clipped range shaded, the chosen ratio marked."""
    view = compute.ppo_view(advantage, epsilon, ratio)
    return spec_of(
        charts.ppo_clip_chart(view.curves, clipped_from=view.clipped_from, clipped_to=view.clipped_to,
                              ratio=view.ratio, objective=view.objective)
    )
