"""The Language model page's numbers, from the model's logits through core's functions.

Every function is cached on token ids and settings and returns small frames (a full
row of logits is 49,152 numbers; only the shown tokens leave this module).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import streamlit as st
from numpy.typing import NDArray
from scipy import special

from core import sampling
from core.information import cross_entropy_from_logits, entropy, kl_divergence, perplexity
from dashboard.common.limits import CACHE_ENTRIES
from dashboard.common.lm import model, next_logits, readable, top_tokens
from dashboard.common.units import in_unit
from dashboard.topics.language_model import motion

__all__ = [
    "REST",
    "SHOWN_TOKENS",
    "Continuation",
    "Generation",
    "NextTokenView",
    "Scoring",
    "TwoPolicies",
    "continuation",
    "generate",
    "next_token_view",
    "score_sentence",
    "two_policies",
]

#: Tokens drawn as bars; the rest of the vocabulary is one more bar.
SHOWN_TOKENS = 20
#: The label of the bar holding every token not shown.
REST = "the rest"
#: Tokens listed per generation step.
STEP_TOP = 5
#: Tokens kept per step for the player's bars (the drawn one is added when outside them);
#: the page's "bars" setting shows up to this many.
PLAYER_TOKENS = 20


def _filters(top_k: int, top_p: float) -> tuple[int | None, float | None]:
    """The page's "off" values (top-k 0, top-p 1) as core's None."""
    return (top_k if top_k > 0 else None, top_p if top_p < 1.0 else None)


def _entropies(probs: NDArray[np.floating]) -> tuple[float, float]:
    """Entropy in nats and in bits."""
    return float(entropy(probs)), float(entropy(probs, base=2))


@dataclass(frozen=True)
class NextTokenView:
    """The next-token distribution of a prompt, before and after the sampler's settings.

    ``bars`` has one row per shown token plus :data:`REST`: ``rank``, ``token`` (readable
    text), ``token_id``, ``logit``, ``p_model`` (T = 1), ``p_tempered`` and ``p_final``
    (after top-k and top-p, renormalised: what is sampled), ``kept`` (bool).
    """

    bars: pd.DataFrame
    entropy_nats: float
    entropy_bits: float
    final_entropy_nats: float
    final_entropy_bits: float
    kept: int
    kept_mass: float
    vocab_size: int


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def next_token_view(ids: tuple[int, ...], temperature: float, top_k: int, top_p: float) -> NextTokenView:
    """Temperature, top-k and top-p on the model's next-token logits (core.sampling)."""
    logits = next_logits(ids)
    k, p = _filters(top_k, top_p)
    p_model = sampling.sampling_probs(logits)
    p_tempered = sampling.sampling_probs(logits, temperature=temperature)
    p_final = sampling.sampling_probs(logits, temperature=temperature, top_k=k, top_p=p)
    kept = p_final > 0
    shown = top_tokens(logits, SHOWN_TOKENS)
    lm = model()
    rest = np.ones(len(logits), dtype=bool)
    rest[shown] = False
    bars = pd.DataFrame(
        {
            "rank": np.arange(1, len(shown) + 1),
            "token": [readable(lm.token_text(int(i))) for i in shown],
            "token_id": shown.astype(int),
            "logit": logits[shown].astype(float),
            "p_model": p_model[shown],
            "p_tempered": p_tempered[shown],
            "p_final": p_final[shown],
            "kept": kept[shown],
        }
    )
    rest_row = {
        "rank": len(shown) + 1,
        "token": f"{REST} ({int(rest.sum()):,} tokens)",
        "token_id": -1,
        "logit": float("nan"),
        "p_model": float(p_model[rest].sum()),
        "p_tempered": float(p_tempered[rest].sum()),
        "p_final": float(p_final[rest].sum()),
        "kept": bool(kept[rest].any()),
    }
    bars = pd.concat([bars, pd.DataFrame([rest_row])], ignore_index=True)
    h_nats, h_bits = _entropies(p_model)
    f_nats, f_bits = _entropies(p_final)
    return NextTokenView(
        bars=bars,
        entropy_nats=h_nats,
        entropy_bits=h_bits,
        final_entropy_nats=f_nats,
        final_entropy_bits=f_bits,
        kept=int(kept.sum()),
        kept_mass=float(p_tempered[kept].sum()),
        vocab_size=len(logits),
    )


