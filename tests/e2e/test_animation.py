"""The animation component in a real browser: play advances the frames, pause stops them,
step moves by one either way and the scrubber jumps (the Beta-Binomial page's flip-by-flip posterior)."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import play_pause_and_step, wait_for_app

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

TIMEOUT = 30_000
FLIPS = "HTHHTHHHTHTTHHHTHHTH"  # 20 flips: 21 frames


def test_the_posterior_animation_plays_pauses_steps_and_scrubs(app_url, page, tmp_path):
    page.goto(f"{app_url}/beta-binomial?source=flips&flips={FLIPS}")
    wait_for_app(page)
    player = page.frame_locator('iframe[title*="animation"]')
    counter = player.get_by_test_id("frame-counter")
    play_pause_and_step(page, player, len(FLIPS), 5, timeout=TIMEOUT)
    player.get_by_label("Frame").fill("7")
    expect(counter).to_have_text(f"frame 7 / {len(FLIPS)}")
    # Frame 7 has drawn the first seven flips, the latest highlighted.
    expect(player.locator("#tokens")).to_have_text(FLIPS[:7])
    expect(player.locator("#tokens .latest")).to_have_text(FLIPS[6])
    shots = os.environ.get("PROBSTATS_SCREENSHOTS")
    page.locator('iframe[title*="animation"]').screenshot(path=os.path.join(shots or tmp_path, "animation.png"))
