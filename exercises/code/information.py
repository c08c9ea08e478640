"""Code exercises on information: a stable log-softmax, entropy with a base, KL with zeros."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from core.information import cross_entropy_from_logits, entropy, kl_divergence
from exercises._params import joined
from exercises.code._common import IMPORTS, code_prompt, distribution, rounded
from exercises.sampling import TOKENS
from grader import ANY, NONFINITE, Code, checks_from
from grader.authoring import Values, collect, exercise, mistake


def _entropy_page(p_logits: list[float], q_logits: list[float] | None = None) -> dict[str, object]:
    """The Entropy & perplexity page with P (and Q) given by their logits: the problem's inputs."""
    q_logits = p_logits if q_logits is None else q_logits
    return {
        "tokens": joined(TOKENS[: len(p_logits)]),
        "p_logits": joined(f"{z:.6f}" for z in p_logits),
        "q_logits": joined(f"{z:.6f}" for z in q_logits),
        "temperature": 1.0,
        "unit": "nats",
    }


_PAGE = {"page": "entropy", "page_title": "Entropy & perplexity"}


def _log_softmax(z: np.ndarray) -> np.ndarray:
    """log softmax(z) with core: minus the cross-entropy of each class as the target."""
    rows = np.tile(z, (z.size, 1))
    return -np.asarray(cross_entropy_from_logits(rows, np.arange(z.size), reduction="none"))


# -- code.log_softmax ------------------------------------------------------------------

LOG_SOFTMAX = Code(
    function="log_softmax",
    params=("logits",),
    imports=IMPORTS,
    ready_made=("scipy.special.log_softmax", "torch.nn.functional.log_softmax", "torch.log_softmax"),
    returns="a numpy array of log-probabilities, the shape of `logits`",
)


def _softmax_cases(v: Values) -> list[Any]:
    cases: list[Any] = [(f"random logits {i + 1}", [z]) for i, z in enumerate(v.logits)]
    return [*cases, ("logits of ±1e4", [[10000.0, 10000.0 - 1.0, -10000.0]]), ("equal logits", [[2.0, 2.0, 2.0, 2.0]]), ("one logit", [[3.0]])]


def _naive_softmax(z: np.ndarray) -> Any:
    return NONFINITE if np.abs(z).max() > 700 else ANY


LOG_SOFTMAX_EXERCISE = exercise(
    id="code.log_softmax",
    title="A numerically stable log-softmax",
    generate=lambda rng: {"logits": [rounded(rng, -5, 5, int(n)) for n in rng.integers(3, 7, size=3)]},
    prompt=code_prompt(
        LOG_SOFTMAX,
        "Return $\\log \\mathrm{softmax}(z)_i = z_i - \\log \\sum_j e^{z_j}$ for a 1-D numpy array "
        "`logits` $z$. It must stay finite for logits as large as $\\pm 10^4$ (a language "
        "model's logits can be large), where $e^{z}$ overflows float64.",
    ),
    solve=lambda v: checks_from(_softmax_cases(v), _log_softmax),
    answer=LOG_SOFTMAX,
    **_PAGE,
    link=lambda v: _entropy_page(v.logits[0]),
    misconceptions=[
        mistake(
            "exp_overflow",
            "On logits of ±1e4 your function returns inf or nan: e to the power 10000 overflows "
            "float64. Which constant can you subtract from every logit without changing the result?",
            lambda v: checks_from(_softmax_cases(v), _naive_softmax),
        ),
        mistake(
            "softmax_not_log",
            "Your function returns the probabilities softmax(z) themselves; the question asks for "
            "their logarithms.",
            lambda v: checks_from(_softmax_cases(v), lambda z: np.exp(_log_softmax(z))),
        ),
        mistake(
            "no_normaliser",
            "Your values are the logits shifted by their maximum, but not normalised: their "
            "exponentials do not sum to 1. The log of the normalising sum is missing.",
            lambda v: checks_from(_softmax_cases(v), lambda z: z - z.max()),
        ),
    ],
    reveal="never",
)


# -- code.entropy ----------------------------------------------------------------------

ENTROPY = Code(
    function="entropy",
    params=("p", "base"),
    imports=IMPORTS,
    ready_made=("scipy.stats.entropy", "scipy.special.entr"),
    returns="a float",
)

_BASES = (None, 2, 10)


def _entropy_cases(v: Values) -> list[Any]:
    cases: list[Any] = [
        (f"random p {i + 1}, base {base}", [p, base]) for i, (p, base) in enumerate(zip(v.ps, _BASES, strict=True))
    ]
    return [*cases, ("zeros in p", [[0.5, 0.0, 0.25, 0.25], None]), ("a certain outcome", [[0.0, 1.0, 0.0], 2]), ("uniform over 8, base 2", [[0.125] * 8, 2])]


def _entropy(p: np.ndarray, base: float | None) -> float:
    return float(entropy(p, base=base))


def _zeros_nan(p: np.ndarray, base: float | None) -> Any:
    return NONFINITE if (p == 0).any() else ANY


