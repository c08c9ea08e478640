"""core.mcmc.registry: every target and sampler by name, the options that apply, and the
run-cost bound, checked against scipy densities and gradient counts of real runs."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import special, stats

from core import mcmc
from core.mcmc import registry as reg

POINTS = np.random.default_rng(5).normal(size=(7, 2)) * 1.3


def _scipy_log_density(name: str, values: dict, x: np.ndarray) -> np.ndarray:
    """Each built-in target's log density written independently with scipy.stats."""
    if name == "correlated_gaussian":
        rho = values["rho"]
        return stats.multivariate_normal([0, 0], [[1, rho], [rho, 1]]).logpdf(x)
    if name == "gaussian":
        return stats.norm.logpdf(x).sum(axis=-1)
    if name == "banana":  # x1 ~ N(0, 10²), x2 | x1 ~ N(b(x1² − 100), 1)
        b = values["b"]
        return stats.norm.logpdf(x[..., 0], 0, 10) + stats.norm.logpdf(x[..., 1], b * (x[..., 0] ** 2 - 100), 1)
    if name == "mixture":
        m, w = values["separation"] / 2, values["weight"]
        right = stats.multivariate_normal([m, 0]).logpdf(x)
        left = stats.multivariate_normal([-m, 0]).logpdf(x)
        return np.logaddexp(math.log(w) + right, math.log1p(-w) + left)
    if name == "funnel":  # v ~ N(0, s²), x_i | v ~ N(0, e^v)
        v = x[..., 0]
        return stats.norm.logpdf(v, 0, values["scale"]) + stats.norm.logpdf(
            x[..., 1:], 0, np.exp(v / 2)[..., None]).sum(axis=-1)
    # Beta(A, B) in p = σ(θ), times the Jacobian dp/dθ = p(1 − p).
    a, b = values["alpha0"] + values["heads"], values["beta0"] + values["tails"]
    p = special.expit(x[..., 0])
    return stats.beta(a, b).logpdf(p) + np.log(p * (1 - p))


def _points(dim: int) -> np.ndarray:
    return np.random.default_rng(dim).normal(size=(6, dim)) * 1.2


def test_the_registry_names_every_built_in_target_and_sampler():
    assert list(reg.TARGETS) == ["correlated_gaussian", "gaussian", "banana", "mixture", "funnel", "beta_binomial"]
    assert list(reg.SAMPLERS) == ["metropolis", "gibbs", "hmc", "nuts"]
    labels = [s.label for s in reg.TARGETS.values()] + [s.label for s in reg.SAMPLERS.values()]
    assert len(set(labels)) == len(labels)
    for name, spec in {**reg.TARGETS, **reg.SAMPLERS}.items():
        assert spec.name == name
        for p in getattr(spec, "params", ()) + getattr(spec, "options", ()):
            assert p.lo <= p.default <= p.hi and p.check(p.default) == p.default


@pytest.mark.parametrize("name", list(reg.TARGETS))
def test_every_target_builds_and_its_density_matches_scipy(name):
    spec = reg.TARGETS[name]
    values = spec.defaults()
    target = spec.build(values)
    assert isinstance(target, mcmc.Target)
    x = _points(target.dim)
    np.testing.assert_allclose(target.log_density(x), _scipy_log_density(name, values, x), rtol=1e-10)
    assert len(spec.names(target.dim)) == target.dim


@pytest.mark.parametrize(("name", "values", "direct"), [
    ("correlated_gaussian", {"rho": -0.5}, mcmc.correlated_gaussian(-0.5)),
    ("gaussian", {"dim": 3}, mcmc.gaussian(3)),
    ("banana", {"b": 0.1}, mcmc.banana(0.1)),
    ("mixture", {"separation": 3.0, "weight": 0.3}, mcmc.gaussian_mixture(3.0, weight=0.3)),
    ("funnel", {"dim": 4, "scale": 2.0}, mcmc.funnel(4, scale=2.0)),
    ("beta_binomial", {"alpha0": 1.0, "beta0": 3.0, "heads": 7, "tails": 2}, mcmc.beta_binomial_logit(1, 3, 7, 2)),
])
def test_a_registry_target_is_the_core_target_with_those_parameters(name, values, direct):
    built = reg.TARGETS[name].build(values)
    x = _points(direct.dim)
    np.testing.assert_array_equal(built.log_density(x), direct.log_density(x))
    np.testing.assert_array_equal(built.logp_grad(x)[1], direct.logp_grad(x)[1])
    assert built.name == direct.name and built.dim == direct.dim


def test_the_shown_target_is_the_first_two_coordinates():
    assert reg.TARGETS["funnel"].shown({"dim": 12, "scale": 3.0}).dim == 2
    assert reg.TARGETS["funnel"].names(4) == ("v", "x1", "x2", "x3")
    assert reg.TARGETS["beta_binomial"].shown(reg.TARGETS["beta_binomial"].defaults()).dim == 1


