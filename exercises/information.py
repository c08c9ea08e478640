"""Information theory: entropy in bits, cross-entropy, KL both ways, JS and its bound,
the Gaussian KL, mutual information as a KL, perplexity from logits."""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise

import numpy as np

from core.information import (
    cross_entropy,
    cross_entropy_from_logits,
    entropy,
    gaussian_kl,
    joint_entropy,
    js_divergence,
    kl_divergence,
    mutual_information,
    perplexity,
)
from exercises._params import apart, joined, markdown_table, table_text
from grader import DashboardLink, Exercise, Misconception, Number, Params, Record, hookimpl

_TOKENS = ("the", "cat", "sat", "mat")


def _entropy_link(p_counts: list[int], q_counts: list[int] | None = None, unit: str = "nats") -> dict[str, object]:
    """The Entropy & perplexity page with P (and Q) as softmax(log counts) = counts / total."""
    q_counts = p_counts if q_counts is None else q_counts
    return {
        "tokens": joined(_TOKENS[: len(p_counts)]),
        "p_logits": joined(f"{np.log(c):.6f}" for c in p_counts),
        "q_logits": joined(f"{np.log(c):.6f}" for c in q_counts),
        "temperature": 1.0,
        "unit": unit,
    }


def _counts(rng: np.random.Generator, size: int) -> list[int]:
    """Small positive counts, not all equal (so the distribution is not uniform)."""
    while True:
        counts = [int(c) for c in rng.integers(1, 10, size=size)]
        if len(set(counts)) > 1:
            return counts


def _probs(counts: list[int]) -> np.ndarray:
    return np.asarray(counts, dtype=float) / sum(counts)


def _kl(p: np.ndarray, q: np.ndarray) -> float:
    """Plain numpy, only to pick a variant (solve and misconceptions use core)."""
    return float(np.sum(p * np.log(p / q)))


def _fractions(counts: list[int]) -> str:
    total = sum(counts)
    return "(" + ", ".join(f"{c}/{total}" for c in counts) + ")"


def _entropy_params(rng: np.random.Generator) -> Params:
    # Clearly non-uniform: the entropy stays 5% below the uniform distribution's 2 bits.
    while True:
        counts = _counts(rng, 4)
        pp = _probs(counts)
        if -float(pp @ np.log2(pp)) < 1.9:
            return {"counts": counts}


ENTROPY_BITS = Exercise(
    id="information.entropy_bits",
    title="Entropy of a distribution, in bits",
    generate=_entropy_params,
    prompt=lambda p: (
        f"A random variable takes four values with probabilities p = {_fractions(p['counts'])}.\n\n"
        "What is its entropy $H(p) = -\\sum_x p(x) \\log_2 p(x)$ **in bits**?"
    ),
    solve=lambda p: entropy(_probs(p["counts"]), base=2),
    answer=Number(rtol=1e-3),
    misconceptions=(
        Misconception(
            "nats_for_bits",
            "You used the natural logarithm, which gives nats. In bits use log base 2 "
            "(divide the value in nats by ln 2). The Entropy & perplexity page (link below, "
            "set to your p in bits) shows both units.",
            lambda p: entropy(_probs(p["counts"])),
        ),
        Misconception(
            "uniform_entropy",
            "log2(4) = 2 bits is the entropy of the uniform distribution; this one is "
            "not uniform, so weight each −log2 p by its p. See the Entropy & perplexity page "
            "(link below).",
            lambda p: entropy(np.full(4, 0.25), base=2),
        ),
    ),
    dashboard=DashboardLink("entropy", lambda p: _entropy_link(p["counts"], unit="bits")),
)


def _pq(rng: np.random.Generator) -> Params:
    # KL(p‖q), KL(q‖p) and KL in bits must be told apart: at least 5% from each other.
    while True:
        p, q = _counts(rng, 3), _counts(rng, 3)
        forward, backward = _kl(_probs(p), _probs(q)), _kl(_probs(q), _probs(p))
        answers = sorted([forward, backward, forward / np.log(2)])
        if answers[0] > 0.01 and all(b > 1.05 * a for a, b in pairwise(answers)):
            return {"p": p, "q": q}


