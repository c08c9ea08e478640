"""Sampling page: decoding a next token (with its inverse CDF), rejection and importance
sampling, PPO clipping and the KL estimators used in RLHF.

Each tab is an ``st.fragment``: moving a widget reruns only its own tab, and every chart
is a cached spec keyed on the inputs it draws (:mod:`dashboard.topics.sampling.specs`).
"""

from __future__ import annotations

import streamlit as st

from core.lm import ModelNotInstalledError
from dashboard.common import inputs, lm, widgets
from dashboard.common.exercise_links import show_exercise_links
from dashboard.common.sources import REAL_MODEL
from dashboard.common.ui import Metric, format_number, metric_row, show_chart, show_stale_chart
from dashboard.practice import reveal
from dashboard.topics.sampling import compute, specs
from dashboard.topics.sampling.params import PARAMS

#: The sections whose numbers answer each exercise that links here; a linked exercise
#: not listed hides every section's answers until the first attempt.
ANSWER_SECTIONS: dict[str, frozenset[str]] = {
    "sampling.top_p_filter": frozenset({"token"}),
    "sampling.top_k_filter": frozenset({"token"}),
    "sampling.temperature": frozenset({"token"}),
    "sampling.top_p_kept_set": frozenset({"token"}),
    "sampling.inverse_cdf_token": frozenset({"token"}),
    "sampling.rejection_rate": frozenset({"rejection"}),
    "sampling.kl_div_trap": frozenset({"trap"}),
    "sampling.importance_ess": frozenset(),  # its link carries no numbers
    "sampling.kl_estimators": frozenset(),
}
SECTIONS = frozenset({"token", "rejection", "trap"})

st.title("Sampling: from logits to tokens, and beyond")
widgets.normalise_query(PARAMS)  # before any widget: accept aliases and any case
st.markdown(
    "A language model hands the sampler a score per token; everything after that is "
    "probability. Start with the first tab: move the temperature and the top-k / top-p "
    "cut-offs and watch which tokens survive and how their shares are rescaled, then "
    "turn a uniform number into a token. The other tabs take the same idea further: "
    "accepting or rejecting proposals, reweighting draws from the wrong distribution, "
    "and the ratio clipping and KL estimates that keep RLHF training close to where it "
    "started."
)
_revealed = reveal.show_reveal_note()
_linked = reveal.linked_exercise()


def shows(section: str) -> bool:
    """Whether ``section``'s computed answers may be shown (the reveal rule)."""
    return _revealed or section not in ANSWER_SECTIONS.get(_linked or "", SECTIONS)


def widget_error(exc: ValueError | str, *keys: str) -> None:
    """The error in plain words, naming the widget(s) it is about (once)."""
    message = str(exc)
    labels = [f"“{PARAMS[key].label}”" for key in keys]
    if not any(label in message for label in labels):
        message = f"Check {' and '.join(labels)}: {message}"
    st.error(message[0].upper() + message[1:], icon=":material/error:")


def stale(*charts: str, side_by_side: bool = False) -> None:
    """After a rejected input: the tab's last good ``charts``, greyed, where they were drawn."""
    places = st.columns(len(charts)) if side_by_side else [None] * len(charts)
    for name, where in zip(charts, places, strict=True):
        show_stale_chart(name, where)


def probabilities(text: str, key: str) -> tuple[float, ...] | None:
    """The probabilities typed in widget ``key``, or None after saying in words what is wrong."""
    try:
        values = inputs.parse_numbers(text, key.rsplit("_", 1)[-1])
    except ValueError as exc:
        widget_error(exc, key)
        return None
    if any(v < 0 for v in values):
        widget_error("a probability cannot be negative", key)
        return None
    total = sum(values)
    if abs(total - 1.0) > 1e-6:
        widget_error(f"the probabilities add up to {total:.6g}; they must add up to 1", key)
        return None
    return values


(tab_token, tab_rejection, tab_importance, tab_ppo, tab_kl) = st.tabs(
    ["Next token", "Rejection sampling", "Importance sampling", "PPO clipping", "KL estimators"]
)


#: The next-token tab's two charts, side by side, and its inverse-CDF chart below them.
TOKEN_CHARTS = ("sampling-token-sampling", "sampling-top-p")
INVERSE_CDF_CHART = "sampling-inverse-cdf"


def token_tab_stale() -> None:
    """After a rejected token input: the tab's last good charts, greyed, in their places."""
    stale(*TOKEN_CHARTS, side_by_side=True)
    stale(INVERSE_CDF_CHART)


