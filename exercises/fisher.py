"""Fisher information: closed forms, the Cramér–Rao bound, natural-gradient steps.

Links go to the dashboard's Fisher information page (``fisher-information``): ``ll_*`` (log-likelihood curvature),
``cr_*`` (Cramér–Rao simulation) and ``ng_*`` (natural gradient) query parameters.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from itertools import combinations

import numpy as np

from core.fisher import fisher_information, gaussian_fit_paths, natural_gradient_step, score
from grader import DashboardLink, Exercise, Misconception, Number, Params, Record, hookimpl

#: The Fisher information page's model labels (its ``ll_family`` radio options).
_BERNOULLI_LABEL, _GAUSSIAN_LABEL = "Bernoulli p", "Gaussian mean μ (σ known)"


def _apart(values: list[float], rel: float = 0.02) -> bool:
    """True when every pair differs by more than ``rel`` relative (and 1e-4 absolute)."""
    return all(
        abs(a - b) > max(1e-4, rel * max(abs(a), abs(b))) for a, b in combinations(values, 2)
    )


def _sigma_grid(rng: np.random.Generator) -> float:
    """A standard deviation in 0.2 … 4.0, never 1 (where σ and σ² coincide)."""
    while True:
        sigma = round(float(rng.integers(2, 41)) / 10, 1)
        if abs(sigma - 1.0) > 0.15:
            return sigma


# ------------------------------------------------------------------ Bernoulli


def _bernoulli_params(rng: np.random.Generator) -> Params:
    return {"p": round(float(rng.integers(50, 951)) / 1000, 3)}


BERNOULLI = Exercise(
    id="fisher.bernoulli",
    title="Fisher information of a Bernoulli",
    generate=_bernoulli_params,
    prompt=lambda p: (
        f"A coin lands heads with probability **p = {p['p']}**; one flip is "
        "$X \\sim \\mathrm{Bernoulli}(p)$. What is the Fisher information $F(p)$ of one "
        "flip about p?"
    ),
    solve=lambda p: fisher_information("bernoulli", p=p["p"]),
    answer=Number(rtol=1e-3),
    misconceptions=(
        Misconception(
            "variance_for_information",
            "That is p(1 − p), the variance of one flip. The Fisher information is its "
            "inverse, 1/(p(1 − p)): the flip tells most about p where it is least noisy "
            "(p near 0 or 1). The Fisher information page's curvature tab shows it.",
            lambda p: 1.0 / fisher_information("bernoulli", p=p["p"]),
        ),
        Misconception(
            "heads_term_only",
            "You kept only the heads term, E[(x/p)²] = 1/p. The score is x/p − (1 − x)/(1 − p); "
            "its variance adds the tails term: 1/p + 1/(1 − p) = 1/(p(1 − p)).",
            lambda p: 1.0 / p["p"],
        ),
    ),
    dashboard=DashboardLink("fisher-information", lambda p: {"ll_family": _BERNOULLI_LABEL, "ll_phat": p["p"]}),
)


# ------------------------------------------------------------------ Gaussian


def _gaussian_diag(mu: float, sigma: float, parameterization: str = "std") -> np.ndarray:
    return np.diag(np.asarray(fisher_information("gaussian", mu=mu, sigma=sigma, parameterization=parameterization)))


def _gaussian_params(rng: np.random.Generator) -> Params:
    while True:
        params = {"mu": round(float(rng.integers(-50, 51)) / 10, 1), "sigma": _sigma_grid(rng)}
        s = params["sigma"]
        f_sigma = [2 / s**2, 1 / s**2, 1 / (2 * s**4), 2 / s]  # right, forgot 2, σ², σ for σ²
        if _apart(f_sigma) and _apart([1 / s**2, 1 / s]):
            return params


GAUSSIAN = Exercise(
    id="fisher.gaussian",
    title="Fisher information of a Gaussian in (μ, σ)",
    generate=_gaussian_params,
    prompt=lambda p: (
        f"One draw $X \\sim \\mathcal N(\\mu, \\sigma^2)$ at **μ = {p['mu']}, σ = {p['sigma']}**. "
        "The Fisher information matrix in the parameters (μ, σ) (the standard deviation, "
        "not the variance) is diagonal. Give its entries `f_mu` = F_μμ and `f_sigma` = F_σσ."
    ),
    solve=lambda p: dict(zip(("f_mu", "f_sigma"), _gaussian_diag(p["mu"], p["sigma"]), strict=True)),
    answer=Record({"f_mu": Number(rtol=1e-3), "f_sigma": Number(rtol=1e-3)}),
    misconceptions=(
        Misconception(
            "sigma_for_variance",
            "You used σ where σ² belongs: F = diag(1/σ², 2/σ²). Each entry has the "
            "variance in the denominator.",
            lambda p: {"f_mu": 1 / p["sigma"], "f_sigma": 2 / p["sigma"]},
        ),
        Misconception(
            "variance_parameterisation",
            "1/(2σ⁴) is F for the variance σ². The question parameterises by σ: "
            "F_σσ = (dσ²/dσ)² · 1/(2σ⁴) = 2/σ².",
            lambda p: {"f_sigma": float(_gaussian_diag(p["mu"], p["sigma"], "variance")[1])},
        ),
        Misconception(
            "forgot_two",
            "F_σσ is 2/σ², not 1/σ²: the score in σ is ((x − μ)² − σ²)/σ³ and "
            "Var((x − μ)²) = 2σ⁴.",
            lambda p: {"f_sigma": float(_gaussian_diag(p["mu"], p["sigma"])[0])},
        ),
    ),
    dashboard=DashboardLink(
        "fisher-information", lambda p: {"ll_family": _GAUSSIAN_LABEL, "ll_xbar": p["mu"], "ll_sigma": p["sigma"]}
    ),
)


# ------------------------------------------------------------------ Categorical


def _categorical_params(rng: np.random.Generator) -> Params:
    while True:
        cents = rng.multinomial(85, np.full(3, 1 / 3)) + 5
        if len(set(cents.tolist())) == 3:
            return {"probs": (cents / 100).round(2).tolist()}


def _entries(matrix: np.ndarray) -> dict[str, float]:
    return {"f11": float(matrix[0, 0]), "f12": float(matrix[0, 1]), "f22": float(matrix[1, 1])}


CATEGORICAL = Exercise(
    id="fisher.categorical",
    title="Fisher information of a Categorical",
    generate=_categorical_params,
    prompt=lambda p: (
        f"One draw from a Categorical over three outcomes with probabilities "
        f"**p = {tuple(p['probs'])}**. Parameterise it by the two free probabilities "
        "(p₁, p₂), with p₃ = 1 − p₁ − p₂. Give the entries of the 2 × 2 Fisher information "
        "matrix: `f11`, `f12` (= f21) and `f22`."
    ),
    solve=lambda p: _entries(np.asarray(fisher_information("categorical", probs=p["probs"]))),
    answer=Record({"f11": Number(rtol=1e-3), "f12": Number(rtol=1e-3), "f22": Number(rtol=1e-3)}),
    misconceptions=(
        Misconception(
            "forgot_last_category",
            "You left out p₃'s dependence on p₁ and p₂. Since p₃ = 1 − p₁ − p₂, each "
            "entry gains 1/p₃: F = diag(1/p₁, 1/p₂) + 11ᵀ/p₃.",
            lambda p: {"f11": 1 / p["probs"][0], "f12": 0.0, "f22": 1 / p["probs"][1]},
        ),
        Misconception(
            "softmax_logits",
            "diag(p) − ppᵀ is the Fisher information in the softmax logits, a different "
            "parameterisation. In the free probabilities it is diag(1/p₁, 1/p₂) + 11ᵀ/p₃.",
            lambda p: _entries(np.asarray(fisher_information("softmax", logits=np.log(p["probs"])))),
        ),
    ),
    dashboard=DashboardLink("fisher-information"),
)


# ------------------------------------------------------------------ Cramér–Rao, Bernoulli


def _cr_bernoulli(p: Params) -> float:
    return 1.0 / (p["n"] * fisher_information("bernoulli", p=p["p"]))


def _cr_bernoulli_params(rng: np.random.Generator) -> Params:
    while True:
        params = {"p": round(float(rng.integers(5, 96)) / 100, 2), "n": int(rng.choice([10, 20, 25, 40, 50, 80, 100, 200, 500]))}
        bound = _cr_bernoulli(params)
        if _apart([bound, bound * params["n"], 1 / bound, float(np.sqrt(bound))]):
            return params


CRAMER_RAO_BERNOULLI = Exercise(
    id="fisher.cramer_rao_bernoulli",
    title="Cramér–Rao bound for a coin's bias",
    generate=_cr_bernoulli_params,
    prompt=lambda p: (
        f"You flip a coin with heads probability **p = {p['p']}** independently "
        f"**n = {p['n']}** times and estimate p. What is the Cramér–Rao lower bound on "
        "the **variance** of any unbiased estimator of p?"
    ),
    solve=_cr_bernoulli,
    answer=Number(rtol=1e-3),
    misconceptions=(
        Misconception(
            "forgot_n",
            "That is the bound for a single flip, 1/F(p). n independent flips carry n "
            "times the information, so the bound is 1/(n F(p)) = p(1 − p)/n. The Fisher "
            "page's Cramér–Rao tab simulates it.",
            lambda p: 1.0 / fisher_information("bernoulli", p=p["p"]),
        ),
        Misconception(
            "not_inverted",
            "That is n F(p), the information. The bound on the variance is its inverse, "
            "1/(n F(p)).",
            lambda p: 1.0 / _cr_bernoulli(p),
        ),
        Misconception(
            "standard_error",
            "That is the square root of the bound (a standard error); the question asks "
            "for the variance bound p(1 − p)/n.",
            lambda p: float(np.sqrt(_cr_bernoulli(p))),
        ),
    ),
    dashboard=DashboardLink("fisher-information", lambda p: {"cr_p": p["p"], "cr_n": p["n"]}),
)


# ------------------------------------------------------------------ Cramér–Rao, Gaussian


def _cr_gaussian(sigma: float, n: int) -> dict[str, float]:
    inverse = np.linalg.inv(np.asarray(fisher_information("gaussian", mu=0.0, sigma=sigma))) / n
    return {"mu": float(inverse[0, 0]), "sigma": float(inverse[1, 1])}


def _cr_gaussian_params(rng: np.random.Generator) -> Params:
    # The right bound, one draw's bound and σ/n all told apart (σ/n = σ² when σ = 1/n).
    while True:
        sigma, n = _sigma_grid(rng), int(rng.choice([4, 5, 8, 10, 16, 20, 25, 50, 100]))
        if _apart([sigma**2 / n, sigma**2, sigma / n]):
            return {"sigma": sigma, "n": n}


CRAMER_RAO_GAUSSIAN = Exercise(
    id="fisher.cramer_rao_gaussian",
    title="Cramér–Rao bounds for a Gaussian's mean and standard deviation",
    generate=_cr_gaussian_params,
    prompt=lambda p: (
        f"From **n = {p['n']}** independent draws of $\\mathcal N(\\mu, \\sigma^2)$ with "
        f"true **σ = {p['sigma']}**, you estimate μ and σ (both unknown). Give the "
        "Cramér–Rao lower bounds on the variances of unbiased estimators: `mu` for μ and "
        "`sigma` for σ."
    ),
    solve=lambda p: _cr_gaussian(p["sigma"], p["n"]),
    answer=Record({"mu": Number(rtol=1e-3), "sigma": Number(rtol=1e-3)}),
    misconceptions=(
        Misconception(
            "forgot_n",
            "Those are the bounds for one draw. n draws carry n times the information: "
            "Var(μ̂) ≥ σ²/n and Var(σ̂) ≥ σ²/(2n).",
            lambda p: _cr_gaussian(p["sigma"], 1),
        ),
        Misconception(
            "sigma_for_variance",
            "You used σ where σ² belongs: the bounds are σ²/n and σ²/(2n), with the "
            "variance.",
            lambda p: {"mu": p["sigma"] / p["n"], "sigma": p["sigma"] / (2 * p["n"])},
        ),
    ),
    dashboard=DashboardLink(
        "fisher-information",
        lambda p: {"ll_family": _GAUSSIAN_LABEL, "ll_sigma": p["sigma"], "ll_n": p["n"]},
    ),
)


# ------------------------------------------------------------------ natural gradient, Gaussian


def _gaussian_steps(p: Params) -> tuple[np.ndarray, np.ndarray]:
    """(natural, plain) parameters (μ, σ) after one step on data with mean m, variance s²."""
    return _cached_gaussian_steps(p["mean"], p["sd"], p["mu0"], p["sigma0"], p["lr"])


@lru_cache(maxsize=1024)  # grading re-solves each variant once per misconception
def _cached_gaussian_steps(
    mean: float, sd: float, mu0: float, sigma0: float, lr: float
) -> tuple[np.ndarray, np.ndarray]:
    data = [mean - sd, mean + sd]  # mean m, population variance s²
    paths = gaussian_fit_paths(data, mu0=mu0, sigma0=sigma0, lr=lr, n_steps=1)
    natural, plain = paths.natural[1], paths.plain[1]
    natural.flags.writeable = plain.flags.writeable = False  # shared by the cache
    return natural, plain


def _natural_gaussian_params(rng: np.random.Generator) -> Params:
    while True:
        params = {
            "mean": round(float(rng.integers(-6, 7)) / 2, 1),
            "sd": float(rng.choice([0.5, 1.0, 1.5, 2.0, 3.0])),
            "mu0": round(float(rng.integers(-6, 7)) / 2, 1),
            "sigma0": float(rng.choice([0.5, 1.0, 1.5, 2.0, 3.0])),
            "lr": float(rng.choice([0.1, 0.2, 0.25, 0.5])),
        }
        if params["mean"] == params["mu0"] or params["sd"] == params["sigma0"]:
            continue  # both coordinates must move
        try:
            natural, plain = _gaussian_steps(params)
        except ValueError:  # the plain step overshot σ below 0: no misconception to show
            continue
        start = np.array([params["mu0"], params["sigma0"]])
        ascent = 2 * start - natural
        points = [natural, plain, ascent]
        if all(any(_apart([x, y]) for x, y in zip(a, b, strict=True)) for a, b in combinations(points, 2)):
            return params


def _record(theta: np.ndarray) -> dict[str, float]:
    return {"mu": float(theta[0]), "sigma": float(theta[1])}


NATURAL_GRADIENT_GAUSSIAN = Exercise(
    id="fisher.natural_gradient_gaussian",
    title="One natural-gradient step for a Gaussian's (μ, σ)",
    generate=_natural_gaussian_params,
    prompt=lambda p: (
        f"You fit $\\mathcal N(\\mu, \\sigma^2)$ to data with mean **{p['mean']}** and "
        f"standard deviation **{p['sd']}** (average squared deviation {p['sd']}²) by "
        "minimising the average negative log-likelihood\n\n"
        "$$L(\\mu, \\sigma) = \\log \\sigma + \\frac{(\\bar x - \\mu)^2 + s^2}{2\\sigma^2} + \\tfrac12 \\log 2\\pi.$$\n\n"
        f"From **μ = {p['mu0']}, σ = {p['sigma0']}** take one **natural-gradient** step "
        f"$\\theta \\leftarrow \\theta - \\eta F(\\theta)^{{-1}} \\nabla L$ with "
        f"**η = {p['lr']}**, where F is the Fisher information of one draw in (μ, σ). "
        "Give the new `mu` and `sigma`."
    ),
    solve=lambda p: _record(_gaussian_steps(p)[0]),
    answer=Record({"mu": Number(rtol=1e-3, atol=1e-4), "sigma": Number(rtol=1e-3, atol=1e-4)}),
    misconceptions=(
        Misconception(
            "plain_gradient",
            "That is a plain gradient step θ − η∇L. The natural gradient first multiplies "
            "by F⁻¹ = diag(σ², σ²/2), which rescales each coordinate by the geometry of "
            "the model. The Fisher information page's natural-gradient tab shows both paths.",
            lambda p: _record(_gaussian_steps(p)[1]),
        ),
        Misconception(
            "ascent",
            "You stepped uphill. The loss is minimised: θ − ηF⁻¹∇L, with a minus sign.",
            lambda p: _record(2 * np.array([p["mu0"], p["sigma0"]]) - _gaussian_steps(p)[0]),
        ),
    ),
    dashboard=DashboardLink(
        "fisher-information",
        lambda p: {
            "ng_mean": p["mean"], "ng_sd": p["sd"], "ng_mu0": p["mu0"], "ng_sigma0": p["sigma0"],
            "ng_lr": p["lr"], "ng_steps": 1,
        },
    ),
)


# ------------------------------------------------------------------ natural gradient, logit


def _logit_gradient(p: Params) -> float:
    """d/dθ of the average NLL of data with a share p̂ of ones: −E_data[score] = σ(θ) − p̂."""
    scores = score("bernoulli_logit", [1.0, 0.0], logit=p["theta"])[:, 0]  # (n, d) with d = 1
    return -float(p["phat"] * scores[0] + (1 - p["phat"]) * scores[1])


def _logit_step(p: Params, *, fisher: str = "logit") -> float:
    """One step θ − η L′(θ)/F with F the logit Fisher information ("logit"), the
    information of p, 1/F ("p", a misconception), or 1 ("plain", a gradient step)."""
    return _cached_logit_step(p["theta"], p["phat"], p["lr"], fisher)


@lru_cache(maxsize=1024)  # grading re-solves each variant once per misconception
def _cached_logit_step(theta: float, phat: float, lr: float, fisher: str) -> float:
    f = float(fisher_information("bernoulli_logit", logit=theta))
    value = {"logit": f, "p": 1.0 / f, "plain": 1.0}[fisher]
    gradient = _logit_gradient({"theta": theta, "phat": phat})
    return float(natural_gradient_step([theta], [gradient], [[value]], lr=lr)[0])


def _logit_params(rng: np.random.Generator) -> Params:
    while True:
        params = {
            "theta": round(float(rng.integers(-30, 31)) / 10, 1),
            "phat": round(float(rng.integers(5, 96)) / 100, 2),
            "lr": float(rng.choice([0.1, 0.2, 0.25, 0.5])),
        }
        if abs(_logit_gradient(params)) < 0.05:
            continue
        values = [_logit_step(params, fisher=kind) for kind in ("logit", "plain", "p")]
        if _apart(values):
            return params


NATURAL_GRADIENT_LOGIT = Exercise(
    id="fisher.natural_gradient_logit",
    title="One natural-gradient step for a Bernoulli in logit space",
    generate=_logit_params,
    prompt=lambda p: (
        "A Bernoulli model is parameterised by its logit θ, p = σ(θ) = 1/(1 + e^{−θ}). The "
        f"data have a share **p̂ = {p['phat']}** of ones; the loss is the average negative "
        "log-likelihood L(θ) = −[p̂ log σ(θ) + (1 − p̂) log(1 − σ(θ))].\n\n"
        f"From **θ = {p['theta']}** take one **natural-gradient** step "
        f"θ ← θ − η F(θ)⁻¹ L′(θ) with **η = {p['lr']}**, F the Fisher information of one "
        "observation in θ. What is the new θ?"
    ),
    solve=_logit_step,
    answer=Number(rtol=1e-3, atol=1e-4),
    misconceptions=(
        Misconception(
            "plain_gradient",
            "That is a plain gradient step θ − η L′(θ). The natural gradient divides "
            "L′(θ) = σ(θ) − p̂ by F(θ) = σ(θ)(1 − σ(θ)), which makes the step large where "
            "the model is nearly certain.",
            lambda p: _logit_step(p, fisher="plain"),
        ),
        Misconception(
            "fisher_in_p_space",
            "You used the Fisher information of p, 1/(p(1 − p)). In the logit the "
            "information is F(θ) = p(1 − p) (F transforms with (dp/dθ)²), so divide by "
            "p(1 − p), don't multiply.",
            lambda p: _logit_step(p, fisher="p"),
        ),
    ),
    dashboard=DashboardLink("fisher-information", lambda p: {"ll_family": _BERNOULLI_LABEL, "ll_phat": p["phat"]}),
)


ALL = (
    BERNOULLI,
    GAUSSIAN,
    CATEGORICAL,
    CRAMER_RAO_BERNOULLI,
    CRAMER_RAO_GAUSSIAN,
    NATURAL_GRADIENT_GAUSSIAN,
    NATURAL_GRADIENT_LOGIT,
)


@hookimpl
def register_exercises(register: Callable[[Exercise], None]) -> None:
    for exercise in ALL:
        register(exercise)
