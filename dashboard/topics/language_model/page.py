"""Language model page: SmolLM2-135M's real next-token distributions, generation step by
step, a sentence's surprisal and perplexity, and two policies' KL and PPO ratios.

The prompt and the unit sit above the tabs (every tab reads them); each tab is an
``st.fragment``, so its own widgets rerun only that tab. Every number comes from the
model's logits through core (:mod:`dashboard.topics.language_model.compute`), cached on
token ids.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from core.lm import ModelNotInstalledError
from dashboard.common import lm, widgets
from dashboard.common.animation import animation
from dashboard.common.exercise_links import show_exercise_links
from dashboard.common.ui import (
    chart_shape,
    chart_spec,
    format_number,
    show_chart,
    show_stale_chart,
    with_rows,
)
from dashboard.practice import reveal
from dashboard.topics.language_model import charts, compute, specs, strip
from dashboard.topics.language_model.params import COMPARE, PARAMS

#: A held-back metric's value: short, so a narrow metric column never truncates it.
HIDDEN_METRIC = "hidden"
#: Session key of the last generation's arguments (the Generate button sets it).
GENERATION = "lm_generation"
#: Set once this session has read a link's ``generated`` (so a later change does not redraw).
GENERATION_READ = "lm_generation_read"
#: Session key of the shown continuation's (length, seed) ("Draw the continuation" sets it).
CONTINUATION = "lm_continuation"
#: The longest generation ("Draw a token" stops growing it there).
MAX_STEPS = int(PARAMS["steps"].hi or 50)
#: π_old's temperature: the model as it is.
T_OLD = 1.0


def player_height(bars: int) -> int:
    """Pixels of the token player: controls, text and numbers, a 22-pixel row per bar (one
    more for a draw outside them), and the legend and inverse CDF."""
    return 110 + 118 + 22 * (bars + 1) + 70


st.title("A real language model: SmolLM2-135M")
widgets.normalise_query(PARAMS)  # before any widget: accept aliases and any case
st.markdown(
    "Everything on this page comes from a real model, SmolLM2-135M-Instruct, run on this "
    "machine. It reads your prompt as tokens and returns one score (logit) for each of "
    "its 49,152 tokens; a softmax turns the scores into the probability of every possible "
    "next token. The tabs look at that distribution, sample from it, use it to score a "
    "sentence, and compare two of them the way RLHF training does."
)
revealed = reveal.show_reveal_note()
try:
    lm.model()
except ModelNotInstalledError as exc:
    st.error(f"The language model is not installed: {exc}", icon=":material/error:")
    st.stop()


def hidden_or(text: str) -> str:
    return text if revealed else HIDDEN_METRIC


def widget_error(exc: ValueError | str, key: str, *charts_shown: str) -> None:
    """The error in plain words, naming the widget; the tab's last good charts stay, greyed."""
    message = str(exc)
    label = f"“{PARAMS[key].label}”"
    if label not in message:
        message = f"Check {label}: {message}"
    st.error(message, icon=":material/error:")
    for name in charts_shown:
        show_stale_chart(name)


col_prompt, col_unit = st.columns([4, 1])
prompt = widgets.text(PARAMS["prompt"], col_prompt)
unit = widgets.radio(PARAMS["unit"], col_unit, horizontal=True)
try:
    prompt_ids: tuple[int, ...] | None = lm.prompt_ids(prompt, PARAMS["prompt"].label)
except ValueError as exc:
    prompt_ids = None
    st.error(str(exc), icon=":material/error:")
else:
    st.caption(
        f"{len(prompt_ids)} tokens: " + " · ".join(f"`{lm.readable(lm.model().token_text(i))}`" for i in prompt_ids)
    )

tab_next, tab_generate, tab_score, tab_policies = st.tabs(
    ["Next token", "Generate", "Score a sentence", "Two policies"]
)


