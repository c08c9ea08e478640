"""Targets: densities against scipy.stats, gradients against finite differences, truths
against numerical integration or closed forms computed independently here."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate, optimize, special, stats

from core.mcmc import targets as tg

POINTS = np.random.default_rng(11).normal(size=(6, 2)) * 1.5


def _all_targets() -> list[tg.Target]:
    return [
        tg.correlated_gaussian(0.99),
        tg.correlated_gaussian(-0.3),
        tg.gaussian(5, scales=[0.5, 1, 2, 3, 4]),
        tg.banana(0.1),
        tg.banana(0.03, dim=4),
        tg.gaussian_mixture(3.0, weight=0.3),
        tg.funnel(4),
        tg.beta_binomial_logit(2, 2, 4, 1),
    ]


@pytest.mark.parametrize("target", _all_targets(), ids=lambda t: t.name)
def test_gradient_matches_finite_differences(target: tg.Target) -> None:
    # scipy.optimize.approx_fprime (forward differences, h = 1e-7): error O(h·|f''|).
    rng = np.random.default_rng(1)
    for _ in range(4):
        x = rng.normal(size=target.dim)
        _, grad = target.logp_grad(x)
        numeric = optimize.approx_fprime(x, lambda z: float(target.logp_grad(z)[0]), 1e-7)
        np.testing.assert_allclose(grad, numeric, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("target", _all_targets(), ids=lambda t: t.name)
def test_batched_evaluation_matches_pointwise(target: tg.Target) -> None:
    x = np.random.default_rng(2).normal(size=(3, 5, target.dim))
    logp, grad = target.logp_grad(x)
    assert logp.shape == (3, 5) and grad.shape == (3, 5, target.dim)
    for i in range(3):
        for j in range(5):
            lp1, g1 = target.logp_grad(x[i, j])
            assert float(lp1) == pytest.approx(float(logp[i, j]), rel=1e-12)
            np.testing.assert_allclose(g1, grad[i, j], rtol=1e-12)


def test_correlated_gaussian_density_is_scipys() -> None:
    t = tg.correlated_gaussian(0.9)
    ref = stats.multivariate_normal(mean=[0, 0], cov=[[1, 0.9], [0.9, 1]])
    np.testing.assert_allclose(t.log_density(POINTS), ref.logpdf(POINTS), rtol=1e-12)


def test_gaussian_density_is_scipys() -> None:
    scales = np.linspace(0.5, 3.0, 7)
    t = tg.gaussian(7, scales=scales)
    x = np.random.default_rng(3).normal(size=(4, 7))
    np.testing.assert_allclose(t.log_density(x), stats.norm(0, scales).logpdf(x).sum(-1), rtol=1e-12)
    np.testing.assert_allclose(t.cov, np.diag(scales**2))


def test_banana_density_is_the_generative_model() -> None:
    # x1 ~ N(0, 10²), x2 | x1 ~ N(b(x1² − 100), 1), x3.. ~ N(0, 1)  (Haario et al. 1999)
    b = 0.05
    t = tg.banana(b, dim=3)
    x = np.random.default_rng(4).normal(size=(5, 3)) * [10, 3, 1]
    ref = (
        stats.norm(0, 10).logpdf(x[:, 0])
        + stats.norm(b * (x[:, 0] ** 2 - 100), 1).logpdf(x[:, 1])
        + stats.norm().logpdf(x[:, 2])
    )
    np.testing.assert_allclose(t.log_density(x), ref, rtol=1e-12)


def test_banana_variance_by_quadrature() -> None:
    # Var x2 = E_x1[1 + (b(x1² − 100))²], integrated numerically over x1 ~ N(0, 100).
    b = 0.03
    var2, _ = integrate.quad(lambda u: (1 + (b * (u * u - 100)) ** 2) * stats.norm(0, 10).pdf(u), -np.inf, np.inf)
    assert tg.banana(b).var[1] == pytest.approx(var2, rel=1e-8)


def test_mixture_density_and_moments() -> None:
    w, sep = 0.3, 3.0
    t = tg.gaussian_mixture(sep, weight=w)
    plus = stats.multivariate_normal([sep / 2, 0], np.eye(2))
    minus = stats.multivariate_normal([-sep / 2, 0], np.eye(2))
    ref = np.log(w * plus.pdf(POINTS) + (1 - w) * minus.pdf(POINTS))
    np.testing.assert_allclose(t.log_density(POINTS), ref, rtol=1e-12)
    # Moments of x1 by quadrature of the 1-D marginal mixture.
    pdf = lambda u: w * stats.norm(sep / 2).pdf(u) + (1 - w) * stats.norm(-sep / 2).pdf(u)  # noqa: E731
    m1 = integrate.quad(lambda u: u * pdf(u), -np.inf, np.inf)[0]
    m2 = integrate.quad(lambda u: u * u * pdf(u), -np.inf, np.inf)[0]
    assert t.mean[0] == pytest.approx(m1, rel=1e-8)
    assert t.var[0] == pytest.approx(m2 - m1 * m1, rel=1e-8)


def test_funnel_density_and_variance() -> None:
    t = tg.funnel(3, scale=3.0)
    x = np.random.default_rng(5).normal(size=(4, 3))
    v = x[:, 0]
    ref = stats.norm(0, 3).logpdf(v) + stats.norm(0, np.exp(v / 2)).logpdf(x[:, 1:].T).sum(0)
    np.testing.assert_allclose(t.log_density(x), ref, rtol=1e-12)
    # Var x_i = E[e^v] with v ~ N(0, 9): the mean of a lognormal (scipy).
    assert t.var[1] == pytest.approx(stats.lognorm(s=3.0).mean(), rel=1e-12)
    assert t.var[0] == 9.0


def test_beta_binomial_logit_against_beta_distribution() -> None:
    a0, b0, h, tails = 2, 2, 4, 1
    t = tg.beta_binomial_logit(a0, b0, h, tails)
    post = stats.beta(a0 + h, b0 + tails)  # the course's Beta(6, 3)
    theta = np.linspace(-3, 4, 9)
    p = special.expit(theta)
    # change of variables: π(θ) = Beta(p) · dp/dθ, dp/dθ = p(1 − p)
    np.testing.assert_allclose(t.log_density(theta[:, None]), post.logpdf(p) + np.log(p * (1 - p)), rtol=1e-10)
    mean = integrate.quad(lambda u: special.logit(u) * post.pdf(u), 0, 1)[0]
    second = integrate.quad(lambda u: special.logit(u) ** 2 * post.pdf(u), 0, 1)[0]
    assert t.mean[0] == pytest.approx(mean, rel=1e-7)
    assert t.var[0] == pytest.approx(second - mean**2, rel=1e-7)


def test_beta_binomial_agrees_with_core_bayes() -> None:
    # E[σ(θ)] under our logit-space density (quadrature) is core.bayes's conjugate mean 6/9.
    from core.bayes import beta_binomial_update

    post = beta_binomial_update(2, 2, 4, 1)
    t = tg.beta_binomial_logit(2, 2, 4, 1)
    mean_p = integrate.quad(lambda th: special.expit(th) * math.exp(float(t.log_density([th]))), -30, 30)[0]
    assert mean_p == pytest.approx(post.mean, rel=1e-7)


class TestFromLogDensity:
    def test_finite_difference_gradient(self) -> None:
        ref = tg.correlated_gaussian(0.8)
        t = tg.from_log_density(lambda x: float(ref.log_density(x)), init=[0.1, 0.2])
        assert "finite differences" in t.gradient
        x = np.array([0.7, -1.2])
        # central differences, h = 1e-5: error ~ h²·|f'''| + rounding ~ 1e-10/h → < 1e-6
        np.testing.assert_allclose(t.logp_grad(x)[1], ref.logp_grad(x)[1], atol=1e-6)

    def test_analytic_gradient_used_when_given(self) -> None:
        t = tg.from_log_density(lambda x: -0.5 * float(x @ x), init=[1.0], grad=lambda x: -x)
        assert t.gradient == "analytic"
        np.testing.assert_array_equal(t.logp_grad(np.array([3.0]))[1], [-3.0])

    def test_batched(self) -> None:
        t = tg.from_log_density(lambda x: -0.5 * float(x @ x), init=[0.0, 0.0])
        logp, grad = t.logp_grad(np.ones((3, 2)))
        np.testing.assert_allclose(logp, [-1.0] * 3)
        np.testing.assert_allclose(grad, -np.ones((3, 2)), atol=1e-6)

    @pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
    def test_non_finite_at_start(self, bad: float) -> None:
        with pytest.raises(ValueError, match="`log_density` must be finite at the start point `init`"):
            tg.from_log_density(lambda x: bad, init=[0.0])

    def test_wrong_gradient_shape(self) -> None:
        with pytest.raises(ValueError, match=r"`grad` must return shape \(2,\); got \(3,\)"):
            tg.from_log_density(lambda x: 0.0, init=[0.0, 0.0], grad=lambda x: np.zeros(3))

    def test_not_callable(self) -> None:
        with pytest.raises(TypeError, match="`log_density` must be callable"):
            tg.from_log_density(3.0, init=[0.0])  # type: ignore[arg-type]

    def test_bad_init(self) -> None:
        with pytest.raises(ValueError, match="`init` must be a non-empty 1-D point"):
            tg.from_log_density(lambda x: 0.0, init=[[0.0]])

    def test_bad_truth_shape(self) -> None:
        with pytest.raises(ValueError, match=r"`mean` must have shape \(1,\)"):
            tg.from_log_density(lambda x: 0.0, init=[0.0], mean=[0.0, 1.0])


class TestBadParameters:
    @pytest.mark.parametrize("rho", [1.0, -1.0, 1.5])
    def test_rho(self, rho: float) -> None:
        with pytest.raises(ValueError, match=r"`rho` must lie in \(-1, 1\)"):
            tg.correlated_gaussian(rho)

    def test_dim(self) -> None:
        with pytest.raises(ValueError, match="`dim` must be >= 1; got 0"):
            tg.gaussian(0)

    def test_scales_shape(self) -> None:
        with pytest.raises(ValueError, match=r"`scales` must have shape \(3,\)"):
            tg.gaussian(3, scales=[1.0, 2.0])

    def test_scales_positive(self) -> None:
        with pytest.raises(ValueError, match="`scales` must be > 0"):
            tg.gaussian(2, scales=[1.0, -2.0])

    def test_banana_dim(self) -> None:
        with pytest.raises(ValueError, match="`dim` must be >= 2; got 1"):
            tg.banana(dim=1)

    def test_mixture_weight(self) -> None:
        with pytest.raises(ValueError, match=r"`weight` must lie in \(0, 1\); got 1.0"):
            tg.gaussian_mixture(3.0, weight=1.0)

    def test_mixture_separation(self) -> None:
        with pytest.raises(ValueError, match="`separation` must be > 0"):
            tg.gaussian_mixture(0.0)

    def test_funnel_scale(self) -> None:
        with pytest.raises(ValueError, match="`scale` must be > 0"):
            tg.funnel(scale=-1.0)

    def test_beta_binomial_counts(self) -> None:
        with pytest.raises(ValueError, match=r"`heads` must be whole numbers; got 2\.5"):
            tg.beta_binomial_logit(1, 1, 2.5, 1)
        with pytest.raises(ValueError, match="`alpha0` must be > 0"):
            tg.beta_binomial_logit(0, 1, 2, 1)
