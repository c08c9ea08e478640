"""Moments page: E[X] and Var(X) of a typed distribution, Cov and Corr of a joint table,
the law of total expectation, and the central limit theorem for the five families."""

from __future__ import annotations

import streamlit as st

from dashboard.common import histogram, inputs, widgets
from dashboard.common.exercise_links import show_exercise_links
from dashboard.common.ui import (
    Metric,
    chart_shape,
    chart_spec,
    format_number,
    metric_row,
    show_chart,
    show_input_error,
    show_stale_chart,
    with_rows,
)
from dashboard.practice.reveal import show_reveal_note
from dashboard.topics.moments import charts, compute
from dashboard.topics.moments.params import PARAMS

st.title("Random variables and moments")
widgets.normalise_query(PARAMS)  # before any widget: accept aliases and any case
revealed = show_reveal_note()
st.markdown(
    "Type a small distribution and read off its centre and spread: the two variance "
    "formulas must agree, and when they do not it is floating point, not algebra. "
    "Below, a table of two variables shows how covariance and correlation summarise "
    "their co-movement, how averaging the conditional means recovers the plain mean, "
    "and how the average of many draws turns into a bell curve whatever you started from."
)

# ---------------------------------------------------------------- one variable
st.subheader("A discrete random variable")
col_in, col_out = st.columns([2, 3])
with col_in:
    values_text = widgets.text(PARAMS["values"])
    probs_text = widgets.text(PARAMS["probs"])
    try:
        moments = compute.discrete_moments(
            inputs.parse_numbers(values_text, "values"), inputs.parse_numbers(probs_text, "probs")
        )
    except ValueError as exc:
        moments = None
        show_input_error(exc, page=PARAMS)
if moments is None:
    show_stale_chart("moments-discrete-pmf", col_out)
else:
    with col_in:
        metric_row([
            Metric("E[X]", moments.mean, 4, help="Σ x P(X = x)"),
            Metric("σ", moments.standard_deviation, 4, help="√Var(X)"),
        ], revealed=revealed)
        metric_row([
            Metric("Var(X) = E[(X − E[X])²]", moments.variance_definition, 4,
                   help="The definition: the average squared distance from the mean."),
            Metric("Var(X) = E[X²] − E[X]²", moments.variance_computational, 4,
                   help="The computational formula. Shift every value by a large constant (say "
                   "1e8) and it loses its digits while the definition stays exact."),
        ], revealed=revealed)
    show_chart(chart_spec(charts.discrete_pmf_chart, moments.pmf, mean=moments.mean), name="moments-discrete-pmf",
               where=col_out)

# ---------------------------------------------------------------- two variables
st.subheader("Two variables: covariance, correlation and E[E[X|Y]]")
st.markdown(
    "Each row of the table is a value of X, each column a value of Y, and each entry "
    "the probability of that pair. Put mass on the diagonal and the correlation rises; "
    "spread it evenly and it vanishes."
)
col_table, col_results = st.columns([2, 3])
with col_table:
    x_text = widgets.text(PARAMS["x_values"])
    y_text = widgets.text(PARAMS["y_values"])
    joint_text = widgets.text_area(PARAMS["joint"])
    try:
        x_values = inputs.parse_numbers(x_text, "x_values")
        y_values = inputs.parse_numbers(y_text, "y_values")
        joint = inputs.parse_table(joint_text, "joint")
        joint_moments = compute.joint_moments(x_values, y_values, joint)
    except ValueError as exc:
        joint_moments = None
        show_input_error(exc, page=PARAMS)

