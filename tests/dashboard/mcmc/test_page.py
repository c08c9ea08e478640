"""AppTest tests of the MCMC page (dashboard/topics/mcmc/page.py), run on its own.

Wiring: a widget or URL value -> the run core makes -> the number shown. References:
ArviZ's R-hat, bulk/tail ESS and MCSE computed here on draws from core's samplers run
with the page's seed (the page must show exactly those numbers), and the flag
thresholds of Vehtari et al. (2021): R-hat ≥ 1.01 or ESS < 400. Runs are small.
"""

from __future__ import annotations

import dataclasses

import arviz as az
import numpy as np
import pandas as pd
from streamlit.testing.v1 import AppTest

from core import mcmc
from core.mcmc import registry
from dashboard.topics.mcmc import compute, runs
from dashboard.topics.mcmc.params import PARAMS
from tests.dashboard.helpers import DASHBOARD, TIMEOUT, chart_specs, metric

PAGE = DASHBOARD / "topics" / "mcmc" / "page.py"
#: Small runs for every test: 4 chains of 200 warm-up + 200 kept iterations, seed 3.
SMALL = {"n_chains": "4", "n_warmup": "200", "n_draws": "200", "seed": "3"}


def open_page(**params: str) -> AppTest:
    at = AppTest.from_file(str(PAGE), default_timeout=TIMEOUT)
    at.query_params.update({**SMALL, **params})
    return at.run()


def core_run(sampler, target, seed=3, **options) -> mcmc.Trace:
    """The same run as the page's, straight from core (same seed, same sizes)."""
    return sampler(target, n_chains=4, n_warmup=200, n_draws=200,
                   rng=np.random.default_rng(seed), **options)


def core_nuts(target, seed=3, **options) -> mcmc.Trace:
    return core_run(mcmc.nuts, target, seed, target_accept=0.8, max_tree_depth=8,
                    keep_trajectories=target.dim <= 2, **options)


def arviz_table(draws: np.ndarray) -> pd.DataFrame:
    """R-hat, bulk/tail ESS and MCSE of each coordinate by ArviZ, from (chain, draw, dim)."""
    data = az.from_dict({"x": draws})
    rows = []
    for i in range(draws.shape[2]):
        sel = {"x_dim_0": i}
        rows.append({
            "rhat": float(az.rhat(data)["x"].sel(sel)),
            "ess_bulk": float(az.ess(data, method="bulk")["x"].sel(sel)),
            "ess_tail": float(az.ess(data, method="tail")["x"].sel(sel)),
            "mcse": float(az.mcse(data, method="mean")["x"].sel(sel)),
            "mean": float(draws[:, :, i].mean()),
        })
    return pd.DataFrame(rows)


def assert_table_matches_arviz(shown: pd.DataFrame, draws: np.ndarray) -> None:
    ref = arviz_table(draws)
    for column in ("rhat", "ess_bulk", "ess_tail", "mcse", "mean"):
        np.testing.assert_allclose(shown[column].to_numpy(), ref[column].to_numpy(), rtol=1e-8,
                                   err_msg=column)


def test_the_default_view_runs_nuts_on_load_and_converges():
    at = AppTest.from_file(str(PAGE), default_timeout=TIMEOUT).run()
    assert not at.exception and not at.error
    shown = at.dataframe[0].value
    assert list(shown["coordinate"]) == ["x1", "x2"]
    trace = mcmc.nuts(mcmc.correlated_gaussian(0.9), n_chains=4, n_warmup=500, n_draws=500,
                      rng=np.random.default_rng(0), max_tree_depth=8, keep_trajectories=True)
    assert_table_matches_arviz(shown, trace.draws)
    assert (shown["rhat"] < 1.01).all() and not any(w.value.startswith("Not converged") for w in at.warning)
    assert metric(at, "Gradient evals") == f"{trace.n_grad_evals:,}"
    assert dict(at.query_params) == {}  # every control at its default


def test_a_control_changes_nothing_until_run_is_pressed():
    at = open_page()
    before = at.dataframe[0].value
    at.selectbox(key="target").set_value("Banana")
    at.selectbox(key="sampler").set_value("HMC").run()
    pd.testing.assert_frame_equal(at.dataframe[0].value, before)
    assert any("press **Run**" in i.value for i in at.info)
    at.button(key="run").click().run()
    assert not at.exception and not at.error
    shown = at.dataframe[0].value
    trace = core_run(mcmc.hmc, mcmc.banana(0.03), target_accept=0.8, n_leapfrog=10, keep_trajectories=True)
    assert_table_matches_arviz(shown, trace.draws)
    assert metric(at, "Gradient evals") == f"{trace.n_grad_evals:,}"
    assert list(shown["true_mean"]) == [0.0, 0.0]  # the banana's means (Haario et al.)
    ref = arviz_table(trace.draws)
    for (_, row), (_, r) in zip(shown.iterrows(), ref.iterrows(), strict=True):
        assert ("R-hat ≥ 1.01" in row["flags"]) == (r["rhat"] >= 1.01)
        assert ("bulk ESS < 400" in row["flags"]) == (r["ess_bulk"] < 400)
    assert not any("press **Run**" in i.value for i in at.info)


