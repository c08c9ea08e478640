"""Sampling against hand-written Hugging Face reference cases, scipy.stats, closed forms and torch.

Statistical tests use fixed seeds; each tolerance is a multiple (4, unless said) of the
estimator's standard error, computed from a closed form where one exists, so a correct
estimator fails with probability < 1e-4 and a biased one is caught.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from scipy import special, stats

from core import sampling as smp

# ------------------------------------------------------------------ reference helpers


def hf_top_p_reference(logits: np.ndarray, top_p: float) -> np.ndarray:
    """Hugging Face ``TopPLogitsWarper.__call__`` transcribed to torch (min_tokens_to_keep=1)."""
    torch = pytest.importorskip("torch")
    scores = torch.from_numpy(logits)
    sorted_logits, sorted_indices = torch.sort(scores, descending=False)
    cumulative_probs = sorted_logits.softmax(dim=-1).cumsum(dim=-1)
    sorted_indices_to_remove = cumulative_probs <= (1 - top_p)
    sorted_indices_to_remove[..., -1:] = 0
    indices_to_remove = sorted_indices_to_remove.scatter(1, sorted_indices, sorted_indices_to_remove)
    return scores.masked_fill(indices_to_remove, -float("inf")).numpy()


def hf_top_k_reference(logits: np.ndarray, top_k: int) -> np.ndarray:
    """Hugging Face ``TopKLogitsWarper.__call__`` transcribed to torch."""
    torch = pytest.importorskip("torch")
    scores = torch.from_numpy(logits)
    top_k = min(top_k, scores.size(-1))
    indices_to_remove = scores < torch.topk(scores, top_k)[0][..., -1, None]
    return scores.masked_fill(indices_to_remove, -float("inf")).numpy()


def nucleus_by_loop(probs: list[float], p: float) -> set[int]:
    """The definition, written as a loop: descending order (of tied tokens the later-listed
    first, as Hugging Face's stable ascending sort removes the earlier-listed first), add
    tokens until mass >= p."""
    order = sorted(range(len(probs)), key=lambda i: (-probs[i], -i))
    kept, mass = set(), 0.0
    for i in order:
        kept.add(i)
        mass = math.fsum([mass, probs[i]])
        if mass >= p:
            break
    return kept


# ---------------------------------------------------------------------------- top-p


class TestTopPFilter:
    # Each case worked by hand with HF's rule: sort ascending, cumsum, remove the
    # tokens whose cumulative mass is <= 1 - p, always keep the largest.
    @pytest.mark.parametrize(
        ("probs", "p", "expected"),
        [
            # ascending 0.1(i0) 0.15(i2) 0.25(i3) 0.5(i1); cumsum .1 .25 .5 1; remove <= 0.3
            ([0.1, 0.5, 0.15, 0.25], 0.7, [0.0, 0.5 / 0.75, 0.0, 0.25 / 0.75]),
            # cumsum .2 .5 1 with 1 - p = 0.5: the top token alone has mass 0.5 >= p
            ([0.5, 0.3, 0.2], 0.5, [1.0, 0.0, 0.0]),
            # p below the top probability: min_tokens_to_keep = 1
            ([0.3, 0.7], 0.01, [0.0, 1.0]),
            # p = 1 keeps every token with positive probability
            ([0.2, 0.0, 0.8], 1.0, [0.2, 0.0, 0.8]),
            # one token short of p: 0.5 + 0.25 = 0.75 < 0.8, so one 0.125 joins; ascending
            # 0.125(i2) 0.125(i3): cumsum .125 <= 0.2 removes i2, .25 > 0.2 keeps i3
            ([0.5, 0.25, 0.125, 0.125], 0.8, [0.5 / 0.875, 0.25 / 0.875, 0.0, 0.125 / 0.875]),
        ],
    )
    def test_hugging_face_reference_cases(self, probs, p, expected):
        np.testing.assert_allclose(smp.top_p_filter(probs, p), expected, rtol=1e-12, atol=0)

    def test_batched_rows_are_independent(self):
        probs = np.array([[0.1, 0.5, 0.15, 0.25], [0.5, 0.25, 0.125, 0.125]])
        out = smp.top_p_filter(probs, 0.7)
        np.testing.assert_allclose(out[0], [0.0, 0.5 / 0.75, 0.0, 0.25 / 0.75], rtol=1e-12)
        np.testing.assert_allclose(out[1], [0.5 / 0.75, 0.25 / 0.75, 0.0, 0.0], rtol=1e-12)
        batched = smp.top_p_filter(np.stack([probs, probs[::-1]]), 0.7)  # 3-D: leading axes
        np.testing.assert_array_equal(batched[0], out)
        np.testing.assert_array_equal(batched[1], out[::-1])

    def test_tie_at_boundary_keeps_the_later_listed(self):
        # ascending .25(i0) .25(i1) .5(i2), 1 - p = 0.25: one of the tied tokens goes;
        # Hugging Face's stable ascending sort removes i0 first (its cumulative mass is
        # 0.25 <= 1 - p), so i1 stays (tests/exercises/test_top_p_ties.py runs the warper).
        out = smp.top_p_filter([0.25, 0.25, 0.5], 0.75)
        np.testing.assert_allclose(out, [0.0, 1 / 3, 2 / 3], rtol=1e-12)
        # a uniform row: the nucleus is the highest indices
        np.testing.assert_allclose(smp.top_p_filter([0.2] * 5, 0.6 - 1e-9), [0, 0] + [1 / 3] * 3)

    def test_float32_stays_float32_and_sums_to_one(self):
        rng = np.random.default_rng(3)
        probs = special.softmax(rng.normal(size=(4, 1000)), axis=-1).astype(np.float32)
        out = smp.top_p_filter(probs, 0.9)
        assert out.dtype == np.float32
        np.testing.assert_allclose(out.sum(axis=-1), 1.0, atol=1e-5)

    @given(
        st.lists(st.integers(0, 20), min_size=1, max_size=12),
        st.floats(0.01, 1.0),
    )
    def test_matches_definition_loop(self, counts, p):
        # integer counts give many exact ties, the hard case for the threshold logic
        assume(sum(counts) > 0)
        probs = [c / sum(counts) for c in counts]
        cum = np.cumsum(sorted(probs, reverse=True))
        assume(np.min(np.abs(cum - p)) > 1e-9)  # away from rounding at the boundary
        kept = nucleus_by_loop(probs, p)
        out = smp.top_p_filter(probs, p)
        nonzero_kept = {i for i in kept if probs[i] > 0}
        assert {i for i in range(len(probs)) if out[i] > 0} == nonzero_kept
        mass = sum(probs[i] for i in kept)
        np.testing.assert_allclose(out[sorted(kept)], np.array(probs)[sorted(kept)] / mass, rtol=1e-12)

    def test_against_torch_sort_cumsum(self):
        # HF's warper in torch on continuous random logits (no ties), float64 on both sides
        rng = np.random.default_rng(7)
        logits = rng.normal(scale=3.0, size=(64, 500))
        for top_p in (0.05, 0.5, 0.9, 0.99, 1.0):
            ref = hf_top_p_reference(logits, top_p)
            ours = smp.top_p_logits(logits, top_p)
            np.testing.assert_array_equal(ours, ref)
            kept = smp.top_p_filter(special.softmax(logits, axis=-1), top_p) > 0
            np.testing.assert_array_equal(kept, np.isfinite(ref))

    @pytest.mark.parametrize("bad", [0.0, -0.1, 1.5, float("nan")])
    def test_bad_p(self, bad):
        with pytest.raises(ValueError, match=r"`p` must"):
            smp.top_p_filter([0.5, 0.5], bad)
        with pytest.raises(ValueError, match=r"`p` must"):
            smp.top_p_logits([0.0, 1.0], bad)

    def test_p_must_be_scalar(self):
        with pytest.raises(ValueError, match=r"`p` must be a single number"):
            smp.top_p_filter([0.5, 0.5], [0.5, 0.9])

    def test_probs_must_sum_to_one(self):
        with pytest.raises(ValueError, match=r"`probs` must sum to 1"):
            smp.top_p_filter([0.5, 0.6], 0.9)

    def test_probs_must_be_non_negative(self):
        with pytest.raises(ValueError, match=r"`probs` must be non-negative"):
            smp.top_p_filter([1.5, -0.5], 0.9)


class TestTopPLogits:
    def test_hand_cases(self):
        # softmax([0, 2, 1]) = [0.090, 0.665, 0.245]
        assert np.array_equal(smp.top_p_logits([0.0, 2.0, 1.0], 0.6), [-np.inf, 2.0, -np.inf])
        assert np.array_equal(smp.top_p_logits([0.0, 2.0, 1.0], 0.8), [-np.inf, 2.0, 1.0])
        assert np.array_equal(smp.top_p_logits([0.0, 2.0, 1.0], 0.95), [0.0, 2.0, 1.0])

    def test_already_masked_logits(self):
        # -inf from an earlier filter stays -inf and carries no mass
        out = smp.top_p_logits([-np.inf, 2.0, 1.0, 0.0], 0.8)
        assert np.array_equal(out, [-np.inf, 2.0, 1.0, -np.inf])

    @pytest.mark.parametrize(("bad", "what"), [(np.inf, "inf"), (np.nan, "nan")])
    def test_logits_with_posinf_or_nan(self, bad, what):
        with pytest.raises(ValueError, match=rf"`logits` must not hold nan or \+inf; found {what}"):
            smp.top_p_logits([0.0, bad], 0.5)

    def test_all_masked_row(self):
        with pytest.raises(ValueError, match=r"`logits` has a row that is all -inf"):
            smp.top_p_logits([[0.0, 1.0], [-np.inf, -np.inf]], 0.5)


# ---------------------------------------------------------------------------- top-k


class TestTopK:
    def test_hand_cases(self):
        np.testing.assert_allclose(smp.top_k_filter([0.1, 0.6, 0.3], 2), [0.0, 0.6 / 0.9, 0.3 / 0.9])
        np.testing.assert_allclose(smp.top_k_filter([0.1, 0.6, 0.3], 1), [0.0, 1.0, 0.0])
        # k larger than the vocabulary keeps everything (HF: min(top_k, vocab))
        np.testing.assert_allclose(smp.top_k_filter([0.1, 0.6, 0.3], 10), [0.1, 0.6, 0.3])

    def test_ties_at_boundary_all_kept(self):
        # HF keeps logit >= the k-th largest value, so k=2 keeps all three 0.2s
        np.testing.assert_allclose(smp.top_k_filter([0.4, 0.2, 0.2, 0.2], 2), [0.4, 0.2, 0.2, 0.2])
        assert np.array_equal(smp.top_k_logits([3.0, 1.0, 1.0, 0.0], 2), [3.0, 1.0, 1.0, -np.inf])

    def test_against_torch_topk(self):
        rng = np.random.default_rng(11)
        logits = rng.normal(size=(16, 100))
        logits[0, :5] = 10.0  # a tie across the boundary for k = 3
        for k in (1, 3, 50, 100, 200):
            np.testing.assert_array_equal(smp.top_k_logits(logits, k), hf_top_k_reference(logits, k))

    @pytest.mark.parametrize("bad", [0, -3])
    def test_k_below_one(self, bad):
        with pytest.raises(ValueError, match=r"`k` must be >= 1"):
            smp.top_k_filter([0.5, 0.5], bad)
        with pytest.raises(ValueError, match=r"`k` must be >= 1"):
            smp.top_k_logits([0.0, 1.0], bad)

    def test_k_not_integer(self):
        with pytest.raises(TypeError, match=r"`k` must be an integer"):
            smp.top_k_filter([0.5, 0.5], 1.5)


# ---------------------------------------------------------------- temperature, pipeline


class TestTemperature:
    def test_logits_divided(self):
        np.testing.assert_array_equal(smp.apply_temperature([2.0, -1.0], 0.5), [4.0, -2.0])

    def test_temper_probs_equals_tempering_logits(self):
        logits = np.array([1.0, 0.0, -2.0])
        for t in (0.3, 1.0, 2.5):
            expected = special.softmax(logits / t)
            np.testing.assert_allclose(smp.temper_probs(special.softmax(logits), t), expected, rtol=1e-12)

    def test_temper_probs_keeps_zeros(self):
        np.testing.assert_allclose(smp.temper_probs([0.5, 0.0, 0.5], 3.0), [0.5, 0.0, 0.5])

    @pytest.mark.parametrize("bad", [0.0, -1.0])
    def test_non_positive_temperature(self, bad):
        with pytest.raises(ValueError, match=r"`temperature` must be > 0"):
            smp.apply_temperature([0.0, 1.0], bad)
        with pytest.raises(ValueError, match=r"`temperature` must be > 0"):
            smp.temper_probs([0.5, 0.5], bad)

    def test_pipeline_order_temperature_topk_topp(self):
        logits = np.array([3.0, 2.0, 1.0, 0.0])
        # T = 2: softmax([1.5, 1, .5, 0]) = [.4248, .2577, .1563, .0948]; top_k = 3 drops
        # the last; renormalised [.4693, .2847, .1727]: top_p = 0.7 keeps the first two.
        z = logits / 2.0
        expected = np.zeros(4)
        expected[:2] = special.softmax(z[:2])
        out = smp.sampling_probs(logits, temperature=2.0, top_k=3, top_p=0.7)
        np.testing.assert_allclose(out, expected, rtol=1e-12)


# ------------------------------------------------------------------- inverse CDF


class TestSampleCategorical:
    def test_inverse_cdf_by_hand(self):
        # CDF [0.2, 0.7, 1.0]: u in [0, .2) -> 0, [.2, .7) -> 1, [.7, 1) -> 2
        u = [0.0, 0.1999, 0.2, 0.6999, 0.7, 0.999999]
        np.testing.assert_array_equal(smp.sample_categorical([0.2, 0.5, 0.3], u=u), [0, 0, 1, 1, 2, 2])

    def test_zero_probability_never_drawn(self):
        u = np.linspace(0.0, 1.0, 1001)[:-1]
        draws = smp.sample_categorical([0.5, 0.0, 0.5, 0.0], u=u)
        assert set(np.unique(draws)) == {0, 2}
        # the largest double below 1 lands on the last positive category
        assert smp.sample_categorical([0.5, 0.5, 0.0], u=[np.nextafter(1.0, 0.0)])[0] == 1

    def test_batched_shapes(self):
        probs = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
        out = smp.sample_categorical(probs, u=np.full((5, 2), 0.5))
        assert out.shape == (5, 2)
        assert (out[:, 0] == 0).all() and (out[:, 1] == 2).all()
        draws = smp.sample_categorical(probs, rng=np.random.default_rng(0), size=7)
        assert draws.shape == (7, 2)

    def test_chi_square_goodness_of_fit(self):
        # Pearson chi-square against the target at a fixed seed: a correct sampler
        # passes at the 1% level; an off-by-one in the CDF gives p ~ 0.
        probs = np.array([0.05, 0.25, 0.1, 0.4, 0.2])
        n = 20_000
        draws = smp.sample_categorical(probs, rng=np.random.default_rng(2024), size=n)
        counts = np.bincount(draws, minlength=5)
        assert stats.chisquare(counts, n * probs).pvalue > 0.01

    def test_batched_goodness_of_fit(self):
        probs = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]])
        n = 10_000
        draws = smp.sample_categorical(probs, rng=np.random.default_rng(5), size=n)
        for row in range(2):
            counts = np.bincount(draws[:, row], minlength=3)
            assert stats.chisquare(counts, n * probs[row]).pvalue > 0.01

    def test_probs_must_sum_to_one(self):
        with pytest.raises(ValueError, match=r"`probs` must sum to 1"):
            smp.sample_categorical([0.2, 0.2], u=[0.5])

    @pytest.mark.parametrize("bad", [1.0, -0.1, float("nan")])
    def test_u_outside_unit_interval(self, bad):
        with pytest.raises(ValueError, match=r"`u` must"):
            smp.sample_categorical([0.5, 0.5], u=[bad])

    def test_u_shape_must_match_batch(self):
        with pytest.raises(ValueError, match=r"`u` must have shape"):
            smp.sample_categorical([[0.5, 0.5], [0.5, 0.5]], u=[0.1, 0.2, 0.3])

    def test_negative_size(self):
        with pytest.raises(ValueError, match=r"`size` must be >= 0; got -2"):
            smp.sample_categorical([0.5, 0.5], rng=np.random.default_rng(0), size=(3, -2))

    def test_u_and_size_together(self):
        with pytest.raises(ValueError, match=r"either `u` or `size`"):
            smp.sample_categorical([0.5, 0.5], u=[0.1], size=3)


# ------------------------------------------------------------------- rejection


class TestRejectionSample:
    def test_beta_target_uniform_proposal(self):
        # Beta(2, 5) peaks at x = 0.2 with density 30·0.2·0.8⁴ = 2.4576: the tightest M.
        m_bound = 30 * 0.2 * 0.8**4
        res = smp.rejection_sample(
            stats.beta(2, 5).pdf, stats.uniform(), M=m_bound, n_proposals=20_000,
            rng=np.random.default_rng(42),
        )
        # acceptance ~ Binomial(n, 1/M)/n: within 4 binomial standard errors of 1/M
        se = math.sqrt((1 / m_bound) * (1 - 1 / m_bound) / 20_000)
        assert res.rate_stderr == pytest.approx(se)
        assert abs(res.acceptance_rate - 1 / m_bound) < 4 * se
        assert res.n_accepted == res.samples.size
        # Kolmogorov–Smirnov against scipy's Beta(2, 5) at a fixed seed, 1% level
        assert stats.kstest(res.samples, stats.beta(2, 5).cdf).pvalue > 0.01
        assert res.max_ratio <= m_bound

    def test_loose_bound_lowers_acceptance(self):
        res = smp.rejection_sample(
            stats.beta(2, 5).pdf, stats.uniform(), M=5.0, n_proposals=20_000,
            rng=np.random.default_rng(1),
        )
        se = math.sqrt(0.2 * 0.8 / 20_000)
        assert abs(res.acceptance_rate - 0.2) < 4 * se
        assert stats.kstest(res.samples, stats.beta(2, 5).cdf).pvalue > 0.01

    def test_discrete_target(self):
        # Binomial(10, 0.3) from a uniform proposal on {0..10}: M = 11 · max pmf
        target = stats.binom(10, 0.3)
        m_bound = 11 * target.pmf(3)
        res = smp.rejection_sample(
            target.pmf, stats.randint(0, 11), M=m_bound, n_proposals=30_000,
            rng=np.random.default_rng(9),
        )
        counts = np.bincount(res.samples, minlength=11)
        expected = res.n_accepted * target.pmf(np.arange(11))
        keep = expected >= 5  # chi-square needs expected counts >= 5: pool the tail
        obs = np.append(counts[keep], counts[~keep].sum())
        exp = np.append(expected[keep], expected[~keep].sum())
        assert stats.chisquare(obs, exp).pvalue > 0.01

    def test_m_not_a_bound(self):
        with pytest.raises(ValueError, match=r"`M` = 2 does not bound p/q on the proposal's draws"):
            smp.rejection_sample(
                stats.beta(2, 5).pdf, stats.uniform(), M=2.0, n_proposals=5000,
                rng=np.random.default_rng(0),
            )

    @pytest.mark.parametrize("bad", [0.0, -1.0])
    def test_m_not_positive(self, bad):
        with pytest.raises(ValueError, match=r"`M` must be > 0"):
            smp.rejection_sample(stats.uniform().pdf, stats.uniform(), M=bad, n_proposals=10,
                                 rng=np.random.default_rng(0))

    def test_proposal_without_density(self):
        class OnlyRvs:
            def rvs(self, size=None, random_state=None):
                return np.zeros(size)

        with pytest.raises(TypeError, match=r"`proposal` must have a `pdf` or `pmf`"):
            smp.rejection_sample(stats.uniform().pdf, OnlyRvs(), M=1.0, n_proposals=10,
                                 rng=np.random.default_rng(0))


# ----------------------------------------------------------------- importance


def gaussian_shift_moments(m: float) -> dict[str, float]:
    """Closed forms for p = N(0, 1), q = N(m, 1), f(x) = x, w = p/q, draws from q.

    p²/q = e^{m²} N(x; −m, 1) and p⁴/q³ = e^{6m²} N(x; −3m, 1), so
    E_q[w] = 1, E_q[w²] = e^{m²}, E_q[w³] = e^{3m²}, E_q[w⁴] = e^{6m²},
    E_q[w² x²] = e^{m²}(1 + m²), E_q[w⁴ x⁴] = e^{6m²}((3m)⁴ + 6(3m)² + 3).
    """
    e = math.exp
    return {
        "w2": e(m**2), "w3": e(3 * m**2), "w4": e(6 * m**2),
        "w2x2": e(m**2) * (1 + m**2),
        "w4x4": e(6 * m**2) * ((3 * m) ** 4 + 6 * (3 * m) ** 2 + 3),
    }


class TestImportance:
    def test_hand_example(self):
        # w = [0.5/0.25, 0.5/0.75] = [2, 2/3]; plain = (2·1 + (2/3)·3)/2 = 2;
        # self-normalised = 4 / (8/3) = 1.5; ESS = (8/3)² / (4 + 4/9) = 1.6
        res = smp.importance_estimate([1.0, 3.0], np.log([0.5, 0.5]), np.log([0.25, 0.75]))
        assert res.estimate == pytest.approx(2.0)
        assert res.self_normalised == pytest.approx(1.5)
        assert res.ess == pytest.approx(1.6)
        np.testing.assert_allclose(res.weights, [2.0, 2 / 3])

    def test_ess_closed_values(self):
        assert smp.effective_sample_size([1.0, 1.0, 2.0]) == pytest.approx(16 / 6)
        assert smp.effective_sample_size(np.full(10, 3.0)) == pytest.approx(10.0)
        assert smp.effective_sample_size([0.0, 0.0, 5.0]) == pytest.approx(1.0)

    def test_proposal_equal_to_target(self):
        # q = p: every weight is 1, ESS = n, both estimators are the sample mean
        rng = np.random.default_rng(0)
        res = smp.importance_sample(lambda x: x, stats.norm(0, 1).logpdf, stats.norm(0, 1),
                                    n=1000, rng=rng)
        np.testing.assert_allclose(res.weights, 1.0)
        assert res.ess == pytest.approx(1000.0)
        assert res.estimate == pytest.approx(res.self_normalised)

    def test_shifted_gaussian_against_closed_form(self):
        m, n = 0.5, 20_000
        mom = gaussian_shift_moments(m)
        res = smp.importance_sample(lambda x: x, stats.norm(0, 1).logpdf, stats.norm(m, 1),
                                    n=n, rng=np.random.default_rng(123))
        exact_var = mom["w2x2"] / n  # Var of the plain estimator, E_p[x] = 0
        assert abs(res.estimate) < 4 * math.sqrt(exact_var)
        # n·variance estimates E_q[w²x²]; its SE is sqrt(Var(w²x²)/n)
        se_second_moment = math.sqrt((mom["w4x4"] - mom["w2x2"] ** 2) / n)
        assert abs(res.variance * n - mom["w2x2"]) < 4 * se_second_moment
        # self-normalised: same asymptotic variance here (f has mean 0 under p);
        # allow for the extra noise of (mean w)² ≈ 1 ± 2·sqrt((E w² − 1)/n)
        se_mean_w = math.sqrt((mom["w2"] - 1) / n)
        tol = 4 * (se_second_moment + 2 * mom["w2x2"] * se_mean_w)
        assert abs(res.self_normalised_variance * n - mom["w2x2"]) < tol
        assert abs(res.self_normalised) < 4 * math.sqrt(exact_var)

    def test_ess_fraction_against_closed_form(self):
        # ESS/n = (mean w)²/mean(w²) -> 1/E_q[w²] = e^{-m²}; delta-method SE from the
        # closed-form moments of w (gradient (2a/b, -a²/b²) at a = 1, b = e^{m²}).
        m, n = 0.6, 20_000
        mom = gaussian_shift_moments(m)
        res = smp.importance_sample(lambda x: x, stats.norm(0, 1).logpdf, stats.norm(m, 1),
                                    n=n, rng=np.random.default_rng(77))
        b = mom["w2"]
        grad = np.array([2 / b, -1 / b**2])
        cov = np.array([[b - 1, mom["w3"] - b], [mom["w3"] - b, mom["w4"] - b**2]])
        se = math.sqrt(grad @ cov @ grad / n)
        assert abs(res.ess / n - math.exp(-(m**2))) < 4 * se

    def test_variance_grows_as_proposal_moves_away(self):
        # exact Var = e^{m²}(1 + m²)/n grows with m; the estimates follow it at a fixed seed
        n = 5000
        ess, var = [], []
        for m in (0.0, 0.5, 1.0, 1.5):
            res = smp.importance_sample(lambda x: x, stats.norm(0, 1).logpdf, stats.norm(m, 1),
                                        n=n, rng=np.random.default_rng(8))
            ess.append(res.ess)
            var.append(res.variance)
        assert ess == sorted(ess, reverse=True)
        assert var == sorted(var)

    def test_self_normalised_ignores_target_constant(self):
        rng = np.random.default_rng(4)
        x = rng.normal(0.3, 1.2, size=500)
        log_q = stats.norm(0.3, 1.2).logpdf(x)
        log_p = stats.norm(0, 1).logpdf(x)
        a = smp.importance_estimate(x**2, log_p, log_q)
        b = smp.importance_estimate(x**2, log_p + 5.0, log_q)
        assert b.self_normalised == pytest.approx(a.self_normalised, rel=1e-12)
        assert b.estimate == pytest.approx(a.estimate * math.exp(5.0), rel=1e-12)
        assert b.ess == pytest.approx(a.ess, rel=1e-12)

    @pytest.mark.parametrize(("bad", "what"), [(np.nan, "nan"), (np.inf, "inf")])
    def test_log_p_nan_or_posinf(self, bad, what):
        with pytest.raises(ValueError, match=rf"`log_p` must not hold nan or \+inf; found {what}"):
            smp.importance_estimate([1.0, 2.0], [0.0, bad], [0.0, 0.0])

    def test_log_q_must_be_finite(self):
        with pytest.raises(ValueError, match=r"`log_q` must be finite"):
            smp.importance_weights([0.0, 0.0], [0.0, -np.inf])

    def test_all_weights_zero(self):
        with pytest.raises(ValueError, match=r"every importance weight is 0"):
            smp.importance_estimate([1.0, 2.0], [-np.inf, -np.inf], [0.0, 0.0])
        with pytest.raises(ValueError, match=r"`weights` are all zero"):
            smp.effective_sample_size([0.0, 0.0])

    def test_shapes_must_match(self):
        with pytest.raises(ValueError, match=r"`log_p` and `log_q` must have the same shape"):
            smp.importance_weights([0.0, 0.0], [0.0])
        with pytest.raises(ValueError, match=r"`f_values` and `log_p` must have the same shape"):
            smp.importance_estimate([1.0], [0.0, 0.0], [0.0, 0.0])

    def test_negative_weights(self):
        with pytest.raises(ValueError, match=r"`weights` must be >= 0"):
            smp.effective_sample_size([1.0, -1.0])

    def test_weight_overflow(self):
        with pytest.raises(ValueError, match=r"importance weights overflow"):
            smp.importance_weights([0.0], [-800.0])


# ----------------------------------------------------------------------- RLHF


class TestPPO:
    def test_hand_cases(self):
        # r = [0.5, 1, 1.5, 0.5], A = [1, -1, 1, -1], ε = 0.2
        # unclipped rA = [0.5, -1, 1.5, -0.5]; clipped = [0.8, -1, 1.2, -0.8]
        # min = [0.5, -1, 1.2, -0.8]; clipping active (clipped < unclipped) in tokens 3, 4
        r = np.array([0.5, 1.0, 1.5, 0.5])
        res = smp.ppo_clip_objective(np.log(r), np.zeros(4), [1.0, -1.0, 1.0, -1.0], epsilon=0.2)
        np.testing.assert_allclose(res.ratio, r, rtol=1e-12)
        np.testing.assert_allclose(res.objective, [0.5, -1.0, 1.2, -0.8], rtol=1e-12)
        assert res.mean_objective == pytest.approx((0.5 - 1.0 + 1.2 - 0.8) / 4)
        assert res.clip_fraction == pytest.approx(0.5)
        assert res.ratio_outside_fraction == pytest.approx(0.75)

    def test_against_trl_formula_in_torch(self):
        torch = pytest.importorskip("torch")
        rng = np.random.default_rng(0)
        logp_old = np.log(rng.uniform(0.05, 1.0, size=200))
        logp_new = logp_old + rng.normal(scale=0.3, size=200)
        adv = rng.normal(size=200)
        eps = 0.2
        # TRL PPOTrainer: pg_losses = -A r, pg_losses2 = -A clamp(r), loss = max(...)
        ratio = torch.exp(torch.from_numpy(logp_new) - torch.from_numpy(logp_old))
        a = torch.from_numpy(adv)
        pg_losses = -a * ratio
        pg_losses2 = -a * torch.clamp(ratio, 1.0 - eps, 1.0 + eps)
        pg_loss = torch.max(pg_losses, pg_losses2).mean().item()
        clipfrac = torch.gt(pg_losses2, pg_losses).double().mean().item()
        res = smp.ppo_clip_objective(logp_new, logp_old, adv, epsilon=eps)
        assert res.mean_objective == pytest.approx(-pg_loss, rel=1e-12)
        assert res.clip_fraction == pytest.approx(clipfrac)

    @pytest.mark.parametrize("bad", [0.0, 1.0, -0.2, 1.5])
    def test_epsilon_outside_open_unit_interval(self, bad):
        with pytest.raises(ValueError, match=r"`epsilon` must lie in \(0, 1\)"):
            smp.ppo_clip_objective([0.0], [0.0], [1.0], epsilon=bad)

    @pytest.mark.parametrize(("bad", "what"), [(np.inf, "inf"), (np.nan, "nan")])
    def test_logp_nan_or_posinf(self, bad, what):
        with pytest.raises(ValueError, match=rf"`logp_new` must not hold nan or \+inf; found {what}"):
            smp.policy_ratio([bad], [0.0])
        with pytest.raises(ValueError, match=rf"`logp_old` must not hold nan or \+inf; found {what}"):
            smp.ppo_clip_objective([0.0], [bad], [1.0])

    def test_logp_neg_inf(self):
        with pytest.raises(ValueError, match=r"`logp_old` must be finite"):
            smp.policy_ratio([0.0], [-np.inf])

    def test_shapes(self):
        with pytest.raises(ValueError, match=r"`logp_new` and `advantages` must have the same shape"):
            smp.ppo_clip_objective([0.0, 0.0], [0.0, 0.0], [1.0])


class TestKLEstimators:
    PI = np.array([0.4, 0.3, 0.2, 0.1])
    PI_REF = np.array([0.25, 0.25, 0.3, 0.2])

    def exact_kl(self) -> float:
        return float(special.rel_entr(self.PI, self.PI_REF).sum())  # scipy reference

    def test_exact_expectations_by_enumeration(self):
        # E_π[k] = Σ_x π(x) k(x): k1 and k3 give KL exactly, k2 its second-order proxy
        est = smp.kl_estimators(np.log(self.PI), np.log(self.PI_REF))
        assert float(self.PI @ est.k1) == pytest.approx(self.exact_kl(), rel=1e-12)
        assert float(self.PI @ est.k3) == pytest.approx(self.exact_kl(), rel=1e-12)
        log_r = np.log(self.PI_REF / self.PI)
        assert float(self.PI @ est.k2) == pytest.approx(0.5 * float(self.PI @ log_r**2), rel=1e-12)

    def test_monte_carlo_against_exact_kl(self):
        n = 20_000
        x = np.random.default_rng(31).choice(4, size=n, p=self.PI)
        est = smp.kl_estimators(np.log(self.PI)[x], np.log(self.PI_REF)[x])
        kl = self.exact_kl()
        # k1 and k3 are unbiased: within 4 standard errors of the exact KL
        assert abs(est.k1_mean - kl) < 4 * est.k1_stderr
        assert abs(est.k3_mean - kl) < 4 * est.k3_stderr
        # k2 is biased: it estimates ½ E[(log r)²], not KL
        target_k2 = 0.5 * float(self.PI @ np.log(self.PI_REF / self.PI) ** 2)
        assert abs(est.k2_mean - target_k2) < 4 * est.k2_stderr
        assert (est.k3 >= 0).all() and (est.k2 >= 0).all()
        assert (est.k1 < 0).any()  # k1 is negative on some samples

    def test_k3_has_lower_variance_near_reference(self):
        # exact variances by enumeration for π close to π_ref
        pi_ref = np.array([0.3, 0.3, 0.4])
        pi = np.array([0.32, 0.29, 0.39])
        est = smp.kl_estimators(np.log(pi), np.log(pi_ref))

        def var(k):
            return float(pi @ k**2 - (pi @ k) ** 2)

        assert var(est.k3) < var(est.k1) / 10

    def test_bad_logps(self):
        with pytest.raises(ValueError, match=r"`logp_ref` must not hold nan or \+inf"):
            smp.kl_estimators([0.0], [np.nan])
        with pytest.raises(ValueError, match=r"`logp` and `logp_ref` must have the same shape"):
            smp.kl_estimators([0.0, 0.0], [0.0])


# --------------------------------------------------------------- the kl_div trap


class TestKLDiv:
    rng = np.random.default_rng(12)
    P = special.softmax(rng.normal(size=(4, 6)), axis=-1)
    Q = special.softmax(rng.normal(size=(4, 6)), axis=-1)

    def test_batchmean_is_mean_kl_per_row(self):
        expected = special.rel_entr(self.P, self.Q).sum() / 4  # scipy reference
        assert smp.kl_div(np.log(self.Q), self.P, reduction="batchmean") == pytest.approx(expected, rel=1e-12)
        assert smp.kl_div(np.log(self.Q), self.P, reduction="sum") == pytest.approx(expected * 4, rel=1e-12)
        assert smp.kl_div(np.log(self.Q), self.P) == pytest.approx(expected * 4 / 24, rel=1e-12)
        np.testing.assert_allclose(smp.kl_div(np.log(self.Q), self.P, reduction="none"),
                                   special.rel_entr(self.P, self.Q), rtol=1e-12)

    def test_log_target(self):
        expected = special.rel_entr(self.P, self.Q).sum() / 4
        got = smp.kl_div(np.log(self.Q), np.log(self.P), reduction="batchmean", log_target=True)
        assert got == pytest.approx(expected, rel=1e-12)

    def test_zero_target_terms_are_zero(self):
        p = np.array([[0.5, 0.5, 0.0]])
        q_log = np.log([[0.25, 0.75, 1e-300]])
        q_log[0, 2] = -np.inf
        assert smp.kl_div(q_log, p, reduction="sum") == pytest.approx(
            float(special.rel_entr(p, [[0.25, 0.75, 0.0]]).sum()), rel=1e-12
        )

    @pytest.mark.filterwarnings("ignore:reduction. 'mean' divides:UserWarning")  # torch's own hint
    @pytest.mark.parametrize("reduction", ["none", "sum", "mean", "batchmean"])
    @pytest.mark.parametrize("log_target", [False, True])
    def test_agrees_with_torch(self, reduction, log_target):
        torch = pytest.importorskip("torch")
        import torch.nn.functional as F

        inp = np.log(self.Q)
        tgt = np.log(self.P) if log_target else self.P
        expected = F.kl_div(torch.from_numpy(inp), torch.from_numpy(tgt), reduction=reduction,
                            log_target=log_target).numpy()
        np.testing.assert_allclose(smp.kl_div(inp, tgt, reduction=reduction, log_target=log_target),
                                   expected, rtol=1e-12)

    def test_raw_probabilities_trap(self):
        # the course's silent bug: F.kl_div(q, p) on raw probabilities
        with pytest.raises(ValueError, match=r"`input` has entries > 0 .* pass log q"):
            smp.kl_div(self.Q, self.P, reduction="batchmean")
        problems = smp.check_kl_div_inputs(self.Q, self.P)
        assert len(problems) == 1 and "not log-probabilities" in problems[0]
        wrong = smp.kl_div(self.Q, self.P, reduction="batchmean", check=False)
        right = special.rel_entr(self.P, self.Q).sum() / 4
        assert abs(wrong - right) > 0.1  # the trap gives a different number
        torch = pytest.importorskip("torch")
        import torch.nn.functional as F

        torch_wrong = F.kl_div(torch.from_numpy(self.Q), torch.from_numpy(self.P), reduction="batchmean")
        assert wrong == pytest.approx(torch_wrong.item(), rel=1e-12)  # torch says nothing

    def test_checker_flags(self):
        assert smp.check_kl_div_inputs(np.log(self.Q), self.P) == []
        assert smp.check_kl_div_inputs(np.log(self.Q), np.log(self.P), log_target=True) == []
        assert any("log_target=True" in m for m in smp.check_kl_div_inputs(np.log(self.Q), np.log(self.P)))
        assert any("log_target=True" in m
                   for m in smp.check_kl_div_inputs(np.log(self.Q), self.P, log_target=True))
        assert any("not normalised" in m for m in smp.check_kl_div_inputs(np.log(self.Q) - 1, self.P))
        assert any("do not sum to 1" in m for m in smp.check_kl_div_inputs(np.log(self.Q), self.P / 2))

    def test_negative_target_raises(self):
        with pytest.raises(ValueError, match=r"`target` must be >= 0"):
            smp.kl_div(np.log(self.Q), np.log(self.P), check=False)

    @pytest.mark.parametrize(("bad", "what"), [(np.inf, "inf"), (np.nan, "nan")])
    def test_input_nan_or_posinf(self, bad, what):
        inp = np.log(self.Q)
        inp[0, 0] = bad
        with pytest.raises(ValueError, match=rf"`input` must not hold nan or \+inf; found {what}"):
            smp.kl_div(inp, self.P)

    def test_bad_reduction_and_shapes(self):
        with pytest.raises(ValueError, match=r"`reduction` must be one of"):
            smp.kl_div(np.log(self.Q), self.P, reduction="avg")
        with pytest.raises(ValueError, match=r"`input` and `target` must have the same shape"):
            smp.kl_div(np.log(self.Q), self.P[:2])


class TestRejectionPicture:
    def test_heights_decide_acceptance_under_the_envelope(self):
        # Beta(2, 2) under M · Uniform(0, 1) with M = 1.5, the density's peak (closed form).
        res = smp.rejection_sample(stats.beta(2, 2).pdf, stats.uniform(), M=1.5, n_proposals=500,
                                   rng=np.random.default_rng(7))
        assert res.proposals.shape == res.accepted.shape == res.heights.shape == (500,)
        assert np.all((res.heights >= 0) & (res.heights <= 1.5))
        # accepted exactly when the point lies under scipy's Beta(2, 2) density
        np.testing.assert_array_equal(res.accepted, res.heights < stats.beta(2, 2).pdf(res.proposals))
        np.testing.assert_array_equal(res.samples, res.proposals[res.accepted])
        assert res.n_accepted == int(res.accepted.sum())
