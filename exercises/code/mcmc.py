"""Code exercises on MCMC: leapfrog steps of Hamiltonian dynamics, one Metropolis step."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from core.mcmc.hmc import leapfrog_step
from core.mcmc.metropolis import mh_acceptance_probability
from exercises.code._common import IMPORTS, code_prompt, rounded
from grader import Code, checks_from
from grader.authoring import Values, collect, exercise, mistake

_PAGE = {"page": "mcmc", "page_title": "MCMC samplers"}

Gradient = Callable[[np.ndarray], np.ndarray]


def _target(mean: list[float], precision: list[list[float]], part: str) -> dict[str, Any]:
    """The harness's spec of a Gaussian target's log density or its gradient."""
    return {"$gaussian": {"mean": mean, "precision": precision}, "$part": part}


def _precision(rng: np.random.Generator) -> list[list[float]]:
    """A 2x2 precision matrix with a correlation, positive definite."""
    a, c = (float(x) for x in rng.integers(5, 21, size=2) / 10)
    b = float(rng.integers(-4, 5)) / 10 * min(a, c)
    return [[a, b], [b, c]]


# -- code.leapfrog ------------------------------------------------------------------------

LEAPFROG = Code(
    function="leapfrog",
    params=("q", "p", "grad_log_density", "step_size", "n_steps"),
    imports=IMPORTS,
    returns="the new `(q, p)`, a tuple of two numpy arrays",
)


def _leapfrog_cases(v: Values) -> list[Any]:
    cases: list[Any] = [
        (f"random start {i + 1}", [c["q"], c["p"], _target(c["mean"], c["precision"], "grad_log_density"),
                                   c["step_size"], c["n_steps"]])
        for i, c in enumerate(v.cases)
    ]
    standard = _target([0.0], [[1.0]], "grad_log_density")
    return [*cases, ("one step on a standard normal", [[1.0], [0.0], standard, 0.5, 1]), ("n_steps = 0", [[0.3, -0.2], [1.0, 0.5], _target([0.0, 0.0], [[1.0, 0.0], [0.0, 1.0]], "grad_log_density"), 0.1, 0])]


def _leapfrog(q: np.ndarray, p: np.ndarray, grad: Gradient, step_size: float, n_steps: int) -> list[Any]:
    for _ in range(n_steps):
        q, p = leapfrog_step(q, p, grad, step_size=step_size)
    return [q, p]


def _euler(q: np.ndarray, p: np.ndarray, grad: Gradient, step_size: float, n_steps: int) -> list[Any]:
    for _ in range(n_steps):
        p = p + step_size * grad(q)
        q = q + step_size * p
    return [q, p]


def _leapfrog_draws(rng: np.random.Generator) -> list[dict[str, Any]]:
    return [
        {
            "q": rounded(rng, -2, 2, 2),
            "p": rounded(rng, -2, 2, 2),
            "mean": rounded(rng, -1, 1, 2, 1),
            "precision": _precision(rng),
            "step_size": float(rng.integers(5, 31)) / 100,
            "n_steps": int(rng.integers(2, 11)),
        }
        for _ in range(2)
    ]


LEAPFROG_EXERCISE = exercise(
    id="code.leapfrog",
    title="Leapfrog steps of Hamiltonian Monte Carlo",
    generate=lambda rng: {"cases": _leapfrog_draws(rng)},
    prompt=code_prompt(
        LEAPFROG,
        "Hamiltonian Monte Carlo moves a position `q` with a momentum `p` (1-D numpy arrays of "
        "one length) by leapfrog steps of size $\\varepsilon$ = `step_size`, with an identity "
        "mass matrix. One step is: half a momentum step "
        "$p \\leftarrow p + \\tfrac{\\varepsilon}{2} \\nabla \\log \\pi(q)$, a full position step "
        "$q \\leftarrow q + \\varepsilon p$, and another half momentum step with the new $q$. "
        "`grad_log_density(q)` returns $\\nabla \\log \\pi(q)$. Take `n_steps` steps (possibly 0) "
        "and return the final `(q, p)`.",
    ),
    solve=lambda v: checks_from(_leapfrog_cases(v), _leapfrog),
    answer=LEAPFROG,
    **_PAGE,
    link=lambda v: {"target": "gaussian"},
    misconceptions=[
        mistake(
            "gradient_sign",
            "Your momentum moves against the gradient of the log density, as if it were the "
            "gradient of the potential energy U = -log π: the kicks must be p + (ε/2)∇log π(q).",
            lambda v: checks_from(
                _leapfrog_cases(v), lambda q, p, g, eps, n: _leapfrog(q, p, lambda x: -g(x), eps, n)
            ),
        ),
        mistake(
            "euler_steps",
            "Your steps are full momentum steps followed by full position steps (symplectic "
            "Euler); leapfrog splits the momentum step into two halves around the position step.",
            lambda v: checks_from(_leapfrog_cases(v), _euler),
        ),
    ],
    reveal="never",
)


# -- code.metropolis_step ---------------------------------------------------------------------

METROPOLIS = Code(
    function="metropolis_step",
    params=("x", "log_density", "proposal_scale", "rng"),
    imports=IMPORTS,
    returns="`(x_next, accepted)`: a numpy array and a bool",
)

LogDensity = Callable[[np.ndarray], float]


def _metropolis_cases(v: Values) -> list[Any]:
    density = _target(v.mean, v.precision, "log_density")
    cases: list[Any] = [
        (f"random step {i + 1}", [x, density, v.scale, {"$rng": seed}])
        for i, (x, seed) in enumerate(zip(v.starts, v.seeds, strict=True))
    ]
    far = [m + 6.0 for m in v.mean]
    return [*cases, ("far in the tail", [far, density, v.scale, {"$rng": v.seeds[0]}]), ("a tiny proposal scale", [v.starts[0], density, 1e-09, {"$rng": v.seeds[1]}])]


def _step(x: np.ndarray, log_density: LogDensity, scale: float, rng: np.random.Generator,
          accept: Callable[[float, float, float], bool]) -> list[Any]:
    proposal = x + scale * rng.standard_normal(x.shape)
    u = rng.random()
    accepted = accept(u, log_density(x), log_density(proposal))
    return [proposal if accepted else x, accepted]


def _metropolis(x: np.ndarray, log_density: LogDensity, scale: float, rng: np.random.Generator) -> list[Any]:
    return _step(x, log_density, scale, rng, lambda u, now, new: u < mh_acceptance_probability(now, new))


def _metropolis_draws(rng: np.random.Generator) -> dict[str, Any]:
    return {
        "mean": rounded(rng, -1, 1, 2, 1),
        "precision": _precision(rng),
        "scale": float(rng.integers(5, 21)) / 10,
        "starts": [rounded(rng, -2, 2, 2) for _ in range(4)],
        "seeds": rng.integers(0, 2**31, size=4).tolist(),
    }


METROPOLIS_EXERCISE = exercise(
    id="code.metropolis_step",
    title="One random-walk Metropolis step",
    generate=_metropolis_draws,
    prompt=code_prompt(
        METROPOLIS,
        "Take one random-walk Metropolis step from `x` (a 1-D numpy array) for the target "
        "density π, given by `log_density(x)` (log π up to a constant). Use the generator "
        "`rng` exactly twice, in this order: propose "
        "`x_new = x + proposal_scale * rng.standard_normal(x.shape)` (the same draws as "
        "`rng.normal(x, proposal_scale)`), then draw `u = rng.random()` (or `rng.uniform()`) "
        "and accept when $u < \\min(1, \\pi(x_{new}) / \\pi(x))$. Return `(x_next, accepted)`: "
        "`x_new` and `True` if accepted, otherwise `x` and `False`.",
    ),
    solve=lambda v: checks_from(_metropolis_cases(v), _metropolis),
    answer=METROPOLIS,
    **_PAGE,
    link=lambda v: {"target": "gaussian"},
    misconceptions=[
        mistake(
            "always_accepted",
            "Your step accepts every proposal; a proposal must be accepted only with probability "
            "min(1, π(x_new)/π(x)), otherwise the chain stays at x.",
            lambda v: checks_from(
                _metropolis_cases(v), lambda x, ld, s, rng: _step(x, ld, s, rng, lambda u, now, new: True)
            ),
        ),
        mistake(
            "ratio_reversed",
            "Your acceptance ratio is upside down: it is π(x_new)/π(x), so moves toward higher "
            "density are always accepted.",
            lambda v: checks_from(
                _metropolis_cases(v),
                lambda x, ld, s, rng: _step(x, ld, s, rng, lambda u, now, new: u < mh_acceptance_probability(new, now)),
            ),
        ),
        mistake(
            "uphill_only",
            "Your step accepts only moves to a higher density; a downhill move must still be "
            "accepted with probability π(x_new)/π(x), or the chain never explores the tails.",
            lambda v: checks_from(
                _metropolis_cases(v), lambda x, ld, s, rng: _step(x, ld, s, rng, lambda u, now, new: new >= now)
            ),
        ),
    ],
    reveal="never",
)

register_exercises = collect(__name__)
