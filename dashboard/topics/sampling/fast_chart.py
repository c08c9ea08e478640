"""Charts drawn from a cached Vega-Lite spec, so a warm rerun does not rebuild them in Altair.

Building an Altair chart and turning it into Vega-Lite validates it against the schema
on every call: 50-200 ms per chart, most of a page's rerun. A page instead caches the
spec (``chart.to_dict()``, see :func:`spec_of`) in a ``st.cache_data`` function keyed
only on the widget values the chart uses, and draws it with :func:`show_spec`, which
costs a JSON dump. The PNG and CSV downloads are made from the same spec, on click.

Shared by the Sampling, Mutual information and Fisher pages (a candidate for
``dashboard/common`` once the branches meet).
"""

from __future__ import annotations

import json
import re
from typing import Any, Literal

import altair as alt
import pandas as pd
import pyarrow as pa
import streamlit as st
import vl_convert as vlc
from streamlit.delta_generator import DeltaGenerator

__all__ = ["Spec", "arrow_rows", "show_spec", "spec_csv", "spec_of", "spec_png"]

#: A Vega-Lite spec as a JSON-ready dict.
Spec = dict[str, Any]

#: What Altair's default theme adds, which Streamlit's own theme replaces.
_DEFAULT_VIEW = {"continuousWidth": 300, "continuousHeight": 300}


def spec_of(chart: alt.TopLevelMixin) -> Spec:
    """The chart's Vega-Lite spec, its data inline, without Altair's default view size.

    Not validated against the schema here (that is two thirds of the cost): each chart
    function's tests call ``to_dict()``, which validates.
    """
    spec: Spec = chart.to_dict(validate=False)
    config = spec.get("config", {})
    if config.get("view") == _DEFAULT_VIEW:
        del config["view"]
        if not config:
            del spec["config"]
    # Streamlit ships datasets as Arrow; bytes made once here are passed through as they are.
    spec["datasets"] = {name: arrow_rows(rows) for name, rows in spec.get("datasets", {}).items()}
    return spec


def arrow_rows(rows: list[dict[str, Any]]) -> bytes:
    """Records as the Arrow IPC stream a spec's ``datasets`` entry holds (see :func:`spec_of`)."""
    table = pa.Table.from_pylist(rows)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return bytes(sink.getvalue().to_pybytes())


def _frames(spec: Spec) -> list[pd.DataFrame]:
    return [pa.ipc.open_stream(data).read_pandas() for data in spec.get("datasets", {}).values()]


def spec_csv(spec: Spec) -> str:
    """The rows the chart draws as CSV; several datasets are stacked with a ``part`` column."""
    frames = _frames(spec)
    if not frames:
        return ""
    if len(frames) == 1:
        return frames[0].to_csv(index=False)
    return pd.concat([f.assign(part=i + 1) for i, f in enumerate(frames)], ignore_index=True).to_csv(index=False)


def spec_png(spec: Spec, *, scale: float = 2.0) -> bytes:
    """The chart rendered to PNG by vl-convert, with its title (``scale`` 2: sharp)."""
    names = list(spec.get("datasets", {}))
    values = {name: json.loads(f.to_json(orient="records")) for name, f in zip(names, _frames(spec), strict=True)}
    return bytes(vlc.vegalite_to_png(json.dumps({**spec, "datasets": values}), scale=scale))


def show_spec(
    spec: Spec,
    *,
    name: str,
    where: DeltaGenerator | None = None,
    width: Literal["stretch", "content"] = "stretch",
) -> None:
    """Draw ``spec`` with PNG and CSV download buttons, like ``dashboard.common.ui.show_chart``.

    ``name`` is the file name stem and must be unique on the page (it keys the buttons).
    """
    target = st if where is None else where
    target.vega_lite_chart(spec, width=width)
    stem = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    row = target.container(horizontal=True, gap="small")
    row.download_button(
        "PNG", data=lambda: spec_png(spec), file_name=f"{stem}.png", mime="image/png",
        key=f"download-png-{stem}", icon=":material/image:", on_click="ignore",
        help="Download this chart as a PNG image",
    )
    row.download_button(
        "CSV", data=lambda: spec_csv(spec), file_name=f"{stem}.csv", mime="text/csv",
        key=f"download-csv-{stem}", icon=":material/table:", on_click="ignore",
        help="Download the data behind this chart as CSV",
    )