# ------------------------------------------------------------------ next token
@st.fragment
def next_token_tab(ids: tuple[int, ...] | None) -> None:
    st.markdown(
        "The bars are the model's probabilities for the token that follows your prompt: the "
        "20 likeliest tokens, then everything else as one bar (␣ marks a space, ↵ a new "
        "line). Temperature divides the logits before the softmax; top-k keeps the k "
        "likeliest tokens, top-p the smallest set whose probability reaches p; what is kept "
        "is rescaled to sum to one, and faded bars can no longer be drawn."
    )
    col_t, col_k, col_p = st.columns(3)
    temperature = widgets.slider(PARAMS["temperature"], col_t)
    top_k = widgets.number(PARAMS["top_k"], col_k)
    top_p = widgets.slider(PARAMS["top_p"], col_p)
    if ids is None:
        return widget_error("type a prompt above first", "prompt", "lm-next-token")
    view = compute.next_token_view(ids, temperature, top_k, top_p)
    m_nats, m_bits, m_kept, m_mass, m_after = st.columns(5)
    m_nats.metric("Entropy at T = 1, nats", hidden_or(format_number(view.entropy_nats, 4)),
                  help="−Σ p ln p over all 49,152 tokens.")
    m_bits.metric("Entropy at T = 1, bits", hidden_or(format_number(view.entropy_bits, 4)),
                  help="The same entropy with log base 2: nats / ln 2.")
    m_kept.metric("Tokens kept", hidden_or(f"{view.kept:,}"),
                  help="The nucleus: tokens left after top-k and top-p; all of them when both are off.")
    m_mass.metric("Kept mass", hidden_or(format_number(view.kept_mass, 4)),
                  help="Probability (after temperature, before renormalising) of the kept tokens; each is divided by it.")
    m_after.metric(f"Sampled entropy, {unit}",
                   hidden_or(format_number(view.final_entropy_nats if unit == "nats" else view.final_entropy_bits, 4)),
                   help="Entropy of the renormalised distribution a sampler with these settings draws from.")
    show_chart(specs.next_token_spec(ids, temperature, top_k, top_p, revealed), name="lm-next-token")
    table = view.bars[["rank", "token", "logit", "p_model", *(["p_tempered", "p_final", "kept"] if revealed else [])]]
    st.dataframe(
        table,
        hide_index=True,
        column_config={
            "logit": st.column_config.NumberColumn("logit", format="%.3f"),
            "p_model": st.column_config.NumberColumn("p at T = 1", format="%.4f"),
            "p_tempered": st.column_config.NumberColumn("after T", format="%.4f"),
            "p_final": st.column_config.NumberColumn("sampled from", format="%.4f"),
            "kept": st.column_config.CheckboxColumn("kept"),
        },
    )


def show_player(where: DeltaGenerator, result: compute.Generation, prompt_text: str, bars: int) -> None:
    """The generation replayed token by token, ``bars`` bars a step, under its explanation."""
    where.markdown(
        "**Step by step.** Frame k shows the first k tokens and the distribution the k-th was drawn "
        "from: its likeliest tokens at T = 1, after the temperature and after top-k and top-p, and "
        "the inverse CDF under them: the sampler adds the probabilities up in token-id order and "
        "draws the token whose share holds the uniform number u."
    )
    animation(result.frames(prompt_text, bars), kind="tokens", key="token-animation", height=player_height(bars))


# ------------------------------------------------------------------ generate
def current_sampler() -> tuple[float, int, float]:
    """The temperature, top-k and top-p the first tab's widgets hold now."""
    return tuple(st.session_state.get(k, PARAMS[k].default) for k in ("temperature", "top_k", "top_p"))  # type: ignore[return-value]


def generation_from_url(ids: tuple[int, ...], seed: int) -> None:
    """A link's ``generated=N``: draw those N tokens again from the link's settings."""
    raw = st.query_params.get("generated")
    if raw is None:
        return
    # normalise_query has read it already: a value it rewrote or refused (and warned about)
    # is in the session state, anything else is canonical.
    if "generated" in st.session_state:
        n_tokens = st.session_state["generated"]
    else:
        n_tokens = PARAMS["generated"].parse(raw)
    if n_tokens > 0:
        st.session_state[GENERATION] = (ids, *current_sampler(), seed, n_tokens)


