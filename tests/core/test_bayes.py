"""Tests for core.bayes against scipy.stats, closed forms and the course's worked numbers.

References: the course's worked examples (tests/data/course_examples.json, each with
its section): the Beta-Binomial walkthrough "Beta(2, 2), H, H, H, T, H" and interview
Q4 and Q6;
scipy.stats.beta (cdf, pdf, ppf, logpdf), scipy.stats.dirichlet, scipy.stats.
dirichlet_multinomial, scipy.special.betaln/comb; numpy.linalg.lstsq on the augmented
ridge system. Every number here is computed independently of core.bayes.
"""

from __future__ import annotations

import dataclasses
import math
import re

import numpy as np
import pytest
import scipy.optimize
from hypothesis import given
from hypothesis import strategies as st
from scipy import special, stats

from core.bayes import (
    BetaPosterior,
    beta_binomial_trace,
    beta_binomial_update,
    dirichlet_categorical_update,
    map_linear_regression,
    prior_variance_from_weight_decay,
    ridge_solution,
    weight_decay_from_prior_variance,
)
from tests.course import course_example


def raises(message: str) -> pytest.RaisesExc:
    """pytest.raises(ValueError) matching ``message`` literally."""
    return pytest.raises(ValueError, match=re.escape(message))


# (alpha, beta) posteriors with alpha > 1 and beta > 1, as (alpha0, beta0, heads, tails).
UNIMODAL = [(2, 2, 4, 1), (1, 1, 7, 3), (1.5, 30, 0, 0), (0.5, 0.5, 2, 19), (1, 1, 150, 48)]
LEVELS = [0.5, 0.8, 0.9, 0.95, 0.99]


