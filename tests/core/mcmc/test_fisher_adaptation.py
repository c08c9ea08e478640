"""adaptation="fisher": nutpie's diagonal mass matrix, its schedule, and the draws it gives.

References: closed forms for Gaussians (for N(0, diag σ²) the gradient is −x/σ², so
√(var x / var ∇) is σ² on any sample; for the correlated Gaussian it tends to
√(Σ_ii / (Σ⁻¹)_ii) = √(1 − ρ²)), nuts-rs's running variance recomputed from prefix means, and the switch points of
nuts-rs's ``adapt_strategy.rs`` worked out by hand for 1,000 warm-up iterations.
"""

from __future__ import annotations

import numpy as np
import pytest

from core import mcmc
from core.mcmc import targets as tg
from core.mcmc.adaptation import DualAveraging
from core.mcmc.fisher_adaptation import (
    INITIAL_STEP,
    DrawGradVariance,
    FisherWarmup,
    feeds_estimator,
    fisher_diagonal,
    gradient_diagonal,
    symmetric_accept,
)
from core.mcmc.hmc import HamiltonianChain
from core.mcmc.nuts import _NutsTransition
from tests.core.mcmc.test_samplers import assert_matches_truth

SCALES = np.array([0.2, 1.0, 3.0, 10.0])


def nuts_rs_variance(x: np.ndarray) -> np.ndarray:
    """nuts-rs's running variance (``array_update_variance`` in src/math/cpu_math.rs).

    Value k (k ≥ 2) adds (x_k − mean of the first k − 1 values)²; the sum is divided by
    n − 1. Computed here from prefix means, not by a running update.
    """
    n = len(x)
    prefix_means = np.cumsum(x, axis=0)[:-1] / np.arange(1, n)[:, None]
    return ((x[1:] - prefix_means) ** 2).sum(axis=0) / (n - 1)


def test_running_variances_follow_nuts_rs() -> None:
    rng = np.random.default_rng(3)
    x, g = rng.normal(size=(50, 3)) * [1, 2, 3], rng.normal(size=(50, 3))
    est = DrawGradVariance(3)
    for xi, gi in zip(x, g, strict=True):
        est.add(xi, gi)
    np.testing.assert_allclose(est.mean_x, x.mean(axis=0), rtol=1e-12)
    expected = np.sqrt(nuts_rs_variance(x) / nuts_rs_variance(g))
    np.testing.assert_allclose(est.inv_metric(), expected, rtol=1e-12)
    # Each term is (1 + 1/(k − 1)) times Welford's, so it sits a little above numpy's.
    welford = np.sqrt(x.var(axis=0, ddof=1) / g.var(axis=0, ddof=1))
    assert not np.allclose(est.inv_metric(), welford, rtol=1e-6)
    np.testing.assert_allclose(est.inv_metric(), welford, rtol=0.15)


def test_two_values_give_their_squared_difference() -> None:
    # nuts-rs: the first value only sets the mean; the second adds (x2 − x1)², over n − 1 = 1.
    est = DrawGradVariance(1)
    est.add(np.array([1.0]), np.array([0.0]))
    est.add(np.array([4.0]), np.array([2.0]))
    assert est.m2_x.tolist() == [9.0] and est.m2_g.tolist() == [4.0]
    np.testing.assert_allclose(est.inv_metric(), [1.5])


def test_undefined_ratio_falls_back_to_one() -> None:
    out = fisher_diagonal(np.array([1.0, 0.0, 2.0]), np.array([0.0, 0.0, 8.0]))
    np.testing.assert_array_equal(out, [1.0, 1.0, 0.5])


def test_undefined_ratio_keeps_the_previous_entry() -> None:
    # nuts-rs (fill_invalid: None) leaves such a coordinate as it was.
    previous = np.array([7.0, 3.0, 5.0])
    out = fisher_diagonal(np.array([1.0, 0.0, 2.0]), np.array([0.0, 0.0, 8.0]), previous)
    np.testing.assert_array_equal(out, [7.0, 3.0, 0.5])


