"""MCMC: Metropolis-Hastings acceptance, one leapfrog step, reading R-hat/ESS, choosing a sampler.

No exercise runs a sampler: chains for the diagnostics exercises are small AR(1) series
drawn in ``generate`` from the variant's rng (4 chains of 50 draws), and every answer
is a closed-form step or a diagnostic of those numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from itertools import combinations
from typing import Any

import numpy as np

from core.distributions import Gaussian
from core.mcmc.diagnostics import ess_bulk, rhat
from core.mcmc.hmc import leapfrog_step
from core.mcmc.metropolis import mh_acceptance_probability
from core.mcmc.targets import gaussian
from exercises._params import apart, vectors_apart
from grader import Choice, Number, Params, Record
from grader.authoring import Draw, Values, choice, collect, exercise, integers, mistake, render

_PAGE = {"page": "mcmc", "page_title": "MCMC samplers"}
_PROB = Number(rtol=1e-3, atol=1e-5)
_SEPARATION = 0.02  # 20 times the answers' 1e-3 tolerance


# ------------------------------------------------------------------ MH, symmetric proposal


@lru_cache(maxsize=64)  # building scipy's frozen normal dominates; few distinct scales
def _standard(sd: float) -> Gaussian:
    return Gaussian(0.0, sd)


def _log_gauss(x: float, mu: float, sd: float) -> float:
    """log N(x; mu, sd²)."""
    return float(_standard(sd).logpdf(x - mu))


def _metropolis(v: Values, sd: float) -> float:
    return mh_acceptance_probability(_log_gauss(v.x, v.mu, sd), _log_gauss(v.x_new, v.mu, sd))


_NORMAL_TENTHS = Draw(lambda rng: round(float(rng.normal(0, 3)), 1), "N(0, 9) to one decimal")


MH_SYMMETRIC = exercise(
    id="mcmc.mh_acceptance_symmetric",
    title="Metropolis acceptance probability (symmetric proposal)",
    params={"mu": integers(-3, 4), "sigma": choice([0.5, 0.8, 1.5, 2.0, 2.5, 3.0]), "x": _NORMAL_TENTHS, "x_new": _NORMAL_TENTHS},
    derive=lambda v: {"alpha": _metropolis(v, v.sigma), "wrong_scale": _metropolis(v, float(np.sqrt(v.sigma)))},
    # A downhill proposal (the answer is the ratio itself, not the cap 1), not tiny, and
    # told apart from its inverse and the σ-for-σ² version (2%).
    accept=lambda v: 0.02 < v.alpha < 0.95 and apart([v.alpha, 1 / v.alpha, v.wrong_scale], rel=_SEPARATION),
    prompt=r"""A random-walk Metropolis sampler targets the density known up to a constant

$$\pi(x) \propto \exp\left(-\frac{(x - ([[ mu ]]))^2}{2 \cdot [[ sigma ]]^2}\right)$$

with a symmetric Gaussian proposal $x' = x + \varepsilon$, $\varepsilon \sim \mathcal N(0, s^2)$.

