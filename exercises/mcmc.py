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
from grader import Choice, DashboardLink, Exercise, Misconception, Number, Params, Record, hookimpl


def _apart(values: list[float], rel: float = 0.02) -> bool:
    """True when every pair differs by more than ``rel`` relative (and 1e-3 absolute)."""
    return all(
        abs(a - b) > max(1e-3, rel * max(abs(a), abs(b))) for a, b in combinations(values, 2)
    )


def _points_apart(points: list[tuple[float, ...]], rel: float = 0.02) -> bool:
    """True when every pair of points differs clearly in at least one coordinate."""
    return all(
        any(_apart([x, y], rel) for x, y in zip(a, b, strict=True)) for a, b in combinations(points, 2)
    )


# ------------------------------------------------------------------ MH, symmetric proposal


@lru_cache(maxsize=64)  # building scipy's frozen normal dominates; few distinct scales
def _standard(sd: float) -> Gaussian:
    return Gaussian(0.0, sd)


def _log_gauss(x: float, mu: float, sd: float) -> float:
    """log N(x; mu, sd²)."""
    return float(_standard(sd).logpdf(x - mu))


def _mh_symmetric(p: Params, *, sd: float | None = None) -> float:
    return _cached_mh_symmetric(p["mu"], p["sigma"] if sd is None else sd, p["x"], p["x_new"])


@lru_cache(maxsize=1024)  # grading re-solves each variant once per misconception
def _cached_mh_symmetric(mu: float, sd: float, x: float, x_new: float) -> float:
    return mh_acceptance_probability(_log_gauss(x, mu, sd), _log_gauss(x_new, mu, sd))


def _mh_symmetric_params(rng: np.random.Generator) -> Params:
    # A downhill proposal (so the answer is the ratio itself, not the cap 1), the ratio
    # not tiny, and the ratio, its inverse and the σ-for-σ² version told apart.
    while True:
        params = {
            "mu": int(rng.integers(-3, 4)),
            "sigma": float(rng.choice([0.5, 0.8, 1.5, 2.0, 2.5, 3.0])),
            "x": round(float(rng.normal(0, 3)), 1),
            "x_new": round(float(rng.normal(0, 3)), 1),
        }
        alpha = _mh_symmetric(params)
        wrong_scale = _mh_symmetric(params, sd=float(np.sqrt(params["sigma"])))
        if 0.02 < alpha < 0.95 and _apart([alpha, 1 / alpha, wrong_scale]):
            return params


MH_SYMMETRIC = Exercise(
    id="mcmc.mh_acceptance_symmetric",
    title="Metropolis acceptance probability (symmetric proposal)",
    generate=_mh_symmetric_params,
    prompt=lambda p: (
        "A random-walk Metropolis sampler targets the density known up to a constant\n\n"
        f"$$\\pi(x) \\propto \\exp\\left(-\\frac{{(x - ({p['mu']}))^2}}{{2 \\cdot {p['sigma']}^2}}\\right)$$\n\n"
        "with a symmetric Gaussian proposal $x' = x + \\varepsilon$, "
        "$\\varepsilon \\sim \\mathcal N(0, s^2)$.\n\n"
        f"The chain is at **x = {p['x']}** and proposes **x′ = {p['x_new']}**. With what "
        "probability is the proposal accepted?"
    ),
    solve=_mh_symmetric,
    answer=Number(rtol=1e-3, atol=1e-5),
    misconceptions=(
        Misconception(
            "inverted_ratio",
            "You divided π(x) by π(x′). The acceptance probability is "
            "min(1, π(x′)/π(x)): a move to lower density is accepted with probability "
            "below 1, never above. The MCMC page shows Metropolis' acceptance rate.",
            lambda p: 1 / _mh_symmetric(p),
        ),
        Misconception(
            "sigma_for_variance",
            "You put σ where σ² belongs in the exponent: the density is "
            "exp(−(x − μ)²/(2σ²)), with the variance σ².",
            lambda p: _mh_symmetric(p, sd=float(np.sqrt(p["sigma"]))),
        ),
    ),
    dashboard=DashboardLink("mcmc", lambda p: {"target": "gaussian"}),
)


# ------------------------------------------------------------------ MH, Hastings correction


def _log_gamma_target(x: float, k: int) -> float:
    """log of x^(k−1) e^(−x): a Gamma(k, 1) density up to its constant."""
    return (k - 1) * float(np.log(x)) - x


