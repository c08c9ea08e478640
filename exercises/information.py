"""Information theory: entropy in bits, cross-entropy, KL both ways, JS and its bound,
the Gaussian KL, mutual information as a KL, perplexity from logits."""

from __future__ import annotations

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
from exercises._params import apart, joined, probs, ratio_apart, table_text
from grader import Number, Params, Record
from grader.authoring import Values, collect, exercise, mistake

_TOKENS = ("the", "cat", "sat", "mat")
_ENTROPY = {"page": "entropy", "page_title": "Entropy & perplexity"}
_KL_JS = {"page": "kl-vs-js", "page_title": "KL vs JS divergence"}


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


def _pq(rng: np.random.Generator) -> Params:
    return {"p": _counts(rng, 3), "q": _counts(rng, 3)}


def _pq_derive(v: Values) -> dict[str, object]:
    return {"pp": probs(v.p), "qq": probs(v.q)}


ENTROPY_BITS = exercise(
    id="information.entropy_bits",
    title="Entropy of a distribution, in bits",
    generate=lambda rng: {"counts": _counts(rng, 4)},
    derive=lambda v: {"pp": probs(v.counts)},
    # Clearly non-uniform: the entropy stays 5% below the uniform distribution's 2 bits.
    accept=lambda v: entropy(v.pp, base=2) < 1.9,
    prompt=r"""A random variable takes four values with probabilities p = [[ counts | fractions ]].

What is its entropy $H(p) = -\sum_x p(x) \log_2 p(x)$ **in bits**?""",
    solve=lambda v: entropy(v.pp, base=2),
    answer=Number(rtol=1e-3),
    misconceptions=[
        mistake("nats_for_bits", "You used the natural logarithm, which gives nats. In bits use log base 2 (divide the value in nats by ln 2).", lambda v: entropy(v.pp)),
        mistake("uniform_entropy", "log2(4) = 2 bits is the entropy of the uniform distribution; this one is not uniform, so weight each −log2 p by its p.", lambda v: entropy(np.full(4, 0.25), base=2)),
    ],
    **_ENTROPY,
    link=lambda v: _entropy_link(v.counts, unit="bits"),
)


KL_DIVERGENCE = exercise(
    id="information.kl_divergence",
    title="KL divergence between two distributions",
    generate=_pq,
    derive=_pq_derive,
    # KL(p‖q), KL(q‖p) and KL in bits told apart: at least 5% from each other.
    accept=lambda v: kl_divergence(v.pp, v.qq) > 0.01 and ratio_apart([kl_divergence(v.pp, v.qq), kl_divergence(v.qq, v.pp), kl_divergence(v.pp, v.qq, base=2)]),
    prompt=r"""Two distributions over three outcomes: p = [[ p | fractions ]] and q = [[ q | fractions ]].

What is $\mathrm{KL}(p \,\|\, q)$, **in nats**?""",
    solve=lambda v: kl_divergence(v.pp, v.qq),
    answer=Number(rtol=1e-3, atol=1e-6),
    misconceptions=[
        mistake("arguments_swapped", "You computed KL(q ‖ p). KL is not symmetric: KL(p ‖ q) = Σ p log(p/q), weighted by p.", lambda v: kl_divergence(v.qq, v.pp)),
        mistake("bits_for_nats", "You used log base 2 (bits); the question asks for nats (natural log).", lambda v: kl_divergence(v.pp, v.qq, base=2)),
    ],
    **_ENTROPY,
    link=lambda v: _entropy_link(v.p, v.q),
)


