"""Fisher information: closed forms, the Cramér–Rao bound, natural-gradient steps.

Links go to the dashboard's Fisher information page (``fisher-information``): ``ll_*`` (log-likelihood curvature),
``cr_*`` (Cramér–Rao simulation) and ``ng_*`` (natural gradient) query parameters.
"""

from __future__ import annotations

import functools
from itertools import combinations
from typing import Any

import numpy as np

from core.fisher import fisher_information, gaussian_fit_paths, natural_gradient_step, score
from exercises._params import apart, vectors_apart
from grader import Exercise, Number, Record
from grader.authoring import Draw, Values, choice, collect, exercise, integers, mistake

#: The Fisher information page's model labels (its ``ll_family`` radio options).
_BERNOULLI_LABEL, _GAUSSIAN_LABEL = "Bernoulli p", "Gaussian mean μ (σ known)"
_FISHER: dict[str, Any] = {"page": "fisher-information", "page_title": "Fisher information"}

# These exercises were drawn with a 2% separation (and 1e-4 absolute), not the usual 5%.
_apart = functools.partial(apart, rel=0.02, atol=1e-4)


def _sigma(rng: np.random.Generator) -> float:
    # Redrawn alone (not the whole variant) while near 1, where σ and σ² coincide: the
    # variants were first drawn so.
    while True:
        sigma = int(rng.integers(2, 41)) / 10
        if abs(sigma - 1.0) > 0.15:
            return sigma


#: A standard deviation in 0.2 … 4.0, never 0.9 to 1.1.
_SIGMA = Draw(_sigma, "0.2 to 4.0 by 0.1, not 0.9 to 1.1")


BERNOULLI = exercise(
    id="fisher.bernoulli",
    title="Fisher information of a Bernoulli",
    params={"p": integers(50, 951, over=1000)},
    prompt=r"A coin lands heads with probability **p = [[ p ]]**; one flip is $X \sim \mathrm{Bernoulli}(p)$. What is the Fisher information $F(p)$ of one flip about p?",
    solve=lambda v: fisher_information("bernoulli", p=v.p),
    answer=Number(rtol=1e-3),
    misconceptions=[
        mistake(
            "variance_for_information",
            "That is p(1 − p), the variance of one flip. The Fisher information is its inverse, 1/(p(1 − p)): the flip tells most about p where it is least noisy (p near 0 or 1); the page's curvature tab shows it.",
            lambda v: 1.0 / fisher_information("bernoulli", p=v.p),
        ),
        mistake(
            "heads_term_only",
            "You kept only the heads term, E[(x/p)²] = 1/p. The score is x/p − (1 − x)/(1 − p); its variance adds the tails term: 1/p + 1/(1 − p) = 1/(p(1 − p)).",
            lambda v: 1.0 / v.p,
        ),
    ],
    **_FISHER,
    link=lambda v: {"ll_family": _BERNOULLI_LABEL, "ll_phat": v.p},
)


def _gaussian_derive(v: Values) -> dict[str, object]:
    def diag(parameterization: str) -> np.ndarray:
        return np.diag(np.asarray(fisher_information("gaussian", mu=v.mu, sigma=v.sigma, parameterization=parameterization)))

    return {"f": diag("std"), "f_variance": diag("variance")}


def _gaussian_accept(v: Values) -> bool:
    # F_σσ against each misconception's (forgot 2, the variance's, σ for σ²), and F_μμ
    # against 1/σ, told apart (2%).
    s = v.sigma
    return _apart([2 / s**2, 1 / s**2, 1 / (2 * s**4), 2 / s]) and _apart([1 / s**2, 1 / s])


