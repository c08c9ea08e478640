"""The warm-up animation's frames (dashboard/topics/mcmc/warmup_motion.py) against the run.

Each frame's numbers are read back from the sampler's own warm-up record and draws at
that frame's iteration, the acceptance against a trailing mean computed here with a
plain loop, and Stan's window closings (100, 150, 250, 450, 950 for 1,000 warm-up
iterations) must be frames, so the mass matrix is seen to change at each.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from core import mcmc
from core.mcmc import targets as tg
from dashboard.common.animation import KIND_KEYS, MAX_PAYLOAD_CHARS
from dashboard.topics.mcmc import warmup_motion as wm

TARGET = tg.gaussian(3, scales=np.array([0.5, 1.0, 3.0]))
NAMES = ["x1", "x2", "x3"]


@pytest.fixture(scope="module", params=["stan", "fisher"])
def run(request):
    return mcmc.nuts(TARGET, n_chains=3, n_warmup=1000, n_draws=10, rng=2, adaptation=request.param)


def test_frame_iterations_keep_the_ends_and_both_sides_of_each_closing():
    its = wm.frame_iterations(1000, [100, 150, 250, 450, 950], 60)
    assert len(its) == 60 and its[0] == 0 and its[-1] == 999 and np.all(np.diff(its) > 0)
    assert {99, 100, 149, 150, 249, 250, 449, 450, 949, 950} <= set(its.tolist())
    assert wm.frame_iterations(5, [2], 10).tolist() == [0, 1, 2, 3, 4]  # short: every one
    crowded = wm.frame_iterations(1000, list(range(10, 1000, 10)), 20)
    assert len(crowded) == 20 and crowded[0] == 0 and crowded[-1] == 999


def test_trailing_mean_is_the_mean_of_the_last_values():
    rng = np.random.default_rng(0)
    x = rng.random((2, 30))
    got = wm.trailing_mean(x, 7)
    for c in range(2):
        for i in range(30):
            assert got[c, i] == pytest.approx(x[c, max(0, i - 6):i + 1].mean())


def test_frames_are_the_runs_record_at_each_frame(run):
    h = run.warmup_history
    f = wm.warmup_frames(h, run.warmup_draws, NAMES, true_var=TARGET.var, max_frames=120)
    assert set(KIND_KEYS["warmup"]) <= set(f)
    its = np.array(f["iteration"])
    assert len(its) == 120 and len(f["labels"]) == 120 and f["n_warmup"] == 1000
    assert f["adaptation"] == h.adaptation and f["target_accept"] == 0.8
    np.testing.assert_allclose(f["step_size"], h.step_size[:, its], rtol=1e-3)
    accept = np.array(f["accept"])
    for j in (0, 50, 119):
        it = its[j]
        lo = max(0, it - wm.ACCEPT_WINDOW + 1)
        np.testing.assert_allclose(accept[:, j], h.accept_stat[:, lo:it + 1].mean(axis=1), atol=6e-4)
        np.testing.assert_allclose(np.array(f["metric"][j]), h.metric_at(int(it)), rtol=1e-3)
    np.testing.assert_allclose(f["x"], run.warmup_draws[:, its, 0], atol=1e-4)
    np.testing.assert_allclose(f["y"], run.warmup_draws[:, its, 1], atol=1e-4)
    np.testing.assert_allclose(f["true_var"], [0.25, 1.0, 9.0])
    assert f["windows"] == h.windows[0].tolist() and f["coords"] == NAMES
    assert f"Warm-up iteration {its[-1] + 1} of 1000" in f["labels"][-1]
    assert len(json.dumps(f)) < MAX_PAYLOAD_CHARS


def test_stans_closings_are_frames_and_the_metric_changes_exactly_there():
    tr = mcmc.hmc(TARGET, n_chains=2, n_warmup=1000, n_draws=10, rng=4)
    f = wm.warmup_frames(tr.warmup_history, tr.warmup_draws, NAMES, max_frames=80)
    its, metric = f["iteration"], np.array(f["metric"])
    changed = {its[j] for j in range(1, len(its)) if not np.array_equal(metric[j], metric[j - 1])}
    assert changed == {100, 150, 250, 450, 950}
    assert f["windows"] == [[75, 100], [100, 150], [150, 250], [250, 450], [450, 950]]
    assert "5 of 5 windows closed" in f["labels"][-1] and "0 of 5 windows closed" in f["labels"][0]


def test_two_runs_of_one_length_share_their_frames():
    stan = mcmc.nuts(TARGET, n_chains=2, n_warmup=1000, n_draws=10, rng=1)
    fisher = mcmc.nuts(TARGET, n_chains=2, n_warmup=1000, n_draws=10, rng=1, adaptation="fisher")
    frames = [wm.warmup_frames(t.warmup_history, t.warmup_draws, NAMES)["iteration"] for t in (stan, fisher)]
    assert frames[0] == frames[1] and len(frames[0]) == wm.WARMUP_FRAMES


def test_a_one_dimensional_target_and_a_many_dimensional_one():
    one = mcmc.nuts(tg.gaussian(1), n_chains=2, n_warmup=100, n_draws=10, rng=1)
    f = wm.warmup_frames(one.warmup_history, one.warmup_draws, ["x"])
    assert f["x"] == [] and f["y"] == [] and np.array(f["metric"]).shape == (100, 2, 1)
    many = mcmc.metropolis(tg.gaussian(30), n_chains=2, n_warmup=300, n_draws=10, rng=1)
    f = wm.warmup_frames(many.warmup_history, many.warmup_draws, [f"x{i}" for i in range(30)])
    assert np.array(f["metric"]).shape == (wm.WARMUP_FRAMES, 2, wm.WARMUP_COORDINATES) and len(f["coords"]) == 10


def test_numbers_json_cannot_hold_become_null():
    tr = mcmc.nuts(TARGET, n_chains=2, n_warmup=30, n_draws=10, rng=1)
    draws = tr.warmup_draws.copy()
    draws[0, 5, 0] = np.inf
    f = wm.warmup_frames(tr.warmup_history, draws, NAMES)
    assert f["x"][0][5] is None and f["x"][0][4] == round(float(draws[0, 4, 0]), 4)
    json.dumps(f, allow_nan=False)


def test_bad_input_is_refused():
    tr = mcmc.nuts(TARGET, n_chains=2, n_warmup=0, n_draws=10, rng=1)
    with pytest.raises(ValueError, match="no warm-up iterations"):
        wm.warmup_frames(tr.warmup_history, tr.warmup_draws, NAMES)
    ok = mcmc.nuts(TARGET, n_chains=2, n_warmup=30, n_draws=10, rng=1)
    with pytest.raises(ValueError, match="`warmup_draws` must be shaped"):
        wm.warmup_frames(ok.warmup_history, ok.warmup_draws[:, 1:], NAMES)
    with pytest.raises(ValueError, match="`names` must name the first 3"):
        wm.warmup_frames(ok.warmup_history, ok.warmup_draws, ["x1"])
    with pytest.raises(ValueError, match="max_frames"):
        wm.frame_iterations(10, [], 1)
    with pytest.raises(ValueError, match="`values` must be 2-D"):
        wm.trailing_mean(np.zeros(3), 2)