KL_DIVERGENCE = Exercise(
    id="information.kl_divergence",
    title="KL divergence between two distributions",
    generate=_pq,
    prompt=lambda p: (
        f"Two distributions over three outcomes: p = {_fractions(p['p'])} and "
        f"q = {_fractions(p['q'])}.\n\nWhat is $\\mathrm{{KL}}(p \\,\\|\\, q)$, **in nats**?"
    ),
    solve=lambda p: kl_divergence(_probs(p["p"]), _probs(p["q"])),
    answer=Number(rtol=1e-3, atol=1e-6),
    misconceptions=(
        Misconception(
            "arguments_swapped",
            "You computed KL(q ‖ p). KL is not symmetric: KL(p ‖ q) = Σ p log(p/q), "
            "weighted by p. The Entropy & perplexity page (link below, set to your p and q) "
            "shows KL(p ‖ q).",
            lambda p: kl_divergence(_probs(p["q"]), _probs(p["p"])),
        ),
        Misconception(
            "bits_for_nats",
            "You used log base 2 (bits); the question asks for nats (natural log). See the "
            "Entropy & perplexity page (link below).",
            lambda p: kl_divergence(_probs(p["p"]), _probs(p["q"]), base=2),
        ),
    ),
    dashboard=DashboardLink("entropy", lambda p: _entropy_link(p["p"], p["q"])),
)


def _distinct_cross_entropy(rng: np.random.Generator) -> Params:
    # H(p, q), H(q, p) and H(p) must be told apart: at least 5% from each other.
    while True:
        p, q = _counts(rng, 3), _counts(rng, 3)
        pp, qq = _probs(p), _probs(q)
        h_p, h_q = -float(pp @ np.log(pp)), -float(qq @ np.log(qq))
        answers = sorted([h_p + _kl(pp, qq), h_q + _kl(qq, pp), h_p])  # H(p,q), H(q,p), H(p)
        if all(b > 1.05 * a for a, b in pairwise(answers)):
            return {"p": p, "q": q}


CROSS_ENTROPY = Exercise(
    id="information.cross_entropy",
    title="Cross-entropy of a model against the data",
    generate=_distinct_cross_entropy,
    prompt=lambda p: (
        f"The data distribution over three tokens is p = {_fractions(p['p'])}; a model "
        f"predicts q = {_fractions(p['q'])}.\n\nWhat is the cross-entropy H(p, q) in nats "
        "(the model's expected loss per token)?"
    ),
    solve=lambda p: cross_entropy(_probs(p["p"]), _probs(p["q"])),
    answer=Number(rtol=1e-3),
    misconceptions=(
        Misconception(
            "arguments_swapped",
            "You computed H(q, p). The expectation is over the data: H(p, q) = −Σ p log q. "
            "The Entropy & perplexity page (link below, set to your p and q) shows H(p, q).",
            lambda p: cross_entropy(_probs(p["q"]), _probs(p["p"])),
        ),
        Misconception(
            "entropy_of_data",
            "That is the entropy H(p) of the data alone; the cross-entropy adds the KL "
            "divergence: H(p, q) = H(p) + KL(p ‖ q). See the decomposition on the Entropy & "
            "perplexity page (link below).",
            lambda p: entropy(_probs(p["p"])),
        ),
    ),
    dashboard=DashboardLink("entropy", lambda p: _entropy_link(p["p"], p["q"])),
)


def _js_params(rng: np.random.Generator) -> Params:
    # Zeros allowed (KL may be infinite, JS never is); JS, its nats value, 2·JS and the
    # half-term must be told apart.
    while True:
        p, q = ([int(c) for c in rng.integers(0, 7, size=4)] for _ in range(2))
        if sum(p) == 0 or sum(q) == 0 or p == q:
            continue
        params = {"p": p, "q": q}
        js = js_divergence(_probs(p), _probs(q), base=2)
        half = _js_half_term(params)
        if js > 0.05 and apart((js, js * np.log(2), 2 * js, half)):
            return params


def _js_half_term(p: Params) -> float:
    pp, qq = _probs(p["p"]), _probs(p["q"])
    return 0.5 * kl_divergence(pp, 0.5 * (pp + qq), base=2)


