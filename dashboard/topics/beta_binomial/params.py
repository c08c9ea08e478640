"""The Beta-Binomial update page's URL keys: type, bounds, default and meaning of each (no streamlit)."""

from __future__ import annotations

from dashboard.common.page_params import PageParams, Param

__all__ = ["PARAMS"]

PARAMS = PageParams(
    "beta-binomial",
    "Beta-Binomial update",
    (
        Param(
            "source",
            "Data",
            "choice",
            "Counts",
            choices=("Counts", "Flip string"),
            aliases={"counts": "Counts", "flips": "Flip string", "string": "Flip string"},
            help="Which data update the prior: the head and tail counts, or the flip string replayed flip by flip.",
        ),
        Param(
            "alpha0",
            "α₀: prior pseudo-heads (> 0)",
            "float",
            2.0,
            lo=0.01,
            hi=1000.0,
            step=0.5,
            help="Prior pseudo-count of heads: the a of the Beta(a, b) prior.",
        ),
        Param(
            "beta0",
            "β₀: prior pseudo-tails (> 0)",
            "float",
            2.0,
            lo=0.01,
            hi=1000.0,
            step=0.5,
            help="Prior pseudo-count of tails: the b of the Beta(a, b) prior.",
        ),
        Param(
            "heads",
            "h: heads observed",
            "int",
            4,
            lo=0,
            hi=1000,
            step=1,
            help="Number of heads observed.",
        ),
        Param(
            "tails",
            "t: tails observed",
            "int",
            1,
            lo=0,
            hi=1000,
            step=1,
            help="Number of tails observed.",
        ),
        Param(
            "flips",
            "Flips (H = heads, T = tails; spaces and commas are ignored)",
            "text",
            "HHHTH",
            max_chars=200,
            help="A sequence of flips (H or T) replayed one at a time to show the posterior after each.",
        ),
        Param("coin", "Bias of the simulated coin (for “Flip a coin”)", "float", 0.7, lo=0.01, hi=0.99, step=0.01,
              help="P(heads) of the coin the “Flip a coin” button tosses."),
        Param("seed", "Seed of the simulated coin", "int", 0, lo=0, hi=2**31 - 1, step=1,
              help="The same seed and number of observations give the same next flip."),
    ),
)