def test_a_new_seed_is_a_new_run_shown_in_the_metrics():
    at = open_page(sampler="Metropolis")
    at.number_input(key="seed").set_value(8)
    at.button(key="run").click().run()
    trace = core_run(mcmc.metropolis, mcmc.correlated_gaussian(0.9), seed=8, target_accept=0.234)
    assert metric(at, "Acceptance") == f"{trace.stats['accept_stat'].mean():.3f}"
    assert_table_matches_arviz(at.dataframe[0].value, trace.draws)
    assert at.query_params["seed"] == ["8"] or at.query_params["seed"] == "8"


def test_internal_names_in_a_hand_typed_url_work_like_labels():
    at = open_page(target="funnel", sampler="nuts")
    assert not at.exception and not at.error
    assert at.selectbox(key="target").value == "Funnel" and at.selectbox(key="sampler").value == "NUTS"
    trace = core_nuts(mcmc.funnel(10, scale=3.0))
    assert trace.n_divergent > 0  # Neal's funnel: the neck is narrower than any one step
    assert metric(at, "Divergences") == str(trace.n_divergent)
    warning = next(w.value for w in at.warning if "divergent transitions" in w.value)
    assert warning.startswith(f"{trace.n_divergent} divergent transitions")
    assert at.query_params["target"] in ("Funnel", ["Funnel"])  # the label is written back


def test_side_by_side_url_always_shows_what_is_on_screen():
    at = open_page(compare="true", sampler="HMC", sampler_b="NUTS", n_leapfrog="12")
    assert dict(at.query_params)["sampler"] in ("HMC", ["HMC"])
    at.selectbox(key="sampler").set_value("NUTS").run()  # back to the left side's default
    query = dict(at.query_params)
    assert "sampler" not in query and "n_leapfrog" not in query  # HMC's knob is off screen
    assert query["sampler_b"] in ("NUTS", ["NUTS"])  # not the right side's default
    at.toggle(key="adapt").set_value(False).run()
    query = dict(at.query_params)
    assert query["adapt"] in ("false", ["false"]) and "accept" not in query


def test_side_by_side_shows_two_tables_for_the_same_target():
    at = open_page(compare="true", sampler="Metropolis", sampler_b="NUTS")
    assert not at.exception and not at.error
    assert len(at.dataframe) == 2
    target = mcmc.correlated_gaussian(0.9)
    mh = core_run(mcmc.metropolis, target, target_accept=0.234)
    nuts = core_nuts(target)
    assert_table_matches_arviz(at.dataframe[0].value, mh.draws)
    assert_table_matches_arviz(at.dataframe[1].value, nuts.draws)
    assert [m.value for m in at.metric if m.label == "Gradient evals"] == ["0", f"{nuts.n_grad_evals:,}"]
    specs = chart_specs(at)
    assert len(specs) == 10  # two of each: density, trace, rank, autocorrelation, marginals
    # The two density panels share their axes.
    densities = [s for s in specs if "layer" in s and "fill" in s["layer"][0]["encoding"]]
    assert len(densities) == 2
    assert densities[0]["layer"][0]["encoding"]["x"]["scale"] == densities[1]["layer"][0]["encoding"]["x"]["scale"]


def test_an_over_budget_run_is_refused_with_a_clear_message():
    # The case: NUTS with tuning off, step 1e-6, 8 chains × 10,000 iterations.
    at = open_page(target="Your own log density", sampler="NUTS", adapt="false", step_size="0.000001",
                   max_depth="10", n_chains="8", n_warmup="5000", n_draws="5000")
    assert not at.exception
    (error,) = [e.value for e in at.error]
    assert "up to 81,840,008 gradient evaluations, more than the limit of 5,000,000" in error
    assert len(at.dataframe) == 0
    assert any("At most 81,840,008 gradient evaluations" in c.value for c in at.caption)


def test_unchanged_inputs_do_not_sample_again(monkeypatch):
    calls = []
    real = registry.SAMPLERS["gibbs"]

    def counting(*args, **kwargs):
        calls.append(kwargs["n_draws"])
        return real.call(*args, **kwargs)

    monkeypatch.setitem(registry.SAMPLERS, "gibbs", dataclasses.replace(real, call=counting))
    runs.mcmc_runs().clear()
    first = open_page(sampler="Gibbs")
    second = open_page(sampler="Gibbs")  # a fresh session with the same URL
    assert not first.exception and not second.exception
    assert calls == [200]
    pd.testing.assert_frame_equal(first.dataframe[0].value, second.dataframe[0].value)
    second.button(key="run").click().run()  # the same run again: from the store
    assert calls == [200]
    second.number_input(key="seed").set_value(4)
    second.button(key="run").click().run()
    assert calls == [200, 200]