def _log_q(to: float, frm: float, s: float) -> float:
    """log density of the log-normal random walk: log x′ ~ N(log x, s²), in x′."""
    return _log_gauss(float(np.log(to)), float(np.log(frm)), s) - float(np.log(to))


def _mh_hastings(p: Params, *, correction: str = "right") -> float:
    return _cached_mh_hastings(p["x"], p["x_new"], p["k"], p["s"], correction)


@lru_cache(maxsize=1024)
def _cached_mh_hastings(x: float, y: float, k: int, s: float, correction: str) -> float:
    forward, backward = _log_q(y, x, s), _log_q(x, y, s)
    if correction == "none":
        forward = backward = 0.0
    elif correction == "inverted":
        forward, backward = backward, forward
    return mh_acceptance_probability(
        _log_gamma_target(x, k), _log_gamma_target(y, k), log_q_forward=forward, log_q_backward=backward
    )


def _mh_hastings_params(rng: np.random.Generator) -> Params:
    # The right answer below 1 and the answers without / with an inverted correction told
    # apart from it and from each other.
    while True:
        x = round(float(rng.uniform(0.3, 6.0)), 1)
        s = float(rng.choice([0.3, 0.5, 0.8]))
        x_new = round(float(x * np.exp(s * rng.standard_normal())), 2)
        if not 0.05 <= x_new <= 20:
            continue
        params = {"k": int(rng.integers(2, 6)), "s": s, "x": x, "x_new": x_new}
        values = [_mh_hastings(params, correction=c) for c in ("right", "none", "inverted")]
        if 0.02 < values[0] < 0.97 and _apart(values):
            return params


MH_HASTINGS = Exercise(
    id="mcmc.mh_acceptance_hastings",
    title="Metropolis-Hastings acceptance with an asymmetric proposal",
    generate=_mh_hastings_params,
    prompt=lambda p: (
        "A Metropolis-Hastings sampler targets a positive quantity with density known up "
        f"to a constant, $\\pi(x) \\propto x^{{{p['k'] - 1}}} e^{{-x}}$ for x > 0 "
        f"(a Gamma({p['k']}, 1)). It proposes multiplicatively: "
        f"$\\log x' = \\log x + {p['s']}\\,Z$, $Z \\sim \\mathcal N(0, 1)$, so "
        "$q(x' \\mid x)$ is a log-normal density in x′ and the proposal is **not** "
        "symmetric.\n\n"
        f"The chain is at **x = {p['x']}** and proposes **x′ = {p['x_new']}**. With what "
        "probability is the proposal accepted?"
    ),
    solve=_mh_hastings,
    answer=Number(rtol=1e-3, atol=1e-5),
    misconceptions=(
        Misconception(
            "no_hastings_correction",
            "You used min(1, π(x′)/π(x)), the Metropolis rule for symmetric proposals. "
            "With an asymmetric proposal multiply by the Hastings correction "
            "q(x | x′)/q(x′ | x) (here x′/x), or the chain samples the wrong distribution (on the MCMC page, compare its marginals with the truth).",
            lambda p: _mh_hastings(p, correction="none"),
        ),
        Misconception(
            "hastings_inverted",
            "You multiplied by q(x′ | x)/q(x | x′). The Hastings correction is the density "
            "of proposing the way back over the density of the move made: "
            "q(x | x′)/q(x′ | x).",
            lambda p: _mh_hastings(p, correction="inverted"),
        ),
    ),
    dashboard=DashboardLink("mcmc"),
)


# ------------------------------------------------------------------ one leapfrog step


def _grad(p: Params) -> Callable[[np.ndarray], np.ndarray]:
    """∇ log π of N(mu, sigma²) in one dimension, from core's Gaussian target."""
    target = gaussian(1, scales=[p["sigma"]])
    return lambda q: np.asarray(target.logp_grad(np.asarray(q) - p["mu"])[1])


def _leapfrog(p: Params, *, sign: float = 1.0) -> dict[str, float]:
    grad = _grad(p)
    q1, p1 = leapfrog_step([p["q"]], [p["p"]], lambda q: sign * grad(q), step_size=p["eps"])
    return {"q": float(q1[0]), "p": float(p1[0])}


def _full_step_first(p: Params) -> dict[str, float]:
    """A full momentum step, then a full position step (symplectic Euler, not leapfrog)."""
    momentum = p["p"] + p["eps"] * float(_grad(p)(np.array([p["q"]]))[0])
    return {"q": p["q"] + p["eps"] * momentum, "p": momentum}


