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


# --- Moments, distributions, entropy and mutual information pages


def test_discrete_pmf_chart_marks_the_mean():
    pmf = pd.DataFrame({"x": [0.0, 1.0, 5.0], "probability": [0.5, 0.3, 0.2]})
    spec = charts.discrete_pmf_chart(pmf, mean=1.3).to_dict()
    bars, rule = spec["layer"]
    assert bars["mark"]["type"] == "bar" and rule["mark"]["type"] == "rule"
    assert spec["datasets"][rule["data"]["name"]] == [{"x": 1.3, "label": "E[X] = 1.300"}]
    assert len(charts.discrete_pmf_chart(pmf).to_dict()["layer"]) == 1


@pytest.mark.parametrize(("discrete", "marks"), [(True, ["rect", "rule", "point"]), (False, ["rect", "line"])])
def test_samples_vs_density_chart_draws_bars_under_the_exact_curve(discrete, marks):
    samples = pd.DataFrame({"bin_start": [0.0, 1.0], "bin_end": [1.0, 2.0], "density": [0.4, 0.6]})
    density = pd.DataFrame({"x": [0.5, 1.5], "density": [0.45, 0.55]})
    spec = charts.samples_vs_density_chart(samples, density, discrete=discrete, x_title="x").to_dict()
    assert [layer["mark"]["type"] for layer in spec["layer"]] == marks
    assert spec["layer"][0]["encoding"]["x2"]["field"] == "bin_end"
    assert len(spec["datasets"]) == 2


def test_samples_vs_density_chart_refuses_raw_draws():
    raw = pd.DataFrame({"x": np.zeros(10), "density": 0.0})
    with pytest.raises(ValueError, match=r"`samples` is missing column\(s\) \['bin_start', 'bin_end'\]"):
        charts.samples_vs_density_chart(raw, raw, discrete=False, x_title="x")


def test_simplex_chart_labels_the_corners_and_adds_samples():
    grid = pd.DataFrame({"x": [0.5], "y": [0.3], "pi1": [0.3], "pi2": [0.3], "pi3": [0.4], "density": [2.0]})
    spec = charts.simplex_chart(grid, pd.DataFrame({"x": [0.4], "y": [0.2]})).to_dict()
    heat, corners, dots = spec["layer"]
    assert heat["encoding"]["color"]["field"] == "density"
    assert [r["label"] for r in spec["datasets"][corners["data"]["name"]]] == ["π₁ = 1", "π₂ = 1", "π₃ = 1"]
    assert dots["mark"]["type"] == "circle"
    assert len(charts.simplex_chart(grid).to_dict()["layer"]) == 2


def test_token_probabilities_chart_groups_p_and_q_per_token():
    frame = pd.DataFrame(
        {"token": ["a", "b", "a", "b"], "distribution": ["P", "P", "Q", "Q"], "probability": [0.7, 0.3, 0.4, 0.6]}
    )
    spec = charts.token_probabilities_chart(frame).to_dict()
    assert spec["encoding"]["xOffset"]["field"] == "distribution"
    assert spec["encoding"]["x"]["sort"] == ["a", "b"]


def test_cross_entropy_decomposition_chart_stacks_and_highlights_the_current_bar():
    frame = pd.DataFrame(
        {"temperature": ["T = 1", "T = 1", "T = 2", "T = 2"], "part": ["H(P)", "KL", "H(P)", "KL"],
         "value": [1.0, 0.2, 1.0, 0.5], "current": [True, True, False, False]}
    )
    spec = charts.cross_entropy_decomposition_chart(frame, unit="bits").to_dict()
    assert spec["encoding"]["y"]["stack"] == "zero"
    assert spec["encoding"]["y"]["title"] == "cross-entropy H(P, Q), bits"
    assert spec["encoding"]["opacity"]["condition"]["test"] == "datum.current"


def test_joint_heatmaps_chart_has_three_panels_with_a_diverging_pmi():
    cells = pd.DataFrame({"x": ["0", "0", "1", "1"], "y": ["0", "1", "0", "1"]})
    frame = pd.concat(
        [cells.assign(panel=p, value=v, text="t") for p, v in (("J", 0.25), ("PP", 0.25), ("PMI", 0.0))],
        ignore_index=True,
    )
    spec = charts.joint_heatmaps_chart(frame).to_dict()
    assert len(spec["hconcat"]) == 3
    assert spec["resolve"]["scale"]["color"] == "independent"
    pmi_cells = spec["hconcat"][2]["layer"][0]
    assert pmi_cells["encoding"]["color"]["scale"] == {"scheme": "redblue", "domainMid": 0}
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


# --- Sampling and Fisher information pages


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


def test_sampling_and_fisher_charts_refuse_oversized_or_malformed_frames():
    big = pd.DataFrame({"x": np.zeros(charts.MAX_ROWS + 1), "weight": 1.0})
    with pytest.raises(ValueError, match=r"`points` has 5001 rows; thin it"):
        charts.importance_weights_chart(big)
    with pytest.raises(ValueError, match=r"`landscape` is missing column\(s\) \['nll'\]"):
        charts.gradient_paths_chart(pd.DataFrame({"mu": [0.0], "sigma": [1.0]}),
                                    pd.DataFrame({"method": [], "step": [], "mu": [], "sigma": [], "loss": []}))
