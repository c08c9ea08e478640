"""The entropy page's charts as pure functions: the data each carries, and its limits."""

from __future__ import annotations

import pandas as pd

from dashboard.topics.entropy import charts


def test_token_probabilities_chart_groups_p_and_q_per_token():
    frame = pd.DataFrame(
        {"token": ["a", "b", "a", "b"], "distribution": ["P", "P", "Q", "Q"], "probability": [0.7, 0.3, 0.4, 0.6]}
    )
    spec = charts.token_probabilities_chart(frame).to_dict()
    assert spec["encoding"]["xOffset"]["field"] == "distribution"
    assert spec["encoding"]["x"]["sort"] == ["a", "b"]


def test_cross_entropy_decomposition_chart_stacks_and_highlights_the_current_bar():
    frame = pd.DataFrame(
        {"temperature": ["T = 1", "T = 1", "T = 2", "T = 2"], "part": ["H(P)", "KL", "H(P)", "KL"],
         "value": [1.0, 0.2, 1.0, 0.5], "current": [True, True, False, False]}
    )
    spec = charts.cross_entropy_decomposition_chart(frame, unit="bits").to_dict()
    assert spec["encoding"]["y"]["stack"] == "zero"
    assert spec["encoding"]["y"]["title"] == "cross-entropy H(P, Q), bits"
    assert spec["encoding"]["opacity"]["condition"]["test"] == "datum.current"
