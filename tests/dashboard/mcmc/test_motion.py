"""The "mcmc" animation's frames (dashboard/topics/mcmc/motion.py) against core's records,
numpy's histograms and ArviZ's R-hat and bulk-ESS on each prefix."""

from __future__ import annotations

import functools
import json
import warnings

import numpy as np
import pytest

from core import mcmc
from core.mcmc.moves import STOP_REASONS
from dashboard.common.animation import KIND_KEYS, MAX_PAYLOAD_CHARS
from dashboard.topics.mcmc import motion
from dashboard.topics.mcmc.charts import CHAIN_COLOURS

with warnings.catch_warnings():
    warnings.simplefilter("ignore", FutureWarning)
    import arviz as az

RANGES = ((-4.0, 4.0), (-4.0, 4.0))
AXIS = np.linspace(-4, 4, 60)
TARGET = mcmc.correlated_gaussian(0.9)
DENSITY = motion.density_layer(mcmc.density_grid(TARGET, AXIS, AXIS))


@functools.cache
def trace(sampler: str, n_draws: int = 120) -> mcmc.Trace:
    return mcmc.run_sampler(sampler, TARGET, target_name="correlated_gaussian", tune=True, options={},
                            n_chains=3, n_warmup=200, n_draws=n_draws, rng=4, keep_moves=True)


def overview(sampler: str, **kw: object) -> dict:
    return motion.overview_frames(trace(sampler), names=["x", "y"], ranges=RANGES, density=DENSITY,
                                  colours=CHAIN_COLOURS, **kw)


def detail(sampler: str, first: int = 5, chain: int = 1) -> dict:
    return motion.detail_frames(trace(sampler), chain=chain, first=first, names=["x", "y"], ranges=RANGES,
                                density=DENSITY, colours=CHAIN_COLOURS)


def xy(flat: list[float]) -> np.ndarray:
    return np.array(flat).reshape(-1, 2)


def test_density_layer_thresholds_hold_their_mass():
    grid = mcmc.density_grid(TARGET, AXIS, AXIS)
    layer = motion.density_layer(grid)
    values = np.array(layer["values"]).reshape(60, 60)
    assert (layer["nx"], layer["ny"]) == (60, 60) and values.max() == 1.0
    scaled = grid / grid.max()
    for q, t in zip((0.5, 0.9, 0.99), layer["levels"], strict=True):
        inside = scaled[scaled >= t].sum() / scaled.sum()
        assert q <= inside <= q + scaled.max() / scaled.sum()  # reached within one cell
    with pytest.raises(ValueError, match="`density` must be a 2-D grid"):
        motion.density_layer(np.ones(5))
    with pytest.raises(ValueError, match="`density` must be finite, non-negative"):
        motion.density_layer(-np.ones((3, 3)))
    with pytest.raises(ValueError, match="`levels` must lie in"):
        motion.density_layer(grid, (0.5, 1.0))


@pytest.mark.parametrize("sampler", ["metropolis", "gibbs", "hmc", "nuts"])
def test_overview_frames_follow_the_run(sampler):
    tr, frames = trace(sampler), overview(sampler)
    assert set(KIND_KEYS["mcmc"]) <= set(frames) and frames["mode"] == "overview"
    assert frames["n_frames"] == tr.n_draws and len(frames["chains"]) == tr.n_chains
    moves = tr.moves
    for c, ch in enumerate(frames["chains"]):
        np.testing.assert_allclose(xy(ch["pos"]), tr.draws[c, :, :2], atol=5e-4)
        np.testing.assert_allclose(ch["start"], tr.warmup_draws[c, -1, :2], atol=5e-4)
        if sampler == "metropolis":
            np.testing.assert_allclose(xy(ch["prop"]), moves.proposal[c], atol=5e-4)
            assert ch["acc"] == moves.accepted[c].astype(int).tolist()
        elif sampler == "gibbs":
            np.testing.assert_allclose(xy(ch["mid"]), moves.steps[c, :, 0], atol=5e-4)
        else:
            sizes = np.diff(ch["path_at"])
            np.testing.assert_array_equal(sizes, np.minimum(tr.stats["n_leapfrog"][c] + 1, motion.MAX_PATH_POINTS))
            assert ch["div"] == tr.stats["divergent"][c].astype(int).tolist()
            for i in range(tr.n_draws):
                points, _, time = moves.iteration(c, i)
                path = xy(ch["path"])[ch["path_at"][i]:ch["path_at"][i + 1]]
                # Time order: the polyline runs from the earliest point to the latest.
                np.testing.assert_allclose(path[0], points[np.argmin(time)], atol=5e-4)
                np.testing.assert_allclose(path[-1], points[np.argmax(time)], atol=5e-4)
            if sampler == "nuts":
                tree = moves.trees[c]
                assert ch["stop"] == tree.stop.tolist()
                for i in range(tr.n_draws):
                    assert (ch["turn"][i] != []) == (STOP_REASONS[tree.stop[i]] == "u-turn")


