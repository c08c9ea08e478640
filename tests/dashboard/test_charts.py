"""dashboard.charts as pure functions: the data each chart carries, and its limits."""

from __future__ import annotations

import math

import altair as alt
import numpy as np
import pandas as pd
import pytest

from dashboard import charts


def chart_rows(chart: alt.TopLevelMixin) -> dict[str, list[dict]]:
    """The chart's inline datasets (name -> rows), as Vega-Lite receives them."""
    return chart.to_dict()["datasets"]


def beta_frame(n: int = 50) -> pd.DataFrame:
    p = (np.arange(n) + 0.5) / n
    return pd.concat(
        [pd.DataFrame({"p": p, "density": np.ones(n), "curve": name}) for name in ("prior", "posterior", "lik")],
        ignore_index=True,
    )


def test_beta_binomial_chart_carries_all_rows_and_dashes_the_chosen_curve():
    chart = charts.beta_binomial_chart(beta_frame(), dashed=["lik"])
    (rows,) = chart_rows(chart).values()
    assert len(rows) == 150
    assert set(rows[0]) == {"p", "density", "curve"}
    spec = chart.to_dict()
    assert spec["encoding"]["color"]["scale"]["domain"] == ["prior", "posterior", "lik"]
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


def test_gaussian_densities_chart_colours_p_and_q():
    x = np.linspace(-3, 3, 11)
    frame = pd.concat(
        [pd.DataFrame({"x": x, "density": np.ones(11), "distribution": d}) for d in ("P", "Q")],
        ignore_index=True,
    )
    spec = charts.gaussian_densities_chart(frame).to_dict()
    assert spec["encoding"]["color"]["scale"]["domain"] == ["P", "Q"]
    assert spec["encoding"]["y"]["stack"] is None  # overlaid, not stacked
    (rows,) = spec["datasets"].values()
    assert len(rows) == 22


def test_divergence_sweep_chart_draws_the_bound_and_the_current_separation():
    sweep = pd.DataFrame(
        {"separation": [0.0, 1.0, 0.0, 1.0], "divergence": ["KL", "KL", "JS", "JS"],
         "nats": [0.0, 0.5, 0.0, 0.1]}
    )
    chart = charts.divergence_sweep_chart(sweep, js_bound=math.log(2), current_separation=0.7)
    spec = chart.to_dict()
    lines, rule, label, here = spec["layer"]
    assert lines["encoding"]["y"]["scale"]["type"] == "symlog"
    assert label["mark"]["type"] == "text"
    datasets = spec["datasets"]
    assert datasets[rule["data"]["name"]] == [{"nats": math.log(2), "label": "ln 2 = 0.6931"}]
    assert datasets[here["data"]["name"]] == [{"separation": 0.7}]
    assert len(datasets[lines["data"]["name"]]) == 4
    # Axis ticks stop at the data's maximum (here ln 2, above every KL value).
    assert max(lines["encoding"]["y"]["axis"]["values"]) <= 1.0


def test_divergence_sweep_chart_without_a_current_point_has_three_layers():
    sweep = pd.DataFrame({"separation": [0.0], "divergence": ["JS"], "nats": [0.0]})
    assert len(charts.divergence_sweep_chart(sweep, js_bound=0.69).to_dict()["layer"]) == 3


def test_missing_columns_are_named():
    with pytest.raises(ValueError, match=r"`curves` is missing column\(s\) \['curve'\]"):
        charts.beta_binomial_chart(pd.DataFrame({"p": [0.5], "density": [1.0]}))


def test_too_many_rows_are_refused():
    big = pd.DataFrame({"x": np.zeros(charts.MAX_ROWS + 1), "density": 0.0, "distribution": "P"})
    with pytest.raises(ValueError, match=r"`curves` has 5001 rows; thin it to at most 5000"):
        charts.gaussian_densities_chart(big)


def test_a_non_frame_is_a_type_error():
    with pytest.raises(TypeError, match=r"`steps` must be a pandas DataFrame, got dict"):
        charts.posterior_steps_chart({"step": [0]})
