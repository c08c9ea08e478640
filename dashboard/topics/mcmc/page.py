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
from dashboard.topics.mcmc import compute, runs, views
from dashboard.topics.mcmc.params import (
    PARAMS,
    SECOND,
    TARGET_KEYS,
    option_key,
    sampler_name,
    target_name,
)
from dashboard.topics.mcmc.widgets import read_url, sync_url, widget
from dashboard.ui import show_exercise_links, show_input_error

FRAGMENT_KEYS = ("path_chain", "path_iter")

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
shown: list[str] = []

# ------------------------------------------------------------------ target
st.subheader("Target")
col_target, col_params = st.columns([1, 2])
kind = target_name(widget("target", col_target, shown=shown))
spec = compute.ALL_TARGETS[kind]
params: dict[str, Any] = {}
with col_params:
    if kind == "custom":
        params["logp"] = widget("logp", shown=shown, help=(
            "Numbers, x, y, + − * / **, parentheses, exp, log, sqrt, abs, pi and e. Where it "
            "is undefined the density counts as zero, so log(x) keeps x > 0."))
    keys = TARGET_KEYS[kind]
    cols = st.columns(len(keys))
    for col, (arg, key) in zip(cols, keys.items(), strict=True):
        params[arg] = widget(key, col, shown=shown)
    st.caption(spec.description)

target = None
try:
    target = compute.mcmc_target(kind, params)
except ValueError as exc:
    show_input_error(exc, col_params)


# ------------------------------------------------------------------ samplers
def sampler_controls(side: int) -> runs.RunSettings | None:
    """One side's sampler and the options that apply to it (None if they are invalid)."""
    suffix = SECOND if side else ""
    sampler = sampler_name(widget(f"sampler{suffix}", shown=shown))
    sampler_spec = SAMPLERS[sampler]
    tune = True
    if not sampler_spec.tunable:
        st.caption(sampler_spec.description)
    else:
        tune = widget(f"adapt{suffix}", shown=shown)
    values = {p.name: widget(option_key(sampler, p.name, side), shown=shown)
              for p in sampler_spec.applies(tune)}
    try:
        options = sampler_options(sampler, tune=tune, options=values)
    except ValueError as exc:
        show_input_error(exc)
        return None
    return runs.RunSettings(sampler, tune, tuple(sorted(options.items())), int(n_chains),
                            int(n_warmup), int(n_draws), int(seed))


st.subheader("Samplers")
compare = widget("compare", shown=shown)
col_chains, col_warmup, col_draws, col_seed = st.columns(4)
n_chains = widget("n_chains", col_chains, shown=shown)
n_warmup = widget("n_warmup", col_warmup, shown=shown)
n_draws = widget("n_draws", col_draws, shown=shown)
seed = widget("seed", col_seed, shown=shown)
columns = st.columns(2) if compare else [st.container()]
settings: list[runs.RunSettings | None] = []
for side, where in enumerate(columns):
    with where:
        settings.append(sampler_controls(side))
sync_url(shown, [k for k in PARAMS.keys if k not in FRAGMENT_KEYS])

# ------------------------------------------------------------------ run
now = (kind, tuple(sorted(params.items())), tuple(settings))
bounds = [run_cost(s.sampler, s.n_chains, s.n_draws, s.n_warmup, dict(s.options))
          for s in settings if s is not None]
col_run, col_cost = st.columns([1, 4], vertical_alignment="center")
clicked = col_run.button("Run", key="run", type="primary", icon=":material/play_arrow:")
col_cost.caption(
    f"At most {max(bounds, default=0):,} gradient evaluations per sampler (the limit is "
    f"{MAX_RUN_GRADIENTS:,}: a run above it is refused before it starts)."
)
if clicked or "mcmc_request" not in st.session_state:
    st.session_state["mcmc_request"] = now
request = st.session_state["mcmc_request"]
if request != now:
    st.info("The controls changed since the run below: press **Run** to sample with them.",
            icon=":material/refresh:")

done: list[runs.McmcRun] = []
r_kind, r_params, r_settings = request[0], dict(request[1]), request[2]
if target is not None or request != now:
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
            show_input_error(exc, columns[min(k, len(columns) - 1)])
    progress.empty()

if done:
    views.show_results(r_kind, r_params, done)
show_exercise_links("mcmc")
