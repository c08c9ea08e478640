"""Tests for core.distributions.

References: scipy.stats called directly, closed forms written out here, and the course's
numbers (section "Key Distributions" and the Beta-Binomial worked example). Sampling
tests use fixed seeds; a sample mean must lie within 4 standard errors of the true mean
(SE = sd/√N), and a goodness-of-fit test (chisquare or kstest) at that seed must not
reject at the 0.001 level.
"""

from __future__ import annotations

import math
from dataclasses import FrozenInstanceError

import numpy as np
import pytest
from scipy import special, stats

from core.distributions import (
    FAMILIES,
    LLM_CONNECTION,
    Bernoulli,
    Beta,
    Categorical,
    Dirichlet,
    Gaussian,
    Grid,
    barycentric_to_cartesian,
    family,
)
from tests.course import course_example

N_DRAWS = 20_000
GOF_ALPHA = 1e-3


def assert_within_se(sample: np.ndarray, mean: float, var: float) -> None:
    """Sample mean within 4 standard errors (SE = √(var/N)) of the true mean."""
    se = math.sqrt(var / sample.size)
    assert abs(sample.mean() - mean) < 4 * se


class TestBernoulli:
    @pytest.mark.parametrize("p", [0.0, 0.1, 0.5, 0.93, 1.0])
    def test_moments_closed_form(self, p: float) -> None:
        d = Bernoulli(p)
        assert d.mean() == pytest.approx(p)
        assert d.var() == pytest.approx(p * (1 - p))  # Var = p(1 − p)

    @pytest.mark.parametrize("p", [0.1, 0.5, 0.93])
    def test_pmf_matches_course_formula(self, p: float) -> None:
        x = np.array([0, 1])
        expected = p**x * (1 - p) ** (1 - x)  # course: pˣ(1−p)^(1−x)
        np.testing.assert_allclose(Bernoulli(p).pmf(x), expected, rtol=1e-15)
        np.testing.assert_allclose(Bernoulli(p).logpmf(x), np.log(expected), rtol=1e-14)

    def test_pmf_off_support_is_zero(self) -> None:
        np.testing.assert_array_equal(Bernoulli(0.4).pmf([-1, 0.5, 2]), [0.0, 0.0, 0.0])
        assert Bernoulli(1.0).logpmf(0) == -np.inf

    @pytest.mark.parametrize("p", [0.2, 0.5, 0.77])
    def test_entropy_closed_form(self, p: float) -> None:
        h = -p * math.log(p) - (1 - p) * math.log(1 - p)
        assert Bernoulli(p).entropy() == pytest.approx(h, rel=1e-14)
        assert Bernoulli(p).entropy(base=2) == pytest.approx(h / math.log(2), rel=1e-14)

    def test_entropy_fair_coin_is_one_bit_and_certain_is_zero(self) -> None:
        assert Bernoulli(0.5).entropy(base=2) == pytest.approx(1.0, rel=1e-15)
        assert Bernoulli(0.0).entropy() == 0.0
        assert Bernoulli(1.0).entropy(base=10) == 0.0

    def test_sample_mean_and_chisquare(self) -> None:
        p = 0.3
        x = Bernoulli(p).sample(N_DRAWS, rng=np.random.default_rng(1))
        assert x.shape == (N_DRAWS,)
        assert set(np.unique(x)) <= {0, 1}
        assert_within_se(x, p, p * (1 - p))
        counts = np.bincount(x, minlength=2)
        assert stats.chisquare(counts, N_DRAWS * np.array([1 - p, p])).pvalue > GOF_ALPHA

    def test_sample_shapes_and_reproducible(self) -> None:
        d = Bernoulli(0.5)
        assert np.ndim(d.sample(rng=np.random.default_rng(0))) == 0
        assert d.sample((3, 4), rng=np.random.default_rng(0)).shape == (3, 4)
        a = d.sample(50, rng=np.random.default_rng(7))
        b = d.sample(50, rng=np.random.default_rng(7))
        np.testing.assert_array_equal(a, b)

    def test_grid(self) -> None:
        g = Bernoulli(0.25).grid()
        assert isinstance(g, Grid)
        np.testing.assert_array_equal(g.x, [0, 1])
        np.testing.assert_allclose(g.density, [0.75, 0.25])


