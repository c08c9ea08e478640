"""Sampling: decoding filters, inverse CDF, rejection and importance sampling, KL estimators.

Every exercise opens the dashboard's ``sampling`` page. Links carry the problem's inputs
only (``tok_names``/``tok_logits`` for the next-token tab, ``rej_a``/``rej_b`` for
rejection sampling, ``trap_p``/``trap_q`` for the ``F.kl_div`` trap). The next-token tab
prints the filtered distribution and its kept set, so the filter settings a question
asks about stay off in its link: the student sets them on the page.
"""

from __future__ import annotations

import numpy as np

from core.distributions import Beta
from core.sampling import (
    effective_sample_size,
    kl_div,
    kl_estimators,
    sample_categorical,
    temper_probs,
    top_k_filter,
    top_p_filter,
)
from exercises._params import apart, joined
from grader import Choice, MultipleChoice, Number, Params, Record, Vector
from grader.authoring import Draw, Values, choice, collect, exercise, integers, mistake

#: The vocabulary of the token exercises (fixed: the options of a choice are fixed).
TOKENS = ("the", "a", "cat", "dog", "sat", "ran")

#: A roof over every Beta(a, b) density drawn here (a, b in 2..8: the highest peak is
#: Beta(8, 2)'s, about 3.53): the rejection tab needs a valid M, and this one is not M.
REJECTION_ROOF = 4.0

_PAGE = {"page": "sampling", "page_title": "Sampling"}
_DISTRIBUTION = Vector(rtol=1e-3, atol=1e-4)


def _token_link(probs: list[float]) -> dict[str, object]:
    """The next-token tab with these probabilities (as log-probabilities), filters off."""
    return {
        "tok_names": joined(TOKENS[: len(probs)]),
        "tok_logits": joined(f"{np.log(p):.4f}" for p in probs),
        # The page's own default is top-p 0.9: turned off explicitly.
        "temperature": 1.0,
        "top_k": 0,
        "top_p": 1.0,
    }


def _token_table(probs: list[float]) -> str:
    header = "| token | " + " | ".join(f"`{t}`" for t in TOKENS[: len(probs)]) + " |"
    row = "| probability | " + " | ".join(f"{p:.2f}" for p in probs) + " |"
    return "\n".join([header, "|---|" + "---|" * len(probs), row])


_FILTERS = {"token_table": _token_table}


def _cents(rng: np.random.Generator, size: int, minimum: int = 3) -> np.ndarray:
    """Random probabilities in hundredths, each >= ``minimum``, all distinct, unsorted.

    The shares come from a flat Dirichlet, so some tokens are clear favourites (a
    multinomial around the uniform would make every distribution nearly flat).
    """
    while True:
        cents = rng.multinomial(100 - minimum * size, rng.dirichlet(np.ones(size))) + minimum
        if len(set(cents.tolist())) == size:
            return cents


#: Six distinct probabilities in hundredths (no ties anywhere, so none at a cut-off).
_SIX = Draw(lambda rng: (_cents(rng, 6) / 100).round(2).tolist(), "six distinct probabilities")


def _hundredths(values: list[float]) -> np.ndarray:
    """Probabilities given in hundredths as exact integers (cumulative sums without rounding)."""
    return np.rint(np.asarray(values) * 100).astype(int)


def _off_steps(cumulative: np.ndarray, value: float, gap: float) -> bool:
    return bool(np.abs(cumulative - value).min() >= gap)


# ------------------------------------------------------------------ nucleus, temperature


def _nucleus_accept(v: Values) -> bool:
    # p never within 0.005 of a cumulative sum (no ambiguous boundary), the nucleus leaves
    # out at least the last token, and no kept token ties a dropped one (the answer would
    # then hinge on Hugging Face's tie rule, the later-listed kept: core.sampling.top_p_filter).
    cumulative = np.cumsum(_hundredths(v.probs)) / 100
    kept = v.filtered > 0
    tied_at_cut = bool(set(np.asarray(v.probs)[kept]) & set(np.asarray(v.probs)[~kept]))
    return bool(np.all(np.abs(cumulative - v.p) > 0.005)) and cumulative[-2] >= v.p and not tied_at_cut


