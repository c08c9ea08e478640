"""MCMC page: run Metropolis, Gibbs, HMC or NUTS on a target, alone or two side by side,
and read the contours, traces, rank plots, autocorrelations, marginals and diagnostics."""

from __future__ import annotations

from typing import Any

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from dashboard import charts, compute
from dashboard.common.exercise_links import show_exercise_links
from dashboard.common.ui import format_number, show_chart, show_input_error

st.title("MCMC: watching samplers explore a density")
st.markdown(
    "A Markov chain sampler wanders through a distribution it can only evaluate up to a "
    "constant, and the places it visits become the sample. How well it wanders depends on "
    "how it proposes each step: a blind random walk, one coordinate at a time (Gibbs), or a "
    "trajectory that follows the slope of the log density (HMC and NUTS). Pick a target and "
    "a sampler, then check the chains against each other and against the truth: chains that "
    "disagree, or a small effective sample size, mean the numbers cannot be trusted yet."
)

# ------------------------------------------------------------------ target
st.subheader("Target")
col_target, col_params = st.columns([1, 2])
kind = col_target.selectbox(
    "Distribution", list(compute.MCMC_TARGETS), format_func=compute.MCMC_TARGETS.get,
    key="target", bind="query-params",
)
params: dict[str, Any] = {}
with col_params:
    if kind == "correlated_gaussian":
        params["rho"] = st.number_input(
            "ρ: correlation of the two coordinates", min_value=-0.999, max_value=0.999,
            value=0.9, step=0.01, format="%.3f", key="rho", bind="query-params",
        )
        st.caption("Near ±1 the density is a thin ridge that small or axis-aligned steps cross slowly.")
    elif kind == "gaussian":
        params["dim"] = st.number_input(
            "d: dimensions", min_value=2, max_value=50, value=10, step=1, key="gauss_dim",
            bind="query-params",
        )
        st.caption("Independent N(0, 1) coordinates: a random walk's steps must shrink as d grows.")
    elif kind == "banana":
        params["b"] = st.number_input(
            "b: curvature", min_value=0.0, max_value=0.2, value=0.03, step=0.01, format="%.3f",
            key="banana_b", bind="query-params",
        )
        st.caption("x₁ ~ N(0, 10²) and x₂ bends along b(x₁² − 100): the long thin arms are hard to reach.")
    elif kind == "mixture":
        col_sep, col_weight = st.columns(2)
        params["separation"] = col_sep.number_input(
            "Distance between the two means", min_value=0.5, max_value=10.0, value=4.0,
            step=0.5, key="mix_sep", bind="query-params",
        )
        params["weight"] = col_weight.number_input(
            "Weight of the right-hand bump", min_value=0.05, max_value=0.95, value=0.5,
            step=0.05, key="mix_weight", bind="query-params",
        )
        st.caption("Two bumps: a chain has to cross the low-density valley between them.")
    elif kind == "funnel":
        col_dim, col_scale = st.columns(2)
        params["dim"] = col_dim.number_input(
            "Dimensions (v and d − 1 xs)", min_value=2, max_value=20, value=10, step=1,
            key="funnel_dim", bind="query-params",
        )
        params["scale"] = col_scale.number_input(
            "Standard deviation of v", min_value=0.5, max_value=5.0, value=3.0, step=0.5,
            key="funnel_scale", bind="query-params",
        )
        st.caption(
            "xᵢ ~ N(0, eᵛ): a wide mouth and a narrow neck. One step size cannot fit both; "
            "HMC and NUTS report divergences in the neck."
        )
    elif kind == "custom":
        params["logp"] = st.text_input(
            "log p(x, y), up to a constant", value=compute.CUSTOM_DEFAULT, key="logp",
            bind="query-params",
            help="Numbers, x, y, + − * / **, parentheses, exp, log, sqrt, abs, pi and e. "
            "Where it is undefined the density counts as zero, so log(x) keeps x > 0.",
        )
        col_x0, col_y0 = st.columns(2)
        params["x0"] = col_x0.number_input(
            "Start near x", min_value=-50.0, max_value=50.0, value=0.0, step=0.5,
            key="custom_x0", bind="query-params",
        )
        params["y0"] = col_y0.number_input(
            "Start near y", min_value=-50.0, max_value=50.0, value=0.0, step=0.5,
            key="custom_y0", bind="query-params",
        )
        st.caption(
            "Chains start within ±2 of this point, where the density must be positive. "
            "HMC and NUTS get the slope by finite differences (four extra evaluations per "
            "gradient), and count a trajectory that runs into a hard edge, like x = 0 for "
            "log(x), as divergent. The default is a ring of radius 2: try a random walk on it."
        )
    else:
        col_a, col_b, col_h, col_t = st.columns(4)
        params["alpha0"] = col_a.number_input(
            "α₀ (prior)", min_value=0.1, max_value=100.0, value=2.0, step=0.5, key="bb_alpha0",
            bind="query-params",
        )
        params["beta0"] = col_b.number_input(
            "β₀ (prior)", min_value=0.1, max_value=100.0, value=2.0, step=0.5, key="bb_beta0",
            bind="query-params",
        )
        params["heads"] = col_h.number_input(
            "heads", min_value=0, max_value=1000, value=4, step=1, key="bb_heads",
            bind="query-params",
        )
        params["tails"] = col_t.number_input(
            "tails", min_value=0, max_value=1000, value=1, step=1, key="bb_tails",
            bind="query-params",
        )
        st.caption(
            "The coin's posterior Beta(α₀ + heads, β₀ + tails), sampled as θ = log(p/(1 − p)) "
            "so the sampler moves on the whole real line. One dimension: no contour plot."
        )

