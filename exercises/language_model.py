"""A real language model's numbers: SmolLM2-135M's next-token distributions and sentence scores.

Each variant draws a prompt (or sentence, or prompt pair) from the fixed lists of
:mod:`exercises._lm_numbers` and prints the model's numbers the student needs. Grading
never runs the model: the numbers are stored in ``lm_numbers.json``, and every expected
answer and misconception is computed from them **as printed** (logits to two decimals,
probabilities to four significant digits), so the student's arithmetic on the sheet is
exact.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from scipy.special import softmax

from core.information import entropy, kl_divergence, perplexity
from core.sampling import ppo_clip_objective, top_p_filter
from exercises._lm_numbers import NEXT_TOKEN_PROMPTS, PAIRS, POLICY_PAIRS, SENTENCES, numbers
from exercises._params import apart
from grader import Number, Params, Record
from grader.authoring import Values, choice, collect, exercise, integers, mistake

MODEL = "SmolLM2-135M-Instruct"
_VOCAB = "49,152"
_UNITS = ("bits", "nats")
_PROB = Number(rtol=1e-3, atol=1e-6)
#: Every exercise opens the Language model page on its prompt; the page's reveal gate hides
#: the answers a link's settings would show (filtered bars, metrics) until asked.
_PAGE = {"page": "language_model", "page_title": "Language model"}


# -- what the sheet prints, and the numbers read back from it ------------------------------


def shown_prob(logprob: float) -> str:
    """A probability as printed: four significant digits."""
    return f"{math.exp(logprob):.4g}"


def shown_logit(logit: float) -> str:
    """A logit as printed: two decimals."""
    return f"{logit:.2f}"


def _read(texts: list[str]) -> np.ndarray:
    return np.array([float(t) for t in texts])


def token_cell(text: str) -> str:
    """A token's text in a table cell: quoted so that its leading space shows."""
    return "`" + repr(text).replace("|", "\\|").replace("`", "'") + "`"


_FILTERS = {"tok": token_cell}


def _base(unit: str) -> float | None:
    return 2.0 if unit == "bits" else None


def _other(unit: str) -> str:
    return "nats" if unit == "bits" else "bits"


def _top(prompt: str, k: int) -> list[dict[str, Any]]:
    return list(numbers()["next_token"][prompt][:k])


# -- entropy of the renormalised top-k -----------------------------------------------------


def _entropy_derive(v: Values) -> dict[str, object]:
    rows = _top(v.prompt, v.k)
    shown = [shown_prob(r["logprob"]) for r in rows]
    p = _read(shown)
    return {"rows": list(zip((r["text"] for r in rows), shown, strict=True)), "p": p, "q": p / p.sum()}


_ENTROPY_MISTAKES = [
    mistake("wrong_unit", "Your value is in the other unit: bits use log base 2, nats the natural log (1 nat = 1/ln 2 ≈ 1.443 bits).", lambda v: entropy(v.q, base=_base(_other(v.unit)))),
    mistake("not_renormalised", "You used the model's probabilities as printed, which sum to less than 1 (the other 49,000-odd tokens hold the rest). A top-k sampler divides the kept probabilities by their sum first.", lambda v: float(-np.sum(v.p * np.log(v.p))) / (math.log(2) if v.unit == "bits" else 1.0)),
    mistake("log10", "You used log base 10. Entropy in bits uses log₂, in nats the natural log.", lambda v: entropy(v.q, base=10.0)),
    mistake("uniform", "log k is the entropy of k equally likely tokens; these are not equally likely, so weight each −log q by its q.", lambda v: math.log(v.k, 2.0 if v.unit == "bits" else math.e)),
]

TOP_K_ENTROPY = exercise(
    id="lm.top_k_entropy",
    title="Entropy of a real model's top-k distribution",
    params={"prompt": choice(NEXT_TOKEN_PROMPTS), "k": integers(4, 9), "unit": choice(_UNITS)},
    derive=_entropy_derive,
    accept=lambda v: apart([entropy(v.q, base=_base(v.unit)), *(m.answer(v) for m in _ENTROPY_MISTAKES)]),
    prompt=f"""{MODEL} read the prompt **"[[ prompt ]]"**. These are its [[ k ]] most probable next tokens, with their probabilities under the model's full distribution over {_VOCAB} tokens:

| token | probability |
|---|---|
[% for text, p in rows %]
| [[ text | tok ]] | [[ p ]] |
[% endfor %]

A top-k sampler with **k = [[ k ]]** keeps these tokens and renormalises their probabilities to sum to 1. What is the entropy of that renormalised distribution, **in [[ unit ]]**?""",
    filters=_FILTERS,
    solve=lambda v: entropy(v.q, base=_base(v.unit)),
    answer=Number(rtol=1e-3),
    misconceptions=_ENTROPY_MISTAKES,
    **_PAGE,
    link=lambda v: {"prompt": v.prompt, "top_k": v.k, "unit": v.unit},
)