The chain is at **x = [[ x ]]** and proposes **x′ = [[ x_new ]]**. With what probability is the proposal accepted?""",
    solve=lambda v: v.alpha,
    answer=_PROB,
    misconceptions=[
        mistake("inverted_ratio", "You divided π(x) by π(x′). The acceptance probability is min(1, π(x′)/π(x)): a move to lower density is accepted with probability below 1, never above.", lambda v: 1 / v.alpha),
        mistake("sigma_for_variance", "You put σ where σ² belongs in the exponent: the density is exp(−(x − μ)²/(2σ²)), with the variance σ².", lambda v: v.wrong_scale),
    ],
    **_PAGE,
    link=lambda v: {"target": "gaussian"},
)


# ------------------------------------------------------------------ MH, Hastings correction


def _log_q(to: float, frm: float, s: float) -> float:
    """log density of the log-normal random walk: log x′ ~ N(log x, s²), in x′."""
    return _log_gauss(float(np.log(to)), float(np.log(frm)), s) - float(np.log(to))


def _hastings(v: Values, correction: str) -> float:
    forward, backward = _log_q(v.x_new, v.x, v.s), _log_q(v.x, v.x_new, v.s)
    if correction == "none":
        forward = backward = 0.0
    elif correction == "inverted":
        forward, backward = backward, forward

    def log_target(x: float) -> float:  # x^(k−1) e^(−x): Gamma(k, 1) up to its constant
        return (v.k - 1) * float(np.log(x)) - x

    return mh_acceptance_probability(log_target(v.x), log_target(v.x_new), log_q_forward=forward, log_q_backward=backward)


def _hastings_draw(rng: np.random.Generator) -> Params:
    # The proposal is redrawn until it lands in [0.05, 20]; only then is k drawn (the
    # variants' order of draws, kept as it always was).
    while True:
        x = round(float(rng.uniform(0.3, 6.0)), 1)
        s = float(rng.choice([0.3, 0.5, 0.8]))
        x_new = round(float(x * np.exp(s * rng.standard_normal())), 2)
        if 0.05 <= x_new <= 20:
            return {"k": int(rng.integers(2, 6)), "s": s, "x": x, "x_new": x_new}


_CORRECTIONS = ("right", "none", "inverted")

MH_HASTINGS = exercise(
    id="mcmc.mh_acceptance_hastings",
    title="Metropolis-Hastings acceptance with an asymmetric proposal",
    generate=_hastings_draw,
    derive=lambda v: {c: _hastings(v, c) for c in _CORRECTIONS},
    # The answer below 1, and the three corrections told apart (2%).
    accept=lambda v: 0.02 < v.right < 0.97 and apart([v[c] for c in _CORRECTIONS], rel=_SEPARATION),
    prompt=r"""A Metropolis-Hastings sampler targets a positive quantity with density known up to a constant, $\pi(x) \propto x^{[[ k - 1 ]]} e^{-x}$ for x > 0 (a Gamma([[ k ]], 1)). It proposes multiplicatively: $\log x' = \log x + [[ s ]]\,Z$, $Z \sim \mathcal N(0, 1)$, so $q(x' \mid x)$ is a log-normal density in x′ and the proposal is **not** symmetric.

The chain is at **x = [[ x ]]** and proposes **x′ = [[ x_new ]]**. With what probability is the proposal accepted?""",
    solve=lambda v: v.right,
    answer=_PROB,
    misconceptions=[
        mistake(
            "no_hastings_correction",
            "You used min(1, π(x′)/π(x)), the Metropolis rule for symmetric proposals. With an asymmetric proposal multiply by the Hastings correction q(x | x′)/q(x′ | x) (here x′/x), or the chain samples the wrong distribution (compare its marginals with the truth).",
            lambda v: v.none,
        ),
        mistake("hastings_inverted", "You multiplied by q(x′ | x)/q(x | x′). The Hastings correction is the density of proposing the way back over the density of the move made: q(x | x′)/q(x′ | x).", lambda v: v.inverted),
    ],
    **_PAGE,
)


# ------------------------------------------------------------------ one leapfrog step


def _grad(v: Values) -> Callable[[np.ndarray], np.ndarray]:
    """∇ log π of N(mu, sigma²) in one dimension, from core's Gaussian target."""
    target = gaussian(1, scales=[v.sigma])
    return lambda q: np.asarray(target.logp_grad(np.asarray(q) - v.mu)[1])


def _leapfrog_derive(v: Values) -> dict[str, dict[str, float]]:
    grad = _grad(v)
    g = float(grad(np.array([v.q]))[0])
    momentum = v.p + v.eps * g  # a full momentum step first: symplectic Euler, not leapfrog

    def leapfrog(sign: float) -> dict[str, float]:
        q1, p1 = leapfrog_step([v.q], [v.p], lambda q: sign * grad(q), step_size=v.eps)
        return {"q": float(q1[0]), "p": float(p1[0])}

    return {
        "leapfrog": leapfrog(1.0),
        "sign_flipped": leapfrog(-1.0),
        "full_step_first": {"q": v.q + v.eps * momentum, "p": momentum},
        "euler": {"q": v.q + v.eps * v.p, "p": v.p + v.eps * g},  # both from the old point
    }


_STEPS = ("leapfrog", "sign_flipped", "full_step_first", "euler")
_COORD = Number(rtol=1e-3, atol=1e-4)

