"""A student submits on the Exercises page in a real browser: right, then wrong."""

from __future__ import annotations

import math

import pytest
from playwright.sync_api import expect

from grader import load_exercises, variant_for
from tests.e2e.helpers import E2E_SECRET, wait_for_app

pytestmark = pytest.mark.e2e

Q3 = "interview.perplexity_from_nll"


def submit(page, answer: str) -> None:
    box = page.get_by_label("Your answer")
    box.fill(answer)
    page.get_by_role("button", name="Submit").click()


def test_right_then_wrong_answer_shows_score_and_misconception(app_url, page):
    student = "e2e-alice"
    nll = variant_for(student, load_exercises().get(Q3), secret=E2E_SECRET).params["nll"]
    page.goto(f"{app_url}/exercises?student={student}&exercise={Q3}")
    wait_for_app(page)
    # The personal variant. The module's first page view imports the catalogue on a cold
    # server, which on a loaded 2-core machine outlasts expect's default 5 s.
    expect(page.get_by_text(f"{nll:.2f} nats").first).to_be_visible(timeout=30_000)

    submit(page, repr(math.exp(nll)))  # perplexity = e^NLL, computed here
    score = page.locator('[data-testid="stMetric"]', has_text="Score").locator('[data-testid="stMetricValue"]')
    expect(score).to_have_text("100%", timeout=20_000)

    submit(page, f"2**{nll}")  # the NLL read as bits
    expect(score).to_have_text("0%", timeout=20_000)
    expect(page.get_by_text("as if the NLL were in bits").first).to_be_visible()
    expect(page.get_by_text("Recognised misconception").first).to_be_visible()
    assert page.locator('[data-testid="stException"]').count() == 0
