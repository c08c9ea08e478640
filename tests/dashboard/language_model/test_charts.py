"""The Language model page's charts (schema-valid, the right rows) and its HTML text strips."""

from __future__ import annotations

import doctest
import importlib
import math

import numpy as np
import pandas as pd
import pytest

from dashboard.topics.language_model import charts, strip
from tests.dashboard.helpers import chart_rows


def rows(chart) -> list[dict]:
    return max(chart_rows(chart).values(), key=len)  # the main layer's rows


def test_next_token_chart_fades_what_the_filters_removed():
    frame = pd.DataFrame({"token": ["␣Paris", "␣the"] * 2, "stage": [charts.MODEL_LABEL] * 2 + [charts.SAMPLED_LABEL] * 2,
                          "probability": [0.7, 0.3, 1.0, 0.0], "kept": [True, True, True, False]})
    spec = charts.next_token_chart(frame).to_dict()
    assert spec["encoding"]["opacity"]["condition"]["test"] == "datum.kept"
    assert spec["encoding"]["y"]["sort"] == ["␣Paris", "␣the"]
    assert len(rows(charts.next_token_chart(frame))) == 4


def test_generation_and_entropy_charts():
    frame = pd.DataFrame({"step": [1, 2], "token": ["␣a", "↵"], "p_drawn": [0.5, 0.9], "entropy": [1.2, 0.1]})
    assert len(rows(charts.generation_chart(frame[["step", "token", "p_drawn"]]))) == 2
    spec = charts.step_entropy_chart(frame, unit="bits").to_dict()
    assert spec["encoding"]["y"]["title"] == "entropy, bits"


def test_surprisal_chart_keeps_reading_order():
    frame = pd.DataFrame({"position": [1, 2, 3], "token": ["␣cat", "␣sat", "."], "surprisal": [3.0, 1.0, 2.0]})
    spec = charts.surprisal_chart(frame, unit="nats").to_dict()
    assert spec["encoding"]["x"]["sort"] == {"field": "position"}


def test_ratio_chart_shades_the_clip_range():
    frame = pd.DataFrame({"step": [1, 2], "token": ["a", "b"], "ratio": [0.5, 1.1], "clipped": [True, False]})
    spec = charts.ratios_chart(frame, clip=0.2).to_dict()
    band = [d for d in spec["datasets"].values() if d and "lo" in d[0]]
    assert band == [[{"lo": 0.8, "hi": 1.2}]]


def test_policy_and_estimator_charts_validate():
    bars = pd.DataFrame({"token": ["a", "a"], "policy": ["π_old", "π_new"], "probability": [0.4, 0.6]})
    charts.policies_chart(bars).to_dict()
    est = pd.DataFrame({"estimator": ["k1", "k2", "k3"], "estimate": [0.1, 0.2, 0.1], "lo": [0, 0.1, 0.05],
                        "hi": [0.2, 0.3, 0.15]})
    spec = charts.kl_estimators_chart(est, exact=0.12).to_dict()
    assert any(d and d[0].get("exact") == 0.12 for d in spec["datasets"].values())


def test_missing_columns_are_named():
    with pytest.raises(ValueError, match=r"`frame` is missing column\(s\) \['kept'\]"):
        charts.next_token_chart(pd.DataFrame({"token": [], "stage": [], "probability": []}))


def test_surprisal_strip_escapes_text_and_colours_by_surprisal():
    tokens = pd.DataFrame({"text": ["<b>", " x"], "surprisal": [np.nan, 20.0], "probability": [np.nan, 1e-9]})
    html = strip.surprisal_html(tokens, "nats")
    assert "<b>" not in html and "&lt;b&gt;" in html
    assert "&nbsp;x" in html and strip.surprisal_colour(20.0) in html
    assert "first token: not scored" in html
    # Bits are coloured by the same nats, so both units look alike.
    in_bits = tokens.assign(surprisal=tokens["surprisal"] / math.log(2))
    assert strip.surprisal_colour(20.0) in strip.surprisal_html(in_bits, "bits")


def test_generated_text_is_escaped():
    assert "&lt;|im_end|&gt;" in strip.generated_html("Q: ", "<|im_end|>")


@pytest.mark.parametrize("module", ["dashboard.topics.language_model.strip", "dashboard.common.lm"])
def test_docstring_examples_run(module):
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0 and result.failed == 0
