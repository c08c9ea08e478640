"""The kl vs js page's charts as pure functions: the data each carries, and its limits."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from dashboard.common import export, palette
from dashboard.common.chart_style import MAX_ROWS
from dashboard.topics.kl_vs_js import charts, mixture_fit


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
        {"separation": [0.0, 1.0, 0.0, 1.0], "divergence": ["KL(P‖Q)", "KL(P‖Q)", "JS(P, Q)", "JS(P, Q)"],
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
    sweep = pd.DataFrame({"separation": [0.0], "divergence": ["JS(P, Q)"], "nats": [0.0]})
    assert len(charts.divergence_sweep_chart(sweep, js_bound=0.69).to_dict()["layer"]) == 3


def test_too_many_rows_are_refused():
    big = pd.DataFrame({"x": np.zeros(MAX_ROWS + 1), "density": 0.0, "distribution": "P"})
    with pytest.raises(ValueError, match=r"`curves` has 5001 rows; thin it to at most 5000"):
        charts.gaussian_densities_chart(big)


def test_sweep_colours_each_divergence_by_its_concept():
    sweep = pd.DataFrame({"separation": [0.0, 0.0, 0.0], "divergence": ["KL(P‖Q)", "KL(Q‖P)", "JS(P, Q)"],
                          "nats": [0.0, 0.0, 0.0]})
    scale = charts.divergence_sweep_chart(sweep, js_bound=0.69).to_dict()["layer"][0]["encoding"]["color"]["scale"]
    assert scale["range"] == [palette.KL, palette.KL_REVERSE, palette.JS]


def test_kl_integrand_chart_is_an_area_in_kl_colour_with_a_title():
    frame = pd.DataFrame({"x": [0.0, 1.0], "integrand": [0.2, -0.1]})
    spec = charts.kl_integrand_chart(frame, kl=0.1234).to_dict()
    assert "0.1234" in spec["title"]
    area = spec["layer"][0]
    assert area["mark"]["type"] == "area" and area["mark"]["color"] == palette.KL


def test_mixture_fit_chart_colours_fits_by_the_kl_they_minimise():
    curves = mixture_fit.fit_curves(mixture_fit.mixture_fits(4.0, 0.5, 0.5))
    spec = charts.mixture_fit_chart(curves).to_dict()
    assert spec["encoding"]["color"]["scale"]["range"] == [palette.P, palette.KL, palette.KL_REVERSE]
    assert spec["title"]


def test_new_charts_compile_and_render():
    # vl-convert runs the Vega-Lite compiler: a spec the browser could not draw fails here.
    curves = mixture_fit.fit_curves(mixture_fit.mixture_fits(4.0, 0.5, 0.5))
    integrand = pd.DataFrame({"x": [0.0, 1.0, 2.0], "integrand": [0.2, -0.1, 0.0]})
    for chart in (charts.mixture_fit_chart(curves), charts.kl_integrand_chart(integrand, kl=None)):
        assert export.chart_png(chart, scale=1).startswith(b"\x89PNG")