# -- perplexity of a sentence --------------------------------------------------------------


def _sentence_derive(v: Values) -> dict[str, object]:
    rows = numbers()["sentences"][v.sentence]
    shown = [shown_prob(r["logprob"]) for r in rows]
    p = _read(shown)
    nats = -np.log(p)
    return {
        "first": v.sentence[: len(v.sentence) - len("".join(r["text"] for r in rows))],
        "rows": list(zip((r["text"] for r in rows), shown, strict=True)),
        "p": p,
        "nll_nats": float(nats.mean()),
        "n": len(p),
    }


def _nll(v: Values, unit: str | None = None) -> float:
    return v.nll_nats / (math.log(2) if (unit or v.unit) == "bits" else 1.0)


def _perplexity_answer(v: Values) -> dict[str, float]:
    return {"nll": _nll(v), "perplexity": float(perplexity(v.nll_nats))}


_PERPLEXITY_MISTAKES = [
    mistake("nll_wrong_unit", "Your mean NLL is in the other unit: −log₂ p gives bits, −ln p nats. (The perplexity is the same either way.)", lambda v: {"nll": _nll(v, _other(v.unit))}),
    mistake("sum_not_mean", "You added the surprisals over the tokens; the NLL is their mean per token, and the perplexity is the exponential of that mean.", lambda v: {"nll": v.n * _nll(v), "perplexity": float(np.exp(v.n * v.nll_nats))}),
    mistake("wrong_base_exponential", "Your perplexity raises the wrong base: it is 2^NLL for an NLL in bits and e^NLL for one in nats (both give the same number).", lambda v: {"perplexity": float(2.0**v.nll_nats if v.unit == "nats" else math.exp(_nll(v)))}),
    mistake("inverse_mean_probability", "You took 1 / (arithmetic mean of the probabilities). Perplexity is 1 / their geometric mean, exp(mean of −ln p): a single unlikely token raises it a lot.", lambda v: {"perplexity": float(1.0 / np.mean(v.p))}),
]


def _perplexity_accept(v: Values) -> bool:
    right = _perplexity_answer(v)
    wrongs = [m.answer(v) for m in _PERPLEXITY_MISTAKES]
    return apart([right["nll"], *(w["nll"] for w in wrongs if "nll" in w)]) and apart(
        [right["perplexity"], *(w["perplexity"] for w in wrongs if "perplexity" in w)]
    )


SENTENCE_PERPLEXITY = exercise(
    id="lm.sentence_perplexity",
    title="Perplexity of a sentence under a real model",
    params={"sentence": choice(SENTENCES), "unit": choice(_UNITS)},
    derive=_sentence_derive,
    accept=_perplexity_accept,
    prompt=f"""{MODEL} scored the sentence **"[[ sentence ]]"** token by token. It adds no start token, so the first token, [[ first | tok ]], is given; each later token's probability is the model's, given every token before it:

| token | probability |
|---|---|
[% for text, p in rows %]
| [[ text | tok ]] | [[ p ]] |
[% endfor %]

Give the mean negative log-likelihood of these [[ n ]] tokens **in [[ unit ]] per token** (`nll`) and the sentence's perplexity (`perplexity`).""",
    filters=_FILTERS,
    solve=_perplexity_answer,
    answer=Record({"nll": Number(rtol=1e-3), "perplexity": Number(rtol=1e-3)}),
    points=2.0,
    misconceptions=_PERPLEXITY_MISTAKES,
    **_PAGE,
    link=lambda v: {"sentence": v.sentence, "unit": v.unit},
)


# -- the top-p kept set --------------------------------------------------------------------


def _with_tail(p: np.ndarray) -> np.ndarray:
    """The printed top probabilities followed by the rest of the vocabulary's mass, split
    into equal tokens each less probable than the last printed one (the unprinted tokens
    are; how the rest is split cannot move a nucleus that ends among the printed ones)."""
    rest = max(1.0 - float(p.sum()), 0.0)
    pieces = max(int(np.ceil(rest / (0.5 * p[-1]))), 1)
    return np.concatenate([p, np.full(pieces, rest / pieces)])


