"""Sampling: decoding filters, inverse CDF, rejection and importance sampling, KL estimators.

Every exercise links to the dashboard's ``sampling`` page with the student's numbers
filled in (the page's query parameters: ``tok_names``/``tok_logits``/``top_k``/``top_p``
for the next-token tab, ``rej_*`` for rejection sampling, ``trap_p``/``trap_q`` for the
``F.kl_div`` trap, ``kl_mu`` for the KL estimators).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from itertools import combinations

import numpy as np

from core.distributions import Beta
from core.sampling import (
    KLEstimates,
    effective_sample_size,
    kl_div,
    kl_estimators,
    sample_categorical,
    temper_probs,
    top_k_filter,
    top_p_filter,
)
from grader import (
    Choice,
    DashboardLink,
    Exercise,
    Misconception,
    MultipleChoice,
    Number,
    Params,
    Record,
    Vector,
    hookimpl,
)

#: The vocabulary of the token exercises (fixed: the options of a choice are fixed).
TOKENS = ("the", "a", "cat", "dog", "sat", "ran")

#: Two numbers closer than this (relative) would make a misconception indistinguishable
#: from the answer under a 1e-3 tolerance; variants are redrawn until all differ by more.
_APART = 0.02


def _apart(values: list[float], rel: float = _APART) -> bool:
    """True when every pair of values differs by more than ``rel`` relative (and 1e-3 absolute)."""
    return all(
        abs(a - b) > max(1e-3, rel * max(abs(a), abs(b))) for a, b in combinations(values, 2)
    )


def _token_link(probs: list[float], **extra: float) -> dict[str, object]:
    """Query parameters of the sampling page's next-token tab for these probabilities."""
    logits = ", ".join(f"{np.log(p):.4f}" for p in probs)
    # Filters off unless the exercise sets them (the page's defaults include top-p 0.9).
    settings: dict[str, float] = {"temperature": 1.0, "top_k": 0, "top_p": 1.0, **extra}
    return {"tok_names": ", ".join(TOKENS[: len(probs)]), "tok_logits": logits, **settings}


def _table(probs: list[float]) -> str:
    header = "| token | " + " | ".join(f"`{t}`" for t in TOKENS[: len(probs)]) + " |"
    rule = "|---|" + "---|" * len(probs)
    row = "| probability | " + " | ".join(f"{p:.2f}" for p in probs) + " |"
    return "\n".join([header, rule, row])


def _cents(rng: np.random.Generator, size: int, minimum: int = 3) -> np.ndarray:
    """Random probabilities in hundredths, each >= ``minimum``, all distinct, unsorted.

    The shares come from a flat Dirichlet, so some tokens are clear favourites (a
    multinomial around the uniform would make every distribution nearly flat).
    """
    while True:
        cents = rng.multinomial(100 - minimum * size, rng.dirichlet(np.ones(size))) + minimum
        if len(set(cents.tolist())) == size:
            return cents


# ------------------------------------------------------------------ nucleus, temperature


def _nucleus_params(rng: np.random.Generator) -> Params:
    # Probabilities in hundredths, sorted; p never within 0.005 of a cumulative sum (no
    # ambiguous boundary) and the nucleus leaves out at least the last token.
    while True:
        cents = np.sort(rng.multinomial(90, np.full(5, 0.2)) + 2)[::-1]
        probs = cents / 100
        p = float(rng.choice([0.5, 0.6, 0.7, 0.8, 0.9]))
        cumulative = np.cumsum(cents) / 100
        if np.all(np.abs(cumulative - p) > 0.005) and cumulative[-2] >= p:
            return {"probs": [round(float(x), 2) for x in probs], "p": p}


def _filtered(p: Params) -> np.ndarray:
    return top_p_filter(np.asarray(p["probs"]), p["p"])


