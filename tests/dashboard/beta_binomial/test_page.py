"""AppTest tests of the Beta-Binomial page, run on its own.

References: the course's formulas (posterior Beta(α₀+h, β₀+t), mean (α₀+h)/(α₀+β₀+n),
MAP (α₀+h−1)/(α₀+β₀+n−2), MLE h/n), its worked example (Beta(2, 2) and H, H, H, T, H)
and Q6 (Beta(1, 1), 7 heads, 3 tails), and scipy.stats.beta for the credible interval.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from scipy import stats

from tests.dashboard.helpers import chart_specs, metric, page_test


def closed_form(alpha0: float, beta0: float, h: int, t: int) -> tuple[float, float, float]:
    """Posterior mean, MAP and MLE from the course's formulas (interior-mode case)."""
    n = h + t
    return (alpha0 + h) / (alpha0 + beta0 + n), (alpha0 + h - 1) / (alpha0 + beta0 + n - 2), h / n


@pytest.fixture
def at():
    return page_test("beta_binomial.py").run()


def test_default_view_is_the_course_walkthrough(at):
    # Beta(2, 2) with 4 heads and 1 tail -> Beta(6, 3): mean 0.667, MAP 5/7, MLE 0.8.
    assert not at.exception
    mean, mode, mle = closed_form(2, 2, 4, 1)
    assert metric(at, "Posterior mean") == f"{mean:.3f}" == "0.667"
    assert metric(at, "MAP (posterior mode)") == f"{mode:.3f}" == "0.714"
    assert metric(at, "MLE (h / n)") == f"{mle:.3f}" == "0.800"
    assert any("Beta(6, 3)" in m.value for m in at.markdown)


def test_changing_the_counts_updates_the_metrics(at):
    # Course Q6: Beta(1, 1) prior, 7 heads / 3 tails -> Beta(8, 4), mean 0.667, MAP 0.700.
    at.number_input(key="alpha0").set_value(1.0)
    at.number_input(key="beta0").set_value(1.0)
    at.number_input(key="tails").set_value(3)
    at.number_input(key="heads").set_value(7).run()
    assert not at.exception
    mean, mode, mle = closed_form(1, 1, 7, 3)
    assert metric(at, "Posterior mean") == f"{mean:.3f}" == "0.667"
    assert metric(at, "MAP (posterior mode)") == f"{mode:.3f}" == "0.700"
    assert metric(at, "MLE (h / n)") == f"{mle:.3f}" == "0.700"
    lo, hi = stats.beta.ppf([0.025, 0.975], 8, 4)
    assert metric(at, "95% credible interval") == f"{lo:.3f} – {hi:.3f}"


def test_estimates_without_data_are_shown_as_undefined(at):
    # No flips: the MLE h/n is 0/0; a flat prior has no single mode.
    at.number_input(key="alpha0").set_value(1.0)
    at.number_input(key="beta0").set_value(1.0)
    at.number_input(key="heads").set_value(0)
    at.number_input(key="tails").set_value(0).run()
    assert not at.exception
    assert metric(at, "MLE (h / n)") == "undefined"
    assert metric(at, "MAP (posterior mode)") == "undefined"
    assert metric(at, "Posterior mean") == "0.500"


def test_query_params_reproduce_a_shared_view():
    at = page_test("beta_binomial.py")
    at.query_params.update({"alpha0": "3", "beta0": "5", "heads": "12", "tails": "20"})
    at.run()
    assert not at.exception
    mean, mode, mle = closed_form(3, 5, 12, 20)
    assert metric(at, "Posterior mean") == f"{mean:.3f}"
    assert metric(at, "MAP (posterior mode)") == f"{mode:.3f}"
    assert metric(at, "MLE (h / n)") == f"{mle:.3f}"
    at = page_test("beta_binomial.py")
    at.query_params.update({"alpha0": "3", "beta0": "5", "source": "Flip string", "flips": "TTH"})
    at.run()
    steps = at.dataframe[0].value
    assert list(steps["flip"]) == ["prior", "T", "T", "H"]
    assert list(steps["alpha"]) == [3, 3, 3, 4]
    assert list(steps["beta"]) == [5, 6, 7, 7]


@pytest.fixture
def flips():
    at = page_test("beta_binomial.py")
    at.query_params["source"] = "flips"  # an alias of "Flip string"
    return at.run()


def test_flip_by_flip_table_matches_the_course(flips):
    # Course walkthrough means after each of H, H, H, T, H from Beta(2, 2).
    assert flips.radio(key="source").value == "Flip string"
    steps = flips.dataframe[0].value
    assert [round(m, 3) for m in steps["mean"]] == [0.5, 0.6, 0.667, 0.714, 0.625, 0.667]
    assert list(steps["flip"]) == ["prior", "H", "H", "H", "T", "H"]


