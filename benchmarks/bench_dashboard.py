"""Dashboard rerun times per page, through AppTest: what a learner waits for after a change.

For every page in :data:`dashboard.common.pages.PAGES`, reached through the app's
navigation as a learner reaches it:

- cold: the page's first run with streamlit's data cache cleared (imports already warm,
  so this is the page's own computation);
- after each widget change (CPU seconds of the rerun, see :func:`_time_run`): every number input, slider, select box, radio and toggle the
  page shows is set to another valid value in turn (a neighbouring step or option) and
  the rerun timed, with caches warm for everything that did not change. The row gives
  the median over the page's widgets and the worst one. Text inputs are left alone (no
  generic "other valid value"), and buttons too (an MCMC "Run" is exempt from the budget).

Reruns are timed once the app's warm-up thread has finished (:func:`_wait_for_warm_up`)
and with each script compiled once (:func:`_bytecode_kept`), as on a running server.

One more row: the first page after a server start, in a fresh interpreter (imports and
all). Budget: median rerun <= 0.1 s; first page < 5 s.

The pages that run the language model get a row per widget (:data:`PER_WIDGET`): every
generic widget, their text inputs set to the texts in :data:`TEXT_CHANGES` (a new
prompt costs a forward pass) and their buttons (a generation costs one pass per token);
the Entropy and Sampling pages are timed once more with their "real model" source.
"""

from __future__ import annotations

import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from benchmarks.timing import Row

RERUN_BUDGET_S = 0.1
FIRST_PAGE_BUDGET_S = 5.0
APP = Path(__file__).resolve().parents[1] / "dashboard" / "streamlit_app.py"
#: Widget kinds changed generically, as AppTest names them.
_KINDS = ("number_input", "slider", "select_slider", "selectbox", "radio", "toggle", "checkbox")
#: Pages (by URL path, with the query they open with) timed widget by widget.
PER_WIDGET: tuple[tuple[str, dict[str, str]], ...] = (
    ("language_model", {}),
    ("entropy", {"source": "real model"}),
    ("sampling", {"tok_source": "real model"}),
)
#: Text inputs set to another value on those pages, by key.
TEXT_CHANGES = {
    "prompt": "Once upon a time there was",
    "sentence": "Paris is the capital of France.",
    "prompt_b": "The capital of Spain is",
    "lm_prompt": "Once upon a time there was",
    "tok_prompt": "Once upon a time there was",
}


def _time_run(at: Any) -> float:
    """CPU seconds of one rerun (all threads of this process: AppTest runs the script in
    a thread). On a shared 2-core machine wall time mostly measures the other jobs; CPU
    time is the rerun's own cost, what a learner waits for on an idle server."""
    start = time.process_time()
    at.run()
    elapsed = time.process_time() - start
    if at.exception:
        raise RuntimeError(f"page raised: {at.exception[0].value}")
    return elapsed


@contextlib.contextmanager
def _bytecode_kept() -> Iterator[None]:
    """Compile each script once for all reruns, as the server does.

    A server keeps one :class:`ScriptCache` for its life, so a rerun executes the page's
    cached bytecode; AppTest makes a new cache for every run, which adds a compile (with
    streamlit's magic rewrite: 30-40 ms on a long page) to each timed rerun that no learner
    waits for. Inside this block AppTest's runs share one cache.
    """
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner

    shared = ScriptCache()
    saved = app_test.ScriptCache, local_script_runner.ScriptCache
    app_test.ScriptCache = local_script_runner.ScriptCache = lambda: shared  # type: ignore[assignment,misc]
    try:
        yield
    finally:
        app_test.ScriptCache, local_script_runner.ScriptCache = saved  # type: ignore[misc]


def _wait_for_warm_up() -> None:
    """Let the server's one-time warm-up (imports, the model, :func:`gc.freeze`) finish.

    The app starts it in a background thread on its first run; until it ends, its CPU
    (seconds of model loading) lands in whichever reruns are timed meanwhile and the
    collector still scans every library's objects, so the first pages timed would
    measure the warm-up rather than their own reruns.
    """
    from dashboard.common.warmup import THREAD_NAME

    for thread in threading.enumerate():
        if thread.name == THREAD_NAME:
            thread.join()


def _other_value(widget: Any, kind: str) -> Any:
    """A valid value other than the widget's current one, or None if there is none."""
    value = widget.value
    if kind in ("toggle", "checkbox"):
        return not value
    if kind in ("selectbox", "radio", "select_slider"):
        options = list(widget.options)
        if len(options) < 2:
            return None
        current = options.index(str(value)) if str(value) in options else 0
        return ("index", (current + 1) % len(options))
    if isinstance(value, (tuple, list)) or value is None:
        return None  # a range slider: leave it
    step = widget.step or (1 if isinstance(value, int) else 0.01)
    high = widget.max if widget.max is not None else value + step
    new = value + step if value + step <= high else value - step
    return type(value)(new)


def _widgets(at: Any) -> list[tuple[str, str]]:
    found = []
    for kind in _KINDS:
        for widget in getattr(at, kind):
            if widget.key is not None and not widget.disabled:
                found.append((kind, widget.key))
    return found