def test_histograms_and_diagnostics_at_checkpoints():
    tr, frames = trace("nuts"), overview("nuts")
    hist = frames["hist"]
    assert hist["at"][0] == 0 and hist["at"][-1] == tr.n_draws - 1
    for k, f in enumerate(hist["at"]):
        expected = np.concatenate([np.histogram(tr.draws[:, :f + 1, i], bins=motion.HIST_BINS, range=RANGES[i])[0]
                                   for i in range(2)])
        np.testing.assert_array_equal(hist["counts"][k], expected)
    diag = frames["diag"]
    assert diag["draws"][-1] == tr.n_draws and diag["at"] == [n - 1 for n in diag["draws"]]
    for k in (0, len(diag["draws"]) // 2, len(diag["draws"]) - 1):
        n = diag["draws"][k]
        for i in range(2):
            prefix = tr.draws[:, :n, i]
            assert diag["rhat"][k][i] == pytest.approx(float(az.rhat(prefix)), abs=1e-4)
            assert diag["ess"][k][i] == pytest.approx(float(az.ess(prefix, method="bulk")), abs=0.05)


def test_detail_frames_step_through_one_tree_point_by_point():
    tr, frames = trace("nuts"), detail("nuts", first=5, chain=1)
    moves, tree = tr.moves, tr.moves.trees[1]
    its = range(5, 5 + motion.DETAIL_ITERATIONS)
    # One frame per point (start included) and one for the verdict, per iteration.
    assert frames["n_frames"] == sum(int(tr.stats["n_leapfrog"][1, i]) + 2 for i in its)
    assert len(frames["iters"]) == len(frames["subs"]) == frames["n_frames"]
    ch = frames["chains"][0]
    np.testing.assert_allclose(ch["start"], tr.draws[1, 4], atol=5e-4)
    np.testing.assert_allclose(xy(ch["before"]), tr.draws[1, :5], atol=5e-4)
    for j, i in enumerate(its):
        points, parent, _ = moves.iteration(1, i)
        lo, hi = ch["path_at"][j], ch["path_at"][j + 1]
        np.testing.assert_allclose(xy(ch["path"])[lo:hi], points, atol=5e-4)
        assert ch["parent"][lo:hi] == parent.tolist()
        np.testing.assert_allclose(xy(ch["path"])[lo + ch["pick"][j]], tr.draws[1, i], atol=5e-4)
        rows = tree.doublings[tree.doubling_offsets[i]:tree.doubling_offsets[i + 1]]
        assert ch["doublings"][j] == rows.tolist()
        for _, depth, first, count in rows:
            assert set(ch["depth"][lo + first:lo + first + count]) == {depth}
    box = np.array(frames["zoom"])
    window = np.concatenate([xy(ch["path"]), xy(ch["pos"])])
    assert np.all(window.min(axis=0) >= box[:, 0]) and np.all(window.max(axis=0) <= box[:, 1])


@pytest.mark.parametrize("sampler", ["metropolis", "gibbs"])
def test_detail_frames_of_the_gradient_free_samplers_take_two_steps(sampler):
    frames = detail(sampler, first=trace(sampler).n_draws - 3)  # the end of the run: 3 left
    assert frames["n_frames"] == 6 and frames["iters"] == [0, 0, 1, 1, 2, 2] and frames["subs"] == [0, 1] * 3


def test_payload_is_thinned_to_fit(monkeypatch):
    full = overview("hmc")
    assert len(json.dumps(full)) < MAX_PAYLOAD_CHARS
    monkeypatch.setattr(motion, "MAX_CHARS", len(json.dumps(full)) - 1)
    thinner = overview("hmc")
    assert len(json.dumps(thinner)) <= motion.MAX_CHARS
    assert max(np.diff(thinner["chains"][0]["path_at"])) <= motion.MAX_PATH_POINTS // 2
    monkeypatch.setattr(motion, "MAX_CHARS", 1000)
    with pytest.raises(ValueError, match="do not fit in 1,000 characters"):
        overview("hmc")


def test_four_chains_of_a_thousand_fit_in_a_few_megabytes():
    tr = mcmc.nuts(TARGET, n_chains=4, n_warmup=300, n_draws=1000, rng=0, keep_moves=True)
    frames = motion.overview_frames(tr, names=["x", "y"], ranges=RANGES, density=DENSITY, colours=CHAIN_COLOURS)
    assert frames["n_frames"] == 1000 and len(json.dumps(frames)) < MAX_PAYLOAD_CHARS


def test_validation():
    plain = mcmc.metropolis(TARGET, n_chains=2, n_warmup=10, n_draws=10, rng=0)
    common = {"names": ["x", "y"], "ranges": RANGES, "density": DENSITY, "colours": CHAIN_COLOURS}
    with pytest.raises(ValueError, match="`trace` has no moves"):
        motion.overview_frames(plain, **common)
    with pytest.raises(TypeError, match=r"`trace` must be a core\.mcmc Trace"):
        motion.overview_frames("run", **common)
    one_d = mcmc.metropolis(mcmc.gaussian(1), n_chains=2, n_warmup=10, n_draws=10, rng=0, keep_moves=True)
    with pytest.raises(ValueError, match="at least 2 coordinates"):
        motion.overview_frames(one_d, **common)
    with pytest.raises(ValueError, match="`colours` must have one colour per chain"):
        motion.overview_frames(trace("metropolis"), **{**common, "colours": ["#000"]})
    with pytest.raises(ValueError, match="`ranges` must be two"):
        motion.overview_frames(trace("metropolis"), **{**common, "ranges": ((1.0, 0.0), (0.0, 1.0))})
    with pytest.raises(ValueError, match="`names` must name the two"):
        motion.overview_frames(trace("metropolis"), **{**common, "names": ["x"]})
    with pytest.raises(ValueError, match="`chain` must be <= 2"):
        motion.detail_frames(trace("nuts"), chain=3, first=0, **common)
    with pytest.raises(ValueError, match="`first` must be >= 0"):
        motion.detail_frames(trace("nuts"), chain=0, first=-1, **common)
