"""Q8: Fisher information and the Cramér-Rao bound; one natural-gradient step for a Gaussian."""

from __future__ import annotations

import numpy as np

from core.fisher import fisher_information, natural_gradient_step
from exercises._params import vectors_apart
from exercises.interview._common import FISHER_PAGE
from grader import Number, Params, Record, Vector
from grader.authoring import Values, choice, collect, exercise, integers, mistake

FAMILIES = {"bernoulli": "Bernoulli p", "gaussian": "Gaussian mean μ (σ known)"}


def _fisher_generate(rng: np.random.Generator) -> Params:
    n = int(rng.integers(5, 201))
    if rng.random() < 0.5:
        return {"family": "bernoulli", "p": int(rng.integers(5, 96)) / 100, "n": n}
    sigma = float(rng.choice([0.5, 0.8, 1.5, 2.0, 2.5, 3.0, 4.0]))
    return {"family": "gaussian", "mu": int(rng.integers(-20, 21)) / 10, "sigma": sigma, "n": n}


def _one(v: Values) -> float:
    if v.family == "bernoulli":
        return float(fisher_information("bernoulli", p=v.p))
    return float(np.asarray(fisher_information("gaussian", mu=v.mu, sigma=v.sigma))[0, 0])


def _fisher_link(v: Values) -> dict[str, object]:
    if v.family == "bernoulli":
        return {"ll_family": FAMILIES["bernoulli"], "ll_phat": v.p, "ll_n": v.n, "cr_p": v.p, "cr_n": v.n}
    return {"ll_family": FAMILIES["gaussian"], "ll_xbar": v.mu, "ll_sigma": v.sigma, "ll_n": v.n}


FISHER_CRAMER_RAO = exercise(
    id="interview.fisher_cramer_rao",
    title="Fisher information and the Cramér-Rao bound (Q8)",
    generate=_fisher_generate,
    derive=lambda v: {"info": _one(v)},
    prompt=r"""For [% if family == "bernoulli" %]a **Bernoulli(p)** model at **p = [[ p | fmt('g') ]]** (the parameter is p)[% else %]a **Gaussian N(μ, σ²)** with σ = [[ sigma | fmt('g') ]] known, at **μ = [[ mu | fmt('g') ]]** (the parameter is μ)[% endif %], give the Fisher information of **one** observation, $F = E[(\partial_\theta \log p(x\mid\theta))^2]$ (`fisher`), and the Cramér-Rao lower bound on the variance of an unbiased estimator from **n = [[ n ]]** independent observations (`cramer_rao`).""",
    solve=lambda v: {"fisher": v.info, "cramer_rao": 1.0 / (v.n * v.info)},
    answer=Record({"fisher": Number(rtol=1e-3), "cramer_rao": Number(rtol=1e-3)}),
    points=2.0,
    misconceptions=[
        mistake(
            "variance_for_information",
            "Your Fisher information is the variance of one observation (p(1−p), or σ²). The information is its inverse: 1/(p(1−p)) for a Bernoulli, 1/σ² for a Gaussian mean, so noisier data carries less information.",
            lambda v: {"fisher": 1.0 / v.info},
        ),
        mistake(
            "forgot_n",
            "Your bound is 1/F, the bound for a single observation. Information adds over independent draws, so n of them give n·F and the bound 1/(n·F).",
            lambda v: {"cramer_rao": 1.0 / v.info},
        ),
    ],
    page="fisher-information",
    page_title=FISHER_PAGE,
    link=_fisher_link,
)


_NG_MISTAKES = [
    mistake(
        "plain_gradient",
        "You took a plain gradient step θ − η∇L. The natural gradient preconditions by the inverse Fisher information: θ − η F⁻¹∇L, with F = diag(1/σ², 2/σ²) for (μ, σ).",
        lambda v: np.asarray([v.mu, v.sigma]) - v.lr * np.asarray(v.grad),
    ),
    mistake(
        "fisher_not_inverted",
        "You multiplied the gradient by F instead of F⁻¹. The natural gradient is F⁻¹∇L: where the model is sensitive (large F) it takes smaller steps.",
        lambda v: np.asarray([v.mu, v.sigma]) - v.lr * (v.fisher @ np.asarray(v.grad)),
    ),
]


def _ng_solve(v: Values) -> np.ndarray:
    return natural_gradient_step([v.mu, v.sigma], v.grad, v.fisher, lr=v.lr)


def _ng_accept(v: Values) -> bool:
    # Both gradient entries sizeable, σ stays positive, each misconception clearly off in
    # some entry (5%) and the two apart from each other.
    answer, others = _ng_solve(v), [m.answer(v) for m in _NG_MISTAKES]
    return bool(
        min(abs(g) for g in v.grad) >= 0.3
        and answer[1] > 0
        and all(vectors_apart(answer, o) for o in others)
        and vectors_apart(*others)
    )


NATURAL_GRADIENT = exercise(
    id="interview.natural_gradient",
    title="One natural-gradient step for a Gaussian (Q8)",
    params={
        "mu": integers(-10, 11, over=2),
        "sigma": choice([0.5, 2.0, 2.5, 3.0]),
        "grad": integers(-20, 21, size=2, over=10),
        "lr": choice([0.05, 0.1, 0.2]),
    },
    derive=lambda v: {"fisher": np.asarray(fisher_information("gaussian", mu=v.mu, sigma=v.sigma))},
    accept=_ng_accept,
    prompt=r"""A model $\mathcal N(\mu, \sigma^2)$ is fitted in the parameters $\theta = (\mu, \sigma)$, currently **θ = ([[ mu | fmt('g') ]], [[ sigma | fmt('g') ]])**. The gradient of the loss (the average NLL) there is **∇L = ([[ grad[0] | fmt('g') ]], [[ grad[1] | fmt('g') ]])**.

Using the Fisher information of one observation at θ, $F(\theta)$, take one natural-gradient step $\theta - \eta F^{-1} \nabla L$ with **η = [[ lr | fmt('g') ]]**. Give the new $[\mu, \sigma]$.""",
    solve=_ng_solve,
    answer=Vector(rtol=1e-3, atol=1e-4),
    points=2.0,
    misconceptions=_NG_MISTAKES,
    page="fisher-information",
    page_title=FISHER_PAGE,
    link=lambda v: {"ng_mu0": v.mu, "ng_sigma0": v.sigma, "ng_lr": v.lr, "ng_param": "std"},
)

register_exercises = collect(__name__)
