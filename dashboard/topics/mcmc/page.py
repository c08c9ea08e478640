"""MCMC page: run Metropolis, Gibbs, HMC or NUTS on a target, alone or two side by side,
and read the contours, traces, rank plots, autocorrelations, marginals and diagnostics.

Sampling happens on the Run button (and once on load, with the URL's or the default
settings); every other control only redraws. The charts are one fragment, so choosing
the chain or iteration of a leapfrog path reruns only them.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from core.mcmc.registry import MAX_RUN_GRADIENTS, SAMPLERS, run_cost, sampler_options
from dashboard.common.exercise_links import show_exercise_links
from dashboard.common.ui import show_input_error, show_stale_chart
from dashboard.topics.mcmc import compute, runs, views
from dashboard.topics.mcmc.motion_view import MOTION_KEYS
from dashboard.topics.mcmc.params import (
    PARAMS,
    SECOND,
    TARGET_KEYS,
    option_key,
    sampler_name,
    target_name,
)
from dashboard.topics.mcmc.widgets import read_url, sync_url, widget

FRAGMENT_KEYS = ("path_chain", "path_iter", *MOTION_KEYS)

st.title("MCMC: watching samplers explore a density")
st.markdown(
    "A Markov chain sampler wanders through a distribution it can only evaluate up to a "
    "constant, and the places it visits become the sample. How well it wanders depends on "
    "how it proposes each step: a blind random walk, one coordinate at a time (Gibbs), or a "
    "trajectory that follows the slope of the log density (HMC and NUTS). Pick a target and "
    "a sampler, press **Run**, then check the chains against each other and against the "
    "truth: chains that disagree, or a small effective sample size, mean the numbers cannot "
    "be trusted yet."
)
for key, message in read_url().items():
    st.warning(f"The link's value for `{key}` was left out: {message}", icon=":material/link_off:")


def target_controls(shown: list[str]) -> tuple[str, dict[str, Any], bool]:
    """The target menu and its parameters; False when core refuses them (said beside them)."""
    st.subheader("Target")
    col_target, col_params = st.columns([1, 2])
    kind = target_name(widget("target", col_target, shown=shown))
    spec = compute.ALL_TARGETS[kind]
    params: dict[str, Any] = {}
    with col_params:
        if kind == "custom":
            params["logp"] = widget("logp", shown=shown, help=(
                "Numbers, x, y, + − * / **, parentheses, exp, log, sqrt, abs, pi and e. Where "
                "it is undefined the density counts as zero, so log(x) keeps x > 0."))
        keys = TARGET_KEYS[kind]
        for col, (arg, key) in zip(st.columns(len(keys)), keys.items(), strict=True):
            params[arg] = widget(key, col, shown=shown)
        st.caption(spec.description)
    try:
        compute.mcmc_target(kind, params)
    except ValueError as exc:
        show_input_error(exc, col_params, page=PARAMS, names={**keys, "logp": "logp"})
        return kind, params, False
    return kind, params, True


def sampler_controls(side: int, sizes: tuple[int, ...], shown: list[str]) -> runs.RunSettings | None:
    """One side's sampler and the options that apply to it (None if they are invalid)."""
    suffix = SECOND if side else ""
    sampler = sampler_name(widget(f"sampler{suffix}", shown=shown))
    sampler_spec = SAMPLERS[sampler]
    tune = True
    if not sampler_spec.tunable:
        st.caption(sampler_spec.description)
    else:
        tune = widget(f"adapt{suffix}", shown=shown)
    names = [p.name for p in sampler_spec.applies(tune)]
    if sampler_spec.adaptations:  # HMC and NUTS: how warm-up learns the mass matrix
        names.append("adaptation")
    values = {name: widget(option_key(sampler, name, side), shown=shown) for name in names}
    try:
        options = sampler_options(sampler, tune=tune, options=values)
    except ValueError as exc:
        show_input_error(exc, page=PARAMS, names={name: option_key(sampler, name, side) for name in names})
        return None
    return runs.RunSettings(sampler, tune, tuple(sorted(options.items())), *sizes)


@st.fragment
def controls() -> None:
    """Every control and the Run button: a change reruns only this, a click the whole page.

    The request (what the results show) is set on load and on Run; until then the
    controls may differ from it, and a note says so.
    """
    shown: list[str] = []
    kind, params, valid = target_controls(shown)
    st.subheader("Samplers")
    compare = widget("compare", shown=shown)
    cols = st.columns(4)
    sizes = tuple(int(widget(key, col, shown=shown))
                  for key, col in zip(("n_chains", "n_warmup", "n_draws", "seed"), cols, strict=True))
    settings = []
    for side, where in enumerate(st.columns(2) if compare else [st.container()]):
        with where:
            settings.append(sampler_controls(side, sizes, shown))
    sync_url(shown, [k for k in PARAMS.keys if k not in FRAGMENT_KEYS])
    now = (kind, tuple(sorted(params.items())), tuple(settings))
    bounds = [run_cost(s.sampler, s.n_chains, s.n_draws, s.n_warmup, dict(s.options))
              for s in settings if s is not None]
    col_run, col_cost = st.columns([1, 4], vertical_alignment="center")
    clicked = col_run.button("Run", key="run", type="primary", icon=":material/play_arrow:")
    col_cost.caption(
        f"At most {max(bounds, default=0):,} gradient evaluations per sampler (the limit is "
        f"{MAX_RUN_GRADIENTS:,}: a run above it is refused before it starts)."
    )
    first = "mcmc_request" not in st.session_state
    if clicked or first:
        st.session_state["mcmc_request"] = now
        st.session_state["mcmc_request_valid"] = valid
        if clicked:
            st.rerun()  # the whole page: sample, then show the new results
    elif st.session_state["mcmc_request"] != now:
        st.info("The controls changed since the run below: press **Run** to sample with them.",
                icon=":material/refresh:")


controls()
done: list[runs.McmcRun] = []
request = st.session_state["mcmc_request"]
r_kind, r_params, r_settings = request[0], dict(request[1]), request[2]
if st.session_state["mcmc_request_valid"]:
    progress = st.progress(0.0)
    for k, run_settings in enumerate(r_settings):
        if run_settings is None:
            continue
        label = SAMPLERS[run_settings.sampler].label
        text = (f"Running {label} ({k + 1} of {len(r_settings)}): {run_settings.n_chains} chains × "
                f"({run_settings.n_warmup} warm-up + {run_settings.n_draws}) iterations.")

        def report(fraction: float, k: int = k, text: str = text) -> None:
            progress.progress((k + fraction) / len(r_settings), text=text)

        report(0.0)
        try:
            done.append(compute.mcmc_run(r_kind, r_params, run_settings, progress=report))
        except ValueError as exc:
            show_input_error(exc, page=PARAMS, names={name: option_key(run_settings.sampler, name, k)
                                                      for name in dict(run_settings.options)})
    progress.empty()

if done:
    views.show_results(r_kind, r_params, done)
else:
    # A run refused for a bad input (said above): the last good density and traces stay, greyed.
    for side in range(len(r_settings)):
        show_stale_chart(f"mcmc-density-{side}")
        show_stale_chart(f"mcmc-trace-{side}")
show_exercise_links("mcmc")
