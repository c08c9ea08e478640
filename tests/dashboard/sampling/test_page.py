"""AppTest tests of the Sampling page, run on its own.

References, all computed here without core: scipy.special.softmax and a sort for the
top-k / top-p kept sets (Holtzman et al. 2020: the smallest set of most probable tokens
whose mass reaches p); numpy.searchsorted on the CDF for inverse-CDF sampling; the Beta
density's maximum (a−1)^(a−1)(b−1)^(b−1)/((a+b−2)^(a+b−2) B(a, b)) for the rejection
bound and 1/M for its acceptance rate; scipy.stats.norm log-densities for importance
weights and Kish's ESS (Σw)²/Σw²; PPO's min(rA, clip(r, 1−ε, 1+ε)A); KL(N(0,1)‖N(μ,1))
= μ²/2 and E[½(log r)²] = ½(μ² + μ⁴/4) for the estimators; scipy.special.rel_entr for
KL(p‖q). Statistical checks use fixed seeds and 4 standard errors of the estimator.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pyarrow as pa
import pytest
from scipy import special, stats

from dashboard.topics.sampling.params import PARAMS
from tests.dashboard.helpers import chart_specs, metric, page_test

DEFAULT_TOKENS = ["the", "a", "cat", "dog", "sat", "ran", "blue"]
DEFAULT_LOGITS = np.array([3.0, 2.2, 1.5, 1.0, 0.2, -0.5, -1.5])


def chart_frames(at) -> list[dict[tuple[str, ...], object]]:
    """Each chart's inline datasets as DataFrames, keyed by their column names."""
    out = []
    for el in at.get("vega_lite_chart"):
        frames = {}
        for d in el.proto.datasets:
            df = pa.ipc.open_stream(d.data.data).read_pandas()
            frames[tuple(df.columns)] = df
        out.append(frames)
    return out


def frame_with(at, *columns: str):
    """The one chart dataset that has exactly these columns."""
    found = [df for frames in chart_frames(at) for key, df in frames.items() if key == columns]
    assert len(found) == 1, f"expected one dataset with columns {columns}"
    return found[0]


def nucleus(logits: np.ndarray, temperature: float, top_k: int | None, top_p: float | None) -> np.ndarray:
    """Reference sampling distribution: temperature, then top-k, then top-p (HF order)."""
    z = np.asarray(logits, dtype=float) / temperature
    keep = np.ones(z.size, dtype=bool)
    if top_k is not None:
        keep &= z >= np.sort(z)[::-1][min(top_k, z.size) - 1]
    if top_p is not None:
        probs = special.softmax(np.where(keep, z, -np.inf))
        order = np.argsort(-probs, kind="stable")
        mass_before = np.concatenate([[0.0], np.cumsum(probs[order])[:-1]])
        nuc = np.zeros(z.size, dtype=bool)
        nuc[order[mass_before < top_p]] = True
        keep &= nuc
    return special.softmax(np.where(keep, z, -np.inf))


def kept_set_text(tokens, probs) -> str:
    return "Kept set: " + ", ".join(f"**{t}**" for t, p in zip(tokens, probs, strict=True) if p > 0)


@pytest.fixture
def at():
    return page_test("sampling.py").run()


def test_default_view_runs_without_errors(at):
    assert not at.exception
    assert not at.error
    assert [t.label for t in at.tabs] == [
        "Next token", "Rejection sampling", "Importance sampling", "PPO clipping", "KL estimators",
    ]
    # Seven charts, all small enough to ship to the browser, each with a title.
    frames = chart_frames(at)
    assert len(frames) == 7
    specs = [json.loads(el.proto.spec) for el in at.get("vega_lite_chart")]
    assert all(spec.get("title") or all(p.get("title") for p in spec["hconcat"]) for spec in specs)
    assert all(len(df) <= 5000 for f in frames for df in f.values())


