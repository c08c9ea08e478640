"""The Language model page in a real browser: type a new prompt, see its entropy.

The expected entropy is computed here from the model's logits with scipy (not with the
page's code); the served app runs its own copy of the model.
"""

from __future__ import annotations

import numpy as np
import pytest
from playwright.sync_api import expect
from scipy import special, stats

from tests.e2e.helpers import wait_for_app

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.xdist_group("lm")]

#: A cold server loads the model (seconds) before the first number shows.
TIMEOUT = 120_000


def entropy_text(lm, prompt: str) -> str:
    logits = lm.logits(lm.encode(prompt))[-1].astype(np.float64)
    return f"{stats.entropy(special.softmax(logits)):.4f}"


def metric(page, label: str):
    return page.locator('[data-testid="stMetric"]', has_text=label).first.locator('[data-testid="stMetricValue"]')


def test_typing_a_prompt_moves_the_entropy(app_url, page, lm):
    page.goto(f"{app_url}/language_model")
    wait_for_app(page, TIMEOUT)
    expect(metric(page, "Entropy at T = 1, nats")).to_have_text(entropy_text(lm, "The capital of France is"),
                                                                timeout=TIMEOUT)
    box = page.get_by_label("Prompt", exact=True)
    box.fill("Once upon a time")
    box.press("Enter")
    expect(metric(page, "Entropy at T = 1, nats")).to_have_text(entropy_text(lm, "Once upon a time"), timeout=TIMEOUT)
    assert "prompt=Once+upon+a+time" in page.url or "prompt=Once%20upon%20a%20time" in page.url


def test_generate_writes_the_continuation(app_url, page):
    page.goto(f"{app_url}/language_model?steps=3")
    wait_for_app(page, TIMEOUT)
    page.get_by_role("tab", name="Generate").click()
    page.get_by_role("button", name="Generate").click()
    expect(page.get_by_text("seed 0, 3 tokens")).to_be_visible(timeout=TIMEOUT)
