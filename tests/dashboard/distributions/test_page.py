"""AppTest tests of the distributions page, run on its own.

References: scipy.stats (bernoulli, rv_discrete, norm, beta, dirichlet) for moments,
entropies and densities; sampling tolerances from the binomial standard error.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df

from dashboard.common.chart_style import MAX_ROWS
from dashboard.topics.distributions import compute
from dashboard.topics.distributions.params import PARAMS
from tests.dashboard.helpers import metric, page_test

DISPLAY_TOL = 0.5e-4 + 1e-9  # 4 decimals shown
VECTOR_TOL = 0.5e-3 + 1e-9  # vectors are shown with 3 decimals


def shown(at, label: str) -> float:
    return float(metric(at, label))


def shown_vector(at, label: str) -> list[float]:
    return [float(v) for v in metric(at, label).strip("()").split(",")]


def chart_frames(at) -> list[pd.DataFrame]:
    """Every dataset of every chart on the page."""
    return [
        convert_arrow_bytes_to_pandas_df(d.data.data)
        for el in at.get("vega_lite_chart")
        for d in el.proto.datasets
    ]


def frame_with(at, *columns: str) -> pd.DataFrame:
    found = [f for f in chart_frames(at) if set(columns) <= set(f.columns)]
    assert len(found) == 1, [list(f.columns) for f in chart_frames(at)]
    return found[0]


def open_page(**params: str):
    at = page_test("distributions.py")
    at.query_params.update(params)
    return at.run()


def test_default_is_the_bernoulli_with_its_closed_forms():
    at = open_page()
    assert not at.exception and not at.error
    p = 0.3
    assert shown(at, "Mean") == pytest.approx(p, abs=DISPLAY_TOL)
    assert shown(at, "Variance") == pytest.approx(p * (1 - p), abs=DISPLAY_TOL)
    assert shown(at, "Entropy, nats") == pytest.approx(stats.bernoulli(p).entropy(), abs=DISPLAY_TOL)
    assert any("In an LLM" in i.value for i in at.info)


def test_bernoulli_samples_sit_on_the_pmf_within_sampling_error():
    at = open_page()
    at.slider(key="p").set_value(0.8).run()
    assert shown(at, "Mean") == pytest.approx(0.8, abs=DISPLAY_TOL)
    frame = frame_with(at, "outcome", "series", "value")
    bars, pmf = frame[frame["series"] == "sample"], frame[frame["series"] == "exact"]
    assert list(pmf["outcome"]) == ["0", "1"]  # categories, not a number line from -0.4 to 1.4
    np.testing.assert_allclose(pmf["value"], stats.bernoulli.pmf([0, 1], 0.8))
    # A proportion from N draws has standard error √(p(1−p)/N); allow 4 of them.
    se = math.sqrt(0.8 * 0.2 / compute.FAMILY_SAMPLES)
    np.testing.assert_allclose(bars["value"], [0.2, 0.8], atol=4 * se)


def test_categorical_moments_entropy_and_samples():
    probs = [0.1, 0.2, 0.3, 0.4]
    at = open_page(family="Categorical", probs="0.1, 0.2, 0.3, 0.4")
    assert not at.exception and not at.error
    ref = stats.rv_discrete(values=(range(4), probs))
    assert shown(at, "Mean") == pytest.approx(ref.mean(), abs=DISPLAY_TOL)
    assert shown(at, "Variance") == pytest.approx(ref.var(), abs=DISPLAY_TOL)
    assert shown(at, "Entropy, nats") == pytest.approx(ref.entropy(), abs=DISPLAY_TOL)
    frame = frame_with(at, "outcome", "series", "value")
    bars = frame[frame["series"] == "sample"]
    assert list(bars["outcome"]) == ["0", "1", "2", "3"]
    se = np.sqrt(np.multiply(probs, 1 - np.asarray(probs)) / compute.FAMILY_SAMPLES)
    assert np.all(np.abs(bars["value"].to_numpy() - probs) <= 4 * se)


def test_gaussian_density_curve_and_histogram():
    at = open_page(family="Gaussian", mu="1.5", sigma="0.5")
    assert not at.exception and not at.error
    assert shown(at, "Mean") == pytest.approx(1.5, abs=DISPLAY_TOL)
    assert shown(at, "Variance") == pytest.approx(0.25, abs=DISPLAY_TOL)
    assert shown(at, "Differential entropy, nats") == pytest.approx(
        0.5 * math.log(2 * math.pi * math.e * 0.25), abs=DISPLAY_TOL
    )
    curve = frame_with(at, "x", "density")
    np.testing.assert_allclose(curve["density"], stats.norm.pdf(curve["x"], 1.5, 0.5), rtol=1e-10)
    hist = frame_with(at, "bin_start", "bin_end", "density")
    width = hist["bin_end"] - hist["bin_start"]
    expected = stats.norm.cdf(hist["bin_end"], 1.5, 0.5) - stats.norm.cdf(hist["bin_start"], 1.5, 0.5)
    observed = hist["density"] * width
    # Each cell's mass is a binomial frequency: SE √(m(1 − m)/N); allow 4.5 of them
    # (40 cells, so the largest of 40 deviations).
    se = np.sqrt(expected * (1 - expected) / compute.FAMILY_SAMPLES)
    assert np.all(np.abs(observed - expected) <= 4.5 * se + 1e-12)


def test_beta_moments_and_density():
    at = open_page(family="Beta", alpha="2", beta="5")
    assert not at.exception and not at.error
    ref = stats.beta(2, 5)
    assert shown(at, "Mean") == pytest.approx(ref.mean(), abs=DISPLAY_TOL)
    assert shown(at, "Variance") == pytest.approx(ref.var(), abs=DISPLAY_TOL)
    assert shown(at, "Differential entropy, nats") == pytest.approx(ref.entropy(), abs=DISPLAY_TOL)
    curve = frame_with(at, "x", "density")
    np.testing.assert_allclose(curve["density"], ref.pdf(curve["x"]), rtol=1e-10)
    hist = frame_with(at, "bin_start", "bin_end", "density")
    assert hist["bin_start"].min() == 0.0 and hist["bin_end"].max() == pytest.approx(1.0)


def test_dirichlet_on_the_triangle():
    alpha = [1.5, 4.0, 2.5]
    at = open_page(family="Dirichlet", a1="1.5", a2="4", a3="2.5")
    assert not at.exception and not at.error
    ref = stats.dirichlet(alpha)
    np.testing.assert_allclose(shown_vector(at, "Mean"), ref.mean(), atol=VECTOR_TOL)
    np.testing.assert_allclose(shown_vector(at, "Variance"), ref.var(), atol=VECTOR_TOL)
    assert shown(at, "Differential entropy, nats") == pytest.approx(ref.entropy(), abs=DISPLAY_TOL)
    grid = frame_with(at, "pi1", "pi2", "pi3", "density")
    assert len(grid) <= MAX_ROWS
    points = grid[["pi1", "pi2", "pi3"]].to_numpy()
    np.testing.assert_allclose(grid["density"], ref.pdf(points.T), rtol=1e-10)
    # The triangle's corners: e1 -> (0, 0), e2 -> (1, 0), e3 -> (1/2, √3/2).
    np.testing.assert_allclose(grid["x"], points[:, 1] + points[:, 2] / 2, atol=1e-12)
    np.testing.assert_allclose(grid["y"], points[:, 2] * math.sqrt(3) / 2, atol=1e-12)
    dots = [f for f in chart_frames(at) if list(f.columns) == ["x", "y"]]
    assert [len(d) for d in dots] == [compute.SIMPLEX_SAMPLES]


def test_moving_a_slider_changes_the_view():
    at = open_page(family="Gaussian")
    at.slider(key="sigma").set_value(2.0).run()
    assert shown(at, "Variance") == pytest.approx(4.0, abs=DISPLAY_TOL)
    at.selectbox(key="family").set_value("Beta").run()
    assert not at.exception
    assert shown(at, "Mean") == pytest.approx(2 / 7, abs=DISPLAY_TOL)  # default Beta(2, 5)


def test_every_family_has_its_own_llm_sentence():
    seen = set()
    for family in ("Bernoulli", "Categorical", "Gaussian", "Beta", "Dirichlet"):
        at = open_page(family=family)
        assert not at.exception and not at.error, family
        (info,) = [i.value for i in at.info if "In an LLM" in i.value]
        seen.add(info)
    assert len(seen) == 5


@pytest.mark.parametrize(
    ("probs", "message"),
    [
        ("0.5, 0.6", "`probs`: the probabilities add up to 1.1; they must add up to 1"),
        ("0.5, x", "`probs` has 'x', which is not a number"),
        ("-0.5, 1.5", "`probs` must be non-negative"),
    ],
)
def test_bad_categorical_probabilities_show_an_error(probs, message):
    message = message.replace("`probs`", f"“{PARAMS['probs'].label}”")  # named by the widget's label
    at = open_page(family="Categorical", probs=probs)
    assert not at.exception
    assert [message in e.value for e in at.error] == [True]
    assert "Mean" not in [m.label for m in at.metric]


def test_the_seed_fixes_the_samples():
    first = open_page(family="Gaussian", seed="3")
    again = open_page(family="Gaussian", seed="3")
    other = open_page(family="Gaussian", seed="4")
    cols = ("bin_start", "bin_end", "density")
    pd.testing.assert_frame_equal(frame_with(first, *cols), frame_with(again, *cols))
    assert not frame_with(first, *cols).equals(frame_with(other, *cols))


def test_a_page_opened_from_an_exercise_link_hides_the_moments():
    at = open_page(exercise="distributions.bernoulli_reward")
    assert not at.exception
    assert metric(at, "Mean") == metric(at, "Entropy, nats") == "hidden"