class TestBetaBinomialUpdate:
    def test_course_q6_uniform_prior_7_heads_3_tails(self) -> None:
        # Course Q6: Beta(1,1) + 7H/3T -> Beta(8, 4), mean 8/12, MAP 7/10, MLE 7/10.
        q6 = course_example("q6_beta_binomial")
        post = beta_binomial_update(*q6["prior"], q6["heads"], q6["tails"])
        assert [post.alpha, post.beta] == q6["posterior"]
        assert post.mean == pytest.approx(8 / 12, rel=1e-15)
        assert post.map == pytest.approx(7 / 10, rel=1e-15)
        assert post.mle == pytest.approx(7 / 10, rel=1e-15)
        digits = q6["printed_decimals"]
        assert [round(v, digits) for v in (post.mean, post.map, post.mle)] == [q6["mean"], q6["map"], q6["mle"]]

    @pytest.mark.parametrize(("a0", "b0", "h", "t"), [*UNIMODAL, (0.5, 2, 0, 0), (3, 0.2, 1, 0)])
    def test_mean_matches_scipy(self, a0: float, b0: float, h: int, t: int) -> None:
        post = beta_binomial_update(a0, b0, h, t)
        assert post.alpha == a0 + h and post.beta == b0 + t
        assert post.mean == pytest.approx(stats.beta.mean(a0 + h, b0 + t), rel=1e-14)

    @pytest.mark.parametrize(("a0", "b0", "h", "t"), UNIMODAL)
    def test_prob_next_heads_is_one_flip_predictive(
        self, a0: float, b0: float, h: int, t: int
    ) -> None:
        # P(next = H) = BetaBinomial(1; n=1, alpha, beta) (scipy.stats.betabinom).
        post = beta_binomial_update(a0, b0, h, t)
        assert post.prob_next_heads == pytest.approx(
            stats.betabinom.pmf(1, 1, a0 + h, b0 + t), rel=1e-12
        )

    @pytest.mark.parametrize(("a0", "b0", "h", "t"), UNIMODAL)
    def test_interior_map_is_argmax_of_scipy_density(
        self, a0: float, b0: float, h: int, t: int
    ) -> None:
        a, b = a0 + h, b0 + t
        found = scipy.optimize.minimize_scalar(
            lambda x: -stats.beta.logpdf(x, a, b),
            bounds=(0.0, 1.0),
            method="bounded",
            options={"xatol": 1e-12},
        )
        post = beta_binomial_update(a0, b0, h, t)
        assert post.map == pytest.approx(found.x, abs=1e-7)
        # Course formula: MAP = (alpha0 + h - 1) / (alpha0 + beta0 + n - 2).
        assert post.map == pytest.approx((a0 + h - 1) / (a0 + b0 + h + t - 2), rel=1e-14)

    @pytest.mark.parametrize(
        ("a0", "b0", "expected"),
        [
            (1, 4, 0.0),  # alpha = 1 < beta: density (1-x)^3, decreasing
            (0.5, 3, 0.0),  # alpha < 1 < beta: infinite at 0, decreasing
            (0.5, 1, 0.0),  # alpha < 1 = beta: x^-0.5, decreasing
            (4, 1, 1.0),  # beta = 1 < alpha: increasing
            (3, 0.5, 1.0),
            (1, 0.5, 1.0),
        ],
    )
    def test_boundary_map_is_where_scipy_density_peaks(
        self, a0: float, b0: float, expected: float
    ) -> None:
        grid = np.linspace(0.0, 1.0, 10_001)
        with np.errstate(divide="ignore"):
            density = stats.beta.pdf(grid, a0, b0)
        assert grid[np.argmax(density)] == expected
        assert beta_binomial_update(a0, b0, 0, 0).map == expected

    def test_boundary_map_agrees_with_course_formula_when_an_exponent_is_one(self) -> None:
        # Beta(1,1) + 0H/3T: (1+0-1)/(2+3-2) = 0; + 3H/0T: (1+3-1)/(2+3-2) = 1.
        assert beta_binomial_update(1, 1, 0, 3).map == 0.0
        assert beta_binomial_update(1, 1, 3, 0).map == 1.0

    @pytest.mark.parametrize(("a0", "b0"), [(1, 1), (0.5, 0.5), (0.3, 0.9)])
    def test_map_is_nan_when_the_mode_is_not_unique(self, a0: float, b0: float) -> None:
        # Uniform (every point a mode) or U-shaped (both ends infinite).
        assert math.isnan(beta_binomial_update(a0, b0, 0, 0).map)

    def test_mle_and_no_data(self) -> None:
        assert beta_binomial_update(2, 2, 3, 9).mle == pytest.approx(3 / 12, rel=1e-15)
        assert math.isnan(beta_binomial_update(2, 2, 0, 0).mle)

    def test_whole_number_floats_are_counts(self) -> None:
        post = beta_binomial_update(2, 2, 4.0, np.int64(1))  # type: ignore[arg-type]
        assert (post.heads, post.tails) == (4, 1)
        assert isinstance(post.heads, int) and isinstance(post.alpha0, float)

    def test_is_frozen(self) -> None:
        post = beta_binomial_update(2, 2, 4, 1)
        with pytest.raises(dataclasses.FrozenInstanceError):
            post.heads = 5  # type: ignore[misc]

    @given(
        a0=st.floats(0.01, 100.0),
        b0=st.floats(0.01, 100.0),
        heads=st.integers(0, 10**6),
        tails=st.integers(0, 10**6),
    )
    def test_mean_approaches_mle(self, a0: float, b0: float, heads: int, tails: int) -> None:
        # mean - mle = (alpha0 - mle (alpha0 + beta0)) / (alpha0 + beta0 + n), and
        # |alpha0 - mle (alpha0 + beta0)| <= alpha0 + beta0, so the gap shrinks like 1/n.
        n = heads + tails
        if n == 0:
            return
        post = beta_binomial_update(a0, b0, heads, tails)
        bound = (a0 + b0) / (a0 + b0 + n)
        assert abs(post.mean - heads / n) <= bound * (1 + 1e-12)


class TestCredibleInterval:
    @pytest.mark.parametrize(("a0", "b0", "h", "t"), [*UNIMODAL, (0.5, 0.5, 0, 0), (1, 1, 0, 3)])
    @pytest.mark.parametrize("level", LEVELS)
    def test_equal_tails_by_scipy_cdf(
        self, a0: float, b0: float, h: int, t: int, level: float
    ) -> None:
        lo, hi = beta_binomial_update(a0, b0, h, t).credible_interval(level)
        a, b = a0 + h, b0 + t
        assert stats.beta.cdf(lo, a, b) == pytest.approx((1 - level) / 2, rel=1e-9)
        assert stats.beta.cdf(hi, a, b) == pytest.approx((1 + level) / 2, rel=1e-9)

    def test_closed_forms(self) -> None:
        # Uniform Beta(1,1): quantile q -> q. Beta(3,1): cdf x^3 -> quantile q^(1/3).
        lo, hi = beta_binomial_update(1, 1, 0, 0).credible_interval(0.9)
        assert (lo, hi) == pytest.approx((0.05, 0.95), rel=1e-12)
        lo, hi = beta_binomial_update(1, 1, 2, 0).credible_interval(0.9)
        assert (lo, hi) == pytest.approx((0.05 ** (1 / 3), 0.95 ** (1 / 3)), rel=1e-12)


