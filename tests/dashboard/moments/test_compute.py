"""The moments page's cached wrappers give the right numbers in the right shape."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from dashboard.topics.moments import compute


class TestMomentsWrappers:
    def test_joint_moments_match_weighted_numpy_covariance(self):
        x, y = (0.0, 1.0, 3.0), (-1.0, 2.0)
        joint = ((0.1, 0.2), (0.25, 0.05), (0.1, 0.3))
        xs, ys = np.meshgrid(x, y, indexing="ij")
        cov = np.cov(xs.ravel(), ys.ravel(), aweights=np.ravel(joint), ddof=0)
        m = compute.joint_moments(x, y, joint)
        assert m.covariance == pytest.approx(cov[0, 1], rel=1e-12)
        assert m.correlation == pytest.approx(cov[0, 1] / math.sqrt(cov[0, 0] * cov[1, 1]), rel=1e-12)
        assert m.correlation_note is None

    def test_total_expectation_needs_one_y_value_per_column(self):
        with pytest.raises(ValueError, match=r"`y_values` must have one entry per column of `joint` \(2\); got 3"):
            compute.total_expectation_steps((0.0, 1.0), (1.0, 2.0, 3.0), ((0.25, 0.25), (0.25, 0.25)))

    def test_clt_histogram_is_a_density_on_mu_plus_minus_4_5_sigma(self):
        view = compute.clt_view("gaussian", {"mu": 1.0, "sigma": 2.0}, 4, 0, n_means=2000, bins=30)
        hist = view.histogram
        assert len(hist) == 30
        assert hist["bin_start"].iloc[0] == pytest.approx(1.0 - 4.5 * 1.0)  # σ/√n = 1
        assert hist["bin_end"].iloc[-1] == pytest.approx(1.0 + 4.5 * 1.0)
        width = hist["bin_end"] - hist["bin_start"]
        # The mass inside ±4.5σ: all but ~7e-6 of a normal, so all 2000 means here.
        assert float((hist["density"] * width).sum()) == pytest.approx(1.0, abs=1e-12)
        np.testing.assert_allclose(view.curve["density"], stats.norm.pdf(view.curve["x"], 1.0, 1.0), rtol=1e-12)
