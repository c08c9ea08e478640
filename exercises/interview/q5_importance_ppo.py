"""Q5: importance weights and the self-normalised estimate; PPO's clipped surrogate objective."""

from __future__ import annotations

import numpy as np

from core.sampling import importance_estimate, importance_weights, ppo_clip_objective
from exercises._params import apart, probs
from exercises.interview._common import PROB, SAMPLING_PAGE
from grader import Number, Params, Record
from grader.authoring import Values, choice, collect, exercise, integers, mistake

TOKENS = ("A", "B", "C", "D")
N_DRAWS = 5
_WEIGHTS = [f"w{i + 1}" for i in range(N_DRAWS)]


def _is_generate(rng: np.random.Generator) -> Params:
    q = [int(c) for c in rng.integers(1, 8, size=4)]
    p = [int(c) for c in rng.integers(1, 8, size=4)]
    draws = [int(i) for i in rng.choice(4, size=N_DRAWS, p=probs(q))]
    return {"p": p, "q": q, "draws": draws, "rewards": [int(r) for r in rng.integers(-2, 6, size=4)]}


def _is_solve(v: Values, *, inverted: bool = False) -> dict[str, float]:
    log_p, log_q = np.log(probs(v.p))[v.draws], np.log(probs(v.q))[v.draws]
    if inverted:
        log_p, log_q = log_q, log_p
    weights = importance_weights(log_p, log_q)
    result = importance_estimate(np.asarray(v.rewards, dtype=float)[v.draws], log_p, log_q)
    return {**{w: float(x) for w, x in zip(_WEIGHTS, weights, strict=True)}, "plain": float(result.estimate), "self_normalised": float(result.self_normalised)}


def _unweighted(v: Values) -> float:
    return float(np.mean([v.rewards[d] for d in v.draws]))


def _is_accept(v: Values) -> bool:
    # Two tokens drawn at least, weights that differ, and the estimates each misconception
    # confuses clearly apart (0.05).
    right, inverted = v.right, v.inverted
    weights = [right[w] for w in _WEIGHTS]
    return (
        len(set(v.draws)) >= 2
        and max(weights) - min(weights) >= 0.1
        and apart((right["plain"], right["self_normalised"], _unweighted(v), inverted["plain"]), atol=0.05)
        and apart((right["self_normalised"], inverted["self_normalised"]), atol=0.05)
        and any(apart((w, 1.0 / w)) for w in weights)
    )


IMPORTANCE_SAMPLING = exercise(
    id="interview.importance_sampling",
    title="Importance weights and the self-normalised estimate (Q5)",
    generate=_is_generate,
    derive=lambda v: {"right": _is_solve(v), "inverted": _is_solve(v, inverted=True)},
    accept=_is_accept,
    prompt=r"""An old policy $q$ (the proposal) generated tokens; we want the expected reward under the new policy $p$ (the target):

| token | q (old) | p (new) | reward f |
|---|---|---|---|
[% for t in range(4) %]
| [[ "ABCD"[t] ]] | [[ q[t] ]]/[[ sum(q) ]] | [[ p[t] ]]/[[ sum(p) ]] | [[ rewards[t] ]] |
[% endfor %]

The 5 draws from q were: **[% for d in draws %][[ "ABCD"[d] ]][[ ", " if not loop.last ]][% endfor %]**.

Give the importance weight $w_i = p(x_i)/q(x_i)$ of each draw (`w1` … `w5`), the plain estimate $\frac1n\sum_i w_i f(x_i)$ (`plain`) and the self-normalised estimate $\sum_i w_i f(x_i) / \sum_i w_i$ (`self_normalised`) of $E_p[f]$.""",
    solve=lambda v: v.right,
    answer=Record(
        {**dict.fromkeys(_WEIGHTS, PROB), "plain": PROB, "self_normalised": PROB},
        weights={**dict.fromkeys(_WEIGHTS, 0.4), "plain": 1.0, "self_normalised": 1.0},
    ),
    points=3.0,
    misconceptions=[
        mistake("weights_inverted", "Your weights are q/p. The draws come from q and we want an expectation under p, so each draw is re-weighted by w = p(x)/q(x) (in PPO: π_new/π_old).", lambda v: v.inverted),
        mistake("unweighted_mean", "You averaged the rewards of the draws without weights: that estimates E_q[f], the old policy's reward, not E_p[f].", lambda v: {"plain": _unweighted(v)}),
        mistake("plain_for_self_normalised", "Your self-normalised estimate divides by n; it divides by the sum of the weights, Σ w_i, which is not n unless the weights average 1.", lambda v: {"self_normalised": v.right["plain"]}),
    ],
    page="sampling",
    page_title=SAMPLING_PAGE,
)