def test_fast_beta_quantile_is_scipys_to_the_bit() -> None:
    # core.bayes skips stats.beta.ppf's argument handling; both call Boost's ibeta_inv.
    from core.bayes import _beta_ppf

    rng = np.random.default_rng(5)
    a, b, q = rng.uniform(0.2, 60, 5000), rng.uniform(0.2, 60, 5000), rng.uniform(0, 1, 5000)
    np.testing.assert_array_equal(_beta_ppf(q, a, b), stats.beta.ppf(q, a, b))


class TestHDI:
    @pytest.mark.parametrize(("a0", "b0", "h", "t"), UNIMODAL)
    @pytest.mark.parametrize("level", LEVELS)
    def test_mass_and_equal_density_at_the_ends(
        self, a0: float, b0: float, h: int, t: int, level: float
    ) -> None:
        a, b = a0 + h, b0 + t
        lo, hi = beta_binomial_update(a0, b0, h, t).hdi(level)
        assert 0 < lo < hi < 1
        assert stats.beta.cdf(hi, a, b) - stats.beta.cdf(lo, a, b) == pytest.approx(
            level, abs=1e-12
        )
        assert stats.beta.pdf(lo, a, b) == pytest.approx(stats.beta.pdf(hi, a, b), rel=1e-7)

    @pytest.mark.parametrize(("a0", "b0", "h", "t"), UNIMODAL)
    def test_shortest_among_intervals_with_that_mass(
        self, a0: float, b0: float, h: int, t: int
    ) -> None:
        # Every [ppf(u), ppf(u + level)] over a grid of lower tail masses u (scipy) is
        # at least as wide; the equal-tailed interval is one of them.
        a, b, level = a0 + h, b0 + t, 0.9
        lo, hi = beta_binomial_update(a0, b0, h, t).hdi(level)
        u = np.linspace(0.0, 1.0 - level, 2001)
        widths = stats.beta.ppf(u + level, a, b) - stats.beta.ppf(u, a, b)
        assert hi - lo <= widths.min() + 1e-12
        assert hi - lo < widths.min() + 1e-4  # and the grid gets close to it

    @pytest.mark.parametrize("a", [2.0, 5.5, 40.0])
    def test_symmetric_posterior_gives_equal_tailed_interval(self, a: float) -> None:
        lo, hi = beta_binomial_update(a, a, 0, 0).hdi(0.9)
        assert (lo, hi) == pytest.approx(tuple(stats.beta.ppf([0.05, 0.95], a, a)), rel=1e-9)

    @pytest.mark.parametrize("level", LEVELS)
    def test_monotone_densities_closed_form(self, level: float) -> None:
        # Beta(1, b): cdf 1 - (1-x)^b, peak at 0 -> [0, 1 - (1 - level)^(1/b)].
        assert beta_binomial_update(1, 1, 0, 3).hdi(level) == pytest.approx(
            (0.0, 1 - (1 - level) ** (1 / 4)), rel=1e-12
        )
        # Beta(a, 1): cdf x^a, peak at 1 -> [(1 - level)^(1/a), 1].
        assert beta_binomial_update(2.5, 1, 0, 0).hdi(level) == pytest.approx(
            ((1 - level) ** (1 / 2.5), 1.0), rel=1e-12
        )
        # Beta(0.5, 1): cdf sqrt(x), infinite at 0 -> [0, level^2].
        assert beta_binomial_update(0.5, 1, 0, 0).hdi(level) == pytest.approx(
            (0.0, level**2), rel=1e-12
        )

    @pytest.mark.parametrize(("a0", "b0"), [(1, 1), (0.5, 0.5)])
    def test_nan_when_map_is_nan(self, a0: float, b0: float) -> None:
        lo, hi = beta_binomial_update(a0, b0, 0, 0).hdi(0.9)
        assert math.isnan(lo) and math.isnan(hi)


