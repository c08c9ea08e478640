"""Chart downloads: the CSV holds the chart's data, the PNG is a real image."""

from __future__ import annotations

import io

import altair as alt
import pandas as pd
import pytest

from dashboard.common import export
from dashboard.common.pages import PAGES
from tests.dashboard.helpers import app_test, page_test

A = pd.DataFrame({"x": [0.0, 1.0], "y": [2.0, 3.0]})
B = pd.DataFrame({"x": [5.0], "y": [6.0]})


def line(frame=None):
    return alt.Chart(frame if frame is not None else alt.Undefined).mark_line().encode(x="x", y="y")


def test_single_chart_data_is_its_frame():
    assert export.chart_data(line(A)).equals(A)


@pytest.mark.parametrize("combine", [alt.layer, alt.hconcat, alt.vconcat])
def test_two_datasets_are_stacked_with_a_part_column(combine):
    data = export.chart_data(combine(line(A), line(B)))
    assert list(data.columns) == ["x", "y", "part"]
    assert data["part"].tolist() == [1, 1, 2]
    assert data["y"].tolist() == [2.0, 3.0, 6.0]


def test_data_shared_by_layers_appears_once():
    chart = alt.layer(line(), line().mark_point(), data=A)
    assert export.chart_data(chart).equals(A)


def test_csv_round_trips():
    assert pd.read_csv(io.StringIO(export.chart_csv(line(A)))).equals(A)


def test_png_is_a_png_of_the_requested_scale():
    png = export.chart_png(line(A).properties(width=100, height=50), scale=2)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width = int.from_bytes(png[16:20], "big")  # IHDR width
    assert width >= 200  # 100 px plot at scale 2, plus axes


def test_show_chart_offers_png_and_csv_downloads():
    at = page_test("beta_binomial.py").run()
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels.count("PNG") >= 1 and labels.count("CSV") >= 1


@pytest.mark.parametrize("spec", [p for p in PAGES if not p.default], ids=lambda p: p.url_path)
def test_every_chart_on_every_page_has_both_downloads(spec):
    at = app_test().run()
    at.switch_page(spec.path).run()
    assert not at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    n_charts = len(at.get("vega_lite_chart"))
    assert labels.count("PNG") == n_charts
    assert labels.count("CSV") >= n_charts  # the Instructor page also offers gradebook CSVs


def test_frame_to_arrow_is_the_table_altair_would_embed():
    import numpy as np
    import pyarrow as pa
    from altair.utils.core import sanitize_pandas_dataframe

    frame = pd.DataFrame({
        "x": [0.5, np.nan, np.inf, -np.inf], "n": [1, 2, 3, 4], "ok": [True, False, True, False],
        "s": ["a", "b", "c", "d"], "k": pd.Categorical(["u", "v", "u", "v"]),
    })
    slow = export.to_arrow(sanitize_pandas_dataframe(frame).to_dict(orient="records"))
    fast = export.frame_to_arrow(frame)
    a, b = pa.ipc.open_stream(slow).read_all(), pa.ipc.open_stream(fast).read_all()
    assert a.schema.remove_metadata() == b.schema.remove_metadata()
    assert a.to_pylist() == b.to_pylist()
    assert b.column("x").to_pylist() == [0.5, None, None, None]
