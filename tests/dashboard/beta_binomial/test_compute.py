"""The beta binomial page's cached wrappers give the right numbers in the right shape."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from scipy import special, stats

from dashboard.common.chart_style import MAX_ROWS
from dashboard.topics.beta_binomial import compute


class TestBetaBinomial:
    def test_summary_matches_the_closed_forms_and_scipy(self):
        s = compute.beta_binomial_summary(2.0, 3.0, 9, 4)
        assert (s.alpha, s.beta) == (11.0, 7.0)
        assert s.mean == pytest.approx(11 / 18, rel=1e-12)
        assert s.map == pytest.approx(10 / 16, rel=1e-12)
        assert s.mle == pytest.approx(9 / 13, rel=1e-12)
        lo, hi = stats.beta.ppf([0.025, 0.975], 11, 7)
        assert (s.interval_low, s.interval_high) == pytest.approx((lo, hi), rel=1e-10)
        assert s.level == 0.95

    def test_curves_are_the_beta_densities_and_the_normalised_likelihood(self):
        h, t = 7, 3
        curves = compute.beta_binomial_curves(1.0, 1.0, h, t)
        assert list(curves["curve"].unique()) == [compute.PRIOR, compute.POSTERIOR, compute.LIKELIHOOD]
        assert len(curves) == 3 * compute.BETA_GRID_POINTS <= MAX_ROWS
        by = {name: g for name, g in curves.groupby("curve")}
        p = by[compute.LIKELIHOOD]["p"].to_numpy()
        assert p.min() > 0 and p.max() < 1  # cell midpoints: finite densities even for α < 1
        # The likelihood p^h (1-p)^t over its integral B(h+1, t+1).
        lik = p**h * (1 - p) ** t / special.beta(h + 1, t + 1)
        np.testing.assert_allclose(by[compute.LIKELIHOOD]["density"], lik, rtol=1e-10)
        np.testing.assert_allclose(by[compute.POSTERIOR]["density"], stats.beta.pdf(p, 8, 4), rtol=1e-10)
        np.testing.assert_allclose(by[compute.PRIOR]["density"], 1.0)

    def test_steps_follow_the_course_walkthrough(self):
        steps = compute.beta_binomial_steps(2.0, 2.0, "H, H, H, T, H")
        assert list(steps["flip"]) == ["prior", "H", "H", "H", "T", "H"]
        np.testing.assert_allclose(steps["mean"], [2 / 4, 3 / 5, 4 / 6, 5 / 7, 5 / 8, 6 / 9])
        assert steps["alpha"].iloc[-1] == 6 and steps["beta"].iloc[-1] == 3
        assert math.isnan(steps["mle"].iloc[0])
        assert steps["mle"].iloc[-1] == pytest.approx(0.8)

    def test_bad_counts_are_reported_by_their_own_name(self):
        with pytest.raises(ValueError, match="`heads` must be non-negative"):
            compute.beta_binomial_curves(1.0, 1.0, -2, 3)
        with pytest.raises(ValueError, match="`alpha0` must be > 0"):
            compute.beta_binomial_summary(0.0, 1.0, 2, 3)

    def test_bad_flips_are_a_value_error(self):
        with pytest.raises(ValueError, match="`flips` may contain only H and T; found 'x' at position 2"):
            compute.beta_binomial_steps(1.0, 1.0, "Hx")


class TestPosteriorFrames:
    def test_each_frame_is_the_posterior_after_that_many_flips(self):
        # Course walkthrough: Beta(2, 2), then H, H, H, T, H -> Beta(2+h, 2+t) after each flip.
        frames = compute.posterior_frames(2.0, 2.0, "HHHTH")
        x = np.array(frames["x"])
        assert len(x) == compute.BETA_GRID_POINTS and 0 < x[0] < x[-1] < 1
        counts = [(0, 0), (1, 0), (2, 0), (3, 0), (3, 1), (4, 1)]
        assert len(frames["y"]) == len(counts)
        for (h, t), curve in zip(counts, frames["y"], strict=True):
            # Rounded to 4 decimals for a compact payload.
            np.testing.assert_allclose(curve, stats.beta.pdf(x, 2 + h, 2 + t), atol=5.1e-5)
        assert frames["tokens"] == list("HHHTH")
        assert frames["labels"][0] == "prior Beta(2, 2)"
        assert "Beta(6, 3)" in frames["labels"][-1]

    def test_frames_are_compact_arrays_of_rounded_numbers(self):
        frames = compute.posterior_frames(0.5, 0.5, "HT" * 20)
        assert all(isinstance(v, float) and round(v, 4) == v for curve in frames["y"] for v in curve)
        assert len(frames["y"]) == 41 and len(frames["tokens"]) == 40
        assert len(json.dumps(frames)) < 200_000

    def test_a_bad_flip_string_is_named(self):
        with pytest.raises(ValueError, match="flips"):
            compute.posterior_frames(2.0, 2.0, "HXT")
