"""The The five distributions page's URL keys: type, bounds, default and meaning of each (no streamlit)."""

from __future__ import annotations

from dashboard.common.families import FAMILY_LABELS
from dashboard.common.page_params import PageParams, Param

__all__ = ["PARAMS"]


PARAMS = PageParams(
    "distributions",
    "The five distributions",
    (
        Param(
            "family",
            "Family",
            "choice",
            "Bernoulli",
            choices=FAMILY_LABELS,
            help="Which of the five distributions is shown.",
        ),
        Param(
            "seed",
            "Random seed for the samples",
            "int",
            0,
            lo=0,
            hi=2**31 - 1,
            step=1,
            help="Random seed for the sampled draws, so a link reproduces the same samples.",
        ),
        Param(
            "p",
            "p = P(X = 1)",
            "float",
            0.3,
            lo=0.0,
            hi=1.0,
            step=0.01,
            help="Bernoulli success probability P(X = 1).",
        ),
        Param(
            "probs",
            "π: probabilities of the outcomes 0, 1, …, K−1 (sum 1)",
            "text",
            "0.5, 0.2, 0.2, 0.1",
            max_chars=300,
            help="Probabilities of the outcomes, separated by commas; they must add up to 1.",
        ),
        Param(
            "mu", "μ: mean", "float", 0.0, lo=-5.0, hi=5.0, step=0.1, help="Mean of the Gaussian."
        ),
        Param(
            "sigma",
            "σ: standard deviation",
            "float",
            1.0,
            lo=0.1,
            hi=5.0,
            step=0.1,
            help="Standard deviation of the Gaussian.",
        ),
        Param(
            "alpha",
            "α",
            "float",
            2.0,
            lo=0.1,
            hi=20.0,
            step=0.1,
            help="First parameter of the Beta distribution.",
        ),
        Param(
            "beta",
            "β",
            "float",
            5.0,
            lo=0.1,
            hi=20.0,
            step=0.1,
            help="Second parameter of the Beta distribution.",
        ),
        Param(
            "a1",
            "α₁",
            "float",
            2.0,
            lo=0.1,
            hi=20.0,
            step=0.1,
            help="First Dirichlet concentration.",
        ),
        Param(
            "a2",
            "α₂",
            "float",
            3.0,
            lo=0.1,
            hi=20.0,
            step=0.1,
            help="Second Dirichlet concentration.",
        ),
        Param(
            "a3",
            "α₃",
            "float",
            5.0,
            lo=0.1,
            hi=20.0,
            step=0.1,
            help="Third Dirichlet concentration.",
        ),
    ),
)
