"""The beta binomial page's charts as pure functions: the data each carries, and its limits."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard.common import export, palette
from dashboard.topics.beta_binomial import charts, compute
from tests.dashboard.helpers import chart_rows


def beta_frame(n: int = 50) -> pd.DataFrame:
    p = (np.arange(n) + 0.5) / n
    return pd.concat(
        [pd.DataFrame({"p": p, "density": np.ones(n), "curve": name}) for name in ("prior", "posterior", "likelihood (normalised)")],
        ignore_index=True,
    )


def test_beta_binomial_chart_carries_all_rows_and_dashes_the_chosen_curve():
    chart = charts.beta_binomial_chart(beta_frame(), dashed=["likelihood (normalised)"])
    (rows,) = chart_rows(chart).values()
    assert len(rows) == 150
    assert set(rows[0]) == {"p", "density", "curve"}
    spec = chart.to_dict()
    assert spec["encoding"]["color"]["scale"]["domain"] == ["prior", "posterior", "likelihood (normalised)"]
    assert spec["encoding"]["color"]["scale"]["range"] == [palette.PRIOR, palette.POSTERIOR, palette.LIKELIHOOD]
    assert spec["encoding"]["strokeDash"]["scale"]["range"] == [[1, 0], [1, 0], [6, 4]]


def test_posterior_steps_chart_has_one_point_per_step():
    steps = pd.DataFrame(
        {"step": [0, 1, 2], "flip": ["prior", "H", "T"], "alpha": [2.0, 3.0, 3.0],
         "beta": [2.0, 2.0, 3.0], "mean": [0.5, 0.6, 0.5]}
    )
    chart = charts.posterior_steps_chart(steps)
    (rows,) = chart_rows(chart).values()
    assert [r["mean"] for r in rows] == [0.5, 0.6, 0.5]
    assert [layer["mark"]["type"] for layer in chart.to_dict()["layer"]] == ["line", "point"]


def test_missing_columns_are_named():
    with pytest.raises(ValueError, match=r"`curves` is missing column\(s\) \['curve'\]"):
        charts.beta_binomial_chart(pd.DataFrame({"p": [0.5], "density": [1.0]}))


def test_a_non_frame_is_a_type_error():
    with pytest.raises(TypeError, match=r"`steps` must be a pandas DataFrame, got dict"):
        charts.posterior_steps_chart({"step": [0]})


def test_estimates_and_interval_are_marked_on_the_curve():
    summary = compute.beta_binomial_summary(2.0, 2.0, 4, 1)
    marks = compute.estimate_marks(summary)
    spec = charts.beta_binomial_chart(beta_frame(), estimates=marks,
                                      interval=(summary.interval_low, summary.interval_high, 0.95)).to_dict()
    band, _lines, rules, points, *labels = spec["layer"]
    assert len(labels) == 3  # one row of text per estimate
    assert band["mark"]["type"] == "rect" and band["encoding"]["x2"]["field"] == "high"
    assert rules["mark"]["type"] == "rule" and rules["encoding"]["y"]["field"] == "density"
    assert points["encoding"]["y"]["field"] == "density"  # on the posterior, not on the axis
    assert {label["encoding"]["text"]["field"] for label in labels} == {"estimate"}
    assert points["encoding"]["color"]["scale"]["range"] == [palette.MEAN, palette.MODE, palette.MLE]


def test_the_marked_chart_compiles_and_renders_with_its_title():
    # vl-convert runs the Vega-Lite compiler: a spec the browser could not draw fails here.
    summary = compute.beta_binomial_summary(2.0, 2.0, 4, 1)
    chart = charts.beta_binomial_chart(compute.beta_binomial_curves(2.0, 2.0, 4, 1), estimates=compute.estimate_marks(summary),
                                       interval=(summary.interval_low, summary.interval_high, 0.95))
    assert export.chart_png(chart, scale=1).startswith(b"\x89PNG")