class TestPosteriorPredictive:
    @pytest.mark.parametrize(("a0", "b0", "h", "t"), [*UNIMODAL, (0.5, 0.5, 0, 0)])
    @pytest.mark.parametrize("n_future", [1, 4, 25])
    def test_closed_form(self, a0: float, b0: float, h: int, t: int, n_future: int) -> None:
        # P(k) = C(n, k) B(k + alpha, n - k + beta) / B(alpha, beta).
        a, b = a0 + h, b0 + t
        k = np.arange(n_future + 1)
        expected = special.comb(n_future, k) * np.exp(
            special.betaln(k + a, n_future - k + b) - special.betaln(a, b)
        )
        pmf = beta_binomial_update(a0, b0, h, t).posterior_predictive(n_future)
        assert pmf.shape == (n_future + 1,)
        np.testing.assert_allclose(pmf, expected, rtol=1e-10)
        assert pmf.sum() == pytest.approx(1.0, abs=1e-12)

    def test_one_flip_is_bernoulli_with_the_posterior_mean(self) -> None:
        # Beta(6, 3): P(H) = 6/9.
        pmf = beta_binomial_update(2, 2, 4, 1).posterior_predictive(1)
        np.testing.assert_allclose(pmf, [3 / 9, 6 / 9], rtol=1e-12)

    def test_zero_future_flips(self) -> None:
        np.testing.assert_array_equal(
            beta_binomial_update(2, 2, 4, 1).posterior_predictive(0), [1.0]
        )


class TestBetaValidation:
    def test_alpha0_zero_message(self) -> None:
        with raises("`alpha0` must be > 0; got 0.0"):
            beta_binomial_update(0.0, 1, 0, 0)

    @pytest.mark.parametrize(
        ("args", "message"),
        [
            ((-1, 1, 0, 0), "`alpha0` must be > 0; got -1.0"),
            ((1, -2.5, 0, 0), "`beta0` must be > 0; got -2.5"),
            ((1, 0, 0, 0), "`beta0` must be > 0; got 0.0"),
            ((math.nan, 1, 0, 0), "`alpha0` must be finite; found nan"),
            ((1, math.inf, 0, 0), "`beta0` must be finite; found inf"),
            (([1, 2], 1, 0, 0), "`alpha0` must be a single number; got shape (2,)"),
            ((1, 1, 2.5, 0), "`heads` must be whole numbers; got 2.5"),
            ((1, 1, 0, -1), "`tails` must be non-negative; got -1"),
            ((1, 1, [1, 2], 0), "`heads` must be a single count; got shape (2,)"),
            ((1, 1, 0, math.nan), "`tails` must be finite; found nan"),
        ],
    )
    def test_bad_arguments(self, args: tuple, message: str) -> None:
        with raises(message):
            beta_binomial_update(*args)

    def test_constructor_validates_too(self) -> None:
        with raises("`alpha0` must be > 0; got 0.0"):
            BetaPosterior(alpha0=0, beta0=1, heads=0, tails=0)

    def test_non_numeric_is_type_error(self) -> None:
        with pytest.raises(TypeError, match="`alpha0` must be numeric"):
            beta_binomial_update("1", 1, 0, 0)  # type: ignore[arg-type]

    @pytest.mark.parametrize("method", ["credible_interval", "hdi"])
    @pytest.mark.parametrize(
        ("level", "message"),
        [
            (0.0, "`level` must lie in (0, 1); got 0.0"),
            (1.0, "`level` must lie in (0, 1); got 1.0"),
            (-0.1, "`level` must lie in (0, 1); got -0.1"),
            (95, "`level` must lie in (0, 1); got 95.0"),
            (math.nan, "`level` must be finite; found nan"),
            ([0.5, 0.9], "`level` must be a single number; got shape (2,)"),
        ],
    )
    def test_bad_level(self, method: str, level: float, message: str) -> None:
        post = beta_binomial_update(2, 2, 4, 1)
        with raises(message):
            getattr(post, method)(level)

    def test_bad_n_future(self) -> None:
        post = beta_binomial_update(2, 2, 4, 1)
        with raises("`n_future` must be >= 0; got -1"):
            post.posterior_predictive(-1)
        with pytest.raises(TypeError, match="`n_future` must be an integer"):
            post.posterior_predictive(2.5)  # type: ignore[arg-type]


