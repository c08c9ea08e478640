"""Fisher information against closed forms written here, finite differences of scipy.stats
log-densities, simulation, and brute-force sums.

Statistical tests use fixed seeds; each tolerance is 4 standard errors of the estimator
(from a closed form where one exists, otherwise the sample standard error), so a
correct estimator fails with probability < 1e-4.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from scipy import special, stats

from core import fisher as fi

# ----------------------------------------------------------------- closed forms


def finite_diff_grad(fun, theta, h=1e-6):
    theta = np.asarray(theta, dtype=float)
    out = np.empty(theta.size)
    for i in range(theta.size):
        e = np.zeros(theta.size)
        e[i] = h
        out[i] = (fun(theta + e) - fun(theta - e)) / (2 * h)
    return out


def finite_diff_hessian(fun, theta, h=1e-4):
    theta = np.asarray(theta, dtype=float)
    d = theta.size
    out = np.empty((d, d))
    for i in range(d):
        for j in range(d):
            ei, ej = np.zeros(d), np.zeros(d)
            ei[i], ej[j] = h, h
            out[i, j] = (
                fun(theta + ei + ej) - fun(theta + ei - ej) - fun(theta - ei + ej) + fun(theta - ei - ej)
            ) / (4 * h * h)
    return out


class TestClosedForms:
    def test_bernoulli(self):
        assert fi.fisher_information("bernoulli", p=0.3) == pytest.approx(1 / (0.3 * 0.7), rel=1e-15)
        assert isinstance(fi.fisher_information("bernoulli", p=0.3), float)

    def test_bernoulli_logit_is_chain_rule_of_p(self):
        theta = 0.4
        p = 1 / (1 + math.exp(-theta))
        assert fi.fisher_information("bernoulli_logit", logit=theta) == pytest.approx(p * (1 - p), rel=1e-15)
        # F(θ) = F(p) (dp/dθ)², dp/dθ = p(1 - p)
        dp = p * (1 - p)
        assert fi.fisher_information("bernoulli_logit", logit=theta) == pytest.approx(
            fi.fisher_information("bernoulli", p=p) * dp**2, rel=1e-12
        )

    @pytest.mark.parametrize(
        ("kind", "expected"),
        [
            ("std", [[1 / 4, 0], [0, 2 / 4]]),  # diag(1/σ², 2/σ²), σ = 2
            ("variance", [[1 / 4, 0], [0, 1 / (2 * 16)]]),  # diag(1/σ², 1/(2σ⁴))
            ("log_std", [[1 / 4, 0], [0, 2.0]]),  # diag(1/σ², 2)
        ],
    )
    def test_gaussian(self, kind, expected):
        got = fi.fisher_information("gaussian", mu=1.0, sigma=2.0, parameterization=kind)
        np.testing.assert_allclose(got, expected, rtol=1e-15)

    def test_gaussian_default_is_std(self):
        np.testing.assert_array_equal(
            fi.fisher_information("gaussian", mu=0.0, sigma=3.0),
            fi.fisher_information("gaussian", mu=0.0, sigma=3.0, parameterization="std"),
        )

    def test_categorical_hand_example(self):
        # p = (.5, .25, .25): diag(1/.5, 1/.25) + 1/.25
        np.testing.assert_allclose(
            fi.fisher_information("categorical", probs=[0.5, 0.25, 0.25]), [[6.0, 4.0], [4.0, 8.0]]
        )

    def test_categorical_inverse_is_multinomial_covariance(self):
        # F⁻¹ = Cov of the first K-1 one-hot coordinates = diag(p̃) - p̃p̃ᵀ
        probs = np.array([0.1, 0.2, 0.3, 0.4])
        inv = np.linalg.inv(fi.fisher_information("categorical", probs=probs))
        cov = stats.multinomial(1, probs).cov()[:3, :3]  # scipy reference
        np.testing.assert_allclose(inv, cov, atol=1e-12)

    def test_softmax_is_hessian_of_logsumexp(self):
        # -∇² log softmax(z)_y = ∇² logsumexp(z), the same for every y
        z = np.array([0.5, -1.0, 2.0, 0.0])
        fd = finite_diff_hessian(lambda t: special.logsumexp(t), z)
        np.testing.assert_allclose(fi.fisher_information("softmax", logits=z), fd, atol=1e-6)
        p = special.softmax(z)
        np.testing.assert_allclose(fi.fisher_information("softmax", logits=z), np.diag(p) - np.outer(p, p))


# ---------------------------------------------------------- scores and Hessians


def _logpdf_cases():
    """(family, params, theta, log-density of x as a function of theta, sample x) via scipy."""
    x_real = np.array([-1.3, 0.2, 2.5])
    cats = np.array([0, 1, 2, 2])
    probs = np.array([0.2, 0.5, 0.3])

    def onehot(x, k):
        return np.eye(k)[x]

    return [
        ("bernoulli", {"p": 0.3}, [0.3], np.array([0.0, 1.0]),
         lambda t, x: stats.bernoulli.logpmf(x, t[0])),
        ("bernoulli_logit", {"logit": -0.7}, [-0.7], np.array([0.0, 1.0]),
         lambda t, x: stats.bernoulli.logpmf(x, special.expit(t[0]))),
        ("gaussian", {"mu": 0.5, "sigma": 1.5}, [0.5, 1.5], x_real,
         lambda t, x: stats.norm.logpdf(x, t[0], t[1])),
        ("gaussian", {"mu": 0.5, "sigma": 1.5, "parameterization": "variance"}, [0.5, 2.25], x_real,
         lambda t, x: stats.norm.logpdf(x, t[0], np.sqrt(t[1]))),
        ("gaussian", {"mu": 0.5, "sigma": 1.5, "parameterization": "log_std"}, [0.5, np.log(1.5)],
         x_real, lambda t, x: stats.norm.logpdf(x, t[0], np.exp(t[1]))),
        ("categorical", {"probs": probs}, probs[:2], cats,
         lambda t, x: stats.multinomial.logpmf(onehot(x, 3), 1, np.append(t, 1 - t.sum()))),
        ("softmax", {"logits": [0.3, -0.2, 1.0]}, [0.3, -0.2, 1.0], cats,
         lambda t, x: stats.multinomial.logpmf(onehot(x, 3), 1, special.softmax(t))),
    ]


@pytest.mark.parametrize(("family", "params", "theta", "xs", "logpdf"), _logpdf_cases())
def test_score_and_hessian_match_finite_differences_of_scipy(family, params, theta, xs, logpdf):
    s = fi.score(family, xs, **params)
    h = fi.hessian_log_prob(family, xs, **params)
    for i, x in enumerate(xs):
        def at_x(t, x=x):
            return logpdf(t, x)

        np.testing.assert_allclose(s[i], finite_diff_grad(at_x, theta), rtol=1e-6, atol=1e-7)
        np.testing.assert_allclose(h[i], finite_diff_hessian(at_x, theta), rtol=1e-4, atol=1e-5)


MC_CASES = [
    ("bernoulli", {"p": 0.3}),
    ("bernoulli_logit", {"logit": 1.2}),
    ("gaussian", {"mu": 1.0, "sigma": 2.0}),
    ("gaussian", {"mu": 1.0, "sigma": 2.0, "parameterization": "variance"}),
    ("gaussian", {"mu": 1.0, "sigma": 2.0, "parameterization": "log_std"}),
    ("categorical", {"probs": [0.5, 0.2, 0.3]}),
    ("softmax", {"logits": [0.0, 1.0, -0.5]}),
]

# closed forms written out independently of the module
EXACT = {
    ("bernoulli", None): [[1 / 0.21]],
    ("bernoulli_logit", None): [[special.expit(1.2) * (1 - special.expit(1.2))]],
    ("gaussian", None): [[0.25, 0], [0, 0.5]],
    ("gaussian", "variance"): [[0.25, 0], [0, 1 / 32]],
    ("gaussian", "log_std"): [[0.25, 0], [0, 2.0]],
    ("categorical", None): [[1 / 0.5 + 1 / 0.3, 1 / 0.3], [1 / 0.3, 1 / 0.2 + 1 / 0.3]],
}


@pytest.mark.parametrize(("family", "params"), MC_CASES)
def test_monte_carlo_agrees_with_closed_form(family, params):
    mc = fi.fisher_monte_carlo(family, n_samples=20_000, rng=np.random.default_rng(2024), **params)
    if family == "softmax":
        p = special.softmax(params["logits"])
        exact = np.diag(p) - np.outer(p, p)
    else:
        exact = np.array(EXACT[(family, params.get("parameterization"))], dtype=float)
    np.testing.assert_allclose(mc.exact, exact, rtol=1e-12, atol=1e-15)
    # 4 standard errors of each sample mean; where a term is constant its SE is 0
    # and the estimate must be exact (up to rounding)
    assert np.all(np.abs(mc.score_outer - exact) <= 4 * mc.score_outer_stderr + 1e-12)
    assert np.all(np.abs(mc.neg_hessian - exact) <= 4 * mc.neg_hessian_stderr + 1e-12)


# ---------------------------------------------------- empirical vs true Fisher


class TestEmpiricalFisher:
    rng = np.random.default_rng(17)
    n = 4000
    X = np.column_stack([np.ones(n), rng.normal(size=n)])
    W_TRUE = np.array([-0.5, 1.5])
    S_TRUE = special.expit(X @ W_TRUE)
    Y = (rng.random(n) < S_TRUE).astype(float)

    def _terms_se(self, s):
        """Per-example terms (y - s)² x xᵀ and the standard error of their mean."""
        terms = ((self.Y - s) ** 2)[:, None, None] * self.X[:, :, None] * self.X[:, None, :]
        return terms.std(axis=0, ddof=1) / np.sqrt(self.n)

    def test_agree_in_expectation_at_the_true_weights(self):
        res = fi.logistic_fisher(self.X, self.W_TRUE, self.Y)
        s = self.S_TRUE
        true = (self.X * (s * (1 - s))[:, None]).T @ self.X / self.n  # written out here
        np.testing.assert_allclose(res.true, true, rtol=1e-12)
        # E[(y - s)² | x] = s(1 - s) at the truth
        assert np.all(np.abs(res.empirical - true) < 4 * self._terms_se(s))

    def test_differ_away_from_the_true_weights(self):
        w = np.array([1.0, -1.0])
        s = special.expit(self.X @ w)
        res = fi.logistic_fisher(self.X, w, self.Y)
        # E[(y - s)² | x] = s*(1 - s*) + (s* - s)², not s(1 - s)
        expected_emp = (self.X * (self.S_TRUE * (1 - self.S_TRUE) + (self.S_TRUE - s) ** 2)[:, None]).T @ self.X / self.n
        se = self._terms_se(s)
        assert np.all(np.abs(res.empirical - expected_emp) < 4 * se)
        true = (self.X * (s * (1 - s))[:, None]).T @ self.X / self.n
        np.testing.assert_allclose(res.true, true, rtol=1e-12)
        assert np.abs(res.empirical - res.true).max() > 20 * se.max()

    def test_two_examples_by_hand(self):
        # x1 = (1, 2), x2 = (1, -1), w = (0, 0.5): s1 = σ(1), s2 = σ(-0.5); y = (1, 0)
        s1, s2 = 1 / (1 + math.exp(-1.0)), 1 / (1 + math.exp(0.5))
        x1, x2 = np.array([1.0, 2.0]), np.array([1.0, -1.0])
        res = fi.logistic_fisher([x1, x2], [0.0, 0.5], [1, 0])
        true = (s1 * (1 - s1) * np.outer(x1, x1) + s2 * (1 - s2) * np.outer(x2, x2)) / 2
        emp = ((1 - s1) ** 2 * np.outer(x1, x1) + s2**2 * np.outer(x2, x2)) / 2
        np.testing.assert_allclose(res.true, true, rtol=1e-14)
        np.testing.assert_allclose(res.empirical, emp, rtol=1e-14)

    def test_bad_labels(self):
        with pytest.raises(ValueError, match=r"`y` must hold labels 0 or 1; found 2"):
            fi.logistic_fisher([[1.0], [1.0]], [0.0], [1, 2])

    def test_shapes(self):
        with pytest.raises(ValueError, match=r"`weights` must have shape \(2,\)"):
            fi.logistic_fisher(np.ones((3, 2)), [0.0], [0, 1, 1])
        with pytest.raises(ValueError, match=r"`y` must have shape \(3,\)"):
            fi.logistic_fisher(np.ones((3, 2)), [0.0, 0.0], [0, 1])


# ------------------------------------------------------------------ Cramér–Rao


def sample_variance_se(var: float, excess_kurtosis: float, reps: int) -> float:
    """SE of the sample variance of ``reps`` iid draws: var·sqrt(2/(R-1) + κ/R)."""
    return var * math.sqrt(2 / (reps - 1) + excess_kurtosis / reps)


class TestCramerRao:
    def test_bernoulli_mle_attains_the_bound(self):
        p, n, reps = 0.3, 50, 4000
        res = fi.cramer_rao_simulation("bernoulli", n=n, n_datasets=reps, rng=np.random.default_rng(3), p=p)
        assert res.parameters == ("p",)
        np.testing.assert_allclose(res.bound, [p * (1 - p) / n])  # 0.0042
        kurt = (1 - 6 * p * (1 - p)) / (n * p * (1 - p))  # excess kurtosis of Binomial(n, p)
        se = sample_variance_se(p * (1 - p) / n, kurt, reps)
        assert abs(res.mle_variance[0] - p * (1 - p) / n) < 4 * se

    def test_gaussian(self):
        mu, sigma, n, reps = 1.0, 2.0, 10, 4000
        res = fi.cramer_rao_simulation("gaussian", n=n, n_datasets=reps, rng=np.random.default_rng(4),
                                       mu=mu, sigma=sigma)
        np.testing.assert_allclose(res.bound, [sigma**2 / n, sigma**2 / (2 * n)])
        # μ̂ ~ N(μ, σ²/n): attains the bound, excess kurtosis 0
        assert abs(res.mle_variance[0] - sigma**2 / n) < 4 * sample_variance_se(sigma**2 / n, 0.0, reps)
        # σ̂ = σ/√n · chi_{n-1}: exact variance and kurtosis from scipy.stats.chi
        chi = stats.chi(n - 1)
        var_sigma = sigma**2 / n * float(chi.var())
        kurt = float(chi.stats(moments="k"))
        assert abs(res.mle_variance[1] - var_sigma) < 4 * sample_variance_se(var_sigma, kurt, reps)
        assert var_sigma < res.bound[1]  # biased σ̂ may beat the bound for unbiased estimators

    def test_bad_family(self):
        with pytest.raises(ValueError, match=r"`family` must be one of 'bernoulli', 'gaussian'"):
            fi.cramer_rao_simulation("categorical", n=5, n_datasets=10, rng=np.random.default_rng(0),
                                     probs=[0.5, 0.5])

    def test_bad_sizes(self):
        with pytest.raises(ValueError, match=r"`n_datasets` must be >= 2"):
            fi.cramer_rao_simulation("bernoulli", n=5, n_datasets=1, rng=np.random.default_rng(0), p=0.5)


# ------------------------------------------------------------- natural gradient


class TestNaturalGradient:
    def test_step_by_hand(self):
        out = fi.natural_gradient_step([0.0, 1.0], [1.0, 2.0], [[1.0, 0.0], [0.0, 2.0]], lr=0.5)
        np.testing.assert_allclose(out, [-0.5, 0.5])

    def test_step_against_solve(self):
        f = np.array([[2.0, 0.5], [0.5, 1.0]])
        g = np.array([0.3, -1.0])
        np.testing.assert_allclose(fi.natural_gradient_step([1.0, 1.0], g, f, lr=0.1),
                                   np.array([1.0, 1.0]) - 0.1 * np.linalg.solve(f, g), rtol=1e-12)

    @pytest.mark.parametrize(
        ("fisher", "message"),
        [
            ([[1.0, 0.0], [0.0, -1.0]], r"`fisher` must be positive-definite; its smallest eigenvalue is -1"),
            ([[1.0, 1.0], [1.0, 1.0]], r"`fisher` must be positive-definite"),
            ([[1.0, 0.5], [0.0, 1.0]], r"`fisher` must be symmetric"),
            ([[1.0]], r"`fisher` must have shape \(2, 2\)"),
        ],
    )
    def test_bad_fisher(self, fisher, message):
        with pytest.raises(ValueError, match=message):
            fi.natural_gradient_step([0.0, 0.0], [1.0, 1.0], fisher, lr=0.1)

    def test_bad_lr(self):
        with pytest.raises(ValueError, match=r"`lr` must be > 0"):
            fi.natural_gradient_step([0.0], [1.0], [[1.0]], lr=0.0)

    DATA = np.array([1.0, 3.0, 2.5, 0.2, 4.1])

    @pytest.mark.parametrize("kind", ["std", "log_std"])
    def test_natural_path_mu_closed_form(self, kind):
        # F⁻¹∇L for μ is -(m - μ): μ_k = m + (μ0 - m)(1 - lr)^k in either parameterisation
        m = self.DATA.mean()
        paths = fi.gaussian_fit_paths(self.DATA, mu0=-1.0, sigma0=0.5, lr=0.1, n_steps=30, parameterization=kind)
        k = np.arange(31)
        np.testing.assert_allclose(paths.natural[:, 0], m + (-1.0 - m) * 0.9**k, rtol=1e-12)
        assert paths.natural.shape == paths.plain.shape == (31, 2)
        assert paths.natural[0].tolist() == [-1.0, 0.5] == paths.plain[0].tolist()

    def test_converges_to_mle_and_loss_falls(self):
        paths = fi.gaussian_fit_paths(self.DATA, mu0=-1.0, sigma0=0.5, lr=0.2, n_steps=200)
        np.testing.assert_allclose(paths.natural[-1], [self.DATA.mean(), self.DATA.std()], rtol=1e-8)
        # the NLL at the MLE from scipy
        nll_mle = -stats.norm.logpdf(self.DATA, self.DATA.mean(), self.DATA.std()).mean()
        assert paths.natural_loss[-1] == pytest.approx(nll_mle, rel=1e-10)
        assert np.all(np.diff(paths.natural_loss) <= 1e-12)
        nll0 = -stats.norm.logpdf(self.DATA, -1.0, 0.5).mean()
        assert paths.plain_loss[0] == pytest.approx(nll0, rel=1e-12)

    def test_invariance_under_reparameterisation(self):
        # At fixed lr·n_steps the natural paths in σ and in log σ differ by O(lr): halving
        # lr halves the gap. The plain paths follow different curves: the gap stays.
        gaps = [fi.reparameterisation_gap(self.DATA, mu0=0.0, sigma0=3.0, lr=lr, n_steps=round(2 / lr))
                for lr in (0.04, 0.02, 0.01)]
        natural = [g[0] for g in gaps]
        plain = [g[1] for g in gaps]
        for coarse, fine in itertools.pairwise(natural):
            assert 1.8 < coarse / fine < 2.2
        assert min(plain) > 0.3
        assert max(plain) / min(plain) < 1.1
        assert natural[-1] < plain[-1] / 100

    def test_plain_step_sigma_negative(self):
        with pytest.raises(ValueError, match=r"plain gradient step 1 made sigma <= 0.*lower `lr`"):
            fi.gaussian_fit_paths([0.0, 0.02], mu0=0.01, sigma0=1.0, lr=2.0, n_steps=3)

    def test_bad_inputs(self):
        with pytest.raises(ValueError, match=r"`sigma0` must be > 0"):
            fi.gaussian_fit_paths(self.DATA, mu0=0.0, sigma0=0.0, lr=0.1, n_steps=3)
        with pytest.raises(ValueError, match=r"`data` must not be all equal"):
            fi.gaussian_fit_paths([1.0, 1.0], mu0=0.0, sigma0=1.0, lr=0.1, n_steps=3)
        with pytest.raises(ValueError, match=r"`parameterization` must be one of 'std', 'log_std'"):
            fi.gaussian_fit_paths(self.DATA, mu0=0.0, sigma0=1.0, lr=0.1, n_steps=3, parameterization="variance")


# ------------------------------------------------------------------------ K-FAC


def brute_force_layer_fisher(a, w):
    """Σ_i Σ_y p(y|a_i) vec(g) vec(g)ᵀ / n with g = (e_y - p_i) a_iᵀ, by explicit loops."""
    n_classes, dim = w.shape
    f = np.zeros((n_classes * dim, n_classes * dim))
    g_factor = np.zeros((n_classes, n_classes))
    for a_i in a:
        p = special.softmax(w @ a_i)
        for y in range(n_classes):
            delta = np.eye(n_classes)[y] - p
            grad = np.outer(delta, a_i).ravel()
            f += p[y] * np.outer(grad, grad)
            g_factor += p[y] * np.outer(delta, delta)
    return f / len(a), g_factor / len(a)


class TestKFAC:
    rng = np.random.default_rng(5)
    A_IN = rng.normal(size=(30, 3))
    W = rng.normal(size=(4, 3))

    def test_exact_fisher_and_factors_against_brute_force(self):
        res = fi.kfac_linear_softmax(self.A_IN, self.W)
        f_bf, g_bf = brute_force_layer_fisher(self.A_IN, self.W)
        np.testing.assert_allclose(res.fisher_exact, f_bf, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(res.G, g_bf, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(res.A, self.A_IN.T @ self.A_IN / 30, rtol=1e-12)
        kron = np.kron(g_bf, self.A_IN.T @ self.A_IN / 30)
        expected_err = np.linalg.norm(f_bf - kron) / np.linalg.norm(f_bf)
        assert res.relative_error == pytest.approx(expected_err, rel=1e-9)
        assert 0.01 < res.relative_error < 1.0  # an approximation, not exact here

    def test_exact_when_inputs_identical(self):
        a = np.tile([[0.5, -1.0, 2.0]], (10, 1))
        assert fi.kfac_linear_softmax(a, self.W).relative_error < 1e-12

    def test_exact_when_output_does_not_depend_on_input(self):
        assert fi.kfac_linear_softmax(self.A_IN, np.zeros((4, 3))).relative_error < 1e-12

    def test_bad_shapes(self):
        with pytest.raises(ValueError, match=r"`weights` must have shape \(C, 3\)"):
            fi.kfac_linear_softmax(self.A_IN, np.zeros((4, 2)))
        with pytest.raises(ValueError, match=r"the exact Fisher is kept only up to 4096"):
            fi.kfac_linear_softmax(np.zeros((2, 100)), np.zeros((50, 100)))


# ------------------------------------------------------------------ bad input


class TestValidation:
    def test_unknown_family(self):
        with pytest.raises(ValueError, match=r"`family` must be one of"):
            fi.fisher_information("poisson", lam=1.0)

    def test_missing_and_extra_parameters(self):
        with pytest.raises(ValueError, match=r"family 'gaussian' needs parameter\(s\) `sigma`"):
            fi.fisher_information("gaussian", mu=0.0)
        with pytest.raises(ValueError, match=r"got unexpected `q`"):
            fi.fisher_information("bernoulli", p=0.5, q=0.5)

    @pytest.mark.parametrize("bad", [0.0, 1.0, -0.2, 1.3])
    def test_bernoulli_p_outside_open_interval(self, bad):
        with pytest.raises(ValueError, match=r"`p` must lie in \(0, 1\)"):
            fi.fisher_information("bernoulli", p=bad)

    def test_sigma_not_positive(self):
        with pytest.raises(ValueError, match=r"`sigma` must be > 0; got -1.0"):
            fi.fisher_information("gaussian", mu=0.0, sigma=-1.0)

    def test_bad_parameterization(self):
        with pytest.raises(ValueError, match=r"`parameterization` must be one of"):
            fi.fisher_information("gaussian", mu=0.0, sigma=1.0, parameterization="precision")

    def test_categorical_probs(self):
        with pytest.raises(ValueError, match=r"`probs` must sum to 1"):
            fi.fisher_information("categorical", probs=[0.5, 0.6])
        with pytest.raises(ValueError, match=r"`probs` must be > 0 in every category"):
            fi.fisher_information("categorical", probs=[0.5, 0.5, 0.0])

    def test_softmax_logits(self):
        with pytest.raises(ValueError, match=r"`logits` must be finite; found nan"):
            fi.fisher_information("softmax", logits=[0.0, np.nan])

    def test_observations(self):
        with pytest.raises(ValueError, match=r"`x` must be 0 or 1"):
            fi.score("bernoulli", [0.5], p=0.5)
        with pytest.raises(ValueError, match=r"`x` must be category indices in \[0, 3\)"):
            fi.score("categorical", [3], probs=[0.2, 0.3, 0.5])


# ------------------------------------------------- log-likelihood curves (display helpers)


class TestLogLikelihoodCurve:
    def test_bernoulli_against_scipy_binomial_log_pmf(self):
        # ℓ(p) − ℓ(p̂) for k successes in n: differences of scipy.stats.binom.logpmf
        # (the binomial coefficient cancels).
        n, k = 40, 12
        grid = np.linspace(0.05, 0.95, 19)
        curve = fi.log_likelihood_curve("bernoulli", grid, mle=k / n, n=n)
        expected = stats.binom.logpmf(k, n, grid) - stats.binom.logpmf(k, n, k / n)
        np.testing.assert_allclose(curve.relative_log_likelihood, expected, rtol=1e-10, atol=1e-12)
        # −ℓ''(p̂) by a central difference of scipy's log-pmf, and n / (p̂ (1 − p̂)) by hand
        h = 1e-4
        second = (stats.binom.logpmf(k, n, 0.3 + h) - 2 * stats.binom.logpmf(k, n, 0.3)
                  + stats.binom.logpmf(k, n, 0.3 - h)) / h**2
        assert curve.curvature == pytest.approx(-second, rel=1e-6)
        assert curve.curvature == pytest.approx(n / (0.3 * 0.7), rel=1e-12)
        assert curve.fisher == pytest.approx(1 / (0.3 * 0.7), rel=1e-12)
        assert curve.standard_error == pytest.approx(math.sqrt(0.3 * 0.7 / n), rel=1e-12)
        np.testing.assert_allclose(curve.quadratic, -0.5 * n / 0.21 * (grid - 0.3) ** 2, rtol=1e-12)
        assert curve.relative_log_likelihood.max() <= 0.0

    def test_gaussian_mean_against_scipy_norm(self):
        x = np.array([0.3, 1.9, -0.4, 2.2, 1.0])
        grid = np.linspace(-2, 3, 11)
        curve = fi.log_likelihood_curve("gaussian", grid, mle=x.mean(), n=x.size, sigma=1.5)
        ll = np.array([stats.norm.logpdf(x, m, 1.5).sum() for m in grid])
        expected = ll - stats.norm.logpdf(x, x.mean(), 1.5).sum()
        np.testing.assert_allclose(curve.relative_log_likelihood, expected, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(curve.quadratic, expected, rtol=1e-10, atol=1e-12)  # exactly quadratic
        assert curve.curvature == pytest.approx(5 / 1.5**2, rel=1e-12)

    def test_curve_sharpens_with_n(self):
        grid = [0.4]
        small = fi.log_likelihood_curve("bernoulli", grid, mle=0.5, n=10).relative_log_likelihood
        large = fi.log_likelihood_curve("bernoulli", grid, mle=0.5, n=100).relative_log_likelihood
        assert large[0] == pytest.approx(10 * small[0], rel=1e-12)

    def test_bad_inputs(self):
        with pytest.raises(ValueError, match=r"`mle` must lie in \(0, 1\)"):
            fi.log_likelihood_curve("bernoulli", [0.5], mle=0.0, n=10)
        with pytest.raises(ValueError, match=r"`grid` must lie in \(0, 1\)"):
            fi.log_likelihood_curve("bernoulli", [0.0, 0.5], mle=0.5, n=10)
        with pytest.raises(ValueError, match=r"`sigma` is only for the Gaussian"):
            fi.log_likelihood_curve("bernoulli", [0.5], mle=0.5, n=10, sigma=1.0)
        with pytest.raises(ValueError, match=r"`sigma` \(the known standard deviation\) is required"):
            fi.log_likelihood_curve("gaussian", [0.5], mle=0.5, n=10)
        with pytest.raises(ValueError, match=r"`sigma` must be > 0"):
            fi.log_likelihood_curve("gaussian", [0.5], mle=0.5, n=10, sigma=0.0)
        with pytest.raises(ValueError, match=r"`n` must be >= 1"):
            fi.log_likelihood_curve("gaussian", [0.5], mle=0.5, n=0, sigma=1.0)
        with pytest.raises(ValueError, match=r"`grid` must be a non-empty 1-D array"):
            fi.log_likelihood_curve("gaussian", [[0.5]], mle=0.5, n=3, sigma=1.0)
        with pytest.raises(ValueError, match=r"`family` must be one of"):
            fi.log_likelihood_curve("poisson", [0.5], mle=0.5, n=3)
        with pytest.raises(ValueError, match=r"`grid`"):
            fi.log_likelihood_curve("gaussian", [0.5, np.nan], mle=0.5, n=3, sigma=1.0)
        with pytest.raises(ValueError, match=r"`mle` must be a single number"):
            fi.log_likelihood_curve("gaussian", [0.5], mle=[0.5, 1.0], n=3, sigma=1.0)


class TestGaussianAverageNLL:
    def test_against_scipy_norm(self):
        x = np.array([0.3, 1.9, -0.4, 2.2, 1.0])
        mu, sigma = np.meshgrid([-1.0, 0.5, 2.0], [0.5, 1.0, 3.0])
        got = fi.gaussian_average_nll(mu, sigma, data_mean=x.mean(), data_var=x.var())
        expected = np.vectorize(lambda m, s: -stats.norm.logpdf(x, m, s).mean())(mu, sigma)
        np.testing.assert_allclose(got, expected, rtol=1e-12)

    def test_bad_inputs(self):
        with pytest.raises(ValueError, match=r"`sigma` must be > 0"):
            fi.gaussian_average_nll(0.0, [1.0, -1.0], data_mean=0.0, data_var=1.0)
        with pytest.raises(ValueError, match=r"`data_var` must be >= 0"):
            fi.gaussian_average_nll(0.0, 1.0, data_mean=0.0, data_var=-1.0)
        with pytest.raises(ValueError, match=r"`mu`"):
            fi.gaussian_average_nll([0.0, np.inf], 1.0, data_mean=0.0, data_var=1.0)
        with pytest.raises(ValueError, match=r"`data_mean` must be a single number"):
            fi.gaussian_average_nll(0.0, 1.0, data_mean=[0.0, 1.0], data_var=1.0)


class TestKFACRandomLayer:
    def test_draws_are_documented_and_match_brute_force(self):
        res = fi.kfac_random_layer(n_inputs=20, input_dim=3, n_classes=4, weight_scale=1.5,
                                   rng=np.random.default_rng(8))
        rng = np.random.default_rng(8)  # the documented draw order: inputs, then weights
        a = rng.standard_normal((20, 3))
        w = 1.5 * rng.standard_normal((4, 3))
        f_bf, g_bf = brute_force_layer_fisher(a, w)
        np.testing.assert_allclose(res.fisher_exact, f_bf, rtol=1e-10, atol=1e-12)
        expected = np.linalg.norm(f_bf - np.kron(g_bf, a.T @ a / 20)) / np.linalg.norm(f_bf)
        assert res.relative_error == pytest.approx(expected, rel=1e-9)

    def test_exact_at_zero_scale_and_worse_with_larger_weights(self):
        errors = [fi.kfac_random_layer(n_inputs=40, input_dim=3, n_classes=3, weight_scale=s,
                                       rng=np.random.default_rng(2)).relative_error
                  for s in (0.0, 0.5, 3.0)]
        assert errors[0] < 1e-12
        assert errors[1] < errors[2]

    def test_bad_inputs(self):
        with pytest.raises(ValueError, match=r"`weight_scale` must be >= 0"):
            fi.kfac_random_layer(n_inputs=5, input_dim=2, n_classes=2, weight_scale=-1.0,
                                 rng=np.random.default_rng(0))
        with pytest.raises(ValueError, match=r"`n_inputs` must be >= 1"):
            fi.kfac_random_layer(n_inputs=0, input_dim=2, n_classes=2, weight_scale=1.0,
                                 rng=np.random.default_rng(0))
        with pytest.raises(ValueError, match=r"`n_classes` must be >= 2"):
            fi.kfac_random_layer(n_inputs=5, input_dim=2, n_classes=1, weight_scale=1.0,
                                 rng=np.random.default_rng(0))
        with pytest.raises(ValueError, match=r"the exact Fisher is kept only up to 4096"):
            fi.kfac_random_layer(n_inputs=5, input_dim=100, n_classes=50, weight_scale=1.0,
                                 rng=np.random.default_rng(0))
