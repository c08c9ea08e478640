"""The sampling page's cached wrappers give the right numbers in the right shape."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import special, stats

from dashboard.topics.sampling import compute


class TestSamplingWrappers:
    def test_next_token_tables_and_kept_set(self):
        logits = (2.0, 1.0, 0.5, -1.0)
        view = compute.next_token(("a", "b", "c", "d"), logits, 0.5, 2, None)
        z = np.array(logits) / 0.5
        np.testing.assert_allclose(view.table["p_tempered"], special.softmax(z), rtol=1e-12)
        kept = special.softmax(np.where([True, True, False, False], z, -np.inf))
        np.testing.assert_allclose(view.table["p_final"], kept, rtol=1e-12, atol=1e-15)
        assert view.kept == ("a", "b")
        assert view.kept_mass == pytest.approx(special.softmax(z)[:2].sum(), rel=1e-12)
        bars = compute.token_bars(view)
        assert list(bars["stage"].unique()) == [compute.TEMPERED, compute.FILTERED] and len(bars) == 8

    def test_next_token_rejects_mismatched_and_repeated_names(self):
        with pytest.raises(ValueError, match=r"`tokens` has 1 names but `logits` has 2 numbers"):
            compute.next_token(("a",), (1.0, 2.0), 1.0, None, None)
        with pytest.raises(ValueError, match=r"`tokens` must be distinct names"):
            compute.next_token(("a", "a"), (1.0, 2.0), 1.0, None, None)
        with pytest.raises(ValueError, match=r"`temperature` must be > 0"):
            compute.next_token(("a", "b"), (1.0, 2.0), 0.0, None, None)

    def test_inverse_cdf_bands_and_draws(self):
        probs = (0.2, 0.5, 0.3)
        view = compute.inverse_cdf(("x", "y", "z"), probs, 3, n_draws=50)
        np.testing.assert_allclose(view.bands["cdf_low"], [0.0, 0.2, 0.7])
        np.testing.assert_allclose(view.bands["cdf_high"], [0.2, 0.7, 1.0])
        expected = np.searchsorted([0.2, 0.7, 1.0], view.draws["u"], side="right")
        assert list(view.draws["position"]) == list(expected)

    def test_rejection_view(self):
        view = compute.rejection_view(2.0, 2.0, 1.5, 3000, 1)
        se = math.sqrt((1 / 1.5) * (1 - 1 / 1.5) / 3000)  # binomial standard error
        assert abs(view.acceptance_rate - 1 / 1.5) < 4 * se
        assert len(view.points) == compute.REJECTION_POINTS_SHOWN < 3000
        target = view.curves[view.curves["curve"] == compute.TARGET]
        np.testing.assert_allclose(target["density"], stats.beta.pdf(target["x"], 2, 2), rtol=1e-12)
        with pytest.raises(ValueError, match=r"the roof is too low"):
            compute.rejection_view(2.0, 2.0, 1.0, 100, 1)

    def test_importance_view(self):
        view = compute.importance_view(0.5, 1.5, 400, 2)
        x, w = view.points["x"].to_numpy(), view.points["weight"].to_numpy()
        np.testing.assert_allclose(w, stats.norm.pdf(x) / stats.norm.pdf(x, 0.5, 1.5), rtol=1e-10)
        assert view.estimate == pytest.approx(np.mean(w * x**2), rel=1e-12)
        assert view.ess == pytest.approx(w.sum() ** 2 / (w**2).sum(), rel=1e-12)
        assert view.exact == 1.0
        with pytest.raises(ValueError, match=r"`sigma` must be > 0"):
            compute.importance_view(0.0, 0.0, 100, 0)

    def test_importance_sweep_against_scipy_weights(self):
        sweep = compute.importance_sweep(1.5, 300, 4, repeats=5)
        assert list(sweep["shift"]) == list(compute.IMPORTANCE_SHIFTS)
        # Rebuild the same draws and weigh them with scipy's densities.
        shifts = np.asarray(compute.IMPORTANCE_SHIFTS)[:, None, None]
        x = shifts + 1.5 * np.random.default_rng(4).standard_normal((shifts.size, 5, 300))
        w = stats.norm.pdf(x) / stats.norm.pdf(x, shifts, 1.5)
        estimates = (w * x**2).mean(axis=2)
        np.testing.assert_allclose(sweep["mean_estimate"], estimates.mean(axis=1), rtol=1e-9)
        np.testing.assert_allclose(sweep["spread"], estimates.std(axis=1, ddof=1), rtol=1e-9)
        first = w[:, 0, :]
        np.testing.assert_allclose(sweep["ess_fraction"], first.sum(1) ** 2 / (first**2).sum(1) / 300, rtol=1e-9)
        with pytest.raises(ValueError, match=r"`repeats`"):
            compute.importance_sweep(1.0, 100, 0, repeats=1)

    def test_the_roof_check_speaks_plainly(self):
        assert compute.beta_peak(2.0, 5.0) == pytest.approx((0.2, stats.beta.pdf(0.2, 2, 5)))
        assert compute.beta_peak(1.0, 1.0) == pytest.approx((0.5, 1.0))
        compute.check_roof(2.0, 2.0, 1.5)  # exactly the peak is a bound
        with pytest.raises(ValueError, match=r"roof is too low: “M: height of the roof” is 2, .* Set M to at least 2.46\."):
            compute.check_roof(2.0, 5.0, 2.0)

    def test_ppo_view(self):
        view = compute.ppo_view(-2.0, 0.25, 0.6)
        curve = view.curves[view.curves["curve"] == compute.CLIPPED_OBJECTIVE]
        r = curve["ratio"].to_numpy()
        np.testing.assert_allclose(curve["objective"], np.minimum(-2 * r, -2 * np.clip(r, 0.75, 1.25)), rtol=1e-12)
        assert view.objective == pytest.approx(-1.5) and view.clipped
        assert view.clipped_to < 0.75 <= view.clipped_to + 0.011
        with pytest.raises(ValueError, match=r"`epsilon` must lie in \(0, 1\)"):
            compute.ppo_view(1.0, 1.5, 1.0)
        with pytest.raises(ValueError, match=r"`ratio` must be > 0"):
            compute.ppo_view(1.0, 0.2, 0.0)

    def test_kl_estimators_and_the_trap(self):
        view = compute.kl_estimator_view(1.0, 4000, 0)
        assert view.exact == pytest.approx(0.5, rel=1e-12)
        k1 = view.table.iloc[0]
        assert abs(k1["estimate"] - 0.5) < 4 * k1["stderr"]
        trap = compute.kl_div_trap((0.9, 0.1), (0.5, 0.5))
        assert trap.exact == pytest.approx(float(special.rel_entr([0.9, 0.1], [0.5, 0.5]).sum()), rel=1e-12)
        assert trap.right == pytest.approx(trap.exact, rel=1e-12)
        assert trap.wrong == pytest.approx(0.9 * (math.log(0.9) - 0.5) + 0.1 * (math.log(0.1) - 0.5), rel=1e-12)
        assert trap.problems and "not log-probabilities" in trap.problems[0]
        with pytest.raises(ValueError, match=r"`q` must be > 0"):
            compute.kl_div_trap((0.5, 0.5), (1.0, 0.0))