class TestBetaBinomialTrace:
    def test_course_walkthrough(self) -> None:
        # Course: Beta(2,2), flips H,H,H,T,H: means 0.500 0.600 0.667 0.714 0.625 0.667,
        # final Beta(6,3), MLE 4/5 = 0.800, MAP (6-1)/(6+3-2) = 5/7.
        walk = course_example("beta_binomial_walkthrough")
        steps = beta_binomial_trace(*walk["prior"], walk["flips"])
        assert [s.index for s in steps] == [0, 1, 2, 3, 4, 5]
        assert [s.flip for s in steps] == [None, "H", "H", "H", "T", "H"]
        assert [[s.alpha, s.beta] for s in steps] == walk["posteriors"]
        digits = walk["printed_decimals"]
        assert [round(s.mean, digits) for s in steps] == walk["means"]
        assert [round(steps[-1].mle, digits), round(steps[-1].map, digits)] == [walk["mle"], walk["map"]]
        exact = [1 / 2, 3 / 5, 4 / 6, 5 / 7, 5 / 8, 6 / 9]
        assert [s.mean for s in steps] == pytest.approx(exact, rel=1e-15)
        final = steps[-1]
        assert final.mle == pytest.approx(0.8, rel=1e-15)
        assert final.map == pytest.approx(5 / 7, rel=1e-15)
        assert math.isnan(steps[0].mle)  # no data before the first flip
        assert steps[0].map == pytest.approx(0.5, rel=1e-15)  # mode of Beta(2,2)

    def test_course_q6_as_flips(self) -> None:
        # Q6: Beta(1,1), 7 heads and 3 tails -> Beta(8,4), mean 2/3, MAP 0.7, MLE 0.7.
        final = beta_binomial_trace(1, 1, "HHTHHTHHTH")[-1]
        assert (final.alpha, final.beta) == (8.0, 4.0)
        assert (final.mean, final.map, final.mle) == pytest.approx((2 / 3, 0.7, 0.7), rel=1e-15)

    def test_case_spaces_and_commas_are_ignored(self) -> None:
        loose = beta_binomial_trace(2, 2, " h, H t,h\th ")
        strict = beta_binomial_trace(2, 2, "HHTHH")
        assert loose == strict

    def test_empty_string_gives_only_the_prior(self) -> None:
        (prior,) = beta_binomial_trace(3, 1, "")
        assert (prior.index, prior.flip, prior.alpha, prior.beta) == (0, None, 3.0, 1.0)
        assert prior.mean == pytest.approx(0.75, rel=1e-15) and prior.map == 1.0

    @given(flips=st.text(alphabet="HT", max_size=40), a0=st.floats(0.1, 20), b0=st.floats(0.1, 20))
    def test_sequential_equals_batch_update(self, flips: str, a0: float, b0: float) -> None:
        # Conjugacy: updating one flip at a time ends where the batch update does.
        final = beta_binomial_trace(a0, b0, flips)[-1]
        assert (final.alpha, final.beta) == (a0 + flips.count("H"), b0 + flips.count("T"))
        assert len(beta_binomial_trace(a0, b0, flips)) == len(flips) + 1

    @pytest.mark.parametrize(
        ("flips", "message"),
        [
            ("HHX", "`flips` may contain only H and T; found 'X' at position 3"),
            ("H, 1", "`flips` may contain only H and T; found '1' at position 4"),
            ("HT;", "`flips` may contain only H and T; found ';' at position 3"),
        ],
    )
    def test_bad_flips(self, flips: str, message: str) -> None:
        with raises(message):
            beta_binomial_trace(2, 2, flips)

    def test_flips_must_be_a_string(self) -> None:
        with pytest.raises(TypeError, match="`flips` must be a string"):
            beta_binomial_trace(2, 2, ["H", "T"])  # type: ignore[arg-type]

    def test_bad_prior(self) -> None:
        with raises("`beta0` must be > 0; got 0.0"):
            beta_binomial_trace(2, 0, "HT")


DIRICHLET_CASES = [([1, 1, 1], [2, 0, 5]), ([0.5, 2.0, 3.0, 1.5], [10, 3, 0, 7]), ([2, 2], [4, 1])]