def test_first_metric_is_one_over_the_gradient() -> None:
    g = np.array([-4.0, 0.5, 0.0, np.nan, 1e30])
    out = gradient_diagonal(g)
    np.testing.assert_allclose(out[:2], 1.0 / np.abs(g[:2]), rtol=1e-15)
    np.testing.assert_array_equal(out[2:], [1e20, 1.0, 1e-20])  # clamped; nan falls back to 1


def test_dual_averaging_cap_is_a_min_on_the_iterate() -> None:
    # x_t = μ − √t s̄_t/γ, capped at log π; accepting everything drives it up.
    capped = DualAveraging(0.5, max_step_size=np.pi)
    free = DualAveraging(0.5)
    s_bar, mu = 0.0, np.log(5.0)
    for t in range(1, 30):
        s_bar += (0.8 - 1.0 - s_bar) / (t + 10.0)
        x = mu - np.sqrt(t) * s_bar / 0.05
        assert free.update(1.0) == pytest.approx(np.exp(x), rel=1e-12)
        assert capped.update(1.0) == pytest.approx(min(np.exp(x), np.pi), rel=1e-12)
    assert free.final_step_size > np.pi and capped.final_step_size == pytest.approx(np.pi)


def _one_step_accept(q: np.ndarray, p: np.ndarray, eps: float) -> float:
    # A leapfrog step on N(0, I) by hand: H = ½|q|² + ½|p|², ∇log π = −q.
    p_half = p - 0.5 * eps * q
    q1 = q + eps * p_half
    p1 = p_half - 0.5 * eps * q1
    error = 0.5 * (q1 @ q1 + p1 @ p1) - 0.5 * (q @ q + p @ p)
    return min(1.0, float(np.exp(-error)))


@pytest.mark.parametrize(("start", "target"), [([1.5, -0.5], 0.8), ([-1.0, 0.0], 0.99999)])
def test_step_search_brackets_the_target_with_one_momentum(start: list[float], target: float) -> None:
    chain = HamiltonianChain(tg.gaussian(2), np.random.default_rng(4), keep_trajectories=False)
    warmup = FisherWarmup(chain, 100, target, None)
    q = np.array(start)
    p = np.random.default_rng(4).standard_normal(2)  # the momentum the search draws
    logp, g = chain.f(q)
    eps = warmup._search(q, float(logp), g)
    if _one_step_accept(q, p, INITIAL_STEP) > target:  # doubled up to the first failure
        assert _one_step_accept(q, p, eps) <= target < _one_step_accept(q, p, eps / 2)
    else:  # halved down to the first success, each trial a step backward (−ε)
        before = 2 * eps if 2 * eps == INITIAL_STEP else -2 * eps
        assert _one_step_accept(q, p, before) <= target <= _one_step_accept(q, p, -eps)
    assert np.log2(eps / INITIAL_STEP) == pytest.approx(round(np.log2(eps / INITIAL_STEP)))
    assert warmup.adapt.mu == pytest.approx(np.log(10 * eps))  # dual averaging restarted there


def test_symmetric_accept_closed_form() -> None:
    # 2·min(1, e^{−ΔH})/(1 + e^{−ΔH}): ΔH = 1 gives 2e⁻¹/(1 + e⁻¹); ΔH = −1 gives 2/(1 + e).
    assert symmetric_accept(1.0) == pytest.approx(2 * np.exp(-1) / (1 + np.exp(-1)), rel=1e-14)
    assert symmetric_accept(-1.0) == pytest.approx(2 / (1 + np.e), rel=1e-14)
    assert symmetric_accept(float("nan")) == 0.0
    assert symmetric_accept(float("inf")) == 0.0


def test_recovers_independent_variances_exactly() -> None:
    t = tg.gaussian(4, scales=SCALES)
    trace = mcmc.nuts(t, n_chains=2, n_warmup=300, n_draws=100, rng=5, adaptation="fisher")
    # Σ_ii on any sample: var(−x/σ²) = var(x)/σ⁴, so the ratio is σ² to rounding.
    np.testing.assert_allclose(trace.inv_metric, np.tile(SCALES**2, (2, 1)), rtol=1e-8)


