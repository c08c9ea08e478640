"""KL vs JS page: the two KL divergences and the JS divergence between two Gaussians, where KL
comes from, and one Gaussian fitted to two modes by each direction of KL."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.common import widgets
from dashboard.common.exercise_links import show_exercise_links
from dashboard.common.ui import (
    Metric,
    chart_shape,
    chart_spec,
    format_number,
    metric_row,
    show_chart,
    show_input_error,
    with_data,
    with_rows,
)
from dashboard.practice.reveal import HIDDEN, show_reveal_note
from dashboard.topics.kl_vs_js import charts, compute, mixture_fit
from dashboard.topics.kl_vs_js.params import PARAMS

st.title("KL vs JS: comparing two Gaussians")
widgets.normalise_query(PARAMS)  # before any widget: accept aliases and any case
revealed = show_reveal_note()


def shown(value: float, digits: int) -> str:
    """A computed answer, or the placeholder on a page opened from an exercise before a submission."""
    return format_number(value, digits) if revealed else HIDDEN
st.markdown(
    "P and Q are two bell curves. KL(P‖Q) is the price of describing data from P with Q: "
    "it is large wherever P has mass that Q thinks unlikely, so swapping the roles changes "
    "the number. JS compares both with their average instead, which makes it symmetric "
    "and keeps it below ln 2 nats however far apart the bells are."
)


@st.fragment
def two_gaussians() -> None:
    """P, Q, their divergences, the KL integrand and the sweep: one fragment, so the
    mixture section below is not redrawn when P or Q changes."""
    st.subheader("The two distributions")
    col_p, col_q = st.columns(2)
    with col_p:
        st.markdown("**P = N(μ₁, σ₁²)**")
        mu1 = widgets.number(PARAMS["mu1"])
        sigma1 = widgets.number(PARAMS["sigma1"])
    with col_q:
        st.markdown("**Q = N(μ₂, σ₂²)**: drag μ₂ to move Q away from P")
        mu2 = widgets.slider(PARAMS["mu2"])
        sigma2 = widgets.number(PARAMS["sigma2"])
    try:
        divergences = compute.gaussian_divergences(mu1, sigma1, mu2, sigma2)
        curves = compute.gaussian_curves(mu1, sigma1, mu2, sigma2)
        integrand = compute.kl_integrand(mu1, sigma1, mu2, sigma2)
        separation = abs(mu2 - mu1)
        sweep = compute.divergence_sweep(sigma1, sigma2, compute.sweep_width(sigma1, sigma2, separation))
    except ValueError as exc:
        show_input_error(exc, page=PARAMS)
        return
    st.markdown(f"Distance between the means |μ₂ − μ₁| = **{separation:g}**")
    metric_row([
        Metric("KL(P‖Q), nats", divergences.kl_pq, 4,
               help="Expected log-ratio log p/q under P: what is lost when Q stands in for P."),
        Metric("KL(Q‖P), nats", divergences.kl_qp, 4,
               help="The same with the roles swapped; it differs unless σ₁ = σ₂."),
        Metric("JS(P, Q), nats", divergences.js, 4,
               help="Average KL of P and of Q from their mixture M = (P + Q)/2; symmetric."),
        Metric("JS ceiling ln 2, nats", compute.JS_BOUND_NATS, 4, answer=False,
               help="JS reaches this value only when P and Q do not overlap at all."),
    ], revealed=revealed)
    col_density, col_integrand = st.columns(2)
    # Each chart's spec is built once per shape; a rerun only swaps in the new rows.
    densities = with_data(chart_shape(charts.gaussian_densities_chart, (), curves), curves)
    show_chart(densities, name="gaussian-densities", where=col_density)
    kl_shown = divergences.kl_pq if revealed else None
    where_kl = with_rows(chart_shape(charts.kl_integrand_chart, (), integrand, kl=kl_shown), integrand)
    where_kl["title"] = charts.integrand_title(kl_shown)
    show_chart(where_kl, name="kl-integrand", where=col_integrand)
    col_integrand.caption(
        "Above zero where P is more likely than Q, below where Q is; the signed area is "
        "KL(P‖Q), which is never negative. Most of it sits where P has mass and Q does not."
    )

    st.subheader("Pulling the means apart")
    st.markdown(
        "Q keeps its width while its mean slides away from P's. Both KL curves grow with "
        "the square of the distance; JS rises quickly, then flattens just under the dashed "
        "ln 2 line. The dotted line marks your inputs. The y axis is logarithmic above "
        "0.1 nats, so the bounded and the unbounded curves both stay readable."
    )
    ticks = charts.sweep_ticks(sweep, compute.JS_BOUND_NATS)
    sweep_spec = chart_shape(charts.divergence_sweep_chart, (ticks,), sweep, js_bound=compute.JS_BOUND_NATS,
                             current_separation=separation)
    show_chart(with_rows(sweep_spec, sweep, pd.DataFrame({"separation": [separation]})), name="kl-js-sweep")


@st.fragment
def mixture_section() -> None:
    """One Gaussian fitted to a two-mode mixture by each direction of KL (the course's Q2)."""
    st.subheader("Fitting one Gaussian to two modes: which KL?")
    st.markdown(
        "P now has two modes and Q is a single Gaussian, so Q cannot match P. Minimising "
        "KL(P‖Q) punishes Q wherever P has mass Q lacks: Q spreads to **cover both modes**, "
        "putting mass in the empty gap. Minimising KL(Q‖P) punishes Q wherever Q has mass "
        "P lacks: Q **picks one mode** and ignores the other."
    )
    gap, mode_sd, weight = widgets.row(
        (widgets.slider, PARAMS["gap"]),
        (widgets.slider, PARAMS["mode_sd"]),
        (widgets.slider, PARAMS["weight"]),
    )
    try:
        fits = mixture_fit.mixture_fits(gap, mode_sd, weight)
    except ValueError as exc:
        show_input_error(exc, page=PARAMS, names={"sigma": "mode_sd"})
        return
    metric_row([
        Metric("KL(P‖Q) fit: mean", fits.forward.mu, help="Matches P's mean."),
        Metric("KL(P‖Q) fit: sd", fits.forward.sigma, help="Matches P's standard deviation."),
        Metric("KL(Q‖P) fit: mean", fits.reverse.mu, help="Near one mode when the modes are apart."),
        Metric("KL(Q‖P) fit: sd", fits.reverse.sigma, help="Near that mode's own width."),
    ], revealed=revealed)
    show_chart(chart_spec(charts.mixture_fit_chart, mixture_fit.fit_curves(fits)), name="mixture-fit")
    st.markdown(
        f"The mass-covering fit reaches KL(P‖Q) = {shown(fits.forward.kl_pq, 4)} nats but "
        f"KL(Q‖P) = {shown(fits.forward.kl_qp, 4)}; the mode-seeking fit reaches "
        f"KL(Q‖P) = {shown(fits.reverse.kl_qp, 4)} but KL(P‖Q) = {shown(fits.reverse.kl_pq, 4)}."
    )
    st.markdown(
        "**MLE reading.** Maximum likelihood on data from P minimises KL(P‖Q): a model "
        "trained by MLE is mass-covering, so it also puts probability between the modes "
        "(a blurry average of two answers).  \n"
        "**RLHF reading.** The policy is the first argument of its KL term, KL(π‖π_ref), "
        "the mode-seeking direction: the tuned model may drop whole modes of the "
        "reference and give fewer, more confident kinds of answer."
    )


two_gaussians()
mixture_section()
show_exercise_links("kl-vs-js")