LEAPFROG_STEP = exercise(
    id="mcmc.leapfrog_step",
    title="One leapfrog step of HMC",
    params={
        "mu": integers(-2, 3),
        "sigma": choice([0.5, 1.0, 1.5, 2.0]),
        "q": Draw(lambda rng: round(float(rng.uniform(-4, 4)), 1), "q in [-4, 4) to one decimal"),
        "p": Draw(lambda rng: round(float(rng.uniform(-2, 2)), 1), "p in [-2, 2) to one decimal"),
        "eps": choice([0.1, 0.2, 0.25, 0.3, 0.5]),
    },
    derive=_leapfrog_derive,
    # The gradient matters (q half a unit from the mean), and every two of the four
    # steps differ clearly (2%) in q or p.
    accept=lambda v: abs(v.q - v.mu) >= 0.5
    and all(vectors_apart(list(v[a].values()), list(v[b].values()), rel=_SEPARATION) for a, b in combinations(_STEPS, 2)),
    prompt=r"""HMC samples the target $\pi = \mathcal N([[ mu ]], [[ sigma ]]^2)$ with unit mass, so $H(q, p) = -\log \pi(q) + p^2/2$. Take **one leapfrog step** of size **ε = [[ eps ]]** from position **q = [[ q ]]** with momentum **p = [[ p ]]**.

Give the new position `q` and momentum `p`.""",
    solve=lambda v: v.leapfrog,
    answer=Record({"q": _COORD, "p": _COORD}),
    misconceptions=[
        mistake(
            "full_step_momentum_first",
            "You took a full momentum step before moving. Leapfrog splits it: half a momentum step, a full position step, then the second half momentum step with the gradient at the new position (that symmetry makes it reversible).",
            lambda v: v.full_step_first,
        ),
        mistake("gradient_sign", "The momentum moves along +∇log π(q) (that is −∇U with U = −log π): the force pulls toward the mode. You used the opposite sign.", lambda v: v.sign_flipped),
        mistake(
            "euler_step",
            "You updated q and p both from the old point (Euler's method). Leapfrog moves q with the half-updated momentum and finishes p with the gradient at the new q; Euler's method drifts off the energy surface.",
            lambda v: v.euler,
        ),
    ],
    **_PAGE,
    link=lambda v: {"target": "gaussian"},
)


# ------------------------------------------------------------------ R-hat and ESS

N_CHAINS, N_DRAWS = 4, 50

#: The convergence rule: R-hat below this.
RHAT_THRESHOLD = 1.01
#: R-hat's tolerance in `mcmc.rhat_ess` (absolute), stated in its prompt.
RHAT_ATOL = 5e-4

#: Which R-hat, for the prompts: core.mcmc.diagnostics.rhat, as arviz.rhat reports it.
RHAT_MEANT = (
    "R-hat is the rank-normalised split R-hat of Vehtari et al. (2021), the larger of its "
    "bulk and folded (tail) versions: the number `arviz.rhat` reports"
)


def _ar1_chains(rng: np.random.Generator, rho: float, offsets: np.ndarray) -> np.ndarray:
    """4 AR(1) chains of 50 draws with stationary N(offset, 1) marginals, 2 decimals."""
    chains = np.empty((N_CHAINS, N_DRAWS))
    chains[:, 0] = rng.standard_normal(N_CHAINS)
    scale = np.sqrt(1 - rho**2)
    for t in range(1, N_DRAWS):
        chains[:, t] = rho * chains[:, t - 1] + scale * rng.standard_normal(N_CHAINS)
    return (chains + offsets[:, None]).round(2)


def _chains_draw(rng: np.random.Generator) -> Params:
    # Half the variants mixed (weakly autocorrelated, R-hat < 1.006), half not (a slower
    # chain set, mostly with one chain shifted; R-hat > 1.014): R-hat clear of the 1.01
    # threshold either way, and the bulk-ESS clearly below the 200 draws. With 50 draws
    # per chain even mixed chains often show R-hat > 1.01, so the class is drawn first
    # and the chains redrawn within it.
    mixed = bool(rng.random() < 0.5)
    while True:
        rho = round(float(rng.uniform(0.15, 0.5) if mixed else rng.uniform(0.1, 0.8)), 2)
        offsets = np.zeros(N_CHAINS)
        if not mixed and rng.random() < 0.7:
            offsets[rng.integers(N_CHAINS)] = round(float(rng.uniform(0.3, 1.5)), 1)
        chains = _ar1_chains(rng, rho, offsets)
        r, ess = rhat(chains), ess_bulk(chains)
        if (r < 1.006 if mixed else r > 1.014) and ess < 0.9 * N_CHAINS * N_DRAWS:
            return {"chains": chains.tolist()}