@st.fragment
def next_token_tab() -> None:
    """Temperature, top-k and top-p on one row of logits, then inverse-CDF sampling of it."""
    st.markdown(
        "Temperature divides every logit before the softmax: below 1 the favourite takes "
        "more of the mass, above 1 the shares even out. Top-k then keeps the k highest "
        "scores, top-p the smallest set of leading tokens whose mass reaches p; whatever "
        "is kept is rescaled to sum to one. Faded bars are the tokens that can no longer "
        "be drawn."
    )
    source = widgets.radio(PARAMS["tok_source"], horizontal=True)
    col_names, col_logits = st.columns(2)
    if source == REAL_MODEL:
        prompt = widgets.text(PARAMS["tok_prompt"], col_names)
        n_top = widgets.number(PARAMS["tok_top"], col_logits)
    else:
        tokens_text = widgets.text(PARAMS["tok_names"], col_names)
        logits_text = widgets.text(PARAMS["tok_logits"], col_logits)
    temperature, top_k, top_p = widgets.row(
        (widgets.slider, PARAMS["temperature"]),
        (widgets.number, PARAMS["top_k"]),
        (widgets.slider, PARAMS["top_p"]),
    )
    if source == REAL_MODEL:
        try:
            tokens, logits, mass = lm.top_next_tokens(prompt, PARAMS["tok_prompt"].label, n_top)
        except (ValueError, ModelNotInstalledError) as exc:
            widget_error(exc, "tok_prompt")
            return token_tab_stale()
        st.caption(f"The model's {n_top} likeliest next tokens (␣ is a space) and their real logits; "
                   f"together they hold {mass:.1%} of its probability, and the softmax below "
                   "renormalises them.")
    else:
        try:
            tokens = inputs.parse_tokens(tokens_text, "tokens")
        except ValueError as exc:
            widget_error(exc, "tok_names")
            return token_tab_stale()
        try:
            logits = inputs.parse_numbers(logits_text, "logits")
        except ValueError as exc:
            widget_error(exc, "tok_logits")
            return token_tab_stale()
    key = (tokens, logits, temperature, top_k if top_k > 0 else None, top_p if top_p < 1.0 else None)
    try:
        view = compute.next_token(*key)
    except ValueError as exc:
        widget_error(exc, "tok_names", "tok_logits")
        return token_tab_stale()
    shown = shows("token")
    top = view.table.loc[view.table["p_final"].idxmax()]
    metric_row([
        Metric("Tokens kept", f"{len(view.kept)} of {len(view.table)}"),
        Metric("Mass kept before renormalising", view.kept_mass,
               help="The tempered probability of the kept set; each kept share is divided by it."),
        Metric("Most likely token", f"{top['token']} ({format_number(top['p_final'])})"),
    ], revealed=shown)
    if shown:
        st.markdown("Kept set: " + ", ".join(f"**{t}**" for t in view.kept))
    col_bars, col_mass = st.columns(2)
    show_chart(specs.token_spec(key, shown), name=TOKEN_CHARTS[0], where=col_bars)
    show_chart(specs.top_p_spec(key, shown), name=TOKEN_CHARTS[1], where=col_mass)
    columns = ["token", "logit", "p_softmax", *(["p_tempered", "kept", "p_final"] if shown else [])]
    st.dataframe(
        view.table[columns],
        hide_index=True,
        column_config={
            "logit": st.column_config.NumberColumn("logit", format="%.3f"),
            "p_softmax": st.column_config.NumberColumn("softmax (T = 1)", format="%.4f"),
            "p_tempered": st.column_config.NumberColumn("after T", format="%.4f"),
            "p_final": st.column_config.NumberColumn("sampled from", format="%.4f"),
            "kept": st.column_config.CheckboxColumn("kept"),
        },
    )

    st.subheader("From a uniform number to a token")
    st.markdown(
        "One uniform number u between 0 and 1 is all a sampler needs. Stack the kept "
        "tokens' probabilities into a staircase (the CDF); u lands on one step, and that "
        "step's token is the draw. A token with a tall step catches many uniforms; a "
        "filtered-out token has no step at all. Change the seed to draw fresh uniforms."
    )
    cdf_seed = widgets.number(PARAMS["cdf_seed"])
    if not shown:
        st.caption(f"The staircase is {reveal.HIDDEN}: it reads off the exercise's answer.")
        return
    draws = compute.inverse_cdf(tuple(view.table["token"]), tuple(view.table["p_final"]), cdf_seed)
    col_chart, col_table = st.columns([3, 2])
    show_chart(specs.inverse_cdf_spec(key, cdf_seed), name=INVERSE_CDF_CHART, where=col_chart)
    col_table.dataframe(
        draws.draws[["draw", "u", "token"]],
        hide_index=True,
        column_config={"u": st.column_config.NumberColumn("u", format="%.4f")},
    )


