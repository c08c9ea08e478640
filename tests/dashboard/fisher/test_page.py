"""AppTest tests of the Fisher information page, run on its own.

References, all computed here without core: F(p) = 1/(p(1−p)) for a Bernoulli and
F(μ) = 1/σ² for a Gaussian mean; the log-likelihood from scipy.stats.binom.logpmf; the
Cramér–Rao bound p(1−p)/n with the standard error of a sample variance
Var·sqrt(2/(N−1) + κ/N) (κ the excess kurtosis of Binomial(n, p)/n); the Gaussian's
average NLL at its MLE, log s + ½ log 2π + ½; and the exact Fisher of a linear+softmax
layer by explicit sums over inputs and classes (Martens & Grosse 2015, §3).
Statistical checks use fixed seeds and 4 standard errors.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pyarrow as pa
import pytest
from scipy import special, stats

from dashboard.topics.fisher.params import PARAMETERIZATIONS, PARAMS
from tests.dashboard.helpers import chart_specs, metric, page_test

FISHER = "Fisher information per observation F(θ̂)"
CURVATURE = "Curvature −ℓ''(θ̂) = n·F(θ̂)"
STDERR = "Standard error 1/√(n·F)"


def frame_with(at, *columns: str):
    """The one chart dataset that has exactly these columns, as a DataFrame."""
    found = []
    for el in at.get("vega_lite_chart"):
        for d in el.proto.datasets:
            df = pa.ipc.open_stream(d.data.data).read_pandas()
            if tuple(df.columns) == columns:
                found.append(df)
    assert len(found) == 1, f"expected one dataset with columns {columns}"
    return found[0]


def shown(at, label: str) -> float:
    return float(metric(at, label))


@pytest.fixture
def at():
    return page_test("fisher.py").run()


def test_default_view_runs_without_errors(at):
    assert not at.exception
    assert not at.error
    assert [t.label for t in at.tabs] == [
        "Log-likelihood curvature", "Cramér–Rao bound", "Natural gradient", "K-FAC",
    ]
    specs = [json.loads(el.proto.spec) for el in at.get("vega_lite_chart")]
    assert len(specs) == 6  # with the K-FAC factors
    assert all(spec.get("title") for spec in specs)


class TestCurvature:
    def test_bernoulli_fisher_is_one_over_p_one_minus_p(self, at):
        # Defaults: p̂ = 0.3, n = 20.
        p, n = 0.3, 20
        assert metric(at, FISHER) == f"{1 / (p * (1 - p)):.4f}" == "4.7619"
        assert metric(at, CURVATURE) == f"{n / (p * (1 - p)):.4f}"
        assert metric(at, STDERR) == f"{math.sqrt(p * (1 - p) / n):.4f}"

    def test_curves_are_the_binomial_log_likelihood_and_sharpen_with_n(self, at):
        at.number_input(key="ll_phat").set_value(0.4)
        at.slider(key="ll_n").set_value(50).run()
        assert not at.exception
        assert metric(at, FISHER) == f"{1 / 0.24:.4f}"
        curves = frame_with(at, "theta", "curve", "log_likelihood")
        assert set(curves["curve"]) == {"n = 50", "n = 200", "n = 800", "quadratic at the MLE (n)"}
        for n in (50, 200, 800):
            c = curves[curves["curve"] == f"n = {n}"]
            k = 0.4 * n  # successes
            ref = stats.binom.logpmf(k, n, c["theta"]) - stats.binom.logpmf(k, n, 0.4)
            np.testing.assert_allclose(c["log_likelihood"], ref, rtol=1e-8, atol=1e-10)
            assert c["log_likelihood"].min() >= -10.0
        # The width at a fixed drop halves each time n is multiplied by 4.
        widths = [np.ptp(curves.loc[curves["curve"] == f"n = {n}", "theta"]) for n in (50, 200, 800)]
        assert widths[0] > widths[1] > widths[2]
        quad = curves[curves["curve"] == "quadratic at the MLE (n)"]
        np.testing.assert_allclose(
            quad["log_likelihood"], -0.5 * 50 / 0.24 * (quad["theta"] - 0.4) ** 2, rtol=1e-10
        )

    def test_gaussian_mean(self, at):
        at.radio(key="ll_family").set_value("Gaussian mean μ (σ known)").run()
        at.number_input(key="ll_sigma").set_value(0.5)
        at.slider(key="ll_n").set_value(8).run()
        assert not at.exception
        assert metric(at, FISHER) == f"{1 / 0.25:.4f}"
        assert metric(at, CURVATURE) == f"{8 / 0.25:.4f}"
        assert metric(at, STDERR) == f"{0.5 / math.sqrt(8):.4f}"


class TestCramerRao:
    @staticmethod
    def variance_se(var: float, excess_kurtosis: float, reps: int) -> float:
        return var * math.sqrt(2 / (reps - 1) + excess_kurtosis / reps)

    def test_bound_and_simulated_variance(self, at):
        p, n, reps = 0.3, 50, 2000
        bound = p * (1 - p) / n
        assert metric(at, "Cramér–Rao bound p(1 − p)/n") == f"{bound:.3e}" == "4.200e-03"
        kurt = (1 - 6 * p * (1 - p)) / (n * p * (1 - p))  # excess kurtosis of Binomial(n, p)
        var = float(metric(at, "Variance of p̂ (simulated)"))
        assert abs(var - bound) < 4 * self.variance_se(bound, kurt, reps) + 0.5e-6  # + display rounding
        assert abs(shown(at, "Mean of p̂") - p) < 4 * math.sqrt(bound / reps)
        histogram = frame_with(at, "bin_start", "bin_end", "density")
        mass = float(np.sum(histogram["density"] * (histogram["bin_end"] - histogram["bin_start"])))
        assert mass == pytest.approx(1.0, abs=1e-9)
        # One bar per value k/n, centred on it.
        centres = (histogram["bin_start"] + histogram["bin_end"]) / 2 * n
        np.testing.assert_allclose(centres, np.round(centres), atol=1e-9)

    def test_widgets_move_the_bound(self, at):
        p, n, reps = 0.8, 400, 3000
        at.slider(key="cr_p").set_value(p)
        at.number_input(key="cr_n").set_value(n)
        at.slider(key="cr_datasets").set_value(reps)
        at.number_input(key="cr_seed").set_value(9).run()
        assert not at.exception
        bound = p * (1 - p) / n
        assert metric(at, "Cramér–Rao bound p(1 − p)/n") == f"{bound:.3e}"
        kurt = (1 - 6 * p * (1 - p)) / (n * p * (1 - p))
        var = float(metric(at, "Variance of p̂ (simulated)"))
        assert abs(var - bound) < 4 * self.variance_se(bound, kurt, reps) + 0.5e-7
        curve = frame_with(at, "x", "density")
        np.testing.assert_allclose(curve["density"], stats.norm.pdf(curve["x"], p, math.sqrt(bound)), rtol=1e-10)
        assert len(frame_with(at, "bin_start", "bin_end", "density")) <= 80


class TestNaturalGradient:
    def test_natural_gradient_reaches_the_mle(self, at):
        best = math.log(1.0) + 0.5 * math.log(2 * math.pi) + 0.5  # data sd 1
        # After the default 50 steps the natural path is nearly there, the plain one is not.
        assert shown(at, "Final loss, natural gradient") < best + 2e-3
        assert shown(at, "Final loss, plain gradient") > best + 0.1
        at.slider(key="ng_steps").set_value(200).run()
        assert not at.exception
        assert metric(at, "Best possible loss") == f"{best:.4f}"
        assert metric(at, "Final loss, natural gradient") == f"{best:.4f}"
        paths = frame_with(at, "method", "step", "mu", "sigma", "loss")
        natural = paths[paths["method"] == "natural gradient"]
        assert natural["mu"].iloc[-1] == pytest.approx(2.0, abs=1e-6)
        assert natural["sigma"].iloc[-1] == pytest.approx(1.0, abs=1e-6)
        # Each point's loss is the average NLL of the data {1, 3} (mean 2, sd 1) under N(μ, σ²).
        for _, row in natural.iloc[::40].iterrows():
            ref = -stats.norm.logpdf([1.0, 3.0], row["mu"], row["sigma"]).mean()
            assert row["loss"] == pytest.approx(ref, rel=1e-10)
        landscape = frame_with(at, "mu", "sigma", "nll", "mu0", "mu1", "s0", "s1")
        assert len(landscape) == 1600

    def test_natural_paths_do_not_depend_on_the_parameterisation(self, at):
        at.number_input(key="ng_lr").set_value(0.01)
        at.slider(key="ng_steps").set_value(100).run()
        assert shown(at, "Natural: (μ, σ) vs (μ, log σ) paths apart by") < shown(
            at, "Plain: (μ, σ) vs (μ, log σ) paths apart by"
        ) / 10
        at.radio(key="ng_param").set_value(PARAMETERIZATIONS["log_std"]).run()
        assert not at.exception

    def test_too_large_a_step_is_an_error_not_a_crash(self, at):
        at.number_input(key="ng_lr").set_value(5.0).run()
        assert not at.exception
        errors = [e.value for e in at.error]
        assert len(errors) == 1 and "lower `lr`" in errors[0]
        assert metric(at, FISHER) == "4.7619"  # the other tabs still render


def brute_force_layer_fisher(a: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """F = mean_i Σ_y p(y|a_i) vec(g) vec(g)ᵀ with g = (e_y − p_i) a_iᵀ, and the K-FAC G ⊗ A."""
    n_classes, dim = w.shape
    f = np.zeros((n_classes * dim, n_classes * dim))
    g_factor = np.zeros((n_classes, n_classes))
    for a_i in a:
        p = special.softmax(w @ a_i)
        for y in range(n_classes):
            delta = np.eye(n_classes)[y] - p
            grad = np.outer(delta, a_i).ravel()
            f += p[y] * np.outer(grad, grad)
            g_factor += p[y] * np.outer(delta, delta)
    f /= len(a)
    return f, np.kron(g_factor / len(a), a.T @ a / len(a))


class TestKFAC:
    def test_error_matches_a_brute_force_fisher(self, at):
        at.slider(key="kf_n").set_value(40)
        at.slider(key="kf_d").set_value(2)
        at.slider(key="kf_c").set_value(3)
        at.slider(key="kf_w").set_value(1.5)
        at.number_input(key="kf_seed").set_value(4).run()
        assert not at.exception
        # The layer's draws, in the order core.fisher.kfac_random_layer documents.
        rng = np.random.default_rng(4)
        a = rng.standard_normal((40, 2))
        w = 1.5 * rng.standard_normal((3, 2))
        exact, kfac = brute_force_layer_fisher(a, w)
        expected = np.linalg.norm(exact - kfac) / np.linalg.norm(exact)
        assert metric(at, "Relative error ‖F − G ⊗ A‖ / ‖F‖") == f"{expected:.4f}"
        matrices = frame_with(at, "row", "col", "matrix", "value")
        shown_exact = matrices[matrices["matrix"] == "exact Fisher"]
        np.testing.assert_allclose(shown_exact["value"], exact.ravel(), rtol=1e-10, atol=1e-13)

    def test_zero_weights_make_kfac_exact(self, at):
        at.slider(key="kf_w").set_value(0.0).run()
        assert metric(at, "Relative error ‖F − G ⊗ A‖ / ‖F‖") == "0.0000"
        sweep = frame_with(at, "weight_scale", "relative_error")
        assert sweep["relative_error"].iloc[0] < 1e-12
        assert sweep["relative_error"].iloc[-1] > sweep["relative_error"].iloc[1]


def test_query_params_reproduce_a_shared_view():
    at = page_test("fisher.py")
    at.query_params.update({
        "ll_family": "Gaussian mean μ (σ known)", "ll_sigma": "3", "ll_n": "9",
        "cr_p": "0.5", "cr_n": "10", "ng_mean": "-1", "ng_sd": "2", "kf_w": "0",
    })
    at.run()
    assert not at.exception
    assert at.radio(key="ll_family").value == "Gaussian mean μ (σ known)"
    assert metric(at, FISHER) == f"{1 / 9:.4f}"
    assert metric(at, CURVATURE) == f"{9 / 9:.4f}"
    assert metric(at, "Cramér–Rao bound p(1 − p)/n") == f"{0.25 / 10:.3e}"
    assert metric(at, "Best possible loss") == f"{math.log(2) + 0.5 * math.log(2 * math.pi) + 0.5:.4f}"
    assert metric(at, "Relative error ‖F − G ⊗ A‖ / ‖F‖") == "0.0000"


def test_out_of_range_url_values_fall_back_to_the_defaults():
    at = page_test("fisher.py")
    at.query_params.update({"ll_n": "0", "cr_p": "1.5", "ng_sigma0": "-1"})
    at.run()
    assert not at.exception
    assert at.slider(key="ll_n").value == 20
    assert metric(at, FISHER) == "4.7619"
    assert metric(at, "Cramér–Rao bound p(1 − p)/n") == "4.200e-03"


def test_the_natural_gradient_landscape_marks_the_optimum(at):
    at.number_input(key="ng_mean").set_value(1.5)
    at.number_input(key="ng_sd").set_value(0.5).run()
    assert not at.exception
    best = frame_with(at, "mu", "sigma", "label")
    assert best.to_dict("records") == [{"mu": 1.5, "sigma": 0.5, "label": "best fit (MLE)"}]
    # The best loss is the Gaussian NLL at its MLE: ½ log(2π s²) + ½.
    assert shown(at, "Best possible loss") == pytest.approx(0.5 * math.log(2 * math.pi * 0.25) + 0.5, abs=1e-4)


def test_the_kfac_factors_are_labelled_and_follow_the_sizes(at):
    at.slider(key="kf_d").set_value(2)
    at.slider(key="kf_c").set_value(3).run()
    assert not at.exception
    factors = frame_with(at, "factor", "row", "col", "value")
    a = factors[factors["factor"].str.startswith("A")]
    g = factors[factors["factor"].str.startswith("G")]
    assert sorted(set(a["row"])) == ["input 1", "input 2"] and sorted(set(g["row"])) == ["class 1", "class 2", "class 3"]
    # G is the mean of diag(p) − ppᵀ: each of its rows sums to 0.
    np.testing.assert_allclose(g.groupby("row")["value"].sum(), 0.0, atol=1e-12)


class TestRevealRule:
    EXERCISE = "fisher.bernoulli"

    def test_a_linked_page_hides_the_fisher_information_until_an_attempt(self, private_gradebook):
        def opened():
            page = page_test("fisher.py")
            page.query_params.update({"ll_phat": "0.2", "exercise": self.EXERCISE, "student": "s1"})
            return page.run()

        at = opened()
        assert not at.exception
        assert metric(at, "Fisher information per observation F(θ̂)") == "hidden"
        assert metric(at, "Cramér–Rao bound p(1 − p)/n") == "hidden"

        from grader import Gradebook, grade_submission, load_exercises, parse_submission

        book = Gradebook(private_gradebook)
        sub = parse_submission({"student_id": "s1", "answers": {self.EXERCISE: "1"}}, source="web")
        assert grade_submission(sub, load_exercises(), gradebook=book).feedback
        book.close()
        # 1 / (p (1 − p)) at p = 0.2
        assert shown(opened(), "Fisher information per observation F(θ̂)") == pytest.approx(6.25, abs=1e-4)


def test_too_large_a_step_keeps_the_last_gradient_paths_greyed(at):
    before = chart_specs(at)
    assert not any("greyed" in c.value for c in at.caption)
    at.number_input(key="ng_lr").set_value(5.0).run()
    assert not at.exception
    (error,) = [e.value for e in at.error]
    assert error.startswith(f"Check “{PARAMS['ng_lr'].label}”:")
    assert "Final loss, natural gradient" not in [m.label for m in at.metric]
    assert chart_specs(at) == before  # the landscape is still there, greyed, in its place
    assert [c.value for c in at.caption if "greyed" in c.value]


def test_a_new_weight_scale_moves_the_marker_over_the_same_error_sweep(at):
    before = frame_with(at, "weight_scale", "relative_error")
    at.slider(key="kf_w").set_value(2.0).run()
    assert not at.exception
    after = frame_with(at, "weight_scale", "relative_error")
    assert after.equals(before)  # the sweep does not depend on the chosen scale
    assert list(frame_with(at, "weight_scale")["weight_scale"]) == [2.0]
    at.slider(key="kf_d").set_value(4).run()  # a new layer: a new sweep
    assert not frame_with(at, "weight_scale", "relative_error").equals(before)


def test_the_marked_optimum_follows_the_data(at):
    at.number_input(key="ng_mean").set_value(-1.5)
    at.number_input(key="ng_sd").set_value(2.5).run()
    assert not at.exception
    best = frame_with(at, "mu", "sigma", "label")
    assert (best["mu"].iloc[0], best["sigma"].iloc[0]) == (-1.5, 2.5)
    paths = frame_with(at, "method", "step", "mu", "sigma", "loss")
    natural = paths[paths["method"] == "natural gradient"]
    assert natural["mu"].iloc[0] == 0.0 and natural["sigma"].iloc[0] == 3.0  # the start (μ₀, σ₀)