class TestDirichletCategoricalUpdate:
    @pytest.mark.parametrize(("alpha0", "counts"), DIRICHLET_CASES)
    def test_mean_matches_scipy(self, alpha0: list[float], counts: list[int]) -> None:
        post = dirichlet_categorical_update(alpha0, counts)
        expected_alpha = np.add(alpha0, counts)
        np.testing.assert_array_equal(post.alpha, expected_alpha)
        np.testing.assert_allclose(post.mean, stats.dirichlet.mean(expected_alpha), rtol=1e-14)

    @pytest.mark.parametrize(("alpha0", "counts"), DIRICHLET_CASES)
    def test_next_category_is_one_draw_dirichlet_multinomial(
        self, alpha0: list[float], counts: list[int]
    ) -> None:
        post = dirichlet_categorical_update(alpha0, counts)
        k = len(alpha0)
        expected = [
            stats.dirichlet_multinomial.pmf(np.eye(k, dtype=int)[j], np.add(alpha0, counts), 1)
            for j in range(k)
        ]
        np.testing.assert_allclose(post.prob_next_category, expected, rtol=1e-12)

    def test_two_categories_is_the_beta_binomial(self) -> None:
        # Dirichlet(2, 2) + (4, 1) = Beta(6, 3): mean 6/9, MAP 5/7, MLE 4/5 (course).
        post = dirichlet_categorical_update([2, 2], [4, 1])
        np.testing.assert_allclose(post.mean, [6 / 9, 3 / 9], rtol=1e-15)
        np.testing.assert_allclose(post.map, [5 / 7, 2 / 7], rtol=1e-15)
        np.testing.assert_allclose(post.mle, [4 / 5, 1 / 5], rtol=1e-15)

    def test_map_closed_form_and_local_maximum_of_scipy_density(self) -> None:
        alpha0, counts = np.array([2.0, 1.5, 3.0]), np.array([3, 6, 1])
        alpha = alpha0 + counts
        post = dirichlet_categorical_update(alpha0, counts)
        expected = (alpha - 1) / (alpha.sum() - 3)
        np.testing.assert_allclose(post.map, expected, rtol=1e-15)
        # Moving along the simplex (directions summing to 0) lowers scipy's density.
        best = stats.dirichlet.logpdf(post.map, alpha)
        for direction in ([1, -1, 0], [0, 1, -1], [1, 0, -1], [-2, 1, 1]):
            for step in (1e-3, -1e-3):
                moved = post.map + step * np.array(direction, dtype=float)
                assert stats.dirichlet.logpdf(moved, alpha) < best

    def test_map_nan_unless_all_alpha_above_one(self) -> None:
        assert np.isnan(dirichlet_categorical_update([1, 1, 1], [2, 0, 5]).map).all()
        assert np.isnan(dirichlet_categorical_update([0.5, 2, 2], [0, 0, 0]).map).all()

    def test_mle(self) -> None:
        np.testing.assert_allclose(
            dirichlet_categorical_update([1, 1, 1], [2, 0, 5]).mle, [2 / 7, 0, 5 / 7], rtol=1e-15
        )
        assert np.isnan(dirichlet_categorical_update([1, 1], [0, 0]).mle).all()

    def test_arrays_are_read_only_copies(self) -> None:
        alpha0 = np.array([1.0, 2.0])
        post = dirichlet_categorical_update(alpha0, [1, 1])
        alpha0[0] = 99.0
        assert post.alpha0[0] == 1.0
        with pytest.raises(ValueError, match="read-only"):
            post.counts[0] = 5

    @pytest.mark.parametrize(
        ("alpha0", "counts", "message"),
        [
            ([1, 0, 1], [0, 0, 0], "`alpha0` must be > 0; got 0.0 at index 1"),
            ([1, -1], [0, 0], "`alpha0` must be > 0; got -1.0 at index 1"),
            ([1, math.nan], [0, 0], "`alpha0` must be finite; found nan at index 1"),
            (
                [2.0],
                [1],
                "`alpha0` must be a 1-D vector with at least 2 categories; got shape (1,)",
            ),
            (2.0, 1, "`alpha0` must be a 1-D vector with at least 2 categories; got shape ()"),
            ([[1, 1], [1, 1]], [[0, 0], [0, 0]], "`alpha0` must be a 1-D vector"),
            ([1, 1], [1, -2], "`counts` must be non-negative; got -2 at index 1"),
            ([1, 1], [1.5, 2], "`counts` must be whole numbers; got 1.5 at index 0"),
            (
                [1, 1, 1],
                [1, 2],
                "`alpha0` and `counts` must have the same shape; got (3,) and (2,)",
            ),
        ],
    )
    def test_bad_arguments(self, alpha0: object, counts: object, message: str) -> None:
        with raises(message):
            dirichlet_categorical_update(alpha0, counts)  # type: ignore[arg-type]


