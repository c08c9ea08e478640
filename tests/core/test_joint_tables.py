"""Tests for core.joint_tables.

References for bivariate_normal_cdf: scipy.stats.multivariate_normal(...).cdf evaluated
point by point (scipy's own numerical integration, a different method from the Owen's T
closed form the code uses), scipy.stats.norm.cdf for the infinite limits, and Sheppard's
formula at the origin. References for the tables: scipy.integrate.dblquad of scipy.stats.multivariate_normal.pdf over single
cells (a different route from the CDF differencing the code uses), the normal marginals
Φ(b) − Φ(a) from scipy.stats.norm, Sheppard's closed form for the quadrant probability
P(X ≤ 0, Y ≤ 0) = 1/4 + arcsin(ρ)/(2π), and the closed form I = −½ log(1 − ρ²).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate, stats

from core.joint_tables import bivariate_normal_cdf, discretised_bivariate_gaussian


def normal_cell_masses(edges: np.ndarray) -> np.ndarray:
    return np.diff(stats.norm.cdf(edges))


def discrete_mi(table: np.ndarray) -> float:
    """Mutual information in nats written out here: Σ p log(p / (p_x p_y)) over p > 0."""
    px, py = table.sum(axis=1), table.sum(axis=0)
    nz = table > 0
    return float(np.sum(table[nz] * np.log(table[nz] / np.outer(px, py)[nz])))


def scipy_cdf(h: float, k: float, rho: float) -> float:
    """One point through scipy's multivariate normal (the reference)."""
    return float(stats.multivariate_normal([0.0, 0.0], [[1.0, rho], [rho, 1.0]]).cdf([h, k]))


class TestBivariateNormalCdf:
    @pytest.mark.parametrize("rho", [-0.99, -0.6, -0.1, 0.0, 0.3, 0.75, 0.995])
    def test_matches_scipy_point_by_point(self, rho: float) -> None:
        rng = np.random.default_rng(7)
        points = np.concatenate([
            rng.normal(0.0, 2.0, size=(40, 2)),
            # Zero limits, where the closed form divides by zero, and a −0.
            [[0.0, 1.3], [1.3, 0.0], [0.0, -0.8], [-0.8, 0.0], [-0.0, 2.0], [2.0, -0.0]],
            [[-3.0, 3.0], [4.0, 4.0], [-4.0, -4.0], [1.0, 1.0 * rho]],
        ])
        ours = bivariate_normal_cdf(points[:, 0], points[:, 1], rho)
        ref = [scipy_cdf(h, k, rho) for h, k in points]
        np.testing.assert_allclose(ours, ref, atol=1e-12)

    def test_broadcasts_a_grid_over_several_correlations(self) -> None:
        grid = np.linspace(-2.0, 2.0, 5)
        rhos = np.array([-0.5, 0.2, 0.8])[:, None, None]
        ours = bivariate_normal_cdf(grid[None, :, None], grid[None, None, :], rhos)
        assert ours.shape == (3, 5, 5)
        for i, rho in enumerate(rhos.ravel()):
            for a, h in enumerate(grid):
                for b, k in enumerate(grid):
                    assert ours[i, a, b] == pytest.approx(scipy_cdf(h, k, rho), abs=1e-12)

    @pytest.mark.parametrize("rho", [-0.7, 0.0, 0.4])
    def test_origin_is_sheppards_formula(self, rho: float) -> None:
        assert float(bivariate_normal_cdf(0.0, 0.0, rho)) == pytest.approx(
            0.25 + math.asin(rho) / (2 * math.pi), abs=1e-15)

    def test_infinite_limits_are_the_marginals(self) -> None:
        k = np.array([-1.5, 0.0, 0.7])
        np.testing.assert_allclose(bivariate_normal_cdf(np.inf, k, 0.6), stats.norm.cdf(k), atol=1e-15)
        np.testing.assert_allclose(bivariate_normal_cdf(k, np.inf, -0.6), stats.norm.cdf(k), atol=1e-15)
        np.testing.assert_array_equal(bivariate_normal_cdf(-np.inf, k, 0.6), 0.0)
        np.testing.assert_array_equal(bivariate_normal_cdf(k, -np.inf, 0.6), 0.0)
        assert float(bivariate_normal_cdf(np.inf, np.inf, 0.3)) == 1.0

    def test_bad_input(self) -> None:
        with pytest.raises(ValueError, match=r"`rho` must lie in \(-1, 1\); got 1.0"):
            bivariate_normal_cdf(0.0, 0.0, [0.5, 1.0])
        with pytest.raises(ValueError, match="`h` and `k` must not be nan"):
            bivariate_normal_cdf(float("nan"), 0.0, 0.5)


