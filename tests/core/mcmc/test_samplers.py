"""Samplers against the targets' known truths, at fixed seeds.

Tolerances come from the chains themselves: a posterior mean must lie within 4 MCSE of
the truth (MCSE = sd/√ESS_mean, ArviZ's estimator); a variance is checked as the mean of
(x − μ)² with μ the true mean, whose MCSE is that of the squared deviations, again within
4 MCSE. Four standard errors leave a false-alarm rate of about 6e-5 per check.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import ClassVar

import numpy as np
import pytest
from scipy import special, stats

from core import mcmc
from core.mcmc import targets as tg
from core.mcmc.adaptation import DualAveraging, metric_window_ends

Z = 4.0

TARGETS: dict[str, Callable[[], tg.Target]] = {
    "corr0.9": lambda: tg.correlated_gaussian(0.9),
    "corr0.99": lambda: tg.correlated_gaussian(0.99),
    "gauss10": lambda: tg.gaussian(10, scales=np.linspace(0.5, 3.0, 10)),
    "gauss100": lambda: tg.gaussian(100),
    "banana": lambda: tg.banana(0.01),
    "mixture": lambda: tg.gaussian_mixture(3.0, weight=0.5),
    "betabin": lambda: tg.beta_binomial_logit(2, 2, 4, 1),
}

# (sampler, target) -> run sizes; MH is vectorised and cheap, so it gets long chains.
RUNS: dict[tuple[str, str], dict[str, int]] = {
    ("metropolis", "corr0.9"): {"n_warmup": 2000, "n_draws": 20000},
    ("metropolis", "gauss10"): {"n_warmup": 2000, "n_draws": 20000},
    ("metropolis", "banana"): {"n_warmup": 2000, "n_draws": 20000},
    ("metropolis", "mixture"): {"n_warmup": 2000, "n_draws": 20000},
    ("metropolis", "betabin"): {"n_warmup": 1000, "n_draws": 10000},
    ("hmc", "corr0.9"): {"n_warmup": 500, "n_draws": 1000},
    # Static HMC leaves the max R-hat over 10 coordinates above 1.01 for ~10-20% of seeds at
    # 1,000 draws (measured over 20 seeds); 2,000 draws brought that to 0 of 20.
    ("hmc", "gauss10"): {"n_warmup": 500, "n_draws": 2000},
    ("hmc", "banana"): {"n_warmup": 500, "n_draws": 2000},
    ("hmc", "mixture"): {"n_warmup": 500, "n_draws": 1000},
    ("hmc", "betabin"): {"n_warmup": 500, "n_draws": 1000},
    # In 100-D static HMC changes energy level slowly, which the folded R-hat sees: the max
    # over 100 coordinates crossed 1.01 for 3 of 4 seeds at 1,000 draws, 1 of 11 at 2,000.
    ("hmc", "gauss100"): {"n_warmup": 1000, "n_draws": 2000},
    ("nuts", "corr0.99"): {"n_warmup": 500, "n_draws": 1000},
    ("nuts", "gauss10"): {"n_warmup": 500, "n_draws": 500},
    ("nuts", "banana"): {"n_warmup": 500, "n_draws": 2000},
    ("nuts", "mixture"): {"n_warmup": 500, "n_draws": 1000},
    ("nuts", "betabin"): {"n_warmup": 500, "n_draws": 500},
}
SAMPLERS = {"metropolis": mcmc.metropolis, "hmc": mcmc.hmc, "nuts": mcmc.nuts}


@functools.cache
def _run(sampler: str, target: str, seed: int = 2024) -> tuple[mcmc.Trace, tg.Target]:
    t = TARGETS[target]()
    return SAMPLERS[sampler](t, n_chains=4, rng=seed, **RUNS[(sampler, target)]), t


def assert_matches_truth(draws: np.ndarray, mean: np.ndarray, var: np.ndarray) -> None:
    """R-hat < 1.01; mean and variance of every coordinate within Z MCSE of the truth."""
    for i in range(draws.shape[2]):
        x = draws[:, :, i]
        assert mcmc.rhat(x) < 1.01, f"coordinate {i}: R-hat {mcmc.rhat(x):.4f}"
        err = abs(x.mean() - mean[i])
        assert err < Z * mcmc.mcse_mean(x), f"coordinate {i}: mean off by {err:.4g}"
        sq = (x - mean[i]) ** 2
        err_v = abs(sq.mean() - var[i])
        assert err_v < Z * mcmc.mcse_mean(sq), f"coordinate {i}: variance off by {err_v:.4g}"


@pytest.mark.parametrize(("sampler", "target"), list(RUNS), ids=[f"{s}-{t}" for s, t in RUNS])
def test_sampler_recovers_truth(sampler: str, target: str) -> None:
    trace, t = _run(sampler, target)
    assert t.mean is not None and t.var is not None
    assert trace.draws.shape == (4, RUNS[(sampler, target)]["n_draws"], t.dim)
    assert_matches_truth(trace.draws, t.mean, t.var)
    if target.startswith(("corr", "gauss")):
        assert trace.n_divergent == 0  # nothing in a Gaussian should diverge


@pytest.mark.slow
def test_nuts_on_100d_gaussian() -> None:
    t = tg.gaussian(100)
    trace = mcmc.nuts(t, n_chains=4, n_warmup=500, n_draws=1000, rng=7)
    assert t.mean is not None and t.var is not None
    assert_matches_truth(trace.draws, t.mean, t.var)


def test_beta_binomial_posterior_mean_of_p() -> None:
    # σ(θ) over NUTS draws estimates the conjugate posterior mean A/(A + B) = 6/9 (course:
    # prior Beta(2, 2), 4 heads and 1 tail), checked against scipy's Beta(6, 3).
    trace, _ = _run("nuts", "betabin")
    p = special.expit(trace.draws[:, :, 0])
    assert abs(p.mean() - stats.beta(6, 3).mean()) < Z * mcmc.mcse_mean(p)


class TestNuts:
    def test_stats_are_consistent(self) -> None:
        trace, _ = _run("nuts", "gauss10")
        st = trace.stats
        assert set(st) == set(mcmc.STAT_NAMES)
        # Stan's doubling: a tree of depth j holds 2^j − 1 leapfrog steps, plus up to 2^j of a
        # rejected (U-turning or divergent) last subtree that did not count as depth.
        assert np.all(st["n_leapfrog"] >= 2 ** st["tree_depth"] - 1)
        assert np.all(st["n_leapfrog"] <= 2 ** (st["tree_depth"] + 1) - 1)
        assert np.all(st["n_leapfrog"] >= 1)
        assert trace.n_grad_evals_sampling == int(st["n_leapfrog"].sum())
        assert trace.n_grad_evals > trace.n_grad_evals_sampling
        assert np.all((st["accept_stat"] >= 0) & (st["accept_stat"] <= 1))
        np.testing.assert_array_equal(st["step_size"], np.repeat(trace.step_size[:, None], trace.n_draws, 1))

    def test_adaptation_hits_target_and_learns_the_metric(self) -> None:
        trace, t = _run("nuts", "gauss10")
        # Stan's dual averaging lands the mean acceptance statistic near (usually above) δ = 0.8
        assert 0.7 < trace.stats["accept_stat"].mean() < 0.97
        # The last window (n = 200 warm-up draws, ESS ≳ n for NUTS on a Gaussian) estimates the
        # variances with relative SE √(2/200) = 0.1; allow 4 SE.
        assert t.var is not None
        np.testing.assert_allclose(trace.inv_metric / t.var, 1.0, atol=0.4)

    def test_funnel_divergences_are_reported(self) -> None:
        # ε = 1 suits the funnel's mouth (scale ~ 1) but not its neck (scale e^{v/2} ≪ 1).
        trace = mcmc.nuts(tg.funnel(10), n_chains=2, n_warmup=0, n_draws=200, rng=3, step_size=1.0)
        assert trace.n_divergent > 20
        assert trace.draws.shape == (2, 200, 10)  # divergent transitions are kept, not dropped
        assert trace.n_divergent == int(trace.stats["divergent"].sum())

    def test_huge_step_size_makes_every_transition_divergent(self) -> None:
        # ε = 100 on N(0, 1): one leapfrog step changes H by ~ε⁴/8 ≫ 1000 (Stan's threshold),
        # so the first leaf is divergent, the tree is rejected and the chain never moves.
        trace = mcmc.nuts(tg.gaussian(2), n_chains=1, n_warmup=0, n_draws=10, rng=1,
                          step_size=100.0, init=[0.5, 0.5])  # fmt: skip
        assert trace.stats["divergent"].all()
        assert np.all(trace.draws == 0.5)
        assert np.all(trace.stats["tree_depth"] == 0)

    def test_trajectories(self) -> None:
        trace = mcmc.nuts(tg.correlated_gaussian(0.5), n_chains=1, n_warmup=100, n_draws=20, rng=5,
                          keep_trajectories=True)  # fmt: skip
        assert trace.trajectories is not None and len(trace.trajectories[0]) == 20
        prev = trace.warmup_draws[0, -1]
        for i, path in enumerate(trace.trajectories[0]):
            assert path.shape == (trace.stats["n_leapfrog"][0, i] + 1, 2)
            assert any(np.array_equal(prev, row) for row in path)  # starts from the last draw
            assert any(np.array_equal(trace.draws[0, i], row) for row in path)  # draw is on it
            prev = trace.draws[0, i]

    def test_max_tree_depth(self) -> None:
        trace = mcmc.nuts(tg.correlated_gaussian(0.99), n_chains=1, n_warmup=50, n_draws=20, rng=1,
                          max_tree_depth=2)  # fmt: skip
        assert trace.stats["tree_depth"].max() <= 2
        assert trace.stats["n_leapfrog"].max() <= 3


class TestHmc:
    def test_energy_error_shrinks_as_step_squared(self) -> None:
        # Leapfrog is second order: over a fixed path, the energy error scales as ε².
        t = tg.gaussian(2)
        errs = []
        for eps, steps in ((0.2, 10), (0.1, 20)):  # same path length 2
            tr = mcmc.hmc(t, n_chains=1, n_warmup=0, n_draws=200, rng=9, step_size=eps,
                          n_leapfrog=steps, jitter=0.0)  # fmt: skip
            errs.append(np.abs(tr.stats["energy_error"]).mean())
        assert 3.0 < errs[0] / errs[1] < 5.0  # ≈ 4 = (0.2/0.1)²

    def test_trajectories_for_plotting(self) -> None:
        tr = mcmc.hmc(tg.gaussian(2), n_chains=2, n_warmup=50, n_draws=5, rng=1, n_leapfrog=7,
                      keep_trajectories=True)  # fmt: skip
        assert tr.trajectories is not None
        for c in range(2):
            for i in range(5):
                path = tr.trajectories[c][i]
                assert path.shape == (8, 2)
                accepted = np.array_equal(tr.draws[c, i], path[-1])
                stayed = np.array_equal(tr.draws[c, i], path[0])
                assert accepted or stayed

    def test_acceptance_is_metropolis_of_energy_error(self) -> None:
        tr = mcmc.hmc(tg.gaussian(3), n_chains=1, n_warmup=100, n_draws=50, rng=2)
        np.testing.assert_allclose(
            tr.stats["accept_stat"], np.minimum(1.0, np.exp(-tr.stats["energy_error"]))
        )


class TestMetropolis:
    def test_tuned_toward_0234(self) -> None:
        trace, _ = _run("metropolis", "gauss10")
        # Mean acceptance over 80 000 correlated draws: SE ≈ 0.01 at most; tuning noise adds more.
        assert abs(trace.stats["accept_stat"].mean() - 0.234) < 0.05
        assert trace.n_grad_evals == 0

    def test_warmup_is_kept_for_plots(self) -> None:
        trace, _ = _run("metropolis", "corr0.9")
        assert trace.warmup_draws.shape == (4, 2000, 2)


class TestGibbs:
    def test_bivariate_gaussian(self) -> None:
        trace = mcmc.gibbs_bivariate_gaussian(0.9, n_chains=4, n_warmup=500, n_draws=5000, rng=1)
        assert_matches_truth(trace.draws, np.zeros(2), np.ones(2))

    def test_slow_mixing_under_strong_correlation(self) -> None:
        # The x1 chain is AR(1) with φ = ρ²: lag-1 autocorrelation ρ², ESS/S = (1 − ρ⁴)/(1 + ρ²)²…
        # simply (1 − φ)/(1 + φ) for an AR(1). SE of ρ̂(1) ≈ √((1 − φ²)/S).
        rho = 0.99
        trace = mcmc.gibbs_bivariate_gaussian(rho, n_chains=4, n_warmup=2000, n_draws=20000, rng=2)
        x1 = trace.draws[:, :, 0]
        acf1 = np.mean([mcmc.autocorrelation(x1[c])[1] for c in range(4)])
        phi = rho**2
        assert acf1 == pytest.approx(phi, abs=Z * math.sqrt((1 - phi**2) / x1.size) + 2e-3)
        ess_per_draw = mcmc.ess_bulk(x1) / x1.size
        assert ess_per_draw < 0.02  # theory: (1 − φ)/(1 + φ) = 0.005
        weak = mcmc.gibbs_bivariate_gaussian(0.3, n_chains=4, n_warmup=100, n_draws=2000, rng=2)
        assert mcmc.ess_bulk(weak.draws[:, :, 0]) / weak.draws[:, :, 0].size > 0.5

    def test_normal_gamma_against_scipy(self) -> None:
        y = np.random.default_rng(0).normal(1.0, 2.0, size=15)
        post = mcmc.normal_gamma_posterior(y, mu0=0.0, kappa0=1.0, alpha0=2.0, beta0=2.0)
        # Independent reference: τ ~ Gamma(αₙ, rate βₙ) and μ ~ t_{2αₙ}(μₙ, √(βₙ/(αₙκₙ))).
        tau = stats.gamma(post.alpha, scale=1 / post.beta)
        mu = stats.t(2 * post.alpha, loc=post.mu, scale=math.sqrt(post.beta / (post.alpha * post.kappa)))
        np.testing.assert_allclose(post.mean, [mu.mean(), tau.mean()], rtol=1e-12)
        np.testing.assert_allclose(post.var, [mu.var(), tau.var()], rtol=1e-12)
        trace = mcmc.gibbs_normal_gamma(y, mu0=0.0, kappa0=1.0, alpha0=2.0, beta0=2.0,
                                        n_chains=4, n_warmup=200, n_draws=3000, rng=3)  # fmt: skip
        assert_matches_truth(trace.draws, post.mean, post.var)


class TestAdaptation:
    def test_stan_window_schedule(self) -> None:
        # Stan reference manual (HMC adaptation): 1000 warm-up iterations give a 75-iteration
        # initial buffer, windows of 25, 50, 100, 200, 500 and a 50-iteration final buffer.
        first, ends = metric_window_ends(1000)
        assert first == 75
        assert np.diff([first - 1, *ends]).tolist() == [25, 50, 100, 200, 500]
        assert ends[-1] == 1000 - 50 - 1

    def test_short_warmup_schedule(self) -> None:
        # Stan: when 75 + 25 + 50 > n_warmup, the buffers are 15% / 75% / 10% of it.
        assert metric_window_ends(100) == (15, [89])
        assert metric_window_ends(19) == (0, [])

    def test_dual_averaging_first_steps(self) -> None:
        # Hoffman & Gelman (2014) eq. (6): μ = log(10 ε₀), γ = 0.05, t₀ = 10, κ = 0.75.
        da = DualAveraging(1.0, target_accept=0.8)
        eps1 = da.update(1.0)
        h1 = (0.8 - 1.0) / 11
        assert eps1 == pytest.approx(math.exp(math.log(10) - h1 * 1 / 0.05), rel=1e-12)
        eps2 = da.update(0.2)
        h2 = (1 - 1 / 12) * h1 + (0.8 - 0.2) / 12
        x2 = math.log(10) - h2 * math.sqrt(2) / 0.05
        assert eps2 == pytest.approx(math.exp(x2), rel=1e-12)
        x1 = math.log(10) - h1 / 0.05
        xbar2 = (1 - 2**-0.75) * x1 + 2**-0.75 * x2
        assert da.final_step_size == pytest.approx(math.exp(xbar2), rel=1e-12)


class TestReproducibility:
    @pytest.mark.parametrize("sampler", ["metropolis", "hmc", "nuts"])
    def test_same_seed_same_draws(self, sampler: str) -> None:
        fn = SAMPLERS[sampler]
        t = tg.banana(0.01)
        a = fn(t, n_chains=2, n_warmup=60, n_draws=30, rng=np.random.default_rng(42))
        b = fn(t, n_chains=2, n_warmup=60, n_draws=30, rng=np.random.default_rng(42))
        c = fn(t, n_chains=2, n_warmup=60, n_draws=30, rng=np.random.default_rng(43))
        np.testing.assert_array_equal(a.draws, b.draws)
        for name in mcmc.STAT_NAMES:
            np.testing.assert_array_equal(a.stats[name], b.stats[name])
        assert not np.array_equal(a.draws, c.draws)

    def test_gibbs_same_seed(self) -> None:
        a = mcmc.gibbs_bivariate_gaussian(0.5, n_chains=2, n_warmup=5, n_draws=10, rng=1)
        b = mcmc.gibbs_bivariate_gaussian(0.5, n_chains=2, n_warmup=5, n_draws=10, rng=1)
        np.testing.assert_array_equal(a.draws, b.draws)


class TestProgress:
    RUNS: ClassVar[dict[str, Callable[..., mcmc.Trace]]] = {
        "metropolis": lambda **kw: mcmc.metropolis(tg.banana(0.01), **kw),
        "hmc": lambda **kw: mcmc.hmc(tg.banana(0.01), **kw),
        "nuts": lambda **kw: mcmc.nuts(tg.banana(0.01), **kw),
        "gibbs": lambda **kw: mcmc.gibbs_bivariate_gaussian(0.5, **kw),
        "gibbs_normal_gamma": lambda **kw: mcmc.gibbs_normal_gamma([1.0, 2.0, 4.0], **kw),
    }
    SEQUENTIAL: ClassVar[set[str]] = {"hmc", "nuts"}  # chains one after the other

    @pytest.mark.parametrize("sampler", list(RUNS))
    def test_fractions_rise_to_one_and_the_draws_do_not_change(self, sampler: str) -> None:
        seen: list[float] = []
        sizes = {"n_chains": 3, "n_warmup": 150, "n_draws": 120}
        with_progress = self.RUNS[sampler](**sizes, rng=5, progress=seen.append)
        without = self.RUNS[sampler](**sizes, rng=5)
        np.testing.assert_array_equal(with_progress.draws, without.draws)
        # Every 100 iterations of the whole run (all chains when they run one by one) + the end.
        total = (3 if sampler in self.SEQUENTIAL else 1) * (150 + 120)
        assert seen == [*(k * 100 / total for k in range(1, total // 100 + 1)), 1.0]

    @pytest.mark.parametrize("sampler", list(RUNS))
    def test_progress_must_be_callable(self, sampler: str) -> None:
        with pytest.raises(TypeError, match="`progress` must be callable or None; got str"):
            self.RUNS[sampler](n_chains=2, n_warmup=10, n_draws=10, rng=0, progress="bar")


class TestBadInput:
    @pytest.mark.parametrize("sampler", ["metropolis", "hmc", "nuts"])
    @pytest.mark.parametrize("bad", [math.nan, math.inf])
    def test_log_density_not_finite_at_start(self, sampler: str, bad: float) -> None:
        t = tg.Target(name="bad", dim=1, logp_grad=lambda x: (np.full(x.shape[:-1], bad), np.zeros_like(x)),
                      mean=None, var=None, cov=None, init=np.zeros(1))  # fmt: skip
        with pytest.raises(ValueError, match=f"log density of `target` must be finite at the start point of chain 0; got {bad}"):
            SAMPLERS[sampler](t, n_chains=1, n_warmup=10, n_draws=10, rng=0)

    def test_zero_density_at_start(self) -> None:
        t = tg.from_log_density(lambda x: -0.5 * float(x @ x) if x[0] > 0 else -math.inf, init=[1.0])
        with pytest.raises(ValueError, match=r"log density of `target` is -inf \(zero density\)"):
            mcmc.nuts(t, n_chains=1, n_warmup=10, n_draws=10, rng=0, init=[-1.0])

    @pytest.mark.parametrize("sampler", ["hmc", "nuts"])
    def test_gradient_of_wrong_shape(self, sampler: str) -> None:
        t = tg.Target(name="bad", dim=2, logp_grad=lambda x: (-0.5 * np.sum(x * x, -1), np.zeros(3)),
                      mean=None, var=None, cov=None, init=np.zeros(2))  # fmt: skip
        with pytest.raises(ValueError, match=r"gradient of `target` must have shape \(2,\); got \(3,\)"):
            SAMPLERS[sampler](t, n_chains=1, n_warmup=10, n_draws=10, rng=0)

    @pytest.mark.parametrize("sampler", ["metropolis", "hmc", "nuts"])
    def test_too_few_draws(self, sampler: str) -> None:
        with pytest.raises(ValueError, match="`n_draws` must be >= 4; got 3"):
            SAMPLERS[sampler](tg.gaussian(1), n_chains=1, n_warmup=10, n_draws=3, rng=0)

    def test_gibbs_too_few_draws(self) -> None:
        with pytest.raises(ValueError, match="`n_draws` must be >= 4; got 2"):
            mcmc.gibbs_bivariate_gaussian(0.5, n_draws=2, rng=0)

    def test_rhat_of_one_chain(self) -> None:
        trace = mcmc.metropolis(tg.gaussian(1), n_chains=1, n_warmup=10, n_draws=20, rng=0)
        with pytest.raises(ValueError, match="`chains` must have at least 2 chains; got 1"):
            trace.rhat()

    def test_n_chains(self) -> None:
        with pytest.raises(ValueError, match="`n_chains` must be >= 1; got 0"):
            mcmc.nuts(tg.gaussian(1), n_chains=0, rng=0)

    @pytest.mark.parametrize("value", [0.0, 1.0])
    def test_target_accept(self, value: float) -> None:
        with pytest.raises(ValueError, match=r"`target_accept` must lie in \(0, 1\)"):
            mcmc.nuts(tg.gaussian(1), target_accept=value, rng=0)

    def test_step_size(self) -> None:
        with pytest.raises(ValueError, match=r"`step_size` must be > 0; got -0\.1"):
            mcmc.hmc(tg.gaussian(1), step_size=-0.1, rng=0)

    def test_jitter(self) -> None:
        with pytest.raises(ValueError, match=r"`jitter` must lie in \[0, 1\); got 1.0"):
            mcmc.hmc(tg.gaussian(1), jitter=1.0, rng=0)

    def test_init_shape(self) -> None:
        with pytest.raises(ValueError, match=r"`init` must have shape \(2,\) or \(4, 2\); got \(3,\)"):
            mcmc.nuts(tg.gaussian(2), init=[0.0, 0.0, 0.0], rng=0)

    def test_not_a_target(self) -> None:
        with pytest.raises(TypeError, match=r"`target` must be a core\.mcmc Target"):
            mcmc.nuts(lambda x: 0.0, rng=0)  # type: ignore[arg-type]

    def test_rng_type(self) -> None:
        with pytest.raises(TypeError, match="`rng` must be a numpy Generator, an integer seed or None"):
            mcmc.nuts(tg.gaussian(1), rng="seed")  # type: ignore[arg-type]

    def test_max_tree_depth(self) -> None:
        with pytest.raises(ValueError, match="`max_tree_depth` must be >= 1; got 0"):
            mcmc.nuts(tg.gaussian(1), max_tree_depth=0, rng=0)


def test_hmc_path_length_sets_the_step_count() -> None:
    tr = mcmc.hmc(tg.gaussian(2), n_chains=1, n_warmup=0, n_draws=10, rng=1, step_size=0.3,
                  jitter=0.0, path_length=2.0)  # fmt: skip
    assert np.all(tr.stats["n_leapfrog"] == math.ceil(2.0 / 0.3))


def test_hmc_path_length_must_be_positive() -> None:
    with pytest.raises(ValueError, match=r"`path_length` must be > 0; got 0\.0"):
        mcmc.hmc(tg.gaussian(1), path_length=0.0, rng=0)


def test_energy_stat_has_the_gaussian_expectation() -> None:
    # On N(0, diag(s²)) in d dimensions, H = −log π(q) + ½pᵀM⁻¹p has expectation
    # d/2 + ½Σlog(2πs²) (potential) + d/2 (kinetic, with p ~ N(0, M)). Tolerance: 4 MCSE.
    trace, t = _run("nuts", "gauss10")
    assert t.var is not None
    expected = t.dim + 0.5 * float(np.sum(np.log(2 * np.pi * t.var)))
    energy = trace.stats["energy"]
    assert abs(energy.mean() - expected) < Z * mcmc.mcse_mean(energy)
    assert np.all(trace.ebfmi() > 0.3)  # Betancourt's threshold for adequate energy exploration


def test_gibbs_normal_gamma_energy_is_the_exact_density() -> None:
    # −log NG(μ, τ) = −[log Gamma(τ; αₙ, rate βₙ) + log N(μ; μₙ, 1/(κₙτ))], via scipy.
    y = np.array([0.5, 1.5, 2.0, 0.2])
    post = mcmc.normal_gamma_posterior(y)
    trace = mcmc.gibbs_normal_gamma(y, n_chains=2, n_warmup=5, n_draws=10, rng=4)
    mu, tau = trace.draws[..., 0], trace.draws[..., 1]
    ref = stats.gamma(post.alpha, scale=1 / post.beta).logpdf(tau) + stats.norm(
        post.mu, 1 / np.sqrt(post.kappa * tau)
    ).logpdf(mu)
    np.testing.assert_allclose(trace.stats["energy"], -ref, rtol=1e-10)


def test_nuts_on_a_user_density_with_finite_difference_gradients() -> None:
    # A user log density (unnormalised N((1, −2), diag(1, 4))) without a gradient.
    def log_density(x: np.ndarray) -> float:
        return -0.5 * ((x[0] - 1.0) ** 2 + (x[1] + 2.0) ** 2 / 4.0)

    t = tg.from_log_density(log_density, init=[0.0, 0.0], mean=[1.0, -2.0], var=[1.0, 4.0])
    trace = mcmc.nuts(t, n_chains=4, n_warmup=300, n_draws=500, rng=8)
    assert t.mean is not None and t.var is not None
    assert_matches_truth(trace.draws, t.mean, t.var)
