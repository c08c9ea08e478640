"""Tolerances and page titles shared by the interview questions (not a plugin: ``_`` name)."""

from __future__ import annotations

from grader import Number

PROB = Number(rtol=1e-3, atol=1e-6)
COUNT = Number(rtol=0.0, atol=1e-6)
INDEX = Number(rtol=0.0, atol=0.01)

ENTROPY_PAGE = "Entropy & perplexity"
KL_PAGE = "KL vs JS divergence"
DISTRIBUTIONS_PAGE = "The five distributions"
SAMPLING_PAGE = "Sampling"
BETA_BINOMIAL_PAGE = "Beta-Binomial update"
MI_PAGE = "Mutual information"
FISHER_PAGE = "Fisher information"


def base_of(unit: str) -> float | None:
    """The logarithm base of a unit: 2 for bits, None (natural) for nats."""
    return 2.0 if unit == "bits" else None


def other_base(unit: str) -> float | None:
    """The base of the other unit."""
    return None if unit == "bits" else 2.0
