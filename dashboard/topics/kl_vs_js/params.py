"""The KL vs JS divergence page's URL keys: type, bounds, default and meaning of each (no streamlit)."""

from __future__ import annotations

from dashboard.common.page_params import PageParams, Param

__all__ = ["PARAMS"]

PARAMS = PageParams(
    "kl-vs-js",
    "KL vs JS divergence",
    (
        Param("mu1", "μ₁: mean of P", "float", 0.0, lo=-20.0, hi=20.0, step=0.5, help="Mean of P."),
        Param(
            "sigma1",
            "σ₁: standard deviation of P (> 0)",
            "float",
            1.0,
            lo=0.05,
            hi=20.0,
            step=0.25,
            help="Standard deviation of P.",
        ),
        Param("mu2", "μ₂: mean of Q", "float", 2.0, lo=-20.0, hi=20.0, step=0.5, help="Mean of Q."),
        Param(
            "sigma2",
            "σ₂: standard deviation of Q (> 0)",
            "float",
            1.5,
            lo=0.05,
            hi=20.0,
            step=0.25,
            help="Standard deviation of Q.",
        ),
        Param("gap", "Distance between the two modes of P", "float", 4.0, lo=0.0, hi=10.0, step=0.5,
              help="Distance between the means of the mixture's two components."),
        Param("mode_sd", "Width of each mode (standard deviation)", "float", 0.5, lo=0.2, hi=3.0, step=0.1,
              help="Standard deviation of each of the mixture's two components."),
        Param("weight", "Weight of the left mode", "float", 0.5, lo=0.05, hi=0.95, step=0.05,
              help="Mixture weight of the left component; the right one has the rest."),
    ),
)
