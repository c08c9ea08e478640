"""The fisher page's charts as pure functions: the data each carries, and its limits."""

from __future__ import annotations

import pandas as pd

from dashboard.common import palette
from dashboard.topics.fisher import charts


def test_fisher_charts():
    curves = pd.DataFrame({"theta": [0.1, 0.2, 0.1, 0.2], "curve": ["n = 5", "n = 5", "quadratic", "quadratic"],
                           "log_likelihood": [-1.0, 0.0, -0.9, 0.0]})
    spec = charts.log_likelihood_chart(curves, mle=0.2).to_dict()
    assert spec["layer"][0]["encoding"]["strokeDash"]["scale"]["range"] == [[1, 0], [6, 4]]
    hist = pd.DataFrame({"bin_start": [0.0], "bin_end": [0.1], "density": [10.0]})
    assert len(charts.cramer_rao_chart(hist, pd.DataFrame({"x": [0.0], "density": [1.0]})).to_dict()["layer"]) == 2
    landscape = pd.DataFrame({"mu": [0.0, 1.0, 0.0, 1.0], "sigma": [1.0, 1.0, 2.0, 2.0], "nll": [1.0, 2.0, 3.0, 4.0]})
    landscape = landscape.assign(mu0=landscape["mu"] - 0.5, mu1=landscape["mu"] + 0.5,
                                 s0=landscape["sigma"] - 0.5, s1=landscape["sigma"] + 0.5)
    paths = pd.DataFrame({"method": ["natural gradient"], "step": [0], "mu": [0.0], "sigma": [1.0], "loss": [1.0]})
    heat, lines = charts.gradient_paths_chart(landscape, paths).to_dict()["layer"]
    assert heat["mark"]["type"] == "rect" and lines["encoding"]["order"]["field"] == "step"
    assert lines["encoding"]["color"]["scale"]["range"] == [palette.NATURAL_GRADIENT]
    marked = charts.gradient_paths_chart(landscape, paths, optimum=(0.5, 1.5)).to_dict()
    _heat, _lines, cross, label = marked["layer"]
    assert cross["mark"]["shape"] == "cross" and cross["mark"]["color"] == palette.OPTIMUM
    assert marked["datasets"][label["data"]["name"]] == [{"mu": 0.5, "sigma": 1.5, "label": "best fit (MLE)"}]
    assert "lighter is lower" in heat["encoding"]["color"]["title"]
    matrices = pd.DataFrame({"row": [0, 0], "col": [0, 0], "matrix": ["exact", "kfac"], "value": [1.0, 0.9]})
    assert charts.kfac_matrices_chart(matrices).to_dict()["facet"]["column"]["field"] == "matrix"
    sweep = pd.DataFrame({"weight_scale": [0.0, 1.0], "relative_error": [0.0, 0.3]})
    assert len(charts.kfac_error_chart(sweep, current_scale=1.0).to_dict()["layer"]) == 2


def test_kfac_factors_chart_labels_each_factor():
    factors = pd.DataFrame({"factor": ["A"] * 4 + ["G"], "row": ["input 1", "input 1", "input 2", "input 2", "class 1"],
                            "col": ["input 1", "input 2", "input 1", "input 2", "class 1"],
                            "value": [1.0, 0.2, 0.2, 1.0, 0.25]})
    spec = charts.kfac_factors_chart(factors).to_dict()
    a_panel, g_panel = spec["hconcat"]
    assert (a_panel["title"], g_panel["title"]) == ("A", "G")
    assert a_panel["encoding"]["x"]["field"] == "col" and a_panel["encoding"]["x"]["axis"]["labelAngle"] == 0
    assert a_panel["transform"] == [{"filter": 'datum.factor === "A"'}]
