"""The inputs of the reference-library comparisons, built from fixed seeds.

Both the tests and the script that freezes the libraries' outputs
(``python -m tests.data.make_reference_values``) build their inputs here, so the frozen
values in ``tests/data/reference_values.json`` always describe these arrays. Each input
also has a fingerprint stored beside its values: a numpy whose streams changed would
draw other arrays, and the tests say so instead of failing on a number.
"""

from __future__ import annotations

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
