"""The animation component in a real browser: play advances the frames, pause stops them,
step moves by one either way and the scrubber jumps (the Beta-Binomial page's flip-by-flip posterior)."""

from __future__ import annotations

import os
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import wait_for_app

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

TIMEOUT = 30_000
FLIPS = "HTHHTHHHTHTTHHHTHHTH"  # 20 flips: 21 frames


def frame_number(counter) -> int:
    match = re.fullmatch(r"frame (\d+) / \d+", counter.inner_text())
    assert match, counter.inner_text()
    return int(match.group(1))


def play_pause_and_step(page, player, last: int) -> int:
    """Play at 5 frames/s, pause, check no frame comes while paused, step on and back
    (the player's frames run 0..``last``); the frame it paused on."""
    counter = player.get_by_test_id("frame-counter")
    player.get_by_label("Speed").select_option("5")
    player.get_by_role("button", name="Play").click()
    expect(counter).not_to_have_text(f"frame 0 / {last}", timeout=TIMEOUT)
    player.get_by_role("button", name="Pause").click()
    paused = frame_number(counter)
    assert 0 < paused < last
    page.wait_for_timeout(600)  # three frames' worth at 5 frames/s: none may come while paused
    assert frame_number(counter) == paused
    player.get_by_role("button", name="Step", exact=True).click()
    expect(counter).to_have_text(f"frame {paused + 1} / {last}")
    player.get_by_role("button", name="Step back").click()
    expect(counter).to_have_text(f"frame {paused} / {last}")
    return paused


def test_the_posterior_animation_plays_pauses_steps_and_scrubs(app_url, page, tmp_path):
    page.goto(f"{app_url}/beta-binomial?source=flips&flips={FLIPS}")
    wait_for_app(page)
    player = page.frame_locator('iframe[title*="animation"]')
    counter = player.get_by_test_id("frame-counter")
    expect(counter).to_have_text(f"frame 0 / {len(FLIPS)}", timeout=TIMEOUT)
    play_pause_and_step(page, player, len(FLIPS))
    player.get_by_label("Frame").fill("7")
    expect(counter).to_have_text(f"frame 7 / {len(FLIPS)}")
    # Frame 7 has drawn the first seven flips, the latest highlighted.
    expect(player.locator("#tokens")).to_have_text(FLIPS[:7])
    expect(player.locator("#tokens .latest")).to_have_text(FLIPS[6])
    shots = os.environ.get("PROBSTATS_SCREENSHOTS")
    page.locator('iframe[title*="animation"]').screenshot(path=os.path.join(shots or tmp_path, "animation.png"))