GAUSSIAN = exercise(
    id="fisher.gaussian",
    title="Fisher information of a Gaussian in (μ, σ)",
    params={"mu": integers(-50, 51, over=10), "sigma": _SIGMA},
    derive=_gaussian_derive,
    accept=_gaussian_accept,
    prompt=r"One draw $X \sim \mathcal N(\mu, \sigma^2)$ at **μ = [[ mu ]], σ = [[ sigma ]]**. The Fisher information matrix in the parameters (μ, σ) (the standard deviation, not the variance) is diagonal. Give its entries `f_mu` = F_μμ and `f_sigma` = F_σσ.",
    solve=lambda v: {"f_mu": v.f[0], "f_sigma": v.f[1]},
    answer=Record({"f_mu": Number(rtol=1e-3), "f_sigma": Number(rtol=1e-3)}),
    misconceptions=[
        mistake("sigma_for_variance", "You used σ where σ² belongs: F = diag(1/σ², 2/σ²). Each entry has the variance in the denominator.", lambda v: {"f_mu": 1 / v.sigma, "f_sigma": 2 / v.sigma}),
        mistake(
            "variance_parameterisation",
            "1/(2σ⁴) is F for the variance σ². The question parameterises by σ: F_σσ = (dσ²/dσ)² · 1/(2σ⁴) = 2/σ².",
            lambda v: {"f_sigma": v.f_variance[1]},
        ),
        mistake("forgot_two", "F_σσ is 2/σ², not 1/σ²: the score in σ is ((x − μ)² − σ²)/σ³ and Var((x − μ)²) = 2σ⁴.", lambda v: {"f_sigma": v.f[0]}),
    ],
    **_FISHER,
    link=lambda v: {"ll_family": _GAUSSIAN_LABEL, "ll_xbar": v.mu, "ll_sigma": v.sigma},
)


def _entries(matrix: Any) -> dict[str, float]:
    m = np.asarray(matrix)
    return {"f11": float(m[0, 0]), "f12": float(m[0, 1]), "f22": float(m[1, 1])}


CATEGORICAL = exercise(
    id="fisher.categorical",
    title="Fisher information of a Categorical",
    generate=lambda rng: {"probs": ((rng.multinomial(85, np.full(3, 1 / 3)) + 5) / 100).round(2).tolist()},
    accept=lambda v: len(set(v.probs)) == 3,  # three different probabilities
    prompt="One draw from a Categorical over three outcomes with probabilities **p = ([[ probs | join(', ') ]])**. Parameterise it by the two free probabilities (p₁, p₂), with p₃ = 1 − p₁ − p₂. Give the entries of the 2 × 2 Fisher information matrix: `f11`, `f12` (= f21) and `f22`.",
    solve=lambda v: _entries(fisher_information("categorical", probs=v.probs)),
    answer=Record({"f11": Number(rtol=1e-3), "f12": Number(rtol=1e-3), "f22": Number(rtol=1e-3)}),
    misconceptions=[
        mistake(
            "forgot_last_category",
            "You left out p₃'s dependence on p₁ and p₂. Since p₃ = 1 − p₁ − p₂, each entry gains 1/p₃: F = diag(1/p₁, 1/p₂) + 11ᵀ/p₃.",
            lambda v: {"f11": 1 / v.probs[0], "f12": 0.0, "f22": 1 / v.probs[1]},
        ),
        mistake(
            "softmax_logits",
            "diag(p) − ppᵀ is the Fisher information in the softmax logits, a different parameterisation. In the free probabilities it is diag(1/p₁, 1/p₂) + 11ᵀ/p₃.",
            lambda v: _entries(fisher_information("softmax", logits=np.log(v.probs))),
        ),
    ],
    **_FISHER,
)


CRAMER_RAO_BERNOULLI = exercise(
    id="fisher.cramer_rao_bernoulli",
    title="Cramér–Rao bound for a coin's bias",
    params={"p": integers(5, 96, over=100), "n": choice([10, 20, 25, 40, 50, 80, 100, 200, 500])},
    derive=lambda v: {"bound": 1.0 / (v.n * fisher_information("bernoulli", p=v.p))},
    # The bound, one flip's bound, the information and the standard error told apart (2%).
    accept=lambda v: _apart([v.bound, v.bound * v.n, 1 / v.bound, float(np.sqrt(v.bound))]),
    prompt="You flip a coin with heads probability **p = [[ p ]]** independently **n = [[ n ]]** times and estimate p. What is the Cramér–Rao lower bound on the **variance** of any unbiased estimator of p?",
    solve=lambda v: v.bound,
    answer=Number(rtol=1e-3),
    misconceptions=[
        mistake(
            "forgot_n",
            "That is the bound for a single flip, 1/F(p). n independent flips carry n times the information, so the bound is 1/(n F(p)) = p(1 − p)/n; the page's Cramér–Rao tab simulates it.",
            lambda v: 1.0 / fisher_information("bernoulli", p=v.p),
        ),
        mistake("not_inverted", "That is n F(p), the information. The bound on the variance is its inverse, 1/(n F(p)).", lambda v: 1.0 / v.bound),
        mistake("standard_error", "That is the square root of the bound (a standard error); the question asks for the variance bound p(1 − p)/n.", lambda v: float(np.sqrt(v.bound))),
    ],
    **_FISHER,
    link=lambda v: {"cr_p": v.p, "cr_n": v.n},
)