class TestWeightDecay:
    @pytest.mark.parametrize("sigma2", [0.5, 1.0, 2.0, 1e-4, 1e6])
    def test_course_q4_lambda_is_one_over_two_sigma2(self, sigma2: float) -> None:
        # Q4: log N(theta | 0, sigma^2 I) = -|theta|^2 / (2 sigma^2) + const -> lambda = 1/(2 sigma^2).
        lam = weight_decay_from_prior_variance(sigma2)
        assert lam == pytest.approx(1 / (2 * sigma2), rel=1e-15)
        assert prior_variance_from_weight_decay(lam) == pytest.approx(sigma2, rel=1e-14)

    def test_tighter_prior_is_stronger_decay(self) -> None:
        assert weight_decay_from_prior_variance(0.1) > weight_decay_from_prior_variance(10.0)

    @pytest.mark.parametrize(
        ("func", "arg", "message"),
        [
            (weight_decay_from_prior_variance, 0.0, "`sigma2` must be > 0; got 0.0"),
            (weight_decay_from_prior_variance, -1.0, "`sigma2` must be > 0; got -1.0"),
            (weight_decay_from_prior_variance, math.inf, "`sigma2` must be finite; found inf"),
            (
                weight_decay_from_prior_variance,
                [1.0],
                "`sigma2` must be a single number; got shape (1,)",
            ),
            (prior_variance_from_weight_decay, 0.0, "`lam` must be > 0; got 0.0"),
            (prior_variance_from_weight_decay, math.nan, "`lam` must be finite; found nan"),
        ],
    )
    def test_bad_arguments(self, func: object, arg: object, message: str) -> None:
        with raises(message):
            func(arg)  # type: ignore[operator]