def _ppo_derive(v: Values) -> dict[str, object]:
    result = ppo_clip_objective(np.log(v.ratios), np.zeros(len(v.ratios)), v.advantages, epsilon=v.epsilon)
    ratio = result.ratio
    return {"ppo": result, "r": ratio, "clipped": np.clip(ratio, 1 - v.epsilon, 1 + v.epsilon), "a": np.asarray(v.advantages)}


_PPO_MISTAKES = [
    mistake(
        "no_clipping",
        "You averaged r·A without clipping: that is the plain importance-sampled objective, which lets a ratio far from 1 dominate. PPO keeps min(r·A, clip(r, 1 − ε, 1 + ε)·A), as the PPO tab draws it.",
        lambda v: float(np.mean(v.r * v.a)),
    ),
    mistake(
        "clip_without_min",
        "You used clip(r)·A alone. PPO takes the minimum of the clipped and unclipped terms, so clipping only removes the incentive to move further, never a penalty.",
        lambda v: float(np.mean(v.clipped * v.a)),
    ),
    mistake(
        "advantage_sign_ignored",
        "You took min(r, clip(r))·A, as if every advantage were positive. For A < 0 the minimum of the products is A·max(r, clip(r)): the objective flattens below 1 − ε, not above 1 + ε.",
        lambda v: float(np.mean(np.minimum(v.r, v.clipped) * v.a)),
    ),
    mistake(
        "max_for_min",
        "You took the maximum of r·A and clip(r)·A. PPO's objective is pessimistic: the minimum.",
        lambda v: float(np.mean(np.maximum(v.r * v.advantages, v.clipped * v.advantages))),
    ),
]

PPO_CLIP = exercise(
    id="interview.ppo_clip",
    title="PPO's clipped objective for given ratios and advantages (Q5)",
    params={
        "epsilon": choice([0.1, 0.2, 0.3]),
        "ratios": integers(50, 161, size=4, over=100),
        "advantages": choice([-2.0, -1.5, -1.0, -0.5, 0.5, 1.0, 1.5, 2.0], size=4),
    },
    derive=_ppo_derive,
    accept=lambda v: apart([float(v.ppo.mean_objective), *(m.answer(v) for m in _PPO_MISTAKES)], atol=0.01),
    prompt=r"""Four sampled tokens have these policy ratios $r = \pi_\theta/\pi_{\text{old}}$ and advantages $A$:

| token | r | A |
|---|---|---|
[% for r, a in zip(ratios, advantages) %]
| [[ loop.index ]] | [[ r | fmt('.2f') ]] | [[ a | fmt('+g') ]] |
[% endfor %]

With clip range **ε = [[ epsilon | fmt('g') ]]**, what is PPO's clipped surrogate objective averaged over the four tokens, $\frac14\sum_i \min\big(r_i A_i,\ \mathrm{clip}(r_i, 1-\varepsilon, 1+\varepsilon) A_i\big)$?""",
    solve=lambda v: float(v.ppo.mean_objective),
    answer=Number(rtol=1e-3, atol=1e-4),
    points=2.0,
    misconceptions=_PPO_MISTAKES,
    page="sampling",
    page_title=SAMPLING_PAGE,
    link=lambda v: {"ppo_adv": v.advantages[0], "ppo_eps": v.epsilon, "ppo_ratio": v.ratios[0]},
)

register_exercises = collect(__name__)
