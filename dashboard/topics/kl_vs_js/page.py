"""KL vs JS page: the two KL divergences and the JS divergence between two Gaussians."""

from __future__ import annotations

import streamlit as st

from dashboard.common import widgets
from dashboard.common.exercise_links import show_exercise_links
from dashboard.common.ui import format_number, show_chart, show_input_error
from dashboard.topics.kl_vs_js import charts, compute
from dashboard.topics.kl_vs_js.params import PARAMS

st.title("KL vs JS: comparing two Gaussians")
widgets.normalise_query(PARAMS)  # before any widget: accept aliases and any case
st.markdown(
    "P and Q are two bell curves. KL(P‖Q) is the price of describing data from P with Q: "
    "it is large wherever P has mass that Q thinks unlikely, so swapping the roles changes "
    "the number. JS compares both with their average instead, which makes it symmetric "
    "and keeps it below ln 2 nats however far apart the bells are. The chart at the "
    "bottom drags Q away from P and shows KL climbing without limit while JS levels off."
)

st.subheader("The two distributions")
col_p, col_q = st.columns(2)
with col_p:
    st.markdown("**P = N(μ₁, σ₁²)**")
    mu1 = widgets.number(PARAMS["mu1"])
    sigma1 = widgets.number(PARAMS["sigma1"])
with col_q:
    st.markdown("**Q = N(μ₂, σ₂²)**")
    mu2 = widgets.number(PARAMS["mu2"])
    sigma2 = widgets.number(PARAMS["sigma2"])

try:
    divergences = compute.gaussian_divergences(mu1, sigma1, mu2, sigma2)
    curves = compute.gaussian_curves(mu1, sigma1, mu2, sigma2)
    sweep = compute.divergence_sweep(mu1, sigma1, mu2, sigma2)
except ValueError as exc:
    show_input_error(exc)
else:
    show_chart(charts.gaussian_densities_chart(curves), name="gaussian-densities")

    m_pq, m_qp, m_js, m_bound = st.columns(4)
    m_pq.metric(
        "KL(P‖Q), nats", format_number(divergences.kl_pq, 4),
        help="Expected log-ratio log p/q under P: what is lost when Q stands in for P.",
    )
    m_qp.metric(
        "KL(Q‖P), nats", format_number(divergences.kl_qp, 4),
        help="The same with the roles swapped; it differs unless σ₁ = σ₂.",
    )
    m_js.metric(
        "JS(P, Q), nats", format_number(divergences.js, 4),
        help="Average KL of P and of Q from their mixture M = (P + Q)/2; symmetric.",
    )
    m_bound.metric(
        "JS ceiling ln 2, nats", format_number(compute.JS_BOUND_NATS, 4),
        help="JS reaches this value only when P and Q do not overlap at all.",
    )

    st.subheader("Pulling the means apart")
    st.markdown(
        "Q keeps its width while its mean slides away from P's. Both KL curves grow with "
        "the square of the distance; JS rises quickly, then flattens just under the dashed "
        "ln 2 line. The vertical line marks your inputs. The y axis is logarithmic above "
        "0.1 nats, so the bounded and the unbounded curves both stay readable."
    )
    show_chart(
        charts.divergence_sweep_chart(
            sweep.frame,
            js_bound=compute.JS_BOUND_NATS,
            current_separation=sweep.current_separation,
        ),
        name="kl-js-sweep",
    )

show_exercise_links("kl-vs-js")
