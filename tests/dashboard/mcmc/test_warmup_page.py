"""AppTest tests of the MCMC page's "Watch the warm-up" section (warmup_view.py).

The frames the page sends must be the warm-up of the run core makes with the page's seed
and sizes (its step sizes, read back at each frame's iteration); the one-click button
must set up the same sampler with stan on the left and fisher on the right, sample both,
and write the side-by-side state to the URL.
"""

from __future__ import annotations

import json

import numpy as np
from streamlit.testing.v1 import AppTest

from core import mcmc
from dashboard.topics.mcmc import runs
from dashboard.topics.mcmc.params import PARAMS, stan_vs_fisher
from tests.dashboard.mcmc.test_page import open_page


def warmup_players(at: AppTest) -> list[dict]:
    args = [json.loads(el.proto.json_args) for el in at.get("component_instance")]
    return [a for a in args if a["kind"] == "warmup"]


def query(at: AppTest, key: str) -> str | None:
    value = dict(at.query_params).get(key)
    return value[0] if isinstance(value, list) else value


def test_the_warmup_player_shows_the_runs_own_warmup():
    at = open_page(sampler="HMC", n_leapfrog="10")
    assert not at.exception and not at.error
    assert any(s.value == "Watch the warm-up" for s in at.subheader)
    (player,) = warmup_players(at)
    assert player["height"] > 0
    frames = player["frames"]
    trace = mcmc.hmc(mcmc.correlated_gaussian(0.9), n_chains=4, n_warmup=200, n_draws=200,
                     rng=np.random.default_rng(3), target_accept=0.8, n_leapfrog=10, keep_trajectories=True)
    history = trace.warmup_history
    its = np.array(frames["iteration"])
    assert its.tolist() == list(range(200))  # 200 iterations: every one is a frame
    np.testing.assert_allclose(frames["step_size"], history.step_size[:, its], rtol=1e-3)
    np.testing.assert_allclose(frames["x"], trace.warmup_draws[:, its, 0], atol=1e-4)
    assert frames["windows"] == history.windows[0].tolist() and frames["adaptation"] == "stan"
    np.testing.assert_allclose(frames["true_var"], [1.0, 1.0])
    # The store keeps the record (bounded) but only the last warm-up draw. It is shared by
    # the worker's tests, and a run another test made with no warm-up keeps none.
    stored = [r for r in runs.mcmc_runs().runs.values() if r.sampler == "hmc"]
    assert stored
    for run in stored:
        assert run.trace.warmup_draws.shape[1] == min(1, run.trace.warmup_history.step_size.shape[1])
        assert len(run.trace.warmup_history.metric_iteration) <= runs.MCMC_WARMUP_UPDATES


def test_one_click_sets_up_stan_vs_fisher_side_by_side_and_samples_both():
    at = open_page(sampler="HMC", n_leapfrog="12")
    at.button(key="warmup_compare").click().run()
    assert not at.exception and not at.error
    assert at.toggle(key="compare").value is True
    assert at.selectbox(key="sampler_b").value == "HMC" and at.number_input(key="n_leapfrog_b").value == 12
    assert [at.selectbox(key=k).value for k in ("adaptation", "adaptation_b")] == ["stan", "fisher"]
    players = warmup_players(at)
    assert [p["frames"]["adaptation"] for p in players] == ["stan", "fisher"]
    # Both are the runs core makes: same sampler and options, only the adaptation differs.
    for p, adaptation in zip(players, ("stan", "fisher"), strict=True):
        trace = mcmc.hmc(mcmc.correlated_gaussian(0.9), n_chains=4, n_warmup=200, n_draws=200,
                         rng=np.random.default_rng(3), target_accept=0.8, n_leapfrog=12,
                         keep_trajectories=True, adaptation=adaptation)
        its = np.array(p["frames"]["iteration"])
        np.testing.assert_allclose(p["frames"]["step_size"], trace.warmup_history.step_size[:, its], rtol=1e-3)
    assert query(at, "compare") == "true" and query(at, "adaptation_b") == "fisher"
    assert query(at, "sampler_b") == "HMC" and query(at, "n_leapfrog_b") == "12"
    assert "warmup_compare" not in [b.key for b in at.button]  # already set up


def test_from_metropolis_the_button_compares_nuts():
    at = open_page(sampler="Metropolis")
    (player,) = warmup_players(at)
    assert player["frames"]["adaptation"] == "metropolis"  # its proposal-scale tuning plays too
    at.button(key="warmup_compare").click().run()
    assert not at.exception and not at.error
    assert [at.selectbox(key=k).value for k in ("sampler", "sampler_b")] == ["NUTS", "NUTS"]
    assert [p["frames"]["adaptation"] for p in warmup_players(at)] == ["stan", "fisher"]


def test_gibbs_has_no_warmup_to_play():
    at = open_page(sampler="Gibbs")
    assert not at.exception and not at.error
    assert warmup_players(at) == []
    assert any("no warm-up to show" in c.value for c in at.caption)


def test_stan_vs_fisher_values_are_valid_and_differ_only_in_the_adaptation():
    values = stan_vs_fisher({"sampler": "NUTS", "accept": 0.9, "max_depth": 6, "adapt": False})
    for key, value in values.items():
        assert PARAMS[key].check(value) == value  # every value is one the page accepts
    assert values["sampler"] == values["sampler_b"] == "NUTS"
    assert (values["accept_b"], values["max_depth_b"], values["adapt_b"]) == (0.9, 6, False)
    assert (values["adaptation"], values["adaptation_b"]) == ("stan", "fisher")
    assert stan_vs_fisher({"sampler": "Gibbs"})["sampler_b"] == "NUTS"  # Gibbs adapts nothing
