"""The sampling page's charts as pure functions: the data each carries, and its limits."""

from __future__ import annotations

import math

import pandas as pd

from dashboard.topics.sampling import charts


def test_token_sampling_chart_fades_the_removed_tokens():
    bars = pd.DataFrame({"token": ["a", "b", "a", "b"], "stage": ["T", "T", "filtered", "filtered"],
                         "probability": [0.6, 0.4, 1.0, 0.0], "kept": [True, False, True, False]})
    spec = charts.token_sampling_chart(bars).to_dict()
    assert spec["encoding"]["color"]["scale"]["domain"] == ["T", "filtered"]
    assert spec["encoding"]["opacity"]["condition"]["test"] == "datum.kept"


def test_inverse_cdf_chart_layers():
    bands = pd.DataFrame({"token": ["a", "b"], "position": [0, 1], "cdf_low": [0.0, 0.3], "cdf_high": [0.3, 1.0]})
    draws = pd.DataFrame({"draw": [1], "u": [0.5], "token": ["b"], "position": [1]})
    spec = charts.inverse_cdf_chart(bands, draws).to_dict()
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["rect", "line", "rule", "point"]


def test_rejection_and_importance_charts():
    points = pd.DataFrame({"x": [0.2, 0.5], "height": [0.1, 1.4], "outcome": ["accepted", "rejected"]})
    curves = pd.DataFrame({"x": [0.0, 1.0, 0.0, 1.0], "density": [0.0, 0.0, 1.5, 1.5],
                           "curve": ["target", "target", "roof", "roof"]})
    spec = charts.rejection_chart(points, curves).to_dict()
    assert spec["layer"][1]["encoding"]["strokeDash"]["scale"]["range"] == [[1, 0], [6, 4]]
    weights = charts.importance_weights_chart(pd.DataFrame({"x": [0.0], "weight": [1.0]})).to_dict()
    assert weights["encoding"]["y"]["field"] == "weight"
    sweep = pd.DataFrame({"shift": [0.0, 1.0], "ess_fraction": [1.0, 0.4], "spread": [0.1, 0.3],
                          "mean_estimate": [1.0, 0.9]})
    panels = charts.importance_sweep_chart(sweep, current_shift=1.0, exact=1.0).to_dict()["hconcat"]
    assert len(panels) == 3


def test_ppo_clip_chart_shades_only_when_a_region_is_given():
    curves = pd.DataFrame({"ratio": [0.5, 1.5], "curve": ["min", "min"], "objective": [0.5, 1.2]})
    shaded = charts.ppo_clip_chart(curves, clipped_from=1.2, clipped_to=1.5, ratio=1.5, objective=1.2)
    assert [layer["mark"]["type"] for layer in shaded.to_dict()["layer"]] == ["rect", "line", "point"]
    plain = charts.ppo_clip_chart(curves, clipped_from=math.nan, clipped_to=math.nan, ratio=1.0, objective=1.0)
    assert [layer["mark"]["type"] for layer in plain.to_dict()["layer"]] == ["line", "point"]