class TestDiscretisedBivariateGaussian:
    def test_shape_edges_and_centres(self) -> None:
        d = discretised_bivariate_gaussian(0.3, n_cells=7, limit=2.5)
        assert d.table.shape == (7, 7)
        np.testing.assert_allclose(d.edges[1:-1], np.linspace(-2.5, 2.5, 6))
        assert d.edges[0] == -np.inf and d.edges[-1] == np.inf
        # Inner cells of width 1: midpoints; outer cells half a width beyond ±2.5.
        np.testing.assert_allclose(d.centres, [-3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0], atol=1e-12)
        assert d.rho == 0.3

    @pytest.mark.parametrize("rho", [-0.9, -0.4, 0.0, 0.5, 0.95])
    def test_marginals_are_the_normal_cell_masses(self, rho: float) -> None:
        d = discretised_bivariate_gaussian(rho, n_cells=9)
        expected = normal_cell_masses(d.edges)
        np.testing.assert_allclose(d.table.sum(axis=1), expected, atol=1e-12)
        np.testing.assert_allclose(d.table.sum(axis=0), expected, atol=1e-12)
        assert d.table.sum() == pytest.approx(1.0, abs=1e-12)
        assert d.table.min() >= 0.0

    def test_zero_correlation_is_the_product_of_marginals(self) -> None:
        d = discretised_bivariate_gaussian(0.0, n_cells=6, limit=2.0)
        m = normal_cell_masses(d.edges)
        np.testing.assert_allclose(d.table, np.outer(m, m), atol=1e-12)

    @pytest.mark.parametrize("rho", [-0.7, 0.2, 0.5, 0.9])
    def test_quadrants_match_sheppards_formula(self, rho: float) -> None:
        table = discretised_bivariate_gaussian(rho, n_cells=2).table
        both_below = 0.25 + math.asin(rho) / (2 * math.pi)
        np.testing.assert_allclose(
            table, [[both_below, 0.5 - both_below], [0.5 - both_below, both_below]], atol=1e-12
        )

    @pytest.mark.parametrize(("i", "j"), [(2, 3), (4, 4), (1, 5)])
    def test_inner_cells_match_numerical_integration_of_the_density(self, i: int, j: int) -> None:
        rho = 0.6
        d = discretised_bivariate_gaussian(rho, n_cells=7, limit=2.5)
        pdf = stats.multivariate_normal([0.0, 0.0], [[1.0, rho], [rho, 1.0]]).pdf
        (a1, b1), (a2, b2) = d.edges[i : i + 2], d.edges[j : j + 2]
        # dblquad integrates f(y, x) with x outer; a cell of width ~0.83 needs few points.
        ref, _err = integrate.dblquad(lambda y, x: pdf([x, y]), a1, b1, a2, b2, epsabs=1e-12)
        assert d.table[i, j] == pytest.approx(ref, abs=1e-10)

    def test_an_outer_corner_cell_matches_the_conditional_integral(self) -> None:
        # P(X ≤ a, Y ≤ a) = ∫_{-∞}^{a} φ(x) Φ((a − ρx)/√(1 − ρ²)) dx, by conditioning on X.
        rho, a = -0.5, -3.0
        table = discretised_bivariate_gaussian(rho, n_cells=9, limit=3.0).table
        s = math.sqrt(1 - rho**2)
        ref, _ = integrate.quad(
            lambda x: stats.norm.pdf(x) * stats.norm.cdf((a - rho * x) / s), -np.inf, a, epsabs=1e-14
        )
        assert table[0, 0] == pytest.approx(ref, abs=1e-12)

    def test_symmetry_in_x_and_y_and_in_the_sign_of_rho(self) -> None:
        pos = discretised_bivariate_gaussian(0.7, n_cells=8).table
        neg = discretised_bivariate_gaussian(-0.7, n_cells=8).table
        np.testing.assert_allclose(pos, pos.T, atol=1e-14)
        np.testing.assert_allclose(neg, pos[:, ::-1], atol=1e-12)  # Y -> −Y mirrors columns

    def test_mutual_information_stays_below_the_closed_form_and_approaches_it(self) -> None:
        rho = 0.8
        exact = -0.5 * math.log(1 - rho**2)
        mis = [
            discrete_mi(discretised_bivariate_gaussian(rho, n_cells=n, limit=4.0).table)
            for n in (4, 8, 16, 48)
        ]
        assert all(m < exact for m in mis)
        assert np.all(np.diff(mis) > 0)
        assert mis[-1] == pytest.approx(exact, rel=0.03)

    def test_bad_rho(self) -> None:
        with pytest.raises(ValueError, match=r"`rho` must lie in \(-1, 1\); got 1.0"):
            discretised_bivariate_gaussian(1.0)
        with pytest.raises(ValueError, match=r"`rho` must lie in \(-1, 1\); got -1.5"):
            discretised_bivariate_gaussian(-1.5)
        with pytest.raises(ValueError, match="`rho` must be finite; found nan"):
            discretised_bivariate_gaussian(float("nan"))
        with pytest.raises(ValueError, match=r"`rho` must be a single number; got shape \(2,\)"):
            discretised_bivariate_gaussian([0.1, 0.2])  # type: ignore[arg-type]

    def test_bad_grid(self) -> None:
        with pytest.raises(ValueError, match="`n_cells` must be >= 2; got 1"):
            discretised_bivariate_gaussian(0.5, n_cells=1)
        with pytest.raises(TypeError, match=r"`n_cells` must be an integer, got 2\.5"):
            discretised_bivariate_gaussian(0.5, n_cells=2.5)  # type: ignore[arg-type]
        with pytest.raises(ValueError, match=r"`limit` must be > 0; got 0\.0"):
            discretised_bivariate_gaussian(0.5, limit=0.0)
        with pytest.raises(ValueError, match="`limit` must be finite; found inf"):
            discretised_bivariate_gaussian(0.5, limit=float("inf"))