def test_stan_needs_many_draws_for_the_same_scales() -> None:
    # Stan's windowed variance is only a sample estimate: relative SE √(2/n) per coordinate.
    t = tg.gaussian(4, scales=SCALES)
    trace = mcmc.nuts(t, n_chains=2, n_warmup=300, n_draws=100, rng=5)
    ratio = trace.inv_metric / SCALES**2
    assert np.all(np.abs(ratio - 1.0) < 0.6) and not np.allclose(ratio, 1.0, rtol=1e-3)


def test_correlated_gaussian_diagonal_is_sqrt_one_minus_rho_squared() -> None:
    rho = 0.9
    trace = mcmc.nuts(tg.correlated_gaussian(rho), n_chains=4, n_warmup=1000, n_draws=100,
                      rng=11, adaptation="fisher")  # fmt: skip
    # ≈ 470 autocorrelated draws feed the last estimate: over 12 seeds × 4 chains × 2
    # coordinates, log(M⁻¹_ii / √(1 − ρ²)) had SD 0.08 and mean −0.04, at most 0.25 off.
    log_ratio = np.log(trace.inv_metric / np.sqrt(1 - rho**2))
    assert np.all(np.abs(log_ratio) < 0.35)
    assert abs(log_ratio.mean()) < 0.12


@pytest.mark.parametrize(
    ("sampler", "make", "n_draws"),
    [
        ("nuts", lambda: tg.correlated_gaussian(0.9), 1000),
        ("nuts", lambda: tg.gaussian(10, scales=np.linspace(0.5, 3.0, 10)), 500),
        ("nuts", lambda: tg.gaussian_mixture(3.0, weight=0.5), 1000),
        ("nuts", lambda: tg.beta_binomial_logit(2, 2, 4, 1), 500),
        ("hmc", lambda: tg.gaussian(10, scales=np.linspace(0.5, 3.0, 10)), 2000),
    ],
    ids=["nuts-corr0.9", "nuts-gauss10", "nuts-mixture", "nuts-betabin", "hmc-gauss10"],
)
def test_draws_match_the_closed_form(sampler: str, make: object, n_draws: int) -> None:
    t = make()  # type: ignore[operator]
    run = mcmc.nuts if sampler == "nuts" else mcmc.hmc
    trace = run(t, n_chains=4, n_warmup=500, n_draws=n_draws, rng=2024, adaptation="fisher")
    assert t.mean is not None and t.var is not None
    assert_matches_truth(trace.draws, t.mean, t.var)
    if "gauss" in t.name:  # nothing in a Gaussian should diverge
        assert trace.n_divergent == 0


def test_same_seed_same_draws_and_jittered_steps() -> None:
    t = tg.gaussian(3, scales=[1.0, 2.0, 0.5])
    a = mcmc.nuts(t, n_chains=2, n_warmup=200, n_draws=50, rng=9, adaptation="fisher")
    b = mcmc.nuts(t, n_chains=2, n_warmup=200, n_draws=50, rng=9, adaptation="fisher")
    c = mcmc.nuts(t, n_chains=2, n_warmup=200, n_draws=50, rng=10, adaptation="fisher")
    np.testing.assert_array_equal(a.draws, b.draws)
    np.testing.assert_array_equal(a.inv_metric, b.inv_metric)
    assert not np.array_equal(a.draws, c.draws)
    # nutpie jitters each draw's step by ±10% around the adapted one.
    ratio = a.stats["step_size"] / a.step_size[:, None]
    assert np.all((ratio >= 0.9) & (ratio <= 1.1)) and ratio.std() > 0.02


def test_fixed_step_is_not_jittered() -> None:
    trace = mcmc.nuts(tg.gaussian(2), n_chains=1, n_warmup=100, n_draws=20, rng=0,
                      step_size=0.3, adaptation="fisher")  # fmt: skip
    np.testing.assert_array_equal(trace.stats["step_size"], 0.3)