class TestCategorical:
    probs = (0.1, 0.0, 0.6, 0.3)

    def test_pmf_is_probs_and_zero_elsewhere(self) -> None:
        d = Categorical(self.probs)
        np.testing.assert_allclose(d.pmf([0, 1, 2, 3]), self.probs)
        np.testing.assert_array_equal(d.pmf([-1, 4, 1.5]), [0.0, 0.0, 0.0])
        assert d.logpmf(1) == -np.inf
        assert d.logpmf(2) == pytest.approx(math.log(0.6), rel=1e-15)

    def test_pmf_against_scipy_rv_discrete(self) -> None:
        rng = np.random.default_rng(9)
        probs = rng.dirichlet(np.ones(7))
        ref = stats.rv_discrete(values=(np.arange(7), probs))
        x = np.array([[-2, 0, 1, 2.0], [3, 3.5, 6, 7]])
        np.testing.assert_allclose(Categorical(probs).pmf(x), ref.pmf(x), rtol=1e-15)
        np.testing.assert_allclose(Categorical(probs).logpmf(x), ref.logpmf(x), rtol=1e-14)

    def test_vocabulary_sized_k(self) -> None:
        # 50k outcomes, like a vocabulary: mass look-up and sampling stay linear in K.
        k = 50_000
        probs = np.random.default_rng(10).dirichlet(np.ones(k))
        d = Categorical(probs)
        g = d.grid()
        np.testing.assert_array_equal(g.density, probs)
        draws = d.sample(1000, rng=np.random.default_rng(0))
        assert draws.shape == (1000,)
        assert ((draws >= 0) & (draws < k)).all()

    def test_probs_within_tolerance_sample(self) -> None:
        # Sums to 1 + 5e-7: accepted by validation (atol 1e-6), so sampling must work too.
        d = Categorical([0.5, 0.5 + 5e-7])
        assert d.sample(10, rng=np.random.default_rng(0)).shape == (10,)

    def test_moments_with_outcomes_zero_to_k_minus_one(self) -> None:
        d = Categorical(self.probs)
        k = np.arange(4)
        mean = float(np.sum(k * np.array(self.probs)))  # Σ k πₖ
        var = float(np.sum(k**2 * np.array(self.probs))) - mean**2
        assert d.mean() == pytest.approx(mean, rel=1e-14)
        assert d.var() == pytest.approx(var, rel=1e-13)
        assert d.k == 4

    def test_entropy_against_scipy(self) -> None:
        ref = stats.entropy(self.probs)  # safe here: the vector is already normalised
        assert Categorical(self.probs).entropy() == pytest.approx(ref, rel=1e-14)
        assert Categorical([0.25] * 4).entropy(base=2) == pytest.approx(2.0, rel=1e-15)
        assert Categorical([1.0]).entropy() == 0.0

    def test_sample_chisquare_and_never_a_zero_probability_outcome(self) -> None:
        x = Categorical(self.probs).sample(N_DRAWS, rng=np.random.default_rng(2))
        counts = np.bincount(x, minlength=4)
        assert counts[1] == 0
        keep = np.array(self.probs) > 0
        expected = N_DRAWS * np.array(self.probs)[keep]
        assert stats.chisquare(counts[keep], expected).pvalue > GOF_ALPHA

    def test_stored_as_hashable_tuple(self) -> None:
        d = Categorical(np.array([0.5, 0.5]))
        assert d.probs == (0.5, 0.5)
        assert d == Categorical([0.5, 0.5])
        assert hash(d) == hash(Categorical([0.5, 0.5]))
        with pytest.raises(FrozenInstanceError):
            d.probs = (1.0, 0.0)  # type: ignore[misc]

    def test_grid(self) -> None:
        g = Categorical(self.probs).grid()
        np.testing.assert_array_equal(g.x, [0, 1, 2, 3])
        np.testing.assert_allclose(g.density, self.probs)


