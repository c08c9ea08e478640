"""Import every page's modules once per server process, in the background.

The first page a learner opens after a server start would otherwise wait for the
imports of every library its computation uses (scipy, pandas, altair, vl-convert,
pymc's relatives); the pages opened next would wait for theirs. :func:`warm_up` starts
one daemon thread that imports them all while the first page renders, loads the
language model, then freezes what is loaded (:func:`gc.freeze`) so the garbage
collector stops rescanning it. No streamlit
here: ``streamlit_app.py`` runs it once per process through ``st.cache_resource``.
"""

from __future__ import annotations

import gc
import importlib
import os
import threading
from collections.abc import Iterable

from dashboard.common.pages import PAGES, PageSpec

__all__ = ["MODEL_SWITCH", "THREAD_NAME", "page_modules", "warm_up"]

#: Set to "0" to leave the model out of the warm-up (the test suite does: its AppTest
#: processes would each load it, ~0.6 GB apiece, for pages that mostly never run it).
MODEL_SWITCH = "PROBSTATS_WARM_UP_MODEL"

#: The warm-up thread's name (a benchmark waits for it before timing reruns).
THREAD_NAME = "probstats-warm-up"

#: Libraries every page uses, imported first.
_SHARED = ("altair", "pandas", "scipy.stats", "scipy.integrate", "scipy.optimize", "vl_convert", "pyarrow")


def page_modules(pages: Iterable[PageSpec] = PAGES) -> list[str]:
    """The importable modules next to each page script (``compute``, ``charts``, ...).

    Examples
    --------
    >>> "dashboard.topics.kl_vs_js.compute" in page_modules()
    True
    """
    from dashboard.common.pages import DASHBOARD_DIR

    pages = tuple(pages)
    scripts = {(DASHBOARD_DIR / spec.path).resolve() for spec in pages}  # importing one would run it
    names: list[str] = []
    for spec in pages:
        folder = (DASHBOARD_DIR / spec.path).parent
        package = "dashboard." + ".".join(folder.relative_to(DASHBOARD_DIR).parts)
        if folder.name == "topics" or package == "dashboard.practice":
            continue  # practice pages import the grader: small, and they run scripts by name
        for module in sorted(folder.glob("*.py")):
            if module.stem != "__init__" and module.resolve() not in scripts:
                names.append(f"{package}.{module.stem}")
    return names


def _import_all(names: Iterable[str]) -> None:
    # Every topic page ends with its exercise links: load the exercise registry first.
    from grader import load_exercises

    load_exercises()
    for name in names:
        try:
            importlib.import_module(name)
        except Exception:
            continue  # only a head start: the page that needs a broken module shows its error
    if os.environ.get(MODEL_SWITCH, "1") != "0":
        _load_language_model()
    # The libraries' objects live as long as the server: out of the collector's way, so a
    # full collection during a rerun scans only what pages made since (one took 150-280 ms).
    gc.collect()
    gc.freeze()


def _load_language_model() -> None:
    """Load the language model (seconds, once per process: core caches it), so the
    Language model page and the pages' "real model" sources find it ready."""
    from core.lm import ModelNotInstalledError, language_model

    try:
        language_model()
    except ModelNotInstalledError:
        pass  # the pages that need it say how to install it


def warm_up(pages: Iterable[PageSpec] = PAGES) -> threading.Thread:
    """Start importing the shared libraries and every page's modules; return the thread.

    Our own packages are imported here, before the thread starts: a page's script thread
    and the warm-up thread importing ``core`` at the same time can meet inside its
    circular package imports, and Python then hands one of them a partly initialised
    module (an ImportError on the page).
    """
    importlib.import_module("core")
    importlib.import_module("grader")
    thread = threading.Thread(target=_import_all, args=([*_SHARED, *page_modules(pages)],),
                              name=THREAD_NAME, daemon=True)
    thread.start()
    return thread
