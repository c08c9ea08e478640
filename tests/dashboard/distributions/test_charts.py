"""The distributions page's charts as pure functions: the data each carries, and its limits."""

from __future__ import annotations

import pandas as pd

from dashboard.topics.distributions import charts


def test_simplex_chart_labels_the_corners_and_adds_samples():
    grid = pd.DataFrame({"x": [0.5], "y": [0.3], "pi1": [0.3], "pi2": [0.3], "pi3": [0.4], "density": [2.0]})
    spec = charts.simplex_chart(grid, pd.DataFrame({"x": [0.4], "y": [0.2]})).to_dict()
    heat, corners, dots = spec["layer"]
    assert heat["encoding"]["color"]["field"] == "density"
    assert [r["label"] for r in spec["datasets"][corners["data"]["name"]]] == ["π₁ = 1", "π₂ = 1", "π₃ = 1"]
    assert dots["mark"]["type"] == "circle"
    assert len(charts.simplex_chart(grid).to_dict()["layer"]) == 2