TOP_P_FILTER = exercise(
    id="sampling.top_p_filter",
    title="Nucleus (top-p) filtering",
    version=2,  # 2: no tie between a kept and a dropped token (seeds with one redraw)
    params={
        "probs": Draw(lambda rng: (np.sort(rng.multinomial(90, np.full(5, 0.2)) + 2)[::-1] / 100).round(2).tolist(), "five sorted probabilities"),
        "p": choice([0.5, 0.6, 0.7, 0.8, 0.9]),
    },
    derive=lambda v: {"filtered": top_p_filter(v.probs, v.p)},
    accept=_nucleus_accept,
    prompt="""A model's next-token distribution over five tokens is [[ probs ]].

Apply top-p (nucleus) filtering with **p = [[ p ]]**: going from the most probable token down, keep tokens until their total mass first reaches at least p (the token that crosses p is kept; no two tokens tie at the cut-off here). Set the other tokens to 0 and renormalise the kept probabilities so they sum to 1. Give the resulting distribution over the five tokens, in the same order, as a list.""",
    solve=lambda v: v.filtered,
    answer=_DISTRIBUTION,
    misconceptions=[
        mistake(
            "not_renormalised",
            "You zeroed the tokens outside the nucleus but did not renormalise: divide the kept probabilities by their sum so they add up to 1. Set the page's top-p to p to see the mass kept before renormalising.",
            lambda v: np.where(v.filtered > 0, v.probs, 0.0),
        ),
    ],
    **_PAGE,
    link=lambda v: _token_link(v.probs),
)


def _spread_cents(rng: np.random.Generator) -> list[float]:
    # Four probabilities in hundredths, at least 0.05 apart: tempering visibly changes them
    # (a near-uniform distribution would make T and 1/T give almost the same answer).
    while True:
        cuts = np.sort(rng.choice(np.arange(1, 100), size=3, replace=False))
        cents = np.sort(np.diff(np.concatenate([[0], cuts, [100]])))[::-1]
        if cents[-1] >= 3 and np.all(-np.diff(cents) >= 5):
            return [round(float(c) / 100, 2) for c in cents]


TEMPERATURE = exercise(
    id="sampling.temperature",
    title="Sampling temperature",
    # The temperature is drawn once the probabilities are kept (as it always was).
    generate=lambda rng: {"probs": _spread_cents(rng), "temperature": float(rng.choice([0.25, 0.5, 0.75, 1.5, 2.0, 4.0]))},
    prompt="""A model's next-token distribution is [[ probs ]]. Apply **temperature T = [[ temperature ]]** (divide the logits by T and re-apply softmax). Give the new distribution, in the same order, as a list.""",
    solve=lambda v: temper_probs(v.probs, v.temperature),
    answer=Vector(rtol=1e-3, atol=1e-5),
    misconceptions=[
        mistake(
            "multiplied_by_t",
            "You multiplied the logits by T. Temperature divides them: p_i^(1/T), renormalised; T < 1 sharpens, T > 1 flattens (the page's temperature slider shows both directions).",
            lambda v: temper_probs(v.probs, 1.0 / v.temperature),
        ),
    ],
    **_PAGE,
    # T = 1: the page's "after T" column would be the answer.
    link=lambda v: _token_link(v.probs),
)


# ------------------------------------------------------------------ inverse CDF


def _inverse_cdf(probs: list[float] | np.ndarray, u: float) -> int:
    return int(sample_categorical(np.asarray(probs, dtype=float), u=[u])[0])


def _sorted_cdf_token(v: Values) -> str:
    """The draw when the CDF is (wrongly) built over the tokens sorted by probability."""
    order = np.argsort(-np.asarray(v.probs), kind="stable")
    return TOKENS[int(order[_inverse_cdf(np.asarray(v.probs)[order], v.u)])]