CROSS_ENTROPY = exercise(
    id="information.cross_entropy",
    title="Cross-entropy of a model against the data",
    generate=_pq,
    derive=_pq_derive,
    # H(p, q), H(q, p) and H(p) told apart: at least 5% from each other.
    accept=lambda v: ratio_apart([cross_entropy(v.pp, v.qq), cross_entropy(v.qq, v.pp), entropy(v.pp)]),
    prompt="""The data distribution over three tokens is p = [[ p | fractions ]]; a model predicts q = [[ q | fractions ]].

What is the cross-entropy H(p, q) in nats (the model's expected loss per token)?""",
    solve=lambda v: cross_entropy(v.pp, v.qq),
    answer=Number(rtol=1e-3),
    misconceptions=[
        mistake("arguments_swapped", "You computed H(q, p). The expectation is over the data: H(p, q) = −Σ p log q.", lambda v: cross_entropy(v.qq, v.pp)),
        mistake("entropy_of_data", "That is the entropy H(p) of the data alone; the cross-entropy adds the KL divergence: H(p, q) = H(p) + KL(p ‖ q).", lambda v: entropy(v.pp)),
    ],
    **_ENTROPY,
    link=lambda v: _entropy_link(v.p, v.q),
)


def _js_derive(v: Values) -> dict[str, object]:
    # Empty or equal distributions are refused before anything is computed from them.
    if sum(v.p) == 0 or sum(v.q) == 0 or v.p == v.q:
        return {"ok": False}
    pp, qq = probs(v.p), probs(v.q)
    return {"ok": True, "js": js_divergence(pp, qq, base=2), "js_nats": js_divergence(pp, qq), "half": 0.5 * kl_divergence(pp, 0.5 * (pp + qq), base=2)}


_LN2 = float(np.log(2))

JS_DIVERGENCE = exercise(
    id="information.js_divergence_bound",
    title="Jensen-Shannon divergence and its bound, in bits",
    generate=lambda rng: dict(zip(("p", "q"), ([int(c) for c in rng.integers(0, 7, size=4)] for _ in range(2)), strict=True)),
    derive=_js_derive,
    # Zeros allowed (KL may be infinite, JS never is); JS, its nats value, 2·JS and the
    # half-term told apart (5%).
    accept=lambda v: v.ok and v.js > 0.05 and apart((v.js, v.js * _LN2, 2 * v.js, v.half)),
    prompt=r"""Two distributions over four tokens: $p = [[ p | fractions ]]$ and $q = [[ q | fractions ]]$[% if 0 in p or 0 in q %] (zeros included: KL may be infinite here)[% endif %].

Give **in bits** the Jensen-Shannon divergence $\mathrm{JS}(p, q) = \tfrac12 \mathrm{KL}(p\,\|\,m) + \tfrac12 \mathrm{KL}(q\,\|\,m)$ with $m = \tfrac12(p + q)$ (`js`), and the largest value JS can take for any two distributions, also in bits (`bound`).""",
    solve=lambda v: {"js": v.js, "bound": 1.0},
    answer=Record({"js": Number(rtol=1e-3, atol=1e-6), "bound": Number(rtol=1e-3)}),
    points=2.0,
    misconceptions=[
        mistake("nats_for_bits", "Your values are in nats (natural log); the question asks for bits. In nats JS is at most ln 2 ≈ 0.693, in bits at most 1: JS levels off while KL grows without bound.", lambda v: {"js": v.js_nats, "bound": _LN2}),
        mistake("bound_in_nats", "Your bound ln 2 ≈ 0.693 is in nats; in bits the bound is log₂ 2 = 1 (reached by distributions with disjoint supports).", lambda v: {"bound": _LN2}),
        mistake("not_halved", "You added KL(p ‖ m) + KL(q ‖ m) without the ½: JS averages the two.", lambda v: {"js": 2 * v.js}),
        mistake("one_term_only", "You kept only ½ KL(p ‖ m); JS is symmetric and adds ½ KL(q ‖ m).", lambda v: {"js": v.half}),
    ],
    **_KL_JS,
)