def _diagnostics(v: Values) -> dict[str, Any]:
    r = rhat(v.chains)
    return {"rhat": r, "ess": ess_bulk(v.chains), "verdict": "converged" if r < RHAT_THRESHOLD else "not converged"}


_CHAINS = f"""Four MCMC chains of {N_DRAWS} draws each of one parameter (rows are chains, in draw order):

```python
chains = [
[% for chain in chains %]
    [[ '[' ]][% for x in chain %][[ x | fmt('.2f') ]][[ ', ' if not loop.last ]][% endfor %]],
[% endfor %]
]
```
"""

_CHAINS_LINK = {"n_chains": N_CHAINS, "n_draws": N_DRAWS}

RHAT_ESS = exercise(
    id="mcmc.rhat_ess",
    title="R-hat and bulk-ESS of four short chains",
    generate=_chains_draw,
    derive=_diagnostics,
    prompt=_CHAINS
    + f"""
Give `rhat` and `ess_bulk`, the bulk effective sample size (`arviz.ess(method="bulk")`). {RHAT_MEANT}. R-hat is graded to within ±{RHAT_ATOL:g} (give four decimals), the ESS to within 1%.""",
    solve=lambda v: {"rhat": v.rhat, "ess_bulk": v.ess},
    answer=Record({"rhat": Number(rtol=0.0, atol=RHAT_ATOL), "ess_bulk": Number(rtol=1e-2)}),
    misconceptions=[
        mistake(
            "counted_draws",
            "That is the number of draws. Successive MCMC draws are correlated, so they are worth fewer independent ones: ESS = S/τ with τ = 1 + 2Σρ_t, the integrated autocorrelation time (shown next to the autocorrelation plot).",
            lambda v: {"ess_bulk": float(N_CHAINS * N_DRAWS)},
        ),
    ],
    **_PAGE,
    link=lambda v: _CHAINS_LINK,
)


CONVERGED = exercise(
    id="mcmc.converged",
    title="Have these chains converged?",
    generate=_chains_draw,
    derive=_diagnostics,
    prompt=_CHAINS
    + f"""
By the current rule, R-hat below {RHAT_THRESHOLD}, have the chains converged? {RHAT_MEANT}; for these chains it is at least 0.004 away from {RHAT_THRESHOLD}. Answer `converged` or `not converged`.""",
    solve=lambda v: v.verdict,
    answer=Choice(("converged", "not converged")),
    misconceptions=[
        mistake(
            "misread_rhat",
            "R-hat compares the spread between chains (and between the halves of each chain) with the spread within them. Below 1.01 they agree; at or above 1.01 at least one chain has not explored the same distribution yet (the old 1.1 rule is too lenient). Compute split R-hat, e.g. arviz.rhat; the page flags R-hat ≥ 1.01.",
            lambda v: "not converged" if v.verdict == "converged" else "converged",
        ),
    ],
    **_PAGE,
    link=lambda v: _CHAINS_LINK,
)


# ------------------------------------------------------------------ which sampler

SAMPLERS = ("rejection", "metropolis", "gibbs", "nuts", "nuts_noncentred")