@dataclass(frozen=True)
class Generation:
    """Tokens drawn one at a time from the sampler's distribution.

    ``steps`` has a row per drawn token: ``step``, ``token`` (readable), ``token_id``,
    ``p_drawn`` (its probability in the distribution it was drawn from), ``p_model``
    (at T = 1), ``entropy`` (of the sampled distribution, in ``unit``), ``kept``
    (tokens the filters kept) and ``top`` (the :data:`STEP_TOP` likeliest, as text).
    ``candidates`` is long: ``step``, ``rank``, ``token``, ``p_final``, ``drawn``.
    ``draws`` keeps each step for the token player (:mod:`.motion`), ``names`` the
    readable text of every token id they show.
    """

    text: str
    steps: pd.DataFrame
    candidates: pd.DataFrame
    unit: str
    draws: tuple[motion.TokenStep, ...]
    names: dict[int, str]

    def frames(self, prompt: str, bars: int) -> dict[str, object]:
        """The token player's frames of this generation after ``prompt``, ``bars`` bars a
        step (entropies in ``unit``)."""
        return motion.token_frames(prompt, self.draws, self.names.__getitem__, unit=self.unit, bars=bars)


def generate(
    ids: tuple[int, ...], temperature: float, top_k: int, top_p: float, seed: int, steps: int, unit: str
) -> Generation:
    """Draw ``steps`` tokens after ``ids`` with the key/value cache, one uniform per step
    from ``numpy.random.default_rng(seed)`` turned into a token by
    core.sampling.sample_categorical's inverse CDF."""
    drawn = _generate(ids, temperature, top_k, top_p, seed, steps)
    if unit == "nats":
        return drawn
    return replace(drawn, steps=drawn.steps.assign(entropy=in_unit(drawn.steps["entropy"], unit)), unit=unit)


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _generate(ids: tuple[int, ...], temperature: float, top_k: int, top_p: float, seed: int, steps: int) -> Generation:
    """:func:`generate` in nats (a change of unit reuses the draws)."""
    lm = model()
    k, p = _filters(top_k, top_p)
    rng = np.random.default_rng(seed)
    session = lm.session(np.asarray(ids, dtype=np.int64))
    logits = session.next_logits
    drawn: list[motion.TokenStep] = []
    for step in range(1, steps + 1):
        # One uniform per step, turned into a token by core's inverse CDF (the player shows it).
        drawn.append(motion.token_step(logits, temperature=temperature, top_k=k, top_p=p, u=float(rng.random()),
                                       n=PLAYER_TOKENS))
        if step < steps:
            logits = session.append([drawn[-1].token])
    text = [readable(lm.token_text(int(i))) for s in drawn for i in s.shown]
    names = dict(zip((int(i) for s in drawn for i in s.shown), text, strict=True))
    rows = [
        {
            "step": step,
            "token": names[s.token],
            "token_id": s.token,
            "p_drawn": s.p_drawn,
            "p_model": s.p_drawn_model,
            "entropy": s.entropy_final,
            "kept": s.n_kept,
            "top": ", ".join(f"{names[int(i)]} {q:.3f}" for i, q in zip(s.shown[:STEP_TOP], s.p_final, strict=False)),
        }
        for step, s in enumerate(drawn, start=1)
    ]
    candidates = [
        {"step": step, "rank": r + 1, "token": names[int(i)], "p_final": float(q), "drawn": int(i) == s.token}
        for step, s in enumerate(drawn, start=1)
        for r, (i, q) in enumerate(zip(s.shown[:STEP_TOP], s.p_final, strict=False))
    ]
    return Generation(
        text=lm.decode(np.asarray([s.token for s in drawn], dtype=np.int64)),
        steps=pd.DataFrame(rows),
        candidates=pd.DataFrame(candidates),
        unit="nats",
        draws=tuple(drawn),
        names=names,
    )


@dataclass(frozen=True)
class Scoring:
    """A sentence scored token by token.

    ``tokens`` has a row per token: ``position``, ``token`` (readable), ``text`` (as
    written), ``token_id``, ``probability`` and ``surprisal`` (in ``unit``; NaN for
    the first token, which has no context to be predicted from: the model has no BOS).
    """

    tokens: pd.DataFrame
    mean_nll: float
    perplexity: float
    uniform_nll: float
    uniform_perplexity: int
    unit: str