class TestGaussian:
    @pytest.mark.parametrize(("mu", "sigma"), [(0.0, 1.0), (-2.5, 0.3), (10.0, 4.0)])
    def test_pdf_matches_course_formula(self, mu: float, sigma: float) -> None:
        x = np.linspace(mu - 3 * sigma, mu + 3 * sigma, 13)
        # course: (2πσ²)^−½ exp(−(x−μ)²/2σ²)
        expected = (2 * math.pi * sigma**2) ** -0.5 * np.exp(-((x - mu) ** 2) / (2 * sigma**2))
        np.testing.assert_allclose(Gaussian(mu, sigma).pdf(x), expected, rtol=1e-13)
        np.testing.assert_allclose(Gaussian(mu, sigma).logpdf(x), np.log(expected), rtol=1e-12)

    @pytest.mark.parametrize("sigma", [0.1, 1.0, 7.0])
    def test_moments_and_entropy_closed_form(self, sigma: float) -> None:
        d = Gaussian(1.5, sigma)
        assert d.mean() == 1.5
        assert d.var() == pytest.approx(sigma**2, rel=1e-15)
        h = 0.5 * math.log(2 * math.pi * math.e * sigma**2)  # ½ log(2πeσ²)
        assert d.entropy() == pytest.approx(h, rel=1e-13)
        assert d.entropy(base=2) == pytest.approx(h / math.log(2), rel=1e-13)

    def test_sample_mean_and_kstest(self) -> None:
        mu, sigma = 2.0, 3.0
        x = Gaussian(mu, sigma).sample(N_DRAWS, rng=np.random.default_rng(3))
        assert_within_se(x, mu, sigma**2)
        assert stats.kstest(x, stats.norm(mu, sigma).cdf).pvalue > GOF_ALPHA

    def test_grid_spans_width_sigmas(self) -> None:
        g = Gaussian(1.0, 2.0).grid(n_points=11, width=3.0)
        np.testing.assert_allclose(g.x, np.linspace(-5.0, 7.0, 11))
        np.testing.assert_allclose(g.density, stats.norm(1.0, 2.0).pdf(g.x), rtol=1e-14)


class TestBeta:
    @pytest.mark.parametrize(("a", "b"), [(2.0, 3.0), (0.5, 0.5), (6.0, 3.0), (1.0, 1.0)])
    def test_moments_closed_form(self, a: float, b: float) -> None:
        d = Beta(a, b)
        assert d.mean() == pytest.approx(a / (a + b), rel=1e-14)  # α/(α+β)
        assert d.var() == pytest.approx(a * b / ((a + b) ** 2 * (a + b + 1)), rel=1e-13)

    def test_course_posterior_means(self) -> None:
        # The walkthrough's Beta(2,2) -> ... -> Beta(6,3) means, and Q6's Beta(8,4), as printed.
        walk = course_example("beta_binomial_walkthrough")
        for (a, b), mean in zip(walk["posteriors"], walk["means"], strict=True):
            assert round(Beta(a, b).mean(), walk["printed_decimals"]) == mean
        q6 = course_example("q6_beta_binomial")
        assert round(Beta(*q6["posterior"]).mean(), q6["printed_decimals"]) == q6["mean"]

    def test_pdf_matches_course_formula(self) -> None:
        a, b = 2.5, 4.0
        x = np.linspace(0.05, 0.95, 19)
        expected = x ** (a - 1) * (1 - x) ** (b - 1) / special.beta(a, b)  # course formula
        np.testing.assert_allclose(Beta(a, b).pdf(x), expected, rtol=1e-12)
        np.testing.assert_allclose(Beta(a, b).logpdf(x), np.log(expected), rtol=1e-12)

    def test_pdf_outside_support_is_zero(self) -> None:
        np.testing.assert_array_equal(Beta(2, 3).pdf([-0.1, 1.1]), [0.0, 0.0])

    @pytest.mark.parametrize(("a", "b"), [(2.0, 3.0), (0.5, 0.5), (10.0, 1.0)])
    def test_entropy_against_scipy(self, a: float, b: float) -> None:
        ref = stats.beta(a, b).entropy()
        assert Beta(a, b).entropy() == pytest.approx(ref, rel=1e-13)
        assert Beta(a, b).entropy(base=2) == pytest.approx(ref / math.log(2), rel=1e-13)

    def test_uniform_has_zero_entropy(self) -> None:
        assert Beta(1, 1).entropy() == pytest.approx(0.0, abs=1e-15)  # log(1 − 0) = 0

    def test_sample_mean_and_kstest(self) -> None:
        a, b = 2.0, 5.0
        x = Beta(a, b).sample(N_DRAWS, rng=np.random.default_rng(4))
        assert ((x >= 0) & (x <= 1)).all()
        assert_within_se(x, a / (a + b), a * b / ((a + b) ** 2 * (a + b + 1)))
        assert stats.kstest(x, stats.beta(a, b).cdf).pvalue > GOF_ALPHA

    def test_grid_is_finite_even_when_density_is_infinite_at_ends(self) -> None:
        g = Beta(0.5, 0.5).grid(n_points=4)
        np.testing.assert_allclose(g.x, [0.125, 0.375, 0.625, 0.875])
        assert np.isfinite(g.density).all()
        np.testing.assert_allclose(g.density, stats.beta(0.5, 0.5).pdf(g.x), rtol=1e-14)
        assert Beta(0.5, 0.5).pdf(0.0) == np.inf