def _nucleus_derive(v: Values) -> dict[str, object]:
    rows = numbers()["next_token"][v.prompt]
    shown = [shown_prob(r["logprob"]) for r in rows]
    p = _read(shown)
    kept = top_p_filter(_with_tail(p), v.top_p) > 0
    return {
        "rows": list(zip((r["text"] for r in rows), shown, strict=True)),
        "p": p,
        "cumulative": np.cumsum(p),
        "size": int(np.count_nonzero(kept)),
        "prefix": bool(kept[: int(np.count_nonzero(kept))].all()),
    }


def _kept(v: Values, size: int) -> dict[str, float]:
    mass = float(v.p[:size].sum())
    return {"size": float(size), "mass": mass, "top": float(v.p[0] / mass)}


def _nucleus_accept(v: Values) -> bool:
    # The nucleus is two or more of the printed tokens with one printed token to spare,
    # and p is not within 0.005 of a cumulative sum (no boundary a rounding could move).
    return v.prefix and 2 <= v.size < len(v.p) and bool(np.abs(v.cumulative - v.top_p).min() > 0.005)


_NUCLEUS_MISTAKES = [
    mistake("stopped_before_p", "You stopped while the kept mass was still below p. The nucleus is the smallest set of top tokens whose mass reaches p, so the token that crosses p is kept.", lambda v: _kept(v, v.size - 1)),
    mistake("kept_one_too_many", "You kept the token after the one that crosses p. The nucleus stops as soon as the mass reaches p.", lambda v: _kept(v, v.size + 1)),
    mistake("not_renormalised", "The most probable token's kept probability is renormalised: divide it by the kept mass, so the nucleus sums to 1.", lambda v: {"top": float(v.p[0])}),
    mistake("renormalised_over_printed", "You divided by the mass of all the printed tokens; the sampler renormalises over the nucleus only.", lambda v: {"top": float(v.p[0] / v.p.sum())}),
]

TOP_P_KEPT_SET = exercise(
    id="lm.top_p_kept_set",
    title="The nucleus (top-p) of a real next-token distribution",
    params={"prompt": choice(NEXT_TOKEN_PROMPTS), "top_p": integers(5, 96, over=100)},
    derive=_nucleus_derive,
    accept=lambda v: _nucleus_accept(v) and all(
        apart((_kept(v, v.size)["top"], m.answer(v)["top"])) for m in _NUCLEUS_MISTAKES
    ),
    prompt=f"""{MODEL} read the prompt **"[[ prompt ]]"**. Its most probable next tokens, in order, with their probabilities under its full distribution over {_VOCAB} tokens:

| rank | token | probability |
|---|---|---|
[% for text, p in rows %]
| [[ loop.index ]] | [[ text | tok ]] | [[ p ]] |
[% endfor %]

A nucleus (top-p) sampler with **p = [[ top_p ]]** keeps the most probable tokens until their total probability first reaches p, then renormalises them. How many tokens does it keep (`size`), what is their total probability before renormalising (`mass`), and what is the most probable token's probability after renormalising (`top`)?""",
    filters=_FILTERS,
    solve=lambda v: _kept(v, v.size),
    answer=Record({"size": Number(rtol=0.0, atol=1e-6), "mass": _PROB, "top": _PROB}, weights={"size": 2.0, "mass": 1.0, "top": 1.0}),
    points=2.0,
    misconceptions=_NUCLEUS_MISTAKES,
    **_PAGE,
    link=lambda v: {"prompt": v.prompt, "top_p": v.top_p},
)


# -- temperature ---------------------------------------------------------------------------

_N_TEMPERATURE = 5


def _temperature_derive(v: Values) -> dict[str, object]:
    rows = _top(v.prompt, _N_TEMPERATURE)
    shown = [shown_logit(r["logit"]) for r in rows]
    return {"rows": list(zip((r["text"] for r in rows), shown, strict=True)), "z": _read(shown), "token": rows[v.rank - 1]["text"]}


def _tempered(v: Values, factor: float) -> float:
    return float(softmax(v.z * factor)[v.rank - 1])


_TEMPERATURE_MISTAKES = [
    mistake("multiplied_by_t", "You multiplied the logits by T. Temperature divides them, z/T: T < 1 sharpens the distribution, T > 1 flattens it.", lambda v: _tempered(v, v.temperature)),
    mistake("temperature_ignored", "That is the probability at T = 1: divide every logit by T before the softmax.", lambda v: _tempered(v, 1.0)),
    mistake("divided_probability", "You divided the probability by T. Temperature acts on the logits, before the softmax (equivalently p^(1/T), renormalised); a probability divided by T is not a distribution.", lambda v: _tempered(v, 1.0) / v.temperature),
]

