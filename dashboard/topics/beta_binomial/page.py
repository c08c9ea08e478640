"""Beta-Binomial page: a Beta prior on a coin's bias, updated by counts or by a flip string."""

from __future__ import annotations

import streamlit as st

from dashboard.common import widgets
from dashboard.common.animation import animation
from dashboard.common.exercise_links import show_exercise_links
from dashboard.common.ui import (
    chart_shape,
    chart_spec,
    format_number,
    show_chart,
    show_input_error,
    show_stale_chart,
    with_rows,
)
from dashboard.practice.reveal import HIDDEN, show_reveal_note
from dashboard.topics.beta_binomial import charts, compute
from dashboard.topics.beta_binomial.params import PARAMS

COUNTS, FLIPS = PARAMS["source"].choices

st.title("Beta-Binomial: learning a coin's bias")
widgets.normalise_query(PARAMS)  # before any widget: accept aliases and any case
# A link that gives a flip string but no data source (an exercise's link, an older URL)
# means the flip string: show it rather than counts the link did not set.
if "flips" in st.query_params and "source" not in st.query_params and "source" not in st.session_state:
    st.session_state["source"] = FLIPS
revealed = show_reveal_note()
st.markdown(
    "Pick a Beta prior for how often the coin lands heads, then give the data: either "
    "how many heads and tails you saw, or the flips themselves in order. The posterior "
    "is again a Beta whose parameters are the prior's plus your counts, so the curve "
    "narrows as evidence piles up. With a handful of flips the prior pulls the posterior "
    "mean and the MAP away from the raw proportion of heads (the MLE); with hundreds of "
    "flips all three agree."
)


def flip_coin() -> None:
    """Add one simulated flip to the data source in use (a button callback: it runs
    before the widgets are drawn, so it may change their values)."""
    state = st.session_state
    coin, seed = float(state.get("coin", PARAMS["coin"].default)), int(state.get("seed", PARAMS["seed"].default))
    if state.get("source", PARAMS["source"].default) == FLIPS:
        flips = str(state.get("flips", PARAMS["flips"].default))
        try:
            observed = sum(compute.flip_counts(flips))
        except ValueError:
            return  # the error box under the flip string already says what is wrong
        limit = PARAMS["flips"].max_chars or len(flips) + 1
        if len(flips) < limit:
            state["flips"] = flips + compute.next_flip(coin, seed, observed)
    else:
        heads, tails = int(state.get("heads", PARAMS["heads"].default)), int(state.get("tails", PARAMS["tails"].default))
        key = "heads" if compute.next_flip(coin, seed, heads + tails) == "H" else "tails"
        if state.get(key, 0) < (PARAMS[key].hi or 0):
            state[key] = (heads, tails)[key == "tails"] + 1


@st.fragment
def update() -> None:
    st.subheader("Prior and data")
    col_a, col_b, col_source = st.columns([1, 1, 2])
    alpha0 = widgets.number(PARAMS["alpha0"], col_a)
    beta0 = widgets.number(PARAMS["beta0"], col_b)
    source = widgets.radio(PARAMS["source"], col_source, horizontal=True,
                           help="One data source at a time: the posterior below is built from this one only.")
    steps = None
    try:
        if source == COUNTS:
            col_h, col_t = st.columns(2)
            heads = int(widgets.number(PARAMS["heads"], col_h))
            tails = int(widgets.number(PARAMS["tails"], col_t))
        else:
            flips = widgets.text(PARAMS["flips"])
            steps = compute.beta_binomial_steps(alpha0, beta0, flips)
            heads, tails = compute.flip_counts(flips)
        col_coin, col_seed, col_button = st.columns([2, 1, 1], vertical_alignment="bottom")
        widgets.slider(PARAMS["coin"], col_coin)
        widgets.number(PARAMS["seed"], col_seed)
        col_button.button("Flip a coin", icon=":material/casino:", on_click=flip_coin, key="flip-coin",
                          help="Toss the simulated coin once and add the result to the data above.")
        summary = compute.beta_binomial_summary(alpha0, beta0, heads, tails)
        curves = compute.beta_binomial_curves(alpha0, beta0, heads, tails)
    except ValueError as exc:
        show_input_error(exc, page=PARAMS)
        show_stale_chart("beta-binomial-densities")
        return

    st.markdown(f"{heads} heads and {tails} tails. Posterior: **Beta({summary.alpha:g}, {summary.beta:g})**")
    m_mean, m_map, m_mle, m_interval = st.columns(4)
    m_mean.metric(
        "Posterior mean", format_number(summary.mean) if revealed else HIDDEN,
        help="The average of p under the posterior; also the probability that the next flip is heads.",
    )
    m_map.metric(
        "MAP (posterior mode)", format_number(summary.map) if revealed else HIDDEN,
        help="The most probable p under the posterior. Undefined when the posterior is flat "
        "(Beta(1, 1)) or U-shaped (both parameters below 1).",
    )
    m_mle.metric(
        "MLE (h / n)", format_number(summary.mle) if revealed else HIDDEN,
        help="The observed proportion of heads; ignores the prior. Undefined before any flip.",
    )
    m_interval.metric(
        f"{summary.level:.0%} credible interval",
        f"{format_number(summary.interval_low)} – {format_number(summary.interval_high)}" if revealed else HIDDEN,
        help="Equal-tailed: the posterior puts the same small mass below and above it.",
    )
    marks = compute.estimate_marks(summary) if revealed else None
    interval = (summary.interval_low, summary.interval_high, summary.level) if revealed else None
    # Built once per shape (which estimates are marked, whether the interval is): a rerun swaps the rows in.
    shape = (() if marks is None else tuple(marks["kind"]), interval is not None)
    spec = chart_shape(charts.beta_binomial_chart, shape, curves, dashed=[compute.LIKELIHOOD], estimates=marks,
                       interval=interval)
    rows = [curves, *([] if marks is None or not len(marks) else [marks]),
            *([] if interval is None else [charts.interval_frame(interval)])]
    show_chart(with_rows(spec, *rows), name="beta-binomial-densities")
    st.caption(
        "The likelihood (dashed) is scaled to area 1 so it shares the axis with the two "
        "densities; its peak is at the MLE. The shaded band is the credible interval and "
        "the diamonds on the posterior mark its mean, its mode (MAP) and the MLE."
    )
    if steps is not None:
        st.subheader("Flip by flip")
        st.markdown(
            "Starting from the prior, each heads adds one to α and each tails one to β; the "
            "table and the chart show the posterior after every flip. A tails after a run of "
            "heads pulls the mean back."
        )
        st.markdown("Press play to watch each flip update the posterior curve in turn (the dashed curve is "
                    "the prior); step through it, or drag the slider to any flip.")
        animation(compute.posterior_frames(alpha0, beta0, flips), kind="curve", key="posterior-animation")
        col_table, col_chart = st.columns([2, 3])
        col_table.dataframe(
            steps if revealed else steps[["step", "flip", "alpha", "beta"]],
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
        if revealed:
            show_chart(chart_spec(charts.posterior_steps_chart, steps), name="posterior-mean-by-flip", where=col_chart)


update()
show_exercise_links("beta-binomial")