JS_DIVERGENCE = Exercise(
    id="information.js_divergence_bound",
    title="Jensen-Shannon divergence and its bound, in bits",
    generate=_js_params,
    prompt=lambda p: (
        f"Two distributions over four tokens: $p = {_fractions(p['p'])}$ and "
        f"$q = {_fractions(p['q'])}$ (zeros included: KL may be infinite here).\n\n"
        "Give **in bits** the Jensen-Shannon divergence "
        "$\\mathrm{JS}(p, q) = \\tfrac12 \\mathrm{KL}(p\\,\\|\\,m) + \\tfrac12 \\mathrm{KL}(q\\,\\|\\,m)$ "
        "with $m = \\tfrac12(p + q)$ (`js`), and the largest value JS can take for any two "
        "distributions, also in bits (`bound`)."
    ),
    solve=lambda p: {"js": js_divergence(_probs(p["p"]), _probs(p["q"]), base=2), "bound": 1.0},
    answer=Record({"js": Number(rtol=1e-3, atol=1e-6), "bound": Number(rtol=1e-3)}),
    points=2.0,
    misconceptions=(
        Misconception(
            "nats_for_bits",
            "Your values are in nats (natural log); the question asks for bits. In nats "
            "JS is at most ln 2 ≈ 0.693, in bits at most 1. The KL vs JS page (link below) "
            "shows JS levelling off at ln 2 while KL grows without bound.",
            lambda p: {"js": js_divergence(_probs(p["p"]), _probs(p["q"])), "bound": float(np.log(2))},
        ),
        Misconception(
            "bound_in_nats",
            "Your bound ln 2 ≈ 0.693 is in nats; in bits the bound is log₂ 2 = 1 (reached "
            "by distributions with disjoint supports). See the KL vs JS page (link below).",
            lambda p: {"bound": float(np.log(2))},
        ),
        Misconception(
            "not_halved",
            "You added KL(p ‖ m) + KL(q ‖ m) without the ½: JS averages the two. See the "
            "KL vs JS page (link below).",
            lambda p: {"js": 2 * js_divergence(_probs(p["p"]), _probs(p["q"]), base=2)},
        ),
        Misconception(
            "one_term_only",
            "You kept only ½ KL(p ‖ m); JS is symmetric and adds ½ KL(q ‖ m). See the KL vs "
            "JS page (link below).",
            lambda p: {"js": _js_half_term(p)},
        ),
    ),
    dashboard=DashboardLink("kl-vs-js"),
)


def _gaussian_kl_params(rng: np.random.Generator) -> Params:
    # KL both ways and the "σ² for σ" slip must be told apart.
    while True:
        mu1, mu2 = (int(m) / 2 for m in rng.integers(-6, 7, size=2))
        s1, s2 = (float(s) for s in rng.choice([0.5, 0.75, 1.5, 2.0, 2.5, 3.0], size=2))
        params = {"mu1": mu1, "sigma1": s1, "mu2": mu2, "sigma2": s2}
        values = [_gauss_kl(params)] + [m.answer(params) for m in _GAUSSIAN_KL_MISCONCEPTIONS]
        if values[0] > 0.05 and apart(values):
            return params


def _gauss_kl(p: Params) -> float:
    return gaussian_kl(p["mu1"], p["sigma1"], p["mu2"], p["sigma2"])


_GAUSSIAN_KL_MISCONCEPTIONS = (
    Misconception(
        "arguments_swapped",
        "You computed KL(Q ‖ P). The formula is not symmetric in the two variances: "
        "KL(P ‖ Q) = ln(σ₂/σ₁) + (σ₁² + (μ₁ − μ₂)²)/(2σ₂²) − ½. The KL vs JS page (link "
        "below, set to your P and Q) shows both directions.",
        lambda p: gaussian_kl(p["mu2"], p["sigma2"], p["mu1"], p["sigma1"]),
    ),
    Misconception(
        "variance_for_sd",
        "You put the variances where the standard deviations go (σ² for σ). See the KL vs "
        "JS page (link below) with your P and Q.",
        lambda p: gaussian_kl(p["mu1"], p["sigma1"] ** 2, p["mu2"], p["sigma2"] ** 2),
    ),
    Misconception(
        "bits_for_nats",
        "Your value is in bits; the question asks for nats (natural log). See the KL vs JS "
        "page (link below).",
        lambda p: gaussian_kl(p["mu1"], p["sigma1"], p["mu2"], p["sigma2"], base=2),
    ),
)