TEMPERATURE_TOKEN = exercise(
    id="lm.temperature_token",
    title="A token's probability at another temperature, on real logits",
    params={"prompt": choice(NEXT_TOKEN_PROMPTS), "temperature": choice([0.5, 0.7, 0.8, 1.25, 1.5, 2.0]), "rank": integers(2, 5)},
    derive=_temperature_derive,
    accept=lambda v: apart([_tempered(v, 1 / v.temperature), *(m.answer(v) for m in _TEMPERATURE_MISTAKES)], atol=1e-4),
    prompt=f"""{MODEL} read the prompt **"[[ prompt ]]"**. Its {_N_TEMPERATURE} highest next-token logits:

| token | logit |
|---|---|
[% for text, z in rows %]
| [[ text | tok ]] | [[ z ]] |
[% endfor %]

A sampler keeps only these {_N_TEMPERATURE} tokens (top-k with k = {_N_TEMPERATURE}) and applies **temperature T = [[ temperature ]]** to their logits before the softmax. What is the probability that it draws [[ token | tok ]]?""",
    filters=_FILTERS,
    solve=lambda v: _tempered(v, 1 / v.temperature),
    answer=_PROB,
    misconceptions=_TEMPERATURE_MISTAKES,
    **_PAGE,
    link=lambda v: {"prompt": v.prompt, "temperature": v.temperature, "top_k": _N_TEMPERATURE},
)


# -- KL between two prompts' top-k distributions -------------------------------------------

def _kl_derive(v: Values) -> dict[str, object]:
    pair = next(pair for pair in numbers()["pairs"] if pair["p"] == v.prompt)
    tokens = pair["tokens"][: v.k]
    shown_p = [shown_prob(t["logprob_p"]) for t in tokens]
    shown_q = [shown_prob(t["logprob_q"]) for t in tokens]
    p, q = _read(shown_p), _read(shown_q)
    return {
        "prompt_q": pair["q"],
        "rows": list(zip((t["text"] for t in tokens), shown_p, shown_q, strict=True)),
        "p_raw": p,
        "q_raw": q,
        "pk": p / p.sum(),
        "qk": q / q.sum(),
    }


_KL_MISTAKES = [
    mistake("direction_swapped", "You computed KL(Q ‖ P). KL is not symmetric: KL(P ‖ Q) = Σ P log(P/Q) is weighted by P, the first argument.", lambda v: kl_divergence(v.qk, v.pk, base=_base(v.unit))),
    mistake("wrong_unit", "Your value is in the other unit: bits use log base 2, nats the natural log.", lambda v: kl_divergence(v.pk, v.qk, base=_base(_other(v.unit)))),
    mistake("not_renormalised", "You used the printed probabilities without renormalising them over the k tokens; restricted to these tokens, each distribution must sum to 1 before the KL is taken.", lambda v: float(np.sum(v.p_raw * np.log(v.p_raw / v.q_raw))) / (math.log(2) if v.unit == "bits" else 1.0)),
]

KL_TWO_PROMPTS = exercise(
    id="lm.kl_two_prompts",
    title="KL divergence between two prompts' next-token distributions",
    params={"prompt": choice([a for a, _ in PAIRS]), "k": integers(3, 9), "unit": choice(_UNITS)},
    derive=_kl_derive,
    accept=lambda v: kl_divergence(v.pk, v.qk) > 0.01 and apart([kl_divergence(v.pk, v.qk, base=_base(v.unit)), *(m.answer(v) for m in _KL_MISTAKES)]),
    prompt=f"""{MODEL} read two prompts, P = **"[[ prompt ]]"** and Q = **"[[ prompt_q ]]"**. These are P's [[ k ]] most probable next tokens, with each token's probability after P and after Q (under the full distributions over {_VOCAB} tokens):

| token | after P | after Q |
|---|---|---|
[% for text, p, q in rows %]
| [[ text | tok ]] | [[ p ]] | [[ q ]] |
[% endfor %]

Restrict both next-token distributions to these [[ k ]] tokens and renormalise each to sum to 1. What is $\\mathrm{{KL}}(P_k \\,\\|\\, Q_k)$ **in [[ unit ]]**?""",
    filters=_FILTERS,
    solve=lambda v: kl_divergence(v.pk, v.qk, base=_base(v.unit)),
    answer=Number(rtol=1e-3, atol=1e-6),
    misconceptions=_KL_MISTAKES,
    **_PAGE,
    link=lambda v: {"prompt": v.prompt, "compare": "two prompts", "prompt_b": v.prompt_q, "unit": v.unit},
)


# -- PPO's clipped ratio on a real continuation --------------------------------------------

_N_PPO = 4