def test_one_data_source_at_a_time(at, flips):
    assert "flips" not in [w.key for w in at.text_input] and not at.dataframe
    assert "heads" not in [w.key for w in flips.number_input]
    flips.text_input(key="flips").set_value("TTTT").run()
    # Only the flip string counts now: Beta(2, 2) + 0 heads, 4 tails has mean 2/8.
    assert metric(flips, "Posterior mean") == "0.250"
    assert metric(flips, "MLE (h / n)") == "0.000"


def test_bad_flip_string_names_the_widget_and_keeps_the_last_chart_greyed(flips):
    flips.text_input(key="flips").set_value("HHXT").run()
    assert not flips.exception
    errors = [e.value for e in flips.error]
    assert len(errors) == 1
    assert "“Flips (H = heads" in errors[0] and "'X'" in errors[0] and "position 3" in errors[0]
    assert "Posterior mean" not in [m.label for m in flips.metric]
    assert len(chart_specs(flips)) == 1  # the last good one, greyed
    assert any("greyed" in c.value for c in flips.caption)


def test_flip_a_coin_adds_one_reproducible_observation(at):
    at.button(key="flip-coin").click().run()
    heads, tails = at.number_input(key="heads").value, at.number_input(key="tails").value
    assert heads + tails == 6
    again = page_test("beta_binomial.py").run()
    again.button(key="flip-coin").click().run()
    assert (again.number_input(key="heads").value, again.number_input(key="tails").value) == (heads, tails)
    mean = closed_form(2.0, 2.0, heads, tails)[0]
    assert metric(at, "Posterior mean") == f"{mean:.3f}"


def test_flip_a_coin_appends_to_the_flip_string(flips):
    flips.button(key="flip-coin").click().run()
    text = flips.text_input(key="flips").value
    assert text[:5] == "HHHTH" and len(text) == 6 and text[5] in "HT"
    assert len(flips.dataframe[0].value) == 7


def test_charts_show_the_curves_with_estimates_and_the_steps(flips):
    specs = chart_specs(flips)
    assert len(specs) == 2
    curves, steps = specs
    assert curves["layer"][1]["encoding"]["color"]["scale"]["domain"] == [
        "prior", "posterior", "likelihood (normalised)",
    ]
    assert len(curves["layer"]) == 7  # interval band, curves, estimate rules, points, a label per estimate
    assert steps["layer"][0]["encoding"]["y"]["field"] == "mean"


def test_a_page_opened_from_an_exercise_link_hides_the_answers_until_a_submission():
    at = page_test("beta_binomial.py")
    at.query_params.update({"exercise": "bayes.beta_binomial_posterior"})
    at.run()
    assert not at.exception
    assert metric(at, "Posterior mean") == "hidden until you submit"
    assert "layer" not in chart_specs(at)[0]  # the curves only: no estimate marks, no interval


def test_invalid_values_in_the_url_fall_back_to_the_defaults():
    # Streamlit drops a bound query parameter outside the widget's range.
    at = page_test("beta_binomial.py")
    at.query_params.update({"alpha0": "-5", "heads": "-3"})
    at.run()
    assert not at.exception
    assert at.number_input(key="alpha0").value == 2.0
    assert at.number_input(key="heads").value == 4
    assert metric(at, "Posterior mean") == "0.667"


def test_a_link_with_a_flip_string_and_no_source_opens_on_the_flip_string():
    at = page_test("beta_binomial.py")
    at.query_params.update({"flips": "HTT"})
    at.run()
    assert at.radio(key="source").value == "Flip string"
    assert list(at.dataframe[0].value["flip"]) == ["prior", "H", "T", "T"]


def animation_args(at) -> list[dict]:
    """The JSON arguments of the animation components on the page."""
    return [json.loads(el.proto.json_args) for el in at.get("component_instance")]


def test_the_flip_string_is_animated_one_posterior_per_flip(flips):
    # Frames after 0..5 of H, H, H, T, H from Beta(2, 2): Beta(2+h, 2+t), checked with scipy.
    (args,) = animation_args(flips)
    assert args["kind"] == "curve" and args["height"] > 0
    frames = args["frames"]
    assert frames["tokens"] == list("HHHTH")
    x = np.array(frames["x"])
    for (h, t), curve in zip([(0, 0), (1, 0), (2, 0), (3, 0), (3, 1), (4, 1)], frames["y"], strict=True):
        np.testing.assert_allclose(curve, stats.beta.pdf(x, 2 + h, 2 + t), atol=5.1e-5)
    flips.text_input(key="flips").set_value("TT").run()
    (args,) = animation_args(flips)
    assert args["frames"]["tokens"] == ["T", "T"] and len(args["frames"]["y"]) == 3


def test_counts_have_no_animation(at):
    assert animation_args(at) == []
