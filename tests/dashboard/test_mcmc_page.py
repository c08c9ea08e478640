"""AppTest tests of the MCMC page, run on its own.

References: ArviZ's R-hat, bulk/tail ESS and MCSE computed here on draws from core's
samplers run with the page's seed (the page must show exactly those numbers), and the
flag thresholds of Vehtari et al. (2021): R-hat ≥ 1.01 or ESS < 400. Runs are kept small
(a few hundred draws) so the whole file stays fast.
"""

from __future__ import annotations

import re

import arviz as az
import numpy as np
import pandas as pd
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df

from core import mcmc
from dashboard import compute
from tests.dashboard.helpers import chart_specs, metric, page_test

#: Small runs for every test: 4 chains of 200 warm-up + 200 kept iterations, seed 3.
SMALL = {"n_chains": "4", "n_warmup": "200", "n_draws": "200", "seed": "3"}


def open_page(**params: str):
    at = page_test("mcmc.py")
    at.query_params.update({**SMALL, **params})
    return at.run()


def core_run(sampler, target, **options) -> mcmc.Trace:
    """The same run as the page's, straight from core (same seed, same sizes)."""
    return sampler(target, n_chains=4, n_warmup=200, n_draws=200,
                   rng=np.random.default_rng(3), **options)


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


def test_default_inputs_run_a_tuned_random_walk_on_the_correlated_gaussian():
    at = open_page()
    assert not at.exception and not at.error
    shown = at.dataframe[0].value
    assert list(shown["coordinate"]) == ["x1", "x2"]
    trace = core_run(mcmc.metropolis, mcmc.correlated_gaussian(0.9), target_accept=0.234)
    assert_table_matches_arviz(shown, trace.draws)
    assert metric(at, "Acceptance") == f"{trace.stats['accept_stat'].mean():.3f}"
    assert metric(at, "Gradient evals") == "0"
    assert metric(at, "Divergences") == "0"


def test_switching_target_and_sampler_updates_the_diagnostics():
    at = open_page()
    at.selectbox(key="target").set_value("banana")
    at.selectbox(key="sampler").set_value("hmc").run()
    assert not at.exception and not at.error
    shown = at.dataframe[0].value
    trace = core_run(mcmc.hmc, mcmc.banana(0.03), target_accept=0.8, n_leapfrog=10,
                     keep_trajectories=True)
    assert_table_matches_arviz(shown, trace.draws)
    assert metric(at, "Gradient evals") == f"{trace.n_grad_evals:,}"
    assert metric(at, "Divergences") == str(trace.n_divergent)
    # The true means of the banana are 0 (Haario et al.).
    assert list(shown["true_mean"]) == [0.0, 0.0]
    # Every flag in the table follows the thresholds applied to ArviZ's numbers.
    ref = arviz_table(trace.draws)
    for (_, row), (_, r) in zip(shown.iterrows(), ref.iterrows(), strict=True):
        assert ("R-hat ≥ 1.01" in row["flags"]) == (r["rhat"] >= 1.01)
        assert ("bulk ESS < 400" in row["flags"]) == (r["ess_bulk"] < 400)
        assert ("tail ESS < 400" in row["flags"]) == (r["ess_tail"] < 400)


def test_funnel_divergences_are_counted_and_the_warning_says_what_to_do():
    at = open_page(target="Funnel", sampler="NUTS")  # widgets bind their labels to the URL
    assert not at.exception and not at.error
    trace = core_run(mcmc.nuts, mcmc.funnel(10, scale=3.0), target_accept=0.8,
                     keep_trajectories=True)
    assert trace.n_divergent > 0  # Neal's funnel: the neck is narrower than any one step
    assert metric(at, "Divergences") == str(trace.n_divergent)
    warning = next(w.value for w in at.warning if "divergent transitions" in w.value)
    assert warning.startswith(f"{trace.n_divergent} divergent transitions")
    assert "Raise the target acceptance" in warning


def test_a_typed_log_density_is_sampled_and_diagnosed():
    text = "-(x**2 + y**2)/2"
    at = open_page(target="Your own log density", sampler="NUTS", logp=text)
    assert not at.exception and not at.error
    shown = at.dataframe[0].value
    assert list(shown["coordinate"]) == ["x", "y"]
    trace = core_run(mcmc.nuts, compute.custom_target(text, 0.0, 0.0), target_accept=0.8,
                     keep_trajectories=True)
    assert_table_matches_arviz(shown, trace.draws)
    assert shown["true_mean"].isna().all()  # a typed density has no known truth
    # N(0, I₂): every mean within 4 MCSE of 0.
    assert (shown["mean"].abs() < 4 * shown["mcse"]).all()
    assert metric(at, "Gradient evals") == f"{trace.n_grad_evals:,}"


def test_a_typed_log_density_outside_its_support_at_the_start_is_an_error():
    at = open_page(target="Your own log density", logp="log(x) + log(y)")
    assert not at.exception
    assert any("must be finite at the start point" in e.value for e in at.error)
    at = open_page(target="Your own log density", logp="__import__('os')")
    assert not at.exception
    assert any("unknown function '__import__'" in e.value for e in at.error)


def test_tiny_proposal_scale_on_a_narrow_ridge_is_flagged():
    at = open_page(rho="0.99", adapt="false", mh_scale="0.01")
    assert not at.exception and not at.error
    shown = at.dataframe[0].value
    trace = core_run(mcmc.metropolis, mcmc.correlated_gaussian(0.99), proposal_scale=0.01)
    assert_table_matches_arviz(shown, trace.draws)
    assert (shown["rhat"] >= 1.01).all() and (shown["ess_bulk"] < 400).all()
    assert all("R-hat ≥ 1.01" in f and "bulk ESS < 400" in f for f in shown["flags"])
    warnings = [w.value for w in at.warning]
    assert any(w.startswith("Not converged") and "x1: R-hat ≥ 1.01" in w for w in warnings)


