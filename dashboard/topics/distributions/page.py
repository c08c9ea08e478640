"""Distributions page: the five families with their parameters, moments, entropy, samples
against the exact pmf or pdf, and the Dirichlet on the triangle."""

from __future__ import annotations

import streamlit as st

from dashboard.common import histogram, widgets
from dashboard.common.exercise_links import show_exercise_links
from dashboard.common.ui import Metric, format_number, metric_row, show_chart, show_input_error
from dashboard.practice.reveal import show_reveal_note
from dashboard.topics.distributions import charts, compute
from dashboard.topics.distributions.params import PARAMS

#: Display names and, in our own words, where each family turns up in a language model.
TITLES = {
    "bernoulli": "Bernoulli(p)",
    "categorical": "Categorical(π)",
    "gaussian": "Gaussian N(μ, σ²)",
    "beta": "Beta(α, β)",
    "dirichlet": "Dirichlet(α)",
}
IN_LLMS = {
    "bernoulli": (
        "A single yes-or-no: was this answer the preferred one, is this text toxic. A reward "
        "model or a binary classifier head outputs the p of a Bernoulli."
    ),
    "categorical": (
        "Every generated token is one draw from a Categorical whose K outcomes are the "
        "vocabulary and whose π is the softmax of the model's logits; training pushes π "
        "towards the token that actually came next."
    ),
    "gaussian": (
        "Fresh weights are drawn from a zero-mean Gaussian whose σ is scaled to the layer "
        "width, and the latent code of a VAE or the noise of a diffusion model is Gaussian too."
    ),
    "beta": (
        "A belief about a single rate, such as how often users prefer model A over model B; "
        "each new vote just adds one to α or to β, which makes it the workhorse of Bayesian "
        "A/B tests."
    ),
    "dirichlet": (
        "A distribution whose draws are themselves probability vectors: a prior over what a "
        "next-token distribution could look like, or over the topic mixture of a document."
    ),
}

st.title("The five distributions")
widgets.normalise_query(PARAMS)  # before any widget: accept aliases and any case
revealed = show_reveal_note()
st.markdown(
    "Pick a family and move its parameters. The grey bars are a fixed batch of random "
    "draws and the blue bars or line are the exact pmf or pdf, so you can see the samples "
    "settle on the formula. For the Dirichlet there is no single axis: each point of the "
    "triangle is a probability vector (π₁, π₂, π₃), coloured by its density."
)

col_family, col_params = st.columns([1, 2])
# Plain names as options keep the shared URL readable (?family=Beta).
family_name = widgets.select(PARAMS["family"], col_family).lower()  # core's name
seed = widgets.number(PARAMS["seed"], col_family)

with col_params:
    params, params_error = widgets.family_params(family_name, widgets.FamilyWidgets(
        p=PARAMS["p"], probs=PARAMS["probs"], mu=PARAMS["mu"], sigma=PARAMS["sigma"], alpha=PARAMS["alpha"],
        beta=PARAMS["beta"], dirichlet=(PARAMS["a1"], PARAMS["a2"], PARAMS["a3"])), side_by_side=True)
    if params_error is not None:
        show_input_error(params_error, page=PARAMS)

st.markdown(f"#### {TITLES[family_name]}")
st.info(f"**In an LLM.** {IN_LLMS[family_name]}", icon=":material/smart_toy:")

if params_error is None:
    try:
        summary = compute.family_summary(family_name, params)
        if family_name == "dirichlet":
            alpha = params["alpha"]
            chart = charts.simplex_chart(
                compute.dirichlet_simplex(alpha), compute.dirichlet_samples(alpha, seed)
            )
        else:
            chart = histogram.samples_vs_density_chart(
                compute.family_samples(family_name, params, seed),
                compute.family_density(family_name, params),
                discrete=summary.discrete,
                x_title="outcome" if summary.discrete else "x",
            )
    except ValueError as exc:
        show_input_error(exc, col_params, page=PARAMS)
    else:
        def vector(values: tuple[float, ...]) -> str:
            if len(values) == 1:
                return format_number(values[0], 4)
            return "(" + ", ".join(format_number(v, 3) for v in values) + ")"

        metric_row([
            Metric("Mean", vector(summary.mean), help="E[π] component by component for the Dirichlet."),
            Metric("Variance", vector(summary.variance), help="Marginal variances Var(πₖ) for the Dirichlet."),
            Metric("Entropy, nats" if summary.discrete else "Differential entropy, nats", summary.entropy_nats, 4,
                   help="−Σ p log p for the discrete families. For densities the integral −∫ p log p "
                   "can be negative: a narrow density has less 'room' than the unit interval."),
        ], revealed=revealed)
        show_chart(chart, name="distributions-chart", width="stretch" if family_name != "dirichlet" else "content")
        if family_name == "dirichlet":
            st.caption(
                f"White dots: {compute.SIMPLEX_SAMPLES} draws. All α above 1 pulls mass to the "
                "middle; all below 1 pushes it into the corners; larger α concentrates it."
            )
        else:
            st.caption(
                f"{compute.FAMILY_SAMPLES} draws with seed {seed}; change the seed for a new batch."
            )

show_exercise_links("distributions")