target = None
try:
    target = compute.mcmc_target(kind, params)
except ValueError as exc:
    show_input_error(exc, col_params)


# ------------------------------------------------------------------ samplers
def sampler_controls(where: DeltaGenerator, suffix: str, default: str) -> tuple[str, dict[str, Any]]:
    """The sampler choice and its knobs; ``suffix`` keeps the second sampler's keys apart."""
    names = list(compute.MCMC_SAMPLERS)
    with where:
        sampler = st.selectbox(
            "Sampler", names, index=names.index(default), format_func=compute.MCMC_SAMPLERS.get,
            key=f"sampler{suffix}", bind="query-params",
        )
        knobs: dict[str, Any] = {}
        if sampler == "gibbs":
            st.caption("Gibbs has no knobs: each coordinate is redrawn from its exact conditional.")
            return sampler, knobs
        adapt = st.toggle(
            "Tune in warm-up", value=True, key=f"adapt{suffix}", bind="query-params",
            help="On: the warm-up tunes the step toward the target acceptance rate. Off: "
            "you set the step yourself and it never changes.",
        )
        if sampler == "metropolis":
            knobs["target_accept"] = 0.234
            if adapt:
                knobs["target_accept"] = st.slider(
                    "Target acceptance rate", min_value=0.05, max_value=0.95, value=0.234,
                    step=0.001, format="%.3f", key=f"mh_accept{suffix}", bind="query-params",
                    help="0.234 is optimal for Gaussian-like targets in many dimensions.",
                )
            else:
                knobs["proposal_scale"] = st.number_input(
                    "Proposal scale s (> 0)", min_value=0.0, max_value=50.0, value=0.5,
                    step=0.05, format="%.3f", key=f"mh_scale{suffix}", bind="query-params",
                    help="Each proposal is the current point plus s times a standard normal.",
                )
            return sampler, knobs
        knobs["target_accept"] = 0.8
        if adapt:
            knobs["target_accept"] = st.slider(
                "Target acceptance rate", min_value=0.05, max_value=0.99, value=0.8, step=0.01,
                key=f"accept{suffix}", bind="query-params",
                help="Higher means smaller steps: fewer divergences, more gradient evaluations.",
            )
        else:
            knobs["step_size"] = st.number_input(
                "Step size ε (> 0)", min_value=0.0, max_value=5.0, value=0.2, step=0.01,
                format="%.4f", key=f"step_size{suffix}", bind="query-params",
            )
        if sampler == "hmc":
            knobs["n_leapfrog"] = st.number_input(
                "Leapfrog steps L per iteration (≥ 1)", min_value=0, max_value=200, value=10,
                step=1, key=f"n_leapfrog{suffix}", bind="query-params",
                help="HMC follows L steps of size ε; NUTS chooses the length itself.",
            )
    return sampler, knobs


st.subheader("Samplers")
compare = st.toggle(
    "Side by side: run a second sampler on the same target", value=False, key="compare",
    bind="query-params",
)
columns = st.columns(2) if compare else [st.container()]
settings = [sampler_controls(columns[0], "", "metropolis")]
if compare:
    settings.append(sampler_controls(columns[1], "_b", "nuts"))

col_chains, col_warmup, col_draws, col_seed = st.columns(4)
n_chains = col_chains.number_input(
    "Chains", min_value=2, max_value=8, value=4, step=1, key="n_chains", bind="query-params",
)
n_warmup = col_warmup.number_input(
    "Warm-up iterations per chain", min_value=0, max_value=5000, value=500, step=100,
    key="n_warmup", bind="query-params",
)
n_draws = col_draws.number_input(
    "Kept draws per chain", min_value=20, max_value=5000, value=500, step=100,
    key="n_draws", bind="query-params",
)
seed = col_seed.number_input(
    "Seed", min_value=0, max_value=10_000, value=0, step=1, key="seed", bind="query-params",
)

