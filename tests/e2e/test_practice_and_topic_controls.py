"""In a real browser: the main control of the Sampling, Mutual information and Fisher pages
moves its number, and an exercise link opens a page that holds the answer back.

References: scipy.special.softmax for the kept set; 1/(p(1 − p)) for a Bernoulli's Fisher
information; I(X; Y) = 0 for independent X and Y.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from scipy import special

from grader import load_exercises
from tests.e2e.helpers import wait_for_app

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

TIMEOUT = 30_000


def metric(page, label: str):
    """The value element of the st.metric whose label contains ``label``."""
    return page.locator('[data-testid="stMetric"]', has_text=label).first.locator('[data-testid="stMetricValue"]')


def test_sampling_top_k_changes_the_kept_set(app_url, page):
    page.goto(f"{app_url}/sampling")
    wait_for_app(page)
    expect(metric(page, "Tokens kept")).to_have_text("4 of 7", timeout=TIMEOUT)
    box = page.get_by_label("Top-k (0 = off)")
    box.fill("2")
    box.press("Enter")
    expect(metric(page, "Tokens kept")).to_have_text("2 of 7", timeout=TIMEOUT)
    # Top-k 2 then top-p 0.9 on softmax(3, 2.2, ...): the two favourites, renormalised.
    p = special.softmax([3.0, 2.2])
    expect(metric(page, "Most likely token")).to_have_text(f"the ({p[0]:.3f})", timeout=TIMEOUT)
    assert "top_k=2" in page.url
    assert page.locator('[data-testid="stException"]').count() == 0


def test_mutual_information_rho_slider_moves_the_mutual_information(app_url, page):
    page.goto(f"{app_url}/mutual-information")
    wait_for_app(page)
    before = metric(page, "I(X; Y), nats")
    expect(before).not_to_have_text("0.0000", timeout=TIMEOUT)
    slider = page.get_by_role("slider", name="Correlation ρ")
    slider.focus()
    for _ in range(12):  # 0.6 down to 0 in steps of 0.05
        slider.press("ArrowLeft")
    expect(metric(page, "I(X; Y), nats")).to_have_text("0.0000", timeout=TIMEOUT)
    assert page.url.endswith("?rho=0")  # rho is the only key that moved
    assert page.locator('[data-testid="stException"]').count() == 0


def test_fisher_share_of_successes_moves_the_fisher_information(app_url, page):
    page.goto(f"{app_url}/fisher-information")
    wait_for_app(page)
    box = page.get_by_label("Observed share of successes p̂ (the MLE)")
    box.fill("0.2")
    box.press("Enter")
    expect(metric(page, "Fisher information per observation")).to_have_text(f"{1 / (0.2 * 0.8):.4f}", timeout=TIMEOUT)
    assert page.locator('[data-testid="stException"]').count() == 0


def test_an_exercise_link_opens_a_page_that_holds_the_answer_back(app_url, page):
    exercise = load_exercises().get("sampling.top_p_kept_set")
    page.goto(f"{app_url}/exercises?student=e2e-bob&exercise={exercise.id}")
    wait_for_app(page)
    # The picker shows the title, not the id.
    expect(page.get_by_text(exercise.title).first).to_be_visible(timeout=TIMEOUT)
    link = page.get_by_test_id("stMainBlockContainer").get_by_role("link", name="Sampling")
    href = link.get_attribute("href")
    assert f"exercise={exercise.id}" in href and "student=e2e-bob" in href
    page.goto(f"{app_url}/{href}")  # the link opens a new tab; follow it in this one
    wait_for_app(page)
    expect(metric(page, "Tokens kept")).to_have_text("hidden", timeout=TIMEOUT)
    expect(page.get_by_text("Submit your answer once to see the computed value").first).to_be_visible()
    assert page.locator('[data-testid="stException"]').count() == 0
