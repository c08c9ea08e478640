"""The mutual information page's charts as pure functions: the data each carries, and its limits."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.common import palette
from dashboard.topics.mutual_information import charts


def test_joint_heatmaps_chart_has_three_panels_with_a_diverging_pmi():
    cells = pd.DataFrame({"x": ["0", "0", "1", "1"], "y": ["0", "1", "0", "1"], "xi": [0, 0, 1, 1], "yi": [0, 1, 0, 1]})
    frame = pd.concat(
        [cells.assign(panel=p, value=v, shade=v, impossible=[False, True, True, False], text="t", label="t")
         for p, v in (("J", 0.25), ("PP", 0.25), ("PMI", 0.0))],
        ignore_index=True,
    )
    spec = charts.joint_heatmaps_chart(frame, clip=2.0).to_dict()
    assert len(spec["hconcat"]) == 3
    assert spec["resolve"]["scale"]["color"] == "independent"
    pmi_cells, grey, _labels = spec["hconcat"][2]["layer"]
    colour = pmi_cells["encoding"]["color"]
    assert colour["field"] == "shade"
    assert colour["scale"] == {"scheme": "blueorange", "domain": [-2.0, 2.0], "reverse": True, "clamp": True}
    assert colour["title"] == "PMI (colour clipped to ±2)"  # no unit: the page's caption states it
    # Cells are placed by their positions, not by sorting their labels.
    assert pmi_cells["encoding"]["x"]["sort"] == {"field": "yi", "op": "min"}
    assert pmi_cells["encoding"]["y"]["sort"] == {"field": "xi", "op": "min"}
    assert pmi_cells["transform"] == [{"filter": "!datum.impossible"}]
    assert grey["transform"] == [{"filter": "datum.impossible"}] and grey["mark"]["color"] == palette.LIGHT_GREY
    assert spec["hconcat"][2]["title"] == "PMI"
    with pytest.raises(ValueError, match=r"`frame` must hold 3 panels"):
        charts.joint_heatmaps_chart(frame[frame["panel"] != "PMI"])


def test_information_diagram_and_sweep_charts():
    bars = pd.DataFrame({"entropy": ["H(X)"], "part": ["I(X;Y)"], "start": [0.2], "end": [0.5], "value": [0.3]})
    spec = charts.information_diagram_chart(bars, unit="nats").to_dict()
    assert spec["encoding"]["x2"]["field"] == "end"
    sweep = pd.DataFrame({"rho": [0.0, 0.5], "curve": ["closed", "closed"], "mi": [0.0, 0.14]})
    layers = charts.mutual_information_sweep_chart(sweep, unit="bits", current_rho=0.5).to_dict()
    lines, here = layers["layer"]
    assert lines["encoding"]["y"]["title"] == "I(X; Y), bits"
    assert layers["datasets"][here["data"]["name"]] == [{"rho": 0.5}]
