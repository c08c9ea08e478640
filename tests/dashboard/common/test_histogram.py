"""The samples-against-density chart shared by the moments and distributions pages."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard.common import histogram, palette


def test_continuous_samples_are_bars_under_the_exact_line_with_a_legend():
    samples = pd.DataFrame({"bin_start": [0.0, 1.0], "bin_end": [1.0, 2.0], "density": [0.4, 0.6]})
    density = pd.DataFrame({"x": [0.5, 1.5], "density": [0.45, 0.55]})
    spec = histogram.samples_vs_density_chart(samples, density, discrete=False, x_title="x").to_dict()
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["rect", "line"]
    scale = spec["layer"][0]["encoding"]["color"]["scale"]
    assert scale == {"domain": ["sample", "exact"], "range": [palette.SAMPLE, palette.EXACT]}


def test_discrete_outcomes_sit_on_a_categorical_axis_with_proportions_beside_probabilities():
    # A Bernoulli: outcomes 0 and 1, bars centred on them (as family_samples makes them).
    samples = pd.DataFrame({"bin_start": [-0.25, 0.75], "bin_end": [0.25, 1.25], "density": [0.3, 0.7]})
    density = pd.DataFrame({"x": [0.0, 1.0], "density": [0.25, 0.75]})
    spec = histogram.samples_vs_density_chart(samples, density, discrete=True, x_title="outcome").to_dict()
    assert spec["encoding"]["x"]["type"] == "nominal" and spec["encoding"]["x"]["sort"] == ["0", "1"]
    assert spec["encoding"]["x"]["axis"]["labelAngle"] == 0
    assert "proportion" in spec["encoding"]["y"]["title"]
    (rows,) = spec["datasets"].values()
    assert [(r["outcome"], r["series"], r["value"]) for r in rows] == [
        ("0", "sample", 0.3), ("1", "sample", 0.7), ("0", "exact", 0.25), ("1", "exact", 0.75)]


def test_samples_vs_density_chart_refuses_raw_draws():
    raw = pd.DataFrame({"x": np.zeros(10), "density": 0.0})
    with pytest.raises(ValueError, match=r"`samples` is missing column\(s\) \['bin_start', 'bin_end'\]"):
        histogram.samples_vs_density_chart(raw, raw, discrete=False, x_title="x")
