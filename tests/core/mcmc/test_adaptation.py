"""NUTS and its warm-up against transcriptions of Stan's own code.

The references below are written from Stan's C++ (stan-dev/stan, src/stan/mcmc/):
``hmc/nuts/base_nuts.hpp`` (transition, build_tree), ``windowed_adaptation.hpp`` and
``var_adaptation.hpp`` (the metric windows and the regularised variance), and
``services/sample/hmc_nuts_diag_e_adapt.hpp`` (μ of the first dual-averaging stage).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from core import mcmc
from core.mcmc import targets as tg
from core.mcmc.adaptation import DualAveraging, WelfordVariance, metric_window_ends
from core.mcmc.hmc import HamiltonianChain
from core.mcmc.nuts import _NutsTransition


def stan_window_ends(
    num_warmup: int, init_buffer: int = 75, term_buffer: int = 50, base_window: int = 25
) -> tuple[int, list[int]]:
    """Stan's windowed_adaptation stepped through every warm-up iteration.

    set_window_params, restart, end_adaptation_window and compute_next_window, as in
    windowed_adaptation.hpp; returns the first windowed iteration and the iterations at
    which learn_variance returns true (the metric updates). In the too-short case this
    follows the documented 15% / 75% / 10% split.
    """
    if num_warmup < 20:
        return 0, []
    if init_buffer + base_window + term_buffer > num_warmup:
        init_buffer = int(0.15 * num_warmup)
        term_buffer = int(0.1 * num_warmup)
        base_window = num_warmup - (init_buffer + term_buffer)
    window_size = base_window
    next_window = init_buffer + window_size - 1
    last = num_warmup - term_buffer - 1
    updates = []
    for counter in range(num_warmup):
        if counter == next_window and counter != num_warmup:
            if next_window != last:
                window_size *= 2
                next_window = counter + window_size
                if next_window != last and next_window + 2 * window_size >= num_warmup - term_buffer:
                    next_window = last
            updates.append(counter)
    return init_buffer, updates


@pytest.mark.parametrize("n_warmup", [0, 19, 20, 21, 50, 100, 149, 150, 151, 175, 200, 300,
                                      500, 999, 1000, 1001, 2000, 5000])  # fmt: skip
def test_window_schedule_matches_stan(n_warmup: int) -> None:
    assert metric_window_ends(n_warmup) == stan_window_ends(n_warmup)


@pytest.mark.parametrize(("init", "term", "window"), [(75, 200, 25), (100, 50, 50), (10, 10, 5)])
def test_window_schedule_with_other_buffers_matches_stan(init: int, term: int, window: int) -> None:
    for n_warmup in (150, 400, 1000, 3000):
        ours = metric_window_ends(n_warmup, init_buffer=init, term_buffer=term, base_window=window)
        assert ours == stan_window_ends(n_warmup, init, term, window)


def test_regularised_variance_is_stans() -> None:
    # var_adaptation.hpp: (n/(n + 5)) · s² + 1e-3 · 5/(n + 5), s² the sample variance (numpy's ddof=1).
    x = np.random.default_rng(0).normal([0.0, 5.0, -2.0], [1.0, 0.1, 30.0], size=(40, 3))
    w = WelfordVariance(3)
    for row in x:
        w.add(row)
    n = len(x)
    expected = n / (n + 5.0) * np.var(x, axis=0, ddof=1) + 1e-3 * 5.0 / (n + 5.0)
    np.testing.assert_allclose(w.regularised_variance(), expected, rtol=1e-12)


def test_dual_averaging_starts_at_ten_times_the_nominal_step_and_only_its_average_restarts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # hmc_nuts_diag_e_adapt.hpp calls set_mu(log(10 * stepsize)) with the nominal stepsize 1
    # before init_stepsize. Unlike Stan, a metric update restarts only the average x̄.
    restarts: list[float] = []
    average_restarts: list[int] = []
    original_restart, original_average = DualAveraging.restart, DualAveraging.restart_average

    def spy_restart(self: DualAveraging, step_size: float) -> None:
        restarts.append(step_size)
        original_restart(self, step_size)

    def spy_average(self: DualAveraging) -> None:
        average_restarts.append(self.counter)
        original_average(self)

    monkeypatch.setattr(DualAveraging, "restart", spy_restart)
    monkeypatch.setattr(DualAveraging, "restart_average", spy_average)
    mcmc.nuts(tg.correlated_gaussian(0.9), n_chains=1, n_warmup=1000, n_draws=10, rng=4)
    assert restarts == [1.0]
    # Once at set-up, then after the metric updates at iterations 99, 149, 249, 449, 949.
    assert average_restarts == [0, 100, 150, 250, 450, 950]


def test_restarting_the_average_keeps_the_iterate() -> None:
    # Hand-rolled Hoffman & Gelman (2014) eq. (6) with x̄ re-weighted from n = 1 after t = 3.
    alphas = [1.0, 0.2, 0.9, 0.5, 0.95]
    da = DualAveraging(0.5, target_accept=0.8)
    mu, s_bar, xs = math.log(5.0), 0.0, []
    for t, alpha in enumerate(alphas, start=1):
        s_bar = (1 - 1 / (t + 10)) * s_bar + (0.8 - alpha) / (t + 10)
        xs.append(mu - math.sqrt(t) * s_bar / 0.05)
    for t, alpha in enumerate(alphas, start=1):
        assert da.update(alpha) == pytest.approx(math.exp(xs[t - 1]), rel=1e-12)
        if t == 3:
            da.restart_average()
    x_bar = xs[3]  # n = 1: weight 1 on x₄
    x_bar = (1 - 2**-0.75) * x_bar + 2**-0.75 * xs[4]
    assert da.final_step_size == pytest.approx(math.exp(x_bar), rel=1e-12)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_adapted_step_size_lands_near_the_target_acceptance(seed: int) -> None:
    # Stan's from-scratch restart before its 50-iteration terminal window ends near 0.93 on
    # this target (28 ESS per 1k gradients in real Stan); carrying the iterate on ends near δ.
    trace = mcmc.nuts(tg.correlated_gaussian(0.9), n_chains=4, n_warmup=1000, n_draws=500, rng=seed)
    assert 0.72 < float(trace.stats["accept_stat"].mean()) < 0.9


class StanNuts:
    """Multinomial NUTS transcribed from Stan's base_nuts.hpp (transition and build_tree).

    Kept deliberately literal: mutable state on ``self`` like Stan's members, the three
    U-turn checks evaluated everywhere (no short cuts), ``np.logaddexp`` for log_sum_exp.
    Draws its randomness in Stan's order: the momentum, then per doubling a direction
    uniform and the uniforms of the progressive multinomial sampling.
    """

    def __init__(self, logp_grad: Any, inv_m: np.ndarray, eps: float, max_depth: int,
                 rng: np.random.Generator) -> None:  # fmt: skip
        self.f, self.inv_m, self.eps, self.max_depth, self.rng = logp_grad, inv_m, eps, max_depth, rng
        self.z: tuple[Any, ...] = ()
        self.n_leapfrog, self.sum_metro_prob, self.divergent = 0, 0.0, False

    def hamiltonian(self, z: tuple[Any, ...]) -> float:
        _, p, logp, _ = z
        h = 0.5 * float(p.dot(self.inv_m * p)) - logp
        return math.inf if math.isnan(h) else h

    def evolve(self, z: tuple[Any, ...], eps: float) -> tuple[Any, ...]:
        q, p, logp, g = z
        p = p + (0.5 * eps) * g
        q = q + eps * (self.inv_m * p)
        logp, g = self.f(q)
        p = p + (0.5 * eps) * g
        return q, p, float(logp), g

    @staticmethod
    def criterion(p_sharp_minus: np.ndarray, p_sharp_plus: np.ndarray, rho: np.ndarray) -> bool:
        return bool(p_sharp_plus.dot(rho) > 0 and p_sharp_minus.dot(rho) > 0)

    def build_tree(self, depth: int, sign: float, h0: float) -> tuple[Any, ...]:
        """Returns (valid, z_propose, p_sharp_beg, p_sharp_end, rho, p_beg, p_end, log_sum_weight)."""
        if depth == 0:
            self.z = self.evolve(self.z, sign * self.eps)
            self.n_leapfrog += 1
            h = self.hamiltonian(self.z)
            if h - h0 > 1000.0:
                self.divergent = True
            self.sum_metro_prob += 1.0 if h0 - h > 0 else math.exp(h0 - h)
            p = self.z[1]
            p_sharp = self.inv_m * p
            return (not self.divergent, self.z, p_sharp, p_sharp, p, p, p, h0 - h)
        valid, z_propose, ps_beg, ps_init_end, rho_init, p_beg, p_init_end, lsw_init = (
            self.build_tree(depth - 1, sign, h0))  # fmt: skip
        if not valid:
            return (False, None, None, None, None, None, None, -math.inf)
        valid, z_propose_final, ps_final_beg, ps_end, rho_final, p_final_beg, p_end, lsw_final = (
            self.build_tree(depth - 1, sign, h0))  # fmt: skip
        if not valid:
            return (False, None, None, None, None, None, None, -math.inf)
        lsw_subtree = float(np.logaddexp(lsw_init, lsw_final))
        if lsw_final > lsw_subtree:
            z_propose = z_propose_final
        elif self.rng.random() < math.exp(lsw_final - lsw_subtree):
            z_propose = z_propose_final
        rho = rho_init + rho_final
        persist = self.criterion(ps_beg, ps_end, rho)
        persist &= self.criterion(ps_beg, ps_final_beg, rho_init + p_final_beg)
        persist &= self.criterion(ps_init_end, ps_end, rho_final + p_init_end)
        return (persist, z_propose, ps_beg, ps_end, rho, p_beg, p_end, lsw_subtree)

    def transition(self, z0: tuple[Any, ...]) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
        p0 = self.rng.standard_normal(len(self.inv_m)) * (1.0 / np.sqrt(self.inv_m))
        z0 = (z0[0], p0, z0[2], z0[3])
        z_fwd = z_bck = z_sample = z0
        ps0 = self.inv_m * p0
        p_fwd_fwd = p_fwd_bck = p_bck_fwd = p_bck_bck = p0
        ps_fwd_fwd = ps_fwd_bck = ps_bck_fwd = ps_bck_bck = ps0
        rho = p0
        log_sum_weight = 0.0
        h0 = self.hamiltonian(z0)
        self.n_leapfrog, self.sum_metro_prob, self.divergent = 0, 0.0, False
        depth = 0
        while depth < self.max_depth:
            if self.rng.random() > 0.5:
                self.z = z_fwd
                rho_bck, p_bck_fwd, ps_bck_fwd = rho, p_fwd_fwd, ps_fwd_fwd
                (valid, z_propose, ps_fwd_bck, ps_fwd_fwd, rho_fwd, p_fwd_bck, p_fwd_fwd,
                 lsw_subtree) = self.build_tree(depth, 1.0, h0)  # fmt: skip
                z_fwd = self.z
            else:
                self.z = z_bck
                rho_fwd, p_fwd_bck, ps_fwd_bck = rho, p_bck_bck, ps_bck_bck
                (valid, z_propose, ps_bck_fwd, ps_bck_bck, rho_bck, p_bck_fwd, p_bck_bck,
                 lsw_subtree) = self.build_tree(depth, -1.0, h0)  # fmt: skip
                z_bck = self.z
            if not valid:
                break
            depth += 1
            if lsw_subtree > log_sum_weight:
                z_sample = z_propose
            elif self.rng.random() < math.exp(lsw_subtree - log_sum_weight):
                z_sample = z_propose
            log_sum_weight = float(np.logaddexp(log_sum_weight, lsw_subtree))
            rho = rho_bck + rho_fwd
            persist = self.criterion(ps_bck_bck, ps_fwd_fwd, rho)
            persist &= self.criterion(ps_bck_bck, ps_fwd_bck, rho_bck + p_fwd_bck)
            persist &= self.criterion(ps_bck_fwd, ps_fwd_fwd, rho_fwd + p_bck_fwd)
            if not persist:
                break
        h = self.hamiltonian(z_sample)
        stats = (self.sum_metro_prob / self.n_leapfrog, depth, self.n_leapfrog, self.divergent, h)
        return z_sample, stats


@pytest.mark.parametrize(
    ("target", "inv_metric", "eps", "max_depth"),
    [
        (tg.correlated_gaussian(0.9), [1.0, 1.0], 0.45, 10),
        (tg.gaussian(5, scales=[0.3, 1.0, 2.0, 5.0, 0.7]), [0.1, 1.2, 3.5, 20.0, 0.5], 0.6, 10),
        (tg.banana(0.03), [60.0, 8.0], 0.3, 10),
        (tg.correlated_gaussian(0.99), [1.0, 1.0], 0.1, 3),  # hits the maximum depth
        (tg.funnel(5), [1.0] * 5, 1.0, 10),  # divergences in the neck
    ],
    ids=["corr0.9", "gauss5-metric", "banana-metric", "max-depth", "funnel-divergent"],
)
def test_transition_matches_stans_base_nuts(target: tg.Target, inv_metric: list[float],
                                            eps: float, max_depth: int) -> None:  # fmt: skip
    # Same generator state on both sides: every draw, depth, step count, divergence flag
    # and acceptance statistic must agree, so the multinomial sampling, the three U-turn
    # checks per merge and the accept statistic over all leaves are Stan's.
    inv_m = np.asarray(inv_metric)
    chain = HamiltonianChain(target, np.random.default_rng(11), keep_trajectories=False)
    chain.set_inv_metric(inv_m)
    ours = _NutsTransition(chain, max_depth)
    ref = StanNuts(target.logp_grad, inv_m, eps, max_depth, np.random.default_rng(11))
    q = target.init + 0.5
    logp, g = target.logp_grad(q)
    logp = float(logp)
    z = (q, None, logp, g)
    n_divergent = depth_hits = 0
    for _ in range(300):
        q, logp, g, st, _ = ours(q, logp, g, eps)
        z, ref_st = ref.transition(z)
        np.testing.assert_allclose(q, z[0], rtol=1e-12, atol=1e-12)
        accept, _, depth, n_leapfrog, divergent, energy, _ = st[:7]
        assert (depth, n_leapfrog, divergent) == ref_st[1:4]
        assert accept == pytest.approx(ref_st[0], rel=1e-12)
        assert energy == pytest.approx(ref_st[4], rel=1e-12, abs=1e-12)
        n_divergent += divergent
        depth_hits += depth == max_depth
    if target.name.startswith("funnel"):
        assert n_divergent > 0
    if max_depth == 3:
        assert depth_hits > 0


@pytest.mark.parametrize(("n_warmup", "init", "term", "window"),
                         [(1000, 75, 50, 25), (1000, 75, 300, 25), (400, 30, 100, 20), (120, 75, 50, 25)])  # fmt: skip
def test_nuts_updates_the_metric_on_stans_schedule(
    monkeypatch: pytest.MonkeyPatch, n_warmup: int, init: int, term: int, window: int
) -> None:
    # Every metric update must use exactly the draws of one of Stan's windows.
    sizes: list[int] = []
    original = WelfordVariance.regularised_variance

    def spy(self: WelfordVariance) -> np.ndarray:
        sizes.append(self.n)
        return original(self)

    monkeypatch.setattr(WelfordVariance, "regularised_variance", spy)
    mcmc.nuts(tg.gaussian(2), n_chains=1, n_warmup=n_warmup, n_draws=10, rng=1,
              adapt_init_buffer=init, adapt_term_buffer=term, adapt_window=window)  # fmt: skip
    first, ends = stan_window_ends(n_warmup, init, term, window)
    assert sizes == np.diff([first - 1, *ends]).tolist()


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("adapt_init_buffer", -1, "`adapt_init_buffer` must be >= 0; got -1"),
        ("adapt_term_buffer", -5, "`adapt_term_buffer` must be >= 0; got -5"),
        ("adapt_window", 0, "`adapt_window` must be >= 1; got 0"),
    ],
)
def test_bad_window_options(option: str, value: int, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        mcmc.nuts(tg.gaussian(1), rng=0, **{option: value})  # type: ignore[arg-type]


def test_window_option_must_be_an_integer() -> None:
    with pytest.raises(TypeError, match="`adapt_window` must be an integer"):
        mcmc.nuts(tg.gaussian(1), rng=0, adapt_window=2.5)  # type: ignore[arg-type]
