"""The Mutual information page's charts as cached Vega-Lite specs keyed on what each draws."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.common.export import to_arrow
from dashboard.common.limits import CACHE_ENTRIES
from dashboard.common.ui import Spec, spec_of, with_data
from dashboard.topics.mutual_information import charts, compute

__all__ = ["diagram_spec", "heatmaps_spec", "sweep_spec"]

Joint = tuple[tuple[float, ...], ...]


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _heatmaps_shape(x_labels: tuple[str, ...], y_labels: tuple[str, ...], unit: str, _frame: pd.DataFrame) -> Spec:
    # The chart's shape depends only on the labels and the unit; ``_frame`` (not hashed)
    # is the first table drawn with them.
    return spec_of(charts.joint_heatmaps_chart(_frame, clip=compute.PMI_CLIP, unit=unit))


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def heatmaps_spec(joint: Joint, x_labels: tuple[str, ...], y_labels: tuple[str, ...], unit: str) -> Spec:
    """The joint, the product of its marginals and the clipped PMI, side by side.

    Built once per (labels, unit): a move of ρ only swaps the rows the panels draw.
    """
    frame = compute.joint_heatmaps(joint, x_labels, y_labels, unit)
    spec = _heatmaps_shape(x_labels, y_labels, unit, frame)  # a fresh copy from the cache
    # As the chart converts it: the grey cells are a boolean filter.
    return with_data(spec, frame.assign(impossible=frame["impossible"].astype(bool)))


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def diagram_spec(joint: Joint, unit: str) -> Spec:
    """H(X) and H(Y) as bars overlapping by I(X; Y)."""
    summary = compute.mutual_information_summary(joint, unit)
    return spec_of(charts.information_diagram_chart(compute.information_diagram(summary), unit=unit))


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _sweep_spec(n_cells: int, unit: str) -> Spec:
    sweep = compute.mutual_information_sweep(n_cells, unit)
    return spec_of(charts.mutual_information_sweep_chart(sweep, unit=unit, current_rho=0.0))


def sweep_spec(n_cells: int, unit: str, rho: float) -> Spec:
    """MI against ρ with ``rho`` marked: the chart is built once per (cells, unit), and a
    move of ρ only rewrites the marker's one-row dataset (the chart's second layer)."""
    spec = _sweep_spec(n_cells, unit)  # a fresh copy from the cache
    marker = spec["layer"][1]["data"]["name"]
    spec["datasets"][marker] = to_arrow([{"rho": float(rho)}])
    return spec