@st.fragment
def generate_tab(ids: tuple[int, ...] | None) -> None:
    st.markdown(
        "A generation repeats one step: take the next-token distribution (with the "
        "temperature, top-k and top-p of the first tab), draw one token from it, append "
        "it and read the longer text. The seed fixes the random draws, so the same "
        "settings give the same text. **Generate** draws the set number of tokens; **Draw "
        "a token** adds one more to what is shown."
    )
    col_seed, col_steps, col_draw, col_run = st.columns([2, 2, 1, 1], vertical_alignment="bottom")
    seed = widgets.number(PARAMS["seed"], col_seed)
    steps = widgets.slider(PARAMS["steps"], col_steps)
    draw_one = col_draw.button("Draw a token", icon=":material/casino:")
    run = col_run.button("Generate", type="primary", icon=":material/play_arrow:")
    if ids is None:
        return widget_error("type a prompt above first", "prompt")
    if draw_one or run:
        sampler = current_sampler()
        n_tokens = steps
        if draw_one:
            # One more token after the shown ones: one uniform per step from the same seed
            # redraws the same first tokens, so extending by one is drawing one token.
            last = st.session_state.get(GENERATION)
            same = last is not None and tuple(last[:5]) == (ids, *sampler, seed)
            n_tokens = min(last[5] + 1, MAX_STEPS) if same else 1
        st.session_state[GENERATION] = (ids, *sampler, seed, n_tokens)
    elif GENERATION not in st.session_state and not st.session_state.get(GENERATION_READ):
        generation_from_url(ids, seed)
    st.session_state[GENERATION_READ] = True
    args: Any = st.session_state.get(GENERATION)
    current = args is not None and tuple(args[:5]) == (ids, *current_sampler(), seed)
    # The URL names the shown generation only while the settings above are the ones it was
    # drawn with, so a shared link never claims tokens the settings would not give.
    if current and st.query_params.get("generated") != str(args[5]):
        st.query_params["generated"] = str(args[5])
    elif not current and "generated" in st.query_params:
        del st.query_params["generated"]
    if args is None:
        st.info("Press **Generate** to draw tokens (or **Draw a token** for one).", icon=":material/play_arrow:")
        return
    g_ids, g_t, g_k, g_p, g_seed, g_steps = args
    result = compute.generate(g_ids, g_t, g_k, g_p, g_seed, g_steps, unit)
    st.caption(
        f"Drawn with T = {g_t:g}, top-k = {g_k or 'off'}, top-p = {g_p if g_p < 1 else 'off'}, "
        f"seed {g_seed}, {g_steps} token{'s' if g_steps > 1 else ''}"
        + ("" if g_ids == ids else " (for an earlier prompt: press Generate again for this one)")
    )
    g_prompt = lm.model().decode(list(g_ids))
    st.markdown(strip.generated_html(g_prompt, result.text), unsafe_allow_html=True)
    col_text, col_bars = st.columns([3, 1])
    bars = widgets.number(PARAMS["bars"], col_bars)
    if not revealed:
        col_text.caption(f"The step-by-step player is {reveal.HIDDEN}: its first frame reads off the "
                         "exercise's answer.")
    else:
        show_player(col_text, result, g_prompt, bars)
    if not revealed:
        # Step 1 is drawn from the exercise's distribution: its probabilities after the
        # filters, entropy and kept count would read off the answer; the T = 1 ones do not.
        st.caption(f"The per-step numbers after temperature, top-k and top-p are {reveal.HIDDEN}.")
        st.dataframe(result.steps[["step", "token", "token_id", "p_model"]], hide_index=True, column_config={
            "token": st.column_config.TextColumn("token drawn"),
            "token_id": st.column_config.NumberColumn("id", format="%d"),
            "p_model": st.column_config.NumberColumn("p at T = 1", format="%.4f"),
        })
        return
    show_chart(chart_spec(charts.candidates_chart, result.candidates), name="lm-step-candidates")
    st.caption(f"A column with no outline drew a token outside its {compute.STEP_TOP} likeliest; "
               "the table below gives its probability.")
    show_chart(chart_spec(charts.generation_chart, result.steps[["step", "token", "p_drawn"]]), name="lm-generation")
    show_chart(chart_spec(charts.step_entropy_chart, result.steps[["step", "token", "entropy"]], unit=unit),
               name="lm-step-entropy")
    st.dataframe(
        result.steps[["step", "token", "token_id", "p_drawn", "p_model", "entropy", "kept", "top"]],
        hide_index=True,
        column_config={
            "token": st.column_config.TextColumn("token drawn"),
            "token_id": st.column_config.NumberColumn("id", format="%d"),
            "p_drawn": st.column_config.NumberColumn("its probability", format="%.4f",
                                                     help="In the distribution it was drawn from."),
            "p_model": st.column_config.NumberColumn("p at T = 1", format="%.4f"),
            "entropy": st.column_config.NumberColumn(f"entropy, {unit}", format="%.3f"),
            "kept": st.column_config.NumberColumn("tokens kept"),
            "top": st.column_config.TextColumn(f"the {compute.STEP_TOP} likeliest (p)"),
        },
    )