def test_side_by_side_shows_two_tables_for_the_same_target():
    at = open_page(compare="true", sampler="Metropolis", sampler_b="NUTS")
    assert not at.exception and not at.error
    assert len(at.dataframe) == 2
    target = mcmc.correlated_gaussian(0.9)
    mh = core_run(mcmc.metropolis, target, target_accept=0.234)
    nuts = core_run(mcmc.nuts, target, target_accept=0.8, keep_trajectories=True)
    assert_table_matches_arviz(at.dataframe[0].value, mh.draws)
    assert_table_matches_arviz(at.dataframe[1].value, nuts.draws)
    grads = [m.value for m in at.metric if m.label == "Gradient evals"]
    assert grads == ["0", f"{nuts.n_grad_evals:,}"]
    # Two of each chart: density, trace, rank, autocorrelation, marginals.
    assert len(chart_specs(at)) == 10


def test_unchanged_inputs_do_not_sample_again(monkeypatch):
    calls = []
    real = compute._MCMC_SAMPLER_FUNCTIONS["gibbs"]

    def counting(*args, **kwargs):
        calls.append(kwargs["n_draws"])
        return real(*args, **kwargs)

    monkeypatch.setitem(compute._MCMC_SAMPLER_FUNCTIONS, "gibbs", counting)
    compute.mcmc_runs().clear()
    first = open_page(sampler="Gibbs")
    second = open_page(sampler="Gibbs")  # a fresh session with the same URL
    assert not first.exception and not second.exception
    assert calls == [200]
    pd.testing.assert_frame_equal(first.dataframe[0].value, second.dataframe[0].value)
    second.number_input(key="seed").set_value(4).run()
    assert calls == [200, 200]


def test_step_size_zero_in_the_url_is_an_error_not_an_exception():
    at = open_page(sampler="NUTS", adapt="false", step_size="0")
    assert not at.exception
    assert [e.value for e in at.error] == ["Cannot use this input: `step_size` must be > 0; got 0.0"]
    assert len(at.dataframe) == 0


def test_zero_leapfrog_steps_in_the_url_is_an_error():
    at = open_page(sampler="HMC", n_leapfrog="0")
    assert not at.exception
    assert [e.value for e in at.error] == ["Cannot use this input: `n_leapfrog` must be >= 1; got 0"]


def test_gibbs_needs_the_correlated_gaussian():
    at = open_page(target="Banana", sampler="Gibbs")
    assert not at.exception
    (error,) = [e.value for e in at.error]
    assert "`sampler` Gibbs" in error and "correlated 2-D Gaussian" in error


def test_hmc_shows_the_leapfrog_path_of_the_chosen_iteration():
    at = open_page(sampler="HMC", path_chain="2", path_iter="7")
    assert not at.exception and not at.error
    density = at.get("vega_lite_chart")[0]
    frames = [convert_arrow_bytes_to_pandas_df(d.data.data) for d in density.proto.datasets]
    # L = 10 leapfrog steps: 11 positions, starting at the previous draw of chain 2.
    (path,) = [f for f in frames if "step" in f.columns]
    assert list(path["step"]) == list(range(11))
    trace = core_run(mcmc.hmc, mcmc.correlated_gaussian(0.9), target_accept=0.8, n_leapfrog=10,
                     keep_trajectories=True)
    np.testing.assert_allclose(path[["x", "y"]].to_numpy(), trace.trajectories[1][6], rtol=1e-12)
    np.testing.assert_allclose(path[["x", "y"]].iloc[0], trace.draws[1, 5], rtol=1e-12)
    assert any("The path has 10 leapfrog steps" in c.value for c in at.caption)


def test_an_iteration_past_the_run_is_an_error_beside_the_chart():
    at = open_page(sampler="NUTS", path_iter="900")
    assert not at.exception
    assert [e.value for e in at.error] == ["Cannot use this input: `iteration` must be <= 200; got 900"]
    assert len(at.dataframe) == 1  # the diagnostics still show


def test_many_dimensions_show_the_first_coordinates_and_say_so():
    at = open_page(target="Gaussian in d dimensions", gauss_dim="5")
    assert not at.exception and not at.error
    shown = at.dataframe[0].value
    assert list(shown["coordinate"]) == ["x1", "x2", "x3", "x4", "x5"]
    trace = core_run(mcmc.metropolis, mcmc.gaussian(5), target_accept=0.234)
    assert_table_matches_arviz(shown, trace.draws)
    assert any("first two coordinates" in i.value for i in at.info)


def test_one_dimensional_target_has_no_contours():
    at = open_page(target="Beta-Binomial", sampler="NUTS")
    assert not at.exception and not at.error
    shown = at.dataframe[0].value
    assert list(shown["coordinate"]) == ["θ"]
    trace = core_run(mcmc.nuts, mcmc.beta_binomial_logit(2, 2, 4, 1), target_accept=0.8,
                     keep_trajectories=True)
    assert_table_matches_arviz(shown, trace.draws)
    assert any("no contour plot" in i.value for i in at.info)
    assert len(chart_specs(at)) == 4  # trace, rank, autocorrelation, marginal


def test_every_widget_is_keyed_and_bound_to_the_url():
    from tests.dashboard.helpers import PAGES

    source = (PAGES / "mcmc.py").read_text()
    widgets = re.findall(r"\.(?:selectbox|number_input|slider|toggle|text_input)\(", source)
    assert len(widgets) == source.count('bind="query-params"') == 29
    assert len(widgets) == len(re.findall(r'key=f?"', source))

