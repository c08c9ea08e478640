"""The MCMC page's "Watch it move" section: each run's chains animated over the target.

A fragment: its controls (all chains or one chain step by step, which chain, from which
iteration) rerun only it. Frames are built once per run and choice
(dashboard.topics.mcmc.motion) and kept, so a rerun that does not change the run does
no new work.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from dashboard.common.animation import animation
from dashboard.common.limits import CACHE_ENTRIES
from dashboard.topics.mcmc import compute, motion
from dashboard.topics.mcmc.charts import CHAIN_COLOURS
from dashboard.topics.mcmc.params import MOTION_MODES
from dashboard.topics.mcmc.runs import McmcRun
from dashboard.topics.mcmc.widgets import sync_url, widget

__all__ = ["MOTION_KEYS", "show_motion"]

#: The section's URL keys (declared in params.PARAMS).
MOTION_KEYS = ("motion_mode", "motion_chain", "motion_iter")
#: Pixels of the player, controls included.
HEIGHT = 600


@st.cache_resource(max_entries=CACHE_ENTRIES, show_spinner=False)
def _frames(run_key: str, ranges: tuple[tuple[float, float], ...], detail: bool, chain: int, first: int, *,
            _run: McmcRun, _density: Any) -> dict[str, Any]:
    """The frames of one run, built once per run (``run_key``), ranges and choice."""
    grid = _density["density"].to_numpy().reshape(compute.MCMC_GRID_POINTS, compute.MCMC_GRID_POINTS)
    common = {"names": _run.names[:2], "ranges": ranges, "density": motion.density_layer(grid),
              "colours": CHAIN_COLOURS}
    if detail:
        return motion.detail_frames(_run.trace, chain=chain, first=first, **common)
    return motion.overview_frames(_run.trace, **common)


@st.fragment
def show_motion(kind: str, params: dict[str, Any], done: tuple[McmcRun, ...]) -> None:
    """The section: one player per run over the target's density (first two coordinates)."""
    st.subheader("Watch it move")
    if done[0].trace.draws.shape[2] < 2:
        st.info("A one-dimensional target has no plane to move in; see the trace plots.", icon=":material/info:")
        return
    st.markdown(
        "Press **Play** to see every chain take its steps one iteration at a time over the "
        "target's density (bands: 50%, 90% and 99% of its mass), while the marginal "
        "histograms fill and the running R-hat and bulk ESS settle. Choose one chain to step "
        "through single iterations: each proposal and its verdict, each coordinate update, "
        "each leapfrog point of a NUTS tree as it doubles."
        + (" The plane shows the first two coordinates." if done[0].trace.draws.shape[2] > 2 else "")
    )
    shown: list[str] = []
    col_mode, col_chain, col_iter = st.columns([2, 1, 1])
    detail = widget("motion_mode", col_mode, shown=shown) == MOTION_MODES[1]
    chain = first = 1
    if detail:
        chain = int(widget("motion_chain", col_chain, shown=shown))
        first = int(widget("motion_iter", col_iter, shown=shown))
    sync_url(shown, MOTION_KEYS)
    ranges = compute.mcmc_plot_ranges(kind, params, done)
    view = compute.mcmc_target_view(kind, params, ranges)
    for side, run in enumerate(done):
        if len(done) > 1:
            st.markdown(f"**{run.label}**")
        trace = run.trace
        if trace.moves is None:
            st.info(f"{run.label}: this run kept no moves to animate.", icon=":material/info:")
            continue
        n_kept = trace.moves.n_draws
        c = min(chain, trace.n_chains) - 1  # a chain or iteration past the run's: its last
        i0 = min(first, n_kept) - 1
        frames = _frames(run.key, ranges, detail, c, i0, _run=run, _density=view.density)
        # The overview starts fast (hundreds of iterations), the step-by-step mode slow.
        animation(frames, kind="mcmc", key=f"mcmc-motion-{side}", height=HEIGHT, speed=5 if detail else 30)
        if detail:
            last = min(i0 + motion.DETAIL_ITERATIONS, n_kept)
            st.caption(f"{run.label}: chain {c + 1}, iterations {i0 + 1} to {last} of the {n_kept} "
                       "kept for the animation, one frame per step.")
        else:
            n = frames["n_frames"]
            st.caption(f"{run.label}: the first {n} of {trace.n_draws} kept iterations of each chain; "
                       f"at the starting 30 frames/s they take {n / 30:.0f} s (60 frames/s is the fastest).")