# ------------------------------------------------------------------ score a sentence
@st.fragment
def score_tab() -> None:
    st.markdown(
        "To score a text, the model reads it once and, at every position, gives the "
        "probability of the token that actually comes next. Its surprisal −log p is small "
        "for a token the model expected and large for a surprising one; the average is the "
        "text's negative log-likelihood (NLL), the loss of language-model training, and "
        "its exponential is the perplexity. A model that knows nothing gives every token "
        "1/49,152, so its perplexity is 49,152."
    )
    sentence = widgets.text(PARAMS["sentence"])
    try:
        ids = lm.prompt_ids(sentence, PARAMS["sentence"].label)
        scored = compute.score_sentence(ids, unit)
    except ValueError as exc:
        return widget_error(str(exc).replace("`sentence`", f"“{PARAMS['sentence'].label}”"), "sentence",
                            "lm-surprisal")
    m_nll, m_ppl, m_unif, m_unif_ppl = st.columns(4)
    m_nll.metric(f"Mean NLL, {unit} per token", hidden_or(format_number(scored.mean_nll, 4)),
                 help=f"Average surprisal of the {len(ids) - 1} tokens that have a context.")
    m_ppl.metric("Perplexity", hidden_or(format_number(scored.perplexity, 2)),
                 help="e^NLL with nats, 2^NLL with bits: the same number either way.")
    m_unif.metric(f"Uniform model NLL, {unit}", format_number(scored.uniform_nll, 4),
                  help="log V for V = 49,152 tokens.")
    m_unif_ppl.metric("Uniform model perplexity", f"{scored.uniform_perplexity:,}")
    if revealed:
        st.markdown(strip.surprisal_html(scored.tokens, unit), unsafe_allow_html=True)
        st.caption("Darker means more surprising; hover a token for its numbers. The first token has no "
                   "context to be predicted from (this model uses no start token), so it is not scored.")
        shown = scored.tokens.dropna(subset=["surprisal"])
        show_chart(chart_spec(charts.surprisal_chart, shown, unit=unit), name="lm-surprisal")
    st.dataframe(
        scored.tokens[["position", "token", "probability", *(["surprisal"] if revealed else [])]],
        hide_index=True,
        column_config={
            "probability": st.column_config.NumberColumn("p(token | before)", format="%.5f"),
            "surprisal": st.column_config.NumberColumn(f"surprisal, {unit}", format="%.3f"),
        },
    )


