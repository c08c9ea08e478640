"""Small display helpers shared by the dashboard pages: numbers, error boxes, charts with downloads."""

from __future__ import annotations

import math
import re
from typing import Literal

import altair as alt
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from dashboard.common import export

__all__ = ["format_number", "show_chart", "show_input_error"]

#: Shown in place of a number core reports as undefined (nan).
UNDEFINED = "undefined"


def format_number(value: float, digits: int = 3) -> str:
    """``value`` with ``digits`` decimals, or ``"undefined"`` when it is nan.

    Examples
    --------
    >>> format_number(2 / 3)
    '0.667'
    >>> format_number(float("nan"))
    'undefined'
    """
    return UNDEFINED if math.isnan(value) else f"{value:.{digits}f}"


def show_input_error(exc: ValueError, where: DeltaGenerator | None = None) -> None:
    """Show core's message for a rejected input as an error box (never a stack trace)."""
    target = st if where is None else where
    target.error(f"Cannot use this input: {exc}", icon=":material/error:")


def show_chart(
    chart: alt.TopLevelMixin,
    *,
    name: str,
    where: DeltaGenerator | None = None,
    width: Literal["stretch", "content"] = "stretch",
) -> None:
    """Draw ``chart`` with two small download buttons under it: PNG and CSV of its data.

    Both files are made only when a button is clicked (deferred ``data``), so a rerun
    costs nothing extra; clicking does not rerun the page. ``name`` is the file name
    stem and must be unique on the page (it keys the buttons).
    """
    target = st if where is None else where
    target.altair_chart(chart, width=width)
    stem = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    # A horizontal row sized to its buttons: fixed-width columns cut the labels in narrow layouts.
    row = target.container(horizontal=True, gap="small")
    row.download_button(
        "PNG", data=lambda: export.chart_png(chart), file_name=f"{stem}.png", mime="image/png",
        key=f"download-png-{stem}", icon=":material/image:", on_click="ignore",
        help="Download this chart as a PNG image",
    )
    row.download_button(
        "CSV", data=lambda: export.chart_csv(chart), file_name=f"{stem}.csv", mime="text/csv",
        key=f"download-csv-{stem}", icon=":material/table:", on_click="ignore",
        help="Download the data behind this chart as CSV",
    )