class TestDirichlet:
    alpha = (2.0, 3.0, 4.0)

    def test_mean_and_marginal_variance_closed_form(self) -> None:
        a = np.array(self.alpha)
        a0 = a.sum()
        np.testing.assert_allclose(Dirichlet(a).mean(), a / a0, rtol=1e-15)  # α/Σα
        var = a * (a0 - a) / (a0**2 * (a0 + 1))
        np.testing.assert_allclose(Dirichlet(a).var(), var, rtol=1e-13)

    def test_pdf_matches_course_formula_and_broadcasts(self) -> None:
        a = np.array(self.alpha)
        x = np.array([[[0.2, 0.3, 0.5], [0.6, 0.1, 0.3]], [[1 / 3, 1 / 3, 1 / 3], [0.1, 0.8, 0.1]]])
        # course: ∏ πₖ^(αₖ−1) / B(α), with log B(α) = Σ log Γ(αₖ) − log Γ(Σαₖ)
        log_b = special.gammaln(a).sum() - special.gammaln(a.sum())
        expected = np.exp(((a - 1) * np.log(x)).sum(axis=-1) - log_b)
        got = Dirichlet(a).pdf(x)
        assert got.shape == (2, 2)
        np.testing.assert_allclose(got, expected, rtol=1e-12)
        np.testing.assert_allclose(Dirichlet(a).logpdf(x), np.log(expected), rtol=1e-12)
        assert np.ndim(Dirichlet(a).pdf([0.2, 0.3, 0.5])) == 0

    def test_pdf_zero_on_edge_when_alpha_at_least_one(self) -> None:
        assert Dirichlet([2.0, 1.0, 1.0]).pdf([0.0, 0.5, 0.5]) == 0.0

    def test_two_components_is_beta(self) -> None:
        x = np.array([[0.3, 0.7], [0.9, 0.1]])
        np.testing.assert_allclose(
            Dirichlet([2.0, 5.0]).pdf(x), stats.beta(2.0, 5.0).pdf(x[:, 0]), rtol=1e-12
        )

    @pytest.mark.parametrize("alpha", [(2.0, 3.0, 4.0), (0.5, 0.5), (1.0, 1.0, 1.0, 1.0)])
    def test_entropy_against_scipy(self, alpha: tuple[float, ...]) -> None:
        ref = stats.dirichlet(np.array(alpha)).entropy()
        assert Dirichlet(alpha).entropy() == pytest.approx(ref, rel=1e-13)
        assert Dirichlet(alpha).entropy(base=2) == pytest.approx(ref / math.log(2), rel=1e-13)

    def test_sample_on_simplex_and_first_component_is_beta(self) -> None:
        a = np.array(self.alpha)
        x = Dirichlet(a).sample(N_DRAWS, rng=np.random.default_rng(5))
        assert x.shape == (N_DRAWS, 3)
        np.testing.assert_allclose(x.sum(axis=1), 1.0, atol=1e-12)
        for k in range(3):
            mean = a[k] / a.sum()
            var = a[k] * (a.sum() - a[k]) / (a.sum() ** 2 * (a.sum() + 1))
            assert_within_se(x[:, k], mean, var)
        # The marginal of π₁ is Beta(α₁, α₀ − α₁).
        ks = stats.kstest(x[:, 0], stats.beta(a[0], a.sum() - a[0]).cdf)
        assert ks.pvalue > GOF_ALPHA

    def test_sample_shapes(self) -> None:
        d = Dirichlet(self.alpha)
        assert d.sample(rng=np.random.default_rng(0)).shape == (3,)
        assert d.sample((2, 5), rng=np.random.default_rng(0)).shape == (2, 5, 3)

    def test_simplex_grid(self) -> None:
        r = 10
        g = Dirichlet(self.alpha).grid(resolution=r)
        assert g.x.shape == (math.comb(r - 1, 2), 3)  # positive (i, j, k) with i+j+k = r
        assert (g.x > 0).all()
        np.testing.assert_allclose(g.x.sum(axis=1), 1.0, atol=1e-15)
        np.testing.assert_allclose(g.x * r, np.round(g.x * r), atol=1e-12)
        assert len({tuple(p) for p in np.round(g.x * r).astype(int)}) == len(g.x)
        np.testing.assert_allclose(
            g.density, stats.dirichlet(np.array(self.alpha)).pdf(g.x.T), rtol=1e-12
        )

    def test_simplex_grid_integrates_to_one(self) -> None:
        # Density is w.r.t. area in (π₁, π₂); each lattice point stands for a 1/r² cell.
        # Alpha = 5 vanishes to 4th order at the edges, so the missed border is negligible.
        r = 100
        g = Dirichlet([5.0, 5.0, 5.0]).grid(resolution=r)
        assert g.density.sum() / r**2 == pytest.approx(1.0, abs=1e-6)


