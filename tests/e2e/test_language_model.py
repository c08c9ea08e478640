"""The Language model page in a real browser: type a new prompt, see its entropy.

The expected entropy is computed here from the model's logits with scipy (not with the
page's code); the served app runs its own copy of the model.
"""

from __future__ import annotations

import os

import numpy as np
import pytest
from playwright.sync_api import expect
from scipy import special, stats

from tests.e2e.helpers import play_pause_and_step, wait_for_app

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.xdist_group("lm")]

#: A cold server loads the model (seconds) before the first number shows.
TIMEOUT = 120_000


#: Whitespace as the page shows it in token texts.
VISIBLE = str.maketrans({" ": "␣", "\n": "↵", "\t": "⇥", "\r": "␍"})


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
    shown = page.locator(".lm-generated").first.inner_text()  # the Generate tab comes before Two policies
    # The URL now names the generation, and opening it draws the same tokens unasked.
    page.wait_for_url("**generated=3**", timeout=TIMEOUT)
    other = page.context.new_page()
    other.goto(page.url)
    wait_for_app(other, TIMEOUT)
    other.get_by_role("tab", name="Generate").click()
    expect(other.get_by_text("seed 0, 3 tokens")).to_be_visible(timeout=TIMEOUT)
    assert other.locator(".lm-generated").first.inner_text() == shown
    other.close()


def drawn_tokens(lm, prompt: str, seed: int, steps: int, top_k: int) -> list[str]:
    """The tokens a generation at T = 1 with top-k draws, redone here: one uniform per step
    from default_rng(seed), inverted through the cumulative softmax of the k highest logits
    (numpy, scipy)."""
    ids = [int(i) for i in lm.encode(prompt)]
    for u in np.random.default_rng(seed).random(steps):
        z = lm.logits(ids)[-1].astype(np.float64)
        z[z < np.sort(z)[-top_k]] = -np.inf
        ids.append(int(np.searchsorted(np.cumsum(special.softmax(z)), u, side="right")))
    return [lm.token_text(i).translate(VISIBLE) for i in ids[-steps:]]


def test_the_token_player_plays_pauses_steps_and_scrubs(app_url, page, lm, tmp_path):
    steps = 8
    page.goto(f"{app_url}/language_model?steps={steps}&seed=1&top_k=3")
    wait_for_app(page, TIMEOUT)
    page.get_by_role("tab", name="Generate").click()
    page.get_by_role("button", name="Generate").click()
    player = page.frame_locator('iframe[title*="animation"]')
    counter = player.get_by_test_id("frame-counter")
    expect(counter).to_have_text(f"frame 0 / {steps}", timeout=TIMEOUT)
    expect(player.locator("#tokens span")).to_have_count(0)
    play_pause_and_step(page, player, steps, 5, timeout=TIMEOUT)
    player.get_by_label("Frame").fill("5")
    expect(counter).to_have_text(f"frame 5 / {steps}")
    # Frame 5 shows the first five drawn tokens, the fifth highlighted and marked in its bars.
    tokens = drawn_tokens(lm, "The capital of France is", 1, steps, top_k=3)
    expect(player.locator("#tokens span")).to_have_text(tokens[:5])
    expect(player.locator("#tokens .latest")).to_have_text(tokens[4])
    expect(player.get_by_test_id("step-stats")).to_contain_text(f"drew “{tokens[4]}”: p = ")
    expect(player.locator("#bars text.value", has_text="◀ drawn")).to_have_count(1)
    expect(player.locator("#bars text.kept", has_text="✓ kept")).to_have_count(3)  # top-k = 3 of 10 bars
    expect(player.locator("#bars text.kept", has_text="✗ cut")).to_have_count(7)
    player.get_by_label("Frame").fill(str(steps))
    expect(player.locator("#tokens span")).to_have_text(tokens)
    shots = os.environ.get("PROBSTATS_SCREENSHOTS")
    player.get_by_label("Frame").fill("5")
    page.locator('iframe[title*="animation"]').screenshot(path=os.path.join(shots or tmp_path, "tokens.png"))