# ------------------------------------------------------------------ run
runs: list[compute.McmcRun | None] = []
if target is not None:
    progress = st.progress(0.0)
    for k, (sampler, knobs) in enumerate(settings):
        label = compute.MCMC_SAMPLERS[sampler]
        text = (f"Running {label} ({k + 1} of {len(settings)}): {n_chains} chains × "
                f"({n_warmup} warm-up + {n_draws}) iterations. Repeated settings come from "
                "the cache.")

        def report(fraction: float, k: int = k, text: str = text) -> None:
            progress.progress((k + fraction) / len(settings), text=text)

        report(0.0)
        try:
            run = compute.mcmc_run(
                kind, params, sampler, knobs, n_chains, n_warmup, n_draws, seed, progress=report
            )
        except ValueError as exc:
            show_input_error(exc, columns[k])
            run = None
        runs.append(run)
    progress.empty()

done = [run for run in runs if run is not None]
if target is not None and target.dim > 2:
    st.info(
        f"This target has {target.dim} dimensions. The charts show the first two "
        f"coordinates and the table the first {min(target.dim, compute.MCMC_TABLE_COORDINATES)}.",
        icon=":material/info:",
    )


# ------------------------------------------------------------------ diagnostics
def show_diagnostics(run: compute.McmcRun) -> None:
    """Run-level numbers, the per-coordinate table and the flags of one run."""
    st.markdown(f"**{run.label}**")
    m_acc, m_div, m_grad, m_ess = st.columns(4)
    m_acc.metric(
        "Acceptance", format_number(run.acceptance),
        help="Mean acceptance probability of the kept iterations (NUTS: averaged over each "
        "trajectory; Gibbs always accepts).",
    )
    m_div.metric(
        "Divergences", str(run.divergences),
        help="Trajectories whose energy blew up: the step size is too big for some region.",
    )
    m_grad.metric(
        "Gradient evals", f"{run.grad_evals:,}",
        help="Warm-up and sampling, all chains. Metropolis and Gibbs use none.",
    )
    m_ess.metric(
        "ESS / s", format_number(run.ess_per_second, 0),
        help=f"The smallest bulk ESS in the table over the run's wall time ({run.seconds:.2f} s "
        "when it was first computed; cached reruns keep that time).",
    )
    unknown_truth = run.diagnostics["true_mean"].isna().all()  # a typed log density
    st.dataframe(
        run.diagnostics,
        hide_index=True,
        column_order=[c for c in run.diagnostics.columns if not (unknown_truth and c == "true_mean")],
        column_config={
            "coordinate": st.column_config.TextColumn("coordinate"),
            "mean": st.column_config.NumberColumn("mean", format="%.3f"),
            "true_mean": st.column_config.NumberColumn("true mean", format="%.3f"),
            "mcse": st.column_config.NumberColumn("MCSE", format="%.4f"),
            "rhat": st.column_config.NumberColumn("R-hat", format="%.3f"),
            "ess_bulk": st.column_config.NumberColumn("bulk ESS", format="%.0f"),
            "ess_tail": st.column_config.NumberColumn("tail ESS", format="%.0f"),
            "ess_bulk_per_second": st.column_config.NumberColumn("bulk ESS / s", format="%.0f"),
            "flags": st.column_config.TextColumn("flags"),
        },
    )
    if run.flags:
        st.warning(
            f"Not converged by the usual rules (R-hat < {compute.RHAT_FLAG}, ESS ≥ "
            f"{compute.ESS_FLAG:.0f}): " + "; ".join(run.flags),
            icon=":material/warning:",
        )
    if run.divergences:
        st.warning(
            f"{run.divergences} divergent transitions: the draws near them are unreliable. "
            "Raise the target acceptance (smaller steps) and run again; divergences that "
            "remain point at geometry no single step size fits, like the funnel's neck.",
            icon=":material/warning:",
        )


if done:
    st.subheader("Diagnostics")
    st.markdown(
        "R-hat compares the chains with each other (1 means they agree); the effective "
        "sample size (ESS) says how many independent draws the correlated chain is worth, "
        "for the centre of the distribution (bulk) and its 5% tails; MCSE is the "
        "Monte Carlo error of the mean. Rows that break a rule are flagged."
    )
    diag_columns = st.columns(len(runs)) if compare else [st.container()]
    for where, run in zip(diag_columns, runs, strict=True):
        if run is not None:
            with where:
                show_diagnostics(run)

