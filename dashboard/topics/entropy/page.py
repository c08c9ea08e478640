"""Entropy page: softmax with temperature over a small vocabulary; entropy, cross-entropy,
KL and perplexity in bits and nats; the uniform model; perplexity from an average NLL."""

from __future__ import annotations

import streamlit as st

from core.lm import ModelNotInstalledError
from dashboard.common import inputs, lm, widgets
from dashboard.common.exercise_links import show_exercise_links
from dashboard.common.sources import REAL_MODEL
from dashboard.common.ui import (
    chart_spec,
    format_number,
    show_chart,
    show_input_error,
    show_stale_chart,
)
from dashboard.practice.reveal import HIDDEN, show_reveal_note
from dashboard.topics.entropy import charts, compute
from dashboard.topics.entropy.params import PARAMS

st.title("Entropy, cross-entropy and perplexity")
widgets.normalise_query(PARAMS)  # before any widget: accept aliases and any case
revealed = show_reveal_note()
st.markdown(
    "P is how the next token is really distributed and Q is what a model predicts; both "
    "come from logits through a softmax, and the temperature reshapes only the model. "
    "Cross-entropy is the average surprise of the model on real data, and it splits "
    "into two pieces: the entropy of P, which no model can remove, plus KL(P‖Q), the "
    "extra cost of the model's mistakes. Perplexity turns that average surprise back "
    "into a count of equally likely choices."
)

st.subheader("A vocabulary, two sets of logits, one temperature")
col_inputs, col_chart = st.columns([2, 3])
with col_inputs:
    source = widgets.radio(PARAMS["source"], horizontal=True)
    if source == REAL_MODEL:
        prompt = widgets.text(PARAMS["lm_prompt"])
        top = widgets.number(PARAMS["lm_top"])
    else:
        tokens_text = widgets.text(PARAMS["tokens"])
        p_text = widgets.text(PARAMS["p_logits"])
        q_text = widgets.text(PARAMS["q_logits"])
    temperature = widgets.slider(PARAMS["temperature"])
    unit = widgets.radio(PARAMS["unit"], horizontal=True)
    try:
        if source == REAL_MODEL:
            # P is the model's next token restricted to its likeliest tokens; Q is the
            # same model at temperature T, so KL(P‖Q) is what the temperature costs.
            tokens, p_logits, mass = lm.top_next_tokens(prompt, PARAMS["lm_prompt"].label, top)
            q_logits = p_logits
            st.caption(f"P: the model's {top} likeliest next tokens (␣ is a space), which hold "
                       f"{mass:.1%} of its probability, renormalised to sum to 1. Q: the same "
                       "logits at temperature T.")
        else:
            tokens = inputs.parse_tokens(tokens_text, "tokens")
            p_logits = inputs.parse_numbers(p_text, "p_logits")
            q_logits = inputs.parse_numbers(q_text, "q_logits")
        probabilities = compute.token_distributions(tokens, p_logits, q_logits, temperature)
        summary = compute.information_summary(p_logits, q_logits, temperature, unit)
        table = compute.information_table(p_logits, q_logits, temperature)
        decomposition = compute.cross_entropy_decomposition(p_logits, q_logits, temperature, unit)
    except (ValueError, ModelNotInstalledError) as exc:
        summary = None
        show_input_error(exc, page=PARAMS)
        show_stale_chart("entropy-token-probabilities", col_chart)

if summary is not None:
    show_chart(chart_spec(charts.token_probabilities_chart, probabilities), name="entropy-token-probabilities", where=col_chart)

    m_hp, m_hq, m_hpq, m_kl, m_ppl = st.columns(5)
    m_hp.metric(f"H(P), {unit}", format_number(summary.entropy_p, 4) if revealed else HIDDEN,
                help="Average surprise of data drawn from P, measured with P itself.")
    m_hq.metric(f"H(Q), {unit}", format_number(summary.entropy_q, 4) if revealed else HIDDEN,
                help="How spread out the model's prediction is; the temperature moves it.")
    m_hpq.metric(f"H(P, Q), {unit}", format_number(summary.cross_entropy, 4) if revealed else HIDDEN,
                 help="−Σ P log Q: average surprise of the model on data from P; the training loss.")
    m_kl.metric(f"KL(P‖Q), {unit}", format_number(summary.kl, 4) if revealed else HIDDEN,
                help="H(P, Q) − H(P): what the model's mismatch costs on top of the data's own entropy.")
    m_ppl.metric("Perplexity", format_number(summary.perplexity, 3) if revealed else HIDDEN,
                 help="e^H(P,Q) with nats, 2^H(P,Q) with bits: the same number either way.")

    col_table, col_bars = st.columns([2, 3])
    with col_table:
        st.markdown("**Both units** (1 nat = 1/ln 2 ≈ 1.4427 bits)")
        st.dataframe(
            table if revealed else table[["quantity"]],
            hide_index=True,
            column_config={
                "quantity": st.column_config.TextColumn("quantity"),
                "nats": st.column_config.NumberColumn("nats", format="%.4f"),
                "bits": st.column_config.NumberColumn("bits", format="%.4f"),
            },
        )
    with col_bars:
        st.markdown("Your temperature is the opaque bar; the others are for comparison.")
        show_chart(chart_spec(charts.cross_entropy_decomposition_chart, decomposition, unit=unit), name="entropy-cross-entropy-decomposition")
    st.caption(
        "The light-blue part (the entropy of P) never changes: the temperature acts on the "
        "model, not on the data. The vermillion part (KL) is smallest at the temperature "
        "where Q comes closest to P."
    )

st.subheader("The uniform model")
st.markdown(
    "A model that gives every token the same probability pays ln V nats on every token, "
    "so its perplexity is exactly the vocabulary size V: the baseline any trained model "
    "has to beat (50,257 for GPT-2's vocabulary)."
)
col_v, col_v_nll, col_v_ppl = st.columns(3)
vocab_size = widgets.number(PARAMS["vocab"], col_v)
try:
    uniform_nll, uniform_ppl = compute.uniform_model(vocab_size)
except ValueError as exc:
    show_input_error(exc, col_v)
else:
    col_v_nll.metric("Uniform model NLL per token, nats", format_number(uniform_nll, 4) if revealed else HIDDEN)
    col_v_ppl.metric("Uniform model perplexity", format_number(uniform_ppl, 2) if revealed else HIDDEN)

st.subheader("From an average NLL to perplexity")
st.markdown(
    "Evaluation reports the average negative log-likelihood per token; exponentiating "
    "it gives the perplexity. An average of 3.0 nats means the model is, on average, as "
    "unsure as a uniform pick among about 20 tokens."
)
col_nll, col_nll_unit, col_nll_ppl = st.columns(3)
mean_nll = widgets.number(PARAMS["nll"], col_nll)
nll_unit = widgets.radio(PARAMS["nll_unit"], col_nll_unit, horizontal=True)
try:
    ppl = compute.perplexity_of(mean_nll, nll_unit)
except ValueError as exc:
    show_input_error(exc, col_nll)
else:
    col_nll_ppl.metric("Perplexity of that NLL", format_number(ppl, 2) if revealed else HIDDEN,
                       help="e^NLL for nats, 2^NLL for bits.")

show_exercise_links("entropy")
