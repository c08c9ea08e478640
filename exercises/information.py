"""Information theory: entropy in bits, KL divergence."""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise

import numpy as np

from core.information import cross_entropy, entropy, kl_divergence
from grader import DashboardLink, Exercise, Misconception, Number, Params, hookimpl


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


ENTROPY_BITS = Exercise(
    id="information.entropy_bits",
    title="Entropy of a distribution, in bits",
    generate=lambda rng: {"counts": _counts(rng, 4)},
    prompt=lambda p: (
        f"A random variable takes four values with probabilities p = {_fractions(p['counts'])}.\n\n"
        "What is its entropy H(p) **in bits**?"
    ),
    solve=lambda p: entropy(_probs(p["counts"]), base=2),
    answer=Number(rtol=1e-3),
    misconceptions=(
        Misconception(
            "nats_for_bits",
            "You used the natural logarithm, which gives nats. In bits use log base 2 "
            "(divide the value in nats by ln 2).",
            lambda p: entropy(_probs(p["counts"])),
        ),
        Misconception(
            "uniform_entropy",
            "log2(4) = 2 bits is the entropy of the uniform distribution; this one is "
            "not uniform, so weight each −log2 p by its p.",
            lambda p: entropy(np.full(4, 0.25), base=2),
        ),
    ),
    dashboard=DashboardLink("information", lambda p: {"p": ",".join(str(c) for c in p["counts"])}),
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
        f"q = {_fractions(p['q'])}.\n\nWhat is KL(p ‖ q), in nats?"
    ),
    solve=lambda p: kl_divergence(_probs(p["p"]), _probs(p["q"])),
    answer=Number(rtol=1e-3, atol=1e-6),
    misconceptions=(
        Misconception(
            "arguments_swapped",
            "You computed KL(q ‖ p). KL is not symmetric: KL(p ‖ q) = Σ p log(p/q), "
            "weighted by p.",
            lambda p: kl_divergence(_probs(p["q"]), _probs(p["p"])),
        ),
        Misconception(
            "bits_for_nats",
            "You used log base 2 (bits); the question asks for nats (natural log).",
            lambda p: kl_divergence(_probs(p["p"]), _probs(p["q"]), base=2),
        ),
    ),
    dashboard=DashboardLink(
        "information",
        lambda p: {"p": ",".join(map(str, p["p"])), "q": ",".join(map(str, p["q"]))},
    ),
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
            "You computed H(q, p). The expectation is over the data: H(p, q) = −Σ p log q.",
            lambda p: cross_entropy(_probs(p["q"]), _probs(p["p"])),
        ),
        Misconception(
            "entropy_of_data",
            "That is the entropy H(p) of the data alone; the cross-entropy adds the KL "
            "divergence: H(p, q) = H(p) + KL(p ‖ q).",
            lambda p: entropy(_probs(p["p"])),
        ),
    ),
    dashboard=DashboardLink(
        "information",
        lambda p: {"p": ",".join(map(str, p["p"])), "q": ",".join(map(str, p["q"]))},
    ),
)


@hookimpl
def register_exercises(register: Callable[[Exercise], None]) -> None:
    register(ENTROPY_BITS)
    register(KL_DIVERGENCE)
    register(CROSS_ENTROPY)
