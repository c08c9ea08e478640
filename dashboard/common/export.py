"""Downloads of what a chart shows: its data as CSV and the picture as PNG.

Pure functions of an altair chart, no streamlit: the data comes from the chart's own
datasets (a layered or concatenated chart may carry one per part), the PNG from
vl-convert, which renders Vega-Lite without a browser.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import altair as alt
import numpy as np
import pandas as pd
import pyarrow as pa
import vl_convert as vlc

__all__ = ["chart_csv", "chart_data", "chart_png", "frame_to_arrow", "from_arrow", "spec_data", "to_arrow"]

_PARTS = ("layer", "hconcat", "vconcat", "concat")


def _frames(chart: Any, inherited: Any = None) -> list[pd.DataFrame]:
    data = getattr(chart, "data", alt.Undefined)
    own = data if isinstance(data, pd.DataFrame) else inherited
    frames: list[pd.DataFrame] = []
    children: list[Any] = []
    for part in _PARTS:
        value = chart._kwds.get(part, alt.Undefined) if hasattr(chart, "_kwds") else alt.Undefined
        if isinstance(value, list):
            children.extend(value)
    if not children and isinstance(own, pd.DataFrame):
        return [own]
    for child in children:
        frames.extend(_frames(child, own))
    return frames


def chart_data(chart: alt.TopLevelMixin) -> pd.DataFrame:
    """The data drawn by ``chart`` as one table.

    Several distinct datasets (e.g. a density curve layered over a histogram) are
    stacked with a ``part`` column numbering them; a dataset shared by several layers
    appears once.

    Examples
    --------
    >>> frame = pd.DataFrame({"x": [0, 1], "y": [2, 3]})
    >>> line = alt.Chart(frame).mark_line().encode(x="x", y="y")
    >>> chart_data(line + line.mark_point()).shape
    (2, 2)
    """
    unique: list[pd.DataFrame] = []
    for frame in _frames(chart):
        if not any(frame is seen for seen in unique):
            unique.append(frame)
    if not unique:
        return pd.DataFrame()
    if len(unique) == 1:
        return unique[0]
    return pd.concat([f.assign(part=i + 1) for i, f in enumerate(unique)], ignore_index=True)


def to_arrow(rows: Any) -> bytes:
    """A dataset (records or a DataFrame) as Arrow IPC stream bytes, the form streamlit sends."""
    return _ipc(pa.Table.from_pandas(pd.DataFrame(rows), preserve_index=False))


def frame_to_arrow(frame: pd.DataFrame) -> bytes:
    """``frame`` as Altair would embed it, as :func:`to_arrow` bytes, without the records.

    The same table as ``to_arrow(sanitize_pandas_dataframe(frame).to_dict("records"))``
    (categories as strings, nan and ±inf as nulls) at a quarter of the cost: the
    column-by-column conversion of :func:`altair.utils.core.sanitize_pandas_dataframe`
    and the records round trip are most of a swapped chart's rerun.
    """
    columns = {}
    for name, column in frame.items():
        if isinstance(column.dtype, pd.CategoricalDtype):
            column = column.astype(str)
        elif pd.api.types.is_float_dtype(column.dtype):
            column = column.where(np.isfinite(column))  # ±inf: null, like nan
        columns[name] = column
    return _ipc(pa.Table.from_pandas(pd.DataFrame(columns), preserve_index=False))


def _ipc(table: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return bytes(sink.getvalue().to_pybytes())


def from_arrow(data: Any) -> pd.DataFrame:
    """A dataset of a spec as a DataFrame, whether records or :func:`to_arrow` bytes."""
    if isinstance(data, bytes):
        return pa.ipc.open_stream(data).read_pandas()
    return pd.DataFrame(data)


def _inline(spec: Mapping[str, Any]) -> dict[str, Any]:
    """``spec`` with Arrow datasets turned back into records (vl-convert reads JSON)."""
    out = dict(spec)
    if "datasets" in out:
        out["datasets"] = {name: from_arrow(rows).to_dict(orient="records") for name, rows in out["datasets"].items()}
    return out


def spec_data(spec: Mapping[str, Any]) -> pd.DataFrame:
    """The data of a Vega-Lite ``spec`` (its ``datasets``) as one table, like :func:`chart_data`."""
    frames = [from_arrow(rows) for rows in dict(spec.get("datasets", {})).values()]
    if not frames:
        return pd.DataFrame()
    if len(frames) == 1:
        return frames[0]
    return pd.concat([f.assign(part=i + 1) for i, f in enumerate(frames)], ignore_index=True)


def chart_csv(chart: alt.TopLevelMixin | Mapping[str, Any]) -> str:
    """:func:`chart_data` (or :func:`spec_data` for a spec) as CSV text."""
    data = spec_data(chart) if isinstance(chart, Mapping) else chart_data(chart)
    return data.to_csv(index=False)


def chart_png(chart: alt.TopLevelMixin | Mapping[str, Any], *, scale: float = 2.0, title: str | None = None) -> bytes:
    """The chart rendered to PNG by vl-convert (``scale`` 2 gives a sharp image).

    A chart without a title of its own gets ``title``, so the image says what it shows
    when it is looked at away from the page.
    """
    spec = _inline(chart) if isinstance(chart, Mapping) else chart.to_dict(validate=False)
    if title and not spec.get("title"):
        spec["title"] = title
    return bytes(vlc.vegalite_to_png(json.dumps(spec, default=str), scale=scale))
