"""The inputs of the reference-library comparisons, built from fixed seeds.

Both the tests and the script that freezes the libraries' outputs
(``python -m tests.data.make_reference_values``) build their inputs here, so the frozen
values in ``tests/data/reference_values.json`` always describe these arrays. Each input
also has a fingerprint stored beside its values: a numpy whose streams changed would
draw other arrays, and the tests say so instead of failing on a number.
"""

from __future__ import annotations

import importlib
from typing import Any

import numpy as np
from scipy import special


def diagnostic_chain_sets() -> list[tuple[str, np.ndarray]]:
    """Named (n_chains, n_draws) arrays covering what R-hat and ESS must handle."""
    rng = np.random.default_rng(20240611)
    ar = np.zeros((4, 1000))
    noise = rng.normal(size=(4, 1000))
    for t in range(1, 1000):  # AR(1) with φ = 0.9: strong autocorrelation
        ar[:, t] = 0.9 * ar[:, t - 1] + noise[:, t]
    anti = np.zeros((4, 500))
    for t in range(1, 500):  # AR(1) with φ = −0.5: negative autocorrelation, ESS > S
        anti[:, t] = -0.5 * anti[:, t - 1] + noise[:, t]
    shifted = rng.normal(size=(3, 400)) + np.array([[0.0], [0.0], [1.5]])  # one stray chain
    return [
        ("iid normal 4x1000", rng.normal(size=(4, 1000))),
        ("AR(1) 4x1000", ar),
        ("odd draws 3x501", rng.standard_t(3, size=(3, 501))),
        ("heavy tails 2x300", rng.standard_cauchy(size=(2, 300))),
        ("unmixed chains", shifted),
        ("ties (discrete) 4x200", rng.poisson(2.0, size=(4, 200)).astype(float)),
        ("tiny 2x4", rng.normal(size=(2, 4))),
        ("antithetic AR(1) 4x500", anti),
    ]


def cross_entropy_case(dtype: str) -> tuple[np.ndarray, np.ndarray]:
    """(64, 1000) logits with one extreme entry (1e4), and integer targets."""
    rng = np.random.default_rng(1729)
    logits = rng.normal(scale=5.0, size=(64, 1000)).astype(dtype)
    logits[0, 0] = 1e4  # extreme but finite, as core's contract promises
    return logits, rng.integers(0, 1000, size=64)


def kl_div_case() -> tuple[np.ndarray, np.ndarray]:
    """Rows of two categorical distributions (P the target, Q the model), 4 x 6."""
    rng = np.random.default_rng(12)  # the arrays of tests/core/test_sampling.py's TestKLDiv
    p = special.softmax(rng.normal(size=(4, 6)), axis=-1)
    q = special.softmax(rng.normal(size=(4, 6)), axis=-1)
    return p, q


def fingerprint(array: np.ndarray) -> list[float]:
    """Sum, first and last entry: enough to tell that an input array is not the one frozen."""
    flat = np.asarray(array, dtype=float).ravel()
    return [float(flat.sum()), float(flat[0]), float(flat[-1])]


# ------------------------------------------------ core.sampling against torch (test_sampling.py)

#: The nucleus masses and top-k sizes of tests/core/test_sampling.py's torch comparisons.
TOP_P_VALUES = (0.05, 0.5, 0.9, 0.99, 1.0)
TOP_K_VALUES = (1, 3, 50, 100, 200)
PPO_EPSILON = 0.2


def top_p_case() -> np.ndarray:
    """(64, 500) continuous logits (no ties): the array of TestTopPFilter's torch comparison."""
    return np.random.default_rng(7).normal(scale=3.0, size=(64, 500))


def top_k_case() -> np.ndarray:
    """(16, 100) logits with a five-way tie across the k = 3 boundary in row 0 (TestTopK's)."""
    logits = np.random.default_rng(11).normal(size=(16, 100))
    logits[0, :5] = 10.0
    return logits


def ppo_case() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(logp_new, logp_old, advantages) of 200 tokens: the arrays of TestPPO's TRL comparison."""
    rng = np.random.default_rng(0)
    logp_old = np.log(rng.uniform(0.05, 1.0, size=200))
    logp_new = logp_old + rng.normal(scale=0.3, size=200)
    return logp_new, logp_old, rng.normal(size=200)


def pack_mask(mask: np.ndarray) -> list[str]:
    """A 2-D boolean array as one hex string of packed bits per row (compact in JSON)."""
    return [np.packbits(row).tobytes().hex() for row in np.asarray(mask, dtype=bool)]


def unpack_mask(rows: list[str], width: int) -> np.ndarray:
    """The inverse of `pack_mask`, for rows of `width` entries."""
    return np.array([np.unpackbits(np.frombuffer(bytes.fromhex(h), dtype=np.uint8))[:width] for h in rows], dtype=bool)


# ------------------------------------------- exercises' variants (tests/exercises/test_*_exercises.py)

MCMC_SECRET = "test-mcmc"
SAMPLING_SECRET = "test-sampling"

#: exercise id -> (its module, the tests' secret, the student ids whose variants are frozen).
EXERCISE_CASES: dict[str, tuple[str, str, list[str]]] = {
    "mcmc.rhat_ess": ("exercises.mcmc", MCMC_SECRET, [f"diag-{i}" for i in range(8)] + [f"thr-{i}" for i in range(30)]),
    "mcmc.converged": ("exercises.mcmc", MCMC_SECRET, [f"conv-{i}" for i in range(30)]),
    "sampling.kl_div_trap": ("exercises.sampling", SAMPLING_SECRET, [f"torch-{i}" for i in range(5)]),
}


def exercise_of(exercise_id: str) -> Any:
    """The registered exercise `exercise_id`, from a registry holding only its module."""
    from grader import build_registry

    module_name = EXERCISE_CASES[exercise_id][0]
    registry = build_registry(builtin=False, autoload=False,
                              extra_plugins=[(module_name, importlib.import_module(module_name))])
    return registry.get(exercise_id)


def exercise_variants(exercise_id: str) -> list[tuple[str, dict[str, Any]]]:
    """(student id, variant parameters) of every frozen student of `exercise_id`."""
    from grader import variant_for

    _, secret, students = EXERCISE_CASES[exercise_id]
    exercise = exercise_of(exercise_id)
    return [(student, variant_for(student, exercise, secret=secret).params) for student in students]
