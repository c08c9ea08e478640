"""Helpers for the dashboard's AppTest tests: paths and reading what a page displays."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import altair as alt
from streamlit.testing.v1 import AppTest

DASHBOARD = Path(__file__).resolve().parents[2] / "dashboard"
APP = DASHBOARD / "streamlit_app.py"

#: Long enough for a cold first run (imports, JS quadratures) on a busy 2-core machine.
TIMEOUT = 30


def page_file(name: str) -> Path:
    """The page script for ``name`` (e.g. ``"entropy.py"``): ``dashboard/topics/entropy/page.py``,
    else ``dashboard/practice/<name>``."""
    stem = Path(name).stem
    for candidate in (DASHBOARD / "topics" / stem / "page.py", DASHBOARD / "practice" / name):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"no page script for {name!r} under {DASHBOARD}")


def page_test(name: str) -> AppTest:
    """An AppTest for one page (see :func:`page_file`) run on its own."""
    return AppTest.from_file(page_file(name), default_timeout=TIMEOUT)


def app_test() -> AppTest:
    """An AppTest for the whole app, entered through ``streamlit_app.py``."""
    return AppTest.from_file(APP, default_timeout=TIMEOUT)


def metric(at: AppTest, label: str) -> str:
    """The displayed value of the one metric labelled ``label``."""
    found = [m.value for m in at.metric if m.label == label]
    assert len(found) == 1, f"expected one metric {label!r}; labels: {[m.label for m in at.metric]}"
    return found[0]


def chart_specs(at: AppTest) -> list[dict[str, Any]]:
    """The Vega-Lite specs of the charts on the page, parsed."""
    return [json.loads(el.proto.spec) for el in at.get("vega_lite_chart")]


def chart_rows(chart: alt.TopLevelMixin) -> dict[str, list[dict]]:
    """The chart's inline datasets (name -> rows), as Vega-Lite receives them."""
    return chart.to_dict()["datasets"]


def code_editor_args(at: AppTest, key: str) -> dict[str, Any]:
    """The arguments the page sent to the code editor component keyed ``key``.

    AppTest runs no component JavaScript: it sees the component as an element with its
    JSON arguments (``value``, ``label``, ``height``, ``key``).
    """
    editors = [e for e in at.get("component_instance") if e.proto.component_name.endswith(".code_editor")]
    (args,) = [a for a in (json.loads(e.proto.json_args) for e in editors) if a["key"] == key]
    return args


def type_code(at: AppTest, key: str, code: str) -> AppTest:
    """Put ``code`` in the code editor keyed ``key``, as its browser side would send it.

    The component's text lives in ``st.session_state[key]``; AppTest has no widget for it.
    """
    code_editor_args(at, key)  # the page must show that editor
    at.session_state[key] = code
    return at