@st.fragment
def rejection_tab() -> None:
    """Rejection sampling of a Beta density under a flat roof."""
    st.markdown(
        "To sample a Beta(a, b) density p with only a uniform proposal q, raise a flat "
        "roof at height M above the curve. Each proposal x gets a random height under the "
        "roof; it is kept when that height falls under p(x). Blue points are kept, orange "
        "ones thrown away, so the kept share is the area under p over the area under the "
        "roof: 1/M. A roof that does not cover the curve is refused."
    )
    rej_a, rej_b, rej_m = widgets.row(
        (widgets.number, PARAMS["rej_a"]),
        (widgets.number, PARAMS["rej_b"]),
        (widgets.number, PARAMS["rej_m"]),
    )
    rej_n, rej_seed = widgets.row((widgets.slider, PARAMS["rej_n"]), (widgets.number, PARAMS["rej_seed"]))
    try:
        rej = compute.rejection_view(rej_a, rej_b, rej_m, rej_n, rej_seed)
    except ValueError as exc:
        widget_error(exc, "rej_m")
        return stale("sampling-rejection")
    shown = shows("rejection")
    metric_row([
        Metric("Acceptance rate", rej.acceptance_rate,
               help=f"{rej.n_accepted} of {rej.n_proposals} proposals kept." if shown else None),
        Metric("1 / M", rej.expected_rate),
        Metric("Standard error of the rate", rej.rate_stderr, 4,
               help="√((1/M)(1 − 1/M) / proposals): the rate's usual distance from 1/M."),
        Metric("Largest p/q seen", rej.max_ratio,
               help="The tightest roof for these draws; M above it only wastes proposals."),
    ], revealed=shown)
    show_chart(specs.rejection_spec(rej_a, rej_b, rej_m, rej_n, rej_seed), name="sampling-rejection")
    if rej.n_proposals > compute.REJECTION_POINTS_SHOWN:
        st.caption(
            f"The chart shows the first {compute.REJECTION_POINTS_SHOWN} proposals; the "
            "rate counts all of them."
        )


@st.fragment
def importance_tab() -> None:
    """Importance sampling of E[X²] under N(0, 1) from a shifted, rescaled normal."""
    st.markdown(
        "Here we estimate E[X²] = 1 for X ~ N(0, 1) using draws from a different normal, "
        "the proposal. Each draw is weighted by how much more likely it is under the "
        "target than under the proposal. Slide the proposal away from the target: a few "
        "draws get huge weights, the effective sample size collapses, and repeated "
        "estimates scatter widely. A wider proposal is far more forgiving than a narrower one."
    )
    is_shift, is_scale, is_n, is_seed = widgets.row(
        (widgets.slider, PARAMS["is_shift"]),
        (widgets.number, PARAMS["is_scale"]),
        (widgets.slider, PARAMS["is_n"]),
        (widgets.number, PARAMS["is_seed"]),
    )
    try:
        imp = compute.importance_view(is_shift, is_scale, is_n, is_seed)
    except ValueError as exc:
        widget_error(exc, "is_scale")
        return stale("sampling-importance-weights", "sampling-importance-sweep")
    metric_row([
        Metric("Estimate of E[X²]", imp.estimate, 4, help="(1/n) Σ wᵢ xᵢ², the plain importance-sampling estimate."),
        Metric("Its standard error", imp.stderr, 4),
        Metric("Effective sample size", imp.ess, 1,
               help="(Σw)² / Σw²: how many equally weighted draws these are worth."),
        Metric("Exact E[X²]", imp.exact, 4),
    ])
    show_chart(specs.importance_weights_spec(is_shift, is_scale, is_n, is_seed), name="sampling-importance-weights")
    st.subheader("Moving the proposal")
    st.markdown(
        f"For each proposal mean, {compute.IMPORTANCE_REPEATS} fresh estimates with the "
        "same n and width. Left: the effective sample size of one run as a share of n. "
        "Middle: how far the estimates scatter (log scale). Right: their average against "
        "the true value 1. Far out, the scatter can even look small while the average "
        "is wrong: the rare draws that carry the answer simply never turn up."
    )
    show_chart(specs.importance_sweep_spec(is_shift, is_scale, is_n, is_seed),
              name="sampling-importance-sweep", width="content")


