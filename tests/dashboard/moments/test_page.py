"""AppTest tests of the moments page, run on its own.

References: scipy.stats.rv_discrete for E[X] and Var(X); Cov, Corr and E[X|Y] written
out with numpy below from their definitions; scipy.stats.beta / the Bernoulli closed
form p(1 − p) for the CLT's σ/√n; scipy.stats.norm for the Gaussian cell masses.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df

from dashboard.topics.moments import compute
from dashboard.topics.moments.params import PARAMS
from tests.dashboard.helpers import metric, page_test

# Metrics show 4 decimals: a displayed value is within half a unit of the last digit.
DISPLAY_TOL = 0.5e-4 + 1e-9


def shown(at, label: str) -> float:
    return float(metric(at, label))


def chart_frames(at) -> list[list[pd.DataFrame]]:
    """The data of each chart on the page: one DataFrame per dataset, in layer order."""
    return [
        [convert_arrow_bytes_to_pandas_df(d.data.data) for d in el.proto.datasets]
        for el in at.get("vega_lite_chart")
    ]


def clt_histogram(at) -> pd.DataFrame:
    (frame,) = [f for frames in chart_frames(at) for f in frames if "bin_start" in f.columns]
    return frame


def joint_reference(x, y, joint):
    """E[X], E[Y], Cov and Corr from their definitions."""
    x, y, p = np.asarray(x, float), np.asarray(y, float), np.asarray(joint, float)
    ex, ey = x @ p.sum(axis=1), y @ p.sum(axis=0)
    cov = (x - ex) @ p @ (y - ey)
    sx = math.sqrt(((x - ex) ** 2) @ p.sum(axis=1))
    sy = math.sqrt(((y - ey) ** 2) @ p.sum(axis=0))
    return ex, ey, cov, cov / (sx * sy)


def labelled(message: str) -> str:
    """``message`` with each backticked widget key written as its label, as the page shows it."""
    for param in PARAMS.params:
        message = message.replace(f"`{param.key}`", f"“{param.label}”")
    return message


@pytest.fixture
def at():
    return page_test("moments.py").run()


def test_default_distribution_moments_match_scipy(at):
    assert not at.exception
    assert not at.error
    ref = stats.rv_discrete(values=([0, 1, 2, 3], [0.1, 0.2, 0.3, 0.4]))
    assert shown(at, "E[X]") == pytest.approx(ref.mean(), abs=DISPLAY_TOL)
    assert shown(at, "Var(X) = E[(X − E[X])²]") == pytest.approx(ref.var(), abs=DISPLAY_TOL)
    assert shown(at, "Var(X) = E[X²] − E[X]²") == pytest.approx(ref.var(), abs=DISPLAY_TOL)
    assert shown(at, "σ") == pytest.approx(ref.std(), abs=DISPLAY_TOL)


def test_editing_the_distribution_updates_the_numbers(at):
    at.text_input(key="values").set_value("-2, 5, 10")
    at.text_input(key="probs").set_value("0.25, 0.5, 0.25").run()
    assert not at.exception
    ref = stats.rv_discrete(values=([-2, 5, 10], [0.25, 0.5, 0.25]))
    assert shown(at, "E[X]") == pytest.approx(ref.mean(), abs=DISPLAY_TOL)
    assert shown(at, "Var(X) = E[(X − E[X])²]") == pytest.approx(ref.var(), abs=DISPLAY_TOL)


def test_probabilities_not_summing_to_one_show_an_error_not_a_trace(at):
    at.text_input(key="probs").set_value("0.1, 0.2, 0.3, 0.3").run()
    assert not at.exception
    assert len(at.error) == 1
    # Plain words that name the widget by its label.
    assert f"“{PARAMS['probs'].label}”: the probabilities add up to 0.9; they must add up to 1" in at.error[0].value
    assert "E[X]" not in [m.label for m in at.metric]
    # The rest of the page still works.
    assert shown(at, "Cov(X, Y)") == pytest.approx(
        joint_reference([0, 1], [1, 2, 3], [[0.2, 0.15, 0.05], [0.05, 0.15, 0.4]])[2], abs=DISPLAY_TOL
    )


@pytest.mark.parametrize(
    ("values", "probs", "message"),
    [
        ("0, one", "0.5, 0.5", "`values` has 'one', which is not a number"),
        ("0, 1, 2", "0.5, 0.5", "`values` and `probs` must have the same shape"),
        ("0, 1", "-0.5, 1.5", "`probs` must be non-negative"),
        (" ", "1", "`values` is empty"),
    ],
)
def test_bad_distributions_are_named(values, probs, message):
    message = labelled(message)
    at = page_test("moments.py")
    at.query_params.update({"values": values, "probs": probs})
    at.run()
    assert not at.exception
    assert [message in e.value for e in at.error] == [True]


def test_the_computational_formula_loses_digits_far_from_zero(at):
    # Shift 0..3 by 1e8: the variance is still 1 (scipy), but E[X²] ≈ 1e16 is stored to
    # the nearest even integer, so E[X²] − E[X]² cannot come out as 1.
    at.text_input(key="values").set_value("100000000, 100000001, 100000002, 100000003").run()
    assert not at.exception
    ref = stats.rv_discrete(values=([0, 1, 2, 3], [0.1, 0.2, 0.3, 0.4])).var()
    assert shown(at, "Var(X) = E[(X − E[X])²]") == pytest.approx(ref, abs=DISPLAY_TOL)
    assert abs(shown(at, "Var(X) = E[X²] − E[X]²") - ref) > 0.1


def test_joint_table_covariance_correlation_and_total_expectation(at):
    x, y, joint = [0, 1], [1, 2, 3], [[0.2, 0.15, 0.05], [0.05, 0.15, 0.4]]
    ex, ey, cov, corr = joint_reference(x, y, joint)
    assert shown(at, "E[X] of the table") == pytest.approx(ex, abs=DISPLAY_TOL)
    assert shown(at, "E[Y] of the table") == pytest.approx(ey, abs=DISPLAY_TOL)
    assert shown(at, "Cov(X, Y)") == pytest.approx(cov, abs=DISPLAY_TOL)
    assert shown(at, "Corr(X, Y)") == pytest.approx(corr, abs=DISPLAY_TOL)
    assert shown(at, "E[E[X|Y]]") == pytest.approx(ex, abs=DISPLAY_TOL)
    steps = at.dataframe[0].value
    p = np.asarray(joint)
    np.testing.assert_allclose(steps["p_y"], p.sum(axis=0), atol=1e-12)
    np.testing.assert_allclose(steps["conditional_mean"], (np.asarray(x) @ p) / p.sum(axis=0), atol=1e-12)


def test_a_new_joint_table_through_the_widgets(at):
    at.text_input(key="x_values").set_value("-1, 0, 4")
    at.text_input(key="y_values").set_value("10, 20")
    at.text_area(key="joint").set_value("0.1, 0.2; 0.3, 0.1; 0.05, 0.25").run()
    assert not at.exception and not at.error
    ex, _ey, cov, corr = joint_reference([-1, 0, 4], [10, 20], [[0.1, 0.2], [0.3, 0.1], [0.05, 0.25]])
    assert shown(at, "Cov(X, Y)") == pytest.approx(cov, abs=DISPLAY_TOL)
    assert shown(at, "Corr(X, Y)") == pytest.approx(corr, abs=DISPLAY_TOL)
    assert shown(at, "E[E[X|Y]]") == pytest.approx(ex, abs=DISPLAY_TOL)


def test_constant_x_leaves_the_correlation_undefined_with_a_reason(at):
    at.text_area(key="joint").set_value("0.2, 0.3, 0.5\n0, 0, 0").run()
    assert not at.exception and not at.error
    assert metric(at, "Corr(X, Y)") == "undefined"
    assert shown(at, "Cov(X, Y)") == 0.0
    assert any("X constant" in i.value for i in at.info)


def test_an_empty_column_is_reported_beside_the_total_expectation(at):
    at.text_area(key="joint").set_value("0.5, 0, 0.2\n0.1, 0, 0.2").run()
    assert not at.exception
    assert [("column 1 has zero probability" in e.value) for e in at.error] == [True]
    assert "Cov(X, Y)" in [m.label for m in at.metric]  # the covariance is still shown


def test_clt_default_matches_the_beta_closed_form(at):
    # Beta(0.5, 2), n = 5 draws per mean, 4000 means (compute.CLT_MEANS).
    n, n_means = 5, compute.CLT_MEANS
    sigma = math.sqrt(stats.beta.var(0.5, 2) / n)
    assert shown(at, "Population mean μ") == pytest.approx(0.2, abs=DISPLAY_TOL)
    assert shown(at, "σ/√n") == pytest.approx(sigma, abs=DISPLAY_TOL)
    # The average of 4000 means has standard error σ/√(n·4000); allow 4 of them.
    assert shown(at, "Average of the simulated means") == pytest.approx(0.2, abs=4 * sigma / math.sqrt(n_means))
    # The sample sd of N means has standard error ≈ σ/√(2N) (normal approximation);
    # allow 5 of them since the mean of 5 skewed Beta draws is not yet normal.
    assert shown(at, "Spread of the simulated means") == pytest.approx(sigma, abs=5 * sigma / math.sqrt(2 * n_means))
    hist = clt_histogram(at)
    assert len(hist) == compute.CLT_BINS  # pre-binned, not 4000 raw draws


def cells_total_variation(hist: pd.DataFrame, mu: float, sigma: float) -> float:
    """½ Σ |histogram mass − normal mass| over the histogram's cells."""
    width = hist["bin_end"] - hist["bin_start"]
    normal = stats.norm.cdf(hist["bin_end"], mu, sigma) - stats.norm.cdf(hist["bin_start"], mu, sigma)
    return 0.5 * float(np.abs(hist["density"] * width - normal).sum())


