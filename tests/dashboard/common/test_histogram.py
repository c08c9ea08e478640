"""The samples-against-density chart shared by the moments and distributions pages."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard.common import histogram


@pytest.mark.parametrize(("discrete", "marks"), [(True, ["rect", "rule", "point"]), (False, ["rect", "line"])])
def test_samples_vs_density_chart_draws_bars_under_the_exact_curve(discrete, marks):
    samples = pd.DataFrame({"bin_start": [0.0, 1.0], "bin_end": [1.0, 2.0], "density": [0.4, 0.6]})
    density = pd.DataFrame({"x": [0.5, 1.5], "density": [0.45, 0.55]})
    spec = histogram.samples_vs_density_chart(samples, density, discrete=discrete, x_title="x").to_dict()
    assert [layer["mark"]["type"] for layer in spec["layer"]] == marks
    assert spec["layer"][0]["encoding"]["x2"]["field"] == "bin_end"
    assert len(spec["datasets"]) == 2


def test_samples_vs_density_chart_refuses_raw_draws():
    raw = pd.DataFrame({"x": np.zeros(10), "density": 0.0})
    with pytest.raises(ValueError, match=r"`samples` is missing column\(s\) \['bin_start', 'bin_end'\]"):
        histogram.samples_vs_density_chart(raw, raw, discrete=False, x_title="x")