@st.fragment
def ppo_tab() -> None:
    """PPO's clipped objective at one ratio and over a range of ratios."""
    st.markdown(
        "PPO scores a sampled token by the ratio r of its probability under the new policy "
        "to the old one, times the advantage A. To keep each update small, the ratio is "
        "clipped to [1 − ε, 1 + ε] and the smaller of the clipped and unclipped terms is "
        "kept. In the shaded range the objective is flat, so that token stops pushing "
        "the policy: above 1 + ε when A > 0, below 1 − ε when A < 0."
    )
    ppo_adv, ppo_eps, ppo_ratio = widgets.row(
        (widgets.number, PARAMS["ppo_adv"]),
        (widgets.slider, PARAMS["ppo_eps"]),
        (widgets.number, PARAMS["ppo_ratio"]),
    )
    try:
        ppo = compute.ppo_view(ppo_adv, ppo_eps, ppo_ratio)
    except ValueError as exc:
        widget_error(exc, "ppo_ratio")
        return stale("sampling-ppo-clip")
    metric_row([
        Metric("r · A (unclipped)", ppo.unclipped),
        Metric("PPO objective", ppo.objective, help="min(r·A, clip(r, 1 − ε, 1 + ε)·A)"),
        Metric("Clipped?", "yes" if ppo.clipped else "no"),
    ])
    show_chart(specs.ppo_spec(ppo_adv, ppo_eps, ppo_ratio), name="sampling-ppo-clip")


@st.fragment
def kl_estimators_section() -> None:
    """k1, k2, k3 estimates of KL(π‖π_ref) from the policy's own samples."""
    st.markdown(
        "RLHF penalises the policy π for drifting from a reference π_ref, estimating "
        "KL(π‖π_ref) from the policy's own samples. With π = N(0, 1) and π_ref = N(μ, 1) "
        "the exact value is μ²/2. k1 and k3 are unbiased; k2 is biased but never negative; "
        "k3 also never goes negative, and while the two policies stay close it has the "
        "smallest standard error. Push μ up and watch that advantage disappear."
    )
    kl_mu, kl_n, kl_seed = widgets.row(
        (widgets.slider, PARAMS["kl_mu"]),
        (widgets.slider, PARAMS["kl_n"]),
        (widgets.number, PARAMS["kl_seed"]),
    )
    kl = compute.kl_estimator_view(kl_mu, kl_n, kl_seed)
    st.metric("Exact KL(π‖π_ref), nats", format_number(kl.exact, 4))
    st.dataframe(
        kl.table,
        hide_index=True,
        column_config={
            "estimate": st.column_config.NumberColumn("estimate", format="%.4f"),
            "stderr": st.column_config.NumberColumn("standard error", format="%.4f"),
        },
    )


@st.fragment
def kl_div_trap_section() -> None:
    """torch's F.kl_div called right and wrong."""
    st.subheader("The F.kl_div trap")
    st.markdown(
        "PyTorch's `F.kl_div(input, target)` wants the *log* of the model's distribution "
        "first. Hand it raw probabilities q instead and it still returns a number, with "
        "no warning, and that number is not the KL divergence (it can even be negative)."
    )
    col_p, col_q = st.columns(2)
    p_text = widgets.text(PARAMS["trap_p"], col_p)
    q_text = widgets.text(PARAMS["trap_q"], col_q)
    p, q = probabilities(p_text, "trap_p"), probabilities(q_text, "trap_q")
    if p is None or q is None:
        return
    try:
        trap = compute.kl_div_trap(p, q)
    except ValueError as exc:
        return widget_error(exc, "trap_p", "trap_q")
    shown = shows("trap")
    metric_row([
        Metric("KL(p‖q), nats", trap.exact, 4),
        Metric("kl_div(log q, p)", trap.right, 4, help="The right call (reduction='batchmean'): equal to KL(p‖q)."),
        Metric("kl_div(q, p): silently wrong", trap.wrong, 4,
               help="Σ p (log p − q): what torch returns when q is passed unlogged."),
    ], revealed=shown)
    for problem in trap.problems:
        st.warning(f"A check of the wrong call finds: {problem}", icon=":material/warning:")


with tab_token:
    next_token_tab()
with tab_rejection:
    rejection_tab()
with tab_importance:
    importance_tab()
with tab_ppo:
    ppo_tab()
with tab_kl:
    kl_estimators_section()
    kl_div_trap_section()

show_exercise_links("sampling")
