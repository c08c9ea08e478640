"""Mutual information page: a joint table (a discretised bivariate Gaussian, a preset or
typed in) as heatmaps, its entropies as overlapping bars, and MI against ρ."""

from __future__ import annotations

import streamlit as st

from dashboard.common import inputs, widgets
from dashboard.common.exercise_links import show_exercise_links
from dashboard.common.ui import Metric, metric_row, show_chart, show_stale_chart
from dashboard.practice import reveal
from dashboard.topics.mutual_information import compute, specs
from dashboard.topics.mutual_information.params import GAUSSIAN, PARAMS, PRESET

st.title("Mutual information")
widgets.normalise_query(PARAMS)  # before any widget: accept aliases and any case
st.markdown(
    "Mutual information asks how far a joint table is from the table you would get if X "
    "and Y ignored each other, the product of their marginals. Compare the first two "
    "heatmaps: where they differ, the third (pointwise MI) is blue for pairs seen more "
    "often than independence predicts and orange for pairs seen less often. The bars "
    "show the same number as the overlap of H(X) and H(Y)."
)
revealed = reveal.show_reveal_note()  # a linked exercise's answer is an entropy or I(X; Y)


def table_error(exc: ValueError, key: str, where=None) -> None:  # type: ignore[no-untyped-def]
    """Core's message about the table, naming the widget it came from."""
    (where or st).error(f"Check “{PARAMS[key].label}”: {exc}", icon=":material/error:")


col_source, col_unit = st.columns([3, 1])
source = widgets.radio(PARAMS["source"], col_source, horizontal=True)
unit = widgets.radio(PARAMS["unit"], col_unit, horizontal=True)

joint: tuple[tuple[float, ...], ...] | None = None
labels: tuple[tuple[str, ...], tuple[str, ...]] | None = None
col_inputs, col_numbers = st.columns([2, 3])
with col_inputs:
    if source == GAUSSIAN:
        rho = widgets.slider(PARAMS["rho"])
        n_cells = widgets.slider(PARAMS["cells"])
        st.caption(
            "X and Y are standard normals; the inner cells split [−3, 3] evenly and are "
            "labelled by their centres; the two outer cells are the open intervals out to ±∞."
        )
        try:
            table = compute.gaussian_table(rho, n_cells)
        except ValueError as exc:
            table_error(exc, "rho")
        else:
            joint, labels = table.joint, (table.labels, table.labels)
    elif source == PRESET:
        preset = widgets.select(PARAMS["preset"])
        joint = compute.MI_PRESETS[preset]
    else:
        text = widgets.text_area(PARAMS["joint"])
        try:
            joint = inputs.parse_table(text, "joint")
        except ValueError as exc:
            table_error(exc, "joint")
    if joint is not None and labels is None:
        labels = compute.index_labels(joint)

summary = None
if joint is not None and labels is not None:
    try:
        summary = compute.mutual_information_summary(joint, unit)
        heatmaps = specs.heatmaps_spec(joint, labels[0], labels[1], unit)
    except ValueError as exc:
        table_error(exc, "joint" if source != GAUSSIAN else "cells", col_inputs)

if summary is not None:
    with col_numbers:
        metric_row([
            Metric(f"I(X; Y), {unit}", summary.mi, 4,
                   help="KL(P(X, Y) ‖ P(X)P(Y)); zero exactly when X and Y are independent."),
            Metric(f"H(X), {unit}", summary.h_x, 4),
            Metric(f"H(Y), {unit}", summary.h_y, 4),
        ], revealed=revealed)
        metric_row([
            Metric(f"H(X|Y), {unit}", summary.h_x_given_y, 4,
                   help="What is left to learn about X once Y is known: H(X) − I(X; Y)."),
            Metric(f"H(Y|X), {unit}", summary.h_y_given_x, 4),
            Metric(f"H(X, Y), {unit}", summary.h_xy, 4),
        ], revealed=revealed)
        if revealed:
            show_chart(specs.diagram_spec(joint, unit), name="mutual-information-information-diagram")
    show_chart(heatmaps, name="mutual-information-joint-heatmaps", width="content")
    st.caption(
        f"PMI values are in {unit}; their colours stop at ±{compute.PMI_CLIP:g} {unit}: a cell "
        "beyond takes the end colour and keeps its true value in its label. Grey cells are pairs that never "
        "occur: their PMI is −∞ and they add nothing to I(X; Y), which weights each "
        "cell's PMI by its probability."
    )
else:
    show_stale_chart("mutual-information-joint-heatmaps")  # a rejected table: the last good one, greyed

if source == GAUSSIAN and summary is not None:
    st.subheader("Mutual information against ρ")
    st.markdown(
        "For a bivariate Gaussian the mutual information has the closed form "
        "−½ log(1 − ρ²): zero at ρ = 0 and without bound as |ρ| → 1. Cutting the plane "
        "into cells throws information away, so the discretised table always comes out "
        "lower; add cells and it climbs towards the curve."
    )
    closed_form = compute.gaussian_mi(rho, unit)
    metric_row([
        Metric(f"Closed form −½ log(1 − ρ²), {unit}", closed_form, 4, answer=False),
        Metric(f"Discretised on {n_cells}×{n_cells} cells, {unit}", summary.mi, 4),
    ], revealed=revealed)
    show_chart(specs.sweep_spec(n_cells, unit, rho), name="mutual-information-sweep")

show_exercise_links("mutual-information")