INVERSE_CDF_TOKEN = exercise(
    id="sampling.inverse_cdf_token",
    title="Inverse-CDF sampling of a token",
    params={"probs": _SIX, "u": integers(5, 996, over=1000)},
    derive=lambda v: {"index": _inverse_cdf(v.probs, v.u)},
    # u at least 0.01 from every step of both staircases (listed and sorted order), and a
    # step below the drawn token.
    accept=lambda v: v.index >= 1 and _off_steps(np.concatenate([np.cumsum(v.probs), np.cumsum(np.sort(v.probs)[::-1])]), v.u, 0.01),
    prompt="""A sampler draws the next token by the inverse CDF: it stacks the probabilities in the order the tokens are listed, draws one uniform number u in [0, 1) and returns the first token whose cumulative probability exceeds u.

[[ probs | token_table ]]

The uniform draw is **u = [[ u ]]**. Which token is sampled?""",
    filters=_FILTERS,
    solve=lambda v: TOKENS[v.index],
    answer=Choice(TOKENS),
    misconceptions=[
        mistake(
            "step_below",
            "You took the last token whose cumulative probability is still below u. The draw is the first token whose cumulative sum F_i exceeds u: token i owns the interval [F_{i−1}, F_i). The page's inverse-CDF tab draws the staircase.",
            lambda v: TOKENS[v.index - 1],
        ),
        mistake(
            "sorted_before_cdf",
            "You sorted the tokens by probability before stacking them. Inverse-CDF sampling uses any fixed order, and here it is the listed order; sorting changes which token owns each interval of u (only top-p sorts, to choose the nucleus).",
            _sorted_cdf_token,
        ),
    ],
    **_PAGE,
    link=lambda v: _token_link(v.probs),
)


# ------------------------------------------------------------------ top-k


def _first_k_listed(v: Values) -> np.ndarray:
    kept = np.asarray(v.probs, dtype=float)[: v.k]
    return np.concatenate([kept / kept.sum(), np.zeros(len(v.probs) - v.k)])


TOP_K_FILTER = exercise(
    id="sampling.top_k_filter",
    title="Top-k filtering",
    # Distinct probabilities: no tie at the k-th place. The grader's separation keeps the
    # k most probable tokens from being simply the first k listed.
    params={"probs": _SIX, "k": integers(2, 5)},
    derive=lambda v: {"filtered": top_k_filter(v.probs, v.k)},
    prompt="""A model's next-token distribution is

[[ probs | token_table ]]

Apply **top-k filtering with k = [[ k ]]** before sampling. Give the distribution the sampler draws from, over the six tokens in the listed order, as a list (0 for a removed token).""",
    filters=_FILTERS,
    solve=lambda v: v.filtered,
    answer=_DISTRIBUTION,
    misconceptions=[
        mistake(
            "not_renormalised",
            "You kept the right tokens but did not renormalise: the sampler draws from the kept probabilities divided by their sum, so they add up to 1. Set the page's top-k to k to see the mass kept before renormalising.",
            lambda v: np.where(v.filtered > 0, v.probs, 0.0),
        ),
        mistake("first_k_listed", "You kept the first k tokens in the listed order. Top-k keeps the k most probable tokens, wherever they are in the list.", _first_k_listed),
    ],
    **_PAGE,
    link=lambda v: _token_link(v.probs),
)


# ------------------------------------------------------------------ top-p kept set


def _kept_set(v: Values) -> list[str]:
    return [TOKENS[i] for i in np.flatnonzero(top_p_filter(v.probs, v.p) > 0)]


def _stopped_before_p(v: Values) -> list[str]:
    """The nucleus without its last token: stopping while the mass is still below p."""
    weakest = min(v.kept, key=lambda t: v.probs[TOKENS.index(t)])
    return [t for t in v.kept if t != weakest]


def _listed_order_set(v: Values) -> list[str]:
    """Accumulating the mass in the listed order instead of by decreasing probability."""
    return list(TOKENS[: int(np.count_nonzero(np.cumsum(v.probs) < v.p)) + 1])