GAUSSIAN_KL = Exercise(
    id="information.gaussian_kl",
    title="KL divergence between two Gaussians",
    generate=_gaussian_kl_params,
    prompt=(
        "P = N(μ₁, σ₁²) with μ₁ = {mu1:g}, σ₁ = {sigma1:g}, and Q = N(μ₂, σ₂²) with "
        "μ₂ = {mu2:g}, σ₂ = {sigma2:g}.\n\nWhat is $\\mathrm{{KL}}(P \\,\\|\\, Q)$ **in nats**? Use the closed form "
        "$\\ln\\frac{{\\sigma_2}}{{\\sigma_1}} + \\frac{{\\sigma_1^2 + (\\mu_1-\\mu_2)^2}}{{2\\sigma_2^2}} - \\frac12$."
    ),
    solve=_gauss_kl,
    answer=Number(rtol=1e-3, atol=1e-6),
    misconceptions=_GAUSSIAN_KL_MISCONCEPTIONS,
    dashboard=DashboardLink(
        "kl-vs-js", lambda p: {"mu1": p["mu1"], "sigma1": p["sigma1"], "mu2": p["mu2"], "sigma2": p["sigma2"]}
    ),
)


def _logits_params(rng: np.random.Generator) -> Params:
    while True:
        logits = (rng.integers(-20, 31, size=(3, 4)) / 10).tolist()
        targets = [int(t) for t in rng.integers(0, 4, size=3)]
        params = {"logits": logits, "targets": targets}
        nll = _mean_nll(params)
        naive = _naive_nll(params)
        if nll > 0.1 and apart((nll, naive, 3 * nll, nll / np.log(2)), atol=0.01):
            return params


def _mean_nll(p: Params) -> float:
    return cross_entropy_from_logits(p["logits"], p["targets"])


def _naive_nll(p: Params) -> float:
    # −z_y without the log-sum-exp: the softmax's normaliser forgotten.
    return -float(np.mean([row[t] for row, t in zip(p["logits"], p["targets"], strict=True)]))


def _logits_prompt(p: Params) -> str:
    rows = [
        [i + 1, *(f"{z:g}" for z in row), f"`{_TOKENS[t]}`"]
        for i, (row, t) in enumerate(zip(p["logits"], p["targets"], strict=True))
    ]
    return (
        "A model outputs these logits over the vocabulary "
        + ", ".join(f"`{t}`" for t in _TOKENS)
        + " at three positions; the last column is the token that actually came next:\n\n"
        + markdown_table(["position", *_TOKENS, "target"], rows)
        + "\n\nWith $q = \\mathrm{softmax}(z)$ at each position, give the average negative "
        "log-likelihood of the targets **in nats per token** (`nll`) and the perplexity "
        "(`perplexity`)."
    )


PERPLEXITY_FROM_LOGITS = Exercise(
    id="information.perplexity_from_logits",
    title="Cross-entropy loss and perplexity from logits",
    generate=_logits_params,
    prompt=_logits_prompt,
    solve=lambda p: {"nll": _mean_nll(p), "perplexity": perplexity(_mean_nll(p))},
    answer=Record({"nll": Number(rtol=1e-3), "perplexity": Number(rtol=1e-3)}),
    points=2.0,
    misconceptions=(
        Misconception(
            "forgot_log_sum_exp",
            "You used −z_target, the raw logit, as the loss: the logits are not "
            "log-probabilities until the softmax's normaliser is subtracted, "
            "−log q_y = log Σ_v e^{z_v} − z_y. The Entropy & perplexity page (link below, "
            "set to your first position's logits) shows the softmax.",
            lambda p: {"nll": _naive_nll(p)},
        ),
        Misconception(
            "sum_not_mean",
            "Your NLL is the sum over the three positions; perplexity uses the average per "
            "token. See the Entropy & perplexity page (link below).",
            lambda p: {"nll": 3 * _mean_nll(p)},
        ),
        Misconception(
            "bits_for_nats",
            "Your NLL is in bits; the question asks for nats. (The perplexity is the same "
            "either way: 2^bits = e^nats.) See the Entropy & perplexity page (link below).",
            lambda p: {"nll": _mean_nll(p) / np.log(2)},
        ),
    ),
    dashboard=DashboardLink(
        "entropy",
        lambda p: {
            "tokens": joined(_TOKENS),
            "p_logits": joined(p["logits"][0]),
            "q_logits": joined(p["logits"][0]),
            "nll": round(_mean_nll(p), 4),
            "nll_unit": "nats",
        },
    ),
)


