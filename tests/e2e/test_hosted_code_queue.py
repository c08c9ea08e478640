"""A hosted course on PostgreSQL in a real browser: a code answer goes to the grading worker.

A `streamlit run` in hosted mode on a PostgreSQL gradebook (the code queue on) and one
`probstats worker` on loopback. A logged-in student submits a correct function whose
first call is slow; the page says "grading…", then shows by itself (the page polls)
the checks' results beside the numbered code. Needs chromium, PostgreSQL and bubblewrap
(each fails under CI=true when missing). Set ``PROBSTATS_E2E_SHOTS`` to a folder to keep
screenshots of both moments.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from grader import Gradebook
from grader.variants import SECRET_ENV
from tests.e2e.conftest import serve_app
from tests.e2e.test_hosted import log_in, shot
from tests.exercises.code_solutions import CORRECT
from tests.grader.sandbox.queue_helpers import (
    fresh_queue_database,
    live_workers,
    slow_first_call,
    start_worker,
    stop_workers,
    wait_for,
)
from tests.hosted.course import SECRET, enrol
from tests.sandbox import need_sandbox

pytestmark = pytest.mark.e2e

KL = "code.kl_divergence"
SLOW_KL = slow_first_call(CORRECT[KL], "def kl_divergence(p, q):")


@pytest.fixture(scope="module")
def queued_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    """A hosted dashboard on PostgreSQL with one grading worker; yields its URL and the tokens."""
    need_sandbox()
    workdir = tmp_path_factory.mktemp("queued")
    databases = fresh_queue_database("queueweb_e2e")
    url = next(databases)
    book = Gradebook(url)
    tokens = enrol(book)
    book.close()
    env = {**os.environ, "PROBSTATS_DB": url, SECRET_ENV: SECRET, "PROBSTATS_MODE": "hosted"}
    worker = start_worker(url, workdir / "worker.log", env)
    try:
        wait_for(lambda: worker.poll() is None and live_workers(url) == 1, "the worker's heartbeat")
        with serve_app(workdir, env) as base:
            yield base, tokens
    finally:
        stop_workers([worker])
        next(databases, None)  # drops the database

def test_a_student_s_code_answer_shows_grading_then_its_checks(queued_app, page):
    base, tokens = queued_app
    log_in(page, f"{base}/exercises?exercise={KL}", tokens["s1"])
    # The code editor component (an iframe) sends its text 300 ms after typing stops.
    area = page.frame_locator('iframe[title*="code_editor"]').locator("textarea")
    expect(area).to_be_visible(timeout=30_000)
    area.fill(SLOW_KL)
    expect(area).to_have_attribute("data-sent", "yes")
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_text("grading…").first).to_be_visible(timeout=30_000)
    shot(page, "queued-grading")
    # No reload: the page looks at the queue by itself until the worker has graded it.
    score = page.locator('[data-testid="stMetric"]', has_text="Score").locator('[data-testid="stMetricValue"]')
    expect(score).to_have_text("100%", timeout=120_000)
    expect(page.get_by_text("grading…")).to_have_count(0)
    expect(page.get_by_text("The code you submitted")).to_be_visible()
    # Beside the checks: the code as submitted (the prompt above has a code block of its own).
    expect(page.locator('[data-testid="stCode"]', has_text="for i in range(20_000_000):")).to_be_visible()
    assert page.locator('[data-testid="stException"]').count() == 0
    page.wait_for_timeout(500)
    shot(page, "queued-graded")
