"""Downloads of what a chart shows: its data as CSV and the picture as PNG.

Pure functions of an altair chart, no streamlit: the data comes from the chart's own
datasets (a layered or concatenated chart may carry one per part), the PNG from
vl-convert, which renders Vega-Lite without a browser.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd
import vl_convert as vlc

__all__ = ["chart_csv", "chart_data", "chart_png"]

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


def chart_csv(chart: alt.TopLevelMixin) -> str:
    """:func:`chart_data` as CSV text."""
    return chart_data(chart).to_csv(index=False)


def chart_png(chart: alt.TopLevelMixin, *, scale: float = 2.0) -> bytes:
    """The chart rendered to PNG by vl-convert (``scale`` 2 gives a sharp image)."""
    return bytes(vlc.vegalite_to_png(chart.to_json(), scale=scale))