def test_switch_points_follow_nuts_rs() -> None:
    # nuts-rs with 1,000 tuning draws, every draw moving: the start point seeds the
    # background estimator, so the first switch is at draw 8 (10 points), then every 10
    # draws up to draw 298 (early window: 30%); at 300 the window becomes 80 (a switch at
    # 378), then 120 (at 498); the next, 180, would end past draw 850 (the last 15% only
    # tunes the step), so there is none after 498.
    chain = HamiltonianChain(tg.gaussian(2), np.random.default_rng(0), keep_trajectories=False)
    warmup = FisherWarmup(chain, 1000, 0.8, 0.5)  # a fixed step: the schedule is the same
    q = np.array([1.0, -0.5])
    warmup.start(q, 0.0, -q)
    rng = np.random.default_rng(1)
    for i in range(1000):
        x = rng.normal(size=2)
        warmup.update(i, x, 0.0, -x, True, (0.8, 0.5, 1, 3, False, 0.0, 0.0, 0.8, 1))
    assert warmup.switches == [*range(8, 299, 10), 378, 498]
    assert warmup.final_step_size() == 0.5


def test_draws_that_did_not_move_are_not_counted() -> None:
    chain = HamiltonianChain(tg.gaussian(2), np.random.default_rng(0), keep_trajectories=False)
    warmup = FisherWarmup(chain, 100, 0.8, 0.5)
    warmup.start(np.zeros(2), 0.0, np.zeros(2))
    for i in range(30):
        warmup.update(i, np.ones(2), 0.0, -np.ones(2), False, (0.0,) * 8 + (0,))
    assert warmup.switches == [] and warmup.fg.n == 1


@pytest.mark.parametrize(("index", "divergent", "counted"),
                         [(1, False, True), (-1, False, True), (0, False, False),
                          (4, True, False), (-4, True, False), (5, True, True), (-7, True, True)])
def test_a_divergent_draw_counts_only_far_from_the_start(index, divergent, counted) -> None:
    # nuts-rs's DrawGradCollector::register_draw: |index| > 4 after a divergence, else ≠ 0.
    chain = HamiltonianChain(tg.gaussian(2), np.random.default_rng(0), keep_trajectories=False)
    warmup = FisherWarmup(chain, 100, 0.8, 0.5)
    warmup.start(np.zeros(2), 0.0, np.zeros(2))
    warmup.update(0, np.ones(2), 0.0, -np.ones(2), True, (0.5, 0.5, 3, 7, divergent, 0, 0, 0.5, index))
    assert warmup.fg.n == (2 if counted else 1)
    assert feeds_estimator(index, divergent) is counted


@pytest.mark.parametrize("seed", range(6))
def test_nuts_reports_the_draws_index_in_its_trajectory(seed) -> None:
    # The trajectory kept for a draw is backward points reversed, the start, forward points.
    target = tg.banana(0.1)
    chain = HamiltonianChain(target, np.random.default_rng(seed), keep_trajectories=True)
    transition = _NutsTransition(chain, 10)
    q = np.array([0.5, -1.0])
    logp, g = chain.grad_at(q)
    seen = set()
    for _ in range(40):
        chain.inv_m = np.ones(2)
        q1, logp, g, stats, traj = transition(q, logp, g, 0.9)
        start = int(np.flatnonzero((traj == q).all(axis=1))[0])
        assert np.array_equal(traj[start + stats[8]], q1)
        assert (stats[8] == 0) == (q1 is q)
        seen.add(np.sign(stats[8]))
        q = q1
    assert {-1, 1} <= seen  # both directions exercised


@pytest.mark.parametrize("sampler", [mcmc.nuts, mcmc.hmc])
@pytest.mark.parametrize("bad", ["nutpie", "Stan", 1, None])
def test_unknown_adaptation_is_refused(sampler: object, bad: object) -> None:
    with pytest.raises(ValueError, match="`adaptation` must be one of 'stan', 'fisher'"):
        sampler(tg.gaussian(2), n_draws=10, adaptation=bad)  # type: ignore[operator]
