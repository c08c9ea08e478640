"""Dashboard render times: each page's cold first run and warm rerun, through AppTest.

Cold: a fresh AppTest with streamlit's data cache and the MCMC page's store of finished
runs cleared (imports already warm, so this is the page's own computation). Warm: a
rerun with unchanged inputs, which is what a learner waits for after any interaction
that hits the caches. Goal: warm < 0.3 s.
There is no reference library for a page, so the ratio column compares warm to the goal.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from benchmarks.timing import Row

WARM_GOAL_S = 0.3
APP = Path(__file__).resolve().parents[1] / "dashboard" / "streamlit_app.py"


def _time_run(at: object) -> float:
    start = time.perf_counter()
    at.run()  # type: ignore[attr-defined]
    elapsed = time.perf_counter() - start
    if at.exception:  # type: ignore[attr-defined]
        raise RuntimeError(f"page raised: {at.exception[0].value}")  # type: ignore[attr-defined]
    return elapsed


def rows() -> Iterator[Row]:
    import streamlit as st
    from dashboard.compute import mcmc_runs
    from streamlit.testing.v1 import AppTest

    from dashboard.common.pages import PAGES

    # The Exercises and Instructor pages read a gradebook: give them an empty one.
    os.environ.setdefault("PROBSTATS_DB", f"sqlite:///{tempfile.mkdtemp()}/bench.db")
    for spec in PAGES:
        st.cache_data.clear()
        mcmc_runs().clear()
        # Through the app's navigation, as a learner reaches the page (page links need it).
        at = AppTest.from_file(str(APP), default_timeout=120)
        at.run()
        at.switch_page(spec.path)
        cold = _time_run(at)
        warm = min(_time_run(at) for _ in range(3))
        verdict = "met" if warm < WARM_GOAL_S else "MISSED"
        yield Row(
            f"dashboard page '{spec.url_path}': warm rerun (cold first run {cold:.2f} s)",
            warm, WARM_GOAL_S, "goal", note=f"warm goal < {WARM_GOAL_S} s: {verdict}",
        )