_GAUSSIAN_KL_MISTAKES = [
    mistake(
        "arguments_swapped",
        "You computed KL(Q ‖ P). The formula is not symmetric in the two variances: KL(P ‖ Q) = ln(σ₂/σ₁) + (σ₁² + (μ₁ − μ₂)²)/(2σ₂²) − ½.",
        lambda v: gaussian_kl(v.mu2, v.sigma2, v.mu1, v.sigma1),
    ),
    mistake("variance_for_sd", "You put the variances where the standard deviations go (σ² for σ).", lambda v: gaussian_kl(v.mu1, v.sigma1**2, v.mu2, v.sigma2**2)),
    mistake("bits_for_nats", "Your value is in bits; the question asks for nats (natural log).", lambda v: gaussian_kl(v.mu1, v.sigma1, v.mu2, v.sigma2, base=2)),
]


def _gaussian_generate(rng: np.random.Generator) -> Params:
    mu1, mu2 = (int(m) / 2 for m in rng.integers(-6, 7, size=2))
    s1, s2 = (float(s) for s in rng.choice([0.5, 0.75, 1.5, 2.0, 2.5, 3.0], size=2))
    return {"mu1": mu1, "sigma1": s1, "mu2": mu2, "sigma2": s2}


def _gaussian_accept(v: Values) -> bool:
    # KL both ways and the "σ² for σ" slip told apart (5%).
    values = [v.kl, *(m.answer(v) for m in _GAUSSIAN_KL_MISTAKES)]
    return values[0] > 0.05 and apart(values)


GAUSSIAN_KL = exercise(
    id="information.gaussian_kl",
    title="KL divergence between two Gaussians",
    generate=_gaussian_generate,
    derive=lambda v: {"kl": gaussian_kl(v.mu1, v.sigma1, v.mu2, v.sigma2)},
    accept=_gaussian_accept,
    prompt=r"""P = N(μ₁, σ₁²) with μ₁ = [[ mu1 | fmt('g') ]], σ₁ = [[ sigma1 | fmt('g') ]], and Q = N(μ₂, σ₂²) with μ₂ = [[ mu2 | fmt('g') ]], σ₂ = [[ sigma2 | fmt('g') ]].

What is $\mathrm{KL}(P \,\|\, Q)$ **in nats**? Use the closed form $\ln\frac{\sigma_2}{\sigma_1} + \frac{\sigma_1^2 + (\mu_1-\mu_2)^2}{2\sigma_2^2} - \frac12$.""",
    solve=lambda v: v.kl,
    answer=Number(rtol=1e-3, atol=1e-6),
    misconceptions=_GAUSSIAN_KL_MISTAKES,
    **_KL_JS,
    link=lambda v: {"mu1": v.mu1, "sigma1": v.sigma1, "mu2": v.mu2, "sigma2": v.sigma2},
)


def _logits_derive(v: Values) -> dict[str, float]:
    # −z_y without the log-sum-exp: the softmax's normaliser forgotten.
    naive = -float(np.mean([row[t] for row, t in zip(v.logits, v.targets, strict=True)]))
    return {"nll": cross_entropy_from_logits(v.logits, v.targets), "naive": naive}


PERPLEXITY_FROM_LOGITS = exercise(
    id="information.perplexity_from_logits",
    title="Cross-entropy loss and perplexity from logits",
    generate=lambda rng: {"logits": (rng.integers(-20, 31, size=(3, 4)) / 10).tolist(), "targets": [int(t) for t in rng.integers(0, 4, size=3)]},
    derive=_logits_derive,
    accept=lambda v: v.nll > 0.1 and apart((v.nll, v.naive, 3 * v.nll, v.nll / _LN2), atol=0.01),
    prompt=r"""A model outputs these logits over the vocabulary `the`, `cat`, `sat`, `mat` at three positions; the last column is the token that actually came next:

| position | the | cat | sat | mat | target |
|---|---|---|---|---|---|
[% for row, t in zip(logits, targets) %]
| [[ loop.index ]] | [% for z in row %][[ z | fmt('g') ]] | [% endfor %]`[[ ['the', 'cat', 'sat', 'mat'][t] ]]` |
[% endfor %]

With $q = \mathrm{softmax}(z)$ at each position, give the average negative log-likelihood of the targets **in nats per token** (`nll`) and the perplexity (`perplexity`).""",
    solve=lambda v: {"nll": v.nll, "perplexity": perplexity(v.nll)},
    answer=Record({"nll": Number(rtol=1e-3), "perplexity": Number(rtol=1e-3)}),
    points=2.0,
    misconceptions=[
        mistake(
            "forgot_log_sum_exp",
            "You used −z_target, the raw logit, as the loss: the logits are not log-probabilities until the softmax's normaliser is subtracted, −log q_y = log Σ_v e^{z_v} − z_y.",
            lambda v: {"nll": v.naive},
        ),
        mistake("sum_not_mean", "Your NLL is the sum over the three positions; perplexity uses the average per token.", lambda v: {"nll": 3 * v.nll}),
        mistake("bits_for_nats", "Your NLL is in bits; the question asks for nats. (The perplexity is the same either way: 2^bits = e^nats.)", lambda v: {"nll": v.nll / _LN2}),
    ],
    **_ENTROPY,
    # The first position's logits only: the NLL it used to carry was the answer.
    link=lambda v: {"tokens": joined(_TOKENS), "p_logits": joined(v.logits[0]), "q_logits": joined(v.logits[0])},
)