def _euler(p: Params) -> dict[str, float]:
    """Plain Euler: both updates from the old point."""
    g = float(_grad(p)(np.array([p["q"]]))[0])
    return {"q": p["q"] + p["eps"] * p["p"], "p": p["p"] + p["eps"] * g}


def _leapfrog_params(rng: np.random.Generator) -> Params:
    while True:
        params = {
            "mu": int(rng.integers(-2, 3)),
            "sigma": float(rng.choice([0.5, 1.0, 1.5, 2.0])),
            "q": round(float(rng.uniform(-4, 4)), 1),
            "p": round(float(rng.uniform(-2, 2)), 1),
            "eps": float(rng.choice([0.1, 0.2, 0.25, 0.3, 0.5])),
        }
        if abs(params["q"] - params["mu"]) < 0.5:  # the gradient must matter
            continue
        points = [
            tuple(f(params).values())
            for f in (_leapfrog, lambda x: _leapfrog(x, sign=-1.0), _full_step_first, _euler)
        ]
        if _points_apart(points):
            return params


LEAPFROG_STEP = Exercise(
    id="mcmc.leapfrog_step",
    title="One leapfrog step of HMC",
    generate=_leapfrog_params,
    prompt=lambda p: (
        f"HMC samples the target $\\pi = \\mathcal N({p['mu']}, {p['sigma']}^2)$ with unit "
        "mass, so $H(q, p) = -\\log \\pi(q) + p^2/2$. Take **one leapfrog step** of size "
        f"**ε = {p['eps']}** from position **q = {p['q']}** with momentum **p = {p['p']}**.\n\n"
        "Give the new position `q` and momentum `p`."
    ),
    solve=_leapfrog,
    answer=Record({"q": Number(rtol=1e-3, atol=1e-4), "p": Number(rtol=1e-3, atol=1e-4)}),
    misconceptions=(
        Misconception(
            "full_step_momentum_first",
            "You took a full momentum step before moving. Leapfrog splits it: half a "
            "momentum step, a full position step, then the second half momentum step "
            "with the gradient at the new position (that symmetry makes it reversible). The MCMC page runs HMC with L leapfrog steps.",
            _full_step_first,
        ),
        Misconception(
            "gradient_sign",
            "The momentum moves along +∇log π(q) (that is −∇U with U = −log π): the "
            "force pulls toward the mode. You used the opposite sign.",
            lambda p: _leapfrog(p, sign=-1.0),
        ),
        Misconception(
            "euler_step",
            "You updated q and p both from the old point (Euler's method). Leapfrog "
            "moves q with the half-updated momentum and finishes p with the gradient at "
            "the new q; Euler's method drifts off the energy surface.",
            _euler,
        ),
    ),
    dashboard=DashboardLink("mcmc", lambda p: {"target": "gaussian"}),
)


# ------------------------------------------------------------------ R-hat and ESS

N_CHAINS, N_DRAWS = 4, 50


def _ar1_chains(rng: np.random.Generator, rho: float, offsets: np.ndarray) -> np.ndarray:
    """4 AR(1) chains of 50 draws with stationary N(offset, 1) marginals, 2 decimals."""
    chains = np.empty((N_CHAINS, N_DRAWS))
    chains[:, 0] = rng.standard_normal(N_CHAINS)
    scale = np.sqrt(1 - rho**2)
    for t in range(1, N_DRAWS):
        chains[:, t] = rho * chains[:, t - 1] + scale * rng.standard_normal(N_CHAINS)
    return (chains + offsets[:, None]).round(2)


def _chains_params(rng: np.random.Generator) -> Params:
    # Half the variants mixed (weakly autocorrelated, R-hat < 1.006), half not (a slower
    # chain set, mostly with one chain shifted; R-hat > 1.014): R-hat clear of the 1.01
    # threshold either way, and the bulk-ESS clearly below the 200 draws. With 50 draws
    # per chain even mixed chains often show R-hat > 1.01, so the class is drawn first.
    mixed = bool(rng.random() < 0.5)
    while True:
        rho = round(float(rng.uniform(0.15, 0.5) if mixed else rng.uniform(0.1, 0.8)), 2)
        offsets = np.zeros(N_CHAINS)
        if not mixed and rng.random() < 0.7:
            offsets[rng.integers(N_CHAINS)] = round(float(rng.uniform(0.3, 1.5)), 1)
        chains = _ar1_chains(rng, rho, offsets)
        r, ess = _cached_diagnostics(tuple(map(tuple, chains.tolist())))
        if (r < 1.006 if mixed else r > 1.014) and ess < 0.9 * N_CHAINS * N_DRAWS:
            return {"chains": chains.tolist()}


