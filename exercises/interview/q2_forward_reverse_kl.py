"""Q2: forward vs reverse KL of a bimodal target: mass-covering against mode-seeking."""

from __future__ import annotations

import math

import numpy as np

from core.information import gaussian_mixture_kl
from exercises._params import apart
from exercises.interview._common import INDEX, KL_PAGE, PROB
from grader import Params, Record
from grader.authoring import Values, collect, exercise, mistake


def _generate(rng: np.random.Generator) -> Params:
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
    return {"weights": weights, "mus": mus, "sigmas": sigmas, "candidates": [candidates[i] for i in order]}


def _derive(v: Values) -> dict[str, object]:
    # KL(p‖q) and KL(q‖p) in nats of each candidate q: eight quadratures, done once.
    forward = [gaussian_mixture_kl(v.weights, v.mus, v.sigmas, m, s) for m, s in v.candidates]
    reverse = [gaussian_mixture_kl(v.weights, v.mus, v.sigmas, m, s, reverse=True) for m, s in v.candidates]
    return {"kl_f": forward, "kl_r": reverse, "best_f": int(np.argmin(forward)), "best_r": int(np.argmin(reverse))}


def _accept(v: Values) -> bool:
    # A unique winner each way (runner-up 5% worse), different winners, and the values
    # a misconception reports apart from the right ones.
    f, r, bf, br = v.kl_f, v.kl_r, v.best_f, v.best_r
    return (
        bf != br
        and sorted(f)[1] > 1.05 * f[bf]
        and sorted(r)[1] > 1.05 * r[br]
        and min(f[bf], r[br]) > 0.02
        and apart((f[bf], r[br], r[bf], f[br]))
    )


def _solve(v: Values, scale: float = 1.0) -> dict[str, float]:
    return {"forward": v.best_f + 1, "reverse": v.best_r + 1, "kl_forward": v.kl_f[v.best_f] / scale, "kl_reverse": v.kl_r[v.best_r] / scale}


FORWARD_REVERSE_KL = exercise(
    id="interview.forward_reverse_kl",
    title="Forward vs reverse KL: mass-covering and mode-seeking (Q2)",
    generate=_generate,
    derive=_derive,
    accept=_accept,
    prompt=r"""[% set (w1, w2), (m1, m2), (s1, s2) = weights, mus, sigmas %]
The target is the bimodal mixture $p(x) = [[ w1 | fmt('g') ]]\,\mathcal N([[ m1 | fmt('g') ]], [[ s1 | fmt('g') ]]^2) + [[ w2 | fmt('g') ]]\,\mathcal N([[ m2 | fmt('g') ]], [[ s2 | fmt('g') ]]^2)$. You may approximate it by one of these single Gaussians $q$:

| candidate | q |
|---|---|
[% for m, s in candidates %]
| [[ loop.index ]] | N([[ m | fmt('g') ]], [[ s | fmt('g') ]]²) |
[% endfor %]

Which candidate minimises the forward KL $\mathrm{KL}(p\,\|\,q)$ (the direction MLE training minimises), and which the reverse KL $\mathrm{KL}(q\,\|\,p)$ (the direction of the RLHF penalty and the ELBO)? Give the two candidate numbers as `forward` and `reverse`, and the two minimum values **in nats** as `kl_forward` and `kl_reverse` (numerical integration is fine).""",
    solve=_solve,
    answer=Record({"forward": INDEX, "reverse": INDEX, "kl_forward": PROB, "kl_reverse": PROB}),
    points=4.0,
    misconceptions=[
        mistake(
            "directions_swapped",
            "You swapped the two directions. KL(p ‖ q) weighs by p, so q must put mass wherever p has it: it is mass-covering and picks the wide fit. KL(q ‖ p) weighs by q and punishes q for mass where p is small: it is mode-seeking and sits on one mode.",
            lambda v: {"forward": v.best_r + 1, "reverse": v.best_f + 1},
        ),
        mistake(
            "kl_arguments_swapped",
            "You picked the right candidates but scored each with the other direction's KL: KL(p ‖ q) = ∫ p log(p/q) integrates against p, KL(q ‖ p) against q.",
            lambda v: {"kl_forward": v.kl_r[v.best_f], "kl_reverse": v.kl_f[v.best_r]},
        ),
        mistake(
            "bits_for_nats",
            "Your KL values are in bits (log base 2); the question asks for nats.",
            lambda v: {k: x for k, x in _solve(v, math.log(2.0)).items() if k.startswith("kl_")},
        ),
    ],
    page="kl-vs-js",
    page_title=KL_PAGE,
    # The target's two components, left as P and right as Q: inputs of the problem that
    # say nothing about which candidate wins (the heavier mode is left or right at random).
    link=lambda v: {"mu1": v.mus[0], "sigma1": v.sigmas[0], "mu2": v.mus[1], "sigma2": v.sigmas[1]},
)

register_exercises = collect(__name__)
