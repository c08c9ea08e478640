"""Small display helpers shared by the dashboard pages (formatting, error boxes)."""

from __future__ import annotations

import math
import re
from typing import Literal
from urllib.parse import urlencode

import altair as alt
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from dashboard import export, grading

__all__ = ["exercise_links_markdown", "format_number", "show_chart", "show_exercise_links", "show_input_error"]

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


def exercise_links_markdown(url_path: str) -> str:
    """A markdown list linking each exercise this page visualises to the Exercises page.

    Empty when no exercise points here. Links are relative (``exercises?exercise=…``),
    so they work under any server base path; a student id already in the URL is kept.
    """
    student = st.query_params.get("student", "")
    lines = []
    for exercise_id, title in grading.exercises_for_page(url_path):
        query = {"exercise": exercise_id, **({"student": student} if student else {})}
        lines.append(f"- [{title}](exercises?{urlencode(query)}) (`{exercise_id}`)")
    return "\n".join(lines)


def show_exercise_links(url_path: str) -> None:
    """End a topic page with links to the exercises that this page visualises."""
    links = exercise_links_markdown(url_path)
    if links:
        st.divider()
        st.subheader("Practise it", anchor="practise-it")
        st.markdown("Graded exercises that this page helps with; each gets a personal variant:")
        st.markdown(links)