def _mi_generate(rng: np.random.Generator) -> Params:
    # Positive counts, with extra mass on one cell of each column (in different rows) so
    # the dependence is clear: H(X, Y) then stays 5% below H(X) + H(Y).
    counts = rng.integers(1, 8, size=(3, 2))
    rows = rng.choice(3, size=2, replace=False)
    counts[rows[0], 0] += 8
    counts[rows[1], 1] += 8
    return {"counts": counts.tolist()}


def _mi_derive(v: Values) -> dict[str, object]:
    joint = probs(v.counts)
    return {"joint": joint, "mi": mutual_information(joint), "product": np.outer(joint.sum(axis=1), joint.sum(axis=0))}


_MI_MISTAKES = [
    mistake(
        "kl_arguments_swapped",
        "You computed KL(P(X)P(Y) ‖ P(X,Y)). Mutual information is KL(P(X,Y) ‖ P(X)P(Y)): the joint measured against independence, weighted by the joint.",
        lambda v: kl_divergence(v.product.ravel(), v.joint.ravel()),
    ),
    mistake("bits_for_nats", "Your value is in bits; the question asks for nats.", lambda v: mutual_information(v.joint, base=2)),
    mistake("entropies_not_overlap", "You gave H(X) + H(Y). Mutual information is their overlap, H(X) + H(Y) − H(X, Y).", lambda v: entropy(v.joint.sum(axis=1)) + entropy(v.joint.sum(axis=0))),
    mistake("joint_entropy", "You gave the joint entropy H(X, Y); mutual information is H(X) + H(Y) − H(X, Y).", lambda v: joint_entropy(v.joint)),
]

MUTUAL_INFORMATION_KL = exercise(
    id="information.mutual_information_kl",
    title="Mutual information as a KL divergence from independence",
    generate=_mi_generate,
    derive=_mi_derive,
    accept=lambda v: v.mi > 0.02 and apart([v.mi, *(m.answer(v) for m in _MI_MISTAKES)]),
    prompt=r"""X ∈ {0, 1, 2} and Y ∈ {0, 1} have this joint distribution:

|  | Y = 0 | Y = 1 |
|---|---|---|
[% for row in counts %]
| X = [[ loop.index0 ]] | [% for c in row %][[ c ]]/[[ sum(counts | map("sum")) ]][[ " | " if not loop.last ]][% endfor %] |
[% endfor %]

What is the mutual information $I(X;Y) = \mathrm{KL}\big(P(X,Y)\,\|\,P(X)P(Y)\big)$ **in nats**?""",
    solve=lambda v: v.mi,
    answer=Number(rtol=1e-3, atol=1e-6),
    misconceptions=_MI_MISTAKES,
    page="mutual-information",
    page_title="Mutual information",
    link=lambda v: {"source": "Type a table", "joint": table_text(v.joint), "unit": "nats"},
)

register_exercises = collect(__name__)
