"""The moments page's charts as pure functions: the data each carries, and its limits."""

from __future__ import annotations

import pandas as pd

from dashboard.topics.moments import charts


def test_discrete_pmf_chart_marks_the_mean():
    pmf = pd.DataFrame({"x": [0.0, 1.0, 5.0], "probability": [0.5, 0.3, 0.2]})
    spec = charts.discrete_pmf_chart(pmf, mean=1.3).to_dict()
    bars, rule = spec["layer"]
    assert bars["mark"]["type"] == "bar" and rule["mark"]["type"] == "rule"
    assert spec["datasets"][rule["data"]["name"]] == [{"x": 1.3, "label": "E[X] = 1.300"}]
    assert len(charts.discrete_pmf_chart(pmf).to_dict()["layer"]) == 1
