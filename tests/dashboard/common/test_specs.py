"""The spec helpers of dashboard.common.ui: a chart's shape built once, its rows swapped."""

from __future__ import annotations

import altair as alt
import pandas as pd
import pyarrow as pa
import pytest

from dashboard.common import ui

CALLS: list[int] = []


def counted_chart(frame: pd.DataFrame, marker: pd.DataFrame, *, title: str) -> alt.LayerChart:
    """A line with a rule, counting its builds."""
    CALLS.append(1)
    line = alt.Chart(frame).mark_line().encode(x="x:Q", y="y:Q")
    rule = alt.Chart(marker).mark_rule().encode(x="x:Q")
    return alt.LayerChart(layer=[line, rule], title=title)


def rows(spec: ui.Spec, index: int) -> list[dict]:
    """The rows layer ``index`` draws."""
    return pa.ipc.open_stream(spec["datasets"][spec["layer"][index]["data"]["name"]]).read_all().to_pylist()


def test_a_shape_is_built_once_per_key_and_its_rows_swapped():
    CALLS.clear()
    first = pd.DataFrame({"x": [0.0, 1.0], "y": [1.0, 2.0]})
    spec = ui.chart_shape(counted_chart, ("test-a",), first, pd.DataFrame({"x": [0.5]}), title="T")
    again = ui.chart_shape(counted_chart, ("test-a",), first.assign(y=[5.0, 6.0]), pd.DataFrame({"x": [0.1]}),
                           title="T")
    assert len(CALLS) == 1 and again == spec  # the second call's data are ignored
    new = pd.DataFrame({"x": [0.0, 1.0, 2.0], "y": [3.0, float("nan"), 4.0]})
    ui.with_rows(again, pd.DataFrame({"x": [1.5]}), new)  # matched by their columns, in any order
    assert rows(again, 0) == [{"x": 0.0, "y": 3.0}, {"x": 1.0, "y": None}, {"x": 2.0, "y": 4.0}]
    assert rows(again, 1) == [{"x": 1.5}]
    assert rows(spec, 0) == [{"x": 0.0, "y": 1.0}, {"x": 1.0, "y": 2.0}]  # each call is a fresh copy
    ui.chart_shape(counted_chart, ("test-b",), first, pd.DataFrame({"x": [0.5]}), title="T")
    assert len(CALLS) == 2


def test_with_rows_needs_exactly_one_dataset_with_the_columns():
    spec = ui.spec_of(counted_chart(pd.DataFrame({"x": [0.0], "y": [1.0]}), pd.DataFrame({"x": [0.5]}), title="T"))
    with pytest.raises(ValueError, match=r"exactly one dataset with columns \['y', 'x'\]; found 0"):
        ui.with_rows(spec, pd.DataFrame({"y": [1.0], "x": [0.0]}))
    same = ui.spec_of(counted_chart(pd.DataFrame({"x": [0.0]}), pd.DataFrame({"x": [0.5]}), title="T"))
    with pytest.raises(ValueError, match=r"exactly one dataset with columns \['x'\]; found 2"):
        ui.with_rows(same, pd.DataFrame({"x": [1.0]}))


def test_with_data_names_the_dataset_it_needs():
    spec = ui.spec_of(counted_chart(pd.DataFrame({"x": [0.0], "y": [1.0]}), pd.DataFrame({"x": [0.5]}), title="T"))
    with pytest.raises(ValueError, match="`spec` must hold exactly one dataset; got 2"):
        ui.with_data(spec, pd.DataFrame({"x": [1.0]}))
    with pytest.raises(ValueError, match="`name` must be one of the spec's datasets"):
        ui.with_data(spec, pd.DataFrame({"x": [1.0]}), "nope")
