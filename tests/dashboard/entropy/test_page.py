"""AppTest tests of the entropy, cross-entropy and perplexity page, run on its own.

References: scipy.special.softmax for P and Q, scipy.stats.entropy for H(P) and
KL(P‖Q) (our inputs are normalised, so its silent normalisation is harmless here), the
cross-entropy −Σ p log q written with numpy, and the course's Q3 (3.0 nats ≈ 20.09).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import special, stats
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df

from dashboard.topics.entropy.params import PARAMS
from tests.dashboard.helpers import metric, page_test

DISPLAY_TOL = 0.5e-4 + 1e-9  # 4 decimals shown

P_LOGITS = [2.0, 1.5, 1.0, 0.5, 0.0, -1.0]  # the page's defaults
Q_LOGITS = [1.0, 2.0, 0.5, 0.5, 1.0, 0.0]


def shown(at, label: str) -> float:
    return float(metric(at, label).replace(",", ""))


def reference(p_logits, q_logits, temperature: float) -> dict[str, float]:
    """H(P), H(Q), H(P, Q), KL(P‖Q) in nats and the perplexity."""
    p = special.softmax(np.asarray(p_logits))
    q = special.softmax(np.asarray(q_logits) / temperature)
    h_pq = float(-(p * np.log(q)).sum())
    return {
        "H(P)": float(stats.entropy(p)),
        "H(Q)": float(stats.entropy(q)),
        "H(P, Q)": h_pq,
        "KL(P‖Q)": float(stats.entropy(p, q)),
        "perplexity": math.exp(h_pq),
    }


def assert_page_shows(at, ref: dict[str, float], unit: str) -> None:
    scale = 1.0 if unit == "nats" else math.log(2)
    for name in ("H(P)", "H(Q)", "H(P, Q)", "KL(P‖Q)"):
        assert shown(at, f"{name}, {unit}") == pytest.approx(ref[name] / scale, abs=DISPLAY_TOL), name
    assert shown(at, "Perplexity") == pytest.approx(ref["perplexity"], abs=0.5e-3 + 1e-9)


@pytest.fixture
def at():
    return page_test("entropy.py").run()


def test_default_view_in_nats(at):
    assert not at.exception and not at.error
    assert_page_shows(at, reference(P_LOGITS, Q_LOGITS, 1.0), "nats")


def test_bits_divide_every_entropy_by_ln2_and_keep_the_perplexity(at):
    at.radio(key="unit").set_value("bits").run()
    assert not at.exception
    assert_page_shows(at, reference(P_LOGITS, Q_LOGITS, 1.0), "bits")


def test_the_table_shows_both_units(at):
    table = at.dataframe[0].value.set_index("quantity")
    ref = reference(P_LOGITS, Q_LOGITS, 1.0)
    for name in ("H(P)", "H(Q)", "H(P, Q)", "KL(P‖Q)"):
        assert table.loc[name, "nats"] == pytest.approx(ref[name], rel=1e-10)
        assert table.loc[name, "bits"] == pytest.approx(ref[name] / math.log(2), rel=1e-10)
    assert table.loc["perplexity", "nats"] == pytest.approx(ref["perplexity"], rel=1e-10)
    assert table.loc["perplexity", "bits"] == pytest.approx(ref["perplexity"], rel=1e-10)


@pytest.mark.parametrize("temperature", [0.25, 3.0])
def test_temperature_reshapes_only_the_model(at, temperature):
    at.slider(key="temperature").set_value(temperature).run()
    assert not at.exception
    ref = reference(P_LOGITS, Q_LOGITS, temperature)
    assert_page_shows(at, ref, "nats")
    assert shown(at, "H(P), nats") == pytest.approx(reference(P_LOGITS, Q_LOGITS, 1.0)["H(P)"], abs=DISPLAY_TOL)


def decomposition(at) -> pd.DataFrame:
    frames = [
        convert_arrow_bytes_to_pandas_df(d.data.data)
        for el in at.get("vega_lite_chart")
        for d in el.proto.datasets
    ]
    (frame,) = [f for f in frames if "part" in f.columns]
    return frame


def test_stacked_bars_add_up_to_the_cross_entropy(at):
    at.slider(key="temperature").set_value(0.7).run()
    frame = decomposition(at)
    assert sorted(frame["temperature"].unique()) == sorted(
        ["T = 0.25", "T = 0.5", "T = 0.7", "T = 1", "T = 2", "T = 4"]
    )
    for label, group in frame.groupby("temperature"):
        t = float(label.removeprefix("T = "))
        ref = reference(P_LOGITS, Q_LOGITS, t)
        parts = group.set_index("part")["value"]
        assert parts["H(P)"] == pytest.approx(ref["H(P)"], rel=1e-10)
        assert parts["KL(P‖Q)"] == pytest.approx(ref["KL(P‖Q)"], rel=1e-10)
        assert parts.sum() == pytest.approx(ref["H(P, Q)"], rel=1e-10)
    assert set(frame.loc[frame["current"], "temperature"]) == {"T = 0.7"}


def test_token_chart_carries_the_softmax_probabilities(at):
    frames = [
        convert_arrow_bytes_to_pandas_df(d.data.data)
        for el in at.get("vega_lite_chart")
        for d in el.proto.datasets
    ]
    (tokens,) = [f for f in frames if "token" in f.columns]
    p = tokens[tokens["distribution"] == "P (data)"]
    assert list(p["token"]) == ["the", "a", "cat", "dog", "sat", "ran"]
    np.testing.assert_allclose(p["probability"], special.softmax(P_LOGITS), rtol=1e-12)


def test_uniform_model_perplexity_is_the_vocabulary_size(at):
    # GPT-2's vocabulary, the course's random baseline: NLL ln 50257, perplexity 50,257.
    assert shown(at, "Uniform model NLL per token, nats") == pytest.approx(math.log(50257), abs=DISPLAY_TOL)
    assert shown(at, "Uniform model perplexity") == pytest.approx(50257, abs=0.005)
    at.number_input(key="vocab").set_value(1000).run()
    assert shown(at, "Uniform model NLL per token, nats") == pytest.approx(math.log(1000), abs=DISPLAY_TOL)
    assert shown(at, "Uniform model perplexity") == pytest.approx(1000, abs=0.005)


def test_average_nll_to_perplexity_course_q3(at):
    # Course Q3: an average NLL of 3.0 nats gives PPL = e³ ≈ 20.09.
    assert shown(at, "Perplexity of that NLL") == pytest.approx(math.exp(3.0), abs=0.005)
    assert metric(at, "Perplexity of that NLL") == "20.09"
    at.radio(key="nll_unit").set_value("bits").run()
    assert shown(at, "Perplexity of that NLL") == pytest.approx(8.0, abs=0.005)  # 2³
    at.number_input(key="nll").set_value(0.0).run()
    assert shown(at, "Perplexity of that NLL") == pytest.approx(1.0, abs=0.005)


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("q_logits", "1, 2", "`tokens`, `p_logits` and `q_logits` must have the same length"),
        ("p_logits", "1, 2, x, 4, 5, 6", "`p_logits` has 'x', which is not a number"),
        ("q_logits", "1, 2, 3, inf, 5, 6", "`q_logits` must be finite; found inf at index 3"),
        ("tokens", " , ", "`tokens` is empty"),
    ],
)
def test_bad_inputs_show_an_error_beside_them(key, value, message):
    # The message names each widget by its label, not by the argument name core uses.
    for name in ("tokens", "p_logits", "q_logits"):
        message = message.replace(f"`{name}`", f"“{PARAMS[name].label}”")
    at = page_test("entropy.py")
    at.query_params[key] = value
    at.run()
    assert not at.exception
    assert [e.value for e in at.error if message in e.value], [e.value for e in at.error]
    assert "Perplexity" not in [m.label for m in at.metric]
    assert not any("greyed" in c.value for c in at.caption)  # no good chart yet to keep
    # The sections below keep working.
    assert metric(at, "Perplexity of that NLL") == "20.09"


def test_query_params_reproduce_a_shared_view():
    at = page_test("entropy.py")
    at.query_params.update(
        {
            "tokens": "yes, no, maybe",
            "p_logits": "0, 0, 0",
            "q_logits": "3, 1, -2",
            "temperature": "2.5",
            "unit": "bits",
            "vocab": "32000",
            "nll": "2.0",
            "nll_unit": "bits",
        }
    )
    at.run()
    assert not at.exception and not at.error
    ref = reference([0, 0, 0], [3, 1, -2], 2.5)
    assert_page_shows(at, ref, "bits")
    assert shown(at, "H(P), bits") == pytest.approx(math.log2(3), abs=DISPLAY_TOL)
    assert shown(at, "Uniform model perplexity") == pytest.approx(32000, abs=0.005)
    assert shown(at, "Perplexity of that NLL") == pytest.approx(4.0, abs=0.005)


def test_a_bad_edit_keeps_the_last_good_chart_greyed():
    at = page_test("entropy.py").run()
    charts_before = len(at.get("vega_lite_chart"))
    at.text_input(key="q_logits").set_value("1, x").run()
    assert not at.exception
    assert [e.value for e in at.error if PARAMS["q_logits"].label in e.value]
    assert any("greyed" in c.value for c in at.caption)
    assert 1 <= len(at.get("vega_lite_chart")) < charts_before
