"""The warm-up record of HMC, NUTS and Metropolis against facts computed apart from it.

Stan's schedule is the documented one (75-iteration initial buffer, 25-iteration first
window doubling, 50-iteration terminal buffer); each window's metric is recomputed with
numpy from that window's warm-up draws, Stan's regularised variance; nutpie's is
√(var(draws) / var(gradients)) recomputed over each of its windows (with nuts-rs's
running variance); recording must
leave the draws bit for bit as they were.
"""

from __future__ import annotations

import importlib

import numpy as np
import pytest

from core import mcmc
from core.mcmc import targets as tg
from core.mcmc.warmup_history import stan_windows, switch_windows
from tests.core.mcmc.test_fisher_adaptation import nuts_rs_variance

#: Stan's documented windows for 1,000 warm-up iterations, [start, stop) (the manual's
#: 75 + 25 + 50 + 100 + 200 + 500 + 50).
STAN_1000 = [[75, 100], [100, 150], [150, 250], [250, 450], [450, 950]]

TARGET = tg.gaussian(3, scales=np.array([0.5, 1.0, 3.0]))


def regularised_variance(x: np.ndarray) -> np.ndarray:
    """Stan's diag_e metric from n draws (rows): (n/(n+5))·s² + 1e-3·5/(n+5)."""
    n = x.shape[0]
    return (n / (n + 5.0)) * np.var(x, axis=0, ddof=1) + 1e-3 * 5.0 / (n + 5.0)


def run(sampler: str, adaptation: str = "stan", **kw):
    if sampler == "metropolis":
        return mcmc.metropolis(TARGET, n_chains=3, n_warmup=1000, n_draws=10, rng=5, **kw)
    f = mcmc.nuts if sampler == "nuts" else mcmc.hmc
    return f(TARGET, n_chains=2, n_warmup=1000, n_draws=10, rng=5, adaptation=adaptation, **kw)


@pytest.mark.parametrize("sampler", ["hmc", "nuts"])
def test_stan_windows_are_stans_documented_schedule_and_each_metric_is_its_windows_variance(sampler):
    tr = run(sampler)
    h = tr.warmup_history
    assert h.adaptation == "stan" and h.target_accept == 0.8
    assert h.step_size.shape == h.accept_stat.shape == (2, 1000)
    for c in range(2):
        assert h.windows[c].tolist() == STAN_1000
    assert h.metric_iteration.tolist() == [0, 100, 150, 250, 450, 950]
    np.testing.assert_array_equal(h.inv_metric[:, 0], np.ones((2, 3)))
    for c in range(2):
        for k, (start, stop) in enumerate(STAN_1000, start=1):
            np.testing.assert_allclose(h.inv_metric[c, k], regularised_variance(tr.warmup_draws[c, start:stop]),
                                       rtol=1e-10)
            np.testing.assert_array_equal(h.metric_at(stop - 1)[c], h.inv_metric[c, k - 1])
            np.testing.assert_array_equal(h.metric_at(stop)[c], h.inv_metric[c, k])


def test_metropolis_variances_are_the_pooled_regularised_variance_of_each_window():
    tr = run("metropolis")
    h = tr.warmup_history
    assert h.adaptation == "metropolis" and h.target_accept == 0.234
    assert h.windows[0].tolist() == STAN_1000
    assert h.metric_iteration.tolist() == [0, 100, 150, 250, 450, 950]
    for k, (start, stop) in enumerate(STAN_1000, start=1):
        pooled = tr.warmup_draws[:, start:stop].reshape(-1, 3)  # the chains share one estimate
        for c in range(3):
            np.testing.assert_allclose(h.inv_metric[c, k], regularised_variance(pooled), rtol=1e-10)
    # One scale for all chains; in (0, 1] acceptance probabilities.
    assert np.all(h.step_size == h.step_size[:1]) and np.all((h.accept_stat >= 0) & (h.accept_stat <= 1))


@pytest.mark.parametrize("sampler", ["hmc", "nuts"])
def test_fisher_metric_of_each_window_is_the_draw_to_gradient_variance_ratio(sampler):
    tr = run(sampler, "fisher")
    h = tr.warmup_history
    assert h.adaptation == "fisher"
    checked = 0
    for c in range(2):
        windows = h.windows[c]
        assert windows[0, 0] == 0 and np.all(windows[1:, 0] == windows[:-1, 1])  # back to back
        for start, stop in windows[1:]:  # the first also holds the start point
            x = tr.warmup_draws[c, start:stop]
            prev = tr.warmup_draws[c, start - 1:stop - 1]
            x = x[np.any(x != prev, axis=1)]  # nutpie learns only from draws that moved
            g = TARGET.logp_grad(x)[1]
            expected = np.sqrt(nuts_rs_variance(x) / nuts_rs_variance(g))
            np.testing.assert_allclose(h.metric_at(stop)[c], expected, rtol=1e-8)
            checked += 1
    assert checked >= 10
    # Last window closes before nutpie's final 15% that tunes the step size only.
    assert max(int(w[-1, 1]) for w in h.windows) <= 850


