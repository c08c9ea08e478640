"""AppTest tests of the mutual information page, run on its own.

References: entropies and I(X;Y) written out with numpy from their definitions; the
Gaussian closed form I = −½ log(1 − ρ²); the discretised Gaussian's cells integrated
with scipy.integrate.quad by conditioning on X (a different route from the CDF
differencing in core.joint_tables).
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from scipy import integrate, stats
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df

from dashboard.common.chart_style import MAX_ROWS
from dashboard.topics.mutual_information import compute
from dashboard.topics.mutual_information.params import PARAMS
from tests.dashboard.helpers import chart_specs, metric, page_test

DISPLAY_TOL = 0.5e-4 + 1e-9  # 4 decimals shown


def shown(at, label: str) -> float:
    return float(metric(at, label))


def information(joint) -> dict[str, float]:
    """H(X), H(Y), H(X, Y), H(X|Y), H(Y|X), I(X;Y) in nats, from the definitions."""
    p = np.asarray(joint, dtype=float)

    def h(v: np.ndarray) -> float:
        v = v[v > 0]
        return float(-(v * np.log(v)).sum())

    px, py = p.sum(axis=1), p.sum(axis=0)
    nz = p > 0
    mi = float((p[nz] * np.log(p[nz] / np.outer(px, py)[nz])).sum())
    return {
        "H(X)": h(px), "H(Y)": h(py), "H(X, Y)": h(p.ravel()),
        "H(X|Y)": h(p.ravel()) - h(py), "H(Y|X)": h(p.ravel()) - h(px), "I(X; Y)": mi,
    }


def assert_page_shows(at, joint, unit: str = "nats") -> None:
    scale = 1.0 if unit == "nats" else math.log(2)
    for name, value in information(joint).items():
        assert shown(at, f"{name}, {unit}") == pytest.approx(value / scale, abs=DISPLAY_TOL), name


def gaussian_cells(rho: float, n_cells: int, limit: float = 3.0) -> np.ndarray:
    """Cell probabilities by quad: ∫_a1^b1 φ(x) [Φ((b2 − ρx)/s) − Φ((a2 − ρx)/s)] dx."""
    inner = np.linspace(-limit, limit, n_cells - 1)
    edges = np.concatenate([[-np.inf], inner, [np.inf]])
    s = math.sqrt(1 - rho**2)
    table = np.empty((n_cells, n_cells))
    for i in range(n_cells):
        for j in range(n_cells):
            a2, b2 = edges[j], edges[j + 1]
            table[i, j] = integrate.quad(
                lambda x, a2=a2, b2=b2: stats.norm.pdf(x)
                * (stats.norm.cdf((b2 - rho * x) / s) - stats.norm.cdf((a2 - rho * x) / s)),
                edges[i], edges[i + 1], epsabs=1e-13,
            )[0]
    return table


def chart_frames(at) -> list[pd.DataFrame]:
    return [
        convert_arrow_bytes_to_pandas_df(d.data.data)
        for el in at.get("vega_lite_chart")
        for d in el.proto.datasets
    ]


def open_page(**params: str):
    at = page_test("mutual_information.py")
    at.query_params.update(params)
    return at.run()


@pytest.fixture
def at():
    return page_test("mutual_information.py").run()


def test_default_discretised_gaussian(at):
    # ρ = 0.6 on 7×7 cells.
    assert not at.exception and not at.error
    assert_page_shows(at, gaussian_cells(0.6, 7))
    closed = -0.5 * math.log(1 - 0.6**2)
    assert shown(at, "Closed form −½ log(1 − ρ²), nats") == pytest.approx(closed, abs=DISPLAY_TOL)
    # Coarsening loses information: the table's MI is below the closed form.
    assert shown(at, "Discretised on 7×7 cells, nats") < closed


def test_moving_rho_and_the_grid(at):
    at.slider(key="rho").set_value(-0.85)
    at.slider(key="cells").set_value(12).run()
    assert not at.exception and not at.error
    assert_page_shows(at, gaussian_cells(-0.85, 12))
    assert shown(at, "Closed form −½ log(1 − ρ²), nats") == pytest.approx(
        -0.5 * math.log(1 - 0.85**2), abs=DISPLAY_TOL
    )


def test_zero_correlation_has_zero_mutual_information(at):
    at.slider(key="rho").set_value(0.0).run()
    assert shown(at, "I(X; Y), nats") == pytest.approx(0.0, abs=DISPLAY_TOL)
    assert shown(at, "H(X|Y), nats") == pytest.approx(shown(at, "H(X), nats"), abs=2 * DISPLAY_TOL)


def test_the_sweep_has_the_closed_form_and_a_lower_discretised_curve(at):
    (sweep,) = [f for f in chart_frames(at) if "curve" in f.columns and "rho" in f.columns]
    closed = sweep[sweep["curve"] == compute.CLOSED_FORM]
    discretised = sweep[sweep["curve"] == compute.DISCRETISED].set_index("rho")["mi"]
    np.testing.assert_allclose(closed["mi"], -0.5 * np.log(1 - closed["rho"] ** 2), rtol=1e-12)
    assert np.all(discretised.to_numpy() <= closed.set_index("rho")["mi"].to_numpy() + 1e-12)
    assert discretised.loc[0.6] == pytest.approx(information(gaussian_cells(0.6, 7))["I(X; Y)"], abs=1e-9)
    assert len(sweep) == 2 * len(compute.RHO_SWEEP) <= MAX_ROWS


@pytest.mark.parametrize(
    ("preset", "expected_mi_bits"),
    [
        ("Independent coins", 0.0),
        ("Y copies X", 1.0),
        # A binary symmetric channel with 10% flips: 1 − H₂(0.1) bits.
        ("Noisy copy (10% flips)", 1 + 0.1 * math.log2(0.1) + 0.9 * math.log2(0.9)),
    ],
)
def test_presets_in_bits(preset, expected_mi_bits):
    at = open_page(source="Preset", preset=preset, unit="bits")
    assert not at.exception and not at.error
    assert_page_shows(at, compute.MI_PRESETS[preset], "bits")
    assert shown(at, "I(X; Y), bits") == pytest.approx(expected_mi_bits, abs=DISPLAY_TOL)
    assert "Closed form −½ log(1 − ρ²), bits" not in [m.label for m in at.metric]


def test_heatmaps_show_the_joint_the_product_and_the_pmi():
    at = open_page(source="Preset", preset="Y copies X", unit="bits")
    # One dataset per heatmap panel.
    cells = pd.concat([f for f in chart_frames(at) if "panel" in f.columns], ignore_index=True)
    assert len(cells) == 3 * 4
    by_panel = {name: g.reset_index(drop=True) for name, g in cells.groupby("panel", sort=False)}
    assert list(by_panel) == [compute.JOINT, compute.PRODUCT, compute.PMI]
    np.testing.assert_allclose(by_panel[compute.JOINT]["value"], [0.5, 0.0, 0.0, 0.5])
    np.testing.assert_allclose(by_panel[compute.PRODUCT]["value"], [0.25] * 4)
    # PMI = log2(0.5 / 0.25) = 1 bit on the diagonal, −∞ off it (no colour, labelled).
    pmi = by_panel[compute.PMI]
    assert pmi["value"].iloc[0] == pytest.approx(1.0) and pmi["value"].iloc[3] == pytest.approx(1.0)
    assert pmi["value"].iloc[[1, 2]].isna().all()
    assert list(pmi["text"].iloc[[1, 2]]) == ["−∞", "−∞"]


def test_information_diagram_overlaps_by_the_mutual_information(at):
    (bars,) = [f for f in chart_frames(at) if "part" in f.columns and "start" in f.columns]
    ref = information(gaussian_cells(0.6, 7))
    overlap = bars[(bars["entropy"] == "H(X)") & (bars["part"] == "I(X;Y)")].iloc[0]
    assert overlap["end"] - overlap["start"] == pytest.approx(ref["I(X; Y)"], abs=1e-9)
    whole = bars[bars["entropy"] == "H(X, Y)"]
    assert whole["end"].max() == pytest.approx(ref["H(X, Y)"], abs=1e-9)


def test_a_typed_table(at):
    at.radio(key="source").set_value("Type a table").run()
    joint = [[0.1, 0.2, 0.05], [0.3, 0.05, 0.3]]
    at.text_area(key="joint").set_value("0.1, 0.2, 0.05\n0.3, 0.05, 0.3").run()
    assert not at.exception and not at.error
    assert_page_shows(at, joint)
    at.radio(key="unit").set_value("bits").run()
    assert_page_shows(at, joint, "bits")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0.5, 0.2\n0.1", "`joint` row 2 has 1 entries; row 1 has 2"),
        ("0.5, 0.2\n0.1, 0.1", "`joint` must sum to 1"),
        ("0.5, -0.1\n0.3, 0.3", "`joint` must be non-negative"),
        ("0.5, half", "`joint` has 'half', which is not a number"),
        ("", "`joint` is empty"),
    ],
)
def test_bad_tables_show_an_error_and_no_trace(text, message):
    at = open_page(source="Type a table", joint=text) if text else open_page(source="Type a table")
    if not text:
        at.text_area(key="joint").set_value("").run()
    assert not at.exception
    assert [message in e.value for e in at.error] == [True], [e.value for e in at.error]
    assert not at.metric


def test_query_params_reproduce_a_shared_view():
    at = open_page(rho="-0.4", cells="5", unit="bits")
    assert not at.exception and not at.error
    assert_page_shows(at, gaussian_cells(-0.4, 5), "bits")
    assert at.slider(key="cells").value == 5
    typed = open_page(source="Type a table", joint="0.2, 0.3; 0.4, 0.1")
    assert_page_shows(typed, [[0.2, 0.3], [0.4, 0.1]])


def test_outer_cells_are_open_intervals_on_the_heatmaps(at):
    cells = pd.concat([f for f in chart_frames(at) if "panel" in f.columns], ignore_index=True)
    labels = list(dict.fromkeys(cells["x"]))
    # 7 cells: inner edges at −3, −2, ..., 3 spaced 1.2 apart; the outer two are open.
    assert labels == ["(−∞, −3)", "−2.40", "−1.20", "+0.00", "+1.20", "+2.40", "(3, ∞)"]
    assert any("open intervals out to ±∞" in c.value for c in at.caption)
    assert any("PMI values are in nats; their colours stop at ±3 nats" in c.value for c in at.caption)


def test_moving_rho_changes_the_metric_and_the_pmi_colours(at):
    at.slider(key="rho").set_value(0.9).run()
    assert not at.exception
    assert_page_shows(at, gaussian_cells(0.9, 7))
    cells = pd.concat([f for f in chart_frames(at) if "panel" in f.columns], ignore_index=True)
    pmi = cells[cells["panel"] == compute.PMI]
    assert pmi["value"].min() < -3 and pmi["shade"].min() == -3.0  # clipped for colour only


class TestRevealRule:
    EXERCISE = "information.mutual_information_kl"

    def test_a_linked_page_hides_the_entropies_until_an_attempt(self, private_gradebook):
        at = open_page(source="Type a table", joint="0.3, 0.1\n0.1, 0.5", exercise=self.EXERCISE, student="s1")
        assert not at.exception
        assert shown_text(at, "I(X; Y), nats") == "hidden"
        assert shown_text(at, "H(X|Y), nats") == "hidden"
        assert not [f for f in chart_frames(at) if "part" in f.columns]  # no information diagram

        from grader import Gradebook, grade_submission, load_exercises, parse_submission

        book = Gradebook(private_gradebook)
        sub = parse_submission({"student_id": "s1", "answers": {self.EXERCISE: "0.1"}}, source="web")
        assert grade_submission(sub, load_exercises(), gradebook=book).feedback
        book.close()
        again = open_page(source="Type a table", joint="0.3, 0.1\n0.1, 0.5", exercise=self.EXERCISE, student="s1")
        assert_page_shows(again, [[0.3, 0.1], [0.1, 0.5]])


def shown_text(at, label: str) -> str:
    return metric(at, label)


def test_the_sweep_marks_the_chosen_rho(at):
    at.slider(key="rho").set_value(-0.3).run()
    (marker,) = [f for f in chart_frames(at) if list(f.columns) == ["rho"]]
    assert list(marker["rho"]) == [-0.3]


def test_a_bad_table_names_the_widget_and_keeps_the_last_heatmaps_greyed():
    at = open_page(source="Type a table")
    assert not at.exception and not at.error
    assert not any("greyed" in c.value for c in at.caption)
    before = chart_specs(at)
    at.text_area(key="joint").set_value("0.5, half").run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and f"“{PARAMS['joint'].label}”" in errors[0] and "'half'" in errors[0]
    assert not at.metric
    (greyed,) = chart_specs(at)  # the last good heatmaps, greyed
    assert greyed in before and "PMI" in json.dumps(greyed)
    assert any("greyed" in c.value for c in at.caption)


def test_a_change_of_unit_relabels_the_axis_and_caption_and_rescales_the_rows(at):
    def sweep_title(at) -> str:
        (sweep,) = [s for s in chart_specs(at) if "layer" in s and "rho" in json.dumps(s["layer"][0]["encoding"])]
        return sweep["layer"][0]["encoding"]["y"]["title"]

    def pmi(at) -> pd.Series:
        cells = pd.concat([f for f in chart_frames(at) if "panel" in f.columns], ignore_index=True)
        return cells.loc[cells["panel"] == compute.PMI, "value"].reset_index(drop=True)

    nats, nats_title = pmi(at), sweep_title(at)
    at.radio(key="unit").set_value("bits").run()
    assert not at.exception
    assert (nats_title, sweep_title(at)) == ("I(X; Y), nats", "I(X; Y), bits")
    np.testing.assert_allclose(pmi(at), nats / math.log(2), rtol=1e-12)
    assert any("PMI values are in bits" in c.value for c in at.caption)
    # The heatmap legends name no unit: the caption beside them does.
    (heatmaps,) = [s for s in chart_specs(at) if "hconcat" in s]
    assert "bits" not in json.dumps(heatmaps) and "nats" not in json.dumps(heatmaps)


def test_a_new_grid_keeps_cells_in_axis_order(at):
    cells = pd.concat([f for f in chart_frames(at) if "panel" in f.columns], ignore_index=True)
    assert (cells["label"] == "").all()  # 7 × 7 cells: too many to print numbers on
    at.slider(key="cells").set_value(4).run()
    cells = pd.concat([f for f in chart_frames(at) if "panel" in f.columns], ignore_index=True)
    first = cells[cells["panel"] == compute.JOINT]
    assert list(first["xi"]) == [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3]
    assert list(dict.fromkeys(first["y"])) == ["(−∞, −3)", "−1.50", "+1.50", "(3, ∞)"]
    np.testing.assert_allclose(first["value"], gaussian_cells(0.6, 4).ravel(), atol=1e-10)
    assert list(first["label"]) == list(first["text"])  # 16 cells: each prints its value
