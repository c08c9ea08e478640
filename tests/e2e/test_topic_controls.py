"""Each topic page in a real browser: change its main control, see the new number.

Expected numbers are closed forms written here (not read from the app's code).
"""

from __future__ import annotations

import math

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import wait_for_app

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

TIMEOUT = 30_000


def metric(page, label: str):
    """The value element of the st.metric whose label contains ``label``."""
    return page.locator('[data-testid="stMetric"]', has_text=label).first.locator('[data-testid="stMetricValue"]')


def type_into(page, label: str, text: str) -> None:
    box = page.get_by_label(label, exact=True)
    box.fill(text)
    box.press("Enter")


def test_moments_values_move_the_expectation(app_url, page):
    page.goto(f"{app_url}/moments")
    wait_for_app(page)
    expect(metric(page, "E[X]")).to_have_text("2.0000", timeout=TIMEOUT)  # Σ x p for 0..3 with 0.1..0.4
    type_into(page, "Values x (separated by commas)", "0, 1, 2, 10")
    expect(metric(page, "E[X]")).to_have_text(f"{0.2 + 0.6 + 4.0:.4f}", timeout=TIMEOUT)
    assert "values=" in page.url


def test_distributions_bernoulli_slider_moves_the_mean(app_url, page):
    page.goto(f"{app_url}/distributions")
    wait_for_app(page)
    expect(metric(page, "Mean")).to_have_text("0.3000", timeout=TIMEOUT)
    thumb = page.get_by_role("slider", name="p = P(X = 1)")
    thumb.focus()
    for _ in range(5):
        thumb.press("ArrowRight")  # five steps of 0.01
    expect(metric(page, "Mean")).to_have_text("0.3500", timeout=TIMEOUT)


def test_beta_binomial_flip_a_coin_adds_one_observation(app_url, page):
    page.goto(f"{app_url}/beta-binomial")
    wait_for_app(page)
    expect(metric(page, "Posterior mean")).to_have_text("0.667", timeout=TIMEOUT)  # Beta(2+4, 2+1)
    page.get_by_role("button", name="Flip a coin").click()
    # One more flip: Beta(7, 3) (mean 0.700) after heads or Beta(6, 4) (mean 0.600) after tails.
    expect(metric(page, "Posterior mean")).to_have_text(
        __import__("re").compile(r"^0\.(700|600)$"), timeout=TIMEOUT)
    assert "heads=5" in page.url or "tails=2" in page.url


def test_entropy_nll_moves_the_perplexity(app_url, page):
    page.goto(f"{app_url}/entropy")
    wait_for_app(page)
    expect(metric(page, "Perplexity of that NLL")).to_have_text(f"{math.exp(3.0):.2f}", timeout=TIMEOUT)
    type_into(page, "Average NLL per token", "2")
    expect(metric(page, "Perplexity of that NLL")).to_have_text(f"{math.exp(2.0):.2f}", timeout=TIMEOUT)


def test_kl_vs_js_sigma_moves_both_kls(app_url, page):
    page.goto(f"{app_url}/kl-vs-js")
    wait_for_app(page)
    type_into(page, "σ₂: standard deviation of Q (> 0)", "1")
    # Equal widths, means 0 and 2: both KLs are (Δμ)²/2 = 2.
    expect(metric(page, "KL(P‖Q), nats")).to_have_text("2.0000", timeout=TIMEOUT)
    expect(metric(page, "KL(Q‖P), nats")).to_have_text("2.0000", timeout=TIMEOUT)
    assert "sigma2=1" in page.url
