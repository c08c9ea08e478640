"""Helpers for the dashboard's AppTest tests: paths and reading what a page displays."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

DASHBOARD = Path(__file__).resolve().parents[2] / "dashboard"
APP = DASHBOARD / "streamlit_app.py"
PAGES = DASHBOARD / "app_pages"

#: Long enough for a cold first run (imports, JS quadratures) on a busy 2-core machine.
TIMEOUT = 30


def page_test(name: str) -> AppTest:
    """An AppTest for one page file of ``dashboard/app_pages`` run on its own."""
    return AppTest.from_file(PAGES / name, default_timeout=TIMEOUT)


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
