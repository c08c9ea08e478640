"""The Language model page's next-token chart as a cached Vega-Lite spec, keyed on what it draws.

The chart is drawn from the prompt's token ids and the sampler's settings, so a rerun
in which they did not change (any other tab's widget) costs one lookup on a few
numbers, not a reshaping of the bars and a hash of the resulting frame.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.common.limits import CACHE_ENTRIES
from dashboard.common.ui import Spec, chart_shape, with_data
from dashboard.topics.language_model import charts, compute

__all__ = ["next_token_spec", "stage_frame"]


def stage_frame(bars: pd.DataFrame, shown: bool) -> pd.DataFrame:
    """The bars in long form: one row per token and stage (only T = 1 while hidden)."""
    stages = {"p_model": charts.MODEL_LABEL}
    if shown:
        stages |= {"p_tempered": charts.TEMPERED_LABEL, "p_final": charts.SAMPLED_LABEL}
    long = bars.melt(id_vars=["rank", "token", "kept"], value_vars=list(stages), var_name="stage",
                     value_name="probability")
    long["stage"] = long["stage"].map(stages)
    long.loc[long["stage"] == charts.MODEL_LABEL, "kept"] = True  # the model's own bars are never faded
    return long.sort_values(["rank"], kind="stable")[["token", "stage", "probability", "kept"]]


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def next_token_spec(ids: tuple[int, ...], temperature: float, top_k: int, top_p: float, revealed: bool) -> Spec:
    """The next-token bars of :func:`compute.next_token_view` (every stage once revealed).

    The shown tokens and their order depend on the prompt alone, so the chart is built
    once per prompt and reveal state; new sampler settings swap the bars' rows in.
    """
    frame = stage_frame(compute.next_token_view(ids, temperature, top_k, top_p).bars, revealed)
    return with_data(chart_shape(charts.next_token_chart, (ids, revealed), frame), frame)