TOP_P_KEPT_SET = exercise(
    id="sampling.top_p_kept_set",
    title="Which tokens survive top-p?",
    params={"probs": _SIX, "p": Draw(lambda rng: round(float(rng.choice(np.arange(0.5, 0.96, 0.05))), 2), "p in 0.50..0.95")},
    derive=lambda v: {"kept": _kept_set(v)},
    # p at least 0.005 from every cumulative sum (sorted and listed order), and the
    # boundary token matters while something is cut.
    accept=lambda v: 2 <= len(v.kept) <= 5 and _off_steps(np.concatenate([np.cumsum(np.sort(v.probs)[::-1]), np.cumsum(v.probs)]), v.p, 0.005),
    prompt="""A model's next-token distribution is

[[ probs | token_table ]]

With **top-p (nucleus) sampling at p = [[ p ]]**, which tokens can still be sampled? Choose all that apply.""",
    filters=_FILTERS,
    solve=lambda v: v.kept,
    answer=MultipleChoice(TOKENS),
    misconceptions=[
        mistake(
            "stopped_before_p",
            "You stopped while the kept mass was still below p. The nucleus is the smallest set of most probable tokens whose mass reaches p, so it includes the token that crosses p.",
            _stopped_before_p,
        ),
        mistake(
            "listed_order",
            "You accumulated the mass in the listed order. Top-p first sorts the tokens by decreasing probability and keeps the most probable ones until their mass reaches p.",
            _listed_order_set,
        ),
    ],
    **_PAGE,
    # Top-p off: with it on, the page prints the kept set (the answer).
    link=lambda v: _token_link(v.probs),
)


# ------------------------------------------------------------------ rejection sampling


def _rejection_derive(v: Values) -> dict[str, float]:
    # The Beta(a, b) density (a, b > 1) peaks at its mode (a − 1)/(a + b − 2).
    mode = (v.a - 1) / (v.a + v.b - 2)
    return {"m": float(Beta(v.a, v.b).pdf(mode)), "m_unnormalised": mode ** (v.a - 1) * (1 - mode) ** (v.b - 1)}


def _rejection_draw(rng: np.random.Generator) -> Params:
    a, b = (int(x) for x in rng.integers(2, 9, size=2))
    return {"a": a, "b": b, "n": int(rng.choice([100, 200, 250, 400, 500, 1000]))}


REJECTION_RATE = exercise(
    id="sampling.rejection_rate",
    title="Rejection sampling: the bound M and the acceptance rate",
    # M ≥ 1.5 > 1/4 ≥ the unnormalised peak, and n·M ≥ 2.25 n/M: every draw is told apart.
    generate=_rejection_draw,
    derive=_rejection_derive,
    prompt=r"""You sample the target $p = \mathrm{Beta}([[ a ]], [[ b ]])$ on [0, 1] by rejection sampling with the proposal $q = \mathrm{Uniform}(0, 1)$: draw $x \sim q$ and $u \sim \mathrm{Uniform}(0, 1)$ and accept $x$ when $u \le p(x) / (M q(x))$.

Give

- `m`: the smallest valid bound M (so that p(x) ≤ M q(x) everywhere);
- `acceptance`: the probability that a proposal is accepted with that M;
- `proposals`: the expected number of proposals needed for **[[ n ]]** accepted draws.""",
    solve=lambda v: {"m": v.m, "acceptance": 1.0 / v.m, "proposals": v.n * v.m},
    answer=Record({"m": Number(rtol=1e-3), "acceptance": Number(rtol=1e-3), "proposals": Number(rtol=1e-3)}),
    misconceptions=[
        mistake(
            "divided_by_m",
            "Each proposal is accepted with probability 1/M, so one accepted draw costs M proposals on average (a geometric number): n draws need n·M proposals, not n/M.",
            lambda v: {"proposals": v.n / v.m},
        ),
        mistake(
            "unnormalised_density",
            "You bounded x^(a−1)(1−x)^(b−1) without the 1/B(a, b). The acceptance rate is 1/M only when M bounds the normalised density p(x) (with an unnormalised density it is Z/M).",
            lambda v: {"m": v.m_unnormalised, "acceptance": 1 / v.m_unnormalised},
        ),
    ],
    **_PAGE,
    # The target and a roof that covers it; M itself is the answer's first field.
    link=lambda v: {"rej_a": float(v.a), "rej_b": float(v.b), "rej_m": REJECTION_ROOF},
)


