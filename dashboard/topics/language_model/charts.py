"""Altair charts for the Language model page, as pure functions of plain DataFrames (no streamlit)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from dashboard.common.chart_style import HEIGHT, check_frame, concept_scale, in_order
from dashboard.common.palette import (
    AFTER_FILTERING,
    AFTER_TEMPERATURE,
    CUT,
    ENTROPY,
    ESTIMATE,
    EXACT,
    GREY,
    INTERVAL,
    P,
    Q,
)

__all__ = [
    "MODEL_LABEL",
    "SAMPLED_LABEL",
    "TEMPERED_LABEL",
    "candidates_chart",
    "exact_kl_frame",
    "generation_chart",
    "kl_estimators_chart",
    "next_token_chart",
    "policies_chart",
    "ratios_band",
    "ratios_chart",
    "ratios_title",
    "step_entropy_chart",
    "surprisal_chart",
]

MODEL_LABEL = "model (T = 1)"
TEMPERED_LABEL = "after temperature"
SAMPLED_LABEL = "sampled from (renormalised)"
_STAGES = {MODEL_LABEL: GREY, TEMPERED_LABEL: AFTER_TEMPERATURE, SAMPLED_LABEL: AFTER_FILTERING}
_POLICIES = {"π_old": P, "π_new": Q}


def _grouped_bars(frame: pd.DataFrame, group: str, colours: dict[str, str], *, title: str,
                  row_height: int) -> alt.Chart:
    """Horizontal bars, one row per token (in the frame's order), one bar per ``group``."""
    groups = in_order(frame[group])
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y("token:N", sort=in_order(frame["token"]), title=None,
                    axis=alt.Axis(labelLimit=220, labelFontSize=13)),
            yOffset=alt.YOffset(f"{group}:N", sort=groups),
            x=alt.X("probability:Q", title="probability"),
            color=alt.Color(f"{group}:N", sort=groups, title=None, legend=alt.Legend(orient="top", labelLimit=300),
                            scale=concept_scale(colours, groups)),
            tooltip=[alt.Tooltip("token:N"), alt.Tooltip(f"{group}:N"), alt.Tooltip("probability:Q", format=".4f")],
        )
        .properties(height=max(HEIGHT, row_height * len(pd.unique(frame["token"]))), title=title)
    )


def next_token_chart(frame: pd.DataFrame) -> alt.Chart:
    """The shown tokens' probabilities at each stage as grouped horizontal bars.

    Parameters
    ----------
    frame : pandas.DataFrame
        Columns ``token`` (in rank order), ``stage`` (labels of this module),
        ``probability`` and ``kept`` (False: the filters removed it; drawn faded).

    Returns
    -------
    altair.Chart
        One row per token, one bar per stage.
    """
    check_frame(frame, "frame", ("token", "stage", "probability", "kept"))
    rows = 10 * len(pd.unique(frame["stage"])) + 6
    return _grouped_bars(
        frame, "stage", _STAGES, title="The next token: its 20 likeliest values and the rest", row_height=rows
    ).encode(
        x=alt.X("probability:Q", title="probability", scale=alt.Scale(domain=[0, 1])),
        opacity=alt.condition("datum.kept", alt.value(1.0), alt.value(0.3)),
    )


def generation_chart(frame: pd.DataFrame) -> alt.LayerChart:
    """Per generation step, the drawn token's probability: bars labelled with its text.

    Parameters
    ----------
    frame : pandas.DataFrame
        Columns ``step``, ``token`` and ``p_drawn``.
    """
    check_frame(frame, "frame", ("step", "token", "p_drawn"))
    base = alt.Chart(frame).encode(
        x=alt.X("step:O", title="step", axis=alt.Axis(labelAngle=0)),
        tooltip=[alt.Tooltip("step:O"), alt.Tooltip("token:N"), alt.Tooltip("p_drawn:Q", format=".4f", title="p")],
    )
    bars = base.mark_bar(color=AFTER_FILTERING).encode(
        y=alt.Y("p_drawn:Q", title="probability of the drawn token", scale=alt.Scale(domain=[0, 1.1])))
    labels = base.mark_text(dy=-8, fontSize=12).encode(y="p_drawn:Q", text="token:N")
    return (bars + labels).properties(height=HEIGHT, title="Each step's drawn token and its probability")