class TestBarycentric:
    def test_vertices_and_centroid(self) -> None:
        got = barycentric_to_cartesian(np.eye(3))
        expected = np.array([[0.0, 0.0], [1.0, 0.0], [0.5, math.sqrt(3) / 2]])
        np.testing.assert_allclose(got, expected, atol=1e-15)
        centroid = barycentric_to_cartesian([1 / 3, 1 / 3, 1 / 3])
        np.testing.assert_allclose(centroid, [0.5, math.sqrt(3) / 6], rtol=1e-14)

    def test_maps_grid(self) -> None:
        g = Dirichlet([2.0, 2.0, 2.0]).grid(resolution=6)
        assert barycentric_to_cartesian(g.x).shape == (len(g.x), 2)

    def test_rejects_wrong_component_count(self) -> None:
        with pytest.raises(ValueError, match=r"`points` must have 3 components"):
            barycentric_to_cartesian([0.5, 0.5])

    def test_rejects_off_simplex(self) -> None:
        with pytest.raises(ValueError, match=r"`points` must sum to 1"):
            barycentric_to_cartesian([0.5, 0.5, 0.5])


class TestFamily:
    @pytest.mark.parametrize(
        ("name", "params", "cls"),
        [
            ("bernoulli", {"p": 0.2}, Bernoulli),
            ("categorical", {"probs": [0.5, 0.5]}, Categorical),
            ("gaussian", {"mu": 0.0, "sigma": 1.0}, Gaussian),
            ("beta", {"alpha": 2.0, "beta": 3.0}, Beta),
            ("dirichlet", {"alpha": [1.0, 2.0]}, Dirichlet),
        ],
    )
    def test_builds_each_family(self, name: str, params: dict, cls: type) -> None:
        d = family(name, **params)
        assert isinstance(d, cls)
        assert d.name == name
        assert d == cls(**params)

    def test_families_and_llm_connections(self) -> None:
        assert FAMILIES == ("bernoulli", "categorical", "gaussian", "beta", "dirichlet")
        assert set(LLM_CONNECTION) == set(FAMILIES)
        assert all(isinstance(s, str) and s.endswith(".") for s in LLM_CONNECTION.values())

    def test_unknown_name(self) -> None:
        with pytest.raises(ValueError, match=r"`name` must be one of 'bernoulli'.*got 'Gaussian'"):
            family("Gaussian", mu=0.0, sigma=1.0)

    def test_wrong_params(self) -> None:
        with pytest.raises(ValueError, match=r"`params` for 'gaussian' must be exactly mu, sigma; got mu$"):
            family("gaussian", mu=0.0)
        with pytest.raises(ValueError, match=r"`params` for 'bernoulli' must be exactly p; got q"):
            family("bernoulli", q=0.5)
        with pytest.raises(ValueError, match=r"must be exactly alpha; got none"):
            family("dirichlet")

    def test_bad_values_reach_the_family_check(self) -> None:
        with pytest.raises(ValueError, match=r"`sigma` must be > 0; got -1.0"):
            family("gaussian", mu=0.0, sigma=-1.0)


