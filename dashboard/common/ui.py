"""Small display helpers shared by the dashboard pages: numbers, error boxes, charts with downloads."""

from __future__ import annotations

import importlib
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import altair as alt
import pandas as pd
import pyarrow as pa
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from dashboard.common import export
from dashboard.common.limits import CACHE_ENTRIES
from dashboard.common.page_params import PageParams

__all__ = ["HIDDEN_METRIC", "Metric", "Spec", "chart_shape", "chart_spec", "format_number", "metric_row", "plain_error", "remember_chart", "show_chart",
           "show_input_error", "show_stale_chart", "spec_of", "with_data", "with_rows"]

#: A Vega-Lite spec as a JSON-ready dict (datasets as Arrow bytes, see :func:`spec_of`).
Spec = dict[str, Any]

#: What Altair's default theme adds, which Streamlit's own theme replaces.
_DEFAULT_VIEW = {"continuousWidth": 300, "continuousHeight": 300}

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
    if math.isnan(value):
        return UNDEFINED
    text = f"{value:.{digits}f}"
    return text.lstrip("-") if float(text) == 0 else text  # no "-0.000"


def plain_error(exc: Exception, page: PageParams | None = None, names: dict[str, str] | None = None) -> str:
    """Core's message for a rejected input, with each argument named by its widget's label.

    Core names an argument in backticks (`` `probs` must sum to 1``); a learner knows
    the box they typed in, so a backticked key of ``page`` (or of ``names``, an argument
    name -> widget key map for arguments named differently from their URL key) becomes
    the widget's label in quotes.

    Examples
    --------
    >>> plain_error(ValueError("`x` must be > 0; got -1"), names={"x": "X (> 0)"})
    '“X (> 0)” must be > 0; got -1'
    >>> plain_error(ValueError("`p` must sum to 1 along axis -1 (within 1e-06); a vector sums to 0.98"), names={})
    '`p`: the probabilities add up to 0.98; they must add up to 1'
    """
    labels: dict[str, str] = {}
    if page is not None:
        labels.update({p.key: p.label for p in page.params})
    for argument, widget in (names or {}).items():
        labels[argument] = page[widget].label if page is not None and widget in {p.key for p in page.params} else widget

    def label(match: re.Match[str]) -> str:
        name = match.group(1)
        return f"“{labels[name]}”" if name in labels else match.group(0)

    text = re.sub(r"`([^`]+)`", label, str(exc))
    if page is None and names is None:
        return text  # a page that has not opted in keeps core's exact wording
    # Core's wording for a probability vector is exact but technical; say it plainly.
    return re.sub(
        r"(“[^”]+”|`[^`]+`) must sum to 1 along axis -?\d+ \(within [^)]*\); a vector sums to ([-+.\deE]+?)\.?$",
        r"\1: the probabilities add up to \2; they must add up to 1", text)


def show_input_error(
    exc: ValueError,
    where: DeltaGenerator | None = None,
    *,
    page: PageParams | None = None,
    names: dict[str, str] | None = None,
) -> None:
    """Show a rejected input as an error box in plain words (never a stack trace).

    With ``page`` (and ``names``), the argument core names is replaced by the label of
    the widget it came from (see :func:`plain_error`).
    """
    target = st if where is None else where
    target.error(f"Cannot use this input: {plain_error(exc, page, names)}", icon=":material/error:")


#: A held-back answer's value in a metric: short, so a narrow metric column never
#: truncates it (the page's reveal note says why and how to see it).
HIDDEN_METRIC = "hidden"


@dataclass(frozen=True)
class Metric:
    """One metric of :func:`metric_row`.

    ``value`` is a number (shown with ``digits`` decimals, see :func:`format_number`) or
    text shown as it is; ``answer`` marks a value an exercise asks for, held back until
    the page's answers are revealed.
    """

    label: str
    value: float | str
    digits: int = 3
    help: str | None = None
    answer: bool = True


