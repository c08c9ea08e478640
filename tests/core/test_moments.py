"""Tests for core.moments.

References: scipy.stats.rv_discrete for discrete moments, numpy's weighted np.cov
(``aweights``) for joint-table covariance, np.cov / np.corrcoef / scipy.stats.pearsonr
for samples, closed forms written here (fair die, p(1−p), σ/√n). Simulation tests use
fixed seeds with tolerances derived from the standard error of the estimator (stated at
each use).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

import core.moments as moments
from core.moments import (
    CLTResult,
    clt_sample_means,
    correlation,
    covariance,
    expectation,
    sample_correlation,
    sample_covariance,
    standard_deviation,
    total_expectation,
    variance,
)

DIE = (np.arange(1, 7), np.full(6, 1 / 6))


def weighted_cov_matrix(x_values, y_values, joint) -> np.ndarray:
    """Independent reference: np.cov over all (x, y) cells weighted by their probability."""
    xs, ys = np.meshgrid(x_values, y_values, indexing="ij")
    return np.cov(xs.ravel(), ys.ravel(), aweights=np.asarray(joint).ravel(), ddof=0)


class TestExpectationVariance:
    def test_fair_die_closed_form(self) -> None:
        assert expectation(*DIE) == pytest.approx(3.5, rel=1e-15)
        assert variance(*DIE) == pytest.approx(35 / 12, rel=1e-14)  # (n² − 1)/12, n = 6
        assert variance(*DIE, method="computational") == pytest.approx(35 / 12, rel=1e-14)
        assert standard_deviation(*DIE) == pytest.approx(math.sqrt(35 / 12), rel=1e-14)

    @pytest.mark.parametrize("p", [0.0, 0.3, 0.5, 1.0])
    def test_bernoulli_closed_form(self, p: float) -> None:
        for method in ("definition", "computational"):
            assert variance([0, 1], [1 - p, p], method=method) == pytest.approx(p * (1 - p), abs=1e-15)

    def test_against_scipy_rv_discrete(self) -> None:
        rng = np.random.default_rng(11)
        values = np.sort(rng.normal(size=8)) * 5
        probs = rng.dirichlet(np.ones(8))
        ref = stats.rv_discrete(values=(values, probs))
        assert expectation(values, probs) == pytest.approx(ref.mean(), rel=1e-12)
        assert variance(values, probs) == pytest.approx(ref.var(), rel=1e-12)
        assert standard_deviation(values, probs) == pytest.approx(ref.std(), rel=1e-12)

    def test_repeated_values_allowed(self) -> None:
        # X takes 2 with total probability 0.75 whether listed once or twice.
        assert expectation([2, 2, 6], [0.5, 0.25, 0.25]) == pytest.approx(3.0)
        assert variance([2, 2, 6], [0.5, 0.25, 0.25]) == pytest.approx(variance([2, 6], [0.75, 0.25]))

    def test_definition_is_exact_where_computational_cancels(self) -> None:
        # Values 1e8 and 1e8 + 1 with equal mass: Var = 1/4 exactly; the definition keeps it.
        assert variance([1e8, 1e8 + 1], [0.5, 0.5]) == 0.25

    @given(
        st.lists(
            st.tuples(
                st.floats(-1e3, 1e3, allow_nan=False),
                st.floats(1e-3, 1.0, allow_nan=False),
            ),
            min_size=1,
            max_size=20,
        )
    )
    def test_both_formulas_agree(self, pairs: list[tuple[float, float]]) -> None:
        values = np.array([v for v, _ in pairs])
        weights = np.array([w for _, w in pairs])
        probs = weights / weights.sum()
        by_definition = variance(values, probs, method="definition")
        computational = variance(values, probs, method="computational")
        # The computational formula loses about n·eps·E[X²] to cancellation.
        second_moment = float(values**2 @ probs)
        tol = 8 * len(values) * np.finfo(float).eps * second_moment + 1e-300
        assert abs(by_definition - computational) <= tol
        assert by_definition >= 0


class TestJointMoments:
    x = np.array([0.0, 1.0])
    y = np.array([0.0, 1.0])
    joint = np.array([[0.4, 0.1], [0.1, 0.4]])

    def test_binary_closed_form(self) -> None:
        # E[XY] = 0.4, E[X] = E[Y] = 0.5 → Cov = 0.4 − 0.25 = 0.15; Var = 0.25 → Corr = 0.6.
        assert covariance(self.x, self.y, self.joint) == pytest.approx(0.15, rel=1e-14)
        assert correlation(self.x, self.y, self.joint) == pytest.approx(0.6, rel=1e-14)

    def test_against_weighted_np_cov(self) -> None:
        rng = np.random.default_rng(12)
        x_values = rng.normal(size=4) * 3
        y_values = rng.normal(size=5) + 2
        joint = rng.dirichlet(np.ones(20)).reshape(4, 5)
        ref = weighted_cov_matrix(x_values, y_values, joint)
        assert covariance(x_values, y_values, joint) == pytest.approx(ref[0, 1], rel=1e-11)
        ref_corr = ref[0, 1] / math.sqrt(ref[0, 0] * ref[1, 1])
        assert correlation(x_values, y_values, joint) == pytest.approx(ref_corr, rel=1e-11)

    def test_independent_table_has_zero_covariance(self) -> None:
        px = np.array([0.2, 0.3, 0.5])
        py = np.array([0.6, 0.4])
        joint = np.outer(px, py)
        assert covariance([1, 5, 9], [-1, 3], joint) == pytest.approx(0.0, abs=1e-14)

    def test_perfect_negative_correlation(self) -> None:
        assert correlation([0, 1], [0, 1], [[0.0, 0.5], [0.5, 0.0]]) == pytest.approx(-1.0)

    def test_constant_variable_has_no_correlation(self) -> None:
        with pytest.raises(ValueError, match=r"`joint` makes X constant .* undefined"):
            correlation([3.0], [0.0, 1.0], [[0.5, 0.5]])
        with pytest.raises(ValueError, match=r"`joint` makes Y constant"):
            correlation([0.0, 1.0], [2.0, 7.0], [[0.5, 0.0], [0.5, 0.0]])


class TestSampleMoments:
    rng = np.random.default_rng(13)
    a = rng.normal(size=50)
    b = 0.5 * a + rng.normal(size=50)

    @pytest.mark.parametrize("ddof", [0, 1, 2])
    def test_covariance_against_np_cov(self, ddof: int) -> None:
        ref = np.cov(self.a, self.b, ddof=ddof)[0, 1]
        assert sample_covariance(self.a, self.b, ddof=ddof) == pytest.approx(ref, rel=1e-12)

    def test_correlation_against_np_corrcoef_and_pearsonr(self) -> None:
        ref = np.corrcoef(self.a, self.b)[0, 1]
        assert sample_correlation(self.a, self.b) == pytest.approx(ref, rel=1e-12)
        assert sample_correlation(self.a, self.b) == pytest.approx(
            stats.pearsonr(self.a, self.b).statistic, rel=1e-12
        )

    @pytest.mark.parametrize("axis", [1, -1])
    def test_axis_rows_are_variables(self, axis: int) -> None:
        x = np.random.default_rng(14).normal(size=(3, 40))
        y = x + np.random.default_rng(15).normal(size=(3, 40))
        cov = sample_covariance(x, y, axis=axis, ddof=1)
        corr = sample_correlation(x, y, axis=axis)
        assert cov.shape == corr.shape == (3,)
        for i in range(3):
            assert cov[i] == pytest.approx(np.cov(x[i], y[i])[0, 1], rel=1e-12)
            assert corr[i] == pytest.approx(np.corrcoef(x[i], y[i])[0, 1], rel=1e-12)
        np.testing.assert_allclose(corr, stats.pearsonr(x, y, axis=axis).statistic, rtol=1e-12)

    def test_axis_zero_columns_are_variables(self) -> None:
        x = np.random.default_rng(16).normal(size=(30, 2))
        y = np.random.default_rng(17).normal(size=(30, 2))
        cov = sample_covariance(x, y, axis=0, ddof=0)
        for j in range(2):
            assert cov[j] == pytest.approx(np.cov(x[:, j], y[:, j], ddof=0)[0, 1], rel=1e-12)

    def test_covariance_of_x_with_itself_is_variance(self) -> None:
        assert sample_covariance(self.a, self.a) == pytest.approx(np.var(self.a, ddof=1), rel=1e-12)


class TestTotalExpectation:
    def test_hand_worked_example(self) -> None:
        # X ∈ {0, 10}; P(Y=0) = 0.4, E[X|Y=0] = 10·0.1/0.4 = 2.5;
        # P(Y=1) = 0.6, E[X|Y=1] = 10·0.4/0.6 = 20/3; E[X] = 10·0.5 = 5.
        te = total_expectation([0, 10], [[0.3, 0.2], [0.1, 0.4]])
        np.testing.assert_allclose(te.conditional_means, [2.5, 20 / 3], rtol=1e-14)
        np.testing.assert_allclose(te.p_y, [0.4, 0.6], rtol=1e-14)
        assert te.mean == pytest.approx(5.0, rel=1e-14)
        assert te.mean_of_conditional_means == pytest.approx(5.0, rel=1e-14)

    def test_random_table_against_np_average(self) -> None:
        rng = np.random.default_rng(18)
        x = rng.normal(size=6) * 4
        joint = rng.dirichlet(np.ones(24)).reshape(6, 4)
        te = total_expectation(x, joint)
        for j in range(4):
            assert te.conditional_means[j] == pytest.approx(np.average(x, weights=joint[:, j]), rel=1e-12)
        np.testing.assert_allclose(te.p_y, joint.sum(axis=0), rtol=1e-14)
        expected_mean = np.average(x, weights=joint.sum(axis=1))
        assert te.mean == pytest.approx(expected_mean, rel=1e-12)
        assert te.mean_of_conditional_means == pytest.approx(expected_mean, rel=1e-12)

    def test_zero_probability_column(self) -> None:
        with pytest.raises(ValueError, match=r"`joint` column 1 has zero probability"):
            total_expectation([0, 1], [[0.5, 0.0], [0.5, 0.0]])


def clt_reference(name: str, params: dict) -> tuple[float, float]:
    """Population mean and variance of the averaged scalar, by closed forms."""
    if name == "bernoulli":
        p = params["p"]
        return p, p * (1 - p)
    if name == "categorical":
        k = np.arange(len(params["probs"]))
        pr = np.array(params["probs"])
        m = float(k @ pr)
        return m, float(k**2 @ pr) - m**2
    if name == "gaussian":
        return params["mu"], params["sigma"] ** 2
    if name == "beta":
        a, b = params["alpha"], params["beta"]
        return a / (a + b), a * b / ((a + b) ** 2 * (a + b + 1))
    alpha = np.array(params["alpha"])  # Dirichlet: first component ~ Beta(α₁, α₀ − α₁)
    a0 = alpha.sum()
    return alpha[0] / a0, alpha[0] * (a0 - alpha[0]) / (a0**2 * (a0 + 1))


CLT_CASES = [
    ("bernoulli", {"p": 0.2}),
    ("categorical", {"probs": [0.5, 0.2, 0.3]}),
    ("gaussian", {"mu": -1.0, "sigma": 2.0}),
    ("beta", {"alpha": 2.0, "beta": 5.0}),
    ("dirichlet", {"alpha": [1.0, 2.0, 3.0]}),
]


class TestCLT:
    @pytest.mark.parametrize(("name", "params"), CLT_CASES)
    def test_means_match_mu_and_sigma_over_sqrt_n(self, name: str, params: dict) -> None:
        n, n_means = 200, 2000
        res = clt_sample_means(name, params, n, n_means, rng=np.random.default_rng(21))
        mean, var = clt_reference(name, params)
        sigma = math.sqrt(var / n)
        assert isinstance(res, CLTResult)
        assert res.means.shape == (n_means,)
        assert res.n == n
        assert res.mu == pytest.approx(mean, rel=1e-12)
        assert res.population_var == pytest.approx(var, rel=1e-12)
        assert res.sigma == pytest.approx(sigma, rel=1e-12)
        # Mean of n_means sample means: SE = sigma/√n_means; allow 4 SE.
        assert abs(res.means.mean() - mean) < 4 * sigma / math.sqrt(n_means)
        # Sample sd of near-normal data: SE ≈ sigma/√(2(n_means − 1)); allow 5 SE
        # (one more than for the mean, for the residual non-normality at n = 200).
        assert abs(res.means.std(ddof=1) - sigma) < 5 * sigma / math.sqrt(2 * (n_means - 1))

    def test_grid_is_the_approximating_gaussian(self) -> None:
        res = clt_sample_means("beta", {"alpha": 2.0, "beta": 2.0}, 30, 10, rng=np.random.default_rng(0))
        assert res.grid.x.shape == (201,)
        np.testing.assert_allclose(res.grid.x[[0, -1]], [res.mu - 4 * res.sigma, res.mu + 4 * res.sigma])
        np.testing.assert_allclose(res.grid.density, stats.norm(res.mu, res.sigma).pdf(res.grid.x), rtol=1e-13)

    def test_gaussian_means_are_exactly_normal(self) -> None:
        res = clt_sample_means("gaussian", {"mu": 3.0, "sigma": 1.5}, 5, 3000, rng=np.random.default_rng(22))
        assert stats.kstest(res.means, stats.norm(3.0, 1.5 / math.sqrt(5)).cdf).pvalue > 1e-3

    def test_n_one_reproduces_the_family(self) -> None:
        res = clt_sample_means("beta", {"alpha": 2.0, "beta": 5.0}, 1, 3000, rng=np.random.default_rng(23))
        assert stats.kstest(res.means, stats.beta(2.0, 5.0).cdf).pvalue > 1e-3

    def test_chunked_simulation(self, monkeypatch: pytest.MonkeyPatch) -> None:
        # Force many small chunks; the result must still have the right distribution.
        monkeypatch.setattr(moments, "_CHUNK_DRAWS", 1000)
        n, n_means, p = 300, 400, 0.5
        res = clt_sample_means("bernoulli", {"p": p}, n, n_means, rng=np.random.default_rng(24))
        sigma = math.sqrt(p * (1 - p) / n)
        assert res.means.shape == (n_means,)
        assert abs(res.means.mean() - p) < 4 * sigma / math.sqrt(n_means)  # 4 SE
        assert len(np.unique(res.means)) > 10  # chunks are not copies of each other

    def test_reproducible_with_seed(self) -> None:
        a = clt_sample_means("dirichlet", {"alpha": [1.0, 1.0]}, 10, 20, rng=np.random.default_rng(5))
        b = clt_sample_means("dirichlet", {"alpha": [1.0, 1.0]}, 10, 20, rng=np.random.default_rng(5))
        np.testing.assert_array_equal(a.means, b.means)


class TestValidation:
    def test_lengths_mismatch(self) -> None:
        with pytest.raises(ValueError, match=r"`values` and `probs` must have the same shape; got \(3,\) and \(2,\)"):
            expectation([1, 2, 3], [0.5, 0.5])

    def test_probs_not_summing_to_one(self) -> None:
        with pytest.raises(ValueError, match=r"`probs` must sum to 1"):
            variance([1, 2], [0.5, 0.6])

    def test_probs_negative(self) -> None:
        with pytest.raises(ValueError, match=r"`probs` must be non-negative"):
            standard_deviation([1, 2], [1.5, -0.5])

    def test_values_not_finite(self) -> None:
        with pytest.raises(ValueError, match=r"`values` must be finite; found inf"):
            expectation([1, float("inf")], [0.5, 0.5])

    def test_values_not_numeric(self) -> None:
        with pytest.raises(TypeError, match=r"`values` must be numeric"):
            expectation(["a", "b"], [0.5, 0.5])

    @pytest.mark.parametrize("values", [[[1, 2]], [], 3.0])
    def test_values_not_a_vector(self, values: object) -> None:
        with pytest.raises(ValueError, match=r"`values` must be a non-empty 1-D array"):
            expectation(values, [1.0])  # type: ignore[arg-type]

    def test_unknown_method(self) -> None:
        with pytest.raises(ValueError, match=r"`method` must be one of 'definition', 'computational'; got 'naive'"):
            variance([1, 2], [0.5, 0.5], method="naive")  # type: ignore[arg-type]

    def test_joint_not_a_table(self) -> None:
        with pytest.raises(ValueError, match=r"`joint` must be a 2-D table"):
            covariance([0, 1], [0, 1], [0.5, 0.5])

    def test_joint_not_summing_to_one(self) -> None:
        with pytest.raises(ValueError, match=r"`joint` must sum to 1"):
            correlation([0, 1], [0, 1], [[0.5, 0.5], [0.5, 0.5]])

    def test_x_values_length(self) -> None:
        with pytest.raises(ValueError, match=r"`x_values` must have one entry per row of `joint` \(2\); got 3"):
            covariance([0, 1, 2], [0, 1], [[0.25, 0.25], [0.25, 0.25]])
        with pytest.raises(ValueError, match=r"`x_values` must have one entry per row of `joint` \(2\); got 1"):
            total_expectation([0], [[0.25, 0.25], [0.25, 0.25]])

    def test_y_values_length(self) -> None:
        with pytest.raises(ValueError, match=r"`y_values` must have one entry per column of `joint` \(2\); got 1"):
            covariance([0, 1], [0], [[0.25, 0.25], [0.25, 0.25]])

    def test_samples_shape_mismatch(self) -> None:
        with pytest.raises(ValueError, match=r"`x` and `y` must have the same shape"):
            sample_covariance([1.0, 2.0, 3.0], [1.0, 2.0])

    def test_samples_scalar(self) -> None:
        with pytest.raises(ValueError, match=r"`x` must hold observations along an axis"):
            sample_correlation(1.0, 2.0)

    def test_samples_not_finite(self) -> None:
        with pytest.raises(ValueError, match=r"`y` must be finite; found nan"):
            sample_covariance([1.0, 2.0], [1.0, float("nan")])

    def test_axis_out_of_range(self) -> None:
        with pytest.raises(ValueError, match=r"`axis` 2 is out of range for `x` with 2 dimension\(s\)"):
            sample_covariance(np.zeros((3, 3)), np.zeros((3, 3)), axis=2)

    def test_ddof_too_large(self) -> None:
        with pytest.raises(ValueError, match=r"`ddof` must be < the number of observations \(2\); got 2"):
            sample_covariance([1.0, 2.0], [3.0, 5.0], ddof=2)

    def test_ddof_negative(self) -> None:
        with pytest.raises(ValueError, match=r"`ddof` must be >= 0; got -1"):
            sample_covariance([1.0, 2.0], [3.0, 5.0], ddof=-1)

    def test_correlation_needs_two_observations(self) -> None:
        with pytest.raises(ValueError, match=r"`x` must have at least 2 observations along axis 0; got 1"):
            sample_correlation([1.0], [2.0])

    def test_correlation_of_constant_sample(self) -> None:
        with pytest.raises(ValueError, match=r"`y` is constant along axis 0; the correlation is undefined"):
            sample_correlation([1.0, 2.0, 3.0], [4.0, 4.0, 4.0])

    def test_clt_n(self) -> None:
        with pytest.raises(ValueError, match=r"`n` must be >= 1; got 0"):
            clt_sample_means("bernoulli", {"p": 0.5}, 0, 10, rng=np.random.default_rng(0))

    def test_clt_n_means(self) -> None:
        with pytest.raises(ValueError, match=r"`n_means` must be >= 1; got 0"):
            clt_sample_means("bernoulli", {"p": 0.5}, 10, 0, rng=np.random.default_rng(0))

    def test_clt_unknown_family(self) -> None:
        with pytest.raises(ValueError, match=r"`name` must be one of .*got 'poisson'"):
            clt_sample_means("poisson", {"lam": 1.0}, 10, 10, rng=np.random.default_rng(0))

    def test_clt_bad_params(self) -> None:
        with pytest.raises(ValueError, match=r"`params` for 'beta' must be exactly alpha, beta"):
            clt_sample_means("beta", {"alpha": 1.0}, 10, 10, rng=np.random.default_rng(0))
        with pytest.raises(ValueError, match=r"`p` must lie in \[0, 1\]"):
            clt_sample_means("bernoulli", {"p": 2.0}, 10, 10, rng=np.random.default_rng(0))

    @pytest.mark.parametrize(
        ("name", "params"), [("bernoulli", {"p": 1.0}), ("categorical", {"probs": [0.0, 1.0]})]
    )
    def test_clt_zero_variance(self, name: str, params: dict) -> None:
        with pytest.raises(ValueError, match=rf"`params` give a {name} distribution with zero variance"):
            clt_sample_means(name, params, 10, 10, rng=np.random.default_rng(0))

    def test_clt_rng_type(self) -> None:
        with pytest.raises(TypeError, match=r"`rng` must be a numpy.random.Generator"):
            clt_sample_means("gaussian", {"mu": 0.0, "sigma": 1.0}, 10, 10, rng=np.random.RandomState(0))  # type: ignore[arg-type]
