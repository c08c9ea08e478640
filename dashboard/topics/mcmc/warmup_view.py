"""The MCMC page's "Watch the warm-up" section: each run's warm-up played in the browser.

One player per run (side by side when two run), and a button that sets up the same
sampler with Stan's and nutpie's adaptation side by side and samples both.
"""

from __future__ import annotations

import math
from typing import Any

import streamlit as st

from dashboard.common.animation import animation
from dashboard.topics.mcmc.params import PARAMS, stan_vs_fisher
from dashboard.topics.mcmc.runs import McmcRun

__all__ = ["WARMUP_HEIGHT", "show_warmup"]

#: Pixels of one player, controls included.
WARMUP_HEIGHT = 560


def _compare_adaptations() -> None:
    """Button callback: set the controls to stan vs fisher and ask for a fresh run."""
    values = {key: st.session_state[key] for key in PARAMS.keys if key in st.session_state}
    for key, value in stan_vs_fisher(values).items():
        st.session_state[key] = value
    # No request yet: the controls take their new values as the request and sample.
    st.session_state.pop("mcmc_request", None)


def _is_stan_vs_fisher(done: list[McmcRun]) -> bool:
    """Whether the page already shows one sampler with stan (left) and fisher (right)."""
    if len(done) != 2 or done[0].sampler != done[1].sampler:
        return False
    histories = [run.trace.warmup_history for run in done]
    return [None if h is None else h.adaptation for h in histories] == ["stan", "fisher"]


def show_warmup(done: list[McmcRun]) -> None:
    """The section: what warm-up tunes, one player per run, and the stan-vs-fisher button."""
    st.subheader("Watch the warm-up")
    st.markdown(
        "Before the kept draws, every chain spends its warm-up tuning itself: the step size "
        "is pushed until the acceptance rate settles at its target, and the inverse mass "
        "matrix (one scale per coordinate) is re-estimated as adaptation windows (shaded) "
        "close. Stan estimates it from the draws' variance over windows that double in "
        "length; nutpie's *fisher* adaptation from the draws' and the gradients' variances, "
        "updated after every draw. Play a run to see the step size, the acceptance and the "
        "scales settle while the chains find the target."
    )
    if not _is_stan_vs_fisher(done):
        st.button("Compare Stan's and nutpie's adaptation side by side", key="warmup_compare",
                  icon=":material/compare:", on_click=_compare_adaptations,
                  help="Runs the same sampler twice on this target: Stan's adaptation on the "
                  "left, fisher on the right (NUTS if the left sampler is not HMC or NUTS).")
    columns: list[Any] = list(st.columns(len(done))) if len(done) > 1 else [st.container()]
    for side, (where, run) in enumerate(zip(columns, done, strict=True)):
        with where:
            if len(done) > 1:
                st.markdown(f"**{run.label}**")
            if run.warmup is None:
                st.caption(f"{run.label}: no warm-up to show (Gibbs tunes nothing; "
                           "or the run had no warm-up iterations).")
                continue
            animation(run.warmup, kind="warmup", key=f"warmup-animation-{side}", height=WARMUP_HEIGHT, speed=30)
            shown, total = len(run.warmup["iteration"]), run.warmup["n_warmup"]
            st.caption(
                f"{run.label}: {shown} of {total} warm-up iterations as frames (at the starting 30 "
                f"frames/s the whole warm-up plays in {math.ceil(shown / 30)} s)"
                + (" (thinned; every window's closing is a frame)" if shown < total else "")
                + ". Bars: the inverse mass matrix, geometric mean over chains (dots: each chain)"
                + ("; black ticks: the target's variances." if run.warmup["true_var"] is not None else ".")
                + (" Shading follows chain 1's windows (each chain switches on its own)."
                   if run.warmup["adaptation"] == "fisher" else "")
            )