ENTROPY_EXERCISE = exercise(
    id="code.entropy",
    title="Entropy in any base, zeros included",
    generate=lambda rng: {"ps": [distribution(rng, int(n)) for n in rng.integers(3, 7, size=3)]},
    prompt=code_prompt(
        ENTROPY,
        "Return the entropy $H(p) = -\\sum_i p_i \\log_b p_i$ of a probability vector `p` "
        "(a 1-D numpy array summing to 1). `base` is `None` for nats (natural log) or a "
        "number such as 2 (bits) or 10. Outcomes with $p_i = 0$ contribute 0 "
        "($0 \\log 0 = 0$, the limit).",
    ),
    solve=lambda v: checks_from(_entropy_cases(v), _entropy),
    answer=ENTROPY,
    **_PAGE,
    link=lambda v: _entropy_page(np.log(v.ps[0]).tolist()),
    misconceptions=[
        mistake(
            "log2_for_nats",
            "Your entropies are in bits whatever the base: where nats are asked (base None) "
            "every value is off by a factor of ln 2. Use the logarithm the base asks for.",
            lambda v: checks_from(_entropy_cases(v), lambda p, base: _entropy(p, 2)),
        ),
        mistake(
            "base_ignored",
            "Your entropies are in nats whatever the base: with base 2 or 10 they are off by "
            "a factor of ln(base).",
            lambda v: checks_from(_entropy_cases(v), lambda p, base: _entropy(p, None)),
        ),
        mistake(
            "zero_log_zero",
            "Where p has a zero your function returns nan (or inf): 0 · log 0 is nan in floating "
            "point, but it must count as 0.",
            lambda v: checks_from(_entropy_cases(v), _zeros_nan),
        ),
        mistake(
            "missing_minus",
            "Your values are the negatives of the entropies: log p is at most 0, so the sum "
            "needs a minus sign in front.",
            lambda v: checks_from(_entropy_cases(v), lambda p, base: -_entropy(p, base)),
        ),
    ],
    reveal="never",
)


# -- code.kl_divergence ----------------------------------------------------------------

KL = Code(
    function="kl_divergence",
    params=("p", "q"),
    imports=IMPORTS,
    ready_made=("scipy.stats.entropy", "scipy.special.rel_entr", "scipy.special.kl_div", "torch.nn.functional.kl_div"),
    returns="a float (inf where some q_i = 0 < p_i)",
)


def _kl_cases(v: Values) -> list[Any]:
    cases: list[Any] = [(f"random p, q {i + 1}", [p, q]) for i, (p, q) in enumerate(v.pairs)]
    return [*cases, ("zeros in p", [[0.5, 0.0, 0.5], [0.25, 0.25, 0.5]]), ("q = 0 < p", [[0.5, 0.5, 0.0], [1.0, 0.0, 0.0]]), ("p equals q", [[0.2, 0.3, 0.5], [0.2, 0.3, 0.5]])]


def _kl(p: np.ndarray, q: np.ndarray) -> float:
    return float(kl_divergence(p, q))


def _kl_pairs(rng: np.random.Generator) -> list[list[list[float]]]:
    return [[distribution(rng, n), distribution(rng, n)] for n in rng.integers(3, 6, size=3).tolist()]


KL_EXERCISE = exercise(
    id="code.kl_divergence",
    title="KL divergence that handles zeros",
    generate=lambda rng: {"pairs": _kl_pairs(rng)},
    prompt=code_prompt(
        KL,
        "Return $\\mathrm{KL}(p \\,\\|\\, q) = \\sum_i p_i \\ln (p_i / q_i)$ in nats for two "
        "probability vectors (1-D numpy arrays of one length). Terms with $p_i = 0$ "
        "contribute 0; where $q_i = 0 < p_i$ the divergence is infinite: return `inf`.",
    ),
    solve=lambda v: checks_from(_kl_cases(v), _kl),
    answer=KL,
    **_PAGE,
    link=lambda v: _entropy_page(np.log(v.pairs[0][0]).tolist(), np.log(v.pairs[0][1]).tolist()),
    misconceptions=[
        mistake(
            "kl_swapped",
            "You computed KL(q ‖ p): the arguments are the other way round. KL is not symmetric; "
            "the weights p_i come from the first argument.",
            lambda v: checks_from(_kl_cases(v), lambda p, q: _kl(q, p)),
        ),
        mistake(
            "zero_log_zero",
            "Where p has a zero your function returns nan (or inf): 0 · log(0 / q) is nan in "
            "floating point, but the term must count as 0.",
            lambda v: checks_from(_kl_cases(v), lambda p, q: NONFINITE if ((p == 0) & (q > 0)).any() else ANY),
        ),
        mistake(
            "bits_for_nats",
            "Your divergences are in bits: every value is off by a factor of ln 2. Nats use the "
            "natural logarithm.",
            lambda v: checks_from(_kl_cases(v), lambda p, q: _kl(p, q) / math.log(2)),
        ),
    ],
    reveal="never",
)

register_exercises = collect(__name__)
