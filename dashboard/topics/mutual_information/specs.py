"""The Mutual information page's charts as cached Vega-Lite specs keyed on what each draws.

Each chart's shape is built once (it depends on no input); a rerun swaps in the rows for the current table
and writes the unit into the axis title, so a change of ρ, grid, source or unit costs
an Arrow conversion per chart, not an Altair build.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.common.limits import CACHE_ENTRIES
from dashboard.common.ui import Spec, layer_data_name, spec_of, with_data
from dashboard.topics.mutual_information import charts, compute

__all__ = ["diagram_spec", "heatmaps_spec", "sweep_spec"]

Joint = tuple[tuple[float, ...], ...]


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _heatmaps_shape(_frame: pd.DataFrame) -> Spec:
    # The shape depends on no input; ``_frame`` (not hashed) is the first table drawn.
    return spec_of(charts.joint_heatmaps_chart(_frame, clip=compute.PMI_CLIP))


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def heatmaps_spec(joint: Joint, x_labels: tuple[str, ...], y_labels: tuple[str, ...], unit: str) -> Spec:
    """The joint, the product of its marginals and the clipped PMI, side by side.

    The legends carry no unit (the page's caption states it), so only the rows change.
    """
    frame = compute.joint_heatmaps(joint, x_labels, y_labels, unit)
    spec = _heatmaps_shape(frame)  # a fresh copy from the cache
    # As the chart converts it: the grey cells are a boolean filter.
    return with_data(spec, frame.assign(impossible=frame["impossible"].astype(bool)))


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _diagram_shape(_frame: pd.DataFrame) -> Spec:
    # Entropy rows and parts are fixed, so one shape serves every table.
    return spec_of(charts.information_diagram_chart(_frame, unit=""))


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def diagram_spec(joint: Joint, unit: str) -> Spec:
    """H(X) and H(Y) as bars overlapping by I(X; Y)."""
    frame = compute.information_diagram(compute.mutual_information_summary(joint, unit))
    spec = with_data(_diagram_shape(frame), frame)
    spec["encoding"]["x"]["title"] = unit
    return spec


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _sweep_shape(_sweep: pd.DataFrame) -> Spec:
    # The curves and axes are the same for every grid and unit (the unit is written in
    # per call), so one shape serves all.
    return spec_of(charts.mutual_information_sweep_chart(_sweep, unit="", current_rho=0.0))


def sweep_spec(n_cells: int, unit: str, rho: float) -> Spec:
    """MI against ρ with ``rho`` marked: the curves' rows for (cells, unit), the marker's one row."""
    sweep = compute.mutual_information_sweep(n_cells, unit)
    spec = _sweep_shape(sweep)  # a fresh copy from the cache
    with_data(spec, sweep, layer_data_name(spec, 0))
    with_data(spec, pd.DataFrame({"rho": [float(rho)]}), layer_data_name(spec, 1))
    spec["layer"][0]["encoding"]["y"]["title"] = f"I(X; Y), {unit}"
    return spec