@pytest.mark.parametrize(("sampler", "adaptation"),
                         [("hmc", "stan"), ("nuts", "stan"), ("hmc", "fisher"), ("nuts", "fisher"),
                          ("metropolis", "metropolis")])
def test_the_last_record_is_what_sampling_uses(sampler, adaptation):
    tr = run(sampler, adaptation)
    h = tr.warmup_history
    np.testing.assert_array_equal(h.final_step_size, tr.step_size)
    np.testing.assert_allclose(h.inv_metric[:, -1], tr.inv_metric, rtol=1e-12)
    np.testing.assert_allclose(h.metric_at(1000), tr.inv_metric, rtol=1e-12)
    assert np.all(np.isfinite(h.step_size)) and np.all(h.step_size > 0)
    assert np.all(np.diff(h.metric_iteration) > 0) and h.metric_iteration[0] == 0


def test_a_fixed_step_size_is_recorded_as_used():
    tr = mcmc.nuts(TARGET, n_chains=2, n_warmup=100, n_draws=10, rng=1, step_size=0.3)
    np.testing.assert_array_equal(tr.warmup_history.step_size, 0.3)
    jittered = mcmc.hmc(TARGET, n_chains=2, n_warmup=100, n_draws=10, rng=1, step_size=0.3, jitter=0.2)
    steps = jittered.warmup_history.step_size
    assert np.all((steps >= 0.24) & (steps <= 0.36)) and np.unique(steps).size > 100


class _NoRecorder:
    """A recorder that records nothing: the run without recording, to compare draws."""

    def __init__(self, *args, **kwargs) -> None:
        pass

    def start(self, *args) -> None:
        pass

    def record(self, *args) -> None:
        pass

    def finish(self, *args):
        return None


@pytest.mark.parametrize(("sampler", "adaptation"),
                         [("nuts", "stan"), ("hmc", "fisher"), ("metropolis", "metropolis")])
def test_recording_leaves_the_draws_unchanged(monkeypatch, sampler, adaptation):
    recorded = run(sampler, adaptation)
    module = importlib.import_module("core.mcmc.metropolis" if sampler == "metropolis" else "core.mcmc.hmc")
    monkeypatch.setattr(module, "WarmupRecorder", _NoRecorder)
    bare = run(sampler, adaptation)
    assert bare.warmup_history is None
    np.testing.assert_array_equal(recorded.draws, bare.draws)
    np.testing.assert_array_equal(recorded.warmup_draws, bare.warmup_draws)
    np.testing.assert_array_equal(recorded.step_size, bare.step_size)


def test_no_warmup_and_gibbs():
    tr = mcmc.nuts(TARGET, n_chains=2, n_warmup=0, n_draws=10, rng=1)
    h = tr.warmup_history
    assert h.step_size.shape == (2, 0) and h.metric_iteration.tolist() == [0]
    assert [w.shape for w in h.windows] == [(0, 2), (0, 2)]
    gibbs = mcmc.gibbs_bivariate_gaussian(0.5, n_chains=2, n_warmup=10, n_draws=10, rng=1)
    assert gibbs.warmup_history is None


def test_thinned_keeps_the_ends_and_the_window_closings():
    h = run("nuts", "fisher").warmup_history
    assert len(h.metric_iteration) > 200
    small = h.thinned(100)
    assert len(small.metric_iteration) == 100
    assert small.metric_iteration[0] == 0 and small.metric_iteration[-1] == h.metric_iteration[-1]
    assert set(small.metric_iteration.tolist()) <= set(h.metric_iteration.tolist())
    assert np.all(np.diff(small.metric_iteration) > 0)
    closings = {int(stop) for w in h.windows for stop in w[:, 1]} & set(h.metric_iteration.tolist())
    assert len(closings) < 100 and closings <= set(small.metric_iteration.tolist())
    for it in (0, 400, 1000):  # what is kept is the record's own diagonal at that update
        k = int(np.searchsorted(small.metric_iteration, it, side="right")) - 1
        j = int(np.searchsorted(h.metric_iteration, small.metric_iteration[k]))
        np.testing.assert_array_equal(small.inv_metric[:, k], h.inv_metric[:, j])
    stan = run("nuts").warmup_history
    assert stan.thinned(3).metric_iteration.tolist() == [0, 150, 950]  # closings only, spread
    assert stan.thinned(10) is stan


def test_window_helpers():
    assert stan_windows(75, [99, 149]) == [(75, 100), (100, 150)]
    assert switch_windows([]) == []


def test_bad_arguments_are_refused():
    h = run("nuts").warmup_history
    with pytest.raises(ValueError, match="`iteration` must be at most n_warmup = 1000"):
        h.metric_at(1001)
    with pytest.raises(ValueError, match="iteration"):
        h.metric_at(-1)
    with pytest.raises(ValueError, match="max_updates"):
        h.thinned(1)
    with pytest.raises(TypeError, match="max_updates"):
        h.thinned(2.5)