def _change_times(at: Any) -> tuple[dict[str, float], list[str]]:
    """Rerun seconds after changing each widget, and the keys whose change failed."""
    times: dict[str, float] = {}
    failed: list[str] = []
    for kind, key in _widgets(at):
        matches = [w for w in getattr(at, kind) if w.key == key]
        if not matches:
            continue  # hidden by an earlier change
        widget = matches[0]
        new = _other_value(widget, kind)
        if new is None:
            continue
        if isinstance(new, tuple) and new[0] == "index":
            if hasattr(widget, "select_index"):
                widget.select_index(new[1])
            else:
                widget.set_value(list(widget.options)[new[1]])
        else:
            widget.set_value(new)
        try:
            times[key] = _time_run(at)
        except Exception:
            failed.append(key)
    return times, failed


def _text_and_button_times(at: Any) -> dict[str, float]:
    """Rerun seconds after each text input of :data:`TEXT_CHANGES` and each button."""
    times: dict[str, float] = {}
    for key, text in TEXT_CHANGES.items():
        boxes = [w for w in at.text_input if w.key == key]
        if boxes:
            boxes[0].set_value(text)
            times[f"{key} (text)"] = _time_run(at)
    for i in range(len(at.button)):
        button = at.button[i]
        if button.key is None or not button.key.startswith("download"):
            label = button.label
            button.click()
            times[f"button “{label}”"] = _time_run(at)
    return times


def per_widget_rows() -> Iterator[Row]:
    """A row per widget of the pages in :data:`PER_WIDGET`, caches warm for the rest."""
    from streamlit.testing.v1 import AppTest

    from dashboard.common.pages import PAGES

    paths = {spec.url_path: spec.path for spec in PAGES}
    for url_path, query in PER_WIDGET:
        at = AppTest.from_file(str(APP), default_timeout=300)
        at.run()
        _wait_for_warm_up()
        at.switch_page(paths[url_path])
        at.query_params.update(query)
        cold = _time_run(at)
        times, failed = _change_times(at)
        times |= _text_and_button_times(at)
        where = f"dashboard page '{url_path}'" + (f" ({', '.join(f'{k}={v}' for k, v in query.items())})" if query else "")
        yield Row(f"{where}: first run (model loaded, caches cleared)", cold, None, "", note="")
        for key, seconds in times.items():
            verdict = "met" if seconds <= RERUN_BUDGET_S else "over"
            yield Row(f"{where}: rerun after `{key}`", seconds, RERUN_BUDGET_S, "budget",
                      note=f"budget {RERUN_BUDGET_S} s: {verdict}")
        if failed:
            yield Row(f"{where}: not timed (AppTest could not rerun): {failed}", None, None, "")


def first_page_seconds() -> float:
    """The default page's first run in a fresh interpreter: imports, caches, the page."""
    code = (
        "import time; t = time.perf_counter()\n"
        "from streamlit.testing.v1 import AppTest\n"
        f"at = AppTest.from_file({str(APP)!r}, default_timeout=120); at.run()\n"
        "assert not at.exception, at.exception\n"
        "print(time.perf_counter() - t)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(done.stdout.strip().splitlines()[-1])


def rows() -> Iterator[Row]:
    """Every row of this module, with the scripts compiled once (see :func:`_bytecode_kept`)."""
    with _bytecode_kept():
        yield from _rows()


def _rows() -> Iterator[Row]:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from dashboard.common.pages import PAGES

    # The Exercises and Instructor pages read a gradebook: give them an empty one.
    os.environ.setdefault("PROBSTATS_DB", f"sqlite:///{tempfile.mkdtemp()}/bench.db")
    first = first_page_seconds()
    yield Row("dashboard: first page after a server start (fresh interpreter)", first, FIRST_PAGE_BUDGET_S,
              "budget", note="met" if first < FIRST_PAGE_BUDGET_S else "MISSED")
    for spec in PAGES:
        st.cache_data.clear()
        at = AppTest.from_file(str(APP), default_timeout=120)
        at.run()
        _wait_for_warm_up()
        at.switch_page(spec.path)
        cold = _time_run(at)
        times, failed = _change_times(at)
        if not times:
            yield Row(f"dashboard page '{spec.url_path}': no widget to change (cold first run {cold:.2f} s)",
                      None, RERUN_BUDGET_S, "budget", note="nothing to time")
            continue
        median = statistics.median(times.values())
        worst_key = max(times, key=times.__getitem__)
        verdict = "met" if median <= RERUN_BUDGET_S else "MISSED"
        yield Row(
            f"dashboard page '{spec.url_path}': median rerun after a widget change, {len(times)} widgets "
            f"(worst {times[worst_key]:.3f} s on `{worst_key}`; cold first run {cold:.2f} s)",
            median, RERUN_BUDGET_S, "budget",
            note=f"budget {RERUN_BUDGET_S} s: {verdict}" + (f"; not timed (AppTest could not rerun): {failed}" if failed else ""),
        )
    st.cache_data.clear()
    yield from per_widget_rows()