TOP_P_FILTER = Exercise(
    id="sampling.top_p_filter",
    title="Nucleus (top-p) filtering",
    generate=_nucleus_params,
    prompt=lambda p: (
        "A model's next-token distribution over five tokens is "
        f"{p['probs']}.\n\nApply top-p (nucleus) filtering with **p = {p['p']}**: keep the "
        "smallest set of most probable tokens whose mass is at least p. Give the "
        "resulting distribution over the five tokens, in the same order, as a list."
    ),
    solve=_filtered,
    answer=Vector(rtol=1e-3, atol=1e-4),
    misconceptions=(
        Misconception(
            "not_renormalised",
            "You zeroed the tokens outside the nucleus but did not renormalise: divide "
            "the kept probabilities by their sum so they add up to 1. The sampling page "
            "shows the mass kept before renormalising.",
            lambda p: np.where(_filtered(p) > 0, p["probs"], 0.0),
        ),
    ),
    dashboard=DashboardLink("sampling", lambda p: _token_link(p["probs"], top_p=p["p"])),
)


def _temperature_params(rng: np.random.Generator) -> Params:
    # Probabilities in hundredths, at least 0.05 apart: tempering visibly changes them
    # (a near-uniform distribution would make T and 1/T give almost the same answer).
    while True:
        cuts = np.sort(rng.choice(np.arange(1, 100), size=3, replace=False))
        cents = np.sort(np.diff(np.concatenate([[0], cuts, [100]])))[::-1]
        if cents[-1] >= 3 and np.all(-np.diff(cents) >= 5):
            temperature = float(rng.choice([0.25, 0.5, 0.75, 1.5, 2.0, 4.0]))
            return {"probs": [round(float(c) / 100, 2) for c in cents], "temperature": temperature}


TEMPERATURE = Exercise(
    id="sampling.temperature",
    title="Sampling temperature",
    generate=_temperature_params,
    prompt=lambda p: (
        f"A model's next-token distribution is {p['probs']}. Apply **temperature "
        f"T = {p['temperature']}** (divide the logits by T and re-apply softmax). Give the "
        "new distribution, in the same order, as a list."
    ),
    solve=lambda p: temper_probs(p["probs"], p["temperature"]),
    answer=Vector(rtol=1e-3, atol=1e-5),
    misconceptions=(
        Misconception(
            "multiplied_by_t",
            "You multiplied the logits by T. Temperature divides them: p_i^(1/T), "
            "renormalised; T < 1 sharpens, T > 1 flattens (the sampling page's "
            "temperature slider shows both directions).",
            lambda p: temper_probs(p["probs"], 1.0 / p["temperature"]),
        ),
    ),
    dashboard=DashboardLink(
        "sampling",
        # the page's temperature slider stops at 3: beyond it, show the distribution only
        lambda p: _token_link(p["probs"], **({"temperature": p["temperature"]} if p["temperature"] <= 3 else {})),
    ),
)


# ------------------------------------------------------------------ inverse CDF


def _draw_index(probs: list[float] | np.ndarray, u: float) -> int:
    return int(sample_categorical(np.asarray(probs, dtype=float), u=[u])[0])


def _inverse_cdf_token(p: Params) -> str:
    return TOKENS[_draw_index(p["probs"], p["u"])]


def _sorted_cdf_token(p: Params) -> str:
    """The draw when the CDF is (wrongly) built over the tokens sorted by probability."""
    order = np.argsort(-np.asarray(p["probs"]), kind="stable")
    return TOKENS[int(order[_draw_index(np.asarray(p["probs"])[order], p["u"])])]


def _inverse_cdf_params(rng: np.random.Generator) -> Params:
    # u at least 0.01 from every step of both staircases (listed and sorted order), and
    # the right token, the step below it and the sorted-order token all different.
    while True:
        probs = (_cents(rng, 6) / 100).round(2).tolist()
        u = round(float(rng.integers(5, 996)) / 1000, 3)
        listed = np.cumsum(probs)
        ranked = np.cumsum(np.sort(probs)[::-1])
        if min(np.abs(listed - u).min(), np.abs(ranked - u).min()) < 0.01:
            continue
        params = {"probs": probs, "u": u}
        index = _draw_index(probs, u)
        if index >= 1 and len({TOKENS[index], TOKENS[index - 1], _sorted_cdf_token(params)}) == 3:
            return params