def _diagnostics(p: Params) -> tuple[float, float]:
    """(split R-hat, bulk-ESS) of the variant's chains."""
    return _cached_diagnostics(tuple(tuple(chain) for chain in p["chains"]))


@lru_cache(maxsize=1024)  # grading re-solves each variant once per misconception
def _cached_diagnostics(chains: tuple[tuple[float, ...], ...]) -> tuple[float, float]:
    return rhat(chains), ess_bulk(chains)


def _chains_block(p: Params) -> str:
    rows = ",\n".join("    [" + ", ".join(f"{x:.2f}" for x in chain) + "]" for chain in p["chains"])
    return f"```python\nchains = [\n{rows},\n]\n```"


RHAT_ESS = Exercise(
    id="mcmc.rhat_ess",
    title="R-hat and bulk-ESS of four short chains",
    generate=_chains_params,
    prompt=lambda p: (
        f"Four MCMC chains of {N_DRAWS} draws each of one parameter (rows are chains, in "
        f"draw order):\n\n{_chains_block(p)}\n\n"
        "Give `rhat`, the rank-normalised split R-hat (Vehtari et al. 2021, what "
        "`arviz.rhat` reports), and `ess_bulk`, the bulk effective sample size "
        "(`arviz.ess(method=\"bulk\")`)."
    ),
    solve=lambda p: dict(zip(("rhat", "ess_bulk"), _diagnostics(p), strict=True)),
    answer=Record({"rhat": Number(rtol=0.0, atol=5e-4), "ess_bulk": Number(rtol=1e-2)}),
    misconceptions=(
        Misconception(
            "counted_draws",
            "That is the number of draws. Successive MCMC draws are correlated, so they "
            "are worth fewer independent ones: ESS = S/τ with τ = 1 + 2Σρ_t, the "
            "integrated autocorrelation time. The MCMC page shows ESS next to the autocorrelation plot.",
            lambda p: {"ess_bulk": float(N_CHAINS * N_DRAWS)},
        ),
    ),
    dashboard=DashboardLink("mcmc", lambda p: {"n_chains": N_CHAINS, "n_draws": N_DRAWS}),
)


def _verdict(p: Params) -> str:
    return "converged" if _diagnostics(p)[0] < 1.01 else "not converged"


CONVERGED = Exercise(
    id="mcmc.converged",
    title="Have these chains converged?",
    generate=_chains_params,
    prompt=lambda p: (
        f"Four MCMC chains of {N_DRAWS} draws each of one parameter (rows are chains, in "
        f"draw order):\n\n{_chains_block(p)}\n\n"
        "By the current rule (rank-normalised split R-hat below 1.01, Vehtari et al. "
        "2021), have the chains converged? Answer `converged` or `not converged`."
    ),
    solve=_verdict,
    answer=Choice(("converged", "not converged")),
    misconceptions=(
        Misconception(
            "misread_rhat",
            "R-hat compares the spread between chains (and between the halves of each "
            "chain) with the spread within them. Below 1.01 they agree; at or above "
            "1.01 at least one chain has not explored the same distribution yet (the "
            "old 1.1 rule is too lenient). Compute split R-hat, e.g. arviz.rhat; the MCMC page flags R-hat ≥ 1.01.",
            lambda p: "not converged" if _verdict(p) == "converged" else "converged",
        ),
    ),
    dashboard=DashboardLink("mcmc", lambda p: {"n_chains": N_CHAINS, "n_draws": N_DRAWS}),
)


# ------------------------------------------------------------------ which sampler

SAMPLERS = ("rejection", "metropolis", "gibbs", "nuts", "nuts_noncentred")

_SAMPLER_LIST = (
    "- `rejection`: rejection sampling from a proposal with a bound M\n"
    "- `metropolis`: random-walk Metropolis-Hastings\n"
    "- `gibbs`: Gibbs sampling from the full conditionals\n"
    "- `nuts`: HMC / NUTS on the model as written\n"
    "- `nuts_noncentred`: HMC / NUTS after a non-centred reparameterisation"
)

