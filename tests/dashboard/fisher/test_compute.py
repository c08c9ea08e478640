"""The fisher page's cached wrappers give the right numbers in the right shape."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from dashboard.common.chart_style import MAX_ROWS
from dashboard.topics.fisher import compute


class TestFisherWrappers:
    def test_likelihood_view(self):
        view = compute.likelihood_view("bernoulli", 0.25, 12, None)
        assert view.fisher == pytest.approx(1 / (0.25 * 0.75), rel=1e-12)
        assert view.curvature == pytest.approx(12 / (0.25 * 0.75), rel=1e-12)
        assert len(view.curves) <= MAX_ROWS
        assert view.curves["log_likelihood"].min() >= compute.LL_FLOOR
        c = view.curves[view.curves["curve"] == "n = 48"]
        ref = stats.binom.logpmf(12, 48, c["theta"]) - stats.binom.logpmf(12, 48, 0.25)
        np.testing.assert_allclose(c["log_likelihood"], ref, rtol=1e-8, atol=1e-10)
        with pytest.raises(ValueError, match=r"`mle` must lie in \(0, 1\)"):
            compute.likelihood_view("bernoulli", 1.0, 12, None)

    def test_cramer_rao_view(self):
        view = compute.cramer_rao_view(0.5, 10, 500, 0)
        assert view.bound == pytest.approx(0.025, rel=1e-12)
        widths = view.histogram["bin_end"] - view.histogram["bin_start"]
        np.testing.assert_allclose(widths, 0.1)  # one bar per value k/10
        assert float((view.histogram["density"] * widths).sum()) == pytest.approx(1.0)

    def test_gradient_paths(self):
        view = compute.gradient_paths(1.0, 2.0, 0.0, 1.0, 0.05, 20, "log_std")
        assert len(view.landscape) == compute.NLL_GRID_CELLS**2
        row = view.landscape.iloc[123]
        ref = -stats.norm.logpdf([-1.0, 3.0], row["mu"], row["sigma"]).mean()
        assert row["nll"] == pytest.approx(ref, rel=1e-10)
        assert view.best_loss == pytest.approx(-stats.norm.logpdf([-1.0, 3.0], 1.0, 2.0).mean(), rel=1e-12)
        assert set(view.paths["method"]) == {"natural gradient", "plain gradient"}
        # Each cell spans halfway to its neighbours, so the cells tile the mesh.
        mus = np.sort(view.landscape["mu"].unique())
        np.testing.assert_allclose(view.landscape["mu1"] - view.landscape["mu0"], mus[1] - mus[0])
        np.testing.assert_allclose(view.landscape["mu0"] + view.landscape["mu1"], 2 * view.landscape["mu"])
        sigmas = np.sort(view.landscape["sigma"].unique())
        np.testing.assert_allclose(view.landscape["s1"] - view.landscape["s0"], sigmas[1] - sigmas[0])
        with pytest.raises(ValueError, match=r"`data_sd` must be > 0"):
            compute.gradient_paths(1.0, 0.0, 0.0, 1.0, 0.05, 20, "std")

    def test_kfac_view(self):
        view = compute.kfac_view(30, 2, 3, 0.0, 1)
        assert view.relative_error < 1e-12
        assert len(view.matrices) == 2 * 36
        assert list(view.sweep["weight_scale"]) == list(compute.KFAC_SCALES)
        with pytest.raises(ValueError, match=r"`weight_scale` must be >= 0"):
            compute.kfac_view(30, 2, 3, -1.0, 1)