INVERSE_CDF_TOKEN = Exercise(
    id="sampling.inverse_cdf_token",
    title="Inverse-CDF sampling of a token",
    generate=_inverse_cdf_params,
    prompt=lambda p: (
        "A sampler draws the next token by the inverse CDF: it stacks the probabilities in "
        "the order the tokens are listed, draws one uniform number u in [0, 1) and returns "
        "the first token whose cumulative probability exceeds u.\n\n"
        f"{_table(p['probs'])}\n\nThe uniform draw is **u = {p['u']}**. Which token is sampled?"
    ),
    solve=_inverse_cdf_token,
    answer=Choice(TOKENS),
    misconceptions=(
        Misconception(
            "step_below",
            "You took the last token whose cumulative probability is still below u. The "
            "draw is the first token whose cumulative sum F_i exceeds u: token i owns the "
            "interval [F_{i−1}, F_i). The inverse-CDF tab of the sampling page draws the "
            "staircase.",
            lambda p: TOKENS[_draw_index(p["probs"], p["u"]) - 1],
        ),
        Misconception(
            "sorted_before_cdf",
            "You sorted the tokens by probability before stacking them. Inverse-CDF "
            "sampling uses any fixed order, and here it is the listed order; sorting "
            "changes which token owns each interval of u (only top-p sorts, to choose the "
            "nucleus).",
            _sorted_cdf_token,
        ),
    ),
    dashboard=DashboardLink("sampling", lambda p: _token_link(p["probs"])),
)


# ------------------------------------------------------------------ top-k


def _top_k_params(rng: np.random.Generator) -> Params:
    # Distinct probabilities (no tie at the k-th place) and the k most probable tokens not
    # simply the first k listed.
    while True:
        probs = (_cents(rng, 6) / 100).round(2).tolist()
        k = int(rng.integers(2, 5))
        top = set(np.argsort(probs)[::-1][:k].tolist())
        if top != set(range(k)):
            return {"probs": probs, "k": k}


def _first_k_listed(p: Params) -> np.ndarray:
    kept = np.asarray(p["probs"], dtype=float)[: p["k"]]
    return np.concatenate([kept / kept.sum(), np.zeros(len(p["probs"]) - p["k"])])


TOP_K_FILTER = Exercise(
    id="sampling.top_k_filter",
    title="Top-k filtering",
    generate=_top_k_params,
    prompt=lambda p: (
        f"A model's next-token distribution is\n\n{_table(p['probs'])}\n\nApply **top-k "
        f"filtering with k = {p['k']}** before sampling. Give the distribution the sampler "
        "draws from, over the six tokens in the listed order, as a list (0 for a removed "
        "token)."
    ),
    solve=lambda p: top_k_filter(p["probs"], p["k"]),
    answer=Vector(rtol=1e-3, atol=1e-4),
    misconceptions=(
        Misconception(
            "not_renormalised",
            "You kept the right tokens but did not renormalise: the sampler draws from the "
            "kept probabilities divided by their sum, so they add up to 1. The sampling "
            "page shows the mass kept before renormalising.",
            lambda p: np.where(top_k_filter(p["probs"], p["k"]) > 0, p["probs"], 0.0),
        ),
        Misconception(
            "first_k_listed",
            "You kept the first k tokens in the listed order. Top-k keeps the k most "
            "probable tokens, wherever they are in the list.",
            _first_k_listed,
        ),
    ),
    dashboard=DashboardLink("sampling", lambda p: _token_link(p["probs"], top_k=p["k"])),
)


