"""Running R-hat and bulk-ESS against ArviZ on each prefix of real runs."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from core import mcmc
from core.mcmc.running import even_checkpoints, running_diagnostics

with warnings.catch_warnings():
    warnings.simplefilter("ignore", FutureWarning)  # arviz announces its 1.0 refactor
    az = pytest.importorskip("arviz")


@pytest.mark.parametrize("sampler", ["metropolis", "nuts"])
def test_each_checkpoint_matches_arviz_on_its_prefix(sampler):
    trace = getattr(mcmc, sampler)(mcmc.correlated_gaussian(0.9), n_chains=4, n_warmup=100, n_draws=300, rng=5)
    cuts = [4, 9, 50, 151, 300]
    run = running_diagnostics(trace.draws, cuts)
    assert run.rhat.shape == run.ess_bulk.shape == (5, 2)
    for k, n in enumerate(cuts):
        for i in range(2):
            prefix = trace.draws[:, :n, i]
            assert run.rhat[k, i] == pytest.approx(float(az.rhat(prefix)), rel=1e-8)
            assert run.ess_bulk[k, i] == pytest.approx(float(az.ess(prefix, method="bulk")), rel=1e-8)


def test_a_constant_prefix_has_no_diagnostics():
    draws = np.zeros((2, 10, 1))
    draws[0, 6:, 0] = [1.0, 2.0, 0.5, 1.5]
    run = running_diagnostics(draws, [5, 10])
    assert np.isnan(run.rhat[0, 0]) and np.isnan(run.ess_bulk[0, 0])
    assert np.isfinite(run.rhat[1, 0])
    # Each chain constant but the chains apart: no within-chain variance, so no R-hat.
    apart = np.repeat([[[0.0]], [[1.0]]], 8, axis=1)
    assert np.isnan(running_diagnostics(apart, [8]).rhat).all()
    halves = np.array([[0.0] * 4 + [1.0] * 4, [2.0] * 4 + [3.0] * 4])[:, :, None]  # each half constant
    assert np.isnan(running_diagnostics(halves, [8]).rhat).all()


def test_even_checkpoints():
    cuts = even_checkpoints(1000, 50)
    assert cuts[0] == 4 and cuts[-1] == 1000 and len(cuts) == 50 and np.all(np.diff(cuts) > 0)
    with pytest.raises(ValueError, match="`n_draws` must be >= 4"):
        even_checkpoints(3, 5)


def test_validation():
    ok = np.random.default_rng(0).normal(size=(2, 20, 1))
    with pytest.raises(ValueError, match="`draws` must be 3-D"):
        running_diagnostics(ok[:, :, 0], [10])
    with pytest.raises(ValueError, match="at least 2 chains"):
        running_diagnostics(ok[:1], [10])
    with pytest.raises(ValueError, match="`checkpoints` must be increasing"):
        running_diagnostics(ok, [10, 10])
    with pytest.raises(ValueError, match="`checkpoints` must lie between 4 and the 20"):
        running_diagnostics(ok, [3, 10])
    with pytest.raises(ValueError, match="`checkpoints` must lie between"):
        running_diagnostics(ok, [21])
    with pytest.raises(ValueError, match="`checkpoints` must be a non-empty 1-D sequence of integers"):
        running_diagnostics(ok, [2.5])