def test_bad_values_are_errors_not_exceptions():
    at = open_page(sampler="NUTS", adapt="false", step_size="0")
    assert not at.exception
    step = PARAMS["step_size"].label
    assert [e.value for e in at.error] == [f"Cannot use this input: “{step}” must be > 0; got 0.0"]
    assert len(at.dataframe) == 0
    at = open_page(sampler="HMC", n_leapfrog="0")
    leapfrog = PARAMS["n_leapfrog"].label
    assert [e.value for e in at.error] == [f"Cannot use this input: “{leapfrog}” must be >= 1; got 0"]
    at = open_page(target="Banana", sampler="Gibbs")
    (error,) = [e.value for e in at.error]
    assert f"“{PARAMS['sampler'].label}” Gibbs" in error and "correlated 2-D Gaussian" not in error and "Correlated Gaussian" in error
    at = open_page(rho="3")  # out of the declared bounds: left out, and said so
    assert any("`rho`" in w.value and "above the maximum 0.999" in w.value for w in at.warning)
    assert at.number_input(key="rho").value == 0.9


def test_a_typed_log_density_is_sampled_and_diagnosed():
    text = "-(x**2 + y**2)/2"
    at = open_page(target="Your own log density", logp=text)
    assert not at.exception and not at.error
    shown = at.dataframe[0].value
    assert list(shown["coordinate"]) == ["x", "y"]
    trace = core_nuts(compute.custom_target(text, 0.0, 0.0))
    assert_table_matches_arviz(shown, trace.draws)
    assert shown["true_mean"].isna().all()  # a typed density has no known truth
    assert (shown["mean"].abs() < 4 * shown["mcse"]).all()  # N(0, I₂)
    at = open_page(target="Your own log density", logp="log(x) + log(y)")
    assert any("must be finite at the start point" in e.value for e in at.error)


def test_tiny_proposal_scale_on_a_narrow_ridge_is_flagged():
    at = open_page(rho="0.99", sampler="Metropolis", adapt="false", mh_scale="0.01")
    assert not at.exception and not at.error
    shown = at.dataframe[0].value
    trace = core_run(mcmc.metropolis, mcmc.correlated_gaussian(0.99), proposal_scale=0.01)
    assert_table_matches_arviz(shown, trace.draws)
    assert (shown["rhat"] >= 1.01).all() and (shown["ess_bulk"] < 400).all()
    assert any(w.value.startswith("Not converged") and "x1: R-hat ≥ 1.01" in w.value for w in at.warning)


def test_the_leapfrog_path_of_the_chosen_iteration_is_drawn():
    at = open_page(sampler="HMC", path_chain="2", path_iter="7")
    assert not at.exception and not at.error
    density = chart_specs(at)[0]  # drawn from a cached spec with the path's data inline
    (path,) = [pd.DataFrame(layer["data"]["values"]) for layer in density["layer"]
               if "values" in layer.get("data", {}) and "step" in layer["data"]["values"][0]]
    assert list(path["step"]) == list(range(11))  # L = 10 steps: 11 positions
    trace = core_run(mcmc.hmc, mcmc.correlated_gaussian(0.9), target_accept=0.8, n_leapfrog=10,
                     keep_trajectories=True)
    np.testing.assert_allclose(path[["x", "y"]].to_numpy(), trace.trajectories[1][6], rtol=1e-12)
    assert any("The path has 10 leapfrog steps" in c.value for c in at.caption)
    at = open_page(path_iter="900")
    assert [e.value for e in at.error] == ["Cannot use this input: `iteration` must be <= 200; got 900"]
    assert len(at.dataframe) == 1  # the diagnostics still show


def test_controls_that_do_nothing_are_hidden():
    at = open_page(sampler="Metropolis")
    keys = {w.key for w in at.number_input} | {w.key for w in at.slider} | {w.key for w in at.toggle}
    assert "path_chain" not in keys and "path_iter" not in keys  # no leapfrog paths
    assert "mh_accept" in keys and "mh_scale" not in keys  # tuned: the scale is the tuner's
    at = open_page(sampler="Gibbs")
    assert "adapt" not in {w.key for w in at.toggle}


