"""The sampling page's charts as pure functions: the data each carries, and its limits."""

from __future__ import annotations

import math

import pandas as pd

from dashboard.common import palette
from dashboard.topics.sampling import charts
from dashboard.topics.sampling.labels import FILTERED_LABEL, TEMPERED_LABEL


def test_token_sampling_chart_fades_the_removed_tokens():
    stages = [TEMPERED_LABEL, TEMPERED_LABEL, FILTERED_LABEL, FILTERED_LABEL]
    bars = pd.DataFrame({"token": ["a", "b", "a", "b"], "stage": stages,
                         "probability": [0.6, 0.4, 1.0, 0.0], "kept": [True, False, True, False]})
    spec = charts.token_sampling_chart(bars, title="T").to_dict()
    scale = spec["encoding"]["color"]["scale"]
    assert scale["domain"] == [TEMPERED_LABEL, FILTERED_LABEL]
    assert scale["range"] == [palette.AFTER_TEMPERATURE, palette.AFTER_FILTERING]
    assert spec["encoding"]["opacity"]["condition"]["test"] == "datum.kept"
    assert spec["encoding"]["x"]["type"] == "nominal" and spec["encoding"]["x"]["axis"]["labelAngle"] == 0
    assert spec["title"] == "T"


def mass(kept: list[bool]) -> pd.DataFrame:
    return pd.DataFrame({"token": ["a", "b", "c"], "probability": [0.6, 0.3, 0.1],
                         "cumulative": [0.6, 0.9, 1.0], "kept": kept})


def test_top_p_chart_draws_the_running_mass_the_level_and_the_cut():
    spec = charts.top_p_chart(mass([True, True, False]), top_p=0.8).to_dict()
    marks = [layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"] for layer in spec["layer"]]
    assert marks == ["bar", "line", "rule", "rule"]
    cut = spec["layer"][3]
    assert cut["encoding"]["x"]["bandPosition"] == 0  # on the boundary before the first dropped token
    assert spec["datasets"][cut["data"]["name"]][0]["token"] == "c"
    assert spec["datasets"][spec["layer"][2]["data"]["name"]][0]["p"] == 0.8
    assert "cut" in spec["title"]


def test_top_p_chart_without_the_answer_or_without_a_cut():
    hidden = charts.top_p_chart(mass([True, True, False]), top_p=0.8, show_cut=False).to_dict()
    assert len(hidden["layer"]) == 2  # bars and the level p: no running mass, no cut
    off = charts.top_p_chart(mass([True, True, True]), top_p=None).to_dict()
    assert len(off["layer"]) == 2  # bars and the running mass


def test_inverse_cdf_chart_has_token_names_on_its_axis():
    bands = pd.DataFrame({"token": ["a", "b"], "position": [0, 1], "cdf_low": [0.0, 0.3], "cdf_high": [0.3, 1.0]})
    draws = pd.DataFrame({"draw": [1], "u": [0.5], "token": ["b"], "position": [1]})
    spec = charts.inverse_cdf_chart(bands, draws).to_dict()
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["bar", "point"]
    x = spec["layer"][0]["encoding"]["x"]
    assert (x["field"], x["type"], x["sort"]) == ("token", "nominal", ["a", "b"])
    assert spec["title"].startswith("Inverse CDF")


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
    assert len(panels) == 3 and all(panel["title"] for panel in panels)
    assert spec["title"] and weights["title"]


def test_ppo_clip_chart_shades_only_when_a_region_is_given():
    curves = pd.DataFrame({"ratio": [0.5, 1.5], "curve": ["min", "min"], "objective": [0.5, 1.2]})
    shaded = charts.ppo_clip_chart(curves, clipped_from=1.2, clipped_to=1.5, ratio=1.5, objective=1.2)
    assert [layer["mark"]["type"] for layer in shaded.to_dict()["layer"]] == ["rect", "line", "point"]
    plain = charts.ppo_clip_chart(curves, clipped_from=math.nan, clipped_to=math.nan, ratio=1.0, objective=1.0)
    assert [layer["mark"]["type"] for layer in plain.to_dict()["layer"]] == ["line", "point"]