# ------------------------------------------------------------------ top-p kept set


def _kept(probs: np.ndarray, p: float) -> list[str]:
    return [TOKENS[i] for i in np.flatnonzero(top_p_filter(probs, p) > 0)]


def _nucleus_set(p: Params) -> list[str]:
    return _kept(np.asarray(p["probs"], dtype=float), p["p"])


def _stopped_before_p(p: Params) -> list[str]:
    """The nucleus without its last token: stopping while the mass is still below p."""
    probs = np.asarray(p["probs"], dtype=float)
    kept = top_p_filter(probs, p["p"]) > 0
    weakest = np.flatnonzero(kept)[np.argmin(probs[kept])]
    return [TOKENS[i] for i in np.flatnonzero(kept) if i != weakest]


def _listed_order_set(p: Params) -> list[str]:
    """Accumulating the mass in the listed order instead of by decreasing probability."""
    cumulative = np.cumsum(p["probs"])
    n_keep = int(np.count_nonzero(cumulative < p["p"])) + 1
    return list(TOKENS[:n_keep])


def _top_p_set_params(rng: np.random.Generator) -> Params:
    while True:
        probs = (_cents(rng, 6) / 100).round(2).tolist()
        p = round(float(rng.choice(np.arange(0.5, 0.96, 0.05))), 2)
        ranked = np.cumsum(np.sort(probs)[::-1])
        listed = np.cumsum(probs)
        if min(np.abs(ranked - p).min(), np.abs(listed - p).min()) < 0.005:
            continue
        params = {"probs": probs, "p": p}
        answer = set(_nucleus_set(params))
        if not 2 <= len(answer) <= 5:  # the boundary token matters, and something is cut
            continue
        sets = [answer, set(_stopped_before_p(params)), set(_listed_order_set(params))]
        if all(a != b for a, b in combinations(sets, 2)):
            return params


TOP_P_KEPT_SET = Exercise(
    id="sampling.top_p_kept_set",
    title="Which tokens survive top-p?",
    generate=_top_p_set_params,
    prompt=lambda p: (
        f"A model's next-token distribution is\n\n{_table(p['probs'])}\n\nWith **top-p "
        f"(nucleus) sampling at p = {p['p']}**, which tokens can still be sampled? Choose "
        "all that apply."
    ),
    solve=_nucleus_set,
    answer=MultipleChoice(TOKENS),
    misconceptions=(
        Misconception(
            "stopped_before_p",
            "You stopped while the kept mass was still below p. The nucleus is the "
            "smallest set of most probable tokens whose mass reaches p, so it includes "
            "the token that crosses p.",
            _stopped_before_p,
        ),
        Misconception(
            "listed_order",
            "You accumulated the mass in the listed order. Top-p first sorts the tokens "
            "by decreasing probability and keeps the most probable ones until their mass "
            "reaches p.",
            _listed_order_set,
        ),
    ),
    dashboard=DashboardLink("sampling", lambda p: _token_link(p["probs"], top_p=p["p"])),
)


# ------------------------------------------------------------------ rejection sampling


@lru_cache(maxsize=512)  # scipy's frozen Beta is slow to build; few (a, b) pairs
def _beta_max(a: float, b: float, *, normalised: bool = True) -> float:
    """The largest value of the Beta(a, b) density (a, b > 1), at the mode (a−1)/(a+b−2).

    With ``normalised=False``: the largest value of x^(a−1)(1−x)^(b−1), without 1/B(a, b).
    """
    mode = (a - 1) / (a + b - 2)
    if normalised:
        return float(Beta(a, b).pdf(mode))
    return mode ** (a - 1) * (1 - mode) ** (b - 1)


def _rejection(p: Params) -> dict[str, float]:
    m = _beta_max(p["a"], p["b"])
    return {"m": m, "acceptance": 1.0 / m, "proposals": p["n"] * m}


