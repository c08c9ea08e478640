"""Distributions page: the five families with their parameters, moments, entropy, samples
against the exact pmf or pdf, and the Dirichlet on the triangle."""

from __future__ import annotations

import streamlit as st

from core.distributions import FAMILIES
from dashboard import charts, compute
from dashboard.ui import format_number, show_chart, show_exercise_links, show_input_error

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
st.markdown(
    "Pick a family and move its parameters. The grey bars are a fixed batch of random "
    "draws and the orange marks are the exact pmf or pdf, so you can see the samples "
    "settle on the formula. For the Dirichlet there is no single axis: each point of the "
    "triangle is a probability vector (π₁, π₂, π₃), coloured by its density."
)

col_family, col_params = st.columns([1, 2])
# Plain names as options keep the shared URL readable (?family=Beta).
family_name = col_family.selectbox(
    "Family", FAMILIES, format_func=str.capitalize, key="family", bind="query-params"
)
seed = col_family.number_input(
    "Random seed for the samples", min_value=0, max_value=2**31 - 1, value=0, step=1,
    key="seed", bind="query-params",
)

params: dict[str, object] = {}
params_error: ValueError | None = None
with col_params:
    if family_name == "bernoulli":
        params["p"] = st.slider("p = P(X = 1)", 0.0, 1.0, 0.3, 0.01, key="p", bind="query-params")
    elif family_name == "categorical":
        text = st.text_input(
            "π: probabilities of the outcomes 0, 1, …, K−1 (sum 1)", value="0.5, 0.2, 0.2, 0.1",
            max_chars=300, key="probs", bind="query-params",
        )
        try:
            params["probs"] = compute.parse_numbers(text, "probs")
        except ValueError as exc:
            params_error = exc
    elif family_name == "gaussian":
        c_mu, c_sigma = st.columns(2)
        params["mu"] = c_mu.slider("μ: mean", -5.0, 5.0, 0.0, 0.1, key="mu", bind="query-params")
        params["sigma"] = c_sigma.slider(
            "σ: standard deviation", 0.1, 5.0, 1.0, 0.1, key="sigma", bind="query-params"
        )
    elif family_name == "beta":
        c_a, c_b = st.columns(2)
        params["alpha"] = c_a.slider("α", 0.1, 20.0, 2.0, 0.1, key="alpha", bind="query-params")
        params["beta"] = c_b.slider("β", 0.1, 20.0, 5.0, 0.1, key="beta", bind="query-params")
    else:
        c1, c2, c3 = st.columns(3)
        params["alpha"] = (
            c1.slider("α₁", 0.1, 20.0, 2.0, 0.1, key="a1", bind="query-params"),
            c2.slider("α₂", 0.1, 20.0, 3.0, 0.1, key="a2", bind="query-params"),
            c3.slider("α₃", 0.1, 20.0, 5.0, 0.1, key="a3", bind="query-params"),
        )
    if params_error is not None:
        show_input_error(params_error)

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
            chart = charts.samples_vs_density_chart(
                compute.family_samples(family_name, params, seed),
                compute.family_density(family_name, params),
                discrete=summary.discrete,
                x_title="outcome" if summary.discrete else "x",
            )
    except ValueError as exc:
        show_input_error(exc, col_params)
    else:
        def vector(values: tuple[float, ...]) -> str:
            if len(values) == 1:
                return format_number(values[0], 4)
            return "(" + ", ".join(format_number(v, 3) for v in values) + ")"

        m_mean, m_var, m_entropy = st.columns(3)
        m_mean.metric("Mean", vector(summary.mean),
                      help="E[π] component by component for the Dirichlet.")
        m_var.metric("Variance", vector(summary.variance),
                     help="Marginal variances Var(πₖ) for the Dirichlet.")
        m_entropy.metric(
            "Entropy, nats" if summary.discrete else "Differential entropy, nats",
            format_number(summary.entropy_nats, 4),
            help="−Σ p log p for the discrete families. For densities the integral −∫ p log p "
            "can be negative: a narrow density has less 'room' than the unit interval.",
        )
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