# ------------------------------------------------------------------ importance ESS


def _weights_draw(rng: np.random.Generator) -> Params:
    n = int(rng.integers(5, 9))
    return {"weights": (rng.integers(1, 50, size=n) / 10).round(1).tolist()}


IMPORTANCE_ESS = exercise(
    id="sampling.importance_ess",
    title="Effective sample size of importance weights",
    generate=_weights_draw,
    derive=lambda v: {"ess": effective_sample_size(v.weights), "n": float(len(v.weights))},
    # The ESS, its inverse, n, ESS/n and Σw all 3% apart from one another.
    accept=lambda v: apart([v.ess, 1 / v.ess, v.n, v.ess / v.n, sum(v.weights)], rel=0.03),
    prompt=r"""Importance sampling gave [[ weights | length ]] draws $x_i \sim q$ with weights $w_i = p(x_i)/q(x_i)$:

[[ weights ]]

What is Kish's effective sample size of these weights?""",
    solve=lambda v: v.ess,
    answer=Number(rtol=1e-3),
    misconceptions=[
        mistake("inverted", "You computed Σw²/(Σw)², the inverse. The effective sample size is (Σw)²/Σw²: between 1 (one weight dominates) and n (all weights equal).", lambda v: 1.0 / v.ess),
        mistake("counted_draws", "That is the number of draws. Unequal weights make the draws worth fewer: ESS = (Σw)²/Σw² < n; the page's importance tab shows the ESS collapse as the proposal moves away.", lambda v: v.n),
        mistake("fraction", "That is ESS/n, the efficiency; the question asks for the effective sample size itself, (Σw)²/Σw².", lambda v: v.ess / v.n),
        mistake("sum_of_weights", "That is Σw. The effective sample size is (Σw)²/Σw², which does not change when all weights are scaled.", lambda v: float(sum(v.weights))),
    ],
    **_PAGE,
)


# ------------------------------------------------------------------ KL estimators


def _kl_draw(rng: np.random.Generator) -> Params:
    logp = (-rng.integers(10, 300, size=4) / 100).round(2)
    logp_ref = (logp + rng.integers(-80, 81, size=4) / 100).round(2)
    return {"logp": logp.tolist(), "logp_ref": logp_ref.tolist()}


def _kl_derive(v: Values) -> dict[str, object]:
    # A log-probability ≥ 0 is refused by accept before the estimators read it.
    if max(v.logp_ref) >= 0:
        return {"ok": False}
    right, flipped = kl_estimators(v.logp, v.logp_ref), kl_estimators(v.logp_ref, v.logp)
    means = {name: {"k1": e.k1_mean, "k2": e.k2_mean, "k3": e.k3_mean} for name, e in (("right", right), ("flipped", flipped))}
    return {"ok": True, **means}


_KL_FIELD = Number(rtol=1e-3, atol=1e-4)