def test_many_dimensions_and_one_dimension():
    at = open_page(target="Gaussian in d dimensions", gauss_dim="5", sampler="Metropolis")
    shown = at.dataframe[0].value
    assert list(shown["coordinate"]) == ["x1", "x2", "x3", "x4", "x5"]
    assert_table_matches_arviz(shown, core_run(mcmc.metropolis, mcmc.gaussian(5), target_accept=0.234).draws)
    assert any("first two coordinates" in i.value for i in at.info)
    at = open_page(target="Beta-Binomial")
    shown = at.dataframe[0].value
    assert list(shown["coordinate"]) == ["θ"]
    assert_table_matches_arviz(shown, core_nuts(mcmc.beta_binomial_logit(2, 2, 4, 1)).draws)
    assert any("no contour plot" in i.value for i in at.info)
    assert len(chart_specs(at)) == 4  # trace, rank, autocorrelation, marginal


def test_every_widget_is_declared_in_the_params_contract():
    at = open_page(compare="true", sampler="HMC", adapt_b="false", target="Your own log density")
    widgets = [*at.selectbox, *at.number_input, *at.slider, *at.toggle, *at.text_input]
    assert len(widgets) >= 15
    for w in widgets:
        assert w.key in PARAMS, w.key
        assert w.label == PARAMS[w.key].label


def test_a_run_refused_for_a_bad_input_keeps_the_last_density_and_traces_greyed():
    at = open_page(sampler="HMC")
    assert not at.error and not any("greyed" in c.value for c in at.caption)
    density = next(s for s in chart_specs(at) if "vconcat" not in s and "layer" in s)
    at.number_input(key="n_leapfrog").set_value(0).run()
    at.button(key="run").click().run()
    assert not at.exception
    label = PARAMS["n_leapfrog"].label
    assert [e.value for e in at.error] == [f"Cannot use this input: “{label}” must be >= 1; got 0"]
    assert len(at.dataframe) == 0  # no diagnostics: nothing was run
    greyed_density, trace = chart_specs(at)  # the last good density and trace plot, greyed
    assert greyed_density == density
    assert "vconcat" in trace
    assert sum("greyed" in c.value for c in at.caption) == 2


def test_side_by_side_trace_rank_and_autocorrelation_panels_share_y_domains():
    at = open_page(compare="true", sampler="Metropolis", sampler_b="NUTS")
    assert not at.exception and not at.error
    specs = chart_specs(at)
    traces = [s for s in specs if "vconcat" in s]
    faceted = [s for s in specs if "facet" in s]
    ranks = [s for s in faceted if "row" in s["facet"] and s["facet"]["row"]["field"] == "chain"]
    acfs = [s for s in faceted if s["spec"].get("encoding", {}).get("y", {}).get("field") == "autocorrelation"]
    assert len(traces) == len(ranks) == len(acfs) == 2

    def trace_domains(spec):
        return [panel["encoding"]["y"]["scale"]["domain"] for panel in spec["vconcat"]]

    assert trace_domains(traces[0]) == trace_domains(traces[1])
    assert len(trace_domains(traces[0])) == 2
    rank_domains = [s["spec"]["layer"][0]["encoding"]["y"]["scale"]["domain"] for s in ranks]
    assert rank_domains[0] == rank_domains[1]
    assert [s["spec"]["encoding"]["y"]["scale"]["domain"] for s in acfs] == [[-1, 1], [-1, 1]]


def test_side_by_side_compares_stan_and_fisher_adaptation():
    at = open_page(compare="true", sampler_b="NUTS", adaptation_b="fisher")
    assert not at.exception and not at.error
    assert at.selectbox(key="adaptation").value == "stan"
    assert at.selectbox(key="adaptation_b").value == "fisher"
    target = mcmc.correlated_gaussian(0.9)
    runs_ = [core_nuts(target, adaptation="stan"), core_nuts(target, adaptation="fisher")]
    captions = [c.value for c in at.caption if c.value.startswith("Min bulk ESS per 1,000")]
    assert len(captions) == 2
    for side, trace in enumerate(runs_):
        assert_table_matches_arviz(at.dataframe[side].value, trace.draws)
        per_kgrad = 1000 * min(az.ess(trace.draws[:, :, i], method="bulk") for i in range(2))
        per_kgrad /= trace.n_grad_evals_sampling
        assert f"**{per_kgrad:.1f}**" in captions[side]
    assert not np.allclose(runs_[0].inv_metric, runs_[1].inv_metric)
    assert any("NUTS (fisher adaptation)" in m.value for m in at.markdown)
    assert dict(at.query_params)["adaptation_b"] in ("fisher", ["fisher"])


def test_adaptation_is_shown_only_for_hmc_and_nuts():
    for sampler, shown in (("HMC", True), ("NUTS", True), ("Metropolis", False), ("Gibbs", False)):
        at = open_page(sampler=sampler)
        assert ("adaptation" in {w.key for w in at.selectbox}) == shown, sampler
        assert any(c.value.startswith("Min bulk ESS per 1,000") for c in at.caption) == shown
    at = open_page(sampler="Metropolis", adaptation="fisher")  # off screen: dropped from the URL
    assert "adaptation" not in dict(at.query_params)