def candidates_chart(frame: pd.DataFrame) -> alt.LayerChart:
    """Each generation step's likeliest tokens as a grid: a column per step, a row per
    rank, shaded by probability; the drawn token is outlined.

    Parameters
    ----------
    frame : pandas.DataFrame
        Columns ``step``, ``rank``, ``token``, ``p_final`` and ``drawn`` (bool).
    """
    check_frame(frame, "frame", ("step", "rank", "token", "p_final", "drawn"))
    base = alt.Chart(frame).encode(
        x=alt.X("step:O", title="step", axis=alt.Axis(labelAngle=0, orient="top")),
        y=alt.Y("rank:O", title="rank in the distribution drawn from"),
        tooltip=[alt.Tooltip("step:O"), alt.Tooltip("rank:O"), alt.Tooltip("token:N"),
                 alt.Tooltip("p_final:Q", format=".4f", title="p"), alt.Tooltip("drawn:N")],
    )
    cells = base.mark_rect().encode(
        color=alt.Color("p_final:Q", title="p", scale=alt.Scale(scheme="blues", domain=[0, 1])),
        stroke=alt.condition("datum.drawn", alt.value(CUT), alt.value(None)),
        strokeWidth=alt.condition("datum.drawn", alt.value(3), alt.value(0)),
    )
    text = base.mark_text(fontSize=12).encode(
        text="token:N", color=alt.condition("datum.p_final > 0.5", alt.value("white"), alt.value("black")))
    return (cells + text).properties(  # a fixed height per rank row: readable token text
        height=alt.Step(30), title="Each step's likeliest tokens (outlined: the one drawn)")