def _rejection_params(rng: np.random.Generator) -> Params:
    while True:
        a, b = (int(x) for x in rng.integers(2, 9, size=2))
        n = int(rng.choice([100, 200, 250, 400, 500, 1000]))
        params = {"a": a, "b": b, "n": n}
        m = _beta_max(a, b)
        unnormalised = _beta_max(a, b, normalised=False)
        if _apart([m, unnormalised]) and _apart([n * m, n / m]):
            return params


REJECTION_RATE = Exercise(
    id="sampling.rejection_rate",
    title="Rejection sampling: the bound M and the acceptance rate",
    generate=_rejection_params,
    prompt=lambda p: (
        f"You sample the target $p = \\mathrm{{Beta}}({p['a']}, {p['b']})$ on [0, 1] by "
        "rejection sampling with the proposal $q = \\mathrm{Uniform}(0, 1)$: draw "
        "$x \\sim q$ and $u \\sim \\mathrm{Uniform}(0, 1)$ and accept $x$ when "
        "$u \\le p(x) / (M q(x))$.\n\n"
        "Give\n\n- `m`: the smallest valid bound M (so that p(x) ≤ M q(x) everywhere);\n"
        "- `acceptance`: the probability that a proposal is accepted with that M;\n"
        f"- `proposals`: the expected number of proposals needed for **{p['n']}** "
        "accepted draws."
    ),
    solve=_rejection,
    answer=Record({"m": Number(rtol=1e-3), "acceptance": Number(rtol=1e-3), "proposals": Number(rtol=1e-3)}),
    misconceptions=(
        Misconception(
            "divided_by_m",
            "Each proposal is accepted with probability 1/M, so one accepted draw costs M "
            "proposals on average (a geometric number): n draws need n·M proposals, not "
            "n/M. The rejection tab of the sampling page shows the kept share.",
            lambda p: {"proposals": p["n"] / _beta_max(p["a"], p["b"])},
        ),
        Misconception(
            "unnormalised_density",
            "You bounded x^(a−1)(1−x)^(b−1) without the 1/B(a, b). The acceptance rate is "
            "1/M only when M bounds the normalised density p(x) (with an unnormalised "
            "density it is Z/M).",
            lambda p: {
                "m": _beta_max(p["a"], p["b"], normalised=False),
                "acceptance": 1 / _beta_max(p["a"], p["b"], normalised=False),
            },
        ),
    ),
    dashboard=DashboardLink(
        "sampling",
        lambda p: {"rej_a": float(p["a"]), "rej_b": float(p["b"]), "rej_m": round(_beta_max(p["a"], p["b"]), 3)},
    ),
)


# ------------------------------------------------------------------ importance ESS


def _ess_params(rng: np.random.Generator) -> Params:
    # Weights in tenths; the ESS, its inverse, n and ESS/n must all be told apart.
    while True:
        n = int(rng.integers(5, 9))
        weights = (rng.integers(1, 50, size=n) / 10).round(1).tolist()
        ess = effective_sample_size(weights)
        if _apart([ess, 1 / ess, float(n), ess / n, sum(weights)], rel=0.03):
            return {"weights": weights}