def test_clt_histogram_approaches_the_gaussian_as_n_grows(at):
    at.slider(key="clt_n").set_value(1).run()
    far = cells_total_variation(clt_histogram(at), 0.2, math.sqrt(stats.beta.var(0.5, 2)))
    at.slider(key="clt_n").set_value(200).run()
    near = cells_total_variation(clt_histogram(at), 0.2, math.sqrt(stats.beta.var(0.5, 2) / 200))
    assert not at.exception
    # n = 1 is the skewed Beta itself; at n = 200 only sampling noise remains (40 cells of
    # 4000 means: expected TV ≈ Σ √(p(1−p)/N)/2·√(2/π) ≈ 0.05).
    assert far > 0.2
    assert near < 0.08


def test_clt_is_reproducible_from_the_seed_and_changes_with_it():
    params = {"clt_family": "Bernoulli", "clt_p": "0.3", "clt_n": "40", "seed": "7"}
    first = page_test("moments.py")
    first.query_params.update(params)
    first.run()
    again = page_test("moments.py")
    again.query_params.update(params)
    again.run()
    other = page_test("moments.py")
    other.query_params.update({**params, "seed": "8"})
    other.run()
    assert not first.exception
    pd.testing.assert_frame_equal(clt_histogram(first), clt_histogram(again))
    assert not clt_histogram(first).equals(clt_histogram(other))
    # Bernoulli closed form: σ/√n = √(p(1 − p)/n).
    assert shown(first, "σ/√n") == pytest.approx(math.sqrt(0.3 * 0.7 / 40), abs=DISPLAY_TOL)
    assert shown(first, "Population mean μ") == pytest.approx(0.3, abs=DISPLAY_TOL)