class TestNextToken:
    def test_default_top_p_kept_set(self, at):
        # T = 1, top-p = 0.9: softmax masses 0.524, 0.235, 0.117, 0.071 ... -> the first
        # four reach 0.947 >= 0.9, the first three only 0.876.
        final = nucleus(DEFAULT_LOGITS, 1.0, None, 0.9)
        assert list(final > 0) == [True] * 4 + [False] * 3
        assert any(m.value == kept_set_text(DEFAULT_TOKENS, final) for m in at.markdown)
        assert metric(at, "Tokens kept") == "4 of 7"
        assert metric(at, "Mass kept before renormalising") == f"{special.softmax(DEFAULT_LOGITS)[:4].sum():.3f}"
        table = at.dataframe[0].value
        np.testing.assert_allclose(table["p_final"], final, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(table["p_softmax"], special.softmax(DEFAULT_LOGITS), rtol=1e-12)

    def test_temperature_and_top_k(self, at):
        at.slider(key="temperature").set_value(0.5)
        at.number_input(key="top_k").set_value(3)
        at.slider(key="top_p").set_value(1.0).run()
        assert not at.exception
        final = nucleus(DEFAULT_LOGITS, 0.5, 3, None)
        table = at.dataframe[0].value
        np.testing.assert_allclose(table["p_tempered"], special.softmax(DEFAULT_LOGITS / 0.5), rtol=1e-12)
        np.testing.assert_allclose(table["p_final"], final, rtol=1e-12, atol=1e-15)
        assert list(table["kept"]) == [True, True, True, False, False, False, False]
        assert metric(at, "Most likely token") == f"the ({final[0]:.3f})"
        bars = frame_with(at, "token", "stage", "probability", "kept")
        assert len(bars) == 14

    def test_top_p_kept_set_from_the_url(self):
        # softmax(0, 2, 1) = (0.090, 0.665, 0.245): y alone has 0.665 < 0.8, y + z 0.910.
        at = page_test("sampling.py")
        at.query_params.update({"tok_names": "x, y, z", "tok_logits": "0, 2, 1", "top_p": "0.8"})
        at.run()
        assert not at.exception
        final = nucleus(np.array([0.0, 2.0, 1.0]), 1.0, None, 0.8)
        assert list(final > 0) == [False, True, True]
        assert any(m.value == kept_set_text(["x", "y", "z"], final) for m in at.markdown)
        np.testing.assert_allclose(at.dataframe[0].value["p_final"], final, rtol=1e-12, atol=1e-15)

    def test_bad_logits_show_an_error_and_the_other_tabs_still_run(self, at):
        at.text_input(key="tok_logits").set_value("1.0, two, 3").run()
        assert not at.exception
        errors = [e.value for e in at.error]
        assert len(errors) == 1 and "`logits`" in errors[0] and "'two'" in errors[0]
        assert "“Logits, one per token”" in errors[0]  # names the widget
        assert metric(at, "1 / M") == "0.667"  # rejection tab unaffected

    def test_token_count_mismatch_is_an_error(self, at):
        at.text_input(key="tok_names").set_value("one, two").run()
        assert not at.exception
        assert any("`tokens` has 2 names but `logits` has 7" in e.value for e in at.error)


def test_inverse_cdf_maps_each_uniform_to_its_token(at):
    at.number_input(key="cdf_seed").set_value(11).run()
    assert not at.exception
    final = nucleus(DEFAULT_LOGITS, 1.0, None, 0.9)
    draws = at.dataframe[1].value
    assert len(draws) == 12
    # Reference inverse CDF: the first index whose cumulative mass exceeds u.
    expected = np.searchsorted(np.cumsum(final), draws["u"].to_numpy(), side="right")
    assert list(draws["token"]) == [DEFAULT_TOKENS[i] for i in expected]
    bands = frame_with(at, "token", "position", "cdf_low", "cdf_high")
    np.testing.assert_allclose(bands["cdf_high"], np.cumsum(final), rtol=1e-12)


class TestRejection:
    @staticmethod
    def beta_max(a: float, b: float) -> float:
        mode = (a - 1) / (a + b - 2)
        return float(stats.beta.pdf(mode, a, b))

    def test_default_acceptance_rate_is_near_one_over_m(self, at):
        # Beta(2, 2) peaks at 1.5 = M: the tightest roof.
        assert self.beta_max(2, 2) == pytest.approx(1.5)
        n, rate = 2000, 1 / 1.5
        se = math.sqrt(rate * (1 - rate) / n)  # binomial standard error of the rate
        shown = float(metric(at, "Acceptance rate"))
        assert abs(shown - rate) < 4 * se
        assert metric(at, "Standard error of the rate") == f"{se:.4f}"
        points = frame_with(at, "x", "height", "outcome")
        # Each point is kept exactly when it lies under scipy's Beta(2, 2) density.
        under = points["height"].to_numpy() < stats.beta.pdf(points["x"].to_numpy(), 2, 2)
        assert list(points["outcome"]) == ["accepted" if u else "rejected" for u in under]
        assert shown == pytest.approx(under.mean(), abs=0.5e-3)  # the chart shows all 2000

    def test_a_looser_roof_from_the_url(self):
        at = page_test("sampling.py")
        at.query_params.update({"rej_a": "2", "rej_b": "5", "rej_m": "4", "rej_n": "3000", "rej_seed": "5"})
        at.run()
        assert not at.exception
        assert self.beta_max(2, 5) == pytest.approx(2.4576)  # 30 · 0.2 · 0.8⁴
        se = math.sqrt(0.25 * 0.75 / 3000)
        assert abs(float(metric(at, "Acceptance rate")) - 0.25) < 4 * se
        assert float(metric(at, "Largest p/q seen")) <= 2.4576 + 1e-3
        assert len(frame_with(at, "x", "height", "outcome")) == 2000  # thinned for the chart

    def test_a_roof_below_the_density_is_refused(self, at):
        at.number_input(key="rej_m").set_value(1.2).run()
        assert not at.exception
        errors = [e.value for e in at.error]
        # Plain words naming the widget, the peak 1.5 at x = 0.5, and what to do: no raw floats.
        assert len(errors) == 1
        assert errors[0].startswith("The roof is too low: “M: height of the roof” is 1.2")
        assert "rises to 1.500 at x = 0.500" in errors[0] and "Set M to at least 1.5." in errors[0]


class TestImportance:
    def test_weights_ess_and_estimate_match_scipy(self, at):
        assert not at.exception
        points = frame_with(at, "x", "weight")
        x = points["x"].to_numpy()
        w = np.exp(stats.norm.logpdf(x, 0, 1) - stats.norm.logpdf(x, 1.0, 1.0))
        np.testing.assert_allclose(points["weight"], w, rtol=1e-10)
        assert metric(at, "Effective sample size") == f"{w.sum() ** 2 / (w**2).sum():.1f}"
        assert metric(at, "Estimate of E[X²]") == f"{np.mean(w * x**2):.4f}"
        assert metric(at, "Exact E[X²]") == "1.0000"

    def test_proposal_equal_to_the_target_has_full_ess(self, at):
        at.slider(key="is_shift").set_value(0.0)
        at.slider(key="is_n").set_value(2000).run()
        assert not at.exception
        assert metric(at, "Effective sample size") == "2000.0"  # every weight is 1
        # Plain Monte Carlo: the mean of X² has standard error sqrt(Var X² / n) = sqrt(2/n).
        assert abs(float(metric(at, "Estimate of E[X²]")) - 1.0) < 4 * math.sqrt(2 / 2000)
        sweep = frame_with(at, "shift", "ess_fraction", "spread", "mean_estimate")
        at_zero = sweep[sweep["shift"] == 0.0]
        assert float(at_zero["ess_fraction"].iloc[0]) == pytest.approx(1.0)
        # ESS falls off on both sides: E_q[w²] = exp(shift²) for unit-width normals.
        assert sweep["ess_fraction"].iloc[0] < 0.2 and sweep["ess_fraction"].iloc[-1] < 0.2


class TestPPO:
    @staticmethod
    def ppo(r: float, a: float, eps: float) -> float:
        return min(r * a, min(max(r, 1 - eps), 1 + eps) * a)

    def test_default_is_clipped_above_one_plus_epsilon(self, at):
        assert metric(at, "PPO objective") == f"{self.ppo(1.5, 1.0, 0.2):.3f}" == "1.200"
        assert metric(at, "r · A (unclipped)") == "1.500"
        assert metric(at, "Clipped?") == "yes"
        region = frame_with(at, "start", "end", "label")
        assert region["start"].iloc[0] == pytest.approx(1.2, abs=0.011)  # grid step 0.01
        curves = frame_with(at, "ratio", "curve", "objective")
        ppo_line = curves[curves["curve"] == "min(r·A, clip(r)·A)"]
        expected = [self.ppo(r, 1.0, 0.2) for r in ppo_line["ratio"]]
        np.testing.assert_allclose(ppo_line["objective"], expected, rtol=1e-12)

    @pytest.mark.parametrize(
        ("adv", "eps", "ratio", "clipped"),
        [(-1.0, 0.2, 0.5, "yes"), (-1.0, 0.2, 1.5, "no"), (2.0, 0.1, 0.9, "no"), (2.0, 0.3, 1.45, "yes")],
    )
    def test_widgets_change_the_objective(self, at, adv, eps, ratio, clipped):
        at.number_input(key="ppo_adv").set_value(adv)
        at.slider(key="ppo_eps").set_value(eps)
        at.number_input(key="ppo_ratio").set_value(ratio).run()
        assert not at.exception
        assert metric(at, "PPO objective") == f"{self.ppo(ratio, adv, eps):.3f}"
        assert metric(at, "Clipped?") == clipped

    def test_negative_advantage_shades_the_low_ratios(self, at):
        at.number_input(key="ppo_adv").set_value(-1.0).run()
        region = frame_with(at, "start", "end", "label")
        assert region["end"].iloc[0] == pytest.approx(0.8, abs=0.011)
        assert region["start"].iloc[0] == pytest.approx(0.01)


class TestKL:
    def test_estimators_against_the_closed_forms(self, at):
        at.slider(key="kl_mu").set_value(1.5)
        at.slider(key="kl_n").set_value(4000).run()
        assert not at.exception
        mu = 1.5
        assert metric(at, "Exact KL(π‖π_ref), nats") == f"{mu**2 / 2:.4f}"
        table = at.dataframe[-1].value
        k1, k2, k3 = table["estimate"]
        se1, se2, se3 = table["stderr"]
        assert abs(k1 - mu**2 / 2) < 4 * se1  # unbiased
        assert abs(k3 - mu**2 / 2) < 4 * se3  # unbiased
        assert abs(k2 - 0.5 * (mu**2 + mu**4 / 4)) < 4 * se2  # biased upwards

    def test_k3_has_the_smallest_spread_when_the_policies_are_close(self, at):
        at.slider(key="kl_mu").set_value(0.25).run()
        se1, _se2, se3 = at.dataframe[-1].value["stderr"]
        # log r = μx − μ²/2: sd(k1) ≈ μ, sd(k3) ≈ μ²/√2 for small μ (second-order Taylor).
        assert se3 < se1

    def test_the_kl_div_trap(self, at):
        p, q = np.array([0.7, 0.2, 0.1]), np.array([0.4, 0.4, 0.2])
        exact = float(special.rel_entr(p, q).sum())
        wrong = float(np.sum(p * (np.log(p) - q)))  # what torch computes from raw q
        assert metric(at, "KL(p‖q), nats") == f"{exact:.4f}"
        assert metric(at, "kl_div(log q, p)") == f"{exact:.4f}"
        assert metric(at, "kl_div(q, p): silently wrong") == f"{wrong:.4f}"
        assert wrong < 0
        assert any("not log-probabilities" in w.value for w in at.warning)

    def test_p_that_does_not_sum_to_one_is_an_error(self, at):
        at.text_input(key="trap_p").set_value("0.5, 0.2, 0.1").run()
        assert not at.exception
        errors = [e.value for e in at.error]
        assert errors == ["Check “p (target), probabilities”: the probabilities add up to 0.8; they must add up to 1"]


def test_query_params_reproduce_a_shared_view():
    at = page_test("sampling.py")
    at.query_params.update({
        "temperature": "2.0", "top_k": "5", "top_p": "1.0", "cdf_seed": "3",
        "is_shift": "-0.5", "is_scale": "2", "is_n": "500", "is_seed": "4",
        "ppo_adv": "-2", "ppo_eps": "0.1", "ppo_ratio": "0.7", "kl_mu": "0.5",
    })
    at.run()
    assert not at.exception
    assert at.slider(key="temperature").value == 2.0
    final = nucleus(DEFAULT_LOGITS, 2.0, 5, None)
    np.testing.assert_allclose(at.dataframe[0].value["p_final"], final, rtol=1e-12, atol=1e-15)
    x = frame_with(at, "x", "weight")["x"].to_numpy()
    assert len(x) == 500
    w = np.exp(stats.norm.logpdf(x, 0, 1) - stats.norm.logpdf(x, -0.5, 2.0))
    assert metric(at, "Effective sample size") == f"{w.sum() ** 2 / (w**2).sum():.1f}"
    assert metric(at, "PPO objective") == f"{TestPPO.ppo(0.7, -2.0, 0.1):.3f}"
    assert metric(at, "Exact KL(π‖π_ref), nats") == f"{0.5**2 / 2:.4f}"
    # The same URL gives the same draws.
    again = page_test("sampling.py")
    again.query_params.update(dict(at.query_params))
    again.run()
    assert metric(again, "Estimate of E[X²]") == metric(at, "Estimate of E[X²]")
    assert list(again.dataframe[1].value["u"]) == list(at.dataframe[1].value["u"])


def test_out_of_range_url_values_fall_back_to_the_defaults():
    at = page_test("sampling.py")
    at.query_params.update({"temperature": "0", "rej_m": "-3"})
    at.run()
    assert not at.exception
    assert at.slider(key="temperature").value == 1.0
    assert metric(at, "1 / M") == "0.667"


def test_charts_carry_their_layers(at):
    specs = [json.loads(el.proto.spec) for el in at.get("vega_lite_chart")]
    ppo = specs[6]
    assert [layer["mark"]["type"] for layer in ppo["layer"]] == ["rect", "line", "point"]
    rejection = specs[3]
    assert rejection["layer"][0]["encoding"]["color"]["scale"]["domain"] == ["accepted", "rejected"]


class TestRevealRule:
    """A page opened from an exercise link holds back that exercise's answer until an attempt."""

    EXERCISE = "sampling.top_p_kept_set"

    def linked(self, student: str = "s1"):
        at = page_test("sampling.py")
        at.query_params.update({"exercise": self.EXERCISE, "student": student, "top_p": "0.9"})
        return at.run()

    def test_before_an_attempt_the_kept_set_is_hidden(self):
        at = self.linked()
        assert not at.exception
        assert any("Submit your answer once to see the computed value" in i.value for i in at.info)
        assert metric(at, "Tokens kept") == "hidden"
        assert not any(m.value.startswith("Kept set:") for m in at.markdown)
        assert list(at.dataframe[0].value.columns) == ["token", "logit", "p_softmax"]
        # The top-p chart keeps the sorted probabilities and the level p, not the cut.
        top_p = json.loads(at.get("vega_lite_chart")[1].proto.spec)
        assert len(top_p["layer"]) == 2
        # Other tabs' numbers are not this exercise's answer: they stay.
        assert metric(at, "1 / M") == "0.667"

    def test_after_an_attempt_the_kept_set_is_shown(self, private_gradebook):
        from grader import Gradebook, grade_submission, load_exercises, parse_submission

        book = Gradebook(private_gradebook)
        submission = parse_submission({"student_id": "s1", "answers": {self.EXERCISE: ["the"]}}, source="web")
        assert grade_submission(submission, load_exercises(), gradebook=book).feedback
        book.close()
        at = self.linked()
        final = nucleus(DEFAULT_LOGITS, 1.0, None, 0.9)
        assert any(m.value == kept_set_text(DEFAULT_TOKENS, final) for m in at.markdown)
        assert metric(at, "Tokens kept") == "4 of 7"
        top_p = json.loads(at.get("vega_lite_chart")[1].proto.spec)
        assert len(top_p["layer"]) == 4  # bars, running mass, level p, cut


def test_top_p_chart_cuts_after_the_nucleus(at):
    mass = frame_with(at, "token", "probability", "cumulative", "kept")
    probs = special.softmax(DEFAULT_LOGITS)
    order = np.argsort(-probs, kind="stable")
    assert list(mass["token"]) == [DEFAULT_TOKENS[i] for i in order]
    np.testing.assert_allclose(mass["cumulative"], np.cumsum(probs[order]), rtol=1e-12)
    cut = frame_with(at, "token", "label")
    assert list(cut["token"]) == ["sat"]  # the fifth token: the first four reach 0.947 >= 0.9
    level = frame_with(at, "p", "label")
    assert list(level["p"]) == [0.9]


def test_moving_top_p_moves_the_cut(at):
    at.slider(key="top_p").set_value(0.5).run()
    assert not at.exception
    assert list(frame_with(at, "token", "label")["token"]) == ["a"]  # "the" alone has 0.524 >= 0.5
    assert metric(at, "Tokens kept") == "1 of 7"


def test_a_refused_roof_keeps_the_last_rejection_chart_greyed(at):
    before = chart_specs(at)
    assert not any("greyed" in c.value for c in at.caption)
    at.number_input(key="rej_m").set_value(1.2).run()
    assert not at.exception
    (error,) = [e.value for e in at.error]
    assert f"“{PARAMS['rej_m'].label}”" in error
    assert "Acceptance rate" not in [m.label for m in at.metric]
    assert chart_specs(at) == before  # the rejection chart is still there, greyed, in its place
    assert [c.value for c in at.caption if "greyed" in c.value]


def test_bad_logits_keep_the_token_and_inverse_cdf_charts_greyed(at):
    before = chart_specs(at)
    assert "Inverse CDF" in json.dumps(before[2])  # token, top-p, then the inverse CDF
    at.text_input(key="tok_logits").set_value("1, two").run()
    assert not at.exception
    assert [e.value for e in at.error if f"“{PARAMS['tok_logits'].label}”" in e.value]
    assert chart_specs(at) == before  # all three greyed, in their places
    assert len([c for c in at.caption if "greyed" in c.value]) == 3


def test_bad_token_names_keep_the_inverse_cdf_greyed(at):
    before = chart_specs(at)
    at.text_input(key="tok_names").set_value("a, a, b").run()
    assert not at.exception and at.error
    assert chart_specs(at)[2] == before[2]