# Each scenario: its text (formatted with the drawn numbers), the right sampler and the
# classic wrong choice for it.
_SCENARIOS: dict[str, tuple[str, str, str]] = {
    "correlated_gaussian": (
        "A 2-D posterior that is Gaussian with correlation ρ = {rho} between the two "
        "parameters; its log density and gradient are cheap.",
        "nuts",
        "gibbs",
    ),
    "high_dim_regression": (
        "A logistic-regression posterior over d = {dim} coefficients; the model is "
        "written in an autodiff framework, so ∇log p is available.",
        "nuts",
        "metropolis",
    ),
    "funnel": (
        "A hierarchical model: {groups} group effects θ_j ~ N(μ, τ²) with τ unknown, "
        "only {per_group} observations per group. The centred posterior has Neal's funnel "
        "shape and NUTS on it reports divergences.",
        "nuts_noncentred",
        "nuts",
    ),
    "rejection_high_dim": (
        "A smooth, differentiable posterior in d = {dim} dimensions. You have a Gaussian "
        "proposal that covers it, but the bound M on p/q grows like c^d.",
        "nuts",
        "rejection",
    ),
    "discrete_latent": (
        "A mixture model with {groups} discrete cluster labels per data point; every full "
        "conditional (each label given the rest, the weights given the labels) is a "
        "standard distribution.",
        "gibbs",
        "nuts",
    ),
    "one_dim_bounded": (
        "Independent draws from a 1-D Beta({a}, {b}) density, which is bounded, on an "
        "interval, and cheap to evaluate.",
        "rejection",
        "metropolis",
    ),
    "black_box": (
        "A {dim}-parameter model whose likelihood comes from a compiled simulator: the "
        "density can be evaluated but has no gradient.",
        "metropolis",
        "nuts",
    ),
}


def _which_params(rng: np.random.Generator) -> Params:
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
    return {"scenario": scenario, **{k: f() for k, f in draw.items() if "{" + k + "}" in text}}


def _scenario_link(p: Params) -> dict[str, Any]:
    """The MCMC page's closest target for a scenario (its Gaussian has at most 50 dimensions)."""
    scenario = p["scenario"]
    if scenario == "correlated_gaussian":
        return {"target": "correlated_gaussian", "rho": p["rho"]}
    if scenario == "funnel":
        return {"target": "funnel"}
    if scenario in ("high_dim_regression", "rejection_high_dim"):
        return {"target": "gaussian", "gauss_dim": min(p["dim"], 50)}
    if scenario == "one_dim_bounded":  # Beta(a, b) itself: a Beta prior with no flips
        return {"target": "beta_binomial", "bb_alpha0": p["a"], "bb_beta0": p["b"], "bb_heads": 0, "bb_tails": 0}
    return {}


WHICH_SAMPLER = Exercise(
    id="mcmc.which_sampler",
    title="Which sampler for which target?",
    generate=_which_params,
    prompt=lambda p: (
        f"{_SCENARIOS[p['scenario']][0].format_map(p)}\n\nWhich sampler is the right tool? "
        f"Answer one of:\n\n{_SAMPLER_LIST}"
    ),
    solve=lambda p: _SCENARIOS[p["scenario"]][1],
    answer=Choice(SAMPLERS),
    misconceptions=(
        Misconception(
            "classic_confusion",
            "That is the classic mismatch for this target: Gibbs crawls when the "
            "parameters are strongly correlated; random-walk Metropolis needs a step "
            "size shrinking with the dimension and mixes far slower than HMC in hundreds "
            "of dimensions; plain NUTS diverges in a funnel's neck (reparameterise: "
            "θ_j = μ + τ z_j); rejection sampling's acceptance 1/M collapses "
            "exponentially with the dimension; HMC/NUTS need a gradient and continuous "
            "parameters; and MCMC is needless when a 1-D bounded density can be sampled "
            "exactly. Run the samplers side by side on the MCMC page to see it.",
            lambda p: _SCENARIOS[p["scenario"]][2],
        ),
    ),
    dashboard=DashboardLink("mcmc", lambda p: _scenario_link(p)),
)


ALL = (MH_SYMMETRIC, MH_HASTINGS, LEAPFROG_STEP, RHAT_ESS, CONVERGED, WHICH_SAMPLER)


@hookimpl
def register_exercises(register: Callable[[Exercise], None]) -> None:
    for exercise in ALL:
        register(exercise)