if joint_moments is not None:
    with col_results:
        metric_row([
            Metric("E[X] of the table", joint_moments.mean_x, 4, help="From X's marginal."),
            Metric("E[Y] of the table", joint_moments.mean_y, 4, help="From Y's marginal."),
            Metric("Cov(X, Y)", joint_moments.covariance, 4,
                   help="E[(X − E[X])(Y − E[Y])]: positive when X and Y tend to be large together."),
            Metric("Corr(X, Y)", joint_moments.correlation, 4,
                   help="Cov(X, Y)/(σ_X σ_Y): the covariance without units, always in [−1, 1]."),
        ], revealed=revealed)
        if joint_moments.correlation_note:
            st.info(f"Correlation undefined: {joint_moments.correlation_note}")

        st.markdown("**Law of total expectation**: average the conditional means E[X | Y = y], "
                    "each weighted by P(Y = y).")
        try:
            steps = compute.total_expectation_steps(x_values, y_values, joint)
        except ValueError as exc:
            show_input_error(exc, page=PARAMS)
        else:
            if revealed:  # the table and the sum are the law-of-total-expectation exercise's answer
                st.dataframe(
                    steps.frame,
                    hide_index=True,
                    column_config={
                        "y": st.column_config.NumberColumn("y", format="%g"),
                        "p_y": st.column_config.NumberColumn("P(Y = y)", format="%.4f"),
                        "conditional_mean": st.column_config.NumberColumn("E[X | Y = y]", format="%.4f"),
                        "weighted": st.column_config.NumberColumn("P(Y = y)·E[X | Y = y]", format="%.4f"),
                    },
                )
                terms = " + ".join(format_number(v, 4) for v in steps.frame["weighted"])
                st.markdown(
                    f"E[E[X|Y]] = {terms} = **{format_number(steps.mean_of_conditional_means, 4)}**, "
                    f"and E[X] from the row sums is **{format_number(steps.mean, 4)}**."
                )
            metric_row([Metric("E[E[X|Y]]", steps.mean_of_conditional_means, 4)], revealed=revealed)

# ---------------------------------------------------------------- CLT
st.subheader("The central limit theorem")
st.markdown(
    "Each bar counts averages of n independent draws; the blue curve is the normal "
    "with the population mean and standard deviation σ/√n. With n = 1 the bars are just "
    "the distribution itself, lumpy or skewed; by a few dozen draws they hug the curve. "
    "The seed fixes the draws, so a shared link shows the same histogram."
)
col_family, col_params, col_n = st.columns(3)
family_name = widgets.select(PARAMS["clt_family"], col_family).lower()  # core's name
with col_params:
    params, params_error = widgets.family_params(family_name, widgets.FamilyWidgets(
        p=PARAMS["clt_p"], probs=PARAMS["clt_probs"], mu=PARAMS["clt_mu"], sigma=PARAMS["clt_sigma"],
        alpha=PARAMS["clt_alpha"], beta=PARAMS["clt_beta"], dirichlet=PARAMS["clt_dirichlet"]))
with col_n:
    n = widgets.slider(PARAMS["clt_n"])
    seed = widgets.number(PARAMS["seed"])

try:
    if params_error is not None:
        raise params_error
    clt = compute.clt_view(family_name, params, n, seed)
except ValueError as exc:
    # The CLT's own widgets: core names them by the family's argument names.
    show_input_error(exc, col_params, page=PARAMS, names={"probs": "clt_probs", "alpha": "clt_dirichlet"})
else:
    metric_row([
        Metric("Population mean μ", clt.mu, 4),
        Metric("σ/√n", clt.sigma, 4, help="The CLT's standard deviation of a mean."),
        Metric("Average of the simulated means", clt.mean_of_means, 4,
               help=f"Over {compute.CLT_MEANS} simulated means."),
        Metric("Spread of the simulated means", clt.sd_of_means, 4,
               help="Their sample standard deviation; close to σ/√n."),
    ], revealed=revealed)
    # Built once per n (its axis title): a new seed or parameter swaps the rows in.
    clt_chart = chart_shape(histogram.samples_vs_density_chart, (n,), clt.histogram, clt.curve, discrete=False,
                            x_title=f"mean of n = {n} draws")
    show_chart(with_rows(clt_chart, *histogram.samples_vs_density_rows(clt.histogram, clt.curve)), name="moments-clt")
    st.caption(
        "For the categorical the averaged number is the outcome index 0, 1, …; for the "
        "Dirichlet it is the first component π₁. Bars hold about 4000 means, so a few "
        "percent of wobble is sampling noise."
    )

show_exercise_links("moments")