def _cr_gaussian(sigma: float, n: int) -> dict[str, float]:
    inverse = np.linalg.inv(np.asarray(fisher_information("gaussian", mu=0.0, sigma=sigma))) / n
    return {"mu": float(inverse[0, 0]), "sigma": float(inverse[1, 1])}


CRAMER_RAO_GAUSSIAN = exercise(
    id="fisher.cramer_rao_gaussian",
    title="Cramér–Rao bounds for a Gaussian's mean and standard deviation",
    params={"sigma": _SIGMA, "n": choice([4, 5, 8, 10, 16, 20, 25, 50, 100])},
    # The right bound, one draw's bound and σ/n told apart (σ/n = σ² when σ = 1/n).
    accept=lambda v: _apart([v.sigma**2 / v.n, v.sigma**2, v.sigma / v.n]),
    prompt=r"From **n = [[ n ]]** independent draws of $\mathcal N(\mu, \sigma^2)$ with true **σ = [[ sigma ]]**, you estimate μ and σ (both unknown). Give the Cramér–Rao lower bounds on the variances of unbiased estimators: `mu` for μ and `sigma` for σ.",
    solve=lambda v: _cr_gaussian(v.sigma, v.n),
    answer=Record({"mu": Number(rtol=1e-3), "sigma": Number(rtol=1e-3)}),
    misconceptions=[
        mistake("forgot_n", "Those are the bounds for one draw. n draws carry n times the information: Var(μ̂) ≥ σ²/n and Var(σ̂) ≥ σ²/(2n).", lambda v: _cr_gaussian(v.sigma, 1)),
        mistake("sigma_for_variance", "You used σ where σ² belongs: the bounds are σ²/n and σ²/(2n), with the variance.", lambda v: {"mu": v.sigma / v.n, "sigma": v.sigma / (2 * v.n)}),
    ],
    **_FISHER,
    link=lambda v: {"ll_family": _GAUSSIAN_LABEL, "ll_sigma": v.sigma, "ll_n": v.n},
)


_STEP_SIZES = choice([0.1, 0.2, 0.25, 0.5])
_SDS = choice([0.5, 1.0, 1.5, 2.0, 3.0])


def _ng_derive(v: Values) -> dict[str, object]:
    """(natural, plain, ascent) parameters (μ, σ) after one step on data with mean m, variance s²."""
    if v.mean == v.mu0 or v.sd == v.sigma0:
        return {"natural": None}  # both coordinates must move
    data = [v.mean - v.sd, v.mean + v.sd]  # mean m, population variance s²
    try:
        paths = gaussian_fit_paths(data, mu0=v.mu0, sigma0=v.sigma0, lr=v.lr, n_steps=1)
    except ValueError:  # the plain step overshot σ below 0: no misconception to show
        return {"natural": None}
    natural = paths.natural[1]
    return {"natural": natural, "plain": paths.plain[1], "ascent": 2 * np.array([v.mu0, v.sigma0]) - natural}


def _ng_accept(v: Values) -> bool:
    # Each pair of the natural, plain and uphill steps apart (2%) in some coordinate.
    if v.natural is None:
        return False
    return all(vectors_apart(a, b, rel=0.02, atol=1e-4) for a, b in combinations([v.natural, v.plain, v.ascent], 2))


def _mu_sigma(theta: np.ndarray) -> dict[str, float]:
    return {"mu": float(theta[0]), "sigma": float(theta[1])}


