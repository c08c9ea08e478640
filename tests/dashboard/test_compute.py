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
    source = inspect.getsource(compute)
    decorators = re.findall(r"@st\.cache_data\((.*?)\)", source)
    # Every cache_data in the module was matched with its arguments (none is bare).
    assert len(decorators) == source.count("@st.cache_data") >= 6
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


# --- Moments, distributions, entropy and mutual information pages


class TestParsing:
    def test_numbers_tables_and_tokens(self):
        assert compute.parse_numbers(" 1,2  3e-1 ,-4 ", "values") == (1.0, 2.0, 0.3, -4.0)
        assert compute.parse_table("1, 2\n\n3, 4;5, 6", "joint") == ((1.0, 2.0), (3.0, 4.0), (5.0, 6.0))
        assert compute.parse_tokens("the, , cat", "tokens") == ("the", "cat")

    @pytest.mark.parametrize(
        ("call", "message"),
        [
            (lambda: compute.parse_numbers("  , ", "probs"), "`probs` is empty"),
            (lambda: compute.parse_numbers("1, 2x", "probs"), "`probs` has '2x', which is not a number"),
            (lambda: compute.parse_table("", "joint"), "`joint` is empty"),
            (lambda: compute.parse_table("1; 2, 3", "joint"), "`joint` row 2 has 2 entries; row 1 has 1"),
            (lambda: compute.parse_tokens(",", "tokens"), "`tokens` is empty"),
        ],
    )
    def test_bad_text_is_named(self, call, message):
        with pytest.raises(ValueError, match=re.escape(message)):
            call()

    def test_docstring_examples_run(self):
        import doctest

        result = doctest.testmod(compute)
        assert result.attempted > 0 and result.failed == 0


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


class TestDistributionWrappers:
    def test_the_dirichlet_has_no_line_plot(self):
        with pytest.raises(ValueError, match="lives on the simplex"):
            compute.family_density("dirichlet", {"alpha": (1.0, 2.0, 3.0)})
        with pytest.raises(ValueError, match="lives on the simplex"):
            compute.family_samples("dirichlet", {"alpha": (1.0, 2.0, 3.0)}, 0)

    def test_dirichlet_triangle_needs_three_components(self):
        with pytest.raises(ValueError, match="`alpha` must have 3 components to draw on the triangle; got 2"):
            compute.dirichlet_samples((1.0, 2.0), 0)
        with pytest.raises(ValueError, match="`alpha` must have 3 components for a simplex grid; got 4"):
            compute.dirichlet_simplex((1.0, 2.0, 3.0, 4.0))

    def test_discrete_samples_are_frequencies_per_outcome(self):
        frame = compute.family_samples("categorical", {"probs": (0.5, 0.0, 0.5)}, 1, n_samples=1000)
        np.testing.assert_allclose(frame["bin_start"] + 0.25, [0, 1, 2])
        assert frame["density"].sum() == pytest.approx(1.0)
        assert frame["density"].iloc[1] == 0.0  # an impossible outcome is never drawn


class TestEntropyWrappers:
    def test_unit_and_vocabulary_are_checked(self):
        with pytest.raises(ValueError, match="`unit` must be 'nats' or 'bits'; got 'bans'"):
            compute.information_summary((0.0, 1.0), (1.0, 0.0), 1.0, "bans")
        with pytest.raises(ValueError, match="`vocab_size` must be >= 1; got 0"):
            compute.uniform_model(0)
        with pytest.raises(ValueError, match="`temperature` must be > 0"):
            compute.information_summary((0.0, 1.0), (1.0, 0.0), 0.0, "nats")
        with pytest.raises(ValueError, match="`mean_nll` must be >= 0"):
            compute.perplexity_of(-1.0, "nats")

    def test_identical_distributions_have_zero_kl(self):
        s = compute.information_summary((1.0, 2.0, 3.0), (1.0, 2.0, 3.0), 1.0, "nats")
        assert s.kl == pytest.approx(0.0, abs=1e-15)
        assert s.cross_entropy == pytest.approx(s.entropy_p, rel=1e-12)


