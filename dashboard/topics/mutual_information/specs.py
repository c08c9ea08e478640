"""The Mutual information page's charts as cached Vega-Lite specs keyed on what each draws.

Each chart's shape is built once (it depends on no input, see
:func:`dashboard.common.ui.chart_shape`); a rerun swaps in the rows for the current table
and writes the unit into the axis title, so a change of ρ, grid, source or unit costs
an Arrow conversion per chart, not an Altair build.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.common.limits import CACHE_ENTRIES
from dashboard.common.ui import Spec, chart_shape, with_data, with_rows
from dashboard.topics.mutual_information import charts, compute

__all__ = ["diagram_spec", "heatmaps_spec", "sweep_spec"]

Joint = tuple[tuple[float, ...], ...]


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def heatmaps_spec(joint: Joint, x_labels: tuple[str, ...], y_labels: tuple[str, ...], unit: str) -> Spec:
    """The joint, the product of its marginals and the clipped PMI, side by side.

    The legends carry no unit (the page's caption states it), so only the rows change.
    """
    frame = compute.joint_heatmaps(joint, x_labels, y_labels, unit)
    spec = chart_shape(charts.joint_heatmaps_chart, (), frame, clip=compute.PMI_CLIP)
    # As the chart converts it: the grey cells are a boolean filter.
    return with_data(spec, frame.assign(impossible=frame["impossible"].astype(bool)))


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def diagram_spec(joint: Joint, unit: str) -> Spec:
    """H(X) and H(Y) as bars overlapping by I(X; Y); the entropies and parts are fixed."""
    frame = compute.information_diagram(compute.mutual_information_summary(joint, unit))
    spec = with_data(chart_shape(charts.information_diagram_chart, (), frame, unit=""), frame)
    spec["encoding"]["x"]["title"] = unit
    return spec


def sweep_spec(n_cells: int, unit: str, rho: float) -> Spec:
    """MI against ρ with ``rho`` marked: the curves' rows for (cells, unit), the marker's one row."""
    sweep = compute.mutual_information_sweep(n_cells, unit)
    spec = chart_shape(charts.mutual_information_sweep_chart, (), sweep, unit="", current_rho=0.0)
    with_rows(spec, sweep, pd.DataFrame({"rho": [float(rho)]}))
    spec["layer"][0]["encoding"]["y"]["title"] = f"I(X; Y), {unit}"
    return spec
