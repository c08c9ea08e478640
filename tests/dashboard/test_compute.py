"""dashboard.compute: the cached wrappers give the right numbers in the right shape.

References: the course's Beta-Binomial formulas and walkthrough, scipy.stats densities
and quantiles, and the independent KL/JS references in tests/dashboard/reference.py.
"""

from __future__ import annotations

import inspect
import math
import re

import numpy as np
import pytest
from scipy import special, stats

from dashboard import charts, compute
from tests.dashboard import reference


def test_every_cache_is_bounded():
    decorators = re.findall(r"@st\.cache_data\((.*?)\)", inspect.getsource(compute))
    assert len(decorators) == 6
    assert all("max_entries=CACHE_ENTRIES" in d for d in decorators)
    assert compute.CACHE_ENTRIES == 64


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
        assert len(curves) == 3 * compute.BETA_GRID_POINTS <= charts.MAX_ROWS
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


class TestGaussians:
    def test_divergences_match_the_references(self):
        d = compute.gaussian_divergences(0.5, 1.2, -1.0, 0.7)
        assert d.kl_pq == pytest.approx(reference.gaussian_kl(0.5, 1.2, -1.0, 0.7), rel=1e-12)
        assert d.kl_qp == pytest.approx(reference.gaussian_kl(-1.0, 0.7, 0.5, 1.2), rel=1e-12)
        assert d.js == pytest.approx(reference.gaussian_js(0.5, 1.2, -1.0, 0.7), abs=1e-8)

    def test_curves_are_normal_densities_over_four_sigma(self):
        curves = compute.gaussian_curves(1.0, 2.0, -3.0, 0.5)
        assert len(curves) == 2 * compute.GAUSSIAN_GRID_POINTS <= charts.MAX_ROWS
        p = curves[curves["distribution"] == "P"]
        assert p["x"].min() == pytest.approx(1.0 - 8.0) and p["x"].max() == pytest.approx(1.0 + 8.0)
        np.testing.assert_allclose(p["density"], stats.norm.pdf(p["x"], 1.0, 2.0), rtol=1e-12)
        q = curves[curves["distribution"] == "Q"]
        np.testing.assert_allclose(q["density"], stats.norm.pdf(q["x"], -3.0, 0.5), rtol=1e-12)

    def test_bad_sigma_is_a_value_error(self):
        with pytest.raises(ValueError, match="`sigma2` must be > 0"):
            compute.gaussian_divergences(0.0, 1.0, 1.0, -1.0)
        with pytest.raises(ValueError, match="`sigma1` must be > 0"):
            compute.divergence_sweep(0.0, 0.0, 1.0, 1.0)


@pytest.fixture(scope="module")
def sweep():
    return compute.divergence_sweep(0.0, 1.0, 2.0, 1.5)


class TestSweep:
    def test_shape_and_range(self, sweep):
        frame = sweep.frame
        assert len(frame) == 3 * compute.SWEEP_POINTS <= charts.MAX_ROWS
        assert list(frame["divergence"].unique()) == [compute.KL_PQ, compute.KL_QP, compute.JS]
        sep = frame.loc[frame["divergence"] == compute.JS, "separation"].to_numpy()
        assert sep[0] == 0.0 and sep[-1] == pytest.approx(6 * 1.5)
        assert sweep.current_separation == 2.0

    def test_kl_is_the_closed_form_and_grows_without_bound(self, sweep):
        frame = sweep.frame
        kl = frame[frame["divergence"] == compute.KL_PQ]
        expected = [reference.gaussian_kl(0.0, 1.0, d, 1.5) for d in kl["separation"]]
        np.testing.assert_allclose(kl["nats"], expected, rtol=1e-12)
        assert np.all(np.diff(kl["nats"]) > 0)
        assert kl["nats"].iloc[-1] > 10 * math.log(2)

    def test_js_rises_but_stays_under_ln2(self, sweep):
        frame = sweep.frame
        js = frame[frame["divergence"] == compute.JS]
        assert np.all(np.diff(js["nats"]) > 0)
        assert js["nats"].max() < math.log(2) == compute.JS_BOUND_NATS
        last = js.iloc[-1]
        assert last["nats"] == pytest.approx(reference.gaussian_js(0.0, 1.0, last["separation"], 1.5), abs=1e-8)

    def test_sweep_reaches_a_far_q_on_the_left(self):
        # Q to the left of P and 20 sd away: the sweep runs leftwards and reaches it.
        sweep = compute.divergence_sweep(1.0, 1.0, -19.0, 1.0, n_points=5)
        kl = sweep.frame[sweep.frame["divergence"] == compute.KL_QP]
        assert kl["separation"].iloc[-1] == pytest.approx(20.0) == sweep.current_separation
        # Equal widths: KL = separation² / 2 in either direction.
        np.testing.assert_allclose(kl["nats"], kl["separation"] ** 2 / 2, rtol=1e-12)
