"""AppTest tests of the MCMC page's "Watch it move" section (motion_view.py): the frames the
page sends are those of the run core makes with the page's seed, for every sampler."""

from __future__ import annotations

import json

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from core import mcmc
from dashboard.topics.mcmc import motion, runs
from dashboard.topics.mcmc.params import MOTION_MODES
from tests.dashboard.mcmc import test_page

SMALL = {"n_chains": "3", "n_warmup": "150", "n_draws": "60", "seed": "7"}


def open_page(**params: str) -> AppTest:
    return test_page.open_page(**{**SMALL, **params})


def animations(at: AppTest) -> list[dict]:
    args = [json.loads(el.proto.json_args) for el in at.get("component_instance")]
    return [a["frames"] for a in args if a["kind"] == "mcmc"]


def core_trace(sampler, target, **options) -> mcmc.Trace:
    return sampler(target, n_chains=3, n_warmup=150, n_draws=60, rng=np.random.default_rng(7), **options)


def positions(frames: dict, chain: int) -> np.ndarray:
    return np.array(frames["chains"][chain]["pos"]).reshape(-1, 2)


@pytest.mark.parametrize(("label", "sampler", "options"), [
    ("Metropolis", mcmc.metropolis, {"target_accept": 0.234}),
    ("HMC", mcmc.hmc, {"target_accept": 0.8, "n_leapfrog": 10}),
    ("NUTS", mcmc.nuts, {"target_accept": 0.8, "max_tree_depth": 8}),
])
def test_every_sampler_is_animated_with_the_runs_draws(label, sampler, options):
    at = open_page(sampler=label)
    assert not at.exception and not at.error
    (frames,) = animations(at)
    trace = core_trace(sampler, mcmc.correlated_gaussian(0.9), **options)
    assert frames["sampler"] == label.lower() and frames["mode"] == "overview"
    assert frames["n_frames"] == 60 and len(frames["chains"]) == 3
    for c in range(3):
        np.testing.assert_allclose(positions(frames, c), trace.draws[c], atol=5e-4)
    assert any(h.value == "Watch it move" for h in at.subheader)
    # The shading is the target's density on the plotted ranges (core's grid, scaled to 1).
    axes = [np.linspace(lo, hi, frames["grid"]["nx"]) for lo, hi in frames["range"]]
    grid = mcmc.density_grid(mcmc.correlated_gaussian(0.9), axes[0], axes[1])
    np.testing.assert_allclose(np.array(frames["grid"]["values"]).reshape(grid.shape), grid / grid.max(), atol=5e-4)


def test_gibbs_and_the_step_by_step_mode_from_the_url():
    at = open_page(sampler="Gibbs", motion_mode="detail", motion_chain="2", motion_iter="4")
    assert not at.exception and not at.error
    (frames,) = animations(at)
    trace = mcmc.gibbs_bivariate_gaussian(0.9, n_chains=3, n_warmup=150, n_draws=60, rng=np.random.default_rng(7),
                                          keep_moves=True)
    assert frames["mode"] == "detail" and frames["chain"] == 1 and frames["first"] == 3
    assert frames["n_frames"] == 2 * motion.DETAIL_ITERATIONS
    np.testing.assert_allclose(np.array(frames["chains"][0]["mid"]).reshape(-1, 2),
                               trace.moves.steps[1, 3:3 + motion.DETAIL_ITERATIONS, 0], atol=5e-4)
    assert at.selectbox(key="motion_mode").value == MOTION_MODES[1]
    # Back to all chains: the chain and iteration controls go, and so do their URL keys.
    at.selectbox(key="motion_mode").set_value(MOTION_MODES[0]).run()
    (frames,) = animations(at)
    assert frames["mode"] == "overview"
    assert not any(k in at.query_params for k in ("motion_mode", "motion_chain", "motion_iter"))


def test_a_nuts_tree_is_stepped_through_point_by_point():
    at = open_page(motion_mode="detail", motion_iter="10")
    (frames,) = animations(at)
    trace = core_trace(mcmc.nuts, mcmc.correlated_gaussian(0.9), target_accept=0.8, max_tree_depth=8,
                       keep_moves=True)
    its = range(9, 9 + motion.DETAIL_ITERATIONS)
    assert frames["n_frames"] == sum(int(trace.stats["n_leapfrog"][0, i]) + 2 for i in its)
    ch = frames["chains"][0]
    assert ch["pick"] == trace.moves.trees[0].pick[9:9 + motion.DETAIL_ITERATIONS].tolist()


def test_side_by_side_typed_density_many_and_one_dimension():
    at = open_page(compare="true", sampler_b="HMC")
    assert [f["sampler"] for f in animations(at)] == ["nuts", "hmc"]
    at = open_page(target="Your own log density", sampler="Metropolis")
    assert not at.exception and [f["sampler"] for f in animations(at)] == ["metropolis"]
    at = open_page(target="Gaussian in d dimensions", gauss_dim="5", sampler="Metropolis")
    (frames,) = animations(at)
    trace = core_trace(mcmc.metropolis, mcmc.gaussian(5), target_accept=0.234)
    np.testing.assert_allclose(positions(frames, 0), trace.draws[0, :, :2], atol=5e-4)
    assert any("first two coordinates" in m.value for m in at.markdown)
    at = open_page(target="Beta-Binomial")
    assert animations(at) == [] and any("no plane to move in" in i.value for i in at.info)


def test_a_rerun_that_does_not_change_the_run_builds_no_frames(monkeypatch):
    calls = []
    real = motion.overview_frames

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(motion, "overview_frames", counting)
    runs.mcmc_runs().clear()
    at = open_page(seed="11")
    assert calls == [1]
    at.run()
    at.button(key="run").click().run()  # the same run again
    assert calls == [1]
    at.number_input(key="seed").set_value(12)
    at.button(key="run").click().run()
    assert calls == [1, 1]


def test_the_store_keeps_a_bounded_record():
    at = open_page(sampler="NUTS", n_draws="1500", n_warmup="100", n_chains="2")
    assert not at.exception
    run = list(runs.mcmc_runs().runs.values())[-1]  # the latest
    moves = run.trace.moves
    assert moves.n_draws <= runs.MCMC_MOVE_DRAWS and moves.momenta is None
    assert all(len(p) <= runs.MCMC_MOVE_POINTS and p.shape[1] == 2 for p in moves.points)