# Each scenario: its text, the right sampler and the classic wrong choice for it.
_SCENARIOS: dict[str, tuple[str, str, str]] = {
    "correlated_gaussian": (
        "A 2-D posterior that is Gaussian with correlation ρ = [[ rho ]] between the two parameters; its log density and gradient are cheap.",
        "nuts",
        "gibbs",
    ),
    "high_dim_regression": (
        "A logistic-regression posterior over d = [[ dim ]] coefficients; the model is written in an autodiff framework, so ∇log p is available.",
        "nuts",
        "metropolis",
    ),
    "funnel": (
        "A hierarchical model: [[ groups ]] group effects θ_j ~ N(μ, τ²) with τ unknown, only [[ per_group ]] observations per group. The centred posterior has Neal's funnel shape and NUTS on it reports divergences.",
        "nuts_noncentred",
        "nuts",
    ),
    "rejection_high_dim": (
        "A smooth, differentiable posterior in d = [[ dim ]] dimensions. You have a Gaussian proposal that covers it, but the bound M on p/q grows like c^d.",
        "nuts",
        "rejection",
    ),
    "discrete_latent": (
        "A mixture model with [[ groups ]] discrete cluster labels per data point; every full conditional (each label given the rest, the weights given the labels) is a standard distribution.",
        "gibbs",
        "nuts",
    ),
    "one_dim_bounded": (
        "Independent draws from a 1-D Beta([[ a ]], [[ b ]]) density, which is bounded, on an interval, and cheap to evaluate.",
        "rejection",
        "metropolis",
    ),
    "black_box": (
        "A [[ dim ]]-parameter model whose likelihood comes from a compiled simulator: the density can be evaluated but has no gradient.",
        "metropolis",
        "nuts",
    ),
}


def _which_draw(rng: np.random.Generator) -> Params:
    names = sorted(_SCENARIOS)
    scenario = names[int(rng.integers(len(names)))]
    draw: dict[str, Callable[[], Any]] = {
        "rho": lambda: round(float(rng.uniform(0.95, 0.999)), 3),
        "dim": lambda: int(rng.integers(2, 6)) if scenario == "black_box" else int(rng.integers(50, 1001)),
        "groups": lambda: int(rng.integers(5, 50)),
        "per_group": lambda: int(rng.integers(1, 4)),
        "a": lambda: int(rng.integers(2, 10)),
        "b": lambda: int(rng.integers(2, 10)),
    }
    text = _SCENARIOS[scenario][0]
    # Only the numbers this scenario's text uses, drawn in a fixed order.
    return {"scenario": scenario, **{k: f() for k, f in draw.items() if f"[[ {k} ]]" in text}}


def _scenario_link(v: Values) -> dict[str, Any]:
    """The MCMC page's closest target for a scenario (its Gaussian has at most 50 dimensions)."""
    if v.scenario == "correlated_gaussian":
        return {"target": "correlated_gaussian", "rho": v.rho}
    if v.scenario == "funnel":
        return {"target": "funnel"}
    if v.scenario in ("high_dim_regression", "rejection_high_dim"):
        return {"target": "gaussian", "gauss_dim": min(v.dim, 50)}
    if v.scenario == "one_dim_bounded":  # Beta(a, b) itself: a Beta prior with no flips
        return {"target": "beta_binomial", "bb_alpha0": v.a, "bb_beta0": v.b, "bb_heads": 0, "bb_tails": 0}
    return {}


WHICH_SAMPLER = exercise(
    id="mcmc.which_sampler",
    title="Which sampler for which target?",
    generate=_which_draw,
    derive=lambda v: {"text": render(_SCENARIOS[v.scenario][0], v)},
    prompt="""[[ text ]]

Which sampler is the right tool? Answer one of:

- `rejection`: rejection sampling from a proposal with a bound M
- `metropolis`: random-walk Metropolis-Hastings
- `gibbs`: Gibbs sampling from the full conditionals
- `nuts`: HMC / NUTS on the model as written
- `nuts_noncentred`: HMC / NUTS after a non-centred reparameterisation""",
    solve=lambda v: _SCENARIOS[v.scenario][1],
    answer=Choice(SAMPLERS),
    misconceptions=[
        mistake(
            "classic_confusion",
            "That is the classic mismatch for this target: Gibbs crawls when the parameters are strongly correlated; random-walk Metropolis needs a step size shrinking with the dimension and mixes far slower than HMC in hundreds of dimensions; plain NUTS diverges in a funnel's neck (reparameterise: θ_j = μ + τ z_j); rejection sampling's acceptance 1/M collapses exponentially with the dimension; HMC/NUTS need a gradient and continuous parameters; and MCMC is needless when a 1-D bounded density can be sampled exactly. Run the samplers side by side to see it.",
            lambda v: _SCENARIOS[v.scenario][2],
        ),
    ],
    **_PAGE,
    link=_scenario_link,
)

register_exercises = collect(__name__)