def metric_row(metrics: Sequence[Metric], *, revealed: bool = True, where: DeltaGenerator | None = None) -> None:
    """``metrics`` side by side, one column each; an unrevealed answer shows "hidden"."""
    for column, m in zip((st if where is None else where).columns(len(metrics)), metrics, strict=True):
        if m.answer and not revealed:
            text = HIDDEN_METRIC
        else:
            text = m.value if isinstance(m.value, str) else format_number(m.value, m.digits)
        column.metric(m.label, text, help=m.help)


_LAST_GOOD = "_last_good_chart"


def spec_of(chart: alt.TopLevelMixin) -> Spec:
    """The chart's Vega-Lite spec, ready for :func:`show_chart`: data inline as Arrow bytes.

    For a page's own ``st.cache_data`` function keyed on what one chart draws (or use
    :func:`chart_spec`). Not validated against the schema (two thirds of the cost): each
    chart function's tests call ``to_dict()``, which validates. Altair's default view
    size is dropped so that Streamlit's theme sizes the chart.
    """
    spec: Spec = dict(chart.to_dict(validate=False))
    config = spec.get("config", {})
    if config.get("view") == _DEFAULT_VIEW:
        del config["view"]
        if not config:
            del spec["config"]
    # Arrow bytes are what streamlit sends for a dataset; made once here, not every rerun.
    spec["datasets"] = {name: export.to_arrow(rows) for name, rows in spec.get("datasets", {}).items()}
    return spec


def with_data(spec: Spec, frame: pd.DataFrame, name: str | None = None) -> Spec:
    """``spec`` drawing ``frame`` in place of its dataset ``name`` (``spec`` is changed).

    For a chart whose shape (encodings, sort orders, layers) depends on fewer inputs than
    its data: its spec is built once per shape and a rerun only swaps the rows, which
    costs an Arrow conversion instead of an Altair build. ``frame`` must have the
    columns the chart was built from. Without ``name`` the spec must hold exactly one
    dataset (see :func:`with_rows` for several).
    """
    datasets = spec.get("datasets", {})
    if name is None:
        if len(datasets) != 1:
            raise ValueError(f"`spec` must hold exactly one dataset; got {len(datasets)}")
        (name,) = datasets
    elif name not in datasets:
        raise ValueError(f"`name` must be one of the spec's datasets {sorted(datasets)}; got {name!r}")
    datasets[name] = export.frame_to_arrow(frame)
    return spec


