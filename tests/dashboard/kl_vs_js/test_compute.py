"""The kl vs js page's cached wrappers give the right numbers in the right shape."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from dashboard.common.chart_style import MAX_ROWS
from dashboard.topics.kl_vs_js import compute
from tests.dashboard import reference


class TestGaussians:
    def test_divergences_match_the_references(self):
        d = compute.gaussian_divergences(0.5, 1.2, -1.0, 0.7)
        assert d.kl_pq == pytest.approx(reference.gaussian_kl(0.5, 1.2, -1.0, 0.7), rel=1e-12)
        assert d.kl_qp == pytest.approx(reference.gaussian_kl(-1.0, 0.7, 0.5, 1.2), rel=1e-12)
        assert d.js == pytest.approx(reference.gaussian_js(0.5, 1.2, -1.0, 0.7), abs=1e-8)

    def test_curves_are_normal_densities_over_four_sigma(self):
        curves = compute.gaussian_curves(1.0, 2.0, -3.0, 0.5)
        assert len(curves) == 2 * compute.GAUSSIAN_GRID_POINTS <= MAX_ROWS
        p = curves[curves["distribution"] == "P"]
        assert p["x"].min() == pytest.approx(1.0 - 8.0) and p["x"].max() == pytest.approx(1.0 + 8.0)
        np.testing.assert_allclose(p["density"], stats.norm.pdf(p["x"], 1.0, 2.0), rtol=1e-12)
        q = curves[curves["distribution"] == "Q"]
        np.testing.assert_allclose(q["density"], stats.norm.pdf(q["x"], -3.0, 0.5), rtol=1e-12)

    def test_bad_sigma_is_a_value_error(self):
        with pytest.raises(ValueError, match="`sigma2` must be > 0"):
            compute.gaussian_divergences(0.0, 1.0, 1.0, -1.0)
        with pytest.raises(ValueError, match="`sigma1` must be > 0"):
            compute.divergence_sweep(0.0, 1.0, 9.0)


@pytest.fixture(scope="module")
def sweep():
    return compute.divergence_sweep(1.0, 1.5, compute.sweep_width(1.0, 1.5, 2.0))


class TestSweep:
    def test_shape_and_range(self, sweep):
        assert len(sweep) == 3 * compute.SWEEP_POINTS <= MAX_ROWS
        assert list(sweep["divergence"].unique()) == [compute.KL_PQ, compute.KL_QP, compute.JS]
        sep = sweep.loc[sweep["divergence"] == compute.JS, "separation"].to_numpy()
        assert sep[0] == 0.0 and sep[-1] == pytest.approx(6 * 1.5)

    def test_kl_is_the_closed_form_and_grows_without_bound(self, sweep):
        kl = sweep[sweep["divergence"] == compute.KL_PQ]
        expected = [reference.gaussian_kl(0.0, 1.0, d, 1.5) for d in kl["separation"]]
        np.testing.assert_allclose(kl["nats"], expected, rtol=1e-12)
        assert np.all(np.diff(kl["nats"]) > 0)
        assert kl["nats"].iloc[-1] > 10 * math.log(2)

    def test_js_rises_but_stays_under_ln2_and_matches_the_reference(self, sweep):
        js = sweep[sweep["divergence"] == compute.JS]
        assert np.all(np.diff(js["nats"]) > 0)
        assert js["nats"].max() < math.log(2) == compute.JS_BOUND_NATS
        expected = [reference.gaussian_js(0.0, 1.0, d, 1.5) for d in js["separation"]]
        np.testing.assert_allclose(js["nats"], expected, atol=5e-5)

    def test_width_grows_in_doublings_so_moving_mu2_inside_it_reuses_the_sweep(self):
        assert compute.sweep_width(1.0, 1.5, 2.0) == compute.sweep_width(1.0, 1.5, 8.9) == 9.0
        assert compute.sweep_width(1.0, 1.5, 9.5) == 18.0
        assert compute.sweep_width(1.0, 1.0, 40.0) == 48.0


@pytest.mark.parametrize(("sigma1", "sigma2", "d"), [(1.0, 1.5, 2.0), (0.05, 20.0, 3.0), (20.0, 0.05, 1.0), (0.3, 3.0, 0.1), (1.0, 1.0, 40.0)])
def test_vectorised_js_matches_scipy_quadrature_even_for_very_unequal_widths(sigma1, sigma2, d):
    # Reference: scipy's adaptive quad of the JS integrand, written in tests/dashboard/reference.py.
    assert compute.js_by_separation(sigma1, sigma2, np.array([d]))[0] == pytest.approx(
        reference.gaussian_js(0.0, sigma1, d, sigma2), abs=5e-5)


def test_kl_integrand_has_area_kl_and_is_negative_where_q_dominates():
    frame = compute.kl_integrand(0.0, 1.0, 2.0, 1.5)
    area = np.trapezoid(frame["integrand"], frame["x"])
    assert area == pytest.approx(reference.gaussian_kl(0.0, 1.0, 2.0, 1.5), abs=1e-3)  # P's ±5σ holds nearly all
    p, q = stats.norm.pdf(frame["x"], 0, 1), stats.norm.pdf(frame["x"], 2, 1.5)
    np.testing.assert_array_equal(frame["integrand"] < 0, p < q)