def _mi_params(rng: np.random.Generator) -> Params:
    while True:
        # Positive counts, with extra mass on one cell of each column (in different rows) so
        # the dependence is clear: H(X, Y) then stays 5% below H(X) + H(Y).
        counts = rng.integers(1, 8, size=(3, 2))
        rows = rng.choice(3, size=2, replace=False)
        counts[rows[0], 0] += 8
        counts[rows[1], 1] += 8
        params = {"counts": counts.tolist()}
        values = [_mi(params)] + [m.answer(params) for m in _MI_MISCONCEPTIONS]
        if values[0] > 0.02 and apart(values):
            return params


def _mi_joint(p: Params) -> np.ndarray:
    counts = np.asarray(p["counts"], dtype=float)
    return counts / counts.sum()


def _mi(p: Params) -> float:
    return mutual_information(_mi_joint(p))


def _mi_product(p: Params) -> np.ndarray:
    joint = _mi_joint(p)
    return np.outer(joint.sum(axis=1), joint.sum(axis=0))


_MI_MISCONCEPTIONS = (
    Misconception(
        "kl_arguments_swapped",
        "You computed KL(P(X)P(Y) ‖ P(X,Y)). Mutual information is KL(P(X,Y) ‖ P(X)P(Y)): "
        "the joint measured against independence, weighted by the joint. The Mutual "
        "information page (link below, with your table) shows both heatmaps.",
        lambda p: kl_divergence(_mi_product(p).ravel(), _mi_joint(p).ravel()),
    ),
    Misconception(
        "bits_for_nats",
        "Your value is in bits; the question asks for nats. See the Mutual information page "
        "(link below).",
        lambda p: mutual_information(_mi_joint(p), base=2),
    ),
    Misconception(
        "entropies_not_overlap",
        "You gave H(X) + H(Y). Mutual information is their overlap, H(X) + H(Y) − H(X, Y). "
        "See the entropy bars on the Mutual information page (link below).",
        lambda p: entropy(_mi_joint(p).sum(axis=1)) + entropy(_mi_joint(p).sum(axis=0)),
    ),
    Misconception(
        "joint_entropy",
        "You gave the joint entropy H(X, Y); mutual information is H(X) + H(Y) − H(X, Y). "
        "See the Mutual information page (link below).",
        lambda p: joint_entropy(_mi_joint(p)),
    ),
)


def _mi_prompt(p: Params) -> str:
    total = sum(map(sum, p["counts"]))
    rows = [[f"X = {i}", *(f"{c}/{total}" for c in row)] for i, row in enumerate(p["counts"])]
    return (
        "X ∈ {0, 1, 2} and Y ∈ {0, 1} have this joint distribution:\n\n"
        + markdown_table(["", "Y = 0", "Y = 1"], rows)
        + "\n\nWhat is the mutual information "
        "$I(X;Y) = \\mathrm{KL}\\big(P(X,Y)\\,\\|\\,P(X)P(Y)\\big)$ **in nats**?"
    )


MUTUAL_INFORMATION_KL = Exercise(
    id="information.mutual_information_kl",
    title="Mutual information as a KL divergence from independence",
    generate=_mi_params,
    prompt=_mi_prompt,
    solve=_mi,
    answer=Number(rtol=1e-3, atol=1e-6),
    misconceptions=_MI_MISCONCEPTIONS,
    dashboard=DashboardLink(
        "mutual-information",
        lambda p: {"source": "Type a table", "joint": table_text(_mi_joint(p)), "unit": "nats"},
    ),
)


@hookimpl
def register_exercises(register: Callable[[Exercise], None]) -> None:
    for exercise in (
        ENTROPY_BITS,
        KL_DIVERGENCE,
        CROSS_ENTROPY,
        JS_DIVERGENCE,
        GAUSSIAN_KL,
        PERPLEXITY_FROM_LOGITS,
        MUTUAL_INFORMATION_KL,
    ):
        register(exercise)
