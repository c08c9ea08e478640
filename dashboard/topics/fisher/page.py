"""Fisher information page: log-likelihood curvature, Cramér–Rao, natural gradient, K-FAC."""

from __future__ import annotations

import streamlit as st

from dashboard.common import widgets
from dashboard.common.exercise_links import show_exercise_links
from dashboard.common.ui import Metric, format_number, metric_row, show_chart, show_stale_chart
from dashboard.practice import reveal
from dashboard.topics.fisher import compute, specs
from dashboard.topics.fisher.params import BERNOULLI, PARAMETERIZATIONS, PARAMS

st.title("Fisher information: how sharply data pins a parameter down")
widgets.normalise_query(PARAMS)  # before any widget: accept aliases and any case
st.markdown(
    "Plot the log-likelihood of a parameter and look at its peak: a narrow, sharply "
    "curved peak means the data leave little room for doubt, a flat one means many values "
    "fit almost as well. That curvature, per observation, is the Fisher information. The "
    "tabs show it growing with the sample size, setting a floor under any unbiased "
    "estimator's variance, reshaping gradient steps, and being approximated layer by "
    "layer in large networks."
)

# A linked exercise asks for a Fisher information, a standard error or the bound.
revealed = reveal.show_reveal_note()


def widget_error(exc: ValueError, key: str, *charts: str) -> None:
    """Core's message, naming the widget it is about; the tab's last good ``charts`` stay, greyed."""
    st.error(f"Check “{PARAMS[key].label}”: {exc}", icon=":material/error:")
    for name in charts:
        show_stale_chart(name)


tab_curve, tab_cr, tab_natural, tab_kfac = st.tabs(
    ["Log-likelihood curvature", "Cramér–Rao bound", "Natural gradient", "K-FAC"]
)


# ------------------------------------------------------------------ curvature
@st.fragment
def curvature_tab() -> None:
    st.markdown(
        "Each curve is the log-likelihood minus its maximum, for data whose MLE is the "
        "value you set. Quadrupling the sample size multiplies the curve by four, so it "
        "halves in width. The dashed parabola has the curve's own curvature at the peak, "
        "n times the Fisher information; near the peak the two agree."
    )
    family_label = widgets.radio(PARAMS["ll_family"], horizontal=True)
    col_mle, col_sigma, col_n = st.columns(3)
    if family_label == BERNOULLI:
        family, sigma = "bernoulli", None
        mle = widgets.number(PARAMS["ll_phat"], col_mle)
    else:
        family = "gaussian"
        mle = widgets.number(PARAMS["ll_xbar"], col_mle)
        sigma = widgets.number(PARAMS["ll_sigma"], col_sigma)
    n = widgets.slider(PARAMS["ll_n"], col_n)
    try:
        ll = compute.likelihood_view(family, mle, n, sigma)
    except ValueError as exc:
        return widget_error(exc, "ll_phat" if family == "bernoulli" else "ll_sigma",
                            "fisher-log-likelihood")
    metric_row([
        Metric("Fisher information per observation F(θ̂)", ll.fisher, 4,
               help="1/(p(1 − p)) for a Bernoulli; 1/σ² for a Gaussian mean."),
        Metric("Curvature −ℓ''(θ̂) = n·F(θ̂)", ll.curvature, 4),
        Metric("Standard error 1/√(n·F)", ll.standard_error, 4),
    ], revealed=revealed)
    show_chart(specs.likelihood_spec(family, mle, n, sigma), name="fisher-log-likelihood")
    st.caption(f"Curves are cut where they drop more than {-compute.LL_FLOOR:g} below the peak.")


# ------------------------------------------------------------------ Cramér–Rao
@st.fragment
def cramer_rao_tab() -> None:
    st.markdown(
        "Simulate many datasets of n coin flips, estimate p from each by the share of "
        "heads, and histogram the estimates. No unbiased estimator can have a variance "
        "below 1/(n F(p)) = p(1 − p)/n, the Cramér–Rao bound; the share of heads sits "
        "exactly on it, so the blue normal curve with that variance matches the bars."
    )
    cr_p, cr_n, cr_datasets, cr_seed = widgets.row(
        (widgets.slider, PARAMS["cr_p"]),
        (widgets.number, PARAMS["cr_n"]),
        (widgets.slider, PARAMS["cr_datasets"]),
        (widgets.number, PARAMS["cr_seed"]),
    )
    try:
        cr = compute.cramer_rao_view(cr_p, cr_n, cr_datasets, cr_seed)
    except ValueError as exc:
        return widget_error(exc, "cr_n", "fisher-cramer-rao")
    metric_row([
        Metric("Mean of p̂", cr.mle_mean, 4, answer=False),
        Metric("Variance of p̂ (simulated)", f"{cr.mle_variance:.3e}"),
        Metric("Cramér–Rao bound p(1 − p)/n", f"{cr.bound:.3e}"),
        Metric("Variance / bound", cr.mle_variance / cr.bound, 3, answer=False,
               help="Near 1: the MLE attains the bound. It scatters around 1 by about √(2/datasets)."),
    ], revealed=revealed)
    show_chart(specs.cramer_rao_spec(cr_p, cr_n, cr_datasets, cr_seed), name="fisher-cramer-rao")