def score_sentence(ids: tuple[int, ...], unit: str) -> Scoring:
    """Per-token surprisal −log p(token | earlier tokens), mean NLL and perplexity."""
    scored = _score_sentence(ids)
    if unit == "nats":
        return scored
    return replace(
        scored,
        tokens=scored.tokens.assign(surprisal=in_unit(scored.tokens["surprisal"], unit)),
        mean_nll=float(in_unit(scored.mean_nll, unit)),
        uniform_nll=float(in_unit(scored.uniform_nll, unit)),
        unit=unit,
    )


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _score_sentence(ids: tuple[int, ...]) -> Scoring:
    """:func:`score_sentence` in nats (a change of unit reuses the forward pass)."""
    if len(ids) < 2:
        raise ValueError("`sentence` has one token; it needs at least two (the first has nothing to be predicted from)")
    lm = model()
    logits = lm.logits(np.asarray(ids, dtype=np.int64))
    nll = np.asarray(cross_entropy_from_logits(logits[:-1], np.asarray(ids[1:]), reduction="none"))
    surprisal = np.concatenate([[np.nan], nll])
    texts = [lm.token_text(i) for i in ids]
    tokens = pd.DataFrame(
        {
            "position": np.arange(len(ids)),
            "token": [readable(t) for t in texts],
            "text": texts,
            "token_id": list(ids),
            "probability": np.concatenate([[np.nan], np.exp(-nll)]),
            "surprisal": surprisal,
        }
    )
    mean_nll = float(np.mean(nll))
    return Scoring(
        tokens=tokens,
        mean_nll=mean_nll,
        perplexity=float(perplexity(mean_nll)),
        uniform_nll=math.log(lm.vocab_size),
        uniform_perplexity=lm.vocab_size,
        unit="nats",
    )


@dataclass(frozen=True)
class TwoPolicies:
    """Two next-token policies, their KL both ways, and importance ratios along a continuation.

    ``continuation`` has a row per sampled token (drawn from π_old): ``step``,
    ``token``, ``logp_old``, ``logp_new``, ``ratio`` (π_new/π_old), ``clipped``
    (outside [1 − ε, 1 + ε]), ``exact_kl`` (KL(π_old‖π_new) of that step's full
    distributions), ``k1``, ``k2``, ``k3`` (in nats).
    ``bars``: the two policies' probabilities of the tokens either ranks highest.
    """

    kl_old_new: float
    kl_new_old: float
    bars: pd.DataFrame
    continuation: pd.DataFrame
    text: str
    exact_mean: float
    k1: float
    k2: float
    k3: float
    k1_stderr: float
    k2_stderr: float
    k3_stderr: float
    clip_fraction: float


@dataclass(frozen=True)
class Continuation:
    """Tokens drawn one at a time from the model after a prompt, with the logits each
    was drawn from (``logits[t]`` scores token ``t``; float32, shape (steps, vocab))."""

    drawn: tuple[int, ...]
    logits: NDArray[np.float32]