def step_entropy_chart(frame: pd.DataFrame, *, unit: str) -> alt.Chart:
    """Per generation step, the entropy of the distribution the token was drawn from.

    Parameters
    ----------
    frame : pandas.DataFrame
        Columns ``step``, ``token`` and ``entropy``.
    unit : str
        "nats" or "bits", for the axis title.
    """
    check_frame(frame, "frame", ("step", "token", "entropy"))
    return (
        alt.Chart(frame)
        .mark_line(point=True, color=ENTROPY)
        .encode(
            x=alt.X("step:O", title="step", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("entropy:Q", title=f"entropy, {unit}"),
            tooltip=[alt.Tooltip("step:O"), alt.Tooltip("token:N", title="drawn"),
                     alt.Tooltip("entropy:Q", format=".3f")],
        )
        .properties(height=200, title="Entropy of the distribution each token was drawn from")
    )


def surprisal_chart(frame: pd.DataFrame, *, unit: str) -> alt.Chart:
    """Surprisal per token of a scored sentence, as bars in reading order.

    Parameters
    ----------
    frame : pandas.DataFrame
        Columns ``position``, ``token`` and ``surprisal`` (rows without a surprisal are
        left out by the caller).
    unit : str
        "nats" or "bits", for the axis title.
    """
    check_frame(frame, "frame", ("position", "token", "surprisal"))
    return (
        alt.Chart(frame)
        .transform_calculate(label="datum.position + ': ' + datum.token")
        .mark_bar()
        .encode(
            x=alt.X("label:N", sort=alt.EncodingSortField("position"), title=None,
                    axis=alt.Axis(labelAngle=-40, labelFontSize=12, labelLimit=160)),
            y=alt.Y("surprisal:Q", title=f"surprisal −log p, {unit}"),
            color=alt.Color("surprisal:Q", scale=alt.Scale(scheme="oranges"), legend=None),
            tooltip=[alt.Tooltip("token:N"), alt.Tooltip("surprisal:Q", format=".3f")],
        )
        .properties(height=HEIGHT, title="Surprisal of each token given the ones before it")
    )


def policies_chart(frame: pd.DataFrame) -> alt.Chart:
    """The two policies' probabilities of the tokens either ranks highest, grouped bars.

    Parameters
    ----------
    frame : pandas.DataFrame
        Columns ``token``, ``policy`` ("π_old" or "π_new") and ``probability``.
    """
    check_frame(frame, "frame", ("token", "policy", "probability"))
    return _grouped_bars(frame, "policy", _POLICIES, title="The two next-token distributions", row_height=26)


def ratios_band(clip: float) -> pd.DataFrame:
    """PPO's clip range [1 − ε, 1 + ε] as the one row :func:`ratios_chart` shades."""
    return pd.DataFrame({"lo": [1.0 - clip], "hi": [1.0 + clip]})


def ratios_title(clip: float) -> str:
    """The title of :func:`ratios_chart` for the clip range ``clip``."""
    return f"Importance ratios along the continuation; shaded: PPO's range 1 ± {clip:g}"


def ratios_chart(frame: pd.DataFrame, *, clip: float) -> alt.LayerChart:
    """Per-token importance ratios π_new/π_old along the continuation, PPO's clip range shaded.

    Parameters
    ----------
    frame : pandas.DataFrame
        Columns ``step``, ``token``, ``ratio`` and ``clipped``.
    clip : float
        ε: the band [1 − ε, 1 + ε] is shaded.
    """
    check_frame(frame, "frame", ("step", "token", "ratio", "clipped"))
    band = alt.Chart(ratios_band(clip)).mark_rect(
        color=INTERVAL, opacity=0.3).encode(y=alt.Y("lo:Q"), y2="hi:Q")
    one = alt.Chart(pd.DataFrame({"r": [1.0]})).mark_rule(color=GREY, strokeDash=[4, 3]).encode(y="r:Q")
    points = (
        alt.Chart(frame)
        .mark_line(point=alt.OverlayMarkDef(size=70, filled=True), color=P)
        .encode(
            x=alt.X("step:O", title="token of the continuation", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("ratio:Q", title="ratio π_new / π_old (log scale)", scale=alt.Scale(type="log")),
            tooltip=[alt.Tooltip("step:O"), alt.Tooltip("token:N"), alt.Tooltip("ratio:Q", format=".4f"),
                     alt.Tooltip("clipped:N", title="outside the clip range")],
        )
    )
    outside = alt.Chart(frame).transform_filter("datum.clipped").mark_point(
        color=CUT, size=160, shape="diamond", filled=False, strokeWidth=2).encode(x="step:O", y="ratio:Q")
    labels = alt.Chart(frame).mark_text(dy=-12, fontSize=11).encode(x="step:O", y="ratio:Q", text="token:N")
    return (band + one + points + outside + labels).properties(
        height=HEIGHT, title=ratios_title(clip))


def exact_kl_frame(exact: float) -> pd.DataFrame:
    """The exact KL as the one row :func:`kl_estimators_chart` draws as a labelled rule."""
    return pd.DataFrame({"exact": [exact], "label": [f"exact KL {exact:.4f}"]})


def kl_estimators_chart(frame: pd.DataFrame, *, exact: float) -> alt.LayerChart:
    """The k1, k2, k3 estimates (bars with ± one standard error) against the exact KL (a rule).

    Parameters
    ----------
    frame : pandas.DataFrame
        Columns ``estimator``, ``estimate``, ``lo``, ``hi``.
    exact : float
        The exact mean per-token KL, drawn as a horizontal rule.
    """
    check_frame(frame, "frame", ("estimator", "estimate", "lo", "hi"))
    x = alt.X("estimator:N", title=None, sort=in_order(frame["estimator"]), axis=alt.Axis(labelAngle=0))
    y_title = "KL(π_old‖π_new) per token, nats"
    bars = alt.Chart(frame).mark_bar(color=ESTIMATE, opacity=0.8, size=60).encode(
        x=x, y=alt.Y("estimate:Q", title=y_title),
        tooltip=[alt.Tooltip("estimator:N"), alt.Tooltip("estimate:Q", format=".4f"),
                 alt.Tooltip("lo:Q", format=".4f", title="− 1 s.e."), alt.Tooltip("hi:Q", format=".4f", title="+ 1 s.e.")])
    errors = alt.Chart(frame).mark_rule(strokeWidth=2).encode(x=x, y=alt.Y("lo:Q", title=y_title), y2="hi:Q")
    exact_row = exact_kl_frame(exact)
    rule = alt.Chart(exact_row).mark_rule(color=EXACT, strokeWidth=2, strokeDash=[6, 3]).encode(
        y="exact:Q", tooltip=["label:N"])
    text = alt.Chart(exact_row).mark_text(align="left", dx=4, dy=-8, color=EXACT, fontSize=12).encode(
        x=alt.value(0), y="exact:Q", text="label:N")
    return (bars + errors + rule + text).properties(height=HEIGHT, title="Three estimates of the KL penalty, and its exact value")