# ------------------------------------------------------------------ natural gradient
@st.fragment
def natural_gradient_tab() -> None:
    st.markdown(
        "Fit a normal N(μ, σ²) to data by descending the average negative log-likelihood "
        "(shaded: lighter is lower; the cross marks the best fit). Plain gradient descent treats a step in μ and a step "
        "in σ alike, so it zig-zags or crawls where the landscape is stretched. The "
        "natural gradient divides by the Fisher information first and heads far more "
        "directly to the best fit, and, for small steps, along the same curve whichever "
        "way σ is parameterised."
    )
    ng_mean, ng_sd, ng_mu0, ng_sigma0 = widgets.row(
        (widgets.number, PARAMS["ng_mean"]),
        (widgets.number, PARAMS["ng_sd"]),
        (widgets.number, PARAMS["ng_mu0"]),
        (widgets.number, PARAMS["ng_sigma0"]),
    )
    col_lr, col_steps, col_param = st.columns(3)
    ng_lr = widgets.number(PARAMS["ng_lr"], col_lr, format="%.3f")
    ng_steps = widgets.slider(PARAMS["ng_steps"], col_steps)
    ng_label = widgets.radio(PARAMS["ng_param"], col_param)
    ng_param = next(name for name, label in PARAMETERIZATIONS.items() if label == ng_label)
    try:
        paths = compute.gradient_paths(ng_mean, ng_sd, ng_mu0, ng_sigma0, ng_lr, ng_steps, ng_param)
    except ValueError as exc:
        return widget_error(exc, "ng_sd" if ng_sd <= 0 else "ng_lr", "fisher-gradient-paths")
    metric_row([
        Metric("Final loss, natural gradient", paths.natural_loss, 4, answer=False),
        Metric("Final loss, plain gradient", paths.plain_loss, 4, answer=False),
        Metric("Best possible loss", paths.best_loss, 4, answer=False,
               help="At the MLE: μ = data mean, σ = data standard deviation."),
    ])
    show_chart(specs.gradient_paths_spec(ng_mean, ng_sd, ng_mu0, ng_sigma0, ng_lr, ng_steps, ng_param),
              name="fisher-gradient-paths")
    metric_row([
        Metric("Natural: (μ, σ) vs (μ, log σ) paths apart by", paths.natural_gap, 4, answer=False,
               help="Largest distance between the two parameterisations' paths; shrinks with the step size."),
        Metric("Plain: (μ, σ) vs (μ, log σ) paths apart by", paths.plain_gap, 4, answer=False),
    ])


# ------------------------------------------------------------------ K-FAC
@st.fragment
def kfac_tab() -> None:
    st.markdown(
        "For one linear layer followed by a softmax, the exact Fisher is an average of "
        "Kronecker products, one per input. K-FAC replaces it by a single Kronecker product "
        "of two small averages, which is cheap to invert. That swap is exact when the "
        "prediction does not depend on the input (zero weights) and gets worse as larger "
        "weights make the prediction vary from input to input."
    )
    kf_n, kf_d, kf_c, kf_w, kf_seed = widgets.row(
        (widgets.slider, PARAMS["kf_n"]),
        (widgets.slider, PARAMS["kf_d"]),
        (widgets.slider, PARAMS["kf_c"]),
        (widgets.slider, PARAMS["kf_w"]),
        (widgets.number, PARAMS["kf_seed"]),
    )
    key = (kf_n, kf_d, kf_c, kf_w, kf_seed)
    try:
        kfac = compute.kfac_view(*key)
    except ValueError as exc:
        return widget_error(exc, "kf_w", "fisher-kfac-factors", "fisher-kfac-matrices", "fisher-kfac-error")
    st.metric(
        "Relative error ‖F − G ⊗ A‖ / ‖F‖", format_number(kfac.relative_error, 4),
        help="Frobenius norms; F is the exact Fisher of the layer's C·D weights.",
    )
    st.markdown(
        "The two factors: A averages the layer's inputs' outer products, G the output "
        "gradients' (the softmax's diag(p) − ppᵀ). Their Kronecker product G ⊗ A is K-FAC's "
        "stand-in for the Fisher."
    )
    show_chart(specs.kfac_factors_spec(*key), name="fisher-kfac-factors", width="content")
    show_chart(specs.kfac_matrices_spec(*key), name="fisher-kfac-matrices", width="content")
    st.markdown("The same inputs and weight directions, scaled up:")
    show_chart(specs.kfac_error_spec(*key), name="fisher-kfac-error")


with tab_curve:
    curvature_tab()
with tab_cr:
    cramer_rao_tab()
with tab_natural:
    natural_gradient_tab()
with tab_kfac:
    kfac_tab()

show_exercise_links("fisher-information")
