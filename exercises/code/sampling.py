"""Code exercises on sampling: top-p filtering with ties, a self-normalised importance estimate."""

from __future__ import annotations

from typing import Any

import numpy as np

from core.sampling import importance_estimate, top_p_filter
from exercises.code._common import IMPORTS, code_prompt, distribution, rounded
from exercises.sampling import TOKENS, _token_link
from grader import ANY, NONFINITE, Code, checks_from
from grader.authoring import Values, collect, exercise, mistake

_PAGE = {"page": "sampling", "page_title": "Sampling"}

# -- code.top_p_filter -------------------------------------------------------------------

TOP_P = Code(
    function="top_p_filter",
    params=("probs", "p"),
    imports=IMPORTS,
    ready_made=("transformers.TopPLogitsWarper",),
    returns="a numpy array the shape of `probs`",
)


def _top_p_cases(v: Values) -> list[Any]:
    cases: list[Any] = [(f"random probs {i + 1}, p = {p}", [probs, p]) for i, (probs, p) in enumerate(v.cases)]
    return [*cases, ("ties at the top-p cut", [[0.4, 0.2, 0.2, 0.2], 0.5]), ("four equal tokens, p = 0.5", [[0.25, 0.25, 0.25, 0.25], 0.5]), ("one dominant token", [[0.05, 0.9, 0.05], 0.5]), ("p = 1 keeps every token", [[0.1, 0.6, 0.3], 1.0])]


def _top_p(probs: np.ndarray, p: float) -> np.ndarray:
    return top_p_filter(probs, p)


def _top_p_draws(rng: np.random.Generator) -> list[list[Any]]:
    return [[distribution(rng, n), float(rng.integers(3, 10)) / 10] for n in rng.integers(4, len(TOKENS) + 1, size=3).tolist()]


TOP_P_EXERCISE = exercise(
    id="code.top_p_filter",
    title="Top-p (nucleus) filtering, ties included",
    generate=lambda rng: {"cases": _top_p_draws(rng)},
    prompt=code_prompt(
        TOP_P,
        "Nucleus sampling keeps the smallest set of most probable tokens whose total mass is "
        "at least `p`, and renormalises it. Given a 1-D numpy array `probs` (summing to 1) and "
        "`p` in (0, 1], return an array of the same shape: 0 outside the nucleus, the kept "
        "probabilities divided by their sum inside. Go through the tokens from most to least "
        "probable, keeping each while the mass kept before it is still below `p` (the first is "
        "always kept). As in Hugging Face's `TopPLogitsWarper`, among tokens of equal "
        "probability at the cut the later-listed (higher index) are kept.",
    ),
    solve=lambda v: checks_from(_top_p_cases(v), _top_p),
    answer=TOP_P,
    **_PAGE,
    link=lambda v: _token_link(v.cases[0][0]),
    misconceptions=[
        mistake(
            "not_renormalised",
            "The right tokens are kept, but their probabilities are not renormalised: the "
            "filtered vector must sum to 1.",
            lambda v: checks_from(_top_p_cases(v), lambda probs, p: np.where(_top_p(probs, p) > 0, probs, 0.0)),
        ),
        mistake(
            "ties_earlier_kept",
            "Where tokens tie at the cut you keep the earlier-listed ones; Hugging Face sorts "
            "ascending and removes from the low end, so the later-listed are kept.",
            lambda v: checks_from(_top_p_cases(v), lambda probs, p: _top_p(probs[::-1], p)[::-1]),
        ),
    ],
    reveal="never",
)


# -- code.importance_estimate ---------------------------------------------------------------

IMPORTANCE = Code(
    function="self_normalised_estimate",
    params=("f_values", "log_p", "log_q"),
    imports=IMPORTS,
    returns="a float",
)

#: Above this log weight exp overflows float64 (log of the largest double is about 709.8).
_OVERFLOW = 700.0


def _importance_cases(v: Values) -> list[Any]:
    cases: list[Any] = [(f"random draws {i + 1}", list(case)) for i, case in enumerate(v.cases)]
    f, lq = [1.0, 2.0, 4.0], [-1.0, -2.0, -0.5]
    return [*cases, ("log weights near 1000", [f, [999.0, 998.0, 999.5], lq]), ("a draw with log_p = -inf", [f, [-1.0, "-inf", -0.5], lq]), ("one draw", [[2.5], [-3.0], [-1.0]])]


def _shifted(f: np.ndarray, log_p: np.ndarray, log_q: np.ndarray) -> float:
    """core's self-normalised estimate; the ratio is unchanged by a shift of log_p, so shift
    it to keep core's weights finite."""
    finite = np.isfinite(log_p)
    shift = float(np.max(log_p[finite] - log_q[finite]))
    return importance_estimate(f, log_p - shift, log_q).self_normalised


def _plain(f: np.ndarray, log_p: np.ndarray, log_q: np.ndarray) -> Any:
    if np.max(log_p - log_q) > _OVERFLOW:
        return ANY
    return importance_estimate(f, log_p, log_q).estimate


def _inverted(f: np.ndarray, log_p: np.ndarray, log_q: np.ndarray) -> Any:
    if not np.isfinite(log_p).all():
        return ANY
    return _shifted(f, log_q, log_p)


def _importance_draws(rng: np.random.Generator) -> list[list[list[float]]]:
    draws = []
    for n in rng.integers(4, 8, size=3).tolist():
        draws.append([rounded(rng, -2, 3, n), rounded(rng, -4, -0.5, n), rounded(rng, -4, -0.5, n)])
    return draws


IMPORTANCE_EXERCISE = exercise(
    id="code.importance_estimate",
    title="A self-normalised importance-sampling estimate",
    generate=lambda rng: {"cases": _importance_draws(rng)},
    prompt=code_prompt(
        IMPORTANCE,
        "Draws $x_i \\sim q$ came with `f_values` $f(x_i)$, `log_p` $\\log p(x_i)$ and "
        "`log_q` $\\log q(x_i)$ (1-D numpy arrays of one length; $p$ may be known only up to a "
        "constant, and `log_p` may be `-inf`). Return the self-normalised estimate of "
        "$E_p[f]$: $\\sum_i w_i f_i / \\sum_i w_i$ with $w_i = p(x_i)/q(x_i)$. It must stay "
        "finite when the log weights are near 1000, where $e^{\\log w}$ overflows.",
    ),
    solve=lambda v: checks_from(_importance_cases(v), _shifted),
    answer=IMPORTANCE,
    **_PAGE,
    misconceptions=[
        mistake(
            "plain_estimate",
            "You computed the plain estimate, the mean of w·f, which needs p normalised; the "
            "self-normalised one divides Σ w f by Σ w instead of by the number of draws.",
            lambda v: checks_from(_importance_cases(v), _plain),
        ),
        mistake(
            "weights_inverted",
            "Your weights are q/p; importance weights are p/q (target over proposal).",
            lambda v: checks_from(_importance_cases(v), _inverted),
        ),
        mistake(
            "weight_overflow",
            "With log weights near 1000 your estimate is inf or nan: e^1000 overflows float64. "
            "The ratio does not change if every log weight is shifted by the same constant.",
            lambda v: checks_from(
                _importance_cases(v), lambda f, lp, lq: NONFINITE if np.max(lp - lq) > _OVERFLOW else ANY
            ),
        ),
    ],
    reveal="never",
)

register_exercises = collect(__name__)