# Few entries: each holds a (steps, 49,152) block of float32 logits, up to 10 MB.
@st.cache_data(max_entries=CACHE_ENTRIES // 8, show_spinner=False)
def continuation(ids: tuple[int, ...], temperature: float, steps: int, seed: int) -> Continuation:
    """``steps`` tokens drawn after ``ids`` from the model at ``temperature`` (no
    filters), one uniform per step from ``numpy.random.default_rng(seed)``, with the
    key/value cache."""
    rng = np.random.default_rng(seed)
    session = model().session(np.asarray(ids, dtype=np.int64))
    rows = [session.next_logits]
    drawn: list[int] = []
    for step in range(steps):
        drawn.append(int(sampling.sample_categorical(sampling.sampling_probs(rows[-1], temperature=temperature), rng=rng)))
        if step < steps - 1:
            rows.append(session.append(drawn[-1:]))
    return Continuation(tuple(drawn), np.stack(rows))


def _log_probs(logits: NDArray[np.floating], temperature: float) -> NDArray[np.float64]:
    """log softmax(logits / T) per row, exact in the tail where exp would underflow."""
    return np.asarray(special.log_softmax(sampling.apply_temperature(logits, temperature), axis=-1), dtype=np.float64)


def _step_log_probs(prompt: tuple[int, ...], drawn: tuple[int, ...], temperature: float) -> NDArray[np.float64]:
    """log π(· | prompt, drawn[:t]) for each step t: shape (len(drawn), vocab_size)."""
    logits = model().logits(np.asarray([*prompt, *drawn[:-1]], dtype=np.int64))[len(prompt) - 1 :]
    return _log_probs(logits, temperature)


def two_policies(
    ids_old: tuple[int, ...],
    t_old: float,
    ids_new: tuple[int, ...],
    t_new: float,
    steps: int,
    seed: int,
    clip: float,
    unit: str,
) -> TwoPolicies:
    """π_old = the model at ``t_old`` after ``ids_old``; π_new at ``t_new`` after ``ids_new``.

    A continuation of ``steps`` tokens is drawn from π_old with ``seed`` (as PPO's
    rollouts are, see :func:`continuation`); each of its tokens is scored by both
    policies, each reading its own prompt plus the continuation so far. KL values are in ``unit``; the
    per-token ratios and estimators in nats.
    """
    scores = _policy_scores(ids_old, t_old, ids_new, t_new, steps, seed)
    frame = scores.continuation
    ppo = sampling.ppo_clip_objective(frame["logp_new"], frame["logp_old"], np.ones(len(frame)), epsilon=clip)
    return replace(
        scores,
        continuation=frame.assign(clipped=np.abs(ppo.ratio - 1.0) > clip),
        kl_old_new=float(in_unit(scores.kl_old_new, unit)),
        kl_new_old=float(in_unit(scores.kl_new_old, unit)),
        clip_fraction=ppo.ratio_outside_fraction,
    )


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _policy_scores(
    ids_old: tuple[int, ...], t_old: float, ids_new: tuple[int, ...], t_new: float, steps: int, seed: int
) -> TwoPolicies:
    """:func:`two_policies` in nats with no clip range (the forward passes, cached).

    π_old's log-probabilities come from the logits the continuation was drawn from; π_new
    reuses them at its own temperature when it reads the same prompt, and otherwise
    reads its prompt plus the continuation in one forward pass."""
    lm = model()
    p_old = sampling.sampling_probs(next_logits(ids_old), temperature=t_old)
    p_new = sampling.sampling_probs(next_logits(ids_new), temperature=t_new)
    union = np.unique(np.concatenate([top_tokens(p_old, 10), top_tokens(p_new, 10)]))
    union = union[np.argsort(-(p_old[union] + p_new[union]), kind="stable")]
    bars = pd.DataFrame(
        {
            "token": [readable(lm.token_text(int(i))) for i in union] * 2,
            "policy": ["π_old"] * len(union) + ["π_new"] * len(union),
            "probability": np.concatenate([p_old[union], p_new[union]]),
        }
    )
    rollout = continuation(ids_old, t_old, steps, seed)
    drawn = rollout.drawn
    lp_old = _log_probs(rollout.logits, t_old)
    lp_new = _log_probs(rollout.logits, t_new) if ids_new == ids_old else _step_log_probs(ids_new, drawn, t_new)
    rows = np.arange(len(drawn))
    chosen_old, chosen_new = lp_old[rows, list(drawn)], lp_new[rows, list(drawn)]
    exact = np.asarray(kl_divergence(np.exp(lp_old), np.exp(lp_new)))
    estimates = sampling.kl_estimators(chosen_old, chosen_new)
    frame = pd.DataFrame(
        {
            "step": rows + 1,
            "token": [readable(lm.token_text(t)) for t in drawn],
            "token_id": list(drawn),
            "logp_old": chosen_old,
            "logp_new": chosen_new,
            "ratio": sampling.policy_ratio(chosen_new, chosen_old),
            "clipped": False,
            "exact_kl": exact,
            "k1": estimates.k1,
            "k2": estimates.k2,
            "k3": estimates.k3,
        }
    )
    return TwoPolicies(
        kl_old_new=float(kl_divergence(p_old, p_new)),
        kl_new_old=float(kl_divergence(p_new, p_old)),
        bars=bars,
        continuation=frame,
        text=lm.decode(np.asarray(drawn, dtype=np.int64)),
        exact_mean=float(exact.mean()),
        k1=estimates.k1_mean,
        k2=estimates.k2_mean,
        k3=estimates.k3_mean,
        k1_stderr=estimates.k1_stderr,
        k2_stderr=estimates.k2_stderr,
        k3_stderr=estimates.k3_stderr,
        clip_fraction=float("nan"),
    )