class TestMutualInformationWrappers:
    def test_gaussian_table_labels_are_cell_centres(self):
        table = compute.gaussian_table(0.3, 5)
        # Inner edges −3, −1, 1, 3: midpoints −2, 0, 2; outer cells half a width (1) beyond ±3.
        assert table.labels == ("-4.00", "-2.00", "+0.00", "+2.00", "+4.00")
        assert sum(map(sum, table.joint)) == pytest.approx(1.0, abs=1e-12)

    def test_information_diagram_segments_tile_the_joint_entropy(self):
        s = compute.mutual_information_summary(((0.3, 0.1), (0.2, 0.4)), "bits")
        frame = compute.information_diagram(s)
        whole = frame[frame["entropy"] == "H(X, Y)"]
        assert whole["start"].iloc[0] == 0.0
        np.testing.assert_allclose(whole["start"].iloc[1:], whole["end"].iloc[:-1])
        assert whole["end"].iloc[-1] == pytest.approx(s.h_xy, rel=1e-12)
        assert frame.groupby("entropy")["value"].sum()["H(Y)"] == pytest.approx(s.h_y, rel=1e-12)

    def test_heatmap_labels_must_fit_the_table(self):
        with pytest.raises(ValueError, match=r"`x_labels` and `y_labels` must label the 2×2 table; got 3 and 2"):
            compute.joint_heatmaps(((0.25, 0.25), (0.25, 0.25)), ("a", "b", "c"), ("a", "b"), "nats")

    def test_index_labels(self):
        assert compute.index_labels(((0.5, 0.5),)) == (("0",), ("0", "1"))


# --- Sampling page
# References: scipy.special.softmax, scipy.stats densities, the Beta(2, 2) peak 1.5,
# PPO's min(rA, clip(r)A), KL(N(0,1)‖N(μ,1)) = μ²/2, scipy.special.rel_entr.


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
        with pytest.raises(ValueError, match=r"`M` = 1 does not bound p/q"):
            compute.rejection_view(2.0, 2.0, 1.0, 100, 1)

    def test_importance_view(self):
        view = compute.importance_view(0.5, 1.5, 400, 2, repeats=3)
        x, w = view.points["x"].to_numpy(), view.points["weight"].to_numpy()
        np.testing.assert_allclose(w, stats.norm.pdf(x) / stats.norm.pdf(x, 0.5, 1.5), rtol=1e-10)
        assert view.estimate == pytest.approx(np.mean(w * x**2), rel=1e-12)
        assert view.ess == pytest.approx(w.sum() ** 2 / (w**2).sum(), rel=1e-12)
        assert view.exact == 1.0
        assert list(view.sweep["shift"]) == list(compute.IMPORTANCE_SHIFTS)
        with pytest.raises(ValueError, match=r"`sigma` must be > 0"):
            compute.importance_view(0.0, 0.0, 100, 0, repeats=2)

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


# --- Fisher information page
# References: scipy.stats.binom / norm, F(p) = 1/(p(1−p)), the brute-force layer Fisher.


class TestFisherWrappers:
    def test_likelihood_view(self):
        view = compute.likelihood_view("bernoulli", 0.25, 12, None)
        assert view.fisher == pytest.approx(1 / (0.25 * 0.75), rel=1e-12)
        assert view.curvature == pytest.approx(12 / (0.25 * 0.75), rel=1e-12)
        assert len(view.curves) <= charts.MAX_ROWS
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
        with pytest.raises(ValueError, match=r"`data_sd` must be > 0"):
            compute.gradient_paths(1.0, 0.0, 0.0, 1.0, 0.05, 20, "std")

    def test_kfac_view(self):
        view = compute.kfac_view(30, 2, 3, 0.0, 1)
        assert view.relative_error < 1e-12
        assert len(view.matrices) == 2 * 36
        assert list(view.sweep["weight_scale"]) == list(compute.KFAC_SCALES)
        with pytest.raises(ValueError, match=r"`weight_scale` must be >= 0"):
            compute.kfac_view(30, 2, 3, -1.0, 1)