def test_bad_parameters_are_named():
    spec = reg.TARGETS["mixture"]
    with pytest.raises(ValueError, match=r"`weight` must lie in \[0.05, 0.95\]; got 0.99"):
        spec.build({"separation": 4.0, "weight": 0.99})
    with pytest.raises(ValueError, match=r"unknown \['sep'\], missing \['separation'\]"):
        spec.build({"sep": 4.0, "weight": 0.5})
    with pytest.raises(TypeError, match=r"`dim` must be an integer"):
        reg.TARGETS["gaussian"].build({"dim": 2.5})
    with pytest.raises(ValueError, match=r"has no parameter 'x'"):
        spec.param("x")
    with pytest.raises(ValueError, match="`sampler` must be one of"):
        reg.run_cost("slice", 2, 10, 10, {})


def test_options_that_apply_follow_the_mode():
    assert reg.sampler_options("metropolis", tune=True, options={}) == {"target_accept": 0.234}
    assert reg.sampler_options("metropolis", tune=False, options={}) == {"proposal_scale": 0.5}
    assert reg.sampler_options("nuts", tune=True, options={"step_size": 0.1}) == {
        "target_accept": 0.8, "max_tree_depth": 8, "adaptation": "stan"}
    assert reg.sampler_options("hmc", tune=False, options={"adaptation": "fisher"})["adaptation"] == "fisher"
    with pytest.raises(ValueError, match=r"`adaptation` must be one of 'stan', 'fisher'; got 'nutpie'"):
        reg.sampler_options("nuts", tune=True, options={"adaptation": "nutpie"})
    with pytest.raises(ValueError, match=r"sampler 'metropolis' has no option\(s\) \['adaptation'\]"):
        reg.sampler_options("metropolis", tune=True, options={"adaptation": "stan"})
    assert reg.sampler_options("gibbs", tune=True, options={}) == {}
    with pytest.raises(ValueError, match=r"sampler 'hmc' has no option\(s\) \['max_tree_depth'\]"):
        reg.sampler_options("hmc", tune=True, options={"max_tree_depth": 5})
    with pytest.raises(ValueError, match=r"`n_leapfrog` must lie in \[0, 200\]; got 500"):
        reg.sampler_options("hmc", tune=True, options={"n_leapfrog": 500})


def _run(sampler, tune, options, n_chains=2, n_warmup=30, n_draws=20, target="correlated_gaussian"):
    spec = reg.TARGETS[target]
    chosen = reg.sampler_options(sampler, tune=tune, options=options)
    trace = reg.run_sampler(sampler, spec.build(spec.defaults()), target_name=target, tune=tune,
                            options=options, n_chains=n_chains, n_warmup=n_warmup, n_draws=n_draws, rng=4)
    return trace, reg.run_cost(sampler, n_chains, n_draws, n_warmup, chosen)


def test_the_bound_is_exact_where_every_iteration_hits_its_cap():
    # Fixed step and L: HMC costs L gradients an iteration plus one at each start.
    trace, bound = _run("hmc", False, {"step_size": 0.1, "n_leapfrog": 7})
    assert trace.n_grad_evals == bound == 2 * (50 * 7 + 1)
    # A step of 1e-6 never turns NUTS's trajectory back: every tree is full, 2^depth − 1.
    trace, bound = _run("nuts", False, {"step_size": 1e-6, "max_tree_depth": 4})
    assert trace.n_grad_evals == bound == 2 * (50 * 15 + 1)


@pytest.mark.parametrize(("sampler", "options"), [
    ("nuts", {}), ("hmc", {}), ("nuts", {"max_tree_depth": 3}), ("metropolis", {}),
])
def test_the_bound_holds_for_tuned_runs(sampler, options):
    for target in ("correlated_gaussian", "funnel", "banana"):
        trace, bound = _run(sampler, True, options, target=target)
        assert trace.n_grad_evals <= bound
        assert (bound == 0) == (sampler == "metropolis")


def test_an_hours_long_run_is_refused_before_it_starts():
    # The case: NUTS, tuning off, step 1e-6, 8 chains × 10,000 iterations.
    options = {"step_size": 1e-6, "max_tree_depth": 10}
    assert reg.run_cost("nuts", 8, 5000, 5000, options) == 8 * (10_000 * 1023 + 1)
    heard = []
    target = mcmc.from_log_density(lambda x: -0.5 * float(x @ x), init=[0.0, 0.0])
    with pytest.raises(ValueError, match=r"up to 81,840,008 gradient evaluations, more than the limit of 5,000,000"):
        reg.run_sampler("nuts", target, target_name="custom", tune=False, options=options,
                        n_chains=8, n_warmup=5000, n_draws=5000, rng=0, progress=heard.append)
    assert heard == []


def test_gibbs_samples_only_the_correlated_gaussian():
    trace, _ = _run("gibbs", True, {}, n_warmup=10, n_draws=2000)
    assert abs(np.corrcoef(trace.draws[:, :, 0].ravel(), trace.draws[:, :, 1].ravel())[0, 1] - 0.9) < 0.05
    with pytest.raises(ValueError, match="`sampler` Gibbs needs the full conditionals"):
        _run("gibbs", True, {}, target="banana")