KL_ESTIMATORS = exercise(
    id="sampling.kl_estimators",
    title="The k1, k2, k3 estimators of the RLHF KL penalty",
    generate=_kl_draw,
    derive=_kl_derive,
    # k1 and k2 not near 0, and the two k3's (sign of log r) told apart (2%).
    accept=lambda v: v.ok and abs(v.right["k1"]) > 0.05 and v.right["k2"] > 0.01 and apart([v.right["k3"], v.flipped["k3"]], rel=0.02),
    prompt=r"""Four tokens $x_i$ were sampled from the policy π. Their log-probabilities (in nats) under π and under the reference policy π_ref are

| i | 1 | 2 | 3 | 4 |
|---|---|---|---|---|
| log π(x_i) | [% for x in logp %][[ x | fmt('.2f') ]][[ " | " if not loop.last ]][% endfor %] |
| log π_ref(x_i) | [% for x in logp_ref %][[ x | fmt('.2f') ]][[ " | " if not loop.last ]][% endfor %] |

With $r = \pi_{\mathrm{ref}}(x)/\pi(x)$, give the Monte Carlo estimates of KL(π ‖ π_ref) in nats: the means over the four samples of `k1` = −log r, `k2` = ½ (log r)² and `k3` = (r − 1) − log r.""",
    solve=lambda v: v.right,
    answer=Record({"k1": _KL_FIELD, "k2": _KL_FIELD, "k3": _KL_FIELD}),
    misconceptions=[
        mistake(
            "log_ratio_sign",
            "You used log r = log π − log π_ref. The ratio is r = π_ref/π, so log r = log π_ref − log π; flipping it negates k1 and changes k3 (k2 does not notice).",
            lambda v: {"k1": v.flipped["k1"], "k3": v.flipped["k3"]},
        ),
        mistake("k2_without_half", "k2 is ½ (log r)², with the ½: it matches KL to second order in log r.", lambda v: {"k2": 2 * v.right["k2"]}),
    ],
    **_PAGE,
)


# ------------------------------------------------------------------ the F.kl_div trap


def _trap_draw(rng: np.random.Generator) -> Params:
    p_cents, q_cents = _cents(rng, 3, minimum=5), _cents(rng, 3, minimum=5)
    return {"p": (p_cents / 100).round(2).tolist(), "q": (q_cents / 100).round(2).tolist()}


def _trap_derive(v: Values) -> dict[str, float]:
    target, model = np.asarray([v.p], dtype=float), np.asarray([v.q], dtype=float)
    return {
        "printed": float(kl_div(model, target, reduction="batchmean", check=False)),
        "kl": float(kl_div(np.log(model), target, reduction="batchmean")),
        "backward": float(kl_div(np.log(target), model, reduction="batchmean")),
    }


KL_DIV_TRAP = exercise(
    id="sampling.kl_div_trap",
    title="Spot the bug: torch's F.kl_div on raw probabilities",
    generate=_trap_draw,
    derive=_trap_derive,
    # KL(p‖q) not near 0; it, KL(q‖p) and the printed value 5% apart.
    accept=lambda v: v.kl > 0.02 and apart([v.printed, v.kl, v.backward], rel=0.05),
    prompt="""A colleague measures how far a model q is from the data distribution p:

```python
import torch
import torch.nn.functional as F

p = torch.tensor([[ [p] ]])  # data distribution (target)
q = torch.tensor([[ [q] ]])  # model distribution
loss = F.kl_div(q, p, reduction="batchmean")
print(loss.item())
```

It runs without an error or a warning. Give `printed`, the number it prints (in nats, up to float rounding), and `kl`, the KL(p ‖ q) in nats the colleague meant to compute.""",
    solve=lambda v: {"printed": v.printed, "kl": v.kl},
    answer=Record({"printed": Number(rtol=1e-3, atol=1e-4), "kl": Number(rtol=1e-3, atol=1e-4)}),
    misconceptions=[
        mistake(
            "trusted_the_call",
            'F.kl_div(input, target) expects input = log q. Given raw q it computes Σ p (log p − q), which is not a KL divergence and raises nothing. Write F.kl_div(q.log(), p, reduction="batchmean").',
            lambda v: {"printed": v.kl},
        ),
        mistake("arguments_swapped", "F.kl_div(log q, p) is KL(p ‖ q): the target p is the distribution the expectation is taken under. You computed KL(q ‖ p).", lambda v: {"kl": v.backward}),
    ],
    **_PAGE,
    link=lambda v: {"trap_p": joined(v.p), "trap_q": joined(v.q)},
)

register_exercises = collect(__name__)