def test_query_params_reproduce_a_shared_view():
    at = page_test("moments.py")
    at.query_params.update(
        {
            "values": "1, 2, 3, 4, 5, 6",
            "probs": "0.1, 0.1, 0.1, 0.1, 0.1, 0.5",
            "x_values": "0, 1",
            "y_values": "0, 1",
            "joint": "0.4, 0.1; 0.1, 0.4",
            "clt_family": "Gaussian",
            "clt_mu": "2",
            "clt_sigma": "3",
            "clt_n": "9",
        }
    )
    at.run()
    assert not at.exception and not at.error
    ref = stats.rv_discrete(values=(range(1, 7), [0.1] * 5 + [0.5]))
    assert shown(at, "E[X]") == pytest.approx(ref.mean(), abs=DISPLAY_TOL)
    assert shown(at, "Var(X) = E[(X − E[X])²]") == pytest.approx(ref.var(), abs=DISPLAY_TOL)
    # The core docstring's example: Cov 0.15, Corr 0.6 for this table.
    assert shown(at, "Cov(X, Y)") == pytest.approx(0.15, abs=DISPLAY_TOL)
    assert shown(at, "Corr(X, Y)") == pytest.approx(0.6, abs=DISPLAY_TOL)
    assert shown(at, "σ/√n") == pytest.approx(3 / 3, abs=DISPLAY_TOL)
    assert shown(at, "Population mean μ") == pytest.approx(2.0, abs=DISPLAY_TOL)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"clt_family": "Categorical", "clt_probs": "0.5, 0.6"}, "`clt_probs`: the probabilities add up to 1.1"),
        ({"clt_family": "Categorical", "clt_probs": "1"}, "zero variance"),
        ({"clt_family": "Dirichlet", "clt_dirichlet": "1, -2"}, "`clt_dirichlet` must be > 0"),
        ({"clt_family": "Dirichlet", "clt_dirichlet": "a"}, "`clt_dirichlet` has 'a'"),
    ],
)
def test_bad_clt_parameters_show_an_error(params, message):
    message = labelled(message)  # the CLT widget's label, not the first section's
    at = page_test("moments.py")
    at.query_params.update(params)
    at.run()
    assert not at.exception
    assert [message in e.value for e in at.error] == [True]
    assert "σ/√n" not in [m.label for m in at.metric]


def test_every_family_runs_in_the_clt():
    for family in ("Bernoulli", "Categorical", "Gaussian", "Beta", "Dirichlet"):
        at = page_test("moments.py")
        at.query_params.update({"clt_family": family, "clt_n": "30"})
        at.run()
        assert not at.exception and not at.error, family
        assert len(clt_histogram(at)) == compute.CLT_BINS


def test_a_page_opened_from_an_exercise_link_hides_the_computed_moments():
    at = page_test("moments.py")
    at.query_params.update({"exercise": "moments.variance_discrete"})
    at.run()
    assert not at.exception
    assert metric(at, "E[X]") == "hidden"
    assert not at.dataframe  # nor the E[E[X|Y]] working