IMPORTANCE_ESS = Exercise(
    id="sampling.importance_ess",
    title="Effective sample size of importance weights",
    generate=_ess_params,
    prompt=lambda p: (
        f"Importance sampling gave {len(p['weights'])} draws $x_i \\sim q$ with weights "
        f"$w_i = p(x_i)/q(x_i)$:\n\n{p['weights']}\n\n"
        "What is Kish's effective sample size of these weights?"
    ),
    solve=lambda p: effective_sample_size(p["weights"]),
    answer=Number(rtol=1e-3),
    misconceptions=(
        Misconception(
            "inverted",
            "You computed Σw²/(Σw)², the inverse. The effective sample size is "
            "(Σw)²/Σw²: between 1 (one weight dominates) and n (all weights equal).",
            lambda p: 1.0 / effective_sample_size(p["weights"]),
        ),
        Misconception(
            "counted_draws",
            "That is the number of draws. Unequal weights make the draws worth fewer: "
            "ESS = (Σw)²/Σw² < n. The importance tab of the sampling page shows the ESS "
            "collapse as the proposal moves away.",
            lambda p: float(len(p["weights"])),
        ),
        Misconception(
            "fraction",
            "That is ESS/n, the efficiency; the question asks for the effective sample "
            "size itself, (Σw)²/Σw².",
            lambda p: effective_sample_size(p["weights"]) / len(p["weights"]),
        ),
        Misconception(
            "sum_of_weights",
            "That is Σw. The effective sample size is (Σw)²/Σw², which does not change "
            "when all weights are scaled.",
            lambda p: float(sum(p["weights"])),
        ),
    ),
    dashboard=DashboardLink("sampling"),
)


# ------------------------------------------------------------------ KL estimators


def _kl_params(rng: np.random.Generator) -> Params:
    # Log-probs in hundredths; k1, its negation (sign of log r), k2 and 2·k2 and the two
    # k3's all told apart.
    while True:
        logp = (-rng.integers(10, 300, size=4) / 100).round(2)
        logp_ref = (logp + rng.integers(-80, 81, size=4) / 100).round(2)
        if (logp_ref >= 0).any():
            continue
        right, flipped = kl_estimators(logp, logp_ref), kl_estimators(logp_ref, logp)
        if (
            abs(right.k1_mean) > 0.05
            and right.k2_mean > 0.01
            and _apart([right.k3_mean, flipped.k3_mean])
        ):
            return {"logp": logp.tolist(), "logp_ref": logp_ref.tolist()}


def _kl_means(est: KLEstimates) -> dict[str, float]:
    return {"k1": est.k1_mean, "k2": est.k2_mean, "k3": est.k3_mean}


KL_ESTIMATORS = Exercise(
    id="sampling.kl_estimators",
    title="The k1, k2, k3 estimators of the RLHF KL penalty",
    generate=_kl_params,
    prompt=lambda p: (
        "Four tokens $x_i$ were sampled from the policy π. Their log-probabilities (in "
        "nats) under π and under the reference policy π_ref are\n\n"
        "| i | 1 | 2 | 3 | 4 |\n|---|---|---|---|---|\n"
        f"| log π(x_i) | {' | '.join(f'{x:.2f}' for x in p['logp'])} |\n"
        f"| log π_ref(x_i) | {' | '.join(f'{x:.2f}' for x in p['logp_ref'])} |\n\n"
        "With $r = \\pi_{\\mathrm{ref}}(x)/\\pi(x)$, give the Monte Carlo estimates of "
        "KL(π ‖ π_ref) in nats: the means over the four samples of "
        "`k1` = −log r, `k2` = ½ (log r)² and `k3` = (r − 1) − log r."
    ),
    solve=lambda p: _kl_means(kl_estimators(p["logp"], p["logp_ref"])),
    answer=Record(
        {"k1": Number(rtol=1e-3, atol=1e-4), "k2": Number(rtol=1e-3, atol=1e-4), "k3": Number(rtol=1e-3, atol=1e-4)}
    ),
    misconceptions=(
        Misconception(
            "log_ratio_sign",
            "You used log r = log π − log π_ref. The ratio is r = π_ref/π, so "
            "log r = log π_ref − log π; flipping it negates k1 and changes k3 (k2 does "
            "not notice). The KL tab of the sampling page compares the three estimators.",
            lambda p: {k: v for k, v in _kl_means(kl_estimators(p["logp_ref"], p["logp"])).items() if k != "k2"},
        ),
        Misconception(
            "k2_without_half",
            "k2 is ½ (log r)², with the ½: it matches KL to second order in log r.",
            lambda p: {"k2": 2 * kl_estimators(p["logp"], p["logp_ref"]).k2_mean},
        ),
    ),
    dashboard=DashboardLink("sampling"),
)


