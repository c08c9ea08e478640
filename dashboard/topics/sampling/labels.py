"""Names of the Sampling page's chart categories, shared by its compute and charts (no streamlit)."""

from __future__ import annotations

__all__ = ["FILTERED_LABEL", "SOFTMAX_LABEL", "TEMPERED_LABEL"]

#: Stages of the next-token bars, as the legend shows them.
SOFTMAX_LABEL = "softmax (T = 1)"
TEMPERED_LABEL = "after temperature"
FILTERED_LABEL = "after top-k / top-p (sampled)"
