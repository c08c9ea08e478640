"""The course's eight interview questions (topic ``interview``), each made gradable.

Q1 cross-entropy = entropy + KL; Q2 forward vs reverse KL of a bimodal target; Q3
perplexity from an NLL and of a uniform model; Q4 weight decay as a Gaussian prior and a
tiny ridge MAP; Q5 importance weights and PPO's clipped objective; Q6 the Beta-Binomial
update; Q7 mutual information and independence; Q8 Fisher information, the Cramér-Rao
bound and a natural-gradient step. Conceptual questions become numbers to compute, and
the misconceptions are the classic confusions, computed with core.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import lru_cache

import numpy as np

from core.bayes import (
    beta_binomial_update,
    prior_variance_from_weight_decay,
    ridge_solution,
    weight_decay_from_prior_variance,
)
from core.fisher import fisher_information, natural_gradient_step
from core.information import (
    conditional_entropy,
    cross_entropy,
    entropy,
    gaussian_mixture_kl,
    kl_divergence,
    mutual_information,
    perplexity,
)
from core.sampling import PPOClipResult, importance_estimate, importance_weights, ppo_clip_objective
from exercises._params import (
    apart,
    fractions,
    joined,
    markdown_table,
    probs,
    table_text,
    vectors_apart,
)
from grader import DashboardLink, Exercise, Misconception, Number, Params, Record, Vector, hookimpl

_PROB = Number(rtol=1e-3, atol=1e-6)
_COUNT = Number(rtol=0.0, atol=1e-6)
_INDEX = Number(rtol=0.0, atol=0.01)


def _base(unit: str) -> float | None:
    return 2.0 if unit == "bits" else None


def _other_base(unit: str) -> float | None:
    return None if unit == "bits" else 2.0


# ------------------------------------------------------------------------------- Q1

_Q1_TOKENS = ("the", "cat", "sat", "mat")


def _q1_params(rng: np.random.Generator) -> Params:
    # Every misconception's number must be told apart from the right one: KL both ways,
    # H(p) against H(q), H(p, q) against H(q, p), all at least 5% apart.
    while True:
        p, q = ([int(c) for c in rng.integers(1, 10, size=4)] for _ in range(2))
        pp, qq = probs(p), probs(q)
        kl_pq = float(np.sum(pp * np.log(pp / qq)))
        kl_qp = float(np.sum(qq * np.log(qq / pp)))
        h_p, h_q = -float(pp @ np.log(pp)), -float(qq @ np.log(qq))
        if kl_pq > 0.02 and apart((kl_pq, kl_qp)) and apart((h_p, h_q)) and apart((h_p + kl_pq, h_q + kl_qp)):
            return {"p": p, "q": q}


def _q1_solve(p: Params, base: float | None = None) -> dict[str, float]:
    pp, qq = probs(p["p"]), probs(p["q"])
    return {
        "cross_entropy": cross_entropy(pp, qq, base=base),
        "entropy": entropy(pp, base=base),
        "kl": kl_divergence(pp, qq, base=base),
    }


def _logits_link(p: Params) -> dict[str, object]:
    # softmax(log counts) = counts / total: the page shows exactly p and q.
    return {
        "tokens": joined(_Q1_TOKENS),
        "p_logits": joined(f"{math.log(c):.6f}" for c in p["p"]),
        "q_logits": joined(f"{math.log(c):.6f}" for c in p["q"]),
        "temperature": 1.0,
        "unit": "nats",
    }


CROSS_ENTROPY_IS_MLE = Exercise(
    id="interview.cross_entropy_mle",
    title="Cross-entropy = entropy + KL, the reason CE training is MLE (Q1)",
    generate=_q1_params,
    prompt=lambda p: (
        "Over the four tokens " + ", ".join(f"`{t}`" for t in _Q1_TOKENS) + " the data "
        f"distribution is $p = {fractions(p['p'])}$ and a model predicts "
        f"$q = {fractions(p['q'])}$.\n\n"
        "Give, **in nats**, the cross-entropy $H(p, q) = -\\sum_x p(x) \\ln q(x)$ (the "
        "expected training loss per token), the entropy $H(p)$ and the divergence "
        "$\\mathrm{KL}(p \\,\\|\\, q)$. Check that $H(p, q) = H(p) + \\mathrm{KL}(p\\,\\|\\,q)$: "
        "since $H(p)$ does not depend on the model, minimising the cross-entropy (maximum "
        "likelihood) minimises the KL."
    ),
    solve=_q1_solve,
    answer=Record({"cross_entropy": _PROB, "entropy": _PROB, "kl": _PROB}),
    points=3.0,
    misconceptions=(
        Misconception(
            "bits_for_nats",
            "You used log base 2, which gives bits; the question asks for nats (natural "
            "log). Divide by ln 2 ≈ 0.693 the other way. The Entropy & perplexity page "
            "(link below, set to your p and q) shows both units side by side.",
            lambda p: _q1_solve(p, base=2.0),
        ),
        Misconception(
            "kl_arguments_swapped",
            "Your KL is KL(q ‖ p). KL is not symmetric: the one that completes the "
            "cross-entropy is KL(p ‖ q) = Σ p log(p/q), weighted by the data p. The Entropy "
            "& perplexity page (link below) shows H(p, q) = H(p) + KL(p ‖ q) for your p, q.",
            lambda p: {"kl": kl_divergence(probs(p["q"]), probs(p["p"]))},
        ),
        Misconception(
            "model_entropy",
            "Your entropy is H(q), the model's. The entropy in H(p, q) = H(p) + KL(p ‖ q) is "
            "the data's, H(p), which the model cannot change. See the Entropy & perplexity "
            "page (link below) with your p and q.",
            lambda p: {"entropy": entropy(probs(p["q"]))},
        ),
        Misconception(
            "cross_entropy_swapped",
            "Your cross-entropy is H(q, p) = −Σ q log p. The training loss averages over "
            "the data: H(p, q) = −Σ p log q. See the Entropy & perplexity page (link below).",
            lambda p: {"cross_entropy": cross_entropy(probs(p["q"]), probs(p["p"]))},
        ),
    ),
    dashboard=DashboardLink("entropy", _logits_link),
)


# ------------------------------------------------------------------------------- Q2


@lru_cache(maxsize=4096)
def _q2_table(
    weights: tuple[float, ...], mus: tuple[float, ...], sigmas: tuple[float, ...], candidates: tuple[tuple[float, float], ...]
) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """KL(p‖q) and KL(q‖p) in nats for each candidate q (cached: each is a quadrature)."""
    forward = tuple(gaussian_mixture_kl(weights, mus, sigmas, m, s) for m, s in candidates)
    reverse = tuple(gaussian_mixture_kl(weights, mus, sigmas, m, s, reverse=True) for m, s in candidates)
    return forward, reverse


def _q2_kls(p: Params) -> tuple[tuple[float, ...], tuple[float, ...]]:
    return _q2_table(
        tuple(p["weights"]), tuple(p["mus"]), tuple(p["sigmas"]), tuple(tuple(c) for c in p["candidates"])
    )


def _q2_params(rng: np.random.Generator) -> Params:
    while True:
        w_heavy = int(rng.integers(55, 81)) / 100
        weights = [w_heavy, round(1 - w_heavy, 2)] if rng.random() < 0.5 else [round(1 - w_heavy, 2), w_heavy]
        mus = [-float(rng.integers(3, 8)) / 2, float(rng.integers(3, 8)) / 2]  # modes 1.5 to 3.5 from 0
        sigmas = [int(rng.integers(4, 11)) / 10 for _ in range(2)]
        w, m, s = np.array(weights), np.array(mus), np.array(sigmas)
        mean = float(w @ m)
        sd = math.sqrt(float(w @ (s**2 + m**2)) - mean**2)
        candidates = [
            [round(mean, 2), round(sd, 2)],  # moment-matched: covers both modes
            [mus[0], sigmas[0]],  # on the left mode
            [mus[1], sigmas[1]],  # on the right mode
            [round(mean, 2), round(float(s.mean()), 2)],  # narrow, in the valley between
        ]
        order = rng.permutation(4)
        params = {"weights": weights, "mus": mus, "sigmas": sigmas, "candidates": [candidates[i] for i in order]}
        forward, reverse = _q2_kls(params)
        best_f, best_r = int(np.argmin(forward)), int(np.argmin(reverse))
        second_f = sorted(forward)[1]
        second_r = sorted(reverse)[1]
        # A unique winner each way (runner-up 5% worse), different winners, and every
        # misconception's value apart from the right ones.
        values = (forward[best_f], reverse[best_r], reverse[best_f], forward[best_r])
        if (
            best_f != best_r
            and second_f > 1.05 * forward[best_f]
            and second_r > 1.05 * reverse[best_r]
            and min(forward[best_f], reverse[best_r]) > 0.02
            and apart(values)
        ):
            return params


def _q2_solve(p: Params, base: float | None = None) -> dict[str, float]:
    forward, reverse = _q2_kls(p)
    best_f, best_r = int(np.argmin(forward)), int(np.argmin(reverse))
    scale = 1.0 if base is None else math.log(base)
    return {
        "forward": best_f + 1,
        "reverse": best_r + 1,
        "kl_forward": forward[best_f] / scale,
        "kl_reverse": reverse[best_r] / scale,
    }


def _q2_swapped_values(p: Params) -> dict[str, float]:
    forward, reverse = _q2_kls(p)
    best_f, best_r = int(np.argmin(forward)), int(np.argmin(reverse))
    # The chosen candidates, each scored with the other direction's KL.
    return {"kl_forward": reverse[best_f], "kl_reverse": forward[best_r]}


def _q2_prompt(p: Params) -> str:
    (w1, w2), (m1, m2), (s1, s2) = p["weights"], p["mus"], p["sigmas"]
    rows = [[i + 1, f"N({m:g}, {s:g}²)"] for i, (m, s) in enumerate(p["candidates"])]
    return (
        f"The target is the bimodal mixture $p(x) = {w1:g}\\,\\mathcal N({m1:g}, {s1:g}^2) + "
        f"{w2:g}\\,\\mathcal N({m2:g}, {s2:g}^2)$. You may approximate it by one of these "
        "single Gaussians $q$:\n\n"
        + markdown_table(["candidate", "q"], rows)
        + "\n\nWhich candidate minimises the forward KL $\\mathrm{KL}(p\\,\\|\\,q)$ (the "
        "direction MLE training minimises), and which the reverse KL "
        "$\\mathrm{KL}(q\\,\\|\\,p)$ (the direction of the RLHF penalty and the ELBO)? "
        "Give the two candidate numbers as `forward` and `reverse`, and the two minimum "
        "values **in nats** as `kl_forward` and `kl_reverse` (numerical integration is "
        "fine)."
    )


def _q2_link(p: Params) -> dict[str, float]:
    # P = the heavier mode, Q = the wide moment-matched fit: the page shows both KLs.
    heavy = int(np.argmax(p["weights"]))
    wide = max(p["candidates"], key=lambda c: c[1])
    return {"mu1": p["mus"][heavy], "sigma1": p["sigmas"][heavy], "mu2": wide[0], "sigma2": wide[1]}


FORWARD_REVERSE_KL = Exercise(
    id="interview.forward_reverse_kl",
    title="Forward vs reverse KL: mass-covering and mode-seeking (Q2)",
    generate=_q2_params,
    prompt=_q2_prompt,
    solve=_q2_solve,
    answer=Record(
        {"forward": _INDEX, "reverse": _INDEX, "kl_forward": _PROB, "kl_reverse": _PROB},
    ),
    points=4.0,
    misconceptions=(
        Misconception(
            "directions_swapped",
            "You swapped the two directions. KL(p ‖ q) weighs by p, so q must put mass "
            "wherever p has it: it is mass-covering and picks the wide fit. KL(q ‖ p) weighs "
            "by q and punishes q for mass where p is small: it is mode-seeking and sits on "
            "one mode. The KL vs JS page (link below) shows the asymmetry for a mode of "
            "your p against the wide fit.",
            lambda p: {"forward": _q2_solve(p)["reverse"], "reverse": _q2_solve(p)["forward"]},
        ),
        Misconception(
            "kl_arguments_swapped",
            "You picked the right candidates but scored each with the other direction's "
            "KL: KL(p ‖ q) = ∫ p log(p/q) integrates against p, KL(q ‖ p) against q. See the "
            "KL vs JS page (link below) for the two directions.",
            _q2_swapped_values,
        ),
        Misconception(
            "bits_for_nats",
            "Your KL values are in bits (log base 2); the question asks for nats. See the "
            "KL vs JS page (link below).",
            lambda p: {k: v for k, v in _q2_solve(p, base=2.0).items() if k.startswith("kl_")},
        ),
    ),
    dashboard=DashboardLink("kl-vs-js", _q2_link),
)


# ------------------------------------------------------------------------------- Q3


def _nll(rng: np.random.Generator) -> Params:
    return {"nll": int(rng.integers(150, 501)) / 100}  # 1.50 to 5.00, two decimals


PERPLEXITY_FROM_NLL = Exercise(
    id="interview.perplexity_from_nll",
    title="Perplexity from an average NLL (Q3)",
    generate=_nll,
    prompt=(
        "A language model's average negative log-likelihood on a test set is "
        "**{nll:.2f} nats** per token.\n\n"
        "What is its perplexity? (It is the number of equally likely next tokens the "
        "model is, on average, as unsure as.)"
    ),
    solve=lambda p: perplexity(p["nll"]),
    answer=Number(rtol=1e-3, sig_figs=3),
    misconceptions=(
        Misconception(
            "bits_for_nats",
            "You computed 2^NLL, as if the NLL were in bits. It is in nats, so the "
            "perplexity is e^NLL. The Entropy & perplexity page (link below, set to your "
            "NLL) converts it in either unit.",
            lambda p: perplexity(p["nll"], base=2),
        ),
        Misconception(
            "base_10",
            "You computed 10^NLL. For an NLL in nats the perplexity is e^NLL. See the "
            "Entropy & perplexity page (link below).",
            lambda p: perplexity(p["nll"], base=10),
        ),
        Misconception(
            "probability_not_perplexity",
            "You computed e^(−NLL), the geometric-mean probability of a token; the "
            "perplexity is its reciprocal, e^NLL. See the Entropy & perplexity page (link "
            "below).",
            lambda p: 1.0 / perplexity(p["nll"]),
        ),
    ),
    dashboard=DashboardLink("entropy", lambda p: {"nll": p["nll"], "nll_unit": "nats"}),
)


PERPLEXITY_FROM_NLL_BITS = Exercise(
    id="interview.perplexity_from_nll_bits",
    title="Perplexity from an average NLL in bits (Q3)",
    generate=_nll,
    prompt=(
        "A language model's average negative log-likelihood on a test set is "
        "**{nll:.2f} bits** per token (logarithms base 2).\n\n"
        "What is its perplexity?"
    ),
    solve=lambda p: perplexity(p["nll"], base=2),
    answer=Number(rtol=1e-3, sig_figs=3),
    misconceptions=(
        Misconception(
            "nats_for_bits",
            "You computed e^NLL, as if the NLL were in nats. It is in bits, so the "
            "perplexity is 2^NLL (the same number as e^(NLL·ln 2)). The Entropy & perplexity "
            "page (link below, set to your NLL in bits) converts it.",
            lambda p: perplexity(p["nll"]),
        ),
        Misconception(
            "base_10",
            "You computed 10^NLL. For an NLL in bits the perplexity is 2^NLL. See the "
            "Entropy & perplexity page (link below).",
            lambda p: perplexity(p["nll"], base=10),
        ),
        Misconception(
            "probability_not_perplexity",
            "You computed 2^(−NLL), the geometric-mean probability of a token; the "
            "perplexity is its reciprocal, 2^NLL. See the Entropy & perplexity page (link "
            "below).",
            lambda p: 1.0 / perplexity(p["nll"], base=2),
        ),
    ),
    dashboard=DashboardLink("entropy", lambda p: {"nll": p["nll"], "nll_unit": "bits"}),
)

#: Real vocabulary sizes, so some students meet the course's GPT-2 number.
VOCABULARIES = {
    "GPT-2": 50_257,
    "BERT (base, uncased)": 30_522,
    "LLaMA 2": 32_000,
    "Llama 3": 128_256,
}


def _vocab_params(rng: np.random.Generator) -> Params:
    unit = "nats" if rng.random() < 0.5 else "bits"
    if rng.random() < 0.25:
        name = str(rng.choice(list(VOCABULARIES)))
        return {"vocab": VOCABULARIES[name], "model": name, "unit": unit}
    return {"vocab": int(rng.integers(1_000, 100_000)), "model": "", "unit": unit}


def _uniform_nll(p: Params, base: float | None) -> float:
    return _uniform_entropy(p["vocab"], base)


@lru_cache(maxsize=1024)
def _uniform_entropy(vocab: int, base: float | None) -> float:
    # Cached: the vectors have up to 10^5 entries and every misconception needs the value.
    return entropy(np.full(vocab, 1.0 / vocab), base=base)


def _vocab_prompt(p: Params) -> str:
    whose = f" (the size of {p['model']}'s vocabulary)" if p["model"] else ""
    return (
        f"A vocabulary has **V = {p['vocab']:,}** tokens{whose}. A \"random\" model gives every "
        "token the same probability 1/V.\n\n"
        f"Give its average NLL per token **in {p['unit']}** (`nll`) and its perplexity "
        "(`perplexity`): the baseline every trained model must beat."
    )


UNIFORM_PERPLEXITY = Exercise(
    id="interview.uniform_perplexity",
    title="The random baseline: perplexity of a uniform model (Q3)",
    generate=_vocab_params,
    prompt=_vocab_prompt,
    solve=lambda p: {
        "nll": _uniform_nll(p, _base(p["unit"])),
        "perplexity": perplexity(_uniform_nll(p, _base(p["unit"])), base=_base(p["unit"])),
    },
    answer=Record({"nll": Number(rtol=1e-4), "perplexity": Number(rtol=1e-3)}),
    misconceptions=(
        Misconception(
            "wrong_unit",
            "Your NLL is in the other unit: ln V is in nats, log₂ V in bits "
            "(log₂ V = ln V / ln 2). The Entropy & perplexity page (link below, set to your "
            "V) shows the uniform model.",
            lambda p: {"nll": _uniform_nll(p, _other_base(p["unit"]))},
        ),
        Misconception(
            "nll_for_perplexity",
            "Your perplexity is the NLL itself; the perplexity exponentiates it "
            "(e^NLL in nats, 2^NLL in bits), which for the uniform model gives back V. See "
            "the Entropy & perplexity page (link below).",
            lambda p: {"perplexity": _uniform_nll(p, _base(p["unit"]))},
        ),
        Misconception(
            "probability_for_perplexity",
            "Your perplexity is 1/V, the probability of one token; the perplexity is its "
            "reciprocal, V. See the Entropy & perplexity page (link below).",
            lambda p: {"perplexity": 1.0 / perplexity(_uniform_nll(p, None))},
        ),
    ),
    dashboard=DashboardLink("entropy", lambda p: {"vocab": p["vocab"]}),
)


# ------------------------------------------------------------------------------- Q4


def _q4_params(rng: np.random.Generator) -> Params:
    # Away from σ² = 1 and σ² = 4 (and λ = 1/2, 1/8), where a misconception meets the answer.
    while True:
        direction = "lambda" if rng.random() < 0.5 else "sigma2"
        # λ from 0.02 and σ² up to 9 keep σ within the Distributions page's slider (≤ 5).
        value = int(rng.integers(2, 400)) / 100 if direction == "lambda" else int(rng.integers(5, 900)) / 100
        params = {"given": direction, "value": value}
        answers = [_q4_solve(params)] + [m.answer(params) for m in _Q4_MISCONCEPTIONS]
        if apart(answers):
            return params


def _q4_sigma2(p: Params) -> float:
    return p["value"] if p["given"] == "sigma2" else prior_variance_from_weight_decay(p["value"])


def _q4_solve(p: Params) -> float:
    if p["given"] == "sigma2":
        return weight_decay_from_prior_variance(p["value"])
    return prior_variance_from_weight_decay(p["value"])


def _q4_no_two(p: Params) -> float:
    # The N(0, 1/λ) convention belongs to the penalty (λ/2)‖θ‖², not λ‖θ‖²: off by 2.
    if p["given"] == "sigma2":
        return 2.0 * weight_decay_from_prior_variance(p["value"])
    return 2.0 * prior_variance_from_weight_decay(p["value"])


def _q4_sd(p: Params) -> float:
    if p["given"] == "sigma2":
        return weight_decay_from_prior_variance(math.sqrt(p["value"]))  # used σ for σ²
    return math.sqrt(prior_variance_from_weight_decay(p["value"]))  # answered σ, not σ²


_Q4_MISCONCEPTIONS = (
    Misconception(
        "forgot_factor_two",
        "You are off by a factor of 2: log N(θ; 0, σ²I) = −‖θ‖²/(2σ²) + const, so the "
        "penalty λ‖θ‖² needs λ = 1/(2σ²) (the prior N(0, 1/λ) goes with (λ/2)‖θ‖²). The "
        "Distributions page (link below) shows your prior N(0, σ²).",
        _q4_no_two,
    ),
    Misconception(
        "sigma_for_variance",
        "You mixed up the standard deviation σ and the variance σ²: λ = 1/(2σ²) uses the "
        "variance. The Distributions page (link below) shows your prior with its σ.",
        _q4_sd,
    ),
    Misconception(
        "inverse_not_taken",
        "λ and σ² are inversely related: a stronger penalty is a tighter prior. You gave "
        "σ²/2 or λ/2 instead of 1/(2σ²) or 1/(2λ). See your prior on the Distributions page "
        "(link below).",
        lambda p: p["value"] / 2.0,
    ),
)


def _q4_prompt(p: Params) -> str:
    lead = (
        "L2 weight decay adds $\\lambda\\|\\theta\\|_2^2$ to the negative log-likelihood; MAP "
        "with a Gaussian prior $\\theta \\sim \\mathcal N(0, \\sigma^2 I)$ adds "
        "$-\\log p(\\theta)$.\n\n"
    )
    if p["given"] == "sigma2":
        return lead + f"The prior variance is **σ² = {p['value']:g}**. Which λ gives the same MAP estimate?"
    return lead + f"The weight decay is **λ = {p['value']:g}**. Which prior variance σ² does it correspond to?"


WEIGHT_DECAY_PRIOR = Exercise(
    id="interview.weight_decay_prior",
    title="L2 weight decay as a Gaussian prior: λ = 1/(2σ²) (Q4)",
    generate=_q4_params,
    prompt=_q4_prompt,
    solve=_q4_solve,
    answer=Number(rtol=1e-3),
    misconceptions=_Q4_MISCONCEPTIONS,
    dashboard=DashboardLink(
        "distributions",
        lambda p: {"family": "Gaussian", "mu": 0.0, "sigma": round(math.sqrt(_q4_sigma2(p)), 2)},
    ),
)


def _ridge_params(rng: np.random.Generator) -> Params:
    while True:
        x = rng.integers(-2, 4, size=(4, 2))
        y = rng.integers(-3, 6, size=4)
        sigma2 = float(rng.choice([0.25, 0.5, 2.0, 4.0]))
        if abs(np.linalg.det(x.T @ x)) < 2:
            continue
        params = {"X": x.tolist(), "y": y.tolist(), "prior_var": sigma2}
        answer = _ridge_solve(params)
        others = [m.answer(params) for m in _RIDGE_MISCONCEPTIONS]
        # Both weights clearly non-zero, and each misconception clearly off in some entry.
        if min(abs(answer)) > 0.05 and all(vectors_apart(answer, o) for o in others) and vectors_apart(*others):
            return params


def _ridge_solve(p: Params) -> np.ndarray:
    # Noise variance 1: NLL = ‖y − Xw‖²/2, so λ' of the ridge form ‖y − Xw‖² + λ'‖w‖² is 2λ = 1/σ².
    lam = weight_decay_from_prior_variance(p["prior_var"])
    return ridge_solution(p["X"], p["y"], 2.0 * lam)


_RIDGE_MISCONCEPTIONS = (
    Misconception(
        "lambda_not_doubled",
        "You solved (XᵀX + λI)w = Xᵀy with λ = 1/(2σ²). With NLL = ‖y − Xw‖²/2 the "
        "objective NLL + λ‖w‖² has gradient Xᵀ(Xw − y) + 2λw, so the system is "
        "(XᵀX + 2λI)w = Xᵀy = (XᵀX + I/σ²)w. The Distributions page (link below) shows your "
        "prior N(0, σ²).",
        lambda p: ridge_solution(p["X"], p["y"], weight_decay_from_prior_variance(p["prior_var"])),
    ),
    Misconception(
        "variance_as_lambda",
        "You used σ² itself as the penalty. A larger prior variance is a weaker prior: "
        "λ = 1/(2σ²), so the system is (XᵀX + I/σ²)w = Xᵀy. See your prior on the "
        "Distributions page (link below).",
        lambda p: ridge_solution(p["X"], p["y"], p["prior_var"]),
    ),
)


def _ridge_prompt(p: Params) -> str:
    rows = [[*xr, yr] for xr, yr in zip(p["X"], p["y"], strict=True)]
    return (
        "Linear regression $y = Xw + \\varepsilon$ with noise $\\varepsilon \\sim \\mathcal N(0, 1)$ "
        f"and the prior $w \\sim \\mathcal N(0, \\sigma^2 I)$ with **σ² = {p['prior_var']:g}**, "
        "on these four points:\n\n"
        + markdown_table(["x₁", "x₂", "y"], rows)
        + "\n\nGive the MAP estimate $[w_1, w_2]$ (the minimiser of "
        "$\\tfrac12\\|y - Xw\\|^2 + \\lambda\\|w\\|^2$ with λ = 1/(2σ²))."
    )


RIDGE_MAP = Exercise(
    id="interview.ridge_map",
    title="The MAP estimate of a tiny ridge regression (Q4)",
    generate=_ridge_params,
    prompt=_ridge_prompt,
    solve=_ridge_solve,
    answer=Vector(rtol=1e-3, atol=1e-4),
    points=2.0,
    misconceptions=_RIDGE_MISCONCEPTIONS,
    dashboard=DashboardLink(
        "distributions",
        lambda p: {"family": "Gaussian", "mu": 0.0, "sigma": round(math.sqrt(p["prior_var"]), 2)},
    ),
)


# ------------------------------------------------------------------------------- Q5

_Q5_TOKENS = ("A", "B", "C", "D")
_N_DRAWS = 5


def _is_params(rng: np.random.Generator) -> Params:
    while True:
        q = [int(c) for c in rng.integers(1, 8, size=4)]
        p = [int(c) for c in rng.integers(1, 8, size=4)]
        draws = [int(i) for i in rng.choice(4, size=_N_DRAWS, p=probs(q))]
        rewards = [int(r) for r in rng.integers(-2, 6, size=4)]
        params = {"p": p, "q": q, "draws": draws, "rewards": rewards}
        if len(set(draws)) < 2:
            continue
        expected = _is_solve(params)
        weights = [expected[f"w{i + 1}"] for i in range(_N_DRAWS)]
        if max(weights) - min(weights) < 0.1:
            continue
        plain, self_norm = expected["plain"], expected["self_normalised"]
        inverted = _is_solve(params, inverted=True)
        mean_f = float(np.mean([rewards[d] for d in draws]))
        if (
            apart((plain, self_norm, mean_f, inverted["plain"]), atol=0.05)
            and apart((self_norm, inverted["self_normalised"]), atol=0.05)
            and any(apart((w, 1.0 / w)) for w in weights)
        ):
            return params


def _is_solve(p: Params, *, inverted: bool = False) -> dict[str, float]:
    log_p = np.log(probs(p["p"]))[p["draws"]]
    log_q = np.log(probs(p["q"]))[p["draws"]]
    if inverted:
        log_p, log_q = log_q, log_p
    f = np.asarray(p["rewards"], dtype=float)[p["draws"]]
    weights = importance_weights(log_p, log_q)
    result = importance_estimate(f, log_p, log_q)
    out = {f"w{i + 1}": float(w) for i, w in enumerate(weights)}
    out["plain"] = float(result.estimate)
    out["self_normalised"] = float(result.self_normalised)
    return out


def _is_prompt(p: Params) -> str:
    rows = [
        [t, f"{q}/{sum(p['q'])}", f"{pp}/{sum(p['p'])}", r]
        for t, q, pp, r in zip(_Q5_TOKENS, p["q"], p["p"], p["rewards"], strict=True)
    ]
    draws = ", ".join(_Q5_TOKENS[d] for d in p["draws"])
    return (
        "An old policy $q$ (the proposal) generated tokens; we want the expected reward "
        "under the new policy $p$ (the target):\n\n"
        + markdown_table(["token", "q (old)", "p (new)", "reward f"], rows)
        + f"\n\nThe {_N_DRAWS} draws from q were: **{draws}**.\n\n"
        "Give the importance weight $w_i = p(x_i)/q(x_i)$ of each draw (`w1` … "
        f"`w{_N_DRAWS}`), the plain estimate $\\frac1n\\sum_i w_i f(x_i)$ (`plain`) and the "
        "self-normalised estimate $\\sum_i w_i f(x_i) / \\sum_i w_i$ (`self_normalised`) "
        "of $E_p[f]$."
    )


_WEIGHT_FIELDS = {f"w{i + 1}": _PROB for i in range(_N_DRAWS)}

IMPORTANCE_SAMPLING = Exercise(
    id="interview.importance_sampling",
    title="Importance weights and the self-normalised estimate (Q5)",
    generate=_is_params,
    prompt=_is_prompt,
    solve=_is_solve,
    answer=Record(
        {**_WEIGHT_FIELDS, "plain": _PROB, "self_normalised": _PROB},
        weights={**dict.fromkeys(_WEIGHT_FIELDS, 0.4), "plain": 1.0, "self_normalised": 1.0},
    ),
    points=3.0,
    misconceptions=(
        Misconception(
            "weights_inverted",
            "Your weights are q/p. The draws come from q and we want an expectation under "
            "p, so each draw is re-weighted by w = p(x)/q(x) (in PPO: π_new/π_old). The "
            "Sampling page (link below) shows importance sampling at work.",
            lambda p: _is_solve(p, inverted=True),
        ),
        Misconception(
            "unweighted_mean",
            "You averaged the rewards of the draws without weights: that estimates E_q[f], "
            "the old policy's reward, not E_p[f]. See the Sampling page (link below).",
            lambda p: {"plain": float(np.mean([p["rewards"][d] for d in p["draws"]]))},
        ),
        Misconception(
            "plain_for_self_normalised",
            "Your self-normalised estimate divides by n; it divides by the sum of the "
            "weights, Σ w_i, which is not n unless the weights average 1. See the Sampling "
            "page (link below).",
            lambda p: {"self_normalised": _is_solve(p)["plain"]},
        ),
    ),
    dashboard=DashboardLink("sampling"),
)


def _ppo_params(rng: np.random.Generator) -> Params:
    while True:
        eps = float(rng.choice([0.1, 0.2, 0.3]))
        ratios = [int(r) / 100 for r in rng.integers(50, 161, size=4)]
        advantages = [float(a) / 2 for a in rng.choice([-4, -3, -2, -1, 1, 2, 3, 4], size=4)]
        params = {"ratios": ratios, "advantages": advantages, "epsilon": eps}
        answers = [_ppo_solve(params)] + [m.answer(params) for m in _PPO_MISCONCEPTIONS]
        if apart(answers, atol=0.01):
            return params


def _ppo(p: Params) -> PPOClipResult:
    return _ppo_cached(tuple(p["ratios"]), tuple(p["advantages"]), p["epsilon"])


@lru_cache(maxsize=4096)
def _ppo_cached(ratios: tuple[float, ...], advantages: tuple[float, ...], epsilon: float) -> PPOClipResult:
    # Cached: generate, solve and every misconception of a variant share one evaluation.
    return ppo_clip_objective(np.log(ratios), np.zeros(len(ratios)), advantages, epsilon=epsilon)


def _ppo_solve(p: Params) -> float:
    return float(_ppo(p).mean_objective)


def _ppo_clipped_ratios(p: Params) -> np.ndarray:
    return np.clip(_ppo(p).ratio, 1 - p["epsilon"], 1 + p["epsilon"])


_PPO_MISCONCEPTIONS = (
    Misconception(
        "no_clipping",
        "You averaged r·A without clipping: that is the plain importance-sampled "
        "objective, which lets a ratio far from 1 dominate. PPO keeps "
        "min(r·A, clip(r, 1 − ε, 1 + ε)·A). The Sampling page's PPO tab (link below, set "
        "to your first token) draws the clipped objective.",
        lambda p: float(np.mean(_ppo(p).ratio * np.asarray(p["advantages"]))),
    ),
    Misconception(
        "clip_without_min",
        "You used clip(r)·A alone. PPO takes the minimum of the clipped and unclipped "
        "terms, so clipping only removes the incentive to move further, never a penalty. "
        "See the Sampling page's PPO tab (link below).",
        lambda p: float(np.mean(_ppo_clipped_ratios(p) * np.asarray(p["advantages"]))),
    ),
    Misconception(
        "advantage_sign_ignored",
        "You took min(r, clip(r))·A, as if every advantage were positive. For A < 0 the "
        "minimum of the products is A·max(r, clip(r)): the objective flattens below 1 − ε, "
        "not above 1 + ε. See the Sampling page's PPO tab (link below).",
        lambda p: float(
            np.mean(np.minimum(_ppo(p).ratio, _ppo_clipped_ratios(p)) * np.asarray(p["advantages"]))
        ),
    ),
    Misconception(
        "max_for_min",
        "You took the maximum of r·A and clip(r)·A. PPO's objective is pessimistic: the "
        "minimum. See the Sampling page's PPO tab (link below).",
        lambda p: float(
            np.mean(np.maximum(_ppo(p).ratio * p["advantages"], _ppo_clipped_ratios(p) * p["advantages"]))
        ),
    ),
)


def _ppo_prompt(p: Params) -> str:
    rows = [[i + 1, f"{r:.2f}", f"{a:+g}"] for i, (r, a) in enumerate(zip(p["ratios"], p["advantages"], strict=True))]
    return (
        "Four sampled tokens have these policy ratios $r = \\pi_\\theta/\\pi_{\\text{old}}$ and "
        "advantages $A$:\n\n"
        + markdown_table(["token", "r", "A"], rows)
        + f"\n\nWith clip range **ε = {p['epsilon']:g}**, what is PPO's clipped surrogate "
        "objective averaged over the four tokens, "
        "$\\frac14\\sum_i \\min\\big(r_i A_i,\\ \\mathrm{clip}(r_i, 1-\\varepsilon, 1+\\varepsilon) A_i\\big)$?"
    )


PPO_CLIP = Exercise(
    id="interview.ppo_clip",
    title="PPO's clipped objective for given ratios and advantages (Q5)",
    generate=_ppo_params,
    prompt=_ppo_prompt,
    solve=_ppo_solve,
    answer=Number(rtol=1e-3, atol=1e-4),
    points=2.0,
    misconceptions=_PPO_MISCONCEPTIONS,
    dashboard=DashboardLink(
        "sampling",
        lambda p: {"ppo_adv": p["advantages"][0], "ppo_eps": p["epsilon"], "ppo_ratio": p["ratios"][0]},
    ),
)


# ------------------------------------------------------------------------------- Q6


def _flips(rng: np.random.Generator) -> Params:
    # Heads and tails clearly differ, so the posterior mean (h+1)/(n+2) is told apart from
    # the MLE h/n (2%: twice the "imprecise" band; the course's 7H/3T is 4.8% apart).
    while True:
        heads, tails = (int(x) for x in rng.integers(1, 16, size=2))
        if apart((heads / (heads + tails), (heads + 1) / (heads + tails + 2)), rel=0.02):
            return {"heads": heads, "tails": tails}


def _posterior(p: Params) -> dict[str, float]:
    post = beta_binomial_update(1.0, 1.0, p["heads"], p["tails"])
    return {"alpha": post.alpha, "beta": post.beta, "mean": post.mean, "map": post.map, "mle": post.mle}


BETA_BINOMIAL_POSTERIOR = Exercise(
    id="interview.beta_binomial_posterior",
    title="Beta-Binomial posterior from a uniform prior (Q6)",
    generate=_flips,
    prompt=(
        "A coin's probability of heads has a **Beta(1, 1)** prior. You flip it and see "
        "**{heads} heads** and **{tails} tails**.\n\n"
        "Give the posterior Beta(α, β), its mean and its mode (MAP), and the maximum-"
        "likelihood estimate (MLE) of the probability of heads."
    ),
    solve=_posterior,
    answer=Record({"alpha": _COUNT, "beta": _COUNT, "mean": _PROB, "map": _PROB, "mle": _PROB}),
    points=2.0,
    misconceptions=(
        Misconception(
            "mle_for_mean",
            "Your posterior mean is the MLE h/(h+t). The posterior mean is α/(α+β) = "
            "(h+1)/(h+t+2): the prior's pseudo-counts pull it toward 1/2. The Beta-Binomial "
            "page (link below, set to your flips) shows mean, MAP and MLE side by side.",
            lambda p: {"mean": _posterior(p)["mle"]},
        ),
        Misconception(
            "mean_for_map",
            "Your MAP is the posterior mean. The MAP is the mode, (α−1)/(α+β−2), which "
            "for a Beta(1, 1) prior equals the MLE. See the Beta-Binomial page (link below).",
            lambda p: {"map": _posterior(p)["mean"]},
        ),
        Misconception(
            "heads_tails_swapped",
            "You swapped heads and tails: α counts heads (α = 1 + h), β counts tails. See "
            "the Beta-Binomial page (link below).",
            lambda p: {
                "alpha": beta_binomial_update(1.0, 1.0, p["tails"], p["heads"]).alpha,
                "beta": beta_binomial_update(1.0, 1.0, p["tails"], p["heads"]).beta,
            },
        ),
    ),
    dashboard=DashboardLink(
        "beta-binomial", lambda p: {"alpha0": 1, "beta0": 1, "heads": p["heads"], "tails": p["tails"]}
    ),
)


# ------------------------------------------------------------------------------- Q7


def _q7_params(rng: np.random.Generator) -> Params:
    # A third of the tables are exactly independent (counts = outer product of marginals).
    while True:
        if rng.random() < 1 / 3:
            rows, cols = rng.integers(1, 5, size=2), rng.integers(1, 5, size=3)
            counts = np.outer(rows, cols)
        else:
            counts = rng.integers(0, 7, size=(2, 3))
        if counts.sum(axis=1).min() == 0 or counts.sum(axis=0).min() == 0:
            continue
        params = {"counts": counts.tolist()}
        expected = _q7_solve(params)
        h_y_given_x = _q7_h_y_given_x(params)
        h_xy = expected["h_x_given_y"] + _q7_h_y(params)
        mi = expected["mi"]
        if (mi < 1e-12 or mi > 0.02) and apart((expected["h_x_given_y"], h_y_given_x, h_xy), atol=0.01):
            return params


def _q7_joint(p: Params) -> np.ndarray:
    return probs(np.asarray(p["counts"], dtype=float).ravel()).reshape(2, 3)


def _q7_h_y(p: Params, base: float | None = 2.0) -> float:
    return entropy(_q7_joint(p).sum(axis=0), base=base)


def _q7_h_y_given_x(p: Params) -> float:
    return conditional_entropy(_q7_joint(p).T, base=2)


def _q7_solve(p: Params, base: float | None = 2.0) -> dict[str, float]:
    joint = _q7_joint(p)
    mi = mutual_information(joint, base=base)
    return {
        "h_x": entropy(joint.sum(axis=1), base=base),
        "h_x_given_y": conditional_entropy(joint, base=base),
        "mi": mi,
        "independent": 1.0 if mi < 1e-12 else 0.0,
    }


def _q7_nats(p: Params) -> dict[str, float]:
    nats = _q7_solve(p, base=None)
    fields = ("h_x", "h_x_given_y") if nats["independent"] else ("h_x", "h_x_given_y", "mi")
    return {k: nats[k] for k in fields}


def _q7_prompt(p: Params) -> str:
    total = sum(map(sum, p["counts"]))
    rows = [[f"X = {i}", *(f"{c}/{total}" for c in row)] for i, row in enumerate(p["counts"])]
    return (
        "The joint distribution of X ∈ {0, 1} and Y ∈ {0, 1, 2}:\n\n"
        + markdown_table(["", "Y = 0", "Y = 1", "Y = 2"], rows)
        + "\n\nGive, **in bits**, the entropy $H(X)$ (`h_x`), the conditional entropy "
        "$H(X \\mid Y)$ (`h_x_given_y`) and the mutual information "
        "$I(X;Y) = H(X) - H(X\\mid Y)$ (`mi`). Are X and Y independent? Answer "
        "`independent = 1` for yes, `0` for no."
    )


MUTUAL_INFORMATION = Exercise(
    id="interview.mutual_information",
    title="Mutual information of a joint table, and independence (Q7)",
    generate=_q7_params,
    prompt=_q7_prompt,
    solve=_q7_solve,
    answer=Record({"h_x": _PROB, "h_x_given_y": _PROB, "mi": Number(rtol=1e-3, atol=1e-4), "independent": _INDEX}),
    points=3.0,
    misconceptions=(
        Misconception(
            "nats_for_bits",
            "You used the natural log, which gives nats; the question asks for bits (log "
            "base 2). The Mutual information page (link below, with your table in bits) "
            "shows the same quantities.",
            _q7_nats,
        ),
        Misconception(
            "conditioned_the_wrong_way",
            "Your H(X|Y) is H(Y|X). H(X|Y) = H(X, Y) − H(Y) is what is left of X's "
            "uncertainty once Y is known. See the entropy bars on the Mutual information "
            "page (link below).",
            lambda p: {"h_x_given_y": _q7_h_y_given_x(p)},
        ),
        Misconception(
            "joint_for_conditional",
            "Your H(X|Y) is the joint entropy H(X, Y); the conditional entropy subtracts "
            "H(Y): H(X|Y) = H(X, Y) − H(Y). See the entropy bars on the Mutual information "
            "page (link below).",
            lambda p: {"h_x_given_y": _q7_solve(p)["h_x_given_y"] + _q7_h_y(p)},
        ),
    ),
    dashboard=DashboardLink(
        "mutual-information",
        lambda p: {"source": "Type a table", "joint": table_text(_q7_joint(p)), "unit": "bits"},
    ),
)


# ------------------------------------------------------------------------------- Q8

_FISHER_FAMILIES = {"bernoulli": "Bernoulli p", "gaussian": "Gaussian mean μ (σ known)"}


def _fisher_params(rng: np.random.Generator) -> Params:
    n = int(rng.integers(5, 201))
    if rng.random() < 0.5:
        return {"family": "bernoulli", "p": int(rng.integers(5, 96)) / 100, "n": n}
    sigma = float(rng.choice([0.5, 0.8, 1.5, 2.0, 2.5, 3.0, 4.0]))
    return {"family": "gaussian", "mu": int(rng.integers(-20, 21)) / 10, "sigma": sigma, "n": n}


def _fisher_one(p: Params) -> float:
    if p["family"] == "bernoulli":
        return float(fisher_information("bernoulli", p=p["p"]))
    return float(np.asarray(fisher_information("gaussian", mu=p["mu"], sigma=p["sigma"]))[0, 0])


def _fisher_solve(p: Params) -> dict[str, float]:
    info = _fisher_one(p)
    return {"fisher": info, "cramer_rao": 1.0 / (p["n"] * info)}


def _fisher_prompt(p: Params) -> str:
    if p["family"] == "bernoulli":
        model = f"a **Bernoulli(p)** model at **p = {p['p']:g}** (the parameter is p)"
    else:
        model = (
            f"a **Gaussian N(μ, σ²)** with σ = {p['sigma']:g} known, at **μ = {p['mu']:g}** "
            "(the parameter is μ)"
        )
    return (
        f"For {model}, give the Fisher information of **one** observation, "
        "$F = E[(\\partial_\\theta \\log p(x\\mid\\theta))^2]$ (`fisher`), and the Cramér-Rao "
        f"lower bound on the variance of an unbiased estimator from **n = {p['n']}** "
        "independent observations (`cramer_rao`)."
    )


def _fisher_link(p: Params) -> dict[str, object]:
    if p["family"] == "bernoulli":
        return {"ll_family": _FISHER_FAMILIES["bernoulli"], "ll_phat": p["p"], "ll_n": p["n"], "cr_p": p["p"], "cr_n": p["n"]}
    return {"ll_family": _FISHER_FAMILIES["gaussian"], "ll_xbar": p["mu"], "ll_sigma": p["sigma"], "ll_n": p["n"]}


FISHER_CRAMER_RAO = Exercise(
    id="interview.fisher_cramer_rao",
    title="Fisher information and the Cramér-Rao bound (Q8)",
    generate=_fisher_params,
    prompt=_fisher_prompt,
    solve=_fisher_solve,
    answer=Record({"fisher": Number(rtol=1e-3), "cramer_rao": Number(rtol=1e-3)}),
    points=2.0,
    misconceptions=(
        Misconception(
            "variance_for_information",
            "Your Fisher information is the variance of one observation (p(1−p), or σ²). "
            "The information is its inverse: 1/(p(1−p)) for a Bernoulli, 1/σ² for a "
            "Gaussian mean, so noisier data carries less information. The Fisher "
            "information page (link below, set to your model) shows the log-likelihood's "
            "curvature.",
            lambda p: {"fisher": 1.0 / _fisher_one(p)},
        ),
        Misconception(
            "forgot_n",
            "Your bound is 1/F, the bound for a single observation. Information adds over "
            "independent draws, so n of them give n·F and the bound 1/(n·F). The Fisher "
            "information page (link below) simulates it.",
            lambda p: {"cramer_rao": 1.0 / _fisher_one(p)},
        ),
    ),
    dashboard=DashboardLink("fisher-information", _fisher_link),
)


def _ng_params(rng: np.random.Generator) -> Params:
    while True:
        params: Params = {
            "mu": int(rng.integers(-10, 11)) / 2,
            "sigma": float(rng.choice([0.5, 2.0, 2.5, 3.0])),
            "grad": [int(g) / 10 for g in rng.integers(-20, 21, size=2)],
            "lr": float(rng.choice([0.05, 0.1, 0.2])),
        }
        answer = _ng_solve(params)
        others = [m.answer(params) for m in _NG_MISCONCEPTIONS]
        if (
            min(abs(g) for g in params["grad"]) >= 0.3
            and answer[1] > 0
            and all(vectors_apart(answer, o) for o in others)
            and vectors_apart(*others)
        ):
            return params


def _ng_fisher(p: Params) -> np.ndarray:
    return np.asarray(fisher_information("gaussian", mu=p["mu"], sigma=p["sigma"]))


def _ng_solve(p: Params) -> np.ndarray:
    return natural_gradient_step([p["mu"], p["sigma"]], p["grad"], _ng_fisher(p), lr=p["lr"])


_NG_MISCONCEPTIONS = (
    Misconception(
        "plain_gradient",
        "You took a plain gradient step θ − η∇L. The natural gradient preconditions by the "
        "inverse Fisher information: θ − η F⁻¹∇L, with F = diag(1/σ², 2/σ²) for (μ, σ). "
        "The Fisher information page (link below) compares the two paths.",
        lambda p: np.asarray([p["mu"], p["sigma"]]) - p["lr"] * np.asarray(p["grad"]),
    ),
    Misconception(
        "fisher_not_inverted",
        "You multiplied the gradient by F instead of F⁻¹. The natural gradient is F⁻¹∇L: "
        "where the model is sensitive (large F) it takes smaller steps. See the Fisher "
        "information page (link below).",
        lambda p: np.asarray([p["mu"], p["sigma"]]) - p["lr"] * (_ng_fisher(p) @ np.asarray(p["grad"])),
    ),
)


NATURAL_GRADIENT = Exercise(
    id="interview.natural_gradient",
    title="One natural-gradient step for a Gaussian (Q8)",
    generate=_ng_params,
    prompt=lambda p: (
        "A model $\\mathcal N(\\mu, \\sigma^2)$ is fitted in the parameters $\\theta = (\\mu, \\sigma)$, "
        f"currently **θ = ({p['mu']:g}, {p['sigma']:g})**. The gradient of the loss (the "
        f"average NLL) there is **∇L = ({p['grad'][0]:g}, {p['grad'][1]:g})**.\n\n"
        "Using the Fisher information of one observation at θ, $F(\\theta)$, take one "
        f"natural-gradient step $\\theta - \\eta F^{{-1}} \\nabla L$ with **η = {p['lr']:g}**. "
        "Give the new $[\\mu, \\sigma]$."
    ),
    solve=_ng_solve,
    answer=Vector(rtol=1e-3, atol=1e-4),
    points=2.0,
    misconceptions=_NG_MISCONCEPTIONS,
    dashboard=DashboardLink(
        "fisher-information",
        lambda p: {"ng_mu0": p["mu"], "ng_sigma0": p["sigma"], "ng_lr": p["lr"], "ng_param": "std"},
    ),
)


@hookimpl
def register_exercises(register: Callable[[Exercise], None]) -> None:
    for exercise in (
        CROSS_ENTROPY_IS_MLE,
        FORWARD_REVERSE_KL,
        PERPLEXITY_FROM_NLL,
        PERPLEXITY_FROM_NLL_BITS,
        UNIFORM_PERPLEXITY,
        WEIGHT_DECAY_PRIOR,
        RIDGE_MAP,
        IMPORTANCE_SAMPLING,
        PPO_CLIP,
        BETA_BINOMIAL_POSTERIOR,
        MUTUAL_INFORMATION,
        FISHER_CRAMER_RAO,
        NATURAL_GRADIENT,
    ):
        register(exercise)