class TestValidation:
    @pytest.mark.parametrize("p", [-0.1, 1.5])
    def test_bernoulli_p_range(self, p: float) -> None:
        with pytest.raises(ValueError, match=r"`p` must lie in \[0, 1\]"):
            Bernoulli(p)

    def test_bernoulli_p_scalar(self) -> None:
        with pytest.raises(ValueError, match=r"`p` must be a single number; got shape \(2,\)"):
            Bernoulli([0.1, 0.2])  # type: ignore[arg-type]

    def test_bernoulli_p_nan(self) -> None:
        with pytest.raises(ValueError, match=r"`p` must be finite; found nan"):
            Bernoulli(float("nan"))

    def test_non_numeric_parameter(self) -> None:
        with pytest.raises(TypeError, match=r"`p` must be numeric, got str"):
            Bernoulli("0.5")  # type: ignore[arg-type]

    def test_categorical_probs_sum(self) -> None:
        with pytest.raises(ValueError, match=r"`probs` must sum to 1"):
            Categorical([0.2, 0.2])

    def test_categorical_probs_negative(self) -> None:
        with pytest.raises(ValueError, match=r"`probs` must be non-negative; found -0.5"):
            Categorical([1.5, -0.5])

    def test_categorical_probs_one_dimensional(self) -> None:
        with pytest.raises(ValueError, match=r"`probs` must be 1-D, got shape \(2, 2\)"):
            Categorical([[0.5, 0.5], [0.5, 0.5]])

    def test_categorical_probs_scalar(self) -> None:
        with pytest.raises(ValueError, match=r"`probs` must be a vector of probabilities"):
            Categorical(1.0)

    @pytest.mark.parametrize("sigma", [0.0, -2.0])
    def test_gaussian_sigma(self, sigma: float) -> None:
        with pytest.raises(ValueError, match=r"`sigma` must be > 0"):
            Gaussian(0.0, sigma)

    def test_gaussian_mu_finite(self) -> None:
        with pytest.raises(ValueError, match=r"`mu` must be finite; found inf"):
            Gaussian(float("inf"), 1.0)

    @pytest.mark.parametrize(("a", "b", "bad"), [(0.0, 1.0, "alpha"), (1.0, -3.0, "beta")])
    def test_beta_parameters(self, a: float, b: float, bad: str) -> None:
        with pytest.raises(ValueError, match=rf"`{bad}` must be > 0"):
            Beta(a, b)

    def test_dirichlet_alpha_positive(self) -> None:
        with pytest.raises(ValueError, match=r"`alpha` must be > 0; got 0.0 at index 1"):
            Dirichlet([1.0, 0.0, 2.0])

    @pytest.mark.parametrize("alpha", [[1.0], [[1.0, 2.0]], 3.0])
    def test_dirichlet_alpha_shape(self, alpha: object) -> None:
        with pytest.raises(ValueError, match=r"`alpha` must be a 1-D vector of at least 2 entries"):
            Dirichlet(alpha)  # type: ignore[arg-type]

    def test_dirichlet_point_components(self) -> None:
        with pytest.raises(ValueError, match=r"`x` must have 3 components on its last axis"):
            Dirichlet([1.0, 2.0, 3.0]).pdf([0.5, 0.5])

    def test_dirichlet_point_off_simplex(self) -> None:
        with pytest.raises(ValueError, match=r"`x` must sum to 1"):
            Dirichlet([1.0, 2.0, 3.0]).logpdf([0.5, 0.5, 0.5])

    def test_dirichlet_point_zero_where_alpha_below_one(self) -> None:
        with pytest.raises(ValueError, match=r"`x` has a zero component where alpha < 1"):
            Dirichlet([0.5, 2.0, 3.0]).pdf([0.0, 0.5, 0.5])

    def test_dirichlet_grid_needs_three_components(self) -> None:
        with pytest.raises(ValueError, match=r"`alpha` must have 3 components for a simplex grid; got 4"):
            Dirichlet([1.0, 1.0, 1.0, 1.0]).grid()

    def test_dirichlet_grid_resolution(self) -> None:
        with pytest.raises(ValueError, match=r"`resolution` must be >= 3; got 2"):
            Dirichlet([1.0, 1.0, 1.0]).grid(resolution=2)

    def test_x_must_be_finite(self) -> None:
        with pytest.raises(ValueError, match=r"`x` must be finite; found nan"):
            Gaussian(0.0, 1.0).pdf([0.0, float("nan")])
        with pytest.raises(ValueError, match=r"`x` must be finite"):
            Bernoulli(0.5).pmf(float("nan"))
        with pytest.raises(ValueError, match=r"`x` must be finite"):
            Categorical([0.5, 0.5]).logpmf([0, float("inf")])

    @pytest.mark.parametrize("base", [0.0, -2.0])
    def test_entropy_base_positive(self, base: float) -> None:
        with pytest.raises(ValueError, match=r"`base` must be > 0"):
            Bernoulli(0.5).entropy(base=base)

    def test_entropy_base_not_one(self) -> None:
        with pytest.raises(ValueError, match=r"`base` must not be 1"):
            Gaussian(0.0, 1.0).entropy(base=1)

    def test_sample_size_negative(self) -> None:
        with pytest.raises(ValueError, match=r"`size` must be >= 0; got -1"):
            Beta(1.0, 1.0).sample(-1, rng=np.random.default_rng(0))
        with pytest.raises(ValueError, match=r"`size` must be >= 0; got -2"):
            Beta(1.0, 1.0).sample((3, -2), rng=np.random.default_rng(0))

    def test_sample_size_not_integer(self) -> None:
        with pytest.raises(TypeError, match=r"`size` must be an integer"):
            Gaussian(0.0, 1.0).sample(2.5, rng=np.random.default_rng(0))  # type: ignore[arg-type]

    def test_sample_rng_type(self) -> None:
        with pytest.raises(TypeError, match=r"`rng` must be a numpy.random.Generator .*, got int"):
            Categorical([0.5, 0.5]).sample(3, rng=42)  # type: ignore[arg-type]

    def test_grid_n_points(self) -> None:
        with pytest.raises(ValueError, match=r"`n_points` must be >= 2; got 1"):
            Gaussian(0.0, 1.0).grid(n_points=1)
        with pytest.raises(ValueError, match=r"`n_points` must be >= 2; got 0"):
            Beta(2.0, 2.0).grid(n_points=0)

    def test_grid_width(self) -> None:
        with pytest.raises(ValueError, match=r"`width` must be > 0; got 0.0"):
            Gaussian(0.0, 1.0).grid(width=0.0)

    def test_rng_none_draws_fresh(self) -> None:
        # rng=None is allowed and uses a fresh generator; only the shape is checkable.
        assert Gaussian(0.0, 1.0).sample(5).shape == (5,)
