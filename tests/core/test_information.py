"""Information theory against scipy, closed forms, torch (where installed) and the course."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from scipy import integrate, special, stats
from scipy.spatial.distance import jensenshannon

from core import information as info
from tests.course import course_example

LN2 = math.log(2.0)


@st.composite
def prob_vectors(draw, min_size=2, max_size=8, size=None):
    """Random probability vectors, normalised here in the test (the core never normalises)."""
    n = size if size is not None else draw(st.integers(min_size, max_size))
    raw = np.array(draw(st.lists(st.floats(0.0, 1.0), min_size=n, max_size=n)))
    assume(raw.sum() > 1e-3)
    return raw / raw.sum()


@st.composite
def prob_pairs(draw):
    n = draw(st.integers(2, 8))
    return draw(prob_vectors(size=n)), draw(prob_vectors(size=n))


@st.composite
def joint_tables(draw):
    rows, cols = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    flat = draw(prob_vectors(size=rows * cols))
    return flat.reshape(rows, cols)


class TestEntropy:
    def test_matches_scipy(self):
        p = np.array([0.1, 0.2, 0.3, 0.4])
        # scipy.stats.entropy normalises; p already sums to 1 so the numbers agree.
        assert info.entropy(p) == pytest.approx(stats.entropy(p), rel=1e-12)
        assert info.entropy(p, base=2) == pytest.approx(stats.entropy(p, base=2), rel=1e-12)

    def test_uniform_is_log_k(self):
        for k in (2, 7, 50_257):
            assert info.entropy(np.full(k, 1.0 / k)) == pytest.approx(math.log(k), rel=1e-9)

    def test_zero_probabilities_contribute_nothing(self):
        assert info.entropy([1.0, 0.0, 0.0]) == 0.0

    def test_axis_and_batching(self):
        p = np.array([[0.5, 0.5], [0.9, 0.1]])
        expected = stats.entropy(p, axis=1)
        np.testing.assert_allclose(info.entropy(p), expected, rtol=1e-12)
        np.testing.assert_allclose(info.entropy(p.T, axis=0), expected, rtol=1e-12)

    def test_float32_input(self):
        p = np.full(1000, 1e-3, dtype=np.float32)
        assert info.entropy(p) == pytest.approx(math.log(1000), rel=1e-5)

    @given(prob_vectors())
    def test_bits_are_nats_over_ln2(self, p):
        assert info.entropy(p, base=2) == pytest.approx(info.entropy(p) / LN2, rel=1e-9, abs=1e-12)

    def test_rejects_negative(self):
        with pytest.raises(ValueError, match=r"`p` must be non-negative; found -0.1 at index 0"):
            info.entropy([-0.1, 1.1])

    def test_rejects_nan(self):
        with pytest.raises(ValueError, match=r"`p` must be finite; found nan at index 1"):
            info.entropy([0.5, np.nan, 0.5])

    def test_rejects_unnormalised(self):
        with pytest.raises(ValueError, match=r"`p` must sum to 1 along axis -1 .* sums to 2"):
            info.entropy([1.0, 1.0])

    def test_rejects_scalar(self):
        with pytest.raises(ValueError, match=r"`p` must be a vector of probabilities, got a scalar"):
            info.entropy(1.0)

    def test_rejects_bad_axis(self):
        with pytest.raises(ValueError, match=r"`axis` 3 is out of range for `p`"):
            info.entropy([0.5, 0.5], axis=3)

    def test_rejects_strings(self):
        with pytest.raises(TypeError, match=r"`p` must be numeric"):
            info.entropy(["a", "b"])

    @pytest.mark.parametrize("base", [1.0, 0.0, -2.0])
    def test_rejects_bad_base(self, base):
        with pytest.raises(ValueError, match=r"`base` must"):
            info.entropy([0.5, 0.5], base=base)


class TestCrossEntropyAndKL:
    p = np.array([0.1, 0.6, 0.3])
    q = np.array([0.3, 0.3, 0.4])

    def test_cross_entropy_by_definition(self):
        expected = -np.sum(self.p * np.log(self.q))  # H(P, Q) = -sum p log q
        assert info.cross_entropy(self.p, self.q) == pytest.approx(expected, rel=1e-12)

    def test_kl_matches_scipy(self):
        assert info.kl_divergence(self.p, self.q) == pytest.approx(stats.entropy(self.p, self.q), rel=1e-12)
        assert info.kl_divergence(self.p, self.q, base=2) == pytest.approx(
            special.rel_entr(self.p, self.q).sum() / LN2, rel=1e-12
        )

    def test_kl_is_asymmetric(self):
        assert info.kl_divergence(self.p, self.q) != pytest.approx(info.kl_divergence(self.q, self.p))

    def test_kl_infinite_where_q_zero_and_p_positive(self):
        assert info.kl_divergence([0.5, 0.5], [1.0, 0.0]) == math.inf
        assert info.cross_entropy([0.5, 0.5], [1.0, 0.0]) == math.inf
        # the other direction is finite: q's zero-mass outcome carries no weight under p
        assert info.kl_divergence([1.0, 0.0], [0.5, 0.5]) == pytest.approx(LN2)

    def test_broadcasting_one_q_against_many_p(self):
        p = np.array([[0.5, 0.5], [0.2, 0.8]])
        q = np.array([0.4, 0.6])
        np.testing.assert_allclose(info.kl_divergence(p, q), stats.entropy(p, q, axis=1), rtol=1e-12)

    @given(prob_pairs())
    def test_cross_entropy_is_entropy_plus_kl(self, pq):
        p, q = pq
        h_pq = info.cross_entropy(p, q)
        assume(np.isfinite(h_pq))
        assert h_pq == pytest.approx(info.entropy(p) + info.kl_divergence(p, q), rel=1e-9, abs=1e-9)

    @given(prob_pairs())
    def test_kl_non_negative_and_zero_only_for_equal(self, pq):
        p, q = pq
        kl = info.kl_divergence(p, q)
        assert kl >= 0.0
        assert info.kl_divergence(p, p) == pytest.approx(0.0, abs=1e-12)
        if np.abs(p - q).max() > 1e-3:
            assert kl > 0.0

    def test_rejects_mismatched_outcomes(self):
        with pytest.raises(ValueError, match=r"`p` and `q` must have matching shapes .* \(3,\) and \(2,\)"):
            info.kl_divergence([0.2, 0.3, 0.5], [0.5, 0.5])

    def test_rejects_bad_q(self):
        with pytest.raises(ValueError, match=r"`q` must sum to 1"):
            info.cross_entropy([0.5, 0.5], [0.5, 0.6])


class TestJS:
    def test_is_scipy_distance_squared(self):
        p, q = np.array([0.1, 0.6, 0.3]), np.array([0.5, 0.1, 0.4])
        assert info.js_divergence(p, q) == pytest.approx(jensenshannon(p, q) ** 2, rel=1e-10)
        assert info.js_divergence(p, q, base=2) == pytest.approx(jensenshannon(p, q, base=2) ** 2, rel=1e-10)

    def test_disjoint_supports_reach_ln2(self):
        assert info.js_divergence([1.0, 0.0], [0.0, 1.0]) == pytest.approx(LN2)

    def test_subnormal_mass_does_not_underflow_to_inf(self):
        # Found by hypothesis: (5e-324 + 0) / 2 rounds to 0, so a naive M makes KL(Q‖M) inf.
        p = np.array([1.0, 0.0])
        q = np.array([1.0, 5e-324])
        assert info.js_divergence(p, q) == pytest.approx(0.0, abs=1e-300)

    @given(prob_pairs())
    def test_bounded_and_symmetric(self, pq):
        p, q = pq
        js = info.js_divergence(p, q)
        assert -1e-15 <= js <= LN2 + 1e-12
        assert js == pytest.approx(info.js_divergence(q, p), rel=1e-12, abs=1e-15)


class TestMutualInformation:
    def test_independent_is_zero(self):
        joint = np.outer([0.3, 0.7], [0.2, 0.5, 0.3])
        assert info.mutual_information(joint) == pytest.approx(0.0, abs=1e-15)

    def test_matches_entropies(self):
        joint = np.array([[0.3, 0.1], [0.05, 0.55]])
        # I = H(X) + H(Y) - H(X,Y), each entropy from scipy
        expected = stats.entropy(joint.sum(1)) + stats.entropy(joint.sum(0)) - stats.entropy(joint.ravel())
        assert info.mutual_information(joint) == pytest.approx(expected, rel=1e-12)
        assert info.joint_entropy(joint) == pytest.approx(stats.entropy(joint.ravel()), rel=1e-12)

    def test_conditional_entropy_by_definition(self):
        joint = np.array([[0.3, 0.1], [0.05, 0.55]])
        p_x_given_y = joint / joint.sum(axis=0)  # columns index Y
        expected = -np.sum(joint * np.log(p_x_given_y))
        assert info.conditional_entropy(joint) == pytest.approx(expected, rel=1e-12)
        # I(X;Y) = H(X) - H(X|Y)
        assert info.mutual_information(joint) == pytest.approx(
            stats.entropy(joint.sum(1)) - expected, rel=1e-12
        )

    @given(joint_tables())
    def test_mi_is_kl_of_joint_to_product(self, joint):
        product = np.outer(joint.sum(1), joint.sum(0))
        expected = special.rel_entr(joint, product).sum()
        assert info.mutual_information(joint) == pytest.approx(max(expected, 0.0), rel=1e-9, abs=1e-12)

    def test_pmi_weighted_sum_is_mi(self):
        joint = np.array([[0.3, 0.1, 0.0], [0.05, 0.25, 0.3]])
        pmi = info.pointwise_mutual_information(joint)
        finite = joint > 0
        assert np.sum(joint[finite] * pmi[finite]) == pytest.approx(info.mutual_information(joint), rel=1e-12)
        assert pmi[0, 2] == -math.inf
        assert pmi[1, 0] == pytest.approx(math.log(0.05 / (0.6 * 0.35)))

    def test_pmi_nan_where_marginal_is_zero(self):
        pmi = info.pointwise_mutual_information([[0.5, 0.5], [0.0, 0.0]])
        assert np.isnan(pmi[1]).all()

    def test_rejects_1d_joint(self):
        with pytest.raises(ValueError, match=r"`joint` must be a 2-D table"):
            info.mutual_information([0.5, 0.5])

    def test_rejects_unnormalised_joint(self):
        with pytest.raises(ValueError, match=r"`joint` must sum to 1"):
            info.conditional_entropy([[0.5, 0.5], [0.5, 0.5]])

    def test_gaussian_mi_closed_form_against_entropies(self):
        rho = 0.8
        cov = np.array([[1.0, rho], [rho, 1.0]])
        # I = H(X) + H(Y) - H(X, Y), entropies of scipy's frozen normals
        expected = 2 * stats.norm().entropy() - stats.multivariate_normal(cov=cov).entropy()
        assert info.gaussian_mutual_information(rho) == pytest.approx(expected, rel=1e-12)
        assert info.gaussian_mutual_information(rho, base=2) == pytest.approx(expected / LN2, rel=1e-12)

    def test_gaussian_mi_rejects_rho_one(self):
        with pytest.raises(ValueError, match=r"`rho` must lie in \(-1, 1\); got 1.0"):
            info.gaussian_mutual_information(1.0)


class TestPerplexity:
    def test_course_value(self):
        # Course, interview Q3: an average NLL of 3.0 nats is a perplexity of about 20.1,
        # and a uniform model over GPT-2's 50,257 tokens has perplexity 50,257.
        q3 = course_example("q3_perplexity")
        assert info.perplexity(q3["nll_nats"]) == pytest.approx(math.exp(3.0), rel=1e-15)
        assert round(info.perplexity(q3["nll_nats"]), q3["printed_decimals"]) == q3["perplexity"]
        v = q3["vocab_size"]
        nll = info.cross_entropy(np.full(v, 1.0 / v), np.full(v, 1.0 / v))
        assert info.perplexity(nll) == pytest.approx(q3["uniform_perplexity"], rel=1e-9)

    def test_uniform_model_has_perplexity_v(self):
        for v in (2, 1000, 50_257):
            nll = info.cross_entropy(np.full(v, 1.0 / v), np.full(v, 1.0 / v))
            assert info.perplexity(nll) == pytest.approx(v, rel=1e-9)

    def test_bits(self):
        assert info.perplexity(3.0 / LN2, base=2) == pytest.approx(math.exp(3.0), rel=1e-12)

    def test_rejects_negative(self):
        with pytest.raises(ValueError, match=r"`mean_nll` must be >= 0"):
            info.perplexity(-1.0)

    def test_rejects_nan(self):
        with pytest.raises(ValueError, match=r"`mean_nll` must be finite"):
            info.perplexity(float("nan"))


class TestCrossEntropyFromLogits:
    rng = np.random.default_rng(7)
    logits = rng.normal(scale=3.0, size=(37, 11))
    targets = rng.integers(0, 11, size=37)

    def test_matches_scipy_log_softmax(self):
        expected = -special.log_softmax(self.logits, axis=1)[np.arange(37), self.targets]
        np.testing.assert_allclose(
            info.cross_entropy_from_logits(self.logits, self.targets, reduction="none"), expected, rtol=1e-12
        )
        assert info.cross_entropy_from_logits(self.logits, self.targets) == pytest.approx(expected.mean(), rel=1e-12)
        assert info.cross_entropy_from_logits(self.logits, self.targets, reduction="sum") == pytest.approx(
            expected.sum(), rel=1e-12
        )

    def test_extreme_logits_stay_finite(self):
        logits = np.array([[1e4, -1e4, 0.0], [-1e4, -1e4, -1e4]])
        nll = info.cross_entropy_from_logits(logits, [1, 0], reduction="none")
        assert nll[0] == pytest.approx(2e4)
        assert nll[1] == pytest.approx(math.log(3))

    @pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
    @pytest.mark.parametrize("dtype", ["float32", "float64"])
    def test_matches_torch(self, reduction, dtype):
        torch = pytest.importorskip("torch")
        logits = (self.rng.normal(scale=5.0, size=(64, 1000))).astype(dtype)
        logits[0, 0] = 1e4  # extreme but finite, as the contract promises
        targets = self.rng.integers(0, 1000, size=64)
        expected = torch.nn.functional.cross_entropy(
            torch.from_numpy(logits), torch.from_numpy(targets), reduction=reduction
        ).numpy()
        ours = info.cross_entropy_from_logits(logits, targets, reduction=reduction)
        rtol = 1e-5 if dtype == "float32" else 1e-12
        np.testing.assert_allclose(ours, expected, rtol=rtol, atol=rtol)

    def test_rejects_inf_logits(self):
        with pytest.raises(ValueError, match=r"`logits` must be finite; found inf at index \(0, 1\)"):
            info.cross_entropy_from_logits([[0.0, np.inf]], [0])

    def test_rejects_nan_logits(self):
        with pytest.raises(ValueError, match=r"`logits` must be finite; found nan"):
            info.cross_entropy_from_logits([[np.nan, 0.0]], [0])

    def test_rejects_1d_logits(self):
        with pytest.raises(ValueError, match=r"`logits` must be 2-D; got shape \(3,\)"):
            info.cross_entropy_from_logits([0.0, 1.0, 2.0], [0])

    def test_rejects_target_out_of_range(self):
        with pytest.raises(ValueError, match=r"`targets` must lie in \[0, 3\) .* found 3 at index 1"):
            info.cross_entropy_from_logits(np.zeros((2, 3)), [0, 3])

    def test_rejects_negative_target(self):
        with pytest.raises(ValueError, match=r"`targets` must lie in \[0, 3\) .* found -1"):
            info.cross_entropy_from_logits(np.zeros((1, 3)), [-1])

    def test_rejects_wrong_number_of_targets(self):
        with pytest.raises(ValueError, match=r"`targets` must have shape \(2,\)"):
            info.cross_entropy_from_logits(np.zeros((2, 3)), [0])

    def test_rejects_float_targets(self):
        with pytest.raises(TypeError, match=r"`targets` must hold integer class labels"):
            info.cross_entropy_from_logits(np.zeros((1, 3)), [0.0])

    def test_rejects_bad_reduction(self):
        with pytest.raises(ValueError, match=r"`reduction` must be one of 'mean', 'sum', 'none'; got 'avg'"):
            info.cross_entropy_from_logits(np.zeros((1, 3)), [0], reduction="avg")


def _kl_by_quadrature(m1, s1, m2, s2):
    p, q = stats.norm(m1, s1), stats.norm(m2, s2)
    return integrate.quad(lambda x: p.pdf(x) * (p.logpdf(x) - q.logpdf(x)), -np.inf, np.inf)[0]


class TestGaussianDivergences:
    @pytest.mark.parametrize(("m1", "s1", "m2", "s2"), [(0, 1, 1, 1), (0, 1, 0, 2), (1.5, 0.5, -1, 3)])
    def test_kl_against_quadrature(self, m1, s1, m2, s2):
        assert info.gaussian_kl(m1, s1, m2, s2) == pytest.approx(_kl_by_quadrature(m1, s1, m2, s2), rel=1e-7)

    def test_kl_against_torch(self):
        torch = pytest.importorskip("torch")
        from torch.distributions import Normal, kl_divergence

        expected = kl_divergence(Normal(0.3, 1.2), Normal(-1.0, 0.7)).item()
        assert info.gaussian_kl(0.3, 1.2, -1.0, 0.7) == pytest.approx(expected, rel=1e-6)
        assert torch is not None

    def test_kl_broadcasts(self):
        mu2 = np.array([0.0, 1.0, 2.0])
        np.testing.assert_allclose(info.gaussian_kl(0.0, 1.0, mu2, 1.0), mu2**2 / 2, rtol=1e-12)

    @pytest.mark.parametrize(("m1", "s1", "m2", "s2"), [(0, 1, 1, 1), (0, 1, 0, 3), (2, 0.5, -1, 1.5), (0, 1, 9, 1)])
    def test_js_against_dense_grid(self, m1, s1, m2, s2):
        # Independent reference: trapezoid rule on a fine grid with scipy densities.
        x = np.linspace(-25, 25, 400_001)
        p, q = stats.norm(m1, s1).pdf(x), stats.norm(m2, s2).pdf(x)
        m = 0.5 * (p + q)
        js = 0.5 * integrate.trapezoid(special.rel_entr(p, m), x) + 0.5 * integrate.trapezoid(special.rel_entr(q, m), x)
        assert info.gaussian_js(m1, s1, m2, s2) == pytest.approx(js, rel=1e-6, abs=1e-10)

    def test_kl_unbounded_while_js_stays_below_ln2(self):
        gaps = np.array([0.0, 2.0, 5.0, 20.0])
        kl = info.gaussian_kl(0.0, 1.0, gaps, 1.0)
        js = info.gaussian_js(0.0, 1.0, gaps, 1.0)
        assert np.all(np.diff(kl) > 0) and kl[-1] == pytest.approx(200.0)
        assert np.all(js <= LN2) and js[-1] == pytest.approx(LN2, rel=1e-9)

    def test_rejects_non_positive_sigma(self):
        with pytest.raises(ValueError, match=r"`sigma1` must be > 0; got 0.0"):
            info.gaussian_kl(0.0, 0.0, 0.0, 1.0)
        with pytest.raises(ValueError, match=r"`sigma2` must be > 0; got -1.0"):
            info.gaussian_js(0.0, 1.0, 0.0, -1.0)

    def test_rejects_nan_mean(self):
        with pytest.raises(ValueError, match=r"`mu2` must be finite; found nan"):
            info.gaussian_kl(0.0, 1.0, float("nan"), 1.0)


class TestWasserstein:
    def test_samples_equal_size_is_mean_sorted_gap(self):
        rng = np.random.default_rng(3)
        u, v = rng.normal(size=500), rng.exponential(size=500)
        # For equal-size samples W1 is the mean absolute gap between sorted values.
        assert info.wasserstein1_samples(u, v) == pytest.approx(np.mean(np.abs(np.sort(u) - np.sort(v))), rel=1e-12)

    def test_samples_with_weights_match_scipy(self):
        assert info.wasserstein1_samples([0, 1, 3], [5, 6], u_weights=[1, 1, 2], v_weights=[1, 3]) == pytest.approx(
            stats.wasserstein_distance([0, 1, 3], [5, 6], [1, 1, 2], [1, 3])
        )

    def test_distributions_shift(self):
        assert info.wasserstein1_distributions(stats.norm(0, 1), stats.norm(2.5, 1)) == pytest.approx(2.5, rel=1e-8)

    def test_distributions_against_cdf_integral(self):
        p, q = stats.norm(0, 1), stats.norm(0.5, 2)
        # W1 = integral of |F - G| over x, an independent formula from the quantile one.
        expected = integrate.quad(lambda x: abs(p.cdf(x) - q.cdf(x)), -40, 40, limit=400)[0]
        assert info.wasserstein1_distributions(p, q) == pytest.approx(expected, rel=1e-6)

    def test_rejects_empty(self):
        with pytest.raises(ValueError, match=r"`v` must hold at least one value"):
            info.wasserstein1_samples([1.0], [])

    def test_rejects_weight_mismatch(self):
        with pytest.raises(ValueError, match=r"`u_weights` must have one weight per value \(2\); got 3"):
            info.wasserstein1_samples([1.0, 2.0], [1.0], u_weights=[1, 1, 1])

    def test_rejects_negative_weights(self):
        with pytest.raises(ValueError, match=r"`v_weights` must be non-negative with a positive total"):
            info.wasserstein1_samples([1.0], [1.0, 2.0], v_weights=[-1, 2])

    def test_rejects_non_distribution(self):
        with pytest.raises(TypeError, match=r"`q` must be a distribution with a `ppf` method"):
            info.wasserstein1_distributions(stats.norm(), 3.0)


class TestGaussianMixtureKL:
    """gaussian_mixture_kl against a dense grid with scipy.stats densities (trapezoid rule)."""

    @staticmethod
    def _grid_kl(weights, mus, sigmas, mu, sigma, reverse):
        # Independent reference: scipy.stats.norm densities on a fine grid, integrated by
        # the trapezoid rule; 200k points over ±15 σ make its error far below 1e-6.
        # Log-densities, so tails where a density underflows to 0 stay finite.
        x = np.linspace(-40.0, 40.0, 200_001)
        log_p = special.logsumexp(
            [math.log(w) + stats.norm.logpdf(x, m, s) for w, m, s in zip(weights, mus, sigmas, strict=True)],
            axis=0,
        )
        log_q = stats.norm.logpdf(x, mu, sigma)
        log_a, log_b = (log_q, log_p) if reverse else (log_p, log_q)
        return integrate.trapezoid(np.exp(log_a) * (log_a - log_b), x)

    @pytest.mark.parametrize(
        ("weights", "mus", "sigmas", "mu", "sigma"),
        [
            ([0.5, 0.5], [-2.0, 2.0], [0.5, 0.5], 0.0, 2.0),
            ([0.3, 0.7], [-3.0, 2.5], [0.8, 0.6], 2.5, 0.6),
            ([0.2, 0.5, 0.3], [-4.0, 0.0, 3.0], [1.0, 0.7, 1.5], -1.0, 3.0),
        ],
    )
    @pytest.mark.parametrize("reverse", [False, True])
    def test_matches_dense_grid(self, weights, mus, sigmas, mu, sigma, reverse) -> None:
        value = info.gaussian_mixture_kl(weights, mus, sigmas, mu, sigma, reverse=reverse)
        assert value == pytest.approx(self._grid_kl(weights, mus, sigmas, mu, sigma, reverse), abs=1e-6)

    def test_one_component_is_the_closed_form_and_bits_divide_by_ln2(self) -> None:
        # KL(N(1, 2²) ‖ N(0, 1)) = ln(1/2) + (4 + 1)/2 − 1/2 (closed form written out).
        closed = math.log(0.5) + (4 + 1) / 2 - 0.5
        assert info.gaussian_mixture_kl([1.0], [1.0], [2.0], 0.0, 1.0) == pytest.approx(closed, abs=1e-9)
        bits = info.gaussian_mixture_kl([1.0], [1.0], [2.0], 0.0, 1.0, base=2)
        assert bits == pytest.approx(closed / math.log(2), abs=1e-9)

    def test_forward_prefers_the_wide_fit_reverse_the_mode(self) -> None:
        # Bimodal P: the moment-matched Gaussian wins forward KL, a mode wins reverse KL.
        w, m, s = [0.5, 0.5], [-3.0, 3.0], [0.5, 0.5]
        wide, mode = (0.0, math.sqrt(9 + 0.25)), (3.0, 0.5)
        fwd = [info.gaussian_mixture_kl(w, m, s, *q) for q in (wide, mode)]
        rev = [info.gaussian_mixture_kl(w, m, s, *q, reverse=True) for q in (wide, mode)]
        assert fwd[0] < fwd[1] and rev[1] < rev[0]

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"weights": [0.5, 0.6]}, "`weights`"),
            ({"mus": [0.0, float("nan")]}, "`mus` must be finite"),
            ({"sigmas": [1.0, 0.0]}, "`sigmas` must be > 0"),
            ({"mus": [0.0]}, "must be 1-D of the same length"),
            ({"mu": float("inf")}, "`mu` must be finite"),
            ({"sigma": -1.0}, "`sigma` must be > 0"),
            ({"mu": [0.0, 1.0]}, "`mu` must be a single number"),
        ],
    )
    def test_bad_input(self, kwargs, message) -> None:
        args = {"weights": [0.5, 0.5], "mus": [0.0, 1.0], "sigmas": [1.0, 1.0], "mu": 0.0, "sigma": 1.0}
        args.update(kwargs)
        with pytest.raises(ValueError, match=message):
            info.gaussian_mixture_kl(args.pop("weights"), args.pop("mus"), args.pop("sigmas"), **args)
