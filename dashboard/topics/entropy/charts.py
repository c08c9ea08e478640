"""Altair charts for the Entropy & perplexity page, as pure functions of plain DataFrames (no streamlit)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from dashboard.common.chart_style import HEIGHT, check_frame, in_order
from dashboard.common.palette import (
    PART_COLOURS,
    TOKEN_COLOURS,
)

__all__ = [
    "cross_entropy_decomposition_chart",
    "token_probabilities_chart",
]

# --- Entropy & perplexity page



def token_probabilities_chart(frame: pd.DataFrame) -> alt.Chart:
    """P and Q over the vocabulary as grouped bars.

    Parameters
    ----------
    frame : pandas.DataFrame
        Columns ``token``, ``distribution`` and ``probability``.

    Returns
    -------
    altair.Chart
        For each token, one bar per distribution side by side.
    """
    check_frame(frame, "frame", ("token", "distribution", "probability"))
    tokens = in_order(frame["token"])
    order = in_order(frame["distribution"])
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("token:N", sort=tokens, title="token", axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("distribution:N", sort=order),
            y=alt.Y("probability:Q", title="probability", scale=alt.Scale(domain=[0, 1])),
            color=alt.Color("distribution:N", sort=order, title=None, legend=alt.Legend(orient="top"),
                            scale=alt.Scale(domain=order, range=TOKEN_COLOURS[: len(order)])),
            tooltip=[alt.Tooltip("token:N"), alt.Tooltip("distribution:N"),
                     alt.Tooltip("probability:Q", format=".4f")],
        )
        .properties(height=HEIGHT, title="P (data) and Q (model) over the vocabulary")
    )


def cross_entropy_decomposition_chart(frame: pd.DataFrame, *, unit: str) -> alt.Chart:
    """H(P, Q) as a stacked bar of H(P) and KL(P‖Q), one bar per temperature.

    Parameters
    ----------
    frame : pandas.DataFrame
        Columns ``temperature`` (a label), ``part``, ``value`` and ``current`` (True on
        the bars of the chosen temperature, drawn opaque; the others are faded).
    unit : str
        "nats" or "bits", for the axis title.

    Returns
    -------
    altair.Chart
        Stacked bars; each bar's total height is the cross-entropy.
    """
    check_frame(frame, "frame", ("temperature", "part", "value", "current"))
    parts = in_order(frame["part"])
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("temperature:N", sort=in_order(frame["temperature"]), title="model temperature",
                    axis=alt.Axis(labelAngle=0)),
            y=alt.Y("value:Q", stack="zero", title=f"cross-entropy H(P, Q), {unit}"),
            color=alt.Color("part:N", sort=parts, title=None, legend=alt.Legend(orient="top"),
                            scale=alt.Scale(domain=parts, range=PART_COLOURS[: len(parts)])),
            order=alt.Order("part_order:Q"),
            opacity=alt.condition("datum.current", alt.value(1.0), alt.value(0.45)),
            tooltip=[alt.Tooltip("temperature:N"), alt.Tooltip("part:N"),
                     alt.Tooltip("value:Q", format=".4f")],
        )
        .transform_calculate(part_order=f"indexof({parts!r}, datum.part)")
        .properties(height=HEIGHT, title="Cross-entropy = entropy + KL, by temperature")
    )