# ------------------------------------------------------------------ the F.kl_div trap


def _trap_params(rng: np.random.Generator) -> Params:
    # p and q in hundredths, each entry >= 0.05; KL(p‖q), KL(q‖p) and the printed value
    # all told apart.
    while True:
        p_cents, q_cents = _cents(rng, 3, minimum=5), _cents(rng, 3, minimum=5)
        p, q = (p_cents / 100).round(2), (q_cents / 100).round(2)
        printed = kl_div(q[None], p[None], reduction="batchmean", check=False)
        right = kl_div(np.log(q)[None], p[None], reduction="batchmean")
        backward = kl_div(np.log(p)[None], q[None], reduction="batchmean")
        if right > 0.02 and _apart([float(printed), float(right), float(backward)], rel=0.05):
            return {"p": p.tolist(), "q": q.tolist()}


def _trap_arrays(p: Params) -> tuple[np.ndarray, np.ndarray]:
    return np.asarray([p["p"]], dtype=float), np.asarray([p["q"]], dtype=float)


def _trap_answer(p: Params) -> dict[str, float]:
    target, model = _trap_arrays(p)
    return {
        "printed": float(kl_div(model, target, reduction="batchmean", check=False)),
        "kl": float(kl_div(np.log(model), target, reduction="batchmean")),
    }


KL_DIV_TRAP = Exercise(
    id="sampling.kl_div_trap",
    title="Spot the bug: torch's F.kl_div on raw probabilities",
    generate=_trap_params,
    prompt=lambda p: (
        "A colleague measures how far a model q is from the data distribution p:\n\n"
        "```python\n"
        "import torch\nimport torch.nn.functional as F\n\n"
        f"p = torch.tensor([{p['p']}])  # data distribution (target)\n"
        f"q = torch.tensor([{p['q']}])  # model distribution\n"
        'loss = F.kl_div(q, p, reduction="batchmean")\n'
        "print(loss.item())\n"
        "```\n\n"
        "It runs without an error or a warning. Give `printed`, the number it prints "
        "(in nats, up to float rounding), and `kl`, the KL(p ‖ q) in nats the colleague "
        "meant to compute."
    ),
    solve=_trap_answer,
    answer=Record({"printed": Number(rtol=1e-3, atol=1e-4), "kl": Number(rtol=1e-3, atol=1e-4)}),
    misconceptions=(
        Misconception(
            "trusted_the_call",
            "F.kl_div(input, target) expects input = log q. Given raw q it computes "
            "Σ p (log p − q), which is not a KL divergence and raises nothing. Write "
            "F.kl_div(q.log(), p, reduction=\"batchmean\"). The KL tab of the sampling "
            "page shows the trap with your p and q.",
            lambda p: {"printed": _trap_answer(p)["kl"]},
        ),
        Misconception(
            "arguments_swapped",
            "F.kl_div(log q, p) is KL(p ‖ q): the target p is the distribution the "
            "expectation is taken under. You computed KL(q ‖ p).",
            lambda p: {"kl": float(kl_div(np.log(_trap_arrays(p)[0]), _trap_arrays(p)[1], reduction="batchmean"))},
        ),
    ),
    dashboard=DashboardLink(
        "sampling",
        lambda p: {"trap_p": ", ".join(map(str, p["p"])), "trap_q": ", ".join(map(str, p["q"]))},
    ),
)


ALL = (
    TOP_P_FILTER,
    TEMPERATURE,
    INVERSE_CDF_TOKEN,
    TOP_K_FILTER,
    TOP_P_KEPT_SET,
    REJECTION_RATE,
    IMPORTANCE_ESS,
    KL_ESTIMATORS,
    KL_DIV_TRAP,
)


@hookimpl
def register_exercises(register: Callable[[Exercise], None]) -> None:
    for exercise in ALL:
        register(exercise)