def _regression_problem(seed: int, n: int, d: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    y = X @ rng.normal(size=d) + rng.normal(scale=0.5, size=n)
    return X, y


def _augmented_lstsq(X: np.ndarray, y: np.ndarray, ridge: float) -> np.ndarray:
    """Independent ridge reference: least squares on [X; sqrt(ridge) I] w ~ [y; 0]."""
    d = X.shape[1]
    A = np.vstack([X, math.sqrt(ridge) * np.eye(d)])
    b = np.concatenate([y, np.zeros(d)])
    return np.linalg.lstsq(A, b, rcond=None)[0]


# (seed, n, d, prior_sigma2, noise_sigma2): includes more weights than rows (d > n).
REGRESSIONS = [
    (0, 50, 3, 1.0, 1.0),
    (1, 200, 10, 0.5, 2.0),
    (2, 8, 20, 3.0, 0.25),
    (3, 30, 5, 100.0, 1e-2),
]


class TestMapLinearRegression:
    @pytest.mark.parametrize(("seed", "n", "d", "s2", "n2"), REGRESSIONS)
    def test_numerical_map_equals_ridge_and_lstsq(
        self, seed: int, n: int, d: int, s2: float, n2: float
    ) -> None:
        # Ridge penalty on |y - Xw|^2 matching the prior: lambda' = noise_sigma2 / prior_sigma2.
        X, y = _regression_problem(seed, n, d)
        reference = _augmented_lstsq(X, y, n2 / s2)
        w_map = map_linear_regression(X, y, prior_sigma2=s2, noise_sigma2=n2)
        w_ridge = ridge_solution(X, y, n2 / s2)
        assert w_map.shape == w_ridge.shape == (d,)
        np.testing.assert_allclose(w_ridge, reference, rtol=1e-9, atol=1e-12)
        # BFGS stops at a gradient 1e-12 of its start; these problems are well conditioned.
        np.testing.assert_allclose(w_map, reference, rtol=1e-7, atol=1e-10)

    @pytest.mark.parametrize(("seed", "n", "d", "s2", "n2"), REGRESSIONS)
    def test_course_convention_lambda(
        self, seed: int, n: int, d: int, s2: float, n2: float
    ) -> None:
        # NLL + lambda |w|^2 with NLL = |y - Xw|^2 / (2 n2), lambda = 1/(2 s2): times 2 n2
        # gives the ridge penalty lambda' = 2 n2 lambda.
        X, y = _regression_problem(seed, n, d)
        lam = weight_decay_from_prior_variance(s2)
        np.testing.assert_allclose(
            ridge_solution(X, y, 2 * n2 * lam), _augmented_lstsq(X, y, 2 * n2 / (2 * s2)), rtol=1e-9
        )

    def test_flat_prior_limit_is_least_squares(self) -> None:
        # lambda' = 1e-10: the shift from OLS is about lambda' / smallest eigenvalue of X^T X.
        X, y = _regression_problem(4, 100, 4)
        ols = np.linalg.lstsq(X, y, rcond=None)[0]
        np.testing.assert_allclose(map_linear_regression(X, y, prior_sigma2=1e10), ols, rtol=1e-7)

    def test_tight_prior_limit_shrinks_to_prior_scaled_correlation(self) -> None:
        # s2 -> 0: w = (X^T X + (n2/s2) I)^-1 X^T y ~ (s2/n2) X^T y, relative error ~ s2 |X^T X|.
        X, y = _regression_problem(5, 20, 3)
        s2 = 1e-9
        np.testing.assert_allclose(
            map_linear_regression(X, y, prior_sigma2=s2), s2 * X.T @ y, rtol=1e-6
        )

    def test_uncorrelated_targets_give_zero_weights(self) -> None:
        X = np.array([[1.0, 0.0], [-1.0, 0.0], [0.0, 2.0], [0.0, -2.0]])
        y = np.array([3.0, 3.0, 1.0, 1.0])  # X^T y = 0
        np.testing.assert_array_equal(map_linear_regression(X, y, prior_sigma2=1.0), [0.0, 0.0])

    @pytest.mark.parametrize(
        ("X", "y", "message"),
        [
            (
                [1.0, 2.0],
                [1.0, 2.0],
                "`X` must be a 2-D design matrix with at least one row and one column; got shape (2,)",
            ),
            (
                np.zeros((0, 2)),
                np.zeros(0),
                "`X` must be a 2-D design matrix with at least one row and one column; got shape (0, 2)",
            ),
            ([[1.0, math.nan]], [1.0], "`X` must be finite; found nan at index (0, 1)"),
            ([[1.0], [2.0]], [1.0], "`y` must have shape (2,) to match the rows of `X`; got (1,)"),
            (
                [[1.0], [2.0]],
                [[1.0], [2.0]],
                "`y` must have shape (2,) to match the rows of `X`; got (2, 1)",
            ),
            ([[1.0], [2.0]], [1.0, math.inf], "`y` must be finite; found inf at index 1"),
        ],
    )
    def test_bad_data(self, X: object, y: object, message: str) -> None:
        with raises(message):
            map_linear_regression(X, y, prior_sigma2=1.0)  # type: ignore[arg-type]
        with raises(message):
            ridge_solution(X, y, 1.0)  # type: ignore[arg-type]

    def test_bad_variances_and_penalty(self) -> None:
        X, y = _regression_problem(6, 5, 2)
        with raises("`prior_sigma2` must be > 0; got 0.0"):
            map_linear_regression(X, y, prior_sigma2=0.0)
        with raises("`noise_sigma2` must be > 0; got -1.0"):
            map_linear_regression(X, y, prior_sigma2=1.0, noise_sigma2=-1.0)
        with raises("`lam` must be > 0; got 0.0"):
            ridge_solution(X, y, 0.0)
        with raises("`lam` must be finite; found nan"):
            ridge_solution(X, y, math.nan)

    def test_prior_sigma2_is_keyword_only(self) -> None:
        X, y = _regression_problem(7, 5, 2)
        with pytest.raises(TypeError):
            map_linear_regression(X, y, 1.0)  # type: ignore[call-arg]

    def test_non_numeric_design_is_type_error(self) -> None:
        with pytest.raises(TypeError, match="`X` must be numeric"):
            ridge_solution("X", [1.0], 1.0)
