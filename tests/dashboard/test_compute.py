"""dashboard.compute (its MCMC part): the cached wrappers give the right numbers in the right shape."""

from __future__ import annotations

import math
from typing import ClassVar

import numpy as np
import pytest
from scipy import stats

from dashboard import charts, compute

# --- MCMC page


class TestMcmc:
    """References: ArviZ's autocorrelation and rank binning, scipy's normal density, and
    the highest-density regions of N(0, I₂), the disks r² ≤ −2 ln(1 − q)."""

    MH: ClassVar[dict[str, float]] = {"target_accept": 0.234}

    def test_run_frames_are_thinned_and_binned(self):
        import arviz as az  # only these tests need it

        run = compute.mcmc_run("correlated_gaussian", {"rho": 0.5}, "metropolis", self.MH,
                               8, 100, 3000, 1)
        assert run.thin == math.ceil(3000 / (compute.MCMC_TRACE_ROWS // (8 * 2)))
        assert len(run.traces) <= compute.MCMC_TRACE_ROWS <= charts.MAX_ROWS
        assert len(run.scatter) <= compute.MCMC_SCATTER_POINTS
        # Each chain's rank histogram holds all its draws, in twice-Sturges bins (az.plot_rank).
        per_chain = run.ranks.groupby(["coordinate", "chain"])["count"].agg(["sum", "size"])
        assert (per_chain["sum"] == 3000).all()
        assert (per_chain["size"] == math.ceil(2 * math.log2(3000)) + 1).all()
        acf = run.autocorrelation.query("coordinate == 'x2' and chain == 3")["autocorrelation"]
        ref = az.autocorr(run.trace.draws[2, :, 1])[: compute.MCMC_MAX_LAG + 1]
        np.testing.assert_allclose(acf, ref, rtol=1e-10, atol=1e-12)
        assert run.grad_evals == 0 and run.divergences == 0

    def test_highest_density_regions_are_the_gaussian_disks(self):
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

    def test_ranges_cover_the_truth_and_the_draws(self):
        run = compute.mcmc_run("banana", {"b": 0.03}, "metropolis", self.MH, 2, 100, 200, 0)
        (x_lo, x_hi), (y_lo, y_hi) = compute.mcmc_plot_ranges("banana", {"b": 0.03}, (run,))
        assert x_lo <= -30 and x_hi >= 30  # x₁ ~ N(0, 10²): ±3 sd
        assert y_lo <= -3 * math.sqrt(19) and y_hi >= 3 * math.sqrt(19)  # Var x₂ = 1 + 2b²10⁴
        hist = compute.mcmc_histograms(run, ((x_lo, x_hi), (y_lo, y_hi)))
        widths = hist["bin_end"] - hist["bin_start"]
        inside = ((run.trace.draws[:, :, 0] >= x_lo) & (run.trace.draws[:, :, 0] <= x_hi)).mean()
        mass = (hist["density"] * widths)[hist["coordinate"] == "x1"].sum()
        assert mass == pytest.approx(inside, rel=1e-12)

    def test_typed_log_density_is_the_closed_form_with_finite_difference_gradients(self):
        target = compute.custom_target("-((x - 1)**2 + 4*y**2)/2 + 7", 0.0, 0.0)
        point = np.array([0.3, -0.8])
        logp, grad = target.logp_grad(point)
        # Written out here: log p = −((x − 1)² + 4y²)/2 + 7, ∇ = (−(x − 1), −4y).
        assert logp == pytest.approx(-((0.3 - 1) ** 2 + 4 * 0.64) / 2 + 7, rel=1e-14)
        np.testing.assert_allclose(grad, [0.7, 3.2], rtol=1e-8)
        assert target.gradient.startswith("central finite differences")
        assert target.mean is None  # nothing is claimed about its truth
        assert compute.coordinate_names("custom", 2) == ["x", "y"]

    def test_typed_log_density_is_zero_where_undefined(self):
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
    def test_typed_log_density_errors(self, text, x0, message):
        with pytest.raises(ValueError, match=message):
            compute.custom_target(text, x0, 0.0)

    def test_typed_gaussian_grid_and_marginals_are_scipys(self):
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

    def test_a_new_run_reports_progress_and_a_repeated_one_comes_from_the_store(self):
        compute.mcmc_runs().clear()
        seen: list[float] = []
        args = ("correlated_gaussian", {"rho": 0.5}, "nuts", {"target_accept": 0.8}, 2, 100, 100, 9)
        first = compute.mcmc_run(*args, progress=seen.append)
        assert seen[-1] == 1.0 and seen == sorted(seen) and len(seen) == 4  # 400 iterations
        again = compute.mcmc_run(*args, progress=seen.append)
        assert again is first and len(seen) == 4  # not sampled again

    def test_the_run_store_drops_the_least_recently_used(self):
        store = compute._RunStore(2)
        runs = {key: object() for key in "abc"}
        store.put("a", runs["a"])
        store.put("b", runs["b"])
        assert store.get("a") is runs["a"]  # now b is the least recently used
        store.put("c", runs["c"])
        assert store.get("b") is None
        assert store.get("a") is runs["a"] and store.get("c") is runs["c"]
        assert compute.mcmc_runs().size == compute.CACHE_ENTRIES

    def test_many_dimensions_show_two_but_tabulate_ten(self):
        run = compute.mcmc_run("funnel", {"dim": 12, "scale": 3.0}, "metropolis", self.MH,
                               2, 50, 100, 0)
        assert list(run.diagnostics["coordinate"]) == ["v"] + [f"x{i}" for i in range(1, 10)]
        assert set(run.traces["coordinate"]) == {"v", "x1"}
        shown = compute.mcmc_shown_target("funnel", {"dim": 12, "scale": 3.0})
        assert shown.dim == 2 and shown.var[0] == 9.0

    def test_leapfrog_path_of_hmc_starts_at_the_previous_draw(self):
        knobs = {"target_accept": 0.8, "step_size": 0.3, "n_leapfrog": 5}
        run = compute.mcmc_run("correlated_gaussian", {"rho": 0.9}, "hmc", knobs, 2, 0, 20, 0)
        path = compute.mcmc_leapfrog_path(run, 2, 4)
        assert list(path.path["step"]) == list(range(6)) and path.n_leapfrog == 5
        np.testing.assert_array_equal(path.path[["x", "y"]].iloc[0], run.trace.draws[1, 2])
        assert list(path.points["point"]) == ["start", "draw"]
        # Without warm-up the first draw has no recorded start.
        assert list(compute.mcmc_leapfrog_path(run, 1, 1).points["point"]) == ["draw"]
        with pytest.raises(ValueError, match=r"`iteration` must be <= 20; got 21"):
            compute.mcmc_leapfrog_path(run, 1, 21)
        mh = compute.mcmc_run("correlated_gaussian", {"rho": 0.9}, "metropolis", self.MH, 2, 0, 20, 0)
        assert compute.mcmc_leapfrog_path(mh, 1, 1) is None

    def test_bad_choices_are_named(self):
        with pytest.raises(ValueError, match=r"`target` must be one of"):
            compute.mcmc_target("donut", {})
        with pytest.raises(ValueError, match=r"`sampler` must be one of"):
            compute.mcmc_run("banana", {"b": 0.03}, "slice", {}, 2, 10, 10, 0)
        with pytest.raises(ValueError, match=r"`sampler` Gibbs needs"):
            compute.mcmc_run("banana", {"b": 0.03}, "gibbs", {}, 2, 10, 10, 0)
        with pytest.raises(ValueError, match=r"`rho` must lie in \(-1, 1\)"):
            compute.mcmc_target("correlated_gaussian", {"rho": 1.0})
