"""Every page renders in a real browser, inputs change numbers, and URLs share views."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from dashboard.common.pages import PAGES
from tests.e2e.helpers import wait_for_app

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("spec", PAGES, ids=[p.url_path for p in PAGES])
def test_every_page_renders_without_exception(app_url, page, spec):
    page.goto(f"{app_url}/{'' if spec.default else spec.url_path}")
    wait_for_app(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator("h1").first.inner_text().strip() != ""


def metric(page, label: str):
    """The value element of the st.metric whose label contains ``label``."""
    return page.locator('[data-testid="stMetric"]', has_text=label).first.locator('[data-testid="stMetricValue"]')


def metric_value(page, label: str) -> str:
    return metric(page, label).inner_text().strip()


def test_beta_binomial_number_input_moves_the_posterior_mean(app_url, page):
    page.goto(f"{app_url}/beta-binomial")
    wait_for_app(page)
    # Course walkthrough: Beta(2, 2) with 4 heads and 1 tail has posterior mean 6/9.
    expect(metric(page, "Posterior mean")).to_have_text("0.667", timeout=20_000)
    heads = page.get_by_label("h: heads observed")
    heads.fill("10")
    heads.press("Enter")
    # Beta(2 + 10, 2 + 1): mean 12/15 = 0.8; expect() waits for the rerun to land.
    expect(metric(page, "Posterior mean")).to_have_text("0.800", timeout=20_000)
    assert "heads=10" in page.url


def test_a_shared_url_reproduces_the_inputs(app_url, page):
    page.goto(f"{app_url}/beta-binomial?alpha0=1.0&beta0=1.0&heads=7&tails=3")
    wait_for_app(page)
    expect(page.get_by_label("h: heads observed")).to_have_value("7", timeout=20_000)
    # Course Q6: Beta(1, 1) with 7 heads and 3 tails is Beta(8, 4): mean 2/3, MAP 0.7.
    expect(metric(page, "MAP")).to_have_text("0.700", timeout=20_000)
    assert metric_value(page, "Posterior mean") == "0.667"


def test_a_log_density_typed_on_the_mcmc_page_is_sampled_and_shared(app_url, page):
    page.goto(f"{app_url}/mcmc?target=Your+own+log+density&sampler=NUTS&n_warmup=200&n_draws=200")
    wait_for_app(page)
    box = page.get_by_role("textbox", name="log p(x, y), up to a constant")
    box.fill("log(x) - x - y**2/2")
    box.press("Enter")
    # The start (0, 0) is outside x > 0: the page says so instead of sampling.
    expect(page.get_by_text("must be finite at the start point")).to_be_visible(timeout=30_000)
    start = page.get_by_role("spinbutton", name="Start near x")
    start.fill("3")
    start.press("Enter")
    wait_for_app(page)
    # Sampling waits for the Run button: Gamma(2, 1) × N(0, 1) sampled by NUTS.
    changed = page.get_by_text("The controls changed since the run below")
    expect(changed).to_be_visible(timeout=30_000)
    page.locator('[data-testid="stBaseButton-primary"]', has_text="Run").click()
    expect(changed).to_have_count(0, timeout=60_000)
    expect(metric(page, "Gradient evals")).to_be_visible(timeout=60_000)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert "logp=log" in page.url and "custom_x0=3" in page.url