@st.cache_data(max_entries=8 * CACHE_ENTRIES, show_spinner=False)
def _spec(factory: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Spec:
    module, _, name = factory.partition(":")
    return spec_of(getattr(importlib.import_module(module), name)(*args, **kwargs))


def chart_spec(factory: Callable[..., alt.TopLevelMixin], *args: Any, **kwargs: Any) -> Spec:
    """The Vega-Lite spec of ``factory(*args, **kwargs)``, cached on the arguments.

    Building an altair chart and converting it costs tens of milliseconds a chart; a
    rerun in which a chart's data did not change reuses the spec instead. ``factory``
    must be a module-level function (it is keyed by its module and name).
    """
    return _spec(f"{factory.__module__}:{factory.__qualname__}", args, kwargs)


@st.cache_data(max_entries=8 * CACHE_ENTRIES, show_spinner=False)
def _shape(factory: str, key: tuple[Any, ...], _args: tuple[Any, ...], _kwargs: dict[str, Any]) -> Spec:
    module, _, name = factory.partition(":")
    return spec_of(getattr(importlib.import_module(module), name)(*_args, **_kwargs))


def chart_shape(factory: Callable[..., alt.TopLevelMixin], key: tuple[Any, ...], *args: Any, **kwargs: Any) -> Spec:
    """The spec of ``factory(*args, **kwargs)``, built once per ``key``: a fresh copy.

    ``key`` holds what the chart's shape (encodings, scales, layers, titles) depends on;
    the arguments themselves are not hashed, so the spec carries the data of the first
    call with that key: put the current rows in with :func:`with_data` or
    :func:`with_rows`. A rerun then costs an Arrow conversion per dataset instead
    of an Altair build. ``factory`` must be a module-level function.
    """
    return _shape(f"{factory.__module__}:{factory.__qualname__}", key, args, kwargs)


def with_rows(spec: Spec, *frames: pd.DataFrame) -> Spec:
    """``spec`` with each of ``frames`` drawn in place of the dataset with its columns.

    A chart from :func:`chart_shape` usually has one dataset per kind of row (curves,
    a marker, a shaded region), told apart by their columns; each frame replaces the
    one dataset whose columns are exactly its own (same names, same order), wherever in
    the layers or panels it is drawn. ``spec`` is changed.

    Raises
    ------
    ValueError
        If no dataset, or more than one, has a frame's columns.
    """
    columns = {name: tuple(pa.ipc.open_stream(data).schema.names) for name, data in spec.get("datasets", {}).items()}
    for frame in frames:
        wanted = tuple(str(c) for c in frame.columns)
        names = [name for name, cols in columns.items() if cols == wanted]
        if len(names) != 1:
            raise ValueError(f"`spec` must hold exactly one dataset with columns {list(wanted)}; found {len(names)}")
        with_data(spec, frame, names[0])
    return spec


def show_chart(
    chart: alt.TopLevelMixin | Mapping[str, Any],
    *,
    name: str,
    where: DeltaGenerator | None = None,
    width: Literal["stretch", "content"] = "stretch",
) -> None:
    """Draw ``chart`` with two small download buttons under it: PNG and CSV of its data.

    Both files are made only when a button is clicked (deferred ``data``), so a rerun
    costs nothing extra; clicking does not rerun the page. ``name`` is the file name
    stem and must be unique on the page (it keys the buttons). The chart is kept as the
    last good one under ``name`` for :func:`show_stale_chart`.
    """
    target = st if where is None else where
    remember_chart(name, chart)
    _draw(target, chart, width)
    stem = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    title = name.replace("-", " ").capitalize()
    # A horizontal row sized to its buttons: fixed-width columns cut the labels in narrow layouts.
    row = target.container(horizontal=True, gap="small")
    row.download_button(
        "PNG", data=lambda: export.chart_png(chart, title=title), file_name=f"{stem}.png", mime="image/png",
        key=f"download-png-{stem}", icon=":material/image:", on_click="ignore",
        help="Download this chart as a PNG image",
    )
    row.download_button(
        "CSV", data=lambda: export.chart_csv(chart), file_name=f"{stem}.csv", mime="text/csv",
        key=f"download-csv-{stem}", icon=":material/table:", on_click="ignore",
        help="Download the data behind this chart as CSV",
    )


def remember_chart(name: str, chart: alt.TopLevelMixin | Mapping[str, Any]) -> None:
    """Keep ``chart`` as the last good chart called ``name``, for :func:`show_stale_chart`.

    :func:`show_chart` does it for the charts it draws; a page drawing a chart its own way
    calls this beside it.
    """
    st.session_state.setdefault(_LAST_GOOD, {})[name] = chart


def _draw(target: Any, chart: alt.TopLevelMixin | Mapping[str, Any], width: Literal["stretch", "content"]) -> None:
    if isinstance(chart, Mapping):
        target.vega_lite_chart(spec=dict(chart), width=width)
    else:
        target.altair_chart(chart, width=width)


def show_stale_chart(name: str, where: DeltaGenerator | None = None) -> bool:
    """Redraw the last good chart called ``name``, greyed, after an input was rejected.

    Call it where the chart would have been, after :func:`show_input_error`. The chart
    stays in place so the page does not jump, but grey and captioned so nobody reads it
    as the answer for the rejected input.

    Returns
    -------
    bool
        True if there was a chart to show (none before the first good input).
    """
    chart = st.session_state.get(_LAST_GOOD, {}).get(name)
    if chart is None:
        return False
    target = st if where is None else where
    stem = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    box = target.container(key=f"stale-{stem}")
    # A keyed container gets the CSS class st-key-<key>: grey it out as a whole.
    box.html(f"<style>.st-key-stale-{stem} {{ filter: grayscale(1); opacity: 0.4; }}</style>")
    _draw(box, chart, "stretch")
    box.caption("The last valid input's chart, greyed: fix the input above to update it.")
    return True
