"""The fisher page's charts as pure functions: the data each carries, and its limits."""

from __future__ import annotations

import pandas as pd

from dashboard.topics.fisher import charts


def test_fisher_charts():
    curves = pd.DataFrame({"theta": [0.1, 0.2, 0.1, 0.2], "curve": ["n = 5", "n = 5", "quadratic", "quadratic"],
                           "log_likelihood": [-1.0, 0.0, -0.9, 0.0]})
    spec = charts.log_likelihood_chart(curves, mle=0.2).to_dict()
    assert spec["layer"][0]["encoding"]["strokeDash"]["scale"]["range"] == [[1, 0], [6, 4]]
    hist = pd.DataFrame({"bin_start": [0.0], "bin_end": [0.1], "density": [10.0]})
    assert len(charts.cramer_rao_chart(hist, pd.DataFrame({"x": [0.0], "density": [1.0]})).to_dict()["layer"]) == 2
    landscape = pd.DataFrame({"mu": [0.0, 1.0, 0.0, 1.0], "sigma": [1.0, 1.0, 2.0, 2.0], "nll": [1.0, 2.0, 3.0, 4.0]})
    paths = pd.DataFrame({"method": ["natural"], "step": [0], "mu": [0.0], "sigma": [1.0], "loss": [1.0]})
    heat, lines = charts.gradient_paths_chart(landscape, paths).to_dict()["layer"]
    assert heat["mark"]["type"] == "rect" and lines["encoding"]["order"]["field"] == "step"
    matrices = pd.DataFrame({"row": [0, 0], "col": [0, 0], "matrix": ["exact", "kfac"], "value": [1.0, 0.9]})
    assert charts.kfac_matrices_chart(matrices).to_dict()["facet"]["column"]["field"] == "matrix"
    sweep = pd.DataFrame({"weight_scale": [0.0, 1.0], "relative_error": [0.0, 0.3]})
    assert len(charts.kfac_error_chart(sweep, current_scale=1.0).to_dict()["layer"]) == 2
