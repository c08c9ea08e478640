"""Beta-Binomial page: a Beta prior on a coin's bias, updated by counts and flip by flip."""

from __future__ import annotations

import streamlit as st

from dashboard.common import widgets
from dashboard.common.exercise_links import show_exercise_links
from dashboard.common.ui import format_number, show_chart, show_input_error
from dashboard.topics.beta_binomial import charts, compute
from dashboard.topics.beta_binomial.params import PARAMS

st.title("Beta-Binomial: learning a coin's bias")
widgets.normalise_query(PARAMS)  # before any widget: accept aliases and any case
st.markdown(
    "Pick a Beta prior for how often the coin lands heads, then enter the flips you saw. "
    "The posterior is again a Beta whose parameters are the prior's plus your counts, "
    "so the curve narrows as evidence piles up. Watch the three estimates: with a handful "
    "of flips the prior pulls the posterior mean and the MAP away from the raw frequency "
    "(the MLE); with hundreds of flips all three agree."
)

st.subheader("Prior and data")
col_a, col_b, col_h, col_t = st.columns(4)
alpha0 = widgets.number(PARAMS["alpha0"], col_a)
beta0 = widgets.number(PARAMS["beta0"], col_b)
heads = widgets.number(PARAMS["heads"], col_h)
tails = widgets.number(PARAMS["tails"], col_t)

try:
    summary = compute.beta_binomial_summary(alpha0, beta0, heads, tails)
    curves = compute.beta_binomial_curves(alpha0, beta0, heads, tails)
except ValueError as exc:
    show_input_error(exc)
else:
    st.markdown(f"Posterior: **Beta({summary.alpha:g}, {summary.beta:g})**")
    m_mean, m_map, m_mle, m_interval = st.columns(4)
    m_mean.metric(
        "Posterior mean", format_number(summary.mean),
        help="The average of p under the posterior; also the probability that the next flip is heads.",
    )
    m_map.metric(
        "MAP (posterior mode)", format_number(summary.map),
        help="The most probable p under the posterior. Undefined when the posterior is flat "
        "(Beta(1, 1)) or U-shaped (both parameters below 1).",
    )
    m_mle.metric(
        "MLE (h / n)", format_number(summary.mle),
        help="The observed frequency of heads; ignores the prior. Undefined before any flip.",
    )
    m_interval.metric(
        f"{summary.level:.0%} credible interval",
        f"{format_number(summary.interval_low)} – {format_number(summary.interval_high)}",
        help="Equal-tailed: the posterior puts the same small mass below and above it.",
    )
    show_chart(charts.beta_binomial_chart(curves, dashed=[compute.LIKELIHOOD]), name="beta-binomial-densities")
    st.caption(
        "The likelihood (dashed) is scaled to area 1 so it shares the axis with the two "
        "densities; its peak is at the MLE. With the flat prior Beta(1, 1) it coincides "
        "with the posterior."
    )

st.subheader("Flip by flip")
st.markdown(
    "Type a sequence of flips. Starting from the prior above, each heads adds one to α "
    "and each tails adds one to β; the table and the chart show the posterior after "
    "every flip. A tails after a run of heads pulls the mean back."
)
flips = widgets.text(PARAMS["flips"])
try:
    steps = compute.beta_binomial_steps(alpha0, beta0, flips)
except ValueError as exc:
    show_input_error(exc)
else:
    col_table, col_chart = st.columns([2, 3])
    col_table.dataframe(
        steps,
        hide_index=True,
        column_config={
            "step": st.column_config.NumberColumn("step"),
            "alpha": st.column_config.NumberColumn("α", format="%g"),
            "beta": st.column_config.NumberColumn("β", format="%g"),
            "mean": st.column_config.NumberColumn("mean", format="%.3f"),
            "map": st.column_config.NumberColumn("MAP", format="%.3f"),
            "mle": st.column_config.NumberColumn("MLE", format="%.3f"),
        },
    )
    show_chart(charts.posterior_steps_chart(steps), name="posterior-mean-by-flip", where=col_chart)

show_exercise_links("beta-binomial")
