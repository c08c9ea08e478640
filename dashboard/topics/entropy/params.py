"""The Entropy & perplexity page's URL keys: type, bounds, default and meaning of each (no streamlit)."""

from __future__ import annotations

from dashboard.common.page_params import PageParams, Param
from dashboard.common.sources import source_params
from dashboard.common.units import unit_param

__all__ = ["PARAMS"]

PARAMS = PageParams(
    "entropy",
    "Entropy & perplexity",
    (
        *source_params("source", "lm_prompt", "lm_top", role="P (and, at temperature T, Q)"),
        Param(
            "tokens",
            "Tokens (separated by commas)",
            "text",
            "the, a, cat, dog, sat, ran",
            max_chars=300,
            help="Vocabulary tokens, separated by commas.",
        ),
        Param(
            "p_logits",
            "Logits of P, the data distribution",
            "text",
            "2.0, 1.5, 1.0, 0.5, 0.0, -1.0",
            max_chars=300,
            help="Logits of the data distribution P, one per token.",
        ),
        Param(
            "q_logits",
            "Logits of Q, the model",
            "text",
            "1.0, 2.0, 0.5, 0.5, 1.0, 0.0",
            max_chars=300,
            help="Logits of the model Q, one per token.",
        ),
        Param(
            "temperature",
            "Model temperature T (Q = softmax(logits / T))",
            "float",
            1.0,
            lo=0.1,
            hi=5.0,
            step=0.05,
            help="Softmax temperature applied to the logits.",
        ),
        unit_param(),
        Param(
            "vocab",
            "Vocabulary size V",
            "int",
            50_257,
            lo=1,
            hi=1_000_000,
            step=1,
            help="Vocabulary size of a uniform model, whose perplexity equals it.",
        ),
        Param(
            "nll",
            "Average NLL per token",
            "float",
            3.0,
            lo=0.0,
            hi=50.0,
            step=0.1,
            help="Average negative log-likelihood per token.",
        ),
        unit_param("nll_unit", "Measured in", "Unit the average NLL is measured in."),
    ),
)