def _ppo_generate(rng: np.random.Generator) -> Params:
    old = POLICY_PAIRS[int(rng.choice(len(POLICY_PAIRS)))][0]
    n_tokens = len(next(p for p in numbers()["policies"] if p["old"] == old)["tokens"])
    return {
        "old": old,
        "start": int(rng.integers(0, n_tokens - _N_PPO + 1)),
        "epsilon": float(rng.choice([0.1, 0.2, 0.3])),
        "advantages": [float(a) for a in rng.choice([-2.0, -1.5, -1.0, -0.5, 0.5, 1.0, 1.5, 2.0], size=_N_PPO)],
    }


def _ppo_derive(v: Values) -> dict[str, object]:
    policy = next(p for p in numbers()["policies"] if p["old"] == v.old)
    tokens = policy["tokens"][v.start : v.start + _N_PPO]
    shown_old = [shown_prob(t["logprob_old"]) for t in tokens]
    shown_new = [shown_prob(t["logprob_new"]) for t in tokens]
    old, new = _read(shown_old), _read(shown_new)
    a = np.asarray(v.advantages)
    r = new / old
    result = ppo_clip_objective(np.log(new), np.log(old), a, epsilon=v.epsilon)
    return {
        "new": policy["new"],
        "text": policy["text"],
        "rows": list(zip((t["text"] for t in tokens), shown_old, shown_new, v.advantages, strict=True)),
        "objective": float(result.mean_objective),
        "r": r,
        "a": a,
        "clipped": np.clip(r, 1 - v.epsilon, 1 + v.epsilon),
    }


def _surrogate(r: np.ndarray, v: Values) -> float:
    clipped = np.clip(r, 1 - v.epsilon, 1 + v.epsilon)
    return float(np.mean(np.minimum(r * v.a, clipped * v.a)))


_PPO_MISTAKES = [
    mistake("no_clipping", "You averaged r·A without clipping: the plain importance-weighted objective, in which a ratio far from 1 dominates. PPO keeps min(r·A, clip(r, 1 − ε, 1 + ε)·A).", lambda v: float(np.mean(v.r * v.a))),
    mistake("ratio_inverted", "Your ratios are π_old/π_new. The tokens were sampled from the old policy, so the importance ratio is r = π_new/π_old.", lambda v: _surrogate(1 / v.r, v)),
    mistake("clip_without_min", "You used clip(r)·A alone. PPO takes the minimum of the clipped and unclipped terms, so clipping only removes the incentive to move further; a move that lowers the objective still counts in full.", lambda v: float(np.mean(v.clipped * v.a))),
    mistake("advantage_sign_ignored", "You took min(r, clip(r))·A, clipping the same side for every token. For A < 0 the minimum of the products is A·max(r, clip(r)): the objective is clipped below 1 − ε, not above 1 + ε.", lambda v: float(np.mean(np.minimum(v.r, v.clipped) * v.a))),
]

PPO_CLIPPED_RATIO = exercise(
    id="lm.ppo_clipped_ratio",
    title="PPO's clipped objective on a real model's token probabilities",
    generate=_ppo_generate,
    derive=_ppo_derive,
    accept=lambda v: apart([v.objective, *(m.answer(v) for m in _PPO_MISTAKES)], atol=0.01),
    prompt=f"""An old policy is {MODEL} after the prompt **"[[ old ]]"**; a new policy is the same model after **"[[ new ]]"**. The old policy wrote "[[ text ]]". For {_N_PPO} of its tokens, here are each policy's probability of the token (given the prompt and the text before it) and the token's advantage A:

| token | π_old | π_new | A |
|---|---|---|---|
[% for text, p_old, p_new, adv in rows %]
| [[ text | tok ]] | [[ p_old ]] | [[ p_new ]] | [[ adv | fmt('+g') ]] |
[% endfor %]

With clip range **ε = [[ epsilon ]]**, what is PPO's clipped surrogate objective averaged over these {_N_PPO} tokens, $\\frac{{1}}{{{_N_PPO}}}\\sum_t \\min\\big(r_t A_t,\\ \\mathrm{{clip}}(r_t, 1-\\varepsilon, 1+\\varepsilon) A_t\\big)$ with $r_t = \\pi_{{\\text{{new}}}}/\\pi_{{\\text{{old}}}}$?""",
    filters=_FILTERS,
    solve=lambda v: v.objective,
    answer=Number(rtol=1e-3, atol=1e-4),
    points=2.0,
    misconceptions=_PPO_MISTAKES,
    **_PAGE,
    link=lambda v: {"prompt": v.old, "compare": "two prompts", "prompt_b": v.new, "clip": v.epsilon},
)

register_exercises = collect(__name__)