# ------------------------------------------------------------------ two policies
@st.fragment
def policies_tab(ids: tuple[int, ...] | None) -> None:
    st.markdown(
        "RLHF trains a new policy π_new away from the old one π_old and pays a KL penalty for "
        "going too far. Here π_old is the model at T = 1 after the prompt above, and π_new is "
        "either the model after a second prompt or the same prompt at another temperature. "
        "KL is not symmetric, so both directions are shown. Then π_old writes a "
        "continuation; for each of its tokens, the ratio π_new/π_old is what PPO clips to "
        "1 ± ε, and the three per-token KL estimators k1, k2, k3 are averaged and set "
        "against the exact KL."
    )
    compare = widgets.radio(PARAMS["compare"], horizontal=True)
    col_b, col_clip = st.columns([3, 1])
    if compare == COMPARE[0]:
        prompt_b = widgets.text(PARAMS["prompt_b"], col_b)
        t_new = T_OLD
    else:
        t_new = widgets.slider(PARAMS["temperature_b"], col_b)
    clip = widgets.slider(PARAMS["clip"], col_clip)
    col_n, col_seed, col_draw = st.columns([2, 2, 1], vertical_alignment="bottom")
    n_tokens = widgets.slider(PARAMS["kl_tokens"], col_n)
    kl_seed = widgets.number(PARAMS["kl_seed"], col_seed)
    # A continuation costs a forward pass per token (about a second): it is drawn on the
    # page's first run and on this button, not on every move of its length or seed.
    draw = col_draw.button("Draw the continuation", icon=":material/casino:", key="draw-continuation")
    if draw or CONTINUATION not in st.session_state:
        st.session_state[CONTINUATION] = (n_tokens, kl_seed)
    c_tokens, c_seed = st.session_state[CONTINUATION]
    if ids is None:
        return widget_error("type a prompt above first", "prompt", "lm-policies", "lm-ratios", "lm-kl-estimators")
    ids_new = ids
    if compare == COMPARE[0]:
        try:
            ids_new = lm.prompt_ids(prompt_b, PARAMS["prompt_b"].label)
        except ValueError as exc:
            return widget_error(exc, "prompt_b", "lm-policies", "lm-ratios", "lm-kl-estimators")
    pol = compute.two_policies(ids, T_OLD, ids_new, t_new, c_tokens, c_seed, clip, unit)
    m_on, m_no = st.columns(2)
    m_on.metric(f"KL(π_old‖π_new), {unit}", hidden_or(format_number(pol.kl_old_new, 4)),
                help="Σ π_old log(π_old/π_new) over the next token: the penalty RLHF adds.")
    m_no.metric(f"KL(π_new‖π_old), {unit}", hidden_or(format_number(pol.kl_new_old, 4)),
                help="The other direction: a different number, since KL is not symmetric.")
    show_chart(chart_spec(charts.policies_chart, pol.bars), name="lm-policies")

    st.subheader("Along a continuation drawn from π_old")
    st.markdown(strip.generated_html(prompt, pol.text), unsafe_allow_html=True)
    if (c_tokens, c_seed) != (n_tokens, kl_seed):
        st.info(f"Shown: {c_tokens} token{'s' if c_tokens > 1 else ''} drawn with seed {c_seed}. Press **Draw the "
                f"continuation** for {n_tokens} with seed {kl_seed}.", icon=":material/casino:")
    # Built once: a new clip range or continuation swaps the rows (and the title's ε) in.
    ratios = with_rows(chart_shape(charts.ratios_chart, (), pol.continuation, clip=clip), pol.continuation,
                       charts.ratios_band(clip))
    show_chart(ratios | {"title": charts.ratios_title(clip)}, name="lm-ratios")
    m_clip, m_exact, m_k1, m_k2, m_k3 = st.columns(5)
    m_clip.metric("Ratios outside 1 ± ε", hidden_or(f"{pol.clip_fraction:.0%}"))
    m_exact.metric("Exact KL per token, nats", hidden_or(format_number(pol.exact_mean, 4)),
                   help="Mean over the continuation of each step's exact KL(π_old‖π_new).")
    for col, name, value, err in ((m_k1, "k1", pol.k1, pol.k1_stderr), (m_k2, "k2", pol.k2, pol.k2_stderr),
                                  (m_k3, "k3", pol.k3, pol.k3_stderr)):
        col.metric(f"{name} estimate, nats", hidden_or(format_number(value, 4)),
                   help=f"Mean of {name} over the sampled tokens; standard error {format_number(err, 4)}.")
    if revealed:
        estimators = pd.DataFrame(
            {
                "estimator": ["k1 = −log r", "k2 = ½ (log r)²", "k3 = (r − 1) − log r"],
                "estimate": [pol.k1, pol.k2, pol.k3],
                "lo": [pol.k1 - pol.k1_stderr, pol.k2 - pol.k2_stderr, pol.k3 - pol.k3_stderr],
                "hi": [pol.k1 + pol.k1_stderr, pol.k2 + pol.k2_stderr, pol.k3 + pol.k3_stderr],
            }
        ).fillna(0.0)
        # Built once (three fixed estimators and a rule): a new pair of policies swaps the rows in.
        spec = chart_shape(charts.kl_estimators_chart, (), estimators, exact=pol.exact_mean)
        show_chart(with_rows(spec, estimators, charts.exact_kl_frame(pol.exact_mean)), name="lm-kl-estimators")
        st.dataframe(
            pol.continuation[["step", "token", "token_id", "logp_old", "logp_new", "ratio", "exact_kl", "k1", "k2", "k3"]],
            hide_index=True,
            column_config={
                "token_id": st.column_config.NumberColumn("id", format="%d"),
                "logp_old": st.column_config.NumberColumn("log π_old", format="%.4f"),
                "logp_new": st.column_config.NumberColumn("log π_new", format="%.4f"),
                "ratio": st.column_config.NumberColumn("r = π_new/π_old", format="%.4f"),
                "exact_kl": st.column_config.NumberColumn("exact KL of the step", format="%.4f"),
                **{k: st.column_config.NumberColumn(k, format="%.4f") for k in ("k1", "k2", "k3")},
            },
        )
        st.caption("Here r = π_new/π_old per sampled token. k1 and k3 are unbiased; k2 is biased but never "
                   "negative. Error bars: one standard error over the tokens.")


with tab_next:
    next_token_tab(prompt_ids)
with tab_generate:
    generate_tab(prompt_ids)
with tab_score:
    score_tab()
with tab_policies:
    policies_tab(prompt_ids)

show_exercise_links("language_model")
