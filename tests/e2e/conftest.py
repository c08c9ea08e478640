"""Browser tests: Debian's chromium driven by Playwright against a real `streamlit run`.

One streamlit server per test module on a free port, health-checked on
``/_stcore/health``, with its own empty gradebook. Locally the tests skip with a
reason when chromium or playwright is missing; under ``CI=true`` that is a failure,
because .ci/run installs chromium.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.ci import skip_or_fail_in_ci
from tests.core.lm.conftest import lm  # the model, for the expected numbers of the LLM pages
from tests.e2e.helpers import E2E_SECRET
from tests.processes import free_port, stop, wait_healthy

__all__ = ["app_url", "browser", "lm", "page"]

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("PROBSTATS_CHROMIUM", "/usr/bin/chromium")
# Flags for a closed network and a root user: no sandbox, no background fetches.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def _missing(reason: str) -> None:
    skip_or_fail_in_ci(reason, "CI must run the browser tests (.ci/run installs chromium)")


@contextmanager
def serve_app(workdir: Path, env: dict[str, str], *, cwd: Path = ROOT, port: int | None = None) -> Iterator[str]:
    """Run `streamlit run dashboard/streamlit_app.py` with ``env``, its log in ``workdir``; yield its base URL.

    ``cwd`` is where streamlit looks for ``.streamlit/secrets.toml``; ``port`` a free one by default.
    """
    port = free_port() if port is None else port
    command = [
        sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard" / "streamlit_app.py"),
        "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
        "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
    ]
    log = (workdir / "streamlit.log").open("wb")
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(f"{url}/_stcore/health", process)
        yield url
    finally:
        stop(process)
        log.close()


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Start `streamlit run dashboard/streamlit_app.py` for this module; yield its base URL."""
    workdir = tmp_path_factory.mktemp("streamlit")
    env = {
        **os.environ,
        "PROBSTATS_DB": f"sqlite:///{workdir / 'gradebook.db'}",
        "PROBSTATS_COURSE_SECRET": E2E_SECRET,
    }
    with serve_app(workdir, env) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        _missing(f"no chromium at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright package is not installed (pip install -r requirements-dev.txt)")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
    tab = context.new_page()
    yield tab
    context.close()