NATURAL_GRADIENT_GAUSSIAN = exercise(
    id="fisher.natural_gradient_gaussian",
    title="One natural-gradient step for a Gaussian's (μ, σ)",
    params={"mean": integers(-6, 7, over=2), "sd": _SDS, "mu0": integers(-6, 7, over=2), "sigma0": _SDS, "lr": _STEP_SIZES},
    derive=_ng_derive,
    accept=_ng_accept,
    prompt=r"""You fit $\mathcal N(\mu, \sigma^2)$ to data with mean **[[ mean ]]** and standard deviation **[[ sd ]]** (average squared deviation [[ sd ]]²) by minimising the average negative log-likelihood

$$L(\mu, \sigma) = \log \sigma + \frac{(\bar x - \mu)^2 + s^2}{2\sigma^2} + \tfrac12 \log 2\pi.$$

From **μ = [[ mu0 ]], σ = [[ sigma0 ]]** take one **natural-gradient** step $\theta \leftarrow \theta - \eta F(\theta)^{-1} \nabla L$ with **η = [[ lr ]]**, where F is the Fisher information of one draw in (μ, σ). Give the new `mu` and `sigma`.""",
    solve=lambda v: _mu_sigma(v.natural),
    answer=Record({"mu": Number(rtol=1e-3, atol=1e-4), "sigma": Number(rtol=1e-3, atol=1e-4)}),
    misconceptions=[
        mistake(
            "plain_gradient",
            "That is a plain gradient step θ − η∇L. The natural gradient first multiplies by F⁻¹ = diag(σ², σ²/2), which rescales each coordinate by the geometry of the model; the page's natural-gradient tab shows both paths.",
            lambda v: _mu_sigma(v.plain),
        ),
        mistake("ascent", "You stepped uphill. The loss is minimised: θ − ηF⁻¹∇L, with a minus sign.", lambda v: _mu_sigma(v.ascent)),
    ],
    **_FISHER,
    link=lambda v: {"ng_mean": v.mean, "ng_sd": v.sd, "ng_mu0": v.mu0, "ng_sigma0": v.sigma0, "ng_lr": v.lr, "ng_steps": 1},
)


def _logit_derive(v: Values) -> dict[str, float]:
    """L′(θ) = σ(θ) − p̂ (the data's −E[score]), and one step θ − η L′(θ)/F for F the logit
    information, the information of p (1/F, a misconception) and 1 (a plain step)."""
    scores = score("bernoulli_logit", [1.0, 0.0], logit=v.theta)[:, 0]  # (n, d) with d = 1
    gradient = -float(v.phat * scores[0] + (1 - v.phat) * scores[1])
    f = float(fisher_information("bernoulli_logit", logit=v.theta))

    def step(value: float) -> float:
        return float(natural_gradient_step([v.theta], [gradient], [[value]], lr=v.lr)[0])

    return {"gradient": gradient, "natural": step(f), "plain": step(1.0), "p_space": step(1.0 / f)}


NATURAL_GRADIENT_LOGIT = exercise(
    id="fisher.natural_gradient_logit",
    title="One natural-gradient step for a Bernoulli in logit space",
    params={"theta": integers(-30, 31, over=10), "phat": integers(5, 96, over=100), "lr": _STEP_SIZES},
    derive=_logit_derive,
    # A sizeable gradient; the natural, plain and p-space steps told apart (2%).
    accept=lambda v: abs(v.gradient) >= 0.05 and _apart([v.natural, v.plain, v.p_space]),
    prompt="""A Bernoulli model is parameterised by its logit θ, p = σ(θ) = 1/(1 + e^{−θ}). The data have a share **p̂ = [[ phat ]]** of ones; the loss is the average negative log-likelihood L(θ) = −[p̂ log σ(θ) + (1 − p̂) log(1 − σ(θ))].

From **θ = [[ theta ]]** take one **natural-gradient** step θ ← θ − η F(θ)⁻¹ L′(θ) with **η = [[ lr ]]**, F the Fisher information of one observation in θ. What is the new θ?""",
    solve=lambda v: v.natural,
    answer=Number(rtol=1e-3, atol=1e-4),
    misconceptions=[
        mistake(
            "plain_gradient",
            "That is a plain gradient step θ − η L′(θ). The natural gradient divides L′(θ) = σ(θ) − p̂ by F(θ) = σ(θ)(1 − σ(θ)), which makes the step large where the model is nearly certain.",
            lambda v: v.plain,
        ),
        mistake(
            "fisher_in_p_space",
            "You used the Fisher information of p, 1/(p(1 − p)). In the logit the information is F(θ) = p(1 − p) (F transforms with (dp/dθ)²), so divide by p(1 − p), don't multiply.",
            lambda v: v.p_space,
        ),
    ],
    **_FISHER,
    link=lambda v: {"ll_family": _BERNOULLI_LABEL, "ll_phat": v.phat},
)


ALL: tuple[Exercise, ...] = (
    BERNOULLI,
    GAUSSIAN,
    CATEGORICAL,
    CRAMER_RAO_BERNOULLI,
    CRAMER_RAO_GAUSSIAN,
    NATURAL_GRADIENT_GAUSSIAN,
    NATURAL_GRADIENT_LOGIT,
)

register_exercises = collect(__name__)