# ------------------------------------------------------------------ charts
if done and target is not None:
    ranges = compute.mcmc_plot_ranges(kind, params, tuple(done))
    view = compute.mcmc_target_view(kind, params, ranges)
    names = done[0].names
    tab_density, tab_trace, tab_rank, tab_acf, tab_marginal = st.tabs(
        ["Density & draws", "Trace plots", "Rank plots", "Autocorrelation", "Marginals vs truth"]
    )

    # Faceted charts cannot stretch, so their panels are sized for one or two columns.
    wide = len(done) == 1
    trace_width, rank_width, acf_width = (700, 300, 330) if wide else (360, 130, 160)

    def side_by_side() -> list[tuple[DeltaGenerator, compute.McmcRun]]:
        """One column per run, headed by the sampler's name, below what the tab shows so far."""
        if len(done) == 1:
            return [(st.container(), done[0])]
        cols = st.columns(len(done))
        for col, run in zip(cols, done, strict=True):
            col.markdown(f"**{run.label}**")
        return list(zip(cols, done, strict=True))

    with tab_density:
        if target.dim < 2:
            st.info("A one-dimensional target has no contour plot; see *Marginals vs truth*.")
        else:
            st.markdown(
                "Shaded bands hold 50%, 90% and 99% of the target's mass; dots are kept "
                "draws (thinned). For HMC and NUTS pick an iteration to see the leapfrog "
                "path it followed, from the previous draw (square) to the new one (diamond)."
            )
            col_chain, col_iter = st.columns(2)
            path_chain = col_chain.number_input(
                "Path of chain", min_value=1, max_value=8, value=1, step=1, key="path_chain",
                bind="query-params",
            )
            path_iter = col_iter.number_input(
                "…at kept iteration", min_value=1, max_value=5000, value=1, step=1,
                key="path_iter", bind="query-params",
            )
            for side, (where, run) in enumerate(side_by_side()):
                with where:
                    path = None
                    try:
                        path = compute.mcmc_leapfrog_path(run, path_chain, path_iter)
                    except ValueError as exc:
                        show_input_error(exc)
                    density_chart = charts.mcmc_density_chart(
                        view.density, run.scatter, x_title=names[0], y_title=names[1],
                        path=None if path is None else path.path,
                        path_points=None if path is None else path.points,
                    )
                    show_chart(density_chart, name=f"mcmc-density-{side}")
                    caption = f"{run.label}: {len(run.scatter)} of {run.trace.n_chains * run.trace.n_draws} draws shown."
                    if path is not None:
                        caption += (f" The path has {path.n_leapfrog} leapfrog steps (paths are "
                                    f"kept for each chain's first {compute.MCMC_PATH_DRAWS} "
                                    "iterations).")
                    elif run.sampler in ("hmc", "nuts"):
                        caption += " Leapfrog paths are kept for 2-D targets only."
                    st.caption(caption)

    with tab_trace:
        st.markdown(
            "Each line is one chain. Healthy chains look like overlapping noise around "
            "a common level; a chain that drifts slowly or sits apart from the others has "
            "not mixed."
        )
        for side, (where, run) in enumerate(side_by_side()):
            with where:
                show_chart(charts.mcmc_trace_chart(run.traces, width=trace_width), name=f"mcmc-trace-{side}")
                if run.thin > 1:
                    st.caption(f"{run.label}: every {run.thin}th draw is drawn.")

    with tab_rank:
        st.markdown(
            "Rank every draw among all chains' draws, then histogram each chain's ranks. "
            "If the chains sample the same distribution each histogram is flat (the dashed "
            "level); a chain stuck high or low piles its ranks at one end."
        )
        for side, (where, run) in enumerate(side_by_side()):
            with where:
                show_chart(charts.mcmc_rank_chart(run.ranks, width=rank_width), name=f"mcmc-rank-{side}")

    with tab_acf:
        st.markdown(
            "How much a draw still resembles the one k steps earlier. The faster this "
            "falls to zero, the more independent information each draw carries and the "
            "larger the ESS."
        )
        for side, (where, run) in enumerate(side_by_side()):
            with where:
                show_chart(charts.mcmc_autocorrelation_chart(run.autocorrelation, width=acf_width), name=f"mcmc-autocorrelation-{side}")

    with tab_marginal:
        source = ("summed from your density on the plotted grid (mass outside it is left out)"
                  if kind == "custom" else "exact, integrated numerically from the target")
        st.markdown(f"Histograms of all kept draws against each coordinate's marginal density ({source}).")
        for side, (where, run) in enumerate(side_by_side()):
            with where:
                marginals_chart = charts.mcmc_marginals_chart(
                    compute.mcmc_histograms(run, ranges), view.marginals, width=acf_width
                )
                show_chart(marginals_chart, name=f"mcmc-marginals-{side}")

show_exercise_links("mcmc")
