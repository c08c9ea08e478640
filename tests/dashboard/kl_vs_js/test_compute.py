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
            compute.divergence_sweep(0.0, 0.0, 1.0, 1.0)


@pytest.fixture(scope="module")
def sweep():
    return compute.divergence_sweep(0.0, 1.0, 2.0, 1.5)


class TestSweep:
    def test_shape_and_range(self, sweep):
        frame = sweep.frame
        assert len(frame) == 3 * compute.SWEEP_POINTS <= MAX_ROWS
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
