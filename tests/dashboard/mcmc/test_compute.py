"""The MCMC topic's compute and runs modules: frames cut from runs, targets, the run store.

References: ArviZ's autocorrelation and rank binning, scipy's normal density, and the
highest-density regions of N(0, I₂), the disks r² ≤ −2 ln(1 − q).
"""

from __future__ import annotations

import inspect
import math
import re

import numpy as np
import pytest
from scipy import stats

from dashboard.common.chart_style import MAX_ROWS
from dashboard.common.limits import CACHE_ENTRIES
from dashboard.topics.mcmc import compute, runs

MH = {"target_accept": 0.234}


def run(kind, params, sampler, options, n_chains, n_warmup, n_draws, seed, *, tune=True, progress=None):
    settings = runs.RunSettings(sampler, tune, tuple(sorted(options.items())), n_chains, n_warmup,
                                n_draws, seed)
    return compute.mcmc_run(kind, params, settings, progress=progress)


def test_every_cache_is_bounded():
    source = inspect.getsource(compute)
    decorators = re.findall(r"@st\.cache_data\((.*?)\)", source)
    assert len(decorators) == source.count("@st.cache_data") >= 1
    assert all("max_entries=CACHE_ENTRIES" in d for d in decorators)


def test_run_frames_are_thinned_and_binned():
    import arviz as az  # only these tests need it

    result = run("correlated_gaussian", {"rho": 0.5}, "metropolis", MH, 8, 100, 3000, 1)
    assert result.thin == math.ceil(3000 / (runs.MCMC_TRACE_ROWS // (8 * 2)))
    assert len(result.traces) <= runs.MCMC_TRACE_ROWS <= MAX_ROWS
    assert len(result.scatter) <= runs.MCMC_SCATTER_POINTS
    # Each chain's rank histogram holds all its draws, in twice-Sturges bins (az.plot_rank).
    per_chain = result.ranks.groupby(["coordinate", "chain"])["count"].agg(["sum", "size"])
    assert (per_chain["sum"] == 3000).all()
    assert (per_chain["size"] == math.ceil(2 * math.log2(3000)) + 1).all()
    acf = result.autocorrelation.query("coordinate == 'x2' and chain == 3")["autocorrelation"]
    ref = az.autocorr(result.trace.draws[2, :, 1])[: runs.MCMC_MAX_LAG + 1]
    np.testing.assert_allclose(acf, ref, rtol=1e-10, atol=1e-12)
    assert result.grad_evals == 0 and result.divergences == 0


def test_highest_density_regions_are_the_gaussian_disks():
    view = compute.mcmc_target_view("correlated_gaussian", {"rho": 0.0}, ((-4.0, 4.0), (-4.0, 4.0)))
    d = view.density
    r = np.hypot(d["x"], d["y"])
    cell = math.hypot(d["x1"].iloc[0] - d["x0"].iloc[0], d["y1"].iloc[0] - d["y0"].iloc[0])
    levels = {"50%": 0.5, "90%": 0.9, "99%": 0.99, "outside": 2.0}
    level = d["region"].map(levels)
    for q in compute.HDR_LEVELS:
        radius = math.sqrt(-2 * math.log(1 - q))
        assert (level[r < radius - cell] <= q).all()
        assert (level[r > radius + cell] > q).all()
    marg = view.marginals
    assert set(marg["coordinate"]) == {"x1", "x2"}
    np.testing.assert_allclose(marg["density"], stats.norm.pdf(marg["x"]), rtol=1e-7)


def test_ranges_cover_the_truth_and_the_draws():
    result = run("banana", {"b": 0.03}, "metropolis", MH, 2, 100, 200, 0)
    (x_lo, x_hi), (y_lo, y_hi) = compute.mcmc_plot_ranges("banana", {"b": 0.03}, (result,))
    assert x_lo <= -30 and x_hi >= 30  # x₁ ~ N(0, 10²): ±3 sd
    assert y_lo <= -3 * math.sqrt(19) and y_hi >= 3 * math.sqrt(19)  # Var x₂ = 1 + 2b²10⁴
    hist = compute.mcmc_histograms(result, ((x_lo, x_hi), (y_lo, y_hi)))
    widths = hist["bin_end"] - hist["bin_start"]
    inside = ((result.trace.draws[:, :, 0] >= x_lo) & (result.trace.draws[:, :, 0] <= x_hi)).mean()
    mass = (hist["density"] * widths)[hist["coordinate"] == "x1"].sum()
    assert mass == pytest.approx(inside, rel=1e-12)


def test_typed_log_density_is_the_closed_form_with_finite_difference_gradients():
    target = compute.custom_target("-((x - 1)**2 + 4*y**2)/2 + 7", 0.0, 0.0)
    point = np.array([0.3, -0.8])
    logp, grad = target.logp_grad(point)
    # Written out here: log p = −((x − 1)² + 4y²)/2 + 7, ∇ = (−(x − 1), −4y).
    assert logp == pytest.approx(-((0.3 - 1) ** 2 + 4 * 0.64) / 2 + 7, rel=1e-14)
    np.testing.assert_allclose(grad, [0.7, 3.2], rtol=1e-8)
    assert target.gradient.startswith("central finite differences")
    assert target.mean is None  # nothing is claimed about its truth
    assert compute.ALL_TARGETS["custom"].names(2) == ("x", "y")


def test_typed_log_density_is_zero_where_undefined():
    target = compute.custom_target("log(x) + log(y)", 1.0, 1.0)
    assert target.log_density([-1.0, 1.0]) == -math.inf
    assert target.log_density([1.0, 0.0]) == -math.inf  # log 0: too small for a float


@pytest.mark.parametrize(
    ("text", "x0", "message"),
    [
        ("log(x)", 0.0, r"`logp` must be finite at the start point \(x, y\) = \(0.0, 0.0\); got nan"),
        ("x + z", 0.0, "unknown name 'z'; allowed: x, y, e, pi"),
        ("x.__class__", 0.0, r"an attribute \(a.b\) is not allowed in an expression"),
        ("", 0.0, "the expression is empty"),
    ],
)
def test_typed_log_density_errors(text, x0, message):
    with pytest.raises(ValueError, match=message):
        compute.custom_target(text, x0, 0.0)


def test_typed_gaussian_grid_and_marginals_are_scipys():
    # N((1, 0), diag(1, 1/4)), unnormalised and shifted by 1000 (no overflow allowed).
    params = {"logp": "-((x - 1)**2 + 4*y**2)/2 + 1000", "x0": 0.0, "y0": 0.0}
    view = compute.mcmc_target_view("custom", params, ((-5.0, 7.0), (-3.0, 3.0)))
    marg = view.marginals
    x_marg, y_marg = marg[marg["coordinate"] == "x"], marg[marg["coordinate"] == "y"]
    # Riemann sums over ±6 and ±6 sd: the grid sums match the densities to ~1e-3.
    np.testing.assert_allclose(x_marg["density"], stats.norm(1, 1).pdf(x_marg["x"]), atol=2e-3)
    np.testing.assert_allclose(y_marg["density"], stats.norm(0, 0.5).pdf(y_marg["x"]), atol=5e-3)
    d = view.density
    ref = stats.multivariate_normal([1, 0], [[1, 0], [0, 0.25]]).pdf(d[["x", "y"]].to_numpy())
    np.testing.assert_allclose(d["density"], ref, rtol=1e-2, atol=1e-4)


def test_a_new_run_reports_progress_and_a_repeated_one_comes_from_the_store():
    runs.mcmc_runs().clear()
    seen: list[float] = []
    args = ("correlated_gaussian", {"rho": 0.5}, "nuts", {"target_accept": 0.8}, 2, 100, 100, 9)
    first = run(*args, progress=seen.append)
    assert seen[-1] == 1.0 and seen == sorted(seen) and len(seen) == 4  # 400 iterations
    again = run(*args, progress=seen.append)
    assert again is first and len(seen) == 4  # not sampled again
    other_seed = run(*args[:-1], 10, progress=seen.append)
    assert other_seed is not first and len(seen) == 8  # a new seed samples afresh
    assert not np.array_equal(other_seed.trace.draws, first.trace.draws)


def test_the_run_store_drops_the_least_recently_used():
    store = runs._RunStore(2)
    kept = {key: object() for key in "abc"}
    store.put("a", kept["a"])
    store.put("b", kept["b"])
    assert store.get("a") is kept["a"]  # now b is the least recently used
    store.put("c", kept["c"])
    assert store.get("b") is None
    assert store.get("a") is kept["a"] and store.get("c") is kept["c"]
    assert runs.mcmc_runs().size == CACHE_ENTRIES


def test_many_dimensions_show_two_but_tabulate_ten():
    result = run("funnel", {"dim": 12, "scale": 3.0}, "metropolis", MH, 2, 50, 100, 0)
    assert list(result.diagnostics["coordinate"]) == ["v"] + [f"x{i}" for i in range(1, 10)]
    assert set(result.traces["coordinate"]) == {"v", "x1"}
    shown = compute.mcmc_shown_target("funnel", {"dim": 12, "scale": 3.0})
    assert shown.dim == 2 and shown.var[0] == 9.0


def test_leapfrog_path_of_hmc_starts_at_the_previous_draw():
    options = {"step_size": 0.3, "n_leapfrog": 5}
    result = run("correlated_gaussian", {"rho": 0.9}, "hmc", options, 2, 0, 20, 0, tune=False)
    path = compute.mcmc_leapfrog_path(result, 2, 4)
    assert list(path.path["step"]) == list(range(6)) and path.n_leapfrog == 5
    np.testing.assert_array_equal(path.path[["x", "y"]].iloc[0], result.trace.draws[1, 2])
    assert list(path.points["point"]) == ["start", "draw"]
    # Without warm-up the first draw has no recorded start.
    assert list(compute.mcmc_leapfrog_path(result, 1, 1).points["point"]) == ["draw"]
    with pytest.raises(ValueError, match=r"`iteration` must be <= 20; got 21"):
        compute.mcmc_leapfrog_path(result, 1, 21)
    mh = run("correlated_gaussian", {"rho": 0.9}, "metropolis", MH, 2, 0, 20, 0)
    assert compute.mcmc_leapfrog_path(mh, 1, 1) is None


def test_bad_choices_are_named():
    with pytest.raises(ValueError, match=r"`target` must be one of"):
        compute.mcmc_target("donut", {})
    with pytest.raises(ValueError, match=r"`sampler` must be one of"):
        run("banana", {"b": 0.03}, "slice", {}, 2, 10, 10, 0)
    with pytest.raises(ValueError, match=r"`sampler` Gibbs needs"):
        run("banana", {"b": 0.03}, "gibbs", {}, 2, 10, 10, 0)
    with pytest.raises(ValueError, match=r"`rho` must lie in \[-0.999, 0.999\]; got 1"):
        compute.mcmc_target("correlated_gaussian", {"rho": 1.0})
